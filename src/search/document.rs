//! Turning public records into index documents.
//!
//! A document carries, besides its own text, what a searcher filters and reads by: the datasets
//! that hold a variable and their publishers, health categories and themes, the coding systems,
//! the use cases, the years covered, and the labels of its codes. Those come from other
//! records, so a [`Context`] caches what it has read during one indexing run.

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use super::schema::{FacetName, Fields, sort_key};
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::xsd;
use crate::model::{Concept, LangString, LangText, Period, Representation};
use crate::store::read::PublicReads;
use crate::store::{RecordMeta, StoreError};

/// The kinds of record that are searched.
pub const INDEXED_KINDS: [RecordKind; 6] =
    [RecordKind::Dataset, RecordKind::Variable, RecordKind::CodeList, RecordKind::Concept, RecordKind::UseCase, RecordKind::Standard];

/// A link as stored with a hit, so results render without reading the store.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Named {
    pub iri: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sv: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Named {
    fn of(iri: &NamedNode, label: &LangText) -> Self {
        Self {
            iri: iri.as_str().to_owned(),
            sv: label.get("sv").or_else(|| label.get("")).unwrap_or_default().to_owned(),
            en: label.get("en").unwrap_or_default().to_owned(),
        }
    }

    /// The label in `lang`, else Swedish, else the IRI.
    pub fn label(&self, lang: &str) -> &str {
        let preferred = if lang == "en" { &self.en } else { &self.sv };
        [preferred, &self.sv, &self.en].into_iter().find(|s| !s.is_empty()).map(String::as_str).unwrap_or(&self.iri)
    }
}

/// What a hit shows besides its label and snippet.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Display {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub publishers: Vec<Named>,
    /// XSD local name, or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub datatype: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_list: Option<Named>,
    /// "1964–", "1997–2008".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub years: String,
    pub state: String,
}

/// Records already in hand (typed), with the metadata the store gave them: an import indexes
/// what it has just written without reading it back.
pub type Known = HashMap<NamedNode, (RecordMeta, Resource)>;

/// Reads around a record while building its document; caches across one run.
pub struct Context<'a> {
    cat: PublicReads<'a>,
    known: Option<&'a Known>,
    resources: HashMap<NamedNode, Option<Resource>>,
    use_cases: Option<HashMap<NamedNode, Vec<NamedNode>>>,
    concepts: HashMap<NamedNode, Vec<Concept>>,
}

impl<'a> Context<'a> {
    pub fn new(cat: PublicReads<'a>) -> Self {
        Self { cat, known: None, resources: HashMap::new(), use_cases: None, concepts: HashMap::new() }
    }

    /// A context that takes records from `known` before it reads the store.
    pub fn with_known(cat: PublicReads<'a>, known: Option<&'a Known>) -> Self {
        Self { known, ..Self::new(cat) }
    }

    fn resource(&mut self, iri: &NamedNode) -> Result<Option<&Resource>, StoreError> {
        if let Some((meta, r)) = self.known.and_then(|k| k.get(iri)) {
            return Ok(meta.state.is_public().then_some(r));
        }
        if !self.resources.contains_key(iri) {
            let r = self.cat.resource(iri.as_ref())?.map(|(_, r)| r);
            self.resources.insert(iri.clone(), r);
        }
        Ok(self.resources[iri].as_ref())
    }

    fn named(&mut self, iri: &NamedNode) -> Result<Named, StoreError> {
        Ok(match self.resource(iri)? {
            Some(r) => Named::of(iri, r.label()),
            None => Named { iri: iri.as_str().to_owned(), ..Named::default() },
        })
    }

    /// Use cases naming `iri` (one query for the whole run: use cases are few).
    fn use_cases_of(&mut self, iri: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        if self.use_cases.is_none() {
            let mut map: HashMap<NamedNode, Vec<NamedNode>> = HashMap::new();
            let mut all = self.cat.store().iris_of_kind(RecordKind::UseCase)?;
            all.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
            for iri in all {
                if let Some((_, Resource::UseCase(u))) = self.cat.resource(iri.as_ref())? {
                    for target in u.variables.iter().chain(&u.datasets) {
                        map.entry(target.clone()).or_default().push(u.iri.clone());
                    }
                }
            }
            self.use_cases = Some(map);
        }
        Ok(self.use_cases.as_ref().and_then(|m| m.get(iri)).cloned().unwrap_or_default())
    }

