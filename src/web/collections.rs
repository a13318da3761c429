//! Data collections for regions: what a delivery must hold (`/datainsamling`, one page per
//! collection with its Table Schema and CSVW metadata), and the check of a whole delivery
//! (`/kontroll/leverans`: an uploaded CSV or XLSX, or pasted content, through the same engine
//! as `vardkatalog check-extract`). The delivery is checked as it streams in and answered; it is
//! never written to disk, kept or logged (a workbook is held in memory while it is checked),
//! unless a region's account chooses to save the report's counts per column as its delivery
//! report (never a value; `web::deliveries`, `label::Submitted`).

use std::io::{BufRead, BufReader, Read};

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::StreamExt as _;

use super::kernel::AppState;
use super::kernel::context::{CsrfCheck, Ctx};
use super::kernel::error::{Failure, PageError};
use super::kernel::form::{FormData, MultipartStream, is_multipart};
use super::kernel::guard::read;
use super::kernel::{paths, words};
use super::views::Chrome;
use crate::config::Lang;
use crate::model::RequirementLevel;
use crate::model::record::RecordKind;
use crate::validate::collection::{CollectionSpec, collections, unpublished_codes};
use crate::validate::extract::{ExtractError, Report, Severity, check_csv, check_xlsx_from};

/// One collection in the list.
pub struct CollectionLink {
    pub id: String,
    pub title: String,
    pub required: usize,
    pub conditional: usize,
    pub optional: usize,
}

#[derive(Template)]
#[template(path = "collections.html")]
pub struct CollectionsPage {
    pub chrome: Chrome,
    pub collections: Vec<CollectionLink>,
}

/// One column on a collection's page.
pub struct ColumnRow {
    pub name: String,
    pub label: String,
    pub href: Option<String>,
    pub level: &'static str,
    pub condition: String,
    pub value_type: &'static str,
    pub codes: String,
    /// Said when the column's code list has no published codes.
    pub codes_note: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "collection.html")]
pub struct CollectionPage {
    pub chrome: Chrome,
    pub id: String,
    pub dataset_href: Option<String>,
    pub columns: Vec<ColumnRow>,
    pub header_line: String,
    pub lw: &'static super::kernel::words::label::LabelTexts,
    pub schema_href: String,
    pub csvw_href: String,
    pub check_href: String,
    pub check_whole: &'static str,
}

/// One finding on the delivery-check page.
pub struct FindingRow {
    pub severity: &'static str,
    pub error: bool,
    pub message: String,
    pub count: u64,
    pub rows: String,
    pub examples: String,
    pub did_you_mean: String,
}

/// The words of the delivery-check page, in the page's language.
pub struct DeliveryWords {
    pub lead: &'static str,
    pub nothing_kept: &'static str,
    pub collection: &'static str,
    pub choose: &'static str,
    pub file: &'static str,
    pub file_hint: &'static str,
    pub paste: &'static str,
    pub paste_hint: &'static str,
    pub submit: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub rows: &'static str,
    pub columns: &'static str,
    pub errors: &'static str,
    pub warnings: &'static str,
    pub read_as: &'static str,
    pub delimiter: &'static str,
    pub findings: &'static str,
    pub severity: &'static str,
    pub problem: &'static str,
    pub count: &'static str,
    pub row_numbers: &'static str,
    pub examples: &'static str,
    pub did_you_mean: &'static str,
    pub cli_heading: &'static str,
    pub cli_text: &'static str,
    pub schema_link: &'static str,
}

impl DeliveryWords {
    fn of(lang: Lang) -> Self {
        use super::kernel::words::delivery as w;
        Self {
            lead: w::LEAD.get(lang),
            nothing_kept: w::NOTHING_KEPT.get(lang),
            collection: w::COLLECTION.get(lang),
            choose: w::CHOOSE.get(lang),
            file: w::FILE.get(lang),
            file_hint: w::FILE_HINT.get(lang),
            paste: w::PASTE.get(lang),
            paste_hint: w::PASTE_HINT.get(lang),
            submit: w::SUBMIT.get(lang),
            passed: w::PASSED.get(lang),
            failed: w::FAILED.get(lang),
            rows: w::ROWS.get(lang),
            columns: w::COLUMNS.get(lang),
            errors: w::ERRORS.get(lang),
            warnings: w::WARNINGS.get(lang),
            read_as: w::READ_AS.get(lang),
            delimiter: w::DELIMITER.get(lang),
            findings: w::FINDINGS.get(lang),
            severity: w::SEVERITY.get(lang),
            problem: w::PROBLEM.get(lang),
            count: w::COUNT.get(lang),
            row_numbers: w::ROW_NUMBERS.get(lang),
            examples: w::EXAMPLES.get(lang),
            did_you_mean: w::DID_YOU_MEAN.get(lang),
            cli_heading: w::CLI_HEADING.get(lang),
            cli_text: w::CLI_TEXT.get(lang),
            schema_link: w::SCHEMA_LINK.get(lang),
        }
    }
}

