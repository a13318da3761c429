//! HTTP of bulk import and export: a dataset's variables and code lists as XLSX (the register
//! metadata workbook layout) or CSV (its variable sheet) at `/dataset/{id}/variabler.{xlsx,csv}`.
//! The work is `ingest`'s.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::PageError;
use super::kernel::guard::{Submission, authorised_form, curate, read, require};
use super::kernel::paths;
use super::kernel::words::import as w;
use crate::ingest::export;
use crate::model::record::RecordKind;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `/dataset/{id}/variabler.{xlsx,csv}`.
pub(super) async fn export_dataset(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, ext) = path.into_inner();
    let not_found = || ctx.not_found(Some(RecordKind::Dataset));
    let iri = state.catalogue.minter().record(RecordKind::Dataset, &id).map_err(|_| not_found())?;
    let xlsx = ext == "xlsx";
    let found = read(&ctx, &state, move |cat| {
        let Some(e) = export::collect(cat, &iri)? else { return Ok(None) };
        Ok(Some((e.stem(), if xlsx { e.to_xlsx() } else { e.to_csv() })))
    })
    .await?;
    let (stem, bytes) = found.ok_or_else(not_found)?;
    let bytes = bytes.map_err(|e| ctx.fail(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type(if xlsx { XLSX } else { "text/csv; charset=utf-8" })
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}-variabler.{ext}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

// ---- import: upload → preview → confirm ---------------------------------------------------

use actix_web::http::StatusCode;
use askama::Template;

use super::views::Chrome;
use super::views::work::{BulkForm, WorkItem};
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::imports::{Confirmed, Planned, StagedFile};
use crate::ingest::ImportPlan;

/// Largest upload accepted (a register workbook is well under this).
pub const MAX_UPLOAD: usize = 25 * 1024 * 1024;

/// One row of a preview table.
pub struct PreviewRow {
    pub kind: String,
    pub label: String,
    pub href: Option<String>,
    pub place: String,
    pub fields: String,
}

/// One problem, with where it is.
pub struct PreviewProblem {
    pub error: bool,
    pub location: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub dataset: String,
    pub id_prefix: String,
    pub mapping: String,
    pub problem: Option<String>,
    pub done: Option<String>,
    pub preview: Option<Preview>,
    /// After a confirmation: the drafts the import saved, to send on in one step.
    pub imported: Vec<WorkItem>,
    pub bulk: BulkForm,
    pub guide: &'static str,
    pub template: &'static str,
}

/// What the preview shows.
pub struct Preview {
    pub filename: String,
    pub summary: String,
    pub problems: Vec<PreviewProblem>,
    pub errors: usize,
    pub create: Vec<PreviewRow>,
    pub change: Vec<PreviewRow>,
    pub unchanged: Vec<PreviewRow>,
    /// Set when the import can be confirmed.
    pub token: Option<String>,
    pub fingerprint: String,
}

fn title(lang: Lang) -> &'static str {
    if lang == Lang::En { "Import variables" } else { "Importera variabler" }
}

