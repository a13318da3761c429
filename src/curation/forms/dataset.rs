//! The dataset form: the DCAT-AP-SE and HealthDCAT-AP fields of a dataset, one list of field
//! specifications ([`FIELDS`]). To offer another field, add it to the list with where it
//! lives in [`Dataset`]; the fields the list does not name are kept as they are.

use oxigraph::model::NamedNode;

use super::bind::{Bind, Field, Spec};
use super::check::{Check, NEW_ID};
use super::flow::FormKind;
use super::spec::{FieldSpec, Offer, Value, Widget, Words};
use crate::curation::{Curation, CurationError};
use crate::model::vocab::{eu, health};
use crate::model::{Attribution, Dataset, LangString, LangText, RecordKind, Resource};

const NONE: Words = Words::new("(ingen)", "(none)");
const WEB_ADDRESSES: Words = Words::new("En webbadress (http:// eller https://) per rad.", "One web address (http:// or https://) a line.");
const DATE: Words = Words::new("Till exempel 2024-05-01.", "For example 2024-05-01.");
const SOURCED: Words = Words::new("Ett heltal; bara när det finns en källa.", "A whole number; only when sourced.");
const COMMAS: Words = Words::new("Åtskilda med kommatecken.", "Separated by commas.");

const THEMES: Offer = Offer::Vocabulary {
    base: eu::DATA_THEME,
    codes: &["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"],
};
const FREQUENCIES: Offer = Offer::Vocabulary {
    base: eu::FREQUENCY,
    codes: &["ANNUAL", "ANNUAL_2", "QUARTERLY", "MONTHLY", "WEEKLY", "DAILY", "CONT", "IRREG", "BIENNIAL", "NEVER"],
};
const ACCESS_RIGHTS: Offer = Offer::Vocabulary { base: eu::ACCESS_RIGHT, codes: &["PUBLIC", "RESTRICTED", "NON_PUBLIC"] };
const LANGUAGES: Offer = Offer::Vocabulary { base: eu::LANGUAGE, codes: &["SWE", "ENG"] };
const HEALTH_CATEGORIES: Offer = Offer::Vocabulary {
    base: health::CATEGORY_BASE,
    codes: &[
        "EHRS", "DIOH", "NRPE", "RPDG", "HRAD", "HGPD", "HPML", "PGEH", "WELA", "IDHP", "PHDR", "MRMR", "EHCT", "EMRD", "RMMD", "RQSH",
        "EINS",
    ],
};
const HEALTH_THEMES: Offer = Offer::Vocabulary {
    base: health::THEME_BASE,
    codes: &[
        "CLIMATE_HEALTH",
        "ANTIMICROBIAL_CONTROL",
        "ENVIRONMENTAL_HEALTH",
        "BLOOD_INFECTIONS",
        "HEALTH_SYSTEMS",
        "SENSORY_HEALTH",
        "RESPIRATORY_DISEASES",
        "LIFECOURSE_HEALTH",
        "IMMUNIZATION_DISEASES",
        "ENTERIC_INFECTIONS",
        "INJURY_PREVENTION",
        "EMERGENCY_SETTINGS",
        "CANCER_DISEASE",
        "VECTOR_DISEASES",
        "HEALTH_PRODUCTS",
        "NONCOMMUNICABLE_DISEASES",
        "MENTAL_HEALTH",
        "REPRODUCTIVE_HEALTH",
        "NUTRITION_SECURITY",
        "TROPICAL_DISEASES",
    ],
};
const AGENTS: Offer = Offer::Records(RecordKind::Agent);
const DATASET_TYPES: Offer = Offer::Vocabulary { base: eu::DATASET_TYPE, codes: &["PERSONAL_DATA", "STATISTICAL", "SYNTHETIC_DATA"] };
const STRUCTURED: Offer =
    Offer::YesNo { yes: Words::new("Ja: tabelldata med variabler", "Yes: tabular data with variables"), no: Words::new("Nej", "No") };
const ACTIVITIES: Offer = Offer::HealthList(&crate::model::health_lists::ACTIVITIES);

mod messages {
    use super::Words;