/// The outcome of a check, for the page.
pub struct Checked {
    pub passed: bool,
    pub file: String,
    pub rows: u64,
    pub columns: usize,
    pub errors: u64,
    pub warnings: u64,
    pub encoding: String,
    pub delimiter: String,
    pub findings: Vec<FindingRow>,
}

#[derive(Template)]
#[template(path = "delivery.html")]
pub struct DeliveryPage {
    pub chrome: Chrome,
    pub w: DeliveryWords,
    pub csrf: String,
    pub action: &'static str,
    pub collections: Vec<(String, String, bool)>,
    pub checked: Option<Checked>,
    pub problem: Option<String>,
    pub schema_href: Option<String>,
    pub command: String,
    /// The regions the signed-in person may save a report for: (id, name, chosen).
    pub regions: Vec<(String, String, bool)>,
    pub period: String,
    /// The outcome of saving the report as the region's delivery report.
    pub saved: Option<String>,
    pub lw: &'static super::kernel::words::label::LabelTexts,
}

fn level_label(level: RequirementLevel, lang: Lang) -> &'static str {
    level.label(lang.code())
}

async fn load_all(ctx: &Ctx, state: &web::Data<AppState>) -> Result<Vec<CollectionSpec>, PageError> {
    read(ctx, state, |cat| {
        let mut out = Vec::new();
        for c in collections(cat)? {
            if let Some(spec) = CollectionSpec::from_catalogue(cat, &c)? {
                out.push(spec);
            }
        }
        Ok(out)
    })
    .await
}

/// One collection by id; 404 when there is none.
async fn load_one(ctx: &Ctx, state: &web::Data<AppState>, id: &str) -> Result<CollectionSpec, PageError> {
    let iri = state.catalogue.minter().record(RecordKind::Dataset, id).map_err(|_| ctx.not_found(None))?;
    read(ctx, state, move |cat| CollectionSpec::from_catalogue(cat, &iri)).await?.ok_or_else(|| ctx.not_found(None))
}

pub(super) async fn list(ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let specs = load_all(&ctx, &state).await?;
    let count = |s: &CollectionSpec, l: RequirementLevel| s.columns.iter().filter(|c| c.level == l).count();
    let collections = specs
        .iter()
        .map(|s| CollectionLink {
            id: s.id.clone(),
            title: s.title.best(ctx.lang.code()).to_owned(),
            required: count(s, RequirementLevel::Required),
            conditional: count(s, RequirementLevel::Conditional),
            optional: count(s, RequirementLevel::Optional),
        })
        .collect();
    let title = if ctx.lang == Lang::En { "Data collections" } else { "Datainsamlingar" };
    let page = CollectionsPage { chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, "collections"), collections };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

pub(super) async fn page(ctx: Ctx, state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let spec = load_one(&ctx, &state, &path).await?;
    let lang = ctx.lang;
    let minter = state.catalogue.minter();
    let columns = spec
        .columns
        .iter()
        .map(|c| ColumnRow {
            name: c.name.clone(),
            label: c.title.best(lang.code()).to_owned(),
            href: (!c.variable.is_empty()).then(|| minter.path(&c.variable)),
            level: level_label(c.level, lang),
            condition: c.condition.best(lang.code()).to_owned(),
            value_type: c.value_type.expected(lang.code()),
            codes: c.codes.as_ref().map(|codes| codes.iter().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default(),
            codes_note: c.codes_unpublished.is_some().then(|| unpublished_codes(lang.code())),
        })
        .collect();
    let header_line =
        spec.columns.iter().filter(|c| c.level != RequirementLevel::Optional).map(|c| c.name.as_str()).collect::<Vec<_>>().join(";");
    let title = spec.title.best(lang.code()).to_owned();
    let page = CollectionPage {
        chrome: Chrome::new(lang, title, &ctx.path_and_query, "collections"),
        id: spec.id.clone(),
        dataset_href: (!spec.iri.is_empty()).then(|| minter.path(&spec.iri)),
        columns,
        header_line,
        schema_href: paths::collection_file(&spec.id, "tableschema.json"),
        csvw_href: paths::collection_file(&spec.id, "csvw-metadata.json"),
        check_href: paths::delivery_check(&spec.id),
        lw: super::kernel::words::label::texts(lang),
        check_whole: words::delivery::CHECK_WHOLE.get(lang),
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `/datainsamling/{id}/tableschema.json` and `/datainsamling/{id}/csvw-metadata.json`.
pub(super) async fn schema(ctx: Ctx, state: web::Data<AppState>, path: web::Path<(String, String)>) -> Result<HttpResponse, PageError> {
    let (id, file) = path.into_inner();
    let spec = load_one(&ctx, &state, &id).await?;
    let (body, content_type) = match file.as_str() {
        "tableschema.json" => (spec.to_table_schema(), "application/json"),
        "csvw-metadata.json" => (spec.to_csvw(&format!("{id}.csv")), "application/csvm+json"),
        _ => return Err(ctx.not_found(None)),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{id}-{file}\"")))
        .body(serde_json::to_string_pretty(&body).unwrap_or_default()))
}

