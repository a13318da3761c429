//! Records: the unit the store saves, versions and publishes.
//!
//! A record is one resource of a [`RecordKind`] plus everything only it describes (its blank
//! nodes, its `#fragment` sub-resources, and a few links that the record owns although it is
//! their object; see `docs/rdf-model.md`). [`split`] cuts any RDF graph into records;
//! [`Resource`] is the typed view of one record graph.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use sha2::{Digest, Sha256};

use super::rdf::{LangText, Writer};
use super::vocab::{dcat, dct, disco, foaf, rdf, skos, vk};
use super::{Agent, Catalog, CodeList, Concept, DataService, Dataset, Distribution, ModelError, Standard, UseCase, Variable};

/// The kinds of record, each with its own IRI path segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Catalog,
    Dataset,
    Distribution,
    DataService,
    Agent,
    Standard,
    Variable,
    CodeList,
    Concept,
    UseCase,
}

impl RecordKind {
    pub const ALL: [Self; 10] = [
        Self::Catalog,
        Self::Dataset,
        Self::Distribution,
        Self::DataService,
        Self::Agent,
        Self::Standard,
        Self::Variable,
        Self::CodeList,
        Self::Concept,
        Self::UseCase,
    ];

    /// The stable name, also the IRI path segment (`dataset` in `{base}dataset/{id}`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Catalog => "catalog",
            Self::Dataset => "dataset",
            Self::Distribution => "distribution",
            Self::DataService => "dataservice",
            Self::Agent => "agent",
            Self::Standard => "standard",
            Self::Variable => "variable",
            Self::CodeList => "codelist",
            Self::Concept => "concept",
            Self::UseCase => "usecase",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The RDF classes that make a resource a record of this kind.
    pub fn classes(self) -> &'static [NamedNodeRef<'static>] {
        match self {
            Self::Catalog => &[dcat::CATALOG],
            Self::Dataset => &[dcat::DATASET, dcat::DATASET_SERIES],
            Self::Distribution => &[dcat::DISTRIBUTION],
            Self::DataService => &[dcat::DATA_SERVICE],
            Self::Agent => &[foaf::AGENT, foaf::ORGANIZATION, foaf::PERSON],
            Self::Standard => &[dct::STANDARD],
            Self::Variable => &[disco::VARIABLE],
            Self::CodeList => &[skos::CONCEPT_SCHEME],
            Self::Concept => &[skos::CONCEPT],
            Self::UseCase => &[vk::USE_CASE],
        }
    }

    /// The kind of a resource with these types; a variable is also a skos:Concept in DDI, so
    /// the more specific kinds win.
    pub fn of_types<'a>(types: impl IntoIterator<Item = NamedNodeRef<'a>>) -> Option<Self> {
        let types: Vec<_> = types.into_iter().collect();
        Self::ALL.into_iter().filter(|k| k.classes().iter().any(|c| types.contains(c))).min_by_key(|k| k.precedence())
    }

    fn precedence(self) -> u8 {
        match self {
            Self::Catalog => 0,
            Self::Dataset => 1,
            Self::DataService => 2,
            Self::Distribution => 3,
            Self::Variable => 4,
            Self::CodeList => 5,
            Self::UseCase => 6,
            Self::Standard => 7,
            Self::Agent => 8,
            Self::Concept => 9,
        }
    }

    /// Human name, singular.
    pub fn label(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match self {
            Self::Catalog => {
                if en {
                    "catalogue"
                } else {
                    "katalog"
                }
            }
            Self::Dataset => {
                if en {
                    "dataset"
                } else {
                    "datamängd"
                }
            }
            Self::Distribution => "distribution",
            Self::DataService => {
                if en {
                    "data service"
                } else {
                    "datatjänst"
                }
            }
            Self::Agent => "organisation",
            Self::Standard => {
                if en {
                    "coding system"
                } else {
                    "kodverk"
                }
            }
            Self::Variable => {
                if en {
                    "variable"
                } else {
                    "variabel"
                }
            }
            Self::CodeList => {
                if en {
                    "code list"
                } else {
                    "kodlista"
                }
            }
            Self::Concept => {
                if en {
                    "code"
                } else {
                    "kod"
                }
            }
            Self::UseCase => {
                if en {
                    "use case"
                } else {
                    "användningsfall"
                }
            }
        }
    }
}

/// The typed content of one record. Not boxed: a record is built once and moved, and every
/// variant is a whole record, so the size difference costs nothing worth an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    Catalog(Catalog),
    Dataset(Dataset),
    Distribution(Distribution),
    DataService(DataService),
    Agent(Agent),
    Standard(Standard),
    Variable(Variable),
    CodeList(CodeList),
    Concept(Concept),
    UseCase(UseCase),
}

