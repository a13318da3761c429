//! Variables (`disco:Variable`, DDI-RDF Discovery) with their representation, unit, coverage,
//! owner and their requirement in data collections.

use oxigraph::model::{Graph, Literal, NamedNode, Term, Triple, TripleRef};

use super::ModelError;
use super::dataset::{Attribution, owner_of, read_attributions, write_attributions};
use super::documentation::{MissingValue, Temporality, UnitType};
use super::rdf::{LangString, LangText, Node, Period, Writer};
use super::vocab::{csvw, dct, disco, healthdcatap, qudt, rdfs, skos, vk, xsd};

/// How strongly a data collection asks for a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RequirementLevel {
    Required,
    Conditional,
    Optional,
}

impl RequirementLevel {
    pub fn iri(self) -> NamedNode {
        match self {
            Self::Required => vk::REQUIRED,
            Self::Conditional => vk::CONDITIONAL,
            Self::Optional => vk::OPTIONAL,
        }
        .into_owned()
    }

    pub fn from_iri(iri: &NamedNode) -> Option<Self> {
        [Self::Required, Self::Conditional, Self::Optional].into_iter().find(|l| l.iri() == *iri)
    }

    /// "obligatorisk", "villkorad", "frivillig" / "required", …
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Required, "en") => "required",
            (Self::Conditional, "en") => "conditional",
            (Self::Optional, "en") => "optional",
            (Self::Required, _) => "obligatorisk",
            (Self::Conditional, _) => "villkorad",
            (Self::Optional, _) => "frivillig",
        }
    }
}

/// The requirement of a variable in one data collection (a dataset that is collected).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub collection: NamedNode,
    pub level: RequirementLevel,
    pub condition: LangText,
}

/// What values a variable takes: an XSD datatype, or codes from a code list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Representation {
    Datatype(NamedNode),
    /// Codes of a `skos:ConceptScheme`, written in data as `datatype` (strings unless stated).
    CodeList {
        scheme: NamedNode,
        datatype: NamedNode,
    },
}

impl Representation {
    /// The XSD datatype values are written in.
    pub fn datatype(&self) -> &NamedNode {
        match self {
            Self::Datatype(d) | Self::CodeList { datatype: d, .. } => d,
        }
    }

    pub fn code_list(&self) -> Option<&NamedNode> {
        match self {
            Self::CodeList { scheme, .. } => Some(scheme),
            Self::Datatype(_) => None,
        }
    }
}

/// A variable specification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub iri: NamedNode,
    pub identifier: Option<String>,
    /// The technical name in the register ("HDIA").
    pub notation: Option<String>,
    pub label: LangText,
    pub definition: LangText,
    pub representation: Option<Representation>,
    pub coding_systems: Vec<NamedNode>,
    /// UCUM code.
    pub unit: Option<String>,
    pub minimum: Option<Literal>,
    pub maximum: Option<Literal>,
    /// Missing and sentinel values (`csvw:null`).
    pub missing_values: Vec<String>,
    /// What missing values mean (`vk:missingValue`), for those that have a meaning.
    pub missing_meanings: Vec<MissingValue>,
    /// Event, status at a date, or accumulated over a period (`vk:temporality`).
    pub temporality: Option<Temporality>,
    /// What a row describes: a person, an event, a stay, a prescription (`disco:analysisUnit`).
    pub unit_type: Option<UnitType>,
    pub temporal: Vec<Period>,
    /// Datasets that hold it (`?dataset disco:variable ?variable`, kept in this record).
    pub datasets: Vec<NamedNode>,
    pub attributions: Vec<Attribution>,
    pub reference_group: LangText,
    pub priority: Option<u64>,
    pub requirements: Vec<Requirement>,
    pub input_output_note: LangText,
    pub concepts: Vec<NamedNode>,
    pub exact_matches: Vec<NamedNode>,
    /// Remarks (`skos:scopeNote`), several per language allowed.
    pub scope_notes: Vec<LangString>,
    pub sources: Vec<NamedNode>,
    /// Further documentation (`rdfs:seeAlso`), e.g. the register's variable list.
    pub see_also: Vec<NamedNode>,
    pub version_notes: LangText,
    pub needs_input: bool,
    pub editorial_note: LangText,
    pub extra: Vec<Triple>,
}

