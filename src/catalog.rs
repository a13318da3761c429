//! The catalogue service: the one façade the CLI and the web call to read and change the
//! catalogue.
//!
//! Owns: turning an RDF document into records and saving them all-or-nothing (import, seed),
//! and the read queries pages need (a record with the labels of what it links to, reverse links
//! such as "the datasets that hold this variable"). Reads for the public only ever see
//! published (and retired) records. Data flows one way: parsers → model → store; the web gets
//! typed records back.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use chrono::Utc;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, Triple};

use crate::model::record::{self, RecordKind, Resource};
use crate::model::vocab::internal;
use crate::model::{LangText, Minter, ModelError};
use crate::search::SearchIndex;
use crate::store::read::PublicReads;
use crate::store::{Batch, Committed, Expect, Record, RecordStore};
pub use crate::store::{Filter, RecordMeta, RecordState, StoreError};

/// Why an import was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax { line: u64, column: u64, message: String },
    #[error("syntax error: {message}")]
    SyntaxNoPosition { message: String },
    #[error("could not read the input: {0}")]
    Io(#[from] std::io::Error),
    /// RDF/XML that declares a DTD entity (see [`crate::rdf_input`]).
    #[error("{} ({})", crate::rdf_input::REFUSAL_EN, crate::rdf_input::REFUSAL_SV)]
    EntityDeclarations,
    #[error("record <{record}>: {error}")]
    Model { record: String, error: ModelError },
    #[error("the document holds no record (no resource typed dcat:Dataset, disco:Variable, skos:ConceptScheme, …)")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Triples no record links to; they were not imported.
    pub orphans: usize,
    pub per_kind: Vec<(RecordKind, usize)>,
}

/// How imported records are stored.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub state: RecordState,
    pub source: NamedNode,
}

impl ImportOptions {
    /// Published records from a file imported by hand.
    pub fn published_import() -> Self {
        Self { state: RecordState::Published, source: NamedNode::new_unchecked(internal::IMPORT_SOURCE) }
    }
}

/// The RDF formats accepted on input and written on export.
pub fn format_from_name(name: &str) -> Option<RdfFormat> {
    match name.to_ascii_lowercase().as_str() {
        "ttl" | "turtle" => Some(RdfFormat::Turtle),
        "rdf" | "xml" | "rdfxml" | "rdf/xml" | "owl" => Some(RdfFormat::RdfXml),
        "jsonld" | "json-ld" | "json" => Some(RdfFormat::JsonLd { profile: Default::default() }),
        "nt" | "ntriples" | "n-triples" => Some(RdfFormat::NTriples),
        "nq" | "nquads" => Some(RdfFormat::NQuads),
        "trig" => Some(RdfFormat::TriG),
        _ => None,
    }
}

/// Parses a whole RDF document into one graph (named graphs are merged). Blank nodes are renamed
/// so that two documents never share one. A syntax error names its line and column. RDF/XML that
/// declares DTD entities is refused ([`crate::rdf_input`]).
pub fn parse_document(reader: impl Read, format: RdfFormat, base_iri: &str) -> Result<Graph, ImportError> {
    let mut graph = Graph::new();
    parse_each(reader, format, base_iri, |t| {
        graph.insert(&t);
    })?;
    Ok(graph)
}

/// [`parse_document`] into a list of statements in document order (a repeated statement stays
/// repeated): what the import cuts into records, without the indexes of a whole graph.
pub fn parse_statements(reader: impl Read, format: RdfFormat, base_iri: &str) -> Result<Vec<Triple>, ImportError> {
    let mut triples = Vec::new();
    parse_each(reader, format, base_iri, |t| triples.push(t))?;
    Ok(triples)
}

