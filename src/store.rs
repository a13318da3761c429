//! The RDF store: oxigraph (RocksDB on disk), one named graph per record.
//!
//! Owns: record graphs and their metadata (state, version, source, content hash, modified), the
//! atomicity of writes, ordered and paged listing, and SPARQL evaluation for the rest of the
//! code. Knows nothing of DCAT-AP rules, pages or the index: callers hand it whole records.
//!
//! Invariants:
//! - every record graph has exactly one metadata node in [`RECORDS_GRAPH`], written in the same
//!   transaction as the graph;
//! - the store's *default graph* is the union of the public (published and retired) record
//!   graphs, kept in the same transaction as every write: the public SPARQL endpoint reads it
//!   as one graph (oxigraph evaluates a listed default graph one graph at a time, which does
//!   not scale past a few hundred records). Internal queries use `GRAPH` patterns;
//! - [`Store::save_all`] and [`Store::delete`] are all-or-nothing: one oxigraph transaction, and
//!   writers are serialised by a mutex, so two writers never interleave;
//! - every write transaction increments the store generation, so derived data (the search
//!   index) can tell whether it is current.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use oxigraph::model::{
    Graph, GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, QuadRef, Term, TripleRef,
};
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::StorageError;

use crate::model::record::RecordKind;
use crate::model::vocab::{dct, internal, rdf, vk, xsd};

/// The internal graph of record metadata.
pub const RECORDS_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(internal::RECORDS_GRAPH);

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("the data directory {path} is in use by another process (is `vardkatalog serve` running?)")]
    Locked { path: String },
    #[error("the store could not be opened at {path}: {source}")]
    Open { path: String, source: StorageError },
    #[error("storage error: {0}")]
    Storage(#[from] StorageError),
    #[error("SPARQL error: {0}")]
    Query(String),
    #[error("the metadata of record <{iri}> is damaged: {problem}")]
    BadMetadata { iri: String, problem: String },
}

impl From<oxigraph::sparql::QueryEvaluationError> for StoreError {
    fn from(e: oxigraph::sparql::QueryEvaluationError) -> Self {
        Self::Query(e.to_string())
    }
}

impl From<oxigraph::sparql::SparqlSyntaxError> for StoreError {
    fn from(e: oxigraph::sparql::SparqlSyntaxError) -> Self {
        Self::Query(e.to_string())
    }
}

/// Where a record is in its life (DESIGN.md decision 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordState {
    Draft,
    InReview,
    Published,
    Retired,
}

impl RecordState {
    pub const ALL: [Self; 4] = [Self::Draft, Self::InReview, Self::Published, Self::Retired];

    pub fn iri(self) -> NamedNodeRef<'static> {
        match self {
            Self::Draft => vk::DRAFT,
            Self::InReview => vk::IN_REVIEW,
            Self::Published => vk::PUBLISHED,
            Self::Retired => vk::RETIRED,
        }
    }

    pub fn from_iri(iri: NamedNodeRef<'_>) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.iri() == iri)
    }

    /// The Swedish workflow name (utkast, granskning, publicerad, utfasad) or its English one.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Draft, "en") => "draft",
            (Self::InReview, "en") => "in review",
            (Self::Published, "en") => "published",
            (Self::Retired, "en") => "retired",
            (Self::Draft, _) => "utkast",
            (Self::InReview, _) => "granskning",
            (Self::Published, _) => "publicerad",
            (Self::Retired, _) => "utfasad",
        }
    }

    /// Visible to anonymous readers and harvesters (retired records stay resolvable).
    pub fn is_public(self) -> bool {
        matches!(self, Self::Published | Self::Retired)
    }
}

/// Metadata kept beside every record graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordMeta {
    /// The graph name, which is the record IRI.
    pub iri: NamedNode,
    pub kind: RecordKind,
    pub state: RecordState,
    pub version: u64,
    pub source: NamedNode,
    pub content_hash: String,
    pub modified: DateTime<Utc>,
}

/// A record graph with its metadata.
#[derive(Clone, Debug)]
pub struct Record {
    pub meta: RecordMeta,
    pub graph: Graph,
}

/// Which records a listing returns.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub kind: Option<RecordKind>,
    /// `None` means every state.
    pub states: Option<Vec<RecordState>>,
}

impl Filter {
    /// Records of `kind` visible to the public.
    pub fn public(kind: RecordKind) -> Self {
        Self { kind: Some(kind), states: Some(vec![RecordState::Published, RecordState::Retired]) }
    }
}

