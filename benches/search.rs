//! Search benchmark: a deterministic synthetic catalogue (datasets × variables), then
//! index build rate, in-process search latency (p50/p99), throughput and latency over HTTP,
//! and memory.
//!
//! Run: `cargo bench --bench search -- --variables 100000 [--per-dataset 100] [--seconds 20]
//! [--clients 4] [--data DIR] [--queries-only] [--direct]`. Results go to standard output as a
//! Markdown table; BENCHMARKS.md records them. `--data DIR` keeps the generated catalogue and
//! reuses it; `--direct` indexes the variables from records in memory instead of loading them
//! into the store (for 1M variables); `--queries-only` skips the HTTP part and the rebuild
//! when the index is current.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use oxigraph::model::{Graph, NamedNode};
use vardkatalog::catalog::Catalogue;
use vardkatalog::config::{Config, Lang};
use vardkatalog::model::record::{Resource, content_hash};
use vardkatalog::model::vocab::{eu, internal, xsd};
use vardkatalog::model::*;
use vardkatalog::model::{Minter, RecordKind};
use vardkatalog::search::{FacetName, SearchRequest};
use vardkatalog::store::{Record, RecordMeta, RecordState};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "vårdtillfälle",
    "diagnos",
    "åtgärd",
    "läkemedel",
    "ålder",
    "kön",
    "län",
    "kommun",
    "datum",
    "inskrivning",
    "utskrivning",
    "besök",
    "operation",
    "väntetid",
    "kostnad",
    "vårdplats",
    "överbeläggning",
    "remiss",
    "dödsorsak",
    "födelsevikt",
    "graviditet",
    "fraktur",
    "smärta",
    "gångförmåga",
    "boende",
    "utbildning",
    "inkomst",
    "sjukskrivning",
    "vårdenhet",
    "sjukhus",
    "region",
    "specialitet",
    "yrkeskategori",
    "kontakt",
    "status",
    "antal",
    "andel",
    "median",
    "dagar",
    "timmar",
    "huvuddiagnos",
    "bidiagnos",
    "akutbesök",
    "återinläggning",
    "vårdtid",
    "förlossning",
    "vaccination",
];
const DEFINITION_WORDS: &[&str] = &[
    "det",
    "datum",
    "då",
    "patienten",
    "skrivs",
    "in",
    "angiven",
    "enligt",
    "registrerad",
    "vid",
    "vårdkontakten",
    "som",
    "avser",
    "den",
    "första",
    "senaste",
    "enheten",
    "regionen",
    "under",
    "året",
    "per",
    "månad",
    "rapporteras",
    "till",
    "registret",
    "kod",
    "enligt",
    "klassifikation",
    "värde",
    "saknas",
    "om",
    "uppgift",
    "inte",
    "finns",
];
const CATEGORIES: &[&str] = &["PHDR", "MRMR", "HRAD", "EHRS", "RQSH", "NRPE"];
const THEMES: &[&str] = &["HEAL", "SOCI", "GOVE", "ECON"];

fn text(rng: &mut Rng, words: &[&str], n: usize) -> String {
    (0..n).map(|_| rng.pick(words)).collect::<Vec<_>>().join(" ")
}

fn record(resource: Resource, now: chrono::DateTime<Utc>) -> Record {
    let graph: Graph = resource.to_graph();
    let meta = RecordMeta {
        iri: resource.iri().clone(),
        kind: resource.kind(),
        state: RecordState::Published,
        version: 1,
        rev: 0,
        source: NamedNode::new_unchecked(internal::IMPORT_SOURCE),
        content_hash: content_hash(&graph),
        modified: now,
    };
    Record { meta, graph }
}

