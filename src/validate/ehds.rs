//! The EHDS minimum dataset-description elements: what Commission Implementing Regulation
//! (EU) 2026/2098 (18 September 2026, applies from 26 March 2029) asks every health data holder
//! to give for each dataset (its Annex, Part B), expressed with the definitions, cardinalities
//! and controlled vocabularies of the latest HealthDCAT-AP release (Release 8).
//!
//! Owns: the list of elements ([`ELEMENTS`]: name and help text in Swedish and English, the
//! RDF property, the legal reference, the Release 8 obligation), judging one dataset
//! ([`assess`]: each element present, derivable from what the catalogue already holds, missing,
//! or not applicable), and the readiness of the whole public catalogue ([`readiness`]: the table
//! of `/kvalitet/ehds`, its CSV and the JSON of `/api/v1/ehds`). The validator's rules for the
//! same elements are in `schemas/healthdcat-ap.ttl` (`health-*`, each message ending in the article reference); the form fields, workbook
//! columns and quality-page lines use the names and help texts here.
//!
//! "Derivable" means the profiles publish the element from facts the catalogue holds although
//! the curator has not stated it (the identifier from the IRI, the EHDS legislation, whether
//! the data are structured from the catalogued variables, …), or that a curator can state it
//! from such facts (the custodian from a single owner). The Annex itself was not at hand: the
//! element list is the reading of Part B, checked against the consultation summary of
//! the draft regulation (access rights, applicable legislation, coding system, custodian,
//! distribution, geographical coverage, health category, HDAB, identifier, provenance,
//! temporal coverage, variables, …).

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::NamedNode;

use crate::catalog::Catalogue;
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::eu;
use crate::model::{Agent, Dataset, Distribution};
use crate::store::{StoreError, queries};

/// The regulation all elements come from.
pub const REGULATION: &str = "(EU) 2026/2098";
/// Where the elements are listed in it.
pub const ANNEX: &str = "Annex, Part B";

/// How HealthDCAT-AP Release 8 weighs an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obligation {
    Mandatory,
    /// Mandatory for NON_PUBLIC datasets, recommended or optional for the others.
    MandatoryNonPublic,
    Recommended,
    Optional,
}

impl Obligation {
    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (Self::Mandatory, false) => "obligatorisk",
            (Self::Mandatory, true) => "mandatory",
            (Self::MandatoryNonPublic, false) => "obligatorisk för NON_PUBLIC",
            (Self::MandatoryNonPublic, true) => "mandatory for NON_PUBLIC",
            (Self::Recommended, false) => "rekommenderad",
            (Self::Recommended, true) => "recommended",
            (Self::Optional, false) => "valfri",
            (Self::Optional, true) => "optional",
        }
    }
}

/// One minimum element.
#[derive(Clone, Copy, Debug)]
pub struct Element {
    /// Stable id: the CSV column and the JSON key of the readiness view.
    pub id: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
    /// The RDF property (path) the element is published as.
    pub property: &'static str,
    /// The legal reference beside the Annex: the EHDS article that defines the element.
    pub article: &'static str,
    pub obligation: Obligation,
    pub help_sv: &'static str,
    pub help_en: &'static str,
}

impl Element {
    pub fn name(&self, en: bool) -> &'static str {
        if en { self.en } else { self.sv }
    }

    pub fn help(&self, en: bool) -> &'static str {
        if en { self.help_en } else { self.help_sv }
    }

    /// The full legal reference, e.g. "(EU) 2026/2098, bilaga del B; (EU) 2025/327 art. 51".
    pub fn reference(&self, en: bool) -> String {
        let annex = if en { ANNEX } else { "bilaga, del B" };
        if self.article.is_empty() {
            format!("{REGULATION}, {annex}")
        } else if en {
            format!("{REGULATION}, {annex}; (EU) 2025/327 Art. {}", self.article)
        } else {
            format!("{REGULATION}, {annex}; (EU) 2025/327 art. {}", self.article)
        }
    }
}

macro_rules! el {
    ($id:literal, $sv:literal, $en:literal, $prop:literal, $art:literal, $ob:ident, $hsv:literal, $hen:literal) => {
        Element { id: $id, sv: $sv, en: $en, property: $prop, article: $art, obligation: Obligation::$ob, help_sv: $hsv, help_en: $hen }
    };
}

