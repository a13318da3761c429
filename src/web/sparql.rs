//! `/sparql`: the SPARQL 1.1 Protocol over HTTP, and the page for people.
//!
//! Owns the HTTP side only: GET `?query=`, POST `application/sparql-query`, POST form-encoded
//! `query=`, the protocol's `default-graph-uri`/`named-graph-uri`, content negotiation of the
//! answer (a `format` parameter overrides `Accept`), status codes for refused queries (403 for
//! an update, 400 for a bad query or graph, 503 past the time limit or the memory budget),
//! stopping the evaluation when the client goes away, the truncation headers,
//! and the HTML page (Swedish first, English beside it) with a form that works without
//! JavaScript and example queries. Evaluation is `publish::sparql`.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use oxigraph::model::Term;

use super::dcat::{Publishing, text_error};
use super::kernel::AppState;
use super::kernel::conneg;
use super::kernel::context::Ctx;
use super::views::examples::{EXAMPLES, PREFIXES, example_queries};
use super::views::{Chrome, Val};
use crate::config::Lang;
use crate::model::ids::encode_query;
use crate::publish::Format;
use crate::publish::sparql::{self as engine, Answer, ResultsFormat, SparqlError, SparqlRequest};

/// What an answer can be written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    Results(ResultsFormat),
    Rdf(Format),
    Html,
}

const RESULT_OFFERS: &[(&str, Output)] = &[
    ("application/sparql-results+json", Output::Results(ResultsFormat::Json)),
    ("application/sparql-results+xml", Output::Results(ResultsFormat::Xml)),
    ("text/csv", Output::Results(ResultsFormat::Csv)),
    ("text/tab-separated-values", Output::Results(ResultsFormat::Tsv)),
    ("text/html", Output::Html),
    ("application/json", Output::Results(ResultsFormat::Json)),
    ("application/xml", Output::Results(ResultsFormat::Xml)),
];

const GRAPH_OFFERS: &[(&str, Output)] = &[
    ("text/turtle", Output::Rdf(Format::Turtle)),
    ("application/rdf+xml", Output::Rdf(Format::RdfXml)),
    ("application/ld+json", Output::Rdf(Format::JsonLd)),
    ("application/n-triples", Output::Rdf(Format::NTriples)),
    ("text/html", Output::Html),
    ("application/x-turtle", Output::Rdf(Format::Turtle)),
    ("application/xml", Output::Rdf(Format::RdfXml)),
];

/// The `format` parameter: the short names and the media types that common clients send
/// (`format=turtle`, `format=rdf+xml`, `format=application/sparql-results+json`, …).
fn output_from_name(name: &str, graph: bool) -> Option<Output> {
    // `format=rdf+xml` typed into an address arrives form-decoded as "rdf xml"
    let n = name.split(';').next().unwrap_or_default().trim().to_ascii_lowercase().replace(' ', "+");
    if n == "html" || n == "text/html" {
        return Some(Output::Html);
    }
    if let Some(f) = ResultsFormat::from_name(&n).filter(|_| !graph) {
        return Some(Output::Results(f));
    }
    let rdf = match n.as_str() {
        "ttl" | "turtle" | "text/turtle" | "application/x-turtle" => Some(Format::Turtle),
        "rdf" | "rdfxml" | "rdf+xml" | "rdf/xml" | "xml" | "application/rdf+xml" | "application/xml" | "text/xml" => Some(Format::RdfXml),
        "jsonld" | "json-ld" | "ld+json" | "json" | "application/ld+json" | "application/json" => Some(Format::JsonLd),
        "nt" | "ntriples" | "n-triples" | "application/n-triples" | "text/plain" => Some(Format::NTriples),
        // a results format asked for a graph answer: the graph format of the same family
        "srj" | "application/sparql-results+json" => Some(Format::JsonLd),
        "srx" | "application/sparql-results+xml" => Some(Format::RdfXml),
        _ => None,
    };
    match rdf {
        Some(f) if graph => Some(Output::Rdf(f)),
        // an RDF format asked for a table answer: the results format of the same family
        Some(Format::RdfXml) => Some(Output::Results(ResultsFormat::Xml)),
        Some(_) => Some(Output::Results(ResultsFormat::Json)),
        None => None,
    }
}

