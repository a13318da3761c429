//! Sessions in sled: the `sessions` tree (SHA-256 of the token → JSON [`Session`]) and the
//! `login_failures` tree (key → JSON [`Failures`]).

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::sessions::{Failures, Session, SessionRepo};

const SESSIONS: &str = "sessions";
const FAILURES: &str = "login_failures";

impl SessionRepo for Db {
    fn insert(&self, token_hash: &[u8], session: &Session) -> Result<(), StateError> {
        let _w = self.writing();
        self.tree(SESSIONS)?.insert(token_hash, serde_json::to_vec(session).map_err(corrupt)?)?;
        self.flush()
    }

    fn get(&self, token_hash: &[u8]) -> Result<Option<Session>, StateError> {
        match self.tree(SESSIONS)?.get(token_hash)? {
            Some(bytes) => Ok(Some(serde_json::from_slice(&bytes).map_err(corrupt)?)),
            None => Ok(None),
        }
    }

    fn delete(&self, token_hash: &[u8]) -> Result<(), StateError> {
        let _w = self.writing();
        self.tree(SESSIONS)?.remove(token_hash)?;
        self.flush()
    }

    fn delete_all_of(&self, user: &str) -> Result<usize, StateError> {
        let _w = self.writing();
        let tree = self.tree(SESSIONS)?;
        let mut n = 0;
        for item in tree.iter() {
            let (k, v) = item?;
            if serde_json::from_slice::<Session>(&v).map(|s| s.user == user).unwrap_or(true) {
                tree.remove(k)?;
                n += 1;
            }
        }
        self.flush()?;
        Ok(n)
    }

    fn failures(&self, key: &str) -> Result<Failures, StateError> {
        match self.tree(FAILURES)?.get(key.as_bytes())? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(corrupt),
            None => Ok(Failures::default()),
        }
    }

    fn set_failures(&self, key: &str, failures: Option<&Failures>) -> Result<(), StateError> {
        let _w = self.writing();
        let tree = self.tree(FAILURES)?;
        match failures {
            Some(f) => tree.insert(key.as_bytes(), serde_json::to_vec(f).map_err(corrupt)?).map(|_| ())?,
            None => tree.remove(key.as_bytes()).map(|_| ())?,
        }
        Ok(())
    }
}
