//! Typed reads of the public catalogue through the store contract.
//!
//! Owns: turning public records (published and retired) into typed [`Resource`]s, and the
//! reverse links and labels pages, search documents and exports need. Everything here sees
//! only public records: a draft or an internal graph cannot reach a caller by construction.
//! Does not: write, or hold SPARQL text (that is [`super::queries`]).

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::{NamedNode, NamedNodeRef};

use super::queries::{self, Relatedness};
use super::{Filter, RecordMeta, RecordStore, StoreError};
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::{dct, disco, skos};
use crate::model::{Concept, LangText, Variable};

/// The public catalogue as typed records.
#[derive(Clone, Copy)]
pub struct PublicReads<'a> {
    store: &'a dyn RecordStore,
}

impl<'a> PublicReads<'a> {
    pub fn new(store: &'a dyn RecordStore) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &'a dyn RecordStore {
        self.store
    }

    /// A public record by IRI, typed.
    pub fn resource(&self, iri: NamedNodeRef<'_>) -> Result<Option<(RecordMeta, Resource)>, StoreError> {
        let Some(rec) = self.store.get(iri)? else { return Ok(None) };
        if !rec.meta.state.is_public() {
            return Ok(None);
        }
        match Resource::from_graph(rec.meta.kind, &rec.meta.iri, &rec.graph) {
            Ok(r) => Ok(Some((rec.meta, r))),
            Err(e) => Err(StoreError::BadMetadata { iri: iri.as_str().to_owned(), problem: e.to_string() }),
        }
    }

    /// Counts of public records per kind.
    pub fn counts(&self) -> Result<HashMap<RecordKind, u64>, StoreError> {
        queries::public_counts(self.store)
    }

    /// One page of public records of a kind, typed, in IRI order, with the total.
    pub fn list(&self, kind: RecordKind, offset: u64, limit: u64) -> Result<(u64, Vec<Resource>), StoreError> {
        let filter = Filter::public(kind);
        let total = self.store.count(&filter)?;
        let mut out = Vec::new();
        for meta in self.store.list(&filter, offset, limit)? {
            if let Some((_, r)) = self.resource(meta.iri.as_ref())? {
                out.push(r);
            }
        }
        Ok((total, out))
    }

    /// Variables held by a dataset (`<dataset> disco:variable ?v` lives in `?v`'s own graph).
    pub fn variables_of_dataset(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_owners(Some(dataset.as_ref()), disco::VARIABLE_PROP, None, true)
    }

    /// Public subsets of a dataset (`?x dct:isPartOf <dataset>` in `?x`'s own graph), by IRI.
    /// Index lookups, no query to plan: the harvest document asks once per dataset.
    pub fn parts_of(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_owners(None, dct::IS_PART_OF, Some(dataset.as_ref()), false)
    }

    pub fn use_cases_of(&self, iri: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        queries::use_cases_of(self.store, iri)
    }

    /// Codes of a code list, in display order (`vk:order`, then code).
    pub fn concepts_of(&self, scheme: &NamedNode) -> Result<Vec<Concept>, StoreError> {
        let mut out = Vec::new();
        // whether each is public is checked when it is read
        for iri in self.concept_iris(scheme)? {
            if let Some((_, Resource::Concept(c))) = self.resource(iri.as_ref())? {
                out.push(c);
            }
        }
        sort_concepts(&mut out);
        Ok(out)
    }

    /// The public codes minted under a code list's IRI (`{list}/{code}`), in it or no longer.
    pub fn codes_minted_under(&self, scheme: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        queries::public_records_under(self.store, RecordKind::Concept, &format!("{}/", scheme.as_str()))
    }

    /// The records that say they are in a code list (public or not), by IRI.
    pub fn concept_iris(&self, scheme: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.owners(None, skos::IN_SCHEME, Some(scheme.as_ref()), false)
    }

    /// Variables whose values come from a code list (`?v disco:representation <scheme>`).
    pub fn variables_using_code_list(&self, scheme: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_owners(None, disco::REPRESENTATION, Some(scheme.as_ref()), false)
    }

    /// The records whose own graph holds a statement matching the pattern, the record being
    /// its object (`object_is_record`) or its subject; sorted by IRI, each once. Index lookups,
    /// no query to plan: these run once per document when the search index is built.
    fn owners(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: NamedNodeRef<'_>,
        object: Option<NamedNodeRef<'_>>,
        object_is_record: bool,
    ) -> Result<Vec<NamedNode>, StoreError> {
        let quads = self.store.quads_matching(subject, Some(predicate), object.map(Into::into))?;
        let mut out: Vec<NamedNode> = quads
            .into_iter()
            .filter_map(|q| {
                let end = if object_is_record {
                    match q.object {
                        oxigraph::model::Term::NamedNode(n) => n,
                        _ => return None,
                    }
                } else {
                    match q.subject {
                        oxigraph::model::NamedOrBlankNode::NamedNode(n) => n,
                        oxigraph::model::NamedOrBlankNode::BlankNode(_) => return None,
                    }
                };
                matches!(&q.graph_name, oxigraph::model::GraphName::NamedNode(g) if *g == end).then_some(end)
            })
            .collect();
        out.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        out.dedup();
        Ok(out)
    }

    /// [`Self::owners`] that are public records.
    fn public_owners(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: NamedNodeRef<'_>,
        object: Option<NamedNodeRef<'_>>,
        object_is_record: bool,
    ) -> Result<Vec<NamedNode>, StoreError> {
        let mut out = self.owners(subject, predicate, object, object_is_record)?;
        let mut public = Vec::with_capacity(out.len());
        for iri in out.drain(..) {
            if self.store.meta(iri.as_ref())?.is_some_and(|m| m.state.is_public()) {
                public.push(iri);
            }
        }
        Ok(public)
    }

    pub fn variables_using_standard(&self, standard: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        queries::variables_using_standard(self.store, standard)
    }

    pub fn datasets_published_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        queries::datasets_published_by(self.store, agent)
    }

