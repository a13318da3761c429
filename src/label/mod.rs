//! The EHDS data quality and utility label (Regulation (EU) 2025/327 Art. 78), computed from
//! the evidence the catalogue holds, with QUANTUM's dimensions, metrics and levels
//! ([`spec`]), the holders' statements, their yearly confirmations (Art. 60) and their
//! maturity self-assessments ([`maturity`]), and the regions' delivery reports ([`delivery`]).
//!
//! Owns: gathering each public dataset's [`rules::Evidence`] (its record and distributions, its
//! variables through two aggregate queries, the EHDS and DCAT-AP-SE judgements of
//! `validate`, the collections' delivery matrices, the state's statements), the labels of the
//! whole catalogue cached per store generation, state version and day ([`Snapshot`]), the
//! rules of who may state what (an editor of the dataset's publisher or custodian, an editor
//! of an organisation, a region's account; administrators always), the checks of every
//! statement and delivery report before it is written (bad input changes nothing), the label
//! as JSON ([`to_json`]) and as DQV for the health profile (the `publish::Annotations` it
//! implements, [`dqv`]).
//! Does not: know HTTP (`web::label` renders), or store values of deliveries (reports are
//! counts).

pub mod delivery;
pub mod dqv;
pub mod maturity;
pub mod rules;
pub mod spec;
pub mod variables;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{NaiveDate, Utc};
use oxigraph::model::{Graph, NamedNode};
use serde_json::{Value, json};

use crate::accounts::{Actor, Role};
use crate::catalog::Catalogue;
use crate::model::LangText;
use crate::model::record::{RecordKind, Resource};
use crate::model::{Agent, Dataset};
use crate::state::State;
pub use crate::state::StateError;
pub use crate::state::deliveries::{ColumnCounts, DeliveryReport};
pub use crate::state::label::{Attestation, Declaration, Maturity};
use crate::state::revisions::AuditNote;
use crate::store::StoreError;
pub use delivery::{Matrix, Submitted};
pub use rules::{Evidence, Fact, Label, MetricResult, Status};

/// The longest note or evidence link a statement may carry.
pub const MAX_TEXT: usize = 2000;

/// Why a label step failed.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    State(#[from] StateError),
    /// No such public dataset, organisation or collection.
    #[error("not found")]
    NotFound,
    /// The account may not act for the organisation.
    #[error("{en}")]
    Forbidden { sv: String, en: String },
    /// A field of the input is wrong: its name and the problem in both languages.
    #[error("{field}: {en}")]
    Invalid { field: String, sv: String, en: String },
}

impl LabelError {
    /// The reader's words.
    pub fn message(&self, en: bool) -> String {
        match self {
            Self::Forbidden { sv, en: e } => {
                if en {
                    e.clone()
                } else {
                    sv.clone()
                }
            }
            Self::Invalid { field, sv, en: e } => {
                if en {
                    format!("{field}: {e}")
                } else {
                    format!("{field}: {sv}")
                }
            }
            Self::NotFound => if en { "There is no such record." } else { "Posten finns inte." }.to_owned(),
            other => other.to_string(),
        }
    }

    fn invalid(field: &str, sv: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Invalid { field: field.to_owned(), sv: sv.into(), en: en.into() }
    }

    fn forbidden(org: &str) -> Self {
        Self::Forbidden {
            sv: format!("Ditt konto är inte redaktör för {org}. En administratör kan koppla kontot till organisationen."),
            en: format!("Your account is not an editor for {org}. An administrator can link the account to the organisation."),
        }
    }
}

/// What a page needs to know of a dataset besides its label.
#[derive(Clone, Debug)]
pub struct DatasetInfo {
    pub iri: String,
    pub title: LangText,
    pub publisher: Option<String>,
    pub custodian: Option<String>,
    /// When its record last changed.
    pub modified: Option<chrono::DateTime<Utc>>,
}

/// The labels of every public dataset, as of one store generation, state version and day.
#[derive(Debug)]
pub struct Snapshot {
    pub generation: u64,
    pub version: u64,
    pub day: NaiveDate,
    pub labels: BTreeMap<String, Arc<Label>>,
    pub datasets: BTreeMap<String, DatasetInfo>,
    /// Agent IRI → name.
    pub agents: BTreeMap<String, LangText>,
    /// The regions (agents with a county): IRI and name.
    pub regions: Vec<(String, LangText)>,
    /// Public data collections (dataset IRIs).
    pub collections: Vec<String>,
}

impl Snapshot {
    /// An agent's name (its IRI when unknown).
    pub fn agent_name(&self, iri: &str) -> LangText {
        self.agents.get(iri).cloned().unwrap_or_else(|| LangText::sv(iri))
    }
}

/// Datasets whose yearly confirmation is overdue, grouped by publisher.
#[derive(Clone, Debug)]
pub struct OverdueGroup {
    /// The publisher's IRI (empty: none stated).
    pub publisher: String,
    pub name: LangText,
    /// (dataset IRI, title, last confirmation).
    pub datasets: Vec<(String, LangText, Option<Attestation>)>,
}

