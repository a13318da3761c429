//! Collecting without friction and lists that travel, through a real server: adding and
//! removing answer the page's script in JSON (no reload) and still redirect a plain form;
//! "add all" on a register's table; the count in the menu; the exports for Swedish Excel; a
//! list opened from its link without a cookie or an account; saved lists of signed-in people
//! with a note per variable and what changed since; the data request per register holder.

use reqwest::StatusCode;
use vardkatalog::accounts::Role;
use vardkatalog::curation::{Actor, Curation};

use crate::support::{BASE, Browser, client, shared_server, signed_in, start_server};

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
    html[at..at + 64].to_owned()
}

fn variable(id: &str) -> String {
    format!("{BASE}variable/{id}")
}

const JSON: (&str, &str) = ("accept", "application/json");

fn json(res: reqwest::blocking::Response) -> (StatusCode, serde_json::Value) {
    let status = res.status();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{status}");
    (status, serde_json::from_str(&res.text().unwrap()).unwrap())
}

/// The count the menu shows.
fn menu_count(html: &str) -> usize {
    let re = regex::Regex::new(r#"<span class="listcount" data-list-count>(\d+)</span>"#).unwrap();
    re.captures(html).unwrap_or_else(|| panic!("no count in the menu")).get(1).unwrap().as_str().parse().unwrap()
}

/// `static/list.js` sends the same forms asking for JSON: the answer says what happened (in
/// the page's language), the list's count and whether the variable is in it, and sets the
/// cookie; the page is not reloaded. A plain form post still gets its redirect.
#[test]
fn adding_and_removing_answer_the_script_without_a_reload() {
    let s = shared_server();
    let b = Browser::new(s);
    let page = b.get("/sok?q=huvuddiagnos").text().unwrap();
    assert_eq!(menu_count(&page), 0);
    let csrf = csrf_of(&page);
    // the hit's form carries what the script needs to turn it into "remove"
    assert!(
        page.contains(r#"data-list="add" data-words="Lägg till i variabellistan|I din variabellista|Ta bort" data-name="Huvuddiagnos""#)
    );
    assert!(page.contains(r#"<li id="v-par-hdia">"#), "the hit is an anchor: a plain post returns to it");
    assert!(page.contains(r#"name="tillbaka" value="/sok?q=huvuddiagnos#v-par-hdia""#));

    let (status, a) = json(b.post_form_with(
        "/variabellista/lagg-till",
        &[("csrf", &csrf), ("variabel", &variable("par-hdia")), ("tillbaka", "/sok?q=huvuddiagnos#v-par-hdia")],
        &[JSON],
    ));
    assert_eq!(status, StatusCode::OK);
    assert_eq!((a["ok"].as_bool(), a["in_list"].as_bool(), a["count"].as_u64()), (Some(true), Some(true), Some(1)));
    assert_eq!(a["message"], "”Huvuddiagnos” finns nu i din variabellista (1 variabel).");
    let (_, a) = json(b.post_form_with("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &variable("lmed-atc"))], &[JSON]));
    assert_eq!(a["count"], 2);
    // the cookie came with the answer: the next page knows
    let page = b.get("/sok?q=huvuddiagnos").text().unwrap();
    assert_eq!(menu_count(&page), 2);
    assert!(page.contains(r#"data-list="remove""#), "the hit now offers removal");
    let (_, a) = json(b.post_form_with("/variabellista/ta-bort", &[("csrf", &csrf), ("variabel", &variable("lmed-atc"))], &[JSON]));
    assert_eq!((a["in_list"].as_bool(), a["count"].as_u64()), (Some(false), Some(1)));
    assert!(a["message"].as_str().unwrap().contains("borttagen"), "{a}");
    // in English
    let (_, a) =
        json(b.post_form_with("/variabellista/lagg-till?lang=en", &[("csrf", &csrf), ("variabel", &variable("par-indatum"))], &[JSON]));
    assert_eq!(a["message"], "“Admission date” is now in your variable list (2 variables).");
    // a plain form post: the redirect to the hit
    let res = b.post_form(
        "/variabellista/ta-bort",
        &[("csrf", &csrf), ("variabel", &variable("par-indatum")), ("tillbaka", "/sok?q=huvuddiagnos#v-par-hdia")],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/sok?q=huvuddiagnos#v-par-hdia");
    // the token is checked either way, and nothing changes without it
    let res = b.post_form_with("/variabellista/lagg-till", &[("csrf", &"x".repeat(64)), ("variabel", &variable("par-ar"))], &[JSON]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(menu_count(&b.get("/").text().unwrap()), 1);
}

/// A register's variable table on its page has a button per variable and one that adds them
/// all: all of them, once each, without a reload from the script.
#[test]
fn a_register_is_added_whole_from_its_table() {
    let s = shared_server();
    let b = Browser::new(s);
    let page = b.get("/dataset/patientregistret-sluten-vard").text().unwrap();
    let csrf = csrf_of(&page);
    let n = page.matches(r#"data-list="add""#).count();
    assert!(n >= 60, "a button per variable: {n}");
    assert!(page.contains(&format!("Lägg till alla {n} i variabellistan")), "and one for all");
    assert!(page.contains(r#"<tr id="v-par-hdia">"#));
    // one already in the list
    b.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &variable("par-hdia"))]);
    let dataset = format!("{BASE}dataset/patientregistret-sluten-vard");
    let (status, a) = json(b.post_form_with(
        "/variabellista/lagg-till-alla",
        &[("csrf", &csrf), ("datamangd", &dataset), ("tillbaka", "/dataset/patientregistret-sluten-vard#variabler")],
        &[JSON],
    ));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a["count"].as_u64(), Some(n as u64));
    assert_eq!(a["added_iris"].as_array().unwrap().len(), n - 1);
    assert_eq!(a["present_iris"].as_array().unwrap().len(), 1);
    assert_eq!(a["message"], format!("{} variabler lades till i din variabellista ({n} variabler).", n - 1));
    let page = b.get("/dataset/patientregistret-sluten-vard").text().unwrap();
    assert_eq!(page.matches(r#"data-list="add""#).count(), 0, "every row now offers removal");
    assert_eq!(menu_count(&page), n);
    // again: nothing added twice
    let res = b.post_form(
        "/variabellista/lagg-till-alla",
        &[("csrf", &csrf), ("datamangd", &dataset), ("tillbaka", "/dataset/patientregistret-sluten-vard#variabler")],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/dataset/patientregistret-sluten-vard#variabler");
    assert_eq!(menu_count(&b.get("/").text().unwrap()), n);
    // not a register
    let res = b.post_form("/variabellista/lagg-till-alla", &[("csrf", &csrf), ("datamangd", &variable("par-hdia"))]);
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The exports open in Swedish Excel: semicolons, UTF-8 with a byte-order mark, and the
/// columns a data request needs (data type, code list, coverage, the researcher's purpose);
/// the workbook has the same columns.
#[test]
fn the_list_downloads_for_swedish_excel() {
    let s = shared_server();
    let b = Browser::new(s);
    let csrf = csrf_of(&b.get("/variable/lmed-atc").text().unwrap());
    for v in ["lmed-atc", "bef-kon", "par-indatum"] {
        b.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &variable(v))]);
    }
    let res = b.get("/variabellista.csv");
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8; header=present");
    let bytes = res.bytes().unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with(
            r#""Registerhållare";"Register";"Variabel";"Tekniskt namn";"Definition";"Datatyp";"Kodlista";"Tidstäckning";"Syfte"#
        ),
        "{header}"
    );
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kon = rows.iter().find(|r| &r[3] == "Kon").expect("Kon");
    assert_eq!((&kon[5], &kon[6]), ("Sträng (text)", "Kön"), "data type in words and the code list: {kon:?}");
    let indatum = rows.iter().find(|r| &r[3] == "INDATUM").expect("INDATUM");
    assert_eq!(&indatum[5], "Datum");
    assert!(!indatum[7].is_empty(), "coverage: {indatum:?}");
    assert_eq!(&indatum[9], "1", "the version");

    let xlsx = b.get("/variabellista.xlsx").bytes().unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    use calamine::Reader as _;
    let range = book.worksheet_range("Variabellista").unwrap();
    let head: Vec<String> = (0..11).map(|c| range.get_value((0, c)).unwrap().to_string()).collect();
    assert_eq!(head[6], "Kodlista");
    assert_eq!(head[8], "Syfte (varför variabeln behövs)");
    assert_eq!(range.height(), rows.len() + 1);
}

/// A list travels by its link: `/variabellista?v=…` shows the same variables in a browser that
/// has no list and no account, downloads them, makes a data request of them and can add them
/// to that browser's own list. The list page shows its link.
#[test]
fn a_list_travels_by_its_link() {
    let s = shared_server();
    let mine = Browser::new(s);
    let csrf = csrf_of(&mine.get("/variable/par-hdia").text().unwrap());
    for v in ["par-hdia", "lmed-atc"] {
        mine.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &variable(v))]);
    }
    let page = mine.get("/variabellista").text().unwrap();
    let at = page.find("id=\"share-url\"").unwrap();
    assert!(
        page.contains("https://katalog.example.se/variabellista?v=par-hdia&#38;v=lmed-atc"),
        "the link to share: {}",
        &page[at..at + 160]
    );

    // a colleague's browser: no cookie, no account
    let body = client().get(s.url("/variabellista?v=par-hdia&v=lmed-atc")).send().unwrap().text().unwrap();
    assert!(!body.contains("Din lista är tom"), "the list is not empty for a colleague");
    assert!(body.contains("<h1>Delad variabellista</h1>"));
    assert!(body.contains("Huvuddiagnos") && body.contains("Läkemedelsregistret") && body.contains("Socialstyrelsen"));
    assert!(!body.contains(r#"action="/variabellista/ta-bort""#), "nothing to remove from someone else's list");
    let csv = client().get(s.url("/variabellista.csv?v=par-hdia&v=lmed-atc")).send().unwrap().text().unwrap();
    assert!(csv.contains("HDIA") && csv.contains("ATC"));
    // a variable of another catalogue or a draft is not listed; junk is ignored
    let body = client().get(s.url("/variabellista?v=finns-inte&v=par-hdia&v=%3Cscript%3E")).send().unwrap().text().unwrap();
    assert!(body.contains("Huvuddiagnos") && !body.contains("<script>"));
    // the colleague takes it into an own list
    let colleague = Browser::new(s);
    let page = colleague.get("/variabellista?v=par-hdia&v=lmed-atc").text().unwrap();
    let res = colleague.post_form(
        "/variabellista/lagg-till-alla",
        &[("csrf", &csrf_of(&page)), ("v", &variable("par-hdia")), ("v", &variable("lmed-atc"))],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(colleague.get("/variabellista").text().unwrap().contains("<span data-list-count>2</span> variabler"));
}

/// A list turned into a data request: one part per register holder with the holder's contact
/// from the catalogue, where its registers are ordered, the fields a request form asks for,
/// and the variables with their versions; a CSV per holder.
#[test]
fn a_list_becomes_a_data_request_per_register_holder() {
    let s = shared_server();
    let q = "v=par-hdia&v=lmed-atc&v=bef-kon";
    let page = client().get(s.url(&format!("/variabellista/ansokan?{q}"))).send().unwrap().text().unwrap();
    assert!(page.contains("<h1>Ansökan om data</h1>"));
    assert!(page.contains(r#"<h2 id="del-socialstyrelsen">Socialstyrelsen</h2>"#), "a part per holder");
    assert!(page.contains(r#"<h2 id="del-scb">"#), "SCB's part");
    assert!(page.contains("mailto:socialstyrelsen@socialstyrelsen.se"), "the holder's contact from the catalogue");
    assert!(page.contains("bestallaindividuppgifterforforskningsandamal"), "where Socialstyrelsen's registers are ordered");
    assert!(page.contains("Etikprövningsmyndighetens beslut") && page.contains("Rättslig grund"), "the request form's fields");
    assert!(page.contains(r#"<td data-label="Version">1</td>"#), "the versions");
    let res = client().get(s.url(&format!("/variabellista/ansokan/socialstyrelsen.csv?{q}"))).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("ansokan-socialstyrelsen.csv"));
    let csv = res.text().unwrap();
    assert!(csv.contains("HDIA") && csv.contains("ATC") && !csv.contains("\"Kon\""), "only Socialstyrelsen's variables: {csv}");
    assert_eq!(client().get(s.url(&format!("/variabellista/ansokan/ingen.csv?{q}"))).send().unwrap().status(), StatusCode::NOT_FOUND);
    // the part as XLSX and JSON too, linked from the page, with the same rows
    for ext in ["xlsx", "json"] {
        let href = format!("/variabellista/ansokan/socialstyrelsen.{ext}?{}", q.replace('&', "&#38;"));
        assert!(page.contains(&href), "{ext} linked: {href}");
    }
    let res = client().get(s.url(&format!("/variabellista/ansokan/socialstyrelsen.json?{q}"))).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("ansokan-socialstyrelsen.json"));
    let json = res.text().unwrap();
    assert!(json.contains("/variable/par-hdia") && json.contains("/variable/lmed-atc"), "{json}");
    assert!(!json.contains("/variable/bef-kon"), "only Socialstyrelsen's variables: {json}");
    let res = client().get(s.url(&format!("/variabellista/ansokan/socialstyrelsen.xlsx?{q}"))).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(res.bytes().unwrap().starts_with(b"PK"), "an XLSX is a zip");
    assert_eq!(
        client().get(s.url(&format!("/variabellista/ansokan/socialstyrelsen.pdf?{q}"))).send().unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

/// Signed in, a list is saved under a name and gets its own address; a note per variable says
/// why it is needed and goes into the exports and the data request; the list says when its
/// variables have changed since it was saved; it is its owner's alone.
#[test]
fn saved_lists_keep_notes_and_say_what_changed() {
    let s = start_server();
    let anna = signed_in(&s, "anna", Role::Redaktor);
    let csrf = anna.csrf();
    for v in ["par-hdia", "par-indatum"] {
        anna.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &variable(v))]);
    }
    assert!(anna.get("/variabellista").text().unwrap().contains(r#"action="/variabellista/spara""#), "a signed-in person can save");
    let res = anna.post_form("/variabellista/spara", &[("csrf", &csrf), ("namn", "Höftfraktur och vårdtid")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(regex::Regex::new(r"^/variabellista/[a-z2-7]{16}$").unwrap().is_match(&at), "{at}");
    let page = anna.get(&at).text().unwrap();
    assert!(page.contains("<h1>Höftfraktur och vårdtid</h1>") && page.contains("Huvuddiagnos"));
    assert!(!page.contains("har ändrats sedan listan sparades"));
    assert!(anna.get("/variabellista").text().unwrap().contains(&format!(r#"<a href="{at}">Höftfraktur och vårdtid</a>"#)));

    // notes
    let grund = regex::Regex::new(r#"name="grund" value="([^"]+)""#).unwrap().captures(&page).unwrap()[1].to_owned();
    let n_hdia = if page.find("variable/par-hdia\"").unwrap() < page.find("variable/par-indatum\"").unwrap() { 0 } else { 1 };
    let res = anna.post_form(
        &at,
        &[
            ("csrf", &csrf),
            ("grund", &grund),
            ("antal", "2"),
            ("namn", "Höftfraktur och vårdtid"),
            ("variabel_0", &variable(if n_hdia == 0 { "par-hdia" } else { "par-indatum" })),
            ("not_0", if n_hdia == 0 { "Urval: S72.0–S72.2" } else { "Vårdtidens början" }),
            ("variabel_1", &variable(if n_hdia == 0 { "par-indatum" } else { "par-hdia" })),
            ("not_1", if n_hdia == 0 { "Vårdtidens början" } else { "Urval: S72.0–S72.2" }),
        ],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let csv = anna.get(&format!("{at}.csv")).text().unwrap();
    assert!(csv.contains("\"Urval: S72.0–S72.2\""), "the purpose in the export: {csv}");
    let request = anna.get(&format!("{at}/ansokan")).text().unwrap();
    assert!(request.contains("Urval: S72.0–S72.2") && request.contains("Höftfraktur och vårdtid"));
    // a second save from the same form (another tab) is refused, and changes nothing
    let res = anna.post_form(&at, &[("csrf", &csrf), ("grund", &grund), ("antal", "0"), ("namn", "Gammal flik")]);
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(anna.get(&at).text().unwrap().contains("<h1>Höftfraktur och vårdtid</h1>"));

    // the list's owner only: another account, and anyone not signed in
    let bo = signed_in(&s, "bo", Role::Redaktor);
    assert_eq!(bo.get(&at).status(), StatusCode::NOT_FOUND);
    assert_eq!(bo.get(&format!("{at}.csv")).status(), StatusCode::NOT_FOUND);
    let res = client().get(s.url(&at)).send().unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "to the sign-in");

    // HDIA is published anew: the list says so, until its owner has seen it
    let c = Curation::new(s.catalogue.clone(), s.state.clone());
    let hdia = oxigraph::model::NamedNode::new(variable("par-hdia")).unwrap();
    let (_, mut v) = c.published(&hdia).unwrap().unwrap();
    if let vardkatalog::model::Resource::Variable(x) = &mut v {
        x.definition.set("en", "The main diagnosis");
    }
    c.save_drafts(&Actor { user: "greta".into(), role: Role::Granskare }, vec![v], "Engelsk definition").unwrap();
    c.submit(&Actor { user: "greta".into(), role: Role::Granskare }, &hdia, "Klar").unwrap();
    c.publish(&Actor { user: "gustav".into(), role: Role::Granskare }, &hdia, "Engelsk definition").unwrap();
    let page = anna.get(&at).text().unwrap();
    assert!(page.contains("1 variabler har ändrats sedan listan sparades:"), "{page}");
    assert!(page.contains(r#"<a href="/variable/par-hdia">Huvuddiagnos</a>: version 1 → 2"#), "{page}");
    let grund = regex::Regex::new(r#"name="grund" value="([^"]+)""#).unwrap().captures(&page).unwrap()[1].to_owned();
    let res = anna.post_form(&at, &[("csrf", &csrf), ("grund", &grund), ("godta", "ja")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = anna.get(&at).text().unwrap();
    assert!(!page.contains("har ändrats sedan listan sparades"), "seen");
    assert!(page.contains("Urval: S72.0–S72.2"), "the notes are kept");

    // removed
    let res = anna.post_form(&format!("{at}/ta-bort"), &[("csrf", &csrf)]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(anna.get(&at).status(), StatusCode::NOT_FOUND);
}

/// A saved list links the changes of its variables and their Atom feed of breaking changes, so
/// that its owner can follow them; the feed names a breaking change to one of the list's
/// variables and nothing of a variable outside it.
#[test]
fn a_saved_list_links_the_feed_of_its_variables_breaking_changes() {
    use crate::feed::xml;
    use crate::versions::assert_atom;
    let s = start_server();
    let anna = signed_in(&s, "anna", Role::Redaktor);
    let csrf = anna.csrf();
    for v in ["par-hdia", "kpp-vardtid-dagar"] {
        anna.post_form("/variabellista/lagg-till", &[("csrf", &csrf), ("variabel", &variable(v))]);
    }
    let res = anna.post_form("/variabellista/spara", &[("csrf", &csrf), ("namn", "Vårdtid")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = res.headers()["location"].to_str().unwrap().to_owned();
    // a breaking change to a listed variable (its unit) and one to a variable outside the list
    let c = Curation::new(s.catalogue.clone(), s.state.clone());
    let (greta, gustav) = (Actor { user: "greta".into(), role: Role::Redaktor }, Actor { user: "gustav".into(), role: Role::Granskare });
    let iri = oxigraph::model::NamedNode::new(variable("kpp-vardtid-dagar")).unwrap();
    let (_, mut v) = c.published(&iri).unwrap().unwrap();
    if let vardkatalog::model::Resource::Variable(x) = &mut v {
        x.unit = Some("h".into());
    }
    c.save_drafts(&greta, vec![v], "Enhet").unwrap();
    c.submit(&greta, &iri, "").unwrap();
    c.publish(&gustav, &iri, "Vårdtiden anges i timmar").unwrap();
    c.retire(&gustav, &oxigraph::model::NamedNode::new(variable("kpp-drg-vikt")).unwrap(), "Ersatt").unwrap();
    let page = anna.get(&at).text().unwrap();
    let feed_link = regex::Regex::new(r#"<a href="(/andringar\.atom\?[^"]+)" type="application/atom\+xml">"#).unwrap();
    let href = feed_link.captures(&page).unwrap_or_else(|| panic!("the saved list links its feed: {page}"))[1].replace("&#38;", "&");
    assert!(href.contains("v=par-hdia") && href.contains("v=kpp-vardtid-dagar"), "{href}");
    assert!(page.contains("Atom-flöde med ändringar som bryter, för de här variablerna"), "{page}");
    assert!(page.contains(r#"<a href="/andringar?v="#), "and the changes page of its variables: {page}");
    // the feed is public (a feed reader has no session) and holds the listed variable's change only
    let res = client().get(s.url(&href)).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().unwrap();
    let feed = xml::parse(&body);
    assert_atom(&feed);
    let ids: Vec<String> = feed.all("entry").iter().map(|e| e.one("id").text.clone()).collect();
    assert_eq!(ids, vec![format!("{}#version-2", variable("kpp-vardtid-dagar"))]);
    // in English too
    let en = anna.get(&format!("{at}?lang=en")).text().unwrap();
    assert!(en.contains("Atom feed of breaking changes to these variables"), "{en}");
}
