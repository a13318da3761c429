//! The embedded record store: oxigraph on RocksDB in the data directory (or in memory for tests
//! and dry runs). The default, and what the README's first command runs.
//!
//! Owns: the layout of records in oxigraph (one named graph per record; its metadata node in
//! [`RECORDS_GRAPH`]; the change log in [`CHANGES_GRAPH`]; the generation on one node), and
//! how the [`RecordStore`] contract is met on one RocksDB database:
//! - a batch is one oxigraph transaction (one RocksDB write batch): all or nothing;
//! - the expectations of a batch are checked inside that transaction while this store's writer
//!   lock is held, so the check and the write are one step (RocksDB admits one process per
//!   database directory, so this lock sees every writer of the data);
//! - RocksDB writes the transaction to its write-ahead log before `commit` returns, so a process
//!   crash loses nothing acknowledged (the log is not fsynced per commit: a power failure can
//!   lose the last moments; `flush` forces it to disk).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use oxigraph::model::{
    Graph, GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef, Term, TermRef, TripleRef,
};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::{StorageError, Transaction};

use super::{
    Batch, CHANGE_LOG_KEEP, CHANGES_GRAPH, Change, CommitId, Committed, Filter, PublicQuery, RECORDS_GRAPH, Record, RecordMeta,
    RecordState, RecordStore, StoreError, Write, queries,
};
use crate::model::record::RecordKind;
use crate::model::vocab::{dct, internal, rdf, vk, xsd};

/// The embedded store.
pub struct EmbeddedStore {
    inner: oxigraph::store::Store,
    /// Held while a batch is checked and committed (see the module documentation).
    write_lock: Mutex<()>,
    /// The committed generation, mirrored from the store.
    generation: AtomicU64,
    dir: Option<PathBuf>,
    /// Batches that only create records and hold at least this many quads take the bulk path.
    bulk_quads: usize,
}

/// A batch that only creates records (every write a put of a record the store does not hold)
/// and holds at least this many quads is written by oxigraph's bulk loader: sorted files built
/// beside the database and ingested into RocksDB in one atomic step, instead of one write
/// batch with an index that every insert goes through (the slow part of a large import).
pub const BULK_QUADS: usize = 20_000;

/// The graph of record snapshots: one quad per record, `<record> SNAPSHOT "…"`, whose literal
/// holds the record's metadata and its graph as N-Triples, written with the record in the same
/// transaction. Reading a record whole is then one index lookup and one parse, instead of
/// decoding every quad of its graph and metadata term by term (a string lookup per IRI: the
/// cost that dominated reindexing, export and scoring). A record written before snapshots
/// existed is read from its quads. Implementation detail of this store (the remote store keeps
/// none): the public default graph and every listing leave it out.
const SNAPSHOTS_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:vardkatalog:snapshots");
const SNAPSHOT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:vardkatalog:snapshot");
/// The first field of a snapshot (its format).
const SNAPSHOT_V1: &str = "v1";

/// The bulk loader's memory target (its sorted runs; RocksDB's own memory is apart).
const BULK_MEMORY_MB: usize = 1024;

