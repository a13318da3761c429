//! Curation: the life of a record from draft to publication (DESIGN.md decision 5), with every
//! save kept as a revision (decision 6).
//!
//! utkast (draft) → granskning (in review) → publicerad (published) → utfasad (retired).
//!
//! Where a draft lives: **only in sled**, as the record's latest revision (with the `drafts`
//! index pointing at it). The oxigraph store holds only what has been published (or retired,
//! or imported with `--draft` from the command line), so a curation draft cannot reach pages,
//! search, `/catalog`, record IRIs or SPARQL: none of them reads sled. Editing a published
//! record opens a draft beside it; the published version stays in the store, public, until a
//! granskare publishes the draft, which replaces it through [`Catalogue`] (store, public default
//! graph and search index in one step) and bumps its version.
//!
//! Owns: the workflow rules and role checks ([`Curation`]), conflict detection (a save must
//! name the latest revision it started from), the version bump and change note on publication,
//! and diffs between revisions ([`diff`]).
//! Does not: render anything or know HTTP.

pub mod diff;
pub mod forms;
pub mod imports;
pub mod links;
pub mod records;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, Literal, NamedNode, Term, Triple, TripleRef};

use crate::catalog::Catalogue;
use crate::ledger::{Ledger, LedgerError};
use crate::model::record::{RecordKind, Resource, content_hash};
use crate::model::vocab::{adms, owl};
use crate::model::{LangText, ModelError};
pub use crate::state::comments::Comment;
use crate::state::journal::JournalEntry;
use crate::state::revisions::{AuditNote, Expectation, NewRevision};
pub use crate::state::revisions::{OpenDraft, Revision};
use crate::state::users::Role;
use crate::state::{State, StateError};
pub use crate::store::RecordState;
use crate::store::{Batch, CommitId, Expect, Record, RecordMeta, StoreError};

pub use crate::state::audit::Entry as AuditEntry;

/// Where a record stands for a signed-in person: its open draft, its comments and the state
/// and version of its public version.
#[derive(Clone, Debug)]
pub struct Standing {
    pub draft: Option<OpenDraft>,
    pub comments: Vec<Comment>,
    /// The state of the record in the store (published, retired, or none).
    pub stored: Option<RecordState>,
    /// The published version number (0: never published).
    pub version: u64,
}

/// Source IRI of records created by curation (records that existed keep their source).
pub const CURATION_SOURCE: &str = "urn:vardkatalog:source:curation";
/// The author of the baseline revision written for a record that had none.
pub const SYSTEM: &str = "system";

pub use crate::accounts::Actor;

