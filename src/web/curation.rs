//! Curation pages: the draft of a record, review and publication, history with diffs in words,
//! restore, comments, the work list (`/arbete`) and the audit log (`/admin/logg`).
//!
//! Every route here needs a signed-in account (`auth::require`) and every POST a CSRF token;
//! handlers call `curation::Curation` on a blocking thread and render.

use std::collections::HashMap;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::Deserialize;

use super::auth::{read_form, require};
use super::ctx::Ctx;
use super::i18n::field;
use super::labels::{datatype_label, last_segment, vocab_label};
use super::views::{Chrome, ErrorPage, PageBuilder};
use super::AppState;
use crate::config::Lang;
use crate::curation::diff::{self, Change, Value};
use crate::curation::{graph_of, Actor, Curation, CurationError};
use crate::model::record::RecordKind;
use crate::model::vocab::{adms, csvw, dcat, dct, disco, healthdcatap, owl, prov, qudt, rdf, rdfs, skos, vk, xsd};
use crate::model::LangText;
use crate::state::revisions::Revision;
use crate::accounts::Role;
use crate::state::audit;
use crate::store::{RecordMeta, RecordState};

const MAX_FORM: usize = 256 * 1024;
/// The kinds whose records have curation pages.
pub const KINDS: &str = "{kind:dataset|variable|codelist|usecase|agent|standard|distribution|dataservice}";

pub fn configure(cfg: &mut web::ServiceConfig) {
    let r = |tail: &str| format!("/{KINDS}/{{id}}/{tail}");
    cfg.route("/arbete", web::get().to(work_list))
        .route("/admin/logg", web::get().to(audit_log))
        .route("/variable/ny", web::get().to(super::edit::new_variable_form))
        .route("/variable/ny", web::post().to(super::edit::create_variable))
        .route("/variable/{id}/redigera", web::get().to(super::edit::edit_variable_form))
        .route("/variable/{id}/redigera", web::post().to(super::edit::save_variable))
        .route(&r("utkast"), web::get().to(draft_page))
        .route(&r("historik"), web::get().to(history_page))
        .route(&r("skicka"), web::post().to(submit))
        .route(&r("publicera"), web::post().to(publish))
        .route(&r("aterforvisa"), web::post().to(send_back))
        .route(&r("utfasa"), web::post().to(retire))
        .route(&r("aterstall"), web::post().to(restore))
        .route(&r("kommentar"), web::post().to(comment));
}

/// Runs curation work on the blocking pool.
pub(super) async fn run<T: Send + 'static>(
    state: &web::Data<AppState>,
    f: impl FnOnce(&Curation) -> Result<T, CurationError> + Send + 'static,
) -> Result<Result<T, CurationError>, String> {
    let c = Curation::new(state.catalogue.clone(), state.state.clone()).with_four_eyes(state.four_eyes);
    web::block(move || f(&c)).await.map_err(|e| e.to_string())
}

