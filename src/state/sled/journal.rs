//! The journal in sled: the `journal` tree (commit id → JSON [`JournalEntry`]); its holds are
//! in `commit_holds` beside the revisions. See `crate::state::journal` for the protocol.

use sled::transaction::ConflictableTransactionError;

use super::revisions;
use super::{Db, harvest};
use crate::state::StateError;
use crate::state::journal::JournalEntry;
use crate::state::revisions::{Expectation, Revision};
use crate::store::CommitId;

const JOURNAL: &str = "journal";

fn encode(entry: &JournalEntry) -> Result<Vec<u8>, StateError> {
    serde_json::to_vec(entry).map_err(|e| StateError::Corrupt(format!("journal entry: {e}")))
}

fn decode(bytes: &[u8]) -> Result<JournalEntry, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Corrupt(format!("journal entry: {e}")))
}

/// Step 1: checks `expect`, stores the entry and holds its records (durable when it returns).
/// A record held by another entry, or whose latest revision is not the expected one, gives
/// [`StateError::Conflict`] and nothing is stored.
pub(super) fn begin(state: &Db, entry: &JournalEntry, expect: &[Expectation]) -> Result<(), StateError> {
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
pub(super) fn finish(state: &Db, id: &CommitId) -> Result<Option<Vec<Revision>>, StateError> {
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
                        let value =
                            serde_json::to_vec(w).map_err(|e| ConflictableTransactionError::Abort(StateError::Corrupt(e.to_string())))?;
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
pub(super) fn abandon(state: &Db, id: &CommitId) -> Result<(), StateError> {
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
pub(super) fn pending(state: &Db) -> Result<Vec<JournalEntry>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(JOURNAL)?.iter() {
        let (_, v) = item?;
        out.push(decode(&v)?);
    }
    out.sort_by_key(|e| e.created);
    Ok(out)
}
