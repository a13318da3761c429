//! The edit forms of datasets (the DCAT-AP-SE and HealthDCAT-AP fields) and use cases
//! (`/dataset/ny`, `/dataset/{id}/redigera`, `/usecase/ny`, `/usecase/{id}/redigera`), in the
//! style of the variable form (`web::edit`): fields in headed groups, server-side validation
//! with a message next to each field, a failed save keeps what was typed, the form carries the
//! revision it started from and a save over a newer one is refused (409) with what changed.
//! Each form is a list of field specifications read from and written to the typed record; the
//! fields the form does not show are kept as they are. Works without JavaScript.

use std::collections::BTreeMap;

use actix_web::ResponseError as _;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;

use super::edit::{Field, Group, Input, Opt, choice_list};
use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::{Failure, curation_refusal as error_text};
use super::kernel::form::FormData;
use super::kernel::guard::curate;
use super::kernel::guard::{Submission, authorised_form, require};
use super::kernel::labels::{health_category, health_theme, vocab_label};
use super::views::Chrome;
use super::views::history::diff_lines;
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::{Actor, Curation, CurationError};
use crate::model::ids::check_slug;
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::{eu, health};
use crate::model::{Attribution, Dataset, LangString, LangText, Period, Temporal, UseCase};

const MAX_FORM: usize = 512 * 1024;

/// A value as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    One(String),
    Many(Vec<String>),
    Flag(bool),
}

impl Value {
    fn one(&self) -> &str {
        match self {
            Self::One(s) => s.trim(),
            _ => "",
        }
    }
    fn many(&self) -> &[String] {
        match self {
            Self::Many(v) => v,
            _ => &[],
        }
    }
}

/// How a field is entered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Widget {
    Text,
    Area,
    /// One choice from a list (`choices`).
    Select,
    /// Any number of choices (`choices`).
    Checks,
    Flag,
}

/// One field of a form.
struct Spec {
    name: &'static str,
    sv: &'static str,
    en: &'static str,
    hint_sv: &'static str,
    hint_en: &'static str,
    widget: Widget,
    lang: &'static str,
    required: bool,
    group: usize,
}

const fn spec(group: usize, name: &'static str, sv: &'static str, en: &'static str, widget: Widget) -> Spec {
    Spec { name, sv, en, hint_sv: "", hint_en: "", widget, lang: "", required: false, group }
}

const IRI_HINT_SV: &str = "En webbadress (http:// eller https://) per rad.";
const IRI_HINT_EN: &str = "One web address (http:// or https://) a line.";

