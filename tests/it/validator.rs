//! The regions' validator (issue 7): the project's shapes in schemas/ against DIGG's official
//! examples, mutations of seeded records, agreement with the official shapes, and the three ways
//! in (`vardkatalog validate`, `/kontroll`, `/api/v1/validate`).

use std::collections::BTreeSet;
use std::process::Command;

use oxigraph::model::{Graph, Literal, NamedNode, Term, Triple, TripleRef};
use vardkatalog::model::record::{RecordKind, Resource};
use vardkatalog::model::vocab::{dcat, dct, disco, healthdcatap, skos};
use vardkatalog::publish::Profile as PublishProfile;
use vardkatalog::validate::input;
use vardkatalog::validate::rules::{self, Profile, Report, Severity};

use crate::shapes::{DCAT_AP, by_access_level, document, publisher_of, shapes, standards, validate as official};
use crate::support::{BASE, Browser, seeded_catalogue, shared_server};

fn read(path: &str) -> Graph {
    let p = standards().join(path);
    let bytes = std::fs::read(&p).unwrap();
    input::read(&bytes, None, None, Some(path), BASE).unwrap_or_else(|e| panic!("{path}: {e}")).0
}

/// (severity, rule, record) of every finding.
fn keys(report: &Report) -> BTreeSet<(Severity, String, String)> {
    report.findings.iter().map(|f| (f.severity, f.rule.clone().unwrap_or_else(|| f.field.clone()), f.record.clone())).collect()
}

