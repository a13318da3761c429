//! Publishing: what leaves the catalogue, for harvesters, SPARQL clients and `vardkatalog
//! export`.
//!
//! Owns: which records leave (published and retired only, never drafts, never the metadata
//! graph), the selection and order of datasets (by IRI, optionally `modified_since`, paged),
//! the *harvest document* (the catalogue node listing the selected datasets, each with its
//! distributions, data services, agents, contact points, coding systems and, in the health
//! profiles, its variables as CSVW), record descriptions for dereferenced IRIs, and streaming
//! serialisation: records are read, projected and written one dataset at a time, so no
//! document is ever held in memory whole.
//!
//! Output is always written from the typed model (`Resource::to_graph`), never from stored
//! quads: the store keeps literal values, not their lexical forms or datatypes.
//!
//! Submodules: [`profile`] (the DCAT-AP-SE / HealthDCAT-AP / DCAT-AP projections), `csvw`
//! (variables as a CSVW data dictionary), [`paging`] (parameters and the Hydra page node),
//! [`sparql`] (the public, read-only SPARQL endpoint).

pub mod citation;
mod csvw;
pub mod feed;
pub mod paging;
pub mod profile;
pub mod sparql;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{BlankNode, Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef};
use sha2::{Digest, Sha256};

use crate::catalog::Catalogue;
use crate::config::Vocabularies;
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::{PREFIXES, dcat, dct, disco, xsd};
use crate::store::{Filter, RecordMeta, StoreError, queries};

pub use paging::{PageLinks, PageNode, PageRequest, ParamError};
pub use profile::{Context, Profile, Projector};

/// Why publishing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the output failed: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Param(#[from] ParamError),
}

/// The RDF formats harvesters are served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Turtle,
    RdfXml,
    JsonLd,
    NTriples,
}

impl Format {
    pub const ALL: [Self; 4] = [Self::RdfXml, Self::Turtle, Self::JsonLd, Self::NTriples];

    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::RdfXml => RdfFormat::RdfXml,
            Self::JsonLd => RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() },
            Self::NTriples => RdfFormat::NTriples,
        }
    }

    /// The media type sent as Content-Type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::RdfXml => "application/rdf+xml",
            Self::JsonLd => "application/ld+json",
            Self::NTriples => "application/n-triples",
        }
    }

    /// The URL suffix (`/catalog.ttl`).
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::RdfXml => "rdf",
            Self::JsonLd => "jsonld",
            Self::NTriples => "nt",
        }
    }

    pub fn from_suffix(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.suffix() == s)
    }
}

/// One public dataset in publishing order, with the last change of the records its
/// description is made of (itself, its distributions and its variables).
#[derive(Clone, Debug)]
pub struct DatasetEntry {
    pub iri: NamedNode,
    pub modified: DateTime<Utc>,
}

/// What publishing needs to know about the whole catalogue, computed once per store
/// generation: the public datasets in IRI order, a fingerprint of every public record's
/// content, and when the public catalogue last changed.
#[derive(Debug)]
pub struct Index {
    pub generation: u64,
    /// Sorted by IRI (the stable order of paging).
    pub datasets: Vec<DatasetEntry>,
    /// Changes whenever any public record changes, appears or disappears.
    pub fingerprint: String,
    pub last_modified: Option<DateTime<Utc>>,
    pub public_records: u64,
}

impl Index {
    /// The datasets changed since `since` (all when `None`), in order.
    pub fn selected(&self, since: Option<DateTime<Utc>>) -> impl Iterator<Item = &DatasetEntry> {
        self.datasets.iter().filter(move |d| since.is_none_or(|s| d.modified >= s))
    }
}

/// A request for the catalogue document (`/catalog`).
#[derive(Clone, Debug)]
pub struct CatalogRequest {
    pub profile: Profile,
    pub format: Format,
    /// `None`: the whole catalogue in one document (what dataportal.se reads).
    pub page: Option<PageRequest>,
    pub modified_since: Option<DateTime<Utc>>,
    /// Where page links point (`{base}catalog` or `{base}catalog.ttl`, and the parameters).
    pub links: PageLinks,
}

/// A catalogue document ready to be written: the selection is fixed and checked, so an HTTP
/// layer can answer the status and the validators before the first byte of the body.
#[derive(Clone, Debug)]
pub struct PreparedCatalog {
    pub request: CatalogRequest,
    pub index: Arc<Index>,
    pub page_node: Option<PageNode>,
    skip: usize,
    take: usize,
    /// A weak validator: the same content in the same representation.
    pub etag: String,
    pub last_modified: Option<DateTime<Utc>>,
    /// How many datasets the document holds.
    pub datasets: u64,
}

