//! HTTP of bulk import and export: a dataset's variables and code lists as XLSX (the register
//! metadata workbook layout) or CSV (its variable sheet) at `/dataset/{id}/variabler.{xlsx,csv}`.
//! The work is `ingest`'s.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::ctx::Ctx;
use super::pages::{error_page, not_found_page, read};
use super::AppState;
use crate::ingest::export;
use crate::model::record::RecordKind;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `/dataset/{id}/variabler.{xlsx,csv}`.
pub async fn export_dataset(req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let (id, ext) = path.into_inner();
    let Ok(iri) = state.catalogue.minter().record(RecordKind::Dataset, &id) else {
        return not_found_page(&ctx, req.path(), Some(RecordKind::Dataset));
    };
    let xlsx = ext == "xlsx";
    let result = read(&state, move |cat| {
        let Some(e) = export::collect(cat, &iri)? else { return Ok(None) };
        let bytes = if xlsx { e.to_xlsx() } else { e.to_csv() };
        Ok(Some((e.stem(), bytes.map_err(|e| e.to_string()))))
    })
    .await;
    match result {
        Ok(Some((stem, Ok(bytes)))) => HttpResponse::Ok()
            .content_type(if xlsx { XLSX } else { "text/csv; charset=utf-8" })
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}-variabler.{ext}\"")))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(bytes),
        Ok(Some((_, Err(e)))) => error_page(&ctx, e),
        Ok(None) => not_found_page(&ctx, req.path(), Some(RecordKind::Dataset)),
        Err(e) => error_page(&ctx, e),
    }
}

// ---- import: upload → preview → confirm ---------------------------------------------------

use actix_web::http::StatusCode;
use askama::Template;

use super::auth::{authorised_form, blocking, require, Submission};
use super::views::Chrome;
use crate::config::Lang;
use crate::ingest::{tabular::Mapping, ImportPlan, Options};
use crate::state::uploads::Upload;
use crate::curation::Curation;
use crate::accounts::Role;

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
}

/// `GET /import`: the upload form.
pub async fn import_form(req: HttpRequest, state: web::Data<AppState>, query: web::Query<DoneQuery>) -> HttpResponse {
    if let Err(res) = require(&req, &state, Role::Redaktor) {
        return res;
    }
    let ctx = Ctx::of(&req, state.default_lang);
    let mut p = page(&ctx);
    p.done = query.klart.map(|n| {
        if ctx.lang == Lang::En {
            format!("{n} records were saved as drafts. They are published after review.")
        } else {
            format!("{n} poster sparades som utkast. De publiceras efter granskning.")
        }
    });
    ctx.respond(StatusCode::OK, p.render())
}

fn options_for(cat: &crate::catalog::Catalogue, up: &Upload) -> Result<(Options, Option<Mapping>), String> {
    let mut o = Options::new(cat.minter().clone());
    o.dataset = up.dataset.clone();
    o.id_prefix = up.id_prefix.clone();
    o.agents = crate::ingest::agent_names(cat).map_err(|e| e.to_string())?;
    let mapping = match up.mapping.as_deref() {
        None | Some("") => None,
        Some(name) => Some(Mapping::preset(name).ok_or_else(|| format!("unknown mapping {name}"))?),
    };
    Ok((o, mapping))
}

/// Reads and plans an upload; `Err` is a message for the user (the file could not be read).
fn plan_upload(cat: &std::sync::Arc<crate::catalog::Catalogue>, st: &crate::state::State, up: &Upload, lang: Lang) -> Result<Result<ImportPlan, String>, String> {
    let (options, mapping) = options_for(cat, up)?;
    let batch = match crate::ingest::read_file(&up.filename, &up.bytes, mapping.as_ref(), &options) {
        Ok(b) => b,
        Err(e) => {
            return Ok(Err(if lang == Lang::En {
                format!("The file could not be read: {}", e.message("en"))
            } else {
                format!("Filen kunde inte läsas: {}", e.message("sv"))
            }));
        }
    };
    crate::ingest::plan(batch, &|iri| current(cat, st, iri)).map(Ok).map_err(|e| e.to_string())
}

