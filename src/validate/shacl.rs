//! SHACL validation in process: the one module that talks to the SHACL engine.
//!
//! Owns: loading shapes graphs (one or several Turtle files, merged the way pySHACL and the EU's
//! ITB validator merge `shapes.ttl` and `range.ttl`), validating an oxigraph [`Graph`] against
//! them, and turning the engine's report into plain [`Finding`]s (focus node, path, value,
//! constraint component, severity, message). Nothing outside this file names a type of the
//! engine, so replacing it (or following its API, which moves between releases) is a one-file
//! change.
//!
//! The engine is rudof's `shacl` crate (pinned `=0.3.37` with `rudof_lib`, default features
//! off), run on a graph built from our triples with the shapes compiled once per shapes graph.
//! ARCHITECTURE.md ("SHACL engine") records what was tried, why it was chosen, and why it is
//! not called through `Rudof`'s own load and validate steps.
//!
//! The official DCAT-AP 3.0.1 `shapes.ttl` carries five `sh:shape` triples, which is not a
//! SHACL term: it is where the date checks of `dct:issued`, `dct:modified`, `dcat:startDate`
//! and `dcat:endDate` live. Engines ignore them (so the dates are never checked).
//! [`Shapes::with_sh_shape_as_node`] rewrites them to `sh:node`, the evident intent, so that
//! the dates are checked; [`Shapes::nonstandard_sh_shape`] says how many there were.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef, Triple, TripleRef};
use rudof_lib::RudofConfig;
use rudof_rdf::rdf_impl::OxigraphInMemory;
use shacl::error::ValidationError;
use shacl::ir::IRSchema;
use shacl::rdf::ShaclParser;
use shacl::types::Severity as ShaclSeverity;
use shacl::validator::engine::{Engine, NativeEngine};
use shacl::validator::processor::ShaclProcessor;
use shacl::validator::{ShaclConfig, ShaclValidationMode};
use sparql_service::RdfData;

/// `sh:shape`: not a SHACL term, found in DCAT-AP 3.0.1 `shapes.ttl`.
const SH_SHAPE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#shape");
/// `sh:sparql`: the one constraint rudof's native engine evaluates with a SPARQL store.
const SH_SPARQL: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#sparql");
/// `sh:node`.
const SH_NODE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#node");

/// Why shapes could not be loaded or a validation could not run (not: the data is invalid;
/// that is a [`Report`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShaclError {
    #[error("cannot read the shapes file {path}: {message}")]
    Read { path: String, message: String },
    #[error("the shapes graph {name} is not valid Turtle: {message}")]
    Syntax { name: String, message: String },
    #[error("the SHACL engine refused the shapes graph {name}: {message}")]
    Shapes { name: String, message: String },
    #[error("the SHACL engine could not load the data graph: {0}")]
    Data(String),
    #[error("the SHACL engine failed while validating against {name}: {message}")]
    Validation { name: String, message: String },
}

/// How serious a finding is (`sh:severity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Violation,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Violation => "violation",
        })
    }
}

/// One result of a validation (`sh:ValidationResult`), in plain strings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    pub severity: Severity,
    /// The focus node (an IRI, or `_:id` for a blank node).
    pub focus: String,
    /// The property path, when the constraint is on a property shape.
    pub path: Option<String>,
    /// The offending value, when there is one.
    pub value: Option<String>,
    /// The constraint component (`sh:MinCountConstraintComponent` …), as an IRI.
    pub component: String,
    /// The shape the constraint belongs to.
    pub shape: Option<String>,
    /// The shape's `sh:message`, if any (English preferred).
    pub message: Option<String>,
    /// The shape's Swedish `sh:message`, when it has one.
    pub message_sv: Option<String>,
}

impl Finding {
    /// The component's local name ("MinCountConstraintComponent").
    pub fn component_name(&self) -> &str {
        self.component.rsplit(['#', '/']).next().unwrap_or(&self.component)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: <{}>", self.severity, self.focus)?;
        if let Some(p) = &self.path {
            write!(f, " {p}")?;
        }
        write!(f, " fails {}", self.component_name())?;
        if let Some(v) = &self.value {
            write!(f, " (value {v})")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

/// The outcome of one validation: every finding, sorted.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    /// No violation (warnings and infos allowed).
    pub fn conforms(&self) -> bool {
        self.violations().next().is_none()
    }

    pub fn violations(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.severity == Severity::Violation)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.severity == Severity::Warning)
    }
}

/// A shapes graph ready to validate with.
#[derive(Clone, Debug)]
pub struct Shapes {
    name: String,
    graph: Graph,
    /// The graph compiled into the engine's form, on first use (every change of `graph`
    /// resets it).
    compiled: OnceLock<Arc<IRSchema>>,
}

