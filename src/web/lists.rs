//! Variable lists that travel: saved, named lists of signed-in people
//! (`/variabellista/{id}`, through `crate::lists::Lists`) with a note per variable (why it is
//! needed) and what changed in their variables since they were saved; and a list turned into a
//! data request, one part per register holder with the holder's contact, the fields a request
//! form asks for and the variables with their versions, as a printable page and one CSV per
//! holder (`/variabellista/ansokan?v=…`, `/variabellista/{id}/ansokan`).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, SecondsFormat, Utc};

use super::kernel::AppState;
use super::kernel::context::{Ctx, VariableList};
use super::kernel::error::{Failure, PageError};
use super::kernel::guard::{read, read_form, require};
use super::kernel::page::{Chrome, link_target};
use super::kernel::paths;
use super::kernel::words::varlist as w;
use super::varlist::{Format, RowView, render_rows, share_query, shared_iris};
use crate::accounts::Role;
use crate::config::Lang;
use crate::lists::{Changed, Holder, Item, ListEdit, ListError, SavedList};
use crate::model::record::RecordKind;

const FORM_LIMIT: usize = 1024 * 1024;

/// The page of a list's failure: a missing list is 404, a stale change 409, a bad one 400.
fn failed(ctx: &Ctx, back: &str, e: ListError) -> PageError {
    let lang = ctx.lang;
    let refused = |status: StatusCode, message: &str| Failure::Refused { status, message: message.to_owned(), back: back.to_owned() };
    match e {
        ListError::NotFound => ctx.not_found(None),
        ListError::Conflict => ctx.fail(refused(StatusCode::CONFLICT, w::CHANGED_MEANWHILE.get(lang))),
        ListError::TooMany => ctx.fail(refused(StatusCode::BAD_REQUEST, w::TOO_MANY.get(lang))),
        ListError::NoName => ctx.fail(refused(StatusCode::BAD_REQUEST, w::NO_NAME.get(lang))),
        e => ctx.fail(Failure::Internal(e.to_string())),
    }
}

/// Runs a call of the list service on the blocking pool.
async fn lists<T: Send + 'static>(
    ctx: &Ctx,
    state: &AppState,
    back: &str,
    f: impl FnOnce(&crate::lists::Lists) -> Result<T, ListError> + Send + 'static,
) -> Result<T, PageError> {
    let service = state.lists.clone();
    match web::block(move || f(&service)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(failed(ctx, back, e)),
        Err(e) => Err(ctx.fail(Failure::Internal(e.to_string()))),
    }
}

/// The compare-and-set key a form carries: the list's last change, exactly.
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// Saves this browser's list under a name (signed in), and shows it.
pub(super) async fn save(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>, payload: web::Payload) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let form = read_form(&req, &ctx, payload, FORM_LIMIT).await?;
    let iris = VariableList::read(&req, state.catalogue.minter()).iris;
    if iris.is_empty() {
        let f = Failure::Refused {
            status: StatusCode::BAD_REQUEST,
            message: w::EMPTY_TO_SAVE.get(ctx.lang).to_owned(),
            back: paths::VARIABLE_LIST.to_owned(),
        };
        return Err(ctx.fail(f));
    }
    let name = form.value("namn");
    let items: Vec<Item> = iris.into_iter().map(Item::new).collect();
    let list = lists(&ctx, &state, paths::VARIABLE_LIST, move |l| l.save(&actor.user, &name, &items)).await?;
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, paths::saved_list(&list.id))).finish())
}

/// A variable of a saved list on its page.
pub struct ItemView {
    pub n: usize,
    pub iri: String,
    pub label: String,
    pub href: String,
    pub technical_name: String,
    pub registers: String,
    pub version: u64,
    pub note: String,
}

