//! Profiles: projections of the one stored model onto the application profiles harvesters
//! validate against.
//!
//! Owns: which profiles exist ([`Profile`]), and the rules that turn the canonical RDF of a
//! typed record (`Resource::to_graph`) into a profile's RDF ([`Projector`]):
//!
//! | Rule | default | `dcat-ap-se` | `healthdcat-ap` (R8) | `healthdcat-ap-r5` | `dcat-ap` |
//! |---|---|---|---|---|---|
//! | curation notes (`vk:needsInput`, `skos:editorialNote`) left out | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | HealthDCAT-AP and DPV properties kept | ✓ | – | ✓ | ✓ | – |
//! | HealthDCAT-AP vocabularies under the Release 8 bases (`hdeu-dcat`) | ✓ | – | ✓ | – | – |
//! | HealthDCAT-AP vocabularies under the configured Release 5 bases | – | – | – | ✓ | – |
//! | EHDS legislation on catalogue, datasets, distributions, data services | ✓ | – | ✓ | ✓ | – |
//! | `hasStructuredData` exactly once (stated, else whether variables are catalogued) | ✓ | – | ✓ | ✓ | – |
//! | `dct:identifier` of a dataset is its IRI as `xsd:anyURI` | – | – | ✓ | ✓ | – |
//! | coding systems and standards as members of the Release 8 lists (`skos:exactMatch` / `broadMatch` of our records; the rest as `rdfs:seeAlso`) | – | – | ✓ | – | – |
//! | agents: the health publisher type in `dct:type` (no ADMS type), `cv:contactPoint` with `cv:email` / `cv:contactPage`, at most one `dct:description`, no `trustedDataHolder` | – | – | ✓ | – | – |
//! | DPV values typed with their DPV class (the Release 8 validator loads no DPV) | – | – | ✓ | – | – |
//! | every free-text literal language-tagged (`und` when unknown) | ✓ | ✓ | – | – | – |
//! | catalogue licence CC0 | ✓ | ✓ | – | – | – |
//! | `dct:format` an EU file-type IRI and `dcat:mediaType` an IANA IRI | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | pages and landing pages typed `foaf:Document` (the rdfs:range) | ✓ | ✓ | ✓ | ✓ | ✓ |
//!
//! No profile writes `dcat:CatalogRecord` (DCAT-AP-SE forbids it; incremental harvesting uses
//! `modified_since`). Members of controlled vocabularies (languages, themes, file types …) are
//! not described here: validators load those vocabularies as background data
//! (`validate::background`). The CSVW projection of variables is in `publish::csvw`.
//!
//! Rules that need more than the record (the controlled-vocabulary matches of the coding
//! systems a dataset names, whether the catalogue holds its variables) read a [`Context`] the
//! publisher fills in.

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::{Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef, Triple, TripleRef};

use crate::config::Vocabularies;
use crate::model::record::Resource;
use crate::model::vocab::{adms, csvw, cv, dcat, dcatap, dct, dpv, eu, foaf, health, healthdcatap, rdf, rdfs, skos, vcard, vk, xsd};

/// An application profile the catalogue is published in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// DCAT-AP-SE 3.0.1 with the HealthDCAT-AP properties added (what dataportal.se keeps and
    /// forwards).
    Default,
    /// DCAT-AP-SE 3.0.1 only.
    DcatApSe,
    /// HealthDCAT-AP Release 8 (DCAT-AP 3 plus the health properties and the CSVW variables):
    /// what HealthData@EU and the HDAB validate (Implementing Regulation (EU) 2026/2098).
    HealthDcatAp,
    /// The older HealthDCAT-AP projection (Release 5 and the draft): vocabularies under the
    /// configured bases, vCard contacts, `healthdcatap:publisherType`, `csvw:titles`; for
    /// portals that still read it.
    HealthDcatApR5,
    /// DCAT-AP 3.0.1 only.
    DcatAp,
}

impl Profile {
    pub const ALL: [Self; 5] = [Self::Default, Self::DcatApSe, Self::HealthDcatAp, Self::HealthDcatApR5, Self::DcatAp];

