//! API tokens as stored, behind [`TokenRepo`]: a token is kept under a hash of its secret (the
//! secret itself is shown once, when it is issued, and never stored), with its account, expiry,
//! last use and revocation. How a secret is made and hashed, and what a token may do, is the
//! accounts service's (`crate::accounts`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

/// One API token (without its secret).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ApiToken {
    /// A public handle (16 hex digits): shown in lists and the audit log, used to revoke.
    pub id: String,
    /// The account whose role the token carries.
    pub user: String,
    pub created: DateTime<Utc>,
    /// Who issued it (an administrator, or `cli`).
    pub created_by: String,
    /// `None`: it does not expire.
    pub expires: Option<DateTime<Utc>>,
    pub last_used: Option<DateTime<Utc>>,
    pub revoked: Option<DateTime<Utc>>,
}

/// Where API tokens are kept.
pub trait TokenRepo: Send + Sync {
    /// Stores a new token under the hash of its secret; `false` (and nothing written) when the
    /// id or the hash is taken.
    fn insert(&self, secret_hash: &[u8], token: &ApiToken) -> Result<bool, StateError>;
    /// The token whose secret has this hash (revoked and expired ones too).
    fn by_hash(&self, secret_hash: &[u8]) -> Result<Option<ApiToken>, StateError>;
    /// One token by id.
    fn get(&self, id: &str) -> Result<Option<ApiToken>, StateError>;
    /// Every token, oldest first.
    fn list(&self) -> Result<Vec<ApiToken>, StateError>;
    /// Marks a token revoked at `at` (it stays listed); `false` when there is no such token.
    /// Revoking a revoked token keeps its first revocation time.
    fn revoke(&self, id: &str, at: DateTime<Utc>) -> Result<bool, StateError>;
    /// Notes a use of the token at `at`.
    fn touch(&self, id: &str, at: DateTime<Utc>) -> Result<(), StateError>;
}
