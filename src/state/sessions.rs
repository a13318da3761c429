//! Sessions and sign-in failures as stored, behind [`SessionRepo`]. A session is kept under the
//! SHA-256 of its token (the token itself is only ever in the browser's cookie, so a copy of the
//! database signs no one in). How long sessions last and how failures lock sign-in is the
//! accounts service's (`crate::accounts`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

/// A signed-in browser.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// Consecutive failed sign-ins of one key (an account or a client address).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Where sessions and sign-in failures are kept.
pub trait SessionRepo: Send + Sync {
    /// Stores a session under the hash of its token.
    fn insert(&self, token_hash: &[u8], session: &Session) -> Result<(), StateError>;
    fn get(&self, token_hash: &[u8]) -> Result<Option<Session>, StateError>;
    fn delete(&self, token_hash: &[u8]) -> Result<(), StateError>;
    /// Deletes every session of `user`; returns how many.
    fn delete_all_of(&self, user: &str) -> Result<usize, StateError>;
    /// The failures of a key (`u:{name}` or `a:{address}`).
    fn failures(&self, key: &str) -> Result<Failures, StateError>;
    /// Replaces (or, with `None`, forgets) the failures of a key.
    fn set_failures(&self, key: &str, failures: Option<&Failures>) -> Result<(), StateError>;
}
