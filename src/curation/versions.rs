//! Published versions: every version of a record the public has seen, from the revisions the
//! state keeps (publications, retirements, the baseline of a record's first curated change)
//! and the store's current version; the version in effect on a date; the list of published
//! changes, newest first, each classified ([`super::impact`]); the classified changes a
//! reviewer is about to publish; and the citation of a version.
//!
//! Public reading: only published and retired revisions are read here (never a draft or a
//! revision in review), and only of records the store holds as public.
//!
//! A version published outside curation (a harvest, an RDF import) has no revision: only the
//! store's current version is known of it, published at the store's modification time.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use oxigraph::model::{Graph, NamedNode};

use super::impact::{self, Classified, Impact};
use super::{Curation, CurationError, Revision, SYSTEM, graph_of, resource_of};
use crate::model::record::{RecordKind, Resource};
use crate::model::{Concept, LangText};
use crate::publish::citation::{self, Citation};
use crate::store::{RecordMeta, RecordState};

/// How many public revisions one filtered change list or feed reads at most.
pub const SCAN_LIMIT: usize = 5000;
const SCAN_BATCH: usize = 200;

/// One published version of a record.
#[derive(Clone, Debug)]
pub struct PublishedVersion {
    pub version: u64,
    /// When it became public.
    pub published: DateTime<Utc>,
    /// When it was retired, if it was.
    pub retired: Option<DateTime<Utc>>,
    /// The revision that records it (`None`: only the store has it).
    pub revision: Option<u64>,
    /// The record graph of this version.
    pub graph: Graph,
    /// Its change note (the publication's message, or the note the record carries).
    pub note: String,
}

/// Every known published version of a public record, oldest first.
#[derive(Clone, Debug)]
pub struct Versions {
    pub iri: NamedNode,
    pub kind: RecordKind,
    /// The store's metadata of the record as it is now.
    pub meta: RecordMeta,
    pub list: Vec<PublishedVersion>,
}

impl Versions {
    /// The index of version `n`.
    pub fn index_of(&self, n: u64) -> Option<usize> {
        self.list.iter().position(|v| v.version == n)
    }

    /// The index of the current version (the last).
    pub fn current(&self) -> usize {
        self.list.len().saturating_sub(1)
    }

    /// The typed record of version `i`.
    pub fn resource(&self, i: usize) -> Result<Resource, CurationError> {
        Resource::from_graph(self.kind, &self.iri, &self.list[i].graph)
            .map_err(|error| CurationError::Model { iri: self.iri.as_str().to_owned(), error })
    }

    /// Until when version `i` was the one in effect (the next publication), if it was replaced.
    pub fn replaced(&self, i: usize) -> Option<DateTime<Utc>> {
        self.list.get(i + 1).map(|v| v.published)
    }

    /// The changes from the version before `i` to `i`, classified (none for the first).
    pub fn changes(&self, i: usize) -> Vec<Classified> {
        match i.checked_sub(1) {
            Some(p) => impact::compare(self.kind, Some(&self.list[p].graph), &self.list[i].graph, &self.iri),
            None => Vec::new(),
        }
    }
}

/// What was in effect at a moment.
#[derive(Clone, Debug)]
pub enum AsOf {
    /// Version `index` of `versions`.
    Found { versions: Versions, index: usize },
    /// The record was first published later, at `first`.
    BeforeFirst { first: DateTime<Utc> },
}

/// One published change: a publication or retirement of a record, with what changed since
/// the version before.
#[derive(Clone, Debug)]
pub struct PublishedChange {
    /// The revision that records it.
    pub revision: u64,
    pub iri: NamedNode,
    pub kind: RecordKind,
    pub version: u64,
    pub time: DateTime<Utc>,
    pub label: LangText,
    /// The change note (or the retirement's message).
    pub note: String,
    pub retired: bool,
    /// No earlier public version is known: the record was published for the first time.
    pub first: bool,
    pub impact: Impact,
    pub changes: Vec<Classified>,
    /// A code's code list (after the change, or before it when the code left the list).
    pub scheme: Option<NamedNode>,
    /// A code's value.
    pub notation: Option<String>,
}

/// Which records a change list is about: some records, and the codes of some code lists.
#[derive(Clone, Debug, Default)]
pub struct ChangeScope {
    pub records: HashSet<String>,
    pub lists: HashSet<String>,
}

/// A request for published changes.
#[derive(Clone, Debug)]
pub struct ChangeQuery {
    /// Only revisions older than this one (paging).
    pub before: Option<u64>,
    pub limit: usize,
    /// Only changes of this class.
    pub impact: Option<Impact>,
    /// Only changes of these records.
    pub scope: Option<ChangeScope>,
    /// At most this many public revisions are read (filters may match few).
    pub scan: usize,
}

/// A page of published changes, newest first, and where the next page starts.
#[derive(Clone, Debug)]
pub struct ChangePage {
    pub entries: Vec<PublishedChange>,
    pub next: Option<u64>,
}

