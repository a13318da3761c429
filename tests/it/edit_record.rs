//! The dataset and use-case forms: a form sent back unchanged changes nothing, validation
//! next to each field, new records, no lost updates; drafts stay off public pages.

use oxigraph::model::NamedNode;
use vardkatalog::accounts::Role;
use vardkatalog::curation::{Actor, Curation};
use vardkatalog::model::{RecordKind, Resource};

use crate::curation::form_fields;
use crate::support::{BASE, Browser, client, signed_in, start_server};

fn post(b: &Browser, path: &str, form: &[(String, String)]) -> reqwest::blocking::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post_form(path, &pairs)
}

fn set(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    form.retain(|(k, _)| k != name);
    form.push((name.to_owned(), value.to_owned()));
}

fn iri(path: &str) -> NamedNode {
    NamedNode::new(format!("{BASE}{path}")).unwrap()
}

#[test]
fn a_form_sent_back_unchanged_keeps_every_field() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (_, datasets) = server.catalogue.public_list(RecordKind::Dataset, 0, 1000).unwrap();
    let (_, usecases) = server.catalogue.public_list(RecordKind::UseCase, 0, 1000).unwrap();
    let mut checked = 0;
    for r in datasets.iter().chain(&usecases) {
        let (kind, id) = server.catalogue.minter().parse(r.iri().as_str()).unwrap();
        let path = format!("/{}/{id}/redigera", kind.as_str());
        let res = anna.get(&path);
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().unwrap();
        let mut form = form_fields(&html, &path);
        set(&mut form, "meddelande", "Oförändrad");
        let res = post(&anna, &path, &form);
        assert_eq!(res.status(), 303, "{path}: {}", res.text().unwrap_or_default());
        let (_, draft) = c.draft(r.iri()).unwrap().expect("a draft");
        assert_eq!(&draft, r, "{path}: the form changed a field it was not asked to");
        checked += 1;
    }
    assert!(checked >= 15, "{checked} records");
}

