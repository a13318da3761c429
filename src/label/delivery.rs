//! Delivery evidence without the data: a region's check of one delivery (`validate::extract`)
//! turned into counts per column ([`Submitted`], what `check-extract --submit` sends and
//! `/kontroll/leverans` saves), and a data collection's reports gathered into the region ×
//! period [`Matrix`] (latest report per cell), whose totals are the technical-quality evidence
//! of the label ([`DeliveryEvidence`]; EHDS Art. 78(3)(b)).
//!
//! Nothing here holds a value of a delivery: [`Submitted`] is made from the report's counts
//! and its findings' counts, never from their examples.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::LangText;
use crate::state::deliveries::{ColumnCounts, DeliveryReport};
use crate::validate::extract::{Finding, Problem, Report};

/// A delivery report as a region sends it: counts per column, never values.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Submitted {
    /// The region: its id under `/agent/` (or its IRI).
    pub region: String,
    /// `YYYY` or `YYYY-MM`.
    pub period: String,
    pub rows: u64,
    #[serde(default)]
    pub header_only: bool,
    pub columns: Vec<ColumnCounts>,
    #[serde(default)]
    pub unknown_columns: u64,
    pub errors: u64,
    pub warnings: u64,
    pub passed: bool,
}

/// The problem's id as the report writes it (`type_error`, …).
fn problem_id(p: Problem) -> String {
    serde_json::to_value(p).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Problems of a column's values (not of the header).
fn value_problem(p: Problem) -> bool {
    matches!(p, Problem::EmptyRequiredValue | Problem::TypeError | Problem::CodeInOtherCase | Problem::CodeNotInList | Problem::OutOfRange)
}

/// Problems that make a filled value invalid.
fn invalid_value(p: Problem) -> bool {
    matches!(p, Problem::TypeError | Problem::CodeInOtherCase | Problem::CodeNotInList | Problem::OutOfRange)
}

fn columns_of(report: &Report, findings: &[Finding]) -> Vec<ColumnCounts> {
    report
        .column_counts
        .iter()
        .map(|c| {
            let mut problems: BTreeMap<String, u64> = BTreeMap::new();
            let mut invalid = 0;
            for f in findings.iter().filter(|f| f.column.as_deref() == Some(c.name.as_str()) && value_problem(f.problem)) {
                *problems.entry(problem_id(f.problem)).or_insert(0) += f.count;
                if invalid_value(f.problem) {
                    invalid += f.count;
                }
            }
            ColumnCounts { name: c.name.clone(), level: c.level.to_owned(), present: c.present, filled: c.filled, invalid, problems }
        })
        .collect()
}

impl Submitted {
    /// The counts of a whole delivery's check.
    pub fn from_report(report: &Report, region: &str, period: &str) -> Self {
        Self {
            region: region.to_owned(),
            period: period.to_owned(),
            rows: report.rows,
            header_only: false,
            columns: columns_of(report, &report.findings),
            unknown_columns: report.findings.iter().filter(|f| f.problem == Problem::UnknownColumn).map(|f| f.count).sum(),
            errors: report.errors,
            warnings: report.warnings,
            passed: report.passed,
        }
    }

    /// The counts of a check of the header row alone (`/kontroll/leverans`): which columns are
    /// there, no value counts.
    pub fn from_header(report: &Report, region: &str, period: &str) -> Self {
        Self { header_only: true, rows: 0, ..Self::from_report(report, region, period) }
    }
}

/// Whether a period is written `YYYY` or `YYYY-MM` (years 1900–2199).
pub fn valid_period(period: &str) -> bool {
    let year_ok = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && matches!(&y[..2], "19" | "20" | "21");
    match period.split_once('-') {
        None => year_ok(period),
        Some((y, m)) => year_ok(y) && m.len() == 2 && matches!(m.parse::<u8>(), Ok(1..=12)),
    }
}

/// One cell of the matrix: the latest report of a region for a period.
#[derive(Clone, Debug)]
pub struct Cell {
    pub report: DeliveryReport,
    /// Required columns of the collection, and how many the delivery had.
    pub required: usize,
    pub required_present: usize,
    /// Share of required cells filled (rows × required columns; `None` for a header check).
    pub filled_share: Option<f64>,
    /// Share of filled values that are valid (`None` when nothing was filled or only the header
    /// was checked).
    pub valid_share: Option<f64>,
    /// Problem id → count, over every column.
    pub problems: BTreeMap<String, u64>,
}

impl Cell {
    fn of(report: &DeliveryReport) -> Self {
        let required: Vec<&ColumnCounts> = report.columns.iter().filter(|c| c.level == "required").collect();
        let required_present = required.iter().filter(|c| c.present).count();
        let counted = !report.header_only && report.rows > 0;
        let cells = report.rows * required.len() as u64;
        let filled_required: u64 = required.iter().filter(|c| c.present).map(|c| c.filled.min(report.rows)).sum();
        let filled: u64 = report.columns.iter().filter(|c| c.present).map(|c| c.filled).sum();
        let invalid: u64 = report.columns.iter().filter(|c| c.present).map(|c| c.invalid.min(c.filled)).sum();
        let mut problems: BTreeMap<String, u64> = BTreeMap::new();
        for c in &report.columns {
            for (p, n) in &c.problems {
                *problems.entry(p.clone()).or_insert(0) += n;
            }
            if !c.present && c.level == "required" {
                *problems.entry("missing_required_column".to_owned()).or_insert(0) += 1;
            }
        }
        Self {
            required: required.len(),
            required_present,
            filled_share: (counted && cells > 0).then(|| filled_required as f64 / cells as f64),
            valid_share: (counted && filled > 0).then(|| 1.0 - invalid as f64 / filled as f64),
            problems,
            report: report.clone(),
        }
    }

    /// Every required column was there.
    pub fn complete(&self) -> bool {
        self.required_present == self.required
    }
}

/// One region's row.
#[derive(Clone, Debug)]
pub struct RegionRow {
    /// The region's agent IRI.
    pub region: String,
    pub name: LangText,
    /// One per period of [`Matrix::periods`].
    pub cells: Vec<Option<Cell>>,
}

impl RegionRow {
    /// Whether the region ever delivered.
    pub fn delivered(&self) -> bool {
        self.cells.iter().any(Option::is_some)
    }
}

/// A data collection's deliveries: regions × periods.
#[derive(Clone, Debug, Default)]
pub struct Matrix {
    pub collection: String,
    /// Every period some report names, oldest first.
    pub periods: Vec<String>,
    /// Every region of the catalogue (and any other that delivered), by name.
    pub rows: Vec<RegionRow>,
}

/// What a collection's deliveries say about its technical quality.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DeliveryEvidence {
    pub regions: usize,
    pub regions_delivering: usize,
    /// Cells (latest report per region and period).
    pub deliveries: usize,
    /// Of those, the ones with value counts (not header checks, at least one row).
    pub counted: usize,
    pub required_cells: u64,
    pub required_filled: u64,
    pub filled: u64,
    pub invalid: u64,
    /// Deliveries in which every required column was there.
    pub complete: usize,
}

