//! API tokens are not yet kept in PostgreSQL: every call says so.

use chrono::{DateTime, Utc};

use super::Db;
use crate::state::StateError;
use crate::state::tokens::{ApiToken, TokenRepo};

fn missing() -> StateError {
    StateError::Backend("API tokens are not kept in a PostgreSQL state database yet".into())
}

impl TokenRepo for Db {
    fn insert(&self, _secret_hash: &[u8], _token: &ApiToken) -> Result<bool, StateError> {
        Err(missing())
    }
    fn by_hash(&self, _secret_hash: &[u8]) -> Result<Option<ApiToken>, StateError> {
        Err(missing())
    }
    fn get(&self, _id: &str) -> Result<Option<ApiToken>, StateError> {
        Err(missing())
    }
    fn list(&self) -> Result<Vec<ApiToken>, StateError> {
        Err(missing())
    }
    fn revoke(&self, _id: &str, _at: DateTime<Utc>) -> Result<bool, StateError> {
        Err(missing())
    }
    fn touch(&self, _id: &str, _at: DateTime<Utc>) -> Result<(), StateError> {
        Err(missing())
    }
}
