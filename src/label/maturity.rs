//! QUANTUM's Data Holders' Maturity Model: ten dimensions, each assessed on five levels, by the
//! holder itself, per organisation (or per data governance workflow where maturity differs).
//!
//! Source: QUANTUM "Maturity Assessment" (healthinformationportal.eu/node/6715): the five
//! levels (1 Initial: a new or undocumented process, unpredictable, poorly controlled and
//! reactive; 2 Emerging/Documented/Structured: documented enough that the steps can be
//! repeated; 3 Defined: defined and confirmed as a standard process; 4 Managed: quantitatively
//! and proactively managed by agreed metrics; 5 Optimised: deliberate process optimisation) and
//! the ten dimensions with their definitions, as listed below. QUANTUM's overview
//! (healthinformationportal.eu/node/6714) adds that maturity is not one aggregate score for an
//! organisation; so the catalogue shows every dimension's level and never averages them.
//!
//! The label's element "data quality management processes" (EHDS Art. 78(3)(c): the maturity of
//! the processes, review and audit) is read from one dimension, "Data management – governance"
//! (a data management plan covering collection, auditing and management, QUANTUM's level 2),
//! which is the dimension that speaks of audit; that choice is the catalogue's.

/// The five levels (1–5), with QUANTUM's general definitions.
pub const LEVELS: &[(u8, &str, &str, &str, &str)] = &[
    (
        1,
        "Initial",
        "Initial",
        "En ny eller odokumenterad process; oförutsägbar, dåligt styrd och reaktiv.",
        "A new or undocumented process; unpredictable, poorly controlled, and reactive.",
    ),
    (
        2,
        "Framväxande / dokumenterad",
        "Emerging / Documented / Structured",
        "Processen är så dokumenterad att stegen kan upprepas.",
        "The process is documented sufficiently so that repeating the same steps may be attempted.",
    ),
    (
        3,
        "Definierad",
        "Defined",
        "Processen är definierad och fastställd som standard.",
        "The process is defined and confirmed as a standard process.",
    ),
    (
        4,
        "Styrd",
        "Managed",
        "Processen styrs kvantitativt och proaktivt efter överenskomna mått.",
        "The process is quantitatively and proactively managed in accordance with agreed-upon metrics.",
    ),
    (
        5,
        "Optimerad",
        "Optimised",
        "Processen förbättras medvetet och fortlöpande.",
        "Process management includes deliberate process optimisation.",
    ),
];

/// One maturity dimension.
#[derive(Clone, Copy, Debug)]
pub struct MaturityDimension {
    pub id: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
    pub definition_sv: &'static str,
    pub definition_en: &'static str,
}

impl MaturityDimension {
    pub fn name(&self, en: bool) -> &'static str {
        if en { self.en } else { self.sv }
    }

    pub fn definition(&self, en: bool) -> &'static str {
        if en { self.definition_en } else { self.definition_sv }
    }
}

macro_rules! md {
    ($id:literal, $sv:literal, $en:literal, $dsv:literal, $den:literal) => {
        MaturityDimension { id: $id, sv: $sv, en: $en, definition_sv: $dsv, definition_en: $den }
    };
}

/// The ten dimensions, in QUANTUM's order.
pub const DIMENSIONS: &[MaturityDimension] = &[
    md!(
        "data-collection",
        "Datainsamling",
        "Data collection process",
        "Processerna för att samla in data från flera källor för sekundär användning.",
        "The processes relating to the capture of data from multiple sources for secondary purposes."
    ),
    md!(
        "governance",
        "Datahantering – styrning",
        "Data management – governance",
        "Mognaden i datahanteringens processer (en datahanteringsplan för insamling, granskning och förvaltning).",
        "The level of maturity of the data management processes."
    ),
    md!(
        "infrastructure",
        "Datahantering – infrastruktur",
        "Data management – infrastructure",
        "Hur långt innehavarens infrastruktur för datahantering är genomförd och utvecklad.",
        "The level of implementation and development of the data holder's data management infrastructure."
    ),
    md!(
        "provenance",
        "Dataursprung",
        "Data provenance",
        "En tydlig och fullständig beskrivning av datamängdens härkomst och av kedjan som tog fram den.",
        "Clear description of the lineage of the dataset, documenting the data pipeline used to obtain it."
    ),
    md!(
        "access",
        "Åtkomst",
        "Data access",
        "Hur väl processerna för åtkomst är definierade och genomförda, juridiskt, etiskt och tekniskt.",
        "How well defined and implemented data access processes are, from a legal, ethical, and technical perspective."
    ),
    md!(
        "analytics",
        "Analysmiljö",
        "Data analytics environment",
        "Analystjänster, verktyg och tillgång till säkra miljöer för databehandling.",
        "Analytical services, tooling, and access to secure data environments."
    ),
    md!(
        "augmentation",
        "Förbättring – komplettering",
        "Data enhancement – augmentation",
        "Tekniker som gör data mer användbara för bestämda ändamål.",
        "The application of various techniques to make data more usable for specific purposes."
    ),
    md!(
        "enrichment",
        "Förbättring – berikning",
        "Data enhancement – enrichment",
        "Datakällor berikade med t.ex. annoteringar, bildetiketter, härledningar och NLP-etiketter.",
        "Data sources enriched, for example, with annotations, image labels, phenomes, derivations, and NLP-derived data labels."
    ),
    md!(
        "data-model",
        "Datamodell",
        "Data model",
        "En tydlig, dokumenterad datamodell som ger struktur och standardisering.",
        "Availability of a clear, documented data model that provides structure and standardisation."
    ),
    md!(
        "data-dictionary",
        "Variabelbeskrivning",
        "Data dictionary",
        "Dokumenterad variabelbeskrivning (datakatalog) och terminologier.",
        "Provided documented data dictionary and terminologies."
    ),
];

/// The dimension the label's quality-management element reads (module comment).
pub const QUALITY_MANAGEMENT: &str = "governance";

pub fn dimension(id: &str) -> Option<&'static MaturityDimension> {
    DIMENSIONS.iter().find(|d| d.id == id)
}

/// A level's name.
pub fn level_name(level: u8, en: bool) -> &'static str {
    LEVELS.iter().find(|l| l.0 == level).map_or("", |l| if en { l.2 } else { l.1 })
}

/// A level's definition.
pub fn level_definition(level: u8, en: bool) -> &'static str {
    LEVELS.iter().find(|l| l.0 == level).map_or("", |l| if en { l.4 } else { l.3 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_dimensions_on_five_levels() {
        assert_eq!(DIMENSIONS.len(), 10);
        assert_eq!(LEVELS.iter().map(|l| l.0).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert!(dimension(QUALITY_MANAGEMENT).is_some());
        assert_eq!(level_name(5, true), "Optimised");
        assert_eq!(level_name(9, true), "");
    }
}
