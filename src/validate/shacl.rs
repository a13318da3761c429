//! SHACL validation in process: the one module that talks to the SHACL engine.
//!
//! Owns: loading shapes graphs (one or several Turtle files, merged the way pySHACL and the EU's
//! ITB validator merge `shapes.ttl` and `range.ttl`), validating an oxigraph [`Graph`] against
//! them, and turning the engine's report into plain [`Finding`]s (focus node, path, value,
//! constraint component, severity, message). Nothing outside this file names a type of the
//! engine, so replacing it (or following its API, which moves between releases) is a one-file
//! change.
//!
//! The engine is rudof's `shacl` crate through `rudof_lib` (pinned `=0.3.37`, default features
//! off). ARCHITECTURE.md ("SHACL engine") records what was tried and why it was chosen.
//!
//! The official DCAT-AP 3.0.1 `shapes.ttl` carries five `sh:shape` triples, which is not a
//! SHACL term: it is where the date checks of `dct:issued`, `dct:modified`, `dcat:startDate`
//! and `dcat:endDate` live. Engines ignore them (so the dates are never checked).
//! [`Shapes::with_sh_shape_as_node`] rewrites them to `sh:node`, the evident intent, so that
//! the dates are checked; [`Shapes::nonstandard_sh_shape`] says how many there were.

use std::fmt;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef, Triple, TripleRef};
use rudof_lib::formats::{DataFormat, DataReaderMode, InputSpec, ShaclFormat, ShaclValidationMode};
use rudof_lib::types::ShaclSeverity;
use rudof_lib::{Rudof, RudofConfig};

/// `sh:shape`: not a SHACL term, found in DCAT-AP 3.0.1 `shapes.ttl`.
const SH_SHAPE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#shape");
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
        Ok(Self { name: names.join(" + "), graph })
    }

    /// A shapes graph from Turtle text (tests, the project's own shapes).
    pub fn from_turtle(name: &str, text: &str) -> Result<Self, ShaclError> {
        let mut graph = Graph::new();
        parse_into(&mut graph, name, text)?;
        Ok(Self { name: name.to_owned(), graph })
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
        for t in triples {
            self.graph.insert(&t);
        }
        self
    }

    /// Validates `data` (plus, when given, `background`: vocabulary triples the shapes need
    /// but the data does not carry) and returns every finding.
    pub fn validate(&self, data: &Graph, background: Option<&Graph>) -> Result<Report, ShaclError> {
        let shapes_nt = to_ntriples(self.graph.iter());
        let data_nt = match background {
            Some(bg) => to_ntriples(data.iter().chain(bg.iter())),
            None => to_ntriples(data.iter()),
        };
        let mut rudof = Rudof::new(RudofConfig::default());
        let shapes_spec = InputSpec::str(&shapes_nt);
        rudof
            .load_shacl_shapes()
            .with_shacl_schema(&shapes_spec)
            .with_shacl_schema_format(&ShaclFormat::NTriples)
            .with_reader_mode(&DataReaderMode::Strict)
            .execute()
            .map_err(|e| ShaclError::Shapes { name: self.name.clone(), message: e.to_string() })?;
        let data_spec = [InputSpec::str(&data_nt)];
        rudof
            .load_data()
            .with_data(&data_spec)
            .with_data_format(&DataFormat::NTriples)
            .with_reader_mode(&DataReaderMode::Strict)
            .execute()
            .map_err(|e| ShaclError::Data(e.to_string()))?;
        rudof
            .validate_shacl()
            .with_shacl_validation_mode(&ShaclValidationMode::Native)
            .execute()
            .map_err(|e| ShaclError::Validation { name: self.name.clone(), message: e.to_string() })?;
        let Some(report) = rudof.shacl_validation_results() else {
            return Err(ShaclError::Validation { name: self.name.clone(), message: "no report".into() });
        };
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
        Ok(Report { findings })
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

fn to_ntriples<'a>(triples: impl Iterator<Item = TripleRef<'a>>) -> String {
    let mut w = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for t in triples {
        w.serialize_triple(t).expect("writing to memory does not fail");
    }
    String::from_utf8(w.finish().expect("writing to memory does not fail")).expect("N-Triples is UTF-8")
}
