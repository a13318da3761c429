//! Every record type maps to RDF and back without loss.

use oxigraph::model::{Graph, Literal, NamedNode, Triple};
use vardkatalog::model::record::{self, RecordKind, Resource};
use vardkatalog::model::vocab::{eu, xsd};
use vardkatalog::model::*;

use crate::support::seeded_catalogue;

fn n(s: &str) -> NamedNode {
    NamedNode::new(format!("https://katalog.example.se/{s}")).unwrap()
}

fn t(lang_sv: &str, en: &str) -> LangText {
    LangText::sv(lang_sv).with("en", en)
}

fn year(y: &str) -> Temporal {
    Temporal::parse(y).unwrap()
}

fn owner(agent: &str) -> Attribution {
    Attribution { agent: n(agent), role: NamedNode::new(eu::ROLE_OWNER).unwrap() }
}

fn extra() -> Vec<Triple> {
    vec![Triple::new(n("x"), NamedNode::new("http://example.org/unknown").unwrap(), Literal::new_simple_literal("kept"))]
}

/// Asserts struct → RDF → struct is the identity and RDF → struct → RDF gives the same graph.
fn assert_round_trip(r: Resource) {
    let graph = r.to_graph();
    let back = Resource::from_graph(r.kind(), r.iri(), &graph).expect("reads back");
    assert_eq!(back, r, "struct → RDF → struct changed the {:?}", r.kind());
    let again = back.to_graph();
    assert!(isomorphic(&graph, &again), "RDF → struct → RDF changed the graph of {}", r.iri());
}

fn isomorphic(a: &Graph, b: &Graph) -> bool {
    record::content_hash(a) == record::content_hash(b)
}

#[test]
fn dataset_with_every_field() {
    let mut d = Dataset::new(n("dataset/par"), t("Patientregistret", "National Patient Register"));
    d.identifier = Some("par".into());
    d.description = t("Beskrivning", "Description");
    d.publisher = Some(n("agent/sos"));
    d.contact_points = vec![n("agent/sos#kontakt")];
    d.keywords = vec![LangString::new("en", "diagnoses"), LangString::new("sv", "diagnoser")];
    d.themes = vec![NamedNode::new(format!("{}HEAL", eu::DATA_THEME)).unwrap()];
    d.issued = Some(year("2001-05-01"));
    d.modified = Some(Temporal::parse("2026-01-02T10:00:00Z").unwrap());
    d.spatial = vec![NamedNode::new(format!("{}SWE", eu::COUNTRY)).unwrap()];
    d.temporal = vec![Period { start: Some(year("1964")), end: None }, Period { start: Some(year("1997")), end: Some(year("2008-12")) }];
    d.access_rights = Some(NamedNode::new(format!("{}NON_PUBLIC", eu::ACCESS_RIGHT)).unwrap());
    d.accrual_periodicity = Some(NamedNode::new(format!("{}ANNUAL", eu::FREQUENCY)).unwrap());
    d.languages = vec![NamedNode::new(format!("{}SWE", eu::LANGUAGE)).unwrap()];
    d.dataset_type = Some(NamedNode::new(format!("{}PERSONAL_DATA", eu::DATASET_TYPE)).unwrap());
    d.landing_pages = vec![NamedNode::new("https://www.socialstyrelsen.se/par").unwrap()];
    d.pages = vec![NamedNode::new("https://www.socialstyrelsen.se/doc").unwrap()];
    d.conforms_to = vec![n("standard/x")];
    d.provenance = vec![LangText::sv("Rapporteras av regionerna")];
    d.distributions = vec![n("distribution/par")];
    d.applicable_legislation = vec![NamedNode::new(eu::EHDS_ELI).unwrap()];
    d.is_part_of = vec![n("dataset/parent")];
    d.in_series = vec![n("dataset/series")];
    d.version = Some("2026:1".into());
    d.version_notes = LangText::sv("Ny version");
    d.attributions = vec![owner("agent/sos")];
    d.health_categories = vec![NamedNode::new("https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/MRMR").unwrap()];
    d.health_themes =
        vec![NamedNode::new("https://hdeu-dcat.data.health.europa.eu/resource/authority/health-theme/HEALTH_SYSTEMS").unwrap()];
    d.hdab = Some(n("agent/hdab"));
    d.coding_systems = vec![n("standard/icd-10-se"), n("standard/kva")];
    d.custodian = Some(n("agent/sos"));
    d.code_values = vec!["S72.0".into(), "S72.1".into()];
    d.has_structured_data = Some(true);
    d.generated_by =
        vec![NamedNode::new("https://hdeu-dcat.data.health.europa.eu/resource/authority/health-activity/HEALTH_REGISTRIES").unwrap()];
    d.number_of_records = Some(1_000_000);
    d.number_of_unique_individuals = Some(500_000);
    d.min_typical_age = Some(0);
    d.max_typical_age = Some(110);
    d.population_coverage = LangText::sv("Alla");
    d.personal_data = vec![NamedNode::new("https://w3id.org/dpv/dpv-pd#HealthRecord").unwrap()];
    d.purposes = vec![NamedNode::new("https://w3id.org/dpv#AcademicResearch").unwrap()];
    d.legal_bases = vec![NamedNode::new("https://w3id.org/dpv#Consent").unwrap()];
    d.needs_input = true;
    d.editorial_note = LangText::sv("Antal poster saknas");
    d.extra = extra();
    assert_round_trip(Resource::Dataset(d.clone()));
    d.kind = DatasetKind::Series;
    assert_round_trip(Resource::Dataset(d));
}

