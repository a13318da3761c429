//! Whether a published change can break a study that uses the record: the classification of
//! the changes between two versions ([`super::diff`]) as **breaking**, **compatible** or
//! **cosmetic**, each with the rule that decided it.
//!
//! The rule, in order (the first that matches decides):
//!
//! 1. Retiring a record breaks ([`Rule::Retired`]).
//! 2. Version bookkeeping (version number, change note, modification time, the curator's
//!    editorial note and "needs input" flag) is cosmetic ([`Rule::Bookkeeping`]).
//! 3. Breaking, when a value a study's data depends on is removed or replaced:
//!    a variable's technical name, data type or code list, unit, a missing-value code, a coding
//!    system, a dataset that held it, or its value range narrowed; a code's value (recoded),
//!    its membership of a list (removed), or its validity cut short; a code list's coding
//!    system.
//! 4. Text in a language (labels, definitions, descriptions, notes) is cosmetic: a changed
//!    or removed text is wording ([`Rule::Wording`]), a text added in a language a
//!    translation ([`Rule::Translation`]).
//! 5. Everything else is compatible: values added (a code, a coding system, a dataset, a
//!    wider range), or facts a study's data does not depend on (owner, priority, use cases,
//!    coverage, links) ([`Rule::Added`], [`Rule::OtherFact`]).
//!
//! A version is as breaking as its most breaking change. Pure functions over graphs, used by
//! the public change list, the change feed and the reviewer's screen alike.

use oxigraph::model::{Graph, NamedNode, NamedNodeRef};

use super::diff::{self, Change, Value};
use crate::model::record::RecordKind;
use crate::model::vocab::{adms, csvw, dcat, dct, disco, healthdcatap, owl, qudt, schema, skos, vk};

/// How much a change matters to a study that uses the record, least first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Wording, translation, bookkeeping: the data means what it meant.
    Cosmetic,
    /// Something added, or a fact the data does not depend on changed: existing data and
    /// analyses stay valid.
    Compatible,
    /// Data or analyses made with the earlier version may no longer fit.
    Breaking,
}

impl Impact {
    /// Every class, most severe first (the order the rule is shown in).
    pub const ALL: [Impact; 3] = [Impact::Breaking, Impact::Compatible, Impact::Cosmetic];

    /// A stable name for URLs, feeds and CSS (`bryter`, `kompatibel`, `kosmetisk`).
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Breaking => "bryter",
            Impact::Compatible => "kompatibel",
            Impact::Cosmetic => "kosmetisk",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

/// Why a change got its class: one line of the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The record was retired.
    Retired,
    /// A variable's technical name (the column in a delivery) changed or was removed.
    TechnicalName,
    /// A variable's data type or code list changed or was removed.
    Datatype,
    /// A variable's unit changed or was removed.
    Unit,
    /// A variable's value range was narrowed (a higher minimum, a lower maximum, a new bound).
    RangeNarrowed,
    /// A missing-value code of a variable was removed.
    MissingValueRemoved,
    /// A coding system was removed from a variable or replaced on a code list.
    CodingSystem,
    /// A variable is no longer in a dataset it was in.
    LeftDataset,
    /// A code's value changed.
    Recoded,
    /// A code was taken out of its code list.
    CodeRemoved,
    /// A code's validity was cut short (ends earlier, or starts later).
    ValidityShortened,
    /// Text changed or removed in a language.
    Wording,
    /// Text added in a language.
    Translation,
    /// Version number, change note, modification time, editorial note.
    Bookkeeping,
    /// A value added where nothing was removed (a code, a coding system, a dataset, a wider
    /// range).
    Added,
    /// Another fact changed (owner, priority, use cases, coverage, links).
    OtherFact,
}

impl Rule {
    /// The class this rule gives.
    pub fn impact(self) -> Impact {
        match self {
            Rule::Wording | Rule::Translation | Rule::Bookkeeping => Impact::Cosmetic,
            Rule::Added | Rule::OtherFact => Impact::Compatible,
            _ => Impact::Breaking,
        }
    }

    /// Every rule, in the order it is shown: breaking, compatible, cosmetic.
    pub const ALL: [Rule; 16] = [
        Rule::Retired,
        Rule::TechnicalName,
        Rule::Datatype,
        Rule::Unit,
        Rule::RangeNarrowed,
        Rule::MissingValueRemoved,
        Rule::CodingSystem,
        Rule::LeftDataset,
        Rule::Recoded,
        Rule::CodeRemoved,
        Rule::ValidityShortened,
        Rule::Added,
        Rule::OtherFact,
        Rule::Wording,
        Rule::Translation,
        Rule::Bookkeeping,
    ];
}

