//! Saved lists in PostgreSQL: the `variable_lists` table (id → JSON [`SavedList`], owner and
//! last change beside it); a change is compare-and-set on the `stamp` of the last change.

use chrono::{DateTime, SecondsFormat, Utc};

use super::{Db, from_json, json, pg};
use crate::state::StateError;
use crate::state::lists::{ListRepo, SavedList, changed_meanwhile};

/// The compare-and-set key of a change time: exact to the nanosecond, as the JSON keeps it.
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

impl ListRepo for Db {
    fn create_list(&self, list: &SavedList) -> Result<bool, StateError> {
        let value = json(list)?;
        let n = self.with(|c| {
            c.execute(
                "INSERT INTO variable_lists (id, owner, updated, stamp, value) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                &[&list.id, &list.owner, &list.updated, &stamp(list.updated), &value],
            )
            .map_err(pg)
        })?;
        Ok(n == 1)
    }

    fn get_list(&self, id: &str) -> Result<Option<SavedList>, StateError> {
        let row = self.with(|c| c.query_opt("SELECT value FROM variable_lists WHERE id = $1", &[&id]).map_err(pg))?;
        row.map(|r| from_json("saved list", r.get(0))).transpose()
    }

    fn lists_of(&self, owner: &str) -> Result<Vec<SavedList>, StateError> {
        let rows =
            self.with(|c| c.query("SELECT value FROM variable_lists WHERE owner = $1 ORDER BY updated DESC, id", &[&owner]).map_err(pg))?;
        rows.iter().map(|r| from_json("saved list", r.get(0))).collect()
    }

    fn update_list(&self, list: &SavedList, expected: DateTime<Utc>) -> Result<bool, StateError> {
        let value = json(list)?;
        self.tx(|tx| {
            let n = tx
                .execute(
                    "UPDATE variable_lists SET owner = $2, updated = $3, stamp = $4, value = $5 WHERE id = $1 AND stamp = $6",
                    &[&list.id, &list.owner, &list.updated, &stamp(list.updated), &value, &stamp(expected)],
                )
                .map_err(pg)?;
            if n == 1 {
                return Ok(true);
            }
            let exists = tx.query_opt("SELECT 1 FROM variable_lists WHERE id = $1", &[&list.id]).map_err(pg)?.is_some();
            if exists { Err(changed_meanwhile(&list.id)) } else { Ok(false) }
        })
    }

    fn delete_list(&self, id: &str) -> Result<bool, StateError> {
        let n = self.with(|c| c.execute("DELETE FROM variable_lists WHERE id = $1", &[&id]).map_err(pg))?;
        Ok(n == 1)
    }
}