    pub const TITLE: Words = Words::new("Skriv titeln på svenska.", "Write the title in Swedish.");
    pub const DESCRIPTION: Words = Words::new("Skriv en beskrivning på svenska.", "Write a description in Swedish.");
    pub const PUBLISHER: Words = Words::new("Välj utgivaren.", "Choose the publisher.");
    pub const ACCESS: Words = Words::new("Välj åtkomsträttigheter.", "Choose the access rights.");
    pub const PART_OF_ITSELF: Words = Words::new("En datamängd kan inte vara del av sig själv.", "A dataset cannot be part of itself.");
    pub const AGES: Words = Words::new("Högsta åldern är lägre än den lägsta.", "The maximum age is below the minimum.");
    pub const TAKEN: Words = Words::new("Identifieraren {id} är upptagen.", "The id {id} is taken.");
}

const fn field(group: usize, name: &'static str, sv: &'static str, en: &'static str, widget: Widget) -> FieldSpec {
    FieldSpec::new(group, name, Words::new(sv, en), widget)
}

const fn select(offer: Offer) -> Widget {
    Widget::Select { offer, none: NONE }
}

/// The fields of the dataset form, in the order shown, each with where it lives.
pub static FIELDS: &[Field<Dataset>] = &[
    Field {
        spec: field(0, "titel_sv", "Titel (svenska)", "Title (Swedish)", Widget::Text).lang("sv").required(messages::TITLE).ehds("title"),
        bind: Bind::Text(|d| &mut d.title),
    },
    Field {
        spec: field(0, "titel_en", "Titel (engelska)", "Title (English)", Widget::Text).lang("en"),
        bind: Bind::Text(|d| &mut d.title),
    },
    Field {
        spec: field(0, "beskrivning_sv", "Beskrivning (svenska)", "Description (Swedish)", Widget::Area)
            .lang("sv")
            .required(messages::DESCRIPTION)
            .ehds("description"),
        bind: Bind::Text(|d| &mut d.description),
    },
    Field {
        spec: field(0, "beskrivning_en", "Beskrivning (engelska)", "Description (English)", Widget::Area).lang("en"),
        bind: Bind::Text(|d| &mut d.description),
    },
    Field {
        spec: field(0, "nyckelord_sv", "Nyckelord (svenska)", "Keywords (Swedish)", Widget::Text).lang("sv").hint(COMMAS).ehds("keywords"),
        bind: Bind::Custom { get: |d, _| keywords(d, "sv"), set: |d, check| set_keywords(d, check, "nyckelord_sv", "sv") },
    },
    Field {
        spec: field(0, "nyckelord_en", "Nyckelord (engelska)", "Keywords (English)", Widget::Text).lang("en").hint(COMMAS),
        bind: Bind::Custom { get: |d, _| keywords(d, "en"), set: |d, check| set_keywords(d, check, "nyckelord_en", "en") },
    },
    Field {
        spec: field(0, "tema", "Tema (EU:s datateman)", "Theme (EU data themes)", Widget::Checks(THEMES)),
        bind: Bind::Iris(|d| &mut d.themes),
    },
    Field {
        spec: field(0, "del_av", "Del av datamängd", "Part of dataset", select(Offer::Records(RecordKind::Dataset))),
        bind: Bind::Custom {
            get: |d, _| Value::One(d.is_part_of.first().map(|i| i.as_str().to_owned()).unwrap_or_default()),
            set: |d, check| {
                if !check.unchanged("del_av") {
                    d.is_part_of = check.select("del_av").into_iter().collect();
                }
            },
        },
    },
    Field {
        spec: field(1, "utgivare", "Utgivare", "Publisher", select(AGENTS)).required(messages::PUBLISHER).ehds("publisher"),
        bind: Bind::Iri(|d| &mut d.publisher),
    },
    Field {
        spec: field(1, "kontakt", "Kontaktpunkt", "Contact point", select(AGENTS))
            .hint(Words::new("Organisationens kontaktuppgifter används.", "The organisation's contact details are used."))
            .ehds("contact"),
        bind: Bind::Custom { get: |d, _| Value::One(contact_agent(d)), set: set_contact },
    },
    Field {
        spec: field(1, "agare", "Ägare av data", "Owners of the data", Widget::Checks(AGENTS)),
        bind: Bind::Custom { get: |d, _| Value::Many(owners(d)), set: set_owners },
    },
    Field {
        spec: field(1, "hdab", "Tillståndsmyndighet (HDAB)", "Health data access body (HDAB)", select(AGENTS)).ehds("hdab"),
        bind: Bind::Iri(|d| &mut d.hdab),
    },
    Field {
        spec: field(1, "innehavare", "Hälsodatainnehavare", "Health data holder (custodian)", select(AGENTS)).ehds("custodian"),
        bind: Bind::Iri(|d| &mut d.custodian),
    },
    Field { spec: field(2, "utfardad", "Utfärdad", "Issued", Widget::Text).hint(DATE), bind: Bind::Date(|d| &mut d.issued) },
    Field { spec: field(2, "andrad", "Ändrad", "Modified", Widget::Text).hint(DATE), bind: Bind::Date(|d| &mut d.modified) },
    Field {
        spec: field(2, "tidsperioder", "Tidsperiod", "Time period", Widget::Periods)
            .hint(Words::new("En period per rad: 1997– eller 1997–2008.", "One period a line: 1997– or 1997–2008."))
            .ehds("temporal-coverage"),
        bind: Bind::Periods(|d| &mut d.temporal),
    },
    Field {
        spec: field(2, "geografi", "Geografiskt område", "Geographic area", Widget::Places)
            .hint(Words::new("Sverige, eller en webbadress per rad.", "Sverige (Sweden), or one web address a line."))
            .ehds("geographical-coverage"),
        bind: Bind::Iris(|d| &mut d.spatial),
    },
    Field {
        spec: field(2, "frekvens", "Uppdateringsfrekvens", "Update frequency", select(FREQUENCIES)),
        bind: Bind::Iri(|d| &mut d.accrual_periodicity),
    },
    Field {
        spec: field(3, "atkomst", "Åtkomsträttigheter", "Access rights", select(ACCESS_RIGHTS))
            .required(messages::ACCESS)
            .ehds("access-rights"),
        bind: Bind::Iri(|d| &mut d.access_rights),
    },
    Field { spec: field(3, "sprak", "Språk", "Language", Widget::Checks(LANGUAGES)), bind: Bind::Iris(|d| &mut d.languages) },
    Field {
        spec: field(3, "landningssida", "Ingångssida", "Landing page", Widget::IriLines).hint(WEB_ADDRESSES),
        bind: Bind::Iris(|d| &mut d.landing_pages),
    },
    Field {
        spec: field(3, "dokumentation", "Dokumentation", "Documentation", Widget::IriLines).hint(WEB_ADDRESSES),
        bind: Bind::Iris(|d| &mut d.pages),
    },
    Field {
        spec: field(3, "standard", "Följer standard", "Conforms to", Widget::IriLines).hint(WEB_ADDRESSES),
        bind: Bind::Iris(|d| &mut d.conforms_to),
    },
    Field {
        spec: field(3, "lagstiftning", "Tillämplig lagstiftning", "Applicable legislation", Widget::IriLines)
            .hint(Words::new("ELI-adresser, en per rad.", "ELI addresses, one a line."))
            .ehds("applicable-legislation"),
        bind: Bind::Iris(|d| &mut d.applicable_legislation),
    },
    Field {
        spec: field(4, "datamangdstyp", "Typ av datamängd", "Dataset type", select(DATASET_TYPES)).ehds("dataset-type"),
        bind: Bind::Iri(|d| &mut d.dataset_type),
    },
    Field {
        spec: field(4, "halsokategori", "Hälsodatakategori (EHDS)", "Health data category (EHDS)", Widget::Checks(HEALTH_CATEGORIES))
            .ehds("health-category"),
        bind: Bind::Iris(|d| &mut d.health_categories),
    },
    Field {
        spec: field(4, "halsotema", "Hälsotema", "Health theme", Widget::Checks(HEALTH_THEMES)).ehds("health-theme"),
        bind: Bind::Iris(|d| &mut d.health_themes),
    },
    Field {
        spec: field(4, "strukturerad", "Strukturerade data", "Structured data", select(STRUCTURED)).ehds("structured"),
        bind: Bind::Custom {
            get: |d, _| Value::One(d.has_structured_data.map(|b| b.to_string()).unwrap_or_default()),
            set: set_structured,
        },
    },
    Field {
        spec: field(4, "kodverk", "Kodverk", "Coding systems", Widget::Checks(Offer::Records(RecordKind::Standard))).ehds("coding-systems"),
        bind: Bind::Iris(|d| &mut d.coding_systems),
    },
    Field {
        spec: field(4, "kodvarden", "Kodvärden", "Code values", Widget::Area).ehds("code-values").hint(Words::new(
            "Ett kodvärde per rad, t.ex. I21 eller en kods webbadress.",
            "One code value a line, e.g. I21 or a code's web address.",
        )),
        bind: Bind::Custom { get: |d, _| Value::One(d.code_values.join("\n")), set: set_code_values },
    },
    Field {
        spec: field(4, "antal_poster", "Antal poster", "Number of records", Widget::Text).hint(SOURCED),
        bind: Bind::Count(|d| &mut d.number_of_records),
    },
    Field {
        spec: field(4, "antal_individer", "Antal unika individer", "Number of unique individuals", Widget::Text)
            .hint(SOURCED)
            .ehds("unique-individuals"),
        bind: Bind::Count(|d| &mut d.number_of_unique_individuals),
    },
    Field {
        spec: field(4, "min_alder", "Lägsta typiska ålder", "Minimum typical age", Widget::Text),
        bind: Bind::Count(|d| &mut d.min_typical_age),
    },
    Field {
        spec: field(4, "max_alder", "Högsta typiska ålder", "Maximum typical age", Widget::Text),
        bind: Bind::Count(|d| &mut d.max_typical_age),
    },
    Field {
        spec: field(4, "population_sv", "Populationstäckning (svenska)", "Population coverage (Swedish)", Widget::Area)
            .lang("sv")
            .ehds("population-coverage"),
        bind: Bind::Text(|d| &mut d.population_coverage),
    },
    Field {
        spec: field(4, "population_en", "Populationstäckning (engelska)", "Population coverage (English)", Widget::Area).lang("en"),
        bind: Bind::Text(|d| &mut d.population_coverage),
    },
    Field {
        spec: field(4, "proveniens_sv", "Ursprung (svenska)", "Provenance (Swedish)", Widget::Area).lang("sv").ehds("provenance"),
        bind: Bind::Custom { get: |d, _| provenance(d, "sv"), set: |d, check| set_provenance(d, check, "proveniens_sv", "sv") },
    },
    Field {
        spec: field(4, "proveniens_en", "Ursprung (engelska)", "Provenance (English)", Widget::Area).lang("en"),
        bind: Bind::Custom { get: |d, _| provenance(d, "en"), set: |d, check| set_provenance(d, check, "proveniens_en", "en") },
    },
    Field {
        spec: field(4, "genererad_av", "Insamlad genom (hälsoaktivitet)", "Generated by (health activity)", Widget::Checks(ACTIVITIES))
            .ehds("provenance"),
        bind: Bind::Iris(|d| &mut d.generated_by),
    },
    Field {
        spec: field(4, "personuppgifter", "Personuppgifter (DPV)", "Personal data (DPV)", Widget::IriLines)
            .hint(WEB_ADDRESSES)
            .ehds("personal-data"),
        bind: Bind::Iris(|d| &mut d.personal_data),
    },
    Field {
        spec: field(4, "andamal", "Ändamål (DPV)", "Purpose (DPV)", Widget::IriLines).hint(WEB_ADDRESSES),
        bind: Bind::Iris(|d| &mut d.purposes),
    },
    Field {
        spec: field(4, "rattslig_grund", "Rättslig grund (DPV)", "Legal basis (DPV)", Widget::IriLines).hint(WEB_ADDRESSES),
        bind: Bind::Iris(|d| &mut d.legal_bases),
    },
    Field {
        spec: field(
            5,
            "behover_underlag",
            "Uppgifter saknas: behöver underlag från ägaren",
            "Facts missing: needs input from the owner",
            Widget::Flag,
        ),
        bind: Bind::Flag(|d| &mut d.needs_input),
    },
    Field {
        spec: field(5, "redaktionell_not", "Redaktionell anteckning (svenska)", "Editorial note (Swedish)", Widget::Area).lang("sv"),
        bind: Bind::Text(|d| &mut d.editorial_note),
    },
];