impl EmbeddedStore {
    /// Opens (or creates) the RocksDB store in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let open_error = |message: String| StoreError::Open { path: dir.display().to_string(), message };
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
        }
        let inner = oxigraph::store::Store::open(dir).map_err(|e| {
            let text = e.to_string();
            if text.contains("LOCK") || text.contains("lock") {
                StoreError::Locked { path: dir.display().to_string() }
            } else {
                open_error(text)
            }
        })?;
        let generation = AtomicU64::new(stored_generation(&inner)?);
        let store = Self { inner, write_lock: Mutex::new(()), generation, dir: Some(dir.to_path_buf()), bulk_quads: BULK_QUADS };
        store.ensure_public_default_graph()?;
        Ok(store)
    }

    /// A store in memory, for tests and dry runs.
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self {
            inner: oxigraph::store::Store::new()?,
            write_lock: Mutex::new(()),
            generation: AtomicU64::new(0),
            dir: None,
            bulk_quads: BULK_QUADS,
        })
    }

    /// The same store with another bulk-path threshold (tests force the bulk path with 1, or
    /// keep it off with `usize::MAX`).
    #[doc(hidden)]
    pub fn with_bulk_threshold(mut self, quads: usize) -> Self {
        self.bulk_quads = quads;
        self
    }

    /// The store revision of a record (`None`: no such record), read outside any transaction
    /// (under the writer lock, nothing else writes).
    fn rev_of(&self, iri: NamedNodeRef<'_>) -> Result<Option<u64>, StoreError> {
        read_rev(self.inner.quads_for_pattern(Some(iri.into()), Some(vk::REVISION), None, Some(RECORDS_GRAPH.into())), || {
            Ok(self.inner.quads_for_pattern(Some(iri.into()), None, None, Some(RECORDS_GRAPH.into())).next().transpose()?.is_some())
        })
    }

    /// Whether a batch takes the bulk path: on disk, large enough, and every write a put of a
    /// distinct record that `found` (read under the lock) says is absent.
    fn bulk_applies(&self, batch: &Batch, found: &[Option<u64>]) -> bool {
        if self.dir.is_none() || batch.writes.is_empty() {
            return false;
        }
        let mut quads = 0usize;
        let mut seen = HashSet::with_capacity(batch.writes.len());
        for (w, f) in batch.writes.iter().zip(found) {
            let Write::Put { record, .. } = w else { return false };
            if f.is_some() || !seen.insert(record.meta.iri.as_str()) {
                return false;
            }
            quads += record.graph.len() * if record.meta.state.is_public() { 2 } else { 1 } + 9;
        }
        quads >= self.bulk_quads
    }

    /// Writes a batch of new records through the bulk loader. The record graphs, their
    /// metadata, their public default-graph copies and the change-log entry of `generation` are
    /// ingested in one atomic step (RocksDB ingests the files of every column family together,
    /// durably, or none); the generation counter follows in a small transaction. Should that
    /// second step be lost (a crash between the two), opening the store takes the generation
    /// from the change log, so the batch counts all the same.
    fn commit_bulk(&self, batch: &Batch, generation: u64) -> Result<Vec<(NamedNode, u64)>, StoreError> {
        let mut loader = self.inner.bulk_loader().with_max_memory_size_in_megabytes(BULK_MEMORY_MB);
        let mut revs = Vec::with_capacity(batch.writes.len());
        let records = batch.writes.iter().filter_map(|w| match w {
            Write::Put { record, .. } => Some(record),
            Write::Delete { .. } => None,
        });
        for record in records.clone() {
            revs.push((record.meta.iri.clone(), 1));
        }
        // one stream of quads: the loader cuts it into large sorted runs
        let quads = records
            .flat_map(|record| {
                let g = GraphName::NamedNode(record.meta.iri.clone());
                let public = record.meta.state.is_public();
                let mut quads: Vec<Quad> = Vec::with_capacity(record.graph.len() * 2 + 8);
                for t in record.graph.iter() {
                    let (s, p, o) = (t.subject.into_owned(), t.predicate.into_owned(), t.object.into_owned());
                    if public {
                        quads.push(Quad::new(s.clone(), p.clone(), o.clone(), GraphName::DefaultGraph));
                    }
                    quads.push(Quad::new(s, p, o, g.clone()));
                }
                quads.extend(meta_quads(&record.meta, 1));
                quads.push(snapshot_quad(&record.meta, 1, &record.graph));
                quads
            })
            .chain(change_quads(generation, &batch.id, &batch.iris()));
        loader.load_quads(quads)?;
        loader.commit()?;
        crate::fault::point(crate::fault::AFTER_BULK_INGEST);
        let mut tx = self.inner.start_transaction()?;
        set_generation(&mut tx, generation)?;
        prune_change_log(&mut tx, generation);
        tx.commit()?;
        Ok(revs)
    }

    /// Writes a batch in one oxigraph transaction. `found` is each write's record revision as
    /// read under the lock before the batch; a record written twice in the batch is read again
    /// inside the transaction.
    fn commit_transaction(&self, batch: &Batch, found: &[Option<u64>], generation: u64) -> Result<Vec<(NamedNode, u64)>, StoreError> {
        let mut tx = self.inner.start_transaction()?;
        let mut revs = Vec::with_capacity(batch.writes.len());
        let mut written: HashSet<&str> = HashSet::with_capacity(batch.writes.len());
        for (w, f) in batch.writes.iter().zip(found) {
            let iri = w.iri();
            let before = if written.contains(iri.as_str()) { rev_in(&tx, iri.as_ref())? } else { *f };
            match w {
                Write::Put { record, .. } => {
                    let rev = before.unwrap_or(0) + 1;
                    if before.is_some() {
                        Self::put(&mut tx, &record.meta, &record.graph, rev)?;
                    } else {
                        Self::create(&mut tx, &record.meta, &record.graph, rev);
                    }
                    revs.push((record.meta.iri.clone(), rev));
                }
                Write::Delete { iri, .. } => {
                    if before.is_some() {
                        Self::delete(&mut tx, iri.as_ref())?;
                    }
                    revs.push((iri.clone(), 0));
                }
            }
            written.insert(iri.as_str());
        }
        set_generation(&mut tx, generation)?;
        log_change(&mut tx, generation, &batch.id, &batch.iris());
        tx.commit()?;
        Ok(revs)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.write_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Fills the public default graph of a store written before it existed (a no-op once
    /// filled, or when no record is public).
    fn ensure_public_default_graph(&self) -> Result<(), StoreError> {
        if self.inner.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph)).next().is_some() {
            return Ok(());
        }
        let filter = Filter::all_public();
        let total = self.count(&filter)?;
        let public = self.list(&filter, 0, total)?;
        if public.is_empty() {
            return Ok(());
        }
        let _guard = self.lock();
        let mut tx = self.inner.start_transaction()?;
        for meta in &public {
            let quads: Vec<Quad> =
                tx.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(meta.iri.as_ref()))).collect::<Result<_, _>>()?;
            for q in &quads {
                tx.insert(QuadRef::new(&q.subject, &q.predicate, &q.object, GraphNameRef::DefaultGraph));
            }
        }
        tx.commit()?;
        tracing::info!(records = public.len(), "filled the public default graph of an older store");
        Ok(())
    }

    /// Every quad of one record graph, streamed (for export).
    pub fn quads_of(&self, iri: NamedNodeRef<'_>) -> impl Iterator<Item = Result<Quad, StorageError>> + 'static {
        self.inner.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(iri)))
    }

    /// A record read from its snapshot (`None`: none, or one this version does not read).
    fn snapshot(&self, iri: NamedNodeRef<'_>) -> Result<Option<Record>, StoreError> {
        for q in self.inner.quads_for_pattern(Some(iri.into()), Some(SNAPSHOT), None, Some(SNAPSHOTS_GRAPH.into())) {
            if let Term::Literal(l) = q?.object {
                return Ok(read_snapshot(iri, l.value()));
            }
        }
        Ok(None)
    }

    /// Whether the store holds no quad at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    fn put(tx: &mut Transaction<'_>, meta: &RecordMeta, graph: &Graph, rev: u64) -> Result<(), StoreError> {
        let g = GraphNameRef::NamedNode(meta.iri.as_ref());
        let was_public = is_public_in(tx, meta.iri.as_ref())?;
        let old: Vec<Quad> =
            if was_public { tx.quads_for_pattern(None, None, None, Some(g)).collect::<Result<_, _>>()? } else { Vec::new() };
        tx.clear_graph(g)?;
        remove_meta(tx, meta.iri.as_ref())?;
        remove_snapshot(tx, meta.iri.as_ref())?;
        for t in graph.iter() {
            tx.insert(QuadRef::new(t.subject, t.predicate, t.object, g));
        }
        tx.insert_named_graph(meta.iri.as_ref());
        for quad in meta_quads(meta, rev) {
            tx.insert(&quad);
        }
        tx.insert(&snapshot_quad(meta, rev, graph));
        let now_public = meta.state.is_public();
        for q in &old {
            let kept = now_public && graph.contains(TripleRef::new(&q.subject, &q.predicate, &q.object));
            if !kept {
                unmirror(tx, q, meta.iri.as_ref())?;
            }
        }
        if now_public {
            for t in graph.iter() {
                tx.insert(QuadRef::new(t.subject, t.predicate, t.object, GraphNameRef::DefaultGraph));
            }
        }
        Ok(())
    }

    /// Writes a record the store does not hold: nothing to clear or take out of the public
    /// graph first.
    fn create(tx: &mut Transaction<'_>, meta: &RecordMeta, graph: &Graph, rev: u64) {
        let g = GraphNameRef::NamedNode(meta.iri.as_ref());
        let public = meta.state.is_public();
        for t in graph.iter() {
            tx.insert(QuadRef::new(t.subject, t.predicate, t.object, g));
            if public {
                tx.insert(QuadRef::new(t.subject, t.predicate, t.object, GraphNameRef::DefaultGraph));
            }
        }
        tx.insert_named_graph(meta.iri.as_ref());
        for quad in meta_quads(meta, rev) {
            tx.insert(&quad);
        }
        tx.insert(&snapshot_quad(meta, rev, graph));
    }

    fn delete(tx: &mut Transaction<'_>, iri: NamedNodeRef<'_>) -> Result<(), StoreError> {
        let old: Vec<Quad> = if is_public_in(tx, iri)? {
            tx.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(iri))).collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        tx.remove_named_graph(iri)?;
        remove_meta(tx, iri)?;
        remove_snapshot(tx, iri)?;
        for q in &old {
            unmirror(tx, q, iri)?;
        }
        Ok(())
    }
}