fn page(ctx: &Ctx) -> ImportPage {
    ImportPage {
        imported: Vec::new(),
        bulk: BulkForm::new(ctx.lang, &ctx.csrf, ctx.may(Role::Granskare)),
        guide: paths::IMPORT_GUIDE,
        template: paths::IMPORT_TEMPLATE,
        chrome: Chrome::new(ctx.lang, title(ctx.lang), &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        dataset: String::new(),
        id_prefix: String::new(),
        mapping: String::new(),
        problem: None,
        done: None,
        preview: None,
    }
}

#[derive(serde::Deserialize)]
pub struct DoneQuery {
    klart: Option<usize>,
    fran: Option<u64>,
    till: Option<u64>,
}

/// `GET /import`: the upload form.
pub(super) async fn import_form(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let mut p = page(&ctx);
    p.done = query.klart.map(|n| w::saved(ctx.lang, n));
    if let (Some(from), Some(to)) = (query.fran, query.till) {
        let drafts = curate(&ctx, &state, move |c| c.imported_drafts(&actor, from, to)).await?.map_err(|e| ctx.fail(e))?;
        p.imported = drafts
            .iter()
            .enumerate()
            .map(|(n, (iri, d))| WorkItem { checked: true, ..WorkItem::new(state.catalogue.minter(), n, iri, d, ctx.lang) })
            .collect();
    }
    Ok(ctx.respond(StatusCode::OK, p.render()))
}

fn preview_of(cat: &crate::catalog::Catalogue, plan: &ImportPlan, filename: &str, lang: Lang) -> Preview {
    let code = lang.code();
    let row = |e: &crate::ingest::PlanEntry| PreviewRow {
        kind: e.kind.label(code).to_owned(),
        label: {
            let l = e.resource.label().best(code);
            let id = crate::ingest::export::short_id(cat, &e.iri);
            if l.is_empty() { id } else { format!("{l} ({id})") }
        },
        href: cat.minter().parse(e.iri.as_str()).map(|_| cat.minter().path(e.iri.as_str())),
        place: match e.row {
            Some(r) => format!("{}, {} {r}", e.sheet, if lang == Lang::En { "row" } else { "rad" }),
            None => e.sheet.clone(),
        },
        fields: e.changed.iter().map(|f| f.label(code)).collect::<Vec<_>>().join(", "),
    };
    let mut problems: Vec<PreviewProblem> = plan
        .problems
        .iter()
        .map(|p| PreviewProblem { error: p.is_error(), location: p.location(code), message: p.message(code).to_owned() })
        .collect();
    problems.sort_by_key(|p| !p.error);
    Preview {
        filename: filename.to_owned(),
        summary: plan.summary(code),
        errors: plan.problems.iter().filter(|p| p.is_error()).count(),
        problems,
        create: plan.create.iter().map(row).collect(),
        change: plan.change.iter().map(row).collect(),
        unchanged: plan.unchanged.iter().map(row).collect(),
        token: None,
        fingerprint: plan.fingerprint(),
    }
}

/// `POST /import` (multipart): reads the file and shows the preview. Nothing is written to
/// the catalogue; a file without errors is kept (for its sender, an hour) until confirmed.
pub(super) async fn import_preview(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, MAX_UPLOAD).await?;
    let lang = ctx.lang;
    let mut p = page(&ctx);
    p.dataset = form.value("datamangd").trim().to_owned();
    p.id_prefix = form.value("prefix").trim().to_owned();
    p.mapping = form.value("mappning").trim().to_owned();
    let Some(file) = form.file("fil").filter(|f| !f.data.is_empty()) else {
        p.problem = Some(w::CHOOSE_FILE.get(lang).into());
        return Ok(ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render()));
    };
    let filename = file.filename.clone().unwrap_or_default();
    if crate::ingest::FileKind::of(&filename).is_none() {
        p.problem = Some(w::wrong_file(lang, &filename));
        return Ok(ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render()));
    }
    let blank = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let upload = StagedFile {
        user: actor.user.clone(),
        filename: filename.clone(),
        dataset: blank(&p.dataset),
        id_prefix: blank(&p.id_prefix),
        mapping: blank(&p.mapping),
        created: chrono::Utc::now(),
        bytes: file.data.clone(),
    };
    let cat = state.catalogue.clone();
    let planned = curate(&ctx, &state, move |c| c.preview_import(&actor, &upload, lang.code())).await?.map_err(|e| ctx.fail(e))?;
    let status = match planned {
        Planned::Unreadable(reason) => {
            p.problem = Some(reason);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Planned::Plan { plan, token } => {
            let mut preview = preview_of(&cat, &plan, &filename, lang);
            preview.token = token;
            let status = if preview.errors > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            p.preview = Some(preview);
            status
        }
    };
    Ok(ctx.respond(status, p.render()))
}

/// `POST /import/bekrafta`: saves a previewed upload as drafts, all or nothing, when the plan
/// made now is the one that was previewed (same records, same content).
pub(super) async fn import_confirm(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, 64 * 1024).await?;
    let lang = ctx.lang;
    let (token, fingerprint, message) = (form.value("token"), form.value("fingeravtryck"), form.value("meddelande"));
    let cat = state.catalogue.clone();
    let confirmed = curate(&ctx, &state, move |c| c.confirm_import(&actor, &token, &fingerprint, &message, lang.code()))
        .await?
        .map_err(|e| ctx.fail(e))?;
    let mut p = page(&ctx);
    let status = match confirmed {
        Confirmed::Saved { count, revisions: (from, to) } => {
            crate::metrics::imported("spreadsheet", true);
            return Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, paths::import_done(count, from, to))).finish());
        }
        Confirmed::Gone => {
            p.problem = Some(w::UPLOAD_GONE.get(lang).into());
            StatusCode::GONE
        }
        Confirmed::Unreadable(reason) => {
            p.problem = Some(reason);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Confirmed::Moved { plan, filename, token } => {
            p.problem = Some(w::CATALOGUE_MOVED.get(lang).into());
            let mut preview = preview_of(&cat, &plan, &filename, lang);
            preview.token = token;
            p.preview = Some(preview);
            StatusCode::CONFLICT
        }
    };
    Ok(ctx.respond(status, p.render()))
}

// ---- the import guide and the template workbook --------------------------------------------

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    chrome: Chrome,
    body: &'static str,
    template: &'static str,
    import: &'static str,
}

/// `GET /import/guide`: docs/import.md as a page (public: regions read it too).
pub(super) async fn import_guide(ctx: Ctx) -> HttpResponse {
    let page = GuidePage {
        chrome: Chrome::new(ctx.lang, super::kernel::words::curation::IMPORT_GUIDE.get(ctx.lang), &ctx.path_and_query, ""),
        body: &super::views::guide::import_guide().html,
        template: paths::IMPORT_TEMPLATE,
        import: paths::IMPORT,
    };
    ctx.respond(StatusCode::OK, page.render())
}

/// `GET /import/mall.xlsx`: the template workbook (public), written by the export's writer from
/// an example, so it always has the sheets and headers the import reads.
pub(super) async fn import_template(ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let bytes = export::Export::template(state.catalogue.minter()).to_xlsx().map_err(|e| ctx.fail(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"vardkatalogen-importmall.xlsx\""))
        .body(bytes))
}
