//! "Min variabellista": the variables a researcher collects for a data request, kept in this
//! browser (a cookie; no account needed), shown grouped by register holder and register, and
//! exported as CSV, XLSX and JSON in the layout of a data request. Also the downloads of one
//! variable as JSON and CSV (`/variable/{id}.json|.csv`; its Turtle is the record's RDF,
//! served by `web::dcat` at `/variable/{id}.ttl`).

use std::collections::BTreeMap;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};

use super::kernel::AppState;
use super::kernel::context::{Ctx, LIST_COOKIE, VariableList, local_path, secure};
use super::kernel::error::{Failure, PageError};
use super::kernel::guard::read;
use super::kernel::page::Chrome;
use super::kernel::paths;
use super::kernel::words::varlist as w;
use crate::catalog::{Catalogue, StoreError};
use crate::config::Lang;
use crate::model::record::{RecordKind, Resource};
use crate::model::{Minter, Period, Variable};

/// A cookie holds about 4 KB; stay well below.
const MAX_COOKIE_BYTES: usize = 3800;

impl VariableList {
    fn cookie(&self, minter: &Minter, secure: bool) -> Cookie<'static> {
        Cookie::build(LIST_COOKIE, self.encoded(minter))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(180))
            .finish()
    }
}

/// One line of an export: a variable in one register.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub register: String,
    pub register_iri: String,
    pub register_holder: String,
    pub register_holder_iri: String,
    pub variable: String,
    pub variable_iri: String,
    /// The variable's page on this site.
    #[serde(skip)]
    pub href: String,
    pub technical_name: String,
    pub definition: String,
    pub years: String,
}

