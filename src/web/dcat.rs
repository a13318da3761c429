//! The DCAT endpoints for harvesters: `/catalog` (and `/catalog.{ttl,rdf,jsonld,nt}`) and the
//! RDF descriptions behind every record IRI.
//!
//! Owns the HTTP side only: parameters, content negotiation, the suffix URLs, HEAD,
//! conditional requests (ETag, Last-Modified, 304) and streaming the body from a blocking task
//! through a bounded channel. What goes into a document is `publish`'s.
//!
//! - `/catalog`: no `Accept` (or `*/*`) gets RDF/XML; a browser (`text/html` preferred) gets the
//!   page about the endpoint (as `/om/data`) with the RDF alternates in `Link` headers; nothing
//!   acceptable gets 406. Without `page`/`page_size` the
//!   whole catalogue is one streamed document (dataportal.se reads one document); with them,
//!   a page with the Hydra node.
//! - A record IRI (`/dataset/{id}` …) answers its RDF description, with `Vary: Accept`, when
//!   the client prefers an RDF type to HTML; `/dataset/{id}.ttl` (and `.rdf`, `.jsonld`, `.nt`)
//!   always does. Everything else gets the HTML page from `web::pages`.

use std::io::{self, Write};
use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use chrono::{DateTime, Utc};
use oxigraph::model::{Graph, NamedNode};
use serde::Deserialize;

use super::kernel::context::Ctx;
use super::kernel::paths as p;
use super::kernel::{AppState, conneg};
use crate::catalog::Catalogue;
use crate::config::{Config, SparqlLimits};
use crate::model::record::RecordKind;
use crate::publish::{self, CatalogRequest, Format, PageLinks, PageRequest, ParamError, Profile, PublishError, Publisher};

/// What the DCAT and SPARQL endpoints share: the publisher and the SPARQL limits.
pub struct Publishing {
    pub publisher: Publisher,
    pub sparql: SparqlLimits,
}

impl Publishing {
    /// `annotations`: what the health profile adds to datasets (the quality label).
    pub fn new(catalogue: Arc<Catalogue>, config: &Config, annotations: Option<Arc<dyn publish::Annotations>>) -> Self {
        let mut publisher = Publisher::new(catalogue, config.vocabularies.clone());
        if let Some(a) = annotations {
            publisher = publisher.with_annotations(a);
        }
        Self { publisher, sparql: config.sparql }
    }
}

/// The offers of `/catalog`, in preference order (the first is what `*/*` gets), with the
/// representation each media type stands for (`None`: the HTML page).
const CATALOG_OFFERS: &[(&str, Option<Format>)] = &[
    ("application/rdf+xml", Some(Format::RdfXml)),
    ("text/turtle", Some(Format::Turtle)),
    ("application/ld+json", Some(Format::JsonLd)),
    ("application/n-triples", Some(Format::NTriples)),
    ("text/html", None),
    ("application/xhtml+xml", None),
    ("application/xml", Some(Format::RdfXml)),
    ("text/xml", Some(Format::RdfXml)),
    ("application/x-turtle", Some(Format::Turtle)),
    ("application/json", Some(Format::JsonLd)),
];

/// The offers of a record IRI: the page first (a link followed by anyone gets HTML).
const RECORD_OFFERS: &[(&str, Option<Format>)] = &[
    ("text/html", None),
    ("application/xhtml+xml", None),
    ("application/rdf+xml", Some(Format::RdfXml)),
    ("text/turtle", Some(Format::Turtle)),
    ("application/ld+json", Some(Format::JsonLd)),
    ("application/n-triples", Some(Format::NTriples)),
    ("application/x-turtle", Some(Format::Turtle)),
];

/// The result of negotiating: a format, the page, or nothing acceptable.
enum Choice {
    Rdf(Format),
    Html,
    NotAcceptable,
}

