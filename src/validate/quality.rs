//! The quality service: computes [`super::mqa`] scores over the public catalogue and keeps them
//! per store generation.
//!
//! Owns: reading the public datasets, their distributions and the agents from the catalogue;
//! the DCAT-AP compliance check (the dataset's DCAT-AP description, as `publish` writes it,
//! validated with [`super::shacl`] against the official DCAT-AP 3.0.1 shapes when a directory
//! holding them is configured, with [`super::background`] as vocabulary data); the URL checks
//! of online mode (a blocking HEAD, then GET when HEAD answers 4xx or 5xx, with a short time limit,
//! each URL once per run, through the address guard [`crate::net::Guard`]: the URLs come from
//! records and harvested catalogues, so an address inside the server's own network is not
//! asked unless `[harvest] allow_private` allows it); and the caches: the catalogue's score and single datasets' scores,
//! both dropped when the store generation changes. Offline mode never opens a connection.
//!
//! Compliance is validated in batches: a batch whose document conforms passes every dataset in
//! it; only the datasets of a batch that does not are validated one by one, so that a finding
//! is charged to the dataset whose description carries it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, NamedNode, NamedNodeRef};

use super::background::eu_vocabularies;
use super::mqa::{AgentInfo, CatalogueScore, Compliance, DatasetScore, UrlStatus, score_dataset};
use super::shacl::{ShaclError, Shapes};
use crate::catalog::Catalogue;
use crate::config::{QualitySettings, Vocabularies};
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::eu;
use crate::model::{Dataset, Distribution};
use crate::publish::{Format, Profile, Publisher};
use crate::store::StoreError;

/// The files of the official DCAT-AP 3.0.1 shapes the compliance check reads (notes/
/// standards.md §0: the "html/shacl" set, without the recommended-properties warnings).
pub use crate::config::DCAT_AP_SHAPES;

/// Datasets validated together in one SHACL run.
const BATCH: usize = 200;

/// Why a score could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum QualityError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the DCAT-AP shapes could not be loaded: {0}")]
    Shapes(#[from] ShaclError),
    #[error("the DCAT-AP description of {dataset} could not be written: {message}")]
    Describe { dataset: String, message: String },
    #[error("the URL checker could not start: {0}")]
    Client(String),
}

/// Loads the official DCAT-AP 3.0.1 shapes from a directory (the `sh:shape` defect of
/// `shapes.ttl` read as `sh:node`, so that dates are checked).
pub fn load_dcat_ap_shapes(dir: &Path) -> Result<Shapes, ShaclError> {
    let paths: Vec<_> = DCAT_AP_SHAPES.iter().map(|f| dir.join(f)).collect();
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    Ok(Shapes::from_files(&refs)?.with_sh_shape_as_node())
}

/// The quality service.
pub struct Quality {
    catalogue: Arc<Catalogue>,
    publisher: Publisher,
    settings: QualitySettings,
    shapes: Option<Shapes>,
    background: Graph,
    catalogue_cache: Mutex<Option<Arc<CatalogueScore>>>,
    dataset_cache: Mutex<(u64, HashMap<NamedNode, Arc<DatasetScore>>)>,
    guard: crate::net::Guard,
    /// How many datasets this service has scored (each full or incremental pass adds the
    /// datasets it scored): what "incremental" saves is visible here.
    scored: std::sync::atomic::AtomicU64,
}

impl Quality {
    /// The service; loads the DCAT-AP shapes when the settings name a directory.
    pub fn new(catalogue: Arc<Catalogue>, vocabularies: Vocabularies, settings: QualitySettings) -> Result<Self, QualityError> {
        let shapes = settings.dcat_ap_shapes.as_deref().map(load_dcat_ap_shapes).transpose()?;
        Ok(Self::with_shapes(catalogue, vocabularies, settings, shapes))
    }

