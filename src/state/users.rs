//! Accounts as stored: a name, a role, an argon2id password hash and whether the account is
//! disabled ([`User`]), behind [`UserRepo`]. The rules (password policy, hashing, sign-in)
//! are the accounts service's (`crate::accounts`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

/// What a signed-in person may do. Ordered: a higher role may do everything a lower one may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Edits drafts, submits them for review, comments.
    Redaktor,
    /// Also publishes, sends back and retires.
    Granskare,
    /// Also manages users and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Redaktor, Self::Granskare, Self::Admin];

    /// `redaktor`, `granskare` or `admin` (also with å/ö spelled out: `redaktör`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "redaktor" | "redaktör" | "editor" => Some(Self::Redaktor),
            "granskare" | "reviewer" => Some(Self::Granskare),
            "admin" | "administratör" | "administrator" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Redaktor => "redaktor",
            Self::Granskare => "granskare",
            Self::Admin => "admin",
        }
    }

    /// The name shown on pages.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Redaktor, "en") => "editor",
            (Self::Granskare, "en") => "reviewer",
            (Self::Admin, "en") => "administrator",
            (Self::Redaktor, _) => "redaktör",
            (Self::Granskare, _) => "granskare",
            (Self::Admin, _) => "administratör",
        }
    }
}

/// One account.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// PHC string of an argon2id hash.
    pub hash: String,
    pub disabled: bool,
    pub created: DateTime<Utc>,
}

/// Where accounts are kept.
pub trait UserRepo: Send + Sync {
    /// One account by name.
    fn get(&self, name: &str) -> Result<Option<User>, StateError>;
    /// Every account, by name.
    fn list(&self) -> Result<Vec<User>, StateError>;
    /// Creates an account; `false` (and nothing written) when the name is taken, even by a
    /// writer at the same moment.
    fn create(&self, user: &User) -> Result<bool, StateError>;
    /// Replaces an existing account.
    fn put(&self, user: &User) -> Result<(), StateError>;
}
