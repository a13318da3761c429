//! The project's own shapes (`schemas/*.ttl`, embedded in the binary) and the validator the
//! regions use before the HDAB harvests: which shapes a profile checks, the rule behind each
//! finding, and findings turned into what a person reads (record, field, what was found, what is
//! expected, in Swedish and English).
//!
//! Owns: the profiles of the validator (`dcat-ap-se`, `healthdcat-ap`, `variabel`, `alla`), the
//! catalogue of rules read from the shapes (one rule per named property shape; its local name is
//! the anchor of `/kontroll/regler#…`), choosing the HealthDCAT-AP level shape per dataset from
//! its `dct:accessRights`, and the [`Report`].
//!
//! Does not: read input or fetch URLs ([`super::input`]), talk to the SHACL engine directly
//! ([`super::shacl`]), or render anything.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use oxigraph::model::{BlankNode, Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef, Triple};

use super::shacl::{self, ShaclError, Shapes};
use crate::model::vocab::{self, dcat, dct, foaf, rdf, rdfs, skos, vcard};

/// The namespace of the project's shapes; a rule's id is its local name.
pub const SHAPES_NS: &str = "https://w3id.org/vardkatalog/shapes#";

const SH: &str = "http://www.w3.org/ns/shacl#";

/// The shapes files, as shipped in `schemas/`.
const SCHEMAS: &[(&str, &str)] = &[
    ("dcat-ap-se.ttl", include_str!("../../schemas/dcat-ap-se.ttl")),
    ("healthdcat-ap.ttl", include_str!("../../schemas/healthdcat-ap.ttl")),
    ("variable.ttl", include_str!("../../schemas/variable.ttl")),
];

/// What a validation checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// DCAT-AP-SE 3.0.1: mandatory as errors, recommended as warnings.
    DcatApSe,
    /// HealthDCAT-AP Release 8 and the EHDS minimum elements of Implementing Regulation
    /// (EU) 2026/2098, each dataset at the level its access rights give.
    HealthDcatAp,
    /// A variable specification ready to publish.
    Variable,
    /// All of them.
    All,
}

impl Profile {
    pub const ALL: [Profile; 4] = [Profile::DcatApSe, Profile::HealthDcatAp, Profile::Variable, Profile::All];

    /// The id used in URLs, forms and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Self::DcatApSe => "dcat-ap-se",
            Self::HealthDcatAp => "healthdcat-ap",
            Self::Variable => "variabel",
            Self::All => "alla",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dcat-ap-se" | "dcatapse" | "" => Some(Self::DcatApSe),
            "healthdcat-ap" | "healthdcatap" | "health" => Some(Self::HealthDcatAp),
            "variabel" | "variable" | "variabler" | "variables" => Some(Self::Variable),
            "alla" | "all" => Some(Self::All),
            _ => None,
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (Self::DcatApSe, false) => "DCAT-AP-SE 3.0.1",
            (Self::DcatApSe, true) => "DCAT-AP-SE 3.0.1",
            (Self::HealthDcatAp, false) => "HealthDCAT-AP Release 8 och EHDS-minimielementen, per åtkomstnivå",
            (Self::HealthDcatAp, true) => "HealthDCAT-AP Release 8 and the EHDS minimum elements, per access level",
            (Self::Variable, false) => "Variabelspecifikation redo att publiceras",
            (Self::Variable, true) => "Variable specification ready to publish",
            (Self::All, false) => "Alla regler",
            (Self::All, true) => "All rules",
        }
    }

    fn files(self) -> &'static [&'static str] {
        match self {
            Self::DcatApSe => &["dcat-ap-se.ttl"],
            // a Release 8 document is not a DCAT-AP-SE document (the publisher type differs)
            Self::HealthDcatAp => &["healthdcat-ap.ttl"],
            Self::Variable => &["variable.ttl"],
            Self::All => &["dcat-ap-se.ttl", "healthdcat-ap.ttl", "variable.ttl"],
        }
    }
}

/// How serious a finding is, in the words of the validator: fel, varning, info.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Self::Error => "fel",
            Self::Warning => "varning",
            Self::Info => "info",
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (Self::Error, false) => "Fel",
            (Self::Error, true) => "Error",
            (Self::Warning, false) => "Varning",
            (Self::Warning, true) => "Warning",
            (Self::Info, _) => "Info",
        }
    }

    fn from_shacl(s: shacl::Severity) -> Self {
        match s {
            shacl::Severity::Violation => Self::Error,
            shacl::Severity::Warning => Self::Warning,
            shacl::Severity::Info => Self::Info,
        }
    }
}

