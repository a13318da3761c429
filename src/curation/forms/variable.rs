//! The variable form: every field of a variable specification (DESIGN.md decision 3) and its
//! requirements in data collections, one row each.

use oxigraph::model::{Literal, NamedNode};

use super::bind::{Bind, Field, Rows, Spec};
use super::check::{Check, Env, words};
use super::choices::LEVELS;
use super::flow::FormKind;
use super::spec::{CODE_LIST, Cell, Column, FieldSpec, Offer, Row, RowLegend, RowSpec, Value, Widget, Words};
use crate::curation::{Curation, CurationError};
use crate::model::documentation::{missing_text, parse_missing};
use crate::model::vocab::{eu, vk, xsd};
use crate::model::{
    Attribution, LangString, LangText, RecordKind, Representation, Requirement, RequirementLevel, Resource, Temporal, Temporality,
    UnitType, Variable,
};

const CHOOSE: Words = Words::new("Välj…", "Choose…");
const NONE: Words = Words::new("Ingen", "None");
/// The temporalities and unit types offered (`model::documentation`), named by `choices`.
const TEMPORALITIES: Offer = Offer::Vocabulary { base: vk::NS, codes: &["Event", "StatusAtDate", "AccumulatedOverPeriod"] };
const UNIT_TYPES: Offer = Offer::Vocabulary { base: vk::NS, codes: &["Person", "CareEvent", "Stay", "Prescription"] };
const WEB_ADDRESSES: Words = Words::new("Webbadresser, en per rad.", "Web addresses, one a line.");

mod messages {
    use super::Words;

    pub const LABEL: Words = Words::new("Ange en benämning på svenska.", "Give a Swedish label.");
    pub const NOTATION: Words =
        Words::new("Det tekniska namnet får inte innehålla mellanslag.", "The technical name cannot contain spaces.");
    pub const DATATYPE: Words = Words::new("Välj en datatyp i listan.", "Choose a data type from the list.");
    pub const CODE_LIST: Words = Words::new("Välj kodlistan som värdena kommer från.", "Choose the code list the values come from.");
    pub const UNIT: Words = Words::new(
        "Enheten ska vara en UCUM-kod utan mellanslag, t.ex. d, kg eller mm[Hg].",
        "The unit must be a UCUM code without spaces, e.g. d, kg or mm[Hg].",
    );
    pub const BOUND: Words = Words::new("Skriv ett tal (eller ett datum för datumtyper).", "Write a number (or a date for date types).");
    pub const RANGE: Words = Words::new("Det högsta värdet är mindre än det lägsta.", "The maximum is smaller than the minimum.");
    pub const PERIOD: Words = Words::new(
        "Rad {n}: skriv tidsperioden som 1997– eller 1997–2008 (år eller datum).",
        "Line {n}: write the period as 1997– or 1997–2008 (years or dates).",
    );
    pub const OWNER: Words = Words::new("Välj ägaren i listan.", "Choose the owner from the list.");
    pub const PRIORITY: Words =
        Words::new("Prioriteten ska vara ett heltal, 1 eller större.", "The priority must be a whole number, 1 or more.");
    pub const TAKEN: Words = Words::new("Det finns redan en variabel med identifieraren {id}.", "There is already a variable {id}.");
    pub const NO_COLLECTION: Words = Words::new("välj datainsamling", "choose the data collection");
    pub const UNKNOWN_COLLECTION: Words = Words::new("välj en datainsamling i listan", "choose a data collection from the list");
    pub const NO_LEVEL: Words = Words::new("välj kravnivå", "choose how strongly it is required");
    pub const NO_CONDITION: Words = Words::new("ett villkorat krav behöver sitt villkor", "a conditional requirement needs its condition");
}

const fn field(group: usize, name: &'static str, sv: &'static str, en: &'static str, widget: Widget) -> FieldSpec {
    FieldSpec::new(group, name, Words::new(sv, en), widget)
}

const fn custom(spec: FieldSpec, get: fn(&Variable, &Env) -> Value, set: fn(&mut Variable, &mut Check)) -> Field<Variable> {
    Field { spec, bind: Bind::Custom { get, set } }
}