    fn concepts(&mut self, scheme: &NamedNode) -> Result<&[Concept], StoreError> {
        if !self.concepts.contains_key(scheme) {
            let mut c = Vec::new();
            for iri in self.cat.concept_iris(scheme)? {
                if let Some(Resource::Concept(concept)) = self.resource(&iri)? {
                    c.push(concept.clone());
                }
            }
            crate::store::read::sort_concepts(&mut c);
            self.concepts.insert(scheme.clone(), c);
        }
        Ok(&self.concepts[scheme])
    }
}

/// Collects the values of one document before it is written.
struct Builder<'f> {
    f: &'f Fields,
    doc: TantivyDocument,
    facets: BTreeSet<(FacetName, String)>,
    prefix_words: BTreeSet<String>,
    years: Option<(i32, Option<i32>)>,
    /// A numbered repeat of a variable (see [`is_numbered_repeat`]) or a dataset: not a lead
    /// (`Fields::rank`).
    repeat: bool,
}

impl<'f> Builder<'f> {
    fn new(f: &'f Fields, meta: &RecordMeta) -> Self {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.iri, meta.iri.as_str());
        doc.add_text(f.kind, meta.kind.as_str());
        let mut b = Self { f, doc, facets: BTreeSet::new(), prefix_words: BTreeSet::new(), years: None, repeat: false };
        b.facet(FacetName::Kind, meta.kind.as_str());
        b.facet(FacetName::Status, if meta.state == crate::store::RecordState::Retired { "retired" } else { "published" });
        b
    }

    fn facet(&mut self, name: FacetName, value: &str) {
        if !value.is_empty() {
            self.facets.insert((name, value.to_owned()));
        }
    }

    fn label(&mut self, label: &LangText) {
        let sv = label.get("sv").or_else(|| label.get("")).unwrap_or_default();
        let en = label.get("en").unwrap_or_default();
        self.doc.add_text(self.f.label_sv, sv);
        self.doc.add_text(self.f.label_en, en);
        for text in [sv, en] {
            self.words(text);
        }
        let sort_source = if sv.is_empty() { en } else { sv };
        self.doc.add_u64(self.f.sort_label, sort_key(sort_source));
    }

    /// Words a searcher may type or start typing, and misspell.
    fn words(&mut self, text: &str) {
        self.doc.add_text(self.f.fuzzy, text);
        self.doc.add_text(self.f.spelling, text);
        self.prefix_words.extend(text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned));
    }

    fn notation(&mut self, notation: Option<&str>) {
        if let Some(n) = notation.filter(|n| !n.is_empty()) {
            self.doc.add_text(self.f.notation, n);
            self.doc.add_text(self.f.notation_exact, n);
            self.doc.add_text(self.f.notation_text, n);
            self.doc.add_text(self.f.fuzzy, n);
            self.prefix_words.insert(n.to_owned());
        }
    }

    /// A code's notation: also found written without its point (`S720` for `S72.0`, as the
    /// registers write ICD codes).
    fn code_notation(&mut self, notation: Option<&str>) {
        self.notation(notation);
        if let Some(n) = notation.filter(|n| n.contains('.')) {
            self.doc.add_text(self.f.notation_exact, n.replace('.', ""));
        }
    }

    /// A code held by this code list (or by a variable's code list).
    fn code(&mut self, code: &str) {
        self.doc.add_text(self.f.codes, code);
        if code.contains('.') {
            self.doc.add_text(self.f.codes, code.replace('.', ""));
        }
    }

    /// A code's synonyms and search words.
    fn synonyms(&mut self, labels: &[LangString]) {
        for l in labels {
            let field = if l.lang == "en" { self.f.synonyms_en } else { self.f.synonyms_sv };
            self.doc.add_text(field, &l.value);
            self.words(&l.value);
        }
    }

    fn definition(&mut self, text: &LangText) {
        if let Some(sv) = text.get("sv").or_else(|| text.get("")) {
            self.doc.add_text(self.f.definition_sv, sv);
        }
        if let Some(en) = text.get("en") {
            self.doc.add_text(self.f.definition_en, en);
        }
    }

    fn context(&mut self, text: &str) {
        if !text.is_empty() {
            self.doc.add_text(self.f.context, text);
        }
    }

    fn context_label(&mut self, label: &LangText) {
        for (_, t) in label.iter() {
            self.context(t);
        }
    }

    fn periods(&mut self, periods: &[Period]) {
        let start = periods.iter().filter_map(|p| p.start.as_ref()?.year()).min();
        if let Some(start) = start {
            let open = periods.iter().any(|p| p.end.is_none());
            let end = if open { None } else { periods.iter().filter_map(|p| p.end.as_ref()?.year()).max() };
            self.years = Some((start, end));
        }
    }

    fn finish(mut self, display: &Display) -> TantivyDocument {
        for w in &self.prefix_words {
            self.doc.add_text(self.f.prefix, w);
            if w.chars().count() >= 5 {
                self.doc.add_text(self.f.suffix, super::schema::reversed(w));
            }
        }
        if let Some((start, end)) = self.years {
            self.doc.add_i64(self.f.year_from, i64::from(start));
            self.doc.add_i64(self.f.year_to, i64::from(end.unwrap_or(9999)));
            let this_year = chrono::Datelike::year(&chrono::Utc::now());
            let last = end.unwrap_or(this_year).max(start);
            let mut decade = start - start.rem_euclid(10);
            while decade <= last {
                self.facets.insert((FacetName::Decade, decade.to_string()));
                decade += 10;
            }
        }
        for (name, value) in &self.facets {
            self.doc.add_text(self.f.facet(*name), value);
        }
        if !self.repeat {
            self.doc.add_text(self.f.rank, "lead");
        }
        self.doc.add_text(self.f.display, serde_json::to_string(display).expect("display serialises"));
        self.doc
    }
}

