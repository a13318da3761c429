//! Checking a data delivery (an extract) against its collection's specification: missing
//! required columns, unknown columns, type errors, codes not in the code list, values out of
//! range and empty required values, with row numbers and counts. The one engine behind
//! `vardkatalog check-extract` and the web page `/kontroll/leverans`.
//!
//! Columns are paired as Table Schema's `fieldsMatch` says ([`FieldsMatch`]): a column that is
//! not the collection's is an error (as Frictionless has it), unless the schema allows other
//! columns. Names are compared exactly; a header written as a column's label or in another case
//! (`Disponibla vårdplatser`, `DISPONIBLA_VARDPLATSER`) is one error with a "did you mean", and
//! its values are checked as that column's; so is a code that differs from the list's only in
//! case.
//!
//! It streams: a CSV file is decoded and read row by row with one reused record, so ten
//! million rows are checked in constant memory. The file's content never leaves this function
//! except as the findings (a few example values per finding).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use serde::Serialize;

use super::collection::{CollectionSpec, ColumnSpec, FieldsMatch, ValueType};
use crate::model::RequirementLevel;

/// Example rows kept per finding.
const EXAMPLES: usize = 10;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// "fel": the delivery does not pass.
    Error,
    /// "varning": worth a look.
    Warning,
}

/// What kind of problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    MissingRequiredColumn,
    /// A column the schema wants present though not required (`fieldsMatch` exact, equal,
    /// subset).
    MissingColumn,
    MissingConditionalColumn,
    /// A header that is a column's label, or its name in another case: did you mean.
    MisnamedColumn,
    /// `fieldsMatch` exact: another name at a column's position.
    IncorrectLabel,
    UnknownColumn,
    /// `fieldsMatch` partial: not one column of the schema.
    NoMatchingColumn,
    DuplicateColumn,
    WrongNumberOfFields,
    EmptyRequiredValue,
    TypeError,
    /// A code that is in the list in another case: did you mean.
    CodeInOtherCase,
    CodeNotInList,
    OutOfRange,
}

impl Problem {
    fn severity(self, fields_match: FieldsMatch) -> Severity {
        match self {
            Self::MissingConditionalColumn => Severity::Warning,
            Self::UnknownColumn if fields_match.allows_other_columns() => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// "Did you mean": what was written, and what the specification has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub found: String,
    pub suggestion: String,
}

/// One finding, with how often it occurred and where.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub problem: Problem,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// How many rows (or columns) it occurred in.
    pub count: u64,
    /// The first row numbers (1 is the header; data starts at 2).
    pub rows: Vec<u64>,
    /// The first offending values.
    pub examples: Vec<String>,
    /// The finding in words, in the report's language.
    pub message: String,
    /// What was probably meant (a column's name, a code as the list writes it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub did_you_mean: Vec<Suggestion>,
}

impl Finding {
    fn suggest(&mut self, found: &str, suggestion: &str) {
        if self.did_you_mean.len() < EXAMPLES && !self.did_you_mean.iter().any(|s| s.found == found) {
            self.did_you_mean.push(Suggestion { found: found.chars().take(80).collect(), suggestion: suggestion.to_owned() });
        }
    }
}

/// The outcome of a check.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub collection: String,
    /// Data rows read (the header not counted).
    pub rows: u64,
    pub columns: Vec<String>,
    /// How columns were paired with the specification (Table Schema `fieldsMatch`).
    pub fields_match: &'static str,
    pub delimiter: String,
    pub encoding: String,
    pub passed: bool,
    pub errors: u64,
    pub warnings: u64,
    pub findings: Vec<Finding>,
    /// Per column of the collection: whether the delivery has it and how many of its values
    /// were filled (counts only, never values).
    pub column_counts: Vec<ColumnCount>,
}

/// How one column of the collection fared in a delivery.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ColumnCount {
    pub name: String,
    /// `required`, `conditional` or `optional`.
    pub level: &'static str,
    pub present: bool,
    /// Rows whose value was neither empty nor one of the column's missing values.
    pub filled: u64,
}

/// Why a file could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("the file could not be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file could not be read as CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The workbook was refused before it was read (too large, damaged, not XLSX).
    #[error("{0}")]
    Workbook(#[from] crate::ingest::xlsx::WorkbookError),
    #[error("the file is empty: it has no header row")]
    Empty,
}

