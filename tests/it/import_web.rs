//! Bulk import through the web (`/import`: upload → preview → confirm) and the command line
//! (`vardkatalog import FILE.xlsx --dry-run`): roles, CSRF, the preview, and errors that name
//! sheet, row and column while nothing is written.

use vardkatalog::accounts::Role;

use crate::ingest::register_workbook;
use crate::support::{Browser, client, signed_in, start_server, temp_config};

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
    let res =
        anna.post_multipart("/import?lang=en", &[("csrf", &csrf)], ("fil", "testregistret.xlsx", &register_workbook("Heltall", "1997")));
    let html = res.text().unwrap();
    assert!(html.contains("sheet &#39;Metadata - Variabelnivå&#39;, row 2, column &#39;DATATYP (H)&#39;"), "{html}");

    // a good workbook: what is created, and a confirmation form
    let res =
        anna.post_multipart("/import?lang=sv", &[("csrf", &csrf)], ("fil", "testregistret.xlsx", &register_workbook("Heltal", "1997")));
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

    // saving needs an account of a redaktör or higher
    let out = run(&["import", good.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--user"));
    let mut add = std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"))
        .env("VARDKATALOG_DATA_DIR", dir)
        .env("VARDKATALOG_BASE_IRI", "https://katalog.example.se/")
        .env_remove("VARDKATALOG_CONFIG")
        .current_dir(dir)
        .args(["user", "add", "anna", "--role", "redaktor", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    add.stdin.take().unwrap().write_all(b"ett langt testlosenord\n").unwrap();
    assert!(add.wait().unwrap().success());
    let out = run(&["import", good.to_str().unwrap(), "--user", "anna", "--message", "Testregistret"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("poster sparades som utkast"), "{text}");
    // drafts: still not public, and a second preview sees them as the current records
    let nt = String::from_utf8(run(&["export", "--format", "nt"]).stdout).unwrap();
    assert!(!nt.contains("variable/testregistret-kon"));
    let out = run(&["import", good.to_str().unwrap(), "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("0 nya, 0 ändrade,"), "{text}");
}

/// The value of a hidden field in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name}")) + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// A workbook that changes the label of an existing variable (par-hdia) and adds one.
fn change_workbook() -> Vec<u8> {
    crate::ingest::book(&[(
        "Metadata - Variabelnivå",
        vec![
            vec!["Deldatamängdsnamn", "Variabelnamn", "Variabeletikett", "Identifierare"],
            vec!["patientregistret-sluten-vard", "HDIA", "Huvuddiagnos enligt ICD-10-SE", "par-hdia"],
            vec!["patientregistret-sluten-vard", "NYVAR", "En ny variabel", "par-nyvar"],
        ],
    )])
}

#[test]
fn confirming_saves_drafts_that_stay_invisible_until_published() {
    use oxigraph::model::NamedNode;
    use vardkatalog::curation::{Actor, Curation};
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let csrf = anna.csrf();
    let res = anna.post_multipart("/import", &[("csrf", &csrf)], ("fil", "andring.xlsx", &change_workbook()));
    assert_eq!(res.status(), 200);
    let html = res.text().unwrap();
    assert!(html.contains("Ändras") && html.contains("etikett (svenska)"), "{html}");
    let token = hidden(&html, "token");
    let fingerprint = hidden(&html, "fingeravtryck");
    let before = server.catalogue.store().len().unwrap();

    // without the form token, or by someone else: nothing is saved
    assert_eq!(anna.post_form("/import/bekrafta", &[("csrf", "fel"), ("token", &token), ("fingeravtryck", &fingerprint)]).status(), 403);
    let bo = signed_in(&server, "bo", Role::Redaktor);
    let bo_csrf = bo.csrf();
    assert_eq!(bo.post_form("/import/bekrafta", &[("csrf", &bo_csrf), ("token", &token), ("fingeravtryck", &fingerprint)]).status(), 410);

    let res = anna.post_form(
        "/import/bekrafta",
        &[("csrf", &csrf), ("token", &token), ("fingeravtryck", &fingerprint), ("meddelande", "Etiketter från arbetsboken")],
    );
    assert_eq!(res.status(), 303);
    // the result names the drafts saved (for the bulk step), by their revision ids
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/import?klart=2&"), "{location}");
    assert!(anna.get("/import?klart=2").text().unwrap().contains("2 poster sparades som utkast"));
    // the token is spent
    assert_eq!(anna.post_form("/import/bekrafta", &[("csrf", &csrf), ("token", &token), ("fingeravtryck", &fingerprint)]).status(), 410);

    // drafts beside the published records: the public sees the old label and no new variable
    assert_eq!(server.catalogue.store().len().unwrap(), before, "drafts are not written to the public store");
    let page = client().get(server.url("/variable/par-hdia")).send().unwrap().text().unwrap();
    assert!(!page.contains("Huvuddiagnos enligt ICD-10-SE"));
    assert_eq!(client().get(server.url("/variable/par-nyvar")).send().unwrap().status(), 404);
    let curation = Curation::new(server.catalogue.clone(), server.state.clone());
    let hdia = NamedNode::new(format!("{}variable/par-hdia", crate::support::BASE)).unwrap();
    let (draft_rev, draft) = curation.draft(&hdia).unwrap().expect("a draft of par-hdia");
    assert_eq!(draft.label().get("sv"), Some("Huvuddiagnos enligt ICD-10-SE"));
    assert_eq!((draft_rev.author.as_str(), draft_rev.message.as_str()), ("anna", "Etiketter från arbetsboken"));

    // a reviewer publishes it with a change note: the feed shows the change and its note
    let granskare = Actor { user: "greta".into(), role: Role::Granskare };
    curation.submit(&Actor { user: "anna".into(), role: Role::Redaktor }, &hdia, "Klar").unwrap();
    curation.publish(&granskare, &hdia, "Etiketten följer ICD-10-SE").unwrap();
    let feed = client().get(server.url("/feed.atom")).send().unwrap().text().unwrap();
    let first = &feed[feed.find("<entry>").unwrap()..feed.find("</entry>").unwrap()];
    assert!(first.contains("variable/par-hdia#version-"), "{first}");
    assert!(
        first.contains("<summary xml:lang=\"sv\">Etiketten följer ICD-10-SE</summary>")
            || first.contains("<summary>Etiketten följer ICD-10-SE</summary>"),
        "{first}"
    );
    let page = client().get(server.url("/variable/par-hdia")).send().unwrap().text().unwrap();
    assert!(page.contains("Huvuddiagnos enligt ICD-10-SE"));
}

#[test]
fn a_confirmation_after_the_catalogue_changed_shows_the_new_preview() {
    use oxigraph::model::NamedNode;
    use vardkatalog::curation::{Actor, Curation};
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let csrf = anna.csrf();
    let html = anna.post_multipart("/import", &[("csrf", &csrf)], ("fil", "andring.xlsx", &change_workbook())).text().unwrap();
    let (token, fingerprint) = (hidden(&html, "token"), hidden(&html, "fingeravtryck"));
    // someone saves a draft of par-hdia in between
    let curation = Curation::new(server.catalogue.clone(), server.state.clone());
    let hdia = NamedNode::new(format!("{}variable/par-hdia", crate::support::BASE)).unwrap();
    let (_, mut r) = curation.current(&hdia).unwrap().unwrap();
    if let vardkatalog::model::Resource::Variable(v) = &mut r {
        v.definition.set("sv", "En ny definition");
    }
    curation.save_draft(&Actor { user: "bo".into(), role: Role::Redaktor }, r, None, "Definition").unwrap();
    let res = anna.post_form("/import/bekrafta", &[("csrf", &csrf), ("token", &token), ("fingeravtryck", &fingerprint)]);
    assert_eq!(res.status(), 409);
    let html = res.text().unwrap();
    assert!(html.contains("Katalogen har ändrats sedan förhandsgranskningen"));
    // the new preview builds on bo's draft, and can be confirmed
    let new_fingerprint = hidden(&html, "fingeravtryck");
    assert_ne!(new_fingerprint, fingerprint);
    let res =
        anna.post_form("/import/bekrafta", &[("csrf", &csrf), ("token", &hidden(&html, "token")), ("fingeravtryck", &new_fingerprint)]);
    assert_eq!(res.status(), 303);
    let (_, draft) = curation.draft(&hdia).unwrap().unwrap();
    let vardkatalog::model::Resource::Variable(v) = draft else { panic!() };
    assert_eq!(v.definition.get("sv"), Some("En ny definition"), "the import kept bo's definition");
    assert_eq!(v.label.get("sv"), Some("Huvuddiagnos enligt ICD-10-SE"));
}

#[test]
fn granskare_and_admin_may_import_too() {
    let server = start_server();
    for (name, role) in [("gun", Role::Granskare), ("ada", Role::Admin)] {
        let b = signed_in(&server, name, role);
        assert_eq!(b.get("/import").status(), 200, "{name}");
        let csrf = b.csrf();
        let res = b.post_multipart("/import", &[("csrf", &csrf)], ("fil", "andring.xlsx", &change_workbook()));
        assert_eq!(res.status(), 200, "{name}");
    }
}
