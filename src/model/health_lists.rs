//! The controlled vocabularies of HealthDCAT-AP Release 8, as HealthData@EU publishes them under
//! `https://hdeu-dcat.data.health.europa.eu/resource/authority/` and the Release 8 validator
//! loads them (`validator/catalogue/*.rdf`): the codes, each with a Swedish and an English label.
//!
//! Read from the Release 8 validator's vocabulary files (third-party vendoring of
//! code.europa.eu/healthdataeu/healthdcat-ap @ cd7841f, see ../shared/standards/SOURCES.md):
//! the health categories (the EHDS Art. 51 categories), the health themes, the publisher types,
//! the coding systems and the standards used here; the health activities from the same release
//! as listed by a HealthDCAT-AP implementer (six checked against the file). Swedish labels are
//! the vocabularies' own where they have one; the short category and theme labels are the
//! catalogue's. A code not listed here is not a member: validation keeps failing it.

/// One vocabulary: its base (members are `{base}{code}`) and members `(code, sv, en)`.
#[derive(Debug, PartialEq, Eq)]
pub struct List {
    pub base: &'static str,
    pub title: &'static str,
    pub members: &'static [(&'static str, &'static str, &'static str)],
}

impl List {
    /// The scheme IRI (the base without its trailing slash).
    pub fn scheme(&self) -> &'static str {
        self.base.trim_end_matches('/')
    }

    /// The member with this code.
    pub fn member(&self, code: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
        self.members.iter().find(|(c, _, _)| *c == code)
    }

    /// Whether `iri` is a member.
    pub fn contains(&self, iri: &str) -> bool {
        iri.strip_prefix(self.base).is_some_and(|c| self.member(c).is_some())
    }

    /// The label of a member IRI in a language (`sv` or `en`), if it is one.
    pub fn label(&self, iri: &str, en: bool) -> Option<&'static str> {
        let (_, sv, e) = self.member(iri.strip_prefix(self.base)?)?;
        Some(if en { e } else { sv })
    }
}

use super::vocab::health;

pub const CATEGORIES: List = List {
    base: health::CATEGORY_BASE,
    title: "Health categories",
    members: &[
        ("EHRS", "Elektroniska patientjournaler", "Electronic health data from EHRs"),
        (
            "DIOH",
            "Faktorer som påverkar hälsan",
            "Data on factors impacting on health, including socio-economic, environmental and behavioural determinants of health",
        ),
        (
            "NRPE",
            "Aggregerade data om vårdbehov och resurser",
            "Aggregated data on healthcare needs, resources allocated to healthcare, the provision of and access to healthcare, healthcare expenditure and financing",
        ),
        ("RPDG", "Patogener", "Data on pathogens that impact human health"),
        (
            "HRAD",
            "Administrativa data och ersättningsdata",
            "Healthcare-related administrative data, including on dispensations, reimbursement claims and reimbursements",
        ),
        ("HGPD", "Genetiska data", "Human genetic, epigenomic and genomic data"),
        (
            "HPML",
            "Andra omikdata",
            "Other human molecular data such as proteomic, transcriptomic, metabolomic, lipidomic and other omic data",
        ),
        ("PGEH", "Data från medicintekniska produkter", "Personal electronic health data automatically generated through medical devices"),
        ("WELA", "Data från välbefinnandeappar", "Data from wellness applications"),
        (
            "IDHP",
            "Uppgifter om hälso- och sjukvårdspersonal",
            "Data on professional status, and on the specialisation and institution of health professionals involved in the treatment of a natural person",
        ),
        ("PHDR", "Befolkningsbaserade hälsoregister", "Data from population-based health data registries such as public health registries"),
        ("MRMR", "Medicinska register och dödsorsaksregister", "Data from medical registries and mortality registries"),
        ("EHCT", "Kliniska prövningar", "Data from clinical trials, clinical studies, clinical investigations and performance studies"),
        ("EMRD", "Andra data från medicintekniska produkter", "Other health data from medical devices"),
        (
            "RMMD",
            "Register över läkemedel och medicintekniska produkter",
            "Data from registries for medicinal products and medical devices",
        ),
        (
            "RQSH",
            "Kohorter, enkäter och forskningsdata",
            "Data from research cohorts, questionnaires and surveys related to health, after the first publication of the related results",
        ),
        ("EINS", "Biobanker och tillhörande data", "Health data from biobanks and associated databases"),
    ],
};

