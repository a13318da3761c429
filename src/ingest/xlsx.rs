//! The one door to XLSX files: the curation import (`/import`, `vardkatalog import`), the
//! harvester (Socialstyrelsen's workbooks, RUT exports through the import) and the extract check
//! (`vardkatalog check-extract`) all open workbooks here, and nowhere else.
//!
//! calamine reads what it is given: a sheet holding A1 and XFD1048576 becomes a range of 17
//! billion cells (~550 GB, and the process aborts), a 2 MB package may inflate to gigabytes that
//! are held one-for-one, and a shared-string table reserves whatever count it declares. So,
//! before calamine allocates anything:
//!
//! 1. the zip package is checked part by part: how many parts, each part's declared size, then
//!    its actual size counted while it is inflated into nothing (a header that lies does not
//!    help), and the total; the shared-string table's declared and actual number of entries;
//! 2. calamine opens the workbook (it then holds the shared strings, now bounded);
//! 3. sheets are streamed cell by cell ([`Workbook::rows`]) and never made into a calamine
//!    `Range`; each cell's position is checked against the used range allowed, and the cells and
//!    text held against the [`Tally`], before a row grows.
//!
//! A refusal names the sheet (or the part) in Swedish and English ([`WorkbookError::message`]).
//! calamine's own arithmetic on cell references can overflow on malformed input (a panic in a
//! debug build); each call into it is made under `catch_unwind`, so a malformed file is an
//! orderly error, never a crash.

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, Reader as _, Xlsx, XlsxError};
use zip::ZipArchive;

use super::limits::{Excess, Limits, Place, Tally, TooLarge, cell_ref, too_long};

/// Why a workbook could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkbookError {
    /// Not a zip package: an old `.xls`, an encrypted workbook, something else.
    NotXlsx,
    /// Larger than the limits allow.
    TooLarge(TooLarge),
    /// A part of the package cannot be inflated (a bad checksum, a size that does not match).
    Damaged { place: Place, message: String },
    /// calamine could not read it (the message is calamine's, in English).
    Malformed { sheet: Option<String>, message: String },
}

impl From<TooLarge> for WorkbookError {
    fn from(e: TooLarge) -> Self {
        Self::TooLarge(e)
    }
}

impl WorkbookError {
    /// The error in Swedish (`lang` other than `en`) or English.
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            Self::NotXlsx if en => "The file is not an XLSX workbook (a zip package). A password-protected workbook or an old .xls file cannot be read: save it as .xlsx without a password.".into(),
            Self::NotXlsx => "Filen är ingen XLSX-arbetsbok (ett zip-paket). En lösenordsskyddad arbetsbok eller en gammal .xls-fil kan inte läsas: spara den som .xlsx utan lösenord.".into(),
            Self::TooLarge(t) => t.message(lang),
            Self::Damaged { place, message } if en => format!("{} is damaged: {message}.", place.subject(true)),
            Self::Damaged { place, message } => format!("{} är {}: {message}.", place.subject(false), place.adjective("skadat", "skadad")),
            Self::Malformed { sheet: Some(s), message } if en => format!("The sheet '{s}' could not be read: {message}."),
            Self::Malformed { sheet: Some(s), message } => format!("Bladet '{s}' kunde inte läsas: {message}."),
            Self::Malformed { sheet: None, message } if en => format!("The workbook could not be read: {message}."),
            Self::Malformed { sheet: None, message } => format!("Arbetsboken kunde inte läsas: {message}."),
        }
    }
}

impl std::fmt::Display for WorkbookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message("en"))
    }
}

impl std::error::Error for WorkbookError {}

/// Runs a call into calamine; a panic in it becomes an error.
fn guarded<T>(sheet: Option<&str>, f: impl FnOnce() -> T) -> Result<T, WorkbookError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| WorkbookError::Malformed {
        sheet: sheet.map(str::to_owned),
        message: panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "malformed content".into()),
    })
}

