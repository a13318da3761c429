//! The catalogue service: the one façade the CLI and the web call to read and change the
//! catalogue.
//!
//! Owns: turning an RDF document into records and saving them all-or-nothing (import, seed),
//! and the read queries pages need (a record with the labels of what it links to, reverse links
//! such as "the datasets that hold this variable"). Reads for the public only ever see
//! published (and retired) records. Data flows one way: parsers → model → store; the web gets
//! typed records back.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::sync::Mutex;

use chrono::Utc;
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, Term, TripleRef};
use oxigraph::sparql::QueryResults;

use crate::model::record::{self, RecordKind, Resource};
use crate::model::vocab::{dct, disco, foaf, internal, skos, vk};
use crate::model::{LangText, Minter, ModelError};
use crate::search::SearchIndex;
use crate::store::{Filter, Record, RecordMeta, RecordState, Store, StoreError, RECORDS_GRAPH};

/// Why an import was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax { line: u64, column: u64, message: String },
    #[error("syntax error: {message}")]
    SyntaxNoPosition { message: String },
    #[error("could not read the input: {0}")]
    Io(#[from] std::io::Error),
    #[error("record <{record}>: {error}")]
    Model { record: String, error: ModelError },
    #[error("the document holds no record (no resource typed dcat:Dataset, disco:Variable, skos:ConceptScheme, …)")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Triples no record links to; they were not imported.
    pub orphans: usize,
    pub per_kind: Vec<(RecordKind, usize)>,
}

/// How imported records are stored.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub state: RecordState,
    pub source: NamedNode,
}

impl ImportOptions {
    /// Published records from a file imported by hand.
    pub fn published_import() -> Self {
        Self { state: RecordState::Published, source: NamedNode::new_unchecked(internal::IMPORT_SOURCE) }
    }
}

/// The RDF formats accepted on input and written on export.
pub fn format_from_name(name: &str) -> Option<RdfFormat> {
    match name.to_ascii_lowercase().as_str() {
        "ttl" | "turtle" => Some(RdfFormat::Turtle),
        "rdf" | "xml" | "rdfxml" | "rdf/xml" | "owl" => Some(RdfFormat::RdfXml),
        "jsonld" | "json-ld" | "json" => Some(RdfFormat::JsonLd { profile: Default::default() }),
        "nt" | "ntriples" | "n-triples" => Some(RdfFormat::NTriples),
        "nq" | "nquads" => Some(RdfFormat::NQuads),
        "trig" => Some(RdfFormat::TriG),
        _ => None,
    }
}

/// Parses a whole RDF document into one graph (named graphs are merged). Blank nodes are renamed
/// so that two documents never share one. A syntax error names its line and column.
pub fn parse_document(reader: impl Read, format: RdfFormat, base_iri: &str) -> Result<Graph, ImportError> {
    let parser = RdfParser::from_format(format)
        .with_base_iri(base_iri)
        .map_err(|e| ImportError::SyntaxNoPosition { message: e.to_string() })?
        .rename_blank_nodes();
    let mut graph = Graph::new();
    for quad in parser.for_reader(reader) {
        match quad {
            Ok(q) => {
                graph.insert(TripleRef::new(&q.subject, &q.predicate, &q.object));
            }
            Err(RdfParseError::Syntax(e)) => {
                return Err(match e.location() {
                    Some(range) => ImportError::Syntax {
                        line: range.start.line + 1,
                        column: range.start.column + 1,
                        message: e.to_string(),
                    },
                    None => ImportError::SyntaxNoPosition { message: e.to_string() },
                });
            }
            Err(RdfParseError::Io(e)) => return Err(ImportError::Io(e)),
        }
    }
    Ok(graph)
}

/// The catalogue: store plus the rules for reading and writing records, and the search index
/// kept in step with it.
pub struct Catalogue {
    store: Store,
    minter: Minter,
    index: SearchIndex,
    /// Serialises a store write with its index update, so the index commits generations in order.
    write: Mutex<()>,
}

