//! Sheets as rows of text, and the small vocabularies the spreadsheets use in words
//! ("Heltal", "Årligen", "Icke-offentlig"), both ways; periods are read by `model::Period::parse`.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::io::{BufReader, Read};

use oxigraph::model::NamedNode;

use super::IngestError;
pub use super::limits::column_letter;
use super::limits::{Excess, Limits, Place, Tally, TooLarge};
use crate::model::Period;
use crate::model::vocab::{eu, xsd};

/// One sheet (or CSV file) as text cells, with the row numbers a spreadsheet shows.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    /// (1-based row number, cells from column A).
    pub rows: Vec<(u32, Vec<String>)>,
}

impl Sheet {
    /// The non-empty rows.
    pub fn filled(&self) -> impl Iterator<Item = &(u32, Vec<String>)> {
        self.rows.iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
    }
}

/// A header as the reader compares it: lower case, without whitespace or punctuation, å/ä/ö
/// folded (`Värde-mängd ` = `vardemangd`).
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => Some('a'),
            'ö' | 'ø' => Some('o'),
            'é' | 'è' => Some('e'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Reads every sheet of an XLSX workbook into text rows. Numbers that are whole are written
/// without a decimal point; dates as `YYYY-MM-DD`. The workbook is opened through
/// [`super::xlsx`] against [`Limits::METADATA`]: a file larger than those is refused, naming the
/// sheet, before anything sized by it is allocated.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, IngestError> {
    let mut book = super::xlsx::open(std::io::Cursor::new(bytes), Limits::METADATA)?;
    let mut tally = book.collecting();
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        book.rows(&name, &mut tally, |n, cells| match rows.entry(n) {
            Entry::Vacant(v) => {
                v.insert(cells);
            }
            // a row written twice: the later cells over the earlier ones
            Entry::Occupied(mut o) => {
                let row = o.get_mut();
                if row.len() < cells.len() {
                    row.resize(cells.len(), String::new());
                }
                for (i, c) in cells.into_iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                    row[i] = c;
                }
            }
        })?;
        out.push(Sheet { name, rows: rows.into_iter().collect() });
    }
    Ok(out)
}

/// Reads a CSV file into text rows: delimiter `;`, `,`, tab or `|` (the most frequent in the
/// header line), UTF-8 (with or without BOM) or Windows-1252. The rows, columns, cells and text
/// are counted against [`Limits::METADATA`] as in a workbook; a file with more fields than the
/// cells allowed is refused before it is parsed (a record of millions of empty fields would
/// otherwise cost more memory than the file).
pub fn read_csv(name: &str, input: impl Read) -> Result<Sheet, IngestError> {
    read_csv_with(name, input, Limits::METADATA)
}

/// [`read_csv`] against other limits.
pub fn read_csv_with(name: &str, input: impl Read, limits: Limits) -> Result<Sheet, IngestError> {
    let mut bytes = Vec::new();
    BufReader::new(input).read_to_end(&mut bytes).map_err(|e| IngestError::Csv(e.to_string()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)) {
        Ok(t) => t.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    };
    drop(bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b';', b',', b'\t', b'|'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let place = || Place::File(name.to_owned());
    // every field ends at a delimiter or a line end: their count bounds the fields of the file
    let fields = text.bytes().filter(|b| *b == delimiter || *b == b'\n').count() as u64 + 1;
    if fields > limits.max_cells {
        return Err(TooLarge::new(place(), Excess::Cells { limit: limits.max_cells }).into());
    }
    let mut tally = Tally::collecting(limits);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let bytes = text.as_bytes();
    let (mut line, mut counted) = (1u32, 0usize);
    for rec in reader.records() {
        let rec = rec.map_err(|e| IngestError::Csv(e.to_string()))?;
        // the line a record starts on, counted from its byte offset (a quoted field may span
        // several lines; LF and CRLF files alike)
        // (after a CRLF line the next record is reported at its LF, so the byte at the start
        // is counted too)
        let start = rec.position().map(|p| p.byte() as usize).unwrap_or(counted);
        let end = (start + 1).min(bytes.len()).max(counted);
        line += bytes[counted..end].iter().filter(|b| **b == b'\n').count() as u32;
        counted = end;
        let width = rec.len() as u32;
        tally.position(line - 1, width.saturating_sub(1), place)?;
        tally.take(width as u64, rec.as_slice().len() as u64, place)?;
        // undo what our own CSV export does to formula-like cells (`csv_cells`)
        rows.push((line, rec.iter().map(|c| super::csv_cells::restore(c).into_owned()).collect()));
    }
    Ok(Sheet { name: name.to_owned(), rows })
}

pub fn looks_like_iri(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("http://") || s.starts_with("https://") || s.starts_with("urn:") || s.starts_with("mailto:"))
        && !s.contains(char::is_whitespace)
}

