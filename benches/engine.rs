//! Engine benchmark (issue 15): the write path and derived data beside their anchors, on the same
//! generated catalogue file, in the same run.
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/targets/i15-perf-release nice -n 10 cargo bench --locked --bench engine -- \
//!     --size S [--dir /tmp/i15] [--rows import,export,reindex,quality,validate] [--keep] \
//!     [--venv ~/.cache/vardkatalog/anchors-venv] [--anchor-timeout 1200]
//! ```
//!
//! Sizes: `S` (100 datasets × 50 variables), `M` (1,000 × 100), `L` (5,000 × 200), or `DxV`.
//! Every fifth variable has a code list of 13 codes (`vardkatalog::synthetic::write_catalogue`).
//!
//! What it does: writes the catalogue as Turtle into `{dir}/{size}/catalog.ttl` (kept for the
//! next run), creates a Python virtual environment in `~/.cache/vardkatalog/anchors-venv` with
//! pinned pyoxigraph, rdflib and pySHACL (once), then for each row runs our command (the release `vardkatalog`
//! binary, as a user would, under `/usr/bin/time` for the wall time and the peak resident
//! memory) and its anchor (`benches/anchors.py`) on the same file, and prints a table of the
//! figures and ratios. Each run also appends its rows as JSON lines to `{dir}/results.jsonl`.
//! The data directories are deleted at the end unless `--keep`. rdflib and pySHACL are stopped
//! after `--anchor-timeout` seconds (rdflib's Turtle serialiser needs about half an hour at M);
//! a stopped anchor is reported as "more than" its bound, and its ratio as "at least".

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vardkatalog::synthetic::{self, CatalogueSpec};

const BASE: &str = "https://vardkatalog.example/";
const PYOXIGRAPH: &str = "pyoxigraph==0.5.13";
const RDFLIB: &str = "rdflib==7.6.0";
const PYSHACL: &str = "pyshacl==0.40.1";

struct Args {
    size: String,
    spec: CatalogueSpec,
    dir: PathBuf,
    rows: Vec<String>,
    keep: bool,
    venv: PathBuf,
    anchor_timeout: f64,
}

fn args() -> Args {
    let mut size = "S".to_owned();
    let mut dir = PathBuf::from("/tmp/i15");
    let mut rows = "import,export,reindex,quality,validate".to_owned();
    let mut keep = false;
    let mut venv = PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/tmp".into())).join(".cache/vardkatalog/anchors-venv");
    let mut anchor_timeout = 1200.0;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--size" => size = it.next().expect("--size S|M|L|DxV"),
            "--dir" => dir = PathBuf::from(it.next().expect("--dir DIR")),
            "--rows" => rows = it.next().expect("--rows a,b"),
            "--keep" => keep = true,
            "--venv" => venv = PathBuf::from(it.next().expect("--venv DIR")),
            "--anchor-timeout" => anchor_timeout = it.next().and_then(|s| s.parse().ok()).expect("--anchor-timeout SECONDS"),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    let spec = match size.as_str() {
        "S" => CatalogueSpec { datasets: 100, variables_per_dataset: 50 },
        "M" => CatalogueSpec { datasets: 1000, variables_per_dataset: 100 },
        "L" => CatalogueSpec { datasets: 5000, variables_per_dataset: 200 },
        other => {
            let (d, v) = other.split_once('x').expect("a size is S, M, L or DxV");
            CatalogueSpec { datasets: d.parse().expect("datasets"), variables_per_dataset: v.parse().expect("variables") }
        }
    };
    Args { size, spec, dir, rows: rows.split(',').map(str::to_owned).collect(), keep, venv, anchor_timeout }
}

/// Wall time and peak memory of one command.
#[derive(Clone, Copy, Debug, Default)]
struct Run {
    seconds: f64,
    peak_mb: f64,
}

