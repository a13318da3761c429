//! The EHDS readiness view (`/kvalitet/ehds`, `/kvalitet/ehds.csv`, `/api/v1/ehds`): every public
//! dataset against the minimum dataset-description elements of Implementing Regulation
//! (EU) 2026/2098 (present, derivable, missing), filtered by publisher and region; and the lines
//! of the same elements on a dataset's quality page. The judgement is `validate::ehds`'s.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::PageError;
use super::kernel::guard::read;
use super::kernel::page::Chrome;
use super::kernel::paths;
use crate::config::Lang;
use crate::model::record::RecordKind;
use crate::validate::ehds::{self, ELEMENTS, Readiness, Row};

/// The filters of the view: agent IRIs, empty for all.
#[derive(Deserialize, Default)]
pub struct Filters {
    #[serde(default)]
    pub utgivare: String,
    #[serde(default)]
    pub region: String,
}

impl Filters {
    fn publisher(&self) -> Option<&str> {
        Some(self.utgivare.trim()).filter(|s| !s.is_empty())
    }
    fn region(&self) -> Option<&str> {
        Some(self.region.trim()).filter(|s| !s.is_empty())
    }
    fn query(&self) -> String {
        serde_urlencoded::to_string([("utgivare", self.utgivare.trim()), ("region", self.region.trim())]).unwrap_or_default()
    }
}

/// One cell of the table.
pub struct Cell {
    pub class: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
    pub why: Option<&'static str>,
}

pub struct TableRow {
    pub title: String,
    pub href: String,
    pub access: String,
    pub cells: Vec<Cell>,
    pub missing: usize,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "quality_ehds.html")]
pub struct ReadinessPage {
    pub chrome: Chrome,
    pub headers: Vec<(&'static str, &'static str, String)>,
    pub rows: Vec<TableRow>,
    pub publishers: Vec<Opt>,
    pub regions: Vec<Opt>,
    pub csv_href: String,
    pub json_href: String,
    pub ready: usize,
    pub total: usize,
}

fn cell(s: &ehds::Status, en: bool) -> Cell {
    let (class, symbol) = match s.id() {
        "present" => ("ok", "✓"),
        "derivable" => ("derivable", "~"),
        "missing" => ("fail", "✗"),
        _ => ("na", "–"),
    };
    Cell { class, symbol, label: s.label(en), why: s.why(en) }
}

fn dataset_href(minter: &crate::model::Minter, row: &Row) -> String {
    match minter.parse(row.iri.as_str()) {
        Some((RecordKind::Dataset, id)) => format!("/kvalitet/dataset/{id}#ehds"),
        _ => format!("/resurs?{}", serde_urlencoded::to_string([("iri", row.iri.as_str())]).unwrap_or_default()),
    }
}

fn options(list: &[(oxigraph::model::NamedNode, crate::model::LangText)], chosen: Option<&str>, lang: Lang) -> Vec<Opt> {
    list.iter()
        .map(|(iri, name)| Opt {
            value: iri.as_str().to_owned(),
            label: name.best(lang.code()).to_owned(),
            selected: chosen == Some(iri.as_str()),
        })
        .collect()
}

async fn readiness(ctx: &Ctx, state: &web::Data<AppState>) -> Result<Readiness, PageError> {
    read(ctx, state, ehds::readiness).await
}

