//! Harvest round trips: clients that follow Hydra exactly the way ckanext-dcat and piveau do
//! (notes/standards.md §4) get every published dataset exactly once, whatever the page size,
//! and `modified_since` gives an incremental harvest.

use std::collections::BTreeSet;

use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use vardkatalog::catalog::ImportOptions;
use vardkatalog::model::vocab::{dcat, dct, foaf, hydra, rdf};
use vardkatalog::synthetic::{self, Spec};

use crate::publish::get_without_accept;
use crate::support::{BASE, TestServer, client, format_of, parse_rdf, start_server};

/// Page links are minted under the configured base IRI (the public address); in the test the
/// server listens elsewhere, so links are mapped onto it, as piveau's `brokenHydra` option does.
fn local(s: &TestServer, link: &str) -> String {
    match link.strip_prefix(BASE) {
        Some(rest) => s.url(&format!("/{rest}")),
        None => link.to_owned(),
    }
}

fn path_of(s: &TestServer, url: &str) -> String {
    url.strip_prefix(&format!("http://{}", s.addr)).unwrap().to_owned()
}

fn datasets_in(g: &Graph) -> Vec<String> {
    let mut v: Vec<String> = g
        .subjects_for_predicate_object(rdf::TYPE, dcat::DATASET)
        .map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_owned(),
            NamedOrBlankNodeRef::BlankNode(b) => panic!("a blank dataset {b}"),
        })
        .collect();
    v.sort();
    v
}

/// The object of the first subject typed `class` for `p` (an IRI or a literal link).
fn link_of(g: &Graph, class: NamedNodeRef<'_>, p: NamedNodeRef<'_>) -> Option<Option<String>> {
    let node = g.subjects_for_predicate_object(rdf::TYPE, class).next()?;
    Some(g.object_for_subject_predicate(node, p).map(|o| match o {
        TermRef::NamedNode(n) => n.as_str().to_owned(),
        TermRef::Literal(l) => l.value().to_owned(),
        other => panic!("a link that is not an IRI: {other}"),
    }))
}

/// ckanext-dcat's RDF harvester: HEAD first, then GET with no Accept header, the format from
/// Content-Type; `next_page` looks for a `hydra:PartialCollectionView`, then a
/// `hydra:PagedCollection`, and takes `hydra:next`, else `hydra:nextPage`. Returns every
/// dataset seen, with repeats, and the number of pages.
fn ckanext_dcat(s: &TestServer, start: &str) -> (Vec<String>, usize) {
    let mut url = s.url(start);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let head = client().head(&url).send().unwrap();
        assert_eq!(head.status(), reqwest::StatusCode::OK, "HEAD {url}");
        let (status, headers, body) = get_without_accept(s.addr, &path_of(s, &url));
        assert_eq!(status, 200, "GET {url}");
        let ct = headers.iter().find(|(k, _)| k == "content-type").map(|(_, v)| v.clone()).unwrap();
        assert!(format_of(&ct).is_some(), "an RDF Content-Type: {ct}");
        let g = parse_rdf(&body, &ct);
        seen.extend(datasets_in(&g));
        pages += 1;
        let next = [hydra::PARTIAL_COLLECTION_VIEW, hydra::PAGED_COLLECTION].into_iter().find_map(|class| {
            let node = g.subjects_for_predicate_object(rdf::TYPE, class).next()?;
            let next = g.object_for_subject_predicate(node, hydra::NEXT).or_else(|| g.object_for_subject_predicate(node, hydra::NEXT_PAGE));
            Some(next.map(|o| o.to_string().trim_matches(['<', '>', '"']).to_owned()))
        });
        match next.flatten() {
            Some(n) => url = local(s, &n),
            None => break,
        }
        assert!(pages < 1000, "the harvest does not end");
    }
    (seen, pages)
}

/// piveau's importing-rdf: with a `hydra:PagedCollection` node it follows `hydra:nextPage` and
/// reads `hydra:totalItems` on that node (a missing one is an error); each dataset is cut out
/// of the page as a sub-model, so its publisher and distributions must be described there.
fn piveau(s: &TestServer, start: &str, accept: &str) -> (Vec<String>, u64) {
    let mut url = s.url(start);
    let mut seen = Vec::new();
    let mut total = None;
    loop {
        let res = client().get(&url).header("accept", accept).send().unwrap();
        assert!(res.status().is_success(), "{url}");
        let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
        let g = parse_rdf(&res.bytes().unwrap(), &ct);
        let node = g.subjects_for_predicate_object(rdf::TYPE, hydra::PAGED_COLLECTION).next().expect("a PagedCollection node");
        let items = g.object_for_subject_predicate(node, hydra::TOTAL_ITEMS).expect("totalItems on the PagedCollection node");
        let TermRef::Literal(items) = items else { panic!("totalItems is a number") };
        let items: u64 = items.value().parse().unwrap();
        assert_eq!(*total.get_or_insert(items), items, "totalItems is the same on every page");
        for d in datasets_in(&g) {
            let ds = NamedNodeRef::new_unchecked(&d);
            let Some(TermRef::NamedNode(p)) = g.object_for_subject_predicate(ds, dct::PUBLISHER) else { panic!("{d} has a publisher") };
            assert!(g.object_for_subject_predicate(p, foaf::NAME).is_some(), "{d}: its publisher is on the page");
            for dist in g.objects_for_subject_predicate(ds, dcat::DISTRIBUTION_PROP) {
                let TermRef::NamedNode(dist) = dist else { panic!() };
                assert!(g.object_for_subject_predicate(dist, dcat::ACCESS_URL).is_some(), "{d}: its distribution is on the page");
            }
            seen.push(d);
        }
        match link_of(&g, hydra::PAGED_COLLECTION, hydra::NEXT_PAGE).flatten() {
            Some(next) => url = local(s, &next),
            None => break,
        }
    }
    (seen, total.unwrap_or(0))
}

