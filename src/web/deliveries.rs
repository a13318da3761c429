//! Delivery evidence: a data collection's region × period matrix (`/datainsamling/{id}/leveranser`:
//! a heat map in SVG drawn on the server, the table, one region's trend with `?region=`, and the
//! CSV at `…/leveranser.csv`), and the JSON API a region's `check-extract --submit` posts to
//! (`/api/v1/datainsamling/{id}/leveranser`; GET answers the matrix). The reports and the
//! matrix are the label service's (`crate::label`); reports hold counts, never values.
//!
//! Who may post: an account that is a member of the region (`state::members`; any role,
//! administrators for every region), with one of its API tokens (`Authorization: Bearer
//! vk1_…`, `accounts::tokens`), checked as every `/api/v1` write is (`web::api::token_caller`):
//! no, an unknown, expired or revoked token is 401 with `WWW-Authenticate`, before the body is
//! read; a region the account is not a member of is 403. A session cookie or session token is
//! never taken (so no cross-site form can post a report). Answers are problem+json in the
//! request's language, a refused field named by its JSON Pointer.

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

/// A problem document (RFC 9457) in the request's language, as the rest of `/api/v1` answers.
fn problem(ctx: &Ctx, status: StatusCode, sv: &str, en: &str, pointer: Option<String>) -> HttpResponse {
    let detail = if ctx.en() { en } else { sv }.to_owned();
    let errors = pointer.map(|p| vec![json!({ "pointer": p, "detail": detail })]).unwrap_or_default();
    super::api::problem(ctx.lang, status, detail, errors)
}

fn internal(ctx: &Ctx, e: &str) -> HttpResponse {
    tracing::error!(error = %e, "delivery api failed");
    problem(ctx, StatusCode::INTERNAL_SERVER_ERROR, e, e, None)
}