impl Catalogue {
    pub fn new(store: Store, minter: Minter, index: SearchIndex) -> Self {
        Self { store, minter, index, write: Mutex::new(()) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Rebuilds the index when it does not reflect the store's current generation; returns
    /// whether it did.
    pub fn ensure_index_current(&self) -> Result<bool, crate::search::SearchError> {
        let _guard = self.write.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.index.generation() == Some(self.store.generation()) {
            return Ok(false);
        }
        self.index.rebuild(self)?;
        Ok(true)
    }

    /// Rebuilds the index from the store.
    pub fn reindex(&self) -> Result<u64, crate::search::SearchError> {
        let _guard = self.write.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.index.rebuild(self)
    }

    /// Saves records and updates the index in one step. The store is the ground truth: if the
    /// index update fails, the error is logged and the index is rebuilt at the next start
    /// (its generation no longer matches the store's).
    fn save_and_index(&self, records: &[Record]) -> Result<(), StoreError> {
        let _guard = self.write.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.store.save_all(records)?;
        let iris: Vec<NamedNode> = records.iter().map(|r| r.meta.iri.clone()).collect();
        if let Err(e) = self.index.update(self, &iris) {
            tracing::error!(error = %e, "the search index could not be updated; it will be rebuilt at the next start");
        }
        Ok(())
    }

    /// Saves whole records (a curation publication or retirement, a harvest run) in one store
    /// transaction, with the index update: all or nothing.
    pub fn save_records(&self, records: &[Record]) -> Result<(), StoreError> {
        self.save_and_index(records)
    }

    pub fn minter(&self) -> &Minter {
        &self.minter
    }

    /// Cuts a graph into records, checks every record against the model, and saves them all in
    /// one transaction. Records whose content is unchanged keep their version and time.
    pub fn import_graph(&self, graph: &Graph, options: &ImportOptions) -> Result<ImportReport, ImportError> {
        let split = record::split(graph, Some(&self.minter.catalog()));
        if split.records.is_empty() {
            return Err(ImportError::Empty);
        }
        let mut report = ImportReport { orphans: split.orphans.len(), ..Default::default() };
        let mut per_kind: HashMap<RecordKind, usize> = HashMap::new();
        let mut to_save = Vec::new();
        let now = Utc::now();
        for rg in split.records {
            // the typed model must accept it (dates are dates, numbers are numbers)
            // and no literal may hold a character XML cannot carry (`model::chars`)
            Resource::from_graph(rg.kind, &rg.iri, &rg.graph)
                .and_then(|_| crate::model::chars::check_graph(&rg.graph))
                .map_err(|error| ImportError::Model { record: rg.iri.as_str().to_owned(), error })?;
            let hash = record::content_hash(&rg.graph);
            *per_kind.entry(rg.kind).or_default() += 1;
            let previous = self.store.meta(rg.iri.as_ref())?;
            let meta = match previous {
                Some(prev) if prev.content_hash == hash && prev.state == options.state => {
                    report.unchanged += 1;
                    continue;
                }
                Some(prev) => {
                    report.changed += 1;
                    RecordMeta {
                        version: prev.version + u64::from(options.state == RecordState::Published),
                        state: options.state,
                        source: options.source.clone(),
                        content_hash: hash,
                        modified: now,
                        kind: rg.kind,
                        iri: rg.iri.clone(),
                    }
                }
                None => {
                    report.created += 1;
                    RecordMeta {
                        iri: rg.iri.clone(),
                        kind: rg.kind,
                        state: options.state,
                        version: 1,
                        source: options.source.clone(),
                        content_hash: hash,
                        modified: now,
                    }
                }
            };
            to_save.push(Record { meta, graph: rg.graph });
        }
        self.save_and_index(&to_save)?;
        let mut per_kind: Vec<_> = per_kind.into_iter().collect();
        per_kind.sort();
        report.per_kind = per_kind;
        Ok(report)
    }

    /// Parses a document and imports it; a broken document changes nothing.
    pub fn import_document(
        &self,
        reader: impl Read,
        format: RdfFormat,
        options: &ImportOptions,
    ) -> Result<ImportReport, ImportError> {
        let graph = parse_document(reader, format, self.minter.base())?;
        self.import_graph(&graph, options)
    }

    /// Loads the embedded seed catalogue when the store holds no record yet.
    pub fn seed_if_empty(&self) -> Result<Option<ImportReport>, ImportError> {
        if !self.store.has_no_records()? {
            return Ok(None);
        }
        let graph = crate::seed::graph(self.minter.base())?;
        let options = ImportOptions {
            state: RecordState::Published,
            source: NamedNode::new_unchecked(internal::SEED_SOURCE),
        };
        self.import_graph(&graph, &options).map(Some)
    }

    // ---- reads -------------------------------------------------------------------------

    /// A public record (published or retired) by IRI, typed.
    pub fn public_resource(&self, iri: NamedNodeRef<'_>) -> Result<Option<(RecordMeta, Resource)>, StoreError> {
        let Some(rec) = self.store.get(iri)? else { return Ok(None) };
        if !rec.meta.state.is_public() {
            return Ok(None);
        }
        match Resource::from_graph(rec.meta.kind, &rec.meta.iri, &rec.graph) {
            Ok(r) => Ok(Some((rec.meta, r))),
            Err(e) => Err(StoreError::BadMetadata { iri: iri.as_str().to_owned(), problem: e.to_string() }),
        }
    }

    /// A public record by kind and id.
    pub fn public_by_id(&self, kind: RecordKind, id: &str) -> Result<Option<(RecordMeta, Resource)>, StoreError> {
        match self.minter.record(kind, id) {
            Ok(iri) => self.public_resource(iri.as_ref()),
            Err(_) => Ok(None),
        }
    }

    /// Counts of public records per kind.
    pub fn public_counts(&self) -> Result<HashMap<RecordKind, u64>, StoreError> {
        let query = format!(
            "SELECT ?kind (COUNT(?g) AS ?n) WHERE {{ GRAPH <{}> {{ ?g <{}> ?kind ; <{}> ?st }} FILTER(?st IN (<{}>, <{}>)) }} GROUP BY ?kind",
            RECORDS_GRAPH.as_str(),
            vk::KIND.as_str(),
            vk::STATE.as_str(),
            vk::PUBLISHED.as_str(),
            vk::RETIRED.as_str()
        );
        let mut out = HashMap::new();
        for s in self.store.select(&query)? {
            if let (Some(Term::Literal(k)), Some(Term::Literal(n))) = (s.get("kind"), s.get("n")) {
                if let (Some(kind), Ok(n)) = (RecordKind::parse(k.value()), n.value().parse()) {
                    out.insert(kind, n);
                }
            }
        }
        Ok(out)
    }

    /// One page of public records of a kind, typed, in IRI order.
    pub fn public_list(&self, kind: RecordKind, offset: u64, limit: u64) -> Result<(u64, Vec<Resource>), StoreError> {
        let filter = Filter::public(kind);
        let total = self.store.count(&filter)?;
        let mut out = Vec::new();
        for meta in self.store.list(&filter, offset, limit)? {
            if let Some((_, r)) = self.public_resource(meta.iri.as_ref())? {
                out.push(r);
            }
        }
        Ok((total, out))
    }

    /// Public records whose own graph matches `pattern` (a SPARQL group pattern about `?x`),
    /// in IRI order. Used for reverse links.
    pub fn public_matching(&self, pattern: &str) -> Result<Vec<NamedNode>, StoreError> {
        let query = format!(
            "SELECT DISTINCT ?x WHERE {{ GRAPH ?x {{ {pattern} }} GRAPH <{records}> {{ ?x <{state}> ?st }} FILTER(?st IN (<{p}>, <{r}>)) }} ORDER BY STR(?x)",
            records = RECORDS_GRAPH.as_str(),
            state = vk::STATE.as_str(),
            p = vk::PUBLISHED.as_str(),
            r = vk::RETIRED.as_str(),
        );
        Ok(self
            .store
            .select(&query)?
            .into_iter()
            .filter_map(|s| crate::store::as_named(s.get("x")))
            .collect())
    }

    /// Variables held by a dataset.
    pub fn variables_of_dataset(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_matching(&format!("{dataset} <{}> ?x", disco::VARIABLE_PROP.as_str()))
    }

    /// Subsets (`dct:isPartOf`) of a dataset.
    pub fn parts_of(&self, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_matching(&format!("?x <{}> {dataset}", dct::IS_PART_OF.as_str()))
    }

    /// Use cases that name a record (variable or dataset).
    pub fn use_cases_of(&self, iri: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_matching(&format!(
            "{{ ?x <{}> {iri} }} UNION {{ ?x <{}> {iri} }}",
            vk::USES_VARIABLE.as_str(),
            vk::USES_DATASET.as_str()
        ))
    }

    /// Codes of a code list, in display order (vk:order, then code).
    pub fn concepts_of(&self, scheme: &NamedNode) -> Result<Vec<crate::model::Concept>, StoreError> {
        let mut out = Vec::new();
        for iri in self.public_matching(&format!("?x <{}> {scheme}", skos::IN_SCHEME.as_str()))? {
            if let Some((_, Resource::Concept(c))) = self.public_resource(iri.as_ref())? {
                out.push(c);
            }
        }
        out.sort_by(|a, b| {
            (a.order.unwrap_or(u64::MAX), natural_key(a.notation.as_deref().unwrap_or("")))
                .cmp(&(b.order.unwrap_or(u64::MAX), natural_key(b.notation.as_deref().unwrap_or(""))))
        });
        Ok(out)
    }

    /// Variables whose values come from a code list.
    pub fn variables_using_code_list(&self, scheme: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_matching(&format!("?x <{}> {scheme}", disco::REPRESENTATION.as_str()))
    }

    /// Variables coded with a coding system.
    pub fn variables_using_standard(&self, standard: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        self.public_matching(&format!(
            "?x <{}> {standard} ; a <{}>",
            crate::model::vocab::healthdcatap::HAS_CODING_SYSTEM.as_str(),
            disco::VARIABLE.as_str()
        ))
    }

    /// Datasets (and series) an agent publishes.
    pub fn datasets_published_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        use crate::model::vocab::dcat;
        self.public_matching(&format!(
            "?x <{}> {agent} . {{ ?x a <{}> }} UNION {{ ?x a <{}> }}",
            dct::PUBLISHER.as_str(),
            dcat::DATASET.as_str(),
            dcat::DATASET_SERIES.as_str()
        ))
    }

    /// Other records an agent publishes (code lists, coding systems, data services).
    pub fn others_published_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        use crate::model::vocab::dcat;
        self.public_matching(&format!(
            "?x <{}> {agent} . FILTER NOT EXISTS {{ ?x a ?t FILTER(?t IN (<{}>, <{}>)) }}",
            dct::PUBLISHER.as_str(),
            dcat::DATASET.as_str(),
            dcat::DATASET_SERIES.as_str()
        ))
    }

