//! The metadata quality score (data.europa.eu's MQA): hand-computed points for seed datasets,
//! mutations that lower exactly the expected indicators, the rating bands, the dashboard with
//! its SVG charts and table alternatives, the breakdown and record pages, the JSON API, the
//! command line, the cache per store generation, and offline mode never opening a connection.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use oxigraph::model::{Graph, NamedNode};
use vardkatalog::catalog::{Catalogue, ImportOptions};
use vardkatalog::config::QualitySettings;
use vardkatalog::model::record::Resource;
use vardkatalog::model::vocab::eu;
use vardkatalog::model::{Dataset, Distribution, LangText};
use vardkatalog::validate::mqa::{Dimension, Indicator, MAX_POINTS, Outcome, Rating};
use vardkatalog::validate::quality::{Quality, load_dcat_ap_shapes};

use crate::support::{BASE, client, seeded_catalogue, shared_server, temp_config};

fn n(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

fn dataset_iri(id: &str) -> NamedNode {
    n(&format!("{BASE}dataset/{id}"))
}

fn offline(cat: &Arc<Catalogue>) -> Quality {
    Quality::with_shapes(cat.clone(), Default::default(), QualitySettings::default(), None)
}

fn with_official_shapes(cat: &Arc<Catalogue>) -> Quality {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/standards/dcat-ap-3.0.1");
    assert!(dir.is_dir(), "the official shapes are read from {} (shared/ beside the repository)", dir.display());
    let shapes = load_dcat_ap_shapes(&dir).unwrap_or_else(|e| panic!("{e}"));
    Quality::with_shapes(cat.clone(), Default::default(), QualitySettings::default(), Some(shapes))
}

fn points_by_indicator(q: &Quality, iri: &NamedNode) -> BTreeMap<Indicator, u32> {
    let d = q.dataset_score(iri).unwrap().expect("a public dataset");
    d.results.iter().map(|r| (r.indicator, r.earned)).collect()
}

/// Imports records as published (replacing those with the same IRI).
fn import(cat: &Catalogue, resources: Vec<Resource>) {
    let mut g = Graph::new();
    for r in resources {
        for t in r.to_graph().iter() {
            g.insert(t);
        }
    }
    cat.import_graph(&g, &ImportOptions::published_import()).unwrap();
}

fn public_dataset(cat: &Catalogue, iri: &NamedNode) -> Dataset {
    match cat.public_resource(iri.as_ref()).unwrap() {
        Some((_, Resource::Dataset(d))) => d,
        other => panic!("{iri} is not a public dataset: {other:?}"),
    }
}

fn public_distribution(cat: &Catalogue, iri: &NamedNode) -> Distribution {
    match cat.public_resource(iri.as_ref()).unwrap() {
        Some((_, Resource::Distribution(d))) => d,
        other => panic!("{iri} is not a public distribution: {other:?}"),
    }
}

// ---- hand-computed points ----------------------------------------------------------------

#[test]
fn lisa_earns_the_hand_computed_points_in_every_dimension() {
    let cat = Arc::new(seeded_catalogue());
    let q = offline(&cat);
    let d = q.dataset_score(&dataset_iri("lisa")).unwrap().unwrap();
    // Findability: keywords 30, themes 30, spatial (SWE) 20, temporal (from 1990) 20
    assert_eq!(d.dimension_points(Dimension::Findability), 100);
    // Accessibility: the https access URL is assumed to answer offline (50); no download URL
    assert_eq!(d.dimension_points(Dimension::Accessibility), 50);
    assert_eq!(d.result(Indicator::AccessUrlAccessible).outcome, Outcome::NotChecked { assumed: true });
    assert_eq!(d.result(Indicator::DownloadUrl).earned, 0);
    assert_eq!(d.result(Indicator::DownloadUrlAccessible).earned, 0);
    // Interoperability: format HTML 20, media type 10, from vocabulary 10, non-proprietary 20,
    // HTML is not machine-readable 0, DCAT-AP assumed (title, description, access URL) 30
    assert_eq!(d.dimension_points(Dimension::Interoperability), 90);
    assert_eq!(d.result(Indicator::MachineReadable).outcome, Outcome::Failed);
    assert_eq!(d.result(Indicator::DcatApCompliance).outcome, Outcome::NotChecked { assumed: true });
    // Reusability: no licence 0 + 0, access rights 10 + 5, contact point 20, publisher 10
    assert_eq!(d.dimension_points(Dimension::Reusability), 45);
    assert_eq!(d.result(Indicator::Licence).earned, 0);
    // Contextuality: rights 5; no byte size, issued or modified
    assert_eq!(d.dimension_points(Dimension::Contextuality), 5);
    assert_eq!(d.total(), 290);
    assert_eq!(d.rating(), Rating::Good);
    assert_eq!(d.assumed_points(), 80, "access URL (50) and DCAT-AP compliance (30) are assumed offline");
    assert_eq!(d.best_distribution.as_ref().map(NamedNode::as_str), Some(&*format!("{BASE}distribution/lisa-bestallning")));

    // completeness: 6 of 8 recommended (no issued, no conformsTo) and 9 of 14 optional
    // (the seed gives LISA its provenance, from SCB's description of the database)
    assert_eq!(d.completeness.recommended(), (6, 8));
    let missing: Vec<&str> = d.completeness.missing.iter().map(|p| p.curie).collect();
    assert_eq!(
        missing,
        ["dct:issued", "dct:conformsTo", "dct:modified", "dcat:version", "adms:versionNotes", "prov:qualifiedAttribution", "dcat:inSeries"]
    );
    assert_eq!(d.completeness.percent(), 15 * 100 / 22);
}

#[test]
fn scb_folkmangd_earns_the_hand_computed_points_with_dcat_ap_checked() {
    let cat = Arc::new(seeded_catalogue());
    let q = with_official_shapes(&cat);
    let d = q.dataset_score(&dataset_iri("scb-folkmangd")).unwrap().unwrap();
    assert_eq!(d.result(Indicator::DcatApCompliance).outcome, Outcome::Passed, "{:?}", d.result(Indicator::DcatApCompliance).detail);
    let per_dimension: Vec<u32> = Dimension::ALL.iter().map(|x| d.dimension_points(*x)).collect();
    // F 30+30+20+20; A 50 assumed; I JSON: 20+10+10+20+20 and compliance 30;
    // R CC0: 20+10, PUBLIC: 10+5, contact 20, publisher 10; C nothing
    assert_eq!(per_dimension, [100, 50, 110, 75, 0]);
    assert_eq!(d.total(), 335);
    assert_eq!(d.assumed_points(), 50, "only the access URL is assumed once the shapes are there");
}

// ---- mutations ---------------------------------------------------------------------------

/// The indicators whose points changed, with the points lost.
fn lost(before: &BTreeMap<Indicator, u32>, after: &BTreeMap<Indicator, u32>) -> BTreeMap<Indicator, u32> {
    before.iter().filter(|(i, p)| after[i] != **p).map(|(i, p)| (*i, p - after[i])).collect()
}

#[test]
fn each_mutation_lowers_exactly_the_expected_indicators_by_their_points() {
    let cat = Arc::new(seeded_catalogue());
    let q = with_official_shapes(&cat);
    let iri = dataset_iri("scb-folkmangd");
    let dist_iri = n(&format!("{BASE}distribution/scb-folkmangd-api"));
    let original_dataset = public_dataset(&cat, &iri);
    let original_distribution = public_distribution(&cat, &dist_iri);
    let before = points_by_indicator(&q, &iri);
    assert_eq!(before.values().sum::<u32>(), 335);

    let restore = |cat: &Catalogue| {
        import(cat, vec![Resource::Dataset(original_dataset.clone()), Resource::Distribution(original_distribution.clone())])
    };
    type Mutation = (&'static str, Box<dyn Fn(&mut Dataset, &mut Distribution)>, Vec<(Indicator, u32)>);
    let mutations: Vec<Mutation> = vec![
        ("no licence", Box::new(|_, x| x.license = None), vec![(Indicator::Licence, 20), (Indicator::LicenceVocabulary, 10)]),
        ("no keywords", Box::new(|d, _| d.keywords.clear()), vec![(Indicator::Keywords, 30)]),
        (
            "no format on the distribution",
            Box::new(|_, x| x.format = None),
            // the media type still comes from the IANA vocabulary
            vec![(Indicator::Format, 20), (Indicator::NonProprietary, 20), (Indicator::MachineReadable, 20)],
        ),
        ("no contact point", Box::new(|d, _| d.contact_points.clear()), vec![(Indicator::ContactPoint, 20)]),
        ("no description (DCAT-AP mandatory)", Box::new(|d, _| d.description = LangText::new()), vec![(Indicator::DcatApCompliance, 30)]),
        (
            "no access rights",
            Box::new(|d, _| d.access_rights = None),
            vec![(Indicator::AccessRights, 10), (Indicator::AccessRightsVocabulary, 5)],
        ),
    ];
    for (what, mutate, expected) in mutations {
        let mut d = original_dataset.clone();
        let mut x = original_distribution.clone();
        mutate(&mut d, &mut x);
        import(&cat, vec![Resource::Dataset(d), Resource::Distribution(x)]);
        let after = points_by_indicator(&q, &iri);
        let expected: BTreeMap<Indicator, u32> = expected.into_iter().collect();
        assert_eq!(lost(&before, &after), expected, "{what}");
        assert_eq!(after.values().sum::<u32>(), 335 - expected.values().sum::<u32>(), "{what}");
        restore(&cat);
        assert_eq!(points_by_indicator(&q, &iri), before, "{what}: restored");
    }
    // the compliance finding says what is wrong
    let mut d = original_dataset.clone();
    d.description = LangText::new();
    import(&cat, vec![Resource::Dataset(d)]);
    let score = q.dataset_score(&iri).unwrap().unwrap();
    let detail = score.result(Indicator::DcatApCompliance).detail.clone().unwrap_or_default();
    assert!(detail.contains("description"), "{detail}");
}

// ---- bands -------------------------------------------------------------------------------

#[test]
fn the_rating_bands_have_data_europa_eus_boundaries() {
    let cases = [
        (405.0, Rating::Excellent),
        (351.0, Rating::Excellent),
        (350.5, Rating::Excellent),
        (350.4, Rating::Good),
        (350.0, Rating::Good),
        (221.0, Rating::Good),
        (220.0, Rating::Sufficient),
        (121.0, Rating::Sufficient),
        (120.0, Rating::Bad),
        (0.0, Rating::Bad),
    ];
    for (points, band) in cases {
        assert_eq!(Rating::of(points), band, "{points}");
    }
    let ranges: Vec<(u32, u32)> = Rating::ALL.iter().map(|r| r.range()).collect();
    assert_eq!(ranges, [(351, 405), (221, 350), (121, 220), (0, 120)]);
    let names: Vec<&str> = Rating::ALL.iter().map(|r| r.name(vardkatalog::config::Lang::Sv)).collect();
    assert_eq!(names, ["Utmärkt", "Bra", "Tillräcklig", "Bristfällig"]);
    assert_eq!(Indicator::ALL.iter().map(|i| i.points()).sum::<u32>(), MAX_POINTS);
}

// ---- the catalogue and the cache ---------------------------------------------------------

#[test]
fn the_catalogue_averages_its_datasets_and_is_cached_per_store_generation() {
    let cat = Arc::new(seeded_catalogue());
    let q = offline(&cat);
    let a = q.score().unwrap();
    assert_eq!(a.datasets.len(), 14);
    let mean = a.datasets.iter().map(|d| f64::from(d.total())).sum::<f64>() / 14.0;
    assert!((a.total() - mean).abs() < 1e-9);
    for i in Indicator::ALL {
        let share = a.indicator_passed(i) as f64 / 14.0;
        assert!((a.indicator_points(i) - f64::from(i.points()) * share).abs() < 1e-9, "{i:?}: weight × share");
    }
    assert_eq!(a.regions.len(), 21, "every region is ranked");
    assert!(a.publishers.iter().any(|p| p.agent.as_str().ends_with("agent/scb")));
    assert!(Arc::ptr_eq(&a, &q.score().unwrap()), "the same generation is not scored twice");

    // a change is seen at once
    let iri = dataset_iri("lisa");
    let mut d = public_dataset(&cat, &iri);
    d.keywords.clear();
    import(&cat, vec![Resource::Dataset(d)]);
    let b = q.score().unwrap();
    assert!(!Arc::ptr_eq(&a, &b));
    assert_eq!(b.generation, cat.store().generation().unwrap());
    assert_eq!(b.dataset(iri.as_str()).unwrap().total(), 290 - 30);
}

/// The totals of every dataset, by IRI.
fn totals(score: &vardkatalog::validate::mqa::CatalogueScore) -> Vec<(String, u32)> {
    score.datasets.iter().map(|d| (d.iri.as_str().to_owned(), d.total())).collect()
}

#[test]
fn a_change_scores_again_only_the_datasets_it_touched() {
    let cat = Arc::new(seeded_catalogue());
    let q = offline(&cat);
    q.score().unwrap();
    assert_eq!(q.datasets_scored(), 14, "the first score scores every dataset");

    // a dataset changes: that dataset alone is scored again, and the result is what a full
    // assessment gives
    let lisa = dataset_iri("lisa");
    let mut d = public_dataset(&cat, &lisa);
    d.keywords.clear();
    import(&cat, vec![Resource::Dataset(d)]);
    let b = q.score().unwrap();
    assert_eq!(q.datasets_scored(), 15);
    assert_eq!(b.dataset(lisa.as_str()).unwrap().total(), 290 - 30);
    assert_eq!(totals(&b), totals(&q.assess(false).unwrap()));
    let scored = q.datasets_scored();

    // a distribution changes: the dataset that lists it is scored again
    let dist = n(&format!("{BASE}distribution/lisa-bestallning"));
    let mut x = public_distribution(&cat, &dist);
    x.format = None;
    import(&cat, vec![Resource::Distribution(x)]);
    let c = q.score().unwrap();
    assert_eq!(q.datasets_scored(), scored + 1);
    assert!(c.dataset(lisa.as_str()).unwrap().total() < b.dataset(lisa.as_str()).unwrap().total());
    assert_eq!(totals(&c), totals(&q.assess(false).unwrap()));
    let scored = q.datasets_scored();

    // a variable changes: no dataset's score depends on it
    let v = n(&format!("{BASE}variable/lisa-kon"));
    let Some((_, Resource::Variable(mut var))) = cat.public_resource(v.as_ref()).unwrap() else { panic!("lisa-kon") };
    var.label = LangText::sv("Kön (ändrad)");
    import(&cat, vec![Resource::Variable(var)]);
    let e = q.score().unwrap();
    assert_eq!(e.generation, cat.store().generation().unwrap());
    assert_eq!(q.datasets_scored(), scored);
    assert_eq!(totals(&e), totals(&c));
}

// ---- offline and online ------------------------------------------------------------------

/// A public dataset with one CSV distribution whose access and download URL is `url`.
fn dataset_at(cat: &Catalogue, id: &str, url: &str) -> NamedNode {
    let iri = dataset_iri(id);
    let dist = n(&format!("{BASE}distribution/{id}"));
    let mut d = Dataset::new(iri.clone(), LangText::sv("Nätverksprov").with("en", "Network test"));
    d.description = LangText::sv("En datamängd i ett test av adresskontrollen.");
    d.publisher = Some(n(&format!("{BASE}agent/scb")));
    d.distributions = vec![dist.clone()];
    let mut x = Distribution::new(dist);
    x.access_urls = vec![n(url)];
    x.download_urls = vec![n(url)];
    x.format = Some(n(&format!("{}CSV", eu::FILE_TYPE)));
    import(cat, vec![Resource::Dataset(d), Resource::Distribution(x)]);
    iri
}

#[test]
fn offline_mode_never_opens_a_connection_and_online_mode_checks_the_urls() {
    let cat = Arc::new(seeded_catalogue());
    // a port that counts connection attempts: anything that connects waits in its backlog
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let watched = format!("http://127.0.0.1:{}/data.csv", listener.local_addr().unwrap().port());
    let iri = dataset_at(&cat, "natverksprov", &watched);

    let q = offline(&cat);
    let d = q.dataset_score(&iri).unwrap().unwrap();
    for (i, points) in [(Indicator::AccessUrlAccessible, 50), (Indicator::DownloadUrlAccessible, 30)] {
        assert_eq!(d.result(i).outcome, Outcome::NotChecked { assumed: true }, "{i:?}");
        assert_eq!(d.result(i).earned, points);
    }
    assert_eq!(d.result(Indicator::DownloadUrl).earned, 20, "presence is not a network check");
    q.score().unwrap();
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("offline mode connected to {watched}: {other:?}"),
    }

    // online: a closed port is refused (no points, and says why) …
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}/data.csv", l.local_addr().unwrap().port())
    };
    let closed_iri = dataset_at(&cat, "natverksprov-stangd", &closed);
    // … and a server that answers passes
    let server = shared_server();
    let live_iri = dataset_at(&cat, "natverksprov-svarar", &server.url("/healthz"));
    let settings = QualitySettings { online: true, url_timeout_ms: 5_000, dcat_ap_shapes: None };
    // by default the checks reach the public internet only: a local address is not asked
    let guarded = Quality::with_shapes(cat.clone(), Default::default(), settings.clone(), None);
    let inside = guarded.dataset_score(&live_iri).unwrap().unwrap();
    for i in [Indicator::AccessUrlAccessible, Indicator::DownloadUrlAccessible] {
        assert_eq!(inside.result(i).outcome, Outcome::Failed, "{i:?}");
        assert!(
            inside.result(i).detail.as_deref().unwrap_or("").contains("inside the server's own network"),
            "{:?}",
            inside.result(i).detail
        );
    }
    // the fixture addresses are allowed explicitly, as `[harvest] allow_private` does
    let local = vardkatalog::net::Guard::allowing([vardkatalog::net::Net::parse("127.0.0.1").unwrap()]);
    let online = Quality::with_shapes(cat.clone(), Default::default(), settings, None).with_address_guard(local);
    let refused = online.dataset_score(&closed_iri).unwrap().unwrap();
    for i in [Indicator::AccessUrlAccessible, Indicator::DownloadUrlAccessible] {
        assert_eq!(refused.result(i).outcome, Outcome::Failed, "{i:?}");
        assert_eq!(refused.result(i).earned, 0);
        assert!(refused.result(i).detail.as_deref().unwrap_or("").contains(&closed), "{:?}", refused.result(i).detail);
    }
    let answered = online.dataset_score(&live_iri).unwrap().unwrap();
    for (i, points) in [(Indicator::AccessUrlAccessible, 50), (Indicator::DownloadUrlAccessible, 30)] {
        assert_eq!(answered.result(i).outcome, Outcome::Passed, "{i:?}: {:?}", answered.result(i).detail);
        assert_eq!(answered.result(i).earned, points);
    }
    assert_eq!(answered.total() - refused.total(), 80);
}

