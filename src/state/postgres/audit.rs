//! The audit log in PostgreSQL: the `audit` table, one row per entry, ids from its sequence.
//! Nothing here updates or deletes a row.

use super::{Db, now, pg, to_u64};
use crate::state::StateError;
use crate::state::audit::{AuditRepo, Entry};

/// An entry from a row of its columns in table order.
fn entry(r: &::postgres::Row) -> Entry {
    Entry { id: to_u64(r.get(0)), time: r.get(1), who: r.get(2), action: r.get(3), target: r.get(4), detail: r.get(5) }
}

/// Appends an entry inside a transaction (or on a connection) at `time`.
pub(super) fn insert(
    c: &mut impl ::postgres::GenericClient,
    time: chrono::DateTime<chrono::Utc>,
    who: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), StateError> {
    c.execute(
        "INSERT INTO audit (time, who, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        &[&time, &who, &action, &target, &detail],
    )
    .map_err(pg)?;
    Ok(())
}

impl AuditRepo for Db {
    fn record(&self, who: &str, action: &str, target: &str, detail: &str) -> Result<(), StateError> {
        self.with(|c| insert(c, now(), who, action, target, detail))
    }

    fn count(&self) -> Result<usize, StateError> {
        self.with(|c| {
            let n: i64 = c.query_one("SELECT count(*) FROM audit", &[]).map_err(pg)?.get(0);
            Ok(usize::try_from(n).unwrap_or(0))
        })
    }

    fn newest(&self, offset: usize, limit: usize) -> Result<Vec<Entry>, StateError> {
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with(|c| {
            let rows = c
                .query("SELECT id, time, who, action, target, detail FROM audit ORDER BY id DESC OFFSET $1 LIMIT $2", &[&offset, &limit])
                .map_err(pg)?;
            Ok(rows.iter().map(entry).collect())
        })
    }

    fn about(&self, target: &str) -> Result<Vec<Entry>, StateError> {
        self.with(|c| {
            let rows =
                c.query("SELECT id, time, who, action, target, detail FROM audit WHERE target = $1 ORDER BY id", &[&target]).map_err(pg)?;
            Ok(rows.iter().map(entry).collect())
        })
    }
}
