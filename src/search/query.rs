//! Search requests, the tantivy query they become, and the results a page or the API shows.
//!
//! Ranking: an exact technical name or code first (`HDIA`, `S72`), then matches in the label,
//! the technical name, the definition and the surrounding text (code labels, register names),
//! in that order of weight. Every word of the query must match somewhere, stemmed (Swedish or
//! English), as the prefix of a word being typed, or within one or two typos (only for a word
//! the index does not hold as typed, without digits). Hits of equal relevance come in Swedish
//! alphabetical order of their labels (the label sort's key), not in the order the index
//! happens to hold them, which a rebuild or an update may shuffle.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Order, Searcher, TantivyDocument, Term};

use super::SearchError;
use super::document::{Display, Named};
use super::facets::{FacetPass, FacetTables, ValueCounts};
use super::schema::{FacetName, Fields, fold};

/// The hits (score, address), their total and the facet counts of one search.
type Collected = (Vec<(Option<f32>, DocAddress)>, usize, Vec<ValueCounts>);

/// Largest page a caller may ask for.
pub const MAX_LIMIT: usize = 200;
/// Shortest word that is matched as the prefix of longer words (a shorter one would match
/// most of the index).
const MIN_PREFIX: usize = 3;
/// Most facet values returned per facet.
const FACET_VALUES: usize = 25;
/// Weight of a record coded with the coding system of a code typed (`J18` → ICD-10-SE).
const CODED_WITH: f32 = 2.0;
/// Weight of a code list (or a variable's code list) holding a code typed.
const HOLDS_CODE: f32 = 12.0;
/// Weight of a record coded with the coding system of codes the words name (through the
/// codes' labels and synonyms: `höftfraktur` → S72.0–S72.2 → ICD-10-SE).
const THROUGH_CONCEPT: f32 = 2.0;
/// Most codes a query's words are taken to name.
const NAMED_CODES: usize = 10;

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    #[default]
    Relevance,
    /// Label A–Ö.
    Label,
    /// Earliest first year of coverage first.
    Years,
}

impl Sort {
    pub fn param(self) -> &'static str {
        match self {
            Self::Relevance => "relevans",
            Self::Label => "namn",
            Self::Years => "ar",
        }
    }

    pub fn from_param(p: &str) -> Option<Self> {
        [Self::Relevance, Self::Label, Self::Years].into_iter().find(|s| s.param() == p)
    }
}

/// One search.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    pub text: String,
    /// Selected values per facet: values of one facet are alternatives, facets combine.
    pub filters: BTreeMap<FacetName, BTreeSet<String>>,
    /// Coverage must overlap `[year_from, year_to]`.
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

impl SearchRequest {
    /// No words, no filter, no years: the whole index, every facet counted over it.
    pub fn is_browse(&self) -> bool {
        words(&self.text).is_empty() && self.filters.values().all(BTreeSet::is_empty) && self.year_from.is_none() && self.year_to.is_none()
    }
}

/// A piece of a snippet, highlighted or not.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Fragment {
    pub text: String,
    pub highlighted: bool,
}

/// One result.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Hit {
    pub iri: String,
    pub kind: String,
    pub label_sv: String,
    pub label_en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notation: Option<String>,
    pub snippet: Vec<Fragment>,
    #[serde(flatten)]
    pub display: Display,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

impl Hit {
    pub fn label(&self, lang: &str) -> &str {
        let preferred = if lang == "en" { &self.label_en } else { &self.label_sv };
        [preferred, &self.label_sv, &self.label_en].into_iter().find(|s| !s.is_empty()).map(String::as_str).unwrap_or(&self.iri)
    }
}

/// Counts of one facet's values.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FacetCounts {
    pub name: FacetName,
    /// (value, count, selected), most frequent first; selected values always included.
    pub values: Vec<(String, u64, bool)>,
}

/// What a search found.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SearchResponse {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetCounts>,
    /// Searches that would find something (a misspelt word corrected, a word no record has
    /// left out), offered when nothing matched.
    pub suggestions: Vec<String>,
    /// What the search understood the text as: a code of a coding system, or words that name
    /// codes (through their labels and synonyms), and the coding systems whose variables it
    /// therefore found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recognised: Vec<Recognised>,
}

