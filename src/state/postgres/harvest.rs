//! Harvest bookkeeping in PostgreSQL: the tables `harvest_runs` (run id → JSON [`RunReport`],
//! ids from the sequence `harvest_run_ids`), `harvest_owned` (source and record IRI → JSON
//! [`Written`]), `harvest_pages` (source → JSON [`Pages`] of its last successful run) and
//! `harvest_sources` (id → a source defined on the admin page, its JSON).

use super::{Db, from_json, json, pg, to_i64, to_u64};
use crate::state::StateError;
use crate::state::harvest::{HarvestRepo, Pages, RunReport, RunStatus, Written};

/// Stores a run report inside a transaction (or on a connection).
pub(super) fn save_run(c: &mut impl ::postgres::GenericClient, report: &RunReport) -> Result<(), StateError> {
    let value = json(report)?;
    c.execute(
        "INSERT INTO harvest_runs (id, source, value) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET source = EXCLUDED.source, value = EXCLUDED.value",
        &[&to_i64(report.id)?, &report.source, &value],
    )
    .map_err(pg)?;
    Ok(())
}

/// Writes bookkeeping entries (`None` removes one) inside a transaction.
pub(super) fn write_owned(
    c: &mut impl ::postgres::GenericClient,
    source: &str,
    entries: &[(String, Option<Written>)],
) -> Result<(), StateError> {
    for (iri, w) in entries {
        match w {
            Some(w) => c.execute(
                "INSERT INTO harvest_owned (source, iri, value) VALUES ($1, $2, $3)
                 ON CONFLICT (source, iri) DO UPDATE SET value = EXCLUDED.value",
                &[&source, iri, &json(w)?],
            ),
            None => c.execute("DELETE FROM harvest_owned WHERE source = $1 AND iri = $2", &[&source, iri]),
        }
        .map_err(pg)?;
    }
    Ok(())
}

impl HarvestRepo for Db {
    fn save_run(&self, report: &RunReport) -> Result<(), StateError> {
        self.with(|c| save_run(c, report))
    }

    fn next_run_id(&self) -> Result<u64, StateError> {
        self.with(|c| Ok(to_u64(c.query_one("SELECT nextval('harvest_run_ids')", &[]).map_err(pg)?.get(0))))
    }

    fn runs(&self, source: Option<&str>, limit: usize) -> Result<Vec<RunReport>, StateError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with(|c| {
            let rows = match source {
                Some(s) => c.query("SELECT value FROM harvest_runs WHERE source = $1 ORDER BY id DESC LIMIT $2", &[&s, &limit]),
                None => c.query("SELECT value FROM harvest_runs ORDER BY id DESC LIMIT $1", &[&limit]),
            }
            .map_err(pg)?;
            rows.iter().map(|r| from_json("harvest run", r.get(0))).collect()
        })
    }

    fn run(&self, id: u64) -> Result<Option<RunReport>, StateError> {
        let id = to_i64(id)?;
        self.with(|c| {
            let row = c.query_opt("SELECT value FROM harvest_runs WHERE id = $1", &[&id]).map_err(pg)?;
            row.map(|r| from_json("harvest run", r.get(0))).transpose()
        })
    }

    fn mark_interrupted(&self, source: Option<&str>) -> Result<usize, StateError> {
        self.tx(|tx| {
            let rows = match source {
                Some(s) => tx.query("SELECT value FROM harvest_runs WHERE source = $1 FOR UPDATE", &[&s]),
                None => tx.query("SELECT value FROM harvest_runs FOR UPDATE", &[]),
            }
            .map_err(pg)?;
            let mut n = 0;
            for row in rows {
                let mut r: RunReport = from_json("harvest run", row.get(0))?;
                if r.status == RunStatus::Running {
                    r.status = RunStatus::Interrupted;
                    r.errors.push("the process ended during the run; nothing was committed".into());
                    save_run(tx, &r)?;
                    n += 1;
                }
            }
            Ok(n)
        })
    }

    fn owned(&self, source: &str) -> Result<Vec<(String, Written)>, StateError> {
        self.with(|c| {
            let rows =
                c.query("SELECT iri, value FROM harvest_owned WHERE source = $1 ORDER BY iri COLLATE \"C\"", &[&source]).map_err(pg)?;
            rows.iter().map(|r| Ok((r.get::<_, String>(0), from_json("harvest bookkeeping", r.get(1))?))).collect()
        })
    }

    fn write_owned(&self, source: &str, entries: &[(String, Option<Written>)]) -> Result<(), StateError> {
        self.tx(|tx| write_owned(tx, source, entries))
    }

    fn pages(&self, source: &str) -> Result<Option<Pages>, StateError> {
        self.with(|c| {
            let row = c.query_opt("SELECT value FROM harvest_pages WHERE source = $1", &[&source]).map_err(pg)?;
            row.map(|r| from_json("harvest pages", r.get(0))).transpose()
        })
    }

    fn save_pages(&self, source: &str, pages: &Pages) -> Result<(), StateError> {
        let value = json(pages)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO harvest_pages (source, value) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET value = EXCLUDED.value",
                &[&source, &value],
            )
            .map_err(pg)?;
            Ok(())
        })
    }

    fn stored_sources(&self) -> Result<Vec<(String, Vec<u8>)>, StateError> {
        self.with(|c| {
            let rows = c.query("SELECT id, value FROM harvest_sources ORDER BY id COLLATE \"C\"", &[]).map_err(pg)?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    fn store_source(&self, id: &str, json: &[u8]) -> Result<(), StateError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO harvest_sources (id, value) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value",
                &[&id, &json],
            )
            .map_err(pg)?;
            Ok(())
        })
    }

    fn remove_source(&self, id: &str) -> Result<(), StateError> {
        self.with(|c| {
            c.execute("DELETE FROM harvest_sources WHERE id = $1", &[&id]).map_err(pg)?;
            Ok(())
        })
    }
}
