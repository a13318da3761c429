//! The services, built once over the data directory's store and state: what the web layer and
//! the command line call. Neither reaches the store or the state database itself.

use std::sync::Arc;

use crate::accounts::Accounts;
use crate::catalog::Catalogue;
use crate::config::Config;
use crate::curation::Curation;
use crate::harvest::Harvester;
use crate::label::Labels;
use crate::lists::Lists;
use crate::state::State;
use crate::validate::quality::{Quality, QualityError};

/// Every service of one catalogue.
#[derive(Clone)]
pub struct Services {
    /// Reads of the public catalogue, RDF imports, search.
    pub catalogue: Arc<Catalogue>,
    /// Accounts, sign-in, sessions.
    pub accounts: Accounts,
    /// Drafts, review, publication, history, comments, the audit log, bulk import.
    pub curation: Curation,
    /// Harvest sources and runs.
    pub harvester: Arc<Harvester>,
    /// The metadata quality score.
    pub quality: Arc<Quality>,
    /// Saved variable lists of signed-in researchers.
    pub lists: Lists,
    /// The EHDS quality and utility label, attestations, maturity, delivery reports.
    pub labels: Arc<Labels>,
    /// The state database, for operations on the whole of it (backup, readiness); the services
    /// above own its content.
    state: State,
}

impl Services {
    /// The services over an opened catalogue and state database, set up by `config`.
    pub fn new(catalogue: Arc<Catalogue>, state: State, config: &Config) -> Result<Self, QualityError> {
        let quality = Quality::new(catalogue.clone(), config.vocabularies.clone(), config.quality.clone())?
            .with_address_guard(config.harvest.guard());
        Ok(Self {
            accounts: Accounts::new(state.clone()),
            curation: Curation::new(catalogue.clone(), state.clone()).with_four_eyes(config.curation.four_eyes),
            harvester: Arc::new(Harvester::new(catalogue.clone(), state.clone(), config.harvest.clone())),
            lists: Lists::new(catalogue.clone(), state.clone()),
            labels: Arc::new(Labels::new(catalogue.clone(), state.clone())),
            state,
            quality: Arc::new(quality),
            catalogue,
        })
    }
}

impl Services {
    /// Takes a consistent snapshot of the store and the state database into `dir` (absent or
    /// empty) while everything keeps serving (`crate::backup`).
    pub fn backup(&self, dir: &std::path::Path) -> Result<crate::backup::Manifest, crate::backup::BackupError> {
        crate::backup::backup(&self.catalogue, &self.state, dir)
    }

    /// Whether the store, the state database and the search index can be used: each part's
    /// name with what is wrong with it, empty when all are ready.
    pub fn readiness(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        let store = self.catalogue.store();
        let generation = match store.generation() {
            Ok(g) => Some(g),
            Err(e) => {
                problems.push(("store", e.to_string()));
                None
            }
        };
        if let Err(e) = self.state.users.get("") {
            problems.push(("state", e.to_string()));
        }
        match (self.catalogue.index().generation(), generation) {
            (None, _) => problems.push(("index", "the search index holds no commit".to_owned())),
            (Some(i), Some(g)) if i > g => problems.push(("index", format!("the index is at generation {i}, past the store's {g}"))),
            _ => {}
        }
        problems
    }

    /// Writes the store and the state database to disk (a clean shutdown).
    pub fn flush(&self) -> anyhow::Result<()> {
        self.catalogue.flush()?;
        self.state.flush()?;
        Ok(())
    }
}
