//! The validator for regions and publishers: `/kontroll` (a form: URL, uploaded file or pasted
//! text in any RDF format, and a profile), `/api/v1/validate` (the same as JSON) and
//! `/kontroll/regler` (every rule, the target of each finding's link).
//!
//! Handlers only read the request and render: reading the input is `validate::input`, checking
//! it is `validate::rules`. The web page fetches only public addresses (no way into the server's
//! own network) and stores nothing it is sent.

use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::io::RdfFormat;
use serde::Deserialize;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::form::FormData;
use super::views::Chrome;
use crate::catalog::format_from_name;
use crate::config::Lang;
use crate::validate::input::{self, InputError};
use crate::validate::rules::{self, Profile, Report, Severity};

/// A shapes file with its rules in groups: (file, [(group, rules)]).
type RuleFile = (&'static str, Vec<(String, Vec<RuleView>)>);

/// Largest document the web page and the API accept (uploads, pasted text, request bodies).
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;
/// How long the web page waits for a URL.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

struct FindingView {
    class: &'static str,
    severity: &'static str,
    field: String,
    field_name: String,
    node: Option<String>,
    found: Option<String>,
    expected: String,
    rule: Option<String>,
}

struct GroupView {
    record: String,
    label: Option<String>,
    /// A link to the record's page when it is one of this catalogue's records.
    href: Option<String>,
    findings: Vec<FindingView>,
}

struct ResultView {
    passes: bool,
    errors: usize,
    warnings: usize,
    infos: usize,
    triples: usize,
    checked: usize,
    profile: &'static str,
    format: &'static str,
    groups: Vec<GroupView>,
}

#[derive(Template)]
#[template(path = "validator.html")]
struct ValidatorPage {
    chrome: Chrome,
    csrf: String,
    profiles: Vec<(&'static str, &'static str, bool)>,
    formats: Vec<(&'static str, &'static str, bool)>,
    url: String,
    pasted: String,
    problem: Option<String>,
    result: Option<ResultView>,
}

struct RuleView {
    id: String,
    severity: &'static str,
    class: &'static str,
    path: String,
    name: String,
    message: String,
}

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    chrome: Chrome,
    /// (file, [(group, rules)])
    files: Vec<RuleFile>,
}

const FORMATS: &[(&str, &str, &str)] = &[
    ("", "Känns igen automatiskt", "Recognised automatically"),
    ("ttl", "Turtle", "Turtle"),
    ("rdf", "RDF/XML", "RDF/XML"),
    ("jsonld", "JSON-LD", "JSON-LD"),
    ("nt", "N-Triples", "N-Triples"),
];

fn page(ctx: &Ctx, profile: Profile, format: &str) -> ValidatorPage {
    let en = ctx.lang == Lang::En;
    ValidatorPage {
        chrome: Chrome::new(ctx.lang, if en { "Validate metadata" } else { "Kontrollera metadata" }, &ctx.path_and_query, "validate"),
        csrf: ctx.csrf.clone(),
        profiles: Profile::ALL.iter().map(|p| (p.id(), p.label(en), *p == profile)).collect(),
        formats: FORMATS.iter().map(|(id, sv, en_name)| (*id, if en { *en_name } else { *sv }, *id == format)).collect(),
        url: String::new(),
        pasted: String::new(),
        problem: None,
        result: None,
    }
}

#[derive(Deserialize)]
pub(super) struct ProfileQuery {
    profil: Option<String>,
    profile: Option<String>,
    format: Option<String>,
    url: Option<String>,
}

impl ProfileQuery {
    fn profile(&self) -> Option<Profile> {
        Profile::parse(self.profil.as_deref().or(self.profile.as_deref()).unwrap_or(""))
    }
}

pub(super) async fn form_page(req: HttpRequest, state: web::Data<AppState>, q: web::Query<ProfileQuery>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let profile = q.profile().unwrap_or(Profile::DcatApSe);
    ctx.respond(StatusCode::OK, page(&ctx, profile, q.format.as_deref().unwrap_or("")).render())
}

