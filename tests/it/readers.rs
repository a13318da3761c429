//! Hostile spreadsheets and RDF against every reader, as an attacker would send them: a sheet
//! that holds only A1 and XFD1048576, a package that unpacks to far more than it weighs, a zip
//! header that lies about a part's size, a shared-string table that declares billions of
//! entries, and RDF/XML with nested entity declarations ("billion laughs"). Each is refused with
//! a message that names the sheet (or says what), nothing is written, and the server answers
//! afterwards.

use std::io::{Cursor, Write};

use vardkatalog::accounts::Role;
use vardkatalog::harvest::{HarvestSettings, Harvester, SourceConfig, SourceKind};
use vardkatalog::ingest::{self, Options};
use vardkatalog::model::Minter;
use vardkatalog::state::State;
use vardkatalog::state::harvest::RunStatus;

use crate::fixture_server::{Reply, serve};
use crate::support::{BASE, client, empty_catalogue, signed_in, start_server};

/// The parts of a workbook around one sheet, `Blad1` unless named (what Excel writes, minus
/// styles and properties).
pub fn workbook_with(sheet: &str, sheet_xml: &[u8], extra: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method).large_file(sheet_xml.len() > u32::MAX as usize / 2);
    let mut part = |name: &str, body: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(body).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#).as_bytes(),
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    part("xl/worksheets/sheet1.xml", sheet_xml);
    for (name, body) in extra {
        part(name, body);
    }
    zip.finish().unwrap().into_inner()
}

