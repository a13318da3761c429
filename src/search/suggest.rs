//! Type-ahead: the records whose label, synonym or code starts as typed, for the search box
//! (`/api/v1/suggest`).
//!
//! Fast at any size: every typed word is one term of the edge n-gram field `prefix` (the
//! prefixes, 2 to 24 characters, of the words of labels, synonyms and codes, folded), and each
//! kind of record is one conjunction of those terms whose matches are read in index order and
//! only up to [`POOL`] (no scoring, no full pass over the postings). The candidates are ranked by
//! how they match (a code or technical name typed whole, a label that starts as typed, a word
//! that does) and then by the length of the label.

use serde::Serialize;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, QueryClone, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

use super::SearchError;
use super::schema::{FacetName, Fields, fold};
use crate::model::record::RecordKind;

/// The kinds suggested, in the order they are shown when they match alike.
pub const SUGGESTED_KINDS: [RecordKind; 5] =
    [RecordKind::Variable, RecordKind::Dataset, RecordKind::Concept, RecordKind::CodeList, RecordKind::Standard];
/// Most suggestions a caller may ask for.
pub const MAX_SUGGESTIONS: usize = 20;
/// Suggestions when the caller does not say.
pub const DEFAULT_SUGGESTIONS: usize = 8;
/// Longest text looked at (characters); the rest is ignored.
pub const MAX_TEXT: usize = 100;
/// Candidates read per kind before ranking.
const POOL: usize = 40;
/// Longest prefix the index holds (`schema::PREFIX`'s n-grams).
const LONGEST_PREFIX: usize = 24;

/// One suggestion.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    pub iri: String,
    /// `variable`, `dataset`, `concept`, `codelist` or `standard`.
    pub kind: String,
    pub label_sv: String,
    pub label_en: String,
    /// The technical name or code (`HDIA`, `S72.0`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notation: Option<String>,
}

impl Suggestion {
    /// The label in `lang`, else the other one, else the IRI.
    pub fn label(&self, lang: &str) -> &str {
        let preferred = if lang == "en" { &self.label_en } else { &self.label_sv };
        [preferred, &self.label_sv, &self.label_en].into_iter().find(|s| !s.is_empty()).map(String::as_str).unwrap_or(&self.iri)
    }
}

/// The prefix terms of a typed text: one clause per word, all of which must match. A word with
/// punctuation inside (`S72.0`) matches a code written so, or all its parts of two characters
/// or more. Words of one character add nothing (the index holds no such prefix).
fn clauses(f: &Fields, text: &str) -> Vec<Box<dyn Query>> {
    let prefix = |w: &str| -> Box<dyn Query> {
        let w: String = w.chars().take(LONGEST_PREFIX).collect();
        Box::new(TermQuery::new(Term::from_field_text(f.prefix, &w), IndexRecordOption::Basic))
    };
    let text: String = text.chars().take(MAX_TEXT).collect();
    let mut out = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == '–') {
        let folded = fold(word.trim_matches(|c: char| !c.is_alphanumeric()));
        if folded.chars().count() < 2 {
            continue;
        }
        let parts: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|p| p.chars().count() >= 2).collect();
        if parts.len() == 1 && parts[0] == folded {
            out.push(prefix(&folded));
        } else {
            let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, prefix(&folded))];
            if !parts.is_empty() {
                let all = parts.iter().map(|p| (Occur::Must, prefix(p))).collect();
                either.push((Occur::Should, Box::new(BooleanQuery::new(all))));
            }
            out.push(Box::new(BooleanQuery::new(either)));
        }
    }
    out
}

/// How a candidate matches `typed` (folded): 0 its code or technical name typed whole, 1 its
/// label (or code) starts as typed, 2 a later word does.
fn tier(s: &Suggestion, typed: &str) -> u8 {
    let notation = s.notation.as_deref().map(fold).unwrap_or_default();
    if !notation.is_empty() && (notation == typed || notation.replace('.', "") == typed) {
        return 0;
    }
    if (!notation.is_empty() && notation.starts_with(typed)) || [&s.label_sv, &s.label_en].iter().any(|l| fold(l).starts_with(typed)) {
        return 1;
    }
    2
}

/// At most `limit` suggestions for `text` (empty when no word has two characters). Retired
/// records are left out.
pub fn suggest(searcher: &Searcher, f: &Fields, text: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
    let limit = limit.clamp(1, MAX_SUGGESTIONS);
    let words = clauses(f, text);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let typed = fold(text.trim());
    let mut found: Vec<(u8, usize, Suggestion)> = Vec::new();
    for (order, kind) in SUGGESTED_KINDS.iter().enumerate() {
        let mut all: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(TermQuery::new(Term::from_field_text(f.kind, kind.as_str()), IndexRecordOption::Basic)))];
        // every word as the start of a word, or the whole text a code as the registers write
        // it (`S720` for `S72.0`)
        let prefixes: Box<dyn Query> = Box::new(BooleanQuery::new(words.iter().map(|w| (Occur::Must, w.box_clone())).collect()));
        let exact: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(f.notation_exact, &typed), IndexRecordOption::Basic));
        all.push((Occur::Must, Box::new(BooleanQuery::new(vec![(Occur::Should, prefixes), (Occur::Should, exact)]))));
        all.push((
            Occur::MustNot,
            Box::new(TermQuery::new(Term::from_field_text(f.facet(FacetName::Status), "retired"), IndexRecordOption::Basic)),
        ));
        let weight = BooleanQuery::new(all).weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut addresses = Vec::new();
        'segments: for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let mut docs = weight.scorer(segment, 1.0)?;
            let alive = segment.alive_bitset();
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    addresses.push(DocAddress::new(ord as u32, doc));
                    if addresses.len() >= POOL {
                        break 'segments;
                    }
                }
                doc = docs.advance();
            }
        }
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let s = Suggestion {
                iri: text_of(f.iri),
                kind: kind.as_str().to_owned(),
                label_sv: text_of(f.label_sv),
                label_en: text_of(f.label_en),
                notation: Some(text_of(f.notation)).filter(|n| !n.is_empty()),
            };
            found.push((tier(&s, &typed), order, s));
        }
    }
    found.sort_by(|(ta, oa, a), (tb, ob, b)| {
        let len = |s: &Suggestion| s.label("sv").chars().count();
        (ta, oa, len(a), a.label("sv")).cmp(&(tb, ob, len(b), b.label("sv")))
    });
    // every kind that matched gets a place before any kind gets a third (a code typed shows
    // the code and the variables coded with it, not only variables)
    let mut chosen: Vec<usize> = Vec::new();
    let mut per_kind = [0usize; SUGGESTED_KINDS.len()];
    for round in [2usize, MAX_SUGGESTIONS] {
        for (i, (_, order, _)) in found.iter().enumerate() {
            if chosen.len() >= limit {
                break;
            }
            if !chosen.contains(&i) && per_kind[*order] < round {
                per_kind[*order] += 1;
                chosen.push(i);
            }
        }
    }
    chosen.sort_unstable();
    Ok(chosen.into_iter().map(|i| found[i].2.clone()).collect())
}