/// The catalogue's RDF store.
pub struct Store {
    inner: oxigraph::store::Store,
    write_lock: Mutex<()>,
    /// Bumped by every committed write; lets derived caches (publishing indexes, SPARQL
    /// datasets) know when to rebuild.
    generation: AtomicU64,
}

impl Store {
    /// Opens (or creates) the RocksDB store in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: dir.display().to_string(),
                source: StorageError::Io(e),
            })?;
        }
        let inner = oxigraph::store::Store::open(dir).map_err(|e| {
            let text = e.to_string();
            if text.contains("LOCK") || text.contains("lock") {
                StoreError::Locked { path: dir.display().to_string() }
            } else {
                StoreError::Open { path: dir.display().to_string(), source: e }
            }
        })?;
        let generation = AtomicU64::new(Self::stored_generation(&inner)?);
        let store = Self { inner, write_lock: Mutex::new(()), generation };
        store.ensure_public_default_graph()?;
        Ok(store)
    }

    /// Fills the public default graph of a store written before it existed (a no-op once
    /// filled, or when no record is public).
    fn ensure_public_default_graph(&self) -> Result<(), StoreError> {
        if self.inner.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph)).next().is_some() {
            return Ok(());
        }
        let filter = Filter { kind: None, states: Some(vec![RecordState::Published, RecordState::Retired]) };
        let total = self.count(&filter)?;
        let public = self.list(&filter, 0, total)?;
        if public.is_empty() {
            return Ok(());
        }
        let _guard = self.write_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut tx = self.inner.start_transaction()?;
        for meta in &public {
            let quads: Vec<Quad> = tx
                .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(meta.iri.as_ref())))
                .collect::<Result<_, _>>()?;
            for q in &quads {
                tx.insert(QuadRef::new(&q.subject, &q.predicate, &q.object, GraphNameRef::DefaultGraph));
            }
        }
        tx.commit()?;
        tracing::info!(records = public.len(), "filled the public default graph of an older store");
        Ok(())
    }

    /// The public default graph: every triple of every published or retired record.
    pub fn public_default_graph(&self) -> GraphName {
        GraphName::DefaultGraph
    }

    /// A store in memory, for tests and dry runs.
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self { inner: oxigraph::store::Store::new()?, write_lock: Mutex::new(()), generation: AtomicU64::new(0) })
    }

    /// The write generation: how many write transactions the store has committed, kept in the
    /// store (so derived data such as the search index can tell whether it is current after a
    /// restart) and mirrored in memory. Equal numbers mean the content has not changed.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether no record has been stored yet.
    pub fn has_no_records(&self) -> Result<bool, StoreError> {
        Ok(self
            .inner
            .quads_for_pattern(None, Some(rdf::TYPE.into()), Some(vk::RECORD.into()), Some(RECORDS_GRAPH.into()))
            .next()
            .is_none())
    }

    /// The metadata of one record.
    pub fn meta(&self, iri: NamedNodeRef<'_>) -> Result<Option<RecordMeta>, StoreError> {
        let mut kind = None;
        let mut state = None;
        let mut version = None;
        let mut source = None;
        let mut hash = None;
        let mut modified = None;
        let mut found = false;
        for q in self.inner.quads_for_pattern(Some(iri.into()), None, None, Some(RECORDS_GRAPH.into())) {
            let q = q?;
            found = true;
            let p = q.predicate.as_ref();
            match q.object {
                Term::Literal(l) if p == vk::KIND => kind = RecordKind::parse(l.value()),
                Term::NamedNode(n) if p == vk::STATE => state = RecordState::from_iri(n.as_ref()),
                Term::Literal(l) if p == vk::RECORD_VERSION => version = l.value().parse::<u64>().ok(),
                Term::NamedNode(n) if p == vk::SOURCE => source = Some(n),
                Term::Literal(l) if p == vk::CONTENT_HASH => hash = Some(l.value().to_owned()),
                Term::Literal(l) if p == dct::MODIFIED => {
                    modified = DateTime::parse_from_rfc3339(l.value()).ok().map(|d| d.with_timezone(&Utc))
                }
                _ => {}
            }
        }
        if !found {
            return Ok(None);
        }
        let bad = |problem: &str| StoreError::BadMetadata { iri: iri.as_str().to_owned(), problem: problem.to_owned() };
        Ok(Some(RecordMeta {
            iri: iri.into_owned(),
            kind: kind.ok_or_else(|| bad("no kind"))?,
            state: state.ok_or_else(|| bad("no state"))?,
            version: version.unwrap_or(1),
            source: source.ok_or_else(|| bad("no source"))?,
            content_hash: hash.unwrap_or_default(),
            modified: modified.ok_or_else(|| bad("no modification time"))?,
        }))
    }

    /// The triples of a record graph (empty when there is no such graph).
    pub fn graph(&self, iri: NamedNodeRef<'_>) -> Result<Graph, StoreError> {
        let mut graph = Graph::new();
        for q in self.inner.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(iri))) {
            let q = q?;
            graph.insert(QuadRef::from(&q));
        }
        Ok(graph)
    }

    /// One record with its metadata.
    pub fn get(&self, iri: NamedNodeRef<'_>) -> Result<Option<Record>, StoreError> {
        let Some(meta) = self.meta(iri)? else { return Ok(None) };
        let graph = self.graph(iri)?;
        Ok(Some(Record { meta, graph }))
    }

    /// Saves (creates or replaces) records in one transaction: all or nothing.
    pub fn save_all(&self, records: &[Record]) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut tx = self.inner.start_transaction()?;
        for record in records {
            let g = GraphName::NamedNode(record.meta.iri.clone());
            let was_public = is_public_in(&tx, record.meta.iri.as_ref())?;
            let old: Vec<Quad> = if was_public {
                tx.quads_for_pattern(None, None, None, Some(g.as_ref())).collect::<Result<_, _>>()?
            } else {
                Vec::new()
            };
            tx.clear_graph(g.as_ref())?;
            remove_meta(&mut tx, record.meta.iri.as_ref())?;
            for t in record.graph.iter() {
                tx.insert(QuadRef::new(t.subject, t.predicate, t.object, g.as_ref()));
            }
            tx.insert_named_graph(record.meta.iri.as_ref());
            for quad in meta_quads(&record.meta) {
                tx.insert(&quad);
            }
            let now_public = record.meta.state.is_public();
            for q in &old {
                let kept = now_public && record.graph.contains(TripleRef::new(&q.subject, &q.predicate, &q.object));
                if !kept {
                    unmirror(&mut tx, q, record.meta.iri.as_ref())?;
                }
            }
            if now_public {
                for t in record.graph.iter() {
                    tx.insert(QuadRef::new(t.subject, t.predicate, t.object, GraphNameRef::DefaultGraph));
                }
            }
        }
        bump_generation(&mut tx)?;
        tx.commit()?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// The write generation as stored (the count of committed write transactions).
    fn stored_generation(inner: &oxigraph::store::Store) -> Result<u64, StoreError> {
        read_generation(inner.quads_for_pattern(
            Some(NamedNodeRef::new_unchecked(internal::STORE_NODE).into()),
            Some(vk::GENERATION),
            None,
            Some(RECORDS_GRAPH.into()),
        ))
    }

    /// Deletes records and their metadata in one transaction.
    pub fn delete(&self, iris: &[NamedNode]) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut tx = self.inner.start_transaction()?;
        for iri in iris {
            let old: Vec<Quad> = if is_public_in(&tx, iri.as_ref())? {
                tx.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(iri.as_ref()))).collect::<Result<_, _>>()?
            } else {
                Vec::new()
            };
            tx.remove_named_graph(iri.as_ref())?;
            remove_meta(&mut tx, iri.as_ref())?;
            for q in &old {
                unmirror(&mut tx, q, iri.as_ref())?;
            }
        }
        bump_generation(&mut tx)?;
        tx.commit()?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// Record metadata in a stable order (by IRI), one page at a time.
    pub fn list(&self, filter: &Filter, offset: u64, limit: u64) -> Result<Vec<RecordMeta>, StoreError> {
        let query = format!(
            "SELECT ?g WHERE {{ {} }} ORDER BY STR(?g) OFFSET {offset} LIMIT {limit}",
            filter_pattern(filter)
        );
        let mut out = Vec::new();
        for solution in self.select(&query)? {
            if let Some(Term::NamedNode(g)) = solution.get("g") {
                if let Some(meta) = self.meta(g.as_ref())? {
                    out.push(meta);
                }
            }
        }
        Ok(out)
    }

    /// The IRIs of every record of a kind, in storage order (no sorting: for full passes such
    /// as rebuilding the index, where a sorted, paged listing would cost a sort per page).
    pub fn iris_of_kind(&self, kind: RecordKind) -> impl Iterator<Item = Result<NamedNode, StoreError>> + 'static {
        let kind_literal = Literal::new_simple_literal(kind.as_str());
        self.inner
            .quads_for_pattern(None, Some(vk::KIND), Some(kind_literal.as_ref().into()), Some(RECORDS_GRAPH.into()))
            .filter_map(|q| match q {
                Ok(q) => match q.subject {
                    oxigraph::model::NamedOrBlankNode::NamedNode(n) => Some(Ok(n)),
                    oxigraph::model::NamedOrBlankNode::BlankNode(_) => None,
                },
                Err(e) => Some(Err(StoreError::from(e))),
            })
    }

    /// How many records match.
    pub fn count(&self, filter: &Filter) -> Result<u64, StoreError> {
        let query = format!("SELECT (COUNT(?g) AS ?n) WHERE {{ {} }}", filter_pattern(filter));
        let n = self
            .select(&query)?
            .first()
            .and_then(|s| match s.get("n") {
                Some(Term::Literal(l)) => l.value().parse().ok(),
                _ => None,
            })
            .unwrap_or(0);
        Ok(n)
    }

    /// Evaluates a SPARQL SELECT over the whole store (all graphs as the default graph, plus
    /// `GRAPH` access to each record). For internal use: it sees drafts and metadata. Use
    /// `GRAPH` patterns: the union also holds the public default graph, so a pattern outside
    /// `GRAPH` would see a public triple twice.
    pub fn select(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError> {
        let mut prepared = SparqlEvaluator::new().parse_query(query)?;
        prepared.dataset_mut().set_default_graph_as_union();
        match prepared.on_store(&self.inner).execute()? {
            QueryResults::Solutions(solutions) => Ok(solutions.collect::<Result<Vec<_>, _>>()?),
            _ => Err(StoreError::Query("expected a SELECT query".into())),
        }
    }

    /// Evaluates a SPARQL query on the given dataset view; `configure` restricts what it sees.
    pub fn query(
        &self,
        query: &str,
        configure: impl FnOnce(&mut oxigraph::sparql::QueryDataset),
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut prepared = SparqlEvaluator::new().parse_query(query)?;
        configure(prepared.dataset_mut());
        Ok(prepared.on_store(&self.inner).execute()?)
    }

    /// Executes a query prepared elsewhere (with its own evaluator options and dataset, as the
    /// public SPARQL endpoint does), keeping oxigraph's error so that a cancellation can be
    /// told apart.
    pub fn execute(
        &self,
        prepared: oxigraph::sparql::PreparedSparqlQuery,
    ) -> Result<QueryResults<'static>, oxigraph::sparql::QueryEvaluationError> {
        prepared.on_store(&self.inner).execute()
    }

    /// The quads matching a pattern in any record graph (named graphs only: neither the public
    /// default graph nor, unless asked for by `graph`, anything else). A plain index lookup,
    /// much cheaper than SPARQL for one link.
    pub fn quads_matching(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<oxigraph::model::TermRef<'_>>,
    ) -> Result<Vec<Quad>, StoreError> {
        let mut out = Vec::new();
        for q in self.inner.quads_for_pattern(subject.map(Into::into), predicate, object, None) {
            let q = q?;
            if matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_ref() != RECORDS_GRAPH) {
                out.push(q);
            }
        }
        Ok(out)
    }

    /// Every quad of the given graphs, in graph order (for export).
    pub fn quads_of(&self, iri: NamedNodeRef<'_>) -> impl Iterator<Item = Result<Quad, StorageError>> + 'static {
        self.inner.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(iri)))
    }

    /// Number of quads in the store (metadata included).
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
    }

    /// Flushes to disk (RocksDB), for a clean shutdown.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.inner.flush()?;
        Ok(())
    }
}