    /// The value of the `profile` parameter (`dcat-ap-se`, `healthdcat-ap`, `healthdcat-ap-r5`,
    /// `dcat-ap`); the default is `default` (or the parameter left out).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "default" => Some(Self::Default),
            "dcat-ap-se" | "dcatapse" => Some(Self::DcatApSe),
            "healthdcat-ap" | "healthdcatap" | "healthdcat-ap-r8" | "healthdcatap-r8" => Some(Self::HealthDcatAp),
            "healthdcat-ap-r5" | "healthdcatap-r5" => Some(Self::HealthDcatApR5),
            "dcat-ap" | "dcatap" => Some(Self::DcatAp),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::DcatApSe => "dcat-ap-se",
            Self::HealthDcatAp => "healthdcat-ap",
            Self::HealthDcatApR5 => "healthdcat-ap-r5",
            Self::DcatAp => "dcat-ap",
        }
    }

    /// The DCAT-AP-SE rules (tagged literals, CC0 catalogue licence).
    pub fn swedish(self) -> bool {
        matches!(self, Self::Default | Self::DcatApSe)
    }

    /// The HealthDCAT-AP properties, the EHDS legislation and the CSVW variables.
    pub fn health(self) -> bool {
        matches!(self, Self::Default | Self::HealthDcatAp | Self::HealthDcatApR5)
    }

    /// HealthDCAT-AP's own constraints that DCAT-AP-SE does not share (identifier as IRI).
    pub fn strict_health(self) -> bool {
        matches!(self, Self::HealthDcatAp | Self::HealthDcatApR5)
    }

    /// HealthDCAT-AP Release 8's own rules (agents, contacts, controlled-vocabulary members).
    pub fn release8(self) -> bool {
        self == Self::HealthDcatAp
    }
}

/// What the projection of a dataset needs beyond its record.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// For each coding system or standard the dataset names: the controlled-vocabulary entries
    /// its record matches (`skos:exactMatch`, `skos:broadMatch`).
    pub matches: BTreeMap<NamedNode, Vec<NamedNode>>,
    /// Whether the catalogue publishes variables of the dataset (or of its parts).
    pub has_variables: bool,
}

/// The EU file-type IRI for an IANA media type ("text/csv" → `…/file-type/CSV`).
pub fn file_type_for_media_type(media_type: &str) -> Option<NamedNode> {
    let media_type = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    eu::FILE_TYPES.iter().find(|(_, m)| *m == media_type).map(|(code, _)| NamedNode::new_unchecked(format!("{}{code}", eu::FILE_TYPE)))
}

/// The IANA media-type IRI for an EU file-type IRI.
pub fn media_type_for_file_type(file_type: &str) -> Option<NamedNode> {
    let code = file_type.strip_prefix(eu::FILE_TYPE)?;
    eu::FILE_TYPES.iter().find(|(c, _)| *c == code).map(|(_, m)| NamedNode::new_unchecked(format!("{}{m}", eu::IANA_MEDIA_TYPES)))
}

/// Predicates whose literal values are free text (and so carry a language tag).
const FREE_TEXT: &[NamedNodeRef<'static>] = &[
    dct::TITLE,
    dct::DESCRIPTION,
    dcat::KEYWORD,
    foaf::NAME,
    vcard::FN,
    rdfs::LABEL,
    rdfs::COMMENT,
    skos::PREF_LABEL,
    skos::ALT_LABEL,
    skos::HIDDEN_LABEL,
    skos::DEFINITION,
    skos::SCOPE_NOTE,
    skos::NOTE,
    adms::VERSION_NOTES,
    healthdcatap::POPULATION_COVERAGE,
    csvw::TITLE,
    csvw::TITLES,
    vk::CONDITION,
    vk::INPUT_OUTPUT_NOTE,
    vk::REFERENCE_GROUP,
];

/// The language tag of free text whose language is not known (BCP 47 "undetermined").
pub const UNKNOWN_LANGUAGE: &str = "und";

/// Applies one profile's rules to record graphs.
#[derive(Clone, Debug)]
pub struct Projector<'a> {
    profile: Profile,
    vocabularies: &'a Vocabularies,
}

