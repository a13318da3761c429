//! The edit form of a variable specification (every field of DESIGN.md decision 3), and "new
//! variable". Server-side validation with a message next to each field in the reader's
//! language; a failed save keeps what was typed; the form carries the revision it started from,
//! and a save over a newer revision is refused (409) with what changed in between.
//! Works without JavaScript; every input has a label.

use std::collections::BTreeMap;

use actix_web::ResponseError as _;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::{Literal, NamedNode};

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::{Failure, curation_refusal as error_text};
use super::kernel::form::FormData;
use super::kernel::guard::curate;
use super::kernel::guard::{Submission, authorised_form, require};
use super::kernel::labels::datatype_label;
use super::kernel::words::field;
use super::views::Chrome;
use super::views::history::diff_lines;
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::{Actor, Curation, CurationError};
use crate::model::ids::check_slug;
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::{eu, xsd};
use crate::model::{Attribution, LangString, LangText, Period, Representation, Requirement, RequirementLevel, Temporal, Variable};

const MAX_FORM: usize = 512 * 1024;
/// Empty requirement rows offered below the filled ones (more after each save).
const SPARE_ROWS: usize = 2;
/// The datatypes offered, by XSD local name; `kodlista` means codes from a code list.
const DATATYPES: &[&str] =
    &["string", "integer", "decimal", "boolean", "date", "dateTime", "gYear", "gYearMonth", "time", "duration", "nonNegativeInteger"];
const CODE_LIST: &str = "kodlista";

/// One choice of a select or checkbox group.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The kind of input of a field.
pub enum Input {
    Text(String),
    Area(String),
    Select(Vec<Opt>),
    Checks(Vec<Opt>),
    Flag(bool),
}

/// One labelled field with its message.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub input: Input,
    pub error: Option<String>,
    /// The language of the text typed into it ("" when not a text in one language).
    pub lang: &'static str,
    pub required: bool,
}

/// A headed group of fields (a fieldset).
pub struct Group {
    pub legend: String,
    pub fields: Vec<Field>,
}

/// One requirement row: data collection, level, condition.
pub struct ReqRow {
    pub n: usize,
    pub collections: Vec<Opt>,
    pub levels: Vec<Opt>,
    pub condition: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "edit_variable.html")]
struct EditPage {
    chrome: Chrome,
    csrf: String,
    action: String,
    is_new: bool,
    groups: Vec<Group>,
    requirements: Vec<ReqRow>,
    rows: usize,
    based_on: String,
    message: String,
    problem: Option<String>,
    conflict: Option<Vec<String>>,
    errors: Vec<(String, String)>,
    use_cases: Vec<(String, String)>,
    cancel_href: String,
}

/// What the form holds, as typed.
#[derive(Clone, Debug, Default)]
struct VariableInput {
    id: String,
    label_sv: String,
    label_en: String,
    definition_sv: String,
    definition_en: String,
    notation: String,
    datatype: String,
    code_list: String,
    coding_systems: Vec<String>,
    unit: String,
    minimum: String,
    maximum: String,
    missing: String,
    temporal: String,
    datasets: Vec<String>,
    owner: String,
    reference_group: String,
    priority: String,
    requirements: Vec<(String, String, String)>,
    io_note: String,
    scope_notes: String,
    sources: String,
    see_also: String,
    concepts: String,
    exact_matches: String,
    editorial_note: String,
    needs_input: bool,
    message: String,
    based_on: String,
}

fn level_value(l: RequirementLevel) -> &'static str {
    match l {
        RequirementLevel::Required => "required",
        RequirementLevel::Conditional => "conditional",
        RequirementLevel::Optional => "optional",
    }
}

fn lines(iris: &[NamedNode]) -> String {
    iris.iter().map(NamedNode::as_str).collect::<Vec<_>>().join("\n")
}