/// What the form asked to check.
enum Source {
    Bytes { bytes: Vec<u8>, name: Option<String>, content_type: Option<String> },
    Url(String),
}

pub(super) async fn check(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let en = ctx.lang == Lang::En;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or("");
    let form = match FormData::parse(content_type, &body) {
        Ok(f) => f,
        Err(e) => {
            let mut p = page(&ctx, Profile::DcatApSe, "");
            p.problem = Some(if en { e.to_string() } else { "Formuläret kunde inte läsas.".into() });
            return ctx.respond(StatusCode::BAD_REQUEST, p.render());
        }
    };
    let profile = Profile::parse(&form.value("profil")).unwrap_or(Profile::DcatApSe);
    let format_id = form.value("format");
    let mut p = page(&ctx, profile, &format_id);
    p.url = form.value("url").trim().to_owned();
    p.pasted = form.value("text");
    if !ctx.csrf_ok(&req, &form.value("csrf")) {
        p.problem = Some(if en { "The form had expired. Send it again." } else { "Formuläret hade gått ut. Skicka det igen." }.into());
        return ctx.respond(StatusCode::FORBIDDEN, p.render());
    }
    let stated = format_from_name(&format_id);
    let source = if let Some(file) = form.file("fil") {
        Source::Bytes { bytes: file.data.clone(), name: file.filename.clone(), content_type: file.content_type.clone() }
    } else if !p.pasted.trim().is_empty() {
        Source::Bytes { bytes: p.pasted.clone().into_bytes(), name: None, content_type: None }
    } else if !p.url.is_empty() {
        Source::Url(p.url.clone())
    } else {
        p.problem = Some(
            if en {
                "Give an address, choose a file or paste the RDF text."
            } else {
                "Ange en adress, välj en fil eller klistra in RDF-texten."
            }
            .into(),
        );
        return ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render());
    };
    let base = state.catalogue.minter().base().to_owned();
    match run(source, stated, profile, base.clone()).await {
        Ok((report, format)) => {
            p.result = Some(view(&report, format, en, &base));
            ctx.respond(StatusCode::OK, p.render())
        }
        Err(e) => {
            p.problem = Some(e.in_language(en));
            ctx.respond(StatusCode::UNPROCESSABLE_ENTITY, p.render())
        }
    }
}

/// Reads and validates on the blocking pool.
async fn run(source: Source, stated: Option<RdfFormat>, profile: Profile, base: String) -> Result<(Report, RdfFormat), RunError> {
    web::block(move || {
        let (bytes, name, content_type) = match source {
            Source::Bytes { bytes, name, content_type } => (bytes, name, content_type),
            Source::Url(url) => {
                let (bytes, content_type) = input::fetch(&url, FETCH_TIMEOUT, true)?;
                (bytes, Some(url), content_type)
            }
        };
        if bytes.len() > MAX_UPLOAD {
            return Err(RunError::Input(InputError::TooLarge));
        }
        let (graph, format) = input::read(&bytes, stated, content_type.as_deref(), name.as_deref(), &base)?;
        let report = rules::validate(&graph, profile).map_err(|e| RunError::Engine(e.to_string()))?;
        Ok((report, format))
    })
    .await
    .unwrap_or_else(|e| Err(RunError::Engine(e.to_string())))
}

#[derive(Debug)]
enum RunError {
    Input(InputError),
    Engine(String),
}

impl From<InputError> for RunError {
    fn from(e: InputError) -> Self {
        Self::Input(e)
    }
}