#[derive(Template)]
#[template(path = "saved_list.html")]
pub struct SavedListPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub id: String,
    pub name: String,
    pub stamp: String,
    pub created: String,
    pub items: Vec<ItemView>,
    pub changes: Vec<(String, String, String)>,
    pub share_href: String,
    pub share_url: String,
    pub request_href: String,
    pub downloads: Vec<(&'static str, String)>,
    /// Following the list: (heading, the changes page of its variables and its label, the Atom
    /// feed of their breaking changes and its label); the variables minted here only.
    pub follow: (&'static str, String, &'static str, String, &'static str),
}

/// A change in words: (label, link, "version 1 → 2" or "no longer published").
fn change_text(c: &Changed, lang: Lang, minter: &crate::model::Minter) -> (String, String, String) {
    let what = match (c.now, lang) {
        (Some(now), Lang::En) => format!("version {} → {now}", c.saved),
        (Some(now), Lang::Sv) => format!("version {} → {now}", c.saved),
        (None, Lang::En) => format!("version {} is no longer published", c.saved),
        (None, Lang::Sv) => format!("version {} är inte längre publicerad", c.saved),
    };
    (c.label.clone(), minter.path(&c.iri), what)
}

/// The owner's saved list.
pub(super) async fn page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let id = path.into_inner();
    let lang = ctx.lang;
    let (owner, list_id) = (actor.user.clone(), id.clone());
    let (list, changes) = lists(&ctx, &state, paths::VARIABLE_LIST, move |l| {
        let list = l.get(&owner, &list_id)?;
        let changes = l.changes(&list, lang.code())?;
        Ok((list, changes))
    })
    .await?;
    let minter = state.catalogue.minter().clone();
    let saved = list.clone();
    let items = read(&ctx, &state, move |cat| {
        let mut out = Vec::new();
        for (n, item) in saved.items.iter().enumerate() {
            let (rows, _) = crate::lists::rows(cat, &[Item::new(item.iri.clone())], lang.code())?;
            let first = rows.first();
            out.push(ItemView {
                n,
                iri: item.iri.clone(),
                label: first.map(|r| r.variable.clone()).unwrap_or_else(|| item.iri.clone()),
                href: cat.minter().path(&item.iri),
                technical_name: first.map(|r| r.technical_name.clone()).unwrap_or_default(),
                registers: rows.iter().map(|r| r.register.clone()).filter(|r| !r.is_empty()).collect::<Vec<_>>().join(", "),
                version: item.version,
                note: item.note.clone(),
            });
        }
        Ok(out)
    })
    .await?;
    let iris: Vec<String> = list.items.iter().map(|i| i.iri.clone()).collect();
    let query = share_query(&iris, &minter);
    let ids: Vec<String> = iris
        .iter()
        .filter_map(|i| match minter.parse(i) {
            Some((RecordKind::Variable, id)) => Some(id),
            _ => None,
        })
        .collect();
    let page = SavedListPage {
        chrome: Chrome::new(lang, list.name.clone(), &ctx.path_and_query, "list"),
        csrf: ctx.csrf.clone(),
        name: list.name.clone(),
        stamp: stamp(list.updated),
        created: list.created.format("%Y-%m-%d").to_string(),
        items,
        changes: changes.iter().map(|c| change_text(c, lang, &minter)).collect(),
        share_href: paths::shared_list(&query),
        share_url: format!("{}{}", minter.base(), paths::shared_list(&query).trim_start_matches('/')),
        request_href: paths::saved_list_request(&list.id),
        downloads: vec![
            ("CSV", paths::saved_list_export(&list.id, "csv")),
            ("Excel (XLSX)", paths::saved_list_export(&list.id, "xlsx")),
            ("JSON", paths::saved_list_export(&list.id, "json")),
        ],
        follow: (
            w::FOLLOW.get(lang),
            paths::changes(None, None, &ids),
            w::CHANGES_OF_LIST.get(lang),
            paths::changes_feed(&ids),
            super::kernel::words::versions::FEED_OF_LIST.get(lang),
        ),
        id: list.id,
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// Saves the form of a saved list: its name, a note per variable, variables removed, and
/// (when asked) the versions brought up to the present.
pub(super) async fn edit(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let id = path.into_inner();
    let form = read_form(&req, &ctx, payload, FORM_LIMIT).await?;
    let back = paths::saved_list(&id);
    let read_at = DateTime::parse_from_rfc3339(&form.value("grund"))
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ctx.fail(Failure::BadRequest("grund saknas / the form's starting point is missing".into())))?;
    let count: usize = form.value("antal").parse().unwrap_or(0).min(crate::lists::MAX_ITEMS);
    let mut e = ListEdit { name: form.text("namn"), accept_changes: form.text("godta").is_some(), ..ListEdit::default() };
    for n in 0..count {
        let iri = form.value(&format!("variabel_{n}"));
        if iri.is_empty() {
            continue;
        }
        if form.text(&format!("bort_{n}")).is_some() {
            e.remove.push(iri);
        } else if let Some(note) = form.text(&format!("not_{n}")) {
            e.notes.push((iri, note));
        }
    }
    let (owner, list_id) = (actor.user.clone(), id.clone());
    lists(&ctx, &state, &back, move |l| l.edit(&owner, &list_id, read_at, &e)).await?;
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, back)).finish())
}