/// A record's own description, small enough to hold in memory.
#[derive(Clone, Debug)]
pub struct RecordDocument {
    pub body: Vec<u8>,
    pub etag: String,
    pub last_modified: DateTime<Utc>,
}

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub triples: u64,
    pub datasets: u64,
}

/// Statements about a public dataset that its record does not hold, added to its description
/// in the HealthDCAT-AP profile (`profile=healthdcat-ap`): the EHDS quality and utility label
/// as DQV (`crate::label` implements it). Kept behind a trait so that publishing does not
/// depend on the label service.
pub trait Annotations: Send + Sync {
    /// The statements about one dataset (empty when there are none).
    fn dataset(&self, dataset: &NamedNode) -> Result<Graph, StoreError>;
    /// What those statements refer to (metric definitions), written once per document: a node
    /// that names them and the triples.
    fn shared(&self) -> (NamedNode, Graph);
    /// Changes whenever the statements could (part of the documents' ETags).
    fn fingerprint(&self) -> String;
}

/// The publishing service: the catalogue, the published vocabulary bases, and the caches
/// derived from the store (rebuilt when the store's generation changes).
pub struct Publisher {
    catalogue: Arc<Catalogue>,
    vocabularies: Vocabularies,
    index: Mutex<Option<Arc<Index>>>,
    graphs: Mutex<Option<(u64, Arc<Vec<NamedNode>>)>>,
    annotations: Option<Arc<dyn Annotations>>,
}

impl Publisher {
    pub fn new(catalogue: Arc<Catalogue>, vocabularies: Vocabularies) -> Self {
        Self { catalogue, vocabularies, index: Mutex::new(None), graphs: Mutex::new(None), annotations: None }
    }

