//! The records of the JSON API (`/api/v1`): every kind people curate (datasets, variables,
//! code lists with their codes, use cases, and data collections, which are datasets) read,
//! created, changed, moved through the workflow and saved in batches, with the same rules and
//! roles as the forms: every write is a [`Curation`] draft save (compare-and-set on the
//! record's latest revision) or a workflow step of [`Curation`].
//!
//! A record's JSON document: `id`, `iri`, `kind`, `state`, `version` (published), `revision`
//! (the latest revision: what `If-Match` names), `graph` (the record's graph in RDF/JSON,
//! `model::rdfjson`) and, for code lists, `codes` (each with `id`, `iri`, `graph`). What a GET
//! answers can be sent back unchanged: nothing is saved then. A problem with a submitted
//! document is named by its JSON Pointer and explained in Swedish and English
//! ([`Problem`]). Handlers parse the request, call one method here and render.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use oxigraph::model::{Graph, NamedNode};
use serde_json::{Value, json};

use super::{Actor, Curation, CurationError, Role, to_ntriples};
use crate::model::ids::check_slug;
use crate::model::rdfjson::{self, Problem, pointer_segment};
use crate::model::record::{RecordKind, Resource};
use crate::model::{ModelError, Variable};
use crate::search::{FacetName, SearchRequest};
use crate::store::{Filter, RecordMeta, RecordState};

/// The most records one batch may carry.
pub const MAX_BATCH: usize = 1000;

/// A collection of the API: which records a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Collection {
    Datasets,
    Variables,
    CodeLists,
    UseCases,
    /// Datasets that variables state requirements for (`/datainsamling`).
    DataCollections,
}

impl Collection {
    pub const ALL: [Self; 5] = [Self::Datasets, Self::Variables, Self::CodeLists, Self::UseCases, Self::DataCollections];

    /// The path segment under `/api/v1/`.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Datasets => "datasets",
            Self::Variables => "variables",
            Self::CodeLists => "codelists",
            Self::UseCases => "usecases",
            Self::DataCollections => "data-collections",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.segment() == s)
    }

    /// The kind of record it holds.
    pub fn kind(self) -> RecordKind {
        match self {
            Self::Datasets | Self::DataCollections => RecordKind::Dataset,
            Self::Variables => RecordKind::Variable,
            Self::CodeLists => RecordKind::CodeList,
            Self::UseCases => RecordKind::UseCase,
        }
    }
}

/// The API's name of a workflow state.
pub fn state_name(s: RecordState) -> &'static str {
    match s {
        RecordState::Draft => "draft",
        RecordState::InReview => "in_review",
        RecordState::Published => "published",
        RecordState::Retired => "retired",
    }
}

/// What a listing asks for.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// From 1.
    pub page: u64,
    pub page_size: u64,
    pub modified_since: Option<DateTime<Utc>>,
    /// Words and facet filters as on the search page; `None`: every public record in order.
    pub search: Option<SearchRequest>,
}

/// One page of a listing: the number of matching records and the page's summaries.
#[derive(Clone, Debug)]
pub struct Listed {
    pub total: u64,
    pub items: Vec<Value>,
}

/// A record's JSON document, with the revision its `ETag` names (`None`: an anonymous reader
/// sees the published version while a draft is open, which no `If-Match` can name).
#[derive(Clone, Debug)]
pub struct Document {
    pub body: Value,
    pub revision: Option<u64>,
}

/// Why an API request was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The submitted document has problems, each at its place.
    #[error("the document has {} problem(s)", .0.len())]
    Invalid(Vec<Problem>),
    #[error("there is no such record")]
    NotFound,
    /// A create of a record that exists (or existed: it has revisions).
    #[error("the record {0} exists already")]
    Exists(String),
    /// The revision named is not the latest.
    #[error("the record has moved on to revision {latest}")]
    Stale { latest: u64, pointer: Option<String> },
    #[error(transparent)]
    Refused(#[from] CurationError),
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Refused(e.into())
    }
}

/// A workflow step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Submit { message: String },
    Publish { change_note: String },
    SendBack { comment: String },
    Retire { note: String },
    Restore { revision: u64 },
}

/// A record read from a document, ready to save.
struct Parsed {
    main: Resource,
    codes: Vec<Resource>,
}