fn dataset_specs() -> Vec<Spec> {
    use Widget::*;
    let mut v = vec![
        Spec { required: true, lang: "sv", ..spec(0, "titel_sv", "Titel (svenska)", "Title (Swedish)", Text) },
        Spec { lang: "en", ..spec(0, "titel_en", "Titel (engelska)", "Title (English)", Text) },
        Spec { required: true, lang: "sv", ..spec(0, "beskrivning_sv", "Beskrivning (svenska)", "Description (Swedish)", Area) },
        Spec { lang: "en", ..spec(0, "beskrivning_en", "Beskrivning (engelska)", "Description (English)", Area) },
        Spec {
            lang: "sv",
            hint_sv: "Åtskilda med kommatecken.",
            hint_en: "Separated by commas.",
            ..spec(0, "nyckelord_sv", "Nyckelord (svenska)", "Keywords (Swedish)", Text)
        },
        Spec {
            lang: "en",
            hint_sv: "Åtskilda med kommatecken.",
            hint_en: "Separated by commas.",
            ..spec(0, "nyckelord_en", "Nyckelord (engelska)", "Keywords (English)", Text)
        },
        spec(0, "tema", "Tema (EU:s datateman)", "Theme (EU data themes)", Checks),
        spec(0, "del_av", "Del av datamängd", "Part of dataset", Select),
        Spec { required: true, ..spec(1, "utgivare", "Utgivare", "Publisher", Select) },
        Spec {
            hint_sv: "Organisationens kontaktuppgifter används.",
            hint_en: "The organisation's contact details are used.",
            ..spec(1, "kontakt", "Kontaktpunkt", "Contact point", Select)
        },
        spec(1, "agare", "Ägare av data", "Owners of the data", Checks),
        spec(1, "hdab", "Tillståndsmyndighet (HDAB)", "Health data access body (HDAB)", Select),
        Spec {
            hint_sv: "Till exempel 2024-05-01.", hint_en: "For example 2024-05-01.", ..spec(2, "utfardad", "Utfärdad", "Issued", Text)
        },
        Spec { hint_sv: "Till exempel 2024-05-01.", hint_en: "For example 2024-05-01.", ..spec(2, "andrad", "Ändrad", "Modified", Text) },
        Spec {
            hint_sv: "En period per rad: 1997– eller 1997–2008.",
            hint_en: "One period a line: 1997– or 1997–2008.",
            ..spec(2, "tidsperioder", "Tidsperiod", "Time period", Area)
        },
        Spec {
            hint_sv: "Sverige, eller en webbadress per rad.",
            hint_en: "Sverige (Sweden), or one web address a line.",
            ..spec(2, "geografi", "Geografiskt område", "Geographic area", Area)
        },
        spec(2, "frekvens", "Uppdateringsfrekvens", "Update frequency", Select),
        Spec { required: true, ..spec(3, "atkomst", "Åtkomsträttigheter", "Access rights", Select) },
        spec(3, "sprak", "Språk", "Language", Checks),
        Spec { hint_sv: IRI_HINT_SV, hint_en: IRI_HINT_EN, ..spec(3, "landningssida", "Ingångssida", "Landing page", Area) },
        Spec { hint_sv: IRI_HINT_SV, hint_en: IRI_HINT_EN, ..spec(3, "dokumentation", "Dokumentation", "Documentation", Area) },
        Spec { hint_sv: IRI_HINT_SV, hint_en: IRI_HINT_EN, ..spec(3, "standard", "Följer standard", "Conforms to", Area) },
        Spec {
            hint_sv: "ELI-adresser, en per rad.",
            hint_en: "ELI addresses, one a line.",
            ..spec(3, "lagstiftning", "Tillämplig lagstiftning", "Applicable legislation", Area)
        },
        spec(4, "halsokategori", "Hälsodatakategori (EHDS)", "Health data category (EHDS)", Checks),
        spec(4, "halsotema", "Hälsotema", "Health theme", Checks),
        spec(4, "kodverk", "Kodverk", "Coding systems", Checks),
        Spec {
            hint_sv: "Ett heltal; bara när det finns en källa.",
            hint_en: "A whole number; only when sourced.",
            ..spec(4, "antal_poster", "Antal poster", "Number of records", Text)
        },
        Spec {
            hint_sv: "Ett heltal; bara när det finns en källa.",
            hint_en: "A whole number; only when sourced.",
            ..spec(4, "antal_individer", "Antal unika individer", "Number of unique individuals", Text)
        },
        spec(4, "min_alder", "Lägsta typiska ålder", "Minimum typical age", Text),
        spec(4, "max_alder", "Högsta typiska ålder", "Maximum typical age", Text),
        Spec { lang: "sv", ..spec(4, "population_sv", "Populationstäckning (svenska)", "Population coverage (Swedish)", Area) },
        Spec { lang: "en", ..spec(4, "population_en", "Populationstäckning (engelska)", "Population coverage (English)", Area) },
        Spec {
            hint_sv: IRI_HINT_SV,
            hint_en: IRI_HINT_EN,
            ..spec(4, "personuppgifter", "Personuppgifter (DPV)", "Personal data (DPV)", Area)
        },
        Spec { hint_sv: IRI_HINT_SV, hint_en: IRI_HINT_EN, ..spec(4, "andamal", "Ändamål (DPV)", "Purpose (DPV)", Area) },
        Spec {
            hint_sv: IRI_HINT_SV, hint_en: IRI_HINT_EN, ..spec(4, "rattslig_grund", "Rättslig grund (DPV)", "Legal basis (DPV)", Area)
        },
        spec(5, "behover_underlag", "Uppgifter saknas: behöver underlag från ägaren", "Facts missing: needs input from the owner", Flag),
        Spec { lang: "sv", ..spec(5, "redaktionell_not", "Redaktionell anteckning (svenska)", "Editorial note (Swedish)", Area) },
    ];
    v.shrink_to_fit();
    v
}

const DATASET_GROUPS: [(&str, &str); 6] = [
    ("Grunduppgifter", "Basic facts"),
    ("Ansvar", "Responsibility"),
    ("Tid, rum och uppdatering", "Time, place and updates"),
    ("Åtkomst och regler", "Access and rules"),
    ("HealthDCAT-AP", "HealthDCAT-AP"),
    ("Kuratering", "Curation"),
];

fn usecase_specs() -> Vec<Spec> {
    use Widget::*;
    vec![
        Spec {
            hint_sv: "Den korta beteckningen, t.ex. A.",
            hint_en: "The short name, e.g. A.",
            ..spec(0, "beteckning", "Beteckning", "Designation", Text)
        },
        Spec { required: true, lang: "sv", ..spec(0, "titel_sv", "Titel (svenska)", "Title (Swedish)", Text) },
        Spec { lang: "en", ..spec(0, "titel_en", "Titel (engelska)", "Title (English)", Text) },
        Spec { lang: "sv", ..spec(0, "beskrivning_sv", "Beskrivning (svenska)", "Description (Swedish)", Area) },
        Spec { lang: "en", ..spec(0, "beskrivning_en", "Beskrivning (engelska)", "Description (English)", Area) },
        Spec {
            hint_sv: "En variabels identifierare per rad, t.ex. par-hdia.",
            hint_en: "One variable id a line, e.g. par-hdia.",
            ..spec(1, "variabler", "Variabler", "Variables", Area)
        },
        spec(1, "datamangder", "Datamängder", "Datasets", Checks),
        Spec { lang: "sv", ..spec(2, "anmarkning", "Anmärkning (svenska)", "Remark (Swedish)", Area) },
        spec(2, "behover_underlag", "Uppgifter saknas: behöver underlag", "Facts missing: needs input", Flag),
    ]
}

const USECASE_GROUPS: [(&str, &str); 3] =
    [("Användningsfallet", "The use case"), ("Vad det använder", "What it uses"), ("Kuratering", "Curation")];

