//! The edit forms people can fill in (issue 19 item 5), through a real server: headed sections
//! with a table of contents, required fields said in words, pickers listing the published and
//! draft records a field links to (agents, concepts, code lists, datasets) instead of typed
//! IRIs, a posted IRI that is no record of its kind refused by name with nothing saved, a save
//! through the pickers that round-trips, and the words of the data types, frequencies, access
//! rights and import columns held to the import guide (`docs/import.md`) and the template
//! workbook.

use std::collections::BTreeSet;
use std::io::Cursor;

use oxigraph::model::NamedNode;
use reqwest::StatusCode;
use vardkatalog::accounts::Role;
use vardkatalog::curation::Curation;
use vardkatalog::curation::forms::columns::COLUMNS;
use vardkatalog::model::{Representation, Resource};

use crate::curation::form_fields;
use crate::support::{BASE, Browser, signed_in, start_server};

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    form.retain(|(k, _)| k != name);
    form.push((name.to_owned(), value.to_owned()));
}

fn post(b: &Browser, path: &str, form: &[(String, String)]) -> reqwest::blocking::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post_form(path, &pairs)
}

fn iri(path: &str) -> NamedNode {
    NamedNode::new(format!("{BASE}{path}")).unwrap()
}

/// The options of the select `id` on a page: (value, label).
fn options(html: &str, id: &str) -> Vec<(String, String)> {
    let start = html.find(&format!(r#"<select id="{id}""#)).unwrap_or_else(|| panic!("no select {id}"));
    let end = start + html[start..].find("</select>").unwrap();
    let re = regex::Regex::new(r#"<option value="([^"]*)"[^>]*>([^<]*)</option>"#).unwrap();
    re.captures_iter(&html[start..end]).map(|c| (unescape(&c[1]), unescape(&c[2]))).collect()
}

/// The table of contents of a form page: (anchor, heading).
fn contents(html: &str) -> Vec<(String, String)> {
    let start = html.find(r#"<nav class="toc""#).expect("a table of contents");
    let end = start + html[start..].find("</nav>").unwrap();
    let re = regex::Regex::new(r##"<a href="#([^"]+)">([^<]*)</a>"##).unwrap();
    re.captures_iter(&html[start..end]).map(|c| (c[1].to_owned(), unescape(&c[2]))).collect()
}

#[test]
fn every_long_form_is_in_headed_sections_with_a_table_of_contents_and_required_fields_in_words() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    for (path, first, at_least) in [
        ("/variable/par-hdia/redigera", "Benämning och definition", 5),
        ("/variable/ny", "Benämning och definition", 5),
        ("/dataset/patientregistret/redigera", "Grunduppgifter", 6),
        ("/dataset/ny", "Grunduppgifter", 6),
        ("/codelist/kon/redigera", "Kodlistan", 2),
        ("/usecase/a-vardplatser/redigera", "Användningsfallet", 3),
    ] {
        let res = anna.get(path);
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = res.text().unwrap();
        let toc = contents(&html);
        assert!(toc.len() >= at_least, "{path}: {toc:?}");
        assert_eq!(toc[0].1, first, "{path}: identity and definition come first");
        assert_eq!(toc.last().unwrap(), &("spara".to_owned(), "Spara".to_owned()), "{path}");
        for (anchor, heading) in &toc {
            // every entry leads to a headed section of the form, in the order of the contents
            let at = html.find(&format!(r#"id="{anchor}""#)).unwrap_or_else(|| panic!("{path}: no section {anchor}"));
            assert!(unescape(&html[at..]).contains(&format!("<legend><h2>{heading}</h2></legend>")), "{path}: {anchor}");
        }
        let positions: Vec<usize> = toc.iter().map(|(a, _)| html.find(&format!(r#"id="{a}""#)).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{path}: the contents follow the form");
        assert!(html.find(r#"<nav class="toc""#).unwrap() < html.find(r#"class="stacked" novalidate"#).unwrap(), "{path}: contents on top");
        // required fields are said in words, not marked by a colour or a hidden star
        assert!(html.contains(r#"<span class="required">(obligatoriskt)</span>"#), "{path}");
        assert!(html.contains("Fält märkta ”(obligatoriskt)” måste fyllas i."), "{path}");
        assert!(!html.contains(r#"<span aria-hidden="true">*</span>"#), "{path}");
        // no script is needed: nothing but the form's own post (these tests post without one);
        // the one script only lets Enter in a picker's search box search instead of save
        assert_eq!(html.matches("<script").count(), 1, "{path}");
        assert!(html.contains(r#"<script src="/static/forms.js" defer></script>"#), "{path}");
    }
    // the variable's label and definition are in the first section, before its values
    let html = anna.get("/variable/par-hdia/redigera").text().unwrap();
    let (first, second) = (html.find(r#"id="avsnitt-1""#).unwrap(), html.find(r#"id="avsnitt-2""#).unwrap());
    for name in ["benamning_sv", "definition_sv", "tekniskt_namn"] {
        let at = html.find(&format!(r#"name="{name}""#)).unwrap();
        assert!(first < at && at < second, "{name} is in the first section");
    }
    // in English too
    let html = anna.get("/variable/par-hdia/redigera?lang=en").text().unwrap();
    assert_eq!(contents(&html)[0].1, "Label and definition");
    assert!(html.contains(r#"<span class="required">(required)</span>"#));
}

#[test]
fn pickers_list_published_and_draft_records_by_label_with_their_id() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    // a code list and a dataset made in the catalogue, not yet published
    let form = form_fields(&anna.get("/codelist/ny").text().unwrap(), "/codelist/ny");
    let mut form = form;
    set(&mut form, "id", "blodgrupp");
    set(&mut form, "titel_sv", "Blodgrupp");
    assert_eq!(post(&anna, "/codelist/ny", &form).status(), StatusCode::SEE_OTHER);
    let mut form = form_fields(&anna.get("/dataset/ny").text().unwrap(), "/dataset/ny");
    set(&mut form, "id", "transfusionsregistret");
    set(&mut form, "titel_sv", "Transfusionsregistret");
    set(&mut form, "beskrivning_sv", "Blodtransfusioner.");
    set(&mut form, "utgivare", iri("agent/socialstyrelsen").as_str());
    set(&mut form, "atkomst", "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC");
    let res = post(&anna, "/dataset/ny", &form);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().unwrap_or_default());

    let html = anna.get("/variable/par-hdia/redigera").text().unwrap();
    assert!(!html.contains(r#"name="begrepp" rows"#) && !html.contains("<textarea id=\"f-begrepp\""), "concepts are no longer typed");
    let lists = options(&html, "f-kodlista");
    assert!(lists.contains(&(iri("codelist/kon").as_str().to_owned(), "Kön (kon)".to_owned())), "{lists:?}");
    assert!(lists.contains(&(iri("codelist/blodgrupp").as_str().to_owned(), "Blodgrupp (blodgrupp) – utkast".to_owned())), "{lists:?}");
    let owners = options(&html, "f-agare");
    assert!(owners.contains(&(iri("agent/scb").as_str().to_owned(), "Statistiska centralbyrån (SCB) (scb)".to_owned())), "{owners:?}");
    let concepts = options(&html, "f-begrepp-lagg-till");
    assert!(concepts.contains(&(iri("codelist/kon/1").as_str().to_owned(), "Man (kon/1)".to_owned())), "{concepts:?}");
    // the datasets it is held in are ticked; the others are offered to add, drafts among them
    assert!(html.contains(&format!(r#"name="datamangd" value="{}" checked>"#, iri("dataset/patientregistret-sluten-vard").as_str())));
    let datasets = options(&html, "f-datamangd-lagg-till");
    assert!(
        datasets.iter().any(|(v, l)| v == iri("dataset/transfusionsregistret").as_str() && l.ends_with("(transfusionsregistret) – utkast"))
    );
    assert!(!datasets.iter().any(|(v, _)| v == iri("dataset/patientregistret-sluten-vard").as_str()), "a chosen one is not offered again");
    let labels: Vec<&String> = lists.iter().skip(1).map(|(_, l)| l).collect();
    let mut sorted = labels.clone();
    sorted.sort_by_key(|l| l.to_lowercase());
    assert_eq!(labels, sorted, "by label");
    // the dataset form's agents and its parent dataset, the use case's datasets
    let html = anna.get("/dataset/patientregistret/redigera").text().unwrap();
    assert!(
        options(&html, "f-utgivare")
            .iter()
            .any(|(v, l)| v == iri("agent/socialstyrelsen").as_str() && l == "Socialstyrelsen (socialstyrelsen)")
    );
    assert!(options(&html, "f-del_av").iter().any(|(v, _)| v == iri("dataset/transfusionsregistret").as_str()));
    let html = anna.get("/usecase/a-vardplatser/redigera").text().unwrap();
    assert!(options(&html, "f-datamangder-lagg-till").iter().any(|(v, _)| v == iri("dataset/transfusionsregistret").as_str()));
}

#[test]
fn a_posted_iri_that_is_no_record_of_its_kind_is_refused_by_name_and_nothing_is_saved() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let hdia = iri("variable/par-hdia");
    let before = server.catalogue.public_by_id(vardkatalog::model::RecordKind::Variable, "par-hdia").unwrap().unwrap().1;
    let path = "/variable/par-hdia/redigera";
    let mut form = form_fields(&anna.get(path).text().unwrap(), path);
    set(&mut form, "datatyp", "kodlista");
    // a dataset is not a code list; an address outside the catalogue is no organisation
    set(&mut form, "kodlista", iri("dataset/patientregistret").as_str());
    set(&mut form, "agare", "https://example.org/ingen");
    form.push(("begrepp".into(), "https://example.org/begrepp/x".into()));
    form.push(("datamangd".into(), iri("agent/scb").as_str().to_owned()));
    let res = post(&anna, path, &form);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = unescape(&res.text().unwrap());
    for (field, message) in [
        (
            "kodlista",
            format!(
                "{}/dataset/patientregistret hör inte till någon post av typen kodlista i katalogen; välj i listan.",
                BASE.trim_end_matches('/')
            ),
        ),
        ("agare", "https://example.org/ingen hör inte till någon post av typen organisation i katalogen; välj i listan.".to_owned()),
        ("begrepp", "https://example.org/begrepp/x hör inte till någon post av typen".to_owned()),
        ("datamangd", format!("{BASE}agent/scb hör inte till någon post av typen datamängd i katalogen; välj i listan.")),
    ] {
        assert!(html.contains(&format!(r#"<p class="field-error" id="f-{field}-fel">{message}"#)), "{field}: {message}");
        assert!(html.contains(&format!(r##"<a href="#f-{field}">"##)), "the summary links to {field}");
    }
    // the summary is at the top, before the table of contents
    assert!(html.find(r#"id="fel""#).unwrap() < html.find(r#"<nav class="toc""#).unwrap());
    // in English
    let res = post(&anna, &format!("{path}?lang=en"), &form);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = unescape(&res.text().unwrap());
    assert!(
        html.contains("https://example.org/ingen is not one of this catalogue's records of the kind organisation; choose from the list."),
        "{html}"
    );
    assert!(html.contains(&format!("{BASE}dataset/patientregistret is not one of this catalogue's records of the kind code list")));
    // nothing saved: no draft, the record as it was
    assert!(c.draft(&hdia).unwrap().is_none(), "nothing was saved");
    let (_, now) = c.current(&hdia).unwrap().unwrap();
    assert_eq!(now, before);
}

#[test]
fn a_save_through_the_pickers_round_trips() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let path = "/variable/par-hdia/redigera";
    let mut form = form_fields(&anna.get(path).text().unwrap(), path);
    set(&mut form, "datatyp", "kodlista");
    set(&mut form, "kodlista", iri("codelist/kon").as_str());
    set(&mut form, "agare", iri("agent/scb").as_str());
    // two concepts chosen in the list, one more dataset added to the two ticked
    form.push(("begrepp".into(), iri("codelist/kon/1").as_str().to_owned()));
    form.push(("begrepp".into(), iri("codelist/kon/2").as_str().to_owned()));
    form.push(("datamangd".into(), iri("dataset/lisa").as_str().to_owned()));
    set(&mut form, "meddelande", "Valt i listorna");
    let res = post(&anna, path, &form);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().unwrap_or_default());
    let (_, Resource::Variable(v)) = c.draft(&iri("variable/par-hdia")).unwrap().unwrap() else { panic!("a variable") };
    assert_eq!(v.representation.as_ref().and_then(Representation::code_list), Some(&iri("codelist/kon")));
    assert_eq!(v.owner(), Some(&iri("agent/scb")));
    assert_eq!(v.concepts.iter().cloned().collect::<BTreeSet<_>>(), BTreeSet::from([iri("codelist/kon/1"), iri("codelist/kon/2")]));
    assert!(v.datasets.contains(&iri("dataset/lisa")) && v.datasets.contains(&iri("dataset/patientregistret-sluten-vard")));
    // the form shows what was chosen, and sent back unchanged changes nothing
    let html = anna.get(path).text().unwrap();
    for chosen in ["codelist/kon/1", "codelist/kon/2", "dataset/lisa"] {
        assert!(html.contains(&format!(r#"value="{}" checked>"#, iri(chosen).as_str())), "{chosen} is ticked");
    }
    assert!(html.contains(&format!(r#"<option value="{}" selected>"#, iri("codelist/kon").as_str())));
    let mut again = form_fields(&html, path);
    set(&mut again, "meddelande", "Oförändrad");
    assert_eq!(post(&anna, path, &again).status(), StatusCode::SEE_OTHER);
    let (_, after) = c.draft(&iri("variable/par-hdia")).unwrap().unwrap();
    assert_eq!(after, Resource::Variable(v));
    // unticking removes
    let mut fewer = form_fields(&anna.get(path).text().unwrap(), path);
    fewer.retain(|(k, v)| !(k == "begrepp" && v == iri("codelist/kon/2").as_str()));
    assert_eq!(post(&anna, path, &fewer).status(), StatusCode::SEE_OTHER);
    let (_, Resource::Variable(v)) = c.draft(&iri("variable/par-hdia")).unwrap().unwrap() else { panic!("a variable") };
    assert_eq!(v.concepts, vec![iri("codelist/kon/1")]);
}

/// The words between backticks in the guide.
fn guide_words() -> BTreeSet<String> {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import.md")).unwrap();
    guide.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

#[test]
fn the_forms_words_are_the_import_guides_and_the_template_workbooks() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let guide = guide_words();
    for lang in ["sv", "en"] {
        let html = anna.get(&format!("/variable/par-hdia/redigera?lang={lang}")).text().unwrap();
        let datatypes: Vec<String> =
            options(&html, "f-datatyp").into_iter().filter(|(v, _)| !v.is_empty() && v != "kodlista").map(|(_, l)| l).collect();
        assert!(datatypes.len() >= 9, "{datatypes:?}");
        for label in &datatypes {
            assert!(guide.contains(label), "the data type {label} ({lang}) is not in docs/import.md");
        }
        if lang == "sv" {
            assert!(datatypes.contains(&"Boolesk".to_owned()) && !html.contains("Ja/nej"), "{datatypes:?}");
        }
        let html = anna.get(&format!("/dataset/patientregistret/redigera?lang={lang}")).text().unwrap();
        for select in ["f-frekvens", "f-atkomst"] {
            for (value, label) in options(&html, select) {
                if !value.is_empty() {
                    assert!(guide.contains(&label), "{select}: {label} ({lang}) is not in docs/import.md");
                }
            }
        }
    }
    // every import column a form names is the guide's, and shown under a field named otherwise
    for (kind, field, column) in COLUMNS {
        assert!(guide.contains(*column), "{kind:?} {field}: the column {column} is not in docs/import.md");
    }
    let html = unescape(&anna.get("/variable/par-hdia/redigera?lang=sv").text().unwrap());
    assert!(html.contains("Kolumn i importen: Variabeletikett."), "the form names the import's column");
    // the template workbook writes the same words: its variable sheet's header and data types
    let bytes = anna.get("/import/mall.xlsx").bytes().unwrap().to_vec();
    let mut book = vardkatalog::ingest::xlsx::open(Cursor::new(bytes), vardkatalog::ingest::limits::Limits::METADATA).unwrap();
    let sheet = book.sheet_names().into_iter().find(|s| s.contains("Variabelniv")).expect("the variable sheet");
    let mut tally = book.collecting();
    let mut cells = BTreeSet::new();
    book.rows(&sheet, &mut tally, |_, row| cells.extend(row.into_iter().filter(|c| !c.is_empty()))).unwrap();
    for (_, field, column) in COLUMNS.iter().filter(|(k, ..)| *k == vardkatalog::model::RecordKind::Variable) {
        assert!(cells.contains(*column), "the template lacks the column {column} of the field {field}: {cells:?}");
    }
    for word in ["Heltal", "Sträng (text)"] {
        assert!(cells.contains(word) && guide.contains(word), "{word}");
    }
}

/// The form posted by a picker's search button (`sok={field}`) with `text` in its search box.
fn search(b: &Browser, path: &str, form: &[(String, String)], field: &str, text: &str) -> reqwest::blocking::Response {
    let mut form = form.to_vec();
    set(&mut form, &format!("sok_{field}"), text);
    set(&mut form, "sok", field);
    post(b, path, &form)
}

#[test]
fn a_pickers_search_narrows_its_list_without_case_or_marks_and_keeps_the_chosen_ones() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let path = "/variable/par-hdia/redigera";
    // one concept chosen and saved
    let mut form = form_fields(&anna.get(path).text().unwrap(), path);
    set(&mut form, "datatyp", "kodlista");
    set(&mut form, "kodlista", iri("codelist/kon").as_str());
    set(&mut form, "agare", iri("agent/scb").as_str());
    form.push(("begrepp".into(), iri("codelist/kon/1").as_str().to_owned()));
    assert_eq!(post(&anna, path, &form).status(), StatusCode::SEE_OTHER);
    let html = anna.get(path).text().unwrap();
    let all = options(&html, "f-begrepp-lagg-till");
    assert!(all.len() > 2, "{all:?}");
    let form = form_fields(&html, path);
    let kon1 = iri("codelist/kon/1").as_str().to_owned();
    let ticked = format!(r#"name="begrepp" value="{kon1}" checked>"#);

    // the search box and its button are in the form itself: the button names the picker
    assert!(html.contains(r#"<label for="f-begrepp-sok">Sök bland: Begrepp</label>"#), "a labelled search box");
    assert!(html.contains(r##"<button type="submit" name="sok" value="begrepp" formaction="/variable/par-hdia/redigera#f-begrepp-sok" formnovalidate>Sök<span class="visually-hidden">: Begrepp</span></button>"##));
    assert!(!html.contains(r#"method="get""#), "no second form");

    // "KÖN/2" finds "(kon/2)": without case and marks, on the label with its identifier
    let res = search(&anna, path, &form, "begrepp", "KÖN/2");
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(&res.text().unwrap());
    let found = options(&html, "f-begrepp-lagg-till");
    assert_eq!(found.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>(), vec![iri("codelist/kon/2").as_str()], "{found:?}");
    assert!(html.contains(&ticked), "the chosen concept is still ticked");
    assert!(html.contains(r#"<p id="f-begrepp-traffar" role="status">Visar de poster som matchar ”KÖN/2”: 1."#));
    assert!(
        html.contains(r#"name="sok_begrepp" value="KÖN/2" aria-describedby="f-begrepp-traffar f-begrepp-sok-hint" autofocus>"#),
        "the text searched for is kept, the count read with the box, which has the focus"
    );
    // the other pickers are whole
    assert!(options(&html, "f-datamangd-lagg-till").len() > 1);

    // every word must match, marks or not: "vastra GOTA" is Västra Götalands län
    let found = options(&search(&anna, path, &form, "begrepp", "vastra GOTA").text().unwrap(), "f-begrepp-lagg-till");
    assert_eq!(found, vec![(iri("codelist/lan/14").as_str().to_owned(), "Västra Götalands län (lan/14)".to_owned())]);
    // nothing matches: the list is empty, the chosen one still ticked
    let html = unescape(&search(&anna, path, &form, "begrepp", "zzqx").text().unwrap());
    assert!(options(&html, "f-begrepp-lagg-till").is_empty());
    assert!(html.contains(&ticked));
    // an empty search lists all
    let html = search(&anna, path, &form, "begrepp", " ").text().unwrap();
    assert_eq!(options(&html, "f-begrepp-lagg-till"), all);
    assert!(!html.contains(r#"id="f-begrepp-traffar""#));

    // searching one picker keeps the other's search: every box is in the one form
    let mut both = form.clone();
    set(&mut both, "sok_datamangd", "lisa");
    let html = unescape(&search(&anna, path, &both, "begrepp", "kon").text().unwrap());
    assert!(html.contains(r#"name="sok_datamangd" value="lisa""#));
    let datasets = options(&html, "f-datamangd-lagg-till");
    assert!(!datasets.is_empty() && datasets.iter().all(|(_, l)| l.to_lowercase().contains("lisa")), "{datasets:?}");

    // saving from a searched page changes nothing the search hid
    let html = search(&anna, path, &form, "begrepp", "zzqx").text().unwrap();
    let mut again = form_fields(&html, path);
    set(&mut again, "meddelande", "Efter sökning");
    assert_eq!(post(&anna, path, &again).status(), StatusCode::SEE_OTHER);
    let (_, Resource::Variable(v)) = c.draft(&iri("variable/par-hdia")).unwrap().unwrap() else { panic!("a variable") };
    assert_eq!(v.concepts, vec![iri("codelist/kon/1")]);

    // in English
    let html = unescape(&search(&anna, &format!("{path}?lang=en"), &form, "begrepp", "kon").text().unwrap());
    assert!(html.contains("Showing the records that match ”kon”:"));
    assert!(html.contains(r#"formnovalidate>Search<span class="visually-hidden">: Concept</span></button>"#), "{html}");
}

#[test]
fn a_search_in_a_single_record_picker_narrows_its_list_and_keeps_the_chosen_one() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let path = "/variable/par-hdia/redigera";
    let mut form = form_fields(&anna.get(path).text().unwrap(), path);
    set(&mut form, "agare", iri("agent/scb").as_str());
    let all = options(&anna.get(path).text().unwrap(), "f-agare");
    assert!(all.len() > 3, "{all:?}");
    // "socialstyrelsen" (no case) narrows the owners; SCB, chosen, stays chosen; "none" stays
    let res = search(&anna, path, &form, "agare", "SOCIALSTYRELSEN");
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(&res.text().unwrap());
    let shown = options(&html, "f-agare");
    assert_eq!(shown[0].0, "", "the choice of none first: {shown:?}");
    let scb = iri("agent/scb").as_str().to_owned();
    assert!(html.contains(&format!(r#"<option value="{scb}" selected>"#)), "the chosen owner is still chosen");
    let rest: Vec<&(String, String)> = shown.iter().skip(1).filter(|(v, _)| *v != scb).collect();
    assert!(!rest.is_empty() && rest.iter().all(|(_, l)| l.to_lowercase().contains("socialstyrelsen")), "{shown:?}");
    assert!(shown.len() < all.len(), "{shown:?}");
    assert!(
        html.contains(&format!(r#"<p id="f-agare-traffar" role="status">Visar de poster som matchar ”SOCIALSTYRELSEN”: {}."#, rest.len()))
    );
    assert!(html.contains(r#"name="sok_agare" value="SOCIALSTYRELSEN" aria-describedby="f-agare-traffar f-agare-sok-hint" autofocus>"#));
    // the code list picker has its search too
    assert!(html.contains(r#"<button type="submit" name="sok" value="kodlista""#));
    assert!(html.contains(r#"<label for="f-kodlista-sok">Sök bland: Kodlista</label>"#));
}

#[test]
fn a_search_narrows_every_rows_list_of_data_collections_and_keeps_each_rows_choice() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let path = "/variable/par-hdia/redigera";
    let page = anna.get(path).text().unwrap();
    let all = options(&page, "f-krav_samling_0");
    assert!(all.len() > 3, "{all:?}");
    // the first row names a collection that the search will not match
    let other = all.iter().find(|(v, l)| !v.is_empty() && !l.to_lowercase().contains("patient")).expect("a collection").clone();
    let mut form = form_fields(&page, path);
    set(&mut form, "krav_samling_0", &other.0);
    let res = search(&anna, path, &form, "krav_samling", "Patient");
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(&res.text().unwrap());
    assert!(html.contains(r#"name="sok_krav_samling" value="Patient""#), "one search box above the rows");
    for row in ["f-krav_samling_0", "f-krav_samling_1"] {
        let shown = options(&html, row);
        assert_eq!(shown[0].0, "", "{row}: the choice of none first: {shown:?}");
        let rest: Vec<_> = shown.iter().skip(1).filter(|(v, _)| *v != other.0).collect();
        assert!(!rest.is_empty() && rest.iter().all(|(_, l)| l.to_lowercase().contains("patient")), "{row}: {shown:?}");
        assert!(shown.len() < all.len(), "{row}: narrowed: {shown:?}");
    }
    assert!(
        html.contains(&format!(r#"<option value="{}" selected>"#, other.0)),
        "the first row keeps its choice although the search does not match it"
    );
}

#[test]
fn a_search_keeps_what_was_typed_and_saves_nothing() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let hdia = iri("variable/par-hdia");
    let path = "/variable/par-hdia/redigera";
    let before = (c.latest_revision(&hdia).unwrap().map(|r| r.id), c.draft(&hdia).unwrap().map(|(r, _)| r.id));
    let page = anna.get(path).text().unwrap();
    // Enter in a field saves: the form's first submit button (its default) is a save button
    // without a name, before any picker's search button
    let first_submit = page.split("<form method=\"post\" action=\"/variable/par-hdia/redigera\"").nth(1).unwrap();
    let first_submit = &first_submit[first_submit.find("type=\"submit\"").unwrap()..];
    assert!(first_submit[..first_submit.find('>').unwrap()].contains("aria-hidden=\"true\""), "{first_submit:.200}");
    assert!(first_submit.find("Spara utkast").unwrap() < first_submit.find("name=\"sok\"").unwrap());
    let mut form = form_fields(&page, path);
    let label_before = form.iter().find(|(k, _)| k == "benamning_sv").unwrap().1.clone();
    set(&mut form, "benamning_sv", "Huvuddiagnos, ändrad men inte sparad");
    set(&mut form, "definition_en", "Typed, not saved.");
    set(&mut form, "meddelande", "Ett meddelande");
    set(&mut form, "kodlista", iri("codelist/kon").as_str());
    let res = search(&anna, path, &form, "begrepp", "kon");
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(&res.text().unwrap());
    // what was typed comes back, the revision the edit started from too
    assert!(html.contains(r#"value="Huvuddiagnos, ändrad men inte sparad""#));
    assert!(html.contains(">Typed, not saved.</textarea>"));
    assert!(html.contains(r#"value="Ett meddelande""#));
    assert!(html.contains(&format!(r#"<option value="{}" selected>"#, iri("codelist/kon").as_str())));
    let grund = form.iter().find(|(k, _)| k == "grund").unwrap().1.clone();
    assert!(html.contains(&format!(r#"name="grund" value="{grund}""#)));
    // and nothing is saved: no new revision, the record as it was
    let after = (c.latest_revision(&hdia).unwrap().map(|r| r.id), c.draft(&hdia).unwrap().map(|(r, _)| r.id));
    assert_eq!(before, after);
    let again = form_fields(&anna.get(path).text().unwrap(), path);
    assert_eq!(again.iter().find(|(k, _)| k == "benamning_sv").unwrap().1, label_before);
    // a new record's form too: the identifier typed is kept, nothing is made
    let mut new = form_fields(&anna.get("/variable/ny").text().unwrap(), "/variable/ny");
    set(&mut new, "id", "sokt-men-ej-sparad");
    set(&mut new, "benamning_sv", "Sökt men ej sparad");
    let html = search(&anna, "/variable/ny", &new, "agare", "scb").text().unwrap();
    assert!(html.contains(r#"value="sokt-men-ej-sparad""#) && html.contains(r#"value="Sökt men ej sparad""#));
    assert!(c.latest_revision(&iri("variable/sokt-men-ej-sparad")).unwrap().is_none(), "no record made");
}

#[test]
fn a_search_without_a_csrf_token_is_refused_like_any_post() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let path = "/variable/par-hdia/redigera";
    let form = form_fields(&anna.get(path).text().unwrap(), path);
    let mut without = form.clone();
    without.retain(|(k, _)| k != "csrf");
    let res = search(&anna, path, &without, "begrepp", "kon");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().unwrap().contains("säkerhetstoken (CSRF)"));
    let mut wrong = form.clone();
    set(&mut wrong, "csrf", &"0".repeat(64));
    assert_eq!(search(&anna, path, &wrong, "begrepp", "kon").status(), StatusCode::FORBIDDEN);
    // with its token the same search answers the form
    let res = search(&anna, path, &form, "begrepp", "kon");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().unwrap().contains(r#"id="f-begrepp-traffar""#));
    // signed out: no form at all
    let stranger = Browser::new(&server);
    let csrf = stranger.csrf();
    let mut theirs = form.clone();
    set(&mut theirs, "csrf", &csrf);
    let res = search(&stranger, path, &theirs, "begrepp", "kon");
    assert!(!res.status().is_success(), "{}", res.status());
}