impl RecordStore for EmbeddedStore {
    fn kind(&self) -> &'static str {
        "embedded"
    }

    fn meta(&self, iri: NamedNodeRef<'_>) -> Result<Option<RecordMeta>, StoreError> {
        read_meta(iri, self.inner.quads_for_pattern(Some(iri.into()), None, None, Some(RECORDS_GRAPH.into())))
    }

    fn get(&self, iri: NamedNodeRef<'_>) -> Result<Option<Record>, StoreError> {
        if let Some(record) = self.snapshot(iri)? {
            return Ok(Some(record));
        }
        let Some(meta) = self.meta(iri)? else { return Ok(None) };
        let graph = self.graph(iri)?;
        Ok(Some(Record { meta, graph }))
    }

    fn graph(&self, iri: NamedNodeRef<'_>) -> Result<Graph, StoreError> {
        if let Some(record) = self.snapshot(iri)? {
            return Ok(record.graph);
        }
        let mut graph = Graph::new();
        for q in self.inner.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(iri))) {
            let q = q?;
            graph.insert(QuadRef::from(&q));
        }
        Ok(graph)
    }

    fn list(&self, filter: &Filter, offset: u64, limit: u64) -> Result<Vec<RecordMeta>, StoreError> {
        let mut out = Vec::new();
        for solution in self.select(&queries::list_records(filter, offset, limit))? {
            if let Some(Term::NamedNode(g)) = solution.get("g")
                && let Some(meta) = self.meta(g.as_ref())?
            {
                out.push(meta);
            }
        }
        Ok(out)
    }

    fn count(&self, filter: &Filter) -> Result<u64, StoreError> {
        Ok(self
            .select(&queries::count_records(filter))?
            .first()
            .and_then(|s| match s.get("n") {
                Some(Term::Literal(l)) => l.value().parse().ok(),
                _ => None,
            })
            .unwrap_or(0))
    }

    fn iris_of_kind(&self, kind: RecordKind) -> Result<Vec<NamedNode>, StoreError> {
        let kind_literal = Literal::new_simple_literal(kind.as_str());
        let mut out = Vec::new();
        for q in self.inner.quads_for_pattern(None, Some(vk::KIND), Some(kind_literal.as_ref().into()), Some(RECORDS_GRAPH.into())) {
            if let NamedOrBlankNode::NamedNode(n) = q?.subject {
                out.push(n);
            }
        }
        Ok(out)
    }

    fn has_no_records(&self) -> Result<bool, StoreError> {
        Ok(self.inner.quads_for_pattern(None, Some(rdf::TYPE), Some(vk::RECORD.into()), Some(RECORDS_GRAPH.into())).next().is_none())
    }

    /// The quads of the records, their metadata and the change log; the snapshots, a cache of
    /// the same data, are not counted (so both stores give the same number for the same data).
    fn len(&self) -> Result<usize, StoreError> {
        // counted by the engine, which never decodes the snapshots' text (iterating the quads
        // would read every snapshot whole, through RocksDB's block cache)
        let snapshots = self
            .select(&queries::count_quads(SNAPSHOTS_GRAPH, SNAPSHOT))?
            .first()
            .and_then(|s| match s.get("n") {
                Some(Term::Literal(l)) => l.value().parse::<usize>().ok(),
                _ => None,
            })
            .unwrap_or(0);
        Ok(self.inner.len()? - snapshots)
    }

    fn generation(&self) -> Result<u64, StoreError> {
        Ok(self.generation.load(Ordering::Acquire))
    }

    fn commit(&self, batch: &Batch) -> Result<Committed, StoreError> {
        let _guard = self.lock();
        // every expectation first, under the lock: a failed one writes nothing
        let mut found = Vec::with_capacity(batch.writes.len());
        for w in &batch.writes {
            let rev = self.rev_of(w.iri().as_ref())?;
            if !w.expect().admits(rev) {
                return Err(StoreError::Conflict { iri: w.iri().as_str().to_owned(), expected: w.expect(), found: rev });
            }
            found.push(rev);
        }
        let generation = self.generation.load(Ordering::Acquire) + 1;
        let revs = if self.bulk_applies(batch, &found) {
            self.commit_bulk(batch, generation)?
        } else {
            self.commit_transaction(batch, &found, generation)?
        };
        self.generation.store(generation, Ordering::Release);
        Ok(Committed { generation, revs })
    }

    fn find_commit(&self, id: &CommitId) -> Result<Option<u64>, StoreError> {
        let literal = Literal::new_simple_literal(id.as_str());
        for q in self.inner.quads_for_pattern(None, Some(vk::COMMIT_ID), Some(literal.as_ref().into()), Some(CHANGES_GRAPH.into())) {
            if let NamedOrBlankNode::NamedNode(n) = q?.subject {
                return Ok(generation_of_commit_node(n.as_ref()));
            }
        }
        Ok(None)
    }

    fn changes_since(&self, generation: u64) -> Result<Option<Vec<Change>>, StoreError> {
        let current = self.generation()?;
        let mut out = Vec::new();
        for g in generation + 1..=current {
            let node = commit_node(g);
            let mut commit = None;
            let mut time = None;
            let mut iris = Vec::new();
            for q in self.inner.quads_for_pattern(Some(node.as_ref().into()), None, None, Some(CHANGES_GRAPH.into())) {
                let q = q?;
                match q.object {
                    Term::Literal(l) if q.predicate == vk::COMMIT_ID => commit = Some(CommitId::from_string(l.value())),
                    Term::Literal(l) if q.predicate == dct::CREATED => time = parse_time(l.value()),
                    Term::NamedNode(n) if q.predicate == vk::CHANGED => iris.push(n),
                    _ => {}
                }
            }
            let (Some(commit), Some(time)) = (commit, time) else { return Ok(None) };
            iris.sort();
            out.push(Change { generation: g, commit, time, iris });
        }
        Ok(Some(out))
    }

    fn select(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError> {
        let mut prepared = SparqlEvaluator::new().parse_query(query)?;
        prepared.dataset_mut().set_default_graph_as_union();
        match prepared.on_store(&self.inner).execute()? {
            QueryResults::Solutions(solutions) => Ok(solutions.collect::<Result<Vec<_>, _>>()?),
            _ => Err(StoreError::Query("expected a SELECT query".into())),
        }
    }

    fn select_public(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError> {
        let mut prepared = SparqlEvaluator::new().parse_query(query)?;
        prepared.dataset_mut().set_default_graph(vec![GraphName::DefaultGraph]);
        prepared.dataset_mut().set_available_named_graphs(Vec::new());
        match prepared.on_store(&self.inner).execute()? {
            QueryResults::Solutions(solutions) => Ok(solutions.collect::<Result<Vec<_>, _>>()?),
            _ => Err(StoreError::Query("expected a SELECT query".into())),
        }
    }

    fn execute(&self, query: PublicQuery) -> Result<QueryResults<'static>, QueryEvaluationError> {
        query.prepared.on_store(&self.inner).execute()
    }

    fn quads_matching(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Result<Vec<Quad>, StoreError> {
        let mut out = Vec::new();
        for q in self.inner.quads_for_pattern(subject.map(Into::into), predicate, object, None) {
            let q = q?;
            if matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_ref() != RECORDS_GRAPH && g.as_ref() != CHANGES_GRAPH && g.as_ref() != SNAPSHOTS_GRAPH)
            {
                out.push(q);
            }
        }
        Ok(out)
    }

    fn flush(&self) -> Result<(), StoreError> {
        if self.dir.is_some() {
            self.inner.flush()?;
        }
        Ok(())
    }

    fn backup(&self, dir: &Path) -> Result<(), StoreError> {
        if self.dir.is_none() {
            return Err(StoreError::Storage("a store in memory cannot be backed up".into()));
        }
        Ok(self.inner.backup(dir)?)
    }
}

