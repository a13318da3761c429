//! Data collections for regions: what a delivery must hold (`/datainsamling`, one page per
//! collection with its Table Schema and CSVW metadata), and a check of a delivery's header row
//! (`/kontroll/leverans`). The header is read from the request and answered; it is neither
//! stored nor logged, unless a region's account chooses to save the result as its delivery
//! report (which columns were there; `web::deliveries`).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::PageError;
use super::kernel::form::{FormData, FormError};
use super::kernel::guard::read;
use super::views::Chrome;
use crate::config::Lang;
use crate::model::RequirementLevel;
use crate::model::record::RecordKind;
use crate::validate::collection::{CollectionSpec, collections};
use crate::validate::extract::{Finding, Severity, header_report};

/// One collection in the list.
pub struct CollectionLink {
    pub id: String,
    pub title: String,
    pub required: usize,
    pub conditional: usize,
    pub optional: usize,
}

#[derive(Template)]
#[template(path = "collections.html")]
pub struct CollectionsPage {
    pub chrome: Chrome,
    pub collections: Vec<CollectionLink>,
}

/// One column on a collection's page.
pub struct ColumnRow {
    pub name: String,
    pub label: String,
    pub href: Option<String>,
    pub level: &'static str,
    pub condition: String,
    pub value_type: &'static str,
    pub codes: String,
}

#[derive(Template)]
#[template(path = "collection.html")]
pub struct CollectionPage {
    pub chrome: Chrome,
    pub id: String,
    pub dataset_href: Option<String>,
    pub columns: Vec<ColumnRow>,
    pub header_line: String,
    pub lw: &'static super::kernel::words::label::LabelTexts,
}

/// Findings shown on the delivery-check page.
pub struct FindingRow {
    pub severity: &'static str,
    pub error: bool,
    pub message: String,
}

#[derive(Template)]
#[template(path = "delivery.html")]
pub struct DeliveryPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub collections: Vec<(String, String, bool)>,
    pub pasted: String,
    pub checked: bool,
    pub passed: bool,
    pub columns: usize,
    pub findings: Vec<FindingRow>,
    pub problem: Option<String>,
    pub command: String,
    /// The regions the signed-in person may save a report for: (id, name, chosen).
    pub regions: Vec<(String, String, bool)>,
    pub period: String,
    /// The outcome of saving the result as a delivery report.
    pub saved: Option<String>,
    pub lw: &'static super::kernel::words::label::LabelTexts,
}

fn level_label(level: RequirementLevel, lang: Lang) -> &'static str {
    level.label(lang.code())
}

async fn load_all(ctx: &Ctx, state: &web::Data<AppState>) -> Result<Vec<CollectionSpec>, PageError> {
    read(ctx, state, |cat| {
        let mut out = Vec::new();
        for c in collections(cat)? {
            if let Some(spec) = CollectionSpec::from_catalogue(cat, &c)? {
                out.push(spec);
            }
        }
        Ok(out)
    })
    .await
}

/// One collection by id; 404 when there is none.
async fn load_one(ctx: &Ctx, state: &web::Data<AppState>, id: &str) -> Result<CollectionSpec, PageError> {
    let iri = state.catalogue.minter().record(RecordKind::Dataset, id).map_err(|_| ctx.not_found(None))?;
    read(ctx, state, move |cat| CollectionSpec::from_catalogue(cat, &iri)).await?.ok_or_else(|| ctx.not_found(None))
}

pub(super) async fn list(ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let specs = load_all(&ctx, &state).await?;
    let count = |s: &CollectionSpec, l: RequirementLevel| s.columns.iter().filter(|c| c.level == l).count();
    let collections = specs
        .iter()
        .map(|s| CollectionLink {
            id: s.id.clone(),
            title: s.title.best(ctx.lang.code()).to_owned(),
            required: count(s, RequirementLevel::Required),
            conditional: count(s, RequirementLevel::Conditional),
            optional: count(s, RequirementLevel::Optional),
        })
        .collect();
    let title = if ctx.lang == Lang::En { "Data collections" } else { "Datainsamlingar" };
    let page = CollectionsPage { chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, "collections"), collections };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