fn id_of(minter_base: &str, iri: &NamedNode, kind: RecordKind) -> String {
    let prefix = format!("{minter_base}{}/", kind.as_str());
    iri.as_str().strip_prefix(&prefix).unwrap_or(iri.as_str()).to_owned()
}

/// A term as the model's errors write it (`<iri>`), as the graph's key (`iri`).
fn key(term: &str) -> String {
    pointer_segment(term.strip_prefix('<').and_then(|t| t.strip_suffix('>')).unwrap_or(term))
}

/// A model error as a problem at its place in the graph at `at`.
fn model_problem(e: &ModelError, at: &str) -> Problem {
    match e {
        ModelError::InvalidValue { subject, property, value, expected } => Problem::new(
            format!("{at}/{}/{}", key(subject), key(property)),
            format!("Värdet {value} av <{property}> är inte {expected}."),
            format!("The value {value} of <{property}> is not {expected}."),
        ),
        ModelError::ForbiddenCharacter { subject, property, character } => Problem::new(
            format!("{at}/{}/{}", key(subject), key(property)),
            format!("Värdet av <{property}> innehåller styrtecknet {character}, som katalogen inte kan publicera (XML tillåter det inte)."),
            format!(
                "The value of <{property}> holds the control character {character}, which the catalogue cannot publish (XML does not allow it)."
            ),
        ),
        other => Problem::new(at, other.to_string(), other.to_string()),
    }
}

/// The rules a record must meet to be saved, as the forms have them: a Swedish label or title;
/// a dataset's Swedish description, publisher and access rights; a variable's range in order.
pub fn record_problems(r: &Resource, at: &str) -> Vec<Problem> {
    let subject = format!("{at}/{}", pointer_segment(r.iri().as_str()));
    let prop = |p: &str| format!("{subject}/{}", pointer_segment(p));
    let mut out = Vec::new();
    let label_property = match r.kind() {
        RecordKind::Dataset | RecordKind::CodeList | RecordKind::UseCase => crate::model::vocab::dct::TITLE.as_str(),
        _ => crate::model::vocab::skos::PREF_LABEL.as_str(),
    };
    if r.label().get("sv").is_none_or(|l| l.trim().is_empty()) {
        out.push(Problem::new(prop(label_property), "Ange en benämning eller titel på svenska.", "Give a label or title in Swedish."));
    }
    match r {
        Resource::Dataset(d) => {
            if d.description.get("sv").is_none_or(|l| l.trim().is_empty()) {
                out.push(Problem::new(
                    prop(crate::model::vocab::dct::DESCRIPTION.as_str()),
                    "Skriv en beskrivning på svenska.",
                    "Write a description in Swedish.",
                ));
            }
            if d.publisher.is_none() {
                out.push(Problem::new(prop(crate::model::vocab::dct::PUBLISHER.as_str()), "Ange utgivaren.", "Name the publisher."));
            }
            if d.access_rights.is_none() {
                out.push(Problem::new(
                    prop(crate::model::vocab::dct::ACCESS_RIGHTS.as_str()),
                    "Ange åtkomsträttigheter.",
                    "Name the access rights.",
                ));
            }
        }
        Resource::Variable(v) => out.extend(range_problem(v, &prop)),
        _ => {}
    }
    out
}

fn range_problem(v: &Variable, prop: &dyn Fn(&str) -> String) -> Option<Problem> {
    let (Some(min), Some(max)) = (&v.minimum, &v.maximum) else { return None };
    let (Ok(a), Ok(b)) = (min.value().parse::<f64>(), max.value().parse::<f64>()) else { return None };
    (a > b).then(|| {
        Problem::new(
            prop("http://www.w3.org/ns/csvw#maximum"),
            "Det högsta värdet är mindre än det lägsta.",
            "The maximum is smaller than the minimum.",
        )
    })
}

impl Curation {
    fn api_iri(&self, coll: Collection, id: &str) -> Option<NamedNode> {
        self.catalogue.minter().record(coll.kind(), id).ok()
    }

    /// Whether a public dataset is a data collection.
    fn is_collection(&self, iri: &NamedNode) -> Result<bool, CurationError> {
        Ok(crate::validate::collection::collections(&self.catalogue)?.contains(iri))
    }

