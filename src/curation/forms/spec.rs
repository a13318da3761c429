//! What an edit form is made of, as data: its fields (name, words, how each is entered), the
//! headed groups they stand in, its repeated rows, and the values it holds, read from a
//! submission through [`Submitted`] (the web implements it for its parsed forms).
//!
//! Owns: the shape of a form. Does not: know a record kind (the kinds' own files bind fields
//! to records), HTTP or HTML.

use std::collections::BTreeMap;

use crate::config::Lang;
use crate::model::RecordKind;

/// A fixed text in Swedish and English (a label, a hint, a message). Messages may hold `{n}`
/// (a line or row number), `{id}` or `{}` (the values concerned).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    pub sv: &'static str,
    pub en: &'static str,
}

impl Words {
    pub const fn new(sv: &'static str, en: &'static str) -> Self {
        Self { sv, en }
    }

    /// No text.
    pub const NONE: Words = Words::new("", "");

    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        if lang == Lang::En { self.en } else { self.sv }
    }

    pub fn is_empty(self) -> bool {
        self.sv.is_empty() && self.en.is_empty()
    }
}

/// What a select or a group of checkboxes offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// The public records of a kind, by label.
    Records(RecordKind),
    /// The terms of a controlled vocabulary, `{base}{code}`, in this order.
    Vocabulary { base: &'static str, codes: &'static [&'static str] },
    /// XSD datatypes by local name, then codes from a code list ([`CODE_LIST`]).
    Datatypes,
    /// How strongly a data collection asks for a variable.
    Levels,
    /// The members of a HealthDCAT-AP Release 8 list (`model::health_lists`), named by the list.
    HealthList(&'static crate::model::health_lists::List),
    /// Yes (`true`) or no (`false`), in these words.
    YesNo { yes: Words, no: Words },
}

/// The datatype value meaning "codes from a code list".
pub const CODE_LIST: &str = "kodlista";

/// How a field is entered, and so how its value is read and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Widget {
    /// One line of text.
    Text,
    /// Free text over several lines.
    Area,
    /// One choice; `none` is the words of choosing nothing.
    Select { offer: Offer, none: Words },
    /// Any number of choices.
    Checks(Offer),
    /// Yes or no.
    Flag,
    /// Web addresses (`http`, `https`), one a line.
    IriLines,
    /// Periods, one a line, as `model::Period::parse` reads them.
    Periods,
    /// Geographic areas, one a line: `Sverige` or a web address.
    Places,
    /// Records of a kind named by id (or IRI), one a line.
    RecordIds(RecordKind),
}

impl Widget {
    /// Whether the value is several lines of text.
    pub fn is_area(self) -> bool {
        matches!(self, Self::Area | Self::IriLines | Self::Periods | Self::Places | Self::RecordIds(_))
    }

    /// What it offers to choose from, if it is a choice.
    pub fn offer(self) -> Option<Offer> {
        match self {
            Self::Select { offer, .. } | Self::Checks(offer) => Some(offer),
            _ => None,
        }
    }
}

/// One field of a form: its name (in the submitted form, and the key of its value and its
/// message), its words and how it is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: Words,
    pub hint: Words,
    pub widget: Widget,
    /// The language of the text typed into it (`sv`, `en`; empty when not a text in one language).
    pub lang: &'static str,
    /// The message when it is left empty, for a field that must be filled.
    pub required: Option<Words>,
    /// The message for a value it cannot take, when not the widget's own (`{n}`: the line).
    pub invalid: Option<Words>,
    /// The index of its group in the form's [`Layout::groups`].
    pub group: usize,
    /// The EHDS minimum element the field enters (`validate::ehds::ELEMENTS`; empty: none):
    /// its help text and legal reference are shown under the field.
    pub ehds: &'static str,
}

impl FieldSpec {
    pub const fn new(group: usize, name: &'static str, label: Words, widget: Widget) -> Self {
        Self { name, label, hint: Words::NONE, widget, lang: "", required: None, invalid: None, group, ehds: "" }
    }

    /// Enters the EHDS minimum element `id`.
    #[must_use]
    pub const fn ehds(mut self, id: &'static str) -> Self {
        self.ehds = id;
        self
    }

