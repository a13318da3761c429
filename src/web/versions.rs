//! Published versions for the public: a version's page and RDF (`/{kind}/{id}/version/{n}`,
//! the versioned IRI), a record's page as published on a day (`?per=2024-01-01`, from
//! `pages::record_page`), a variable's citation (`/variable/{id}/citera?format=…`), the list
//! of published changes (`/andringar`) and the feed of breaking ones (`/andringar.atom`).
//! The rules are `curation::versions` and `curation::impact`; the words `views::versions`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use oxigraph::model::NamedNode;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::{Failure, PageError};
use super::kernel::guard::curate;
use super::kernel::paths;
use super::kernel::words::versions as w;
use super::views::versions::{self as view, ChangesPage};
use super::views::{Chrome, Val, nav_of};
use crate::curation::impact::Impact;
use crate::curation::versions::{AsOf, ChangeQuery, SCAN_LIMIT};
use crate::model::record::RecordKind;
use crate::publish::citation::FORMATS;
use crate::publish::feed::{ChangeEntry, changes_atom};

/// Changes on one page of `/andringar`.
const PAGE: usize = 50;
/// Entries in the feed.
const FEED_SIZE: usize = 100;
/// Variables one change list or feed may follow.
const MAX_VARIABLES: usize = 500;

/// The kind and IRI of a record minted here that has pages of its own; 404 otherwise.
fn record_of(ctx: &Ctx, state: &AppState, kind: &str, id: &str) -> Result<(RecordKind, NamedNode), PageError> {
    let kind =
        RecordKind::parse(kind).filter(|k| !matches!(k, RecordKind::Concept | RecordKind::Catalog)).ok_or_else(|| ctx.not_found(None))?;
    let iri = state.catalogue.minter().record(kind, id).map_err(|_| ctx.not_found(Some(kind)))?;
    Ok((kind, iri))
}

fn refused(ctx: &Ctx, status: StatusCode, message: String, back: String) -> PageError {
    ctx.fail(Failure::Refused { status, message, back })
}

/// `GET /{kind}/{id}/version/{n}` (`n` may carry an RDF suffix: `3.ttl`): one published
/// version, as a page or as RDF.
pub(super) async fn version_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (kind, id, n) = path.into_inner();
    let (kind, iri) = record_of(&ctx, &state, &kind, &id)?;
    let (stem, suffix) = super::dcat::split_suffix(&n);
    let record_path = paths::record(kind, &id);
    let Some(n) = stem.parse::<u64>().ok().filter(|n| *n > 0) else {
        return Err(refused(&ctx, StatusCode::NOT_FOUND, w::no_version(ctx.lang, &n), record_path));
    };
    if let Some(rdf) = super::dcat::version_rdf(&req, iri.clone(), n, suffix).await {
        return Ok(rdf);
    }
    let (lang, here) = (ctx.lang, ctx.path_and_query.clone());
    let found = curate(&ctx, &state, move |c| {
        let Some(versions) = c.published_versions(&iri)? else { return Ok(None) };
        let Some(i) = versions.index_of(n) else { return Ok(Some(None)) };
        let codes_before = versions.replaced(i);
        view::version_page(c, lang, &versions, i, &here, None, codes_before).map(|p| Some(Some(p)))
    })
    .await?
    .map_err(|e| ctx.fail(e))?;
    match found {
        None => Err(ctx.not_found(Some(kind))),
        Some(None) => Err(refused(&ctx, StatusCode::NOT_FOUND, w::no_version(ctx.lang, &n.to_string()), record_path)),
        Some(Some(mut page)) => {
            page.chrome.nav = nav_of(kind);
            Ok(ctx.respond(StatusCode::OK, page.render()))
        }
    }
}