    /// Records (datasets, variables) an agent owns through a qualified attribution.
    pub fn owned_by(&self, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
        use crate::model::vocab::prov;
        self.public_matching(&format!(
            "?x <{}> ?a . ?a <{}> {agent}",
            prov::QUALIFIED_ATTRIBUTION.as_str(),
            prov::AGENT.as_str()
        ))
    }

    /// Variables related to one: the same technical name, the same concept or (when
    /// `by_coding_system`) the same coding system, in other records.
    pub fn related_variables(&self, v: &crate::model::Variable, by_coding_system: bool) -> Result<Vec<NamedNode>, StoreError> {
        let mut patterns = Vec::new();
        if let Some(n) = &v.notation {
            patterns.push(format!(
                "{{ ?x <{}> ?n FILTER(LCASE(STR(?n)) = {}) }}",
                skos::NOTATION.as_str(),
                sparql_string(&n.to_lowercase())
            ));
        }
        for c in &v.concepts {
            patterns.push(format!("{{ ?x <{}> {c} }}", disco::CONCEPT.as_str()));
        }
        for c in v.coding_systems.iter().filter(|_| by_coding_system) {
            patterns.push(format!("{{ ?x <{}> {c} }}", crate::model::vocab::healthdcatap::HAS_CODING_SYSTEM.as_str()));
        }
        if patterns.is_empty() {
            return Ok(Vec::new());
        }
        let pattern = format!("?x a <{}> . {}", disco::VARIABLE.as_str(), patterns.join(" UNION "));
        Ok(self.public_matching(&pattern)?.into_iter().filter(|x| *x != v.iri).collect())
    }

