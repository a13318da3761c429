//! Handlers of the public pages.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::Deserialize;

use super::i18n::texts;
use super::views::{
    list_heading, nav_of, AboutPage, Chrome, ErrorPage, HomePage, ListPage, PageBuilder, Val, LIST_KINDS,
};
use super::ctx::Ctx;
use super::AppState;
use crate::model::record::{RecordKind, Resource};
use crate::store::StoreError;

const PAGE_SIZE: u64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/healthz", web::get().to(healthz))
        .route("/om", web::get().to(about))
        .route("/static/style.css", web::get().to(stylesheet))
        .route("/resurs", web::get().to(foreign_record))
        .route("/sok", web::get().to(super::search::search_page))
        .route("/api/v1/search", web::get().to(super::search::search_api))
        .route("/jamfor", web::get().to(super::compare::compare_page))
        .route("/variabellista", web::get().to(super::varlist::list_page))
        .route("/variabellista.{ext}", web::get().to(super::varlist::export_list))
        .route("/variabellista/lagg-till", web::post().to(super::varlist::add))
        .route("/variabellista/ta-bort", web::post().to(super::varlist::remove))
        .route("/variabellista/tom", web::post().to(super::varlist::clear))
        .route("/variable/{id:[a-z0-9-]+}.{ext:json|csv}", web::get().to(super::varlist::export_variable))
        .route("/static/search.js", web::get().to(search_script))
        .route("/datainsamling", web::get().to(super::collections::list))
        .route("/datainsamling/{id}", web::get().to(super::collections::page))
        .route("/datainsamling/{id}/{file}", web::get().to(super::collections::schema))
        .route("/kontroll/leverans", web::get().to(super::collections::delivery_form))
        .route("/kontroll/leverans", web::post().to(super::collections::delivery_check))
        .route("/kvalitet", web::get().to(super::quality::dashboard_page))
        .route("/kvalitet/dataset/{id}", web::get().to(super::quality::dataset_page))
        .route("/api/v1/quality", web::get().to(super::quality::catalogue_api))
        .route("/api/v1/quality/dataset/{id}", web::get().to(super::quality::dataset_api))
        .route("/kvalitet/ehds", web::get().to(super::ehds::page))
        .route("/kvalitet/ehds.csv", web::get().to(super::ehds::csv))
        .route("/api/v1/ehds", web::get().to(super::ehds::api))
        .service(
            // the body is read (at most `ingest::MAX_UPLOAD`) only after the role check
            web::resource("/import")
                .route(web::get().to(super::ingest::import_form))
                .route(web::post().to(super::ingest::import_preview)),
        )
        .route("/import/bekrafta", web::post().to(super::ingest::import_confirm))
        .route("/feed.atom", web::get().to(super::feed::catalogue_feed))
        .route("/dataset/{id}/feed.atom", web::get().to(super::feed::dataset_feed))
        .route("/dataset/{id}/variabler.{ext:xlsx|csv}", web::get().to(super::ingest::export_dataset))
        .route("/codelist/{list}/{code}", web::get().to(concept_page))
        .route("/{kind}", web::get().to(list_page))
        .route("/{kind}/{id}", web::get().to(record_page));
}

#[derive(Deserialize)]
struct PageQuery {
    sida: Option<u64>,
}

/// Runs a catalogue read on the blocking pool; a store failure becomes the error page.
pub(super) async fn read<T: Send + 'static>(
    state: &web::Data<AppState>,
    f: impl FnOnce(&crate::catalog::Catalogue) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, String> {
    let cat = state.catalogue.clone();
    match web::block(move || f(&cat)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "catalogue read failed");
            Err(e.to_string())
        }
        Err(e) => {
            tracing::error!(error = %e, "blocking task failed");
            Err(e.to_string())
        }
    }
}

pub(super) fn error_page(ctx: &Ctx, detail: String) -> HttpResponse {
    let t = texts(ctx.lang);
    let page = ErrorPage {
        chrome: Chrome::new(ctx.lang, t.error_title, &ctx.path_and_query, ""),
        heading: t.error_title.into(),
        message: t.error_text.into(),
        detail: Some(detail),
        suggestions: Vec::new(),
    };
    ctx.respond(StatusCode::INTERNAL_SERVER_ERROR, page.render())
}

