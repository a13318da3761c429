//! Delivery evidence without the data (issue 17 items 2 and 5): regions check their deliveries
//! to Vårdplatser on their own machines and send the counts (`check-extract --submit`, the API,
//! the header check's save); fixtures of several regions and periods, one region that never
//! delivered and a required column that went missing in one period; the region × period
//! matrix, its page, trend and CSV; the technical-quality dimension moving with the reports;
//! no delivered value ever stored; the health profile's DQV still valid.

use std::io::Write as _;

use reqwest::StatusCode;
use serde_json::Value;
use vardkatalog::accounts::Role;
use vardkatalog::label::Submitted;
use vardkatalog::model::record::RecordKind;
use vardkatalog::validate::collection::{CollectionSpec, ValueType};
use vardkatalog::validate::extract::check_csv;

use crate::label::link;
use crate::support::{BASE, Browser, TestServer, client, signed_in, start_server};

/// A planted value that must never reach the catalogue (an invalid code in a delivery).
const SECRET: &str = "HEMLIGT-VARDE-4711";

fn spec(server: &TestServer) -> CollectionSpec {
    let iri = server.catalogue.minter().record(RecordKind::Dataset, "vardplatser").unwrap();
    CollectionSpec::from_catalogue(&server.catalogue, &iri).unwrap().unwrap()
}

/// A delivery of `rows` rows: every column of the collection but `drop`, valid values, with
/// `bad` rows holding the planted code in `vardtyp`.
fn delivery(spec: &CollectionSpec, rows: usize, drop: Option<&str>, bad: usize) -> String {
    let columns: Vec<_> = spec.columns.iter().filter(|c| Some(c.name.as_str()) != drop).collect();
    let mut out = columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(";");
    out.push('\n');
    for i in 0..rows {
        let values: Vec<String> = columns
            .iter()
            .map(|c| match (&c.codes, c.value_type) {
                _ if c.name == "vardtyp" && i < bad => SECRET.to_owned(),
                (Some(codes), _) => codes.iter().next().cloned().unwrap_or_default(),
                (None, ValueType::Integer) => "12".into(),
                (None, ValueType::Decimal) => "3,5".into(),
                (None, ValueType::Date) => "2026-01-15".into(),
                (None, ValueType::DateTime) => "2026-01-15T10:00".into(),
                (None, ValueType::Year) => "2026".into(),
                (None, ValueType::YearMonth) => "2026-01".into(),
                (None, ValueType::Boolean) => "ja".into(),
                (None, ValueType::Time) => "10:00".into(),
                (None, ValueType::String) => "SE2321000131-E000000000001".into(),
            })
            .collect();
        out.push_str(&values.join(";"));
        out.push('\n');
    }
    out
}

fn session_token(b: &Browser) -> String {
    b.cookie("vk_session").expect("signed in")
}

fn account(server: &TestServer, name: &str, role: Role) {
    vardkatalog::accounts::Accounts::new(server.state.clone()).add("test", name, role, crate::support::PASSWORD).unwrap();
}

/// An API token of an account (as `vardkatalog token create --user NAME` issues it).
fn api_token(server: &TestServer, user: &str) -> String {
    vardkatalog::accounts::Accounts::new(server.state.clone()).issue_token("test", user, Some(30)).unwrap().1
}

fn post_report(server: &TestServer, token: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut req = client().post(server.url("/api/v1/datainsamling/vardplatser/leveranser")).header("Content-Type", "application/json");
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let res = req.body(body.to_owned()).send().unwrap();
    let status = res.status();
    (status, serde_json::from_str(&res.text().unwrap()).unwrap_or(Value::Null))
}

fn submitted(spec: &CollectionSpec, csv: &str, region: &str, period: &str) -> String {
    let report = check_csv(spec, csv.as_bytes(), "sv").unwrap();
    serde_json::to_string(&Submitted::from_report(&report, region, period)).unwrap()
}

fn label(server: &TestServer) -> Value {
    serde_json::from_str(&client().get(server.url("/api/v1/quality/dataset/vardplatser/label")).send().unwrap().text().unwrap()).unwrap()
}

fn metric<'a>(label: &'a Value, id: &str) -> &'a Value {
    label["elements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["dimensions"].as_array().unwrap().iter())
        .flat_map(|d| d["metrics"].as_array().unwrap().iter())
        .find(|m| m["id"] == id)
        .unwrap()
}

