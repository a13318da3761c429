//! The harvesting job (DESIGN.md decision 8): sources that already describe Swedish health
//! data fill the catalogue, without ever destroying what is curated here.
//!
//! Owns: the source kinds behind one trait ([`Source`]; one file each: [`dcat`], [`pxweb`],
//! [`socialstyrelsen`], [`rut`]), their configuration ([`HarvestSettings`], [`SourceConfig`]),
//! HTTP with time limits, retries, call limits and a size cap ([`fetch`]), and a run
//! ([`run::Harvester`]): read the whole source, decide per record (new, changed, unchanged,
//! retired, conflict), then commit everything in one store transaction through
//! [`crate::catalog::Catalogue`], and keep the report in sled ([`crate::state::harvest`]).
//!
//! Does not: render anything, or write a record it does not own.

pub mod dcat;
pub mod fetch;
pub mod pxweb;
pub mod run;
pub mod rut;
pub mod schedule;
pub mod socialstyrelsen;
mod spreadsheet;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use oxigraph::model::{Graph, NamedNode};
use serde::{Deserialize, Serialize};

pub use crate::state::harvest::{Conflict, RunReport, RunStatus};
pub use fetch::Fetcher;
pub use run::{Harvester, Live};

use crate::model::Minter;
use crate::model::vocab::internal;

/// The kinds of source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A DCAT catalogue (DCAT-AP 2.x/3.x, DCAT-AP-SE; dataportal.se organisations, piveau, CKAN).
    Dcat,
    /// SCB's PxWeb API, v1 or v2 (told by the URL).
    Pxweb,
    /// Socialstyrelsen: the statistics database API, or a register metadata workbook (`.xlsx`).
    Socialstyrelsen,
    /// A variable list exported from Vetenskapsrådet's RUT (CSV or XLSX).
    Rut,
}

impl SourceKind {
    pub const ALL: [Self; 4] = [Self::Dcat, Self::Pxweb, Self::Socialstyrelsen, Self::Rut];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dcat => "dcat",
            Self::Pxweb => "pxweb",
            Self::Socialstyrelsen => "socialstyrelsen",
            Self::Rut => "rut",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// One source, as `[[harvest.sources]]` in the configuration or on the admin page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Lower-case letters, digits and hyphens; names the source in reports and record IRIs.
    pub id: String,
    pub kind: SourceKind,
    /// Where to read: an http(s) URL, or (workbooks, RUT exports) a file path.
    pub url: String,
    /// `hourly`, `daily`, `weekly`, or a number with `m`, `h` or `d` (`30m`, `6h`); none: by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// PxWeb tables or statistics-database subjects to take (empty: every one the URL lists).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
    /// RUT exports: the column mapping, field → column header (unset fields use the RUT preset).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
}

impl SourceConfig {
    /// The IRI recorded as the `source` of every record this source writes.
    pub fn source_iri(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{}", internal::HARVEST_SOURCE_PREFIX, self.id))
    }

    /// The interval between scheduled runs, if the source is scheduled.
    pub fn interval(&self) -> Option<Duration> {
        parse_schedule(self.schedule.as_deref()?).ok()
    }

    /// Checks the source; the error names the field.
    pub fn check(&self) -> Result<(), (&'static str, String, String)> {
        if self.id.is_empty() || !self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(("id", self.id.clone(), "use lower-case letters a–z, digits and hyphens".into()));
        }
        let url = self.url.trim();
        if url.is_empty() {
            return Err(("url", self.url.clone(), "must name an http(s) URL or a file".into()));
        }
        let is_http = url.starts_with("http://") || url.starts_with("https://");
        if !is_http && matches!(self.kind, SourceKind::Dcat | SourceKind::Pxweb) {
            return Err(("url", self.url.clone(), "must be an http:// or https:// URL".into()));
        }
        if is_http && NamedNode::new(url).is_err() {
            return Err(("url", self.url.clone(), "is not a valid URL".into()));
        }
        if let Some(s) = &self.schedule {
            parse_schedule(s).map_err(|p| ("schedule", s.clone(), p))?;
        }
        if self.kind == SourceKind::Rut {
            for field in self.columns.keys() {
                if !rut::FIELDS.contains(&field.as_str()) {
                    return Err(("columns", field.clone(), format!("unknown field; known: {}", rut::FIELDS.join(", "))));
                }
            }
        }
        Ok(())
    }
}

