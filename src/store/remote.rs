//! The remote record store: the [`RecordStore`] contract over the SPARQL 1.1 Protocol, on an
//! engine the operator already runs (Oxigraph server, Apache Jena Fuseki, Virtuoso, GraphDB).
//!
//! Owns: talking to the engine (SPARQL 1.1 Query for reads, one SPARQL 1.1 Update request per
//! batch, a large one staged first; basic authentication, time limits, no redirect to another host, no proxy from the
//! environment), the store's write lock, and keeping the contract with the data laid out
//! exactly as [`super::EmbeddedStore`] lays it out (a dump of either is a dump of the other).
//! The SPARQL text is [`super::queries::remote`]'s.
//! Does not: decide what is written (callers hand it whole records), or start the engine.
//!
//! How the contract is met:
//! - **All or nothing.** A batch is one update request (a large one too, after staging: below).
//!   SPARQL 1.1 Update asks engines to apply a request atomically; Oxigraph server (one RocksDB
//!   write batch per request), Fuseki with TDB2 (one write transaction per request) and
//!   Virtuoso (one autocommitted transaction per request over HTTP) do. Every operation of the request after the first is guarded by the
//!   change-log node the first one writes, so when the first one matches nothing, nothing is
//!   written.
//! - **Compare-and-set.** The first operation moves the generation from N to N+1 only `WHERE`
//!   the generation is N, the writer's lock claim is there and every expectation holds; then
//!   [`RecordStore::find_commit`] tells whether it applied (an update whose `WHERE` matches
//!   nothing succeeds silently). Not applied: the writer reads again and either reports the
//!   conflict, naming the record, or tries again (bounded, with jitter).
//! - **The write lock.** A conditional update is a compare-and-set only on an engine that runs
//!   one update at a time. Oxigraph server on RocksDB does not: each update reads a snapshot
//!   and writes blindly, so two conditional updates started together on generation N both
//!   apply (measured: 124 of 200 racing pairs; `tests/it/store_contract.rs`). So writers take
//!   a lock first, kept in the store itself: a writer inserts a claim (a node in the metadata
//!   graph, timed by the engine's clock), then reads every claim; it goes on only if no other
//!   live claim is there, else it removes its own and waits. Of two writers, the later one to
//!   insert always sees the earlier one's claim, so at most one goes on; a claim older than
//!   `[store] lock_lease_ms` (a writer that died) is ignored and removed. The claim is spent by
//!   the batch's own update. Within one process a mutex serialises writers first.
//!   The lease is the one timing assumption: an update request still evaluating on the engine
//!   a whole lease after it was sent (the client gives up after `[store] timeout_ms`, at most
//!   half the lease) could race the next writer.
//! - **A large batch is staged.** One update per batch does not scale: Oxigraph server
//!   (0.5.13) evaluates the compare-and-set's pattern recursively, one level per record, and
//!   its stack overflowed at 20,000 records (the process died; 2,000 took 10 s), while flat
//!   quads (`INSERT` of 100,000 triples in 20,000 graphs, 6 MB) pass. So a batch of more than
//!   [`MAX_DIRECT_WRITES`] writes, or whose update would exceed `[store] max_update_bytes`, is
//!   first staged, before the lock is taken: registered in the metadata graph
//!   (`urn:vardkatalog:staging:{commit}`, timed by the engine), then sent in parts of at most
//!   that size, each a flat `INSERT` of the records' graphs into staging graphs
//!   (`…:{commit}:{n}`), their metadata without revisions (`…:{commit}:meta`) and a manifest
//!   (what each write expects, how its revision is worked out, which records change), written
//!   only while the registration is there. Then, under the lock, ONE update of constant size
//!   does what the one update of a small batch does, every step a single operation over the
//!   manifest: the same compare-and-set (generation, claim, every staged part there, every
//!   expectation read from the manifest), the old metadata, graphs and public triples out, the
//!   staged graphs and metadata in (revisions from the ones found), the public default graph,
//!   and the staging dropped. Until that update applies nothing outside the staging graphs has
//!   changed: a refused batch (a conflict) drops them; a writer that dies leaves them to the
//!   next writer, which drops staged batches not written for a lease. Staging graphs are no
//!   record graphs (no state in the metadata graph), so the public endpoint's rewrite keeps
//!   them out, and the store's own reads (`quads_matching`, `len`, `dump`) leave them out.
//! - **The public default graph** is kept in step inside the same update: the old triples of
//!   the batch's public records leave it unless a public record outside the batch asserts them
//!   (`FILTER NOT EXISTS` over the other graphs with their state in the metadata graph), and
//!   the graphs of the records public afterwards are copied into it on the engine.
//! - **Durability** is the engine's: a commit returns once the engine answered the update.
//! - **Public queries** ([`RecordStore::execute`]) are sent as the client wrote them (without
//!   the endpoint's stop points), every `GRAPH` pattern restricted to public record graphs by
//!   [`super::queries::remote::public_query`]; `SERVICE` and engine-specific functions are
//!   refused. The time limit is the request's; answers are read row by row, so the cap and a
//!   cancellation stop reading and close the connection.
//!
//! Every call blocks its thread on the network: call it where blocking is allowed (as every
//! store call is: web handlers use `web::block`).

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolution, QuerySolutionIter, QueryTripleIter, Variable};

use super::queries::{self, remote as q};
use super::{
    Batch, CHANGE_LOG_KEEP, Change, CommitId, Committed, Expect, Filter, PublicDataset, PublicQuery, Record, RecordMeta, RecordState,
    RecordStore, StoreError, Write,
};
use crate::model::record::RecordKind;
use crate::model::vocab::{dct, internal, vk};

/// A record's graph name with its metadata rows (predicate, object), as a listing query answers them.
type MetaRows<'a> = (&'a NamedNode, Vec<(&'a NamedNode, &'a Term)>);
/// One commit of the change log: its id, its time and the records it touched.
type LogEntry = (Option<CommitId>, Option<DateTime<Utc>>, Vec<NamedNode>);