    /// The words under the field: its own hint, else the EHDS element's help text; with the
    /// element's legal reference (Implementing Regulation (EU) 2026/2098, Annex Part B, and the
    /// EHDS article).
    pub fn hint_text(&self, lang: crate::config::Lang) -> String {
        let own = self.hint.get(lang);
        let en = lang == crate::config::Lang::En;
        match crate::validate::ehds::element(self.ehds) {
            Some(e) => {
                let help = if own.is_empty() { e.help(en) } else { own };
                format!("{help} EHDS: {}.", e.reference(en))
            }
            None => own.to_owned(),
        }
    }

    #[must_use]
    pub const fn hint(mut self, hint: Words) -> Self {
        self.hint = hint;
        self
    }

    /// A text in one language (`sv`, `en`).
    #[must_use]
    pub const fn lang(mut self, lang: &'static str) -> Self {
        self.lang = lang;
        self
    }

    /// Must be filled; `message` says so.
    #[must_use]
    pub const fn required(mut self, message: Words) -> Self {
        self.required = Some(message);
        self
    }

    /// The message for a value it cannot take.
    #[must_use]
    pub const fn invalid(mut self, message: Words) -> Self {
        self.invalid = Some(message);
        self
    }
}

/// How one cell of a repeated row is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Text,
    /// A number or date (`inputmode="numeric"`).
    Numeric,
    Select {
        offer: Offer,
        none: Words,
    },
    /// Ticked or not; shown only on rows that were saved before.
    Flag,
    /// Carried along unseen (what the row was when the form was opened).
    Hidden,
}

/// One column of a repeated row; the form field of row `n` is `{name}_{n}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub label: Words,
    pub cell: Cell,
    pub lang: &'static str,
}

impl Column {
    pub const fn new(name: &'static str, label: Words, cell: Cell) -> Self {
        Self { name, label, cell, lang: "" }
    }

    #[must_use]
    pub const fn lang(mut self, lang: &'static str) -> Self {
        self.lang = lang;
        self
    }
}

/// How a row is headed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowLegend {
    /// `{word} {n}` (Rad 1, Rad 2 …).
    Numbered(Words),
    /// `new` for a row not saved before; `saved` followed by the value of `column` otherwise.
    Saved { new: Words, saved: Words, column: &'static str },
}

/// Rows of the same cells, repeated (a variable's requirements, a code list's codes). Rows
/// left empty are dropped when the form is read; `spare` empty rows are offered below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowSpec {
    /// The name of the group (its anchor) and the prefix of its rows' message ids.
    pub name: &'static str,
    pub prefix: &'static str,
    pub legend: Words,
    pub hint: Words,
    pub row: RowLegend,
    pub columns: &'static [Column],
    /// A row is kept when one of these columns is filled.
    pub keep: &'static [&'static str],
    /// The hidden field that says how many rows were sent, and the most that are read.
    pub count: &'static str,
    pub max: usize,
    pub spare: usize,
    /// `{word} {n}: …` starts the message of a row (Kodrad 2: …).
    pub row_word: Words,
    /// The message of the group when a row has one.
    pub problem: Words,
}

/// The shape of one kind's form, without the record it is bound to.
#[derive(Clone, Debug)]
pub struct Layout {
    pub kind: RecordKind,
    /// The identifier of a new record (part of its address); shown first, on new records only.
    pub id: FieldSpec,
    pub fields: Vec<FieldSpec>,
    pub groups: &'static [Words],
    pub rows: Option<&'static RowSpec>,
    /// The fields the form's title names the record by (Swedish, English).
    pub title: (&'static str, &'static str),
}

impl Layout {
    /// The fields of group `n`.
    pub fn group(&self, n: usize) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(move |f| f.group == n)
    }

    /// Every select and checkbox group, of fields and row cells: (name, offer).
    pub fn offers(&self) -> Vec<(&'static str, Offer)> {
        let fields = self.fields.iter().filter_map(|f| f.widget.offer().map(|o| (f.name, o)));
        let cells = self.rows.into_iter().flat_map(|r| r.columns.iter()).filter_map(|c| match c.cell {
            Cell::Select { offer, .. } => Some((c.name, offer)),
            _ => None,
        });
        fields.chain(cells).collect()
    }
}

/// A value as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    One(String),
    Many(Vec<String>),
    Flag(bool),
}