/// One change with its class and the rule that gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    pub change: Change,
    pub impact: Impact,
    pub rule: Rule,
}

/// The properties that only keep the books of a version.
fn bookkeeping(p: NamedNodeRef<'_>) -> bool {
    [owl::VERSION_INFO, dcat::VERSION, adms::VERSION_NOTES, dct::MODIFIED, dct::ISSUED, skos::EDITORIAL_NOTE, vk::NEEDS_INPUT].contains(&p)
}

/// A number in a value (`csvw:minimum` "0", "12.5"), if it is one.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Text { value, .. } => value.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// The one text of a value list (a date, a bound), when there is exactly one.
fn single_text(vs: &[Value]) -> Option<&str> {
    match vs {
        [Value::Text { value, .. }] => Some(value.as_str()),
        _ => None,
    }
}

/// Whether a bound moved inwards: `lower` says a higher value is narrower.
fn narrowed(c: &Change, lower: bool) -> bool {
    match (c.removed.as_slice(), c.added.as_slice()) {
        // a bound where there was none narrows; removing one widens
        ([], [_, ..]) => true,
        ([_, ..], []) => false,
        ([old], [new]) => match (number(old), number(new)) {
            (Some(a), Some(b)) if lower => b > a,
            (Some(a), Some(b)) => b < a,
            // not numbers (a date, a code): any change may exclude values that were valid
            _ => true,
        },
        _ => true,
    }
}

/// Whether a validity date moved so that the code is valid for less time: an end that
/// appears or comes earlier, a start that appears or comes later (dates as written, compared
/// as text: `2024` < `2024-05-01` < `2025`).
fn shortened(c: &Change, end: bool) -> bool {
    match (single_text(&c.removed), single_text(&c.added)) {
        (None, Some(_)) => c.removed.is_empty(),
        (Some(_), None) => false,
        (Some(old), Some(new)) if end => new < old,
        (Some(old), Some(new)) => new > old,
        (None, None) => false,
    }
}

/// The rule that classifies one change of a record of `kind`.
pub fn rule_of(kind: RecordKind, c: &Change) -> Rule {
    let p = c.property.as_ref();
    if bookkeeping(p) {
        return Rule::Bookkeeping;
    }
    let removes = !c.removed.is_empty();
    let breaking = match kind {
        RecordKind::Variable => {
            if c.inverse {
                (p == disco::VARIABLE_PROP && removes).then_some(Rule::LeftDataset)
            } else if p == skos::NOTATION && removes {
                Some(Rule::TechnicalName)
            } else if (p == disco::REPRESENTATION || p == csvw::DATATYPE) && removes {
                Some(Rule::Datatype)
            } else if p == qudt::UCUM_CODE && removes {
                Some(Rule::Unit)
            } else if p == csvw::MINIMUM {
                narrowed(c, true).then_some(Rule::RangeNarrowed)
            } else if p == csvw::MAXIMUM {
                narrowed(c, false).then_some(Rule::RangeNarrowed)
            } else if p == csvw::NULL && removes {
                Some(Rule::MissingValueRemoved)
            } else if p == healthdcatap::HAS_CODING_SYSTEM && removes {
                Some(Rule::CodingSystem)
            } else {
                None
            }
        }
        RecordKind::Concept => {
            if p == skos::NOTATION && removes {
                Some(Rule::Recoded)
            } else if p == skos::IN_SCHEME && removes {
                Some(Rule::CodeRemoved)
            } else if p == schema::VALID_THROUGH {
                shortened(c, true).then_some(Rule::ValidityShortened)
            } else if p == schema::VALID_FROM {
                shortened(c, false).then_some(Rule::ValidityShortened)
            } else {
                None
            }
        }
        RecordKind::CodeList => (p == dct::CONFORMS_TO && removes).then_some(Rule::CodingSystem),
        _ => None,
    };
    if let Some(rule) = breaking {
        return rule;
    }
    if c.lang.is_some() {
        return if removes { Rule::Wording } else { Rule::Translation };
    }
    if removes { Rule::OtherFact } else { Rule::Added }
}

/// Every change with its class, in the order given.
pub fn classify(kind: RecordKind, changes: Vec<Change>) -> Vec<Classified> {
    changes
        .into_iter()
        .map(|change| {
            let rule = rule_of(kind, &change);
            Classified { change, impact: rule.impact(), rule }
        })
        .collect()
}

