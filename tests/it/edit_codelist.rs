//! The code-list form: add, remove and reorder codes, validity periods, validation next to each
//! row, no lost updates, roles and CSRF; saved as drafts that the public does not see.

use oxigraph::model::NamedNode;
use vardkatalog::accounts::Role;
use vardkatalog::curation::{Actor, Curation};
use vardkatalog::model::Resource;

use crate::support::{BASE, Browser, client, signed_in, start_server};

/// The row number the form gives an existing code.
fn row_of(html: &str, code: &str) -> String {
    let re = regex::Regex::new(&format!(r#"name="kod_fore_(\d+)" value="{}""#, regex::escape(code))).unwrap();
    re.captures(html).unwrap_or_else(|| panic!("no row for code {code}"))[1].to_owned()
}

fn hidden(html: &str, name: &str) -> String {
    let re = regex::Regex::new(&format!(r#"name="{name}" value="([^"]*)""#)).unwrap();
    re.captures(html).unwrap_or_else(|| panic!("no field {name}"))[1].to_owned()
}

/// The form as the browser would send it for the list `kon`, with `changes` applied.
fn kon_form(html: &str, csrf: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.into()),
        ("grund".into(), hidden(html, "grund")),
        ("kod_rader".into(), hidden(html, "kod_rader")),
        ("titel_sv".into(), "Kön".into()),
        ("titel_en".into(), "Sex".into()),
    ];
    for code in ["1", "2"] {
        let n = row_of(html, code);
        f.push((format!("kod_fore_{n}"), code.into()));
        f.push((format!("kod_{n}"), code.into()));
        f.push((format!("kod_sv_{n}"), hidden(html, &format!("kod_sv_{n}"))));
        f.push((format!("kod_ordning_{n}"), hidden(html, &format!("kod_ordning_{n}"))));
    }
    for (k, v) in changes {
        f.retain(|(name, _)| name != k);
        f.push(((*k).into(), (*v).into()));
    }
    f
}

fn post(b: &Browser, path: &str, form: &[(String, String)]) -> reqwest::blocking::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post_form(path, &pairs)
}

fn iri(path: &str) -> NamedNode {
    NamedNode::new(format!("{BASE}{path}")).unwrap()
}

#[test]
fn codes_are_added_removed_and_reordered_as_drafts() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let res = anna.get("/codelist/kon/redigera");
    assert_eq!(res.status(), 200);
    let html = res.text().unwrap();
    assert!(html.contains(r#"<label for="f-kod_sv_0">Benämning (svenska)</label>"#), "every input has a label");
    let (one, two) = (row_of(&html, "1"), row_of(&html, "2"));
    let spare: usize = hidden(&html, "kod_rader").parse::<usize>().unwrap() - 1;
    let csrf = anna.csrf();
    let form = kon_form(
        &html,
        &csrf,
        &[
            (&format!("kod_sv_{one}"), "Man (manligt kön)"),
            (&format!("kod_ordning_{one}"), "3"),
            (&format!("kod_bort_{two}"), "ja"),
            (&format!("kod_{spare}"), "9"),
            (&format!("kod_sv_{spare}"), "Okänt"),
            (&format!("kod_fran_{spare}"), "2020"),
            (&format!("kod_ordning_{spare}"), "1"),
            ("meddelande", "Okänt kön som kod"),
        ],
    );
    let res = post(&anna, "/codelist/kon/redigera", &form);
    assert_eq!(res.status(), 303, "{}", res.text().unwrap_or_default());
    assert_eq!(res.headers()["location"], "/codelist/kon/utkast");

    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (rev, _) = c.draft(&iri("codelist/kon")).unwrap().expect("a draft of the list");
    assert_eq!(rev.message, "Okänt kön som kod");
    let Some((_, Resource::Concept(nine))) = c.current(&iri("codelist/kon/9")).unwrap() else { panic!("code 9") };
    assert_eq!(nine.label.get("sv"), Some("Okänt"));
    assert_eq!(nine.valid_from.as_ref().unwrap().value(), "2020");
    assert_eq!(nine.in_scheme, vec![iri("codelist/kon")]);
    let Some((_, Resource::Concept(two_now))) = c.current(&iri("codelist/kon/2")).unwrap() else { panic!() };
    assert!(two_now.in_scheme.is_empty(), "a removed code leaves the list");
    let Some((_, Resource::Concept(one_now))) = c.current(&iri("codelist/kon/1")).unwrap() else { panic!() };
    assert_eq!((one_now.label.get("sv"), one_now.order), (Some("Man (manligt kön)"), Some(3)));

    // the public list is as it was
    let public = client().get(server.url("/codelist/kon")).send().unwrap().text().unwrap();
    assert!(public.contains("Kvinna") && !public.contains("Okänt"));
    // the form now shows the draft: 9 first (order 1), then 1; 2 is gone
    let html = anna.get("/codelist/kon/redigera").text().unwrap();
    assert!(html.contains(r#"name="kod_fore_0" value="9""#) && html.contains(r#"name="kod_fore_1" value="1""#), "reordered");
    assert!(!html.contains(r#"name="kod_fore_2" value="2""#) && !html.contains("Kvinna"));
}

#[test]
fn invalid_rows_are_reported_next_to_them_and_nothing_is_saved() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let html = anna.get("/codelist/kon/redigera").text().unwrap();
    let spare: usize = hidden(&html, "kod_rader").parse::<usize>().unwrap() - 1;
    let csrf = anna.csrf();
    let one = row_of(&html, "1");
    let form = kon_form(
        &html,
        &csrf,
        &[
            ("titel_sv", ""),
            (&format!("kod_fran_{one}"), "2021"),
            (&format!("kod_till_{one}"), "2019"),
            (&format!("kod_{spare}"), "2"),
            (&format!("kod_sv_{spare}"), ""),
            (&format!("kod_fran_{}", spare - 1), "20x1"),
            (&format!("kod_{}", spare - 1), "8"),
            (&format!("kod_sv_{}", spare - 1), "Åtta"),
        ],
    );
    let res = post(&anna, "/codelist/kon/redigera", &form);
    assert_eq!(res.status(), 400);
    let html = res.text().unwrap();
    assert!(html.contains(r#"<p class="field-error" id="f-titel_sv-fel">Skriv titeln på svenska.</p>"#), "{html}");
    assert!(html.contains(&format!("Kodrad {}: giltigheten slutar innan den börjar.", one.parse::<usize>().unwrap() + 1)));
    // empty rows are dropped when the form comes back, so the rows are numbered as shown
    assert!(
        regex::Regex::new(r"Kodrad \d+: koden 2 finns redan i listan; skriv benämningen på svenska.").unwrap().is_match(&html),
        "{html}"
    );
    assert!(html.contains("skriv datum som 2024, 2024-05 eller 2024-05-01"));
    assert!(html.contains(r#"value="20x1""#) && html.contains(r#"value="Åtta""#), "what was typed is kept");
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    assert!(c.draft(&iri("codelist/kon")).unwrap().is_none(), "nothing saved");
    assert!(c.current(&iri("codelist/kon/8")).unwrap().is_none());
}

#[test]
fn a_save_over_a_newer_revision_is_refused() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let html = anna.get("/codelist/kon/redigera").text().unwrap();
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (_, mut list) = c.current(&iri("codelist/kon")).unwrap().unwrap();
    if let Resource::CodeList(l) = &mut list {
        l.description.set("sv", "Bos beskrivning");
    }
    c.save_draft(&Actor { user: "bo".into(), role: Role::Redaktor }, list, None, "Beskrivning").unwrap();
    let csrf = anna.csrf();
    let res = post(&anna, "/codelist/kon/redigera", &kon_form(&html, &csrf, &[("titel_en", "Sex (legal)")]));
    assert_eq!(res.status(), 409);
    assert!(res.text().unwrap().contains("Någon annan sparade kodlistan"));
    let (_, l) = c.draft(&iri("codelist/kon")).unwrap().unwrap();
    assert_eq!(l.label().get("en"), Some("Sex"), "anna's save did not replace bo's");
}

#[test]
fn new_code_lists_roles_and_csrf() {
    let server = start_server();
    assert_eq!(client().get(server.url("/codelist/kon/redigera")).send().unwrap().status(), 303);
    assert_eq!(client().get(server.url("/codelist/ny")).send().unwrap().status(), 303);
    let anna = signed_in(&server, "anna", Role::Redaktor);
    assert_eq!(anna.get("/codelist/ny").status(), 200);
    let csrf = anna.csrf();
    let base = |id: &str, csrf: &str| -> Vec<(String, String)> {
        [
            ("csrf", csrf),
            ("id", id),
            ("kod_rader", "2"),
            ("titel_sv", "Svarsalternativ"),
            ("kod_0", "J"),
            ("kod_sv_0", "Ja"),
            ("kod_1", "N"),
            ("kod_sv_1", "Nej"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
    };
    assert_eq!(post(&anna, "/codelist/ny", &base("svar", "fel")).status(), 403, "CSRF");
    let res = post(&anna, "/codelist/ny", &base("kon", &csrf));
    assert_eq!(res.status(), 400);
    assert!(res.text().unwrap().contains("Det finns redan en kodlista med identifieraren kon."));
    assert_eq!(post(&anna, "/codelist/ny", &base("Svar Lista", &csrf)).status(), 400);
    let res = post(&anna, "/codelist/ny", &base("svar", &csrf));
    assert_eq!(res.status(), 303);
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    assert!(c.draft(&iri("codelist/svar")).unwrap().is_some());
    let Some((_, Resource::Concept(j))) = c.current(&iri("codelist/svar/J")).unwrap() else { panic!() };
    assert_eq!(j.label.get("sv"), Some("Ja"));
    assert_eq!(client().get(server.url("/codelist/svar")).send().unwrap().status(), 404, "a draft is not public");
}

#[test]
fn a_code_list_form_is_accepted_up_to_its_documented_limit_of_one_megabyte() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let csrf = anna.csrf();
    // a list of 1,900 codes: over 300 KB, more than actix's default 256 KB body limit
    let form = |id: &str, codes: usize, padding: usize| -> Vec<(String, String)> {
        let mut f: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.clone()),
            ("id".into(), id.into()),
            ("kod_rader".into(), codes.to_string()),
            ("titel_sv".into(), "Många koder".into()),
            ("beskrivning_sv".into(), "x".repeat(padding)),
        ];
        for i in 0..codes {
            f.push((format!("kod_{i}"), format!("K{i:04}")));
            f.push((
                format!("kod_sv_{i}"),
                format!(
                    "Kod nummer {i} i en lång lista över vårdgivare, vårdenheter och mottagningar i Sveriges tjugoen regioner och kommuner"
                ),
            ));
        }
        f
    };
    let big = form("manga", 1900, 0);
    let size = serde_urlencoded::to_string(&big).unwrap().len();
    assert!((300 * 1024..1024 * 1024).contains(&size), "{size} bytes");
    let res = post(&anna, "/codelist/ny", &big);
    assert_eq!(res.status(), 303, "{size} bytes are within the limit: {}", res.text().unwrap_or_default());
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    assert!(c.current(&iri("codelist/manga/K1899")).unwrap().is_some(), "every code is kept");
    // just over 1 MB: 413, naming the limit
    let over = form("for-manga", 10, 1024 * 1024);
    let res = post(&anna, "/codelist/ny", &over);
    assert_eq!(res.status(), 413);
    assert!(res.text().unwrap().contains("1024 kB"));
}

/// Curators keep a code's synonyms and search words in the code-list form; once the code is
/// published, the search knows it by them, and finds the variables coded with its coding
/// system (the Patient Register's diagnosis variables for an ICD-10-SE code).
#[test]
fn synonyms_kept_in_the_form_are_found_by_the_search() {
    use vardkatalog::search::SearchRequest;
    let server = start_server();
    let search = |text: &str| -> Vec<String> {
        let r = server.catalogue.index().search(&SearchRequest { text: text.into(), limit: 50, ..Default::default() }).unwrap();
        r.hits.into_iter().map(|h| h.iri.trim_start_matches(BASE).to_owned()).collect()
    };
    assert!(search("lårbenshalsbrott").is_empty(), "not yet a synonym");

    let anna = signed_in(&server, "anna", Role::Redaktor);
    let path = "/codelist/icd-10-se-hoftfraktur/redigera";
    let html = anna.get(path).text().unwrap();
    let n = row_of(&html, "S72.0");
    assert!(html.contains(r#"value="Cervikal höftfraktur; Lårbenshalsfraktur""#), "the synonyms are shown in the row");
    assert!(html.contains(r#"value="höftfraktur""#), "and the search words");
    let mut form = crate::curation::form_fields(&html, path);
    let set = |form: &mut Vec<(String, String)>, k: &str, v: &str| {
        form.retain(|(name, _)| name != k);
        form.push((k.to_owned(), v.to_owned()));
    };
    set(&mut form, &format!("kod_synonymer_{n}"), "Cervikal höftfraktur; Lårbenshalsfraktur; Lårbenshalsbrott");
    set(&mut form, &format!("kod_sokord_{n}"), "höftfraktur; collumfraktur");
    set(&mut form, "meddelande", "Synonymer");
    let res = post(&anna, path, &form);
    assert_eq!(res.status(), 303, "{}", res.text().unwrap_or_default());

    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let code = iri("codelist/icd-10-se-hoftfraktur/S72.0");
    let Some((_, Resource::Concept(draft))) = c.current(&code).unwrap() else { panic!("a draft of S72.0") };
    let alt: Vec<(&str, &str)> = draft.alt_labels.iter().map(|l| (l.lang.as_str(), l.value.as_str())).collect();
    assert_eq!(
        alt,
        [("en", "Femoral neck fracture"), ("sv", "Cervikal höftfraktur"), ("sv", "Lårbenshalsbrott"), ("sv", "Lårbenshalsfraktur")]
    );
    assert!(search("lårbenshalsbrott").is_empty(), "a draft is not searched");

    c.submit(&Actor { user: "anna".into(), role: Role::Redaktor }, &code, "Klar").unwrap();
    c.publish(&Actor { user: "greta".into(), role: Role::Granskare }, &code, "Synonymer").unwrap();
    for words in ["lårbenshalsbrott", "collumfraktur"] {
        let hits = search(words);
        assert_eq!(hits.first().map(String::as_str), Some("codelist/icd-10-se-hoftfraktur/S72.0"), "{words}: {hits:?}");
        assert!(hits.contains(&"variable/par-hdia".to_owned()), "{words}: {hits:?}");
    }
    // the code's page shows the synonyms, not the search words
    let page = client().get(server.url("/codelist/icd-10-se-hoftfraktur/S72.0")).send().unwrap().text().unwrap();
    assert!(page.contains("Lårbenshalsbrott") && !page.contains("collumfraktur"), "{page}");
}