// ---- pages -------------------------------------------------------------------------------

/// A minimal XML reader: elements, attributes, text, comments, the XML declaration, and entity
/// and character references. It refuses anything that is not well-formed XML.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn descendants(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.descendants());
        }
        out
    }
}

struct XmlReader<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> XmlReader<'a> {
    fn parse(s: &str) -> Result<Element, String> {
        let mut r = XmlReader { s, i: 0 };
        r.misc()?;
        if r.rest().starts_with("<?xml") {
            r.i += r.rest().find("?>").ok_or("unclosed XML declaration")? + 2;
        }
        r.misc()?;
        let root = r.element()?;
        r.misc()?;
        if r.i != s.len() {
            return Err(format!("content after the root element at byte {}", r.i));
        }
        Ok(root)
    }

    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn misc(&mut self) -> Result<(), String> {
        loop {
            let trimmed = self.rest().trim_start();
            self.i = self.s.len() - trimmed.len();
            if trimmed.starts_with("<!--") {
                self.i += trimmed.find("-->").ok_or("unclosed comment")? + 3;
            } else {
                return Ok(());
            }
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let rest = self.rest();
        let end = rest.find(|c: char| !(c.is_alphanumeric() || "_:-.".contains(c))).unwrap_or(rest.len());
        if end == 0 || !rest.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == ':') {
            return Err(format!("a name was expected at byte {}", self.i));
        }
        self.i += end;
        Ok(rest[..end].to_owned())
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.rest().starts_with(token) {
            self.i += token.len();
            Ok(())
        } else {
            Err(format!("{token:?} expected at byte {}", self.i))
        }
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.i = self.s.len() - trimmed.len();
    }

    fn element(&mut self) -> Result<Element, String> {
        self.expect("<")?;
        let name = self.name()?;
        let mut e = Element { name, attrs: Vec::new(), children: Vec::new(), text: String::new() };
        loop {
            let before = self.i;
            self.skip_ws();
            if self.rest().starts_with("/>") {
                self.i += 2;
                return Ok(e);
            }
            if self.rest().starts_with('>') {
                self.i += 1;
                break;
            }
            if self.i == before {
                return Err(format!("white space expected before an attribute at byte {}", self.i));
            }
            let attr = self.name()?;
            self.skip_ws();
            self.expect("=")?;
            self.skip_ws();
            let quote = self
                .rest()
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
                .ok_or(format!("a quoted value expected at byte {}", self.i))?;
            self.i += 1;
            let end = self.rest().find(quote).ok_or("unclosed attribute value")?;
            let raw = &self.rest()[..end];
            if raw.contains('<') {
                return Err(format!("< in the value of {attr}"));
            }
            let value = decode(raw)?;
            self.i += end + 1;
            if e.attrs.iter().any(|(n, _)| *n == attr) {
                return Err(format!("attribute {attr} repeated on <{}>", e.name));
            }
            e.attrs.push((attr, value));
        }
        loop {
            if self.rest().starts_with("</") {
                self.i += 2;
                let end = self.name()?;
                if end != e.name {
                    return Err(format!("<{}> closed by </{end}>", e.name));
                }
                self.skip_ws();
                self.expect(">")?;
                return Ok(e);
            } else if self.rest().starts_with("<!--") {
                self.i += self.rest().find("-->").ok_or("unclosed comment")? + 3;
            } else if self.rest().starts_with('<') {
                let child = self.element()?;
                e.children.push(child);
            } else if self.rest().is_empty() {
                return Err(format!("<{}> is never closed", e.name));
            } else {
                let end = self.rest().find('<').unwrap_or(self.rest().len());
                e.text.push_str(&decode(&self.rest()[..end])?);
                self.i += end;
            }
        }
    }
}

