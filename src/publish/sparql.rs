//! The public SPARQL endpoint's engine: read-only, over published records only, with a time
//! limit, a memory budget and a result cap.
//!
//! Owns: what a public query may see (the default graph is the union of the public record
//! graphs, which the store keeps as its default graph, and the named graphs are those graphs; never the metadata graph
//! `urn:vardkatalog:records`, never drafts, never internal curation data: [`without_internal`]), refusing updates, refusing `SERVICE` (no query
//! leaves the catalogue), stopping a query ([`Stop`]) that runs past the time limit, holds more
//! memory than its budget or whose client went away, cutting results at the cap (and saying
//! so), and writing answers in the SPARQL results formats (JSON, XML, CSV, TSV) and the RDF
//! formats. The HTTP protocol itself is `web::sparql`.
//!
//! How a query is stopped: oxigraph's evaluator polls a cancellation token whenever it reads
//! from the store, but not while it combines rows already read (a cross product of two
//! patterns makes |A| × |B| rows between two reads; nested, far more) or sorts them for ORDER
//! BY. So the query is given stop points ([`STOP_POINT`], a function that answers nothing and
//! changes no result): bound to an unused variable under the solution modifiers of every
//! (sub-)query, it runs once per row; as the first key of every ORDER BY, once per
//! comparison. Once the token is cancelled, the next stop point unwinds the evaluation, which
//! is caught here. The memory budget is measured by
//! the global allocator ([`crate::memory`]): the evaluating thread's allocations are charged
//! to the query, and passing the budget cancels it the same way. Stopped work ends within one
//! row or one comparison (at most one row of a join's outer side times the rows of its inner
//! side are made in one go).
//!
//! `FROM`/`FROM NAMED` in a query and the protocol's `default-graph-uri`/`named-graph-uri` are
//! honoured when they name public record graphs, and refused otherwise.
//!
//! On a remote store the store evaluates the query on its engine ([`crate::store::PublicQuery`]
//! carries the client's query and dataset beside the prepared one): the same graphs are
//! reachable, the time limit is the request's, and the memory budget counts the answer read.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator, Variable};
use spargebra::algebra::{Expression, Function, GraphPattern, OrderExpression};

use super::{Format, Publisher, TripleWriter};
use crate::config::SparqlLimits;
use crate::store::{PublicDataset, PublicQuery, StoreError};

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
    #[error(
        "the query needed more than {0} MB of memory and was stopped: narrow it down (more specific patterns, fewer variables in ORDER BY or GROUP BY)"
    )]
    Memory(u64),
    #[error("the query was stopped: its client went away")]
    Abandoned,
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
    /// A short name (`json`, `srj`, `xml`, `srx`, `csv`, `tsv`, as common clients send them in a
    /// `format` parameter) or a media type (`application/sparql-results+json`, `text/csv`, …;
    /// parameters after `;` ignored).
    pub fn from_name(s: &str) -> Option<Self> {
        let s = s.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match s.as_str() {
            "json" | "srj" | "sparql-results+json" | "application/sparql-results+json" | "application/json" => Some(Self::Json),
            "xml" | "srx" | "sparql-results+xml" | "application/sparql-results+xml" => Some(Self::Xml),
            "csv" | "text/csv" => Some(Self::Csv),
            "tsv" | "text/tab-separated-values" => Some(Self::Tsv),
            _ => None,
        }
    }
}

/// A query and the protocol's dataset parameters.
#[derive(Clone, Debug, Default)]
pub struct SparqlRequest {
    pub query: String,
    /// The IRI relative IRIs in the query resolve against when it declares no `BASE`: the
    /// endpoint's own (SPARQL 1.1 Query §4.1.1 leaves the base to the protocol; RFC 3986 §5.1.3,
    /// the retrieval IRI).
    pub base_iri: Option<String>,
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

/// The function every ORDER BY sorts by first: the same value for every row, and the point
/// where a stopped query's sort ends.
pub const STOP_POINT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:vardkatalog:sparql:stop-point");

/// Why a query was stopped before its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    TimeLimit = 1,
    Memory = 2,
    ClientGone = 3,
}