pub const THEMES: List = List {
    base: health::THEME_BASE,
    title: "Health themes",
    members: &[
        ("ANTIMICROBIAL_CONTROL", "Antibiotikaresistens", "Antimicrobial resistance & infection control"),
        ("BLOOD_INFECTIONS", "Blodburna infektioner", "Blood-borne & sexually transmitted infections"),
        ("CANCER_DISEASE", "Cancer", "Cancer"),
        ("CLIMATE_HEALTH", "Klimat och hälsa", "Climate & planetary health"),
        ("EMERGENCY_SETTINGS", "Akutsjukvård och kriser", "Emergencies, disasters, travel & humanitarian settings"),
        ("ENTERIC_INFECTIONS", "Mag- och tarminfektioner", "Enteric, water- & food-borne infections"),
        ("ENVIRONMENTAL_HEALTH", "Miljö och hälsa", "Environmental, occupational & radiation health"),
        ("HEALTH_PRODUCTS", "Läkemedel och medicintekniska produkter", "Health products, technologies, data & research"),
        ("HEALTH_SYSTEMS", "Hälso- och sjukvårdssystem", "Health systems, quality, care models & determinants"),
        ("IMMUNIZATION_DISEASES", "Vaccinationer", "Immunization & vaccine-preventable diseases"),
        ("INJURY_PREVENTION", "Skadeprevention", "Injuries, envenoming & drowning"),
        ("LIFECOURSE_HEALTH", "Hälsa över livsloppet", "Life-course health: maternal, newborn, child, adolescent & ageing"),
        ("MENTAL_HEALTH", "Psykisk hälsa", "Mental, neurological & substance use"),
        ("TROPICAL_DISEASES", "Tropiska sjukdomar", "Neglected tropical, parasitic & fungal skin diseases"),
        ("NONCOMMUNICABLE_DISEASES", "Icke-smittsamma sjukdomar", "Noncommunicable diseases – metabolic & cardiopulmonary"),
        ("NUTRITION_SECURITY", "Nutrition", "Nutrition & food security"),
        ("SENSORY_HEALTH", "Sinnesorgan", "Oral, eye & sensory health"),
        ("RESPIRATORY_DISEASES", "Luftvägssjukdomar", "Respiratory infectious diseases"),
        ("REPRODUCTIVE_HEALTH", "Reproduktiv hälsa", "Sexual & reproductive health and rights"),
        ("VECTOR_DISEASES", "Vektorburna sjukdomar", "Vector-borne & zoonotic viral diseases"),
    ],
};

pub const PUBLISHER_TYPES: List = List {
    base: health::PUBLISHER_TYPE_BASE,
    title: "Publisher Types",
    members: &[
        ("gov-public-sector-org", "Statliga och offentliga organisationer", "Government and Public Sector Organizations"),
        ("national-authority", "Nationell myndighet", "National authority"),
        ("regional-authority", "Regional myndighet", "Regional authority"),
        ("stat-agency", "Statistikbyrå", "Statistics agency"),
        ("public-health-registry", "Folkhälsoregister", "Public health registry"),
        ("quality-registry", "Kvalitetsregister", "Quality registry"),
        ("pathology-registry", "Patologiregister", "Pathology registry"),
        ("public-health-institute", "Folkhälsoinstitut", "Public health institute"),
        ("public-health-org", "Folkhälsoorganisation", "Public health organisation"),
        ("administrative-institution", "Administrativ institution", "Administrative institution"),
        ("other-government-agency", "Annan statlig myndighet", "Other government agency"),
        ("healthcare-providers", "Sjukvårdsgivare", "Healthcare Providers"),
        ("inpatient-institute", "Slutenvårdsinrättning/sjukhus", "Inpatient institution/Hospital"),
        ("outpatient-institution", "Öppenvårdsinstitution", "Outpatient institution"),
        ("primary-care-org", "Primärvårdsorganisation", "Primary care organisation"),
        ("mental-health-org", "Organisation för psykisk hälsa", "Mental health organisation"),
        ("municipality-or-other-area", "Kommun eller annat område", "Municipality or other area"),
        ("research-academic-org", "Forsknings- och akademiska organisationer", "Research and Academic organizations"),
        ("university", "Universitet", "University"),
        ("research-institute-org", "Forskningsinstitut/organisation", "Research institute/organisation"),
        ("research-infra", "Forskningsinfrastrukturer", "Research Infrastructures"),
        ("national-cancer-institute", "Nationella cancerinstitutet", "National Cancer Institute"),
        ("biobank", "Biobank", "Biobank"),
        ("other-public-institute", "Andra offentliga institut som samlar in hälsodata", "Other public institutes that collect health data"),
        ("non-gov-org", "Icke-statliga organisationer", "Non-Governmental Organizations"),
        ("not-for-profit-org", "Icke-vinstdrivande organisation", "Not-for profit organisation"),
        ("private-sector-entities", "Enheter inom den privata sektorn", "Private Sector Entities"),
        ("private-company", "Privat företag", "Private company"),
        ("other-company", "Annan typ av företag som samlar in hälsodata", "Other type of company that somehow collects health data"),
        ("pharma-company", "Läkemedelsföretag", "Pharmaceutical companies"),
        ("pharmacy", "Apotek", "Pharmacy"),
        ("laboratory", "Laboratorium", "Laboratory"),
        ("software-manufacturer", "Programvarutillverkare", "Software manufacturer"),
        ("health-technology-manufacturer", "Tillverkare av hälsoappar/teknik", "Health app/technology manufacturer"),
        ("health-insurance-company-org", "Sjukförsäkringsbolag/organisation", "Health insurance company/organisation"),
        ("private-health-insurance", "Privat sjukförsäkring", "Private health insurance"),
    ],
};

