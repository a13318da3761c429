//! Revisions: every save of a record, with who, when, why, its workflow state and the full
//! record graph as N-Triples (DESIGN.md decision 6); the index of open drafts; and the journal
//! of writes that span the record store and this database ([`crate::state::journal`]), behind
//! [`RevisionRepo`].
//!
//! The contract: [`RevisionRepo::append`] checks what the writer expected (the latest revision
//! it based its change on) and that no commit under way holds the record, then writes the
//! revisions, the indexes and their audit entries at once, durable when it returns — all or
//! nothing, whatever process writes. Decides no workflow (`curation` does); parses no RDF.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;
use super::harvest::{RunReport, Written};
use crate::store::{CommitId, RecordState};

/// The workflow state's stable name in stored values.
pub fn state_name(s: RecordState) -> &'static str {
    match s {
        RecordState::Draft => "draft",
        RecordState::InReview => "in_review",
        RecordState::Published => "published",
        RecordState::Retired => "retired",
    }
}

/// The workflow state of a stored name.
pub fn parse_state(s: &str) -> Option<RecordState> {
    RecordState::ALL.into_iter().find(|x| state_name(*x) == s)
}

mod state_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::store::RecordState;

    pub fn serialize<S: Serializer>(s: &RecordState, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(super::state_name(*s))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<RecordState, D::Error> {
        let s = String::deserialize(de)?;
        super::parse_state(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown state {s}")))
    }
}

/// One saved state of a record.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Revision {
    pub id: u64,
    /// The record IRI.
    pub iri: String,
    /// The record kind (`variable`, `dataset` …).
    pub kind: String,
    pub author: String,
    pub time: DateTime<Utc>,
    /// Why: the save message, the change note of a publication, the reviewer's comment.
    pub message: String,
    /// The workflow state the record had with this revision.
    #[serde(with = "state_serde")]
    pub state: RecordState,
    /// The published version number, for published and retired revisions.
    pub version: Option<u64>,
    /// The whole record graph, N-Triples, sorted.
    pub ntriples: String,
    /// When the version this revision records was published, where that is not `time`: a
    /// baseline revision (written at the first curated change) records the store's version
    /// from before, published at the store's modification time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
}

impl Revision {
    /// When the version this revision records became public (published and retired revisions
    /// only).
    pub fn published_at(&self) -> Option<DateTime<Utc>> {
        self.state.is_public().then(|| self.published.unwrap_or(self.time))
    }
}

/// A revision to write (the id and time are given when it is written).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewRevision {
    pub iri: String,
    pub kind: String,
    pub author: String,
    pub message: String,
    #[serde(with = "state_serde")]
    pub state: RecordState,
    pub version: Option<u64>,
    pub ntriples: String,
    /// The label to show in work lists (Swedish, or whatever the record has).
    pub label: String,
    /// See [`Revision::published`]; `None`: published when written (or not published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
}

/// The working draft of a record (in the `drafts` index).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OpenDraft {
    pub revision: u64,
    #[serde(with = "state_serde")]
    pub state: RecordState,
    pub kind: String,
    pub author: String,
    pub time: DateTime<Utc>,
    pub label: String,
}

/// An audit entry written with the revisions.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuditNote {
    pub who: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// What a write expects a record's history to be: the id of its latest revision (`None`: no
/// revision yet). A write whose expectation no longer holds is refused with
/// [`StateError::Conflict`], whoever wrote in between, in whatever process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    pub iri: String,
    pub latest: Option<u64>,
}

impl Expectation {
    pub fn new(iri: &str, latest: Option<u64>) -> Self {
        Self { iri: iri.to_owned(), latest }
    }
}

/// The journal (see `state::journal`): what the state records about one store commit.
/// Harvest bookkeeping recorded with a run's commit.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HarvestEffect {
    pub source: String,
    /// What the source wrote per record (`None`: forget the record).
    pub owned: Vec<(String, Option<Written>)>,
    /// The run's report as it stands once the commit is done.
    pub report: RunReport,
}

/// Everything the state records about one store commit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JournalEntry {
    pub id: CommitId,
    pub created: DateTime<Utc>,
    /// Records no one else may change until the entry ends.
    pub holds: Vec<String>,
    pub revisions: Vec<NewRevision>,
    pub audit: Vec<AuditNote>,
    #[serde(default)]
    pub harvest: Option<HarvestEffect>,
}

impl JournalEntry {
    pub fn new(id: CommitId) -> Self {
        Self { id, created: Utc::now(), holds: Vec::new(), revisions: Vec::new(), audit: Vec::new(), harvest: None }
    }
}

/// Where revisions, open drafts and the journal are kept.
pub trait RevisionRepo: Send + Sync {
    /// Writes revisions (in order), updates the drafts index and appends the audit notes at
    /// once, after checking `expect` and that no commit under way holds one of the records;
    /// durable when it returns. A failed check is [`StateError::Conflict`] and writes nothing.
    fn append(&self, new: &[NewRevision], notes: &[AuditNote], expect: &[Expectation]) -> Result<Vec<Revision>, StateError>;
    /// One revision by id.
    fn get(&self, id: u64) -> Result<Option<Revision>, StateError>;
    /// Every revision of a record, oldest first.
    fn of_record(&self, iri: &str) -> Result<Vec<Revision>, StateError>;
    /// The latest revision of a record.
    fn latest(&self, iri: &str) -> Result<Option<Revision>, StateError>;
    /// Published and retired revisions of every record, newest first (by id), with ids below
    /// `before` when given; at most `limit`. Never a draft or a revision in review: what the
    /// public change list reads.
    fn public(&self, before: Option<u64>, limit: usize) -> Result<Vec<Revision>, StateError>;
    /// The working draft of a record, if it has one.
    fn open_draft(&self, iri: &str) -> Result<Option<OpenDraft>, StateError>;
    /// Every working draft, by record IRI.
    fn open_drafts(&self) -> Result<Vec<(String, OpenDraft)>, StateError>;

    /// Journal step 1: checks `expect`, stores the entry and holds its records (durable when
    /// it returns); a held record or an unexpected latest revision is a conflict.
    fn begin(&self, entry: &JournalEntry, expect: &[Expectation]) -> Result<(), StateError>;
    /// Journal step 3 (or recovery of a committed batch): records the entry's revisions, audit
    /// notes and harvest bookkeeping, drops the entry and releases its holds, at once; `None`
    /// when there is no such entry.
    fn finish(&self, id: &CommitId) -> Result<Option<Vec<Revision>>, StateError>;
    /// Drops an entry whose batch did not commit, releasing its holds.
    fn abandon(&self, id: &CommitId) -> Result<(), StateError>;
    /// Every entry not yet finished or abandoned, oldest first.
    fn pending(&self) -> Result<Vec<JournalEntry>, StateError>;
}