    /// The record a path names, as the caller may see it: with `drafts` the working draft when
    /// there is one (API token holders), else the published version.
    fn api_current(&self, coll: Collection, id: &str, drafts: bool) -> Result<Option<(NamedNode, RecordState, Resource)>, CurationError> {
        let Some(iri) = self.api_iri(coll, id) else { return Ok(None) };
        let found = if drafts { self.current(&iri)? } else { self.published(&iri)?.map(|(m, r)| (m.state, r)) };
        let Some((state, r)) = found.filter(|(_, r)| r.kind() == coll.kind()) else { return Ok(None) };
        if coll == Collection::DataCollections && !self.is_collection(&iri)? {
            return Ok(None);
        }
        Ok(Some((iri, state, r)))
    }

    /// The codes of a list: its published codes and, with `drafts`, the working drafts of codes
    /// under it; each as the caller may see it.
    fn api_codes(&self, list: &NamedNode, drafts: bool) -> Result<Vec<Resource>, CurationError> {
        let mut iris: Vec<NamedNode> = self.catalogue.concepts_of(list)?.into_iter().map(|x| x.iri).collect();
        if drafts {
            let prefix = format!("{}/", list.as_str());
            for (iri, _) in self.open_drafts()? {
                if iri.starts_with(&prefix)
                    && let Ok(n) = NamedNode::new(iri)
                    && !iris.contains(&n)
                {
                    iris.push(n);
                }
            }
        }
        let mut out = Vec::new();
        for iri in iris {
            let found = if drafts { self.current(&iri)?.map(|(_, r)| r) } else { self.published(&iri)?.map(|(_, r)| r) };
            if let Some(r @ Resource::Concept(_)) = found
                && matches!(&r, Resource::Concept(c) if c.in_scheme.contains(list))
            {
                out.push(r);
            }
        }
        out.sort_by(|a, b| a.iri().as_str().cmp(b.iri().as_str()));
        Ok(out)
    }

    /// A record's JSON document.
    fn api_document(
        &self,
        coll: Collection,
        iri: &NamedNode,
        state: RecordState,
        r: &Resource,
        drafts: bool,
    ) -> Result<Document, CurationError> {
        let base = self.catalogue.minter().base().to_owned();
        let latest = self.latest_id(iri)?.unwrap_or(0);
        let version = self.catalogue.store().meta(iri.as_ref())?.map_or(0, |m| m.version);
        let mut body = json!({
            "id": id_of(&base, iri, coll.kind()),
            "iri": iri.as_str(),
            "kind": coll.kind().as_str(),
            "state": state_name(state),
            "version": version,
            "revision": latest,
            "graph": rdfjson::to_json(&r.to_graph()),
        });
        if coll == Collection::CodeLists {
            let prefix = format!("{}/", iri.as_str());
            let codes: Vec<Value> = self
                .api_codes(iri, drafts)?
                .iter()
                .map(|c| {
                    json!({
                        "id": c.iri().as_str().strip_prefix(&prefix).unwrap_or(c.iri().as_str()),
                        "iri": c.iri().as_str(),
                        "graph": rdfjson::to_json(&c.to_graph()),
                    })
                })
                .collect();
            body["codes"] = Value::Array(codes);
        }
        let revision = (drafts || !self.has_draft(iri)?).then_some(latest);
        Ok(Document { body, revision })
    }

    /// One record's document: the published version, or with `drafts` (a token holder) the
    /// working draft when there is one.
    pub fn api_get(&self, coll: Collection, id: &str, drafts: bool) -> Result<Document, ApiError> {
        let (iri, state, r) = self.api_current(coll, id, drafts)?.ok_or(ApiError::NotFound)?;
        Ok(self.api_document(coll, &iri, state, &r, drafts)?)
    }

