//! The pages, through a real server on 127.0.0.1: every record answers with its Swedish label,
//! unknown ids get the helpful 404 page, and the language switch works.

use reqwest::StatusCode;
use vardkatalog::model::record::RecordKind;

use crate::support::{client, shared_server};

/// The text of an HTML page with the entities the templates escape turned back.
fn unescape(html: &str) -> String {
    html.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

#[test]
fn home_lists_counts_use_cases_and_datasets() {
    let s = shared_server();
    let res = client().get(s.url("/")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-language"], "sv");
    let body = unescape(&res.text().unwrap());
    assert!(body.contains("<html lang=\"sv\">"));
    for needle in
        ["<main id=\"main\"", "<nav aria-label=\"Huvudmeny\"", "Hoppa till innehållet", "Datamängder", "Variabler", "Patientregistret"]
    {
        assert!(body.contains(needle), "home page lacks {needle}");
    }
    let counts = s.catalogue.public_counts().unwrap();
    let n = counts[&RecordKind::Variable];
    assert!(
        body.contains(&format!("<span class=\"num\">{n}</span> <span class=\"what\">Variabler</span>")),
        "the variable count {n} is shown"
    );
}

#[test]
fn every_public_record_has_a_page_with_its_swedish_label() {
    let s = shared_server();
    let http = client();
    let mut checked = 0;
    for kind in RecordKind::ALL {
        let (_, records) = s.catalogue.public_list(kind, 0, 100_000).unwrap();
        for r in records {
            let path = s.catalogue.minter().path(r.iri().as_str());
            if kind == RecordKind::Catalog {
                // a browser gets the page about the harvest address (machines get RDF:
                // tests/it/publish.rs)
                let res = http.get(s.url(&path)).header("accept", "text/html").send().unwrap();
                assert_eq!(res.status(), StatusCode::OK, "{path}");
                assert!(res.text().unwrap().contains("Skördningsadressen"), "{path}");
                continue;
            }
            let res = http.get(s.url(&path)).send().unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let body = unescape(&res.text().unwrap());
            let label = r.label().best("sv");
            assert!(!label.is_empty(), "{path} has no label");
            assert!(body.contains(label), "{path} does not show its label {label:?}");
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} pages");
}

#[test]
fn record_pages_show_their_links_and_tables() {
    let s = shared_server();
    let http = client();
    let body = unescape(&http.get(s.url("/dataset/patientregistret-sluten-vard")).send().unwrap().text().unwrap());
    assert!(body.contains("href=\"/variable/par-hdia\""), "the dataset lists its variables");
    assert!(body.contains("href=\"/agent/socialstyrelsen\""), "the publisher is a link");
    assert!(body.contains("Hälsodatakategori"));

    let body = unescape(&http.get(s.url("/variable/par-hdia")).send().unwrap().text().unwrap());
    assert!(body.contains("<code class=\"techname\">HDIA</code>"));
    assert!(body.contains("href=\"/dataset/patientregistret-oppen-vard\""));
    assert!(body.contains("Angiven huvuddiagnos"), "the definition");

    let body = unescape(&http.get(s.url("/variable/par-opd1")).send().unwrap().text().unwrap());
    assert!(body.contains("Tidstäckning: 1997–"), "coverage bar with its years");
    assert!(body.contains("<svg class=\"axis\""));

    let body = unescape(&http.get(s.url("/codelist/lan")).send().unwrap().text().unwrap());
    assert!(body.contains("Stockholms län") && body.contains("<code>25</code>"));
    assert!(body.contains("<th scope=\"col\">Kod</th>"));
}

#[test]
fn list_pages_page_through_everything() {
    let s = shared_server();
    let http = client();
    for kind in ["dataset", "variable", "codelist", "usecase", "agent", "standard"] {
        let res = http.get(s.url(&format!("/{kind}"))).send().unwrap();
        assert_eq!(res.status(), StatusCode::OK, "/{kind}");
    }
    let body = http.get(s.url("/variable")).send().unwrap().text().unwrap();
    assert!(body.contains("rel=\"next\""), "more than 50 variables: a next link");
    let res = http.get(s.url("/variable?sida=2")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().unwrap().contains("rel=\"prev\""));
    let res = http.get(s.url("/variable?sida=999")).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[test]
fn unknown_ids_and_paths_get_a_helpful_404() {
    let s = shared_server();
    let http = client();
    for path in ["/variable/finns-inte", "/dataset/Bad%20Id", "/codelist/lan/99", "/nowhere", "/concept/x", "/resurs?iri=https://x.se/y"] {
        let res = http.get(s.url(path)).send().unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let body = res.text().unwrap();
        assert!(body.contains("Sidan finns inte"), "{path}");
        assert!(body.contains("href=\"/\""), "{path}: a way back");
        assert!(body.contains("<main id=\"main\""), "{path}: the 404 is a full page");
    }
    let body = http.get(s.url("/variable/finns-inte")).send().unwrap().text().unwrap();
    assert!(body.contains("Det finns ingen publicerad post med det id:t."));
    assert!(body.contains("href=\"/variable\""), "suggests the variable list");
}

#[test]
fn english_is_one_click_away_and_remembered() {
    let s = shared_server();
    let http = client();
    let res = http.get(s.url("/variable/par-hdia?lang=en")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers().get("set-cookie").expect("the choice is remembered").to_str().unwrap().to_owned();
    assert!(cookie.starts_with("vk_lang=en") && cookie.contains("HttpOnly"), "{cookie}");
    let body = res.text().unwrap();
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("Main menu") && body.contains("Technical name"));
    assert!(body.contains("hreflang=\"sv\""), "a switch back to Swedish");
    let res = http.get(s.url("/")).header("cookie", "vk_lang=en").send().unwrap();
    assert!(res.text().unwrap().contains("<html lang=\"en\">"));
    let res = http.get(s.url("/")).header("accept-language", "en-GB,en;q=0.8").send().unwrap();
    assert!(res.text().unwrap().contains("<html lang=\"en\">"));
}

#[test]
fn health_check_static_files_and_security_headers() {
    let s = shared_server();
    let http = client();
    let res = http.get(s.url("/healthz")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert_eq!(json["status"], "ok");
    assert!(json["records"].as_u64().unwrap() > 100);
    let res = http.get(s.url("/static/style.css")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let res = http.get(s.url("/om")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
}

#[test]
fn output_is_escaped() {
    let s = shared_server();
    let res = client().get(s.url("/nowhere%3Cscript%3Ealert(1)%3C/script%3E")).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body = res.text().unwrap();
    assert!(!body.contains("<script>alert(1)"), "a path is escaped on the 404 page");
}

#[test]
fn the_harvest_instructions_are_two_clicks_from_home() {
    let s = shared_server();
    let home = client().get(s.url("/")).send().unwrap().text().unwrap();
    assert!(home.contains("href=\"/om/data\""), "the footer of every page links the page for machines");
    let about = client().get(s.url("/om")).send().unwrap().text().unwrap();
    assert!(about.contains("href=\"/om/data\"") && about.contains("href=\"/catalog\""), "the about page points machines on");
    let res = client().get(s.url("/om/data")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = unescape(&res.text().unwrap());
    for needle in [
        "/catalog",
        "page_size",
        "modified_since",
        "/sparql",
        "/api/v1/search",
        "href=\"/api\"",
        "href=\"/api/v1/openapi.json\"",
        "href=\"/api/v1/variables\"",
        "Authorization: Bearer",
        "/kvalitet",
        "/feed.atom",
        "CC0",
        "dataportal.se",
        "HealthData@EU",
    ] {
        assert!(page.contains(needle), "the page for machines mentions {needle}");
    }
    // every profile it lists, and every link it makes into the site, answers
    let hrefs: Vec<String> = regex::Regex::new(r#"href="(/[^"]*)""#).unwrap().captures_iter(&page).map(|c| c[1].to_owned()).collect();
    assert!(hrefs.iter().filter(|h| h.starts_with("/catalog?profile=")).count() >= 5, "{hrefs:?}");
    assert!(hrefs.iter().any(|h| h.starts_with("/sparql?query=")), "examples open on the SPARQL page");
    for href in hrefs {
        // followed as a browser follows it
        let res = client().get(s.url(&href)).header("accept", "text/html,*/*;q=0.8").send().unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{href}");
    }
    let en = client().get(s.url("/om/data")).header("cookie", "vk_lang=en").send().unwrap().text().unwrap();
    assert!(en.contains("The harvest address"), "English beside Swedish");
    assert!(en.contains("the OpenAPI 3.1 description") && page.contains("OpenAPI 3.1-beskrivningen"), "the API's words in both");
}