impl VariableInput {
    fn of(v: &Variable, id: &str) -> Self {
        let (datatype, code_list) = match &v.representation {
            Some(Representation::Datatype(d)) => (d.as_str().strip_prefix(xsd::NS).unwrap_or(d.as_str()).to_owned(), String::new()),
            Some(Representation::CodeList { scheme, .. }) => (CODE_LIST.to_owned(), scheme.as_str().to_owned()),
            None => (String::new(), String::new()),
        };
        Self {
            id: id.to_owned(),
            label_sv: v.label.get("sv").unwrap_or("").to_owned(),
            label_en: v.label.get("en").unwrap_or("").to_owned(),
            definition_sv: v.definition.get("sv").unwrap_or("").to_owned(),
            definition_en: v.definition.get("en").unwrap_or("").to_owned(),
            notation: v.notation.clone().unwrap_or_default(),
            datatype,
            code_list,
            coding_systems: v.coding_systems.iter().map(|i| i.as_str().to_owned()).collect(),
            unit: v.unit.clone().unwrap_or_default(),
            minimum: v.minimum.as_ref().map(|l| l.value().to_owned()).unwrap_or_default(),
            maximum: v.maximum.as_ref().map(|l| l.value().to_owned()).unwrap_or_default(),
            missing: v.missing_values.join(", "),
            temporal: v.temporal.iter().map(Period::label).collect::<Vec<_>>().join("\n"),
            datasets: v.datasets.iter().map(|i| i.as_str().to_owned()).collect(),
            owner: v.owner().map(|o| o.as_str().to_owned()).unwrap_or_default(),
            reference_group: v.reference_group.get("sv").unwrap_or("").to_owned(),
            priority: v.priority.map(|p| p.to_string()).unwrap_or_default(),
            requirements: v
                .requirements
                .iter()
                .map(|r| {
                    (r.collection.as_str().to_owned(), level_value(r.level).to_owned(), r.condition.get("sv").unwrap_or("").to_owned())
                })
                .collect(),
            io_note: v.input_output_note.get("sv").unwrap_or("").to_owned(),
            scope_notes: v.scope_notes.iter().filter(|s| s.lang == "sv").map(|s| s.value.clone()).collect::<Vec<_>>().join("\n"),
            sources: lines(&v.sources),
            see_also: lines(&v.see_also),
            concepts: lines(&v.concepts),
            exact_matches: lines(&v.exact_matches),
            editorial_note: v.editorial_note.get("sv").unwrap_or("").to_owned(),
            needs_input: v.needs_input,
            message: String::new(),
            based_on: String::new(),
        }
    }

    fn from_form(form: &FormData) -> Self {
        let rows: usize = form.value("krav_rader").parse().unwrap_or(0).min(500);
        let requirements = (0..rows)
            .map(|n| {
                (form.value(&format!("krav_samling_{n}")), form.value(&format!("krav_niva_{n}")), form.value(&format!("krav_villkor_{n}")))
            })
            .collect();
        Self {
            id: form.value("id").trim().to_owned(),
            label_sv: form.value("benamning_sv"),
            label_en: form.value("benamning_en"),
            definition_sv: form.value("definition_sv"),
            definition_en: form.value("definition_en"),
            notation: form.value("tekniskt_namn"),
            datatype: form.value("datatyp"),
            code_list: form.value("kodlista"),
            coding_systems: form.all("kodverk"),
            unit: form.value("enhet"),
            minimum: form.value("minimum"),
            maximum: form.value("maximum"),
            missing: form.value("saknade"),
            temporal: form.value("tidsperioder"),
            datasets: form.all("datamangd"),
            owner: form.value("agare"),
            reference_group: form.value("referensgrupp"),
            priority: form.value("prioritet"),
            requirements,
            io_note: form.value("in_ut"),
            scope_notes: form.value("anmarkningar"),
            sources: form.value("kallor"),
            see_also: form.value("se_aven"),
            concepts: form.value("begrepp"),
            exact_matches: form.value("motsvarar"),
            editorial_note: form.value("redaktionell"),
            needs_input: form.text("behover_underlag").is_some(),
            message: form.value("meddelande"),
            based_on: form.value("grund"),
        }
    }
}

/// The choices the form offers: public datasets, code lists, coding systems and agents.
struct Choices {
    datasets: Vec<(String, String)>,
    code_lists: Vec<(String, String)>,
    standards: Vec<(String, String)>,
    agents: Vec<(String, String)>,
}

/// The public records of one kind as (IRI, label) pairs, by label: the options of a form's
/// select or checkboxes (also used by `web::edit_record`).
pub(super) fn choice_list(c: &Curation, kind: RecordKind, lang: Lang) -> Result<Vec<(String, String)>, CurationError> {
    let (_, records) = c.catalogue().public_list(kind, 0, 100_000)?;
    let mut out: Vec<(String, String)> =
        records.iter().map(|r| (r.iri().as_str().to_owned(), r.label().best(lang.code()).to_owned())).collect();
    out.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()));
    Ok(out)
}

fn choices(c: &Curation, lang: Lang) -> Result<Choices, CurationError> {
    let list = |kind| choice_list(c, kind, lang);
    Ok(Choices {
        datasets: list(RecordKind::Dataset)?,
        code_lists: list(RecordKind::CodeList)?,
        standards: list(RecordKind::Standard)?,
        agents: list(RecordKind::Agent)?,
    })
}

type Errors = BTreeMap<&'static str, String>;