/// Stops one query: the time limit, the memory budget and the web layer (a client that went
/// away) stop it through the same token; the first reason given is the one reported.
#[derive(Clone, Default)]
pub struct Stop {
    token: CancellationToken,
    reason: Arc<AtomicU8>,
}

impl Stop {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops the query (again: nothing changes). Never allocates, so the memory meter can
    /// call it from inside an allocation.
    pub fn stop(&self, reason: StopReason) {
        let _ = self.reason.compare_exchange(0, reason as u8, Ordering::Relaxed, Ordering::Relaxed);
        self.token.cancel();
    }

    pub fn reason(&self) -> Option<StopReason> {
        match self.reason.load(Ordering::Relaxed) {
            1 => Some(StopReason::TimeLimit),
            2 => Some(StopReason::Memory),
            3 => Some(StopReason::ClientGone),
            _ => None,
        }
    }
}

/// The payload a stop point unwinds with.
struct Stopped;

/// Runs one public query.
pub fn run(publisher: &Publisher, limits: SparqlLimits, request: &SparqlRequest) -> Result<Answer, SparqlError> {
    run_until(publisher, limits, request, &Stop::new())
}

/// Runs one public query that `stop` can stop from elsewhere (a client that went away).
pub fn run_until(publisher: &Publisher, limits: SparqlLimits, request: &SparqlRequest, stop: &Stop) -> Result<Answer, SparqlError> {
    let mut parser = spargebra::SparqlParser::new();
    if let Some(base) = &request.base_iri {
        parser = parser.with_base_iri(base.as_str()).map_err(|e| SparqlError::Syntax(e.to_string()))?;
    }
    let (parsed, query) = match parser.parse_query(&request.query) {
        Ok(q) => {
            let q = without_internal(q);
            (q.clone(), with_stop_points(q))
        }
        Err(e) => {
            return Err(if SparqlEvaluator::new().parse_update(&request.query).is_ok() {
                SparqlError::Update
            } else {
                SparqlError::Syntax(e.to_string())
            });
        }
    };
    let token = stop.token.clone();
    let evaluator = SparqlEvaluator::new()
        .without_default_http_service_handler()
        .with_cancellation_token(stop.token.clone())
        .with_custom_function(STOP_POINT.into_owned(), move |_| {
            if token.is_cancelled() {
                // not a panic: no hook runs, nothing is printed; caught below
                resume_unwind(Box::new(Stopped));
            }
            // unbound: the same for every row, sorts as equal, allocates nothing
            None
        });
    let mut prepared = evaluator.for_query(query);

    let public = publisher.public_graphs()?;
    let check = |iri: &str| -> Result<NamedNode, SparqlError> {
        public.binary_search_by(|g| g.as_str().cmp(iri)).map(|i| public[i].clone()).map_err(|_| SparqlError::Graph(iri.to_owned()))
    };
    let dataset = prepared.dataset_mut();
    let as_graphs = |v: Vec<NamedNode>| v.into_iter().map(GraphName::from).collect::<Vec<_>>();
    // the dataset the client named (every graph public), for an engine elsewhere
    let mut named_dataset = None;
    let (default, named): (Vec<GraphName>, Vec<NamedNode>) =
        if !request.default_graph_uris.is_empty() || !request.named_graph_uris.is_empty() {
            let default: Vec<NamedNode> = request.default_graph_uris.iter().map(|g| check(g)).collect::<Result<_, _>>()?;
            let named: Vec<NamedNode> = request.named_graph_uris.iter().map(|g| check(g)).collect::<Result<_, _>>()?;
            named_dataset = Some(PublicDataset { default_graphs: default.clone(), named_graphs: named.clone() });
            (as_graphs(default), named)
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
            let named: Vec<NamedNode> = dataset
                .available_named_graphs()
                .unwrap_or(&[])
                .iter()
                .map(|g| match g {
                    NamedOrBlankNode::NamedNode(n) => check(n.as_str()),
                    NamedOrBlankNode::BlankNode(b) => Err(SparqlError::Graph(b.to_string())),
                })
                .collect::<Result<_, _>>()?;
            named_dataset = Some(PublicDataset { default_graphs: default.clone(), named_graphs: named.clone() });
            (as_graphs(default), named)
        } else {
            // the store's default graph is the union of the public record graphs
            (vec![GraphName::DefaultGraph], public.as_ref().clone())
        };
    dataset.set_default_graph(default);
    dataset.set_available_named_graphs(named.into_iter().map(NamedOrBlankNode::from).collect());
    let public_query = PublicQuery {
        prepared,
        query: parsed,
        dataset: named_dataset,
        cancellation: stop.token.clone(),
        timeout: Duration::from_millis(limits.timeout_ms),
    };

    // the watchdog stops the query at the deadline unless told it is done
    let (done, finished) = mpsc::channel::<()>();
    let watchdog_stop = stop.clone();
    let timeout = Duration::from_millis(limits.timeout_ms);
    let watchdog = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(timeout) {
            watchdog_stop.stop(StopReason::TimeLimit);
        }
    });
    let meter_stop = stop.clone();
    // the meter sees the evaluation's own heap; a sixteenth of the budget is left for what it
    // cannot see (the store's reads in C++, the allocator's slack), so the process grows by
    // less than the budget
    let budget = limits.max_memory_mb.saturating_mul(1024 * 1024);
    let meter = crate::memory::Meter::new(budget - budget / 16, move || meter_stop.stop(StopReason::Memory));
    let started = Instant::now();
    let answer = {
        let _metered = meter.enter();
        match catch_unwind(AssertUnwindSafe(|| evaluate(publisher, public_query, limits))) {
            Ok(answer) => answer,
            Err(payload) if payload.is::<Stopped>() => Err(QueryEvaluationError::Cancelled),
            Err(payload) => resume_unwind(payload),
        }
    };
    let _ = done.send(());
    let _ = watchdog.join();
    if let Some(reason) = stop.reason().filter(|_| answer.is_err() || meter.exceeded()) {
        tracing::warn!(
            ?reason,
            ms = started.elapsed().as_millis() as u64,
            peak_mb = meter.peak() / (1024 * 1024),
            "a SPARQL query was stopped"
        );
        return Err(match reason {
            StopReason::Memory => SparqlError::Memory(limits.max_memory_mb),
            StopReason::TimeLimit => SparqlError::Timeout(limits.timeout_ms),
            StopReason::ClientGone => SparqlError::Abandoned,
        });
    }
    answer.map_err(|e| match e {
        QueryEvaluationError::Cancelled => SparqlError::Timeout(limits.timeout_ms),
        QueryEvaluationError::Service(_) | QueryEvaluationError::UnsupportedService(_) | QueryEvaluationError::UnboundService => {
            SparqlError::Service
        }
        other => SparqlError::Evaluation(other.to_string()),
    })
}

