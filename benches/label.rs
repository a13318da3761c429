//! Label benchmark (issue 17): how long computing the EHDS quality and utility label of every
//! public dataset takes (`label::Labels::compute`, no cache), over the seed plus a generated
//! catalogue, with state a live catalogue would hold: a holder's statement on every dataset, a
//! yearly confirmation on every other one, maturity self-assessments, and delivery reports of
//! every region for twelve months to the seed's data collections.
//!
//! Run: `cargo bench --bench label -- [DATASETSxVARIABLES …] [--data DIR] [--runs N]`. The
//! default size is issue 15's M catalogue, `1000x100` (1,000 datasets × 100 variables).
//! `--data DIR` keeps the generated store and reuses it (loading is by far the slowest part).
//! In a debug build: `cargo test --locked --bench label -- 1000x100` (label such figures as
//! debug). Prints a Markdown table for BENCHMARKS.md.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use vardkatalog::catalog::{Catalogue, ImportOptions};
use vardkatalog::label::{Declaration, Labels, Maturity, Status};
use vardkatalog::model::Minter;
use vardkatalog::model::record::RecordKind;
use vardkatalog::state::State;
use vardkatalog::state::deliveries::{ColumnCounts, DeliveryReport};
use vardkatalog::state::label::Attestation;
use vardkatalog::state::revisions::AuditNote;
use vardkatalog::store::EmbeddedStore;
use vardkatalog::synthetic::{self, Spec};

const BASE: &str = "https://katalog.example.se/";

fn note(target: &str) -> AuditNote {
    AuditNote { who: "bench".into(), action: "bench".into(), target: target.into(), detail: String::new() }
}

/// The state a catalogue in use would hold.
fn fill_state(state: &State, labels: &Labels) {
    let snapshot = labels.snapshot().expect("labels");
    for (n, iri) in snapshot.datasets.keys().enumerate() {
        let d = Declaration {
            dataset: iri.clone(),
            metric: "time-to-data".into(),
            level: u8::try_from(n % 4).unwrap_or(0),
            evidence: "https://example.se/rapport".into(),
            note: String::new(),
            author: "bench".into(),
            time: Utc::now(),
        };
        state.label.declare(&d, &note(iri)).expect("declare");
        if n % 2 == 0 {
            let a = Attestation { dataset: iri.clone(), author: "bench".into(), time: Utc::now(), note: String::new() };
            state.label.attest(&a, &note(iri)).expect("attest");
        }
    }
    for agent in ["agent/socialstyrelsen", "agent/skr"] {
        let m = Maturity {
            agent: format!("{BASE}{agent}"),
            levels: [("governance".to_owned(), 3u8), ("data-model".to_owned(), 4)].into(),
            evidence: String::new(),
            note: String::new(),
            author: "bench".into(),
            time: Utc::now(),
        };
        state.label.set_maturity(&m, &note(agent)).expect("maturity");
    }
    for collection in &snapshot.collections {
        for (region, _) in &snapshot.regions {
            for month in 1..=12 {
                let columns = (0..20)
                    .map(|c| ColumnCounts {
                        name: format!("K{c}"),
                        level: if c < 8 { "required".into() } else { "optional".into() },
                        present: c != 3 || month != 6,
                        filled: 10_000,
                        invalid: u64::from(c % 5 == 0),
                        problems: [("type_error".to_owned(), u64::from(c % 5 == 0))].into(),
                    })
                    .collect();
                let r = DeliveryReport {
                    id: 0,
                    collection: collection.clone(),
                    region: region.clone(),
                    period: format!("2026-{month:02}"),
                    rows: 10_000,
                    header_only: false,
                    columns,
                    unknown_columns: 0,
                    errors: 4,
                    warnings: 0,
                    passed: false,
                    submitted_by: "bench".into(),
                    time: Utc::now(),
                };
                state.deliveries.add(&r, &note(collection)).expect("delivery");
            }
        }
    }
}

fn main() {
    // RUST_LOG=vardkatalog::label=debug shows the time of each phase
    vardkatalog::logging::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let data = value("--data").map(PathBuf::from);
    let runs: usize = value("--runs").and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut sizes: Vec<(usize, usize)> =
        args.iter().filter_map(|a| a.split_once('x').and_then(|(d, v)| Some((d.parse().ok()?, v.parse().ok()?)))).collect();
    if sizes.is_empty() {
        sizes = vec![(1000, 100)];
    }
    let profile = if cfg!(debug_assertions) { "debug build" } else { "release build" };
    println!(
        "\n| catalogue | datasets | variables | statements, confirmations, delivery reports | label of every dataset (runs) | computed / declared / missing metrics | ({profile}) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (datasets, per) in sizes {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let dir = data.clone().map_or_else(|| temp.path().to_owned(), |d| d.join(format!("{datasets}x{per}")));
        std::fs::create_dir_all(&dir).expect("the data directory");
        let store = Arc::new(EmbeddedStore::open(&dir.join("store")).expect("the store opens"));
        let index = vardkatalog::search::SearchIndex::open(&dir.join("index")).expect("the index opens");
        let cat = Arc::new(Catalogue::new(store, Minter::new(BASE), index));
        cat.seed_if_empty().expect("the seed loads");
        let spec = Spec { prefix: "l", datasets, variables_per_dataset: per };
        let last = synthetic::dataset_iri(BASE, "l", datasets.saturating_sub(1));
        let loaded = datasets == 0 || cat.public_resource(last.as_ref()).expect("read").is_some();
        if !loaded {
            let t = Instant::now();
            let step = (20_000 / per.max(1)).clamp(1, 2000);
            let mut start = 0;
            while start < datasets {
                let end = (start + step).min(datasets);
                cat.import_graph(&synthetic::chunk(BASE, &spec, start..end), &ImportOptions::published_import()).expect("import");
                start = end;
            }
            eprintln!("loaded {datasets} × {per} in {:.0} s", t.elapsed().as_secs_f64());
        }
        let state = State::temporary().expect("state");
        let labels = Labels::new(cat.clone(), state.clone());
        fill_state(&state, &labels);
        let declarations = state.label.all_declarations().expect("read").len();
        let confirmations = state.label.latest_attestations().expect("read").len();
        let reports = state.deliveries.all_deliveries().expect("read").len();
        let today = Utc::now().date_naive();
        let mut times = Vec::new();
        let mut last_snapshot = None;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let snapshot = labels.compute(today).expect("labels");
            times.push(t.elapsed().as_secs_f64());
            last_snapshot = Some(snapshot);
        }
        let snapshot = last_snapshot.expect("a run");
        let count = |s: Status| snapshot.labels.values().map(|l| l.count(s)).sum::<usize>();
        let variables =
            vardkatalog::store::queries::public_counts(cat.store()).expect("counts").get(&RecordKind::Variable).copied().unwrap_or(0);
        let shown: Vec<String> = times.iter().map(|t| format!("{t:.2} s")).collect();
        println!(
            "| seed + {datasets} × {per} | {} | {variables} | {declarations}, {confirmations}, {reports} | {} | {} / {} / {} | |",
            snapshot.labels.len(),
            shown.join(", "),
            count(Status::Computed),
            count(Status::Declared),
            count(Status::Missing),
        );
    }
}
