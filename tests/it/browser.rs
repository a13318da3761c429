//! The real-browser test: headless Chromium (Debian's) walks a researcher's path, a region
//! checks a whole CSV and a workbook in the delivery page, a curator fills the variable form
//! through its table of contents and pickers (also at 375 px), and axe-core checks the pages
//! (tests/browser/run.mjs). Appended after the journeys: a variable's documentation and its
//! codes' validity table (also at 375 px), a per-holder request downloaded, a list saved while
//! signed in (kept in a new browser, 404 to another user) with its Atom feed, and type-ahead, a
//! citation, /andringar and an as-of page at 375 px. `scripts/ensure-deps` installs Chromium and the
//! npm packages; without them this test fails and says what is missing.

use std::path::Path;
use std::process::Command;

use crate::support::start_server;

#[test]
fn a_researcher_searches_narrows_opens_adds_and_exports_in_a_real_browser() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(Path::new(&chromium).exists(), "Chromium is missing at {chromium}: run ./scripts/ensure-deps");
    assert!(dir.join("node_modules/playwright-core").exists(), "npm packages are missing: run ./scripts/ensure-deps");
    let server = start_server();
    // before the versions: KPP's unit change stays the newest breaking change on /andringar
    arrange_documentation(&server);
    arrange_versions(&server);
    let password = "korrekt-häst-batteri-7";
    vardkatalog::accounts::Accounts::new(server.state.clone())
        .add("test", "kc-admin", vardkatalog::accounts::Role::Admin, password)
        .unwrap();
    vardkatalog::accounts::Accounts::new(server.state.clone())
        .add("test", "kc-redaktor", vardkatalog::accounts::Role::Redaktor, password)
        .unwrap();
    // a region's deliveries: a CSV with its header written as labels, a workbook with a code
    // in another case
    let files = tempfile::tempdir().unwrap();
    let mut csv = String::from("Disponibla vårdplatser;overbelaggningar;utlokaliseringar;vardtyp\n");
    for line in 2..=301 {
        csv.push_str(if line == 7 { "12;tio;0;somatisk\n" } else { "12;1;0;somatisk\n" });
    }
    std::fs::write(files.path().join("leverans.csv"), csv).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["disponibla_vardplatser", "overbelaggningar", "utlokaliseringar", "vardtyp"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=40u32 {
        for (c, v) in ["12", "1", "0", if r == 4 { "Somatisk" } else { "psykiatrisk" }].iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
    book.save(files.path().join("leverans.xlsx")).unwrap();
    let out = Command::new("node")
        .env("DELIVERY_FILES", files.path())
        .arg(dir.join("run.mjs"))
        .arg(format!("http://{}", server.addr))
        .arg("kc-admin")
        .arg(password)
        .arg("kc-redaktor")
        .arg(password)
        .current_dir(&dir)
        .output()
        .expect("node runs (install Node.js)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("no report ({e}): {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(out.status.success() && report["ok"] == true, "browser test failed: {report:#}");
    let steps: Vec<String> = report["steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    assert!(steps.len() >= 31, "{steps:?}");
    assert_eq!(
        steps[6], "delivery CSV: Inte godkänd: leveransen har fel; 300 rader; menade du Disponibla vårdplatser → disponibla_vardplatser",
        "{steps:?}"
    );
    assert_eq!(steps[7], "delivery XLSX: Inte godkänd: leveransen har fel; 40 rader; menade du Somatisk → somatisk", "{steps:?}");
    assert_eq!(steps[8], "validator findings: Fel hittades", "{steps:?}");
    assert_eq!(steps[9], "cited: vardkatalogen-kpp-vardtid-dagar-v2.bib", "{steps:?}");
    assert!(steps[10].starts_with("breaking change listed: Variabel: Vårdtid i dagar – version 2"), "{steps:?}");
    assert!(steps[11].starts_with("as of 2024-01-01: Som publicerad 2024-01-01"), "{steps:?}");
    assert_eq!(steps[12], "signed in", "{steps:?}");
    assert_eq!(steps[13], "draft saved and in the history", "{steps:?}");
    assert!(steps[14].starts_with("variable form filled through its contents and pickers: "), "{steps:?}");
    assert!(steps[14].contains(" sections, 2 concepts; "), "{steps:?}");
    // the owner found by a search in its picker, which kept what was chosen before it
    assert!(
        steps[14].ends_with("; owner search: Visar de poster som matchar ”statistiska”: 1. Töm sökrutan och välj Sök för att visa alla."),
        "{steps:?}"
    );
    assert!(steps[5].starts_with("exported: variabellista.csv"), "{steps:?}");
    assert_eq!(steps[15], "template downloaded: vardkatalogen-importmall.xlsx", "{steps:?}");
    assert_eq!(steps[16], "imported and sent for review: 7 poster skickade till granskning.", "{steps:?}");
    assert_eq!(steps[17], "publish refused: the dataset is a draft", "{steps:?}");
    assert_eq!(steps[18], "published together: 7 poster publicerade.", "{steps:?}");
    // the journeys on a desktop and on a phone (375 px), each in a fresh browser
    for (i, viewport) in [(19, "desktop"), (24, "phone")] {
        assert!(steps[i].starts_with(&format!("{viewport} search: J18 → ICD-10-SE")), "{steps:?}");
        assert!(
            steps[i + 1].starts_with(&format!("{viewport} added without reload: ”Huvuddiagnos” finns nu i din variabellista")),
            "{steps:?}"
        );
        assert!(steps[i + 2].starts_with(&format!("{viewport} list: ")), "{steps:?}");
        assert!(steps[i + 3].starts_with(&format!("{viewport} shared list opened in a fresh browser: 1 register holders")), "{steps:?}");
        // two variables of different registers marked in the results, compared, and why
        assert!(
            steps[i + 4].starts_with(&format!(
                "{viewport} compared: Huvuddiagnos (HDIA) och Underliggande dödsorsak (ULORSAK): besläktade kodverk: ICD-10-SE är en version av ICD-10 (WHO)"
            )),
            "{steps:?}"
        );
    }
    assert_eq!(steps[29], "phone pages no wider than the screen", "{steps:?}");
    // type-ahead: a Swedish word's start → the code, chosen with the keyboard; a click → a variable
    assert!(steps[30].starts_with("type-ahead: lårbensh → Kod Fraktur på lårbenshalsen S72.0 → "), "{steps:?}");
    assert!(steps[30].contains("; hdia → Huvuddiagnos"), "{steps:?}");
    // appended steps (31…): what the journeys above leave out
    assert_eq!(steps.len(), 36, "{steps:?}");
    assert_eq!(
        steps[31],
        "variable documentation: Saknade värden: US = Uppgift saknas; Tillstånd vid en tidpunkt; Person; codes valid 1968– and 1968–2009, the bars hidden from screen readers, the period in words",
        "{steps:?}"
    );
    assert_eq!(
        steps[32], "per-holder request downloaded: ansokan-socialstyrelsen.csv (Socialstyrelsen, Statistiska centralbyrån (SCB))",
        "{steps:?}"
    );
    assert!(steps[33].starts_with("saved list: Vårdtid och diagnos at /variabellista/"), "{steps:?}");
    assert!(steps[33].ends_with("; kept in a new browser; another user gets 404"), "{steps:?}");
    assert!(steps[34].starts_with("list's feed: Atom with 1 entry: ") && steps[34].contains("Vårdtid i dagar – version 2"), "{steps:?}");
    assert_eq!(
        steps[35],
        "phone (375 px): type-ahead hdia → Huvuddiagnos HDIA; cited vardkatalogen-kpp-vardtid-dagar-v2.bib; breaking change listed; as of 2024-01-01",
        "{steps:?}"
    );
    for page in [
        "variable documentation",
        "code list with validity",
        "code",
        "variable documentation (phone)",
        "code list with validity (phone)",
        "saved list",
        "changes of a list",
        "type-ahead open (phone)",
        "changes (phone)",
        "as of a date (phone)",
        "variable with versions (phone)",
        "home",
        "search",
        "variable",
        "list",
        "collection",
        "delivery",
        "validator",
        "rules",
        "quality dashboard",
        "quality breakdown",
        "dataset",
        "login",
        "variable form",
        "variable form filled",
        "variable form at 375 px",
        "new variable form",
        "dataset form",
        "code-list form",
        "use-case form",
        "import",
        "work list",
        "history",
        "users",
        "audit log",
        "harvest admin",
        "quality label",
        "label specification",
        "deliveries",
        "quality label with forms",
        "maturity form",
        "editing menu open",
        "import result",
        "import guide",
        "draft with its check",
        "variable with versions",
        "version",
        "changes",
        "as of a date",
        "search (desktop)",
        "dataset (desktop)",
        "list (desktop)",
        "shared list (desktop)",
        "data request (desktop)",
        "compare (desktop)",
        "search (phone)",
        "dataset (phone)",
        "list (phone)",
        "shared list (phone)",
        "data request (phone)",
        "compare (phone)",
        "collection (phone)",
        "history (phone)",
        "type-ahead open",
    ] {
        let violations = report["accessibility"][page].as_array().unwrap_or_else(|| panic!("{page} was not checked"));
        let serious: Vec<_> = violations.iter().filter(|v| v["impact"] == "serious" || v["impact"] == "critical").collect();
        assert!(serious.is_empty(), "{page}: {serious:?}");
        if !violations.is_empty() {
            eprintln!("{page}: minor accessibility findings: {violations:?}");
        }
    }
}

/// SCB's marital status documented as microdata.no does (issue 18 item 5): a missing value
/// with its meaning, status at a date, counted per person; two of its codes with validity
/// periods (the table with bars on the code list's and the variable's pages).
fn arrange_documentation(server: &crate::support::TestServer) {
    use vardkatalog::accounts::Role;
    use vardkatalog::curation::{Actor, Curation};
    use vardkatalog::model::{Resource, Temporal, Temporality, UnitType};
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (anna, bertil) = (Actor { user: "anna".into(), role: Role::Redaktor }, Actor { user: "bertil".into(), role: Role::Granskare });
    let iri = |path: &str| oxigraph::model::NamedNode::new(format!("{}{path}", crate::support::BASE)).unwrap();
    let variable = iri("variable/bef-civilstand");
    let Some((_, Resource::Variable(mut v))) = c.current(&variable).unwrap() else { panic!("the variable") };
    let mut meaning = vardkatalog::model::LangText::default();
    meaning.set("sv", "Uppgift saknas");
    meaning.set("en", "Not known");
    v.missing_values = vec!["US".into()];
    v.missing_meanings = vec![vardkatalog::model::MissingValue { code: "US".into(), meaning }];
    v.temporality = Some(Temporality::Status);
    v.unit_type = Some(UnitType::Person);
    c.save_draft(&anna, Resource::Variable(v), c.latest_revision(&variable).unwrap().map(|r| r.id), "Dokumentation").unwrap();
    c.submit(&anna, &variable, "").unwrap();
    c.publish(&bertil, &variable, "Saknade värden, temporalitet och enhetstyp").unwrap();
    for (code, from, through) in [("codelist/civilstand/OG", "1968", None), ("codelist/civilstand/G", "1968", Some("2009"))] {
        let code = iri(code);
        let Some((_, Resource::Concept(mut k))) = c.current(&code).unwrap() else { panic!("the code") };
        k.valid_from = Temporal::parse(from);
        k.valid_through = through.and_then(Temporal::parse);
        c.save_draft(&anna, Resource::Concept(k), c.latest_revision(&code).unwrap().map(|r| r.id), "Giltighet").unwrap();
        c.submit(&anna, &code, "").unwrap();
        c.publish(&bertil, &code, "Giltighet").unwrap();
    }
}

/// Version 1 of KPP's length of stay published on 2023-03-01 (back-dated in the store, as a
/// catalogue seeded then), version 2 today with the unit changed from days to hours.
fn arrange_versions(server: &crate::support::TestServer) {
    use vardkatalog::accounts::Role;
    use vardkatalog::curation::{Actor, Curation};
    use vardkatalog::model::Resource;
    let iri = oxigraph::model::NamedNode::new(format!("{}variable/kpp-vardtid-dagar", crate::support::BASE)).unwrap();
    let mut rec = server.catalogue.store().get(iri.as_ref()).unwrap().unwrap();
    rec.meta.modified = chrono::DateTime::parse_from_rfc3339("2023-03-01T10:00:00Z").unwrap().with_timezone(&chrono::Utc);
    server.catalogue.save_records(&[rec]).unwrap();
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (anna, bertil) = (Actor { user: "anna".into(), role: Role::Redaktor }, Actor { user: "bertil".into(), role: Role::Granskare });
    let Some((_, Resource::Variable(mut v))) = c.current(&iri).unwrap() else { panic!("the variable") };
    v.unit = Some("h".into());
    c.save_draft(&anna, Resource::Variable(v), None, "Timmar").unwrap();
    c.submit(&anna, &iri, "").unwrap();
    c.publish(&bertil, &iri, "Vårdtiden anges i timmar").unwrap();
}