pub const CODING_SYSTEMS: List = List {
    base: health::CODING_SYSTEM_BASE,
    title: "Coding Systems",
    members: &[
        ("ATC", "ATC (anatomisk terapeutisk kemisk klassifikation)", "Anatomical Therapeutic Chemical Classification System"),
        ("DICOM-CT", "DICOM", "DICOM"),
        ("EDQM", "EDQM", "EDQM"),
        ("EMA-SPOR", "EMA SPOR", "EMA SPOR"),
        ("EMDN", "EMDN", "European Medical Device Nomenclature"),
        ("GMDN", "GMDN", "Global Medical Device Nomenclature"),
        ("HGNC", "HGNC", "HGNC"),
        ("HPO", "HPO", "Human Phenotype Ontology"),
        ("ICD-9-CM", "ICD-9-CM", "ICD-9-CM"),
        ("ICD-10", "ICD-10", "ICD-10"),
        ("ICD-10-NAT", "ICD-10, nationell version", "ICD-10, national version"),
        ("ICD-11", "ICD-11", "ICD-11"),
        ("ICD-O", "ICD-O", "ICD-O"),
        ("ICF", "ICF", "International Classification of Functioning, Disability and Health"),
        ("ICHI", "ICHI", "ICHI"),
        ("ICPC-2", "ICPC-2", "ICPC-2"),
        ("ICPC-3", "ICPC-3", "ICPC-3"),
        ("LOINC", "LOINC", "LOINC"),
        ("MEDDRA", "MedDRA", "MedDRA"),
        ("MESH", "MeSH", "MeSH"),
        ("NCIT", "NCIt", "NCI Thesaurus"),
        ("NPU", "NPU", "NPU"),
        ("OHDSI-VOCAB", "OHDSI-vokabulärer", "OHDSI vocabularies"),
        ("OPS", "OPS", "OPS"),
        ("ORDO", "ORDO", "Orphanet Rare Disease Ontology"),
        ("ORPHACODE", "ORPHAcode", "ORPHAcode"),
        ("PROC-CODES-NAT", "Nationella åtgärdskoder", "National procedure codes"),
        ("RXNORM", "RxNorm", "RxNorm"),
        ("SNOMED-CT", "SNOMED CT", "SNOMED CT"),
        ("UCUM", "UCUM", "UCUM"),
        ("UMLS", "UMLS", "UMLS"),
        ("WHODRUG", "WHODrug", "WHODrug"),
    ],
};

pub const STANDARDS: List = List {
    base: health::STANDARD_BASE,
    title: "Standards",
    members: &[
        ("CDA", "Clinical Document Architecture (CDA)", "Clinical Document Architecture"),
        ("CDISC-SDTM", "CDISC SDTM", "CDISC SDTM"),
        ("DOCUMENT-FORMAT", "Dokumentformat", "Document format"),
        ("ECRIN-CRMDR", "ECRIN-metadataskeman", "ECRIN Metadata Schemas"),
        ("FAIRSHARING", "FAIRsharing-applikationsschema", "FAIRsharing Application Schema"),
        ("IDMP", "IDMP", "IDMP"),
        ("INFORMATION-MODEL", "Informationsmodell", "Information Model"),
        ("INSPIRE", "INSPIRE", "INSPIRE"),
        ("ISO-13606-1", "ISO 13606-1", "ISO 13606-1"),
        ("ISO-13940", "ISO 13940", "ISO 13940"),
        ("MEDDRA", "MedDRA", "MedDRA"),
        ("MESSAGING-STANDARD", "Meddelandestandard", "Messaging standard"),
        ("MIABIS", "MIABIS", "MIABIS"),
        ("OMOP-CDM", "OMOP CDM", "OMOP CDM"),
        ("OPENEHR", "openEHR", "openEHR"),
        ("PHIRI", "PHIRI", "PHIRI"),
        ("TERMINOLOGY-ONTOLOGY-STANDARD", "Terminologi- och ontologistandard", "Terminology and ontology standard"),
    ],
};