impl<'a> Projector<'a> {
    pub fn new(profile: Profile, vocabularies: &'a Vocabularies) -> Self {
        Self { profile, vocabularies }
    }

    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The profile's RDF of one record, with nothing known beyond it.
    pub fn record(&self, resource: &Resource) -> Graph {
        self.record_in(resource, &Context::default())
    }

    /// The profile's RDF of one record in its context.
    pub fn record_in(&self, resource: &Resource, ctx: &Context) -> Graph {
        let graph = resource.to_graph();
        let mut out = Graph::new();
        let subject: NamedOrBlankNode = resource.iri().clone().into();
        for t in graph.iter() {
            if let Some(t) = self.triple(t) {
                out.insert(&t);
            }
        }
        if self.profile.swedish() {
            tag_free_text(&mut out);
            if let Resource::Catalog(_) = resource {
                replace_objects(&mut out, &subject, dct::LICENSE, NamedNode::new_unchecked(eu::CC0).into());
            }
        }
        match resource {
            Resource::Distribution(_) => pair_formats(&mut out, &subject),
            Resource::DataService(_) => formats_as_iris(&mut out, &subject),
            _ => {}
        }
        if self.profile.health()
            && matches!(resource, Resource::Catalog(_) | Resource::Dataset(_) | Resource::Distribution(_) | Resource::DataService(_))
        {
            let ehds = NamedNode::new_unchecked(eu::EHDS_ELI);
            out.insert(TripleRef::new(&subject, dcatap::APPLICABLE_LEGISLATION, &ehds));
        }
        if self.profile.strict_health()
            && let Resource::Dataset(d) = resource
        {
            replace_objects(&mut out, &subject, dct::IDENTIFIER, Literal::new_typed_literal(d.iri.as_str(), xsd::ANY_URI).into());
        }
        if self.profile.health()
            && let Resource::Dataset(d) = resource
        {
            // exactly once: as stated, else whether the catalogue holds its variables
            let structured = d.has_structured_data.unwrap_or(ctx.has_variables);
            replace_objects(&mut out, &subject, healthdcatap::HAS_STRUCTURED_DATA, Literal::from(structured).into());
        }
        if self.profile.release8() {
            match resource {
                Resource::Dataset(_) => release8_dataset(&mut out, &subject, ctx),
                Resource::Agent(a) => release8_agent(&mut out, a),
                _ => {}
            }
            release8_contacts(&mut out);
            remove_predicate(&mut out, healthdcatap::TRUSTED_DATA_HOLDER);
            remove_predicate(&mut out, healthdcatap::PUBLISHER_TYPE);
        }
        type_documents(&mut out);
        out
    }

    /// One triple under the profile's rules; `None` when it is left out.
    fn triple(&self, t: TripleRef<'_>) -> Option<Triple> {
        let p = t.predicate;
        if crate::model::vocab::is_internal(p) {
            return None;
        }
        if !self.profile.health() && (p.as_str().starts_with(healthdcatap::NS) || p.as_str().starts_with(dpv::NS)) {
            return None;
        }
        let object = match t.object {
            TermRef::NamedNode(n) if self.profile.health() => Term::NamedNode(self.vocabulary_iri(n)),
            o => o.into_owned(),
        };
        Some(Triple::new(t.subject.into_owned(), p.into_owned(), object))
    }

    /// A HealthDCAT-AP vocabulary IRI as the profile publishes it: the Release 8 base (as
    /// stored), or in `healthdcat-ap-r5` the configured base of the older releases.
    pub fn vocabulary_iri(&self, iri: NamedNodeRef<'_>) -> NamedNode {
        if self.profile != Profile::HealthDcatApR5 {
            return iri.into_owned();
        }
        let v = self.vocabularies;
        for (storage, published) in [
            (health::CATEGORY_BASE, &v.health_category_base),
            (health::THEME_BASE, &v.health_theme_base),
            (health::PUBLISHER_TYPE_BASE, &v.health_publisher_type_base),
        ] {
            if let Some(code) = iri.as_str().strip_prefix(storage)
                && storage != published.as_str()
            {
                return NamedNode::new_unchecked(format!("{published}{code}"));
            }
        }
        iri.into_owned()
    }
}

