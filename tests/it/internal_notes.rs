//! Internal curation notes (`skos:editorialNote`, `vk:needsInput`, and the seed's references to
//! its own sources: "sources.md §6.4", "[U]") are for signed-in curators: no public page,
//! export, RDF document (every profile, every record download), SPARQL answer or search
//! snippet carries one. Checked by crawling every public record of the seed for every note.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use vardkatalog::accounts::Role;
use vardkatalog::model::record::RecordKind;

use crate::support::{Browser, signed_in, start_server};

/// Every editorial note of the seed.
fn seed_notes() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog-seed");
    let mut notes = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ttl") {
            continue;
        }
        let parser = RdfParser::from_format(RdfFormat::Turtle).with_base_iri("https://katalog.example.se/").unwrap();
        for quad in parser.for_reader(std::fs::File::open(&path).unwrap()) {
            let quad = quad.unwrap();
            if quad.predicate.as_ref() == vardkatalog::model::vocab::skos::EDITORIAL_NOTE
                && let Term::Literal(l) = quad.object
            {
                notes.insert(l.value().to_owned());
            }
        }
    }
    notes.into_iter().collect()
}

/// What to look for of a note: its longest piece without a character any format escapes.
fn needle(note: &str) -> String {
    note.split(['&', '<', '>', '"', '\'', '”', '“', '’', '\n', '\\'])
        .map(str::trim)
        .max_by_key(|p| p.chars().count())
        .unwrap_or("")
        .to_owned()
}