type Values = BTreeMap<&'static str, Value>;
type Errors = BTreeMap<&'static str, String>;

fn iri_lines(xs: &[NamedNode]) -> Value {
    Value::One(xs.iter().map(NamedNode::as_str).collect::<Vec<_>>().join("\n"))
}

fn text(t: &LangText, lang: &str) -> Value {
    Value::One(t.get(lang).unwrap_or("").to_owned())
}

fn opt_iri(i: &Option<NamedNode>) -> Value {
    Value::One(i.as_ref().map(|i| i.as_str().to_owned()).unwrap_or_default())
}

fn many(xs: &[NamedNode]) -> Value {
    Value::Many(xs.iter().map(|i| i.as_str().to_owned()).collect())
}

fn num(n: Option<u64>) -> Value {
    Value::One(n.map(|n| n.to_string()).unwrap_or_default())
}

fn dataset_values(d: &Dataset) -> Values {
    let kw = |lang: &str| Value::One(d.keywords.iter().filter(|k| k.lang == lang).map(|k| k.value.as_str()).collect::<Vec<_>>().join(", "));
    let owners: Vec<NamedNode> = d.attributions.iter().filter(|a| a.role.as_str() == eu::ROLE_OWNER).map(|a| a.agent.clone()).collect();
    let contact = d.contact_points.first().and_then(|c| c.as_str().split_once('#').map(|(a, _)| a.to_owned()));
    Values::from([
        ("titel_sv", text(&d.title, "sv")),
        ("titel_en", text(&d.title, "en")),
        ("beskrivning_sv", text(&d.description, "sv")),
        ("beskrivning_en", text(&d.description, "en")),
        ("nyckelord_sv", kw("sv")),
        ("nyckelord_en", kw("en")),
        ("tema", many(&d.themes)),
        ("del_av", opt_iri(&d.is_part_of.first().cloned())),
        ("utgivare", opt_iri(&d.publisher)),
        ("kontakt", Value::One(contact.unwrap_or_default())),
        ("agare", many(&owners)),
        ("hdab", opt_iri(&d.hdab)),
        ("utfardad", Value::One(d.issued.as_ref().map(|t| t.value().to_owned()).unwrap_or_default())),
        ("andrad", Value::One(d.modified.as_ref().map(|t| t.value().to_owned()).unwrap_or_default())),
        ("tidsperioder", Value::One(d.temporal.iter().map(Period::label).collect::<Vec<_>>().join("\n"))),
        (
            "geografi",
            Value::One(
                d.spatial
                    .iter()
                    .map(|s| if s.as_str() == format!("{}SWE", eu::COUNTRY) { "Sverige".to_owned() } else { s.as_str().to_owned() })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ),
        ("frekvens", opt_iri(&d.accrual_periodicity)),
        ("atkomst", opt_iri(&d.access_rights)),
        ("sprak", many(&d.languages)),
        ("landningssida", iri_lines(&d.landing_pages)),
        ("dokumentation", iri_lines(&d.pages)),
        ("standard", iri_lines(&d.conforms_to)),
        ("lagstiftning", iri_lines(&d.applicable_legislation)),
        ("halsokategori", many(&d.health_categories)),
        ("halsotema", many(&d.health_themes)),
        ("kodverk", many(&d.coding_systems)),
        ("antal_poster", num(d.number_of_records)),
        ("antal_individer", num(d.number_of_unique_individuals)),
        ("min_alder", num(d.min_typical_age)),
        ("max_alder", num(d.max_typical_age)),
        ("population_sv", text(&d.population_coverage, "sv")),
        ("population_en", text(&d.population_coverage, "en")),
        ("personuppgifter", iri_lines(&d.personal_data)),
        ("andamal", iri_lines(&d.purposes)),
        ("rattslig_grund", iri_lines(&d.legal_bases)),
        ("behover_underlag", Value::Flag(d.needs_input)),
        ("redaktionell_not", text(&d.editorial_note, "sv")),
    ])
}

fn usecase_values(u: &UseCase, minter: &crate::model::Minter) -> Values {
    let ids = u
        .variables
        .iter()
        .map(|v| minter.parse(v.as_str()).map(|(_, id)| id).unwrap_or_else(|| v.as_str().to_owned()))
        .collect::<Vec<_>>()
        .join("\n");
    Values::from([
        ("beteckning", Value::One(u.identifier.clone().unwrap_or_default())),
        ("titel_sv", text(&u.title, "sv")),
        ("titel_en", text(&u.title, "en")),
        ("beskrivning_sv", text(&u.description, "sv")),
        ("beskrivning_en", text(&u.description, "en")),
        ("variabler", Value::One(ids)),
        ("datamangder", many(&u.datasets)),
        ("anmarkning", text(&u.scope_note, "sv")),
        ("behover_underlag", Value::Flag(u.needs_input)),
    ])
}

/// Checks and reads typed values; every problem is a message next to its field.
struct Reader<'a> {
    values: &'a Values,
    errors: Errors,
    en: bool,
}

