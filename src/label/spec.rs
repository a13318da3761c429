//! What the data quality and utility label is made of: the six elements of EHDS Article 78(3),
//! QUANTUM's twelve dimensions under them, each dimension's metrics with their levels, and the
//! weights the score uses.
//!
//! Sources (read through the project's reference search; cited where used):
//! - Regulation (EU) 2025/327 (EHDS), Art. 78(3): the label covers (a) data documentation
//!   (metadata, support documentation, data model, data dictionary, standards used,
//!   provenance), (b) technical quality (completeness, uniqueness, accuracy, validity,
//!   timeliness, consistency), (c) data quality management processes (maturity, review and
//!   audit, biases), (d) coverage (representativity of the population, timeframe), (e) access
//!   and provision (time from collection to addition, time to provide data after approval),
//!   (f) data enrichments (merging, links with other datasets). Text as in the proposal's
//!   Art. 56(3) (european-health-data-space.com/European_Health_Data_Space_Article_56_(Proposal_3.5.2022).html),
//!   renumbered Art. 78 in the adopted regulation. Recital 85: a dataset that fulfils none of
//!   the requirements gets the class of the poorest quality and is still made available.
//! - QUANTUM, "Quality & Utility Assessment" (healthinformationportal.eu/quantum-dataset-quality-and-utility-label):
//!   four EHDS categories with twelve dimensions (from 54 found in the literature, a Delphi
//!   consensus, healthinformationportal.eu/quantum-results); each dimension has a weight and
//!   metrics with weights and levels. Read there: category 1 "Access and provision" with one
//!   dimension, 1.1 Accessibility (weight 9.95 %; metric 1 "availability of a data access &
//!   usage policy", 50 %, levels 0 no policy / 1 basic / 2 comprehensive, measured preferably
//!   as `dct:accessRights`; metric 2 "average time from data access application to data
//!   release", 50 %, levels 0 > 6 months / 1 3–6 months / 2 1–3 months / 3 < 1 month, given by
//!   the HDAB or holder); category 2 "Coverage" with two dimensions, 2.1 Population coverage
//!   ("how much of it", weight 6.47 %; metric 1 "coverage rate", the share of the eligible
//!   population represented).
//! - QUANTUM, "DQU Guidelines – Operationalisation of QUANTUM label data quality and utility
//!   framework" v1.0.0 (zenodo.org/records/20340449, May 2026): no single mandatory way of
//!   measuring a dimension; holders measure with their own controls and report levels.
//!
//! The stored copy of the QUANTUM page ends inside category 2, so the remaining dimensions,
//! their weights and their levels are this catalogue's reading, marked `Source::Ours` and
//! explained beside each: the other categories are Art. 78(3)(a) and (b) (QUANTUM's four EHDS
//! categories are the four elements of Art. 78(3) that describe the dataset itself; (c) is
//! QUANTUM's separate data holder maturity model, `super::maturity`), the six technical
//! dimensions are the six words of Art. 78(3)(b), and the second coverage dimension is the
//! timeframe and place of Art. 78(3)(d). The weights QUANTUM states are kept; the rest of 100 %
//! is shared equally, and metrics of one dimension weigh the same (as QUANTUM's 50/50 where
//! stated). Replace a `Source::Ours` entry when the specification is at hand.

/// The six elements of EHDS Art. 78(3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Element {
    /// (a) data documentation.
    Documentation,
    /// (b) technical quality.
    TechnicalQuality,
    /// (c) data quality management processes (QUANTUM's maturity model).
    QualityManagement,
    /// (d) coverage.
    Coverage,
    /// (e) access and provision.
    AccessProvision,
    /// (f) data enrichments.
    Enrichment,
}

impl Element {
    pub const ALL: [Self; 6] =
        [Self::Documentation, Self::TechnicalQuality, Self::QualityManagement, Self::Coverage, Self::AccessProvision, Self::Enrichment];

