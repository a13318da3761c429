//! The record store: the catalogue's ground truth, behind one contract ([`RecordStore`]).
//!
//! Owns: record graphs (one named graph per record, named by its IRI) and their metadata
//! (state, version, store revision, source, content hash, modified); the atomicity of a batch of
//! writes; the per-record compare-and-set that decides concurrent writers; the store
//! generation and the change log that derived data follows; the public default graph; SPARQL
//! for the rest of the code (its text lives in [`queries`]).
//! Does not: know DCAT-AP rules, pages, the search index or the operational state. Callers
//! hand it whole records.
//!
//! Implementations: [`EmbeddedStore`] (oxigraph on RocksDB, or in memory) and [`RemoteStore`]
//! (a SPARQL 1.1 Protocol engine elsewhere: Oxigraph server, Fuseki, …); the contract tests in
//! `tests/it/store_contract.rs` run against every implementation.
//!
//! The contract (every implementation, whatever process or node writes):
//! - [`RecordStore::commit`] applies a [`Batch`] all or nothing. Each write names what it expects
//!   the record to be ([`Expect`]): absent, at a store revision, or anything. If any expectation
//!   fails, nothing is written and the error is [`StoreError::Conflict`] naming the record. Two
//!   writers saving the same record from the same revision: exactly one succeeds.
//! - Every committed batch increments the store generation by one and appends one entry to the
//!   change log (its generation, its [`CommitId`], the records it changed), in the same
//!   transaction. [`RecordStore::find_commit`] tells whether a batch committed, which is how
//!   an interrupted pair of writes (store and state) is reconciled at start-up.
//! - Every record's store revision ([`RecordMeta::rev`]) increases by one with each write of it.
//! - The store's default graph is the union of the public (published and retired) record
//!   graphs, kept in the same transaction as every write.
//! - A commit is durable when it returns: a process crash (`kill -9`) loses nothing that was
//!   acknowledged.

pub mod embedded;
pub mod queries;
pub mod read;
pub mod remote;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, Quad, Term, TermRef};
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, QuerySolution};

use crate::model::record::RecordKind;
use crate::model::vocab::{internal, vk};

pub use embedded::EmbeddedStore;
pub use remote::RemoteStore;

/// The internal graph of record metadata.
pub const RECORDS_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(internal::RECORDS_GRAPH);
/// The internal graph of the change log.
pub const CHANGES_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(internal::CHANGES_GRAPH);

/// How many change-log entries a store keeps at least (older ones are pruned; a follower
/// further behind rebuilds instead of catching up).
pub const CHANGE_LOG_KEEP: u64 = 10_000;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("the data directory {path} is in use by another process (a command, or a `vardkatalog serve` that is starting or stopping)")]
    Locked { path: String },
    #[error("the store could not be opened at {path}: {message}")]
    Open { path: String, message: String },
    #[error("storage error: {0}")]
    Storage(String),
    #[error("SPARQL error: {0}")]
    Query(String),
    #[error("the metadata of record <{iri}> is damaged: {problem}")]
    BadMetadata { iri: String, problem: String },
    #[error("<{iri}> changed: the write expected {expected} but the store holds {}", found.map_or_else(|| "no such record".to_owned(), |r| format!("revision {r}")))]
    Conflict { iri: String, expected: Expect, found: Option<u64> },
    #[error("the store did not answer: {0}")]
    Unavailable(String),
}

impl From<oxigraph::store::StorageError> for StoreError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Storage(e.to_string())
    }
}

impl From<QueryEvaluationError> for StoreError {
    fn from(e: QueryEvaluationError) -> Self {
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
    /// The published version (bumped by publication; shown to people).
    pub version: u64,
    /// The store revision: bumped by every write of the record, whoever writes. A write names
    /// the revision it was based on ([`Expect::Rev`]). Set by the store; ignored on input.
    pub rev: u64,
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

    /// Every public record.
    pub fn all_public() -> Self {
        Self { kind: None, states: Some(vec![RecordState::Published, RecordState::Retired]) }
    }
}

/// What a write expects the record to be when the batch commits (compare-and-set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Whatever it is (imports and seeding that replace by content).
    Any,
    /// No such record yet.
    Absent,
    /// The record at this store revision.
    Rev(u64),
}

