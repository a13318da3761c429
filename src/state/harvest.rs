//! Harvest bookkeeping in sled: the reports of every run, what each source last wrote, and the
//! sources added on the admin page.
//!
//! Owns the trees `harvest_runs` (run id → [`RunReport`]), `harvest_owned:{source}` (record IRI →
//! [`Written`]: the content hash the source last wrote) and `harvest_sources` (id → a source
//! defined on the admin page, as JSON). Knows nothing of HTTP or RDF parsing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{State, StateError};

const RUNS: &str = "harvest_runs";
const SOURCES: &str = "harvest_sources";

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
        }
    }

    /// Seconds the run took (so far).
    pub fn seconds(&self) -> f64 {
        let end = self.finished.unwrap_or_else(Utc::now);
        (end - self.started).num_milliseconds() as f64 / 1000.0
    }
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

fn corrupt(e: serde_json::Error) -> StateError {
    StateError::Corrupt(e.to_string())
}

pub(super) fn owned_tree(state: &State, source: &str) -> Result<sled::Tree, StateError> {
    state.tree(&format!("harvest_owned:{source}"))
}

pub(super) fn runs_tree(state: &State) -> Result<sled::Tree, StateError> {
    state.tree(RUNS)
}

/// Stores (creates or replaces) a run report.
pub fn save_run(state: &State, report: &RunReport) -> Result<(), StateError> {
    let value = serde_json::to_vec(report).map_err(corrupt)?;
    state.tree(RUNS)?.insert(report.id.to_be_bytes(), value)?;
    state.tree(RUNS)?.flush()?;
    Ok(())
}

/// A fresh run id.
pub fn next_run_id(state: &State) -> Result<u64, StateError> {
    // sled's ids are unique and increasing, but may skip after a restart; that is fine
    state.next_id().map(|n| n + 1)
}

/// Run reports, newest first, optionally of one source, at most `limit`.
pub fn runs(state: &State, source: Option<&str>, limit: usize) -> Result<Vec<RunReport>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(RUNS)?.iter().rev() {
        let (_, v) = item?;
        let report: RunReport = serde_json::from_slice(&v).map_err(corrupt)?;
        if source.is_none_or(|s| s == report.source) {
            out.push(report);
            if out.len() >= limit {
                break;
            }
        }
    }
    Ok(out)
}

/// One run report.
pub fn run(state: &State, id: u64) -> Result<Option<RunReport>, StateError> {
    match state.tree(RUNS)?.get(id.to_be_bytes())? {
        Some(v) => Ok(Some(serde_json::from_slice(&v).map_err(corrupt)?)),
        None => Ok(None),
    }
}

/// Marks runs of `source` still shown as running as interrupted (called when no run of the
/// source can be going: its lock was free).
pub fn mark_interrupted(state: &State, source: &str) -> Result<(), StateError> {
    for mut r in runs(state, Some(source), usize::MAX)? {
        if r.status == RunStatus::Running {
            r.status = RunStatus::Interrupted;
            r.errors.push("the process ended during the run; nothing was committed".into());
            save_run(state, &r)?;
        }
    }
    Ok(())
}

/// Marks every run still shown as running as interrupted (at start-up, when no run can be
/// going); returns how many.
pub fn mark_all_interrupted(state: &State) -> Result<usize, StateError> {
    let mut n = 0;
    for item in state.tree(RUNS)?.iter() {
        let (_, v) = item?;
        let mut r: RunReport = serde_json::from_slice(&v).map_err(corrupt)?;
        if r.status == RunStatus::Running {
            r.status = RunStatus::Interrupted;
            r.errors.push("the process ended during the run; nothing was committed".into());
            save_run(state, &r)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Everything `source` owns: record IRI → what it last wrote.
pub fn owned(state: &State, source: &str) -> Result<Vec<(String, Written)>, StateError> {
    let mut out = Vec::new();
    for item in owned_tree(state, source)?.iter() {
        let (k, v) = item?;
        let iri = String::from_utf8(k.to_vec()).map_err(|e| StateError::Corrupt(e.to_string()))?;
        out.push((iri, serde_json::from_slice(&v).map_err(corrupt)?));
    }
    Ok(out)
}

/// Writes bookkeeping entries (`None` removes one) in one sled batch, flushed.
pub fn write_owned(state: &State, source: &str, entries: &[(String, Option<Written>)]) -> Result<(), StateError> {
    let tree = owned_tree(state, source)?;
    let mut batch = sled::Batch::default();
    for (iri, w) in entries {
        match w {
            Some(w) => batch.insert(iri.as_bytes(), serde_json::to_vec(w).map_err(corrupt)?),
            None => batch.remove(iri.as_bytes()),
        }
    }
    tree.apply_batch(batch)?;
    tree.flush()?;
    Ok(())
}

/// Sources defined on the admin page, as stored JSON values by id.
pub fn stored_sources(state: &State) -> Result<Vec<(String, Vec<u8>)>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(SOURCES)?.iter() {
        let (k, v) = item?;
        out.push((String::from_utf8_lossy(&k).into_owned(), v.to_vec()));
    }
    Ok(out)
}

/// Stores a source defined on the admin page.
pub fn store_source(state: &State, id: &str, json: &[u8]) -> Result<(), StateError> {
    let tree = state.tree(SOURCES)?;
    tree.insert(id.as_bytes(), json)?;
    tree.flush()?;
    Ok(())
}

/// Removes a source defined on the admin page.
pub fn remove_source(state: &State, id: &str) -> Result<(), StateError> {
    let tree = state.tree(SOURCES)?;
    tree.remove(id.as_bytes())?;
    tree.flush()?;
    Ok(())
}
