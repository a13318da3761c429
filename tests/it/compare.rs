//! Comparing by meaning through a real server on the seed: variables of different registers
//! matched through their coding system (the Patient Register's diagnoses and the Cause of Death
//! Register's causes), names without case (Kon/kon), empty cells that are not differences, code
//! lists by code, "the same in other registers", the availability matrix and its CSV, and the
//! "Jämför markerade" checkboxes.

use reqwest::StatusCode;

use crate::support::{BASE, client, shared_server};

fn get(path: &str) -> (StatusCode, String) {
    let res = client().get(shared_server().url(path)).send().unwrap();
    (res.status(), res.text().unwrap())
}

/// The cells (`<td …>…</td>`) of the row headed `label`, as (class, text without tags).
fn row(html: &str, label: &str) -> Vec<(String, String)> {
    let head = format!("<th scope=\"row\">{label}</th>");
    let at = html.find(&head).unwrap_or_else(|| panic!("no row {label}"));
    let rest = &html[at + head.len()..];
    let end = rest.find("</tr>").unwrap();
    rest[..end]
        .split("<td")
        .skip(1)
        .map(|cell| {
            let class = cell.split("class=\"").nth(1).and_then(|c| c.split('"').next()).unwrap_or_default().to_owned();
            let inner = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            (class, text.trim().to_owned())
        })
        .collect()
}

#[test]
fn diagnoses_of_the_patient_and_cause_of_death_registers_match_through_their_coding_system() {
    // the main diagnosis (ICD-10-SE) finds the underlying cause of death (ICD-10, WHO) in
    // another register, and says why
    let (status, page) = get("/variable/par-hdia");
    assert_eq!(status, StatusCode::OK);
    let at = page.find("<h2 id=\"samma\">Samma i andra register</h2>").expect("the same in other registers");
    let section = &page[at..page[at..].find("</section>").unwrap() + at];
    assert!(section.contains("href=\"/variable/dors-ulorsak\""), "{section}");
    assert!(section.contains("Dödsorsaksregistret"), "{section}");
    assert!(section.contains("besläktade kodverk: ICD-10-SE är en version av ICD-10 (WHO)"), "{section}");
    assert!(!section.contains("href=\"/variable/par-dia1\""), "a variable of the same registers is not 'in another register'");

    // the link that makes it so is on the coding system's page
    let (_, standard) = get("/standard/icd-10-se");
    assert!(standard.contains("<dt>Version av</dt><dd><a href=\"/standard/icd-10\">ICD-10 (WHO)</a></dd>"), "{standard}");

    let (status, page) = get("/jamfor?v=par-hdia&v=dors-ulorsak");
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>Jämför variabler</h1>"));
    assert!(page.contains("Patientregistret, sluten vård") && page.contains("Dödsorsaksregistret"), "columns name their registers");
    assert!(
        page.contains("<strong>Huvuddiagnos (HDIA) och Underliggande dödsorsak (ULORSAK):</strong> <span class=\"reason\">besläktade kodverk: ICD-10-SE är en version av ICD-10 (WHO)</span>"),
        "{page}"
    );
    // the coding systems differ, and say so; so do the definitions
    assert_eq!(row(&page, "Kodverk")[1].0, "differs");
    assert_eq!(row(&page, "Definition")[1].0, "differs");
    // in English too
    let (_, en) = get("/jamfor?v=par-hdia&v=dors-ulorsak&lang=en");
    assert!(en.contains("related coding systems: ICD-10-SE is a version of ICD-10 (WHO)"), "{en}");

    // ids and IRIs both name variables; fewer than two published variables is a 404 that says so
    let (status, _) = get(&format!("/jamfor?v={}&v=dors-ulorsak", urlencode(&format!("{BASE}variable/par-hdia"))));
    assert_eq!(status, StatusCode::OK);
    let (status, body) = get("/jamfor?v=par-hdia");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Markera minst två publicerade variabler att jämföra."), "{body}");
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_owned()
}

#[test]
fn kon_and_kon_are_equal_and_an_empty_cell_is_not_a_difference() {
    let (status, page) = get("/jamfor?v=lisa-kon&v=vt-kon");
    assert_eq!(status, StatusCode::OK);
    // the weakest signal, named as such
    assert!(page.contains("samma tekniska namn utan hänsyn till versaler och accenter: Kon = kon (svagast)"), "{page}");
    let names = row(&page, "Tekniskt namn");
    assert_eq!(names, vec![("same".into(), "Kon".into()), ("same".into(), "kon".into())], "Kon and kon are one name");
    // LISA states a definition, the waiting times do not: not stated, not different
    let definition = row(&page, "Definition");
    assert_eq!(definition[0].0, "same");
    assert_eq!(definition[1], ("not-stated".into(), "uppgift saknas".into()));
    assert!(!page.contains("class=\"not-stated\"><span class=\"muted\">uppgift saknas</span> <span class=\"differs-mark\""));
    // the code list is stated on one side only: not stated, not a difference
    assert_eq!(row(&page, "Kodlista")[1].0, "not-stated");

    // two variables with the same code list: matched through it, and the codes are shared
    let (_, page) = get("/jamfor?v=lisa-kon&v=bef-kon");
    assert!(page.contains("samma kodlista: Kön"), "{page}");
    let codes = row(&page, "Koder");
    assert_eq!(codes[1].0, "same", "{codes:?}");
    assert!(codes[1].1.starts_with("Gemensamma koder: 1, 2 · Bara här: – · Bara i första: –"), "{codes:?}");
}