    pub fn others_published_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        queries::others_published_by(self.store, agent)
    }

    pub fn owned_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        queries::owned_by(self.store, agent)
    }

    /// Variables related to one: the same technical name, the same concept or (when
    /// `by_coding_system`) the same coding system, in other records.
    pub fn related_variables(&self, v: &Variable, by_coding_system: bool) -> Result<Vec<NamedNode>, StoreError> {
        let by = Relatedness {
            notation: v.notation.as_deref(),
            concepts: &v.concepts,
            coding_systems: if by_coding_system { &v.coding_systems } else { &[] },
        };
        Ok(queries::related_variables(self.store, &by)?.into_iter().filter(|x| *x != v.iri).collect())
    }

    /// Public variables the matching rule may pair with what `by` describes.
    pub fn match_candidates(&self, by: &queries::MatchBy<'_>) -> Result<Vec<NamedNode>, StoreError> {
        queries::match_candidates(self.store, by)
    }

    /// Versions among coding systems that touch `systems`: (the version, what it is a version of).
    pub fn coding_system_versions(&self, systems: &[NamedNode]) -> Result<Vec<(NamedNode, NamedNode)>, StoreError> {
        queries::coding_system_versions(self.store, systems)
    }

    /// Labels of linked records (title, name or label), for links on pages. IRIs that are not
    /// public records are left out. One query over the public default graph, instead of
    /// reading each record whole.
    pub fn labels(&self, iris: &[NamedNode]) -> Result<HashMap<NamedNode, LangText>, StoreError> {
        if iris.is_empty() {
            return Ok(HashMap::new());
        }
        // a contact point `agent/x#kontakt` is shown by its agent's name
        let base = |iri: &NamedNode| iri.as_str().split_once('#').and_then(|(b, _)| NamedNode::new(b).ok());
        let mut asked: BTreeSet<NamedNode> = iris.iter().cloned().collect();
        asked.extend(iris.iter().filter_map(base));
        let asked: Vec<NamedNode> = asked.into_iter().collect();
        let mut found: HashMap<NamedNode, [LangText; 3]> = HashMap::new();
        for (x, slot, lang, text) in queries::label_rows(self.store, &asked)? {
            let entry = &mut found.entry(x).or_default()[slot];
            if entry.get(&lang).is_none() && !text.trim().is_empty() {
                entry.set(&lang, &text);
            }
        }
        let label_of = |iri: &NamedNode| found.get(iri).and_then(|texts| texts.iter().find(|t| !t.is_empty())).cloned();
        Ok(iris.iter().filter_map(|iri| label_of(iri).or_else(|| base(iri).and_then(|b| label_of(&b))).map(|l| (iri.clone(), l))).collect())
    }
}

/// Codes in display order: `vk:order`, then the code in natural order.
pub fn sort_concepts(concepts: &mut [Concept]) {
    concepts.sort_by(|a, b| {
        (a.order.unwrap_or(u64::MAX), natural_key(a.notation.as_deref().unwrap_or("")))
            .cmp(&(b.order.unwrap_or(u64::MAX), natural_key(b.notation.as_deref().unwrap_or(""))))
    });
}

/// Sort key that orders "2" before "10" and keeps codes like "S72.0" readable.
fn natural_key(s: &str) -> (u64, String) {
    match s.parse::<u64>() {
        Ok(n) => (n, String::new()),
        Err(_) => (u64::MAX, s.to_owned()),
    }
}