fn negotiate(req: &HttpRequest, offers: &[(&str, Option<Format>)]) -> Choice {
    let accept = req.headers().get(header::ACCEPT).and_then(|h| h.to_str().ok());
    let types: Vec<&str> = offers.iter().map(|(t, _)| *t).collect();
    match conneg::choose(accept, &types) {
        Some(i) => offers[i].1.map_or(Choice::Html, Choice::Rdf),
        None => Choice::NotAcceptable,
    }
}

/// A plain-text error a harvester can read.
pub fn text_error(status: StatusCode, message: impl Into<String>) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(message.into())
}

fn not_acceptable(offers: &[(&str, Option<Format>)]) -> HttpResponse {
    let list: Vec<&str> = offers.iter().map(|(t, _)| *t).collect();
    text_error(StatusCode::NOT_ACCEPTABLE, format!("None of the requested media types is available. Available: {}.", list.join(", ")))
}

#[derive(Deserialize, Default)]
struct CatalogQuery {
    page: Option<String>,
    page_size: Option<String>,
    profile: Option<String>,
    modified_since: Option<String>,
}

pub(super) async fn catalog(req: HttpRequest, publishing: web::Data<Publishing>, state: web::Data<AppState>) -> HttpResponse {
    match negotiate(&req, CATALOG_OFFERS) {
        Choice::Rdf(format) => catalog_document(req, publishing, format, false).await,
        Choice::Html => catalog_landing(&req, &state),
        Choice::NotAcceptable => not_acceptable(CATALOG_OFFERS),
    }
}

/// `/catalog` asked for by a browser: the page about the endpoint, with the RDF alternates in
/// `Link` headers (RFC 8288) so a client that reads headers finds them too.
fn catalog_landing(req: &HttpRequest, state: &AppState) -> HttpResponse {
    use askama::Template;
    let ctx = Ctx::of(req, state.default_lang);
    let page = super::views::about_data(&ctx, state.catalogue.minter().base(), true);
    let links: Vec<String> = [Format::Turtle, Format::RdfXml, Format::JsonLd, Format::NTriples]
        .iter()
        .map(|f| format!("<{}.{}>; rel=\"alternate\"; type=\"{}\"", p::CATALOG, f.suffix(), f.media_type()))
        .collect();
    let mut res = ctx.respond(StatusCode::OK, page.render());
    if let Ok(v) = HeaderValue::from_str(&links.join(", ")) {
        res.headers_mut().insert(header::LINK, v);
    }
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    res
}

pub(super) async fn catalog_with_suffix(req: HttpRequest, publishing: web::Data<Publishing>, ext: web::Path<String>) -> HttpResponse {
    match Format::from_suffix(&ext) {
        Some(format) => catalog_document(req, publishing, format, true).await,
        None => text_error(StatusCode::NOT_FOUND, format!("/catalog.{ext}: unknown format; use .ttl, .rdf, .jsonld or .nt")),
    }
}