/// Parses a document and hands each statement to `each` (the rules of [`parse_document`]).
fn parse_each(reader: impl Read, format: RdfFormat, base_iri: &str, mut each: impl FnMut(Triple)) -> Result<(), ImportError> {
    let parser = RdfParser::from_format(format)
        .with_base_iri(base_iri)
        .map_err(|e| ImportError::SyntaxNoPosition { message: e.to_string() })?
        .rename_blank_nodes();
    let reader = crate::rdf_input::guard(format, reader);
    let refused = reader.refused();
    for quad in parser.for_reader(reader) {
        if refused.get() {
            return Err(ImportError::EntityDeclarations);
        }
        match quad {
            Ok(q) => each(Triple::new(q.subject, q.predicate, q.object)),
            Err(RdfParseError::Syntax(e)) => {
                return Err(match e.location() {
                    Some(range) => {
                        ImportError::Syntax { line: range.start.line + 1, column: range.start.column + 1, message: e.to_string() }
                    }
                    None => ImportError::SyntaxNoPosition { message: e.to_string() },
                });
            }
            Err(RdfParseError::Io(e)) => return Err(ImportError::Io(e)),
        }
    }
    Ok(())
}

/// The whole seed (`catalog-seed/`, embedded) as one graph, its relative IRIs resolved against
/// `base_iri`.
pub fn seed_graph(base_iri: &str) -> Result<Graph, ImportError> {
    let mut graph = Graph::new();
    for (name, text) in crate::seed::FILES {
        let part = parse_document(text.as_bytes(), RdfFormat::Turtle, base_iri)
            .map_err(|e| ImportError::SyntaxNoPosition { message: format!("catalog-seed/{name}: {e}") })?;
        for t in part.iter() {
            graph.insert(t);
        }
    }
    Ok(graph)
}

