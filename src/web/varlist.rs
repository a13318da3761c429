//! "Min variabellista": the variables a researcher collects for a data request, kept in this
//! browser (a cookie; no account needed), shown grouped by register holder and register, and
//! exported as CSV (semicolon-separated UTF-8 with a byte-order mark, as Swedish Excel opens
//! it), XLSX and JSON in the layout of a data request (`crate::lists`). Adding and removing
//! answer JSON to `static/list.js` (no reload) and redirect a plain form post. Any list can be
//! shown and downloaded from its link, `/variabellista?v={id}&v={id}…`, without a cookie or an
//! account. Also the downloads of one variable as JSON and CSV (`/variable/{id}.json|.csv`;
//! its Turtle is the record's RDF, served by `web::dcat` at `/variable/{id}.ttl`).

use std::collections::BTreeMap;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::Serialize;

use super::kernel::AppState;
use super::kernel::context::{Ctx, LIST_COOKIE, VariableList, local_path, secure};
use super::kernel::error::{Failure, PageError};
use super::kernel::guard::{read, read_form};
use super::kernel::labels::datatype_label;
use super::kernel::page::Chrome;
use super::kernel::paths;
use super::kernel::words::varlist as w;
use crate::catalog::{Catalogue, RecordState, StoreError};
use crate::config::Lang;
use crate::lists::{Item, MAX_ITEMS, Row};
use crate::model::Minter;
use crate::model::Variable;
use crate::model::record::{RecordKind, Resource};

/// A cookie holds about 4 KB; stay well below.
const MAX_COOKIE_BYTES: usize = 3800;
/// Largest form a list route reads (a copied list names at most [`MAX_ITEMS`] variables).
const FORM_LIMIT: usize = 256 * 1024;

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

// ---- a list's variables from a link ---------------------------------------------------

/// The variables a list link names (`?v=par-hdia&v=…`; a variable's id, or the IRI of one
/// minted elsewhere), in order and each once; `None` when the query names none.
pub fn shared_iris(query: &str, minter: &Minter) -> Option<Vec<String>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let named: Vec<&String> = pairs.iter().filter(|(k, _)| k == "v").map(|(_, v)| v).collect();
    if named.is_empty() {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for v in named.into_iter().take(MAX_ITEMS) {
        let iri = if v.contains(':') {
            NamedNode::new(v.as_str()).ok().map(NamedNode::into_string)
        } else {
            minter.record(RecordKind::Variable, v).ok().map(NamedNode::into_string)
        };
        if let Some(iri) = iri
            && !out.contains(&iri)
        {
            out.push(iri);
        }
    }
    Some(out)
}

