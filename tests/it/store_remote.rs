//! The catalogue on a remote SPARQL engine (a real Oxigraph server): the same data layout as the
//! embedded store, the public SPARQL endpoint kept to the public catalogue, `serve` configured
//! by the environment, an engine with a union default graph refused, and why the store needs
//! its own write lock on Oxigraph server.

use std::sync::Arc;

use chrono::Utc;
use oxigraph::model::{BlankNode, Dataset, GraphName, Literal, NamedNode, Quad, Term, Triple};
use reqwest::StatusCode;
use vardkatalog::model::RecordKind;
use vardkatalog::store::{Batch, EmbeddedStore, Expect, Record, RecordMeta, RecordState, RecordStore, RemoteStore};

use crate::oxigraph_server::OxigraphServer;
use crate::support::{BASE, client, serve_binary, start_server_with};

fn node(path: &str) -> NamedNode {
    NamedNode::new(format!("{BASE}{path}")).unwrap()
}

fn record(path: &str, title: &str, state: RecordState, contact: bool) -> Record {
    let iri = node(path);
    let mut graph = oxigraph::model::Graph::new();
    graph.insert(&Triple::new(
        iri.clone(),
        NamedNode::new_unchecked("http://purl.org/dc/terms/title"),
        Literal::new_language_tagged_literal_unchecked(title, "sv"),
    ));
    graph.insert(&Triple::new(
        node("agent/delad"),
        NamedNode::new_unchecked("http://xmlns.com/foaf/0.1/name"),
        Literal::new_language_tagged_literal_unchecked("Delad", "sv"),
    ));
    if contact {
        let b = BlankNode::default();
        graph.insert(&Triple::new(iri.clone(), NamedNode::new_unchecked("http://www.w3.org/ns/dcat#contactPoint"), b.clone()));
        graph.insert(&Triple::new(
            b,
            NamedNode::new_unchecked("http://www.w3.org/2006/vcard/ns#fn"),
            Literal::new_simple_literal(format!("Kontakt för {title}")),
        ));
    }
    Record {
        meta: RecordMeta {
            iri,
            kind: RecordKind::Dataset,
            state,
            version: 3,
            rev: 0,
            source: NamedNode::new_unchecked("urn:vardkatalog:source:test"),
            content_hash: format!("hash-{title}"),
            modified: "2025-02-03T04:05:06.789Z".parse::<chrono::DateTime<Utc>>().unwrap(),
        },
        graph,
    }
}

/// Every quad of a store as a canonical dataset, without the change-log times (taken from the
/// clock at each commit).
fn quads(store: &dyn RecordStore) -> Dataset {
    let mut dataset = Dataset::new();
    for s in store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").unwrap() {
        let (Some(sub), Some(Term::NamedNode(p)), Some(o), Some(Term::NamedNode(g))) = (s.get("s"), s.get("p"), s.get("o"), s.get("g"))
        else {
            panic!("{s:?}")
        };
        if g.as_str() == "urn:vardkatalog:changes" && p.as_str() == "http://purl.org/dc/terms/created" {
            continue;
        }
        // the embedded store's read cache (a snapshot literal per record, derived from the record
        // graph and its metadata in the same transaction); the remote store keeps none
        if g.as_str() == "urn:vardkatalog:snapshots" {
            continue;
        }
        let sub: oxigraph::model::NamedOrBlankNode = match sub {
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            other => panic!("{other}"),
        };
        dataset.insert(&Quad::new(sub, p.clone(), o.clone(), g.clone()));
    }
    for s in store.select_public("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").unwrap() {
        let sub: oxigraph::model::NamedOrBlankNode = match s.get("s").unwrap() {
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            other => panic!("{other}"),
        };
        let Some(Term::NamedNode(p)) = s.get("p") else { panic!() };
        dataset.insert(&Quad::new(sub, p.clone(), s.get("o").unwrap().clone(), GraphName::DefaultGraph));
    }
    dataset.canonicalize(oxigraph::model::graph::CanonicalizationAlgorithm::Unstable);
    dataset
}