fn parse_iri_lines(text: &str, key: &'static str, errors: &mut Errors, en: bool) -> Vec<NamedNode> {
    let mut out = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        match NamedNode::new(line) {
            Ok(i) if line.starts_with("http://") || line.starts_with("https://") => out.push(i),
            _ => {
                errors.entry(key).or_insert_with(|| {
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

/// A range bound typed by the variable's datatype.
fn bound(text: &str, datatype: &str) -> Result<Option<Literal>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match datatype {
        "integer" | "nonNegativeInteger" => {
            t.parse::<i64>().map(|n| Some(Literal::new_typed_literal(n.to_string(), xsd::INTEGER))).map_err(|_| ())
        }
        "decimal" => {
            t.replace(',', ".").parse::<f64>().map(|_| Some(Literal::new_typed_literal(t.replace(',', "."), xsd::DECIMAL))).map_err(|_| ())
        }
        "date" | "gYear" | "gYearMonth" | "dateTime" => Temporal::parse(t).map(|x| Some(x.literal().clone())).ok_or(()),
        _ => {
            if let Ok(n) = t.parse::<i64>() {
                Ok(Some(Literal::new_typed_literal(n.to_string(), xsd::INTEGER)))
            } else if t.replace(',', ".").parse::<f64>().is_ok() {
                Ok(Some(Literal::new_typed_literal(t.replace(',', "."), xsd::DECIMAL)))
            } else {
                Err(())
            }
        }
    }
}

fn parse_periods(text: &str, errors: &mut Errors, en: bool) -> Vec<Period> {
    let mut out = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let (a, b) = if let Some((a, b)) = line.split_once('–') {
            (a, b)
        } else if let Some((a, b)) = line.split_once('/') {
            (a, b)
        } else if let Some((a, b)) = line.split_once(" - ") {
            (a, b)
        } else {
            (line, "")
        };
        let side = |s: &str| if s.trim().is_empty() { Some(None) } else { Temporal::parse(s).map(Some) };
        match (side(a), side(b)) {
            (Some(start), Some(end)) if start.is_some() || end.is_some() => out.push(Period { start, end }),
            _ => {
                errors.entry("tidsperioder").or_insert_with(|| {
                    if en {
                        format!("Line {}: write the period as 1997– or 1997–2008 (years or dates).", n + 1)
                    } else {
                        format!("Rad {}: skriv tidsperioden som 1997– eller 1997–2008 (år eller datum).", n + 1)
                    }
                });
            }
        }
    }
    out
}

fn unit_ok(unit: &str) -> bool {
    unit.len() <= 40 && unit.chars().all(|c| c.is_ascii_alphanumeric() || "[]{}/.*%^'_-".contains(c))
}

/// Applies the typed values to a variable; every problem is named by its field.
fn apply(input: &VariableInput, mut v: Variable, ch: &Choices, lang: Lang) -> Result<Variable, Errors> {
    let en = lang == Lang::En;
    let mut errors = Errors::new();
    let msg = |sv: &str, e: &str| if en { e.to_owned() } else { sv.to_owned() };
    if input.label_sv.trim().is_empty() {
        errors.insert("benamning_sv", msg("Ange en benämning på svenska.", "Give a Swedish label."));
    }
    v.label.set("sv", input.label_sv.trim());
    v.label.set("en", input.label_en.trim());
    v.definition.set("sv", input.definition_sv.trim());
    v.definition.set("en", input.definition_en.trim());
    v.notation = Some(input.notation.trim().to_owned()).filter(|s| !s.is_empty());
    if input.notation.trim().chars().any(char::is_whitespace) {
        errors.insert(
            "tekniskt_namn",
            msg("Det tekniska namnet får inte innehålla mellanslag.", "The technical name cannot contain spaces."),
        );
    }
    let dt = input.datatype.trim();
    v.representation = match dt {
        "" => None,
        CODE_LIST => match ch.code_lists.iter().find(|(i, _)| *i == input.code_list) {
            Some((i, _)) => {
                let datatype = match &v.representation {
                    Some(Representation::CodeList { datatype, .. }) => datatype.clone(),
                    _ => xsd::STRING.into_owned(),
                };
                Some(Representation::CodeList { scheme: NamedNode::new_unchecked(i), datatype })
            }
            None => {
                errors.insert("kodlista", msg("Välj kodlistan som värdena kommer från.", "Choose the code list the values come from."));
                v.representation.clone()
            }
        },
        d if DATATYPES.contains(&d) => Some(Representation::Datatype(NamedNode::new_unchecked(format!("{}{d}", xsd::NS)))),
        _ => {
            errors.insert("datatyp", msg("Välj en datatyp i listan.", "Choose a data type from the list."));
            v.representation.clone()
        }
    };
    v.coding_systems = input
        .coding_systems
        .iter()
        .filter(|i| ch.standards.iter().any(|(s, _)| s == *i))
        .map(|i| NamedNode::new_unchecked(i.as_str()))
        .collect();
    let unit = input.unit.trim();
    if !unit.is_empty() && !unit_ok(unit) {
        errors.insert(
            "enhet",
            msg(
                "Enheten ska vara en UCUM-kod utan mellanslag, t.ex. d, kg eller mm[Hg].",
                "The unit must be a UCUM code without spaces, e.g. d, kg or mm[Hg].",
            ),
        );
    }
    v.unit = Some(unit.to_owned()).filter(|s| !s.is_empty());
    let range_type = if dt == CODE_LIST { "" } else { dt };
    let bad_bound = |en: bool| {
        if en {
            "Write a number (or a date for date types).".to_owned()
        } else {
            "Skriv ett tal (eller ett datum för datumtyper).".to_owned()
        }
    };
    match bound(&input.minimum, range_type) {
        Ok(b) => v.minimum = b,
        Err(()) => {
            errors.insert("minimum", bad_bound(en));
        }
    }
    match bound(&input.maximum, range_type) {
        Ok(b) => v.maximum = b,
        Err(()) => {
            errors.insert("maximum", bad_bound(en));
        }
    }
    if let (Some(a), Some(b)) = (&v.minimum, &v.maximum) {
        let smaller = match (a.value().parse::<f64>(), b.value().parse::<f64>()) {
            (Ok(x), Ok(y)) => x <= y,
            _ => a.value() <= b.value(),
        };
        if !smaller && !errors.contains_key("maximum") {
            errors.insert("maximum", msg("Det högsta värdet är mindre än det lägsta.", "The maximum is smaller than the minimum."));
        }
    }
    v.missing_values = input.missing.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    v.temporal = parse_periods(&input.temporal, &mut errors, en);
    v.datasets =
        input.datasets.iter().filter(|i| ch.datasets.iter().any(|(d, _)| d == *i)).map(|i| NamedNode::new_unchecked(i.as_str())).collect();
    v.datasets.sort();
    v.attributions.retain(|a| a.role.as_str() != eu::ROLE_OWNER);
    if !input.owner.is_empty() {
        match ch.agents.iter().find(|(a, _)| *a == input.owner) {
            Some((a, _)) => {
                v.attributions.push(Attribution { agent: NamedNode::new_unchecked(a), role: NamedNode::new_unchecked(eu::ROLE_OWNER) })
            }
            None => {
                errors.insert("agare", msg("Välj ägaren i listan.", "Choose the owner from the list."));
            }
        }
    }
    v.reference_group.set("sv", input.reference_group.trim());
    v.priority = match input.priority.trim() {
        "" => None,
        p => match p.parse::<u64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                errors.insert(
                    "prioritet",
                    msg("Prioriteten ska vara ett heltal, 1 eller större.", "The priority must be a whole number, 1 or more."),
                );
                v.priority
            }
        },
    };
    let mut requirements = Vec::new();
    for (n, (collection, level, condition)) in input.requirements.iter().enumerate() {
        if collection.is_empty() {
            if !condition.trim().is_empty() {
                errors.entry("krav").or_insert_with(|| {
                    if en { format!("Row {}: choose the data collection.", n + 1) } else { format!("Rad {}: välj datainsamling.", n + 1) }
                });
            }
            continue;
        }
        let level = match level.as_str() {
            "required" => Some(RequirementLevel::Required),
            "conditional" => Some(RequirementLevel::Conditional),
            "optional" => Some(RequirementLevel::Optional),
            _ => None,
        };
        match (ch.datasets.iter().find(|(d, _)| d == collection), level) {
            (Some((d, _)), Some(level)) => {
                if level == RequirementLevel::Conditional && condition.trim().is_empty() {
                    errors.entry("krav").or_insert_with(|| {
                        if en {
                            format!("Row {}: a conditional requirement needs its condition.", n + 1)
                        } else {
                            format!("Rad {}: ett villkorat krav behöver sitt villkor.", n + 1)
                        }
                    });
                }
                requirements.push(Requirement {
                    collection: NamedNode::new_unchecked(d),
                    level,
                    condition: LangText::new().with("sv", condition.trim()),
                });
            }
            (None, _) => {
                errors.entry("krav").or_insert_with(|| {
                    if en {
                        format!("Row {}: choose a data collection from the list.", n + 1)
                    } else {
                        format!("Rad {}: välj en datainsamling i listan.", n + 1)
                    }
                });
            }
            (_, None) => {
                errors.entry("krav").or_insert_with(|| {
                    if en {
                        format!("Row {}: choose how strongly it is required.", n + 1)
                    } else {
                        format!("Rad {}: välj kravnivå.", n + 1)
                    }
                });
            }
        }
    }
    requirements.sort_by(|a, b| (&a.collection, a.level).cmp(&(&b.collection, b.level)));
    v.requirements = requirements;
    v.input_output_note.set("sv", input.io_note.trim());
    v.scope_notes.retain(|s| s.lang != "sv");
    v.scope_notes.extend(input.scope_notes.lines().map(str::trim).filter(|s| !s.is_empty()).map(|s| LangString::new("sv", s)));
    v.sources = parse_iri_lines(&input.sources, "kallor", &mut errors, en);
    v.see_also = parse_iri_lines(&input.see_also, "se_aven", &mut errors, en);
    v.concepts = parse_iri_lines(&input.concepts, "begrepp", &mut errors, en);
    v.exact_matches = parse_iri_lines(&input.exact_matches, "motsvarar", &mut errors, en);
    v.editorial_note.set("sv", input.editorial_note.trim());
    v.needs_input = input.needs_input;
    if errors.is_empty() { Ok(v) } else { Err(errors) }
}

fn opts(all: &[(String, String)], selected: &[String], none: Option<&str>) -> Vec<Opt> {
    let mut out: Vec<Opt> = none
        .into_iter()
        .map(|n| Opt { value: String::new(), label: n.to_owned(), selected: selected.iter().all(String::is_empty) })
        .collect();
    out.extend(all.iter().map(|(v, l)| Opt {
        value: v.clone(),
        label: if l.is_empty() { v.clone() } else { l.clone() },
        selected: selected.contains(v),
    }));
    out
}

struct FormView {
    groups: Vec<Group>,
    requirements: Vec<ReqRow>,
}

/// The fields, grouped, with what was typed and the messages.
fn form_view(input: &VariableInput, ch: &Choices, errors: &Errors, lang: Lang, is_new: bool) -> FormView {
    let en = lang == Lang::En;
    let w = |sv: &str, e: &str| if en { e.to_owned() } else { sv.to_owned() };
    let f = |key: &str| field(lang, key).to_owned();
    let mk = |name: &'static str, label: String, hint: String, input: Input, lang_of: &'static str, required: bool| Field {
        name,
        label,
        hint,
        input,
        error: errors.get(name).cloned(),
        lang: lang_of,
        required,
    };
    let choose = w("Välj…", "Choose…");
    let mut datatypes: Vec<Opt> = vec![Opt { value: String::new(), label: choose.clone(), selected: input.datatype.is_empty() }];
    datatypes.extend(DATATYPES.iter().map(|d| Opt {
        value: (*d).to_owned(),
        label: datatype_label(d, lang),
        selected: input.datatype == *d,
    }));
    datatypes.push(Opt {
        value: CODE_LIST.into(),
        label: w("Koder ur en kodlista", "Codes from a code list"),
        selected: input.datatype == CODE_LIST,
    });
    let mut identity = Vec::new();
    if is_new {
        identity.push(mk(
            "id",
            w("Identifierare", "Identifier"),
            w(
                "Blir en del av adressen: /variable/identifierare. Små bokstäver a–z, siffror och bindestreck.",
                "Becomes part of the address: /variable/identifier. Lower-case a–z, digits and hyphens.",
            ),
            Input::Text(input.id.clone()),
            "",
            true,
        ));
    }
    identity.extend([
        mk("benamning_sv", w("Benämning (svenska)", "Label (Swedish)"), String::new(), Input::Text(input.label_sv.clone()), "sv", true),
        mk("benamning_en", w("Benämning (engelska)", "Label (English)"), String::new(), Input::Text(input.label_en.clone()), "en", false),
        mk(
            "definition_sv",
            w("Definition (svenska)", "Definition (Swedish)"),
            w("Citera källan; hitta inte på.", "Quote the source; do not invent."),
            Input::Area(input.definition_sv.clone()),
            "sv",
            false,
        ),
        mk(
            "definition_en",
            w("Definition (engelska)", "Definition (English)"),
            String::new(),
            Input::Area(input.definition_en.clone()),
            "en",
            false,
        ),
        mk(
            "tekniskt_namn",
            f("technical_name"),
            w("Som i registret, t.ex. HDIA.", "As in the register, e.g. HDIA."),
            Input::Text(input.notation.clone()),
            "",
            false,
        ),
    ]);
    let values = vec![
        mk("datatyp", f("datatype"), String::new(), Input::Select(datatypes), "", false),
        mk(
            "kodlista",
            f("code_list"),
            w("När värdena är koder ur en kodlista.", "When the values are codes from a code list."),
            Input::Select(opts(&ch.code_lists, std::slice::from_ref(&input.code_list), Some(&w("Ingen", "None")))),
            "",
            false,
        ),
        mk("kodverk", f("coding_systems"), String::new(), Input::Checks(opts(&ch.standards, &input.coding_systems, None)), "", false),
        mk(
            "enhet",
            f("unit"),
            w("En UCUM-kod, t.ex. d (dygn), kg, mm[Hg].", "A UCUM code, e.g. d (days), kg, mm[Hg]."),
            Input::Text(input.unit.clone()),
            "",
            false,
        ),
        mk("minimum", w("Lägsta värde", "Minimum"), String::new(), Input::Text(input.minimum.clone()), "", false),
        mk("maximum", w("Högsta värde", "Maximum"), String::new(), Input::Text(input.maximum.clone()), "", false),
        mk("saknade", f("missing"), w("Åtskilda med komma.", "Separated by commas."), Input::Text(input.missing.clone()), "", false),
        mk(
            "tidsperioder",
            f("temporal"),
            w("En period per rad: 1997– eller 1997–2008.", "One period a line: 1997– or 1997–2008."),
            Input::Area(input.temporal.clone()),
            "",
            false,
        ),
    ];
    let context = vec![
        mk("datamangd", f("datasets"), String::new(), Input::Checks(opts(&ch.datasets, &input.datasets, None)), "", false),
        mk(
            "agare",
            w("Ägare (specägare)", "Owner (spec owner)"),
            String::new(),
            Input::Select(opts(&ch.agents, std::slice::from_ref(&input.owner), Some(&w("Ingen", "None")))),
            "",
            false,
        ),
        mk(
            "referensgrupp",
            w("Referensgrupp (svenska)", "Reference group (Swedish)"),
            String::new(),
            Input::Text(input.reference_group.clone()),
            "sv",
            false,
        ),
        mk("prioritet", f("priority"), w("1 är högst.", "1 is the highest."), Input::Text(input.priority.clone()), "", false),
        mk(
            "in_ut",
            w("Skillnad mellan in- och utdata (svenska)", "Where input and output differ (Swedish)"),
            String::new(),
            Input::Area(input.io_note.clone()),
            "sv",
            false,
        ),
    ];
    let notes = vec![
        mk(
            "anmarkningar",
            w("Anmärkningar (svenska)", "Notes (Swedish)"),
            w("En anmärkning per rad.", "One note a line."),
            Input::Area(input.scope_notes.clone()),
            "sv",
            false,
        ),
        mk(
            "kallor",
            f("source"),
            w("Webbadresser, en per rad.", "Web addresses, one a line."),
            Input::Area(input.sources.clone()),
            "",
            false,
        ),
        mk(
            "se_aven",
            f("see_also"),
            w("Webbadresser, en per rad.", "Web addresses, one a line."),
            Input::Area(input.see_also.clone()),
            "",
            false,
        ),
        mk(
            "begrepp",
            f("concept"),
            w("Begreppets adress (IRI), en per rad.", "The concept's address (IRI), one a line."),
            Input::Area(input.concepts.clone()),
            "",
            false,
        ),
        mk(
            "motsvarar",
            f("exact_match"),
            w(
                "Adresser (IRI) till variabler som betyder exakt samma sak, en per rad.",
                "Addresses (IRIs) of variables that mean exactly the same, one a line.",
            ),
            Input::Area(input.exact_matches.clone()),
            "",
            false,
        ),
        mk(
            "redaktionell",
            w("Redaktionell anmärkning (svenska)", "Editorial note (Swedish)"),
            String::new(),
            Input::Area(input.editorial_note.clone()),
            "sv",
            false,
        ),
        mk(
            "behover_underlag",
            w("Behöver underlag från specägaren", "Needs input from the spec owner"),
            String::new(),
            Input::Flag(input.needs_input),
            "",
            false,
        ),
    ];
    let groups = vec![
        Group { legend: w("Benämning och definition", "Label and definition"), fields: identity },
        Group { legend: w("Värden", "Values"), fields: values },
        Group { legend: w("Sammanhang", "Context"), fields: context },
        Group { legend: w("Anmärkningar och källor", "Notes and sources"), fields: notes },
    ];
    let levels = |selected: &str| {
        let mut v = vec![Opt { value: String::new(), label: choose.clone(), selected: selected.is_empty() }];
        for l in [RequirementLevel::Required, RequirementLevel::Conditional, RequirementLevel::Optional] {
            v.push(Opt { value: level_value(l).into(), label: l.label(lang.code()).into(), selected: selected == level_value(l) });
        }
        v
    };
    let mut requirements: Vec<ReqRow> = input
        .requirements
        .iter()
        .filter(|(c, _, cond)| !c.is_empty() || !cond.trim().is_empty())
        .map(|(c, l, cond)| (c.clone(), l.clone(), cond.clone()))
        .chain(std::iter::repeat_n((String::new(), String::new(), String::new()), SPARE_ROWS))
        .enumerate()
        .map(|(n, (c, l, cond))| ReqRow {
            n,
            collections: opts(&ch.datasets, std::slice::from_ref(&c), Some(&w("Ingen", "None"))),
            levels: levels(&l),
            condition: cond,
            error: None,
        })
        .collect();
    if let Some(e) = errors.get("krav") {
        if let Some(first) = requirements.first_mut() {
            first.error = Some(e.clone());
        }
    }
    FormView { groups, requirements }
}

/// Everything needed to draw the form.
struct Draw {
    input: VariableInput,
    errors: Errors,
    problem: Option<String>,
    conflict: Option<Vec<String>>,
    use_cases: Vec<(String, String)>,
}

fn render(ctx: &Ctx, status: StatusCode, is_new: bool, id: &str, label: &str, ch: &Choices, d: Draw) -> HttpResponse {
    let en = ctx.lang == Lang::En;
    let title = match (is_new, en) {
        (true, true) => "New variable".to_owned(),
        (true, false) => "Ny variabel".to_owned(),
        (false, true) => format!("Edit: {label}"),
        (false, false) => format!("Redigera: {label}"),
    };
    let view = form_view(&d.input, ch, &d.errors, ctx.lang, is_new);
    let mut errors = Vec::new();
    for g in &view.groups {
        for f in &g.fields {
            if let Some(e) = &f.error {
                errors.push((format!("f-{}", f.name), format!("{}: {e}", f.label)));
            }
        }
    }
    if let Some(e) = d.errors.get("krav") {
        errors.push(("f-krav_samling_0".into(), e.clone()));
    }
    let rows = view.requirements.len();
    let page = EditPage {
        chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, "variables"),
        csrf: ctx.csrf.clone(),
        action: if is_new { "/variable/ny".into() } else { format!("/variable/{id}/redigera") },
        is_new,
        groups: view.groups,
        requirements: view.requirements,
        rows,
        based_on: d.input.based_on.clone(),
        message: d.input.message.clone(),
        problem: d.problem,
        conflict: d.conflict,
        errors,
        use_cases: d.use_cases,
        cancel_href: if is_new { "/arbete".into() } else { format!("/variable/{id}") },
    };
    ctx.respond(status, page.render())
}

