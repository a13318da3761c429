//! Revisions in PostgreSQL: the tables `revisions` (one row per revision, ids from its
//! sequence), `revisions_latest` (record IRI → its latest revision), `drafts` (record IRI →
//! JSON [`OpenDraft`]) and `commit_holds` (record IRI → the journal entry holding it). A write
//! takes the advisory lock of each record it checks or touches first ([`super::lock_records`]),
//! so its check and its write are one step for every writer of those records.

use chrono::{DateTime, Utc};

use super::{Db, Tx, audit, from_json, json, lock_records, now, pg, to_i64, to_u64};
use crate::state::StateError;
use crate::state::revisions::{AuditNote, Expectation, NewRevision, OpenDraft, Revision, parse_state, state_name};
use crate::store::RecordState;

/// A revision from a row of its columns in table order (`id` … `ntriples`, `published`).
fn revision(r: &::postgres::Row) -> Result<Revision, StateError> {
    let state: &str = r.get(6);
    Ok(Revision {
        id: to_u64(r.get(0)),
        iri: r.get(1),
        kind: r.get(2),
        author: r.get(3),
        time: r.get(4),
        message: r.get(5),
        state: parse_state(state).ok_or_else(|| StateError::Corrupt(format!("revision: unknown state {state}")))?,
        version: r.get::<_, Option<i64>>(7).map(to_u64),
        ntriples: r.get(8),
        published: r.get(9),
    })
}

fn latest_id(tx: &mut Tx<'_>, iri: &str) -> Result<Option<u64>, StateError> {
    Ok(tx.query_opt("SELECT revision FROM revisions_latest WHERE iri = $1", &[&iri]).map_err(pg)?.map(|r| to_u64(r.get(0))))
}

/// Checks expectations and pending commits inside a transaction that holds the records'
/// locks. `own`: the commit whose holds do not count.
pub(super) fn check(tx: &mut Tx<'_>, expect: &[Expectation], touched: &[&str], own: Option<&str>) -> Result<(), StateError> {
    for e in expect {
        let latest = latest_id(tx, &e.iri)?;
        if latest != e.latest {
            let author = match latest {
                Some(id) => tx
                    .query_opt("SELECT author FROM revisions WHERE id = $1", &[&to_i64(id)?])
                    .map_err(pg)?
                    .map(|r| r.get::<_, String>(0))
                    .unwrap_or_default(),
                None => String::new(),
            };
            return Err(StateError::Conflict { iri: e.iri.clone(), latest, author, pending: false });
        }
    }
    for iri in expect.iter().map(|e| e.iri.as_str()).chain(touched.iter().copied()) {
        let holder = tx.query_opt("SELECT commit_id FROM commit_holds WHERE iri = $1", &[&iri]).map_err(pg)?;
        if let Some(holder) = holder
            && own != Some(holder.get::<_, &str>(0))
        {
            return Err(StateError::Conflict { iri: iri.to_owned(), latest: latest_id(tx, iri)?, author: String::new(), pending: true });
        }
    }
    Ok(())
}

/// Writes revisions (in order), the latest and drafts indexes and the audit notes inside a
/// transaction.
pub(super) fn write(tx: &mut Tx<'_>, new: &[NewRevision], notes: &[AuditNote]) -> Result<Vec<Revision>, StateError> {
    let time: DateTime<Utc> = now();
    let mut written = Vec::with_capacity(new.len());
    for n in new {
        let version = n.version.map(to_i64).transpose()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO revisions (iri, kind, author, time, message, state, version, ntriples, published)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                &[&n.iri, &n.kind, &n.author, &time, &n.message, &state_name(n.state), &version, &n.ntriples, &n.published],
            )
            .map_err(pg)?
            .get(0);
        tx.execute(
            "INSERT INTO revisions_latest (iri, revision) VALUES ($1, $2) ON CONFLICT (iri) DO UPDATE SET revision = EXCLUDED.revision",
            &[&n.iri, &id],
        )
        .map_err(pg)?;
        let id = to_u64(id);
        match n.state {
            RecordState::Draft | RecordState::InReview => {
                let open = OpenDraft {
                    revision: id,
                    state: n.state,
                    kind: n.kind.clone(),
                    author: n.author.clone(),
                    time,
                    label: n.label.clone(),
                };
                tx.execute(
                    "INSERT INTO drafts (iri, revision, value) VALUES ($1, $2, $3)
                     ON CONFLICT (iri) DO UPDATE SET revision = EXCLUDED.revision, value = EXCLUDED.value",
                    &[&n.iri, &to_i64(id)?, &json(&open)?],
                )
                .map_err(pg)?;
            }
            // publishing closes the draft; retiring leaves an open draft open beside it
            RecordState::Published => {
                tx.execute("DELETE FROM drafts WHERE iri = $1", &[&n.iri]).map_err(pg)?;
            }
            RecordState::Retired => {}
        }
        written.push(Revision {
            id,
            iri: n.iri.clone(),
            kind: n.kind.clone(),
            author: n.author.clone(),
            time,
            message: n.message.clone(),
            state: n.state,
            version: n.version,
            ntriples: n.ntriples.clone(),
            published: n.published,
        });
    }
    for note in notes {
        audit::insert(tx, time, &note.who, &note.action, &note.target, &note.detail)?;
    }
    Ok(written)
}