/// Removes every triple with predicate `p`.
fn remove_predicate(graph: &mut Graph, p: NamedNodeRef<'_>) {
    let gone: Vec<Triple> = graph.triples_for_predicate(p).map(TripleRef::into_owned).collect();
    for t in &gone {
        graph.remove(t);
    }
}

/// The values of `s p` as IRIs.
fn iri_objects(graph: &Graph, s: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Vec<NamedNode> {
    graph
        .objects_for_subject_predicate(s, p)
        .filter_map(|o| match o {
            TermRef::NamedNode(n) => Some(n.into_owned()),
            _ => None,
        })
        .collect()
}

/// Release 8 rules of a dataset: coding systems and standards as members of the Release 8
/// lists (a system whose record matches none stays linked with `rdfs:seeAlso`), and the DPV
/// values typed with their DPV class.
fn release8_dataset(graph: &mut Graph, s: &NamedOrBlankNode, ctx: &Context) {
    for (p, base) in [(healthdcatap::HAS_CODING_SYSTEM, health::CODING_SYSTEM_BASE), (dct::CONFORMS_TO, health::STANDARD_BASE)] {
        for value in iri_objects(graph, s, p) {
            if value.as_str().starts_with(base) {
                continue;
            }
            graph.remove(TripleRef::new(s, p, &value));
            let members: Vec<&NamedNode> = ctx.matches.get(&value).into_iter().flatten().filter(|m| m.as_str().starts_with(base)).collect();
            if members.is_empty() {
                graph.insert(TripleRef::new(s, rdfs::SEE_ALSO, &value));
            }
            for m in members {
                graph.insert(TripleRef::new(s, p, m));
            }
        }
    }
    for (p, class) in
        [(dpv::HAS_PERSONAL_DATA, dpv::PERSONAL_DATA), (dpv::HAS_PURPOSE, dpv::PURPOSE), (dpv::HAS_LEGAL_BASIS, dpv::LEGAL_BASIS)]
    {
        for value in iri_objects(graph, s, p) {
            graph.insert(TripleRef::new(&value, rdf::TYPE, class));
        }
    }
}

/// Release 8 rules of an agent: the health publisher type is its `dct:type` (the ADMS type
/// stays in the DCAT-AP-SE profiles), its contact is a `cv:contactPoint`, and it has at most
/// one `dct:description` (English when there is one: the note is read across the EU).
fn release8_agent(graph: &mut Graph, a: &crate::model::Agent) {
    let s: NamedOrBlankNode = a.iri.clone().into();
    if let Some(t) = &a.health_publisher_type {
        replace_objects(graph, &s, dct::TYPE, t.clone().into());
    }
    for c in iri_objects(graph, &s, dcat::CONTACT_POINT) {
        graph.remove(TripleRef::new(&s, dcat::CONTACT_POINT, &c));
        graph.insert(TripleRef::new(&s, cv::CONTACT_POINT, &c));
    }
    let descriptions: Vec<Literal> = graph
        .objects_for_subject_predicate(&s, dct::DESCRIPTION)
        .filter_map(|o| match o {
            TermRef::Literal(l) => Some(l.into_owned()),
            _ => None,
        })
        .collect();
    if descriptions.len() > 1 {
        let rank = |l: &Literal| match l.language() {
            Some("en") => 0,
            Some("sv") => 1,
            _ => 2,
        };
        let keep = descriptions.iter().min_by_key(|l| (rank(l), l.value().to_owned())).cloned();
        for d in &descriptions {
            if Some(d) != keep.as_ref() {
                graph.remove(TripleRef::new(&s, dct::DESCRIPTION, d));
            }
        }
    }
}

/// Release 8 rules of contact points: each vCard contact is also a `cv:ContactPoint` with
/// `cv:email` (the address as text) and `cv:contactPage` (its web page), and keeps at most one
/// `vcard:hasEmail` and one `vcard:hasURL` (the Release 8 `Kind_Shape`).
fn release8_contacts(graph: &mut Graph) {
    let mut contacts: Vec<NamedOrBlankNode> = graph
        .subjects_for_predicate_object(rdf::TYPE, vcard::KIND)
        .map(|s| s.into_owned())
        .chain(graph.triples_for_predicate(cv::CONTACT_POINT).filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(NamedOrBlankNode::from(n.into_owned())),
            TermRef::BlankNode(b) => Some(NamedOrBlankNode::from(b.into_owned())),
            _ => None,
        }))
        .collect();
    contacts.sort_by_key(ToString::to_string);
    contacts.dedup();
    for c in contacts {
        let emails = iri_objects(graph, &c, vcard::HAS_EMAIL);
        let urls = iri_objects(graph, &c, vcard::HAS_URL);
        if emails.is_empty() && urls.is_empty() && !graph.contains(TripleRef::new(&c, rdf::TYPE, vcard::KIND)) {
            continue;
        }
        graph.insert(TripleRef::new(&c, rdf::TYPE, cv::CONTACT_POINT_CLASS));
        for e in &emails {
            let address = e.as_str().trim_start_matches("mailto:");
            graph.insert(TripleRef::new(&c, cv::EMAIL, &Literal::new_simple_literal(address)));
        }
        for u in &urls {
            graph.insert(TripleRef::new(&c, cv::CONTACT_PAGE, u));
        }
        for (p, values) in [(vcard::HAS_EMAIL, &emails), (vcard::HAS_URL, &urls)] {
            let mut sorted = values.clone();
            sorted.sort();
            for extra in sorted.iter().skip(1) {
                graph.remove(TripleRef::new(&c, p, extra));
            }
        }
    }
}