/// The query with stop points: one evaluated for every solution of each query and sub-query
/// (a `BIND` of [`STOP_POINT`] to an unused variable, under the solution modifiers, so it runs
/// per row of a join's output even where the join reads nothing from the store), and one as
/// the first key of every ORDER BY, wherever it is (sub-queries, `EXISTS`, `OPTIONAL`, …).
fn with_stop_points(query: spargebra::Query) -> spargebra::Query {
    use spargebra::Query;
    let add = |pattern| row_stop(stop_points_in(pattern));
    match query {
        Query::Select { dataset, pattern, base_iri } => Query::Select { dataset, pattern: add(pattern), base_iri },
        Query::Construct { template, dataset, pattern, base_iri } => {
            Query::Construct { template, dataset, pattern: add(pattern), base_iri }
        }
        Query::Describe { dataset, pattern, base_iri } => Query::Describe { dataset, pattern: add(pattern), base_iri },
        Query::Ask { dataset, pattern, base_iri } => Query::Ask { dataset, pattern: add(pattern), base_iri },
    }
}

/// A property no triple has: what a query naming an internal property is given instead.
const NO_PROPERTY: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:vardkatalog:sparql:internal-property");

/// The query with internal curation data out of its reach ([`crate::model::vocab::INTERNAL`]:
/// editorial notes, the needs-input flag), which the record graphs hold for the curators: a
/// triple pattern or path step naming an internal property names one no triple has, a pattern
/// whose property is a variable is filtered to leave them out, and a negated property set
/// leaves them out too. SPARQL reaches triples only through those; what DESCRIBE adds is
/// filtered from the answer ([`evaluate`]).
fn without_internal(query: spargebra::Query) -> spargebra::Query {
    use spargebra::Query;
    match query {
        Query::Select { dataset, pattern, base_iri } => Query::Select { dataset, pattern: hide_internal(pattern), base_iri },
        Query::Construct { template, dataset, pattern, base_iri } => {
            Query::Construct { template, dataset, pattern: hide_internal(pattern), base_iri }
        }
        Query::Describe { dataset, pattern, base_iri } => Query::Describe { dataset, pattern: hide_internal(pattern), base_iri },
        Query::Ask { dataset, pattern, base_iri } => Query::Ask { dataset, pattern: hide_internal(pattern), base_iri },
    }
}