const REQUIREMENTS: RowSpec = RowSpec {
    name: "krav",
    prefix: "krav",
    legend: Words::new("Krav per datainsamling", "Requirement per data collection"),
    hint: Words::new("Spara för att få fler tomma rader.", "Save to get more empty rows."),
    row: RowLegend::Numbered(Words::new("Rad", "Row")),
    columns: &[
        Column::new(
            "krav_samling",
            Words::new("Datainsamling", "Data collection"),
            Cell::Select { offer: Offer::Records(RecordKind::Dataset), none: NONE },
        ),
        Column::new("krav_niva", Words::new("Krav", "Requirement"), Cell::Select { offer: Offer::Levels, none: CHOOSE }),
        Column::new("krav_villkor", Words::new("Villkor (svenska)", "Condition (Swedish)"), Cell::Text).lang("sv"),
    ],
    keep: &["krav_samling", "krav_villkor"],
    count: "krav_rader",
    max: 500,
    spare: 2,
    row_word: Words::new("Rad", "Row"),
    problem: Words::new("Rätta kravraderna som är markerade nedan.", "Correct the requirement rows marked below."),
};

static SPEC: Spec<Variable> = Spec {
    kind: RecordKind::Variable,
    id: field(0, "id", "Identifierare", "Identifier", Widget::Text)
        .hint(Words::new(
            "Blir en del av adressen: /variable/identifierare. Små bokstäver a–z, siffror och bindestreck.",
            "Becomes part of the address: /variable/identifier. Lower-case a–z, digits and hyphens.",
        ))
        .required(words::BAD_ID),
    fields: &[
        Field {
            spec: field(0, "benamning_sv", "Benämning (svenska)", "Label (Swedish)", Widget::Text).lang("sv").required(messages::LABEL),
            bind: Bind::Text(|v| &mut v.label),
        },
        Field {
            spec: field(0, "benamning_en", "Benämning (engelska)", "Label (English)", Widget::Text).lang("en"),
            bind: Bind::Text(|v| &mut v.label),
        },
        Field {
            spec: field(0, "definition_sv", "Definition (svenska)", "Definition (Swedish)", Widget::Area)
                .lang("sv")
                .hint(Words::new("Citera källan; hitta inte på.", "Quote the source; do not invent.")),
            bind: Bind::Text(|v| &mut v.definition),
        },
        Field {
            spec: field(0, "definition_en", "Definition (engelska)", "Definition (English)", Widget::Area).lang("en"),
            bind: Bind::Text(|v| &mut v.definition),
        },
        custom(
            field(0, "tekniskt_namn", "Tekniskt namn", "Technical name", Widget::Text)
                .hint(Words::new("Som i registret, t.ex. HDIA.", "As in the register, e.g. HDIA."))
                .invalid(messages::NOTATION),
            |v, _| Value::One(v.notation.clone().unwrap_or_default()),
            set_notation,
        ),
        custom(
            field(1, "datatyp", "Datatyp", "Data type", Widget::Select { offer: Offer::Datatypes, none: CHOOSE })
                .invalid(messages::DATATYPE),
            |v, _| Value::One(datatype_value(v)),
            set_representation,
        ),
        custom(
            field(1, "kodlista", "Kodlista", "Code list", Widget::Select { offer: Offer::Records(RecordKind::CodeList), none: NONE })
                .hint(Words::new("När värdena är koder ur en kodlista.", "When the values are codes from a code list."))
                .invalid(messages::CODE_LIST),
            |v, _| {
                Value::One(v.representation.as_ref().and_then(Representation::code_list).map(|s| s.as_str().to_owned()).unwrap_or_default())
            },
            // applied with the datatype
            |_, _| {},
        ),
        Field {
            spec: field(1, "kodverk", "Kodverk", "Coding systems", Widget::Checks(Offer::Records(RecordKind::Standard))),
            bind: Bind::Iris(|v| &mut v.coding_systems),
        },
        custom(
            field(1, "enhet", "Enhet (UCUM)", "Unit (UCUM)", Widget::Text)
                .hint(Words::new("En UCUM-kod, t.ex. d (dygn), kg, mm[Hg].", "A UCUM code, e.g. d (days), kg, mm[Hg]."))
                .invalid(messages::UNIT),
            |v, _| Value::One(v.unit.clone().unwrap_or_default()),
            set_unit,
        ),
        custom(
            field(1, "minimum", "Lägsta värde", "Minimum", Widget::Text).invalid(messages::BOUND),
            |v, _| Value::One(v.minimum.as_ref().map(|l| l.value().to_owned()).unwrap_or_default()),
            |v, check| v.minimum = bound(check, "minimum", v.minimum.take()),
        ),
        custom(
            field(1, "maximum", "Högsta värde", "Maximum", Widget::Text).invalid(messages::BOUND),
            |v, _| Value::One(v.maximum.as_ref().map(|l| l.value().to_owned()).unwrap_or_default()),
            |v, check| v.maximum = bound(check, "maximum", v.maximum.take()),
        ),
        custom(
            field(1, "saknade", "Koder för saknade värden", "Missing-value codes", Widget::Text).hint(Words::new(
                "Åtskilda med komma, med betydelsen efter likhetstecken: 9 = Uppgift saknas, 99.",
                "Separated by commas, with the meaning (in Swedish) after an equals sign: 9 = Uppgift saknas, 99.",
            )),
            |v, _| Value::One(missing_text(&v.missing_values, &v.missing_meanings, ", ")),
            |v, check| {
                let (codes, meanings) = parse_missing(check.text("saknade"), &[',', '\n'], &v.missing_meanings);
                v.missing_values = codes;
                v.missing_meanings = meanings;
            },
        ),
        custom(
            field(1, "temporalitet", "Temporalitet", "Temporality", Widget::Select { offer: TEMPORALITIES, none: NONE }).hint(Words::new(
                "Om värdet gäller en händelse, ett tillstånd vid en tidpunkt eller har ackumulerats över en period.",
                "Whether the value is an event, a status at a date or accumulated over a period.",
            )),
            |v, _| Value::One(v.temporality.map(|t| t.iri().as_str().to_owned()).unwrap_or_default()),
            |v, check| v.temporality = check.select("temporalitet").and_then(|i| Temporality::from_iri(&i)),
        ),
        custom(
            field(1, "enhetstyp", "Enhetstyp", "Unit type", Widget::Select { offer: UNIT_TYPES, none: NONE }).hint(Words::new(
                "Vad en rad i data beskriver: en person, en händelse, ett vårdtillfälle eller en förskrivning.",
                "What a row of the data describes: a person, an event, a stay or a prescription.",
            )),
            |v, _| Value::One(v.unit_type.map(|t| t.iri().as_str().to_owned()).unwrap_or_default()),
            |v, check| v.unit_type = check.select("enhetstyp").and_then(|i| UnitType::from_iri(&i)),
        ),
        Field {
            spec: field(1, "tidsperioder", "Tidsperiod", "Temporal coverage", Widget::Periods)
                .hint(Words::new("En period per rad: 1997– eller 1997–2008.", "One period a line: 1997– or 1997–2008."))
                .invalid(messages::PERIOD),
            bind: Bind::Periods(|v| &mut v.temporal),
        },
        Field {
            spec: field(2, "datamangd", "Finns i datamängder", "Held in datasets", Widget::Checks(Offer::Records(RecordKind::Dataset))),
            bind: Bind::Iris(|v| &mut v.datasets),
        },
        custom(
            field(
                2,
                "agare",
                "Ägare (specägare)",
                "Owner (spec owner)",
                Widget::Select { offer: Offer::Records(RecordKind::Agent), none: NONE },
            )
            .invalid(messages::OWNER),
            |v, _| Value::One(v.owner().map(|o| o.as_str().to_owned()).unwrap_or_default()),
            set_owner,
        ),
        Field {
            spec: field(2, "referensgrupp", "Referensgrupp (svenska)", "Reference group (Swedish)", Widget::Text).lang("sv"),
            bind: Bind::Text(|v| &mut v.reference_group),
        },
        custom(
            field(2, "prioritet", "Prioritet", "Priority", Widget::Text)
                .hint(Words::new("1 är högst.", "1 is the highest."))
                .invalid(messages::PRIORITY),
            |v, _| Value::One(v.priority.map(|p| p.to_string()).unwrap_or_default()),
            set_priority,
        ),
        Field {
            spec: field(2, "in_ut", "Skillnad mellan in- och utdata (svenska)", "Where input and output differ (Swedish)", Widget::Area)
                .lang("sv"),
            bind: Bind::Text(|v| &mut v.input_output_note),
        },
        custom(
            field(3, "anmarkningar", "Anmärkningar (svenska)", "Notes (Swedish)", Widget::Area)
                .lang("sv")
                .hint(Words::new("En anmärkning per rad.", "One note a line.")),
            |v, _| Value::One(v.scope_notes.iter().filter(|s| s.lang == "sv").map(|s| s.value.as_str()).collect::<Vec<_>>().join("\n")),
            |v, check| {
                v.scope_notes.retain(|s| s.lang != "sv");
                let notes = check.lines("anmarkningar").into_iter().map(|(_, l)| LangString::new("sv", l));
                v.scope_notes.extend(notes);
            },
        ),
        Field { spec: field(3, "kallor", "Källa", "Source", Widget::IriLines).hint(WEB_ADDRESSES), bind: Bind::Iris(|v| &mut v.sources) },
        Field {
            spec: field(3, "se_aven", "Se även", "See also", Widget::IriLines).hint(WEB_ADDRESSES),
            bind: Bind::Iris(|v| &mut v.see_also),
        },
        Field {
            spec: field(3, "begrepp", "Begrepp", "Concept", Widget::Checks(Offer::Records(RecordKind::Concept))).hint(Words::new(
                "Begreppen (koder i katalogens kodlistor) som variabeln avser.",
                "The concepts (codes of the catalogue's code lists) the variable stands for.",
            )),
            bind: Bind::Iris(|v| &mut v.concepts),
        },
        Field {
            spec: field(3, "motsvarar", "Motsvarar", "Exact match", Widget::IriLines).hint(Words::new(
                "Adresser (IRI) till variabler som betyder exakt samma sak, en per rad.",
                "Addresses (IRIs) of variables that mean exactly the same, one a line.",
            )),
            bind: Bind::Iris(|v| &mut v.exact_matches),
        },
        Field {
            spec: field(3, "redaktionell", "Redaktionell anmärkning (svenska)", "Editorial note (Swedish)", Widget::Area).lang("sv"),
            bind: Bind::Text(|v| &mut v.editorial_note),
        },
        Field {
            spec: field(3, "behover_underlag", "Behöver underlag från specägaren", "Needs input from the spec owner", Widget::Flag),
            bind: Bind::Flag(|v| &mut v.needs_input),
        },
    ],
    groups: &[
        Words::new("Benämning och definition", "Label and definition"),
        Words::new("Värden", "Values"),
        Words::new("Sammanhang", "Context"),
        Words::new("Anmärkningar och källor", "Notes and sources"),
    ],
    rows: Some(Rows { spec: &REQUIREMENTS, get: requirement_rows, set: set_requirements }),
    title: ("benamning_sv", "benamning_en"),
    finish,
    taken: messages::TAKEN,
    new_message: "Ny variabel",
};

