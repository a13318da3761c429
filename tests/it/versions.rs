//! Published versions through a real server: a variable cited by its version (text, BibTeX,
//! CSL-JSON, RIS) and its versioned IRI as a page and as RDF; the public list of published
//! changes classified as breaking, compatible or cosmetic, with the rule, and the Atom feed of
//! breaking ones for a saved variable list; the classified changes on the reviewer's screen;
//! a record's page as published on a date.
//!
//! The seed is published when the server starts (today); a record the tests need an earlier
//! version of is back-dated in the store first (`backdate`), as a catalogue seeded in 2023
//! would be, so the first curated change records that version with its date.

use chrono::{DateTime, Utc};
use oxigraph::model::NamedNode;
use reqwest::StatusCode;
use vardkatalog::accounts::Role;
use vardkatalog::curation::{Actor, Curation};
use vardkatalog::model::Resource;

use crate::curation::form_fields;
use crate::feed::xml;
use crate::support::{BASE, Browser, TestServer, client, get_rdf, signed_in, start_server};

const VARIABLE: &str = "kpp-vardtid-dagar";

fn iri(path: &str) -> NamedNode {
    NamedNode::new(format!("{BASE}{path}")).unwrap()
}

/// Makes the store's version of a record published at `when` (RFC 3339).
fn backdate(s: &TestServer, path: &str, when: &str) {
    let mut rec = s.catalogue.store().get(iri(path).as_ref()).unwrap().unwrap_or_else(|| panic!("{path} is in the seed"));
    rec.meta.modified = DateTime::parse_from_rfc3339(when).unwrap().with_timezone(&Utc);
    s.catalogue.save_records(&[rec]).unwrap();
}

/// The text of a page with the entities askama escapes turned back.
fn text(res: reqwest::blocking::Response) -> String {
    res.text()
        .unwrap()
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&#38;", "&")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn get(s: &TestServer, path: &str) -> reqwest::blocking::Response {
    client().get(s.url(path)).send().unwrap()
}

