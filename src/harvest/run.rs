//! One harvest run: read the whole source, decide per record, commit all or nothing, report.
//!
//! Before reading, a run whose last successful run left its answers ([`Pages`]) asks the same
//! questions again ([`Fetcher::probe`]: conditional requests, body hashes); when every answer is
//! the same and nothing of the source changed here since, the run ends as unchanged without
//! parsing anything. Otherwise the reader reads as always, given the bodies the probe received.
//!
//! Rules (DESIGN.md decision 8):
//! - a source writes only records it owns: a record whose store metadata names another source
//!   (the seed, a file import, curation, another harvest source) is a conflict and is kept;
//! - a record the source wrote and that was edited here since (its content hash is not the one
//!   the source last wrote, kept per source in sled; or it has a curation draft) is never
//!   overwritten: the conflict is listed;
//! - a record whose content hash is unchanged is skipped (no new version);
//! - a record that is no longer in the source is retired, never deleted;
//! - everything is saved in one store transaction; a run that fails or is killed before it
//!   leaves the catalogue exactly as it was. The bookkeeping in sled is written before the
//!   commit with the previous hash kept beside the new, so a kill between the two is not
//!   mistaken for a local edit.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use oxigraph::model::{Graph, NamedNode, Term, TripleRef};

use super::{Context, Fetcher, HarvestError, HarvestSettings, Progress, SourceConfig};
use crate::accounts::{Actor, Role};
use crate::catalog::Catalogue;
use crate::ledger::{Ledger, LedgerError};
use crate::model::record::{self, RecordKind, Resource};
use crate::model::vocab::{dct, prov};
use crate::state::State;
use crate::state::harvest::{Conflict, Pages, RunReport, RunStatus, Written};
use crate::state::journal::{HarvestEffect, JournalEntry};
use crate::store::{Batch, CommitId, Expect, Record, RecordMeta, RecordState, StoreError};

/// A run that is going: which, and how far.
#[derive(Clone, Debug, Serialize)]
pub struct Live {
    pub source: String,
    pub run: u64,
    pub progress: Progress,
}

use serde::Serialize;

/// Tells whether a record has a curation draft (by default: an open draft in `state::revisions`).
pub type DraftCheck = Arc<dyn Fn(&NamedNode) -> bool + Send + Sync>;

/// Runs harvests; one run per source at a time (across nodes too, when the state is shared).
pub struct Harvester {
    catalogue: Arc<Catalogue>,
    state: State,
    settings: HarvestSettings,
    live: Mutex<HashMap<String, Live>>,
    /// The run leases this process holds, by source (shared state only).
    leases: Mutex<HashMap<String, RunLease>>,
    has_draft: DraftCheck,
}

/// How long a run's lease (`harvest-run:{source}` in `state::leases`) holds unless renewed; a
/// node that died mid-run keeps its source busy this long.
pub const RUN_LEASE: std::time::Duration = std::time::Duration::from_secs(60);

/// A run lease kept alive by a thread that renews it every third of [`RUN_LEASE`]; dropping it
/// stops the thread, which gives the lease up.
struct RunLease {
    _stop: std::sync::mpsc::Sender<()>,
}

impl RunLease {
    fn keep(state: State, name: String, holder: String) -> Self {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(RUN_LEASE / 3) {
                match state.leases.renew(&name, &holder, RUN_LEASE) {
                    Ok(true) => {}
                    Ok(false) => tracing::error!(lease = %name, "the run's lease was lost: another node may start the source"),
                    Err(e) => tracing::error!(lease = %name, error = %e, "the run's lease could not be renewed"),
                }
            }
            if let Err(e) = state.leases.release(&name, &holder) {
                tracing::warn!(lease = %name, error = %e, "the run's lease could not be given up; it expires by itself");
            }
        });
        Self { _stop: stop }
    }
}

/// Releases a source's lock when the run ends, however it ends.
struct LockGuard<'a> {
    harvester: &'a Harvester,
    source: String,
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        self.harvester.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&self.source);
        self.harvester.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&self.source);
    }
}