    pub fn id(self) -> &'static str {
        match self {
            Self::Documentation => "documentation",
            Self::TechnicalQuality => "technical-quality",
            Self::QualityManagement => "quality-management",
            Self::Coverage => "coverage",
            Self::AccessProvision => "access-provision",
            Self::Enrichment => "enrichment",
        }
    }

    /// The point of Art. 78(3).
    pub fn point(self) -> &'static str {
        match self {
            Self::Documentation => "a",
            Self::TechnicalQuality => "b",
            Self::QualityManagement => "c",
            Self::Coverage => "d",
            Self::AccessProvision => "e",
            Self::Enrichment => "f",
        }
    }

    pub fn name(self, en: bool) -> &'static str {
        match (self, en) {
            (Self::Documentation, false) => "Datadokumentation",
            (Self::Documentation, true) => "Data documentation",
            (Self::TechnicalQuality, false) => "Teknisk kvalitet",
            (Self::TechnicalQuality, true) => "Technical quality",
            (Self::QualityManagement, false) => "Kvalitetsarbete",
            (Self::QualityManagement, true) => "Data quality management",
            (Self::Coverage, false) => "Täckning",
            (Self::Coverage, true) => "Coverage",
            (Self::AccessProvision, false) => "Åtkomst och tillhandahållande",
            (Self::AccessProvision, true) => "Access and provision",
            (Self::Enrichment, false) => "Berikning",
            (Self::Enrichment, true) => "Data enrichments",
        }
    }

    /// Whether QUANTUM's dataset assessment has dimensions under it (the four EHDS
    /// categories); quality management is the maturity model, enrichment a statement.
    pub fn is_quantum_category(self) -> bool {
        matches!(self, Self::Documentation | Self::TechnicalQuality | Self::Coverage | Self::AccessProvision)
    }

    /// "(EU) 2025/327 art. 78.3 a" / "Art. 78(3)(a)".
    pub fn reference(self, en: bool) -> String {
        if en { format!("(EU) 2025/327 Art. 78(3)({})", self.point()) } else { format!("(EU) 2025/327 art. 78.3 {}", self.point()) }
    }
}

/// Where an entry of the specification comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// As QUANTUM's published assessment states it.
    Quantum,
    /// This catalogue's reading (see the module comment).
    Ours,
}

/// How a metric gets its level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// From evidence the catalogue holds (else a holder may state it).
    Computed,
    /// Only a holder can state it (the catalogue has no evidence of it).
    Declared,
}

/// One metric: its levels, lowest first (a level is its index).
#[derive(Clone, Copy, Debug)]
pub struct Metric {
    pub id: &'static str,
    pub dimension: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
    pub method: Method,
    pub source: Source,
    /// Weight within its dimension (the dimension's metrics are normalised).
    pub weight: f64,
    /// (sv, en) per level, level 0 first.
    pub levels: &'static [(&'static str, &'static str)],
    /// How the level is read from the evidence, in words (sv, en).
    pub rule_sv: &'static str,
    pub rule_en: &'static str,
}

impl Metric {
    pub fn name(&self, en: bool) -> &'static str {
        if en { self.en } else { self.sv }
    }

    pub fn rule(&self, en: bool) -> &'static str {
        if en { self.rule_en } else { self.rule_sv }
    }

    /// The highest level.
    pub fn top(&self) -> u8 {
        u8::try_from(self.levels.len().saturating_sub(1)).unwrap_or(u8::MAX)
    }

    pub fn level_name(&self, level: u8, en: bool) -> &'static str {
        self.levels.get(usize::from(level)).map_or("", |(sv, e)| if en { e } else { sv })
    }

    /// A level's share of the top level (0–1).
    pub fn value(&self, level: u8) -> f64 {
        if self.top() == 0 { 0.0 } else { f64::from(level.min(self.top())) / f64::from(self.top()) }
    }
}

/// One dimension.
#[derive(Clone, Copy, Debug)]
pub struct Dimension {
    pub id: &'static str,
    pub element: Element,
    /// QUANTUM's number ("1.1") or ours in the same style.
    pub number: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
    pub definition_sv: &'static str,
    pub definition_en: &'static str,
    /// Weight in the label's score, in per cent of all dimensions.
    pub weight: f64,
    pub source: Source,
}