fn of(report: &Report, severity: Severity) -> BTreeSet<(String, String)> {
    keys(report).into_iter().filter(|k| k.0 == severity).map(|(_, r, rec)| (r, rec)).collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

// ---- DIGG's examples ---------------------------------------------------------------------

#[test]
fn diggs_mandatory_example_lacks_what_dcat_ap_se_3_0_1_made_mandatory() {
    // The examples date from DCAT-AP-SE 2.x (SOURCES.md); 3.0.1 made the distribution's and the
    // data service's format and the publisher's type mandatory, which they do not carry.
    let expected_errors = set(&[
        ("agent-type", "https://example.com/publisher1"),
        ("distribution-format", "https://example.com/distribution1"),
        ("service-format", "https://example.com/dataservice1"),
    ]);
    let turtle = rules::validate(&read("dcat-ap-se/obligatoriskt.ttl"), Profile::DcatApSe).unwrap();
    assert_eq!(of(&turtle, Severity::Error), expected_errors);
    // everything recommended that a mandatory-only example leaves out is a warning
    let warnings = of(&turtle, Severity::Warning);
    for w in [
        ("dataset-keyword", "https://example.com/dataset1"),
        ("dataset-theme", "https://example.com/dataset1"),
        ("dataset-access-rights", "https://example.com/dataset1"),
        ("catalog-language", "https://example.com/catalog1"),
        ("distribution-license", "https://example.com/distribution1"),
    ] {
        assert!(warnings.contains(&(w.0.to_owned(), w.1.to_owned())), "{w:?} in {warnings:?}");
    }
    assert!(!turtle.passes());
    // the same document in RDF/XML gives the same findings
    let xml = rules::validate(&read("dcat-ap-se/obligatoriskt.rdf"), Profile::DcatApSe).unwrap();
    assert_eq!(keys(&xml), keys(&turtle));
}

#[test]
fn diggs_recommended_example_lacks_only_the_services_format_and_a_standard() {
    let report = rules::validate(&read("dcat-ap-se/rekommenderat.ttl"), Profile::DcatApSe).unwrap();
    assert_eq!(of(&report, Severity::Error), set(&[("service-format", "https://example.com/dataservice1")]));
    assert_eq!(of(&report, Severity::Warning), set(&[("dataset-conforms-to", "https://example.com/dataset1")]));
    let xml = rules::validate(&read("dcat-ap-se/rekommenderat.rdf"), Profile::DcatApSe).unwrap();
    assert_eq!(keys(&xml), keys(&report));
    // with the format the 3.0.1 profile asks for, it passes
    let mut g = read("dcat-ap-se/rekommenderat.ttl");
    g.insert(&Triple::new(
        NamedNode::new_unchecked("https://example.com/dataservice1"),
        dct::FORMAT,
        Literal::new_simple_literal("application/json"),
    ));
    let fixed = rules::validate(&g, Profile::DcatApSe).unwrap();
    assert!(fixed.passes(), "{}", fixed.to_text(false));
    assert_eq!(fixed.count(Severity::Error), 0);
}

// ---- mutations of a seeded record ------------------------------------------------------------

/// The NON_PUBLIC register the mutations start from, as the HealthDCAT-AP profile publishes it.
fn patientregistret() -> (Graph, NamedNode) {
    let (cat, publisher) = publisher_of(seeded_catalogue());
    let iri = NamedNode::new_unchecked(format!("{BASE}dataset/patientregistret"));
    assert!(by_access_level(&cat)["NON_PUBLIC"].contains(&iri));
    (document(&publisher, PublishProfile::HealthDcatAp, std::slice::from_ref(&iri)), iri)
}

fn without(g: &Graph, s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>) -> Graph {
    let mut out = g.clone();
    let gone: Vec<Triple> = g.triples_for_subject(s).filter(|t| t.predicate == p).map(TripleRef::into_owned).collect();
    assert!(!gone.is_empty(), "the seeded record has {p}");
    for t in &gone {
        out.remove(t);
    }
    out
}

/// The findings a mutation adds and removes, as (severity, rule, record).
type Keys = Vec<(Severity, String, String)>;

fn change(before: &Report, after: &Report) -> (Keys, Keys) {
    let (b, a) = (keys(before), keys(after));
    (a.difference(&b).cloned().collect(), b.difference(&a).cloned().collect())
}

#[test]
fn each_mutation_of_a_seeded_dataset_gives_exactly_its_finding() {
    let (g, ds) = patientregistret();
    let baseline = rules::validate(&g, Profile::HealthDcatAp).unwrap();
    let record = ds.as_str().to_owned();
    let title_sv = g.triples_for_subject(&ds).find(|t| t.predicate == dct::TITLE).map(|t| t.object.into_owned()).unwrap();

    let mut untagged = without(&g, &ds, dct::TITLE);
    let Term::Literal(l) = &title_sv else { panic!() };
    untagged.insert(&Triple::new(ds.clone(), dct::TITLE, Literal::new_simple_literal(l.value())));

    let mut wrong_type = g.clone();
    if let Some(t) = g.triples_for_subject(&ds).find(|t| t.predicate == healthdcatap::NUMBER_OF_RECORDS).map(TripleRef::into_owned) {
        wrong_type.remove(&t);
    }
    wrong_type.insert(&Triple::new(ds.clone(), healthdcatap::NUMBER_OF_RECORDS, Literal::new_simple_literal("många")));

    let mut wrong_date = g.clone();
    wrong_date.insert(&Triple::new(ds.clone(), dct::MODIFIED, Literal::new_simple_literal("i fjol")));

    // Release 8 (the healthdcat-ap profile) checks the Release 8 rules and the DCAT-AP 3.0 base
    // ranges; a title without language tag is a DCAT-AP-SE finding (DCAT-AP-SE asks for tags on
    // every free text), so that case runs under dcat-ap-se.
    let cases: Vec<(&str, Graph, Profile, (Severity, &str))> = vec![
        ("no title", without(&g, &ds, dct::TITLE), Profile::HealthDcatAp, (Severity::Error, "health-title")),
        ("a title without language tag", untagged, Profile::DcatApSe, (Severity::Error, "dataset-title-lang")),
        ("number of records as text", wrong_type, Profile::HealthDcatAp, (Severity::Error, "health-number-of-records")),
        ("modified as text", wrong_date, Profile::HealthDcatAp, (Severity::Error, "health-modified-type")),
        ("no HDAB", without(&g, &ds, healthdcatap::HDAB), Profile::HealthDcatAp, (Severity::Error, "health-hdab")),
        (
            "no health category",
            without(&g, &ds, healthdcatap::HEALTH_CATEGORY),
            Profile::HealthDcatAp,
            (Severity::Error, "health-category"),
        ),
        (
            "no keyword (NON_PUBLIC requires one)",
            without(&g, &ds, dcat::KEYWORD),
            Profile::HealthDcatAp,
            (Severity::Error, "nonpublic-keyword"),
        ),
    ];
    for (what, mutated, profile, (severity, rule)) in cases {
        let before = if profile == Profile::HealthDcatAp { baseline.clone() } else { rules::validate(&g, profile).unwrap() };
        let after = rules::validate(&mutated, profile).unwrap();
        let (added, removed) = change(&before, &after);
        assert_eq!(added, vec![(severity, rule.to_owned(), record.clone())], "{what}: added {added:?}");
        assert!(removed.is_empty(), "{what}: removed {removed:?}");
        assert!(!after.passes(), "{what}");
    }
}

#[test]
fn the_access_level_chooses_the_health_rules() {
    let (g, ds) = patientregistret();
    let level_rules = |g: &Graph| -> BTreeSet<String> {
        rules::validate(g, Profile::HealthDcatAp)
            .unwrap()
            .findings
            .iter()
            .filter_map(|f| f.rule.clone())
            .filter(|r| ["nonpublic-", "restricted-", "public-"].iter().any(|p| r.starts_with(p)))
            .collect()
    };
    let no_keyword = without(&g, &ds, dcat::KEYWORD);
    assert!(level_rules(&no_keyword).contains("nonpublic-keyword"));
    for (level, prefix) in [("PUBLIC", "public-"), ("RESTRICTED", "restricted-")] {
        let mut g = without(&no_keyword, &ds, dct::ACCESS_RIGHTS);
        g.insert(&Triple::new(
            ds.clone(),
            dct::ACCESS_RIGHTS,
            NamedNode::new_unchecked(format!("http://publications.europa.eu/resource/authority/access-right/{level}")),
        ));
        let found = level_rules(&g);
        assert!(found.iter().all(|r| r.starts_with(prefix)), "{level}: only its own level's rules apply: {found:?}");
    }
}

#[test]
fn a_variable_spec_lacking_its_register_or_owner_cannot_be_published() {
    let cat = seeded_catalogue();
    let (_, Resource::Variable(v)) = cat.public_by_id(RecordKind::Variable, "par-hdia").unwrap().unwrap() else { panic!() };
    let iri = v.iri.clone();
    let g = Resource::Variable(v).to_graph();
    let baseline = rules::validate(&g, Profile::Variable).unwrap();
    assert_eq!(of(&baseline, Severity::Error), BTreeSet::new(), "{}", baseline.to_text(false));

    let mut orphan = g.clone();
    let links: Vec<Triple> = g.triples_for_predicate(disco::VARIABLE_PROP).map(TripleRef::into_owned).collect();
    for t in &links {
        orphan.remove(t);
    }
    let after = rules::validate(&orphan, Profile::Variable).unwrap();
    assert_eq!(of(&after, Severity::Error), set(&[("variable-dataset", iri.as_str())]));

    let undefined = rules::validate(&without(&g, &iri, skos::DEFINITION), Profile::Variable).unwrap();
    assert_eq!(of(&undefined, Severity::Error), set(&[("variable-definition-sv", iri.as_str())]));

    let mut two_swedish_labels = g.clone();
    two_swedish_labels.insert(&Triple::new(iri.clone(), skos::PREF_LABEL, Literal::new_language_tagged_literal_unchecked("Diagnos", "sv")));
    let after = rules::validate(&two_swedish_labels, Profile::Variable).unwrap();
    assert_eq!(of(&after, Severity::Error), set(&[("variable-label-lang", iri.as_str())]));
}

// ---- agreement with the official shapes -----------------------------------------------------

/// Property paths (full IRIs) of the official violations.
fn official_paths(shapes: &vardkatalog::validate::shacl::Shapes, g: &Graph) -> BTreeSet<String> {
    official(shapes, g).violations().map(|f| f.path.clone().unwrap_or_default().trim_matches(['<', '>']).to_owned()).collect()
}

/// Fields (compacted paths) of the errors under the project's shapes.
fn our_fields(g: &Graph) -> BTreeSet<String> {
    rules::validate(g, Profile::HealthDcatAp)
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.field.clone())
        .collect()
}

