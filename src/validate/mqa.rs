//! The metadata quality score of data.europa.eu (the Metadata Quality Assessment, MQA), per
//! dataset and per catalogue, and the completeness of a dataset's DCAT-AP-SE properties.
//!
//! Owns: the five dimensions and their 23 indicators with the points data.europa.eu gives them
//! (405 in all; `notes/standards.md` §7), the rule of each indicator over the typed records
//! ([`score_dataset`]), the rating bands, the catalogue aggregate with its ranking of publishers
//! and regions ([`CatalogueScore`]), and completeness ([`Completeness`]). Everything here is
//! pure: the caller hands in the dataset, its distributions, the outcome of the DCAT-AP
//! compliance check and a function that answers URL checks. Reading the store, running SHACL,
//! probing URLs and caching are [`super::quality`]'s.
//!
//! # How the MQA is read here
//!
//! - **Dataset indicators** (keywords, categories, geo and time search, DCAT-AP compliance,
//!   access rights and its vocabulary, contact point, publisher, dates of issue and change)
//!   look at the dataset. Dates of issue and modification also count when only a distribution
//!   carries them (the MQA checks both levels).
//! - **Distribution indicators** (access and download URLs, format, media type, vocabularies,
//!   non-proprietary, machine-readable, licence and its vocabulary, rights, byte size) are
//!   computed for every distribution; the dataset then counts its **best-scoring distribution**
//!   (the one earning the most distribution points; the first of equals), as data.europa.eu
//!   does. All indicators come from that one distribution, so a dataset cannot add up the
//!   strengths of different distributions. A dataset without distributions earns none of them.
//! - **The catalogue** earns, per indicator, the average of its datasets' points (weight ×
//!   the share of datasets that pass); its total is the average of the dataset totals.
//!   Publishers and regions are ranked the same way over their datasets (a region counts the
//!   datasets it publishes or owns by a qualified attribution).
//! - **Rating bands** (notes/standards.md §7): Excellent 351–405, Good 221–350, Sufficient
//!   121–220, Bad 0–120 (Utmärkt, Bra, Tillräcklig, Bristfällig). A fractional average is
//!   rounded to whole points before the band is looked up. (Third-party re-implementations
//!   report that piveau's code starts Sufficient at 120, not 121; the published bands are
//!   followed here, so only a score of exactly 120 could differ.)
//! - **Vocabularies**: a format is from the vocabulary when it is a member of the EU file-type
//!   table as [`super::background`] lists it; a media type when it is an IANA media type IRI
//!   (`http://www.iana.org/assignments/media-types/{type}/{subtype}`, the pattern DCAT-AP's
//!   shapes check). Non-proprietary and machine-readable are data.europa.eu's own lists of file
//!   types (`edp-non-proprietary-format`, `edp-machine-readable-format`), applied to
//!   `dct:format`. Licences: the EU licence table or the Creative Commons licences DCAT-AP-SE
//!   offers; access rights: the EU access-right table.
//!
//! # What is not checked, and how it is scored
//!
//! An indicator that could not be checked is reported as *inte kontrollerad* (not checked)
//! with whether its points were given, so a reader sees how much of the score rests on an
//! assumption ([`DatasetScore::assumed_points`]):
//!
//! - **URL answers** (access URL and download URL accessibility) are checked only in online
//!   mode. Offline, a URL that is an absolute `http`/`https` URL is assumed to answer and earns
//!   the points; anything else earns none. Online, a URL passes when it answers 2xx or 3xx.
//! - **DCAT-AP compliance** is a SHACL validation of the dataset's DCAT-AP description against
//!   the official DCAT-AP 3.0.1 shapes when they are configured. Without them, the dataset is
//!   assumed compliant when the properties DCAT-AP makes mandatory and the model can see are
//!   there: a title, a description, and an access URL on every distribution.

use std::collections::BTreeMap;

use oxigraph::model::NamedNode;
use serde_json::{Value, json};

use super::background;
use crate::config::Lang;
use crate::model::vocab::{dct, eu};
use crate::model::{Dataset, Distribution, LangText};

/// The most a dataset can earn.
pub const MAX_POINTS: u32 = 405;

/// The five dimensions, after the FAIR principles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    Findability,
    Accessibility,
    Interoperability,
    Reusability,
    Contextuality,
}

impl Dimension {
    pub const ALL: [Self; 5] = [Self::Findability, Self::Accessibility, Self::Interoperability, Self::Reusability, Self::Contextuality];

    pub fn id(self) -> &'static str {
        match self {
            Self::Findability => "findability",
            Self::Accessibility => "accessibility",
            Self::Interoperability => "interoperability",
            Self::Reusability => "reusability",
            Self::Contextuality => "contextuality",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let en = lang == Lang::En;
        match self {
            Self::Findability => {
                if en {
                    "Findability"
                } else {
                    "Sökbarhet"
                }
            }
            Self::Accessibility => {
                if en {
                    "Accessibility"
                } else {
                    "Åtkomlighet"
                }
            }
            Self::Interoperability => {
                if en {
                    "Interoperability"
                } else {
                    "Interoperabilitet"
                }
            }
            Self::Reusability => {
                if en {
                    "Reusability"
                } else {
                    "Återanvändbarhet"
                }
            }
            Self::Contextuality => {
                if en {
                    "Contextuality"
                } else {
                    "Sammanhang"
                }
            }
        }
    }

    /// 100, 100, 110, 75 and 20.
    pub fn max_points(self) -> u32 {
        Indicator::ALL.iter().filter(|i| i.dimension() == self).map(|i| i.points()).sum()
    }

    pub fn indicators(self) -> impl Iterator<Item = Indicator> {
        Indicator::ALL.into_iter().filter(move |i| i.dimension() == self)
    }
}

/// What an indicator looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Dataset,
    /// The best-scoring distribution.
    Distribution,
}

/// The 23 indicators of the MQA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Indicator {
    Keywords,
    Categories,
    GeoSearch,
    TimeSearch,
    AccessUrlAccessible,
    DownloadUrl,
    DownloadUrlAccessible,
    Format,
    MediaType,
    FormatVocabulary,
    NonProprietary,
    MachineReadable,
    DcatApCompliance,
    Licence,
    LicenceVocabulary,
    AccessRights,
    AccessRightsVocabulary,
    ContactPoint,
    Publisher,
    Rights,
    ByteSize,
    Issued,
    Modified,
}

