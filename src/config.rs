//! Configuration: defaults, then a TOML file, then `VARDKATALOG_*` environment variables, then
//! command-line flags. Every setting is checked at start-up and a bad one is reported by the
//! name the user wrote it under (`VARDKATALOG_BIND`, or `bind` in the file).

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The official DCAT-AP 3.0.1 shape files `[quality] dcat_ap_shapes` must hold.
pub const DCAT_AP_SHAPES: &[&str] = &["shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl"];

/// Default bind address.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Default data directory.
pub const DEFAULT_DATA_DIR: &str = "./data";
/// The file read when no `--config` is given and it exists.
pub const DEFAULT_FILE: &str = "vardkatalog.toml";

/// A language the pages and messages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sv" | "sv-se" | "svenska" => Some(Self::Sv),
            "en" | "en-gb" | "en-us" | "english" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Absolute http(s) IRI ending in `/`; every record IRI is minted under it.
    pub base_iri: String,
    pub data_dir: PathBuf,
    /// `host:port`.
    pub bind: String,
    pub lang: Lang,
    /// Published base IRIs of the HealthDCAT-AP vocabularies (`[vocabularies]`).
    pub vocabularies: Vocabularies,
    /// Limits of the public SPARQL endpoint (`[sparql]`).
    pub sparql: SparqlLimits,
    /// The quality score (`[quality]`).
    pub quality: QualitySettings,
    /// Harvest sources and limits (`[harvest]`, `[[harvest.sources]]`).
    pub harvest: crate::harvest::HarvestSettings,
    /// The curation workflow (`[curation]`).
    pub curation: CurationSettings,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`trusted_proxies`): addresses or
    /// CIDR ranges. Empty: the peer address is the client's.
    pub trusted_proxies: Vec<IpRange>,
    /// A SPARQL engine elsewhere that holds the catalogue (`[store]` with `query_url`); `None`:
    /// the embedded store in the data directory.
    pub remote_store: Option<crate::store::remote::RemoteSettings>,
    /// A PostgreSQL database that holds the operational state (`[state] url`); `None`: the
    /// embedded sled database in the data directory.
    pub state_db: Option<crate::state::PostgresSettings>,
}

/// How curation works (`[curation]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurationSettings {
    /// Four eyes: a granskare or admin cannot publish a draft whose content they wrote since
    /// the record was last published (`curation::Curation::publish`). On by default.
    pub four_eyes: bool,
}

impl Default for CurationSettings {
    fn default() -> Self {
        Self { four_eyes: true }
    }
}

/// An address or a CIDR range of addresses (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: std::net::IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Parses `addr` or `addr/prefix`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network: std::net::IpAddr = addr.parse().map_err(|_| format!("{addr:?} is not an IP address"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("the prefix length {p:?} must be a number from 0 to {max}"))?,
            None => max,
        };
        Ok(Self { network, prefix })
    }

    /// Whether `ip` is in the range (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        let bits = |a: IpAddr| -> u128 {
            match a {
                IpAddr::V4(v4) => u128::from(u32::from(v4)),
                IpAddr::V6(v6) => u128::from(v6),
            }
        };
        let width = if self.network.is_ipv4() { 32 } else { 128 };
        if ip.is_ipv4() != self.network.is_ipv4() {
            return false;
        }
        if self.prefix == 0 {
            return true;
        }
        let shift = width - u32::from(self.prefix);
        bits(ip) >> shift == bits(self.network) >> shift
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// How the quality score is computed (`validate::quality`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualitySettings {
    /// Check that access and download URLs answer (network). Off by default: offline, those
    /// indicators are reported as not checked.
    pub online: bool,
    /// Time limit of one URL check, in milliseconds.
    pub url_timeout_ms: u64,
    /// A directory holding the official DCAT-AP 3.0.1 shapes (`shapes.ttl`, `range.ttl`,
    /// `mdr-vocabularies.shape.ttl`); without it, DCAT-AP compliance is not checked with SHACL.
    pub dcat_ap_shapes: Option<PathBuf>,
}

impl Default for QualitySettings {
    fn default() -> Self {
        Self { online: false, url_timeout_ms: 5_000, dcat_ap_shapes: None }
    }
}

/// The base IRIs under which the older HealthDCAT-AP projection (`healthdcat-ap-r5`) publishes
/// HealthDCAT-AP's controlled vocabularies. They moved between releases, so they are settings;
/// the store keeps the Release 8 bases of `model::vocab::health`, which `healthdcat-ap` and the
/// default profile publish as they are, and `healthdcat-ap-r5` rewrites them to these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocabularies {
    /// Health categories (EHDS Art. 51), e.g. `…/healthcategories/PHDR`.
    pub health_category_base: String,
    /// Health themes, e.g. `…/health-theme/CANCER_DISEASE`.
    pub health_theme_base: String,
    /// HealthDCAT-AP publisher types, e.g. `…/publisher-type/national-authority`.
    pub health_publisher_type_base: String,
}

