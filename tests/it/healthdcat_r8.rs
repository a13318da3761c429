//! HealthDCAT-AP Release 8 (issue 14): `profile=healthdcat-ap` against the Release 8 validator's
//! shapes per access level, read at run time from ../shared/standards (never copied), in the
//! order the official validator loads them (SOURCES.md, the validator's `config.properties`):
//! the graph guard, the ranges, the level's shapes, the controlled vocabularies, over the
//! DCAT-AP 3.0.x shapes and ranges the Release 8 files import, with the vocabulary members as
//! background data. The recommended shapes (the level's and DCAT-AP's, which they import) are a
//! separate run whose warnings are counted and printed.
//!
//! Two things the engine is told, both said where they happen:
//! - Every level's `Dataset_Shape` holds a property shape without `sh:path` (the rule
//!   "hasStructuredData true ⇒ hasVariables", an `sh:or`). SHACL has no meaning for it; the
//!   official validator's engine treats it as a node shape with the targets of `Dataset_Shape`,
//!   and so do these tests (`Shapes::with_pathless_property_shapes_as_node_shapes`).
//! - The graph guard is a SPARQL-based constraint (`sh:sparql`: "the graph holds at least one
//!   dcat:Dataset"). The in-process engine evaluates core SHACL only, so the guard's condition is
//!   checked here directly on every document.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use oxigraph::model::{Graph, NamedNode};
use vardkatalog::catalog::ImportOptions;
use vardkatalog::model::vocab::{dcat, rdf};
use vardkatalog::publish::Profile;
use vardkatalog::synthetic::{self, Spec};
use vardkatalog::validate::background::eu_vocabularies;
use vardkatalog::validate::shacl::{Report, Severity, Shapes};

use crate::shapes::{by_access_level, document, publisher_of, standards};
use crate::support::{BASE, seeded_catalogue};

const R8: &str = "healthdcat-ap/release-8-third-party-copy/validator";

/// The level's file stem in the Release 8 validator (`non-public-shapes.ttl` …).
fn stem(level: &str) -> &'static str {
    match level {
        "PUBLIC" => "public",
        "RESTRICTED" => "restricted",
        _ => "non-public",
    }
}

/// The Release 8 shapes of one access level, in the official order: ranges (Release 8, then
/// the DCAT-AP range it imports), the level's shapes (then the DCAT-AP shapes they import), the
/// controlled vocabularies. The graph guard is checked separately (see the module comment).
pub(crate) fn r8_shapes(level: &str) -> Shapes {
    let dir = standards();
    let files: Vec<PathBuf> = vec![
        dir.join(format!("{R8}/ranges/range.ttl")),
        dir.join("dcat-ap-3.0.1/range.ttl"),
        dir.join(format!("{R8}/shapes/{}-shapes.ttl", stem(level))),
        dir.join("dcat-ap-3.0.1/shapes.ttl"),
        dir.join(format!("{R8}/controlled-vocabularies/mdr-vocabularies.shape.ttl")),
    ];
    let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    let shapes = Shapes::from_files(&refs).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        shapes.pathless_property_shapes(),
        1,
        "{level}: Release 8 ships exactly one property shape without sh:path (hasStructuredData ⇒ hasVariables)"
    );
    shapes.with_sh_shape_as_node().with_pathless_property_shapes_as_node_shapes()
}

/// The recommended shapes of a level (and DCAT-AP's, which they import): warnings only.
pub(crate) fn r8_recommended(level: &str) -> Shapes {
    let dir = standards();
    let files =
        [dir.join(format!("{R8}/recommended/{}-shapes_recommended.ttl", stem(level))), dir.join("dcat-ap-3.0.1/shapes_recommended.ttl")];
    let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    Shapes::from_files(&refs).unwrap_or_else(|e| panic!("{e}"))
}

/// The graph guard's condition: the document holds at least one `dcat:Dataset`.
pub(crate) fn guard_holds(g: &Graph) -> bool {
    g.subjects_for_predicate_object(rdf::TYPE, dcat::DATASET).next().is_some()
}

pub(crate) fn validate_r8(level: &str, g: &Graph) -> Report {
    r8_shapes(level).validate(g, Some(&eu_vocabularies())).unwrap_or_else(|e| panic!("{e}"))
}