impl RunError {
    fn in_language(&self, en: bool) -> String {
        match self {
            Self::Input(e) => e.in_language(en),
            Self::Engine(e) => {
                tracing::error!(error = %e, "validation failed");
                if en { format!("The validation could not run: {e}") } else { format!("Kontrollen kunde inte köras: {e}") }
            }
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Input(InputError::TooLarge) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Input(InputError::Fetch { .. } | InputError::Status { .. }) => StatusCode::BAD_GATEWAY,
            Self::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Engine(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

fn view(report: &Report, format: RdfFormat, en: bool, base: &str) -> ResultView {
    ResultView {
        passes: report.passes(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        infos: report.count(Severity::Info),
        triples: report.triples,
        checked: report.checked,
        profile: report.profile.label(en),
        format: input::format_name(format),
        groups: report
            .by_record()
            .into_iter()
            .map(|(record, label, findings)| GroupView {
                record: record.to_owned(),
                label: label.map(str::to_owned),
                href: record.strip_prefix(base).map(|path| format!("/{path}")).filter(|p| super::kernel::context::is_local_path(p)),
                findings: findings
                    .into_iter()
                    .map(|f| FindingView {
                        class: match f.severity {
                            Severity::Error => "error",
                            Severity::Warning => "warning",
                            Severity::Info => "info",
                        },
                        severity: f.severity.label(en),
                        field: f.field.clone(),
                        field_name: f.field_name.get(en).to_owned(),
                        node: f.node.clone(),
                        found: f.found.clone(),
                        expected: f.expected.get(en).to_owned(),
                        rule: f.rule.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn json_error(status: StatusCode, message: String) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "error": message }))
}

fn rules_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}/kontroll/regler", info.scheme(), info.host())
}

/// The API's query parameters; a query that cannot be read is a JSON 400 like every other
/// refusal of the API (not actix's plain-text one).
#[allow(clippy::result_large_err, reason = "the error side is the answer, returned at once")]
fn api_query(req: &HttpRequest) -> Result<ProfileQuery, HttpResponse> {
    web::Query::<ProfileQuery>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| json_error(StatusCode::BAD_REQUEST, format!("the query cannot be read: {e}")))
}

/// `GET /api/v1/validate?url=…&profile=…`: validates the document at a public URL.
#[utoipa::path(get, path = "/api/v1/validate", tag = "validate",
    summary = "Validera ett dokument på en adress / Validate a document at an address",
    description = "Hämtar dokumentet (bara publika adresser) och validerar det mot profilen. / Fetches the document (public addresses only) and validates it against the profile.",
    params(
        ("url" = String, Query, description = "Dokumentets adress (http eller https) / The document's address (http or https)"),
        ("profile" = Option<String>, Query, pattern = "^(dcat-ap-se|healthdcat-ap|variabel|alla)$", description = "dcat-ap-se, healthdcat-ap, variabel eller alla / dcat-ap-se, healthdcat-ap, variabel or alla"),
        ("format" = Option<String>, Query, pattern = "^(ttl|rdf|jsonld|nt)$", description = "ttl, rdf, jsonld eller nt / ttl, rdf, jsonld or nt"),
    ),
    responses(
        (status = 200, description = "Rapporten / The report", body = Object),
        (status = 400, description = "Profil, adress eller dokument kan inte användas / The profile, address or document cannot be used", body = super::api::schema::PlainError),
        (status = 413, description = "Dokumentet är för stort / The document is too large", body = super::api::schema::PlainError),
        (status = 422, description = "Dokumentet kan inte läsas / The document cannot be read", body = super::api::schema::PlainError),
        (status = 502, description = "Adressen svarade inte som väntat / The address did not answer as expected", body = super::api::schema::PlainError),
    ))]
pub(super) async fn api_get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let q = match api_query(&req) {
        Ok(q) => q,
        Err(res) => return res,
    };
    let en = ctx.lang == Lang::En;
    let Some(profile) = q.profile() else {
        return json_error(StatusCode::BAD_REQUEST, "unknown profile: use dcat-ap-se, healthdcat-ap, variabel or alla".into());
    };
    let Some(url) = q.url.clone().filter(|u| !u.trim().is_empty()) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            if en { "give ?url=… or POST the document".into() } else { "ange ?url=… eller skicka dokumentet med POST".into() },
        );
    };
    let stated = q.format.as_deref().and_then(format_from_name);
    respond_json(&req, run(Source::Url(url), stated, profile, state.catalogue.minter().base().to_owned()).await, en)
}

