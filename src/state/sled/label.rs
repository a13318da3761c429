//! The label's statements, memberships and delivery reports in sled: the trees
//! `label_declarations` (dataset IRI, NUL, metric → JSON [`Declaration`]), `label_attestations`
//! (dataset IRI, NUL, big-endian id → JSON [`Attestation`]), `label_maturity` (agent IRI → JSON
//! [`Maturity`]), `members` (account → JSON list of agent IRIs), `deliveries` (big-endian id →
//! JSON [`DeliveryReport`]) with `deliveries_by_collection` (collection IRI, NUL, big-endian id),
//! and `label_version` (the id of the latest write). Each write and its audit entry are one
//! sled transaction.

use chrono::Utc;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional, TransactionalTree};

use super::{Db, audit, corrupt};
use crate::state::StateError;
use crate::state::deliveries::{DeliveryRepo, DeliveryReport};
use crate::state::label::{Attestation, Declaration, LabelRepo, Maturity};
use crate::state::members::MemberRepo;
use crate::state::revisions::AuditNote;

const DECLARATIONS: &str = "label_declarations";
const ATTESTATIONS: &str = "label_attestations";
const MATURITY: &str = "label_maturity";
const MEMBERS: &str = "members";
const DELIVERIES: &str = "deliveries";
const BY_COLLECTION: &str = "deliveries_by_collection";
const VERSION: &str = "label_version";
const VERSION_KEY: &[u8] = b"version";

type TxError = ConflictableTransactionError<StateError>;

fn key(a: &str, b: &[u8]) -> Vec<u8> {
    let mut k = a.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(b);
    k
}

fn prefix(a: &str) -> Vec<u8> {
    key(a, &[])
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Corrupt(format!("{what}: {e}")))
}

/// Runs `f` over the trees `names` in one transaction with the audit entry of `note` and the
/// version bump, then flushes. `id` is the write's id (from [`Db::next_id`]).
fn write<T>(
    db: &Db,
    id: u64,
    names: &[&str],
    note: &AuditNote,
    f: impl Fn(&[TransactionalTree]) -> Result<T, TxError>,
) -> Result<T, StateError> {
    let _w = db.writing();
    let mut trees = names.iter().map(|n| db.tree(n)).collect::<Result<Vec<_>, _>>()?;
    trees.push(db.tree(VERSION)?);
    trees.push(db.tree(audit::TREE)?);
    let entry = crate::state::audit::Entry {
        id,
        time: Utc::now(),
        who: note.who.clone(),
        action: note.action.clone(),
        target: note.target.clone(),
        detail: note.detail.clone(),
    };
    let entry = serde_json::to_vec(&entry).map_err(corrupt)?;
    let n = names.len();
    let result = trees.as_slice().transaction(|tx| {
        let value = f(&tx[..n])?;
        tx[n].insert(VERSION_KEY, &id.to_be_bytes())?;
        tx[n + 1].insert(&id.to_be_bytes(), entry.as_slice())?;
        Ok(value)
    });
    let value = match result {
        Ok(v) => v,
        Err(TransactionError::Abort(e)) => return Err(e),
        Err(TransactionError::Storage(e)) => return Err(e.into()),
    };
    db.flush()?;
    Ok(value)
}

fn scan<T: serde::de::DeserializeOwned>(db: &Db, tree: &str, prefix: &[u8], what: &str) -> Result<Vec<T>, StateError> {
    let mut out = Vec::new();
    for item in db.tree(tree)?.scan_prefix(prefix) {
        let (_, v) = item?;
        out.push(decode(what, &v)?);
    }
    Ok(out)
}

impl LabelRepo for Db {
    fn declare(&self, d: &Declaration, audit: &AuditNote) -> Result<(), StateError> {
        let value = serde_json::to_vec(d).map_err(corrupt)?;
        let k = key(&d.dataset, d.metric.as_bytes());
        write(self, self.next_id()?, &[DECLARATIONS], audit, |t| {
            t[0].insert(k.as_slice(), value.as_slice())?;
            Ok(())
        })
    }

    fn withdraw(&self, dataset: &str, metric: &str, audit: &AuditNote) -> Result<bool, StateError> {
        let k = key(dataset, metric.as_bytes());
        if self.tree(DECLARATIONS)?.get(&k)?.is_none() {
            return Ok(false);
        }
        write(self, self.next_id()?, &[DECLARATIONS], audit, |t| Ok(t[0].remove(k.as_slice())?.is_some()))
    }