/// Violations as (component, path) → count.
pub(crate) fn summary(report: &Report, severity: Severity) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.severity == severity) {
        *out.entry(format!("{} {}", f.component_name(), f.path.as_deref().unwrap_or("-"))).or_insert(0) += 1;
    }
    out
}

/// Validates every access level's datasets against the level's shapes; returns the violation
/// count per level and prints the summary and the recommended-shape warnings.
fn measure(what: &str, cat: vardkatalog::catalog::Catalogue) -> BTreeMap<String, usize> {
    let (cat, publisher) = publisher_of(cat);
    let levels = by_access_level(&cat);
    let mut counts = BTreeMap::new();
    for (level, datasets) in &levels {
        let g = document(&publisher, Profile::HealthDcatAp, datasets);
        assert!(guard_holds(&g), "{level}: the graph guard (at least one dcat:Dataset)");
        let report = validate_r8(level, &g);
        let violations: Vec<String> = report.violations().map(ToString::to_string).collect();
        let warnings = r8_recommended(level).validate(&g, Some(&eu_vocabularies())).unwrap();
        println!(
            "{what} {level}: {} datasets, {} violations {:?}\n  recommended (warnings): {} {:?}",
            datasets.len(),
            violations.len(),
            summary(&report, Severity::Violation),
            warnings.warnings().count(),
            summary(&warnings, Severity::Warning)
        );
        for v in violations.iter().take(40) {
            println!("    {v}");
        }
        counts.insert(level.clone(), violations.len());
    }
    counts
}

#[test]
fn the_seeded_catalogue_passes_release_8_at_every_access_level() {
    let counts = measure("seed", seeded_catalogue());
    assert_eq!(counts.keys().cloned().collect::<BTreeSet<_>>(), ["NON_PUBLIC", "PUBLIC"].map(String::from).into());
    assert!(counts.values().all(|n| *n == 0), "{counts:?}");
}

#[test]
fn a_generated_large_catalogue_passes_release_8_at_every_access_level() {
    let cat = seeded_catalogue();
    let spec = Spec { prefix: "r8", datasets: 300, variables_per_dataset: 4 };
    for start in (0..spec.datasets).step_by(100) {
        cat.import_graph(&synthetic::chunk(BASE, &spec, start..start + 100), &ImportOptions::published_import()).unwrap();
    }
    let counts = measure("generated", cat);
    assert_eq!(counts.keys().cloned().collect::<BTreeSet<_>>(), ["NON_PUBLIC", "PUBLIC", "RESTRICTED"].map(String::from).into());
    assert!(counts.values().all(|n| *n == 0), "{counts:?}");
}

#[allow(dead_code)]
fn n(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

// ---- the project's validator (schemas/healthdcat-ap.ttl): Release 8 and the EHDS elements ----

use vardkatalog::validate::rules::{self, Profile as Rules};

fn errors(report: &rules::Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == rules::Severity::Error)
        .map(|f| format!("{} {} {}", f.rule.clone().unwrap_or_default(), f.record, f.expected.en))
        .collect()
}

#[test]
fn the_validator_passes_the_published_release_8_catalogue_and_names_element_value_and_rule() {
    let (cat, publisher) = publisher_of(seeded_catalogue());
    let all: Vec<NamedNode> = publisher.index().unwrap().datasets.iter().map(|d| d.iri.clone()).collect();
    let g = document(&publisher, Profile::HealthDcatAp, &all);
    let report = rules::validate(&g, Rules::HealthDcatAp).unwrap();
    assert!(report.passes(), "{}", errors(&report).join("\n"));
    println!("seed, own validator (HealthDCAT-AP Release 8): {} warnings", report.count(rules::Severity::Warning));

    // a Release 5 document fails where Release 8 changed: old vocabulary bases, vCard-only agents
    let r5 = document(&publisher, Profile::HealthDcatApR5, &by_access_level(&cat)["NON_PUBLIC"]);
    let old = rules::validate(&r5, Rules::HealthDcatAp).unwrap();
    let found: BTreeSet<String> =
        old.findings.iter().filter(|f| f.severity == rules::Severity::Error).filter_map(|f| f.rule.clone()).collect();
    for rule in ["health-category-vocabulary", "health-hdab-contact", "health-publisher-type"] {
        assert!(found.contains(rule), "{rule} in {found:?}");
    }
    let f = old.findings.iter().find(|f| f.rule.as_deref() == Some("health-category-vocabulary")).unwrap();
    assert_eq!(f.field, "healthdcatap:healthCategory");
    assert_eq!(f.field_name.sv, "Hälsodatakategori", "the element");
    assert!(f.found.as_deref().unwrap().contains("healthdataportal.eu"), "the value found: {:?}", f.found);
    assert!(f.expected.en.contains("https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/"), "the value expected");
    assert!(f.expected.sv.contains("(EU) 2026/2098") && f.expected.sv.contains("art. 51"), "the legal reference: {}", f.expected.sv);
}