/// Text in Swedish and English.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bilingual {
    pub sv: String,
    pub en: String,
}

impl Bilingual {
    pub fn get(&self, en: bool) -> &str {
        if (en && !self.en.is_empty()) || self.sv.is_empty() { &self.en } else { &self.sv }
    }
}

/// One rule: a named property shape of the project's shapes.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The local name (`dataset-title`): the anchor of the rule on `/kontroll/regler`.
    pub id: String,
    /// The node shape it belongs to, as a heading ("Datamängd").
    pub group: Bilingual,
    /// The file it is declared in.
    pub file: &'static str,
    pub severity: Severity,
    /// The property path, compacted with the catalogue's prefixes (`dct:title`).
    pub path: String,
    pub name: Bilingual,
    pub message: Bilingual,
}

/// Every rule of every shapes file, in file order then id order.
pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut out = Vec::new();
        for (file, text) in SCHEMAS {
            let shapes = Shapes::from_turtle(file, text).expect("the shapes in schemas/ are valid Turtle (tested)");
            out.extend(rules_of(file, shapes.graph()));
        }
        out
    })
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules().iter().find(|r| r.id == id)
}

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

fn rules_of(file: &'static str, g: &Graph) -> Vec<Rule> {
    let property = sh("property");
    let mut groups: HashMap<NamedNode, Bilingual> = HashMap::new();
    for t in g.triples_for_predicate(&property) {
        if let (NamedOrBlankNodeRef::NamedNode(node), TermRef::NamedNode(prop)) = (t.subject, t.object) {
            groups.insert(prop.into_owned(), bilingual(g, node.into(), rdfs::LABEL));
        }
    }
    // named property shapes, and named node shapes that carry a rule of their own (an `sh:or`
    // over several properties, with `vks:field` saying which)
    let named_node_rules: Vec<NamedNode> = g
        .subjects_for_predicate_object(rdf::TYPE, &sh("NodeShape"))
        .filter_map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) if g.object_for_subject_predicate(n, &sh("name")).is_some() => Some(n.into_owned()),
            _ => None,
        })
        .collect();
    for n in &named_node_rules {
        groups.insert(n.clone(), bilingual(g, n.into(), rdfs::LABEL));
    }
    let mut out: Vec<Rule> = g
        .subjects_for_predicate_object(rdf::TYPE, &sh("PropertyShape"))
        .chain(named_node_rules.iter().map(|n| n.as_ref().into()))
        .filter_map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n.into_owned()),
            NamedOrBlankNodeRef::BlankNode(_) => None,
        })
        .filter(|n| n.as_str().starts_with(SHAPES_NS))
        .map(|n| {
            let severity = match g.object_for_subject_predicate(&n, &sh("severity")) {
                Some(TermRef::NamedNode(s)) if s.as_str().ends_with("#Warning") => Severity::Warning,
                Some(TermRef::NamedNode(s)) if s.as_str().ends_with("#Info") => Severity::Info,
                _ => Severity::Error,
            };
            let field = NamedNode::new_unchecked(format!("{SHAPES_NS}field"));
            let path = g
                .object_for_subject_predicate(&n, &sh("path"))
                .map(|p| describe_path(g, p))
                .or_else(|| match g.object_for_subject_predicate(&n, &field) {
                    Some(TermRef::Literal(l)) => Some(l.value().to_owned()),
                    _ => None,
                })
                .unwrap_or_default();
            Rule {
                id: n.as_str()[SHAPES_NS.len()..].to_owned(),
                group: groups.get(&n).cloned().unwrap_or_default(),
                file,
                severity,
                path,
                name: bilingual(g, (&n).into(), sh("name").as_ref()),
                message: bilingual(g, (&n).into(), sh("message").as_ref()),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn bilingual(g: &Graph, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>) -> Bilingual {
    let mut out = Bilingual::default();
    for o in g.objects_for_subject_predicate(s, p) {
        if let TermRef::Literal(l) = o {
            match l.language() {
                Some("sv") => out.sv = l.value().to_owned(),
                Some("en") => out.en = l.value().to_owned(),
                _ if out.sv.is_empty() => out.sv = l.value().to_owned(),
                _ => {}
            }
        }
    }
    out
}

/// A SHACL path in words a person can read: `dct:title`, `dcat:distribution / dct:license`,
/// `^disco:variable`.
fn describe_path(g: &Graph, p: TermRef<'_>) -> String {
    match p {
        TermRef::NamedNode(n) => compact(n.as_str()),
        TermRef::BlankNode(b) => {
            if let Some(inv) = g.object_for_subject_predicate(b, &sh("inversePath")) {
                return format!("^{}", describe_path(g, inv));
            }
            if let Some(alt) = g.object_for_subject_predicate(b, &sh("alternativePath")) {
                return describe_path(g, alt).replace(" / ", " | ");
            }
            // an RDF list: a sequence path
            let mut parts = Vec::new();
            let mut node: Option<TermRef<'_>> = Some(p);
            while let Some(TermRef::BlankNode(cell)) = node {
                if let Some(first) = g.object_for_subject_predicate(cell, oxigraph::model::vocab::rdf::FIRST) {
                    parts.push(describe_path(g, first));
                }
                node = g.object_for_subject_predicate(cell, oxigraph::model::vocab::rdf::REST);
            }
            parts.join(" / ")
        }
        _ => p.to_string(),
    }
}

/// An IRI with the catalogue's prefixes (`http://purl.org/dc/terms/title` → `dct:title`).
pub fn compact(iri: &str) -> String {
    vocab::PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns) && iri.len() > ns.len())
        .max_by_key(|(_, ns)| ns.len())
        .map(|(prefix, ns)| format!("{prefix}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| iri.to_owned())
}

/// One finding as a person reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The record the finding is about: the focus node, or for a blank node (a contact point, a
    /// period) the IRI of the resource that holds it.
    pub record: String,
    /// The record's title or name in the input, when it has one.
    pub record_label: Option<String>,
    /// The node that failed, when it is not the record itself (a blank contact point: `_:…`).
    pub node: Option<String>,
    /// The field, as the property path (`dct:title`), prefixed by the holder's property when the
    /// node is a blank node (`dcat:contactPoint / vcard:hasEmail`).
    pub field: String,
    /// The field's name (Titel / Title), from the rule.
    pub field_name: Bilingual,
    /// The value that was found, if the finding is about a value; `None` when the field is
    /// missing.
    pub found: Option<String>,
    /// What is expected, from the rule's message.
    pub expected: Bilingual,
    /// The rule's id (`dataset-title`), when the finding comes from a named rule.
    pub rule: Option<String>,
}

/// The outcome of one validation.
#[derive(Clone, Debug)]
pub struct Report {
    pub profile: Profile,
    pub triples: usize,
    /// How many resources the shapes target (catalogues, datasets, distributions, services,
    /// publishers, contact points, variables).
    pub checked: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// No error (warnings and infos allowed).
    pub fn passes(&self) -> bool {
        self.count(Severity::Error) == 0
    }

    /// The findings grouped per record, records in order of their first finding's severity then
    /// IRI; findings within a record by severity then field.
    pub fn by_record(&self) -> Vec<(&str, Option<&str>, Vec<&Finding>)> {
        let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &self.findings {
            groups.entry(f.record.as_str()).or_default().push(f);
        }
        let mut out: Vec<(&str, Option<&str>, Vec<&Finding>)> = groups
            .into_iter()
            .map(|(record, mut fs)| {
                fs.sort_by(|a, b| (a.severity, &a.field).cmp(&(b.severity, &b.field)));
                let label = fs.iter().find_map(|f| f.record_label.as_deref());
                (record, label, fs)
            })
            .collect();
        out.sort_by(|a, b| (a.2[0].severity, a.0).cmp(&(b.2[0].severity, b.0)));
        out
    }
}

impl Report {
    /// The report as JSON in one language; each rule links to `{rules_url}#{id}`.
    pub fn to_json(&self, en: bool, rules_url: &str) -> serde_json::Value {
        let findings: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "severity": f.severity.id(),
                    "record": f.record,
                    "record_label": f.record_label,
                    "node": f.node,
                    "field": f.field,
                    "field_name": f.field_name.get(en),
                    "found": f.found,
                    "expected": f.expected.get(en),
                    "rule": f.rule,
                    "rule_url": f.rule.as_ref().map(|id| format!("{rules_url}#{id}")),
                })
            })
            .collect();
        serde_json::json!({
            "profile": self.profile.id(),
            "passes": self.passes(),
            "triples": self.triples,
            "checked": self.checked,
            "counts": {
                "fel": self.count(Severity::Error),
                "varning": self.count(Severity::Warning),
                "info": self.count(Severity::Info),
            },
            "findings": findings,
        })
    }

    /// The report for a terminal, grouped per record.
    pub fn to_text(&self, en: bool) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let verdict = match (self.passes(), en) {
            (true, true) => "PASSED",
            (true, false) => "GODKÄND",
            (false, true) => "NOT PASSED",
            (false, false) => "INTE GODKÄND",
        };
        let (e, w, i) = (self.count(Severity::Error), self.count(Severity::Warning), self.count(Severity::Info));
        let _ = if en {
            writeln!(
                out,
                "{verdict}: {e} errors, {w} warnings, {i} info ({}; {} triples, {} resources checked)",
                self.profile.label(true),
                self.triples,
                self.checked
            )
        } else {
            writeln!(
                out,
                "{verdict}: {e} fel, {w} varningar, {i} info ({}; {} tripler, {} resurser kontrollerade)",
                self.profile.label(false),
                self.triples,
                self.checked
            )
        };
        for (record, label, findings) in self.by_record() {
            let _ = writeln!(out, "\n<{record}>{}", label.map(|l| format!(" {l}")).unwrap_or_default());
            for f in findings {
                let found = match (&f.found, en) {
                    (Some(v), true) => format!(" found {v};"),
                    (Some(v), false) => format!(" hittade {v};"),
                    (None, _) => String::new(),
                };
                let rule = f.rule.as_deref().map(|r| format!(" [{r}]")).unwrap_or_default();
                let _ = writeln!(out, "  {:<8} {}:{found} {}{rule}", f.severity.label(en).to_lowercase(), f.field, f.expected.get(en));
            }
        }
        out
    }
}