impl Harvester {
    pub fn new(catalogue: Arc<Catalogue>, state: State, settings: HarvestSettings) -> Self {
        // a record someone is editing is never overwritten: an open curation draft counts as a
        // local edit (a failure to read the drafts index counts as a draft, to stay safe)
        let drafts = state.clone();
        let has_draft: DraftCheck =
            Arc::new(move |iri: &NamedNode| drafts.revisions.open_draft(iri.as_str()).map_or(true, |d| d.is_some()));
        Self { catalogue, state, settings, live: Mutex::new(HashMap::new()), leases: Mutex::new(HashMap::new()), has_draft }
    }

    /// Uses `check` to tell records with a curation draft (they are never overwritten).
    pub fn with_draft_check(mut self, check: DraftCheck) -> Self {
        self.has_draft = check;
        self
    }

    pub fn settings(&self) -> &HarvestSettings {
        &self.settings
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Every source: those of the configuration (`true`), then those added on the admin page.
    pub fn sources(&self) -> Result<Vec<(SourceConfig, bool)>, HarvestError> {
        let mut out: Vec<(SourceConfig, bool)> = self.settings.sources.iter().cloned().map(|s| (s, true)).collect();
        for (id, json) in self.state.harvest.stored_sources()? {
            if out.iter().any(|(s, _)| s.id == id) {
                continue;
            }
            match serde_json::from_slice::<SourceConfig>(&json) {
                Ok(s) => out.push((s, false)),
                Err(e) => tracing::error!(source = %id, error = %e, "a stored harvest source cannot be read"),
            }
        }
        Ok(out)
    }

    /// One source by id.
    pub fn source(&self, id: &str) -> Result<Option<(SourceConfig, bool)>, HarvestError> {
        Ok(self.sources()?.into_iter().find(|(s, _)| s.id == id))
    }

    /// Adds or changes a source defined on the admin page (a configured one cannot be changed
    /// there). The error is the field and the problem.
    pub fn save_source(&self, source: &SourceConfig) -> Result<Result<(), (String, String)>, HarvestError> {
        if let Err((field, _, problem)) = source.check() {
            return Ok(Err((field.to_owned(), problem)));
        }
        if self.settings.sources.iter().any(|s| s.id == source.id) {
            return Ok(Err(("id".into(), "is defined in the configuration file; change it there".into())));
        }
        let json = serde_json::to_vec(source).map_err(|e| HarvestError::Other(e.to_string()))?;
        self.state.harvest.store_source(&source.id, &json)?;
        Ok(Ok(()))
    }

    /// Run reports, newest first, of one source or all, at most `limit`.
    pub fn runs(&self, source: Option<&str>, limit: usize) -> Result<Vec<RunReport>, HarvestError> {
        Ok(self.state.harvest.runs(source, limit)?)
    }

    /// One run's report.
    pub fn report(&self, run: u64) -> Result<Option<RunReport>, HarvestError> {
        Ok(self.state.harvest.run(run)?)
    }

    fn admin(actor: &Actor) -> Result<(), HarvestError> {
        if actor.role < Role::Admin {
            return Err(HarvestError::Forbidden { needed: Role::Admin });
        }
        Ok(())
    }

    /// An administrator adds or changes a source defined on the admin page (audited). The
    /// inner error is the field and the problem.
    pub fn save_source_as(&self, actor: &Actor, source: &SourceConfig) -> Result<Result<(), (String, String)>, HarvestError> {
        Self::admin(actor)?;
        let saved = self.save_source(source)?;
        if saved.is_ok() {
            self.state.audit.record(&actor.user, "harvest_source_save", &source.id, &source.url)?;
        }
        Ok(saved)
    }

    /// An administrator starts a run of `source` in the background (audited); its id.
    pub fn start_as(self: &Arc<Self>, actor: &Actor, source: &str) -> Result<u64, HarvestError> {
        Self::admin(actor)?;
        let run = self.start(source)?;
        self.state.audit.record(&actor.user, "harvest_start", source, "")?;
        Ok(run)
    }

    /// The run of a source that is going, if any.
    pub fn live(&self, source: &str) -> Option<Live> {
        self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(source).cloned()
    }

    /// Takes the lock of a source; `Busy` when a run of it is going, here or (with a shared
    /// state database) on another node, whose run lease is live.
    fn lock(&self, source: &str, run: u64) -> Result<LockGuard<'_>, HarvestError> {
        let mut live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if live.contains_key(source) {
            return Err(HarvestError::Busy(source.to_owned()));
        }
        if self.state.is_shared() {
            let (name, holder) = (format!("harvest-run:{source}"), format!("{}-{run}", std::process::id()));
            if !self.state.leases.take(&name, &holder, RUN_LEASE)? {
                return Err(HarvestError::Busy(source.to_owned()));
            }
            let lease = RunLease::keep(self.state.clone(), name, holder);
            self.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(source.to_owned(), lease);
        }
        live.insert(source.to_owned(), Live { source: source.to_owned(), run, progress: Progress::default() });
        Ok(LockGuard { harvester: self, source: source.to_owned() })
    }