/// Writes revisions, drafts and audit notes in one transaction after checking `expect` (and
/// that no commit under way holds one of the records).
pub(super) fn append(db: &Db, new: &[NewRevision], notes: &[AuditNote], expect: &[Expectation]) -> Result<Vec<Revision>, StateError> {
    let touched: Vec<&str> = new.iter().map(|n| n.iri.as_str()).collect();
    db.tx(|tx| {
        lock_records(tx, expect.iter().map(|e| e.iri.as_str()).chain(touched.iter().copied()))?;
        check(tx, expect, &touched, None)?;
        write(tx, new, notes)
    })
}

pub(super) fn get(db: &Db, id: u64) -> Result<Option<Revision>, StateError> {
    let id = to_i64(id)?;
    db.with(|c| {
        c.query_opt("SELECT id, iri, kind, author, time, message, state, version, ntriples, published FROM revisions WHERE id = $1", &[&id])
            .map_err(pg)?
            .as_ref()
            .map(revision)
            .transpose()
    })
}

pub(super) fn of_record(db: &Db, iri: &str) -> Result<Vec<Revision>, StateError> {
    db.with(|c| {
        c.query(
            "SELECT id, iri, kind, author, time, message, state, version, ntriples, published FROM revisions WHERE iri = $1 ORDER BY id",
            &[&iri],
        )
        .map_err(pg)?
        .iter()
        .map(revision)
        .collect()
    })
}

pub(super) fn latest(db: &Db, iri: &str) -> Result<Option<Revision>, StateError> {
    db.with(|c| {
        c.query_opt("SELECT id, iri, kind, author, time, message, state, version, ntriples, published FROM revisions WHERE id = (SELECT revision FROM revisions_latest WHERE iri = $1)", &[&iri]).map_err(pg)?.as_ref().map(revision).transpose()
    })
}

/// Published and retired revisions, newest first, with ids below `before` (the partial index
/// `revisions_public` of migration 12 serves it).
pub(super) fn public(db: &Db, before: Option<u64>, limit: usize) -> Result<Vec<Revision>, StateError> {
    let before = before.map(to_i64).transpose()?.unwrap_or(i64::MAX);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    db.with(|c| {
        c.query(
            "SELECT id, iri, kind, author, time, message, state, version, ntriples, published FROM revisions
             WHERE state IN ('published', 'retired') AND id < $1 ORDER BY id DESC LIMIT $2",
            &[&before, &limit],
        )
        .map_err(pg)?
        .iter()
        .map(revision)
        .collect()
    })
}

pub(super) fn open_draft(db: &Db, iri: &str) -> Result<Option<OpenDraft>, StateError> {
    db.with(|c| {
        c.query_opt("SELECT value FROM drafts WHERE iri = $1", &[&iri]).map_err(pg)?.map(|r| from_json("draft", r.get(0))).transpose()
    })
}

pub(super) fn open_drafts(db: &Db) -> Result<Vec<(String, OpenDraft)>, StateError> {
    db.with(|c| {
        let rows = c.query("SELECT iri, value FROM drafts ORDER BY iri COLLATE \"C\"", &[]).map_err(pg)?;
        rows.iter().map(|r| Ok((r.get::<_, String>(0), from_json("draft", r.get(1))?))).collect()
    })
}