#[test]
fn dataset_form_checks_each_field_and_keeps_what_was_typed() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let path = "/dataset/rikshoft/redigera";
    let html = anna.get(path).text().unwrap();
    assert!(html.contains(r#"<legend>HealthDCAT-AP</legend>"#) && html.contains("Hälsodatakategori (EHDS)"));
    let mut form = form_fields(&html, path);
    set(&mut form, "titel_sv", "");
    set(&mut form, "utfardad", "2024-13-45");
    set(&mut form, "antal_poster", "många");
    set(&mut form, "min_alder", "90");
    set(&mut form, "max_alder", "10");
    set(&mut form, "landningssida", "https://rikshoft.se/\nrikshoft.se");
    set(&mut form, "tidsperioder", "sedan länge");
    let res = post(&anna, path, &form);
    assert_eq!(res.status(), 400);
    let html = res.text().unwrap();
    for (field, message) in [
        ("titel_sv", "Skriv titeln på svenska."),
        ("utfardad", "Skriv ett datum som 2024-05-01 (eller 2024, 2024-05)."),
        ("antal_poster", "Skriv ett heltal (0 eller mer)."),
        ("max_alder", "Högsta åldern är lägre än den lägsta."),
        ("landningssida", "Rad 2 är inte en webbadress (http:// eller https://)."),
        ("tidsperioder", "Rad 1 är ingen period (1997– eller 1997–2008)."),
    ] {
        assert!(html.contains(&format!(r#"<p class="field-error" id="f-{field}-fel">{message}</p>"#)), "{field}: {html}");
        assert!(html.contains(&format!(r##"<a href="#f-{field}">"##)), "the summary links to {field}");
    }
    assert!(html.contains(r#"value="många""#) && html.contains("sedan länge"), "what was typed is kept");
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    assert!(c.draft(&iri("dataset/rikshoft")).unwrap().is_none());
}

#[test]
fn new_datasets_and_use_cases_are_drafts() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let html = anna.get("/dataset/ny").text().unwrap();
    let mut form = form_fields(&html, "/dataset/ny");
    set(&mut form, "id", "testregistret");
    set(&mut form, "titel_sv", "Testregistret");
    set(&mut form, "beskrivning_sv", "Ett register för test.");
    set(&mut form, "utgivare", &format!("{BASE}agent/socialstyrelsen"));
    set(&mut form, "kontakt", &format!("{BASE}agent/socialstyrelsen"));
    set(&mut form, "atkomst", "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC");
    set(&mut form, "tidsperioder", "1987–");
    form.push(("halsokategori".into(), "http://healthdataportal.eu/resource/authority/healthcategories/MRMR".into()));
    let res = post(&anna, "/dataset/ny", &form);
    assert_eq!(res.status(), 303, "{}", res.text().unwrap_or_default());
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (_, d) = c.draft(&iri("dataset/testregistret")).unwrap().unwrap();
    let Resource::Dataset(d) = d else { panic!() };
    assert_eq!(d.contact_points, vec![iri("agent/socialstyrelsen#kontakt")]);
    assert_eq!(d.temporal[0].label(), "1987–");
    assert_eq!(d.languages.len(), 1, "Swedish is offered by default");
    assert_eq!(d.health_categories.len(), 1);
    assert_eq!(client().get(server.url("/dataset/testregistret")).send().unwrap().status(), 404);
    // the id is checked
    set(&mut form, "id", "lisa");
    let res = post(&anna, "/dataset/ny", &form);
    assert_eq!(res.status(), 400);
    assert!(res.text().unwrap().contains("Identifieraren lisa är upptagen."));

    // a use case names variables by id; an unknown one is an error next to the field
    let html = anna.get("/usecase/ny").text().unwrap();
    let mut form = form_fields(&html, "/usecase/ny");
    set(&mut form, "id", "e-test");
    set(&mut form, "beteckning", "E");
    set(&mut form, "titel_sv", "Testfall");
    set(&mut form, "variabler", "par-hdia\nfinns-inte");
    let res = post(&anna, "/usecase/ny", &form);
    assert_eq!(res.status(), 400);
    assert!(res.text().unwrap().contains(r#"<p class="field-error" id="f-variabler-fel">Det finns ingen variabel finns-inte.</p>"#));
    set(&mut form, "variabler", "par-hdia");
    form.push(("datamangder".into(), format!("{BASE}dataset/patientregistret")));
    assert_eq!(post(&anna, "/usecase/ny", &form).status(), 303);
    let (_, u) = c.draft(&iri("usecase/e-test")).unwrap().unwrap();
    let Resource::UseCase(u) = u else { panic!() };
    assert_eq!((u.variables, u.datasets), (vec![iri("variable/par-hdia")], vec![iri("dataset/patientregistret")]));
}

#[test]
fn a_save_over_a_newer_revision_shows_what_changed() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let path = "/usecase/a-vardplatser/redigera";
    let html = anna.get(path).text().unwrap();
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (_, mut u) = c.current(&iri("usecase/a-vardplatser")).unwrap().unwrap();
    if let Resource::UseCase(x) = &mut u {
        x.description.set("sv", "Bos nya beskrivning");
    }
    c.save_draft(&Actor { user: "bo".into(), role: Role::Redaktor }, u, None, "Beskrivning").unwrap();
    let mut form = form_fields(&html, path);
    set(&mut form, "titel_en", "Overview of beds");
    let res = post(&anna, path, &form);
    assert_eq!(res.status(), 409);
    let html = res.text().unwrap();
    assert!(html.contains("Ändrat av någon annan under tiden"));
    assert!(html.contains("Bos nya beskrivning"), "the diff names the change");
    // saving again (the form now carries the latest revision) replaces it
    let form = form_fields(&html, path);
    assert_eq!(post(&anna, path, &form).status(), 303);
}