/// The synthetic catalogue, record by record: 25 agents, 50 code lists of 10 codes, then each
/// dataset followed by its `per_dataset` variables, `variables` in all. Deterministic.
fn catalogue(m: &Minter, variables: u64, per_dataset: u64) -> impl Iterator<Item = Resource> + '_ {
    let mut rng = Rng(0x5EED_CAFE_F00D);
    let mut head = Vec::new();
    for a in 0..25 {
        let mut agent = Agent::new(m.record(RecordKind::Agent, &format!("org-{a}")).unwrap(), LangText::sv(format!("Organisation {a}")));
        agent.publisher_type = Some(NamedNode::new(format!("{}NationalAuthority", eu::ADMS_PUBLISHER_TYPE)).unwrap());
        head.push(Resource::Agent(agent));
    }
    for c in 0..50 {
        let scheme = m.record(RecordKind::CodeList, &format!("kodlista-{c}")).unwrap();
        head.push(Resource::CodeList(CodeList::new(scheme.clone(), LangText::sv(format!("Kodlista {} {c}", rng.pick(WORDS))))));
        for k in 0..10 {
            let mut concept = Concept::new(
                m.concept(&format!("kodlista-{c}"), &format!("{k:02}")).unwrap(),
                &format!("{k:02}"),
                LangText::sv(text(&mut rng, WORDS, 2)),
            );
            concept.in_scheme = vec![scheme.clone()];
            head.push(Resource::Concept(concept));
        }
    }
    let datasets = variables.div_ceil(per_dataset);
    let (mut d, mut in_dataset, mut v) = (0u64, per_dataset, 0u64);
    let mut ds_iri = None;
    let body = std::iter::from_fn(move || {
        if in_dataset == per_dataset || v == variables {
            if d == datasets {
                return None;
            }
            // the next dataset
            let iri = m.record(RecordKind::Dataset, &format!("register-{d}")).unwrap();
            let mut ds = Dataset::new(iri.clone(), LangText::sv(format!("Register {} {d}", rng.pick(WORDS))));
            ds.description = LangText::sv(text(&mut rng, DEFINITION_WORDS, 20));
            ds.publisher = Some(m.record(RecordKind::Agent, &format!("org-{}", rng.below(25))).unwrap());
            ds.health_categories = vec![NamedNode::new(format!("{}{}", vocab::health::CATEGORY_BASE, rng.pick(CATEGORIES))).unwrap()];
            ds.themes = vec![NamedNode::new(format!("{}{}", eu::DATA_THEME, rng.pick(THEMES))).unwrap()];
            ds_iri = Some(iri);
            d += 1;
            in_dataset = 0;
            return Some(Resource::Dataset(ds));
        }
        let iri = m.record(RecordKind::Variable, &format!("var-{v}")).unwrap();
        let mut var =
            Variable::new(iri, LangText::sv(format!("{} {}", text(&mut rng, WORDS, 2), v % 97)).with("en", format!("variable {v}")));
        var.notation = Some(format!("VAR{v:07}"));
        var.definition = LangText::sv(text(&mut rng, DEFINITION_WORDS, 12));
        var.datasets = ds_iri.clone().into_iter().collect();
        var.representation = Some(if rng.below(5) == 0 {
            Representation::CodeList {
                scheme: m.record(RecordKind::CodeList, &format!("kodlista-{}", rng.below(50))).unwrap(),
                datatype: xsd::STRING.into_owned(),
            }
        } else {
            Representation::Datatype([xsd::DATE, xsd::INTEGER, xsd::STRING, xsd::DECIMAL][rng.below(4) as usize].into_owned())
        });
        let start = 1960 + rng.below(60) as i32;
        let end = if rng.below(3) == 0 { Some(start + rng.below(20) as i32) } else { None };
        var.temporal = vec![Period { start: Temporal::parse(&start.to_string()), end: end.and_then(|e| Temporal::parse(&e.to_string())) }];
        v += 1;
        in_dataset += 1;
        Some(Resource::Variable(var))
    });
    head.into_iter().chain(body)
}

/// Writes the synthetic catalogue into the store; with `direct`, everything but the
/// variables (which [`index_variables`] then indexes without storing them).
fn generate(cat: &Catalogue, variables: u64, per_dataset: u64, direct: bool) {
    let now = Utc::now();
    let mut batch = Vec::new();
    for resource in catalogue(cat.minter(), variables, per_dataset) {
        if direct && matches!(resource, Resource::Variable(_)) {
            continue;
        }
        batch.push(record(resource, now));
        if batch.len() >= 5000 {
            save(cat, &mut batch);
        }
    }
    save(cat, &mut batch);
}

/// Commits generated records in one batch (they are new: no expectation to check).
fn save(cat: &Catalogue, records: &mut Vec<vardkatalog::store::Record>) {
    let mut batch = vardkatalog::store::Batch::new();
    for r in records.drain(..) {
        batch.put(r, vardkatalog::store::Expect::Any);
    }
    cat.commit(&batch).expect("save");
}