#[test]
fn the_projects_shapes_agree_with_the_official_shapes() {
    let (g, ds) = patientregistret();
    let dcat_ap = shapes(DCAT_AP);
    // the official Release 8 shapes of the register's level (NON_PUBLIC), in the official order
    let r8 = crate::healthdcat_r8::r8_shapes("NON_PUBLIC");
    let dist = g.objects_for_subject_predicate(&ds, dcat::DISTRIBUTION_PROP).next().map(|t| match t {
        oxigraph::model::TermRef::NamedNode(n) => n.into_owned(),
        other => panic!("a distribution by IRI, not {other}"),
    });
    let dist = dist.expect("the register has a distribution");

    let mut english_title = g.clone();
    english_title.insert(&Triple::new(
        ds.clone(),
        dct::TITLE,
        Literal::new_language_tagged_literal_unchecked("Patient Register (test)", "en"),
    ));
    let mut bad_date = g.clone();
    bad_date.insert(&Triple::new(ds.clone(), dct::ISSUED, Literal::new_simple_literal("i fjol")));

    // (mutation, which official set, the path both must flag — or none for a valid change)
    type Case<'a> = (&'a str, Graph, &'a vardkatalog::validate::shacl::Shapes, Option<(oxigraph::model::NamedNodeRef<'a>, &'a str)>);
    let cases: Vec<Case> = vec![
        ("an English title added", english_title.clone(), &dcat_ap, None),
        ("an English title added (Release 8)", english_title, &r8, None),
        ("no title", without(&g, &ds, dct::TITLE), &dcat_ap, Some((dct::TITLE, "dct:title"))),
        ("no description", without(&g, &ds, dct::DESCRIPTION), &dcat_ap, Some((dct::DESCRIPTION, "dct:description"))),
        ("no access URL", without(&g, &dist, dcat::ACCESS_URL), &dcat_ap, Some((dcat::ACCESS_URL, "dcat:accessURL"))),
        ("no HDAB", without(&g, &ds, healthdcatap::HDAB), &r8, Some((healthdcatap::HDAB, "healthdcatap:hdab"))),
        (
            "no health category",
            without(&g, &ds, healthdcatap::HEALTH_CATEGORY),
            &r8,
            Some((healthdcatap::HEALTH_CATEGORY, "healthdcatap:healthCategory")),
        ),
        ("no keyword (NON_PUBLIC)", without(&g, &ds, dcat::KEYWORD), &r8, Some((dcat::KEYWORD, "dcat:keyword"))),
        ("an issued date that is no date", bad_date, &dcat_ap, Some((dct::ISSUED, "dct:issued"))),
    ];
    let official_before = [official_paths(&dcat_ap, &g), official_paths(&r8, &g)];
    let ours_before = our_fields(&g);
    for (what, mutated, official_shapes, expected) in cases {
        let before = &official_before[usize::from(std::ptr::eq(official_shapes, &r8))];
        let theirs: BTreeSet<String> = official_paths(official_shapes, &mutated).difference(before).cloned().collect();
        let ours: BTreeSet<String> = our_fields(&mutated).difference(&ours_before).cloned().collect();
        match expected {
            None => {
                assert!(theirs.is_empty(), "{what}: the official shapes object: {theirs:?}");
                assert!(ours.is_empty(), "{what}: the project's shapes object: {ours:?}");
            }
            Some((path, field)) => {
                assert!(theirs.contains(path.as_str()), "{what}: the official shapes do not flag {path}: {theirs:?}");
                assert!(ours.contains(field), "{what}: the project's shapes do not flag {field}: {ours:?}");
            }
        }
    }
}

