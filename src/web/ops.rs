//! The operations routes: `/healthz` (the process answers), `/readyz` (the store, the state
//! database and the search index can be used), `/metrics` (Prometheus text), and the request id
//! every answer carries.

use actix_web::http::header::HeaderMap;
use actix_web::{HttpResponse, web};

use super::AppState;
use crate::services::Services;

/// The header of the request id: taken from the request when it is a sensible token, else
/// made; echoed on the answer and written in the request log.
pub const REQUEST_ID: &str = "x-request-id";

/// The request's id: the client's or a proxy's `X-Request-Id` (1–128 characters of letters,
/// digits, `.`, `_`, `:`, `-`), else 128 random bits as hex.
pub fn request_id(headers: &HeaderMap) -> String {
    if let Some(given) = headers.get(REQUEST_ID).and_then(|v| v.to_str().ok())
        && (1..=128).contains(&given.len())
        && given.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
    {
        return given.to_owned();
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Alive: 200 whenever the process answers (the record count when the store gives it).
pub(super) async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let cat = state.catalogue.clone();
    let records = web::block(move || cat.record_count()).await.ok().and_then(Result::ok);
    HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({ "status": "ok", "records": records }))
}

/// Ready: 200 when the store, the state database and the search index can be used; else 503
/// naming each part that cannot, with why.
pub(super) async fn readyz(services: web::Data<Services>) -> HttpResponse {
    let s = services.clone();
    let problems = match web::block(move || s.readiness()).await {
        Ok(p) => p,
        Err(e) => vec![("server", e.to_string())],
    };
    let mut res = if problems.is_empty() { HttpResponse::Ok() } else { HttpResponse::ServiceUnavailable() };
    let failing: serde_json::Map<String, serde_json::Value> = problems.iter().map(|(k, v)| ((*k).to_owned(), v.clone().into())).collect();
    res.insert_header(("Cache-Control", "no-store")).json(serde_json::json!({
        "status": if problems.is_empty() { "ready" } else { "unready" },
        "failing": failing,
    }))
}

/// The metrics in the Prometheus text format (version 0.0.4).
pub(super) async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let cat = state.catalogue.clone();
    match web::block(move || crate::metrics::render(&cat)).await {
        Ok(text) => HttpResponse::Ok().content_type(prometheus::TEXT_FORMAT).insert_header(("Cache-Control", "no-store")).body(text),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}