/// The fixed facts of an indicator.
struct Spec {
    id: &'static str,
    dimension: Dimension,
    points: u32,
    level: Level,
    property: &'static str,
    sv: &'static str,
    en: &'static str,
    advice_sv: &'static str,
    advice_en: &'static str,
}

use Dimension::{Accessibility as A, Contextuality as C, Findability as F, Interoperability as I, Reusability as R};
use Level::{Dataset as DS, Distribution as DI};

/// In the order of [`Indicator`].
const SPECS: [Spec; 23] = [
    Spec {
        id: "keyword-usage",
        dimension: F,
        points: 30,
        level: DS,
        property: "dcat:keyword",
        sv: "Nyckelord",
        en: "Keyword usage",
        advice_sv: "Ange nyckelord (dcat:keyword) på svenska och engelska.",
        advice_en: "Add keywords (dcat:keyword) in Swedish and English.",
    },
    Spec {
        id: "categories",
        dimension: F,
        points: 30,
        level: DS,
        property: "dcat:theme",
        sv: "Kategorier",
        en: "Categories",
        advice_sv: "Ange minst ett tema ur EU:s datatema-vokabulär (dcat:theme), till exempel HEAL.",
        advice_en: "Add at least one theme from the EU data-theme vocabulary (dcat:theme), e.g. HEAL.",
    },
    Spec {
        id: "geo-search",
        dimension: F,
        points: 20,
        level: DS,
        property: "dct:spatial",
        sv: "Geografisk sökning",
        en: "Geo search",
        advice_sv: "Ange geografisk täckning (dct:spatial), till exempel Sverige eller ett län.",
        advice_en: "Add the geographical coverage (dct:spatial), e.g. Sweden or a county.",
    },
    Spec {
        id: "time-based-search",
        dimension: F,
        points: 20,
        level: DS,
        property: "dct:temporal",
        sv: "Sökning på tid",
        en: "Time-based search",
        advice_sv: "Ange tidsperioden som uppgifterna täcker (dct:temporal med dcat:startDate).",
        advice_en: "Add the period the data covers (dct:temporal with dcat:startDate).",
    },
    Spec {
        id: "access-url-accessibility",
        dimension: A,
        points: 50,
        level: DI,
        property: "dcat:accessURL",
        sv: "Åtkomstadressen svarar",
        en: "AccessURL accessibility",
        advice_sv: "Se till att distributionens åtkomstadress (dcat:accessURL) är en fungerande http(s)-adress som svarar med status 2xx eller 3xx.",
        advice_en: "Make the distribution's access URL (dcat:accessURL) a working http(s) URL that answers 2xx or 3xx.",
    },
    Spec {
        id: "download-url",
        dimension: A,
        points: 20,
        level: DI,
        property: "dcat:downloadURL",
        sv: "Nedladdningsadress",
        en: "DownloadURL",
        advice_sv: "Ange en direkt nedladdningsadress (dcat:downloadURL) när filen kan hämtas direkt.",
        advice_en: "Add a direct download URL (dcat:downloadURL) when the file can be fetched directly.",
    },
    Spec {
        id: "download-url-accessibility",
        dimension: A,
        points: 30,
        level: DI,
        property: "dcat:downloadURL",
        sv: "Nedladdningsadressen svarar",
        en: "DownloadURL accessibility",
        advice_sv: "Se till att nedladdningsadressen (dcat:downloadURL) svarar med status 2xx eller 3xx.",
        advice_en: "Make the download URL (dcat:downloadURL) answer 2xx or 3xx.",
    },
    Spec {
        id: "format",
        dimension: I,
        points: 20,
        level: DI,
        property: "dct:format",
        sv: "Format",
        en: "Format",
        advice_sv: "Ange distributionens filformat (dct:format) ur EU:s filtypsvokabulär.",
        advice_en: "Add the distribution's file format (dct:format) from the EU file-type vocabulary.",
    },
    Spec {
        id: "media-type",
        dimension: I,
        points: 10,
        level: DI,
        property: "dcat:mediaType",
        sv: "Medietyp",
        en: "Media type",
        advice_sv: "Ange IANA-medietypen (dcat:mediaType), till exempel text/csv.",
        advice_en: "Add the IANA media type (dcat:mediaType), e.g. text/csv.",
    },
    Spec {
        id: "format-media-type-vocabulary",
        dimension: I,
        points: 10,
        level: DI,
        property: "dct:format, dcat:mediaType",
        sv: "Format eller medietyp ur vokabulär",
        en: "Format / media type from vocabulary",
        advice_sv: "Använd en filtyp ur EU:s vokabulär (dct:format) eller en IANA-medietyp (dcat:mediaType).",
        advice_en: "Use a file type from the EU vocabulary (dct:format) or an IANA media type (dcat:mediaType).",
    },
    Spec {
        id: "non-proprietary",
        dimension: I,
        points: 20,
        level: DI,
        property: "dct:format",
        sv: "Öppet format",
        en: "Non-proprietary",
        advice_sv: "Erbjud uppgifterna i ett öppet format, till exempel CSV, JSON eller XML.",
        advice_en: "Offer the data in a non-proprietary format, e.g. CSV, JSON or XML.",
    },
    Spec {
        id: "machine-readable",
        dimension: I,
        points: 20,
        level: DI,
        property: "dct:format",
        sv: "Maskinläsbart format",
        en: "Machine readable",
        advice_sv: "Erbjud uppgifterna i ett maskinläsbart format, till exempel CSV, JSON, XML eller RDF (HTML och PDF räknas inte).",
        advice_en: "Offer the data in a machine-readable format, e.g. CSV, JSON, XML or RDF (HTML and PDF do not count).",
    },
    Spec {
        id: "dcat-ap-compliance",
        dimension: I,
        points: 30,
        level: DS,
        property: "DCAT-AP 3.0.1",
        sv: "Följer DCAT-AP",
        en: "DCAT-AP compliance",
        advice_sv: "Rätta de fel som DCAT-AP-kontrollen visar (obligatoriska egenskaper, värdetyper och vokabulärer).",
        advice_en: "Fix what the DCAT-AP check reports (mandatory properties, value types and vocabularies).",
    },
    Spec {
        id: "licence-information",
        dimension: R,
        points: 20,
        level: DI,
        property: "dct:license",
        sv: "Licens",
        en: "Licence information",
        advice_sv: "Ange distributionens licens (dct:license), till exempel CC BY 4.0 eller CC0.",
        advice_en: "Add the distribution's licence (dct:license), e.g. CC BY 4.0 or CC0.",
    },
    Spec {
        id: "licence-vocabulary",
        dimension: R,
        points: 10,
        level: DI,
        property: "dct:license",
        sv: "Licens ur vokabulär",
        en: "Licence vocabulary",
        advice_sv: "Använd en licens ur EU:s licensvokabulär eller en Creative Commons-licens som DCAT-AP-SE anger.",
        advice_en: "Use a licence from the EU licence vocabulary or a Creative Commons licence DCAT-AP-SE names.",
    },
    Spec {
        id: "access-restrictions",
        dimension: R,
        points: 10,
        level: DS,
        property: "dct:accessRights",
        sv: "Åtkomstbegränsningar",
        en: "Access restrictions",
        advice_sv: "Ange åtkomsträttigheter (dct:accessRights): offentlig, begränsad eller icke-offentlig.",
        advice_en: "Add the access rights (dct:accessRights): public, restricted or non-public.",
    },
    Spec {
        id: "access-restrictions-vocabulary",
        dimension: R,
        points: 5,
        level: DS,
        property: "dct:accessRights",
        sv: "Åtkomstbegränsningar ur vokabulär",
        en: "Access restrictions vocabulary",
        advice_sv: "Använd EU:s vokabulär för åtkomsträttigheter (PUBLIC, RESTRICTED, NON_PUBLIC).",
        advice_en: "Use the EU access-right vocabulary (PUBLIC, RESTRICTED, NON_PUBLIC).",
    },
    Spec {
        id: "contact-point",
        dimension: R,
        points: 20,
        level: DS,
        property: "dcat:contactPoint",
        sv: "Kontaktpunkt",
        en: "Contact point",
        advice_sv: "Ange en kontaktpunkt (dcat:contactPoint) med e-postadress.",
        advice_en: "Add a contact point (dcat:contactPoint) with an e-mail address.",
    },
    Spec {
        id: "publisher",
        dimension: R,
        points: 10,
        level: DS,
        property: "dct:publisher",
        sv: "Utgivare",
        en: "Publisher",
        advice_sv: "Ange utgivaren (dct:publisher).",
        advice_en: "Add the publisher (dct:publisher).",
    },
    Spec {
        id: "rights",
        dimension: C,
        points: 5,
        level: DI,
        property: "dct:rights",
        sv: "Rättigheter",
        en: "Rights",
        advice_sv: "Beskriv villkoren för användning på distributionen (dct:rights).",
        advice_en: "Describe the terms of use on the distribution (dct:rights).",
    },
    Spec {
        id: "file-size",
        dimension: C,
        points: 5,
        level: DI,
        property: "dcat:byteSize",
        sv: "Filstorlek",
        en: "File size",
        advice_sv: "Ange distributionens storlek i byte (dcat:byteSize).",
        advice_en: "Add the distribution's size in bytes (dcat:byteSize).",
    },
    Spec {
        id: "date-of-issue",
        dimension: C,
        points: 5,
        level: DS,
        property: "dct:issued",
        sv: "Utgivningsdatum",
        en: "Date of issue",
        advice_sv: "Ange när datamängden först gavs ut (dct:issued).",
        advice_en: "Add when the dataset was first issued (dct:issued).",
    },
    Spec {
        id: "modification-date",
        dimension: C,
        points: 5,
        level: DS,
        property: "dct:modified",
        sv: "Ändringsdatum",
        en: "Modification date",
        advice_sv: "Ange när datamängden senast ändrades (dct:modified).",
        advice_en: "Add when the dataset last changed (dct:modified).",
    },
];