/// Reads a record's metadata from the quads of its metadata node.
fn read_meta(iri: NamedNodeRef<'_>, quads: impl Iterator<Item = Result<Quad, StorageError>>) -> Result<Option<RecordMeta>, StoreError> {
    let mut kind = None;
    let mut state = None;
    let mut version = None;
    let mut rev = None;
    let mut source = None;
    let mut hash = None;
    let mut modified = None;
    let mut found = false;
    for q in quads {
        let q = q?;
        found = true;
        let p = q.predicate.as_ref();
        match q.object {
            Term::Literal(l) if p == vk::KIND => kind = RecordKind::parse(l.value()),
            Term::NamedNode(n) if p == vk::STATE => state = RecordState::from_iri(n.as_ref()),
            Term::Literal(l) if p == vk::RECORD_VERSION => version = l.value().parse::<u64>().ok(),
            Term::Literal(l) if p == vk::REVISION => rev = l.value().parse::<u64>().ok(),
            Term::NamedNode(n) if p == vk::SOURCE => source = Some(n),
            Term::Literal(l) if p == vk::CONTENT_HASH => hash = Some(l.value().to_owned()),
            Term::Literal(l) if p == dct::MODIFIED => modified = parse_time(l.value()),
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
        // a record written before store revisions existed counts as revision 0
        rev: rev.unwrap_or(0),
        source: source.ok_or_else(|| bad("no source"))?,
        content_hash: hash.unwrap_or_default(),
        modified: modified.ok_or_else(|| bad("no modification time"))?,
    }))
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}

