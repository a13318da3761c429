//! Opening a form and saving one, the same for every kind: a new record's identifier is
//! checked (a slug, not `ny`, not taken), the form is checked and applied to the record as it
//! stands (its working draft, else the stored record), and the result is saved as a draft
//! based on the revision the edit started from. A save over a newer revision is refused with
//! the two revisions to compare.

use oxigraph::model::NamedNode;

use super::bind::{Spec, apply, values_of};
use super::check::{Check, Env, Lookup, words};
use super::choices::Choices;
use super::spec::{Errors, FormInput, Layout};
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::{Actor, Curation, CurationError, Revision};
use crate::model::{RecordKind, Resource};

/// The message of a change saved without one.
pub const CHANGED: &str = "Ändrad i formuläret";

/// One kind of record with an edit form.
pub trait FormKind {
    /// What the form edits (the record, or the record with records that belong to it).
    type Record: Clone + 'static;

    fn spec() -> &'static Spec<Self::Record>;

    /// The record as the form starts from: its working draft, else the stored record.
    fn load(c: &Curation, iri: &NamedNode) -> Result<Option<Self::Record>, CurationError>;

    /// A new record (what a new form shows, and what a new record's form is applied to).
    fn blank(iri: NamedNode, id: &str) -> Self::Record;

    /// The records to save after an edit: the edited record first, then the records that
    /// belong to it and changed.
    fn records(before: &Self::Record, after: Self::Record) -> Vec<Resource>;

    /// Records that name this one and are edited on their own forms: (label, IRI).
    fn named_by(_c: &Curation, _iri: &NamedNode) -> Result<Vec<(String, NamedNode)>, CurationError> {
        Ok(Vec::new())
    }
}

/// A form to show: its shape, what it holds, the problems found, and what it offers.
#[derive(Clone, Debug)]
pub struct Form {
    pub layout: Layout,
    /// The record's identifier ("" for a new record not yet named).
    pub id: String,
    pub is_new: bool,
    pub input: FormInput,
    pub errors: Errors,
    pub choices: Choices,
    /// Records that name this one (a variable's use cases): label, IRI.
    pub named_by: Vec<(String, NamedNode)>,
}

impl Form {
    /// The name of the record as the form holds it, in `lang` where it has one, else in
    /// Swedish, else its identifier.
    pub fn title(&self, lang: Lang) -> String {
        let (sv, en) = self.layout.title;
        let pick = |name: &str| Some(self.input.text(name).to_owned()).filter(|s| !s.is_empty());
        let own = if lang == Lang::En { pick(en) } else { None };
        own.or_else(|| pick(sv)).unwrap_or_else(|| self.id.clone())
    }
}

/// What a save did.
#[derive(Debug)]
pub enum Saved {
    /// Saved as the record's draft, as this revision.
    Saved { id: String, revision: u64 },
    /// Nothing saved: the form with its problems.
    Invalid(Box<Form>),
    /// Nothing saved: someone saved the record after the edit started.
    Conflict(Box<Conflict>),
    /// There is no such record.
    Missing,
}

/// A save refused because someone saved the record after the edit started. The form now
/// carries the latest revision (saving it again replaces theirs); `from` → `latest` is what
/// changed in between (`from` is `None` when there is nothing to compare with).
#[derive(Debug)]
pub struct Conflict {
    pub form: Form,
    pub from: Option<Revision>,
    pub latest: Revision,
    pub error: CurationError,
}

fn placeholder(c: &Curation, kind: RecordKind) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{}/-", c.catalogue().minter().base(), kind.as_str()))
}

