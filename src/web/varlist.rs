//! "Min variabellista": the variables a researcher collects for a data request, kept in this
//! browser (a cookie; no account needed), shown grouped by register holder and register, and
//! exported as CSV, XLSX and JSON in the layout of a data request. Also the downloads of one
//! variable as JSON and CSV (`/variable/{id}.json|.csv`; its Turtle is the record's RDF,
//! served by `web::dcat` at `/variable/{id}.ttl`).

use std::collections::BTreeMap;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};

use super::ctx::{local_path, Ctx};
use super::pages::{error_page, not_found_page, read};
use super::views::Chrome;
use super::AppState;
use crate::catalog::Catalogue;
use crate::config::Lang;
use crate::model::ids::{decode_segment, encode_query};
use crate::model::record::{RecordKind, Resource};
use crate::model::{Minter, Period, Variable};
use crate::store::StoreError;

const COOKIE: &str = "vk_lista";
/// A cookie holds about 4 KB; stay well below.
const MAX_COOKIE_BYTES: usize = 3800;

/// The variables in this browser's list, in the order they were added.
#[derive(Debug, Default, Clone)]
pub struct VariableList {
    iris: Vec<String>,
}

impl VariableList {
    /// Reads the list from its cookie; short IRIs (`~variable/x`) are expanded against the base
    /// and anything that is not an IRI is dropped.
    pub fn read(req: &HttpRequest, minter: &Minter) -> Self {
        let Some(cookie) = req.cookie(COOKIE) else { return Self::default() };
        let iris = cookie
            .value()
            .split('|')
            .filter(|s| !s.is_empty())
            .map(decode_segment)
            .map(|s| match s.strip_prefix('~') {
                Some(rest) => format!("{}{rest}", minter.base()),
                None => s,
            })
            .filter(|s| NamedNode::new(s.as_str()).is_ok())
            .collect();
        Self { iris }
    }

    pub fn contains(&self, iri: &str) -> bool {
        self.iris.iter().any(|i| i == iri)
    }

    pub fn len(&self) -> usize {
        self.iris.len()
    }