fn decode(raw: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').ok_or_else(|| format!("an unterminated reference in {raw:?}"))?;
        let name = &after[..semi];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(h) = name.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = name.strip_prefix('#') {
                    d.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or_else(|| format!("an unknown reference &{name}; in {raw:?}"))?
            }
        };
        out.push(c);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// WCAG contrast ratio of a `#rrggbb` colour against white.
fn contrast_on_white(colour: &str) -> f64 {
    let hex = colour.trim_start_matches('#');
    assert_eq!(hex.len(), 6, "colour {colour}");
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    1.05 / (l + 0.05)
}

fn get(path: &str) -> (u16, String) {
    let res = client().get(shared_server().url(path)).send().unwrap();
    let status = res.status().as_u16();
    (status, res.text().unwrap())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#x27;")
}

#[test]
fn the_dashboard_draws_accessible_svg_charts_with_tables_beside_them() {
    let (status, body) = get("/kvalitet");
    assert_eq!(status, 200);
    assert!(!body.contains("<script"), "the page works without JavaScript");
    assert!(body.contains("Metadatakvalitet") && body.contains("av 405 poäng i genomsnitt"));
    for band in ["Utmärkt", "Bra", "Tillräcklig", "Bristfällig"] {
        assert!(body.contains(&format!("<th scope=\"row\">{band}</th>")), "the band {band} is listed");
    }
    let svgs: Vec<&str> = body.match_indices("<svg").map(|(at, _)| &body[at..at + body[at..].find("</svg>").unwrap() + 6]).collect();
    assert_eq!(svgs.len(), 2, "one chart for publishers, one for regions");
    let mut bar_counts = Vec::new();
    for svg in svgs {
        let root = XmlReader::parse(svg).unwrap_or_else(|e| panic!("the chart is not XML: {e}\n{svg}"));
        assert_eq!(root.name, "svg");
        assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
        assert_eq!(root.attr("role"), Some("img"));
        // the accessible name and description are the chart's own title and desc
        let labelled_by: Vec<&str> = root.attr("aria-labelledby").unwrap().split(' ').collect();
        let title = root.children.iter().find(|c| c.name == "title").expect("a title");
        let desc = root.children.iter().find(|c| c.name == "desc").expect("a desc");
        assert_eq!(labelled_by, [title.attr("id").unwrap(), desc.attr("id").unwrap()]);
        assert!(!title.text.trim().is_empty() && desc.text.contains("405"), "{}", desc.text);
        // every bar has its label and value in text, and the same row in the table beside it
        let bars: Vec<&Element> = root.children.iter().filter(|c| c.name == "g").collect();
        for bar in &bars {
            let texts: Vec<&Element> = bar.children.iter().filter(|c| c.name == "text").collect();
            assert_eq!(texts.len(), 2);
            assert!(bar.children.iter().any(|c| c.name == "rect"));
            let label = texts[0].text.trim();
            assert!(body.contains(&format!("<th scope=\"row\">{}</th>", escape(label))), "{label} is in the table");
        }
        bar_counts.push(bars.len());
        // contrast: text at least 4.5:1 and bars at least 3:1 against the white background
        for e in root.descendants() {
            if let Some(fill) = e.attr("fill").filter(|f| *f != "#ffffff") {
                let needed = if e.name == "text" { 4.5 } else { 3.0 };
                assert!(contrast_on_white(fill) >= needed, "{} fill {fill}: {:.2}", e.name, contrast_on_white(fill));
            }
        }
    }
    assert_eq!(bar_counts[1], 21, "the 21 regions");
    assert!(bar_counts[0] >= 3, "the seed's publishers");
    for region in ["Region Stockholm", "Region Skåne", "Region Norrbotten"] {
        assert!(body.contains(region), "{region}");
    }
    let (status, en) = get("/kvalitet?lang=en");
    assert_eq!(status, 200);
    assert!(en.contains("Metadata quality") && en.contains("Regions by average score"));
}