/// Replaces every value of `s p` with `value`.
fn replace_objects(graph: &mut Graph, s: &NamedOrBlankNode, p: NamedNodeRef<'_>, value: Term) {
    let old: Vec<Term> = graph.objects_for_subject_predicate(s, p).map(TermRef::into_owned).collect();
    for o in &old {
        graph.remove(TripleRef::new(s, p, o));
    }
    graph.insert(TripleRef::new(s, p, &value));
}

/// Tags untagged free text: dropped where the same property has tagged text, else tagged
/// [`UNKNOWN_LANGUAGE`].
fn tag_free_text(graph: &mut Graph) {
    let untagged: Vec<Triple> = graph
        .iter()
        .filter(|t| FREE_TEXT.contains(&t.predicate))
        .filter(|t| matches!(t.object, TermRef::Literal(l) if l.language().is_none() && l.datatype() == xsd::STRING))
        .map(TripleRef::into_owned)
        .collect();
    for t in untagged {
        graph.remove(&t);
        let has_tagged = graph
            .objects_for_subject_predicate(&t.subject, &t.predicate)
            .any(|o| matches!(o, TermRef::Literal(l) if l.language().is_some()));
        if !has_tagged && let Term::Literal(l) = &t.object {
            let tagged = Literal::new_language_tagged_literal_unchecked(l.value(), UNKNOWN_LANGUAGE);
            graph.insert(TripleRef::new(&t.subject, &t.predicate, &Term::Literal(tagged)));
        }
    }
}

/// `dct:format` as EU file-type IRIs: a media-type literal ("text/csv", kept verbatim from a
/// harvest) becomes the file-type IRI, or, when there is none, the IANA media-type IRI in
/// `dcat:mediaType`.
fn formats_as_iris(graph: &mut Graph, s: &NamedOrBlankNode) {
    let literals: Vec<Literal> = graph
        .objects_for_subject_predicate(s, dct::FORMAT)
        .filter_map(|o| match o {
            TermRef::Literal(l) => Some(l.into_owned()),
            _ => None,
        })
        .collect();
    for l in literals {
        graph.remove(TripleRef::new(s, dct::FORMAT, &Term::Literal(l.clone())));
        if let Some(ft) = file_type_for_media_type(l.value()) {
            graph.insert(TripleRef::new(s, dct::FORMAT, &ft));
        }
        let media = l.value().split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if graph.objects_for_subject_predicate(s, dcat::MEDIA_TYPE).next().is_none() && is_media_type(&media) {
            let iri = NamedNode::new_unchecked(format!("{}{media}", eu::IANA_MEDIA_TYPES));
            graph.insert(TripleRef::new(s, dcat::MEDIA_TYPE, &iri));
        }
    }
}

