//! HTTP of the change feeds: `/feed.atom` (the catalogue) and `/dataset/{id}/feed.atom`
//! (one dataset). The entries and the document are `publish::feed`'s.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::PageError;
use super::kernel::guard::read;
use crate::model::record::RecordKind;
use crate::publish::feed;

const ATOM: &str = "application/atom+xml; charset=utf-8";

fn respond(body: String) -> HttpResponse {
    HttpResponse::Ok().content_type(ATOM).insert_header((header::CACHE_CONTROL, "public, max-age=300")).body(body)
}

pub(super) async fn catalogue_feed(ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang_code();
    Ok(respond(read(&ctx, &state, move |cat| feed::catalogue_feed(cat, lang)).await?))
}

pub(super) async fn dataset_feed(ctx: Ctx, state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang_code();
    let not_found = || ctx.not_found(Some(RecordKind::Dataset));
    let iri = state.catalogue.minter().record(RecordKind::Dataset, &path.into_inner()).map_err(|_| not_found())?;
    let body = read(&ctx, &state, move |cat| feed::dataset_feed(cat, &iri, lang)).await?;
    body.map(respond).ok_or_else(not_found)
}