/// Keeps the search index of `catalogue` following its store from another thread: every
/// `every`, the change log since the index's generation is read (generation order) and the
/// records it names re-indexed ([`SearchIndex::follow`]), so what another node writes to a
/// shared store is found here within about `every`. The thread ends when the catalogue is
/// dropped. A failure is logged and tried again at the next turn.
pub fn follow_store(catalogue: &Arc<Catalogue>, every: std::time::Duration) {
    let weak = Arc::downgrade(catalogue);
    let spawned = std::thread::Builder::new().name("index-follower".into()).spawn(move || {
        let mut failing = false;
        loop {
            std::thread::sleep(every);
            let Some(catalogue) = weak.upgrade() else { return };
            match catalogue.ensure_index_current() {
                Ok(_) if failing => {
                    failing = false;
                    tracing::info!("the search index follows the store again");
                }
                Ok(_) => {}
                Err(e) if !failing => {
                    failing = true;
                    tracing::error!(error = %e, "the search index could not follow the store; trying again");
                }
                Err(_) => {}
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "the search index follower could not start");
    }
}

/// The catalogue: store plus the rules for reading and writing records, and the search index
/// kept in step with it.
pub struct Catalogue {
    store: Arc<dyn RecordStore>,
    minter: Minter,
    index: SearchIndex,
    /// Commits hold it shared; [`Catalogue::paused`] holds it alone (a backup).
    writes: std::sync::RwLock<()>,
}

impl Catalogue {
    pub fn new(store: Arc<dyn RecordStore>, minter: Minter, index: SearchIndex) -> Self {
        Self { store, minter, index, writes: std::sync::RwLock::new(()) }
    }

    /// Runs `f` while no batch commits: commits under way finish first, new ones wait until
    /// `f` returns (a backup takes its snapshots inside). Reads go on.
    pub fn paused<T>(&self, f: impl FnOnce() -> T) -> T {
        let _alone = self.writes.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        f()
    }

    /// The record store (through its contract).
    pub fn store(&self) -> &dyn RecordStore {
        &*self.store
    }

    /// A shared handle on the record store.
    pub fn store_handle(&self) -> Arc<dyn RecordStore> {
        self.store.clone()
    }

    /// Typed reads of the public catalogue.
    pub fn reads(&self) -> PublicReads<'_> {
        PublicReads::new(&*self.store)
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Brings the index up to the store's current generation (catching up from the change
    /// log, or rebuilding when the log does not reach back far enough); returns whether it
    /// rebuilt.
    pub fn ensure_index_current(&self) -> Result<bool, crate::search::SearchError> {
        self.index.follow(&*self.store)
    }

    /// How many store generations the search index is behind the store (0: current), read
    /// now (one request to a remote store). What `/metrics` reports as the index lag; a node
    /// following a shared store ([`follow_store`]) brings it back to 0 within a second or so.
    pub fn index_lag(&self) -> Result<u64, StoreError> {
        let store = self.store.generation()?;
        Ok(store.saturating_sub(self.index.generation().unwrap_or(0)))
    }

    /// Runs a search over the public catalogue.
    pub fn search(&self, request: &crate::search::SearchRequest) -> Result<crate::search::SearchResponse, crate::search::SearchError> {
        self.index.search(request)
    }

    /// Suggestions for the search box: at most `limit` public records whose label, synonym or
    /// code starts as `text` is typed.
    pub fn suggest(&self, text: &str, limit: usize) -> Result<Vec<crate::search::Suggestion>, crate::search::SearchError> {
        self.index.suggest(text, limit)
    }

    /// Rebuilds the index from the store.
    pub fn reindex(&self) -> Result<u64, crate::search::SearchError> {
        self.index.rebuild(&*self.store)
    }

    /// Commits a batch, then brings the index up to date. The store is the ground truth: if the
    /// index update fails, the error is logged and the index catches up at the next write or
    /// start (its generation is behind the store's).
    pub fn commit(&self, batch: &Batch) -> Result<Committed, StoreError> {
        let _shared = self.writes.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let committed = self.store.commit(batch)?;
        if let Err(e) = self.index.follow(&*self.store) {
            tracing::error!(error = %e, "the search index could not be updated; it catches up at the next write or start");
        }
        Ok(committed)
    }

    /// Saves whole records, each expected at the store revision its metadata names (`rev` 0
    /// with no such record: absent), in one transaction with the index update: all or nothing.
    pub fn save_records(&self, records: &[Record]) -> Result<Committed, StoreError> {
        let mut batch = Batch::new();
        for r in records {
            let expect = self.store.meta(r.meta.iri.as_ref())?.map_or(Expect::Absent, |m| Expect::Rev(m.rev));
            batch.put(r.clone(), expect);
        }
        self.commit(&batch)
    }

    pub fn minter(&self) -> &Minter {
        &self.minter
    }

    /// Cuts a graph into records, checks every record against the model, and saves them all in
    /// one transaction. Records whose content is unchanged keep their version and time.
    pub fn import_graph(&self, graph: &Graph, options: &ImportOptions) -> Result<ImportReport, ImportError> {
        self.import_split(record::split(graph, Some(&self.minter.catalog())), options)
    }

    /// [`Self::import_graph`] of a graph already cut into records.
    fn import_split(&self, split: record::Split, options: &ImportOptions) -> Result<ImportReport, ImportError> {
        if split.records.is_empty() {
            return Err(ImportError::Empty);
        }
        let started = std::time::Instant::now();
        let mut report = ImportReport { orphans: split.orphans.len(), ..Default::default() };
        let mut per_kind: HashMap<RecordKind, usize> = HashMap::new();
        let mut batch = Batch::new();
        let now = Utc::now();
        // every record is checked, hashed and looked up on every core; the batch is made in
        // the document's record order
        let mut checked: Vec<(String, Option<RecordMeta>, Resource)> = Vec::with_capacity(split.records.len());
        crate::par::ordered(
            &split.records,
            crate::par::threads(),
            |rg| -> Result<(String, Option<RecordMeta>, Resource), ImportError> {
                // the typed model must accept it (dates are dates, numbers are numbers)
                // and no literal may hold a character XML cannot carry (`model::chars`)
                let resource = Resource::from_graph(rg.kind, &rg.iri, &rg.graph)
                    .and_then(|r| crate::model::chars::check_graph(&rg.graph).map(|()| r))
                    .map_err(|error| ImportError::Model { record: rg.iri.as_str().to_owned(), error })?;
                Ok((record::content_hash(&rg.graph), self.store.meta(rg.iri.as_ref())?, resource))
            },
            |_, r| {
                checked.push(r);
                Ok(())
            },
        )?;
        // the typed records, for the search index (it need not read back what was just written)
        let mut known = crate::search::Known::with_capacity(checked.len());
        for (rg, (hash, previous, resource)) in split.records.into_iter().zip(checked) {
            *per_kind.entry(rg.kind).or_default() += 1;
            let expect = Expect::from_meta(previous.as_ref());
            let meta = match previous {
                Some(prev) if prev.content_hash == hash && prev.state == options.state => {
                    report.unchanged += 1;
                    known.insert(rg.iri, (prev, resource));
                    continue;
                }
                Some(prev) => {
                    report.changed += 1;
                    RecordMeta {
                        version: prev.version + u64::from(options.state == RecordState::Published),
                        state: options.state,
                        source: options.source.clone(),
                        content_hash: hash,
                        modified: now,
                        kind: rg.kind,
                        iri: rg.iri.clone(),
                        rev: prev.rev,
                    }
                }
                None => {
                    report.created += 1;
                    RecordMeta {
                        iri: rg.iri.clone(),
                        kind: rg.kind,
                        state: options.state,
                        version: 1,
                        rev: 0,
                        source: options.source.clone(),
                        content_hash: hash,
                        modified: now,
                    }
                }
            };
            known.insert(rg.iri.clone(), (meta.clone(), resource));
            batch.put(Record { meta, graph: rg.graph }, expect);
        }
        tracing::info!(records = batch.len(), ms = started.elapsed().as_millis() as u64, "import: records checked and hashed");
        if !batch.is_empty() {
            let started = std::time::Instant::now();
            let committed = self.store.commit(&batch)?;
            tracing::info!(records = batch.len(), ms = started.elapsed().as_millis() as u64, "import: records stored");
            // the records are in the store: their graphs are not needed while the index follows
            drop(batch);
            let started = std::time::Instant::now();
            if let Err(e) = self.index.follow_with(&*self.store, Some((committed.generation, &known))) {
                tracing::error!(error = %e, "the search index could not be updated; it catches up at the next write or start");
            }
            tracing::info!(ms = started.elapsed().as_millis() as u64, "import: search index up to date");
        }
        let mut per_kind: Vec<_> = per_kind.into_iter().collect();
        per_kind.sort();
        report.per_kind = per_kind;
        Ok(report)
    }

    /// Parses a document and imports it; a broken document changes nothing.
    pub fn import_document(&self, reader: impl Read, format: RdfFormat, options: &ImportOptions) -> Result<ImportReport, ImportError> {
        let started = std::time::Instant::now();
        let triples = parse_statements(reader, format, self.minter.base())?;
        tracing::info!(triples = triples.len(), ms = started.elapsed().as_millis() as u64, "import: document parsed");
        let started = std::time::Instant::now();
        // the statements move into their records: the document is not held twice
        let split = record::split_triples(triples, Some(&self.minter.catalog()));
        tracing::info!(records = split.records.len(), ms = started.elapsed().as_millis() as u64, "import: document split into records");
        self.import_split(split, options)
    }

    /// Loads the embedded seed catalogue when the store holds no record yet.
    pub fn seed_if_empty(&self) -> Result<Option<ImportReport>, ImportError> {
        if !self.store.has_no_records()? {
            return Ok(None);
        }
        let graph = seed_graph(self.minter.base())?;
        let options = ImportOptions { state: RecordState::Published, source: NamedNode::new_unchecked(internal::SEED_SOURCE) };
        match self.import_graph(&graph, &options) {
            // another node sharing the store seeded it at the same moment: its seed stands
            Err(ImportError::Store(StoreError::Conflict { .. })) if !self.store.has_no_records()? => Ok(None),
            other => other.map(Some),
        }
    }

    // ---- reads -------------------------------------------------------------------------

    /// A public record (published or retired) by IRI, typed.
    pub fn public_resource(&self, iri: NamedNodeRef<'_>) -> Result<Option<(RecordMeta, Resource)>, StoreError> {
        self.reads().resource(iri)
    }

    /// Writes buffered data to disk (a clean shutdown).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.store.flush()
    }

    /// How many records the store holds (any state): the health check.
    pub fn record_count(&self) -> Result<u64, StoreError> {
        self.store.count(&Filter::default())
    }

    /// A public record by kind and id.
    pub fn public_by_id(&self, kind: RecordKind, id: &str) -> Result<Option<(RecordMeta, Resource)>, StoreError> {
        match self.minter.record(kind, id) {
            Ok(iri) => self.public_resource(iri.as_ref()),
            Err(_) => Ok(None),
        }
    }

    /// Counts of public records per kind.
    pub fn public_counts(&self) -> Result<HashMap<RecordKind, u64>, StoreError> {
        self.reads().counts()
    }

    /// One page of public records of a kind, typed, in IRI order.
    pub fn public_list(&self, kind: RecordKind, offset: u64, limit: u64) -> Result<(u64, Vec<Resource>), StoreError> {
        self.reads().list(kind, offset, limit)
    }

    /// Variables held by a dataset.
    pub fn variables_of_dataset(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().variables_of_dataset(dataset)
    }

    /// Subsets (`dct:isPartOf`) of a dataset.
    pub fn parts_of(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().parts_of(dataset)
    }

    /// Use cases that name a record (variable or dataset).
    pub fn use_cases_of(&self, iri: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().use_cases_of(iri)
    }

    /// Codes of a code list, in display order (vk:order, then code).
    pub fn concepts_of(&self, scheme: &NamedNode) -> Result<Vec<crate::model::Concept>, StoreError> {
        self.reads().concepts_of(scheme)
    }

    /// Variables whose values come from a code list.
    pub fn variables_using_code_list(&self, scheme: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().variables_using_code_list(scheme)
    }

    /// Variables coded with a coding system.
    pub fn variables_using_standard(&self, standard: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().variables_using_standard(standard)
    }

    /// Datasets (and series) an agent publishes.
    pub fn datasets_published_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().datasets_published_by(agent)
    }

    /// Other records an agent publishes (code lists, coding systems, data services).
    pub fn others_published_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().others_published_by(agent)
    }

    /// Records (datasets, variables) an agent owns through a qualified attribution.
    pub fn owned_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().owned_by(agent)
    }

    /// Variables related to one: the same technical name, the same concept or (when
    /// `by_coding_system`) the same coding system, in other records.
    pub fn related_variables(&self, v: &crate::model::Variable, by_coding_system: bool) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().related_variables(v, by_coding_system)
    }

    /// Public variables the matching rule (`matching`) may pair with what `by` describes.
    pub fn match_candidates(&self, by: &MatchBy<'_>) -> Result<Vec<NamedNode>, StoreError> {
        self.reads().match_candidates(by)
    }

    /// Versions among coding systems that touch `systems`: (the version, what it is a version of).
    pub fn coding_system_versions(&self, systems: &[NamedNode]) -> Result<Vec<(NamedNode, NamedNode)>, StoreError> {
        self.reads().coding_system_versions(systems)
    }

    /// Labels of linked records (title, name or label), for links on pages.
    pub fn labels(&self, iris: &[NamedNode]) -> Result<HashMap<NamedNode, LangText>, StoreError> {
        self.reads().labels(iris)
    }
}

pub use crate::store::queries::{MatchBy, sparql_string};