/// A workbook whose package passed the checks, open for reading sheet by sheet.
pub struct Workbook<RS: Read + Seek> {
    book: Xlsx<RS>,
    limits: Limits,
}

/// Opens a workbook after checking its package against `limits` (steps 1 and 2 above).
pub fn open<RS: Read + Seek>(mut reader: RS, limits: Limits) -> Result<Workbook<RS>, WorkbookError> {
    let mut magic = [0u8; 4];
    let start = reader.stream_position().map_err(|_| WorkbookError::NotXlsx)?;
    if reader.read_exact(&mut magic).is_err() || &magic != b"PK\x03\x04" {
        return Err(WorkbookError::NotXlsx);
    }
    reader.seek(SeekFrom::Start(start)).map_err(|_| WorkbookError::NotXlsx)?;
    check_package(&mut reader, &limits)?;
    reader.seek(SeekFrom::Start(start)).map_err(|_| WorkbookError::NotXlsx)?;
    let book: Xlsx<RS> =
        guarded(None, || Xlsx::new(reader))?.map_err(|e| WorkbookError::Malformed { sheet: None, message: e.to_string() })?;
    Ok(Workbook { book, limits })
}

impl<RS: Read + Seek> Workbook<RS> {
    /// A tally for a reader that keeps every row, against the limits the workbook was opened with.
    pub fn collecting(&self) -> Tally {
        Tally::collecting(self.limits)
    }

    /// A tally for a reader that hands on one row at a time.
    pub fn per_row(&self) -> Tally {
        Tally::per_row(self.limits)
    }

    /// The sheets, in the workbook's order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    /// Streams one sheet in file order: `each` gets a row's 1-based number and its cells as text
    /// from column A (empty cells are `""`). Rows without a filled cell are not given. Numbers
    /// that are whole are written without a decimal point, dates as `YYYY-MM-DD`. A chart sheet
    /// has no rows.
    pub fn rows(&mut self, sheet: &str, tally: &mut Tally, mut each: impl FnMut(u32, Vec<String>)) -> Result<(), WorkbookError> {
        let malformed = |e: XlsxError| WorkbookError::Malformed { sheet: Some(sheet.to_owned()), message: e.to_string() };
        let place = || Place::Sheet(sheet.to_owned());
        let mut reader = match guarded(Some(sheet), || self.book.worksheet_cells_reader(sheet))? {
            Ok(r) => r,
            Err(XlsxError::NotAWorksheet(_)) => return Ok(()),
            Err(e) => return Err(malformed(e)),
        };
        let mut row: Option<(u32, Vec<String>)> = None;
        while let Some(cell) = guarded(Some(sheet), || reader.next_cell())?.map_err(malformed)? {
            let (r, c) = cell.get_position();
            tally.position(r, c, place)?;
            let value = cell.get_value();
            let long = match value {
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => too_long(s),
                DataRef::SharedString(s) => too_long(s),
                _ => false,
            };
            if long {
                return Err(TooLarge::new(place(), Excess::CellText { cell: cell_ref(r, c) }).into());
            }
            if matches!(value, DataRef::Empty) {
                continue;
            }
            let text = cell_text(&Data::from(value.clone()));
            if text.is_empty() {
                continue;
            }
            if row.as_ref().is_some_and(|(n, _)| *n != r) {
                let (n, cells) = row.take().expect("checked");
                each(n + 1, cells);
                tally.row_done();
            }
            let (_, cells) = row.get_or_insert_with(|| (r, Vec::new()));
            let width = c as usize + 1;
            let grow = width.saturating_sub(cells.len()) as u64;
            tally.take(grow, text.len() as u64, place)?;
            if cells.len() < width {
                cells.resize(width, String::new());
            }
            cells[c as usize] = text;
        }
        if let Some((n, cells)) = row {
            each(n + 1, cells);
            tally.row_done();
        }
        Ok(())
    }
}