fn dimension_score(label: &Value, id: &str) -> f64 {
    label["elements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["dimensions"].as_array().unwrap().iter())
        .find(|d| d["id"] == id)
        .unwrap()["score"]
        .as_f64()
        .unwrap()
}

#[test]
fn delivery_reports_from_regions_fill_the_matrix_and_move_technical_quality() {
    let server = start_server();
    let spec = spec(&server);
    let required: Vec<String> =
        spec.columns.iter().filter(|c| c.level == vardkatalog::model::RequirementLevel::Required).map(|c| c.name.clone()).collect();
    let dropped = required.iter().find(|c| c.as_str() != "vardtyp").unwrap().clone();
    let before = label(&server);
    assert_eq!(metric(&before, "valid-values")["status"], "missing", "no reports yet");
    assert_eq!(metric(&before, "regions-delivering")["level"], 0);

    account(&server, "skane", Role::Redaktor);
    link(&server, "skane", &["region-skane"]);
    account(&server, "stockholm", Role::Redaktor);
    link(&server, "stockholm", &["region-stockholm"]);
    account(&server, "vg", Role::Redaktor);
    link(&server, "vg", &["vastra-gotalandsregionen"]);

    // check-extract --submit, offline from the downloaded Table Schema, the token from the
    // environment: Skåne's January delivery
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("vardplatser.json");
    std::fs::write(&schema, client().get(server.url("/datainsamling/vardplatser/tableschema.json")).send().unwrap().text().unwrap())
        .unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::File::create(&p).unwrap().write_all(body.as_bytes()).unwrap();
        p
    };
    let january = write("skane-2026-01.csv", &delivery(&spec, 200, None, 0));
    let run = |file: &std::path::Path, region: &str, period: &str, token: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
            .env("VARDKATALOG_DATA_DIR", dir.path().join("data"))
            .env("VARDKATALOG_TOKEN", token)
            .env_remove("VARDKATALOG_CONFIG")
            .args(["check-extract", "--schema", schema.to_str().unwrap(), file.to_str().unwrap()])
            .args(["--submit", &server.url("/"), "--region", region, "--period", period])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let skane_token = api_token(&server, "skane");
    let out = run(&january, "region-skane", "2026-01", &skane_token);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("sent to") && stdout.contains("region-skane 2026-01"), "{stdout}");
    // the same account cannot report for another region: refused, nothing stored
    let out = run(&january, "region-stockholm", "2026-01", &skane_token);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("403"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(server.state.deliveries.all_deliveries().unwrap().len(), 1);

    // the other fixtures through the API: Skåne's February lacks a required column, Stockholm's
    // March holds invalid codes, Västra Götaland delivers every month; Gotland never delivers
    let sk = skane_token.clone();
    let (status, stored) =
        post_report(&server, Some(&sk), &submitted(&spec, &delivery(&spec, 180, Some(&dropped), 0), "region-skane", "2026-02"));
    assert_eq!(status, StatusCode::CREATED, "{stored}");
    assert_eq!(stored["region"], format!("{BASE}agent/region-skane"));
    assert_eq!(stored["submitted_by"], "skane");
    let (status, _) = post_report(&server, Some(&sk), &submitted(&spec, &delivery(&spec, 210, None, 0), "region-skane", "2026-03"));
    assert_eq!(status, StatusCode::CREATED);
    let st = api_token(&server, "stockholm");
    for (period, bad) in [("2026-01", 0), ("2026-02", 0), ("2026-03", 40)] {
        let (status, body) =
            post_report(&server, Some(&st), &submitted(&spec, &delivery(&spec, 400, None, bad), "region-stockholm", period));
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let v = api_token(&server, "vg");
    for period in ["2026-01", "2026-02", "2026-03"] {
        assert_eq!(
            post_report(&server, Some(&v), &submitted(&spec, &delivery(&spec, 300, None, 0), "vastra-gotalandsregionen", period)).0,
            StatusCode::CREATED
        );
    }

    // the matrix
    let matrix: Value =
        serde_json::from_str(&client().get(server.url("/api/v1/datainsamling/vardplatser/leveranser")).send().unwrap().text().unwrap())
            .unwrap();
    assert_eq!(matrix["periods"], serde_json::json!(["2026-01", "2026-02", "2026-03"]));
    let row = |id: &str| matrix["regions"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id}")).clone();
    assert_eq!(matrix["regions"].as_array().unwrap().len(), 21, "every region of the catalogue has a row");
    assert_eq!(row("region-gotland")["delivered"], false, "Gotland never delivered");
    assert!(row("region-gotland")["cells"].as_array().unwrap().iter().all(Value::is_null));
    let skane_row = row("region-skane");
    let feb = &skane_row["cells"][1];
    assert_eq!(
        feb["required_present"].as_u64().unwrap() + 1,
        feb["required"].as_u64().unwrap(),
        "a required column went missing in February"
    );
    assert_eq!(feb["problems"]["missing_required_column"], 1);
    assert_eq!(skane_row["cells"][0]["required_present"], skane_row["cells"][0]["required"]);
    let march = &row("region-stockholm")["cells"][2];
    assert_eq!(march["problems"]["code_not_in_list"], 40);
    assert!((march["valid_share"].as_f64().unwrap() - (1.0 - 40.0 / (400.0 * spec.columns.len() as f64))).abs() < 1e-9, "{march}");
    assert_eq!(matrix["totals"]["deliveries"], 9);
    assert_eq!(matrix["totals"]["complete"], 8);

    // the computed statuses of the technical-quality dimension
    let after = label(&server);
    let levels = |id: &str| (metric(&after, id)["status"].as_str().unwrap().to_owned(), metric(&after, id)["level"].as_u64());
    assert_eq!(levels("regions-delivering"), ("computed".to_owned(), Some(0)), "3 of 21 regions");
    assert_eq!(levels("stable-structure"), ("computed".to_owned(), Some(1)), "8 of 9 deliveries complete (89 %)");
    assert_eq!(levels("valid-values").0, "computed");
    assert_eq!(levels("required-values").0, "computed");
    assert!(levels("required-values").1.unwrap() >= 1);
    for id in ["completeness", "validity", "consistency"] {
        assert!(dimension_score(&after, id) > dimension_score(&before, id), "{id} moved");
    }
    assert!(after["score"].as_f64().unwrap() > before["score"].as_f64().unwrap());
    let evidence = metric(&after, "stable-structure")["evidence"][0]["sv"].as_str().unwrap().to_owned();
    assert!(evidence.contains("8 av 9"), "{evidence}");

    // a later report of the same cell supersedes the earlier: Skåne sends February again whole
    let (status, _) = post_report(&server, Some(&sk), &submitted(&spec, &delivery(&spec, 180, None, 0), "region-skane", "2026-02"));
    assert_eq!(status, StatusCode::CREATED);
    let again = label(&server);
    assert_eq!(metric(&again, "stable-structure")["level"], 3, "every delivery complete now");
    assert!(dimension_score(&again, "consistency") > dimension_score(&after, "consistency"));

    // no delivered value is stored anywhere: reports are counts
    let stored = serde_json::to_string(&server.state.deliveries.all_deliveries().unwrap()).unwrap();
    assert!(!stored.contains(SECRET), "a value reached the state");
    let audit = serde_json::to_string(&server.state.audit.newest(0, 1000).unwrap()).unwrap();
    assert!(!audit.contains(SECRET));

    // the page: heat map, table, a region's trend, the CSV
    let page = client().get(server.url("/datainsamling/vardplatser/leveranser")).send().unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().unwrap();
    assert!(html.contains("<svg") && html.contains("role=\"img\"") && html.contains("<desc id=\"matris-desc\">"));
    assert!(html.contains("Region Gotland") && html.contains("aldrig levererat"));
    assert!(html.contains("code_not_in_list 40"));
    let trend =
        client().get(server.url("/datainsamling/vardplatser/leveranser?region=region-skane&lang=en")).send().unwrap().text().unwrap();
    let section = trend.split("id=\"region-trend\"").nth(1).expect("the region's trend").split("</section>").next().unwrap();
    for period in ["2026-01", "2026-02", "2026-03"] {
        assert!(section.contains(period), "{period}");
    }
    let csv = client().get(server.url("/datainsamling/vardplatser/leveranser.csv")).send().unwrap();
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 9 + 18, "nine cells, and one line for each of the 18 regions that never delivered");
    assert!(records.iter().any(|r| &r[0] == "Region Gotland" && r[11].contains("aldrig")));
    assert!(records.iter().any(|r| &r[0] == "Region Stockholm" && &r[2] == "2026-03" && r[10].contains("code_not_in_list=40")));

    // the health profile with the delivery measurements is still valid Release 8
    let ttl = client().get(server.url("/dataset/vardplatser.ttl?profile=healthdcat-ap")).send().unwrap().text().unwrap();
    let g = crate::support::parse_rdf(ttl.as_bytes(), "text/turtle");
    let valid = n(&format!("{BASE}dataset/vardplatser/kvalitetsmarkning#valid-values"));
    assert!(g.triples_for_subject(&valid).next().is_some(), "the measurement of valid values is published");
    let access = server
        .catalogue
        .public_resource(n(&format!("{BASE}dataset/vardplatser")).as_ref())
        .unwrap()
        .and_then(|(_, r)| match r {
            vardkatalog::model::Resource::Dataset(d) => d.access_rights,
            _ => None,
        })
        .map(|a| a.as_str().rsplit('/').next().unwrap().to_owned())
        .unwrap();
    let report = crate::healthdcat_r8::validate_r8(&access, &g);
    assert!(report.conforms(), "{:?}", report.violations().map(ToString::to_string).collect::<Vec<_>>());
}

