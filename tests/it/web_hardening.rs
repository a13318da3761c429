//! The web hardening of issue 20 through a real server: CSV exports a spreadsheet cannot run,
//! links from the data that cannot run script, return paths that stay on the site, control
//! characters refused at every door and never written into XML, the language switch, caching
//! of signed-in pages, the CSRF token bound to the session, the body read only after the role
//! check, client addresses behind a trusted proxy, four eyes on publication and the password
//! rule.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, Literal, NamedNode, Term, Triple};
use reqwest::StatusCode;
use vardkatalog::accounts::Role;
use vardkatalog::catalog::ImportOptions;
use vardkatalog::curation::{Actor, Curation, CurationError};
use vardkatalog::ingest::{self, Options, plan::current_in_store, tabular::Mapping};
use vardkatalog::model::{Minter, RecordKind, Resource};
use vardkatalog::store::Record;

use crate::curation::form_fields;
use crate::support::{BASE, Browser, PASSWORD, TestServer, client, signed_in, start_server, start_server_with};

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix disco: <http://rdf-vocabulary.ddialliance.org/discovery#> .
@prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
";

/// Imports a Turtle document (relative IRIs under the base) as published records.
fn import(s: &TestServer, ttl: &str) {
    let doc = format!("{PREFIXES}{ttl}");
    s.catalogue.import_document(doc.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).expect("the document imports");
}

/// The fields of a CSV file (after its byte-order mark).
fn csv_fields(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(bytes);
    r.records().map(|rec| rec.unwrap().iter().map(str::to_owned).collect()).collect()
}

fn assert_no_formula(what: &str, rows: &[Vec<String>]) {
    for row in rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{what}: a spreadsheet would run {cell:?}");
        }
    }
}

#[test]
fn csv_exports_put_a_quote_before_formula_cells_and_import_unchanged() {
    let s = start_server();
    import(
        &s,
        r#"<dataset/formeltest> a dcat:Dataset ; dct:identifier "formeltest" ;
    dct:title "Formeltest"@sv ; dct:description "Ett register med elaka celler."@sv ; dct:publisher <agent/socialstyrelsen> ;
    disco:variable <variable/formeltest-a> .
<variable/formeltest-a> a disco:Variable ; dct:identifier "formeltest-a" ; skos:notation "@A" ;
    skos:prefLabel "=HYPERLINK(\"http://evil.example\",\"Klicka\")"@sv ;
    skos:definition "+46 är landsnumret; -1 betyder saknat"@sv ;
    disco:representation xsd:integer ; csvw:null "-1" .
"#,
    );
    let b = Browser::new(&s);
    // the dataset's variables, one variable, and the variable list
    let dataset_csv = b.get("/dataset/formeltest/variabler.csv").bytes().unwrap();
    let rows = csv_fields(&dataset_csv, b';');
    assert_no_formula("/dataset/formeltest/variabler.csv", &rows);
    let flat: Vec<&str> = rows.iter().flatten().map(String::as_str).collect();
    assert!(flat.contains(&"'-1") && flat.iter().any(|c| c.starts_with("'=HYPERLINK")) && flat.contains(&"'@A"), "{flat:?}");
    assert!(String::from_utf8_lossy(&dataset_csv).contains("\"'-1\""), "every field is quoted");
    assert_no_formula("/variable/formeltest-a.csv", &csv_fields(&b.get("/variable/formeltest-a.csv").bytes().unwrap(), b','));
    let csrf = b.csrf();
    let res = b.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &format!("{BASE}variable/formeltest-a"))]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = csv_fields(&b.get("/variabellista.csv").bytes().unwrap(), b',');
    assert!(list.len() == 2, "{list:?}");
    assert_no_formula("/variabellista.csv", &list);
    // the XLSX export is untouched: its cells are strings, never formulas
    let xlsx = b.get("/dataset/formeltest/variabler.xlsx").bytes().unwrap();
    let sheets = ingest::cells::read_workbook(&xlsx).unwrap();
    assert!(sheets.iter().flat_map(|s| &s.rows).flat_map(|(_, c)| c).any(|c| c == "-1"), "the workbook keeps -1 as it is");

    // importing the CSV export changes nothing: the quotes are taken off again
    let mut o = Options::new(Minter::new(BASE));
    o.agents = ingest::agent_names(&s.catalogue).unwrap();
    let batch = ingest::tabular::read_csv("variabler.csv", &dataset_csv, &Mapping::workbook(), &o).unwrap();
    let Some(Resource::Variable(v)) = batch.records.iter().map(|r| &r.resource).find(|r| r.kind() == RecordKind::Variable) else {
        panic!("the variable is read back")
    };
    assert_eq!(v.missing_values, ["-1"]);
    assert_eq!(v.notation.as_deref(), Some("@A"));
    assert!(v.label.get("sv").unwrap().starts_with("=HYPERLINK("), "{:?}", v.label);
    let plan = ingest::plan(batch, &|i| current_in_store(&s.catalogue, i)).unwrap();
    assert!(!plan.has_errors(), "{:?}", plan.problems);
    assert!(plan.create.is_empty() && plan.change.is_empty(), "changed: {:?}", plan.change.iter().map(|e| &e.changed).collect::<Vec<_>>());
}