#[test]
fn distribution_and_data_service() {
    let mut d = Distribution::new(n("distribution/par"));
    d.title = t("Beställning", "Order");
    d.description = LangText::sv("Via beställningsformulär");
    d.access_urls = vec![NamedNode::new("https://bestalladata.socialstyrelsen.se/").unwrap()];
    d.download_urls = vec![NamedNode::new("https://example.se/file.csv").unwrap()];
    d.format = Some(NamedNode::new(format!("{}CSV", eu::FILE_TYPE)).unwrap());
    d.media_type = Some(NamedNode::new(format!("{}text/csv", eu::IANA_MEDIA_TYPES)).unwrap());
    d.license = Some(NamedNode::new(eu::CC0).unwrap());
    d.rights = vec![LangText::sv("Sekretess")];
    d.availability = Some(NamedNode::new(format!("{}STABLE", eu::PLANNED_AVAILABILITY)).unwrap());
    d.applicable_legislation = vec![NamedNode::new(eu::EHDS_ELI).unwrap()];
    d.byte_size = Some(1234);
    d.access_services = vec![n("dataservice/api")];
    d.languages = vec![NamedNode::new(format!("{}SWE", eu::LANGUAGE)).unwrap()];
    d.conforms_to = vec![n("standard/x")];
    d.pages = vec![NamedNode::new("https://example.se/doc").unwrap()];
    d.issued = Some(year("2020"));
    d.modified = Some(year("2021-02-03"));
    d.status = Some(NamedNode::new("http://publications.europa.eu/resource/authority/distribution-status/COMPLETED").unwrap());
    d.extra = extra();
    assert_round_trip(Resource::Distribution(d));

    let mut s = DataService::new(n("dataservice/api"), t("API", "API"));
    s.description = LangText::sv("PxWeb");
    s.endpoint_urls = vec![NamedNode::new("https://api.scb.se/OV0104/v1/doris/sv/ssd/").unwrap()];
    s.endpoint_descriptions = vec![NamedNode::new("https://example.se/openapi.json").unwrap()];
    s.formats = vec![NamedNode::new(format!("{}JSON", eu::FILE_TYPE)).unwrap()];
    s.publisher = Some(n("agent/scb"));
    s.contact_points = vec![n("agent/scb#kontakt")];
    s.keywords = vec![LangString::new("sv", "statistik")];
    s.themes = vec![NamedNode::new(format!("{}SOCI", eu::DATA_THEME)).unwrap()];
    s.serves_datasets = vec![n("dataset/lisa")];
    s.access_rights = Some(NamedNode::new(format!("{}PUBLIC", eu::ACCESS_RIGHT)).unwrap());
    s.license = Some(NamedNode::new(eu::CC0).unwrap());
    s.conforms_to = vec![n("standard/pxweb")];
    s.landing_pages = vec![NamedNode::new("https://www.scb.se/").unwrap()];
    s.service_type = Some(NamedNode::new("http://www.wikidata.org/entity/Q749568").unwrap());
    s.applicable_legislation = vec![NamedNode::new(eu::EHDS_ELI).unwrap()];
    s.extra = extra();
    assert_round_trip(Resource::DataService(s));
}