static SPEC: Spec<Dataset> = Spec {
    kind: RecordKind::Dataset,
    id: NEW_ID,
    fields: FIELDS,
    groups: &[
        Words::new("Grunduppgifter", "Basic facts"),
        Words::new("Ansvar", "Responsibility"),
        Words::new("Tid, rum och uppdatering", "Time, place and updates"),
        Words::new("Åtkomst och regler", "Access and rules"),
        Words::new("HealthDCAT-AP och EHDS-minimielementen", "HealthDCAT-AP and the EHDS minimum elements"),
        Words::new("Kuratering", "Curation"),
    ],
    rows: None,
    title: ("titel_sv", "titel_en"),
    finish,
    taken: messages::TAKEN,
    new_message: "Ny post",
};

/// The dataset form.
pub struct DatasetForm;

impl FormKind for DatasetForm {
    type Record = Dataset;

    fn spec() -> &'static Spec<Dataset> {
        &SPEC
    }

    fn load(c: &Curation, iri: &NamedNode) -> Result<Option<Dataset>, CurationError> {
        Ok(match c.current(iri)? {
            Some((_, Resource::Dataset(d))) => Some(d),
            _ => None,
        })
    }

    /// A new dataset starts in Swedish, about Sweden, under the theme health.
    fn blank(iri: NamedNode, id: &str) -> Dataset {
        let mut d = Dataset::new(iri, LangText::new());
        d.identifier = Some(id.to_owned()).filter(|s| !s.is_empty());
        d.languages = vec![NamedNode::new_unchecked(format!("{}SWE", eu::LANGUAGE))];
        d.spatial = vec![NamedNode::new_unchecked(format!("{}SWE", eu::COUNTRY))];
        d.themes = vec![NamedNode::new_unchecked(format!("{}HEAL", eu::DATA_THEME))];
        d
    }

    fn records(_: &Dataset, after: Dataset) -> Vec<Resource> {
        vec![Resource::Dataset(after)]
    }
}