impl Dimension {
    pub fn name(&self, en: bool) -> &'static str {
        if en { self.en } else { self.sv }
    }

    pub fn definition(&self, en: bool) -> &'static str {
        if en { self.definition_en } else { self.definition_sv }
    }

    pub fn metrics(&self) -> impl Iterator<Item = &'static Metric> + '_ {
        METRICS.iter().filter(move |m| m.dimension == self.id)
    }
}

/// QUANTUM's stated weights (per cent).
const ACCESSIBILITY_WEIGHT: f64 = 9.95;
const POPULATION_WEIGHT: f64 = 6.47;
/// The ten other dimensions share the rest equally (our choice, module comment).
const SHARED_WEIGHT: f64 = (100.0 - ACCESSIBILITY_WEIGHT - POPULATION_WEIGHT) / 10.0;

macro_rules! dim {
    ($id:literal, $el:ident, $no:literal, $sv:literal, $en:literal, $w:expr, $src:ident, $dsv:literal, $den:literal) => {
        Dimension {
            id: $id,
            element: Element::$el,
            number: $no,
            sv: $sv,
            en: $en,
            weight: $w,
            source: Source::$src,
            definition_sv: $dsv,
            definition_en: $den,
        }
    };
}

/// The twelve dimensions, in the label's order (by element, as Art. 78(3) lists them).
pub const DIMENSIONS: &[Dimension] = &[
    dim!(
        "metadata",
        Documentation,
        "3.1",
        "Metadata",
        "Metadata",
        SHARED_WEIGHT,
        Ours,
        "Datamängden är beskriven med de uppgifter EHDS och DCAT-AP-SE begär.",
        "The dataset is described with what EHDS and DCAT-AP-SE ask for."
    ),
    dim!(
        "data-dictionary",
        Documentation,
        "3.2",
        "Variabelbeskrivning och standarder",
        "Data dictionary and standards",
        SHARED_WEIGHT,
        Ours,
        "Variablerna är definierade, har datatyp eller kodlista och anger kodverk (art. 78.3 a: datamodell, datakatalog, standarder).",
        "The variables are defined, have a datatype or code list and name coding systems (Art. 78(3)(a): data model, data dictionary, standards)."
    ),
    dim!(
        "provenance",
        Documentation,
        "3.3",
        "Ursprung och dokumentation",
        "Provenance and support documentation",
        SHARED_WEIGHT,
        Ours,
        "Var data kommer ifrån och hur de tagits fram, med stödjande dokumentation.",
        "Where the data come from and how they were produced, with support documentation."
    ),
    dim!(
        "completeness",
        TechnicalQuality,
        "4.1",
        "Fullständighet",
        "Completeness",
        SHARED_WEIGHT,
        Ours,
        "De värden och leveranser som ska finnas finns.",
        "The values and deliveries that should be there are there."
    ),
    dim!(
        "uniqueness",
        TechnicalQuality,
        "4.2",
        "Unikhet",
        "Uniqueness",
        SHARED_WEIGHT,
        Ours,
        "Varje företeelse finns en gång; inga dubbletter.",
        "Each entity is there once; no duplicates."
    ),
    dim!(
        "accuracy",
        TechnicalQuality,
        "4.3",
        "Riktighet",
        "Accuracy",
        SHARED_WEIGHT,
        Ours,
        "Värdena stämmer med verkligheten de beskriver.",
        "The values agree with the reality they describe."
    ),
    dim!(
        "validity",
        TechnicalQuality,
        "4.4",
        "Giltighet",
        "Validity",
        SHARED_WEIGHT,
        Ours,
        "Värdena följer sina regler: datatyp, kodlista, intervall.",
        "The values follow their rules: datatype, code list, range."
    ),
    dim!(
        "timeliness",
        TechnicalQuality,
        "4.5",
        "Aktualitet",
        "Timeliness",
        SHARED_WEIGHT,
        Ours,
        "Datamängden uppdateras så ofta som den sägs uppdateras.",
        "The dataset is updated as often as it says it is."
    ),
    dim!(
        "consistency",
        TechnicalQuality,
        "4.6",
        "Konsistens",
        "Consistency",
        SHARED_WEIGHT,
        Ours,
        "Leveranserna har samma struktur mellan regioner och perioder.",
        "Deliveries keep one structure across regions and periods."
    ),
    dim!(
        "population-coverage",
        Coverage,
        "2.1",
        "Populationstäckning",
        "Population coverage",
        POPULATION_WEIGHT,
        Quantum,
        "I vilken grad datamängden omfattar den möjliga populationen.",
        "The degree to which a dataset includes the potential eligible population."
    ),
    dim!(
        "time-and-place",
        Coverage,
        "2.2",
        "Tid och geografi",
        "Time and place",
        SHARED_WEIGHT,
        Ours,
        "Vilka år och vilket område datamängden omfattar (art. 78.3 d: tidsram).",
        "Which years and which area the dataset covers (Art. 78(3)(d): timeframe)."
    ),
    dim!(
        "accessibility",
        AccessProvision,
        "1.1",
        "Tillgänglighet",
        "Accessibility",
        ACCESSIBILITY_WEIGHT,
        Quantum,
        "Datamängden har tydliga och öppet redovisade villkor för åtkomst och användning.",
        "The dataset is accompanied by clear and transparent access and usage conditions."
    ),
];