fn catalogue_with_synthetic(extra: usize) -> (TestServer, BTreeSet<String>) {
    let s = start_server();
    let spec = Spec { prefix: "h", datasets: extra, variables_per_dataset: 2 };
    s.catalogue.import_graph(&synthetic::chunk(BASE, &spec, 0..extra), &ImportOptions::published_import()).unwrap();
    let (_, all) = s.catalogue.public_list(vardkatalog::model::record::RecordKind::Dataset, 0, 100_000).unwrap();
    let all: BTreeSet<String> = all.iter().map(|r| r.iri().as_str().to_owned()).collect();
    (s, all)
}

fn exactly_once(seen: &[String], expected: &BTreeSet<String>, what: &str) {
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "{what}: a dataset came twice");
    assert_eq!(&unique, expected, "{what}: every published dataset, and only those");
}

#[test]
fn ckanext_dcat_and_piveau_harvest_every_dataset_exactly_once() {
    let (s, all) = catalogue_with_synthetic(37);
    assert_eq!(all.len(), 51, "14 seed datasets and 37 synthetic ones");
    for (page_size, pages) in [(10, 6), (17, 3), (51, 1), (1000, 1)] {
        let (seen, n) = ckanext_dcat(&s, &format!("/catalog?page=1&page_size={page_size}"));
        exactly_once(&seen, &all, &format!("ckanext-dcat, page_size={page_size}"));
        assert_eq!(n, pages, "page_size={page_size}");
        let (seen, total) = piveau(&s, &format!("/catalog.ttl?page=1&page_size={page_size}&profile=healthdcat-ap"), "text/turtle");
        exactly_once(&seen, &all, &format!("piveau, page_size={page_size}"));
        assert_eq!(total, 51);
    }
    // the default page size, and a harvester that registered the plain URL (dataportal.se)
    let (seen, pages) = ckanext_dcat(&s, "/catalog?page=1");
    exactly_once(&seen, &all, "default page size");
    assert_eq!(pages, 1);
    let (seen, pages) = ckanext_dcat(&s, "/catalog");
    exactly_once(&seen, &all, "one document");
    assert_eq!(pages, 1);
    let (seen, _) = piveau(&s, "/catalog?page=1&page_size=7", "application/ld+json");
    exactly_once(&seen, &all, "piveau over JSON-LD");
}

#[test]
fn modified_since_gives_an_incremental_harvest() {
    let (s, all) = catalogue_with_synthetic(5);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let since = chrono::Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let spec = Spec { prefix: "ny", datasets: 3, variables_per_dataset: 1 };
    s.catalogue.import_graph(&synthetic::chunk(BASE, &spec, 0..3), &ImportOptions::published_import()).unwrap();
    let new: BTreeSet<String> = (0..3).map(|n| synthetic::dataset_iri(BASE, "ny", n).as_str().to_owned()).collect();
    let stamp = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let query = vardkatalog::model::ids::encode_query(&stamp);
    let (seen, _) = ckanext_dcat(&s, &format!("/catalog?page=1&page_size=2&modified_since={query}"));
    exactly_once(&seen, &new, "changed since");
    let (seen, total) = piveau(&s, &format!("/catalog.ttl?page=1&page_size=2&modified_since={query}"), "text/turtle");
    exactly_once(&seen, &new, "changed since (piveau)");
    assert_eq!(total, 3);
    let (seen, _) = ckanext_dcat(&s, &format!("/catalog?modified_since={query}"));
    exactly_once(&seen, &new, "changed since, one document");
    let all_now: BTreeSet<String> = all.union(&new).cloned().collect();
    let (seen, _) = ckanext_dcat(&s, "/catalog?modified_since=2000-01-01");
    exactly_once(&seen, &all_now, "changed since 2000");

    // changing a distribution changes its dataset for incremental harvesters
    let since = chrono::Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let dist = format!(
        "<{BASE}distribution/syn-h-0000002> a <{}> ; <{}> <https://example.org/ny-adress> .",
        dcat::DISTRIBUTION.as_str(),
        dcat::ACCESS_URL.as_str()
    );
    s.catalogue.import_document(dist.as_bytes(), oxigraph::io::RdfFormat::Turtle, &ImportOptions::published_import()).unwrap();
    let query = vardkatalog::model::ids::encode_query(&since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    let (seen, _) = ckanext_dcat(&s, &format!("/catalog?modified_since={query}"));
    assert_eq!(seen, vec![synthetic::dataset_iri(BASE, "h", 2).as_str().to_owned()]);
}
