//! The curation form engine: one way to show, check and apply an edit form, for variables,
//! datasets, code lists and use cases alike.
//!
//! A kind's form is one list of fields as data ([`spec::FieldSpec`]: name, Swedish and English
//! label and hint, widget) bound to where each value lives in the typed record
//! ([`bind::Bind`]), in the kind's own file. The engine reads a record into form values, reads
//! and checks a submission (every problem named by its field or row, in the reader's language),
//! applies it to the record as it stands (fields the form does not show are kept), offers the
//! choices (public records of a kind, vocabularies, datatypes, levels) and saves the result as
//! a draft based on the revision the edit started from ([`flow`]). Periods are read by the one
//! period parser, `model::Period::parse`.
//!
//! Owns: the fields, their checks and how they apply. Does not: know HTTP or HTML (the web
//! renders a [`Form`] and reads a submission through [`Submitted`]), or name most vocabulary
//! terms (a [`Label::Term`] is named by the pages' words).

mod bind;
mod check;
mod choices;
mod codelist;
pub mod columns;
mod dataset;
mod flow;
mod spec;
mod usecase;
mod variable;

#[cfg(test)]
mod tests;

pub use check::words as messages;
pub use choices::{Choice, Choices, Label};
pub use codelist::ListAndCodes;
pub use flow::{Conflict, Form, Saved};
pub use spec::{
    Cell, Column, Errors, FieldSpec, FormInput, Layout, Offer, Row, RowLegend, RowSpec, Submitted, Value, Values, Widget, Words,
};

use self::codelist::CodeListForm;
use self::dataset::DatasetForm;
use self::flow::FormKind;
use self::usecase::UseCaseForm;
use self::variable::VariableForm;
use crate::accounts::Actor;
use crate::config::Lang;
use crate::curation::{Curation, CurationError};
use crate::model::RecordKind;

/// The shape of a kind's form; `None` for a kind without one.
pub fn layout(kind: RecordKind) -> Option<Layout> {
    Some(match kind {
        RecordKind::Variable => VariableForm::spec().layout(),
        RecordKind::Dataset => DatasetForm::spec().layout(),
        RecordKind::UseCase => UseCaseForm::spec().layout(),
        RecordKind::CodeList => CodeListForm::spec().layout(),
        _ => return None,
    })
}

fn not_curated(kind: RecordKind) -> CurationError {
    CurationError::NotCurated { kind: kind.as_str() }
}

impl Curation {
    /// The edit form of a new record of `kind` (`id` `None`), or of the record `id` as it
    /// stands (its working draft, else the stored record); `None` when there is no such record.
    pub fn open_form(&self, actor: &Actor, kind: RecordKind, id: Option<&str>, lang: Lang) -> Result<Option<Form>, CurationError> {
        match kind {
            RecordKind::Variable => flow::open::<VariableForm>(self, actor, id, lang),
            RecordKind::Dataset => flow::open::<DatasetForm>(self, actor, id, lang),
            RecordKind::UseCase => flow::open::<UseCaseForm>(self, actor, id, lang),
            RecordKind::CodeList => flow::open::<CodeListForm>(self, actor, id, lang),
            other => Err(not_curated(other)),
        }
    }

    /// Checks a submitted edit form and saves it as the draft of the record `id` (`None`: a
    /// new record named by the form). Nothing is saved when the form has a problem or the
    /// record was saved by someone else after the edit started.
    pub fn save_form(
        &self,
        actor: &Actor,
        kind: RecordKind,
        id: Option<&str>,
        input: FormInput,
        lang: Lang,
    ) -> Result<Saved, CurationError> {
        match kind {
            RecordKind::Variable => flow::save::<VariableForm>(self, actor, id, input, lang),
            RecordKind::Dataset => flow::save::<DatasetForm>(self, actor, id, input, lang),
            RecordKind::UseCase => flow::save::<UseCaseForm>(self, actor, id, input, lang),
            RecordKind::CodeList => flow::save::<CodeListForm>(self, actor, id, input, lang),
            other => Err(not_curated(other)),
        }
    }
}
