//! Comparing variables by meaning (`/jamfor`): the variables side by side, each cell judged by
//! `matching::judge` (an empty cell is "not stated", case and spacing do not differ), code lists
//! compared by code, and for each pair why they are taken for the same thing; "the same in other
//! registers" on record pages; a concept's availability matrix, register by year
//! (`/tillganglighet`) and its CSV. The rules are `matching`'s; this says them in words.

use std::collections::HashMap;

use askama::Template;
use oxigraph::model::NamedNode;

use super::super::kernel::labels::datatype_label;
use super::super::kernel::page::Chrome;
use super::super::kernel::paths;
use super::super::kernel::words::{compare as w, field};
use crate::catalog::{Catalogue, StoreError};
use crate::config::Lang;
use crate::matching::{self, Cell, Group, Signal};
use crate::model::record::Resource;
use crate::model::vocab::xsd;
use crate::model::{LangText, Period, Variable};

/// At most this many variables side by side.
pub const MAX: usize = 6;
/// At most this many technical names per register in the matrix's summary.
const SHOWN: usize = 8;

type Labels = HashMap<NamedNode, LangText>;

/// The checkboxes' form on search results and the variable list: its button and words.
pub struct CompareBox {
    pub button: &'static str,
    pub hint: &'static str,
    pub select: &'static str,
}

impl CompareBox {
    pub fn new(lang: Lang) -> Self {
        Self { button: w::COMPARE_SELECTED.get(lang), hint: w::SELECT_HINT.get(lang), select: w::SELECT.get(lang) }
    }
}

/// One column head: a variable and where it is held.
pub struct Column {
    pub label: String,
    pub href: String,
    pub notation: String,
    pub registers: String,
}

/// One compared cell: its text and how it stands (`same`, `differs`, `not-stated`).
pub struct CellView {
    pub text: String,
    pub state: &'static str,
}

/// One compared property.
pub struct Row {
    pub label: String,
    pub cells: Vec<CellView>,
}

