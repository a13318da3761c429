//! Reading and checking submitted values: every problem is a message in the reader's language
//! named by its field (or row). A value is taken from a select or checkbox group only when the
//! form offers it or the record already holds it (so a record read into a form and sent back
//! unchanged is accepted, whatever it links to).

use oxigraph::model::NamedNode;

use super::choices::Choices;
use super::spec::{Errors, FieldSpec, FormInput, Layout, Offer, Row, RowSpec, Value, Widget, Words};
use crate::config::Lang;
use crate::curation::CurationError;
use crate::model::{Minter, Period, RecordKind, Temporal};

/// The messages every form shares (`{n}`: the line).
pub mod words {
    use super::Words;

    pub const NOT_IN_LIST: Words = Words::new("Välj i listan.", "Choose from the list.");
    pub const NOT_A_WEB_ADDRESS: Words =
        Words::new("Rad {n} är inte en webbadress (http:// eller https://).", "Line {n} is not a web address (http:// or https://).");
    pub const NOT_A_PERIOD: Words =
        Words::new("Rad {n} är ingen period (1997– eller 1997–2008).", "Line {n} is not a period (1997– or 1997–2008).");
    pub const NOT_A_PLACE: Words = Words::new("Rad {n}: skriv Sverige eller en webbadress.", "Line {n}: write Sverige or a web address.");
    pub const NOT_A_DATE: Words =
        Words::new("Skriv ett datum som 2024-05-01 (eller 2024, 2024-05).", "Write a date like 2024-05-01 (or 2024, 2024-05).");
    pub const NOT_A_COUNT: Words = Words::new("Skriv ett heltal (0 eller mer).", "Write a whole number (0 or more).");
    /// A link to a record that is not one of the kind the field links to (`{}`: the address
    /// sent, `{kind}`: the kind).
    pub const NOT_A_RECORD_OF_KIND: Words = Words::new(
        "{} hör inte till någon post av typen {kind} i katalogen; välj i listan.",
        "{} is not one of this catalogue's records of the kind {kind}; choose from the list.",
    );
    pub const NO_SUCH_RECORD: Words = Words::new("Det finns ingen sådan post: {}.", "There is no such record: {}.");
    pub const BAD_ID: Words = Words::new(
        "Använd små bokstäver a–z, siffror och bindestreck (inte ”ny”).",
        "Use lower-case letters a–z, digits and hyphens (not “ny”).",
    );
}

/// The identifier of a new record (dataset, use case, code list): part of its address.
pub const NEW_ID: FieldSpec = FieldSpec::new(0, "id", Words::new("Identifierare", "Identifier"), Widget::Text)
    .hint(Words::new(
        "Del av adressen: små bokstäver, siffror och bindestreck.",
        "Part of the address: lower-case letters, digits and hyphens.",
    ))
    .required(words::BAD_ID);

/// What reading a record into a form needs besides the record.
pub struct Env<'a> {
    pub minter: &'a Minter,
    pub lang: Lang,
}

/// Tells the kind of a record that exists (a working draft or a stored record), by IRI.
pub type Lookup<'a> = dyn Fn(&NamedNode) -> Result<Option<RecordKind>, CurationError> + 'a;

/// The reader of one submission: the values typed, the record's own values before the edit,
/// the choices offered, and the problems found so far.
pub struct Check<'a> {
    input: &'a FormInput,
    current: &'a FormInput,
    choices: &'a Choices,
    layout: &'a Layout,
    lookup: &'a Lookup<'a>,
    pub minter: &'a Minter,
    pub lang: Lang,
    pub errors: Errors,
    failure: Option<CurationError>,
}

impl<'a> Check<'a> {
    pub fn new(
        input: &'a FormInput,
        current: &'a FormInput,
        choices: &'a Choices,
        layout: &'a Layout,
        env: &Env<'a>,
        lookup: &'a Lookup<'a>,
    ) -> Self {
        Self { input, current, choices, layout, lookup, minter: env.minter, lang: env.lang, errors: Errors::default(), failure: None }
    }

    /// The failure of a lookup, if one failed (the check cannot be trusted then).
    pub fn failure(&mut self) -> Option<CurationError> {
        self.failure.take()
    }

    /// Words in the reader's language.
    pub fn say(&self, words: Words) -> String {
        words.get(self.lang).to_owned()
    }