/// The same batches on the embedded store and on the remote store leave the same quads (blank
/// nodes included, shared between a record graph and the public default graph), so a dump of
/// one is a dump of the other; no lock claim is left behind.
#[test]
fn the_remote_store_lays_out_data_as_the_embedded_store_does() {
    let server = OxigraphServer::start();
    let remote = RemoteStore::connect(server.settings()).unwrap();
    let embedded = EmbeddedStore::in_memory().unwrap();
    let stores: [&dyn RecordStore; 2] = [&embedded, &remote];
    let mut batches = Vec::new();
    let mut b = Batch::new();
    b.put(record("dataset/a", "Alfa", RecordState::Published, true), Expect::Absent);
    b.put(record("dataset/b", "Beta", RecordState::Published, false), Expect::Absent);
    b.put(record("dataset/c", "Gamma", RecordState::Draft, true), Expect::Absent);
    batches.push(b);
    let mut b = Batch::new();
    b.put(record("dataset/a", "Alfa ny", RecordState::Retired, true), Expect::Rev(1));
    b.delete(node("dataset/b"), Expect::Rev(1));
    b.put(record("dataset/c", "Gamma", RecordState::Published, true), Expect::Any);
    b.put(record("dataset/c", "Gamma två", RecordState::Published, false), Expect::Any);
    batches.push(b);
    let mut b = Batch::new();
    b.put(record("dataset/a", "Alfa ny", RecordState::Draft, true), Expect::Rev(2));
    batches.push(b);
    for batch in &batches {
        let committed: Vec<_> = stores.iter().map(|s| s.commit(batch).unwrap()).collect();
        assert_eq!(committed[0], committed[1], "the same generation and revisions");
        assert_eq!(quads(&embedded), quads(&remote), "the same quads after generation {}", committed[0].generation);
    }
    assert_eq!(remote.len().unwrap(), embedded.len().unwrap());
    let changes: Vec<_> = stores.iter().map(|s| s.changes_since(0).unwrap().unwrap()).collect();
    let strip = |c: &[vardkatalog::store::Change]| c.iter().map(|c| (c.generation, c.commit.clone(), c.iris.clone())).collect::<Vec<_>>();
    assert_eq!(strip(&changes[0]), strip(&changes[1]));
}

