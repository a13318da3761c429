//! `/catalog` and record IRIs as a harvester sees them, through a real server: content
//! negotiation and suffixes, HEAD, validators and 304, gzip, parameter errors, and what each
//! profile puts in the document.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, TermRef, TripleRef};
use reqwest::StatusCode;
use vardkatalog::catalog::ImportOptions;
use vardkatalog::model::vocab::{csvw, cv, dcat, dcatap, dct, eu, foaf, healthdcatap, hydra, rdf, vcard, vk, xsd};
use vardkatalog::store::RecordState;

use crate::support::{BASE, client, get_rdf, parse_rdf, shared_server, start_server, start_server_with};

fn n(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

fn datasets(g: &Graph) -> BTreeSet<String> {
    g.subjects_for_predicate_object(rdf::TYPE, dcat::DATASET).map(|s| s.to_string()).collect()
}

fn canonical(mut g: Graph) -> Graph {
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    g
}

/// A raw HTTP/1.1 GET without an Accept header (reqwest always sends one).
pub fn get_without_accept(addr: std::net::SocketAddr, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))).collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = out;
    }
    (status, headers, body)
}

#[test]
fn the_catalogue_answers_rdf_xml_without_accept_and_shows_browsers_a_page_about_itself() {
    let s = shared_server();
    let (status, headers, body) = get_without_accept(s.addr, "/catalog");
    assert_eq!(status, 200);
    let ct = &headers.iter().find(|(k, _)| k == "content-type").unwrap().1;
    assert!(ct.starts_with("application/rdf+xml"), "{ct}");
    let g = parse_rdf(&body, ct);
    let expected = s.catalogue.public_counts().unwrap()[&vardkatalog::model::record::RecordKind::Dataset];
    assert_eq!(datasets(&g).len() as u64, expected, "the whole catalogue in one document");
    assert!(g.subjects_for_predicate_object(rdf::TYPE, hydra::PARTIAL_COLLECTION_VIEW).next().is_none(), "no paging asked, none given");

    let res = client().get(s.url("/catalog")).header("accept", "*/*").send().unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/rdf+xml"));
    let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let res = client().get(s.url("/catalog")).header("accept", firefox).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK, "a browser is not sent away");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(res.headers()["vary"], "Accept");
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    let body = res.text().unwrap();
    assert!(body.contains("Skördningsadressen") && body.contains(&format!("{BASE}catalog")), "the page names the address");
    // every alternate the Link header names answers in its type
    let alternates: Vec<(String, String)> = link
        .split(", ")
        .map(|l| {
            let target = l.split('>').next().unwrap().trim_start_matches('<').to_owned();
            let media = l.split("type=\"").nth(1).unwrap().trim_end_matches('"').to_owned();
            assert!(l.contains("rel=\"alternate\""), "{l}");
            (target, media)
        })
        .collect();
    assert_eq!(alternates.len(), 4, "{link}");
    for (target, media) in alternates {
        let res = client().get(s.url(&target)).send().unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{target}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with(&media), "{target}");
    }
    let res = client().get(s.url("/catalog")).header("accept", "image/png").send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_ACCEPTABLE);
    assert!(res.text().unwrap().contains("text/turtle"), "the 406 lists what is available");
}