/// A distribution's format as the pair DCAT-AP-SE 3 asks for: the EU file type in `dct:format`
/// and the IANA media type in `dcat:mediaType`, each derived from the other when missing.
fn pair_formats(graph: &mut Graph, s: &NamedOrBlankNode) {
    formats_as_iris(graph, s);
    let format = graph.object_for_subject_predicate(s, dct::FORMAT).map(TermRef::into_owned);
    let media = graph.object_for_subject_predicate(s, dcat::MEDIA_TYPE).map(TermRef::into_owned);
    match (format, media) {
        (Some(Term::NamedNode(f)), None) => {
            if let Some(m) = media_type_for_file_type(f.as_str()) {
                graph.insert(TripleRef::new(s, dcat::MEDIA_TYPE, &m));
            }
        }
        (None, Some(Term::NamedNode(m))) => {
            if let Some(f) = m.as_str().strip_prefix(eu::IANA_MEDIA_TYPES).and_then(file_type_for_media_type) {
                graph.insert(TripleRef::new(s, dct::FORMAT, &f));
            }
        }
        _ => {}
    }
}

/// `type/subtype` as IANA writes media types.
fn is_media_type(s: &str) -> bool {
    let Some((t, sub)) = s.split_once('/') else { return false };
    let ok = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    ok(t) && ok(sub)
}

