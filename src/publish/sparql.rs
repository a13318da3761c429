//! The public SPARQL endpoint's engine: read-only, over published records only, with a time
//! limit and a result cap.
//!
//! Owns: what a public query may see (the default graph is the union of the public record
//! graphs, which the store keeps as its default graph, and the named graphs are those graphs; never the metadata graph
//! `urn:vardkatalog:records`, never drafts), refusing updates, refusing `SERVICE` (no query
//! leaves the catalogue), cancelling a query that runs past the time limit, cutting results
//! at the cap (and saying so), and writing answers in the SPARQL results formats (JSON, XML,
//! CSV, TSV) and the RDF formats. The HTTP protocol itself is `web::sparql`.
//!
//! `FROM`/`FROM NAMED` in a query and the protocol's `default-graph-uri`/`named-graph-uri` are
//! honoured when they name public record graphs, and refused otherwise.

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator, Variable};

use super::{Format, Publisher, TripleWriter};
use crate::config::SparqlLimits;
use crate::store::StoreError;

/// Why a query was not answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SparqlError {
    #[error("the query is not valid SPARQL 1.1: {0}")]
    Syntax(String),
    #[error("this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused")]
    Update,
    #[error("<{0}> is not the graph of a published record of this catalogue")]
    Graph(String),
    #[error("the query ran for more than {0} ms and was stopped: narrow it down (a LIMIT, more specific patterns)")]
    Timeout(u64),
    #[error("SERVICE is not available here: this endpoint answers from this catalogue only")]
    Service,
    #[error("the query could not be evaluated: {0}")]
    Evaluation(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The SPARQL query results formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultsFormat {
    Json,
    Xml,
    Csv,
    Tsv,
}

impl ResultsFormat {
    pub const ALL: [Self; 4] = [Self::Json, Self::Xml, Self::Csv, Self::Tsv];

    fn format(self) -> QueryResultsFormat {
        match self {
            Self::Json => QueryResultsFormat::Json,
            Self::Xml => QueryResultsFormat::Xml,
            Self::Csv => QueryResultsFormat::Csv,
            Self::Tsv => QueryResultsFormat::Tsv,
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/sparql-results+json",
            Self::Xml => "application/sparql-results+xml",
            Self::Csv => "text/csv",
            Self::Tsv => "text/tab-separated-values",
        }
    }

    /// Short names for a `format` parameter.
    pub fn from_name(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" | "srj" => Some(Self::Json),
            "xml" | "srx" => Some(Self::Xml),
            "csv" => Some(Self::Csv),
            "tsv" => Some(Self::Tsv),
            _ => None,
        }
    }
}

/// A query and the protocol's dataset parameters.
#[derive(Clone, Debug, Default)]
pub struct SparqlRequest {
    pub query: String,
    pub default_graph_uris: Vec<String>,
    pub named_graph_uris: Vec<String>,
}

/// An evaluated query, held in memory (at most the cap).
#[derive(Debug)]
pub enum Answer {
    Solutions { variables: Vec<Variable>, rows: Vec<QuerySolution>, truncated: bool },
    Boolean(bool),
    Graph { triples: Vec<Triple>, truncated: bool },
}

impl Answer {
    /// Whether the cap cut the answer short.
    pub fn truncated(&self) -> bool {
        match self {
            Self::Solutions { truncated, .. } | Self::Graph { truncated, .. } => *truncated,
            Self::Boolean(_) => false,
        }
    }

    /// Writes a SELECT or ASK answer; `false` for a CONSTRUCT/DESCRIBE answer (write it with
    /// [`Answer::write_graph`]).
    pub fn write_results(&self, format: ResultsFormat, out: impl Write) -> std::io::Result<bool> {
        let serializer = QueryResultsSerializer::from_format(format.format());
        match self {
            Self::Boolean(b) => {
                serializer.serialize_boolean_to_writer(out, *b)?;
                Ok(true)
            }
            Self::Solutions { variables, rows, .. } => {
                let mut w = serializer.serialize_solutions_to_writer(out, variables.clone())?;
                for row in rows {
                    if matches!(format, ResultsFormat::Xml) {
                        // well-formed XML whatever a literal holds (`model::chars`)
                        let safe: Vec<(&Variable, oxigraph::model::Term)> =
                            row.iter().map(|(v, t)| (v, crate::model::chars::xml_safe_term(t.as_ref()))).collect();
                        w.serialize(safe.iter().map(|(v, t)| (v.as_ref(), t.as_ref())))?;
                    } else {
                        w.serialize(row.iter())?;
                    }
                }
                w.finish()?;
                Ok(true)
            }
            Self::Graph { .. } => Ok(false),
        }
    }

