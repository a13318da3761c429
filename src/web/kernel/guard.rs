//! What every route checks, in one place: who is asking ([`require`]: anonymous → sign-in,
//! too low a role → 403), then for a write the body — read as a stream, at most the route's
//! own limit (413 past it, the rest unread), its CSRF token and the characters of every field
//! ([`authorised_form`]). Also running service calls on the blocking pool ([`run`]), and the
//! client's address behind trusted proxies ([`client_address`]).

use std::net::IpAddr;

use actix_web::http::header;
use actix_web::{HttpRequest, web};

use super::app::AppState;
use super::context::{Ctx, current_user};
use super::error::{Failure, OrPage, PageError};
use super::form::FormData;
use crate::accounts::Role;
use crate::config::IpRange;
use crate::curation::Actor;

/// The signed-in person when their role is at least `role`.
pub fn require(req: &HttpRequest, ctx: &Ctx, state: &AppState, role: Role) -> Result<Actor, PageError> {
    match ctx.account.clone().or_else(|| current_user(req, state)) {
        None => Err(ctx.fail(Failure::SignIn)),
        Some(actor) if actor.role < role => Err(ctx.fail(Failure::Forbidden { needed: role })),
        Some(actor) => Ok(actor),
    }
}

/// A write by a signed-in person: who, the page context and the submitted form.
pub struct Submission {
    pub actor: Actor,
    pub ctx: Ctx,
    pub form: FormData,
}

/// The checks of every write route, in this order: the role, *before a byte of the body is
/// read*; then the body's size (at most `limit`), its CSRF token and its characters.
pub async fn authorised_form(
    req: &HttpRequest,
    state: &AppState,
    role: Role,
    payload: web::Payload,
    limit: usize,
) -> Result<Submission, PageError> {
    let ctx = Ctx::of(req, state.default_lang);
    let actor = require(req, &ctx, state, role)?;
    let form = read_form(req, &ctx, payload, limit).await?;
    Ok(Submission { actor, ctx, form })
}

/// Reads a request body of at most `limit` bytes; a larger one (by its `Content-Length`, or as
/// it streams in) is refused with 413 naming the limit, and the rest is not read. Routes take
/// the body as a stream (`web::Payload`), so this is the only limit.
pub async fn read_body(req: &HttpRequest, ctx: &Ctx, payload: web::Payload, limit: usize) -> Result<web::Bytes, PageError> {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|h| h.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ctx.fail(Failure::TooLarge { limit }));
    }
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(e)) => Err(ctx.fail(Failure::BadRequest(e.to_string()))),
        Err(_) => Err(ctx.fail(Failure::TooLarge { limit })),
    }
}

/// Reads a form (URL-encoded or multipart) of at most `limit` bytes, then checks it
/// ([`parse_form`]).
pub async fn read_form(req: &HttpRequest, ctx: &Ctx, payload: web::Payload, limit: usize) -> Result<FormData, PageError> {
    let body = read_body(req, ctx, payload, limit).await?;
    parse_form(req, ctx, &body)
}

/// A form already read: its CSRF token, and no text field holding a character the catalogue
/// refuses (`model::chars`: a control character XML cannot carry), naming the field.
pub fn parse_form(req: &HttpRequest, ctx: &Ctx, body: &[u8]) -> Result<FormData, PageError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or("");
    let form = FormData::parse(content_type, body).map_err(|e| ctx.fail(Failure::BadRequest(e.to_string())))?;
    if !ctx.csrf_ok(req, &form.value("csrf")) {
        return Err(ctx.fail(Failure::CsrfRejected));
    }
    let forbidden = form
        .fields
        .iter()
        .filter(|f| f.filename.is_none())
        .find_map(|f| crate::model::chars::first_forbidden(&f.text()).map(|c| (f.name.clone(), c)));
    if let Some((field, c)) = forbidden {
        return Err(ctx.fail(Failure::ForbiddenCharacter { field, c }));
    }
    Ok(form)
}

/// Runs a service call on the blocking pool; its error becomes this request's page.
pub async fn run<T, E>(ctx: &Ctx, f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, PageError>
where
    T: Send + 'static,
    E: Into<Failure> + Send + 'static,
{
    match web::block(f).await {
        Ok(result) => result.or_page(ctx),
        Err(e) => Err(ctx.fail(Failure::Internal(e.to_string()))),
    }
}

/// Runs a service call on the blocking pool, keeping its own error for the handler to show.
pub async fn blocking<T: Send + 'static, E: Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<Result<T, E>, String> {
    web::block(f).await.map_err(|e| e.to_string())
}

/// The client's address, for the sign-in lockout and the request log: the peer address,
/// unless the peer is one of the configured `trusted_proxies`; then `X-Forwarded-For` is read
/// from the right, skipping trusted proxies, and the first address that is not one is the
/// client's (the addresses left of it were written by the client and prove nothing). A header
/// from an untrusted peer is ignored, so a client cannot choose its own address.
pub fn client_address(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let trusted = req.app_data::<web::Data<AppState>>().map(|s| s.trusted_proxies.as_slice()).unwrap_or(&[]);
    Some(forwarded_client(peer, trusted, req.headers().get_all("x-forwarded-for").filter_map(|h| h.to_str().ok())))
}

/// [`client_address`] from its parts: the peer, the trusted ranges and the `X-Forwarded-For`
/// header lines in order.
pub fn forwarded_client<'a>(peer: IpAddr, trusted: &[IpRange], headers: impl Iterator<Item = &'a str>) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers.flat_map(|h| h.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // `1.2.3.4`, `[::1]:8080` or `1.2.3.4:5678` as some proxies write them
        let text = hop.trim_start_matches('[');
        let text = text.split(']').next().unwrap_or(text);
        let parsed = text.parse::<IpAddr>().ok().or_else(|| text.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()));
        let Some(ip) = parsed else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// Runs a catalogue read on the blocking pool; its failure becomes this request's page.
pub async fn read<T: Send + 'static>(
    ctx: &Ctx,
    state: &AppState,
    f: impl FnOnce(&crate::catalog::Catalogue) -> Result<T, crate::catalog::StoreError> + Send + 'static,
) -> Result<T, PageError> {
    let cat = state.catalogue.clone();
    run(ctx, move || f(&cat)).await
}

/// Runs a curation step on the blocking pool, keeping its refusal for the handler (which knows
/// where to send the reader back to).
pub async fn curate<T: Send + 'static>(
    ctx: &Ctx,
    state: &AppState,
    f: impl FnOnce(&crate::curation::Curation) -> Result<T, crate::curation::CurationError> + Send + 'static,
) -> Result<Result<T, crate::curation::CurationError>, PageError> {
    let c = state.curation.clone();
    web::block(move || f(&c)).await.map_err(|e| ctx.fail(Failure::Internal(e.to_string())))
}