impl Shapes {
    /// Reads and merges Turtle shapes files (blank nodes stay apart per file, named shapes with
    /// the same IRI merge, as `shapes.ttl` and `range.ttl` intend).
    pub fn from_files(paths: &[&Path]) -> Result<Self, ShaclError> {
        let mut graph = Graph::new();
        let mut names = Vec::new();
        for path in paths {
            let text =
                std::fs::read_to_string(path).map_err(|e| ShaclError::Read { path: path.display().to_string(), message: e.to_string() })?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            parse_into(&mut graph, &name, &text)?;
            names.push(name);
        }
        Ok(Self { name: names.join(" + "), graph, compiled: OnceLock::new() })
    }

    /// A shapes graph from Turtle text (tests, the project's own shapes).
    pub fn from_turtle(name: &str, text: &str) -> Result<Self, ShaclError> {
        let mut graph = Graph::new();
        parse_into(&mut graph, name, text)?;
        Ok(Self { name: name.to_owned(), graph, compiled: OnceLock::new() })
    }

    /// The files (or name) this graph was read from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many `sh:shape` triples (not SHACL; see the module documentation) the graph holds.
    pub fn nonstandard_sh_shape(&self) -> usize {
        self.graph.triples_for_predicate(SH_SHAPE).count()
    }

    /// Rewrites `sh:shape` to `sh:node`, so that the checks hung on it are evaluated.
    #[must_use]
    pub fn with_sh_shape_as_node(mut self) -> Self {
        self.compiled = OnceLock::new();
        let found: Vec<Triple> = self.graph.triples_for_predicate(SH_SHAPE).map(TripleRef::into_owned).collect();
        for t in &found {
            self.graph.remove(t);
            self.graph.insert(TripleRef::new(&t.subject, SH_NODE, &t.object));
        }
        if !found.is_empty() {
            self.name.push_str(" (sh:shape read as sh:node)");
        }
        self
    }

    /// How many property shapes (objects of `sh:property`) have no `sh:path`. SHACL requires one;
    /// HealthDCAT-AP Release 8 ships one in `Dataset_Shape` of every level (the rule
    /// "hasStructuredData true ⇒ hasVariables", an `sh:or` of node shapes).
    pub fn pathless_property_shapes(&self) -> usize {
        self.pathless().len()
    }

    fn pathless(&self) -> Vec<(NamedOrBlankNode, Term)> {
        let property = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#property");
        let path = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#path");
        self.graph
            .triples_for_predicate(property)
            .filter(|t| match t.object {
                TermRef::NamedNode(n) => self.graph.object_for_subject_predicate(n, path).is_none(),
                TermRef::BlankNode(b) => self.graph.object_for_subject_predicate(b, path).is_none(),
                _ => false,
            })
            .map(|t| (t.subject.into_owned(), t.object.into_owned()))
            .collect()
    }

    /// Reads every property shape without `sh:path` as a node shape with the targets of the
    /// shape that holds it, as the engine behind the official HealthDCAT-AP validator (the EU
    /// ITB's) evaluates it; an engine that follows SHACL to the letter refuses the graph or
    /// skips the shape. The link from the holder is removed, the constraints stay as written.
    #[must_use]
    pub fn with_pathless_property_shapes_as_node_shapes(mut self) -> Self {
        self.compiled = OnceLock::new();
        let property = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#property");
        let node_shape = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#NodeShape");
        let targets = ["targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"]
            .map(|t| NamedNode::new_unchecked(format!("http://www.w3.org/ns/shacl#{t}")));
        let found = self.pathless();
        for (holder, shape) in &found {
            let shape_node: NamedOrBlankNode = match shape {
                Term::NamedNode(n) => n.clone().into(),
                Term::BlankNode(b) => b.clone().into(),
                _ => continue,
            };
            self.graph.remove(TripleRef::new(holder, property, shape));
            self.graph.insert(TripleRef::new(&shape_node, vocab_rdf_type(), node_shape));
            for target in &targets {
                let values: Vec<Term> = self.graph.objects_for_subject_predicate(holder, target).map(TermRef::into_owned).collect();
                for v in &values {
                    self.graph.insert(TripleRef::new(&shape_node, target, v));
                }
            }
        }
        if !found.is_empty() {
            self.name.push_str(" (path-less property shapes read as node shapes)");
        }
        self
    }

    /// The shapes graph itself (the validator reads rule names and messages from it).
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// This shapes graph with `triples` added (targets chosen at validation time).
    #[must_use]
    pub fn with_triples(mut self, triples: impl IntoIterator<Item = Triple>) -> Self {
        self.compiled = OnceLock::new();
        for t in triples {
            self.graph.insert(&t);
        }
        self
    }