/// The helpful 404 page; `kind` names the list to try when a record id was not found.
pub(super) fn not_found_page(ctx: &Ctx, path: &str, kind: Option<RecordKind>) -> HttpResponse {
    let t = texts(ctx.lang);
    let mut suggestions: Vec<Val> = Vec::new();
    if let Some(k) = kind {
        suggestions.push(Val::link(list_heading(k, ctx.lang), format!("/{}", k.as_str())));
    }
    for k in [RecordKind::Dataset, RecordKind::Variable, RecordKind::CodeList, RecordKind::UseCase] {
        if Some(k) != kind {
            suggestions.push(Val::link(list_heading(k, ctx.lang), format!("/{}", k.as_str())));
        }
    }
    suggestions.push(Val::link(t.nav_home, "/"));
    let page = ErrorPage {
        chrome: Chrome::new(ctx.lang, t.not_found_title, &ctx.path_and_query, ""),
        heading: t.not_found_title.into(),
        message: format!("{} {path}.", t.not_found_text),
        detail: kind.map(|_| t.not_found_record.to_owned()),
        suggestions,
    };
    ctx.respond(StatusCode::NOT_FOUND, page.render())
}

pub async fn not_found(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    not_found_page(&ctx, req.path(), None)
}

async fn home(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let lang = ctx.lang;
    let result = read(&state, move |cat| {
        let counts = cat.public_counts()?;
        let (_, usecases) = cat.public_list(RecordKind::UseCase, 0, 100)?;
        let (_, datasets) = cat.public_list(RecordKind::Dataset, 0, 200)?;
        let mut b = PageBuilder::new(cat, lang);
        let mut ds = Vec::new();
        for d in &datasets {
            if let Resource::Dataset(x) = d {
                // subsets are listed on their parent's page
                if x.is_part_of.is_empty() {
                    let item = b.list_item(d)?;
                    ds.push((item.link, item.detail));
                }
            }
        }
        let mut uc = Vec::new();
        for u in &usecases {
            let item = b.list_item(u)?;
            uc.push((item.link, item.detail));
        }
        Ok((counts, uc, ds))
    })
    .await;
    let (counts, usecases, datasets) = match result {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e),
    };
    let t = texts(lang);
    let count_rows = [
        (RecordKind::Dataset, t.datasets),
        (RecordKind::Variable, t.variables),
        (RecordKind::CodeList, t.codelists),
        (RecordKind::UseCase, t.usecases),
        (RecordKind::Agent, t.agents),
    ]
    .into_iter()
    .map(|(k, label)| (label.to_owned(), counts.get(&k).copied().unwrap_or(0), format!("/{}", k.as_str())))
    .collect();
    let page = HomePage {
        chrome: Chrome::new(lang, t.site_name, &ctx.path_and_query, "home"),
        counts: count_rows,
        usecases,
        datasets,
    };
    ctx.respond(StatusCode::OK, page.render())
}

async fn list_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let Some(kind) = RecordKind::parse(&path).filter(|k| LIST_KINDS.contains(k)) else {
        return not_found_page(&ctx, req.path(), None);
    };
    let lang = ctx.lang;
    let page_no = query.sida.unwrap_or(1).max(1);
    let offset = (page_no - 1) * PAGE_SIZE;
    let result = read(&state, move |cat| {
        let (total, records) = cat.public_list(kind, offset, PAGE_SIZE)?;
        let mut b = PageBuilder::new(cat, lang);
        let items = records.iter().map(|r| b.list_item(r)).collect::<Result<Vec<_>, _>>()?;
        Ok((total, items))
    })
    .await;
    let (total, items) = match result {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e),
    };
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    if page_no > pages {
        return not_found_page(&ctx, req.path(), Some(kind));
    }
    let base = format!("/{}", kind.as_str());
    let heading = list_heading(kind, lang);
    let page = ListPage {
        chrome: Chrome::new(lang, heading.clone(), &ctx.path_and_query, nav_of(kind)),
        heading,
        first: if total == 0 { 0 } else { offset + 1 },
        last: offset + items.len() as u64,
        items,
        total,
        page: page_no,
        pages,
        prev_href: (page_no > 1).then(|| format!("{base}?sida={}", page_no - 1)),
        next_href: (page_no < pages).then(|| format!("{base}?sida={}", page_no + 1)),
    };
    ctx.respond(StatusCode::OK, page.render())
}