impl Curation {
    /// Every published version of a record the catalogue knows, oldest first; `None` when the
    /// record is not public.
    pub fn published_versions(&self, iri: &NamedNode) -> Result<Option<Versions>, CurationError> {
        let Some(rec) = self.catalogue.store().get(iri.as_ref())? else { return Ok(None) };
        if !rec.meta.state.is_public() {
            return Ok(None);
        }
        let mut list: Vec<PublishedVersion> = Vec::new();
        for rev in self.history(iri)? {
            let (Some(n), Some(at)) = (rev.version, rev.published_at()) else { continue };
            let same = list.last().is_some_and(|l| l.version == n);
            match rev.state {
                RecordState::Published if same => {}
                RecordState::Published => list.push(self.version_of(&rev, n, at, None)?),
                RecordState::Retired if same => {
                    if let Some(last) = list.last_mut() {
                        last.retired = Some(rev.time);
                    }
                }
                RecordState::Retired => list.push(self.version_of(&rev, n, at, Some(rev.time))?),
                RecordState::Draft | RecordState::InReview => {}
            }
        }
        let retired_now = (rec.meta.state == RecordState::Retired).then_some(rec.meta.modified);
        match list.iter_mut().find(|v| v.version == rec.meta.version) {
            Some(v) => {
                if v.retired.is_none() {
                    v.retired = retired_now;
                }
            }
            None => {
                let note = Resource::from_graph(rec.meta.kind, iri, &rec.graph)
                    .map(|r| crate::publish::feed::version_notes(&r).best("sv").to_owned())
                    .unwrap_or_default();
                list.push(PublishedVersion {
                    version: rec.meta.version,
                    published: rec.meta.modified,
                    retired: retired_now,
                    revision: None,
                    graph: rec.graph,
                    note,
                });
            }
        }
        list.sort_by_key(|v| v.version);
        Ok(Some(Versions { iri: iri.clone(), kind: rec.meta.kind, meta: rec.meta, list }))
    }

    fn version_of(
        &self,
        rev: &Revision,
        n: u64,
        at: DateTime<Utc>,
        retired: Option<DateTime<Utc>>,
    ) -> Result<PublishedVersion, CurationError> {
        let note = if rev.author == SYSTEM {
            resource_of(rev).map(|r| crate::publish::feed::version_notes(&r).best("sv").to_owned()).unwrap_or_default()
        } else {
            rev.message.clone()
        };
        Ok(PublishedVersion { version: n, published: at, retired, revision: Some(rev.id), graph: graph_of(rev)?, note })
    }

    /// The version of a public record in effect just before `before`; `None` when the record is
    /// not public.
    pub fn as_of(&self, iri: &NamedNode, before: DateTime<Utc>) -> Result<Option<AsOf>, CurationError> {
        let Some(versions) = self.published_versions(iri)? else { return Ok(None) };
        match versions.list.iter().rposition(|v| v.published < before) {
            Some(index) => Ok(Some(AsOf::Found { versions, index })),
            None => Ok(versions.list.first().map(|v| AsOf::BeforeFirst { first: v.published })),
        }
    }

    /// The codes a code list held just before `before`, each as it was then, in display order:
    /// the codes minted under the list (in it or no longer) and the codes that say they are in
    /// it, each read as of that moment.
    pub fn codes_as_of(&self, list: &NamedNode, before: DateTime<Utc>) -> Result<Vec<Concept>, CurationError> {
        let reads = self.catalogue.reads();
        let mut candidates: BTreeSet<NamedNode> = reads.codes_minted_under(list)?.into_iter().collect();
        candidates.extend(reads.concept_iris(list)?);
        let mut out = Vec::new();
        for code in candidates {
            if let Some(AsOf::Found { versions, index }) = self.as_of(&code, before)?
                && let Ok(Resource::Concept(c)) = versions.resource(index)
                && c.in_scheme.contains(list)
            {
                out.push(c);
            }
        }
        crate::store::read::sort_concepts(&mut out);
        Ok(out)
    }

    /// The records a saved variable list follows: the variables, their code lists and the codes
    /// of those lists.
    pub fn scope_of_variables(&self, variables: &[NamedNode]) -> Result<ChangeScope, CurationError> {
        let mut scope = ChangeScope::default();
        for v in variables {
            scope.records.insert(v.as_str().to_owned());
            if let Some((_, Resource::Variable(var))) = self.catalogue.public_resource(v.as_ref())?
                && let Some(list) = var.representation.as_ref().and_then(|r| r.code_list())
            {
                scope.records.insert(list.as_str().to_owned());
                scope.lists.insert(list.as_str().to_owned());
            }
        }
        Ok(scope)
    }

    fn in_scope(&self, scope: &ChangeScope, iri: &str) -> bool {
        if scope.records.contains(iri) {
            return true;
        }
        let minter = self.catalogue.minter();
        match minter.parse(iri) {
            Some((RecordKind::Concept, id)) => id
                .split_once('/')
                .and_then(|(list, _)| minter.record(RecordKind::CodeList, list).ok())
                .is_some_and(|l| scope.lists.contains(l.as_str())),
            _ => false,
        }
    }

