//! Handlers of the public pages: home, lists, record pages (by kind and id, codes, harvested
//! records by IRI), about, health, the stylesheet and the small script.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::Deserialize;

use super::kernel::AppState;
use super::kernel::context::{Ctx, VariableList};
use super::kernel::error::PageError;
use super::kernel::guard::read;
use super::kernel::paths;
use super::kernel::words::{list_heading, texts};
use super::views::{AboutPage, Chrome, HomePage, LIST_KINDS, ListPage, PageBuilder, nav_of};
use crate::model::record::{RecordKind, Resource};

const PAGE_SIZE: u64 = 50;

#[derive(Deserialize)]
pub(super) struct PageQuery {
    sida: Option<u64>,
}

/// Any path no route knows.
pub async fn not_found(ctx: Ctx) -> Result<HttpResponse, PageError> {
    Err(ctx.not_found(None))
}

pub(super) async fn home(ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let (counts, usecases, datasets) = read(&ctx, &state, move |cat| {
        let counts = cat.public_counts()?;
        let (_, usecases) = cat.public_list(RecordKind::UseCase, 0, 100)?;
        let (_, datasets) = cat.public_list(RecordKind::Dataset, 0, 200)?;
        let mut b = PageBuilder::new(cat, lang);
        // subsets are listed on their parent's page
        let top = datasets.iter().filter(|d| matches!(d, Resource::Dataset(x) if x.is_part_of.is_empty()));
        let ds = top.map(|d| b.list_item(d).map(|i| (i.link, i.detail))).collect::<Result<Vec<_>, _>>()?;
        let uc = usecases.iter().map(|u| b.list_item(u).map(|i| (i.link, i.detail))).collect::<Result<Vec<_>, _>>()?;
        Ok((counts, uc, ds))
    })
    .await?;
    let t = texts(lang);
    let kinds = [RecordKind::Dataset, RecordKind::Variable, RecordKind::CodeList, RecordKind::UseCase, RecordKind::Agent];
    let counts = kinds.into_iter().map(|k| (list_heading(k, lang), counts.get(&k).copied().unwrap_or(0), paths::list(k))).collect();
    let page = HomePage { chrome: Chrome::new(lang, t.site_name, &ctx.path_and_query, "home"), counts, usecases, datasets };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

pub(super) async fn list_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let kind = RecordKind::parse(&path).filter(|k| LIST_KINDS.contains(k)).ok_or_else(|| ctx.not_found(None))?;
    let (lang, page_no) = (ctx.lang, query.sida.unwrap_or(1).max(1));
    let offset = (page_no - 1) * PAGE_SIZE;
    let (total, items) = read(&ctx, &state, move |cat| {
        let (total, records) = cat.public_list(kind, offset, PAGE_SIZE)?;
        let mut b = PageBuilder::new(cat, lang);
        Ok((total, records.iter().map(|r| b.list_item(r)).collect::<Result<Vec<_>, _>>()?))
    })
    .await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    if page_no > pages {
        return Err(ctx.not_found(Some(kind)));
    }
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
        prev_href: (page_no > 1).then(|| paths::list_page(kind, page_no - 1)),
        next_href: (page_no < pages).then(|| paths::list_page(kind, page_no + 1)),
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// A public record's page (of `kind` when given); a record that exists only as a draft sends a
/// signed-in person to the draft.
async fn show_record(
    req: &HttpRequest,
    ctx: Ctx,
    state: &web::Data<AppState>,
    iri: Option<NamedNode>,
    kind: Option<RecordKind>,
) -> Result<HttpResponse, PageError> {
    let iri = iri.ok_or_else(|| ctx.not_found(kind))?;
    let (lang, path, record_iri) = (ctx.lang, ctx.path_and_query.clone(), iri.clone());
    let found = read(&ctx, state, move |cat| {
        let Some((meta, resource)) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
        PageBuilder::new(cat, lang).record_page(&meta, &resource, &path).map(|p| Some((meta.kind, p)))
    })
    .await?;
    let Some((found, mut page)) = found.filter(|(found, _)| kind.is_none_or(|k| k == *found)) else {
        if ctx.account.is_some() && super::curation::has_draft(state, &record_iri).await {
            let draft = format!("{}/utkast", req.path());
            return Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, draft)).finish());
        }
        return Err(ctx.not_found(kind));
    };
    let list = VariableList::read(req, state.catalogue.minter());
    if let Some(actions) = page.actions.as_mut() {
        let b = &mut actions.button;
        b.for_request(list.contains(&b.iri), &ctx.csrf, &ctx.path_and_query);
        // the variable's own page returns to its top
        b.return_to = ctx.path_and_query.clone();
    }
    for table in &mut page.tables {
        for b in &mut table.listed {
            b.for_request(list.contains(&b.iri), &ctx.csrf, &ctx.path_and_query);
        }
    }
    page.list_csrf = ctx.csrf.clone();
    page.list_return = ctx.path_and_query.clone();
    // internal curation notes (`skos:editorialNote`, `vk:needsInput`) are for the signed-in
    // curators only: never on a page the public sees (or a cache keeps: signed-in pages are
    // `no-store`)
    if ctx.account.is_none() {
        page.notice = None;
    }
    super::versions::decorate(&ctx, state, found, record_iri.clone(), &mut page).await;
    page.curation = super::curation::bar_for(state, &ctx, found, record_iri.clone(), false).await;
    if found == RecordKind::Dataset {
        page.quality = super::quality::record_block(req, state.catalogue.minter(), record_iri.clone(), lang).await;
        page.label = super::label::dataset_block(req, &ctx, record_iri).await;
    } else if found == RecordKind::Agent {
        page.maturity = super::label::agent_block(req, &ctx, record_iri).await;
    }
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