    fn declarations(&self, dataset: &str) -> Result<Vec<Declaration>, StateError> {
        scan(self, DECLARATIONS, &prefix(dataset), "declaration")
    }

    fn all_declarations(&self) -> Result<Vec<Declaration>, StateError> {
        scan(self, DECLARATIONS, &[], "declaration")
    }

    fn attest(&self, a: &Attestation, audit: &AuditNote) -> Result<(), StateError> {
        let value = serde_json::to_vec(a).map_err(corrupt)?;
        let id = self.next_id()?;
        let k = key(&a.dataset, &id.to_be_bytes());
        write(self, id, &[ATTESTATIONS], audit, |t| {
            t[0].insert(k.as_slice(), value.as_slice())?;
            Ok(())
        })
    }

    fn attestations(&self, dataset: &str) -> Result<Vec<Attestation>, StateError> {
        scan(self, ATTESTATIONS, &prefix(dataset), "attestation")
    }

    fn latest_attestations(&self) -> Result<Vec<Attestation>, StateError> {
        let mut out: Vec<Attestation> = Vec::new();
        for a in scan::<Attestation>(self, ATTESTATIONS, &[], "attestation")? {
            // keys sort by dataset, then id: the last of each dataset is its latest
            match out.last_mut() {
                Some(last) if last.dataset == a.dataset => *last = a,
                _ => out.push(a),
            }
        }
        Ok(out)
    }

    fn set_maturity(&self, m: &Maturity, audit: &AuditNote) -> Result<(), StateError> {
        let value = serde_json::to_vec(m).map_err(corrupt)?;
        let k = m.agent.as_bytes().to_vec();
        write(self, self.next_id()?, &[MATURITY], audit, |t| {
            t[0].insert(k.as_slice(), value.as_slice())?;
            Ok(())
        })
    }

    fn maturity(&self, agent: &str) -> Result<Option<Maturity>, StateError> {
        self.tree(MATURITY)?.get(agent.as_bytes())?.map(|v| decode("maturity", &v)).transpose()
    }

    fn all_maturity(&self) -> Result<Vec<Maturity>, StateError> {
        scan(self, MATURITY, &[], "maturity")
    }

    fn version(&self) -> Result<u64, StateError> {
        Ok(self.tree(VERSION)?.get(VERSION_KEY)?.map_or(0, |v| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&v[..8.min(v.len())]);
            u64::from_be_bytes(b)
        }))
    }
}

impl MemberRepo for Db {
    fn set_organisations(&self, user: &str, organisations: &[String], audit: &AuditNote) -> Result<(), StateError> {
        let mut list = organisations.to_vec();
        list.sort();
        list.dedup();
        let value = serde_json::to_vec(&list).map_err(corrupt)?;
        write(self, self.next_id()?, &[MEMBERS], audit, |t| {
            if list.is_empty() {
                t[0].remove(user.as_bytes())?;
            } else {
                t[0].insert(user.as_bytes(), value.as_slice())?;
            }
            Ok(())
        })
    }

    fn organisations(&self, user: &str) -> Result<Vec<String>, StateError> {
        Ok(self.tree(MEMBERS)?.get(user.as_bytes())?.map(|v| decode("members", &v)).transpose()?.unwrap_or_default())
    }
}

impl DeliveryRepo for Db {
    fn add(&self, report: &DeliveryReport, audit: &AuditNote) -> Result<DeliveryReport, StateError> {
        let id = self.next_id()?;
        let stored = DeliveryReport { id, ..report.clone() };
        let value = serde_json::to_vec(&stored).map_err(corrupt)?;
        let index = key(&stored.collection, &id.to_be_bytes());
        write(self, id, &[DELIVERIES, BY_COLLECTION], audit, |t| {
            t[0].insert(&id.to_be_bytes(), value.as_slice())?;
            t[1].insert(index.as_slice(), &[] as &[u8])?;
            Ok(())
        })?;
        Ok(stored)
    }

    fn of_collection(&self, collection: &str) -> Result<Vec<DeliveryReport>, StateError> {
        let all = self.tree(DELIVERIES)?;
        let mut out = Vec::new();
        for item in self.tree(BY_COLLECTION)?.scan_prefix(prefix(collection)) {
            let (k, _) = item?;
            let id = &k[k.len() - 8..];
            if let Some(v) = all.get(id)? {
                out.push(decode("delivery", &v)?);
            }
        }
        Ok(out)
    }

    fn all_deliveries(&self) -> Result<Vec<DeliveryReport>, StateError> {
        scan(self, DELIVERIES, &[], "delivery")
    }
}