    /// Published changes, newest first (publications and retirements; not the baseline of a
    /// first curated change), each classified against the public version before it.
    pub fn published_changes(&self, q: &ChangeQuery) -> Result<ChangePage, CurationError> {
        let mut entries = Vec::new();
        let mut histories: HashMap<String, Vec<Revision>> = HashMap::new();
        let (mut cursor, mut scanned) = (q.before, 0usize);
        loop {
            let batch = self.state.revisions.public(cursor, SCAN_BATCH)?;
            let Some(last) = batch.last().map(|r| r.id) else { return Ok(ChangePage { entries, next: None }) };
            for rev in batch {
                scanned += 1;
                let wanted = rev.author != SYSTEM && q.scope.as_ref().is_none_or(|s| self.in_scope(s, &rev.iri));
                if wanted {
                    let entry = self.change_of(&rev, &mut histories)?;
                    if q.impact.is_none_or(|i| i == entry.impact) {
                        entries.push(entry);
                    }
                }
                if entries.len() >= q.limit || scanned >= q.scan {
                    return Ok(ChangePage { entries, next: Some(rev.id) });
                }
            }
            cursor = Some(last);
        }
    }

    /// One published revision as a change against the public revision before it.
    fn change_of(&self, rev: &Revision, histories: &mut HashMap<String, Vec<Revision>>) -> Result<PublishedChange, CurationError> {
        if !histories.contains_key(&rev.iri) {
            let iri = NamedNode::new(&rev.iri).map_err(|e| CurationError::BadRevision { revision: rev.id, message: e.to_string() })?;
            histories.insert(rev.iri.clone(), self.history(&iri)?);
        }
        let history = &histories[&rev.iri];
        let previous = history.iter().rfind(|r| r.id < rev.id && r.state.is_public());
        let resource = resource_of(rev)?;
        let (kind, iri) = (resource.kind(), resource.iri().clone());
        let after = graph_of(rev)?;
        let before = previous.map(graph_of).transpose()?;
        let retired = rev.state == RecordState::Retired;
        let changes = impact::compare(kind, before.as_ref(), &after, &iri);
        let first = before.is_none();
        let class = if first && !retired { Impact::Compatible } else { impact::overall(&changes, retired) };
        let (scheme, notation) = match &resource {
            Resource::Concept(c) => {
                let before_scheme = previous.and_then(|p| match resource_of(p) {
                    Ok(Resource::Concept(old)) => old.in_scheme.first().cloned(),
                    _ => None,
                });
                (c.in_scheme.first().cloned().or(before_scheme), c.notation.clone())
            }
            _ => (None, None),
        };
        Ok(PublishedChange {
            revision: rev.id,
            iri,
            kind,
            version: rev.version.unwrap_or(0),
            time: rev.published_at().unwrap_or(rev.time),
            label: resource.label().clone(),
            note: rev.message.clone(),
            retired,
            first,
            impact: class,
            changes,
            scheme,
            notation,
        })
    }

    /// The citation of version `version` of a public record (the current one when `None`), in
    /// `lang`; `None` when there is no such public record or version.
    pub fn citation(&self, iri: &NamedNode, version: Option<u64>, lang: &str) -> Result<Option<Citation>, CurationError> {
        let Some(versions) = self.published_versions(iri)? else { return Ok(None) };
        let index = match version {
            Some(n) => match versions.index_of(n) {
                Some(i) => i,
                None => return Ok(None),
            },
            None => versions.current(),
        };
        let r = versions.resource(index)?;
        let v = &versions.list[index];
        let cat = &self.catalogue;
        let (catalogue_title, catalogue_publisher) = crate::publish::feed::catalogue_names(cat, lang)?;
        let (notation, owner, container) = match &r {
            Resource::Variable(x) => (x.notation.clone(), x.owner().cloned(), x.datasets.first().cloned()),
            Resource::Dataset(d) => (d.identifier.clone(), d.owner().or(d.publisher.as_ref()).cloned(), None),
            _ => (None, None, None),
        };
        let wanted: Vec<NamedNode> = owner.iter().chain(container.iter()).cloned().collect();
        let labels = cat.labels(&wanted)?;
        let label_of = |i: &NamedNode| labels.get(i).map(|l| l.best(lang).to_owned()).filter(|l| !l.is_empty());
        let mut title = r.label().best(lang).to_owned();
        if let Some(n) = notation.filter(|n| !title.contains(n.as_str())) {
            title = format!("{title} ({n})");
        }
        let minter = cat.minter();
        let id = minter.parse(iri.as_str()).map(|(_, id)| id).unwrap_or_else(|| iri.as_str().rsplit('/').next().unwrap_or("").to_owned());
        let url = minter.version(iri, v.version).unwrap_or_else(|| iri.clone());
        Ok(Some(Citation {
            key: citation::key(&id, v.version),
            title,
            authors: vec![owner.as_ref().and_then(label_of).unwrap_or(catalogue_publisher)],
            container: container.as_ref().and_then(label_of),
            publisher: catalogue_title,
            version: v.version,
            issued: v.published.date_naive(),
            url: url.as_str().to_owned(),
            lang: lang.to_owned(),
        }))
    }
}