/// The variable form.
pub struct VariableForm;

impl FormKind for VariableForm {
    type Record = Variable;

    fn spec() -> &'static Spec<Variable> {
        &SPEC
    }

    fn load(c: &Curation, iri: &NamedNode) -> Result<Option<Variable>, CurationError> {
        Ok(match c.current(iri)? {
            Some((_, Resource::Variable(v))) => Some(v),
            _ => None,
        })
    }

    fn blank(iri: NamedNode, id: &str) -> Variable {
        let mut v = Variable::new(iri, LangText::new());
        v.identifier = Some(id.to_owned()).filter(|s| !s.is_empty());
        v
    }

    fn records(_: &Variable, after: Variable) -> Vec<Resource> {
        vec![Resource::Variable(after)]
    }

    /// The use cases that name the variable (a use case lists its variables).
    fn named_by(c: &Curation, iri: &NamedNode) -> Result<Vec<(String, NamedNode)>, CurationError> {
        let cat = c.catalogue();
        let mut out = Vec::new();
        for u in cat.use_cases_of(iri)? {
            let label = cat.labels(std::slice::from_ref(&u))?.get(&u).map(|l| l.best("sv").to_owned()).unwrap_or_default();
            out.push((label, u));
        }
        Ok(out)
    }
}

/// The datatype as the form shows it: an XSD local name, [`CODE_LIST`], or the IRI of another
/// datatype.
fn datatype_value(v: &Variable) -> String {
    match &v.representation {
        Some(Representation::Datatype(d)) => d.as_str().strip_prefix(xsd::NS).unwrap_or(d.as_str()).to_owned(),
        Some(Representation::CodeList { .. }) => CODE_LIST.to_owned(),
        None => String::new(),
    }
}