    /// One page of the public records of a collection, by IRI; with `search`, the records the
    /// search finds, best first.
    pub fn api_list(&self, coll: Collection, q: &ListQuery) -> Result<Listed, ApiError> {
        let offset = (q.page.max(1) - 1) * q.page_size;
        let kind = coll.kind();
        let summary = |meta: &RecordMeta, r: &Resource| -> Value {
            json!({
                "id": id_of(self.catalogue.minter().base(), &meta.iri, kind),
                "iri": meta.iri.as_str(),
                "kind": kind.as_str(),
                "state": state_name(meta.state),
                "version": meta.version,
                "modified": meta.modified.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "label": {"sv": r.label().get("sv").unwrap_or(""), "en": r.label().get("en").unwrap_or("")},
            })
        };
        if let Some(search) = &q.search {
            let mut request = search.clone();
            request.filters.entry(FacetName::Kind).or_default().insert(kind.as_str().to_owned());
            request.offset = offset as usize;
            request.limit = q.page_size as usize;
            let found = self.catalogue.search(&request).map_err(|e| CurationError::Search(e.to_string()))?;
            let mut items = Vec::new();
            for hit in found.hits {
                let Ok(iri) = NamedNode::new(hit.iri) else { continue };
                if let Some((meta, r)) = self.published(&iri)? {
                    items.push(summary(&meta, &r));
                }
            }
            return Ok(Listed { total: found.total as u64, items });
        }
        let mut metas: Vec<RecordMeta> = if coll == Collection::DataCollections {
            let mut out = Vec::new();
            for iri in crate::validate::collection::collections(&self.catalogue)? {
                out.extend(self.catalogue.store().meta(iri.as_ref())?);
            }
            out.sort_by(|a, b| a.iri.as_str().cmp(b.iri.as_str()));
            out
        } else {
            self.catalogue.store().list(&Filter::public(kind), 0, u64::MAX)?
        };
        if let Some(since) = q.modified_since {
            metas.retain(|m| m.modified >= since);
        }
        let total = metas.len() as u64;
        let mut items = Vec::new();
        for meta in metas.into_iter().skip(offset as usize).take(q.page_size as usize) {
            if let Some((meta, r)) = self.published(&meta.iri)? {
                items.push(summary(&meta, &r));
            }
        }
        Ok(Listed { total, items })
    }