/// The text of a body; the text of every part of a workbook (a zip package).
fn readable(bytes: &[u8]) -> String {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut all = String::new();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut content = Vec::new();
            part.read_to_end(&mut content).unwrap();
            all.push_str(&String::from_utf8_lossy(&content));
        }
        return all;
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn no_internal_note_reaches_a_public_page_export_rdf_or_sparql() {
    let notes = seed_notes();
    assert!(notes.len() > 50, "the seed's notes: {}", notes.len());
    let mut needles: BTreeSet<String> = notes.iter().map(|n| needle(n)).filter(|n| n.chars().count() >= 20).collect();
    for marker in ["sources.md", "[U]", "[S]", "[V]"] {
        needles.insert(marker.to_owned());
    }
    let server = start_server();
    let b = Browser::new(&server);
    let cat = server.catalogue.clone();
    let mut leaks: Vec<String> = Vec::new();
    let mut fetched = 0usize;
    let mut look = |what: &str, body: &[u8], rdf: bool| {
        fetched += 1;
        let text = readable(body);
        for n in &needles {
            if text.contains(n.as_str()) {
                leaks.push(format!("{what}: {n}"));
            }
        }
        if rdf {
            for p in [vardkatalog::model::vocab::skos::EDITORIAL_NOTE, vardkatalog::model::vocab::vk::NEEDS_INPUT] {
                if text.contains(p.as_str()) || text.contains(&format!(":{}", p.as_str().rsplit(['#', '/']).next().unwrap())) {
                    leaks.push(format!("{what}: the property {p}"));
                }
            }
        }
    };
    let get = |path: &str, accept: &str| -> Vec<u8> {
        let res = b.get_with(path, &[("accept", accept)]);
        assert!(res.status().is_success(), "{path} ({accept}): {}", res.status());
        res.bytes().unwrap().to_vec()
    };
    // pages and machine-readable lists of the site
    for path in [
        "/",
        "/om",
        "/om/data",
        "/sok",
        "/sok?q=spec%C3%A4garen",
        "/sok?q=k%C3%A4llorna+underlag",
        "/sok?q=filspecifikation",
        "/api/v1/search?q=spec%C3%A4garen",
        "/api/v1/search?q=sekund%C3%A4rk%C3%A4lla",
        "/datainsamling",
        "/kvalitet",
        "/kvalitet/ehds",
        "/kvalitet/ehds.csv",
        "/api/v1/quality",
        "/api/v1/ehds",
        "/feed.atom",
    ] {
        look(path, &get(path, "text/html,*/*"), false);
    }
    // every public record: its page, its description in RDF, the lists it is on
    let mut variables = Vec::new();
    let mut datasets = Vec::new();
    for kind in RecordKind::ALL.into_iter().filter(|k| *k != RecordKind::Catalog) {
        let (total, records) = cat.public_list(kind, 0, 100_000).unwrap();
        assert_eq!(total as usize, records.len());
        if ![RecordKind::Concept, RecordKind::Distribution, RecordKind::DataService].contains(&kind) {
            let pages = total.div_ceil(50).max(1);
            for n in 1..=pages {
                let path = format!("/{}?sida={n}", kind.as_str());
                look(&path, &get(&path, "text/html"), false);
            }
        }
        for r in &records {
            let path = cat.minter().path(r.iri().as_str());
            look(&path, &get(&path, "text/html"), false);
            look(&format!("{path} (Turtle)"), &get(&path, "text/turtle"), true);
            match kind {
                RecordKind::Variable => variables.push(path),
                RecordKind::Dataset => datasets.push(path),
                _ => {}
            }
        }
    }
    assert!(variables.len() > 100 && datasets.len() > 10, "{} variables, {} datasets", variables.len(), datasets.len());
    for path in &datasets {
        for profile in ["dcat-ap-se", "healthdcat-ap", "healthdcat-ap-r5", "dcat-ap"] {
            let p = format!("{path}?profile={profile}");
            look(&p, &get(&p, "application/rdf+xml"), true);
        }
        for ext in ["xlsx", "csv"] {
            let p = format!("{path}/variabler.{ext}");
            look(&p, &get(&p, "*/*"), false);
        }
    }
    for path in &variables {
        for ext in ["json", "csv"] {
            let p = format!("{path}.{ext}");
            look(&p, &get(&p, "*/*"), false);
        }
    }
    // the collections' schemas
    for id in ["vardplatser", "vantetider", "kpp", "rikshoft"] {
        for file in ["tableschema.json", "csvw-metadata.json"] {
            let p = format!("/datainsamling/{id}/{file}");
            look(&p, &get(&p, "*/*"), false);
        }
        let p = format!("/datainsamling/{id}");
        look(&p, &get(&p, "text/html"), false);
    }
    // the variable list of the variables with the most notes, and its exports
    let csrf = b.csrf();
    for path in variables.iter().filter(|p| p.contains("/vp-") || p.contains("/rh-") || p.contains("/kpp-")).take(25) {
        let iri = format!("https://katalog.example.se{path}");
        let res = b.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &iri), ("tillbaka", "/variabellista")]);
        assert!(res.status().is_redirection(), "{path}: {}", res.status());
    }
    for p in ["/variabellista", "/variabellista.csv", "/variabellista.xlsx", "/variabellista.json"] {
        let body = get(p, "*/*");
        if p.ends_with(".json") {
            assert!(String::from_utf8_lossy(&body).contains("vp-"), "the list holds the variables");
        }
        look(p, &body, false);
    }
    // the same list by its link (no cookie), and its data request per register holder, as a
    // page and as each holder's CSV
    let ids: Vec<&str> = variables
        .iter()
        .filter(|p| p.contains("/vp-") || p.contains("/rh-") || p.contains("/kpp-"))
        .take(25)
        .map(|p| p.rsplit('/').next().unwrap())
        .collect();
    let link = ids.iter().map(|id| format!("v={id}")).collect::<Vec<_>>().join("&");
    let request = String::from_utf8(get(&format!("/variabellista/ansokan?{link}"), "text/html")).unwrap();
    look("/variabellista/ansokan (link)", request.as_bytes(), false);
    look("/variabellista (link)", &get(&format!("/variabellista?{link}"), "text/html"), false);
    let parts: BTreeSet<&str> =
        request.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).filter(|h| h.starts_with("/variabellista/ansokan/")).collect();
    assert!(!parts.is_empty(), "the data request offers a CSV per holder");
    for part in parts {
        let part = part.replace("&amp;", "&").replace("&#38;", "&");
        look(&part, &get(&part, "*/*"), false);
    }
    look("/variabellista/ansokan (cookie)", &get("/variabellista/ansokan", "text/html"), false);
    // the harvest document in every profile and format
    for profile in ["", "dcat-ap-se", "healthdcat-ap", "healthdcat-ap-r5", "dcat-ap"] {
        for accept in ["text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples"] {
            let p = if profile.is_empty() { "/catalog".to_owned() } else { format!("/catalog?profile={profile}") };
            look(&format!("{p} ({accept})"), &get(&p, accept), true);
        }
    }
    // SPARQL, however it is asked
    let skos = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX vk: <https://w3id.org/vardkatalog/ns#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ";
    let words = "FILTER(isLiteral(?o) && (CONTAINS(STR(?o), \"spec\u{e4}garen\") || CONTAINS(STR(?o), \"sources\") || CONTAINS(STR(?o), \"k\u{e4}llorna\") || CONTAINS(STR(?o), \"underlag\")))";
    let variable = "<https://katalog.example.se/variable/vp-disponibla-vardplatser>";
    let queries = [
        format!("{skos} SELECT ?s ?o WHERE {{ ?s skos:editorialNote ?o }}"),
        format!("{skos} SELECT ?s ?p ?o WHERE {{ ?s ?p ?o {words} }}"),
        format!("{skos} SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o {words} }} }}"),
        format!("{skos} SELECT ?o WHERE {{ ?s (skos:editorialNote|skos:scopeNote) ?o }}"),
        format!("{skos} SELECT ?o WHERE {{ ?s !(rdf:type|skos:prefLabel) ?o {words} }}"),
        format!("{skos} SELECT ?o WHERE {{ ?o ^skos:editorialNote ?s }}"),
        format!("{skos} SELECT ?o WHERE {{ ?s skos:editorialNote+ ?o }}"),
        format!("{skos} SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} GROUP BY ?p"),
        format!("{skos} SELECT ?p ?o FROM NAMED {variable} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        format!("{skos} SELECT ?o WHERE {{ ?s ?p ?o FILTER EXISTS {{ ?s skos:editorialNote ?n FILTER(?n = ?o) }} }}"),
        format!("{skos} ASK {{ ?s vk:needsInput ?x }}"),
    ];
    for q in &queries {
        let p = format!("/sparql?query={}", vardkatalog::model::ids::encode_query(q));
        let body = get(&p, "application/sparql-results+json");
        if q.contains("ASK") {
            assert!(String::from_utf8_lossy(&body).contains("false"), "{q}: {}", String::from_utf8_lossy(&body));
        }
        look(q, &body, true);
    }
    for q in [
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }".to_owned(),
        format!("DESCRIBE {variable}"),
        format!("DESCRIBE ?s WHERE {{ ?s ?p ?o {words} }}"),
    ] {
        let p = format!("/sparql?query={}", vardkatalog::model::ids::encode_query(&q));
        let body = get(&p, "text/turtle");
        if q.starts_with("DESCRIBE <") {
            assert!(String::from_utf8_lossy(&body).contains("Disponibla"), "DESCRIBE answers: {}", String::from_utf8_lossy(&body));
        }
        look(&q, &body, true);
    }
    assert!(leaks.is_empty(), "{} of {fetched} answers carry internal notes: {:#?}", leaks.len(), &leaks[..leaks.len().min(40)]);
    assert!(fetched > 800, "{fetched} answers read");

    // a signed-in curator sees them
    let curator = signed_in(&server, "anna", Role::Redaktor);
    let page = curator.get("/variable/vp-disponibla-vardplatser").text().unwrap();
    assert!(page.contains("sources.md §6.1"), "a curator sees the note on the record's page");
}
