//! Changes between two revisions of a record, in words: "Definition (sv) ändrad från ”…” till
//! ”…”", with the labels of linked records and vocabularies.

use std::collections::HashMap;

use oxigraph::model::NamedNode;

use super::super::kernel::error::unresolved_link;
use super::super::kernel::labels::{datatype_label, last_segment, vocab_label};
use super::super::kernel::words::curation as w;
use super::super::kernel::words::field;
use crate::config::Lang;
use crate::curation::diff::{self, Change, Value};
use crate::curation::{Curation, CurationError, Revision, graph_of};
use crate::model::LangText;
use crate::model::vocab::{adms, csvw, dcat, dct, disco, healthdcatap, owl, prov, qudt, rdf, rdfs, skos, vk, xsd};

/// The label of a property in the reader's language.
pub fn property_label(p: &NamedNode, inverse: bool, lang: Lang) -> String {
    let en = lang == Lang::En;
    let key = match p.as_ref() {
        x if x == disco::VARIABLE_PROP && inverse => "datasets",
        x if x == skos::PREF_LABEL || x == rdfs::LABEL => "label",
        x if x == skos::DEFINITION => "definition",
        x if x == skos::NOTATION => "technical_name",
        x if x == dct::IDENTIFIER => "identifier",
        x if x == dct::TITLE => "title",
        x if x == dct::DESCRIPTION => "description",
        x if x == dct::PUBLISHER => "publisher",
        x if x == disco::REPRESENTATION || x == csvw::DATATYPE => "datatype",
        x if x == healthdcatap::HAS_CODING_SYSTEM => "coding_systems",
        x if x == qudt::UCUM_CODE => "unit",
        x if x == csvw::NULL => "missing",
        x if x == vk::MISSING_VALUE => "missing_meanings",
        x if x == vk::TEMPORALITY => "temporality",
        x if x == disco::ANALYSIS_UNIT => "unit_type",
        x if x == dct::TEMPORAL => "temporal",
        x if x == prov::QUALIFIED_ATTRIBUTION => "owner",
        x if x == vk::REFERENCE_GROUP => "reference_group",
        x if x == vk::PRIORITY => "priority",
        x if x == vk::REQUIREMENT => "requirements",
        x if x == vk::INPUT_OUTPUT_NOTE => "io_note",
        x if x == disco::CONCEPT => "concept",
        x if x == skos::EXACT_MATCH => "exact_match",
        x if x == skos::SCOPE_NOTE => "scope_note",
        x if x == dct::SOURCE => "source",
        x if x == rdfs::SEE_ALSO => "see_also",
        x if x == vk::USES_VARIABLE => "variables_in",
        x if x == vk::USES_DATASET => "datasets",
        x if x == dcat::KEYWORD => "keywords",
        x if x == dcat::THEME => "themes",
        x if x == vk::COLLECTION => "collection",
        x if x == vk::LEVEL => "level",
        x if x == vk::CONDITION => "condition",
        x if x == prov::AGENT => "owner",
        _ => "",
    };
    if !key.is_empty() {
        return field(lang, key).to_owned();
    }
    let own = match p.as_ref() {
        x if x == csvw::MINIMUM => Some(("Lägsta värde", "Minimum")),
        x if x == csvw::MAXIMUM => Some(("Högsta värde", "Maximum")),
        x if x == adms::VERSION_NOTES => Some(("Ändringsnotering", "Change note")),
        x if x == owl::VERSION_INFO || x == dcat::VERSION => Some(("Version", "Version")),
        x if x == vk::NEEDS_INPUT => Some(("Behöver underlag", "Needs input")),
        x if x == skos::EDITORIAL_NOTE => Some(("Redaktionell anmärkning", "Editorial note")),
        x if x == rdf::TYPE => Some(("Typ", "Type")),
        x if x == dcat::START_DATE => Some(("Från", "From")),
        x if x == dcat::END_DATE => Some(("Till", "To")),
        x if x == dcat::HAD_ROLE => Some(("Roll", "Role")),
        _ => None,
    };
    match own {
        Some((sv, e)) => (if en { e } else { sv }).to_owned(),
        None => last_segment(p.as_str()),
    }
}