fn years_label(periods: &[Period]) -> String {
    periods.iter().map(Period::label).collect::<Vec<_>>().join(", ")
}

/// The index document of a public record, or `None` for kinds that are not searched.
pub fn document(ctx: &mut Context<'_>, f: &Fields, meta: &RecordMeta, resource: &Resource) -> Result<Option<TantivyDocument>, StoreError> {
    if !INDEXED_KINDS.contains(&meta.kind) {
        return Ok(None);
    }
    let mut b = Builder::new(f, meta);
    let mut display = Display { state: meta.state.label("sv").to_owned(), ..Display::default() };
    b.label(resource.label());
    match resource {
        Resource::Variable(v) => {
            b.repeat = is_numbered_repeat(v.notation.as_deref(), v.label.get("sv").unwrap_or_default());
            b.notation(v.notation.as_deref());
            b.definition(&v.definition);
            for note in &v.scope_notes {
                b.context(&note.value);
            }
            b.periods(&v.temporal);
            display.years = years_label(&v.temporal);
            let mut coding: BTreeSet<NamedNode> = v.coding_systems.iter().cloned().collect();
            match &v.representation {
                Some(Representation::CodeList { scheme, datatype }) => {
                    b.facet(FacetName::Datatype, "codelist");
                    display.datatype = datatype.as_str().trim_start_matches(xsd::NS).to_owned();
                    display.code_list = Some(ctx.named(scheme)?);
                    if let Some(Resource::CodeList(cl)) = ctx.resource(scheme)? {
                        coding.extend(cl.conforms_to.iter().cloned());
                        let title = cl.title.clone();
                        b.context_label(&title);
                    }
                    for c in ctx.concepts(scheme)? {
                        if let Some(code) = &c.notation {
                            b.context(code);
                            b.code(code);
                        }
                        b.context_label(&c.label);
                        for synonym in c.alt_labels.iter().chain(&c.hidden_labels) {
                            b.context(&synonym.value);
                        }
                    }
                }
                Some(Representation::Datatype(d)) => {
                    let local = d.as_str().trim_start_matches(xsd::NS);
                    b.facet(FacetName::Datatype, local);
                    display.datatype = local.to_owned();
                }
                None => {}
            }
            for c in &coding {
                b.facet(FacetName::CodingSystem, c.as_str());
            }
            for d in &v.datasets {
                dataset_facets(ctx, &mut b, &mut display, d)?;
            }
            for u in ctx.use_cases_of(&v.iri)? {
                b.facet(FacetName::UseCase, u.as_str());
            }
            if let Some(owner) = v.owner()
                && display.publishers.iter().all(|p| p.iri != owner.as_str())
            {
                display.publishers.push(ctx.named(owner)?);
            }
        }
        Resource::Dataset(d) => {
            // found alike with its variables, a register comes after them
            b.repeat = true;
            b.notation(d.identifier.as_deref());
            b.definition(&d.description);
            for k in &d.keywords {
                b.context(&k.value);
            }
            b.periods(&d.temporal);
            display.years = years_label(&d.temporal);
            dataset_facets(ctx, &mut b, &mut display, &d.iri)?;
            for c in &d.coding_systems {
                b.facet(FacetName::CodingSystem, c.as_str());
            }
            display.datasets.clear();
            for parent in &d.is_part_of {
                display.datasets.push(ctx.named(parent)?);
            }
            for u in ctx.use_cases_of(&d.iri)? {
                b.facet(FacetName::UseCase, u.as_str());
            }
        }
        Resource::CodeList(c) => {
            b.notation(c.identifier.as_deref());
            b.definition(&c.description);
            for s in &c.conforms_to {
                b.facet(FacetName::CodingSystem, s.as_str());
            }
            if let Some(p) = &c.publisher {
                b.facet(FacetName::Publisher, p.as_str());
                display.publishers.push(ctx.named(p)?);
            }
            for k in ctx.concepts(&c.iri)? {
                if let Some(code) = &k.notation {
                    b.context(code);
                    b.code(code);
                }
                b.context_label(&k.label);
                for synonym in k.alt_labels.iter().chain(&k.hidden_labels) {
                    b.context(&synonym.value);
                }
            }
        }
        Resource::Concept(c) => {
            b.code_notation(c.notation.as_deref());
            b.synonyms(&c.alt_labels);
            b.synonyms(&c.hidden_labels);
            b.definition(&c.definition);
            for scheme in &c.in_scheme {
                display.code_list = Some(ctx.named(scheme)?);
                if let Some(Resource::CodeList(cl)) = ctx.resource(scheme)? {
                    let (conforms, title) = (cl.conforms_to.clone(), cl.title.clone());
                    for s in conforms {
                        b.facet(FacetName::CodingSystem, s.as_str());
                    }
                    b.context_label(&title);
                }
            }
        }
        Resource::UseCase(u) => {
            b.notation(u.identifier.as_deref());
            b.definition(&u.description);
            for d in &u.datasets {
                b.facet(FacetName::Dataset, d.as_str());
                display.datasets.push(ctx.named(d)?);
            }
            b.facet(FacetName::UseCase, u.iri.as_str());
        }
        Resource::Standard(st) => {
            // found alike with the variables coded with it (a code of its form typed), a coding
            // system comes after them
            b.repeat = true;
            // the OIDs are its codes: found whole
            b.notation(st.identifiers.first().map(String::as_str));
            for oid in st.identifiers.iter().skip(1) {
                b.doc.add_text(f.notation_exact, oid);
            }
            b.definition(&st.description);
            b.facet(FacetName::CodingSystem, st.iri.as_str());
            if let Some(p) = &st.publisher {
                b.facet(FacetName::Publisher, p.as_str());
                display.publishers.push(ctx.named(p)?);
            }
            if let Some(pattern) = st.code_pattern.as_deref().filter(|p| !p.trim().is_empty()) {
                b.doc.add_text(f.pattern, pattern);
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(b.finish(&display)))
}

/// Whether a variable is the second or a later of a numbered series of columns: its technical
/// name and its label end in the same number, 2 or more (`DIA12` "Diagnos 12", `OPD3`
/// "Operationsdatum 3"), as registers number repeated columns.
fn is_numbered_repeat(notation: Option<&str>, label: &str) -> bool {
    let number = |s: &str| -> Option<u32> {
        let digits: String = s.trim().chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
        digits.parse().ok()
    };
    match (notation.and_then(number), number(label)) {
        (Some(a), Some(b)) => a == b && a >= 2,
        _ => false,
    }
}

/// Facets and display data that a record inherits from a dataset that holds it.
fn dataset_facets(ctx: &mut Context<'_>, b: &mut Builder<'_>, display: &mut Display, d: &NamedNode) -> Result<(), StoreError> {
    b.facet(FacetName::Dataset, d.as_str());
    let Some(Resource::Dataset(ds)) = ctx.resource(d)?.cloned() else {
        display.datasets.push(Named { iri: d.as_str().to_owned(), ..Named::default() });
        return Ok(());
    };
    display.datasets.push(Named::of(d, &ds.title));
    b.context_label(&ds.title);
    // a subset is also found under its parent register
    for parent in &ds.is_part_of {
        b.facet(FacetName::Dataset, parent.as_str());
    }
    if let Some(p) = &ds.publisher {
        b.facet(FacetName::Publisher, p.as_str());
        if display.publishers.iter().all(|x| x.iri != p.as_str()) {
            display.publishers.push(ctx.named(p)?);
        }
    }
    for c in &ds.health_categories {
        b.facet(FacetName::HealthCategory, c.as_str());
    }
    for t in ds.themes.iter().chain(&ds.health_themes) {
        b.facet(FacetName::Theme, t.as_str());
    }
    Ok(())
}