fn keywords(d: &Dataset, lang: &str) -> Value {
    Value::One(d.keywords.iter().filter(|k| k.lang == lang).map(|k| k.value.as_str()).collect::<Vec<_>>().join(", "))
}

fn set_keywords(d: &mut Dataset, check: &mut Check, name: &'static str, lang: &str) {
    if check.unchanged(name) {
        return;
    }
    d.keywords.retain(|k| k.lang != lang);
    let typed = check.text(name).split(',').map(str::trim).filter(|k| !k.is_empty()).map(|k| LangString::new(lang, k)).collect::<Vec<_>>();
    d.keywords.extend(typed);
}

/// The organisation whose contact details are the contact point (`{agent}#kontakt`).
fn contact_agent(d: &Dataset) -> String {
    d.contact_points.first().and_then(|c| c.as_str().split_once('#').map(|(a, _)| a.to_owned())).unwrap_or_default()
}

fn set_contact(d: &mut Dataset, check: &mut Check) {
    if check.unchanged("kontakt") {
        return;
    }
    d.contact_points = check.select("kontakt").and_then(|a| NamedNode::new(format!("{}#kontakt", a.as_str())).ok()).into_iter().collect();
}

fn owners(d: &Dataset) -> Vec<String> {
    d.attributions.iter().filter(|a| a.role.as_str() == eu::ROLE_OWNER).map(|a| a.agent.as_str().to_owned()).collect()
}