/// A sheet with `cells` (reference, inline text) in `sheetData`.
fn sheet_xml(dimension: &str, cells: &[(&str, &str)]) -> Vec<u8> {
    let mut rows = String::new();
    for (r, text) in cells {
        let row: String = r.chars().filter(char::is_ascii_digit).collect();
        rows.push_str(&format!(r#"<row r="{row}"><c r="{r}" t="inlineStr"><is><t>{text}</t></is></c></row>"#));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"#
    )
    .into_bytes()
}

/// The issue's file: about 1.5 KB, one sheet holding only A1 and XFD1048576 (the last cell of
/// XLSX). calamine made it a range of 17 billion cells (~550 GB): the process aborted.
pub fn corners_workbook() -> Vec<u8> {
    workbook_with(
        "Blad1",
        &sheet_xml("A1:XFD1048576", &[("A1", "Variabelnamn"), ("XFD1048576", "x")]),
        &[],
        zip::CompressionMethod::Deflated,
    )
}

/// A decompression bomb: a sheet of `mb` megabytes of whitespace, deflated (~1:1000). The old
/// reader held it one-for-one in memory; kept at tens of MB so that the old code does not
/// exhaust the test machine, and above the 64 MB a part may unpack to.
pub fn bomb_workbook(mb: usize) -> Vec<u8> {
    let head = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Variabelnamn</t></is></c></row>"#;
    let tail = b"</sheetData></worksheet>";
    let mut xml = Vec::with_capacity(mb * 1024 * 1024 + head.len() + tail.len());
    xml.extend_from_slice(head);
    xml.resize(head.len() + mb * 1024 * 1024, b' ');
    xml.extend_from_slice(tail);
    workbook_with("Blad1", &xml, &[], zip::CompressionMethod::Deflated)
}

fn options() -> Options {
    Options::new(Minter::new(BASE))
}

#[test]
fn the_corner_cells_workbook_is_refused_by_the_import_naming_the_sheet() {
    let book = corners_workbook();
    assert!(book.len() < 2_000, "about 1.5 KB: {}", book.len());
    for mapping in [None, Some(ingest::tabular::Mapping::rut())] {
        let e = ingest::read_file("hörn.xlsx", &book, mapping.as_ref(), &options()).unwrap_err();
        assert_eq!(
            e.message("sv"),
            "Bladet 'Blad1' är för stort: cellen XFD1048576 ligger till höger om kolumn ALL (1 000), den sista som läses."
        );
        assert_eq!(
            e.message("en"),
            "The sheet 'Blad1' is too large: the cell XFD1048576 is right of column ALL (1,000), the last one read."
        );
    }
    // far down in column A: the row is the limit
    let deep = workbook_with("Lång", &sheet_xml("A1:A1048576", &[("A1", "x"), ("A1048576", "y")]), &[], zip::CompressionMethod::Deflated);
    let e = ingest::read_file("lång.xlsx", &deep, None, &options()).unwrap_err();
    assert_eq!(e.message("en"), "The sheet 'Lång' is too large: the cell A1048576 is below row 200,000, the last one read.");
}

#[test]
fn the_corner_cells_workbook_uploaded_by_a_redaktor_is_refused_and_the_server_goes_on() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let csrf = anna.csrf();
    let before = server.catalogue.store().len().unwrap();
    let res = anna.post_multipart("/import", &[("csrf", &csrf)], ("fil", "hörn.xlsx", &corners_workbook()));
    assert_eq!(res.status(), 422);
    let html = res.text().unwrap();
    assert!(
        html.contains("Filen kunde inte läsas: Bladet &#39;Blad1&#39; är för stort: cellen XFD1048576 ligger till höger om kolumn ALL (1 000), den sista som läses."),
        "{html}"
    );
    assert!(!html.contains("/import/bekrafta"), "nothing to confirm");
    let res = anna.post_multipart("/import?lang=en", &[("csrf", &csrf)], ("fil", "hörn.xlsx", &corners_workbook()));
    assert_eq!(res.status(), 422);
    let html = res.text().unwrap();
    assert!(html.contains("The file could not be read: The sheet &#39;Blad1&#39; is too large: the cell XFD1048576"), "{html}");

    // the bomb: refused by its size, before it is unpacked
    let bomb = bomb_workbook(80);
    assert!(bomb.len() < 1024 * 1024, "well under a megabyte: {}", bomb.len());
    let res = anna.post_multipart("/import?lang=sv", &[("csrf", &csrf)], ("fil", "bomb.xlsx", &bomb));
    assert_eq!(res.status(), 422);
    let html = res.text().unwrap();
    assert!(html.contains("Bladet &#39;Blad1&#39; är större än 64 MB uppackat (högst 64 MB per del av arbetsboken)."), "{html}");

    // nothing was written, no draft was made, and the server answers
    assert_eq!(server.catalogue.store().len().unwrap(), before);
    assert!(server.state.revisions.open_drafts().unwrap().is_empty(), "no drafts");
    let health = client().get(server.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), 200);
    let res =
        anna.post_multipart("/import", &[("csrf", &csrf)], ("fil", "andring.xlsx", &crate::ingest::register_workbook("Heltal", "1997")));
    assert_eq!(res.status(), 200, "a real workbook is still read");
}