/// Accumulates findings with their counts and first rows. A finding is keyed by its problem
/// and a number: the column's index in the specification for column problems, its position in
/// the header for unknown and duplicated columns.
struct Tally {
    lang: String,
    fields_match: FieldsMatch,
    found: HashMap<(Problem, Option<usize>), Finding>,
    order: Vec<(Problem, Option<usize>)>,
    /// Filled values per column index of the specification.
    filled: HashMap<usize, u64>,
    /// The columns of the specification the header has (by index).
    present: std::collections::HashSet<usize>,
}

impl Tally {
    fn new(lang: &str, fields_match: FieldsMatch) -> Self {
        Self {
            lang: lang.to_owned(),
            fields_match,
            found: HashMap::new(),
            order: Vec::new(),
            filled: HashMap::new(),
            present: Default::default(),
        }
    }

    fn add(
        &mut self,
        problem: Problem,
        column: Option<(usize, &str)>,
        row: Option<u64>,
        value: Option<&str>,
        message: impl FnOnce() -> String,
    ) -> &mut Finding {
        let key = (problem, column.map(|(i, _)| i));
        let severity = problem.severity(self.fields_match);
        let entry = self.found.entry(key).or_insert_with(|| {
            self.order.push(key);
            Finding {
                problem,
                severity,
                column: column.map(|(_, n)| n.to_owned()),
                count: 0,
                rows: Vec::new(),
                examples: Vec::new(),
                message: message(),
                did_you_mean: Vec::new(),
            }
        });
        entry.count += 1;
        if let Some(r) = row
            && entry.rows.len() < EXAMPLES
        {
            entry.rows.push(r);
        }
        if let Some(v) = value
            && entry.examples.len() < EXAMPLES
            && !entry.examples.iter().any(|e| e == v)
        {
            entry.examples.push(v.chars().take(80).collect());
        }
        entry
    }

    fn en(&self) -> bool {
        self.lang == "en"
    }

    fn finish(mut self, spec: &CollectionSpec, rows: u64, columns: Vec<String>, delimiter: u8, encoding: &str) -> Report {
        let mut findings: Vec<Finding> = self.order.iter().filter_map(|k| self.found.remove(k)).collect();
        findings.sort_by_key(|a| (a.severity, a.problem));
        let errors = findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.count).sum();
        let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).map(|f| f.count).sum();
        let column_counts = spec
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| ColumnCount {
                name: c.name.clone(),
                level: c.level.label("en"),
                present: self.present.contains(&i),
                filled: self.filled.get(&i).copied().unwrap_or(0),
            })
            .collect();
        Report {
            collection: spec.id.clone(),
            rows,
            columns,
            fields_match: spec.fields_match.as_str(),
            delimiter: match delimiter {
                b'\t' => "tab".into(),
                d => (d as char).to_string(),
            },
            encoding: encoding.to_owned(),
            passed: errors == 0,
            errors,
            warnings,
            findings,
            column_counts,
        }
    }
}

/// How each header position maps to the specification.
struct Layout<'s> {
    /// Per header position: the column's index in the specification and the column, if any.
    by_position: Vec<Option<(usize, &'s ColumnSpec)>>,
}

/// A header cell as compared: without surrounding space and byte-order mark.
fn clean(name: &str) -> &str {
    name.trim().trim_start_matches('\u{feff}').trim()
}

/// A name folded for "did you mean": lower case, Swedish and other accented letters as their
/// base letter, every run of other characters one `_` (`Disponibla vårdplatser` →
/// `disponibla_vardplatser`).
fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in clean(name).chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            c => c,
        };
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// Whether a header is the column written another way: its label (in any language) or its
/// name in another case or spelling.
fn means(header: &str, c: &ColumnSpec) -> bool {
    let h = fold(header);
    !h.is_empty() && (h == fold(&c.name) || c.title.iter().any(|(_, t)| fold(t) == h))
}

/// Pairs the header with the specification (findings into the tally), and notes which of the
/// collection's columns the delivery has.
fn header_findings<'s>(spec: &'s CollectionSpec, header: &[String], tally: &mut Tally) -> Layout<'s> {
    let layout = header_layout(spec, header, tally);
    tally.present = layout.by_position.iter().flatten().map(|(index, _)| *index).collect();
    layout
}