/// The label service.
pub struct Labels {
    catalogue: Arc<Catalogue>,
    state: State,
    cache: Mutex<Option<Arc<Snapshot>>>,
}

fn code_of(iri: &NamedNode) -> String {
    iri.as_str().rsplit(['/', '#']).next().unwrap_or("").to_owned()
}

fn check_text(field: &str, value: &str) -> Result<(), LabelError> {
    if value.chars().count() > MAX_TEXT {
        return Err(LabelError::invalid(field, format!("högst {MAX_TEXT} tecken"), format!("at most {MAX_TEXT} characters")));
    }
    Ok(())
}

fn check_link(field: &str, value: &str) -> Result<(), LabelError> {
    check_text(field, value)?;
    if !value.is_empty() && (!crate::validate::mqa::is_web_url(value) || value.contains(char::is_whitespace)) {
        return Err(LabelError::invalid(
            field,
            "ska vara en webbadress som börjar med https:// eller http://",
            "must be a web address starting with https:// or http://",
        ));
    }
    Ok(())
}

impl Labels {
    pub fn new(catalogue: Arc<Catalogue>, state: State) -> Self {
        Self { catalogue, state, cache: Mutex::new(None) }
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The labels of the current store generation, state version and day (computed once).
    pub fn snapshot(&self) -> Result<Arc<Snapshot>, LabelError> {
        let generation = self.catalogue.store().generation()?;
        let version = self.state.label.version()?;
        let day = Utc::now().date_naive();
        let mut cached = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = cached.as_ref().filter(|s| (s.generation, s.version, s.day) == (generation, version, day)) {
            return Ok(s.clone());
        }
        let snapshot = Arc::new(self.compute(day)?);
        *cached = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// One public dataset's label (`None`: no such public dataset).
    pub fn label(&self, dataset: &NamedNode) -> Result<Option<Arc<Label>>, LabelError> {
        Ok(self.snapshot()?.labels.get(dataset.as_str()).cloned())
    }

    /// Computes the label of every public dataset now, as of `day` (no cache; the benchmark).
    pub fn compute(&self, day: NaiveDate) -> Result<Snapshot, LabelError> {
        let cat = &*self.catalogue;
        let started = std::time::Instant::now();
        let phase = |name: &str| tracing::debug!(phase = name, ms = started.elapsed().as_millis() as u64, "label computation");
        let generation = cat.store().generation()?;
        let version = self.state.label.version()?;
        // records by the kind index, each read whole (a listing query orders every record)
        let mut agents: HashMap<String, Agent> = HashMap::new();
        for iri in cat.store().iris_of_kind(RecordKind::Agent)? {
            if let Some((_, Resource::Agent(a))) = cat.public_resource(iri.as_ref())? {
                agents.insert(a.iri.as_str().to_owned(), a);
            }
        }
        let mut datasets: Vec<Dataset> = Vec::new();
        let mut modified: HashMap<String, chrono::DateTime<Utc>> = HashMap::new();
        for iri in cat.store().iris_of_kind(RecordKind::Dataset)? {
            if let Some((meta, Resource::Dataset(d))) = cat.public_resource(iri.as_ref())? {
                modified.insert(d.iri.as_str().to_owned(), meta.modified);
                datasets.push(d);
            }
        }
        datasets.sort_by(|a, b| a.iri.as_str().cmp(b.iri.as_str()));
        phase("records read");
        // a dataset's variables include its parts' (as the EHDS view counts them)
        let own_docs = variables::documentation(cat.store())?;
        phase("variables");
        let mut docs = own_docs.clone();
        for d in &datasets {
            for parent in &d.is_part_of {
                if let Some(part) = own_docs.get(&d.iri) {
                    docs.entry(parent.clone()).or_default().add(part);
                }
            }
        }
        let mut regions: Vec<(String, LangText)> =
            agents.values().filter(|a| !a.spatial.is_empty()).map(|a| (a.iri.as_str().to_owned(), a.name.clone())).collect();
        regions.sort_by(|a, b| a.1.best("sv").cmp(b.1.best("sv")));
        let collections: Vec<String> = crate::validate::collection::collections(cat)?.into_iter().map(|c| c.as_str().to_owned()).collect();
        let mut reports: HashMap<String, Vec<DeliveryReport>> = HashMap::new();
        for r in self.state.deliveries.all_deliveries()? {
            reports.entry(r.collection.clone()).or_default().push(r);
        }
        let mut declarations: HashMap<String, Vec<Declaration>> = HashMap::new();
        for d in self.state.label.all_declarations()? {
            declarations.entry(d.dataset.clone()).or_default().push(d);
        }
        let attestations: HashMap<String, Attestation> =
            self.state.label.latest_attestations()?.into_iter().map(|a| (a.dataset.clone(), a)).collect();
        let maturity: HashMap<String, Maturity> = self.state.label.all_maturity()?.into_iter().map(|m| (m.agent.clone(), m)).collect();
        phase("state");

        let mut labels = BTreeMap::new();
        let mut infos = BTreeMap::new();
        for d in &datasets {
            let mut e = Evidence::default();
            let mut ehds_facts =
                crate::validate::ehds::Facts { variables: docs.get(&d.iri).map(|v| v.facts()).unwrap_or_default(), ..Default::default() };
            for dist in &d.distributions {
                if let Some((_, Resource::Distribution(x))) = cat.public_resource(dist.as_ref())? {
                    ehds_facts.distributions += 1;
                    if x.format.is_some() {
                        ehds_facts.distributions_with_format += 1;
                    } else if x.media_type_label().and_then(crate::publish::profile::file_type_for_media_type).is_some() {
                        ehds_facts.formats_derivable += 1;
                    }
                    e.conditions_stated |= x.license.is_some() || !x.rights.is_empty();
                }
            }
            let publisher = d.publisher.as_ref().and_then(|p| agents.get(p.as_str()));
            if let Some(p) = publisher {
                ehds_facts.publisher_contact = p.contact_point.is_some();
                ehds_facts.publisher_region = !p.spatial.is_empty();
            }
            let statuses = crate::validate::ehds::assess(d, &ehds_facts);
            let count = |id: &str| statuses.iter().filter(|(_, s)| s.id() == id).count();
            e.ehds = (count("present"), count("derivable"), statuses.len() - count("not-applicable"));
            e.completeness = crate::validate::mqa::Completeness::of(d).percent();
            e.access_rights = d.access_rights.as_ref().map(code_of);
            e.landing_page = !d.landing_pages.is_empty();
            e.hdab = d.hdab.is_some();
            e.population_described = !d.population_coverage.is_empty() || d.min_typical_age.is_some() || d.max_typical_age.is_some();
            e.unique_individuals = d.number_of_unique_individuals;
            if !d.temporal.is_empty() {
                let start = d.temporal.iter().filter_map(|p| p.start.as_ref()?.year()).min();
                let open = d.temporal.iter().any(|p| p.end.is_none());
                let end = if open { None } else { d.temporal.iter().filter_map(|p| p.end.as_ref()?.year()).max() };
                e.years = Some((start, end));
            }
            e.variables = docs.get(&d.iri).copied().unwrap_or_default();
            e.spatial = d.spatial.len();
            e.regional_publisher = ehds_facts.publisher_region;
            e.coding_stated = !d.coding_systems.is_empty() || !d.conforms_to.is_empty();
            e.coding_by_variables = ehds_facts.variables.coded;
            e.provenance_statement = !d.provenance.is_empty();
            e.generated_by = !d.generated_by.is_empty();
            if !d.landing_pages.is_empty() {
                e.documentation.push(Fact::new("Landningssida.", "Landing page."));
            }
            if !d.pages.is_empty() {
                e.documentation.push(Fact::new("Dokumentationssida (foaf:page).", "Documentation page (foaf:page)."));
            }
            if !d.conforms_to.is_empty() {
                e.documentation.push(Fact::new("Specifikation som följs (dct:conformsTo).", "Specification followed (dct:conformsTo)."));
            }
            e.accrual = d.accrual_periodicity.as_ref().map(code_of);
            e.modified = d.modified.as_ref().and_then(|m| rules::latest_day(m.value()));
            if e.modified.is_none() {
                e.modified = modified.get(d.iri.as_str()).map(|m| m.date_naive());
                e.modified_from_record = e.modified.is_some();
            }
            if collections.iter().any(|c| c == d.iri.as_str()) {
                let matrix = Matrix::build(d.iri.as_str(), reports.get(d.iri.as_str()).map_or(&[][..], Vec::as_slice), &regions);
                e.deliveries = Some(matrix.evidence());
            }
            let holders = d.custodian.iter().chain(d.publisher.iter());
            e.maturity = holders.filter_map(|h| maturity.get(h.as_str())).next().cloned();
            e.attestation = attestations.get(d.iri.as_str()).cloned();
            let own = declarations.get(d.iri.as_str()).map_or(&[][..], Vec::as_slice);
            labels.insert(d.iri.as_str().to_owned(), Arc::new(rules::assess(d.iri.as_str(), &e, own, day)));
            infos.insert(
                d.iri.as_str().to_owned(),
                DatasetInfo {
                    iri: d.iri.as_str().to_owned(),
                    title: d.title.clone(),
                    publisher: d.publisher.as_ref().map(|p| p.as_str().to_owned()),
                    custodian: d.custodian.as_ref().map(|p| p.as_str().to_owned()),
                    modified: modified.get(d.iri.as_str()).copied(),
                },
            );
        }
        phase("labels");
        Ok(Snapshot {
            generation,
            version,
            day,
            labels,
            datasets: infos,
            agents: agents.into_iter().map(|(k, a)| (k, a.name)).collect(),
            regions,
            collections,
        })
    }

    /// Whether `actor` may act for the organisation `org` (an agent IRI): administrators
    /// always, editors and reviewers when their account is linked to it.
    pub fn may_act_for(&self, actor: &Actor, org: &str) -> Result<bool, LabelError> {
        if actor.role >= Role::Admin {
            return Ok(true);
        }
        Ok(actor.role >= Role::Redaktor && self.state.members.organisations(&actor.user)?.iter().any(|o| o == org))
    }

    /// Whether `actor` may state and confirm a dataset's label: an editor of its publisher or
    /// custodian (or an administrator).
    pub fn may_edit_dataset(&self, actor: &Actor, dataset: &NamedNode) -> Result<bool, LabelError> {
        let snapshot = self.snapshot()?;
        let Some(info) = snapshot.datasets.get(dataset.as_str()) else { return Ok(false) };
        for org in info.publisher.iter().chain(info.custodian.iter()) {
            if self.may_act_for(actor, org)? {
                return Ok(true);
            }
        }
        Ok(actor.role >= Role::Admin)
    }

    fn dataset_for(&self, actor: &Actor, dataset: &NamedNode) -> Result<DatasetInfo, LabelError> {
        let snapshot = self.snapshot()?;
        let info = snapshot.datasets.get(dataset.as_str()).cloned().ok_or(LabelError::NotFound)?;
        if !self.may_edit_dataset(actor, dataset)? {
            let org = info.publisher.as_deref().map(|p| snapshot.agent_name(p).best("sv").to_owned()).unwrap_or_default();
            return Err(LabelError::forbidden(&org));
        }
        Ok(info)
    }

    /// A holder's statement of one metric (`level` as the metric numbers its levels).
    pub fn declare(
        &self,
        actor: &Actor,
        dataset: &NamedNode,
        metric: &str,
        level: u8,
        evidence: &str,
        note: &str,
    ) -> Result<(), LabelError> {
        let m = spec::metric(metric).ok_or_else(|| LabelError::invalid("matt", "okänt mått", "unknown metric"))?;
        if level > m.top() {
            return Err(LabelError::invalid("niva", format!("nivån ska vara 0–{}", m.top()), format!("the level must be 0–{}", m.top())));
        }
        check_link("underlag", evidence.trim())?;
        check_text("kommentar", note)?;
        self.dataset_for(actor, dataset)?;
        let d = Declaration {
            dataset: dataset.as_str().to_owned(),
            metric: metric.to_owned(),
            level,
            evidence: evidence.trim().to_owned(),
            note: note.trim().to_owned(),
            author: actor.user.clone(),
            time: Utc::now(),
        };
        let audit = AuditNote {
            who: actor.user.clone(),
            action: "label_declare".into(),
            target: dataset.as_str().to_owned(),
            detail: format!("{metric} = {level}"),
        };
        Ok(self.state.label.declare(&d, &audit)?)
    }

    /// Removes a statement; `false` when there was none.
    pub fn withdraw(&self, actor: &Actor, dataset: &NamedNode, metric: &str) -> Result<bool, LabelError> {
        spec::metric(metric).ok_or_else(|| LabelError::invalid("matt", "okänt mått", "unknown metric"))?;
        self.dataset_for(actor, dataset)?;
        let audit = AuditNote {
            who: actor.user.clone(),
            action: "label_withdraw".into(),
            target: dataset.as_str().to_owned(),
            detail: metric.to_owned(),
        };
        Ok(self.state.label.withdraw(dataset.as_str(), metric, &audit)?)
    }

    /// The holder's statements of a dataset.
    pub fn declarations(&self, dataset: &NamedNode) -> Result<Vec<Declaration>, LabelError> {
        Ok(self.state.label.declarations(dataset.as_str())?)
    }

    /// A holder's confirmation that the dataset's description is still accurate (Art. 60).
    pub fn attest(&self, actor: &Actor, dataset: &NamedNode, note: &str) -> Result<Attestation, LabelError> {
        check_text("kommentar", note)?;
        self.dataset_for(actor, dataset)?;
        let a = Attestation {
            dataset: dataset.as_str().to_owned(),
            author: actor.user.clone(),
            time: Utc::now(),
            note: note.trim().to_owned(),
        };
        let audit =
            AuditNote { who: actor.user.clone(), action: "attest".into(), target: dataset.as_str().to_owned(), detail: String::new() };
        self.state.label.attest(&a, &audit)?;
        Ok(a)
    }

    /// A dataset's confirmations, oldest first.
    pub fn attestations(&self, dataset: &NamedNode) -> Result<Vec<Attestation>, LabelError> {
        Ok(self.state.label.attestations(dataset.as_str())?)
    }

    /// Datasets with no confirmation in the last year, by publisher (publishers by name).
    pub fn overdue(&self) -> Result<Vec<OverdueGroup>, LabelError> {
        let snapshot = self.snapshot()?;
        let mut groups: BTreeMap<String, OverdueGroup> = BTreeMap::new();
        for (iri, label) in &snapshot.labels {
            if !label.overdue {
                continue;
            }
            let Some(info) = snapshot.datasets.get(iri) else { continue };
            let publisher = info.publisher.clone().unwrap_or_default();
            let group = groups.entry(publisher.clone()).or_insert_with(|| OverdueGroup {
                name: if publisher.is_empty() { LangText::sv("(ingen utgivare)") } else { snapshot.agent_name(&publisher) },
                publisher,
                datasets: Vec::new(),
            });
            group.datasets.push((iri.clone(), info.title.clone(), label.attestation.clone()));
        }
        let mut out: Vec<OverdueGroup> = groups.into_values().collect();
        out.sort_by(|a, b| a.name.best("sv").cmp(b.name.best("sv")));
        Ok(out)
    }

    /// The overdue datasets as an Atom 1.0 document (RFC 4287) for the health data access body,
    /// in `lang`: one entry per dataset, its id naming the confirmation that is missing (so a
    /// reader sees a new entry when a dataset falls overdue again), updated when it fell
    /// overdue (the due date; for a dataset never confirmed, its record's last change).
    pub fn overdue_feed(&self, lang: &str) -> Result<String, LabelError> {
        use crate::publish::feed::escape;
        use std::fmt::Write as _;
        let en = lang == "en";
        let snapshot = self.snapshot()?;
        let base = self.catalogue.minter().base().to_owned();
        let self_url = format!("{base}kvalitet/forsenade.atom");
        let time = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut entries = Vec::new();
        for group in self.overdue()? {
            for (iri, title, last) in &group.datasets {
                let label = snapshot.labels.get(iri);
                let due = label.and_then(|l| l.attestation_due);
                let updated = match (due, snapshot.datasets.get(iri).and_then(|d| d.modified)) {
                    (Some(d), _) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default(),
                    (None, Some(m)) => m,
                    (None, None) => chrono::DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default(),
                };
                let page = format!("{}{}", base.trim_end_matches('/'), self.catalogue.minter().path(iri));
                let id = format!("{page}#bekraftelse-{}", due.map_or_else(|| "aldrig".to_owned(), |d| d.to_string()));
                let since = match (last, en) {
                    (Some(a), true) => format!("last confirmed {}", a.time.date_naive()),
                    (Some(a), false) => format!("senast bekräftad {}", a.time.date_naive()),
                    (None, true) => "never confirmed".to_owned(),
                    (None, false) => "aldrig bekräftad".to_owned(),
                };
                entries.push((updated, id, format!("{} – {since}", title.best(lang)), page, iri.clone(), group.name.best(lang).to_owned()));
            }
        }
        entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let updated = entries.iter().map(|e| e.0).max().unwrap_or_default();
        let mut x = String::new();
        let _ = writeln!(x, r#"<?xml version="1.0" encoding="utf-8"?>"#);
        let _ = writeln!(x, r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{}">"#, if en { "en" } else { "sv" });
        let _ = writeln!(x, "  <id>{}</id>", escape(&self_url));
        let title = if en {
            "Vårdkatalogen: datasets without a yearly confirmation"
        } else {
            "Vårdkatalogen: datamängder utan årlig bekräftelse"
        };
        let _ = writeln!(x, "  <title>{}</title>", escape(title));
        let _ = writeln!(x, "  <updated>{}</updated>", time(updated));
        let _ = writeln!(x, "  <author><name>Vårdkatalogen</name></author>");
        let _ = writeln!(x, r#"  <link rel="self" type="application/atom+xml" href="{}"/>"#, escape(&self_url));
        let _ = writeln!(x, r#"  <link rel="alternate" type="text/html" href="{}"/>"#, escape(&format!("{base}kvalitet#forsenade")));
        let _ = writeln!(x, "  <generator>Vårdkatalogen</generator>");
        for (updated, id, title, page, iri, publisher) in &entries {
            let _ = writeln!(x, "  <entry>");
            let _ = writeln!(x, "    <id>{}</id>", escape(id));
            let _ = writeln!(x, "    <title>{}</title>", escape(title));
            let _ = writeln!(x, "    <updated>{}</updated>", time(*updated));
            let _ = writeln!(x, "    <author><name>{}</name></author>", escape(publisher));
            let _ = writeln!(x, r#"    <link rel="alternate" type="text/html" href="{}"/>"#, escape(page));
            let _ = writeln!(x, r#"    <link rel="related" href="{}"/>"#, escape(iri));
            let summary = if en {
                format!("{publisher} has not confirmed in the last year that the description is accurate (EHDS Art. 60).")
            } else {
                format!("{publisher} har inte bekräftat det senaste året att beskrivningen stämmer (EHDS art. 60).")
            };
            let _ = writeln!(x, "    <summary>{}</summary>", escape(&summary));
            let _ = writeln!(x, "  </entry>");
        }
        x.push_str("</feed>\n");
        Ok(x)
    }

    /// An organisation's self-assessment.
    pub fn maturity(&self, agent: &NamedNode) -> Result<Option<Maturity>, LabelError> {
        Ok(self.state.label.maturity(agent.as_str())?)
    }

    /// Stores an organisation's self-assessment: a level 1–5 per dimension it assessed (at
    /// least one).
    pub fn set_maturity(
        &self,
        actor: &Actor,
        agent: &NamedNode,
        levels: &BTreeMap<String, u8>,
        evidence: &str,
        note: &str,
    ) -> Result<Maturity, LabelError> {
        let Some((_, Resource::Agent(a))) = self.catalogue.public_resource(agent.as_ref())? else { return Err(LabelError::NotFound) };
        for (id, level) in levels {
            if maturity::dimension(id).is_none() {
                return Err(LabelError::invalid(id, "okänd mognadsdimension", "unknown maturity dimension"));
            }
            if !(1..=5).contains(level) {
                return Err(LabelError::invalid(id, "nivån ska vara 1–5", "the level must be 1–5"));
            }
        }
        if levels.is_empty() {
            return Err(LabelError::invalid("niva", "ange nivån för minst en dimension", "give the level of at least one dimension"));
        }
        check_link("underlag", evidence.trim())?;
        check_text("kommentar", note)?;
        if !self.may_act_for(actor, agent.as_str())? {
            return Err(LabelError::forbidden(a.name.best("sv")));
        }
        let m = Maturity {
            agent: agent.as_str().to_owned(),
            levels: levels.clone(),
            evidence: evidence.trim().to_owned(),
            note: note.trim().to_owned(),
            author: actor.user.clone(),
            time: Utc::now(),
        };
        let detail = levels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
        let audit = AuditNote { who: actor.user.clone(), action: "maturity".into(), target: agent.as_str().to_owned(), detail };
        self.state.label.set_maturity(&m, &audit)?;
        Ok(m)
    }

    /// The organisations an account works for.
    pub fn organisations(&self, user: &str) -> Result<Vec<String>, LabelError> {
        Ok(self.state.members.organisations(user)?)
    }

    /// Links an account to organisations (agent ids or IRIs; administrators only).
    pub fn set_organisations(&self, by: &Actor, user: &str, organisations: &[String]) -> Result<Vec<String>, LabelError> {
        if by.role < Role::Admin {
            return Err(LabelError::Forbidden {
                sv: "Det här kräver rollen administratör.".into(),
                en: "This needs the role administrator.".into(),
            });
        }
        let mut iris = Vec::new();
        for o in organisations.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
            let iri = self.agent_iri(o).ok_or_else(|| {
                LabelError::invalid(
                    "organisationer",
                    format!("{o} är ingen organisation i katalogen"),
                    format!("{o} is no organisation in the catalogue"),
                )
            })?;
            iris.push(iri.as_str().to_owned());
        }
        let audit = AuditNote { who: by.user.clone(), action: "members".into(), target: user.to_owned(), detail: iris.join(" ") };
        self.state.members.set_organisations(user, &iris, &audit)?;
        self.organisations(user)
    }

    /// A public agent by id (under `/agent/`) or IRI.
    fn agent_iri(&self, id_or_iri: &str) -> Option<NamedNode> {
        let iri = if id_or_iri.contains(':') {
            NamedNode::new(id_or_iri).ok()?
        } else {
            self.catalogue.minter().record(RecordKind::Agent, id_or_iri).ok()?
        };
        matches!(self.catalogue.public_resource(iri.as_ref()), Ok(Some((_, Resource::Agent(_))))).then_some(iri)
    }

    /// A public data collection by id: its IRI and title.
    pub fn collection(&self, id: &str) -> Result<Option<(NamedNode, LangText)>, LabelError> {
        let Ok(iri) = self.catalogue.minter().record(RecordKind::Dataset, id) else { return Ok(None) };
        let snapshot = self.snapshot()?;
        if !snapshot.collections.iter().any(|c| c == iri.as_str()) {
            return Ok(None);
        }
        let title = snapshot.datasets.get(iri.as_str()).map(|d| d.title.clone()).unwrap_or_default();
        Ok(Some((iri, title)))
    }

    /// A collection's region × period matrix (`None`: no such public collection).
    pub fn deliveries(&self, id: &str) -> Result<Option<(NamedNode, LangText, Matrix)>, LabelError> {
        let Some((iri, title)) = self.collection(id)? else { return Ok(None) };
        let snapshot = self.snapshot()?;
        let reports = self.state.deliveries.of_collection(iri.as_str())?;
        let matrix = Matrix::build(iri.as_str(), &reports, &snapshot.regions);
        Ok(Some((iri, title, matrix)))
    }

    /// The regions `actor` may report for (every region for an administrator).
    pub fn regions_of(&self, actor: &Actor) -> Result<Vec<(String, LangText)>, LabelError> {
        let snapshot = self.snapshot()?;
        let mut out = Vec::new();
        for (iri, name) in &snapshot.regions {
            if self.may_act_for(actor, iri)? {
                out.push((iri.clone(), name.clone()));
            }
        }
        Ok(out)
    }

    /// Stores a region's delivery report to the collection `collection_id`, after checking
    /// everything in it: the collection, the region (a region the account works for), the
    /// period, and every column (the collection's own; its level is taken from the catalogue,
    /// not from the report; counts that cannot be: more filled than rows, more invalid than
    /// filled). Nothing is written when anything is wrong.
    pub fn submit_delivery(&self, actor: &Actor, collection_id: &str, s: &Submitted) -> Result<DeliveryReport, LabelError> {
        self.submit_delivery_via(actor, collection_id, s, None)
    }

    /// [`Self::submit_delivery`], naming in the audit entry the API token it came with.
    pub fn submit_delivery_via(
        &self,
        actor: &Actor,
        collection_id: &str,
        s: &Submitted,
        token: Option<&str>,
    ) -> Result<DeliveryReport, LabelError> {
        let (iri, _) = self.collection(collection_id)?.ok_or(LabelError::NotFound)?;
        let region = self
            .agent_iri(s.region.trim())
            .filter(|r| self.snapshot().is_ok_and(|snap| snap.regions.iter().any(|(x, _)| x == r.as_str())))
            .ok_or_else(|| {
                LabelError::invalid(
                    "region",
                    format!("{} är ingen region i katalogen", s.region),
                    format!("{} is no region in the catalogue", s.region),
                )
            })?;
        // who may report for the region, before anything about the counts is told
        if !self.may_act_for(actor, region.as_str())? {
            let name = self.snapshot()?.agent_name(region.as_str()).best("sv").to_owned();
            return Err(LabelError::forbidden(&name));
        }
        if !delivery::valid_period(s.period.trim()) {
            return Err(LabelError::invalid("period", "skriv perioden ÅÅÅÅ eller ÅÅÅÅ-MM", "write the period YYYY or YYYY-MM"));
        }
        let spec = crate::validate::collection::CollectionSpec::from_catalogue(&self.catalogue, &iri)?.ok_or(LabelError::NotFound)?;
        const PROBLEMS: &[&str] = &["empty_required_value", "type_error", "code_in_other_case", "code_not_in_list", "out_of_range"];
        let mut columns = Vec::new();
        for c in &s.columns {
            let Some(known) = spec.columns.iter().find(|k| k.name.eq_ignore_ascii_case(c.name.trim())) else {
                return Err(LabelError::invalid(
                    &format!("columns[{}]", c.name),
                    format!("kolumnen ingår inte i datainsamlingen {collection_id}"),
                    format!("the column is not part of the collection {collection_id}"),
                ));
            };
            if columns.iter().any(|x: &ColumnCounts| x.name == known.name) {
                return Err(LabelError::invalid(&format!("columns[{}]", c.name), "kolumnen finns två gånger", "the column appears twice"));
            }
            if c.filled > s.rows || c.invalid > c.filled || (!c.present && c.filled > 0) {
                return Err(LabelError::invalid(
                    &format!("columns[{}]", c.name),
                    "antalen går inte ihop (ifyllda högst rader, ogiltiga högst ifyllda)",
                    "the counts do not add up (filled at most rows, invalid at most filled)",
                ));
            }
            if let Some(p) = c.problems.keys().find(|p| !PROBLEMS.contains(&p.as_str())) {
                return Err(LabelError::invalid(
                    &format!("columns[{}]", c.name),
                    format!("okänd feltyp {p}"),
                    format!("unknown error type {p}"),
                ));
            }
            columns.push(ColumnCounts { name: known.name.clone(), level: known.level.label("en").to_owned(), ..c.clone() });
        }
        // a column of the collection the report does not mention was not there
        for k in &spec.columns {
            if !columns.iter().any(|c| c.name == k.name) {
                columns.push(ColumnCounts {
                    name: k.name.clone(),
                    level: k.level.label("en").to_owned(),
                    present: false,
                    filled: 0,
                    invalid: 0,
                    problems: BTreeMap::new(),
                });
            }
        }
        let report = DeliveryReport {
            id: 0,
            collection: iri.as_str().to_owned(),
            region: region.as_str().to_owned(),
            period: s.period.trim().to_owned(),
            rows: if s.header_only { 0 } else { s.rows },
            header_only: s.header_only,
            columns,
            unknown_columns: s.unknown_columns,
            errors: s.errors,
            warnings: s.warnings,
            passed: s.passed,
            submitted_by: actor.user.clone(),
            time: Utc::now(),
        };
        let audit = AuditNote {
            who: actor.user.clone(),
            action: "delivery".into(),
            target: iri.as_str().to_owned(),
            detail: match token {
                Some(id) => format!("{} {} ({} rows) (API-token {id})", region.as_str(), report.period, report.rows),
                None => format!("{} {} ({} rows)", region.as_str(), report.period, report.rows),
            },
        };
        Ok(self.state.deliveries.add(&report, &audit)?)
    }
}

/// The label's page and its JSON, under the catalogue's base (`{base}dataset/{id}/…`).
pub fn label_page(base: &str, dataset_id: &str) -> String {
    format!("{base}dataset/{dataset_id}/kvalitetsmarkning")
}

/// The label as JSON (`{base}api/v1/quality/dataset/{id}/label`).
pub fn label_json_url(base: &str, dataset_id: &str) -> String {
    format!("{base}api/v1/quality/dataset/{dataset_id}/label")
}

/// The specification's page (`{base}kvalitetsmarkning`): the IRIs of metrics and dimensions
/// are its fragments.
pub fn spec_page(base: &str) -> String {
    format!("{base}kvalitetsmarkning")
}

impl crate::publish::Annotations for Labels {
    fn dataset(&self, dataset: &NamedNode) -> Result<Graph, StoreError> {
        let unavailable = |e: LabelError| StoreError::Unavailable(format!("the quality label: {e}"));
        let minter = self.catalogue.minter();
        // only datasets minted here have a label page for the certificate to name
        let Some((RecordKind::Dataset, id)) = minter.parse(dataset.as_str()) else { return Ok(Graph::new()) };
        let Some(label) = self.label(dataset).map_err(unavailable)? else { return Ok(Graph::new()) };
        let base = minter.base();
        Ok(dqv::dataset(&label, dataset, &label_page(base, &id), &label_json_url(base, &id), &spec_page(base)))
    }

    fn shared(&self) -> (NamedNode, Graph) {
        let spec = spec_page(self.catalogue.minter().base());
        (NamedNode::new_unchecked(&spec), dqv::definitions(&spec))
    }

    fn fingerprint(&self) -> String {
        let version = self.state.label.version().unwrap_or(u64::MAX);
        format!("{version}-{}", Utc::now().date_naive())
    }
}

fn lang_json(t: &LangText) -> Value {
    json!({ "sv": t.best("sv"), "en": t.best("en") })
}

fn fact_json(f: &Fact) -> Value {
    json!({ "sv": f.sv, "en": f.en })
}

fn metric_json(m: &MetricResult) -> Value {
    let mut v = json!({
        "id": m.metric.id,
        "name": { "sv": m.metric.sv, "en": m.metric.en },
        "method": match m.metric.method { spec::Method::Computed => "computed", spec::Method::Declared => "declared" },
        "source": match m.metric.source { spec::Source::Quantum => "QUANTUM", spec::Source::Ours => "vardkatalog" },
        "status": m.status.id(),
        "level": m.level,
        "top": m.metric.top(),
        "evidence": m.evidence.iter().map(fact_json).collect::<Vec<_>>(),
        "rule": { "sv": m.metric.rule_sv, "en": m.metric.rule_en },
    });
    if let Some(l) = m.level {
        v["level_name"] = json!({ "sv": m.metric.level_name(l, false), "en": m.metric.level_name(l, true) });
    }
    if let Some(d) = &m.declaration {
        v["declaration"] = json!({ "level": d.level, "evidence": d.evidence, "note": d.note, "by": d.author, "time": d.time.to_rfc3339() });
    }
    v
}

/// The label as JSON (what `/api/v1/quality/dataset/{id}/label` answers).
pub fn to_json(label: &Label, info: &DatasetInfo, page: &str, spec: &str) -> Value {
    let elements: Vec<Value> = label
        .elements
        .iter()
        .map(|e| {
            json!({
                "id": e.element.id(),
                "article": e.element.reference(true),
                "name": { "sv": e.element.name(false), "en": e.element.name(true) },
                "status": e.status.id(),
                "dimensions": e.dimensions.iter().map(|d| json!({
                    "id": d.dimension.id,
                    "number": d.dimension.number,
                    "name": { "sv": d.dimension.sv, "en": d.dimension.en },
                    "weight": d.dimension.weight,
                    "source": match d.dimension.source { spec::Source::Quantum => "QUANTUM", spec::Source::Ours => "vardkatalog" },
                    "status": d.status().id(),
                    "score": (d.score * 1000.0).round() / 1000.0,
                    "metrics": d.metrics.iter().map(metric_json).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "metrics": e.metrics.iter().map(metric_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let qm = &label.quality_management;
    json!({
        "dataset": label.dataset,
        "title": lang_json(&info.title),
        "publisher": info.publisher,
        "page": page,
        "specification": spec,
        "regulation": "Regulation (EU) 2025/327, Art. 78",
        "computed_on": label.computed_on.to_string(),
        "class": label.class.to_string(),
        "score": (label.score * 10.0).round() / 10.0,
        "counts": {
            "computed": label.count(Status::Computed),
            "declared": label.count(Status::Declared),
            "missing": label.count(Status::Missing),
        },
        "attestation": {
            "last": label.attestation.as_ref().map(|a| a.time.to_rfc3339()),
            "by": label.attestation.as_ref().map(|a| a.author.clone()),
            "due": label.attestation_due.map(|d| d.to_string()),
            "overdue": label.overdue,
        },
        "quality_management": {
            "status": qm.status.id(),
            "dimension": maturity::QUALITY_MANAGEMENT,
            "level": qm.level,
            "organisation": qm.assessment.as_ref().map(|m| m.agent.clone()),
            "assessed": qm.assessment.as_ref().map(|m| m.time.to_rfc3339()),
            "by": qm.assessment.as_ref().map(|m| m.author.clone()),
        },
        "elements": elements,
    })
}
