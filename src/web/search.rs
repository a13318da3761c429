//! The search page (`/sok`) and the same search as JSON (`/api/v1/search`).
//!
//! Parameters (both): `q` text; facet filters by name, repeatable (`typ`, `datamangd`,
//! `utgivare`, `halsokategori`, `tema`, `kodverk`, `datatyp`, `status`, `anvandningsfall`,
//! `decennium`); `fran`/`till` years of coverage; `sortering` (`relevans`, `namn`, `ar`);
//! `sida` (1-based) and `per_sida` (at most 200).

use std::collections::{BTreeSet, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::context::VariableList;
use super::kernel::error::PageError;
use super::kernel::guard::run;
use super::kernel::labels::{datatype_label, health_category, health_theme, vocab_label};
use super::kernel::words::field;
use super::kernel::words::search as search_words;
use super::views::{Chrome, ListButton, Val, capitalise};
use crate::config::Lang;
use crate::model::Minter;
use crate::model::record::RecordKind;
use crate::model::vocab::health;
use crate::search::{FacetName, Fragment, Hit, MAX_LIMIT, Recognised, SearchRequest, SearchResponse, Sort};

const DEFAULT_PAGE_SIZE: usize = 20;

/// A search request read from the query string, with errors a user can fix.
pub struct Params {
    pub request: SearchRequest,
    pub page: usize,
    pub page_size: usize,
    /// Problems with the parameters, named in words.
    pub problems: Vec<String>,
}

impl Params {
    pub fn parse(query: &str, lang: Lang) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let en = lang == Lang::En;
        let mut request = SearchRequest::default();
        let mut page = 1;
        let mut page_size = DEFAULT_PAGE_SIZE;
        let mut problems = Vec::new();
        let year = |name: &str, v: &str, problems: &mut Vec<String>| -> Option<i32> {
            match v.trim().parse::<i32>() {
                Ok(y) if (1000..=9999).contains(&y) => Some(y),
                _ if v.trim().is_empty() => None,
                _ => {
                    problems.push(if en {
                        format!("“{v}” in {name} is not a year (four digits)")
                    } else {
                        format!("”{v}” i {name} är inget årtal (fyra siffror)")
                    });
                    None
                }
            }
        };
        for (k, v) in &pairs {
            match k.as_str() {
                "q" => request.text = v.chars().take(500).collect(),
                "fran" => request.year_from = year(if en { "from" } else { "från" }, v, &mut problems),
                "till" => request.year_to = year(if en { "to" } else { "till" }, v, &mut problems),
                "sortering" => request.sort = Sort::from_param(v).unwrap_or_default(),
                "sida" => page = v.parse::<usize>().unwrap_or(1).clamp(1, 10_000),
                "per_sida" => page_size = v.parse::<usize>().unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_LIMIT),
                other => {
                    if let Some(name) = FacetName::from_param(other)
                        && !v.is_empty()
                    {
                        request.filters.entry(name).or_default().insert(v.clone());
                    }
                }
            }
        }
        if let (Some(a), Some(b)) = (request.year_from, request.year_to)
            && a > b
        {
            problems.push(if en {
                format!("the year range {a}–{b} is reversed")
            } else {
                format!("årsintervallet {a}–{b} är omvänt")
            });
            request.year_from = Some(b);
            request.year_to = Some(a);
        }
        request.offset = (page - 1) * page_size;
        request.limit = page_size;
        Self { request, page, page_size, problems }
    }

    /// The query string of this search, changed by `edit`.
    pub fn href(&self, edit: impl FnOnce(&mut Vec<(String, String)>)) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let r = &self.request;
        if !r.text.is_empty() {
            pairs.push(("q".into(), r.text.clone()));
        }
        for (name, values) in &r.filters {
            for v in values {
                pairs.push((name.param().into(), v.clone()));
            }
        }
        if let Some(y) = r.year_from {
            pairs.push(("fran".into(), y.to_string()));
        }
        if let Some(y) = r.year_to {
            pairs.push(("till".into(), y.to_string()));
        }
        if r.sort != Sort::Relevance {
            pairs.push(("sortering".into(), r.sort.param().into()));
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            pairs.push(("per_sida".into(), self.page_size.to_string()));
        }
        if self.page > 1 {
            pairs.push(("sida".into(), self.page.to_string()));
        }
        edit(&mut pairs);
        format!("/sok?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
}

