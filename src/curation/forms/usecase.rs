//! The use-case form: what the use case is, and the variables and datasets it uses.

use oxigraph::model::NamedNode;

use super::bind::{Bind, Field, Spec, no_more_checks};
use super::check::NEW_ID;
use super::flow::FormKind;
use super::spec::{FieldSpec, Offer, Value, Widget, Words};
use crate::curation::{Curation, CurationError};
use crate::model::{LangText, RecordKind, Resource, UseCase};

const fn field(group: usize, name: &'static str, sv: &'static str, en: &'static str, widget: Widget) -> FieldSpec {
    FieldSpec::new(group, name, Words::new(sv, en), widget)
}

const TITLE: Words = Words::new("Skriv titeln på svenska.", "Write the title in Swedish.");

static FIELDS: &[Field<UseCase>] = &[
    Field {
        spec: field(0, "beteckning", "Beteckning", "Designation", Widget::Text)
            .hint(Words::new("Den korta beteckningen, t.ex. A.", "The short name, e.g. A.")),
        bind: Bind::Str(|u| &mut u.identifier),
    },
    Field {
        spec: field(0, "titel_sv", "Titel (svenska)", "Title (Swedish)", Widget::Text).lang("sv").required(TITLE),
        bind: Bind::Text(|u| &mut u.title),
    },
    Field {
        spec: field(0, "titel_en", "Titel (engelska)", "Title (English)", Widget::Text).lang("en"),
        bind: Bind::Text(|u| &mut u.title),
    },
    Field {
        spec: field(0, "beskrivning_sv", "Beskrivning (svenska)", "Description (Swedish)", Widget::Area).lang("sv"),
        bind: Bind::Text(|u| &mut u.description),
    },
    Field {
        spec: field(0, "beskrivning_en", "Beskrivning (engelska)", "Description (English)", Widget::Area).lang("en"),
        bind: Bind::Text(|u| &mut u.description),
    },
    Field {
        spec: field(1, "variabler", "Variabler", "Variables", Widget::RecordIds(RecordKind::Variable))
            .hint(Words::new("En variabels identifierare per rad, t.ex. par-hdia.", "One variable id a line, e.g. par-hdia."))
            .invalid(Words::new("Det finns ingen variabel {}.", "There is no variable {}.")),
        bind: Bind::Custom {
            get: |u, env| {
                let ids =
                    u.variables.iter().map(|v| env.minter.parse(v.as_str()).map(|(_, id)| id).unwrap_or_else(|| v.as_str().to_owned()));
                Value::One(ids.collect::<Vec<_>>().join("\n"))
            },
            set: |u, check| {
                if !check.unchanged("variabler") {
                    u.variables = check.record_ids("variabler", RecordKind::Variable);
                }
            },
        },
    },
    Field {
        spec: field(1, "datamangder", "Datamängder", "Datasets", Widget::Checks(Offer::Records(RecordKind::Dataset))),
        bind: Bind::Iris(|u| &mut u.datasets),
    },
    Field {
        spec: field(2, "anmarkning", "Anmärkning (svenska)", "Remark (Swedish)", Widget::Area).lang("sv"),
        bind: Bind::Text(|u| &mut u.scope_note),
    },
    Field {
        spec: field(2, "behover_underlag", "Uppgifter saknas: behöver underlag", "Facts missing: needs input", Widget::Flag),
        bind: Bind::Flag(|u| &mut u.needs_input),
    },
];

static SPEC: Spec<UseCase> = Spec {
    kind: RecordKind::UseCase,
    id: NEW_ID,
    fields: FIELDS,
    groups: &[
        Words::new("Användningsfallet", "The use case"),
        Words::new("Vad det använder", "What it uses"),
        Words::new("Kuratering", "Curation"),
    ],
    rows: None,
    title: ("titel_sv", "titel_en"),
    finish: no_more_checks,
    taken: Words::new("Identifieraren {id} är upptagen.", "The id {id} is taken."),
    new_message: "Ny post",
};

/// The use-case form.
pub struct UseCaseForm;

impl FormKind for UseCaseForm {
    type Record = UseCase;

    fn spec() -> &'static Spec<UseCase> {
        &SPEC
    }

    fn load(c: &Curation, iri: &NamedNode) -> Result<Option<UseCase>, CurationError> {
        Ok(match c.current(iri)? {
            Some((_, Resource::UseCase(u))) => Some(u),
            _ => None,
        })
    }

    /// A new use case (its short designation is a field of its own, not its identifier).
    fn blank(iri: NamedNode, _: &str) -> UseCase {
        UseCase::new(iri, LangText::new())
    }

    fn records(_: &UseCase, after: UseCase) -> Vec<Resource> {
        vec![Resource::UseCase(after)]
    }
}