fn n(s: &str) -> oxigraph::model::NamedNode {
    oxigraph::model::NamedNode::new_unchecked(s)
}

#[test]
fn the_report_api_takes_api_tokens_and_refuses_what_it_cannot_trust_and_stores_nothing() {
    let server = start_server();
    let spec = spec(&server);
    let good = submitted(&spec, &delivery(&spec, 10, None, 0), "region-skane", "2026-01");
    // no token: 401 with the scheme named, problem+json as the rest of /api/v1
    let (status, body) = post_report(&server, None, &good);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["detail"].as_str().unwrap().contains("Bearer"), "{body}");
    let skane = signed_in(&server, "skane", Role::Redaktor);
    link(&server, "skane", &["region-skane"]);
    // a session cookie, or the session token as a bearer token: never taken by the API
    let res = client()
        .post(server.url("/api/v1/datainsamling/vardplatser/leveranser"))
        .header("Cookie", format!("vk_session={}", session_token(&skane)))
        .header("Content-Type", "application/json")
        .body(good.clone())
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "the API never takes a cookie");
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"vardkatalog\"");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    let (status, _) = post_report(&server, Some(&session_token(&skane)), &good);
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a session token is not an API token");
    assert_eq!(post_report(&server, Some("ett-pahittat-token"), &good).0, StatusCode::UNAUTHORIZED);
    // a revoked token
    let accounts = vardkatalog::accounts::Accounts::new(server.state.clone());
    let (revoked, secret) = accounts.issue_token("test", "skane", Some(30)).unwrap();
    accounts.revoke_token("test", &revoked.id).unwrap();
    assert_eq!(post_report(&server, Some(&secret), &good).0, StatusCode::UNAUTHORIZED, "a revoked token");
    let token = api_token(&server, "skane");
    // an account of no region; a region the account is not a member of: 403 before the counts
    account(&server, "ingen", Role::Granskare);
    let (status, body) = post_report(&server, Some(&api_token(&server, "ingen")), &good);
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let stockholm = submitted(&spec, &delivery(&spec, 10, None, 0), "region-stockholm", "2026-01");
    assert_eq!(post_report(&server, Some(&token), &stockholm).0, StatusCode::FORBIDDEN);
    let bad_counts = stockholm.replacen("\"filled\":10", "\"filled\":11", 1);
    assert_eq!(post_report(&server, Some(&token), &bad_counts).0, StatusCode::FORBIDDEN, "the region is checked first");
    // bad input, each named at its JSON Pointer
    let cases: Vec<(String, &str)> = vec![
        (good.replace("\"2026-01\"", "\"januari\""), "/period"),
        (good.replace("\"region-skane\"", "\"socialstyrelsen\""), "/region"),
        (good.replacen("\"name\":\"", "\"name\":\"OKAND_", 1), "/columns/0"),
        (good.replacen("\"filled\":10", "\"filled\":11", 1), "/columns/"),
        ("{\"region\": 1".to_owned(), ""),
    ];
    for (body, pointer) in cases {
        let (status, answer) = post_report(&server, Some(&token), &body);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(server.state.deliveries.all_deliveries().unwrap().len(), 0, "nothing stored");
        let at = answer["errors"][0]["pointer"].as_str().unwrap();
        if pointer.is_empty() {
            assert!(answer["detail"].as_str().unwrap().contains("rad 1"), "{answer}");
        } else {
            assert!(at.starts_with(pointer), "{answer}");
        }
        assert_eq!(answer["status"], 400);
    }
    // in English when asked
    let res = client()
        .post(server.url("/api/v1/datainsamling/vardplatser/leveranser"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Accept-Language", "en")
        .body(good.replace("\"2026-01\"", "\"januari\""))
        .send()
        .unwrap();
    let answer: Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert!(answer["detail"].as_str().unwrap().contains("write the period"), "{answer}");
    let res = client()
        .post(server.url("/api/v1/datainsamling/finns-inte/leveranser"))
        .header("Authorization", format!("Bearer {token}"))
        .body(good.clone())
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // other methods: 405 with Allow, as every API path
    let res = client().delete(server.url("/api/v1/datainsamling/vardplatser/leveranser")).send().unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers()["allow"], "GET, POST");
    let (status, stored) = post_report(&server, Some(&token), &good);
    assert_eq!(status, StatusCode::CREATED, "and the good report is taken");
    assert_eq!(stored["submitted_by"], "skane");
    // the audit entry names the token it came with
    let audit = serde_json::to_string(&server.state.audit.about(&format!("{BASE}dataset/vardplatser")).unwrap()).unwrap();
    assert!(audit.contains("\"delivery\"") && audit.contains("(API-token "), "{audit}");
    assert_eq!(client().get(server.url("/datainsamling/finns-inte/leveranser")).send().unwrap().status(), StatusCode::NOT_FOUND);
}