/// A code of a code list in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CodeRef {
    pub iri: String,
    pub notation: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sv: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl CodeRef {
    /// The label in `lang`, else Swedish, else English.
    pub fn label(&self, lang: &str) -> &str {
        let preferred = if lang == "en" { &self.en } else { &self.sv };
        [preferred, &self.sv, &self.en].into_iter().find(|s| !s.is_empty()).map(String::as_str).unwrap_or_default()
    }
}

/// A part of the search text the catalogue knows: a code typed, or words naming codes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Recognised {
    /// As typed: `J18`, `höftfraktur`.
    pub text: String,
    /// Whether the text is a code (by its form or as a code of a code list), not words.
    pub is_code: bool,
    /// The coding systems it belongs to; their variables are among the hits.
    pub systems: Vec<Named>,
    /// The codes of the catalogue's code lists it is or names.
    pub codes: Vec<CodeRef>,
}

/// A coding system of the catalogue, with the form of its codes when it states one.
#[derive(Clone, Debug)]
pub struct CodeSystem {
    pub named: Named,
    pattern: Option<regex::Regex>,
}

impl CodeSystem {
    /// Whether `word` has the form of this system's codes.
    fn matches(&self, word: &str) -> bool {
        self.pattern.as_ref().is_some_and(|p| p.is_match(word))
    }
}

/// The coding systems in the index (standards), with their code patterns compiled. A pattern
/// that does not compile is left out (and logged): the search goes on without it.
pub fn code_systems(searcher: &Searcher, f: &Fields) -> Result<Vec<CodeSystem>, SearchError> {
    let docs = searcher.search(&*term(f.kind, "standard"), &TopDocs::with_limit(100_000).order_by_score())?;
    let mut out = Vec::with_capacity(docs.len());
    for (_, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let iri = text_of(f.iri);
        let raw = text_of(f.pattern);
        let pattern = if raw.is_empty() {
            None
        } else {
            match regex::RegexBuilder::new(&format!("^(?:{raw})$")).case_insensitive(true).size_limit(1 << 20).build() {
                Ok(p) => Some(p),
                Err(e) => {
                    tracing::warn!(standard = %iri, pattern = %raw, error = %e, "a code pattern that does not compile is not used");
                    None
                }
            }
        };
        out.push(CodeSystem { named: Named { iri, sv: text_of(f.label_sv), en: text_of(f.label_en) }, pattern });
    }
    out.sort_by(|a, b| a.named.iri.cmp(&b.named.iri));
    Ok(out)
}

impl serde::Serialize for FacetName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.param())
    }
}

/// Analyses `text` with the analyser of `field`.
fn analyze(index: &Index, field: Field, text: &str) -> Vec<String> {
    let Ok(mut analyzer) = index.tokenizer_for_field(field) else { return Vec::new() };
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boost(q: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, by))
}

fn all_of(mut qs: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match qs.len() {
        0 => None,
        1 => qs.pop(),
        _ => Some(Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Must, q)).collect()))),
    }
}

fn any_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect()))
}

/// The words a user typed (split on white space and on the dash of a range such as
/// `S72.0–S72.2`; punctuation kept inside a word for codes, trimmed around it).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '–')
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '”' | '“')))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// The query for one typed word: any field, stemmed, as a prefix when it is the last word (of
/// at least three letters), or, for a word the index does not hold, with a typo or two.
fn word_query(searcher: &Searcher, f: &Fields, word: &str, last: bool) -> Option<Box<dyn Query>> {
    let index = searcher.index();
    let mut shoulds: Vec<Box<dyn Query>> = Vec::new();
    for (field, weight) in
        [(f.label_sv, 3.0), (f.label_en, 3.0), (f.notation_text, 2.0), (f.definition_sv, 1.0), (f.definition_en, 1.0), (f.context, 0.5)]
    {
        let terms: Vec<Box<dyn Query>> = analyze(index, field, word).iter().map(|t| term(field, t)).collect();
        if let Some(q) = all_of(terms) {
            shoulds.push(boost(q, weight));
        }
    }
    let plain = analyze(index, f.fuzzy, word);
    if last && let Some(p) = plain.last().filter(|p| p.chars().count() >= MIN_PREFIX) {
        let p: String = p.chars().take(24).collect();
        shoulds.push(boost(term(f.prefix, &p), 1.0));
    }
    // the head of a compound: "diagnos" in "huvuddiagnos"
    for t in &plain {
        if t.chars().count() >= 4 {
            let r: String = t.chars().rev().take(24).collect();
            shoulds.push(boost(term(f.suffix, &r), 0.6));
        }
    }
    // typos: only for a word the index does not know as it is (a known word is what was
    // meant, and its expansions would match a large part of the index), and not for codes
    // and technical names (`VAR0000124` is not a typo of `VAR0000123`)
    for t in &plain {
        let len = t.chars().count();
        if len >= 4 && !t.chars().any(|c| c.is_ascii_digit()) && searcher.doc_freq(&Term::from_field_text(f.fuzzy, t)).unwrap_or(0) == 0 {
            let distance = if len >= 8 { 2 } else { 1 };
            let q = FuzzyTermQuery::new(Term::from_field_text(f.fuzzy, t), distance, true);
            shoulds.push(boost(Box::new(q), 0.3));
        }
    }
    (!shoulds.is_empty()).then(|| any_of(shoulds))
}