impl Indicator {
    pub const ALL: [Self; 23] = [
        Self::Keywords,
        Self::Categories,
        Self::GeoSearch,
        Self::TimeSearch,
        Self::AccessUrlAccessible,
        Self::DownloadUrl,
        Self::DownloadUrlAccessible,
        Self::Format,
        Self::MediaType,
        Self::FormatVocabulary,
        Self::NonProprietary,
        Self::MachineReadable,
        Self::DcatApCompliance,
        Self::Licence,
        Self::LicenceVocabulary,
        Self::AccessRights,
        Self::AccessRightsVocabulary,
        Self::ContactPoint,
        Self::Publisher,
        Self::Rights,
        Self::ByteSize,
        Self::Issued,
        Self::Modified,
    ];

    fn spec(self) -> &'static Spec {
        &SPECS[self as usize]
    }

    /// A stable id (`keyword-usage`).
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.id() == id)
    }

    pub fn dimension(self) -> Dimension {
        self.spec().dimension
    }

    /// The points data.europa.eu gives it.
    pub fn points(self) -> u32 {
        self.spec().points
    }

    pub fn level(self) -> Level {
        self.spec().level
    }

    /// The property (or properties) it looks at, as a CURIE.
    pub fn property(self) -> &'static str {
        self.spec().property
    }

    pub fn name(self, lang: Lang) -> &'static str {
        if lang == Lang::En { self.spec().en } else { self.spec().sv }
    }

    /// What to do to earn its points.
    pub fn advice(self, lang: Lang) -> &'static str {
        if lang == Lang::En { self.spec().advice_en } else { self.spec().advice_sv }
    }

    /// What to do when it was not checked (offline, or without the DCAT-AP shapes).
    pub fn not_checked_advice(self, lang: Lang) -> &'static str {
        let en = lang == Lang::En;
        match self {
            Self::DcatApCompliance => {
                if en {
                    "Not checked with SHACL: point the setting quality.dcat_ap_shapes at the official DCAT-AP 3.0.1 shapes to check it."
                } else {
                    "Inte kontrollerad med SHACL: peka inställningen quality.dcat_ap_shapes på de officiella reglerna för DCAT-AP 3.0.1 för att kontrollera."
                }
            }
            Self::AccessUrlAccessible | Self::DownloadUrlAccessible => {
                if en {
                    "Not checked offline: run vardkatalog quality --online (or turn on quality.online) to check that the URL answers."
                } else {
                    "Inte kontrollerad offline: kör vardkatalog quality --online (eller slå på quality.online) för att kontrollera att adressen svarar."
                }
            }
            other => other.advice(lang),
        }
    }

    /// Whether it checks that a URL answers (only done online).
    pub fn is_url_check(self) -> bool {
        matches!(self, Self::AccessUrlAccessible | Self::DownloadUrlAccessible)
    }
}

