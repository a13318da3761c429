//! Accounts in sled: the `users` tree (name → JSON [`User`]).

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::users::{User, UserRepo};

const TREE: &str = "users";

fn decode(name: &str, bytes: &[u8]) -> Result<User, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Corrupt(format!("user {name}: {e}")))
}

impl UserRepo for Db {
    fn get(&self, name: &str) -> Result<Option<User>, StateError> {
        match self.tree(TREE)?.get(name.as_bytes())? {
            Some(bytes) => Ok(Some(decode(name, &bytes)?)),
            None => Ok(None),
        }
    }

    fn list(&self) -> Result<Vec<User>, StateError> {
        let mut out = Vec::new();
        for item in self.tree(TREE)?.iter() {
            let (k, v) = item?;
            out.push(decode(&String::from_utf8_lossy(&k), &v)?);
        }
        Ok(out)
    }

    fn create(&self, user: &User) -> Result<bool, StateError> {
        let _w = self.writing();
        let bytes = serde_json::to_vec(user).map_err(corrupt)?;
        // insert only when absent: two admins adding the same name at once cannot both succeed
        let created = self.tree(TREE)?.compare_and_swap(user.name.as_bytes(), None as Option<&[u8]>, Some(bytes))?.is_ok();
        self.flush()?;
        Ok(created)
    }

    fn put(&self, user: &User) -> Result<(), StateError> {
        let _w = self.writing();
        let bytes = serde_json::to_vec(user).map_err(corrupt)?;
        self.tree(TREE)?.insert(user.name.as_bytes(), bytes)?;
        self.flush()
    }
}