/// Removes a saved list.
pub(super) async fn delete(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let id = path.into_inner();
    read_form(&req, &ctx, payload, FORM_LIMIT).await?;
    let back = paths::saved_list(&id);
    lists(&ctx, &state, &back, move |l| l.delete(&actor.user, &id)).await?;
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, paths::VARIABLE_LIST)).finish())
}

/// The variables (with notes) of a saved list of the asker's.
async fn saved_items(req: &HttpRequest, ctx: &Ctx, state: &AppState, id: String) -> Result<(SavedList, Vec<Item>), PageError> {
    let actor = require(req, ctx, state, Role::Redaktor)?;
    let list = lists(ctx, state, paths::VARIABLE_LIST, move |l| l.get(&actor.user, &id)).await?;
    let items = list.items.iter().map(|i| Item { iri: i.iri.clone(), note: i.note.clone() }).collect();
    Ok((list, items))
}

/// `/variabellista/{id}.{csv,xlsx,json}`: a saved list with its notes.
pub(super) async fn export(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, ext) = path.into_inner();
    let format = Format::parse(&ext).ok_or_else(|| ctx.not_found(None))?;
    let (list, items) = saved_items(&req, &ctx, &state, id).await?;
    let lang = ctx.lang;
    let (rows, _) = read(&ctx, &state, move |cat| crate::lists::rows(cat, &items, lang.code())).await?;
    render_rows(&ctx, &rows, format, &file_stem(&list.name))
}

/// A file name from a list's name (letters, digits and dashes).
fn file_stem(name: &str) -> String {
    let s: String = name.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() { "variabellista".to_owned() } else { s }
}

// ---- the data request -----------------------------------------------------------------------

/// A holder's part of the request on the page.
pub struct PartView {
    pub holder: Holder,
    pub slug: String,
    pub emails: Vec<(String, String)>,
    pub pages: Vec<(String, Option<String>)>,
    pub ordering: Vec<(String, String, Option<String>)>,
    pub rows: Vec<RowView>,
    /// The part as a file: (format, address), CSV, XLSX and JSON.
    pub downloads: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "data_request.html")]
pub struct RequestPage {
    pub chrome: Chrome,
    pub list_name: Option<String>,
    pub back_href: String,
    pub fields: Vec<&'static str>,
    pub parts: Vec<PartView>,
    pub with_notes: bool,
    pub created: String,
}

/// The request's rows per holder.
async fn parts(ctx: &Ctx, state: &AppState, items: Vec<Item>) -> Result<Vec<Holder>, PageError> {
    let lang = ctx.lang;
    read(ctx, state, move |cat| {
        let (rows, _) = crate::lists::rows(cat, &items, lang.code())?;
        crate::lists::by_holder(cat, rows)
    })
    .await
}

/// The formats a holder's part downloads in: (name shown, file extension).
const PART_FORMATS: [(&str, &str); 3] = [("CSV", "csv"), ("Excel (XLSX)", "xlsx"), ("JSON", "json")];

