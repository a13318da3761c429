//! Harvest bookkeeping in sled: the trees `harvest_runs` (run id → [`RunReport`]),
//! `harvest_owned:{source}` (record IRI → [`Written`]), `harvest_pages` (source → the
//! [`Pages`] of its last successful run) and `harvest_sources` (id → a source defined on the
//! admin page, as JSON).

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::harvest::{HarvestRepo, Pages, RunReport, RunStatus, Written};

const RUNS: &str = "harvest_runs";
const SOURCES: &str = "harvest_sources";
const PAGES: &str = "harvest_pages";

pub(super) fn owned_tree(db: &Db, source: &str) -> Result<sled::Tree, StateError> {
    db.tree(&format!("harvest_owned:{source}"))
}

pub(super) fn runs_tree(db: &Db) -> Result<sled::Tree, StateError> {
    db.tree(RUNS)
}

impl HarvestRepo for Db {
    fn save_run(&self, report: &RunReport) -> Result<(), StateError> {
        let _w = self.writing();
        let value = serde_json::to_vec(report).map_err(corrupt)?;
        self.tree(RUNS)?.insert(report.id.to_be_bytes(), value)?;
        self.flush()
    }

    fn next_run_id(&self) -> Result<u64, StateError> {
        // sled's ids are unique and increasing, but may skip after a restart; that is fine
        self.next_id().map(|n| n + 1)
    }

    fn runs(&self, source: Option<&str>, limit: usize) -> Result<Vec<RunReport>, StateError> {
        let mut out = Vec::new();
        for item in self.tree(RUNS)?.iter().rev() {
            let (_, v) = item?;
            let report: RunReport = serde_json::from_slice(&v).map_err(corrupt)?;
            if source.is_none_or(|s| s == report.source) {
                out.push(report);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    fn run(&self, id: u64) -> Result<Option<RunReport>, StateError> {
        match self.tree(RUNS)?.get(id.to_be_bytes())? {
            Some(v) => Ok(Some(serde_json::from_slice(&v).map_err(corrupt)?)),
            None => Ok(None),
        }
    }

    fn mark_interrupted(&self, source: Option<&str>) -> Result<usize, StateError> {
        let _w = self.writing();
        let mut n = 0;
        for mut r in self.runs(source, usize::MAX)? {
            if r.status == RunStatus::Running {
                r.status = RunStatus::Interrupted;
                r.errors.push("the process ended during the run; nothing was committed".into());
                self.save_run(&r)?;
                n += 1;
            }
        }
        Ok(n)
    }

    fn owned(&self, source: &str) -> Result<Vec<(String, Written)>, StateError> {
        let mut out = Vec::new();
        for item in owned_tree(self, source)?.iter() {
            let (k, v) = item?;
            let iri = String::from_utf8(k.to_vec()).map_err(|e| StateError::Corrupt(e.to_string()))?;
            out.push((iri, serde_json::from_slice(&v).map_err(corrupt)?));
        }
        Ok(out)
    }

    fn write_owned(&self, source: &str, entries: &[(String, Option<Written>)]) -> Result<(), StateError> {
        let _w = self.writing();
        let tree = owned_tree(self, source)?;
        let mut batch = sled::Batch::default();
        for (iri, w) in entries {
            match w {
                Some(w) => batch.insert(iri.as_bytes(), serde_json::to_vec(w).map_err(corrupt)?),
                None => batch.remove(iri.as_bytes()),
            }
        }
        tree.apply_batch(batch)?;
        self.flush()
    }

    fn pages(&self, source: &str) -> Result<Option<Pages>, StateError> {
        match self.tree(PAGES)?.get(source.as_bytes())? {
            Some(v) => Ok(Some(serde_json::from_slice(&v).map_err(corrupt)?)),
            None => Ok(None),
        }
    }

    fn save_pages(&self, source: &str, pages: &Pages) -> Result<(), StateError> {
        let _w = self.writing();
        self.tree(PAGES)?.insert(source.as_bytes(), serde_json::to_vec(pages).map_err(corrupt)?)?;
        self.flush()
    }

    fn stored_sources(&self) -> Result<Vec<(String, Vec<u8>)>, StateError> {
        let mut out = Vec::new();
        for item in self.tree(SOURCES)?.iter() {
            let (k, v) = item?;
            out.push((String::from_utf8_lossy(&k).into_owned(), v.to_vec()));
        }
        Ok(out)
    }

    fn store_source(&self, id: &str, json: &[u8]) -> Result<(), StateError> {
        let _w = self.writing();
        self.tree(SOURCES)?.insert(id.as_bytes(), json)?;
        self.flush()
    }

    fn remove_source(&self, id: &str) -> Result<(), StateError> {
        let _w = self.writing();
        self.tree(SOURCES)?.remove(id.as_bytes())?;
        self.flush()
    }
}