    /// Adds the statements of `annotations` to the datasets of the HealthDCAT-AP profile.
    pub fn with_annotations(mut self, annotations: Arc<dyn Annotations>) -> Self {
        self.annotations = Some(annotations);
        self
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    pub fn vocabularies(&self) -> &Vocabularies {
        &self.vocabularies
    }

    /// The index of the current store generation.
    pub fn index(&self) -> Result<Arc<Index>, StoreError> {
        let generation = self.catalogue.store().generation()?;
        let mut cached = self.index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(index) = cached.as_ref().filter(|i| i.generation == generation) {
            return Ok(index.clone());
        }
        let index = Arc::new(self.build_index(generation)?);
        *cached = Some(index.clone());
        Ok(index)
    }

    fn build_index(&self, generation: u64) -> Result<Index, StoreError> {
        let store = self.catalogue.store();
        let mut datasets: Vec<DatasetEntry> = Vec::new();
        let mut sum: u128 = 0;
        let mut count: u64 = 0;
        let mut last: Option<DateTime<Utc>> = None;
        let records = queries::public_records(store)?;
        let mut modified: HashMap<&str, DateTime<Utc>> = HashMap::with_capacity(records.len());
        for r in &records {
            let m = modified.entry(r.iri.as_str()).or_insert(r.modified);
            *m = (*m).max(r.modified);
        }
        for r in &records {
            let digest = Sha256::new().chain_update(r.iri.as_str()).chain_update([0]).chain_update(&r.content_hash).finalize();
            let mut first = [0u8; 16];
            first.copy_from_slice(&digest[..16]);
            sum = sum.wrapping_add(u128::from_be_bytes(first));
            count += 1;
            last = Some(last.map_or(r.modified, |l| l.max(r.modified)));
            if r.kind == RecordKind::Dataset.as_str() {
                datasets.push(DatasetEntry { iri: r.iri.clone(), modified: r.modified });
            }
        }
        datasets.sort_by(|a, b| a.iri.as_str().cmp(b.iri.as_str()));

        // a dataset's description also changes when one of its public distributions or
        // variables does (their times from the records just read, not a lookup per part)
        for (d, x) in queries::dataset_parts(store)? {
            if let (Ok(i), Some(m)) = (datasets.binary_search_by(|e| e.iri.as_str().cmp(d.as_str())), modified.get(x.as_str())) {
                datasets[i].modified = datasets[i].modified.max(*m);
            }
        }
        Ok(Index { generation, datasets, fingerprint: format!("{count:x}-{sum:032x}"), last_modified: last, public_records: count })
    }

    /// Every public record graph (for the SPARQL dataset), cached per store generation.
    pub fn public_graphs(&self) -> Result<Arc<Vec<NamedNode>>, StoreError> {
        let generation = self.catalogue.store().generation()?;
        let mut cached = self.graphs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((g, graphs)) = cached.as_ref()
            && *g == generation
        {
            return Ok(graphs.clone());
        }
        let graphs = Arc::new(queries::public_graphs(self.catalogue.store())?);
        *cached = Some((generation, graphs.clone()));
        Ok(graphs)
    }

    /// Fixes the selection of a catalogue request and checks it (a page past the last one is
    /// an error), without writing anything yet.
    pub fn prepare(&self, request: CatalogRequest) -> Result<PreparedCatalog, PublishError> {
        let index = self.index()?;
        let total = index.selected(request.modified_since).count() as u64;
        let (skip, take, page_node) = match request.page {
            Some(page) => {
                let offset = page.offset(total)?;
                let take = page.page_size.min(total.saturating_sub(offset));
                (offset, take, Some(PageNode::new(&request.links, page, total)))
            }
            None => (0, total, None),
        };
        let mut h = Sha256::new();
        let annotated = match (&self.annotations, request.profile.release8()) {
            (Some(a), true) => a.fingerprint(),
            _ => String::new(),
        };
        for part in [
            env!("CARGO_PKG_VERSION"),
            &annotated,
            self.catalogue.minter().base(),
            &index.fingerprint,
            request.profile.as_str(),
            request.format.media_type(),
            &self.vocabularies.health_category_base,
            &self.vocabularies.health_theme_base,
            &self.vocabularies.health_publisher_type_base,
            &request.modified_since.map(|d| d.to_rfc3339()).unwrap_or_default(),
            &page_node.as_ref().map(|p| p.this.as_str().to_owned()).unwrap_or_default(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let etag = format!("W/\"{}\"", hex(&h.finalize()[..12]));
        Ok(PreparedCatalog {
            last_modified: index.last_modified,
            index,
            page_node,
            skip: usize::try_from(skip).unwrap_or(usize::MAX),
            take: usize::try_from(take).unwrap_or(usize::MAX),
            etag,
            datasets: take,
            request,
        })
    }

    /// Writes a prepared catalogue document, one dataset at a time.
    pub fn write_catalog(&self, prepared: &PreparedCatalog, out: impl Write) -> Result<Stats, PublishError> {
        let datasets = prepared.index.selected(prepared.request.modified_since).skip(prepared.skip).take(prepared.take).map(|d| &d.iri);
        let full = prepared.page_node.is_none() && prepared.request.modified_since.is_none();
        self.write_document(prepared.request.profile, prepared.request.format, datasets, prepared.page_node.as_ref(), full, out)
    }

    /// A document with the catalogue node and the given datasets in full (no paging).
    pub fn write_datasets<'a>(
        &self,
        profile: Profile,
        format: Format,
        datasets: impl IntoIterator<Item = &'a NamedNode>,
        out: impl Write,
    ) -> Result<Stats, PublishError> {
        self.write_document(profile, format, datasets.into_iter(), None, false, out)
    }

    fn write_document<'a>(
        &self,
        profile: Profile,
        format: Format,
        datasets: impl Iterator<Item = &'a NamedNode>,
        page_node: Option<&PageNode>,
        all_services: bool,
        out: impl Write,
    ) -> Result<Stats, PublishError> {
        let projector = Projector::new(profile, &self.vocabularies);
        let mut w = TripleWriter::new(format, out);
        let catalog = self.catalogue.minter().catalog();
        let mut seen: HashSet<NamedNode> = HashSet::new();
        if let Some(node) = page_node {
            for t in node.triples(&catalog) {
                w.write(t.as_ref())?;
            }
        }
        if let Some((_, resource @ Resource::Catalog(_))) = self.catalogue.public_resource(catalog.as_ref())? {
            w.graph(&self.project(&projector, &resource)?)?;
            seen.insert(catalog.clone());
            let mut unit = Unit::default();
            let Resource::Catalog(c) = &resource else { unreachable!() };
            if let Some(p) = &c.publisher {
                self.add_agent(&projector, &mut seen, &mut unit, p)?;
            }
            w.graph(&unit.graph)?;
        }
        let mut stats = Stats::default();
        for iri in datasets {
            let Some(unit) = self.dataset_unit(&projector, &mut seen, iri)? else { continue };
            w.write(TripleRef::new(&catalog, dcat::DATASET_PROP, iri))?;
            for s in &unit.services {
                w.write(TripleRef::new(&catalog, dcat::SERVICE, s))?;
            }
            w.graph(&unit.graph)?;
            stats.datasets += 1;
        }
        if all_services {
            // data services that serve none of the datasets still belong to the catalogue
            let filter = Filter::public(RecordKind::DataService);
            let mut offset = 0;
            loop {
                let page = self.catalogue.store().list(&filter, offset, BATCH)?;
                if page.is_empty() {
                    break;
                }
                for meta in &page {
                    if seen.contains(&meta.iri) {
                        continue;
                    }
                    let mut unit = Unit::default();
                    self.add_service(&projector, &mut seen, &mut unit, &meta.iri)?;
                    for s in &unit.services {
                        w.write(TripleRef::new(&catalog, dcat::SERVICE, s))?;
                    }
                    w.graph(&unit.graph)?;
                }
                offset += BATCH;
            }
        }
        stats.triples = w.finish()?;
        Ok(stats)
    }

    /// A record in the profile, without links to records that exist but are not public
    /// (a draft distribution of a published dataset is not even named).
    fn project(&self, projector: &Projector<'_>, resource: &Resource) -> Result<Graph, StoreError> {
        self.project_in(projector, resource, &Context::default())
    }

    /// [`Publisher::project`] with what the projection of a dataset needs beyond its record.
    fn project_in(&self, projector: &Projector<'_>, resource: &Resource, ctx: &Context) -> Result<Graph, StoreError> {
        let mut graph = projector.record_in(resource, ctx);
        let objects: HashSet<NamedNode> = graph
            .iter()
            .filter_map(|t| match t.object {
                TermRef::NamedNode(n) if n != resource.iri().as_ref() => Some(n.into_owned()),
                _ => None,
            })
            .collect();
        for o in objects {
            if self.catalogue.store().meta(o.as_ref())?.is_some_and(|m| !m.state.is_public()) {
                let links: Vec<Triple> = graph.triples_for_object(&o).map(TripleRef::into_owned).collect();
                for t in &links {
                    graph.remove(t);
                }
            }
        }
        Ok(graph)
    }

    /// A dataset with everything a harvester needs beside it.
    fn dataset_unit(&self, projector: &Projector<'_>, seen: &mut HashSet<NamedNode>, iri: &NamedNode) -> Result<Option<Unit>, StoreError> {
        let Some((meta, resource @ Resource::Dataset(_))) = self.catalogue.public_resource(iri.as_ref())? else {
            return Ok(None);
        };
        let Resource::Dataset(d) = &resource else { unreachable!() };
        let mut unit = Unit { last_modified: Some(meta.modified), ..Unit::default() };
        let health = projector.profile().health();
        // what the projection needs beyond the record: the variables (its own, else its parts')
        // and the controlled-vocabulary matches of the coding systems and standards it names
        let mut variables = Vec::new();
        let mut ctx = Context::default();
        if health {
            let mut holders = vec![iri.clone()];
            holders.extend(self.catalogue.parts_of(iri)?);
            let mut seen_vars: HashSet<NamedNode> = HashSet::new();
            for holder in &holders {
                for v in self.variables_of(holder)? {
                    if !seen_vars.insert(v.clone()) {
                        continue;
                    }
                    if let Some((m, Resource::Variable(v))) = self.catalogue.public_resource(v.as_ref())? {
                        unit.touch(&m);
                        variables.push(v);
                    }
                }
            }
            variables.sort_by(|a, b| a.iri.as_str().cmp(b.iri.as_str()));
            ctx.has_variables = !variables.is_empty();
            for s in d.coding_systems.iter().chain(&d.conforms_to) {
                if let Some((_, Resource::Standard(st))) = self.catalogue.public_resource(s.as_ref())? {
                    let mut matches = st.exact_matches.clone();
                    matches.extend(st.broad_matches.iter().cloned());
                    ctx.matches.insert(s.clone(), matches);
                }
            }
        }
        unit.graph.extend(&self.project_in(projector, &resource, &ctx)?);
        let mut services: Vec<NamedNode> = Vec::new();
        let mut standards: Vec<NamedNode> = d.conforms_to.clone();
        for dist in &d.distributions {
            if let Some((m, r @ Resource::Distribution(_))) = self.catalogue.public_resource(dist.as_ref())? {
                unit.touch(&m);
                unit.graph.extend(&self.project(projector, &r)?);
                if let Resource::Distribution(x) = &r {
                    services.extend(x.access_services.iter().cloned());
                    standards.extend(x.conforms_to.iter().cloned());
                }
            }
        }
        services.extend(self.services_serving(iri)?);
        for s in &services {
            self.add_service(projector, seen, &mut unit, s)?;
        }
        let mut agents: Vec<NamedNode> = d.publisher.iter().cloned().collect();
        agents.extend(d.attributions.iter().map(|a| a.agent.clone()));
        agents.extend(d.contact_points.iter().filter_map(owner_of_fragment));
        if health {
            agents.extend(d.hdab.iter().cloned());
            agents.extend(d.custodian.iter().cloned());
            standards.extend(d.coding_systems.iter().cloned());
        }
        for a in &agents {
            self.add_agent(projector, seen, &mut unit, a)?;
        }
        for s in &standards {
            if seen.contains(s) {
                continue;
            }
            self.add_shared(projector, seen, &mut unit, s, RecordKind::Standard)?;
            // the coding system's publisher (Inera, WHO …) is described too, so that every
            // dct:publisher in the document resolves to a named, typed agent
            if let Some((_, Resource::Standard(st))) = self.catalogue.public_resource(s.as_ref())?
                && let Some(p) = &st.publisher
            {
                self.add_agent(projector, seen, &mut unit, p)?;
            }
        }
        if health {
            unit.graph.extend(&csvw::table_group(d, &variables, projector.profile()));
        }
        if let (Some(a), true) = (&self.annotations, projector.profile().release8()) {
            unit.graph.extend(&a.dataset(iri)?);
            let (key, shared) = a.shared();
            if seen.insert(key) {
                unit.graph.extend(&shared);
            }
        }
        Ok(Some(unit))
    }

    /// Data services that serve a dataset (`?x dcat:servesDataset <dataset>` in `?x`'s own
    /// record), in IRI order; whether each is public is checked when it is read.
    fn services_serving(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        let quads = self.catalogue.store().quads_matching(None, Some(dcat::SERVES_DATASET), Some(dataset.as_ref().into()))?;
        Ok(owning_records(quads, |q| match &q.subject {
            NamedOrBlankNode::NamedNode(s) => Some(s.clone()),
            NamedOrBlankNode::BlankNode(_) => None,
        }))
    }

    /// The variables a dataset holds (`<dataset> disco:variable ?v` lives in `?v`'s record),
    /// in IRI order; whether each is public is checked when it is read.
    fn variables_of(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        let quads = self.catalogue.store().quads_matching(Some(dataset.as_ref()), Some(disco::VARIABLE_PROP), None)?;
        Ok(owning_records(quads, |q| match &q.object {
            Term::NamedNode(v) => Some(v.clone()),
            _ => None,
        }))
    }

    fn add_service(
        &self,
        projector: &Projector<'_>,
        seen: &mut HashSet<NamedNode>,
        unit: &mut Unit,
        iri: &NamedNode,
    ) -> Result<(), StoreError> {
        if seen.contains(iri) {
            return Ok(());
        }
        let Some((m, r @ Resource::DataService(_))) = self.catalogue.public_resource(iri.as_ref())? else { return Ok(()) };
        seen.insert(iri.clone());
        unit.touch(&m);
        unit.graph.extend(&self.project(projector, &r)?);
        unit.services.push(iri.clone());
        if let Resource::DataService(s) = &r {
            let mut agents: Vec<NamedNode> = s.publisher.iter().cloned().collect();
            agents.extend(s.contact_points.iter().filter_map(owner_of_fragment));
            for a in &agents {
                self.add_agent(projector, seen, unit, a)?;
            }
            for st in &s.conforms_to {
                self.add_shared(projector, seen, unit, st, RecordKind::Standard)?;
            }
        }
        Ok(())
    }

    fn add_agent(
        &self,
        projector: &Projector<'_>,
        seen: &mut HashSet<NamedNode>,
        unit: &mut Unit,
        iri: &NamedNode,
    ) -> Result<(), StoreError> {
        self.add_shared(projector, seen, unit, iri, RecordKind::Agent)
    }

    /// Adds a record shared between datasets (agent, coding system, code) once per document.
    fn add_shared(
        &self,
        projector: &Projector<'_>,
        seen: &mut HashSet<NamedNode>,
        unit: &mut Unit,
        iri: &NamedNode,
        kind: RecordKind,
    ) -> Result<(), StoreError> {
        if seen.contains(iri) {
            return Ok(());
        }
        if let Some((m, r)) = self.catalogue.public_resource(iri.as_ref())?
            && r.kind() == kind
        {
            seen.insert(iri.clone());
            unit.touch(&m);
            unit.graph.extend(&self.project(projector, &r)?);
        }
        Ok(())
    }

    /// The description of one public record in a profile: a dataset with its distributions,
    /// services, agents, contact points and (health profiles) variables; any other record on
    /// its own. `None` when there is no such public record.
    pub fn record_document(&self, iri: &NamedNode, profile: Profile, format: Format) -> Result<Option<RecordDocument>, PublishError> {
        self.record_document_with(iri, profile, format, &Graph::new())
    }

    /// [`Publisher::record_document`] with `extra` triples beside the record's own (the links
    /// to its published versions, [`version_links`]).
    pub fn record_document_with(
        &self,
        iri: &NamedNode,
        profile: Profile,
        format: Format,
        extra: &Graph,
    ) -> Result<Option<RecordDocument>, PublishError> {
        let projector = Projector::new(profile, &self.vocabularies);
        let Some((meta, resource)) = self.catalogue.public_resource(iri.as_ref())? else { return Ok(None) };
        let mut seen = HashSet::new();
        let unit = match resource {
            Resource::Dataset(_) => match self.dataset_unit(&projector, &mut seen, iri)? {
                Some(u) => u,
                None => return Ok(None),
            },
            Resource::DataService(_) => {
                let mut unit = Unit { last_modified: Some(meta.modified), ..Unit::default() };
                self.add_service(&projector, &mut seen, &mut unit, iri)?;
                unit
            }
            other => {
                let mut unit = Unit { last_modified: Some(meta.modified), ..Unit::default() };
                unit.graph.extend(&self.project(&projector, &other)?);
                unit
            }
        };
        let mut graph = unit.graph;
        graph.extend(extra);
        Ok(Some(document(&graph, format, unit.last_modified.unwrap_or(meta.modified))?))
    }

    /// The description of one published version of a record ([`version_graph`]): the
    /// version's content projected in `profile`, under its versioned IRI.
    pub fn version_document(&self, version: &VersionFacts<'_>, profile: Profile, format: Format) -> Result<RecordDocument, PublishError> {
        let projector = Projector::new(profile, &self.vocabularies);
        let own = self.project(&projector, version.resource)?;
        document(&version_graph(version, &own), format, version.issued)
    }
}

/// One published version of a record, as its description needs it.
pub struct VersionFacts<'a> {
    /// The record as it was in this version.
    pub resource: &'a Resource,
    /// Its versioned IRI (`{record}/version/{n}`).
    pub iri: &'a NamedNode,
    pub version: u64,
    pub issued: DateTime<Utc>,
    /// The versioned IRI of the version before, when it is known.
    pub previous: Option<&'a NamedNode>,
}

