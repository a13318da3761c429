//! Publishing benchmark: export throughput per format, first and middle page latency, and
//! peak memory of a full export at two catalogue sizes (to show it stays flat).
//!
//! Run: `cargo bench --bench publish` (release build), or choose sizes:
//! `cargo bench --bench publish -- 2000x10 8000x10 100000x0:pages` (datasets x variables per
//! dataset; `:pages` measures page latency only, without the full exports).
//! Prints Markdown tables for BENCHMARKS.md. The catalogue is the seed plus a deterministic
//! synthetic catalogue (`vardkatalog::synthetic`) in a RocksDB store in a temporary directory.
//!
//! Page latency over HTTP (issue 15's "a dataset page with 1,000 variables and
//! `/catalog?page=N` at L"): `cargo bench --bench publish -- 5000x200:pages --big 1000
//! --requests 100 [--seconds 60] [--chunk 500] [--data DIR]`. `--big V` adds one dataset with V
//! variables (`dataset/syn-big-0000000`); `--requests N` then serves the catalogue on 127.0.0.1
//! and asks, one request at a time, for that dataset's page and for `/catalog?page=N` (first,
//! middle, last; RDF/XML, as a harvester without `Accept` gets it), each N times or for
//! `--seconds`, whichever ends first, after one warm-up request, and prints p50 / p99 / max.
//! `--chunk` is the datasets per import (2,000 unless given); `--data DIR` keeps the store
//! and index in DIR and reuses them when DIR already holds a catalogue (one size only);
//! `--import-only` stops after the import (to fill DIR once, then measure in later runs).

use std::io::{self, Write};
use std::net::TcpListener;
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

/// The options after the sizes (see the module's documentation).
#[derive(Clone, Default)]
struct Options {
    /// Datasets per import (`--chunk`).
    chunk: usize,
    /// Variables of the one extra dataset (`--big`), 0 for none.
    big: usize,
    /// Requests per URL over HTTP (`--requests`), 0 for no HTTP part.
    requests: usize,
    /// At most this long per URL (`--seconds`).
    seconds: u64,
    /// Keep and reuse the store and index here (`--data`).
    data: Option<std::path::PathBuf>,
    /// Import, then stop (`--import-only`, with `--data` to fill DIR for a later run).
    import_only: bool,
}