/// Types the objects of `foaf:page`, `dcat:landingPage` and `foaf:homepage` as `foaf:Document`
/// (their rdfs:range; DCAT-AP's range shapes check it and no vocabulary describes web pages).
fn type_documents(graph: &mut Graph) {
    let documents: BTreeSet<NamedNode> = graph
        .iter()
        .filter(|t| t.predicate == foaf::PAGE || t.predicate == dcat::LANDING_PAGE || t.predicate == foaf::HOMEPAGE)
        .filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(n.into_owned()),
            _ => None,
        })
        .collect();
    for d in documents {
        graph.insert(TripleRef::new(&d, rdf::TYPE, foaf::DOCUMENT));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Catalog, Dataset, Distribution, LangText};

    fn vocab() -> Vocabularies {
        Vocabularies { health_category_base: "https://hdeu.example/healthcategories/".into(), ..Vocabularies::default() }
    }

    fn n(s: &str) -> NamedNode {
        NamedNode::new_unchecked(s)
    }

    #[test]
    fn profiles_parse_by_name() {
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.as_str()), Some(p));
        }
        assert_eq!(Profile::parse(""), Some(Profile::Default));
        assert_eq!(Profile::parse("dcat-ap-se"), Some(Profile::DcatApSe));
        assert_eq!(Profile::parse("ckan"), None);
    }

    #[test]
    fn dataset_rules_per_profile() {
        let v = vocab();
        let mut d = Dataset::new(n("https://k.se/dataset/a"), LangText::sv("A").with("", "untagged"));
        d.identifier = Some("a".into());
        d.description = LangText::new().with("", "Only untagged");
        d.health_categories = vec![n(&format!("{}PHDR", health::CATEGORY_BASE))];
        d.needs_input = true;
        d.landing_pages = vec![n("https://example.org/page")];
        let r = Resource::Dataset(d);
        let iri = n("https://k.se/dataset/a");

        let se = Projector::new(Profile::DcatApSe, &v).record(&r);
        assert!(se.triples_for_predicate(healthdcatap::HEALTH_CATEGORY).next().is_none(), "no health properties");
        assert!(se.triples_for_predicate(vk::NEEDS_INPUT).next().is_none(), "no curation notes");
        let titles: Vec<_> = se.objects_for_subject_predicate(&iri, dct::TITLE).map(|o| o.to_string()).collect();
        assert_eq!(titles, vec!["\"A\"@sv"], "untagged text beside tagged text is dropped");
        let desc = se.object_for_subject_predicate(&iri, dct::DESCRIPTION).unwrap().to_string();
        assert_eq!(desc, "\"Only untagged\"@und");
        assert!(se.contains(TripleRef::new(n("https://example.org/page").as_ref(), rdf::TYPE, foaf::DOCUMENT)));
        assert!(se.triples_for_predicate(dcatap::APPLICABLE_LEGISLATION).next().is_none());

        let r5 = Projector::new(Profile::HealthDcatApR5, &v).record(&r);
        let cat = r5.object_for_subject_predicate(&iri, healthdcatap::HEALTH_CATEGORY).unwrap();
        assert_eq!(cat.to_string(), "<https://hdeu.example/healthcategories/PHDR>", "the configured base of the older releases");
        let h = Projector::new(Profile::HealthDcatAp, &v).record(&r);
        let cat = h.object_for_subject_predicate(&iri, healthdcatap::HEALTH_CATEGORY).unwrap();
        assert_eq!(cat.to_string(), format!("<{}PHDR>", health::CATEGORY_BASE), "Release 8 publishes its own base");
        assert_eq!(
            h.object_for_subject_predicate(&iri, healthdcatap::HAS_STRUCTURED_DATA).unwrap().to_string(),
            "\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>",
            "hasStructuredData exactly once: not stated and no variables"
        );
        let id = h.object_for_subject_predicate(&iri, dct::IDENTIFIER).unwrap();
        assert_eq!(id.to_string(), "\"https://k.se/dataset/a\"^^<http://www.w3.org/2001/XMLSchema#anyURI>");
        assert!(h.contains(TripleRef::new(&iri, dcatap::APPLICABLE_LEGISLATION, n(eu::EHDS_ELI).as_ref())));

        let d = Projector::new(Profile::Default, &v).record(&r);
        let id = d.object_for_subject_predicate(&iri, dct::IDENTIFIER).unwrap();
        assert_eq!(id.to_string(), "\"a\"", "DCAT-AP-SE keeps the stored identifier");
    }

    #[test]
    fn release_8_agents_get_their_health_type_one_description_and_a_cv_contact_point() {
        use crate::model::{Agent, ContactPoint};
        let v = vocab();
        let iri = n("https://k.se/agent/sos");
        let contact = n("https://k.se/agent/sos#kontakt");
        let mut a = Agent::new(iri.clone(), LangText::sv("Socialstyrelsen"));
        a.publisher_type = Some(n(&format!("{}NationalAuthority", eu::ADMS_PUBLISHER_TYPE)));
        a.health_publisher_type = Some(n(&format!("{}national-authority", health::PUBLISHER_TYPE_BASE)));
        a.description = LangText::sv("Myndighet").with("en", "Agency");
        a.contact_point = Some(contact.clone());
        a.contact = Some(ContactPoint {
            iri: Some(contact.clone()),
            organization: true,
            name: LangText::sv("Socialstyrelsen"),
            emails: vec![n("mailto:a@sos.se"), n("mailto:b@sos.se")],
            telephones: vec![],
            urls: vec![n("https://sos.se/")],
        });
        let r = Resource::Agent(a);
        let g = Projector::new(Profile::HealthDcatAp, &v).record(&r);
        let types: Vec<String> = g.objects_for_subject_predicate(&iri, dct::TYPE).map(|o| o.to_string()).collect();
        assert_eq!(types, vec![format!("<{}national-authority>", health::PUBLISHER_TYPE_BASE)], "no ADMS type in Release 8");
        assert!(g.contains(TripleRef::new(&iri, cv::CONTACT_POINT, &contact)));
        assert!(g.object_for_subject_predicate(&iri, dcat::CONTACT_POINT).is_none());
        assert!(g.contains(TripleRef::new(&contact, rdf::TYPE, cv::CONTACT_POINT_CLASS)));
        assert_eq!(g.objects_for_subject_predicate(&contact, cv::EMAIL).count(), 2);
        assert_eq!(g.objects_for_subject_predicate(&contact, vcard::HAS_EMAIL).count(), 1, "Kind_Shape: at most one");
        assert!(g.contains(TripleRef::new(&contact, cv::CONTACT_PAGE, &n("https://sos.se/"))));
        assert_eq!(
            g.objects_for_subject_predicate(&iri, dct::DESCRIPTION).map(|o| o.to_string()).collect::<Vec<_>>(),
            vec!["\"Agency\"@en"]
        );
        assert!(g.triples_for_predicate(healthdcatap::PUBLISHER_TYPE).next().is_none());
        // DCAT-AP-SE keeps the ADMS type and the vCard contact
        let se = Projector::new(Profile::DcatApSe, &v).record(&r);
        assert_eq!(se.objects_for_subject_predicate(&iri, dct::TYPE).count(), 1);
        assert!(se.contains(TripleRef::new(&iri, dcat::CONTACT_POINT, &contact)));
    }

    #[test]
    fn release_8_names_list_members_for_coding_systems_and_keeps_the_rest_as_see_also() {
        let v = vocab();
        let iri = n("https://k.se/dataset/a");
        let mut d = Dataset::new(iri.clone(), LangText::sv("A"));
        d.coding_systems = vec![n("https://k.se/standard/icd-10-se"), n("https://k.se/standard/lanskod")];
        d.conforms_to = vec![n("https://k.se/standard/kpp")];
        let mut ctx = Context::default();
        ctx.matches.insert(n("https://k.se/standard/icd-10-se"), vec![n(&format!("{}ICD-10-NAT", health::CODING_SYSTEM_BASE))]);
        ctx.has_variables = true;
        let g = Projector::new(Profile::HealthDcatAp, &v).record_in(&Resource::Dataset(d), &ctx);
        let cs: Vec<String> = g.objects_for_subject_predicate(&iri, healthdcatap::HAS_CODING_SYSTEM).map(|o| o.to_string()).collect();
        assert_eq!(cs, vec![format!("<{}ICD-10-NAT>", health::CODING_SYSTEM_BASE)]);
        let see_also: BTreeSet<String> = g.objects_for_subject_predicate(&iri, rdfs::SEE_ALSO).map(|o| o.to_string()).collect();
        assert_eq!(see_also, BTreeSet::from(["<https://k.se/standard/lanskod>".to_owned(), "<https://k.se/standard/kpp>".to_owned()]));
        assert!(g.object_for_subject_predicate(&iri, dct::CONFORMS_TO).is_none());
        assert_eq!(
            g.object_for_subject_predicate(&iri, healthdcatap::HAS_STRUCTURED_DATA).unwrap().to_string(),
            "\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>"
        );
    }

    #[test]
    fn formats_are_paired_and_literals_become_iris() {
        let v = Vocabularies::default();
        let iri = n("https://k.se/distribution/x");
        let mut d = Distribution::new(iri.clone());
        d.format = Some(n(&format!("{}CSV", eu::FILE_TYPE)));
        let g = Projector::new(Profile::DcatAp, &v).record(&Resource::Distribution(d));
        assert_eq!(
            g.object_for_subject_predicate(&iri, dcat::MEDIA_TYPE).unwrap().to_string(),
            "<http://www.iana.org/assignments/media-types/text/csv>"
        );

        let mut d = Distribution::new(iri.clone());
        d.extra = vec![Triple::new(iri.clone(), dct::FORMAT, Literal::new_simple_literal("application/json"))];
        let g = Projector::new(Profile::DcatApSe, &v).record(&Resource::Distribution(d));
        assert_eq!(g.object_for_subject_predicate(&iri, dct::FORMAT).unwrap().to_string(), format!("<{}JSON>", eu::FILE_TYPE));
        assert_eq!(
            g.object_for_subject_predicate(&iri, dcat::MEDIA_TYPE).unwrap().to_string(),
            "<http://www.iana.org/assignments/media-types/application/json>"
        );
    }

    #[test]
    fn catalogue_licence_is_cc0_in_dcat_ap_se() {
        let v = Vocabularies::default();
        let iri = n("https://k.se/catalog");
        let mut c = Catalog::new(iri.clone(), LangText::sv("K"));
        c.license = Some(n("http://creativecommons.org/licenses/by/4.0/"));
        let r = Resource::Catalog(c);
        let se = Projector::new(Profile::DcatApSe, &v).record(&r);
        let licences: Vec<_> = se.objects_for_subject_predicate(&iri, dct::LICENSE).map(|o| o.to_string()).collect();
        assert_eq!(licences, vec![format!("<{}>", eu::CC0)]);
        let ap = Projector::new(Profile::DcatAp, &v).record(&r);
        assert!(ap.object_for_subject_predicate(&iri, dct::LICENSE).unwrap().to_string().contains("by/4.0"));
    }
}