fn without(pairs: &mut Vec<(String, String)>, key: &str, value: Option<&str>) {
    pairs.retain(|(k, v)| !(k == key && value.is_none_or(|x| x == v)));
}

/// The name of a facet in the page language.
fn facet_heading(name: FacetName, lang: Lang) -> &'static str {
    let en = lang == Lang::En;
    match name {
        FacetName::Kind => {
            if en {
                "Kind"
            } else {
                "Typ"
            }
        }
        FacetName::Dataset => {
            if en {
                "Dataset or register"
            } else {
                "Datamängd eller register"
            }
        }
        FacetName::Publisher => {
            if en {
                "Publisher"
            } else {
                "Utgivare"
            }
        }
        FacetName::HealthCategory => {
            if en {
                "Health category"
            } else {
                "Hälsodatakategori"
            }
        }
        FacetName::Theme => {
            if en {
                "Theme"
            } else {
                "Tema"
            }
        }
        FacetName::CodingSystem => {
            if en {
                "Coding system"
            } else {
                "Kodverk"
            }
        }
        FacetName::Datatype => {
            if en {
                "Data type"
            } else {
                "Datatyp"
            }
        }
        FacetName::Status => "Status",
        FacetName::UseCase => {
            if en {
                "Use case"
            } else {
                "Användningsfall"
            }
        }
        FacetName::Decade => {
            if en {
                "Years covered"
            } else {
                "Tidstäckning"
            }
        }
    }
}

/// A facet value in words; IRIs of records get their labels from `labels`.
fn facet_value_label(name: FacetName, value: &str, lang: Lang, labels: &HashMap<String, String>) -> String {
    let en = lang == Lang::En;
    match name {
        FacetName::Kind => {
            RecordKind::parse(value).map(|k| capitalise(&super::views::list_heading(k, lang))).unwrap_or_else(|| value.into())
        }
        FacetName::Datatype if value == "codelist" => (if en { "Code list" } else { "Kodlista" }).into(),
        FacetName::Datatype => datatype_label(value, lang),
        FacetName::Status => match value {
            "published" => (if en { "Published" } else { "Publicerad" }).into(),
            "retired" => (if en { "Retired" } else { "Utfasad" }).into(),
            other => other.into(),
        },
        FacetName::Decade => {
            if en {
                format!("{value}s")
            } else {
                format!("{value}-talet")
            }
        }
        FacetName::HealthCategory => match value.strip_prefix(health::CATEGORY_BASE) {
            Some(code) => health_category(code, lang),
            None => vocab_label(value, lang),
        },
        FacetName::Theme => match value.strip_prefix(health::THEME_BASE) {
            Some(code) => health_theme(code, lang),
            None => vocab_label(value, lang),
        },
        _ => labels.get(value).cloned().unwrap_or_else(|| super::kernel::labels::last_segment(value)),
    }
}