/// Why two of the columns are compared.
pub struct Reason {
    pub pair: String,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub chrome: Chrome,
    pub lead: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub why: &'static str,
    pub reasons: Vec<Reason>,
    pub differs: &'static str,
    pub not_stated: &'static str,
    /// The availability matrix of the first variable and its matches (label, href).
    pub availability: (&'static str, String),
}

fn name_of(labels: &Labels, iri: &NamedNode, lang: Lang) -> String {
    labels.get(iri).map(|l| l.best(lang.code()).to_owned()).filter(|l| !l.is_empty()).unwrap_or_else(|| iri.as_str().to_owned())
}

fn names(labels: &Labels, iris: &[NamedNode], lang: Lang) -> String {
    iris.iter().map(|i| name_of(labels, i, lang)).collect::<Vec<_>>().join(", ")
}

/// The IRIs a signal names (for labels).
fn signal_iris(s: &Signal) -> Vec<NamedNode> {
    match s {
        Signal::Concept(i) | Signal::CodeList(i) | Signal::CodingSystem(i) => vec![i.clone()],
        Signal::CodingSystemVersion(a, b) => vec![a.clone(), b.clone()],
        Signal::SharedCodes(_) | Signal::Name(_) => Vec::new(),
    }
}

/// A signal in words, its records named by `labels`.
pub fn signal_text(s: &Signal, labels: &Labels, lang: Lang, notations: &[&str]) -> String {
    match s {
        Signal::Concept(i) => w::concept(lang, &name_of(labels, i, lang)),
        Signal::CodeList(i) => w::code_list(lang, &name_of(labels, i, lang)),
        Signal::SharedCodes(codes) => w::shared_codes(lang, codes),
        Signal::CodingSystem(i) => w::coding_system(lang, &name_of(labels, i, lang)),
        Signal::CodingSystemVersion(a, b) => w::coding_system_version(lang, &name_of(labels, a, lang), &name_of(labels, b, lang)),
        Signal::Name(n) => {
            let shown = if notations.is_empty() { n.clone() } else { notations.join(" = ") };
            w::name(lang, &shown)
        }
    }
}

/// The variables a comparison names, public ones only, each once, at most [`MAX`].
fn read_variables(cat: &Catalogue, iris: &[NamedNode]) -> Result<Vec<Variable>, StoreError> {
    let mut out: Vec<Variable> = Vec::new();
    for iri in iris {
        if out.len() == MAX {
            break;
        }
        if out.iter().any(|v| v.iri == *iri) {
            continue;
        }
        if let Some((_, Resource::Variable(v))) = cat.public_resource(iri.as_ref())? {
            out.push(v);
        }
    }
    Ok(out)
}

/// The comparison of the public variables among `iris` (at most [`MAX`]); `None` when fewer
/// than two are public variables.
pub fn build(cat: &Catalogue, iris: &[NamedNode], lang: Lang, path: &str) -> Result<Option<ComparePage>, StoreError> {
    let variables = read_variables(cat, iris)?;
    if variables.len() < 2 {
        return Ok(None);
    }
    let pairs = matching::pair_signals(cat, &variables)?;
    let mut linked: Vec<NamedNode> = Vec::new();
    let mut codes: Vec<Vec<(String, String)>> = Vec::new();
    for v in &variables {
        linked.extend(v.datasets.iter().cloned());
        linked.extend(v.coding_systems.iter().cloned());
        linked.extend(v.representation.as_ref().and_then(|r| r.code_list().cloned()));
        linked.extend(v.owner().cloned());
        codes.push(match v.representation.as_ref().and_then(|r| r.code_list()) {
            Some(s) => {
                cat.concepts_of(s)?.iter().filter_map(|c| Some((c.notation.clone()?, c.label.best(lang.code()).to_owned()))).collect()
            }
            None => Vec::new(),
        });
    }
    for (_, _, signals) in &pairs {
        linked.extend(signals.iter().flat_map(signal_iris));
    }
    let labels = cat.labels(&linked)?;
    let code = lang.code();
    let columns = variables
        .iter()
        .map(|v| Column {
            label: v.label.best(code).to_owned(),
            href: cat.minter().path(v.iri.as_str()),
            notation: v.notation.clone().unwrap_or_default(),
            registers: names(&labels, &v.datasets, lang),
        })
        .collect();
    type Getter<'a> = Box<dyn Fn(&Variable) -> String + 'a>;
    let labels_ref = &labels;
    let properties: Vec<(&str, Getter)> = vec![
        ("definition", Box::new(move |v| v.definition.best(code).to_owned())),
        ("technical_name", Box::new(|v| v.notation.clone().unwrap_or_default())),
        (
            "datatype",
            Box::new(move |v| {
                v.representation
                    .as_ref()
                    .map(|r| datatype_label(r.datatype().as_str().trim_start_matches(xsd::NS), lang))
                    .unwrap_or_default()
            }),
        ),
        (
            "code_list",
            Box::new(move |v| {
                v.representation.as_ref().and_then(|r| r.code_list()).map(|s| name_of(labels_ref, s, lang)).unwrap_or_default()
            }),
        ),
        ("coding_systems", Box::new(move |v| names(labels_ref, &v.coding_systems, lang))),
        ("unit", Box::new(|v| v.unit.clone().unwrap_or_default())),
        ("temporal", Box::new(|v| v.temporal.iter().map(Period::label).collect::<Vec<_>>().join(", "))),
        ("owner", Box::new(move |v| names(labels_ref, &v.owner().cloned().into_iter().collect::<Vec<_>>(), lang))),
    ];
    let state = |c: Cell| match c {
        Cell::Same => "same",
        Cell::Differs => "differs",
        Cell::NotStated => "not-stated",
    };
    let mut rows: Vec<Row> = properties
        .into_iter()
        .map(|(key, get)| {
            let values: Vec<String> = variables.iter().map(&get).collect();
            let judged = matching::judge(&values);
            Row {
                label: field(lang, key).to_owned(),
                cells: values.into_iter().zip(judged).map(|(text, c)| CellView { text, state: state(c) }).collect(),
            }
        })
        .collect();
    rows.insert(4, codes_row(&codes, lang));
    let column_names: Vec<String> = variables
        .iter()
        .map(|v| match &v.notation {
            Some(n) => format!("{} ({n})", v.label.best(code)),
            None => v.label.best(code).to_owned(),
        })
        .collect();
    let reasons = pairs
        .iter()
        .map(|(i, j, signals)| {
            let notations: Vec<&str> = [&variables[*i], &variables[*j]].iter().filter_map(|v| v.notation.as_deref()).collect();
            Reason {
                pair: w::pair(lang, &column_names[*i], &column_names[*j]),
                reasons: if signals.is_empty() {
                    vec![w::NO_SIGNAL.get(lang).to_owned()]
                } else {
                    signals.iter().map(|s| signal_text(s, &labels, lang, &notations)).collect()
                },
            }
        })
        .collect();
    Ok(Some(ComparePage {
        chrome: Chrome::new(lang, w::TITLE.get(lang), path, "variables"),
        lead: w::LEAD.get(lang),
        columns,
        rows,
        why: w::WHY.get(lang),
        reasons,
        differs: w::DIFFERS.get(lang),
        not_stated: w::NOT_STATED.get(lang),
        availability: (w::AVAILABILITY.get(lang), paths::availability(variables[0].iri.as_str())),
    }))
}

/// The codes row: the first list with codes in full, the others by code against it (shared,
/// only here, only in the first).
fn codes_row(codes: &[Vec<(String, String)>], lang: Lang) -> Row {
    let reference = codes.iter().position(|c| !c.is_empty());
    let notations = |c: &[(String, String)]| c.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let cells = codes
        .iter()
        .enumerate()
        .map(|(i, c)| match reference {
            _ if c.is_empty() => CellView { text: String::new(), state: "not-stated" },
            Some(r) if r == i => CellView { text: c.iter().map(|(n, l)| format!("{n} {l}")).collect::<Vec<_>>().join("; "), state: "same" },
            Some(r) => {
                let cmp = matching::compare_codes(&notations(&codes[r]), &notations(c));
                let list = |v: &[String]| if v.is_empty() { "–".to_owned() } else { v.join(", ") };
                CellView {
                    text: format!(
                        "{}: {} · {}: {} · {}: {}",
                        w::SHARED.get(lang),
                        list(&cmp.shared),
                        w::ONLY_HERE.get(lang),
                        list(&cmp.only_b),
                        w::ONLY_FIRST.get(lang),
                        list(&cmp.only_a)
                    ),
                    state: if cmp.differs() { "differs" } else { "same" },
                }
            }
            None => CellView { text: String::new(), state: "not-stated" },
        })
        .collect();
    Row { label: field(lang, "codes").to_owned(), cells }
}

// ---- "the same in other registers" ------------------------------------------------------

/// One variable of a record page's "the same in other registers" section.
pub struct SameRow {
    pub label: String,
    pub href: String,
    pub notation: String,
    pub registers: String,
    pub reasons: String,
}

/// The section on a variable's, code's, code list's or coding system's page.
pub struct SameSection {
    pub heading: &'static str,
    pub lead: &'static str,
    pub headers: [&'static str; 3],
    pub rows: Vec<SameRow>,
    /// The comparison of the variable with its matches, or of the concept's first variables.
    pub compare: Option<(&'static str, String)>,
    pub availability: (&'static str, String),
}

/// "The same in other registers" of a variable (`v`), or the variables of a concept, code list
/// or coding system (`v` is `None`); `None` when there are none.
pub fn same_section(cat: &Catalogue, subject: &NamedNode, v: Option<&Variable>, lang: Lang) -> Result<Option<SameSection>, StoreError> {
    let members: Vec<matching::Match> = match v {
        Some(v) => matching::same_elsewhere(cat, v)?,
        None => match matching::group_of(cat, subject)? {
            Some(g) => g.members,
            None => Vec::new(),
        },
    };
    if members.is_empty() {
        return Ok(None);
    }
    let mut linked: Vec<NamedNode> = Vec::new();
    for m in &members {
        linked.extend(m.variable.datasets.iter().cloned());
        linked.extend(m.signals.iter().flat_map(signal_iris));
    }
    let labels = cat.labels(&linked)?;
    let code = lang.code();
    let rows = members
        .iter()
        .map(|m| {
            let mut notations: Vec<&str> = v.and_then(|v| v.notation.as_deref()).into_iter().collect();
            notations.extend(m.variable.notation.as_deref());
            SameRow {
                label: m.variable.label.best(code).to_owned(),
                href: cat.minter().path(m.variable.iri.as_str()),
                notation: m.variable.notation.clone().unwrap_or_default(),
                registers: names(&labels, &m.variable.datasets, lang),
                reasons: m.signals.iter().map(|s| signal_text(s, &labels, lang, &notations)).collect::<Vec<_>>().join("; "),
            }
        })
        .collect();
    let compared: Vec<&str> =
        v.map(|v| v.iri.as_str()).into_iter().chain(members.iter().map(|m| m.variable.iri.as_str())).take(MAX).collect();
    Ok(Some(SameSection {
        heading: if v.is_some() { w::SAME_ELSEWHERE.get(lang) } else { w::VARIABLES_OF_CONCEPT.get(lang) },
        lead: w::SAME_ELSEWHERE_LEAD.get(lang),
        headers: [w::VARIABLE.get(lang), w::REGISTERS.get(lang), w::REASON.get(lang)],
        rows,
        compare: (compared.len() >= 2).then(|| (w::COMPARE_ALL.get(lang), paths::compare(&compared))),
        availability: (w::AVAILABILITY.get(lang), paths::availability(subject.as_str())),
    }))
}

// ---- the availability matrix ---------------------------------------------------------------

/// One register's column of the matrix.
pub struct RegisterColumn {
    pub name: String,
    pub href: String,
}

/// One year's row: per register whether a variable covers it.
pub struct YearRow {
    pub year: i32,
    pub cells: Vec<bool>,
}

#[derive(Template)]
#[template(path = "availability.html")]
pub struct AvailabilityPage {
    pub chrome: Chrome,
    pub subject: (String, String),
    pub caption: String,
    pub summary: String,
    pub lines: Vec<String>,
    pub from_register: Option<&'static str>,
    pub year_word: &'static str,
    pub available: &'static str,
    pub not_available: &'static str,
    pub registers: Vec<RegisterColumn>,
    pub years: Vec<YearRow>,
    pub csv: (&'static str, String),
    pub compare: Option<(&'static str, String)>,
    pub none: Option<&'static str>,
}

/// The matrix of a concept, in words and cells.
pub struct Availability {
    pub group: Group,
    pub matrix: matching::Matrix,
    pub labels: Labels,
}

/// The availability of the concept `iri` (a public variable, code, code list or coding system);
/// `None` when it is none of them.
pub fn availability(cat: &Catalogue, iri: &NamedNode, this_year: i32) -> Result<Option<Availability>, StoreError> {
    let Some(group) = matching::group_of(cat, iri)? else { return Ok(None) };
    let matrix = matching::availability(cat, &group, this_year)?;
    let labels = cat.labels(&matrix.rows.iter().map(|r| r.register.clone()).collect::<Vec<_>>())?;
    Ok(Some(Availability { group, matrix, labels }))
}

/// "1964–2000, 2005–2026"
fn spans(years: &std::collections::BTreeSet<i32>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(i32, i32)> = None;
    for &y in years {
        run = match run {
            Some((a, b)) if y == b + 1 => Some((a, y)),
            Some((a, b)) => {
                out.push(if a == b { a.to_string() } else { format!("{a}–{b}") });
                Some((y, y))
            }
            None => Some((y, y)),
        };
    }
    if let Some((a, b)) = run {
        out.push(if a == b { a.to_string() } else { format!("{a}–{b}") });
    }
    out.join(", ")
}

impl Availability {
    fn register_names(&self, lang: Lang) -> Vec<String> {
        self.matrix.rows.iter().map(|r| name_of(&self.labels, &r.register, lang)).collect()
    }

    /// The page.
    pub fn page(&self, cat: &Catalogue, lang: Lang, path: &str) -> AvailabilityPage {
        let name = self.group.label.best(lang.code()).to_owned();
        let code = lang.code();
        let names = self.register_names(lang);
        let notation_of = |iri: &NamedNode| {
            self.group
                .members
                .iter()
                .find(|m| m.variable.iri == *iri)
                .map(|m| m.variable.notation.clone().unwrap_or_else(|| m.variable.label.best(code).to_owned()))
                .unwrap_or_default()
        };
        let lines = self
            .matrix
            .rows
            .iter()
            .zip(&names)
            .map(|(r, n)| {
                let mut shown: Vec<String> = r.variables.iter().take(SHOWN).map(notation_of).collect();
                if r.variables.len() > SHOWN {
                    shown.push(format!("… +{}", r.variables.len() - SHOWN));
                }
                w::summary_line(lang, n, &spans(&r.years), &shown.join(", "))
            })
            .collect();
        // one variable per register first, so that the comparison spans the registers
        let mut compared: Vec<&str> = Vec::new();
        for r in &self.matrix.rows {
            if let Some(first) = r.variables.iter().find(|v| !compared.contains(&v.as_str())) {
                compared.push(first.as_str());
            }
        }
        for m in &self.group.members {
            if !compared.contains(&m.variable.iri.as_str()) {
                compared.push(m.variable.iri.as_str());
            }
        }
        compared.truncate(MAX);
        AvailabilityPage {
            chrome: Chrome::new(lang, w::availability_title(lang, &name), path, "variables"),
            subject: (name.clone(), cat.minter().path(self.group.subject.as_str())),
            caption: w::caption(lang, &name),
            summary: w::summary(lang, self.matrix.rows.len(), self.matrix.years.first().copied(), self.matrix.years.last().copied()),
            lines,
            from_register: self.matrix.rows.iter().any(|r| r.from_register).then(|| w::FROM_REGISTER.get(lang)),
            year_word: w::YEAR.get(lang),
            available: w::AVAILABLE.get(lang),
            not_available: w::NOT_AVAILABLE.get(lang),
            registers: self
                .matrix
                .rows
                .iter()
                .zip(names)
                .map(|(r, name)| RegisterColumn { name, href: cat.minter().path(r.register.as_str()) })
                .collect(),
            years: self
                .matrix
                .years
                .iter()
                .map(|y| YearRow { year: *y, cells: self.matrix.rows.iter().map(|r| r.years.contains(y)).collect() })
                .collect(),
            csv: (w::AVAILABILITY_CSV.get(lang), paths::availability_csv(self.group.subject.as_str())),
            compare: (compared.len() >= 2).then(|| (w::COMPARE_ALL.get(lang), paths::compare(&compared))),
            none: self.group.members.is_empty().then(|| w::NONE_FOUND.get(lang)),
        }
    }

    /// The matrix as CSV rows: a header (year, then each register) and a row per year.
    pub fn csv(&self, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec![w::YEAR.get(lang).to_owned()];
        header.extend(self.register_names(lang));
        let rows = self
            .matrix
            .years
            .iter()
            .map(|y| {
                let mut row = vec![y.to_string()];
                row.extend(
                    self.matrix.rows.iter().map(|r| if r.years.contains(y) { w::AVAILABLE.get(lang).to_owned() } else { String::new() }),
                );
                row
            })
            .collect();
        (header, rows)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_runs_are_written_as_spans() {
        let ys = std::collections::BTreeSet::from([1964, 1965, 1966, 2001, 2003, 2004]);
        assert_eq!(super::spans(&ys), "1964–1966, 2001, 2003–2004");
        assert_eq!(super::spans(&Default::default()), "");
    }
}
