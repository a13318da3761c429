//! Saved lists in sled: the `variable_lists` tree (id → JSON [`SavedList`]) and its index by
//! owner, `variable_lists_by_owner` (owner, NUL, id → nothing), written together in one sled
//! transaction.

use chrono::{DateTime, Utc};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::lists::{ListRepo, SavedList, changed_meanwhile};

const TREE: &str = "variable_lists";
const BY_OWNER: &str = "variable_lists_by_owner";

fn owner_key(owner: &str, id: &str) -> Vec<u8> {
    let mut k = owner.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

fn read(v: &[u8]) -> Result<SavedList, StateError> {
    serde_json::from_slice(v).map_err(|e| StateError::Corrupt(format!("saved list: {e}")))
}

fn failed(e: TransactionError<StateError>) -> StateError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => e.into(),
    }
}

impl ListRepo for Db {
    fn create_list(&self, list: &SavedList) -> Result<bool, StateError> {
        let _w = self.writing();
        let value = serde_json::to_vec(list).map_err(corrupt)?;
        let (lists, owners) = (self.tree(TREE)?, self.tree(BY_OWNER)?);
        let created = (&lists, &owners)
            .transaction(|(l, o)| {
                if l.get(list.id.as_bytes())?.is_some() {
                    return Ok(false);
                }
                l.insert(list.id.as_bytes(), value.as_slice())?;
                o.insert(owner_key(&list.owner, &list.id), &[][..])?;
                Ok::<_, ConflictableTransactionError<StateError>>(true)
            })
            .map_err(failed)?;
        self.flush()?;
        Ok(created)
    }

    fn get_list(&self, id: &str) -> Result<Option<SavedList>, StateError> {
        self.tree(TREE)?.get(id.as_bytes())?.map(|v| read(&v)).transpose()
    }

    fn lists_of(&self, owner: &str) -> Result<Vec<SavedList>, StateError> {
        let mut prefix = owner.as_bytes().to_vec();
        prefix.push(0);
        let lists = self.tree(TREE)?;
        let mut out = Vec::new();
        for item in self.tree(BY_OWNER)?.scan_prefix(&prefix) {
            let (k, _) = item?;
            if let Some(v) = lists.get(&k[prefix.len()..])? {
                out.push(read(&v)?);
            }
        }
        out.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    fn update_list(&self, list: &SavedList, expected: DateTime<Utc>) -> Result<bool, StateError> {
        let _w = self.writing();
        let value = serde_json::to_vec(list).map_err(corrupt)?;
        let (lists, owners) = (self.tree(TREE)?, self.tree(BY_OWNER)?);
        let found = (&lists, &owners)
            .transaction(|(l, o)| {
                let Some(old) = l.get(list.id.as_bytes())? else { return Ok(false) };
                let old = read(&old).map_err(ConflictableTransactionError::Abort)?;
                if old.updated != expected {
                    return Err(ConflictableTransactionError::Abort(changed_meanwhile(&list.id)));
                }
                if old.owner != list.owner {
                    o.remove(owner_key(&old.owner, &old.id))?;
                    o.insert(owner_key(&list.owner, &list.id), &[][..])?;
                }
                l.insert(list.id.as_bytes(), value.as_slice())?;
                Ok(true)
            })
            .map_err(failed)?;
        self.flush()?;
        Ok(found)
    }

    fn delete_list(&self, id: &str) -> Result<bool, StateError> {
        let _w = self.writing();
        let (lists, owners) = (self.tree(TREE)?, self.tree(BY_OWNER)?);
        let found = (&lists, &owners)
            .transaction(|(l, o)| {
                let Some(old) = l.remove(id.as_bytes())? else { return Ok(false) };
                let old = read(&old).map_err(ConflictableTransactionError::Abort)?;
                o.remove(owner_key(&old.owner, id))?;
                Ok(true)
            })
            .map_err(failed)?;
        self.flush()?;
        Ok(found)
    }
}
