//! Quality-score benchmark: how long `validate::quality` takes to score the seed catalogue and a
//! synthetic catalogue, offline, with and without the DCAT-AP SHACL check.
//!
//! Run: `cargo bench --bench quality -- 10000` (release), or in a debug build with
//! `cargo test --locked --bench quality -- 10000` (label such figures as debug). Arguments are
//! synthetic catalogue sizes (datasets; 0 = the seed alone). The SHACL check reads the official
//! shapes from ../shared/standards/dcat-ap-3.0.1 when that directory exists; add `noshacl` to
//! skip it. Prints a Markdown table for BENCHMARKS.md.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use vardkatalog::catalog::{Catalogue, ImportOptions};
use vardkatalog::config::QualitySettings;
use vardkatalog::model::Minter;
use vardkatalog::store::EmbeddedStore;
use vardkatalog::synthetic::{self, Spec};
use vardkatalog::validate::quality::{Quality, load_dcat_ap_shapes};

const BASE: &str = "https://katalog.example.se/";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let shacl = !args.iter().any(|a| a == "noshacl");
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![0, 10_000];
    }
    let shapes_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/standards/dcat-ap-3.0.1");
    let profile = if cfg!(debug_assertions) { "debug build" } else { "release build" };
    println!("\n| catalogue | datasets | scoring offline, no SHACL | scoring offline, DCAT-AP SHACL | catalogue score | ({profile}) |");
    println!("|---|---|---|---|---|---|");
    for size in sizes {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Arc::new(EmbeddedStore::open(&dir.path().join("store")).expect("the store opens"));
        let index = vardkatalog::search::SearchIndex::open(&dir.path().join("index")).expect("the index opens");
        let cat = Arc::new(Catalogue::new(store, Minter::new(BASE), index));
        cat.seed_if_empty().expect("the seed loads");
        let spec = Spec { prefix: "q", datasets: size, variables_per_dataset: 0 };
        let mut start = 0;
        while start < size {
            let end = (start + 2000).min(size);
            cat.import_graph(&synthetic::chunk(BASE, &spec, start..end), &ImportOptions::published_import()).expect("import");
            start = end;
        }
        let plain = Quality::with_shapes(cat.clone(), Default::default(), QualitySettings::default(), None);
        let t = Instant::now();
        let score = plain.assess(false).expect("scored");
        let offline = t.elapsed();
        let with_shacl = if shacl && shapes_dir.is_dir() {
            let shapes = load_dcat_ap_shapes(&shapes_dir).expect("the shapes load");
            let q = Quality::with_shapes(cat.clone(), Default::default(), QualitySettings::default(), Some(shapes));
            let t = Instant::now();
            let s = q.assess(false).expect("scored");
            let failing =
                s.datasets.iter().filter(|d| d.result(vardkatalog::validate::mqa::Indicator::DcatApCompliance).earned == 0).count();
            format!("{:.1} s ({failing} not compliant)", t.elapsed().as_secs_f64())
        } else {
            "–".to_owned()
        };
        println!(
            "| {} | {} | {:.2} s | {with_shacl} | {:.1} ({}) | |",
            if size == 0 { "seed".to_owned() } else { format!("seed + {size} synthetic") },
            score.datasets.len(),
            offline.as_secs_f64(),
            score.total(),
            score.rating().id(),
        );
    }
}