/// The changes from `before` to `after` of the record `subject` of `kind`, classified; a
/// record published for the first time (`before` absent) has none. Internal curation notes
/// (`model::vocab::INTERNAL`) are never published, so a change of them is no change here.
pub fn compare(kind: RecordKind, before: Option<&Graph>, after: &Graph, subject: &NamedNode) -> Vec<Classified> {
    match before {
        Some(b) => {
            let mut changes = diff::diff(b, after, subject);
            changes.retain(|c| !crate::model::vocab::is_internal(c.property.as_ref()));
            classify(kind, changes)
        }
        None => Vec::new(),
    }
}

/// The class of a version: its most breaking change; a retirement breaks; no change at all
/// (a version published again unchanged) is cosmetic.
pub fn overall(changes: &[Classified], retired: bool) -> Impact {
    if retired {
        return Impact::Breaking;
    }
    changes.iter().map(|c| c.impact).max().unwrap_or(Impact::Cosmetic)
}

#[cfg(test)]
mod tests {
    use oxigraph::model::Literal;

    use super::*;
    use crate::model::record::Resource;
    use crate::model::vocab::xsd;
    use crate::model::{Concept, LangText, Representation, Variable};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new(format!("https://k.se/{s}")).unwrap()
    }

    fn variable() -> Variable {
        let mut v = Variable::new(iri("variable/vtid"), LangText::sv("Vårdtid").with("en", "Length of stay"));
        v.notation = Some("VTID".into());
        v.definition = LangText::sv("Antal dagar");
        v.representation = Some(Representation::Datatype(xsd::INTEGER.into_owned()));
        v.unit = Some("d".into());
        v.minimum = Some(Literal::new_typed_literal("0", xsd::INTEGER));
        v.maximum = Some(Literal::new_typed_literal("365", xsd::INTEGER));
        v.missing_values = vec!["999".into()];
        v.coding_systems = vec![iri("standard/icd10")];
        v.datasets = vec![iri("dataset/par")];
        v
    }

    /// The rules of the changes from `a` to `b` (a variable), sorted.
    fn rules(a: Variable, b: Variable) -> Vec<Rule> {
        let subject = a.iri.clone();
        let (ga, gb) = (Resource::Variable(a).to_graph(), Resource::Variable(b).to_graph());
        let mut out: Vec<Rule> = compare(RecordKind::Variable, Some(&ga), &gb, &subject).into_iter().map(|c| c.rule).collect();
        out.sort();
        out
    }

    #[test]
    fn a_changed_unit_or_data_type_breaks() {
        let mut b = variable();
        b.unit = Some("h".into());
        assert_eq!(rules(variable(), b), vec![Rule::Unit]);
        let mut b = variable();
        b.representation = Some(Representation::Datatype(xsd::DECIMAL.into_owned()));
        assert_eq!(rules(variable(), b), vec![Rule::Datatype]);
        let mut b = variable();
        b.representation = Some(Representation::CodeList { scheme: iri("codelist/vtid"), datatype: xsd::STRING.into_owned() });
        assert_eq!(rules(variable(), b), vec![Rule::Datatype], "a code list instead of a number");
        let mut b = variable();
        b.unit = None;
        assert_eq!(rules(variable(), b), vec![Rule::Unit], "a unit removed");
        assert!(Rule::Unit.impact() == Impact::Breaking && Rule::Datatype.impact() == Impact::Breaking);
    }

    #[test]
    fn a_unit_added_where_there_was_none_is_compatible() {
        let mut a = variable();
        a.unit = None;
        assert_eq!(rules(a, variable()), vec![Rule::Added]);
    }

    #[test]
    fn wording_and_translation_are_cosmetic() {
        let mut b = variable();
        b.definition = LangText::sv("Antal vårddygn");
        b.label = b.label.clone().with("en", "Length of hospital stay");
        assert_eq!(rules(variable(), b), vec![Rule::Wording, Rule::Wording]);
        let mut a = variable();
        a.label = LangText::sv("Vårdtid");
        assert_eq!(rules(a, variable()), vec![Rule::Translation], "an English label added");
        assert!(Impact::Cosmetic < Impact::Compatible && Impact::Compatible < Impact::Breaking);
    }

    #[test]
    fn version_bookkeeping_is_cosmetic() {
        let mut b = variable();
        b.version_notes = LangText::sv("Ny version");
        b.editorial_note = LangText::sv("Kolla enheten");
        b.needs_input = true;
        let got = rules(variable(), b);
        assert!(got.iter().all(|r| *r == Rule::Bookkeeping) && !got.is_empty(), "{got:?}");
    }

    #[test]
    fn the_range_breaks_only_when_narrowed() {
        let mut b = variable();
        b.maximum = Some(Literal::new_typed_literal("100", xsd::INTEGER));
        assert_eq!(rules(variable(), b), vec![Rule::RangeNarrowed]);
        let mut b = variable();
        b.minimum = Some(Literal::new_typed_literal("1", xsd::INTEGER));
        assert_eq!(rules(variable(), b), vec![Rule::RangeNarrowed]);
        let mut b = variable();
        b.maximum = Some(Literal::new_typed_literal("730", xsd::INTEGER));
        b.minimum = None;
        assert_eq!(rules(variable(), b), vec![Rule::OtherFact, Rule::OtherFact], "wider: compatible");
    }

    #[test]
    fn technical_name_missing_codes_coding_systems_and_datasets_break_when_removed() {
        let mut b = variable();
        b.notation = Some("VTID2".into());
        assert_eq!(rules(variable(), b), vec![Rule::TechnicalName]);
        let mut b = variable();
        b.missing_values = vec![];
        assert_eq!(rules(variable(), b), vec![Rule::MissingValueRemoved]);
        let mut b = variable();
        b.missing_values.push("998".into());
        assert_eq!(rules(variable(), b), vec![Rule::Added]);
        let mut b = variable();
        b.coding_systems = vec![iri("standard/icd11")];
        assert_eq!(rules(variable(), b), vec![Rule::CodingSystem]);
        let mut b = variable();
        b.datasets = vec![];
        assert_eq!(rules(variable(), b), vec![Rule::LeftDataset]);
        let mut b = variable();
        b.datasets.push(iri("dataset/lisa"));
        assert_eq!(rules(variable(), b), vec![Rule::Added]);
    }

    fn code() -> Concept {
        let mut c = Concept::new(iri("codelist/kon/1"), "1", LangText::sv("Man"));
        c.in_scheme = vec![iri("codelist/kon")];
        c
    }

    fn code_rules(a: Concept, b: Concept) -> Vec<Rule> {
        let subject = a.iri.clone();
        let (ga, gb) = (Resource::Concept(a).to_graph(), Resource::Concept(b).to_graph());
        let mut out: Vec<Rule> = compare(RecordKind::Concept, Some(&ga), &gb, &subject).into_iter().map(|c| c.rule).collect();
        out.sort();
        out
    }

    #[test]
    fn a_code_removed_or_recoded_breaks() {
        let mut b = code();
        b.in_scheme.clear();
        assert_eq!(code_rules(code(), b), vec![Rule::CodeRemoved]);
        let mut b = code();
        b.notation = Some("M".into());
        assert_eq!(code_rules(code(), b), vec![Rule::Recoded]);
        let mut b = code();
        b.label = LangText::sv("Man (manligt kön)");
        assert_eq!(code_rules(code(), b), vec![Rule::Wording], "a clearer label is cosmetic");
    }

    #[test]
    fn a_code_whose_validity_ends_breaks_and_one_that_lasts_longer_does_not() {
        use crate::model::Temporal;
        let mut b = code();
        b.valid_through = Temporal::read("2024-12-31");
        assert_eq!(code_rules(code(), b.clone()), vec![Rule::ValidityShortened], "an end appears");
        let mut c = b.clone();
        c.valid_through = Temporal::read("2026-12-31");
        assert_eq!(code_rules(b.clone(), c.clone()), vec![Rule::OtherFact], "it ends later");
        assert_eq!(code_rules(c, b), vec![Rule::ValidityShortened], "it ends earlier");
    }

    #[test]
    fn a_version_is_as_breaking_as_its_worst_change_and_retiring_breaks() {
        let mut b = variable();
        b.definition = LangText::sv("Antal vårddygn");
        b.unit = Some("h".into());
        let subject = variable().iri;
        let (ga, gb) = (Resource::Variable(variable()).to_graph(), Resource::Variable(b).to_graph());
        let changes = compare(RecordKind::Variable, Some(&ga), &gb, &subject);
        assert_eq!(overall(&changes, false), Impact::Breaking);
        assert_eq!(overall(&[], false), Impact::Cosmetic);
        assert_eq!(overall(&[], true), Impact::Breaking);
        assert!(compare(RecordKind::Variable, None, &gb, &subject).is_empty(), "a first publication has no changes");
    }

    #[test]
    fn every_rule_is_listed_once_and_classes_round_trip() {
        let mut seen = std::collections::HashSet::new();
        assert!(Rule::ALL.iter().all(|r| seen.insert(*r)));
        let order: Vec<Impact> = Rule::ALL.iter().map(|r| r.impact()).collect();
        let mut sorted = order.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(order, sorted, "shown breaking first, then compatible, then cosmetic");
        for i in Impact::ALL {
            assert_eq!(Impact::parse(i.as_str()), Some(i));
        }
    }
}