pub(super) async fn page(ctx: Ctx, state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let spec = load_one(&ctx, &state, &path).await?;
    let lang = ctx.lang;
    let minter = state.catalogue.minter();
    let columns = spec
        .columns
        .iter()
        .map(|c| ColumnRow {
            name: c.name.clone(),
            label: c.title.best(lang.code()).to_owned(),
            href: (!c.variable.is_empty()).then(|| minter.path(&c.variable)),
            level: level_label(c.level, lang),
            condition: c.condition.best(lang.code()).to_owned(),
            value_type: c.value_type.expected(lang.code()),
            codes: c.codes.as_ref().map(|codes| codes.iter().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default(),
        })
        .collect();
    let header_line =
        spec.columns.iter().filter(|c| c.level != RequirementLevel::Optional).map(|c| c.name.as_str()).collect::<Vec<_>>().join(";");
    let title = spec.title.best(lang.code()).to_owned();
    let page = CollectionPage {
        chrome: Chrome::new(lang, title, &ctx.path_and_query, "collections"),
        id: spec.id.clone(),
        dataset_href: (!spec.iri.is_empty()).then(|| minter.path(&spec.iri)),
        columns,
        header_line,
        lw: super::kernel::words::label::texts(lang),
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `/datainsamling/{id}/tableschema.json` and `/datainsamling/{id}/csvw-metadata.json`.
pub(super) async fn schema(ctx: Ctx, state: web::Data<AppState>, path: web::Path<(String, String)>) -> Result<HttpResponse, PageError> {
    let (id, file) = path.into_inner();
    let spec = load_one(&ctx, &state, &id).await?;
    let (body, content_type) = match file.as_str() {
        "tableschema.json" => (spec.to_table_schema(), "application/json"),
        "csvw-metadata.json" => (spec.to_csvw(&format!("{id}.csv")), "application/csvm+json"),
        _ => return Err(ctx.not_found(None)),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{id}-{file}\"")))
        .body(serde_json::to_string_pretty(&body).unwrap_or_default()))
}

fn delivery_page(ctx: &Ctx, specs: &[CollectionSpec], chosen: &str) -> DeliveryPage {
    let lang = ctx.lang;
    let title = if lang == Lang::En { "Check a delivery" } else { "Kontrollera en leverans" };
    DeliveryPage {
        chrome: Chrome::new(lang, title, &ctx.path_and_query, "collections"),
        csrf: ctx.csrf.clone(),
        collections: specs.iter().map(|s| (s.id.clone(), s.title.best(lang.code()).to_owned(), s.id == chosen)).collect(),
        pasted: String::new(),
        checked: false,
        passed: false,
        columns: 0,
        findings: Vec::new(),
        problem: None,
        command: format!("vardkatalog check-extract --collection {} leverans.csv", if chosen.is_empty() { "ID" } else { chosen }),
        regions: Vec::new(),
        period: String::new(),
        saved: None,
        lw: super::kernel::words::label::texts(lang),
    }
}

pub(super) async fn delivery_form(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let specs = load_all(&ctx, &state).await?;
    let chosen = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("datainsamling").cloned())
        .unwrap_or_default();
    let mut page = delivery_page(&ctx, &specs, &chosen);
    page.regions = super::deliveries::regions_for(&state, &ctx).await.into_iter().map(|(id, name)| (id, name, false)).collect();
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// The fields of the delivery form, from a URL-encoded or multipart body.
struct DeliveryForm {
    csrf: String,
    collection: String,
    header_text: String,
    /// Save the result as the region's delivery report (`spara=ja`, with `region` and `period`).
    save: bool,
    region: String,
    period: String,
}

/// At most this much of a form is read: a header row, not a delivery.
const MAX_FORM_BYTES: usize = 256 * 1024;

