//! The schema, as numbered SQL files (`migrations/NNNN_name.sql`, embedded), applied at open:
//! every migration not yet in `schema_migrations` runs, in order, in one transaction with the
//! rows that record it, under an advisory lock, so two nodes starting at once apply each once
//! and a failed migration leaves the schema as it was. A database migrated by a newer
//! vardkatalog (a version this one does not know) is refused rather than written.

use super::{Client, pg};
use crate::state::StateError;

/// Every migration: (version, name, SQL). Versions only grow; a released file never changes.
pub(super) const ALL: &[(i32, &str, &str)] = &[
    (1, "users", include_str!("migrations/0001_users.sql")),
    (2, "sessions", include_str!("migrations/0002_sessions.sql")),
    (3, "audit", include_str!("migrations/0003_audit.sql")),
    (4, "revisions", include_str!("migrations/0004_revisions.sql")),
    (5, "comments", include_str!("migrations/0005_comments.sql")),
    (6, "harvest", include_str!("migrations/0006_harvest.sql")),
    (7, "uploads", include_str!("migrations/0007_uploads.sql")),
    (8, "leases", include_str!("migrations/0008_leases.sql")),
    (9, "api_tokens", include_str!("migrations/0009_api_tokens.sql")),
    (10, "variable_lists", include_str!("migrations/0010_variable_lists.sql")),
    (11, "label", include_str!("migrations/0011_label.sql")),
    (12, "published_versions", include_str!("migrations/0012_published_versions.sql")),
    (13, "harvest_pages", include_str!("migrations/0013_harvest_pages.sql")),
];

/// The advisory lock key of migrating (two keys: apart from the records' one-key locks).
const LOCK: (i32, i32) = (0x564b_5354, 1);

/// Applies the migrations the database lacks; returns their versions.
pub(super) fn apply(client: &mut Client) -> Result<Vec<i32>, StateError> {
    let mut tx = client.transaction().map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK.0, &LOCK.1]).map_err(pg)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version integer PRIMARY KEY,
             name text NOT NULL,
             applied timestamptz NOT NULL DEFAULT now()
         )",
    )
    .map_err(pg)?;
    let done: Vec<i32> = tx.query("SELECT version FROM schema_migrations", &[]).map_err(pg)?.iter().map(|r| r.get(0)).collect();
    let known = ALL.iter().map(|(v, _, _)| *v).max().unwrap_or(0);
    if let Some(newer) = done.iter().find(|v| **v > known) {
        return Err(StateError::Backend(format!(
            "the state database has schema version {newer}, newer than this vardkatalog knows ({known}): upgrade vardkatalog"
        )));
    }
    let mut applied = Vec::new();
    for (version, name, sql) in ALL {
        if done.contains(version) {
            continue;
        }
        tx.batch_execute(sql).map_err(|e| StateError::Backend(format!("migration {version} ({name}) failed: {e}")))?;
        tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", &[version, name]).map_err(pg)?;
        applied.push(*version);
    }
    tx.commit().map_err(pg)?;
    if !applied.is_empty() {
        tracing::info!(versions = ?applied, "the state database's schema was brought up to date");
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_grow_by_one_from_one() {
        for (i, (v, _, sql)) in super::ALL.iter().enumerate() {
            assert_eq!(*v as usize, i + 1);
            assert!(!sql.trim().is_empty());
        }
    }
}
