//! The audit log in sled: the `audit` tree (big-endian sequence number → JSON [`Entry`]).

use chrono::Utc;

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::audit::{AuditRepo, Entry};

pub(super) const TREE: &str = "audit";

fn decode(v: &[u8]) -> Result<Entry, StateError> {
    serde_json::from_slice(v).map_err(|e| StateError::Corrupt(format!("audit entry: {e}")))
}

impl AuditRepo for Db {
    fn record(&self, who: &str, action: &str, target: &str, detail: &str) -> Result<(), StateError> {
        let _w = self.writing();
        let id = self.next_id()?;
        let entry = Entry {
            id,
            time: Utc::now(),
            who: who.to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
            detail: detail.to_owned(),
        };
        self.tree(TREE)?.insert(id.to_be_bytes(), serde_json::to_vec(&entry).map_err(corrupt)?)?;
        self.flush()
    }

    fn count(&self) -> Result<usize, StateError> {
        Ok(self.tree(TREE)?.len())
    }

    fn newest(&self, offset: usize, limit: usize) -> Result<Vec<Entry>, StateError> {
        let mut out = Vec::new();
        for item in self.tree(TREE)?.iter().rev().skip(offset).take(limit) {
            let (_, v) = item?;
            out.push(decode(&v)?);
        }
        Ok(out)
    }

    fn about(&self, target: &str) -> Result<Vec<Entry>, StateError> {
        let mut out = Vec::new();
        for item in self.tree(TREE)?.iter() {
            let (_, v) = item?;
            let e = decode(&v)?;
            if e.target == target {
                out.push(e);
            }
        }
        Ok(out)
    }
}