impl Reader<'_> {
    fn s(&self, name: &str) -> &str {
        self.values.get(name).map(Value::one).unwrap_or("")
    }
    fn text(&mut self, t: &mut LangText, lang: &str, name: &'static str) {
        t.set(lang, self.s(name).to_owned());
    }
    fn required(&mut self, name: &'static str, sv: &str, en: &str) {
        if self.s(name).is_empty() {
            self.errors.insert(name, if self.en { en.to_owned() } else { sv.to_owned() });
        }
    }
    fn iri(&mut self, name: &'static str) -> Option<NamedNode> {
        let v = self.s(name).to_owned();
        if v.is_empty() {
            return None;
        }
        match NamedNode::new(v.as_str()) {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.insert(name, if self.en { "Choose from the list.".into() } else { "Välj i listan.".into() });
                None
            }
        }
    }
    fn iris(&mut self, name: &'static str) -> Vec<NamedNode> {
        let mut out = Vec::new();
        let lines: Vec<String> = self.s(name).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        for (n, line) in lines.iter().enumerate() {
            match NamedNode::new(line.as_str()) {
                Ok(i) if line.starts_with("http://") || line.starts_with("https://") => out.push(i),
                _ => {
                    let en = self.en;
                    self.errors.entry(name).or_insert_with(|| {
                        if en {
                            format!("Line {} is not a web address (http:// or https://).", n + 1)
                        } else {
                            format!("Rad {} är inte en webbadress (http:// eller https://).", n + 1)
                        }
                    });
                }
            }
        }
        out
    }
    fn checked(&mut self, name: &'static str) -> Vec<NamedNode> {
        self.values.get(name).map(Value::many).unwrap_or(&[]).iter().filter_map(|v| NamedNode::new(v.as_str()).ok()).collect()
    }
    fn number(&mut self, name: &'static str) -> Option<u64> {
        let v = self.s(name).replace([' ', '\u{a0}'], "");
        if v.is_empty() {
            return None;
        }
        match v.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.insert(
                    name,
                    if self.en { "Write a whole number (0 or more).".into() } else { "Skriv ett heltal (0 eller mer).".into() },
                );
                None
            }
        }
    }
    fn date(&mut self, name: &'static str) -> Option<Temporal> {
        let v = self.s(name).to_owned();
        if v.is_empty() {
            return None;
        }
        let t = Temporal::parse(&v);
        if t.is_none() {
            self.errors.insert(
                name,
                if self.en {
                    "Write a date like 2024-05-01 (or 2024, 2024-05).".into()
                } else {
                    "Skriv ett datum som 2024-05-01 (eller 2024, 2024-05).".into()
                },
            );
        }
        t
    }
    fn flag(&self, name: &str) -> bool {
        matches!(self.values.get(name), Some(Value::Flag(true)))
    }
}

fn apply_dataset(d: &mut Dataset, values: &Values, en: bool) -> Errors {
    let mut r = Reader { values, errors: Errors::new(), en };
    r.required("titel_sv", "Skriv titeln på svenska.", "Write the title in Swedish.");
    r.required("beskrivning_sv", "Skriv en beskrivning på svenska.", "Write a description in Swedish.");
    r.required("utgivare", "Välj utgivaren.", "Choose the publisher.");
    r.required("atkomst", "Välj åtkomsträttigheter.", "Choose the access rights.");
    r.text(&mut d.title, "sv", "titel_sv");
    r.text(&mut d.title, "en", "titel_en");
    r.text(&mut d.description, "sv", "beskrivning_sv");
    r.text(&mut d.description, "en", "beskrivning_en");
    d.keywords = ["sv", "en"]
        .iter()
        .flat_map(|l| {
            let name = if *l == "sv" { "nyckelord_sv" } else { "nyckelord_en" };
            r.s(name).split(',').map(str::trim).filter(|k| !k.is_empty()).map(|k| LangString::new(l, k)).collect::<Vec<_>>()
        })
        .collect();
    d.themes = r.checked("tema");
    d.is_part_of = r.iri("del_av").into_iter().collect();
    if d.is_part_of.contains(&d.iri) {
        r.errors.insert(
            "del_av",
            if en { "A dataset cannot be part of itself.".into() } else { "En datamängd kan inte vara del av sig själv.".into() },
        );
    }
    d.publisher = r.iri("utgivare");
    d.contact_points = r.iri("kontakt").and_then(|a| NamedNode::new(format!("{}#kontakt", a.as_str())).ok()).into_iter().collect();
    d.attributions.retain(|a| a.role.as_str() != eu::ROLE_OWNER);
    for agent in r.checked("agare") {
        d.attributions.push(Attribution { agent, role: NamedNode::new_unchecked(eu::ROLE_OWNER) });
    }
    d.attributions.sort();
    d.hdab = r.iri("hdab");
    d.issued = r.date("utfardad");
    d.modified = r.date("andrad");
    let mut periods = Vec::new();
    let typed = r.s("tidsperioder").to_owned();
    for (n, line) in typed.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        match crate::ingest::cells::period(line) {
            Some(p) => periods.push(p),
            None => {
                r.errors.entry("tidsperioder").or_insert_with(|| {
                    if en {
                        format!("Line {} is not a period (1997– or 1997–2008).", n + 1)
                    } else {
                        format!("Rad {} är ingen period (1997– eller 1997–2008).", n + 1)
                    }
                });
            }
        }
    }
    d.temporal = periods;
    let mut spatial = Vec::new();
    let typed = r.s("geografi").to_owned();
    for (n, line) in typed.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        match crate::ingest::cells::spatial(line) {
            Some(s) => spatial.push(s),
            None => {
                r.errors.entry("geografi").or_insert_with(|| {
                    if en {
                        format!("Line {}: write Sverige or a web address.", n + 1)
                    } else {
                        format!("Rad {}: skriv Sverige eller en webbadress.", n + 1)
                    }
                });
            }
        }
    }
    d.spatial = spatial;
    d.accrual_periodicity = r.iri("frekvens");
    d.access_rights = r.iri("atkomst");
    d.languages = r.checked("sprak");
    d.landing_pages = r.iris("landningssida");
    d.pages = r.iris("dokumentation");
    d.conforms_to = r.iris("standard");
    d.applicable_legislation = r.iris("lagstiftning");
    d.health_categories = r.checked("halsokategori");
    d.health_themes = r.checked("halsotema");
    d.coding_systems = r.checked("kodverk");
    d.number_of_records = r.number("antal_poster");
    d.number_of_unique_individuals = r.number("antal_individer");
    d.min_typical_age = r.number("min_alder");
    d.max_typical_age = r.number("max_alder");
    if let (Some(a), Some(b)) = (d.min_typical_age, d.max_typical_age) {
        if a > b {
            r.errors.insert(
                "max_alder",
                if en { "The maximum age is below the minimum.".into() } else { "Högsta åldern är lägre än den lägsta.".into() },
            );
        }
    }
    r.text(&mut d.population_coverage, "sv", "population_sv");
    r.text(&mut d.population_coverage, "en", "population_en");
    d.personal_data = r.iris("personuppgifter");
    d.purposes = r.iris("andamal");
    d.legal_bases = r.iris("rattslig_grund");
    d.needs_input = r.flag("behover_underlag");
    r.text(&mut d.editorial_note, "sv", "redaktionell_not");
    r.errors
}

