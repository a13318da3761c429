//! Harvest benchmark: throughput (triples per second) of a full harvest run from a large paged
//! DCAT source (Turtle pages with Hydra links) on loopback into an on-disk catalogue, compared
//! in the same run with the store's raw bulk-load rate of the same triples (the records handed
//! straight to `RecordStore::commit` in one batch).
//!
//! Run: `cargo bench --bench harvest -- --datasets 20000 --page-size 500`. The source sends an
//! `ETag` per page and honours `If-None-Match` (the unchanged run), then drops its validators
//! for a third run (unchanged, bodies compared by hash).
//! Prints a Markdown table for BENCHMARKS.md.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::Utc;
use vardkatalog::catalog::Catalogue;
use vardkatalog::harvest::{HarvestSettings, Harvester, SourceConfig, SourceKind};
use vardkatalog::model::Minter;
use vardkatalog::model::record::{self, RecordKind};
use vardkatalog::search::SearchIndex;
use vardkatalog::state::State;
use vardkatalog::state::harvest::RunStatus;
use vardkatalog::store::{Batch, EmbeddedStore, Expect, Record, RecordMeta, RecordState, RecordStore};

const BASE: &str = "https://katalog.example.se/";

/// One page of the synthetic source: `size` datasets, each with two distributions.
fn page(base: &str, n: usize, size: usize, pages: usize) -> String {
    let mut out = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n",
    );
    for i in (n - 1) * size..n * size {
        out.push_str(&format!(
            "<https://data.example.se/dataset/{i}> a dcat:Dataset ; dct:identifier \"ds-{i}\" ;\n  dct:title \"Datamängd {i}\"@sv, \"Dataset {i}\"@en ;\n  dct:description \"Beskrivning av datamängd {i} med vårdplatser och väntetider.\"@sv ;\n  dcat:keyword \"hälsa\"@sv, \"vård {}\"@sv ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL> ;\n  dct:publisher <https://data.example.se/agent/{}> ; dct:modified \"2024-05-{:02}\"^^<http://www.w3.org/2001/XMLSchema#date> ;\n  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;\n  dcat:distribution <https://data.example.se/distribution/{i}-csv>, <https://data.example.se/distribution/{i}-api> .\n",
            i % 97, i % 21, i % 28 + 1
        ));
        for (d, fmt) in [("csv", "CSV"), ("api", "JSON")] {
            out.push_str(&format!(
                "<https://data.example.se/distribution/{i}-{d}> a dcat:Distribution ; dct:title \"{fmt} för {i}\"@sv ;\n  dcat:accessURL <https://data.example.se/files/{i}.{d}> ; dct:format <http://publications.europa.eu/resource/authority/file-type/{fmt}> .\n"
            ));
        }
    }
    out.push_str(&format!("<{base}/cat?page={n}> a hydra:PartialCollectionView ; hydra:totalItems {}", pages * size));
    if n < pages {
        out.push_str(&format!(" ; hydra:next <{base}/cat?page={}>", n + 1));
    }
    out.push_str(" .\n");
    out
}