/// `POST /api/v1/validate?profile=…`: validates the request body; its format comes from
/// `?format=`, the Content-Type or the content.
#[utoipa::path(post, path = "/api/v1/validate", tag = "validate",
    summary = "Validera ett dokument / Validate a document",
    description = "Validerar kroppen mot profilen; formatet från format, Content-Type eller innehållet. / Validates the body against the profile; its format from format, the Content-Type or the content.",
    params(
        ("profile" = Option<String>, Query, pattern = "^(dcat-ap-se|healthdcat-ap|variabel|alla)$", description = "dcat-ap-se, healthdcat-ap, variabel eller alla / dcat-ap-se, healthdcat-ap, variabel or alla"),
        ("format" = Option<String>, Query, pattern = "^(ttl|rdf|jsonld|nt)$", description = "ttl, rdf, jsonld eller nt / ttl, rdf, jsonld or nt"),
    ),
    request_body(content = String, content_type = "text/turtle", description = "RDF-dokumentet / The RDF document"),
    responses(
        (status = 200, description = "Rapporten / The report", body = Object),
        (status = 400, description = "Profilen eller dokumentet kan inte användas / The profile or the document cannot be used", body = super::api::schema::PlainError),
        (status = 413, description = "Dokumentet är för stort / The document is too large", body = super::api::schema::PlainError),
        (status = 422, description = "Dokumentet kan inte läsas / The document cannot be read", body = super::api::schema::PlainError),
    ))]
pub(super) async fn api_post(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let q = match api_query(&req) {
        Ok(q) => q,
        Err(res) => return res,
    };
    let en = ctx.lang == Lang::En;
    let Some(profile) = q.profile() else {
        return json_error(StatusCode::BAD_REQUEST, "unknown profile: use dcat-ap-se, healthdcat-ap, variabel or alla".into());
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).map(str::to_owned);
    let stated = q.format.as_deref().and_then(format_from_name);
    let source = Source::Bytes { bytes: body.to_vec(), name: None, content_type };
    respond_json(&req, run(source, stated, profile, state.catalogue.minter().base().to_owned()).await, en)
}

fn respond_json(req: &HttpRequest, outcome: Result<(Report, RdfFormat), RunError>, en: bool) -> HttpResponse {
    match outcome {
        Ok((report, format)) => {
            let mut body = report.to_json(en, &rules_url(req));
            body["format"] = serde_json::Value::from(input::format_name(format));
            HttpResponse::Ok().json(body)
        }
        Err(e) => json_error(e.status(), e.in_language(en)),
    }
}

pub(super) async fn rules_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let en = ctx.lang == Lang::En;
    let mut files: Vec<RuleFile> = Vec::new();
    for rule in rules::rules() {
        if files.last().is_none_or(|(f, _)| *f != rule.file) {
            files.push((rule.file, Vec::new()));
        }
        let groups = &mut files.last_mut().expect("pushed above").1;
        let group = rule.group.get(en).to_owned();
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(rule_view(rule, en)),
            None => groups.push((group, vec![rule_view(rule, en)])),
        }
    }
    let page = RulesPage {
        chrome: Chrome::new(ctx.lang, if en { "Validation rules" } else { "Kontrollregler" }, &ctx.path_and_query, "validate"),
        files,
    };
    ctx.respond(StatusCode::OK, page.render())
}

fn rule_view(rule: &rules::Rule, en: bool) -> RuleView {
    RuleView {
        id: rule.id.clone(),
        severity: rule.severity.label(en),
        class: match rule.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        },
        path: rule.path.clone(),
        name: rule.name.get(en).to_owned(),
        message: rule.message.get(en).to_owned(),
    }
}