macro_rules! each {
    ($self:expr, $r:ident => $e:expr) => {
        match $self {
            Resource::Catalog($r) => $e,
            Resource::Dataset($r) => $e,
            Resource::Distribution($r) => $e,
            Resource::DataService($r) => $e,
            Resource::Agent($r) => $e,
            Resource::Standard($r) => $e,
            Resource::Variable($r) => $e,
            Resource::CodeList($r) => $e,
            Resource::Concept($r) => $e,
            Resource::UseCase($r) => $e,
        }
    };
}

impl Resource {
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Catalog(_) => RecordKind::Catalog,
            Self::Dataset(_) => RecordKind::Dataset,
            Self::Distribution(_) => RecordKind::Distribution,
            Self::DataService(_) => RecordKind::DataService,
            Self::Agent(_) => RecordKind::Agent,
            Self::Standard(_) => RecordKind::Standard,
            Self::Variable(_) => RecordKind::Variable,
            Self::CodeList(_) => RecordKind::CodeList,
            Self::Concept(_) => RecordKind::Concept,
            Self::UseCase(_) => RecordKind::UseCase,
        }
    }

    pub fn iri(&self) -> &NamedNode {
        each!(self, r => &r.iri)
    }

    /// Reads a record graph. Every triple the typed model does not know is kept in `extra`.
    pub fn from_graph(kind: RecordKind, iri: &NamedNode, graph: &Graph) -> Result<Self, ModelError> {
        let mut g = graph.clone();
        let mut resource = match kind {
            RecordKind::Catalog => Self::Catalog(Catalog::read(&mut g, iri)?),
            RecordKind::Dataset => Self::Dataset(Dataset::read(&mut g, iri)?),
            RecordKind::Distribution => Self::Distribution(Distribution::read(&mut g, iri)?),
            RecordKind::DataService => Self::DataService(DataService::read(&mut g, iri)?),
            RecordKind::Agent => Self::Agent(Agent::read(&mut g, iri)?),
            RecordKind::Standard => Self::Standard(Standard::read(&mut g, iri)?),
            RecordKind::Variable => Self::Variable(Variable::read(&mut g, iri)?),
            RecordKind::CodeList => Self::CodeList(CodeList::read(&mut g, iri)?),
            RecordKind::Concept => Self::Concept(Concept::read(&mut g, iri)?),
            RecordKind::UseCase => Self::UseCase(UseCase::read(&mut g, iri)?),
        };
        let mut extra: Vec<Triple> = g.iter().map(|t| t.into_owned()).collect();
        extra.sort_by_cached_key(ToString::to_string);
        each!(&mut resource, r => r.extra = extra);
        Ok(resource)
    }

    /// Writes the record graph.
    pub fn to_graph(&self) -> Graph {
        let mut graph = Graph::new();
        let mut w = Writer::new(&mut graph);
        each!(self, r => r.write(&mut w));
        graph
    }

    /// The name to show: title, name or label.
    pub fn label(&self) -> &LangText {
        match self {
            Self::Catalog(r) => &r.title,
            Self::Dataset(r) => &r.title,
            Self::Distribution(r) => &r.title,
            Self::DataService(r) => &r.title,
            Self::Agent(r) => &r.name,
            Self::Standard(r) => &r.title,
            Self::Variable(r) => &r.label,
            Self::CodeList(r) => {
                if r.title.is_empty() {
                    &r.label
                } else {
                    &r.title
                }
            }
            Self::Concept(r) => &r.label,
            Self::UseCase(r) => &r.title,
        }
    }

    /// Triples the typed model did not understand, kept verbatim.
    pub fn extra(&self) -> &[Triple] {
        each!(self, r => &r.extra)
    }
}