/// The minimum elements, in the order the views show them.
pub const ELEMENTS: &[Element] = &[
    el!(
        "title",
        "Titel",
        "Title",
        "dct:title",
        "",
        Mandatory,
        "Datamängdens namn, på svenska och gärna på engelska.",
        "The dataset's name, in Swedish and preferably in English."
    ),
    el!(
        "description",
        "Beskrivning",
        "Description",
        "dct:description",
        "",
        Mandatory,
        "Vad datamängden innehåller, i fri text.",
        "What the dataset contains, in free text."
    ),
    el!(
        "identifier",
        "Identifierare",
        "Identifier",
        "dct:identifier",
        "",
        Mandatory,
        "En beständig identifierare; katalogen publicerar datamängdens IRI.",
        "A persistent identifier; the catalogue publishes the dataset's IRI."
    ),
    el!(
        "dataset-type",
        "Typ av datamängd",
        "Dataset type",
        "dct:type",
        "",
        MandatoryNonPublic,
        "Typ ur EU:s lista dataset-type, t.ex. personuppgifter (PERSONAL_DATA) eller statistik (STATISTICAL).",
        "A type from the EU dataset-type list, e.g. personal data (PERSONAL_DATA) or statistics (STATISTICAL)."
    ),
    el!(
        "health-category",
        "Hälsodatakategori",
        "Health category",
        "healthdcatap:healthCategory",
        "51",
        Mandatory,
        "Minst en av kategorierna i EHDS artikel 51 (HealthDCAT-AP:s lista healthcategories).",
        "At least one of the categories of EHDS Article 51 (HealthDCAT-AP's healthcategories list)."
    ),
    el!(
        "health-theme",
        "Hälsotema",
        "Health theme",
        "healthdcatap:healthTheme",
        "",
        Recommended,
        "Ämnen ur HealthDCAT-AP:s lista health-theme, t.ex. cancer.",
        "Subjects from HealthDCAT-AP's health-theme list, e.g. cancer."
    ),
    el!(
        "keywords",
        "Nyckelord",
        "Keywords",
        "dcat:keyword",
        "",
        MandatoryNonPublic,
        "Sökord, på svenska och engelska.",
        "Search words, in Swedish and English."
    ),
    el!(
        "access-rights",
        "Åtkomsträttigheter",
        "Access rights",
        "dct:accessRights",
        "",
        Mandatory,
        "PUBLIC, RESTRICTED eller NON_PUBLIC; avgör vilka fler uppgifter som krävs.",
        "PUBLIC, RESTRICTED or NON_PUBLIC; decides what else is required."
    ),
    el!(
        "applicable-legislation",
        "Tillämplig lagstiftning",
        "Applicable legislation",
        "dcatap:applicableLegislation",
        "",
        Mandatory,
        "ELI-adresser till lagar som gäller datamängden; EHDS-förordningen läggs alltid till.",
        "ELI addresses of the laws that apply; the EHDS Regulation is always added."
    ),
    el!(
        "hdab",
        "Organ för tillgång till hälsodata (HDAB)",
        "Health data access body (HDAB)",
        "healthdcatap:hdab",
        "55",
        Mandatory,
        "Det organ som beslutar om tillgång till datamängden, även för öppna data.",
        "The body that decides on access to the dataset, also for open data."
    ),
    el!(
        "custodian",
        "Hälsodatainnehavare",
        "Health data holder (custodian)",
        "geodcatap:custodian",
        "2(2)(t)",
        Recommended,
        "Den som håller och förvaltar datamängden (registerhållaren); kan skilja sig från utgivaren.",
        "Who holds and maintains the dataset (the register holder); may differ from the publisher."
    ),
    el!(
        "publisher",
        "Utgivare",
        "Publisher",
        "dct:publisher",
        "",
        Recommended,
        "Organisationen som gör datamängden tillgänglig.",
        "The organisation that makes the dataset available."
    ),
    el!(
        "contact",
        "Kontaktuppgift",
        "Contact point",
        "dcat:contactPoint",
        "",
        MandatoryNonPublic,
        "Var forskare kan fråga om datamängden: e-post och webbsida.",
        "Where researchers can ask about the dataset: e-mail and web page."
    ),
    el!(
        "personal-data",
        "Personuppgifter",
        "Personal data",
        "dpv:hasPersonalData",
        "",
        Recommended,
        "Vilka slags personuppgifter datamängden innehåller (DPV:s lista dpv-pd), om den har personuppgifter.",
        "Which kinds of personal data the dataset holds (the DPV dpv-pd list), if it holds any."
    ),
    el!(
        "unique-individuals",
        "Uppskattat antal unika individer",
        "Estimated number of unique individuals",
        "healthdcatap:numberOfUniqueIndividuals",
        "",
        Recommended,
        "Ungefärligt antal personer i datamängden, när den har personuppgifter.",
        "Approximately how many people the dataset covers, when it holds personal data."
    ),
    el!(
        "population-coverage",
        "Populationstäckning",
        "Population coverage",
        "healthdcatap:populationCoverage",
        "",
        Recommended,
        "Vilken population datamängden täcker, i fri text.",
        "Which population the dataset covers, in free text."
    ),
    el!(
        "geographical-coverage",
        "Geografisk täckning",
        "Geographical coverage",
        "dct:spatial",
        "",
        Optional,
        "Området datamängden täcker, t.ex. Sverige.",
        "The area the dataset covers, e.g. Sweden."
    ),
    el!(
        "temporal-coverage",
        "Tidsmässig täckning",
        "Temporal coverage",
        "dct:temporal",
        "",
        Optional,
        "Perioden datamängden täcker, t.ex. 1987–.",
        "The period the dataset covers, e.g. 1987–."
    ),
    el!(
        "provenance",
        "Ursprung",
        "Provenance",
        "dct:provenance / prov:wasGeneratedBy",
        "",
        MandatoryNonPublic,
        "Hur uppgifterna kommer till (vem som rapporterar, hur de samlas in) och vilken verksamhet som ger upphov till dem.",
        "How the data come about (who reports, how they are collected) and which activity generates them."
    ),
    el!(
        "structured",
        "Strukturerade data",
        "Structured data",
        "healthdcatap:hasStructuredData",
        "",
        Mandatory,
        "Ja om datamängdens variabler kan beskrivas maskinläsbart; då ska variablerna finnas i katalogen.",
        "Yes when the dataset's variables can be described machine-readably; then the variables must be in the catalogue."
    ),
    el!(
        "coding-systems",
        "Kodverk",
        "Coding systems",
        "healthdcatap:hasCodingSystem",
        "",
        Recommended,
        "Klassifikationer och terminologier som används (ICD-10-SE, KVÅ, ATC …).",
        "Classifications and terminologies in use (ICD-10-SE, KVÅ, ATC …)."
    ),
    el!(
        "code-values",
        "Kodvärden",
        "Code values",
        "healthdcatap:hasCodeValues",
        "",
        Recommended,
        "Kodvärden som beskriver datamängden, i fri text (t.ex. S72.0), ett per rad.",
        "Code values that describe the dataset, as text (e.g. S72.0), one a line."
    ),
    el!(
        "variables",
        "Variabler",
        "Variables",
        "healthdcatap:hasVariables",
        "",
        Recommended,
        "Variablerna (datamängdens datakatalog), registrerade som variabler i katalogen.",
        "The variables (the data dictionary), recorded as variables in the catalogue."
    ),
    el!(
        "distributions",
        "Distributioner med format",
        "Distributions with format",
        "dcat:distribution / dct:format",
        "",
        Mandatory,
        "Minst en distribution (t.ex. en beställningssida) med format ur EU:s lista file-type.",
        "At least one distribution (e.g. an ordering page) with a format from the EU file-type list."
    ),
];