/// `GET /variable/ny`.
pub(super) async fn new_variable_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if let Err(e) = require(&req, &ctx, &state, Role::Redaktor) {
        return e.error_response();
    }
    let lang = ctx.lang;
    match curate(&ctx, &state, move |c| choices(c, lang)).await {
        Ok(Ok(ch)) => render(
            &ctx,
            StatusCode::OK,
            true,
            "",
            "",
            &ch,
            Draw { input: VariableInput::default(), errors: Errors::new(), problem: None, conflict: None, use_cases: Vec::new() },
        ),
        Ok(Err(e)) => super::kernel::error::error_page(&ctx, e.to_string()),
        Err(e) => e.error_response(),
    }
}

/// The variable as the form starts from: the working draft, else the published record.
fn starting_point(c: &Curation, iri: &NamedNode) -> Result<Option<(Variable, Option<u64>, Vec<(String, String)>)>, CurationError> {
    let Some((_, r)) = c.current(iri)? else { return Ok(None) };
    let Resource::Variable(v) = r else { return Ok(None) };
    let latest = c.latest_revision(iri)?.map(|r| r.id);
    let mut use_cases = Vec::new();
    for u in c.catalogue().use_cases_of(iri)? {
        let label = c.catalogue().labels(std::slice::from_ref(&u))?.get(&u).map(|l| l.best("sv").to_owned()).unwrap_or_default();
        use_cases.push((label, c.catalogue().minter().path(u.as_str())));
    }
    Ok(Some((v, latest, use_cases)))
}