/// The store revision of a record as the transaction sees it (`None`: no such record).
fn rev_in(tx: &Transaction<'_>, iri: NamedNodeRef<'_>) -> Result<Option<u64>, StoreError> {
    read_rev(tx.quads_for_pattern(Some(iri.into()), Some(vk::REVISION), None, Some(RECORDS_GRAPH.into())), || {
        Ok(tx.quads_for_pattern(Some(iri.into()), None, None, Some(RECORDS_GRAPH.into())).next().transpose()?.is_some())
    })
}

/// A record's revision from its `vk:revision` quads; without one, 0 when the record exists
/// (written before revisions existed) and `None` when it does not.
fn read_rev(
    mut revision: impl Iterator<Item = Result<Quad, StorageError>>,
    exists: impl FnOnce() -> Result<bool, StoreError>,
) -> Result<Option<u64>, StoreError> {
    if let Some(q) = revision.next() {
        if let Term::Literal(l) = q?.object {
            return Ok(Some(l.value().parse().unwrap_or(0)));
        }
        return Ok(Some(0));
    }
    Ok(exists()?.then_some(0))
}

/// Whether a record is public, as the transaction sees it.
fn is_public_in(tx: &Transaction<'_>, iri: NamedNodeRef<'_>) -> Result<bool, StoreError> {
    for q in tx.quads_for_pattern(Some(iri.into()), Some(vk::STATE), None, Some(RECORDS_GRAPH.into())) {
        if let Term::NamedNode(s) = q?.object {
            return Ok(RecordState::from_iri(s.as_ref()).is_some_and(RecordState::is_public));
        }
    }
    Ok(false)
}

