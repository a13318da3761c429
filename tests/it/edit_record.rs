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
    assert!(
        html.contains(r#"<legend><h2>HealthDCAT-AP och EHDS-minimielementen</h2></legend>"#) && html.contains("Hälsodatakategori (EHDS)")
    );
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
fn every_ehds_minimum_element_has_a_field_with_help_and_its_legal_reference() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let path = "/dataset/rikshoft/redigera";
    let html = anna.get(path).text().unwrap();
    // the new fields, each with the element's help text and the regulation's reference
    for (field, label) in [
        ("innehavare", "Hälsodatainnehavare"),
        ("datamangdstyp", "Typ av datamängd"),
        ("strukturerad", "Strukturerade data"),
        ("kodvarden", "Kodvärden"),
        ("proveniens_sv", "Ursprung (svenska)"),
        ("genererad_av", "Insamlad genom (hälsoaktivitet)"),
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("EHDS: (EU) 2026/2098, bilaga, del B; (EU) 2025/327 art."), "the legal reference under the fields");
    let en = anna.get(&format!("{path}?lang=en")).text().unwrap();
    assert!(en.contains("Health data holder (custodian)") && en.contains("EHDS: (EU) 2026/2098, Annex, Part B"));

    // entered, saved and read back as typed fields of the record
    let mut form = form_fields(&html, path);
    set(&mut form, "innehavare", &format!("{BASE}agent/region-skane"));
    set(&mut form, "datamangdstyp", "http://publications.europa.eu/resource/authority/dataset-type/PERSONAL_DATA");
    set(&mut form, "strukturerad", "false");
    set(&mut form, "kodvarden", "S72.0\nS72.1\n");
    set(&mut form, "proveniens_sv", "Registreras av ortopedklinikerna vid varje höftfrakturoperation.");
    set(&mut form, "proveniens_en", "Recorded by the orthopaedic departments at every hip fracture operation.");
    form.retain(|(k, _)| k != "genererad_av");
    form.push((
        "genererad_av".into(),
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/health-activity/QUALITY_REGISTRIES".into(),
    ));
    set(&mut form, "meddelande", "EHDS-elementen");
    let res = post(&anna, path, &form);
    assert_eq!(res.status(), 303, "{}", res.text().unwrap_or_default());
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (_, d) = c.draft(&iri("dataset/rikshoft")).unwrap().expect("a draft");
    let Resource::Dataset(d) = d else { panic!() };
    assert_eq!(d.custodian, Some(iri("agent/region-skane")));
    assert_eq!(
        d.dataset_type.as_ref().map(NamedNode::as_str),
        Some("http://publications.europa.eu/resource/authority/dataset-type/PERSONAL_DATA")
    );
    assert_eq!(d.has_structured_data, Some(false));
    assert_eq!(d.code_values, vec!["S72.0".to_owned(), "S72.1".to_owned()]);
    assert_eq!(d.provenance.len(), 1);
    assert_eq!(d.provenance[0].get("en"), Some("Recorded by the orthopaedic departments at every hip fracture operation."));
    assert_eq!(d.generated_by.len(), 1);
    // and the form shows them again
    let html = anna.get(path).text().unwrap();
    assert!(html.contains("S72.0\nS72.1") && html.contains("Registreras av ortopedklinikerna"), "the form reads the draft back");
}

#[test]
fn the_forms_name_frequencies_as_the_spreadsheets_do_and_ask_for_a_new_variables_id() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let html = anna.get("/dataset/rikshoft/redigera").text().unwrap();
    assert!(html.contains(">Årligen</option>") && html.contains(">Kontinuerligt</option>"), "the import's words");
    let html = anna.get("/dataset/rikshoft/redigera?lang=en").text().unwrap();
    assert!(html.contains(">Annual</option>"));
    let html = anna.get("/variable/ny?lang=sv").text().unwrap();
    assert!(html.contains(r#"<input type="text" id="f-id" name="id" value="" required aria-required="true""#), "{html}");
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

#[test]
fn a_variable_or_code_list_form_sent_back_unchanged_changes_nothing() {
    let server = start_server();
    let anna = signed_in(&server, "anna", Role::Redaktor);
    let c = Curation::new(server.catalogue.clone(), server.state.clone());
    let (_, variables) = server.catalogue.public_list(RecordKind::Variable, 0, 1000).unwrap();
    let (_, lists) = server.catalogue.public_list(RecordKind::CodeList, 0, 1000).unwrap();
    // every fourth variable (from every register: they are listed by IRI) and every code list
    let mut checked = 0;
    for r in variables.iter().step_by(4).chain(&lists) {
        let Some((kind, id)) = server.catalogue.minter().parse(r.iri().as_str()) else { continue };
        let path = format!("/{}/{id}/redigera", kind.as_str());
        let html = anna.get(&path).text().unwrap();
        let mut form = form_fields(&html, &path);
        set(&mut form, "meddelande", "Oförändrad");
        let res = post(&anna, &path, &form);
        assert_eq!(res.status(), 303, "{path}: {}", res.text().unwrap_or_default());
        let (_, draft) = c.draft(r.iri()).unwrap().expect("a draft");
        assert_eq!(&draft, r, "{path}: the form changed a field it was not asked to");
        checked += 1;
    }
    // no code of any list was saved: none changed
    let prefix = format!("{BASE}codelist/");
    let codes: Vec<String> = c.open_drafts().unwrap().into_iter().map(|(i, _)| i).filter(|i| i[prefix.len()..].contains('/')).collect();
    assert!(codes.is_empty(), "{codes:?}");
    assert!(checked >= 45, "{checked} records");
}