const SHARE_LEVELS: &[(&str, &str)] = &[("under 50 %", "under 50 %"), ("50–79 %", "50–79 %"), ("80–99 %", "80–99 %"), ("alla", "all")];

/// Every metric, by dimension in [`DIMENSIONS`] order.
pub const METRICS: &[Metric] = &[
    Metric {
        id: "ehds-elements",
        dimension: "metadata",
        sv: "EHDS minimielement",
        en: "EHDS minimum elements",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: SHARE_LEVELS,
        rule_sv: "Andelen av de 25 minimielementen i (EU) 2026/2098 bilaga del B som finns eller kan härledas (samma bedömning som /kvalitet/ehds).",
        rule_en: "The share of the 25 minimum elements of (EU) 2026/2098 Annex Part B that are present or derivable (the judgement of /kvalitet/ehds).",
    },
    Metric {
        id: "dcat-completeness",
        dimension: "metadata",
        sv: "Fullständighet i DCAT-AP-SE",
        en: "DCAT-AP-SE completeness",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: SHARE_LEVELS,
        rule_sv: "Andelen ifyllda obligatoriska, rekommenderade och valfria egenskaper (samma mått som metadatakvaliteten).",
        rule_en: "The share of mandatory, recommended and optional properties filled in (the measure of the metadata quality page).",
    },
    Metric {
        id: "variables-described",
        dimension: "data-dictionary",
        sv: "Beskrivna variabler",
        en: "Variables described",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("inga variabler i katalogen", "no variables catalogued"),
            ("under hälften beskrivna", "under half described"),
            ("50–89 % beskrivna", "50–89 % described"),
            ("minst 90 % beskrivna", "at least 90 % described"),
        ],
        rule_sv: "Andelen publicerade variabler (i datamängden och dess delar) med definition och datatyp eller kodlista.",
        rule_en: "The share of published variables (of the dataset and its parts) with a definition and a datatype or code list.",
    },
    Metric {
        id: "coding-systems",
        dimension: "data-dictionary",
        sv: "Kodverk och standarder",
        en: "Coding systems and standards",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("inga angivna", "none named"),
            ("anges av variablerna", "named by the variables"),
            ("angivna för datamängden", "stated for the dataset"),
        ],
        rule_sv: "Datamängdens healthdcatap:hasCodingSystem eller dct:conformsTo; annars variablernas kodverk.",
        rule_en: "The dataset's healthdcatap:hasCodingSystem or dct:conformsTo; else its variables' coding systems.",
    },
    Metric {
        id: "provenance-statement",
        dimension: "provenance",
        sv: "Ursprung",
        en: "Provenance",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("saknas", "missing"),
            ("ursprung eller aktivitet angiven", "a statement or an activity"),
            ("både ursprung och aktivitet", "both a statement and an activity"),
        ],
        rule_sv: "dct:provenance (fri text om ursprung) och prov:wasGeneratedBy (den verksamhet som skapade data).",
        rule_en: "dct:provenance (a statement of origin) and prov:wasGeneratedBy (the activity that generated the data).",
    },
    Metric {
        id: "support-documentation",
        dimension: "provenance",
        sv: "Stödjande dokumentation",
        en: "Support documentation",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[("ingen", "none"), ("ett slag", "one kind"), ("två slag eller fler", "two kinds or more")],
        rule_sv: "Slag av dokumentation: landningssida, dokumentationssida (foaf:page), specifikation som följs (dct:conformsTo).",
        rule_en: "Kinds of documentation: landing page, documentation page (foaf:page), specification followed (dct:conformsTo).",
    },
    Metric {
        id: "required-values",
        dimension: "completeness",
        sv: "Ifyllda obligatoriska värden",
        en: "Required values filled",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[("under 80 %", "under 80 %"), ("80–94 %", "80–94 %"), ("95–98 %", "95–98 %"), ("minst 99 %", "at least 99 %")],
        rule_sv: "I regionernas senaste leveransrapporter per period: andelen obligatoriska celler (rader × obligatoriska kolumner) som har ett värde; en kolumn som saknas räknas som tom.",
        rule_en: "In the regions' latest delivery reports per period: the share of required cells (rows × required columns) that hold a value; a missing column counts as empty.",
    },
    Metric {
        id: "regions-delivering",
        dimension: "completeness",
        sv: "Regioner som levererar",
        en: "Regions delivering",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: SHARE_LEVELS,
        rule_sv: "Andelen av katalogens regioner som har lämnat minst en leveransrapport till datainsamlingen.",
        rule_en: "The share of the catalogue's regions that have sent at least one delivery report to the data collection.",
    },
    Metric {
        id: "duplicates",
        dimension: "uniqueness",
        sv: "Dubbletter",
        en: "Duplicates",
        method: Method::Declared,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("mer än 5 %", "more than 5 %"),
            ("1–5 %", "1–5 %"),
            ("under 1 %", "under 1 %"),
            ("inga funna vid kontroll", "none found when checked"),
        ],
        rule_sv: "Innehavarens uppgift om andelen dubblettposter (katalogen ser inga värden).",
        rule_en: "The holder's statement of the share of duplicate records (the catalogue sees no values).",
    },
    Metric {
        id: "accuracy-checks",
        dimension: "accuracy",
        sv: "Kontroll mot källan",
        en: "Checks against the source",
        method: Method::Declared,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("inte kontrollerad", "not checked"),
            ("stickprov mot källan", "sampled against the source"),
            ("systematisk kontroll med redovisat resultat", "systematic checks with reported results"),
        ],
        rule_sv: "Innehavarens uppgift om hur värdena kontrolleras mot källan (journal, kvalitetsregister).",
        rule_en: "The holder's statement of how the values are checked against their source (records, quality registers).",
    },
    Metric {
        id: "valid-values",
        dimension: "validity",
        sv: "Giltiga värden",
        en: "Valid values",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[("under 90 %", "under 90 %"), ("90–97 %", "90–97 %"), ("98–99,8 %", "98–99.8 %"), ("minst 99,9 %", "at least 99.9 %")],
        rule_sv: "I regionernas senaste leveransrapporter per period: andelen ifyllda värden som följer datatyp, kodlista och intervall.",
        rule_en: "In the regions' latest delivery reports per period: the share of filled values that follow their datatype, code list and range.",
    },
    Metric {
        id: "update-on-schedule",
        dimension: "timeliness",
        sv: "Uppdaterad enligt plan",
        en: "Updated on schedule",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("äldre än två intervall", "older than two intervals"),
            ("inom två intervall", "within two intervals"),
            ("inom ett intervall", "within one interval"),
        ],
        rule_sv: "Senaste ändring (dct:modified, annars när posten i katalogen senast ändrades) jämförd med uppdateringsfrekvensen (dct:accrualPeriodicity) och dagens datum; oregelbunden eller aldrig uppdaterad räknas inte.",
        rule_en: "The last modification (dct:modified, else when the catalogue's record last changed) against the update frequency (dct:accrualPeriodicity) and today; irregular or never-updated datasets are not judged.",
    },
    Metric {
        id: "stable-structure",
        dimension: "consistency",
        sv: "Samma kolumner mellan perioder",
        en: "Same columns across periods",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[("under 80 %", "under 80 %"), ("80–94 %", "80–94 %"), ("95–99 %", "95–99 %"), ("alla", "all")],
        rule_sv: "Andelen av regionernas senaste leveranser per period där alla obligatoriska kolumner finns med.",
        rule_en: "The share of the regions' latest deliveries per period in which every required column is there.",
    },
    Metric {
        id: "coverage-rate",
        dimension: "population-coverage",
        sv: "Täckningsgrad",
        en: "Coverage rate",
        method: Method::Declared,
        source: Source::Quantum,
        weight: 1.0,
        levels: &[
            ("under 25 %", "under 25 %"),
            ("25–49 %", "25–49 %"),
            ("50–74 %", "50–74 %"),
            ("75–94 %", "75–94 %"),
            ("minst 95 %", "at least 95 %"),
        ],
        rule_sv: "Andelen av den möjliga populationen som finns i datamängden, enligt innehavaren (QUANTUM mått 1; nivågränserna är katalogens).",
        rule_en: "The share of the eligible population represented in the dataset, as the holder states it (QUANTUM metric 1; the level bounds are this catalogue's).",
    },
    Metric {
        id: "population-described",
        dimension: "population-coverage",
        sv: "Populationen beskriven",
        en: "Population described",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[("nej", "no"), ("beskriven", "described"), ("beskriven med antal individer", "described with the number of individuals")],
        rule_sv: "healthdcatap:populationCoverage eller åldersintervall, och antal unika individer (healthdcatap:numberOfUniqueIndividuals).",
        rule_en: "healthdcatap:populationCoverage or an age range, and the number of unique individuals (healthdcatap:numberOfUniqueIndividuals).",
    },
    Metric {
        id: "temporal-coverage",
        dimension: "time-and-place",
        sv: "Tidsperiod",
        en: "Time period",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("ingen period angiven", "no period stated"),
            ("period för datamängden eller variablerna", "a period of the dataset or its variables"),
            ("datamängdens period stämmer med variablernas", "the dataset's period agrees with its variables'"),
        ],
        rule_sv: "dct:temporal på datamängden och variablerna; de stämmer när variablernas år ligger inom datamängdens.",
        rule_en: "dct:temporal of the dataset and of its variables; they agree when the variables' years lie within the dataset's.",
    },
    Metric {
        id: "geographical-coverage",
        dimension: "time-and-place",
        sv: "Geografiskt område",
        en: "Geographical area",
        method: Method::Computed,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("saknas", "missing"),
            ("kan härledas (utgivaren är en region)", "derivable (the publisher is a region)"),
            ("angivet", "stated"),
        ],
        rule_sv: "dct:spatial på datamängden; annars utgivarens län.",
        rule_en: "dct:spatial of the dataset; else its publisher's county.",
    },
    Metric {
        id: "access-policy",
        dimension: "accessibility",
        sv: "Villkor för åtkomst och användning",
        en: "Data access and usage policy",
        method: Method::Computed,
        source: Source::Quantum,
        weight: 50.0,
        levels: &[
            ("ingen policy", "no policy available"),
            ("grundläggande policy", "basic policy available"),
            ("utförlig policy", "comprehensive policy available"),
        ],
        rule_sv: "QUANTUM mått 1, mätt som dct:accessRights; utförlig när också villkoren går att läsa (licens eller rättigheter på en distribution, en landningssida) eller tillståndsmyndigheten anges.",
        rule_en: "QUANTUM metric 1, measured as dct:accessRights; comprehensive when the conditions can also be read (a licence or rights on a distribution, a landing page) or the HDAB is named.",
    },
    Metric {
        id: "time-to-data",
        dimension: "accessibility",
        sv: "Tid från ansökan till data",
        en: "Time from application to data",
        method: Method::Declared,
        source: Source::Quantum,
        weight: 50.0,
        levels: &[
            ("mer än 6 månader", "more than 6 months"),
            ("3–6 månader", "3 to 6 months"),
            ("1–3 månader", "1 to 3 months"),
            ("under 1 månad", "less than 1 month"),
        ],
        rule_sv: "QUANTUM mått 2: genomsnittlig tid från ansökan om åtkomst till utlämnade data, enligt tillståndsmyndigheten eller innehavaren.",
        rule_en: "QUANTUM metric 2: the average time from a data access application to data release, as the HDAB or the holder gives it.",
    },
    Metric {
        id: "enrichments",
        dimension: "",
        sv: "Berikning och länkning",
        en: "Enrichments and links",
        method: Method::Declared,
        source: Source::Ours,
        weight: 1.0,
        levels: &[
            ("inga beskrivna", "none described"),
            ("beskrivna", "described"),
            ("beskrivna med länkar till samkörda datamängder", "described with links to the linked datasets"),
        ],
        rule_sv: "Art. 78.3 f: innehavarens beskrivning av sammanslagningar och tillägg, även länkar till andra datamängder. Ingår inte i poängen.",
        rule_en: "Art. 78(3)(f): the holder's account of merged and added data, links with other datasets included. Not part of the score.",
    },
];