/// A record's page as published on a day (`?per=YYYY-MM-DD`, the end of that day in UTC): the
/// version then in effect with a banner; 400 for a date that cannot be read, 404 for a day
/// before the record was first published.
pub(super) async fn as_of_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    kind: RecordKind,
    id: String,
    per: String,
) -> Result<HttpResponse, PageError> {
    let record_path = paths::record(kind, &id);
    let Ok(day) = NaiveDate::parse_from_str(per.trim(), "%Y-%m-%d") else {
        return Err(refused(&ctx, StatusCode::BAD_REQUEST, w::bad_date(ctx.lang, &per), record_path));
    };
    let iri = state.catalogue.minter().record(kind, &id).map_err(|_| ctx.not_found(Some(kind)))?;
    let before: DateTime<Utc> = day.succ_opt().unwrap_or(day).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let (lang, here, shown) = (ctx.lang, ctx.path_and_query.clone(), day.format("%Y-%m-%d").to_string());
    let heading = w::as_of_heading(lang, &shown);
    let found = curate(&ctx, &state, move |c| match c.as_of(&iri, before)? {
        None => Ok(None),
        Some(AsOf::BeforeFirst { first }) => Ok(Some(Err(first))),
        Some(AsOf::Found { versions, index }) => {
            let page = view::version_page(c, lang, &versions, index, &here, Some(heading), Some(before))?;
            Ok(Some(Ok((page, versions.list[index].version == versions.meta.version))))
        }
    })
    .await?
    .map_err(|e| ctx.fail(e))?;
    match found {
        None => Err(ctx.not_found(Some(kind))),
        Some(Err(first)) => Err(refused(&ctx, StatusCode::NOT_FOUND, w::before_first(ctx.lang, &shown, &view::day(first)), record_path)),
        Some(Ok((mut page, _))) => {
            page.chrome.nav = nav_of(kind);
            Ok(ctx.respond(StatusCode::OK, page.render()))
        }
    }
}

/// A plain-text answer (the citation endpoint speaks to reference managers and scripts).
fn plain(status: StatusCode, text: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(text)
}

#[derive(serde::Deserialize)]
pub(super) struct CiteQuery {
    format: Option<String>,
    version: Option<String>,
}

/// `GET /variable/{id}/citera?format=bibtex|csl-json|ris|text[&version=n]`: the citation of a
/// variable's version (the current one without `version`), with the format's media type.
pub(super) async fn cite(ctx: Ctx, state: web::Data<AppState>, path: web::Path<String>, query: web::Query<CiteQuery>) -> HttpResponse {
    let id = path.into_inner();
    let lang = ctx.lang;
    let format = query.format.clone().unwrap_or_else(|| "text".into());
    let Some((_, media, ext)) = FORMATS.iter().find(|(f, _, _)| *f == format) else {
        return plain(StatusCode::BAD_REQUEST, w::bad_format(lang, &format));
    };
    let Ok(iri) = state.catalogue.minter().record(RecordKind::Variable, &id) else {
        return plain(StatusCode::NOT_FOUND, texts_not_found(&ctx));
    };
    let version = match query.version.as_deref().map(|v| v.trim().parse::<u64>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return plain(StatusCode::NOT_FOUND, w::no_version(lang, query.version.as_deref().unwrap_or(""))),
    };
    let (fmt, code) = (format.clone(), lang.code());
    let found = curate(&ctx, &state, move |c| {
        let public = c.published(&iri)?.is_some_and(|(m, _)| m.kind == RecordKind::Variable);
        if !public {
            return Ok(None);
        }
        Ok(Some(c.citation(&iri, version, code)?.and_then(|cite| cite.render(&fmt, code).map(|body| (cite.key, body)))))
    })
    .await;
    match found {
        Ok(Ok(Some(Some((key, body))))) => {
            let disposition = if format == "text" {
                format!("inline; filename=\"{key}.{ext}\"")
            } else {
                format!("attachment; filename=\"{key}.{ext}\"")
            };
            HttpResponse::Ok().content_type(*media).insert_header((header::CONTENT_DISPOSITION, disposition)).body(body)
        }
        Ok(Ok(Some(None))) => plain(StatusCode::NOT_FOUND, w::no_version(lang, &version.map(|v| v.to_string()).unwrap_or_default())),
        Ok(Ok(None)) => plain(StatusCode::NOT_FOUND, texts_not_found(&ctx)),
        Ok(Err(e)) => plain(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, format!("{e:?}")),
    }
}

