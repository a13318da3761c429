//! Curation through a real server: the edit form, drafts beside published records, review and
//! publication, history with diffs in words, restore, the concurrent-save conflict, comments,
//! the audit log, draft invisibility on every public surface and the authorisation matrix.

use std::collections::HashMap;

use reqwest::StatusCode;
use vardkatalog::accounts::Role;

use crate::support::{Browser, TestServer, client, signed_in, start_server};

/// The text of a page with the entities askama escapes turned back.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// What a browser would send for a form: every input, textarea, selected option and ticked box.
pub fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("action=\"{action}\"")).unwrap_or_else(|| panic!("no form posting to {action}"));
    let end = start + html[start..].find("</form>").unwrap();
    let form = &html[start..end];
    let mut out = Vec::new();
    let input = regex::Regex::new(r#"<input ([^>]*)>"#).unwrap();
    let attr = |tag: &str, name: &str| -> Option<String> {
        regex::Regex::new(&format!(r#"\b{name}="([^"]*)""#)).unwrap().captures(tag).map(|c| unescape(&c[1]))
    };
    for c in input.captures_iter(form) {
        let tag = &c[1];
        let Some(name) = attr(tag, "name") else { continue };
        match attr(tag, "type").as_deref() {
            Some("checkbox") if !tag.contains(" checked") => {}
            _ => out.push((name, attr(tag, "value").unwrap_or_default())),
        }
    }
    let area = regex::Regex::new(r#"(?s)<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>"#).unwrap();
    for c in area.captures_iter(form) {
        out.push((c[1].to_owned(), unescape(&c[2])));
    }
    let select = regex::Regex::new(r#"(?s)<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>"#).unwrap();
    let selected = regex::Regex::new(r#"<option value="([^"]*)" selected>"#).unwrap();
    for c in select.captures_iter(form) {
        let value = selected.captures(&c[2]).map(|s| unescape(&s[1])).unwrap_or_default();
        out.push((c[1].to_owned(), value));
    }
    out
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_owned(), value.to_owned()));
}

fn post(b: &Browser, path: &str, fields: &[(String, String)]) -> reqwest::blocking::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post_form(path, &pairs)
}

/// Opens the edit form of a variable, changes fields and saves.
fn edit(b: &Browser, id: &str, changes: &[(&str, &str)]) -> reqwest::blocking::Response {
    let path = format!("/variable/{id}/redigera");
    let html = b.get(&path).text().unwrap();
    let mut fields = form_fields(&html, &path);
    for (k, v) in changes {
        set(&mut fields, k, v);
    }
    post(b, &path, &fields)
}

fn text(res: reqwest::blocking::Response) -> String {
    unescape(&res.text().unwrap())
}

fn definition_of(s: &TestServer, id: &str) -> String {
    let (_, r) = s.catalogue.public_by_id(vardkatalog::model::RecordKind::Variable, id).unwrap().unwrap();
    match r {
        vardkatalog::model::Resource::Variable(v) => v.definition.get("sv").unwrap_or("").to_owned(),
        _ => unreachable!(),
    }
}

#[test]
fn a_draft_opens_beside_the_published_record_and_publishing_bumps_the_version() {
    let s = start_server();
    let editor = signed_in(&s, "anna", Role::Redaktor);
    let reviewer = signed_in(&s, "bertil", Role::Granskare);
    let before = definition_of(&s, "par-hdia");
    let form = editor.get("/variable/par-hdia/redigera").text().unwrap();
    for label in [
        "Benämning (svenska)",
        "Definition (engelska)",
        "Tekniskt namn",
        "Datatyp",
        "Kodlista",
        "Enhet (UCUM)",
        "Lägsta värde",
        "Koder för saknade värden",
        "Tidsperiod",
        "Finns i datamängder",
        "Ägare (specägare)",
        "Referensgrupp (svenska)",
        "Prioritet",
        "Skillnad mellan in- och utdata (svenska)",
        "Datainsamling",
        "Villkor (svenska)",
        "Användningsfall",
    ] {
        assert!(unescape(&form).contains(label), "the form has {label}");
    }
    let res = edit(
        &editor,
        "par-hdia",
        &[
            ("definition_sv", "Den diagnos som främst föranlett vårdtillfället"),
            ("referensgrupp", "Referensgrupp för slutenvård"),
            ("prioritet", "1"),
            ("meddelande", "Tydligare definition"),
        ],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().unwrap_or_default());
    assert_eq!(res.headers()["location"], "/variable/par-hdia/utkast");

    // the public keeps the published version
    assert_eq!(definition_of(&s, "par-hdia"), before);
    let public = text(client().get(s.url("/variable/par-hdia")).send().unwrap());
    assert!(public.contains(&before) && !public.contains("främst föranlett"));
    assert!(!public.contains("Det finns ett utkast"), "anonymous readers are not told about drafts");
    let signed = text(editor.get("/variable/par-hdia"));
    assert!(
        signed.contains("Det finns ett utkast") && signed.contains("href=\"/variable/par-hdia/utkast\""),
        "signed-in people see the banner"
    );
    let draft = text(editor.get("/variable/par-hdia/utkast"));
    assert!(
        draft.contains("Det här är ett utkast") && draft.contains("främst föranlett") && draft.contains("Referensgrupp för slutenvård")
    );
    let work = text(editor.get("/arbete"));
    assert!(work.contains("Mina utkast (1)") && work.contains("/variable/par-hdia/utkast"));

    // only a draft in review is published, and only with a change note
    let csrf = reviewer.csrf();
    let res = reviewer.post_form("/variable/par-hdia/publicera", &[("csrf", &csrf), ("andringsnotering", "Ny definition")]);
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(text(res).contains("Posten är utkast; det här går bara när den är granskning."));
    let ecsrf = editor.csrf();
    assert_eq!(editor.post_form("/variable/par-hdia/skicka", &[("csrf", &ecsrf)]).status(), StatusCode::SEE_OTHER);
    assert!(text(reviewer.get("/arbete")).contains("Väntar på granskning (1)"));
    let res = reviewer.post_form("/variable/par-hdia/publicera", &[("csrf", &csrf), ("andringsnotering", "  ")]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(text(res).contains("Skriv en ändringsnotering"));
    let res = editor.post_form("/variable/par-hdia/publicera", &[("csrf", &ecsrf), ("andringsnotering", "x")]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "an editor does not publish");
    let old_version = s
        .catalogue
        .store()
        .meta(s.catalogue.minter().record(vardkatalog::model::RecordKind::Variable, "par-hdia").unwrap().as_ref())
        .unwrap()
        .unwrap()
        .version;
    let res = reviewer.post_form(
        "/variable/par-hdia/publicera",
        &[("csrf", &csrf), ("andringsnotering", "Definitionen förtydligad med referensgruppen")],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    assert_eq!(definition_of(&s, "par-hdia"), "Den diagnos som främst föranlett vårdtillfället");
    let public = text(client().get(s.url("/variable/par-hdia")).send().unwrap());
    assert!(public.contains("främst föranlett"), "the published page changed");
    assert!(public.contains(&format!("<dd>{}</dd>", old_version + 1)), "the version is bumped on the page");
    // the change note and the version in the published RDF
    let (_, graph) = crate::support::get_rdf(&s.url("/variable/par-hdia.ttl"), "text/turtle");
    let nt: Vec<String> = graph.iter().map(|t| t.to_string()).collect();
    assert!(
        nt.iter()
            .any(|t| t.contains("http://www.w3.org/ns/adms#versionNotes")
                && t.contains("\"Definitionen förtydligad med referensgruppen\"@sv")),
        "{nt:#?}"
    );
    assert!(nt.iter().any(|t| t.contains("owl#versionInfo") && t.contains(&format!("\"{}\"", old_version + 1))));
    // the search index follows
    let hits: serde_json::Value =
        serde_json::from_str(&client().get(s.url("/api/v1/search?q=f%C3%B6ranlett")).send().unwrap().text().unwrap()).unwrap();
    assert!(hits["hits"].as_array().unwrap().iter().any(|h| h["iri"].as_str().unwrap().ends_with("/variable/par-hdia")), "{hits}");
    assert!(text(reviewer.get("/arbete")).contains("Väntar på granskning (0)"), "no draft is left open");
    assert!(!text(editor.get("/variable/par-hdia")).contains("Det finns ett utkast"));
}

#[test]
fn drafts_are_invisible_on_every_public_surface() {
    let s = start_server();
    let editor = signed_in(&s, "cecilia", Role::Redaktor);
    // a new variable, and a draft of a published one, both with words found nowhere else
    let html = editor.get("/variable/ny").text().unwrap();
    let mut fields = form_fields(&html, "/variable/ny");
    set(&mut fields, "id", "hemlig-variabel");
    set(&mut fields, "benamning_sv", "Kvastfeningsgrad");
    set(&mut fields, "definition_sv", "Graden av kvastfening hos patienten");
    set(&mut fields, "tekniskt_namn", "KVASTF");
    set(&mut fields, "datatyp", "integer");
    fields.push(("datamangd".into(), format!("{}dataset/patientregistret", crate::support::BASE)));
    let res = post(&editor, "/variable/ny", &fields);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", text(res));
    let res = edit(&editor, "par-hdia", &[("definition_sv", "Blorptydlig huvuddiagnos")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let csrf = editor.csrf();
    assert_eq!(editor.post_form("/variable/hemlig-variabel/skicka", &[("csrf", &csrf)]).status(), StatusCode::SEE_OTHER, "even in review");

    let http = client();
    let words = ["Kvastfening", "kvastfening", "KVASTF", "hemlig-variabel", "Blorptydlig"];
    let hidden = |what: &str, body: &str| {
        for w in words {
            assert!(!body.contains(w), "{what} shows the draft word {w}");
        }
    };
    // record pages and lists
    assert_eq!(http.get(s.url("/variable/hemlig-variabel")).send().unwrap().status(), StatusCode::NOT_FOUND);
    hidden("the published page", &text(http.get(s.url("/variable/par-hdia")).send().unwrap()));
    for page in 1..=20 {
        let res = http.get(s.url(&format!("/variable?sida={page}"))).send().unwrap();
        if res.status() == StatusCode::NOT_FOUND {
            break;
        }
        hidden("the variable list", &text(res));
    }
    hidden("the dataset page", &text(http.get(s.url("/dataset/patientregistret")).send().unwrap()));
    // search
    for q in ["Kvastfeningsgrad", "KVASTF", "Blorptydlig"] {
        // the page repeats the query itself; the record, its definition and its link must not be there
        let page = text(http.get(s.url(&format!("/sok?q={q}"))).send().unwrap());
        for w in ["hemlig-variabel", "Graden av kvastfening", "Blorptydlig huvuddiagnos"] {
            assert!(!page.contains(w), "/sok?q={q} shows {w}");
        }
        let api: serde_json::Value =
            serde_json::from_str(&http.get(s.url(&format!("/api/v1/search?q={q}"))).send().unwrap().text().unwrap()).unwrap();
        assert_eq!(api["total"], 0, "{q}: {api}");
    }
    // the DCAT endpoints in every profile
    for profile in ["", "?profile=dcat-ap-se", "?profile=healthdcat-ap", "?profile=dcat-ap"] {
        let body = http.get(s.url(&format!("/catalog{profile}"))).header("accept", "text/turtle").send().unwrap().text().unwrap();
        hidden(&format!("/catalog{profile}"), &body);
    }
    let body =
        http.get(s.url("/dataset/patientregistret?profile=healthdcat-ap")).header("accept", "text/turtle").send().unwrap().text().unwrap();
    hidden("the dataset's description", &body);
    // record IRIs
    let res = http.get(s.url("/variable/hemlig-variabel")).header("accept", "text/turtle").send().unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(http.get(s.url("/variable/hemlig-variabel.ttl")).send().unwrap().status(), StatusCode::NOT_FOUND);
    hidden("the published IRI", &http.get(s.url("/variable/par-hdia")).header("accept", "text/turtle").send().unwrap().text().unwrap());
    // SPARQL, default graph and named graphs
    for q in [
        "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), \"vastfening\") || CONTAINS(STR(?o), \"Blorptydlig\") || CONTAINS(STR(?s), \"hemlig\")) }",
        "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), \"vastfening\") || CONTAINS(STR(?o), \"Blorptydlig\") || CONTAINS(STR(?s), \"hemlig\")) } }",
    ] {
        let url = format!("{}?{}", s.url("/sparql"), serde_urlencoded::to_string([("query", q)]).unwrap());
        let res = http.get(url).header("accept", "application/sparql-results+json").send().unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
        assert_eq!(v["results"]["bindings"].as_array().unwrap().len(), 0, "{q}: {v}");
    }
    // signed in, the draft-only record leads to its draft
    let res = editor.get("/variable/hemlig-variabel");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/variable/hemlig-variabel/utkast");
    assert!(text(editor.get("/variable/hemlig-variabel/utkast")).contains("Kvastfeningsgrad"));
}

#[test]
fn the_second_of_two_saves_from_the_same_revision_is_refused_with_the_diff() {
    let s = start_server();
    let anna = signed_in(&s, "anna", Role::Redaktor);
    let bo = signed_in(&s, "bo", Role::Redaktor);
    // both open the form before either saves
    let path = "/variable/par-hdia/redigera";
    let mut a = form_fields(&anna.get(path).text().unwrap(), path);
    let mut b = form_fields(&bo.get(path).text().unwrap(), path);
    set(&mut a, "definition_sv", "Annas definition");
    set(&mut b, "definition_sv", "Bos definition");
    set(&mut b, "enhet", "d");
    assert_eq!(post(&anna, path, &a).status(), StatusCode::SEE_OTHER);
    let res = post(&bo, path, &b);
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = text(res);
    assert!(body.contains("Någon annan (anna) sparade posten"), "a clear message");
    assert!(body.contains("Definition (sv) ändrad från ”Angiven huvuddiagnos” till ”Annas definition”"), "the diff in words");
    assert!(body.contains(">Bos definition</textarea>"), "what Bo typed is kept");
    let draft = text(anna.get("/variable/par-hdia/utkast"));
    assert!(draft.contains("Annas definition") && !draft.contains("Bos definition"), "nothing was overwritten");

    // two saves at the same moment: exactly one wins
    let c1 = form_fields(&anna.get(path).text().unwrap(), path);
    let c2 = form_fields(&bo.get(path).text().unwrap(), path);
    assert_eq!(c1.iter().find(|(k, _)| k == "grund"), c2.iter().find(|(k, _)| k == "grund"), "both start from the same revision");
    let (r1, r2) = std::thread::scope(|scope| {
        let mut c1 = c1.clone();
        set(&mut c1, "definition_sv", "Samtidig ett");
        let mut c2 = c2.clone();
        set(&mut c2, "definition_sv", "Samtidig två");
        let (anna, bo) = (&anna, &bo);
        let h1 = scope.spawn(move || post(anna, path, &c1).status());
        let h2 = scope.spawn(move || post(bo, path, &c2).status());
        (h1.join().unwrap(), h2.join().unwrap())
    });
    let mut statuses = [r1, r2];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "one saves, the other is told");
}

#[test]
fn history_shows_changes_in_words_and_restore_makes_a_new_draft() {
    let s = start_server();
    let editor = signed_in(&s, "dan", Role::Redaktor);
    assert_eq!(
        edit(&editor, "par-hdia", &[("definition_sv", "Första lydelsen"), ("meddelande", "Första")]).status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        edit(&editor, "par-hdia", &[("definition_sv", "Andra lydelsen"), ("enhet", "d"), ("prioritet", "2")]).status(),
        StatusCode::SEE_OTHER
    );
    let history = text(editor.get("/variable/par-hdia/historik"));
    assert!(history.contains("Historik: Huvuddiagnos"));
    assert!(history.contains("Versionen före den första ändringen i katalogen"), "the published version is the first revision");
    // by default the latest revision against the published version (issue 19: not against a
    // step that kept the content)
    assert!(history.contains("Definition (sv) ändrad från ”Angiven huvuddiagnos” till ”Andra lydelsen”"), "{history}");
    assert!(history.contains("Enhet (UCUM) tillagd: ”d”"));
    assert!(history.contains("Prioritet tillagd: ”2”"));
    let revs = s.state.revisions.of_record(&format!("{}variable/par-hdia", crate::support::BASE)).unwrap();
    assert_eq!(revs.len(), 3);
    let english = text(editor.get(&format!("/variable/par-hdia/historik?fran={}&till={}&lang=en", revs[0].id, revs[2].id)));
    assert!(
        english.contains("Definition (sv) changed from ”Angiven huvuddiagnos” to ”Andra lydelsen”"),
        "any two revisions, in English too"
    );

    let csrf = editor.csrf();
    let res = editor.post_form("/variable/par-hdia/aterstall", &[("csrf", &csrf), ("revision", &revs[1].id.to_string())]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let draft = text(editor.get("/variable/par-hdia/utkast"));
    assert!(draft.contains("Första lydelsen") && !draft.contains("Andra lydelsen"));
    let revs = s.state.revisions.of_record(&format!("{}variable/par-hdia", crate::support::BASE)).unwrap();
    assert_eq!(revs.len(), 4, "restoring adds a revision; nothing is lost");
    assert_eq!(revs[3].message, format!("Återställd från revision {}", revs[1].id));
    let res = editor.post_form("/variable/par-hdia/aterstall", &[("csrf", &csrf), ("revision", "999999999")]);
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[test]
fn a_failed_save_names_each_field_in_swedish_and_keeps_what_was_typed() {
    let s = start_server();
    let editor = signed_in(&s, "eva", Role::Redaktor);
    let res = edit(
        &editor,
        "par-hdia",
        &[
            ("benamning_sv", ""),
            ("prioritet", "hög"),
            ("enhet", "mm Hg"),
            ("minimum", "tio"),
            ("tidsperioder", "1964–\nförr"),
            ("kallor", "inte en adress"),
            ("definition_sv", "Ska inte sparas"),
        ],
    );
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = text(res);
    for message in [
        "Ange en benämning på svenska.",
        "Prioriteten ska vara ett heltal, 1 eller större.",
        "Enheten ska vara en UCUM-kod utan mellanslag",
        "Skriv ett tal (eller ett datum för datumtyper).",
        "Rad 2: skriv tidsperioden som 1997– eller 1997–2008",
        "Rad 1 är inte en webbadress",
    ] {
        assert!(body.contains(message), "{message}");
    }
    assert!(
        body.contains("id=\"f-prioritet-fel\"") && body.contains("aria-describedby=\"f-prioritet-hint f-prioritet-fel\""),
        "the message is tied to its field"
    );
    assert!(
        body.contains("value=\"hög\"") && body.contains("value=\"mm Hg\"") && body.contains(">Ska inte sparas</textarea>"),
        "what was typed is kept"
    );
    assert!(s.state.revisions.latest(&format!("{}variable/par-hdia", crate::support::BASE)).unwrap().is_none(), "nothing was saved");
    let english = edit(&editor, "par-hdia", &[("benamning_sv", ""), ("lang", "en")]);
    let _ = english;
    let new = {
        let html = editor.get("/variable/ny").text().unwrap();
        let mut f = form_fields(&html, "/variable/ny");
        set(&mut f, "id", "par-hdia");
        set(&mut f, "benamning_sv", "Dubblett");
        post(&editor, "/variable/ny", &f)
    };
    assert_eq!(new.status(), StatusCode::BAD_REQUEST);
    assert!(text(new).contains("Det finns redan en variabel med identifieraren par-hdia."));
}

#[test]
fn reviewers_send_back_with_a_comment_and_comments_stay_with_the_record() {
    let s = start_server();
    let editor = signed_in(&s, "fia", Role::Redaktor);
    let reviewer = signed_in(&s, "gert", Role::Granskare);
    assert_eq!(edit(&editor, "par-dia1", &[("in_ut", "Registreras med fler tecken än som lämnas ut")]).status(), StatusCode::SEE_OTHER);
    let ec = editor.csrf();
    editor.post_form("/variable/par-dia1/skicka", &[("csrf", &ec)]);
    let rc = reviewer.csrf();
    let res = reviewer.post_form("/variable/par-dia1/aterforvisa", &[("csrf", &rc), ("kommentar", "")]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = reviewer.post_form("/variable/par-dia1/aterforvisa", &[("csrf", &rc), ("kommentar", "Ange källan till anmärkningen")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let draft = text(editor.get("/variable/par-dia1/utkast"));
    assert!(
        draft.contains("Ange källan till anmärkningen") && draft.contains("Skicka till granskning"),
        "back as a draft, with the comment"
    );
    let res = editor.post_form(
        "/variable/par-dia1/kommentar",
        &[("csrf", &ec), ("text", "Förslag från referensgruppen: dela upp i två variabler"), ("tillbaka", "/variable/par-dia1")],
    );
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(text(editor.get("/variable/par-dia1")).contains("dela upp i två variabler"), "comments are shown to signed-in people");
    assert!(!text(client().get(s.url("/variable/par-dia1")).send().unwrap()).contains("dela upp"), "and to no one else");
    let history = text(editor.get("/variable/par-dia1/historik"));
    assert!(
        history.contains("Återsänd: Ange källan till anmärkningen") && history.contains("dela upp i två variabler"),
        "kept in the history"
    );
}

#[test]
fn the_audit_log_records_every_write_for_admins() {
    let s = start_server();
    let editor = signed_in(&s, "hans", Role::Redaktor);
    let admin = signed_in(&s, "ines", Role::Admin);
    assert_eq!(
        edit(&editor, "par-hdia", &[("definition_sv", "Loggad ändring"), ("meddelande", "För loggen")]).status(),
        StatusCode::SEE_OTHER
    );
    let ec = editor.csrf();
    editor.post_form("/variable/par-hdia/kommentar", &[("csrf", &ec), ("text", "En kommentar")]);
    editor.post_form("/variable/par-hdia/skicka", &[("csrf", &ec)]);
    let ac = admin.csrf();
    admin.post_form("/variable/par-hdia/publicera", &[("csrf", &ac), ("andringsnotering", "Publicerad för loggen")]);
    admin.post_form("/variable/par-opd1/utfasa", &[("csrf", &ac)]);
    let log = text(admin.get("/admin/logg"));
    let iri = format!("{}variable/par-hdia", crate::support::BASE);
    for (who, action) in
        [("hans", "save_draft"), ("hans", "comment"), ("hans", "submit"), ("ines", "publish"), ("ines", "retire"), ("hans", "login")]
    {
        assert!(log.contains(&format!("<td>{who}</td><td><code>{action}</code></td>")), "{who} {action}");
    }
    assert!(log.contains(&iri) && log.contains("För loggen"));
    assert_eq!(editor.get("/admin/logg").status(), StatusCode::FORBIDDEN);
    // retired stays resolvable and says so
    let page = text(client().get(s.url("/variable/par-opd1")).send().unwrap());
    assert!(page.contains("utfasad"));
}

/// Every write route × anonymous, redaktör, granskare, admin → the specified status.
#[test]
fn authorisation_matrix() {
    let s = start_server();
    let browsers: HashMap<&str, Browser> = [
        ("anonym", Browser::new(&s)),
        ("redaktor", signed_in(&s, "m-redaktor", Role::Redaktor)),
        ("granskare", signed_in(&s, "m-granskare", Role::Granskare)),
        ("admin", signed_in(&s, "m-admin", Role::Admin)),
    ]
    .into_iter()
    .collect();
    const SEE: u16 = 303;
    const DENY: u16 = 403;
    // (method, path, form, [anonymous, redaktör, granskare, admin]); "{who}" is replaced by the
    // role, so that steps that change a record each have their own record
    type Route<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, [u16; 4]);
    let routes: Vec<Route> = vec![
        ("GET", "/arbete", vec![], [SEE, 200, 200, 200]),
        ("GET", "/variable/ny", vec![], [SEE, 200, 200, 200]),
        ("POST", "/variable/ny", vec![("benamning_sv", "")], [SEE, 400, 400, 400]),
        ("GET", "/variable/par-hdia/redigera", vec![], [SEE, 200, 200, 200]),
        ("POST", "/variable/par-hdia/redigera", vec![("benamning_sv", "")], [SEE, 400, 400, 400]),
        ("GET", "/variable/par-hdia/utkast", vec![], [SEE, 404, 404, 404]),
        ("GET", "/variable/par-hdia/historik", vec![], [SEE, 200, 200, 200]),
        ("POST", "/variable/par-hdia/skicka", vec![], [SEE, 409, 409, 409]),
        ("POST", "/variable/par-hdia/publicera", vec![("andringsnotering", "x")], [SEE, DENY, 409, 409]),
        ("POST", "/variable/par-hdia/aterforvisa", vec![("kommentar", "x")], [SEE, DENY, 409, 409]),
        ("POST", "/variable/{who}/utfasa", vec![], [SEE, DENY, SEE, SEE]),
        ("POST", "/variable/par-hdia/aterstall", vec![("revision", "999999999")], [SEE, 404, 404, 404]),
        ("POST", "/variable/par-hdia/kommentar", vec![("text", "")], [SEE, 400, 400, 400]),
        ("GET", "/admin/anvandare", vec![], [SEE, DENY, DENY, 200]),
        ("POST", "/admin/anvandare", vec![("namn", ""), ("roll", "redaktor"), ("losenord", "")], [SEE, DENY, DENY, 400]),
        ("POST", "/admin/anvandare/finns-inte", vec![("atgard", "aktivera")], [SEE, DENY, DENY, 400]),
        ("GET", "/admin/logg", vec![], [SEE, DENY, DENY, 200]),
        // bulk import (issue 4 item 8): a post without a file, a confirmation of no upload
        ("GET", "/import", vec![], [SEE, 200, 200, 200]),
        ("POST", "/import", vec![("datamangd", "")], [SEE, 422, 422, 422]),
        ("POST", "/import/bekrafta", vec![("token", "finns-inte"), ("fingeravtryck", "x")], [SEE, 410, 410, 410]),
        // the code-list form (issue 4 item 2)
        ("GET", "/codelist/ny", vec![], [SEE, 200, 200, 200]),
        ("POST", "/codelist/ny", vec![("id", "")], [SEE, 400, 400, 400]),
        ("GET", "/codelist/kon/redigera", vec![], [SEE, 200, 200, 200]),
        ("POST", "/codelist/kon/redigera", vec![("titel_sv", "")], [SEE, 400, 400, 400]),
        // the dataset and use-case forms
        ("GET", "/dataset/ny", vec![], [SEE, 200, 200, 200]),
        ("POST", "/dataset/ny", vec![("id", "")], [SEE, 400, 400, 400]),
        ("GET", "/dataset/rikshoft/redigera", vec![], [SEE, 200, 200, 200]),
        ("POST", "/dataset/rikshoft/redigera", vec![("titel_sv", "")], [SEE, 400, 400, 400]),
        ("GET", "/usecase/ny", vec![], [SEE, 200, 200, 200]),
        ("POST", "/usecase/ny", vec![("id", "")], [SEE, 400, 400, 400]),
        ("GET", "/usecase/a-vardplatser/redigera", vec![], [SEE, 200, 200, 200]),
        ("POST", "/usecase/a-vardplatser/redigera", vec![("titel_sv", "")], [SEE, 400, 400, 400]),
    ];
    // one published variable per role for the steps that change the record
    let retire_target = |who: &str| match who {
        "anonym" => "par-dia1",
        "redaktor" => "par-dia1",
        "granskare" => "par-opd1",
        _ => "par-hdia",
    };
    let mut failures = Vec::new();
    for (method, path, form, expected) in &routes {
        for (k, who) in ["anonym", "redaktor", "granskare", "admin"].into_iter().enumerate() {
            let b = &browsers[who];
            let path = path.replace("{who}", retire_target(who));
            let res = if *method == "GET" {
                b.get(&path)
            } else {
                let csrf = b.csrf();
                let mut fields: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
                fields.extend(form.iter().copied());
                b.post_form(&path, &fields)
            };
            let status = res.status().as_u16();
            if status != expected[k] {
                failures.push(format!("{method} {path} as {who}: {status}, expected {}", expected[k]));
            }
            if who == "anonym" && status == SEE {
                assert!(res.headers()["location"].to_str().unwrap().starts_with("/login?next="), "{path}");
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn save_drafts_is_all_or_nothing_and_retiring_keeps_an_open_draft() {
    use vardkatalog::curation::{Actor, Curation, CurationError};
    use vardkatalog::model::RecordKind;
    use vardkatalog::store::RecordState;
    let cat = std::sync::Arc::new(crate::support::seeded_catalogue());
    let c = Curation::new(cat.clone(), vardkatalog::state::State::temporary().unwrap());
    let editor = Actor { user: "import".into(), role: Role::Redaktor };
    let reviewer = Actor { user: "granskare".into(), role: Role::Granskare };
    let iri = cat.minter().record(RecordKind::Variable, "par-hdia").unwrap();
    let (state, r) = c.current(&iri).unwrap().unwrap();
    assert_eq!(state, RecordState::Published);
    let catalog = cat.public_resource(cat.minter().catalog().as_ref()).unwrap().unwrap().1;
    assert!(matches!(c.save_drafts(&editor, vec![r.clone(), catalog], "import"), Err(CurationError::NotCurated { .. })));
    assert!(c.draft(&iri).unwrap().is_none() && c.history(&iri).unwrap().is_empty(), "a refused batch writes nothing");
    let ids = c.save_drafts(&editor, vec![r.clone()], "import").unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(c.current(&iri).unwrap().unwrap().0, RecordState::Draft);
    assert!(
        matches!(c.save_draft(&editor, r.clone(), None, "stale"), Err(CurationError::Conflict { .. })),
        "a save from before the import is refused"
    );
    assert!(matches!(c.retire(&editor, &iri, ""), Err(CurationError::Forbidden { .. })));
    c.retire(&reviewer, &iri, "Ersatt av en ny variabel").unwrap();
    assert_eq!(cat.store().meta(iri.as_ref()).unwrap().unwrap().state, RecordState::Retired);
    assert!(cat.public_resource(iri.as_ref()).unwrap().is_some(), "retired stays resolvable");
    assert!(c.draft(&iri).unwrap().is_some(), "the open draft stays open beside the retired record");
}