impl Matrix {
    /// The matrix of `reports` (any order; a later id supersedes an earlier one in its cell)
    /// over the catalogue's `regions` (IRI, name).
    pub fn build(collection: &str, reports: &[DeliveryReport], regions: &[(String, LangText)]) -> Self {
        let mut latest: BTreeMap<(String, String), &DeliveryReport> = BTreeMap::new();
        for r in reports.iter().filter(|r| r.collection == collection) {
            let key = (r.region.clone(), r.period.clone());
            if latest.get(&key).is_none_or(|old| old.id < r.id) {
                latest.insert(key, r);
            }
        }
        let periods: Vec<String> = latest.keys().map(|(_, p)| p.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let mut names: BTreeMap<String, LangText> = regions.iter().cloned().collect();
        for (region, _) in latest.keys() {
            names.entry(region.clone()).or_insert_with(|| LangText::sv(region));
        }
        let mut rows: Vec<RegionRow> = names
            .into_iter()
            .map(|(region, name)| {
                let cells = periods.iter().map(|p| latest.get(&(region.clone(), p.clone())).map(|r| Cell::of(r))).collect();
                RegionRow { region, name, cells }
            })
            .collect();
        rows.sort_by(|a, b| a.name.best("sv").cmp(b.name.best("sv")).then_with(|| a.region.cmp(&b.region)));
        Self { collection: collection.to_owned(), periods, rows }
    }

    /// The totals the label reads.
    pub fn evidence(&self) -> DeliveryEvidence {
        let mut e = DeliveryEvidence { regions: self.rows.len(), ..DeliveryEvidence::default() };
        for row in &self.rows {
            if row.delivered() {
                e.regions_delivering += 1;
            }
            for cell in row.cells.iter().flatten() {
                e.deliveries += 1;
                if cell.complete() {
                    e.complete += 1;
                }
                let r = &cell.report;
                if r.header_only || r.rows == 0 {
                    continue;
                }
                e.counted += 1;
                e.required_cells += r.rows * cell.required as u64;
                e.required_filled +=
                    r.columns.iter().filter(|c| c.level == "required" && c.present).map(|c| c.filled.min(r.rows)).sum::<u64>();
                e.filled += r.columns.iter().filter(|c| c.present).map(|c| c.filled).sum::<u64>();
                e.invalid += r.columns.iter().filter(|c| c.present).map(|c| c.invalid.min(c.filled)).sum::<u64>();
            }
        }
        e
    }

    /// The matrix as CSV rows (header first), one per region and period, in the reader's
    /// language; a region that never delivered has one row saying so.
    pub fn csv_rows(&self, en: bool) -> Vec<Vec<String>> {
        let t = |sv: &str, e: &str| if en { e.to_owned() } else { sv.to_owned() };
        let mut out = vec![vec![
            t("region", "region"),
            t("region-IRI", "region IRI"),
            t("period", "period"),
            t("rader", "rows"),
            t("obligatoriska kolumner med", "required columns present"),
            t("obligatoriska kolumner", "required columns"),
            t("ifyllda obligatoriska celler (%)", "required cells filled (%)"),
            t("giltiga värden (%)", "valid values (%)"),
            t("fel", "errors"),
            t("varningar", "warnings"),
            t("feltyper", "error types"),
            t("inlämnad", "submitted"),
        ]];
        let lang = if en { "en" } else { "sv" };
        let percent = |x: Option<f64>| x.map(|v| format!("{:.1}", v * 100.0)).unwrap_or_default();
        for row in &self.rows {
            if !row.delivered() {
                let mut line = vec![row.name.best(lang).to_owned(), row.region.clone(), String::new()];
                line.extend(std::iter::repeat_n(String::new(), 8));
                line.push(t("aldrig levererat", "never delivered"));
                out.push(line);
                continue;
            }
            for (period, cell) in self.periods.iter().zip(&row.cells) {
                let Some(c) = cell else { continue };
                out.push(vec![
                    row.name.best(lang).to_owned(),
                    row.region.clone(),
                    period.clone(),
                    if c.report.header_only { String::new() } else { c.report.rows.to_string() },
                    c.required_present.to_string(),
                    c.required.to_string(),
                    percent(c.filled_share),
                    percent(c.valid_share),
                    c.report.errors.to_string(),
                    c.report.warnings.to_string(),
                    c.problems.iter().map(|(p, n)| format!("{p}={n}")).collect::<Vec<_>>().join(" "),
                    c.report.time.format("%Y-%m-%d").to_string(),
                ]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, level: &str, present: bool, filled: u64, invalid: u64) -> ColumnCounts {
        let problems = if invalid > 0 { [("type_error".to_owned(), invalid)].into() } else { BTreeMap::new() };
        ColumnCounts { name: name.into(), level: level.into(), present, filled, invalid, problems }
    }

    fn report(id: u64, region: &str, period: &str, rows: u64, columns: Vec<ColumnCounts>) -> DeliveryReport {
        DeliveryReport {
            id,
            collection: "k".into(),
            region: region.into(),
            period: period.into(),
            rows,
            header_only: false,
            columns,
            unknown_columns: 0,
            errors: 0,
            warnings: 0,
            passed: true,
            submitted_by: "x".into(),
            time: chrono::Utc::now(),
        }
    }

    #[test]
    fn periods_are_checked() {
        for ok in ["2026", "2026-01", "1999-12"] {
            assert!(valid_period(ok), "{ok}");
        }
        for bad in ["26", "2026-13", "2026-1", "2026-00", "abcd", "2026-01-01", "3026"] {
            assert!(!valid_period(bad), "{bad}");
        }
    }

    #[test]
    fn the_latest_report_of_a_cell_wins_and_a_silent_region_has_an_empty_row() {
        let regions = vec![("r/a".to_owned(), LangText::sv("Region A")), ("r/b".to_owned(), LangText::sv("Region B"))];
        let full = || vec![column("ID", "required", true, 10, 0), column("KON", "required", true, 10, 1)];
        let reports = vec![
            report(1, "r/a", "2026-01", 10, vec![column("ID", "required", true, 5, 0), column("KON", "required", false, 0, 0)]),
            report(3, "r/a", "2026-01", 10, full()),
            report(2, "r/a", "2026-02", 10, full()),
        ];
        let m = Matrix::build("k", &reports, &regions);
        assert_eq!(m.periods, vec!["2026-01", "2026-02"]);
        assert_eq!(m.rows.len(), 2);
        assert!(m.rows[1].cells.iter().all(Option::is_none), "Region B never delivered");
        let cell = m.rows[0].cells[0].as_ref().unwrap();
        assert_eq!(cell.report.id, 3, "a later report supersedes the earlier");
        assert!(cell.complete());
        assert_eq!(cell.valid_share, Some(0.95));
        let e = m.evidence();
        assert_eq!((e.regions, e.regions_delivering, e.deliveries, e.complete), (2, 1, 2, 2));
        assert_eq!((e.required_cells, e.required_filled, e.filled, e.invalid), (40, 40, 40, 2));
        let csv = m.csv_rows(false);
        assert_eq!(csv.len(), 4, "header, two periods of A, B's one line");
        assert!(csv[3].last().unwrap().contains("aldrig"));
    }

    #[test]
    fn a_missing_required_column_counts_as_empty_cells_and_breaks_the_structure() {
        let regions = vec![("r/a".to_owned(), LangText::sv("A"))];
        let reports = vec![report(1, "r/a", "2026", 4, vec![column("ID", "required", true, 4, 0), column("KON", "required", false, 0, 0)])];
        let m = Matrix::build("k", &reports, &regions);
        let cell = m.rows[0].cells[0].as_ref().unwrap();
        assert!(!cell.complete());
        assert_eq!(cell.filled_share, Some(0.5));
        assert_eq!(cell.problems.get("missing_required_column"), Some(&1));
        assert_eq!(m.evidence().complete, 0);
    }
}