fn texts_not_found(ctx: &Ctx) -> String {
    super::kernel::words::texts(ctx.lang).not_found_record.to_owned()
}

/// The parameters of the change list and feed: `typ` (a class), `v` (variable ids, repeated),
/// `fore` (a revision: older changes).
struct ChangeParams {
    class: Option<Impact>,
    variables: Vec<String>,
    before: Option<u64>,
}

fn change_params(req: &HttpRequest, ctx: &Ctx) -> Result<ChangeParams, PageError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let mut p = ChangeParams { class: None, variables: Vec::new(), before: None };
    let bad = |message: String| refused(ctx, StatusCode::BAD_REQUEST, message, paths::CHANGES.to_owned());
    for (k, v) in pairs {
        match k.as_str() {
            "typ" if v.is_empty() => {}
            "typ" => p.class = Some(Impact::parse(&v).ok_or_else(|| bad(w::bad_class(ctx.lang, &v)))?),
            "v" => {
                crate::model::ids::check_slug(&v).map_err(|_| bad(w::bad_variable(ctx.lang, &v)))?;
                if !p.variables.contains(&v) {
                    p.variables.push(v);
                }
            }
            "fore" => p.before = Some(v.parse().map_err(|_| ctx.fail(Failure::BadRequest(format!("fore={v}"))))?),
            _ => {}
        }
    }
    if p.variables.len() > MAX_VARIABLES {
        return Err(bad(w::bad_variable(ctx.lang, &format!("v × {}", p.variables.len()))));
    }
    Ok(p)
}

/// `GET /andringar`: published changes, newest first, classified, with the rule.
pub(super) async fn changes_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let p = change_params(&req, &ctx)?;
    let lang = ctx.lang;
    let minter = state.catalogue.minter().clone();
    let iris: Vec<NamedNode> = p.variables.iter().filter_map(|v| minter.record(RecordKind::Variable, v).ok()).collect();
    let (class, before) = (p.class, p.before);
    let (items, next) = curate(&ctx, &state, move |c| {
        let scope = if iris.is_empty() { None } else { Some(c.scope_of_variables(&iris)?) };
        let page = c.published_changes(&ChangeQuery { before, limit: PAGE, impact: class, scope, scan: SCAN_LIMIT })?;
        let items = page.entries.iter().map(|ch| view::change_item(c, ch, lang)).collect::<Result<Vec<_>, _>>()?;
        Ok((items, page.next))
    })
    .await?
    .map_err(|e| ctx.fail(e))?;
    let class_name = p.class.map(Impact::as_str);
    let page = ChangesPage {
        chrome: Chrome::new(lang, w::CHANGES.get(lang), &ctx.path_and_query, ""),
        lead: w::CHANGES_LEAD.get(lang),
        rule_heading: w::RULE.get(lang),
        rule_lead: w::RULE_LEAD.get(lang),
        rules: view::rule_table(lang),
        feed_label: if p.variables.is_empty() { w::FEED.get(lang) } else { w::FEED_OF_LIST.get(lang) },
        feed_href: paths::changes_feed(&p.variables),
        filter_label: w::FILTER.get(lang),
        show_label: w::SHOW.get(lang),
        all_label: w::ALL.get(lang),
        classes: Impact::ALL.into_iter().map(|i| (i.as_str(), w::impact(i, lang), p.class == Some(i))).collect(),
        variable_links: p
            .variables
            .iter()
            .map(|v| Val { code: true, ..Val::link(v.clone(), paths::record(RecordKind::Variable, v)) })
            .collect(),
        variables_label: w::ONLY_VARIABLES.get(lang),
        action: paths::CHANGES,
        items,
        none: w::NONE.get(lang),
        note_label: w::NOTE.get(lang),
        older_label: w::OLDER.get(lang),
        older_href: next.map(|n| paths::changes(Some(n), class_name, &p.variables)),
        newest_label: w::NEWEST.get(lang),
        newest_href: p.before.map(|_| paths::changes(None, class_name, &p.variables)),
        variables: p.variables,
    };
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