fn filter_pattern(filter: &Filter) -> String {
    let mut pattern = format!("GRAPH <{}> {{ ?g a <{}> ", RECORDS_GRAPH.as_str(), vk::RECORD.as_str());
    if let Some(kind) = filter.kind {
        pattern.push_str(&format!("; <{}> \"{}\" ", vk::KIND.as_str(), kind.as_str()));
    }
    if let Some(states) = &filter.states {
        pattern.push_str(&format!("; <{}> ?state ", vk::STATE.as_str()));
        pattern.push_str("} VALUES ?state { ");
        for s in states {
            pattern.push_str(&format!("<{}> ", s.iri().as_str()));
        }
        pattern.push('}');
    } else {
        pattern.push('}');
    }
    pattern
}

/// Whether a record is public, as the transaction sees it.
fn is_public_in(tx: &oxigraph::store::Transaction<'_>, iri: NamedNodeRef<'_>) -> Result<bool, StoreError> {
    for q in tx.quads_for_pattern(Some(iri.into()), Some(vk::STATE), None, Some(RECORDS_GRAPH.into())) {
        if let Term::NamedNode(s) = q?.object {
            return Ok(RecordState::from_iri(s.as_ref()).is_some_and(RecordState::is_public));
        }
    }
    Ok(false)
}