/// A cell as text: numbers that are whole without a decimal point, dates as `YYYY-MM-DD`.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        // an Excel date is a day count from 1899-12-30
        Data::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| {
                let days = dt.as_f64().floor();
                if days.is_finite() && days.abs() < 1e7 {
                    epoch.checked_add_signed(chrono::TimeDelta::try_days(days as i64)?)
                } else {
                    None
                }
            })
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| dt.to_string()),
        other => other.to_string(),
    }
}

/// The part's path as calamine looks it up: `/` separators, no leading `/`, lower case.
fn part_key(path: &str) -> String {
    path.replace('\\', "/").trim_start_matches('/').to_ascii_lowercase()
}

/// At most `left` bytes, then an error: reading the small parts that name the sheets can never
/// inflate more than the limit, whatever the headers say.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "part larger than the limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Calls `each` with the local name and the attributes (local name → value) of every element of
/// one part, until it returns `false`. A part that is missing or malformed ends quietly: this
/// only names sheets in messages; calamine reports malformed parts itself.
fn each_element<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    index: &HashMap<String, String>,
    path: &str,
    cap: u64,
    mut each: impl FnMut(&str, &HashMap<String, String>) -> bool,
) {
    use quick_xml::events::Event;
    let Some(name) = index.get(&part_key(path)) else { return };
    let Ok(file) = zip.by_name(name) else { return };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(Capped { inner: file, left: cap }));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attrs: HashMap<String, String> = e
                    .attributes()
                    .flatten()
                    .filter_map(|a| {
                        let key = std::str::from_utf8(a.key.local_name().as_ref().as_ref()).ok()?.to_owned();
                        Some((key, a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?.into_owned()))
                    })
                    .collect();
                if !each(std::str::from_utf8(e.local_name().as_ref().as_ref()).unwrap_or(""), &attrs) {
                    return;
                }
            }
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// What the package says of itself: the sheets' parts (key → sheet name) and where the workbook
/// part lives (`xl/`), read as calamine reads them.
fn sheet_parts<R: Read + Seek>(zip: &mut ZipArchive<R>, index: &HashMap<String, String>, cap: u64) -> (HashMap<String, String>, String) {
    let mut workbook = "xl/workbook.xml".to_owned();
    each_element(zip, index, "_rels/.rels", cap, |name, attrs| {
        if name == "Relationship"
            && attrs.get("Type").is_some_and(|t| t.ends_with("/relationships/officeDocument"))
            && let Some(t) = attrs.get("Target")
        {
            workbook = t.trim_start_matches('/').to_owned();
        }
        true
    });
    let (dir, file) = match workbook.rfind('/') {
        Some(i) => (workbook[..=i].to_owned(), workbook[i + 1..].to_owned()),
        None => (String::new(), workbook.clone()),
    };
    let mut targets: HashMap<String, String> = HashMap::new();
    each_element(zip, index, &format!("{dir}_rels/{file}.rels"), cap, |name, attrs| {
        if name == "Relationship"
            && let (Some(id), Some(t)) = (attrs.get("Id"), attrs.get("Target"))
        {
            targets.insert(id.clone(), t.clone());
        }
        true
    });
    let mut sheets = HashMap::new();
    each_element(zip, index, &workbook, cap, |name, attrs| {
        if name == "sheet"
            && let (Some(sheet), Some(target)) = (attrs.get("name"), attrs.get("id").and_then(|id| targets.get(id)))
        {
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_owned(),
                None => format!("{dir}{target}"),
            };
            sheets.insert(part_key(&path), sheet.clone());
        }
        true
    });
    (sheets, dir)
}

/// Counts `<si` (or `:si`) start tags in a stream of bytes: an upper bound of the entries of a
/// shared-string table (calamine holds one string per entry).
#[derive(Default)]
struct SiCounter {
    state: u8,
    count: u64,
}

impl SiCounter {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state = match (self.state, b) {
                (1, b's') => 2,
                (2, b'i') => 3,
                (3, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n') => {
                    self.count += 1;
                    0
                }
                (_, b'<' | b':') => 1,
                _ => 0,
            };
        }
    }
}