/// The status and the reader's words for a refused step.
pub(super) fn error_text(e: &CurationError, lang: Lang) -> (StatusCode, String) {
    let en = lang == Lang::En;
    let l = lang.code();
    match e {
        CurationError::Conflict { author, latest, .. } => (
            StatusCode::CONFLICT,
            if en {
                format!("Someone else ({author}) saved this record (revision {latest}) after you started editing. Your changes were not saved.")
            } else {
                format!("Någon annan ({author}) sparade posten (revision {latest}) efter att du började redigera. Dina ändringar är inte sparade.")
            },
        ),
        CurationError::Forbidden { needed } => (
            StatusCode::FORBIDDEN,
            if en { format!("This needs the role {}.", needed.label(l)) } else { format!("Det här kräver rollen {}.", needed.label(l)) },
        ),
        CurationError::NotFound { .. } => (StatusCode::NOT_FOUND, if en { "There is no such record.".into() } else { "Posten finns inte.".into() }),
        CurationError::NoDraft { .. } => (StatusCode::CONFLICT, if en { "The record has no draft.".into() } else { "Posten har inget utkast.".into() }),
        CurationError::WrongState { state, expected, .. } => (
            StatusCode::CONFLICT,
            if en {
                format!("The record is {}; this can only be done when it is {}.", state.label(l), expected.label(l))
            } else {
                format!("Posten är {}; det här går bara när den är {}.", state.label(l), expected.label(l))
            },
        ),
        CurationError::MissingChangeNote => (
            StatusCode::BAD_REQUEST,
            if en { "Write a change note: it is published with the record.".into() } else { "Skriv en ändringsnotering: den publiceras med posten.".into() },
        ),
        CurationError::EmptyComment => (StatusCode::BAD_REQUEST, if en { "Write a comment.".into() } else { "Skriv en kommentar.".into() }),
        CurationError::NoSuchRevision { revision, .. } => (
            StatusCode::NOT_FOUND,
            if en { format!("Revision {revision} is not a revision of this record.") } else { format!("Revision {revision} är inte en revision av den här posten.") },
        ),
        CurationError::LinksToUnpublished { targets, .. } => (
            StatusCode::CONFLICT,
            if en {
                format!("The record links to records that are not published yet: {}. Publish them first.", targets.join(", "))
            } else {
                format!("Posten länkar till poster som inte är publicerade ännu: {}. Publicera dem först.", targets.join(", "))
            },
        ),
        CurationError::OwnWork { .. } => (
            StatusCode::FORBIDDEN,
            if en {
                "Four eyes: you changed this draft since it was last published, so another reviewer must publish it.".into()
            } else {
                "Fyra ögon: du har ändrat utkastet sedan det senast publicerades, så en annan granskare måste publicera det.".into()
            },
        ),
        CurationError::Model { error: crate::model::ModelError::ForbiddenCharacter { property, character, .. }, .. } => (
            StatusCode::BAD_REQUEST,
            if en {
                format!("The value of <{property}> holds the control character {character}, which the catalogue cannot publish (XML does not allow it). Remove it; nothing was saved.")
            } else {
                format!("Värdet av <{property}> innehåller styrtecknet {character}, som katalogen inte kan publicera (XML tillåter det inte). Ta bort det; inget sparades.")
            },
        ),
        other => (StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
    }
}

/// A page that says why a step was refused, with a way back.
pub(super) fn refused(ctx: &Ctx, status: StatusCode, message: String, back: &str) -> HttpResponse {
    let en = ctx.lang == Lang::En;
    let heading = if en { "It did not work" } else { "Det gick inte" };
    let page = ErrorPage {
        chrome: Chrome::new(ctx.lang, heading, &ctx.path_and_query, ""),
        heading: heading.into(),
        message,
        detail: None,
        suggestions: vec![super::views::Val::link(if en { "Back" } else { "Tillbaka" }, back)],
    };
    ctx.respond(status, page.render())
}

/// The record IRI of a curation path, when the kind and id are valid.
pub(super) fn record_iri(state: &AppState, kind: &str, id: &str) -> Option<(RecordKind, NamedNode)> {
    let kind = RecordKind::parse(kind)?;
    let iri = state.catalogue.minter().record(kind, id).ok()?;
    Some((kind, iri))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

// ---- the bar on record pages ------------------------------------------------------------

/// What a signed-in person sees and can do on a record page or its draft.
pub struct CurationBar {
    pub csrf: String,
    /// `/variable/x`
    pub base: String,
    pub viewing_draft: bool,
    /// The page to come back to after a comment.
    pub here: String,
    /// The open draft's state label and author, when there is one.
    pub draft: Option<(String, String, String)>,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_review: bool,
    pub can_retire: bool,
    pub comments: Vec<(String, String, String)>,
}

/// Builds the bar for `iri` (`None` when the person is not signed in).
pub(super) async fn bar_for(state: &web::Data<AppState>, ctx: &Ctx, kind: RecordKind, iri: NamedNode, viewing_draft: bool) -> Option<CurationBar> {
    let actor = ctx.account.clone()?;
    // only records minted here have curation pages (not codes, not harvested IRIs)
    if !matches!(state.catalogue.minter().parse(iri.as_str()), Some((k, _)) if k == kind && k != RecordKind::Concept && k != RecordKind::Catalog) {
        return None;
    }
    let lang = ctx.lang.code();
    let base = state.catalogue.minter().path(iri.as_str());
    let st = state.state.clone();
    let cat = state.catalogue.clone();
    let found = web::block(move || -> Result<_, crate::state::StateError> {
        let open = st.revisions.open_draft(iri.as_str())?;
        let comments = st.comments.of_record(iri.as_str())?;
        let published = cat.store().meta(iri.as_ref()).ok().flatten().map(|m| m.state);
        Ok((open, comments, published))
    })
    .await
    .ok()?
    .ok()?;
    let (open, comments, published) = found;
    let draft_state = open.as_ref().map(|o| o.state);
    Some(CurationBar {
        csrf: ctx.csrf.clone(),
        here: if viewing_draft { format!("{base}/utkast") } else { base.clone() },
        viewing_draft,
        draft: open.map(|o| (o.state.label(lang).to_owned(), o.author, o.time.format("%Y-%m-%d %H:%M").to_string())),
        can_edit: matches!(kind, RecordKind::Variable | RecordKind::CodeList | RecordKind::Dataset | RecordKind::UseCase),
        can_submit: viewing_draft && draft_state == Some(RecordState::Draft),
        can_review: viewing_draft && draft_state == Some(RecordState::InReview) && actor.role >= Role::Granskare,
        can_retire: !viewing_draft && published == Some(RecordState::Published) && actor.role >= Role::Granskare,
        comments: comments.into_iter().map(|c| (c.author, c.time.format("%Y-%m-%d %H:%M").to_string(), c.text)).collect(),
        base,
    })
}

/// Whether a record has a working draft.
pub(super) async fn has_draft(state: &web::Data<AppState>, iri: &NamedNode) -> bool {
    let st = state.state.clone();
    let iri = iri.as_str().to_owned();
    web::block(move || st.revisions.open_draft(&iri)).await.ok().and_then(Result::ok).flatten().is_some()
}

#[derive(Deserialize)]
struct DraftPath {
    kind: String,
    id: String,
}

/// `GET /{kind}/{id}/utkast`: the working draft, rendered like the record page, with the
/// workflow's actions.
async fn draft_page(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>) -> HttpResponse {
    if let Err(res) = require(&req, &state, Role::Redaktor) {
        return res;
    }
    let ctx = Ctx::of(&req, state.default_lang);
    let Some((kind, iri)) = record_iri(&state, &path.kind, &path.id) else {
        return super::pages::not_found_page(&ctx, req.path(), None);
    };
    let lang = ctx.lang;
    let page_path = ctx.path_and_query.clone();
    let i = iri.clone();
    let result = run(&state, move |c| {
        let Some((rev, resource)) = c.draft(&i)? else { return Ok(None) };
        let version = c.catalogue().store().meta(i.as_ref())?.map(|m| m.version).unwrap_or(0);
        let meta = RecordMeta {
            iri: i.clone(),
            kind: resource.kind(),
            state: rev.state,
            version,
            rev: 0,
            source: NamedNode::new_unchecked(crate::curation::CURATION_SOURCE),
            content_hash: String::new(),
            modified: rev.time,
        };
        let page = PageBuilder::new(c.catalogue(), lang).record_page(&meta, &resource, &page_path)?;
        Ok(Some(page))
    })
    .await;
    let mut page = match result {
        Ok(Ok(Some(p))) => p,
        Ok(Ok(None)) => {
            let en = lang == Lang::En;
            return refused(&ctx, StatusCode::NOT_FOUND, if en { "The record has no draft.".into() } else { "Posten har inget utkast.".into() }, &state.catalogue.minter().path(iri.as_str()));
        }
        Ok(Err(e)) => {
            let (status, text) = error_text(&e, lang);
            return refused(&ctx, status, text, "/arbete");
        }
        Err(e) => return super::pages::error_page(&ctx, e),
    };
    page.actions = None;
    page.curation = bar_for(&state, &ctx, kind, iri, true).await;
    ctx.respond(StatusCode::OK, page.render())
}

// ---- workflow steps ------------------------------------------------------------------

/// Reads the signed-in actor, the form and the record of a workflow POST.
async fn step_input(req: &HttpRequest, state: &AppState, role: Role, path: &DraftPath, payload: web::Payload) -> Result<(Actor, Ctx, super::form::FormData, NamedNode, String), HttpResponse> {
    let actor = require(req, state, role)?;
    let ctx = Ctx::of(req, state.default_lang);
    let form = read_form(req, &ctx, payload, MAX_FORM).await?;
    let Some((_, iri)) = record_iri(state, &path.kind, &path.id) else {
        return Err(super::pages::not_found_page(&ctx, req.path(), None));
    };
    let base = state.catalogue.minter().path(iri.as_str());
    Ok((actor, ctx, form, iri, base))
}

fn finish<T>(ctx: &Ctx, result: Result<Result<T, CurationError>, String>, success: &str, back: &str) -> HttpResponse {
    match result {
        Ok(Ok(_)) => see_other(success),
        Ok(Err(e)) => {
            let (status, text) = error_text(&e, ctx.lang);
            refused(ctx, status, text, back)
        }
        Err(e) => super::pages::error_page(ctx, e),
    }
}

/// `POST …/skicka`: utkast → granskning.
async fn submit(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>, payload: web::Payload) -> HttpResponse {
    let (actor, ctx, form, iri, base) = match step_input(&req, &state, Role::Redaktor, &path, payload).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let message = form.value("meddelande");
    let r = run(&state, move |c| c.submit(&actor, &iri, &message)).await;
    finish(&ctx, r, &format!("{base}/utkast"), &format!("{base}/utkast"))
}

/// `POST …/publicera` (granskare): publishes the draft in review with its change note.
async fn publish(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>, payload: web::Payload) -> HttpResponse {
    let (actor, ctx, form, iri, base) = match step_input(&req, &state, Role::Granskare, &path, payload).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let note = form.value("andringsnotering");
    let r = run(&state, move |c| c.publish(&actor, &iri, &note)).await;
    finish(&ctx, r, &base, &format!("{base}/utkast"))
}

/// `POST …/aterforvisa` (granskare): granskning → utkast, with a comment.
async fn send_back(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>, payload: web::Payload) -> HttpResponse {
    let (actor, ctx, form, iri, base) = match step_input(&req, &state, Role::Granskare, &path, payload).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let comment = form.value("kommentar");
    let r = run(&state, move |c| c.send_back(&actor, &iri, &comment)).await;
    finish(&ctx, r, &format!("{base}/utkast"), &format!("{base}/utkast"))
}

/// `POST …/utfasa` (granskare): publicerad → utfasad.
async fn retire(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>, payload: web::Payload) -> HttpResponse {
    let (actor, ctx, form, iri, base) = match step_input(&req, &state, Role::Granskare, &path, payload).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let note = form.value("meddelande");
    let r = run(&state, move |c| c.retire(&actor, &iri, &note)).await;
    finish(&ctx, r, &base, &base)
}

/// `POST …/aterstall`: an old revision becomes the working draft.
async fn restore(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>, payload: web::Payload) -> HttpResponse {
    let (actor, ctx, form, iri, base) = match step_input(&req, &state, Role::Redaktor, &path, payload).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let Ok(revision) = form.value("revision").trim().parse::<u64>() else {
        let en = ctx.lang == Lang::En;
        return refused(&ctx, StatusCode::BAD_REQUEST, if en { "Choose a revision.".into() } else { "Välj en revision.".into() }, &format!("{base}/historik"));
    };
    let r = run(&state, move |c| c.restore(&actor, &iri, revision)).await;
    finish(&ctx, r, &format!("{base}/utkast"), &format!("{base}/historik"))
}

/// `POST …/kommentar`: a comment on the record.
async fn comment(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>, payload: web::Payload) -> HttpResponse {
    let (actor, ctx, form, iri, base) = match step_input(&req, &state, Role::Redaktor, &path, payload).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let text = form.value("text");
    let back = super::ctx::local_path(form.text("tillbaka").as_deref(), &base);
    let r = run(&state, move |c| c.comment(&actor, &iri, &text)).await;
    finish(&ctx, r, &back, &back)
}

// ---- history and diffs ---------------------------------------------------------------

/// The label of a property in the reader's language.
pub(super) fn property_label(p: &NamedNode, inverse: bool, lang: Lang) -> String {
    let en = lang == Lang::En;
    let key = match p.as_ref() {
        x if x == disco::VARIABLE_PROP && inverse => "datasets",
        x if x == skos::PREF_LABEL || x == rdfs::LABEL => "label",
        x if x == skos::DEFINITION => "definition",
        x if x == skos::NOTATION => "technical_name",
        x if x == dct::IDENTIFIER => "identifier",
        x if x == dct::TITLE => "title",
        x if x == dct::DESCRIPTION => "description",
        x if x == dct::PUBLISHER => "publisher",
        x if x == disco::REPRESENTATION || x == csvw::DATATYPE => "datatype",
        x if x == healthdcatap::HAS_CODING_SYSTEM => "coding_systems",
        x if x == qudt::UCUM_CODE => "unit",
        x if x == csvw::NULL => "missing",
        x if x == dct::TEMPORAL => "temporal",
        x if x == prov::QUALIFIED_ATTRIBUTION => "owner",
        x if x == vk::REFERENCE_GROUP => "reference_group",
        x if x == vk::PRIORITY => "priority",
        x if x == vk::REQUIREMENT => "requirements",
        x if x == vk::INPUT_OUTPUT_NOTE => "io_note",
        x if x == disco::CONCEPT => "concept",
        x if x == skos::EXACT_MATCH => "exact_match",
        x if x == skos::SCOPE_NOTE => "scope_note",
        x if x == dct::SOURCE => "source",
        x if x == rdfs::SEE_ALSO => "see_also",
        x if x == vk::USES_VARIABLE => "variables_in",
        x if x == vk::USES_DATASET => "datasets",
        x if x == dcat::KEYWORD => "keywords",
        x if x == dcat::THEME => "themes",
        x if x == vk::COLLECTION => "collection",
        x if x == vk::LEVEL => "level",
        x if x == vk::CONDITION => "condition",
        x if x == prov::AGENT => "owner",
        _ => "",
    };
    if !key.is_empty() {
        return field(lang, key).to_owned();
    }
    let own = match p.as_ref() {
        x if x == csvw::MINIMUM => Some(("Lägsta värde", "Minimum")),
        x if x == csvw::MAXIMUM => Some(("Högsta värde", "Maximum")),
        x if x == adms::VERSION_NOTES => Some(("Ändringsnotering", "Change note")),
        x if x == owl::VERSION_INFO || x == dcat::VERSION => Some(("Version", "Version")),
        x if x == vk::NEEDS_INPUT => Some(("Behöver underlag", "Needs input")),
        x if x == skos::EDITORIAL_NOTE => Some(("Redaktionell anmärkning", "Editorial note")),
        x if x == rdf::TYPE => Some(("Typ", "Type")),
        x if x == dcat::START_DATE => Some(("Från", "From")),
        x if x == dcat::END_DATE => Some(("Till", "To")),
        x if x == dcat::HAD_ROLE => Some(("Roll", "Role")),
        _ => None,
    };
    match own {
        Some((sv, e)) => (if en { e } else { sv }).to_owned(),
        None => last_segment(p.as_str()),
    }
}

/// A value in words: labels of records and vocabularies, plain text, a blank node as its parts.
fn value_text(v: &Value, labels: &HashMap<NamedNode, LangText>, lang: Lang) -> String {
    match v {
        Value::Iri(i) => {
            if let Some(l) = labels.get(i).map(|l| l.best(lang.code())).filter(|l| !l.is_empty()) {
                return l.to_owned();
            }
            if let Some(local) = i.as_str().strip_prefix(xsd::NS) {
                return datatype_label(local, lang);
            }
            if let Some(level) = crate::model::RequirementLevel::from_iri(i) {
                return level.label(lang.code()).to_owned();
            }
            let l = vocab_label(i.as_str(), lang);
            if l != last_segment(i.as_str()) { l } else { i.as_str().to_owned() }
        }
        Value::Text { value, .. } => value.clone(),
        Value::Node(parts) => parts
            .iter()
            .filter(|(p, _)| p.as_ref() != dcat::HAD_ROLE)
            .map(|(p, v)| format!("{}: {}", property_label(p, false, lang), value_text(v, labels, lang)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn iris_in(v: &Value, out: &mut Vec<NamedNode>) {
    match v {
        Value::Iri(i) => out.push(i.clone()),
        Value::Node(parts) => parts.iter().for_each(|(_, v)| iris_in(v, out)),
        Value::Text { .. } => {}
    }
}

/// One change in words: "Definition (sv) ändrad från ”…” till ”…”".
pub(super) fn describe(c: &Change, labels: &HashMap<NamedNode, LangText>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let mut label = property_label(&c.property, c.inverse, lang);
    if let Some(l) = &c.lang {
        label.push_str(&format!(" ({l})"));
    }
    let quote = |vs: &[Value]| vs.iter().map(|v| format!("”{}”", value_text(v, labels, lang))).collect::<Vec<_>>().join(", ");
    match (c.removed.len(), c.added.len()) {
        (1, 1) if en => format!("{label} changed from {} to {}", quote(&c.removed), quote(&c.added)),
        (1, 1) => format!("{label} ändrad från {} till {}", quote(&c.removed), quote(&c.added)),
        (0, _) if en => format!("{label} added: {}", quote(&c.added)),
        (0, _) => format!("{label} tillagd: {}", quote(&c.added)),
        (_, 0) if en => format!("{label} removed: {}", quote(&c.removed)),
        (_, 0) => format!("{label} borttagen: {}", quote(&c.removed)),
        _ if en => format!("{label} changed: removed {}; added {}", quote(&c.removed), quote(&c.added)),
        _ => format!("{label} ändrad: borttaget {}; tillagt {}", quote(&c.removed), quote(&c.added)),
    }
}

/// The changes between two revisions in words (runs on a blocking thread: reads labels).
pub(super) fn diff_lines(c: &Curation, from: &Revision, to: &Revision, lang: Lang) -> Result<Vec<String>, CurationError> {
    let iri = NamedNode::new_unchecked(&to.iri);
    let changes = diff::diff(&graph_of(from)?, &graph_of(to)?, &iri);
    let mut iris = Vec::new();
    for ch in &changes {
        ch.removed.iter().chain(&ch.added).for_each(|v| iris_in(v, &mut iris));
    }
    let labels = c.catalogue().labels(&iris)?;
    Ok(changes.iter().map(|ch| describe(ch, &labels, lang)).collect())
}

struct RevisionRow {
    id: u64,
    time: String,
    author: String,
    state: String,
    version: String,
    message: String,
    previous: Option<u64>,
    latest: bool,
    is_from: bool,
    is_to: bool,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    chrome: Chrome,
    csrf: String,
    base: String,
    title: String,
    rows: Vec<RevisionRow>,
    from: Option<u64>,
    to: Option<u64>,
    diff: Option<Vec<String>>,
    comments: Vec<(String, String, String)>,
}

#[derive(Deserialize)]
struct HistoryQuery {
    fran: Option<u64>,
    till: Option<u64>,
}

/// `GET /{kind}/{id}/historik[?fran=A&till=B]`: every revision, and the diff of two.
async fn history_page(req: HttpRequest, state: web::Data<AppState>, path: web::Path<DraftPath>, query: web::Query<HistoryQuery>) -> HttpResponse {
    if let Err(res) = require(&req, &state, Role::Redaktor) {
        return res;
    }
    let ctx = Ctx::of(&req, state.default_lang);
    let Some((_, iri)) = record_iri(&state, &path.kind, &path.id) else {
        return super::pages::not_found_page(&ctx, req.path(), None);
    };
    let lang = ctx.lang;
    let (from, to) = (query.fran, query.till);
    let i = iri.clone();
    let result = run(&state, move |c| {
        let revs = c.history(&i)?;
        let title = match c.current(&i)? {
            Some((_, r)) => r.label().best(lang.code()).to_owned(),
            None if revs.is_empty() => return Ok(None),
            None => i.as_str().to_owned(),
        };
        // the latest change by default
        let (from, to) = match (from, to) {
            (Some(a), Some(b)) => (Some(a), Some(b)),
            _ if revs.len() >= 2 => (Some(revs[revs.len() - 2].id), Some(revs[revs.len() - 1].id)),
            _ => (None, None),
        };
        let diff = match (from, to) {
            (Some(a), Some(b)) => {
                let find = |id: u64| revs.iter().find(|r| r.id == id).cloned();
                match (find(a), find(b)) {
                    (Some(x), Some(y)) => Some(diff_lines(c, &x, &y, lang)?),
                    _ => return Err(CurationError::NoSuchRevision { iri: i.as_str().to_owned(), revision: if find(a).is_none() { a } else { b } }),
                }
            }
            _ => None,
        };
        let comments = c.comments(&i)?;
        Ok(Some((title, revs, from, to, diff, comments)))
    })
    .await;
    let (title, revs, from, to, diff, comments) = match result {
        Ok(Ok(Some(v))) => v,
        Ok(Ok(None)) => return super::pages::not_found_page(&ctx, req.path(), None),
        Ok(Err(e)) => {
            let (status, text) = error_text(&e, lang);
            return refused(&ctx, status, text, &format!("{}/historik", state.catalogue.minter().path(iri.as_str())));
        }
        Err(e) => return super::pages::error_page(&ctx, e),
    };
    let l = lang.code();
    let n = revs.len();
    let mut rows: Vec<RevisionRow> = revs
        .iter()
        .enumerate()
        .map(|(k, r)| RevisionRow {
            id: r.id,
            time: r.time.format("%Y-%m-%d %H:%M:%S").to_string(),
            author: r.author.clone(),
            state: r.state.label(l).to_owned(),
            version: r.version.map(|v| v.to_string()).unwrap_or_default(),
            message: r.message.clone(),
            previous: (k > 0).then(|| revs[k - 1].id),
            latest: k + 1 == n,
            is_from: Some(r.id) == from,
            is_to: Some(r.id) == to,
        })
        .collect();
    rows.reverse();
    let heading = if lang == Lang::En { format!("History: {title}") } else { format!("Historik: {title}") };
    let page = HistoryPage {
        chrome: Chrome::new(lang, heading, &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        base: state.catalogue.minter().path(iri.as_str()),
        title,
        rows,
        from,
        to,
        diff,
        comments: comments.into_iter().map(|c| (c.author, c.time.format("%Y-%m-%d %H:%M").to_string(), c.text)).collect(),
    };
    ctx.respond(StatusCode::OK, page.render())
}

// ---- work list and audit log ---------------------------------------------------------

struct WorkItem {
    href: String,
    label: String,
    kind: String,
    state: String,
    author: String,
    time: String,
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorkListPage {
    chrome: Chrome,
    sections: Vec<(&'static str, &'static str, Vec<WorkItem>)>,
    is_reviewer: bool,
}

/// `GET /arbete`: my drafts, drafts awaiting review, everyone else's drafts.
async fn work_list(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let actor = match require(&req, &state, Role::Redaktor) {
        Ok(a) => a,
        Err(res) => return res,
    };
    let ctx = Ctx::of(&req, state.default_lang);
    let lang = ctx.lang.code();
    let drafts = match run(&state, |c| c.open_drafts()).await {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return super::pages::error_page(&ctx, e.to_string()),
        Err(e) => return super::pages::error_page(&ctx, e),
    };
    let (mut mine, mut review, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for (iri, d) in drafts {
        let item = WorkItem {
            href: format!("{}/utkast", state.catalogue.minter().path(&iri)),
            label: if d.label.is_empty() { iri.clone() } else { d.label.clone() },
            kind: RecordKind::parse(&d.kind).map(|k| k.label(lang)).unwrap_or("").to_owned(),
            state: d.state.label(lang).to_owned(),
            author: d.author.clone(),
            time: d.time.format("%Y-%m-%d %H:%M").to_string(),
        };
        if d.state == RecordState::InReview {
            review.push(item);
        } else if d.author == actor.user {
            mine.push(item);
        } else {
            others.push(item);
        }
    }
    let title = if lang == "en" { "Work list" } else { "Arbetslista" };
    let en = lang == "en";
    let sections = vec![
        ("granskning", if en { "Awaiting review" } else { "Väntar på granskning" }, review),
        ("mina", if en { "My drafts" } else { "Mina utkast" }, mine),
        ("andras", if en { "Other people's drafts" } else { "Andras utkast" }, others),
    ];
    let page = WorkListPage { chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""), sections, is_reviewer: actor.role >= Role::Granskare };
    ctx.respond(StatusCode::OK, page.render())
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<audit::Entry>,
    total: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize)]
struct PageQuery {
    sida: Option<usize>,
}

const AUDIT_PAGE: usize = 100;

/// `GET /admin/logg` (admin): the audit log, newest first.
async fn audit_log(req: HttpRequest, state: web::Data<AppState>, query: web::Query<PageQuery>) -> HttpResponse {
    if let Err(res) = require(&req, &state, Role::Admin) {
        return res;
    }
    let ctx = Ctx::of(&req, state.default_lang);
    let page_no = query.sida.unwrap_or(1).max(1);
    let st = state.state.clone();
    let result = super::auth::blocking(move || -> Result<_, crate::state::StateError> {
        Ok((st.audit.count()?, st.audit.newest((page_no - 1) * AUDIT_PAGE, AUDIT_PAGE)?))
    })
    .await;
    let (total, entries) = match result {
        Ok(v) => v,
        Err(e) => return super::pages::error_page(&ctx, e),
    };
    let title = if ctx.lang == Lang::En { "Audit log" } else { "Granskningslogg" };
    let page = AuditPage {
        chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""),
        prev_href: (page_no > 1).then(|| format!("/admin/logg?sida={}", page_no - 1)),
        next_href: (page_no * AUDIT_PAGE < total).then(|| format!("/admin/logg?sida={}", page_no + 1)),
        entries,
        total,
    };
    ctx.respond(StatusCode::OK, page.render())
}