fn hide_internal(pattern: GraphPattern) -> GraphPattern {
    use crate::model::vocab::{INTERNAL, is_internal};
    use spargebra::term::NamedNodePattern;
    let inner = |p: Box<GraphPattern>| Box::new(hide_internal(*p));
    let e = hide_internal_in_expression;
    match pattern {
        GraphPattern::Bgp { patterns } => {
            let mut variables = Vec::new();
            let patterns = patterns
                .into_iter()
                .map(|mut t| {
                    match &t.predicate {
                        NamedNodePattern::NamedNode(n) if is_internal(n.as_ref()) => {
                            t.predicate = NamedNodePattern::NamedNode(NO_PROPERTY.into_owned());
                        }
                        NamedNodePattern::Variable(v) if !variables.contains(v) => variables.push(v.clone()),
                        _ => {}
                    }
                    t
                })
                .collect();
            let bgp = GraphPattern::Bgp { patterns };
            let internal: Vec<Expression> = INTERNAL.iter().map(|p| Expression::NamedNode(p.into_owned())).collect();
            let condition = variables
                .into_iter()
                .map(|v| Expression::Not(Box::new(Expression::In(Box::new(Expression::Variable(v)), internal.clone()))))
                .reduce(|a, b| Expression::And(Box::new(a), Box::new(b)));
            match condition {
                Some(expr) => GraphPattern::Filter { expr, inner: Box::new(bgp) },
                None => bgp,
            }
        }
        GraphPattern::Path { subject, path, object } => GraphPattern::Path { subject, path: hide_internal_in_path(path), object },
        GraphPattern::Join { left, right } => GraphPattern::Join { left: inner(left), right: inner(right) },
        GraphPattern::LeftJoin { left, right, expression } => {
            GraphPattern::LeftJoin { left: inner(left), right: inner(right), expression: expression.map(e) }
        }
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral { left: inner(left), right: inner(right) },
        GraphPattern::Filter { expr, inner: i } => GraphPattern::Filter { expr: e(expr), inner: inner(i) },
        GraphPattern::Union { left, right } => GraphPattern::Union { left: inner(left), right: inner(right) },
        GraphPattern::Graph { name, inner: i } => GraphPattern::Graph { name, inner: inner(i) },
        GraphPattern::Extend { inner: i, variable, expression } => {
            GraphPattern::Extend { inner: inner(i), variable, expression: e(expression) }
        }
        GraphPattern::Minus { left, right } => GraphPattern::Minus { left: inner(left), right: inner(right) },
        GraphPattern::Project { inner: i, variables } => GraphPattern::Project { inner: inner(i), variables },
        GraphPattern::Distinct { inner: i } => GraphPattern::Distinct { inner: inner(i) },
        GraphPattern::Reduced { inner: i } => GraphPattern::Reduced { inner: inner(i) },
        GraphPattern::Slice { inner: i, start, length } => GraphPattern::Slice { inner: inner(i), start, length },
        GraphPattern::OrderBy { inner: i, expression } => GraphPattern::OrderBy {
            inner: inner(i),
            expression: expression
                .into_iter()
                .map(|o| match o {
                    OrderExpression::Asc(x) => OrderExpression::Asc(e(x)),
                    OrderExpression::Desc(x) => OrderExpression::Desc(e(x)),
                })
                .collect(),
        },
        GraphPattern::Group { inner: i, variables, aggregates } => GraphPattern::Group { inner: inner(i), variables, aggregates },
        GraphPattern::Service { name, inner: i, silent } => GraphPattern::Service { name, inner: inner(i), silent },
        leaf @ GraphPattern::Values { .. } => leaf,
    }
}