/// The parameters of a request, in order, repeated keys kept.
fn pairs(text: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(text).unwrap_or_default()
}

fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn all(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

/// The protocol's rule for the query: exactly one (SPARQL 1.1 Protocol §2.1: a request with
/// more than one `query` is malformed, as is one that sends a query and an update).
/// The refusal when there is more than one.
fn more_than_one_query(queries: usize) -> Option<HttpResponse> {
    (queries > 1).then(|| {
        text_error(
            StatusCode::BAD_REQUEST,
            format!("The request holds {queries} queries (query= given {queries} times): send exactly one."),
        )
    })
}

/// The IRI relative IRIs in a query resolve against: the endpoint's own.
fn endpoint_iri(publishing: &Publishing) -> String {
    format!("{}sparql", publishing.publisher.catalogue().minter().base())
}

fn refuse_update() -> HttpResponse {
    text_error(StatusCode::FORBIDDEN, SparqlError::Update.to_string())
}

fn wants_html(req: &HttpRequest) -> bool {
    let accept = req.headers().get(header::ACCEPT).and_then(|h| h.to_str().ok());
    conneg::choose(accept, &["text/html", "application/sparql-results+json"]) == Some(0) && accept.is_some_and(|a| a.contains("text/html"))
}

pub(super) async fn get(req: HttpRequest, publishing: web::Data<Publishing>, state: web::Data<AppState>) -> HttpResponse {
    let params = pairs(req.query_string());
    if first(&params, "update").is_some() {
        return refuse_update();
    }
    if let Some(refused) = more_than_one_query(all(&params, "query").len()) {
        return refused;
    }
    match first(&params, "query") {
        None if wants_html(&req) || first(&params, "format") == Some("html") => {
            page(&req, &publishing, state.default_lang, String::new(), None, None, StatusCode::OK)
        }
        None => text_error(
            StatusCode::BAD_REQUEST,
            "No query: send one as ?query=… (GET), or POST it as application/sparql-query or form-encoded query=….",
        ),
        Some(q) => {
            let request = SparqlRequest {
                query: q.to_owned(),
                base_iri: Some(endpoint_iri(&publishing)),
                default_graph_uris: all(&params, "default-graph-uri"),
                named_graph_uris: all(&params, "named-graph-uri"),
            };
            answer(&req, publishing, state.default_lang, request, first(&params, "format").map(str::to_owned)).await
        }
    }
}

pub(super) async fn post(req: HttpRequest, body: Bytes, publishing: web::Data<Publishing>, state: web::Data<AppState>) -> HttpResponse {
    let header_value = req.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    let content_type = header_value.split(';').next().unwrap_or("").trim().to_owned();
    // the protocol's bodies are UTF-8; a declared other charset is refused, not guessed at
    if let Some(charset) = header_value.split(';').skip(1).filter_map(|p| p.trim().strip_prefix("charset=")).next() {
        let charset = charset.trim_matches('"');
        if charset != "utf-8" && charset != "utf8" {
            return text_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("The body is declared as {charset}: send it as UTF-8."));
        }
    }
    let url_params = pairs(req.query_string());
    let Ok(text) = String::from_utf8(body.to_vec()) else {
        return text_error(StatusCode::BAD_REQUEST, "The request body is not UTF-8.");
    };
    let (query, params) = match content_type.as_str() {
        "application/sparql-query" => {
            // the body is the query; another one in the address makes the request ambiguous
            if let Some(refused) = more_than_one_query(1 + all(&url_params, "query").len()) {
                return refused;
            }
            (text, url_params)
        }
        "application/x-www-form-urlencoded" => {
            let form = pairs(&text);
            if first(&form, "update").is_some() {
                return refuse_update();
            }
            if let Some(refused) = more_than_one_query(all(&form, "query").len() + all(&url_params, "query").len()) {
                return refused;
            }
            let Some(q) = first(&form, "query").map(str::to_owned) else {
                return text_error(StatusCode::BAD_REQUEST, "The form has no query= field.");
            };
            let mut all_params = form;
            all_params.extend(url_params);
            (q, all_params)
        }
        "application/sparql-update" => return refuse_update(),
        other => {
            return text_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "POST a query as application/sparql-query or application/x-www-form-urlencoded (query=…), not {}.",
                    if other.is_empty() { "without a Content-Type" } else { other }
                ),
            );
        }
    };
    let request = SparqlRequest {
        query,
        base_iri: Some(endpoint_iri(&publishing)),
        default_graph_uris: all(&params, "default-graph-uri"),
        named_graph_uris: all(&params, "named-graph-uri"),
    };
    answer(&req, publishing, state.default_lang, request, first(&params, "format").map(str::to_owned)).await
}

