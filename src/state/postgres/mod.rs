//! The state database on PostgreSQL (`[state] url`): what several nodes of one catalogue
//! share. One [`Db`] (a small connection pool) implements every repository of `crate::state`;
//! each concern keeps its own tables in its own file and its own migration (`migrations/`),
//! so adding a repository is one file here, one SQL file and one line in [`migrations::ALL`].
//!
//! Values are kept as in sled (JSON text of the typed values), beside the columns the queries
//! select and order by; timestamps the repositories make are cut to microseconds, PostgreSQL's
//! precision, so a value reads back equal. Every write commits before it returns (PostgreSQL's
//! own durability); writes that sled made in one transaction are one transaction here, and the
//! compare-and-set of revisions takes a transaction-scoped advisory lock per record (in one
//! order, by its hash), so two writers of one record anywhere are serialised.
//!
//! The `postgres` client drives its own small runtime; called on a thread of an async runtime
//! (an actix worker reading a session), a call moves to a helper thread for its duration.
//! The connection URL and password are never logged: errors name the database by
//! [`redact`]ed URL.

mod audit;
mod comments;
mod harvest;
mod journal;
mod label;
mod leases;
mod lists;
mod migrations;
mod pool;
mod revisions;
mod sessions;
mod tokens;
mod uploads;
mod users;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};

use crate::state::journal::JournalEntry;
use crate::state::revisions::{AuditNote, Expectation, NewRevision, OpenDraft, Revision, RevisionRepo};
use crate::state::{Flush, PostgresSettings, StateError};
use crate::store::CommitId;

/// The PostgreSQL database: a pool of connections.
pub(crate) struct Db {
    pool: pool::Pool,
}

type Client = ::postgres::Client;
type Tx<'a> = ::postgres::Transaction<'a>;

impl Db {
    /// Connects and applies the migrations not yet applied.
    pub(crate) fn connect(settings: &PostgresSettings) -> Result<Self, StateError> {
        let mut config = ::postgres::Config::from_str(&settings.url)
            .map_err(|e| StateError::Backend(format!("the state database URL {} cannot be read: {e}", redact(&settings.url))))?;
        if let Some(p) = &settings.password {
            config.password(p);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_options().is_none() {
            // no statement (nor a wait for a record's lock) hangs a request for ever
            config.options("-c statement_timeout=30000");
        }
        config.application_name("vardkatalog");
        let db = Self { pool: pool::Pool::new(config, settings.pool_size.max(1), redact(&settings.url)) };
        db.with(|c| migrations::apply(c).map(|_| ()))?;
        Ok(db)
    }

    /// Runs `f` with a connection of the pool (off any async runtime's thread).
    fn with<T: Send>(&self, f: impl FnOnce(&mut Client) -> Result<T, StateError> + Send) -> Result<T, StateError> {
        off_runtime(|| {
            let mut conn = self.pool.get()?;
            f(&mut conn)
        })
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    fn tx<T: Send>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T, StateError> + Send) -> Result<T, StateError> {
        self.with(|c| {
            let mut tx = c.transaction().map_err(pg)?;
            let value = f(&mut tx)?;
            tx.commit().map_err(pg)?;
            Ok(value)
        })
    }
}

/// Runs `f` here, or on a helper thread when this thread drives an async runtime (the
/// `postgres` client blocks on a runtime of its own, which may not start inside another).
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| s.spawn(f).join()).unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// A failure of the database, as a state error (no connection details in it).
fn pg(e: ::postgres::Error) -> StateError {
    StateError::Backend(format!("postgres: {e}"))
}

fn corrupt(e: serde_json::Error) -> StateError {
    StateError::Corrupt(e.to_string())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StateError> {
    serde_json::to_string(value).map_err(corrupt)
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StateError> {
    serde_json::from_str(text).map_err(|e| StateError::Corrupt(format!("{what}: {e}")))
}

/// Now, at the database's precision (microseconds), so a value written reads back equal.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// An id as the database keeps it (`bigint`).
fn to_i64(n: u64) -> Result<i64, StateError> {
    i64::try_from(n).map_err(|_| StateError::Backend(format!("the id {n} is beyond a bigint")))
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Takes the transaction-scoped advisory lock of every record IRI in `iris`, in one order (by
/// the lock key), so that writers of the same records anywhere run one after another and two
/// writers never wait on each other in a circle.
fn lock_records<'a>(tx: &mut Tx<'_>, iris: impl IntoIterator<Item = &'a str>) -> Result<(), StateError> {
    let mut list: Vec<&str> = iris.into_iter().collect();
    if list.is_empty() {
        return Ok(());
    }
    list.sort_unstable();
    list.dedup();
    tx.execute(
        "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(i, 0) AS k FROM unnest($1::text[]) AS i ORDER BY k) AS keys",
        &[&list],
    )
    .map_err(pg)?;
    Ok(())
}

/// The URL with any password replaced by `***` (`postgres://user:***@host/db`,
/// `password=***`).
pub(crate) fn redact(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("postgres://").or_else(|| url.strip_prefix("postgresql://")) {
        let scheme = &url[..url.len() - rest.len()];
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let authority = match authority.rfind('@') {
            Some(at) => {
                let (userinfo, host) = authority.split_at(at);
                match userinfo.split_once(':') {
                    Some((user, _)) => format!("{user}:***{host}"),
                    None => authority.to_owned(),
                }
            }
            None => authority.to_owned(),
        };
        // a password can be a query parameter too
        let tail = match tail.split_once('?') {
            Some((path, query)) => {
                let query: Vec<String> = query
                    .split('&')
                    .map(|kv| if kv.to_ascii_lowercase().starts_with("password=") { "password=***".to_owned() } else { kv.to_owned() })
                    .collect();
                format!("{path}?{}", query.join("&"))
            }
            None => tail.to_owned(),
        };
        return format!("{scheme}{authority}{tail}");
    }
    url.split_whitespace()
        .map(|kv| if kv.to_ascii_lowercase().starts_with("password=") { "password=***" } else { kv })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Flush for Db {
    fn flush_all(&self) -> Result<(), StateError> {
        // every write committed before it returned
        Ok(())
    }

    /// PostgreSQL is backed up with its own tools (`pg_dump`, base backups with WAL archiving),
    /// which give a consistent copy while it serves; this process does not copy it.
    fn snapshot_into(&self, _dir: &std::path::Path) -> Result<(), StateError> {
        Err(StateError::Backend(
            "the state database is PostgreSQL: back it up with pg_dump or a base backup (the record store is still backed up here)".into(),
        ))
    }
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

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn a_password_never_shows_in_a_redacted_url() {
        assert_eq!(redact("postgres://vk:hemligt@db.example.se:5432/katalog"), "postgres://vk:***@db.example.se:5432/katalog");
        assert_eq!(
            redact("postgresql://vk@db/katalog?sslmode=disable&password=hemligt"),
            "postgresql://vk@db/katalog?sslmode=disable&password=***"
        );
        assert_eq!(redact("host=db user=vk password=hemligt dbname=katalog"), "host=db user=vk password=*** dbname=katalog");
        assert_eq!(redact("postgres://db/katalog"), "postgres://db/katalog");
    }
}