fn facet_term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

/// The records coded with a coding system, all scored `weight` (however many or few records
/// the system has), leads a quarter more ([`Fields::rank`]).
fn coded_with(f: &Fields, system: &str, weight: f32) -> Box<dyn Query> {
    let coded: Box<dyn Query> = Box::new(ConstScoreQuery::new(facet_term(f.facet(FacetName::CodingSystem), system), weight));
    let lead: Box<dyn Query> = Box::new(ConstScoreQuery::new(facet_term(f.rank, "lead"), weight / 4.0));
    Box::new(BooleanQuery::new(vec![(Occur::Must, coded), (Occur::Should, lead)]))
}

/// The text part of a query (without filters) and what it recognised; `None` for an empty
/// text.
type TextQuery = Option<(Box<dyn Query>, Vec<Recognised>)>;

/// Builds the text part of the query. Every word must match; a word that is a code (a code of
/// a code list, or of the form of a coding system's codes) also matches the records coded with
/// its coding system and the code lists that hold it. Words that together name codes (by
/// their labels or synonyms) add the records coded with those codes' coding systems.
fn text_query(searcher: &Searcher, f: &Fields, systems: &[CodeSystem], text: &str) -> Result<TextQuery, SearchError> {
    let ws = words(text);
    if ws.is_empty() {
        return Ok(None);
    }
    let mut recognised: Vec<Recognised> = Vec::new();
    let mut word_queries: Vec<Box<dyn Query>> = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let mut q = word_query(searcher, f, w, i + 1 == ws.len());
        if let Some(code) = as_code(searcher, f, systems, w)? {
            let mut shoulds: Vec<Box<dyn Query>> = q.into_iter().collect();
            for s in &code.systems {
                shoulds.push(coded_with(f, &s.iri, CODED_WITH));
            }
            shoulds.push(Box::new(ConstScoreQuery::new(term(f.codes, &fold(w)), HOLDS_CODE)));
            q = Some(any_of(shoulds));
            if !recognised.contains(&code) {
                recognised.push(code);
            }
        }
        word_queries.extend(q);
    }
    let mut top: Vec<Box<dyn Query>> = Vec::new();
    if let Some(all_words) = all_of(word_queries) {
        top.push(all_words);
    }
    // an exact technical name or code wins
    let exact = fold(text.trim());
    top.push(boost(term(f.notation_exact, &exact), 30.0));
    // words naming codes: the records coded with those codes' systems
    if recognised.is_empty()
        && let Some(named) = codes_named(searcher, f, systems, text, &ws)?
    {
        for s in &named.systems {
            top.push(coded_with(f, &s.iri, THROUGH_CONCEPT));
        }
        recognised.push(named);
    }
    Ok(Some((any_of(top), recognised)))
}

/// The codes (concept documents) among `docs`, and the coding systems they are in.
fn codes_of_docs(
    searcher: &Searcher,
    f: &Fields,
    systems: &[CodeSystem],
    docs: Vec<(f32, DocAddress)>,
) -> Result<(Vec<CodeRef>, Vec<Named>), SearchError> {
    let coding_field = f.facet(FacetName::CodingSystem);
    let mut codes = Vec::new();
    let mut system_iris = BTreeSet::new();
    for (_, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        codes.push(CodeRef { iri: text_of(f.iri), notation: text_of(f.notation), sv: text_of(f.label_sv), en: text_of(f.label_en) });
        system_iris.extend(doc.get_all(coding_field).filter_map(|v| v.as_str()).map(str::to_owned));
    }
    let named = system_iris
        .into_iter()
        .map(|iri| systems.iter().find(|s| s.named.iri == iri).map(|s| s.named.clone()).unwrap_or(Named { iri, ..Named::default() }))
        .collect();
    Ok((codes, named))
}