/// `GET /variable/{id}/redigera`.
pub(super) async fn edit_variable_form(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if let Err(e) = require(&req, &ctx, &state, Role::Redaktor) {
        return e.error_response();
    }
    let id = path.into_inner();
    let Ok(iri) = state.catalogue.minter().record(RecordKind::Variable, &id) else {
        return super::kernel::error::not_found_page(&ctx, Some(RecordKind::Variable));
    };
    let lang = ctx.lang;
    let result = curate(&ctx, &state, move |c| Ok((starting_point(c, &iri)?, choices(c, lang)?))).await;
    match result {
        Ok(Ok((Some((v, latest, use_cases)), ch))) => {
            let mut input = VariableInput::of(&v, &id);
            input.based_on = latest.map(|l| l.to_string()).unwrap_or_default();
            let label = v.label.best(lang.code()).to_owned();
            render(
                &ctx,
                StatusCode::OK,
                false,
                &id,
                &label,
                &ch,
                Draw { input, errors: Errors::new(), problem: None, conflict: None, use_cases },
            )
        }
        Ok(Ok((None, _))) => super::kernel::error::not_found_page(&ctx, Some(RecordKind::Variable)),
        Ok(Err(e)) => super::kernel::error::error_page(&ctx, e.to_string()),
        Err(e) => e.error_response(),
    }
}

