//! Search requests, the tantivy query they become, and the results a page or the API shows.
//!
//! Ranking: an exact technical name or code first (`HDIA`, `S72`), then matches in the label,
//! the technical name, the definition and the surrounding text (code labels, register names),
//! in that order of weight. Every word of the query must match somewhere, stemmed (Swedish or
//! English), as the prefix of a word being typed, or within one or two typos (only for a word
//! the index does not hold as typed, without digits).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Order, Searcher, TantivyDocument, Term};

use super::SearchError;
use super::document::Display;
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
    /// Labels of near matches, offered when nothing matched.
    pub suggestions: Vec<String>,
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

/// The words a user typed (split on white space, punctuation kept inside a word for codes).
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).collect()
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

/// Builds the text part of the query (without filters); `None` for an empty text.
fn text_query(searcher: &Searcher, f: &Fields, text: &str) -> Result<Option<Box<dyn Query>>, SearchError> {
    let ws = words(text);
    if ws.is_empty() {
        return Ok(None);
    }
    let word_queries: Vec<Box<dyn Query>> =
        ws.iter().enumerate().filter_map(|(i, w)| word_query(searcher, f, w, i + 1 == ws.len())).collect();
    let mut top: Vec<Box<dyn Query>> = Vec::new();
    if let Some(all_words) = all_of(word_queries) {
        top.push(all_words);
    }
    // an exact technical name or code wins
    let exact = fold(text.trim());
    top.push(boost(term(f.notation_exact, &exact), 30.0));
    // a code of a coding system also finds the variables coded with that system
    let code_hits = searcher.search(
        &BooleanQuery::new(vec![(Occur::Must, term(f.notation_exact, &exact)), (Occur::Must, term(f.kind, "concept"))]),
        &TopDocs::with_limit(20).order_by_score(),
    )?;
    let coding_field = f.facet(FacetName::CodingSystem);
    let mut systems = BTreeSet::new();
    for (_, addr) in code_hits {
        let doc: TantivyDocument = searcher.doc(addr)?;
        for v in doc.get_all(coding_field) {
            if let Some(system) = v.as_str() {
                systems.insert(system.to_owned());
            }
        }
    }
    for value in systems {
        top.push(boost(facet_term(coding_field, &value), 2.0));
    }
    Ok(Some(any_of(top)))
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
pub fn run(searcher: &Searcher, f: &Fields, tables: &FacetTables, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
    let limit = req.limit.clamp(1, MAX_LIMIT);
    let text = text_query(searcher, f, &req.text)?;
    let query = combine(text.as_deref(), year_filters(f, req));
    let selected: Vec<(FacetName, Vec<String>)> =
        req.filters.iter().filter(|(_, v)| !v.is_empty()).map(|(n, v)| (*n, v.iter().cloned().collect())).collect();

    // hits, total and facet counts
    let sort = if text.is_none() && req.sort == Sort::Relevance { Sort::Label } else { req.sort };
    let top = TopDocs::with_limit(limit).and_offset(req.offset);
    let (addresses, total, counts): Collected = match sort {
        Sort::Relevance => {
            let ((docs, total), counts) =
                searcher.search(&*query, &FacetPass::new(tables, FACET_VALUES, selected, (top.order_by_score(), Count)))?;
            (docs.into_iter().map(|(s, a)| (Some(s), a)).collect(), total, counts)
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
    let suggestions = if total == 0 && text.is_some() { suggest(searcher, f, &req.text)? } else { Vec::new() };
    Ok(SearchResponse { total, hits, facets, suggestions })
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

/// Labels of records that nearly match (two typos per word), for an empty result.
fn suggest(searcher: &Searcher, f: &Fields, text: &str) -> Result<Vec<String>, SearchError> {
    let index = searcher.index();
    let mut clauses: Vec<Box<dyn Query>> = Vec::new();
    for w in words(text) {
        for t in analyze(index, f.fuzzy, w) {
            if t.chars().count() >= 3 {
                clauses.push(Box::new(FuzzyTermQuery::new_prefix(Term::from_field_text(f.fuzzy, &t), 2, true)));
            }
        }
    }
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    let docs = searcher.search(&*any_of(clauses), &TopDocs::with_limit(5).order_by_score())?;
    let mut out = Vec::new();
    for (_, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let label = doc.get_first(f.label_sv).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        if !label.is_empty() && !out.contains(&label) {
            out.push(label);
        }
    }
    Ok(out)
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
