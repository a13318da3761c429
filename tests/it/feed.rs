//! The change feeds (`/feed.atom`, `/dataset/{id}/feed.atom`) parsed as Atom 1.0, and the
//! dataset exports (`/dataset/{id}/variabler.{xlsx,csv}`) read back by the importer.

use oxigraph::model::NamedNode;
use vardkatalog::catalog::ImportOptions;
use vardkatalog::ingest::{self, Options, tabular::Mapping};
use vardkatalog::model::{LangText, Minter, Resource};
use vardkatalog::store::RecordState;

use crate::support::{BASE, client, start_server};

/// A strict little XML reader: well-formedness (matching tags, quoted attributes, only the
/// predefined and numeric entities, no stray `<` or `&`) and a tree of elements.
pub(crate) mod xml {
    #[derive(Debug, Default)]
    pub struct El {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub children: Vec<El>,
        pub text: String,
    }

    impl El {
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }
        pub fn all(&self, name: &str) -> Vec<&El> {
            self.children.iter().filter(|c| c.name == name).collect()
        }
        pub fn one(&self, name: &str) -> &El {
            let all = self.all(name);
            assert_eq!(all.len(), 1, "<{}> must have exactly one <{name}>", self.name);
            all[0]
        }
    }

    fn unescape(s: &str) -> String {
        assert!(!s.contains('<'), "a raw '<' in text or attribute: {s:?}");
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let end = rest[i..].find(';').map(|e| i + e).unwrap_or_else(|| panic!("an unterminated entity in {s:?}"));
            let ent = &rest[i + 1..end];
            match ent {
                "amp" => out.push('&'),
                "lt" => out.push('<'),
                "gt" => out.push('>'),
                "quot" => out.push('"'),
                "apos" => out.push('\''),
                e if e.starts_with("#x") => out.push(char::from_u32(u32::from_str_radix(&e[2..], 16).unwrap()).unwrap()),
                e if e.starts_with('#') => out.push(char::from_u32(e[1..].parse().unwrap()).unwrap()),
                other => panic!("an undefined entity &{other}; in {s:?}"),
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    pub fn parse(doc: &str) -> El {
        let mut s = doc.trim_start();
        if s.starts_with("<?xml") {
            s = &s[s.find("?>").expect("an unterminated XML declaration") + 2..];
        }
        let (el, rest) = element(s.trim_start());
        assert!(rest.trim().is_empty(), "content after the root element: {rest:?}");
        el
    }

    fn element(s: &str) -> (El, &str) {
        assert!(s.starts_with('<'), "expected an element at {:?}", &s[..s.len().min(40)]);
        let mut s = &s[1..];
        let name_end = s.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap();
        let mut el = El { name: s[..name_end].to_owned(), ..Default::default() };
        s = &s[name_end..];
        loop {
            s = s.trim_start();
            if let Some(r) = s.strip_prefix("/>") {
                return (el, r);
            }
            if let Some(r) = s.strip_prefix('>') {
                s = r;
                break;
            }
            let eq = s.find('=').expect("an attribute without a value");
            let name = s[..eq].trim().to_owned();
            s = s[eq + 1..].trim_start();
            let quote = s.chars().next().unwrap();
            assert!(quote == '"' || quote == '\'', "an unquoted attribute {name}");
            let end = s[1..].find(quote).unwrap() + 1;
            el.attrs.push((name, unescape(&s[1..end])));
            s = &s[end + 1..];
        }
        loop {
            if let Some(r) = s.strip_prefix("</") {
                let end = r.find('>').unwrap();
                assert_eq!(&r[..end], el.name, "a closing tag that does not match");
                el.text = el.text.trim().to_owned();
                return (el, &r[end + 1..]);
            }
            if s.starts_with('<') {
                let (child, r) = element(s);
                el.children.push(child);
                s = r;
            } else {
                let end = s.find('<').expect("an element that is never closed");
                el.text.push_str(&unescape(&s[..end]));
                s = &s[end..];
            }
        }
    }
}

pub(crate) fn assert_atom_feed(feed: &xml::El) {
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
    for required in ["id", "title", "updated"] {
        assert!(!feed.one(required).text.is_empty(), "feed {required}");
    }
    assert!(!feed.one("author").one("name").text.is_empty());
    let links = feed.all("link");
    assert!(links.iter().any(|l| l.attr("rel") == Some("self") && l.attr("href").is_some_and(|h| h.ends_with(".atom"))));
    assert!(links.iter().any(|l| l.attr("rel") == Some("alternate")));
    let updated = chrono::DateTime::parse_from_rfc3339(&feed.one("updated").text).expect("feed updated is RFC 3339");
    for e in feed.all("entry") {
        for required in ["id", "title", "updated", "summary"] {
            e.one(required);
        }
        let t = chrono::DateTime::parse_from_rfc3339(&e.one("updated").text).expect("entry updated is RFC 3339");
        assert!(t <= updated, "the feed is as new as its newest entry");
        assert!(
            e.all("link").iter().any(|l| l.attr("rel") == Some("alternate") && l.attr("href").is_some_and(|h| h.starts_with("https://")))
        );
    }
}

const NOTE: &str = "Ny definition av <ålder> & \"kön\" enligt 2026:1";

#[test]
fn feeds_are_atom_and_list_a_published_change_with_its_note() {
    let server = start_server();
    let cat = &server.catalogue;
    // publish a new version of Rikshöft with a change note (markup characters included)
    let iri = NamedNode::new(format!("{BASE}dataset/rikshoft")).unwrap();
    let Some((meta, Resource::Dataset(mut d))) = cat.public_resource(iri.as_ref()).unwrap() else { panic!() };
    d.version_notes = LangText::sv(NOTE).with("en", "New definition of age");
    cat.import_graph(&Resource::Dataset(d).to_graph(), &ImportOptions::published_import()).unwrap();
    // and a draft of another dataset, which must not appear
    let lisa = NamedNode::new(format!("{BASE}dataset/lisa")).unwrap();
    let Some((_, Resource::Dataset(mut l))) = cat.public_resource(lisa.as_ref()).unwrap() else { panic!() };
    l.version_notes = LangText::sv("Hemligt utkast");
    let mut draft = ImportOptions::published_import();
    draft.state = RecordState::Draft;
    cat.import_graph(&Resource::Dataset(l).to_graph(), &draft).unwrap();

    let res = client().get(server.url("/feed.atom")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/atom+xml; charset=utf-8");
    let body = res.text().unwrap();
    let feed = xml::parse(&body);
    assert_atom_feed(&feed);
    assert_eq!(feed.one("id").text, format!("{BASE}feed.atom"));
    let entries = feed.all("entry");
    let first = entries[0];
    assert_eq!(first.one("id").text, format!("{BASE}dataset/rikshoft#version-{}", meta.version + 1));
    assert_eq!(first.one("summary").text, NOTE, "the change note, escaped in the document and whole after parsing");
    assert!(first.one("title").text.contains("Rikshöft"), "{}", first.one("title").text);
    assert!(body.contains("&lt;ålder&gt; &amp; &quot;kön&quot;"));
    assert!(!body.contains("Hemligt utkast") && !body.contains("dataset/lisa"), "drafts never reach the feed");

    // in English, the English note
    let en = xml::parse(&client().get(server.url("/feed.atom?lang=en")).send().unwrap().text().unwrap());
    assert_eq!(en.all("entry")[0].one("summary").text, "New definition of age");

    // the dataset's own feed: the dataset and its variables, nothing of other datasets
    let res = client().get(server.url("/dataset/rikshoft/feed.atom")).send().unwrap();
    assert_eq!(res.status(), 200);
    let feed = xml::parse(&res.text().unwrap());
    assert_atom_feed(&feed);
    assert_eq!(feed.one("id").text, format!("{BASE}dataset/rikshoft/feed.atom"));
    let ids: Vec<String> = feed.all("entry").iter().map(|e| e.one("id").text.clone()).collect();
    assert!(ids[0].starts_with(&format!("{BASE}dataset/rikshoft#")), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with(&format!("{BASE}variable/"))), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with(&format!("{BASE}codelist/"))), "the variables' code lists: {ids:?}");
    assert!(!ids.iter().any(|i| i.contains("patientregistret")), "{ids:?}");

    assert_eq!(client().get(server.url("/dataset/finns-inte/feed.atom")).send().unwrap().status(), 404);
    assert_eq!(
        client().get(server.url("/dataset/lisa/feed.atom")).send().unwrap().status(),
        404,
        "a draft-only dataset has no public feed"
    );
}

