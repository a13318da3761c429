//! DCAT catalogues: DCAT-AP 2.x and 3.x, DCAT-AP-SE (dataportal.se organisations, piveau,
//! CKAN with ckanext-dcat).
//!
//! Reads Turtle, RDF/XML, JSON-LD and N-Triples, chosen by `Content-Type` and, when the header
//! is missing or lies, by sniffing the body; follows Hydra paging in both vocabularies
//! (`hydra:PartialCollectionView` with `hydra:next`, the older `hydra:PagedCollection` with
//! `hydra:nextPage`) and stops at a page it has already read (a loop); fetches `dct:hasPart`
//! sub-catalogues that carry no datasets from their IRIs. Repairs what real catalogues get
//! wrong and says so in the report: capitalised predicates (`dcterms:Modified`), DCAT-AP 1/2
//! period dates (`schema:startDate`), repeated statements, invalid IRIs (the triples are
//! dropped; the position of the first is reported).

use std::collections::{BTreeMap, HashSet, VecDeque};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple, TripleRef};

use super::{Context, HarvestError, Source};
use crate::model::vocab::{dcat, dct, foaf, hydra, rdf, schema, vcard};

/// The DCAT source kind.
pub struct Dcat;

/// What the harvester asks for, best first.
pub const ACCEPT: &str = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7, */*;q=0.1";

impl Source for Dcat {
    fn read(&self, cx: &mut Context<'_>) -> Result<Graph, HarvestError> {
        let mut graph = Graph::new();
        let mut visited: HashSet<String> = HashSet::new();
        let mut queue: VecDeque<(String, u32)> = VecDeque::from([(cx.config.url.trim().to_owned(), 0)]);
        let mut pages = 0u64;
        let mut repaired: BTreeMap<String, usize> = BTreeMap::new();
        let mut repeated = 0usize;
        while let Some((url, depth)) = queue.pop_front() {
            if !visited.insert(normalise(&url)) {
                continue;
            }
            pages += 1;
            if pages > cx.settings.max_pages {
                cx.note(format!("stopped after {} pages (the limit harvest.max_pages)", cx.settings.max_pages));
                break;
            }
            cx.progress(format!("reading {url}"), pages, None);
            let fetched = cx.fetcher.get(&url, ACCEPT)?;
            let parsed = parse_body(&fetched.url, &fetched.body, fetched.content_type.as_deref())?;
            cx.triples += parsed.read;
            repeated += parsed.read as usize - parsed.graph.len().min(parsed.read as usize);
            for n in parsed.notes {
                cx.note(n);
            }
            let mut page = parsed.graph;
            // paging
            if let Some(next) = next_page(&page, &fetched.url) {
                if visited.contains(&normalise(&next)) {
                    cx.note(format!("paging loop: {url} names {next} as the next page, which was already read; paging stopped"));
                } else {
                    queue.push_front((next, depth));
                }
            }
            // sub-catalogues without datasets are fetched from their IRIs (one level, as dataportal.se)
            if depth < 2 {
                for part in sub_catalogues(&page) {
                    if !visited.contains(&normalise(part.as_str())) {
                        queue.push_back((part.as_str().to_owned(), depth + 1));
                    }
                }
            }
            remove_paging(&mut page);
            repair(&mut page, &mut repaired);
            graph.extend(page.iter());
        }
        if repeated > 0 {
            cx.note(format!("{repeated} repeated statements (such as duplicated dcat:keyword values) were taken once"));
        }
        for (what, n) in repaired {
            cx.note(format!("repaired {n}× {what}"));
        }
        Ok(graph)
    }
}

fn normalise(url: &str) -> String {
    url.trim().trim_end_matches('#').to_owned()
}

/// A parsed answer.
pub struct Parsed {
    pub graph: Graph,
    /// Statements read (repeats included).
    pub read: u64,
    pub format: RdfFormat,
    pub notes: Vec<String>,
}

/// The RDF format a media type names.
pub fn format_of_media_type(content_type: &str) -> Option<RdfFormat> {
    let mt = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match mt.as_str() {
        "text/turtle" | "application/x-turtle" | "application/turtle" => Some(RdfFormat::Turtle),
        "application/rdf+xml" => Some(RdfFormat::RdfXml),
        "application/ld+json" => Some(RdfFormat::JsonLd { profile: Default::default() }),
        "application/n-triples" => Some(RdfFormat::NTriples),
        _ => None,
    }
}

/// Guesses the format from the first bytes of a body.
pub fn sniff(body: &[u8]) -> Option<RdfFormat> {
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return None;
    }
    if t.starts_with("<?xml") || t.starts_with("<rdf:RDF") || lower.contains("<rdf:rdf") {
        return Some(RdfFormat::RdfXml);
    }
    if t.starts_with('{') || t.starts_with('[') {
        return Some(RdfFormat::JsonLd { profile: Default::default() });
    }
    if lower.starts_with("@prefix") || lower.starts_with("prefix") || lower.starts_with("@base") || lower.starts_with("base") {
        return Some(RdfFormat::Turtle);
    }
    if t.starts_with('<') || t.starts_with("_:") || t.starts_with('#') {
        // N-Triples is a subset of Turtle; Turtle reads both
        return Some(RdfFormat::Turtle);
    }
    None
}

fn name(f: RdfFormat) -> &'static str {
    match f {
        RdfFormat::Turtle => "Turtle",
        RdfFormat::RdfXml => "RDF/XML",
        RdfFormat::JsonLd { .. } => "JSON-LD",
        RdfFormat::NTriples => "N-Triples",
        _ => "RDF",
    }
}

/// Parses an answer by its Content-Type, by sniffing when the header is missing or wrong, and
/// leniently when the only fault is invalid IRIs (their triples are dropped and reported).
pub fn parse_body(url: &str, body: &[u8], content_type: Option<&str>) -> Result<Parsed, HarvestError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let declared = content_type.and_then(format_of_media_type);
    let sniffed = sniff(body);
    let mut candidates: Vec<RdfFormat> = Vec::new();
    for f in [declared, sniffed].into_iter().flatten() {
        if !candidates.contains(&f) {
            candidates.push(f);
        }
    }
    if candidates.is_empty() {
        let start: String = String::from_utf8_lossy(&body[..body.len().min(60)]).chars().filter(|c| !c.is_control()).collect();
        return Err(HarvestError::Malformed {
            url: url.to_owned(),
            message: format!("the answer is not RDF (Content-Type {}; it begins {start:?})", content_type.unwrap_or("missing")),
        });
    }
    let mut first_error = None;
    for (i, format) in candidates.iter().copied().enumerate() {
        match parse_as(url, body, format, false) {
            Ok((graph, read)) => {
                let mut notes = Vec::new();
                if i > 0 || declared.is_none() {
                    notes.push(format!(
                        "{url}: the Content-Type said {} but the body is {}; read as {}",
                        content_type.unwrap_or("nothing"),
                        name(format),
                        name(format)
                    ));
                }
                return Ok(Parsed { graph, read, format, notes });
            }
            Err(e) => {
                // only invalid IRIs or language tags? read leniently and drop what is invalid
                if let Ok((graph, read)) = parse_as(url, body, format, true) {
                    let (clean, dropped) = drop_invalid(graph);
                    let mut notes = vec![format!(
                        "{e}; read leniently as {}: {} triples with invalid IRIs were dropped{}",
                        name(format),
                        dropped.len(),
                        dropped.first().map(|t| format!(" (e.g. {t})")).unwrap_or_default()
                    )];
                    if i > 0 || declared.is_none() {
                        notes.push(format!(
                            "{url}: the Content-Type said {} but the body is {}",
                            content_type.unwrap_or("nothing"),
                            name(format)
                        ));
                    }
                    return Ok(Parsed { graph: clean, read, format, notes });
                }
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.expect("at least one candidate"))
}

fn parse_as(url: &str, body: &[u8], format: RdfFormat, lenient: bool) -> Result<(Graph, u64), HarvestError> {
    let mut parser =
        RdfParser::from_format(format).with_base_iri(url).unwrap_or_else(|_| RdfParser::from_format(format)).rename_blank_nodes();
    if lenient {
        parser = parser.lenient();
    }
    let mut graph = Graph::new();
    let mut read = 0u64;
    let reader = crate::rdf_input::guard(format, body);
    let refused = reader.refused();
    for quad in parser.for_reader(reader) {
        if refused.get() {
            return Err(HarvestError::Malformed { url: url.to_owned(), message: crate::rdf_input::EntityDeclaration.to_string() });
        }
        match quad {
            Ok(q) => {
                read += 1;
                graph.insert(TripleRef::new(&q.subject, &q.predicate, &q.object));
            }
            Err(e) => {
                let message = e.to_string();
                let location = match &e {
                    oxigraph::io::RdfParseError::Syntax(s) => s.location(),
                    oxigraph::io::RdfParseError::Io(_) => None,
                };
                return Err(match location {
                    Some(r) => HarvestError::Syntax {
                        url: url.to_owned(),
                        line: r.start.line + 1,
                        column: r.start.column + 1,
                        message: format!("{} ({})", message, name(format)),
                    },
                    None => HarvestError::Malformed { url: url.to_owned(), message: format!("{message} ({})", name(format)) },
                });
            }
        }
    }
    Ok((graph, read))
}

/// Drops triples that name an invalid IRI.
fn drop_invalid(graph: Graph) -> (Graph, Vec<String>) {
    let ok = |n: &NamedNode| NamedNode::new(n.as_str()).is_ok() && n.as_str().contains(':');
    let mut clean = Graph::new();
    let mut dropped = Vec::new();
    for t in graph.iter() {
        let t = t.into_owned();
        let subject_ok = match &t.subject {
            NamedOrBlankNode::NamedNode(n) => ok(n),
            NamedOrBlankNode::BlankNode(_) => true,
        };
        let object_ok = match &t.object {
            Term::NamedNode(n) => ok(n),
            _ => true,
        };
        if subject_ok && object_ok && ok(&t.predicate) {
            clean.insert(&t);
        } else {
            dropped.push(t.to_string());
        }
    }
    (clean, dropped)
}

/// The next page a Hydra node names (`hydra:next`, else `hydra:nextPage`), resolved.
pub fn next_page(graph: &Graph, page_url: &str) -> Option<String> {
    for p in [hydra::NEXT, hydra::NEXT_PAGE] {
        let mut candidates: Vec<String> = graph
            .triples_for_predicate(p)
            .filter_map(|t| match t.object {
                oxigraph::model::TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
                oxigraph::model::TermRef::Literal(l) => resolve(page_url, l.value()),
                _ => None,
            })
            .collect();
        candidates.sort();
        if let Some(c) = candidates.into_iter().next() {
            return Some(c);
        }
    }
    None
}

fn resolve(base: &str, link: &str) -> Option<String> {
    let link = link.trim();
    if link.starts_with("http://") || link.starts_with("https://") {
        return Some(link.to_owned());
    }
    let (scheme, rest) = base.split_once("://")?;
    if let Some(path) = link.strip_prefix('/') {
        let host = rest.split('/').next()?;
        return Some(format!("{scheme}://{host}/{path}"));
    }
    if let Some(q) = link.strip_prefix('?') {
        let path = base.split('?').next()?;
        return Some(format!("{path}?{q}"));
    }
    let dir = &base[..base.rfind('/')? + 1];
    Some(format!("{dir}{link}"))
}

/// Sub-catalogues (`?catalog dct:hasPart ?part`) that the document does not describe with
/// datasets of their own.
fn sub_catalogues(graph: &Graph) -> Vec<NamedNode> {
    let mut out = Vec::new();
    for cat in graph.subjects_for_predicate_object(rdf::TYPE, dcat::CATALOG) {
        for part in graph.objects_for_subject_predicate(cat, dct::HAS_PART) {
            if let oxigraph::model::TermRef::NamedNode(n) = part
                && graph.triples_for_subject(n).all(|t| t.predicate != dcat::DATASET_PROP)
            {
                out.push(n.into_owned());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Removes Hydra paging nodes (they describe the answer, not the catalogue).
fn remove_paging(graph: &mut Graph) {
    let hydra_ns = hydra::NS;
    let nodes: HashSet<NamedOrBlankNode> = graph
        .iter()
        .filter(|t| {
            t.predicate.as_str().starts_with(hydra_ns)
                || matches!(t.object, oxigraph::model::TermRef::NamedNode(o) if o.as_str().starts_with(hydra_ns) && t.predicate == rdf::TYPE)
        })
        .map(|t| t.subject.into_owned())
        .collect();
    let doomed: Vec<Triple> = graph
        .iter()
        .filter(|t| nodes.contains(&t.subject.into_owned()) || t.predicate.as_str().starts_with(hydra_ns))
        .filter(|t| {
            // a catalogue that is also the collection keeps its own statements
            t.predicate.as_str().starts_with(hydra_ns)
                || (t.predicate == rdf::TYPE
                    && matches!(t.object, oxigraph::model::TermRef::NamedNode(o) if o.as_str().starts_with(hydra_ns)))
                || graph.triples_for_subject(t.subject).all(|x| {
                    x.predicate.as_str().starts_with(hydra_ns)
                        || (x.predicate == rdf::TYPE
                            && matches!(x.object, oxigraph::model::TermRef::NamedNode(o) if o.as_str().starts_with(hydra_ns)))
                })
        })
        .map(|t| t.into_owned())
        .collect();
    for t in &doomed {
        graph.remove(t);
    }
}

/// Properties that real catalogues write with a capital letter by mistake.
fn known_properties() -> Vec<NamedNodeRef<'static>> {
    vec![
        dct::MODIFIED,
        dct::IDENTIFIER,
        dct::TITLE,
        dct::DESCRIPTION,
        dct::ISSUED,
        dct::PUBLISHER,
        dct::LANGUAGE,
        dct::LICENSE,
        dct::SPATIAL,
        dct::TEMPORAL,
        dct::ACCESS_RIGHTS,
        dct::ACCRUAL_PERIODICITY,
        dct::CONFORMS_TO,
        dct::TYPE,
        dct::FORMAT,
        dct::RIGHTS,
        dct::PROVENANCE,
        dct::IS_PART_OF,
        dct::HAS_PART,
        dct::SOURCE,
        dct::CREATOR,
        dct::RELATION,
        foaf::NAME,
        foaf::HOMEPAGE,
        foaf::PAGE,
        foaf::MBOX,
        dcat::KEYWORD,
        dcat::THEME,
        dcat::LANDING_PAGE,
        dcat::CONTACT_POINT,
        dcat::DISTRIBUTION_PROP,
        dcat::DATASET_PROP,
        dcat::ACCESS_URL,
        dcat::DOWNLOAD_URL,
        dcat::MEDIA_TYPE,
        dcat::BYTE_SIZE,
        dcat::VERSION,
        dcat::START_DATE,
        dcat::END_DATE,
        vcard::FN,
        vcard::HAS_EMAIL,
    ]
}

/// Repairs known mistakes in place, counting each kind.
pub fn repair(graph: &mut Graph, counts: &mut BTreeMap<String, usize>) {
    let known = known_properties();
    let mut changes: Vec<(Triple, Triple, String)> = Vec::new();
    for t in graph.iter() {
        let p = t.predicate.as_str();
        let split = p.rfind(['#', '/']).map(|i| i + 1).unwrap_or(0);
        let (ns, local) = p.split_at(split);
        let mut fixed: Option<NamedNode> = None;
        if local.chars().next().is_some_and(char::is_uppercase) {
            let mut lower = local.to_owned();
            if let Some(first) = lower.get_mut(0..1) {
                first.make_ascii_lowercase();
            }
            let candidate = format!("{ns}{lower}");
            if let Some(k) = known.iter().find(|k| k.as_str() == candidate) {
                fixed = Some(k.into_owned());
            }
        } else if t.predicate == schema::START_DATE || t.predicate == schema::END_DATE {
            fixed = Some(if t.predicate == schema::START_DATE { dcat::START_DATE } else { dcat::END_DATE }.into_owned());
        }
        if let Some(f) = fixed {
            let what = format!("<{}> → <{}>", t.predicate.as_str(), f.as_str());
            let old = t.into_owned();
            let new = Triple::new(old.subject.clone(), f, old.object.clone());
            changes.push((old, new, what));
        }
    }
    for (old, new, what) in changes {
        graph.remove(&old);
        graph.insert(&new);
        *counts.entry(what).or_default() += 1;
    }
}