/// The index documents of the synthetic variables, built from records in memory (the same
/// sequence [`generate`] writes), for catalogues too large to load into the store here.
fn index_variables(cat: &Catalogue, variables: u64, per_dataset: u64) -> u64 {
    let now = Utc::now();
    let records = catalogue(cat.minter(), variables, per_dataset).filter(|r| matches!(r, Resource::Variable(_))).map(|r| {
        let meta = RecordMeta {
            iri: r.iri().clone(),
            kind: r.kind(),
            state: RecordState::Published,
            version: 1,
            rev: 0,
            source: NamedNode::new_unchecked(internal::IMPORT_SOURCE),
            content_hash: String::new(),
            modified: now,
        };
        (meta, r)
    });
    cat.index().add_unstored(cat.store(), records).expect("index")
}

fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (kb("VmRSS:") / 1024, kb("VmHWM:") / 1024)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn queries(dataset: &str) -> Vec<SearchRequest> {
    let text = |t: &str| SearchRequest { text: t.into(), limit: 20, ..Default::default() };
    let mut out = vec![
        text("diagnos"),
        text("vårdplats"),
        text("väntetid dagar"),
        text("inskrivning datum"),
        text("lakemedel"),
        text("operation smärta"),
        text("VAR0000123"),
        text("överbeläggn"),
        text("sjukskrvning"),
        text("huvuddiagnos bidiagnos"),
    ];
    let mut filtered = text("datum");
    filtered.filters.insert(FacetName::Kind, ["variable".to_owned()].into());
    filtered.filters.insert(FacetName::Dataset, [dataset.to_owned()].into());
    out.push(filtered);
    let mut years = text("kostnad");
    years.year_from = Some(1990);
    years.year_to = Some(1995);
    out.push(years);
    out.push(SearchRequest { limit: 20, ..Default::default() });
    out
}

