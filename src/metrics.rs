//! Metrics in the Prometheus text format (`/metrics`), through the `prometheus` crate.
//!
//! Owns: the one registry of the process and every metric in it: requests by route pattern,
//! method and status with a latency histogram, writes to `/api/v1`, imports, harvest runs by
//! outcome with their durations, and, read when scraped, the store generation, records by kind
//! and state, the search index's generation and lag, and log lines lost.
//! Does not: know HTTP (the web layer reports each request and serves the text).

use std::sync::{Mutex, OnceLock, PoisonError};

use prometheus::{
    Encoder as _, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::catalog::Catalogue;
use crate::model::record::RecordKind;
use crate::store::{Filter, RecordState};

/// Every metric of the process.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    api_writes: IntCounterVec,
    imports: IntCounterVec,
    harvest_runs: IntCounterVec,
    harvest_seconds: HistogramVec,
    store_generation: IntGauge,
    index_generation: IntGauge,
    index_lag: IntGauge,
    records: IntGaugeVec,
    lost_log_lines: IntCounter,
    /// The generation `records` was counted at (counted again only when it moved).
    counted_at: Mutex<Option<u64>>,
}

fn counter(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels).expect("a valid metric");
    registry.register(Box::new(c.clone())).expect("registered once");
    c
}

fn gauge(registry: &Registry, name: &str, help: &str) -> IntGauge {
    let g = IntGauge::new(name, help).expect("a valid metric");
    registry.register(Box::new(g.clone())).expect("registered once");
    g
}

fn histogram(registry: &Registry, name: &str, help: &str, labels: &[&str], buckets: Vec<f64>) -> HistogramVec {
    let h = HistogramVec::new(HistogramOpts::new(name, help).buckets(buckets), labels).expect("a valid metric");
    registry.register(Box::new(h.clone())).expect("registered once");
    h
}

impl Metrics {
    fn new() -> Self {
        let registry = Registry::new();
        let requests = counter(
            &registry,
            "vardkatalog_http_requests_total",
            "HTTP requests answered, by route pattern, method and status.",
            &["route", "method", "status"],
        );
        let latency = histogram(
            &registry,
            "vardkatalog_http_request_duration_seconds",
            "Time from the request to its answer's head, by route pattern.",
            &["route"],
            vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0],
        );
        let api_writes = counter(
            &registry,
            "vardkatalog_api_writes_total",
            "Writes (POST, PUT, PATCH, DELETE) to /api/v1, by route pattern and status.",
            &["route", "status"],
        );
        let imports = counter(
            &registry,
            "vardkatalog_imports_total",
            "Imports (command line and /import), by kind (rdf, spreadsheet) and outcome.",
            &["kind", "outcome"],
        );
        let harvest_runs = counter(
            &registry,
            "vardkatalog_harvest_runs_total",
            "Harvest runs, by source and outcome (succeeded, failed).",
            &["source", "outcome"],
        );
        let harvest_seconds = histogram(
            &registry,
            "vardkatalog_harvest_run_duration_seconds",
            "Duration of harvest runs, by outcome.",
            &["outcome"],
            vec![1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0],
        );
        let store_generation = gauge(&registry, "vardkatalog_store_generation", "Batches committed to the store.");
        let index_generation = gauge(&registry, "vardkatalog_search_index_generation", "The store generation the search index reflects.");
        let index_lag = gauge(&registry, "vardkatalog_search_index_lag_generations", "Store generations the search index is behind.");
        let records =
            IntGaugeVec::new(Opts::new("vardkatalog_records", "Records in the store, by kind and workflow state."), &["kind", "state"])
                .expect("a valid metric");
        registry.register(Box::new(records.clone())).expect("registered once");
        let lost_log_lines =
            IntCounter::new("vardkatalog_log_lines_lost_total", "Log lines standard error could not take.").expect("a valid metric");
        registry.register(Box::new(lost_log_lines.clone())).expect("registered once");
        Self {
            registry,
            requests,
            latency,
            api_writes,
            imports,
            harvest_runs,
            harvest_seconds,
            store_generation,
            index_generation,
            index_lag,
            records,
            lost_log_lines,
            counted_at: Mutex::new(None),
        }
    }
}

/// The process's metrics.
pub fn global() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

/// One answered request: its route pattern (`/dataset/{id}`; `unmatched` for the 404 of no
/// route), method, status and time.
pub fn request(route: &str, method: &str, status: u16, seconds: f64) {
    let m = global();
    let status = status.to_string();
    m.requests.with_label_values(&[route, method, &status]).inc();
    m.latency.with_label_values(&[route]).observe(seconds);
    if route.starts_with("/api/v1") && matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") {
        m.api_writes.with_label_values(&[route, &status]).inc();
    }
}

/// One import: `kind` rdf or spreadsheet; whether it was saved.
pub fn imported(kind: &str, ok: bool) {
    global().imports.with_label_values(&[kind, if ok { "saved" } else { "refused" }]).inc();
}

/// One finished harvest run.
pub fn harvest_run(source: &str, succeeded: bool, seconds: f64) {
    let outcome = if succeeded { "succeeded" } else { "failed" };
    let m = global();
    m.harvest_runs.with_label_values(&[source, outcome]).inc();
    m.harvest_seconds.with_label_values(&[outcome]).observe(seconds);
}

/// The text of `/metrics`: the counters, and the gauges read from the catalogue now (records by
/// kind and state are counted again only when the store generation moved).
pub fn render(catalogue: &Catalogue) -> String {
    let m = global();
    let store = catalogue.store();
    if let Ok(generation) = store.generation() {
        m.store_generation.set(i64::try_from(generation).unwrap_or(i64::MAX));
        let index = catalogue.index().generation();
        m.index_generation.set(index.map_or(-1, |i| i64::try_from(i).unwrap_or(i64::MAX)));
        m.index_lag.set(i64::try_from(generation.saturating_sub(index.unwrap_or(0))).unwrap_or(i64::MAX));
        let mut counted = m.counted_at.lock().unwrap_or_else(PoisonError::into_inner);
        if *counted != Some(generation) {
            let mut ok = true;
            for kind in RecordKind::ALL {
                for state in RecordState::ALL {
                    match store.count(&Filter { kind: Some(kind), states: Some(vec![state]) }) {
                        Ok(n) => m.records.with_label_values(&[kind.as_str(), state_name(state)]).set(i64::try_from(n).unwrap_or(i64::MAX)),
                        Err(_) => ok = false,
                    }
                }
            }
            if ok {
                *counted = Some(generation);
            }
        }
    }
    let lost = crate::logging::LOST_LINES.load(std::sync::atomic::Ordering::Relaxed);
    m.lost_log_lines.inc_by(lost.saturating_sub(m.lost_log_lines.get()));
    let mut out = Vec::new();
    TextEncoder::new().encode(&m.registry.gather(), &mut out).expect("the text encoder writes to memory");
    String::from_utf8(out).expect("the text format is UTF-8")
}

fn state_name(state: RecordState) -> &'static str {
    match state {
        RecordState::Draft => "draft",
        RecordState::InReview => "in_review",
        RecordState::Published => "published",
        RecordState::Retired => "retired",
    }
}