/// The element with this id.
pub fn element(id: &str) -> Option<&'static Element> {
    ELEMENTS.iter().find(|e| e.id == id)
}

/// How an element stands for one dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Present,
    /// Not stated, but published (or stateable) from facts the catalogue holds: why.
    Derivable(&'static str, &'static str),
    Missing,
    NotApplicable,
}

impl Status {
    pub fn id(&self) -> &'static str {
        match self {
            Self::Present => "present",
            Self::Derivable(..) => "derivable",
            Self::Missing => "missing",
            Self::NotApplicable => "not-applicable",
        }
    }

    pub fn label(&self, en: bool) -> &'static str {
        match (self, en) {
            (Self::Present, false) => "finns",
            (Self::Present, true) => "present",
            (Self::Derivable(..), false) => "kan härledas",
            (Self::Derivable(..), true) => "derivable",
            (Self::Missing, false) => "saknas",
            (Self::Missing, true) => "missing",
            (Self::NotApplicable, false) => "ej tillämplig",
            (Self::NotApplicable, true) => "not applicable",
        }
    }

    pub fn why(&self, en: bool) -> Option<&'static str> {
        match self {
            Self::Derivable(sv, e) => Some(if en { e } else { sv }),
            _ => None,
        }
    }
}

/// What the catalogue knows of a dataset beyond its record.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Public variables of the dataset and of its parts.
    pub variables: queries::VariableFacts,
    pub distributions: usize,
    pub distributions_with_format: usize,
    /// Distributions without `dct:format` whose media type gives one.
    pub formats_derivable: usize,
    /// Whether the publisher's record has a contact point.
    pub publisher_contact: bool,
    /// Whether the publisher is a region (has a län).
    pub publisher_region: bool,
}

