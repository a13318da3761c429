//! Revisions: every save of a record, with who, when, why, its workflow state and the full
//! record graph as N-Triples (DESIGN.md decision 6); and the index of open drafts.
//!
//! Owns the trees `revisions` (big-endian id → JSON [`Revision`]), `revisions_by_record`
//! (record IRI, NUL, big-endian id → nothing: a record's revisions in order) and `drafts`
//! (record IRI → JSON [`OpenDraft`]: the record's working draft, its latest draft or in-review
//! revision until a publication closes it). [`append_all`] writes revisions, the drafts index and their audit
//! entries in one sled transaction: all of them or none.
//! Does not: decide the workflow (`curation` does) or parse RDF.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};

use super::{audit, State, StateError};
use crate::store::RecordState;

const REVISIONS: &str = "revisions";
const BY_RECORD: &str = "revisions_by_record";
const DRAFTS: &str = "drafts";

/// The workflow state's stable name in stored values.
pub fn state_name(s: RecordState) -> &'static str {
    match s {
        RecordState::Draft => "draft",
        RecordState::InReview => "in_review",
        RecordState::Published => "published",
        RecordState::Retired => "retired",
    }
}

/// The workflow state of a stored name.
pub fn parse_state(s: &str) -> Option<RecordState> {
    RecordState::ALL.into_iter().find(|x| state_name(*x) == s)
}

mod state_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::store::RecordState;

    pub fn serialize<S: Serializer>(s: &RecordState, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(super::state_name(*s))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<RecordState, D::Error> {
        let s = String::deserialize(de)?;
        super::parse_state(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown state {s}")))
    }
}

/// One saved state of a record.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Revision {
    pub id: u64,
    /// The record IRI.
    pub iri: String,
    /// The record kind (`variable`, `dataset` …).
    pub kind: String,
    pub author: String,
    pub time: DateTime<Utc>,
    /// Why: the save message, the change note of a publication, the reviewer's comment.
    pub message: String,
    /// The workflow state the record had with this revision.
    #[serde(with = "state_serde")]
    pub state: RecordState,
    /// The published version number, for published and retired revisions.
    pub version: Option<u64>,
    /// The whole record graph, N-Triples, sorted.
    pub ntriples: String,
}

/// A revision to write (the id and time are given when it is written).
#[derive(Clone, Debug)]
pub struct NewRevision {
    pub iri: String,
    pub kind: String,
    pub author: String,
    pub message: String,
    pub state: RecordState,
    pub version: Option<u64>,
    pub ntriples: String,
    /// The label to show in work lists (Swedish, or whatever the record has).
    pub label: String,
}

/// The working draft of a record (in the `drafts` index).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OpenDraft {
    pub revision: u64,
    #[serde(with = "state_serde")]
    pub state: RecordState,
    pub kind: String,
    pub author: String,
    pub time: DateTime<Utc>,
    pub label: String,
}

/// An audit entry written with the revisions.
#[derive(Clone, Debug)]
pub struct AuditNote {
    pub who: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

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

/// Writes revisions (in order), updates the drafts index and appends the audit notes, in one
/// transaction. Returns the written revisions.
pub fn append_all(state: &State, new: &[NewRevision], notes: &[AuditNote]) -> Result<Vec<Revision>, StateError> {
    let revisions = state.tree(REVISIONS)?;
    let by_record = state.tree(BY_RECORD)?;
    let drafts = state.tree(DRAFTS)?;
    let log = state.tree(audit::TREE)?;
    let result = (&revisions, &by_record, &drafts, &log).transaction(|(revisions, by_record, drafts, log)| {
        let now = Utc::now();
        let abort = |e: serde_json::Error| ConflictableTransactionError::Abort(e.to_string());
        let mut written = Vec::with_capacity(new.len());
        for n in new {
            let id = revisions.generate_id()?;
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
            };
            revisions.insert(&id.to_be_bytes(), serde_json::to_vec(&rev).map_err(abort)?)?;
            by_record.insert(by_record_key(&n.iri, id), &[] as &[u8])?;
            match n.state {
                RecordState::Draft | RecordState::InReview => {
                    let open = OpenDraft { revision: id, state: n.state, kind: n.kind.clone(), author: n.author.clone(), time: now, label: n.label.clone() };
                    drafts.insert(n.iri.as_bytes(), serde_json::to_vec(&open).map_err(abort)?)?;
                }
                // publishing closes the draft; retiring leaves an open draft open beside it
                RecordState::Published => {
                    drafts.remove(n.iri.as_bytes())?;
                }
                RecordState::Retired => {}
            }
            written.push(rev);
        }
        for note in notes {
            let id = log.generate_id()?;
            let entry = audit::Entry {
                id,
                time: now,
                who: note.who.clone(),
                action: note.action.clone(),
                target: note.target.clone(),
                detail: note.detail.clone(),
            };
            log.insert(&id.to_be_bytes(), serde_json::to_vec(&entry).map_err(abort)?)?;
        }
        Ok(written)
    });
    match result {
        Ok(v) => Ok(v),
        Err(TransactionError::Abort(e)) => Err(StateError::Corrupt(e)),
        Err(TransactionError::Storage(e)) => Err(StateError::Sled(e)),
    }
}

/// One revision by id.
pub fn get(state: &State, id: u64) -> Result<Option<Revision>, StateError> {
    match state.tree(REVISIONS)?.get(id.to_be_bytes())? {
        Some(v) => Ok(Some(decode("revision", &v)?)),
        None => Ok(None),
    }
}

fn ids_of(state: &State, iri: &str) -> Result<Vec<u64>, StateError> {
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
pub fn of_record(state: &State, iri: &str) -> Result<Vec<Revision>, StateError> {
    let mut out = Vec::new();
    for id in ids_of(state, iri)? {
        if let Some(r) = get(state, id)? {
            out.push(r);
        }
    }
    Ok(out)
}

/// The latest revision of a record.
pub fn latest(state: &State, iri: &str) -> Result<Option<Revision>, StateError> {
    let p = prefix(iri);
    match state.tree(BY_RECORD)?.scan_prefix(&p).next_back() {
        Some(item) => {
            let (k, _) = item?;
            let tail: [u8; 8] = k[p.len()..].try_into().map_err(|_| StateError::Corrupt("revision index key".into()))?;
            get(state, u64::from_be_bytes(tail))
        }
        None => Ok(None),
    }
}

/// The working draft of a record, if it has one.
pub fn open_draft(state: &State, iri: &str) -> Result<Option<OpenDraft>, StateError> {
    match state.tree(DRAFTS)?.get(iri.as_bytes())? {
        Some(v) => Ok(Some(decode("draft", &v)?)),
        None => Ok(None),
    }
}

/// Every working draft, by record IRI.
pub fn open_drafts(state: &State) -> Result<Vec<(String, OpenDraft)>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(DRAFTS)?.iter() {
        let (k, v) = item?;
        out.push((String::from_utf8_lossy(&k).into_owned(), decode("draft", &v)?));
    }
    Ok(out)
}
