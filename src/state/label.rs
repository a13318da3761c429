//! What the quality and utility label (EHDS Art. 78) keeps beside the catalogue, behind
//! [`LabelRepo`]: a health data holder's statements about a dataset's label metrics
//! ([`Declaration`]: value, evidence link, who, when), its yearly confirmations that a dataset's
//! description is still accurate ([`Attestation`], Art. 60 and recital 84), and an
//! organisation's self-assessment on QUANTUM's data holder maturity model ([`Maturity`]).
//! The rules (who may state what, how it is scored) are the label service's (`crate::label`).
//! Every write carries its audit note and is one transaction with it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;
use super::revisions::AuditNote;

/// A holder's statement of one label metric of one dataset. A newer statement of the same
/// metric replaces the older (the audit log keeps the history).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Declaration {
    /// The dataset IRI.
    pub dataset: String,
    /// The metric's id (`crate::label::spec`).
    pub metric: String,
    /// The metric's level as the holder states it.
    pub level: u8,
    /// A link to the evidence (a report, a page); may be empty.
    pub evidence: String,
    pub note: String,
    /// The account that entered it.
    pub author: String,
    pub time: DateTime<Utc>,
}

/// A holder's confirmation that a dataset's description is still accurate.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Attestation {
    pub dataset: String,
    pub author: String,
    pub time: DateTime<Utc>,
    pub note: String,
}

/// An organisation's self-assessment: a level (1–5) per maturity dimension it assessed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Maturity {
    /// The organisation's agent IRI.
    pub agent: String,
    /// Dimension id → level.
    pub levels: BTreeMap<String, u8>,
    pub evidence: String,
    pub note: String,
    pub author: String,
    pub time: DateTime<Utc>,
}

/// Where the label's statements are kept.
pub trait LabelRepo: Send + Sync {
    /// Stores a statement, replacing the dataset's earlier statement of the same metric.
    fn declare(&self, d: &Declaration, audit: &AuditNote) -> Result<(), StateError>;
    /// Removes a statement; `false` (and nothing written) when there was none.
    fn withdraw(&self, dataset: &str, metric: &str, audit: &AuditNote) -> Result<bool, StateError>;
    /// A dataset's statements, by metric id.
    fn declarations(&self, dataset: &str) -> Result<Vec<Declaration>, StateError>;
    /// Every statement, by dataset, then metric.
    fn all_declarations(&self) -> Result<Vec<Declaration>, StateError>;
    /// Records a confirmation.
    fn attest(&self, a: &Attestation, audit: &AuditNote) -> Result<(), StateError>;
    /// A dataset's confirmations, oldest first.
    fn attestations(&self, dataset: &str) -> Result<Vec<Attestation>, StateError>;
    /// The latest confirmation of every dataset that has one, by dataset.
    fn latest_attestations(&self) -> Result<Vec<Attestation>, StateError>;
    /// Stores an organisation's self-assessment, replacing its earlier one.
    fn set_maturity(&self, m: &Maturity, audit: &AuditNote) -> Result<(), StateError>;
    fn maturity(&self, agent: &str) -> Result<Option<Maturity>, StateError>;
    /// Every organisation's self-assessment, by agent.
    fn all_maturity(&self) -> Result<Vec<Maturity>, StateError>;
    /// A number that grows with every write of this repository and of the deliveries
    /// (`super::deliveries`), in whatever process shares the database: what a cache of labels
    /// is keyed by.
    fn version(&self) -> Result<u64, StateError>;
}
