//! What every handler can reach: the services, behind one handle in the application data.
//! Handlers call services; they never reach the store or the state database.

use std::sync::Arc;

use crate::accounts::Accounts;
use crate::catalog::Catalogue;
use crate::config::{IpRange, Lang};
use crate::curation::Curation;
use crate::harvest::Harvester;
use crate::lists::Lists;

/// The services and the settings handlers need.
pub struct AppState {
    /// Reads of the public catalogue, imports, the search index.
    pub catalogue: Arc<Catalogue>,
    /// Accounts, sign-in and sessions.
    pub accounts: Accounts,
    /// Drafts, review, publication, history, comments, the audit log, uploads.
    pub curation: Curation,
    /// Harvest sources, runs and their reports.
    pub harvester: Arc<Harvester>,
    /// Saved variable lists.
    pub lists: Lists,
    /// The quality label, attestations, maturity, deliveries and account memberships.
    pub labels: Arc<crate::label::Labels>,
    pub default_lang: Lang,
    /// Proxies whose `X-Forwarded-For` is believed (`trusted_proxies`; `guard::client_address`).
    pub trusted_proxies: Vec<IpRange>,
}