/// Splits a cell holding several values (IRIs separated by whitespace, `;` or `,`).
pub fn split_list(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ';' || c == ',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
}

/// `1997–2008` for a period (the en dash, as the pages show it).
pub fn period_text(p: &Period) -> String {
    p.label()
}

/// The words for the datatypes a variable can take: (XSD local name, Swedish, English). The one
/// home of these words: the import reads them, the export and the template workbook write the
/// Swedish ones, the edit form offers them and the pages name datatypes by them; the import
/// guide (`docs/import.md`) lists them (a test holds the guide to this table).
pub const DATATYPES: &[(&str, &str, &str)] = &[
    ("string", "Sträng (text)", "String (text)"),
    ("integer", "Heltal", "Integer"),
    ("nonNegativeInteger", "Icke-negativt heltal", "Non-negative integer"),
    ("decimal", "Decimaltal", "Decimal"),
    ("boolean", "Boolesk", "Boolean"),
    ("date", "Datum", "Date"),
    ("dateTime", "Datum och tid", "Date and time"),
    ("gYear", "År", "Year"),
    ("gYearMonth", "År och månad", "Year and month"),
    ("time", "Tid", "Time"),
    ("duration", "Tidslängd", "Duration"),
];

/// The XSD datatype of a data type written in words (Swedish or English, as [`DATATYPES`] or a
/// common synonym) or as `xsd:…`.
pub fn datatype(word: &str) -> Option<NamedNode> {
    let n = normalise(word);
    let named = DATATYPES.iter().find(|(_, sv, en)| normalise(sv) == n || normalise(en) == n).map(|(local, ..)| *local);
    let local = match named {
        Some(local) => local,
        None => match n.as_str() {
            "int" | "xsdinteger" | "numeriskheltal" => "integer",
            "xsdnonnegativeinteger" | "nonnegativeinteger" => "nonNegativeInteger",
            "flyttal" | "numerisk" | "numeric" | "number" | "tal" | "xsddecimal" => "decimal",
            "strang" | "text" | "string" | "tecken" | "xsdstring" | "alfanumerisk" => "string",
            "xsddate" => "date",
            "datumtid" | "tidpunkt" | "datetime" | "xsddatetime" => "dateTime",
            "xsdgyear" | "gyear" => "gYear",
            "armanad" | "yearmonth" | "xsdgyearmonth" | "gyearmonth" => "gYearMonth",
            "santfalskt" | "janej" | "xsdboolean" => "boolean",
            "klockslag" | "xsdtime" => "time",
            "xsdduration" => "duration",
            _ => return None,
        },
    };
    NamedNode::new(format!("{}{local}", xsd::NS)).ok()
}

/// The Swedish and English words for a datatype by its XSD local name (`int`, `long`, `double`
/// and `float` as their nearest [`DATATYPES`]); `None` for one without words.
pub fn datatype_words(local: &str) -> Option<(&'static str, &'static str)> {
    let local = match local {
        "int" | "long" => "integer",
        "double" | "float" => "decimal",
        other => other,
    };
    DATATYPES.iter().find(|(l, ..)| *l == local).map(|(_, sv, en)| (*sv, *en))
}

/// Every datatype in words, for a message: `Heltal, … eller Tidslängd` (in English, each with
/// its English word: `Heltal (Integer), … or Tidslängd (Duration)`).
pub fn datatype_list(en: bool) -> String {
    let words: Vec<String> = DATATYPES.iter().map(|(_, sv, e)| if en { format!("{sv} ({e})") } else { (*sv).to_owned() }).collect();
    let (last, rest) = words.split_last().expect("there are datatypes");
    format!("{} {} {last}", rest.join(", "), if en { "or" } else { "eller" })
}