#[test]
fn links_from_the_data_are_only_http_https_or_mailto() {
    let s = start_server();
    import(
        &s,
        r#"<agent/skurk> a foaf:Agent ; foaf:name "Skurk AB"@sv ; dcat:contactPoint <agent/skurk#kontakt> .
<agent/skurk#kontakt> a vcard:Organization , vcard:Kind ; vcard:fn "Skurk"@sv ; vcard:hasURL <javascript:alert(1)> .
<dataset/skurkdata> a dcat:Dataset ; dct:identifier "skurkdata" ; dct:title "Skurkdata"@sv ; dct:description "Data med skadliga länkar."@sv ;
    dct:publisher <agent/skurk> ; dcat:landingPage <JavaScript:alert(2)> ; dcat:distribution <distribution/skurkdata-fil> .
<distribution/skurkdata-fil> a dcat:Distribution ; dct:title "Fil"@sv ; dcat:accessURL <javascript:alert(1)> ; dcat:downloadURL <data:text/html,x> .
"#,
    );
    for path in ["/agent/skurk", "/dataset/skurkdata", "/distribution/skurkdata-fil"] {
        let page = client().get(s.url(path)).send().unwrap().text().unwrap();
        let lower = page.to_lowercase();
        assert!(!lower.contains("href=\"javascript:") && !lower.contains("href=\"data:"), "{path} links to script:\n{page}");
        assert!(page.contains("javascript:alert(1)") || page.contains("JavaScript:alert(2)"), "{path} shows the address as text");
    }
    let dataset = client().get(s.url("/dataset/skurkdata")).send().unwrap().text().unwrap();
    assert!(dataset.contains("<code>javascript:alert(1)</code>"), "the distribution table shows the access URL as text");

    // a SPARQL query binding such IRIs, and one under the base that would be a network path
    let q = "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <https://katalog.example.se//evil.example/x> <https://example.org/ok> <mailto:a@example.org> } }";
    let url = format!("{}?{}", s.url("/sparql"), serde_urlencoded::to_string([("query", q), ("format", "html")]).unwrap());
    let page = client().get(url).send().unwrap().text().unwrap();
    assert!(!page.to_lowercase().contains("href=\"javascript:"), "{page}");
    assert!(!page.contains("href=\"//evil.example"), "{page}");
    assert!(
        page.contains("href=\"https://example.org/ok\"") && page.contains("href=\"mailto:a@example.org\""),
        "http(s) and mailto stay links: {page}"
    );
}

/// What a browser makes of a Location: TAB, CR and LF removed, backslashes read as slashes.
fn as_browser_reads(location: &str) -> String {
    location.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).map(|c| if c == '\\' { '/' } else { c }).collect()
}

