//! Crash points for the crash-recovery tests.
//!
//! A test starts the real binary with `VARDKATALOG_FAULT=<point>`; when the process reaches that
//! point it aborts at once (no destructor, no flush: the same as `kill -9` at that instant).
//! The points sit between the steps of a write that spans the record store and the state
//! database (`crate::ledger`), where a crash from outside could never be aimed. Without the
//! variable a point costs one comparison.

use std::sync::OnceLock;

/// The named points (the value of `VARDKATALOG_FAULT`).
pub const AFTER_JOURNAL: &str = "after-journal";
pub const AFTER_STORE_COMMIT: &str = "after-store-commit";
/// Inside a bulk commit of the embedded store: the records are ingested, the generation
/// counter not yet written.
pub const AFTER_BULK_INGEST: &str = "after-bulk-ingest";
/// Inside a commit of a large batch to a remote store: every part is staged, the update that
/// moves them into place not yet sent.
pub const AFTER_REMOTE_STAGING: &str = "after-remote-staging";

/// Aborts the process when `VARDKATALOG_FAULT` names this point.
pub fn point(name: &str) {
    static WANTED: OnceLock<Option<String>> = OnceLock::new();
    let wanted = WANTED.get_or_init(|| std::env::var("VARDKATALOG_FAULT").ok().filter(|v| !v.is_empty()));
    if wanted.as_deref() == Some(name) {
        std::process::abort();
    }
}
