//! The W3C SPARQL 1.1 Protocol test cases (the working group's protocol manifest: query by GET,
//! form POST and direct POST; the dataset parameters; the content types of each query form; the
//! malformed requests), run against `/sparql` with the catalogue's own graphs standing in for the
//! suite's data files; the update cases are answered as a read-only endpoint answers them (403).
//! Also: relative IRIs resolve against the endpoint's IRI, and the `format` values clients send.

use reqwest::StatusCode;

use crate::support::{BASE, client, shared_server};

fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    format!("{url}?{}", serde_urlencoded::to_string(pairs).unwrap())
}

fn results(res: reqwest::blocking::Response) -> serde_json::Value {
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/sparql-results+json"));
    serde_json::from_str(&res.text().unwrap()).unwrap()
}

fn values(v: &serde_json::Value, var: &str) -> Vec<String> {
    v["results"]["bindings"].as_array().unwrap().iter().map(|b| b[var]["value"].as_str().unwrap().to_owned()).collect()
}

fn get(url: &str, pairs: &[(&str, &str)]) -> reqwest::blocking::Response {
    client().get(with_query(url, pairs)).header("accept", "application/sparql-results+json").send().unwrap()
}

/// Two record graphs of published datasets (the suite's data1 and data2).
fn two_graphs(url: &str) -> (String, String) {
    let v = results(get(
        url,
        &[("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a <http://www.w3.org/ns/dcat#Dataset> } } ORDER BY ?g LIMIT 2")],
    ));
    let g = values(&v, "g");
    assert_eq!(g.len(), 2, "the seed publishes at least two datasets");
    (g[0].clone(), g[1].clone())
}

const COUNT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";

fn count(v: &serde_json::Value) -> u64 {
    values(v, "n")[0].parse().unwrap()
}

#[test]
fn query_by_get_form_post_and_direct_post() {
    let s = shared_server();
    let url = s.url("/sparql");
    let q = "ASK { ?s ?p ?o }";
    assert_eq!(results(get(&url, &[("query", q)]))["boolean"], true, "query_get");
    let form = client()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/sparql-results+json")
        .body(serde_urlencoded::to_string([("query", q)]).unwrap())
        .send()
        .unwrap();
    assert_eq!(results(form)["boolean"], true, "query_post_form");
    let direct = client()
        .post(&url)
        .header("content-type", "application/sparql-query; charset=UTF-8")
        .header("accept", "application/sparql-results+json")
        .body(q)
        .send()
        .unwrap();
    assert_eq!(results(direct)["boolean"], true, "query_post_direct");
}

