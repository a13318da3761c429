//! Operational state in sled: everything that is not catalogue content (DESIGN.md decision 6).
//!
//! Owns: the one sled database in `{data_dir}/state` and the names of its trees. Each concern
//! (users and sessions, revisions, comments, the audit log, harvest runs) lives in its own
//! submodule with its own tree(s) and typed values; this module only opens the database, hands
//! out trees by name and flushes.
//!
//! Does not: hold RDF catalogue content as ground truth (the store does), or know HTTP.

pub mod audit;
pub mod comments;
pub mod revisions;
pub mod harvest;
pub mod journal;
pub mod sessions;
pub mod uploads;
pub mod users;

use std::path::Path;

use thiserror::Error;

/// A failure of the state database.
#[derive(Debug, Error)]
pub enum StateError {
    #[error("the state database (sled) failed: {0}")]
    Sled(#[from] sled::Error),
    #[error("a stored value could not be read: {0}")]
    Corrupt(String),
    /// A write expected another latest revision of a record, or the record is held by a
    /// commit under way (`pending`).
    #[error("<{iri}> changed meanwhile (its latest revision is {}){}", latest.map_or_else(|| "none".to_owned(), |l| l.to_string()), if *pending { "; a publication of it is under way" } else { "" })]
    Conflict { iri: String, latest: Option<u64>, author: String, pending: bool },
}

/// The sled database holding operational state.
#[derive(Clone)]
pub struct State {
    db: sled::Db,
}

impl State {
    /// Opens (or creates) the state database in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StateError> {
        Ok(Self { db: sled::Config::new().path(dir).open()? })
    }

    /// A database that lives in memory only (tests).
    pub fn temporary() -> Result<Self, StateError> {
        Ok(Self { db: sled::Config::new().temporary(true).open()? })
    }

    /// The tree called `name`, created on first use. Each submodule names its own trees.
    pub fn tree(&self, name: &str) -> Result<sled::Tree, StateError> {
        Ok(self.db.open_tree(name)?)
    }

    /// A fresh monotonically increasing id (unique within this database).
    pub fn next_id(&self) -> Result<u64, StateError> {
        Ok(self.db.generate_id()?)
    }

    /// Writes everything to disk.
    pub fn flush(&self) -> Result<(), StateError> {
        self.db.flush()?;
        Ok(())
    }

    /// The underlying database, for transactions over several trees.
    pub fn db(&self) -> &sled::Db {
        &self.db
    }
}
