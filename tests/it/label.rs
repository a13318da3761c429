//! The EHDS quality and utility label (issue 17) as people and clients see it: the label page
//! and its JSON for every seed dataset (computed, declared and missing parts with their
//! evidence), statements by an editor of the holder only, the yearly confirmation with the
//! overdue list and its Atom feed, the maturity self-assessment on the agent page, and the
//! region × period delivery matrix fed by reports (a region that never delivered, a column
//! that went missing in one period) moving the technical-quality dimension.

use reqwest::StatusCode;
use serde_json::Value;
use vardkatalog::accounts::Role;
use vardkatalog::state::revisions::AuditNote;

use crate::support::{BASE, Browser, TestServer, client, shared_server, signed_in, start_server};

const SEED_DATASETS: &[&str] = &[
    "patientregistret",
    "patientregistret-sluten-vard",
    "patientregistret-oppen-vard",
    "lakemedelsregistret",
    "cancerregistret",
    "dodsorsaksregistret",
    "medicinska-fodelseregistret",
    "vardplatser",
    "vantetider",
    "kpp",
    "rikshoft",
    "lisa",
    "rtb",
    "scb-folkmangd",
];

fn json(server: &TestServer, path: &str) -> Value {
    let res = client().get(server.url(path)).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    serde_json::from_str(&res.text().unwrap()).unwrap()
}

fn metric<'a>(label: &'a Value, id: &str) -> &'a Value {
    label["elements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|d| d["metrics"].as_array().unwrap().iter())
                .chain(e["metrics"].as_array().unwrap().iter())
        })
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no metric {id}"))
}

/// Links `user` to organisations (agent ids) directly in the state, as an administrator would.
pub(crate) fn link(server: &TestServer, user: &str, agents: &[&str]) {
    let orgs: Vec<String> = agents.iter().map(|a| format!("{BASE}agent/{a}")).collect();
    let note = AuditNote { who: "test".into(), action: "members".into(), target: user.into(), detail: String::new() };
    server.state.members.set_organisations(user, &orgs, &note).unwrap();
}