pub(super) async fn record_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (kind, id) = path.into_inner();
    if let Some(rdf) = super::dcat::record_rdf(&req, &kind, &id).await {
        return Ok(rdf);
    }
    let kind =
        RecordKind::parse(&kind).filter(|k| !matches!(k, RecordKind::Concept | RecordKind::Catalog)).ok_or_else(|| ctx.not_found(None))?;
    // `?per=2024-01-01`: the record as published on that day
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    if let Some((_, per)) = pairs.into_iter().find(|(k, _)| k == "per") {
        return super::versions::as_of_page(ctx, state, kind, id, per).await;
    }
    let iri = state.catalogue.minter().record(kind, &id).ok();
    show_record(&req, ctx, &state, iri, Some(kind)).await
}

pub(super) async fn concept_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (list, code) = path.into_inner();
    if let Some(rdf) = super::dcat::concept_rdf(&req, &list, &code).await {
        return Ok(rdf);
    }
    let iri = state.catalogue.minter().concept(&list, &code).ok();
    show_record(&req, ctx, &state, iri, Some(RecordKind::Concept)).await
}

#[derive(Deserialize)]
pub(super) struct IriQuery {
    iri: Option<String>,
}

/// A record whose IRI was minted elsewhere (harvested), shown by IRI.
pub(super) async fn foreign_record(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<IriQuery>,
) -> Result<HttpResponse, PageError> {
    if let Some(rdf) = super::dcat::foreign_rdf(&req, query.iri.as_deref()).await {
        return Ok(rdf);
    }
    let iri = query.iri.as_deref().and_then(|i| NamedNode::new(i).ok());
    show_record(&req, ctx, &state, iri, None).await
}

pub(super) async fn about(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let t = texts(ctx.lang);
    let page = AboutPage {
        chrome: Chrome::new(ctx.lang, t.about_title, &ctx.path_and_query, "about"),
        base_iri: state.catalogue.minter().base().to_owned(),
    };
    ctx.respond(StatusCode::OK, page.render())
}

/// The page for machines: the harvest address, profiles, paging, SPARQL, the API, feeds.
pub(super) async fn about_data(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let page = super::views::about_data(&ctx, state.catalogue.minter().base(), false);
    ctx.respond(StatusCode::OK, page.render())
}

static STYLE: &str = include_str!("../../static/style.css");
static SEARCH_JS: &str = include_str!("../../static/search.js");
static LIST_JS: &str = include_str!("../../static/list.js");
static SUGGEST_JS: &str = include_str!("../../static/suggest.js");
static FORMS_JS: &str = include_str!("../../static/forms.js");

fn asset(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok().content_type(content_type).insert_header((header::CACHE_CONTROL, "public, max-age=3600")).body(body)
}

pub(super) async fn search_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", SEARCH_JS)
}

pub(super) async fn list_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", LIST_JS)
}

pub(super) async fn suggest_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", SUGGEST_JS)
}

pub(super) async fn forms_script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", FORMS_JS)
}

pub(super) async fn stylesheet() -> HttpResponse {
    asset("text/css; charset=utf-8", STYLE)
}
