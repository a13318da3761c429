//! Code lists (`skos:ConceptScheme`) and their codes (`skos:Concept`), with validity periods.

use oxigraph::model::{Graph, NamedNode, Triple};

use super::ModelError;
use super::rdf::{LangString, LangText, Node, Temporal, Writer};
use super::vocab::{dct, schema, skos, vk, xsd};

/// A code list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeList {
    pub iri: NamedNode,
    pub identifier: Option<String>,
    /// `dct:title` (DCAT-AP asks for it on a concept scheme).
    pub title: LangText,
    /// `skos:prefLabel` (SKOS); usually the same text as the title.
    pub label: LangText,
    pub description: LangText,
    /// The coding system it draws from (`dct:conformsTo` a `dct:Standard`).
    pub conforms_to: Vec<NamedNode>,
    pub publisher: Option<NamedNode>,
    pub sources: Vec<NamedNode>,
    pub version: Option<String>,
    pub needs_input: bool,
    pub editorial_note: LangText,
    pub extra: Vec<Triple>,
}

impl CodeList {
    pub fn new(iri: NamedNode, title: LangText) -> Self {
        Self {
            iri,
            identifier: None,
            label: title.clone(),
            title,
            description: LangText::new(),
            conforms_to: Vec::new(),
            publisher: None,
            sources: Vec::new(),
            version: None,
            needs_input: false,
            editorial_note: LangText::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        use super::vocab::dcat;
        let mut n = Node::new(graph, iri.clone());
        n.take_type(skos::CONCEPT_SCHEME);
        Ok(Self {
            iri: iri.clone(),
            identifier: n.string(dct::IDENTIFIER),
            title: n.text(dct::TITLE),
            label: n.text(skos::PREF_LABEL),
            description: n.text(dct::DESCRIPTION),
            conforms_to: n.iris(dct::CONFORMS_TO),
            publisher: n.iri(dct::PUBLISHER),
            sources: n.iris(dct::SOURCE),
            version: n.string(dcat::VERSION),
            needs_input: n.flag(vk::NEEDS_INPUT),
            editorial_note: n.text(skos::EDITORIAL_NOTE),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        use super::vocab::dcat;
        let s = self.iri.as_ref().into();
        w.typ(s, skos::CONCEPT_SCHEME);
        w.string(s, dct::IDENTIFIER, self.identifier.as_deref());
        w.text(s, dct::TITLE, &self.title);
        w.text(s, skos::PREF_LABEL, &self.label);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.iris(s, dct::CONFORMS_TO, &self.conforms_to);
        w.iri(s, dct::PUBLISHER, self.publisher.as_ref());
        w.iris(s, dct::SOURCE, &self.sources);
        w.string(s, dcat::VERSION, self.version.as_deref());
        w.flag(s, vk::NEEDS_INPUT, self.needs_input);
        w.text(s, skos::EDITORIAL_NOTE, &self.editorial_note);
        w.extra(&self.extra);
    }
}

/// One code of a code list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concept {
    pub iri: NamedNode,
    /// The code, always a string ("01", not 1).
    pub notation: Option<String>,
    pub label: LangText,
    /// Synonyms shown with the code (`skos:altLabel`): "lårbenshalsfraktur" for S72.0.
    pub alt_labels: Vec<LangString>,
    /// Words the search knows the code by but pages do not show (`skos:hiddenLabel`):
    /// "höftfraktur" for S72.0–S72.2, common misspellings.
    pub hidden_labels: Vec<LangString>,
    pub definition: LangText,
    pub in_scheme: Vec<NamedNode>,
    /// `skos:topConceptOf` (a `?scheme skos:hasTopConcept ?concept` stays in `extra`).
    pub top_concept_of: Vec<NamedNode>,
    pub broader: Vec<NamedNode>,
    pub order: Option<u64>,
    pub valid_from: Option<Temporal>,
    pub valid_through: Option<Temporal>,
    pub exact_matches: Vec<NamedNode>,
    pub scope_note: LangText,
    pub extra: Vec<Triple>,
}

impl Concept {
    pub fn new(iri: NamedNode, notation: &str, label: LangText) -> Self {
        Self {
            iri,
            notation: Some(notation.to_owned()),
            label,
            alt_labels: Vec::new(),
            hidden_labels: Vec::new(),
            definition: LangText::new(),
            in_scheme: Vec::new(),
            top_concept_of: Vec::new(),
            broader: Vec::new(),
            order: None,
            valid_from: None,
            valid_through: None,
            exact_matches: Vec::new(),
            scope_note: LangText::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        let mut n = Node::new(graph, iri.clone());
        n.take_type(skos::CONCEPT);
        // codes are strings; a typed notation ("1"^^xsd:integer) stays verbatim in `extra`
        let notation = n.string(skos::NOTATION);
        Ok(Self {
            iri: iri.clone(),
            notation,
            label: n.text(skos::PREF_LABEL),
            alt_labels: n.lang_strings(skos::ALT_LABEL),
            hidden_labels: n.lang_strings(skos::HIDDEN_LABEL),
            definition: n.text(skos::DEFINITION),
            in_scheme: n.iris(skos::IN_SCHEME),
            top_concept_of: n.iris(skos::TOP_CONCEPT_OF),
            broader: n.iris(skos::BROADER),
            order: n.unsigned(vk::ORDER)?,
            valid_from: n.temporal(schema::VALID_FROM)?,
            valid_through: n.temporal(schema::VALID_THROUGH)?,
            exact_matches: n.iris(skos::EXACT_MATCH),
            scope_note: n.text(skos::SCOPE_NOTE),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let s = self.iri.as_ref().into();
        w.typ(s, skos::CONCEPT);
        w.string(s, skos::NOTATION, self.notation.as_deref());
        w.text(s, skos::PREF_LABEL, &self.label);
        w.lang_strings(s, skos::ALT_LABEL, &self.alt_labels);
        w.lang_strings(s, skos::HIDDEN_LABEL, &self.hidden_labels);
        w.text(s, skos::DEFINITION, &self.definition);
        w.iris(s, skos::IN_SCHEME, &self.in_scheme);
        w.iris(s, skos::TOP_CONCEPT_OF, &self.top_concept_of);
        w.iris(s, skos::BROADER, &self.broader);
        w.unsigned(s, vk::ORDER, self.order, xsd::INTEGER);
        w.temporal(s, schema::VALID_FROM, self.valid_from.as_ref());
        w.temporal(s, schema::VALID_THROUGH, self.valid_through.as_ref());
        w.iris(s, skos::EXACT_MATCH, &self.exact_matches);
        w.text(s, skos::SCOPE_NOTE, &self.scope_note);
        w.extra(&self.extra);
    }
}