fn header_layout<'s>(spec: &'s CollectionSpec, header: &[String], tally: &mut Tally) -> Layout<'s> {
    if spec.fields_match == FieldsMatch::Exact {
        return header_by_position(spec, header, tally);
    }
    let en = tally.en();
    let mut by_position: Vec<Option<(usize, &ColumnSpec)>> = vec![None; header.len()];
    let mut matched = vec![false; spec.columns.len()];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut unmatched = Vec::new();
    // names as written
    for (i, h) in header.iter().enumerate() {
        let name = clean(h);
        if let Some(first) = seen.get(name) {
            tally.add(Problem::DuplicateColumn, Some((i, name)), Some(1), None, || {
                if en {
                    format!("The column {name} appears twice (positions {} and {}).", first + 1, i + 1)
                } else {
                    format!("Kolumnen {name} finns två gånger (plats {} och {}).", first + 1, i + 1)
                }
            });
            continue;
        }
        seen.insert(name, i);
        match spec.columns.iter().position(|c| c.name == name) {
            Some(index) => {
                by_position[i] = Some((index, &spec.columns[index]));
                matched[index] = true;
            }
            None => unmatched.push(i),
        }
    }
    // the rest: a column written another way (did you mean), or not the collection's
    for i in unmatched {
        let name = clean(&header[i]);
        if name.is_empty() {
            tally.add(Problem::UnknownColumn, Some((i, "")), Some(1), None, || {
                if en {
                    format!("Column {} of the header has no name.", i + 1)
                } else {
                    format!("Kolumn {} i rubrikraden saknar namn.", i + 1)
                }
            });
            continue;
        }
        let meant = spec.columns.iter().enumerate().find(|(index, c)| !matched[*index] && means(name, c));
        if let Some((index, c)) = meant {
            matched[index] = true;
            by_position[i] = Some((index, c));
            tally
                .add(Problem::MisnamedColumn, Some((i, name)), Some(1), None, || {
                    if en {
                        format!(
                            "The column {name} is not a column name of the collection {}: did you mean {} ({})? The header row holds the columns' technical names, written exactly so.",
                            spec.id,
                            c.name,
                            c.title.best("en")
                        )
                    } else {
                        format!(
                            "Kolumnen {name} är inget kolumnnamn i datainsamlingen {}: menade du {} ({})? Rubrikraden ska ha kolumnernas tekniska namn, skrivna exakt så.",
                            spec.id,
                            c.name,
                            c.title.best("sv")
                        )
                    }
                })
                .suggest(name, &c.name);
            continue;
        }
        let allowed = spec.fields_match.allows_other_columns();
        tally.add(Problem::UnknownColumn, Some((i, name)), Some(1), None, || match (en, allowed) {
            (true, true) => format!("The column {name} is not part of the collection {} (allowed, not checked).", spec.id),
            (false, true) => format!("Kolumnen {name} ingår inte i datainsamlingen {} (tillåtet, kontrolleras inte).", spec.id),
            (true, false) => {
                format!("The column {name} is not part of the collection {}: a delivery holds only the collection's columns.", spec.id)
            }
            (false, false) => {
                format!("Kolumnen {name} ingår inte i datainsamlingen {}: en leverans har bara datainsamlingens kolumner.", spec.id)
            }
        });
    }
    if spec.fields_match == FieldsMatch::Partial && !spec.columns.is_empty() && !matched.iter().any(|m| *m) {
        tally.add(Problem::NoMatchingColumn, None, Some(1), None, || {
            if en {
                format!("Not one column of the header is a column of {}.", spec.id)
            } else {
                format!("Ingen kolumn i rubrikraden är en kolumn i {}.", spec.id)
            }
        });
    }
    for (index, c) in spec.columns.iter().enumerate() {
        if !matched[index] {
            missing(spec, index, c, tally);
        }
    }
    Layout { by_position }
}