/// The graph of one version: the record's statements about itself made about the versioned
/// IRI (the rest, blank nodes and links to it from elsewhere, as they are), with DCAT 3's
/// versioning: `dcat:isVersionOf` the record (beside the record's `dcat:hasVersion`, as
/// DCAT-AP 3 wants the inverse only with it), `dcat:version`, `dct:issued` and
/// `dcat:previousVersion`.
pub fn version_graph(v: &VersionFacts<'_>, own: &Graph) -> Graph {
    let record = v.resource.iri();
    let mut g = Graph::new();
    for t in own.iter() {
        if t.subject == NamedOrBlankNodeRef::NamedNode(record.as_ref())
            && !matches!(t.predicate, p if p == dcat::VERSION || p == crate::model::vocab::owl::VERSION_INFO)
        {
            g.insert(TripleRef::new(v.iri, t.predicate, t.object));
        } else {
            g.insert(t);
        }
    }
    g.insert(TripleRef::new(v.iri, dcat::IS_VERSION_OF, record));
    g.insert(TripleRef::new(record, dcat::HAS_VERSION, v.iri));
    let n = v.version.to_string();
    g.insert(TripleRef::new(v.iri, dcat::VERSION, oxigraph::model::LiteralRef::new_simple_literal(&n)));
    let issued = oxigraph::model::Literal::new_typed_literal(iso(v.issued), xsd::DATE_TIME);
    g.insert(TripleRef::new(v.iri, dct::ISSUED, &issued));
    if let Some(p) = v.previous {
        g.insert(TripleRef::new(v.iri, dcat::PREVIOUS_VERSION, p));
    }
    g
}