#[test]
fn structured_data_without_variables_is_caught_by_both_validators() {
    let (_, publisher) = publisher_of(seeded_catalogue());
    let mfr = n(&format!("{BASE}dataset/medicinska-fodelseregistret"));
    let mut g = document(&publisher, Profile::HealthDcatAp, std::slice::from_ref(&mfr));
    let hsd = vardkatalog::model::vocab::healthdcatap::HAS_STRUCTURED_DATA;
    assert_eq!(
        g.object_for_subject_predicate(&mfr, hsd).map(|o| o.to_string()).as_deref(),
        Some("\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>"),
        "no variables catalogued: not claimed structured"
    );
    let old = oxigraph::model::Triple::new(mfr.clone(), hsd, oxigraph::model::Literal::from(false));
    g.remove(&old);
    g.insert(&oxigraph::model::Triple::new(mfr.clone(), hsd, oxigraph::model::Literal::from(true)));
    // the official shapes: the path-less property shape, read as a node shape
    let report = validate_r8("NON_PUBLIC", &g);
    assert!(
        report.violations().any(|f| f.focus.contains("medicinska-fodelseregistret") && f.component_name() == "OrConstraintComponent"),
        "{:?}",
        summary(&report, Severity::Violation)
    );
    let ours = rules::validate(&g, Rules::HealthDcatAp).unwrap();
    assert!(ours.findings.iter().any(|f| f.rule.as_deref() == Some("health-structured-variables")), "{}", ours.to_text(false));
}

// ---- DCAT-AP-SE: DIGG's draft SHACL (processor-shacl-draft-2026-08) -------------------------

const DIGG_DRAFT: &str = "dcat-ap-se/processor-shacl-draft-2026-08";

/// DIGG's draft processor: the unmodified DCAT-AP 3.0 shapes and ranges plus the three Swedish
/// additions (publisher on every dataset, licence on the catalogue, type on every agent); the
/// (path, constraint) pairs of its overrides file are left out of the report, as the draft's
/// validator does.
fn digg_draft(g: &Graph) -> Vec<String> {
    let dir = standards();
    let files = [
        dir.join("dcat-ap-3.0.1/shapes.ttl"),
        dir.join("dcat-ap-3.0.1/range.ttl"),
        dir.join("dcat-ap-3.0.1/mdr-vocabularies.shape.ttl"),
        dir.join(format!("{DIGG_DRAFT}/dcat-ap-se-additions.ttl")),
    ];
    let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    let shapes = Shapes::from_files(&refs).unwrap_or_else(|e| panic!("{e}")).with_sh_shape_as_node();
    let overrides: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{DIGG_DRAFT}/dcat-ap-se-overrides.json"))).unwrap()).unwrap();
    let ignored: BTreeSet<(String, String)> = overrides["overrides"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| {
            let path = o["path"].as_str().unwrap().to_owned();
            o["ignoreConstraints"].as_array().unwrap().iter().map(move |c| (path.clone(), c.as_str().unwrap().to_owned()))
        })
        .collect();
    let report = shapes.validate(g, Some(&eu_vocabularies())).unwrap_or_else(|e| panic!("{e}"));
    report
        .violations()
        .filter(|f| {
            let path = f.path.as_deref().unwrap_or("").trim_matches(['<', '>']).to_owned();
            !ignored.contains(&(path, f.component_name().to_owned()))
        })
        .map(ToString::to_string)
        .collect()
}

/// The whole catalogue (catalogue node, datasets, agents) as one profile serves it.
fn whole_catalogue(publisher: &vardkatalog::publish::Publisher, profile: Profile) -> Graph {
    let request = vardkatalog::publish::CatalogRequest {
        profile,
        format: vardkatalog::publish::Format::NTriples,
        page: None,
        modified_since: None,
        links: vardkatalog::publish::PageLinks { document: format!("{BASE}catalog"), params: vec![] },
    };
    let prepared = publisher.prepare(request).unwrap();
    let mut out = Vec::new();
    publisher.write_catalog(&prepared, &mut out).unwrap();
    vardkatalog::catalog::parse_document(&out[..], oxigraph::io::RdfFormat::NTriples, BASE).unwrap()
}