    fn set_progress(&self, source: &str, p: &Progress) {
        if let Some(l) = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_mut(source) {
            l.progress = p.clone();
        }
    }

    /// Starts a run of `source` on a new thread; returns its id (or `Busy`).
    pub fn start(self: &Arc<Self>, source: &str) -> Result<u64, HarvestError> {
        let (config, _) = self.source(source)?.ok_or_else(|| HarvestError::UnknownSource(source.to_owned()))?;
        let run_id = self.state.harvest.next_run_id()?;
        let guard = self.lock(&config.id, run_id)?;
        std::mem::forget(guard);
        let me = self.clone();
        std::thread::spawn(move || {
            // the lock was taken above; run_locked releases it
            let _guard = LockGuard { harvester: &me, source: config.id.clone() };
            if let Err(e) = me.run_locked(&config, run_id, false, &|_| {}) {
                tracing::error!(source = %config.id, error = %e, "harvest run could not be recorded");
            }
        });
        Ok(run_id)
    }

    /// Runs `source` now, on this thread. `Err` only when the run could not start or be
    /// recorded; a source that fails gives a report with status `Failed`.
    pub fn run(&self, source: &str, dry_run: bool, observe: &(dyn Fn(&Progress) + Sync)) -> Result<RunReport, HarvestError> {
        let (config, _) = self.source(source)?.ok_or_else(|| HarvestError::UnknownSource(source.to_owned()))?;
        let run_id = self.state.harvest.next_run_id()?;
        let _guard = self.lock(&config.id, run_id)?;
        self.run_locked(&config, run_id, dry_run, observe)
    }

    fn run_locked(
        &self,
        config: &SourceConfig,
        run_id: u64,
        dry_run: bool,
        observe: &(dyn Fn(&Progress) + Sync),
    ) -> Result<RunReport, HarvestError> {
        self.state.harvest.mark_interrupted(Some(&config.id))?;
        let mut report = RunReport::new(run_id, &config.id, dry_run);
        self.state.harvest.save_run(&report)?;
        tracing::info!(source = %config.id, run = run_id, dry_run, "harvest run started");
        let progress = |p: Progress| {
            self.set_progress(&config.id, &p);
            observe(&p);
        };
        let mut pages = None;
        let outcome = self.execute(config, dry_run, &mut report, &progress, &mut pages);
        if let Err(e) = outcome {
            report.status = RunStatus::Failed;
            report.errors.insert(0, e.to_string());
            report.new = 0;
            report.changed = 0;
            report.retired = 0;
        } else {
            report.status = RunStatus::Succeeded;
        }
        report.finished = Some(Utc::now());
        self.state.harvest.save_run(&report)?;
        // after the report: answers are only ever taken as those of a run shown as succeeded
        if let Some(pages) = pages.filter(|_| report.status == RunStatus::Succeeded && !dry_run)
            && let Err(e) = self.state.harvest.save_pages(&config.id, &Pages { run: run_id, ..pages })
        {
            tracing::warn!(source = %config.id, run = run_id, error = %e, "the run's answers could not be kept; the next run reads in full");
        }
        if !dry_run {
            crate::metrics::harvest_run(&config.id, report.status == RunStatus::Succeeded, report.seconds());
        }
        tracing::info!(
            source = %config.id, run = run_id, status = ?report.status, new = report.new, changed = report.changed,
            unchanged = report.unchanged, retired = report.retired, conflicts = report.conflicts.len(),
            errors = report.errors.len(), "harvest run ended"
        );
        Ok(report)
    }

