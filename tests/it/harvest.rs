//! The harvesting job against a local fixture server: every source kind, recorded real answers
//! (SCB's DCAT-AP-SE file with its defects, PxWeb v1 and v2), synthetic paged catalogues, and
//! the sources that go wrong (time-outs, garbage, a lying Content-Type, a paging loop, invalid
//! IRIs, duplicate identifiers). Semantics: unchanged records are skipped, vanished ones
//! retired, local edits and other sources' records never overwritten, and a failed or killed
//! run leaves the catalogue exactly as before.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oxigraph::model::{NamedNode, TripleRef};
use vardkatalog::catalog::Catalogue;
use vardkatalog::harvest::{HarvestSettings, Harvester, SourceConfig, SourceKind};
use vardkatalog::model::record::{RecordKind, Resource};
use vardkatalog::model::vocab::{dct, prov};
use vardkatalog::state::State;
use vardkatalog::state::harvest::{RunReport, RunStatus};
use vardkatalog::store::{Filter, RecordState};

use crate::fixture_server::{Reply, fixture, serve, serve_on};
use crate::support::{BASE, empty_catalogue, seeded_catalogue};

fn source(id: &str, kind: SourceKind, url: &str) -> SourceConfig {
    SourceConfig { id: id.into(), kind, url: url.into(), schedule: None, only: Vec::new(), columns: Default::default() }
}

/// Settings for sources on the fixture server, which the configuration must allow explicitly
/// (it listens on 127.0.0.1).
fn settings(sources: Vec<SourceConfig>) -> HarvestSettings {
    HarvestSettings {
        timeout_s: 5,
        retries: 1,
        backoff_ms: 10,
        sources,
        allow_private: vec!["127.0.0.1".into()],
        ..HarvestSettings::default()
    }
}

fn harvester_over(cat: Catalogue, settings: HarvestSettings) -> (Arc<Catalogue>, Harvester) {
    let cat = Arc::new(cat);
    let h = Harvester::new(cat.clone(), State::temporary().unwrap(), settings);
    (cat, h)
}

fn run(h: &Harvester, id: &str) -> RunReport {
    h.run(id, false, &|_| {}).expect("the run starts")
}

/// Every record with its state, version and hash: what "the catalogue is unchanged" compares.
fn snapshot(cat: &Catalogue) -> Vec<(String, RecordState, u64, String)> {
    let store = cat.store();
    let all = store.list(&Filter::default(), 0, u64::MAX / 2).unwrap();
    all.into_iter().map(|m| (m.iri.as_str().to_owned(), m.state, m.version, m.content_hash)).collect()
}

fn ttl_dataset(iri: &str, title: &str, identifier: &str) -> String {
    format!(
        "<{iri}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"{title}\"@sv ; <http://purl.org/dc/terms/identifier> \"{identifier}\" .\n"
    )
}

#[test]
fn the_real_scb_file_is_taken_with_its_defects_repaired_and_a_second_run_changes_nothing() {
    let server = serve(|target| match target {
        "/scb/dcat" => Reply::ok("application/rdf+xml", fixture("dcat-ap-se/scb-DataportalXML-demo-dcat-ap.xml")),
        _ => Reply::not_found(),
    });
    let (cat, h) = harvester_over(empty_catalogue(), settings(vec![source("scb", SourceKind::Dcat, &server.url("/scb/dcat"))]));
    let r = run(&h, "scb");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    assert!(r.new >= 5, "{r:?}");
    let notes = r.notes.join("\n");
    assert!(notes.contains("http://purl.org/dc/terms/Modified> → <http://purl.org/dc/terms/modified>"), "{notes}");
    assert!(notes.contains("http://purl.org/dc/terms/Identifier> → <http://purl.org/dc/terms/identifier>"), "{notes}");
    assert!(notes.contains("repeated statements"), "{notes}");
    assert!(notes.contains("that no record owns were skipped"), "the blank catalogue node: {notes}");

    let iri = NamedNode::new("https://statistikdatabasen.scb.se/dataset/TAB003").unwrap();
    let (meta, res) = cat.public_resource(iri.as_ref()).unwrap().expect("TAB003 is published");
    assert_eq!(meta.source.as_str(), "urn:vardkatalog:source:harvest:scb");
    let Resource::Dataset(d) = res else { panic!("a dataset") };
    assert_eq!(d.identifier.as_deref(), Some("TAB003"));
    assert_eq!(d.modified.as_ref().map(|m| m.value()), Some("2023-11-24T07:30:00"));
    assert_eq!(d.keywords.iter().filter(|k| k.value == "Miljö").count(), 1, "{:?}", d.keywords);
    let graph = cat.store().graph(iri.as_ref()).unwrap();
    assert!(graph.contains(TripleRef::new(&iri, prov::WAS_DERIVED_FROM, &NamedNode::new(server.url("/scb/dcat")).unwrap())));

    let before = snapshot(&cat);
    let generation = cat.store().generation().unwrap();
    let again = run(&h, "scb");
    assert_eq!(again.status, RunStatus::Succeeded, "{again:?}");
    assert_eq!((again.new, again.changed, again.retired), (0, 0, 0), "{again:?}");
    assert_eq!(again.unchanged, r.new, "{again:?}");
    assert_eq!(snapshot(&cat), before, "no new versions");
    assert_eq!(cat.store().generation().unwrap(), generation, "no write at all");
}

/// Three Turtle pages: the new Hydra vocabulary, then the old one with a literal link, then a
/// page that points back at the first (a loop).
fn paged(target: &str, base: &str) -> Reply {
    let page = |n: u32, next: &str| {
        let mut body = format!(
            "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n<{base}/cat> a <http://www.w3.org/ns/dcat#Catalog> ; <http://purl.org/dc/terms/title> \"Katalog\"@sv .\n"
        );
        for i in 0..2 {
            body.push_str(&ttl_dataset(&format!("https://data.example.se/ds/{n}-{i}"), &format!("Mängd {n}-{i}"), &format!("id-{n}-{i}")));
        }
        body.push_str(next);
        Reply::ok("text/turtle", body)
    };
    match target {
        "/paged?page=1" => page(1, &format!("<{base}/paged?page=1> a hydra:PartialCollectionView ; hydra:next <{base}/paged?page=2> .\n")),
        "/paged?page=2" => page(2, &format!("<{base}/paged?page=2> a hydra:PagedCollection ; hydra:nextPage \"{base}/paged?page=3\" .\n")),
        "/paged?page=3" => page(3, &format!("<{base}/paged?page=3> a hydra:PartialCollectionView ; hydra:next <{base}/paged?page=1> .\n")),
        _ => Reply::not_found(),
    }
}

