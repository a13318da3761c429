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
use crate::support::{seeded_catalogue, BASE};

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
    let files = [dir.join(format!("{R8}/recommended/{}-shapes_recommended.ttl", stem(level))), dir.join("dcat-ap-3.0.1/shapes_recommended.ttl")];
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
    report.findings.iter().filter(|f| f.severity == rules::Severity::Error).map(|f| format!("{} {} {}", f.rule.clone().unwrap_or_default(), f.record, f.expected.en)).collect()
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
    let found: BTreeSet<String> = old.findings.iter().filter(|f| f.severity == rules::Severity::Error).filter_map(|f| f.rule.clone()).collect();
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
    assert!(report.violations().any(|f| f.focus.contains("medicinska-fodelseregistret") && f.component_name() == "OrConstraintComponent"), "{:?}", summary(&report, Severity::Violation));
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