fn set_notation(v: &mut Variable, check: &mut Check) {
    let notation = check.text("tekniskt_namn").to_owned();
    if notation.chars().any(char::is_whitespace) {
        check.invalid("tekniskt_namn", messages::NOTATION, None);
    }
    v.notation = Some(notation).filter(|s| !s.is_empty());
}

/// The datatype and, for codes, the code list; the datatype the record has is kept as it is.
fn set_representation(v: &mut Variable, check: &mut Check) {
    let chosen = check.text("datatyp").to_owned();
    if chosen.is_empty() {
        v.representation = None;
    } else if chosen == CODE_LIST {
        match check.select("kodlista") {
            Some(scheme) => {
                let datatype = match &v.representation {
                    Some(Representation::CodeList { datatype, .. }) => datatype.clone(),
                    _ => xsd::STRING.into_owned(),
                };
                v.representation = Some(Representation::CodeList { scheme, datatype });
            }
            None => check.invalid("kodlista", messages::CODE_LIST, None),
        }
    } else if chosen != datatype_value(v)
        && let Some(d) = check.pick("datatyp")
    {
        v.representation = Some(Representation::Datatype(NamedNode::new_unchecked(format!("{}{d}", xsd::NS))));
    }
}

fn unit_ok(unit: &str) -> bool {
    unit.len() <= 40 && unit.chars().all(|c| c.is_ascii_alphanumeric() || "[]{}/.*%^'_-".contains(c))
}