#[test]
fn the_dataset_parameters_choose_the_graphs() {
    let s = shared_server();
    let url = s.url("/sparql");
    let (g1, g2) = two_graphs(&url);
    let in_g1 = count(&results(get(&url, &[("query", &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g1}> {{ ?s ?p ?o }} }}"))])));
    assert!(in_g1 > 0);
    // query_dataset_default_graph (GET and POST): the default graph is the one named
    assert_eq!(count(&results(get(&url, &[("query", COUNT), ("default-graph-uri", &g1)]))), in_g1);
    let post = client()
        .post(with_query(&url, &[("default-graph-uri", &g1)]))
        .header("content-type", "application/sparql-query")
        .header("accept", "application/sparql-results+json")
        .body(COUNT)
        .send()
        .unwrap();
    assert_eq!(count(&results(post)), in_g1, "query_dataset_default_graphs_post");
    // query_dataset_named_graphs: exactly the named graphs are reachable with GRAPH
    let named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g";
    let v = results(get(&url, &[("query", named), ("named-graph-uri", &g1), ("named-graph-uri", &g2)]));
    assert_eq!(values(&v, "g"), vec![g1.clone(), g2.clone()]);
    let form = client()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/sparql-results+json")
        .body(serde_urlencoded::to_string([("query", named), ("named-graph-uri", &g2)]).unwrap())
        .send()
        .unwrap();
    assert_eq!(values(&results(form), "g"), vec![g2.clone()], "query_dataset_named_graphs_post");
    // query_dataset_full: both at once
    let full = "SELECT ?n ?g WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } OPTIONAL { GRAPH ?g { ?a ?b ?c } } } GROUP BY ?n ?g";
    let v = results(get(&url, &[("query", full), ("default-graph-uri", &g1), ("named-graph-uri", &g2)]));
    assert_eq!(values(&v, "g"), vec![g2.clone()]);
    assert_eq!(values(&v, "n")[0].parse::<u64>().unwrap(), in_g1);
    // query_multiple_dataset: the protocol's dataset wins over the query's FROM
    let from = format!("SELECT (COUNT(*) AS ?n) FROM <{g2}> WHERE {{ ?s ?p ?o }}");
    assert_eq!(count(&results(get(&url, &[("query", &from), ("default-graph-uri", &g1)]))), in_g1);
}

#[test]
fn each_query_form_answers_in_its_content_type() {
    let s = shared_server();
    let url = s.url("/sparql");
    let cases = [
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+xml", "application/sparql-results+xml"),
        ("ASK { ?s ?p ?o }", "application/sparql-results+json", "application/sparql-results+json"),
        (&*format!("DESCRIBE <{BASE}>"), "application/rdf+xml", "application/rdf+xml"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", "text/turtle", "text/turtle"),
    ];
    for (q, accept, expected) in cases {
        let res = client().get(with_query(&url, &[("query", q)])).header("accept", accept).send().unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{q}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with(expected), "{q}: {:?}", res.headers()["content-type"]);
    }
}

#[test]
fn malformed_requests_are_refused_with_a_4xx() {
    let s = shared_server();
    let url = s.url("/sparql");
    let ask = "ASK {}";
    // bad_query_method
    let res = client().put(with_query(&url, &[("query", ask)])).send().unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    // bad_multiple_queries, in the address, in the form, and a direct body with one in the address
    let res = get(&url, &[("query", ask), ("query", "SELECT * {}")]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().unwrap().contains("exactly one"));
    let res = client()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("query", ask), ("query", ask)]).unwrap())
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res =
        client().post(with_query(&url, &[("query", ask)])).header("content-type", "application/sparql-query").body(ask).send().unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // bad_query_wrong_media_type, bad_query_missing_form_type, bad_query_missing_direct_type
    for (content_type, body) in [(Some("text/plain"), ask.to_owned()), (None, "query=ASK%20%7B%7D".to_owned()), (None, ask.to_owned())] {
        let mut req = client().post(&url).body(body);
        if let Some(t) = content_type {
            req = req.header("content-type", t);
        }
        let res = req.send().unwrap();
        assert!(res.status().is_client_error(), "{content_type:?}: {}", res.status());
    }
    // bad_query_non_utf8: a UTF-16 body, declared and undeclared
    let utf16: Vec<u8> = ask.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for content_type in ["application/sparql-query; charset=UTF-16", "application/sparql-query"] {
        let res = client().post(&url).header("content-type", content_type).body(utf16.clone()).send().unwrap();
        assert!(res.status().is_client_error(), "{content_type}: {}", res.status());
    }
    // bad_query_syntax
    assert_eq!(get(&url, &[("query", "ASK {")]).status(), StatusCode::BAD_REQUEST);
    // the update cases: a read-only endpoint refuses every update, by GET and by POST
    let update = format!("INSERT DATA {{ <{BASE}a> <{BASE}b> <{BASE}c> }}");
    assert_eq!(client().get(with_query(&url, &[("update", &update)])).send().unwrap().status(), StatusCode::FORBIDDEN);
    let res = client()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("update", &update), ("update", &update)]).unwrap())
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[test]
fn relative_iris_resolve_against_the_endpoint() {
    let s = shared_server();
    let url = s.url("/sparql");
    let v = results(get(&url, &[("query", "SELECT ?x WHERE { BIND(<dataset/lisa> AS ?x) }")]));
    assert_eq!(values(&v, "x"), vec![format!("{BASE}dataset/lisa")]);
    // a BASE in the query still wins
    let v = results(get(&url, &[("query", "BASE <http://example.org/a/> SELECT ?x WHERE { BIND(<b> AS ?x) }")]));
    assert_eq!(values(&v, "x"), vec!["http://example.org/a/b".to_owned()]);
}

#[test]
fn the_format_values_common_clients_send_are_understood() {
    let s = shared_server();
    let url = s.url("/sparql");
    let construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3";
    let select = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1";
    let cases = [
        (construct, "rdf+xml", "application/rdf+xml"),
        (construct, "application/rdf+xml", "application/rdf+xml"),
        (construct, "turtle", "text/turtle"),
        (construct, "text/turtle", "text/turtle"),
        (construct, "json-ld", "application/ld+json"),
        (construct, "application/ld+json", "application/ld+json"),
        (construct, "n-triples", "application/n-triples"),
        (construct, "application/n-triples", "application/n-triples"),
        (select, "application/sparql-results+json", "application/sparql-results+json"),
        (select, "application/sparql-results+xml", "application/sparql-results+xml"),
        (select, "text/csv", "text/csv"),
        (select, "text/tab-separated-values", "text/tab-separated-values"),
    ];
    for (q, format, expected) in cases {
        // percent-encoded, as a client library sends it
        let res = client().get(with_query(&url, &[("query", q), ("format", format)])).send().unwrap();
        assert_eq!(res.status(), StatusCode::OK, "format={format}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with(expected), "format={format}");
    }
    // typed into an address bar, the + arrives as a space
    let res = client()
        .get(format!("{url}?query=CONSTRUCT%20%7B%3Fs%20%3Fp%20%3Fo%7D%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201&format=rdf+xml"))
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/rdf+xml"));
    let res = client().get(with_query(&url, &[("query", select), ("format", "nonsense")])).send().unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