fn personal(d: &Dataset) -> bool {
    !d.personal_data.is_empty() || d.dataset_type.as_ref().is_some_and(|t| t.as_str() == format!("{}PERSONAL_DATA", eu::DATASET_TYPE))
}

/// Every element's status for one dataset.
pub fn assess(d: &Dataset, f: &Facts) -> Vec<(&'static Element, Status)> {
    use Status::*;
    let present = |b: bool| if b { Present } else { Missing };
    ELEMENTS
        .iter()
        .map(|e| {
            let s = match e.id {
                "title" => present(!d.title.is_empty()),
                "description" => present(!d.description.is_empty()),
                "identifier" => match d.identifier {
                    Some(_) => Present,
                    None => Derivable(
                        "Katalogen publicerar datamängdens IRI som identifierare.",
                        "The catalogue publishes the dataset's IRI as its identifier.",
                    ),
                },
                "dataset-type" => present(d.dataset_type.is_some()),
                "health-category" => present(!d.health_categories.is_empty()),
                "health-theme" => present(!d.health_themes.is_empty()),
                "keywords" => present(!d.keywords.is_empty()),
                "access-rights" => present(d.access_rights.is_some()),
                "applicable-legislation" => {
                    if d.applicable_legislation.iter().any(|l| l.as_str() == eu::EHDS_ELI) {
                        Present
                    } else {
                        Derivable(
                            "EHDS-förordningen läggs till i HealthDCAT-AP-profilerna.",
                            "The EHDS Regulation is added in the HealthDCAT-AP profiles.",
                        )
                    }
                }
                "hdab" => present(d.hdab.is_some()),
                "custodian" => match (&d.custodian, d.owner()) {
                    (Some(_), _) => Present,
                    (None, Some(_)) if d.attributions.len() == 1 => Derivable(
                        "Datamängden har en ägare; ange den som hälsodatainnehavare.",
                        "The dataset has one owner; state it as the health data holder.",
                    ),
                    _ => Missing,
                },
                "publisher" => present(d.publisher.is_some()),
                "contact" => {
                    if !d.contact_points.is_empty() {
                        Present
                    } else if f.publisher_contact {
                        Derivable("Utgivarens kontaktpunkt kan anges.", "The publisher's contact point can be given.")
                    } else {
                        Missing
                    }
                }
                "personal-data" => {
                    if !d.personal_data.is_empty() {
                        Present
                    } else if personal(d) {
                        Derivable(
                            "Typen PERSONAL_DATA säger att det finns personuppgifter; vilka slag saknas.",
                            "The type PERSONAL_DATA says there are personal data; which kinds is missing.",
                        )
                    } else if d.dataset_type.is_some() {
                        NotApplicable
                    } else {
                        Missing
                    }
                }
                "unique-individuals" => {
                    if d.number_of_unique_individuals.is_some() {
                        Present
                    } else if personal(d) || d.dataset_type.is_none() {
                        Missing
                    } else {
                        NotApplicable
                    }
                }
                "population-coverage" => present(!d.population_coverage.is_empty()),
                "geographical-coverage" => {
                    if !d.spatial.is_empty() {
                        Present
                    } else if f.publisher_region {
                        Derivable("Utgivaren är en region; dess län kan anges.", "The publisher is a region; its county can be given.")
                    } else {
                        Missing
                    }
                }
                "temporal-coverage" => present(!d.temporal.is_empty()),
                "provenance" => present(!d.provenance.is_empty() || !d.generated_by.is_empty()),
                "structured" => match d.has_structured_data {
                    Some(_) => Present,
                    None => Derivable(
                        "Publiceras utifrån om katalogen har datamängdens variabler.",
                        "Published from whether the catalogue holds the dataset's variables.",
                    ),
                },
                "coding-systems" => {
                    if !d.coding_systems.is_empty() {
                        Present
                    } else if f.variables.coded {
                        Derivable("Variablerna anger kodverk.", "The variables name coding systems.")
                    } else {
                        Missing
                    }
                }
                "code-values" => {
                    if !d.code_values.is_empty() {
                        Present
                    } else if f.variables.code_lists {
                        Derivable(
                            "Variablerna har kodlistor; de koder som beskriver datamängden kan anges.",
                            "The variables have code lists; the codes that describe the dataset can be given.",
                        )
                    } else {
                        Missing
                    }
                }
                "variables" => {
                    if f.variables.variables > 0 {
                        Present
                    } else if d.has_structured_data == Some(false) {
                        NotApplicable
                    } else {
                        Missing
                    }
                }
                "distributions" => {
                    if f.distributions > 0 && f.distributions_with_format == f.distributions {
                        Present
                    } else if f.distributions > 0 && f.distributions_with_format + f.formats_derivable == f.distributions {
                        Derivable("Formatet härleds ur mediatypen.", "The format is derived from the media type.")
                    } else {
                        Missing
                    }
                }
                _ => Missing,
            };
            (e, s)
        })
        .collect()
}

