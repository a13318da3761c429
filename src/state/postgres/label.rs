//! The label's statements, memberships and delivery reports in PostgreSQL: the tables of
//! migration 11 (`label_declarations`, `label_attestations`, `label_maturity`, `members`,
//! `deliveries`), each value as JSON text. A write, its audit entry and the step of the
//! `label_changes` sequence are one transaction.

use super::{Db, Tx, audit, from_json, json, now, pg, to_i64, to_u64};
use crate::state::StateError;
use crate::state::deliveries::{DeliveryRepo, DeliveryReport};
use crate::state::label::{Attestation, Declaration, LabelRepo, Maturity};
use crate::state::members::MemberRepo;
use crate::state::revisions::AuditNote;

/// Runs `f` in a transaction with the audit entry of `note` and a step of `label_changes`.
fn write<T: Send>(db: &Db, note: &AuditNote, f: impl FnOnce(&mut Tx<'_>) -> Result<T, StateError> + Send) -> Result<T, StateError> {
    db.tx(|tx| {
        let value = f(tx)?;
        tx.execute("SELECT nextval('label_changes')", &[]).map_err(pg)?;
        audit::insert(tx, now(), &note.who, &note.action, &note.target, &note.detail)?;
        Ok(value)
    })
}

fn values<T: serde::de::DeserializeOwned + Send>(db: &Db, what: &str, sql: &str, param: Option<&str>) -> Result<Vec<T>, StateError> {
    db.with(|c| {
        let rows = match param {
            Some(p) => c.query(sql, &[&p]),
            None => c.query(sql, &[]),
        }
        .map_err(pg)?;
        rows.iter().map(|r| from_json(what, r.get(0))).collect()
    })
}

impl LabelRepo for Db {
    fn declare(&self, d: &Declaration, note: &AuditNote) -> Result<(), StateError> {
        let value = json(d)?;
        write(self, note, |tx| {
            tx.execute(
                "INSERT INTO label_declarations (dataset, metric, value) VALUES ($1, $2, $3)
                 ON CONFLICT (dataset, metric) DO UPDATE SET value = EXCLUDED.value",
                &[&d.dataset, &d.metric, &value],
            )
            .map_err(pg)?;
            Ok(())
        })
    }

    fn withdraw(&self, dataset: &str, metric: &str, note: &AuditNote) -> Result<bool, StateError> {
        let exists = self.with(|c| {
            Ok(c.query_opt("SELECT 1 FROM label_declarations WHERE dataset = $1 AND metric = $2", &[&dataset, &metric])
                .map_err(pg)?
                .is_some())
        })?;
        if !exists {
            return Ok(false);
        }
        write(self, note, |tx| {
            let n = tx.execute("DELETE FROM label_declarations WHERE dataset = $1 AND metric = $2", &[&dataset, &metric]).map_err(pg)?;
            Ok(n == 1)
        })
    }

    fn declarations(&self, dataset: &str) -> Result<Vec<Declaration>, StateError> {
        values(self, "declaration", "SELECT value FROM label_declarations WHERE dataset = $1 ORDER BY metric COLLATE \"C\"", Some(dataset))
    }

    fn all_declarations(&self) -> Result<Vec<Declaration>, StateError> {
        values(self, "declaration", "SELECT value FROM label_declarations ORDER BY dataset COLLATE \"C\", metric COLLATE \"C\"", None)
    }

    fn attest(&self, a: &Attestation, note: &AuditNote) -> Result<(), StateError> {
        let value = json(a)?;
        write(self, note, |tx| {
            tx.execute("INSERT INTO label_attestations (dataset, value) VALUES ($1, $2)", &[&a.dataset, &value]).map_err(pg)?;
            Ok(())
        })
    }

    fn attestations(&self, dataset: &str) -> Result<Vec<Attestation>, StateError> {
        values(self, "attestation", "SELECT value FROM label_attestations WHERE dataset = $1 ORDER BY id", Some(dataset))
    }

    fn latest_attestations(&self) -> Result<Vec<Attestation>, StateError> {
        values(
            self,
            "attestation",
            "SELECT value FROM (SELECT DISTINCT ON (dataset) dataset, value FROM label_attestations ORDER BY dataset, id DESC) AS latest
             ORDER BY dataset COLLATE \"C\"",
            None,
        )
    }

    fn set_maturity(&self, m: &Maturity, note: &AuditNote) -> Result<(), StateError> {
        let value = json(m)?;
        write(self, note, |tx| {
            tx.execute(
                "INSERT INTO label_maturity (agent, value) VALUES ($1, $2) ON CONFLICT (agent) DO UPDATE SET value = EXCLUDED.value",
                &[&m.agent, &value],
            )
            .map_err(pg)?;
            Ok(())
        })
    }

    fn maturity(&self, agent: &str) -> Result<Option<Maturity>, StateError> {
        Ok(values(self, "maturity", "SELECT value FROM label_maturity WHERE agent = $1", Some(agent))?.pop())
    }

    fn all_maturity(&self) -> Result<Vec<Maturity>, StateError> {
        values(self, "maturity", "SELECT value FROM label_maturity ORDER BY agent COLLATE \"C\"", None)
    }

    fn version(&self) -> Result<u64, StateError> {
        self.with(|c| {
            let row = c.query_one("SELECT last_value, is_called FROM label_changes", &[]).map_err(pg)?;
            let called: bool = row.get(1);
            Ok(if called { to_u64(row.get(0)) } else { 0 })
        })
    }
}

impl MemberRepo for Db {
    fn set_organisations(&self, user: &str, organisations: &[String], note: &AuditNote) -> Result<(), StateError> {
        let mut list = organisations.to_vec();
        list.sort();
        list.dedup();
        let value = json(&list)?;
        write(self, note, |tx| {
            if list.is_empty() {
                tx.execute("DELETE FROM members WHERE name = $1", &[&user]).map_err(pg)?;
            } else {
                tx.execute(
                    "INSERT INTO members (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                    &[&user, &value],
                )
                .map_err(pg)?;
            }
            Ok(())
        })
    }

    fn organisations(&self, user: &str) -> Result<Vec<String>, StateError> {
        Ok(values::<Vec<String>>(self, "members", "SELECT value FROM members WHERE name = $1", Some(user))?.pop().unwrap_or_default())
    }
}

impl DeliveryRepo for Db {
    fn add(&self, report: &DeliveryReport, note: &AuditNote) -> Result<DeliveryReport, StateError> {
        write(self, note, |tx| {
            let id: i64 = tx.query_one("SELECT nextval('deliveries_id_seq')", &[]).map_err(pg)?.get(0);
            let stored = DeliveryReport { id: to_u64(id), ..report.clone() };
            let value = json(&stored)?;
            tx.execute(
                "INSERT INTO deliveries (id, collection, value) VALUES ($1, $2, $3)",
                &[&to_i64(stored.id)?, &stored.collection, &value],
            )
            .map_err(pg)?;
            Ok(stored)
        })
    }

    fn of_collection(&self, collection: &str) -> Result<Vec<DeliveryReport>, StateError> {
        values(self, "delivery", "SELECT value FROM deliveries WHERE collection = $1 ORDER BY id", Some(collection))
    }

    fn all_deliveries(&self) -> Result<Vec<DeliveryReport>, StateError> {
        values(self, "delivery", "SELECT value FROM deliveries ORDER BY id", None)
    }
}