/// An editor changes a variable in its form, sends it for review, and a reviewer publishes it.
fn publish_edit(editor: &Browser, reviewer: &Browser, id: &str, changes: &[(&str, &str)], note: &str) {
    let path = format!("/variable/{id}/redigera");
    let html = editor.get(&path).text().unwrap();
    let mut fields = form_fields(&html, &path);
    for (k, v) in changes {
        fields.retain(|(name, _)| name != k);
        fields.push(((*k).to_owned(), (*v).to_owned()));
    }
    fields.retain(|(name, _)| name != "meddelande");
    fields.push(("meddelande".into(), note.into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = editor.post_form(&path, &pairs);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().unwrap_or_default());
    let csrf = editor.csrf();
    assert_eq!(editor.post_form(&format!("/variable/{id}/skicka"), &[("csrf", &csrf)]).status(), StatusCode::SEE_OTHER);
    let csrf = reviewer.csrf();
    let res = reviewer.post_form(&format!("/variable/{id}/publicera"), &[("csrf", &csrf), ("andringsnotering", note)]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().unwrap_or_default());
}

/// Braces as BibTeX counts them: every `{` closed, never below zero.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        depth += match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

#[test]
fn a_variable_is_cited_by_its_version_and_every_version_resolves() {
    let s = start_server();
    backdate(&s, &format!("variable/{VARIABLE}"), "2023-03-01T10:00:00Z");
    let page = text(get(&s, &format!("/variable/{VARIABLE}")));
    assert!(page.contains(r#"<h2 id="citera">Citera</h2>"#), "the variable page offers a citation");
    assert!(page.contains(&format!("{BASE}variable/{VARIABLE}/version/1")), "naming the versioned IRI");
    assert!(
        page.contains("Sveriges Kommuner och Regioner (SKR) (2023). Vårdtid i dagar (vardtid_dagar). Version 1. I: Kostnad per patient")
    );
    assert!(
        page.contains(&format!("/variable/{VARIABLE}/citera?format=bibtex&version=1")),
        "{}",
        &page[page.find("id=\"citera\"").unwrap()..]
    );

    let editor = signed_in(&s, "anna", Role::Redaktor);
    let reviewer = signed_in(&s, "bertil", Role::Granskare);
    publish_edit(&editor, &reviewer, VARIABLE, &[("enhet", "h")], "Vårdtiden anges i timmar");

    // the current version is 2, in every format, with its media type
    let res = get(&s, &format!("/variable/{VARIABLE}/citera?format=bibtex"));
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/x-bibtex; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("vardkatalogen-kpp-vardtid-dagar-v2.bib"));
    let bib = res.text().unwrap();
    assert!(bib.starts_with("@misc{vardkatalogen-kpp-vardtid-dagar-v2,\n"), "{bib}");
    assert!(balanced(&bib), "{bib}");
    assert!(bib.contains("version = {2}") && bib.contains(&format!("url = {{{BASE}variable/{VARIABLE}/version/2}}")), "{bib}");
    assert!(bib.contains("author = {{Sveriges Kommuner och Regioner (SKR)}}"), "{bib}");
    assert_eq!(bib, get(&s, &format!("/variable/{VARIABLE}/citera?format=bibtex&version=2")).text().unwrap(), "a stable entry");

    let res = get(&s, &format!("/variable/{VARIABLE}/citera?format=csl-json"));
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/vnd.citationstyles.csl+json");
    let csl: serde_json::Value = serde_json::from_str(&res.text().unwrap()).expect("CSL-JSON is JSON");
    let item = &csl.as_array().expect("an array of items")[0];
    for field in ["id", "type", "title", "issued", "URL", "version"] {
        assert!(!item[field].is_null(), "CSL-JSON has {field}: {item}");
    }
    assert_eq!(item["version"], "2");
    assert_eq!(item["URL"], format!("{BASE}variable/{VARIABLE}/version/2"));
    assert_eq!(item["container-title"], "Kostnad per patient (KPP), nationella KPP-databasen");

    let res = get(&s, &format!("/variable/{VARIABLE}/citera?format=ris&version=1"));
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/x-research-info-systems; charset=utf-8");
    let ris = res.text().unwrap();
    assert!(ris.starts_with("TY  - DATA\r\n") && ris.ends_with("ER  - \r\n"), "{ris:?}");
    assert!(
        ris.contains("PY  - 2023\r\n")
            && ris.contains("ET  - Version 1\r\n")
            && ris.contains(&format!("/variable/{VARIABLE}/version/1\r\n"))
    );

    let en = get(&s, &format!("/variable/{VARIABLE}/citera?format=text&lang=en")).text().unwrap();
    assert!(en.contains("Length of stay in days (vardtid_dagar). Version 2. In: Cost per patient"), "{en}");
    let res = get(&s, &format!("/variable/{VARIABLE}/citera?format=docx"));
    assert_eq!(res.status(), 400);
    assert!(res.text().unwrap().contains("format=bibtex, csl-json, ris eller text"));
    assert_eq!(get(&s, &format!("/variable/{VARIABLE}/citera?format=ris&version=9")).status(), 404);
    assert_eq!(get(&s, "/variable/finns-inte/citera?format=ris").status(), 404);

    // each versioned IRI resolves to its version's page: the old one with the old unit
    let v1 = text(get(&s, &format!("/variable/{VARIABLE}/version/1")));
    assert!(v1.contains("Du ser version 1, publicerad 2023-03-01, gällande till"), "{v1}");
    assert!(v1.contains(&format!("href=\"/variable/{VARIABLE}\">Visa den gällande versionen")));
    assert!(v1.contains("<code>d</code>") && !v1.contains("<code>h</code>"), "the unit of version 1");
    assert!(v1.contains("version = {1}") || v1.contains("Version 1. I:"), "the citation names version 1");
    let v2 = text(get(&s, &format!("/variable/{VARIABLE}/version/2")));
    assert!(v2.contains("Den är den gällande versionen"));
    assert!(v2.contains(r#"<span class="impact impact-bryter">Bryter</span> Enhet (UCUM) ändrad från ”d” till ”h”"#), "what changed: {v2}");
    assert_eq!(get(&s, &format!("/variable/{VARIABLE}/version/3")).status(), 404);
    assert_eq!(get(&s, &format!("/variable/{VARIABLE}/version/noll")).status(), 404);
    // the current page lists the versions
    let page = text(get(&s, &format!("/variable/{VARIABLE}")));
    assert!(page.contains(&format!("href=\"/variable/{VARIABLE}/version/1\">1 (2023-03-01)</a>")), "{page}");

    // and as RDF: DCAT 3 versioning
    let (headers, g) = get_rdf(&s.url(&format!("/variable/{VARIABLE}/version/1.ttl")), "text/turtle");
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/turtle"));
    let nt: Vec<String> = g.iter().map(|t| t.to_string()).collect();
    let v1_iri = format!("<{BASE}variable/{VARIABLE}/version/1>");
    let has = |needle: &[&str]| nt.iter().any(|t| needle.iter().all(|n| t.contains(n)));
    assert!(has(&[&v1_iri, "http://www.w3.org/ns/dcat#isVersionOf", &format!("<{BASE}variable/{VARIABLE}>")]), "{nt:#?}");
    assert!(has(&[&v1_iri, "http://www.w3.org/ns/dcat#version", "\"1\""]), "{nt:#?}");
    assert!(has(&[&v1_iri, "ucumCode", "\"d\""]), "the content of version 1: {nt:#?}");
    let (_, g) = get_rdf(&s.url(&format!("/variable/{VARIABLE}/version/2")), "text/turtle");
    let nt: Vec<String> = g.iter().map(|t| t.to_string()).collect();
    assert!(nt.iter().any(|t| t.contains("#previousVersion") && t.contains(&v1_iri)), "{nt:#?}");
    let (_, g) = get_rdf(&s.url(&format!("/variable/{VARIABLE}.ttl")), "text/turtle");
    let nt: Vec<String> = g.iter().map(|t| t.to_string()).collect();
    assert!(nt.iter().any(|t| t.contains("#hasVersion") && t.contains(&v1_iri)), "{nt:#?}");
    assert!(nt.iter().any(|t| t.contains("#hasCurrentVersion") && t.contains("/version/2>")), "{nt:#?}");

    // the history page shows what changed between versions
    let history = text(editor.get(&format!("/variable/{VARIABLE}/historik")));
    assert!(history.contains("<h2 id=\"publicerade\">Publicerade versioner</h2>"));
    assert!(history.contains("Version 2 (") && history.contains("Enhet (UCUM) ändrad från ”d” till ”h”"));
}

#[test]
fn published_changes_are_listed_newest_first_classified_with_the_rule_and_breaking_ones_fed() {
    let s = start_server();
    let empty = text(get(&s, "/andringar"));
    assert!(empty.contains("Så klassas ändringarna") && empty.contains("variabelns enhet ändras eller tas bort"), "the rule is shown");
    assert!(empty.contains("Inga publicerade ändringar att visa."));
    let feed = xml::parse(&get(&s, "/andringar.atom").text().unwrap());
    assert!(feed.all("entry").is_empty(), "an empty feed is still a feed");

    let editor = signed_in(&s, "anna", Role::Redaktor);
    let reviewer = signed_in(&s, "bertil", Role::Granskare);
    publish_edit(&editor, &reviewer, "par-hdia", &[("definition_sv", "Den diagnos som främst föranlett vårdtillfället")], "Tydligare");
    // the reviewer sees the classified changes before publishing
    let path = format!("/variable/{VARIABLE}/redigera");
    let mut fields = form_fields(&editor.get(&path).text().unwrap(), &path);
    fields.retain(|(k, _)| k != "enhet");
    fields.push(("enhet".into(), "h".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(editor.post_form(&path, &pairs).status(), StatusCode::SEE_OTHER);
    let csrf = editor.csrf();
    editor.post_form(&format!("/variable/{VARIABLE}/skicka"), &[("csrf", &csrf)]);
    let review = text(reviewer.get(&format!("/variable/{VARIABLE}/utkast")));
    assert!(review.contains("Ändringar mot den publicerade versionen</h3>"), "{review}");
    assert!(review.contains(r#"<span class="impact impact-bryter">Bryter</span> Enhet (UCUM) ändrad från ”d” till ”h”"#));
    // one list: the reviewer does not read the same change twice
    assert_eq!(review.matches("Enhet (UCUM) ändrad från").count(), 1, "{review}");
    assert!(review.contains(r##"href="/andringar#regel""##), "the rule is linked: {review}");
    let csrf = reviewer.csrf();
    reviewer.post_form(&format!("/variable/{VARIABLE}/publicera"), &[("csrf", &csrf), ("andringsnotering", "Timmar i stället för dygn")]);
    // a draft of a third variable is never listed
    let path = "/variable/par-indatum/redigera";
    let mut fields = form_fields(&editor.get(path).text().unwrap(), path);
    fields.retain(|(k, _)| k != "definition_sv");
    fields.push(("definition_sv".into(), "Hemligt utkast".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(editor.post_form(path, &pairs).status(), StatusCode::SEE_OTHER);

    let list = text(get(&s, "/andringar"));
    let (kpp, hdia) =
        (list.find("Vårdtid i dagar – version 2").expect("the unit change"), list.find("Huvuddiagnos").expect("the definition"));
    assert!(kpp < hdia, "newest first");
    assert!(list[kpp..hdia].contains(r#"<span class="impact impact-bryter">Bryter</span>"#), "{}", &list[kpp..hdia]);
    assert!(list[kpp..hdia].contains("Timmar i stället för dygn"));
    assert!(list[hdia..].contains(r#"<span class="impact impact-kosmetisk">Kosmetisk</span>"#));
    assert!(!list.contains("Hemligt utkast"), "drafts never reach the list");
    assert!(list.contains(&format!("href=\"/variable/{VARIABLE}/version/2\"")), "an entry links its version");
    let breaking = text(get(&s, "/andringar?typ=bryter"));
    assert!(breaking.contains("Vårdtid i dagar") && !breaking.contains("Huvuddiagnos –"));
    let theirs = text(get(&s, "/andringar?v=par-hdia"));
    assert!(theirs.contains("Huvuddiagnos") && !theirs.contains("Vårdtid i dagar –"));
    let res = get(&s, "/andringar?typ=farlig");
    assert_eq!(res.status(), 400);
    assert!(text(res).contains("typ=bryter, kompatibel eller kosmetisk"));
    assert_eq!(get(&s, "/andringar?v=Inte%20ett%20id").status(), 400);

    // the feed: breaking changes only, valid Atom, for a saved list too
    let res = get(&s, "/andringar.atom");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/atom+xml; charset=utf-8");
    let feed = xml::parse(&res.text().unwrap());
    assert_atom(&feed);
    let entries = feed.all("entry");
    assert_eq!(entries.len(), 1, "only the breaking change");
    assert_eq!(entries[0].one("id").text, format!("{BASE}variable/{VARIABLE}#version-2"));
    assert!(entries[0].all("category").iter().any(|c| c.attr("term") == Some("bryter")));
    assert!(entries[0].one("summary").text.contains("Enhet (UCUM) ändrad från ”d” till ”h”"));
    assert_eq!(
        entries[0].all("link").iter().find(|l| l.attr("rel") == Some("alternate")).and_then(|l| l.attr("href")),
        Some(format!("{BASE}variable/{VARIABLE}/version/2").as_str())
    );
    let theirs = xml::parse(&get(&s, "/andringar.atom?v=par-hdia&v=lisa-kon").text().unwrap());
    assert_atom(&theirs);
    assert!(theirs.all("entry").is_empty(), "nothing breaking for that list");

    // a code taken out of the list of a followed variable reaches its feed; so does a retirement
    let c = Curation::new(s.catalogue.clone(), s.state.clone());
    let (anna, bertil) = (Actor { user: "anna".into(), role: Role::Redaktor }, Actor { user: "bertil".into(), role: Role::Granskare });
    let code = iri("codelist/kon/2");
    let Some((_, Resource::Concept(mut two))) = c.current(&code).unwrap() else { panic!("code 2") };
    two.in_scheme.clear();
    two.top_concept_of.clear();
    c.save_draft(&anna, Resource::Concept(two), c.latest_revision(&code).unwrap().map(|r| r.id), "Kod 2 utgår").unwrap();
    c.submit(&anna, &code, "").unwrap();
    c.publish(&bertil, &code, "Kod 2 utgår ur kodlistan").unwrap();
    let csrf = reviewer.csrf();
    assert_eq!(
        reviewer.post_form("/variable/par-hdia/utfasa", &[("csrf", &csrf), ("meddelande", "Ersatt")]).status(),
        StatusCode::SEE_OTHER
    );
    let theirs = xml::parse(&get(&s, "/andringar.atom?v=par-hdia&v=lisa-kon").text().unwrap());
    assert_atom(&theirs);
    let ids: Vec<String> = theirs.all("entry").iter().map(|e| e.one("id").text.clone()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids[0].starts_with(&format!("{BASE}variable/par-hdia#version-")) && ids[0].ends_with("-retired"), "{ids:?}");
    assert!(ids[1].starts_with(&format!("{BASE}codelist/kon/2#version-")), "{ids:?}");
    let list = text(get(&s, "/andringar?v=lisa-kon"));
    assert!(list.contains("kod 2 i Kön") && list.contains("en kod tas bort ur kodlistan") && list.contains("Kvinna"), "{list}");
}

/// The Atom 1.0 elements a reader needs.
pub(crate) fn assert_atom(feed: &xml::El) {
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
    for required in ["id", "title", "updated"] {
        assert!(!feed.one(required).text.is_empty(), "feed {required}");
    }
    assert!(!feed.one("author").one("name").text.is_empty());
    assert!(feed.all("link").iter().any(|l| l.attr("rel") == Some("self") && l.attr("href").is_some_and(|h| h.contains("andringar.atom"))));
    chrono::DateTime::parse_from_rfc3339(&feed.one("updated").text).expect("RFC 3339");
    let mut ids = std::collections::HashSet::new();
    for e in feed.all("entry") {
        for required in ["id", "title", "updated", "summary"] {
            e.one(required);
        }
        assert!(ids.insert(e.one("id").text.clone()), "entry ids are unique");
        chrono::DateTime::parse_from_rfc3339(&e.one("updated").text).expect("RFC 3339");
    }
}

#[test]
fn a_page_shows_the_version_in_effect_on_a_date() {
    let s = start_server();
    for path in [
        format!("variable/{VARIABLE}"),
        "codelist/kon".into(),
        "codelist/kon/1".into(),
        "codelist/kon/2".into(),
        "dataset/kpp".into(),
        "variable/lisa-kon".into(),
    ] {
        backdate(&s, &path, "2023-03-01T10:00:00Z");
    }
    let editor = signed_in(&s, "anna", Role::Redaktor);
    let reviewer = signed_in(&s, "bertil", Role::Granskare);
    publish_edit(&editor, &reviewer, VARIABLE, &[("enhet", "h")], "Timmar");
    let today = Utc::now().format("%Y-%m-%d").to_string();

    let then = get(&s, &format!("/variable/{VARIABLE}?per=2024-01-01"));
    assert_eq!(then.status(), 200);
    let then = text(then);
    assert!(then.contains("<h2 id=\"versionsbanner\">Som publicerad 2024-01-01</h2>"), "{then}");
    assert!(then.contains("Du ser version 1, publicerad 2023-03-01"));
    assert!(then.contains(&format!("<a href=\"/variable/{VARIABLE}\">Visa den gällande versionen</a>")));
    assert!(then.contains("<code>d</code>") && !then.contains("<code>h</code>"));
    let now = text(get(&s, &format!("/variable/{VARIABLE}?per={today}")));
    assert!(now.contains("Du ser version 2") && now.contains("<code>h</code>"));
    let en = text(get(&s, &format!("/variable/{VARIABLE}?per=2024-01-01&lang=en")));
    assert!(en.contains("As published on 2024-01-01") && en.contains("You are looking at version 1"));

    let before = get(&s, &format!("/variable/{VARIABLE}?per=2022-12-31"));
    assert_eq!(before.status(), 404);
    assert!(text(before).contains("Posten var inte publicerad 2022-12-31: den publicerades första gången 2023-03-01."));
    for bad in ["2024-13-01", "igår", "2024-1-1x", ""] {
        let res = get(&s, &format!("/variable/{VARIABLE}?per={bad}"));
        assert_eq!(res.status(), 400, "{bad}");
        assert!(text(res).contains("skriv det som ÅÅÅÅ-MM-DD"), "{bad}");
    }
    assert!(text(get(&s, &format!("/variable/{VARIABLE}?per=x&lang=en"))).contains("write it as YYYY-MM-DD"));
    assert_eq!(get(&s, "/variable/finns-inte?per=2024-01-01").status(), 404);

    // a code list as of a date holds the codes it held then
    let c = Curation::new(s.catalogue.clone(), s.state.clone());
    let (anna, bertil) = (Actor { user: "anna".into(), role: Role::Redaktor }, Actor { user: "bertil".into(), role: Role::Granskare });
    let code = iri("codelist/kon/2");
    let Some((_, Resource::Concept(mut two))) = c.current(&code).unwrap() else { panic!("code 2") };
    two.in_scheme.clear();
    two.top_concept_of.clear();
    c.save_draft(&anna, Resource::Concept(two), c.latest_revision(&code).unwrap().map(|r| r.id), "Kod 2 utgår").unwrap();
    c.submit(&anna, &code, "").unwrap();
    c.publish(&bertil, &code, "Kod 2 utgår").unwrap();
    assert!(!text(get(&s, "/codelist/kon")).contains("href=\"/codelist/kon/2\""), "today's list has no code 2");
    let then = text(get(&s, "/codelist/kon?per=2024-01-01"));
    assert!(then.contains("Som publicerad 2024-01-01"), "{then}");
    assert!(then.contains("href=\"/codelist/kon/2\"") && then.contains("href=\"/codelist/kon/1\""), "both codes then: {then}");
    let lisa = text(get(&s, "/variable/lisa-kon?per=2024-01-01"));
    assert!(lisa.contains("href=\"/codelist/kon/2\""), "a variable's codes as of the date too");
    // a dataset likewise
    let then = get(&s, "/dataset/kpp?per=2024-01-01");
    assert_eq!(then.status(), 200);
    assert!(text(then).contains("Du ser version 1, publicerad 2023-03-01"));
    assert_eq!(get(&s, "/dataset/kpp?per=2023-02-28").status(), 404);
}

/// Internal curation notes (`model::vocab::INTERNAL`) of any version stay internal: neither a
/// version's page, the page as of a date, the citation, the change list nor its feed shows
/// them, and a change of a note alone is no published change.
#[test]
fn earlier_versions_never_show_internal_notes() {
    let s = start_server();
    backdate(&s, &format!("variable/{VARIABLE}"), "2023-03-01T10:00:00Z");
    let editor = signed_in(&s, "anna", Role::Redaktor);
    let reviewer = signed_in(&s, "bertil", Role::Granskare);
    let (old, new) = ("Hemlig anmärkning ett om vårdtiden", "Hemlig anmärkning två om vårdtiden");
    publish_edit(&editor, &reviewer, VARIABLE, &[("redaktionell", old), ("behover_underlag", "on")], "Anmärkning");
    publish_edit(&editor, &reviewer, VARIABLE, &[("redaktionell", new), ("enhet", "h")], "Timmar");
    let today = Utc::now().format("%Y-%m-%d").to_string();
    let feed = format!("/andringar.atom?v={VARIABLE}");
    for path in [
        format!("/variable/{VARIABLE}/version/1"),
        format!("/variable/{VARIABLE}/version/2"),
        format!("/variable/{VARIABLE}/version/3"),
        format!("/variable/{VARIABLE}/version/2?lang=en"),
        format!("/variable/{VARIABLE}?per={today}"),
        format!("/variable/{VARIABLE}?per=2024-01-01"),
        format!("/variable/{VARIABLE}/citera?format=text"),
        format!("/variable/{VARIABLE}/citera?format=bibtex"),
        format!("/variable/{VARIABLE}/citera?format=csl-json"),
        format!("/variable/{VARIABLE}/citera?format=ris"),
        "/andringar".into(),
        "/andringar?lang=en".into(),
        "/andringar.atom".into(),
        feed,
    ] {
        let res = get(&s, &path);
        assert_eq!(res.status(), 200, "{path}");
        let body = text(res);
        for secret in ["Hemlig anmärkning", "Redaktionell anmärkning", "Editorial note", "Behöver underlag", "Needs input", "editorialNote"]
        {
            assert!(!body.contains(secret), "{path} shows {secret:?}: {body}");
        }
    }
    // the version that changed only the note is no change to the public: it lists nothing
    let changes = text(get(&s, "/andringar"));
    assert!(changes.contains("Vårdtid i dagar – version 3"), "{changes}");
    let v2 = text(get(&s, &format!("/variable/{VARIABLE}/version/2")));
    assert!(v2.contains("Du ser version 2"), "{v2}");
    // a signed-in curator still sees the current note on the record page
    assert!(editor.get(&format!("/variable/{VARIABLE}")).text().unwrap().contains(new));
}