/// The rating bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    Excellent,
    Good,
    Sufficient,
    Bad,
}

impl Rating {
    pub const ALL: [Self; 4] = [Self::Excellent, Self::Good, Self::Sufficient, Self::Bad];

    /// The band of a score (rounded to whole points first).
    pub fn of(points: f64) -> Self {
        let p = points.round();
        if p >= 351.0 {
            Self::Excellent
        } else if p >= 221.0 {
            Self::Good
        } else if p >= 121.0 {
            Self::Sufficient
        } else {
            Self::Bad
        }
    }

    /// The band's points, lowest and highest.
    pub fn range(self) -> (u32, u32) {
        match self {
            Self::Excellent => (351, 405),
            Self::Good => (221, 350),
            Self::Sufficient => (121, 220),
            Self::Bad => (0, 120),
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Good => "good",
            Self::Sufficient => "sufficient",
            Self::Bad => "bad",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let en = lang == Lang::En;
        match self {
            Self::Excellent => {
                if en {
                    "Excellent"
                } else {
                    "Utmärkt"
                }
            }
            Self::Good => {
                if en {
                    "Good"
                } else {
                    "Bra"
                }
            }
            Self::Sufficient => {
                if en {
                    "Sufficient"
                } else {
                    "Tillräcklig"
                }
            }
            Self::Bad => {
                if en {
                    "Bad"
                } else {
                    "Bristfällig"
                }
            }
        }
    }
}

/// How an indicator came out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    /// Not checked (a URL offline, DCAT-AP compliance without shapes); `assumed` says whether
    /// the points were given by the rule in the module documentation.
    NotChecked {
        assumed: bool,
    },
}

impl Outcome {
    pub fn earns(&self) -> bool {
        matches!(self, Self::Passed | Self::NotChecked { assumed: true })
    }

    pub fn id(&self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::NotChecked { assumed: true } => "not-checked-assumed",
            Self::NotChecked { assumed: false } => "not-checked",
        }
    }

    pub fn name(&self, lang: Lang) -> &'static str {
        let en = lang == Lang::En;
        match self {
            Self::Passed => {
                if en {
                    "met"
                } else {
                    "uppfylld"
                }
            }
            Self::Failed => {
                if en {
                    "not met"
                } else {
                    "inte uppfylld"
                }
            }
            Self::NotChecked { assumed: true } => {
                if en {
                    "not checked (points assumed)"
                } else {
                    "inte kontrollerad (poäng antagna)"
                }
            }
            Self::NotChecked { assumed: false } => {
                if en {
                    "not checked"
                } else {
                    "inte kontrollerad"
                }
            }
        }
    }
}

/// One indicator of one dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorResult {
    pub indicator: Indicator,
    pub outcome: Outcome,
    /// Points earned: all of the indicator's, or none.
    pub earned: u32,
    /// What was found, when it helps (an HTTP status, a value, the DCAT-AP findings).
    pub detail: Option<String>,
}

impl IndicatorResult {
    fn new(indicator: Indicator, outcome: Outcome, detail: Option<String>) -> Self {
        let earned = if outcome.earns() { indicator.points() } else { 0 };
        Self { indicator, outcome, earned, detail }
    }

    fn check(indicator: Indicator, passed: bool) -> Self {
        Self::new(indicator, if passed { Outcome::Passed } else { Outcome::Failed }, None)
    }
}

/// The DCAT-AP compliance of a dataset's description, as found by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compliance {
    Conforms,
    /// The violations, as readable lines.
    Violations(Vec<String>),
    /// No shapes to check against: scored by the fallback rule.
    NotChecked,
}

/// What a URL check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlStatus {
    /// Offline mode.
    NotChecked,
    /// The final HTTP status (after redirects).
    Status(u16),
    /// No answer (refused, timed out, not a URL).
    Error(String),
}

impl UrlStatus {
    fn answers(&self) -> bool {
        matches!(self, Self::Status(s) if (200..400).contains(s))
    }

    fn describe(&self) -> String {
        match self {
            Self::NotChecked => String::new(),
            Self::Status(s) => format!("HTTP {s}"),
            Self::Error(e) => e.clone(),
        }
    }
}

/// Whether a URL is an absolute http(s) URL (what offline mode assumes answers).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && url.len() > lower.find("//").unwrap_or(0) + 2
}

/// data.europa.eu's non-proprietary file types (`edp-non-proprietary-format`).
const NON_PROPRIETARY: &[&str] = &[
    "BMP",
    "CSV",
    "DBF",
    "GEOJSON",
    "GZIP",
    "HTML",
    "ICS",
    "JPEG2000",
    "JSON",
    "JSON_LD",
    "KML",
    "KMZ",
    "NETCDF",
    "ODS",
    "PNG",
    "RDF_N_QUADS",
    "RDF_N_TRIPLES",
    "RDF_TRIG",
    "RDF_TURTLE",
    "RDF_XML",
    "RSS",
    "RTF",
    "TAR",
    "TIFF",
    "TSV",
    "TXT",
    "WMS_SRVC",
    "XML",
    "ZIP",
];

