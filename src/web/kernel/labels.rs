//! Display names of the controlled vocabularies the catalogue uses (EU authority tables,
//! HealthDCAT-AP categories, ADMS publisher types, XSD datatypes), in Swedish and English.
//! An IRI without a known name is shown as its last segment.

use crate::config::Lang;
use crate::model::vocab::{eu, health, xsd};

/// A readable name for a vocabulary IRI.
pub fn vocab_label(iri: &str, lang: Lang) -> String {
    let en = lang == Lang::En;
    if iri.starts_with(crate::model::vocab::vk::NS)
        && let Ok(n) = oxigraph::model::NamedNode::new(iri)
    {
        let code = lang.code();
        if let Some(l) = crate::model::Temporality::from_iri(&n)
            .map(|t| t.label(code))
            .or_else(|| crate::model::UnitType::from_iri(&n).map(|u| u.label(code)))
        {
            return l.to_owned();
        }
    }
    let pick = |sv: &str, e: &str| if en { e.to_owned() } else { sv.to_owned() };
    if let Some(code) = iri.strip_prefix(eu::DATA_THEME) {
        let (sv, e) = match code {
            "AGRI" => ("Jordbruk, fiske, skogsbruk och livsmedel", "Agriculture, fisheries, forestry and food"),
            "ECON" => ("Ekonomi och finans", "Economy and finance"),
            "EDUC" => ("Utbildning, kultur och sport", "Education, culture and sport"),
            "ENER" => ("Energi", "Energy"),
            "ENVI" => ("Miljö", "Environment"),
            "GOVE" => ("Regeringen och den offentliga sektorn", "Government and public sector"),
            "HEAL" => ("Hälsa", "Health"),
            "INTR" => ("Internationella frågor", "International issues"),
            "JUST" => ("Rättvisa, rättssystem och allmän säkerhet", "Justice, legal system and public safety"),
            "REGI" => ("Regioner och städer", "Regions and cities"),
            "SOCI" => ("Befolkning och samhälle", "Population and society"),
            "TECH" => ("Vetenskap och teknik", "Science and technology"),
            "TRAN" => ("Transport", "Transport"),
            other => (other, other),
        };
        return pick(sv, e);
    }
    if let Some(code) = iri.strip_prefix(eu::ACCESS_RIGHT) {
        let (sv, e) = match code {
            "PUBLIC" => ("Offentlig", "Public"),
            "RESTRICTED" => ("Begränsad", "Restricted"),
            "NON_PUBLIC" => ("Icke-offentlig", "Non-public"),
            other => (other, other),
        };
        return pick(sv, e);
    }
    if let Some(code) = iri.strip_prefix(eu::FREQUENCY) {
        let (sv, e) = match code {
            "ANNUAL" => ("Årlig", "Annual"),
            "ANNUAL_2" => ("Två gånger per år", "Semi-annual"),
            "QUARTERLY" => ("Kvartalsvis", "Quarterly"),
            "MONTHLY" => ("Månatlig", "Monthly"),
            "WEEKLY" => ("Veckovis", "Weekly"),
            "DAILY" => ("Daglig", "Daily"),
            "CONT" | "UPDATE_CONT" => ("Löpande", "Continuous"),
            "IRREG" => ("Oregelbunden", "Irregular"),
            "BIENNIAL" => ("Vartannat år", "Biennial"),
            "NEVER" => ("Uppdateras inte", "Never"),
            "UNKNOWN" => ("Okänd", "Unknown"),
            other => (other, other),
        };
        return pick(sv, e);
    }
    if let Some(code) = iri.strip_prefix(eu::LANGUAGE) {
        let (sv, e) = match code {
            "SWE" => ("Svenska", "Swedish"),
            "ENG" => ("Engelska", "English"),
            other => (other, other),
        };
        return pick(sv, e);
    }
    if let Some(code) = iri.strip_prefix(eu::COUNTRY) {
        return if code == "SWE" { pick("Sverige", "Sweden") } else { code.to_owned() };
    }
    if let Some(code) = iri.strip_prefix(eu::DATASET_TYPE) {
        let (sv, e) = match code {
            "PERSONAL_DATA" => ("Personuppgifter", "Personal data"),
            "STATISTICAL" => ("Statistik", "Statistical"),
            "SYNTHETIC_DATA" => ("Syntetiska data", "Synthetic data"),
            other => (other, other),
        };
        return pick(sv, e);
    }
    if let Some(code) = iri.strip_prefix(eu::PLANNED_AVAILABILITY) {
        let (sv, e) = match code {
            "STABLE" => ("Stabil", "Stable"),
            "AVAILABLE" => ("Tillgänglig", "Available"),
            "EXPERIMENTAL" => ("Experimentell", "Experimental"),
            "TEMPORARY" => ("Tillfällig", "Temporary"),
            other => (other, other),
        };
        return pick(sv, e);
    }
    if let Some(code) = iri.strip_prefix(eu::FILE_TYPE) {
        return code.to_owned();
    }
    if let Some(code) = iri.strip_prefix(eu::IANA_MEDIA_TYPES) {
        return code.to_owned();
    }
    if let Some(code) = iri.strip_prefix(eu::ADMS_PUBLISHER_TYPE) {
        let (sv, e) = match code {
            "NationalAuthority" => ("Nationell myndighet", "National authority"),
            "RegionalAuthority" => ("Regional myndighet", "Regional authority"),
            "LocalAuthority" => ("Lokal myndighet", "Local authority"),
            "NonProfitOrganisation" => ("Ideell organisation", "Non-profit organisation"),
            "Academia-ScientificOrganisation" => ("Akademi eller forskningsorganisation", "Academia or scientific organisation"),
            "Company" => ("Företag", "Company"),
            "IndustryConsortium" => ("Branschorganisation", "Industry consortium"),
            "NonGovernmentalOrganisation" => ("Icke-statlig organisation", "Non-governmental organisation"),
            "StandardisationBody" => ("Standardiseringsorgan", "Standardisation body"),
            "SupraNationalAuthority" => ("Överstatlig myndighet", "Supranational authority"),
            other => (other, other),
        };
        return pick(sv, e);
    }
    if let Some(code) = iri.strip_prefix(health::CATEGORY_BASE) {
        return health_category(code, lang);
    }
    if let Some(code) = iri.strip_prefix(health::THEME_BASE) {
        return health_theme(code, lang);
    }
    if iri == eu::EHDS_ELI {
        return pick(
            "Förordning (EU) 2025/327 om ett europeiskt hälsodataområde (EHDS)",
            "Regulation (EU) 2025/327 on the European Health Data Space (EHDS)",
        );
    }
    if iri == eu::CC0 {
        return "CC0 1.0".to_owned();
    }
    if let Some(local) = iri.strip_prefix(xsd::NS) {
        return datatype_label(local, lang);
    }
    last_segment(iri)
}