fn status_of(e: &SparqlError) -> StatusCode {
    match e {
        SparqlError::Update => StatusCode::FORBIDDEN,
        SparqlError::Timeout(_) | SparqlError::Memory(_) | SparqlError::Abandoned => StatusCode::SERVICE_UNAVAILABLE,
        SparqlError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

async fn answer(
    req: &HttpRequest,
    publishing: web::Data<Publishing>,
    default_lang: Lang,
    request: SparqlRequest,
    format: Option<String>,
) -> HttpResponse {
    let query_text = request.query.clone();
    let p = publishing.clone();
    // the engine stops a query at its time limit or memory budget; and when this handler is
    // dropped before the answer (the client went away: the server closes a connection whose
    // client closed its side), the query is stopped too
    let stop = engine::Stop::new();
    let _stop_when_dropped = StopWhenDropped(stop.clone());
    let evaluation = web::block(move || engine::run_until(&p.publisher, p.sparql, &request, &stop));
    // a safety net only: the engine answers at its deadline
    let deadline = std::time::Duration::from_millis(publishing.sparql.timeout_ms + 1000);
    let result = match actix_web::rt::time::timeout(deadline, evaluation).await {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!("a SPARQL query is still running past its time limit; its answer was given up");
            Ok(Err(SparqlError::Timeout(publishing.sparql.timeout_ms)))
        }
    };
    let answer = match result {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => {
            if e_is_store(&e) {
                tracing::error!(error = %e, "SPARQL query failed");
            }
            let status = status_of(&e);
            if format.as_deref() == Some("html") || (format.is_none() && wants_html(req)) {
                return page(req, &publishing, default_lang, query_text, None, Some(e.to_string()), status);
            }
            return text_error(status, e.to_string());
        }
        Err(e) => return text_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    };
    let graph = matches!(answer, Answer::Graph { .. });
    let offers = if graph { GRAPH_OFFERS } else { RESULT_OFFERS };
    let output = match format.as_deref() {
        Some(name) => match output_from_name(name, graph) {
            Some(o) => o,
            None => {
                return text_error(
                    StatusCode::BAD_REQUEST,
                    format!("format={name:?} is unknown: use json, xml, csv, tsv, ttl, rdf, jsonld, nt, html or a media type"),
                );
            }
        },
        None => {
            let accept = req.headers().get(header::ACCEPT).and_then(|h| h.to_str().ok());
            let types: Vec<&str> = offers.iter().map(|(t, _)| *t).collect();
            match conneg::choose(accept, &types) {
                Some(i) => offers[i].1,
                None => {
                    return text_error(
                        StatusCode::NOT_ACCEPTABLE,
                        format!("None of the requested media types is available for this answer. Available: {}.", types.join(", ")),
                    );
                }
            }
        }
    };
    if output == Output::Html {
        return page(req, &publishing, default_lang, query_text, Some(&answer), None, StatusCode::OK);
    }
    let mut body = Vec::new();
    let (written, media) = match output {
        Output::Results(f) => (answer.write_results(f, &mut body), f.media_type()),
        Output::Rdf(f) => (answer.write_graph(f, &mut body), f.media_type()),
        Output::Html => unreachable!(),
    };
    match written {
        Ok(true) => {}
        Ok(false) => return text_error(StatusCode::NOT_ACCEPTABLE, "That format does not fit this kind of answer."),
        Err(e) => return text_error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, format!("{media}; charset=utf-8")));
    res.insert_header((header::VARY, "Accept"));
    if answer.truncated() {
        let cap = if graph { publishing.sparql.max_triples } else { publishing.sparql.max_rows };
        res.insert_header(("X-SPARQL-Truncated", "true"));
        res.insert_header(("X-SPARQL-MaxRows", cap.to_string()));
    }
    res.body(body)
}

