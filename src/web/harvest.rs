//! The harvest admin page `/admin/hamtning` (admins only: every route through
//! `guard::require` or `guard::authorised_form` with `Role::Admin`, and the harvester checks
//! the role again): the sources with a progress bar while a run is going,
//! the history of runs, starting a run, adding and changing sources, one run's full report.
//! Handlers only read the form, call [`crate::harvest::Harvester`] on a blocking thread and
//! render.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::PageError;
use super::kernel::form::FormData;
use super::kernel::guard::{Submission, authorised_form, blocking, require, run};
use super::kernel::page::Chrome;
use super::kernel::words::harvest as w;
use crate::accounts::Role;
use crate::harvest::{HarvestError, RunReport, RunStatus, SourceConfig, SourceKind};

const MAX_FORM: usize = 64 * 1024;

struct SourceRow {
    id: String,
    kind: &'static str,
    url: String,
    schedule: String,
    only: String,
    from_config: bool,
    /// (phase, done, total) of a run that is going.
    live: Option<(String, u64, u64)>,
}

struct RunRow {
    id: u64,
    source: String,
    started: String,
    seconds: String,
    status: &'static str,
    failed: bool,
    dry_run: bool,
    new: u64,
    changed: u64,
    unchanged: u64,
    retired: u64,
    conflicts: usize,
    errors: usize,
}

