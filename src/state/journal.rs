//! The journal of writes that span the record store and the state database.
//!
//! A publication (or retirement, or harvest run) changes the store *and* the state (revisions,
//! audit log, harvest bookkeeping). The two cannot share one transaction, so the pair has one
//! commit point, the store's commit, and the journal makes the rest follow (`crate::ledger`):
//!
//! 1. [`RevisionRepo::begin`]: one state transaction checks what the writer expected (the
//!    record's latest revision), stores the [`JournalEntry`] (everything the state will record)
//!    and *holds* its records, so that no other save of them can slip in until the entry ends.
//! 2. The store commits the batch, named by the entry's [`CommitId`] (the commit point).
//! 3. [`RevisionRepo::finish`]: one state transaction writes the entry's revisions, audit notes
//!    and harvest bookkeeping, removes the entry and releases the holds. Only then is the write
//!    acknowledged.
//!
//! If the store refuses the batch, [`RevisionRepo::abandon`] drops the entry. If the process
//! dies between the steps, start-up recovery asks the store whether the batch committed
//! ([`crate::store::RecordStore::find_commit`]) and then finishes or abandons each pending
//! entry, so the store and the history never disagree.
//!
//! [`RevisionRepo::begin`]: super::revisions::RevisionRepo::begin
//! [`RevisionRepo::finish`]: super::revisions::RevisionRepo::finish
//! [`RevisionRepo::abandon`]: super::revisions::RevisionRepo::abandon

pub use super::revisions::{HarvestEffect, JournalEntry};
