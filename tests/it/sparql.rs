//! `/sparql` through a real server: the SPARQL 1.1 Protocol, the answer formats, read-only,
//! only published records, the time limit and the result cap, and the page for people.

use reqwest::StatusCode;
use vardkatalog::catalog::ImportOptions;
use vardkatalog::model::vocab::{dcat, dct};
use vardkatalog::store::RecordState;

use crate::support::{BASE, client, parse_rdf, shared_server, start_server, start_server_with};

/// `url?k=v&…`, percent-encoded.
fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    format!("{url}?{}", serde_urlencoded::to_string(pairs).unwrap())
}

fn json(res: reqwest::blocking::Response) -> serde_json::Value {
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/sparql-results+json"));
    serde_json::from_str(&res.text().unwrap()).unwrap()
}

fn select_get(url: &str, query: &str) -> reqwest::blocking::Response {
    client().get(with_query(url, &[("query", query)])).header("accept", "application/sparql-results+json").send().unwrap()
}

const COUNT_DATASETS: &str = "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset }";

fn count(v: &serde_json::Value) -> u64 {
    v["results"]["bindings"][0]["n"]["value"].as_str().unwrap().parse().unwrap()
}

#[test]
fn get_post_and_form_post_answer_the_same() {
    let s = shared_server();
    let url = s.url("/sparql");
    let expected = s.catalogue.public_counts().unwrap()[&vardkatalog::model::record::RecordKind::Dataset];
    assert_eq!(count(&json(select_get(&url, COUNT_DATASETS))), expected);
    let res = client()
        .post(&url)
        .header("content-type", "application/sparql-query")
        .header("accept", "application/sparql-results+json")
        .body(COUNT_DATASETS)
        .send()
        .unwrap();
    assert_eq!(count(&json(res)), expected);
    let res = client()
        .post(&url)
        .header("accept", "application/sparql-results+json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("query", COUNT_DATASETS)]).unwrap())
        .send()
        .unwrap();
    assert_eq!(count(&json(res)), expected);
    let res = client().post(&url).header("content-type", "text/plain").body(COUNT_DATASETS).send().unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = client().get(&url).header("accept", "application/sparql-results+json").send().unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no query");
}

#[test]
fn answers_in_every_results_format_and_rdf_format() {
    let s = shared_server();
    let url = s.url("/sparql");
    let q = "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?t WHERE { ?d dct:title ?t } ORDER BY ?t LIMIT 3";
    for (accept, media, needle) in [
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "t\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", "?t\n"),
        ("*/*", "application/sparql-results+json", "\"bindings\""),
    ] {
        let res = client().get(with_query(&url, &[("query", q)])).header("accept", accept).send().unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with(media), "{accept}");
        assert!(res.text().unwrap().contains(needle), "{accept}");
    }
    let res = client().get(with_query(&url, &[("query", q), ("format", "csv")])).header("accept", "application/json").send().unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"), "format= overrides Accept");
    let ask = "ASK { ?s ?p ?o }";
    let v = json(select_get(&url, ask));
    assert_eq!(v["boolean"], true);

    let construct = "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> CONSTRUCT { ?d dct:title ?t } WHERE { ?d a dcat:Dataset ; dct:title ?t }".to_string();
    for media in ["text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples"] {
        let res = client().get(with_query(&url, &[("query", &construct)])).header("accept", media).send().unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{media}");
        let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.starts_with(media), "{ct}");
        let g = parse_rdf(&res.bytes().unwrap(), &ct);
        assert!(g.triples_for_predicate(dct::TITLE).count() >= 14, "{media}");
    }
    let describe = format!("DESCRIBE <{BASE}dataset/lisa>");
    let res = client().get(with_query(&url, &[("query", &describe)])).header("accept", "application/n-triples").send().unwrap();
    let g = parse_rdf(&res.bytes().unwrap(), "application/n-triples");
    assert!(g.triples_for_predicate(dcat::DISTRIBUTION_PROP).next().is_some());
}

#[test]
fn updates_are_refused() {
    let s = shared_server();
    let url = s.url("/sparql");
    let update = format!("INSERT DATA {{ <{BASE}x> <{BASE}y> <{BASE}z> }}");
    let attempts = [
        client().get(with_query(&url, &[("update", &update)])).send().unwrap(),
        client().get(with_query(&url, &[("query", &update)])).send().unwrap(),
        client().post(&url).header("content-type", "application/sparql-update").body(update.clone()).send().unwrap(),
        client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string([("update", &update)]).unwrap())
            .send()
            .unwrap(),
        client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string([("query", &update)]).unwrap())
            .send()
            .unwrap(),
    ];
    for res in attempts {
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.text().unwrap().contains("read-only"));
    }
    let v = json(select_get(&url, &format!("ASK {{ <{BASE}x> ?p ?o }}")));
    assert_eq!(v["boolean"], false, "nothing was written");
    let res = select_get(&url, "SELEKT ?x WHERE { ?x ?y ?z }");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().unwrap().contains("not valid SPARQL"));
}

