//! Delivery evidence: a data collection's region × period matrix (`/datainsamling/{id}/leveranser`:
//! a heat map in SVG drawn on the server, the table, one region's trend with `?region=`, and the
//! CSV at `…/leveranser.csv`), and the JSON API a region's `check-extract --submit` posts to
//! (`/api/v1/datainsamling/{id}/leveranser`; GET answers the matrix). The reports and the
//! matrix are the label service's (`crate::label`); reports hold counts, never values.
//!
//! Who may post: a signed-in account of the region. The API takes `Authorization: Bearer
//! TOKEN`, where TOKEN is, for now, the account's session token (the `vk_session` cookie's
//! value); when the API tokens of issue 13 are merged, their tokens are read here too. A
//! cookie is never taken by the API (so no cross-site form can post a report).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use serde_json::{Value, json};

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::{Failure, PageError};
use super::kernel::guard::{blocking, read_body};
use super::kernel::page::Chrome;
use super::kernel::paths;
use super::kernel::words::label::{LabelTexts, texts};
use crate::accounts::Actor;
use crate::label::delivery::{Cell, Matrix};
use crate::label::{LabelError, Submitted};
use crate::services::Services;

/// The largest report the API reads (a collection has tens of columns).
const MAX_REPORT: usize = 1024 * 1024;

/// One square of the heat map.
pub struct Square {
    pub x: u32,
    pub y: u32,
    pub text_x: u32,
    pub text_y: u32,
    pub fill: &'static str,
    pub dashed: bool,
    pub text: String,
    pub title: String,
}

/// One cell of the table.
pub struct CellView {
    pub summary: String,
    pub problems: String,
    pub class: &'static str,
}

pub struct RowView {
    pub name: String,
    pub href: String,
    pub delivered: bool,
    pub cells: Vec<Option<CellView>>,
}

/// One region's trend.
pub struct RegionDetail {
    pub name: String,
    /// (period, rows, required present, filled, valid, errors, problems, submitted)
    pub periods: Vec<[String; 8]>,
    /// The latest delivery's columns: (name, level, present, filled, invalid, problems)
    pub columns: Vec<[String; 6]>,
    pub latest_period: String,
}

#[derive(Template)]
#[template(path = "deliveries.html")]
pub struct DeliveriesPage {
    pub chrome: Chrome,
    pub w: &'static LabelTexts,
    pub collection_href: String,
    pub csv_href: String,
    pub api_href: String,
    pub periods: Vec<String>,
    pub rows: Vec<RowView>,
    pub width: u32,
    pub height: u32,
    pub period_labels: Vec<(u32, String)>,
    pub region_labels: Vec<(u32, String)>,
    pub squares: Vec<Square>,
    pub desc: String,
    pub detail: Option<RegionDetail>,
}

fn share(x: Option<f64>, en: bool) -> String {
    match x {
        Some(v) => {
            let s = format!("{:.1} %", v * 100.0);
            if en { s } else { s.replace('.', ",") }
        }
        None => "–".to_owned(),
    }
}

fn problems_text(c: &Cell) -> String {
    c.problems.iter().map(|(p, n)| format!("{p} {n}")).collect::<Vec<_>>().join(", ")
}

fn cell_class(c: &Cell) -> &'static str {
    match (c.complete(), c.valid_share) {
        (false, _) => "bad",
        (true, Some(v)) if v >= 0.999 => "ok",
        (true, Some(v)) if v >= 0.98 => "warn",
        (true, Some(_)) => "bad",
        (true, None) => "header",
    }
}

const LEFT: u32 = 220;
const COLUMN: u32 = 74;
const ROW: u32 = 24;
const TOP: u32 = 28;

