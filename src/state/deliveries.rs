//! Delivery reports: what a region's check of one delivery to a data collection found, as
//! counts and rates per column, never values (EHDS Art. 78(3)(b), technical quality), behind
//! [`DeliveryRepo`]. Made from `validate::extract`'s report by the label service, which also
//! aggregates them into the region × period matrix.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;
use super::revisions::AuditNote;

/// One column of a delivery: whether it was there and how many of its values were filled and
/// invalid, with the invalid values counted by kind of problem.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ColumnCounts {
    pub name: String,
    /// `required`, `conditional` or `optional`.
    pub level: String,
    pub present: bool,
    /// Rows whose value was not empty.
    pub filled: u64,
    /// Filled values that broke a rule (type, code list, range).
    pub invalid: u64,
    /// Problem id (`type_error`, `code_not_in_list`, `empty_required_value`, …) → count.
    pub problems: BTreeMap<String, u64>,
}

/// One delivery's report.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Given by the repository.
    pub id: u64,
    /// The data collection's dataset IRI.
    pub collection: String,
    /// The region's agent IRI.
    pub region: String,
    /// `YYYY` or `YYYY-MM`.
    pub period: String,
    /// Data rows checked (0 when only the header was checked).
    pub rows: u64,
    /// Only the header row was checked (no value counts).
    pub header_only: bool,
    pub columns: Vec<ColumnCounts>,
    /// Columns in the delivery that the collection does not name.
    pub unknown_columns: u64,
    pub errors: u64,
    pub warnings: u64,
    pub passed: bool,
    pub submitted_by: String,
    pub time: DateTime<Utc>,
}

/// Where delivery reports are kept.
pub trait DeliveryRepo: Send + Sync {
    /// Stores a report (its `id` is given here) and returns it as stored. A later report of
    /// the same collection, region and period supersedes an earlier one in the matrix; both
    /// are kept.
    fn add(&self, report: &DeliveryReport, audit: &AuditNote) -> Result<DeliveryReport, StateError>;
    /// A collection's reports, oldest first.
    fn of_collection(&self, collection: &str) -> Result<Vec<DeliveryReport>, StateError>;
    /// Every report, oldest first.
    fn all_deliveries(&self) -> Result<Vec<DeliveryReport>, StateError>;
}