impl Expect {
    /// What to expect of a record read as `meta` (absent when `None`).
    pub fn from_meta(meta: Option<&RecordMeta>) -> Self {
        meta.map_or(Self::Absent, |m| Self::Rev(m.rev))
    }

    /// Whether a record at `found` (`None`: absent) meets the expectation.
    pub fn admits(self, found: Option<u64>) -> bool {
        match self {
            Self::Any => true,
            Self::Absent => found.is_none(),
            Self::Rev(r) => found == Some(r),
        }
    }
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Any => f.write_str("any revision"),
            Self::Absent => f.write_str("no such record"),
            Self::Rev(r) => write!(f, "revision {r}"),
        }
    }
}

/// One write of a batch. Not boxed: a batch is a short-lived vector of whole records.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Write {
    /// Creates or replaces a record (graph and metadata).
    Put { record: Record, expect: Expect },
    /// Removes a record and its metadata (nothing happens when it is absent and `Any` is
    /// expected).
    Delete { iri: NamedNode, expect: Expect },
}

impl Write {
    pub fn iri(&self) -> &NamedNode {
        match self {
            Self::Put { record, .. } => &record.meta.iri,
            Self::Delete { iri, .. } => iri,
        }
    }

    pub fn expect(&self) -> Expect {
        match self {
            Self::Put { expect, .. } | Self::Delete { expect, .. } => *expect,
        }
    }
}

/// The identity of a batch, written into the change log with it: 128 random bits as hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct CommitId(String);

impl CommitId {
    /// A fresh random id.
    pub fn new() -> Self {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system's random source");
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// An id read back (from the change log or a journal entry).
    pub fn from_string(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for CommitId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for CommitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Writes committed together, all or nothing.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub id: CommitId,
    pub writes: Vec<Write>,
}

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }

    /// A batch with the given id (a journal entry names it before the store commits it).
    pub fn with_id(id: CommitId) -> Self {
        Self { id, writes: Vec::new() }
    }

    pub fn put(&mut self, record: Record, expect: Expect) -> &mut Self {
        self.writes.push(Write::Put { record, expect });
        self
    }

    pub fn delete(&mut self, iri: NamedNode, expect: Expect) -> &mut Self {
        self.writes.push(Write::Delete { iri, expect });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.writes.len()
    }

    /// The records the batch writes, in order.
    pub fn iris(&self) -> Vec<NamedNode> {
        self.writes.iter().map(|w| w.iri().clone()).collect()
    }
}

/// What a commit did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Committed {
    /// The store generation this batch made.
    pub generation: u64,
    /// The new store revision of every record written (0 for a deleted one), in batch order.
    pub revs: Vec<(NamedNode, u64)>,
}

/// One entry of the change log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub generation: u64,
    pub commit: CommitId,
    pub time: DateTime<Utc>,
    /// The records the batch wrote or deleted.
    pub iris: Vec<NamedNode>,
}

/// A query of the public SPARQL endpoint (`publish::sparql`), ready for every implementation:
/// an embedded engine evaluates `prepared`; an engine elsewhere is sent `query` with the same
/// restrictions (the public catalogue only, never the internal graphs, no `SERVICE`).
pub struct PublicQuery {
    /// The query with the endpoint's stop points, its dataset restricted to public record
    /// graphs and its cancellation set: evaluated in this process.
    pub prepared: PreparedSparqlQuery,
    /// The query as the client wrote it (parsed, without stop points).
    pub query: spargebra::Query,
    /// The dataset the client named (`FROM`, `FROM NAMED`, or the protocol's
    /// `default-graph-uri`/`named-graph-uri`), every graph checked to be a public record graph;
    /// `None`: the catalogue's own (the public default graph, and the public record graphs as
    /// named graphs).
    pub dataset: Option<PublicDataset>,
    /// Cancelled when the query must stop (time limit, memory budget, client gone).
    pub cancellation: CancellationToken,
    /// The time limit of the whole evaluation.
    pub timeout: Duration,
}

