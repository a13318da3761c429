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
