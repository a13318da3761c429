//! Property tests of every reader of outside input (the stable toolchain has no cargo-fuzz):
//! real inputs — the seed's Turtle, RDF/XML, JSON-LD and N-Triples written from it, SCB's
//! DCAT-AP-SE file, the workbooks and CSV files the other tests build, the seed's exports — are
//! mutated (bytes flipped, set, deleted, duplicated, cut, and tokens that have broken readers
//! before spliced in: huge cell references, lying counts, entity declarations …) and fed to
//! the RDF import (parse, cut into records, typed), the validator's input, the harvester's DCAT
//! reader, the workbook and table readers with the import's plan, and the extract checker. Each
//! must give an orderly result or error: a panic fails the test (and proptest shrinks the input).
//!
//! A workbook is mutated part by part inside its zip package (then packed again), so mutations
//! reach calamine rather than dying at the zip checksum; some are mutated as raw bytes too.
//!
//! Bounded for CI: a fixed seed and a fixed number of cases (the whole module takes well under a
//! minute in a debug build). `PROPTEST_CASES=5000 PROPTEST_RNG_SEED=…` runs a longer, different
//! campaign.

use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;

use oxigraph::io::{RdfFormat, RdfSerializer};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use vardkatalog::ingest::{self, Options, tabular::Mapping};
use vardkatalog::model::record::{self, RecordKind};
use vardkatalog::model::{Minter, Resource};
use vardkatalog::validate::collection::CollectionSpec;
use vardkatalog::validate::extract;

use crate::support::{BASE, seeded_catalogue};

/// The runner: `cases` unless `PROPTEST_CASES` says otherwise, a fixed seed unless
/// `PROPTEST_RNG_SEED` says otherwise, no files written on failure.
fn runner(cases: u32) -> TestRunner {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x0076_6b72_6561_6472);
    }
    config.failure_persistence = None;
    config.max_shrink_iters = 200;
    TestRunner::new(config)
}

/// One change to a byte string; positions are relative to its length at that moment.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(Index, u8),
    Set(Index, u8),
    Delete(Index, usize),
    Duplicate(Index, usize),
    Truncate(Index),
    Insert(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), 1usize..256).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::Insert(i, t)),
        (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Mutation::Insert(i, t)),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutations: &[Mutation], tokens: &[&[u8]]) {
    for m in mutations {
        let len = bytes.len();
        let at = |i: &Index| if len == 0 { 0 } else { i.index(len) };
        match m {
            Mutation::Flip(i, bit) if len > 0 => bytes[at(i)] ^= 1 << bit,
            Mutation::Set(i, b) if len > 0 => bytes[at(i)] = *b,
            Mutation::Delete(i, n) if len > 0 => {
                let s = at(i);
                bytes.drain(s..(s + n).min(len));
            }
            Mutation::Duplicate(i, n) if len > 0 => {
                let s = at(i);
                let piece = bytes[s..(s + n).min(len)].to_vec();
                bytes.splice(s..s, piece);
            }
            Mutation::Truncate(i) if len > 0 => bytes.truncate(at(i)),
            Mutation::Insert(i, t) => {
                let token = tokens[t.index(tokens.len())];
                let s = if len == 0 { 0 } else { i.index(len + 1) };
                bytes.splice(s..s, token.iter().copied());
            }
            _ => {}
        }
    }
}

// ---- RDF ------------------------------------------------------------------------------------

const RDF_TOKENS: &[&[u8]] = &[
    b"<!DOCTYPE rdf:RDF [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
    b"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">",
    b"<!entity d SYSTEM \"file:///etc/passwd\">",
    b"&a;",
    b"&b;",
    b"&#0;",
    b"&#x110000;",
    b" rdf:parseType=\"Literal\"",
    b" rdf:parseType=\"Collection\"",
    b" rdf:parseType=\"Resource\"",
    b" rdf:datatype=\"http://www.w3.org/2001/XMLSchema#date\"",
    b" rdf:nodeID=\"n\"",
    b" rdf:ID=\"x\"",
    b" rdf:about=\"\"",
    b" xml:lang=\"\"",
    b" xml:base=\"relative\"",
    b"<rdf:li>",
    b"<![CDATA[<x>]]>",
    b"\"9999999999999999999999999\"^^<http://www.w3.org/2001/XMLSchema#integer>",
    b"\"2024-13-45\"^^<http://www.w3.org/2001/XMLSchema#date>",
    b"\"1997\"^^<http://www.w3.org/2001/XMLSchema#gYear>",
    b"@prefix : <> .\n",
    b"@base <http://x.se/> .\n",
    b"<>",
    b"_:b0",
    b"\"\"\"",
    b"\\u0000",
    b"\\U0010FFFF",
    b"@sv",
    b"@en-GB-oed",
    b" ; ",
    b" . ",
    b" , ",
    b"^^",
    b"{\"@context\": {\"@vocab\": \"http://x.se/\"}, \"@id\": \"x\", \"@graph\": [{\"@list\": [1]}]}",
    b"\"@context\": \"http://127.0.0.1:1/context.jsonld\",",
    b"\"@type\": \"@json\"",
    b"[",
    b"]",
    b"{",
    b"}",
    b"<",
    b">",
    b"\"",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\x00",
    b"\n",
];

