//! Harvest bookkeeping: the reports of every run ([`RunReport`]), what each source last wrote
//! per record ([`Written`]), what it answered to each request of its last successful run
//! ([`Pages`]), and the sources added on the admin page, behind [`HarvestRepo`].
//! Knows nothing of HTTP or RDF parsing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

/// How a run ended (or that it is still going).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    /// Committed (or, in a dry run, computed) without a fatal error.
    Succeeded,
    /// Stopped by an error; the catalogue is as it was before.
    Failed,
    /// The process ended while the run was going; nothing was committed.
    Interrupted,
}

impl RunStatus {
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Running, "en") => "running",
            (Self::Succeeded, "en") => "succeeded",
            (Self::Failed, "en") => "failed",
            (Self::Interrupted, "en") => "interrupted",
            (Self::Running, _) => "pågår",
            (Self::Succeeded, _) => "klar",
            (Self::Failed, _) => "misslyckades",
            (Self::Interrupted, _) => "avbruten",
        }
    }
}

/// A record the run could not write because it was curated here or belongs to someone else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub iri: String,
    pub reason: String,
}

/// The report of one harvest run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunReport {
    pub id: u64,
    pub source: String,
    pub started: DateTime<Utc>,
    pub finished: Option<DateTime<Utc>>,
    pub dry_run: bool,
    pub status: RunStatus,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub retired: u64,
    pub conflicts: Vec<Conflict>,
    /// Errors: a fatal one ends the run; others name a record that was skipped.
    pub errors: Vec<String>,
    /// What was repaired or skipped while reading (capitalised predicates, duplicates, …).
    pub notes: Vec<String>,
    /// Triples read from the source.
    pub triples: u64,
    /// Requests made.
    pub requests: u64,
    /// Answers the source gave as "304 Not Modified" to a conditional request (the same body
    /// as in the last run, by its stored hash).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_modified: u64,
    /// What the run read, as a digest of the source's answers, this version and the source's
    /// settings (`harvest::run`); two runs with the same fingerprint read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The store generation at which the catalogue held what this run left (its own commit, or
    /// the generation before it compared when it wrote nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<u64>,
    /// The earlier run whose answers this run found unchanged, byte for byte, with nothing of
    /// the source changed in the catalogue since: nothing was compared again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<u64>,
}

impl RunReport {
    pub fn new(id: u64, source: &str, dry_run: bool) -> Self {
        Self {
            id,
            source: source.to_owned(),
            started: Utc::now(),
            finished: None,
            dry_run,
            status: RunStatus::Running,
            new: 0,
            changed: 0,
            unchanged: 0,
            retired: 0,
            conflicts: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
            triples: 0,
            requests: 0,
            not_modified: 0,
            fingerprint: None,
            generation: None,
            same_as: None,
        }
    }

    /// Seconds the run took (so far).
    pub fn seconds(&self) -> f64 {
        let end = self.finished.unwrap_or_else(Utc::now);
        (end - self.started).num_milliseconds() as f64 / 1000.0
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One answer a run was given, in the order the run asked: enough to ask again conditionally
/// and to tell, without parsing, whether the answer is the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSeen {
    /// The location asked for.
    pub url: String,
    /// The `Accept` header sent.
    pub accept: String,
    /// The URL finally answered (after redirects).
    pub answered: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// SHA-256 of the body, hex; `None`: the request failed (and the reader went on without it).
    pub hash: Option<String>,
    /// The validators the answer carried (`ETag`, `Last-Modified`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The call limit in force when it was asked (calls, window in milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<(usize, u64)>,
}

/// Every answer of a source's last successful run (not a dry run), in order: the run, and a
/// digest of what else decides a run's outcome (this version, the source's settings, the
/// catalogue IRI), so that a later run can ask the same questions without parsing the answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pages {
    pub run: u64,
    pub context: String,
    pub pages: Vec<PageSeen>,
}

/// What a source last wrote for one record: the content hash, and the one before it while a
/// commit is under way (so that a run killed between the bookkeeping and the store commit is
/// not mistaken for a local edit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub hash: String,
    #[serde(default)]
    pub previous: Option<String>,
    pub at: DateTime<Utc>,
}

impl Written {
    /// Whether `hash` is what the source wrote (now or just before).
    pub fn wrote(&self, hash: &str) -> bool {
        self.hash == hash || self.previous.as_deref() == Some(hash)
    }
}

/// Where harvest bookkeeping is kept.
pub trait HarvestRepo: Send + Sync {
    /// Stores (creates or replaces) a run report (durable when it returns).
    fn save_run(&self, report: &RunReport) -> Result<(), StateError>;
    /// A fresh run id (unique and increasing).
    fn next_run_id(&self) -> Result<u64, StateError>;
    /// Run reports, newest first, optionally of one source, at most `limit`.
    fn runs(&self, source: Option<&str>, limit: usize) -> Result<Vec<RunReport>, StateError>;
    /// One run report.
    fn run(&self, id: u64) -> Result<Option<RunReport>, StateError>;
    /// Marks runs still shown as running as interrupted ("nothing was committed"): of one
    /// source (`Some`: its lock was free, so none of its runs can be going) or of every source
    /// (at start-up). Returns how many.
    fn mark_interrupted(&self, source: Option<&str>) -> Result<usize, StateError>;
    /// Everything `source` owns: record IRI → what it last wrote.
    fn owned(&self, source: &str) -> Result<Vec<(String, Written)>, StateError>;
    /// Writes bookkeeping entries (`None` removes one) at once (durable when it returns).
    fn write_owned(&self, source: &str, entries: &[(String, Option<Written>)]) -> Result<(), StateError>;
    /// The answers of the source's last successful run, if stored.
    fn pages(&self, source: &str) -> Result<Option<Pages>, StateError>;
    /// Replaces them (durable when it returns).
    fn save_pages(&self, source: &str, pages: &Pages) -> Result<(), StateError>;
    /// Sources defined on the admin page, as stored JSON values by id.
    fn stored_sources(&self) -> Result<Vec<(String, Vec<u8>)>, StateError>;
    /// Stores a source defined on the admin page.
    fn store_source(&self, id: &str, json: &[u8]) -> Result<(), StateError>;
    /// Removes a source defined on the admin page.
    fn remove_source(&self, id: &str) -> Result<(), StateError>;
}
