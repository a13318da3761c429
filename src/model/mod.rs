//! The domain model: typed records and their lossless mapping to and from RDF.
//!
//! Owns: the record types (catalogue, dataset, distribution, data service, agent and contact
//! point, coding system, variable, code list and code, use case, requirement), how a graph is cut
//! into records, how record IRIs are minted from the base, and every vocabulary IRI.
//! Knows nothing of the store, the web or the index. `docs/rdf-model.md` is the written contract.

mod agent;
mod catalog;
pub mod chars;
mod codelist;
mod dataset;
pub mod documentation;
pub mod fold;
pub mod health_lists;
pub mod ids;
pub mod rdf;
pub mod rdfjson;
pub mod record;
mod variable;
pub mod vocab;

pub use agent::{Agent, ContactPoint};
pub use catalog::{Catalog, Standard, UseCase};
pub use codelist::{CodeList, Concept};
pub use dataset::{Attribution, DataService, Dataset, DatasetKind, Distribution};
pub use documentation::{MissingValue, Temporality, UnitType};
pub use ids::Minter;
pub use rdf::{LangString, LangText, Period, Temporal};
pub use record::{RecordKind, Resource};
pub use variable::{Representation, Requirement, RequirementLevel, Variable};

/// A value in RDF that the model cannot accept.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelError {
    #[error("{subject}: the value {value} of <{property}> is not {expected}")]
    InvalidValue { subject: String, property: String, value: String, expected: &'static str },
    #[error("<{iri}> is not a valid IRI: {reason}")]
    InvalidIri { iri: String, reason: String },
    #[error("'{id}' is not a valid identifier: use lower-case letters a–z, digits and hyphens")]
    InvalidId { id: String },
    /// A character XML 1.0 cannot carry (`chars::forbidden`): a C0 control other than TAB, LF
    /// and CR, or U+FFFE/U+FFFF.
    #[error("{subject}: the value of <{property}> holds the control character {character}, which XML cannot carry; remove it")]
    ForbiddenCharacter { subject: String, property: String, character: String },
}