impl RunRow {
    fn of(r: &RunReport, lang: &str) -> Self {
        Self {
            id: r.id,
            source: r.source.clone(),
            started: r.started.format("%Y-%m-%d %H:%M:%S").to_string(),
            seconds: format!("{:.1}", r.seconds()),
            status: r.status.label(lang),
            failed: matches!(r.status, RunStatus::Failed | RunStatus::Interrupted),
            dry_run: r.dry_run,
            new: r.new,
            changed: r.changed,
            unchanged: r.unchanged,
            retired: r.retired,
            conflicts: r.conflicts.len(),
            errors: r.errors.len(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_harvest.html")]
struct HarvestPage {
    chrome: Chrome,
    csrf: String,
    sources: Vec<SourceRow>,
    runs: Vec<RunRow>,
    kinds: Vec<&'static str>,
    any_live: bool,
    problem: Option<String>,
    done: Option<String>,
    form: SourceConfigForm,
}

#[derive(Default, Clone)]
struct SourceConfigForm {
    id: String,
    kind: String,
    url: String,
    schedule: String,
    only: String,
}

#[derive(Template)]
#[template(path = "admin_harvest_run.html")]
struct RunPage {
    chrome: Chrome,
    run: RunRow,
    report: RunReport,
}

/// A problem or a confirmation to show above the page, and what was typed into the form.
struct Outcome {
    status: StatusCode,
    problem: Option<String>,
    done: Option<String>,
    form: SourceConfigForm,
}

impl Outcome {
    fn done(status: StatusCode, text: String) -> Self {
        Self { status, problem: None, done: Some(text), form: SourceConfigForm::blank() }
    }

    fn problem(status: StatusCode, text: String, form: SourceConfigForm) -> Self {
        Self { status, problem: Some(text), done: None, form }
    }
}

impl SourceConfigForm {
    fn blank() -> Self {
        Self { kind: "dcat".into(), ..Self::default() }
    }

    fn read(form: &FormData) -> Self {
        let v = |k: &str| form.value(k).trim().to_owned();
        Self { id: v("id"), kind: v("typ"), url: v("url"), schedule: v("schema"), only: v("endast") }
    }

    fn source(&self, kind: SourceKind) -> SourceConfig {
        SourceConfig {
            id: self.id.clone(),
            kind,
            url: self.url.clone(),
            schedule: (!self.schedule.is_empty()).then(|| self.schedule.clone()),
            only: self.only.split([',', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            columns: Default::default(),
        }
    }
}

async fn render(ctx: &Ctx, state: &AppState, o: Outcome) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang_code();
    let h = state.harvester.clone();
    let (sources, runs) = run(ctx, move || Ok::<_, crate::harvest::HarvestError>((h.sources()?, h.runs(None, 50)?))).await?;
    let sources: Vec<SourceRow> = sources
        .into_iter()
        .map(|(s, from_config)| SourceRow {
            live: state.harvester.live(&s.id).map(|l| (l.progress.phase, l.progress.done, l.progress.total.unwrap_or(0))),
            id: s.id,
            kind: s.kind.as_str(),
            url: s.url,
            schedule: s.schedule.unwrap_or_default(),
            only: s.only.join(", "),
            from_config,
        })
        .collect();
    let page = HarvestPage {
        chrome: Chrome::new(ctx.lang, w::HARVESTING.get(ctx.lang), &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        any_live: sources.iter().any(|s| s.live.is_some()),
        sources,
        runs: runs.iter().map(|r| RunRow::of(r, lang)).collect(),
        kinds: SourceKind::ALL.iter().map(|k| k.as_str()).collect(),
        problem: o.problem,
        done: o.done,
        form: o.form,
    };
    let live = page.any_live;
    let mut res = ctx.respond(o.status, page.render());
    if live {
        res.headers_mut().insert(header::REFRESH, header::HeaderValue::from_static("3"));
    }
    Ok(res)
}

/// `GET /admin/hamtning`.
pub(super) async fn page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    require(&req, &ctx, &state, Role::Admin)?;
    render(&ctx, &state, Outcome { status: StatusCode::OK, problem: None, done: None, form: SourceConfigForm::blank() }).await
}

/// `POST /admin/hamtning/kallor`: adds or changes a source (id, kind, url, schedule, only).
pub(super) async fn save_source(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Admin, payload, MAX_FORM).await?;
    let typed = SourceConfigForm::read(&form);
    let Some(kind) = SourceKind::parse(&typed.kind) else {
        return render(&ctx, &state, Outcome::problem(StatusCode::BAD_REQUEST, w::CHOOSE_KIND.get(ctx.lang).into(), typed)).await;
    };
    let (h, source) = (state.harvester.clone(), typed.source(kind));
    let outcome = match run(&ctx, move || h.save_source_as(&actor, &source)).await? {
        Ok(()) => Outcome::done(StatusCode::OK, w::source_saved(ctx.lang, &typed.id)),
        Err((field, problem)) => {
            Outcome::problem(StatusCode::BAD_REQUEST, format!("{}: {problem}", w::source_field(ctx.lang, &field)), typed)
        }
    };
    render(&ctx, &state, outcome).await
}

/// `POST /admin/hamtning/kor/{id}`: starts a run (in the background) and shows the page.
pub(super) async fn start_run(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, .. } = authorised_form(&req, &state, Role::Admin, payload, MAX_FORM).await?;
    let (id, h) = (path.into_inner(), state.harvester.clone());
    let source = id.clone();
    let started = blocking(move || h.start_as(&actor, &source)).await.map_err(|e| ctx.fail(e))?;
    let blank = SourceConfigForm::blank;
    let outcome = match started {
        Ok(run) => Outcome::done(StatusCode::ACCEPTED, w::run_started(ctx.lang, run, &id)),
        Err(HarvestError::Busy(_)) => Outcome::problem(StatusCode::CONFLICT, w::run_busy(ctx.lang, &id), blank()),
        Err(e @ HarvestError::UnknownSource(_)) => Outcome::problem(StatusCode::NOT_FOUND, e.to_string(), blank()),
        Err(e) => return Err(ctx.fail(e)),
    };
    render(&ctx, &state, outcome).await
}

/// `GET /admin/hamtning/korning/{run}`: one run's report.
pub(super) async fn run_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<u64>,
) -> Result<HttpResponse, PageError> {
    require(&req, &ctx, &state, Role::Admin)?;
    let (id, h) = (path.into_inner(), state.harvester.clone());
    let report = run(&ctx, move || h.report(id)).await?.ok_or_else(|| ctx.not_found(None))?;
    let page = RunPage {
        chrome: Chrome::new(ctx.lang, w::run_title(ctx.lang, id), &ctx.path_and_query, ""),
        run: RunRow::of(&report, ctx.lang_code()),
        report,
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}
