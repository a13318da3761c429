//! Comparing variables that describe the same thing in different registers, side by side
//! (`/jamfor?v=IRI&v=IRI…`); the page is `views::compare`'s.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::PageError;
use super::kernel::guard::read;
use super::views::compare;
use crate::model::record::RecordKind;

pub(super) async fn compare_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let iris: Vec<NamedNode> = pairs.iter().filter(|(k, _)| k == "v").filter_map(|(_, v)| NamedNode::new(v.as_str()).ok()).collect();
    let (lang, path) = (ctx.lang, ctx.path_and_query.clone());
    let page = read(&ctx, &state, move |cat| compare::build(cat, &iris, lang, &path)).await?;
    let page = page.ok_or_else(|| ctx.not_found(Some(RecordKind::Variable)))?;
    Ok(ctx.respond(StatusCode::OK, page.render()))
}