fn set_owners(d: &mut Dataset, check: &mut Check) {
    d.attributions.retain(|a| a.role.as_str() != eu::ROLE_OWNER);
    for agent in check.checks("agare") {
        d.attributions.push(Attribution { agent, role: NamedNode::new_unchecked(eu::ROLE_OWNER) });
    }
    d.attributions.sort();
}

fn set_structured(d: &mut Dataset, check: &mut Check) {
    if check.unchanged("strukturerad") {
        return;
    }
    d.has_structured_data = match check.pick("strukturerad").as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
}

fn set_code_values(d: &mut Dataset, check: &mut Check) {
    if check.unchanged("kodvarden") {
        return;
    }
    let mut values: Vec<String> = Vec::new();
    for (_, line) in check.lines("kodvarden") {
        if !values.contains(&line) {
            values.push(line);
        }
    }
    d.code_values = values;
}

/// The form holds the first provenance statement; further ones (from an import) are kept.
fn provenance(d: &Dataset, lang: &str) -> Value {
    Value::One(d.provenance.first().and_then(|p| p.get(lang)).unwrap_or_default().to_owned())
}

fn set_provenance(d: &mut Dataset, check: &mut Check, name: &'static str, lang: &str) {
    if check.unchanged(name) {
        return;
    }
    let mut first = d.provenance.first().cloned().unwrap_or_default();
    first.set(lang, check.text(name).trim().to_owned());
    match (d.provenance.is_empty(), first.is_empty()) {
        (true, true) => {}
        (true, false) => d.provenance.push(first),
        (false, true) => {
            d.provenance.remove(0);
        }
        (false, false) => d.provenance[0] = first,
    }
}

fn finish(d: &mut Dataset, check: &mut Check) {
    if d.is_part_of.contains(&d.iri) {
        let text = check.say(messages::PART_OF_ITSELF);
        check.fail("del_av", text);
    }
    if let (Some(a), Some(b)) = (d.min_typical_age, d.max_typical_age)
        && a > b
    {
        let text = check.say(messages::AGES);
        check.fail("max_alder", text);
    }
}