/// A stable digest of a record graph: SHA-256 over its sorted, blank-node-canonical N-Triples.
pub fn content_hash(graph: &Graph) -> String {
    let mut g = graph.clone();
    g.canonicalize(CanonicalizationAlgorithm::Unstable);
    let mut lines: Vec<String> = g.iter().map(|t| t.to_string()).collect();
    lines.sort();
    let mut hasher = Sha256::new();
    for line in &lines {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(7 + digest.len() * 2);
    hex.push_str("sha256:");
    for byte in digest.iter() {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// One record cut out of a larger graph.
#[derive(Debug)]
pub struct RecordGraph {
    pub kind: RecordKind,
    pub iri: NamedNode,
    pub graph: Graph,
}

/// The result of cutting a graph into records.
#[derive(Debug, Default)]
pub struct Split {
    pub records: Vec<RecordGraph>,
    /// Triples that belong to no record (no record links to their subject).
    pub orphans: Vec<Triple>,
    /// Triples dropped because they are derived on output (the own catalogue's dataset list).
    pub derived: usize,
}

/// Cuts a graph into records (see the module documentation for who owns which triple).
///
/// `own_catalog` is this catalogue's IRI: its `dcat:dataset` links are derived when publishing,
/// so they are dropped here.
pub fn split(graph: &Graph, own_catalog: Option<&NamedNode>) -> Split {
    split_triples(graph.iter().map(oxigraph::model::TripleRef::into_owned).collect(), own_catalog)
}

/// [`split`] of a list of triples (a parsed document, repeated statements allowed), without
/// building the whole graph first: one pass groups the statements by subject, a walk from the
/// records finds every node's owner, a last pass moves each statement into its record. A
/// statement repeated in the list counts once, as in a graph.
pub fn split_triples(triples: Vec<Triple>, own_catalog: Option<&NamedNode>) -> Split {
    // 1. records: IRIs typed with a record class
    let mut types: HashMap<&NamedNode, Vec<NamedNodeRef<'_>>> = HashMap::new();
    let mut by_subject: HashMap<&NamedOrBlankNode, Vec<u32>> = HashMap::new();
    for (i, t) in triples.iter().enumerate() {
        by_subject.entry(&t.subject).or_default().push(u32::try_from(i).expect("fewer than 2^32 statements"));
        if t.predicate == rdf::TYPE
            && let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&t.subject, &t.object)
        {
            types.entry(s).or_default().push(o.as_ref());
        }
    }
    let mut records: BTreeMap<NamedNode, RecordKind> = BTreeMap::new();
    for (s, ts) in &types {
        if let Some(kind) = RecordKind::of_types(ts.iter().copied()) {
            records.insert((*s).clone(), kind);
        }
    }
    drop(types);

    // 2. owners of every other node: fragments belong to their record, the rest to the first
    //    record (in IRI order) that reaches them
    let mut owner: HashMap<NamedOrBlankNode, NamedNode> = HashMap::new();
    for r in records.keys() {
        owner.insert(r.clone().into(), r.clone());
    }
    let mut queue: VecDeque<NamedOrBlankNode> = records.keys().map(|r| r.clone().into()).collect();
    let fragment_owner = |n: &NamedNode| -> Option<NamedNode> {
        let (base, _) = n.as_str().split_once('#')?;
        let base = NamedNode::new(base).ok()?;
        records.contains_key(&base).then_some(base)
    };
    while let Some(node) = queue.pop_front() {
        let Some(o) = owner.get(&node).cloned() else { continue };
        let mut objects: Vec<&Term> = by_subject.get(&node).into_iter().flatten().map(|i| &triples[*i as usize].object).collect();
        objects.sort_by_cached_key(|o| o.to_string());
        objects.dedup();
        for object in objects {
            let next: NamedOrBlankNode = match object {
                Term::NamedNode(n) if records.contains_key(n) => continue,
                Term::NamedNode(n) => match fragment_owner(n) {
                    Some(f) => {
                        owner.entry(n.clone().into()).or_insert(f);
                        continue;
                    }
                    None => n.clone().into(),
                },
                Term::BlankNode(b) => b.clone().into(),
                _ => continue,
            };
            if !owner.contains_key(&next) {
                owner.insert(next.clone(), o.clone());
                queue.push_back(next);
            }
        }
    }
    drop(by_subject);

    // 3. assign every statement
    let mut graphs: HashMap<NamedNode, Graph> = records.keys().map(|r| (r.clone(), Graph::new())).collect();
    let mut split = Split::default();
    let mut derived: HashSet<Triple> = HashSet::new();
    let mut orphans: HashSet<Triple> = HashSet::new();
    for t in triples {
        if t.predicate == dcat::DATASET_PROP
            && let NamedOrBlankNode::NamedNode(s) = &t.subject
            && Some(s) == own_catalog
        {
            derived.insert(t);
            continue;
        }
        let object_record = match &t.object {
            Term::NamedNode(o) => records.get_key_value(o).map(|(k, _)| k),
            _ => None,
        };
        let target = match object_record {
            Some(o)
                if t.predicate == disco::VARIABLE_PROP
                    || t.predicate == skos::HAS_TOP_CONCEPT
                    || (t.predicate == dcat::DATASET_PROP
                        && matches!(&t.subject, NamedOrBlankNode::NamedNode(s) if records.get(s) == Some(&RecordKind::Catalog))) =>
            {
                Some(o.clone())
            }
            _ => owner.get(&t.subject).cloned().or_else(|| match &t.subject {
                NamedOrBlankNode::NamedNode(n) => fragment_owner(n),
                NamedOrBlankNode::BlankNode(_) => None,
            }),
        };
        match target {
            Some(r) => {
                graphs.get_mut(&r).expect("every owner is a record").insert(&t);
            }
            None => {
                if !orphans.contains(&t) {
                    orphans.insert(t.clone());
                    split.orphans.push(t);
                }
            }
        }
    }
    split.derived = derived.len();
    split.records = records
        .into_iter()
        .map(|(iri, kind)| {
            let graph = graphs.remove(&iri).unwrap_or_default();
            RecordGraph { kind, iri, graph }
        })
        .collect();
    split
}
