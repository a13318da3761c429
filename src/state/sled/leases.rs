//! Leases in sled: the `leases` tree (name → JSON holder and expiry), taken by compare-and-swap.
//! One sled database is one process's, so its clock is the only one.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::leases::LeaseRepo;

const TREE: &str = "leases";

#[derive(Serialize, Deserialize)]
struct Held {
    holder: String,
    expires: DateTime<Utc>,
}

impl LeaseRepo for Db {
    fn take(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool, StateError> {
        let tree = self.tree(TREE)?;
        let now = Utc::now();
        let ttl = chrono::Duration::from_std(ttl).map_err(|e| StateError::Backend(e.to_string()))?;
        let value = serde_json::to_vec(&Held { holder: holder.to_owned(), expires: now + ttl }).map_err(corrupt)?;
        let old = tree.get(name.as_bytes())?;
        if let Some(old) = &old {
            let held: Held = serde_json::from_slice(old).map_err(corrupt)?;
            if held.expires > now {
                return Ok(false);
            }
        }
        let taken = tree.compare_and_swap(name.as_bytes(), old, Some(value))?.is_ok();
        self.flush()?;
        Ok(taken)
    }

    fn renew(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool, StateError> {
        let tree = self.tree(TREE)?;
        let ttl = chrono::Duration::from_std(ttl).map_err(|e| StateError::Backend(e.to_string()))?;
        let Some(old) = tree.get(name.as_bytes())? else { return Ok(false) };
        let held: Held = serde_json::from_slice(&old).map_err(corrupt)?;
        if held.holder != holder {
            return Ok(false);
        }
        let value = serde_json::to_vec(&Held { holder: holder.to_owned(), expires: Utc::now() + ttl }).map_err(corrupt)?;
        let renewed = tree.compare_and_swap(name.as_bytes(), Some(old), Some(value))?.is_ok();
        self.flush()?;
        Ok(renewed)
    }

    fn release(&self, name: &str, holder: &str) -> Result<(), StateError> {
        let tree = self.tree(TREE)?;
        let Some(old) = tree.get(name.as_bytes())? else { return Ok(()) };
        let held: Held = serde_json::from_slice(&old).map_err(corrupt)?;
        if held.holder == holder {
            let _ = tree.compare_and_swap(name.as_bytes(), Some(old), None as Option<&[u8]>)?;
            self.flush()?;
        }
        Ok(())
    }
}
