//! Curation pages: the draft of a record, review and publication, history with diffs in words,
//! restore, comments, the work list (`/arbete`) and the audit log (`/admin/logg`).
//!
//! Every route needs a signed-in account (`guard::require`, `guard::authorised_form`); the
//! rules are the curation service's, which checks the role again; a refused step is shown
//! with a way back (`Ctx::refused`).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::Deserialize;

use super::kernel::AppState;
use super::kernel::context::{Ctx, local_path};
use super::kernel::error::{Failure, PageError, bulk_refusal, curation_refusal};
use super::kernel::guard::{Submission, authorised_form, curate, require};
use super::kernel::page::Chrome;
use super::kernel::paths;
use super::kernel::words::curation as w;
use super::kernel::words::versions as vw;
use super::views::history::{History, draft_review, history};
use super::views::versions::{VersionSummary, summaries};
use super::views::work::{BulkForm, WorkItem};
use super::views::{CurationBar, PageBuilder};
use crate::accounts::Role;
use crate::curation::{AuditEntry, RecordState};
use crate::model::record::RecordKind;

const MAX_FORM: usize = 256 * 1024;

#[derive(Deserialize)]
pub(super) struct RecordPath {
    kind: String,
    id: String,
}

impl RecordPath {
    /// The kind and IRI of a record minted here; 404 otherwise.
    fn record(&self, ctx: &Ctx, state: &AppState) -> Result<(RecordKind, NamedNode), PageError> {
        let kind = RecordKind::parse(&self.kind).ok_or_else(|| ctx.not_found(None))?;
        let iri = state.catalogue.minter().record(kind, &self.id).map_err(|_| ctx.not_found(None))?;
        Ok((kind, iri))
    }

    fn page(&self) -> String {
        format!("/{}/{}", self.kind, self.id)
    }

    fn tail(&self, tail: &str) -> String {
        format!("{}/{tail}", self.page())
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

// ---- the bar on record pages ------------------------------------------------------------

/// Builds the bar for `iri` (`None` when the person is not signed in, or the record was not
/// minted here: codes and harvested records have no curation pages).
pub(super) async fn bar_for(
    state: &web::Data<AppState>,
    ctx: &Ctx,
    kind: RecordKind,
    iri: NamedNode,
    viewing_draft: bool,
) -> Option<CurationBar> {
    let actor = ctx.account.clone()?;
    let minted_here = matches!(state.catalogue.minter().parse(iri.as_str()), Some((k, _)) if k == kind && !matches!(k, RecordKind::Concept | RecordKind::Catalog));
    if !minted_here {
        return None;
    }
    let lang = ctx.lang_code();
    let base = state.catalogue.minter().path(iri.as_str());
    let standing = curate(ctx, state, move |c| c.standing(&iri)).await.ok()?.ok()?;
    let draft_state = standing.draft.as_ref().map(|o| o.state);
    let reviewer = actor.role >= Role::Granskare;
    let can_review = viewing_draft && draft_state == Some(RecordState::InReview) && reviewer;
    Some(CurationBar {
        csrf: ctx.csrf.clone(),
        here: if viewing_draft { format!("{base}/utkast") } else { base.clone() },
        viewing_draft,
        draft: standing.draft.map(|o| (o.state.label(lang).to_owned(), o.author, o.time.format("%Y-%m-%d %H:%M").to_string())),
        can_edit: matches!(kind, RecordKind::Variable | RecordKind::CodeList | RecordKind::Dataset | RecordKind::UseCase),
        can_submit: viewing_draft && draft_state == Some(RecordState::Draft),
        can_review,
        can_retire: !viewing_draft && standing.stored == Some(RecordState::Published) && reviewer,
        comments: standing.comments.into_iter().map(|c| (c.author, c.time.format("%Y-%m-%d %H:%M").to_string(), c.text)).collect(),
        base,
        review: None,
    })
}

/// Whether a record has a working draft.
pub(super) async fn has_draft(state: &web::Data<AppState>, iri: &NamedNode) -> bool {
    let (c, iri) = (state.curation.clone(), iri.clone());
    web::block(move || c.has_draft(&iri)).await.ok().and_then(Result::ok).unwrap_or(false)
}

/// `GET /{kind}/{id}/utkast`: the working draft, rendered like the record page, with the
/// workflow's actions.
pub(super) async fn draft_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
) -> Result<HttpResponse, PageError> {
    require(&req, &ctx, &state, Role::Redaktor)?;
    let (kind, iri) = path.record(&ctx, &state)?;
    let (lang, here, i) = (ctx.lang, ctx.path_and_query.clone(), iri.clone());
    let found = curate(&ctx, &state, move |c| {
        let Some((meta, resource)) = c.draft_record(&i)? else { return Ok(None) };
        Ok(Some(PageBuilder::new(c.catalogue(), lang).record_page(&meta, &resource, &here)?))
    })
    .await?;
    let mut page = match found {
        Ok(Some(page)) => page,
        Ok(None) => {
            let (_, message) = curation_refusal(&crate::curation::CurationError::NoDraft { iri: iri.as_str().to_owned() }, ctx.lang);
            return Err(ctx.fail(Failure::Refused { status: StatusCode::NOT_FOUND, message, back: path.page() }));
        }
        Err(e) => return Err(ctx.refused(&e, paths::WORK)),
    };
    page.actions = None;
    let i = iri.clone();
    let review = curate(&ctx, &state, move |c| draft_review(c, &i, lang)).await?.map_err(|e| ctx.refused(&e, paths::WORK))?;
    page.curation = bar_for(&state, &ctx, kind, iri, true).await;
    if let Some(bar) = page.curation.as_mut() {
        bar.review = review;
    }
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

// ---- workflow steps ------------------------------------------------------------------

/// One workflow step: the checks of a write route, then `step` through the curation service;
/// success goes to `done`, a refusal says why with a way back to `back`.
async fn step(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: &RecordPath,
    payload: web::Payload,
    role: Role,
    (done, back): (String, String),
    step: impl FnOnce(
        &crate::curation::Curation,
        &crate::accounts::Actor,
        &NamedNode,
        &super::kernel::form::FormData,
    ) -> Result<(), crate::curation::CurationError>
    + Send
    + 'static,
) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, role, payload, MAX_FORM).await?;
    let (_, iri) = path.record(&ctx, &state)?;
    match curate(&ctx, &state, move |c| step(c, &actor, &iri, &form)).await? {
        Ok(()) => Ok(see_other(&done)),
        Err(e) => Err(ctx.refused(&e, back)),
    }
}