fn set_unit(v: &mut Variable, check: &mut Check) {
    let unit = check.text("enhet").to_owned();
    if !unit.is_empty() && !unit_ok(&unit) {
        check.invalid("enhet", messages::UNIT, None);
    }
    v.unit = Some(unit).filter(|s| !s.is_empty());
}

/// A range bound typed by the variable's datatype; a bound typed as it was is kept as it was.
fn bound(check: &mut Check, name: &'static str, was: Option<Literal>) -> Option<Literal> {
    let text = check.text(name).to_owned();
    if was.as_ref().is_some_and(|l| l.value() == text) && check.unchanged("datatyp") {
        return was;
    }
    let datatype = check.text("datatyp");
    let datatype = if datatype == CODE_LIST { "" } else { datatype };
    match typed_bound(&text, datatype) {
        Ok(b) => b,
        Err(()) => {
            check.invalid(name, messages::BOUND, None);
            was
        }
    }
}

/// A range bound typed by the datatype: a whole number, a decimal (a comma read as a point)
/// or a date for date types; a number of either kind for other datatypes.
fn typed_bound(text: &str, datatype: &str) -> Result<Option<Literal>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let integer = || t.parse::<i64>().map(|n| Literal::new_typed_literal(n.to_string(), xsd::INTEGER));
    let decimal = || {
        let d = t.replace(',', ".");
        d.parse::<f64>().map(|_| Literal::new_typed_literal(d, xsd::DECIMAL))
    };
    match datatype {
        "integer" | "nonNegativeInteger" => integer().map(Some).map_err(drop),
        "decimal" => decimal().map(Some).map_err(drop),
        "date" | "gYear" | "gYearMonth" | "dateTime" => Temporal::read(t).map(|x| Some(x.literal().clone())).ok_or(()),
        _ => integer().map(Some).or_else(|_| decimal().map(Some)).map_err(drop),
    }
}

