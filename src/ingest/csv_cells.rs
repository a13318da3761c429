//! CSV files that are safe to open in a spreadsheet program, and read back exactly.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, TAB or CR is read by Excel, LibreOffice and
//! Google Sheets as a formula (CSV or formula injection: `=HYPERLINK(…)`, `=cmd|…`). Every CSV
//! the catalogue writes goes through [`write`], which follows OWASP's advice: such a cell gets
//! a single quote in front (the spreadsheet then shows it as text) and every field is quoted,
//! with quotes inside doubled.
//!
//! The import undoes exactly that ([`restore`]), so exporting and importing changes nothing
//! (a missing-value code `-1` stays `-1`). The rule, both ways, on the text of one cell:
//!
//! - writing: a cell made of zero or more `'` followed by one of the six characters gets one
//!   more `'` in front (`-1` → `'-1`, `'=x` → `''=x`);
//! - reading: a cell made of one or more `'` followed by one of the six characters loses its
//!   first `'` (`'-1` → `-1`, `''=x` → `'=x`); every other cell is read as it is (`'s-Hertogenbosch`
//!   and `'abc` keep their quote).
//!
//! XLSX exports need none of this: their cells are written as strings, never as formulas.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell, after any leading single quotes, starts a formula.
fn starts_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// The cell as it is written: a leading `'` added when a spreadsheet would take it for a
/// formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_formula(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The cell as it was before [`neutralise`]: one leading `'` removed where `neutralise` put it.
pub fn restore(cell: &str) -> Cow<'_, str> {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_formula(rest) => Cow::Borrowed(rest),
        _ => Cow::Borrowed(cell),
    }
}

/// Writes a CSV file: an optional UTF-8 byte-order mark (so that Excel reads å, ä and ö), the
/// header and the rows, every field quoted and neutralised.
pub fn write<R, C>(delimiter: u8, bom: bool, header: &[&str], rows: R) -> Result<Vec<u8>, csv::Error>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut out = if bom { "\u{feff}".as_bytes().to_vec() } else { Vec::new() };
    {
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).quote_style(csv::QuoteStyle::Always).from_writer(&mut out);
        w.write_record(header.iter().map(|h| neutralise(h).into_owned()))?;
        for row in rows {
            w.write_record(row.into_iter().map(|c| neutralise(c.as_ref()).into_owned()))?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_a_quote_and_read_back_exactly() {
        for (value, written) in [
            ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
            ("+46", "'+46"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''-1", "'''-1"),
            ("HDIA", "HDIA"),
            ("'s-Hertogenbosch", "'s-Hertogenbosch"),
            ("'", "'"),
            ("", ""),
            ("1-2", "1-2"),
        ] {
            assert_eq!(neutralise(value), written, "{value:?}");
            assert_eq!(restore(written), value, "{written:?}");
        }
        // a file from elsewhere keeps its quotes unless they guard a formula
        assert_eq!(restore("'abc"), "'abc");
    }

    #[test]
    fn every_field_is_quoted_and_neutralised() {
        let bytes = write(b';', true, &["Namn", "Saknat värde"], [["=1+2", "-1"], ["a\"b", "c;d"]]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}\"Namn\";\"Saknat värde\"\n\"'=1+2\";\"'-1\"\n\"a\"\"b\";\"c;d\"\n");
    }
}
