//! Publishing benchmark: export throughput per format, first and middle page latency, and
//! peak memory of a full export at two catalogue sizes (to show it stays flat).
//!
//! Run: `cargo bench --bench publish` (release build), or choose sizes:
//! `cargo bench --bench publish -- 2000x10 8000x10 100000x0:pages` (datasets x variables per
//! dataset; `:pages` measures page latency only, without the full exports).
//! Prints Markdown tables for BENCHMARKS.md. The catalogue is the seed plus a deterministic
//! synthetic catalogue (`vardkatalog::synthetic`) in a RocksDB store in a temporary directory.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use vardkatalog::catalog::{Catalogue, ImportOptions};
use vardkatalog::model::Minter;
use vardkatalog::publish::{CatalogRequest, Format, PageLinks, PageRequest, Profile, Publisher};
use vardkatalog::store::EmbeddedStore;
use vardkatalog::synthetic::{self, Spec};

const BASE: &str = "https://katalog.example.se/";

/// Counts bytes written and throws them away.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A line of /proc/self/status in kB.
fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Resets the peak-RSS mark (VmHWM) to the current RSS (Linux: clear_refs 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn request(profile: Profile, format: Format, page: Option<PageRequest>) -> CatalogRequest {
    CatalogRequest { profile, format, page, modified_since: None, links: PageLinks { document: format!("{BASE}catalog"), params: vec![] } }
}

fn run(datasets: usize, variables: usize, exports: bool) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Arc::new(EmbeddedStore::open(&dir.path().join("store")).expect("the store opens"));
    // the search index lives on disk beside the store, as in production (imports update it)
    let index = vardkatalog::search::SearchIndex::open(&dir.path().join("index")).expect("the index opens");
    let cat = Arc::new(Catalogue::new(store, Minter::new(BASE), index));
    let started = Instant::now();
    cat.seed_if_empty().expect("the seed loads");
    let spec = Spec { prefix: "b", datasets, variables_per_dataset: variables };
    let chunk = 2000;
    let mut start = 0;
    while start < datasets {
        let end = (start + chunk).min(datasets);
        cat.import_graph(&synthetic::chunk(BASE, &spec, start..end), &ImportOptions::published_import()).expect("import");
        start = end;
    }
    cat.store().flush().expect("flush");
    let import = started.elapsed();
    let records = datasets * (2 + variables);
    println!("\n### {datasets} datasets × {variables} variables ({} variables, ≈{records} records + seed)\n", datasets * variables);
    println!(
        "Import: {:.1} s ({:.0} records/s). RSS after import: {:.0} MiB.\n",
        import.as_secs_f64(),
        records as f64 / import.as_secs_f64(),
        mib(status_kb("VmRSS:"))
    );

    let publisher = Publisher::new(cat.clone(), Default::default());
    let t = Instant::now();
    let index = publisher.index().expect("index");
    let index_time = t.elapsed();
    let total = index.datasets.len() as u64;

    println!("| Request | Latency |");
    println!("|---|---|");
    println!("| Index of public datasets (first request after a change) | {:.0} ms |", ms(index_time));
    let last = total.div_ceil(100);
    for (label, page) in [("First page (page_size=100)", 1), ("Middle page", last / 2)] {
        for (profile, fmt) in [(Profile::Default, Format::RdfXml), (Profile::HealthDcatAp, Format::Turtle)] {
            let t = Instant::now();
            let prepared = publisher.prepare(request(profile, fmt, Some(PageRequest { page, page_size: 100 }))).expect("prepare");
            let stats = publisher.write_catalog(&prepared, Counter(0)).expect("write");
            println!(
                "| {label} {page}/{last}, {} {} | {:.0} ms ({} triples) |",
                profile.as_str(),
                fmt.media_type(),
                ms(t.elapsed()),
                stats.triples
            );
        }
    }
    let one = index.datasets[index.datasets.len() / 2].iri.clone();
    let t = Instant::now();
    let doc = publisher.record_document(&one, Profile::HealthDcatAp, Format::Turtle).expect("record").expect("public");
    println!("| One dataset's description (health profile, Turtle) | {:.1} ms ({} bytes) |", ms(t.elapsed()), doc.body.len());

    if !exports {
        return;
    }
    println!("\n| Full export | Triples | Bytes | Time | Triples/s | Peak RSS during export |");
    println!("|---|---|---|---|---|---|");
    for (profile, fmt) in [
        (Profile::Default, Format::NTriples),
        (Profile::Default, Format::Turtle),
        (Profile::Default, Format::RdfXml),
        (Profile::Default, Format::JsonLd),
        (Profile::HealthDcatAp, Format::NTriples),
    ] {
        let before = status_kb("VmRSS:");
        reset_peak();
        let t = Instant::now();
        let prepared = publisher.prepare(request(profile, fmt, None)).expect("prepare");
        let mut out = Counter(0);
        let stats = publisher.write_catalog(&prepared, &mut out).expect("write");
        let elapsed = t.elapsed();
        let peak = status_kb("VmHWM:");
        println!(
            "| {} {} | {} | {:.0} MB | {:.1} s | {:.0} | {:.0} MiB (+{:.0} MiB over the {:.0} MiB before) |",
            profile.as_str(),
            fmt.media_type(),
            stats.triples,
            out.0 as f64 / 1e6,
            elapsed.as_secs_f64(),
            stats.triples as f64 / elapsed.as_secs_f64(),
            mib(peak),
            mib(peak.saturating_sub(before)),
            mib(before)
        );
    }
}

fn main() {
    // `DATASETSxVARIABLES`, with `:pages` to measure the pages only (no full exports)
    let sizes: Vec<(usize, usize, bool)> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .filter_map(|a| {
            let (size, pages_only) = match a.strip_suffix(":pages") {
                Some(s) => (s.to_owned(), true),
                None => (a.clone(), false),
            };
            let (d, v) = size.split_once('x')?;
            Some((d.parse().ok()?, v.parse().ok()?, !pages_only))
        })
        .collect();
    let sizes = if sizes.is_empty() { vec![(2_000, 10, true), (8_000, 10, true), (100_000, 0, false)] } else { sizes };
    println!(
        "## Publishing benchmark ({} cores, `cargo bench --bench publish`)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (d, v, exports) in sizes {
        run(d, v, exports);
    }
}