/// `POST …/skicka`: utkast → granskning.
pub(super) async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let draft = path.tail("utkast");
    step(req, state, &path, payload, Role::Redaktor, (draft.clone(), draft), |c, a, iri, f| {
        c.submit(a, iri, &f.value("meddelande")).map(drop)
    })
    .await
}

/// `POST …/publicera` (granskare): publishes the draft in review with its change note.
pub(super) async fn publish(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let targets = (path.page(), path.tail("utkast"));
    step(req, state, &path, payload, Role::Granskare, targets, |c, a, iri, f| c.publish(a, iri, &f.value("andringsnotering")).map(drop))
        .await
}

/// `POST …/aterforvisa` (granskare): granskning → utkast, with a comment.
pub(super) async fn send_back(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let draft = path.tail("utkast");
    step(req, state, &path, payload, Role::Granskare, (draft.clone(), draft), |c, a, iri, f| {
        c.send_back(a, iri, &f.value("kommentar")).map(drop)
    })
    .await
}

/// `POST …/utfasa` (granskare): publicerad → utfasad.
pub(super) async fn retire(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let page = path.page();
    step(req, state, &path, payload, Role::Granskare, (page.clone(), page), |c, a, iri, f| c.retire(a, iri, &f.value("meddelande"))).await
}

/// `POST …/aterstall`: an old revision becomes the working draft.
pub(super) async fn restore(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let targets = (path.tail("utkast"), path.tail("historik"));
    step(req, state, &path, payload, Role::Redaktor, targets, |c, a, iri, f| {
        let revision = f
            .value("revision")
            .trim()
            .parse::<u64>()
            .map_err(|_| crate::curation::CurationError::NoSuchRevision { iri: iri.as_str().to_owned(), revision: 0 })?;
        c.restore(a, iri, revision).map(drop)
    })
    .await
}