#[test]
fn dataset_pages_show_completeness_and_score_with_a_link_to_the_breakdown() {
    let (status, body) = get("/dataset/lisa");
    assert_eq!(status, 200);
    assert!(body.contains("Metadatakvalitet"));
    assert!(body.contains("290 av 405 – Bra"), "the score is shown");
    assert!(body.contains("68 %") && body.contains("Utgivningsdatum"), "completeness and what is missing");
    assert!(body.contains("href=\"/kvalitet/dataset/lisa\""));
    let (_, en) = get("/dataset/lisa?lang=en");
    assert!(en.contains("290 of 405 – Good") && en.contains("Date of issue"));
    let (_, variable) = get("/variable/lisa-kon");
    assert!(!variable.contains("Metadatakvalitet"), "only datasets carry a score");

    let (status, page) = get("/kvalitet/dataset/lisa");
    assert_eq!(status, 200);
    for dim in Dimension::ALL {
        assert!(page.contains(dim.name(vardkatalog::config::Lang::Sv)), "{dim:?}");
    }
    for i in Indicator::ALL {
        assert!(page.contains(&escape(i.name(vardkatalog::config::Lang::Sv))), "{i:?}");
    }
    assert!(page.contains("Sökbarhet: 100 / 100") && page.contains("Återanvändbarhet: 45 / 75"));
    assert!(page.contains("inte kontrollerad (poäng antagna)"), "offline checks are marked");
    assert!(page.contains("quality.dcat_ap_shapes") && page.contains("--online"), "and say how to check them");
    assert!(page.contains(&escape(Indicator::Licence.advice(vardkatalog::config::Lang::Sv))), "what to do for the missing licence");
    assert!(page.contains("<code>dct:issued</code>"), "missing properties are listed");
    let (status, _) = get("/kvalitet/dataset/finns-inte");
    assert_eq!(status, 404);
}