/// Step 1: the package against the limits, before calamine reads any of it.
fn check_package<R: Read + Seek>(reader: R, limits: &Limits) -> Result<(), WorkbookError> {
    let mut zip = ZipArchive::new(reader).map_err(|_| WorkbookError::NotXlsx)?;
    if zip.len() > limits.max_parts {
        return Err(TooLarge::new(Place::Workbook, Excess::Parts { limit: limits.max_parts }).into());
    }
    let index: HashMap<String, String> = zip.file_names().filter_map(Result::ok).map(|n| (part_key(&n), n.into_owned())).collect();
    let (sheets, dir) = sheet_parts(&mut zip, &index, limits.max_part_bytes);
    let shared_strings = part_key(&format!("{dir}sharedStrings.xml"));
    let place_of = |name: &str| match sheets.get(&part_key(name)) {
        Some(sheet) => Place::Sheet(sheet.clone()),
        None => Place::Part(name.to_owned()),
    };
    // what the package declares, before anything is inflated
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        if f.size() > limits.max_part_bytes {
            let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(TooLarge::new(place_of(&name), Excess::PartBytes { limit: limits.max_part_bytes }).into());
        }
        declared = declared.saturating_add(f.size());
    }
    if declared > limits.max_total_bytes {
        return Err(TooLarge::new(Place::Workbook, Excess::TotalBytes { limit: limits.max_total_bytes }).into());
    }
    // the shared strings' declared count (calamine reserves room for it)
    let mut unique: Option<String> = None;
    each_element(&mut zip, &index, &shared_strings, limits.max_part_bytes, |name, attrs| {
        if name == "sst" {
            unique = attrs.get("uniqueCount").cloned();
            return false;
        }
        true
    });
    if let Some(u) = unique
        && u.trim().parse::<u64>().map_or(true, |n| n > limits.max_shared_strings)
        && u.trim().bytes().any(|b| b.is_ascii_digit())
    {
        return Err(TooLarge::new(Place::Part(shared_strings.clone()), Excess::SharedStrings { limit: limits.max_shared_strings }).into());
    }
    // what the parts actually inflate to, counted as they inflate
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| WorkbookError::Damaged { place: Place::Workbook, message: e.to_string() })?;
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        let is_shared = part_key(&name) == shared_strings;
        let mut si = SiCounter::default();
        let mut size = 0u64;
        loop {
            let n = match f.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(WorkbookError::Damaged { place: place_of(&name), message: e.to_string() }),
            };
            size += n as u64;
            total += n as u64;
            if size > limits.max_part_bytes {
                return Err(TooLarge::new(place_of(&name), Excess::PartBytes { limit: limits.max_part_bytes }).into());
            }
            if total > limits.max_total_bytes {
                return Err(TooLarge::new(Place::Workbook, Excess::TotalBytes { limit: limits.max_total_bytes }).into());
            }
            if is_shared {
                si.feed(&buf[..n]);
                if si.count > limits.max_shared_strings {
                    return Err(TooLarge::new(Place::Part(name), Excess::SharedStrings { limit: limits.max_shared_strings }).into());
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_string_entries_are_counted_across_chunks() {
        let mut c = SiCounter::default();
        c.feed(b"<sst><si><t>a</t></si><s");
        c.feed(b"i/><x:si ");
        c.feed(b"></x:si><sis>");
        // `</x:si>` counts too: an upper bound is enough
        assert_eq!(c.count, 4);
    }

    #[test]
    fn not_a_zip_is_said_in_words() {
        let e = open(std::io::Cursor::new(b"%PDF-1.4".to_vec()), Limits::METADATA).err().unwrap();
        assert_eq!(e, WorkbookError::NotXlsx);
        assert!(e.message("sv").starts_with("Filen är ingen XLSX-arbetsbok"));
    }
}