/// `POST …/kommentar`: a comment on the record; back to the page it was written on.
pub(super) async fn comment(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await?;
    let (_, iri) = path.record(&ctx, &state)?;
    let back = local_path(form.text("tillbaka").as_deref(), &path.page());
    let text = form.value("text");
    match curate(&ctx, &state, move |c| c.comment(&actor, &iri, &text)).await? {
        Ok(_) => Ok(see_other(&back)),
        Err(e) => Err(ctx.refused(&e, back)),
    }
}

// ---- history --------------------------------------------------------------------------

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
    /// The published versions, newest first, with what each changed.
    versions: Vec<VersionSummary>,
    versions_heading: &'static str,
    note_label: &'static str,
}

#[derive(Deserialize)]
pub(super) struct HistoryQuery {
    fran: Option<u64>,
    till: Option<u64>,
}

/// `GET /{kind}/{id}/historik[?fran=A&till=B]`: every revision, and the diff of two.
pub(super) async fn history_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<RecordPath>,
    query: web::Query<HistoryQuery>,
) -> Result<HttpResponse, PageError> {
    require(&req, &ctx, &state, Role::Redaktor)?;
    let (_, iri) = path.record(&ctx, &state)?;
    let (lang, from, to) = (ctx.lang, query.fran, query.till);
    let found = curate(&ctx, &state, move |c| {
        let h = history(c, &iri, from, to, lang)?;
        h.map(|h| summaries(c, &iri, lang).map(|s| (h, s))).transpose()
    })
    .await?;
    let (h, versions) = found.map_err(|e| ctx.refused(&e, path.tail("historik")))?.ok_or_else(|| ctx.not_found(None))?;
    let mut page = HistoryPage::of(&ctx, path.page(), h);
    page.versions = versions;
    page.versions_heading = vw::VERSIONS.get(ctx.lang);
    page.note_label = vw::NOTE.get(ctx.lang);
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

impl HistoryPage {
    fn of(ctx: &Ctx, base: String, h: History) -> Self {
        let (l, n, revs) = (ctx.lang_code(), h.revisions.len(), &h.revisions);
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
                is_from: Some(r.id) == h.from,
                is_to: Some(r.id) == h.to,
            })
            .collect();
        rows.reverse();
        Self {
            chrome: Chrome::new(ctx.lang, w::history(ctx.lang, &h.title), &ctx.path_and_query, ""),
            csrf: ctx.csrf.clone(),
            base,
            title: h.title,
            rows,
            from: h.from,
            to: h.to,
            diff: h.diff,
            comments: h.comments.into_iter().map(|c| (c.author, c.time.format("%Y-%m-%d %H:%M").to_string(), c.text)).collect(),
            versions: Vec::new(),
            versions_heading: "",
            note_label: "",
        }
    }
}