fn parse_form(content_type: &str, body: &[u8]) -> Result<DeliveryForm, FormError> {
    let data = FormData::parse(content_type, body)?;
    // only the first line of a pasted text or an uploaded file is read: the header row
    let first_line = |bytes: &[u8]| -> String {
        let end = bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len());
        let line = &bytes[..end];
        match std::str::from_utf8(line) {
            Ok(s) => s.trim_start_matches('\u{feff}').trim_end_matches('\r').to_owned(),
            Err(_) => encoding_rs::WINDOWS_1252.decode(line).0.trim_end_matches('\r').to_owned(),
        }
    };
    let header_text = match data.file("fil") {
        Some(file) => first_line(&file.data),
        None => first_line(data.value("rubrikrad").as_bytes()),
    };
    Ok(DeliveryForm {
        csrf: data.value("csrf"),
        collection: data.value("datainsamling"),
        header_text,
        save: data.value("spara") == "ja",
        region: data.value("region"),
        period: data.value("period"),
    })
}

/// Splits a header row on the delimiter it most likely uses.
fn split_header(line: &str) -> Vec<String> {
    let delimiter = [';', ',', '\t', '|'].into_iter().max_by_key(|d| line.matches(*d).count()).unwrap_or(';');
    line.split(delimiter).map(|h| h.trim().trim_matches('"').to_owned()).collect()
}

pub(super) async fn delivery_check(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let en = ctx.lang == Lang::En;
    if body.len() > MAX_FORM_BYTES {
        return Ok(HttpResponse::PayloadTooLarge().content_type("text/plain; charset=utf-8").body(if en {
            "Send the header row only (at most 256 KB): the full file is checked on your own machine."
        } else {
            "Skicka bara rubrikraden (högst 256 kB): hela filen kontrolleras på din egen dator."
        }));
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
    let form = match parse_form(&content_type, &body) {
        Ok(f) => f,
        Err(e) => return Ok(HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(e.to_string())),
    };
    if !ctx.csrf_ok(&req, &form.csrf) {
        return Ok(HttpResponse::Forbidden().content_type("text/plain; charset=utf-8").body(if en {
            "The form had expired or came from another site. Reload the page and try again."
        } else {
            "Formuläret var för gammalt eller kom från en annan webbplats. Ladda om sidan och försök igen."
        }));
    }
    let specs = load_all(&ctx, &state).await?;
    let mut page = delivery_page(&ctx, &specs, &form.collection);
    page.pasted = form.header_text.clone();
    page.period = form.period.clone();
    page.regions = super::deliveries::regions_for(&state, &ctx)
        .await
        .into_iter()
        .map(|(id, name)| {
            let chosen = id == form.region;
            (id, name, chosen)
        })
        .collect();
    let Some(spec) = specs.iter().find(|s| s.id == form.collection) else {
        page.problem = Some(if en { "Choose a data collection.".into() } else { "Välj en datainsamling.".into() });
        return Ok(ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()));
    };
    let header = split_header(&form.header_text);
    if form.header_text.trim().is_empty() {
        page.problem =
            Some(if en { "Paste the header row or choose a file.".into() } else { "Klistra in rubrikraden eller välj en fil.".into() });
        return Ok(ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()));
    }
    let report = header_report(spec, &header, ctx.lang.code());
    if form.save {
        page.saved = Some(match super::deliveries::save_header_report(&state, &ctx, &spec.id, &report, &form.region, &form.period).await {
            Ok(m) => m,
            Err(m) => {
                page.problem = Some(m);
                page.checked = true;
                page.columns = header.len();
                return Ok(ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()));
            }
        });
    }
    let findings: Vec<Finding> = report.findings;
    page.checked = true;
    page.columns = header.len();
    page.passed = findings.iter().all(|f| f.severity != Severity::Error);
    page.findings = findings
        .into_iter()
        .map(|f| FindingRow {
            severity: match (f.severity, en) {
                (Severity::Error, true) => "Error",
                (Severity::Error, false) => "Fel",
                (Severity::Warning, true) => "Warning",
                (Severity::Warning, false) => "Varning",
            },
            error: f.severity == Severity::Error,
            message: f.message,
        })
        .collect();
    Ok(ctx.respond(StatusCode::OK, page.render()))
}
