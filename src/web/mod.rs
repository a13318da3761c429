//! The web layer: actix-web handlers and askama views. No business logic lives here: handlers
//! read the request, call the catalogue service on a blocking thread, and render a view.
//!
//! Owns: routes, the page language (query `lang`, then the `vk_lang` cookie, then
//! `Accept-Language`, then the configured default), security headers, request logs, the
//! error and 404 pages, and the operations routes (`ops`: `/healthz`, `/readyz`, `/metrics`).

pub mod api;
mod auth;
mod collections;
mod compare;
pub mod control;
mod curation;
mod dcat;
mod deliveries;
mod ehds;
mod feed;
mod forms;
mod harvest;
mod ingest;
pub mod kernel;
mod label;
mod lists;
mod ops;
mod pages;
mod quality;
mod routes;
mod search;
mod sparql;
mod validator;
mod varlist;
mod versions;
mod views;

use std::net::TcpListener;
use std::time::Instant;

use actix_web::dev::{Server, ServiceResponse};
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App, HttpServer, web};

use crate::config::Config;
use crate::services::Services;

pub use kernel::AppState;

/// How long a stopping server lets requests under way finish.
pub const SHUTDOWN_SECONDS: u64 = 30;

/// Builds the HTTP server on an already bound listener (port 0 in tests), over the services.
/// Scheduled harvests start with it.
pub fn server(listener: TcpListener, services: &Services, config: &Config) -> std::io::Result<Server> {
    let publishing = web::Data::new(dcat::Publishing::new(services.catalogue.clone(), config, Some(services.labels.clone())));
    let quality = web::Data::from(services.quality.clone());
    crate::harvest::schedule::spawn(services.harvester.clone());
    let harvester = web::Data::from(services.harvester.clone());
    let services_data = web::Data::new(services.clone());
    let state = web::Data::new(AppState {
        catalogue: services.catalogue.clone(),
        accounts: services.accounts.clone(),
        curation: services.curation.clone(),
        harvester: services.harvester.clone(),
        lists: services.lists.clone(),
        labels: services.labels.clone(),
        default_lang: config.lang,
        trusted_proxies: config.trusted_proxies.clone(),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(services_data.clone())
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
                let private = req.cookie(kernel::context::SESSION_COOKIE).is_some() || req.path() == "/login" || req.path().starts_with("/admin");
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
                let client = kernel::guard::client_address(req.request()).map(|a| a.to_string()).unwrap_or_default();
                let request_id = ops::request_id(req.headers());
                let fut = actix_web::dev::Service::call(srv, req);
                async move {
                    let mut res: ServiceResponse<_> = fut.await?;
                    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned());
                    let status = res.status().as_u16();
                    let seconds = started.elapsed().as_secs_f64();
                    crate::metrics::request(&route, &method, status, seconds);
                    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&request_id) {
                        res.headers_mut().insert(actix_web::http::header::HeaderName::from_static(ops::REQUEST_ID), v);
                    }
                    tracing::info!(
                        target: "vardkatalog::http",
                        %request_id,
                        %method,
                        %path,
                        %route,
                        %client,
                        status,
                        ms = seconds * 1000.0,
                        "request"
                    );
                    Ok::<_, actix_web::Error>(res)
                }
            })
            .configure(routes::configure)
            .default_service(web::to(pages::not_found))
    })
    // a client that closes its side of the connection is gone: the request's handler is
    // dropped, which stops its work (a SPARQL query) instead of finishing it for nobody
    .h1_allow_half_closed(false)
    .listen(listener)?
    // on SIGTERM or SIGINT: stop accepting, let requests under way finish (at most this long)
    .shutdown_timeout(SHUTDOWN_SECONDS)
    .run();
    Ok(server)
}