/// A column of the specification that the header lacks.
fn missing(spec: &CollectionSpec, index: usize, c: &ColumnSpec, tally: &mut Tally) {
    let en = tally.en();
    match c.level {
        RequirementLevel::Required => {
            tally.add(Problem::MissingRequiredColumn, Some((index, &c.name)), Some(1), None, || {
                if en {
                    format!("The required column {} ({}) is missing.", c.name, c.title.best("en"))
                } else {
                    format!("Den obligatoriska kolumnen {} ({}) saknas.", c.name, c.title.best("sv"))
                }
            });
        }
        _ if spec.fields_match.needs_every_field() => {
            let mode = spec.fields_match.as_str();
            tally.add(Problem::MissingColumn, Some((index, &c.name)), Some(1), None, || {
                if en {
                    format!(
                        "The column {} ({}) is missing: the schema wants all its columns (fieldsMatch {mode}).",
                        c.name,
                        c.title.best("en")
                    )
                } else {
                    format!("Kolumnen {} ({}) saknas: schemat kräver alla sina kolumner (fieldsMatch {mode}).", c.name, c.title.best("sv"))
                }
            });
        }
        RequirementLevel::Conditional => {
            tally.add(Problem::MissingConditionalColumn, Some((index, &c.name)), Some(1), None, || {
                let condition = c.condition.best(if en { "en" } else { "sv" });
                if en {
                    format!("The conditional column {} is missing; it is needed when: {condition}", c.name)
                } else {
                    format!("Den villkorade kolumnen {} saknas; den behövs när: {condition}", c.name)
                }
            });
        }
        RequirementLevel::Optional => {}
    }
}

/// `fieldsMatch` exact (a Table Schema that names none): the header holds the fields by
/// position, all of them and no more.
fn header_by_position<'s>(spec: &'s CollectionSpec, header: &[String], tally: &mut Tally) -> Layout<'s> {
    let en = tally.en();
    let mut by_position = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let name = clean(h);
        let Some(c) = spec.columns.get(i) else {
            tally.add(Problem::UnknownColumn, Some((i, name)), Some(1), None, || {
                if en {
                    format!("The column {name} (position {}) is past the schema's {} columns.", i + 1, spec.columns.len())
                } else {
                    format!("Kolumnen {name} (plats {}) kommer efter schemats {} kolumner.", i + 1, spec.columns.len())
                }
            });
            by_position.push(None);
            continue;
        };
        // values are read by position whatever the label, as Table Schema does
        by_position.push(Some((i, c)));
        if name == c.name {
            continue;
        }
        let meant = means(name, c);
        let finding = tally.add(Problem::IncorrectLabel, Some((i, name)), Some(1), None, || {
            let hint = match (meant, en) {
                (true, true) => format!(" Did you mean {}?", c.name),
                (true, false) => format!(" Menade du {}?", c.name),
                (false, _) => String::new(),
            };
            if en {
                format!("Position {} of the header must be {}, not {name}: the schema names no fieldsMatch, so the columns stand in its order.{hint}", i + 1, c.name)
            } else {
                format!("Plats {} i rubrikraden ska vara {}, inte {name}: schemat anger ingen fieldsMatch, så kolumnerna står i dess ordning.{hint}", i + 1, c.name)
            }
        });
        if meant {
            finding.suggest(name, &c.name);
        }
    }
    for (index, c) in spec.columns.iter().enumerate().skip(header.len()) {
        missing(spec, index, c, tally);
    }
    Layout { by_position }
}

/// Whether `v` is a value of `t`.
fn type_ok(t: ValueType, v: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date = |s: &str| {
        if s.len() == 8 && digits(s) {
            chrono::NaiveDate::parse_from_str(s, "%Y%m%d").is_ok()
        } else {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        }
    };
    match t {
        ValueType::String => true,
        ValueType::Integer => {
            let s = v.strip_prefix(['-', '+']).unwrap_or(v);
            digits(s)
        }
        ValueType::Decimal => v.replace(',', ".").parse::<f64>().is_ok_and(f64::is_finite),
        ValueType::Boolean => matches!(v.to_ascii_lowercase().as_str(), "true" | "false" | "1" | "0" | "ja" | "nej"),
        ValueType::Date => date(v),
        ValueType::DateTime => {
            chrono::DateTime::parse_from_rfc3339(v).is_ok()
                || chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S").is_ok()
                || chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S").is_ok()
                || chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M").is_ok()
                || chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M").is_ok()
        }
        ValueType::Year => v.len() == 4 && digits(v),
        ValueType::YearMonth => {
            let (y, m) = if v.len() == 7 && v.as_bytes()[4] == b'-' {
                (&v[..4], &v[5..])
            } else if v.len() == 6 {
                (&v[..4], &v[4..])
            } else {
                ("", "")
            };
            digits(y) && y.len() == 4 && matches!(m.parse::<u32>(), Ok(1..=12)) && digits(m)
        }
        ValueType::Time => {
            chrono::NaiveTime::parse_from_str(v, "%H:%M:%S").is_ok() || chrono::NaiveTime::parse_from_str(v, "%H:%M").is_ok()
        }
    }
}