    /// The service with shapes already loaded (or none: compliance is then not checked).
    pub fn with_shapes(catalogue: Arc<Catalogue>, vocabularies: Vocabularies, settings: QualitySettings, shapes: Option<Shapes>) -> Self {
        Self {
            publisher: Publisher::new(catalogue.clone(), vocabularies),
            catalogue,
            settings,
            shapes,
            background: eu_vocabularies(),
            catalogue_cache: Mutex::new(None),
            dataset_cache: Mutex::new((u64::MAX, HashMap::new())),
            guard: crate::net::Guard::public_only(),
            scored: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The networks the URL checks may reach besides the public internet (none by default).
    pub fn with_address_guard(mut self, guard: crate::net::Guard) -> Self {
        self.guard = guard;
        self
    }

    pub fn settings(&self) -> &QualitySettings {
        &self.settings
    }

    /// Whether DCAT-AP compliance is checked with SHACL.
    pub fn checks_compliance(&self) -> bool {
        self.shapes.is_some()
    }

    /// The catalogue's score in the configured mode, computed once per store generation: after
    /// a change, only the datasets the change touched are scored again ([`Self::rescore`]).
    pub fn score(&self) -> Result<Arc<CatalogueScore>, QualityError> {
        let generation = self.catalogue.store().generation()?;
        let mut cached = self.catalogue_cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = cached.as_ref().filter(|s| s.generation == generation) {
            return Ok(s.clone());
        }
        let score = match cached.as_ref().filter(|s| s.online == self.settings.online && s.generation < generation) {
            Some(previous) => self.rescore(previous)?,
            None => self.assess(self.settings.online)?,
        };
        let score = Arc::new(score);
        *cached = Some(score.clone());
        Ok(score)
    }

    /// How many datasets this service has scored so far.
    pub fn datasets_scored(&self) -> u64 {
        self.scored.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The catalogue's score now, from an earlier one: the change log names what changed since;
    /// a changed dataset, or one whose distribution changed, is scored again, the others keep
    /// their score (variables, code lists, codes and use cases do not enter a dataset's score or
    /// its DCAT-AP description). A change to anything a description shares between datasets
    /// (an agent, a data service, a coding system, the catalogue), or a change log that no
    /// longer reaches back, scores everything again.
    fn rescore(&self, previous: &CatalogueScore) -> Result<CatalogueScore, QualityError> {
        let store = self.catalogue.store();
        let generation = store.generation()?;
        let Some(changes) = store.changes_since(previous.generation)? else { return self.assess(previous.online) };
        let changed: std::collections::BTreeSet<NamedNode> = changes.into_iter().flat_map(|c| c.iris).collect();
        let mut touched: std::collections::BTreeSet<NamedNode> = std::collections::BTreeSet::new();
        for iri in &changed {
            match store.meta(iri.as_ref())?.map(|m| m.kind) {
                Some(RecordKind::Dataset) => {
                    touched.insert(iri.clone());
                }
                Some(RecordKind::Variable | RecordKind::CodeList | RecordKind::Concept | RecordKind::UseCase) => {}
                Some(RecordKind::Distribution) | None => {
                    // a deleted record may have been a dataset, or a distribution datasets name
                    if previous.dataset(iri.as_str()).is_some() {
                        touched.insert(iri.clone());
                    }
                    for q in store.quads_matching(None, Some(crate::model::vocab::dcat::DISTRIBUTION_PROP), Some(iri.as_ref().into()))? {
                        if let oxigraph::model::NamedOrBlankNode::NamedNode(d) = q.subject {
                            touched.insert(d);
                        }
                    }
                }
                Some(_) => return self.assess(previous.online),
            }
        }
        let mut scores: Vec<DatasetScore> = previous.datasets.iter().filter(|d| !touched.contains(&d.iri)).cloned().collect();
        let mut loaded = Vec::new();
        for iri in &touched {
            if let Some(d) = self.load_dataset(iri.as_ref())? {
                loaded.push(d);
            }
        }
        scores.extend(self.score_loaded(&loaded, previous.online)?);
        Ok(CatalogueScore::new(generation, scores, &self.agents()?, previous.online, self.shapes.is_some()))
    }

    /// Scores loaded datasets (compliance in batches, then the indicators).
    fn score_loaded(&self, loaded: &[(Dataset, Vec<Distribution>)], online: bool) -> Result<Vec<DatasetScore>, QualityError> {
        let iris: Vec<NamedNode> = loaded.iter().map(|(d, _)| d.iri.clone()).collect();
        let compliance = self.compliance(&iris)?;
        let mut probe = self.prober(online)?;
        self.scored.fetch_add(loaded.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(loaded.iter().zip(&compliance).map(|((d, dists), c)| score_dataset(d, dists, c, &mut probe)).collect())
    }

    /// One dataset's score (`None`: no such public dataset): from the catalogue's score when it
    /// is current, else computed alone and kept for this store generation.
    pub fn dataset_score(&self, iri: &NamedNode) -> Result<Option<Arc<DatasetScore>>, QualityError> {
        let generation = self.catalogue.store().generation()?;
        // while the catalogue is being scored its lock is held: do not wait for it
        let current = match self.catalogue_cache.try_lock() {
            Ok(guard) => guard.as_ref().filter(|s| s.generation == generation).cloned(),
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner().as_ref().filter(|s| s.generation == generation).cloned(),
            Err(std::sync::TryLockError::WouldBlock) => None,
        };
        if let Some(s) = current {
            return Ok(s.dataset(iri.as_str()).cloned().map(Arc::new));
        }
        {
            let cache = self.dataset_cache.lock().unwrap_or_else(PoisonError::into_inner);
            if cache.0 == generation
                && let Some(s) = cache.1.get(iri)
            {
                return Ok(Some(s.clone()));
            }
        }
        let Some((dataset, distributions)) = self.load_dataset(iri.as_ref())? else { return Ok(None) };
        let compliance = self.compliance(std::slice::from_ref(&dataset.iri))?.remove(0);
        let mut probe = self.prober(self.settings.online)?;
        let score = Arc::new(score_dataset(&dataset, &distributions, &compliance, &mut probe));
        let mut cache = self.dataset_cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.0 != generation {
            *cache = (generation, HashMap::new());
        }
        cache.1.insert(iri.clone(), score.clone());
        Ok(Some(score))
    }

    /// Scores the whole public catalogue now (no cache), online or offline.
    pub fn assess(&self, online: bool) -> Result<CatalogueScore, QualityError> {
        let generation = self.catalogue.store().generation()?;
        let mut loaded = Vec::new();
        for iri in self.catalogue.store().iris_of_kind(RecordKind::Dataset)? {
            if let Some(d) = self.load_dataset(iri.as_ref())? {
                loaded.push(d);
            }
        }
        loaded.sort_by(|a, b| a.0.iri.as_str().cmp(b.0.iri.as_str()));
        let scores = self.score_loaded(&loaded, online)?;
        Ok(CatalogueScore::new(generation, scores, &self.agents()?, online, self.shapes.is_some()))
    }

    /// A public dataset with its public distributions (in the dataset's order).
    fn load_dataset(&self, iri: NamedNodeRef<'_>) -> Result<Option<(Dataset, Vec<Distribution>)>, QualityError> {
        let Some((_, Resource::Dataset(d))) = self.catalogue.public_resource(iri)? else { return Ok(None) };
        let mut distributions = Vec::new();
        for x in &d.distributions {
            if let Some((_, Resource::Distribution(dist))) = self.catalogue.public_resource(x.as_ref())? {
                distributions.push(dist);
            }
        }
        Ok(Some((d, distributions)))
    }

    fn agents(&self) -> Result<Vec<AgentInfo>, QualityError> {
        let regional = format!("{}RegionalAuthority", eu::ADMS_PUBLISHER_TYPE);
        let mut out = Vec::new();
        for iri in self.catalogue.store().iris_of_kind(RecordKind::Agent)? {
            if let Some((_, Resource::Agent(a))) = self.catalogue.public_resource(iri.as_ref())? {
                let region = a.publisher_type.as_ref().is_some_and(|t| t.as_str() == regional);
                out.push(AgentInfo { iri: a.iri, name: a.name, region });
            }
        }
        Ok(out)
    }

    /// The compliance of each dataset, in order.
    fn compliance(&self, datasets: &[NamedNode]) -> Result<Vec<Compliance>, QualityError> {
        let Some(shapes) = &self.shapes else { return Ok(vec![Compliance::NotChecked; datasets.len()]) };
        let mut out = Vec::with_capacity(datasets.len());
        for batch in datasets.chunks(BATCH) {
            let report = shapes.validate(&self.describe(batch)?, Some(&self.background))?;
            if report.conforms() {
                out.extend(batch.iter().map(|_| Compliance::Conforms));
                continue;
            }
            for d in batch {
                let report = if batch.len() == 1 {
                    report.clone()
                } else {
                    shapes.validate(&self.describe(std::slice::from_ref(d))?, Some(&self.background))?
                };
                out.push(if report.conforms() {
                    Compliance::Conforms
                } else {
                    Compliance::Violations(report.violations().map(ToString::to_string).collect())
                });
            }
        }
        Ok(out)
    }

    /// The DCAT-AP description of some datasets, as harvesters get it.
    fn describe(&self, datasets: &[NamedNode]) -> Result<Graph, QualityError> {
        let fail = |message: String| QualityError::Describe {
            dataset: datasets.first().map(|d| d.as_str().to_owned()).unwrap_or_default(),
            message,
        };
        let mut out = Vec::new();
        self.publisher.write_datasets(Profile::DcatAp, Format::NTriples, datasets, &mut out).map_err(|e| fail(e.to_string()))?;
        crate::catalog::parse_document(&out[..], RdfFormat::NTriples, self.catalogue.minter().base()).map_err(|e| fail(e.to_string()))
    }

    /// The URL check of a run: offline, every URL is not checked; online, each URL is asked
    /// once (HEAD, then GET when HEAD answers 4xx or 5xx).
    fn prober(&self, online: bool) -> Result<impl FnMut(&str) -> UrlStatus, QualityError> {
        let client = if online {
            Some((
                self.guard
                    .client(
                        reqwest::blocking::Client::builder()
                            .timeout(Duration::from_millis(self.settings.url_timeout_ms))
                            .connect_timeout(Duration::from_millis(self.settings.url_timeout_ms))
                            .user_agent(concat!("vardkatalog/", env!("CARGO_PKG_VERSION"), " (quality check)")),
                    )
                    .build()
                    .map_err(|e| QualityError::Client(e.to_string()))?,
                self.guard.clone(),
            ))
        } else {
            None
        };
        let mut seen: HashMap<String, UrlStatus> = HashMap::new();
        Ok(move |url: &str| -> UrlStatus {
            let Some((client, guard)) = &client else { return UrlStatus::NotChecked };
            if let Some(s) = seen.get(url) {
                return s.clone();
            }
            let status = check_url(client, guard, url);
            seen.insert(url.to_owned(), status.clone());
            status
        })
    }
}

fn check_url(client: &reqwest::blocking::Client, guard: &crate::net::Guard, url: &str) -> UrlStatus {
    if !super::mqa::is_web_url(url) {
        return UrlStatus::Error("not an http(s) URL".into());
    }
    let parsed = match reqwest::Url::parse(url) {
        Ok(u) => u,
        Err(e) => return UrlStatus::Error(format!("not a usable URL: {e}")),
    };
    if let Err(r) = guard.check_url(&parsed) {
        return UrlStatus::Error(r.to_string());
    }
    let answer = |r: Result<reqwest::blocking::Response, reqwest::Error>| match r {
        Ok(res) => UrlStatus::Status(res.status().as_u16()),
        Err(e) if crate::net::refusal(&e).is_some() => UrlStatus::Error(crate::net::refusal(&e).map(|r| r.to_string()).unwrap_or_default()),
        Err(e) if e.is_timeout() => UrlStatus::Error("no answer within the time limit".into()),
        Err(e) if e.is_connect() => UrlStatus::Error("connection refused or host unreachable".into()),
        Err(e) => UrlStatus::Error(e.to_string()),
    };
    // some servers refuse or mishandle HEAD: ask again with GET unless HEAD succeeded or
    // nothing answered at all (the body of the GET is not read)
    match answer(client.head(url).send()) {
        UrlStatus::Status(s) if s >= 400 => answer(client.get(url).send()),
        other => other,
    }
}
