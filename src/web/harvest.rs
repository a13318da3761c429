//! The harvest admin page `/admin/hamtning` (admins only, every route through
//! `auth::require(.., Role::Admin)`): the sources with a progress bar while a run is going,
//! the history of runs, starting a run, adding and changing sources, one run's full report.
//! Handlers only read the form, call [`crate::harvest::Harvester`] on a blocking thread and
//! render.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::auth::{authorised_form, blocking, read_form, require, Submission};
use super::ctx::Ctx;
use super::views::Chrome;
use super::AppState;
use crate::harvest::{Harvester, SourceConfig, SourceKind};
use crate::state::harvest::{RunReport, RunStatus};
use crate::accounts::Role;

const MAX_FORM: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/hamtning", web::get().to(page))
        .route("/admin/hamtning/kallor", web::post().to(save_source))
        .route("/admin/hamtning/kor/{id}", web::post().to(start_run))
        .route("/admin/hamtning/korning/{run}", web::get().to(run_page));
}

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

fn harvester(req: &HttpRequest) -> Option<web::Data<Harvester>> {
    req.app_data::<web::Data<Harvester>>().cloned()
}

async fn render(req: &HttpRequest, state: &AppState, status: StatusCode, problem: Option<String>, done: Option<String>, form: SourceConfigForm) -> HttpResponse {
    let ctx = Ctx::of(req, state.default_lang);
    let lang = ctx.lang.code();
    let Some(h) = harvester(req) else { return super::pages::error_page(&ctx, "the harvester is not running".into()) };
    let h2 = h.clone();
    let data = blocking(move || -> Result<_, crate::harvest::HarvestError> {
        let sources = h2.sources()?;
        let runs = h2.state().harvest.runs(None, 50)?;
        Ok((sources, runs))
    })
    .await;
    let (sources, runs) = match data {
        Ok(d) => d,
        Err(e) => return super::pages::error_page(&ctx, e),
    };
    let sources: Vec<SourceRow> = sources
        .into_iter()
        .map(|(s, from_config)| SourceRow {
            live: h.live(&s.id).map(|l| (l.progress.phase, l.progress.done, l.progress.total.unwrap_or(0))),
            id: s.id,
            kind: s.kind.as_str(),
            url: s.url,
            schedule: s.schedule.unwrap_or_default(),
            only: s.only.join(", "),
            from_config,
        })
        .collect();
    let title = if lang == "en" { "Harvesting" } else { "Hämtning" };
    let page = HarvestPage {
        chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        any_live: sources.iter().any(|s| s.live.is_some()),
        sources,
        runs: runs.iter().map(|r| RunRow::of(r, lang)).collect(),
        kinds: SourceKind::ALL.iter().map(|k| k.as_str()).collect(),
        problem,
        done,
        form,
    };
    let live = page.any_live;
    let mut res = ctx.respond(status, page.render());
    if live {
        res.headers_mut().insert(header::REFRESH, header::HeaderValue::from_static("3"));
    }
    res
}

/// `GET /admin/hamtning`.
async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if let Err(res) = require(&req, &state, Role::Admin) {
        return res;
    }
    render(&req, &state, StatusCode::OK, None, None, SourceConfigForm { kind: "dcat".into(), ..Default::default() }).await
}

