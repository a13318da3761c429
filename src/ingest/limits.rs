//! How much a spreadsheet may hold before it is read, and the refusal when it holds more.
//!
//! Every reader of workbooks and tables goes through [`super::xlsx`] (XLSX) or
//! [`super::cells::read_csv`] (CSV), and both count against one [`Limits`] before they allocate
//! anything sized by the file: the inflated bytes of each part of the zip package (counted as
//! they are inflated, so a lying header does not help), the shared strings, the used range
//! (highest row and column), the cells and the text held. A failed allocation cannot be caught
//! (the process aborts), so the only defence is to refuse before allocating. The limits are far
//! above any real register workbook (the seed's and Socialstyrelsen's have a few thousand rows;
//! ICD-10-SE as a code list about 40 000) and are listed in `docs/import.md`.

use std::fmt;

/// Sizes a spreadsheet may reach. Cells and text are counted as they are held: for the whole
/// file when it is collected into sheets (the import, the harvester), for one row at a time when
/// it is streamed (the extract check).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files in the zip package.
    pub max_parts: usize,
    /// Inflated bytes of one part (a sheet, the shared strings, the styles …).
    pub max_part_bytes: u64,
    /// Inflated bytes of all parts together.
    pub max_total_bytes: u64,
    /// Entries of the shared-string table (declared and actual).
    pub max_shared_strings: u64,
    /// Highest row number.
    pub max_rows: u32,
    /// Highest column number (1000 is column ALL).
    pub max_columns: u32,
    /// Cells held, each row counted from column A to its last cell.
    pub max_cells: u64,
    /// Bytes of cell text held.
    pub max_text_bytes: u64,
}

const MB: u64 = 1024 * 1024;

/// The most characters one cell holds in Excel; a longer text was not written by a spreadsheet.
pub const MAX_CELL_CHARS: usize = 32_767;

impl Limits {
    /// Register metadata workbooks and variable tables: the import (`/import`, `vardkatalog
    /// import`) and the harvester (Socialstyrelsen's workbooks, RUT exports).
    pub const METADATA: Limits = Limits {
        max_parts: 2_000,
        max_part_bytes: 64 * MB,
        max_total_bytes: 256 * MB,
        max_shared_strings: 2_000_000,
        max_rows: 200_000,
        max_columns: 1_000,
        max_cells: 2_000_000,
        max_text_bytes: 128 * MB,
    };

    /// Data deliveries checked row by row (`vardkatalog check-extract`): as many rows as XLSX
    /// has, larger sheets; cells and text are held one row at a time.
    pub const DELIVERY: Limits = Limits {
        max_parts: 2_000,
        max_part_bytes: 512 * MB,
        max_total_bytes: 1024 * MB,
        max_shared_strings: 5_000_000,
        max_rows: 1_048_576,
        max_columns: 1_000,
        max_cells: 1_000,
        max_text_bytes: 64 * MB,
    };
}

/// Where a limit was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A sheet of a workbook, by its name.
    Sheet(String),
    /// A CSV file, by its name.
    File(String),
    /// A part of the workbook's zip package that is not a sheet (`xl/sharedStrings.xml`).
    Part(String),
    /// The workbook as a whole.
    Workbook,
}

impl Place {
    pub(crate) fn subject(&self, en: bool) -> String {
        match (self, en) {
            (Self::Sheet(s), false) => format!("Bladet '{s}'"),
            (Self::Sheet(s), true) => format!("The sheet '{s}'"),
            (Self::File(f), false) => format!("Filen '{f}'"),
            (Self::File(f), true) => format!("The file '{f}'"),
            (Self::Part(p), false) => format!("Delen '{p}' i arbetsboken"),
            (Self::Part(p), true) => format!("The part '{p}' of the workbook"),
            (Self::Workbook, false) => "Arbetsboken".into(),
            (Self::Workbook, true) => "The workbook".into(),
        }
    }

