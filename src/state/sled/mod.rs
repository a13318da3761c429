//! The embedded state database: sled, in `{data_dir}/state`. One [`Db`] implements every
//! repository of `crate::state`; each concern keeps its own trees (named in its file). Every
//! write is flushed (fsync) before it returns.

mod audit;
mod comments;
mod harvest;
mod journal;
mod revisions;
mod sessions;
mod tokens;
mod uploads;
mod users;

use std::path::Path;

use crate::state::journal::JournalEntry;
use crate::state::revisions::{AuditNote, Expectation, NewRevision, OpenDraft, Revision, RevisionRepo};
use crate::state::{Flush, StateError};
use crate::store::CommitId;

/// The sled database.
pub(crate) struct Db {
    db: ::sled::Db,
}

impl Db {
    pub(crate) fn open(dir: &Path) -> Result<Self, StateError> {
        Ok(Self { db: ::sled::Config::new().path(dir).open()? })
    }

    pub(crate) fn temporary() -> Result<Self, StateError> {
        Ok(Self { db: ::sled::Config::new().temporary(true).open()? })
    }

    /// The tree called `name`, created on first use.
    fn tree(&self, name: &str) -> Result<::sled::Tree, StateError> {
        Ok(self.db.open_tree(name)?)
    }

    /// A fresh monotonically increasing id (unique within this database).
    fn next_id(&self) -> Result<u64, StateError> {
        Ok(self.db.generate_id()?)
    }

    /// Writes everything to disk.
    fn flush(&self) -> Result<(), StateError> {
        self.db.flush()?;
        Ok(())
    }
}

impl Flush for Db {
    fn flush_all(&self) -> Result<(), StateError> {
        self.flush()
    }
}

fn corrupt(e: serde_json::Error) -> StateError {
    StateError::Corrupt(e.to_string())
}

impl RevisionRepo for Db {
    fn append(&self, new: &[NewRevision], notes: &[AuditNote], expect: &[Expectation]) -> Result<Vec<Revision>, StateError> {
        revisions::append(self, new, notes, expect)
    }

    fn get(&self, id: u64) -> Result<Option<Revision>, StateError> {
        revisions::get(self, id)
    }

    fn of_record(&self, iri: &str) -> Result<Vec<Revision>, StateError> {
        revisions::of_record(self, iri)
    }

    fn latest(&self, iri: &str) -> Result<Option<Revision>, StateError> {
        revisions::latest(self, iri)
    }

    fn open_draft(&self, iri: &str) -> Result<Option<OpenDraft>, StateError> {
        revisions::open_draft(self, iri)
    }

    fn open_drafts(&self) -> Result<Vec<(String, OpenDraft)>, StateError> {
        revisions::open_drafts(self)
    }

    fn begin(&self, entry: &JournalEntry, expect: &[Expectation]) -> Result<(), StateError> {
        journal::begin(self, entry, expect)
    }

    fn finish(&self, id: &CommitId) -> Result<Option<Vec<Revision>>, StateError> {
        journal::finish(self, id)
    }

    fn abandon(&self, id: &CommitId) -> Result<(), StateError> {
        journal::abandon(self, id)
    }

    fn pending(&self) -> Result<Vec<JournalEntry>, StateError> {
        journal::pending(self)
    }
}
