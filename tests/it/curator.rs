//! The competence centre's way of working (issue 19, items 2–4), through a real server: the
//! editing menu and breadcrumbs, the import guide as a page and the template workbook, drafts
//! sent to review and published in bulk (all or nothing, every refused record named), and the
//! pre-publish check that keeps a record from being published while a record it links to is a
//! draft.

use reqwest::StatusCode;
use vardkatalog::accounts::Role;

use crate::support::{Browser, TestServer, client, signed_in, start_server};

fn text(res: reqwest::blocking::Response) -> String {
    res.text().unwrap().replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&").replace("&#x2f;", "/")
}

fn public_status(s: &TestServer, path: &str) -> StatusCode {
    client().get(s.url(path)).send().unwrap().status()
}

/// Downloads the template workbook.
fn template(b: &Browser) -> Vec<u8> {
    let res = b.get("/import/mall.xlsx");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    res.bytes().unwrap().to_vec()
}

/// Imports `bytes` as `editor` (preview, then confirm) and returns the result page's path.
fn import(s: &TestServer, editor: &Browser, bytes: &[u8]) -> String {
    let _ = s;
    let csrf = editor.csrf();
    let res = editor.post_multipart("/import", &[("csrf", &csrf)], ("fil", "mall.xlsx", bytes));
    let status = res.status();
    let html = text(res);
    assert_eq!(status, StatusCode::OK, "{html}");
    let fields = crate::curation::form_fields(&html, "/import/bekrafta");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = editor.post_form("/import/bekrafta", &pairs);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// The values of the ticked checkboxes named `post` on a page.
fn ticked(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"<input type="checkbox" name="post" value="([^"]*)" id="[^"]*" checked>"#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_owned()).collect()
}

fn bulk(b: &Browser, action: &str, iris: &[String], note: &str) -> reqwest::blocking::Response {
    let csrf = b.csrf();
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf), ("atgard", action), ("andringsnotering", note)];
    form.extend(iris.iter().map(|i| ("post", i.as_str())));
    b.post_form("/arbete/flera", &form)
}