enum SaveOutcome {
    Saved,
    Invalid(Errors, Vec<(String, String)>),
    Conflict { lines: Vec<String>, latest: u64, message: String },
    Missing,
}

/// Validates and saves a variable draft (shared by "new" and "edit").
fn save(
    c: &Curation,
    actor: &Actor,
    iri: &NamedNode,
    input: &VariableInput,
    ch: &Choices,
    is_new: bool,
    lang: Lang,
) -> Result<SaveOutcome, CurationError> {
    let en = lang == Lang::En;
    let (base, use_cases) = if is_new {
        let mut errors = Errors::new();
        if check_slug(&input.id).is_err() || input.id == "ny" {
            errors.insert(
                "id",
                if en {
                    "Use lower-case letters a–z, digits and hyphens (not “ny”).".into()
                } else {
                    "Använd små bokstäver a–z, siffror och bindestreck (inte ”ny”).".into()
                },
            );
        } else if c.current(iri)?.is_some() || c.latest_revision(iri)?.is_some() {
            errors.insert(
                "id",
                if en {
                    format!("There is already a variable {}.", input.id)
                } else {
                    format!("Det finns redan en variabel med identifieraren {}.", input.id)
                },
            );
        }
        let mut v = Variable::new(iri.clone(), LangText::new());
        v.identifier = Some(input.id.clone());
        match apply(input, v, ch, lang) {
            Err(mut more) if !errors.is_empty() => {
                more.extend(errors);
                return Ok(SaveOutcome::Invalid(more, Vec::new()));
            }
            Err(more) => return Ok(SaveOutcome::Invalid(more, Vec::new())),
            Ok(_) if !errors.is_empty() => return Ok(SaveOutcome::Invalid(errors, Vec::new())),
            Ok(v) => (v, Vec::new()),
        }
    } else {
        let Some((v, _, use_cases)) = starting_point(c, iri)? else { return Ok(SaveOutcome::Missing) };
        match apply(input, v, ch, lang) {
            Ok(v) => (v, use_cases),
            Err(errors) => return Ok(SaveOutcome::Invalid(errors, use_cases)),
        }
    };
    let _ = use_cases;
    let based_on = input.based_on.trim().parse::<u64>().ok();
    let message =
        if input.message.trim().is_empty() { if is_new { "Ny variabel" } else { "Ändrad i formuläret" } } else { input.message.trim() };
    match c.save_draft(actor, Resource::Variable(base), based_on, message) {
        Ok(_) => Ok(SaveOutcome::Saved),
        Err(CurationError::Conflict { latest, .. }) => {
            // what changed between the revision the edit started from and the latest
            let latest_rev =
                c.state().revisions.latest(iri.as_str())?.ok_or_else(|| CurationError::NotFound { iri: iri.as_str().to_owned() })?;
            let from = match based_on.and_then(|b| c.state().revisions.get(b).ok().flatten()) {
                Some(r) => Some(r),
                None => c.history(iri)?.into_iter().next().filter(|r| r.id != latest_rev.id),
            };
            let lines = match from {
                Some(f) => diff_lines(c, &f, &latest_rev, lang)?,
                None => Vec::new(),
            };
            let err = CurationError::Conflict { iri: iri.as_str().to_owned(), based_on, latest, author: latest_rev.author.clone() };
            Ok(SaveOutcome::Conflict { lines, latest, message: error_text(&err, lang).1 })
        }
        Err(e) => Err(e),
    }
}