#[test]
fn every_seed_dataset_has_a_label_page_and_json_with_its_evidence() {
    let server = shared_server();
    for id in SEED_DATASETS {
        let label = json(server, &format!("/api/v1/quality/dataset/{id}/label"));
        assert_eq!(label["dataset"], format!("{BASE}dataset/{id}"));
        assert_eq!(label["elements"].as_array().unwrap().len(), 6, "the six elements of Art. 78(3)");
        let dimensions: usize = label["elements"].as_array().unwrap().iter().map(|e| e["dimensions"].as_array().unwrap().len()).sum();
        assert_eq!(dimensions, 12, "QUANTUM's twelve dimensions");
        assert!(label["counts"]["computed"].as_u64().unwrap() >= 8, "{id}: {}", label["counts"]);
        assert!(label["counts"]["missing"].as_u64().unwrap() >= 1, "{id}: declared-only metrics are missing until stated");
        assert!(["A", "B", "C", "D", "E"].contains(&label["class"].as_str().unwrap()));
        // every computed metric shows its evidence
        let policy = metric(&label, "access-policy");
        assert_eq!(policy["status"], "computed");
        assert!(!policy["evidence"].as_array().unwrap().is_empty());
        assert_eq!(metric(&label, "time-to-data")["status"], "missing");
        assert_eq!(label["attestation"]["overdue"], true, "{id}: never confirmed");
        let page = client().get(server.url(&format!("/dataset/{id}/kvalitetsmarkning"))).send().unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().unwrap();
        for needle in [
            "beräknad",
            "saknas",
            "Tillgänglighet",
            "Åtkomsträttigheter",
            "<svg",
            "role=\"img\"",
            "art. 78.3 b",
            "Liggande staplar, en per dimension",
        ] {
            assert!(html.contains(needle), "{id}: {needle}");
        }
        assert!(!html.contains("<form method=\"post\" action=\"/dataset/"), "no forms for the anonymous");
    }
    // English, and the specification page whose fragments the DQV metrics name
    let en = client().get(server.url("/dataset/kpp/kvalitetsmarkning?lang=en")).send().unwrap().text().unwrap();
    assert!(en.contains("Data quality and utility label") && en.contains("computed") && en.contains("Accessibility"));
    // the chart's text alternative names the highest and the lowest dimension with their scores
    let desc = en.split("Horizontal bars, one per dimension").nth(1).expect("the chart is described in words");
    assert!(desc.contains("Highest: ") && desc.contains("Lowest: ") && desc.contains(" %"), "{desc}");
    let spec = client().get(server.url("/kvalitetsmarkning")).send().unwrap().text().unwrap();
    for id in ["metric-access-policy", "dimension-accessibility", "element-technical-quality", "9.95 %", "6.47 %", "mognad-governance"] {
        assert!(spec.contains(id), "{id}");
    }
    assert_eq!(client().get(server.url("/dataset/finns-inte/kvalitetsmarkning")).send().unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(client().get(server.url("/api/v1/quality/dataset/finns-inte/label")).send().unwrap().status(), StatusCode::NOT_FOUND);
}

#[test]
fn the_seed_computes_what_its_records_say() {
    let server = shared_server();
    // Vårdplatser: monthly, with variables and a county per region; a data collection
    let v = json(server, "/api/v1/quality/dataset/vardplatser/label");
    assert_eq!(metric(&v, "update-on-schedule")["status"], "computed", "monthly with dct:modified: {}", metric(&v, "update-on-schedule"));
    assert_eq!(metric(&v, "variables-described")["status"], "computed");
    assert!(metric(&v, "variables-described")["level"].as_u64().unwrap() >= 1);
    // a data collection without deliveries: no region delivered, no values counted
    assert_eq!(metric(&v, "regions-delivering")["status"], "computed");
    assert_eq!(metric(&v, "regions-delivering")["level"], 0);
    assert_eq!(metric(&v, "valid-values")["status"], "missing");
    // a dataset that is no collection has no delivery evidence
    let lisa = json(server, "/api/v1/quality/dataset/lisa/label");
    assert_eq!(metric(&lisa, "regions-delivering")["status"], "missing");
}

#[test]
fn an_editor_of_the_holder_states_a_metric_and_it_counts_where_nothing_is_computed() {
    let server = start_server();
    let outsider = signed_in(&server, "utomstaende", Role::Redaktor);
    let csrf = outsider.csrf();
    let form = |csrf: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("matt", "time-to-data".to_owned()),
            ("atgard", "spara".to_owned()),
            ("niva", "2".to_owned()),
            ("underlag", "https://www.socialstyrelsen.se/statistik-och-data/".to_owned()),
            ("kommentar", "Medel 2025".to_owned()),
        ]
    };
    let post = |b: &Browser, f: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.post_form("/dataset/lakemedelsregistret/kvalitetsmarkning", &pairs)
    };
    let res = post(&outsider, form(&csrf));
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "an editor of another organisation");
    assert!(res.text().unwrap().contains("inte redaktör"));
    assert_eq!(metric(&json(&server, "/api/v1/quality/dataset/lakemedelsregistret/label"), "time-to-data")["status"], "missing");
    // anonymous: sent to sign in, nothing written
    let anon = Browser::new(&server);
    let res = post(&anon, form(&anon.csrf()));
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login"));

    let editor = signed_in(&server, "sos-redaktor", Role::Redaktor);
    link(&server, "sos-redaktor", &["socialstyrelsen"]);
    let csrf = editor.csrf();
    // a wrong CSRF token and a level past the top change nothing
    assert_eq!(post(&editor, form("fel")).status(), StatusCode::FORBIDDEN);
    let mut high = form(&csrf);
    high[3].1 = "7".into();
    let res = post(&editor, high);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().unwrap().contains("niva"), "the field is named");
    let mut bad_link = form(&csrf);
    bad_link[4].1 = "javascript:alert(1)".into();
    assert_eq!(post(&editor, bad_link).status(), StatusCode::BAD_REQUEST);
    assert_eq!(metric(&json(&server, "/api/v1/quality/dataset/lakemedelsregistret/label"), "time-to-data")["status"], "missing");

    let before = json(&server, "/api/v1/quality/dataset/lakemedelsregistret/label");
    let res = post(&editor, form(&csrf));
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.headers()["location"].to_str().unwrap().contains("klart=sparad"));
    let after = json(&server, "/api/v1/quality/dataset/lakemedelsregistret/label");
    let m = metric(&after, "time-to-data");
    assert_eq!((m["status"].as_str(), m["level"].as_u64()), (Some("declared"), Some(2)));
    assert_eq!(m["declaration"]["by"], "sos-redaktor");
    assert_eq!(m["declaration"]["evidence"], "https://www.socialstyrelsen.se/statistik-och-data/");
    assert!(m["declaration"]["time"].as_str().is_some());
    assert_eq!(after["counts"]["declared"].as_u64().unwrap(), before["counts"]["declared"].as_u64().unwrap() + 1);
    assert!(after["score"].as_f64().unwrap() > before["score"].as_f64().unwrap(), "the statement raises the score");
    // a statement of a computed metric is shown, but the computed level stands
    let mut computed = form(&csrf);
    computed[1].1 = "access-policy".into();
    assert_eq!(post(&editor, computed).status(), StatusCode::SEE_OTHER);
    let label = json(&server, "/api/v1/quality/dataset/lakemedelsregistret/label");
    assert_eq!(metric(&label, "access-policy")["status"], "computed");
    assert_eq!(metric(&label, "access-policy")["declaration"]["level"], 2);
    // the page shows the statement with its link, who and when, and the forms to the editor
    let html = editor.get("/dataset/lakemedelsregistret/kvalitetsmarkning").text().unwrap();
    assert!(
        html.contains("uppgiven")
            && html.contains("sos-redaktor")
            && html.contains("href=\"https://www.socialstyrelsen.se/statistik-och-data/\"")
    );
    assert!(html.contains("name=\"niva\""));
    // withdrawing it, audited
    let res = editor
        .post_form("/dataset/lakemedelsregistret/kvalitetsmarkning", &[("csrf", &csrf), ("matt", "time-to-data"), ("atgard", "ta-bort")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(metric(&json(&server, "/api/v1/quality/dataset/lakemedelsregistret/label"), "time-to-data")["status"], "missing");
    let actions: Vec<String> = server
        .state
        .audit
        .about(&format!("{BASE}dataset/lakemedelsregistret"))
        .unwrap()
        .into_iter()
        .filter(|e| e.who == "sos-redaktor")
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, vec!["label_declare", "label_declare", "label_withdraw"]);
}