// ---- the command line ------------------------------------------------------------------------

fn vardkatalog_validate(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
        .arg("validate")
        .args(args)
        .env("VARDKATALOG_BASE_IRI", BASE)
        .env("VARDKATALOG_DATA_DIR", dir.path())
        .env_remove("VARDKATALOG_CONFIG")
        .env_remove("VARDKATALOG_LANG")
        .current_dir(dir.path())
        .output()
        .unwrap()
}

#[test]
fn the_command_line_exit_status_says_errors_warnings_or_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let digg = standards().join("dcat-ap-se/obligatoriskt.ttl");
    let out = vardkatalog_validate(&[digg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "errors give 1");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("INTE GODKÄND: 3 fel"), "{text}");
    assert!(text.contains("[distribution-format]") && text.contains("Matvaruaffärer i Sverige"), "{text}");

    // a file that only lacks recommended fields passes (warnings do not fail)
    let mut fixed = std::fs::read_to_string(standards().join("dcat-ap-se/rekommenderat.ttl")).unwrap();
    fixed.push_str("\n<https://example.com/dataservice1> dcterms:format \"application/json\" .\n");
    let path = dir.path().join("fixed.ttl");
    std::fs::write(&path, fixed).unwrap();
    let out = vardkatalog_validate(&[path.to_str().unwrap(), "--json", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["passes"], true);
    assert_eq!(json["counts"]["fel"], 0);
    assert_eq!(json["counts"]["varning"], 1);
    assert_eq!(json["findings"][0]["rule"], "dataset-conforms-to");
    assert!(json["findings"][0]["expected"].as_str().unwrap().starts_with("Recommended"), "English with --lang en");
    assert!(json["findings"][0]["rule_url"].as_str().unwrap().ends_with("/kontroll/regler#dataset-conforms-to"));

    // unreadable: exit 2 and the line of the error
    let broken = dir.path().join("broken.ttl");
    std::fs::write(&broken, "@prefix dct: <http://purl.org/dc/terms/> .\n\n<https://x.example/a> dct:title \"A\"@sv ;\n   dct:title \"B\n")
        .unwrap();
    let out = vardkatalog_validate(&[broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("rad 4"), "{err}");
}

#[test]
fn the_command_line_validates_a_url() {
    let server = shared_server();
    let url = server.url("/catalog.ttl?profile=healthdcat-ap");
    let out = vardkatalog_validate(&[&url, "--profile", "healthdcat-ap", "--json"]);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(json["profile"], "healthdcat-ap");
    assert!(json["checked"].as_u64().unwrap() > 20, "{json}");
    // the published Release 8 catalogue passes Release 8 and the EHDS minimum elements: every
    // dataset has its HDAB, contacts, provenance (NON_PUBLIC) and hasStructuredData
    let errors: Vec<&serde_json::Value> = json["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "fel").collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(json["passes"], true);
    assert_eq!(out.status.code(), Some(0));
    // the recommended elements the seed's sources do not give are warnings naming element,
    // expected value and rule
    let warning =
        json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "health-purpose").expect("a warning for dpv:hasPurpose");
    assert!(warning["expected"].as_str().unwrap().contains("2026/2098"), "{warning}");
    assert_eq!(warning["field"], "dpv:hasPurpose");
}

// ---- the web page and the API ------------------------------------------------------------------

#[test]
fn the_validator_page_checks_pasted_text_and_links_each_rule() {
    let server = shared_server();
    let browser = Browser::new(server);
    let page = browser.get("/kontroll");
    assert_eq!(page.status(), 200);
    let html = page.text().unwrap();
    assert!(html.contains("<label for=\"url\">") && html.contains("<label for=\"text\">") && html.contains("<label for=\"fil\">"));
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let text = std::fs::read_to_string(standards().join("dcat-ap-se/obligatoriskt.ttl")).unwrap();

    let res = browser.post_form("/kontroll", &[("csrf", &csrf), ("profil", "dcat-ap-se"), ("text", &text), ("format", "")]);
    assert_eq!(res.status(), 200);
    let html = res.text().unwrap();
    assert!(html.contains("Fel hittades"), "{html}");
    assert!(html.contains("3 fel, 18 varningar"), "{html}");
    assert!(html.contains("Matvaruaffärer i Sverige"));
    assert!(html.contains("<a href=\"/kontroll/regler#distribution-format\">distribution-format</a>"));
    assert!(html.contains("<code>dct:format</code>") && html.contains("<em>saknas</em>"));

    // the rules page has the anchor every finding links to
    let rules_html = browser.get("/kontroll/regler").text().unwrap();
    for rule in rules::rules() {
        assert!(rules_html.contains(&format!("<tr id=\"{}\">", rule.id)), "{} is not on the rules page", rule.id);
    }

    // broken Turtle: the line, and the text is kept
    let res =
        browser.post_form("/kontroll", &[("csrf", &csrf), ("profil", "dcat-ap-se"), ("text", "<a> <b> \"c\" .\n<a> <b> <c> <d> .\n")]);
    assert_eq!(res.status(), 422);
    let html = res.text().unwrap();
    assert!(html.contains("rad 2"), "{html}");
    assert!(html.contains("&#60;a&#62; &#60;b&#62; &#60;c&#62;"), "what the user typed is kept, escaped");
    assert!(!html.contains("<a> <b> <c>"));

    // no CSRF token: refused
    let res = browser.post_form("/kontroll", &[("csrf", "nope"), ("text", &text)]);
    assert_eq!(res.status(), 403);

    // an address inside the server's network is refused
    let res = browser.post_form("/kontroll", &[("csrf", &csrf), ("url", &server.url("/catalog.ttl"))]);
    assert_eq!(res.status(), 422);
    assert!(res.text().unwrap().contains("serverns eget nät"));

    // nothing given
    let res = browser.post_form("/kontroll?lang=en", &[("csrf", &csrf), ("text", "  ")]);
    assert_eq!(res.status(), 422);
    assert!(res.text().unwrap().contains("Give an address, choose a file or paste the RDF text."));
}

#[test]
fn the_validator_page_refuses_loopback_written_inside_ipv6() {
    let server = shared_server();
    let browser = Browser::new(server);
    let html = browser.get("/kontroll").text().unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let port = server.addr.port();
    for host in ["[::127.0.0.1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "2130706433", "0x7f.1"] {
        let url = format!("http://{host}:{port}/catalog.ttl");
        let res = browser.post_form("/kontroll", &[("csrf", &csrf), ("url", &url)]);
        assert_eq!(res.status(), 422, "{url}");
        let text = res.text().unwrap();
        assert!(
            text.contains("serverns eget nät"),
            "{url}: {}",
            text.split("<main").nth(1).unwrap_or(&text).chars().take(600).collect::<String>()
        );
    }
}

#[test]
fn the_validator_page_reads_an_uploaded_file() {
    let server = shared_server();
    let browser = Browser::new(server);
    let html = browser.get("/kontroll").text().unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let xml = std::fs::read(standards().join("dcat-ap-se/rekommenderat.rdf")).unwrap();
    let boundary = "vkboundary7";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf.as_str()), ("profil", "dcat-ap-se"), ("format", "")] {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"katalog.rdf\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(&xml);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = crate::support::client()
        .post(server.url("/kontroll"))
        .header("cookie", format!("vk_csrf={csrf}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().unwrap();
    assert!(html.contains("1 fel, 1 varningar"), "{html}");
    assert!(html.contains("RDF/XML"), "the format was recognised from the content");
}

#[test]
fn the_api_validates_a_posted_document() {
    let server = shared_server();
    let http = crate::support::client();
    let ttl = std::fs::read(standards().join("dcat-ap-se/obligatoriskt.ttl")).unwrap();
    let res = http
        .post(server.url("/api/v1/validate?profile=dcat-ap-se&lang=en"))
        .header("content-type", "text/turtle")
        .body(ttl)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert_eq!(json["passes"], false);
    assert_eq!(json["counts"]["fel"], 3);
    assert_eq!(json["format"], "Turtle");
    let f = json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "agent-type").unwrap();
    assert_eq!(f["record"], "https://example.com/publisher1");
    assert_eq!(f["field"], "dct:type");
    assert_eq!(f["found"], serde_json::Value::Null);
    assert!(f["expected"].as_str().unwrap().contains("publishertype"));

    // a lying Content-Type: RDF/XML sent as Turtle is still read
    let xml = std::fs::read(standards().join("dcat-ap-se/obligatoriskt.rdf")).unwrap();
    let res = http.post(server.url("/api/v1/validate")).header("content-type", "text/turtle").body(xml).send().unwrap();
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert_eq!((json["format"].as_str(), json["counts"]["fel"].as_u64()), (Some("RDF/XML"), Some(3)));

    // errors are JSON too
    let res = http.post(server.url("/api/v1/validate?profile=nej")).body("x").send().unwrap();
    assert_eq!(res.status(), 400);
    let res = http.post(server.url("/api/v1/validate")).header("content-type", "text/turtle").body("<a> <b> .").send().unwrap();
    assert_eq!(res.status(), 422);
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert!(json["error"].as_str().unwrap().contains("rad 1"), "{json}");
    let res = http.get(server.url("/api/v1/validate?url=http://10.0.0.1/catalog")).send().unwrap();
    assert_eq!(res.status(), 422);
}

#[test]
fn the_page_and_the_api_offer_release_8_per_access_level_with_element_value_and_rule() {
    let server = shared_server();
    let http = crate::support::client();
    let page = http.get(server.url("/kontroll")).send().unwrap().text().unwrap();
    assert!(page.contains("HealthDCAT-AP Release 8 och EHDS-minimielementen, per åtkomstnivå"), "the profile is offered");
    let en = http.get(server.url("/kontroll?lang=en")).send().unwrap().text().unwrap();
    assert!(en.contains("HealthDCAT-AP Release 8 and the EHDS minimum elements, per access level"));
    // the published Release 8 catalogue passes; with the HDAB's contact point gone, the finding
    // names the element, the expected value and the rule, with the legal reference
    let doc = http.get(server.url("/catalog.ttl?profile=healthdcat-ap")).send().unwrap().text().unwrap();
    let post = |body: String, content_type: &str| -> serde_json::Value {
        let res = http
            .post(server.url("/api/v1/validate?profile=healthdcat-ap&lang=en"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .unwrap();
        assert_eq!(res.status(), 200);
        serde_json::from_str(&res.text().unwrap()).unwrap()
    };
    let json = post(doc.clone(), "text/turtle");
    assert_eq!(json["profile"], "healthdcat-ap");
    assert_eq!(json["passes"], true, "{json}");
    let mut g = crate::support::parse_rdf(doc.as_bytes(), "text/turtle");
    let hdab = NamedNode::new_unchecked(format!("{BASE}agent/hdab"));
    let gone: Vec<Triple> = g
        .triples_for_subject(&hdab)
        .filter(|t| t.predicate == vardkatalog::model::vocab::cv::CONTACT_POINT)
        .map(TripleRef::into_owned)
        .collect();
    assert_eq!(gone.len(), 1);
    for t in &gone {
        g.remove(t);
    }
    let json = post(g.to_string(), "application/n-triples");
    assert_eq!(json["passes"], false);
    let f = json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "health-hdab-contact").expect("the HDAB contact rule");
    assert_eq!(f["field"], "healthdcatap:hdab");
    assert_eq!(f["field_name"], "HDAB contact point");
    let expected = f["expected"].as_str().unwrap();
    assert!(
        expected.contains("cv:contactPoint")
            && expected.contains("cv:email")
            && expected.contains("2026/2098")
            && expected.contains("Art. 55"),
        "{expected}"
    );
    assert!(f["rule_url"].as_str().unwrap().ends_with("/kontroll/regler#health-hdab-contact"));
    // the rule is listed with its anchor
    let rules = http.get(server.url("/kontroll/regler")).send().unwrap().text().unwrap();
    assert!(rules.contains("id=\"health-hdab-contact\""), "the rules page lists the Release 8 rules");
}