/// The public SPARQL endpoint of a catalogue on a remote engine: the same answers as on the
/// embedded store for the public catalogue, and the internal graphs (record metadata, change
/// log, lock claims) and drafts out of reach whatever the query, `SERVICE` and engine functions
/// refused.
#[test]
fn the_public_sparql_endpoint_on_a_remote_store_never_reaches_internal_graphs() {
    let server = OxigraphServer::start();
    let s = start_server_with(|c| c.remote_store = Some(server.settings()));
    assert_eq!(s.catalogue.store().kind(), "remote");
    // a draft, straight into the store
    let mut batch = Batch::new();
    batch.put(record("dataset/hemligt-utkast", "Hemligt utkast", RecordState::Draft, false), Expect::Absent);
    s.catalogue.store().commit(&batch).unwrap();

    let url = s.url("/sparql");
    let ask = |query: &str, extra: &[(&str, &str)]| {
        let mut pairs = vec![("query", query)];
        pairs.extend_from_slice(extra);
        client()
            .get(format!("{url}?{}", serde_urlencoded::to_string(&pairs).unwrap()))
            .header("accept", "application/sparql-results+json")
            .send()
            .unwrap()
    };
    let json = |res: reqwest::blocking::Response| -> serde_json::Value {
        assert_eq!(res.status(), StatusCode::OK);
        serde_json::from_str(&res.text().unwrap()).unwrap()
    };
    let values = |v: &serde_json::Value, var: &str| -> Vec<String> {
        v["results"]["bindings"].as_array().unwrap().iter().filter_map(|b| b[var]["value"].as_str().map(str::to_owned)).collect()
    };

    // the public catalogue answers as it does on the embedded store
    let datasets = json(ask("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }", &[]));
    assert_eq!(values(&datasets, "n"), vec![s.catalogue.public_counts().unwrap()[&RecordKind::Dataset].to_string()]);
    let graphs = values(&json(ask("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", &[])), "g");
    assert!(graphs.len() > 100, "the public record graphs are named graphs: {}", graphs.len());
    assert!(graphs.iter().all(|g| g.starts_with(BASE)), "only record graphs: {:?}", graphs.iter().find(|g| !g.starts_with(BASE)));
    assert!(!graphs.contains(&node("dataset/hemligt-utkast").as_str().to_owned()), "a draft is no named graph");

    // the internal graphs: empty through GRAPH, absent from the default graph
    for query in [
        "SELECT * WHERE { GRAPH <urn:vardkatalog:records> { ?s ?p ?o } } LIMIT 5",
        "SELECT * WHERE { GRAPH <urn:vardkatalog:changes> { ?s ?p ?o } } LIMIT 5",
        "SELECT * WHERE { GRAPH ?g { <urn:vardkatalog:store> ?p ?o } }",
        "SELECT * WHERE { ?s <https://w3id.org/vardkatalog/ns#state> ?o }",
        "SELECT * WHERE { GRAPH ?g { ?s <https://w3id.org/vardkatalog/ns#commitId> ?o } }",
        "SELECT * WHERE { ?x ?y ?z FILTER EXISTS { GRAPH <urn:vardkatalog:records> { ?x ?p ?o } } } LIMIT 5",
        "SELECT * WHERE { { SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } } GRAPH ?g { ?s <https://w3id.org/vardkatalog/ns#kind> ?k } }",
        "SELECT ?t WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, \"Hemligt\")) } }",
        "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, \"Hemligt\")) }",
    ] {
        assert!(values(&json(ask(query, &[])), "o").is_empty() && values(&json(ask(query, &[])), "t").is_empty(), "{query}");
        let all = json(ask(query, &[]));
        assert_eq!(all["results"]["bindings"].as_array().unwrap().len(), 0, "{query}: {all}");
    }
    let asked = json(ask("ASK { GRAPH ?g { <urn:vardkatalog:store> ?p ?o } }", &[]));
    assert_eq!(asked["boolean"], false);
    // naming an internal graph as the dataset is refused, as on the embedded store
    for (query, extra) in [
        ("SELECT * FROM <urn:vardkatalog:records> WHERE { ?s ?p ?o }", vec![]),
        ("SELECT * FROM NAMED <urn:vardkatalog:changes> WHERE { GRAPH ?g { ?s ?p ?o } }", vec![]),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", vec![("named-graph-uri", "urn:vardkatalog:records")]),
        ("SELECT * WHERE { ?s ?p ?o }", vec![("default-graph-uri", node("dataset/hemligt-utkast").as_str())]),
    ] {
        let res = ask(query, &extra);
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query} {extra:?}");
    }
    // a public graph named as the dataset works through the protocol's parameters
    let one = graphs.iter().find(|g| g.contains("/dataset/")).unwrap().clone();
    let named = json(ask("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", &[("named-graph-uri", &one)]));
    assert_eq!(values(&named, "g"), vec![one.clone()]);
    let from = json(ask(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{one}> {{ ?s ?p ?o }} }}"), &[]));
    let default = json(ask("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", &[("default-graph-uri", &one)]));
    assert_eq!(values(&from, "n"), values(&default, "n"));
    // SERVICE and the engine's own functions are refused before anything is sent
    for query in [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER(<http://www.openlinksw.com/schemas/bif#file_to_string>(\"/etc/passwd\")) } LIMIT 1",
    ] {
        let res = ask(query, &[]);
        assert!(res.status().is_client_error(), "{query}: {}", res.status());
    }
    // CONSTRUCT comes back as RDF
    let res = client()
        .get(format!(
            "{url}?{}",
            serde_urlencoded::to_string([("query", "CONSTRUCT WHERE { ?s <http://purl.org/dc/terms/title> ?t } LIMIT 3")]).unwrap()
        ))
        .header("accept", "application/n-triples")
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().unwrap().lines().filter(|l| !l.trim().is_empty()).count(), 3);
}