/// data.europa.eu's machine-readable file types (`edp-machine-readable-format`).
const MACHINE_READABLE: &[&str] = &[
    "CSV",
    "GEOJSON",
    "ICS",
    "JSON",
    "JSON_LD",
    "KML",
    "KMZ",
    "NETCDF",
    "ODS",
    "RDFA",
    "RDF_N_QUADS",
    "RDF_N_TRIPLES",
    "RDF_TRIG",
    "RDF_TURTLE",
    "RDF_XML",
    "RSS",
    "SHP",
    "XLS",
    "XLSX",
    "XML",
];

fn file_type_code(d: &Distribution) -> Option<&str> {
    d.format.as_ref().and_then(|f| f.as_str().strip_prefix(eu::FILE_TYPE))
}

/// An IANA media type IRI: `{IANA base}{type}/{subtype}` with the characters IANA allows.
fn is_iana_media_type(iri: &str) -> bool {
    let Some(rest) = iri.strip_prefix(eu::IANA_MEDIA_TYPES) else { return false };
    let Some((top, sub)) = rest.split_once('/') else { return false };
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.+_".contains(&b));
    ok(top) && ok(sub) && !sub.contains('/')
}

fn has_extra(extra: &[oxigraph::model::Triple], predicate: oxigraph::model::NamedNodeRef<'_>) -> bool {
    extra.iter().any(|t| t.predicate.as_ref() == predicate)
}

/// The URL-answer indicator over a list of URLs: passes when any answers; offline, assumed
/// when any is a web URL.
fn url_indicator(indicator: Indicator, urls: &[NamedNode], probe: &mut dyn FnMut(&str) -> UrlStatus) -> IndicatorResult {
    if urls.is_empty() {
        return IndicatorResult::new(indicator, Outcome::Failed, None);
    }
    let mut unchecked = None;
    let mut failures = Vec::new();
    for u in urls {
        let status = probe(u.as_str());
        if status.answers() {
            return IndicatorResult::new(indicator, Outcome::Passed, Some(status.describe()));
        }
        match status {
            UrlStatus::NotChecked => {
                let assumed = is_web_url(u.as_str());
                unchecked = Some(unchecked.unwrap_or(false) || assumed);
            }
            other => failures.push(format!("{}: {}", u.as_str(), other.describe())),
        }
    }
    match unchecked {
        Some(assumed) => IndicatorResult::new(indicator, Outcome::NotChecked { assumed }, None),
        None => IndicatorResult::new(indicator, Outcome::Failed, Some(failures.join("; "))),
    }
}

/// The distribution indicators of one distribution.
fn distribution_results(d: &Distribution, probe: &mut dyn FnMut(&str) -> UrlStatus) -> Vec<IndicatorResult> {
    let code = file_type_code(d);
    let format_present = d.format.is_some() || has_extra(&d.extra, dct::FORMAT);
    let format_in_vocabulary = d.format.as_ref().is_some_and(|f| background::is_member(eu::FILE_TYPE, f.as_str()));
    let media_in_vocabulary = d.media_type.as_ref().is_some_and(|m| is_iana_media_type(m.as_str()));
    let licence_known = d.license.as_ref().is_some_and(|l| background::is_known_licence(l.as_str()));
    vec![
        url_indicator(Indicator::AccessUrlAccessible, &d.access_urls, probe),
        IndicatorResult::check(Indicator::DownloadUrl, !d.download_urls.is_empty()),
        url_indicator(Indicator::DownloadUrlAccessible, &d.download_urls, probe),
        IndicatorResult::check(Indicator::Format, format_present),
        IndicatorResult::check(Indicator::MediaType, d.media_type.is_some()),
        IndicatorResult::check(Indicator::FormatVocabulary, format_in_vocabulary || media_in_vocabulary),
        IndicatorResult::check(Indicator::NonProprietary, code.is_some_and(|c| NON_PROPRIETARY.contains(&c))),
        IndicatorResult::check(Indicator::MachineReadable, code.is_some_and(|c| MACHINE_READABLE.contains(&c))),
        IndicatorResult::check(Indicator::Licence, d.license.is_some()),
        IndicatorResult::check(Indicator::LicenceVocabulary, licence_known),
        IndicatorResult::check(Indicator::Rights, !d.rights.is_empty() || has_extra(&d.extra, dct::RIGHTS)),
        IndicatorResult::check(Indicator::ByteSize, d.byte_size.is_some()),
    ]
}

/// Scores one dataset. `distributions` are its (public) distributions in the order to break
/// ties by; `probe` answers URL checks (return [`UrlStatus::NotChecked`] offline).
pub fn score_dataset(
    dataset: &Dataset,
    distributions: &[Distribution],
    compliance: &Compliance,
    probe: &mut dyn FnMut(&str) -> UrlStatus,
) -> DatasetScore {
    let any_dist = |f: &dyn Fn(&Distribution) -> bool| distributions.iter().any(f);
    let compliance_result = match compliance {
        Compliance::Conforms => IndicatorResult::new(Indicator::DcatApCompliance, Outcome::Passed, None),
        Compliance::Violations(v) => IndicatorResult::new(Indicator::DcatApCompliance, Outcome::Failed, Some(v.join("\n"))),
        Compliance::NotChecked => {
            let assumed =
                !dataset.title.is_empty() && !dataset.description.is_empty() && distributions.iter().all(|d| !d.access_urls.is_empty());
            IndicatorResult::new(Indicator::DcatApCompliance, Outcome::NotChecked { assumed }, None)
        }
    };
    let access_rights_known = dataset.access_rights.as_ref().is_some_and(|a| background::is_member(eu::ACCESS_RIGHT, a.as_str()));
    let mut dataset_results = vec![
        IndicatorResult::check(Indicator::Keywords, !dataset.keywords.is_empty()),
        IndicatorResult::check(Indicator::Categories, !dataset.themes.is_empty()),
        IndicatorResult::check(Indicator::GeoSearch, !dataset.spatial.is_empty() || has_extra(&dataset.extra, dct::SPATIAL)),
        IndicatorResult::check(Indicator::TimeSearch, !dataset.temporal.is_empty() || has_extra(&dataset.extra, dct::TEMPORAL)),
        compliance_result,
        IndicatorResult::check(Indicator::AccessRights, dataset.access_rights.is_some()),
        IndicatorResult::check(Indicator::AccessRightsVocabulary, access_rights_known),
        IndicatorResult::check(Indicator::ContactPoint, !dataset.contact_points.is_empty()),
        IndicatorResult::check(Indicator::Publisher, dataset.publisher.is_some()),
        IndicatorResult::check(Indicator::Issued, dataset.issued.is_some() || any_dist(&|d| d.issued.is_some())),
        IndicatorResult::check(Indicator::Modified, dataset.modified.is_some() || any_dist(&|d| d.modified.is_some())),
    ];

    // the best-scoring distribution (the first of equals)
    let mut best: Option<(usize, Vec<IndicatorResult>)> = None;
    for (i, d) in distributions.iter().enumerate() {
        let results = distribution_results(d, probe);
        let sum: u32 = results.iter().map(|r| r.earned).sum();
        if best.as_ref().is_none_or(|(_, b)| sum > b.iter().map(|r| r.earned).sum::<u32>()) {
            best = Some((i, results));
        }
    }
    let (best_distribution, distribution_part) = match best {
        Some((i, results)) => (Some(distributions[i].iri.clone()), results),
        None => (
            None,
            Indicator::ALL
                .into_iter()
                .filter(|i| i.level() == Level::Distribution)
                .map(|i| IndicatorResult::new(i, Outcome::Failed, None))
                .collect(),
        ),
    };
    dataset_results.extend(distribution_part);
    dataset_results.sort_by_key(|r| r.indicator);

    DatasetScore {
        iri: dataset.iri.clone(),
        title: dataset.title.clone(),
        publisher: dataset.publisher.clone(),
        owners: dataset.attributions.iter().filter(|a| a.role.as_str() == eu::ROLE_OWNER).map(|a| a.agent.clone()).collect(),
        results: dataset_results,
        distributions: distributions.len(),
        best_distribution,
        completeness: Completeness::of(dataset),
    }
}