fn delivery_page(ctx: &Ctx, specs: &[CollectionSpec], chosen: &str) -> DeliveryPage {
    let lang = ctx.lang;
    let known = specs.iter().any(|s| s.id == chosen);
    let id = if known { chosen } else { "ID" };
    DeliveryPage {
        chrome: Chrome::new(lang, words::delivery::TITLE.get(lang), &ctx.path_and_query, "collections"),
        w: DeliveryWords::of(lang),
        csrf: ctx.csrf.clone(),
        action: paths::DELIVERY_CHECK,
        collections: specs.iter().map(|s| (s.id.clone(), s.title.best(lang.code()).to_owned(), s.id == chosen)).collect(),
        checked: None,
        problem: None,
        schema_href: known.then(|| paths::collection_file(chosen, "tableschema.json")),
        command: format!("vardkatalog check-extract --schema {id}-tableschema.json leverans.csv"),
        regions: Vec::new(),
        period: String::new(),
        saved: None,
        lw: super::kernel::words::label::texts(lang),
    }
}

pub(super) async fn delivery_form(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let specs = load_all(&ctx, &state).await?;
    let chosen = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("datainsamling").cloned())
        .unwrap_or_default();
    let mut page = delivery_page(&ctx, &specs, &chosen);
    page.regions = super::deliveries::regions_for(&state, &ctx).await.into_iter().map(|(id, name)| (id, name, false)).collect();
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// The most bytes of an XLSX delivery: a workbook is a zip package, read from memory (it is
/// never written to disk), so it is held whole while it is checked.
const MAX_XLSX_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes of a CSV delivery (streamed: memory stays flat however large).
const MAX_CSV_BYTES: u64 = 1024 * 1024 * 1024;
/// The most bytes of a URL-encoded form (pasted content).
const MAX_PASTED_BYTES: u64 = 8 * 1024 * 1024;
/// The most bytes of a small field (the token, the collection's id).
const MAX_FIELD_BYTES: u64 = 4096;

/// Whether to save the report as a region's delivery report (`spara=ja`, `region`, `period`;
/// in a multipart form before the file, as the page orders them).
#[derive(Default)]
struct SaveChoice {
    save: bool,
    region: String,
    period: String,
}

/// What the check of a sent form came to.
enum Outcome {
    /// The CSRF token was wrong or missing.
    Expired,
    /// Nothing could be checked (no collection, no file, an unreadable file), with the reason.
    Problem {
        collection: String,
        message: String,
        choice: SaveChoice,
    },
    Checked {
        collection: String,
        file: String,
        report: Report,
        choice: SaveChoice,
    },
}

/// Reads the request body as the handler's async side hands it over (a chunk at a time), for
/// the check on a blocking thread. Past `limit` bytes it fails with `FileTooLarge`.
struct Incoming {
    chunks: tokio::sync::mpsc::Receiver<Result<web::Bytes, String>>,
    current: web::Bytes,
}

impl std::io::Read for Incoming {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                None => return Ok(0),
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => return Err(std::io::Error::other(e)),
            }
        }
        let n = out.len().min(self.current.len());
        out[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// A reader that fails with `FileTooLarge` past `limit` bytes.
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        if n as u64 > self.left {
            return Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, "too large"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Reads a small field whole (at most [`MAX_FIELD_BYTES`]).
fn small(r: impl Read) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    r.take(MAX_FIELD_BYTES).read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).trim().to_owned())
}