/// Removes a record's triple from the public default graph unless another public record
/// still asserts it.
fn unmirror(tx: &mut oxigraph::store::Transaction<'_>, q: &Quad, record: NamedNodeRef<'_>) -> Result<(), StoreError> {
    let holders: Vec<Quad> = tx
        .quads_for_pattern(Some(q.subject.as_ref()), Some(q.predicate.as_ref()), Some(q.object.as_ref()), None)
        .collect::<Result<_, _>>()?;
    for h in &holders {
        if let GraphName::NamedNode(g) = &h.graph_name {
            if g.as_ref() != record && g.as_ref() != RECORDS_GRAPH && is_public_in(tx, g.as_ref())? {
                return Ok(());
            }
        }
    }
    tx.remove(QuadRef::new(&q.subject, &q.predicate, &q.object, GraphNameRef::DefaultGraph));
    Ok(())
}

fn remove_meta(tx: &mut oxigraph::store::Transaction<'_>, iri: NamedNodeRef<'_>) -> Result<(), StoreError> {
    let old: Vec<Quad> = tx
        .quads_for_pattern(Some(iri.into()), None, None, Some(RECORDS_GRAPH.into()))
        .collect::<Result<_, _>>()?;
    for q in &old {
        tx.remove(q);
    }
    Ok(())
}