#[test]
fn a_zip_header_that_understates_a_sheet_does_not_help() {
    // the central directory and the local header say 1 000 bytes; the sheet inflates to 16 MB
    let mut book = bomb_workbook(16);
    let name = b"xl/worksheets/sheet1.xml";
    let mut patched = 0;
    for sig in [&b"PK\x01\x02"[..], &b"PK\x03\x04"[..]] {
        let mut at = 0;
        while let Some(i) = book[at..].windows(4).position(|w| w == sig).map(|i| i + at) {
            let (name_at, size_at) = if sig == b"PK\x01\x02" { (i + 46, i + 24) } else { (i + 30, i + 22) };
            if book.get(name_at..name_at + name.len()) == Some(&name[..]) {
                book[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
                patched += 1;
            }
            at = i + 4;
        }
    }
    assert_eq!(patched, 2, "both headers of the sheet");
    let e = ingest::read_file("lögn.xlsx", &book, None, &options()).unwrap_err();
    assert!(e.message("sv").starts_with("Bladet 'Blad1' är skadat: "), "{}", e.message("sv"));
    assert!(e.message("en").starts_with("The sheet 'Blad1' is damaged: "), "{}", e.message("en"));
}

#[test]
fn a_shared_string_table_that_declares_billions_is_refused() {
    // calamine reserves room for `uniqueCount` entries before it reads one
    let sst = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>"#;
    let book = workbook_with("Blad1", &sheet_xml("A1", &[("A1", "x")]), &[("xl/sharedStrings.xml", sst)], zip::CompressionMethod::Deflated);
    let e = ingest::read_file("sst.xlsx", &book, None, &options()).unwrap_err();
    assert_eq!(e.message("en"), "The part 'xl/sharedstrings.xml' of the workbook has more than 2,000,000 shared strings.");
}

#[test]
fn check_extract_refuses_the_corner_cells_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leverans.xlsx");
    std::fs::write(&file, corners_workbook()).unwrap();
    let schema = dir.path().join("schema.json");
    std::fs::write(
        &schema,
        r#"{"name": "test", "fields": [{"name": "Variabelnamn", "type": "string", "constraints": {"required": true}}]}"#,
    )
    .unwrap();
    let run = |lang: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
            .env("VARDKATALOG_DATA_DIR", dir.path().join("data"))
            .env_remove("VARDKATALOG_CONFIG")
            .args(["check-extract", "--schema", schema.to_str().unwrap(), file.to_str().unwrap(), "--lang", lang])
            .output()
            .unwrap()
    };
    let out = run("sv");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Bladet 'Blad1' är för stort: cellen XFD1048576 ligger till höger om kolumn ALL"), "{stderr}");
    let out = run("en");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("The sheet 'Blad1' is too large: the cell XFD1048576"), "{stderr}");
}

fn harvester(sources: Vec<SourceConfig>) -> (std::sync::Arc<vardkatalog::catalog::Catalogue>, Harvester) {
    let cat = std::sync::Arc::new(empty_catalogue());
    // the fixture servers are on loopback, which only allow_private lets a source reach
    let settings = HarvestSettings {
        timeout_s: 10,
        retries: 0,
        backoff_ms: 10,
        sources,
        allow_private: vec!["127.0.0.1".into()],
        ..HarvestSettings::default()
    };
    (cat.clone(), Harvester::new(cat, State::temporary().unwrap(), settings))
}

fn source(id: &str, kind: SourceKind, url: &str) -> SourceConfig {
    SourceConfig { id: id.into(), kind, url: url.into(), schedule: None, only: Vec::new(), columns: Default::default() }
}

#[test]
fn the_harvester_refuses_the_corner_cells_and_bomb_workbooks() {
    let corners = corners_workbook();
    let bomb = bomb_workbook(80);
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let server = serve(move |t| match t {
        "/sos/horn.xlsx" => Reply::ok(xlsx, corners.clone()),
        "/sos/bomb.xlsx" => Reply::ok(xlsx, bomb.clone()),
        "/rut/export.xlsx" => Reply::ok(xlsx, corners.clone()),
        _ => Reply::not_found(),
    });
    let (cat, h) = harvester(vec![
        source("sos-horn", SourceKind::Socialstyrelsen, &server.url("/sos/horn.xlsx")),
        source("sos-bomb", SourceKind::Socialstyrelsen, &server.url("/sos/bomb.xlsx")),
        source("rut", SourceKind::Rut, &server.url("/rut/export.xlsx")),
    ]);
    for (id, says) in [
        ("sos-horn", "The sheet 'Blad1' is too large: the cell XFD1048576 is right of column ALL"),
        ("sos-bomb", "The sheet 'Blad1' is larger than 64 MB unpacked"),
        ("rut", "The sheet 'Blad1' is too large: the cell XFD1048576"),
    ] {
        let r = h.run(id, false, &|_| {}).expect("the run starts");
        assert_eq!(r.status, RunStatus::Failed, "{id}: {r:?}");
        assert!(r.errors.iter().any(|e| e.contains(says)), "{id}: {:?}", r.errors);
    }
    assert_eq!(cat.store().len().unwrap(), 0, "nothing was written");
}