/// Removes a record's triple from the public default graph unless another public record
/// still asserts it.
fn unmirror(tx: &mut Transaction<'_>, q: &Quad, record: NamedNodeRef<'_>) -> Result<(), StoreError> {
    let holders: Vec<Quad> = tx
        .quads_for_pattern(Some(q.subject.as_ref()), Some(q.predicate.as_ref()), Some(q.object.as_ref()), None)
        .collect::<Result<_, _>>()?;
    for h in &holders {
        if let GraphName::NamedNode(g) = &h.graph_name
            && g.as_ref() != record
            && g.as_ref() != RECORDS_GRAPH
            && is_public_in(tx, g.as_ref())?
        {
            return Ok(());
        }
    }
    tx.remove(QuadRef::new(&q.subject, &q.predicate, &q.object, GraphNameRef::DefaultGraph));
    Ok(())
}

fn remove_meta(tx: &mut Transaction<'_>, iri: NamedNodeRef<'_>) -> Result<(), StoreError> {
    let old: Vec<Quad> = tx.quads_for_pattern(Some(iri.into()), None, None, Some(RECORDS_GRAPH.into())).collect::<Result<_, _>>()?;
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

/// The write generation as stored (the count of committed batches): the counter, or the newest
/// change-log entry when that is newer (a bulk commit whose counter update a crash lost).
fn stored_generation(inner: &oxigraph::store::Store) -> Result<u64, StoreError> {
    let counter = read_generation(inner.quads_for_pattern(
        Some(NamedNodeRef::new_unchecked(internal::STORE_NODE).into()),
        Some(vk::GENERATION),
        None,
        Some(RECORDS_GRAPH.into()),
    ))?;
    let mut newest = 0;
    for q in inner.quads_for_pattern(None, Some(rdf::TYPE), Some(vk::COMMIT.into()), Some(CHANGES_GRAPH.into())) {
        if let NamedOrBlankNode::NamedNode(n) = q?.subject {
            newest = newest.max(generation_of_commit_node(n.as_ref()).unwrap_or(0));
        }
    }
    Ok(counter.max(newest))
}

/// Sets the stored generation counter.
fn set_generation(tx: &mut Transaction<'_>, generation: u64) -> Result<(), StoreError> {
    let node = NamedNodeRef::new_unchecked(internal::STORE_NODE);
    let old: Vec<Quad> =
        tx.quads_for_pattern(Some(node.into()), Some(vk::GENERATION), None, Some(RECORDS_GRAPH.into())).collect::<Result<_, _>>()?;
    for q in &old {
        tx.remove(q);
    }
    let literal = Literal::new_typed_literal(generation.to_string(), xsd::INTEGER);
    tx.insert(QuadRef::new(node, vk::GENERATION, &literal, RECORDS_GRAPH));
    Ok(())
}

fn commit_node(generation: u64) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{generation}", internal::COMMIT_PREFIX))
}