    /// Reads, compares and commits; leaves in `pages` the answers the run was given (the run
    /// id is set by the caller).
    fn execute(
        &self,
        config: &SourceConfig,
        dry_run: bool,
        report: &mut RunReport,
        progress: &(dyn Fn(Progress) + Sync),
        pages: &mut Option<Pages>,
    ) -> Result<(), HarvestError> {
        let fetcher = Fetcher::new(&self.settings)?;
        let minter = self.catalogue.minter();
        let context = context(config, &minter.catalog());
        // the answers of the last run, asked again without parsing
        if !dry_run && let Some(before) = self.pages_to_probe(config, &context)? {
            let total = before.pages.len() as u64;
            let probe = fetcher
                .probe(&before.pages, &|done, url| progress(Progress { phase: format!("checking {url}"), done, total: Some(total) }));
            report.requests = fetcher.requests();
            report.not_modified = fetcher.not_modified();
            if probe.same {
                // read before anything is compared: whatever changes after it shows in the change log
                let generation = self.catalogue.store().generation()?;
                report.fingerprint = Some(fingerprint(&context, &super::fetch::digest_of(&probe.pages)));
                if let Some(same) = self.unchanged_since(config, report)? {
                    *pages = Some(Pages { run: 0, context, pages: probe.pages });
                    ended_unchanged(report, same, generation, progress);
                    return Ok(());
                }
            }
        }
        let mut cx = Context::new(config, &fetcher, minter, &self.settings, progress);
        let read = super::reader(config.kind).read(&mut cx);
        report.requests = fetcher.requests();
        report.not_modified = fetcher.not_modified();
        report.triples = cx.triples;
        report.notes = std::mem::take(&mut cx.notes);
        let graph = read?;
        progress(Progress { phase: "comparing".into(), done: 0, total: None });
        // read before anything is compared: whatever changes after it shows in the change log
        let generation = self.catalogue.store().generation()?;
        if !dry_run {
            report.fingerprint = Some(fingerprint(&context, &fetcher.digest()));
            *pages = Some(Pages { run: 0, context, pages: fetcher.pages() });
            if let Some(same) = self.unchanged_since(config, report)? {
                ended_unchanged(report, same, generation, progress);
                return Ok(());
            }
        }
        let plan = self.plan(config, &graph, report)?;
        if dry_run {
            return Ok(());
        }
        progress(Progress { phase: "saving".into(), done: 0, total: Some(plan.records.len() as u64) });
        report.generation = Some(self.commit(config, plan, &*report)?.unwrap_or(generation));
        progress(Progress { phase: "done".into(), done: 1, total: Some(1) });
        Ok(())
    }

    /// The answers of the last successful run, when a run that finds them all the same could
    /// end without comparing: kept by that very run, with the same version and settings, and a
    /// run that left nothing aside (see [`Self::unchanged_since`], which decides afterwards).
    fn pages_to_probe(&self, config: &SourceConfig, context: &str) -> Result<Option<Pages>, HarvestError> {
        let Some(last) = self.last_success(config, None)? else { return Ok(None) };
        if last.fingerprint.is_none() || last.generation.is_none() || !last.errors.is_empty() || !last.conflicts.is_empty() {
            return Ok(None);
        }
        Ok(self.state.harvest.pages(&config.id)?.filter(|p| p.run == last.id && p.context == context && !p.pages.is_empty()))
    }

    /// The last succeeded run of this source that was not a dry run (other than `but`).
    fn last_success(&self, config: &SourceConfig, but: Option<u64>) -> Result<Option<RunReport>, HarvestError> {
        Ok(self
            .state
            .harvest
            .runs(Some(&config.id), 20)?
            .into_iter()
            .find(|r| Some(r.id) != but && !r.dry_run && r.status == RunStatus::Succeeded))
    }