/// Stops the query when the request's handler ends, whichever way (after the answer it is too
/// late to matter).
struct StopWhenDropped(engine::Stop);

impl Drop for StopWhenDropped {
    fn drop(&mut self) {
        self.0.stop(engine::StopReason::ClientGone);
    }
}

fn e_is_store(e: &SparqlError) -> bool {
    matches!(e, SparqlError::Store(_))
}

// ---- the page ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "sparql.html")]
struct SparqlPage {
    chrome: Chrome,
    endpoint: String,
    query: String,
    timeout_s: u64,
    max_rows: u64,
    examples: Vec<Example>,
    result: Option<ResultView>,
    error: Option<String>,
}

struct Example {
    title: String,
    description: String,
    query: String,
    href: String,
}

struct ResultView {
    headers: Vec<String>,
    rows: Vec<Vec<Val>>,
    boolean: Option<String>,
    graph: Option<String>,
    truncated: bool,
}

fn cell(term: Option<&Term>, base: &str) -> Val {
    match term {
        None => Val::text(""),
        Some(Term::NamedNode(n)) => match n.as_str().strip_prefix(base).map(|rest| format!("/{rest}")) {
            Some(path) if super::kernel::context::is_local_path(&path) => Val::link(n.as_str(), path),
            // any other IRI a query binds is linked only when `link_target` allows it
            _ => Val::external(n.as_str()),
        },
        Some(Term::Literal(l)) => {
            let mut v = Val::text(l.value());
            v.lang = l.language().map(str::to_owned);
            v
        }
        Some(other) => Val::code(other.to_string()),
    }
}

fn result_view(answer: &Answer, lang: Lang, base: &str) -> ResultView {
    let en = lang == Lang::En;
    match answer {
        Answer::Boolean(b) => ResultView {
            headers: Vec::new(),
            rows: Vec::new(),
            boolean: Some(match (b, en) {
                (true, true) => "Yes (true)".into(),
                (false, true) => "No (false)".into(),
                (true, false) => "Ja (true)".into(),
                (false, false) => "Nej (false)".into(),
            }),
            graph: None,
            truncated: false,
        },
        Answer::Solutions { variables, rows, truncated } => ResultView {
            headers: variables.iter().map(|v| v.as_str().to_owned()).collect(),
            rows: rows.iter().map(|r| variables.iter().map(|v| cell(r.get(v), base)).collect()).collect(),
            boolean: None,
            graph: None,
            truncated: *truncated,
        },
        Answer::Graph { truncated, .. } => {
            let mut out = Vec::new();
            let graph = match answer.write_graph(Format::Turtle, &mut out) {
                Ok(_) => String::from_utf8_lossy(&out).into_owned(),
                Err(e) => e.to_string(),
            };
            ResultView { headers: Vec::new(), rows: Vec::new(), boolean: None, graph: Some(graph), truncated: *truncated }
        }
    }
}

fn page(
    req: &HttpRequest,
    publishing: &Publishing,
    default_lang: Lang,
    query: String,
    answer: Option<&Answer>,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let ctx = Ctx::of(req, default_lang);
    let en = ctx.lang == Lang::En;
    let base = publishing.publisher.catalogue().minter().base().to_owned();
    let examples = EXAMPLES
        .iter()
        .map(|(sv_title, en_title, sv_text, en_text, q)| {
            let full = format!("{PREFIXES}{q}");
            Example {
                title: if en { en_title } else { sv_title }.to_string(),
                description: if en { en_text } else { sv_text }.to_string(),
                href: format!("/sparql?query={}", encode_query(&full)),
                query: full,
            }
        })
        .collect();
    let query = if query.is_empty() { example_queries().remove(0) } else { query };
    let title = if en { "SPARQL endpoint" } else { "SPARQL-gränssnitt" };
    let page = SparqlPage {
        chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""),
        endpoint: format!("{base}sparql"),
        query,
        timeout_s: publishing.sparql.timeout_ms.div_ceil(1000),
        max_rows: publishing.sparql.max_rows,
        examples,
        result: answer.map(|a| result_view(a, ctx.lang, &base)),
        error,
    };
    ctx.respond(status, page.render())
}