fn hide_internal_in_path(path: spargebra::algebra::PropertyPathExpression) -> spargebra::algebra::PropertyPathExpression {
    use crate::model::vocab::{INTERNAL, is_internal};
    use spargebra::algebra::PropertyPathExpression as P;
    let b = |p: Box<P>| Box::new(hide_internal_in_path(*p));
    match path {
        P::NamedNode(n) if is_internal(n.as_ref()) => P::NamedNode(NO_PROPERTY.into_owned()),
        P::NamedNode(n) => P::NamedNode(n),
        P::Reverse(p) => P::Reverse(b(p)),
        P::Sequence(x, y) => P::Sequence(b(x), b(y)),
        P::Alternative(x, y) => P::Alternative(b(x), b(y)),
        P::ZeroOrMore(p) => P::ZeroOrMore(b(p)),
        P::OneOrMore(p) => P::OneOrMore(b(p)),
        P::ZeroOrOne(p) => P::ZeroOrOne(b(p)),
        P::NegatedPropertySet(mut set) => {
            for p in INTERNAL {
                if !set.iter().any(|n| n.as_ref() == p) {
                    set.push(p.into_owned());
                }
            }
            P::NegatedPropertySet(set)
        }
    }
}

/// The same inside the patterns of `EXISTS` and `NOT EXISTS`.
fn hide_internal_in_expression(e: Expression) -> Expression {
    in_exists(e, hide_internal)
}

/// An expression with `rewrite` applied to the pattern of every `EXISTS` (and `NOT EXISTS`)
/// within it, at any depth; the rest is kept as it is.
fn in_exists(e: Expression, rewrite: fn(GraphPattern) -> GraphPattern) -> Expression {
    let b = |e: Box<Expression>| Box::new(in_exists(*e, rewrite));
    let all = |v: Vec<Expression>| v.into_iter().map(|e| in_exists(e, rewrite)).collect();
    match e {
        Expression::Exists(p) => Expression::Exists(Box::new(rewrite(*p))),
        Expression::Or(x, y) => Expression::Or(b(x), b(y)),
        Expression::And(x, y) => Expression::And(b(x), b(y)),
        Expression::Equal(x, y) => Expression::Equal(b(x), b(y)),
        Expression::SameTerm(x, y) => Expression::SameTerm(b(x), b(y)),
        Expression::Greater(x, y) => Expression::Greater(b(x), b(y)),
        Expression::GreaterOrEqual(x, y) => Expression::GreaterOrEqual(b(x), b(y)),
        Expression::Less(x, y) => Expression::Less(b(x), b(y)),
        Expression::LessOrEqual(x, y) => Expression::LessOrEqual(b(x), b(y)),
        Expression::In(x, v) => Expression::In(b(x), all(v)),
        Expression::Add(x, y) => Expression::Add(b(x), b(y)),
        Expression::Subtract(x, y) => Expression::Subtract(b(x), b(y)),
        Expression::Multiply(x, y) => Expression::Multiply(b(x), b(y)),
        Expression::Divide(x, y) => Expression::Divide(b(x), b(y)),
        Expression::UnaryPlus(x) => Expression::UnaryPlus(b(x)),
        Expression::UnaryMinus(x) => Expression::UnaryMinus(b(x)),
        Expression::Not(x) => Expression::Not(b(x)),
        Expression::If(x, y, z) => Expression::If(b(x), b(y), b(z)),
        Expression::Coalesce(v) => Expression::Coalesce(all(v)),
        Expression::FunctionCall(f, v) => Expression::FunctionCall(f, all(v)),
        leaf @ (Expression::NamedNode(_) | Expression::Literal(_) | Expression::Variable(_) | Expression::Bound(_)) => leaf,
    }
}

/// The variable the per-row stop point is bound to (never bound: the function answers nothing).
fn stop_variable() -> Variable {
    Variable::new_unchecked("vardkatalog_stop_point")
}

fn stop_point_call() -> Expression {
    Expression::FunctionCall(Function::Custom(STOP_POINT.into_owned()), Vec::new())
}

