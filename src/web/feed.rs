//! HTTP of the change feeds: `/feed.atom` (the catalogue) and `/dataset/{id}/feed.atom`
//! (one dataset). The entries and the document are `publish::feed`'s.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::ctx::Ctx;
use super::pages::{error_page, not_found_page, read};
use super::AppState;
use crate::model::record::{RecordKind, Resource};
use crate::publish::feed::{self, Feed, FEED_SIZE};

const ATOM: &str = "application/atom+xml; charset=utf-8";

fn respond(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ATOM)
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(body)
}

/// The catalogue's title and publisher's name in the page language.
fn names(cat: &crate::catalog::Catalogue, lang: &str) -> Result<(String, String), crate::store::StoreError> {
    let iri = cat.minter().catalog();
    let Some((_, Resource::Catalog(c))) = cat.public_resource(iri.as_ref())? else {
        return Ok(("Vårdkatalogen".into(), "Vårdkatalogen".into()));
    };
    let title = c.title.best(lang).to_owned();
    let author = match &c.publisher {
        Some(p) => cat.labels(std::slice::from_ref(p))?.get(p).map(|n| n.best(lang).to_owned()).unwrap_or_else(|| title.clone()),
        None => title.clone(),
    };
    Ok((title, author))
}

pub async fn catalogue_feed(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let lang = ctx.lang.code();
    let result = read(&state, move |cat| {
        let (title, author) = names(cat, lang)?;
        let base = cat.minter().base().to_owned();
        let feed = Feed {
            self_url: format!("{base}feed.atom"),
            alternate: base.clone(),
            title: if lang == "en" { format!("{title}: published changes") } else { format!("{title}: publicerade ändringar") },
            author,
            entries: feed::catalogue_entries(cat, FEED_SIZE)?,
        };
        Ok(feed.to_atom(lang, &base, &|iri| cat.minter().path(iri)))
    })
    .await;
    match result {
        Ok(body) => respond(body),
        Err(e) => error_page(&ctx, e),
    }
}

pub async fn dataset_feed(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let lang = ctx.lang.code();
    let Ok(iri) = state.catalogue.minter().record(RecordKind::Dataset, &path.into_inner()) else {
        return not_found_page(&ctx, req.path(), Some(RecordKind::Dataset));
    };
    let result = read(&state, move |cat| {
        let Some(entries) = feed::dataset_entries(cat, &iri, FEED_SIZE)? else { return Ok(None) };
        let (_, author) = names(cat, lang)?;
        let label = match cat.public_resource(iri.as_ref())? {
            Some((_, r)) => r.label().best(lang).to_owned(),
            None => String::new(),
        };
        let base = cat.minter().base().to_owned();
        let page = format!("{}{}", base.trim_end_matches('/'), cat.minter().path(iri.as_str()));
        let feed = Feed {
            self_url: format!("{page}/feed.atom"),
            alternate: page,
            title: if lang == "en" { format!("{label}: published changes") } else { format!("{label}: publicerade ändringar") },
            author,
            entries,
        };
        Ok(Some(feed.to_atom(lang, &base, &|i| cat.minter().path(i))))
    })
    .await;
    match result {
        Ok(Some(body)) => respond(body),
        Ok(None) => not_found_page(&ctx, req.path(), Some(RecordKind::Dataset)),
        Err(e) => error_page(&ctx, e),
    }
}