/// The Swedish word for a datatype (as the workbook writes it).
pub fn datatype_word(d: &NamedNode) -> String {
    match d.as_str().strip_prefix(xsd::NS) {
        Some(local) => match datatype_words(local) {
            Some((sv, _)) => sv.to_owned(),
            None => format!("xsd:{local}"),
        },
        None => d.as_str().to_owned(),
    }
}

const FREQUENCIES: &[(&str, &[&str], &str, &str)] = &[
    ("ANNUAL", &["arligen", "arlig", "ettgangperar", "varjear", "annual", "annually", "yearly"], "Årligen", "Annual"),
    ("ANNUAL_2", &["tvagangerperar", "halvarsvis", "semiannual"], "Två gånger per år", "Semiannual"),
    ("QUARTERLY", &["kvartalsvis", "perkvartal", "quarterly"], "Kvartalsvis", "Quarterly"),
    ("MONTHLY", &["manatligen", "manadsvis", "permanad", "monthly"], "Månadsvis", "Monthly"),
    ("WEEKLY", &["veckovis", "pervecka", "weekly"], "Veckovis", "Weekly"),
    ("DAILY", &["dagligen", "perdag", "daily"], "Dagligen", "Daily"),
    ("CONT", &["kontinuerligt", "lopande", "continuous"], "Kontinuerligt", "Continuous"),
    ("IRREG", &["oregelbundet", "irregular"], "Oregelbundet", "Irregular"),
    ("NEVER", &["aldrig", "never"], "Aldrig", "Never"),
    ("BIENNIAL", &["vartannatar", "biennial"], "Vartannat år", "Biennial"),
];

/// An EU frequency IRI from a word or an IRI.
pub fn frequency(value: &str) -> Option<NamedNode> {
    if looks_like_iri(value) {
        return NamedNode::new(value.trim()).ok();
    }
    let n = normalise(value);
    FREQUENCIES
        .iter()
        .find(|(_, words, _, _)| words.contains(&n.as_str()))
        .and_then(|(code, ..)| NamedNode::new(format!("{}{code}", eu::FREQUENCY)).ok())
}

/// The Swedish and English words for a frequency IRI (the IRI itself when it has none).
pub fn frequency_words(iri: &NamedNode) -> (String, String) {
    iri.as_str()
        .strip_prefix(eu::FREQUENCY)
        .and_then(|code| FREQUENCIES.iter().find(|(c, ..)| *c == code))
        .map(|(_, _, sv, en)| ((*sv).to_owned(), (*en).to_owned()))
        .unwrap_or_else(|| (iri.as_str().to_owned(), String::new()))
}

const ACCESS: &[(&str, &[&str], &str, &str)] = &[
    ("PUBLIC", &["offentlig", "oppen", "oppnadata", "public"], "Offentlig", "Public"),
    ("RESTRICTED", &["begransad", "restricted"], "Begränsad", "Restricted"),
    ("NON_PUBLIC", &["ickeoffentlig", "sekretess", "sekretessbelagd", "nonpublic", "notpublic"], "Icke-offentlig", "Non-public"),
];

/// An EU access-right IRI from a word or an IRI.
pub fn access_right(value: &str) -> Option<NamedNode> {
    if looks_like_iri(value) {
        return NamedNode::new(value.trim()).ok();
    }
    let n = normalise(value);
    ACCESS
        .iter()
        .find(|(_, words, _, _)| words.contains(&n.as_str()))
        .and_then(|(code, ..)| NamedNode::new(format!("{}{code}", eu::ACCESS_RIGHT)).ok())
}

pub fn access_right_words(iri: &NamedNode) -> (String, String) {
    iri.as_str()
        .strip_prefix(eu::ACCESS_RIGHT)
        .and_then(|code| ACCESS.iter().find(|(c, ..)| *c == code))
        .map(|(_, _, sv, en)| ((*sv).to_owned(), (*en).to_owned()))
        .unwrap_or_else(|| (iri.as_str().to_owned(), String::new()))
}