fn shapes_for(profile: Profile) -> &'static Shapes {
    static CACHE: OnceLock<Vec<(Profile, Shapes)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        Profile::ALL
            .iter()
            .map(|p| {
                let mut text = String::new();
                for (file, body) in SCHEMAS.iter().filter(|(f, _)| p.files().contains(f)) {
                    text.push_str(&format!("# {file}\n{body}\n"));
                }
                (*p, Shapes::from_turtle(p.id(), &text).expect("the shapes in schemas/ are valid Turtle (tested)"))
            })
            .collect()
    });
    &all.iter().find(|(p, _)| *p == profile).expect("every profile has shapes").1
}

/// The level shape of HealthDCAT-AP for an access-rights IRI.
fn level_shape(access_rights: &str) -> Option<NamedNode> {
    let local = match access_rights.rsplit('/').next()? {
        "PUBLIC" => "HealthPublicDataset",
        "RESTRICTED" => "HealthRestrictedDataset",
        "NON_PUBLIC" => "HealthNonPublicDataset",
        _ => return None,
    };
    Some(NamedNode::new_unchecked(format!("{SHAPES_NS}{local}")))
}

/// Validates a graph against a profile's shapes, in one pass.
pub fn validate(data: &Graph, profile: Profile) -> Result<Report, ShaclError> {
    let shared = shapes_for(profile);
    let mut targeted = None;
    if matches!(profile, Profile::HealthDcatAp | Profile::All) {
        // one target per dataset, on the level shape its access rights choose
        let targets: Vec<Triple> = data
            .subjects_for_predicate_object(rdf::TYPE, dcat::DATASET)
            .filter_map(|ds| {
                let rights = data.object_for_subject_predicate(ds, dct::ACCESS_RIGHTS)?;
                let TermRef::NamedNode(rights) = rights else { return None };
                let shape = level_shape(rights.as_str())?;
                Some(Triple::new(shape, sh("targetNode"), Term::from(ds.into_owned())))
            })
            .collect();
        targeted = Some(shared.clone().with_triples(targets));
    }
    // the shared shapes stay compiled from one validation to the next; targeted ones are new
    let report = targeted.as_ref().unwrap_or(shared).validate(data, None)?;
    let checked = count_targets(data, profile);
    let mut findings: Vec<Finding> = report.findings.iter().map(|f| readable(data, f)).collect();
    findings.sort_by(|a, b| (&a.record, a.severity, &a.field, &a.found).cmp(&(&b.record, b.severity, &b.field, &b.found)));
    findings.dedup();
    Ok(Report { profile, triples: data.len(), checked, findings })
}