/// The links from a record to its published versions (`dcat:hasVersion`, oldest first) and to
/// the current one (`dcat:hasCurrentVersion`).
pub fn version_links(record: &NamedNode, versions: &[NamedNode], current: Option<&NamedNode>) -> Graph {
    let mut g = Graph::new();
    for v in versions {
        g.insert(TripleRef::new(record, dcat::HAS_VERSION, v));
    }
    if let Some(c) = current {
        g.insert(TripleRef::new(record, dcat::HAS_CURRENT_VERSION, c));
    }
    g
}

/// A graph as a small document with its validators.
fn document(graph: &Graph, format: Format, last_modified: DateTime<Utc>) -> Result<RecordDocument, PublishError> {
    let mut w = TripleWriter::new(format, Vec::new());
    w.graph(graph)?;
    let body = w.into_inner();
    let mut h = Sha256::new();
    h.update(&body);
    h.update(format.media_type().as_bytes());
    let etag = format!("W/\"{}\"", hex(&h.finalize()[..12]));
    Ok(RecordDocument { body, etag, last_modified })
}

/// The triples written for one dataset (or shared resource) and what they were made of.
#[derive(Default)]
struct Unit {
    graph: Graph,
    /// Data services first written in this unit (listed on the catalogue node).
    services: Vec<NamedNode>,
    last_modified: Option<DateTime<Utc>>,
}