/// EHDS Art. 51 health data categories (HealthDCAT-AP).
pub fn health_category(code: &str, lang: Lang) -> String {
    let en = lang == Lang::En;
    let (sv, e) = match code {
        "EHRS" => ("Elektroniska patientjournaler", "Electronic health records"),
        "DIOH" => ("Faktorer som påverkar hälsan", "Determinants of health"),
        "NRPE" => ("Aggregerade data om vårdbehov och resurser", "Aggregated data on care needs and resources"),
        "RPDG" => ("Patogener", "Pathogen data"),
        "HRAD" => ("Administrativa data och ersättningsdata", "Administrative and claims data"),
        "HGPD" => ("Genetiska data", "Genetic and genomic data"),
        "HPML" => ("Andra omikdata", "Other molecular (omics) data"),
        "PGEH" => ("Data från medicintekniska produkter", "Device-generated health data"),
        "WELA" => ("Data från välbefinnandeappar", "Wellness application data"),
        "IDHP" => ("Uppgifter om hälso- och sjukvårdspersonal", "Data on health professionals"),
        "PHDR" => ("Befolkningsbaserade hälsoregister", "Population-based health data registries"),
        "MRMR" => ("Medicinska register och dödsorsaksregister", "Medical and mortality registries"),
        "EHCT" => ("Kliniska prövningar", "Clinical trials"),
        "EMRD" => ("Andra data från medicintekniska produkter", "Other medical device data"),
        "RMMD" => ("Register över läkemedel och medicintekniska produkter", "Medicinal product and device registries"),
        "RQSH" => ("Kohorter, enkäter och forskningsdata", "Cohorts, questionnaires and surveys"),
        "EINS" => ("Biobanker och tillhörande data", "Biobanks and associated data"),
        other => (other, other),
    };
    if en { e.to_owned() } else { sv.to_owned() }
}

