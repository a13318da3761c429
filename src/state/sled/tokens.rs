//! API tokens in sled: the `api_tokens` tree (id → JSON [`ApiToken`]) and the
//! `api_token_hashes` tree (hash of the secret → id), written together in one transaction.
//! Every write passes the backup's gate (`Db::writing`).

use chrono::{DateTime, Utc};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::tokens::{ApiToken, TokenRepo};

const TOKENS: &str = "api_tokens";
const HASHES: &str = "api_token_hashes";

fn decode(bytes: &[u8]) -> Result<ApiToken, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Corrupt(format!("api token: {e}")))
}

impl Db {
    /// Changes one token in place.
    fn update_token(&self, id: &str, change: impl Fn(&mut ApiToken)) -> Result<bool, StateError> {
        let tree = self.tree(TOKENS)?;
        // `None` from the closure would delete the key: an unreadable value is kept as it is
        let out = tree.update_and_fetch(id.as_bytes(), |old| {
            let old = old?;
            let Ok(mut t) = serde_json::from_slice::<ApiToken>(old) else { return Some(old.to_vec()) };
            change(&mut t);
            Some(serde_json::to_vec(&t).unwrap_or_else(|_| old.to_vec()))
        })?;
        Ok(out.is_some())
    }
}

impl TokenRepo for Db {
    fn insert(&self, secret_hash: &[u8], token: &ApiToken) -> Result<bool, StateError> {
        let _w = self.writing();
        let bytes = serde_json::to_vec(token).map_err(corrupt)?;
        let (tokens, hashes) = (self.tree(TOKENS)?, self.tree(HASHES)?);
        let result = (&tokens, &hashes).transaction(|(t, h)| {
            if t.get(token.id.as_bytes())?.is_some() || h.get(secret_hash)?.is_some() {
                return Err(ConflictableTransactionError::Abort(()));
            }
            t.insert(token.id.as_bytes(), bytes.clone())?;
            h.insert(secret_hash, token.id.as_bytes())?;
            Ok(())
        });
        let inserted = match result {
            Ok(()) => true,
            Err(TransactionError::Abort(())) => false,
            Err(TransactionError::Storage(e)) => return Err(e.into()),
        };
        self.flush()?;
        Ok(inserted)
    }

    fn by_hash(&self, secret_hash: &[u8]) -> Result<Option<ApiToken>, StateError> {
        let Some(id) = self.tree(HASHES)?.get(secret_hash)? else { return Ok(None) };
        match self.tree(TOKENS)?.get(&id)? {
            Some(bytes) => Ok(Some(decode(&bytes)?)),
            None => Ok(None),
        }
    }

    fn get(&self, id: &str) -> Result<Option<ApiToken>, StateError> {
        match self.tree(TOKENS)?.get(id.as_bytes())? {
            Some(bytes) => Ok(Some(decode(&bytes)?)),
            None => Ok(None),
        }
    }

    fn list(&self) -> Result<Vec<ApiToken>, StateError> {
        let mut out = Vec::new();
        for item in self.tree(TOKENS)?.iter() {
            out.push(decode(&item?.1)?);
        }
        out.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        Ok(out)
    }

    fn revoke(&self, id: &str, at: DateTime<Utc>) -> Result<bool, StateError> {
        let _w = self.writing();
        let found = self.update_token(id, |t| {
            t.revoked.get_or_insert(at);
        })?;
        self.flush()?;
        Ok(found)
    }

    fn touch(&self, id: &str, at: DateTime<Utc>) -> Result<(), StateError> {
        let _w = self.writing();
        self.update_token(id, |t| t.last_used = Some(at))?;
        // a lost last-use time is harmless: not flushed on every request
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    type Write = fn(&Db, &ApiToken);

    /// A backup copies the trees while the gate is closed: every token write waits for it, so a
    /// copy never holds a token without its hash (or the other way round).
    #[test]
    fn token_writes_wait_while_a_backup_copies() {
        let db = Arc::new(Db::temporary().unwrap());
        let token = ApiToken {
            id: "t1".into(),
            user: "anna".into(),
            created: Utc::now(),
            created_by: "admin".into(),
            expires: None,
            last_used: None,
            revoked: None,
        };
        let writes: [(&str, Write); 3] = [
            ("insert", |db, t| assert!(db.insert(b"hash", t).unwrap())),
            ("touch", |db, t| db.touch(&t.id, Utc::now()).unwrap()),
            ("revoke", |db, t| assert!(db.revoke(&t.id, Utc::now()).unwrap())),
        ];
        for (name, write) in writes {
            let closed = db.gate.close();
            let (done, finished) = mpsc::channel();
            let (db2, t) = (db.clone(), token.clone());
            let writer = std::thread::spawn(move || {
                write(&db2, &t);
                done.send(()).unwrap();
            });
            assert!(finished.recv_timeout(Duration::from_millis(300)).is_err(), "{name} went past a closed gate");
            drop(closed);
            finished.recv().unwrap();
            writer.join().unwrap();
        }
        let t = db.get("t1").unwrap().unwrap();
        assert!(t.last_used.is_some() && t.revoked.is_some());
    }
}