#[test]
fn only_published_records_are_visible() {
    let s = start_server();
    let url = s.url("/sparql");
    let draft = format!(
        "<{BASE}dataset/hemlig> a <{}> ; <{}> \"Hemligt utkast\"@sv ; <{}> \"Ej publicerad\"@sv .",
        dcat::DATASET.as_str(),
        dct::TITLE.as_str(),
        dct::DESCRIPTION.as_str()
    );
    let options = ImportOptions { state: RecordState::Draft, ..ImportOptions::published_import() };
    s.catalogue.import_document(draft.as_bytes(), oxigraph::io::RdfFormat::Turtle, &options).unwrap();

    for q in [
        format!("ASK {{ <{BASE}dataset/hemlig> ?p ?o }}"),
        format!("ASK {{ GRAPH <{BASE}dataset/hemlig> {{ ?s ?p ?o }} }}"),
        "ASK { ?s ?p \"Hemligt utkast\"@sv }".to_owned(),
        "ASK { GRAPH ?g { ?s ?p \"Hemligt utkast\"@sv } }".to_owned(),
        "ASK { GRAPH <urn:vardkatalog:records> { ?s ?p ?o } }".to_owned(),
        "ASK { ?s <https://w3id.org/vardkatalog/ns#state> ?o }".to_owned(),
        "ASK { GRAPH ?g { ?s <https://w3id.org/vardkatalog/ns#contentHash> ?o } }".to_owned(),
    ] {
        assert_eq!(json(select_get(&url, &q))["boolean"], false, "{q}");
    }
    let v = json(select_get(&url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"));
    let public: u64 = s.catalogue.public_counts().unwrap().values().sum();
    assert_eq!(count(&v), public, "the named graphs are the public record graphs");
    for (q, graph) in [
        ("SELECT * FROM <urn:vardkatalog:records> WHERE { ?s ?p ?o }".to_owned(), "urn:vardkatalog:records"),
        (format!("SELECT * FROM NAMED <{BASE}dataset/hemlig> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"), "hemlig"),
    ] {
        let res = select_get(&url, &q);
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{q}");
        assert!(res.text().unwrap().contains(graph));
    }
    let res =
        client().get(with_query(&url, &[("query", "ASK { ?s ?p ?o }"), ("default-graph-uri", "urn:vardkatalog:records")])).send().unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // a public graph may be chosen
    let v = json(
        client()
            .get(with_query(&url, &[("query", COUNT_DATASETS), ("default-graph-uri", &format!("{BASE}dataset/lisa"))]))
            .header("accept", "application/sparql-results+json")
            .send()
            .unwrap(),
    );
    assert_eq!(count(&v), 1);
}

#[test]
fn service_is_refused_and_the_time_limit_and_result_cap_hold() {
    let s = start_server_with(|c| {
        c.sparql.timeout_ms = 300;
        c.sparql.max_rows = 5;
    });
    let url = s.url("/sparql");
    let res = select_get(&url, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().unwrap().contains("SERVICE"));

    let res = select_get(&url, "SELECT ?s WHERE { ?s ?p ?o }");
    assert_eq!(res.headers()["x-sparql-truncated"], "true");
    assert_eq!(res.headers()["x-sparql-maxrows"], "5");
    assert_eq!(json(res)["results"]["bindings"].as_array().unwrap().len(), 5);

    let started = std::time::Instant::now();
    let res = select_get(&url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(CONCAT(STR(?c), STR(?f)) != \"\") }");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.text().unwrap().contains("300 ms"));
    assert!(started.elapsed().as_secs() < 20, "cancelled, not run to the end: {:?}", started.elapsed());
}

#[test]
fn the_public_default_graph_follows_every_write() {
    use oxigraph::model::NamedNode;
    let cat = crate::support::seeded_catalogue();
    let ask = |q: &str| {
        let pattern = q.strip_prefix("ASK ").expect("ASK");
        !cat.store().select_public(&format!("SELECT * WHERE {pattern} LIMIT 1")).unwrap().is_empty()
    };
    let turtle = |id: &str, shared: &str| {
        format!(
            "<{BASE}dataset/{id}> a <{}> ; <{}> \"{id}\"@sv ; <{}> \"{shared}\"@sv .",
            dcat::DATASET.as_str(),
            dct::TITLE.as_str(),
            dct::DESCRIPTION.as_str()
        )
    };
    let import = |text: String, state: RecordState| {
        let options = ImportOptions { state, ..ImportOptions::published_import() };
        cat.import_document(text.as_bytes(), oxigraph::io::RdfFormat::Turtle, &options).unwrap();
    };
    assert!(ask(&format!("ASK {{ <{BASE}dataset/lisa> ?p ?o }}")), "the seed is public");
    assert!(!ask("ASK { ?s <https://w3id.org/vardkatalog/ns#state> ?o }"), "metadata never is");
    import(turtle("a", "delad"), RecordState::Draft);
    assert!(!ask(&format!("ASK {{ <{BASE}dataset/a> ?p ?o }}")), "a draft is not public");
    import(turtle("a", "delad"), RecordState::Published);
    assert!(ask(&format!("ASK {{ <{BASE}dataset/a> ?p ?o }}")), "published");
    import(turtle("a", "ändrad"), RecordState::Published);
    assert!(!ask("ASK { ?s ?p \"delad\"@sv }") && ask("ASK { ?s ?p \"ändrad\"@sv }"), "a new version replaces the old one");
    // a triple two public records assert stays until neither does
    let shared = |id: &str| {
        format!(
            "<{BASE}dataset/{id}> <{}> <https://example.org/kontakt> . <https://example.org/kontakt> <{}> \"gemensam\"@sv .",
            dcat::CONTACT_POINT.as_str(),
            vardkatalog::model::vocab::vcard::FN.as_str()
        )
    };
    import(format!("{} {}", turtle("b", "b"), shared("b")), RecordState::Published);
    import(format!("{} {}", turtle("c", "c"), shared("c")), RecordState::Published);
    assert_eq!(
        cat.store().graph(NamedNode::new_unchecked(format!("{BASE}dataset/b")).as_ref()).unwrap().len(),
        5,
        "both records hold the contact"
    );
    let mut batch = vardkatalog::store::Batch::new();
    batch.delete(NamedNode::new_unchecked(format!("{BASE}dataset/b")), vardkatalog::store::Expect::Any);
    cat.store().commit(&batch).unwrap();
    assert!(ask("ASK { ?s ?p \"gemensam\"@sv }"), "still asserted by c");
    import(format!("{} {}", turtle("c", "c"), shared("c")), RecordState::Draft);
    assert!(!ask("ASK { ?s ?p \"gemensam\"@sv }") && !ask(&format!("ASK {{ <{BASE}dataset/c> ?p ?o }}")), "back to draft: gone");
}

#[test]
fn the_example_queries_answer() {
    let s = shared_server();
    for q in vardkatalog_examples() {
        let v = json(select_get(&s.url("/sparql"), &q));
        let rows = v["results"]["bindings"].as_array().unwrap().len();
        assert!(rows > 0, "no rows for\n{q}");
    }
}

fn vardkatalog_examples() -> Vec<String> {
    // the page links every example: read them from there, as a person would
    let html = client().get(shared_server().url("/sparql")).header("accept", "text/html").send().unwrap().text().unwrap();
    let mut out = Vec::new();
    for part in html.split("href=\"/sparql?query=").skip(1) {
        let encoded = part.split('"').next().unwrap().replace("&amp;", "&");
        out.push(vardkatalog::model::ids::decode_segment(&encoded));
    }
    assert_eq!(out.len(), 3, "three example queries");
    out
}

#[test]
fn the_page_for_people() {
    let s = shared_server();
    let res = client().get(s.url("/sparql")).header("accept", "text/html").send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().unwrap();
    assert!(html.contains("<html lang=\"sv\">") && html.contains("SPARQL-gränssnitt"));
    assert!(html.contains("<form method=\"get\" action=\"/sparql\"") && html.contains("<textarea id=\"query\" name=\"query\""));
    for title in ["Variabler i ett register", "Datamängder per hälsodatakategori", "Kodlistor per kodverk"] {
        assert!(html.contains(title), "{title}");
    }
    let html = client().get(s.url("/sparql?lang=en")).header("accept", "text/html").send().unwrap().text().unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Example queries"));

    // the form submitted by a browser: the answer as a table on the page
    let res = client()
        .get(with_query(
            &s.url("/sparql"),
            &[
                (
                    "query",
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?kod WHERE { ?c skos:notation ?kod } ORDER BY ?kod LIMIT 2",
                ),
                ("format", "html"),
            ],
        ))
        .header("accept", "text/html")
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().unwrap();
    assert!(html.contains("<th scope=\"col\">kod</th>"), "a results table");
    let res = client().get(with_query(&s.url("/sparql"), &[("query", "SELECT nonsense")])).header("accept", "text/html").send().unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().unwrap().contains("Frågan besvarades inte"));
}

// ---- stopped queries stop: a server in its own process, so its CPU time and memory are its own

/// User plus system CPU time of a process, in clock ticks (1/100 s).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// A line of `/proc/{pid}/status` in kB (`VmRSS`, `VmHWM`).
fn status_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// How long until the process's CPU time stops growing (less than 30 ms in a 300 ms window),
/// or `None` if it still grows after `within`.
fn quiet_after(pid: u32, within: std::time::Duration) -> Option<std::time::Duration> {
    let started = std::time::Instant::now();
    let mut last = cpu_ticks(pid);
    while started.elapsed() < within {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let now = cpu_ticks(pid);
        if now - last < 3 {
            return Some(started.elapsed());
        }
        last = now;
    }
    None
}

const CARTESIAN_ORDERED: &str = "SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f";

#[test]
fn a_query_stopped_at_its_time_limit_stops_working_and_stays_within_its_memory_budget() {
    let server = crate::support::serve_binary(
        &[("VARDKATALOG_SPARQL_TIMEOUT_MS", "300"), ("VARDKATALOG_SPARQL_MAX_MEMORY_MB", "256"), ("RUST_LOG", "warn")],
        std::process::Stdio::null(),
    );
    let pid = server.pid();
    let rss_before = status_kb(pid, "VmRSS");
    // the rows read by the deadline are sorted in memory, where the store is not read
    let res = select_get(&server.url("/sparql"), CARTESIAN_ORDERED);
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = res.text().unwrap();
    assert!(text.contains("300 ms"), "{text}");
    let quiet = quiet_after(pid, std::time::Duration::from_secs(2));
    assert!(quiet.is_some(), "the process still works on the query 2 s after its 503");
    // and stays quiet
    let ticks = cpu_ticks(pid);
    std::thread::sleep(std::time::Duration::from_millis(1000));
    assert!(cpu_ticks(pid) - ticks < 10, "the query's work went on");
    let grown_mb = status_kb(pid, "VmHWM").saturating_sub(rss_before) / 1024;
    assert!(grown_mb < 256, "the process grew by {grown_mb} MB during the query ({text})");

    // with the time to pass its memory budget, it is stopped there, and the process grows by
    // less than the budget
    let server = crate::support::serve_binary(
        &[("VARDKATALOG_SPARQL_TIMEOUT_MS", "60000"), ("VARDKATALOG_SPARQL_MAX_MEMORY_MB", "128"), ("RUST_LOG", "warn")],
        std::process::Stdio::null(),
    );
    let pid = server.pid();
    let rss_before = status_kb(pid, "VmRSS");
    let res = select_get(&server.url("/sparql"), CARTESIAN_ORDERED);
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = res.text().unwrap();
    assert!(text.contains("needed more than 128 MB of memory"), "{text}");
    assert!(quiet_after(pid, std::time::Duration::from_secs(2)).is_some(), "still working after the refusal");
    let grown_mb = status_kb(pid, "VmHWM").saturating_sub(rss_before) / 1024;
    assert!(grown_mb < 128, "the process grew by {grown_mb} MB during the query");
}

#[test]
fn a_query_over_its_memory_budget_is_refused_and_one_whose_client_left_is_stopped() {
    let server = crate::support::serve_binary(
        &[("VARDKATALOG_SPARQL_TIMEOUT_MS", "60000"), ("VARDKATALOG_SPARQL_MAX_MEMORY_MB", "32"), ("RUST_LOG", "warn")],
        std::process::Stdio::null(),
    );
    let pid = server.pid();
    let res = select_get(&server.url("/sparql"), CARTESIAN_ORDERED);
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = res.text().unwrap();
    assert!(text.contains("needed more than 32 MB of memory"), "{text}");
    assert!(quiet_after(pid, std::time::Duration::from_secs(3)).is_some(), "still working after the refusal");

    // a query that would run for a minute without memory: its client leaves after 300 ms
    use std::io::Write as _;
    let query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let target = format!("/sparql?{}", serde_urlencoded::to_string([("query", query)]).unwrap());
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    write!(conn, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/sparql-results+json\r\n\r\n").unwrap();
    // the query is running: the process works (however slowly a loaded machine lets it)
    let busy = cpu_ticks(pid);
    let waited = std::time::Instant::now();
    while cpu_ticks(pid) - busy < 10 {
        assert!(waited.elapsed() < std::time::Duration::from_secs(20), "the query is running");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    drop(conn);
    let quiet = quiet_after(pid, std::time::Duration::from_secs(3));
    assert!(quiet.is_some(), "the query went on after its client left");
    assert_eq!(client().get(server.url("/healthz")).send().unwrap().status(), StatusCode::OK);
}
