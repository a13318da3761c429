//! Revisions in sled: the trees `revisions` (big-endian id → JSON [`Revision`]),
//! `revisions_by_record` (record IRI, NUL, big-endian id → nothing), `revisions_latest` (record
//! IRI → its latest revision id, readable inside a transaction), `drafts` (record IRI → JSON
//! [`OpenDraft`]) and `commit_holds` (record IRI → the journal entry holding it).

use chrono::Utc;
use serde::Deserialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional, TransactionalTree};

use super::{Db, audit};
use crate::state::StateError;
use crate::state::revisions::{AuditNote, Expectation, NewRevision, OpenDraft, Revision};
use crate::store::RecordState;

const REVISIONS: &str = "revisions";
const BY_RECORD: &str = "revisions_by_record";
const DRAFTS: &str = "drafts";
const LATEST: &str = "revisions_latest";
pub(super) const HOLDS: &str = "commit_holds";
const META: &str = "revisions_meta";
const LATEST_FILLED: &[u8] = b"latest_index_filled";

fn by_record_key(iri: &str, id: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(iri.len() + 9);
    k.extend_from_slice(iri.as_bytes());
    k.push(0);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

fn prefix(iri: &str) -> Vec<u8> {
    let mut k = iri.as_bytes().to_vec();
    k.push(0);
    k
}

fn decode<T: for<'de> Deserialize<'de>>(what: &str, bytes: &[u8]) -> Result<T, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Corrupt(format!("{what}: {e}")))
}

type TxError = ConflictableTransactionError<StateError>;

/// The trees one append touches, inside a transaction.
pub(super) struct Trees<'a> {
    pub revisions: &'a TransactionalTree,
    pub by_record: &'a TransactionalTree,
    pub latest: &'a TransactionalTree,
    pub drafts: &'a TransactionalTree,
    pub log: &'a TransactionalTree,
    pub holds: &'a TransactionalTree,
}

/// The names of [`Trees`], in that order.
pub(super) const TREE_NAMES: [&str; 6] = [REVISIONS, BY_RECORD, LATEST, DRAFTS, audit::TREE, HOLDS];

fn abort(e: impl std::fmt::Display) -> TxError {
    ConflictableTransactionError::Abort(StateError::Corrupt(e.to_string()))
}

/// The latest revision id of a record, inside a transaction.
fn latest_in(t: &Trees<'_>, iri: &str) -> Result<Option<u64>, TxError> {
    Ok(t.latest.get(iri.as_bytes())?.map(|v| be_u64(&v)))
}

/// Checks expectations and pending commits (a record held by a commit under way may not be
/// changed by anyone else until it ends), inside a transaction. `own`: the commit whose holds
/// do not count.
pub(super) fn check(t: &Trees<'_>, expect: &[Expectation], touched: &[&str], own: Option<&str>) -> Result<(), TxError> {
    for e in expect {
        let latest = latest_in(t, &e.iri)?;
        if latest != e.latest {
            let author = match latest {
                Some(id) => match t.revisions.get(id.to_be_bytes())? {
                    Some(v) => serde_json::from_slice::<Revision>(&v).map_err(abort)?.author,
                    None => String::new(),
                },
                None => String::new(),
            };
            return Err(ConflictableTransactionError::Abort(StateError::Conflict { iri: e.iri.clone(), latest, author, pending: false }));
        }
    }
    for iri in expect.iter().map(|e| e.iri.as_str()).chain(touched.iter().copied()) {
        if let Some(holder) = t.holds.get(iri.as_bytes())?
            && own != Some(&*String::from_utf8_lossy(&holder))
        {
            return Err(ConflictableTransactionError::Abort(StateError::Conflict {
                iri: iri.to_owned(),
                latest: latest_in(t, iri)?,
                author: String::new(),
                pending: true,
            }));
        }
    }
    Ok(())
}