/// The numeric value of `v` for a range check.
fn numeric(t: ValueType, v: &str) -> Option<f64> {
    match t {
        ValueType::Integer | ValueType::Decimal | ValueType::Year => v.replace(',', ".").parse().ok(),
        _ => None,
    }
}

/// Checks one value of the column with specification index `index`.
fn check_value(c: &ColumnSpec, index: usize, value: &str, row: u64, tally: &mut Tally) {
    let en = tally.en();
    let v = value.trim();
    if v.is_empty() || c.missing_values.iter().any(|m| m == v) {
        if c.level == RequirementLevel::Required {
            tally.add(Problem::EmptyRequiredValue, Some((index, &c.name)), Some(row), None, || {
                if en { format!("{} is required but empty.", c.name) } else { format!("{} är obligatorisk men tom.", c.name) }
            });
        }
        return;
    }
    *tally.filled.entry(index).or_insert(0) += 1;
    if let Some(codes) = &c.codes {
        if codes.contains(v) {
            return;
        }
        let lower = v.to_lowercase();
        if let Some(code) = codes.iter().find(|code| code.to_lowercase() == lower) {
            tally
                .add(Problem::CodeInOtherCase, Some((index, &c.name)), Some(row), Some(v), || {
                    if en {
                        format!("{} holds codes written in another case than in its code list, e.g. {v}: did you mean {code}?", c.name)
                    } else {
                        format!(
                            "{} har koder skrivna med andra stora och små bokstäver än i kodlistan, t.ex. {v}: menade du {code}?",
                            c.name
                        )
                    }
                })
                .suggest(v, code);
        } else {
            tally.add(Problem::CodeNotInList, Some((index, &c.name)), Some(row), Some(v), || {
                let list: Vec<&str> = codes.iter().map(String::as_str).take(12).collect();
                let more = if codes.len() > 12 { " …" } else { "" };
                if en {
                    format!("{} holds codes that are not in its code list ({}{more}).", c.name, list.join(", "))
                } else {
                    format!("{} har koder som inte finns i kodlistan ({}{more}).", c.name, list.join(", "))
                }
            });
        }
        return;
    }
    if !type_ok(c.value_type, v) {
        tally.add(Problem::TypeError, Some((index, &c.name)), Some(row), Some(v), || {
            let expected = c.value_type.expected(if en { "en" } else { "sv" });
            if en { format!("{} must be {expected}.", c.name) } else { format!("{} ska vara {expected}.", c.name) }
        });
        return;
    }
    if let Some(n) = numeric(c.value_type, v) {
        let below = c.minimum.is_some_and(|m| n < m);
        let above = c.maximum.is_some_and(|m| n > m);
        if below || above {
            tally.add(Problem::OutOfRange, Some((index, &c.name)), Some(row), Some(v), || {
                let range = format!(
                    "{}–{}",
                    c.minimum.map(|m| m.to_string()).unwrap_or_default(),
                    c.maximum.map(|m| m.to_string()).unwrap_or_default()
                );
                if en {
                    format!("{} is outside its range {range}.", c.name)
                } else {
                    format!("{} ligger utanför intervallet {range}.", c.name)
                }
            });
        }
    }
}