/// A secret setting (a password): never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

/// Where the engine is and how to talk to it (`[store]`; checked by `config`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteSettings {
    /// The SPARQL 1.1 Query endpoint.
    pub query_url: String,
    /// The SPARQL 1.1 Update endpoint.
    pub update_url: String,
    /// The Graph Store Protocol endpoint (optional; not needed by this store, see BENCHMARKS.md).
    pub graph_store_url: Option<String>,
    /// HTTP basic authentication.
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// The time limit of one request.
    pub timeout: Duration,
    /// How long a writer's claim on the write lock holds without being spent (a writer that
    /// died is waited for this long); at least twice `timeout`.
    pub lock_lease: Duration,
    /// The largest update request sent: a batch whose update would be larger (or that writes
    /// more than [`MAX_DIRECT_WRITES`] records) is staged in parts of at most this size (a single
    /// record larger than it goes alone) and moved into place by one small update.
    pub max_update_bytes: usize,
}

impl RemoteSettings {
    /// Settings for an engine at `query_url`/`update_url` with the default limits.
    pub fn new(query_url: impl Into<String>, update_url: impl Into<String>) -> Self {
        Self {
            query_url: query_url.into(),
            update_url: update_url.into(),
            graph_store_url: None,
            user: None,
            password: None,
            timeout: Duration::from_secs(30),
            lock_lease: Duration::from_secs(60),
            max_update_bytes: DEFAULT_MAX_UPDATE_BYTES,
        }
    }
}

/// The default of [`RemoteSettings::max_update_bytes`]: 4 MB (a batch of 1,000 records of 20
/// triples is about 3.5 MB as one update).
pub const DEFAULT_MAX_UPDATE_BYTES: usize = 4_000_000;
/// The most writes a batch sends as one update of its own. Its compare-and-set names every
/// record in its `WHERE`, and Oxigraph server (0.5.13) evaluates such a pattern recursively:
/// 20,000 expectations overflowed its stack (2,000 took 10 s, 1,000 records pass). A larger
/// batch is staged, and its compare-and-set reads the expectations from the staged manifest.
pub const MAX_DIRECT_WRITES: usize = 1_000;

/// How often a batch whose compare-and-set did not apply (the lock was lost) is tried again.
const MAX_ATTEMPTS: u32 = 5;
/// The longest pause between two looks at a held lock.
const MAX_PAUSE: Duration = Duration::from_millis(200);
/// Most bytes of an engine's error answer quoted in an error.
const ERROR_EXCERPT: usize = 400;

const SPARQL_JSON: &str = "application/sparql-results+json";
const N_TRIPLES: &str = "application/n-triples";

/// The remote store.
pub struct RemoteStore {
    http: Http,
    settings: RemoteSettings,
    /// This process's writers, one at a time (the store's lock orders processes).
    local_writer: Mutex<()>,
}

impl RemoteStore {
    /// Connects to the engine: it must answer, and its default graph must not be the union of
    /// every graph (the public catalogue would then hold the internal graphs).
    pub fn connect(settings: RemoteSettings) -> Result<Self, StoreError> {
        let open_error = |message: String| StoreError::Open { path: settings.query_url.clone(), message };
        let http = Http::new(&settings).map_err(open_error)?;
        let store = Self { http, settings: settings.clone(), local_writer: Mutex::new(()) };
        let generation = store.generation().map_err(|e| open_error(e.to_string()))?;
        if generation > 0 && store.ask(&q::default_graph_is_union()).map_err(|e| open_error(e.to_string()))? {
            return Err(open_error(
                "the engine's default graph is the union of every graph (Oxigraph's --union-default-graph, Fuseki's \
                 unionDefaultGraph): the catalogue needs the default graph as it is stored"
                    .into(),
            ));
        }
        Ok(store)
    }

    pub fn settings(&self) -> &RemoteSettings {
        &self.settings
    }