/// The query of a list link naming `iris` (ids for variables minted here).
pub fn share_query(iris: &[String], minter: &Minter) -> String {
    let pairs: Vec<(&str, String)> = iris
        .iter()
        .map(|i| match minter.parse(i) {
            Some((RecordKind::Variable, id)) => ("v", id),
            _ => ("v", i.clone()),
        })
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

// ---- exports ------------------------------------------------------------------------------

fn headers(lang: Lang) -> [&'static str; 11] {
    if lang == Lang::En {
        [
            "Register holder",
            "Register",
            "Variable",
            "Technical name",
            "Definition",
            "Data type",
            "Code list",
            "Coverage",
            "Purpose (why it is needed)",
            "Version",
            "IRI",
        ]
    } else {
        [
            "Registerhållare",
            "Register",
            "Variabel",
            "Tekniskt namn",
            "Definition",
            "Datatyp",
            "Kodlista",
            "Tidstäckning",
            "Syfte (varför variabeln behövs)",
            "Version",
            "IRI",
        ]
    }
}

fn cells(r: &Row, lang: Lang) -> [String; 11] {
    let datatype = if r.datatype.is_empty() { String::new() } else { datatype_label(&r.datatype, lang) };
    [
        r.register_holder.clone(),
        r.register.clone(),
        r.variable.clone(),
        r.technical_name.clone(),
        r.definition.clone(),
        datatype,
        r.code_list.clone(),
        r.coverage.clone(),
        r.purpose.clone(),
        r.version.to_string(),
        r.variable_iri.clone(),
    ]
}

/// CSV as Swedish Excel opens it: semicolons between fields, UTF-8 with a byte-order mark
/// (so that å, ä and ö are read), every field quoted and formula-like cells neutralised
/// (`ingest::csv_cells`).
pub fn csv_bytes(rows: &[Row], lang: Lang) -> Result<Vec<u8>, String> {
    crate::ingest::csv_cells::write(b';', true, &headers(lang), rows.iter().map(|r| cells(r, lang))).map_err(|e| e.to_string())
}

pub fn xlsx_bytes(rows: &[Row], lang: Lang) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(if lang == Lang::En { "Variable list" } else { "Variabellista" }).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (c, h) in headers(lang).iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(|e| e.to_string())?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in cells(r, lang).iter().enumerate() {
            sheet.write_string(i as u32 + 1, c as u16, v).map_err(|e| e.to_string())?;
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

pub fn download(bytes: Vec<u8>, content_type: &str, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

/// The formats a list or a variable can be downloaded in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    pub fn parse(ext: &str) -> Option<Self> {
        match ext {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

pub fn render_rows(ctx: &Ctx, rows: &[Row], format: Format, stem: &str) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let result = match format {
        Format::Csv => csv_bytes(rows, lang).map(|b| download(b, "text/csv; charset=utf-8; header=present", &format!("{stem}.csv"))),
        Format::Xlsx => xlsx_bytes(rows, lang)
            .map(|b| download(b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("{stem}.xlsx"))),
        Format::Json => json_bytes(rows).map(|b| download(b, "application/json", &format!("{stem}.json"))),
    };
    result.map_err(|e| ctx.fail(format!("export failed: {e}")))
}

// ---- the list page --------------------------------------------------------------------------

/// A row of the list page.
pub struct RowView {
    pub row: Row,
    pub href: String,
    pub datatype: String,
}

/// A register with the listed variables it holds.
pub struct RegisterGroup {
    pub register: String,
    pub register_href: Option<String>,
    pub rows: Vec<RowView>,
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
    /// The checkboxes of the rows and their "Jämför markerade" form.
    pub compare: super::views::compare::CompareBox,
    pub csrf: String,
    pub groups: Vec<HolderGroup>,
    pub count: usize,
    pub gone: usize,
    pub message: Option<String>,
    /// Shown from a link (`?v=`): read-only, with a way to copy it into one's own list.
    pub shared: bool,
    /// The variables of a shared list, for the copy form.
    pub shared_iris: Vec<String>,
    /// `?v=…` of this list (its link; the exports and the data request of a shared list).
    pub query: String,
    /// The list's link in full, to copy.
    pub share_url: String,
    /// Signed in: the saved lists (name, link) and the form that saves this one.
    pub signed_in: bool,
    pub saved: Vec<(String, String)>,
}

/// A holder's registers (id, label) with their rows.
type Registers = BTreeMap<(String, String), Vec<RowView>>;

/// The rows grouped by register holder, then register.
pub fn group(rows: Vec<Row>, minter: &Minter, lang: Lang) -> Vec<HolderGroup> {
    let mut holders: BTreeMap<(String, String), Registers> = BTreeMap::new();
    for r in rows {
        let view = RowView {
            href: minter.path(&r.variable_iri),
            datatype: if r.datatype.is_empty() { String::new() } else { datatype_label(&r.datatype, lang) },
            row: r,
        };
        holders
            .entry((view.row.register_holder.clone(), view.row.register_holder_iri.clone()))
            .or_default()
            .entry((view.row.register.clone(), view.row.register_iri.clone()))
            .or_default()
            .push(view);
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

fn items(iris: &[String]) -> Vec<Item> {
    iris.iter().map(Item::new).collect()
}

pub(super) async fn list_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let (lang, minter) = (ctx.lang, state.catalogue.minter().clone());
    let shared = shared_iris(req.query_string(), &minter);
    let iris = shared.clone().unwrap_or_else(|| VariableList::read(&req, &minter).iris);
    let list_items = items(&iris);
    let (rows, gone) = read(&ctx, &state, move |cat| crate::lists::rows(cat, &list_items, lang.code())).await?;
    let message =
        match web::Query::<BTreeMap<String, String>>::from_query(req.query_string()).ok().and_then(|q| q.get("meddelande").cloned()) {
            Some(m) if m == "full" => Some(w::LIST_FULL.get(lang).to_owned()),
            _ => None,
        };
    let saved = match &ctx.account {
        Some(actor) => {
            let (lists, owner) = (state.lists.clone(), actor.user.clone());
            super::kernel::guard::run(&ctx, move || lists.of(&owner).map_err(|e| Failure::Internal(e.to_string())))
                .await?
                .into_iter()
                .map(|l| (l.name, paths::saved_list(&l.id)))
                .collect()
        }
        None => Vec::new(),
    };
    let query = share_query(&iris, &minter);
    let title = if shared.is_some() { w::SHARED_LIST.get(lang) } else { w::MY_LIST.get(lang) };
    let page = ListPage {
        compare: super::views::compare::CompareBox::new(lang),
        chrome: Chrome::new(lang, title, &ctx.path_and_query, "list"),
        csrf: ctx.csrf.clone(),
        groups: group(rows, &minter, lang),
        count: iris.len() - gone.len(),
        gone: gone.len(),
        message,
        shared: shared.is_some(),
        shared_iris: shared.unwrap_or_default(),
        share_url: format!("{}{}?{query}", minter.base(), paths::VARIABLE_LIST.trim_start_matches('/')),
        query,
        signed_in: ctx.account.is_some(),
        saved,
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

// ---- adding and removing --------------------------------------------------------------------

/// Whether the request is `static/list.js` asking for JSON rather than a page.
fn wants_json(req: &HttpRequest) -> bool {
    req.headers().get(header::ACCEPT).and_then(|h| h.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

/// What a list route tells `static/list.js`.
#[derive(Serialize, Default)]
struct Answer {
    ok: bool,
    /// Whether the variable is in the list now (add, remove).
    in_list: bool,
    /// How many variables the list holds now.
    count: usize,
    /// What happened, in the page's language, for the status line.
    message: String,
    /// "Add all": the variables added, and those that were there already.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    added_iris: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    present_iris: Vec<String>,
}

/// The answer to a list route: JSON for the script (with the list's cookie), else a redirect
/// to `to`.
fn answer(req: &HttpRequest, list: Option<&VariableList>, minter: &Minter, to: &str, a: Answer) -> HttpResponse {
    let mut res = if wants_json(req) {
        let mut r = HttpResponse::build(if a.ok { StatusCode::OK } else { StatusCode::CONFLICT });
        r.insert_header((header::CACHE_CONTROL, "no-store"));
        r
    } else {
        let mut r = HttpResponse::SeeOther();
        r.insert_header((header::LOCATION, to.to_owned()));
        r
    };
    if let Some(list) = list {
        res.cookie(list.cookie(minter, secure(req)));
    }
    if wants_json(req) { res.json(a) } else { res.finish() }
}

/// A published variable's label, if `iri` is one.
fn published_variable(cat: &Catalogue, iri: &str, lang: &str) -> Result<Option<String>, StoreError> {
    let Ok(n) = NamedNode::new(iri) else { return Ok(None) };
    Ok(match cat.public_resource(n.as_ref())? {
        Some((meta, r)) if meta.kind == RecordKind::Variable && meta.state == RecordState::Published => {
            Some(r.label().best(lang).to_owned())
        }
        _ => None,
    })
}

/// Adds a published variable to the list.
pub(super) async fn add(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>, payload: web::Payload) -> Result<HttpResponse, PageError> {
    let form = read_form(&req, &ctx, payload, FORM_LIMIT).await?;
    let (lang, minter) = (ctx.lang, state.catalogue.minter().clone());
    let back = local_path(form.text("tillbaka").as_deref(), paths::VARIABLE_LIST);
    let iri = form.text("variabel").filter(|i| NamedNode::new(i.as_str()).is_ok());
    let iri = iri.ok_or_else(|| ctx.fail(Failure::BadRequest("variabel saknas / variable missing".into())))?;
    let asked = iri.clone();
    let name = read(&ctx, &state, move |cat| published_variable(cat, &asked, lang.code())).await?;
    let Some(name) = name else { return Err(ctx.not_found(Some(RecordKind::Variable))) };
    let mut list = VariableList::read(&req, &minter);
    if !list.contains(&iri) {
        list.iris.push(iri);
        if list.encoded(&minter).len() > MAX_COOKIE_BYTES {
            let full = Answer { count: list.len() - 1, message: w::LIST_FULL.get(lang).to_owned(), ..Answer::default() };
            return Ok(answer(&req, None, &minter, &paths::variable_list_message("full"), full));
        }
    }
    let a = Answer { ok: true, in_list: true, count: list.len(), message: w::added(lang, &name, list.len()), ..Answer::default() };
    Ok(answer(&req, Some(&list), &minter, &back, a))
}

/// Removes a variable from the list.
pub(super) async fn remove(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let form = read_form(&req, &ctx, payload, FORM_LIMIT).await?;
    let (lang, minter) = (ctx.lang, state.catalogue.minter().clone());
    let iri = form.value("variabel");
    let mut list = VariableList::read(&req, &minter);
    list.iris.retain(|i| *i != iri);
    let asked = iri.clone();
    let name = read(&ctx, &state, move |cat| {
        let Ok(n) = NamedNode::new(asked.as_str()) else { return Ok(None) };
        Ok(cat.public_resource(n.as_ref())?.map(|(_, r)| r.label().best(lang.code()).to_owned()))
    })
    .await?
    .unwrap_or(iri);
    let a = Answer { ok: true, in_list: false, count: list.len(), message: w::removed(lang, &name, list.len()), ..Answer::default() };
    Ok(answer(&req, Some(&list), &minter, &local_path(form.text("tillbaka").as_deref(), paths::VARIABLE_LIST), a))
}

/// Empties the list.
pub(super) async fn clear(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    read_form(&req, &ctx, payload, FORM_LIMIT).await?;
    let empty = VariableList::default();
    let a = Answer { ok: true, ..Answer::default() };
    Ok(answer(&req, Some(&empty), state.catalogue.minter(), paths::VARIABLE_LIST, a))
}

/// Adds every published variable of a register (`datamangd`), or every variable a shared list
/// names (`v`, repeated), to the list: all of them, or none when they do not fit.
pub(super) async fn add_all(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let form = read_form(&req, &ctx, payload, FORM_LIMIT).await?;
    let (lang, minter) = (ctx.lang, state.catalogue.minter().clone());
    let back = local_path(form.text("tillbaka").as_deref(), paths::VARIABLE_LIST);
    let dataset = form.text("datamangd").filter(|d| !d.is_empty());
    let named: Vec<String> = form.all("v").into_iter().take(MAX_ITEMS).collect();
    let is_dataset = dataset.is_some();
    let found = read(&ctx, &state, move |cat| {
        let candidates: Vec<String> = match &dataset {
            Some(d) => match NamedNode::new(d.as_str()) {
                Ok(n) if matches!(cat.public_resource(n.as_ref())?, Some((m, _)) if m.kind == RecordKind::Dataset) => {
                    cat.variables_of_dataset(&n)?.into_iter().map(NamedNode::into_string).collect()
                }
                _ => return Ok(None),
            },
            None => named,
        };
        let mut out = Vec::new();
        for iri in candidates {
            if published_variable(cat, &iri, lang.code())?.is_some() && !out.contains(&iri) {
                out.push(iri);
            }
        }
        Ok(Some(out))
    })
    .await?;
    let Some(found) = found else { return Err(ctx.not_found(Some(RecordKind::Dataset))) };
    let mut list = VariableList::read(&req, &minter);
    let (present, added): (Vec<String>, Vec<String>) = found.into_iter().partition(|i| list.contains(i));
    if found_nothing(&present, &added) {
        let a = Answer { count: list.len(), message: w::NOTHING_TO_ADD.get(lang).to_owned(), ..Answer::default() };
        return Ok(answer(&req, None, &minter, &back, a));
    }
    list.iris.extend(added.iter().cloned());
    if list.encoded(&minter).len() > MAX_COOKIE_BYTES {
        let a = Answer { count: list.len() - added.len(), message: w::LIST_FULL.get(lang).to_owned(), ..Answer::default() };
        return Ok(answer(&req, None, &minter, &paths::variable_list_message("full"), a));
    }
    let to = if is_dataset { back } else { paths::VARIABLE_LIST.to_owned() };
    let a = Answer {
        ok: true,
        in_list: true,
        count: list.len(),
        message: w::added_all(lang, added.len(), list.len()),
        added_iris: added,
        present_iris: present,
    };
    Ok(answer(&req, Some(&list), &minter, &to, a))
}

fn found_nothing(present: &[String], added: &[String]) -> bool {
    present.is_empty() && added.is_empty()
}

/// `/variabellista.{csv,xlsx,json}`: the list of this browser, or of the link (`?v=`).
pub(super) async fn export_list(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let format = Format::parse(&path).ok_or_else(|| ctx.not_found(None))?;
    let lang = ctx.lang;
    let minter = state.catalogue.minter();
    let iris = shared_iris(req.query_string(), minter).unwrap_or_else(|| VariableList::read(&req, minter).iris);
    let list_items = items(&iris);
    let (rows, _) = read(&ctx, &state, move |cat| crate::lists::rows(cat, &list_items, lang.code())).await?;
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
        Ok(Some((crate::lists::rows_of(cat, &meta, &v, lang.code(), "")?, variable_json(cat, &meta, &v)?)))
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