/// Decodes a byte stream to UTF-8 as it is read (Windows-1252 when the file is not UTF-8).
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    pending: Vec<u8>,
    start: usize,
    raw: Vec<u8>,
    done: bool,
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.start == self.pending.len() {
            if self.done {
                return Ok(0);
            }
            self.raw.resize(64 * 1024, 0);
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            self.pending.clear();
            self.start = 0;
            let max = self.decoder.max_utf8_buffer_length(n).unwrap_or(4 * n + 16);
            let mut text = String::with_capacity(max);
            let (_, _, _) = self.decoder.decode_to_string(&self.raw[..n], &mut text, last);
            self.pending.extend_from_slice(text.as_bytes());
            self.done = last;
        }
        let n = (self.pending.len() - self.start).min(out.len());
        out[..n].copy_from_slice(&self.pending[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Chooses the delimiter from the header line: the most frequent of `;`, `,`, tab and `|`.
fn sniff_delimiter(line: &[u8]) -> u8 {
    [b';', b',', b'\t', b'|'].into_iter().max_by_key(|d| line.iter().filter(|b| *b == d).count()).unwrap_or(b',')
}

/// Checks a CSV delivery (any of `;`, `,`, tab, `|`; UTF-8 with or without BOM, or
/// Windows-1252/Latin-1).
pub fn check_csv(spec: &CollectionSpec, input: impl Read, lang: &str) -> Result<Report, ExtractError> {
    let mut buffered = BufReader::with_capacity(256 * 1024, input);
    let head = buffered.fill_buf()?.to_vec();
    if head.is_empty() {
        return Err(ExtractError::Empty);
    }
    let utf8 = head.starts_with(b"\xEF\xBB\xBF") || utf8_prefix_ok(&head);
    let (encoding, name) = if utf8 { (encoding_rs::UTF_8, "UTF-8") } else { (encoding_rs::WINDOWS_1252, "Windows-1252") };
    let first_line_end = head.iter().position(|b| *b == b'\n').unwrap_or(head.len());
    let delimiter = sniff_delimiter(&head[..first_line_end]);
    let decoding = Decoding {
        inner: buffered,
        decoder: encoding.new_decoder_with_bom_removal(),
        pending: Vec::new(),
        start: 0,
        raw: Vec::new(),
        done: false,
    };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(decoding);
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record)? {
        return Err(ExtractError::Empty);
    }
    let header: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
    let mut tally = Tally::new(lang, spec.fields_match);
    let layout = header_findings(spec, &header, &mut tally);
    let en = tally.en();
    let mut rows = 0u64;
    while reader.read_record(&mut record)? {
        rows += 1;
        let row = rows + 1;
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            rows -= 1;
            continue; // an empty line
        }
        if record.len() != header.len() {
            let (got, want) = (record.len(), header.len());
            tally.add(Problem::WrongNumberOfFields, None, Some(row), None, || {
                if en {
                    format!("Rows have another number of fields than the header ({want}), e.g. {got}.")
                } else {
                    format!("Rader har ett annat antal fält än rubrikraden ({want}), t.ex. {got}.")
                }
            });
        }
        for (i, value) in record.iter().enumerate() {
            if let Some(Some((index, c))) = layout.by_position.get(i) {
                check_value(c, *index, value, row, &mut tally);
            }
        }
        // columns cut off by a short row count as empty
        for (index, c) in layout.by_position.iter().skip(record.len()).flatten() {
            check_value(c, *index, "", row, &mut tally);
        }
    }
    Ok(tally.finish(spec, rows, header, delimiter, name))
}