fn count_targets(data: &Graph, profile: Profile) -> usize {
    let mut classes = vec![];
    if profile != Profile::Variable {
        classes.extend([dcat::CATALOG, dcat::DATASET, dcat::DISTRIBUTION, dcat::DATA_SERVICE]);
    }
    if matches!(profile, Profile::Variable | Profile::All) {
        classes.push(crate::model::vocab::disco::VARIABLE);
    }
    classes.iter().map(|c| data.subjects_for_predicate_object(rdf::TYPE, *c).count()).sum()
}

/// Parses a node as the engine prints it (`<iri>` or `_:id`).
fn parse_node(s: &str) -> Option<NamedOrBlankNode> {
    let s = s.trim();
    if let Some(iri) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        return NamedNode::new(iri).ok().map(NamedOrBlankNode::Named);
    }
    if let Some(id) = s.strip_prefix("_:") {
        return BlankNode::new(id).ok().map(NamedOrBlankNode::Blank);
    }
    NamedNode::new(s).ok().map(NamedOrBlankNode::Named)
}

enum NamedOrBlankNode {
    Named(NamedNode),
    Blank(BlankNode),
}

fn readable(data: &Graph, f: &shacl::Finding) -> Finding {
    let rule = f.shape.as_deref().map(|s| s.trim_matches(['<', '>'])).and_then(|s| s.strip_prefix(SHAPES_NS)).and_then(rule);
    let path = f.path.as_deref().map(|p| compact(p.trim_matches(['<', '>']))).unwrap_or_default();
    let mut field = rule.map(|r| r.path.clone()).filter(|p| !p.is_empty()).unwrap_or(path);
    let (record, node) = match parse_node(&f.focus) {
        Some(NamedOrBlankNode::Named(n)) => (n.as_str().to_owned(), None),
        Some(NamedOrBlankNode::Blank(b)) => {
            // a blank node is reported on the resource that holds it
            match data.triples_for_object(&b).next() {
                Some(t) => {
                    field = format!("{} / {field}", compact(t.predicate.as_str()));
                    let holder = match t.subject {
                        NamedOrBlankNodeRef::NamedNode(n) => n.as_str().to_owned(),
                        NamedOrBlankNodeRef::BlankNode(b) => format!("_:{}", b.as_str()),
                    };
                    (holder, Some(format!("_:{}", b.as_str())))
                }
                None => (format!("_:{}", b.as_str()), None),
            }
        }
        None => (f.focus.clone(), None),
    };
    let record_label = NamedNode::new(record.clone()).ok().and_then(|n| label_of(data, &n));
    let expected = match rule {
        Some(r) => r.message.clone(),
        None => Bilingual {
            sv: f
                .message_sv
                .clone()
                .or_else(|| f.message.clone())
                .unwrap_or_else(|| format!("Regeln {} är inte uppfylld.", f.component_name())),
            en: f.message.clone().unwrap_or_else(|| format!("The rule {} is not met.", f.component_name())),
        },
    };
    Finding {
        severity: Severity::from_shacl(f.severity),
        record,
        record_label,
        node,
        field,
        field_name: rule.map(|r| r.name.clone()).unwrap_or_default(),
        found: f.value.clone(),
        expected,
        rule: rule.map(|r| r.id.clone()),
    }
}

