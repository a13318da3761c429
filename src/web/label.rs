//! The quality and utility label's pages: a dataset's label `/dataset/{id}/kvalitetsmarkning`
//! (a chart of the dimensions in SVG drawn on the server, every metric with its status and
//! evidence, and, for an editor of the holder, a form per metric and the yearly confirmation),
//! its JSON `/api/v1/quality/dataset/{id}/label`, the specification `/kvalitetsmarkning`, the
//! overdue datasets' Atom feed `/kvalitet/forsenade.atom`, an organisation's maturity form
//! `/agent/{id}/mognad`, and the blocks on dataset and agent pages. Everything is the label
//! service's (`crate::label`); these handlers read requests and render.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::Deserialize;

use super::kernel::AppState;
use super::kernel::context::{Ctx, local_path};
use super::kernel::error::{Failure, PageError};
use super::kernel::guard::{Submission, authorised_form, blocking, require};
use super::kernel::page::Chrome;
use super::kernel::paths;
use super::kernel::words::label::{LabelTexts, texts};
use super::views::label::{LabelBlock, MaturityBlock, label_page as label_view};
use crate::accounts::{Actor, Role};
use crate::label::{self, LabelError, Labels, maturity, spec};
use crate::model::record::RecordKind;
use crate::services::Services;

const MAX_FORM: usize = 64 * 1024;

/// Runs a label call on the blocking pool.
async fn call<T: Send + 'static>(
    ctx: &Ctx,
    services: &web::Data<Services>,
    f: impl FnOnce(&Labels) -> Result<T, LabelError> + Send + 'static,
) -> Result<Result<T, LabelError>, PageError> {
    let labels = services.labels.clone();
    blocking(move || f(&labels)).await.map_err(|e| ctx.fail(Failure::Internal(e)))
}

/// A refused step as this request's page, with a way back.
pub(super) fn refusal(ctx: &Ctx, e: &LabelError, back: &str) -> PageError {
    let status = match e {
        LabelError::NotFound => return ctx.not_found(None),
        LabelError::Forbidden { .. } => StatusCode::FORBIDDEN,
        LabelError::Invalid { .. } => StatusCode::BAD_REQUEST,
        other => return ctx.fail(Failure::Internal(other.to_string())),
    };
    ctx.fail(Failure::Refused { status, message: e.message(ctx.en()), back: back.to_owned() })
}