fn generation_of_commit_node(node: NamedNodeRef<'_>) -> Option<u64> {
    node.as_str().strip_prefix(internal::COMMIT_PREFIX)?.parse().ok()
}

/// Appends the change-log entry of a batch, and every 64th generation prunes the entries older
/// than [`CHANGE_LOG_KEEP`] generations.
fn log_change(tx: &mut Transaction<'_>, generation: u64, id: &CommitId, iris: &[NamedNode]) {
    for q in change_quads(generation, id, iris) {
        tx.insert(&q);
    }
    prune_change_log(tx, generation);
}

/// The quads of the change-log entry of a batch.
fn change_quads(generation: u64, id: &CommitId, iris: &[NamedNode]) -> Vec<Quad> {
    let node = commit_node(generation);
    let g = GraphName::NamedNode(CHANGES_GRAPH.into_owned());
    let q = |p: NamedNodeRef<'_>, o: Term| Quad::new(node.clone(), p, o, g.clone());
    let time = Literal::new_typed_literal(Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true), xsd::DATE_TIME);
    let mut out = vec![
        q(rdf::TYPE, vk::COMMIT.into_owned().into()),
        q(vk::COMMIT_ID, Literal::new_simple_literal(id.as_str()).into()),
        q(dct::CREATED, time.into()),
    ];
    out.extend(iris.iter().map(|iri| q(vk::CHANGED, iri.clone().into())));
    out
}

/// Every 64th generation, removes the change-log entries older than [`CHANGE_LOG_KEEP`].
fn prune_change_log(tx: &mut Transaction<'_>, generation: u64) {
    let g = CHANGES_GRAPH;
    if generation.is_multiple_of(64) && generation > CHANGE_LOG_KEEP {
        let upto = generation - CHANGE_LOG_KEEP;
        for old in upto.saturating_sub(64) + 1..=upto {
            let old = commit_node(old);
            let quads: Vec<Quad> =
                tx.quads_for_pattern(Some(old.as_ref().into()), None, None, Some(g.into())).filter_map(Result::ok).collect();
            for q in &quads {
                tx.remove(q);
            }
        }
    }
}