/// The metric with this id.
pub fn metric(id: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.id == id)
}

/// The dimension with this id.
pub fn dimension(id: &str) -> Option<&'static Dimension> {
    DIMENSIONS.iter().find(|d| d.id == id)
}

/// The label's class from its score (0–100): A from 80, B from 60, C from 40, D from 20, else
/// E. The implementing act of Art. 78(5) will set the label's classes and look; until then this
/// is the catalogue's own banding (recital 85 asks only that the poorest class exist).
pub fn class_of(score: f64) -> char {
    match score {
        s if s >= 80.0 => 'A',
        s if s >= 60.0 => 'B',
        s if s >= 40.0 => 'C',
        s if s >= 20.0 => 'D',
        _ => 'E',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_dimensions_weigh_one_hundred_per_cent() {
        assert_eq!(DIMENSIONS.len(), 12);
        let total: f64 = DIMENSIONS.iter().map(|d| d.weight).sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
        assert_eq!(dimension("accessibility").unwrap().weight, 9.95);
        assert_eq!(dimension("population-coverage").unwrap().weight, 6.47);
    }

    #[test]
    fn every_dimension_has_metrics_and_every_metric_a_known_home() {
        for d in DIMENSIONS {
            assert!(d.metrics().count() >= 1, "{}", d.id);
            assert!(d.element.is_quantum_category(), "{}", d.id);
        }
        for m in METRICS {
            assert!(m.dimension.is_empty() || dimension(m.dimension).is_some(), "{}", m.id);
            assert!(m.levels.len() >= 2, "{}", m.id);
            assert!(!m.rule_sv.is_empty() && !m.rule_en.is_empty(), "{}", m.id);
        }
        let ids: std::collections::BTreeSet<&str> = METRICS.iter().map(|m| m.id).collect();
        assert_eq!(ids.len(), METRICS.len(), "ids are unique");
    }

    #[test]
    fn quantum_levels_are_kept_as_published() {
        let policy = metric("access-policy").unwrap();
        assert_eq!(policy.top(), 2);
        assert_eq!(policy.level_name(0, true), "no policy available");
        let time = metric("time-to-data").unwrap();
        assert_eq!(time.top(), 3);
        assert_eq!(time.level_name(3, true), "less than 1 month");
        assert_eq!(time.value(3), 1.0);
        assert_eq!(time.value(0), 0.0);
    }

    #[test]
    fn classes_band_the_score() {
        assert_eq!(class_of(100.0), 'A');
        assert_eq!(class_of(79.9), 'B');
        assert_eq!(class_of(40.0), 'C');
        assert_eq!(class_of(0.0), 'E');
    }
}