#[test]
fn agent_with_contact_point() {
    let mut a = Agent::new(n("agent/region-skane"), LangText::sv("Region Skåne"));
    a.description = LangText::sv("Region");
    a.publisher_type = Some(NamedNode::new(format!("{}RegionalAuthority", eu::ADMS_PUBLISHER_TYPE)).unwrap());
    a.health_publisher_type =
        Some(NamedNode::new("https://hdeu-dcat.data.health.europa.eu/resource/authority/publisher-type/regional-authority").unwrap());
    a.identifier = Some("2321000255".into());
    a.homepage = Some(NamedNode::new("https://www.skane.se/").unwrap());
    a.mbox = Some(NamedNode::new("mailto:info@example.se").unwrap());
    a.spatial = vec![n("codelist/lan/12")];
    a.same_as = vec![NamedNode::new("http://dataportal.se/organisation/SE2321000255").unwrap()];
    a.contact_point = Some(n("agent/region-skane#kontakt"));
    a.contact = Some(ContactPoint {
        iri: Some(n("agent/region-skane#kontakt")),
        organization: true,
        name: LangText::sv("Region Skåne"),
        emails: vec![NamedNode::new("mailto:registrator@example.se").unwrap()],
        telephones: vec![NamedNode::new("tel:+46441000000").unwrap()],
        urls: vec![NamedNode::new("https://www.skane.se/kontakt").unwrap()],
    });
    a.needs_input = true;
    a.editorial_note = LangText::sv("E-post saknas");
    a.extra = extra();
    assert_round_trip(Resource::Agent(a));
}

#[test]
fn variable_with_code_list_requirements_and_coverage() {
    let mut v = Variable::new(n("variable/rh-fraktursida"), t("Fraktursida", "Fracture side"));
    v.identifier = Some("rh-fraktursida".into());
    v.notation = Some("Fraktursida".into());
    v.definition = LangText::sv("Sida");
    v.representation = Some(Representation::CodeList { scheme: n("codelist/fraktursida"), datatype: xsd::INTEGER.into_owned() });
    v.coding_systems = vec![n("standard/x")];
    v.unit = Some("d".into());
    v.minimum = Some(Literal::new_typed_literal("1", xsd::INTEGER));
    v.maximum = Some(Literal::new_typed_literal("2", xsd::INTEGER));
    v.missing_values = vec!["9".into(), "X".into()];
    v.temporal = vec![Period { start: Some(year("1988")), end: None }];
    v.datasets = vec![n("dataset/a"), n("dataset/rikshoft")];
    v.attributions = vec![owner("agent/region-skane")];
    v.reference_group = LangText::sv("Ortopeder");
    v.priority = Some(1);
    v.requirements = vec![
        Requirement { collection: n("dataset/rikshoft"), level: RequirementLevel::Required, condition: LangText::new() },
        Requirement { collection: n("dataset/vardplatser"), level: RequirementLevel::Conditional, condition: LangText::sv("Om opererad") },
    ];
    v.input_output_note = LangText::sv("Registreras som text, levereras som kod");
    v.concepts = vec![n("concept/sida")];
    v.exact_matches = vec![n("variable/other")];
    v.scope_notes = vec![LangString::new("sv", "Anmärkning 1"), LangString::new("sv", "Anmärkning 2")];
    v.sources = vec![NamedNode::new("https://variabellista.example.se/").unwrap()];
    v.see_also = vec![NamedNode::new("https://www.socialstyrelsen.se/variabler.xlsx").unwrap()];
    v.version_notes = LangText::sv("Förtydligad");
    v.needs_input = true;
    v.editorial_note = LangText::sv("Definition saknas");
    v.extra = extra();
    assert_round_trip(Resource::Variable(v.clone()));
    v.representation = Some(Representation::Datatype(xsd::DATE.into_owned()));
    assert_round_trip(Resource::Variable(v.clone()));
    v.representation = Some(Representation::CodeList { scheme: n("codelist/kon"), datatype: xsd::STRING.into_owned() });
    assert_round_trip(Resource::Variable(v));
}