    /// Swedish adjectives agree: `bladet är stort`, `filen är stor`.
    pub(crate) fn adjective(&self, neuter: &str, common: &str) -> String {
        if matches!(self, Self::Sheet(_)) { neuter.to_owned() } else { common.to_owned() }
    }
}

/// Which limit was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Excess {
    Parts {
        limit: usize,
    },
    PartBytes {
        limit: u64,
    },
    TotalBytes {
        limit: u64,
    },
    SharedStrings {
        limit: u64,
    },
    /// A cell (`A250001`) below the last row read.
    Row {
        cell: String,
        limit: u32,
    },
    /// A cell (`XFD1`) right of the last column read.
    Column {
        cell: String,
        limit: u32,
    },
    Cells {
        limit: u64,
    },
    Text {
        limit: u64,
    },
    /// A cell with more characters than Excel allows.
    CellText {
        cell: String,
    },
}

/// A spreadsheet refused because it is larger than [`Limits`] allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLarge {
    pub place: Place,
    pub excess: Excess,
}

/// `200 000` (Swedish) or `200,000` (English).
fn grouped(n: u64, en: bool) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(if en { ',' } else { ' ' });
        }
        out.push(c);
    }
    out
}

impl TooLarge {
    pub fn new(place: Place, excess: Excess) -> Self {
        Self { place, excess }
    }

    /// The refusal in Swedish (`lang` other than `en`) or English.
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        let n = |v: u64| grouped(v, en);
        let mb = |v: u64| format!("{} MB", v / MB);
        let subject = self.place.subject(en);
        let stort = self.place.adjective("för stort", "för stor");
        let what = match (&self.excess, en) {
            (Excess::Parts { limit }, false) => format!("har fler än {} delar (filer i zip-paketet)", n(*limit as u64)),
            (Excess::Parts { limit }, true) => format!("has more than {} parts (files in the zip package)", n(*limit as u64)),
            (Excess::PartBytes { limit }, false) => {
                format!("är större än {} uppackat (högst {} per del av arbetsboken)", mb(*limit), mb(*limit))
            }
            (Excess::PartBytes { limit }, true) => {
                format!("is larger than {} unpacked (at most {} for one part of a workbook)", mb(*limit), mb(*limit))
            }
            (Excess::TotalBytes { limit }, false) => format!("är större än {} uppackad", mb(*limit)),
            (Excess::TotalBytes { limit }, true) => format!("is larger than {} unpacked", mb(*limit)),
            (Excess::SharedStrings { limit }, false) => format!("har fler än {} delade texter", n(*limit)),
            (Excess::SharedStrings { limit }, true) => format!("has more than {} shared strings", n(*limit)),
            (Excess::Row { cell, limit }, false) => {
                format!("är {stort}: cellen {cell} ligger nedanför rad {}, den sista som läses", n(*limit as u64))
            }
            (Excess::Row { cell, limit }, true) => {
                format!("is too large: the cell {cell} is below row {}, the last one read", n(*limit as u64))
            }
            (Excess::Column { cell, limit }, false) => format!(
                "är {stort}: cellen {cell} ligger till höger om kolumn {} ({}), den sista som läses",
                column_letter(*limit as usize - 1),
                n(*limit as u64)
            ),
            (Excess::Column { cell, limit }, true) => format!(
                "is too large: the cell {cell} is right of column {} ({}), the last one read",
                column_letter(*limit as usize - 1),
                n(*limit as u64)
            ),
            (Excess::Cells { limit }, false) => format!("är {stort}: det finns fler än {} celler (räknat från kolumn A)", n(*limit)),
            (Excess::Cells { limit }, true) => format!("is too large: it has more than {} cells (counted from column A)", n(*limit)),
            (Excess::Text { limit }, false) => format!("är {stort}: texten i cellerna är större än {}", mb(*limit)),
            (Excess::Text { limit }, true) => format!("is too large: the text of its cells is larger than {}", mb(*limit)),
            (Excess::CellText { cell }, false) => {
                format!("har i cellen {cell} fler än {} tecken, mer än en cell i Excel rymmer", n(MAX_CELL_CHARS as u64))
            }
            (Excess::CellText { cell }, true) => {
                format!("has more than {} characters in the cell {cell}, more than a cell in Excel holds", n(MAX_CELL_CHARS as u64))
            }
        };
        format!("{subject} {what}.")
    }
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message("en"))
    }
}

