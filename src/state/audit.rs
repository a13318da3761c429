//! The audit log: every write (who, what, which record, when), behind [`AuditRepo`].
//!
//! Append-only by construction: the contract has no way to change or remove an entry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

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

/// Where the audit log is kept.
pub trait AuditRepo: Send + Sync {
    /// Appends an entry (durable when it returns).
    fn record(&self, who: &str, action: &str, target: &str, detail: &str) -> Result<(), StateError>;
    /// How many entries there are.
    fn count(&self) -> Result<usize, StateError>;
    /// Entries newest first, skipping `offset`.
    fn newest(&self, offset: usize, limit: usize) -> Result<Vec<Entry>, StateError>;
    /// Entries about one target, oldest first.
    fn about(&self, target: &str) -> Result<Vec<Entry>, StateError>;
}