#[test]
fn code_list_concept_catalog_use_case_standard() {
    let mut c = CodeList::new(n("codelist/lan"), t("Länskod", "County code"));
    c.identifier = Some("lan".into());
    c.description = LangText::sv("Län");
    c.conforms_to = vec![n("standard/lanskod")];
    c.publisher = Some(n("agent/scb"));
    c.sources = vec![NamedNode::new("https://www.scb.se/").unwrap()];
    c.version = Some("2026".into());
    c.extra = extra();
    assert_round_trip(Resource::CodeList(c));

    let mut k = Concept::new(n("codelist/lan/01"), "01", LangText::sv("Stockholms län"));
    k.definition = LangText::sv("Län");
    k.in_scheme = vec![n("codelist/lan")];
    k.top_concept_of = vec![n("codelist/lan")];
    k.broader = vec![n("codelist/lan/00")];
    k.order = Some(2);
    k.valid_from = Some(year("1968-01-01"));
    k.valid_through = Some(year("2030-12-31"));
    k.exact_matches = vec![NamedNode::new("urn:oid:1.2.752.129.2.2.1.18").unwrap()];
    k.scope_note = LangText::sv("Anmärkning");
    k.alt_labels =
        vec![LangString::new("en", "Stockholm County"), LangString::new("sv", "Stockholm"), LangString::new("sv", "Storstockholm")];
    k.hidden_labels = vec![LangString::new("sv", "Sthlm")];
    k.extra = extra();
    let graph = Resource::Concept(k.clone()).to_graph();
    let alt = graph.iter().filter(|t| t.predicate.as_str() == "http://www.w3.org/2004/02/skos/core#altLabel").count();
    let hidden = graph.iter().filter(|t| t.predicate.as_str() == "http://www.w3.org/2004/02/skos/core#hiddenLabel").count();
    assert_eq!((alt, hidden), (3, 1), "synonyms as skos:altLabel, search words as skos:hiddenLabel");
    assert_round_trip(Resource::Concept(k));

    let mut cat = Catalog::new(n("catalog"), t("Vårdkatalogen", "Vårdkatalogen"));
    cat.description = LangText::sv("Katalog");
    cat.publisher = Some(n("agent/skr"));
    cat.license = Some(NamedNode::new(eu::CC0).unwrap());
    cat.languages = vec![NamedNode::new(format!("{}SWE", eu::LANGUAGE)).unwrap()];
    cat.theme_taxonomies = vec![NamedNode::new(vocab::eu::DATA_THEME_SCHEME).unwrap()];
    cat.spatial = vec![NamedNode::new(format!("{}SWE", eu::COUNTRY)).unwrap()];
    cat.homepage = Some(NamedNode::new("https://katalog.example.se/").unwrap());
    cat.issued = Some(year("2026-11-22"));
    cat.modified = Some(year("2026-11-22"));
    cat.extra = extra();
    assert_round_trip(Resource::Catalog(cat));

    let mut u = UseCase::new(n("usecase/a"), t("Vårdplatser", "Hospital beds"));
    u.identifier = Some("A".into());
    u.description = LangText::sv("Överblick");
    u.variables = vec![n("variable/vp-a"), n("variable/vp-b")];
    u.datasets = vec![n("dataset/vardplatser")];
    u.scope_note = LangText::sv("Urval");
    u.needs_input = true;
    u.editorial_note = LangText::sv("Personidentitet saknas");
    u.extra = extra();
    assert_round_trip(Resource::UseCase(u));

    let mut s = Standard::new(n("standard/icd-10-se"), t("ICD-10-SE", "ICD-10-SE"));
    s.description = LangText::sv("Klassifikation");
    s.identifiers = vec!["1.2.752.116.1.1.1.1.3".into(), "1.2.752.116.1.1.1.1.4".into()];
    s.see_also = vec![NamedNode::new("http://hl7.org/fhir/sid/icd-10-se").unwrap()];
    s.scope_note = LangText::sv("Anmärkning");
    s.same_as = vec![NamedNode::new("urn:oid:1.2.752.116.1.1.1.1.3").unwrap()];
    s.publisher = Some(n("agent/socialstyrelsen"));
    s.pages = vec![NamedNode::new("https://www.socialstyrelsen.se/icd").unwrap()];
    s.needs_input = true;
    s.editorial_note = LangText::sv("x");
    s.code_pattern = Some("[A-Z][0-9]{2}([.]?[0-9][0-9A-Z]?)?".into());
    s.version_of = vec![n("standard/icd-10")];
    s.extra = extra();
    assert_round_trip(Resource::Standard(s));
}

