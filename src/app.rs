//! Start-up shared by `main` and the tests: open the data directory, seed it when empty, bind
//! the listener and build the server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use anyhow::Context as _;

use crate::catalog::Catalogue;
use crate::config::Config;
use crate::ledger::Ledger;
use crate::model::Minter;
use crate::search::SearchIndex;
use crate::services::Services;
use crate::state::State;
use crate::store::{EmbeddedStore, RecordStore, RemoteStore};

/// Opens the catalogue: the store (the SPARQL engine of `[store]` when `query_url` is set,
/// else the embedded store in the data directory) and the search index in the data directory.
pub fn open_catalogue(config: &Config) -> anyhow::Result<Catalogue> {
    let store: Arc<dyn RecordStore> = match &config.remote_store {
        Some(remote) => {
            let store = RemoteStore::connect(remote.clone())?;
            tracing::info!(query_url = %remote.query_url, update_url = %remote.update_url, "the catalogue is in a SPARQL engine elsewhere");
            Arc::new(store)
        }
        None => Arc::new(EmbeddedStore::open(&config.store_dir())?),
    };
    let index = SearchIndex::open(&config.index_dir())?;
    Ok(Catalogue::new(store, Minter::new(&config.base_iri), index))
}

/// Opens everything in the data directory: the catalogue (seeded when empty, its index
/// brought up to date) and the state database, and reconciles what a crash left half-done
/// (`crate::ledger`). What every command and the server start from.
pub fn open(config: &Config) -> anyhow::Result<(Arc<Catalogue>, State)> {
    let catalogue = open_and_seed(config)?;
    let state = open_state(config)?;
    recover(&catalogue, &state)?;
    Ok((catalogue, state))
}

/// How old a journal entry must be before a node that shares its state with others treats it
/// as a dead writer's: far longer than a store commit can take (a remote store's writer gives
/// up within its lock lease).
pub const SHARED_RECOVERY_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Start-up recovery: finishes or drops the writes a crash interrupted between the store and
/// the state database, and marks harvest runs that were going as interrupted. With a shared
/// state database (PostgreSQL) other nodes may be writing: only entries older than
/// [`SHARED_RECOVERY_AGE`] are reconciled, and runs are left to their nodes (a run of a source
/// marks its source's stale runs when it starts).
pub fn recover(catalogue: &Catalogue, state: &State) -> anyhow::Result<()> {
    let ledger = Ledger::new(catalogue, state);
    let r = if state.is_shared() { ledger.recover_journal(SHARED_RECOVERY_AGE) } else { ledger.recover(std::time::Duration::ZERO) }
        .context("reconciling the store with the state database")?;
    if r != crate::ledger::Recovery::default() {
        tracing::warn!(
            finished = r.finished,
            abandoned = r.abandoned,
            interrupted_runs = r.interrupted_runs,
            "recovered from an interrupted shutdown"
        );
    }
    Ok(())
}

/// Opens the catalogue and loads the seed when it holds no record yet.
pub fn open_and_seed(config: &Config) -> anyhow::Result<Arc<Catalogue>> {
    let catalogue = open_catalogue(config)?;
    if let Some(report) = catalogue.seed_if_empty().context("loading the seed catalogue")? {
        tracing::info!(
            records = report.created,
            orphans = report.orphans,
            data_dir = %config.data_dir.display(),
            "empty data directory: loaded the seed catalogue (catalog-seed/)"
        );
    }
    let started = std::time::Instant::now();
    if catalogue.ensure_index_current().context("building the search index")? {
        tracing::info!(
            documents = catalogue.index().len(),
            seconds = started.elapsed().as_secs_f64(),
            "the search index did not match the store: rebuilt it"
        );
    } else {
        tracing::info!(documents = catalogue.index().len(), "the search index is current");
    }
    Ok(Arc::new(catalogue))
}

/// Opens the operational state: the PostgreSQL database of `[state] url` (its schema brought
/// up to date), else sled in the configured data directory.
pub fn open_state(config: &Config) -> anyhow::Result<State> {
    if let Some(db) = &config.state_db {
        let state = State::connect(db).with_context(|| format!("cannot open the state database {}", db.redacted()))?;
        tracing::info!(database = %db.redacted(), "the operational state is in PostgreSQL");
        return Ok(state);
    }
    let dir = config.state_dir();
    State::open(&dir).with_context(|| format!("cannot open the state database in {}", dir.display()))
}

/// Opens the data directory ([`open`]) and sets up the services over it.
pub fn services(config: &Config) -> anyhow::Result<Services> {
    let (catalogue, state) = open(config)?;
    Ok(Services::new(catalogue, state, config)?)
}

/// How often a node whose store others write too reads the store's change log for its index.
pub const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// The background work of a node that shares its store or state with others: with a remote
/// store, the search index follows the store's change log ([`crate::catalog::follow_store`]);
/// with a shared state database, the journal entries a dead node left are reconciled every
/// minute (those older than [`SHARED_RECOVERY_AGE`]).
pub fn start_node_tasks(services: &Services) {
    if services.catalogue.store().kind() != "embedded" {
        crate::catalog::follow_store(&services.catalogue, FOLLOW_EVERY);
        tracing::info!(every_ms = FOLLOW_EVERY.as_millis() as u64, "the search index follows the store's change log");
    }
    let state = services.harvester.state().clone();
    if state.is_shared() {
        let weak = Arc::downgrade(&services.catalogue);
        let spawned = std::thread::Builder::new().name("journal-recovery".into()).spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
                let Some(catalogue) = weak.upgrade() else { return };
                match Ledger::new(&catalogue, &state).recover_journal(SHARED_RECOVERY_AGE) {
                    Ok(r) if r != crate::ledger::Recovery::default() => {
                        tracing::warn!(finished = r.finished, abandoned = r.abandoned, "reconciled writes a node left half-done")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "reconciling the journal failed; trying again in a minute"),
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "the journal recovery task could not start");
        }
    }
}

/// A server ready to run, with the address it listens on.
pub struct Running {
    pub server: actix_web::dev::Server,
    pub addr: SocketAddr,
    pub services: Services,
}

/// Opens, seeds, binds `config.bind` and builds the server (it runs when awaited).
pub fn build(config: &Config) -> anyhow::Result<Running> {
    // opening blocks (a remote store's requests may not run on the async runtime's own thread)
    let services = std::thread::scope(|s| s.spawn(|| services(config)).join()).unwrap_or_else(|p| std::panic::resume_unwind(p))?;
    start_node_tasks(&services);
    let listener = TcpListener::bind(&config.bind).with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    let server = crate::web::server(listener, &services, config)?;
    Ok(Running { server, addr, services })
}