    fn solutions(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError> {
        let response = self.http.query(query, SPARQL_JSON, None, None).map_err(StoreError::from)?;
        match QueryResultsParser::from_format(QueryResultsFormat::Json).for_reader(response) {
            Ok(ReaderQueryResultsParserOutput::Solutions(solutions)) => {
                solutions.collect::<Result<Vec<_>, _>>().map_err(|e| StoreError::Unavailable(format!("reading the store's answer: {e}")))
            }
            Ok(ReaderQueryResultsParserOutput::Boolean(_)) => Err(StoreError::Query("expected a SELECT query".into())),
            Err(e) => Err(StoreError::Unavailable(format!("reading the store's answer: {e}"))),
        }
    }

    fn ask(&self, query: &str) -> Result<bool, StoreError> {
        let response = self.http.query(query, SPARQL_JSON, None, None).map_err(StoreError::from)?;
        match QueryResultsParser::from_format(QueryResultsFormat::Json).for_reader(response) {
            Ok(ReaderQueryResultsParserOutput::Boolean(b)) => Ok(b),
            Ok(ReaderQueryResultsParserOutput::Solutions(_)) => Err(StoreError::Query("expected an ASK query".into())),
            Err(e) => Err(StoreError::Unavailable(format!("reading the store's answer: {e}"))),
        }
    }

    fn update(&self, update: &str) -> Result<(), StoreError> {
        self.http.update(update).map_err(StoreError::from)
    }

    /// Writes every quad, at one moment, as N-Quads (a dump the embedded store can load).
    pub fn dump(&self, out: &mut impl std::io::Write) -> Result<u64, StoreError> {
        let mut n = 0;
        for s in self.solutions(&q::dump())? {
            let (Some(subject), Some(Term::NamedNode(p)), Some(o)) = (s.get("s").and_then(subject_of), s.get("p"), s.get("o")) else {
                continue;
            };
            let graph = match s.get("g") {
                Some(Term::NamedNode(g)) => GraphName::NamedNode(g.clone()),
                _ => GraphName::DefaultGraph,
            };
            writeln!(out, "{} .", Quad::new(subject, p.clone(), o.clone(), graph)).map_err(|e| StoreError::Storage(e.to_string()))?;
            n += 1;
        }
        Ok(n)
    }

    /// What a writer reads while it holds (or tries for) the lock.
    fn writer_state(&self, iris: &[NamedNode]) -> Result<WriterState, StoreError> {
        let mut state = WriterState::default();
        let mut now = None;
        for s in self.solutions(&q::writer_state(iris))? {
            let what = super::as_text(s.get("what")).unwrap_or_default();
            match (what.as_str(), s.get("x"), s.get("a"), s.get("b")) {
                ("now", _, Some(Term::Literal(t)), _) => now = parse_time(t.value()),
                ("gen", _, Some(Term::Literal(n)), _) => state.generation = n.value().parse().unwrap_or(0),
                ("claim", Some(Term::NamedNode(c)), Some(Term::Literal(t)), _) => {
                    if let Some(t) = parse_time(t.value()) {
                        state.claims.push((c.clone(), t));
                    }
                }
                ("staged", Some(Term::NamedNode(c)), Some(Term::Literal(t)), _) => {
                    if let Some(t) = parse_time(t.value()) {
                        state.staged.push((c.clone(), t));
                    }
                }
                ("meta", Some(Term::NamedNode(x)), Some(a), Some(Term::NamedNode(b))) => {
                    let found = state.records.entry(x.clone()).or_default();
                    if *b == vk::REVISION {
                        if let Term::Literal(l) = a {
                            found.rev = l.value().parse().ok();
                        }
                    } else if *b == vk::STATE
                        && let Term::NamedNode(n) = a
                    {
                        found.public = RecordState::from_iri(n.as_ref()).is_some_and(RecordState::is_public);
                    }
                }
                _ => {}
            }
        }
        state.now = now.ok_or_else(|| StoreError::Unavailable("the store did not tell its time (NOW())".into()))?;
        Ok(state)
    }

    /// [`Self::writer_state`] in queries of at most about `max_update_bytes` (a large batch
    /// names many records). The records read after the first query are read under the lock
    /// too; if the lock was lost meanwhile, the generation check of the commit fails.
    fn writer_state_bounded(&self, iris: &[NamedNode]) -> Result<WriterState, StoreError> {
        let max = self.settings.max_update_bytes.max(1);
        let mut chunks: Vec<&[NamedNode]> = Vec::new();
        let (mut from, mut bytes) = (0, 0);
        for (i, iri) in iris.iter().enumerate() {
            if i > from && bytes + iri.as_str().len() + 3 > max {
                chunks.push(&iris[from..i]);
                (from, bytes) = (i, 0);
            }
            bytes += iri.as_str().len() + 3;
        }
        chunks.push(&iris[from..]);
        let mut state = self.writer_state(chunks[0])?;
        for chunk in &chunks[1..] {
            state.records.extend(self.writer_state(chunk)?.records);
        }
        Ok(state)
    }

    /// Takes the store's write lock for this writer: returns its claim and what it read once
    /// the claim was alone (see the module documentation).
    fn acquire(&self, iris: &[NamedNode], deadline: Instant) -> Result<(NamedNode, WriterState), StoreError> {
        let lease = chrono::Duration::from_std(self.settings.lock_lease).unwrap_or(chrono::Duration::MAX);
        let mut stale: Vec<NamedNode> = Vec::new();
        let mut pause = Duration::from_millis(5);
        let started = Instant::now();
        loop {
            let claim = NamedNode::new_unchecked(format!("{}{}", internal::CLAIM_PREFIX, CommitId::new()));
            self.update(&q::claim(&claim, &stale))?;
            let state = self.writer_state_bounded(iris)?;
            let live = |state: &WriterState, c: &NamedNode, t: &DateTime<Utc>| *c != claim && state.now - *t < lease;
            let mine = state.claims.iter().any(|(c, _)| *c == claim);
            if mine && !state.claims.iter().any(|(c, t)| live(&state, c, t)) {
                return Ok((claim, state));
            }
            // another writer: step back and wait until its claim is spent or stale
            self.update(&q::release(&claim))?;
            loop {
                if Instant::now() >= deadline {
                    return Err(StoreError::Unavailable(format!(
                        "another writer held the store's write lock for more than {} s",
                        started.elapsed().as_secs()
                    )));
                }
                std::thread::sleep(jittered(pause));
                pause = (pause * 2).min(MAX_PAUSE);
                let state = self.writer_state(&[])?;
                stale = state.claims.iter().filter(|(_, t)| state.now - *t >= lease).map(|(c, _)| c.clone()).collect();
                if !state.claims.iter().any(|(_, t)| state.now - *t < lease) {
                    break;
                }
            }
        }
    }

    /// Stages a large batch (see the module documentation): registers it, then sends its
    /// writes in parts of at most `max_update_bytes`, each a flat `INSERT` into staging graphs.
    /// Needs no lock: nothing outside the batch's own staging graphs changes. On an error the
    /// staging is dropped (or, if that fails too, left for the next writer to drop after a
    /// lease).
    fn stage(&self, batch: &Batch) -> Result<Staged, StoreError> {
        let node = q::staging_node(&batch.id);
        let result = self.stage_parts(&node, batch);
        if result.is_err() {
            self.drop_staging_quietly(&node);
        }
        result.map(|parts| Staged { node, parts })
    }

    fn stage_parts(&self, node: &NamedNode, batch: &Batch) -> Result<usize, StoreError> {
        // a staging left by an earlier try of the same batch goes first
        self.update(&format!("{} ;\n{}", q::drop_staging(node), q::stage_begin(node)))?;
        // per record: its number, its last write, how many puts count towards its revision
        // and whether they count from 0 (a delete before them)
        let mut numbers: HashMap<&NamedNode, usize> = HashMap::new();
        let mut last: HashMap<&NamedNode, usize> = HashMap::new();
        let mut steps: HashMap<&NamedNode, (u64, bool)> = HashMap::new();
        for (i, w) in batch.writes.iter().enumerate() {
            let n = numbers.len();
            numbers.entry(w.iri()).or_insert(n);
            last.insert(w.iri(), i);
            let step = steps.entry(w.iri()).or_insert((0, false));
            match w {
                Write::Put { .. } => step.0 += 1,
                Write::Delete { .. } => *step = (0, true),
            }
        }
        let max = self.settings.max_update_bytes;
        let mut seen: std::collections::HashSet<&NamedNode> = std::collections::HashSet::new();
        let mut part = String::new();
        let mut parts = 0;
        for (i, w) in batch.writes.iter().enumerate() {
            let iri = w.iri();
            let put = match w {
                Write::Put { record, .. } if last[iri] == i => {
                    let (step, from_zero) = steps[iri];
                    Some((record, step, from_zero))
                }
                _ => None,
            };
            let text = q::staged_write(node, &q::StagedWrite { iri, expect: w.expect(), put, n: numbers[iri], first: seen.insert(iri) });
            if !part.is_empty() && part.len() + text.len() > max {
                self.update(&q::stage_part(node, parts, &part))?;
                parts += 1;
                part.clear();
            }
            part.push_str(&text);
        }
        if !part.is_empty() || parts == 0 {
            self.update(&q::stage_part(node, parts, &part))?;
            parts += 1;
        }
        // every part was written while the batch was registered
        let found = count_of(&self.solutions(&q::staged_parts(node))?);
        if found != parts as u64 {
            return Err(StoreError::Unavailable(format!(
                "the staged batch was dropped while it was written ({found} of {parts} parts there): its writer took longer than \
                 the lock lease between two parts"
            )));
        }
        Ok(parts)
    }

    fn drop_staging_quietly(&self, node: &NamedNode) {
        if let Err(e) = self.update(&q::drop_staging(node)) {
            tracing::warn!(error = %e, staging = node.as_str(), "could not drop a staged batch; the next writer drops it after a lease");
        }
    }

    /// Drops the staged batches of writers that died (not written for a lease), while this
    /// writer holds the lock; they were never visible.
    fn sweep(&self, state: &WriterState, own: Option<&NamedNode>) {
        let lease = chrono::Duration::from_std(self.settings.lock_lease).unwrap_or(chrono::Duration::MAX);
        for (node, t) in &state.staged {
            if Some(node) != own && state.now - *t >= lease {
                tracing::info!(staging = node.as_str(), "dropping a staged batch its writer left");
                self.drop_staging_quietly(node);
            }
        }
    }

    fn release_quietly(&self, claim: &NamedNode) {
        if let Err(e) = self.update(&q::release(claim)) {
            tracing::warn!(error = %e, "could not release the store's write lock; it lapses after its lease");
        }
    }
}

/// What a writer read at one moment.
#[derive(Default)]
struct WriterState {
    generation: u64,
    now: DateTime<Utc>,
    claims: Vec<(NamedNode, DateTime<Utc>)>,
    /// Staged batches, with when their writer last wrote them.
    staged: Vec<(NamedNode, DateTime<Utc>)>,
    records: HashMap<NamedNode, Found>,
}

#[derive(Default)]
struct Found {
    /// `None`: a record written before store revisions existed (revision 0).
    rev: Option<u64>,
    public: bool,
}

impl WriterState {
    /// A record's store revision (`None`: no such record).
    fn rev(&self, iri: &NamedNode) -> Option<u64> {
        self.records.get(iri).map(|f| f.rev.unwrap_or(0))
    }
}

/// A batch staged on the engine: its manifest, and in how many parts it was sent.
struct Staged {
    node: NamedNode,
    parts: usize,
}

/// A batch worked out against what the writer read.
struct Plan<'b> {
    generation: u64,
    expectations: Vec<(NamedNode, Expect)>,
    changed: Vec<NamedNode>,
    existing: Vec<NamedNode>,
    old_public: Vec<NamedNode>,
    puts: Vec<(&'b Record, u64)>,
    now_public: Vec<NamedNode>,
    revs: Vec<(NamedNode, u64)>,
    prune: Option<(u64, u64)>,
}

/// Checks every expectation against `state` (a conflict names the record), and works out the
/// writes in batch order: the store revisions, which records exist, which are public before
/// and after.
fn plan<'b>(batch: &'b Batch, state: &WriterState) -> Result<Plan<'b>, StoreError> {
    for w in &batch.writes {
        let found = state.rev(w.iri());
        if !w.expect().admits(found) {
            return Err(StoreError::Conflict { iri: w.iri().as_str().to_owned(), expected: w.expect(), found });
        }
    }
    let mut order: Vec<NamedNode> = Vec::new();
    let mut current: HashMap<NamedNode, Option<u64>> = HashMap::new();
    let mut last: HashMap<NamedNode, Option<(&'b Record, u64)>> = HashMap::new();
    let mut revs = Vec::with_capacity(batch.writes.len());
    for w in &batch.writes {
        let iri = w.iri().clone();
        if !current.contains_key(&iri) {
            order.push(iri.clone());
            current.insert(iri.clone(), state.rev(&iri));
        }
        match w {
            Write::Put { record, .. } => {
                let rev = current[&iri].unwrap_or(0) + 1;
                current.insert(iri.clone(), Some(rev));
                last.insert(iri.clone(), Some((record, rev)));
                revs.push((iri, rev));
            }
            Write::Delete { .. } => {
                current.insert(iri.clone(), None);
                last.insert(iri.clone(), None);
                revs.push((iri, 0));
            }
        }
    }
    let existing: Vec<NamedNode> = order.iter().filter(|i| state.rev(i).is_some()).cloned().collect();
    let old_public = existing.iter().filter(|i| state.records.get(*i).is_some_and(|f| f.public)).cloned().collect();
    let puts: Vec<(&Record, u64)> = order.iter().filter_map(|i| last.get(i).copied().flatten()).collect();
    let now_public = puts.iter().filter(|(r, _)| r.meta.state.is_public()).map(|(r, _)| r.meta.iri.clone()).collect();
    let next = state.generation + 1;
    let prune = (next.is_multiple_of(64) && next > CHANGE_LOG_KEEP).then(|| {
        let upto = next - CHANGE_LOG_KEEP;
        (upto.saturating_sub(64) + 1, upto)
    });
    Ok(Plan {
        generation: state.generation,
        expectations: batch.writes.iter().map(|w| (w.iri().clone(), w.expect())).collect(),
        changed: batch.iris(),
        existing,
        old_public,
        puts,
        now_public,
        revs,
        prune,
    })
}