struct RdfSeed {
    bytes: Vec<u8>,
    format: RdfFormat,
    content_type: &'static str,
}

fn rdf_seeds() -> &'static [RdfSeed] {
    static SEEDS: OnceLock<Vec<RdfSeed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog-seed");
        let mut seeds = Vec::new();
        for name in ["agents.ttl", "datasets.ttl", "variables-vardplatser.ttl", "usecases.ttl"] {
            let text = std::fs::read(dir.join(name)).unwrap();
            let graph = vardkatalog::catalog::parse_document(&text[..], RdfFormat::Turtle, BASE).unwrap();
            seeds.push(RdfSeed { bytes: text, format: RdfFormat::Turtle, content_type: "text/turtle" });
            for (format, content_type) in [
                (RdfFormat::RdfXml, "application/rdf+xml"),
                (RdfFormat::JsonLd { profile: Default::default() }, "application/ld+json"),
                (RdfFormat::NTriples, "application/n-triples"),
            ] {
                let mut w = RdfSerializer::from_format(format).for_writer(Vec::new());
                for t in graph.iter().take(400) {
                    w.serialize_triple(t).unwrap();
                }
                seeds.push(RdfSeed { bytes: w.finish().unwrap(), format, content_type });
            }
        }
        let scb = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/dcat-ap-se/scb-DataportalXML-demo-dcat-ap.xml");
        if let Ok(bytes) = std::fs::read(scb) {
            seeds.push(RdfSeed { bytes, format: RdfFormat::RdfXml, content_type: "application/rdf+xml" });
        }
        seeds.push(RdfSeed {
            bytes: crate::readers::laughs(3).into_bytes(),
            format: RdfFormat::RdfXml,
            content_type: "application/rdf+xml",
        });
        seeds
    })
}

/// What the import does before it saves: parse, cut into records, read each as its kind.
fn import_check(bytes: &[u8], format: RdfFormat) {
    if let Ok(graph) = vardkatalog::catalog::parse_document(bytes, format, BASE) {
        let minter = Minter::new(BASE);
        let split = record::split(&graph, Some(&minter.catalog()));
        for rg in split.records {
            let _ = Resource::from_graph(rg.kind, &rg.iri, &rg.graph);
            let _ = record::content_hash(&rg.graph);
        }
    } else if format == RdfFormat::RdfXml && bytes.windows(8).any(|w| w.eq_ignore_ascii_case(b"<!ENTITY")) {
        // refused, as it must be; nothing to check further
    }
}