/// A dataset named by a public query: public record graphs only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicDataset {
    /// Merged into the default graph.
    pub default_graphs: Vec<NamedNode>,
    /// Reachable with `GRAPH`.
    pub named_graphs: Vec<NamedNode>,
}

/// The record store contract. See the module documentation for the guarantees every
/// implementation gives; `tests/it/store_contract.rs` checks them.
pub trait RecordStore: Send + Sync {
    /// A short name of the implementation (`embedded`, `remote`), for logs and metrics.
    fn kind(&self) -> &'static str;

    // ---- reads ----------------------------------------------------------------------

    /// The metadata of one record.
    fn meta(&self, iri: NamedNodeRef<'_>) -> Result<Option<RecordMeta>, StoreError>;

    /// The triples of a record graph (empty when there is no such graph).
    fn graph(&self, iri: NamedNodeRef<'_>) -> Result<Graph, StoreError>;

    /// One record with its metadata.
    fn get(&self, iri: NamedNodeRef<'_>) -> Result<Option<Record>, StoreError> {
        let Some(meta) = self.meta(iri)? else { return Ok(None) };
        let graph = self.graph(iri)?;
        Ok(Some(Record { meta, graph }))
    }

    /// Record metadata in a stable order (by IRI), one page at a time.
    fn list(&self, filter: &Filter, offset: u64, limit: u64) -> Result<Vec<RecordMeta>, StoreError>;

    /// How many records match.
    fn count(&self, filter: &Filter) -> Result<u64, StoreError>;

    /// The IRIs of every record of a kind, in no particular order (full passes such as
    /// rebuilding the index).
    fn iris_of_kind(&self, kind: RecordKind) -> Result<Vec<NamedNode>, StoreError>;

    /// Whether no record has been stored yet.
    fn has_no_records(&self) -> Result<bool, StoreError>;

    /// How many quads the store holds, metadata included (statistics and tests; a full count on
    /// some engines).
    fn len(&self) -> Result<usize, StoreError>;

    /// Whether the store holds no record.
    fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// The store generation: how many batches have been committed. Equal numbers mean equal
    /// content.
    fn generation(&self) -> Result<u64, StoreError>;

    // ---- writes ---------------------------------------------------------------------

    /// Commits a batch: all or nothing, with every expectation checked in the same step.
    fn commit(&self, batch: &Batch) -> Result<Committed, StoreError>;

    /// The generation at which the batch `id` committed, if it did (and the change log still
    /// holds it).
    fn find_commit(&self, id: &CommitId) -> Result<Option<u64>, StoreError>;

    /// The change-log entries after `generation`, oldest first; `None` when the log no longer
    /// reaches back that far (a follower then rebuilds).
    fn changes_since(&self, generation: u64) -> Result<Option<Vec<Change>>, StoreError>;

    // ---- queries --------------------------------------------------------------------

    /// Evaluates a SPARQL SELECT over every graph (their union as the default graph, plus
    /// `GRAPH` access to each). Internal use only: it sees metadata and the public default
    /// graph too, so queries use `GRAPH` patterns. Query text lives in [`queries`].
    fn select(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError>;

    /// Evaluates a SPARQL SELECT whose default graph is the public catalogue only.
    fn select_public(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError>;

    /// Executes a query of the public SPARQL endpoint (its dataset, limits and cancellation
    /// already set), keeping the evaluation error so that a cancellation can be told apart.
    fn execute(&self, query: PublicQuery) -> Result<QueryResults<'static>, QueryEvaluationError>;

    /// The quads matching a pattern in any record graph (not the public default graph, not the
    /// internal graphs).
    fn quads_matching(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Result<Vec<Quad>, StoreError>;

    // ---- operations -----------------------------------------------------------------

    /// Writes buffered data to disk (a clean shutdown).
    fn flush(&self) -> Result<(), StoreError>;

    /// Writes a consistent snapshot of the store into the empty directory `dir`, while it
    /// keeps serving.
    fn backup(&self, dir: &Path) -> Result<(), StoreError>;
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