/// One dataset's row of the readiness table.
#[derive(Clone, Debug)]
pub struct Row {
    pub iri: NamedNode,
    pub title: crate::model::LangText,
    pub publisher: Option<NamedNode>,
    /// The regions among its publisher, custodian and owners.
    pub regions: BTreeSet<NamedNode>,
    pub access_rights: Option<String>,
    pub statuses: Vec<(&'static Element, Status)>,
}

impl Row {
    pub fn count(&self, id: &str) -> usize {
        self.statuses.iter().filter(|(_, s)| s.id() == id).count()
    }

    /// Ready when nothing is missing.
    pub fn ready(&self) -> bool {
        self.count("missing") == 0
    }
}

/// The readiness of the public catalogue, and the agents it names (for the filters).
#[derive(Clone, Debug, Default)]
pub struct Readiness {
    pub rows: Vec<Row>,
    /// Publishers named by the rows: (IRI, name).
    pub publishers: Vec<(NamedNode, crate::model::LangText)>,
    /// The regions (agents with a län): (IRI, name).
    pub regions: Vec<(NamedNode, crate::model::LangText)>,
}

impl Readiness {
    /// The rows a filter keeps (`publisher`, `region`: agent IRIs, `None` keeps all).
    pub fn filtered(&self, publisher: Option<&str>, region: Option<&str>) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| publisher.is_none_or(|p| r.publisher.as_ref().is_some_and(|x| x.as_str() == p)))
            .filter(|r| region.is_none_or(|g| r.regions.iter().any(|x| x.as_str() == g)))
            .collect()
    }
}