#[test]
fn a_region_saves_its_delivery_check_from_the_delivery_page() {
    let server = start_server();
    let spec = spec(&server);
    // anonymous: no save offered
    let anon = Browser::new(&server);
    assert!(!anon.get("/kontroll/leverans").text().unwrap().contains("name=\"spara\""));
    let skane = signed_in(&server, "skane", Role::Redaktor);
    link(&server, "skane", &["region-skane"]);
    let form = skane.get("/kontroll/leverans").text().unwrap();
    assert!(form.contains("name=\"spara\"") && form.contains("value=\"region-skane\""));
    assert!(!form.contains("value=\"region-stockholm\""), "only the account's own regions");
    let csrf = skane.csrf();
    // the whole delivery is checked (main's streamed check), pasted here: 6 rows, 2 with a bad code
    let csv = delivery(&spec, 6, None, 2);
    let res = skane.post_form(
        "/kontroll/leverans",
        &[
            ("csrf", &csrf),
            ("datainsamling", "vardplatser"),
            ("innehall", &csv),
            ("spara", "ja"),
            ("region", "region-skane"),
            ("period", "2026-13"),
        ],
    );
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a bad period");
    assert!(res.text().unwrap().contains("period"));
    assert!(server.state.deliveries.all_deliveries().unwrap().is_empty());
    let res = skane.post_form(
        "/kontroll/leverans",
        &[
            ("csrf", &csrf),
            ("datainsamling", "vardplatser"),
            ("innehall", &csv),
            ("spara", "ja"),
            ("region", "region-skane"),
            ("period", "2026"),
        ],
    );
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().unwrap();
    assert!(page.contains("Leveransrapporten är sparad"), "{page}");
    let stored = server.state.deliveries.all_deliveries().unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].header_only && stored[0].rows == 6, "the whole delivery's counts");
    assert!(stored[0].columns.iter().all(|c| c.present));
    let vardtyp = stored[0].columns.iter().find(|c| c.name == "vardtyp").unwrap();
    assert_eq!(vardtyp.invalid, 2, "{vardtyp:?}");
    // without the box ticked nothing is stored, as before
    skane.post_form("/kontroll/leverans", &[("csrf", &csrf), ("datainsamling", "vardplatser"), ("innehall", &csv)]);
    assert_eq!(server.state.deliveries.all_deliveries().unwrap().len(), 1);
    // an uploaded file, streamed: the save fields come before the file, as the page orders them
    let res = skane.post_multipart(
        "/kontroll/leverans",
        &[("csrf", &csrf), ("datainsamling", "vardplatser"), ("spara", "ja"), ("region", "region-skane"), ("period", "2026-02")],
        ("fil", "leverans.csv", csv.as_bytes()),
    );
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().unwrap().contains("Leveransrapporten är sparad"));
    let stored = server.state.deliveries.all_deliveries().unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!((stored[1].period.as_str(), stored[1].rows), ("2026-02", 6));
    // no delivered value reaches the state or the matrix
    assert!(!serde_json::to_string(&stored).unwrap().contains(SECRET));
    let matrix = client().get(server.url("/api/v1/datainsamling/vardplatser/leveranser")).send().unwrap().text().unwrap();
    assert!(!matrix.contains(SECRET));
    let label = label(&server);
    assert_eq!(metric(&label, "stable-structure")["status"], "computed");
    assert_eq!(metric(&label, "valid-values")["status"], "computed", "the page's check counts values now");
}