    /// Validates `data` (plus, when given, `background`: vocabulary triples the shapes need
    /// but the data does not carry) and returns every finding.
    ///
    /// The engine's graph is built from the triples in hand (no serialisation and re-parse),
    /// the shapes are compiled once per shapes graph, and no SPARQL store of the data is built
    /// unless the shapes carry `sh:sparql` constraints (rudof's own entry point builds one for
    /// every validation, which at 1.9M triples cost most of the time and memory).
    pub fn validate(&self, data: &Graph, background: Option<&Graph>) -> Result<Report, ShaclError> {
        let started = Instant::now();
        let schema = self.compiled()?;
        let compiled = started.elapsed();
        let mut graph = OxigraphInMemory::new();
        for t in data.iter().chain(background.into_iter().flat_map(Graph::iter)) {
            graph.add_triple_ref(t.subject, t.predicate, t.object).map_err(|e| ShaclError::Data(e.to_string()))?;
        }
        let converted = started.elapsed();
        let mut processor = InMemory { data: graph, sparql: self.graph.triples_for_predicate(SH_SPARQL).next().is_some() };
        let config = RudofConfig::default().shacl().clone();
        let report = processor
            .validate(&schema, &ShaclValidationMode::Native, &config)
            .map_err(|e| ShaclError::Validation { name: self.name.clone(), message: e.to_string() })?;
        let validated = started.elapsed();
        let mut findings: Vec<Finding> = report
            .results()
            .iter()
            .map(|r| {
                let message = r.message();
                let en = message
                    .iter()
                    .find(|(lang, _)| lang.as_ref().is_some_and(|l| l.to_string() == "en"))
                    .or_else(|| message.iter().find(|(lang, _)| lang.is_none()))
                    .or_else(|| message.iter().next())
                    .map(|(_, m)| m.clone());
                let sv = message.iter().find(|(lang, _)| lang.as_ref().is_some_and(|l| l.to_string() == "sv")).map(|(_, m)| m.clone());
                Finding {
                    severity: match r.severity() {
                        ShaclSeverity::Violation => Severity::Violation,
                        ShaclSeverity::Warning => Severity::Warning,
                        // sh:Info, the SHACL 1.2 levels below it and custom severities
                        _ => Severity::Info,
                    },
                    focus: r.focus_node().to_string(),
                    path: r.path().map(ToString::to_string),
                    value: r.value().map(ToString::to_string),
                    component: r.constraint_component().to_string(),
                    shape: r.source().map(ToString::to_string),
                    message: en,
                    message_sv: sv,
                }
            })
            .collect();
        findings.sort();
        findings.dedup();
        tracing::debug!(
            shapes = %self.name,
            triples = processor.data.len(),
            compile_ms = compiled.as_millis(),
            convert_ms = (converted - compiled).as_millis(),
            validate_ms = (validated - converted).as_millis(),
            report_ms = (started.elapsed() - validated).as_millis(),
            findings = findings.len(),
            "SHACL validation"
        );
        Ok(Report { findings })
    }

    /// The shapes compiled into the engine's form, once per shapes graph.
    fn compiled(&self) -> Result<Arc<IRSchema>, ShaclError> {
        if let Some(schema) = self.compiled.get() {
            return Ok(Arc::clone(schema));
        }
        let refused = |message: String| ShaclError::Shapes { name: self.name.clone(), message };
        let mut graph = OxigraphInMemory::new();
        for t in &self.graph {
            graph.add_triple_ref(t.subject, t.predicate, t.object).map_err(|e| refused(e.to_string()))?;
        }
        let data = RdfData::from_graph(graph).map_err(|e| refused(e.to_string()))?;
        let ast = ShaclParser::new(data).parse().map_err(|e| refused(e.to_string()))?;
        let semantics = RudofConfig::default().shacl().recursion_semantics();
        let schema = Arc::new(IRSchema::compile_with_recursion(&ast, semantics).map_err(|e| refused(e.to_string()))?);
        Ok(Arc::clone(self.compiled.get_or_init(|| schema)))
    }
}

/// The data graph in memory, validated by rudof's native engine. Unlike rudof's
/// `GraphValidation`, it builds the SPARQL store of the data only when a shape needs one
/// (`sh:sparql`): the native engine queries nothing else.
struct InMemory {
    data: OxigraphInMemory,
    sparql: bool,
}

impl ShaclProcessor<OxigraphInMemory> for InMemory {
    fn store(&self) -> &OxigraphInMemory {
        &self.data
    }

    fn runner(_mode: &ShaclValidationMode, config: &ShaclConfig) -> Box<dyn Engine<OxigraphInMemory>> {
        Box::new(NativeEngine::new(config.recursion_semantics()))
    }

    fn prepare_store(&mut self) -> Result<(), ValidationError> {
        if self.sparql {
            self.data.ensure_store()?;
        }
        Ok(())
    }
}

fn vocab_rdf_type() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
}

fn parse_into(graph: &mut Graph, name: &str, text: &str) -> Result<(), ShaclError> {
    let parser = RdfParser::from_format(RdfFormat::Turtle).rename_blank_nodes();
    for quad in parser.for_slice(text.as_bytes()) {
        let q = quad.map_err(|e| ShaclError::Syntax { name: name.to_owned(), message: e.to_string() })?;
        graph.insert(TripleRef::new(&q.subject, &q.predicate, &q.object));
    }
    Ok(())
}
