//! Online backup and restore of a data directory.
//!
//! Owns: the backup's layout (`store/`, `state/`, `manifest.json`), taking it while the
//! catalogue keeps serving, and putting one back into an empty data directory.
//! Does not: copy the search index (it is derived: rebuilt from the store at the first start
//! after a restore), or back up a SPARQL engine elsewhere beyond a dump of its graphs.
//!
//! Consistency: the store and the state database are two databases. A backup pauses store
//! commits (`Catalogue::paused`: commits under way finish, new ones wait), then copies the state
//! database while its writers wait (`State::backup`), then takes the store's checkpoint
//! (`RecordStore::backup`: RocksDB's checkpoint for the embedded store), then lets writes go on.
//! No store commit happens between the two copies, so the pair is exactly what a `kill -9` at
//! the moment of the state copy would have left on disk, and the start-up recovery
//! (`crate::ledger`) that handles such a crash finishes or drops a write cut in half when the
//! backup is restored and opened.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalogue;
use crate::state::State;

/// The file that makes a directory a complete backup (written last).
pub const MANIFEST: &str = "manifest.json";
/// The value of [`Manifest::format`].
pub const FORMAT: &str = "vardkatalog-backup/1";

/// What a backup holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The version of vardkatalog that wrote it.
    pub version: String,
    /// The store generation the backup holds (how many batches had committed).
    pub generation: u64,
    /// When the snapshot was taken.
    pub created: DateTime<Utc>,
    /// `embedded` (a RocksDB checkpoint in `store/`) or `remote` (an N-Quads dump of the
    /// engine's graphs in `store/store.nq`).
    pub store: String,
    /// How many records the store held.
    pub records: u64,
    /// What is not in the backup and why.
    pub index: String,
}

/// Why a backup or restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path} is not empty: a backup goes into a new or empty directory")]
    NotEmpty { path: String },
    #[error("{path} is not empty: restore into a new or empty data directory (--data-dir)")]
    TargetNotEmpty { path: String },
    #[error("{path} is not a complete backup (no {MANIFEST}): {reason}")]
    NoBackup { path: String, reason: String },
    #[error("{path} is a backup of a SPARQL engine elsewhere (store/store.nq): load that file into the engine with its own tools")]
    RemoteBackup { path: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the store: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("the state database: {0}")]
    State(#[from] crate::state::StateError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.display().to_string(), source }
}

/// Whether `dir` is absent or an empty directory.
fn absent_or_empty(dir: &Path) -> Result<bool, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io(dir)(e)),
    }
}

/// Takes a consistent snapshot of the store and the state database into `dir` (absent or
/// empty), while both keep serving.
pub fn backup(catalogue: &Catalogue, state: &State, dir: &Path) -> Result<Manifest, BackupError> {
    if !absent_or_empty(dir)? {
        return Err(BackupError::NotEmpty { path: dir.display().to_string() });
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let result = take(catalogue, state, dir);
    if result.is_err() {
        // nothing half-written stays behind to be mistaken for a backup
        for part in ["store", "state", MANIFEST] {
            let p = dir.join(part);
            let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        }
    }
    result
}

fn take(catalogue: &Catalogue, state: &State, dir: &Path) -> Result<Manifest, BackupError> {
    let store = catalogue.store();
    let (generation, records) = catalogue.paused(|| -> Result<(u64, u64), BackupError> {
        state.flush()?;
        state.backup(&dir.join("state"))?;
        store.backup(&dir.join("store"))?;
        Ok((store.generation()?, store.count(&Default::default())?))
    })?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        generation,
        created: Utc::now(),
        store: store.kind().to_owned(),
        records,
        index: "not included: the search index is derived from the store and rebuilt from it at the first start after a restore".to_owned(),
    };
    write_manifest(dir, &manifest)?;
    Ok(manifest)
}

fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    let path = dir.join(MANIFEST);
    let text = serde_json::to_string_pretty(manifest).expect("a manifest serialises");
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(io(&path))?;
    tmp.as_file().sync_all().map_err(io(&path))?;
    tmp.persist(&path).map_err(|e| io(&path)(e.error))?;
    Ok(())
}

/// Reads a backup's manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST);
    let no = |reason: String| BackupError::NoBackup { path: dir.display().to_string(), reason };
    let text = std::fs::read_to_string(&path).map_err(|e| no(e.to_string()))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| no(e.to_string()))?;
    if manifest.format != FORMAT {
        return Err(no(format!("unknown format {:?}", manifest.format)));
    }
    Ok(manifest)
}

/// Puts the backup in `from` into the data directory whose store and state directories are
/// `store_dir` and `state_dir` (the data directory `data_dir` must be absent or empty). The
/// caller opens it afterwards (which rebuilds the search index).
pub fn restore(from: &Path, data_dir: &Path, store_dir: &Path, state_dir: &Path) -> Result<Manifest, BackupError> {
    let manifest = read_manifest(from)?;
    if manifest.store != "embedded" {
        return Err(BackupError::RemoteBackup { path: from.display().to_string() });
    }
    for part in ["store", "state"] {
        if !from.join(part).is_dir() {
            return Err(BackupError::NoBackup { path: from.display().to_string(), reason: format!("{part}/ is missing") });
        }
    }
    if !absent_or_empty(data_dir)? {
        return Err(BackupError::TargetNotEmpty { path: data_dir.display().to_string() });
    }
    copy_dir(&from.join("store"), store_dir)?;
    copy_dir(&from.join("state"), state_dir)?;
    Ok(manifest)
}

/// Copies a directory tree (files and directories only).
fn copy_dir(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let target: PathBuf = to.join(entry.file_name());
        let kind = entry.file_type().map_err(io(&entry.path()))?;
        if kind.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(io(&target))?;
        }
    }
    Ok(())
}