/// HealthDCAT-AP health themes.
pub fn health_theme(code: &str, lang: Lang) -> String {
    let en = lang == Lang::En;
    let (sv, e) = match code {
        "CLIMATE_HEALTH" => ("Klimat och hälsa", "Climate and health"),
        "ANTIMICROBIAL_CONTROL" => ("Antibiotikaresistens", "Antimicrobial resistance"),
        "ENVIRONMENTAL_HEALTH" => ("Miljö och hälsa", "Environmental health"),
        "BLOOD_INFECTIONS" => ("Blodburna infektioner", "Blood-borne infections"),
        "HEALTH_SYSTEMS" => ("Hälso- och sjukvårdssystem", "Health systems"),
        "SENSORY_HEALTH" => ("Sinnesorgan", "Sensory health"),
        "RESPIRATORY_DISEASES" => ("Luftvägssjukdomar", "Respiratory diseases"),
        "LIFECOURSE_HEALTH" => ("Hälsa över livsloppet", "Life-course health"),
        "IMMUNIZATION_DISEASES" => ("Vaccinationer", "Immunisation"),
        "ENTERIC_INFECTIONS" => ("Mag- och tarminfektioner", "Enteric infections"),
        "INJURY_PREVENTION" => ("Skadeprevention", "Injury prevention"),
        "EMERGENCY_SETTINGS" => ("Akutsjukvård och kriser", "Emergency settings"),
        "CANCER_DISEASE" => ("Cancer", "Cancer"),
        "VECTOR_DISEASES" => ("Vektorburna sjukdomar", "Vector-borne diseases"),
        "HEALTH_PRODUCTS" => ("Läkemedel och medicintekniska produkter", "Health products"),
        "NONCOMMUNICABLE_DISEASES" => ("Icke-smittsamma sjukdomar", "Non-communicable diseases"),
        "MENTAL_HEALTH" => ("Psykisk hälsa", "Mental health"),
        "REPRODUCTIVE_HEALTH" => ("Reproduktiv hälsa", "Reproductive health"),
        "NUTRITION_SECURITY" => ("Nutrition", "Nutrition"),
        "TROPICAL_DISEASES" => ("Tropiska sjukdomar", "Tropical diseases"),
        other => (other, other),
    };
    if en { e.to_owned() } else { sv.to_owned() }
}

/// XSD datatypes in words: the import's words (`ingest::cells::DATATYPES`), so a page, the
/// edit form and the import guide name a datatype alike.
pub fn datatype_label(local: &str, lang: Lang) -> String {
    match crate::ingest::cells::datatype_words(local) {
        Some((sv, en)) => if lang == Lang::En { en } else { sv }.to_owned(),
        None => local.to_owned(),
    }
}

/// The last path segment or fragment of an IRI.
pub fn last_segment(iri: &str) -> String {
    iri.trim_end_matches('/').rsplit(['/', '#']).next().unwrap_or(iri).to_owned()
}