/// The score of one dataset.
#[derive(Clone, Debug)]
pub struct DatasetScore {
    pub iri: NamedNode,
    pub title: LangText,
    pub publisher: Option<NamedNode>,
    /// Agents attributed the role *owner*.
    pub owners: Vec<NamedNode>,
    /// One per indicator, in [`Indicator::ALL`] order.
    pub results: Vec<IndicatorResult>,
    /// How many distributions it has.
    pub distributions: usize,
    /// The distribution whose indicators count.
    pub best_distribution: Option<NamedNode>,
    pub completeness: Completeness,
}

impl DatasetScore {
    pub fn total(&self) -> u32 {
        self.results.iter().map(|r| r.earned).sum()
    }

    pub fn dimension_points(&self, d: Dimension) -> u32 {
        self.results.iter().filter(|r| r.indicator.dimension() == d).map(|r| r.earned).sum()
    }

    pub fn rating(&self) -> Rating {
        Rating::of(f64::from(self.total()))
    }

    pub fn result(&self, indicator: Indicator) -> &IndicatorResult {
        &self.results[indicator as usize]
    }

    /// Points given on an assumption (checks not made).
    pub fn assumed_points(&self) -> u32 {
        self.results.iter().filter(|r| matches!(r.outcome, Outcome::NotChecked { assumed: true })).map(|r| r.earned).sum()
    }

    /// The score as JSON (ids, points, both languages' names).
    pub fn to_json(&self) -> Value {
        let dimensions: Vec<Value> = Dimension::ALL
            .iter()
            .map(|d| {
                let indicators: Vec<Value> = self
                    .results
                    .iter()
                    .filter(|r| r.indicator.dimension() == *d)
                    .map(|r| {
                        json!({
                            "id": r.indicator.id(),
                            "name": { "sv": r.indicator.name(Lang::Sv), "en": r.indicator.name(Lang::En) },
                            "property": r.indicator.property(),
                            "level": match r.indicator.level() { Level::Dataset => "dataset", Level::Distribution => "distribution" },
                            "points": r.earned,
                            "max": r.indicator.points(),
                            "outcome": r.outcome.id(),
                            "detail": r.detail,
                        })
                    })
                    .collect();
                json!({ "id": d.id(), "name": { "sv": d.name(Lang::Sv), "en": d.name(Lang::En) }, "points": self.dimension_points(*d), "max": d.max_points(), "indicators": indicators })
            })
            .collect();
        json!({
            "dataset": self.iri.as_str(),
            "title": { "sv": self.title.get("sv"), "en": self.title.get("en") },
            "publisher": self.publisher.as_ref().map(NamedNode::as_str),
            "points": self.total(),
            "max": MAX_POINTS,
            "rating": self.rating().id(),
            "rating_name": { "sv": self.rating().name(Lang::Sv), "en": self.rating().name(Lang::En) },
            "assumed_points": self.assumed_points(),
            "distributions": self.distributions,
            "best_distribution": self.best_distribution.as_ref().map(NamedNode::as_str),
            "dimensions": dimensions,
            "completeness": self.completeness.to_json(),
        })
    }
}

// ---- completeness ------------------------------------------------------------------------

/// Whether DCAT-AP-SE recommends a property or only allows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obligation {
    Recommended,
    Optional,
}

/// A recommended or optional property of a DCAT-AP-SE dataset.
#[derive(Debug)]
pub struct Property {
    /// The key of its label on record pages (`web::i18n::field`).
    pub key: &'static str,
    pub curie: &'static str,
    pub obligation: Obligation,
    filled: fn(&Dataset) -> bool,
}

impl PartialEq for Property {
    fn eq(&self, other: &Self) -> bool {
        self.curie == other.curie
    }
}

impl Eq for Property {}