fn apply_usecase(c: &Curation, u: &mut UseCase, values: &Values, en: bool) -> Result<Errors, CurationError> {
    let mut r = Reader { values, errors: Errors::new(), en };
    r.required("titel_sv", "Skriv titeln på svenska.", "Write the title in Swedish.");
    let id = r.s("beteckning").to_owned();
    u.identifier = (!id.is_empty()).then_some(id);
    r.text(&mut u.title, "sv", "titel_sv");
    r.text(&mut u.title, "en", "titel_en");
    r.text(&mut u.description, "sv", "beskrivning_sv");
    r.text(&mut u.description, "en", "beskrivning_en");
    let minter = c.catalogue().minter();
    let mut vars = Vec::new();
    let mut unknown = Vec::new();
    for line in r.s("variabler").lines().map(str::trim).filter(|l| !l.is_empty()) {
        let iri = if line.starts_with("http") { NamedNode::new(line).ok() } else { minter.record(RecordKind::Variable, line).ok() };
        match iri {
            Some(i) if matches!(c.current(&i)?, Some((_, Resource::Variable(_)))) => {
                if !vars.contains(&i) {
                    vars.push(i);
                }
            }
            _ => unknown.push(line.to_owned()),
        }
    }
    if !unknown.is_empty() {
        r.errors.insert(
            "variabler",
            if en {
                format!("There is no variable {}.", unknown.join(", "))
            } else {
                format!("Det finns ingen variabel {}.", unknown.join(", "))
            },
        );
    }
    u.variables = vars;
    u.datasets = r.checked("datamangder");
    r.text(&mut u.scope_note, "sv", "anmarkning");
    u.needs_input = r.flag("behover_underlag");
    Ok(r.errors)
}

/// The lists to choose from.
struct Choices {
    agents: Vec<(String, String)>,
    datasets: Vec<(String, String)>,
    standards: Vec<(String, String)>,
}

fn choices(c: &Curation, lang: Lang) -> Result<Choices, CurationError> {
    let list = |kind| choice_list(c, kind, lang);
    Ok(Choices { agents: list(RecordKind::Agent)?, datasets: list(RecordKind::Dataset)?, standards: list(RecordKind::Standard)? })
}