pub const ACTIVITIES: List = List {
    base: health::ACTIVITY_BASE,
    title: "Health activities",
    members: &[
        ("HEALTH_REGISTRIES", "Nationella hälsoregister", "National Health Registries"),
        ("QUALITY_REGISTRIES", "Nationella kvalitetsregister", "National medical quality registries"),
        ("MEDICAL_REGISTRY", "Medicinskt register", "Medical registry"),
        ("QUALITY_REGISTRY", "Kvalitetsregister", "Quality registry"),
        ("ADMISSION_DISCHARGE", "Inskrivning, vård och utskrivning av patienter", "Patient admission, care and discharge"),
        ("HEALTHCARE_VISIT", "Besök i hälso- och sjukvården", "Healthcare visit"),
        ("PRESCRIBING_DISPENSING", "Förskrivning och expediering av läkemedel", "Prescribing or dispensing of medicines"),
        ("ADMINISTRATIVE_PROCESSES", "Administrativa processer", "Administrative processes"),
        ("INSURANCE_CLAIMS", "Ersättningsanspråk och försäkring", "Claims, insurance and reimbursement"),
        ("LABORATORY_TESTS", "Laboratorieprov", "Laboratory tests"),
        ("MEASUREMENTS", "Mätningar", "Measurements"),
        ("PATIENT_OUTCOMES", "Patientrapporterade utfall (PROM)", "Patient-reported outcome measures"),
        ("HEALTH_SURVEY", "Hälsoundersökning", "Health survey"),
        ("PROBABILITY_SURVEY", "Sannolikhetsundersökning", "Probability survey"),
        ("CENSUS_DATA", "Folkräkningsdata", "Census data"),
        ("ROUTINE_RECORDS", "Rutinregister (utanför vården)", "Routine records (non-health)"),
        ("SURVEILLANCE", "Övervakning", "Surveillance"),
        ("DISEASE_MONITORING", "Övervakning av smittsamma sjukdomar", "Infectious disease monitoring"),
        ("HEALTH_SURVEILLANCE", "Folkhälsoövervakning", "Public health surveillance"),
        ("GEOSPATIAL_MONITORING", "Geospatial övervakning", "Geospatial monitoring"),
        ("CLINICAL_TRIAL", "Klinisk prövning", "Clinical trial"),
        ("COHORT", "Kohort", "Cohort"),
        ("RESEARCH_PROJECT", "Forskningsprojekt", "Research project"),
        ("RESEARCH_DATABASE", "Särskild forskningsdatabas", "Specific research database"),
        ("OBSERVATIONAL_DATA", "Observationsdata", "Observational data"),
        ("BIOBANK_COLLECTION", "Biobank/provinsamling", "Biobank/sample collection"),
        ("SAMPLE_COLLECTIONS", "Provsamlingar", "Sample collections"),
        ("HOSPITAL_RECORDS", "Sjukhusjournaldatabas", "Hospital records database"),
        ("MUNICIPAL_REPOSITORY", "Kommunal hälsodatabas", "Municipal health data repository"),
        ("MEDICAL_DEVICES", "Användning av medicintekniska produkter", "Use of medical devices"),
        ("EHEALTH_APPLICATION", "E-hälsoapplikation", "eHealth application"),
        ("NONMEDICAL_APPLICATION", "Icke-medicinsk applikation", "Non-medical application"),
        ("AUTOMATIC_GENERATION", "Automatiskt genererade", "Automatically generated"),
        ("MODELS_SIMULATIONS", "Modeller och simuleringar", "Models and simulations"),
    ],
};

/// Every list, for the validation background.
pub const ALL: [&List; 6] = [&CATEGORIES, &THEMES, &PUBLISHER_TYPES, &CODING_SYSTEMS, &STANDARDS, &ACTIVITIES];

/// The list a member IRI belongs to, with its label, if it is a member of one.
pub fn label(iri: &str, en: bool) -> Option<&'static str> {
    ALL.iter().find_map(|l| l.label(iri, en))
}