/// Runs our binary under `/usr/bin/time`; returns the figures and its standard output.
fn ours(data: &Path, args: &[&str]) -> (Run, String) {
    let bin = env!("CARGO_BIN_EXE_vardkatalog");
    let timing = data.with_extension("time");
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(&timing)
        .arg(bin)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("VARDKATALOG_BASE_IRI", BASE)
        // the quality score checks DCAT-AP compliance with the official shapes (SHACL included)
        .env("VARDKATALOG_QUALITY_DCAT_AP_SHAPES", concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/standards/dcat-ap-3.0.1"))
        // the import logs its phases with their times (kept in `{data}.log`)
        .env("RUST_LOG", "warn,vardkatalog::catalog=info")
        .output()
        .expect("run vardkatalog");
    let wall = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(data.with_extension("log")).expect("log");
    let _ = std::io::Write::write_all(&mut log, format!("$ vardkatalog {}\n", args.join(" ")).as_bytes());
    let _ = std::io::Write::write_all(&mut log, &output.stderr);
    // `validate` exits 1 when it found something: that is a finished run
    let finished = output.status.success() || (args.first() == Some(&"validate") && output.status.code() == Some(1));
    if !finished {
        panic!("vardkatalog {args:?} failed: {}\n{}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    let text = std::fs::read_to_string(&timing).unwrap_or_default();
    let last = text.lines().last().unwrap_or_default().to_owned();
    let mut parts = last.split_whitespace();
    let seconds = parts.next().and_then(|s| s.parse().ok()).unwrap_or(wall);
    let kb: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    (Run { seconds, peak_mb: kb / 1024.0 }, stdout)
}

/// Runs an anchor; returns its JSON lines merged into one object.
fn anchor(venv: &Path, args: &[&str]) -> serde_json::Value {
    anchor_bounded(venv, args, f64::INFINITY).0
}

/// [`anchor`] stopped after `timeout` seconds: the lines it printed until then, and whether it
/// was stopped.
fn anchor_bounded(venv: &Path, args: &[&str], timeout: f64) -> (serde_json::Value, bool) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/anchors.py");
    let mut child = Command::new(venv.join("bin/python"))
        .arg(script)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let mut stopped = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for python") {
            break status;
        }
        if started.elapsed().as_secs_f64() > timeout {
            let _ = child.kill();
            stopped = true;
            break child.wait().expect("wait for python");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = reader.join().expect("reader");
    if !stopped && !status.success() {
        let mut err = String::new();
        let _ = child.stderr.take().expect("stderr").read_to_string(&mut err);
        panic!("anchor {args:?} failed: {err}");
    }
    let mut merged = serde_json::Map::new();
    for line in text.lines() {
        if let Ok(serde_json::Value::Object(o)) = serde_json::from_str(line) {
            merged.extend(o);
        }
    }
    (serde_json::Value::Object(merged), stopped)
}

/// An anchor's seconds, or "more than" its bound when it was stopped before it reported them.
fn secs(v: &serde_json::Value, key: &str, bound: f64) -> (f64, &'static str) {
    match v.get(key).and_then(serde_json::Value::as_f64) {
        Some(s) => (s, ""),
        None => (bound, "> "),
    }
}

fn f(v: &serde_json::Value, key: &str) -> f64 {
    v.get(key).and_then(serde_json::Value::as_f64).unwrap_or(f64::NAN)
}

fn ensure_venv(venv: &Path) -> PathBuf {
    let venv = venv.to_path_buf();
    let marker = venv.join(format!("{PYOXIGRAPH}-{RDFLIB}-{PYSHACL}"));
    if !marker.exists() {
        eprintln!("creating the anchors' virtual environment in {}", venv.display());
        let ok = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().expect("python3 -m venv").success();
        assert!(ok, "python3 -m venv failed");
        let ok =
            Command::new(venv.join("bin/pip")).args(["install", "--quiet", PYOXIGRAPH, RDFLIB, PYSHACL]).status().expect("pip").success();
        assert!(ok, "pip install failed");
        std::fs::write(&marker, b"").expect("marker");
    }
    venv
}

fn ensure_catalogue(dir: &Path, spec: &CatalogueSpec) -> (PathBuf, u64) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let file = dir.join("catalog.ttl");
    let count_file = dir.join("catalog.count");
    if let (true, Ok(n)) = (file.exists(), std::fs::read_to_string(&count_file))
        && let Ok(n) = n.trim().parse()
    {
        return (file, n);
    }
    let started = Instant::now();
    let out = std::io::BufWriter::new(std::fs::File::create(&file).expect("create catalog.ttl"));
    let n = synthetic::write_catalogue(out, BASE, spec).expect("write the catalogue");
    std::fs::write(&count_file, n.to_string()).expect("count");
    eprintln!("generated {} ({n} triples) in {:.1} s", file.display(), started.elapsed().as_secs_f64());
    (file, n)
}

struct Table {
    rows: Vec<(String, String, String, String)>,
    json: Vec<serde_json::Value>,
}

impl Table {
    fn row(&mut self, work: &str, ours: String, anchor: String, ratio: String, json: serde_json::Value) {
        eprintln!("{work}: {ours} | {anchor} | {ratio}");
        self.rows.push((work.to_owned(), ours, anchor, ratio));
        self.json.push(json);
    }
}

fn remove(p: &Path) {
    let _ = std::fs::remove_dir_all(p);
    let _ = std::fs::remove_file(p);
}

fn main() {
    let a = args();
    let root = a.dir.join(&a.size);
    let (file, triples) = ensure_catalogue(&root, &a.spec);
    let file_s = file.to_str().expect("utf-8 path");
    let venv = ensure_venv(&a.venv);
    let data = root.join("data");
    let ox = root.join("ox");
    let mut t = Table { rows: Vec::new(), json: Vec::new() };
    let has = |r: &str| a.rows.iter().any(|x| x == r);
    let mut import_seconds = f64::NAN;
    let rdflib_out = root.join("rdflib");
    let mut rdflib = serde_json::Value::Null;
    let mut rdflib_stopped = false;

    if has("import") || has("export") || has("reindex") || has("quality") {
        remove(&data);
        remove(&ox);
        let (run, stdout) = ours(&data, &["import", file_s]);
        import_seconds = run.seconds;
        let py = anchor(&venv, &["load", ox.to_str().unwrap(), file_s, "ttl"]);
        let py_s = f(&py, "seconds");
        // rdflib parses the file, then serialises it (N-Triples, then Turtle) for the export rows
        let (parse_s, parse_more) = if has("export") || has("rdflib") {
            let (v, stopped) = anchor_bounded(
                &venv,
                &["rdflib", file_s, rdflib_out.with_extension("ttl").to_str().unwrap(), rdflib_out.with_extension("nt").to_str().unwrap()],
                a.anchor_timeout,
            );
            rdflib = v;
            rdflib_stopped = stopped;
            secs(&rdflib, "parse_seconds", a.anchor_timeout)
        } else {
            (f64::NAN, "")
        };
        t.row(
            "import",
            format!("{:.1} s ({:.0} triples/s), peak {:.0} MB", run.seconds, triples as f64 / run.seconds, run.peak_mb),
            format!(
                "pyoxigraph Store.load {:.1} s, peak {:.0} MB; rdflib parse {parse_more}{:.1} s, peak {:.0} MB",
                py_s,
                f(&py, "peak_mb"),
                parse_s,
                f(&rdflib, "peak_mb")
            ),
            format!("{:.2}× pyoxigraph, {parse_more}{:.2}× rdflib parse", py_s / run.seconds, parse_s / run.seconds),
            serde_json::json!({"row": "import", "size": a.size, "triples": triples, "seconds": run.seconds,
                "peak_mb": run.peak_mb, "anchor_seconds": py_s, "anchor_peak_mb": f(&py, "peak_mb"),
                "rdflib_parse_seconds": parse_s, "report": stdout.trim()}),
        );
    }

    if has("export") {
        for fmt in ["ttl", "nt"] {
            let out = root.join(format!("export.{fmt}"));
            let (run, _) = ours(&data, &["export", "--format", fmt, "--output", out.to_str().unwrap()]);
            let ox_out = root.join(format!("ox-dump.{fmt}"));
            let py = anchor(&venv, &["dump", ox.to_str().unwrap(), ox_out.to_str().unwrap(), fmt]);
            let py_s = f(&py, "seconds");
            let (rdflib_s, more) = secs(&rdflib, if fmt == "ttl" { "ttl_seconds" } else { "nt_seconds" }, a.anchor_timeout);
            // stopped: the step ran at least for the bound less the steps before it
            let rdflib_s = if more.is_empty() {
                rdflib_s
            } else {
                a.anchor_timeout - f(&rdflib, "parse_seconds") - if fmt == "ttl" { f(&rdflib, "nt_seconds") } else { 0.0 }
            };
            let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            t.row(
                &format!("export {fmt}"),
                format!("{:.1} s, {:.0} MB written, peak {:.0} MB", run.seconds, bytes as f64 / 1e6, run.peak_mb),
                format!("pyoxigraph dump {:.1} s; rdflib serialise {more}{:.1} s", py_s, rdflib_s),
                format!("{:.2}× pyoxigraph, {more}{:.1}× rdflib", py_s / run.seconds, rdflib_s / run.seconds),
                serde_json::json!({"row": format!("export {fmt}"), "size": a.size, "seconds": run.seconds, "peak_mb": run.peak_mb,
                    "bytes": bytes, "pyoxigraph_seconds": py_s, "rdflib_seconds": rdflib_s, "rdflib_stopped": rdflib_stopped}),
            );
            remove(&out);
            remove(&ox_out);
        }
        remove(&rdflib_out.with_extension("ttl"));
        remove(&rdflib_out.with_extension("nt"));
    }

    if has("reindex") {
        let (run, stdout) = ours(&data, &["reindex"]);
        let docs: f64 = stdout.split_whitespace().nth(4).and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
        t.row(
            "reindex",
            format!("{:.1} s, {docs} documents ({:.0} documents/s), peak {:.0} MB", run.seconds, docs / run.seconds, run.peak_mb),
            format!("import {:.1} s", import_seconds),
            format!("{:.1} % of the import", 100.0 * run.seconds / import_seconds),
            serde_json::json!({"row": "reindex", "size": a.size, "seconds": run.seconds, "documents": docs, "peak_mb": run.peak_mb,
                "import_seconds": import_seconds}),
        );
    }

    if has("quality") {
        let (run, stdout) = ours(&data, &["quality", "--json"]);
        let score: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
        let scored = score.get("datasets").and_then(serde_json::Value::as_u64).unwrap_or(0);
        let shacl = score.get("compliance_checked").and_then(serde_json::Value::as_bool).unwrap_or(false);
        t.row(
            "quality (full score)",
            format!(
                "{:.1} s, {scored} datasets scored, DCAT-AP SHACL {}, peak {:.0} MB",
                run.seconds,
                if shacl { "included" } else { "not checked" },
                run.peak_mb
            ),
            format!("import {:.1} s", import_seconds),
            format!("{:.1} % of the import", 100.0 * run.seconds / import_seconds),
            serde_json::json!({"row": "quality", "size": a.size, "seconds": run.seconds, "peak_mb": run.peak_mb, "import_seconds": import_seconds}),
        );
    }

    if has("validate") {
        let (run, stdout) = ours(&root.join("validate-data"), &["validate", file_s, "--profile", "dcat-ap-se", "--json"]);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
        let ours_findings = report.get("findings").and_then(|f| f.as_array()).map_or(0, Vec::len);
        let shapes = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/dcat-ap-se.ttl");
        let (py, _) = anchor_bounded(&venv, &["shacl", file_s, shapes], a.anchor_timeout);
        let (py_s, more) = secs(&py, "seconds", a.anchor_timeout);
        let results: u64 = py.get("results").and_then(|r| r.as_object()).map_or(0, |r| r.values().filter_map(|v| v.as_u64()).sum());
        t.row(
            "validate (DCAT-AP-SE shapes)",
            format!("{:.1} s, {ours_findings} findings, peak {:.0} MB", run.seconds, run.peak_mb),
            if more.is_empty() {
                format!(
                    "pySHACL {:.1} s (+ rdflib parse {:.1} s), {results} results {}, peak {:.0} MB",
                    py_s,
                    f(&py, "parse_seconds"),
                    py.get("results").cloned().unwrap_or_default(),
                    f(&py, "peak_mb")
                )
            } else {
                format!("pySHACL not finished (stopped at {:.0} s, data parsing included)", a.anchor_timeout)
            },
            format!(
                "{more}{:.2}× pySHACL, {more}{:.2}× with its parse",
                py_s / run.seconds,
                (py_s + f(&py, "parse_seconds")) / run.seconds
            ),
            serde_json::json!({"row": "validate", "size": a.size, "seconds": run.seconds, "findings": ours_findings,
                "peak_mb": run.peak_mb, "anchor_seconds": py_s, "anchor": py}),
        );
        remove(&root.join("validate-data"));
    }

    println!("\n{} ({} datasets × {} variables, {triples} triples)\n", a.size, a.spec.datasets, a.spec.variables_per_dataset);
    println!("| Work | Vårdkatalogen | Anchor | Ratio |\n|---|---|---|---|");
    for (w, o, an, r) in &t.rows {
        println!("| {w} | {o} | {an} | {r} |");
    }
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(a.dir.join("results.jsonl")).expect("results");
    for j in &t.json {
        use std::io::Write as _;
        let _ = writeln!(log, "{j}");
    }
    if !a.keep {
        remove(&data);
        remove(&ox);
    }
}