fn options_for(name: &str, ch: &Choices, lang: Lang) -> Vec<(String, String)> {
    let coded = |base: &str, codes: &[&str], label: &dyn Fn(&str) -> String| -> Vec<(String, String)> {
        codes.iter().map(|c| (format!("{base}{c}"), label(c))).collect()
    };
    let vocab = |base: &'static str| move |c: &str| vocab_label(&format!("{base}{c}"), lang);
    match name {
        "utgivare" | "kontakt" | "agare" | "hdab" => ch.agents.clone(),
        "del_av" => ch.datasets.clone(),
        "datamangder" => ch.datasets.clone(),
        "kodverk" => ch.standards.clone(),
        "tema" => coded(
            eu::DATA_THEME,
            &["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"],
            &vocab(eu::DATA_THEME),
        ),
        "frekvens" => coded(
            eu::FREQUENCY,
            &["ANNUAL", "ANNUAL_2", "QUARTERLY", "MONTHLY", "WEEKLY", "DAILY", "CONT", "IRREG", "BIENNIAL", "NEVER"],
            &|c: &str| {
                let (sv, e) = crate::ingest::cells::frequency_words(&NamedNode::new_unchecked(format!("{}{c}", eu::FREQUENCY)));
                if lang == Lang::En { e } else { sv }
            },
        ),
        "atkomst" => coded(eu::ACCESS_RIGHT, &["PUBLIC", "RESTRICTED", "NON_PUBLIC"], &|c: &str| {
            let (sv, e) = crate::ingest::cells::access_right_words(&NamedNode::new_unchecked(format!("{}{c}", eu::ACCESS_RIGHT)));
            if lang == Lang::En { e } else { sv }
        }),
        "sprak" => coded(eu::LANGUAGE, &["SWE", "ENG"], &vocab(eu::LANGUAGE)),
        "halsokategori" => coded(
            health::CATEGORY_BASE,
            &[
                "EHRS", "DIOH", "NRPE", "RPDG", "HRAD", "HGPD", "HPML", "PGEH", "WELA", "IDHP", "PHDR", "MRMR", "EHCT", "EMRD", "RMMD",
                "RQSH", "EINS",
            ],
            &|c: &str| health_category(c, lang),
        ),
        "halsotema" => coded(
            health::THEME_BASE,
            &[
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
            &|c: &str| health_theme(c, lang),
        ),
        _ => Vec::new(),
    }
}

fn values_from_form(specs: &[Spec], form: &FormData) -> Values {
    specs
        .iter()
        .map(|s| {
            let v = match s.widget {
                Widget::Checks => Value::Many(form.all(s.name)),
                Widget::Flag => Value::Flag(form.text(s.name).is_some()),
                _ => Value::One(form.value(s.name)),
            };
            (s.name, v)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "edit_record.html")]
struct EditPage {
    chrome: Chrome,
    csrf: String,
    action: String,
    is_new: bool,
    id: String,
    id_error: Option<String>,
    groups: Vec<Group>,
    based_on: String,
    message: String,
    problem: Option<String>,
    conflict: Option<Vec<String>>,
    errors: Vec<(String, String)>,
    cancel_href: String,
}

struct Draw {
    id: String,
    values: Values,
    errors: Errors,
    based_on: String,
    message: String,
    problem: Option<String>,
    conflict: Option<Vec<String>>,
}

fn kind_of(s: &str) -> RecordKind {
    if s == "usecase" { RecordKind::UseCase } else { RecordKind::Dataset }
}

fn render(ctx: &Ctx, status: StatusCode, kind: RecordKind, is_new: bool, ch: &Choices, d: Draw) -> HttpResponse {
    let lang = ctx.lang;
    let en = lang == Lang::En;
    let (specs, legends): (Vec<Spec>, Vec<(&str, &str)>) = match kind {
        RecordKind::UseCase => (usecase_specs(), USECASE_GROUPS.to_vec()),
        _ => (dataset_specs(), DATASET_GROUPS.to_vec()),
    };
    let mut groups: Vec<Group> =
        legends.iter().map(|(sv, e)| Group { legend: if en { (*e).into() } else { (*sv).into() }, fields: Vec::new() }).collect();
    let mut errors = Vec::new();
    for s in &specs {
        let value = d.values.get(s.name).cloned().unwrap_or(Value::One(String::new()));
        let options = |multi: bool| -> Vec<Opt> {
            let mut out: Vec<Opt> = Vec::new();
            if !multi {
                out.push(Opt {
                    value: String::new(),
                    label: if en { "(none)".into() } else { "(ingen)".into() },
                    selected: value.one().is_empty(),
                });
            }
            let chosen: Vec<String> = match &value {
                Value::Many(v) => v.clone(),
                Value::One(v) => vec![v.clone()],
                Value::Flag(_) => Vec::new(),
            };
            let mut known = options_for(s.name, ch, lang);
            for c in &chosen {
                if !c.is_empty() && !known.iter().any(|(v, _)| v == c) {
                    known.push((c.clone(), c.clone()));
                }
            }
            out.extend(known.into_iter().map(|(v, l)| Opt { selected: chosen.contains(&v), value: v, label: l }));
            out
        };
        let input = match s.widget {
            Widget::Text => Input::Text(value.one().to_owned()),
            Widget::Area => Input::Area(match &value {
                Value::One(v) => v.clone(),
                _ => String::new(),
            }),
            Widget::Select => Input::Select(options(false)),
            Widget::Checks => Input::Checks(options(true)),
            Widget::Flag => Input::Flag(matches!(value, Value::Flag(true))),
        };
        let error = d.errors.get(s.name).cloned();
        if let Some(e) = &error {
            errors.push((format!("f-{}", s.name), e.clone()));
        }
        groups[s.group].fields.push(Field {
            name: s.name,
            label: if en { s.en.into() } else { s.sv.into() },
            hint: if en { s.hint_en.into() } else { s.hint_sv.into() },
            input,
            error,
            lang: s.lang,
            required: s.required,
        });
    }
    let id_error = d.errors.get("id").cloned();
    if let Some(e) = &id_error {
        errors.insert(0, ("f-id".into(), e.clone()));
    }
    let what = if kind == RecordKind::UseCase {
        if en { "use case" } else { "användningsfall" }
    } else if en {
        "dataset"
    } else {
        "datamängd"
    };
    let title = match (is_new, en) {
        (true, true) => format!("New {what}"),
        (true, false) => format!("Ny {what}").replace("Ny användningsfall", "Nytt användningsfall"),
        (false, true) => format!("Edit the {what} {}", d.values.get("titel_sv").map(Value::one).unwrap_or("")),
        (false, false) => format!("Redigera {what}en {}", d.values.get("titel_sv").map(Value::one).unwrap_or(""))
            .replace("användningsfallen", "användningsfallet"),
    };
    let path = kind.as_str();
    let page = EditPage {
        chrome: Chrome::new(lang, &title, &ctx.path_and_query, if kind == RecordKind::UseCase { "usecases" } else { "datasets" }),
        csrf: ctx.csrf.clone(),
        action: if is_new { format!("/{path}/ny") } else { format!("/{path}/{}/redigera", d.id) },
        is_new,
        id: d.id.clone(),
        id_error,
        groups,
        based_on: d.based_on,
        message: d.message,
        problem: d.problem,
        conflict: d.conflict,
        errors,
        cancel_href: if is_new { "/arbete".into() } else { format!("/{path}/{}", d.id) },
    };
    ctx.respond(status, page.render())
}

pub(super) async fn new_form(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if let Err(e) = require(&req, &ctx, &state, Role::Redaktor) {
        return e.error_response();
    }
    let kind = kind_of(&path.into_inner());
    let lang = ctx.lang;
    match curate(&ctx, &state, move |c| choices(c, lang)).await {
        Ok(Ok(ch)) => {
            let mut values = Values::new();
            if kind == RecordKind::Dataset {
                values.insert("sprak", Value::Many(vec![format!("{}SWE", eu::LANGUAGE)]));
                values.insert("geografi", Value::One("Sverige".into()));
                values.insert("tema", Value::Many(vec![format!("{}HEAL", eu::DATA_THEME)]));
            }
            let d = Draw {
                id: String::new(),
                values,
                errors: Errors::new(),
                based_on: String::new(),
                message: String::new(),
                problem: None,
                conflict: None,
            };
            render(&ctx, StatusCode::OK, kind, true, &ch, d)
        }
        Ok(Err(e)) => super::kernel::error::error_page(&ctx, e.to_string()),
        Err(e) => e.error_response(),
    }
}

pub(super) async fn edit_form(req: HttpRequest, state: web::Data<AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if let Err(e) = require(&req, &ctx, &state, Role::Redaktor) {
        return e.error_response();
    }
    let (kind, id) = path.into_inner();
    let kind = kind_of(&kind);
    let Ok(iri) = state.catalogue.minter().record(kind, &id) else {
        return super::kernel::error::not_found_page(&ctx, Some(kind));
    };
    let lang = ctx.lang;
    let result = curate(&ctx, &state, move |c| {
        let values = match c.current(&iri)? {
            Some((_, Resource::Dataset(d))) => dataset_values(&d),
            Some((_, Resource::UseCase(u))) => usecase_values(&u, c.catalogue().minter()),
            _ => return Ok(None),
        };
        let latest = c.latest_revision(&iri)?.map(|r| r.id.to_string()).unwrap_or_default();
        Ok(Some((values, latest, choices(c, lang)?)))
    })
    .await;
    match result {
        Ok(Ok(Some((values, based_on, ch)))) => render(
            &ctx,
            StatusCode::OK,
            kind,
            false,
            &ch,
            Draw { id, values, errors: Errors::new(), based_on, message: String::new(), problem: None, conflict: None },
        ),
        Ok(Ok(None)) => super::kernel::error::not_found_page(&ctx, Some(kind)),
        Ok(Err(e)) => super::kernel::error::error_page(&ctx, e.to_string()),
        Err(e) => e.error_response(),
    }
}

enum Outcome {
    Saved,
    Invalid(Errors),
    Conflict { lines: Vec<String>, latest: u64, message: String },
    Missing,
}

fn save_record(
    c: &Curation,
    actor: &Actor,
    kind: RecordKind,
    iri: &NamedNode,
    id: &str,
    is_new: bool,
    values: &Values,
    based_on: &str,
    message: &str,
    lang: Lang,
) -> Result<Outcome, CurationError> {
    let en = lang == Lang::En;
    let mut id_errors = Errors::new();
    let current = c.current(iri)?;
    if is_new {
        if check_slug(id).is_err() || id == "ny" {
            id_errors.insert(
                "id",
                if en {
                    "Use lower-case letters a–z, digits and hyphens (not “ny”).".into()
                } else {
                    "Använd små bokstäver a–z, siffror och bindestreck (inte ”ny”).".into()
                },
            );
        } else if current.is_some() || c.latest_revision(iri)?.is_some() {
            id_errors.insert("id", if en { format!("The id {id} is taken.") } else { format!("Identifieraren {id} är upptagen.") });
        }
    }
    let (record, mut errors) = match (kind, current, is_new) {
        (RecordKind::Dataset, current, _) => {
            let mut d = match current {
                Some((_, Resource::Dataset(d))) if !is_new => d,
                _ if is_new => {
                    let mut d = Dataset::new(iri.clone(), LangText::new());
                    d.identifier = Some(id.to_owned());
                    d
                }
                _ => return Ok(Outcome::Missing),
            };
            let errors = apply_dataset(&mut d, values, en);
            (Resource::Dataset(d), errors)
        }
        (_, current, _) => {
            let mut u = match current {
                Some((_, Resource::UseCase(u))) if !is_new => u,
                _ if is_new => UseCase::new(iri.clone(), LangText::new()),
                _ => return Ok(Outcome::Missing),
            };
            let errors = apply_usecase(c, &mut u, values, en)?;
            (Resource::UseCase(u), errors)
        }
    };
    errors.extend(id_errors);
    if !errors.is_empty() {
        return Ok(Outcome::Invalid(errors));
    }
    let based = based_on.trim().parse::<u64>().ok();
    let message = if message.trim().is_empty() { if is_new { "Ny post" } else { "Ändrad i formuläret" } } else { message.trim() };
    match c.save_draft(actor, record, based, message) {
        Ok(_) => Ok(Outcome::Saved),
        Err(CurationError::Conflict { latest, .. }) => {
            let latest_rev =
                c.state().revisions.latest(iri.as_str())?.ok_or_else(|| CurationError::NotFound { iri: iri.as_str().to_owned() })?;
            let from = match based.and_then(|b| c.state().revisions.get(b).ok().flatten()) {
                Some(r) => Some(r),
                None => c.history(iri)?.into_iter().next().filter(|r| r.id != latest_rev.id),
            };
            let lines = match from {
                Some(f) => diff_lines(c, &f, &latest_rev, lang)?,
                None => Vec::new(),
            };
            let err = CurationError::Conflict { iri: iri.as_str().to_owned(), based_on: based, latest, author: latest_rev.author.clone() };
            Ok(Outcome::Conflict { lines, latest, message: error_text(&err, lang).1 })
        }
        Err(e) => Err(e),
    }
}

async fn save_handler(
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: RecordKind,
    id: Option<String>,
    payload: web::Payload,
) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await {
        Ok(s) => s,
        Err(e) => return e.error_response(),
    };
    let is_new = id.is_none();
    let id = id.unwrap_or_else(|| form.value("id").trim().to_owned());
    let specs = if kind == RecordKind::UseCase { usecase_specs() } else { dataset_specs() };
    let values = values_from_form(&specs, &form);
    let based_on = form.value("grund");
    let message = form.value("meddelande");
    let minter = state.catalogue.minter();
    let iri = match minter.record(kind, &id) {
        Ok(i) => i,
        Err(_) if is_new => NamedNode::new_unchecked(format!("{}{}/-", minter.base(), kind.as_str())),
        Err(_) => return super::kernel::error::not_found_page(&ctx, Some(kind)),
    };
    let lang = ctx.lang;
    let en = lang == Lang::En;
    let (typed, i, b, m) = (values.clone(), id.clone(), based_on.clone(), message.clone());
    let result = curate(&ctx, &state, move |c| {
        let outcome = save_record(c, &actor, kind, &iri, &i, is_new, &typed, &b, &m, lang)?;
        Ok((outcome, choices(c, lang)?))
    })
    .await;
    let draw = |errors: Errors, based_on: String, problem: Option<String>, conflict: Option<Vec<String>>| Draw {
        id: id.clone(),
        values: values.clone(),
        errors,
        based_on,
        message: message.clone(),
        problem,
        conflict,
    };
    match result {
        Ok(Ok((Outcome::Saved, _))) => {
            HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/{}/{id}/utkast", kind.as_str()))).finish()
        }
        Ok(Ok((Outcome::Invalid(errors), ch))) => {
            let problem = Some(if en {
                "The draft was not saved: correct the fields marked below.".to_owned()
            } else {
                "Utkastet sparades inte: rätta fälten som är markerade nedan.".to_owned()
            });
            render(&ctx, StatusCode::BAD_REQUEST, kind, is_new, &ch, draw(errors, based_on.clone(), problem, None))
        }
        Ok(Ok((Outcome::Conflict { lines, latest, message: text }, ch))) => {
            let hint = if en {
                " What changed since you started is listed below. If you save again, your version replaces theirs."
            } else {
                " Det som ändrats sedan du började visas nedan. Om du sparar igen ersätter din version deras."
            };
            render(
                &ctx,
                StatusCode::CONFLICT,
                kind,
                is_new,
                &ch,
                draw(Errors::new(), latest.to_string(), Some(format!("{text}{hint}")), Some(lines)),
            )
        }
        Ok(Ok((Outcome::Missing, _))) => super::kernel::error::not_found_page(&ctx, Some(kind)),
        Ok(Err(e)) => {
            let (status, text) = error_text(&e, lang);
            ctx.fail(Failure::Refused { status: status, message: text, back: ("/arbete").to_owned() }).error_response()
        }
        Err(e) => e.error_response(),
    }
}

pub(super) async fn create(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>, payload: web::Payload) -> HttpResponse {
    let kind = kind_of(&path.into_inner());
    save_handler(req, state, kind, None, payload).await
}

pub(super) async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> HttpResponse {
    let (kind, id) = path.into_inner();
    save_handler(req, state, kind_of(&kind), Some(id), payload).await
}