#[test]
fn unknown_properties_and_partly_understood_blank_nodes_survive() {
    let ttl = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://katalog.example.se/dataset/x> a dcat:Dataset ; dct:title "X"@sv , "X2"@sv ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2001"^^<http://www.w3.org/2001/XMLSchema#gYear> ; <http://example.org/odd> "kept" ] ;
            <http://example.org/unknown> [ <http://example.org/deep> "kept too" ] .
    "#;
    let graph =
        vardkatalog::catalog::parse_document(ttl.as_bytes(), oxigraph::io::RdfFormat::Turtle, "https://katalog.example.se/").unwrap();
    let iri = n("dataset/x");
    let r = Resource::from_graph(RecordKind::Dataset, &iri, &graph).unwrap();
    let Resource::Dataset(d) = &r else { panic!() };
    assert!(d.temporal.is_empty(), "a period with an unknown property is kept whole, not half-read");
    assert!(!d.extra.is_empty());
    assert!(isomorphic(&graph, &r.to_graph()), "nothing is lost");
}

#[test]
fn a_bad_date_is_refused_with_the_property_named() {
    let ttl = r#"<https://katalog.example.se/dataset/x> a <http://www.w3.org/ns/dcat#Dataset> ;
        <http://purl.org/dc/terms/issued> "i fjol"^^<http://www.w3.org/2001/XMLSchema#date> ."#;
    let graph =
        vardkatalog::catalog::parse_document(ttl.as_bytes(), oxigraph::io::RdfFormat::Turtle, "https://katalog.example.se/").unwrap();
    let err = Resource::from_graph(RecordKind::Dataset, &n("dataset/x"), &graph).unwrap_err();
    assert!(err.to_string().contains("http://purl.org/dc/terms/issued"), "{err}");
    assert!(err.to_string().contains("i fjol"), "{err}");
}

#[test]
fn split_assigns_fragments_memberships_and_blank_nodes_to_their_records() {
    let ttl = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
        @prefix disco: <http://rdf-vocabulary.ddialliance.org/discovery#> .
        <agent/a> a foaf:Agent ; foaf:name "A"@sv ; dcat:contactPoint <agent/a#kontakt> .
        <agent/a#kontakt> a vcard:Organization ; vcard:fn "A"@sv .
        <dataset/d> a dcat:Dataset ; dct:title "D"@sv ; dct:publisher <agent/a> ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2001"^^<http://www.w3.org/2001/XMLSchema#gYear> ] ;
            disco:variable <variable/v> ; dcat:contactPoint <https://elsewhere.se/contact> .
        <https://elsewhere.se/contact> a vcard:Kind ; vcard:fn "C"@sv .
        <variable/v> a disco:Variable .
        <catalog> a dcat:Catalog ; dcat:dataset <dataset/d> .
        <https://nobody.se/x> <http://example.org/p> "orphan" .
    "#;
    let graph =
        vardkatalog::catalog::parse_document(ttl.as_bytes(), oxigraph::io::RdfFormat::Turtle, "https://katalog.example.se/").unwrap();
    let split = record::split(&graph, Some(&n("catalog")));
    let by_iri = |s: &str| split.records.iter().find(|r| r.iri == n(s)).unwrap();
    assert_eq!(split.records.len(), 4);
    assert_eq!(by_iri("agent/a").graph.len(), 5, "the agent holds its #kontakt");
    assert_eq!(by_iri("variable/v").graph.len(), 2, "the variable holds its dataset membership");
    let d = &by_iri("dataset/d").graph;
    assert_eq!(d.len(), 9, "dataset: 5 own triples, its period (2) and the foreign contact (2): {d}");
    assert_eq!(by_iri("catalog").graph.len(), 1, "the catalogue's dataset list is derived, not stored");
    assert_eq!(split.derived, 1);
    assert_eq!(split.orphans.len(), 1);
}

#[test]
fn a_document_split_as_statements_gives_the_records_of_its_graph() {
    // the import cuts the parsed statements into records without building the document's
    // graph; a statement the document repeats counts once, as in a graph
    let ttl = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix disco: <http://rdf-vocabulary.ddialliance.org/discovery#> .
        <dataset/d> a dcat:Dataset ; dct:title "D"@sv ; disco:variable <variable/v> ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2001"^^<http://www.w3.org/2001/XMLSchema#gYear> ] .
        <dataset/d> dct:title "D"@sv ; disco:variable <variable/v> .
        <variable/v> a disco:Variable . <variable/v> a disco:Variable .
        <catalog> a dcat:Catalog ; dcat:dataset <dataset/d> . <catalog> dcat:dataset <dataset/d> .
        <https://nobody.se/x> <http://example.org/p> "orphan" . <https://nobody.se/x> <http://example.org/p> "orphan" .
    "#;
    let base = "https://katalog.example.se/";
    let graph = vardkatalog::catalog::parse_document(ttl.as_bytes(), oxigraph::io::RdfFormat::Turtle, base).unwrap();
    let statements = vardkatalog::catalog::parse_statements(ttl.as_bytes(), oxigraph::io::RdfFormat::Turtle, base).unwrap();
    assert!(statements.len() > graph.len(), "the document repeats statements");
    let from_graph = record::split(&graph, Some(&n("catalog")));
    let from_statements = record::split_triples(statements, Some(&n("catalog")));
    let hashes = |s: &record::Split| s.records.iter().map(|r| (r.iri.clone(), r.kind, record::content_hash(&r.graph))).collect::<Vec<_>>();
    assert_eq!(hashes(&from_statements), hashes(&from_graph));
    assert_eq!(from_statements.orphans.len(), 1);
    assert_eq!(from_statements.derived, 1);
}