/// A geographic area: `Sverige`/`Sweden` is the EU country SWE; otherwise an IRI.
pub fn spatial(value: &str) -> Option<NamedNode> {
    if looks_like_iri(value) {
        return NamedNode::new(value.trim()).ok();
    }
    match normalise(value).as_str() {
        "sverige" | "sweden" | "helariket" | "riket" | "swe" => NamedNode::new(format!("{}SWE", eu::COUNTRY)).ok(),
        _ => None,
    }
}

pub fn spatial_word(iri: &NamedNode) -> String {
    if iri.as_str() == format!("{}SWE", eu::COUNTRY) { "Sverige".into() } else { iri.as_str().to_owned() }
}

/// `Ja`/`Nej` and friends.
pub fn yes(value: &str) -> bool {
    matches!(normalise(value).as_str(), "ja" | "j" | "yes" | "y" | "x" | "sant" | "true" | "1")
}

/// The dataset types the workbook names in words (EU Dataset Type vocabulary).
const DATASET_TYPES: &[(&str, &[&str], &str, &str)] = &[
    ("PERSONAL_DATA", &["personuppgifter", "personaldata", "personal_data"], "Personuppgifter", "Personal data"),
    ("STATISTICAL", &["statistik", "statistical", "statistiska data"], "Statistik", "Statistical"),
    ("SYNTHETIC_DATA", &["syntetiskadata", "syntheticdata", "synthetic_data"], "Syntetiska data", "Synthetic data"),
];

/// A dataset type written as a word (Personuppgifter, Statistik, …), its code or an IRI.
pub fn dataset_type(value: &str) -> Option<NamedNode> {
    if looks_like_iri(value) {
        return NamedNode::new(value.trim()).ok();
    }
    let n = normalise(value);
    DATASET_TYPES
        .iter()
        .find(|(code, words, ..)| normalise(code) == n || words.iter().any(|w| normalise(w) == n))
        .and_then(|(code, ..)| NamedNode::new(format!("{}{code}", eu::DATASET_TYPE)).ok())
}

/// The Swedish and English words of a dataset type (its IRI when it is not one of the words).
pub fn dataset_type_words(t: &NamedNode) -> (String, String) {
    match t.as_str().strip_prefix(eu::DATASET_TYPE).and_then(|c| DATASET_TYPES.iter().find(|(code, ..)| *code == c)) {
        Some((_, _, sv, en)) => ((*sv).to_owned(), (*en).to_owned()),
        None => (t.as_str().to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_as_an_editor_shows_them() {
        for text in ["a;b\nx;1\ny;\"två\nrader\"\nz;3\n", "a;b\r\nx;1\r\ny;\"två\r\nrader\"\r\nz;3\r\n"] {
            let sheet = read_csv("t.csv", text.as_bytes()).unwrap();
            let rows: Vec<(u32, &str)> = sheet.rows.iter().map(|(n, c)| (*n, c[0].as_str())).collect();
            assert_eq!(rows, vec![(1, "a"), (2, "x"), (3, "y"), (5, "z")], "{text:?}");
        }
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn headers_compare_loosely() {
        assert_eq!(normalise(" Värde-mängd "), normalise("vardemangd"));
        assert_eq!(normalise("Variabel namn"), "variabelnamn");
    }

    #[test]
    fn words_both_ways() {
        for w in ["Heltal", "Sträng (text)", "Datum", "År", "Decimaltal", "Boolesk", "Datum och tid", "År och månad"] {
            assert_eq!(datatype_word(&datatype(w).unwrap()), w);
        }
        for (local, sv, en) in DATATYPES {
            let d = datatype(sv).unwrap();
            assert_eq!(datatype(en), Some(d.clone()), "{en}");
            assert_eq!(d.as_str().strip_prefix(xsd::NS), Some(*local));
            assert_eq!(datatype_word(&d), *sv);
        }
        let f = frequency("årligen").unwrap();
        assert!(f.as_str().ends_with("/ANNUAL"));
        assert_eq!(frequency(&frequency_words(&f).0), Some(f));
        let a = access_right("Icke-offentlig").unwrap();
        assert_eq!(access_right(&access_right_words(&a).0), Some(a));
    }
}
