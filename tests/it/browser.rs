//! The real-browser test: headless Chromium (Debian's) walks a researcher's path, a region
//! checks a whole CSV and a workbook in the delivery page, and axe-core checks the pages
//! (tests/browser/run.mjs). `scripts/ensure-deps` installs Chromium and the
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
    assert_eq!(steps.len(), 26, "{steps:?}");
    assert_eq!(
        steps[6], "delivery CSV: Inte godkänd: leveransen har fel; 300 rader; menade du Disponibla vårdplatser → disponibla_vardplatser",
        "{steps:?}"
    );
    assert_eq!(steps[7], "delivery XLSX: Inte godkänd: leveransen har fel; 40 rader; menade du Somatisk → somatisk", "{steps:?}");
    assert_eq!(steps[8], "validator findings: Fel hittades", "{steps:?}");
    assert_eq!(steps[10], "draft saved and in the history", "{steps:?}");
    assert!(steps[5].starts_with("exported: variabellista.csv"), "{steps:?}");
    assert_eq!(steps[11], "template downloaded: vardkatalogen-importmall.xlsx", "{steps:?}");
    assert_eq!(steps[12], "imported and sent for review: 7 poster skickade till granskning.", "{steps:?}");
    assert_eq!(steps[13], "publish refused: the dataset is a draft", "{steps:?}");
    assert_eq!(steps[14], "published together: 7 poster publicerade.", "{steps:?}");
    // the journeys on a desktop and on a phone (375 px), each in a fresh browser
    for (i, viewport) in [(15, "desktop"), (20, "phone")] {
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
    assert_eq!(steps[25], "phone pages no wider than the screen", "{steps:?}");
    for page in [
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
        "editing menu open",
        "import result",
        "import guide",
        "draft with its check",
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
    ] {
        let violations = report["accessibility"][page].as_array().unwrap_or_else(|| panic!("{page} was not checked"));
        let serious: Vec<_> = violations.iter().filter(|v| v["impact"] == "serious" || v["impact"] == "critical").collect();
        assert!(serious.is_empty(), "{page}: {serious:?}");
        if !violations.is_empty() {
            eprintln!("{page}: minor accessibility findings: {violations:?}");
        }
    }
}
