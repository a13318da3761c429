//! The embedded state database: sled, in `{data_dir}/state`. One [`Db`] implements every
//! repository of `crate::state`; each concern keeps its own trees (named in its file). Every
//! write is flushed (fsync) before it returns.

mod audit;
mod comments;
mod harvest;
mod journal;
mod label;
mod leases;
mod lists;
mod revisions;
mod sessions;
mod tokens;
mod uploads;
mod users;

use std::path::Path;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::state::journal::JournalEntry;
use crate::state::revisions::{AuditNote, Expectation, NewRevision, OpenDraft, Revision, RevisionRepo};
use crate::state::{Flush, StateError};
use crate::store::CommitId;

/// sled's default persist interval of its id counter (`Config::idgen_persist_interval`).
const IDGEN_PERSIST_INTERVAL: u64 = 1_000_000;

/// How long [`Db::open`] waits for a lock this process's previous handle is letting go of.
const REOPEN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The sled database.
pub(crate) struct Db {
    db: ::sled::Db,
    /// Every write passes it; a backup closes it while it copies (see [`Gate`]).
    gate: Gate,
}

impl Db {
    /// Opens the database in `dir`. sled's background flusher lets go of the directory's lock
    /// a moment after the last handle of the same directory in this process is dropped (a
    /// restore, a reopen), so a lock held here is waited for briefly; a lock another process
    /// holds is still an error after that.
    pub(crate) fn open(dir: &Path) -> Result<Self, StateError> {
        let deadline = std::time::Instant::now() + REOPEN_WAIT;
        loop {
            match ::sled::Config::new().path(dir).open() {
                Ok(db) => return Ok(Self { db, gate: Gate::default() }),
                // sled reports it as `ErrorKind::Other` with this text (sled 0.34, config.rs)
                Err(::sled::Error::Io(e))
                    if e.to_string().starts_with("could not acquire lock") && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    pub(crate) fn temporary() -> Result<Self, StateError> {
        Ok(Self { db: ::sled::Config::new().temporary(true).open()?, gate: Gate::default() })
    }

    /// Held by every write method for its whole run (sled has no snapshot across trees, so a
    /// backup keeps writers out instead).
    fn writing(&self) -> Pass<'_> {
        self.gate.enter()
    }

    /// Copies every tree into a new database in `dir` while no write is under way: a consistent
    /// snapshot, usable as a state directory as it is. Writers wait while it copies; readers do
    /// not.
    fn snapshot(&self, dir: &Path) -> Result<(), StateError> {
        let _closed = self.gate.close();
        // ids handed out so far: the copy must never hand them out again
        let next_id = self.db.generate_id()?;
        let copy = ::sled::Config::new().path(dir).open()?;
        for name in self.db.tree_names() {
            let (from, to) = (self.db.open_tree(&name)?, copy.open_tree(&name)?);
            for item in from.iter() {
                let (k, v) = item?;
                to.insert(k, v)?;
            }
        }
        // sled persists its id counter when an id reaches a multiple of its persist interval (a
        // million by default; it checks that the stored counter is one), and starts past the
        // stored counter when it opens again: handing out ids up to the multiple at or above
        // `next_id` makes the copy never hand out an id of this database again (a million
        // increments of an atomic counter, once per backup)
        let target = next_id.div_ceil(IDGEN_PERSIST_INTERVAL) * IDGEN_PERSIST_INTERVAL;
        while copy.generate_id()? < target {}
        copy.flush()?;
        Ok(())
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

    fn snapshot_into(&self, dir: &Path) -> Result<(), StateError> {
        self.snapshot(dir)
    }
}

/// The door writes pass through, closed while a backup copies. Re-entrant: a thread already
/// inside (a write method calling another) passes even while a backup waits to close it.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    writers: usize,
    closed: bool,
}

thread_local! {
    /// The gates this thread is inside, with how many times.
    static INSIDE: std::cell::RefCell<Vec<(usize, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A writer inside the gate.
struct Pass<'a>(&'a Gate);

/// The gate kept closed.
struct Closed<'a>(&'a Gate);

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn id(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    fn enter(&self) -> Pass<'_> {
        let reentry = INSIDE.with_borrow_mut(|inside| match inside.iter_mut().find(|(g, _)| *g == self.id()) {
            Some((_, n)) => {
                *n += 1;
                true
            }
            None => false,
        });
        if !reentry {
            let mut s = self.lock();
            while s.closed {
                s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
            }
            s.writers += 1;
            drop(s);
            INSIDE.with_borrow_mut(|inside| inside.push((self.id(), 1)));
        }
        Pass(self)
    }

    fn close(&self) -> Closed<'_> {
        let mut s = self.lock();
        while s.closed {
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        s.closed = true;
        while s.writers > 0 {
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        Closed(self)
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let id = self.0.id();
        let left = INSIDE.with_borrow_mut(|inside| {
            let at = inside.iter().position(|(g, _)| *g == id)?;
            inside[at].1 -= 1;
            (inside[at].1 == 0).then(|| inside.swap_remove(at))
        });
        if left.is_some() {
            self.0.lock().writers -= 1;
            self.0.changed.notify_all();
        }
    }
}

impl Drop for Closed<'_> {
    fn drop(&mut self) {
        self.0.lock().closed = false;
        self.0.changed.notify_all();
    }
}

fn corrupt(e: serde_json::Error) -> StateError {
    StateError::Corrupt(e.to_string())
}

impl RevisionRepo for Db {
    fn append(&self, new: &[NewRevision], notes: &[AuditNote], expect: &[Expectation]) -> Result<Vec<Revision>, StateError> {
        let _w = self.writing();
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

    fn public(&self, before: Option<u64>, limit: usize) -> Result<Vec<Revision>, StateError> {
        revisions::public(self, before, limit)
    }

    fn open_draft(&self, iri: &str) -> Result<Option<OpenDraft>, StateError> {
        revisions::open_draft(self, iri)
    }

    fn open_drafts(&self) -> Result<Vec<(String, OpenDraft)>, StateError> {
        revisions::open_drafts(self)
    }

    fn begin(&self, entry: &JournalEntry, expect: &[Expectation]) -> Result<(), StateError> {
        let _w = self.writing();
        journal::begin(self, entry, expect)
    }

    fn finish(&self, id: &CommitId) -> Result<Option<Vec<Revision>>, StateError> {
        let _w = self.writing();
        journal::finish(self, id)
    }

    fn abandon(&self, id: &CommitId) -> Result<(), StateError> {
        let _w = self.writing();
        journal::abandon(self, id)
    }

    fn pending(&self) -> Result<Vec<JournalEntry>, StateError> {
        journal::pending(self)
    }
}