pub(super) async fn page(ctx: Ctx, state: web::Data<AppState>, filters: web::Query<Filters>) -> Result<HttpResponse, PageError> {
    let en = ctx.lang == Lang::En;
    let r = readiness(&ctx, &state).await?;
    let rows = r.filtered(filters.publisher(), filters.region());
    let minter = state.catalogue.minter();
    let table: Vec<TableRow> = rows
        .iter()
        .map(|row| TableRow {
            title: row.title.best(ctx.lang.code()).to_owned(),
            href: dataset_href(minter, row),
            access: row.access_rights.clone().unwrap_or_else(|| "–".into()),
            cells: row.statuses.iter().map(|(_, s)| cell(s, en)).collect(),
            missing: row.count("missing"),
        })
        .collect();
    let query = filters.query();
    let page = ReadinessPage {
        chrome: Chrome::new(ctx.lang, if en { "EHDS readiness" } else { "EHDS-beredskap" }, &ctx.path_and_query, ""),
        headers: ELEMENTS.iter().map(|e| (e.id, e.name(en), format!("{} – {}", e.property, e.reference(en)))).collect(),
        ready: rows.iter().filter(|r| r.ready()).count(),
        total: rows.len(),
        rows: table,
        publishers: options(&r.publishers, filters.publisher(), ctx.lang),
        regions: options(&r.regions, filters.region(), ctx.lang),
        csv_href: format!("{}?{query}", paths::EHDS_CSV),
        json_href: format!("{}?{query}", paths::EHDS_API),
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

pub(super) async fn csv(ctx: Ctx, state: web::Data<AppState>, filters: web::Query<Filters>) -> Result<HttpResponse, PageError> {
    let en = ctx.lang == Lang::En;
    let r = readiness(&ctx, &state).await?;
    let rows = r.filtered(filters.publisher(), filters.region());
    let mut lines = ehds::csv_rows(&rows, en);
    let header: Vec<String> = lines.remove(0);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let bytes = crate::ingest::csv_cells::write(b',', true, &header, lines).map_err(|e| ctx.fail(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"ehds-beredskap.csv\""))
        .body(bytes))
}

/// `GET /api/v1/ehds`.
#[utoipa::path(get, path = "/api/v1/ehds", tag = "quality", operation_id = "ehds_readiness",
    summary = "EHDS-beredskap / EHDS readiness",
    description = "Varje publicerad datamängd mot minimielementen i genomförandeförordning (EU) 2026/2098 (bilaga del B): finns, kan härledas eller saknas. / Every published dataset against the minimum elements of Implementing Regulation (EU) 2026/2098 (Annex Part B): present, derivable or missing.",
    params(
        ("utgivare" = Option<String>, Query, description = "Utgivarens IRI / The publisher's IRI"),
        ("region" = Option<String>, Query, description = "Regionens IRI / The region's IRI"),
    ),
    responses(
        (status = 200, description = "Tabellen / The table", body = Object),
        (status = 500, description = "Tabellen kunde inte tas fram / The table could not be made", body = super::api::schema::PlainError),
    ))]
pub(super) async fn api(state: web::Data<AppState>, filters: web::Query<Filters>) -> HttpResponse {
    let cat = state.catalogue.clone();
    match web::block(move || ehds::readiness(&cat)).await.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string())) {
        Ok(r) => HttpResponse::Ok().json(ehds::to_json(&r.filtered(filters.publisher(), filters.region()))),
        Err(e) => HttpResponse::InternalServerError().json(serde_json::json!({ "error": e })),
    }
}

/// One element's line on a dataset's quality page.
pub struct ElementLine {
    pub name: &'static str,
    pub property: &'static str,
    pub status: Cell,
    pub reference: String,
    pub obligation: &'static str,
    pub help: &'static str,
}

/// The lines of a dataset's quality page (`None` when the dataset is not public or the view
/// cannot be had: the page is shown without them).
pub(super) async fn dataset_lines(state: &web::Data<AppState>, iri: oxigraph::model::NamedNode, lang: Lang) -> Option<Vec<ElementLine>> {
    let en = lang == Lang::En;
    let cat = state.catalogue.clone();
    let row = web::block(move || ehds::dataset_readiness(&cat, &iri)).await.ok()?.ok()??;
    Some(
        row.statuses
            .iter()
            .map(|(e, s)| ElementLine {
                name: e.name(en),
                property: e.property,
                status: cell(s, en),
                reference: e.reference(en),
                obligation: e.obligation.label(en),
                help: e.help(en),
            })
            .collect(),
    )
}
