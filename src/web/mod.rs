//! The web layer: actix-web handlers and askama views. No business logic lives here: handlers
//! read the request, call the catalogue service on a blocking thread, and render a view.
//!
//! Owns: routes, the page language (query `lang`, then the `vk_lang` cookie, then
//! `Accept-Language`, then the configured default), security headers, request logs, the
//! error and 404 pages, and `/healthz`.

pub mod auth;
mod collections;
mod compare;
mod curation;
mod conneg;
mod ctx;
mod dcat;
mod edit;
mod edit_codelist;
mod edit_record;
mod feed;
mod form;
mod harvest;
mod i18n;
mod ingest;
mod labels;
mod pages;
mod quality;
mod search;
mod sparql;
mod validator;
mod varlist;
mod views;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{Server, ServiceResponse};
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{web, App, HttpServer};

use crate::catalog::Catalogue;
use crate::config::{Config, Lang};
use crate::state::State;

/// What every handler can reach.
pub struct AppState {
    pub catalogue: Arc<Catalogue>,
    /// Accounts, sign-in and sessions.
    pub accounts: crate::accounts::Accounts,
    /// Operational state: users, sessions, revisions, audit log, harvest runs.
    pub state: State,
    pub default_lang: Lang,
    /// Four eyes on publication (`[curation] four_eyes`).
    pub four_eyes: bool,
    /// Proxies whose `X-Forwarded-For` is believed (`trusted_proxies`; `auth::client_address`).
    pub trusted_proxies: Vec<crate::config::IpRange>,
}

/// Builds the HTTP server on an already bound listener (port 0 in tests).
pub fn server(listener: TcpListener, catalogue: Arc<Catalogue>, state: State, config: &Config) -> std::io::Result<Server> {
    let publishing = web::Data::new(dcat::Publishing::new(catalogue.clone(), config));
    let quality = crate::validate::quality::Quality::new(catalogue.clone(), config.vocabularies.clone(), config.quality.clone())
        .map_err(std::io::Error::other)?
        .with_address_guard(config.harvest.guard());
    let quality = web::Data::new(quality);
    let harvester = std::sync::Arc::new(crate::harvest::Harvester::new(catalogue.clone(), state.clone(), config.harvest.clone()));
    crate::harvest::schedule::spawn(harvester.clone());
    let harvester = web::Data::from(harvester);
    let state = web::Data::new(AppState {
        catalogue,
        accounts: crate::accounts::Accounts::new(state.clone()),
        state,
        default_lang: config.lang,
        four_eyes: config.curation.four_eyes,
        trusted_proxies: config.trusted_proxies.clone(),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(publishing.clone())
            .app_data(quality.clone())
            .app_data(harvester.clone())
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "same-origin"))
                    .add(("X-Frame-Options", "DENY"))
                    .add((
                        "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                    )),
            )
            .wrap_fn(|req, srv| {
                // nothing a signed-in person sees, nor the sign-in and admin pages, is kept by a
                // browser or a shared cache
                let private = req.cookie(auth::SESSION_COOKIE).is_some() || req.path() == "/login" || req.path().starts_with("/admin");
                let fut = actix_web::dev::Service::call(srv, req);
                async move {
                    let mut res: ServiceResponse<_> = fut.await?;
                    if private {
                        res.headers_mut().insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
                    }
                    Ok::<_, actix_web::Error>(res)
                }
            })
            .wrap_fn(|req, srv| {
                let started = Instant::now();
                let method = req.method().to_string();
                let path = req.path().to_owned();
                let client = auth::client_address(req.request()).map(|a| a.to_string()).unwrap_or_default();
                let fut = actix_web::dev::Service::call(srv, req);
                async move {
                    let res: ServiceResponse<_> = fut.await?;
                    tracing::info!(
                        target: "vardkatalog::http",
                        %method,
                        %path,
                        %client,
                        status = res.status().as_u16(),
                        ms = started.elapsed().as_secs_f64() * 1000.0,
                        "request"
                    );
                    Ok::<_, actix_web::Error>(res)
                }
            })
            .configure(dcat::configure)
            .configure(sparql::configure)
            .configure(validator::configure)
            .configure(auth::configure)
            .configure(curation::configure)
            .configure(edit_codelist::configure)
            .configure(edit_record::configure)
            .configure(harvest::configure)
            .configure(pages::configure)
            .default_service(web::to(pages::not_found))
    })
    // a client that closes its side of the connection is gone: the request's handler is
    // dropped, which stops its work (a SPARQL query) instead of finishing it for nobody
    .h1_allow_half_closed(false)
    .listen(listener)?
    .shutdown_timeout(5)
    .run();
    Ok(server)
}