    /// Labels of linked records (title, name or label), for links on pages. IRIs that are not
    /// public records are left out. One SPARQL query over the public default graph, instead
    /// of reading each record whole.
    pub fn labels(&self, iris: &[NamedNode]) -> Result<HashMap<NamedNode, LangText>, StoreError> {
        if iris.is_empty() {
            return Ok(HashMap::new());
        }
        // a contact point `agent/x#kontakt` is shown by its agent's name
        let base = |iri: &NamedNode| iri.as_str().split_once('#').and_then(|(b, _)| NamedNode::new(b).ok());
        let mut asked: BTreeSet<NamedNode> = iris.iter().cloned().collect();
        asked.extend(iris.iter().filter_map(base));
        let values: Vec<String> = asked.iter().map(ToString::to_string).collect();
        // in the order a record's label is chosen: title, name, preferred label
        let predicates = [dct::TITLE, foaf::NAME, skos::PREF_LABEL];
        let query = format!(
            "SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {} }} VALUES ?p {{ {} }} ?x ?p ?l FILTER(isLiteral(?l)) }}",
            values.join(" "),
            predicates.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
        );
        let public = self.store.public_default_graph();
        let QueryResults::Solutions(solutions) = self.store.query(&query, |d| d.set_default_graph(vec![public]))? else {
            return Err(StoreError::Query("expected a SELECT query".into()));
        };
        let mut found: HashMap<NamedNode, [LangText; 3]> = HashMap::new();
        for solution in solutions {
            let solution = solution.map_err(|e| StoreError::Query(e.to_string()))?;
            let (Some(Term::NamedNode(x)), Some(Term::NamedNode(p)), Some(Term::Literal(l))) =
                (solution.get("x"), solution.get("p"), solution.get("l"))
            else {
                continue;
            };
            let lang = match l.language() {
                Some(lang) => lang,
                None if l.datatype() == crate::model::vocab::xsd::STRING => "",
                None => continue,
            };
            let Some(slot) = predicates.iter().position(|p2| *p2 == p.as_ref()) else { continue };
            let text = &mut found.entry(x.clone()).or_default()[slot];
            if text.get(lang).is_none() && !l.value().trim().is_empty() {
                text.set(lang, l.value());
            }
        }
        let label_of = |iri: &NamedNode| found.get(iri).and_then(|texts| texts.iter().find(|t| !t.is_empty())).cloned();
        Ok(iris
            .iter()
            .filter_map(|iri| label_of(iri).or_else(|| base(iri).and_then(|b| label_of(&b))).map(|l| (iri.clone(), l)))
            .collect())
    }
}

/// Sort key that orders "2" before "10" and keeps codes like "S72.0" readable.
fn natural_key(s: &str) -> (u64, String) {
    match s.parse::<u64>() {
        Ok(n) => (n, String::new()),
        Err(_) => (u64::MAX, s.to_owned()),
    }
}

/// A SPARQL string literal with escapes.
pub fn sparql_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