/// Reads a schedule: `hourly`, `daily`, `weekly`, or `{n}m`, `{n}h`, `{n}d`.
pub fn parse_schedule(s: &str) -> Result<Duration, String> {
    let s = s.trim().to_ascii_lowercase();
    let named = match s.as_str() {
        "hourly" | "varje timme" => Some(3600),
        "daily" | "dagligen" => Some(86_400),
        "weekly" | "veckovis" => Some(7 * 86_400),
        _ => None,
    };
    if let Some(secs) = named {
        return Ok(Duration::from_secs(secs));
    }
    let bad = || "use hourly, daily, weekly or a number with m, h or d (30m, 6h, 1d)".to_owned();
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: u64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(bad()),
    };
    if secs < 60 {
        return Err("at least one minute".into());
    }
    Ok(Duration::from_secs(secs))
}

/// `[harvest]`: limits shared by every source, and the sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HarvestSettings {
    /// Time limit of one request, in seconds.
    pub timeout_s: u64,
    /// Further attempts after a failed request (time-out, connection error, 429, 5xx).
    pub retries: u32,
    /// The first wait before a retry, in milliseconds; doubled for each further retry.
    pub backoff_ms: u64,
    /// The largest answer read, in bytes.
    pub max_response_bytes: u64,
    /// The most pages read from one paged catalogue.
    pub max_pages: u64,
    /// Networks inside the server's own network that sources may reach all the same
    /// (`"10.1.0.0/16"`, `"127.0.0.1"`): read from the configuration file only; the admin page
    /// cannot set it. Without it, every fetch goes to the public internet only
    /// ([`crate::net::Guard`]). The quality check's URL checks follow it too.
    pub allow_private: Vec<String>,
    /// The only directory file sources (RUT exports, Socialstyrelsen workbooks) are read from;
    /// none: file sources are off.
    pub files_dir: Option<PathBuf>,
    pub sources: Vec<SourceConfig>,
}

impl Default for HarvestSettings {
    fn default() -> Self {
        Self {
            timeout_s: 60,
            retries: 3,
            backoff_ms: 500,
            max_response_bytes: 200 * 1024 * 1024,
            max_pages: 10_000,
            allow_private: Vec::new(),
            files_dir: None,
            sources: Vec::new(),
        }
    }
}

impl HarvestSettings {
    /// The address guard of every outgoing request: public addresses and `allow_private`.
    pub fn guard(&self) -> crate::net::Guard {
        crate::net::Guard::allowing(self.allow_private.iter().filter_map(|n| crate::net::Net::parse(n).ok()))
    }