async fn show_record(req: &HttpRequest, state: &web::Data<AppState>, iri: Option<NamedNode>, kind: Option<RecordKind>) -> HttpResponse {
    let ctx = Ctx::of(req, state.default_lang);
    let Some(iri) = iri else { return not_found_page(&ctx, req.path(), kind) };
    let lang = ctx.lang;
    let path = ctx.path_and_query.clone();
    let record_iri = iri.clone();
    let result = read(state, move |cat| {
        let Some((meta, resource)) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
        PageBuilder::new(cat, lang).record_page(&meta, &resource, &path).map(|p| Some((meta.kind, p)))
    })
    .await;
    match result {
        Ok(Some((found, mut page))) if kind.is_none() || kind == Some(found) => {
            if let Some(actions) = page.actions.as_mut() {
                actions.in_list = super::varlist::VariableList::read(req, state.catalogue.minter()).contains(&actions.iri);
                actions.csrf = ctx.csrf.clone();
                actions.return_to = ctx.path_and_query.clone();
            }
            page.curation = super::curation::bar_for(state, &ctx, found, record_iri.clone(), false).await;
            if found == RecordKind::Dataset {
                page.quality = super::quality::record_block(req, state.catalogue.minter(), record_iri, lang).await;
            }
            ctx.respond(StatusCode::OK, page.render())
        }
        Ok(None) if ctx.account.is_some() && super::curation::has_draft(state, &record_iri).await => {
            // a record that exists only as a draft: signed-in people see the draft
            HttpResponse::SeeOther().insert_header((header::LOCATION, format!("{}/utkast", req.path()))).finish()
        }
        Ok(_) => not_found_page(&ctx, req.path(), kind),
        Err(e) => error_page(&ctx, e),
    }
}

async fn record_page(req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let (kind, id) = path.into_inner();
    if let Some(rdf) = super::dcat::record_rdf(&req, &kind, &id).await {
        return rdf;
    }
    let Some(kind) = RecordKind::parse(&kind).filter(|k| *k != RecordKind::Concept && *k != RecordKind::Catalog) else {
        let ctx = Ctx::of(&req, state.default_lang);
        return not_found_page(&ctx, req.path(), None);
    };
    let iri = state.catalogue.minter().record(kind, &id).ok();
    show_record(&req, &state, iri, Some(kind)).await
}

async fn concept_page(req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let (list, code) = path.into_inner();
    if let Some(rdf) = super::dcat::concept_rdf(&req, &list, &code).await {
        return rdf;
    }
    let iri = state.catalogue.minter().concept(&list, &code).ok();
    show_record(&req, &state, iri, Some(RecordKind::Concept)).await
}

#[derive(Deserialize)]
struct IriQuery {
    iri: Option<String>,
}

/// A record whose IRI was minted elsewhere (harvested), shown by IRI.
async fn foreign_record(req: HttpRequest, state: web::Data<AppState>, query: web::Query<IriQuery>) -> HttpResponse {
    if let Some(rdf) = super::dcat::foreign_rdf(&req, query.iri.as_deref()).await {
        return rdf;
    }
    let iri = query.iri.as_deref().and_then(|i| NamedNode::new(i).ok());
    show_record(&req, &state, iri, None).await
}

async fn about(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let t = texts(ctx.lang);
    let page = AboutPage {
        chrome: Chrome::new(ctx.lang, t.about_title, &ctx.path_and_query, "about"),
        base_iri: state.catalogue.minter().base().to_owned(),
    };
    ctx.respond(StatusCode::OK, page.render())
}

async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let cat = state.catalogue.clone();
    match web::block(move || cat.store().count(&crate::store::Filter::default())).await {
        Ok(Ok(records)) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok", "records": records })),
        Ok(Err(e)) => HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "error", "error": e.to_string() })),
        Err(e) => HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "error", "error": e.to_string() })),
    }
}

static STYLE: &str = include_str!("../../static/style.css");
static SEARCH_JS: &str = include_str!("../../static/search.js");

async fn search_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(SEARCH_JS)
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLE)
}
