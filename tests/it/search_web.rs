//! The search page, the JSON API, the variable list with its exports, variable downloads and
//! the comparison page, through a real server.

use reqwest::StatusCode;

use crate::support::{BASE, Browser, client, shared_server};

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
    html[at..at + 64].to_owned()
}

#[test]
fn the_search_page_finds_highlights_filters_and_pages() {
    let s = shared_server();
    let http = client();
    let res = http.get(s.url("/sok?q=vardplats")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().unwrap();
    assert!(body.contains("<form role=\"search\""));
    assert!(body.contains("<mark>vårdplats</mark>"), "highlighted snippet");
    assert!(body.contains("href=\"/variable/vp-disponibla-vardplatser\""));
    assert!(body.contains("type=\"checkbox\""), "facet checkboxes");
    assert!(body.contains("<legend>Typ</legend>"));

    // a facet narrows, and the active filter is a link that removes it
    let body = http
        .get(s.url("/sok?q=datum&typ=variable&datamangd=https%3A%2F%2Fkatalog.example.se%2Fdataset%2Flakemedelsregistret"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(body.contains("href=\"/variable/lmed-edatum\""), "EDATUM is a Läkemedelsregistret date");
    assert!(!body.contains("href=\"/variable/par-indatum\""), "INDATUM is not in Läkemedelsregistret");
    assert!(body.contains("Datamängd eller register: Läkemedelsregistret"), "the active filter is named");

    // paging
    let body = http.get(s.url("/sok?typ=variable")).send().unwrap().text().unwrap();
    assert!(body.contains("rel=\"next\""));
    let body = http.get(s.url("/sok?typ=variable&sida=2")).send().unwrap().text().unwrap();
    assert!(body.contains("rel=\"prev\""));
}

#[test]
fn an_empty_result_helps() {
    let s = shared_server();
    let body = client().get(s.url("/sok?q=cancerregistrettt+xyzzy")).send().unwrap().text().unwrap();
    assert!(body.contains("Inget matchade"), "says nothing matched");
    assert!(body.contains("Menade du:") && body.contains(r#"<a href="/sok?q=cancerregistret">cancerregistret</a>"#), "offers a near match");
    let body = client().get(s.url("/sok?q=zzzzqqq&typ=variable")).send().unwrap().text().unwrap();
    assert!(body.contains("Sök igen utan filter"));
    let body = client().get(s.url("/sok?fran=19x0")).send().unwrap().text().unwrap();
    assert!(body.contains("”19x0” i från är inget årtal"), "a bad year is named");
}

/// A diagnosis code typed in the search box: the page says which coding system it is a code of,
/// shows the Patient Register's diagnosis variables (which hold such codes) with a button to
/// collect them, and links to the variables coded with that system alone. Words that name codes
/// ("höftfraktur") say which codes they name.
#[test]
fn a_code_or_a_clinical_word_says_what_it_was_taken_as() {
    let s = shared_server();
    for code in ["J18", "I21", "C50", "S72"] {
        let body = client().get(s.url(&format!("/sok?q={code}"))).send().unwrap().text().unwrap();
        assert!(!body.contains("Inget matchade"), "{code}");
        assert!(body.contains(&format!("”{code}” är en kod i ")) && body.contains("ICD-10-SE"), "{code}: says what it is");
        assert!(body.contains(r#"href="/variable/par-hdia""#), "{code}: Huvuddiagnos on the first page");
        assert!(body.contains(r#"name="variabel" value="https://katalog.example.se/variable/par-hdia""#), "{code}: can be collected");
        assert!(body.contains("kodverk=https%3A%2F%2Fkatalog.example.se%2Fstandard%2Ficd-10-se"), "{code}: a link to only those variables");
    }
    let body = client().get(s.url("/sok?q=S72")).send().unwrap().text().unwrap();
    assert!(body.contains(r#"<a href="/codelist/icd-10-se-hoftfraktur/S72">S72 Fraktur på lårbenet</a>"#), "the code in the catalogue");
    let body = client().get(s.url("/sok?q=h%C3%B6ftfraktur")).send().unwrap().text().unwrap();
    assert!(body.contains("”höftfraktur” motsvarar koderna:"), "{body}");
    assert!(
        body.contains("S72.0 Fraktur på lårbenshalsen") && body.contains("Variabler som kodas med ICD-10-SE finns därför bland träffarna.")
    );
    assert!(body.contains(r#"href="/variable/par-hdia""#));
    let body = client().get(s.url("/sok?q=hip+fracture&lang=en")).send().unwrap().text().unwrap();
    assert!(body.contains("“hip fracture” names the codes:") && body.contains("S72.1 Pertrochanteric fracture"), "in English");
    // the JSON answer says the same
    let json: serde_json::Value =
        serde_json::from_str(&client().get(s.url("/api/v1/search?q=J18")).send().unwrap().text().unwrap()).unwrap();
    assert_eq!(json["recognised"][0]["text"], "J18");
    assert_eq!(json["recognised"][0]["is_code"], true);
    assert!(
        json["recognised"][0]["systems"].as_array().unwrap().iter().any(|s| s["iri"].as_str().unwrap().ends_with("standard/icd-10-se"))
    );
    assert!(json["total"].as_u64().unwrap() > 30);
}

#[test]
fn the_json_api_answers_the_same_search() {
    let s = shared_server();
    let res = client().get(s.url("/api/v1/search?q=HDIA&per_sida=5")).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert_eq!(json["hits"][0]["iri"], format!("{BASE}variable/par-hdia"));
    assert_eq!(json["hits"][0]["notation"], "HDIA");
    assert!(json["total"].as_u64().unwrap() >= 1);
    assert_eq!(json["page_size"], 5);
    assert!(json["facets"].as_array().unwrap().iter().any(|f| f["name"] == "typ"));
    let res = client().get(s.url("/api/v1/search?till=abcd")).send().unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[test]
fn a_researcher_collects_variables_and_downloads_the_list() {
    let s = shared_server();
    let http = Browser::new(s);
    let page = http.get("/variable/par-hdia").text().unwrap();
    let csrf = csrf_of(&page);

    // without the token the form is refused
    let res =
        http.post_form("/variabellista/lagg-till", &[("csrf", "x".repeat(64).as_str()), ("variabel", &format!("{BASE}variable/par-hdia"))]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    for v in ["par-hdia", "par-indatum", "lmed-atc"] {
        let res = http.post_form(
            "/variabellista/lagg-till",
            &[("csrf", csrf.as_str()), ("variabel", &format!("{BASE}variable/{v}")), ("tillbaka", "/variable/par-hdia")],
        );
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{v}");
        assert_eq!(res.headers()["location"], "/variable/par-hdia");
    }
    // an open redirect is not possible
    let res = http.post_form(
        "/variabellista/lagg-till",
        &[("csrf", csrf.as_str()), ("variabel", &format!("{BASE}variable/par-hdia")), ("tillbaka", "//evil.example/")],
    );
    assert_eq!(res.headers()["location"], "/variabellista");
    // a draft or unknown variable cannot be added
    let res = http.post_form("/variabellista/lagg-till", &[("csrf", csrf.as_str()), ("variabel", &format!("{BASE}variable/finns-inte"))]);
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let page = http.get("/variable/par-hdia").text().unwrap();
    assert!(page.contains("I din variabellista"));
    let list = http.get("/variabellista").text().unwrap();
    assert!(list.contains("<span data-list-count>3</span> variabler"));
    assert!(list.contains("<h2 id=\"h-1\"><a href=\"/agent/socialstyrelsen\">Socialstyrelsen</a></h2>"), "grouped by register holder");
    assert!(list.contains("Läkemedelsregistret") && list.contains("Patientregistret, sluten vård"), "and by register");

    // CSV: one row per register that holds the variable
    let csv_bytes = http.get("/variabellista.csv").bytes().unwrap();
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&csv_bytes[3..]); // after the byte-order mark
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "Registerhållare",
            "Register",
            "Variabel",
            "Tekniskt namn",
            "Definition",
            "Datatyp",
            "Kodlista",
            "Tidstäckning",
            "Syfte (varför variabeln behövs)",
            "Version",
            "IRI"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5, "HDIA and INDATUM in two parts each, ATC in one");
    assert!(rows.iter().any(|r| &r[1] == "Läkemedelsregistret" && &r[3] == "ATC"));
    assert!(rows.iter().any(|r| &r[3] == "HDIA" && &r[4] == "Angiven huvuddiagnos"));

    // XLSX: the same rows
    let xlsx = http.get("/variabellista.xlsx").bytes().unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    use calamine::Reader as _;
    let range = book.worksheet_range("Variabellista").unwrap();
    assert_eq!(range.height(), 6);
    assert_eq!(range.get_value((0, 0)).unwrap().to_string(), "Registerhållare");

    // JSON
    let json: serde_json::Value = serde_json::from_str(&http.get("/variabellista.json").text().unwrap()).unwrap();
    assert_eq!(json["variables"].as_array().unwrap().len(), 5);

    // remove one, then empty the list
    let res = http.post_form("/variabellista/ta-bort", &[("csrf", csrf.as_str()), ("variabel", &format!("{BASE}variable/lmed-atc"))]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(http.get("/variabellista").text().unwrap().contains("<span data-list-count>2</span> variabler"));
    http.post_form("/variabellista/tom", &[("csrf", csrf.as_str())]);
    assert!(http.get("/variabellista").text().unwrap().contains("Din lista är tom"));
}

#[test]
fn a_variable_downloads_as_json_turtle_and_csv() {
    let s = shared_server();
    let http = client();
    let json: serde_json::Value =
        serde_json::from_str(&http.get(s.url("/variable/par-hdia.json")).send().unwrap().text().unwrap()).unwrap();
    assert_eq!(json["technical_name"], "HDIA");
    assert_eq!(json["label"]["sv"], "Huvuddiagnos");
    assert_eq!(json["datasets"].as_array().unwrap().len(), 2);
    assert_eq!(json["status"], "published");

    let res = http.get(s.url("/variable/par-hdia.ttl")).send().unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/turtle"));
    let ttl = res.bytes().unwrap();
    let quads =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle).for_slice(&ttl).collect::<Result<Vec<_>, _>>().unwrap();
    assert!(quads.iter().any(|q| q.predicate.as_str() == "http://www.w3.org/2004/02/skos/core#notation"));

    let csv = http.get(s.url("/variable/lmed-atc.csv")).send().unwrap().text().unwrap();
    assert!(csv.contains("Läkemedelsregistret") && csv.contains("ATC"));
    assert_eq!(http.get(s.url("/variable/finns-inte.json")).send().unwrap().status(), StatusCode::NOT_FOUND);
}

#[test]
fn variables_with_the_same_name_compare_side_by_side() {
    let s = shared_server();
    let http = client();
    let page = http.get(s.url("/variable/par-ar")).send().unwrap().text().unwrap();
    let at = page.find("href=\"/jamfor?").expect("a compare link on a variable that other registers also have");
    let href = page[at + 6..].split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&");
    let body = http.get(s.url(&href)).send().unwrap().text().unwrap();
    assert!(body.contains("<h1>Jämför variabler</h1>"));
    assert!(body.contains("Patientregistret") && body.contains("Cancerregistret"), "columns name their registers");
    assert!(body.contains("<th scope=\"row\">Definition</th>"));
    assert_eq!(http.get(s.url("/jamfor?v=x")).send().unwrap().status(), StatusCode::NOT_FOUND);
}