#[test]
fn the_rdf_readers_survive_mutated_documents() {
    let seeds = rdf_seeds();
    let strategy = (any::<Index>(), prop::collection::vec(mutation(), 0..5), any::<bool>());
    runner(300)
        .run(&strategy, |(seed, mutations, mislabel)| {
            let seed = &seeds[seed.index(seeds.len())];
            let mut bytes = seed.bytes.clone();
            apply(&mut bytes, &mutations, RDF_TOKENS);
            // the import
            import_check(&bytes, seed.format);
            // an entity declaration never reaches the RDF/XML parser
            if seed.format == RdfFormat::RdfXml && bytes.windows(8).any(|w| w.eq_ignore_ascii_case(b"<!ENTITY")) {
                prop_assert!(vardkatalog::catalog::parse_document(&bytes[..], RdfFormat::RdfXml, BASE).is_err());
            }
            // the validator: stated, by Content-Type, or sniffed
            let content_type = if mislabel { "text/plain" } else { seed.content_type };
            match vardkatalog::validate::input::read(&bytes, None, Some(content_type), None, BASE) {
                Ok((graph, _)) => prop_assert!(!graph.is_empty()),
                Err(e) => prop_assert!(!e.in_language(false).is_empty() && !e.in_language(true).is_empty()),
            }
            // the harvester
            match vardkatalog::harvest::dcat::parse_body("https://källa.example.se/dcat", &bytes, Some(content_type)) {
                Ok(parsed) => prop_assert!(parsed.read >= parsed.graph.len() as u64),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
            Ok(())
        })
        .unwrap();
}

// ---- workbooks --------------------------------------------------------------------------------

const XLSX_TOKENS: &[&[u8]] = &[
    b" r=\"XFD1048576\"",
    b" r=\"A1048577\"",
    b" r=\"AAAAAAAAAAAAAAAA1\"",
    b" r=\"A99999999999999\"",
    b" r=\"A0\"",
    b" r=\"1A\"",
    b"<dimension ref=\"B2:A1\"/>",
    b"<dimension ref=\"A1:XFD1048576\"/>",
    b" uniqueCount=\"18446744073709551615\"",
    b" uniqueCount=\"4000000000\"",
    b" count=\"-1\"",
    b" t=\"s\"",
    b" t=\"d\"",
    b" t=\"e\"",
    b" t=\"b\"",
    b" t=\"n\"",
    b" t=\"str\"",
    b" t=\"inlineStr\"",
    b" s=\"99999\"",
    b" s=\"1\"",
    b"<v>4294967295</v>",
    b"<v>1e308</v>",
    b"<v>-1e308</v>",
    b"<v>NaN</v>",
    b"<v>2958466</v>",
    b"<c r=\"B2\" s=\"1\"><v>1e300</v></c>",
    b"<c r=\"C3\" t=\"s\"><v>99999999</v></c>",
    b"<c r=\"D4\" t=\"d\"><v>2024-13-45T99:99</v></c>",
    b"<row r=\"0\">",
    b"<row r=\"4294967296\">",
    b"<row>",
    b"</row>",
    b"<f t=\"shared\" si=\"99999999\" ref=\"A1:XFD1048576\">A1+1</f>",
    b"<f t=\"shared\" si=\"0\"/>",
    b"<is><t>x</t></is>",
    b"<si><t>y</t></si>",
    b"<si/>",
    b"<numFmts count=\"1\"><numFmt numFmtId=\"200\" formatCode=\"yyyy-mm-dd\"/></numFmts>",
    b"<xf numFmtId=\"14\"/>",
    b"<mergeCells><mergeCell ref=\"A1:XFD1048576\"/></mergeCells>",
    b"<sheet name=\"Kopia\" sheetId=\"2\" r:id=\"rId1\"/>",
    b" Target=\"/xl/worksheets/sheet1.xml\"",
    b" Target=\"../../../etc/passwd\"",
    b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
    b"&b;",
    b"&amp;",
    b"&#0;",
    b"&#xFFFFFFFF;",
    b"<![CDATA[",
    b"]]>",
    b"</sheetData>",
    b"<sheetData>",
    b"<",
    b">",
    b"\"",
    b"\x00",
    b"\xFF",
];

/// A workbook as its parts, to be mutated inside the package.
type Parts = Vec<(String, Vec<u8>)>;

fn unpack(book: &[u8]) -> Parts {
    let mut zip = zip::ZipArchive::new(Cursor::new(book)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut body = Vec::new();
            f.read_to_end(&mut body).unwrap();
            (f.name().unwrap().into_owned(), body)
        })
        .collect()
}