    fn encoded(&self, minter: &Minter) -> String {
        // IRIs under the base are kept short: "~variable/x"
        self.iris
            .iter()
            .map(|i| match i.strip_prefix(minter.base()) {
                Some(rest) => format!("~{}", encode_query(rest)),
                None => encode_query(i),
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    fn cookie(&self, minter: &Minter, secure: bool) -> Cookie<'static> {
        Cookie::build(COOKIE, self.encoded(minter))
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
    rows.sort_by(|a, b| {
        (&a.register_holder, &a.register, &a.variable).cmp(&(&b.register_holder, &b.register, &b.variable))
    });
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

fn render_rows(rows: &[Row], format: Format, lang: Lang, stem: &str) -> HttpResponse {
    let result = match format {
        Format::Csv => csv_bytes(rows, lang).map(|b| download(b, "text/csv; charset=utf-8", &format!("{stem}.csv"))),
        Format::Xlsx => xlsx_bytes(rows, lang).map(|b| {
            download(b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &format!("{stem}.xlsx"))
        }),
        Format::Json => json_bytes(rows).map(|b| download(b, "application/json", &format!("{stem}.json"))),
    };
    result.unwrap_or_else(|e| {
        tracing::error!(error = %e, "export failed");
        HttpResponse::InternalServerError().body("export failed")
    })
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

pub async fn list_page(req: HttpRequest, state: web::Data<AppState>, query: web::Query<MessageQuery>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let lang = ctx.lang;
    let minter = state.catalogue.minter().clone();
    let list = VariableList::read(&req, &minter);
    let iris = list.iris.clone();
    let result = read(&state, move |cat| rows_of_list(cat, &iris, lang)).await;
    let (rows, gone) = match result {
        Ok(v) => v,
        Err(e) => return error_page(&ctx, e),
    };
    let mut holders: BTreeMap<(String, String), BTreeMap<(String, String), Vec<Row>>> = BTreeMap::new();
    for r in rows {
        holders
            .entry((r.register_holder.clone(), r.register_holder_iri.clone()))
            .or_default()
            .entry((r.register.clone(), r.register_iri.clone()))
            .or_default()
            .push(r);
    }
    let href = |iri: &str| (!iri.is_empty()).then(|| minter.path(iri));
    let unknown = if lang == Lang::En { "Unknown" } else { "Okänd" };
    let groups = holders
        .into_iter()
        .map(|((holder, holder_iri), registers)| HolderGroup {
            holder: if holder.is_empty() { unknown.to_owned() } else { holder },
            holder_href: href(&holder_iri),
            registers: registers
                .into_iter()
                .map(|((register, register_iri), rows)| RegisterGroup {
                    register: if register.is_empty() { unknown.to_owned() } else { register },
                    register_href: href(&register_iri),
                    rows,
                })
                .collect(),
        })
        .collect();
    let message = match query.meddelande.as_deref() {
        Some("full") => Some(if lang == Lang::En {
            "The list is full: remove a variable before adding another.".to_owned()
        } else {
            "Listan är full: ta bort en variabel innan du lägger till en ny.".to_owned()
        }),
        _ => None,
    };
    let title = if lang == Lang::En { "My variable list" } else { "Min variabellista" };
    let page = ListPage {
        chrome: Chrome::new(lang, title, &ctx.path_and_query, "list"),
        csrf: ctx.csrf.clone(),
        groups,
        count: list.len(),
        gone: gone.len(),
        message,
    };
    ctx.respond(StatusCode::OK, page.render())
}

#[derive(Deserialize)]
pub struct ListForm {
    csrf: String,
    variabel: Option<String>,
    tillbaka: Option<String>,
}

fn forbidden(lang: Lang) -> HttpResponse {
    HttpResponse::Forbidden().content_type("text/plain; charset=utf-8").body(if lang == Lang::En {
        "The form had expired or came from another site. Go back, reload the page and try again."
    } else {
        "Formuläret var för gammalt eller kom från en annan webbplats. Gå tillbaka, ladda om sidan och försök igen."
    })
}

fn redirect_with(list: &VariableList, minter: &Minter, req: &HttpRequest, to: &str) -> HttpResponse {
    let secure = req.connection_info().scheme() == "https";
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .cookie(list.cookie(minter, secure))
        .finish()
}

/// Adds a published variable to the list.
pub async fn add(req: HttpRequest, state: web::Data<AppState>, form: web::Form<ListForm>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if !ctx.csrf_ok(&req, &form.csrf) {
        return forbidden(ctx.lang);
    }
    let minter = state.catalogue.minter().clone();
    let back = local_path(form.tillbaka.as_deref(), "/variabellista");
    let Some(iri) = form.variabel.clone().filter(|i| NamedNode::new(i.as_str()).is_ok()) else {
        return HttpResponse::BadRequest().body("variabel saknas / variable missing");
    };
    let check = iri.clone();
    let is_variable = read(&state, move |cat| {
        Ok(matches!(cat.public_resource(NamedNode::new_unchecked(check).as_ref())?, Some((m, _)) if m.kind == RecordKind::Variable))
    })
    .await;
    if !matches!(is_variable, Ok(true)) {
        return not_found_page(&ctx, &iri, Some(RecordKind::Variable));
    }
    let mut list = VariableList::read(&req, &minter);
    if !list.contains(&iri) {
        list.iris.push(iri);
        if list.encoded(&minter).len() > MAX_COOKIE_BYTES {
            return HttpResponse::SeeOther().insert_header((header::LOCATION, "/variabellista?meddelande=full")).finish();
        }
    }
    redirect_with(&list, &minter, &req, &back)
}

/// Removes a variable from the list.
pub async fn remove(req: HttpRequest, state: web::Data<AppState>, form: web::Form<ListForm>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if !ctx.csrf_ok(&req, &form.csrf) {
        return forbidden(ctx.lang);
    }
    let minter = state.catalogue.minter().clone();
    let mut list = VariableList::read(&req, &minter);
    if let Some(iri) = &form.variabel {
        list.iris.retain(|i| i != iri);
    }
    redirect_with(&list, &minter, &req, &local_path(form.tillbaka.as_deref(), "/variabellista"))
}

/// Empties the list.
pub async fn clear(req: HttpRequest, state: web::Data<AppState>, form: web::Form<ListForm>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if !ctx.csrf_ok(&req, &form.csrf) {
        return forbidden(ctx.lang);
    }
    let minter = state.catalogue.minter().clone();
    redirect_with(&VariableList::default(), &minter, &req, "/variabellista")
}

/// `/variabellista.{csv,xlsx,json}`.
pub async fn export_list(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let Some(format) = Format::parse(&path) else {
        return not_found_page(&ctx, req.path(), None);
    };
    let lang = ctx.lang;
    let iris = VariableList::read(&req, state.catalogue.minter()).iris;
    match read(&state, move |cat| rows_of_list(cat, &iris, lang)).await {
        Ok((rows, _)) => render_rows(&rows, format, lang, if lang == Lang::En { "variable-list" } else { "variabellista" }),
        Err(e) => error_page(&ctx, e),
    }
}

/// `/variable/{id}.{json,csv}`: one variable.
pub async fn export_variable(req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let (id, ext) = path.into_inner();
    let (Some(format), Ok(iri)) = (Format::parse(&ext).filter(|f| *f != Format::Xlsx), state.catalogue.minter().record(RecordKind::Variable, &id)) else {
        return not_found_page(&ctx, req.path(), Some(RecordKind::Variable));
    };
    let lang = ctx.lang;
    let result = read(&state, move |cat| {
        let Some((meta, Resource::Variable(v))) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
        let rows = rows_of(cat, &v, lang)?;
        let json = variable_json(cat, &meta, &v)?;
        Ok(Some((rows, json)))
    })
    .await;
    match result {
        Ok(Some((rows, json))) => match format {
            Format::Json => download(serde_json::to_vec_pretty(&json).unwrap_or_default(), "application/json", &format!("{id}.json")),
            _ => render_rows(&rows, format, lang, &id),
        },
        Ok(None) => not_found_page(&ctx, req.path(), Some(RecordKind::Variable)),
        Err(e) => error_page(&ctx, e),
    }
}

/// The JSON description of a variable: every field of its page.
fn variable_json(cat: &Catalogue, meta: &crate::store::RecordMeta, v: &Variable) -> Result<serde_json::Value, StoreError> {
    use serde_json::json;
    let text = |t: &crate::model::LangText| -> serde_json::Value { t.iter().map(|(l, s)| (l.to_owned(), json!(s))).collect::<serde_json::Map<_, _>>().into() };
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