fn page_of(ctx: &Ctx, id: &str, title: &str, matrix: &Matrix, region: Option<&str>, minter: &crate::model::Minter) -> DeliveriesPage {
    let (en, w, lang) = (ctx.en(), texts(ctx.lang), ctx.lang_code());
    let region_id = |iri: &str| minter.parse(iri).map_or_else(|| iri.to_owned(), |(_, id)| id);
    let mut squares = Vec::new();
    let mut region_labels = Vec::new();
    for (r, row) in matrix.rows.iter().enumerate() {
        let y = TOP + u32::try_from(r).unwrap_or(0) * ROW;
        region_labels.push((y + 16, row.name.best(lang).to_owned()));
        for (p, cell) in row.cells.iter().enumerate() {
            let x = LEFT + u32::try_from(p).unwrap_or(0) * COLUMN;
            let period = &matrix.periods[p];
            let (fill, dashed, text, title) = match cell {
                None => ("#ffffff", true, "–".to_owned(), format!("{}, {period}: {}", row.name.best(lang), w.no_delivery)),
                Some(c) => {
                    let fill = match cell_class(c) {
                        "ok" => "#d4edda",
                        "warn" => "#fff3cd",
                        "bad" => "#f8d7da",
                        _ => "#e6e6e6",
                    };
                    let text =
                        if c.report.header_only { format!("{}/{}", c.required_present, c.required) } else { share(c.valid_share, en) };
                    let title = format!(
                        "{}, {period}: {} {}/{}; {} {}",
                        row.name.best(lang),
                        w.required_present,
                        c.required_present,
                        c.required,
                        w.valid,
                        share(c.valid_share, en)
                    );
                    (fill, false, text, title)
                }
            };
            squares.push(Square { x, y: y + 2, text_x: x + COLUMN / 2 - 2, text_y: y + 16, fill, dashed, text, title });
        }
    }
    let period_labels = matrix
        .periods
        .iter()
        .enumerate()
        .map(|(p, label)| (LEFT + u32::try_from(p).unwrap_or(0) * COLUMN + COLUMN / 2 - 2, label.clone()))
        .collect();
    let delivering = matrix.rows.iter().filter(|r| r.delivered()).count();
    let e = matrix.evidence();
    let desc = if en {
        format!(
            "A grid of {} regions by {} periods. {delivering} regions have delivered; {} deliveries in all, {} with every required column. Each square gives the share of valid values; a dashed square is a missing delivery.",
            matrix.rows.len(),
            matrix.periods.len(),
            e.deliveries,
            e.complete
        )
    } else {
        format!(
            "Ett rutnät med {} regioner och {} perioder. {delivering} regioner har levererat; {} leveranser sammanlagt, {} med alla obligatoriska kolumner. Varje ruta anger andelen giltiga värden; en streckad ruta är en leverans som saknas.",
            matrix.rows.len(),
            matrix.periods.len(),
            e.deliveries,
            e.complete
        )
    };
    let rows = matrix
        .rows
        .iter()
        .map(|row| RowView {
            name: row.name.best(lang).to_owned(),
            href: format!("{}?region={}", paths::deliveries(id, ""), region_id(&row.region)),
            delivered: row.delivered(),
            cells: row
                .cells
                .iter()
                .map(|c| {
                    c.as_ref().map(|c| CellView {
                        summary: if c.report.header_only {
                            format!("{}/{} {}; {}", c.required_present, c.required, w.required_present, w.header_only)
                        } else {
                            format!(
                                "{}/{} {}; {} {}; {} {}",
                                c.required_present,
                                c.required,
                                w.required_present,
                                share(c.filled_share, en),
                                w.filled,
                                share(c.valid_share, en),
                                w.valid
                            )
                        },
                        problems: problems_text(c),
                        class: cell_class(c),
                    })
                })
                .collect(),
        })
        .collect();
    let detail = region.and_then(|wanted| {
        let row = matrix.rows.iter().find(|r| region_id(&r.region) == wanted)?;
        let periods = matrix
            .periods
            .iter()
            .zip(&row.cells)
            .filter_map(|(p, c)| {
                let c = c.as_ref()?;
                Some([
                    p.clone(),
                    if c.report.header_only { w.header_only.to_owned() } else { c.report.rows.to_string() },
                    format!("{}/{}", c.required_present, c.required),
                    share(c.filled_share, en),
                    share(c.valid_share, en),
                    c.report.errors.to_string(),
                    problems_text(c),
                    c.report.time.format("%Y-%m-%d").to_string(),
                ])
            })
            .collect();
        let latest = matrix.periods.iter().zip(&row.cells).rev().find_map(|(p, c)| c.as_ref().map(|c| (p.clone(), c)));
        let columns = latest
            .as_ref()
            .map(|(_, c)| {
                c.report
                    .columns
                    .iter()
                    .map(|col| {
                        [
                            col.name.clone(),
                            col.level.clone(),
                            if col.present { "✓".to_owned() } else { "–".to_owned() },
                            col.filled.to_string(),
                            col.invalid.to_string(),
                            col.problems.iter().map(|(p, n)| format!("{p} {n}")).collect::<Vec<_>>().join(", "),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(RegionDetail {
            name: row.name.best(lang).to_owned(),
            periods,
            columns,
            latest_period: latest.map(|(p, _)| p).unwrap_or_default(),
        })
    });
    DeliveriesPage {
        chrome: Chrome::new(ctx.lang, format!("{}: {title}", w.deliveries), &ctx.path_and_query, "collections"),
        w,
        collection_href: format!("/datainsamling/{id}"),
        csv_href: paths::deliveries(id, "csv"),
        api_href: paths::deliveries_api(id),
        periods: matrix.periods.clone(),
        rows,
        width: LEFT + u32::try_from(matrix.periods.len().max(1)).unwrap_or(1) * COLUMN + 10,
        height: TOP + u32::try_from(matrix.rows.len()).unwrap_or(0) * ROW + 10,
        period_labels,
        region_labels,
        squares,
        desc,
        detail,
    }
}

#[derive(Deserialize)]
pub(super) struct RegionQuery {
    region: Option<String>,
}

async fn matrix_of(ctx: &Ctx, services: &web::Data<Services>, id: String) -> Result<(String, Matrix), PageError> {
    let labels = services.labels.clone();
    let lang = ctx.lang_code();
    match blocking(move || labels.deliveries(&id)).await.map_err(|e| ctx.fail(Failure::Internal(e)))? {
        Ok(Some((_, title, matrix))) => Ok((title.best(lang).to_owned(), matrix)),
        Ok(None) => Err(ctx.not_found(None)),
        Err(e) => Err(ctx.fail(Failure::Internal(e.to_string()))),
    }
}

/// `GET /datainsamling/{id}/leveranser`.
pub(super) async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    query: web::Query<RegionQuery>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (title, matrix) = matrix_of(&ctx, &services, id.clone()).await?;
    let page = page_of(&ctx, &id, &title, &matrix, query.region.as_deref(), state.catalogue.minter());
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `GET /datainsamling/{id}/leveranser.csv`.
pub(super) async fn csv(ctx: Ctx, services: web::Data<Services>, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (_, matrix) = matrix_of(&ctx, &services, id.clone()).await?;
    let mut lines = matrix.csv_rows(ctx.en());
    let header: Vec<String> = lines.remove(0);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let bytes = crate::ingest::csv_cells::write(b',', true, &header, lines).map_err(|e| ctx.fail(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"leveranser-{id}.csv\"")))
        .body(bytes))
}

fn problem(status: StatusCode, title: &str, detail_en: &str, detail_sv: &str, field: Option<&str>) -> HttpResponse {
    let mut body = json!({ "type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail_en, "detail_sv": detail_sv });
    if let Some(f) = field {
        body["field"] = json!(f);
    }
    HttpResponse::build(status).content_type("application/problem+json").body(body.to_string())
}

/// The account a request's `Authorization: Bearer` token belongs to (module comment).
fn bearer(req: &HttpRequest, state: &AppState) -> Result<Actor, Box<HttpResponse>> {
    let unauthorised = |en: &str, sv: &str| {
        let mut res = problem(StatusCode::UNAUTHORIZED, "Unauthorized", en, sv, None);
        res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer realm=\"vardkatalog\""));
        Box::new(res)
    };
    let Some(token) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Err(unauthorised("Send the token as Authorization: Bearer TOKEN.", "Skicka token som Authorization: Bearer TOKEN."));
    };
    match state.accounts.session(token) {
        Ok(Some((_, user))) => Ok(Actor { user: user.name, role: user.role }),
        _ => Err(unauthorised("The token is not valid (signed out or expired).", "Token gäller inte (utloggad eller för gammal).")),
    }
}

fn matrix_json(matrix: &Matrix, minter: &crate::model::Minter) -> Value {
    let e = matrix.evidence();
    json!({
        "collection": matrix.collection,
        "periods": matrix.periods,
        "regions": matrix.rows.iter().map(|row| json!({
            "region": row.region,
            "id": minter.parse(&row.region).map(|(_, id)| id),
            "name": { "sv": row.name.best("sv"), "en": row.name.best("en") },
            "delivered": row.delivered(),
            "cells": row.cells.iter().zip(&matrix.periods).map(|(c, p)| c.as_ref().map(|c| json!({
                "period": p,
                "rows": c.report.rows,
                "header_only": c.report.header_only,
                "required": c.required,
                "required_present": c.required_present,
                "filled_share": c.filled_share,
                "valid_share": c.valid_share,
                "errors": c.report.errors,
                "warnings": c.report.warnings,
                "problems": c.problems,
                "columns": c.report.columns,
                "submitted": c.report.time.to_rfc3339(),
            }))).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "totals": {
            "regions": e.regions, "regions_delivering": e.regions_delivering, "deliveries": e.deliveries,
            "complete": e.complete, "required_cells": e.required_cells, "required_filled": e.required_filled,
            "filled": e.filled, "invalid": e.invalid,
        },
    })
}

/// `GET /api/v1/datainsamling/{id}/leveranser`: the matrix as JSON.
pub(super) async fn api_get(state: web::Data<AppState>, services: web::Data<Services>, path: web::Path<String>) -> HttpResponse {
    let labels = services.labels.clone();
    match blocking(move || labels.deliveries(&path.into_inner())).await {
        Ok(Ok(Some((_, _, matrix)))) => HttpResponse::Ok().json(matrix_json(&matrix, state.catalogue.minter())),
        Ok(Ok(None)) => {
            problem(StatusCode::NOT_FOUND, "Not Found", "There is no such data collection.", "Datainsamlingen finns inte.", None)
        }
        Ok(Err(e)) => problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", &e.to_string(), &e.to_string(), None),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", &e, &e, None),
    }
}

/// `POST /api/v1/datainsamling/{id}/leveranser`: a region's report ([`Submitted`] as JSON);
/// 201 with the report as stored.
pub(super) async fn api_post(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    let actor = match bearer(&req, &state) {
        Ok(a) => a,
        Err(res) => return *res,
    };
    let body = match read_body(&req, &ctx, payload, MAX_REPORT).await {
        Ok(b) => b,
        Err(_) => {
            return problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Payload Too Large",
                "The report is larger than 1 MB.",
                "Rapporten är större än 1 MB.",
                None,
            );
        }
    };
    let submitted: Submitted = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => {
            let at = format!("line {}, column {}", e.line(), e.column());
            return problem(
                StatusCode::BAD_REQUEST,
                "Bad Request",
                &format!("The report is not a delivery report ({at}): {e}"),
                &format!("Rapporten är ingen leveransrapport (rad {}, kolumn {}): {e}", e.line(), e.column()),
                None,
            );
        }
    };
    let labels = services.labels.clone();
    let id = path.into_inner();
    match blocking(move || labels.submit_delivery(&actor, &id, &submitted)).await {
        Ok(Ok(report)) => HttpResponse::Created().json(report),
        Ok(Err(e)) => match &e {
            LabelError::NotFound => {
                problem(StatusCode::NOT_FOUND, "Not Found", "There is no such data collection.", "Datainsamlingen finns inte.", None)
            }
            LabelError::Forbidden { sv, en } => problem(StatusCode::FORBIDDEN, "Forbidden", en, sv, None),
            LabelError::Invalid { field, sv, en } => problem(StatusCode::BAD_REQUEST, "Bad Request", en, sv, Some(field)),
            other => problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", &other.to_string(), &other.to_string(), None),
        },
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", &e, &e, None),
    }
}

/// The regions a signed-in person may save a delivery report for, as (id, name) pairs.
pub(super) async fn regions_for(state: &AppState, ctx: &Ctx) -> Vec<(String, String)> {
    let Some(actor) = ctx.account.clone() else { return Vec::new() };
    let labels = state.labels.clone();
    let minter = state.catalogue.minter().clone();
    let lang = ctx.lang_code();
    blocking(move || labels.regions_of(&actor))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default()
        .into_iter()
        .map(|(iri, name)| (minter.parse(&iri).map_or(iri.clone(), |(_, id)| id), name.best(lang).to_owned()))
        .collect()
}

/// Saves a header check as a region's delivery report (from `/kontroll/leverans`); the
/// message to show.
pub(super) async fn save_header_report(
    state: &AppState,
    ctx: &Ctx,
    collection: &str,
    report: &crate::validate::extract::Report,
    region: &str,
    period: &str,
) -> Result<String, String> {
    let en = ctx.en();
    let Some(actor) = ctx.account.clone() else {
        return Err(if en { "Sign in to save the report." } else { "Logga in för att spara rapporten." }.to_owned());
    };
    let submitted = Submitted::from_header(report, region, period);
    let (labels, id) = (state.labels.clone(), collection.to_owned());
    match blocking(move || labels.submit_delivery(&actor, &id, &submitted)).await {
        Ok(Ok(_)) => Ok(texts(ctx.lang).report_saved.to_owned()),
        Ok(Err(e)) => Err(e.message(en)),
        Err(e) => Err(e),
    }
}