/// Why a curation step was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CurationError {
    #[error("<{iri}> was saved by {author} (revision {latest}) after this edit started from {}", based_on.map(|b| format!("revision {b}")).unwrap_or_else(|| "the published version".into()))]
    Conflict { iri: String, based_on: Option<u64>, latest: u64, author: String },
    #[error("this needs the role {}", needed.as_str())]
    Forbidden { needed: Role },
    #[error("there is no record <{iri}>")]
    NotFound { iri: String },
    #[error("<{iri}> is {}: {action} needs it to be {}", state.label("en"), expected.label("en"))]
    WrongState { iri: String, state: RecordState, expected: RecordState, action: &'static str },
    #[error("<{iri}> has no draft")]
    NoDraft { iri: String },
    #[error("publishing needs a change note")]
    MissingChangeNote,
    #[error("the comment is empty")]
    EmptyComment,
    #[error("revision {revision} is not a revision of <{iri}>")]
    NoSuchRevision { iri: String, revision: u64 },
    #[error("{kind} records are not curated here")]
    NotCurated { kind: &'static str },
    #[error("<{iri}> links to records that are not published: {}", targets.iter().map(|t| t.iri.as_str()).collect::<Vec<_>>().join(", "))]
    LinksToUnpublished { iri: String, targets: Vec<Unresolved> },
    #[error("nothing was changed: {}", failures.iter().map(|f| format!("<{}>: {}", f.iri, f.error)).collect::<Vec<_>>().join("; "))]
    Several { failures: Vec<Failed> },
    #[error("no records were chosen")]
    NothingChosen,
    #[error("record <{iri}>: {error}")]
    Model { iri: String, error: ModelError },
    #[error("<{iri}>: four eyes: {user} changed this draft since it was last published, so someone else must publish it")]
    OwnWork { iri: String, user: String },
    #[error("the search failed: {0}")]
    Search(String),
    #[error("revision {revision} cannot be read: {message}")]
    BadRevision { revision: u64, message: String },
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A link of a record that does not resolve (see [`links`]): the record linked to, its kind and
/// label (from its draft when it has one), and its state (`None`: it does not exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    pub iri: String,
    pub kind: Option<RecordKind>,
    pub label: LangText,
    pub state: Option<RecordState>,
}

/// One record of a bulk step that was refused, and why.
#[derive(Debug)]
pub struct Failed {
    pub iri: String,
    pub label: LangText,
    pub error: CurationError,
}

impl CurationError {
    /// A bulk step's refusal of one record as that record's own error.
    fn single(self) -> Self {
        match self {
            CurationError::Several { mut failures } if failures.len() == 1 => failures.remove(0).error,
            other => other,
        }
    }
}

/// The curation service over the catalogue and the state database.
#[derive(Clone)]
pub struct Curation {
    catalogue: Arc<Catalogue>,
    state: State,
    /// Four eyes on publication (`[curation] four_eyes`, on by default): see [`Curation::publish`].
    four_eyes: bool,
    /// The API token the changes are made with, named in every audit entry.
    via: Option<String>,
}

/// What publishing one record writes: the record with the store revision it expects, and
/// its revisions and audit note with the latest revision it expects.
struct Publication {
    record: Record,
    expect: Expect,
    latest: Option<u64>,
    revisions: Vec<NewRevision>,
    audit: AuditNote,
}

/// The records named, each once, in the order first named.
fn unique(iris: &[NamedNode]) -> Vec<NamedNode> {
    let mut seen = HashSet::new();
    iris.iter().filter(|i| seen.insert((*i).clone())).cloned().collect()
}

/// N-Triples of a graph, one triple a line, sorted (stable across saves).
pub fn to_ntriples(graph: &Graph) -> String {
    let mut lines: Vec<String> = graph.iter().map(|t| format!("{t} .")).collect();
    lines.sort();
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The graph of a revision.
pub fn graph_of(rev: &Revision) -> Result<Graph, CurationError> {
    let mut g = Graph::new();
    for t in RdfParser::from_format(RdfFormat::NTriples).for_slice(rev.ntriples.as_bytes()) {
        let q = t.map_err(|e| CurationError::BadRevision { revision: rev.id, message: e.to_string() })?;
        g.insert(TripleRef::new(&q.subject, &q.predicate, &q.object));
    }
    Ok(g)
}

/// The typed record of a revision.
pub fn resource_of(rev: &Revision) -> Result<Resource, CurationError> {
    let kind = RecordKind::parse(&rev.kind)
        .ok_or_else(|| CurationError::BadRevision { revision: rev.id, message: format!("unknown kind {}", rev.kind) })?;
    let iri = NamedNode::new(&rev.iri).map_err(|e| CurationError::BadRevision { revision: rev.id, message: e.to_string() })?;
    Resource::from_graph(kind, &iri, &graph_of(rev)?).map_err(|error| CurationError::Model { iri: rev.iri.clone(), error })
}

fn label_of(r: &Resource) -> String {
    r.label().best("sv").to_owned()
}

/// Sets one value of the record's own subject kept in `extra` (properties the typed model does
/// not carry for this kind).
fn set_extra(extra: &mut Vec<Triple>, subject: &NamedNode, predicate: oxigraph::model::NamedNodeRef<'_>, object: Term) {
    extra.retain(|t| !(t.subject == subject.clone().into() && t.predicate == predicate));
    extra.push(Triple::new(subject.clone(), predicate, object));
    extra.sort_by_cached_key(ToString::to_string);
}

/// Writes the version number and change note of a publication into the record:
/// `dcat:version` where the model has it (datasets, code lists), `owl:versionInfo` otherwise;
/// `adms:versionNotes` in Swedish.
pub fn set_version(resource: &mut Resource, version: u64, note: &str) {
    let v = version.to_string();
    let iri = resource.iri().clone();
    let note_literal = Term::Literal(Literal::new_language_tagged_literal_unchecked(note, "sv"));
    let version_literal = Term::Literal(Literal::new_simple_literal(&v));
    match resource {
        Resource::Dataset(d) => {
            d.version = Some(v);
            d.version_notes = LangText::sv(note);
        }
        Resource::CodeList(c) => {
            c.version = Some(v);
            set_extra(&mut c.extra, &iri, adms::VERSION_NOTES, note_literal);
        }
        Resource::Variable(x) => {
            x.version_notes = LangText::sv(note);
            set_extra(&mut x.extra, &iri, owl::VERSION_INFO, version_literal);
        }
        other => {
            let extra = match other {
                Resource::Catalog(r) => &mut r.extra,
                Resource::Distribution(r) => &mut r.extra,
                Resource::DataService(r) => &mut r.extra,
                Resource::Agent(r) => &mut r.extra,
                Resource::Standard(r) => &mut r.extra,
                Resource::Concept(r) => &mut r.extra,
                Resource::UseCase(r) => &mut r.extra,
                Resource::Dataset(_) | Resource::CodeList(_) | Resource::Variable(_) => unreachable!("handled above"),
            };
            set_extra(extra, &iri, adms::VERSION_NOTES, note_literal);
            set_extra(extra, &iri, owl::VERSION_INFO, version_literal);
        }
    }
}

/// A refused state write as a curation error: a conflict names who saved last.
fn conflict(e: StateError, based_on: Option<u64>) -> CurationError {
    match e {
        StateError::Conflict { iri, latest, author, .. } => CurationError::Conflict { iri, based_on, latest: latest.unwrap_or(0), author },
        other => CurationError::State(other),
    }
}

impl Curation {
    pub fn new(catalogue: Arc<Catalogue>, state: State) -> Self {
        Self { catalogue, state, four_eyes: true, via: None }
    }

    /// Turns the four-eyes rule of [`Curation::publish`] on or off.
    pub fn with_four_eyes(mut self, on: bool) -> Self {
        self.four_eyes = on;
        self
    }

    /// The service for changes made with the API token `id`: every audit entry it writes names
    /// the token.
    pub fn via_token(&self, id: &str) -> Self {
        Self { via: Some(id.to_owned()), ..self.clone() }
    }

    /// An audit entry's detail, with the token the change was made with.
    fn detail(&self, detail: &str) -> String {
        match (&self.via, detail.is_empty()) {
            (Some(id), true) => format!("API-token {id}"),
            (Some(id), false) => format!("{detail} (API-token {id})"),
            (None, _) => detail.to_owned(),
        }
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Appends revisions with their audit notes, expecting `latest` to be the record's latest
    /// revision (the save is refused as a conflict otherwise).
    fn append(
        &self,
        iri: &NamedNode,
        latest: Option<u64>,
        new: &[NewRevision],
        notes: &[AuditNote],
    ) -> Result<Vec<Revision>, CurationError> {
        self.state.revisions.append(new, notes, &[Expectation::new(iri.as_str(), latest)]).map_err(|e| conflict(e, latest))
    }

    /// The id of the record's latest revision.
    fn latest_id(&self, iri: &NamedNode) -> Result<Option<u64>, CurationError> {
        Ok(self.state.revisions.latest(iri.as_str())?.map(|r| r.id))
    }

    /// Writes a record to the store and its revisions and audit notes to the state with one
    /// commit point ([`Ledger`]), expecting the store record at `expect` and the latest
    /// revision at `latest`.
    fn commit(
        &self,
        record: Record,
        expect: Expect,
        latest: Option<u64>,
        new: Vec<NewRevision>,
        note: AuditNote,
    ) -> Result<(), CurationError> {
        let iri = record.meta.iri.clone();
        let mut entry = JournalEntry::new(CommitId::new());
        entry.holds = vec![iri.as_str().to_owned()];
        entry.revisions = new;
        entry.audit = vec![note];
        let mut batch = Batch::new();
        batch.put(record, expect);
        match Ledger::new(&self.catalogue, &self.state).commit(batch, entry, &[Expectation::new(iri.as_str(), latest)]) {
            Ok(_) => Ok(()),
            Err(LedgerError::State(e)) => Err(conflict(e, latest)),
            Err(LedgerError::Store(StoreError::Conflict { .. })) => {
                let latest_now = self.state.revisions.latest(iri.as_str())?;
                Err(CurationError::Conflict {
                    iri: iri.as_str().to_owned(),
                    based_on: latest,
                    latest: latest_now.as_ref().map_or(0, |r| r.id),
                    author: latest_now.map(|r| r.author).unwrap_or_default(),
                })
            }
            Err(LedgerError::Store(e)) => Err(e.into()),
        }
    }

    /// The working draft if one exists, else the record in the store (published, retired, or a
    /// draft imported from the command line).
    pub fn current(&self, iri: &NamedNode) -> Result<Option<(RecordState, Resource)>, CurationError> {
        if let Some((rev, r)) = self.draft(iri)? {
            return Ok(Some((rev.state, r)));
        }
        match self.catalogue.store().get(iri.as_ref())? {
            Some(rec) => {
                let r = Resource::from_graph(rec.meta.kind, iri, &rec.graph)
                    .map_err(|error| CurationError::Model { iri: iri.as_str().to_owned(), error })?;
                Ok(Some((rec.meta.state, r)))
            }
            None => Ok(None),
        }
    }

    /// The working draft (its latest revision and the record), if there is one.
    pub fn draft(&self, iri: &NamedNode) -> Result<Option<(Revision, Resource)>, CurationError> {
        let Some(open) = self.state.revisions.open_draft(iri.as_str())? else { return Ok(None) };
        let Some(rev) = self.state.revisions.get(open.revision)? else { return Ok(None) };
        let r = resource_of(&rev)?;
        Ok(Some((rev, r)))
    }

    /// The record as the public sees it (published or retired), with its metadata.
    pub fn published(&self, iri: &NamedNode) -> Result<Option<(RecordMeta, Resource)>, CurationError> {
        Ok(self.catalogue.public_resource(iri.as_ref())?)
    }

    /// The latest revision of a record.
    pub fn latest_revision(&self, iri: &NamedNode) -> Result<Option<Revision>, CurationError> {
        Ok(self.state.revisions.latest(iri.as_str())?)
    }

    /// Every revision of a record, oldest first.
    pub fn history(&self, iri: &NamedNode) -> Result<Vec<Revision>, CurationError> {
        Ok(self.state.revisions.of_record(iri.as_str())?)
    }

    /// One revision by id.
    pub fn revision(&self, id: u64) -> Result<Option<Revision>, CurationError> {
        Ok(self.state.revisions.get(id)?)
    }

    /// Every open draft (work list), by record IRI.
    pub fn open_drafts(&self) -> Result<Vec<(String, OpenDraft)>, CurationError> {
        Ok(self.state.revisions.open_drafts()?)
    }

    /// The revision that records what the store held before the first curated change, when the
    /// record has no revision yet.
    fn baseline(&self, iri: &NamedNode) -> Result<Option<NewRevision>, CurationError> {
        if self.state.revisions.latest(iri.as_str())?.is_some() {
            return Ok(None);
        }
        let Some(rec) = self.catalogue.store().get(iri.as_ref())? else { return Ok(None) };
        let label = Resource::from_graph(rec.meta.kind, iri, &rec.graph).map(|r| label_of(&r)).unwrap_or_default();
        Ok(Some(NewRevision {
            iri: iri.as_str().to_owned(),
            kind: rec.meta.kind.as_str().to_owned(),
            author: SYSTEM.to_owned(),
            message: "Versionen före den första ändringen i katalogen".to_owned(),
            state: rec.meta.state,
            version: Some(rec.meta.version),
            ntriples: to_ntriples(&rec.graph),
            label,
        }))
    }

    fn check_kind(r: &Resource) -> Result<(), CurationError> {
        match r.kind() {
            RecordKind::Catalog => Err(CurationError::NotCurated { kind: "catalog" }),
            _ => Ok(()),
        }
    }

    /// Every draft passes here: no literal may hold a character XML cannot carry.
    fn check_characters(r: &Resource) -> Result<(), CurationError> {
        crate::model::chars::check_graph(&r.to_graph()).map_err(|error| CurationError::Model { iri: r.iri().as_str().to_owned(), error })
    }

    fn new_revision(actor: &Actor, r: &Resource, state: RecordState, version: Option<u64>, message: &str) -> NewRevision {
        NewRevision {
            iri: r.iri().as_str().to_owned(),
            kind: r.kind().as_str().to_owned(),
            author: actor.user.clone(),
            message: message.to_owned(),
            state,
            version,
            ntriples: to_ntriples(&r.to_graph()),
            label: label_of(r),
        }
    }

    fn note(&self, actor: &Actor, action: &str, iri: &str, detail: &str) -> AuditNote {
        AuditNote { who: actor.user.clone(), action: action.to_owned(), target: iri.to_owned(), detail: self.detail(detail) }
    }

    /// Saves records as drafts, all or nothing (bulk import): each becomes, or replaces, the
    /// record's working draft, beside the published version when there is one. No conflict
    /// check. Returns the new revision ids, in order.
    pub fn save_drafts(&self, actor: &Actor, records: Vec<Resource>, message: &str) -> Result<Vec<u64>, CurationError> {
        self.save_all(actor, records, None, message)
    }

    /// Saves one record as its working draft. `based_on` is the latest revision the edit
    /// started from (`None`: the record had no revision); when another save came in between,
    /// the save is refused with [`CurationError::Conflict`].
    pub fn save_draft(&self, actor: &Actor, record: Resource, based_on: Option<u64>, message: &str) -> Result<u64, CurationError> {
        self.save_edit(actor, vec![record], based_on, message)
    }

    /// Saves an edit as drafts, all or nothing: `records[0]` is the record edited, based on
    /// its latest revision `based_on` (a conflict when another save came in between, as in
    /// [`Curation::save_draft`]); the rest changed with it (a code list's codes) and are saved
    /// without a check. Returns the new revision of the record edited.
    pub fn save_edit(&self, actor: &Actor, records: Vec<Resource>, based_on: Option<u64>, message: &str) -> Result<u64, CurationError> {
        let Some(first) = records.first().map(|r| r.iri().clone()) else { return Ok(0) };
        let ids = self.save_all(actor, records, Some((first, based_on)), message)?;
        Ok(ids.first().copied().unwrap_or_default())
    }

    /// Saves records as drafts in one append, with their baselines and audit notes; `expect`
    /// names a record and the latest revision it must still have.
    fn save_all(
        &self,
        actor: &Actor,
        records: Vec<Resource>,
        expect: Option<(NamedNode, Option<u64>)>,
        message: &str,
    ) -> Result<Vec<u64>, CurationError> {
        Self::require(actor, Role::Redaktor)?;
        for r in &records {
            Self::check_kind(r)?;
            Self::check_characters(r)?;
        }
        let mut new = Vec::new();
        let mut notes = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for r in &records {
            if seen.insert(r.iri().clone()) {
                new.extend(self.baseline(r.iri())?);
            }
            new.push(Self::new_revision(actor, r, RecordState::Draft, None, message));
            notes.push(self.note(actor, "save_draft", r.iri().as_str(), message));
        }
        let expectations: Vec<Expectation> = expect.iter().map(|(iri, latest)| Expectation::new(iri.as_str(), *latest)).collect();
        let based_on = expect.and_then(|(_, latest)| latest);
        let written = self.state.revisions.append(&new, &notes, &expectations).map_err(|e| conflict(e, based_on))?;
        Ok(written.into_iter().filter(|r| r.author == actor.user && r.state == RecordState::Draft).map(|r| r.id).collect())
    }

    fn require(actor: &Actor, role: Role) -> Result<(), CurationError> {
        if actor.role < role {
            return Err(CurationError::Forbidden { needed: role });
        }
        Ok(())
    }

    fn open_draft_in(&self, iri: &NamedNode, expected: RecordState, action: &'static str) -> Result<(Revision, Resource), CurationError> {
        let Some((rev, r)) = self.draft(iri)? else {
            return Err(CurationError::NoDraft { iri: iri.as_str().to_owned() });
        };
        if rev.state != expected {
            return Err(CurationError::WrongState { iri: iri.as_str().to_owned(), state: rev.state, expected, action });
        }
        Ok((rev, r))
    }

    /// Sends the working draft for review (utkast → granskning).
    pub fn submit(&self, actor: &Actor, iri: &NamedNode, message: &str) -> Result<u64, CurationError> {
        let ids = self.submit_all(actor, std::slice::from_ref(iri), message).map_err(CurationError::single)?;
        Ok(ids[0])
    }

    /// Sends several working drafts for review in one write, all or nothing: each record is
    /// checked as [`Curation::submit`] checks one, and the revisions are appended together with
    /// a compare-and-set on each record's latest revision. When any record is refused, nothing
    /// is written and [`CurationError::Several`] names every record refused. Returns the new
    /// revision ids in the order of `iris` (repeats dropped).
    pub fn submit_all(&self, actor: &Actor, iris: &[NamedNode], message: &str) -> Result<Vec<u64>, CurationError> {
        Self::require(actor, Role::Redaktor)?;
        let iris = unique(iris);
        if iris.is_empty() {
            return Err(CurationError::NothingChosen);
        }
        let message = if message.trim().is_empty() { "Skickad till granskning" } else { message.trim() };
        let (mut new, mut notes, mut expect, mut failures) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for iri in &iris {
            let checked = self.latest_id(iri).and_then(|latest| Ok((latest, self.open_draft_in(iri, RecordState::Draft, "submit")?)));
            match checked {
                Ok((latest, (_, r))) => {
                    new.push(Self::new_revision(actor, &r, RecordState::InReview, None, message));
                    notes.push(self.note(actor, "submit", iri.as_str(), message));
                    expect.push(Expectation::new(iri.as_str(), latest));
                }
                Err(error) => failures.push(self.failed(iri, error)),
            }
        }
        if !failures.is_empty() {
            return Err(CurationError::Several { failures });
        }
        let written = self.state.revisions.append(&new, &notes, &expect).map_err(|e| conflict(e, None))?;
        Ok(written.into_iter().filter(|r| r.state == RecordState::InReview).map(|r| r.id).collect())
    }

    /// A refused record of a bulk step, with its label for the message.
    fn failed(&self, iri: &NamedNode, error: CurationError) -> Failed {
        Failed { iri: iri.as_str().to_owned(), label: self.label(iri), error }
    }

    /// The label of a record as a curator knows it (its draft's, else the stored one's).
    fn label(&self, iri: &NamedNode) -> LangText {
        self.current(iri).ok().flatten().map(|(_, r)| r.label().clone()).unwrap_or_default()
    }

    /// Sends a draft in review back to its editors with a comment (granskning → utkast).
    pub fn send_back(&self, actor: &Actor, iri: &NamedNode, comment: &str) -> Result<u64, CurationError> {
        Self::require(actor, Role::Granskare)?;
        let comment = comment.trim();
        if comment.is_empty() {
            return Err(CurationError::EmptyComment);
        }
        let latest = self.latest_id(iri)?;
        let (_, r) = self.open_draft_in(iri, RecordState::InReview, "send back")?;
        let message = format!("Återsänd: {comment}");
        let rev = Self::new_revision(actor, &r, RecordState::Draft, None, &message);
        let written = self.append(iri, latest, &[rev], &[self.note(actor, "send_back", iri.as_str(), comment)])?;
        self.state.comments.add(iri.as_str(), &actor.user, comment)?;
        Ok(written[0].id)
    }

    /// The pre-publish check ([`links`]): the links of `r` that resolve neither to a public
    /// record nor to one of `together` (published in the same step), named with their kind,
    /// label and state.
    pub fn unresolved_links(&self, r: &Resource, together: &HashSet<NamedNode>) -> Result<Vec<Unresolved>, CurationError> {
        let store = self.catalogue.store();
        let targets = links::unresolved(r, self.catalogue.minter(), together, |t| {
            Ok::<_, CurationError>(store.meta(t.as_ref())?.is_some_and(|m| m.state.is_public()))
        })?;
        let mut out = Vec::new();
        for t in targets {
            let current = self.current(&t)?;
            out.push(Unresolved {
                kind: current.as_ref().map(|(_, r)| r.kind()).or_else(|| self.catalogue.minter().parse(t.as_str()).map(|(k, _)| k)),
                label: current.as_ref().map(|(_, r)| r.label().clone()).unwrap_or_default(),
                state: current.map(|(s, _)| s),
                iri: t.as_str().to_owned(),
            });
        }
        Ok(out)
    }

    /// What publishing the working draft of `iri` alone would refuse for its links (the draft
    /// page shows it before the reviewer publishes); empty without a draft.
    pub fn publish_check(&self, iri: &NamedNode) -> Result<Vec<Unresolved>, CurationError> {
        match self.draft(iri)? {
            Some((_, r)) => self.unresolved_links(&r, &HashSet::new()),
            None => Ok(Vec::new()),
        }
    }

    /// Publishes the draft in review: bumps the version, writes the change note
    /// (`adms:versionNotes`), replaces the published version in the store, the public default
    /// graph and the search index, and closes the draft. Returns the new version number.
    ///
    /// Four eyes (when on): nobody publishes their own work. Walking the record's revisions
    /// since its last publication (all of them if it was never published), everyone who saved
    /// a revision whose content differs from the revision before it is an author of the draft
    /// (an edit, a restore, a bulk import; not sending for review or back, which keep the
    /// content; not the `system` baseline). An author cannot publish it
    /// ([`CurationError::OwnWork`]); another granskare or admin can.
    ///
    /// Only what is whole is published: every link of the record must resolve to a public
    /// record ([`Curation::unresolved_links`]), else [`CurationError::LinksToUnpublished`].
    pub fn publish(&self, actor: &Actor, iri: &NamedNode, change_note: &str) -> Result<u64, CurationError> {
        let versions = self.publish_all(actor, std::slice::from_ref(iri), change_note).map_err(CurationError::single)?;
        Ok(versions[0].1)
    }

    /// Publishes several drafts in review with one change note, in one write (one store batch
    /// and one state transaction through the [`Ledger`]), all or nothing. Each record is checked
    /// as [`Curation::publish`] checks one; a link to a record published in the same step
    /// resolves. The store write is a compare-and-set on each record's store revision and the
    /// state's on each record's latest revision. When any record is refused, nothing is written
    /// and [`CurationError::Several`] names every record refused, each with its reason. Returns
    /// each record with its new version, in the order of `iris` (repeats dropped).
    pub fn publish_all(&self, actor: &Actor, iris: &[NamedNode], change_note: &str) -> Result<Vec<(NamedNode, u64)>, CurationError> {
        Self::require(actor, Role::Granskare)?;
        let note = change_note.trim();
        if note.is_empty() {
            return Err(CurationError::MissingChangeNote);
        }
        let iris = unique(iris);
        if iris.is_empty() {
            return Err(CurationError::NothingChosen);
        }
        if let Some(c) = crate::model::chars::first_forbidden(note) {
            let iri = iris[0].as_str().to_owned();
            let (property, character) = (adms::VERSION_NOTES.as_str().to_owned(), crate::model::chars::code_point(c));
            return Err(CurationError::Model {
                iri: iri.clone(),
                error: ModelError::ForbiddenCharacter { subject: iri, property, character },
            });
        }
        let together: HashSet<NamedNode> = iris.iter().cloned().collect();
        let mut prepared = Vec::new();
        let mut failures = Vec::new();
        for iri in &iris {
            match self.prepare_publication(actor, iri, note, &together) {
                Ok(p) => prepared.push(p),
                Err(error) => failures.push(self.failed(iri, error)),
            }
        }
        if !failures.is_empty() {
            return Err(CurationError::Several { failures });
        }
        let mut entry = JournalEntry::new(CommitId::new());
        let mut batch = Batch::new();
        let mut expect = Vec::new();
        let mut out = Vec::new();
        for p in prepared {
            let iri = p.record.meta.iri.clone();
            entry.holds.push(iri.as_str().to_owned());
            entry.revisions.extend(p.revisions);
            entry.audit.push(p.audit);
            expect.push(Expectation::new(iri.as_str(), p.latest));
            out.push((iri, p.record.meta.version));
            batch.put(p.record, p.expect);
        }
        match Ledger::new(&self.catalogue, &self.state).commit(batch, entry, &expect) {
            Ok(_) => Ok(out),
            Err(LedgerError::State(e)) => Err(conflict(e, None)),
            Err(LedgerError::Store(StoreError::Conflict { iri, .. })) => {
                let latest_now = self.state.revisions.latest(&iri)?;
                Err(CurationError::Conflict {
                    based_on: expect.iter().find(|e| e.iri == iri).and_then(|e| e.latest),
                    latest: latest_now.as_ref().map_or(0, |r| r.id),
                    author: latest_now.map(|r| r.author).unwrap_or_default(),
                    iri,
                })
            }
            Err(LedgerError::Store(e)) => Err(e.into()),
        }
    }

    /// The checks of publishing one record (role and note are checked by the caller) and what
    /// its publication writes.
    fn prepare_publication(
        &self,
        actor: &Actor,
        iri: &NamedNode,
        note: &str,
        together: &HashSet<NamedNode>,
    ) -> Result<Publication, CurationError> {
        let latest = self.latest_id(iri)?;
        let (_, mut r) = self.open_draft_in(iri, RecordState::InReview, "publish")?;
        if self.four_eyes {
            let mut authors = HashSet::new();
            let mut before: Option<String> = None;
            for rev in self.history(iri)? {
                if rev.state == RecordState::Published {
                    authors.clear();
                } else if before.as_deref() != Some(rev.ntriples.as_str()) && rev.author != SYSTEM {
                    authors.insert(rev.author);
                }
                before = Some(rev.ntriples);
            }
            if authors.contains(&actor.user) {
                return Err(CurationError::OwnWork { iri: iri.as_str().to_owned(), user: actor.user.clone() });
            }
        }
        let targets = self.unresolved_links(&r, together)?;
        if !targets.is_empty() {
            return Err(CurationError::LinksToUnpublished { iri: iri.as_str().to_owned(), targets });
        }
        let previous = self.catalogue.store().meta(iri.as_ref())?;
        let version = match &previous {
            Some(m) if m.state.is_public() => m.version + 1,
            Some(m) => m.version,
            None => 1,
        };
        set_version(&mut r, version, note);
        let graph = r.to_graph();
        let expect = Expect::from_meta(previous.as_ref());
        let meta = RecordMeta {
            iri: iri.clone(),
            kind: r.kind(),
            state: RecordState::Published,
            version,
            rev: 0,
            source: previous.map(|m| m.source).unwrap_or_else(|| NamedNode::new_unchecked(CURATION_SOURCE)),
            content_hash: content_hash(&graph),
            modified: Utc::now(),
        };
        let mut revisions: Vec<NewRevision> = self.baseline(iri)?.into_iter().collect();
        revisions.push(Self::new_revision(actor, &r, RecordState::Published, Some(version), note));
        let audit = self.note(actor, "publish", iri.as_str(), &format!("version {version}: {note}"));
        Ok(Publication { record: Record { meta, graph }, expect, latest, revisions, audit })
    }

    /// Retires a published record: it stays resolvable and says so.
    pub fn retire(&self, actor: &Actor, iri: &NamedNode, note: &str) -> Result<(), CurationError> {
        Self::require(actor, Role::Granskare)?;
        let latest = self.latest_id(iri)?;
        let Some(rec) = self.catalogue.store().get(iri.as_ref())? else {
            return Err(CurationError::NotFound { iri: iri.as_str().to_owned() });
        };
        if rec.meta.state != RecordState::Published {
            return Err(CurationError::WrongState {
                iri: iri.as_str().to_owned(),
                state: rec.meta.state,
                expected: RecordState::Published,
                action: "retire",
            });
        }
        let r = Resource::from_graph(rec.meta.kind, iri, &rec.graph)
            .map_err(|error| CurationError::Model { iri: iri.as_str().to_owned(), error })?;
        let mut new: Vec<NewRevision> = self.baseline(iri)?.into_iter().collect();
        let message = if note.trim().is_empty() { "Utfasad" } else { note.trim() };
        new.push(Self::new_revision(actor, &r, RecordState::Retired, Some(rec.meta.version), message));
        let expect = Expect::Rev(rec.meta.rev);
        let meta = RecordMeta { state: RecordState::Retired, modified: Utc::now(), ..rec.meta };
        // a working draft stays open beside the retired record
        self.commit(Record { meta, graph: rec.graph }, expect, latest, new, self.note(actor, "retire", iri.as_str(), message))
    }

    /// Makes an old revision the working draft again (a new revision; nothing is lost).
    pub fn restore(&self, actor: &Actor, iri: &NamedNode, revision: u64) -> Result<u64, CurationError> {
        Self::require(actor, Role::Redaktor)?;
        let Some(rev) = self.state.revisions.get(revision)?.filter(|r| r.iri == iri.as_str()) else {
            return Err(CurationError::NoSuchRevision { iri: iri.as_str().to_owned(), revision });
        };
        let r = resource_of(&rev)?;
        let latest = self.latest_id(iri)?;
        let message = format!("Återställd från revision {revision}");
        let new = Self::new_revision(actor, &r, RecordState::Draft, None, &message);
        let written = self.append(iri, latest, &[new], &[self.note(actor, "restore", iri.as_str(), &message)])?;
        Ok(written[0].id)
    }

    /// Adds a comment to a record.
    pub fn comment(&self, actor: &Actor, iri: &NamedNode, text: &str) -> Result<Comment, CurationError> {
        Self::require(actor, Role::Redaktor)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(CurationError::EmptyComment);
        }
        if self.current(iri)?.is_none() {
            return Err(CurationError::NotFound { iri: iri.as_str().to_owned() });
        }
        let c = self.state.comments.add(iri.as_str(), &actor.user, text)?;
        self.state.audit.record(&actor.user, "comment", iri.as_str(), &self.detail(text))?;
        Ok(c)
    }

    /// Where a record stands: its draft, comments, and stored state and version.
    pub fn standing(&self, iri: &NamedNode) -> Result<Standing, CurationError> {
        let draft = self.state.revisions.open_draft(iri.as_str())?;
        let comments = self.state.comments.of_record(iri.as_str())?;
        let meta = self.catalogue.store().meta(iri.as_ref())?;
        Ok(Standing { draft, comments, stored: meta.as_ref().map(|m| m.state), version: meta.map_or(0, |m| m.version) })
    }

    /// The working draft as a record to show, with the metadata a page shows (its workflow
    /// state, the published version it will replace, when it was saved).
    pub fn draft_record(&self, iri: &NamedNode) -> Result<Option<(RecordMeta, Resource)>, CurationError> {
        let Some((rev, resource)) = self.draft(iri)? else { return Ok(None) };
        let version = self.catalogue.store().meta(iri.as_ref())?.map_or(0, |m| m.version);
        let meta = RecordMeta {
            iri: iri.clone(),
            kind: resource.kind(),
            state: rev.state,
            version,
            rev: 0,
            source: NamedNode::new_unchecked(CURATION_SOURCE),
            content_hash: String::new(),
            modified: rev.time,
        };
        Ok(Some((meta, resource)))
    }

    /// Whether a record has a working draft.
    pub fn has_draft(&self, iri: &NamedNode) -> Result<bool, CurationError> {
        Ok(self.state.revisions.open_draft(iri.as_str())?.is_some())
    }

    /// One page of the audit log, newest first, with the number of entries (admins' reading).
    pub fn audit_log(&self, offset: usize, limit: usize) -> Result<(usize, Vec<AuditEntry>), CurationError> {
        Ok((self.state.audit.count()?, self.state.audit.newest(offset, limit)?))
    }

    /// The comments on a record, oldest first.
    pub fn comments(&self, iri: &NamedNode) -> Result<Vec<Comment>, CurationError> {
        Ok(self.state.comments.of_record(iri.as_str())?)
    }
}