const EVIL_PATHS: [&str; 7] =
    ["/\t/evil.example", "/\\evil.example", "/\r\n/evil.example", "//evil", "https://evil", "\t//evil.example", " //evil.example"];

#[test]
fn return_paths_after_sign_in_and_forms_stay_on_this_site() {
    let s = start_server();
    vardkatalog::accounts::Accounts::new(s.state.clone()).add("test", "anna", Role::Redaktor, PASSWORD).unwrap();
    for evil in EVIL_PATHS {
        // the sign-in page's hidden field
        let url = format!("{}?{}", s.url("/login"), serde_urlencoded::to_string([("next", evil)]).unwrap());
        let page = client().get(url).send().unwrap().text().unwrap();
        assert!(page.contains("name=\"next\" value=\"/arbete\""), "{evil:?}: the form does not carry it");
        // and the sign-in itself
        let b = Browser::new(&s);
        let csrf = b.csrf();
        let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "anna"), ("losenord", PASSWORD), ("next", evil)]);
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{evil:?}");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/arbete", "{evil:?}");
        assert!(!as_browser_reads(&location).starts_with("//"));
    }
    // the comment form's return field and the variable list's
    let editor = signed_in(&s, "bo", Role::Redaktor);
    let csrf = editor.csrf();
    for evil in EVIL_PATHS {
        let res = editor.post_form("/variable/par-hdia/kommentar", &[("csrf", &csrf), ("text", "En kommentar"), ("tillbaka", evil)]);
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{evil:?}");
        assert_eq!(res.headers()["location"], "/variable/par-hdia", "{evil:?}");
        let res = editor.post_form(
            "/variabellista/lagg-till",
            &[("csrf", &csrf), ("variabel", &format!("{BASE}variable/par-hdia")), ("tillbaka", evil)],
        );
        assert_eq!(res.headers()["location"], "/variabellista", "{evil:?}");
    }
    // a local path still works
    let res =
        editor.post_form("/variable/par-hdia/kommentar", &[("csrf", &csrf), ("text", "Till"), ("tillbaka", "/variable/par-hdia/utkast")]);
    assert_eq!(res.headers()["location"], "/variable/par-hdia/utkast");
}