/// Writes revisions (in order), the latest and drafts indexes and the audit notes, inside a
/// transaction.
pub(super) fn write(t: &Trees<'_>, new: &[NewRevision], notes: &[AuditNote]) -> Result<Vec<Revision>, TxError> {
    let now = Utc::now();
    let mut written = Vec::with_capacity(new.len());
    for n in new {
        let id = t.revisions.generate_id()?;
        let rev = Revision {
            id,
            iri: n.iri.clone(),
            kind: n.kind.clone(),
            author: n.author.clone(),
            time: now,
            message: n.message.clone(),
            state: n.state,
            version: n.version,
            ntriples: n.ntriples.clone(),
            published: n.published,
        };
        t.revisions.insert(&id.to_be_bytes(), serde_json::to_vec(&rev).map_err(abort)?)?;
        t.by_record.insert(by_record_key(&n.iri, id), &[] as &[u8])?;
        t.latest.insert(n.iri.as_bytes(), &id.to_be_bytes())?;
        match n.state {
            RecordState::Draft | RecordState::InReview => {
                let open = OpenDraft {
                    revision: id,
                    state: n.state,
                    kind: n.kind.clone(),
                    author: n.author.clone(),
                    time: now,
                    label: n.label.clone(),
                };
                t.drafts.insert(n.iri.as_bytes(), serde_json::to_vec(&open).map_err(abort)?)?;
            }
            // publishing closes the draft; retiring leaves an open draft open beside it
            RecordState::Published => {
                t.drafts.remove(n.iri.as_bytes())?;
            }
            RecordState::Retired => {}
        }
        written.push(rev);
    }
    for note in notes {
        let id = t.log.generate_id()?;
        let entry = crate::state::audit::Entry {
            id,
            time: now,
            who: note.who.clone(),
            action: note.action.clone(),
            target: note.target.clone(),
            detail: note.detail.clone(),
        };
        t.log.insert(&id.to_be_bytes(), serde_json::to_vec(&entry).map_err(abort)?)?;
    }
    Ok(written)
}

/// Opens the trees of [`TREE_NAMES`] (filling the latest index of an older database first).
pub(super) fn trees(state: &Db) -> Result<Vec<sled::Tree>, StateError> {
    ensure_latest_index(state)?;
    TREE_NAMES.iter().map(|n| state.tree(n)).collect()
}