fn pack(parts: &Parts, deflate: bool) -> Vec<u8> {
    let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A delivery of the collection `vardplatser` as a workbook: a date column with a date format,
/// numbers, text (shared strings).
fn delivery_workbook(spec: &CollectionSpec) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    for (c, col) in spec.columns.iter().enumerate() {
        sheet.write_string(0, c as u16, &col.name).unwrap();
        for r in 1..4u32 {
            match c % 3 {
                0 => sheet.write_number_with_format(r, c as u16, 45_000.0 + r as f64, &date).map(|_| ()).unwrap(),
                1 => sheet.write_number(r, c as u16, r as f64 * 1.5).map(|_| ()).unwrap(),
                _ => sheet.write_string(r, c as u16, "somatisk").map(|_| ()).unwrap(),
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn vardplatser() -> &'static CollectionSpec {
    static SPEC: OnceLock<CollectionSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let cat = seeded_catalogue();
        let iri = cat.minter().record(RecordKind::Dataset, "vardplatser").unwrap();
        CollectionSpec::from_catalogue(&cat, &iri).unwrap().expect("the seed's collection")
    })
}

struct Seeds {
    workbooks: Vec<Parts>,
    csv: Vec<Vec<u8>>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let cat = seeded_catalogue();
        let mut workbooks = vec![
            unpack(&crate::ingest::register_workbook("Heltal", "1997")),
            unpack(&crate::readers::corners_workbook()),
            unpack(&delivery_workbook(vardplatser())),
        ];
        let mut csv = vec![
            "Register;Varnamn;Etikett;Beskrivning;Tidsperiod\nPatientregistret;HDIA;Huvuddiagnos;Angiven huvuddiagnos;1997–\nPatientregistret;INDATUM;Inskrivningsdatum;\"Det datum då\npatienten skrivs in\";1964–\n"
                .as_bytes()
                .to_vec(),
        ];
        for id in ["vardplatser", "patientregistret"] {
            let iri = cat.minter().record(RecordKind::Dataset, id).unwrap();
            if let Some(export) = ingest::export::collect(&cat, &iri).unwrap() {
                workbooks.push(unpack(&export.to_xlsx().unwrap()));
                csv.push(export.to_csv().unwrap());
            }
        }
        let spec = vardplatser();
        let header: Vec<&str> = spec.columns.iter().map(|c| c.name.as_str()).collect();
        csv.push(format!("{}\n{}\n", header.join(";"), vec!["1"; header.len()].join(";")).into_bytes());
        let lkf = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/scb-mikrometadata/regmeta-lkf2026.csv");
        if let Ok(bytes) = std::fs::read(lkf) {
            csv.push(bytes.into_iter().take(64 * 1024).collect());
        }
        Seeds { workbooks, csv }
    })
}

/// Every reader a workbook or table reaches: the import (workbook layout, the RUT mapping) with
/// its plan, and the extract checker.
fn read_all(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let options = Options::new(Minter::new(BASE));
    for mapping in [None, Some(Mapping::rut())] {
        match ingest::read_file(name, bytes, mapping.as_ref(), &options) {
            Ok(batch) => {
                let plan = ingest::plan(batch, &|_| Ok::<_, std::convert::Infallible>(None)).unwrap();
                let _ = plan.fingerprint();
            }
            Err(e) => prop_assert!(!e.message("sv").is_empty() && !e.message("en").is_empty()),
        }
    }
    let spec = vardplatser();
    let checked = if name.ends_with(".xlsx") {
        extract::check_xlsx_from(spec, Cursor::new(bytes), "sv")
    } else {
        extract::check_csv(spec, bytes, "en")
    };
    if let Ok(report) = checked {
        prop_assert_eq!(report.passed, report.errors == 0);
    }
    Ok(())
}

#[test]
fn the_workbook_readers_survive_mutated_packages() {
    let seeds = &seeds().workbooks;
    let strategy = (any::<Index>(), any::<Index>(), prop::collection::vec(mutation(), 1..10), 0u8..10, any::<bool>());
    runner(250)
        .run(&strategy, |(seed, part, mutations, how, deflate)| {
            let mut parts = seeds[seed.index(seeds.len())].clone();
            let bytes = match how {
                // the zip package itself
                0 => {
                    let mut b = pack(&parts, deflate);
                    apply(&mut b, &mutations, XLSX_TOKENS);
                    b
                }
                // a part dropped
                1 => {
                    parts.remove(part.index(parts.len()));
                    pack(&parts, deflate)
                }
                // one part's XML
                _ => {
                    let i = part.index(parts.len());
                    apply(&mut parts[i].1, &mutations, XLSX_TOKENS);
                    pack(&parts, deflate)
                }
            };
            read_all("arbetsbok.xlsx", &bytes)
        })
        .unwrap();
}

const CSV_TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b";",
    b",",
    b"\t",
    b"|",
    b"\r\n",
    b"\n",
    b"\r",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFF",
    b"\xC3",
    b"\x00",
    b"1997\xE2\x80\x932008",
    b"Heltal",
    b"xsd:integer",
    b"http://x.se/ a",
    b"9999999999999999999999",
    b";;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;",
    b"\"\n\n\n\"",
];

#[test]
fn the_table_readers_survive_mutated_csv() {
    let seeds = &seeds().csv;
    let strategy = (any::<Index>(), prop::collection::vec(mutation(), 1..12));
    runner(300)
        .run(&strategy, |(seed, mutations)| {
            let mut bytes = seeds[seed.index(seeds.len())].clone();
            apply(&mut bytes, &mutations, CSV_TOKENS);
            read_all("lista.csv", &bytes)
        })
        .unwrap();
}
