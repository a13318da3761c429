//! Uploaded import files waiting between the preview and the confirmation, behind
//! [`UploadRepo`]. An upload belongs to the account that sent it and expires after
//! [`LIFETIME_MINUTES`]; it is removed when the import is confirmed. Nothing here is catalogue
//! content.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

/// How long a previewed upload can be confirmed.
pub const LIFETIME_MINUTES: i64 = 60;

/// What was sent, and how it is to be read.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Upload {
    pub user: String,
    pub filename: String,
    /// Reader settings as the form gave them (dataset id, id prefix, mapping preset).
    pub dataset: Option<String>,
    pub id_prefix: Option<String>,
    pub mapping: Option<String>,
    pub created: DateTime<Utc>,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl Upload {
    /// Whether it can still be confirmed at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        now - self.created <= chrono::Duration::minutes(LIFETIME_MINUTES)
    }
}

/// A fresh token naming an upload (192 random bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where uploads wait.
pub trait UploadRepo: Send + Sync {
    /// Keeps an upload; returns its token. Expired uploads may be cleared on the way.
    fn put(&self, upload: &Upload) -> Result<String, StateError>;
    /// The upload `token` of `user`, if it exists and has not expired.
    fn get(&self, token: &str, user: &str) -> Result<Option<Upload>, StateError>;
    fn remove(&self, token: &str) -> Result<(), StateError>;
}
