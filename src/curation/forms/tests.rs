//! The form engine without a catalogue: reading a submission, checking it (messages named by
//! field and row, in Swedish and English), applying it (fields the form does not show are
//! kept), and the round trip of every kind: a record read into a form and applied back is
//! unchanged.

use std::collections::BTreeMap;

use oxigraph::model::{Literal, NamedNode, Triple};

use super::bind::{apply, values_of};
use super::check::{Check, Env};
use super::choices::{Choice, Choices, Label};
use super::codelist::{CodeListForm, ListAndCodes};
use super::dataset::DatasetForm;
use super::flow::FormKind;
use super::spec::{Errors, FormInput, Submitted, Value};
use super::usecase::UseCaseForm;
use super::variable::VariableForm;
use crate::config::Lang;
use crate::model::vocab::{eu, health, xsd};
use crate::model::{
    Attribution, CodeList, Concept, Dataset, LangString, LangText, Minter, Period, RecordKind, Representation, Requirement,
    RequirementLevel, Resource, Temporal, UseCase, Variable,
};

const BASE: &str = "https://vardkatalogen.example/";

fn iri(path: &str) -> NamedNode {
    NamedNode::new(if path.contains(':') { path.to_owned() } else { format!("{BASE}{path}") }).unwrap()
}

fn period(text: &str) -> Period {
    Period::parse(text).unwrap()
}

/// A record as the store gives it back: written to RDF and read again (lists sorted).
fn stored(r: Resource) -> Resource {
    Resource::from_graph(r.kind(), r.iri(), &r.to_graph()).unwrap()
}

/// A submission as a browser sends it.
struct Sent(Vec<(String, String)>);