/// A value in words: labels of records and vocabularies, plain text, a blank node as its parts.
fn value_text(v: &Value, labels: &HashMap<NamedNode, LangText>, lang: Lang) -> String {
    match v {
        Value::Iri(i) => {
            if let Some(l) = labels.get(i).map(|l| l.best(lang.code())).filter(|l| !l.is_empty()) {
                return l.to_owned();
            }
            if let Some(local) = i.as_str().strip_prefix(xsd::NS) {
                return datatype_label(local, lang);
            }
            if let Some(level) = crate::model::RequirementLevel::from_iri(i) {
                return level.label(lang.code()).to_owned();
            }
            let l = vocab_label(i.as_str(), lang);
            if l != last_segment(i.as_str()) { l } else { i.as_str().to_owned() }
        }
        Value::Text { value, .. } => value.clone(),
        Value::Node(parts) => parts
            .iter()
            .filter(|(p, _)| p.as_ref() != dcat::HAD_ROLE)
            .map(|(p, v)| format!("{}: {}", property_label(p, false, lang), value_text(v, labels, lang)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The IRIs a value names (to load their labels).
pub fn iris_in(v: &Value, out: &mut Vec<NamedNode>) {
    match v {
        Value::Iri(i) => out.push(i.clone()),
        Value::Node(parts) => parts.iter().for_each(|(_, v)| iris_in(v, out)),
        Value::Text { .. } => {}
    }
}

/// One change in words: "Definition (sv) ändrad från ”…” till ”…”".
pub fn describe(c: &Change, labels: &HashMap<NamedNode, LangText>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let mut label = property_label(&c.property, c.inverse, lang);
    if let Some(l) = &c.lang {
        label.push_str(&format!(" ({l})"));
    }
    let quote = |vs: &[Value]| vs.iter().map(|v| format!("”{}”", value_text(v, labels, lang))).collect::<Vec<_>>().join(", ");
    match (c.removed.len(), c.added.len()) {
        (1, 1) if en => format!("{label} changed from {} to {}", quote(&c.removed), quote(&c.added)),
        (1, 1) => format!("{label} ändrad från {} till {}", quote(&c.removed), quote(&c.added)),
        (0, _) if en => format!("{label} added: {}", quote(&c.added)),
        (0, _) => format!("{label} tillagd: {}", quote(&c.added)),
        (_, 0) if en => format!("{label} removed: {}", quote(&c.removed)),
        (_, 0) => format!("{label} borttagen: {}", quote(&c.removed)),
        _ if en => format!("{label} changed: removed {}; added {}", quote(&c.removed), quote(&c.added)),
        _ => format!("{label} ändrad: borttaget {}; tillagt {}", quote(&c.removed), quote(&c.added)),
    }
}

/// The changes between two revisions in words (runs on a blocking thread: reads labels).
pub fn diff_lines(c: &Curation, from: &Revision, to: &Revision, lang: Lang) -> Result<Vec<String>, CurationError> {
    let iri = NamedNode::new_unchecked(&to.iri);
    let changes = diff::diff(&graph_of(from)?, &graph_of(to)?, &iri);
    let mut iris = Vec::new();
    for ch in &changes {
        ch.removed.iter().chain(&ch.added).for_each(|v| iris_in(v, &mut iris));
    }
    let labels = c.catalogue().labels(&iris)?;
    Ok(changes.iter().map(|ch| describe(ch, &labels, lang)).collect())
}

/// What the draft page shows before publication: the draft's changes against the published
/// version, classified (added, changed, removed) and in words, and the pre-publish check.
pub struct DraftReview {
    /// No published version: everything is new.
    pub new_record: bool,
    /// (class, change in words), in property order.
    pub changes: Vec<(&'static str, String)>,
    /// The links that would stop its publication, in words (empty: it can be published).
    pub unresolved: Vec<String>,
    pub changes_heading: &'static str,
    pub new_text: &'static str,
    pub no_changes: &'static str,
    pub check_heading: &'static str,
    pub check_ok: &'static str,
    pub check_fails: &'static str,
}

/// The review of the working draft of `iri` (runs on a blocking thread); `None` without one.
pub fn draft_review(c: &Curation, iri: &NamedNode, lang: Lang) -> Result<Option<DraftReview>, CurationError> {
    let Some((_, draft)) = c.draft(iri)? else { return Ok(None) };
    let published = c.published(iri)?.map(|(_, r)| r);
    let mut changes = Vec::new();
    if let Some(before) = &published {
        let found = diff::diff(&before.to_graph(), &draft.to_graph(), iri);
        let mut iris = Vec::new();
        for ch in &found {
            ch.removed.iter().chain(&ch.added).for_each(|v| iris_in(v, &mut iris));
        }
        let labels = c.catalogue().labels(&iris)?;
        for ch in &found {
            let class = match (ch.removed.is_empty(), ch.added.is_empty()) {
                (true, _) => w::ADDED,
                (_, true) => w::REMOVED,
                _ => w::CHANGED,
            };
            changes.push((class.get(lang), describe(ch, &labels, lang)));
        }
    }
    let unresolved = c.publish_check(iri)?.iter().map(|t| unresolved_link(t, lang)).collect();
    Ok(Some(DraftReview {
        new_record: published.is_none(),
        changes,
        unresolved,
        changes_heading: w::CHANGES_HEADING.get(lang),
        new_text: w::NEW_RECORD.get(lang),
        no_changes: w::NO_CHANGES.get(lang),
        check_heading: w::CHECK_HEADING.get(lang),
        check_ok: w::CHECK_OK.get(lang),
        check_fails: w::CHECK_FAILS.get(lang),
    }))
}

/// What the history page shows: the record's title, its revisions oldest first, the pair
/// compared and their changes in words.
pub struct History {
    pub title: String,
    pub revisions: Vec<Revision>,
    pub from: Option<u64>,
    pub to: Option<u64>,
    pub diff: Option<Vec<String>>,
    pub comments: Vec<crate::curation::Comment>,
}

/// The pair the history compares when none is asked for: the latest revision against the last
/// published one before it, or, when none was published before it, against the nearest earlier
/// revision whose content differs (not the "sent for review" step, which keeps the content).
/// `None` with fewer than two revisions.
pub fn default_pair(revisions: &[Revision]) -> Option<(u64, u64)> {
    let (to, earlier) = revisions.split_last()?;
    let from = earlier
        .iter()
        .rev()
        .find(|r| r.state == crate::curation::RecordState::Published)
        .or_else(|| earlier.iter().rev().find(|r| r.ntriples != to.ntriples))
        .or(earlier.last())?;
    Some((from.id, to.id))
}

/// The history of a record; `from`/`to` default to [`default_pair`]. `None` when the record
/// neither exists nor has revisions.
pub fn history(c: &Curation, iri: &NamedNode, from: Option<u64>, to: Option<u64>, lang: Lang) -> Result<Option<History>, CurationError> {
    let revisions = c.history(iri)?;
    let title = match c.current(iri)? {
        Some((_, r)) => r.label().best(lang.code()).to_owned(),
        None if revisions.is_empty() => return Ok(None),
        None => iri.as_str().to_owned(),
    };
    let (from, to) = match (from, to) {
        (Some(a), Some(b)) => (Some(a), Some(b)),
        _ => match default_pair(&revisions) {
            Some((a, b)) => (Some(a), Some(b)),
            None => (None, None),
        },
    };
    let diff = match (from, to) {
        (Some(a), Some(b)) => {
            let find = |id: u64| revisions.iter().find(|r| r.id == id);
            match (find(a), find(b)) {
                (Some(x), Some(y)) => Some(diff_lines(c, x, y, lang)?),
                (None, _) => return Err(CurationError::NoSuchRevision { iri: iri.as_str().to_owned(), revision: a }),
                (_, None) => return Err(CurationError::NoSuchRevision { iri: iri.as_str().to_owned(), revision: b }),
            }
        }
        _ => None,
    };
    let comments = c.comments(iri)?;
    Ok(Some(History { title, revisions, from, to, diff, comments }))
}