/// The recommended and optional properties of a DCAT-AP-SE 3.0.1 dataset that the model holds
/// (notes/standards.md §2.1), recommended first.
pub static PROPERTIES: &[Property] = &[
    Property { key: "contact", curie: "dcat:contactPoint", obligation: Obligation::Recommended, filled: |d| !d.contact_points.is_empty() },
    Property { key: "keywords", curie: "dcat:keyword", obligation: Obligation::Recommended, filled: |d| !d.keywords.is_empty() },
    Property { key: "themes", curie: "dcat:theme", obligation: Obligation::Recommended, filled: |d| !d.themes.is_empty() },
    Property { key: "issued", curie: "dct:issued", obligation: Obligation::Recommended, filled: |d| d.issued.is_some() },
    Property { key: "conforms_to", curie: "dct:conformsTo", obligation: Obligation::Recommended, filled: |d| !d.conforms_to.is_empty() },
    Property {
        key: "spatial",
        curie: "dct:spatial",
        obligation: Obligation::Recommended,
        filled: |d| !d.spatial.is_empty() || has_extra(&d.extra, dct::SPATIAL),
    },
    Property {
        key: "temporal",
        curie: "dct:temporal",
        obligation: Obligation::Recommended,
        filled: |d| !d.temporal.is_empty() || has_extra(&d.extra, dct::TEMPORAL),
    },
    Property {
        key: "access_rights",
        curie: "dct:accessRights",
        obligation: Obligation::Recommended,
        filled: |d| d.access_rights.is_some(),
    },
    Property {
        key: "distributions",
        curie: "dcat:distribution",
        obligation: Obligation::Optional,
        filled: |d| !d.distributions.is_empty(),
    },
    Property { key: "identifier", curie: "dct:identifier", obligation: Obligation::Optional, filled: |d| d.identifier.is_some() },
    Property {
        key: "frequency",
        curie: "dct:accrualPeriodicity",
        obligation: Obligation::Optional,
        filled: |d| d.accrual_periodicity.is_some(),
    },
    Property { key: "modified_date", curie: "dct:modified", obligation: Obligation::Optional, filled: |d| d.modified.is_some() },
    Property { key: "language", curie: "dct:language", obligation: Obligation::Optional, filled: |d| !d.languages.is_empty() },
    Property { key: "landing_page", curie: "dcat:landingPage", obligation: Obligation::Optional, filled: |d| !d.landing_pages.is_empty() },
    Property { key: "documentation", curie: "foaf:page", obligation: Obligation::Optional, filled: |d| !d.pages.is_empty() },
    Property { key: "provenance", curie: "dct:provenance", obligation: Obligation::Optional, filled: |d| !d.provenance.is_empty() },
    Property { key: "dataset_type", curie: "dct:type", obligation: Obligation::Optional, filled: |d| d.dataset_type.is_some() },
    Property { key: "version", curie: "dcat:version", obligation: Obligation::Optional, filled: |d| d.version.is_some() },
    Property {
        key: "version_notes",
        curie: "adms:versionNotes",
        obligation: Obligation::Optional,
        filled: |d| !d.version_notes.is_empty(),
    },
    Property {
        key: "legislation",
        curie: "dcatap:applicableLegislation",
        obligation: Obligation::Optional,
        filled: |d| !d.applicable_legislation.is_empty(),
    },
    Property { key: "owner", curie: "prov:qualifiedAttribution", obligation: Obligation::Optional, filled: |d| !d.attributions.is_empty() },
    Property { key: "in_series", curie: "dcat:inSeries", obligation: Obligation::Optional, filled: |d| !d.in_series.is_empty() },
];

/// Which recommended and optional properties a dataset fills.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completeness {
    pub filled: Vec<&'static Property>,
    pub missing: Vec<&'static Property>,
}

impl Completeness {
    pub fn of(d: &Dataset) -> Self {
        let (filled, missing) = PROPERTIES.iter().partition(|p| (p.filled)(d));
        Self { filled, missing }
    }

    /// The share of all listed properties filled, in whole percent (rounded down).
    pub fn percent(&self) -> u32 {
        let total = self.filled.len() + self.missing.len();
        (self.filled.len() * 100).checked_div(total).map_or(100, |p| u32::try_from(p).unwrap_or(100))
    }

    /// (filled, of) among the recommended properties.
    pub fn recommended(&self) -> (usize, usize) {
        let r = |v: &[&Property]| v.iter().filter(|p| p.obligation == Obligation::Recommended).count();
        let filled = r(&self.filled);
        (filled, filled + r(&self.missing))
    }

    pub fn missing_of(&self, obligation: Obligation) -> impl Iterator<Item = &'static Property> + '_ {
        self.missing.iter().copied().filter(move |p| p.obligation == obligation)
    }

    pub fn to_json(&self) -> Value {
        let (rf, rt) = self.recommended();
        let list = |o: Obligation| -> Vec<Value> { self.missing_of(o).map(|p| json!({ "property": p.curie, "key": p.key })).collect() };
        json!({
            "percent": self.percent(),
            "filled": self.filled.len(),
            "of": self.filled.len() + self.missing.len(),
            "recommended_filled": rf,
            "recommended_of": rt,
            "missing_recommended": list(Obligation::Recommended),
            "missing_optional": list(Obligation::Optional),
        })
    }
}

// ---- the catalogue -----------------------------------------------------------------------

/// An agent's place in a ranking.
#[derive(Clone, Debug)]
pub struct GroupScore {
    pub agent: NamedNode,
    pub name: LangText,
    pub datasets: usize,
    /// The average of its datasets' totals; `None` without datasets.
    pub average: Option<f64>,
}

impl GroupScore {
    pub fn rating(&self) -> Option<Rating> {
        self.average.map(Rating::of)
    }
}

/// An agent the ranking may name: its name and whether it is a region.
#[derive(Clone, Debug)]
pub struct AgentInfo {
    pub iri: NamedNode,
    pub name: LangText,
    pub region: bool,
}

/// The score of a whole catalogue.
#[derive(Clone, Debug)]
pub struct CatalogueScore {
    /// The store generation it was computed from.
    pub generation: u64,
    /// Sorted by IRI.
    pub datasets: Vec<DatasetScore>,
    /// Publishers, best first.
    pub publishers: Vec<GroupScore>,
    /// Every region, best first; regions without datasets last.
    pub regions: Vec<GroupScore>,
    /// Whether URLs were checked (online mode).
    pub online: bool,
    /// Whether DCAT-AP compliance was checked with SHACL.
    pub compliance_checked: bool,
}