#[test]
fn a_control_character_is_refused_at_every_door_naming_the_field() {
    // an RDF import: refused, naming the record and the property
    let cat = crate::support::seeded_catalogue();
    let before = cat.store().len().unwrap();
    let doc = format!("{PREFIXES}<dataset/klocka> a dcat:Dataset ; dct:identifier \"klocka\" ; dct:title \"Klock\\u0007ringning\"@sv .\n");
    let e = cat.import_document(doc.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).unwrap_err().to_string();
    assert!(e.contains("http://purl.org/dc/terms/title") && e.contains("U+0007") && e.contains("dataset/klocka"), "{e}");
    assert_eq!(cat.store().len().unwrap(), before, "nothing was written");

    // the spreadsheet import: an error at its row, naming the property
    let iri = cat.minter().record(RecordKind::Dataset, "patientregistret").unwrap();
    let export = ingest::export::collect(&cat, &iri).unwrap().unwrap();
    let csv = String::from_utf8(export.to_csv().unwrap()).unwrap().replacen("Huvuddiagnos", "Huvud\u{7}diagnos", 1);
    let mut o = Options::new(Minter::new(BASE));
    o.agents = ingest::agent_names(&cat).unwrap();
    let batch = ingest::tabular::read_csv("variabler.csv", csv.as_bytes(), &Mapping::workbook(), &o).unwrap();
    let plan = ingest::plan(batch, &|i| current_in_store(&cat, i)).unwrap();
    let problem = plan.problems.iter().find(|p| p.sv.contains("U+0007")).unwrap_or_else(|| panic!("{:?}", plan.problems));
    assert!(
        problem.is_error() && problem.row.is_some() && problem.sv.contains("http://www.w3.org/2004/02/skos/core#prefLabel"),
        "{problem:?}"
    );
    assert!(plan.has_errors());

    // the curation service (every draft: forms, bulk import)
    let s = start_server();
    let curation = Curation::new(s.catalogue.clone(), s.state.clone());
    let hdia = s.catalogue.minter().record(RecordKind::Variable, "par-hdia").unwrap();
    let (_, Resource::Variable(mut v)) = s.catalogue.public_resource(hdia.as_ref()).unwrap().unwrap() else { panic!() };
    v.definition.set("sv", "Ring\u{7}");
    let anna = Actor { user: "anna".into(), role: Role::Redaktor };
    let e = curation.save_draft(&anna, Resource::Variable(v.clone()), None, "x").unwrap_err();
    assert!(matches!(e, CurationError::Model { .. }) && e.to_string().contains("http://www.w3.org/2004/02/skos/core#definition"), "{e}");
    assert!(curation.save_drafts(&anna, vec![Resource::Variable(v)], "x").is_err());
    assert!(curation.draft(&hdia).unwrap().is_none(), "no draft was saved");

    // a web form: 400, naming the field, nothing saved
    let editor = signed_in(&s, "bo", Role::Redaktor);
    let path = "/variable/par-hdia/redigera";
    let mut fields = form_fields(&editor.get(path).text().unwrap(), path);
    fields.retain(|(k, _)| k != "definition_sv");
    fields.push(("definition_sv".into(), "Ring\u{7}klocka".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = editor.post_form(path, &pairs);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let page = res.text().unwrap();
    assert!(page.contains("«definition_sv»") && page.contains("U+0007") && page.contains("Inget sparades"), "{page}");
    assert!(curation.draft(&hdia).unwrap().is_none(), "no draft was saved");

    // a harvest: the record is skipped and the report names the property
    let fixture = crate::fixture_server::serve(|target| match target {
        "/dcat.ttl" => crate::fixture_server::Reply::ok(
            "text/turtle",
            "<https://data.example.org/dataset/a> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Klock\\u0007a\"@sv ; <http://purl.org/dc/terms/identifier> \"a\" .\n<https://data.example.org/dataset/b> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"Bra\"@sv ; <http://purl.org/dc/terms/identifier> \"b\" .\n",
        ),
        _ => crate::fixture_server::Reply::not_found(),
    });
    let source = vardkatalog::harvest::SourceConfig {
        id: "klocka".into(),
        kind: vardkatalog::harvest::SourceKind::Dcat,
        url: fixture.url("/dcat.ttl"),
        schedule: None,
        only: Vec::new(),
        columns: Default::default(),
    };
    let settings = vardkatalog::harvest::HarvestSettings {
        timeout_s: 5,
        retries: 0,
        sources: vec![source],
        // the fixture server is on loopback, which only allow_private lets a source reach
        allow_private: vec!["127.0.0.1".into()],
        ..Default::default()
    };
    let h = vardkatalog::harvest::Harvester::new(s.catalogue.clone(), s.state.clone(), settings);
    let report = h.run("klocka", false, &|_| {}).expect("the run starts");
    let errors = report.errors.join("\n");
    assert!(errors.contains("dataset/a") && errors.contains("http://purl.org/dc/terms/title") && errors.contains("U+0007"), "{report:?}");
    assert!(s.catalogue.public_resource(NamedNode::new("https://data.example.org/dataset/a").unwrap().as_ref()).unwrap().is_none());
    assert!(
        s.catalogue.public_resource(NamedNode::new("https://data.example.org/dataset/b").unwrap().as_ref()).unwrap().is_some(),
        "the good record is taken"
    );
}

#[test]
fn the_xml_documents_stay_well_formed_whatever_the_store_holds() {
    let s = start_server();
    // an old database: a title with U+0007, written past every input check
    let iri = s.catalogue.minter().record(RecordKind::Dataset, "patientregistret").unwrap();
    let rec = s.catalogue.store().get(iri.as_ref()).unwrap().unwrap();
    let mut graph = Graph::new();
    let title = NamedNode::new("http://purl.org/dc/terms/title").unwrap();
    for t in rec.graph.iter() {
        let t = t.into_owned();
        let t = if t.subject == iri.clone().into()
            && t.predicate == title
            && matches!(&t.object, Term::Literal(l) if l.language() == Some("sv"))
        {
            Triple::new(t.subject, t.predicate, Literal::new_language_tagged_literal_unchecked("Patient\u{7}registret", "sv"))
        } else {
            t
        };
        graph.insert(&t);
    }
    s.catalogue.save_records(&[Record { meta: rec.meta.clone(), graph }]).unwrap();

    for path in
        ["/catalog.rdf", "/catalog.rdf?page=1", "/dataset/patientregistret.rdf", "/dataset/patientregistret.rdf?profile=healthdcat-ap"]
    {
        let body = client().get(s.url(path)).send().unwrap().bytes().unwrap();
        assert!(!body.contains(&0x07), "{path} holds U+0007");
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("Patient\u{FFFD}registret"), "{path}: replaced by U+FFFD");
        vardkatalog::catalog::parse_document(text.as_bytes(), RdfFormat::RdfXml, BASE)
            .unwrap_or_else(|e| panic!("{path} is not well-formed: {e}"));
    }
    // the Atom feed and SPARQL's XML answers
    let q = format!("SELECT ?t WHERE {{ <{}> <http://purl.org/dc/terms/title> ?t }}", iri.as_str());
    for url in [
        s.url("/feed.atom"),
        format!("{}?{}", s.url("/sparql"), serde_urlencoded::to_string([("query", q.as_str()), ("format", "xml")]).unwrap()),
        format!(
            "{}?{}",
            s.url("/sparql"),
            serde_urlencoded::to_string([
                ("query", format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{}> AS ?s) ?s ?p ?o }}", iri.as_str()).as_str()),
                ("format", "rdf")
            ])
            .unwrap()
        ),
    ] {
        let body = client().get(&url).send().unwrap().bytes().unwrap();
        assert!(!body.contains(&0x07), "{url} holds U+0007");
    }
}

