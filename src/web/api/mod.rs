//! The JSON API for machines under `/api/v1`: records (list, get, create, update, workflow
//! steps, batches), API-token authentication (`Authorization: Bearer`), errors as
//! `application/problem+json` (RFC 9457), and the OpenAPI 3.1 document generated from these
//! handlers ([`doc`], the schemas in [`schema`]) with its page for people.
//!
//! Thin by rule: a handler reads the request (path, query, headers, body), calls one method of
//! `curation::records` (which holds every rule and role check, through the same curation
//! service the forms use), and writes the answer. Reads are public (the published version);
//! with a valid token they also see working drafts. Writes need a token: none or a bad one is
//! 401 with `WWW-Authenticate`, too low a role 403, checked before the body is read. A session
//! cookie is not accepted for writes here (no CSRF token is asked of machines).

#![allow(
    clippy::result_large_err,
    reason = "a step's error side is the answer itself (an HttpResponse), built at most once per request and returned at once"
)]

pub mod doc;
pub mod schema;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::kernel::AppState;
use super::kernel::context::Ctx;
use crate::accounts::Role;
use crate::accounts::tokens::TokenRefusal;
use crate::config::Lang;
use crate::curation::records::{ApiError, Collection, Document, ListQuery, Step, state_name};
use crate::curation::{Actor, Curation, CurationError};
use crate::model::rdfjson::Problem;
use crate::publish::paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parse_modified_since};
use crate::search::{FacetName, SearchRequest};

/// The largest record document accepted.
pub const MAX_RECORD_BODY: usize = 2 * 1024 * 1024;
/// The largest batch accepted.
pub const MAX_BATCH_BODY: usize = 16 * 1024 * 1024;

/// A problem document (RFC 9457) in the request's language.
pub(in crate::web) fn problem(ctx_lang: Lang, status: StatusCode, detail: String, errors: Vec<Value>) -> HttpResponse {
    let en = ctx_lang == Lang::En;
    let title = match (status.as_u16(), en) {
        (400, false) => "Felaktig begäran",
        (400, true) => "Bad request",
        (401, false) => "Inloggning krävs",
        (401, true) => "Authentication required",
        (403, false) => "Behörighet saknas",
        (403, true) => "Not allowed",
        (404, false) => "Finns inte",
        (404, true) => "Not found",
        (405, false) => "Metoden finns inte",
        (405, true) => "Method not allowed",
        (409, false) => "Konflikt",
        (409, true) => "Conflict",
        (412, false) => "Posten har ändrats",
        (412, true) => "The record has changed",
        (413, false) => "För stor",
        (413, true) => "Too large",
        (422, false) => "Posten kan inte sparas",
        (422, true) => "The record cannot be saved",
        (428, false) => "If-Match krävs",
        (428, true) => "If-Match required",
        (_, false) => "Fel",
        (_, true) => "Error",
    };
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    if !errors.is_empty() {
        body["errors"] = Value::Array(errors);
    }
    HttpResponse::build(status)
        .content_type("application/problem+json")
        .insert_header((header::CONTENT_LANGUAGE, ctx_lang.code()))
        .insert_header((header::VARY, "Accept-Language"))
        .body(body.to_string())
}

fn words(lang: Lang, sv: impl Into<String>, en: impl Into<String>) -> String {
    if lang == Lang::En { en.into() } else { sv.into() }
}

fn pointer_errors(problems: &[Problem], lang: Lang) -> Vec<Value> {
    problems.iter().map(|p| json!({"pointer": p.pointer, "detail": p.message(lang.code())})).collect()
}

fn parameter_error(lang: Lang, parameter: &str, sv: String, en: String) -> HttpResponse {
    let detail = words(lang, sv, en);
    problem(lang, StatusCode::BAD_REQUEST, detail.clone(), vec![json!({"parameter": parameter, "detail": detail})])
}

/// The `ETag` of a document: its latest revision (strong), or a weak tag no `If-Match` names.
fn etag(doc: &Document) -> String {
    match doc.revision {
        Some(r) => format!("\"{r}\""),
        None => format!("W/\"public-{}\"", doc.body["version"]),
    }
}