/// The form of a new record of kind `K` (`id` `None`), or of the record `id` as it stands;
/// `None` when there is no such record.
pub fn open<K: FormKind>(c: &Curation, actor: &Actor, id: Option<&str>, lang: Lang) -> Result<Option<Form>, CurationError> {
    Curation::require(actor, Role::Redaktor)?;
    let spec = K::spec();
    let minter = c.catalogue().minter();
    let (record, based_on, named_by) = match id {
        None => (K::blank(placeholder(c, spec.kind), ""), String::new(), Vec::new()),
        Some(id) => {
            let Ok(iri) = minter.record(spec.kind, id) else { return Ok(None) };
            let Some(record) = K::load(c, &iri)? else { return Ok(None) };
            let latest = c.latest_revision(&iri)?.map(|r| r.id.to_string()).unwrap_or_default();
            (record, latest, K::named_by(c, &iri)?)
        }
    };
    let layout = spec.layout();
    let mut input = values_of(spec, &record, &Env { minter, lang });
    input.based_on = based_on;
    let choices = Choices::resolve(c, &layout, lang)?;
    let id = id.unwrap_or_default().to_owned();
    Ok(Some(Form { layout, is_new: id.is_empty(), id, input, errors: Errors::default(), choices, named_by }))
}

/// Checks a submitted form of kind `K` and saves it as the draft of the record `id` (`None`:
/// a new record named by the form's `id`).
pub fn save<K: FormKind>(c: &Curation, actor: &Actor, id: Option<&str>, input: FormInput, lang: Lang) -> Result<Saved, CurationError> {
    Curation::require(actor, Role::Redaktor)?;
    let spec = K::spec();
    let minter = c.catalogue().minter();
    let is_new = id.is_none();
    let id = id.map(str::to_owned).unwrap_or_else(|| input.id.clone());
    let mut errors = Errors::default();
    let (iri, before) = if is_new {
        let iri = match minter.record(spec.kind, &id) {
            Ok(iri) if id != "ny" => {
                if c.current(&iri)?.is_some() || c.latest_revision(&iri)?.is_some() {
                    errors.field("id", spec.taken.get(lang).replace("{id}", &id));
                }
                iri
            }
            _ => {
                errors.field("id", words::BAD_ID.get(lang));
                placeholder(c, spec.kind)
            }
        };
        (iri.clone(), K::blank(iri, &id))
    } else {
        let Ok(iri) = minter.record(spec.kind, &id) else { return Ok(Saved::Missing) };
        let Some(record) = K::load(c, &iri)? else { return Ok(Saved::Missing) };
        (iri, record)
    };
    let env = Env { minter, lang };
    let layout = spec.layout();
    let current = values_of(spec, &before, &env);
    let choices = Choices::resolve(c, &layout, lang)?;
    let lookup: &Lookup = &|iri: &NamedNode| Ok(c.current(iri)?.map(|(_, r)| r.kind()));
    let mut after = before.clone();
    let mut check = Check::new(&input, &current, &choices, &layout, &env, lookup);
    apply(spec, &mut after, &mut check);
    if let Some(e) = check.failure() {
        return Err(e);
    }
    errors.merge(check.errors);
    let named_by = if is_new { Vec::new() } else { K::named_by(c, &iri)? };
    let mut form = Form { layout, id: id.clone(), is_new, input, errors, choices, named_by };
    if !form.errors.is_empty() {
        return Ok(Saved::Invalid(Box::new(form)));
    }
    let based_on = form.input.based_on.trim().parse::<u64>().ok();
    let message = match form.input.message.trim() {
        "" if is_new => spec.new_message,
        "" => CHANGED,
        m => m,
    }
    .to_owned();
    match c.save_edit(actor, K::records(&before, after), based_on, &message) {
        Ok(revision) => Ok(Saved::Saved { id, revision }),
        Err(error @ CurationError::Conflict { .. }) => {
            let latest = c.latest_revision(&iri)?.ok_or_else(|| CurationError::NotFound { iri: iri.as_str().to_owned() })?;
            let from = match based_on.and_then(|b| c.revision(b).ok().flatten()).filter(|r| r.iri == iri.as_str()) {
                Some(r) => Some(r),
                None => c.history(&iri)?.into_iter().next().filter(|r| r.id != latest.id),
            };
            form.input.based_on = latest.id.to_string();
            Ok(Saved::Conflict(Box::new(Conflict { form, from, latest, error })))
        }
        Err(e) => Err(e),
    }
}