/// The record a curator edits now: the working draft if there is one, else the published record.
pub fn current(
    cat: &std::sync::Arc<crate::catalog::Catalogue>,
    st: &crate::state::State,
    iri: &oxigraph::model::NamedNode,
) -> Result<Option<crate::model::Resource>, crate::curation::CurationError> {
    Ok(Curation::new(cat.clone(), st.clone()).current(iri)?.map(|(_, r)| r))
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
pub async fn import_preview(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Redaktor, payload, MAX_UPLOAD).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let lang = ctx.lang;
    let en = lang == Lang::En;
    let mut p = page(&ctx);
    p.dataset = form.value("datamangd").trim().to_owned();
    p.id_prefix = form.value("prefix").trim().to_owned();
    p.mapping = form.value("mappning").trim().to_owned();
    let file = form.file("fil").filter(|f| !f.data.is_empty());
    let Some(file) = file else {
        p.problem = Some(if en { "Choose a file to import.".into() } else { "Välj en fil att importera.".into() });
        return ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render());
    };
    let filename = file.filename.clone().unwrap_or_default();
    if crate::ingest::FileKind::of(&filename).is_none() {
        p.problem = Some(if en {
            format!("{filename}: choose an .xlsx workbook or a .csv file.")
        } else {
            format!("{filename}: välj en arbetsbok (.xlsx) eller en CSV-fil (.csv).")
        });
        return ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render());
    }
    let blank = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let upload = Upload {
        user: actor.user.clone(),
        filename: filename.clone(),
        dataset: blank(&p.dataset),
        id_prefix: blank(&p.id_prefix),
        mapping: blank(&p.mapping),
        created: chrono::Utc::now(),
        bytes: file.data.clone(),
    };
    let cat = state.catalogue.clone();
    let st = state.state.clone();
    let result = blocking(move || -> Result<_, String> {
        let planned = plan_upload(&cat, &st, &upload, lang)?;
        let preview = match planned {
            Ok(plan) => {
                let mut preview = preview_of(&cat, &plan, &upload.filename, lang);
                if !plan.has_errors() && !(plan.create.is_empty() && plan.change.is_empty()) {
                    preview.token = Some(st.uploads.put(&upload).map_err(|e| e.to_string())?);
                }
                Ok(preview)
            }
            Err(message) => Err(message),
        };
        Ok(preview)
    })
    .await;
    match result {
        Ok(Ok(preview)) => {
            let status = if preview.errors > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            p.preview = Some(preview);
            ctx.respond(status, p.render())
        }
        Ok(Err(message)) => {
            p.problem = Some(message);
            ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render())
        }
        Err(e) => error_page(&ctx, e),
    }
}

/// `POST /import/bekrafta`: saves a previewed upload as drafts, all or nothing, when the plan
/// made now is the one that was previewed (same records, same content).
pub async fn import_confirm(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Redaktor, payload, 64 * 1024).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let lang = ctx.lang;
    let en = lang == Lang::En;
    let token = form.value("token");
    let fingerprint = form.value("fingeravtryck");
    let message = form.value("meddelande").trim().to_owned();
    let cat = state.catalogue.clone();
    let st = state.state.clone();
    enum Outcome {
        Saved(usize),
        Gone,
        Moved(Preview),
    }
    let result = blocking(move || -> Result<Result<Outcome, String>, String> {
        let Some(upload) = st.uploads.get(&token, &actor.user).map_err(|e| e.to_string())? else {
            return Ok(Ok(Outcome::Gone));
        };
        let plan = match plan_upload(&cat, &st, &upload, lang)? {
            Ok(p) => p,
            Err(message) => return Ok(Err(message)),
        };
        if plan.has_errors() || plan.fingerprint() != fingerprint {
            // the catalogue changed since the preview: show the new preview to confirm again
            let mut preview = preview_of(&cat, &plan, &upload.filename, lang);
            if !plan.has_errors() {
                preview.token = Some(token.clone());
            }
            return Ok(Ok(Outcome::Moved(preview)));
        }
        let records = plan.to_save();
        let n = records.len();
        let message = if message.is_empty() { format!("Import av {}", upload.filename) } else { message };
        Curation::new(cat.clone(), st.clone()).save_drafts(&actor, records, &message).map_err(|e| e.to_string())?;
        st.uploads.remove(&token).map_err(|e| e.to_string())?;
        Ok(Ok(Outcome::Saved(n)))
    })
    .await;
    let mut p = page(&ctx);
    match result {
        Ok(Ok(Outcome::Saved(n))) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/import?klart={n}")))
            .finish(),
        Ok(Ok(Outcome::Gone)) => {
            p.problem = Some(if en {
                "The previewed file is no longer kept (it is kept for an hour, for the person who sent it). Send it again.".into()
            } else {
                "Den förhandsgranskade filen finns inte längre kvar (den sparas en timme, för den som skickade den). Skicka den igen.".into()
            });
            ctx.respond(StatusCode::GONE, p.render())
        }
        Ok(Ok(Outcome::Moved(preview))) => {
            p.problem = Some(if en {
                "The catalogue changed after the preview. Check the new preview and confirm again.".into()
            } else {
                "Katalogen har ändrats sedan förhandsgranskningen. Granska den nya förhandsgranskningen och bekräfta igen.".into()
            });
            p.preview = Some(preview);
            ctx.respond(StatusCode::CONFLICT, p.render())
        }
        Ok(Err(message)) => {
            p.problem = Some(message);
            ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render())
        }
        Err(e) => error_page(&ctx, e),
    }
}