fn document(status: StatusCode, doc: &Document) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag(doc))).json(&doc.body)
}

/// A refusal of the records service as a problem.
fn refusal(e: ApiError, lang: Lang) -> HttpResponse {
    match e {
        ApiError::Invalid(problems) => {
            let detail = words(
                lang,
                format!("Inget sparades: dokumentet har {} fel (se errors).", problems.len()),
                format!("Nothing was saved: the document has {} problem(s) (see errors).", problems.len()),
            );
            problem(lang, StatusCode::UNPROCESSABLE_ENTITY, detail, pointer_errors(&problems, lang))
        }
        ApiError::NotFound => problem(lang, StatusCode::NOT_FOUND, words(lang, "Posten finns inte.", "There is no such record."), vec![]),
        ApiError::Exists(id) => problem(
            lang,
            StatusCode::CONFLICT,
            words(lang, format!("Det finns redan en post {id}."), format!("There is a record {id} already.")),
            vec![json!({"pointer": "/id", "detail": words(lang, "Identifieraren är upptagen.", "The identifier is taken.")})],
        ),
        ApiError::Stale { latest, pointer } => {
            let detail = words(
                lang,
                format!(
                    "Posten har ändrats sedan dess (senaste revision {latest}); hämta den igen och skicka dina ändringar på nytt. Inget sparades."
                ),
                format!(
                    "The record changed since (latest revision {latest}); read it again and send your change again. Nothing was saved."
                ),
            );
            let errors = pointer.map(|p| vec![json!({"pointer": p, "detail": detail})]).unwrap_or_default();
            let mut res = problem(lang, StatusCode::PRECONDITION_FAILED, detail, errors);
            if let Ok(v) = header::HeaderValue::from_str(&format!("\"{latest}\"")) {
                res.headers_mut().insert(header::ETAG, v);
            }
            res
        }
        ApiError::Refused(e) => {
            let (status, message) = super::kernel::error::curation_refusal(&e, lang);
            if status.is_server_error() {
                tracing::error!(error = %e, "api request failed");
            }
            problem(lang, status, message, refusal_errors(&e, lang))
        }
    }
}

/// The parts of a refused step a client can act on, one entry each: a link that stops a
/// publication (the record linked to, its kind and state, `null` when it does not exist), or a
/// record of a bulk step and why it was refused (with its own entries under `errors`).
fn refusal_errors(e: &CurationError, lang: Lang) -> Vec<Value> {
    match e {
        CurationError::LinksToUnpublished { targets, .. } => targets
            .iter()
            .map(|t| {
                json!({
                    "link": t.iri,
                    "kind": t.kind.map(|k| k.as_str()),
                    "state": t.state.map(state_name),
                    "detail": super::kernel::error::unresolved_link(t, lang),
                })
            })
            .collect(),
        CurationError::Several { failures } => failures
            .iter()
            .map(|f| {
                let (status, detail) = super::kernel::error::curation_refusal(&f.error, lang);
                let mut entry = json!({"record": f.iri, "status": status.as_u16(), "detail": detail});
                let inner = refusal_errors(&f.error, lang);
                if !inner.is_empty() {
                    entry["errors"] = Value::Array(inner);
                }
                entry
            })
            .collect(),
        _ => vec![],
    }
}

/// Who a request's bearer token speaks for: `Ok(None)` without a token.
async fn bearer(req: &HttpRequest, state: &AppState) -> Result<Option<(Actor, String)>, Result<TokenRefusal, String>> {
    let Some(h) = req.headers().get(header::AUTHORIZATION) else { return Ok(None) };
    let text = h.to_str().unwrap_or("").trim();
    let token = match text.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim().to_owned(),
        _ => return Err(Ok(TokenRefusal::Unknown)),
    };
    let accounts = state.accounts.clone();
    match web::block(move || accounts.token_actor(&token)).await {
        Ok(Ok(Ok(found))) => Ok(Some(found)),
        Ok(Ok(Err(refusal))) => Err(Ok(refusal)),
        Ok(Err(e)) => Err(Err(e.to_string())),
        Err(e) => Err(Err(e.to_string())),
    }
}