fn meta_quads(meta: &RecordMeta, rev: u64) -> Vec<Quad> {
    let s = &meta.iri;
    let g = GraphName::NamedNode(RECORDS_GRAPH.into_owned());
    let q = |p: NamedNodeRef<'_>, o: Term| Quad::new(s.clone(), p, o, g.clone());
    let integer = |n: u64| Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into();
    vec![
        q(rdf::TYPE, vk::RECORD.into_owned().into()),
        q(vk::KIND, Literal::new_simple_literal(meta.kind.as_str()).into()),
        q(vk::STATE, meta.state.iri().into_owned().into()),
        q(vk::RECORD_VERSION, integer(meta.version)),
        q(vk::REVISION, integer(rev)),
        q(vk::SOURCE, meta.source.clone().into()),
        q(vk::CONTENT_HASH, Literal::new_simple_literal(&meta.content_hash).into()),
        q(dct::MODIFIED, Literal::new_typed_literal(meta.modified.to_rfc3339_opts(SecondsFormat::Millis, true), xsd::DATE_TIME).into()),
    ]
}

/// The snapshot literal of a record at a revision: a header line with the metadata, then the
/// graph as N-Triples.
fn snapshot_text(meta: &RecordMeta, rev: u64, graph: &Graph) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(64 + graph.len() * 120);
    let _ = writeln!(
        text,
        "{SNAPSHOT_V1}\t{}\t{}\t{}\t{rev}\t{}\t{}\t{}",
        meta.kind.as_str(),
        meta.state.iri().as_str(),
        meta.version,
        meta.source.as_str(),
        meta.content_hash.replace(['\t', '\n'], " "),
        meta.modified.to_rfc3339_opts(SecondsFormat::Millis, true),
    );
    let mut serializer = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::NTriples).for_writer(Vec::new());
    for t in graph.iter() {
        serializer.serialize_triple(t).expect("writing to memory does not fail");
    }
    text.push_str(&String::from_utf8(serializer.finish().expect("writing to memory does not fail")).expect("N-Triples is UTF-8"));
    text
}

fn snapshot_quad(meta: &RecordMeta, rev: u64, graph: &Graph) -> Quad {
    Quad::new(
        meta.iri.clone(),
        SNAPSHOT,
        Literal::new_simple_literal(snapshot_text(meta, rev, graph)),
        GraphName::NamedNode(SNAPSHOTS_GRAPH.into_owned()),
    )
}

/// Reads a record from its snapshot text (`None`: not a snapshot this version reads).
fn read_snapshot(iri: NamedNodeRef<'_>, text: &str) -> Option<Record> {
    let (header, body) = text.split_once('\n')?;
    let mut f = header.split('\t');
    if f.next()? != SNAPSHOT_V1 {
        return None;
    }
    let kind = RecordKind::parse(f.next()?)?;
    let state = RecordState::from_iri(NamedNodeRef::new(f.next()?).ok()?)?;
    let version = f.next()?.parse().ok()?;
    let rev = f.next()?.parse().ok()?;
    let source = NamedNode::new(f.next()?).ok()?;
    let content_hash = f.next()?.to_owned();
    let modified = parse_time(f.next()?)?;
    let mut graph = Graph::new();
    for t in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples).for_slice(body.as_bytes()) {
        let q = t.ok()?;
        graph.insert(TripleRef::new(&q.subject, &q.predicate, &q.object));
    }
    Some(Record { meta: RecordMeta { iri: iri.into_owned(), kind, state, version, rev, source, content_hash, modified }, graph })
}

/// Removes a record's snapshot (inside a transaction).
fn remove_snapshot(tx: &mut Transaction<'_>, iri: NamedNodeRef<'_>) -> Result<(), StoreError> {
    let old: Vec<Quad> =
        tx.quads_for_pattern(Some(iri.into()), Some(SNAPSHOT), None, Some(SNAPSHOTS_GRAPH.into())).collect::<Result<_, _>>()?;
    for q in &old {
        tx.remove(q);
    }
    Ok(())
}