fn read_generation(quads: impl Iterator<Item = Result<Quad, StorageError>>) -> Result<u64, StoreError> {
    for q in quads {
        if let Term::Literal(l) = q?.object {
            return Ok(l.value().parse().unwrap_or(0));
        }
    }
    Ok(0)
}

fn bump_generation(tx: &mut oxigraph::store::Transaction<'_>) -> Result<(), StoreError> {
    let node = NamedNodeRef::new_unchecked(internal::STORE_NODE);
    let old: Vec<Quad> = tx
        .quads_for_pattern(Some(node.into()), Some(vk::GENERATION), None, Some(RECORDS_GRAPH.into()))
        .collect::<Result<_, _>>()?;
    let current = read_generation(old.iter().cloned().map(Ok))?;
    for q in &old {
        tx.remove(q);
    }
    let next = Literal::new_typed_literal((current + 1).to_string(), xsd::INTEGER);
    tx.insert(QuadRef::new(node, vk::GENERATION, &next, RECORDS_GRAPH));
    Ok(())
}

fn meta_quads(meta: &RecordMeta) -> Vec<Quad> {
    let s = &meta.iri;
    let g = GraphName::NamedNode(RECORDS_GRAPH.into_owned());
    let q = |p: NamedNodeRef<'_>, o: Term| Quad::new(s.clone(), p, o, g.clone());
    vec![
        q(rdf::TYPE, vk::RECORD.into_owned().into()),
        q(vk::KIND, Literal::new_simple_literal(meta.kind.as_str()).into()),
        q(vk::STATE, meta.state.iri().into_owned().into()),
        q(vk::RECORD_VERSION, Literal::new_typed_literal(meta.version.to_string(), xsd::INTEGER).into()),
        q(vk::SOURCE, meta.source.clone().into()),
        q(vk::CONTENT_HASH, Literal::new_simple_literal(&meta.content_hash).into()),
        q(
            dct::MODIFIED,
            Literal::new_typed_literal(meta.modified.to_rfc3339_opts(SecondsFormat::Millis, true), xsd::DATE_TIME).into(),
        ),
    ]
}

/// Reads a term as a named node.
pub fn as_named(term: Option<&Term>) -> Option<NamedNode> {
    match term {
        Some(Term::NamedNode(n)) => Some(n.clone()),
        _ => None,
    }
}

/// Reads a term as a literal's value.
pub fn as_text(term: Option<&Term>) -> Option<String> {
    match term {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    }
}