fn unauthorized(lang: Lang, refusal: Option<TokenRefusal>) -> HttpResponse {
    let detail = match refusal {
        None => words(
            lang,
            "Skrivningar kräver en API-token: Authorization: Bearer <token>.",
            "Writes need an API token: Authorization: Bearer <token>.",
        ),
        Some(r) => r.message(lang.code()).to_owned(),
    };
    let challenge = match refusal {
        None => "Bearer realm=\"vardkatalog\"".to_owned(),
        Some(_) => "Bearer realm=\"vardkatalog\", error=\"invalid_token\"".to_owned(),
    };
    let mut res = problem(lang, StatusCode::UNAUTHORIZED, detail, vec![]);
    if let Ok(v) = header::HeaderValue::from_str(&challenge) {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    res
}

/// The caller of a read: `true` with a valid token (drafts are visible), `false` without.
async fn reader(req: &HttpRequest, state: &AppState, lang: Lang) -> Result<bool, HttpResponse> {
    match bearer(req, state).await {
        Ok(found) => Ok(found.is_some()),
        Err(Ok(refusal)) => Err(unauthorized(lang, Some(refusal))),
        Err(Err(e)) => Err(problem(lang, StatusCode::INTERNAL_SERVER_ERROR, e, vec![])),
    }
}

/// The caller of a write: the token's account when its role is at least `role`, and the
/// curation service that names the token in the audit log.
async fn writer(req: &HttpRequest, state: &AppState, lang: Lang, role: Role) -> Result<(Actor, Curation), HttpResponse> {
    let (actor, token) = token_caller(req, state, lang, role).await?;
    Ok((actor, state.curation.via_token(&token)))
}

/// The caller of an API write outside the records (a region's delivery report): the token's
/// account and the token's id when its role is at least `role`; else the answer, 401 with
/// `WWW-Authenticate` (no, unknown, expired or revoked token) or 403, as for every write.
pub(in crate::web) async fn token_caller(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    role: Role,
) -> Result<(Actor, String), HttpResponse> {
    match bearer(req, state).await {
        Ok(Some((actor, token))) if actor.role >= role => Ok((actor, token)),
        Ok(Some(_)) => Err(problem(
            lang,
            StatusCode::FORBIDDEN,
            words(
                lang,
                format!("Det här kräver rollen {} eller högre.", role.label("sv")),
                format!("This needs the role {} or higher.", role.label("en")),
            ),
            vec![],
        )),
        Ok(None) => Err(unauthorized(lang, None)),
        Err(Ok(refusal)) => Err(unauthorized(lang, Some(refusal))),
        Err(Err(e)) => Err(problem(lang, StatusCode::INTERNAL_SERVER_ERROR, e, vec![])),
    }
}

/// A JSON body of at most `limit` bytes.
async fn json_body(req: &HttpRequest, payload: web::Payload, lang: Lang, limit: usize, optional: bool) -> Result<Value, HttpResponse> {
    let too_large = || {
        problem(
            lang,
            StatusCode::PAYLOAD_TOO_LARGE,
            words(lang, format!("Högst {} kB tas emot här.", limit / 1024), format!("At most {} KB is accepted here.", limit / 1024)),
            vec![],
        )
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|h| h.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let bytes = match payload.to_bytes_limited(limit).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return Err(problem(lang, StatusCode::BAD_REQUEST, e.to_string(), vec![])),
        Err(_) => return Err(too_large()),
    };
    if optional && bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        let detail = words(lang, format!("Kroppen är inte JSON: {e}"), format!("The body is not JSON: {e}"));
        problem(lang, StatusCode::BAD_REQUEST, detail.clone(), vec![json!({"pointer": "", "detail": detail})])
    })
}

fn collection(lang: Lang, name: &str) -> Result<Collection, HttpResponse> {
    Collection::parse(name).ok_or_else(|| {
        problem(
            lang,
            StatusCode::NOT_FOUND,
            words(
                lang,
                format!("{name} är ingen samling: datasets, variables, codelists, usecases eller data-collections."),
                format!("{name} is not a collection: datasets, variables, codelists, usecases or data-collections."),
            ),
            vec![],
        )
    })
}