/// Checks the content of a delivery (a file part or pasted text) with the one engine
/// ([`check_csv`], [`check_xlsx_from`]); nothing of it is kept, written or logged.
fn check_content(spec: &CollectionSpec, name: &str, content: impl Read, lang: Lang) -> Result<Report, String> {
    let mut input = BufReader::with_capacity(64 * 1024, content);
    let head = input.fill_buf().map_err(|e| e.to_string())?.to_vec();
    let xlsx = head.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".xlsx");
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(words::delivery::OLD_EXCEL.get(lang).to_owned());
    }
    let (what, limit) = if xlsx { ("XLSX", MAX_XLSX_BYTES) } else { ("CSV", MAX_CSV_BYTES) };
    let mut limited = Limited { inner: input, left: limit };
    let result = if xlsx {
        let mut bytes = Vec::new();
        match limited.read_to_end(&mut bytes) {
            Ok(_) => check_xlsx_from(spec, std::io::Cursor::new(bytes), lang.code()),
            Err(e) => Err(ExtractError::Io(e)),
        }
    } else {
        check_csv(spec, limited, lang.code())
    };
    result.map_err(|e| match e {
        ExtractError::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => {
            words::delivery::too_large(lang, what, limit / (1024 * 1024))
        }
        ExtractError::Empty => words::delivery::EMPTY.get(lang).to_owned(),
        ExtractError::Workbook(w) => words::delivery::unreadable(lang, &w.message(lang.code())),
        other => words::delivery::unreadable(lang, &other.to_string()),
    })
}

/// Reads the sent form as it streams in and checks the delivery in it. The token and the
/// collection come first (the page's order); the file is read only once the token is right.
fn check_sent(content_type: &str, body: impl Read, specs: &[CollectionSpec], csrf: &CsrfCheck, lang: Lang) -> Outcome {
    let problem_with =
        |collection: &str, message: String, choice: SaveChoice| Outcome::Problem { collection: collection.to_owned(), message, choice };
    let problem = |collection: &str, message: String| problem_with(collection, message, SaveChoice::default());
    let unreadable = |collection: &str| problem(collection, words::delivery::NOT_A_FORM.get(lang).to_owned());
    let spec_of = |id: &str| specs.iter().find(|s| s.id == id);
    if !is_multipart(content_type) {
        // pasted content, URL-encoded
        let mut bytes = Vec::new();
        if (Limited { inner: body, left: MAX_PASTED_BYTES }).read_to_end(&mut bytes).is_err() {
            return problem("", words::delivery::too_large(lang, "CSV", MAX_PASTED_BYTES / (1024 * 1024)));
        }
        let Ok(form) = FormData::parse(content_type, &bytes) else { return unreadable("") };
        if !csrf.ok(&form.value("csrf")) {
            return Outcome::Expired;
        }
        let collection = form.value("datainsamling");
        let choice = SaveChoice { save: form.value("spara") == "ja", region: form.value("region"), period: form.value("period") };
        let Some(spec) = spec_of(&collection) else {
            return problem_with(&collection, words::delivery::CHOOSE_COLLECTION.get(lang).to_owned(), choice);
        };
        let text = form.text("innehall").or_else(|| form.text("rubrikrad")).unwrap_or_default();
        if text.trim().is_empty() {
            return problem_with(&collection, words::delivery::NO_FILE.get(lang).to_owned(), choice);
        }
        return match check_content(spec, "", text.as_bytes(), lang) {
            Ok(report) => Outcome::Checked { collection, file: String::new(), report, choice },
            Err(message) => problem_with(&collection, message, choice),
        };
    }
    let Ok(mut parts) = MultipartStream::new(content_type, body) else { return unreadable("") };
    let mut token = String::new();
    let mut collection = String::new();
    let mut choice = SaveChoice::default();
    loop {
        let head = match parts.next_part() {
            Ok(Some(head)) => head,
            Ok(None) => return problem_with(&collection, words::delivery::NO_FILE.get(lang).to_owned(), choice),
            Err(_) => return unreadable(&collection),
        };
        let file_name = match (head.name.as_str(), &head.filename) {
            ("csrf", None) => {
                token = small(parts.body()).unwrap_or_default();
                continue;
            }
            ("datainsamling", None) => {
                collection = small(parts.body()).unwrap_or_default();
                continue;
            }
            ("spara", None) => {
                choice.save = small(parts.body()).unwrap_or_default() == "ja";
                continue;
            }
            ("region", None) => {
                choice.region = small(parts.body()).unwrap_or_default();
                continue;
            }
            ("period", None) => {
                choice.period = small(parts.body()).unwrap_or_default();
                continue;
            }
            ("fil", Some(name)) if !name.is_empty() => name.clone(),
            ("innehall" | "rubrikrad", None) => String::new(),
            _ => continue,
        };
        let mut content = BufReader::new(parts.body());
        match content.fill_buf() {
            Ok([]) => continue, // an empty field: the other way of sending may follow
            Ok(_) => {}
            Err(_) => return unreadable(&collection),
        }
        if !csrf.ok(&token) {
            return Outcome::Expired;
        }
        let Some(spec) = spec_of(&collection) else {
            return problem_with(&collection, words::delivery::CHOOSE_COLLECTION.get(lang).to_owned(), choice);
        };
        return match check_content(spec, &file_name, content, lang) {
            Ok(report) => Outcome::Checked { collection, file: file_name, report, choice },
            Err(message) => problem_with(&collection, message, choice),
        };
    }
}