impl Unit {
    fn touch(&mut self, meta: &RecordMeta) {
        self.last_modified = Some(self.last_modified.map_or(meta.modified, |l| l.max(meta.modified)));
    }
}

/// The ends of links that live in the linked record's own graph (`pick` names the end), sorted.
fn owning_records(quads: Vec<oxigraph::model::Quad>, pick: impl Fn(&oxigraph::model::Quad) -> Option<NamedNode>) -> Vec<NamedNode> {
    let mut out: Vec<NamedNode> = quads
        .iter()
        .filter_map(|q| pick(q).filter(|end| matches!(&q.graph_name, oxigraph::model::GraphName::NamedNode(g) if g == end)))
        .collect();
    out.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    out.dedup();
    out
}

/// The agent record that holds a contact point `agent/x#kontakt`.
fn owner_of_fragment(contact: &NamedNode) -> Option<NamedNode> {
    contact.as_str().split_once('#').and_then(|(base, _)| NamedNode::new(base).ok())
}

/// A serializer that counts what it writes and writes each graph in a stable order.
struct TripleWriter<W: Write> {
    inner: oxigraph::io::WriterQuadSerializer<W>,
    count: u64,
    /// RDF/XML: literals holding a character XML cannot carry get U+FFFD instead
    /// (`model::chars`), so the document is well-formed whatever the store holds.
    xml: bool,
}