/// The facts of every public dataset, then its statuses.
pub fn readiness(cat: &Catalogue) -> Result<Readiness, StoreError> {
    let agents: HashMap<NamedNode, Agent> = all_public(cat, RecordKind::Agent)?
        .into_iter()
        .filter_map(|r| match r {
            Resource::Agent(a) => Some((a.iri.clone(), a)),
            _ => None,
        })
        .collect();
    let datasets: Vec<Dataset> = all_public(cat, RecordKind::Dataset)?
        .into_iter()
        .filter_map(|r| match r {
            Resource::Dataset(d) => Some(d),
            _ => None,
        })
        .collect();
    let own = queries::variable_facts(cat.store())?;
    // a dataset's variables include its parts' (Patientregistret and its two parts)
    let mut merged: HashMap<NamedNode, queries::VariableFacts> = own.clone();
    for d in &datasets {
        let Some(part) = own.get(&d.iri) else { continue };
        for parent in &d.is_part_of {
            let e = merged.entry(parent.clone()).or_default();
            e.variables += part.variables;
            e.coded |= part.coded;
            e.code_lists |= part.code_lists;
        }
    }
    let is_region = |iri: &NamedNode| agents.get(iri).is_some_and(|a| !a.spatial.is_empty());
    let mut rows = Vec::new();
    let mut publishers: BTreeSet<NamedNode> = BTreeSet::new();
    for d in datasets {
        let mut f = Facts { variables: merged.get(&d.iri).copied().unwrap_or_default(), ..Facts::default() };
        for dist in &d.distributions {
            if let Some((_, Resource::Distribution(x))) = cat.public_resource(dist.as_ref())? {
                f.distributions += 1;
                if x.format.is_some() {
                    f.distributions_with_format += 1;
                } else if derivable_format(&x) {
                    f.formats_derivable += 1;
                }
            }
        }
        if let Some(p) = d.publisher.as_ref().and_then(|p| agents.get(p)) {
            f.publisher_contact = p.contact_point.is_some();
            f.publisher_region = !p.spatial.is_empty();
        }
        let mut regions: BTreeSet<NamedNode> = BTreeSet::new();
        for a in d.publisher.iter().chain(d.custodian.iter()).chain(d.attributions.iter().map(|a| &a.agent)) {
            if is_region(a) {
                regions.insert(a.clone());
            }
        }
        if let Some(p) = &d.publisher {
            publishers.insert(p.clone());
        }
        rows.push(Row {
            statuses: assess(&d, &f),
            access_rights: d.access_rights.as_ref().map(|a| a.as_str().rsplit('/').next().unwrap_or("").to_owned()),
            iri: d.iri,
            title: d.title,
            publisher: d.publisher,
            regions,
        });
    }
    rows.sort_by(|a, b| a.iri.as_str().cmp(b.iri.as_str()));
    let name = |iri: &NamedNode| agents.get(iri).map(|a| a.name.clone()).unwrap_or_else(|| crate::model::LangText::sv(iri.as_str()));
    let mut regions: Vec<(NamedNode, crate::model::LangText)> =
        agents.values().filter(|a| !a.spatial.is_empty()).map(|a| (a.iri.clone(), a.name.clone())).collect();
    regions.sort_by(|a, b| a.1.best("sv").cmp(b.1.best("sv")));
    let mut publishers: Vec<(NamedNode, crate::model::LangText)> = publishers.into_iter().map(|p| (p.clone(), name(&p))).collect();
    publishers.sort_by(|a, b| a.1.best("sv").cmp(b.1.best("sv")));
    Ok(Readiness { rows, publishers, regions })
}

/// One dataset's statuses (the quality page's EHDS section), `None` when it is not public.
pub fn dataset_readiness(cat: &Catalogue, iri: &NamedNode) -> Result<Option<Row>, StoreError> {
    if !matches!(cat.public_resource(iri.as_ref())?, Some((_, Resource::Dataset(_)))) {
        return Ok(None);
    }
    Ok(readiness(cat)?.rows.into_iter().find(|r| &r.iri == iri))
}

/// Every public record of a kind, read page by page.
fn all_public(cat: &Catalogue, kind: RecordKind) -> Result<Vec<Resource>, StoreError> {
    const PAGE: u64 = 1000;
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let (_, page) = cat.public_list(kind, offset, PAGE)?;
        let n = page.len() as u64;
        out.extend(page);
        if n < PAGE {
            return Ok(out);
        }
        offset += PAGE;
    }
}

fn derivable_format(d: &Distribution) -> bool {
    d.media_type_label().and_then(crate::publish::profile::file_type_for_media_type).is_some()
}

/// The table as CSV (`;`-separated rows are written by the caller's CSV writer): the header and
/// one row per dataset, statuses in the language asked for.
pub fn csv_rows(rows: &[&Row], en: bool) -> Vec<Vec<String>> {
    let mut header = vec![
        (if en { "dataset" } else { "datamängd" }).to_owned(),
        (if en { "title" } else { "titel" }).to_owned(),
        (if en { "publisher" } else { "utgivare" }).to_owned(),
        (if en { "access rights" } else { "åtkomsträttigheter" }).to_owned(),
    ];
    header.extend(ELEMENTS.iter().map(|e| e.name(en).to_owned()));
    let mut out = vec![header];
    for r in rows {
        let mut line = vec![
            r.iri.as_str().to_owned(),
            r.title.best(if en { "en" } else { "sv" }).to_owned(),
            r.publisher.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            r.access_rights.clone().unwrap_or_default(),
        ];
        line.extend(r.statuses.iter().map(|(_, s)| s.label(en).to_owned()));
        out.push(line);
    }
    out
}

