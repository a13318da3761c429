//! Comments on a record (proposals from the reference group, review remarks), visible to
//! signed-in users and kept with the record's history.
//!
//! Owns the tree `comments` (record IRI, NUL, big-endian id → JSON [`Comment`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{State, StateError};

const TREE: &str = "comments";

/// One comment.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub iri: String,
    pub author: String,
    pub time: DateTime<Utc>,
    pub text: String,
}

fn key(iri: &str, id: u64) -> Vec<u8> {
    let mut k = iri.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// Adds a comment.
pub fn add(state: &State, iri: &str, author: &str, text: &str) -> Result<Comment, StateError> {
    let c = Comment { id: state.next_id()?, iri: iri.to_owned(), author: author.to_owned(), time: Utc::now(), text: text.to_owned() };
    let bytes = serde_json::to_vec(&c).map_err(|e| StateError::Corrupt(e.to_string()))?;
    state.tree(TREE)?.insert(key(iri, c.id), bytes)?;
    state.flush()?;
    Ok(c)
}

/// The comments on a record, oldest first.
pub fn of_record(state: &State, iri: &str) -> Result<Vec<Comment>, StateError> {
    let mut p = iri.as_bytes().to_vec();
    p.push(0);
    let mut out = Vec::new();
    for item in state.tree(TREE)?.scan_prefix(&p) {
        let (_, v) = item?;
        out.push(serde_json::from_slice(&v).map_err(|e| StateError::Corrupt(format!("comment: {e}")))?);
    }
    Ok(out)
}