/// A word taken as a code: a code of the catalogue's code lists (`S72.0`, or `S720` as a
/// register writes it), or of the form a coding system states for its codes (`J18`).
fn as_code(searcher: &Searcher, f: &Fields, systems: &[CodeSystem], word: &str) -> Result<Option<Recognised>, SearchError> {
    let exact = fold(word);
    let docs = searcher.search(
        &BooleanQuery::new(vec![(Occur::Must, term(f.notation_exact, &exact)), (Occur::Must, term(f.kind, "concept"))]),
        &TopDocs::with_limit(NAMED_CODES).order_by_score(),
    )?;
    let (codes, mut named) = codes_of_docs(searcher, f, systems, docs)?;
    for s in systems.iter().filter(|s| s.matches(word)) {
        if named.iter().all(|n| n.iri != s.named.iri) {
            named.push(s.named.clone());
        }
    }
    if codes.is_empty() && named.is_empty() {
        return Ok(None);
    }
    Ok(Some(Recognised { text: word.to_owned(), is_code: true, systems: named, codes }))
}

/// The codes whose label or synonyms hold every word (`höftfraktur` → S72.0–S72.2), with
/// their coding systems.
fn codes_named(
    searcher: &Searcher,
    f: &Fields,
    systems: &[CodeSystem],
    text: &str,
    ws: &[&str],
) -> Result<Option<Recognised>, SearchError> {
    let index = searcher.index();
    let mut musts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, term(f.kind, "concept"))];
    for w in ws {
        let mut shoulds: Vec<Box<dyn Query>> = Vec::new();
        for field in [f.label_sv, f.label_en, f.synonyms_sv, f.synonyms_en] {
            let terms: Vec<Box<dyn Query>> = analyze(index, field, w).iter().map(|t| term(field, t)).collect();
            shoulds.extend(all_of(terms));
        }
        if shoulds.is_empty() {
            return Ok(None);
        }
        musts.push((Occur::Must, any_of(shoulds)));
    }
    let docs = searcher.search(&BooleanQuery::new(musts), &TopDocs::with_limit(NAMED_CODES).order_by_score())?;
    let (codes, named) = codes_of_docs(searcher, f, systems, docs)?;
    if codes.is_empty() {
        return Ok(None);
    }
    Ok(Some(Recognised { text: text.trim().to_owned(), is_code: false, systems: named, codes }))
}

/// The year-range clauses of a request (the facet filters are applied by [`FacetPass`]).
fn year_filters(f: &Fields, req: &SearchRequest) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if let Some(to) = req.year_to {
        out.push(Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(Term::from_field_i64(f.year_from, i64::from(to))))));
    }
    if let Some(from) = req.year_from {
        out.push(Box::new(RangeQuery::new(Bound::Included(Term::from_field_i64(f.year_to, i64::from(from))), Bound::Unbounded)));
    }
    out
}