impl Value {
    /// The text, trimmed ("" for a list or a flag).
    pub fn text(&self) -> &str {
        match self {
            Self::One(s) => s.trim(),
            _ => "",
        }
    }

    /// The text as typed.
    pub fn raw(&self) -> &str {
        match self {
            Self::One(s) => s,
            _ => "",
        }
    }

    /// The chosen values (one for a select).
    pub fn chosen(&self) -> Vec<&str> {
        match self {
            Self::One(s) if !s.trim().is_empty() => vec![s.trim()],
            Self::Many(v) => v.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    pub fn is_on(&self) -> bool {
        matches!(self, Self::Flag(true))
    }
}

/// The values of a form's fields, by field name.
pub type Values = BTreeMap<&'static str, Value>;

/// One repeated row: its cells by column name (a flag is `ja` or empty).
pub type Row = BTreeMap<&'static str, String>;

/// The problems of a form: one message per field (the first found), and one per row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Errors {
    pub fields: BTreeMap<&'static str, String>,
    /// By row index.
    pub rows: BTreeMap<usize, String>,
}

impl Errors {
    /// Names a problem of a field, unless it has one already.
    pub fn field(&mut self, name: &'static str, message: impl Into<String>) {
        self.fields.entry(name).or_insert_with(|| message.into());
    }

    pub fn get(&self, name: &str) -> Option<&String> {
        self.fields.get(name)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.rows.is_empty()
    }

    /// Adds `other`'s problems where there is none yet.
    pub fn merge(&mut self, other: Errors) {
        for (k, v) in other.fields {
            self.field(k, v);
        }
        for (k, v) in other.rows {
            self.rows.entry(k).or_insert(v);
        }
    }
}

/// A submitted form as the engine reads it (the web's parsed form implements this).
pub trait Submitted {
    /// The first value of `name` ("" when it was not sent).
    fn value(&self, name: &str) -> String;
    /// Every value of `name`, in order.
    fn values(&self, name: &str) -> Vec<String>;
    /// Whether `name` was sent (a ticked checkbox).
    fn has(&self, name: &str) -> bool;
}

/// What a person typed into a form (or what the form showed them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormInput {
    /// The identifier typed for a new record.
    pub id: String,
    pub values: Values,
    pub rows: Vec<Row>,
    /// The latest revision the edit started from (`grund`; empty: none).
    pub based_on: String,
    /// What the person says they changed (`meddelande`).
    pub message: String,
}

impl FormInput {
    /// Reads the fields of `layout` from a submission; rows left empty are dropped.
    pub fn read(layout: &Layout, form: &dyn Submitted) -> Self {
        let values = layout
            .fields
            .iter()
            .map(|f| {
                let v = match f.widget {
                    // a list of records to add sends nothing chosen as ""
                    Widget::Checks(_) => Value::Many(form.values(f.name).into_iter().filter(|v| !v.trim().is_empty()).collect()),
                    Widget::Flag => Value::Flag(form.has(f.name)),
                    _ => Value::One(form.value(f.name)),
                };
                (f.name, v)
            })
            .collect();
        let rows = match layout.rows {
            None => Vec::new(),
            Some(spec) => {
                let n: usize = form.value(spec.count).trim().parse().unwrap_or(0);
                (0..n.min(spec.max))
                    .map(|n| {
                        spec.columns
                            .iter()
                            .map(|c| {
                                let name = format!("{}_{n}", c.name);
                                let v = match c.cell {
                                    Cell::Flag if form.has(&name) => "ja".to_owned(),
                                    Cell::Flag => String::new(),
                                    _ => form.value(&name).trim().to_owned(),
                                };
                                (c.name, v)
                            })
                            .collect::<Row>()
                    })
                    .filter(|row| spec.keep.iter().any(|k| row.get(k).is_some_and(|v| !v.is_empty())))
                    .collect()
            }
        };
        Self {
            id: form.value("id").trim().to_owned(),
            values,
            rows,
            based_on: form.value("grund").trim().to_owned(),
            message: form.value("meddelande"),
        }
    }

    /// The trimmed text of a field.
    pub fn text(&self, name: &str) -> &str {
        self.values.get(name).map(Value::text).unwrap_or("")
    }
}
