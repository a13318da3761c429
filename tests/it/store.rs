//! The store: atomic saves and deletes, all-or-nothing imports, stable paging.

use oxigraph::io::RdfFormat;
use vardkatalog::catalog::{ImportError, ImportOptions};
use vardkatalog::model::record::RecordKind;
use vardkatalog::store::{Batch, EmbeddedStore, Expect, Filter, RecordState, RecordStore};

use crate::support::{empty_catalogue, seeded_catalogue, temp_config};

/// Everything in the store as sorted N-Quads, to compare before and after.
fn dump(cat: &vardkatalog::catalog::Catalogue) -> Vec<String> {
    let mut out = Vec::new();
    for meta in cat.store().list(&Filter::default(), 0, u64::MAX / 2).unwrap() {
        for t in cat.store().graph(meta.iri.as_ref()).unwrap().iter() {
            out.push(format!("{t} {}", meta.iri));
        }
        out.push(format!("{meta:?}"));
    }
    out.sort();
    out
}

const GOOD: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<dataset/ny> a dcat:Dataset ; dct:title "Ny datamängd"@sv ; dct:description "Beskrivning"@sv .
<dataset/ny2> a dcat:Dataset ; dct:title "Ny datamängd 2"@sv .
"#;

#[test]
fn a_file_broken_half_way_changes_nothing() {
    let cat = seeded_catalogue();
    let before = dump(&cat);
    // valid records first, then a statement without its final dot: the parser stops on line 7
    let broken = format!("{GOOD}\n<dataset/trasig> a dcat:Dataset ; dct:title \"Trasig\"@sv \n<oops> <oops> .\n");
    let err = cat.import_document(broken.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).unwrap_err();
    match &err {
        ImportError::Syntax { line, column, .. } => {
            assert_eq!(*line, 7, "{err}");
            assert!(*column > 0);
        }
        other => panic!("expected a syntax error with a position, got {other}"),
    }
    assert!(err.to_string().contains("line 7"), "{err}");
    assert_eq!(before, dump(&cat), "the store changed after a failed import");
}

#[test]
fn a_record_the_model_refuses_fails_the_whole_import() {
    let cat = seeded_catalogue();
    let before = dump(&cat);
    let bad = format!(
        "{GOOD}\n<dataset/datum> a dcat:Dataset ; dct:title \"X\"@sv ; dct:issued \"igår\"^^<http://www.w3.org/2001/XMLSchema#date> .\n"
    );
    let err = cat.import_document(bad.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).unwrap_err();
    assert!(matches!(err, ImportError::Model { .. }), "{err}");
    assert!(err.to_string().contains("dataset/datum") && err.to_string().contains("issued"), "{err}");
    assert_eq!(before, dump(&cat));
}

#[test]
fn import_creates_then_recognises_unchanged_and_changed_records() {
    let cat = empty_catalogue();
    let opts = ImportOptions::published_import();
    let r = cat.import_document(GOOD.as_bytes(), RdfFormat::Turtle, &opts).unwrap();
    assert_eq!((r.created, r.changed, r.unchanged), (2, 0, 0));
    let r = cat.import_document(GOOD.as_bytes(), RdfFormat::Turtle, &opts).unwrap();
    assert_eq!((r.created, r.changed, r.unchanged), (0, 0, 2), "same content, new blank-node ids: unchanged");
    let changed = GOOD.replace("Ny datamängd 2", "Ändrad");
    let r = cat.import_document(changed.as_bytes(), RdfFormat::Turtle, &opts).unwrap();
    assert_eq!((r.created, r.changed, r.unchanged), (0, 1, 1));
    let meta = cat.store().meta(cat.minter().record(RecordKind::Dataset, "ny2").unwrap().as_ref()).unwrap().unwrap();
    assert_eq!(meta.version, 2, "publishing new content bumps the version");
    assert_eq!(meta.state, RecordState::Published);
}

#[test]
fn every_rdf_format_imports() {
    let cat = empty_catalogue();
    let opts = ImportOptions::published_import();
    let nt =
        "<https://katalog.example.se/dataset/nt> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n";
    cat.import_document(nt.as_bytes(), RdfFormat::NTriples, &opts).unwrap();
    let xml = r#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
        <dcat:Dataset rdf:about="https://katalog.example.se/dataset/xml"><dct:title xml:lang="sv">XML</dct:title></dcat:Dataset></rdf:RDF>"#;
    cat.import_document(xml.as_bytes(), RdfFormat::RdfXml, &opts).unwrap();
    let jsonld = r#"{"@id": "https://katalog.example.se/dataset/jsonld", "@type": "http://www.w3.org/ns/dcat#Dataset",
        "http://purl.org/dc/terms/title": {"@value": "JSON-LD", "@language": "sv"}}"#;
    cat.import_document(jsonld.as_bytes(), RdfFormat::JsonLd { profile: Default::default() }, &opts).unwrap();
    assert_eq!(cat.store().count(&Filter::public(RecordKind::Dataset)).unwrap(), 3);
}

#[test]
fn save_replace_delete_and_stable_paging_on_disk() {
    let (_dir, config) = temp_config();
    let cat = vardkatalog::app::open_catalogue(&config).unwrap();
    let mut ttl = String::from("@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n");
    for i in 0..25 {
        ttl.push_str(&format!("<dataset/d{i:02}> a dcat:Dataset ; dct:title \"D {i}\"@sv .\n"));
    }
    cat.import_document(ttl.as_bytes(), RdfFormat::Turtle, &ImportOptions::published_import()).unwrap();
    let filter = Filter::public(RecordKind::Dataset);
    assert_eq!(cat.store().count(&filter).unwrap(), 25);
    let mut seen = Vec::new();
    for page in 0..3 {
        let metas = cat.store().list(&filter, page * 10, 10).unwrap();
        seen.extend(metas.into_iter().map(|m| m.iri.as_str().to_owned()));
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "pages come in IRI order, each record exactly once");
    assert_eq!(seen.len(), 25);

    let first = cat.minter().record(RecordKind::Dataset, "d00").unwrap();
    let mut batch = Batch::new();
    batch.delete(first.clone(), Expect::Any);
    cat.store().commit(&batch).unwrap();
    assert!(cat.store().get(first.as_ref()).unwrap().is_none());
    assert!(cat.store().graph(first.as_ref()).unwrap().is_empty(), "the graph went with its metadata");
    assert_eq!(cat.store().count(&filter).unwrap(), 24);

    // reopening the data directory keeps everything
    drop(cat);
    let store = EmbeddedStore::open(&config.store_dir()).unwrap();
    assert_eq!(store.count(&filter).unwrap(), 24);
}

#[test]
fn a_second_process_is_told_the_directory_is_in_use() {
    let (_dir, config) = temp_config();
    let _first = EmbeddedStore::open(&config.store_dir()).unwrap();
    let err = EmbeddedStore::open(&config.store_dir()).err().expect("a second open must fail");
    assert!(err.to_string().contains("in use"), "{err}");
}
