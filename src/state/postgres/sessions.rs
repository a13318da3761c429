//! Sessions in PostgreSQL: the `sessions` table (SHA-256 of the token → JSON [`Session`], with
//! its account and expiry as columns) and `login_failures` (key → JSON [`Failures`]).

use super::{Db, from_json, json, pg};
use crate::state::StateError;
use crate::state::sessions::{Failures, Session, SessionRepo};

impl SessionRepo for Db {
    fn insert(&self, token_hash: &[u8], session: &Session) -> Result<(), StateError> {
        let value = json(session)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO sessions (token_hash, username, expires, value) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (token_hash) DO UPDATE SET username = EXCLUDED.username, expires = EXCLUDED.expires, value = EXCLUDED.value",
                &[&token_hash, &session.user, &session.expires, &value],
            )
            .map_err(pg)?;
            Ok(())
        })
    }

    fn get(&self, token_hash: &[u8]) -> Result<Option<Session>, StateError> {
        self.with(|c| {
            let row = c.query_opt("SELECT value FROM sessions WHERE token_hash = $1", &[&token_hash]).map_err(pg)?;
            row.map(|r| from_json("session", r.get(0))).transpose()
        })
    }

    fn delete(&self, token_hash: &[u8]) -> Result<(), StateError> {
        self.with(|c| {
            c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash]).map_err(pg)?;
            Ok(())
        })
    }

    fn delete_all_of(&self, user: &str) -> Result<usize, StateError> {
        self.with(|c| {
            let n = c.execute("DELETE FROM sessions WHERE username = $1", &[&user]).map_err(pg)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    fn failures(&self, key: &str) -> Result<Failures, StateError> {
        self.with(|c| {
            let row = c.query_opt("SELECT value FROM login_failures WHERE key = $1", &[&key]).map_err(pg)?;
            Ok(row.map(|r| from_json("sign-in failures", r.get(0))).transpose()?.unwrap_or_default())
        })
    }

    fn set_failures(&self, key: &str, failures: Option<&Failures>) -> Result<(), StateError> {
        let value = failures.map(json).transpose()?;
        self.with(|c| {
            match value {
                Some(v) => c.execute(
                    "INSERT INTO login_failures (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    &[&key, &v],
                ),
                None => c.execute("DELETE FROM login_failures WHERE key = $1", &[&key]),
            }
            .map_err(pg)?;
            Ok(())
        })
    }
}
