//! Store benchmark: the record-store contract's operations and a batch save of N records, on
//! the embedded store (RocksDB in a temporary directory) and on the remote store (a real
//! Oxigraph server on 127.0.0.1, started here), with the cost of one HTTP round trip stated; and,
//! for the choice of write path, N records sent to the engine as one SPARQL Update, as one Graph
//! Store Protocol POST, and as one PUT per graph.
//!
//! `cargo bench --bench store [-- N]` (N defaults to 1000). Needs the Oxigraph server that
//! `scripts/ensure-deps` installs (or `VARDKATALOG_OXIGRAPH`). Prints Markdown table rows.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use oxigraph::model::{Graph, Literal, NamedNode, Triple};
use vardkatalog::model::RecordKind;
use vardkatalog::store::remote::RemoteSettings;
use vardkatalog::store::{Batch, CommitId, EmbeddedStore, Expect, Filter, Record, RecordMeta, RecordState, RecordStore, RemoteStore};

const BASE: &str = "https://katalog.example.se/";
const TRIPLES: usize = 20;

fn oxigraph_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("VARDKATALOG_OXIGRAPH") {
        return PathBuf::from(p);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"));
    cache.join("vardkatalog/oxigraph-venv/bin/oxigraph")
}

struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let bin = oxigraph_binary();
        assert!(bin.is_file(), "{} is missing: run scripts/ensure-deps", bin.display());
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(bin)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--location"])
            .arg(dir.path().join("db"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { child, port, _dir: dir };
        let started = Instant::now();
        while server.post("/query", "application/sparql-query", "ASK {}".into()).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn post(&self, path: &str, content_type: &str, body: String) -> Result<(), String> {
        let http = reqwest::blocking::Client::builder().no_proxy().build().unwrap();
        let res = http
            .post(self.url(path))
            .header("content-type", content_type)
            .header("accept", "application/sparql-results+json")
            .body(body)
            .send()
            .map_err(|e| e.to_string())?;
        if res.status().is_success() { Ok(()) } else { Err(res.status().to_string()) }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn record(i: usize, title: &str) -> Record {
    let iri = NamedNode::new(format!("{BASE}dataset/bank-{i}")).unwrap();
    let mut graph = Graph::new();
    for t in 0..TRIPLES {
        graph.insert(&Triple::new(
            iri.clone(),
            NamedNode::new_unchecked(format!("https://w3id.org/vardkatalog/bench#p{t}")),
            Literal::new_language_tagged_literal_unchecked(format!("{title} {i} egenskap {t}"), "sv"),
        ));
    }
    Record {
        meta: RecordMeta {
            iri,
            kind: RecordKind::Dataset,
            state: RecordState::Published,
            version: 1,
            rev: 0,
            source: NamedNode::new_unchecked("urn:vardkatalog:source:bench"),
            content_hash: format!("{title}-{i}"),
            modified: Utc::now(),
        },
        graph,
    }
}

/// Mean milliseconds of `runs` calls.
fn mean_ms(runs: usize, mut f: impl FnMut(usize)) -> f64 {
    let t = Instant::now();
    for i in 0..runs {
        f(i);
    }
    t.elapsed().as_secs_f64() * 1000.0 / runs as f64
}

struct Figures {
    batch_s: f64,
    rows: Vec<(&'static str, f64)>,
}

fn measure(store: &dyn RecordStore, n: usize) -> Figures {
    let mut batch = Batch::new();
    for i in 0..n {
        batch.put(record(i, "Bänk"), Expect::Absent);
    }
    let t = Instant::now();
    store.commit(&batch).unwrap();
    let batch_s = t.elapsed().as_secs_f64();
    let iri = |i: usize| NamedNode::new(format!("{BASE}dataset/bank-{i}")).unwrap();
    let mut rows = Vec::new();
    rows.push((
        "commit: one new record",
        mean_ms(50, |i| {
            let mut b = Batch::new();
            b.put(record(n + i, "Ny"), Expect::Absent);
            store.commit(&b).unwrap();
        }),
    ));
    rows.push((
        "commit: one record changed (`Expect::Rev`)",
        mean_ms(50, |i| {
            let rev = store.meta(iri(i).as_ref()).unwrap().unwrap().rev;
            let mut b = Batch::new();
            b.put(record(i, "Ändrad"), Expect::Rev(rev));
            store.commit(&b).unwrap();
        }),
    ));
    rows.push((
        "commit: a conflict (stale revision)",
        mean_ms(50, |i| {
            let mut b = Batch::new();
            b.put(record(i, "Fel"), Expect::Rev(0));
            assert!(store.commit(&b).is_err());
        }),
    ));
    rows.push((
        "get (metadata and graph)",
        mean_ms(200, |i| {
            store.get(iri(i * 7 % n).as_ref()).unwrap().unwrap();
        }),
    ));
    rows.push((
        "meta",
        mean_ms(200, |i| {
            store.meta(iri(i * 7 % n).as_ref()).unwrap().unwrap();
        }),
    ));
    rows.push((
        "list: a page of 100 public records",
        mean_ms(50, |i| {
            assert_eq!(store.list(&Filter::all_public(), (i as u64 * 100) % n as u64, 100).unwrap().len(), 100);
        }),
    ));
    rows.push((
        "count (public datasets)",
        mean_ms(50, |_| {
            store.count(&Filter::public(RecordKind::Dataset)).unwrap();
        }),
    ));
    rows.push((
        "generation",
        mean_ms(200, |_| {
            store.generation().unwrap();
        }),
    ));
    rows.push((
        "find_commit (an unknown id)",
        mean_ms(100, |_| {
            assert!(store.find_commit(&CommitId::new()).unwrap().is_none());
        }),
    ));
    let g = store.generation().unwrap();
    rows.push((
        "changes_since (the last 10)",
        mean_ms(50, |_| {
            assert_eq!(store.changes_since(g - 10).unwrap().unwrap().len(), 10);
        }),
    ));
    rows.push((
        "select_public: labels of 20 records",
        mean_ms(50, |i| {
            let values: String = (0..20).map(|k| format!("{} ", iri((i * 20 + k) % n))).collect();
            store
                .select_public(&format!("SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x <https://w3id.org/vardkatalog/bench#p0> ?l }}"))
                .unwrap();
        }),
    ));
    Figures { batch_s, rows }
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1000);
    let server = Server::start();

    // the network: one HTTP round trip to the engine (POST, ASK {}, JSON answer) on loopback
    let http = reqwest::blocking::Client::builder().no_proxy().build().unwrap();
    let round_trip = mean_ms(500, |_| {
        let res = http
            .post(server.url("/query"))
            .header("content-type", "application/sparql-query")
            .header("accept", "application/sparql-results+json")
            .body("ASK {}")
            .send()
            .unwrap();
        assert!(res.status().is_success());
        res.bytes().unwrap();
    });
    println!("One HTTP round trip to the engine (`ASK {{}}`, loopback, kept-alive connection): {round_trip:.3} ms");

    let dir = tempfile::tempdir().unwrap();
    let embedded = Arc::new(EmbeddedStore::open(&dir.path().join("store")).unwrap());
    let remote = Arc::new(RemoteStore::connect(RemoteSettings::new(server.url("/query"), server.url("/update"))).unwrap());
    let e = measure(&*embedded, n);
    let r = measure(&*remote, n);
    let triples = (n * TRIPLES) as f64;
    println!();
    println!("| Operation | Embedded (RocksDB) | Remote (Oxigraph server) |");
    println!("|---|---|---|");
    println!(
        "| Batch save of {n} new records ({} triples), one commit | {:.2} s = {:.0} triples/s | {:.2} s = {:.0} triples/s |",
        n * TRIPLES,
        e.batch_s,
        triples / e.batch_s,
        r.batch_s,
        triples / r.batch_s
    );
    for ((name, em), (_, rm)) in e.rows.iter().zip(&r.rows) {
        println!("| {name} | {em:.2} ms | {rm:.2} ms |");
    }

    // the write path: N records as one SPARQL Update, one GSP POST of N-Quads, one PUT per graph
    println!();
    println!("| {n} records ({} triples) sent to a fresh Oxigraph server as | Time |", n * TRIPLES);
    println!("|---|---|");
    let graphs: Vec<(String, String)> = (0..n)
        .map(|i| {
            let r = record(i, "Väg");
            let triples: String = r.graph.iter().map(|t| format!("{t} .\n")).collect();
            (r.meta.iri.to_string(), triples)
        })
        .collect();
    let time = |f: &dyn Fn(&Server)| {
        let server = Server::start();
        let t = Instant::now();
        f(&server);
        t.elapsed().as_secs_f64()
    };
    let update = time(&|s| {
        let body: String = graphs.iter().map(|(g, t)| format!("GRAPH {g} {{ {t} }} ")).collect();
        s.post("/update", "application/sparql-update", format!("INSERT DATA {{ {body} }}")).unwrap();
    });
    println!("| one SPARQL Update (`INSERT DATA`) | {update:.2} s |");
    let guarded = time(&|s| {
        let body: String = graphs.iter().map(|(g, t)| format!("GRAPH {g} {{ {t} }} ")).collect();
        s.post("/update", "application/sparql-update", format!("INSERT {{ {body} }} WHERE {{ }}")).unwrap();
    });
    println!("| one SPARQL Update (`INSERT {{…}} WHERE {{…}}`, as a guarded operation is) | {guarded:.2} s |");
    let gsp = time(&|s| {
        let body: String =
            graphs.iter().flat_map(|(g, t)| t.lines().map(move |l| format!("{} {g} .\n", l.trim_end_matches(" .")))).collect();
        s.post("/store", "application/n-quads", body).unwrap();
    });
    println!("| one Graph Store Protocol POST of N-Quads to the dataset (an Oxigraph/Fuseki extension; not conditional) | {gsp:.2} s |");
    let put = time(&|s| {
        let http = reqwest::blocking::Client::builder().no_proxy().build().unwrap();
        for (g, t) in &graphs {
            let url = format!("{}?graph={}", s.url("/store"), urlencode(&g[1..g.len() - 1]));
            let res = http.put(url).header("content-type", "application/n-triples").body(t.clone()).send().unwrap();
            assert!(res.status().is_success());
        }
    });
    println!("| one Graph Store Protocol PUT per graph ({n} requests, not atomic) | {put:.2} s |");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
