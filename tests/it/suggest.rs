//! Type-ahead (`GET /api/v1/suggest`): what a client typing into the search box is offered.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{TestServer, client, start_server};

fn ask(s: &TestServer, query: &str) -> (StatusCode, String, Value) {
    let r = client().get(s.url(&format!("/api/v1/suggest{query}"))).send().unwrap();
    let status = r.status();
    let kind = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, kind, serde_json::from_slice(&r.bytes().unwrap()).unwrap())
}

/// (kind, Swedish label, notation, url) of each suggestion.
fn offered(body: &Value) -> Vec<(String, String, String, String)> {
    body["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_owned(),
                s["label"]["sv"].as_str().unwrap().to_owned(),
                s["notation"].as_str().unwrap_or_default().to_owned(),
                s["url"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_start_of_a_swedish_word_with_a_ring_and_dots_finds_the_code_and_the_register_as_typed_or_folded() {
    let s = start_server();
    // "lårbensh…" is the start of the code S72.0's label and of its synonym lårbenshalsfraktur
    for typed in ["l%C3%A5rbensh", "larbensh", "L%C3%85RBENSH"] {
        let (status, kind, body) = ask(&s, &format!("?q={typed}"));
        assert_eq!(status, StatusCode::OK, "{typed}: {body}");
        assert!(kind.starts_with("application/json"), "{kind}");
        let got = offered(&body);
        assert_eq!(got.first().map(|g| g.2.as_str()), Some("S72.0"), "{typed}: {got:?}");
        assert_eq!(got[0].0, "concept");
        assert_eq!(got[0].1, "Fraktur på lårbenshalsen");
        assert_eq!(got[0].3, "/codelist/icd-10-se-hoftfraktur/S72.0");
        assert_eq!(body["suggestions"][0]["label"]["en"], "Fracture of neck of femur");
        assert_eq!(body["suggestions"][0]["kind_label"]["sv"], "kod", "{body}");
    }
    // a register, by the start of its Swedish name
    let (_, _, body) = ask(&s, "?q=L%C3%A4kemedelsreg");
    let got = offered(&body);
    assert_eq!(got.first().map(|g| (g.0.as_str(), g.3.as_str())), Some(("dataset", "/dataset/lakemedelsregistret")), "{got:?}");
    // two words: both must start a word of the same record
    let (_, _, body) = ask(&s, "?q=disp+v%C3%A5rdpl");
    let got = offered(&body);
    assert!(!got.is_empty() && got.iter().all(|g| g.1.to_lowercase().contains("disponibla")), "{got:?}");
}

#[test]
fn a_code_or_technical_name_typed_whole_comes_first_then_what_starts_with_it() {
    let s = start_server();
    let (status, _, body) = ask(&s, "?q=S72");
    assert_eq!(status, StatusCode::OK);
    let got = offered(&body);
    assert_eq!(got[0].2, "S72", "{got:?}");
    assert_eq!(got[0].3, "/codelist/icd-10-se-hoftfraktur/S72");
    for code in ["S72.0", "S72.1", "S72.2"] {
        assert!(got.iter().any(|g| g.2 == code), "{code}: {got:?}");
    }
    // as the registers write it, without the point
    let got = offered(&ask(&s, "?q=s720").2);
    assert_eq!(got.first().map(|g| g.2.as_str()), Some("S72.0"), "{got:?}");
    // a technical name: the variable first
    let got = offered(&ask(&s, "?q=hdia").2);
    assert_eq!(
        got.first().map(|g| (g.0.as_str(), g.2.as_str(), g.3.as_str())),
        Some(("variable", "HDIA", "/variable/par-hdia")),
        "{got:?}"
    );
}

#[test]
fn limits_and_what_is_too_short_or_missing() {
    let s = start_server();
    // at most `limit`, 8 when not given
    let (_, _, body) = ask(&s, "?q=di");
    assert_eq!(offered(&body).len(), 8, "{body}");
    let (_, _, body) = ask(&s, "?q=di&limit=20");
    let twenty = offered(&body);
    assert!(twenty.len() > 8 && twenty.len() <= 20, "{twenty:?}");
    let (_, _, body) = ask(&s, "?q=di&limit=1");
    assert_eq!(offered(&body), twenty[..1].to_vec());
    // a word of one character, or text that matches nothing: an empty list
    for q in ["?q=d", "?q=xqzvw", "?q=%C3%A5"] {
        let (status, _, body) = ask(&s, q);
        assert_eq!((status, body["suggestions"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "{q}: {body}");
    }
    // a long text is read up to its first 100 characters
    let long = "v%C3%A5rdplats+".repeat(200);
    assert_eq!(ask(&s, &format!("?q={long}")).0, StatusCode::OK);
    // no q, a blank q, a limit out of range: 400 as problem+json naming the parameter
    for (q, parameter) in
        [("", "q"), ("?q=", "q"), ("?q=+++", "q"), ("?q=di&limit=0", "limit"), ("?q=di&limit=21", "limit"), ("?q=di&limit=tio", "limit")]
    {
        let (status, kind, body) = ask(&s, q);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert_eq!(kind, "application/problem+json", "{q}");
        assert_eq!(body["status"], 400);
        assert_eq!(body["errors"][0]["parameter"], parameter, "{q}: {body}");
    }
    let r = client().get(s.url("/api/v1/suggest")).header("accept-language", "en").send().unwrap();
    let body: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
    assert_eq!(body["detail"], "Give q: the text typed into the search box.", "{body}");
    // only GET
    let r = client().post(s.url("/api/v1/suggest?q=di")).send().unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[test]
fn the_openapi_document_describes_suggest() {
    let s = start_server();
    let doc: Value = serde_json::from_slice(&client().get(s.url("/api/v1/openapi.json")).send().unwrap().bytes().unwrap()).unwrap();
    let op = &doc["paths"]["/api/v1/suggest"]["get"];
    assert_eq!(op["tags"][0], "search", "{op}");
    let params: Vec<&str> = op["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, ["q", "limit"]);
    assert!(op["responses"]["400"]["content"]["application/problem+json"].is_object(), "{op}");
    assert!(doc["components"]["schemas"]["SuggestPage"].is_object());
}