impl Sent {
    fn new(pairs: &[(&str, &str)]) -> Self {
        Self(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }
}

impl Submitted for Sent {
    fn value(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    fn values(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// Records that exist, by IRI (what the lookup of record ids answers).
type Known = BTreeMap<String, RecordKind>;

/// Checks `input` against `record` as kind `K` would, and applies it.
fn run<K: FormKind>(record: &K::Record, input: &FormInput, choices: &Choices, known: &Known, lang: Lang) -> (K::Record, Errors) {
    let spec = K::spec();
    let layout = spec.layout();
    let minter = Minter::new(BASE);
    let env = Env { minter: &minter, lang };
    let current = values_of(spec, record, &env);
    let lookup = |i: &NamedNode| Ok(known.get(i.as_str()).copied());
    let mut after = record.clone();
    let mut check = Check::new(input, &current, choices, &layout, &env, &lookup);
    apply(spec, &mut after, &mut check);
    assert!(check.failure().is_none());
    (after, check.errors)
}

/// What the form of `record` shows.
fn shown<K: FormKind>(record: &K::Record) -> FormInput {
    let minter = Minter::new(BASE);
    values_of(K::spec(), record, &Env { minter: &minter, lang: Lang::Sv })
}

/// `record`'s form with `changes` typed into it.
fn typed<K: FormKind>(record: &K::Record, changes: &[(&'static str, &str)]) -> FormInput {
    let mut input = shown::<K>(record);
    for (k, v) in changes {
        input.values.insert(k, Value::One((*v).to_owned()));
    }
    input
}

fn records(kind: RecordKind, names: &[&str]) -> Vec<Choice> {
    names
        .iter()
        .map(|n| Choice { value: iri(&format!("{}/{n}", kind.as_str())).as_str().to_owned(), label: Label::Text((*n).to_owned()) })
        .collect()
}

fn choices() -> Choices {
    Choices::default()
        .with("agare", records(RecordKind::Agent, &["socialstyrelsen", "scb"]))
        .with("utgivare", records(RecordKind::Agent, &["socialstyrelsen", "scb"]))
        .with("kontakt", records(RecordKind::Agent, &["socialstyrelsen", "scb"]))
        .with("datamangd", records(RecordKind::Dataset, &["patientregistret", "lisa"]))
        .with("krav_samling", records(RecordKind::Dataset, &["patientregistret", "lisa"]))
        .with("krav_niva", super::choices::fixed(super::spec::Offer::Levels, Lang::Sv))
        .with("datatyp", super::choices::fixed(super::spec::Offer::Datatypes, Lang::Sv))
        .with("kodlista", records(RecordKind::CodeList, &["kon"]))
}

fn extra(subject: &NamedNode) -> Triple {
    Triple::new(subject.clone(), iri("http://example.org/okand-egenskap"), Literal::new_simple_literal("kvar"))
}

fn rich_variable() -> Variable {
    let mut v = Variable::new(iri("variable/par-hdia"), LangText::sv("Huvuddiagnos").with("en", "Main diagnosis"));
    v.identifier = Some("par-hdia".into());
    v.notation = Some("HDIA".into());
    v.definition = LangText::sv("Den diagnos som främst föranlett vårdtillfället").with("en", "The main condition");
    v.representation = Some(Representation::CodeList { scheme: iri("codelist/icd-10-se"), datatype: xsd::STRING.into_owned() });
    v.coding_systems = vec![iri("standard/icd-10-se")];
    v.unit = Some("d".into());
    v.minimum = Some(Literal::new_typed_literal("0", xsd::INTEGER));
    v.maximum = Some(Literal::new_typed_literal("120", xsd::INTEGER));
    v.missing_values = vec!["9".into(), "99".into()];
    v.temporal = vec![period("1964–1986"), period("1997–")];
    v.datasets = vec![iri("dataset/gammalt-register"), iri("dataset/patientregistret")];
    v.attributions = vec![
        Attribution { agent: iri("agent/nedlagd-myndighet"), role: NamedNode::new_unchecked(eu::ROLE_OWNER) },
        Attribution { agent: iri("agent/scb"), role: iri("http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/custodian") },
    ];
    v.reference_group = LangText::sv("Referensgruppen för slutenvård");
    v.priority = Some(2);
    v.requirements = vec![
        Requirement { collection: iri("dataset/patientregistret"), level: RequirementLevel::Required, condition: LangText::new() },
        Requirement {
            collection: iri("dataset/nedlagd-insamling"),
            level: RequirementLevel::Conditional,
            condition: LangText::sv("Vid slutenvård").with("en", "In inpatient care"),
        },
    ];
    v.input_output_note = LangText::sv("Lämnas ut med tre tecken");
    v.concepts = vec![iri("http://snomed.info/id/8319008")];
    v.exact_matches = vec![iri("https://example.org/variabel/hdia")];
    v.scope_notes = vec![LangString::new("en", "A note"), LangString::new("sv", "En anmärkning"), LangString::new("sv", "En till")];
    v.sources = vec![iri("https://www.socialstyrelsen.se/par")];
    v.see_also = vec![iri("https://www.socialstyrelsen.se/par/variabler")];
    v.version_notes = LangText::sv("Ny definition");
    v.needs_input = true;
    v.editorial_note = LangText::sv("Kontrollera källan");
    v.extra = vec![extra(&v.iri)];
    v
}

fn rich_dataset() -> Dataset {
    let mut d = Dataset::new(iri("dataset/patientregistret"), LangText::sv("Patientregistret").with("en", "The National Patient Register"));
    d.identifier = Some("patientregistret".into());
    d.description = LangText::sv("Vårdtillfällen i slutenvård").with("en", "Inpatient episodes");
    d.keywords = vec![LangString::new("en", "diagnoses"), LangString::new("sv", "diagnoser"), LangString::new("sv", "slutenvård")];
    d.themes = vec![iri(&format!("{}HEAL", eu::DATA_THEME))];
    d.is_part_of = vec![iri("dataset/halsodataregistren")];
    d.publisher = Some(iri("agent/socialstyrelsen"));
    d.contact_points = vec![iri("agent/socialstyrelsen#kontakt")];
    d.attributions = vec![Attribution { agent: iri("agent/socialstyrelsen"), role: NamedNode::new_unchecked(eu::ROLE_OWNER) }];
    d.hdab = Some(iri("agent/socialstyrelsen"));
    d.issued = Temporal::parse("1964");
    d.modified = Temporal::parse("2024-05-01");
    d.temporal = vec![period("1964–")];
    d.spatial = vec![iri(&format!("{}SWE", eu::COUNTRY)), iri("https://sws.geonames.org/2661886/")];
    d.access_rights = Some(iri(&format!("{}NON_PUBLIC", eu::ACCESS_RIGHT)));
    d.accrual_periodicity = Some(iri(&format!("{}ANNUAL", eu::FREQUENCY)));
    d.languages = vec![iri(&format!("{}SWE", eu::LANGUAGE))];
    d.landing_pages = vec![iri("https://www.socialstyrelsen.se/par")];
    d.pages = vec![iri("https://www.socialstyrelsen.se/par/dokumentation")];
    d.conforms_to = vec![iri("https://www.socialstyrelsen.se/par/specifikation")];
    d.applicable_legislation = vec![iri(eu::EHDS_ELI)];
    d.health_categories = vec![iri(&format!("{}MRMR", health::CATEGORY_BASE))];
    d.health_themes = vec![iri(&format!("{}HEALTH_SYSTEMS", health::THEME_BASE))];
    d.coding_systems = vec![iri("standard/icd-10-se")];
    d.number_of_records = Some(1_500_000);
    d.number_of_unique_individuals = Some(900_000);
    d.min_typical_age = Some(0);
    d.max_typical_age = Some(105);
    d.population_coverage = LangText::sv("Alla i Sverige").with("en", "Everyone in Sweden");
    d.personal_data = vec![iri("https://w3id.org/dpv/pd#HealthRecord")];
    d.purposes = vec![iri("https://w3id.org/dpv#ResearchAndDevelopment")];
    d.legal_bases = vec![iri("https://w3id.org/dpv#Law")];
    d.needs_input = true;
    d.editorial_note = LangText::sv("Antalet behöver en källa");
    // on the form since the EHDS elements (provenance, dataset type, code values) or not on it (kept as they are)
    d.distributions = vec![iri("distribution/patientregistret-bestallning")];
    d.version = Some("3".into());
    d.version_notes = LangText::sv("Ny beskrivning");
    d.provenance = vec![LangText::sv("Inrapporteras av regionerna")];
    d.dataset_type = Some(iri("http://publications.europa.eu/resource/authority/dataset-type/PERSONAL_DATA"));
    d.code_values = vec!["http://example.org/kod".to_owned()];
    d.extra = vec![extra(&d.iri)];
    d
}

fn rich_use_case() -> UseCase {
    let mut u = UseCase::new(iri("usecase/a-vardplatser"), LangText::sv("Vårdplatser").with("en", "Beds"));
    u.identifier = Some("A".into());
    u.description = LangText::sv("Beläggning över tid");
    u.variables = vec![iri("variable/par-hdia"), iri("variable/borttagen")];
    u.datasets = vec![iri("dataset/patientregistret")];
    u.scope_note = LangText::sv("En anmärkning");
    u.needs_input = true;
    u.editorial_note = LangText::sv("Inte i formuläret");
    u.extra = vec![extra(&u.iri)];
    u
}

fn code(list: &NamedNode, notation: &str, sv: &str, order: u64) -> Concept {
    let mut x = Concept::new(NamedNode::new(format!("{}/{notation}", list.as_str())).unwrap(), notation, LangText::sv(sv));
    x.in_scheme = vec![list.clone()];
    x.top_concept_of = vec![list.clone()];
    x.order = Some(order);
    x
}

fn rich_code_list() -> ListAndCodes {
    let list_iri = iri("codelist/kon");
    let mut list = CodeList::new(list_iri.clone(), LangText::sv("Kön").with("en", "Sex"));
    list.identifier = Some("kon".into());
    list.description = LangText::sv("Juridiskt kön");
    list.publisher = Some(iri("agent/socialstyrelsen"));
    list.conforms_to = vec![iri("standard/kv-kon")];
    list.version = Some("2".into());
    list.extra = vec![extra(&list.iri)];
    let mut man = code(&list_iri, "1", "Man", 1);
    man.label.set("en", "Male");
    man.valid_from = Temporal::parse("1990");
    let mut woman = code(&list_iri, "2", "Kvinna", 2);
    woman.valid_through = Temporal::parse("2030-12-31");
    woman.definition = LangText::sv("Inte i formuläret");
    ListAndCodes { list, codes: vec![man, woman] }
}

#[test]
fn a_record_read_into_its_form_and_applied_back_is_unchanged_for_every_kind() {
    // nothing is offered: every value the records hold is accepted because they hold it
    let none = Choices::default();
    let known = Known::new();
    let v = rich_variable();
    let (after, errors) = run::<VariableForm>(&v, &shown::<VariableForm>(&v), &none, &known, Lang::Sv);
    assert_eq!(errors, Errors::default());
    assert_eq!(stored(Resource::Variable(after)), stored(Resource::Variable(v)));

    let d = rich_dataset();
    let (after, errors) = run::<DatasetForm>(&d, &shown::<DatasetForm>(&d), &none, &known, Lang::Sv);
    assert_eq!(errors, Errors::default());
    assert_eq!(stored(Resource::Dataset(after)), stored(Resource::Dataset(d)));

    // a use case naming a variable that no longer exists keeps it when the field is untouched
    let u = rich_use_case();
    let (after, errors) = run::<UseCaseForm>(&u, &shown::<UseCaseForm>(&u), &none, &known, Lang::Sv);
    assert_eq!(errors, Errors::default());
    assert_eq!(stored(Resource::UseCase(after)), stored(Resource::UseCase(u)));

    let l = rich_code_list();
    let (after, errors) = run::<CodeListForm>(&l, &shown::<CodeListForm>(&l), &none, &known, Lang::Sv);
    assert_eq!(errors, Errors::default());
    assert_eq!(CodeListForm::records(&l, after), vec![Resource::CodeList(l.list.clone())], "only the list, no code changed");
}

#[test]
fn a_form_is_read_as_the_browser_sends_it() {
    let layout = VariableForm::spec().layout();
    let sent = Sent::new(&[
        ("id", " ny-variabel "),
        ("benamning_sv", " Vikt "),
        ("kodverk", "a"),
        ("kodverk", "b"),
        ("behover_underlag", "ja"),
        ("krav_rader", "4"),
        ("krav_samling_0", "x"),
        ("krav_niva_0", "required"),
        ("krav_niva_1", "optional"),
        ("krav_villkor_2", " om vikt finns "),
        ("krav_samling_9", "utanför"),
        ("grund", " 12 "),
        ("meddelande", "Ny"),
    ]);
    let input = FormInput::read(&layout, &sent);
    assert_eq!(input.id, "ny-variabel");
    assert_eq!(input.values["benamning_sv"], Value::One(" Vikt ".into()), "as typed; trimmed when applied");
    assert_eq!(input.values["kodverk"], Value::Many(vec!["a".into(), "b".into()]));
    assert_eq!(input.values["behover_underlag"], Value::Flag(true));
    assert_eq!(input.values["definition_sv"], Value::One(String::new()), "a field not sent is empty");
    // a row with only a level is empty and dropped; rows past the count are not read
    assert_eq!(input.rows.len(), 2);
    assert_eq!(input.rows[1]["krav_villkor"], "om vikt finns");
    assert_eq!((input.based_on.as_str(), input.message.as_str()), ("12", "Ny"));
    let many = Sent::new(&[("krav_rader", "1000000"), ("krav_samling_0", "x")]);
    assert_eq!(FormInput::read(&layout, &many).rows.len(), 1, "the count is capped, not trusted");
}

#[test]
fn every_problem_of_a_variable_is_named_by_its_field_in_the_readers_language() {
    let v = rich_variable();
    let input = typed::<VariableForm>(
        &v,
        &[
            ("benamning_sv", "  "),
            ("tekniskt_namn", "H DIA"),
            ("enhet", "mm Hg"),
            ("datatyp", "integer"),
            ("minimum", "tio"),
            ("prioritet", "0"),
            ("tidsperioder", "1964–\n\nförr"),
            ("kallor", "https://ok.example/\ninte en adress"),
            ("agare", "https://vardkatalogen.example/agent/okand"),
        ],
    );
    let (_, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::Sv);
    let expected = [
        ("benamning_sv", "Ange en benämning på svenska."),
        ("tekniskt_namn", "Det tekniska namnet får inte innehålla mellanslag."),
        ("enhet", "Enheten ska vara en UCUM-kod utan mellanslag, t.ex. d, kg eller mm[Hg]."),
        ("minimum", "Skriv ett tal (eller ett datum för datumtyper)."),
        ("prioritet", "Prioriteten ska vara ett heltal, 1 eller större."),
        // lines are counted as the reader sees them, blank lines too
        ("tidsperioder", "Rad 3: skriv tidsperioden som 1997– eller 1997–2008 (år eller datum)."),
        ("kallor", "Rad 2 är inte en webbadress (http:// eller https://)."),
        // a link to a record names the address sent
        ("agare", "https://vardkatalogen.example/agent/okand hör inte till någon post av typen organisation i katalogen; välj i listan."),
    ];
    for (field, message) in expected {
        assert_eq!(errors.get(field).map(String::as_str), Some(message), "{field}: {errors:?}");
    }
    assert_eq!(errors.fields.len(), expected.len(), "{errors:?}");

    let (_, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::En);
    assert_eq!(errors.get("benamning_sv").map(String::as_str), Some("Give a Swedish label."));
    assert_eq!(errors.get("tidsperioder").map(String::as_str), Some("Line 3: write the period as 1997– or 1997–2008 (years or dates)."));

    // the range is checked once both bounds are numbers
    let input = typed::<VariableForm>(&v, &[("datatyp", "decimal"), ("minimum", "10,5"), ("maximum", "2")]);
    let (after, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::Sv);
    assert_eq!(errors.get("maximum").map(String::as_str), Some("Det högsta värdet är mindre än det lägsta."));
    assert_eq!(after.minimum.unwrap().value(), "10.5", "a decimal comma is read as a point");
}

#[test]
fn requirement_rows_are_checked_row_by_row() {
    let v = rich_variable();
    let mut input = shown::<VariableForm>(&v);
    let row = |c: &str, l: &str, cond: &str| {
        super::spec::Row::from([("krav_samling", c.to_owned()), ("krav_niva", l.to_owned()), ("krav_villkor", cond.to_owned())])
    };
    let listed = iri("dataset/lisa").as_str().to_owned();
    input.rows = vec![
        row(&listed, "required", ""),
        row("", "", "utan insamling"),
        row("https://example.org/okand", "optional", ""),
        row(&listed, "conditional", ""),
        row(&listed, "", ""),
    ];
    let (_, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::Sv);
    let rows: Vec<(usize, &str)> = errors.rows.iter().map(|(n, m)| (*n, m.as_str())).collect();
    assert_eq!(
        rows,
        vec![
            (1, "Rad 2: välj datainsamling."),
            (2, "Rad 3: välj en datainsamling i listan (https://example.org/okand)."),
            (3, "Rad 4: ett villkorat krav behöver sitt villkor."),
            (4, "Rad 5: välj kravnivå."),
        ]
    );
    assert_eq!(errors.get("krav").map(String::as_str), Some("Rätta kravraderna som är markerade nedan."));

    // a good row replaces the requirements; a condition's English is kept
    input.rows = vec![row(iri("dataset/nedlagd-insamling").as_str(), "conditional", "Vid slutenvård, ny lydelse")];
    let (after, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::Sv);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(after.requirements.len(), 1);
    let condition = &after.requirements[0].condition;
    assert_eq!((condition.get("sv"), condition.get("en")), (Some("Vid slutenvård, ny lydelse"), Some("In inpatient care")));
}

#[test]
fn a_choice_is_taken_when_offered_or_already_held_and_refused_otherwise() {
    let mut v = rich_variable();
    v.representation = Some(Representation::Datatype(iri("http://www.w3.org/2001/XMLSchema#double")));
    let held = typed::<VariableForm>(&v, &[]);
    let (after, errors) = run::<VariableForm>(&v, &held, &choices(), &Known::new(), Lang::Sv);
    assert!(errors.is_empty(), "a datatype the form does not offer is kept when untouched: {errors:?}");
    assert_eq!(after.representation, v.representation);

    let input = typed::<VariableForm>(&v, &[("datatyp", "hittepå"), ("agare", "javascript:alert(1)")]);
    let (_, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::Sv);
    assert_eq!(errors.get("datatyp").map(String::as_str), Some("Välj en datatyp i listan."));
    assert_eq!(
        errors.get("agare").map(String::as_str),
        Some("javascript:alert(1) hör inte till någon post av typen organisation i katalogen; välj i listan."),
        "a link to a record names the address sent"
    );

    let mut input = typed::<VariableForm>(&v, &[("datatyp", "kodlista"), ("kodlista", iri("codelist/kon").as_str())]);
    input.values.insert("kodverk", Value::Many(vec![iri("standard/icd-10-se").as_str().to_owned(), "https://example.org/nytt".into()]));
    let (after, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::En);
    assert_eq!(
        errors.get("kodverk").map(String::as_str),
        Some("https://example.org/nytt is not one of this catalogue's records of the kind coding system; choose from the list."),
        "a coding system not offered"
    );
    assert_eq!(
        after.representation,
        Some(Representation::CodeList { scheme: iri("codelist/kon"), datatype: xsd::STRING.into_owned() }),
        "codes from the list chosen"
    );
    let input = typed::<VariableForm>(&v, &[("datatyp", "kodlista"), ("kodlista", "")]);
    let (_, errors) = run::<VariableForm>(&v, &input, &choices(), &Known::new(), Lang::Sv);
    assert_eq!(errors.get("kodlista").map(String::as_str), Some("Välj kodlistan som värdena kommer från."));
}

#[test]
fn a_dataset_form_applies_what_it_shows_and_keeps_the_rest() {
    let d = rich_dataset();
    let input = typed::<DatasetForm>(
        &d,
        &[
            ("titel_sv", " Patientregistret (PAR) "),
            ("nyckelord_sv", "diagnoser, operationer ,"),
            ("tidsperioder", "1964–1986\n1997-"),
            ("geografi", "Sverige"),
            ("utfardad", "19640101"),
            ("antal_poster", "1 600 000"),
            ("kontakt", iri("agent/scb").as_str()),
            ("landningssida", ""),
        ],
    );
    let (after, errors) = run::<DatasetForm>(&d, &input, &choices(), &Known::new(), Lang::Sv);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(after.title.get("sv"), Some("Patientregistret (PAR)"));
    let sv: Vec<&str> = after.keywords.iter().filter(|k| k.lang == "sv").map(|k| k.value.as_str()).collect();
    assert_eq!(sv, ["diagnoser", "operationer"]);
    assert!(after.keywords.iter().any(|k| k.lang == "en"), "the English keywords are kept");
    assert_eq!(after.temporal.iter().map(Period::label).collect::<Vec<_>>(), ["1964–1986", "1997–"]);
    assert_eq!(after.spatial, vec![iri(&format!("{}SWE", eu::COUNTRY))]);
    assert_eq!(after.issued.as_ref().map(Temporal::value), Some("1964-01-01"));
    assert_eq!(after.number_of_records, Some(1_600_000));
    assert_eq!(after.contact_points, vec![iri("agent/scb#kontakt")]);
    assert!(after.landing_pages.is_empty());
    // what the form does not show
    assert_eq!(
        (&after.distributions, &after.version, &after.provenance, &after.dataset_type, &after.code_values, &after.extra),
        (&d.distributions, &d.version, &d.provenance, &d.dataset_type, &d.code_values, &d.extra)
    );
}

#[test]
fn every_problem_of_a_dataset_is_named_by_its_field() {
    let d = rich_dataset();
    let input = typed::<DatasetForm>(
        &d,
        &[
            ("titel_sv", ""),
            ("beskrivning_sv", ""),
            ("utgivare", ""),
            ("atkomst", "https://example.org/hemlig"),
            ("utfardad", "2024-13-45"),
            ("antal_poster", "många"),
            ("min_alder", "90"),
            ("max_alder", "10"),
            ("landningssida", "https://rikshoft.se/\nrikshoft.se"),
            ("tidsperioder", "sedan länge"),
            ("geografi", "Norden"),
            ("del_av", iri("dataset/patientregistret").as_str()),
        ],
    );
    let mut choices = choices();
    choices = choices.with("del_av", records(RecordKind::Dataset, &["patientregistret"]));
    let (_, errors) = run::<DatasetForm>(&d, &input, &choices, &Known::new(), Lang::Sv);
    let expected = [
        ("titel_sv", "Skriv titeln på svenska."),
        ("beskrivning_sv", "Skriv en beskrivning på svenska."),
        ("utgivare", "Välj utgivaren."),
        ("atkomst", "Välj i listan."),
        ("utfardad", "Skriv ett datum som 2024-05-01 (eller 2024, 2024-05)."),
        ("antal_poster", "Skriv ett heltal (0 eller mer)."),
        ("max_alder", "Högsta åldern är lägre än den lägsta."),
        ("landningssida", "Rad 2 är inte en webbadress (http:// eller https://)."),
        ("tidsperioder", "Rad 1 är ingen period (1997– eller 1997–2008)."),
        ("geografi", "Rad 1: skriv Sverige eller en webbadress."),
        ("del_av", "En datamängd kan inte vara del av sig själv."),
    ];
    for (field, message) in expected {
        assert_eq!(errors.get(field).map(String::as_str), Some(message), "{field}: {errors:?}");
    }
    assert_eq!(errors.fields.len(), expected.len(), "{errors:?}");
}

#[test]
fn a_use_case_names_variables_by_id_and_unknown_ones_are_named_back() {
    let u = rich_use_case();
    let known = Known::from([
        (iri("variable/par-hdia").as_str().to_owned(), RecordKind::Variable),
        (iri("variable/par-bdia").as_str().to_owned(), RecordKind::Variable),
        (iri("dataset/lisa").as_str().to_owned(), RecordKind::Dataset),
    ]);
    let input = typed::<UseCaseForm>(&u, &[("variabler", "par-bdia\npar-hdia\npar-bdia\n\nlisa\nfinns-inte"), ("titel_sv", "")]);
    let (_, errors) = run::<UseCaseForm>(&u, &input, &Choices::default(), &known, Lang::Sv);
    assert_eq!(
        errors.get("variabler").map(String::as_str),
        Some("Det finns ingen variabel lisa, finns-inte."),
        "a dataset is not a variable"
    );
    assert_eq!(errors.get("titel_sv").map(String::as_str), Some("Skriv titeln på svenska."));
    let input = typed::<UseCaseForm>(&u, &[("variabler", "par-bdia\npar-hdia\npar-bdia"), ("beteckning", " ")]);
    let (after, errors) = run::<UseCaseForm>(&u, &input, &Choices::default(), &known, Lang::Sv);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(after.variables, vec![iri("variable/par-bdia"), iri("variable/par-hdia")], "in the order typed, once each");
    assert_eq!((after.identifier, after.editorial_note), (None, u.editorial_note));
}

#[test]
fn codes_are_added_removed_reordered_and_checked_row_by_row() {
    let l = rich_code_list();
    let row = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect::<super::spec::Row>();
    let mut input = shown::<CodeListForm>(&l);
    input.rows[0].insert("kod_ordning", "3".into());
    input.rows[1].insert("kod_bort", "ja".into());
    input.rows.push(row(&[("kod", "9"), ("kod_sv", "Okänt"), ("kod_fran", "2020"), ("kod_ordning", "1")]));
    let (after, errors) = run::<CodeListForm>(&l, &input, &Choices::default(), &Known::new(), Lang::Sv);
    assert!(errors.is_empty(), "{errors:?}");
    let saved = CodeListForm::records(&l, after);
    let codes: Vec<(String, Option<u64>, usize)> = saved[1..]
        .iter()
        .map(|r| match r {
            Resource::Concept(x) => (x.notation.clone().unwrap(), x.order, x.in_scheme.len()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(codes, vec![("1".into(), Some(3), 1), ("2".into(), Some(2), 0), ("9".into(), Some(1), 1)], "reordered, removed, added");
    let Resource::Concept(two) = &saved[2] else { panic!() };
    assert_eq!(two.definition, l.codes[1].definition, "a removed code keeps what the form does not show");

    let mut input = shown::<CodeListForm>(&l);
    input.rows[0].insert("kod_fran", "2021".into());
    input.rows[0].insert("kod_till", "2019".into());
    input.rows[1].insert("kod", "3".into());
    input.rows.push(row(&[("kod", "1"), ("kod_sv", ""), ("kod_fran", "20x1"), ("kod_ordning", "först")]));
    input.rows.push(row(&[("kod_sv", "Utan kod")]));
    let (_, errors) = run::<CodeListForm>(&l, &input, &Choices::default(), &Known::new(), Lang::Sv);
    let rows: Vec<&str> = errors.rows.values().map(String::as_str).collect();
    assert_eq!(
        rows,
        [
            "Kodrad 1: giltigheten slutar innan den börjar.",
            "Kodrad 2: en kod kan inte byta namn: ta bort den och lägg till den nya koden.",
            "Kodrad 3: koden 1 finns redan i listan; skriv benämningen på svenska; skriv datum som 2024, 2024-05 eller 2024-05-01; ordningen är ett heltal.",
            "Kodrad 4: skriv koden.",
        ]
    );
    assert_eq!(errors.get("koder").map(String::as_str), Some("Rätta kodraderna som är markerade nedan."));
    let (_, errors) = run::<CodeListForm>(&l, &input, &Choices::default(), &Known::new(), Lang::En);
    assert_eq!(errors.rows[&0], "Code row 1: the validity ends before it starts.");
}

#[test]
fn new_records_start_from_their_blank_and_a_new_dataset_from_sweden() {
    let d = DatasetForm::blank(iri("dataset/ny-mangd"), "ny-mangd");
    let shown = shown::<DatasetForm>(&d);
    assert_eq!(shown.values["sprak"], Value::Many(vec![format!("{}SWE", eu::LANGUAGE)]));
    assert_eq!(shown.values["geografi"], Value::One("Sverige".into()));
    assert_eq!(shown.values["tema"], Value::Many(vec![format!("{}HEAL", eu::DATA_THEME)]));
    assert_eq!(d.identifier.as_deref(), Some("ny-mangd"));
    assert_eq!(VariableForm::blank(iri("variable/-"), "").identifier, None);
}

#[test]
fn frequencies_and_access_rights_are_named_as_the_spreadsheets_name_them() {
    let layout = DatasetForm::spec().layout();
    let named = |name: &str, lang| {
        let (_, offer) = layout.offers().into_iter().find(|(n, _)| *n == name).unwrap();
        super::choices::fixed(offer, lang).into_iter().map(|c| c.label).collect::<Vec<_>>()
    };
    assert_eq!(named("frekvens", Lang::Sv)[0], Label::Text("Årligen".into()));
    assert_eq!(named("frekvens", Lang::En)[0], Label::Text("Annual".into()));
    assert_eq!(named("atkomst", Lang::Sv)[2], Label::Text("Icke-offentlig".into()));
    assert!(matches!(&named("tema", Lang::Sv)[0], Label::Term(iri) if iri.ends_with("AGRI")), "other terms are named by the pages");
}
