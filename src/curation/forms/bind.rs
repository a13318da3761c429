//! Fields bound to a typed record: where each field's value lives ([`Bind`]), so that one list
//! of [`Field`]s per kind is enough to read a record into a form ([`values_of`]) and to apply a
//! submitted form to it ([`apply`]). A field the list does not name is never touched, so
//! what a form does not show is kept as it is.

use oxigraph::model::NamedNode;

use super::check::{Check, Env, lines_of};
use super::spec::{FieldSpec, FormInput, Layout, Row, RowSpec, Value, Values, Widget, Words};
use crate::model::{LangText, Period, RecordKind, Temporal};

/// Where a field's value lives in a record of type `R`, given as the place to write it.
pub enum Bind<R> {
    /// Text in the field's language (`FieldSpec::lang`).
    Text(fn(&mut R) -> &mut LangText),
    /// A plain string; empty is none.
    Str(fn(&mut R) -> &mut Option<String>),
    /// One record or term (a select).
    Iri(fn(&mut R) -> &mut Option<NamedNode>),
    /// Records or terms (checkboxes), web addresses (one a line) or places, by the widget.
    Iris(fn(&mut R) -> &mut Vec<NamedNode>),
    Periods(fn(&mut R) -> &mut Vec<Period>),
    Date(fn(&mut R) -> &mut Option<Temporal>),
    /// A whole number, 0 or more.
    Count(fn(&mut R) -> &mut Option<u64>),
    Flag(fn(&mut R) -> &mut bool),
    /// Anything else: how to read the value, and how to check and apply it.
    Custom {
        get: fn(&R, &Env) -> Value,
        set: fn(&mut R, &mut Check),
    },
}

/// One field of a kind's form: its specification and where it lives.
pub struct Field<R: 'static> {
    pub spec: FieldSpec,
    pub bind: Bind<R>,
}

/// The repeated rows of a kind's form: how to read them and how to apply them.
pub struct Rows<R: 'static> {
    pub spec: &'static RowSpec,
    pub get: fn(&R, &Env) -> Vec<Row>,
    pub set: fn(&mut R, &mut Check),
}

/// Everything about one kind's form.
pub struct Spec<R: 'static> {
    pub kind: RecordKind,
    /// The identifier field of a new record.
    pub id: FieldSpec,
    pub fields: &'static [Field<R>],
    pub groups: &'static [Words],
    pub rows: Option<Rows<R>>,
    /// The fields the page title names the record by (Swedish, English).
    pub title: (&'static str, &'static str),
    /// Checks across fields, once every field is applied.
    pub finish: fn(&mut R, &mut Check),
    /// The message when a new record's identifier is taken (`{id}`).
    pub taken: Words,
    /// The history's message for a new record saved without one.
    pub new_message: &'static str,
}

impl<R> Spec<R> {
    /// The shape of the form, without the bindings.
    pub fn layout(&self) -> Layout {
        Layout {
            kind: self.kind,
            id: self.id,
            fields: self.fields.iter().map(|f| f.spec).collect(),
            groups: self.groups,
            rows: self.rows.as_ref().map(|r| r.spec),
            title: self.title,
        }
    }
}

/// Nothing to check across fields.
pub fn no_more_checks<R>(_: &mut R, _: &mut Check) {}

/// A record as its form shows it.
pub fn values_of<R: Clone>(spec: &Spec<R>, record: &R, env: &Env) -> FormInput {
    let mut scratch = record.clone();
    let values: Values = spec.fields.iter().map(|f| (f.spec.name, get(f, record, &mut scratch, env))).collect();
    let rows = spec.rows.as_ref().map(|r| (r.get)(record, env)).unwrap_or_default();
    FormInput { values, rows, ..FormInput::default() }
}

fn get<R>(f: &Field<R>, record: &R, scratch: &mut R, env: &Env) -> Value {
    let one = |s: String| Value::One(s);
    match &f.bind {
        Bind::Text(at) => one(at(scratch).get(f.spec.lang).unwrap_or("").to_owned()),
        Bind::Str(at) => one(at(scratch).clone().unwrap_or_default()),
        Bind::Iri(at) => one(at(scratch).as_ref().map(|i| i.as_str().to_owned()).unwrap_or_default()),
        Bind::Iris(at) => {
            let iris = at(scratch);
            match f.spec.widget {
                Widget::Checks(_) => Value::Many(iris.iter().map(|i| i.as_str().to_owned()).collect()),
                Widget::Places => one(iris.iter().map(crate::ingest::cells::spatial_word).collect::<Vec<_>>().join("\n")),
                _ => one(lines_of(iris)),
            }
        }
        Bind::Periods(at) => one(at(scratch).iter().map(Period::label).collect::<Vec<_>>().join("\n")),
        Bind::Date(at) => one(at(scratch).as_ref().map(|t| t.value().to_owned()).unwrap_or_default()),
        Bind::Count(at) => one(at(scratch).map(|n| n.to_string()).unwrap_or_default()),
        Bind::Flag(at) => Value::Flag(*at(scratch)),
        Bind::Custom { get, .. } => get(record, env),
    }
}

/// Checks the submitted values and applies them to `record`, field by field, then the rows,
/// then the checks across fields. Problems are in `check.errors`.
pub fn apply<R>(spec: &Spec<R>, record: &mut R, check: &mut Check) {
    for f in spec.fields {
        check.require(&f.spec);
        let name = f.spec.name;
        match &f.bind {
            Bind::Text(at) => at(record).set(f.spec.lang, check.text(name).to_owned()),
            Bind::Str(at) => *at(record) = Some(check.text(name).to_owned()).filter(|s| !s.is_empty()),
            Bind::Iri(at) => *at(record) = check.select(name),
            Bind::Iris(at) => {
                *at(record) = match f.spec.widget {
                    Widget::Checks(_) => check.checks(name),
                    Widget::Places => check.places(name),
                    _ => check.iri_lines(name),
                }
            }
            Bind::Periods(at) => *at(record) = check.periods(name),
            Bind::Date(at) => *at(record) = check.date(name),
            Bind::Count(at) => *at(record) = check.count(name),
            Bind::Flag(at) => *at(record) = check.flag(name),
            Bind::Custom { set, .. } => set(record, check),
        }
    }
    if let Some(rows) = &spec.rows {
        (rows.set)(record, check);
        if !check.errors.rows.is_empty() {
            let text = check.say(rows.spec.problem);
            check.fail(rows.spec.name, text);
        }
    }
    (spec.finish)(record, check);
}