fn describe(q: &SearchRequest) -> String {
    let mut d = if q.text.is_empty() { "(all)".to_owned() } else { format!("`{}`", q.text) };
    for (name, values) in &q.filters {
        d.push_str(&format!(" + {}={}", name.param(), values.len()));
    }
    if let (Some(a), Some(b)) = (q.year_from, q.year_to) {
        d.push_str(&format!(" + years {a}–{b}"));
    }
    d
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| -> u64 {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
    };
    let variables = arg("--variables", 100_000);
    let per_dataset = arg("--per-dataset", 100);
    let seconds = arg("--seconds", 20);
    let clients = arg("--clients", 4);
    // `--data DIR` keeps the generated catalogue in DIR and reuses it on the next run (the
    // store load is the slow part); `--queries-only` skips the HTTP part and rebuilds the
    // index only when it is not current.
    let kept = args.iter().position(|a| a == "--data").and_then(|i| args.get(i + 1)).map(std::path::PathBuf::from);
    let queries_only = args.iter().any(|a| a == "--queries-only");
    // `--direct`: the variables are indexed from records in memory and not loaded into the
    // store (the store load runs at about 20,000 quads/s, over 20 minutes for 1M variables)
    let direct = args.iter().any(|a| a == "--direct");
    let temp = tempfile::tempdir().expect("temp dir");
    let data_dir = kept.clone().unwrap_or_else(|| temp.path().to_path_buf());
    let config = Config {
        base_iri: "https://katalog.example.se/".into(),
        data_dir,
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
    let cat = vardkatalog::app::open_catalogue(&config).expect("open");

    let t = Instant::now();
    let reused = kept.is_some() && cat.store().len().unwrap_or(0) > 0;
    if reused {
        eprintln!("reusing the catalogue in {}", config.data_dir.display());
    } else {
        generate(&cat, variables, per_dataset, direct);
    }
    let load = t.elapsed().as_secs_f64();
    let quads = cat.store().len().unwrap_or(0);
    eprintln!("generated {variables} variables, {quads} quads in {load:.1} s");

    let (t, cpu_before) = (Instant::now(), process_cpu_s());
    // only a kept catalogue's index can be current: one just generated (with `--direct`, its
    // variables go straight into the index) is always indexed
    let current = reused && cat.index().generation() == Some(cat.store().generation().expect("generation")) && !cat.index().is_empty();
    let docs = if queries_only && current {
        cat.index().len()
    } else {
        let mut docs = cat.reindex().expect("reindex");
        if direct {
            docs += index_variables(&cat, variables, per_dataset);
        }
        docs
    };
    let build = t.elapsed().as_secs_f64();
    let (rss_after_index, _) = memory();
    let build_cpu = process_cpu_s() - cpu_before;
    eprintln!(
        "indexed {docs} documents in {build:.1} s ({build_cpu:.1} s of CPU, all threads); facet tables {:.1} MB",
        cat.index().facet_table_bytes() as f64 / 1e6
    );

    // in-process latency: every query 50 times after one warm-up round
    let dataset = format!("{}dataset/register-{}", cat.minter().base(), variables / per_dataset / 2);
    let qs = queries(&dataset);
    for q in &qs {
        cat.index().search(q).expect("search");
    }
    let mut times = Vec::new();
    // the CPU time of this thread per search (the search runs on it): what the query costs,
    // whatever else the machine is doing
    let mut cpu_times = Vec::new();
    let mut per_query: Vec<(String, usize, Vec<f64>)> = qs.iter().map(|q| (describe(q), 0, Vec::new())).collect();
    let cpu_before = process_cpu_s();
    for _ in 0..50 {
        for (i, q) in qs.iter().enumerate() {
            let (t, c) = (Instant::now(), thread_cpu_ms());
            let r = cat.index().search(q).expect("search");
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            cpu_times.push(thread_cpu_ms() - c);
            times.push(ms);
            per_query[i].1 = r.total;
            per_query[i].2.push(ms);
        }
    }
    // CPU per query on average: wall times well above it mean other processes held the cores
    let cpu_mean = (process_cpu_s() - cpu_before) * 1000.0 / times.len() as f64;
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let (p50, p99, max) = (percentile(&times, 0.5), percentile(&times, 0.99), times.last().copied().unwrap_or(0.0));
    cpu_times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let (c50, c99, cmax) = (percentile(&cpu_times, 0.5), percentile(&cpu_times, 0.99), cpu_times.last().copied().unwrap_or(0.0));
    let (suggest_per_prefix, suggest_times) = suggest_latency(&cat);
    let (s50, s99, smax) =
        (percentile(&suggest_times, 0.5), percentile(&suggest_times, 0.99), suggest_times.last().copied().unwrap_or(0.0));
    if queries_only {
        println!("| in process p50 / p99 / max | {p50:.2} / {p99:.2} / {max:.2} ms | CPU mean {cpu_mean:.2} ms |");
        println!("| in process, thread CPU per search p50 / p99 / max | {c50:.2} / {c99:.2} / {cmax:.2} ms | |");
        println!("| suggest p50 / p99 / max | {s50:.2} / {s99:.2} / {smax:.2} ms | |");
        print_per_query(per_query);
        println!();
        print_per_query(suggest_per_prefix);
        return;
    }

    // over HTTP: clients hammer /api/v1/search with the same queries for `seconds`
    let catalogue = Arc::new(cat);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server_cat = catalogue.clone();
    let server_config = config.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let services =
                vardkatalog::services::Services::new(server_cat, vardkatalog::state::State::temporary().unwrap(), &server_config).unwrap();
            vardkatalog::web::server(listener, &services, &server_config).unwrap().await.unwrap();
        })
    });
    std::thread::sleep(Duration::from_millis(500));
    let urls: Vec<String> = [
        "q=diagnos",
        "q=v%C3%A5rdplats",
        "q=v%C3%A4ntetid+dagar",
        "q=lakemedel",
        "q=VAR0000123",
        "q=%C3%B6verbel%C3%A4ggn",
        "q=sjukskrvning",
        "q=datum&typ=variable",
        "q=kostnad&fran=1990&till=1995",
        "",
    ]
    .iter()
    .map(|q| format!("http://{addr}/api/v1/search?{q}"))
    .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let http_cpu_before = process_cpu_s();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (urls, stop, count) = (urls.clone(), stop.clone(), count.clone());
            std::thread::spawn(move || {
                let http = reqwest::blocking::Client::new();
                let mut lat = Vec::new();
                let mut i = c as usize;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let res = http.get(&urls[i % urls.len()]).send().expect("request");
                    assert!(res.status().is_success());
                    let body = res.bytes().expect("body");
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    let took = serde_json::from_slice::<serde_json::Value>(&body).ok().and_then(|b| b["took_ms"].as_f64()).unwrap_or(0.0);
                    lat.push((ms, took));
                    count.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
                lat
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let (mut http_times, mut took): (Vec<f64>, Vec<f64>) = handles.into_iter().flat_map(|h| h.join().unwrap()).unzip();
    // the CPU the whole process (server and clients) spent per request during the run
    let http_cpu_ms = (process_cpu_s() - http_cpu_before) * 1000.0 / count.load(Ordering::Relaxed).max(1) as f64;
    took.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let elapsed = started.elapsed().as_secs_f64();
    http_times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let throughput = count.load(Ordering::Relaxed) as f64 / elapsed;
    let (rss, hwm) = memory();
    let index_bytes: u64 =
        std::fs::read_dir(config.index_dir()).map(|d| d.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum()).unwrap_or(0);

    println!(
        "| variables | documents | store load | index build | index size | search p50 / p99 / max (in process) | CPU mean | HTTP req/s ({clients} clients) | HTTP p50 / p99 (client) | took_ms p50 / p99 (server) | RSS after index / end / peak |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {variables} | {docs} | {load:.1} s ({:.0} quads/s) | {build:.1} s ({:.0} docs/s) | {:.0} MB | {p50:.2} / {p99:.2} / {max:.2} ms | {cpu_mean:.2} ms | {throughput:.0} | {:.2} / {:.2} ms | {:.2} / {:.2} ms | {rss_after_index} / {rss} / {hwm} MB |",
        quads as f64 / load,
        docs as f64 / build,
        index_bytes as f64 / 1e6,
        percentile(&http_times, 0.5),
        percentile(&http_times, 0.99),
        percentile(&took, 0.5),
        percentile(&took, 0.99),
    );
    println!();
    println!("| suggest p50 / p99 / max (in process) | {s50:.2} / {s99:.2} / {smax:.2} ms |");
    println!("|---|---|");
    println!("| search, thread CPU per search p50 / p99 / max (in process) | {c50:.2} / {c99:.2} / {cmax:.2} ms |");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "| HTTP, process CPU per request (server and clients) | {http_cpu_ms:.2} ms: at most {:.0} req/s on {cores} idle cores |",
        cores as f64 * 1000.0 / http_cpu_ms
    );
    println!();
    print_per_query(per_query);
    println!();
    print_per_query(suggest_per_prefix);
}