/// A resource's title or name in the input (Swedish first).
fn label_of(data: &Graph, n: &NamedNode) -> Option<String> {
    for p in [dct::TITLE, skos::PREF_LABEL, foaf::NAME, vcard::FN, rdfs::LABEL] {
        let mut best: Option<(u8, String)> = None;
        for o in data.objects_for_subject_predicate(n, p) {
            if let TermRef::Literal(l) = o {
                let rank = match l.language() {
                    Some("sv") => 0,
                    None => 1,
                    Some("en") => 2,
                    _ => 3,
                };
                if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                    best = Some((rank, l.value().to_owned()));
                }
            }
        }
        if let Some((_, v)) = best {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shapes_file_parses_and_every_rule_speaks_both_languages() {
        assert!(rules().len() > 60, "{} rules", rules().len());
        for r in rules() {
            assert!(!r.message.sv.is_empty() && !r.message.en.is_empty(), "rule {} lacks a message in sv or en", r.id);
            assert!(!r.name.sv.is_empty() && !r.name.en.is_empty(), "rule {} lacks a name in sv or en", r.id);
            assert!(!r.path.is_empty(), "rule {} has no path", r.id);
            assert!(!r.group.sv.is_empty(), "rule {} belongs to no node shape", r.id);
        }
        for p in Profile::ALL {
            shapes_for(p);
        }
    }

    #[test]
    fn paths_read_as_words() {
        let r = rule("public-distribution-license").unwrap();
        assert_eq!(r.path, "dcat:distribution / dct:license");
        assert_eq!(rule("variable-dataset").unwrap().path, "^disco:variable");
        assert_eq!(rule("dataset-title").unwrap().severity, Severity::Error);
        assert_eq!(rule("dataset-keyword").unwrap().severity, Severity::Warning);
        assert_eq!(rule("variable-needs-input").unwrap().severity, Severity::Info);
    }
}