#[test]
fn the_json_api_gives_the_catalogue_and_each_dataset() {
    let (status, body) = get("/api/v1/quality");
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["max"], 405);
    let datasets = v["datasets"].as_u64().unwrap();
    assert!(datasets >= 14);
    assert_eq!(v["regions"].as_array().unwrap().len(), 21);
    assert_eq!(v["online"], false);
    let bands: u64 = v["bands"].as_array().unwrap().iter().map(|b| b["datasets"].as_u64().unwrap()).sum();
    assert_eq!(bands, datasets, "every dataset is in one band");
    let dims: f64 = v["dimensions"].as_array().unwrap().iter().map(|d| d["points"].as_f64().unwrap()).sum();
    assert!((dims - v["points"].as_f64().unwrap()).abs() < 0.3);

    let (status, body) = get("/api/v1/quality/dataset/lisa");
    assert_eq!(status, 200);
    let d: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(d["points"], 290);
    assert_eq!(d["rating"], "good");
    assert_eq!(d["rating_name"]["sv"], "Bra");
    let dims = d["dimensions"].as_array().unwrap();
    assert_eq!(dims.len(), 5);
    let mut total = 0;
    for dim in dims {
        let inds: u64 = dim["indicators"].as_array().unwrap().iter().map(|i| i["points"].as_u64().unwrap()).sum();
        assert_eq!(inds, dim["points"].as_u64().unwrap());
        total += inds;
    }
    assert_eq!(total, 290);
    let access = dims[1]["indicators"].as_array().unwrap().iter().find(|i| i["id"] == "access-url-accessibility").unwrap();
    assert_eq!(access["outcome"], "not-checked-assumed");
    let missing = d["completeness"]["missing_recommended"].as_array().unwrap();
    assert!(missing.iter().any(|m| m["property"] == "dct:issued" && m["label"]["sv"] == "Utgivningsdatum"));

    let (status, body) = get("/api/v1/quality/dataset/finns-inte");
    assert_eq!(status, 404);
    assert!(body.contains("error"));
}