#[test]
fn every_seed_record_survives_a_round_trip() {
    // from the source: RDF → struct → RDF gives the same graph, triple for triple
    let graph = vardkatalog::catalog::seed_graph(crate::support::BASE).unwrap();
    let split = record::split(&graph, Some(&n("catalog")));
    assert!(split.orphans.is_empty(), "seed triples outside any record: {:?}", split.orphans);
    let lines = |g: &Graph| g.iter().map(|t| t.to_string()).filter(|l| !l.contains("_:")).collect::<std::collections::BTreeSet<_>>();
    let mut untyped = Vec::new();
    let mut from_source = std::collections::HashMap::new();
    for rg in &split.records {
        let r = Resource::from_graph(rg.kind, &rg.iri, &rg.graph).unwrap();
        let written = r.to_graph();
        if !isomorphic(&rg.graph, &written) {
            let (a, b) = (lines(&rg.graph), lines(&written));
            panic!(
                "{} changed in a round trip:\nonly in the seed: {:?}\nonly written: {:?}",
                rg.iri,
                a.difference(&b).collect::<Vec<_>>(),
                b.difference(&a).collect::<Vec<_>>()
            );
        }
        untyped.extend(r.extra().iter().map(|t| t.to_string()));
        from_source.insert(rg.iri.clone(), r);
    }
    assert!(from_source.len() > 100, "only {} records", from_source.len());
    // the seed uses only properties the typed model knows, so pages show all of it
    assert!(untyped.is_empty(), "seed triples outside the typed model:\n{}", untyped.join("\n"));

    // through the store: the same typed values come back (oxigraph keeps values, not lexical
    // forms: "16"^^xsd:nonNegativeInteger is stored as xsd:integer, so output is written from
    // the typed model)
    let cat = seeded_catalogue();
    for (iri, expected) in &from_source {
        let (_, stored) = cat.public_resource(iri.as_ref()).unwrap().unwrap();
        assert_eq!(&stored, expected, "{iri} reads back differently from the store");
    }
}

/// A variable's documentation (issue 18 item 5): missing values with their meaning in two
/// languages, its temporality and unit type; a term this version does not know stays as it was.
#[test]
fn variable_documentation_round_trips_through_rdf() {
    use vardkatalog::model::vocab::{disco, vk};
    let mut v = Variable::new(n("variable/par-sida"), t("Sida", "Side"));
    v.missing_values = vec!["9".into(), "99".into(), "X".into()];
    v.missing_meanings = vec![
        MissingValue { code: "9".into(), meaning: t("Uppgift saknas", "Not stated") },
        MissingValue { code: "99".into(), meaning: LangText::sv("Okänd") },
    ];
    for temporality in [Temporality::Event, Temporality::Status, Temporality::Accumulated] {
        for unit in [UnitType::Person, UnitType::Event, UnitType::Stay, UnitType::Prescription] {
            v.temporality = Some(temporality);
            v.unit_type = Some(unit);
            assert_round_trip(Resource::Variable(v.clone()));
        }
    }
    let graph = Resource::Variable(v.clone()).to_graph();
    let has = |p: oxigraph::model::NamedNodeRef<'_>| graph.iter().any(|t| t.predicate == p);
    assert!(has(vk::MISSING_VALUE) && has(disco::IS_VALID) && has(vk::TEMPORALITY) && has(disco::ANALYSIS_UNIT));
    // an analysis unit from elsewhere is kept, not lost
    v.temporality = None;
    v.unit_type = None;
    v.extra = vec![Triple::new(v.iri.clone(), disco::ANALYSIS_UNIT.into_owned(), n("unit/household"))];
    assert_round_trip(Resource::Variable(v));
}