/// `GET /andringar.atom[?v={id}&v={id}…]`: the breaking changes (of these variables, their
/// code lists and codes), newest first, as Atom.
pub(super) async fn changes_feed(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let p = change_params(&req, &ctx)?;
    let lang = ctx.lang;
    let minter = state.catalogue.minter().clone();
    let iris: Vec<NamedNode> = p.variables.iter().filter_map(|v| minter.record(RecordKind::Variable, v).ok()).collect();
    let base = minter.base().to_owned();
    let self_url = format!("{}{}", base.trim_end_matches('/'), paths::changes_feed(&p.variables));
    let alternate = format!("{}{}", base.trim_end_matches('/'), paths::changes(None, None, &p.variables));
    let body = curate(&ctx, &state, move |c| {
        let scope = if iris.is_empty() { None } else { Some(c.scope_of_variables(&iris)?) };
        let page =
            c.published_changes(&ChangeQuery { before: None, limit: FEED_SIZE, impact: Some(Impact::Breaking), scope, scan: SCAN_LIMIT })?;
        let mut entries = Vec::new();
        for ch in &page.entries {
            let item = view::change_item(c, ch, lang)?;
            let mut summary: Vec<String> = item.lines.iter().map(|l| format!("{}: {}", l.impact, l.text)).collect();
            summary.extend(item.summary.map(str::to_owned));
            if !item.note.is_empty() {
                summary.push(format!("{}: {}", w::NOTE.get(lang), item.note));
            }
            let link = format!("{}{}", base.trim_end_matches('/'), view::change_path(c, ch));
            let id = if ch.retired {
                format!("{}#version-{}-retired", ch.iri.as_str(), ch.version)
            } else {
                format!("{}#version-{}", ch.iri.as_str(), ch.version)
            };
            entries.push(ChangeEntry {
                id,
                title: item.title.text,
                updated: ch.time,
                link,
                related: ch.iri.as_str().to_owned(),
                categories: vec![ch.kind.as_str().to_owned(), ch.impact.as_str().to_owned()],
                summary: summary.join("\n"),
            });
        }
        let (title, author) = crate::publish::feed::catalogue_names(c.catalogue(), lang.code())?;
        Ok(changes_atom(&self_url, &alternate, &w::feed_title(lang, &title), &author, lang.code(), &entries))
    })
    .await?
    .map_err(|e| ctx.fail(e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(body))
}

/// What the current page of a record shows of its versions: links to each published version
/// and, for a variable, how to cite the current one.
pub(super) async fn decorate(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    kind: RecordKind,
    iri: NamedNode,
    page: &mut super::views::RecordPage,
) {
    if matches!(kind, RecordKind::Concept | RecordKind::Catalog) || state.catalogue.minter().parse(iri.as_str()).is_none() {
        return;
    }
    let lang = ctx.lang;
    let found = curate(ctx, state, move |c| {
        let Some(versions) = c.published_versions(&iri)? else { return Ok((Vec::new(), None)) };
        let links = view::version_links(c, &versions);
        let cite = if kind == RecordKind::Variable { view::citation_block(c, &iri, None, lang)? } else { None };
        Ok((links, cite))
    })
    .await;
    match found {
        Ok(Ok((links, cite))) => {
            page.versions = links;
            page.citation = cite;
        }
        Ok(Err(e)) => tracing::error!(error = %e, "the versions of a record could not be read"),
        Err(e) => tracing::error!(error = ?e, "the versions of a record could not be read"),
    }
}