/// A pause with up to ±50 % jitter, so that writers who met do not meet again.
fn jittered(pause: Duration) -> Duration {
    let mut b = [0u8; 2];
    let _ = getrandom::fill(&mut b);
    let r = f64::from(u16::from_le_bytes(b)) / f64::from(u16::MAX);
    pause.mul_f64(0.5 + r)
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc()))
}

fn subject_of(term: &Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

/// Reads a record's metadata from its (predicate, object) pairs, as the embedded store does.
fn read_meta<'a>(iri: &NamedNode, pairs: impl IntoIterator<Item = (&'a NamedNode, &'a Term)>) -> Result<Option<RecordMeta>, StoreError> {
    let mut kind = None;
    let mut state = None;
    let mut version = None;
    let mut rev = None;
    let mut source = None;
    let mut hash = None;
    let mut modified = None;
    let mut found = false;
    for (p, o) in pairs {
        found = true;
        let p = p.as_ref();
        match o {
            Term::Literal(l) if p == vk::KIND => kind = RecordKind::parse(l.value()),
            Term::NamedNode(n) if p == vk::STATE => state = RecordState::from_iri(n.as_ref()),
            Term::Literal(l) if p == vk::RECORD_VERSION => version = l.value().parse::<u64>().ok(),
            Term::Literal(l) if p == vk::REVISION => rev = l.value().parse::<u64>().ok(),
            Term::NamedNode(n) if p == vk::SOURCE => source = Some(n.clone()),
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
        iri: iri.clone(),
        kind: kind.ok_or_else(|| bad("no kind"))?,
        state: state.ok_or_else(|| bad("no state"))?,
        version: version.unwrap_or(1),
        rev: rev.unwrap_or(0),
        source: source.ok_or_else(|| bad("no source"))?,
        content_hash: hash.unwrap_or_default(),
        modified: modified.ok_or_else(|| bad("no modification time"))?,
    }))
}