#[test]
fn the_default_and_dcat_ap_se_outputs_pass_diggs_draft_additions() {
    let (_, publisher) = publisher_of(seeded_catalogue());
    for profile in [Profile::Default, Profile::DcatApSe] {
        let g = whole_catalogue(&publisher, profile);
        assert!(g.subjects_for_predicate_object(rdf::TYPE, dcat::CATALOG).next().is_some(), "the catalogue node is checked too");
        let violations = digg_draft(&g);
        println!("{}: {} violations of DIGG's draft (DCAT-AP 3.0 + DCAT-AP-SE additions)", profile.as_str(), violations.len());
        assert!(violations.is_empty(), "{}: {violations:#?}", profile.as_str());
    }
    // the draft's three rules bite: an agent without type, a dataset without publisher and a
    // catalogue without licence are each one violation
    let mut g = whole_catalogue(&publisher, Profile::DcatApSe);
    let remove: Vec<oxigraph::model::Triple> = g
        .iter()
        .filter(|t| {
            (t.predicate == vardkatalog::model::vocab::dct::TYPE && t.subject.to_string() == format!("<{BASE}agent/socialstyrelsen>"))
                || (t.predicate == vardkatalog::model::vocab::dct::PUBLISHER && t.subject.to_string() == format!("<{BASE}dataset/lisa>"))
                || (t.predicate == vardkatalog::model::vocab::dct::LICENSE && t.subject.to_string() == format!("<{BASE}catalog>"))
        })
        .map(|t| t.into_owned())
        .collect();
    assert_eq!(remove.len(), 3, "{remove:?}");
    for t in &remove {
        g.remove(t);
    }
    let violations = digg_draft(&g);
    assert_eq!(violations.len(), 3, "{violations:#?}");
}

// ---- migration: stored records and harvested Release 5 input -----------------------------------

/// `graph` with every IRI starting with `from` rewritten to start with `to`.
fn rebase(graph: &Graph, pairs: &[(&str, &str)]) -> Graph {
    use oxigraph::model::{Term, Triple};
    let map = |t: Term| -> Term {
        match &t {
            Term::NamedNode(n) => match pairs.iter().find(|(from, _)| n.as_str().starts_with(from)) {
                Some((from, to)) => NamedNode::new_unchecked(format!("{to}{}", &n.as_str()[from.len()..])).into(),
                None => t,
            },
            _ => t,
        }
    };
    graph
        .iter()
        .map(|t| {
            let t = t.into_owned();
            Triple::new(t.subject, t.predicate, map(t.object))
        })
        .collect()
}