fn utf8_prefix_ok(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        // a multi-byte character cut at the end of the buffer is still UTF-8
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Checks the first sheet of an XLSX delivery.
pub fn check_xlsx(spec: &CollectionSpec, path: &std::path::Path, lang: &str) -> Result<Report, ExtractError> {
    check_xlsx_from(spec, BufReader::new(std::fs::File::open(path)?), lang)
}

/// Checks the first sheet of an XLSX delivery read from `input`. It streams like the CSV check:
/// the workbook is opened through [`crate::ingest::xlsx`] against
/// [`Limits::DELIVERY`](crate::ingest::limits::Limits::DELIVERY) and read one row at a time,
/// so memory stays flat however many rows; rows without a filled cell are skipped like empty
/// lines. The header is the first row with a filled cell, and its first filled cell is the first
/// column.
pub fn check_xlsx_from<R: Read + std::io::Seek>(spec: &CollectionSpec, input: R, lang: &str) -> Result<Report, ExtractError> {
    use crate::ingest::{limits::Limits, xlsx};
    let mut book = xlsx::open(input, Limits::DELIVERY)?;
    let sheet = book.sheet_names().first().cloned().ok_or(ExtractError::Empty)?;
    let mut per_row = book.per_row();
    let mut tally = Tally::new(lang, spec.fields_match);
    let mut rows = 0u64;
    // after the header: (first column, header, layout)
    let mut head: Option<(usize, Vec<String>, Layout<'_>)> = None;
    book.rows(&sheet, &mut per_row, |row, cells| {
        let Some((first, _, layout)) = &head else {
            let first = cells.iter().position(|c| !c.trim().is_empty()).unwrap_or(0);
            let header: Vec<String> = cells[first..].iter().map(|h| h.trim().to_owned()).collect();
            let layout = header_findings(spec, &header, &mut tally);
            head = Some((first, header, layout));
            return;
        };
        rows += 1;
        let values = cells.get(*first..).unwrap_or(&[]);
        for (i, value) in values.iter().enumerate() {
            if let Some(Some((index, c))) = layout.by_position.get(i) {
                check_value(c, *index, value, u64::from(row), &mut tally);
            }
        }
        // columns after the row's last filled cell are empty
        for (index, c) in layout.by_position.iter().skip(values.len()).flatten() {
            check_value(c, *index, "", u64::from(row), &mut tally);
        }
    })?;
    let Some((_, header, _)) = head else { return Err(ExtractError::Empty) };
    Ok(tally.finish(spec, rows, header, b',', &format!("XLSX ({sheet})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_types() {
        assert!(type_ok(ValueType::Integer, "-12"));
        assert!(!type_ok(ValueType::Integer, "1.5"));
        assert!(type_ok(ValueType::Decimal, "39,3"));
        assert!(type_ok(ValueType::Date, "20240131"));
        assert!(type_ok(ValueType::Date, "2024-01-31"));
        assert!(!type_ok(ValueType::Date, "2024-02-30"));
        assert!(type_ok(ValueType::YearMonth, "202402"));
        assert!(!type_ok(ValueType::YearMonth, "202413"));
        assert!(type_ok(ValueType::DateTime, "2024-01-31 10:15"));
        assert!(type_ok(ValueType::Boolean, "Nej"));
    }

    /// A Table Schema v2 field's own missing values, written with their meaning, let a
    /// sentinel pass where the codes would refuse it; a value outside both is still an error;
    /// and the schema reads back as written.
    #[test]
    fn missing_values_with_their_meaning_are_honoured() {
        let schema = serde_json::json!({
            "fields": [{
                "name": "sida",
                "type": "string",
                "constraints": {"required": true, "enum": ["1", "2"]},
                "missingValues": ["", {"value": "9", "label": "Uppgift saknas"}, {"value": "99", "label": "Okänd"}]
            }]
        });
        let spec = CollectionSpec::from_table_schema(&schema).unwrap();
        assert_eq!(spec.columns[0].missing_values, ["9", "99"]);
        assert_eq!(spec.columns[0].missing_meanings.get("9").map(String::as_str), Some("Uppgift saknas"));
        // in a required column a sentinel is a missing value, not a wrong code
        let report = check_csv(&spec, "sida\n1\n9\n99\n2\n".as_bytes(), "sv").unwrap();
        assert_eq!(report.findings.len(), 1, "{report:?}");
        assert_eq!((report.findings[0].count, &report.findings[0].rows), (2, &vec![3, 4]), "{report:?}");
        assert!(report.findings[0].message.contains("obligatorisk men tom"), "{report:?}");
        let mut optional = spec.clone();
        optional.columns[0].level = RequirementLevel::Optional;
        let report = check_csv(&optional, "sida\n1\n9\n99\n2\n".as_bytes(), "sv").unwrap();
        assert!(report.passed && report.errors == 0, "{report:?}");
        let report = check_csv(&optional, "sida\n1\n8\n".as_bytes(), "sv").unwrap();
        assert_eq!(report.errors, 1, "{report:?}");
        let written = spec.to_table_schema();
        assert_eq!(written["fields"][0]["missingValues"][1], serde_json::json!({"value": "9", "label": "Uppgift saknas"}));
        assert_eq!(CollectionSpec::from_table_schema(&written).unwrap().columns[0].missing_meanings, spec.columns[0].missing_meanings);
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter(b"a;b;c"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"a,b"), b',');
    }
}
