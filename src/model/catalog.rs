//! The catalogue itself, use cases and coding systems (`dct:Standard`).

use oxigraph::model::{Graph, NamedNode, Triple};

use super::ModelError;
use super::rdf::{LangText, Node, Temporal, Writer};
use super::vocab::{dcat, dct, foaf, owl, rdfs, skos, vk};

/// The `dcat:Catalog` record. Its `dcat:dataset` links are derived on publishing, not stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    pub iri: NamedNode,
    pub title: LangText,
    pub description: LangText,
    pub publisher: Option<NamedNode>,
    pub license: Option<NamedNode>,
    pub languages: Vec<NamedNode>,
    pub theme_taxonomies: Vec<NamedNode>,
    pub spatial: Vec<NamedNode>,
    pub homepage: Option<NamedNode>,
    pub issued: Option<Temporal>,
    pub modified: Option<Temporal>,
    pub extra: Vec<Triple>,
}

impl Catalog {
    pub fn new(iri: NamedNode, title: LangText) -> Self {
        Self {
            iri,
            title,
            description: LangText::new(),
            publisher: None,
            license: None,
            languages: Vec::new(),
            theme_taxonomies: Vec::new(),
            spatial: Vec::new(),
            homepage: None,
            issued: None,
            modified: None,
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        let mut n = Node::new(graph, iri.clone());
        n.take_type(dcat::CATALOG);
        Ok(Self {
            iri: iri.clone(),
            title: n.text(dct::TITLE),
            description: n.text(dct::DESCRIPTION),
            publisher: n.iri(dct::PUBLISHER),
            license: n.iri(dct::LICENSE),
            languages: n.iris(dct::LANGUAGE),
            theme_taxonomies: n.iris(dcat::THEME_TAXONOMY),
            spatial: n.iris(dct::SPATIAL),
            homepage: n.iri(foaf::HOMEPAGE),
            issued: n.temporal(dct::ISSUED)?,
            modified: n.temporal(dct::MODIFIED)?,
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let s = self.iri.as_ref().into();
        w.typ(s, dcat::CATALOG);
        w.text(s, dct::TITLE, &self.title);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.iri(s, dct::PUBLISHER, self.publisher.as_ref());
        w.iri(s, dct::LICENSE, self.license.as_ref());
        w.iris(s, dct::LANGUAGE, &self.languages);
        w.iris(s, dcat::THEME_TAXONOMY, &self.theme_taxonomies);
        w.iris(s, dct::SPATIAL, &self.spatial);
        w.iri(s, foaf::HOMEPAGE, self.homepage.as_ref());
        w.temporal(s, dct::ISSUED, self.issued.as_ref());
        w.temporal(s, dct::MODIFIED, self.modified.as_ref());
        w.extra(&self.extra);
    }
}

/// A use case that variables and datasets serve (DESIGN.md: A–D).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseCase {
    pub iri: NamedNode,
    /// Short code ("A").
    pub identifier: Option<String>,
    pub title: LangText,
    pub description: LangText,
    pub variables: Vec<NamedNode>,
    pub datasets: Vec<NamedNode>,
    pub scope_note: LangText,
    pub needs_input: bool,
    pub editorial_note: LangText,
    pub extra: Vec<Triple>,
}

impl UseCase {
    pub fn new(iri: NamedNode, title: LangText) -> Self {
        Self {
            iri,
            identifier: None,
            title,
            description: LangText::new(),
            variables: Vec::new(),
            datasets: Vec::new(),
            scope_note: LangText::new(),
            needs_input: false,
            editorial_note: LangText::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        let mut n = Node::new(graph, iri.clone());
        n.take_type(vk::USE_CASE);
        Ok(Self {
            iri: iri.clone(),
            identifier: n.string(dct::IDENTIFIER),
            title: n.text(dct::TITLE),
            description: n.text(dct::DESCRIPTION),
            variables: n.iris(vk::USES_VARIABLE),
            datasets: n.iris(vk::USES_DATASET),
            scope_note: n.text(skos::SCOPE_NOTE),
            needs_input: n.flag(vk::NEEDS_INPUT),
            editorial_note: n.text(skos::EDITORIAL_NOTE),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let s = self.iri.as_ref().into();
        w.typ(s, vk::USE_CASE);
        w.string(s, dct::IDENTIFIER, self.identifier.as_deref());
        w.text(s, dct::TITLE, &self.title);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.iris(s, vk::USES_VARIABLE, &self.variables);
        w.iris(s, vk::USES_DATASET, &self.datasets);
        w.text(s, skos::SCOPE_NOTE, &self.scope_note);
        w.flag(s, vk::NEEDS_INPUT, self.needs_input);
        w.text(s, skos::EDITORIAL_NOTE, &self.editorial_note);
        w.extra(&self.extra);
    }
}

/// A coding system or terminology (`dct:Standard`), identified by its OID where it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standard {
    pub iri: NamedNode,
    pub title: LangText,
    pub description: LangText,
    /// The OIDs ("1.2.752.116.1.1.1.1.3"); some systems go by more than one.
    pub identifiers: Vec<String>,
    pub same_as: Vec<NamedNode>,
    pub publisher: Option<NamedNode>,
    pub pages: Vec<NamedNode>,
    pub see_also: Vec<NamedNode>,
    /// The same system in a controlled vocabulary (`skos:exactMatch`), e.g. HealthDCAT-AP's
    /// coding-system list: `…/coding-system/ATC`.
    pub exact_matches: Vec<NamedNode>,
    /// A broader entry of a controlled vocabulary that this system is a case of
    /// (`skos:broadMatch`), e.g. ICD-10-SE → `…/coding-system/ICD-10-NAT` (a national version).
    pub broad_matches: Vec<NamedNode>,
    /// The system this one is a version of (`dct:isVersionOf`): ICD-10-SE of WHO's ICD-10. The
    /// comparison pairs variables coded with either (`matching`).
    pub version_of: Vec<NamedNode>,
    /// The form of the system's codes, a regular expression a whole code matches
    /// (`vk:codePattern`, case-insensitive): how the search recognises a code typed (`J18` as
    /// ICD-10-SE) when no code list of the catalogue holds it.
    pub code_pattern: Option<String>,
    pub scope_note: LangText,
    pub needs_input: bool,
    pub editorial_note: LangText,
    pub extra: Vec<Triple>,
}

impl Standard {
    /// The entries of a controlled vocabulary under `base` this system matches, exact first.
    pub fn matches_in(&self, base: &str) -> Vec<NamedNode> {
        self.exact_matches.iter().chain(&self.broad_matches).filter(|m| m.as_str().starts_with(base)).cloned().collect()
    }

    pub fn new(iri: NamedNode, title: LangText) -> Self {
        Self {
            iri,
            title,
            description: LangText::new(),
            identifiers: Vec::new(),
            same_as: Vec::new(),
            publisher: None,
            pages: Vec::new(),
            see_also: Vec::new(),
            exact_matches: Vec::new(),
            broad_matches: Vec::new(),
            version_of: Vec::new(),
            code_pattern: None,
            scope_note: LangText::new(),
            needs_input: false,
            editorial_note: LangText::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        let mut n = Node::new(graph, iri.clone());
        n.take_type(dct::STANDARD);
        Ok(Self {
            iri: iri.clone(),
            title: n.text(dct::TITLE),
            description: n.text(dct::DESCRIPTION),
            identifiers: n.strings(dct::IDENTIFIER),
            same_as: n.iris(owl::SAME_AS),
            publisher: n.iri(dct::PUBLISHER),
            pages: n.iris(foaf::PAGE),
            see_also: n.iris(rdfs::SEE_ALSO),
            exact_matches: super::dataset::upgrade_all(n.iris(skos::EXACT_MATCH)),
            broad_matches: super::dataset::upgrade_all(n.iris(skos::BROAD_MATCH)),
            version_of: n.iris(dct::IS_VERSION_OF),
            code_pattern: n.string(vk::CODE_PATTERN),
            scope_note: n.text(skos::SCOPE_NOTE),
            needs_input: n.flag(vk::NEEDS_INPUT),
            editorial_note: n.text(skos::EDITORIAL_NOTE),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let s = self.iri.as_ref().into();
        w.typ(s, dct::STANDARD);
        w.text(s, dct::TITLE, &self.title);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.strings(s, dct::IDENTIFIER, &self.identifiers);
        w.iris(s, owl::SAME_AS, &self.same_as);
        w.iri(s, dct::PUBLISHER, self.publisher.as_ref());
        w.iris(s, foaf::PAGE, &self.pages);
        w.iris(s, rdfs::SEE_ALSO, &self.see_also);
        w.iris(s, skos::EXACT_MATCH, &self.exact_matches);
        w.iris(s, skos::BROAD_MATCH, &self.broad_matches);
        w.iris(s, dct::IS_VERSION_OF, &self.version_of);
        w.string(s, vk::CODE_PATTERN, self.code_pattern.as_deref());
        w.text(s, skos::SCOPE_NOTE, &self.scope_note);
        w.flag(s, vk::NEEDS_INPUT, self.needs_input);
        w.text(s, skos::EDITORIAL_NOTE, &self.editorial_note);
        w.extra(&self.extra);
    }
}
