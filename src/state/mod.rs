//! Operational state: everything that is not catalogue content (DESIGN.md decision 6) —
//! accounts, sessions, API tokens, revisions and drafts, the journal, comments, the audit log, harvest
//! bookkeeping, uploads.
//!
//! Owns: one repository trait per concern (`users::UserRepo`, `sessions::SessionRepo`,
//! `revisions::RevisionRepo` with the journal, `comments::CommentRepo`, `audit::AuditRepo`,
//! `harvest::HarvestRepo`, `uploads::UploadRepo`, `leases::LeaseRepo`, `tokens::TokenRepo`, `lists::ListRepo`,
//! `label::LabelRepo`, `members::MemberRepo`, `deliveries::DeliveryRepo`), their typed values,
//! and [`State`], the handle services hold. Implementations: `sled` (the embedded default,
//! `{data_dir}/state`) and `postgres` (`[state] url`, shared by every node of a cluster). Every
//! implementation passes the contract tests in `tests/it/state_contract.rs`: writes are durable
//! when they return, revisions are compare-and-set, the audit log is append-only by
//! construction.
//! Does not: decide rules (the services do: `accounts`, `curation`, `harvest`), hold RDF
//! catalogue content as ground truth (the store does), or know HTTP.

pub mod audit;
pub mod comments;
pub mod deliveries;
pub mod harvest;
pub mod journal;
pub mod label;
pub mod leases;
pub mod lists;
pub mod members;
mod postgres;
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
    pub leases: Arc<dyn leases::LeaseRepo>,
    pub label: Arc<dyn label::LabelRepo>,
    pub members: Arc<dyn members::MemberRepo>,
    pub deliveries: Arc<dyn deliveries::DeliveryRepo>,
    pub tokens: Arc<dyn tokens::TokenRepo>,
    pub lists: Arc<dyn lists::ListRepo>,
    backend: Arc<dyn Flush>,
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

    /// Connects to the PostgreSQL database of `settings` and brings its schema up to date
    /// (the migrations not yet applied, in one transaction). Shared by every node of a cluster.
    pub fn connect(settings: &PostgresSettings) -> Result<Self, StateError> {
        Ok(Self::of(Arc::new(postgres::Db::connect(settings)?), "postgres"))
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
            + leases::LeaseRepo
            + label::LabelRepo
            + members::MemberRepo
            + deliveries::DeliveryRepo
            + tokens::TokenRepo
            + lists::ListRepo
            + Flush
            + 'static,
    {
        Self {
            backend: backend.clone(),
            users: backend.clone(),
            sessions: backend.clone(),
            revisions: backend.clone(),
            comments: backend.clone(),
            audit: backend.clone(),
            harvest: backend.clone(),
            uploads: backend.clone(),
            leases: backend.clone(),
            label: backend.clone(),
            members: backend.clone(),
            deliveries: backend.clone(),
            tokens: backend.clone(),
            lists: backend,
            kind,
        }
    }

    /// Writes everything to disk (a clean shutdown; every write already is when it returns).
    pub fn flush(&self) -> Result<(), StateError> {
        self.backend.flush_all()
    }

    /// Writes a consistent snapshot of the whole database into `dir` (which must not exist or
    /// be empty), while it keeps serving: writes wait for the moment it copies, reads do not.
    /// The copy is a state directory as it is (`restore` puts it in place).
    pub fn backup(&self, dir: &Path) -> Result<(), StateError> {
        self.backend.snapshot_into(dir)
    }

    /// Whether other processes may share this state database (PostgreSQL: several nodes).
    pub fn is_shared(&self) -> bool {
        self.kind == "postgres"
    }

    /// The implementation's name (`sled`, `postgres`), for logs and metrics.
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

/// Where the PostgreSQL state database is (`[state]`; checked by `config`).
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresSettings {
    /// `postgres://user@host:port/database` (or libpq's `key=value` form). A password in it
    /// is accepted but better given apart ([`Self::password`]).
    pub url: String,
    /// Overrides the URL's password (`[state] password`, `VARDKATALOG_STATE_PASSWORD`).
    pub password: Option<String>,
    /// At most this many connections per process.
    pub pool_size: usize,
}

impl PostgresSettings {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), password: None, pool_size: 16 }
    }

    /// The URL with any password replaced by `***`: what logs and errors may show.
    pub fn redacted(&self) -> String {
        postgres::redact(&self.url)
    }
}

impl std::fmt::Debug for PostgresSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresSettings")
            .field("url", &self.redacted())
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

/// A backend that can be flushed as a whole.
pub(crate) trait Flush: Send + Sync {
    fn flush_all(&self) -> Result<(), StateError>;

    /// A consistent copy of the whole database in `dir` (see [`State::backup`]).
    fn snapshot_into(&self, dir: &Path) -> Result<(), StateError>;
}