/// Per query (or prefix): its name, how many it found, its times in ms.
type PerQuery = Vec<(String, usize, Vec<f64>)>;

/// Type-ahead latency in process (`/api/v1/suggest`'s work): each prefix, as it grows while
/// typed, 100 times after one warm-up round; per prefix and all together (sorted).
fn suggest_latency(cat: &Catalogue) -> (PerQuery, Vec<f64>) {
    let prefixes = [
        "di",
        "dia",
        "diagn",
        "v\u{e5}rdpl",
        "l\u{e4}kem",
        "k\u{f6}",
        "\u{f6}verbel",
        "VAR00001",
        "VAR0000123",
        "datum in",
        "kodlista",
        "register 1",
        "xq",
    ];
    for p in prefixes {
        cat.suggest(p, 8).expect("suggest");
    }
    let mut per: Vec<(String, usize, Vec<f64>)> = prefixes.iter().map(|p| (format!("suggest {p}"), 0, Vec::new())).collect();
    let mut all = Vec::new();
    for _ in 0..100 {
        for (i, p) in prefixes.iter().enumerate() {
            let t = Instant::now();
            let found = cat.suggest(p, 8).expect("suggest");
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            all.push(ms);
            per[i].1 = found.len();
            per[i].2.push(ms);
        }
    }
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (per, all)
}

fn print_per_query(per_query: Vec<(String, usize, Vec<f64>)>) {
    println!("| query | hits | p50 | p99 |");
    println!("|---|---|---|---|");
    for (name, hits, mut t) in per_query {
        t.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("| {name} | {hits} | {:.2} ms | {:.2} ms |", percentile(&t, 0.5), percentile(&t, 0.99));
    }
}

/// CPU time of the calling thread in ms (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, Linux).
fn thread_cpu_ms() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec (two 64-bit fields on 64-bit Linux)
    if unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return 0.0;
    }
    ts.sec as f64 * 1000.0 + ts.nsec as f64 / 1e6
}

/// CPU time of the whole process (all threads), in seconds, from `/proc/self/stat`.
fn process_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // the fields after the command name (which is in parentheses): utime and stime are 14 and 15
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}
