//! The journal in PostgreSQL: the `journal` table (commit id → JSON [`JournalEntry`]); its holds
//! are in `commit_holds` beside the revisions. See `crate::state::journal` for the protocol.
//! Each step is one transaction holding the advisory locks of the entry's records.

use super::{Db, from_json, harvest, json, lock_records, pg, revisions};
use crate::state::StateError;
use crate::state::journal::JournalEntry;
use crate::state::revisions::{Expectation, Revision};
use crate::store::CommitId;

/// Step 1: checks `expect`, stores the entry and holds its records.
pub(super) fn begin(db: &Db, entry: &JournalEntry, expect: &[Expectation]) -> Result<(), StateError> {
    let value = json(entry)?;
    let holds: Vec<&str> = entry.holds.iter().map(String::as_str).collect();
    db.tx(|tx| {
        lock_records(tx, expect.iter().map(|e| e.iri.as_str()).chain(holds.iter().copied()))?;
        revisions::check(tx, expect, &holds, None)?;
        tx.execute("INSERT INTO journal (id, created, value) VALUES ($1, $2, $3)", &[&entry.id.as_str(), &entry.created, &value])
            .map_err(pg)?;
        for iri in &holds {
            tx.execute("INSERT INTO commit_holds (iri, commit_id) VALUES ($1, $2)", &[iri, &entry.id.as_str()]).map_err(pg)?;
        }
        Ok(())
    })
}

fn entry_iris(entry: &JournalEntry) -> impl Iterator<Item = &str> {
    entry.holds.iter().map(String::as_str).chain(entry.revisions.iter().map(|r| r.iri.as_str()))
}

/// Step 3 (or recovery of a committed batch): records the entry's revisions, audit notes and
/// harvest bookkeeping, removes the entry and releases its holds, in one transaction. `None`
/// when there is no such entry (already finished or abandoned).
pub(super) fn finish(db: &Db, id: &CommitId) -> Result<Option<Vec<Revision>>, StateError> {
    let Some(first) = read(db, id)? else { return Ok(None) };
    db.tx(|tx| {
        lock_records(tx, entry_iris(&first))?;
        // read again inside: another finish may have won
        let Some(row) = tx.query_opt("SELECT value FROM journal WHERE id = $1 FOR UPDATE", &[&id.as_str()]).map_err(pg)? else {
            return Ok(None);
        };
        let entry: JournalEntry = from_json("journal entry", row.get(0))?;
        let written = revisions::write(tx, &entry.revisions, &entry.audit)?;
        if let Some(h) = &entry.harvest {
            harvest::write_owned(tx, &h.source, &h.owned)?;
            harvest::save_run(tx, &h.report)?;
        }
        release(tx, &entry)?;
        Ok(Some(written))
    })
}

/// Drops an entry whose batch did not commit, releasing its holds.
pub(super) fn abandon(db: &Db, id: &CommitId) -> Result<(), StateError> {
    let Some(first) = read(db, id)? else { return Ok(()) };
    db.tx(|tx| {
        lock_records(tx, entry_iris(&first))?;
        if let Some(row) = tx.query_opt("SELECT value FROM journal WHERE id = $1 FOR UPDATE", &[&id.as_str()]).map_err(pg)? {
            let entry: JournalEntry = from_json("journal entry", row.get(0))?;
            release(tx, &entry)?;
        }
        Ok(())
    })
}

fn read(db: &Db, id: &CommitId) -> Result<Option<JournalEntry>, StateError> {
    db.with(|c| {
        c.query_opt("SELECT value FROM journal WHERE id = $1", &[&id.as_str()])
            .map_err(pg)?
            .map(|r| from_json("journal entry", r.get(0)))
            .transpose()
    })
}

fn release(tx: &mut super::Tx<'_>, entry: &JournalEntry) -> Result<(), StateError> {
    tx.execute("DELETE FROM commit_holds WHERE commit_id = $1", &[&entry.id.as_str()]).map_err(pg)?;
    tx.execute("DELETE FROM journal WHERE id = $1", &[&entry.id.as_str()]).map_err(pg)?;
    Ok(())
}

/// Every entry not yet finished or abandoned, oldest first.
pub(super) fn pending(db: &Db) -> Result<Vec<JournalEntry>, StateError> {
    db.with(|c| {
        let rows = c.query("SELECT value FROM journal ORDER BY created, id", &[]).map_err(pg)?;
        rows.iter().map(|r| from_json("journal entry", r.get(0))).collect()
    })
}
