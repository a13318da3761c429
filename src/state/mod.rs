//! Operational state: everything that is not catalogue content (DESIGN.md decision 6) —
//! accounts, sessions, API tokens, revisions and drafts, the journal, comments, the audit log, harvest
//! bookkeeping, uploads.
//!
//! Owns: one repository trait per concern (`users::UserRepo`, `sessions::SessionRepo`,
//! `revisions::RevisionRepo` with the journal, `comments::CommentRepo`, `audit::AuditRepo`,
//! `harvest::HarvestRepo`, `uploads::UploadRepo`, `tokens::TokenRepo`), their typed values, and [`State`], the handle
//! services hold. Implementations: `sled` (the embedded default, `{data_dir}/state`). Every
//! implementation passes the contract tests in `tests/it/state_contract.rs`: writes are durable
//! when they return, revisions are compare-and-set, the audit log is append-only by
//! construction.
//! Does not: decide rules (the services do: `accounts`, `curation`, `harvest`), hold RDF
//! catalogue content as ground truth (the store does), or know HTTP.

pub mod audit;
pub mod comments;
pub mod harvest;
pub mod journal;
pub mod revisions;
pub mod sessions;
mod sled;
pub mod tokens;
pub mod uploads;
pub mod users;

use std::path::Path;
use std::sync::Arc;

use thiserror::Error;

/// A failure of the state database.
#[derive(Debug, Error)]
pub enum StateError {
    #[error("the state database failed: {0}")]
    Backend(String),
    #[error("a stored value could not be read: {0}")]
    Corrupt(String),
    /// A write expected another latest revision of a record, or the record is held by a
    /// commit under way (`pending`).
    #[error("<{iri}> changed meanwhile (its latest revision is {}){}", latest.map_or_else(|| "none".to_owned(), |l| l.to_string()), if *pending { "; a publication of it is under way" } else { "" })]
    Conflict { iri: String, latest: Option<u64>, author: String, pending: bool },
}

impl From<::sled::Error> for StateError {
    fn from(e: ::sled::Error) -> Self {
        Self::Backend(format!("sled: {e}"))
    }
}

/// The operational state: one repository per concern. Cheap to clone; every repository of one
/// `State` is the same database.
#[derive(Clone)]
pub struct State {
    pub users: Arc<dyn users::UserRepo>,
    pub sessions: Arc<dyn sessions::SessionRepo>,
    pub revisions: Arc<dyn revisions::RevisionRepo>,
    pub comments: Arc<dyn comments::CommentRepo>,
    pub audit: Arc<dyn audit::AuditRepo>,
    pub harvest: Arc<dyn harvest::HarvestRepo>,
    pub uploads: Arc<dyn uploads::UploadRepo>,
    pub tokens: Arc<dyn tokens::TokenRepo>,
    flush: Arc<dyn Fn() -> Result<(), StateError> + Send + Sync>,
    kind: &'static str,
}

impl State {
    /// Opens (or creates) the embedded state database (sled) in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StateError> {
        Ok(Self::of(Arc::new(sled::Db::open(dir)?), "sled"))
    }

    /// An embedded database that lives in memory only (tests, dry runs).
    pub fn temporary() -> Result<Self, StateError> {
        Ok(Self::of(Arc::new(sled::Db::temporary()?), "sled"))
    }

    /// A handle over one backend that implements every repository.
    fn of<B>(backend: Arc<B>, kind: &'static str) -> Self
    where
        B: users::UserRepo
            + sessions::SessionRepo
            + revisions::RevisionRepo
            + comments::CommentRepo
            + audit::AuditRepo
            + harvest::HarvestRepo
            + uploads::UploadRepo
            + tokens::TokenRepo
            + Flush
            + 'static,
    {
        let f = backend.clone();
        Self {
            users: backend.clone(),
            sessions: backend.clone(),
            revisions: backend.clone(),
            comments: backend.clone(),
            audit: backend.clone(),
            harvest: backend.clone(),
            uploads: backend.clone(),
            tokens: backend,
            flush: Arc::new(move || f.flush_all()),
            kind,
        }
    }

    /// Writes everything to disk (a clean shutdown; every write already is when it returns).
    pub fn flush(&self) -> Result<(), StateError> {
        (self.flush)()
    }

    /// The implementation's name (`sled`, `postgres`), for logs and metrics.
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

/// A backend that can be flushed as a whole.
pub(crate) trait Flush: Send + Sync {
    fn flush_all(&self) -> Result<(), StateError>;
}