// ---- the command line --------------------------------------------------------------------

#[test]
fn the_command_line_prints_the_score_bands_and_datasets() {
    let (dir, _) = temp_config();
    let command = |args: &[&str], shapes: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
        cmd.env("VARDKATALOG_DATA_DIR", dir.path())
            .env("VARDKATALOG_BASE_IRI", BASE)
            .env_remove("VARDKATALOG_CONFIG")
            .env_remove("VARDKATALOG_QUALITY_ONLINE")
            .env_remove("VARDKATALOG_QUALITY_DCAT_AP_SHAPES")
            .current_dir(dir.path())
            .args(args);
        if let Some(s) = shapes {
            cmd.env("VARDKATALOG_QUALITY_DCAT_AP_SHAPES", s);
        }
        cmd
    };
    let run = |args: &[&str], shapes: Option<&Path>| {
        let out = command(args, shapes).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["quality"], None);
    assert!(text.starts_with("Katalogen: 288.6 / 405 (Bra), 14 datamängder"), "{text}");
    assert!(text.contains("adresser inte kontrollerade (offline)"));
    assert!(text.contains("Tillräcklig  121–220"));
    assert!(text.contains(&format!("290 Bra           68 %  {BASE}dataset/lisa  (80 poäng inte kontrollerade)")), "{text}");
    let json: serde_json::Value = serde_json::from_str(&run(&["quality", "--json"], None)).unwrap();
    assert_eq!(json["scores"].as_array().unwrap().len(), 14);
    assert_eq!(json["rating"], "good");
    let en = run(&["quality", "--lang", "en"], None);
    assert!(en.contains("Rating bands:") && en.contains("Excellent"));
    // with the official shapes, compliance is checked with SHACL
    let shapes: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/standards/dcat-ap-3.0.1");
    let checked = run(&["quality"], Some(shapes.as_path()));
    assert!(checked.contains("DCAT-AP kontrollerad med SHACL"), "{checked}");
    assert!(checked.contains(&format!("290 Bra           68 %  {BASE}dataset/lisa  (50 poäng inte kontrollerade)")), "{checked}");
    // a shapes directory that is not there is refused, by the name it was given under
    let out = command(&["quality"], Some(&dir.path().join("inga-regler"))).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("VARDKATALOG_QUALITY_DCAT_AP_SHAPES"));
}