#[test]
fn records_stored_before_release_8_are_read_as_release_8_and_nothing_is_lost() {
    use vardkatalog::model::record::Resource;
    use vardkatalog::model::vocab::{health, healthdcatap};
    use vardkatalog::store::{Batch, Expect, Record};
    let cat = seeded_catalogue();
    let old = [
        (health::CATEGORY_BASE, health::R5_CATEGORY_BASE),
        (health::THEME_BASE, health::R5_THEME_BASE),
        (health::PUBLISHER_TYPE_BASE, "http://healthdataportal.eu/resource/authority/publisher-type/"),
    ];
    // the register and its holder as the store held them before: Release 5 list addresses and the
    // draft's publisher-type code (`govHealth`, now `national-authority`)
    let ds = n(&format!("{BASE}dataset/cancerregistret"));
    let holder = n(&format!("{BASE}agent/socialstyrelsen"));
    let now_ds = cat.store().get(ds.as_ref()).unwrap().unwrap();
    let now_agent = cat.store().get(holder.as_ref()).unwrap().unwrap();
    let (_, Resource::Dataset(expected)) = cat.public_resource(ds.as_ref()).unwrap().unwrap() else { panic!() };
    let (_, Resource::Agent(expected_agent)) = cat.public_resource(holder.as_ref()).unwrap().unwrap() else { panic!() };
    let old_ds = rebase(&now_ds.graph, &old);
    let mut old_agent = rebase(&now_agent.graph, &old);
    let r8_type = oxigraph::model::Triple::new(
        holder.clone(),
        healthdcatap::PUBLISHER_TYPE,
        n(&format!("{}national-authority", health::PUBLISHER_TYPE_BASE)),
    );
    old_agent.remove(&rebase(&std::iter::once(r8_type).collect(), &old).iter().next().unwrap().into_owned());
    old_agent.insert(&oxigraph::model::Triple::new(
        holder.clone(),
        healthdcatap::PUBLISHER_TYPE,
        n("http://healthdataportal.eu/resource/authority/publisher-type/govHealth"),
    ));
    assert!(old_ds.iter().any(|t| t.object.to_string().contains("healthdataportal.eu/resource/authority/healthcategories/")));
    let mut batch = Batch::new();
    batch.put(Record { meta: now_ds.meta.clone(), graph: old_ds.clone() }, Expect::Any);
    batch.put(Record { meta: now_agent.meta.clone(), graph: old_agent }, Expect::Any);
    cat.store().commit(&batch).unwrap();
    assert!(
        cat.store().graph(ds.as_ref()).unwrap().iter().any(|t| t.object.to_string().contains("healthdataportal.eu")),
        "stored in the old form"
    );

    // read: the Release 8 addresses, every other field as it was (nothing a curator wrote is lost)
    let (_, Resource::Dataset(read)) = cat.public_resource(ds.as_ref()).unwrap().unwrap() else { panic!() };
    assert_eq!(read, expected, "upgraded on read to exactly the Release 8 record");
    let (_, Resource::Agent(agent)) = cat.public_resource(holder.as_ref()).unwrap().unwrap() else { panic!() };
    assert_eq!(agent, expected_agent, "govHealth is read as national-authority");
    // a graph the model does not know is kept beside the upgraded fields
    assert_eq!(Resource::Dataset(read.clone()).to_graph().len(), now_ds.graph.len(), "no triple lost or added");

    // published: Release 8 passes as before
    let (cat, publisher) = publisher_of(cat);
    let g = document(&publisher, Profile::HealthDcatAp, std::slice::from_ref(&ds));
    let report = validate_r8("NON_PUBLIC", &g);
    assert!(report.conforms(), "{:?}", report.violations().map(ToString::to_string).collect::<Vec<_>>());
    assert!(!g.iter().any(|t| t.object.to_string().contains("healthdataportal.eu")), "no old address is published");
    // the older projection still writes the Release 5 addresses
    let r5 = document(&publisher, Profile::HealthDcatApR5, std::slice::from_ref(&ds));
    assert!(r5.iter().any(|t| t.object.to_string().starts_with(&format!("<{}", health::R5_CATEGORY_BASE))));
    drop(cat);
}