fn run(datasets: usize, variables: usize, exports: bool, opts: &Options) {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let dir = opts.data.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let store = Arc::new(EmbeddedStore::open(&dir.join("store")).expect("the store opens"));
    // the search index lives on disk beside the store, as in production (imports update it)
    let index = vardkatalog::search::SearchIndex::open(&dir.join("index")).expect("the index opens");
    let cat = Arc::new(Catalogue::new(store, Minter::new(BASE), index));
    let reused = opts.data.is_some() && !cat.store().has_no_records().expect("the store reads");
    let records = datasets * (2 + variables) + if opts.big > 0 { 2 + opts.big } else { 0 };
    let big = if opts.big > 0 { format!(" + 1 dataset × {} variables", opts.big) } else { String::new() };
    println!(
        "\n### {datasets} datasets × {variables} variables{big} ({} variables, ≈{records} records + seed)\n",
        datasets * variables + opts.big
    );
    if reused {
        println!(
            "Import: not run (the catalogue kept in `{}` from an earlier run). RSS: {:.0} MiB.\n",
            dir.display(),
            mib(status_kb("VmRSS:"))
        );
    } else {
        let started = Instant::now();
        cat.seed_if_empty().expect("the seed loads");
        let spec = Spec { prefix: "b", datasets, variables_per_dataset: variables };
        // the big dataset first: a run stopped during the chunks still has it
        if opts.big > 0 {
            let spec = Spec { prefix: "big", datasets: 1, variables_per_dataset: opts.big };
            cat.import_graph(&synthetic::chunk(BASE, &spec, 0..1), &ImportOptions::published_import()).expect("import");
        }
        let chunk = opts.chunk.max(1);
        let mut start = 0;
        while start < datasets {
            let end = (start + chunk).min(datasets);
            cat.import_graph(&synthetic::chunk(BASE, &spec, start..end), &ImportOptions::published_import()).expect("import");
            start = end;
            eprintln!(
                "imported datasets ..{end} of {datasets} at {:.1} s, RSS {:.0} MiB, peak {:.0} MiB",
                started.elapsed().as_secs_f64(),
                mib(status_kb("VmRSS:")),
                mib(status_kb("VmHWM:"))
            );
        }
        cat.store().flush().expect("flush");
        let import = started.elapsed();
        println!(
            "Import: {:.1} s ({:.0} records/s, {chunk} datasets per import). RSS after import: {:.0} MiB, peak {:.0} MiB.\n",
            import.as_secs_f64(),
            records as f64 / import.as_secs_f64(),
            mib(status_kb("VmRSS:")),
            mib(status_kb("VmHWM:"))
        );
    }

    if opts.import_only {
        return;
    }
    let publisher = Publisher::new(cat.clone(), Default::default());
    let t = Instant::now();
    let index = publisher.index().expect("index");
    let index_time = t.elapsed();
    let total = index.datasets.len() as u64;

    println!("| Request | Latency |");
    println!("|---|---|");
    println!("| Index of public datasets (first request after a change) | {:.0} ms |", ms(index_time));
    let last = total.div_ceil(100);
    for (label, page) in [("First page (page_size=100)", 1), ("Middle page", (last / 2).max(1))] {
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

    if opts.requests > 0 {
        over_http(cat.clone(), &dir, total, opts);
    }
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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Serves the catalogue on 127.0.0.1 (the real server: routes, negotiation, pages) and times
/// the dataset page with `--big` variables and `/catalog?page=N`, one request at a time.
fn over_http(cat: Arc<Catalogue>, dir: &std::path::Path, total: u64, opts: &Options) {
    use vardkatalog::config::{Config, Lang};
    let config = Config {
        base_iri: BASE.into(),
        data_dir: dir.to_path_buf(),
        bind: "127.0.0.1:0".into(),
        lang: Lang::Sv,
        vocabularies: Default::default(),
        sparql: Default::default(),
        quality: Default::default(),
        harvest: Default::default(),
        curation: Default::default(),
        trusted_proxies: Vec::new(),
        remote_store: None,
        state_db: None,
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let services = vardkatalog::services::Services::new(cat, vardkatalog::state::State::temporary().unwrap(), &config).unwrap();
            vardkatalog::web::server(listener, &services, &config).unwrap().await.unwrap();
        })
    });
    std::thread::sleep(Duration::from_millis(500));
    let last = total.div_ceil(100).max(1);
    let mut urls: Vec<(String, String, &str)> = Vec::new();
    if opts.big > 0 {
        urls.push((format!("Dataset page, {} variables (HTML)", opts.big), "/dataset/syn-big-0000000".into(), "text/html"));
    }
    let mut pages = vec![1, last.div_ceil(2), last];
    pages.dedup();
    for page in pages {
        urls.push((format!("`/catalog?page={page}` of {last} (100 datasets, RDF/XML)"), format!("/catalog?page={page}"), "*/*"));
    }
    let middle_of_tens = total.div_ceil(10).div_ceil(2).max(1);
    urls.push((
        format!("`/catalog?page={middle_of_tens}&page_size=10` (RDF/XML)"),
        format!("/catalog?page={middle_of_tens}&page_size=10"),
        "*/*",
    ));
    let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(600)).build().unwrap();
    println!(
        "\nOver HTTP, one request at a time, up to {} per URL or {} s (after one warm-up request, whose time is the first column):\n",
        opts.requests, opts.seconds
    );
    println!("| Request | First | Requests | p50 | p99 | max | CPU per request | Body |");
    println!("|---|---|---|---|---|---|---|---|");
    for (label, path, accept) in urls {
        let url = format!("http://{addr}{path}");
        let get = || {
            let t = Instant::now();
            let res = http.get(&url).header("Accept", accept).send().expect("request");
            let status = res.status();
            let body = res.bytes().expect("body");
            assert!(status.is_success(), "{url}: {status}");
            (ms(t.elapsed()), body.len())
        };
        let (first, _) = get();
        let started = Instant::now();
        let cpu_before = process_cpu_s();
        let mut times = Vec::new();
        let mut bytes = 0;
        while times.len() < opts.requests && started.elapsed() < Duration::from_secs(opts.seconds) {
            let (t, b) = get();
            times.push(t);
            bytes = b;
        }
        // the CPU the process (server and client) spent per request: the cost whatever the load
        let cpu = (process_cpu_s() - cpu_before) * 1000.0 / times.len().max(1) as f64;
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "| {label} | {first:.0} ms | {} | {:.1} ms | {:.1} ms | {:.1} ms | {cpu:.0} ms | {:.0} kB |",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.last().copied().unwrap_or(0.0),
            bytes as f64 / 1e3
        );
    }
}

/// CPU time of the whole process (all threads), in seconds, from `/proc/self/stat`.
fn process_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // the fields after the command name (which is in parentheses): utime and stime are 14 and 15
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let number = |name: &str, default: u64| value(name).and_then(|v| v.parse().ok()).unwrap_or(default);
    let opts = Options {
        chunk: number("--chunk", 2000) as usize,
        big: number("--big", 0) as usize,
        requests: number("--requests", 0) as usize,
        seconds: number("--seconds", 60),
        data: value("--data").map(std::path::PathBuf::from),
        import_only: args.iter().any(|a| a == "--import-only"),
    };
    let option_values: Vec<String> = ["--chunk", "--big", "--requests", "--seconds", "--data"].iter().filter_map(|n| value(n)).collect();
    // `DATASETSxVARIABLES`, with `:pages` to measure the pages only (no full exports)
    let sizes: Vec<(usize, usize, bool)> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-') && !option_values.contains(a))
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
        run(d, v, exports, &opts);
    }
}