fn set_owner(v: &mut Variable, check: &mut Check) {
    v.attributions.retain(|a| a.role.as_str() != eu::ROLE_OWNER);
    if let Some(agent) = check.select("agare") {
        v.attributions.push(Attribution { agent, role: NamedNode::new_unchecked(eu::ROLE_OWNER) });
        v.attributions.sort();
    }
}

fn set_priority(v: &mut Variable, check: &mut Check) {
    let text = check.text("prioritet").to_owned();
    v.priority = match text.parse::<u64>() {
        _ if text.is_empty() => None,
        Ok(n) if n >= 1 => Some(n),
        _ => {
            check.invalid("prioritet", messages::PRIORITY, None);
            v.priority
        }
    };
}

fn level_value(l: RequirementLevel) -> &'static str {
    LEVELS.iter().find(|(_, x)| *x == l).map(|(v, _)| *v).unwrap_or_default()
}

fn requirement_rows(v: &Variable, _: &Env) -> Vec<Row> {
    v.requirements
        .iter()
        .map(|r| {
            Row::from([
                ("krav_samling", r.collection.as_str().to_owned()),
                ("krav_niva", level_value(r.level).to_owned()),
                ("krav_villkor", r.condition.get("sv").unwrap_or("").to_owned()),
            ])
        })
        .collect()
}

/// Each row: a data collection the form offers (or the variable names already), a level, and
/// for a conditional requirement its condition. The condition's other languages are kept.
fn set_requirements(v: &mut Variable, check: &mut Check) {
    let mut requirements = Vec::new();
    for (n, row) in check.rows().iter().enumerate() {
        let cell = |c: &str| row.get(c).map(String::as_str).unwrap_or("");
        let (collection, level, condition) = (cell("krav_samling"), cell("krav_niva"), cell("krav_villkor"));
        let mut problems: Vec<String> = Vec::new();
        if collection.is_empty() {
            problems.push(check.say(messages::NO_COLLECTION));
        } else if !check.row_allowed("krav_samling", collection) || NamedNode::new(collection).is_err() {
            // named, as a link field names an address that is not a record of its kind
            problems.push(format!("{} ({collection})", check.say(messages::UNKNOWN_COLLECTION)));
        }
        let level = LEVELS.iter().find(|(v, _)| *v == level).map(|(_, l)| *l);
        if level.is_none() && !collection.is_empty() {
            problems.push(check.say(messages::NO_LEVEL));
        }
        if level == Some(RequirementLevel::Conditional) && condition.is_empty() {
            problems.push(check.say(messages::NO_CONDITION));
        }
        if !problems.is_empty() {
            check.row_problem_text(&REQUIREMENTS, n, &problems.join("; "));
            continue;
        }
        let (collection, level) = (NamedNode::new_unchecked(collection), level.unwrap_or(RequirementLevel::Optional));
        let mut text =
            v.requirements.iter().find(|r| r.collection == collection && r.level == level).map(|r| r.condition.clone()).unwrap_or_default();
        text.set("sv", condition);
        requirements.push(Requirement { collection, level, condition: text });
    }
    requirements.sort_by(|a, b| (&a.collection, a.level).cmp(&(&b.collection, b.level)));
    v.requirements = requirements;
}

fn finish(v: &mut Variable, check: &mut Check) {
    v.datasets.sort();
    if let (Some(a), Some(b)) = (&v.minimum, &v.maximum) {
        let smaller = match (a.value().parse::<f64>(), b.value().parse::<f64>()) {
            (Ok(x), Ok(y)) => x <= y,
            _ => a.value() <= b.value(),
        };
        if !smaller {
            let text = check.say(messages::RANGE);
            check.fail("maximum", text);
        }
    }
}