// ---- work list and audit log ---------------------------------------------------------

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorkListPage {
    chrome: Chrome,
    sections: Vec<(&'static str, &'static str, Vec<WorkItem>)>,
    bulk: BulkForm,
    new_links: Vec<(&'static str, String)>,
    done: Option<String>,
    /// A refused bulk step: its heading and one line per record refused.
    problem: Option<(String, Vec<String>)>,
}

#[derive(Deserialize)]
pub(super) struct WorkQuery {
    skickade: Option<usize>,
    publicerade: Option<usize>,
}

/// The work list of `actor`: drafts awaiting review, my drafts, everyone else's drafts, the
/// records in `checked` ticked.
async fn work_list_page(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    actor: &crate::accounts::Actor,
    checked: &[String],
) -> Result<WorkListPage, PageError> {
    let l = ctx.lang;
    let drafts = curate(ctx, state, |c| c.open_drafts()).await?.map_err(|e| ctx.fail(e))?;
    let (mut mine, mut review, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for (n, (iri, d)) in drafts.iter().enumerate() {
        let mut item = WorkItem::new(state.catalogue.minter(), n, iri, d, l);
        item.checked = checked.contains(iri);
        match (d.state, d.author == actor.user) {
            (RecordState::InReview, _) => review.push(item),
            (_, true) => mine.push(item),
            _ => others.push(item),
        }
    }
    let sections = vec![
        ("granskning", w::AWAITING_REVIEW.get(l), review),
        ("mina", w::MY_DRAFTS.get(l), mine),
        ("andras", w::OTHERS_DRAFTS.get(l), others),
    ];
    let new_links = vec![
        (w::NEW_VARIABLE.get(l), paths::new_record(RecordKind::Variable)),
        (w::NEW_DATASET.get(l), paths::new_record(RecordKind::Dataset)),
        (w::NEW_CODE_LIST.get(l), paths::new_record(RecordKind::CodeList)),
        (w::NEW_USE_CASE.get(l), paths::new_record(RecordKind::UseCase)),
        (w::IMPORT.get(l), paths::IMPORT.to_owned()),
    ];
    Ok(WorkListPage {
        chrome: Chrome::new(l, w::WORK_LIST.get(l), &ctx.path_and_query, ""),
        sections,
        bulk: BulkForm::new(l, &ctx.csrf, actor.role >= Role::Granskare),
        new_links,
        done: None,
        problem: None,
    })
}

/// `GET /arbete`: drafts awaiting review, my drafts, everyone else's drafts, each with a
/// checkbox for the bulk steps.
pub(super) async fn work_list(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<WorkQuery>,
) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let mut page = work_list_page(&ctx, &state, &actor, &[]).await?;
    page.done = match (query.skickade, query.publicerade) {
        (_, Some(n)) => Some(w::bulk_done(ctx.lang, true, n)),
        (Some(n), None) => Some(w::bulk_done(ctx.lang, false, n)),
        _ => None,
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `POST /arbete/flera`: the chosen drafts (`post`, repeated) sent for review (`atgard=skicka`)
/// or published with one change note (`atgard=publicera`, granskare), in one write through the
/// curation service, all or nothing. A refusal shows the work list again with the records that
/// stopped it and why, the choice kept.
pub(super) async fn bulk(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await?;
    let chosen = form.all("post");
    let action = form.value("atgard");
    let note = form.value("andringsnotering");
    let publish = match action.as_str() {
        "skicka" => false,
        "publicera" => true,
        _ => return Err(ctx.fail(Failure::BadRequest(w::UNKNOWN_ACTION.get(ctx.lang).into()))),
    };
    let mut iris = Vec::new();
    for c in &chosen {
        match NamedNode::new(c.as_str()) {
            Ok(iri) if state.catalogue.minter().parse(iri.as_str()).is_some() => iris.push(iri),
            _ => return Err(ctx.fail(Failure::BadRequest(format!("{}: {c}", w::UNKNOWN_RECORD.get(ctx.lang))))),
        }
    }
    let who = actor.clone();
    let outcome = curate(&ctx, &state, move |c| {
        if publish { c.publish_all(&who, &iris, &note).map(|v| v.len()) } else { c.submit_all(&who, &iris, "").map(|v| v.len()) }
    })
    .await?;
    match outcome {
        Ok(n) => Ok(see_other(&paths::work_done(if publish { "publicerade" } else { "skickade" }, n))),
        Err(e) => {
            let (status, lines) = bulk_refusal(&e, ctx.lang);
            let heading = match &e {
                crate::curation::CurationError::Several { failures } => w::nothing_changed(ctx.lang, failures.len()),
                _ => w::NOTHING_DONE.get(ctx.lang).to_owned(),
            };
            let mut page = work_list_page(&ctx, &state, &actor, &chosen).await?;
            page.problem = Some((heading, lines));
            Ok(ctx.respond(status, page.render()))
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<AuditEntry>,
    total: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    sida: Option<usize>,
}

const AUDIT_PAGE: usize = 100;

/// `GET /admin/logg` (admin): the audit log, newest first.
pub(super) async fn audit_log(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    require(&req, &ctx, &state, Role::Admin)?;
    let page_no = query.sida.unwrap_or(1).max(1);
    let (total, entries) =
        curate(&ctx, &state, move |c| c.audit_log((page_no - 1) * AUDIT_PAGE, AUDIT_PAGE)).await?.map_err(|e| ctx.fail(e))?;
    let page = AuditPage {
        chrome: Chrome::new(ctx.lang, w::AUDIT_LOG.get(ctx.lang), &ctx.path_and_query, ""),
        prev_href: (page_no > 1).then(|| paths::audit_log_page(page_no - 1)),
        next_href: (page_no * AUDIT_PAGE < total).then(|| paths::audit_log_page(page_no + 1)),
        entries,
        total,
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}