/// The pattern with a per-row stop point below its solution modifiers (projection, DISTINCT,
/// LIMIT, ORDER BY, GROUP BY, SELECT expressions, FILTER/HAVING); once per scope.
fn row_stop(pattern: GraphPattern) -> GraphPattern {
    let below = |p: Box<GraphPattern>| Box::new(row_stop(*p));
    match pattern {
        GraphPattern::Extend { ref variable, .. } if *variable == stop_variable() => pattern,
        GraphPattern::Project { inner, variables } => GraphPattern::Project { inner: below(inner), variables },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: below(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: below(inner) },
        GraphPattern::Slice { inner, start, length } => GraphPattern::Slice { inner: below(inner), start, length },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy { inner: below(inner), expression },
        GraphPattern::Group { inner, variables, aggregates } => GraphPattern::Group { inner: below(inner), variables, aggregates },
        GraphPattern::Extend { inner, variable, expression } => GraphPattern::Extend { inner: below(inner), variable, expression },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter { expr, inner: below(inner) },
        other => GraphPattern::Extend { inner: Box::new(other), variable: stop_variable(), expression: stop_point_call() },
    }
}

fn stop_points_in(pattern: GraphPattern) -> GraphPattern {
    let inner = |p: Box<GraphPattern>| Box::new(stop_points_in(*p));
    match pattern {
        GraphPattern::OrderBy { inner: i, expression } => {
            let stop_point = OrderExpression::Asc(stop_point_call());
            let expression = std::iter::once(stop_point).chain(expression.into_iter().map(|e| match e {
                OrderExpression::Asc(e) => OrderExpression::Asc(stop_points_in_expression(e)),
                OrderExpression::Desc(e) => OrderExpression::Desc(stop_points_in_expression(e)),
            }));
            GraphPattern::OrderBy { inner: inner(i), expression: expression.collect() }
        }
        GraphPattern::Join { left, right } => GraphPattern::Join { left: inner(left), right: inner(right) },
        GraphPattern::LeftJoin { left, right, expression } => {
            GraphPattern::LeftJoin { left: inner(left), right: inner(right), expression: expression.map(stop_points_in_expression) }
        }
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral { left: inner(left), right: inner(right) },
        GraphPattern::Filter { expr, inner: i } => GraphPattern::Filter { expr: stop_points_in_expression(expr), inner: inner(i) },
        GraphPattern::Union { left, right } => GraphPattern::Union { left: inner(left), right: inner(right) },
        GraphPattern::Graph { name, inner: i } => GraphPattern::Graph { name, inner: inner(i) },
        GraphPattern::Extend { inner: i, variable, expression } => {
            GraphPattern::Extend { inner: inner(i), variable, expression: stop_points_in_expression(expression) }
        }
        GraphPattern::Minus { left, right } => GraphPattern::Minus { left: inner(left), right: inner(right) },
        // a sub-query: its own per-row stop point
        GraphPattern::Project { inner: i, variables } => GraphPattern::Project { inner: Box::new(row_stop(stop_points_in(*i))), variables },
        GraphPattern::Distinct { inner: i } => GraphPattern::Distinct { inner: inner(i) },
        GraphPattern::Reduced { inner: i } => GraphPattern::Reduced { inner: inner(i) },
        GraphPattern::Slice { inner: i, start, length } => GraphPattern::Slice { inner: inner(i), start, length },
        GraphPattern::Group { inner: i, variables, aggregates } => GraphPattern::Group { inner: inner(i), variables, aggregates },
        GraphPattern::Service { name, inner: i, silent } => GraphPattern::Service { name, inner: inner(i), silent },
        leaf @ (GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. }) => leaf,
    }
}

/// The same inside the patterns of `EXISTS` and `NOT EXISTS`.
fn stop_points_in_expression(e: Expression) -> Expression {
    in_exists(e, stop_points_in)
}

