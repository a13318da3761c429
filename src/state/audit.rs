//! The audit log: every write (who, what, which record, when), append-only.
//!
//! Owns: the `audit` tree (big-endian sequence number → JSON [`Entry`]). There is no function
//! that changes or removes an entry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{State, StateError};

pub(super) const TREE: &str = "audit";

/// One logged write.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub id: u64,
    pub time: DateTime<Utc>,
    /// The account (or `system`, `cli:…`).
    pub who: String,
    /// What was done (`save_draft`, `publish`, `login`, `user_add` …).
    pub action: String,
    /// The record IRI or account name it was done to.
    pub target: String,
    pub detail: String,
}

/// Appends an entry.
pub fn record(state: &State, who: &str, action: &str, target: &str, detail: &str) -> Result<(), StateError> {
    let id = state.next_id()?;
    let entry = Entry {
        id,
        time: Utc::now(),
        who: who.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        detail: detail.to_owned(),
    };
    let bytes = serde_json::to_vec(&entry).map_err(|e| StateError::Corrupt(e.to_string()))?;
    state.tree(TREE)?.insert(id.to_be_bytes(), bytes)?;
    state.flush()?;
    Ok(())
}

/// How many entries there are.
pub fn count(state: &State) -> Result<usize, StateError> {
    Ok(state.tree(TREE)?.len())
}

/// Entries newest first, skipping `offset`.
pub fn newest(state: &State, offset: usize, limit: usize) -> Result<Vec<Entry>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(TREE)?.iter().rev().skip(offset).take(limit) {
        let (_, v) = item?;
        out.push(serde_json::from_slice(&v).map_err(|e| StateError::Corrupt(format!("audit entry: {e}")))?);
    }
    Ok(out)
}

/// Entries about one target, oldest first.
pub fn about(state: &State, target: &str) -> Result<Vec<Entry>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(TREE)?.iter() {
        let (_, v) = item?;
        let e: Entry = serde_json::from_slice(&v).map_err(|e| StateError::Corrupt(format!("audit entry: {e}")))?;
        if e.target == target {
            out.push(e);
        }
    }
    Ok(out)
}
