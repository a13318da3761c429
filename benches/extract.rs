//! check-extract benchmark: rows per second and peak memory for a generated delivery of many
//! rows (default ten million), read from a generator so that disk speed does not count.
//!
//! Run: `cargo bench --bench extract -- --rows 10000000`.

use std::io::Read;
use std::time::Instant;

use vardkatalog::model::record::RecordKind;
use vardkatalog::validate::collection::CollectionSpec;
use vardkatalog::validate::extract::check_csv;

/// Streams a CSV delivery: one bad value every 10 000 rows.
struct Delivery {
    rows: u64,
    at: u64,
    line: Vec<u8>,
    pos: usize,
    header: String,
}

impl Read for Delivery {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut written = 0;
        while written < out.len() {
            if self.pos == self.line.len() {
                if self.at > self.rows {
                    break;
                }
                self.line.clear();
                if self.at == 0 {
                    self.line.extend_from_slice(self.header.as_bytes());
                } else {
                    let n = self.at;
                    let over = if n.is_multiple_of(10_000) { "tio".to_owned() } else { (n % 17).to_string() };
                    let kind = if n.is_multiple_of(2) { "somatisk" } else { "psykiatrisk" };
                    // datum;hsaid_vardenhet;sjukhus;disponibla;overbelaggningar;utlokaliseringar;vardtyp;regionkod
                    let line = format!(
                        "2024-{:02}-{:02};SE2321000131-E{:012};{};{};{};{};{kind};14\n",
                        n % 12 + 1,
                        n % 28 + 1,
                        n,
                        n % 1000,
                        n % 300 + 10,
                        over,
                        n % 9,
                    );
                    self.line.extend_from_slice(line.as_bytes());
                }
                self.pos = 0;
                self.at += 1;
            }
            let n = (self.line.len() - self.pos).min(out.len() - written);
            out[written..written + n].copy_from_slice(&self.line[self.pos..self.pos + n]);
            self.pos += n;
            written += n;
        }
        Ok(written)
    }
}

fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: u64 =
        args.iter().position(|a| a == "--rows").and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(10_000_000);
    let cat = vardkatalog::catalog::Catalogue::new(
        std::sync::Arc::new(vardkatalog::store::EmbeddedStore::in_memory().unwrap()),
        vardkatalog::model::Minter::new("https://katalog.example.se/"),
        vardkatalog::search::SearchIndex::in_memory().unwrap(),
    );
    cat.seed_if_empty().unwrap();
    let iri = cat.minter().record(RecordKind::Dataset, "vardplatser").unwrap();
    let spec = CollectionSpec::from_catalogue(&cat, &iri).unwrap().unwrap();
    let header = "datum;hsaid_vardenhet;sjukhus;disponibla_vardplatser;overbelaggningar;utlokaliseringar;vardtyp;regionkod\n".to_owned();
    let before = peak_mb();
    let started = Instant::now();
    let report = check_csv(&spec, Delivery { rows, at: 0, line: Vec::new(), pos: 0, header }, "sv").unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!("| rows | columns | seconds | rows/s | MB/s (approx.) | peak memory before / after | findings |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {seconds:.1} | {:.0} | {:.0} | {before} / {} MB | {} ({} errors) |",
        report.rows,
        report.columns.len(),
        report.rows as f64 / seconds,
        report.rows as f64 * 70.0 / seconds / 1e6,
        peak_mb(),
        report.findings.len(),
        report.errors
    );
}