async fn save_handler(req: HttpRequest, state: web::Data<AppState>, id: Option<String>, payload: web::Payload) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await {
        Ok(s) => s,
        Err(e) => return e.error_response(),
    };
    let is_new = id.is_none();
    let mut input = VariableInput::from_form(&form);
    let id = id.unwrap_or_else(|| input.id.clone());
    if !is_new {
        input.id = id.clone();
    }
    let lang = ctx.lang;
    let en = lang == Lang::En;
    // an id that is not a slug has no IRI: validate it as a field
    let iri = state
        .catalogue
        .minter()
        .record(RecordKind::Variable, &id)
        .unwrap_or_else(|_| NamedNode::new_unchecked(format!("{}variable/-", state.catalogue.minter().base())));
    if !is_new && state.catalogue.minter().record(RecordKind::Variable, &id).is_err() {
        return super::kernel::error::not_found_page(&ctx, Some(RecordKind::Variable));
    }
    let typed = input.clone();
    let result = curate(&ctx, &state, move |c| {
        let ch = choices(c, lang)?;
        let outcome = save(c, &actor, &iri, &typed, &ch, is_new, lang)?;
        Ok((outcome, ch))
    })
    .await;
    let label = if input.label_sv.is_empty() { id.clone() } else { input.label_sv.clone() };
    match result {
        Ok(Ok((SaveOutcome::Saved, _))) => {
            HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/variable/{id}/utkast"))).finish()
        }
        Ok(Ok((SaveOutcome::Invalid(errors, use_cases), ch))) => {
            let problem = Some(if en {
                "The draft was not saved: correct the fields marked below.".to_owned()
            } else {
                "Utkastet sparades inte: rätta fälten som är markerade nedan.".to_owned()
            });
            render(&ctx, StatusCode::BAD_REQUEST, is_new, &id, &label, &ch, Draw { input, errors, problem, conflict: None, use_cases })
        }
        Ok(Ok((SaveOutcome::Conflict { lines, latest, message }, ch))) => {
            input.based_on = latest.to_string();
            let hint = if en {
                " What changed since you started is listed below. If you save again, your version replaces theirs."
            } else {
                " Det som ändrats sedan du började visas nedan. Om du sparar igen ersätter din version deras."
            };
            render(
                &ctx,
                StatusCode::CONFLICT,
                is_new,
                &id,
                &label,
                &ch,
                Draw {
                    input,
                    errors: Errors::new(),
                    problem: Some(format!("{message}{hint}")),
                    conflict: Some(lines),
                    use_cases: Vec::new(),
                },
            )
        }
        Ok(Ok((SaveOutcome::Missing, _))) => super::kernel::error::not_found_page(&ctx, Some(RecordKind::Variable)),
        Ok(Err(e)) => {
            let (status, text) = error_text(&e, lang);
            ctx.fail(Failure::Refused { status: status, message: text, back: ("/arbete").to_owned() }).error_response()
        }
        Err(e) => e.error_response(),
    }
}

/// `POST /variable/ny`.
pub(super) async fn create_variable(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    save_handler(req, state, None, payload).await
}

/// `POST /variable/{id}/redigera`.
pub(super) async fn save_variable(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    save_handler(req, state, Some(path.into_inner()), payload).await
}
