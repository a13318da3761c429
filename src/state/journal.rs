//! The journal of writes that span the record store and the state database.
//!
//! A publication (or retirement, or harvest run) changes the store *and* the state (revisions,
//! audit log, harvest bookkeeping). The two cannot share one transaction, so the pair has one
//! commit point, the store's commit, and this journal makes the rest follow:
//!
//! 1. [`begin`]: one state transaction checks what the writer expected (the record's latest
//!    revision), stores the [`JournalEntry`] (everything the state will record) and *holds* its
//!    records, so that no other save of them can slip in until the entry ends. Flushed.
//! 2. The store commits the batch, named by the entry's [`CommitId`] (the commit point).
//! 3. [`finish`]: one state transaction writes the entry's revisions, audit notes and harvest
//!    bookkeeping, removes the entry and releases the holds. Flushed; only then is the write
//!    acknowledged.
//!
//! If the store refuses the batch, [`abandon`] drops the entry. If the process dies between
//! the steps, start-up recovery (`crate::ledger`) asks the store whether the batch committed
//! ([`crate::store::RecordStore::find_commit`]) and then finishes or abandons each
//! [`pending`] entry, so the store and the history never disagree.
//!
//! Owns the trees `journal` (commit id → JSON [`JournalEntry`]) and, with `revisions`,
//! `commit_holds`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::ConflictableTransactionError;

use super::harvest::{self, RunReport, Written};
use super::revisions::{self, AuditNote, Expectation, NewRevision, Revision};
use super::{State, StateError};
use crate::store::CommitId;

const JOURNAL: &str = "journal";

/// Harvest bookkeeping recorded with a run's commit.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HarvestEffect {
    pub source: String,
    /// What the source wrote per record (`None`: forget the record).
    pub owned: Vec<(String, Option<Written>)>,
    /// The run's report as it stands once the commit is done.
    pub report: RunReport,
}

/// Everything the state records about one store commit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JournalEntry {
    pub id: CommitId,
    pub created: DateTime<Utc>,
    /// Records no one else may change until the entry ends.
    pub holds: Vec<String>,
    pub revisions: Vec<NewRevision>,
    pub audit: Vec<AuditNote>,
    #[serde(default)]
    pub harvest: Option<HarvestEffect>,
}

impl JournalEntry {
    pub fn new(id: CommitId) -> Self {
        Self { id, created: Utc::now(), holds: Vec::new(), revisions: Vec::new(), audit: Vec::new(), harvest: None }
    }
}

fn encode(entry: &JournalEntry) -> Result<Vec<u8>, StateError> {
    serde_json::to_vec(entry).map_err(|e| StateError::Corrupt(format!("journal entry: {e}")))
}

fn decode(bytes: &[u8]) -> Result<JournalEntry, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Corrupt(format!("journal entry: {e}")))
}

/// Step 1: checks `expect`, stores the entry and holds its records (durable when it returns).
/// A record held by another entry, or whose latest revision is not the expected one, gives
/// [`StateError::Conflict`] and nothing is stored.
pub fn begin(state: &State, entry: &JournalEntry, expect: &[Expectation]) -> Result<(), StateError> {
    let journal = state.tree(JOURNAL)?;
    let bytes = encode(entry)?;
    let holds: Vec<&str> = entry.holds.iter().map(String::as_str).collect();
    revisions::transact(state, &[journal], |t, extra| {
        revisions::check(t, expect, &holds, None)?;
        extra[0].insert(entry.id.as_str().as_bytes(), bytes.as_slice())?;
        for iri in &entry.holds {
            t.holds.insert(iri.as_bytes(), entry.id.as_str().as_bytes())?;
        }
        Ok(())
    })
}

/// Step 3 (or recovery of a committed batch): records the entry's revisions, audit notes and
/// harvest bookkeeping, removes the entry and releases its holds, in one transaction, durable
/// when it returns. `None` when there is no such entry (already finished or abandoned).
pub fn finish(state: &State, id: &CommitId) -> Result<Option<Vec<Revision>>, StateError> {
    let journal = state.tree(JOURNAL)?;
    let Some(bytes) = journal.get(id.as_str().as_bytes())? else { return Ok(None) };
    let entry = decode(&bytes)?;
    let mut extra = vec![journal];
    if let Some(h) = &entry.harvest {
        extra.push(harvest::owned_tree(state, &h.source)?);
        extra.push(harvest::runs_tree(state)?);
    }
    revisions::transact(state, &extra, |t, extra| {
        // read again inside: another finish may have won
        let Some(bytes) = extra[0].get(id.as_str().as_bytes())? else { return Ok(None) };
        let entry = decode(&bytes).map_err(ConflictableTransactionError::Abort)?;
        let written = revisions::write(t, &entry.revisions, &entry.audit)?;
        if let Some(h) = &entry.harvest {
            for (iri, w) in &h.owned {
                match w {
                    Some(w) => {
                        let value = serde_json::to_vec(w).map_err(|e| ConflictableTransactionError::Abort(StateError::Corrupt(e.to_string())))?;
                        extra[1].insert(iri.as_bytes(), value)?;
                    }
                    None => {
                        extra[1].remove(iri.as_bytes())?;
                    }
                }
            }
            let report =
                serde_json::to_vec(&h.report).map_err(|e| ConflictableTransactionError::Abort(StateError::Corrupt(e.to_string())))?;
            extra[2].insert(&h.report.id.to_be_bytes(), report)?;
        }
        release(t, &extra[0], &entry)?;
        Ok(Some(written))
    })
}

/// Drops an entry whose batch did not commit, releasing its holds (durable when it returns).
pub fn abandon(state: &State, id: &CommitId) -> Result<(), StateError> {
    let journal = state.tree(JOURNAL)?;
    revisions::transact(state, &[journal], |t, extra| {
        if let Some(bytes) = extra[0].get(id.as_str().as_bytes())? {
            let entry = decode(&bytes).map_err(ConflictableTransactionError::Abort)?;
            release(t, &extra[0], &entry)?;
        }
        Ok(())
    })
}

fn release(
    t: &revisions::Trees<'_>,
    journal: &sled::transaction::TransactionalTree,
    entry: &JournalEntry,
) -> Result<(), ConflictableTransactionError<StateError>> {
    for iri in &entry.holds {
        if t.holds.get(iri.as_bytes())?.is_some_and(|h| h.as_ref() == entry.id.as_str().as_bytes()) {
            t.holds.remove(iri.as_bytes())?;
        }
    }
    journal.remove(entry.id.as_str().as_bytes())?;
    Ok(())
}

/// Every entry not yet finished or abandoned, oldest first.
pub fn pending(state: &State) -> Result<Vec<JournalEntry>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(JOURNAL)?.iter() {
        let (_, v) = item?;
        out.push(decode(&v)?);
    }
    out.sort_by_key(|e| e.created);
    Ok(out)
}