fn triple_of(s: &QuerySolution) -> Option<Triple> {
    match (s.get("s").and_then(subject_of), s.get("p"), s.get("o")) {
        (Some(subject), Some(Term::NamedNode(p)), Some(o)) => Some(Triple::new(subject, p.clone(), o.clone())),
        _ => None,
    }
}

fn count_of(solutions: &[QuerySolution]) -> u64 {
    solutions
        .first()
        .and_then(|s| match s.get("n") {
            Some(Term::Literal(l)) => l.value().parse().ok(),
            _ => None,
        })
        .unwrap_or(0)
}

impl RecordStore for RemoteStore {
    fn kind(&self) -> &'static str {
        "remote"
    }

    fn meta(&self, iri: NamedNodeRef<'_>) -> Result<Option<RecordMeta>, StoreError> {
        let iri = iri.into_owned();
        let solutions = self.solutions(&q::meta(&iri))?;
        let pairs = solutions.iter().filter_map(|s| match (s.get("mp"), s.get("mo")) {
            (Some(Term::NamedNode(p)), Some(o)) => Some((p, o)),
            _ => None,
        });
        read_meta(&iri, pairs)
    }

    fn graph(&self, iri: NamedNodeRef<'_>) -> Result<Graph, StoreError> {
        let mut graph = Graph::new();
        for s in self.solutions(&q::graph(&iri.into_owned()))? {
            if let Some(t) = triple_of(&s) {
                graph.insert(&t);
            }
        }
        Ok(graph)
    }

    fn get(&self, iri: NamedNodeRef<'_>) -> Result<Option<Record>, StoreError> {
        let iri = iri.into_owned();
        let solutions = self.solutions(&q::record(&iri))?;
        let pairs = solutions.iter().filter_map(|s| match (s.get("mp"), s.get("mo")) {
            (Some(Term::NamedNode(p)), Some(o)) => Some((p, o)),
            _ => None,
        });
        let Some(meta) = read_meta(&iri, pairs)? else { return Ok(None) };
        let mut graph = Graph::new();
        for t in solutions.iter().filter_map(triple_of) {
            graph.insert(&t);
        }
        Ok(Some(Record { meta, graph }))
    }

    fn list(&self, filter: &Filter, offset: u64, limit: u64) -> Result<Vec<RecordMeta>, StoreError> {
        let solutions = self.solutions(&q::list_with_meta(filter, offset, limit))?;
        let mut by_record: BTreeMap<&str, MetaRows<'_>> = BTreeMap::new();
        for s in &solutions {
            if let (Some(Term::NamedNode(g)), Some(Term::NamedNode(p)), Some(o)) = (s.get("g"), s.get("mp"), s.get("mo")) {
                by_record.entry(g.as_str()).or_insert_with(|| (g, Vec::new())).1.push((p, o));
            }
        }
        let mut out = Vec::with_capacity(by_record.len());
        for (iri, pairs) in by_record.into_values() {
            if let Some(meta) = read_meta(iri, pairs)? {
                out.push(meta);
            }
        }
        Ok(out)
    }

    fn count(&self, filter: &Filter) -> Result<u64, StoreError> {
        Ok(count_of(&self.solutions(&queries::count_records(filter))?))
    }

    fn iris_of_kind(&self, kind: RecordKind) -> Result<Vec<NamedNode>, StoreError> {
        Ok(self.solutions(&q::iris_of_kind(kind.as_str()))?.into_iter().filter_map(|s| super::as_named(s.get("g"))).collect())
    }

    fn has_no_records(&self) -> Result<bool, StoreError> {
        Ok(!self.ask(&q::has_records())?)
    }

    fn len(&self) -> Result<usize, StoreError> {
        Ok(usize::try_from(count_of(&self.solutions(&q::count_quads())?)).unwrap_or(usize::MAX))
    }

    fn generation(&self) -> Result<u64, StoreError> {
        Ok(self.solutions(&q::generation())?.first().and_then(|s| super::as_text(s.get("n"))).and_then(|n| n.parse().ok()).unwrap_or(0))
    }

    fn commit(&self, batch: &Batch) -> Result<Committed, StoreError> {
        let _local = self.local_writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut iris = batch.iris();
        iris.sort();
        iris.dedup();
        // a large batch is staged first, without the lock (see the module documentation)
        let mut staged = if batch.len() > MAX_DIRECT_WRITES { Some(self.stage(batch)?) } else { None };
        if staged.is_some() {
            crate::fault::point(crate::fault::AFTER_REMOTE_STAGING);
        }
        let deadline = Instant::now() + self.settings.lock_lease + self.settings.timeout;
        let give_up = |staged: &Option<Staged>, e: StoreError| {
            if let Some(s) = staged {
                self.drop_staging_quietly(&s.node);
            }
            Err(e)
        };
        for attempt in 1..=MAX_ATTEMPTS {
            let started = Instant::now();
            let (claim, state) = match self.acquire(&iris, deadline) {
                Ok(locked) => locked,
                Err(e) => return give_up(&staged, e),
            };
            let locked = started.elapsed();
            self.sweep(&state, staged.as_ref().map(|s| &s.node));
            let plan = match plan(batch, &state) {
                Ok(plan) => plan,
                Err(e) => {
                    self.release_quietly(&claim);
                    return give_up(&staged, e);
                }
            };
            let time = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
            let text = match &staged {
                Some(s) => {
                    if !state.staged.iter().any(|(n, _)| *n == s.node) {
                        // dropped as a dead writer's while this one waited for the lock
                        self.release_quietly(&claim);
                        return Err(StoreError::Unavailable(
                            "the staged batch was dropped while its writer waited for the store's write lock longer than the lease".into(),
                        ));
                    }
                    q::commit_staged(&q::StagedCommitText {
                        generation: plan.generation,
                        commit: &batch.id,
                        claim: &claim,
                        time: &time,
                        staging: &s.node,
                        parts: s.parts,
                        prune: plan.prune,
                    })
                }
                None => q::commit(&q::CommitText {
                    generation: plan.generation,
                    commit: &batch.id,
                    claim: &claim,
                    time: &time,
                    expectations: &plan.expectations,
                    changed: &plan.changed,
                    existing: &plan.existing,
                    old_public: &plan.old_public,
                    puts: &plan.puts,
                    now_public: &plan.now_public,
                    prune: plan.prune,
                }),
            };
            if staged.is_none() && text.len() > self.settings.max_update_bytes {
                // too large for one request: stage it, then take the lock again
                self.release_quietly(&claim);
                staged = Some(self.stage(batch)?);
                crate::fault::point(crate::fault::AFTER_REMOTE_STAGING);
                continue;
            }
            if let Err(e) = self.update(&text) {
                if matches!(e, StoreError::Query(_)) {
                    // the engine refused the request (4xx): nothing of it was applied
                    self.release_quietly(&claim);
                    return give_up(&staged, e);
                }
                // no answer: the engine may have applied it. The claim is left to lapse, so
                // that no other writer races a request still being evaluated (and a staged
                // batch that did not move is dropped by a later writer after a lease).
                return match self.find_commit(&batch.id) {
                    Ok(Some(generation)) => Ok(Committed { generation, revs: plan.revs }),
                    _ => Err(e),
                };
            }
            match self.find_commit(&batch.id)? {
                Some(generation) => {
                    tracing::debug!(
                        generation,
                        writes = batch.len(),
                        bytes = text.len(),
                        parts = staged.as_ref().map_or(0, |s| s.parts),
                        lock_ms = locked.as_millis() as u64,
                        total_ms = started.elapsed().as_millis() as u64,
                        "committed a batch to the remote store"
                    );
                    return Ok(Committed { generation, revs: plan.revs });
                }
                None => {
                    // the generation or a record moved although this writer held the lock
                    // (its lease ran out): read again and decide again
                    self.release_quietly(&claim);
                    tracing::warn!(attempt, "the store changed under this writer's lock; trying the batch again");
                    std::thread::sleep(jittered(Duration::from_millis(10)));
                }
            }
        }
        give_up(
            &staged,
            StoreError::Unavailable(format!("the batch did not commit in {MAX_ATTEMPTS} attempts: other writers kept changing the store")),
        )
    }

    fn find_commit(&self, id: &CommitId) -> Result<Option<u64>, StoreError> {
        Ok(self
            .solutions(&q::find_commit(id))?
            .iter()
            .find_map(|s| super::as_named(s.get("c")).and_then(|c| q::generation_of_commit_node(c.as_str()))))
    }

    fn changes_since(&self, generation: u64) -> Result<Option<Vec<Change>>, StoreError> {
        let current = self.generation()?;
        if current <= generation {
            return Ok(Some(Vec::new()));
        }
        // entries up to the last pruning's bound are gone for certain (see `plan`)
        let pruned_at = current / 64 * 64;
        if pruned_at > CHANGE_LOG_KEEP && generation < pruned_at - CHANGE_LOG_KEEP {
            return Ok(None);
        }
        let mut entries: HashMap<u64, LogEntry> = HashMap::new();
        for s in self.solutions(&q::change_log(generation + 1..=current))? {
            let Some(g) = super::as_named(s.get("c")).and_then(|c| q::generation_of_commit_node(c.as_str())) else { continue };
            let entry = entries.entry(g).or_default();
            if let Some(id) = super::as_text(s.get("id")) {
                entry.0 = Some(CommitId::from_string(id));
            }
            if let Some(t) = super::as_text(s.get("t")) {
                entry.1 = parse_time(&t);
            }
            if let Some(x) = super::as_named(s.get("x"))
                && !entry.2.contains(&x)
            {
                entry.2.push(x);
            }
        }
        let mut out = Vec::new();
        for g in generation + 1..=current {
            let Some((Some(commit), Some(time), mut iris)) = entries.remove(&g) else { return Ok(None) };
            iris.sort();
            out.push(Change { generation: g, commit, time, iris });
        }
        Ok(Some(out))
    }

    fn select(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError> {
        self.solutions(query)
    }

    fn select_public(&self, query: &str) -> Result<Vec<QuerySolution>, StoreError> {
        // internal queries over the default graph, which is the public catalogue
        self.solutions(query)
    }

    fn execute(&self, query: PublicQuery) -> Result<QueryResults<'static>, QueryEvaluationError> {
        let PublicQuery { query, dataset, cancellation, timeout, .. } = query;
        let refused = |r: q::Refusal| match r {
            q::Refusal::Service => QueryEvaluationError::Service("SERVICE".into()),
            q::Refusal::Function(f) => QueryEvaluationError::UnsupportedCustomFunction(f),
            q::Refusal::ReservedVariable => {
                QueryEvaluationError::Unexpected("the variable ?vardkatalog_public_state is reserved on this endpoint".into())
            }
        };
        let graph_form = matches!(query, spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. });
        let query = match &dataset {
            // the dataset the client named goes as the protocol's parameters: every graph in it
            // is public, and the engine sees nothing else
            Some(_) => q::check_public_query(without_dataset(query)).map_err(refused)?,
            None => q::public_query(query).map_err(refused)?,
        };
        let cancelled = cancellation.clone();
        let failed = move |e: HttpError| {
            if cancelled.is_cancelled() || e.timed_out() {
                QueryEvaluationError::Cancelled
            } else {
                QueryEvaluationError::Dataset(Box::new(StoreError::from(e)))
            }
        };
        let accept = if graph_form { N_TRIPLES } else { SPARQL_JSON };
        let response = self.http.query(&query.to_string(), accept, dataset.as_ref(), Some(timeout)).map_err(failed)?;
        let read_error = move |e: &dyn std::error::Error, token: &oxigraph::sparql::CancellationToken| {
            let text = e.to_string();
            if token.is_cancelled() || text.contains("timed out") || text.contains("operation timed out") {
                QueryEvaluationError::Cancelled
            } else {
                QueryEvaluationError::Unexpected(format!("reading the store's answer: {text}").into())
            }
        };
        if graph_form {
            let mut parser = RdfParser::from_format(RdfFormat::NTriples).for_reader(response);
            let token = cancellation;
            let mut done = false;
            let triples = std::iter::from_fn(move || {
                if done {
                    return None;
                }
                if token.is_cancelled() {
                    done = true;
                    return Some(Err(QueryEvaluationError::Cancelled));
                }
                match parser.next()? {
                    Ok(quad) => Some(Ok(Triple::new(quad.subject, quad.predicate, quad.object))),
                    Err(e) => {
                        done = true;
                        Some(Err(read_error(&e, &token)))
                    }
                }
            });
            return Ok(QueryResults::Graph(QueryTripleIter::new(triples)));
        }
        let output =
            QueryResultsParser::from_format(QueryResultsFormat::Json).for_reader(response).map_err(|e| read_error(&e, &cancellation))?;
        Ok(match output {
            ReaderQueryResultsParserOutput::Boolean(b) => QueryResults::Boolean(b),
            ReaderQueryResultsParserOutput::Solutions(mut parser) => {
                let variables: Arc<[Variable]> = parser.variables().into();
                let token = cancellation;
                let mut done = false;
                let rows = std::iter::from_fn(move || {
                    if done {
                        return None;
                    }
                    if token.is_cancelled() {
                        done = true;
                        return Some(Err(QueryEvaluationError::Cancelled));
                    }
                    match parser.next()? {
                        Ok(row) => Some(Ok(row)),
                        Err(e) => {
                            done = true;
                            Some(Err(read_error(&e, &token)))
                        }
                    }
                });
                QueryResults::Solutions(QuerySolutionIter::new(variables, rows))
            }
        })
    }

    fn quads_matching(
        &self,
        subject: Option<NamedNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Result<Vec<Quad>, StoreError> {
        let (subject, predicate, object) =
            (subject.map(NamedNodeRef::into_owned), predicate.map(NamedNodeRef::into_owned), object.map(TermRef::into_owned));
        let mut out = Vec::new();
        for s in self.solutions(&q::quads_matching(subject.as_ref(), predicate.as_ref(), object.as_ref()))? {
            let sub = match &subject {
                Some(n) => Some(NamedOrBlankNode::from(n.clone())),
                None => s.get("s").and_then(subject_of),
            };
            let pred = predicate.clone().or_else(|| super::as_named(s.get("p")));
            let obj = object.clone().or_else(|| s.get("o").cloned());
            if let (Some(sub), Some(pred), Some(obj), Some(g)) = (sub, pred, obj, super::as_named(s.get("g"))) {
                out.push(Quad::new(sub, pred, obj, g));
            }
        }
        Ok(out)
    }

    fn flush(&self) -> Result<(), StoreError> {
        // every commit is on the engine once it answered
        Ok(())
    }

    fn backup(&self, dir: &Path) -> Result<(), StoreError> {
        let io = |e: std::io::Error| StoreError::Storage(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        let path = dir.join("store.nq");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
        self.dump(&mut out)?;
        out.flush().map_err(io)?;
        Ok(())
    }
}

/// The query without its `FROM`/`FROM NAMED` (sent as the protocol's parameters instead).
fn without_dataset(query: spargebra::Query) -> spargebra::Query {
    use spargebra::Query;
    match query {
        Query::Select { pattern, base_iri, .. } => Query::Select { dataset: None, pattern, base_iri },
        Query::Construct { template, pattern, base_iri, .. } => Query::Construct { template, dataset: None, pattern, base_iri },
        Query::Describe { pattern, base_iri, .. } => Query::Describe { dataset: None, pattern, base_iri },
        Query::Ask { pattern, base_iri, .. } => Query::Ask { dataset: None, pattern, base_iri },
    }
}

// ---- HTTP ---------------------------------------------------------------------------------

/// Why a request to the engine failed.
#[derive(Debug)]
enum HttpError {
    /// No answer (connection refused, time limit, reset).
    Unreachable { url: String, message: String, timed_out: bool },
    /// An answer other than 2xx.
    Status { url: String, status: u16, body: String },
}

impl HttpError {
    fn timed_out(&self) -> bool {
        matches!(self, Self::Unreachable { timed_out: true, .. })
    }
}

impl From<HttpError> for StoreError {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Unreachable { url, message, .. } => StoreError::Unavailable(format!("{url}: {message}")),
            HttpError::Status { url, status, .. } if (300..400).contains(&status) => {
                StoreError::Unavailable(format!("{url} answered {status}: a redirect to another host is not followed"))
            }
            HttpError::Status { url, status, body } if status >= 500 => StoreError::Unavailable(format!("{url} answered {status}: {body}")),
            HttpError::Status { url, status, body } => StoreError::Query(format!("{url} refused the request ({status}): {body}")),
        }
    }
}