    /// Checks every setting; the error is (file key, value, problem).
    pub fn check(&self) -> Result<(), (String, String, String)> {
        if self.timeout_s == 0 {
            return Err(("harvest.timeout_s".into(), "0".into(), "must be at least 1".into()));
        }
        if self.max_response_bytes < 1024 {
            return Err(("harvest.max_response_bytes".into(), self.max_response_bytes.to_string(), "must be at least 1024".into()));
        }
        for (i, net) in self.allow_private.iter().enumerate() {
            crate::net::Net::parse(net).map_err(|problem| (format!("harvest.allow_private[{i}]"), net.clone(), problem))?;
        }
        if let Some(dir) = &self.files_dir
            && !dir.is_dir()
        {
            return Err(("harvest.files_dir".into(), dir.display().to_string(), "must be an existing directory".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in self.sources.iter().enumerate() {
            s.check().map_err(|(field, value, problem)| (format!("harvest.sources[{i}].{field}"), value, problem))?;
            if !seen.insert(s.id.clone()) {
                return Err((format!("harvest.sources[{i}].id"), s.id.clone(), "two sources have this id".into()));
            }
        }
        Ok(())
    }
}

/// Why a source could not be read. A run that meets one of these commits nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HarvestError {
    #[error("there is no harvest source {0:?}")]
    UnknownSource(String),
    #[error("a run of source {0} is already going")]
    Busy(String),
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    /// The address guard or the file rule refused the location: never retried.
    #[error("{url}: refused: {reason}")]
    Refused { url: String, reason: String },
    #[error("{url}: no answer within {seconds} s (after {attempts} attempts)")]
    Timeout { url: String, seconds: u64, attempts: u32 },
    #[error("{url}: the answer is larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: syntax error at line {line}, column {column}: {message}")]
    Syntax { url: String, line: u64, column: u64, message: String },
    #[error("{url}: {message}")]
    Malformed { url: String, message: String },
    #[error("{0}")]
    Other(String),
    #[error("this needs the role {}", needed.as_str())]
    Forbidden { needed: crate::accounts::Role },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    State(#[from] crate::state::StateError),
}

/// How far a run has come, for progress bars.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// What is being done (`reading https://…`, `comparing`, `saving`).
    pub phase: String,
    pub done: u64,
    pub total: Option<u64>,
}

/// What a source reader can reach while it reads.
pub struct Context<'a> {
    pub config: &'a SourceConfig,
    pub fetcher: &'a Fetcher,
    /// Mints IRIs for records the source has none for (PxWeb tables, workbook variables).
    pub minter: &'a Minter,
    pub settings: &'a HarvestSettings,
    /// What was repaired or skipped (shown in the report).
    pub notes: Vec<String>,
    /// Triples read from the source.
    pub triples: u64,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl<'a> Context<'a> {
    pub fn new(
        config: &'a SourceConfig,
        fetcher: &'a Fetcher,
        minter: &'a Minter,
        settings: &'a HarvestSettings,
        progress: &'a (dyn Fn(Progress) + Sync),
    ) -> Self {
        Self { config, fetcher, minter, settings, notes: Vec::new(), triples: 0, progress }
    }

    /// Reports progress.
    pub fn progress(&self, phase: impl Into<String>, done: u64, total: Option<u64>) {
        (self.progress)(Progress { phase: phase.into(), done, total });
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}

/// A source kind: reads the whole source into one graph in the catalogue's model. Records that
/// have IRIs at the source keep them; the others are minted under the catalogue's base, named
/// by the source id so that two sources never mint the same IRI.
pub trait Source {
    fn read(&self, cx: &mut Context<'_>) -> Result<Graph, HarvestError>;
}

/// The reader of a source kind.
pub fn reader(kind: SourceKind) -> Box<dyn Source> {
    match kind {
        SourceKind::Dcat => Box::new(dcat::Dcat),
        SourceKind::Pxweb => Box::new(pxweb::PxWeb),
        SourceKind::Socialstyrelsen => Box::new(socialstyrelsen::Socialstyrelsen),
        SourceKind::Rut => Box::new(rut::Rut),
    }
}

/// A readable id segment from any name: ASCII-folded, lower case, `a-z0-9-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'Å' | 'Ä' | 'À' | 'Á' | 'Â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'Ö' | 'Ø' | 'Ó' | 'Ò' | 'Ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'ü' | 'ú' | 'Ü' | 'Ú' => 'u',
            'í' | 'ì' | 'Í' => 'i',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "x".to_owned() } else { out }
}

/// Parses a JSON answer; garbage is an error that names the URL.
pub(crate) fn json(url: &str, body: &[u8]) -> Result<serde_json::Value, HarvestError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    serde_json::from_slice(body).map_err(|e| HarvestError::Malformed {
        url: url.to_owned(),
        message: format!("the answer is not JSON (line {}, column {}: {e})", e.line(), e.column()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_and_slugs() {
        assert_eq!(parse_schedule("daily").unwrap(), Duration::from_secs(86_400));
        assert_eq!(parse_schedule("6h").unwrap(), Duration::from_secs(6 * 3600));
        assert!(parse_schedule("often").is_err());
        assert!(parse_schedule("10s").is_err());
        assert_eq!(slug("agg_Ålder10år_1"), "agg-alder10ar-1");
        assert_eq!(slug("TAB5974"), "tab5974");
    }

    #[test]
    fn allow_private_and_files_dir_are_checked_by_name_and_only_the_file_can_set_them() {
        let mut s = HarvestSettings { allow_private: vec!["127.0.0.1".into(), "10.1.0.0/16".into()], ..HarvestSettings::default() };
        assert!(s.check().is_ok());
        assert_eq!(s.guard().allowed().len(), 2);
        s.allow_private.push("intranät".into());
        let (key, value, _) = s.check().unwrap_err();
        assert_eq!((key.as_str(), value.as_str()), ("harvest.allow_private[2]", "intranät"));
        let s = HarvestSettings { files_dir: Some("/finns/inte".into()), ..HarvestSettings::default() };
        assert_eq!(s.check().unwrap_err().0, "harvest.files_dir");
        let s: HarvestSettings = toml::from_str("allow_private = [\"127.0.0.1\"]\nfiles_dir = \"/tmp\"\n").unwrap();
        assert_eq!((s.allow_private.len(), s.files_dir.as_deref()), (1, Some(std::path::Path::new("/tmp"))));
        // a source (what the admin page saves) has no such field
        let source = r#"{"id":"x","kind":"dcat","url":"http://127.0.0.1/","allow_private":true}"#;
        assert!(serde_json::from_str::<SourceConfig>(source).is_err());
    }
}