#[test]
fn every_format_by_accept_and_by_suffix_carries_the_same_graph() {
    let s = shared_server();
    let mut graphs = Vec::new();
    for (media, suffix) in
        [("text/turtle", "ttl"), ("application/rdf+xml", "rdf"), ("application/ld+json", "jsonld"), ("application/n-triples", "nt")]
    {
        let (headers, g) = get_rdf(&s.url("/catalog"), media);
        assert!(headers["content-type"].to_str().unwrap().starts_with(media));
        assert_eq!(headers["vary"], "Accept");
        let (headers, g2) = get_rdf(&s.url(&format!("/catalog.{suffix}")), "image/png");
        assert!(headers["content-type"].to_str().unwrap().starts_with(media), "the suffix wins over Accept");
        assert!(headers.get("vary").is_none(), "a suffix URL does not vary");
        assert_eq!(canonical(g.clone()), canonical(g2), "{suffix}");
        graphs.push(canonical(g));
    }
    assert!(graphs.windows(2).all(|w| w[0] == w[1]), "Turtle, RDF/XML, JSON-LD and N-Triples say the same");
    let res = client().get(s.url("/catalog.csv")).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[test]
fn head_validators_304_and_gzip() {
    let s = shared_server();
    let http = client();
    let get = http.get(s.url("/catalog.ttl")).send().unwrap();
    let etag = get.headers()["etag"].to_str().unwrap().to_owned();
    let last_modified = get.headers()["last-modified"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let body_len = get.bytes().unwrap().len();
    assert!(body_len > 10_000);

    let head = http.head(s.url("/catalog.ttl")).send().unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(head.headers()["content-type"], "text/turtle; charset=utf-8");
    assert_eq!(head.bytes().unwrap().len(), 0, "HEAD has no body");
    let (status, headers, body) = {
        // HEAD through a raw socket, to see that no body bytes are sent at all
        let mut stream = std::net::TcpStream::connect(s.addr).unwrap();
        write!(stream, "HEAD /catalog HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        (head.lines().next().unwrap().to_owned(), head.to_ascii_lowercase(), body.to_owned())
    };
    assert!(status.contains("200"), "{status}");
    assert!(headers.contains("content-type: application/rdf+xml"), "{headers}");
    assert!(body.is_empty() || body == "0\r\n\r\n", "no document in a HEAD answer: {body:?}");

    let res = http.get(s.url("/catalog.ttl")).header("if-none-match", &etag).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
    let res = http.get(s.url("/catalog.ttl")).header("if-none-match", "W/\"something-else\"").send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = http.get(s.url("/catalog.ttl")).header("if-modified-since", &last_modified).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    let res = http.get(s.url("/catalog.ttl")).header("if-modified-since", "Mon, 01 Jan 2001 00:00:00 GMT").send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let other = http.get(s.url("/catalog.ttl?profile=dcat-ap")).send().unwrap();
    assert_ne!(other.headers()["etag"].to_str().unwrap(), etag, "another profile is another representation");

    let gz = http.get(s.url("/catalog.ttl")).header("accept-encoding", "gzip").send().unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let bytes = gz.bytes().unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(bytes.len() * 4 < body_len, "{} compressed vs {body_len}", bytes.len());
}

#[test]
fn the_etag_changes_when_a_public_record_changes_and_not_for_a_draft() {
    let s = start_server();
    let http = client();
    let etag =
        |http: &reqwest::blocking::Client| http.get(s.url("/catalog.ttl")).send().unwrap().headers()["etag"].to_str().unwrap().to_owned();
    let before = etag(&http);
    let options = ImportOptions { state: RecordState::Draft, ..ImportOptions::published_import() };
    let draft = format!(
        "<{BASE}dataset/utkast> a <{}> ; <{}> \"Utkast\"@sv ; <{}> \"Ej publicerad\"@sv .",
        dcat::DATASET.as_str(),
        dct::TITLE.as_str(),
        dct::DESCRIPTION.as_str()
    );
    s.catalogue.import_document(draft.as_bytes(), oxigraph::io::RdfFormat::Turtle, &options).unwrap();
    assert_eq!(etag(&http), before, "a draft is not part of the published catalogue");
    let body = http.get(s.url("/catalog.ttl")).send().unwrap().text().unwrap();
    assert!(!body.contains("utkast"), "drafts never leave");
    let res = http.get(s.url("/dataset/utkast.ttl")).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // a published dataset whose distribution is still a draft: the draft is not even named
    let with_draft_part = format!(
        "<{BASE}dataset/med-utkast> a <{}> ; <{}> \"Med utkast\"@sv ; <{}> \"Publicerad\"@sv ; <{}> <{BASE}distribution/utkast> .",
        dcat::DATASET.as_str(),
        dct::TITLE.as_str(),
        dct::DESCRIPTION.as_str(),
        dcat::DISTRIBUTION_PROP.as_str()
    );
    s.catalogue.import_document(with_draft_part.as_bytes(), oxigraph::io::RdfFormat::Turtle, &ImportOptions::published_import()).unwrap();
    let dist = format!(
        "<{BASE}distribution/utkast> a <{}> ; <{}> <https://example.org/x> .",
        dcat::DISTRIBUTION.as_str(),
        dcat::ACCESS_URL.as_str()
    );
    s.catalogue.import_document(dist.as_bytes(), oxigraph::io::RdfFormat::Turtle, &options).unwrap();
    let body = http.get(s.url("/catalog.ttl")).send().unwrap().text().unwrap();
    assert!(body.contains("dataset/med-utkast") && !body.contains("distribution/utkast"), "no link to a draft");
    let body = http.get(s.url("/dataset/med-utkast.nt")).send().unwrap().text().unwrap();
    assert!(!body.contains("distribution/utkast"));

    let published = draft.replace("utkast", "ny-datamangd");
    s.catalogue.import_document(published.as_bytes(), oxigraph::io::RdfFormat::Turtle, &ImportOptions::published_import()).unwrap();
    assert_ne!(etag(&http), before);
}

#[test]
fn bad_parameters_are_refused_with_their_name() {
    let s = shared_server();
    let http = client();
    for (q, status, needle) in [
        ("page=0", 400, "page="),
        ("page=x", 400, "page="),
        ("page_size=0", 400, "page_size"),
        ("page_size=1001", 400, "1 to 1000"),
        ("page=99", 404, "last page is 1"),
        ("modified_since=yesterday", 400, "modified_since"),
        ("profile=ckan", 400, "profile"),
    ] {
        let res = http.get(s.url(&format!("/catalog.ttl?{q}"))).send().unwrap();
        assert_eq!(res.status().as_u16(), status, "{q}");
        let text = res.text().unwrap();
        assert!(text.contains(needle), "{q}: {text}");
    }
}

/// Every literal in the graph that is free text.
fn untagged_free_text(g: &Graph) -> Vec<String> {
    let free = [dct::TITLE, dct::DESCRIPTION, dcat::KEYWORD, foaf::NAME, vcard::FN];
    g.iter()
        .filter(|t| free.contains(&t.predicate))
        .filter(|t| matches!(t.object, TermRef::Literal(l) if l.language().is_none()))
        .map(|t| t.to_string())
        .collect()
}

fn objects(g: &Graph, s: &NamedNode, p: NamedNodeRef<'_>) -> Vec<String> {
    let mut v: Vec<String> = g.objects_for_subject_predicate(s, p).map(|o| o.to_string()).collect();
    v.sort();
    v
}

#[test]
fn dcat_ap_se_profile() {
    let s = shared_server();
    let (_, g) = get_rdf(&s.url("/catalog?profile=dcat-ap-se"), "text/turtle");
    let catalog = n(&format!("{BASE}catalog"));
    assert!(g.subjects_for_predicate_object(rdf::TYPE, dcat::CATALOG_RECORD).next().is_none(), "no CatalogRecord");
    assert!(untagged_free_text(&g).is_empty(), "{:?}", untagged_free_text(&g));
    assert_eq!(objects(&g, &catalog, dct::LICENSE), vec![format!("<{}>", eu::CC0)]);
    assert!(g.iter().all(|t| !t.predicate.as_str().starts_with(healthdcatap::NS)), "no HealthDCAT-AP properties");
    assert!(g.triples_for_predicate(vk::NEEDS_INPUT).next().is_none(), "no curation notes");
    for ds in g.subjects_for_predicate_object(rdf::TYPE, dcat::DATASET) {
        let oxigraph::model::NamedOrBlankNodeRef::NamedNode(ds) = ds else { panic!("blank dataset") };
        let publisher = g.object_for_subject_predicate(ds, dct::PUBLISHER).unwrap_or_else(|| panic!("{ds} has a publisher"));
        let TermRef::NamedNode(p) = publisher else { panic!() };
        assert!(g.object_for_subject_predicate(p, dct::TYPE).is_some(), "{p} is described with its type");
        assert!(g.object_for_subject_predicate(p, foaf::NAME).is_some());
        for dist in g.objects_for_subject_predicate(ds, dcat::DISTRIBUTION_PROP) {
            let TermRef::NamedNode(d) = dist else { panic!() };
            let format = g.object_for_subject_predicate(d, dct::FORMAT).expect("a format").to_string();
            assert!(format.starts_with(&format!("<{}", eu::FILE_TYPE)), "{format}");
            let media = g.object_for_subject_predicate(d, dcat::MEDIA_TYPE).expect("a media type").to_string();
            assert!(media.starts_with(&format!("<{}", eu::IANA_MEDIA_TYPES)), "{media}");
            assert_eq!(g.objects_for_subject_predicate(d, dcat::ACCESS_URL).count(), 1, "{d}: accessURL 1..1");
        }
    }
}

#[test]
fn healthdcat_ap_profile_with_variables_as_csvw() {
    let s = shared_server();
    let (_, g) = get_rdf(&s.url("/catalog.ttl?profile=healthdcat-ap"), "text/turtle");
    let ehds = format!("<{}>", eu::EHDS_ELI);
    let catalog = n(&format!("{BASE}catalog"));
    assert!(objects(&g, &catalog, dcatap::APPLICABLE_LEGISLATION).contains(&ehds));
    let ds = n(&format!("{BASE}dataset/patientregistret-sluten-vard"));
    assert!(objects(&g, &ds, dcatap::APPLICABLE_LEGISLATION).contains(&ehds));
    assert_eq!(
        objects(&g, &ds, dct::IDENTIFIER),
        vec![format!("\"{}\"^^<{}>", ds.as_str(), xsd::ANY_URI.as_str())],
        "the identifier is the dereferenceable IRI"
    );
    assert!(objects(&g, &ds, healthdcatap::HEALTH_CATEGORY).iter().any(|c| c.contains("healthcategories/PHDR")));
    assert_eq!(objects(&g, &ds, dct::ACCESS_RIGHTS), vec![format!("<{}NON_PUBLIC>", eu::ACCESS_RIGHT)]);
    // the HDAB and its contact point, in full
    let hdab = g.object_for_subject_predicate(&ds, healthdcatap::HDAB).expect("an HDAB");
    let TermRef::NamedNode(hdab) = hdab else { panic!() };
    // Release 8: agents carry their contact point as cv:contactPoint, a cv:ContactPoint with a channel
    let contact = g.object_for_subject_predicate(hdab, cv::CONTACT_POINT).expect("the HDAB's contact point");
    let contact: NamedOrBlankNodeRef = match contact {
        TermRef::NamedNode(c) => c.into(),
        TermRef::BlankNode(c) => c.into(),
        other => panic!("{other}"),
    };
    assert!(g.contains(TripleRef::new(contact, rdf::TYPE, cv::CONTACT_POINT_CLASS)));
    assert!(g.object_for_subject_predicate(hdab, dcat::CONTACT_POINT).is_none(), "no vCard contact on agents in Release 8");
    for dist in g.objects_for_subject_predicate(&ds, dcat::DISTRIBUTION_PROP) {
        let TermRef::NamedNode(d) = dist else { panic!() };
        assert!(g.contains(TripleRef::new(d, dcatap::APPLICABLE_LEGISLATION, n(eu::EHDS_ELI).as_ref())));
    }
    // numbers keep their datatype (the store keeps values only: output comes from the model)
    let lisa = n(&format!("{BASE}dataset/lisa"));
    assert_eq!(objects(&g, &lisa, healthdcatap::MIN_TYPICAL_AGE), vec![format!("\"16\"^^<{}>", xsd::NON_NEGATIVE_INTEGER.as_str())]);
    assert!(!objects(&g, &lisa, healthdcatap::POPULATION_COVERAGE).is_empty());
    assert!(!objects(&g, &ds, healthdcatap::HAS_CODING_SYSTEM).is_empty());
    // variables: hasVariables → TableGroup → Table → columns
    assert_eq!(objects(&g, &ds, healthdcatap::HAS_STRUCTURED_DATA), vec![format!("\"true\"^^<{}>", xsd::BOOLEAN.as_str())]);
    let group = g.object_for_subject_predicate(&ds, healthdcatap::HAS_VARIABLES).expect("hasVariables");
    let TermRef::NamedNode(group) = group else { panic!() };
    assert!(g.contains(TripleRef::new(group, rdf::TYPE, csvw::TABLE_GROUP)));
    let TermRef::NamedNode(table) = g.object_for_subject_predicate(group, csvw::TABLE_PROP).unwrap() else { panic!() };
    assert!(g.contains(TripleRef::new(table, rdf::TYPE, csvw::TABLE)));
    assert!(g.object_for_subject_predicate(table, dct::TITLE).is_some());
    let variables = s.catalogue.variables_of_dataset(&ds).unwrap();
    let columns: Vec<_> = g.objects_for_subject_predicate(table, csvw::COLUMN_PROP).collect();
    assert_eq!(columns.len(), variables.len(), "one column per variable");
    let hdia = columns
        .iter()
        .find_map(|c| match c {
            TermRef::NamedNode(c)
                if g.contains(TripleRef::new(*c, csvw::PROPERTY_URL, n(&format!("{BASE}variable/par-hdia")).as_ref())) =>
            {
                Some(*c)
            }
            _ => None,
        })
        .expect("a column for HDIA");
    assert_eq!(objects(&g, &hdia.into_owned(), csvw::NAME), vec!["\"HDIA\"".to_owned()]);
    let hdia = hdia.into_owned();
    assert!(
        objects(&g, &hdia, csvw::TITLES).is_empty(),
        "Release 8 names a column with csvw:title (csvw:titles only in the older projections)"
    );
    assert!(objects(&g, &hdia, csvw::TITLE).contains(&"\"Huvuddiagnos\"@sv".to_owned()));
    assert_eq!(objects(&g, &hdia, csvw::DATATYPE), vec!["\"string\"".to_owned()]);
    assert!(!objects(&g, &hdia, dct::DESCRIPTION).is_empty());
    let indatum = n(&format!("{BASE}dataset/patientregistret-sluten-vard#csvw-column-par-indatum"));
    assert_eq!(objects(&g, &indatum, csvw::DATATYPE), vec!["\"date\"".to_owned()]);
}

/// The Patient Register holds no variables of its own: its parts (`dct:isPartOf`) do, so its
/// description says it has structured data, in the HealthDCAT-AP and the default profile alike.
#[test]
fn a_register_is_described_with_the_variables_of_its_parts() {
    let s = shared_server();
    let parent = n(&format!("{BASE}dataset/patientregistret"));
    let yes = vec![format!("\"true\"^^<{}>", xsd::BOOLEAN.as_str())];
    for path in ["/catalog.ttl?profile=healthdcat-ap", "/catalog.ttl"] {
        let (_, g) = get_rdf(&s.url(path), "text/turtle");
        assert!(g.triples_for_subject(&parent).next().is_some(), "{path}: the register is described");
        assert_eq!(objects(&g, &parent, healthdcatap::HAS_STRUCTURED_DATA), yes, "{path}");
    }
}

#[test]
fn dcat_ap_and_default_profiles() {
    let s = shared_server();
    let (_, ap) = get_rdf(&s.url("/catalog.nt?profile=dcat-ap"), "*/*");
    assert!(ap.iter().all(|t| !t.predicate.as_str().starts_with(healthdcatap::NS)));
    let (_, default) = get_rdf(&s.url("/catalog.nt"), "*/*");
    assert!(untagged_free_text(&default).is_empty());
    assert!(default.triples_for_predicate(healthdcatap::HAS_VARIABLES).next().is_some(), "the default adds the health properties");
    assert_eq!(datasets(&ap), datasets(&default));
}

#[test]
fn the_published_vocabulary_base_is_a_setting() {
    // the setting applies to the older projection (Release 8 has fixed list addresses)
    let s = start_server_with(|c| c.vocabularies.health_category_base = "https://hdeu.example/authority/healthcategories/".into());
    let (_, g) = get_rdf(&s.url("/catalog.ttl?profile=healthdcat-ap-r5"), "*/*");
    let cats: Vec<String> = g.triples_for_predicate(healthdcatap::HEALTH_CATEGORY).map(|t| t.object.to_string()).collect();
    assert!(!cats.is_empty());
    assert!(cats.iter().all(|c| c.starts_with("<https://hdeu.example/authority/healthcategories/")), "{cats:?}");
    let (_, se) = get_rdf(&s.url("/catalog.ttl?profile=dcat-ap-se"), "*/*");
    assert!(se.triples_for_predicate(healthdcatap::HEALTH_CATEGORY).next().is_none());
}

#[test]
fn record_iris_dereference_to_rdf_or_the_page() {
    let s = shared_server();
    let http = client();
    let ds = n(&format!("{BASE}dataset/patientregistret"));
    let res = http.get(s.url("/dataset/patientregistret")).header("accept", "text/turtle").send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/turtle; charset=utf-8");
    assert_eq!(res.headers()["vary"], "Accept");
    assert_eq!(res.headers()["content-location"], "/dataset/patientregistret.ttl");
    let g = parse_rdf(&res.bytes().unwrap(), "text/turtle");
    assert!(g.contains(TripleRef::new(&ds, rdf::TYPE, dcat::DATASET)));
    // distributions, publisher and contact point are in the same document
    for d in g.objects_for_subject_predicate(&ds, dcat::DISTRIBUTION_PROP) {
        let TermRef::NamedNode(d) = d else { panic!() };
        assert!(g.object_for_subject_predicate(d, dcat::ACCESS_URL).is_some());
    }
    let socialstyrelsen = n(&format!("{BASE}agent/socialstyrelsen"));
    assert!(g.object_for_subject_predicate(&socialstyrelsen, foaf::NAME).is_some());
    let contact = n(&format!("{BASE}agent/socialstyrelsen#kontakt"));
    assert!(g.object_for_subject_predicate(&contact, vcard::HAS_URL).is_some());

    let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let res = http.get(s.url("/dataset/patientregistret")).header("accept", firefox).send().unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let res = http.get(s.url("/dataset/patientregistret")).send().unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "*/* gets the page");

    for (path, media) in [
        ("/dataset/patientregistret.rdf", "application/rdf+xml"),
        ("/variable/par-hdia.jsonld", "application/ld+json"),
        ("/agent/scb.nt", "application/n-triples"),
        ("/codelist/lan/01.ttl", "text/turtle"),
        ("/distribution/patientregistret-bestallning.ttl", "text/turtle"),
        ("/dataservice/scb-pxweb.ttl", "text/turtle"),
    ] {
        let (headers, g) = get_rdf(&s.url(path), "image/png");
        assert!(headers["content-type"].to_str().unwrap().starts_with(media), "{path}");
        assert!(!g.is_empty(), "{path}");
    }
    let (_, g) = get_rdf(&s.url("/codelist/lan/01"), "application/n-triples");
    let concept = n(&format!("{BASE}codelist/lan/01"));
    assert!(g.contains(TripleRef::new(&concept, rdf::TYPE, vardkatalog::model::vocab::skos::CONCEPT)));
    let (_, g) =
        get_rdf(&s.url(&format!("/resurs?iri={}", vardkatalog::model::ids::encode_query(&format!("{BASE}agent/scb")))), "text/turtle");
    assert!(g.object_for_subject_predicate(&n(&format!("{BASE}agent/scb")), foaf::NAME).is_some());

    let res = http.get(s.url("/dataset/finns-inte.ttl")).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = http.get(s.url("/dataset/finns-inte")).header("accept", "text/turtle").send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // HEAD on a record IRI
    let res = http.head(s.url("/dataset/patientregistret")).header("accept", "text/turtle").send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/turtle; charset=utf-8");
    let res = http.head(s.url("/dataset/patientregistret")).header("accept", "text/html").send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = http.head(s.url("/dataset/finns-inte")).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // validators on records
    let res = http.get(s.url("/agent/scb.ttl")).send().unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let res = http.get(s.url("/agent/scb.ttl")).header("if-none-match", etag).send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
}