/// Runs a records-service call on the blocking pool.
async fn call<T: Send + 'static>(lang: Lang, f: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, HttpResponse> {
    match web::block(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(refusal(e, lang)),
        Err(e) => Err(problem(lang, StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), vec![])),
    }
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(res) => return res,
        }
    };
}

/// The listing parameters: `page`, `page_size`, `modified_since`, and search's `q` and facets.
fn list_query(query: &str, lang: Lang) -> Result<ListQuery, HttpResponse> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let one = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let page = match one("page") {
        None => 1,
        Some(v) => tri_param(v.trim().parse::<u64>().ok().filter(|p| (1..=1_000_000).contains(p)), lang, "page", v)?,
    };
    let page_size = match one("page_size") {
        None => DEFAULT_PAGE_SIZE,
        Some(v) => tri_param(v.trim().parse::<u64>().ok().filter(|s| (1..=MAX_PAGE_SIZE).contains(s)), lang, "page_size", v)?,
    };
    let modified_since = match one("modified_since").filter(|v| !v.trim().is_empty()) {
        None => None,
        Some(v) => Some(parse_modified_since(v).map_err(|_| {
            parameter_error(
                lang,
                "modified_since",
                format!(
                    "modified_since={v:?} är inget datum eller tidpunkt enligt ISO 8601 (t.ex. 2026-01-31 eller 2026-01-31T12:00:00Z)."
                ),
                format!("modified_since={v:?} is not an ISO 8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)."),
            )
        })?),
    };
    let mut search = SearchRequest::default();
    let mut searching = false;
    for (k, v) in &pairs {
        if k == "q" && !v.trim().is_empty() {
            search.text = v.chars().take(500).collect();
            searching = true;
        } else if let Some(f) = FacetName::from_param(k).filter(|f| *f != FacetName::Kind)
            && !v.is_empty()
        {
            search.filters.entry(f).or_default().insert(v.clone());
            searching = true;
        }
    }
    if searching && modified_since.is_some() {
        return Err(parameter_error(
            lang,
            "modified_since",
            "modified_since kan inte kombineras med sökord eller filter.".into(),
            "modified_since cannot be combined with search words or filters.".into(),
        ));
    }
    Ok(ListQuery { page, page_size, modified_since, search: searching.then_some(search) })
}

fn tri_param(v: Option<u64>, lang: Lang, name: &str, given: &str) -> Result<u64, HttpResponse> {
    v.ok_or_else(|| {
        let (sv, en) = if name == "page" {
            (
                format!("page={given:?} är inget sidnummer: ange ett heltal från 1."),
                format!("page={given:?} is not a page number: use a whole number from 1."),
            )
        } else {
            (
                format!("page_size={given:?} är inte tillåtet: ange ett heltal från 1 till {MAX_PAGE_SIZE}."),
                format!("page_size={given:?} is not allowed: use a whole number from 1 to {MAX_PAGE_SIZE}."),
            )
        };
        parameter_error(lang, name, sv, en)
    })
}