#[test]
fn hydra_paging_in_both_vocabularies_stops_at_a_loop() {
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = serve(move |t| paged(t, &b.lock().unwrap()));
    *base.lock().unwrap() = server.base.clone();
    let (cat, h) = harvester_over(empty_catalogue(), settings(vec![source("paged", SourceKind::Dcat, &server.url("/paged?page=1"))]));
    let r = run(&h, "paged");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    assert_eq!(r.new, 6, "{r:?}");
    assert!(r.notes.iter().any(|n| n.contains("paging loop")), "{:?}", r.notes);
    assert_eq!(server.requests().iter().filter(|p| p.starts_with("/paged")).count(), 3, "{:?}", server.requests());
    assert_eq!(cat.store().count(&Filter::public(RecordKind::Dataset)).unwrap(), 6);
    // no paging node is stored
    let hydra = cat
        .store()
        .select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o FILTER(STRSTARTS(STR(?p), \"http://www.w3.org/ns/hydra/\")) } }")
        .unwrap();
    assert!(hydra.is_empty());
}

#[test]
fn a_lying_content_type_is_sniffed_and_sub_catalogues_are_fetched() {
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = serve(move |t| match t {
        // Turtle sent as RDF/XML
        "/main" => Reply::ok(
            "application/rdf+xml",
            format!(
                "@prefix dct: <http://purl.org/dc/terms/> .\n<https://data.example.se/katalog> a <http://www.w3.org/ns/dcat#Catalog> ; dct:hasPart <{}/sub> .\n",
                b.lock().unwrap()
            ) + &ttl_dataset("https://data.example.se/ds/main", "Huvud", "main"),
        ),
        // JSON-LD sent as text/plain
        "/sub" => Reply::ok(
            "text/plain",
            r#"{"@id":"https://data.example.se/ds/sub","@type":"http://www.w3.org/ns/dcat#Dataset","http://purl.org/dc/terms/title":{"@value":"Under","@language":"sv"}}"#,
        ),
        _ => Reply::not_found(),
    });
    *base.lock().unwrap() = server.base.clone();
    let (cat, h) = harvester_over(empty_catalogue(), settings(vec![source("lie", SourceKind::Dcat, &server.url("/main"))]));
    let r = run(&h, "lie");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    assert_eq!(r.new, 2, "{r:?}");
    let notes = r.notes.join("\n");
    assert!(notes.contains("the Content-Type said application/rdf+xml but the body is Turtle"), "{notes}");
    assert!(notes.contains("the Content-Type said text/plain but the body is JSON-LD"), "{notes}");
    assert!(cat.public_resource(NamedNode::new("https://data.example.se/ds/sub").unwrap().as_ref()).unwrap().is_some());
}

#[test]
fn garbage_malformed_rdf_and_time_outs_fail_the_run_and_change_nothing() {
    let server = serve(|t| match t {
        "/garbage" => Reply::ok("text/html", "<!DOCTYPE html><html><body>Underhåll pågår</body></html>"),
        "/json-garbage" => Reply::ok("application/ld+json", "{\"@id\": "),
        "/broken" => Reply::ok(
            "text/turtle",
            "@prefix dct: <http://purl.org/dc/terms/> .\n<https://x.se/a> a <http://www.w3.org/ns/dcat#Dataset> ;\n  dct:title \"A\"@sv\n<https://x.se/b> dct:title \"B\" .\n",
        ),
        "/slow" => Reply::ok("text/turtle", ttl_dataset("https://x.se/slow", "Långsam", "slow")).after(Duration::from_secs(3)),
        "/error" => Reply { status: 503, content_type: None, body: Vec::new(), delay: None, location: None },
        _ => Reply::not_found(),
    });
    let mut s = settings(vec![
        source("garbage", SourceKind::Dcat, &server.url("/garbage")),
        source("json", SourceKind::Dcat, &server.url("/json-garbage")),
        source("broken", SourceKind::Dcat, &server.url("/broken")),
        source("slow", SourceKind::Dcat, &server.url("/slow")),
        source("error", SourceKind::Dcat, &server.url("/error")),
    ]);
    s.timeout_s = 1;
    let (cat, h) = harvester_over(seeded_catalogue(), s);
    let before = snapshot(&cat);
    let generation = cat.store().generation().unwrap();

    let r = run(&h, "garbage");
    assert_eq!(r.status, RunStatus::Failed);
    assert!(r.errors[0].contains("not RDF") && r.errors[0].contains("/garbage"), "{:?}", r.errors);

    let r = run(&h, "json");
    assert_eq!(r.status, RunStatus::Failed);

    let r = run(&h, "broken");
    assert_eq!(r.status, RunStatus::Failed);
    assert!(r.errors[0].contains("line 4, column"), "{:?}", r.errors);

    let started = std::time::Instant::now();
    let r = run(&h, "slow");
    assert_eq!(r.status, RunStatus::Failed);
    assert!(r.errors[0].contains("no answer within 1 s"), "{:?}", r.errors);
    assert!(started.elapsed() < Duration::from_secs(5), "one retry, then give up");
    assert_eq!(server.requests().iter().filter(|p| *p == "/slow").count(), 2, "one retry");

    let r = run(&h, "error");
    assert_eq!(r.status, RunStatus::Failed);
    assert!(r.errors[0].contains("503"), "{:?}", r.errors);

    assert_eq!(snapshot(&cat), before);
    assert_eq!(cat.store().generation().unwrap(), generation);
    // every run is kept
    let history = h.state().harvest.runs(None, 100).unwrap();
    assert_eq!(history.len(), 5);
    assert!(history.iter().all(|r| r.finished.is_some() && r.status == RunStatus::Failed));
}

#[test]
fn invalid_iris_and_duplicate_identifiers_are_skipped_and_reported() {
    let server = serve(|t| match t {
        "/cat" => Reply::ok(
            "text/turtle",
            ttl_dataset("https://x.se/ds/ett", "Ett", "A1")
                + &ttl_dataset("https://x.se/ds/tva", "Två", "A1")
                + "<https://x.se/ds/ett> <http://www.w3.org/ns/dcat#landingPage> <https://x.se/trasig sida> .\n",
        ),
        _ => Reply::not_found(),
    });
    let (cat, h) = harvester_over(empty_catalogue(), settings(vec![source("dup", SourceKind::Dcat, &server.url("/cat"))]));
    let r = run(&h, "dup");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    assert_eq!(r.new, 1, "{r:?}");
    assert!(r.errors.iter().any(|e| e.contains("\"A1\"") && e.contains("skipped")), "{:?}", r.errors);
    assert!(r.notes.iter().any(|n| n.contains("line 3") && n.contains("invalid IRIs")), "{:?}", r.notes);
    assert!(cat.public_resource(NamedNode::new("https://x.se/ds/ett").unwrap().as_ref()).unwrap().is_some());
}

#[test]
fn vanished_records_are_retired_local_edits_and_other_sources_are_never_overwritten() {
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let server = serve(move |t| {
        if t != "/cat" {
            return Reply::not_found();
        }
        let mut body = String::new();
        if v.load(Ordering::SeqCst) == 1 {
            body += &ttl_dataset("https://x.se/ds/a", "A", "a");
            body += &ttl_dataset("https://x.se/ds/b", "B", "b");
            body += &ttl_dataset("https://x.se/ds/c", "C", "c");
        } else {
            body += &ttl_dataset("https://x.se/ds/a", "A, ny titel", "a");
            body += &ttl_dataset("https://x.se/ds/b", "B, ny titel", "b");
            // c is gone; the seed's LISA appears in the source
            body += &ttl_dataset(&format!("{BASE}dataset/lisa"), "LISA enligt källan", "lisa");
        }
        Reply::ok("text/turtle", body)
    });
    let (cat, h) = harvester_over(seeded_catalogue(), settings(vec![source("src", SourceKind::Dcat, &server.url("/cat"))]));
    let r = run(&h, "src");
    assert_eq!((r.status, r.new), (RunStatus::Succeeded, 3), "{r:?}");

    // b is edited here after the harvest
    let b = NamedNode::new("https://x.se/ds/b").unwrap();
    let mut rec = cat.store().get(b.as_ref()).unwrap().unwrap();
    rec.graph.insert(TripleRef::new(
        &b,
        dct::DESCRIPTION,
        &oxigraph::model::Literal::new_language_tagged_literal("Kurerad här", "sv").unwrap(),
    ));
    rec.meta.content_hash = vardkatalog::model::record::content_hash(&rec.graph);
    rec.meta.version += 1;
    cat.save_records(&[rec]).unwrap();
    let lisa_before = cat.store().get(NamedNode::new(format!("{BASE}dataset/lisa")).unwrap().as_ref()).unwrap().unwrap();

    version.store(2, Ordering::SeqCst);
    let r = run(&h, "src");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    assert_eq!((r.new, r.changed, r.retired), (0, 1, 1), "{r:?}");
    assert_eq!(r.conflicts.len(), 2, "{:?}", r.conflicts);
    assert!(r.conflicts.iter().any(|c| c.iri == b.as_str() && c.reason.contains("edited here")), "{:?}", r.conflicts);
    assert!(r.conflicts.iter().any(|c| c.iri.ends_with("dataset/lisa") && c.reason.contains("another source")), "{:?}", r.conflicts);

    let a = cat.store().get(NamedNode::new("https://x.se/ds/a").unwrap().as_ref()).unwrap().unwrap();
    assert_eq!((a.meta.version, a.meta.state), (2, RecordState::Published));
    let b_now = cat.public_resource(b.as_ref()).unwrap().unwrap().1;
    assert_eq!(b_now.label().get("sv"), Some("B"), "the curated record keeps its content");
    let c = cat.store().meta(NamedNode::new("https://x.se/ds/c").unwrap().as_ref()).unwrap().expect("retired, not deleted");
    assert_eq!(c.state, RecordState::Retired);
    let lisa = cat.store().get(lisa_before.meta.iri.as_ref()).unwrap().unwrap();
    assert_eq!(lisa.meta, lisa_before.meta);

    // a dry run computes the same report and writes nothing
    let generation = cat.store().generation().unwrap();
    let dry = h.run("src", true, &|_| {}).unwrap();
    assert!(dry.dry_run && dry.status == RunStatus::Succeeded);
    assert_eq!(cat.store().generation().unwrap(), generation);
}

#[test]
fn pxweb_v1_tables_become_datasets_with_variables_and_code_lists() {
    let server = serve(|t| match t {
        "/OV0104/v1/doris/sv/ssd/BE/BE0101" => {
            Reply::ok("application/json", fixture("scb-pxweb/v1-api.scb.se-sv-ssd-BE-BE0101-navigation.json"))
        }
        "/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A" => {
            Reply::ok("application/json", r#"[{"id":"BefolkningNy","type":"t","text":"Folkmängd"}]"#)
        }
        "/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy" => {
            Reply::ok("application/json", fixture("scb-pxweb/v1-api.scb.se-BefolkningNy-metadata.ABRIDGED.json"))
        }
        _ if t.starts_with("/OV0104/v1/doris/sv/ssd/BE/BE0101/") => Reply::ok("application/json", "[]"),
        _ => Reply::not_found(),
    });
    let (cat, h) = harvester_over(
        empty_catalogue(),
        settings(vec![source("scb-v1", SourceKind::Pxweb, &server.url("/OV0104/v1/doris/sv/ssd/BE/BE0101"))]),
    );
    let r = run(&h, "scb-v1");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    let ds = NamedNode::new(format!("{BASE}dataset/scb-v1-befolkningny")).unwrap();
    let (_, Resource::Dataset(d)) = cat.public_resource(ds.as_ref()).unwrap().expect("the table is a dataset") else { panic!() };
    assert!(d.title.get("sv").unwrap().starts_with("Folkmängden efter region"));
    assert_eq!(d.temporal[0].start.as_ref().unwrap().value(), "1968");
    assert_eq!(cat.variables_of_dataset(&ds).unwrap().len(), 6);
    let region = NamedNode::new(format!("{BASE}codelist/scb-v1-befolkningny-region")).unwrap();
    let codes = cat.concepts_of(&region).unwrap();
    assert_eq!(codes.len(), 22);
    assert_eq!(codes[1].notation.as_deref(), Some("01"), "codes stay strings");
    assert_eq!(codes[1].label.get("sv"), Some("Stockholms län"));
    // the second run changes nothing
    let again = run(&h, "scb-v1");
    assert_eq!((again.new, again.changed, again.unchanged), (0, 0, r.new), "{again:?}");
}

#[test]
fn pxweb_v2_reads_the_call_limit_the_metadata_and_the_code_lists() {
    let server = serve(|t| {
        let path = t.split('?').next().unwrap();
        match path {
            "/api/v2/config" => Reply::ok("application/json", fixture("scb-pxweb/v2-statistikdatabasen-config.json")),
            "/api/v2/tables/TAB5974" => Reply::ok("application/json", fixture("scb-pxweb/v2-statistikdatabasen-TAB5974-table.json")),
            "/api/v2/tables/TAB5974/metadata" => {
                Reply::ok("application/json", fixture("scb-pxweb/v2-statistikdatabasen-TAB5974-metadata.json"))
            }
            // every code list answers with the recorded NUTS2 aggregation
            _ if path.starts_with("/api/v2/codelists/") => {
                Reply::ok("application/json", fixture("scb-pxweb/pxapi2-draft-codelist-agg_RegionNUTS2_2008.json"))
            }
            _ => Reply::not_found(),
        }
    });
    let (cat, h) =
        harvester_over(empty_catalogue(), settings(vec![source("scb", SourceKind::Pxweb, &server.url("/api/v2/tables/TAB5974?lang=sv"))]));
    let r = run(&h, "scb");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    let requests = server.requests();
    assert_eq!(requests[0], "/api/v2/config", "the call limit is read first");
    assert!(requests.iter().any(|p| p.starts_with("/api/v2/codelists/agg_%C3%85lder10%C3%A5r_1")), "{requests:?}");
    let ds = NamedNode::new(format!("{BASE}dataset/scb-tab5974")).unwrap();
    let (_, Resource::Dataset(d)) = cat.public_resource(ds.as_ref()).unwrap().unwrap() else { panic!() };
    assert_eq!(d.identifier.as_deref(), Some("TAB5974"));
    assert_eq!(d.temporal[0].end.as_ref().unwrap().value(), "2120");
    assert_eq!(cat.variables_of_dataset(&ds).unwrap().len(), 5);
    let alder = NamedNode::new(format!("{BASE}variable/scb-tab5974-alder")).unwrap();
    let (_, Resource::Variable(v)) = cat.public_resource(alder.as_ref()).unwrap().unwrap() else { panic!() };
    assert_eq!(v.see_also.len(), 3, "{:?}", v.see_also);
    let codes = cat.concepts_of(v.representation.as_ref().unwrap().code_list().unwrap()).unwrap();
    assert_eq!(codes.len(), 106);
    let agg = cat.concepts_of(&NamedNode::new(format!("{BASE}codelist/scb-agg-alder10ar-1")).unwrap()).unwrap();
    assert_eq!(agg[0].notation.as_deref(), Some("SE11"));
    assert_eq!(agg[0].scope_note.get("sv"), Some("Omfattar: 01"));
}

#[test]
fn socialstyrelsen_subjects_become_datasets_and_dimensions_variables() {
    let server = serve(|t| match t {
        "/api/v1/sv" => Reply::ok(
            "application/json",
            r#"[{"namn":"dodsorsaker","text":"Dödsorsaker","info":"Statistik om dödsorsaker"},{"namn":"amning","text":"Amning","info":""}]"#,
        ),
        "/api/v1/sv/dodsorsaker" => Reply::ok("application/json", r#"[{"namn":"region","text":"Region"},{"namn":"kon","text":"Kön"}]"#),
        "/api/v1/sv/dodsorsaker/region" => Reply::ok(
            "application/json",
            r#"[{"id":0,"kod":"00","text":"Riket"},{"id":1,"kod":"01","text":"Stockholms län"},{"id":3,"kod":"03","text":"Uppsala län"}]"#,
        ),
        "/api/v1/sv/dodsorsaker/kon" => Reply::ok("application/json", r#"[{"id":1,"text":"Män"},{"id":2,"text":"Kvinnor"}]"#),
        _ => Reply::not_found(),
    });
    let mut s = source("sos", SourceKind::Socialstyrelsen, &server.url("/api/v1/sv"));
    s.only = vec!["dodsorsaker".into()];
    let (cat, h) = harvester_over(empty_catalogue(), settings(vec![s]));
    let r = run(&h, "sos");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    let ds = NamedNode::new(format!("{BASE}dataset/sos-dodsorsaker")).unwrap();
    assert_eq!(cat.variables_of_dataset(&ds).unwrap().len(), 2);
    let codes = cat.concepts_of(&NamedNode::new(format!("{BASE}codelist/sos-dodsorsaker-region")).unwrap()).unwrap();
    let notations: Vec<_> = codes.iter().map(|c| c.notation.clone().unwrap()).collect();
    assert_eq!(notations, ["00", "01", "03"], "län codes as strings, from kod");
    assert!(!server.requests().iter().any(|p| p.contains("amning")), "only the chosen subjects");
}

#[test]
fn one_run_per_source_at_a_time() {
    let server = serve(|t| match t {
        "/slow" => Reply::ok("text/turtle", ttl_dataset("https://x.se/s", "S", "s")).after(Duration::from_millis(1500)),
        _ => Reply::not_found(),
    });
    let (_cat, h) = harvester_over(empty_catalogue(), settings(vec![source("s", SourceKind::Dcat, &server.url("/slow"))]));
    let h = Arc::new(h);
    let id = h.start("s").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(h.live("s").is_some());
    assert!(matches!(h.run("s", false, &|_| {}), Err(vardkatalog::harvest::HarvestError::Busy(_))));
    for _ in 0..100 {
        if h.live("s").is_none() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = h.state().harvest.run(id).unwrap().unwrap();
    assert_eq!((report.status, report.new), (RunStatus::Succeeded, 1));
}

/// Every record's metadata and the store size, read from a data directory.
fn snapshot_of_dir(config: &vardkatalog::config::Config) -> (Vec<(String, RecordState, u64, String)>, usize) {
    let cat = vardkatalog::app::open_catalogue(config).unwrap();
    let snap = snapshot(&cat);
    let len = cat.store().len().unwrap();
    (snap, len)
}

#[test]
fn a_run_killed_in_the_middle_leaves_the_catalogue_exactly_as_before() {
    let phase = Arc::new(AtomicUsize::new(1));
    let p = phase.clone();
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = serve(move |t| {
        let base = b.lock().unwrap().clone();
        let title = if p.load(Ordering::SeqCst) == 1 { "Första" } else { "Ändrad" };
        let page = |n: u32, next: Option<u32>| {
            let mut body = String::new();
            for i in 0..3 {
                body += &ttl_dataset(&format!("https://x.se/ds/{n}-{i}"), &format!("{title} {n}-{i}"), &format!("{n}-{i}"));
            }
            if let Some(next) = next {
                body += &format!(
                    "<{base}/cat?page={n}> a <http://www.w3.org/ns/hydra/core#PartialCollectionView> ; <http://www.w3.org/ns/hydra/core#next> <{base}/cat?page={next}> .\n"
                );
            }
            Reply::ok("text/turtle", body)
        };
        match t {
            "/cat?page=1" => page(1, Some(2)),
            "/cat?page=2" if p.load(Ordering::SeqCst) == 2 => page(2, None).after(Duration::from_secs(120)),
            "/cat?page=2" => page(2, None),
            _ => Reply::not_found(),
        }
    });
    *base.lock().unwrap() = server.base.clone();

    let (dir, mut config) = crate::support::temp_config();
    let file = dir.path().join("vardkatalog.toml");
    std::fs::write(
        &file,
        format!(
            "base_iri = \"{BASE}\"\ndata_dir = \"{}\"\n[harvest]\ntimeout_s = 300\nallow_private = [\"127.0.0.1\"]\n[[harvest.sources]]\nid = \"k\"\nkind = \"dcat\"\nurl = \"{}\"\n",
            dir.path().display(),
            server.url("/cat?page=1")
        ),
    )
    .unwrap();
    config.data_dir = dir.path().to_path_buf();
    let cmd = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
        c.arg("--config").arg(&file).env_remove("VARDKATALOG_CONFIG").env_remove("VARDKATALOG_DATA_DIR").current_dir(dir.path());
        c
    };
    let out = cmd().args(["harvest", "--source", "k"]).output().unwrap();
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("6 new"), "{stdout}");
    let before = snapshot_of_dir(&config);
    assert!(before.0.iter().any(|(iri, ..)| iri == "https://x.se/ds/2-2"));

    // the source changes; the second page stalls and the process is killed while it waits
    phase.store(2, Ordering::SeqCst);
    let mut child =
        cmd().args(["harvest", "--source", "k"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let waited = std::time::Instant::now();
    while server.requests().iter().filter(|r| *r == "/cat?page=2").count() < 2 {
        assert!(waited.elapsed() < Duration::from_secs(60), "the second run never reached page 2");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(snapshot_of_dir(&config), before, "the killed run changed nothing");
    // the next start (any command) shows the killed run as interrupted, not as still going
    let out = cmd().args(["harvest", "--history"]).output().unwrap();
    let history = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!history.contains("running"), "{history}");
    assert!(history.contains("interrupted") && history.contains("nothing was committed"), "{history}");
    phase.store(1, Ordering::SeqCst);

    // the killed run is shown as interrupted once the next run starts; that run commits
    let out = cmd().args(["harvest", "--dry-run"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = cmd().args(["harvest", "--history"]).output().unwrap();
    let history = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(history.contains("interrupted"), "{history}");
    assert!(history.contains("dry run"), "{history}");
    assert!(history.contains("0 new, 0 changed, 6 unchanged"), "{history}");
}

#[test]
fn a_run_cut_off_after_its_commit_is_reported_with_what_it_committed() {
    let server = serve(move |t| match t {
        "/cat" => {
            let mut body = String::new();
            for i in 0..3 {
                body += &ttl_dataset(&format!("https://x.se/ds/krasch-{i}"), &format!("Krasch {i}"), &format!("krasch-{i}"));
            }
            Reply::ok("text/turtle", body)
        }
        _ => Reply::not_found(),
    });
    let (dir, mut config) = crate::support::temp_config();
    let file = dir.path().join("vardkatalog.toml");
    std::fs::write(
        &file,
        format!(
            "base_iri = \"{BASE}\"\ndata_dir = \"{}\"\n[harvest]\nallow_private = [\"127.0.0.1\"]\n[[harvest.sources]]\nid = \"k\"\nkind = \"dcat\"\nurl = \"{}\"\n",
            dir.path().display(),
            server.url("/cat")
        ),
    )
    .unwrap();
    config.data_dir = dir.path().to_path_buf();
    let cmd = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
        c.arg("--config").arg(&file).env_remove("VARDKATALOG_CONFIG").env_remove("VARDKATALOG_DATA_DIR").current_dir(dir.path());
        c
    };
    // the process dies right after the store committed the run, before its bookkeeping
    let out = cmd().args(["harvest", "--source", "k"]).env("VARDKATALOG_FAULT", "after-store-commit").output().unwrap();
    assert!(!out.status.success(), "the run was cut off");

    // the next start reconciles: the run is reported as interrupted, with what it committed
    let out = cmd().args(["harvest", "--history"]).output().unwrap();
    let history = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(history.contains("interrupted") && history.contains("3 new"), "{history}");
    assert!(history.contains("after the run's changes were committed"), "{history}");
    let (records, _) = snapshot_of_dir(&config);
    assert_eq!(records.iter().filter(|(iri, ..)| iri.starts_with("https://x.se/ds/krasch-")).count(), 3, "the committed records are there");
    // and they are the source's own: the next run finds them unchanged, not edited here
    let out = cmd().args(["harvest", "--source", "k"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success() && stdout.contains("0 new, 0 changed, 3 unchanged") && stdout.contains("0 conflicts"), "{stdout}");
}

#[test]
fn the_admin_page_is_for_admins_adds_a_source_starts_a_run_and_shows_its_report() {
    use crate::support::{client, signed_in};
    use reqwest::StatusCode;
    use vardkatalog::accounts::Role;
    let fixtures = serve(|t| match t {
        "/cat" => Reply::ok("text/turtle", ttl_dataset("https://x.se/ds/webb", "Från webben", "webb")),
        _ => Reply::not_found(),
    });
    let s = crate::support::start_server_with(|c| c.harvest.allow_private = vec!["127.0.0.1".into()]);
    // anonymous: to the sign-in page; an editor: not allowed
    let res = client().get(s.url("/admin/hamtning")).send().unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next="));
    let editor = signed_in(&s, "redaktor", Role::Redaktor);
    assert_eq!(editor.get("/admin/hamtning").status(), StatusCode::FORBIDDEN);
    let csrf = editor.csrf();
    let res = editor.post_form("/admin/hamtning/kallor", &[("csrf", &csrf), ("id", "x"), ("typ", "dcat"), ("url", "https://x.se/")]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let admin = signed_in(&s, "admin", Role::Admin);
    let page = admin.get("/admin/hamtning").text().unwrap();
    assert!(page.contains("<h1>Hämtning</h1>") && page.contains("Ingen källa ännu"), "{page}");
    let csrf = admin.csrf();
    // a bad source is refused with the field named, and nothing is stored
    let res =
        admin.post_form("/admin/hamtning/kallor", &[("csrf", &csrf), ("id", "Fel Id"), ("typ", "dcat"), ("url", &fixtures.url("/cat"))]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().unwrap().contains("Id: use lower-case"));
    // without the token: refused
    let res = admin.post_form("/admin/hamtning/kallor", &[("id", "webb"), ("typ", "dcat"), ("url", &fixtures.url("/cat"))]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = admin.post_form(
        "/admin/hamtning/kallor",
        &[("csrf", &csrf), ("id", "webb"), ("typ", "dcat"), ("url", &fixtures.url("/cat")), ("schema", "daily")],
    );
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().unwrap().contains("Källan webb är sparad"));

    let res = admin.post_form("/admin/hamtning/kor/webb", &[("csrf", &csrf)]);
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mut page = String::new();
    for _ in 0..100 {
        page = admin.get("/admin/hamtning").text().unwrap();
        if page.contains("klar") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(page.contains("<td>klar</td>"), "{page}");
    let run = s.state.harvest.runs(Some("webb"), 1).unwrap().remove(0);
    assert_eq!((run.status, run.new), (RunStatus::Succeeded, 1));
    let report = admin.get(&format!("/admin/hamtning/korning/{}?lang=en", run.id)).text().unwrap();
    assert!(report.contains("1 new, 0 changed"), "{report}");
    assert!(!report.contains("byte for byte"), "{report}");
    assert!(s.catalogue.public_resource(NamedNode::new("https://x.se/ds/webb").unwrap().as_ref()).unwrap().is_some());
    // a second run of the same answers says which run it matched (the first run's report is
    // written a moment before the runner lets go of the source: until then a start is 409)
    let mut res = admin.post_form("/admin/hamtning/kor/webb", &[("csrf", &csrf)]);
    for _ in 0..100 {
        if res.status() != StatusCode::CONFLICT {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        res = admin.post_form("/admin/hamtning/kor/webb", &[("csrf", &csrf)]);
    }
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mut second = None;
    for _ in 0..100 {
        second = s.state.harvest.runs(Some("webb"), 1).unwrap().into_iter().find(|r| r.id != run.id && r.status == RunStatus::Succeeded);
        if second.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let second = second.expect("the second run finished");
    let report = admin.get(&format!("/admin/hamtning/korning/{}?lang=sv", second.id)).text().unwrap();
    assert!(
        report.contains(&format!("Källan svarade byte för byte som i <a href=\"/admin/hamtning/korning/{0}\">körning {0}</a>", run.id)),
        "{report}"
    );
    assert!(report.contains("0 nya, 0 ändrade, 1 oförändrade"), "{report}");
    let res = admin.post_form("/admin/hamtning/kor/finns-inte", &[("csrf", &csrf)]);
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[test]
fn rut_exports_through_a_column_mapping_and_socialstyrelsen_workbooks_from_a_file() {
    let server = serve(|t| match t {
        "/rut/export.csv" => Reply::ok(
            "text/csv; charset=utf-8",
            "Register;Varnamn;Etikett;Beskrivning;Tidsperiod\nPatientregistret;HDIA;Huvuddiagnos;Angiven huvuddiagnos;1997–\nPatientregistret;INDATUM;Inskrivningsdatum;Det datum då patienten skrivs in;1964–\n",
        ),
        "/rut/trasig.csv" => Reply::ok("text/csv", "Register;Etikett\nPatientregistret;Huvuddiagnos\n"),
        _ => Reply::not_found(),
    });
    let mut rut = source("rut", SourceKind::Rut, &server.url("/rut/export.csv"));
    rut.columns.insert("notation".into(), "Varnamn".into());
    let broken = source("rut-trasig", SourceKind::Rut, &server.url("/rut/trasig.csv"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Metadata Testregistret (TR)_webb.xlsx");
    std::fs::write(&file, crate::ingest::register_workbook("Heltal", "1997")).unwrap();
    let sos = source("sos-tr", SourceKind::Socialstyrelsen, file.to_str().unwrap());
    let mut s = settings(vec![rut, broken, sos]);
    s.files_dir = Some(dir.path().to_path_buf());
    let (cat, h) = harvester_over(empty_catalogue(), s);

    let r = run(&h, "rut");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    let hdia = cat.store().list(&Filter { kind: Some(RecordKind::Variable), states: None }, 0, 100).unwrap();
    assert_eq!(hdia.len(), 2, "{hdia:?}");
    assert!(hdia.iter().all(|m| m.source.as_str() == "urn:vardkatalog:source:harvest:rut"));
    let again = run(&h, "rut");
    assert_eq!((again.new, again.changed), (0, 0), "{again:?}");

    let r = run(&h, "rut-trasig");
    assert_eq!(r.status, RunStatus::Failed, "a list without the variable-name column is refused: {r:?}");

    let r = run(&h, "sos-tr");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    assert!(r.new >= 3, "{r:?}");
    assert!(cat.store().count(&Filter::public(RecordKind::Dataset)).unwrap() >= 1);
}

#[test]
fn a_record_with_an_open_curation_draft_is_never_overwritten() {
    use vardkatalog::accounts::Role;
    use vardkatalog::curation::{Actor, Curation};
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let server = serve(move |t| {
        if t != "/cat" {
            return Reply::not_found();
        }
        let title = if v.load(Ordering::SeqCst) == 1 { "D" } else { "D, ny titel i källan" };
        Reply::ok("text/turtle", ttl_dataset("https://x.se/ds/d", title, "d"))
    });
    let cat = Arc::new(seeded_catalogue());
    let state = State::temporary().unwrap();
    let h = Harvester::new(cat.clone(), state.clone(), settings(vec![source("src", SourceKind::Dcat, &server.url("/cat"))]));
    assert_eq!(run(&h, "src").new, 1);

    // an editor opens a draft of the harvested record (nothing public changes yet)
    let d = NamedNode::new("https://x.se/ds/d").unwrap();
    let curation = Curation::new(cat.clone(), state.clone());
    let (_, record) = curation.current(&d).unwrap().unwrap();
    let editor = Actor { user: "anna".into(), role: Role::Redaktor };
    curation.save_draft(&editor, record, None, "förbättrar beskrivningen").unwrap();
    let before = cat.store().get(d.as_ref()).unwrap().unwrap();

    version.store(2, Ordering::SeqCst);
    let r = run(&h, "src");
    assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    assert_eq!(r.changed, 0, "{r:?}");
    assert!(r.conflicts.iter().any(|c| c.iri == d.as_str()), "the draft is listed as a conflict: {:?}", r.conflicts);
    assert_eq!(cat.store().get(d.as_ref()).unwrap().unwrap().meta, before.meta, "the published record was not overwritten");
}

#[test]
fn a_scheduled_source_runs_by_itself_inside_the_server_runtime() {
    let server = serve(move |t| {
        if t != "/cat" {
            return Reply::not_found();
        }
        Reply::ok("text/turtle", ttl_dataset("https://x.se/ds/s", "Schemalagd", "s"))
    });
    let cat = Arc::new(seeded_catalogue());
    let state = State::temporary().unwrap();
    let h =
        Arc::new(Harvester::new(cat.clone(), state.clone(), settings(vec![source("tidtabell", SourceKind::Dcat, &server.url("/cat"))])));
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        vardkatalog::harvest::schedule::spawn_every(h, "tidtabell".into(), Duration::from_millis(300));
        // nothing runs before the first interval; then runs follow one another
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
            let runs: Vec<RunReport> =
                state.harvest.runs(Some("tidtabell"), 10).unwrap().into_iter().filter(|r| r.finished.is_some()).collect();
            if runs.len() >= 2 {
                assert!(runs.iter().all(|r| r.status == RunStatus::Succeeded), "{runs:?}");
                assert_eq!(runs.iter().map(|r| r.new).sum::<u64>(), 1, "the second scheduled run finds nothing new: {runs:?}");
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no two scheduled runs within a minute: {runs:?}");
        }
    });
    assert!(cat.public_resource(NamedNode::new("https://x.se/ds/s").unwrap().as_ref()).unwrap().is_some());
}

// ---- what a source may reach ---------------------------------------------------------------

#[test]
fn a_source_inside_the_servers_network_is_refused_unless_the_configuration_allows_it() {
    let inner = serve_on("127.0.0.2", |t| match t {
        "/cat" => Reply::ok("text/turtle", ttl_dataset("https://x.se/ds/inre", "Inre", "inre")),
        _ => Reply::not_found(),
    });
    let target = inner.url("/cat");
    let server = serve(move |t| match t {
        "/cat" => Reply::ok("text/turtle", ttl_dataset("https://x.se/ds/lokal", "Lokal", "lokal")),
        "/vidare" => Reply::redirect(&target),
        _ => Reply::not_found(),
    });
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    let sources = vec![
        source("literal", SourceKind::Dcat, &server.url("/cat")),
        source("namn", SourceKind::Dcat, &format!("http://localhost:{port}/cat")),
        source("mappad", SourceKind::Dcat, &format!("http://[::ffff:127.0.0.1]:{port}/cat")),
        source("kompatibel", SourceKind::Dcat, &format!("http://[::127.0.0.1]:{port}/cat")),
        source("vidare", SourceKind::Dcat, &server.url("/vidare")),
        source("socialstyrelsen", SourceKind::Socialstyrelsen, &server.url("/api/v1/sv")),
        source("pxweb", SourceKind::Pxweb, &server.url("/api/v2/tables/TAB1")),
        source("rut", SourceKind::Rut, &server.url("/rut.csv")),
    ];
    let closed = HarvestSettings { allow_private: Vec::new(), ..settings(sources.clone()) };
    let (cat, h) = harvester_over(empty_catalogue(), closed);
    for id in ["literal", "namn", "mappad", "kompatibel", "vidare", "socialstyrelsen", "pxweb", "rut"] {
        let r = run(&h, id);
        assert_eq!(r.status, RunStatus::Failed, "{id}: {r:?}");
        assert!(r.errors.iter().any(|e| e.contains("inside the server's own network")), "{id}: {:?}", r.errors);
        if matches!(id, "literal" | "namn" | "vidare") {
            assert_eq!(r.requests, 1, "{id}: refused, not retried: {r:?}");
        }
    }
    assert!(server.requests().is_empty(), "no request reached the server: {:?}", server.requests());
    assert_eq!(cat.store().len().unwrap(), 0, "nothing was written");

    // allowed explicitly: 127.0.0.1 is read, but a redirect to 127.0.0.2 (not allowed) is refused
    let (cat, h) = harvester_over(empty_catalogue(), settings(sources));
    assert_eq!(run(&h, "literal").status, RunStatus::Succeeded);
    let r = run(&h, "vidare");
    assert_eq!(r.status, RunStatus::Failed, "{r:?}");
    assert!(r.errors.iter().any(|e| e.contains("127.0.0.2") && e.contains("inside the server's own network")), "{:?}", r.errors);
    assert!(inner.requests().is_empty(), "the redirect was not followed");
    assert!(cat.public_resource(NamedNode::new("https://x.se/ds/inre").unwrap().as_ref()).unwrap().is_none());
}

#[test]
fn file_sources_are_read_only_under_files_dir_and_a_forbidden_file_looks_like_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("kallor");
    std::fs::create_dir(&files).unwrap();
    std::fs::write(files.join("rut.csv"), "Register;Variabelnamn;Etikett\nPatientregistret;HDIA;Huvuddiagnos\n").unwrap();
    std::fs::write(dir.path().join("utanfor.csv"), "Register;Variabelnamn;Etikett\nX;Y;Z\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", files.join("lank.csv")).unwrap();
    let missing = files.join("finns-inte.csv");
    let cases = [
        ("passwd", "/etc/passwd".to_owned()),
        ("shadow", "file:///etc/shadow".to_owned()),
        ("saknas", missing.display().to_string()),
        ("lank", files.join("lank.csv").display().to_string()),
        ("upp", format!("{}/../utanfor.csv", files.display())),
        ("katalog", files.display().to_string()),
    ];
    let mut sources: Vec<SourceConfig> = cases.iter().map(|(id, path)| source(id, SourceKind::Rut, path)).collect();
    sources.push(source("ok", SourceKind::Rut, files.join("rut.csv").to_str().unwrap()));
    sources.push(source("relativ", SourceKind::Rut, "rut.csv"));
    sources.push(source("arbetsbok", SourceKind::Socialstyrelsen, "/etc/passwd.xlsx"));

    // without files_dir no file is read at all
    let (cat, h) = harvester_over(empty_catalogue(), settings(sources.clone()));
    for id in ["passwd", "ok"] {
        let r = run(&h, id);
        assert_eq!(r.status, RunStatus::Failed, "{id}: {r:?}");
        assert!(r.errors[0].contains("files_dir"), "{id}: {:?}", r.errors);
    }
    assert_eq!(cat.store().len().unwrap(), 0);

    let mut s = settings(sources);
    s.files_dir = Some(files.clone());
    let (cat, h) = harvester_over(empty_catalogue(), s);
    // one message for every refused file, whatever the reason: no way to tell what exists
    let mut messages = std::collections::BTreeSet::new();
    for (id, path) in cases
        .iter()
        .map(|(id, p)| (*id, p.strip_prefix("file://").unwrap_or(p).to_owned()))
        .chain([("arbetsbok", "/etc/passwd.xlsx".to_owned())])
    {
        let r = run(&h, id);
        assert_eq!(r.status, RunStatus::Failed, "{id}: {r:?}");
        assert_eq!(r.errors.len(), 1, "{id}: {:?}", r.errors);
        let rest = r.errors[0].strip_prefix(&path).unwrap_or_else(|| panic!("{id}: {:?} names the path", r.errors));
        messages.insert(rest.to_owned());
    }
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(messages.iter().next().unwrap().contains("files_dir"), "{messages:?}");
    assert_eq!(cat.store().len().unwrap(), 0, "nothing was written");

    for id in ["ok", "relativ"] {
        let r = run(&h, id);
        assert_eq!(r.status, RunStatus::Succeeded, "{id}: {r:?}");
    }
}

#[test]
fn the_admin_page_cannot_allow_a_private_source() {
    use crate::support::{signed_in, start_server};
    use vardkatalog::accounts::Role;
    let fixtures = serve(|t| match t {
        "/cat" => Reply::ok("text/turtle", ttl_dataset("https://x.se/ds/privat", "Privat", "privat")),
        _ => Reply::not_found(),
    });
    let s = start_server();
    let admin = signed_in(&s, "admin", Role::Admin);
    let csrf = admin.csrf();
    let res = admin.post_form(
        "/admin/hamtning/kallor",
        &[
            ("csrf", &csrf),
            ("id", "privat"),
            ("typ", "dcat"),
            ("url", &fixtures.url("/cat")),
            ("allow_private", "true"),
            ("allow_private", "127.0.0.1"),
        ],
    );
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let res = admin.post_form("/admin/hamtning/kor/privat", &[("csrf", &csrf)]);
    assert_eq!(res.status(), reqwest::StatusCode::ACCEPTED);
    let mut runs = Vec::new();
    for _ in 0..200 {
        runs = s.state.harvest.runs(Some("privat"), 1).unwrap();
        if runs.first().is_some_and(|r| r.finished.is_some()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let run = runs.first().expect("a run");
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    assert!(run.errors.iter().any(|e| e.contains("inside the server's own network")), "{:?}", run.errors);
    let report = admin.get(&format!("/admin/hamtning/korning/{}?lang=en", run.id)).text().unwrap();
    assert!(report.contains("inside the server&#39;s own network") || report.contains("inside the server's own network"), "{report}");
    assert!(fixtures.requests().is_empty());
}

/// A source that answers byte for byte as before is not compared again (the run names the run
/// it matched and writes nothing); but the same answers do not hide what happened here since:
/// a record edited in the catalogue sends the next run through the full comparison, which
/// lists the conflict (a draft does too: the next test); and one changed byte in the source
/// does too.
#[test]
fn an_unchanged_source_is_recognised_by_its_answers_without_hiding_local_edits_or_drafts() {
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let server = serve(move |t| {
        if t != "/cat" {
            return Reply::not_found();
        }
        let mut body = ttl_dataset("https://x.se/ds/a", "A", "a") + &ttl_dataset("https://x.se/ds/b", "B", "b");
        if v.load(Ordering::SeqCst) == 2 {
            body += "# en kommentar: samma data, andra byte\n";
        }
        Reply::ok("text/turtle", body)
    });
    let cat = Arc::new(seeded_catalogue());
    let state = State::temporary().unwrap();
    let h = Harvester::new(cat.clone(), state.clone(), settings(vec![source("src", SourceKind::Dcat, &server.url("/cat"))]));
    let first = run(&h, "src");
    assert_eq!((first.status, first.new, first.same_as), (RunStatus::Succeeded, 2, None), "{first:?}");

    // the same answers: recognised, nothing written, the counts of the run it matched
    let generation = cat.store().generation().unwrap();
    let again = run(&h, "src");
    assert_eq!((again.status, again.same_as), (RunStatus::Succeeded, Some(first.id)), "{again:?}");
    assert_eq!((again.new, again.changed, again.unchanged, again.retired), (0, 0, 2, 0), "{again:?}");
    assert_eq!(cat.store().generation().unwrap(), generation, "no write");
    // and a run after a recognised one is recognised too
    assert_eq!(run(&h, "src").same_as, Some(again.id));

    // b edited here: the same answers now need the comparison, which names the edit
    let b = NamedNode::new("https://x.se/ds/b").unwrap();
    let mut rec = cat.store().get(b.as_ref()).unwrap().unwrap();
    rec.graph.insert(TripleRef::new(
        &b,
        dct::DESCRIPTION,
        &oxigraph::model::Literal::new_language_tagged_literal("Kurerad här", "sv").unwrap(),
    ));
    rec.meta.content_hash = vardkatalog::model::record::content_hash(&rec.graph);
    rec.meta.version += 1;
    cat.save_records(&[rec]).unwrap();
    let r = run(&h, "src");
    assert_eq!(r.same_as, None, "{r:?}");
    assert!(r.conflicts.iter().any(|c| c.iri == b.as_str() && c.reason.contains("edited here")), "{:?}", r.conflicts);
    // a run that left a conflict aside is never the one matched
    assert_eq!(run(&h, "src").same_as, None);

    // one byte more in the source: compared in full
    version.store(2, Ordering::SeqCst);
    let r = run(&h, "src");
    assert_eq!((r.status, r.same_as), (RunStatus::Succeeded, None), "{r:?}");
}

/// A recognised source stops being recognised once a draft of one of its records is opened
/// (drafts live in the state, not in the store's change log).
#[test]
fn a_draft_opened_after_an_unchanged_run_sends_the_next_run_through_the_comparison() {
    use vardkatalog::accounts::Role;
    use vardkatalog::curation::{Actor, Curation};
    let server = serve(move |t| match t {
        "/cat" => Reply::ok("text/turtle", ttl_dataset("https://x.se/ds/d", "D", "d")),
        _ => Reply::not_found(),
    });
    let cat = Arc::new(seeded_catalogue());
    let state = State::temporary().unwrap();
    let h = Harvester::new(cat.clone(), state.clone(), settings(vec![source("src", SourceKind::Dcat, &server.url("/cat"))]));
    let first = run(&h, "src");
    assert_eq!(run(&h, "src").same_as, Some(first.id));
    let d = NamedNode::new("https://x.se/ds/d").unwrap();
    let curation = Curation::new(cat.clone(), state.clone());
    let (_, record) = curation.current(&d).unwrap().unwrap();
    curation.save_draft(&Actor { user: "anna".into(), role: Role::Redaktor }, record, None, "utkast").unwrap();
    let r = run(&h, "src");
    assert_eq!(r.same_as, None, "{r:?}");
    assert!(r.conflicts.iter().any(|c| c.iri == d.as_str()), "{:?}", r.conflicts);
}