    /// The last finished run of this source when this run needs no comparison: it read exactly
    /// what this run read (the same fingerprint), it left nothing aside (no errors, no
    /// conflicts), no record the source owns was written here since (the store's change log
    /// after that run's generation), and none has a draft. Then comparing again would find
    /// every record unchanged, and the run writes nothing. Any doubt (an older report without
    /// a fingerprint, a change log that no longer reaches back) means a full comparison.
    fn unchanged_since(&self, config: &SourceConfig, report: &RunReport) -> Result<Option<RunReport>, HarvestError> {
        let Some(last) = self.last_success(config, Some(report.id))? else { return Ok(None) };
        let (Some(fp), Some(generation)) = (&last.fingerprint, last.generation) else { return Ok(None) };
        if Some(fp) != report.fingerprint.as_ref() || !last.errors.is_empty() || !last.conflicts.is_empty() {
            return Ok(None);
        }
        let owned: HashSet<String> = self.state.harvest.owned(&config.id)?.into_iter().map(|(iri, _)| iri).collect();
        let Some(changes) = self.catalogue.store().changes_since(generation)? else { return Ok(None) };
        if changes.iter().flat_map(|c| &c.iris).any(|iri| owned.contains(iri.as_str())) {
            return Ok(None);
        }
        for iri in &owned {
            if NamedNode::new(iri.as_str()).is_ok_and(|n| (self.has_draft)(&n)) {
                return Ok(None);
            }
        }
        Ok(Some(last))
    }