impl Variable {
    pub fn new(iri: NamedNode, label: LangText) -> Self {
        Self {
            iri,
            identifier: None,
            notation: None,
            label,
            definition: LangText::new(),
            representation: None,
            coding_systems: Vec::new(),
            unit: None,
            minimum: None,
            maximum: None,
            missing_values: Vec::new(),
            missing_meanings: Vec::new(),
            temporality: None,
            unit_type: None,
            temporal: Vec::new(),
            datasets: Vec::new(),
            attributions: Vec::new(),
            reference_group: LangText::new(),
            priority: None,
            requirements: Vec::new(),
            input_output_note: LangText::new(),
            concepts: Vec::new(),
            exact_matches: Vec::new(),
            scope_notes: Vec::new(),
            sources: Vec::new(),
            see_also: Vec::new(),
            version_notes: LangText::new(),
            needs_input: false,
            editorial_note: LangText::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        use super::vocab::{adms, rdf};
        // dataset membership: `?d disco:variable <iri>` in this graph
        let mut datasets: Vec<NamedNode> = graph
            .subjects_for_predicate_object(disco::VARIABLE_PROP, iri)
            .filter_map(|s| match s {
                oxigraph::model::NamedOrBlankNodeRef::NamedNode(n) => Some(n.into_owned()),
                _ => None,
            })
            .collect();
        datasets.sort();
        for d in &datasets {
            graph.remove(TripleRef::new(d, disco::VARIABLE_PROP, iri));
        }

        let mut n = Node::new(graph, iri.clone());
        n.take_type(disco::VARIABLE);
        let representation_iri = n.iri(disco::REPRESENTATION);
        let explicit_datatype = n.iri(csvw::DATATYPE);
        let representation = match representation_iri {
            Some(r) if r.as_str().starts_with(xsd::NS) => {
                if let Some(d) = explicit_datatype {
                    // a datatype beside a datatype is not ours to merge: keep it verbatim
                    n_keep(&mut n, csvw::DATATYPE, d);
                }
                Some(Representation::Datatype(r))
            }
            Some(scheme) => {
                Some(Representation::CodeList { scheme, datatype: explicit_datatype.unwrap_or_else(|| xsd::STRING.into_owned()) })
            }
            None => {
                if let Some(d) = explicit_datatype {
                    n_keep(&mut n, csvw::DATATYPE, d);
                }
                None
            }
        };
        let known_requirement = [rdf::TYPE, vk::COLLECTION, vk::LEVEL, vk::CONDITION];
        let mut requirements = Vec::new();
        for b in n.blank_children(vk::REQUIREMENT, &known_requirement) {
            let mut child = n.child(vk::REQUIREMENT, &b);
            child.take_type(vk::REQUIREMENT_CLASS);
            let collection = child.iri(vk::COLLECTION);
            let level = child.iri(vk::LEVEL);
            let condition = child.text(vk::CONDITION);
            match (collection, level.as_ref().and_then(RequirementLevel::from_iri)) {
                (Some(collection), Some(level)) => requirements.push(Requirement { collection, level, condition }),
                _ => {
                    return Err(ModelError::InvalidValue {
                        subject: iri.to_string(),
                        property: vk::REQUIREMENT.as_str().to_owned(),
                        value: b.to_string(),
                        expected: "a requirement with vk:collection and vk:level (Required, Conditional or Optional)",
                    });
                }
            }
        }
        requirements.sort_by(|a, b| (&a.collection, a.level).cmp(&(&b.collection, b.level)));
        let mut missing_meanings = Vec::new();
        for b in n.blank_children(vk::MISSING_VALUE, &[rdf::TYPE, skos::NOTATION, skos::PREF_LABEL, disco::IS_VALID]) {
            let mut child = n.child(vk::MISSING_VALUE, &b);
            child.take_type(skos::CONCEPT);
            let code = child.string(skos::NOTATION);
            let meaning = child.text(skos::PREF_LABEL);
            child.boolean(disco::IS_VALID)?;
            match code {
                Some(code) => missing_meanings.push(MissingValue { code, meaning }),
                None => {
                    return Err(ModelError::InvalidValue {
                        subject: iri.to_string(),
                        property: vk::MISSING_VALUE.as_str().to_owned(),
                        value: b.to_string(),
                        expected: "a missing value with its code (skos:notation)",
                    });
                }
            }
        }
        missing_meanings.sort_by(|a, b| a.code.cmp(&b.code));
        let temporality = match n.iri(vk::TEMPORALITY) {
            Some(t) => Temporality::from_iri(&t).or_else(|| {
                n_keep(&mut n, vk::TEMPORALITY, t);
                None
            }),
            None => None,
        };
        let unit_type = match n.iri(disco::ANALYSIS_UNIT) {
            Some(t) => UnitType::from_iri(&t).or_else(|| {
                n_keep(&mut n, disco::ANALYSIS_UNIT, t);
                None
            }),
            None => None,
        };

        Ok(Self {
            iri: iri.clone(),
            identifier: n.string(dct::IDENTIFIER),
            notation: n.string(skos::NOTATION),
            label: n.text(skos::PREF_LABEL),
            definition: n.text(skos::DEFINITION),
            representation,
            coding_systems: n.iris(healthdcatap::HAS_CODING_SYSTEM),
            unit: n.literal(qudt::UCUM_CODE).map(|l| l.value().to_owned()),
            minimum: n.literal(csvw::MINIMUM),
            maximum: n.literal(csvw::MAXIMUM),
            missing_values: n.strings(csvw::NULL),
            missing_meanings,
            temporality,
            unit_type,
            temporal: n.periods(dct::TEMPORAL)?,
            datasets,
            attributions: read_attributions(&mut n),
            reference_group: n.text(vk::REFERENCE_GROUP),
            priority: n.unsigned(vk::PRIORITY)?,
            requirements,
            input_output_note: n.text(vk::INPUT_OUTPUT_NOTE),
            concepts: n.iris(disco::CONCEPT),
            exact_matches: n.iris(skos::EXACT_MATCH),
            scope_notes: n.lang_strings(skos::SCOPE_NOTE),
            sources: n.iris(dct::SOURCE),
            see_also: n.iris(rdfs::SEE_ALSO),
            version_notes: n.text(adms::VERSION_NOTES),
            needs_input: n.flag(vk::NEEDS_INPUT),
            editorial_note: n.text(skos::EDITORIAL_NOTE),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        use super::vocab::adms;
        let s = self.iri.as_ref().into();
        w.typ(s, disco::VARIABLE);
        for d in &self.datasets {
            w.add(d.as_ref().into(), disco::VARIABLE_PROP, self.iri.clone());
        }
        w.string(s, dct::IDENTIFIER, self.identifier.as_deref());
        w.string(s, skos::NOTATION, self.notation.as_deref());
        w.text(s, skos::PREF_LABEL, &self.label);
        w.text(s, skos::DEFINITION, &self.definition);
        match &self.representation {
            Some(Representation::Datatype(d)) => w.iri(s, disco::REPRESENTATION, Some(d)),
            Some(Representation::CodeList { scheme, datatype }) => {
                w.iri(s, disco::REPRESENTATION, Some(scheme));
                if datatype.as_ref() != xsd::STRING {
                    w.iri(s, csvw::DATATYPE, Some(datatype));
                }
            }
            None => {}
        }
        w.iris(s, healthdcatap::HAS_CODING_SYSTEM, &self.coding_systems);
        if let Some(unit) = &self.unit {
            w.add(s, qudt::UCUM_CODE, Literal::new_typed_literal(unit, qudt::UCUM_CS));
        }
        w.literal(s, csvw::MINIMUM, self.minimum.as_ref());
        w.literal(s, csvw::MAXIMUM, self.maximum.as_ref());
        w.strings(s, csvw::NULL, &self.missing_values);
        for m in &self.missing_meanings {
            let b = w.blank(s, vk::MISSING_VALUE, skos::CONCEPT);
            w.string(b.as_ref().into(), skos::NOTATION, Some(&m.code));
            w.text(b.as_ref().into(), skos::PREF_LABEL, &m.meaning);
            w.boolean(b.as_ref().into(), disco::IS_VALID, Some(false));
        }
        w.iri(s, vk::TEMPORALITY, self.temporality.map(Temporality::iri).as_ref());
        w.iri(s, disco::ANALYSIS_UNIT, self.unit_type.map(UnitType::iri).as_ref());
        w.periods(s, dct::TEMPORAL, &self.temporal);
        write_attributions(w, &self.iri, &self.attributions);
        w.text(s, vk::REFERENCE_GROUP, &self.reference_group);
        w.unsigned(s, vk::PRIORITY, self.priority, xsd::INTEGER);
        for r in &self.requirements {
            let b = w.blank(s, vk::REQUIREMENT, vk::REQUIREMENT_CLASS);
            w.iri(b.as_ref().into(), vk::COLLECTION, Some(&r.collection));
            w.iri(b.as_ref().into(), vk::LEVEL, Some(&r.level.iri()));
            w.text(b.as_ref().into(), vk::CONDITION, &r.condition);
        }
        w.text(s, vk::INPUT_OUTPUT_NOTE, &self.input_output_note);
        w.iris(s, disco::CONCEPT, &self.concepts);
        w.iris(s, skos::EXACT_MATCH, &self.exact_matches);
        w.lang_strings(s, skos::SCOPE_NOTE, &self.scope_notes);
        w.iris(s, dct::SOURCE, &self.sources);
        w.iris(s, rdfs::SEE_ALSO, &self.see_also);
        w.text(s, adms::VERSION_NOTES, &self.version_notes);
        w.flag(s, vk::NEEDS_INPUT, self.needs_input);
        w.text(s, skos::EDITORIAL_NOTE, &self.editorial_note);
        w.extra(&self.extra);
    }

    /// The owner (spec owner) named by a qualified attribution, if any.
    pub fn owner(&self) -> Option<&NamedNode> {
        owner_of(&self.attributions)
    }

    /// The meaning of a missing value, when it has one.
    pub fn missing_meaning(&self, code: &str) -> Option<&LangText> {
        self.missing_meanings.iter().find(|m| m.code == code).map(|m| &m.meaning)
    }

    /// First and last year covered, over all periods (an open end is `None`).
    pub fn coverage_years(&self) -> Option<(i32, Option<i32>)> {
        let start = self.temporal.iter().filter_map(|p| p.start.as_ref()?.year()).min()?;
        let open = self.temporal.iter().any(|p| p.end.is_none());
        let end = if open { None } else { self.temporal.iter().filter_map(|p| p.end.as_ref()?.year()).max() };
        Some((start, end))
    }
}

/// Puts a consumed value back so that it ends up in `extra` unchanged.
fn n_keep(n: &mut Node<'_>, p: oxigraph::model::NamedNodeRef<'_>, o: NamedNode) {
    n.restore(p, Term::NamedNode(o));
}