/// The table as JSON: the elements (with their legal references) and one entry per dataset.
pub fn to_json(rows: &[&Row]) -> serde_json::Value {
    let elements: Vec<serde_json::Value> = ELEMENTS
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "name": { "sv": e.sv, "en": e.en },
                "property": e.property,
                "reference": { "sv": e.reference(false), "en": e.reference(true) },
                "healthdcat_ap_r8": e.obligation.label(true),
            })
        })
        .collect();
    let datasets: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let statuses: serde_json::Map<String, serde_json::Value> = r
                .statuses
                .iter()
                .map(|(e, s)| {
                    let mut v = serde_json::json!({ "status": s.id() });
                    if let Some(why) = s.why(true) {
                        v["why"] = serde_json::json!({ "sv": s.why(false), "en": why });
                    }
                    (e.id.to_owned(), v)
                })
                .collect();
            serde_json::json!({
                "dataset": r.iri.as_str(),
                "title": r.title.best("sv"),
                "publisher": r.publisher.as_ref().map(|p| p.as_str()),
                "regions": r.regions.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
                "access_rights": r.access_rights,
                "ready": r.ready(),
                "counts": { "present": r.count("present"), "derivable": r.count("derivable"), "missing": r.count("missing"), "not_applicable": r.count("not-applicable") },
                "elements": statuses,
            })
        })
        .collect();
    serde_json::json!({
        "regulation": format!("Commission Implementing Regulation {REGULATION}, {ANNEX}"),
        "profile": "HealthDCAT-AP Release 8",
        "elements": elements,
        "datasets": datasets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LangText;

    fn n(s: &str) -> NamedNode {
        NamedNode::new_unchecked(s)
    }

    #[test]
    fn a_bare_dataset_lacks_what_it_does_not_state_and_derives_the_rest() {
        let d = Dataset::new(n("https://k.se/dataset/a"), LangText::sv("A"));
        let s: HashMap<&str, Status> = assess(&d, &Facts::default()).into_iter().map(|(e, s)| (e.id, s)).collect();
        assert_eq!(s["title"], Status::Present);
        assert_eq!(s["description"], Status::Missing);
        assert_eq!(s["identifier"].id(), "derivable");
        assert_eq!(s["applicable-legislation"].id(), "derivable");
        assert_eq!(s["structured"].id(), "derivable");
        assert_eq!(s["hdab"], Status::Missing);
        assert_eq!(s["variables"], Status::Missing);
        assert_eq!(s.len(), ELEMENTS.len());
    }

    #[test]
    fn personal_data_decides_whether_unique_individuals_apply() {
        let mut d = Dataset::new(n("https://k.se/dataset/a"), LangText::sv("A"));
        d.dataset_type = Some(n(&format!("{}STATISTICAL", eu::DATASET_TYPE)));
        let s: HashMap<&str, Status> = assess(&d, &Facts::default()).into_iter().map(|(e, s)| (e.id, s)).collect();
        assert_eq!(s["unique-individuals"], Status::NotApplicable);
        d.dataset_type = Some(n(&format!("{}PERSONAL_DATA", eu::DATASET_TYPE)));
        let s: HashMap<&str, Status> = assess(&d, &Facts::default()).into_iter().map(|(e, s)| (e.id, s)).collect();
        assert_eq!(s["unique-individuals"], Status::Missing);
        assert_eq!(s["personal-data"].id(), "derivable");
    }

    #[test]
    fn every_element_names_its_regulation_and_helps_in_both_languages() {
        for e in ELEMENTS {
            assert!(e.reference(false).starts_with("(EU) 2026/2098, bilaga, del B"), "{}", e.id);
            assert!(e.reference(true).contains("Annex, Part B"), "{}", e.id);
            assert!(!e.help_sv.is_empty() && !e.help_en.is_empty(), "{}", e.id);
        }
    }
}