impl std::error::Error for TooLarge {}

/// The cell reference `B7` of a 0-based (row, column).
pub fn cell_ref(row: u32, column: u32) -> String {
    format!("{}{}", column_letter(column as usize), row as u64 + 1)
}

/// Counts the cells and text a reader holds against [`Limits`].
#[derive(Debug)]
pub struct Tally {
    limits: Limits,
    cells: u64,
    text: u64,
    /// Rows are handed on and dropped one at a time (the count starts again for each row).
    per_row: bool,
}

impl Tally {
    /// For a reader that keeps every row.
    pub fn collecting(limits: Limits) -> Self {
        Self { limits, cells: 0, text: 0, per_row: false }
    }

    /// For a reader that hands on one row at a time.
    pub fn per_row(limits: Limits) -> Self {
        Self { limits, cells: 0, text: 0, per_row: true }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A cell at the 0-based (row, column): inside the used range the limits allow?
    pub fn position(&self, row: u32, column: u32, place: impl FnOnce() -> Place) -> Result<(), TooLarge> {
        if column >= self.limits.max_columns {
            return Err(TooLarge::new(place(), Excess::Column { cell: cell_ref(row, column), limit: self.limits.max_columns }));
        }
        if row >= self.limits.max_rows {
            return Err(TooLarge::new(place(), Excess::Row { cell: cell_ref(row, column), limit: self.limits.max_rows }));
        }
        Ok(())
    }

    /// Room for `cells` more cells and `bytes` more bytes of text; taken when there is.
    pub fn take(&mut self, cells: u64, bytes: u64, place: impl FnOnce() -> Place) -> Result<(), TooLarge> {
        let (c, t) = (self.cells.saturating_add(cells), self.text.saturating_add(bytes));
        if c > self.limits.max_cells {
            return Err(TooLarge::new(place(), Excess::Cells { limit: self.limits.max_cells }));
        }
        if t > self.limits.max_text_bytes {
            return Err(TooLarge::new(place(), Excess::Text { limit: self.limits.max_text_bytes }));
        }
        (self.cells, self.text) = (c, t);
        Ok(())
    }

    /// A row was handed on: for a per-row reader its cells and text are free again.
    pub fn row_done(&mut self) {
        if self.per_row {
            (self.cells, self.text) = (0, 0);
        }
    }
}

/// A cell text longer than a spreadsheet cell can be?
pub fn too_long(text: &str) -> bool {
    text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS
}

/// `A`, `B`, …, `Z`, `AA` for a 0-based column index.
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place_in_both_languages() {
        let e = TooLarge::new(Place::Sheet("Blad1".into()), Excess::Column { cell: "XFD1048576".into(), limit: 1000 });
        assert_eq!(
            e.message("sv"),
            "Bladet 'Blad1' är för stort: cellen XFD1048576 ligger till höger om kolumn ALL (1 000), den sista som läses."
        );
        assert_eq!(
            e.message("en"),
            "The sheet 'Blad1' is too large: the cell XFD1048576 is right of column ALL (1,000), the last one read."
        );
        assert_eq!(grouped(1_048_576, false), "1 048 576");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn a_tally_per_row_starts_again() {
        let mut t = Tally::per_row(Limits { max_cells: 3, ..Limits::METADATA });
        let place = || Place::Sheet("x".into());
        t.take(3, 10, place).unwrap();
        assert!(t.take(1, 0, place).is_err());
        t.row_done();
        t.take(3, 10, place).unwrap();
        let mut c = Tally::collecting(Limits { max_cells: 3, ..Limits::METADATA });
        c.take(3, 0, place).unwrap();
        c.row_done();
        assert_eq!(c.take(1, 0, place).unwrap_err().excess, Excess::Cells { limit: 3 });
    }
}