#[test]
fn harvested_release_5_and_release_8_input_is_read_and_mapped() {
    use crate::fixture_server::{Reply, serve};
    use vardkatalog::harvest::{HarvestSettings, Harvester, SourceConfig, SourceKind};
    use vardkatalog::model::record::Resource;
    use vardkatalog::state::State;
    use vardkatalog::state::harvest::RunStatus;
    // Release 5: old list addresses, the draft publisher-type code, the HDAB's vCard contact
    const R5: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix healthdcatap: <http://healthdataportal.eu/ns/health#> .
<https://data.example.se/ds/r5> a dcat:Dataset ; dct:title "Registret (R5)"@sv ; dct:identifier "r5" ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
  healthdcatap:healthCategory <http://healthdataportal.eu/resource/authority/healthcategories/PHDR> ;
  healthdcatap:healthTheme <http://healthdataportal.eu/resource/authority/health-theme/CANCER_DISEASE> ;
  dct:publisher <https://data.example.se/agent/region> ;
  healthdcatap:hdab <https://data.example.se/agent/hdab> .
<https://data.example.se/agent/region> a foaf:Agent ; foaf:name "Regionen"@sv ;
  dct:type <http://purl.org/adms/publishertype/RegionalAuthority> ;
  healthdcatap:publisherType <http://healthdataportal.eu/resource/authority/publisher-type/healthcareSystem> .
<https://data.example.se/agent/hdab> a foaf:Agent ; foaf:name "Tillståndsmyndigheten"@sv ;
  dcat:contactPoint <https://data.example.se/agent/hdab#kontakt> .
<https://data.example.se/agent/hdab#kontakt> a vcard:Kind ; vcard:fn "Tillståndsmyndigheten"@sv ;
  vcard:hasEmail <mailto:hdab@example.se> .
"#;
    // Release 8: the health type in dct:type, a blank cv:contactPoint
    const R8_INPUT: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix cv: <http://data.europa.eu/m8g/> .
@prefix healthdcatap: <http://healthdataportal.eu/ns/health#> .
<https://data.example.se/ds/r8> a dcat:Dataset ; dct:title "Registret (R8)"@sv ; dct:identifier "r8" ;
  healthdcatap:healthCategory <https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/MRMR> ;
  dct:publisher <https://data.example.se/agent/kommunen> .
<https://data.example.se/agent/kommunen> a foaf:Agent ; foaf:name "Kommunen"@sv ;
  dct:type <https://hdeu-dcat.data.health.europa.eu/resource/authority/publisher-type/municipality-or-other-area> ;
  cv:contactPoint [ a cv:ContactPoint ; cv:email "kommun@example.se" ; cv:contactPage <https://kommunen.example.se/kontakt> ] .
"#;
    let server = serve(|t| match t {
        "/r5" => Reply::ok("text/turtle", R5),
        "/r8" => Reply::ok("text/turtle", R8_INPUT),
        _ => Reply::not_found(),
    });
    let src = |id: &str| SourceConfig {
        id: id.into(),
        kind: SourceKind::Dcat,
        url: server.url(&format!("/{id}")),
        schedule: None,
        only: Vec::new(),
        columns: Default::default(),
    };
    let settings = HarvestSettings {
        timeout_s: 5,
        retries: 1,
        backoff_ms: 10,
        sources: vec![src("r5"), src("r8")],
        allow_private: vec!["127.0.0.1".into()],
        ..HarvestSettings::default()
    };
    let cat = std::sync::Arc::new(crate::support::empty_catalogue());
    let h = Harvester::new(cat.clone(), State::temporary().unwrap(), settings);
    for id in ["r5", "r8"] {
        let r = h.run(id, false, &|_| {}).unwrap();
        assert_eq!(r.status, RunStatus::Succeeded, "{r:?}");
    }
    let r8 = "https://hdeu-dcat.data.health.europa.eu/resource/authority/";
    let (_, Resource::Dataset(d)) = cat.public_resource(n("https://data.example.se/ds/r5").as_ref()).unwrap().unwrap() else { panic!() };
    assert_eq!(d.health_categories, vec![n(&format!("{r8}healthcategories/PHDR"))]);
    assert_eq!(d.health_themes, vec![n(&format!("{r8}health-theme/CANCER_DISEASE"))]);
    let agent = |iri: &str| match cat.public_resource(n(iri).as_ref()).unwrap() {
        Some((_, Resource::Agent(a))) => a,
        other => panic!("{iri}: {other:?}"),
    };
    let region = agent("https://data.example.se/agent/region");
    assert_eq!(region.health_publisher_type.as_ref().map(NamedNode::as_str), Some(&*format!("{r8}publisher-type/regional-authority")));
    let hdab = agent("https://data.example.se/agent/hdab");
    assert_eq!(hdab.contact.as_ref().and_then(|c| c.emails.first()).map(NamedNode::as_str), Some("mailto:hdab@example.se"));
    let kommunen = agent("https://data.example.se/agent/kommunen");
    assert_eq!(
        kommunen.health_publisher_type.as_ref().map(NamedNode::as_str),
        Some(&*format!("{r8}publisher-type/municipality-or-other-area"))
    );
    let contact = kommunen.contact.as_ref().expect("the cv:contactPoint is read");
    assert_eq!(contact.emails.first().map(NamedNode::as_str), Some("mailto:kommun@example.se"));
    assert_eq!(contact.urls.first().map(NamedNode::as_str), Some("https://kommunen.example.se/kontakt"));

    // published as Release 8: the HDAB's vCard contact becomes a cv:contactPoint with cv:email
    let publisher = vardkatalog::publish::Publisher::new(cat.clone(), Default::default());
    let g = document(&publisher, Profile::HealthDcatAp, &[n("https://data.example.se/ds/r5")]);
    let text = g.to_string();
    assert!(text.contains("<http://data.europa.eu/m8g/email> \"hdab@example.se\""), "{text}");
    assert!(text.contains(&format!("<http://purl.org/dc/terms/type> <{r8}publisher-type/regional-authority>")), "{text}");
    assert!(!text.contains("healthdataportal.eu/resource/authority"), "{text}");
}

#[test]
fn the_health_profile_carries_the_quality_label_as_dqv_and_stays_valid() {
    use oxigraph::model::{Term, TermRef, Triple};
    use vardkatalog::model::vocab::{dqv, oa, xsd};
    let (cat, publisher) = publisher_of(seeded_catalogue());
    let levels = by_access_level(&cat);
    for (level, datasets) in &levels {
        let g = document(&publisher, Profile::HealthDcatAp, datasets);
        for d in datasets {
            // the label: one certificate per dataset, targeting it, with its body
            let certs: Vec<Term> = g.objects_for_subject_predicate(d, dqv::HAS_QUALITY_ANNOTATION).map(TermRef::into_owned).collect();
            assert_eq!(certs.len(), 1, "{d}");
            let Term::NamedNode(cert) = &certs[0] else { panic!("the certificate is named") };
            assert!(cert.as_str().ends_with("/kvalitetsmarkning"), "{cert}");
            assert!(g.contains(&Triple::new(cert.clone(), rdf::TYPE, dqv::QUALITY_CERTIFICATE)));
            assert!(g.contains(&Triple::new(cert.clone(), oa::HAS_TARGET, d.clone())));
            assert!(g.object_for_subject_predicate(cert, oa::HAS_BODY).is_some());
            // computed metrics as measurements of metrics in dimensions
            let measurements: Vec<Term> =
                g.objects_for_subject_predicate(d, dqv::HAS_QUALITY_MEASUREMENT).map(TermRef::into_owned).collect();
            assert!(measurements.len() >= 8, "{d}: {}", measurements.len());
            for m in &measurements {
                let Term::NamedNode(m) = m else { panic!("named measurements") };
                assert!(g.contains(&Triple::new(m.clone(), rdf::TYPE, dqv::QUALITY_MEASUREMENT)));
                let Some(TermRef::NamedNode(metric)) = g.object_for_subject_predicate(m, dqv::IS_MEASUREMENT_OF) else { panic!("{m}") };
                assert!(g.contains(&Triple::new(metric.into_owned(), rdf::TYPE, dqv::METRIC)), "{metric} is defined");
                let Some(TermRef::NamedNode(dim)) = g.object_for_subject_predicate(metric, dqv::IN_DIMENSION) else { panic!("{metric}") };
                assert!(g.contains(&Triple::new(dim.into_owned(), rdf::TYPE, dqv::DIMENSION)));
                let Some(TermRef::Literal(value)) = g.object_for_subject_predicate(m, dqv::VALUE) else { panic!("{m} has a value") };
                assert_eq!(value.datatype(), xsd::INTEGER);
            }
        }
        let report = validate_r8(level, &g);
        assert!(report.conforms(), "{level}: {:?}", report.violations().map(ToString::to_string).collect::<Vec<_>>());
        // the Release 8 range shape checks the certificate: without its class it fails
        let cert = g.object_for_subject_predicate(&datasets[0], dqv::HAS_QUALITY_ANNOTATION).unwrap().into_owned();
        let Term::NamedNode(cert) = cert else { unreachable!() };
        let mut broken = g.clone();
        broken.remove(&Triple::new(cert, rdf::TYPE, dqv::QUALITY_CERTIFICATE));
        let report = validate_r8(level, &broken);
        assert!(
            report.violations().any(|f| f.path.as_deref().unwrap_or("").contains("hasQualityAnnotation")),
            "{level}: the shapes see the certificate"
        );
        // the metric definitions are written once per document
        let metric = n(&format!("{BASE}kvalitetsmarkning#metric-access-policy"));
        assert_eq!(g.triples_for_subject(&metric).filter(|t| t.predicate == rdf::TYPE).count(), 1);
    }
    // the other profiles carry no DQV
    let all: Vec<NamedNode> = levels.values().flatten().cloned().collect();
    for profile in [Profile::DcatApSe, Profile::Default, Profile::DcatAp] {
        let g = document(&publisher, profile, &all);
        assert!(g.triples_for_predicate(dqv::HAS_QUALITY_ANNOTATION).next().is_none(), "{profile:?}");
    }
}