/// `vardkatalog serve` configured by the environment alone keeps its catalogue in the engine:
/// an empty engine is seeded, pages answer from it, and the data directory holds no store.
#[test]
fn serve_keeps_the_catalogue_in_the_engine_named_by_the_environment() {
    let server = OxigraphServer::start();
    let (q, u) = (server.url("/query"), server.url("/update"));
    let serve = serve_binary(&[("VARDKATALOG_STORE_QUERY_URL", &q), ("VARDKATALOG_STORE_UPDATE_URL", &u)], std::process::Stdio::null());
    let health: serde_json::Value = serde_json::from_str(&client().get(serve.url("/healthz")).send().unwrap().text().unwrap()).unwrap();
    let records = health["records"].as_u64().unwrap();
    assert!(records > 100, "the seed is in the engine: {health}");
    let remote = RemoteStore::connect(server.settings()).unwrap();
    assert_eq!(remote.count(&vardkatalog::store::Filter::default()).unwrap(), records);
    assert_eq!(client().get(serve.url("/dataset")).send().unwrap().status(), StatusCode::OK);
    // a half-configured store stops start-up with the setting's name
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
        .env("VARDKATALOG_STORE_QUERY_URL", &q)
        .env_remove("VARDKATALOG_CONFIG")
        .env_remove("VARDKATALOG_STORE_UPDATE_URL")
        .current_dir(std::env::temp_dir())
        .arg("reindex")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("VARDKATALOG_STORE_QUERY_URL"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// An engine whose default graph is the union of every graph would publish the metadata: the
/// store refuses it.
#[test]
fn an_engine_with_a_union_default_graph_is_refused() {
    let server = OxigraphServer::start_with(&["--union-default-graph"]);
    let first = RemoteStore::connect(server.settings()).unwrap();
    let mut batch = Batch::new();
    batch.put(record("dataset/a", "Alfa", RecordState::Draft, false), Expect::Absent);
    first.commit(&batch).unwrap();
    let err = RemoteStore::connect(server.settings()).err().expect("refused");
    assert!(err.to_string().contains("union"), "{err}");
}

/// Why the remote store has a write lock: Oxigraph server (RocksDB) evaluates two updates at
/// once, each on its own snapshot, and writes both, so two conditional updates started together
/// on the same generation both apply. If this ever fails, Oxigraph isolates updates and the
/// lock could go (on Oxigraph).
#[test]
fn oxigraph_server_applies_two_racing_conditional_updates_both() {
    let server = OxigraphServer::start();
    let http = reqwest::blocking::Client::builder().no_proxy().build().unwrap();
    let update = |text: String| {
        let res = http.post(server.url("/update")).header("content-type", "application/sparql-update").body(text).send().unwrap();
        assert!(res.status().is_success(), "{}", res.text().unwrap());
    };
    let pad: String = (0..2000).map(|i| format!("<urn:p{i}> <urn:v> {i} . ")).collect();
    update(format!("INSERT DATA {{ GRAPH <urn:m> {{ <urn:s> <urn:gen> 0 }} GRAPH <urn:pad> {{ {pad} }} }}"));
    let update = Arc::new(update);
    let mut both = 0;
    for n in 0..40 {
        let barrier = Arc::new(std::sync::Barrier::new(2));
        std::thread::scope(|scope| {
            for who in ["a", "b"] {
                let (barrier, update) = (barrier.clone(), update.clone());
                scope.spawn(move || {
                    barrier.wait();
                    update(format!(
                        "DELETE {{ GRAPH <urn:m> {{ <urn:s> <urn:gen> {n} }} }} INSERT {{ GRAPH <urn:m> {{ <urn:s> <urn:gen> {} . <urn:c{}> <urn:by> \"{who}\" }} }} \
                         WHERE {{ GRAPH <urn:m> {{ <urn:s> <urn:gen> {n} }} FILTER EXISTS {{ GRAPH <urn:pad> {{ ?x <urn:v> ?v FILTER(?v > 1998) }} }} }}",
                        n + 1,
                        n + 1
                    ));
                });
            }
        });
        let res = http
            .post(server.url("/query"))
            .header("content-type", "application/sparql-query")
            .header("accept", "text/csv")
            .body(format!("SELECT ?w WHERE {{ GRAPH <urn:m> {{ <urn:c{}> <urn:by> ?w }} }}", n + 1))
            .send()
            .unwrap()
            .text()
            .unwrap();
        if res.lines().count() > 2 {
            both += 1;
        }
    }
    assert!(both > 0, "in 40 races no two conditional updates on the same generation both applied");
}

/// A redirect to another host is not followed (the operator named one engine), nor are the
/// credentials sent there.
#[test]
fn a_redirect_to_another_host_is_not_followed() {
    use std::io::{Read, Write};
    let server = OxigraphServer::start();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // the same engine, by another name: another origin
    let elsewhere = format!("http://localhost:{}/query", server.port);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let mut stream = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let answer =
                format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {elsewhere}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    let mut settings = server.settings();
    settings.query_url = format!("http://127.0.0.1:{port}/query");
    settings.user = Some("katalog".into());
    settings.password = Some(vardkatalog::store::remote::Secret::new("hemligt"));
    let err = RemoteStore::connect(settings).err().expect("refused");
    assert!(err.to_string().contains("redirect to another host is not followed"), "{err}");
}

// ---- large batches: staged in bounded parts, moved into place by one small update ---------

/// Every quad on the engine as text, the internal graphs and any staging included (what an
/// operator's own query sees), sorted.
fn raw_quads(server: &OxigraphServer) -> Vec<String> {
    let http = reqwest::blocking::Client::builder().no_proxy().build().unwrap();
    let text = http
        .post(server.url("/query"))
        .header("content-type", "application/sparql-query")
        .header("accept", "application/n-quads")
        .body("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        .send()
        .unwrap()
        .text()
        .unwrap();
    let mut lines: Vec<String> = text.lines().map(|l| format!("{l} default")).collect();
    let res = http
        .post(server.url("/query"))
        .header("content-type", "application/sparql-query")
        .header("accept", "text/tab-separated-values")
        .body("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        .send()
        .unwrap()
        .text()
        .unwrap();
    lines.extend(res.lines().skip(1).map(str::to_owned));
    lines.sort();
    lines
}

/// The quads of staged batches on the engine (their graphs and registrations).
fn staging_quads(server: &OxigraphServer) -> Vec<String> {
    raw_quads(server).into_iter().filter(|l| l.contains("urn:vardkatalog:staging:")).collect()
}

/// A small record (two triples, a blank node when `n` is even), for batches of many.
fn small_record(n: usize, state: RecordState) -> Record {
    let mut r = record(&format!("dataset/massa-{n}"), &format!("Massa {n}"), state, n.is_multiple_of(2));
    r.meta.content_hash = format!("hash-{n}");
    r
}

fn public_count_in_step(store: &dyn RecordStore) -> (String, String) {
    let default = store.select_public("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").unwrap();
    let union = store
        .select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } GRAPH <urn:vardkatalog:records> { ?g <https://w3id.org/vardkatalog/ns#state> ?st FILTER(?st IN (<https://w3id.org/vardkatalog/ns#Published>, <https://w3id.org/vardkatalog/ns#Retired>)) } } }")
        .unwrap();
    (vardkatalog::store::as_text(default[0].get("n")).unwrap(), vardkatalog::store::as_text(union[0].get("n")).unwrap())
}

/// A batch of 20,000 records (the size whose one update overflowed Oxigraph server's stack) is
/// staged in parts and commits all or nothing: every record readable with its graph, the
/// generation one up, one change-log entry naming all of them, the public default graph in step,
/// no staging left. A second large batch changes records from their revisions (deleting some)
/// and commits as one generation too.
#[test]
fn a_batch_of_20000_records_commits_all_or_nothing_on_a_remote_store() {
    let server = OxigraphServer::start();
    let mut settings = server.settings();
    settings.timeout = std::time::Duration::from_secs(300);
    settings.lock_lease = std::time::Duration::from_secs(600);
    let store = RemoteStore::connect(settings).unwrap();
    let n = 20_000;
    let mut batch = Batch::new();
    for i in 0..n {
        batch.put(small_record(i, if i.is_multiple_of(3) { RecordState::Draft } else { RecordState::Published }), Expect::Absent);
    }
    let committed = store.commit(&batch).expect("the batch commits");
    assert_eq!(committed.generation, 1);
    assert!(committed.revs.iter().all(|(_, r)| *r == 1));
    assert_eq!(store.count(&vardkatalog::store::Filter::default()).unwrap(), n as u64);
    for i in [0, 1, 2, 9_999, n - 1] {
        let got = store.get(node(&format!("dataset/massa-{i}")).as_ref()).unwrap().expect("readable");
        let want = small_record(i, got.meta.state);
        assert_eq!(got.meta.rev, 1);
        assert_eq!(got.graph.len(), want.graph.len(), "record {i}");
        assert_eq!(got.meta.content_hash, want.meta.content_hash);
    }
    let changes = store.changes_since(0).unwrap().unwrap();
    assert_eq!((changes.len(), changes[0].iris.len(), &changes[0].commit), (1, n, &batch.id));
    let (default, union) = public_count_in_step(&store);
    assert_eq!(default, union, "the public default graph is the union of the public record graphs");
    assert!(staging_quads(&server).is_empty(), "no staging left: {:?}", staging_quads(&server).first());

    // 1,500 records again (a staged batch too), from their revisions; every tenth deleted,
    // then one put back (all 20,000 again: 135 s in a debug run, see ARCHITECTURE.md)
    let changed: usize = 1_500;
    let mut batch = Batch::new();
    for i in 0..changed {
        if i.is_multiple_of(10) {
            batch.delete(node(&format!("dataset/massa-{i}")), Expect::Rev(1));
        } else {
            batch.put(small_record(i, RecordState::Retired), Expect::Rev(1));
        }
    }
    batch.put(small_record(0, RecordState::Published), Expect::Any);
    let committed = store.commit(&batch).expect("the second batch commits");
    assert_eq!(committed.generation, 2);
    assert_eq!(store.count(&vardkatalog::store::Filter::default()).unwrap(), (n - changed / 10 + 1) as u64);
    assert_eq!(store.meta(node("dataset/massa-1").as_ref()).unwrap().unwrap().rev, 2);
    assert_eq!(store.meta(node("dataset/massa-1").as_ref()).unwrap().unwrap().state, RecordState::Retired);
    assert_eq!(store.meta(node("dataset/massa-0").as_ref()).unwrap().unwrap().rev, 1, "deleted, then written anew");
    assert!(store.meta(node("dataset/massa-10").as_ref()).unwrap().is_none());
    assert!(store.graph(node("dataset/massa-10").as_ref()).unwrap().is_empty());
    let (default, union) = public_count_in_step(&store);
    assert_eq!(default, union);
    assert!(staging_quads(&server).is_empty());
}

/// Staged batches lay data out exactly as the embedded store does (revisions across deletes and
/// repeated puts, blank nodes, the public default graph with triples shared between records):
/// the layout batches again, every one staged (a bound of one byte: every write its own part).
#[test]
fn staged_batches_lay_out_data_as_the_embedded_store_does() {
    let server = OxigraphServer::start();
    let mut settings = server.settings();
    settings.max_update_bytes = 1;
    let remote = RemoteStore::connect(settings).unwrap();
    let embedded = EmbeddedStore::in_memory().unwrap();
    let stores: [&dyn RecordStore; 2] = [&embedded, &remote];
    let mut batches = Vec::new();
    let mut b = Batch::new();
    b.put(record("dataset/a", "Alfa", RecordState::Published, true), Expect::Absent);
    b.put(record("dataset/b", "Beta", RecordState::Published, false), Expect::Absent);
    b.put(record("dataset/c", "Gamma", RecordState::Draft, true), Expect::Absent);
    b.put(record("dataset/d", "Delta", RecordState::Published, false), Expect::Absent);
    batches.push(b);
    let mut b = Batch::new();
    b.put(record("dataset/a", "Alfa ny", RecordState::Retired, true), Expect::Rev(1));
    b.delete(node("dataset/b"), Expect::Rev(1));
    b.put(record("dataset/c", "Gamma", RecordState::Published, true), Expect::Any);
    b.put(record("dataset/c", "Gamma två", RecordState::Published, false), Expect::Any);
    b.delete(node("dataset/d"), Expect::Any);
    b.put(record("dataset/d", "Delta igen", RecordState::Published, true), Expect::Any);
    batches.push(b);
    let mut b = Batch::new();
    b.put(record("dataset/a", "Alfa ny", RecordState::Draft, true), Expect::Rev(2));
    b.put(record("dataset/e", "Epsilon", RecordState::Published, false), Expect::Absent);
    batches.push(b);
    for batch in &batches {
        let committed: Vec<_> = stores.iter().map(|s| s.commit(batch).unwrap()).collect();
        assert_eq!(committed[0], committed[1], "the same generation and revisions");
        assert_eq!(quads(&embedded), quads(&remote), "the same quads after generation {}", committed[0].generation);
        assert!(staging_quads(&server).is_empty());
    }
    for iri in ["dataset/a", "dataset/c", "dataset/d", "dataset/e"] {
        let revs: Vec<_> = stores.iter().map(|s| s.meta(node(iri).as_ref()).unwrap().map(|m| m.rev)).collect();
        assert_eq!(revs[0], revs[1], "{iri}");
    }
    let changes: Vec<_> = stores.iter().map(|s| s.changes_since(0).unwrap().unwrap()).collect();
    let strip = |c: &[vardkatalog::store::Change]| c.iter().map(|c| (c.generation, c.commit.clone(), c.iris.clone())).collect::<Vec<_>>();
    assert_eq!(strip(&changes[0]), strip(&changes[1]));
}

/// A large batch whose staging succeeds but one of whose revisions is stale: a conflict naming
/// the record, and the engine exactly as before (no staging graph left behind).
#[test]
fn a_staged_batch_with_a_stale_revision_changes_nothing() {
    let server = OxigraphServer::start();
    let store = RemoteStore::connect(server.settings()).unwrap();
    let mut first = Batch::new();
    for i in 0..1_500 {
        first.put(small_record(i, RecordState::Published), Expect::Absent);
    }
    store.commit(&first).unwrap();
    store.commit(Batch::new().put(small_record(700, RecordState::Published), Expect::Rev(1))).unwrap();
    let before = raw_quads(&server);
    let mut stale = Batch::new();
    for i in 0..1_500 {
        stale.put(small_record(i, RecordState::Retired), Expect::Rev(1));
    }
    let err = store.commit(&stale).expect_err("a stale revision");
    assert!(
        matches!(&err, vardkatalog::store::StoreError::Conflict { iri, found: Some(2), .. } if iri.ends_with("dataset/massa-700")),
        "{err}"
    );
    assert_eq!(raw_quads(&server), before, "the engine holds exactly what it held");
    assert_eq!(store.generation().unwrap(), 2);
}

/// A writer that dies after staging a large batch: what it staged is in no read of the store
/// and not reachable through the public SPARQL endpoint, and the next writer drops it once its
/// lease is over.
#[test]
fn a_dead_writers_staged_batch_is_invisible_and_dropped_later() {
    let server = OxigraphServer::start();
    let s = start_server_with(|c| c.remote_store = Some(server.settings()));
    let seeded = s.catalogue.store().count(&vardkatalog::store::Filter::default()).unwrap();
    let len = s.catalogue.store().len().unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "store_remote::staging_crash_child", "--nocapture", "--test-threads=1"])
        .env("VK_REMOTE_QUERY_URL", server.url("/query"))
        .env("VK_REMOTE_UPDATE_URL", server.url("/update"))
        .env("VARDKATALOG_FAULT", vardkatalog::fault::AFTER_REMOTE_STAGING)
        .output()
        .unwrap();
    assert!(!output.status.success(), "the child aborted after staging: {}", String::from_utf8_lossy(&output.stdout));
    assert!(staging_quads(&server).len() > 1_200 * 3, "the dead writer's batch is staged on the engine");

    // no read of the store sees it
    let mut settings = server.settings();
    // a short lease, so that the test need not wait long for the dead writer's to end (the
    // request time limit stays long: a loaded machine's engine may take a while to drop it)
    settings.lock_lease = std::time::Duration::from_secs(1);
    let store = RemoteStore::connect(settings).unwrap();
    assert_eq!(store.count(&vardkatalog::store::Filter::default()).unwrap(), seeded);
    assert_eq!(store.len().unwrap(), len, "no staged quad counts");
    assert!(store.get(node("dataset/massa-4").as_ref()).unwrap().is_none());
    let title = oxigraph::model::Term::from(Literal::new_language_tagged_literal_unchecked("Massa 4", "sv"));
    assert!(store.quads_matching(None, None, Some(title.as_ref())).unwrap().is_empty());
    let mut dump = Vec::new();
    store.dump(&mut dump).unwrap();
    assert!(!String::from_utf8(dump).unwrap().contains("urn:vardkatalog:staging:"));
    let (default, union) = public_count_in_step(&store);
    assert_eq!(default, union);
    // nor does the public SPARQL endpoint
    let ask = |query: &str| -> serde_json::Value {
        let res = client()
            .get(format!("{}?{}", s.url("/sparql"), serde_urlencoded::to_string([("query", query)]).unwrap()))
            .header("accept", "application/sparql-results+json")
            .send()
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{query}");
        serde_json::from_str(&res.text().unwrap()).unwrap()
    };
    for query in [
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"urn:vardkatalog:staging:\")) }",
        "SELECT ?s WHERE { GRAPH ?g { ?s <http://purl.org/dc/terms/title> \"Massa 4\"@sv } }",
        "SELECT ?s WHERE { ?s <http://purl.org/dc/terms/title> \"Massa 4\"@sv }",
        "SELECT ?x WHERE { GRAPH ?g { ?x <https://w3id.org/vardkatalog/ns#stagedGraph> ?st } }",
    ] {
        assert_eq!(ask(query)["results"]["bindings"].as_array().unwrap().len(), 0, "{query}");
    }
    // the next writer, a lease later, drops it
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    store.commit(Batch::new().put(small_record(1, RecordState::Published), Expect::Absent)).unwrap();
    assert!(staging_quads(&server).is_empty(), "dropped: {:?}", staging_quads(&server).first());
    assert_eq!(store.count(&vardkatalog::store::Filter::default()).unwrap(), seeded + 1);
}

/// The child of the staging crash test: stages a batch of 1,200 records, then aborts at the
/// fault point.
#[test]
#[ignore = "run by a_dead_writers_staged_batch_is_invisible_and_dropped_later in a child process"]
fn staging_crash_child() {
    let (Ok(query), Ok(update)) = (std::env::var("VK_REMOTE_QUERY_URL"), std::env::var("VK_REMOTE_UPDATE_URL")) else { return };
    let store = RemoteStore::connect(vardkatalog::store::remote::RemoteSettings::new(query, update)).unwrap();
    let mut batch = Batch::new();
    for i in 0..1_200 {
        batch.put(small_record(i, RecordState::Published), Expect::Absent);
    }
    store.commit(&batch).unwrap();
}

/// The import that overflowed Oxigraph server's stack: the engine benchmark's catalogue at size
/// S (100 datasets × 50 variables, 19,202 records), imported by `vardkatalog import` into a
/// catalogue kept in the engine, lands as one generation.
#[test]
fn importing_the_19202_record_catalogue_into_a_remote_store_succeeds() {
    let server = OxigraphServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("katalog-S.ttl");
    vardkatalog::synthetic::write_catalogue(
        std::io::BufWriter::new(std::fs::File::create(&file).unwrap()),
        BASE,
        &vardkatalog::synthetic::CatalogueSpec { datasets: 100, variables_per_dataset: 50 },
    )
    .unwrap();
    let store = RemoteStore::connect(server.settings()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
        .env("VARDKATALOG_DATA_DIR", dir.path().join("data"))
        .env("VARDKATALOG_BASE_IRI", BASE)
        .env("VARDKATALOG_STORE_QUERY_URL", server.url("/query"))
        .env("VARDKATALOG_STORE_UPDATE_URL", server.url("/update"))
        .env("VARDKATALOG_STORE_TIMEOUT_MS", "300000")
        .env("VARDKATALOG_STORE_LOCK_LEASE_MS", "600000")
        .env_remove("VARDKATALOG_CONFIG")
        .current_dir(dir.path())
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "import failed: {}\n{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
    let changes = store.changes_since(0).unwrap().unwrap();
    let last = changes.last().expect("the import committed");
    assert!(last.iris.len() >= 19_202, "one batch of the whole catalogue: {}", last.iris.len());
    assert!(store.count(&vardkatalog::store::Filter::default()).unwrap() >= 19_202);
    assert!(staging_quads(&server).is_empty());
}