/// Serves the pages; with `validators` on, each page has an `ETag` and a matching
/// `If-None-Match` is answered 304 (as piveau, CKAN behind a cache, and our own `/catalog` do).
fn serve(size: usize, pages: usize, validators: Arc<AtomicBool>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let b = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let b = b.clone();
            let validators = validators.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let mut if_none_match = None;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some(v) = h.strip_prefix("if-none-match:").or_else(|| h.strip_prefix("If-None-Match:")) {
                        if_none_match = Some(v.trim().to_owned());
                    }
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/");
                let n: usize = target.rsplit('=').next().and_then(|n| n.parse().ok()).unwrap_or(0);
                let etag = format!("\"{pages}-{size}-{n}\"");
                if validators.load(Ordering::SeqCst) && (1..=pages).contains(&n) {
                    if if_none_match.as_deref() == Some(etag.as_str()) {
                        let _ =
                            write!(stream, "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        return;
                    }
                    let body = page(&b, n, size, pages);
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nETag: {etag}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    return;
                }
                let body = if (1..=pages).contains(&n) { page(&b, n, size, pages) } else { String::new() };
                let status = if body.is_empty() { "404 Not Found" } else { "200 OK" };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: text/turtle\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    base
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let datasets = arg("--datasets", 20_000);
    let size = arg("--page-size", 500);
    let pages = datasets.div_ceil(size);
    let validators = Arc::new(AtomicBool::new(true));
    let base = serve(size, pages, validators.clone());

    // 1. a harvest run: fetch, parse, repair, split, check, compare, commit, index
    let dir = tempfile::tempdir().unwrap();
    let catalogue = Arc::new(Catalogue::new(
        Arc::new(EmbeddedStore::open(&dir.path().join("store")).unwrap()),
        Minter::new(BASE),
        SearchIndex::open(&dir.path().join("index")).unwrap(),
    ));
    let source = SourceConfig {
        id: "bench".into(),
        kind: SourceKind::Dcat,
        url: format!("{base}/cat?page=1"),
        schedule: None,
        only: vec![],
        columns: Default::default(),
    };
    // the local fixture server is allowed explicitly, as an operator would in the configuration file
    let settings = HarvestSettings { sources: vec![source], allow_private: vec!["127.0.0.1".into()], ..HarvestSettings::default() };
    let harvester = Harvester::new(catalogue.clone(), State::open(&dir.path().join("state")).unwrap(), settings);
    let started = Instant::now();
    let report = harvester.run("bench", false, &|_| {}).unwrap();
    let harvest_s = started.elapsed().as_secs_f64();
    assert_eq!(report.status, RunStatus::Succeeded, "{:?}", report.errors);
    let records = report.new;
    let triples = report.triples;

    // the same run again: nothing changes (every page asked conditionally, 304, no parse, no write)
    let started = Instant::now();
    let again = harvester.run("bench", false, &|_| {}).unwrap();
    let again_s = started.elapsed().as_secs_f64();
    assert_eq!(again.new + again.changed, 0);
    // and once more from a server without validators (every body sent again, compared by hash)
    validators.store(false, Ordering::SeqCst);
    let started = Instant::now();
    let hashed = harvester.run("bench", false, &|_| {}).unwrap();
    let hashed_s = started.elapsed().as_secs_f64();
    assert_eq!(hashed.new + hashed.changed, 0);

    // 2. the raw bulk load of the same triples: fetched and parsed up front (not timed), split
    //    into the same records, handed to RecordStore::commit in one batch
    let mut graph = oxigraph::model::Graph::new();
    for n in 1..=pages {
        let body = reqwest::blocking::get(format!("{base}/cat?page={n}")).unwrap().bytes().unwrap();
        let g = vardkatalog::catalog::parse_document(&body[..], oxigraph::io::RdfFormat::Turtle, BASE).unwrap();
        graph.extend(g.iter());
    }
    let split = record::split(&graph, None);
    let now = Utc::now();
    let source_iri = oxigraph::model::NamedNode::new_unchecked("urn:vardkatalog:source:bench");
    let prepared: Vec<Record> = split
        .records
        .into_iter()
        .filter(|r| r.kind != RecordKind::Catalog)
        .map(|r| Record {
            meta: RecordMeta {
                iri: r.iri,
                kind: r.kind,
                state: RecordState::Published,
                version: 1,
                rev: 0,
                source: source_iri.clone(),
                content_hash: String::new(),
                modified: now,
            },
            graph: r.graph,
        })
        .collect();
    let raw_triples: usize = prepared.iter().map(|r| r.graph.len()).sum();
    let dir2 = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir2.path().join("store")).unwrap();
    let started = Instant::now();
    let mut batch = Batch::new();
    for r in prepared.iter().cloned() {
        batch.put(r, Expect::Any);
    }
    store.commit(&batch).unwrap();
    store.flush().unwrap();
    let raw_s = started.elapsed().as_secs_f64();

    // 3. `import` of the same triples as one Turtle document into a fresh catalogue (the
    //    document written up front, not timed): the rate a harvest of new records is held to
    let mut document = Vec::new();
    {
        let mut w = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::Turtle).for_writer(&mut document);
        for t in graph.iter() {
            w.serialize_triple(t).unwrap();
        }
        w.finish().unwrap();
    }
    let dir3 = tempfile::tempdir().unwrap();
    let imported = Catalogue::new(
        Arc::new(EmbeddedStore::open(&dir3.path().join("store")).unwrap()),
        Minter::new(BASE),
        SearchIndex::open(&dir3.path().join("index")).unwrap(),
    );
    let started = Instant::now();
    imported
        .import_document(&document[..], oxigraph::io::RdfFormat::Turtle, &vardkatalog::catalog::ImportOptions::published_import())
        .unwrap();
    imported.store().flush().unwrap();
    let import_s = started.elapsed().as_secs_f64();

    println!("| Measure | Value |");
    println!("|---|---|");
    println!("| Source | {datasets} datasets × 2 distributions, {pages} Turtle pages of {size} on loopback |");
    println!("| Records written by the harvest | {records} |");
    println!("| Triples read by the harvest | {triples} |");
    println!(
        "| Harvest run (fetch, parse, split, check, compare, one transaction, index) | {harvest_s:.2} s = **{:.0} triples/s**, {:.0} records/s |",
        triples as f64 / harvest_s,
        records as f64 / harvest_s
    );
    println!(
        "| Second run, nothing changed ({} requests, {} answered 304, {} triples parsed) | {again_s:.2} s |",
        again.requests, again.not_modified, again.triples
    );
    println!(
        "| Third run, nothing changed, server without validators ({} requests, {} triples parsed) | {hashed_s:.2} s |",
        hashed.requests, hashed.triples
    );
    println!(
        "| Raw bulk load of the same {raw_triples} triples ({} records, `RecordStore::commit`, one batch) | {raw_s:.2} s = **{:.0} triples/s** |",
        prepared.len(),
        raw_triples as f64 / raw_s
    );
    println!("| Harvest / raw bulk load | **{:.2}** |", (triples as f64 / harvest_s) / (raw_triples as f64 / raw_s));
    println!(
        "| `import` of the same {} triples as one Turtle document (parse, split, check, store, index) | {import_s:.2} s = **{:.0} triples/s** |",
        graph.len(),
        graph.len() as f64 / import_s
    );
    println!("| Harvest / import rate | **{:.2}** (target ≥ 0.5) |", (triples as f64 / harvest_s) / (graph.len() as f64 / import_s));
    println!("| First run / unchanged run | **{:.1}×** (target ≥ 10×) |", harvest_s / again_s);
    println!("| First run / unchanged run without validators | **{:.1}×** |", harvest_s / hashed_s);
}