    fn spec(&self, name: &str) -> Option<&FieldSpec> {
        self.layout.fields.iter().find(|f| f.name == name)
    }

    /// The value typed into a field.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.input.values.get(name)
    }

    /// The text of a field, trimmed.
    pub fn text(&self, name: &str) -> &str {
        self.input.text(name)
    }

    /// Whether a field holds what the record held before the edit.
    pub fn unchanged(&self, name: &str) -> bool {
        self.input.values.get(name) == self.current.values.get(name)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.value(name).is_some_and(Value::is_on)
    }

    /// Names a problem of a field (the first one found stays).
    pub fn fail(&mut self, name: &'static str, message: impl Into<String>) {
        self.errors.field(name, message);
    }

    /// A value the field cannot take: its own message, else `default`; `{n}` is the line.
    pub fn invalid(&mut self, name: &'static str, default: Words, line: Option<usize>) {
        let words = self.spec(name).and_then(|s| s.invalid).unwrap_or(default);
        let text = words.get(self.lang);
        let text = match line {
            Some(n) => text.replace("{n}", &n.to_string()),
            None => text.to_owned(),
        };
        self.fail(name, text);
    }

    /// A field that must be filled and is not.
    pub fn require(&mut self, spec: &FieldSpec) {
        if let Some(message) = spec.required {
            let empty = match self.value(spec.name) {
                Some(Value::Many(v)) => v.is_empty(),
                Some(v) => v.text().is_empty(),
                None => true,
            };
            if empty {
                let text = self.say(message);
                self.fail(spec.name, text);
            }
        }
    }

    /// A choice as Release 8 names it: a term of a HealthDCAT-AP list sent in an older base (the
    /// draft and Release 5, as records and harvested catalogues carry it) is read as the Release 8
    /// term, as the model reads stored records.
    fn release8(value: &str) -> String {
        crate::model::vocab::health::upgrade(value).unwrap_or_else(|| value.to_owned())
    }

    /// Whether a choice may be taken: offered, or held by the record already.
    fn allowed(&self, name: &str, value: &str) -> bool {
        self.choices.offers(name, value) || self.current.values.get(name).is_some_and(|v| v.chosen().contains(&value))
    }

    /// The choice of a select (`None` when nothing is chosen, or the choice is not offered).
    pub fn pick(&mut self, name: &'static str) -> Option<String> {
        let v = Self::release8(self.text(name));
        if v.is_empty() {
            return None;
        }
        if self.allowed(name, &v) {
            Some(v)
        } else {
            self.not_offered(name, &v);
            None
        }
    }

    /// The chosen record or term of a select.
    pub fn select(&mut self, name: &'static str) -> Option<NamedNode> {
        let v = self.pick(name)?;
        match NamedNode::new(v) {
            Ok(n) => Some(n),
            Err(_) => {
                self.invalid(name, words::NOT_IN_LIST, None);
                None
            }
        }
    }

    /// The ticked records or terms of a checkbox group, in the order sent, once each.
    pub fn checks(&mut self, name: &'static str) -> Vec<NamedNode> {
        let chosen: Vec<String> = self.value(name).map(|v| v.chosen().into_iter().map(str::to_owned).collect()).unwrap_or_default();
        let mut out: Vec<NamedNode> = Vec::new();
        for v in chosen {
            let v = Self::release8(&v);
            match NamedNode::new(v.as_str()) {
                Ok(n) if self.allowed(name, &v) => {
                    if !out.contains(&n) {
                        out.push(n);
                    }
                }
                _ => self.not_offered(name, &v),
            }
        }
        out
    }

    /// A choice the field does not offer: for a link to records, a message naming the address
    /// sent and the kind it should be; else the field's own message, or "choose from the list".
    fn not_offered(&mut self, name: &'static str, value: &str) {
        match self.spec(name).and_then(|s| s.widget.offer()) {
            Some(Offer::Records(kind)) => {
                let text = self.say(words::NOT_A_RECORD_OF_KIND).replace("{kind}", kind.label(self.lang.code())).replace("{}", value);
                self.fail(name, text);
            }
            _ => self.invalid(name, words::NOT_IN_LIST, None),
        }
    }

    /// The lines of a field that hold something, with their numbers as the reader counts them
    /// (from 1, blank lines included), trimmed.
    pub fn lines(&self, name: &str) -> Vec<(usize, String)> {
        let text = self.value(name).map(Value::raw).unwrap_or("");
        text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()).map(|(n, l)| (n + 1, l.to_owned())).collect()
    }

    /// Web addresses, one a line.
    pub fn iri_lines(&mut self, name: &'static str) -> Vec<NamedNode> {
        let mut out = Vec::new();
        for (n, line) in self.lines(name) {
            match web_address(&line) {
                Some(i) => out.push(i),
                None => self.invalid(name, words::NOT_A_WEB_ADDRESS, Some(n)),
            }
        }
        out
    }

    /// Periods, one a line.
    pub fn periods(&mut self, name: &'static str) -> Vec<Period> {
        let mut out = Vec::new();
        for (n, line) in self.lines(name) {
            match Period::parse(&line) {
                Some(p) => out.push(p),
                None => self.invalid(name, words::NOT_A_PERIOD, Some(n)),
            }
        }
        out
    }

    /// Geographic areas, one a line: Sverige or a web address.
    pub fn places(&mut self, name: &'static str) -> Vec<NamedNode> {
        let mut out = Vec::new();
        for (n, line) in self.lines(name) {
            match crate::ingest::cells::spatial(&line) {
                Some(p) => out.push(p),
                None => self.invalid(name, words::NOT_A_PLACE, Some(n)),
            }
        }
        out
    }

    /// A year, year-month or date.
    pub fn date(&mut self, name: &'static str) -> Option<Temporal> {
        let v = self.text(name).to_owned();
        if v.is_empty() {
            return None;
        }
        let t = Temporal::read(&v);
        if t.is_none() {
            self.invalid(name, words::NOT_A_DATE, None);
        }
        t
    }

    /// A whole number, 0 or more (spaces between digits allowed).
    pub fn count(&mut self, name: &'static str) -> Option<u64> {
        let v = self.text(name).replace([' ', '\u{a0}'], "");
        if v.is_empty() {
            return None;
        }
        match v.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.invalid(name, words::NOT_A_COUNT, None);
                None
            }
        }
    }

    /// Records of `kind` named by id or IRI, one a line, once each; the ones that do not
    /// exist are named in one message.
    pub fn record_ids(&mut self, name: &'static str, kind: RecordKind) -> Vec<NamedNode> {
        let mut out: Vec<NamedNode> = Vec::new();
        let mut unknown = Vec::new();
        for (_, line) in self.lines(name) {
            let iri = if line.starts_with("http") { NamedNode::new(line.as_str()).ok() } else { self.minter.record(kind, &line).ok() };
            match iri {
                Some(i) if self.exists(&i) == Some(kind) => {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
                _ => unknown.push(line),
            }
        }
        if !unknown.is_empty() {
            let words = self.spec(name).and_then(|s| s.invalid).unwrap_or(words::NO_SUCH_RECORD);
            let text = words.get(self.lang).replace("{}", &unknown.join(", "));
            self.fail(name, text);
        }
        out
    }

    /// The kind of an existing record (a working draft or a stored one).
    pub fn exists(&mut self, iri: &NamedNode) -> Option<RecordKind> {
        match (self.lookup)(iri) {
            Ok(k) => k,
            Err(e) => {
                self.failure.get_or_insert(e);
                None
            }
        }
    }

    /// The rows typed.
    pub fn rows(&self) -> &'a [Row] {
        &self.input.rows
    }

    /// Whether a row cell may take a choice: offered, or held by one of the record's rows.
    pub fn row_allowed(&self, column: &str, value: &str) -> bool {
        self.choices.offers(column, value) || self.current.rows.iter().any(|r| r.get(column).is_some_and(|v| v == value))
    }

    /// A row's problem already in words.
    pub fn row_problem_text(&mut self, spec: &RowSpec, n: usize, text: &str) {
        let message = format!("{} {}: {text}.", spec.row_word.get(self.lang), n + 1);
        self.errors.rows.entry(n).or_insert(message);
    }
}

/// A web address typed by a person: `http` or `https`, and a valid IRI.
pub fn web_address(text: &str) -> Option<NamedNode> {
    let t = text.trim();
    (t.starts_with("http://") || t.starts_with("https://")).then(|| NamedNode::new(t).ok()).flatten()
}

/// The text of IRIs, one a line.
pub fn lines_of(iris: &[NamedNode]) -> String {
    iris.iter().map(NamedNode::as_str).collect::<Vec<_>>().join("\n")
}
