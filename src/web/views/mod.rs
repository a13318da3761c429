//! View structs (askama templates) and the functions that fill them from typed records.
//!
//! Views hold display-ready text only: every label is already in the page language and every
//! link already a path, so templates stay free of logic. Builders read through the catalogue
//! service and run on a blocking thread.

use std::collections::HashMap;

use askama::Template;
use oxigraph::model::NamedNode;

pub mod compare;
pub mod examples;
pub mod guide;
pub mod history;
pub mod versions;
pub mod work;

use super::kernel::labels::{datatype_label, vocab_label};
pub use super::kernel::page::{Chrome, Val, link_target};
pub use super::kernel::words::list_heading;
use super::kernel::words::{field, texts};
use crate::catalog::Catalogue;
use crate::catalog::{RecordMeta, StoreError};
use crate::config::Lang;
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::xsd;
use crate::model::{
    Agent, CodeList, Concept, DataService, Dataset, Distribution, LangString, LangText, Period, Standard, UseCase, Variable,
};

/// A labelled list of values.
pub struct Fact {
    pub label: String,
    pub values: Vec<Val>,
}

/// A headed group of facts.
pub struct Section {
    pub id: String,
    pub heading: String,
    pub facts: Vec<Fact>,
}

/// A headed table.
pub struct Table {
    pub id: String,
    pub heading: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Val>>,
    /// A table of variables: each row's button of the variable list (parallel to `rows`).
    pub listed: Vec<ListButton>,
    /// A register's variables: its IRI and how many, for "add all".
    pub add_all: Option<(String, String)>,
}

impl Table {
    /// The heading of column `i` (the label a cell shows before its value on a phone).
    pub fn label_of(&self, i: impl std::borrow::Borrow<usize>) -> &str {
        self.headers.get(*i.borrow()).map(String::as_str).unwrap_or_default()
    }
}

/// The button that adds a variable to the list, or says it is there and removes it. One form
/// that posts without JavaScript; `static/list.js` sends it in the background and turns it
/// into the other form (the words of both are in its `data-words`).
pub struct ListButton {
    pub iri: String,
    /// The variable's label, read out after the button's word.
    pub name: String,
    pub in_list: bool,
    pub csrf: String,
    /// Where the form returns without JavaScript (the row or hit, by its fragment).
    pub return_to: String,
    pub add: &'static str,
    pub in_list_word: &'static str,
    pub remove: &'static str,
}

impl ListButton {
    /// The button of the variable `iri` in `lang` (short words for table rows); `in_list`,
    /// `csrf` and `return_to` are the request's.
    pub fn new(iri: &str, name: &str, lang: Lang, short: bool) -> Self {
        use super::kernel::words::varlist as w;
        Self {
            iri: iri.to_owned(),
            name: name.to_owned(),
            in_list: false,
            csrf: String::new(),
            return_to: String::new(),
            add: if short { w::ADD_SHORT.get(lang) } else { w::ADD.get(lang) },
            in_list_word: if short { w::IN_LIST_SHORT.get(lang) } else { w::IN_LIST.get(lang) },
            remove: w::REMOVE.get(lang),
        }
    }

    /// The anchor of its row or hit on the page.
    pub fn anchor(&self) -> String {
        let tail = self.iri.rsplit('/').next().unwrap_or_default();
        let safe: String = tail.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        format!("v-{safe}")
    }

    /// Fills in what the request knows: whether the list holds it, the form's token, the
    /// page to return to (at this button's row).
    pub fn for_request(&mut self, in_list: bool, csrf: &str, path_and_query: &str) {
        self.in_list = in_list;
        self.csrf = csrf.to_owned();
        let path = path_and_query.split('#').next().unwrap_or_default();
        self.return_to = format!("{path}#{}", self.anchor());
    }
}

/// The validity of a list's codes on one time axis: a table whose rows say each code's period
/// in words, with a bar beside (the bar is decoration; the text carries it).
pub struct Timeline {
    pub heading: String,
    pub headers: [String; 3],
    pub axis_start: i32,
    pub axis_end: i32,
    pub rows: Vec<TimelineRow>,
}

pub struct TimelineRow {
    pub code: Val,
    pub label: String,
    pub period: String,
    pub left: u32,
    pub width: u32,
}