impl<W: Write> TripleWriter<W> {
    fn new(format: Format, out: W) -> Self {
        let mut serializer = RdfSerializer::from_format(format.rdf_format());
        if matches!(format, Format::Turtle | Format::RdfXml) {
            for (prefix, ns) in PREFIXES {
                serializer = serializer.with_prefix(*prefix, *ns).expect("the prefixes are valid IRIs");
            }
        }
        Self { inner: serializer.for_writer(out), count: 0, xml: format == Format::RdfXml }
    }

    fn write(&mut self, t: TripleRef<'_>) -> std::io::Result<()> {
        self.count += 1;
        let t = ncname_blank_nodes(t);
        if self.xml {
            self.inner.serialize_triple(&crate::model::chars::xml_safe_triple(t.as_ref()))
        } else {
            self.inner.serialize_triple(&t)
        }
    }

    fn graph(&mut self, g: &Graph) -> std::io::Result<()> {
        for t in &sorted_triples(g) {
            self.write(t.as_ref())?;
        }
        Ok(())
    }

    fn finish(self) -> std::io::Result<u64> {
        let count = self.count;
        self.inner.finish()?;
        Ok(count)
    }
}

impl TripleWriter<Vec<u8>> {
    fn into_inner(self) -> Vec<u8> {
        self.inner.finish().expect("writing to memory does not fail")
    }
}

/// A blank node id usable everywhere: RDF/XML's `rdf:nodeID` must be an XML NCName, and the
/// model's deterministic ids are hex digits that may start with a digit, so they get a `b`.
fn ncname(b: &BlankNode) -> BlankNode {
    let id = b.as_str();
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) { b.clone() } else { BlankNode::new_unchecked(format!("b{id}")) }
}

fn ncname_blank_nodes(t: TripleRef<'_>) -> Triple {
    let subject = match t.subject {
        NamedOrBlankNodeRef::BlankNode(b) => NamedOrBlankNode::BlankNode(ncname(&b.into_owned())),
        s => s.into_owned(),
    };
    let object = match t.object {
        TermRef::BlankNode(b) => Term::BlankNode(ncname(&b.into_owned())),
        o => o.into_owned(),
    };
    Triple::new(subject, t.predicate.into_owned(), object)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HTTP-date of a time (`Last-Modified`), to the second.
pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// An ISO 8601 time to the second, for messages.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

const BATCH: u64 = 500;

/// Writes every public record of every kind, plus the catalogue's `dcat:dataset` links, as one
/// RDF document in the stored model (no profile): the dump of `vardkatalog export`, which
/// `vardkatalog import` reads back. Returns the number of triples written.
///
/// Records are read and turned into their sorted triples on worker threads ([`crate::par`])
/// while this thread serialises them in IRI order per kind; memory holds a few blocks of
/// records, whatever the size of the catalogue.
pub fn write_catalogue(cat: &Catalogue, format: RdfFormat, out: impl Write) -> Result<u64, PublishError> {
    if matches!(format, RdfFormat::Turtle | RdfFormat::NTriples) {
        return write_catalogue_in_chunks(cat, format, out);
    }
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, ns) in PREFIXES {
        serializer = serializer.with_prefix(*prefix, *ns).expect("the prefixes are valid IRIs");
    }
    let mut writer = serializer.for_writer(out);
    let mut count = 0u64;
    let catalog = cat.minter().catalog();
    let xml = matches!(format, RdfFormat::RdfXml);
    for kind in RecordKind::ALL {
        let iris = sorted_iris(cat, kind)?;
        crate::par::ordered(
            &iris,
            crate::par::threads(),
            |iri| -> Result<Option<Vec<Triple>>, PublishError> {
                Ok(dump_triples(cat, iri)?.map(|triples| {
                    // never an invalid XML character, whatever the store holds
                    if xml { triples.iter().map(|t| crate::model::chars::xml_safe_triple(t.as_ref())).collect() } else { triples }
                }))
            },
            |iri, triples| {
                let Some(triples) = triples else { return Ok(()) };
                if kind == RecordKind::Dataset {
                    writer.serialize_triple(TripleRef::new(&catalog, dcat::DATASET_PROP, iri))?;
                    count += 1;
                }
                for t in &triples {
                    writer.serialize_triple(t)?;
                }
                count += triples.len() as u64;
                Ok(())
            },
        )?;
    }
    writer.finish()?;
    Ok(count)
}