/// `GET /api/v1/datainsamling/{id}/leveranser`: the matrix as JSON.
#[utoipa::path(get, path = "/api/v1/datainsamling/{id}/leveranser", tag = "quality", operation_id = "deliveries_get",
    summary = "En datainsamlings leveranser / A data collection's deliveries",
    description = "Matrisen region × period: för varje region (även de som aldrig levererat) och period den senaste rapportens antal (obligatoriska kolumner, ifyllda och giltiga andelar, feltyper), aldrig värden. / The region × period matrix: for every region (those that never delivered too) and period the latest report's counts (required columns, filled and valid shares, error types), never values.",
    params(("id" = String, Path, description = "Datainsamlingens id / The data collection's id")),
    responses(
        (status = 200, description = "Matrisen / The matrix", body = Object),
        (status = 404, description = "Ingen sådan datainsamling / No such data collection", body = super::api::schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub(super) async fn api_get(ctx: Ctx, state: web::Data<AppState>, services: web::Data<Services>, path: web::Path<String>) -> HttpResponse {
    let labels = services.labels.clone();
    match blocking(move || labels.deliveries(&path.into_inner())).await {
        Ok(Ok(Some((_, _, matrix)))) => HttpResponse::Ok().json(matrix_json(&matrix, state.catalogue.minter())),
        Ok(Ok(None)) => problem(&ctx, StatusCode::NOT_FOUND, "Datainsamlingen finns inte.", "There is no such data collection.", None),
        Ok(Err(e)) => internal(&ctx, &e.to_string()),
        Err(e) => internal(&ctx, &e),
    }
}

/// Where a refused field of a report is in the JSON sent (`region`, `period`, `columns[NAME]`).
fn pointer_of(field: &str, s: &Submitted) -> String {
    match field.strip_prefix("columns[").and_then(|f| f.strip_suffix(']')) {
        Some(name) => match s.columns.iter().position(|c| c.name == name) {
            Some(i) => format!("/columns/{i}"),
            None => "/columns".to_owned(),
        },
        None => format!("/{field}"),
    }
}

/// `POST /api/v1/datainsamling/{id}/leveranser`: a region's report ([`Submitted`] as JSON);
/// 201 with the report as stored.
#[utoipa::path(post, path = "/api/v1/datainsamling/{id}/leveranser", tag = "quality", operation_id = "deliveries_post",
    summary = "Skicka en leveransrapport / Send a delivery report",
    description = "En regions rapport från vardkatalog check-extract --submit: antal per kolumn (rader, ifyllda, ogiltiga per feltyp), aldrig värden. Tokenets konto ska höra till regionen (alla roller; administratörer för alla regioner). Antalen kontrolleras innan något sparas. / A region's report from vardkatalog check-extract --submit: counts per column (rows, filled, invalid by error type), never values. The token's account must be a member of the region (any role; administrators for every region). The counts are checked before anything is stored.",
    params(("id" = String, Path, description = "Datainsamlingens id / The data collection's id")),
    request_body(content = Object, content_type = "application/json", description = "region, period (ÅÅÅÅ eller ÅÅÅÅ-MM / YYYY or YYYY-MM), rows, columns [{name, present, filled, invalid, problems}], errors, warnings, passed"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Sparad; rapporten som den lagrats / Stored; the report as kept", body = Object),
        (status = 400, description = "Ingen leveransrapport, eller ett fält som inte går ihop (errors) / Not a delivery report, or a field that does not add up (errors)", body = super::api::schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "Ingen eller ogiltig token / No or invalid token", body = super::api::schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "Kontot hör inte till regionen / The account is not a member of the region", body = super::api::schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "Ingen sådan datainsamling / No such data collection", body = super::api::schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "Större än 1 MB / Larger than 1 MB", body = super::api::schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub(super) async fn api_post(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    // the token first, before the body is read (as every /api/v1 write)
    let (actor, token_id) = match super::api::token_caller(&req, &state, ctx.lang, crate::accounts::Role::Redaktor).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let body = match read_body(&req, &ctx, payload, MAX_REPORT).await {
        Ok(b) => b,
        Err(_) => {
            return problem(&ctx, StatusCode::PAYLOAD_TOO_LARGE, "Rapporten är större än 1 MB.", "The report is larger than 1 MB.", None);
        }
    };
    let submitted: Submitted = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => {
            return problem(
                &ctx,
                StatusCode::BAD_REQUEST,
                &format!("Rapporten är ingen leveransrapport (rad {}, kolumn {}): {e}", e.line(), e.column()),
                &format!("The report is not a delivery report (line {}, column {}): {e}", e.line(), e.column()),
                Some(String::new()),
            );
        }
    };
    let labels = services.labels.clone();
    let id = path.into_inner();
    let sent = submitted.clone();
    match blocking(move || labels.submit_delivery_via(&actor, &id, &submitted, Some(&token_id))).await {
        Ok(Ok(report)) => HttpResponse::Created().json(report),
        Ok(Err(e)) => match &e {
            LabelError::NotFound => {
                problem(&ctx, StatusCode::NOT_FOUND, "Datainsamlingen finns inte.", "There is no such data collection.", None)
            }
            LabelError::Forbidden { sv, en } => problem(&ctx, StatusCode::FORBIDDEN, sv, en, None),
            LabelError::Invalid { field, sv, en } => problem(&ctx, StatusCode::BAD_REQUEST, sv, en, Some(pointer_of(field, &sent))),
            other => internal(&ctx, &other.to_string()),
        },
        Err(e) => internal(&ctx, &e),
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

/// Saves a check made on `/kontroll/leverans` as a region's delivery report (its counts per
/// column, never a value); the message to show.
pub(super) async fn save_report(
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
    let submitted = Submitted::from_report(report, region, period);
    let (labels, id) = (state.labels.clone(), collection.to_owned());
    match blocking(move || labels.submit_delivery(&actor, &id, &submitted)).await {
        Ok(Ok(_)) => Ok(texts(ctx.lang).report_saved.to_owned()),
        Ok(Err(e)) => Err(e.message(en)),
        Err(e) => Err(e),
    }
}