/// A time-coverage bar, positioned in percent of an axis.
pub struct Coverage {
    pub label: String,
    pub axis_start: i32,
    pub axis_end: i32,
    pub left: u32,
    pub width: u32,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub counts: Vec<(String, u64, String)>,
    pub usecases: Vec<(Val, Val)>,
    pub datasets: Vec<(Val, Val)>,
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub heading: String,
    pub items: Vec<ListItem>,
    pub total: u64,
    pub first: u64,
    pub last: u64,
    pub page: u64,
    pub pages: u64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

pub struct ListItem {
    pub link: Val,
    pub code: Option<String>,
    pub detail: Val,
}

#[derive(Template)]
#[template(path = "record.html")]
pub struct RecordPage {
    pub chrome: Chrome,
    pub kind_label: String,
    pub title: Val,
    pub code: Option<String>,
    pub lead: Option<Val>,
    pub notice: Option<Val>,
    pub coverage: Option<Coverage>,
    pub sections: Vec<Section>,
    /// Code lists and coded variables: when each code was valid, when any code has a period.
    pub timeline: Option<Timeline>,
    pub tables: Vec<Table>,
    pub iri: String,
    /// The permanent link, when `link_target` allows the IRI as a link.
    pub iri_href: Option<String>,
    pub state: String,
    pub version: u64,
    pub modified: String,
    /// Variables only: list, downloads and comparison.
    pub actions: Option<VariableActions>,
    /// Datasets only: the variables as a workbook or CSV, and the change feed (label, href).
    pub dataset_links: Vec<(String, String)>,
    /// Signed-in people only: drafts, workflow, comments (`web::curation`).
    pub curation: Option<CurationBar>,
    /// Datasets only: score and completeness (`web::quality`).
    pub quality: Option<QualityBlock>,
    /// A version other than the current one, or the page as of a day: which, and since when.
    pub banner: Option<versions::VersionBanner>,
    /// Variables: how to cite the version shown.
    pub citation: Option<versions::CitationBlock>,
    /// Links to the record's published versions.
    pub versions: Vec<Val>,
    /// The form token and return path of "add all" (`web::pages` fills them in).
    pub list_csrf: String,
    pub list_return: String,
    /// The column heading of the table's list buttons.
    pub list_column: &'static str,
    /// Datasets only: the quality and utility label and the yearly confirmation (`web::label`).
    pub label: Option<super::label::LabelBlock>,
    /// Agents only: the organisation's maturity self-assessment (`web::label`).
    pub maturity: Option<super::label::MaturityBlock>,
    /// The label's and maturity's words.
    pub lw: &'static super::kernel::words::label::LabelTexts,
    /// Variables, codes, code lists and coding systems: the same thing in other registers.
    pub same: Option<compare::SameSection>,
}

/// What a signed-in person sees and can do on a record page or its draft.
pub struct CurationBar {
    pub csrf: String,
    /// `/variable/x`
    pub base: String,
    pub viewing_draft: bool,
    /// The page to come back to after a comment.
    pub here: String,
    /// The open draft's state label and author, when there is one.
    pub draft: Option<(String, String, String)>,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_review: bool,
    /// In review, for a reviewer: what publishing would change, classified (`None`: a first
    /// publication, or nothing to compare).
    pub classified: Option<Vec<versions::ChangeLine>>,
    pub review_heading: &'static str,
    pub review_none: &'static str,
    pub review_rule: &'static str,
    pub review_rule_href: String,
    pub can_retire: bool,
    pub comments: Vec<(String, String, String)>,
    /// The draft page only: what the draft changes against the published version, and the
    /// pre-publish check of its links.
    pub review: Option<history::DraftReview>,
}

/// The quality block of a dataset's page.
pub struct QualityBlock {
    pub points: u32,
    pub max: u32,
    pub rating: &'static str,
    pub completeness: u32,
    pub recommended: (usize, usize),
    pub missing: String,
    /// The breakdown page (datasets minted here).
    pub href: Option<String>,
}

/// What a reader can do with a variable.
pub struct VariableActions {
    pub button: ListButton,
    pub downloads: Vec<(String, String)>,
    pub compare_href: Option<String>,
    pub compare_count: usize,
}

#[derive(Template)]
#[template(path = "about.html")]
pub struct AboutPage {
    pub chrome: Chrome,
    pub base_iri: String,
}

/// The page for machines (`/om/data`), also what a browser asking for `/catalog` sees.
#[derive(Template)]
#[template(path = "about_data.html")]
pub struct AboutDataPage {
    pub chrome: Chrome,
    /// The harvest address, absolute.
    pub catalog_iri: String,
    /// The SPARQL endpoint, absolute.
    pub sparql_iri: String,
    /// (name, description, address of its first page)
    pub profiles: Vec<(&'static str, &'static str, String)>,
    /// (title, address of the SPARQL page with the query filled in)
    pub examples: Vec<(&'static str, String)>,
    pub default_page_size: u64,
    pub max_page_size: u64,
    /// Whether this is `/catalog` answered to a browser.
    pub at_catalog: bool,
    /// What the JSON API is, in the page's language.
    pub api_intro: &'static str,
    /// (address, what is there): the API's page, its OpenAPI document, a collection.
    pub api_links: Vec<(String, &'static str)>,
}

/// The page for machines, at `/om/data` or (`at_catalog`) as `/catalog` answers a browser.
pub fn about_data(ctx: &super::kernel::context::Ctx, base: &str, at_catalog: bool) -> AboutDataPage {
    use super::kernel::paths;
    use super::kernel::words::about_data;
    use crate::publish::paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
    use crate::publish::profile::Profile;
    let t = texts(ctx.lang);
    let nav = if at_catalog { "" } else { "about" };
    AboutDataPage {
        chrome: Chrome::new(ctx.lang, t.about_data_title, &ctx.path_and_query, nav),
        catalog_iri: format!("{base}catalog"),
        sparql_iri: format!("{base}sparql"),
        profiles: Profile::ALL
            .iter()
            .map(|p| {
                (p.as_str(), super::kernel::words::profile_description(*p, ctx.lang), super::kernel::paths::catalog_page(p.as_str(), 1))
            })
            .collect(),
        examples: examples::examples(ctx.lang),
        default_page_size: DEFAULT_PAGE_SIZE,
        max_page_size: MAX_PAGE_SIZE,
        at_catalog,
        api_intro: about_data::API_INTRO.get(ctx.lang),
        api_links: vec![
            (paths::API_PAGE.to_owned(), about_data::API_PAGE.get(ctx.lang)),
            (paths::API_DOCUMENT.to_owned(), about_data::API_DOCUMENT.get(ctx.lang)),
            (paths::api_collection("variables"), about_data::API_LIST.get(ctx.lang)),
        ],
    }
}

/// The list pages: kind, its path, its heading key.
pub const LIST_KINDS: &[RecordKind] = &[
    RecordKind::Dataset,
    RecordKind::Variable,
    RecordKind::CodeList,
    RecordKind::UseCase,
    RecordKind::Agent,
    RecordKind::Standard,
    RecordKind::Distribution,
    RecordKind::DataService,
];

/// The main-menu key of a kind.
pub fn nav_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Dataset | RecordKind::Distribution | RecordKind::DataService => "datasets",
        RecordKind::Variable => "variables",
        RecordKind::CodeList | RecordKind::Concept => "codelists",
        RecordKind::UseCase => "usecases",
        RecordKind::Agent => "agents",
        RecordKind::Standard => "standards",
        RecordKind::Catalog => "",
    }
}

/// Builds record pages with links that carry the labels of what they point to.
pub struct PageBuilder<'a> {
    pub cat: &'a Catalogue,
    pub lang: Lang,
    labels: HashMap<NamedNode, LangText>,
    /// The codes to show for a code list (a version's, as of a day) instead of today's.
    codes: Option<Vec<Concept>>,
}