#[test]
fn the_language_switch_is_always_a_path_on_this_site() {
    let s = crate::support::shared_server();
    for (path, expected) in [
        ("//evil.example/x", "/evil.example/x?lang=en"),
        ("///evil.example/x?a=1", "/evil.example/x?a=1"),
        ("/variable/par-hdia", "/variable/par-hdia?lang=en"),
    ] {
        let page = client().get(s.url(path)).send().unwrap().text().unwrap();
        assert!(!page.contains("href=\"//evil.example"), "{path}: {page}");
        assert!(page.contains(&format!("class=\"langswitch\" href=\"{expected}")), "{path}");
    }
}

#[test]
fn nothing_a_signed_in_person_sees_is_cached() {
    let s = start_server();
    let cache =
        |res: &reqwest::blocking::Response| res.headers().get("cache-control").map(|h| h.to_str().unwrap().to_owned()).unwrap_or_default();
    let anonymous = Browser::new(&s);
    assert!(!cache(&anonymous.get("/")).contains("no-store"), "public pages may be cached");
    assert_eq!(cache(&anonymous.get("/login")), "no-store");
    let admin = signed_in(&s, "anna", Role::Admin);
    for path in ["/", "/variable/par-hdia", "/arbete", "/admin/anvandare", "/catalog.ttl", "/variable/par-hdia/historik"] {
        assert_eq!(cache(&admin.get(path)), "no-store", "{path}");
    }
}