#[test]
fn dataset_exports_download_and_read_back() {
    let server = start_server();
    let options = {
        let mut o = Options::new(Minter::new(BASE));
        o.agents = ingest::agent_names(&server.catalogue).unwrap();
        o
    };
    let res = client().get(server.url("/dataset/patientregistret/variabler.xlsx")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("patientregistret-variabler.xlsx"));
    let batch = ingest::workbook::read(&res.bytes().unwrap(), &options).unwrap();
    assert!(!batch.has_errors(), "{:?}", batch.problems);
    assert!(batch.records.iter().any(|r| r.iri().as_str() == format!("{BASE}variable/par-hdia")));

    let res = client().get(server.url("/dataset/patientregistret/variabler.csv")).send().unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("\"Deldatamängdsnamn\";\"Variabelnamn\";\"Variabeletikett\""), "every field quoted");
    let batch = ingest::tabular::read_csv("x.csv", &bytes, &Mapping::workbook(), &options).unwrap();
    assert!(!batch.has_errors(), "{:?}", batch.problems);
    assert!(batch.records.len() > 30);

    // the dataset page links both and the feed
    let page = client().get(server.url("/dataset/patientregistret")).send().unwrap().text().unwrap();
    for href in
        ["/dataset/patientregistret/variabler.xlsx", "/dataset/patientregistret/variabler.csv", "/dataset/patientregistret/feed.atom"]
    {
        assert!(page.contains(href), "{href}");
    }
    assert_eq!(client().get(server.url("/dataset/finns-inte/variabler.xlsx")).send().unwrap().status(), 404);
}