/// `POST /kontroll/leverans`: the whole delivery, checked as it streams in (a CSV is never held
/// whole; a workbook is held in memory while it is checked), then the report. Nothing of the
/// file is stored or logged.
pub(super) async fn delivery_check(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    mut payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let specs = load_all(&ctx, &state).await?;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
    let csrf = ctx.csrf_check(&req);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<web::Bytes, String>>(16);
    let checking = {
        let specs = specs.clone();
        web::block(move || check_sent(&content_type, Incoming { chunks: rx, current: web::Bytes::new() }, &specs, &csrf, lang))
    };
    // hand the body over as it arrives; the check stops taking it when it is done
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| e.to_string());
        let failed = chunk.is_err();
        if tx.send(chunk).await.is_err() || failed {
            break;
        }
    }
    drop(tx);
    let outcome = checking.await.map_err(|e| ctx.fail(Failure::Internal(e.to_string())))?;
    let (status, page) = match outcome {
        Outcome::Expired => {
            return Ok(HttpResponse::Forbidden().content_type("text/plain; charset=utf-8").body(words::delivery::EXPIRED.get(lang)));
        }
        Outcome::Problem { collection, message, choice } => {
            let mut page = delivery_page(&ctx, &specs, &collection);
            page.problem = Some(message);
            offer_saving(&mut page, &state, &ctx, &choice).await;
            (StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Outcome::Checked { collection, file, report, choice } => {
            let mut page = delivery_page(&ctx, &specs, &collection);
            offer_saving(&mut page, &state, &ctx, &choice).await;
            let mut status = StatusCode::OK;
            if choice.save {
                // the report's counts per column, never a value, for the chosen region and period
                match super::deliveries::save_report(&state, &ctx, &collection, &report, &choice.region, &choice.period).await {
                    Ok(message) => page.saved = Some(message),
                    Err(message) => {
                        page.problem = Some(message);
                        status = StatusCode::UNPROCESSABLE_ENTITY;
                    }
                }
            }
            page.checked = Some(checked(report, file, lang));
            (status, page)
        }
    };
    Ok(ctx.respond(status, page.render()))
}

/// The regions the signed-in person may save a report for, with the form's choice kept.
async fn offer_saving(page: &mut DeliveryPage, state: &AppState, ctx: &Ctx, choice: &SaveChoice) {
    page.period = choice.period.clone();
    page.regions = super::deliveries::regions_for(state, ctx)
        .await
        .into_iter()
        .map(|(id, name)| {
            let chosen = id == choice.region;
            (id, name, chosen)
        })
        .collect();
}

/// A report for the page.
fn checked(report: Report, file: String, lang: Lang) -> Checked {
    let join = |v: Vec<String>| v.join(", ");
    Checked {
        passed: report.passed,
        file,
        rows: report.rows,
        columns: report.columns.len(),
        errors: report.errors,
        warnings: report.warnings,
        encoding: report.encoding,
        delimiter: report.delimiter,
        findings: report
            .findings
            .into_iter()
            .map(|f| FindingRow {
                severity: match f.severity {
                    Severity::Error => words::delivery::ERROR.get(lang),
                    Severity::Warning => words::delivery::WARNING.get(lang),
                },
                error: f.severity == Severity::Error,
                message: f.message,
                count: f.count,
                rows: join(f.rows.iter().map(u64::to_string).collect()),
                examples: join(f.examples),
                did_you_mean: join(f.did_you_mean.into_iter().map(|s| format!("{} → {}", s.found, s.suggestion)).collect()),
            })
            .collect(),
    }
}
