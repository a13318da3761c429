//! Bulk import through the web (`/import`: upload → preview → confirm) and the command line
//! (`vardkatalog import FILE.xlsx --dry-run`): roles, CSRF, the preview, and errors that name
//! sheet, row and column while nothing is written.

use vardkatalog::state::users::Role;

use crate::ingest::register_workbook;
use crate::support::{client, signed_in, start_server, temp_config, Browser};

#[test]
fn import_needs_a_redaktor_and_the_form_token() {
    let server = start_server();
    // anonymous: to the sign-in page, for the form and for a post
    let res = client().get(server.url("/import")).send().unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next=%2Fimport"));
    let anon = Browser::new(&server);
    let csrf = anon.csrf();
    let res = anon.post_multipart("/import", &[("csrf", &csrf)], ("fil", "a.xlsx", &register_workbook("Heltal", "1997")));
    assert_eq!(res.status(), 303);

    let anna = signed_in(&server, "anna", Role::Redaktor);
    let page = anna.get("/import");
    assert_eq!(page.status(), 200);
    let html = page.text().unwrap();
    assert!(html.contains(r#"enctype="multipart/form-data""#) && html.contains(r#"name="csrf""#));
    // without this browser's token: refused
    let res = anna.post_multipart("/import", &[("csrf", "fel")], ("fil", "a.xlsx", &register_workbook("Heltal", "1997")));
    assert_eq!(res.status(), 403);
}

#[test]
fn preview_lists_what_would_change_and_writes_nothing() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let csrf = anna.csrf();
    let before = server.catalogue.store().len().unwrap();

    // errors: named by sheet, row and column; no confirmation offered
    let res = anna.post_multipart("/import", &[("csrf", &csrf)], ("fil", "testregistret.xlsx", &register_workbook("Heltall", "1997")));
    assert_eq!(res.status(), 422);
    let html = res.text().unwrap();
    assert!(html.contains("blad &#39;Metadata - Variabelnivå&#39;, rad 2, kolumn &#39;DATATYP (H)&#39;"), "{html}");
    assert!(html.contains("Okänd datatyp"));
    assert!(!html.contains("/import/bekrafta"), "no confirmation while there are errors");

    // in English
    let res = anna.post_multipart("/import?lang=en", &[("csrf", &csrf)], ("fil", "testregistret.xlsx", &register_workbook("Heltall", "1997")));
    let html = res.text().unwrap();
    assert!(html.contains("sheet &#39;Metadata - Variabelnivå&#39;, row 2, column &#39;DATATYP (H)&#39;"), "{html}");

    // a good workbook: what is created, and a confirmation form
    let res = anna.post_multipart("/import?lang=sv", &[("csrf", &csrf)], ("fil", "testregistret.xlsx", &register_workbook("Heltal", "1997")));
    assert_eq!(res.status(), 200);
    let html = res.text().unwrap();
    assert!(html.contains("Skapas"), "{html}");
    assert!(html.contains("Testregistret (testregistret)"));
    assert!(html.contains("Kön (testregistret-kon)"));
    assert!(html.contains("0 oförändrade; 0 fel"));
    assert!(html.contains(r#"action="/import/bekrafta""#) && html.contains(r#"name="token""#));
    assert_eq!(server.catalogue.store().len().unwrap(), before, "a preview writes nothing");

    // a file of another kind is refused with a message
    let res = anna.post_multipart("/import", &[("csrf", &csrf)], ("fil", "lista.pdf", b"%PDF"));
    assert_eq!(res.status(), 422);
    assert!(res.text().unwrap().contains("lista.pdf"));
}

#[test]
fn command_line_dry_run_prints_the_preview() {
    let (dir, _) = temp_config();
    let dir = dir.path();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
            .env("VARDKATALOG_DATA_DIR", dir)
            .env("VARDKATALOG_BASE_IRI", "https://katalog.example.se/")
            .env_remove("VARDKATALOG_CONFIG")
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["export", "--format", "nt"]).status.success(), "seeds the directory");
    let good = dir.join("testregistret.xlsx");
    std::fs::write(&good, register_workbook("Heltal", "1997")).unwrap();
    let out = run(&["import", good.to_str().unwrap(), "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("ny: variabel testregistret-kon (Metadata - Variabelnivå, rad 2)"), "{text}");
    assert!(text.contains("Provkörning: inget skrevs."));

    let bad = dir.join("trasig.xlsx");
    std::fs::write(&bad, register_workbook("Heltall", "1997")).unwrap();
    let out = run(&["import", bad.to_str().unwrap(), "--dry-run", "--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("error: sheet 'Metadata - Variabelnivå', row 2, column 'DATATYP (H)': Unknown data type 'Heltall'"), "{text}");

    // the catalogue did not change: the variable is not there
    let nt = String::from_utf8(run(&["export", "--format", "nt"]).stdout).unwrap();
    assert!(!nt.contains("variable/testregistret-kon"));
}