impl<'a> PageBuilder<'a> {
    pub fn new(cat: &'a Catalogue, lang: Lang) -> Self {
        Self { cat, lang, labels: HashMap::new(), codes: None }
    }

    /// Shows these codes for the code list of the page (a code list's own, or a variable's)
    /// instead of the codes it holds now.
    pub fn with_codes(mut self, codes: Vec<Concept>) -> Self {
        self.codes = Some(codes);
        self
    }

    /// The codes of a code list: those given by [`PageBuilder::with_codes`], else today's.
    fn codes_of(&self, scheme: &NamedNode) -> Result<Vec<Concept>, StoreError> {
        match &self.codes {
            Some(codes) => Ok(codes.clone()),
            None => self.cat.concepts_of(scheme),
        }
    }

    fn f(&self, key: &str) -> String {
        field(self.lang, key).to_owned()
    }

    /// Loads the labels of the given IRIs (public records only).
    fn preload(&mut self, iris: &[NamedNode]) -> Result<(), StoreError> {
        let missing: Vec<NamedNode> = iris.iter().filter(|i| !self.labels.contains_key(*i)).cloned().collect();
        self.labels.extend(self.cat.labels(&missing)?);
        Ok(())
    }

    /// A link to a record of the catalogue, or the IRI as an external link / vocabulary label.
    fn link(&self, iri: &NamedNode) -> Val {
        if let Some(label) = self.labels.get(iri) {
            let mut v = Val::lang_text(label, self.lang);
            if v.text.is_empty() {
                v.text = iri.as_str().to_owned();
            }
            v.href = Some(self.cat.minter().path(iri.as_str()));
            return v;
        }
        let label = vocab_label(iri.as_str(), self.lang);
        let known_vocab = label != super::kernel::labels::last_segment(iri.as_str()) || iri.as_str().contains("/authority/");
        if known_vocab {
            Val::text(label)
        } else if iri.as_str().starts_with("http") {
            Val::external(iri.as_str())
        } else {
            Val::code(iri.as_str())
        }
    }

    fn links(&self, iris: &[NamedNode]) -> Vec<Val> {
        iris.iter().map(|i| self.link(i)).collect()
    }

    fn fact(&self, key: &str, values: Vec<Val>) -> Option<Fact> {
        (!values.is_empty()).then(|| Fact { label: self.f(key), values })
    }

    fn text_fact(&self, key: &str, text: &LangText) -> Option<Fact> {
        (!text.is_empty()).then(|| Fact { label: self.f(key), values: vec![Val::lang_text(text, self.lang)] })
    }

    fn keywords(&self, kws: &[LangString]) -> Vec<Val> {
        let lang = self.lang.code();
        let mut own: Vec<Val> = kws.iter().filter(|k| k.lang == lang).map(|k| Val::text(&k.value)).collect();
        if own.is_empty() {
            own = kws.iter().map(|k| Val { lang: Some(k.lang.clone()), ..Val::text(&k.value) }).collect();
        }
        own
    }

    fn periods(&self, periods: &[Period]) -> Vec<Val> {
        periods.iter().map(|p| Val::text(p.label())).collect()
    }

    fn section(&self, id: &str, key: &str, facts: Vec<Option<Fact>>) -> Option<Section> {
        let facts: Vec<Fact> = facts.into_iter().flatten().collect();
        (!facts.is_empty()).then(|| Section { id: id.into(), heading: self.f(key), facts })
    }

    fn notice(&self, needs_input: bool, note: &LangText) -> Option<Val> {
        if !needs_input && note.is_empty() {
            return None;
        }
        Some(Val::lang_text(note, self.lang))
    }

    /// The page of any public record.
    pub fn record_page(mut self, meta: &RecordMeta, resource: &Resource, path: &str) -> Result<RecordPage, StoreError> {
        let lang = self.lang;
        let title_text = resource.label().clone();
        let mut page = RecordPage {
            chrome: Chrome::new(lang, title_text.best(lang.code()), path, nav_of(meta.kind)),
            kind_label: capitalise(meta.kind.label(lang.code())),
            title: Val::lang_text(&title_text, lang),
            code: None,
            lead: None,
            notice: None,
            coverage: None,
            sections: Vec::new(),
            timeline: None,
            tables: Vec::new(),
            iri: meta.iri.as_str().to_owned(),
            iri_href: link_target(meta.iri.as_str()).map(str::to_owned),
            state: meta.state.label(lang.code()).to_owned(),
            version: meta.version,
            modified: meta.modified.format("%Y-%m-%d %H:%M UTC").to_string(),
            actions: None,
            dataset_links: Vec::new(),
            curation: None,
            quality: None,
            banner: None,
            citation: None,
            versions: Vec::new(),
            list_csrf: String::new(),
            list_return: String::new(),
            list_column: super::kernel::words::varlist::COLUMN.get(lang),
            label: None,
            maturity: None,
            lw: super::kernel::words::label::texts(lang),
            same: None,
        };
        if page.title.text.is_empty() {
            page.title = Val::code(meta.iri.as_str());
            page.chrome.title = meta.iri.as_str().to_owned();
        }
        match resource {
            Resource::Dataset(d) => self.dataset(&mut page, d)?,
            Resource::Variable(v) => self.variable(&mut page, v)?,
            Resource::CodeList(c) => self.code_list(&mut page, c)?,
            Resource::Concept(c) => self.concept(&mut page, c)?,
            Resource::UseCase(u) => self.use_case(&mut page, u)?,
            Resource::Agent(a) => self.agent(&mut page, a)?,
            Resource::Standard(s) => self.standard(&mut page, s)?,
            Resource::Distribution(d) => self.distribution(&mut page, d)?,
            Resource::DataService(s) => self.data_service(&mut page, s)?,
            Resource::Catalog(c) => {
                page.lead = (!c.description.is_empty()).then(|| Val::lang_text(&c.description, lang));
            }
        }
        Ok(page)
    }