/// One facet value on the page.
pub struct FacetValueView {
    pub id: String,
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

/// One facet on the page.
pub struct FacetView {
    pub param: &'static str,
    pub heading: &'static str,
    pub values: Vec<FacetValueView>,
}

/// One hit on the page.
pub struct HitView {
    pub kind_label: String,
    pub link: Val,
    pub notation: Option<String>,
    pub snippet: Vec<Fragment>,
    pub facts: Vec<(String, String)>,
    /// Variables: the button of the variable list.
    pub button: Option<ListButton>,
}

/// What the search understood a part of the text as, on the page.
pub struct RecognisedView {
    /// "”J18” är en kod i ICD-10-SE."
    pub lead: String,
    /// The codes it is or names: (notation and label, link).
    pub codes: Vec<(String, String)>,
    /// "Variabler som kodas med ICD-10-SE finns därför bland träffarna.", when it names codes.
    pub coded: Option<String>,
    /// Each coding system: (name, link to the search with only its variables).
    pub systems: Vec<(String, String)>,
}

/// An active filter with the link that removes it.
pub struct ActiveFilter {
    pub text: String,
    pub remove_href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    /// The checkboxes of variable hits and their "Jämför markerade" form.
    pub compare: super::views::compare::CompareBox,
    pub q: String,
    pub sort: &'static str,
    pub year_from: String,
    pub year_to: String,
    pub problems: Vec<String>,
    pub total: usize,
    pub first: usize,
    pub last: usize,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetView>,
    pub active: Vec<ActiveFilter>,
    pub suggestions: Vec<(String, String)>,
    pub recognised: Vec<RecognisedView>,
    pub understood_heading: &'static str,
    pub only_coded: &'static str,
    pub clear_href: Option<String>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub page: usize,
    pub pages: usize,
    pub searched: bool,
}

/// Labels of the IRIs among the facet values and filters.
fn iri_labels(cat: &crate::catalog::Catalogue, response: &SearchResponse, req: &SearchRequest, lang: Lang) -> HashMap<String, String> {
    let mut iris: BTreeSet<NamedNode> = BTreeSet::new();
    for f in &response.facets {
        for (v, _, _) in &f.values {
            if v.starts_with("http")
                && let Ok(n) = NamedNode::new(v)
            {
                iris.insert(n);
            }
        }
    }
    for values in req.filters.values() {
        iris.extend(values.iter().filter_map(|v| NamedNode::new(v).ok()));
    }
    let iris: Vec<NamedNode> = iris.into_iter().collect();
    cat.labels(&iris).unwrap_or_default().into_iter().map(|(k, v)| (k.as_str().to_owned(), v.best(lang.code()).to_owned())).collect()
}

pub(super) async fn search_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let lang = ctx.lang;
    let params = Params::parse(req.query_string(), lang);
    let (request, cat) = (params.request.clone(), state.catalogue.clone());
    let (response, labels) = run(&ctx, move || {
        let response = cat.search(&request)?;
        let labels = iri_labels(&cat, &response, &request, lang);
        Ok::<_, crate::search::SearchError>((response, labels))
    })
    .await?;
    let list = VariableList::read(&req, state.catalogue.minter());
    let page = build_page(&ctx, &params, &response, &labels, &list, state.catalogue.minter());
    Ok(ctx.respond(StatusCode::OK, page.render()))
}