/// A kind's record IRIs in IRI order (the dump's order).
fn sorted_iris(cat: &Catalogue, kind: RecordKind) -> Result<Vec<NamedNode>, StoreError> {
    let mut iris = cat.store().iris_of_kind(kind)?;
    iris.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    Ok(iris)
}

/// A public record's triples as the dump writes them (`None`: not public): from the typed model
/// (the store keeps values, not lexical forms, so datatypes such as xsd:nonNegativeInteger
/// come from the model), sorted, blank nodes named as NCNames.
fn dump_triples(cat: &Catalogue, iri: &NamedNode) -> Result<Option<Vec<Triple>>, StoreError> {
    let Some((_, resource)) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
    Ok(Some(sorted_triples(&resource.to_graph()).iter().map(|t| ncname_blank_nodes(t.as_ref())).collect()))
}

/// The dump in Turtle or N-Triples, whose statements stand alone: each record is serialised
/// into its own chunk of text on a worker thread (Turtle with the document's prefixes, which
/// this thread writes once at the top), and this thread only writes the chunks in order.
fn write_catalogue_in_chunks(cat: &Catalogue, format: RdfFormat, mut out: impl Write) -> Result<u64, PublishError> {
    let turtle = format == RdfFormat::Turtle;
    let serializer = || {
        let mut s = RdfSerializer::from_format(format);
        if turtle {
            for (prefix, ns) in PREFIXES {
                s = s.with_prefix(*prefix, *ns).expect("the prefixes are valid IRIs");
            }
        }
        s
    };
    if turtle {
        for (prefix, ns) in PREFIXES {
            writeln!(out, "@prefix {prefix}: <{ns}> .")?;
        }
    }
    let catalog = cat.minter().catalog();
    let mut count = 0u64;
    for kind in RecordKind::ALL {
        let iris = sorted_iris(cat, kind)?;
        crate::par::ordered(
            &iris,
            crate::par::threads(),
            |iri| -> Result<Option<(u64, Vec<u8>)>, PublishError> {
                let Some(triples) = dump_triples(cat, iri)? else { return Ok(None) };
                let mut w = serializer().for_writer(Vec::with_capacity(triples.len() * 100));
                if kind == RecordKind::Dataset {
                    w.serialize_triple(TripleRef::new(&catalog, dcat::DATASET_PROP, iri))?;
                }
                for t in &triples {
                    w.serialize_triple(t)?;
                }
                let chunk = w.finish()?;
                let n = triples.len() as u64 + u64::from(kind == RecordKind::Dataset);
                Ok(Some((n, if turtle { without_prefix_lines(chunk) } else { chunk })))
            },
            |_, chunk| {
                if let Some((n, bytes)) = chunk {
                    out.write_all(&bytes)?;
                    count += n;
                }
                Ok(())
            },
        )?;
    }
    out.flush()?;
    Ok(count)
}

/// A Turtle chunk without the `@prefix` lines its serialiser wrote first (the document has
/// them once, at the top).
fn without_prefix_lines(chunk: Vec<u8>) -> Vec<u8> {
    let mut start = 0;
    while chunk[start..].starts_with(b"@prefix ") || chunk[start..].starts_with(b"\n") {
        match chunk[start..].iter().position(|b| *b == b'\n') {
            Some(end) => start += end + 1,
            None => break,
        }
    }
    chunk[start..].to_vec()
}

/// The triples of a graph in a stable order (subject, predicate, object), so that the same
/// record is always written the same way, byte for byte.
pub fn sorted_triples(graph: &Graph) -> Vec<Triple> {
    let mut triples: Vec<_> = graph.iter().map(|t| t.into_owned()).collect();
    triples.sort_by_cached_key(|t| (t.subject.to_string(), t.predicate.as_str().to_owned(), t.object.to_string()));
    triples
}

/// The IRI of the own catalogue.
pub fn catalog_iri(cat: &Catalogue) -> NamedNode {
    cat.minter().catalog()
}
