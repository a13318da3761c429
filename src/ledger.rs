//! One commit point for writes that span the record store and the state database.
//!
//! Owns: the order of the steps (journal entry, store commit, journal finish; see
//! `state::journal`) and start-up recovery of entries a crash left behind. Curation's
//! publication and retirement and every harvest run write through [`Ledger::commit`]; a write
//! is acknowledged only when both sides hold it, and a crash at any point leaves them
//! reconcilable: the store's change log says whether the batch committed.
//! Does not: decide what to write (the curation and harvest services do).

use std::time::Duration;

use chrono::Utc;

use crate::catalog::Catalogue;
use crate::fault;
use crate::state::harvest::RunStatus;
use crate::state::journal::JournalEntry;
use crate::state::revisions::{Expectation, Revision};
use crate::state::{State, StateError};
use crate::store::{Batch, Committed, StoreError};

/// Why a write was not made.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    State(#[from] StateError),
}

/// What start-up recovery did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// Entries whose batch had committed: their history, audit and bookkeeping were written.
    pub finished: usize,
    /// Entries whose batch had not committed: dropped (nothing had been acknowledged).
    pub abandoned: usize,
    /// Harvest runs left "running" by a process that ended.
    pub interrupted_runs: usize,
}

/// Writes through the store and the state with one commit point.
pub struct Ledger<'a> {
    catalogue: &'a Catalogue,
    state: &'a State,
}

impl<'a> Ledger<'a> {
    pub fn new(catalogue: &'a Catalogue, state: &'a State) -> Self {
        Self { catalogue, state }
    }

    /// Commits `batch` to the store and `entry` to the state, or neither. `expect` names the
    /// latest revisions the writer based its change on. The batch takes the entry's id.
    pub fn commit(&self, mut batch: Batch, entry: JournalEntry, expect: &[Expectation]) -> Result<(Committed, Vec<Revision>), LedgerError> {
        batch.id = entry.id.clone();
        self.state.revisions.begin(&entry, expect)?;
        fault::point(fault::AFTER_JOURNAL);
        let committed = match self.catalogue.commit(&batch) {
            Ok(c) => c,
            Err(e) => {
                // a remote store may have committed before the answer was lost: ask it
                match self.catalogue.store().find_commit(&entry.id) {
                    Ok(Some(generation)) => {
                        tracing::warn!(error = %e, generation, "the store reported an error but holds the commit; finishing it");
                        let written = self.state.revisions.finish(&entry.id)?.unwrap_or_default();
                        let revs = batch.writes.iter().map(|w| (w.iri().clone(), 0)).collect();
                        return Ok((Committed { generation, revs }, written));
                    }
                    Ok(None) => self.state.revisions.abandon(&entry.id)?,
                    Err(lookup) => {
                        tracing::error!(error = %lookup, "whether the commit happened is unknown; recovery decides")
                    }
                }
                return Err(e.into());
            }
        };
        fault::point(fault::AFTER_STORE_COMMIT);
        let written = self.state.revisions.finish(&entry.id)?.unwrap_or_default();
        Ok((committed, written))
    }

    /// Reconciles the journal with the store: every entry older than `min_age` is finished when
    /// its batch committed and dropped when it did not; then harvest runs still shown as
    /// running (their process ended) are marked interrupted. At start-up of the embedded store
    /// (which one process holds) `min_age` is zero.
    pub fn recover(&self, min_age: Duration) -> Result<Recovery, LedgerError> {
        let mut out = self.recover_journal(min_age)?;
        out.interrupted_runs = self.state.harvest.mark_interrupted(None)?;
        Ok(out)
    }

    /// Reconciles the journal entries older than `min_age` with the store, and nothing else:
    /// what a node sharing its state with others runs (at start and from time to time), where
    /// a younger entry, or a run shown as running, may be another node's write under way.
    pub fn recover_journal(&self, min_age: Duration) -> Result<Recovery, LedgerError> {
        let mut out = Recovery::default();
        let now = Utc::now();
        for entry in self.state.revisions.pending()? {
            let age = (now - entry.created).to_std().unwrap_or_default();
            if age < min_age {
                continue;
            }
            match self.catalogue.store().find_commit(&entry.id)? {
                Some(generation) => {
                    self.state.revisions.finish(&entry.id)?;
                    if let Some(h) = &entry.harvest
                        && let Some(mut report) = self.state.harvest.run(h.report.id)?
                    {
                        report.status = RunStatus::Interrupted;
                        report.errors.push(format!(
                                "the process ended after the run's changes were committed (store generation {generation}): {} new, {} changed, {} retired are in the catalogue",
                                h.report.new, h.report.changed, h.report.retired
                            ));
                        self.state.harvest.save_run(&report)?;
                    }
                    tracing::warn!(commit = %entry.id, generation, "recovered a write the store had committed: its history was written");
                    out.finished += 1;
                }
                None => {
                    self.state.revisions.abandon(&entry.id)?;
                    tracing::warn!(commit = %entry.id, "dropped a write the store never committed (it was not acknowledged)");
                    out.abandoned += 1;
                }
            }
        }
        Ok(out)
    }
}
