//! Comparing variables by meaning (`/jamfor?v=ID&v=IRI…`, from the checkboxes of search results
//! and the variable list, or a record page) and a concept's availability matrix
//! (`/tillganglighet?begrepp=IRI`, `/tillganglighet.csv?begrepp=IRI`); the pages are
//! `views::compare`'s, the rules `matching`'s.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::{Failure, PageError};
use super::kernel::guard::read;
use super::kernel::paths;
use super::kernel::words::compare as w;
use super::varlist::shared_iris;
use super::views::compare;

/// `/jamfor`: at least two public variables named by `v` (ids or IRIs), else 404 saying so.
pub(super) async fn compare_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let query = req.query_string().to_owned();
    let (lang, path) = (ctx.lang, ctx.path_and_query.clone());
    let page = read(&ctx, &state, move |cat| {
        let iris: Vec<NamedNode> =
            shared_iris(&query, cat.minter()).unwrap_or_default().into_iter().filter_map(|i| NamedNode::new(i).ok()).collect();
        compare::build(cat, &iris, lang, &path)
    })
    .await?;
    match page {
        Some(page) => Ok(ctx.respond(StatusCode::OK, page.render())),
        None => Err(ctx.fail(Failure::Refused {
            status: StatusCode::NOT_FOUND,
            message: w::TOO_FEW.get(lang).to_owned(),
            back: paths::search(&[("typ", "variable")]),
        })),
    }
}

/// The concept a matrix is asked for (`begrepp`: an IRI).
fn concept(req: &HttpRequest) -> Option<NamedNode> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    pairs.into_iter().find(|(k, _)| k == "begrepp").and_then(|(_, v)| NamedNode::new(v).ok())
}

fn this_year() -> i32 {
    chrono::Datelike::year(&chrono::Utc::now())
}

/// `/tillganglighet?begrepp=IRI`: the availability matrix of a variable, code, code list or
/// coding system, register by year.
pub(super) async fn availability_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let iri = concept(&req).ok_or_else(|| ctx.not_found(None))?;
    let (lang, path) = (ctx.lang, ctx.path_and_query.clone());
    let page = read(&ctx, &state, move |cat| Ok(compare::availability(cat, &iri, this_year())?.map(|a| a.page(cat, lang, &path)))).await?;
    let page = page.ok_or_else(|| ctx.not_found(None))?;
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `/tillganglighet.csv?begrepp=IRI`: the same matrix, a row per year (semicolons and a BOM, for
/// Swedish Excel, as the list exports).
pub(super) async fn availability_csv(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let iri = concept(&req).ok_or_else(|| ctx.not_found(None))?;
    let lang = ctx.lang;
    let table = read(&ctx, &state, move |cat| Ok(compare::availability(cat, &iri, this_year())?.map(|a| a.csv(lang)))).await?;
    let (header, rows) = table.ok_or_else(|| ctx.not_found(None))?;
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let bytes = crate::ingest::csv_cells::write(b';', true, &header, rows).map_err(|e| ctx.fail(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8; header=present")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"tillganglighet.csv\""))
        .body(bytes))
}