fn part_views(holders: Vec<Holder>, lang: Lang, minter: &crate::model::Minter, href: impl Fn(&str, &str) -> String) -> Vec<PartView> {
    holders
        .into_iter()
        .map(|h| {
            let slug = h.slug();
            let rows =
                super::varlist::group(h.rows.clone(), minter, lang).into_iter().flat_map(|g| g.registers).flat_map(|r| r.rows).collect();
            PartView {
                emails: h.emails.iter().map(|e| (e.clone(), format!("mailto:{e}"))).collect(),
                pages: h.pages.iter().map(|p| (p.clone(), link_target(p).map(str::to_owned))).collect(),
                ordering: h.ordering.iter().map(|(r, a)| (r.clone(), a.clone(), link_target(a).map(str::to_owned))).collect(),
                downloads: PART_FORMATS.iter().map(|(name, ext)| (*name, href(&slug, ext))).collect(),
                slug,
                rows,
                holder: h,
            }
        })
        .collect()
}

fn request_page(ctx: &Ctx, list_name: Option<String>, back_href: String, parts: Vec<PartView>, with_notes: bool) -> RequestPage {
    let lang = ctx.lang;
    let title = match &list_name {
        Some(n) => format!("{}: {n}", w::DATA_REQUEST.get(lang)),
        None => w::DATA_REQUEST.get(lang).to_owned(),
    };
    RequestPage {
        chrome: Chrome::new(lang, title, &ctx.path_and_query, "list"),
        list_name,
        back_href,
        fields: w::REQUEST_FIELDS.iter().map(|f| f.get(lang)).collect(),
        parts,
        with_notes,
        created: Utc::now().format("%Y-%m-%d").to_string(),
    }
}

/// The list of this browser, or of the link (`?v=`).
fn browser_or_link(req: &HttpRequest, state: &AppState) -> (Vec<Item>, String) {
    let minter = state.catalogue.minter();
    let iris = shared_iris(req.query_string(), minter).unwrap_or_else(|| VariableList::read(req, minter).iris);
    let query = share_query(&iris, minter);
    (iris.into_iter().map(Item::new).collect(), query)
}

/// `/variabellista/ansokan?v=…`: the data request of a list's link, or of this browser's list.
pub(super) async fn request(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let (items, query) = browser_or_link(&req, &state);
    let holders = parts(&ctx, &state, items).await?;
    let minter = state.catalogue.minter();
    let views = part_views(holders, ctx.lang, minter, |slug, ext| format!("{}/{slug}.{ext}?{query}", paths::VARIABLE_LIST_REQUEST));
    let page = request_page(&ctx, None, paths::shared_list(&query), views, false);
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `/variabellista/{id}/ansokan`: the data request of a saved list, with its notes.
pub(super) async fn saved_request(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (list, items) = saved_items(&req, &ctx, &state, id).await?;
    let holders = parts(&ctx, &state, items).await?;
    let base = paths::saved_list_request(&list.id);
    let views = part_views(holders, ctx.lang, state.catalogue.minter(), |slug, ext| format!("{base}/{slug}.{ext}"));
    let page = request_page(&ctx, Some(list.name.clone()), paths::saved_list(&list.id), views, true);
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// One holder's part as a file (CSV, XLSX or JSON, the same rows as the list's exports).
fn part_download(ctx: &Ctx, holders: Vec<Holder>, slug: &str, ext: &str) -> Result<HttpResponse, PageError> {
    let Some(h) = holders.into_iter().find(|h| h.slug() == slug) else { return Err(ctx.not_found(None)) };
    let Some(format) = Format::parse(ext) else { return Err(ctx.not_found(None)) };
    let stem = format!("{}-{slug}", if ctx.lang == Lang::En { "data-request" } else { "ansokan" });
    render_rows(ctx, &h.rows, format, &stem)
}

/// `/variabellista/ansokan/{holder}.{csv,xlsx,json}?v=…`
pub(super) async fn request_part(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, ext) = path.into_inner();
    let (items, _) = browser_or_link(&req, &state);
    let holders = parts(&ctx, &state, items).await?;
    part_download(&ctx, holders, &slug, &ext)
}

/// `/variabellista/{id}/ansokan/{holder}.{csv,xlsx,json}`
pub(super) async fn saved_request_part(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, slug, ext) = path.into_inner();
    let (_, items) = saved_items(&req, &ctx, &state, id).await?;
    let holders = parts(&ctx, &state, items).await?;
    part_download(&ctx, holders, &slug, &ext)
}