// ---- EHDS readiness (issue 14) --------------------------------------------------------------

#[test]
fn the_ehds_readiness_view_lists_every_dataset_by_element_with_filters_csv_and_json() {
    let (status, html) = get("/kvalitet/ehds");
    assert_eq!(status, 200);
    assert!(html.contains("<h1>EHDS-beredskap</h1>") && html.contains("genomförandeförordning (EU) 2026/2098"));
    assert!(html.contains(r#"id="el-custodian""#) && html.contains(">Hälsodatainnehavare</th>"), "one column per element");
    assert_eq!(html.matches(r#"<th scope="row">"#).count(), 14, "every public dataset");
    assert!(html.contains(r#"href="/kvalitet/dataset/rikshoft#ehds""#));
    assert!(html.contains("Finns") && html.contains("Kan härledas"), "statuses in words, not only symbols");
    let skane = format!("{BASE}agent/region-skane");
    assert!(html.contains(&format!(r#"<option value="{skane}">Region Skåne</option>"#)), "regions to filter by");
    let scb = format!("{BASE}agent/scb");
    assert!(html.contains(&format!(r#"<option value="{scb}">"#)), "publishers to filter by");

    // the region filter keeps the datasets a region publishes, holds or owns data in
    let q = |k: &str, v: &str| format!("{k}={}", vardkatalog::model::ids::encode_query(v));
    let (_, by_region) = get(&format!("/kvalitet/ehds?{}", q("region", &skane)));
    let shown = by_region.matches(r#"<th scope="row">"#).count();
    assert!((1..14).contains(&shown), "{shown} rows");
    assert!(by_region.contains("/kvalitet/dataset/rikshoft#ehds"), "Region Skåne holds Rikshöft");
    assert!(!by_region.contains("/kvalitet/dataset/lisa#ehds"));
    assert!(by_region.contains(&format!(r#"<option value="{skane}" selected>"#)));
    let res = client().get(shared_server().url(&format!("/api/v1/ehds?{}", q("region", &skane)))).send().unwrap();
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    let rows = json["datasets"].as_array().unwrap();
    assert_eq!(rows.len(), shown, "the API filters the same");
    assert!(rows.iter().all(|d| d["regions"].as_array().unwrap().iter().any(|r| r == skane.as_str())), "{json}");

    // JSON: the same filters, each element with its legal reference, each dataset's statuses
    let res = client().get(shared_server().url(&format!("/api/v1/ehds?{}", q("utgivare", &scb)))).send().unwrap();
    assert_eq!(res.status(), 200);
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert_eq!(json["elements"].as_array().unwrap().len(), vardkatalog::validate::ehds::ELEMENTS.len());
    let custodian = json["elements"].as_array().unwrap().iter().find(|e| e["id"] == "custodian").unwrap();
    assert!(custodian["reference"]["en"].as_str().unwrap().starts_with("(EU) 2026/2098, Annex, Part B"));
    let datasets = json["datasets"].as_array().unwrap();
    assert!(!datasets.is_empty() && datasets.iter().all(|d| d["publisher"] == scb.as_str()), "{json}");
    let lisa = datasets.iter().find(|d| d["dataset"] == format!("{BASE}dataset/lisa")).expect("LISA is SCB's");
    assert_eq!(lisa["elements"]["custodian"]["status"], "present");
    assert_eq!(lisa["elements"]["provenance"]["status"], "present", "the seed gives LISA its provenance");
    assert_eq!(lisa["elements"]["structured"]["status"], "derivable", "LISA has catalogued variables");

    // CSV: a header and one row per dataset, the statuses in the page's language
    let res = client().get(shared_server().url("/kvalitet/ehds.csv?lang=en")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = res.text().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 15, "{text}");
    assert!(lines[0].contains("\"Health data holder (custodian)\""), "{}", lines[0]);

    // the same line on each dataset's quality page
    let (status, page) = get("/kvalitet/dataset/medicinska-fodelseregistret");
    assert_eq!(status, 200);
    assert!(page.contains(r#"<h2 id="ehds">EHDS-minimielement</h2>"#));
    assert!(page.contains("Hälsodatainnehavare") && page.contains("(EU) 2026/2098, bilaga, del B"));
}
