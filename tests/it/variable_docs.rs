//! A variable's documentation (issue 18 item 5) through a real server: missing values with
//! their meaning, temporality and unit type edited in the variable's form, shown on its page
//! in both languages and in its RDF; the validity of a list's codes as a table with bars.

use reqwest::StatusCode;
use vardkatalog::accounts::Role;
use vardkatalog::curation::{Actor, Curation};
use vardkatalog::model::vocab::vk;
use vardkatalog::model::{Resource, Temporal};

use crate::curation::form_fields;
use crate::support::{BASE, client, signed_in, start_server};

const VARIABLE: &str = "kpp-vardtid-dagar";

fn page(s: &crate::support::TestServer, path: &str) -> String {
    let res = client().get(s.url(path)).send().unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().unwrap()
}

#[test]
fn a_variables_documentation_is_edited_in_its_form_and_shown_on_its_page() {
    let s = start_server();
    let editor = signed_in(&s, "anna", Role::Redaktor);
    let reviewer = signed_in(&s, "bertil", Role::Granskare);
    let path = format!("/variable/{VARIABLE}/redigera");
    let html = editor.get(&path).text().unwrap();
    for offered in ["Temporalitet", "Ackumulerat över en period", "Enhetstyp", "Vårdtillfälle", "Förskrivning"] {
        assert!(html.contains(offered), "the form offers {offered}");
    }
    let send = |changes: &[(&str, String)]| {
        let mut fields = form_fields(&editor.get(&path).text().unwrap(), &path);
        for (k, v) in changes {
            fields.retain(|(name, _)| name != k);
            fields.push(((*k).to_owned(), v.clone()));
        }
        fields.retain(|(name, _)| name != "meddelande");
        fields.push(("meddelande".into(), "Dokumentation".into()));
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        editor.post_form(&path, &pairs)
    };
    // a choice that is not offered is refused, naming the field, and nothing is saved
    let refused = send(&[("temporalitet", "https://example.org/ibland".into())]);
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().unwrap().contains("id=\"f-temporalitet-fel\""));
    let saved = send(&[
        ("saknade", "9 = Uppgift saknas, 99".into()),
        ("temporalitet", format!("{}AccumulatedOverPeriod", vk::NS)),
        ("enhetstyp", format!("{}Stay", vk::NS)),
    ]);
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{}", saved.text().unwrap_or_default());
    let csrf = editor.csrf();
    assert_eq!(editor.post_form(&format!("/variable/{VARIABLE}/skicka"), &[("csrf", &csrf)]).status(), StatusCode::SEE_OTHER);
    let csrf = reviewer.csrf();
    let res = reviewer.post_form(&format!("/variable/{VARIABLE}/publicera"), &[("csrf", &csrf), ("andringsnotering", "Dokumentation")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let sv = page(&s, &format!("/variable/{VARIABLE}"));
    for shown in ["Saknade värden och vad de betyder", "Uppgift saknas", "<code>99</code>", "Ackumulerat över en period", "Vårdtillfälle"]
    {
        assert!(sv.contains(shown), "the page shows {shown}: {sv}");
    }
    let en = page(&s, &format!("/variable/{VARIABLE}?lang=en"));
    for shown in ["Missing values and what they mean", "Accumulated over a period", "Stay (hospital episode)", "Unit type"] {
        assert!(en.contains(shown), "the English page shows {shown}");
    }
    // the form shows what was saved, as it was written
    assert!(editor.get(&path).text().unwrap().contains("value=\"9 = Uppgift saknas, 99\""));
    let turtle = page(&s, &format!("/variable/{VARIABLE}.ttl"));
    for term in ["missingValue", "isValid", "analysisUnit", "Stay", "AccumulatedOverPeriod", "\"Uppgift saknas\"@sv"] {
        assert!(turtle.contains(term), "the RDF has {term}: {turtle}");
    }
    // the published change is classified and named on /andringar
    assert!(page(&s, "/andringar").contains("Temporalitet"));
}

#[test]
fn a_code_lists_validity_periods_are_a_table_with_bars() {
    let s = start_server();
    assert!(!page(&s, "/codelist/kon").contains("Kodernas giltighet"), "no code has a period: no timeline");
    let c = Curation::new(s.catalogue.clone(), s.state.clone());
    let (anna, bertil) = (Actor { user: "anna".into(), role: Role::Redaktor }, Actor { user: "bertil".into(), role: Role::Granskare });
    let code = oxigraph::model::NamedNode::new(format!("{BASE}codelist/kon/1")).unwrap();
    let Some((_, Resource::Concept(mut one))) = c.current(&code).unwrap() else { panic!("code 1") };
    one.valid_from = Temporal::parse("1997");
    one.valid_through = Temporal::parse("2008");
    c.save_draft(&anna, Resource::Concept(one), c.latest_revision(&code).unwrap().map(|r| r.id), "Giltighet").unwrap();
    c.submit(&anna, &code, "").unwrap();
    c.publish(&bertil, &code, "Giltighet").unwrap();
    for path in ["/codelist/kon", "/variable/lisa-kon"] {
        let html = page(&s, path);
        assert!(html.contains("<h2 id=\"giltighet\">Kodernas giltighet</h2>"), "{path}: {html}");
        assert!(html.contains("<td>1997–2008</td>") && html.contains("<td>utan angiven giltighetstid</td>"), "{path}: {html}");
        assert!(html.contains("class=\"bar\""), "{path}");
    }
    assert!(page(&s, "/codelist/kon?lang=en").contains("When the codes are valid"));
}