/// Nested entity declarations: `&aN;` is ten `&a(N-1);`, so `levels` levels make 10^levels
/// characters from a few hundred bytes. Nine levels are the classic "billion laughs" (~700 bytes,
/// 10^9 characters).
pub fn laughs(levels: usize) -> String {
    let mut dtd = String::from("<!ENTITY a0 \"lol\">\n");
    for i in 1..=levels {
        dtd.push_str(&format!("<!ENTITY a{i} \"{}\">\n", format!("&a{};", i - 1).repeat(10)));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n{dtd}]>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n<rdf:Description rdf:about=\"https://x.se/a\"><rdf:value>&a{levels};</rdf:value></rdf:Description>\n</rdf:RDF>\n"
    )
}

#[test]
fn the_billion_laughs_are_refused_by_the_validator_api_at_once() {
    let server = crate::support::shared_server();
    let doc = laughs(9);
    assert!(doc.len() < 800, "{}", doc.len());
    for (lang, says) in [("sv", "RDF/XML med DTD-entiteter tas inte emot"), ("en", "RDF/XML with DTD entity declarations is not accepted")]
    {
        let res = client()
            .post(server.url(&format!("/api/v1/validate?format=rdf&lang={lang}")))
            .header("content-type", "application/rdf+xml")
            .header("accept-language", lang)
            .body(doc.clone())
            .send()
            .unwrap();
        let status = res.status().as_u16();
        assert!(status == 400 || status == 422, "{status}");
        let json: serde_json::Value = serde_json::from_slice(&res.bytes().unwrap()).unwrap();
        assert_eq!(json["error"], says);
    }
    // the same through the page, and the server answers afterwards
    assert_eq!(client().get(server.url("/healthz")).send().unwrap().status(), 200);
}

#[test]
fn the_billion_laughs_are_refused_by_the_import_and_the_harvester() {
    let doc = laughs(9);
    let cat = empty_catalogue();
    let e = cat
        .import_document(doc.as_bytes(), oxigraph::io::RdfFormat::RdfXml, &vardkatalog::catalog::ImportOptions::published_import())
        .unwrap_err();
    assert!(matches!(e, vardkatalog::catalog::ImportError::EntityDeclarations), "{e}");
    assert_eq!(e.to_string(), "RDF/XML with DTD entity declarations is not accepted (RDF/XML med DTD-entiteter tas inte emot)");
    assert_eq!(cat.store().len().unwrap(), 0);

    let body = doc.clone();
    let server = serve(move |t| match t {
        "/dcat" => Reply::ok("application/rdf+xml", body.clone()),
        // mislabelled: sniffed as RDF/XML, refused just the same
        "/dcat-text" => Reply::ok("text/plain", body.clone()),
        _ => Reply::not_found(),
    });
    let (cat, h) = harvester(vec![
        source("skratt", SourceKind::Dcat, &server.url("/dcat")),
        source("skratt-text", SourceKind::Dcat, &server.url("/dcat-text")),
    ]);
    for id in ["skratt", "skratt-text"] {
        let r = h.run(id, false, &|_| {}).expect("the run starts");
        assert_eq!(r.status, RunStatus::Failed, "{r:?}");
        assert!(r.errors.iter().any(|e| e.contains("RDF/XML with DTD entity declarations is not accepted")), "{:?}", r.errors);
    }
    assert_eq!(cat.store().len().unwrap(), 0);
}

#[test]
fn the_billion_laughs_are_refused_by_the_command_line_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("skratt.rdf");
    std::fs::write(&file, laughs(9)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
        .env("VARDKATALOG_DATA_DIR", dir.path().join("data"))
        .env("VARDKATALOG_BASE_IRI", BASE)
        .env_remove("VARDKATALOG_CONFIG")
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("RDF/XML with DTD entity declarations is not accepted"), "{stderr}");
}