fn build_page(
    ctx: &Ctx,
    params: &Params,
    response: &SearchResponse,
    labels: &HashMap<String, String>,
    list: &VariableList,
    minter: &Minter,
) -> SearchPage {
    let lang = ctx.lang;
    let en = lang == Lang::En;
    let r = &params.request;
    let title = if r.text.is_empty() {
        (if en { "Search" } else { "Sök" }).to_owned()
    } else if en {
        format!("Search: {}", r.text)
    } else {
        format!("Sök: {}", r.text)
    };
    let pages = response.total.div_ceil(params.page_size).max(1);
    let hits = response.hits.iter().map(|h| hit_view(h, ctx, list, minter)).collect();
    let facets = response
        .facets
        .iter()
        .map(|f| FacetView {
            param: f.name.param(),
            heading: facet_heading(f.name, lang),
            values: f
                .values
                .iter()
                .enumerate()
                .map(|(i, (value, count, selected))| FacetValueView {
                    id: format!("f-{}-{i}", f.name.param()),
                    value: value.clone(),
                    label: facet_value_label(f.name, value, lang, labels),
                    count: *count,
                    selected: *selected,
                })
                .collect(),
        })
        .collect();
    let mut active = Vec::new();
    for (name, values) in &r.filters {
        for v in values {
            active.push(ActiveFilter {
                text: format!("{}: {}", facet_heading(*name, lang), facet_value_label(*name, v, lang, labels)),
                remove_href: params.href(|p| {
                    without(p, name.param(), Some(v));
                    without(p, "sida", None);
                }),
            });
        }
    }
    if r.year_from.is_some() || r.year_to.is_some() {
        active.push(ActiveFilter {
            text: format!(
                "{}: {}–{}",
                facet_heading(FacetName::Decade, lang),
                r.year_from.map(|y| y.to_string()).unwrap_or_default(),
                r.year_to.map(|y| y.to_string()).unwrap_or_default()
            ),
            remove_href: params.href(|p| {
                without(p, "fran", None);
                without(p, "till", None);
                without(p, "sida", None);
            }),
        });
    }
    let clear_href = (!active.is_empty()).then(|| {
        let mut pairs = Vec::new();
        if !r.text.is_empty() {
            pairs.push(("q".to_owned(), r.text.clone()));
        }
        format!("/sok?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    });
    let page_href = |n: usize| {
        params.href(|p| {
            without(p, "sida", None);
            if n > 1 {
                p.push(("sida".into(), n.to_string()));
            }
        })
    };
    SearchPage {
        compare: super::views::compare::CompareBox::new(lang),
        chrome: Chrome::new(lang, title, &ctx.path_and_query, "search"),
        q: r.text.clone(),
        sort: r.sort.param(),
        year_from: r.year_from.map(|y| y.to_string()).unwrap_or_default(),
        year_to: r.year_to.map(|y| y.to_string()).unwrap_or_default(),
        problems: params.problems.clone(),
        total: response.total,
        first: if response.total == 0 { 0 } else { r.offset + 1 },
        last: r.offset + response.hits.len(),
        hits,
        facets,
        active,
        suggestions: response
            .suggestions
            .iter()
            .map(|s| (s.clone(), format!("/sok?{}", serde_urlencoded::to_string([("q", s)]).unwrap_or_default())))
            .collect(),
        recognised: response.recognised.iter().map(|x| recognised_view(x, params, lang, minter)).collect(),
        understood_heading: search_words::UNDERSTOOD.get(lang),
        only_coded: search_words::ONLY_CODED.get(lang),
        clear_href,
        prev_href: (params.page > 1).then(|| page_href(params.page - 1)),
        next_href: (params.page < pages).then(|| page_href(params.page + 1)),
        page: params.page,
        pages,
        searched: !r.text.is_empty() || !r.filters.is_empty() || r.year_from.is_some() || r.year_to.is_some(),
    }
}

fn recognised_view(x: &Recognised, params: &Params, lang: Lang, minter: &Minter) -> RecognisedView {
    let code = lang.code();
    let system_names: Vec<String> = x.systems.iter().map(|s| s.label(code).to_owned()).collect();
    let codes = x
        .codes
        .iter()
        .map(|c| {
            let label = c.label(code);
            let text = if label.is_empty() { c.notation.clone() } else { format!("{} {label}", c.notation) };
            (text, minter.path(&c.iri))
        })
        .collect();
    let (lead, coded) = if x.is_code {
        (search_words::a_code(lang, &x.text, &system_names, x.codes.len()), None)
    } else {
        let coded = (!system_names.is_empty()).then(|| search_words::coded_found(lang, &system_names));
        (search_words::names_codes(lang, &x.text), coded)
    };
    let systems = x
        .systems
        .iter()
        .map(|s| {
            let href = params.href(|p| {
                without(p, "sida", None);
                without(p, FacetName::CodingSystem.param(), None);
                without(p, FacetName::Kind.param(), None);
                p.push((FacetName::CodingSystem.param().into(), s.iri.clone()));
                p.push((FacetName::Kind.param().into(), "variable".into()));
            });
            (s.label(code).to_owned(), href)
        })
        .collect();
    RecognisedView { lead, codes, coded, systems }
}

fn hit_view(h: &Hit, ctx: &Ctx, list: &VariableList, minter: &Minter) -> HitView {
    let lang = ctx.lang;
    let code = lang.code();
    let kind = RecordKind::parse(&h.kind);
    let mut link = Val::link(h.label(code), minter.path(&h.iri));
    let own = if code == "en" { &h.label_en } else { &h.label_sv };
    if own.is_empty() {
        link.lang = Some(if code == "en" { "sv".into() } else { "en".into() });
    }
    let mut facts = Vec::new();
    let names = |ns: &[crate::search::Named]| ns.iter().map(|n| n.label(code).to_owned()).collect::<Vec<_>>().join(", ");
    if !h.display.datasets.is_empty() {
        facts.push((field(lang, "datasets").to_owned(), names(&h.display.datasets)));
    }
    if !h.display.publishers.is_empty() {
        facts.push((field(lang, "publisher").to_owned(), names(&h.display.publishers)));
    }
    if !h.display.years.is_empty() {
        facts.push((field(lang, "temporal").to_owned(), h.display.years.clone()));
    }
    if let Some(cl) = &h.display.code_list {
        facts.push((field(lang, "code_list").to_owned(), cl.label(code).to_owned()));
    } else if !h.display.datatype.is_empty() {
        facts.push((field(lang, "datatype").to_owned(), datatype_label(&h.display.datatype, lang)));
    }
    let button = (kind == Some(RecordKind::Variable)).then(|| {
        let mut b = ListButton::new(&h.iri, &link.text, lang, false);
        b.for_request(list.contains(&h.iri), &ctx.csrf, &ctx.path_and_query);
        b
    });
    HitView {
        kind_label: kind.map(|k| capitalise(k.label(code))).unwrap_or_default(),
        link,
        notation: h.notation.clone(),
        snippet: h.snippet.clone(),
        facts,
        button,
    }
}

/// `GET /api/v1/search`.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    summary = "Sök / Search",
    description = "Samma sökning som söksidan: q, filter (typ, datamangd, utgivare, halsokategori, tema, kodverk, datatyp, status, anvandningsfall, decennium), fran/till, sortering, sida, per_sida. / The same search as the search page: q, filters, fran/till (years), sortering, sida (page), per_sida (page size).",
    params(
        ("q" = Option<String>, Query, description = "Sökord / Search words"),
        ("typ" = Option<String>, Query, description = "Posttyp, t.ex. variable / Record kind, e.g. variable"),
        ("fran" = Option<i32>, Query, minimum = 1000, maximum = 9999, description = "Från år / From year"),
        ("till" = Option<i32>, Query, minimum = 1000, maximum = 9999, description = "Till år / To year"),
        ("sida" = Option<u32>, Query, description = "Sida / Page"),
        ("per_sida" = Option<u32>, Query, description = "Träffar per sida / Hits per page"),
    ),
    responses(
        (status = 200, description = "Träffar, filter och förslag / Hits, facets and suggestions", body = Object),
        (status = 400, description = "En parameter kan inte användas / A parameter cannot be used", body = super::api::schema::PlainError),
    ))]
pub(super) async fn search_api(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let params = Params::parse(req.query_string(), state.default_lang);
    if !params.problems.is_empty() {
        return HttpResponse::BadRequest().json(serde_json::json!({ "error": params.problems }));
    }
    let request = params.request.clone();
    let cat = state.catalogue.clone();
    let started = std::time::Instant::now();
    match web::block(move || cat.search(&request)).await {
        Ok(Ok(response)) => {
            let mut body = serde_json::to_value(&response).unwrap_or_default();
            body["page"] = params.page.into();
            body["page_size"] = params.page_size.into();
            body["took_ms"] = (started.elapsed().as_secs_f64() * 1000.0).into();
            HttpResponse::Ok().json(body)
        }
        Ok(Err(e)) => HttpResponse::InternalServerError().json(serde_json::json!({ "error": e.to_string() })),
        Err(e) => HttpResponse::InternalServerError().json(serde_json::json!({ "error": e.to_string() })),
    }
}