/// `POST /admin/hamtning/kallor`: adds or changes a source (id, kind, url, schedule, only).
async fn save_source(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Admin, payload, MAX_FORM).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let en = ctx.lang.code() == "en";
    let typed = SourceConfigForm {
        id: form.value("id").trim().to_owned(),
        kind: form.value("typ").trim().to_owned(),
        url: form.value("url").trim().to_owned(),
        schedule: form.value("schema").trim().to_owned(),
        only: form.value("endast").trim().to_owned(),
    };
    let Some(kind) = SourceKind::parse(&typed.kind) else {
        let p = if en { "Choose a kind of source." } else { "Välj en typ av källa." };
        return render(&req, &state, StatusCode::BAD_REQUEST, Some(p.into()), None, typed).await;
    };
    let source = SourceConfig {
        id: typed.id.clone(),
        kind,
        url: typed.url.clone(),
        schedule: (!typed.schedule.is_empty()).then(|| typed.schedule.clone()),
        only: typed.only.split([',', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        columns: Default::default(),
    };
    let Some(h) = harvester(&req) else { return super::pages::error_page(&ctx, "the harvester is not running".into()) };
    let st = state.state.clone();
    let who = actor.user.clone();
    let result = blocking(move || -> Result<_, crate::harvest::HarvestError> {
        let r = h.save_source(&source)?;
        if r.is_ok() {
            st.audit.record(&who, "harvest_source_save", &source.id, &source.url)?;
        }
        Ok(r)
    })
    .await;
    match result {
        Ok(Ok(())) => {
            let done = if en { format!("Saved the source {}. Scheduled runs start with the next restart.", typed.id) } else { format!("Källan {} är sparad. Schemalagda körningar börjar vid nästa omstart.", typed.id) };
            render(&req, &state, StatusCode::OK, None, Some(done), SourceConfigForm { kind: "dcat".into(), ..Default::default() }).await
        }
        Ok(Err((field, problem))) => {
            let field_name = match (field.as_str(), en) {
                ("id", false) => "Id",
                ("url", false) => "Adress",
                ("schedule", false) => "Schema",
                ("id", true) => "Id",
                ("url", true) => "URL",
                ("schedule", true) => "Schedule",
                (_, _) => "?",
            };
            render(&req, &state, StatusCode::BAD_REQUEST, Some(format!("{field_name}: {problem}")), None, typed).await
        }
        Err(e) => super::pages::error_page(&ctx, e),
    }
}

/// `POST /admin/hamtning/kor/{id}`: starts a run (in the background) and shows the page.
async fn start_run(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>, payload: web::Payload) -> HttpResponse {
    let actor = match require(&req, &state, Role::Admin) {
        Ok(a) => a,
        Err(res) => return res,
    };
    let ctx = Ctx::of(&req, state.default_lang);
    if let Err(res) = read_form(&req, &ctx, payload, MAX_FORM).await {
        return res;
    }
    let en = ctx.lang.code() == "en";
    let id = path.into_inner();
    let Some(h) = harvester(&req) else { return super::pages::error_page(&ctx, "the harvester is not running".into()) };
    let st = state.state.clone();
    let (who, source) = (actor.user.clone(), id.clone());
    let result = blocking(move || -> Result<Result<u64, crate::harvest::HarvestError>, crate::state::StateError> {
        let r = h.into_inner().start(&source);
        if r.is_ok() {
            st.audit.record(&who, "harvest_start", &source, "")?;
        }
        Ok(r)
    })
    .await;
    match result {
        Ok(Ok(run)) => {
            let done = if en { format!("Run {run} of {id} has started.") } else { format!("Körning {run} av {id} har startat.") };
            render(&req, &state, StatusCode::ACCEPTED, None, Some(done), SourceConfigForm { kind: "dcat".into(), ..Default::default() }).await
        }
        Ok(Err(crate::harvest::HarvestError::Busy(_))) => {
            let p = if en { format!("A run of {id} is already going.") } else { format!("En körning av {id} pågår redan.") };
            render(&req, &state, StatusCode::CONFLICT, Some(p), None, SourceConfigForm { kind: "dcat".into(), ..Default::default() }).await
        }
        Ok(Err(e)) => {
            let status = if matches!(e, crate::harvest::HarvestError::UnknownSource(_)) { StatusCode::NOT_FOUND } else { StatusCode::INTERNAL_SERVER_ERROR };
            render(&req, &state, status, Some(e.to_string()), None, SourceConfigForm { kind: "dcat".into(), ..Default::default() }).await
        }
        Err(e) => super::pages::error_page(&ctx, e),
    }
}

/// `GET /admin/hamtning/korning/{run}`: one run's report.
async fn run_page(req: HttpRequest, state: web::Data<AppState>, path: web::Path<u64>) -> HttpResponse {
    if let Err(res) = require(&req, &state, Role::Admin) {
        return res;
    }
    let ctx = Ctx::of(&req, state.default_lang);
    let lang = ctx.lang.code();
    let id = path.into_inner();
    let st = state.state.clone();
    match blocking(move || st.harvest.run(id)).await {
        Ok(Some(report)) => {
            let title = if lang == "en" { format!("Harvest run {id}") } else { format!("Hämtning, körning {id}") };
            let page = RunPage { chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""), run: RunRow::of(&report, lang), report };
            ctx.respond(StatusCode::OK, page.render())
        }
        Ok(None) => super::pages::not_found(req.clone(), state.clone()).await,
        Err(e) => super::pages::error_page(&ctx, e),
    }
}