#[test]
fn the_csrf_token_is_bound_to_the_session() {
    let s = start_server();
    let anna = signed_in(&s, "anna", Role::Redaktor);
    let bo = signed_in(&s, "bo", Role::Redaktor);
    let (anna_token, bo_token) = (anna.csrf(), bo.csrf());
    assert_ne!(anna_token, anna.cookie("vk_csrf").unwrap(), "signed in, the token is not the double-submit cookie");
    assert_ne!(anna_token, bo_token);
    let comment = |session: &str, cookie_token: &str, token: &str| {
        client()
            .post(s.url("/variable/par-hdia/kommentar"))
            .header("cookie", format!("vk_session={session}; vk_csrf={cookie_token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string([("csrf", token), ("text", "Hej")]).unwrap())
            .send()
            .unwrap()
            .status()
    };
    let bo_session = bo.cookie("vk_session").unwrap();
    // another session's token fails, and so does a cookie the attacker planted with its copy
    assert_eq!(comment(&bo_session, &bo.cookie("vk_csrf").unwrap(), &anna_token), StatusCode::FORBIDDEN);
    let planted = "a".repeat(64);
    assert_eq!(comment(&bo_session, &planted, &planted), StatusCode::FORBIDDEN, "double submit alone is not enough when signed in");
    assert_eq!(comment(&bo_session, &planted, &bo_token), StatusCode::SEE_OTHER, "the session's own token works");
    // after signing out, the old token is worthless and anonymous forms use the cookie again
    let res = bo.post_form("/logout", &[("csrf", &bo_token)]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let fresh = bo.csrf();
    assert_eq!(Some(fresh.clone()), bo.cookie("vk_csrf"), "anonymous: double submit");
    let res = bo.post_form("/login", &[("csrf", &fresh), ("namn", "bo"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the sign-in form works anonymously");
}

/// Sends the head of a request and `sent` bytes of a body announced as `announced` bytes, and
/// returns the status line of the answer (the server must answer without the rest of the body).
fn answer_before_the_body(s: &TestServer, path: &str, cookie: &str, announced: usize, sent: usize) -> String {
    let mut stream = TcpStream::connect(s.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: {announced}\r\n\r\n",
        s.addr
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&vec![b'x'; sent]).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        let n = stream.read(&mut buf).expect("the server answers without waiting for the whole body");
        assert!(n > 0, "the connection closed without an answer");
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&answer).lines().next().unwrap().to_owned()
}

#[test]
fn import_checks_who_is_asking_before_reading_the_body() {
    let s = start_server();
    // anonymous: to the sign-in page, with 64 KB of a 20 MB body sent
    let status = answer_before_the_body(&s, "/import", "", 20 * 1024 * 1024, 64 * 1024);
    assert!(status.starts_with("HTTP/1.1 303"), "{status}");
    // a signed-in reader without the role, and a body over the limit: refused at once
    let admin = signed_in(&s, "anna", Role::Redaktor);
    let cookie = format!("vk_session={}", admin.cookie("vk_session").unwrap());
    let status = answer_before_the_body(&s, "/import", &cookie, 26 * 1024 * 1024, 64 * 1024);
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
}

#[test]
fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    // a failed sign-in (each with another account name, so only the address lock counts)
    let fail = |b: &Browser, csrf: &str, i: usize, forwarded: &str| {
        let form = [("csrf", csrf), ("namn", &format!("ingen{i}")), ("losenord", "fel lösenord!!")];
        b.post_form_with("/login", &form, &[("x-forwarded-for", forwarded)]).status().as_u16()
    };
    // no trusted proxy: a forged header does not change the address, 20 failures lock it
    let s = start_server();
    let b = Browser::new(&s);
    let csrf = b.csrf();
    for i in 0..20 {
        fail(&b, &csrf, i, &format!("203.0.113.{i}"));
    }
    assert_eq!(fail(&b, &csrf, 99, "198.51.100.1"), 429, "the peer address is locked whatever the header says");

    // behind a trusted proxy: the client address is the forwarded one
    let s = start_server_with(|c| c.trusted_proxies = vec![vardkatalog::config::IpRange::parse("127.0.0.0/8").unwrap()]);
    let b = Browser::new(&s);
    let csrf = b.csrf();
    for i in 0..20 {
        fail(&b, &csrf, i, "198.51.100.7, 127.0.0.1");
    }
    assert_eq!(fail(&b, &csrf, 98, "198.51.100.7"), 429, "the forwarded client is locked");
    assert_eq!(fail(&b, &csrf, 99, "198.51.100.8"), 401, "another client behind the proxy is not");
    assert_eq!(
        fail(&b, &csrf, 97, "198.51.100.7, 198.51.100.8"),
        401,
        "the rightmost untrusted address counts, not what the client wrote left of it"
    );
}

#[test]
fn a_reviewer_does_not_publish_their_own_changes() {
    let s = start_server();
    let greta = signed_in(&s, "greta", Role::Granskare);
    let hans = signed_in(&s, "hans", Role::Admin);
    let anna = signed_in(&s, "anna", Role::Redaktor);
    let edit = |b: &Browser, value: &str| {
        let path = "/variable/par-hdia/redigera";
        let mut fields = form_fields(&b.get(path).text().unwrap(), path);
        fields.retain(|(k, _)| k != "definition_sv");
        fields.push(("definition_sv".into(), value.into()));
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(b.post_form(path, &pairs).status(), StatusCode::SEE_OTHER);
    };
    let step = |b: &Browser, step: &str, fields: &[(&str, &str)]| {
        let csrf = b.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        b.post_form(&format!("/variable/par-hdia/{step}"), &all)
    };
    // greta writes and submits: she may not publish, hans may
    edit(&greta, "Granskarens egen definition");
    assert_eq!(step(&greta, "skicka", &[]).status(), StatusCode::SEE_OTHER);
    let res = step(&greta, "publicera", &[("andringsnotering", "Egen ändring")]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().unwrap().contains("Fyra ögon"));
    assert_eq!(step(&hans, "publicera", &[("andringsnotering", "Granskad av hans")]).status(), StatusCode::SEE_OTHER);

    // anna writes, greta sends it back (no change of content), anna submits again: greta may publish
    edit(&anna, "Redaktörens definition");
    assert_eq!(step(&anna, "skicka", &[]).status(), StatusCode::SEE_OTHER);
    assert_eq!(step(&greta, "aterforvisa", &[("kommentar", "Förtydliga")]).status(), StatusCode::SEE_OTHER);
    assert_eq!(step(&anna, "skicka", &[]).status(), StatusCode::SEE_OTHER);
    assert_eq!(step(&greta, "publicera", &[("andringsnotering", "Granskad")]).status(), StatusCode::SEE_OTHER);

    // with four eyes off, a reviewer publishes their own change
    let s = start_server_with(|c| c.curation.four_eyes = false);
    let greta = signed_in(&s, "greta", Role::Granskare);
    edit(&greta, "Ensam granskare");
    assert_eq!(step(&greta, "skicka", &[]).status(), StatusCode::SEE_OTHER);
    assert_eq!(step(&greta, "publicera", &[("andringsnotering", "Ensam")]).status(), StatusCode::SEE_OTHER);
}

#[test]
fn passwords_need_twelve_characters_and_not_a_common_one() {
    let s = start_server();
    let admin = signed_in(&s, "anna", Role::Admin);
    let csrf = admin.csrf();
    for (password, says) in
        [("elva tecken", "minst 12 tecken"), ("Qwerty123456", "vanligaste lösenorden"), ("PASSWORD1234", "vanligaste lösenorden")]
    {
        let res = admin.post_form("/admin/anvandare", &[("csrf", &csrf), ("namn", "bo"), ("roll", "redaktor"), ("losenord", password)]);
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{password}");
        assert!(res.text().unwrap().contains(says), "{password}");
        assert!(s.state.users.get("bo").unwrap().is_none());
    }
    let res = admin.post_form("/admin/anvandare/anna", &[("csrf", &csrf), ("atgard", "losenord"), ("losenord", "password1234")]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = admin.post_form("/admin/anvandare", &[("csrf", &csrf), ("namn", "bo"), ("roll", "redaktor"), ("losenord", "tolv tecken!")]);
    assert_eq!(res.status(), StatusCode::OK);
    assert!(s.state.users.get("bo").unwrap().is_some());
}