    /// Writes a CONSTRUCT or DESCRIBE answer; `false` for other answers.
    pub fn write_graph(&self, format: Format, out: impl Write) -> std::io::Result<bool> {
        let Self::Graph { triples, .. } = self else { return Ok(false) };
        let mut w = TripleWriter::new(format, out);
        for t in triples {
            w.write(t.as_ref())?;
        }
        w.finish()?;
        Ok(true)
    }
}

/// Runs one public query.
pub fn run(publisher: &Publisher, limits: SparqlLimits, request: &SparqlRequest) -> Result<Answer, SparqlError> {
    let token = CancellationToken::new();
    let evaluator = SparqlEvaluator::new().without_default_http_service_handler().with_cancellation_token(token.clone());
    let mut prepared = match evaluator.parse_query(&request.query) {
        Ok(p) => p,
        Err(e) => {
            return Err(if SparqlEvaluator::new().parse_update(&request.query).is_ok() {
                SparqlError::Update
            } else {
                SparqlError::Syntax(e.to_string())
            });
        }
    };

    let public = publisher.public_graphs()?;
    let check = |iri: &str| -> Result<NamedNode, SparqlError> {
        public
            .binary_search_by(|g| g.as_str().cmp(iri))
            .map(|i| public[i].clone())
            .map_err(|_| SparqlError::Graph(iri.to_owned()))
    };
    let dataset = prepared.dataset_mut();
    let as_graphs = |v: Vec<NamedNode>| v.into_iter().map(GraphName::from).collect::<Vec<_>>();
    let (default, named): (Vec<GraphName>, Vec<NamedNode>) =
        if !request.default_graph_uris.is_empty() || !request.named_graph_uris.is_empty() {
            (
                as_graphs(request.default_graph_uris.iter().map(|g| check(g)).collect::<Result<_, _>>()?),
                request.named_graph_uris.iter().map(|g| check(g)).collect::<Result<_, _>>()?,
            )
        } else if !dataset.is_default_dataset() {
            let default: Vec<NamedNode> = dataset
                .default_graph_graphs()
                .unwrap_or(&[])
                .iter()
                .filter_map(|g| match g {
                    GraphName::NamedNode(n) => Some(check(n.as_str())),
                    GraphName::BlankNode(b) => Some(Err(SparqlError::Graph(b.to_string()))),
                    GraphName::DefaultGraph => None,
                })
                .collect::<Result<_, _>>()?;
            let named = dataset
                .available_named_graphs()
                .unwrap_or(&[])
                .iter()
                .map(|g| match g {
                    NamedOrBlankNode::NamedNode(n) => check(n.as_str()),
                    NamedOrBlankNode::BlankNode(b) => Err(SparqlError::Graph(b.to_string())),
                })
                .collect::<Result<_, _>>()?;
            (as_graphs(default), named)
        } else {
            // the store's default graph is the union of the public record graphs
            (vec![GraphName::DefaultGraph], public.as_ref().clone())
        };
    dataset.set_default_graph(default);
    dataset.set_available_named_graphs(named.into_iter().map(NamedOrBlankNode::from).collect());

    // the watchdog cancels the query at the deadline unless told it is done
    let (done, finished) = mpsc::channel::<()>();
    let watchdog_token = token.clone();
    let timeout = Duration::from_millis(limits.timeout_ms);
    let watchdog = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(timeout) {
            watchdog_token.cancel();
        }
    });
    let answer = evaluate(publisher, prepared, limits);
    let _ = done.send(());
    let _ = watchdog.join();
    answer.map_err(|e| match e {
        QueryEvaluationError::Cancelled => SparqlError::Timeout(limits.timeout_ms),
        QueryEvaluationError::Service(_) | QueryEvaluationError::UnsupportedService(_) | QueryEvaluationError::UnboundService => {
            SparqlError::Service
        }
        other => SparqlError::Evaluation(other.to_string()),
    })
}

fn evaluate(
    publisher: &Publisher,
    prepared: oxigraph::sparql::PreparedSparqlQuery,
    limits: SparqlLimits,
) -> Result<Answer, QueryEvaluationError> {
    let cap = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Ok(match publisher.catalogue().store().execute(prepared)? {
        QueryResults::Boolean(b) => Answer::Boolean(b),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let (rows, truncated) = capped(solutions, cap(limits.max_rows))?;
            Answer::Solutions { variables, rows, truncated }
        }
        QueryResults::Graph(triples) => {
            let (triples, truncated) = capped(triples, cap(limits.max_triples))?;
            Answer::Graph { triples, truncated }
        }
    })
}

/// At most `max` items, and whether there were more.
fn capped<T>(items: impl Iterator<Item = Result<T, QueryEvaluationError>>, max: usize) -> Result<(Vec<T>, bool), QueryEvaluationError> {
    let mut out = Vec::new();
    for item in items {
        if out.len() == max {
            return Ok((out, true));
        }
        out.push(item?);
    }
    Ok((out, false))
}