fn dataset_iri(ctx: &Ctx, state: &AppState, id: &str) -> Result<NamedNode, PageError> {
    state.catalogue.minter().record(RecordKind::Dataset, id).map_err(|_| ctx.not_found(Some(RecordKind::Dataset)))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

#[derive(Deserialize)]
pub(super) struct DoneQuery {
    klart: Option<String>,
}

/// `GET /dataset/{id}/kvalitetsmarkning`.
pub(super) async fn label_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let iri = dataset_iri(&ctx, &state, &id)?;
    let (i, actor) = (iri.clone(), ctx.account.clone());
    let found = call(&ctx, &services, move |l| {
        let snapshot = l.snapshot()?;
        let Some(label) = snapshot.labels.get(i.as_str()).cloned() else { return Ok(None) };
        let can_edit = match &actor {
            Some(a) => l.may_edit_dataset(a, &i)?,
            None => false,
        };
        Ok(Some((snapshot, label, can_edit)))
    })
    .await?;
    let (snapshot, label, can_edit) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return Err(ctx.not_found(Some(RecordKind::Dataset))),
        Err(e) => return Err(refusal(&ctx, &e, &paths::record(RecordKind::Dataset, &id))),
    };
    let page = label_view(&ctx, state.catalogue.minter(), id, &snapshot, &label, can_edit, query.klart.as_deref());
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `GET /api/v1/quality/dataset/{id}/label`.
#[utoipa::path(get, path = "/api/v1/quality/dataset/{id}/label", tag = "quality", operation_id = "label_get",
    summary = "En datamängds kvalitets- och nyttomärkning / A dataset's quality and utility label",
    description = "EHDS art. 78: elementen, QUANTUM:s dimensioner och varje mått beräknat (med underlaget), uppgivet av innehavaren eller saknat; poäng och klass; den årliga bekräftelsen. / EHDS Art. 78: the elements, QUANTUM's dimensions and every metric computed (with the evidence), declared by the holder or missing; score and class; the yearly confirmation.",
    params(("id" = String, Path, description = "Datamängdens id / The dataset's id")),
    responses(
        (status = 200, description = "Märkningen / The label", body = Object),
        (status = 404, description = "Ingen publik datamängd / No public dataset", body = super::api::schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub(super) async fn label_api(
    ctx: Ctx,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> HttpResponse {
    let id = path.into_inner();
    let not_found = |ctx: &Ctx| {
        let detail = if ctx.en() { "There is no such public dataset." } else { "Det finns ingen sådan publik datamängd." };
        super::api::problem(ctx.lang, StatusCode::NOT_FOUND, detail.to_owned(), vec![])
    };
    let Ok(iri) = state.catalogue.minter().record(RecordKind::Dataset, &id) else { return not_found(&ctx) };
    let base = state.catalogue.minter().base().to_owned();
    let labels = services.labels.clone();
    let found = blocking(move || {
        let snapshot = labels.snapshot()?;
        let (Some(label), Some(info)) = (snapshot.labels.get(iri.as_str()), snapshot.datasets.get(iri.as_str())) else { return Ok(None) };
        Ok::<_, LabelError>(Some(label::to_json(label, info, &label::label_page(&base, &id), &label::spec_page(&base))))
    })
    .await;
    match found {
        Ok(Ok(Some(v))) => HttpResponse::Ok().content_type("application/json").body(serde_json::to_string_pretty(&v).unwrap_or_default()),
        Ok(Ok(None)) => not_found(&ctx),
        Ok(Err(e)) => super::api::problem(ctx.lang, StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), vec![]),
        Err(e) => super::api::problem(ctx.lang, StatusCode::INTERNAL_SERVER_ERROR, e, vec![]),
    }
}

/// `POST /dataset/{id}/kvalitetsmarkning`: `atgard` = `spara` (with `matt`, `niva`,
/// `underlag`, `kommentar`) or `ta-bort` (with `matt`).
pub(super) async fn declare(
    req: HttpRequest,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await?;
    let id = path.into_inner();
    let iri = dataset_iri(&ctx, &state, &id)?;
    let back = paths::label_page(&id);
    let metric = form.value("matt");
    let done = if form.value("atgard") == "ta-bort" {
        call(&ctx, &services, move |l| l.withdraw(&actor, &iri, &metric).map(|_| "borttagen")).await?
    } else {
        let level = form.value("niva").trim().parse::<u8>().map_err(|_| {
            refusal(&ctx, &LabelError::Invalid { field: "niva".into(), sv: "välj en nivå".into(), en: "choose a level".into() }, &back)
        })?;
        let (evidence, note) = (form.value("underlag"), form.value("kommentar"));
        call(&ctx, &services, move |l| l.declare(&actor, &iri, &metric, level, &evidence, &note).map(|_| "sparad")).await?
    };
    match done {
        Ok(word) => Ok(see_other(&format!("{back}?klart={word}#matt-{}", form.value("matt")))),
        Err(e) => Err(refusal(&ctx, &e, &back)),
    }
}

/// `POST /dataset/{id}/intyga`: the yearly confirmation (`kommentar`, `tillbaka`).
pub(super) async fn attest(
    req: HttpRequest,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await?;
    let id = path.into_inner();
    let iri = dataset_iri(&ctx, &state, &id)?;
    let back = local_path(form.text("tillbaka").as_deref(), &paths::label_page(&id));
    let note = form.value("kommentar");
    match call(&ctx, &services, move |l| l.attest(&actor, &iri, &note)).await? {
        Ok(_) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Ok(see_other(&format!("{back}{sep}klart=bekraftad")))
        }
        Err(e) => Err(refusal(&ctx, &e, &back)),
    }
}

// ---- the specification ------------------------------------------------------------------

pub struct SpecMetric {
    pub id: &'static str,
    pub name: &'static str,
    pub method: &'static str,
    pub source: &'static str,
    pub rule: &'static str,
    pub levels: Vec<String>,
}

pub struct SpecDimension {
    pub id: &'static str,
    pub number: &'static str,
    pub name: &'static str,
    pub definition: &'static str,
    pub weight: String,
    pub source: &'static str,
    pub metrics: Vec<SpecMetric>,
}

pub struct SpecElement {
    pub id: &'static str,
    pub name: &'static str,
    pub reference: String,
    pub dimensions: Vec<SpecDimension>,
    pub metrics: Vec<SpecMetric>,
}

#[derive(Template)]
#[template(path = "label_spec.html")]
pub struct SpecPage {
    pub chrome: Chrome,
    pub w: &'static LabelTexts,
    pub elements: Vec<SpecElement>,
    /// (id, name, definition)
    pub maturity: Vec<(&'static str, &'static str, &'static str)>,
    /// (level, name, definition)
    pub maturity_levels: Vec<(u8, &'static str, &'static str)>,
}

fn spec_metric(m: &'static spec::Metric, w: &LabelTexts, en: bool) -> SpecMetric {
    SpecMetric {
        id: m.id,
        name: m.name(en),
        method: match m.method {
            spec::Method::Computed => w.computed_from,
            spec::Method::Declared => w.declared_only,
        },
        source: match m.source {
            spec::Source::Quantum => w.quantum,
            spec::Source::Ours => w.ours,
        },
        rule: m.rule(en),
        levels: (0..=m.top()).map(|l| format!("{l}: {}", m.level_name(l, en))).collect(),
    }
}

/// `GET /kvalitetsmarkning`: every element, dimension and metric (their IRIs in the DQV output
/// are this page's fragments).
pub(super) async fn spec_page(ctx: Ctx) -> HttpResponse {
    let (en, w) = (ctx.en(), texts(ctx.lang));
    let elements = spec::Element::ALL
        .iter()
        .map(|e| SpecElement {
            id: e.id(),
            name: e.name(en),
            reference: e.reference(en),
            dimensions: spec::DIMENSIONS
                .iter()
                .filter(|d| d.element == *e)
                .map(|d| SpecDimension {
                    id: d.id,
                    number: d.number,
                    name: d.name(en),
                    definition: d.definition(en),
                    weight: format!("{:.2} %", d.weight),
                    source: match d.source {
                        spec::Source::Quantum => w.quantum,
                        spec::Source::Ours => w.ours,
                    },
                    metrics: d.metrics().map(|m| spec_metric(m, w, en)).collect(),
                })
                .collect(),
            metrics: if *e == spec::Element::Enrichment {
                spec::METRICS.iter().filter(|m| m.dimension.is_empty()).map(|m| spec_metric(m, w, en)).collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    let page = SpecPage {
        chrome: Chrome::new(ctx.lang, w.spec_title, &ctx.path_and_query, ""),
        w,
        elements,
        maturity: maturity::DIMENSIONS.iter().map(|d| (d.id, d.name(en), d.definition(en))).collect(),
        maturity_levels: maturity::LEVELS.iter().map(|l| (l.0, if en { l.2 } else { l.1 }, if en { l.4 } else { l.3 })).collect(),
    };
    ctx.respond(StatusCode::OK, page.render())
}

/// `GET /kvalitet/forsenade.atom`: the overdue datasets for the health data access body.
pub(super) async fn overdue_feed(ctx: Ctx, services: web::Data<Services>) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang_code();
    match call(&ctx, &services, move |l| l.overdue_feed(lang)).await? {
        Ok(body) => Ok(HttpResponse::Ok()
            .content_type("application/atom+xml; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
            .body(body)),
        Err(e) => Err(ctx.fail(Failure::Internal(e.to_string()))),
    }
}

// ---- blocks on other pages --------------------------------------------------------------

/// The block for a dataset's page (`None`: no label, e.g. a harvested dataset).
pub async fn dataset_block(req: &HttpRequest, ctx: &Ctx, iri: NamedNode) -> Option<LabelBlock> {
    let services = req.app_data::<web::Data<Services>>()?.clone();
    let minter = services.catalogue.minter();
    let Some((RecordKind::Dataset, id)) = minter.parse(iri.as_str()) else { return None };
    let actor = ctx.account.clone();
    let (label, can_edit) = blocking(move || {
        let label = services.labels.label(&iri)?;
        let can_edit = match &actor {
            Some(a) => services.labels.may_edit_dataset(a, &iri)?,
            None => false,
        };
        Ok::<_, LabelError>((label, can_edit))
    })
    .await
    .ok()?
    .map_err(|e| tracing::error!(error = %e, "the quality label failed"))
    .ok()?;
    let label = label?;
    Some(LabelBlock {
        class: label.class,
        score: format!("{:.0}", label.score),
        href: paths::label_page(&id),
        confirmed: label.attestation.as_ref().map(|a| (a.time.format("%Y-%m-%d").to_string(), a.author.clone())),
        due: label.attestation_due.map(|d| d.to_string()),
        overdue: label.overdue,
        attest: can_edit.then(|| (paths::attest(&id), ctx.csrf.clone(), paths::record(RecordKind::Dataset, &id))),
        just_attested: req.query_string().contains("klart=bekraftad"),
    })
}

/// The block for an agent's page.
pub async fn agent_block(req: &HttpRequest, ctx: &Ctx, iri: NamedNode) -> Option<MaturityBlock> {
    let services = req.app_data::<web::Data<Services>>()?.clone();
    let Some((RecordKind::Agent, id)) = services.catalogue.minter().parse(iri.as_str()) else { return None };
    let actor = ctx.account.clone();
    let (m, can_edit) = blocking(move || {
        let m = services.labels.maturity(&iri)?;
        let can_edit = match &actor {
            Some(a) => services.labels.may_act_for(a, iri.as_str())?,
            None => false,
        };
        Ok::<_, LabelError>((m, can_edit))
    })
    .await
    .ok()?
    .ok()?;
    let en = ctx.en();
    let w = texts(ctx.lang);
    Some(MaturityBlock {
        rows: maturity::DIMENSIONS
            .iter()
            .map(|d| {
                let level = m.as_ref().and_then(|m| m.levels.get(d.id).copied());
                (d.name(en), level.map_or_else(|| w.not_assessed.to_owned(), |l| format!("{l}: {}", maturity::level_name(l, en))))
            })
            .collect(),
        assessed: m.as_ref().map(|m| (m.time.format("%Y-%m-%d").to_string(), m.author.clone())),
        edit_href: can_edit.then(|| paths::maturity(&id)),
    })
}

// ---- the maturity form ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "maturity.html")]
pub struct MaturityPage {
    pub chrome: Chrome,
    pub w: &'static LabelTexts,
    pub csrf: String,
    pub agent_href: String,
    pub action: String,
    /// (id, name, definition, chosen level)
    pub dimensions: Vec<(&'static str, &'static str, &'static str, Option<u8>)>,
    /// (level, name)
    pub levels: Vec<(u8, &'static str)>,
    pub evidence: String,
    pub note: String,
    pub done: bool,
}

async fn agent_for(ctx: &Ctx, state: &AppState, services: &web::Data<Services>, id: &str) -> Result<(NamedNode, String), PageError> {
    let iri = state.catalogue.minter().record(RecordKind::Agent, id).map_err(|_| ctx.not_found(Some(RecordKind::Agent)))?;
    let (cat, i) = (services.catalogue.clone(), iri.clone());
    let name =
        blocking(move || cat.public_resource(i.as_ref())).await.map_err(|e| ctx.fail(Failure::Internal(e)))?.map_err(|e| ctx.fail(e))?;
    match name {
        Some((_, crate::model::record::Resource::Agent(a))) => Ok((iri, a.name.best(ctx.lang.code()).to_owned())),
        _ => Err(ctx.not_found(Some(RecordKind::Agent))),
    }
}

async fn may_act(ctx: &Ctx, services: &web::Data<Services>, actor: Actor, org: &NamedNode) -> Result<(), PageError> {
    let o = org.as_str().to_owned();
    match call(ctx, services, move |l| l.may_act_for(&actor, &o)).await? {
        Ok(true) => Ok(()),
        Ok(false) => Err(ctx.fail(Failure::Refused {
            status: StatusCode::FORBIDDEN,
            message: LabelError::Forbidden {
                sv: "Ditt konto är inte redaktör för organisationen. En administratör kan koppla kontot till den.".into(),
                en: "Your account is not an editor for the organisation. An administrator can link the account to it.".into(),
            }
            .message(ctx.en()),
            back: services.catalogue.minter().path(org.as_str()),
        })),
        Err(e) => Err(refusal(ctx, &e, "/")),
    }
}

/// `GET /agent/{id}/mognad`.
pub(super) async fn maturity_form(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let id = path.into_inner();
    let (iri, name) = agent_for(&ctx, &state, &services, &id).await?;
    may_act(&ctx, &services, actor, &iri).await?;
    let i = iri.clone();
    let current = call(&ctx, &services, move |l| l.maturity(&i)).await?.map_err(|e| refusal(&ctx, &e, "/"))?;
    let (en, w) = (ctx.en(), texts(ctx.lang));
    let page = MaturityPage {
        chrome: Chrome::new(ctx.lang, format!("{}: {name}", w.maturity_title), &ctx.path_and_query, ""),
        w,
        csrf: ctx.csrf.clone(),
        agent_href: paths::record(RecordKind::Agent, &id),
        action: paths::maturity(&id),
        dimensions: maturity::DIMENSIONS
            .iter()
            .map(|d| (d.id, d.name(en), d.definition(en), current.as_ref().and_then(|m| m.levels.get(d.id).copied())))
            .collect(),
        levels: maturity::LEVELS.iter().map(|l| (l.0, if en { l.2 } else { l.1 })).collect(),
        evidence: current.as_ref().map(|m| m.evidence.clone()).unwrap_or_default(),
        note: current.as_ref().map(|m| m.note.clone()).unwrap_or_default(),
        done: query.klart.is_some(),
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `POST /agent/{id}/mognad`: a level (1–5, or empty) per dimension, `underlag`, `kommentar`.
pub(super) async fn save_maturity(
    req: HttpRequest,
    state: web::Data<AppState>,
    services: web::Data<Services>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await?;
    let id = path.into_inner();
    let (iri, _) = agent_for(&ctx, &state, &services, &id).await?;
    let back = paths::maturity(&id);
    let mut levels = BTreeMap::new();
    for d in maturity::DIMENSIONS {
        let v = form.value(d.id);
        if v.trim().is_empty() {
            continue;
        }
        let Ok(level) = v.trim().parse::<u8>() else {
            let e =
                LabelError::Invalid {
                    field: d.name(ctx.en()).into(), sv: "nivån ska vara 1–5".into(), en: "the level must be 1–5".into()
                };
            return Err(refusal(&ctx, &e, &back));
        };
        levels.insert(d.id.to_owned(), level);
    }
    let (evidence, note) = (form.value("underlag"), form.value("kommentar"));
    match call(&ctx, &services, move |l| l.set_maturity(&actor, &iri, &levels, &evidence, &note)).await? {
        Ok(_) => Ok(see_other(&format!("{back}?klart=sparad"))),
        Err(e) => Err(refusal(&ctx, &e, &back)),
    }
}

/// A publisher's overdue datasets on `/kvalitet`.
pub struct OverdueView {
    pub publisher: String,
    pub href: Option<String>,
    /// (title, page, last confirmation or empty)
    pub datasets: Vec<(String, String, String)>,
}

/// The overdue datasets, by publisher (empty when the label service fails: logged).
pub async fn overdue_views(state: &AppState, ctx: &Ctx) -> Vec<OverdueView> {
    let labels = state.labels.clone();
    let groups = match blocking(move || labels.overdue()).await {
        Ok(Ok(g)) => g,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "the overdue list failed");
            return Vec::new();
        }
        Err(e) => {
            tracing::error!(error = %e, "the overdue list failed");
            return Vec::new();
        }
    };
    let minter = state.catalogue.minter();
    let lang = ctx.lang_code();
    groups
        .into_iter()
        .map(|g| OverdueView {
            publisher: g.name.best(lang).to_owned(),
            href: (!g.publisher.is_empty()).then(|| minter.path(&g.publisher)),
            datasets: g
                .datasets
                .iter()
                .map(|(iri, title, last)| {
                    (
                        title.best(lang).to_owned(),
                        minter.path(iri),
                        last.as_ref().map(|a| a.time.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                    )
                })
                .collect(),
        })
        .collect()
}