/// Runs `f` over [`Trees`] (plus `extra` trees) in one sled transaction, then flushes: when it
/// returns, the write is on disk.
pub(super) fn transact<T>(
    state: &Db,
    extra: &[sled::Tree],
    f: impl Fn(&Trees<'_>, &[TransactionalTree]) -> Result<T, TxError>,
) -> Result<T, StateError> {
    let mut all = trees(state)?;
    all.extend(extra.iter().cloned());
    let result = all.as_slice().transaction(|tx| {
        let t = Trees { revisions: &tx[0], by_record: &tx[1], latest: &tx[2], drafts: &tx[3], log: &tx[4], holds: &tx[5] };
        f(&t, &tx[TREE_NAMES.len()..])
    });
    let value = match result {
        Ok(v) => v,
        Err(TransactionError::Abort(e)) => return Err(e),
        Err(TransactionError::Storage(e)) => return Err(StateError::from(e)),
    };
    state.flush()?;
    Ok(value)
}

/// Writes revisions (in order), updates the drafts index and appends the audit notes, in one
/// transaction, durable when it returns, after checking `expect` (and that no commit under way
/// holds one of the records). Returns the written revisions.
pub(super) fn append(state: &Db, new: &[NewRevision], notes: &[AuditNote], expect: &[Expectation]) -> Result<Vec<Revision>, StateError> {
    let touched: Vec<&str> = new.iter().map(|n| n.iri.as_str()).collect();
    transact(state, &[], |t, _| {
        check(t, expect, &touched, None)?;
        write(t, new, notes)
    })
}

/// Fills the `revisions_latest` index from `revisions_by_record` once, for a database written
/// before it existed.
fn ensure_latest_index(state: &Db) -> Result<(), StateError> {
    let meta = state.tree(META)?;
    if meta.get(LATEST_FILLED)?.is_some() {
        return Ok(());
    }
    let latest = state.tree(LATEST)?;
    for item in state.tree(BY_RECORD)?.iter() {
        let (k, _) = item?;
        let Some(split) = k.iter().rposition(|b| *b == 0) else { continue };
        let (iri, id) = (&k[..split], &k[split + 1..]);
        if id.len() == 8 {
            let newer = latest.get(iri)?.is_none_or(|old| be_u64(&old) < be_u64(id));
            if newer {
                latest.insert(iri, id)?;
            }
        }
    }
    meta.insert(LATEST_FILLED, &[1u8] as &[u8])?;
    state.flush()?;
    Ok(())
}

fn be_u64(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = bytes.len().min(8);
    b[8 - n..].copy_from_slice(&bytes[bytes.len() - n..]);
    u64::from_be_bytes(b)
}

/// One revision by id.
pub(super) fn get(state: &Db, id: u64) -> Result<Option<Revision>, StateError> {
    match state.tree(REVISIONS)?.get(id.to_be_bytes())? {
        Some(v) => Ok(Some(decode("revision", &v)?)),
        None => Ok(None),
    }
}

fn ids_of(state: &Db, iri: &str) -> Result<Vec<u64>, StateError> {
    let mut out = Vec::new();
    let p = prefix(iri);
    for item in state.tree(BY_RECORD)?.scan_prefix(&p) {
        let (k, _) = item?;
        let tail: [u8; 8] = k[p.len()..].try_into().map_err(|_| StateError::Corrupt("revision index key".into()))?;
        out.push(u64::from_be_bytes(tail));
    }
    Ok(out)
}

/// Every revision of a record, oldest first.
pub(super) fn of_record(state: &Db, iri: &str) -> Result<Vec<Revision>, StateError> {
    let mut out = Vec::new();
    for id in ids_of(state, iri)? {
        if let Some(r) = get(state, id)? {
            out.push(r);
        }
    }
    Ok(out)
}

/// Published and retired revisions, newest first, with ids below `before`: a walk back over
/// the revisions from the newest (each one read), stopping at `limit`.
pub(super) fn public(state: &Db, before: Option<u64>, limit: usize) -> Result<Vec<Revision>, StateError> {
    let tree = state.tree(REVISIONS)?;
    let range = match before {
        Some(b) => tree.range(..b.to_be_bytes()),
        None => tree.range::<&[u8], _>(..),
    };
    let mut out = Vec::new();
    for item in range.rev() {
        if out.len() >= limit {
            break;
        }
        let (_, v) = item?;
        let rev: Revision = decode("revision", &v)?;
        if rev.state.is_public() {
            out.push(rev);
        }
    }
    Ok(out)
}

/// The latest revision of a record.
pub(super) fn latest(state: &Db, iri: &str) -> Result<Option<Revision>, StateError> {
    ensure_latest_index(state)?;
    match state.tree(LATEST)?.get(iri.as_bytes())? {
        Some(id) => get(state, be_u64(&id)),
        None => Ok(None),
    }
}

/// The working draft of a record, if it has one.
pub(super) fn open_draft(state: &Db, iri: &str) -> Result<Option<OpenDraft>, StateError> {
    match state.tree(DRAFTS)?.get(iri.as_bytes())? {
        Some(v) => Ok(Some(decode("draft", &v)?)),
        None => Ok(None),
    }
}

/// Every working draft, by record IRI.
pub(super) fn open_drafts(state: &Db) -> Result<Vec<(String, OpenDraft)>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(DRAFTS)?.iter() {
        let (k, v) = item?;
        out.push((String::from_utf8_lossy(&k).into_owned(), decode("draft", &v)?));
    }
    Ok(out)
}