    /// Reads a submitted document for the record `iri` of `coll`; `at` is where it sits in the
    /// request body ("" for the whole body).
    fn api_parse(&self, coll: Collection, iri: &NamedNode, body: &Value, at: &str) -> Result<Parsed, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(obj) = body.as_object() else {
            return Err(vec![Problem::new(at, "Posten ska vara ett JSON-objekt.", "The record must be a JSON object.")]);
        };
        if let Some(given) = obj.get("iri")
            && given.as_str() != Some(iri.as_str())
        {
            problems.push(Problem::new(
                format!("{at}/iri"),
                format!("iri ska vara {iri} (den kan inte ändras)."),
                format!("iri must be {iri} (it cannot be changed)."),
            ));
        }
        if let Some(kind) = obj.get("kind")
            && kind.as_str() != Some(coll.kind().as_str())
        {
            problems.push(Problem::new(
                format!("{at}/kind"),
                format!("kind ska vara {}.", coll.kind().as_str()),
                format!("kind must be {}.", coll.kind().as_str()),
            ));
        }
        let main = self.api_parse_graph(coll.kind(), iri, obj.get("graph"), &format!("{at}/graph"), &mut problems);
        let mut codes = Vec::new();
        match (coll, obj.get("codes")) {
            (_, None) => {}
            (Collection::CodeLists, Some(Value::Array(list))) => {
                let prefix = format!("{}/", iri.as_str());
                let mut seen = HashSet::new();
                for (n, code) in list.iter().enumerate() {
                    let cat = format!("{at}/codes/{n}");
                    let code_iri = code.get("iri").and_then(Value::as_str).and_then(|s| NamedNode::new(s).ok());
                    let Some(code_iri) = code_iri.filter(|c| c.as_str().starts_with(&prefix) && c.as_str().len() > prefix.len()) else {
                        problems.push(Problem::new(
                            format!("{cat}/iri"),
                            format!("En kods iri ska börja med {prefix}."),
                            format!("A code's iri must start with {prefix}."),
                        ));
                        continue;
                    };
                    if !seen.insert(code_iri.clone()) {
                        problems.push(Problem::new(format!("{cat}/iri"), "Koden finns två gånger.", "The code is there twice."));
                        continue;
                    }
                    if let Some(r) =
                        self.api_parse_graph(RecordKind::Concept, &code_iri, code.get("graph"), &format!("{cat}/graph"), &mut problems)
                    {
                        match &r {
                            Resource::Concept(c) if c.in_scheme.contains(iri) => codes.push(r),
                            _ => problems.push(Problem::new(
                                format!("{cat}/graph/{}", pointer_segment(code_iri.as_str())),
                                format!("Koden ska höra till kodlistan (skos:inScheme {iri})."),
                                format!("The code must belong to the code list (skos:inScheme {iri})."),
                            )),
                        }
                    }
                }
            }
            (Collection::CodeLists, Some(_)) => {
                problems.push(Problem::new(format!("{at}/codes"), "codes ska vara en lista.", "codes must be an array."));
            }
            (_, Some(_)) => problems.push(Problem::new(format!("{at}/codes"), "Bara kodlistor har koder.", "Only code lists have codes.")),
        }
        match main {
            Some(main) if problems.is_empty() => Ok(Parsed { main, codes }),
            _ => Err(problems),
        }
    }

    /// One graph of a document as a typed record, checked.
    fn api_parse_graph(
        &self,
        kind: RecordKind,
        iri: &NamedNode,
        v: Option<&Value>,
        at: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Resource> {
        let Some(v) = v else {
            problems.push(Problem::new(at, "graph saknas.", "graph is missing."));
            return None;
        };
        let graph: Graph = match rdfjson::from_json(v, at) {
            Ok(g) => g,
            Err(p) => {
                problems.extend(p);
                return None;
            }
        };
        // the record's own subject and its blank nodes; another record's statement only as a
        // link to this record (the model keeps such links in the linked record's graph)
        let mut own = false;
        for t in graph.iter() {
            match t.subject {
                oxigraph::model::NamedOrBlankNodeRef::NamedNode(n) if n == iri.as_ref() => own = true,
                oxigraph::model::NamedOrBlankNodeRef::NamedNode(_) if t.object == iri.as_ref().into() => {}
                oxigraph::model::NamedOrBlankNodeRef::NamedNode(n) => {
                    let p = format!("{at}/{}", pointer_segment(n.as_str()));
                    if !problems.iter().any(|x| x.pointer == p) {
                        problems.push(Problem::new(
                            p,
                            format!("Grafen får bara beskriva posten {iri}, dess tomma noder och länkar till den, inte {n}."),
                            format!("The graph may only describe the record {iri}, its blank nodes and links to it, not {n}."),
                        ));
                    }
                }
                _ => {}
            }
        }
        if !own {
            problems.push(Problem::new(
                format!("{at}/{}", pointer_segment(iri.as_str())),
                format!("Grafen beskriver inte posten {iri}."),
                format!("The graph does not describe the record {iri}."),
            ));
            return None;
        }
        if let Err(e) = crate::model::chars::check_graph(&graph) {
            problems.push(model_problem(&e, at));
            return None;
        }
        match Resource::from_graph(kind, iri, &graph) {
            Ok(r) => {
                problems.extend(record_problems(&r, at));
                Some(r)
            }
            Err(e) => {
                problems.push(model_problem(&e, at));
                None
            }
        }
    }

    /// The records of a parsed document that differ from what the caller would read now.
    fn api_changed(&self, parsed: Parsed) -> Result<Vec<Resource>, CurationError> {
        let mut out = Vec::new();
        for r in std::iter::once(parsed.main).chain(parsed.codes) {
            let now = self.current(r.iri())?.map(|(_, c)| to_ntriples(&c.to_graph()));
            if now.as_deref() != Some(to_ntriples(&r.to_graph()).as_str()) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// After comparing a document with what is there now: refused as stale when a record's latest
    /// revision moved on since its `If-Match` was checked, so that of two identical writes
    /// from one revision the second is a 412 and not a save of nothing (the comparison read
    /// the first one's result).
    fn api_unmoved(&self, expect: &[(NamedNode, Option<u64>)]) -> Result<(), ApiError> {
        for (iri, latest) in expect {
            let now = self.latest_id(iri)?;
            if now != *latest {
                return Err(ApiError::Stale { latest: now.unwrap_or(0), pointer: None });
            }
        }
        Ok(())
    }

    /// Saves records as drafts in one write, expecting each named record's latest revision
    /// (compare-and-set: a conflict refuses the whole write).
    fn api_save(
        &self,
        actor: &Actor,
        records: Vec<Resource>,
        expect: &[(NamedNode, Option<u64>)],
        message: &str,
    ) -> Result<(), CurationError> {
        for r in &records {
            Self::check_kind(r)?;
            Self::check_characters(r)?;
        }
        let mut new = Vec::new();
        let mut notes = Vec::new();
        let mut seen = HashSet::new();
        for r in &records {
            if seen.insert(r.iri().clone()) {
                new.extend(self.baseline(r.iri())?);
            }
            new.push(Self::new_revision(actor, r, RecordState::Draft, None, message));
            notes.push(self.note(actor, "save_draft", r.iri().as_str(), message));
        }
        let expectations: Vec<_> =
            expect.iter().map(|(iri, latest)| crate::state::revisions::Expectation::new(iri.as_str(), *latest)).collect();
        let based_on = expect.first().and_then(|(_, l)| *l);
        self.state.revisions.append(&new, &notes, &expectations).map_err(|e| super::conflict(e, based_on))?;
        Ok(())
    }

    /// Creates a record (as a draft) from its document; the id is the document's `id`.
    pub fn api_create(&self, actor: &Actor, coll: Collection, body: &Value) -> Result<Document, ApiError> {
        Self::require(actor, Role::Redaktor)?;
        let id = body.get("id").and_then(Value::as_str).unwrap_or_default();
        if id == "ny" || check_slug(id).is_err() {
            return Err(ApiError::Invalid(vec![Problem::new(
                "/id",
                "id ska vara små bokstäver a–z, siffror och bindestreck (inte ”ny”).",
                "id must be lower-case letters a–z, digits and hyphens (not “ny”).",
            )]));
        }
        let iri = self.api_iri(coll, id).ok_or(ApiError::NotFound)?;
        if self.current(&iri)?.is_some() || self.latest_id(&iri)?.is_some() {
            return Err(ApiError::Exists(id.to_owned()));
        }
        let parsed = self.api_parse(coll, &iri, body, "").map_err(ApiError::Invalid)?;
        let records: Vec<Resource> = std::iter::once(parsed.main).chain(parsed.codes).collect();
        let message = body.get("message").and_then(Value::as_str).filter(|m| !m.trim().is_empty()).unwrap_or("Skapad genom API:t");
        self.api_save(actor, records, &[(iri.clone(), None)], message).map_err(|e| match e {
            CurationError::Conflict { .. } => ApiError::Exists(id.to_owned()),
            other => other.into(),
        })?;
        self.api_get(coll, id, true)
    }

    /// Replaces a record (as its working draft) with its document, when `if_match` is its
    /// latest revision; a document that changes nothing saves nothing.
    pub fn api_update(&self, actor: &Actor, coll: Collection, id: &str, if_match: u64, body: &Value) -> Result<(Document, bool), ApiError> {
        Self::require(actor, Role::Redaktor)?;
        let (iri, _, _) = self.api_current(coll, id, true)?.ok_or(ApiError::NotFound)?;
        let latest = self.latest_id(&iri)?;
        if if_match != latest.unwrap_or(0) {
            return Err(ApiError::Stale { latest: latest.unwrap_or(0), pointer: None });
        }
        let parsed = self.api_parse(coll, &iri, body, "").map_err(ApiError::Invalid)?;
        let changed = self.api_changed(parsed)?;
        if changed.is_empty() {
            self.api_unmoved(&[(iri, latest)])?;
            return Ok((self.api_get(coll, id, true)?, false));
        }
        let message = body.get("message").and_then(Value::as_str).filter(|m| !m.trim().is_empty()).unwrap_or("Ändrad genom API:t");
        self.api_save(actor, changed, &[(iri, latest)], message).map_err(|e| match e {
            CurationError::Conflict { latest, .. } => ApiError::Stale { latest, pointer: None },
            other => other.into(),
        })?;
        Ok((self.api_get(coll, id, true)?, true))
    }

    /// A workflow step on a record; answers its document afterwards.
    pub fn api_step(&self, actor: &Actor, coll: Collection, id: &str, step: &Step) -> Result<Document, ApiError> {
        let (iri, _, _) = self.api_current(coll, id, true)?.ok_or(ApiError::NotFound)?;
        match step {
            Step::Submit { message } => self.submit(actor, &iri, message).map(|_| ())?,
            Step::Publish { change_note } => self.publish(actor, &iri, change_note).map(|_| ())?,
            Step::SendBack { comment } => self.send_back(actor, &iri, comment).map(|_| ())?,
            Step::Retire { note } => self.retire(actor, &iri, note)?,
            Step::Restore { revision } => self.restore(actor, &iri, *revision).map(|_| ())?,
        }
        self.api_get(coll, id, true)
    }

    /// Saves many records in one write, all or nothing. `body` is `{"message": …, "records":
    /// [{"collection": …, "record": {document}}]}`: a record whose `id` exists must carry its
    /// latest `revision`; one that does not is created. Answers the documents saved, in order.
    pub fn api_batch(&self, actor: &Actor, body: &Value) -> Result<Vec<Value>, ApiError> {
        Self::require(actor, Role::Redaktor)?;
        let Some(items) = body.get("records").and_then(Value::as_array) else {
            return Err(ApiError::Invalid(vec![Problem::new("/records", "records ska vara en lista.", "records must be an array.")]));
        };
        if items.is_empty() || items.len() > MAX_BATCH {
            return Err(ApiError::Invalid(vec![Problem::new(
                "/records",
                format!("En sats ska ha 1–{MAX_BATCH} poster."),
                format!("A batch must hold 1–{MAX_BATCH} records."),
            )]));
        }
        let mut problems = Vec::new();
        let mut records = Vec::new();
        let mut expect = Vec::new();
        let mut saved = Vec::new();
        let mut seen = HashSet::new();
        for (n, item) in items.iter().enumerate() {
            let at = format!("/records/{n}");
            let Some(coll) = item.get("collection").and_then(Value::as_str).and_then(Collection::parse) else {
                problems.push(Problem::new(
                    format!("{at}/collection"),
                    "collection ska vara datasets, variables, codelists, usecases eller data-collections.",
                    "collection must be datasets, variables, codelists, usecases or data-collections.",
                ));
                continue;
            };
            let record = item.get("record").cloned().unwrap_or(Value::Null);
            let id = record.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
            let Some(iri) = self.api_iri(coll, &id).filter(|_| id != "ny") else {
                problems.push(Problem::new(
                    format!("{at}/record/id"),
                    "id ska vara små bokstäver a–z, siffror och bindestreck.",
                    "id must be lower-case letters a–z, digits and hyphens.",
                ));
                continue;
            };
            if !seen.insert(iri.clone()) {
                problems.push(Problem::new(
                    format!("{at}/record/id"),
                    "Posten finns två gånger i satsen.",
                    "The record is twice in the batch.",
                ));
                continue;
            }
            let exists = self.api_current(coll, &id, true)?.is_some();
            let latest = self.latest_id(&iri)?;
            if exists || latest.is_some() {
                let given = record.get("revision").and_then(Value::as_u64);
                if given != Some(latest.unwrap_or(0)) {
                    return Err(ApiError::Stale { latest: latest.unwrap_or(0), pointer: Some(format!("{at}/record/revision")) });
                }
            } else if coll == Collection::DataCollections {
                problems.push(Problem::new(
                    format!("{at}/collection"),
                    "En datainsamling skapas som datamängd (datasets).",
                    "A data collection is created as a dataset (datasets).",
                ));
                continue;
            }
            match self.api_parse(coll, &iri, &record, &format!("{at}/record")) {
                Ok(parsed) => {
                    records.extend(self.api_changed(parsed)?);
                    expect.push((iri, latest));
                    saved.push((coll, id));
                }
                Err(p) => problems.extend(p),
            }
        }
        if !problems.is_empty() {
            return Err(ApiError::Invalid(problems));
        }
        if records.is_empty() {
            self.api_unmoved(&expect)?;
        } else {
            let message =
                body.get("message").and_then(Value::as_str).filter(|m| !m.trim().is_empty()).unwrap_or("Sparad i en sats genom API:t");
            self.api_save(actor, records, &expect, message).map_err(|e| match e {
                CurationError::Conflict { latest, .. } => ApiError::Stale { latest, pointer: None },
                other => other.into(),
            })?;
        }
        let mut out = Vec::new();
        for (coll, id) in saved {
            out.push(self.api_get(coll, &id, true)?.body);
        }
        Ok(out)
    }
}
