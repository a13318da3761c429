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
use vardkatalog::catalog::ImportOptions;
use vardkatalog::curation::{Actor, Curation, CurationError};
use vardkatalog::ingest::{self, plan::current_in_store, tabular::Mapping, Options};
use vardkatalog::model::{Minter, RecordKind, Resource};
use vardkatalog::state::users::{self, Role};
use vardkatalog::store::Record;

use crate::curation::form_fields;
use crate::support::{client, signed_in, start_server, start_server_with, Browser, TestServer, BASE, PASSWORD};

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
    let Some(Resource::Variable(v)) = batch.records.iter().map(|r| &r.resource).find(|r| r.kind() == RecordKind::Variable) else { panic!("the variable is read back") };
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
    assert!(page.contains("href=\"https://example.org/ok\"") && page.contains("href=\"mailto:a@example.org\""), "http(s) and mailto stay links: {page}");
}

/// What a browser makes of a Location: TAB, CR and LF removed, backslashes read as slashes.
fn as_browser_reads(location: &str) -> String {
    location.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).map(|c| if c == '\\' { '/' } else { c }).collect()
}

const EVIL_PATHS: [&str; 7] = ["/\t/evil.example", "/\\evil.example", "/\r\n/evil.example", "//evil", "https://evil", "\t//evil.example", " //evil.example"];

#[test]
fn return_paths_after_sign_in_and_forms_stay_on_this_site() {
    let s = start_server();
    users::add(&s.state, "anna", Role::Redaktor, PASSWORD).unwrap();
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
        let res = editor.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &format!("{BASE}variable/par-hdia")), ("tillbaka", evil)]);
        assert_eq!(res.headers()["location"], "/variabellista", "{evil:?}");
    }
    // a local path still works
    let res = editor.post_form("/variable/par-hdia/kommentar", &[("csrf", &csrf), ("text", "Till"), ("tillbaka", "/variable/par-hdia/utkast")]);
    assert_eq!(res.headers()["location"], "/variable/par-hdia/utkast");
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
        let t = if t.subject == iri.clone().into() && t.predicate == title && matches!(&t.object, Term::Literal(l) if l.language() == Some("sv")) {
            Triple::new(t.subject, t.predicate, Literal::new_language_tagged_literal_unchecked("Patient\u{7}registret", "sv"))
        } else {
            t
        };
        graph.insert(&t);
    }
    s.catalogue.save_records(&[Record { meta: rec.meta.clone(), graph }]).unwrap();

    for path in ["/catalog.rdf", "/catalog.rdf?page=1", "/dataset/patientregistret.rdf", "/dataset/patientregistret.rdf?profile=healthdcat-ap"] {
        let body = client().get(s.url(path)).send().unwrap().bytes().unwrap();
        assert!(!body.contains(&0x07), "{path} holds U+0007");
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("Patient\u{FFFD}registret"), "{path}: replaced by U+FFFD");
        vardkatalog::catalog::parse_document(text.as_bytes(), RdfFormat::RdfXml, BASE).unwrap_or_else(|e| panic!("{path} is not well-formed: {e}"));
    }
    // the Atom feed and SPARQL's XML answers
    let q = format!("SELECT ?t WHERE {{ <{}> <http://purl.org/dc/terms/title> ?t }}", iri.as_str());
    for url in [
        s.url("/feed.atom"),
        format!("{}?{}", s.url("/sparql"), serde_urlencoded::to_string([("query", q.as_str()), ("format", "xml")]).unwrap()),
        format!("{}?{}", s.url("/sparql"), serde_urlencoded::to_string([("query", format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{}> AS ?s) ?s ?p ?o }}", iri.as_str()).as_str()), ("format", "rdf")]).unwrap()),
    ] {
        let body = client().get(&url).send().unwrap().bytes().unwrap();
        assert!(!body.contains(&0x07), "{url} holds U+0007");
    }
}

#[test]
fn the_language_switch_is_always_a_path_on_this_site() {
    let s = crate::support::shared_server();
    for (path, expected) in [("//evil.example/x", "/evil.example/x?lang=en"), ("///evil.example/x?a=1", "/evil.example/x?a=1"), ("/variable/par-hdia", "/variable/par-hdia?lang=en")] {
        let page = client().get(s.url(path)).send().unwrap().text().unwrap();
        assert!(!page.contains("href=\"//evil.example"), "{path}: {page}");
        assert!(page.contains(&format!("class=\"langswitch\" href=\"{expected}")), "{path}");
    }
}

