//! The services, built once over the data directory's store and state: what the web layer and
//! the command line call. Neither reaches the store or the state database itself.

use std::sync::Arc;

use crate::accounts::Accounts;
use crate::catalog::Catalogue;
use crate::config::Config;
use crate::curation::Curation;
use crate::harvest::Harvester;
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
}

impl Services {
    /// The services over an opened catalogue and state database, set up by `config`.
    pub fn new(catalogue: Arc<Catalogue>, state: State, config: &Config) -> Result<Self, QualityError> {
        let quality = Quality::new(catalogue.clone(), config.vocabularies.clone(), config.quality.clone())?
            .with_address_guard(config.harvest.guard());
        Ok(Self {
            accounts: Accounts::new(state.clone()),
            curation: Curation::new(catalogue.clone(), state.clone()).with_four_eyes(config.curation.four_eyes),
            harvester: Arc::new(Harvester::new(catalogue.clone(), state, config.harvest.clone())),
            quality: Arc::new(quality),
            catalogue,
        })
    }
}