#[test]
fn the_editing_menu_and_breadcrumbs_work_without_javascript() {
    let s = start_server();
    let anon = client().get(s.url("/variable/par-hdia")).send().unwrap().text().unwrap();
    assert!(!anon.contains("Redaktion"), "no editing menu for the public");
    assert!(
        anon.contains(r#"<nav aria-label="Du är här" class="crumbs"><ol><li><a href="/">Start</a></li><li><a href="/variable">Variabler</a></li><li><span aria-current="page">"#),
        "breadcrumbs from the home page down: {}",
        &anon[anon.find("<main").unwrap()..][..600]
    );
    let editor = signed_in(&s, "redaktor-anna", Role::Redaktor);
    let page = text(editor.get("/arbete"));
    assert!(page.contains(r#"<details class="curator-menu"><summary>Redaktion</summary><nav aria-label="Redaktionens meny">"#));
    for href in ["/variable/ny", "/dataset/ny", "/codelist/ny", "/usecase/ny", "/import", "/import/guide", "/kvalitet"] {
        assert!(page.contains(&format!(r#"<a href="{href}">"#)), "the menu links {href}");
    }
    assert!(page.contains(r#"<a href="/arbete" aria-current="page">Arbetslista</a>"#), "the page one is on is marked");
    for admin_only in ["/admin/hamtning", "/admin/anvandare", "/admin/logg"] {
        assert!(!page.contains(&format!(r#"href="{admin_only}""#)), "an editor is not offered {admin_only}");
    }
    let admin = signed_in(&s, "admin-bo", Role::Admin);
    let page = text(admin.get("/variable/par-hdia/historik?lang=en"));
    assert!(page.contains("<summary>Editing</summary>"));
    for href in ["/admin/hamtning", "/admin/anvandare", "/admin/logg"] {
        assert!(page.contains(&format!(r#"<a href="{href}">"#)), "the admin's menu links {href}");
    }
    assert!(page.contains(
        r#"<nav aria-label="You are here" class="crumbs"><ol><li><a href="/">Home</a></li><li><a href="/variable">Variables</a></li>"#
    ));
    let run = text(admin.get("/admin/hamtning"));
    assert!(run.contains(r#"<li><a href="/">Home</a></li><li><span aria-current="page">"#), "one level down (English remembered)");
}

#[test]
fn the_import_guide_is_a_page_and_the_template_imports_back_without_a_problem() {
    let s = start_server();
    let guide = client().get(s.url("/import/guide")).send().unwrap();
    assert_eq!(guide.status(), StatusCode::OK);
    let guide = text(guide);
    assert!(guide.contains("<h1>Importguide</h1>") && guide.contains(r#"<div class="guide" lang="en">"#));
    assert!(guide.contains("<h3><code>Metadata - Variabelnivå</code>: variables") && guide.contains("<td><code>Variabelnamn</code></td>"));
    let editor = signed_in(&s, "redaktor-anna", Role::Redaktor);
    let page = text(editor.get("/import"));
    assert!(!page.contains("docs/import.md"), "no path that is a 404 on the site");
    assert!(page.contains(r#"<a href="/import/guide">importguiden</a>"#) && page.contains(r#"<a href="/import/mall.xlsx" download>"#));

    // the template's headers are what the importer reads: no problem at all, the example created
    let bytes = template(&editor);
    let options = vardkatalog::ingest::Options::new(s.catalogue.minter().clone());
    let batch = vardkatalog::ingest::read_file("mall.xlsx", &bytes, None, &options).unwrap();
    assert!(batch.problems.is_empty(), "{:?}", batch.problems.iter().map(|p| p.describe("sv")).collect::<Vec<_>>());
    let csrf = editor.csrf();
    let res = editor.post_multipart("/import", &[("csrf", &csrf)], ("fil", "mall.xlsx", &bytes));
    assert_eq!(res.status(), StatusCode::OK);
    let html = text(res);
    assert!(html.contains("7 nya, 0 ändrade, 0 oförändrade; 0 fel, 0 varningar"), "{}", &html[html.find("<main").unwrap()..]);
    let mut headers = calamine_headers(&bytes);
    headers.retain(|h| h != "Presentationsordning");
    let known: Vec<String> = vardkatalog::ingest::tabular::Mapping::workbook()
        .columns
        .values()
        .flatten()
        .map(|h| vardkatalog::ingest::cells::normalise(h))
        .collect();
    for h in headers {
        assert!(known.contains(&vardkatalog::ingest::cells::normalise(&h)), "the variable sheet's header {h} is one the importer reads");
    }
}

/// The header row of the template's variable sheet.
fn calamine_headers(bytes: &[u8]) -> Vec<String> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("Metadata - Variabelnivå").unwrap();
    range.rows().next().unwrap().iter().map(|c| c.to_string()).collect()
}

#[test]
fn an_import_goes_to_review_and_is_published_in_one_bulk_action_all_or_nothing() {
    let s = start_server();
    let editor = signed_in(&s, "redaktor-anna", Role::Redaktor);
    let reviewer = signed_in(&s, "granskare-bo", Role::Granskare);
    let done = import(&s, &editor, &template(&editor));
    assert!(done.starts_with("/import?klart=7&fran="), "{done}");
    let result = text(editor.get(&done));
    let chosen = ticked(&result);
    assert_eq!(chosen.len(), 7, "the import's drafts are listed, ticked: {result}");
    assert!(result.contains(r#"<button type="submit" name="atgard" value="skicka">Skicka till granskning</button>"#));
    assert!(!result.contains(r#"value="publicera""#), "an editor is not offered publishing");

    // CSRF and role are checked before anything changes
    let res = editor.post_form("/arbete/flera", &[("csrf", "fel"), ("atgard", "skicka"), ("post", &chosen[0])]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(bulk(&editor, "publicera", &chosen, "x").status(), StatusCode::FORBIDDEN, "an editor does not publish");

    // sent to review together
    let res = bulk(&editor, "skicka", &chosen, "");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/arbete?skickade=7");
    let work = text(reviewer.get("/arbete"));
    assert!(work.contains("Väntar på granskning (7)"), "{work}");
    assert!(work.contains(r#"value="publicera""#));

    // a variable alone: refused, its dataset and code list named, nothing published
    let variable = chosen.iter().find(|i| i.ends_with("/variable/exempelregistret-kon")).unwrap().clone();
    let age = chosen.iter().find(|i| i.ends_with("/variable/exempelregistret-alder")).unwrap().clone();
    let res = bulk(&reviewer, "publicera", &[variable.clone(), age.clone()], "Första versionen");
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = text(res);
    assert!(page.contains("Inget ändrades: 2 av de valda posterna kunde inte ta det här steget."), "{page}");
    assert!(page.contains("”Kön”: Posten länkar till poster som inte är publicerade"), "the refused record is named");
    assert!(page.contains("datamängd ”Exempelregistret” (granskning)") && page.contains("kodlista ”Kön” (granskning)"), "{page}");
    assert!(page.contains("”Ålder”:"), "every refused record is named");
    assert_eq!(ticked(&page).len(), 2, "the choice is kept");
    assert_eq!(public_status(&s, "/variable/exempelregistret-alder"), StatusCode::NOT_FOUND, "all or nothing");
    assert!(text(reviewer.get("/arbete")).contains("Väntar på granskning (7)"));

    // without a change note: refused
    assert_eq!(bulk(&reviewer, "publicera", &chosen, " ").status(), StatusCode::BAD_REQUEST);

    // all of them together: published in one step
    let generation = s.catalogue.store().generation().unwrap();
    let res = bulk(&reviewer, "publicera", &chosen, "Första versionen");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", text(res));
    assert_eq!(s.catalogue.store().generation().unwrap(), generation + 1, "one store commit");
    let work = text(reviewer.get("/arbete?publicerade=7"));
    assert!(work.contains("7 poster publicerade.") && work.contains("Väntar på granskning (0)"));
    for path in [
        "/variable/exempelregistret-kon",
        "/variable/exempelregistret-alder",
        "/dataset/exempelregistret",
        "/codelist/exempelregistret-kon",
    ] {
        assert_eq!(public_status(&s, path), StatusCode::OK, "{path} is public");
    }
    let public = client().get(s.url("/variable/exempelregistret-kon")).send().unwrap().text().unwrap();
    assert!(public.contains(r#"href="/dataset/exempelregistret""#), "{}", &public[public.find("<main").unwrap()..]);
}

#[test]
fn a_publish_is_refused_while_a_linked_record_is_a_draft_and_the_draft_page_says_so() {
    let s = start_server();
    let editor = signed_in(&s, "redaktor-anna", Role::Redaktor);
    let reviewer = signed_in(&s, "granskare-bo", Role::Granskare);
    let done = import(&s, &editor, &template(&editor));
    let chosen = ticked(&text(editor.get(&done)));
    assert_eq!(bulk(&editor, "skicka", &chosen, "").status(), StatusCode::SEE_OTHER);

    let draft = text(reviewer.get("/variable/exempelregistret-alder/utkast"));
    assert!(draft.contains("Kontroll före publicering") && draft.contains("datamängd ”Exempelregistret” (granskning)"), "{draft}");
    assert!(draft.contains("Posten är ny"), "no published version to compare with");

    // the single publish goes through the same rule
    let csrf = reviewer.csrf();
    let res = reviewer.post_form("/variable/exempelregistret-alder/publicera", &[("csrf", &csrf), ("andringsnotering", "Ny")]);
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = text(res);
    assert!(page.contains("Posten länkar till poster som inte är publicerade och som inte publiceras i samma steg: datamängd ”Exempelregistret” (granskning)"), "{page}");
    assert_eq!(public_status(&s, "/variable/exempelregistret-alder"), StatusCode::NOT_FOUND, "the catalogue is unchanged");
    let en =
        text(reviewer.post_form("/variable/exempelregistret-alder/publicera?lang=en", &[("csrf", &csrf), ("andringsnotering", "New")]));
    assert!(
        en.contains("The record links to records that are not published") && en.contains("dataset “Example register” (in review)"),
        "{en}"
    );

    // the dataset first, then the variable alone: accepted
    let dataset = chosen.iter().find(|i| i.ends_with("/dataset/exempelregistret")).unwrap().clone();
    assert_eq!(bulk(&reviewer, "publicera", &[dataset], "Ny").status(), StatusCode::SEE_OTHER);
    let draft = text(reviewer.get("/variable/exempelregistret-alder/utkast?lang=sv"));
    assert!(draft.contains("Alla länkar går till publicerade poster"), "{draft}");
    let res = reviewer.post_form("/variable/exempelregistret-alder/publicera", &[("csrf", &csrf), ("andringsnotering", "Ny")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(public_status(&s, "/variable/exempelregistret-alder"), StatusCode::OK);
}

#[test]
fn the_draft_page_shows_what_changed_and_the_history_compares_with_the_published_version() {
    let s = start_server();
    let editor = signed_in(&s, "redaktor-anna", Role::Redaktor);
    let path = "/variable/par-hdia/redigera";
    let html = editor.get(path).text().unwrap();
    let mut fields = crate::curation::form_fields(&html, path);
    fields.retain(|(k, _)| k != "definition_sv");
    fields.push(("definition_sv".into(), "Den diagnos som främst föranlett vårdtillfället".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(editor.post_form(path, &pairs).status(), StatusCode::SEE_OTHER);
    let csrf = editor.csrf();
    assert_eq!(editor.post_form("/variable/par-hdia/skicka", &[("csrf", &csrf)]).status(), StatusCode::SEE_OTHER);

    let draft = text(editor.get("/variable/par-hdia/utkast"));
    assert!(draft.contains("Ändringar mot den publicerade versionen"), "{draft}");
    // one list of the changes, each with its class (the reviewer sees the same list)
    assert!(draft.contains(r#"<span class="impact impact-kosmetisk">Kosmetisk</span> Definition (sv) ändrad från"#), "{draft}");
    assert_eq!(draft.matches("Definition (sv) ändrad från").count(), 1, "{draft}");
    assert!(draft.contains("till ”Den diagnos som främst föranlett vårdtillfället”"));
    assert!(draft.contains("Alla länkar går till publicerade poster"));

    // the latest revision is the "sent for review" step: the history still shows the change
    let history = text(editor.get("/variable/par-hdia/historik"));
    assert!(!history.contains("Inga skillnader"), "{history}");
    assert!(history.contains("Definition (sv) ändrad från"), "{history}");
}