    /// Decides what to do with every record of the harvested graph, and what to retire.
    fn plan(&self, config: &SourceConfig, graph: &Graph, report: &mut RunReport) -> Result<Plan, HarvestError> {
        let store = self.catalogue.store();
        let source_iri = config.source_iri();
        let derived_from = NamedNode::new(config.url.trim()).ok().filter(|_| config.url.starts_with("http"));
        let split = record::split(graph, Some(&self.catalogue.minter().catalog()));
        let blank_datasets = graph
            .subjects_for_predicate_object(crate::model::vocab::rdf::TYPE, crate::model::vocab::dcat::DATASET)
            .filter(|s| matches!(s, oxigraph::model::NamedOrBlankNodeRef::BlankNode(_)))
            .count();
        if blank_datasets > 0 {
            report.notes.push(format!("{blank_datasets} datasets without an IRI (blank nodes) were skipped"));
        }
        if !split.orphans.is_empty() {
            report.notes.push(format!(
                "{} triples that no record owns were skipped (paging nodes, statements about unnamed resources)",
                split.orphans.len()
            ));
        }
        let owned: HashMap<String, Written> = self.state.harvest.owned(&config.id)?.into_iter().collect();
        let now = Utc::now();
        let mut plan = Plan::default();
        let mut seen: HashSet<String> = HashSet::new();
        let mut identifiers: HashMap<String, String> = HashMap::new();
        // first, in order: what is stored at all (no catalogue node, each IRI once, each
        // dataset identifier once), with the provenance link added
        let mut candidates: Vec<(NamedNode, RecordKind, Graph)> = Vec::with_capacity(split.records.len());
        for rg in split.records {
            if rg.kind == RecordKind::Catalog {
                report.notes.push(format!("the source's catalogue node <{}> is not stored; its datasets are", rg.iri));
                continue;
            }
            let iri_text = rg.iri.as_str().to_owned();
            if !seen.insert(iri_text.clone()) {
                continue;
            }
            let mut g = rg.graph;
            if rg.kind == RecordKind::Dataset {
                let ids: Vec<String> = g
                    .objects_for_subject_predicate(&rg.iri, dct::IDENTIFIER)
                    .filter_map(|o| match o {
                        oxigraph::model::TermRef::Literal(l) => Some(l.value().trim().to_owned()),
                        _ => None,
                    })
                    .collect();
                if let Some(first) = ids.iter().find_map(|id| identifiers.get(id).map(|f| (id.clone(), f.clone()))) {
                    report.errors.push(format!(
                        "<{iri_text}>: the identifier {:?} is also the identifier of <{}>; the later record was skipped",
                        first.0, first.1
                    ));
                    continue;
                }
                for id in ids {
                    identifiers.insert(id, iri_text.clone());
                }
            }
            if let Some(d) = &derived_from
                && g.object_for_subject_predicate(&rg.iri, prov::WAS_DERIVED_FROM).is_none()
            {
                g.insert(TripleRef::new(&rg.iri, prov::WAS_DERIVED_FROM, d));
            }
            candidates.push((rg.iri, rg.kind, g));
        }
        // then on every core: the typed model and the characters checked, the content hashed,
        // what the store holds looked up
        let mut checked: Vec<Result<(String, Option<RecordMeta>), String>> = Vec::with_capacity(candidates.len());
        crate::par::ordered(
            &candidates,
            crate::par::threads(),
            |(iri, kind, g)| -> Result<Result<(String, Option<RecordMeta>), String>, StoreError> {
                if let Err(e) = Resource::from_graph(*kind, iri, g).and_then(|_| crate::model::chars::check_graph(g)) {
                    return Ok(Err(e.to_string()));
                }
                Ok(Ok((record::content_hash(g), store.meta(iri.as_ref())?)))
            },
            |_, r| {
                checked.push(r);
                Ok(())
            },
        )?;
        // and in order again: the decision for each
        for ((iri, kind, g), check) in candidates.into_iter().zip(checked) {
            let rg = record::RecordGraph { kind, iri, graph: Graph::new() };
            let iri_text = rg.iri.as_str().to_owned();
            let (hash, existing) = match check {
                Ok(c) => c,
                Err(e) => {
                    report.errors.push(format!("<{iri_text}> was skipped: {e}"));
                    continue;
                }
            };
            let expect = Expect::from_meta(existing.as_ref());
            let written = owned.get(&iri_text);
            let meta = match existing {
                None => {
                    report.new += 1;
                    RecordMeta {
                        iri: rg.iri.clone(),
                        kind: rg.kind,
                        state: RecordState::Published,
                        version: 1,
                        rev: 0,
                        source: source_iri.clone(),
                        content_hash: hash.clone(),
                        modified: now,
                    }
                }
                Some(prev) => {
                    if prev.source != source_iri {
                        report.conflicts.push(Conflict {
                            iri: iri_text.clone(),
                            reason: format!("the record belongs to another source ({}); kept as it is", prev.source.as_str()),
                        });
                        continue;
                    }
                    if (self.has_draft)(&rg.iri) {
                        report
                            .conflicts
                            .push(Conflict { iri: iri_text.clone(), reason: "the record has a draft here; kept as it is".into() });
                        continue;
                    }
                    if written.is_some_and(|w| !w.wrote(&prev.content_hash)) {
                        report.conflicts.push(Conflict {
                            iri: iri_text.clone(),
                            reason: "the record was edited here after it was harvested; kept as it is".into(),
                        });
                        continue;
                    }
                    if prev.content_hash == hash && prev.state == RecordState::Published && prev.kind == rg.kind {
                        report.unchanged += 1;
                        if written.is_none_or(|w| w.hash != hash || w.previous.is_some()) {
                            plan.bookkeeping.insert(iri_text.clone(), Some(Written { hash, previous: None, at: now }));
                        }
                        continue;
                    }
                    report.changed += 1;
                    RecordMeta {
                        iri: rg.iri.clone(),
                        kind: rg.kind,
                        state: RecordState::Published,
                        version: prev.version + 1,
                        rev: prev.rev,
                        source: source_iri.clone(),
                        content_hash: hash.clone(),
                        modified: now,
                    }
                }
            };
            plan.bookkeeping.insert(iri_text.clone(), Some(Written { hash, previous: None, at: now }));
            plan.records.push((Record { meta, graph: g }, expect));
        }
        // records the source no longer has
        let mut gone: Vec<(&String, &Written)> = owned.iter().filter(|(iri, _)| !seen.contains(*iri)).collect();
        gone.sort_by(|a, b| a.0.cmp(b.0));
        for (iri_text, written) in gone {
            let Ok(iri) = NamedNode::new(iri_text.as_str()) else { continue };
            let Some(prev) = store.meta(iri.as_ref())? else {
                plan.bookkeeping.insert(iri_text.clone(), None);
                continue;
            };
            if prev.state == RecordState::Retired || prev.source != source_iri {
                continue;
            }
            if !written.wrote(&prev.content_hash) || (self.has_draft)(&iri) {
                report.conflicts.push(Conflict {
                    iri: iri_text.clone(),
                    reason: "the record is no longer in the source but was edited here; kept as it is".into(),
                });
                continue;
            }
            let graph = store.graph(iri.as_ref())?;
            report.retired += 1;
            let expect = Expect::Rev(prev.rev);
            plan.records.push((Record { meta: RecordMeta { state: RecordState::Retired, modified: now, ..prev }, graph }, expect));
        }
        Ok(plan)
    }