fn average(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn rank(groups: &mut [GroupScore]) {
    groups.sort_by(|a, b| {
        b.average.unwrap_or(-1.0).total_cmp(&a.average.unwrap_or(-1.0)).then_with(|| a.name.best("sv").cmp(b.name.best("sv")))
    });
}

impl CatalogueScore {
    pub fn new(generation: u64, mut datasets: Vec<DatasetScore>, agents: &[AgentInfo], online: bool, compliance_checked: bool) -> Self {
        datasets.sort_by(|a, b| a.iri.as_str().cmp(b.iri.as_str()));
        let names: BTreeMap<&str, &AgentInfo> = agents.iter().map(|a| (a.iri.as_str(), a)).collect();
        let mut by_publisher: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for d in &datasets {
            if let Some(p) = &d.publisher {
                by_publisher.entry(p.as_str()).or_default().push(f64::from(d.total()));
            }
        }
        let group = |iri: &str, totals: &[f64]| GroupScore {
            agent: NamedNode::new_unchecked(iri),
            name: names.get(iri).map(|a| a.name.clone()).unwrap_or_else(|| LangText::sv(iri.rsplit('/').next().unwrap_or(iri))),
            datasets: totals.len(),
            average: average(totals.iter().copied()),
        };
        let mut publishers: Vec<GroupScore> = by_publisher.iter().map(|(iri, totals)| group(iri, totals)).collect();
        rank(&mut publishers);
        let mut regions: Vec<GroupScore> = agents
            .iter()
            .filter(|a| a.region)
            .map(|a| {
                let totals: Vec<f64> = datasets
                    .iter()
                    .filter(|d| d.publisher.as_ref() == Some(&a.iri) || d.owners.contains(&a.iri))
                    .map(|d| f64::from(d.total()))
                    .collect();
                group(a.iri.as_str(), &totals)
            })
            .collect();
        rank(&mut regions);
        Self { generation, datasets, publishers, regions, online, compliance_checked }
    }

    /// The catalogue's points for an indicator: the average over its datasets.
    pub fn indicator_points(&self, indicator: Indicator) -> f64 {
        average(self.datasets.iter().map(|d| f64::from(d.result(indicator).earned))).unwrap_or(0.0)
    }

    /// How many datasets earn an indicator's points.
    pub fn indicator_passed(&self, indicator: Indicator) -> usize {
        self.datasets.iter().filter(|d| d.result(indicator).earned > 0).count()
    }

    pub fn dimension_points(&self, d: Dimension) -> f64 {
        average(self.datasets.iter().map(|x| f64::from(x.dimension_points(d)))).unwrap_or(0.0)
    }

    /// The catalogue's total: the average of the dataset totals.
    pub fn total(&self) -> f64 {
        average(self.datasets.iter().map(|d| f64::from(d.total()))).unwrap_or(0.0)
    }

    pub fn rating(&self) -> Rating {
        Rating::of(self.total())
    }

    /// How many datasets fall in each band, in [`Rating::ALL`] order.
    pub fn bands(&self) -> [(Rating, usize); 4] {
        Rating::ALL.map(|r| (r, self.datasets.iter().filter(|d| d.rating() == r).count()))
    }

    pub fn dataset(&self, iri: &str) -> Option<&DatasetScore> {
        self.datasets.binary_search_by(|d| d.iri.as_str().cmp(iri)).ok().map(|i| &self.datasets[i])
    }

    pub fn to_json(&self) -> Value {
        let round = |x: f64| (x * 10.0).round() / 10.0;
        let group = |g: &GroupScore| {
            json!({
                "agent": g.agent.as_str(),
                "name": { "sv": g.name.get("sv"), "en": g.name.get("en") },
                "datasets": g.datasets,
                "average": g.average.map(round),
                "rating": g.rating().map(Rating::id),
            })
        };
        json!({
            "points": round(self.total()),
            "max": MAX_POINTS,
            "rating": self.rating().id(),
            "rating_name": { "sv": self.rating().name(Lang::Sv), "en": self.rating().name(Lang::En) },
            "datasets": self.datasets.len(),
            "online": self.online,
            "compliance_checked": self.compliance_checked,
            "bands": self.bands().iter().map(|(r, n)| json!({ "rating": r.id(), "min": r.range().0, "max": r.range().1, "datasets": n })).collect::<Vec<_>>(),
            "dimensions": Dimension::ALL.iter().map(|d| json!({
                "id": d.id(),
                "points": round(self.dimension_points(*d)),
                "max": d.max_points(),
                "indicators": d.indicators().map(|i| json!({
                    "id": i.id(),
                    "points": round(self.indicator_points(i)),
                    "max": i.points(),
                    "datasets_passed": self.indicator_passed(i),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "publishers": self.publishers.iter().map(group).collect::<Vec<_>>(),
            "regions": self.regions.iter().map(group).collect::<Vec<_>>(),
            "scores": self.datasets.iter().map(|d| json!({
                "dataset": d.iri.as_str(),
                "title": d.title.best("sv"),
                "points": d.total(),
                "rating": d.rating().id(),
                "completeness": d.completeness.percent(),
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_points_add_up_as_data_europa_eu_gives_them() {
        assert_eq!(Indicator::ALL.iter().map(|i| i.points()).sum::<u32>(), MAX_POINTS);
        let maxima: Vec<u32> = Dimension::ALL.iter().map(|d| d.max_points()).collect();
        assert_eq!(maxima, [100, 100, 110, 75, 20]);
        for (n, i) in Indicator::ALL.iter().enumerate() {
            assert_eq!(*i as usize, n, "SPECS and ALL are in the same order");
            assert_eq!(Indicator::parse(i.id()), Some(*i));
        }
    }

    #[test]
    fn iana_media_types_and_web_urls() {
        assert!(is_iana_media_type("http://www.iana.org/assignments/media-types/text/csv"));
        assert!(is_iana_media_type("http://www.iana.org/assignments/media-types/application/ld+json"));
        assert!(!is_iana_media_type("http://www.iana.org/assignments/media-types/text"));
        assert!(!is_iana_media_type("https://example.org/text/csv"));
        assert!(is_web_url("https://www.socialstyrelsen.se/x"));
        assert!(!is_web_url("ftp://example.org/x"));
        assert!(!is_web_url("http://"));
    }
}
