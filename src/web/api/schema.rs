//! The types of the API's OpenAPI document: the JSON the records service writes
//! (`curation::records`) and reads, as schemas. The schemathesis run in `tests/it/api.rs` checks
//! every answer of a live server against them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The collections of records.
#[derive(ToSchema, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CollectionName {
    Datasets,
    Variables,
    Codelists,
    Usecases,
    DataCollections,
}

/// The collections records can be created in (a data collection is created as a dataset).
#[derive(ToSchema, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WritableCollection {
    Datasets,
    Variables,
    Codelists,
    Usecases,
}

/// A workflow step.
#[derive(ToSchema, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Submit,
    Publish,
    SendBack,
    Retire,
    Restore,
}

/// Where a record is in its life.
#[derive(ToSchema, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateName {
    Draft,
    InReview,
    Published,
    Retired,
}

/// The kind of an RDF term.
#[derive(ToSchema, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermType {
    Uri,
    Bnode,
    Literal,
}

/// One value in RDF/JSON.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct RdfTerm {
    #[serde(rename = "type")]
    pub kind: TermType,
    pub value: String,
    /// A literal's language tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// A literal's datatype IRI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
}

/// A graph in RDF/JSON (W3C RDF 1.1 JSON Alternate Serialization): subject (an IRI or `_:id`)
/// → predicate IRI → values.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct RdfJson(pub HashMap<String, HashMap<String, Vec<RdfTerm>>>);

/// A code of a code list.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct CodeDocument {
    pub id: String,
    pub iri: String,
    pub graph: RdfJson,
}

/// A record as the API answers it.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct RecordDocument {
    pub id: String,
    pub iri: String,
    pub kind: String,
    pub state: StateName,
    /// The published version (0: never published).
    pub version: u64,
    /// The latest revision (0: none yet): what `If-Match` names.
    pub revision: u64,
    pub graph: RdfJson,
    /// A code list's codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codes: Option<Vec<CodeDocument>>,
}

/// A record as sent: a document as GET answers it (`id`, `iri`, `kind`, `state`, `version` and
/// `revision` are read-only; when given, `iri` and `kind` must be the record's own), and an
/// optional `message` for the revision.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct RecordInput {
    /// The id (required when creating): lower-case letters a–z, digits and hyphens.
    pub id: Option<String>,
    pub iri: Option<String>,
    pub kind: Option<String>,
    pub state: Option<StateName>,
    pub version: Option<u64>,
    /// In a batch: the record's latest revision when it exists.
    pub revision: Option<u64>,
    /// The revision's message.
    pub message: Option<String>,
    pub graph: RdfJson,
    pub codes: Option<Vec<CodeDocument>>,
}

/// A record's label in both languages.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct Label {
    pub sv: String,
    pub en: String,
}

/// A record in a listing.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct RecordSummary {
    pub id: String,
    pub iri: String,
    pub kind: String,
    pub state: StateName,
    pub version: u64,
    #[schema(format = DateTime)]
    pub modified: String,
    pub label: Label,
}

/// One page of a listing.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct ListPage {
    pub items: Vec<RecordSummary>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// The listing's parameters.
#[derive(IntoParams, Deserialize)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The page, from 1.
    #[param(minimum = 1)]
    pub page: Option<u64>,
    /// Records per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub page_size: Option<u64>,
    /// Only records changed since this ISO 8601 date-time (a date alone is read as its midnight UTC).
    #[param(format = DateTime)]
    pub modified_since: Option<String>,
    /// Search words, as on the search page.
    pub q: Option<String>,
    /// Filters as on the search page (each may be repeated).
    pub datamangd: Option<String>,
    pub utgivare: Option<String>,
    pub halsokategori: Option<String>,
    pub tema: Option<String>,
    pub kodverk: Option<String>,
    pub datatyp: Option<String>,
    pub status: Option<String>,
    pub anvandningsfall: Option<String>,
    pub decennium: Option<String>,
}

/// One problem with a request: a place in the body (`pointer`, RFC 6901) or a parameter; for a
/// refused publication, a link that is not published (`link`, its `kind` and `state`, `null` when
/// the record does not exist); for a refused bulk step, a `record` with its `status` and its own
/// `errors`.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct ProblemItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The IRI of a linked record that is neither published nor published in the same step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The linked record's kind (`dataset`, `variable`, …); `null` when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = true)]
    pub kind: Option<String>,
    /// The linked record's state (`draft`, `in_review`, …); `null` when it does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = true)]
    pub state: Option<String>,
    /// The IRI of a record of a bulk step that was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// That record's HTTP status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub detail: String,
    /// That record's own problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(no_recursion)]
    pub errors: Option<Vec<ProblemItem>>,
}

/// An error (RFC 9457 problem details), in the language of `Accept-Language`.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct ProblemDoc {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Each problem at its place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemItem>>,
}

/// A workflow step's texts.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct WorkflowInput {
    /// submit: the revision's message.
    pub message: Option<String>,
    /// publish: the change note, published with the record (required).
    pub change_note: Option<String>,
    /// send-back: the comment to the editors (required).
    pub comment: Option<String>,
    /// retire: a note.
    pub note: Option<String>,
    /// restore: the revision to make the draft again (required).
    pub revision: Option<u64>,
}

/// One record of a batch.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct BatchItem {
    pub collection: CollectionName,
    pub record: RecordInput,
}

/// Many records, saved all or nothing.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct BatchInput {
    /// The revisions' message.
    pub message: Option<String>,
    #[schema(min_items = 1, max_items = 1000)]
    pub records: Vec<BatchItem>,
}

/// The records a batch saved, in order.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct BatchResult {
    pub items: Vec<RecordDocument>,
}

/// The error answer of the older JSON endpoints (search, quality, validate).
#[derive(ToSchema, Serialize, Deserialize)]
pub struct PlainError {
    pub error: serde_json::Value,
}

/// The kinds of record suggested while typing.
#[derive(ToSchema, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestedKind {
    Variable,
    Dataset,
    Concept,
    Codelist,
    Standard,
}

/// One suggestion for the search box.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct SuggestionDoc {
    pub iri: String,
    pub kind: SuggestedKind,
    /// The kind in words.
    pub kind_label: Label,
    /// The record's label; an empty string where it has none in that language.
    pub label: Label,
    /// The technical name or code (`HDIA`, `S72.0`), where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notation: Option<String>,
    /// The record's page on this site (a path: `/variable/par-hdia`).
    pub url: String,
}

/// Suggestions while typing.
#[derive(ToSchema, Serialize, Deserialize)]
pub struct SuggestPage {
    /// The text as received.
    pub q: String,
    /// Best first: a code or technical name typed whole, then labels that start as typed, then
    /// labels with a later word that does; at most `limit`.
    pub suggestions: Vec<SuggestionDoc>,
}