#[test]
fn the_availability_matrix_shows_registers_by_year_with_a_summary_and_as_csv() {
    let iri = format!("{BASE}variable/par-hdia");
    let (status, page) = get(&format!("/tillganglighet?begrepp={}", urlencode(&iri)));
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("<h1>Tillgänglighet per register och år: Huvuddiagnos</h1>"), "{page}");
    assert!(page.contains("<caption>Register med Huvuddiagnos, per år"), "an accessible table has a caption");
    assert!(page.contains("<th scope=\"col\">År</th>"));
    // the text summary: the diagnosis variables state 1964 on, so inpatient care from 1964 and
    // outpatient care from 2001 (within each register's own coverage), the cause of death
    // register without years
    assert!(page.contains("Patientregistret, sluten vård: 1964–"), "{page}");
    assert!(page.contains("Patientregistret, öppen vård: 2001–"), "{page}");
    assert!(page.contains("Dödsorsaksregistret: år anges inte (MORSAK1, ULORSAK)"), "{page}");
    assert!(page.contains("(HDIA, DIA1, DIA2, DIA3, DIA4, DIA5, DIA6, DIA7, … +"), "names in the order people read them: {page}");
    assert!(page.contains("delvis från registrets egen tidstäckning"));
    let cells = |year: &str| row(&page, year).into_iter().map(|(class, _)| class).collect::<Vec<_>>();
    let order: Vec<usize> = ["Patientregistret, sluten vård", "Patientregistret, öppen vård", "Dödsorsaksregistret"]
        .iter()
        .map(|n| page.find(&format!(">{n}</a></th>")).unwrap_or_else(|| panic!("a column for {n}")))
        .collect();
    assert!(order.iter().all(|o| *o > 0));
    let head = &page[page.find("<thead>").unwrap()..page.find("</thead>").unwrap()];
    let columns: Vec<&str> =
        head.split("<th scope=\"col\">").skip(2).map(|c| &c[c.find('>').unwrap() + 1..c.find("</a>").unwrap()]).collect();
    let at = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    let (sluten, oppen, dors) = (at("Patientregistret, sluten vård"), at("Patientregistret, öppen vård"), at("Dödsorsaksregistret"));
    let y2000 = cells("2000");
    assert_eq!((y2000[sluten].as_str(), y2000[oppen].as_str(), y2000[dors].as_str()), ("available", "not-available", "not-available"));
    let y2001 = cells("2001");
    assert_eq!((y2001[sluten].as_str(), y2001[oppen].as_str()), ("available", "available"));
    assert!(!page.contains("<th scope=\"row\">1963</th>"), "the years start with the first covered");

    let res = client().get(shared_server().url(&format!("/tillganglighet.csv?begrepp={}", urlencode(&iri)))).send().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("\"År\";"), "{csv}");
    assert!(lines[0].contains("\"Dödsorsaksregistret\""));
    let line_2000 = lines.iter().find(|l| l.starts_with("\"2000\";")).unwrap();
    assert_eq!(line_2000.matches("\"finns\"").count(), 1, "{line_2000}");

    // a code: the variables coded with its coding system (and a version of it)
    let code = format!("{BASE}codelist/icd-10-se-hoftfraktur/S72.0");
    let (status, page) = get(&format!("/tillganglighet?begrepp={}", urlencode(&code)));
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Dödsorsaksregistret") && page.contains("Patientregistret, sluten vård"), "{page}");
    let (_, page) = get("/codelist/icd-10-se-hoftfraktur/S72.0");
    assert!(page.contains("<h2 id=\"samma\">Variabler i olika register</h2>"), "{page}");
    assert!(page.contains("href=\"/variable/par-hdia\"") && page.contains("samma kodverk: ICD-10-SE"));
    assert!(page.contains("href=\"/tillganglighet?begrepp="));

    // not a concept: 404
    assert_eq!(get("/tillganglighet?begrepp=https%3A%2F%2Fx.se%2Fnone").0, StatusCode::NOT_FOUND);
    assert_eq!(get("/tillganglighet").0, StatusCode::NOT_FOUND);
}

#[test]
fn search_results_and_the_variable_list_carry_compare_checkboxes() {
    let (_, page) = get("/sok?q=J18");
    assert!(page.contains("<form id=\"jamfor\" action=\"/jamfor\" method=\"get\""), "a GET form to the comparison");
    assert!(page.contains("<button type=\"submit\">Jämför markerade</button>"));
    let hdia = format!("name=\"v\" value=\"{BASE}variable/par-hdia\" form=\"jamfor\"");
    let ulorsak = format!("name=\"v\" value=\"{BASE}variable/dors-ulorsak\" form=\"jamfor\"");
    assert!(page.contains(&hdia) && page.contains(&ulorsak), "checkboxes of variables from two registers");
    let (_, list) = get("/variabellista?v=par-hdia&v=dors-ulorsak");
    assert!(list.contains("<form id=\"jamfor\" action=\"/jamfor\"") && list.contains(&hdia) && list.contains(&ulorsak));
    // what the form sends is a comparison
    let (status, _) = get(&format!(
        "/jamfor?v={}&v={}",
        urlencode(&format!("{BASE}variable/par-hdia")),
        urlencode(&format!("{BASE}variable/dors-ulorsak"))
    ));
    assert_eq!(status, StatusCode::OK);
}