fn evaluate(publisher: &Publisher, query: PublicQuery, limits: SparqlLimits) -> Result<Answer, QueryEvaluationError> {
    let cap = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Ok(match publisher.catalogue().store().execute(query)? {
        QueryResults::Boolean(b) => Answer::Boolean(b),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let (rows, truncated) = capped(solutions, cap(limits.max_rows))?;
            Answer::Solutions { variables, rows, truncated }
        }
        QueryResults::Graph(triples) => {
            // DESCRIBE adds what it finds about a resource: never internal curation data
            let triples = triples.filter(|t| !matches!(t, Ok(t) if crate::model::vocab::is_internal(t.predicate.as_ref())));
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

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;
    use oxigraph::store::Store;

    /// Every answer of `query` as sorted strings (or a graph's sorted triples).
    fn answers(store: &Store, query: spargebra::Query) -> Vec<String> {
        let prepared = SparqlEvaluator::new().with_custom_function(STOP_POINT.into_owned(), |_| None).for_query(query).on_store(store);
        let mut out: Vec<String> = match prepared.execute().unwrap() {
            QueryResults::Boolean(b) => vec![b.to_string()],
            QueryResults::Solutions(s) => s
                .map(|r| {
                    let r = r.unwrap();
                    r.iter().map(|(v, t)| format!("{v}={t}")).collect::<Vec<_>>().join(" ")
                })
                .collect(),
            QueryResults::Graph(g) => g.map(|t| t.unwrap().to_string()).collect(),
        };
        if !out.iter().any(|l| l.contains("ordered")) {
            out.sort();
        }
        out
    }

    #[test]
    fn stop_points_change_no_answer() {
        let store = Store::new().unwrap();
        store
            .load_from_slice(
                RdfFormat::Turtle,
                r#"@prefix ex: <http://ex.se/> .
                ex:a ex:n 3 ; ex:t "c" ; ex:k ex:b . ex:b ex:n 1 ; ex:t "a" . ex:c ex:n 2 ; ex:t "b" ; ex:k ex:a ."#,
            )
            .unwrap();
        for q in [
            "SELECT * WHERE { ?s ?p ?o }",
            "SELECT ?s ?n (\"ordered\" AS ?x) WHERE { ?s <http://ex.se/n> ?n } ORDER BY DESC(?n)",
            "SELECT ?s (COUNT(*) AS ?c) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1) ORDER BY ?c LIMIT 2",
            "SELECT ?s WHERE { { SELECT ?s WHERE { ?s <http://ex.se/n> ?n } ORDER BY ?n LIMIT 2 } ?s <http://ex.se/t> ?t FILTER EXISTS { ?s ?p ?o } }",
            "SELECT DISTINCT ?t WHERE { ?s <http://ex.se/t> ?t OPTIONAL { ?s <http://ex.se/k> ?k } BIND(STR(?t) AS ?u) MINUS { ?s <http://ex.se/k> <http://ex.se/b> } }",
            "ASK { ?s <http://ex.se/n> 2 }",
            "CONSTRUCT { ?s <http://ex.se/m> ?n } WHERE { ?s <http://ex.se/n> ?n } ORDER BY ?n LIMIT 2",
            "DESCRIBE ?s WHERE { ?s <http://ex.se/n> 1 }",
        ] {
            let parsed = spargebra::SparqlParser::new().parse_query(q).unwrap();
            let stopped = with_stop_points(parsed.clone());
            assert_ne!(stopped, parsed, "{q}: stop points were added");
            assert!(stopped.to_string().contains(STOP_POINT.as_str()), "{q}");
            assert_eq!(answers(&store, stopped), answers(&store, parsed), "{q}");
        }
    }

    #[test]
    fn a_stopped_query_unwinds_at_its_next_stop_point() {
        let store = Store::new().unwrap();
        let stop = Stop::new();
        let token = stop.token.clone();
        stop.stop(StopReason::TimeLimit);
        let query =
            with_stop_points(spargebra::SparqlParser::new().parse_query("SELECT ?x WHERE { VALUES ?x { 3 1 2 } } ORDER BY ?x").unwrap());
        let prepared = SparqlEvaluator::new()
            .with_custom_function(STOP_POINT.into_owned(), move |_| {
                if token.is_cancelled() {
                    resume_unwind(Box::new(Stopped));
                }
                None
            })
            .for_query(query)
            .on_store(&store);
        let caught = catch_unwind(AssertUnwindSafe(|| prepared.execute().map(|r| matches!(r, QueryResults::Solutions(_)))));
        assert!(caught.is_err_and(|p| p.is::<Stopped>()));
        assert_eq!(stop.reason(), Some(StopReason::TimeLimit));
    }
}