impl Default for Vocabularies {
    /// The bases of the draft and Release 5, which the `healthdcat-ap-r5` projection keeps
    /// publishing (Release 8 and the default profile always use the Release 8 bases).
    fn default() -> Self {
        use crate::model::vocab::health;
        Self {
            health_category_base: health::R5_CATEGORY_BASE.to_owned(),
            health_theme_base: health::R5_THEME_BASE.to_owned(),
            health_publisher_type_base: health::R5_PUBLISHER_TYPE_BASE.to_owned(),
        }
    }
}

/// Limits of the public SPARQL endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SparqlLimits {
    /// A query still running after this many milliseconds is cancelled (503).
    pub timeout_ms: u64,
    /// At most this many result rows (SELECT) are returned; more are cut off and the
    /// response says so.
    pub max_rows: u64,
    /// At most this many triples (CONSTRUCT, DESCRIBE) are returned; more are cut off.
    pub max_triples: u64,
    /// A query whose evaluation holds more than this many megabytes is stopped (503).
    pub max_memory_mb: u64,
}

impl Default for SparqlLimits {
    fn default() -> Self {
        Self { timeout_ms: 10_000, max_rows: 10_000, max_triples: 100_000, max_memory_mb: 512 }
    }
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("configuration file {path}: {message}")]
    File { path: String, message: String },
    #[error("setting {name} = {value:?}: {problem}")]
    Invalid { name: String, value: String, problem: String },
}

/// The settings a TOML file may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    base_iri: Option<String>,
    data_dir: Option<PathBuf>,
    bind: Option<String>,
    lang: Option<String>,
    #[serde(default)]
    vocabularies: VocabularyFileSettings,
    #[serde(default)]
    sparql: SparqlFileSettings,
    #[serde(default)]
    quality: QualityFileSettings,
    #[serde(default)]
    harvest: crate::harvest::HarvestSettings,
    #[serde(default)]
    curation: CurationFileSettings,
    trusted_proxies: Option<Vec<String>>,
    #[serde(default)]
    store: StoreFileSettings,
    #[serde(default)]
    state: StateFileSettings,
}

/// `[state]` in the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFileSettings {
    url: Option<String>,
    password: Option<String>,
    pool_size: Option<u64>,
}

/// `[store]` in the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreFileSettings {
    query_url: Option<String>,
    update_url: Option<String>,
    graph_store_url: Option<String>,
    user: Option<String>,
    password: Option<String>,
    timeout_ms: Option<u64>,
    lock_lease_ms: Option<u64>,
    max_update_bytes: Option<u64>,
}

/// `[curation]` in the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurationFileSettings {
    four_eyes: Option<bool>,
}

/// `[quality]` in the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct QualityFileSettings {
    online: Option<bool>,
    url_timeout_ms: Option<u64>,
    dcat_ap_shapes: Option<PathBuf>,
}

/// `[vocabularies]` in the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFileSettings {
    health_category_base: Option<String>,
    health_theme_base: Option<String>,
    health_publisher_type_base: Option<String>,
}

/// `[sparql]` in the TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SparqlFileSettings {
    timeout_ms: Option<u64>,
    max_rows: Option<u64>,
    max_triples: Option<u64>,
    max_memory_mb: Option<u64>,
}

/// Overrides from the command line.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub base_iri: Option<String>,
}