/// The export rows of one variable: one per register that holds it.
fn rows_of(cat: &Catalogue, v: &Variable, lang: Lang) -> Result<Vec<Row>, StoreError> {
    let code = lang.code();
    let years = v.temporal.iter().map(Period::label).collect::<Vec<_>>().join(", ");
    let base = Row {
        register: String::new(),
        register_iri: String::new(),
        register_holder: String::new(),
        register_holder_iri: String::new(),
        variable: v.label.best(code).to_owned(),
        variable_iri: v.iri.as_str().to_owned(),
        href: cat.minter().path(v.iri.as_str()),
        technical_name: v.notation.clone().unwrap_or_default(),
        definition: v.definition.best(code).to_owned(),
        years,
    };
    if v.datasets.is_empty() {
        return Ok(vec![base]);
    }
    let mut rows = Vec::new();
    for d in &v.datasets {
        let mut row = base.clone();
        row.register_iri = d.as_str().to_owned();
        if let Some((_, Resource::Dataset(ds))) = cat.public_resource(d.as_ref())? {
            row.register = ds.title.best(code).to_owned();
            if let Some(p) = &ds.publisher {
                row.register_holder_iri = p.as_str().to_owned();
                if let Some((_, r)) = cat.public_resource(p.as_ref())? {
                    row.register_holder = r.label().best(code).to_owned();
                }
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Rows of a whole list, sorted by register holder, register and variable.
fn rows_of_list(cat: &Catalogue, iris: &[String], lang: Lang) -> Result<(Vec<Row>, Vec<String>), StoreError> {
    let mut rows = Vec::new();
    let mut gone = Vec::new();
    for iri in iris {
        let Ok(n) = NamedNode::new(iri.as_str()) else { continue };
        match cat.public_resource(n.as_ref())? {
            Some((_, Resource::Variable(v))) => rows.extend(rows_of(cat, &v, lang)?),
            _ => gone.push(iri.clone()),
        }
    }
    rows.sort_by(|a, b| (&a.register_holder, &a.register, &a.variable).cmp(&(&b.register_holder, &b.register, &b.variable)));
    Ok((rows, gone))
}

fn headers(lang: Lang) -> [&'static str; 7] {
    if lang == Lang::En {
        ["Register", "Register holder", "Variable", "Technical name", "Definition", "Years", "IRI"]
    } else {
        ["Register", "Registerhållare", "Variabel", "Tekniskt namn", "Definition", "År", "IRI"]
    }
}

fn cells(r: &Row) -> [&str; 7] {
    [&r.register, &r.register_holder, &r.variable, &r.technical_name, &r.definition, &r.years, &r.variable_iri]
}

/// RFC 4180 CSV (comma, every field quoted) with a UTF-8 byte-order mark so that spreadsheet
/// programs read å, ä and ö; formula-like cells are neutralised (`ingest::csv_cells`).
fn csv_bytes(rows: &[Row], lang: Lang) -> Result<Vec<u8>, String> {
    crate::ingest::csv_cells::write(b',', true, &headers(lang), rows.iter().map(cells)).map_err(|e| e.to_string())
}

fn xlsx_bytes(rows: &[Row], lang: Lang) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(if lang == Lang::En { "Variable list" } else { "Variabellista" }).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (c, h) in headers(lang).iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(|e| e.to_string())?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in cells(r).iter().enumerate() {
            sheet.write_string(i as u32 + 1, c as u16, *v).map_err(|e| e.to_string())?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    sheet.set_autofit_max_width(80);
    sheet.autofit();
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct JsonExport<'a> {
    created: String,
    variables: &'a [Row],
}

fn json_bytes(rows: &[Row]) -> Result<Vec<u8>, String> {
    serde_json::to_vec_pretty(&JsonExport { created: chrono::Utc::now().to_rfc3339(), variables: rows }).map_err(|e| e.to_string())
}

fn download(bytes: Vec<u8>, content_type: &str, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

/// The formats a list or a variable can be downloaded in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    fn parse(ext: &str) -> Option<Self> {
        match ext {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

fn render_rows(ctx: &Ctx, rows: &[Row], format: Format, stem: &str) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let result = match format {
        Format::Csv => csv_bytes(rows, lang).map(|b| download(b, "text/csv; charset=utf-8", &format!("{stem}.csv"))),
        Format::Xlsx => xlsx_bytes(rows, lang)
            .map(|b| download(b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("{stem}.xlsx"))),
        Format::Json => json_bytes(rows).map(|b| download(b, "application/json", &format!("{stem}.json"))),
    };
    result.map_err(|e| ctx.fail(format!("export failed: {e}")))
}

// ---- the list page -----------------------------------------------------------------------

/// A register with the listed variables it holds.
pub struct RegisterGroup {
    pub register: String,
    pub register_href: Option<String>,
    pub rows: Vec<Row>,
}

/// A register holder with its registers.
pub struct HolderGroup {
    pub holder: String,
    pub holder_href: Option<String>,
    pub registers: Vec<RegisterGroup>,
}

#[derive(Template)]
#[template(path = "varlist.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub groups: Vec<HolderGroup>,
    pub count: usize,
    pub gone: usize,
    pub message: Option<String>,
}

#[derive(Deserialize)]
pub struct MessageQuery {
    meddelande: Option<String>,
}

pub(super) async fn list_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<MessageQuery>,
) -> Result<HttpResponse, PageError> {
    let (lang, minter) = (ctx.lang, state.catalogue.minter().clone());
    let list = VariableList::read(&req, &minter);
    let iris = list.iris.clone();
    let (rows, gone) = read(&ctx, &state, move |cat| rows_of_list(cat, &iris, lang)).await?;
    let message = (query.meddelande.as_deref() == Some("full")).then(|| w::LIST_FULL.get(lang).to_owned());
    let page = ListPage {
        chrome: Chrome::new(lang, w::MY_LIST.get(lang), &ctx.path_and_query, "list"),
        csrf: ctx.csrf.clone(),
        groups: group(rows, &minter, lang),
        count: list.len(),
        gone: gone.len(),
        message,
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// A holder's registers (id, label) with their rows.
type Registers = BTreeMap<(String, String), Vec<Row>>;

/// The rows grouped by register holder, then register.
fn group(rows: Vec<Row>, minter: &Minter, lang: Lang) -> Vec<HolderGroup> {
    let mut holders: BTreeMap<(String, String), Registers> = BTreeMap::new();
    for r in rows {
        holders
            .entry((r.register_holder.clone(), r.register_holder_iri.clone()))
            .or_default()
            .entry((r.register.clone(), r.register_iri.clone()))
            .or_default()
            .push(r);
    }
    let href = |iri: &str| (!iri.is_empty()).then(|| minter.path(iri));
    let named = |name: String| if name.is_empty() { w::UNKNOWN.get(lang).to_owned() } else { name };
    holders
        .into_iter()
        .map(|((holder, holder_iri), registers)| HolderGroup {
            holder: named(holder),
            holder_href: href(&holder_iri),
            registers: registers
                .into_iter()
                .map(|((register, register_iri), rows)| RegisterGroup {
                    register: named(register),
                    register_href: href(&register_iri),
                    rows,
                })
                .collect(),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct ListForm {
    csrf: String,
    variabel: Option<String>,
    tillbaka: Option<String>,
}

/// The list's cookie set, and a redirect to `to`.
fn redirect_with(list: &VariableList, minter: &Minter, req: &HttpRequest, to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_owned())).cookie(list.cookie(minter, secure(req))).finish()
}

/// The form's CSRF token is this browser's.
fn checked(req: &HttpRequest, ctx: &Ctx, form: &ListForm) -> Result<(), PageError> {
    if ctx.csrf_ok(req, &form.csrf) { Ok(()) } else { Err(ctx.fail(Failure::CsrfRejected)) }
}

/// Adds a published variable to the list.
pub(super) async fn add(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<ListForm>,
) -> Result<HttpResponse, PageError> {
    checked(&req, &ctx, &form)?;
    let minter = state.catalogue.minter().clone();
    let back = local_path(form.tillbaka.as_deref(), paths::VARIABLE_LIST);
    let iri = form.variabel.clone().filter(|i| NamedNode::new(i.as_str()).is_ok());
    let iri = iri.ok_or_else(|| ctx.fail(Failure::BadRequest("variabel saknas / variable missing".into())))?;
    let check = NamedNode::new_unchecked(iri.clone());
    let is_variable =
        read(&ctx, &state, move |cat| Ok(matches!(cat.public_resource(check.as_ref())?, Some((m, _)) if m.kind == RecordKind::Variable)))
            .await?;
    if !is_variable {
        return Err(ctx.not_found(Some(RecordKind::Variable)));
    }
    let mut list = VariableList::read(&req, &minter);
    if !list.contains(&iri) {
        list.iris.push(iri);
        if list.encoded(&minter).len() > MAX_COOKIE_BYTES {
            return Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, paths::variable_list_message("full"))).finish());
        }
    }
    Ok(redirect_with(&list, &minter, &req, &back))
}

/// Removes a variable from the list.
pub(super) async fn remove(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<ListForm>,
) -> Result<HttpResponse, PageError> {
    checked(&req, &ctx, &form)?;
    let minter = state.catalogue.minter();
    let mut list = VariableList::read(&req, minter);
    list.iris.retain(|i| Some(i) != form.variabel.as_ref());
    Ok(redirect_with(&list, minter, &req, &local_path(form.tillbaka.as_deref(), paths::VARIABLE_LIST)))
}

/// Empties the list.
pub(super) async fn clear(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<ListForm>,
) -> Result<HttpResponse, PageError> {
    checked(&req, &ctx, &form)?;
    Ok(redirect_with(&VariableList::default(), state.catalogue.minter(), &req, paths::VARIABLE_LIST))
}

/// `/variabellista.{csv,xlsx,json}`.
pub(super) async fn export_list(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let format = Format::parse(&path).ok_or_else(|| ctx.not_found(None))?;
    let lang = ctx.lang;
    let iris = VariableList::read(&req, state.catalogue.minter()).iris;
    let (rows, _) = read(&ctx, &state, move |cat| rows_of_list(cat, &iris, lang)).await?;
    render_rows(&ctx, &rows, format, w::LIST_FILE.get(lang))
}

/// `/variable/{id}.{json,csv}`: one variable.
pub(super) async fn export_variable(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, ext) = path.into_inner();
    let not_found = || ctx.not_found(Some(RecordKind::Variable));
    let format = Format::parse(&ext).filter(|f| *f != Format::Xlsx).ok_or_else(not_found)?;
    let iri = state.catalogue.minter().record(RecordKind::Variable, &id).map_err(|_| not_found())?;
    let lang = ctx.lang;
    let found = read(&ctx, &state, move |cat| {
        let Some((meta, Resource::Variable(v))) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
        Ok(Some((rows_of(cat, &v, lang)?, variable_json(cat, &meta, &v)?)))
    })
    .await?;
    let (rows, json) = found.ok_or_else(not_found)?;
    match format {
        Format::Json => Ok(download(serde_json::to_vec_pretty(&json).unwrap_or_default(), "application/json", &format!("{id}.json"))),
        _ => render_rows(&ctx, &rows, format, &id),
    }
}

/// The JSON description of a variable: every field of its page.
fn variable_json(cat: &Catalogue, meta: &crate::catalog::RecordMeta, v: &Variable) -> Result<serde_json::Value, StoreError> {
    use serde_json::json;
    let text = |t: &crate::model::LangText| -> serde_json::Value {
        t.iter().map(|(l, s)| (l.to_owned(), json!(s))).collect::<serde_json::Map<_, _>>().into()
    };
    let named = |iris: &[NamedNode]| -> Result<Vec<serde_json::Value>, StoreError> {
        let labels = cat.labels(iris)?;
        Ok(iris.iter().map(|i| json!({ "iri": i.as_str(), "label": labels.get(i).map(&text) })).collect())
    };
    let code_list = match v.representation.as_ref().and_then(|r| r.code_list()) {
        Some(scheme) => {
            let codes: Vec<serde_json::Value> = cat
                .concepts_of(scheme)?
                .iter()
                .map(|c| {
                    json!({
                        "code": c.notation, "label": text(&c.label),
                        "valid_from": c.valid_from.as_ref().map(|t| t.value().to_owned()),
                        "valid_through": c.valid_through.as_ref().map(|t| t.value().to_owned()),
                    })
                })
                .collect();
            Some(json!({ "iri": scheme.as_str(), "codes": codes }))
        }
        None => None,
    };
    let owners: Vec<NamedNode> = v.owner().into_iter().cloned().collect();
    Ok(json!({
        "iri": v.iri.as_str(),
        "identifier": v.identifier,
        "technical_name": v.notation,
        "label": text(&v.label),
        "definition": text(&v.definition),
        "datatype": v.representation.as_ref().map(|r| r.datatype().as_str().to_owned()),
        "code_list": code_list,
        "coding_systems": named(&v.coding_systems)?,
        "unit_ucum": v.unit,
        "minimum": v.minimum.as_ref().map(|l| l.value().to_owned()),
        "maximum": v.maximum.as_ref().map(|l| l.value().to_owned()),
        "missing_values": v.missing_values,
        "coverage": v.temporal.iter().map(|p| json!({
            "start": p.start.as_ref().map(|t| t.value().to_owned()),
            "end": p.end.as_ref().map(|t| t.value().to_owned()),
        })).collect::<Vec<_>>(),
        "datasets": named(&v.datasets)?,
        "owner": named(&owners)?.into_iter().next(),
        "use_cases": named(&cat.use_cases_of(&v.iri)?)?,
        "requirements": v.requirements.iter().map(|r| json!({
            "collection": r.collection.as_str(), "level": r.level.label("en"), "condition": text(&r.condition),
        })).collect::<Vec<_>>(),
        "notes": v.scope_notes.iter().map(|n| json!({ "lang": n.lang, "text": n.value })).collect::<Vec<_>>(),
        "needs_input": v.needs_input,
        "status": meta.state.label("en"),
        "version": meta.version,
        "modified": meta.modified.to_rfc3339(),
    }))
}