fn combine(text: Option<&dyn Query>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if filters.is_empty() {
        return text.map(|t| t.box_clone()).unwrap_or_else(|| Box::new(AllQuery));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters.into_iter().map(|q| (Occur::Must, q)).collect();
    clauses.push((Occur::Must, text.map(|t| t.box_clone()).unwrap_or_else(|| Box::new(AllQuery))));
    Box::new(BooleanQuery::new(clauses))
}

/// Runs a search: one pass over the documents that match the text and the years, which
/// collects the page of hits and the total among those that pass the facet filters, and
/// counts every facet (see [`FacetPass`]).
pub fn run(
    searcher: &Searcher,
    f: &Fields,
    tables: &FacetTables,
    systems: &[CodeSystem],
    req: &SearchRequest,
) -> Result<SearchResponse, SearchError> {
    let limit = req.limit.clamp(1, MAX_LIMIT);
    let (text, recognised) = match text_query(searcher, f, systems, &req.text)? {
        Some((q, r)) => (Some(q), r),
        None => (None, Vec::new()),
    };
    let query = combine(text.as_deref(), year_filters(f, req));
    let selected: Vec<(FacetName, Vec<String>)> =
        req.filters.iter().filter(|(_, v)| !v.is_empty()).map(|(n, v)| (*n, v.iter().cloned().collect())).collect();

    // hits, total and facet counts
    let sort = if text.is_none() && req.sort == Sort::Relevance { Sort::Label } else { req.sort };
    let top = TopDocs::with_limit(limit).and_offset(req.offset);
    let (addresses, total, counts): Collected = match sort {
        Sort::Relevance => {
            // ties by label, so the order is the same after every rebuild and on every page
            let ranked =
                top.order_by(((SortBySimilarityScore, Order::Desc), (SortByStaticFastValue::<u64>::for_field("sort_label"), Order::Asc)));
            let ((docs, total), counts) = searcher.search(&*query, &FacetPass::new(tables, FACET_VALUES, selected, (ranked, Count)))?;
            (docs.into_iter().map(|((s, _), a)| (Some(s), a)).collect(), total, counts)
        }
        Sort::Label => {
            let collector = (top.order_by_fast_field::<u64>("sort_label", Order::Asc), Count);
            let ((docs, total), counts) = searcher.search(&*query, &FacetPass::new(tables, FACET_VALUES, selected, collector))?;
            (docs.into_iter().map(|(_, a)| (None, a)).collect(), total, counts)
        }
        Sort::Years => {
            let collector = (top.order_by_fast_field::<i64>("year_from", Order::Asc), Count);
            let ((docs, total), counts) = searcher.search(&*query, &FacetPass::new(tables, FACET_VALUES, selected, collector))?;
            (docs.into_iter().map(|(_, a)| (None, a)).collect(), total, counts)
        }
    };

    // snippets from the definition, for the hits of the page only
    let snippets = match &text {
        Some(t) if !addresses.is_empty() => {
            let mut g = SnippetGenerator::create(searcher, &**t, f.definition_sv)?;
            g.set_max_num_chars(180);
            Some(g)
        }
        _ => None,
    };
    let mut hits = Vec::with_capacity(addresses.len());
    for (score, addr) in addresses {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let definition = text_of(f.definition_sv);
        let snippet = match &snippets {
            Some(g) if !definition.is_empty() => fragments(&g.snippet(&definition), &definition),
            _ => plain_fragment(&definition),
        };
        let display: Display = serde_json::from_str(&text_of(f.display)).unwrap_or_default();
        let notation = text_of(f.notation);
        hits.push(Hit {
            iri: text_of(f.iri),
            kind: text_of(f.kind),
            label_sv: text_of(f.label_sv),
            label_en: text_of(f.label_en),
            notation: (!notation.is_empty()).then_some(notation),
            snippet,
            display,
            score,
        });
    }

    let facets = facet_counts(counts, req);
    let suggestions = if total == 0 && text.is_some() { suggest(searcher, f, systems, &req.text)? } else { Vec::new() };
    Ok(SearchResponse { total, hits, facets, suggestions, recognised })
}

/// The most frequent values of each facet (as counted), with the selected ones always shown.
fn facet_counts(counts: Vec<ValueCounts>, req: &SearchRequest) -> Vec<FacetCounts> {
    FacetName::ALL
        .into_iter()
        .zip(counts)
        .map(|(name, counted)| {
            let chosen = req.filters.get(&name).cloned().unwrap_or_default();
            let mut values: Vec<(String, u64, bool)> = counted
                .into_iter()
                .map(|(v, n)| {
                    let selected = chosen.contains(&v);
                    (v, n, selected)
                })
                .collect();
            for c in &chosen {
                if values.iter().all(|(v, _, _)| v != c) {
                    values.push((c.clone(), 0, true));
                }
            }
            if name == FacetName::Decade {
                values.sort_by(|a, b| a.0.cmp(&b.0));
            }
            FacetCounts { name, values }
        })
        .filter(|fc| !fc.values.is_empty())
        .collect()
}

/// A search that would find something, for a text that found nothing: each word the index
/// does not hold is replaced by the closest word of a label or synonym (one typo in a short
/// word, two in a long one), a word with no close match (or a code that matches nothing) is
/// left out, and the result is offered only when it differs from the text and finds records.
/// Nothing is offered rather than a guess.
fn suggest(searcher: &Searcher, f: &Fields, systems: &[CodeSystem], text: &str) -> Result<Vec<String>, SearchError> {
    let mut kept: Vec<String> = Vec::new();
    let mut changed = false;
    for w in words(text) {
        let tokens = analyze(searcher.index(), f.fuzzy, w);
        let known = !tokens.is_empty() && tokens.iter().all(|t| searcher.doc_freq(&Term::from_field_text(f.fuzzy, t)).unwrap_or(0) > 0);
        if known {
            kept.push(w.to_owned());
            continue;
        }
        changed = true;
        let folded = fold(w);
        if folded.chars().count() < 4 || folded.chars().any(|c| !c.is_alphabetic()) {
            continue;
        }
        if let Some(better) = closest_word(searcher, f, &folded)? {
            // as the word was typed: capitalised if it was
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            kept.push(if capital { capitalised(&better) } else { better });
        }
    }
    if !changed || kept.is_empty() {
        return Ok(Vec::new());
    }
    let candidate = kept.join(" ");
    let finds = match text_query(searcher, f, systems, &candidate)? {
        Some((q, _)) => searcher.search(&*q, &Count)? > 0,
        None => false,
    };
    Ok(if finds && fold(&candidate) != fold(text.trim()) { vec![candidate] } else { Vec::new() })
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The letters that fold to `c` (the first letter of a word typed without å, ä, ö).
fn unfolded_firsts(c: char) -> Vec<char> {
    match c {
        'a' => vec!['a', 'å', 'ä', 'à', 'á'],
        'o' => vec!['o', 'ö', 'ø', 'ó'],
        'e' => vec!['e', 'é', 'è'],
        'u' => vec!['u', 'ü'],
        c => vec![c],
    }
}

/// The word of the index's labels and synonyms closest to `folded` (a word folded to lower
/// case ASCII): within one edit for a word of up to seven letters, two for a longer one, and
/// starting with the same letter; of equally close words the most frequent.
fn closest_word(searcher: &Searcher, f: &Fields, folded: &str) -> Result<Option<String>, SearchError> {
    let len = folded.chars().count();
    let limit = if len >= 8 { 2 } else { 1 };
    let Some(first) = folded.chars().next() else { return Ok(None) };
    let mut best: Option<(usize, u32, String)> = None;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(f.spelling)?;
        for c in unfolded_firsts(first) {
            let mut from = [0u8; 4];
            let lo = c.encode_utf8(&mut from).as_bytes().to_vec();
            let Some(next) = char::from_u32(c as u32 + 1) else { continue };
            let mut to = [0u8; 4];
            let hi = next.encode_utf8(&mut to).as_bytes().to_vec();
            let mut stream = inverted.terms().range().ge(&lo).lt(&hi).into_stream().map_err(|e| SearchError::Directory(e.to_string()))?;
            while stream.advance() {
                let Ok(word) = std::str::from_utf8(stream.key()) else { continue };
                let n = word.chars().count();
                if n.abs_diff(len) > limit || n < 3 {
                    continue;
                }
                let d = edit_distance(&fold(word), folded, limit);
                if d > limit {
                    continue;
                }
                let freq = stream.value().doc_freq;
                let better = match &best {
                    None => true,
                    Some((bd, bf, _)) => d < *bd || (d == *bd && freq > *bf),
                };
                if better {
                    best = Some((d, freq, word.to_owned()));
                }
            }
        }
    }
    Ok(best.map(|(_, _, w)| w))
}

/// Levenshtein distance of `a` and `b` (with a transposition counted as one edit), or more
/// than `limit` as soon as it is known to exceed it.
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut before: Vec<usize> = (0..=b.len()).collect();
    let mut previous = before.clone();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return limit + 1;
        }
        before = std::mem::replace(&mut previous, std::mem::take(&mut current));
        current = vec![0; b.len() + 1];
    }
    previous[b.len()]
}

fn fragments(snippet: &tantivy::snippet::Snippet, full: &str) -> Vec<Fragment> {
    let text = snippet.fragment();
    if text.is_empty() {
        return plain_fragment(full);
    }
    let mut out = Vec::new();
    let mut at = 0;
    for r in snippet.highlighted() {
        if r.start > at {
            out.push(Fragment { text: text[at..r.start].to_owned(), highlighted: false });
        }
        out.push(Fragment { text: text[r.clone()].to_owned(), highlighted: true });
        at = r.end;
    }
    if at < text.len() {
        out.push(Fragment { text: text[at..].to_owned(), highlighted: false });
    }
    let range = snippet.fragment_range();
    if range.end < full.len() {
        out.push(Fragment { text: " …".into(), highlighted: false });
    }
    out
}

fn plain_fragment(text: &str) -> Vec<Fragment> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut cut: String = text.chars().take(180).collect();
    if cut.len() < text.len() {
        cut.push_str(" …");
    }
    vec![Fragment { text: cut, highlighted: false }]
}