impl Config {
    /// Loads the configuration: `file` if given (it must exist), else `vardkatalog.toml` if
    /// present; then the environment (read through `env`), then `overrides`.
    pub fn load(file: Option<&Path>, env: impl Fn(&str) -> Option<String>, overrides: &Overrides) -> Result<Self, ConfigError> {
        let (settings, file_name) = match file {
            Some(path) => (read_file(path)?, Some(path.display().to_string())),
            None if Path::new(DEFAULT_FILE).exists() => (read_file(Path::new(DEFAULT_FILE))?, Some(DEFAULT_FILE.to_owned())),
            None => (FileSettings::default(), None),
        };
        let from_file = |key: &str| file_name.as_ref().map(|f| format!("{key} (in {f})")).unwrap_or_else(|| key.to_owned());

        // each setting: (value, the name to report it under)
        let pick = |flag: Option<String>, flag_name: &str, env_name: &str, file_value: Option<String>, key: &str| {
            if let Some(v) = flag {
                return Some((v, flag_name.to_owned()));
            }
            if let Some(v) = env(env_name) {
                return Some((v, env_name.to_owned()));
            }
            file_value.map(|v| (v, from_file(key)))
        };

        let bind = pick(overrides.bind.clone(), "--bind", "VARDKATALOG_BIND", settings.bind, "bind")
            .unwrap_or_else(|| (DEFAULT_BIND.to_owned(), "bind".to_owned()));
        check_bind(&bind.0).map_err(|problem| ConfigError::Invalid { name: bind.1.clone(), value: bind.0.clone(), problem })?;

        let data_dir = pick(
            overrides.data_dir.as_ref().map(|p| p.display().to_string()),
            "--data-dir",
            "VARDKATALOG_DATA_DIR",
            settings.data_dir.map(|p| p.display().to_string()),
            "data_dir",
        )
        .unwrap_or_else(|| (DEFAULT_DATA_DIR.to_owned(), "data_dir".to_owned()));
        if data_dir.0.trim().is_empty() {
            return Err(ConfigError::Invalid { name: data_dir.1, value: data_dir.0, problem: "must name a directory".into() });
        }

        let lang = match pick(None, "", "VARDKATALOG_LANG", settings.lang, "lang") {
            Some((v, name)) => {
                Lang::parse(&v).ok_or_else(|| ConfigError::Invalid { name, value: v.clone(), problem: "must be sv or en".into() })?
            }
            None => Lang::Sv,
        };

        let base_iri = match pick(overrides.base_iri.clone(), "--base-iri", "VARDKATALOG_BASE_IRI", settings.base_iri, "base_iri") {
            Some((v, name)) => {
                check_base_iri(&v).map_err(|problem| ConfigError::Invalid { name, value: v.clone(), problem })?;
                v
            }
            None => format!("http://{}/", bind.0),
        };

        let mut vocabularies = Vocabularies::default();
        for (target, env_name, file_value, key) in [
            (
                &mut vocabularies.health_category_base,
                "VARDKATALOG_HEALTH_CATEGORY_BASE",
                settings.vocabularies.health_category_base,
                "vocabularies.health_category_base",
            ),
            (
                &mut vocabularies.health_theme_base,
                "VARDKATALOG_HEALTH_THEME_BASE",
                settings.vocabularies.health_theme_base,
                "vocabularies.health_theme_base",
            ),
            (
                &mut vocabularies.health_publisher_type_base,
                "VARDKATALOG_HEALTH_PUBLISHER_TYPE_BASE",
                settings.vocabularies.health_publisher_type_base,
                "vocabularies.health_publisher_type_base",
            ),
        ] {
            if let Some((v, name)) = pick(None, "", env_name, file_value, key) {
                check_vocabulary_base(&v).map_err(|problem| ConfigError::Invalid { name, value: v.clone(), problem })?;
                *target = v;
            }
        }

        let mut sparql = SparqlLimits::default();
        for (target, env_name, file_value, key, min) in [
            (&mut sparql.timeout_ms, "VARDKATALOG_SPARQL_TIMEOUT_MS", settings.sparql.timeout_ms, "sparql.timeout_ms", 1),
            (&mut sparql.max_rows, "VARDKATALOG_SPARQL_MAX_ROWS", settings.sparql.max_rows, "sparql.max_rows", 1),
            (&mut sparql.max_triples, "VARDKATALOG_SPARQL_MAX_TRIPLES", settings.sparql.max_triples, "sparql.max_triples", 1),
            (&mut sparql.max_memory_mb, "VARDKATALOG_SPARQL_MAX_MEMORY_MB", settings.sparql.max_memory_mb, "sparql.max_memory_mb", 1),
        ] {
            if let Some((v, name)) = pick(None, "", env_name, file_value.map(|n| n.to_string()), key) {
                let n = v.trim().parse::<u64>().ok().filter(|n| *n >= min).ok_or_else(|| ConfigError::Invalid {
                    name,
                    value: v.clone(),
                    problem: format!("must be a whole number of at least {min}"),
                })?;
                *target = n;
            }
        }

        let mut quality = QualitySettings::default();
        if let Some((v, name)) =
            pick(None, "", "VARDKATALOG_QUALITY_ONLINE", settings.quality.online.map(|b| b.to_string()), "quality.online")
        {
            quality.online = match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => true,
                "false" | "0" | "no" | "off" => false,
                _ => return Err(ConfigError::Invalid { name, value: v, problem: "must be true or false".into() }),
            };
        }
        let timeout = settings.quality.url_timeout_ms.map(|n| n.to_string());
        if let Some((v, name)) = pick(None, "", "VARDKATALOG_QUALITY_URL_TIMEOUT_MS", timeout, "quality.url_timeout_ms") {
            quality.url_timeout_ms = v.trim().parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| ConfigError::Invalid {
                name,
                value: v.clone(),
                problem: "must be a whole number of at least 1".into(),
            })?;
        }
        let shapes = settings.quality.dcat_ap_shapes.map(|p| p.display().to_string());
        if let Some((v, name)) = pick(None, "", "VARDKATALOG_QUALITY_DCAT_AP_SHAPES", shapes, "quality.dcat_ap_shapes") {
            let dir = PathBuf::from(&v);
            if let Some(missing) = DCAT_AP_SHAPES.iter().find(|f| !dir.join(f).is_file()) {
                return Err(ConfigError::Invalid {
                    name,
                    value: v.clone(),
                    problem: format!("must be a directory holding the DCAT-AP 3.0.1 shapes; {missing} is not there"),
                });
            }
            quality.dcat_ap_shapes = Some(dir);
        }

        let harvest = settings.harvest;
        harvest.check().map_err(|(key, value, problem)| ConfigError::Invalid { name: from_file(&key), value, problem })?;

        let mut curation = CurationSettings::default();
        let four_eyes = settings.curation.four_eyes.map(|b| b.to_string());
        if let Some((v, name)) = pick(None, "", "VARDKATALOG_CURATION_FOUR_EYES", four_eyes, "curation.four_eyes") {
            curation.four_eyes =
                parse_bool(&v).ok_or_else(|| ConfigError::Invalid { name, value: v.clone(), problem: "must be true or false".into() })?;
        }

        let proxies = settings.trusted_proxies.map(|list| list.join(","));
        let trusted_proxies = match pick(None, "", "VARDKATALOG_TRUSTED_PROXIES", proxies, "trusted_proxies") {
            Some((v, name)) => v
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| IpRange::parse(p).map_err(|problem| ConfigError::Invalid { name: name.clone(), value: v.clone(), problem }))
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };

        let remote_store = {
            let url = |env_name: &str, value: Option<String>, key: &str| -> Result<Option<(String, String)>, ConfigError> {
                match pick(None, "", env_name, value, key) {
                    Some((v, name)) => {
                        check_endpoint(&v).map_err(|problem| ConfigError::Invalid { name: name.clone(), value: v.clone(), problem })?;
                        Ok(Some((v, name)))
                    }
                    None => Ok(None),
                }
            };
            let store = settings.store;
            let query = url("VARDKATALOG_STORE_QUERY_URL", store.query_url, "store.query_url")?;
            let update = url("VARDKATALOG_STORE_UPDATE_URL", store.update_url, "store.update_url")?;
            let gsp = url("VARDKATALOG_STORE_GSP_URL", store.graph_store_url, "store.graph_store_url")?;
            let user = pick(None, "", "VARDKATALOG_STORE_USER", store.user, "store.user");
            let password = pick(None, "", "VARDKATALOG_STORE_PASSWORD", store.password, "store.password");
            let number = |env_name: &str, value: Option<u64>, key: &str| -> Result<Option<(u64, String)>, ConfigError> {
                match pick(None, "", env_name, value.map(|n| n.to_string()), key) {
                    Some((v, name)) => v.trim().parse::<u64>().ok().filter(|n| *n >= 1).map(|n| Some((n, name.clone()))).ok_or_else(|| {
                        ConfigError::Invalid { name, value: v.clone(), problem: "must be a whole number of at least 1".into() }
                    }),
                    None => Ok(None),
                }
            };
            let timeout = number("VARDKATALOG_STORE_TIMEOUT_MS", store.timeout_ms, "store.timeout_ms")?;
            let lease = number("VARDKATALOG_STORE_LOCK_LEASE_MS", store.lock_lease_ms, "store.lock_lease_ms")?;
            let max_update = number("VARDKATALOG_STORE_MAX_UPDATE_BYTES", store.max_update_bytes, "store.max_update_bytes")?;
            match (query, update) {
                (None, None) => {
                    // every other [store] setting belongs to a remote store
                    if let Some((v, name)) = gsp.or(user) {
                        return Err(ConfigError::Invalid {
                            name,
                            value: v,
                            problem: "needs store.query_url (VARDKATALOG_STORE_QUERY_URL): without it the embedded store is used".into(),
                        });
                    }
                    None
                }
                (None, Some((v, name))) => {
                    return Err(ConfigError::Invalid {
                        name,
                        value: v,
                        problem: "needs store.query_url (VARDKATALOG_STORE_QUERY_URL) too".into(),
                    });
                }
                (Some((v, name)), None) => {
                    return Err(ConfigError::Invalid {
                        name,
                        value: v,
                        problem: "needs store.update_url (VARDKATALOG_STORE_UPDATE_URL) too: the SPARQL 1.1 Update endpoint".into(),
                    });
                }
                (Some((query_url, _)), Some((update_url, _))) => {
                    let mut remote = crate::store::remote::RemoteSettings::new(query_url, update_url);
                    remote.graph_store_url = gsp.map(|(v, _)| v);
                    if let Some((_, name)) = password.as_ref().filter(|_| user.is_none()) {
                        return Err(ConfigError::Invalid {
                            name: name.clone(),
                            value: "***".into(),
                            problem: "needs store.user (VARDKATALOG_STORE_USER) too".into(),
                        });
                    }
                    remote.user = user.map(|(v, _)| v);
                    remote.password = password.map(|(v, _)| crate::store::remote::Secret::new(v));
                    if let Some((ms, _)) = timeout {
                        remote.timeout = std::time::Duration::from_millis(ms);
                    }
                    if let Some((ms, _)) = &lease {
                        remote.lock_lease = std::time::Duration::from_millis(*ms);
                    }
                    if let Some((bytes, _)) = max_update {
                        remote.max_update_bytes = usize::try_from(bytes).unwrap_or(usize::MAX);
                    }
                    if remote.lock_lease < remote.timeout * 2 {
                        let (value, name) = match lease {
                            Some((ms, name)) => (ms.to_string(), name),
                            None => ((remote.lock_lease.as_millis()).to_string(), "store.lock_lease_ms".to_owned()),
                        };
                        return Err(ConfigError::Invalid {
                            name,
                            value,
                            problem: format!(
                                "must be at least twice store.timeout_ms ({} ms): a writer's lock must outlast its request",
                                remote.timeout.as_millis()
                            ),
                        });
                    }
                    Some(remote)
                }
            }
        };

        let state_db = {
            let state = settings.state;
            let url = pick(None, "", "VARDKATALOG_STATE_URL", state.url, "state.url");
            let password = pick(None, "", "VARDKATALOG_STATE_PASSWORD", state.password, "state.password");
            let pool = pick(None, "", "VARDKATALOG_STATE_POOL_SIZE", state.pool_size.map(|n| n.to_string()), "state.pool_size");
            match url {
                Some((v, name)) => {
                    let mut db = crate::state::PostgresSettings::new(v.trim());
                    check_state_url(&db.url).map_err(|problem| ConfigError::Invalid { name, value: db.redacted(), problem })?;
                    db.password = password.map(|(p, _)| p);
                    if let Some((v, name)) = pool {
                        db.pool_size = v.trim().parse::<usize>().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| {
                            ConfigError::Invalid { name, value: v.clone(), problem: "must be a whole number from 1 to 1000".into() }
                        })?;
                    }
                    Some(db)
                }
                None => {
                    if let Some((_, name)) = password.or(pool) {
                        return Err(ConfigError::Invalid {
                            name,
                            value: "***".into(),
                            problem: "needs state.url (VARDKATALOG_STATE_URL): without it the embedded state database is used".into(),
                        });
                    }
                    None
                }
            }
        };

        Ok(Self {
            base_iri,
            data_dir: PathBuf::from(data_dir.0),
            bind: bind.0,
            lang,
            vocabularies,
            sparql,
            quality,
            harvest,
            curation,
            trusted_proxies,
            remote_store,
            state_db,
        })
    }

    /// Where oxigraph keeps its RocksDB files.
    pub fn store_dir(&self) -> PathBuf {
        self.data_dir.join("store")
    }

    /// Where tantivy keeps the search index.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// Whether nothing but the search index is kept in the data directory: the catalogue is
    /// in a SPARQL engine elsewhere and the state in PostgreSQL, so several nodes can serve it.
    pub fn is_stateless_node(&self) -> bool {
        self.remote_store.is_some() && self.state_db.is_some()
    }

    /// Where the sled database of operational state lives (users, sessions, revisions, audit
    /// log, harvest runs).
    pub fn state_dir(&self) -> PathBuf {
        self.data_dir.join("state")
    }
}

/// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn read_file(path: &Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File { path: path.display().to_string(), message: e.to_string() })?;
    toml::from_str(&text).map_err(|e| ConfigError::File { path: path.display().to_string(), message: e.to_string() })
}

/// A PostgreSQL connection string: `postgres://` or `postgresql://` URL, or libpq's
/// `key=value` form.
fn check_state_url(url: &str) -> Result<(), String> {
    let is_url = url.starts_with("postgres://") || url.starts_with("postgresql://");
    if !is_url && !url.contains('=') {
        return Err("must be a PostgreSQL URL (postgres://user@host:5432/database) or key=value settings".into());
    }
    url.parse::<postgres::Config>().map(|_| ()).map_err(|e| format!("cannot be read: {e}"))
}

fn check_bind(value: &str) -> Result<SocketAddr, String> {
    let Some((host, port)) = value.rsplit_once(':') else {
        return Err("must be host:port, for example 127.0.0.1:8080".into());
    };
    if host.is_empty() {
        return Err("the host is missing (host:port)".into());
    }
    port.parse::<u16>().map_err(|_| format!("the port {port:?} is not a number from 0 to 65535"))?;
    value
        .to_socket_addrs()
        .map_err(|e| format!("the address cannot be resolved: {e}"))?
        .next()
        .ok_or_else(|| "the address resolves to nothing".to_owned())
}