/// Reads the harvest parameters; a bad one is a 400 that names it.
fn catalog_request(req: &HttpRequest, publisher: &Publisher, format: Format, suffixed: bool) -> Result<CatalogRequest, ParamError> {
    let q = web::Query::<CatalogQuery>::from_query(req.query_string()).map(web::Query::into_inner).unwrap_or_default();
    let profile = match q.profile.as_deref() {
        Some(p) => Profile::parse(p).ok_or_else(|| ParamError::Profile { value: p.to_owned() })?,
        None => Profile::Default,
    };
    let page = PageRequest::parse(q.page.as_deref(), q.page_size.as_deref())?;
    let modified_since = q.modified_since.as_deref().map(publish::paging::parse_modified_since).transpose()?;
    let mut params: Vec<(&'static str, String)> = Vec::new();
    if let Some(s) = &q.page_size {
        params.push(("page_size", s.trim().to_owned()));
    }
    if let Some(p) = &q.profile {
        params.push(("profile", p.trim().to_owned()));
    }
    if let Some(m) = &q.modified_since {
        params.push(("modified_since", m.trim().to_owned()));
    }
    let base = publisher.catalogue().minter().base();
    let document = if suffixed { format!("{base}catalog.{}", format.suffix()) } else { format!("{base}catalog") };
    Ok(CatalogRequest { profile, format, page, modified_since, links: PageLinks { document, params } })
}

async fn catalog_document(req: HttpRequest, publishing: web::Data<Publishing>, format: Format, suffixed: bool) -> HttpResponse {
    let request = match catalog_request(&req, &publishing.publisher, format, suffixed) {
        Ok(r) => r,
        Err(e) => return text_error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let p = publishing.clone();
    let prepared = match web::block(move || p.publisher.prepare(request)).await {
        Ok(Ok(prepared)) => prepared,
        Ok(Err(PublishError::Param(e @ ParamError::PastLastPage { .. }))) => return text_error(StatusCode::NOT_FOUND, e.to_string()),
        Ok(Err(PublishError::Param(e))) => return text_error(StatusCode::BAD_REQUEST, e.to_string()),
        Ok(Err(e)) => return server_error(e.to_string()),
        Err(e) => return server_error(e.to_string()),
    };
    let mut res = HttpResponse::Ok();
    representation_headers(&mut res, format, !suffixed);
    if let Some(not_modified) = conditional(&req, &prepared.etag, prepared.last_modified) {
        return not_modified;
    }
    validators(&mut res, &prepared.etag, prepared.last_modified);
    if req.method() == Method::HEAD {
        return res.streaming(futures_util::stream::empty::<Result<Bytes, io::Error>>());
    }
    let path = req.path().to_owned();
    res.streaming(stream_from_blocking(move |out| {
        let stats = publishing.publisher.write_catalog(&prepared, out)?;
        tracing::debug!(%path, triples = stats.triples, datasets = stats.datasets, "catalogue document written");
        Ok(())
    }))
}

fn server_error(detail: String) -> HttpResponse {
    tracing::error!(error = %detail, "publishing failed");
    text_error(StatusCode::INTERNAL_SERVER_ERROR, format!("The catalogue could not be published: {detail}"))
}

/// Content-Type and Vary of an RDF representation.
fn representation_headers(res: &mut HttpResponseBuilder, format: Format, negotiated: bool) {
    res.insert_header((header::CONTENT_TYPE, format!("{}; charset=utf-8", format.media_type())));
    if negotiated {
        res.insert_header((header::VARY, "Accept"));
    }
    res.insert_header((header::CACHE_CONTROL, "no-cache"));
}

fn validators(res: &mut HttpResponseBuilder, etag: &str, last_modified: Option<DateTime<Utc>>) {
    res.insert_header((header::ETAG, etag.to_owned()));
    if let Some(t) = last_modified {
        res.insert_header((header::LAST_MODIFIED, publish::http_date(t)));
    }
}

/// 304 when `If-None-Match` matches (weak comparison), or, without it, when nothing changed
/// after `If-Modified-Since`.
fn conditional(req: &HttpRequest, etag: &str, last_modified: Option<DateTime<Utc>>) -> Option<HttpResponse> {
    let headers = req.headers();
    let not_modified = || {
        let mut res = HttpResponse::NotModified();
        validators(&mut res, etag, last_modified);
        res.finish()
    };
    if let Some(inm) = headers.get(header::IF_NONE_MATCH).and_then(|h| h.to_str().ok()) {
        let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
        let matches = inm.split(',').any(|t| t.trim() == "*" || opaque(t) == opaque(etag));
        return matches.then(not_modified);
    }
    let ims = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|h| h.to_str().ok())
        .and_then(|s| DateTime::parse_from_rfc2822(&s.replace("GMT", "+0000")).ok())
        .map(|d| d.with_timezone(&Utc))?;
    let last = last_modified?;
    (last.timestamp() <= ims.timestamp()).then(not_modified)
}

/// A `Write` that sends what is written, in chunks, into a bounded channel (so a slow client
/// slows the writer down instead of filling memory).
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, io::Error>>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

/// A response body produced by `write` on the blocking pool. An error after the first byte can
/// no longer change the status: it ends the body early (the client sees a broken transfer),
/// and it is logged.
pub fn stream_from_blocking(
    write: impl FnOnce(&mut dyn Write) -> Result<(), PublishError> + Send + 'static,
) -> impl futures_util::Stream<Item = Result<Bytes, io::Error>> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, io::Error>>(8);
    actix_web::rt::task::spawn_blocking(move || {
        let mut w = ChannelWriter { tx: tx.clone(), buf: Vec::with_capacity(CHUNK) };
        let result = write(&mut w).and_then(|()| w.flush().map_err(PublishError::from));
        if let Err(e) = result {
            let gone = matches!(&e, PublishError::Io(io) if io.kind() == io::ErrorKind::BrokenPipe);
            if gone {
                tracing::info!("the client closed the connection before the document was complete");
            } else {
                tracing::error!(error = %e, "writing a document failed after it had started");
                let _ = tx.blocking_send(Err(io::Error::other(e.to_string())));
            }
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}

// ---- record IRIs ------------------------------------------------------------------------

/// Splits `lisa.ttl` into `("lisa", Some(Turtle))`.
pub fn split_suffix(id: &str) -> (&str, Option<Format>) {
    if let Some((stem, ext)) = id.rsplit_once('.')
        && let Some(f) = Format::from_suffix(ext)
        && !stem.is_empty()
    {
        return (stem, Some(f));
    }
    (id, None)
}

/// The hook of `pages::record_page`: the RDF description when the request asks for RDF (by
/// suffix or `Accept`), else `None` and the page is rendered.
pub async fn record_rdf(req: &HttpRequest, kind: &str, id: &str) -> Option<HttpResponse> {
    let publishing = req.app_data::<web::Data<Publishing>>()?.clone();
    let (stem, suffix) = split_suffix(id);
    let format = rdf_choice(req, suffix)?;
    let kind = RecordKind::parse(kind).filter(|k| *k != RecordKind::Concept)?;
    let iri = publishing.publisher.catalogue().minter().record(kind, stem).ok();
    // a variable names its published versions (DCAT 3: dcat:hasVersion, dcat:hasCurrentVersion)
    let extra = match (&iri, req.app_data::<web::Data<AppState>>()) {
        (Some(i), Some(state)) if kind == RecordKind::Variable => version_links_of(state.clone(), i.clone()).await,
        _ => Graph::new(),
    };
    let location = format!("/{}/{stem}.{}", kind.as_str(), format.suffix());
    Some(record_response(req, publishing, iri, format, suffix.is_none(), location, extra).await)
}

/// The links from a public record to its published versions (none when it has none).
async fn version_links_of(state: web::Data<AppState>, iri: NamedNode) -> Graph {
    let found = web::block(move || {
        let versions = state.curation.published_versions(&iri).ok().flatten()?;
        let minter = state.catalogue.minter();
        let all: Vec<NamedNode> = versions.list.iter().filter_map(|v| minter.version(&iri, v.version)).collect();
        Some(publish::version_links(&iri, &all, all.last()))
    })
    .await;
    found.ok().flatten().unwrap_or_default()
}

/// The hook of `versions::version_page`: the RDF description of version `n` of a record when
/// the request asks for RDF (by suffix or `Accept`), else `None` and the page is rendered.
pub async fn version_rdf(req: &HttpRequest, iri: NamedNode, n: u64, suffix: Option<Format>) -> Option<HttpResponse> {
    let publishing = req.app_data::<web::Data<Publishing>>()?.clone();
    let state = req.app_data::<web::Data<AppState>>()?.clone();
    let format = rdf_choice(req, suffix)?;
    let profile = match requested_profile(req) {
        Ok(p) => p,
        Err(e) => return Some(text_error(StatusCode::BAD_REQUEST, e.to_string())),
    };
    let shown = format!("{}/version/{n}", iri.as_str());
    let made = web::block(move || -> Result<Option<publish::RecordDocument>, String> {
        let Some(versions) = state.curation.published_versions(&iri).map_err(|e| e.to_string())? else { return Ok(None) };
        let Some(i) = versions.index_of(n) else { return Ok(None) };
        let resource = versions.resource(i).map_err(|e| e.to_string())?;
        let minter = state.catalogue.minter();
        let Some(own) = minter.version(&iri, n) else { return Ok(None) };
        let previous = i.checked_sub(1).and_then(|p| minter.version(&iri, versions.list[p].version));
        let facts = publish::VersionFacts {
            resource: &resource,
            iri: &own,
            version: n,
            issued: versions.list[i].published,
            previous: previous.as_ref(),
        };
        publishing.publisher.version_document(&facts, profile, format).map(Some).map_err(|e| e.to_string())
    })
    .await;
    let doc = match made {
        Ok(Ok(Some(doc))) => doc,
        Ok(Ok(None)) => return Some(text_error(StatusCode::NOT_FOUND, format!("There is no published version <{shown}>."))),
        Ok(Err(e)) => return Some(server_error(e)),
        Err(e) => return Some(server_error(e.to_string())),
    };
    let location = if suffix.is_none() { format!("{}.{}", req.path(), format.suffix()) } else { String::new() };
    Some(document_response(req, doc, format, suffix.is_none(), &location))
}

/// The `profile` parameter of a record request (the default profile when absent).
fn requested_profile(req: &HttpRequest) -> Result<Profile, ParamError> {
    let q = web::Query::<CatalogQuery>::from_query(req.query_string()).map(web::Query::into_inner).unwrap_or_default();
    match q.profile.as_deref() {
        Some(p) => Profile::parse(p).ok_or_else(|| ParamError::Profile { value: p.to_owned() }),
        None => Ok(Profile::Default),
    }
}

/// The hook of `pages::concept_page` (`/codelist/{list}/{code}`).
pub async fn concept_rdf(req: &HttpRequest, list: &str, code: &str) -> Option<HttpResponse> {
    let publishing = req.app_data::<web::Data<Publishing>>()?.clone();
    let (stem, suffix) = split_suffix(code);
    // a code that itself ends in ".ttl" is a code, not a suffix
    let minter = publishing.publisher.catalogue().minter().clone();
    let (stem, suffix) = match suffix {
        Some(_) if record_exists(&publishing, minter.concept(list, code).ok()).await => (code, None),
        s => (stem, s),
    };
    let format = rdf_choice(req, suffix)?;
    let iri = minter.concept(list, stem).ok();
    let location = iri.as_ref().map(|i| format!("{}.{}", minter.path(i.as_str()), format.suffix())).unwrap_or_default();
    Some(record_response(req, publishing, iri, format, suffix.is_none(), location, Graph::new()).await)
}

/// The hook of `pages::foreign_record` (`/resurs?iri=`): content negotiation only.
pub async fn foreign_rdf(req: &HttpRequest, iri: Option<&str>) -> Option<HttpResponse> {
    let publishing = req.app_data::<web::Data<Publishing>>()?.clone();
    let format = rdf_choice(req, None)?;
    let iri = iri.and_then(|i| NamedNode::new(i).ok());
    Some(record_response(req, publishing, iri, format, true, String::new(), Graph::new()).await)
}

/// The RDF format a record request asks for: the suffix, else an RDF type preferred to HTML.
fn rdf_choice(req: &HttpRequest, suffix: Option<Format>) -> Option<Format> {
    if suffix.is_some() {
        return suffix;
    }
    match negotiate(req, RECORD_OFFERS) {
        Choice::Rdf(f) => Some(f),
        Choice::Html | Choice::NotAcceptable => None,
    }
}

async fn record_exists(publishing: &web::Data<Publishing>, iri: Option<NamedNode>) -> bool {
    let Some(iri) = iri else { return false };
    let p = publishing.clone();
    matches!(web::block(move || p.publisher.catalogue().public_resource(iri.as_ref())).await, Ok(Ok(Some(_))))
}

async fn record_response(
    req: &HttpRequest,
    publishing: web::Data<Publishing>,
    iri: Option<NamedNode>,
    format: Format,
    negotiated: bool,
    content_location: String,
    extra: Graph,
) -> HttpResponse {
    let profile = match requested_profile(req) {
        Ok(p) => p,
        Err(e) => return text_error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let Some(iri) = iri else {
        return text_error(StatusCode::NOT_FOUND, format!("{} is not a record IRI of this catalogue.", req.path()));
    };
    let shown = iri.as_str().to_owned();
    let doc = match web::block(move || publishing.publisher.record_document_with(&iri, profile, format, &extra)).await {
        Ok(Ok(Some(doc))) => doc,
        Ok(Ok(None)) => return text_error(StatusCode::NOT_FOUND, format!("There is no published record <{shown}>.")),
        Ok(Err(e)) => return server_error(e.to_string()),
        Err(e) => return server_error(e.to_string()),
    };
    document_response(req, doc, format, negotiated, &content_location)
}

/// A small document's answer: 304 when the client has it, else the body with its headers.
fn document_response(
    req: &HttpRequest,
    doc: publish::RecordDocument,
    format: Format,
    negotiated: bool,
    content_location: &str,
) -> HttpResponse {
    if let Some(not_modified) = conditional(req, &doc.etag, Some(doc.last_modified)) {
        return not_modified;
    }
    let mut res = HttpResponse::Ok();
    representation_headers(&mut res, format, negotiated);
    validators(&mut res, &doc.etag, Some(doc.last_modified));
    if negotiated
        && !content_location.is_empty()
        && let Ok(v) = HeaderValue::from_str(content_location)
    {
        res.insert_header((header::CONTENT_LOCATION, v));
    }
    res.body(doc.body)
}

#[derive(Deserialize)]
pub(super) struct RecordPath {
    kind: String,
    id: String,
}

/// HEAD on a record IRI: the RDF headers when RDF is asked for, else the page's headers (200
/// for a public record, 404 otherwise); never a body.
pub(super) async fn record_head(req: HttpRequest, path: web::Path<RecordPath>) -> HttpResponse {
    if let Some(res) = record_rdf(&req, &path.kind, &path.id).await {
        return res;
    }
    let iri = req
        .app_data::<web::Data<Publishing>>()
        .and_then(|p| RecordKind::parse(&path.kind).and_then(|k| p.publisher.catalogue().minter().record(k, &path.id).ok()));
    page_head(&req, iri).await
}

pub(super) async fn concept_head(req: HttpRequest, path: web::Path<(String, String)>) -> HttpResponse {
    let (list, code) = path.into_inner();
    if let Some(res) = concept_rdf(&req, &list, &code).await {
        return res;
    }
    let iri = req.app_data::<web::Data<Publishing>>().and_then(|p| p.publisher.catalogue().minter().concept(&list, &code).ok());
    page_head(&req, iri).await
}

async fn page_head(req: &HttpRequest, iri: Option<NamedNode>) -> HttpResponse {
    let Some(publishing) = req.app_data::<web::Data<Publishing>>() else { return HttpResponse::NotFound().finish() };
    let status = if record_exists(publishing, iri).await { StatusCode::OK } else { StatusCode::NOT_FOUND };
    HttpResponse::build(status).content_type("text/html; charset=utf-8").insert_header((header::VARY, "Accept")).finish()
}