struct Http {
    client: reqwest::blocking::Client,
    query_url: reqwest::Url,
    update_url: reqwest::Url,
    auth: Option<(String, Option<String>)>,
}

/// Scheme, host and port: redirects are followed only within one origin.
fn origin(url: &reqwest::Url) -> (String, Option<String>, Option<u16>) {
    (url.scheme().to_owned(), url.host_str().map(str::to_owned), url.port_or_known_default())
}

impl Http {
    fn new(settings: &RemoteSettings) -> Result<Self, String> {
        let parse = |name: &str, url: &str| reqwest::Url::parse(url).map_err(|e| format!("{name} {url:?}: {e}"));
        let query_url = parse("query_url", &settings.query_url)?;
        let update_url = parse("update_url", &settings.update_url)?;
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first().map(origin);
            if attempt.previous().len() > 5 {
                attempt.error("more than 5 redirects")
            } else if first.is_some_and(|f| f == origin(attempt.url())) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .redirect(policy)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .timeout(settings.timeout)
            .user_agent(concat!("vardkatalog/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        let auth = settings.user.clone().map(|u| (u, settings.password.as_ref().map(|p| p.expose().to_owned())));
        Ok(Self { client, query_url, update_url, auth })
    }

    fn send(&self, url: &reqwest::Url, request: reqwest::blocking::RequestBuilder) -> Result<reqwest::blocking::Response, HttpError> {
        let request = match &self.auth {
            Some((user, password)) => request.basic_auth(user, password.as_deref()),
            None => request,
        };
        let response = request.send().map_err(|e| HttpError::Unreachable {
            url: url.to_string(),
            message: error_chain(&e),
            timed_out: e.is_timeout(),
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let mut body = response.text().unwrap_or_default();
        if body.len() > ERROR_EXCERPT {
            let mut end = ERROR_EXCERPT;
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            body.truncate(end);
            body.push('…');
        }
        Err(HttpError::Status { url: url.to_string(), status: status.as_u16(), body: body.trim().to_owned() })
    }

    /// A query (POST, `application/sparql-query`), with the protocol's dataset parameters.
    fn query(
        &self,
        query: &str,
        accept: &str,
        dataset: Option<&PublicDataset>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::blocking::Response, HttpError> {
        let mut url = self.query_url.clone();
        if let Some(d) = dataset {
            let mut pairs = url.query_pairs_mut();
            for g in &d.default_graphs {
                pairs.append_pair("default-graph-uri", g.as_str());
            }
            for g in &d.named_graphs {
                pairs.append_pair("named-graph-uri", g.as_str());
            }
        }
        let mut request = self
            .client
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/sparql-query; charset=utf-8")
            .header(reqwest::header::ACCEPT, accept)
            .body(query.to_owned());
        if let Some(t) = timeout {
            request = request.timeout(t);
        }
        self.send(&url, request)
    }

    /// An update (POST, `application/sparql-update`).
    fn update(&self, update: &str) -> Result<(), HttpError> {
        let request = self
            .client
            .post(self.update_url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/sparql-update; charset=utf-8")
            .body(update.to_owned());
        self.send(&self.update_url, request).map(drop)
    }
}

/// An error with its causes (reqwest's own message alone is often "error sending request").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_times_are_read_with_or_without_a_zone() {
        assert!(parse_time("2025-03-01T10:00:00.123456Z").is_some());
        assert!(parse_time("2025-03-01T10:00:00+01:00").is_some());
        assert!(parse_time("2025-03-01T10:00:00.5").is_some());
    }

    #[test]
    fn a_password_is_never_printed() {
        let mut s = RemoteSettings::new("http://x/query", "http://x/update");
        s.password = Some(Secret::new("hemligt-lösenord"));
        assert!(!format!("{s:?}").contains("hemligt"));
    }
}