#[test]
fn the_health_profile_serves_the_label_and_its_etag_follows_the_statements() {
    let server = start_server();
    let ttl = client().get(server.url("/dataset/kpp.ttl?profile=healthdcat-ap")).send().unwrap().text().unwrap();
    assert!(ttl.contains("dqv:hasQualityAnnotation") && ttl.contains("dqv:QualityCertificate"), "{}", &ttl[..400.min(ttl.len())]);
    assert!(ttl.contains("dqv:hasQualityMeasurement") && ttl.contains("dqv:isMeasurementOf"));
    let plain = client().get(server.url("/dataset/kpp.ttl?profile=dcat-ap-se")).send().unwrap().text().unwrap();
    assert!(!plain.contains("hasQualityAnnotation"), "DCAT-AP-SE has no label");
    let etag = || {
        let res = client().get(server.url("/catalog?profile=healthdcat-ap")).header("Accept", "text/turtle").send().unwrap();
        res.headers()["etag"].to_str().unwrap().to_owned()
    };
    let before = etag();
    assert_eq!(before, etag(), "stable while nothing changes");
    let editor = signed_in(&server, "skr-redaktor", Role::Redaktor);
    link(&server, "skr-redaktor", &["skr"]);
    let csrf = editor.csrf();
    let res = editor.post_form(
        "/dataset/kpp/kvalitetsmarkning",
        &[("csrf", &csrf), ("matt", "duplicates"), ("atgard", "spara"), ("niva", "3"), ("underlag", ""), ("kommentar", "")],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_ne!(etag(), before, "a statement changes the health profile's document");
}

#[test]
fn a_holder_confirms_yearly_and_the_overdue_list_and_its_feed_follow() {
    use crate::feed::{assert_atom_feed, xml};
    let server = start_server();
    let lm = format!("{BASE}dataset/lakemedelsregistret");
    // at first every seed dataset is overdue: listed on /kvalitet and in the feed
    let page = client().get(server.url("/kvalitet")).send().unwrap().text().unwrap();
    assert!(page.contains("id=\"forsenade\"") && page.contains("href=\"/dataset/lakemedelsregistret\""));
    let feed_of = || {
        let res = client().get(server.url("/kvalitet/forsenade.atom")).send().unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
        let feed = xml::parse(&res.text().unwrap());
        assert_atom_feed(&feed);
        feed
    };
    let feed = feed_of();
    assert_eq!(feed.one("id").text, format!("{BASE}kvalitet/forsenade.atom"));
    let related = |feed: &xml::El| -> Vec<String> {
        feed.all("entry")
            .iter()
            .flat_map(|e| e.all("link"))
            .filter(|l| l.attr("rel") == Some("related"))
            .map(|l| l.attr("href").unwrap().to_owned())
            .collect()
    };
    assert_eq!(related(&feed).len(), SEED_DATASETS.len(), "every dataset, once");
    assert!(related(&feed).contains(&lm));
    let entry = feed.all("entry").into_iter().find(|e| e.all("link").iter().any(|l| l.attr("href") == Some(lm.as_str()))).unwrap();
    assert_eq!(entry.one("author").one("name").text, "Socialstyrelsen", "the publisher is named");
    assert!(entry.one("title").text.contains("aldrig bekräftad"));

    // the dataset page shows the confirmation; only an editor of the holder gets the form
    let anon = client().get(server.url("/dataset/lakemedelsregistret")).send().unwrap().text().unwrap();
    assert!(anon.contains("Aldrig bekräftad av innehavaren") && !anon.contains("/dataset/lakemedelsregistret/intyga"));
    let outsider = signed_in(&server, "annan", Role::Granskare);
    link(&server, "annan", &["skr"]);
    let csrf = outsider.csrf();
    let res = outsider.post_form("/dataset/lakemedelsregistret/intyga", &[("csrf", &csrf), ("kommentar", "")]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "SKR's editor cannot confirm Socialstyrelsen's dataset");
    let editor = signed_in(&server, "sos", Role::Redaktor);
    link(&server, "sos", &["socialstyrelsen"]);
    let page = editor.get("/dataset/lakemedelsregistret").text().unwrap();
    assert!(page.contains("action=\"/dataset/lakemedelsregistret/intyga\""));
    let csrf = editor.csrf();
    assert_eq!(
        editor.post_form("/dataset/lakemedelsregistret/intyga", &[("csrf", "fel"), ("kommentar", "")]).status(),
        StatusCode::FORBIDDEN
    );
    let res = editor.post_form(
        "/dataset/lakemedelsregistret/intyga",
        &[("csrf", &csrf), ("kommentar", "Kontrollerad mot registrets dokumentation"), ("tillbaka", "/dataset/lakemedelsregistret")],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/dataset/lakemedelsregistret?klart=bekraftad");
    let today = chrono::Utc::now().date_naive();
    let page = editor.get("/dataset/lakemedelsregistret?klart=bekraftad").text().unwrap();
    assert!(page.contains(&format!("Senast bekräftad {today} av sos")), "the date is on the dataset page");
    assert!(page.contains("Bekräftelsen är sparad"));
    let label = json(&server, "/api/v1/quality/dataset/lakemedelsregistret/label");
    assert_eq!(label["attestation"]["overdue"], false);
    assert_eq!(label["attestation"]["by"], "sos");
    assert_eq!(label["attestation"]["due"], (today + chrono::Duration::days(365)).to_string());
    // no longer overdue: gone from the list and the feed, the others stay
    assert!(!related(&feed_of()).contains(&lm));
    assert_eq!(related(&feed_of()).len(), SEED_DATASETS.len() - 1);
    let kvalitet = client().get(server.url("/kvalitet")).send().unwrap().text().unwrap();
    let overdue_section = kvalitet.split("id=\"forsenade\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(!overdue_section.contains("/dataset/lakemedelsregistret\""));
    assert!(overdue_section.contains("/dataset/kpp\""));
    let audit = server.state.audit.about(&lm).unwrap();
    assert!(audit.iter().any(|e| e.action == "attest" && e.who == "sos"), "audited");
}

#[test]
fn an_organisation_assesses_its_maturity_and_it_feeds_the_quality_management_element() {
    let server = start_server();
    // anonymous and outsiders cannot reach the form
    let res = client().get(server.url("/agent/socialstyrelsen/mognad")).send().unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let outsider = signed_in(&server, "utanfor", Role::Redaktor);
    assert_eq!(outsider.get("/agent/socialstyrelsen/mognad").status(), StatusCode::FORBIDDEN);
    let agent_page = client().get(server.url("/agent/socialstyrelsen")).send().unwrap().text().unwrap();
    assert!(agent_page.contains("Mognad som datainnehavare") && agent_page.contains("inte skattad"));
    let label = json(&server, "/api/v1/quality/dataset/cancerregistret/label");
    assert_eq!(label["quality_management"]["status"], "missing");

    let editor = signed_in(&server, "sos-mognad", Role::Redaktor);
    link(&server, "sos-mognad", &["socialstyrelsen"]);
    let form = editor.get("/agent/socialstyrelsen/mognad");
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().unwrap();
    for id in [
        "data-collection",
        "governance",
        "infrastructure",
        "provenance",
        "access",
        "analytics",
        "augmentation",
        "enrichment",
        "data-model",
        "data-dictionary",
    ] {
        assert!(html.contains(&format!("name=\"{id}\"")), "{id}");
    }
    let csrf = editor.csrf();
    let res =
        editor.post_form("/agent/socialstyrelsen/mognad", &[("csrf", &csrf), ("governance", "9"), ("underlag", ""), ("kommentar", "")]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "a level outside 1–5");
    let res = editor.post_form(
        "/agent/socialstyrelsen/mognad",
        &[
            ("csrf", &csrf),
            ("governance", "4"),
            ("data-model", "3"),
            ("access", ""),
            ("underlag", "https://www.socialstyrelsen.se/kvalitet"),
            ("kommentar", "Självskattning 2026"),
        ],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let agent_page = editor.get("/agent/socialstyrelsen").text().unwrap();
    assert!(agent_page.contains("4: Styrd") && agent_page.contains("3: Definierad"), "shown on the agent page");
    assert!(agent_page.contains("href=\"/agent/socialstyrelsen/mognad\""), "with the way to change it");
    let anon_page = client().get(server.url("/agent/socialstyrelsen")).send().unwrap().text().unwrap();
    assert!(anon_page.contains("4: Styrd") && !anon_page.contains("/agent/socialstyrelsen/mognad"));
    // the custodian's governance level is the dataset label's quality-management element
    let label = json(&server, "/api/v1/quality/dataset/cancerregistret/label");
    assert_eq!(label["quality_management"]["status"], "declared");
    assert_eq!(label["quality_management"]["level"], 4);
    assert_eq!(label["quality_management"]["by"], "sos-mognad");
    let page = client().get(server.url("/dataset/cancerregistret/kvalitetsmarkning")).send().unwrap().text().unwrap();
    assert!(page.contains("4 / 5: Styrd"));
    // another organisation's datasets are untouched
    assert_eq!(json(&server, "/api/v1/quality/dataset/kpp/label")["quality_management"]["status"], "missing");
}

#[test]
fn an_administrator_links_accounts_to_organisations() {
    let server = start_server();
    let admin = signed_in(&server, "admin", Role::Admin);
    signed_in(&server, "bertil", Role::Redaktor);
    let csrf = admin.csrf();
    let res = admin.post_form(
        "/admin/anvandare/bertil",
        &[("csrf", &csrf), ("atgard", "organisationer"), ("organisationer", "region-skane, finns-inte")],
    );
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().unwrap().contains("finns-inte är ingen organisation"), "an unknown organisation is named, nothing saved");
    assert!(server.state.members.organisations("bertil").unwrap().is_empty());
    let res = admin.post_form(
        "/admin/anvandare/bertil",
        &[("csrf", &csrf), ("atgard", "organisationer"), ("organisationer", "region-skane vastra-gotalandsregionen")],
    );
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().unwrap().contains("value=\"region-skane vastra-gotalandsregionen\""));
    assert_eq!(
        server.state.members.organisations("bertil").unwrap(),
        vec![format!("{BASE}agent/region-skane"), format!("{BASE}agent/vastra-gotalandsregionen")]
    );
    let editor = signed_in(&server, "cecilia", Role::Redaktor);
    let csrf = editor.csrf();
    let res = editor.post_form("/admin/anvandare/bertil", &[("csrf", &csrf), ("atgard", "organisationer"), ("organisationer", "")]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "administrators only");
}

#[test]
fn the_variables_pass_agrees_with_the_ehds_views_query() {
    let cat = crate::support::seeded_catalogue();
    let docs = vardkatalog::label::variables::documentation(cat.store()).unwrap();
    let facts = vardkatalog::store::queries::variable_facts(cat.store()).unwrap();
    assert!(!facts.is_empty());
    assert_eq!(docs.len(), facts.len(), "the same datasets hold variables");
    for (dataset, f) in &facts {
        assert_eq!(docs[dataset].facts(), *f, "{dataset}");
        assert!(docs[dataset].described <= f.variables);
    }
    // Vårdplatser's variables are described and dated
    let v = &docs[&oxigraph::model::NamedNode::new_unchecked(format!("{BASE}dataset/vardplatser"))];
    assert!(v.described > 0 && v.first_year.is_some(), "{v:?}");
}