    /// Commits the records in one store transaction together with the bookkeeping (what the
    /// source wrote) and the finished report, with one commit point (`crate::ledger`): a run
    /// killed at any moment leaves either everything or nothing, and start-up recovery says
    /// which in the run's report.
    ///
    /// Answers the store generation of the commit (`None` when there was nothing to write).
    fn commit(&self, config: &SourceConfig, plan: Plan, report: &RunReport) -> Result<Option<u64>, HarvestError> {
        let owned: Vec<(String, Option<Written>)> = plan.bookkeeping.into_iter().collect();
        if plan.records.is_empty() {
            self.state.harvest.write_owned(&config.id, &owned)?;
            return Ok(None);
        }
        let mut entry = JournalEntry::new(CommitId::new());
        entry.holds = plan.records.iter().map(|(r, _)| r.meta.iri.as_str().to_owned()).collect();
        let mut done = report.clone();
        done.status = RunStatus::Succeeded;
        done.finished = Some(Utc::now());
        entry.harvest = Some(HarvestEffect { source: config.id.clone(), owned, report: done });
        let mut batch = Batch::new();
        for (record, expect) in plan.records {
            batch.put(record, expect);
        }
        let (committed, _) = Ledger::new(&self.catalogue, &self.state).commit(batch, entry, &[]).map_err(|e| match e {
            LedgerError::Store(e) => HarvestError::from(e),
            LedgerError::State(e) => HarvestError::from(e),
        })?;
        Ok(Some(committed.generation))
    }
}

/// A run that found its source as the last run `same` left it: it writes nothing and reports
/// that run's counts as unchanged, at the store generation read before deciding.
fn ended_unchanged(report: &mut RunReport, same: RunReport, generation: u64, progress: &(dyn Fn(Progress) + Sync)) {
    report.same_as = Some(same.id);
    report.unchanged = same.new + same.changed + same.unchanged;
    report.notes = same.notes;
    report.generation = Some(generation);
    progress(Progress { phase: "done".into(), done: 1, total: Some(1) });
}

/// What a run will write.
#[derive(Default)]
struct Plan {
    /// Each record with what the store held when it was planned (the commit refuses the run
    /// if another writer changed one meanwhile).
    records: Vec<(Record, Expect)>,
    bookkeeping: BTreeMap<String, Option<Written>>,
}

/// What decides a run's outcome besides the catalogue and the answers: this version of the
/// harvester, the source's settings, the catalogue IRI records are split against.
fn context(config: &SourceConfig, catalog: &NamedNode) -> String {
    let settings = serde_json::to_string(config).unwrap_or_default();
    sha256_of(&[env!("CARGO_PKG_VERSION"), &settings, catalog.as_str()])
}

/// What decides a run's outcome besides the catalogue: the [`context`] and every answer read
/// (their digest, [`super::fetch::digest_of`]).
fn fingerprint(context: &str, answers: &str) -> String {
    sha256_of(&[context, answers])
}

fn sha256_of(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a term is an IRI (for readers that check links).
pub fn is_iri(t: &Term) -> bool {
    matches!(t, Term::NamedNode(_))
}