/// `GET /api/v1/{collection}`: one page of the collection's public records.
#[utoipa::path(get, path = "/api/v1/{collection}", tag = "records",
    summary = "Lista poster / List records",
    description = "Publicerade (och utfasade) poster i samlingen, sida för sida, ordnade efter IRI; med q eller filter som på söksidan, bäst först. / The collection's published (and retired) records, page by page in IRI order; with q or filters as on the search page, best first.",
    params(("collection" = schema::CollectionName, Path, description = "Samlingen / The collection"), schema::ListParams),
    responses(
        (status = 200, description = "En sida / One page", body = schema::ListPage),
        (status = 400, description = "En parameter kan inte användas / A parameter cannot be used", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "Ogiltig token / Invalid token", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "Ingen sådan samling / No such collection", body = schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub async fn list(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let lang = Ctx::of(&req, state.default_lang).lang;
    let coll = tri!(collection(lang, &path));
    let q = tri!(list_query(req.query_string(), lang));
    tri!(reader(&req, &state, lang).await);
    let c = state.curation.clone();
    let query = q.clone();
    let listed = tri!(call(lang, move || c.api_list(coll, &query)).await);
    let last = listed.total.div_ceil(q.page_size).max(1);
    if q.page > last {
        return parameter_error(
            lang,
            "page",
            format!("Sidan {} finns inte: med page_size={} är den sista sidan {last}.", q.page, q.page_size),
            format!("Page {} does not exist: with page_size={} the last page is {last}.", q.page, q.page_size),
        );
    }
    HttpResponse::Ok().json(json!({"items": listed.items, "total": listed.total, "page": q.page, "page_size": q.page_size}))
}

/// `GET /api/v1/{collection}/{id}`.
#[utoipa::path(get, path = "/api/v1/{collection}/{id}", tag = "records",
    summary = "Hämta en post / Read a record",
    description = "Postens dokument. Med en giltig token: arbetsutkastet när det finns ett, annars den publicerade versionen. ETag är postens senaste revision. / The record's document. With a valid token: the working draft when there is one, else the published version. The ETag is the record's latest revision.",
    params(("collection" = schema::CollectionName, Path, description = "Samlingen / The collection"), ("id" = String, Path, description = "Postens id / The record's id")),
    responses(
        (status = 200, description = "Postens dokument / The record's document", body = schema::RecordDocument,
            headers(("ETag" = String, description = "Senaste revisionen, t.ex. \"17\" / The latest revision, e.g. \"17\""))),
        (status = 401, description = "Ogiltig token / Invalid token", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "Ingen sådan post / No such record", body = schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub async fn get(req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let lang = Ctx::of(&req, state.default_lang).lang;
    let (name, id) = path.into_inner();
    let coll = tri!(collection(lang, &name));
    let drafts = tri!(reader(&req, &state, lang).await);
    let c = state.curation.clone();
    let doc = tri!(call(lang, move || c.api_get(coll, &id, drafts)).await);
    document(StatusCode::OK, &doc)
}

/// `POST /api/v1/{collection}`.
#[utoipa::path(post, path = "/api/v1/{collection}", tag = "records",
    summary = "Skapa en post / Create a record",
    description = "Sparar posten som utkast (roll redaktör eller högre). id krävs; grafen beskriver posten <{bas}{typ}/{id}>. / Saves the record as a draft (role editor or higher). id is required; the graph describes the record <{base}{kind}/{id}>.",
    params(("collection" = schema::WritableCollection, Path, description = "Samlingen / The collection")),
    request_body(content = schema::RecordInput, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Skapad / Created", body = schema::RecordDocument,
            headers(("ETag" = String, description = "Revisionen / The revision"), ("Location" = String, description = "Postens adress i API:t / The record's address in the API"))),
        (status = 400, description = "Inte JSON / Not JSON", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "Ingen eller ogiltig token / No or invalid token", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "För låg roll / Role too low", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "Ingen sådan samling / No such collection", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 409, description = "Id:t är upptaget / The id is taken", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "För stor / Too large", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Fel i dokumentet, vart och ett med sin JSON Pointer / Problems in the document, each with its JSON Pointer", body = schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub async fn create(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>, payload: web::Payload) -> HttpResponse {
    let lang = Ctx::of(&req, state.default_lang).lang;
    let coll = tri!(collection(lang, &path));
    if coll == Collection::DataCollections {
        let detail = words(
            lang,
            "En datainsamling skapas som datamängd: POST /api/v1/datasets.",
            "A data collection is created as a dataset: POST /api/v1/datasets.",
        );
        return problem(lang, StatusCode::NOT_FOUND, detail, vec![]);
    }
    let (actor, c) = tri!(writer(&req, &state, lang, Role::Redaktor).await);
    let body = tri!(json_body(&req, payload, lang, MAX_RECORD_BODY, false).await);
    let doc = tri!(call(lang, move || c.api_create(&actor, coll, &body)).await);
    let location = crate::web::kernel::paths::api_record(coll.segment(), doc.body["id"].as_str().unwrap_or_default());
    let mut res = document(StatusCode::CREATED, &doc);
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// The revision an `If-Match` names (`u64::MAX`, which no record has, when it names none).
fn if_match(req: &HttpRequest) -> Option<u64> {
    let h = req.headers().get(header::IF_MATCH)?.to_str().unwrap_or("");
    Some(
        h.split(',')
            .map(str::trim)
            .find_map(|t| t.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(|t| t.parse::<u64>().ok()))
            .unwrap_or(u64::MAX),
    )
}

/// `PUT /api/v1/{collection}/{id}`.
#[utoipa::path(put, path = "/api/v1/{collection}/{id}", tag = "records",
    summary = "Ändra en post / Change a record",
    description = "Ersätter postens arbetsutkast med dokumentet (roll redaktör eller högre). If-Match med postens ETag krävs; en annan revision ger 412. Ett dokument som inte ändrar något sparar inget (ingen ny revision). Det som GET svarar kan skickas tillbaka oförändrat. / Replaces the record's working draft with the document (role editor or higher). If-Match with the record's ETag is required; another revision gives 412. A document that changes nothing saves nothing (no new revision). What GET answers can be sent back unchanged.",
    params(("collection" = schema::CollectionName, Path, description = "Samlingen / The collection"), ("id" = String, Path, description = "Postens id / The record's id"),
        ("If-Match" = String, Header, description = "Postens ETag, t.ex. \"17\" / The record's ETag, e.g. \"17\"")),
    request_body(content = schema::RecordInput, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Sparad, eller oförändrad / Saved, or unchanged", body = schema::RecordDocument,
            headers(("ETag" = String, description = "Den nya revisionen / The new revision"))),
        (status = 400, description = "Inte JSON / Not JSON", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "Ingen eller ogiltig token / No or invalid token", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "För låg roll / Role too low", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "Ingen sådan post / No such record", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 412, description = "Posten har ändrats sedan den revision If-Match anger / The record changed since the revision If-Match names", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "För stor / Too large", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Fel i dokumentet / Problems in the document", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 428, description = "If-Match saknas / If-Match is missing", body = schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> HttpResponse {
    let lang = Ctx::of(&req, state.default_lang).lang;
    let (name, id) = path.into_inner();
    let coll = tri!(collection(lang, &name));
    let (actor, c) = tri!(writer(&req, &state, lang, Role::Redaktor).await);
    let Some(revision) = if_match(&req) else {
        return problem(
            lang,
            StatusCode::PRECONDITION_REQUIRED,
            words(
                lang,
                "Skicka If-Match med postens ETag (från GET), så skriver du inte över någon annans ändring.",
                "Send If-Match with the record's ETag (from GET), so that you do not overwrite someone else's change.",
            ),
            vec![json!({"parameter": "If-Match", "detail": words(lang, "saknas", "missing")})],
        );
    };
    let body = tri!(json_body(&req, payload, lang, MAX_RECORD_BODY, false).await);
    let (doc, _) = tri!(call(lang, move || c.api_update(&actor, coll, &id, revision, &body)).await);
    document(StatusCode::OK, &doc)
}

/// `POST /api/v1/{collection}/{id}/{action}`.
#[utoipa::path(post, path = "/api/v1/{collection}/{id}/{action}", tag = "workflow",
    summary = "Arbetsflöde / Workflow step",
    description = "submit (utkast → granskning, redaktör; message), publish (granskare; change_note krävs), send-back (granskare; comment krävs), retire (granskare; note), restore (redaktör; revision krävs). Samma regler som i formulären, bl.a. fyra ögon. / submit (draft → in review, editor; message), publish (reviewer; change_note required), send-back (reviewer; comment required), retire (reviewer; note), restore (editor; revision required). The same rules as the forms, four eyes among them.",
    params(("collection" = schema::CollectionName, Path, description = "Samlingen / The collection"), ("id" = String, Path, description = "Postens id / The record's id"),
        ("action" = schema::Action, Path, description = "Steget / The step")),
    request_body(content = schema::WorkflowInput, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Klart; postens dokument / Done; the record's document", body = schema::RecordDocument,
            headers(("ETag" = String, description = "Den nya revisionen / The new revision"))),
        (status = 400, description = "Text saknas eller kroppen är inte JSON / A text is missing or the body is not JSON", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "Ingen eller ogiltig token / No or invalid token", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "För låg roll, eller eget arbete (fyra ögon) / Role too low, or own work (four eyes)", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "Ingen sådan post, samling eller revision / No such record, collection or revision", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 409, description = "Fel tillstånd, eller länkar till opublicerade poster / Wrong state, or links to unpublished records", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "För stor / Too large", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Fel i kroppen / Problems in the body", body = schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub async fn step(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    payload: web::Payload,
) -> HttpResponse {
    let lang = Ctx::of(&req, state.default_lang).lang;
    let (name, id, action) = path.into_inner();
    let coll = tri!(collection(lang, &name));
    let role = match action.as_str() {
        "submit" | "restore" => Role::Redaktor,
        "publish" | "send-back" | "retire" => Role::Granskare,
        other => {
            return problem(
                lang,
                StatusCode::NOT_FOUND,
                words(
                    lang,
                    format!("{other} är inget steg: submit, publish, send-back, retire eller restore."),
                    format!("{other} is not a step: submit, publish, send-back, retire or restore."),
                ),
                vec![],
            );
        }
    };
    let (actor, c) = tri!(writer(&req, &state, lang, role).await);
    let body = tri!(json_body(&req, payload, lang, 64 * 1024, true).await);
    let text = |k: &str| -> Result<String, HttpResponse> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(refusal(
                ApiError::Invalid(vec![Problem::new(format!("/{k}"), format!("{k} ska vara text."), format!("{k} must be a string."))]),
                lang,
            )),
        }
    };
    let step = match action.as_str() {
        "submit" => Step::Submit { message: tri!(text("message")) },
        "publish" => Step::Publish { change_note: tri!(text("change_note")) },
        "send-back" => Step::SendBack { comment: tri!(text("comment")) },
        "retire" => Step::Retire { note: tri!(text("note")) },
        _ => match body.get("revision").and_then(Value::as_u64) {
            Some(revision) => Step::Restore { revision },
            None => {
                return refusal(
                    ApiError::Invalid(vec![Problem::new(
                        "/revision",
                        "Ange revisionen att återställa (ett heltal).",
                        "Give the revision to restore (a whole number).",
                    )]),
                    lang,
                );
            }
        },
    };
    let doc = tri!(call(lang, move || c.api_step(&actor, coll, &id, &step)).await);
    document(StatusCode::OK, &doc)
}

/// `POST /api/v1/batch`.
#[utoipa::path(post, path = "/api/v1/batch", tag = "records",
    summary = "Spara många poster / Save many records",
    description = "Sparar alla poster som utkast i en enda skrivning, allt eller inget (roll redaktör eller högre). En post som finns ska ha sin senaste revision i revision; en som inte finns skapas. Ett fel i en post: inget sparas. / Saves every record as a draft in one write, all or nothing (role editor or higher). A record that exists must carry its latest revision in revision; one that does not is created. A problem in one record: nothing is saved.",
    request_body(content = schema::BatchInput, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Sparade / Saved", body = schema::BatchResult),
        (status = 400, description = "Inte JSON / Not JSON", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 401, description = "Ingen eller ogiltig token / No or invalid token", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "För låg roll / Role too low", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 412, description = "En post har ändrats / A record changed", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "För stor / Too large", body = schema::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Fel i en eller flera poster / Problems in one or more records", body = schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub async fn batch(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let lang = Ctx::of(&req, state.default_lang).lang;
    let (actor, c) = tri!(writer(&req, &state, lang, Role::Redaktor).await);
    let body = tri!(json_body(&req, payload, lang, MAX_BATCH_BODY, false).await);
    let items = tri!(call(lang, move || c.api_batch(&actor, &body)).await);
    HttpResponse::Ok().json(json!({"items": items}))
}

/// `GET /api/v1/suggest`: suggestions for the search box while typing.
#[utoipa::path(get, path = "/api/v1/suggest", tag = "search",
    summary = "Förslag medan man skriver / Suggestions while typing",
    description = "Variabler, datamängder, koder, kodlistor och kodverk vars namn, synonym eller kod börjar som q (stora och små bokstäver och å, ä, ö lika med a, a, o; varje ord i q räknas som början av ett ord). Ord med ett tecken räknas inte: q med bara sådana ger en tom lista. Bara de första 100 tecknen läses. / Variables, datasets, codes, code lists and coding systems whose name, synonym or code starts as q is typed (case and å, ä, ö folded; each word of q is the start of a word). Words of one character count for nothing: a q of only such words gives an empty list. Only the first 100 characters are read.",
    params(
        ("q" = String, Query, min_length = 1, description = "Det som skrivits hittills; tomt eller bara blanksteg ger 400 / What has been typed so far; empty or blank gives 400"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 20, description = "Högst så många förslag (1–20, 8 om inget anges) / At most this many suggestions (1–20, 8 when not given)"),
    ),
    responses(
        (status = 200, description = "Förslag, bäst först / Suggestions, best first", body = schema::SuggestPage),
        (status = 400, description = "q saknas eller är tomt, eller limit är inte 1–20 / q is missing or blank, or limit is not 1–20", body = schema::ProblemDoc, content_type = "application/problem+json"),
    ))]
pub async fn suggest(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    use crate::search::{DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS};
    let lang = Ctx::of(&req, state.default_lang).lang;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let first = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let q = first("q").unwrap_or_default();
    if q.trim().is_empty() {
        return parameter_error(
            lang,
            "q",
            "Ange q: texten som skrivits i sökrutan.".to_owned(),
            "Give q: the text typed into the search box.".to_owned(),
        );
    }
    let limit = match first("limit") {
        None => DEFAULT_SUGGESTIONS,
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_SUGGESTIONS).contains(&n) => n,
            _ => {
                return parameter_error(
                    lang,
                    "limit",
                    format!("limit={v:?} är inte tillåtet: ange ett heltal från 1 till {MAX_SUGGESTIONS}."),
                    format!("limit={v:?} is not allowed: use a whole number from 1 to {MAX_SUGGESTIONS}."),
                );
            }
        },
    };
    let cat = state.catalogue.clone();
    let text = q.clone();
    let found = match web::block(move || cat.suggest(&text, limit)).await {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return problem(lang, StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), vec![]),
        Err(e) => return problem(lang, StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), vec![]),
    };
    let minter = state.catalogue.minter();
    let suggestions: Vec<Value> = found
        .iter()
        .map(|s| {
            let kind = crate::model::record::RecordKind::parse(&s.kind);
            let kind_label = |l: &str| kind.map(|k| k.label(l).to_owned()).unwrap_or_default();
            let mut doc = json!({
                "iri": s.iri,
                "kind": s.kind,
                "kind_label": {"sv": kind_label("sv"), "en": kind_label("en")},
                "label": {"sv": s.label_sv, "en": s.label_en},
                "url": minter.path(&s.iri),
            });
            if let Some(n) = &s.notation {
                doc["notation"] = json!(n);
            }
            doc
        })
        .collect();
    HttpResponse::Ok().insert_header((header::VARY, "Accept-Language")).json(json!({"q": q, "suggestions": suggestions}))
}

/// Another method on an API path: 405 with the methods it has.
pub async fn method_not_allowed(req: HttpRequest, allow: &'static str) -> HttpResponse {
    let lang = req.app_data::<web::Data<AppState>>().map_or(Lang::Sv, |s| Ctx::of(&req, s.default_lang).lang);
    let detail = words(
        lang,
        format!("Metoden {} finns inte här; använd {allow}.", req.method()),
        format!("The method {} is not available here; use {allow}.", req.method()),
    );
    let mut res = problem(lang, StatusCode::METHOD_NOT_ALLOWED, detail, vec![]);
    res.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static(allow));
    res
}