fn check_base_iri(value: &str) -> Result<(), String> {
    if !(value.starts_with("http://") || value.starts_with("https://")) {
        return Err("must be an absolute http:// or https:// IRI".into());
    }
    if !value.ends_with('/') {
        return Err("must end with / (record IRIs are minted as {base}dataset/{id})".into());
    }
    oxigraph::model::NamedNode::new(value).map_err(|e| format!("is not a valid IRI: {e}"))?;
    if value.contains('?') || value.contains('#') {
        return Err("must not contain ? or #".into());
    }
    Ok(())
}

/// A SPARQL endpoint of the store: an absolute http(s) URL without credentials in it.
fn check_endpoint(value: &str) -> Result<(), String> {
    let url = reqwest::Url::parse(value.trim()).map_err(|e| format!("is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http:// or https:// URL".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("names no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not hold credentials: set store.user and store.password (VARDKATALOG_STORE_PASSWORD)".into());
    }
    if url.fragment().is_some() {
        return Err("must not have a #fragment".into());
    }
    Ok(())
}

fn check_vocabulary_base(value: &str) -> Result<(), String> {
    if !(value.starts_with("http://") || value.starts_with("https://")) {
        return Err("must be an absolute http:// or https:// IRI".into());
    }
    if !(value.ends_with('/') || value.ends_with('#')) {
        return Err("must end with / or # (codes are appended: {base}PHDR)".into());
    }
    oxigraph::model::NamedNode::new(value).map_err(|e| format!("is not a valid IRI: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn defaults_work_without_a_file() {
        let c = Config::load(None, env_of(&[]), &Overrides::default()).unwrap();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert_eq!(c.base_iri, "http://127.0.0.1:8080/");
        assert_eq!(c.lang, Lang::Sv);
    }

    #[test]
    fn environment_overrides_and_bad_values_are_named() {
        let c = Config::load(
            None,
            env_of(&[("VARDKATALOG_BASE_IRI", "https://katalog.example.se/"), ("VARDKATALOG_LANG", "en")]),
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(c.base_iri, "https://katalog.example.se/");
        assert_eq!(c.lang, Lang::En);

        let e = Config::load(None, env_of(&[("VARDKATALOG_BIND", "localhost")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_BIND"), "{e}");
        let e = Config::load(None, env_of(&[("VARDKATALOG_BASE_IRI", "katalog.se")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_BASE_IRI"), "{e}");
        let e = Config::load(None, env_of(&[("VARDKATALOG_LANG", "de")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_LANG") && e.to_string().contains("sv or en"), "{e}");
    }

    #[test]
    fn file_settings_and_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.toml");
        std::fs::write(&path, "bind = \"127.0.0.1:9999\"\nlang = \"en\"\n").unwrap();
        let c = Config::load(Some(&path), env_of(&[]), &Overrides::default()).unwrap();
        assert_eq!(c.bind, "127.0.0.1:9999");
        assert_eq!(c.base_iri, "http://127.0.0.1:9999/");
        std::fs::write(&path, "bnid = \"x\"\n").unwrap();
        let e = Config::load(Some(&path), env_of(&[]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("bnid"), "{e}");
        std::fs::write(&path, "base_iri = \"https://x.se\"\n").unwrap();
        let e = Config::load(Some(&path), env_of(&[]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("base_iri (in"), "{e}");
    }

    #[test]
    fn vocabulary_bases_and_sparql_limits() {
        let c = Config::load(None, env_of(&[]), &Overrides::default()).unwrap();
        assert_eq!(c.vocabularies, Vocabularies::default());
        assert_eq!(c.vocabularies.health_category_base, crate::model::vocab::health::R5_CATEGORY_BASE);
        assert_eq!(c.sparql, SparqlLimits::default());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.toml");
        std::fs::write(
            &path,
            "[vocabularies]\nhealth_category_base = \"https://hdeu.example/authority/healthcategories/\"\n[sparql]\nmax_rows = 50\n",
        )
        .unwrap();
        let c = Config::load(
            Some(&path),
            env_of(&[("VARDKATALOG_HEALTH_THEME_BASE", "https://hdeu.example/authority/health-theme/")]),
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(c.vocabularies.health_category_base, "https://hdeu.example/authority/healthcategories/");
        assert_eq!(c.vocabularies.health_theme_base, "https://hdeu.example/authority/health-theme/");
        assert_eq!(c.sparql.max_rows, 50);
        assert_eq!(c.sparql.timeout_ms, 10_000);

        let e = Config::load(None, env_of(&[("VARDKATALOG_HEALTH_CATEGORY_BASE", "https://x.se/cat")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_HEALTH_CATEGORY_BASE") && e.to_string().contains("end with"), "{e}");
        let e = Config::load(None, env_of(&[("VARDKATALOG_SPARQL_TIMEOUT_MS", "0")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_SPARQL_TIMEOUT_MS"), "{e}");
        let c = Config::load(None, env_of(&[("VARDKATALOG_SPARQL_MAX_MEMORY_MB", "64")]), &Overrides::default()).unwrap();
        assert_eq!(c.sparql.max_memory_mb, 64);
        let e = Config::load(None, env_of(&[("VARDKATALOG_SPARQL_MAX_MEMORY_MB", "lots")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_SPARQL_MAX_MEMORY_MB"), "{e}");
        std::fs::write(&path, "[vocabularies]\nhealth_categories = \"https://x/\"\n").unwrap();
        let e = Config::load(Some(&path), env_of(&[]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("health_categories"), "{e}");
    }

    #[test]
    fn four_eyes_and_trusted_proxies() {
        let c = Config::load(None, env_of(&[]), &Overrides::default()).unwrap();
        assert!(c.curation.four_eyes, "four eyes by default");
        assert!(c.trusted_proxies.is_empty());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.toml");
        std::fs::write(&path, "trusted_proxies = [\"10.0.0.1\", \"10.0.0.0/8\", \"fd00::/8\"]\n[curation]\nfour_eyes = false\n").unwrap();
        let c = Config::load(Some(&path), env_of(&[]), &Overrides::default()).unwrap();
        assert!(!c.curation.four_eyes);
        assert_eq!(c.trusted_proxies.len(), 3);
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        assert!(c.trusted_proxies[1].contains(ip("10.200.3.4")) && !c.trusted_proxies[1].contains(ip("11.0.0.1")));
        assert!(c.trusted_proxies[0].contains(ip("10.0.0.1")) && !c.trusted_proxies[0].contains(ip("10.0.0.2")));
        assert!(c.trusted_proxies[1].contains(ip("::ffff:10.1.2.3")), "an IPv4-mapped address is its IPv4 address");
        assert!(c.trusted_proxies[2].contains(ip("fd12::1")) && !c.trusted_proxies[2].contains(ip("fe80::1")));

        let c = Config::load(None, env_of(&[("VARDKATALOG_TRUSTED_PROXIES", "127.0.0.1, ::1")]), &Overrides::default()).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        let e = Config::load(None, env_of(&[("VARDKATALOG_TRUSTED_PROXIES", "10.0.0.0/33")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_TRUSTED_PROXIES") && e.to_string().contains("prefix"), "{e}");
        let e = Config::load(None, env_of(&[("VARDKATALOG_CURATION_FOUR_EYES", "kanske")]), &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("VARDKATALOG_CURATION_FOUR_EYES"), "{e}");
    }

    #[test]
    fn a_remote_store_is_configured_by_name_and_checked() {
        let c = Config::load(None, env_of(&[]), &Overrides::default()).unwrap();
        assert!(c.remote_store.is_none(), "the embedded store by default");

        let c = Config::load(
            None,
            env_of(&[
                ("VARDKATALOG_STORE_QUERY_URL", "http://sparql.example.se:7878/query"),
                ("VARDKATALOG_STORE_UPDATE_URL", "http://sparql.example.se:7878/update"),
                ("VARDKATALOG_STORE_GSP_URL", "http://sparql.example.se:7878/store"),
                ("VARDKATALOG_STORE_USER", "katalog"),
                ("VARDKATALOG_STORE_PASSWORD", "hemligt"),
                ("VARDKATALOG_STORE_TIMEOUT_MS", "5000"),
                ("VARDKATALOG_STORE_MAX_UPDATE_BYTES", "1000000"),
            ]),
            &Overrides::default(),
        )
        .unwrap();
        let r = c.remote_store.clone().expect("a remote store");
        assert_eq!(r.update_url, "http://sparql.example.se:7878/update");
        assert_eq!(r.graph_store_url.as_deref(), Some("http://sparql.example.se:7878/store"));
        assert_eq!((r.user.as_deref(), r.password.as_ref().map(|p| p.expose())), (Some("katalog"), Some("hemligt")));
        assert_eq!(r.timeout, std::time::Duration::from_secs(5));
        assert_eq!(r.max_update_bytes, 1_000_000);
        assert!(!format!("{c:?}").contains("hemligt"), "the password is never printed");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.toml");
        std::fs::write(&path, "[store]\nquery_url = \"https://fuseki.example.se/katalog/query\"\nupdate_url = \"https://fuseki.example.se/katalog/update\"\nlock_lease_ms = 120000\n").unwrap();
        let c = Config::load(Some(&path), env_of(&[]), &Overrides::default()).unwrap();
        assert_eq!(c.remote_store.unwrap().lock_lease, std::time::Duration::from_secs(120));

        for (env, name, words) in [
            (vec![("VARDKATALOG_STORE_QUERY_URL", "http://x.se/query")], "VARDKATALOG_STORE_QUERY_URL", "update_url"),
            (vec![("VARDKATALOG_STORE_UPDATE_URL", "http://x.se/update")], "VARDKATALOG_STORE_UPDATE_URL", "query_url"),
            (
                vec![("VARDKATALOG_STORE_QUERY_URL", "ftp://x.se/query"), ("VARDKATALOG_STORE_UPDATE_URL", "http://x.se/u")],
                "VARDKATALOG_STORE_QUERY_URL",
                "http",
            ),
            (
                vec![("VARDKATALOG_STORE_QUERY_URL", "http://anna:pw@x.se/query"), ("VARDKATALOG_STORE_UPDATE_URL", "http://x.se/u")],
                "VARDKATALOG_STORE_QUERY_URL",
                "credentials",
            ),
            (
                vec![
                    ("VARDKATALOG_STORE_QUERY_URL", "http://x.se/q"),
                    ("VARDKATALOG_STORE_UPDATE_URL", "http://x.se/u"),
                    ("VARDKATALOG_STORE_PASSWORD", "pw"),
                ],
                "VARDKATALOG_STORE_PASSWORD",
                "store.user",
            ),
            (
                vec![
                    ("VARDKATALOG_STORE_QUERY_URL", "http://x.se/q"),
                    ("VARDKATALOG_STORE_UPDATE_URL", "http://x.se/u"),
                    ("VARDKATALOG_STORE_TIMEOUT_MS", "0"),
                ],
                "VARDKATALOG_STORE_TIMEOUT_MS",
                "at least 1",
            ),
            (
                vec![
                    ("VARDKATALOG_STORE_QUERY_URL", "http://x.se/q"),
                    ("VARDKATALOG_STORE_UPDATE_URL", "http://x.se/u"),
                    ("VARDKATALOG_STORE_LOCK_LEASE_MS", "1000"),
                ],
                "VARDKATALOG_STORE_LOCK_LEASE_MS",
                "twice",
            ),
            (vec![("VARDKATALOG_STORE_GSP_URL", "http://x.se/store")], "VARDKATALOG_STORE_GSP_URL", "query_url"),
        ] {
            let pairs: &'static [(&'static str, &'static str)] = Box::leak(env.into_boxed_slice());
            let e = Config::load(None, env_of(pairs), &Overrides::default()).unwrap_err().to_string();
            assert!(e.contains(name) && e.contains(words), "{name}: {e}");
            assert!(!e.contains("\"pw\""), "a password is not echoed: {e}");
        }
    }

    #[test]
    fn a_postgres_state_is_configured_by_name_and_its_password_never_shows() {
        let c = Config::load(None, env_of(&[]), &Overrides::default()).unwrap();
        assert!(c.state_db.is_none(), "sled in the data directory by default");
        assert!(!c.is_stateless_node());

        let c = Config::load(
            None,
            env_of(&[
                ("VARDKATALOG_STATE_URL", "postgres://vk:i-url@pg.example.se:5432/katalog"),
                ("VARDKATALOG_STATE_PASSWORD", "hemligt"),
                ("VARDKATALOG_STATE_POOL_SIZE", "4"),
                ("VARDKATALOG_STORE_QUERY_URL", "http://sparql.example.se:7878/query"),
                ("VARDKATALOG_STORE_UPDATE_URL", "http://sparql.example.se:7878/update"),
            ]),
            &Overrides::default(),
        )
        .unwrap();
        let db = c.state_db.clone().expect("a PostgreSQL state");
        assert_eq!((db.password.as_deref(), db.pool_size), (Some("hemligt"), 4));
        assert!(c.is_stateless_node());
        let shown = format!("{c:?}");
        assert!(!shown.contains("hemligt") && !shown.contains("i-url"), "no password is printed: {shown}");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.toml");
        std::fs::write(&path, "[state]\nurl = \"host=pg user=vk dbname=katalog\"\n").unwrap();
        let c = Config::load(Some(&path), env_of(&[]), &Overrides::default()).unwrap();
        assert_eq!(c.state_db.unwrap().url, "host=pg user=vk dbname=katalog");

        for (env, name, words) in [
            (vec![("VARDKATALOG_STATE_URL", "mysql://x/y")], "VARDKATALOG_STATE_URL", "PostgreSQL URL"),
            (vec![("VARDKATALOG_STATE_URL", "postgres://vk:pw@x:notaport/y")], "VARDKATALOG_STATE_URL", "cannot be read"),
            (vec![("VARDKATALOG_STATE_PASSWORD", "pw")], "VARDKATALOG_STATE_PASSWORD", "state.url"),
            (
                vec![("VARDKATALOG_STATE_URL", "postgres://x/y"), ("VARDKATALOG_STATE_POOL_SIZE", "0")],
                "VARDKATALOG_STATE_POOL_SIZE",
                "from 1",
            ),
        ] {
            let pairs: &'static [(&'static str, &'static str)] = Box::leak(env.into_boxed_slice());
            let e = Config::load(None, env_of(pairs), &Overrides::default()).unwrap_err().to_string();
            assert!(e.contains(name) && e.contains(words), "{name}: {e}");
            assert!(!e.contains("pw"), "a password is not echoed: {e}");
        }
    }
}