    fn dataset(&mut self, page: &mut RecordPage, d: &Dataset) -> Result<(), StoreError> {
        if let Some((_, id)) = self.cat.minter().parse(d.iri.as_str()) {
            let en = self.lang == Lang::En;
            page.dataset_links = vec![
                (
                    if en { "Variables (XLSX workbook)" } else { "Variabler (XLSX-arbetsbok)" }.into(),
                    format!("/dataset/{id}/variabler.xlsx"),
                ),
                (if en { "Variables (CSV)" } else { "Variabler (CSV)" }.into(), format!("/dataset/{id}/variabler.csv")),
                (if en { "Changes (Atom feed)" } else { "Ändringar (Atom-flöde)" }.into(), format!("/dataset/{id}/feed.atom")),
            ];
        }
        let variables = self.cat.variables_of_dataset(&d.iri)?;
        let parts = self.cat.parts_of(&d.iri)?;
        let use_cases = self.cat.use_cases_of(&d.iri)?;
        let mut all: Vec<NamedNode> = Vec::new();
        all.extend(d.publisher.iter().cloned());
        all.extend(d.contact_points.iter().cloned());
        all.extend(d.attributions.iter().map(|a| a.agent.clone()));
        all.extend(d.is_part_of.iter().cloned());
        all.extend(d.in_series.iter().cloned());
        all.extend(d.hdab.iter().cloned());
        all.extend(d.coding_systems.iter().cloned());
        all.extend(d.distributions.iter().cloned());
        all.extend(parts.iter().cloned());
        all.extend(use_cases.iter().cloned());
        self.preload(&all)?;

        page.code = d.identifier.clone();
        page.lead = (!d.description.is_empty()).then(|| Val::lang_text(&d.description, self.lang));
        page.notice = self.notice(d.needs_input, &d.editorial_note);
        let owners: Vec<NamedNode> = d.owner().into_iter().cloned().collect();
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("publisher", self.links(d.publisher.as_slice())),
                self.fact("owner", self.links(&owners)),
                self.fact("contact", self.links(&d.contact_points)),
                self.fact("part_of", self.links(&d.is_part_of)),
                self.fact("in_series", self.links(&d.in_series)),
                self.fact("keywords", self.keywords(&d.keywords)),
                self.fact("themes", self.links(&d.themes)),
                self.fact("temporal", self.periods(&d.temporal)),
                self.fact("spatial", self.links(&d.spatial)),
                self.fact("access_rights", self.links(d.access_rights.as_slice())),
                self.fact("frequency", self.links(d.accrual_periodicity.as_slice())),
                self.fact("language", self.links(&d.languages)),
                self.fact("dataset_type", self.links(d.dataset_type.as_slice())),
                self.fact("landing_page", self.links(&d.landing_pages)),
                self.fact("documentation", self.links(&d.pages)),
                self.fact("conforms_to", self.links(&d.conforms_to)),
                self.fact("legislation", self.links(&d.applicable_legislation)),
                d.provenance.first().and_then(|p| self.text_fact("provenance", p)),
            ],
        ));
        let ages = match (d.min_typical_age, d.max_typical_age) {
            (None, None) => vec![],
            (a, b) => vec![Val::text(format!(
                "{}–{}",
                a.map(|x| x.to_string()).unwrap_or_default(),
                b.map(|x| x.to_string()).unwrap_or_default()
            ))],
        };
        page.sections.extend(self.section(
            "halsodata",
            "health",
            vec![
                self.fact("health_category", self.links(&d.health_categories)),
                self.fact("health_theme", self.links(&d.health_themes)),
                self.fact("hdab", self.links(d.hdab.as_slice())),
                self.fact("coding_systems", self.links(&d.coding_systems)),
                self.text_fact("population", &d.population_coverage),
                self.fact("records", d.number_of_records.map(|n| Val::text(n.to_string())).into_iter().collect()),
                self.fact("individuals", d.number_of_unique_individuals.map(|n| Val::text(n.to_string())).into_iter().collect()),
                self.fact("ages", ages),
                self.fact(
                    "personal_data",
                    d.personal_data.iter().map(|i| Val::text(super::kernel::labels::last_segment(i.as_str()))).collect(),
                ),
                self.fact("purpose", d.purposes.iter().map(|i| Val::text(super::kernel::labels::last_segment(i.as_str()))).collect()),
            ],
        ));
        if !parts.is_empty() {
            page.sections.extend(self.section("delmangder", "parts", vec![self.fact("parts", self.links(&parts))]));
        }
        if !d.distributions.is_empty() {
            let mut rows = Vec::new();
            for dist in &d.distributions {
                let (title, access, format) = match self.cat.public_resource(dist.as_ref())? {
                    Some((_, Resource::Distribution(x))) => (
                        self.link(dist),
                        x.access_urls.first().map(|u| Val::external(u.as_str())).unwrap_or_else(|| Val::text("")),
                        Val::text(
                            x.format
                                .as_ref()
                                .map(|f| vocab_label(f.as_str(), self.lang))
                                .or_else(|| x.media_type_label().map(str::to_owned))
                                .unwrap_or_default(),
                        ),
                    ),
                    _ => (Val::external(dist.as_str()), Val::text(""), Val::text("")),
                };
                rows.push(vec![title, access, format]);
            }
            page.tables.push(Table {
                listed: Vec::new(),
                add_all: None,
                id: "distributioner".into(),
                heading: self.f("distributions"),
                headers: vec![self.f("title"), self.f("access_url"), self.f("format")],
                rows,
            });
        }
        if !variables.is_empty() {
            let mut table = self.variables_table(&variables)?;
            if !table.listed.is_empty() {
                let words = super::kernel::words::varlist::add_all(self.lang, table.listed.len());
                table.add_all = Some((d.iri.as_str().to_owned(), words));
            }
            page.tables.push(table);
        }
        if !use_cases.is_empty() {
            page.sections.extend(self.section("anvandningsfall", "use_cases", vec![self.fact("use_cases", self.links(&use_cases))]));
        }
        Ok(())
    }

    /// A table of variables: technical name, label, data type, coverage.
    fn variables_table(&mut self, variables: &[NamedNode]) -> Result<Table, StoreError> {
        let mut rows = Vec::new();
        let mut listed = Vec::new();
        for iri in variables {
            if let Some((_, Resource::Variable(v))) = self.cat.public_resource(iri.as_ref())? {
                let mut label = Val::lang_text(&v.label, self.lang);
                label.href = Some(self.cat.minter().path(iri.as_str()));
                listed.push(ListButton::new(iri.as_str(), &label.text, self.lang, true));
                rows.push(vec![
                    Val::code(v.notation.clone().unwrap_or_default()),
                    label,
                    Val::text(v.representation.as_ref().map(|r| self.datatype_text(r.datatype())).unwrap_or_default()),
                    Val::text(v.temporal.iter().map(Period::label).collect::<Vec<_>>().join(", ")),
                ]);
            }
        }
        Ok(Table {
            listed,
            add_all: None,
            id: "variabler".into(),
            heading: self.f("variables_in"),
            headers: vec![self.f("technical_name"), self.f("label"), self.f("datatype"), self.f("temporal")],
            rows,
        })
    }

    fn datatype_text(&self, datatype: &NamedNode) -> String {
        match datatype.as_str().strip_prefix(xsd::NS) {
            Some(local) => datatype_label(local, self.lang),
            None => datatype.as_str().to_owned(),
        }
    }

    fn variable(&mut self, page: &mut RecordPage, v: &Variable) -> Result<(), StoreError> {
        let use_cases = self.cat.use_cases_of(&v.iri)?;
        let related = self.cat.related_variables(v, true)?;
        let same = compare::same_section(self.cat, &v.iri, Some(v), self.lang)?;
        let mut all: Vec<NamedNode> = Vec::new();
        all.extend(v.datasets.iter().cloned());
        all.extend(v.attributions.iter().map(|a| a.agent.clone()));
        all.extend(v.coding_systems.iter().cloned());
        all.extend(v.representation.as_ref().and_then(|r| r.code_list().cloned()));
        all.extend(v.requirements.iter().map(|r| r.collection.clone()));
        all.extend(v.concepts.iter().cloned());
        all.extend(v.exact_matches.iter().cloned());
        all.extend(use_cases.iter().cloned());
        all.extend(related.iter().cloned());
        self.preload(&all)?;

        page.code = v.notation.clone();
        page.lead = (!v.definition.is_empty()).then(|| Val::lang_text(&v.definition, self.lang));
        page.notice = self.notice(v.needs_input, &v.editorial_note);
        if let Some((start, end)) = v.coverage_years() {
            let this_year = chrono::Datelike::year(&chrono::Utc::now());
            let axis_start = start.min(1960).min(start);
            let axis_end = this_year.max(end.unwrap_or(this_year));
            let span = (axis_end - axis_start + 1).max(1) as f64;
            let stop = end.unwrap_or(this_year);
            page.coverage = Some(Coverage {
                label: format!("{start}–{}", end.map(|e| e.to_string()).unwrap_or_else(|| texts(self.lang).coverage_open.to_owned())),
                axis_start,
                axis_end,
                left: (((start - axis_start) as f64 / span) * 100.0).round() as u32,
                width: ((((stop - start).max(0) + 1) as f64 / span) * 100.0).round().clamp(1.0, 100.0) as u32,
            });
        }
        let owners: Vec<NamedNode> = v.owner().into_iter().cloned().collect();
        let (datatype, code_list) = match &v.representation {
            Some(r) => {
                (vec![Val::text(self.datatype_text(r.datatype()))], self.links(&r.code_list().cloned().into_iter().collect::<Vec<_>>()))
            }
            None => (vec![], vec![]),
        };
        let range = match (&v.minimum, &v.maximum) {
            (None, None) => vec![],
            (a, b) => vec![Val::text(format!(
                "{} – {}",
                a.as_ref().map(|l| l.value().to_owned()).unwrap_or_default(),
                b.as_ref().map(|l| l.value().to_owned()).unwrap_or_default()
            ))],
        };
        let other = if self.lang == Lang::En { "sv" } else { "en" };
        let other_text = |t: &LangText| -> Vec<Val> {
            t.get(other)
                .filter(|x| Some(*x) != t.get(self.lang.code()))
                .map(|x| Val { lang: Some(other.into()), ..Val::text(x) })
                .into_iter()
                .collect()
        };
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("label_other", other_text(&v.label)),
                self.fact("definition_other", other_text(&v.definition)),
                self.fact("technical_name", v.notation.iter().map(Val::code).collect()),
                self.fact("datatype", datatype),
                self.fact("code_list", code_list),
                self.fact("coding_systems", self.links(&v.coding_systems)),
                self.fact("unit", v.unit.iter().map(Val::code).collect()),
                self.fact("range", range),
                self.fact("missing", v.missing_values.iter().map(Val::code).collect()),
                self.fact("temporality", v.temporality.map(|t| Val::text(t.label(self.lang.code()))).into_iter().collect()),
                self.fact("unit_type", v.unit_type.map(|u| Val::text(u.label(self.lang.code()))).into_iter().collect()),
                self.fact("temporal", self.periods(&v.temporal)),
                self.fact("datasets", self.links(&v.datasets)),
                self.fact("owner", self.links(&owners)),
                self.fact("scope_note", self.keywords(&v.scope_notes)),
                self.text_fact("io_note", &v.input_output_note),
                self.fact("concept", self.links(&v.concepts)),
                self.fact("exact_match", self.links(&v.exact_matches)),
                self.fact("source", self.links(&v.sources)),
                self.fact("see_also", self.links(&v.see_also)),
                self.text_fact("reference_group", &v.reference_group),
                self.fact("priority", v.priority.map(|p| Val::text(p.to_string())).into_iter().collect()),
                self.fact("use_cases", self.links(&use_cases)),
            ],
        ));
        if !v.missing_meanings.is_empty() {
            page.tables.push(Table {
                listed: Vec::new(),
                add_all: None,
                id: "saknade".into(),
                heading: self.f("missing_meanings"),
                headers: vec![self.f("missing_value"), self.f("meaning")],
                rows: v
                    .missing_values
                    .iter()
                    .map(|code| {
                        let meaning = v.missing_meaning(code).map(|m| Val::lang_text(m, self.lang)).unwrap_or_else(|| Val::text(""));
                        vec![Val::code(code), meaning]
                    })
                    .collect(),
            });
        }
        if !v.requirements.is_empty() {
            page.tables.push(Table {
                listed: Vec::new(),
                add_all: None,
                id: "krav".into(),
                heading: self.f("requirements"),
                headers: vec![self.f("collection"), self.f("level"), self.f("condition")],
                rows: v
                    .requirements
                    .iter()
                    .map(|r| {
                        vec![self.link(&r.collection), Val::text(r.level.label(self.lang.code())), Val::lang_text(&r.condition, self.lang)]
                    })
                    .collect(),
            });
        }
        if let Some(scheme) = v.representation.as_ref().and_then(|r| r.code_list()) {
            let codes = self.codes_of(scheme)?;
            if !codes.is_empty() {
                page.tables.push(self.codes_table(&codes));
                page.timeline = self.timeline(&codes);
            }
        }
        if !related.is_empty() {
            page.sections.extend(self.section("relaterade", "related", vec![self.fact("related", self.links(&related))]));
        }
        let id = self.cat.minter().parse(v.iri.as_str()).map(|(_, id)| id);
        let mut downloads = Vec::new();
        if let Some(id) = &id {
            for (label, ext) in [("JSON", "json"), ("Turtle", "ttl"), ("CSV", "csv")] {
                downloads.push((label.to_owned(), format!("/variable/{id}.{ext}")));
            }
        }
        let compare_count = same.as_ref().map(|s| s.rows.len().min(compare::MAX - 1)).unwrap_or(0);
        page.actions = Some(VariableActions {
            button: ListButton::new(v.iri.as_str(), v.label.best(self.lang.code()), self.lang, false),
            downloads,
            compare_href: same.as_ref().and_then(|s| s.compare.as_ref().map(|(_, h)| h.clone())),
            compare_count,
        });
        page.same = same;
        Ok(())
    }

    /// The codes' validity on one axis of years (from the earliest start, or 1960, to this
    /// year or the latest end); `None` when no code has a validity period.
    fn timeline(&self, codes: &[Concept]) -> Option<Timeline> {
        let year = |t: &Option<crate::model::Temporal>| t.as_ref().and_then(|t| t.year());
        if codes.iter().all(|c| year(&c.valid_from).is_none() && year(&c.valid_through).is_none()) {
            return None;
        }
        let this_year = chrono::Datelike::year(&chrono::Utc::now());
        let axis_start =
            codes.iter().filter_map(|c| year(&c.valid_from).or(year(&c.valid_through))).min().unwrap_or(this_year).min(this_year);
        let axis_end = codes.iter().filter_map(|c| year(&c.valid_through)).max().unwrap_or(this_year).max(this_year);
        let span = (axis_end - axis_start + 1).max(1) as f64;
        let w = texts(self.lang);
        let rows = codes
            .iter()
            .map(|c| {
                let (from, to) = (year(&c.valid_from), year(&c.valid_through));
                let (start, stop) = (from.unwrap_or(axis_start), to.unwrap_or(axis_end));
                let shown = |t: &Option<crate::model::Temporal>| t.as_ref().map(|t| t.value().to_owned());
                let period = match (shown(&c.valid_from), shown(&c.valid_through)) {
                    (None, None) => w.timeline_always.to_owned(),
                    (Some(a), None) => format!("{a}–"),
                    (None, Some(b)) => format!("–{b}"),
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                };
                let mut code = Val::code(c.notation.clone().unwrap_or_default());
                code.href = Some(self.cat.minter().path(c.iri.as_str()));
                TimelineRow {
                    code,
                    label: c.label.best(self.lang.code()).to_owned(),
                    period,
                    left: (((start - axis_start).max(0) as f64 / span) * 100.0).round() as u32,
                    width: ((((stop - start).max(0) + 1) as f64 / span) * 100.0).round().clamp(1.0, 100.0) as u32,
                }
            })
            .collect();
        Some(Timeline {
            heading: w.timeline.to_owned(),
            headers: [self.f("code"), self.f("label"), w.timeline_period.to_owned()],
            axis_start,
            axis_end,
            rows,
        })
    }

    fn codes_table(&self, codes: &[Concept]) -> Table {
        Table {
            listed: Vec::new(),
            add_all: None,
            id: "koder".into(),
            heading: self.f("codes"),
            headers: vec![self.f("code"), self.f("label_sv"), self.f("label_en"), self.f("valid_from"), self.f("valid_to")],
            rows: codes
                .iter()
                .map(|c| {
                    let mut code = Val::code(c.notation.clone().unwrap_or_default());
                    code.href = Some(self.cat.minter().path(c.iri.as_str()));
                    vec![
                        code,
                        Val { lang: Some("sv".into()), ..Val::text(c.label.get("sv").unwrap_or("")) },
                        Val { lang: Some("en".into()), ..Val::text(c.label.get("en").unwrap_or("")) },
                        Val::text(c.valid_from.as_ref().map(|t| t.value().to_owned()).unwrap_or_default()),
                        Val::text(c.valid_through.as_ref().map(|t| t.value().to_owned()).unwrap_or_default()),
                    ]
                })
                .collect(),
        }
    }

    fn code_list(&mut self, page: &mut RecordPage, c: &CodeList) -> Result<(), StoreError> {
        let codes = self.codes_of(&c.iri)?;
        let users = self.cat.variables_using_code_list(&c.iri)?;
        let mut all: Vec<NamedNode> = c.conforms_to.clone();
        all.extend(c.publisher.iter().cloned());
        all.extend(users.iter().cloned());
        self.preload(&all)?;
        page.code = c.identifier.clone();
        page.lead = (!c.description.is_empty()).then(|| Val::lang_text(&c.description, self.lang));
        page.notice = self.notice(c.needs_input, &c.editorial_note);
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("conforms_to", self.links(&c.conforms_to)),
                self.fact("publisher", self.links(c.publisher.as_slice())),
                self.fact("source", self.links(&c.sources)),
                self.fact("version", c.version.iter().map(Val::text).collect()),
            ],
        ));
        page.tables.push(self.codes_table(&codes));
        page.timeline = self.timeline(&codes);
        if !users.is_empty() {
            page.sections.extend(self.section("variabler", "variables_using", vec![self.fact("variables_using", self.links(&users))]));
        }
        page.same = compare::same_section(self.cat, &c.iri, None, self.lang)?;
        Ok(())
    }

    /// A text in one language, marked when it is not the page's.
    fn lang_string(&self, l: &crate::model::LangString) -> Val {
        let mut v = Val::text(l.value.clone());
        if !l.lang.is_empty() && l.lang != self.lang.code() {
            v.lang = Some(l.lang.clone());
        }
        v
    }

    fn concept(&mut self, page: &mut RecordPage, c: &Concept) -> Result<(), StoreError> {
        let mut all = c.in_scheme.clone();
        all.extend(c.broader.iter().cloned());
        self.preload(&all)?;
        page.code = c.notation.clone();
        page.lead = (!c.definition.is_empty()).then(|| Val::lang_text(&c.definition, self.lang));
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("code", c.notation.iter().map(Val::code).collect()),
                self.fact("synonyms", c.alt_labels.iter().map(|l| self.lang_string(l)).collect()),
                self.fact("in_scheme", self.links(&c.in_scheme)),
                self.fact("broader", self.links(&c.broader)),
                self.fact("valid_from", c.valid_from.iter().map(|t| Val::text(t.value())).collect()),
                self.fact("valid_to", c.valid_through.iter().map(|t| Val::text(t.value())).collect()),
                self.fact("exact_match", self.links(&c.exact_matches)),
                self.text_fact("scope_note", &c.scope_note),
            ],
        ));
        page.same = compare::same_section(self.cat, &c.iri, None, self.lang)?;
        Ok(())
    }

    fn use_case(&mut self, page: &mut RecordPage, u: &UseCase) -> Result<(), StoreError> {
        self.preload(&u.datasets)?;
        page.code = u.identifier.clone();
        page.lead = (!u.description.is_empty()).then(|| Val::lang_text(&u.description, self.lang));
        page.notice = self.notice(u.needs_input, &u.editorial_note);
        page.sections.extend(self.section(
            "datamangder",
            "overview",
            vec![self.fact("datasets", self.links(&u.datasets)), self.text_fact("scope_note", &u.scope_note)],
        ));
        if !u.variables.is_empty() {
            page.tables.push(self.variables_table(&u.variables)?);
        }
        Ok(())
    }

    fn agent(&mut self, page: &mut RecordPage, a: &Agent) -> Result<(), StoreError> {
        let published = self.cat.datasets_published_by(&a.iri)?;
        let others = self.cat.others_published_by(&a.iri)?;
        let owned = self.cat.owned_by(&a.iri)?;
        let mut all = published.clone();
        all.extend(others.iter().cloned());
        all.extend(owned.iter().cloned());
        all.extend(a.spatial.iter().cloned());
        self.preload(&all)?;
        page.lead = (!a.description.is_empty()).then(|| Val::lang_text(&a.description, self.lang));
        page.notice = self.notice(a.needs_input, &a.editorial_note);
        let mut contact = Vec::new();
        if let Some(c) = &a.contact {
            if let Some(e) = c.email() {
                contact.push(Val::link(e, format!("mailto:{e}")));
            }
            contact.extend(c.urls.iter().map(|u| Val::external(u.as_str())));
        }
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("org_type", self.links(a.publisher_type.as_slice())),
                self.fact("org_number", a.identifier.iter().map(Val::code).collect()),
                self.fact("region", self.links(&a.spatial)),
                self.fact("homepage", self.links(a.homepage.as_slice())),
                self.fact("contact", contact),
            ],
        ));
        page.sections.extend(self.section(
            "poster",
            "agent_records",
            vec![
                self.fact("published_datasets", self.links(&published)),
                self.fact("published_other", self.links(&others)),
                self.fact("owned", self.links(&owned)),
            ],
        ));
        Ok(())
    }

    fn standard(&mut self, page: &mut RecordPage, s: &Standard) -> Result<(), StoreError> {
        let users = self.cat.variables_using_standard(&s.iri)?;
        let mut all = users.clone();
        all.extend(s.version_of.iter().cloned());
        all.extend(s.publisher.iter().cloned());
        self.preload(&all)?;
        page.code = s.identifiers.first().cloned();
        page.lead = (!s.description.is_empty()).then(|| Val::lang_text(&s.description, self.lang));
        page.notice = self.notice(s.needs_input, &s.editorial_note);
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("oid", s.identifiers.iter().map(Val::code).collect()),
                self.fact("code_pattern", s.code_pattern.iter().map(Val::code).collect()),
                self.fact("same_as", s.same_as.iter().map(|i| Val::code(i.as_str())).collect()),
                self.fact("version_of", self.links(&s.version_of)),
                self.fact("publisher", self.links(s.publisher.as_slice())),
                self.fact("documentation", self.links(&s.pages)),
                self.fact("see_also", self.links(&s.see_also)),
                self.text_fact("scope_note", &s.scope_note),
            ],
        ));
        if !users.is_empty() {
            page.tables.push(self.variables_table(&users)?);
        }
        Ok(())
    }

    fn distribution(&mut self, page: &mut RecordPage, d: &Distribution) -> Result<(), StoreError> {
        self.preload(&d.access_services)?;
        page.lead = (!d.description.is_empty()).then(|| Val::lang_text(&d.description, self.lang));
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("access_url", self.links(&d.access_urls)),
                self.fact("download_url", self.links(&d.download_urls)),
                self.fact("format", self.links(d.format.as_slice())),
                self.fact("media_type", self.links(d.media_type.as_slice())),
                self.fact("license", self.links(d.license.as_slice())),
                d.rights.first().and_then(|r| self.text_fact("rights", r)),
                self.fact("availability", self.links(d.availability.as_slice())),
                self.fact("legislation", self.links(&d.applicable_legislation)),
                self.fact("byte_size", d.byte_size.map(|b| Val::text(b.to_string())).into_iter().collect()),
                self.fact("endpoint", self.links(&d.access_services)),
            ],
        ));
        Ok(())
    }

    fn data_service(&mut self, page: &mut RecordPage, s: &DataService) -> Result<(), StoreError> {
        let mut all = s.serves_datasets.clone();
        all.extend(s.publisher.iter().cloned());
        all.extend(s.contact_points.iter().cloned());
        self.preload(&all)?;
        page.lead = (!s.description.is_empty()).then(|| Val::lang_text(&s.description, self.lang));
        page.sections.extend(self.section(
            "oversikt",
            "overview",
            vec![
                self.fact("endpoint", self.links(&s.endpoint_urls)),
                self.fact("endpoint_description", self.links(&s.endpoint_descriptions)),
                self.fact("format", self.links(&s.formats)),
                self.fact("publisher", self.links(s.publisher.as_slice())),
                self.fact("contact", self.links(&s.contact_points)),
                self.fact("serves", self.links(&s.serves_datasets)),
                self.fact("access_rights", self.links(s.access_rights.as_slice())),
                self.fact("license", self.links(s.license.as_slice())),
                self.fact("keywords", self.keywords(&s.keywords)),
            ],
        ));
        Ok(())
    }

    /// One line of a list page.
    pub fn list_item(&mut self, r: &Resource) -> Result<ListItem, StoreError> {
        let mut link = Val::lang_text(r.label(), self.lang);
        if link.text.is_empty() {
            link.text = r.iri().as_str().to_owned();
        }
        link.href = Some(self.cat.minter().path(r.iri().as_str()));
        let (code, detail) = match r {
            Resource::Variable(v) => {
                self.preload(&v.datasets)?;
                let ds = v.datasets.iter().map(|d| self.link(d).text).collect::<Vec<_>>().join(", ");
                (v.notation.clone(), Val::text(ds))
            }
            Resource::Dataset(d) => {
                self.preload(d.publisher.as_slice())?;
                (
                    None,
                    d.publisher
                        .as_ref()
                        .map(|p| self.link(p))
                        .map(|mut v| {
                            v.href = None;
                            v
                        })
                        .unwrap_or_else(|| Val::text("")),
                )
            }
            Resource::CodeList(c) => (c.identifier.clone(), Val::lang_text(&c.description, self.lang)),
            Resource::UseCase(u) => (u.identifier.clone(), Val::lang_text(&u.description, self.lang)),
            Resource::Agent(a) => {
                (None, Val::text(a.publisher_type.as_ref().map(|t| vocab_label(t.as_str(), self.lang)).unwrap_or_default()))
            }
            Resource::Standard(s) => (s.identifiers.first().cloned(), Val::lang_text(&s.description, self.lang)),
            _ => (None, Val::text("")),
        };
        Ok(ListItem { link, code, detail })
    }
}

/// The text with its first letter in upper case.
pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
