//! Every SPARQL query the code sends to the store, in one place, with typed answers.
//!
//! Owns: the text of internal queries (listing and counting records, reverse links between
//! public records, labels, the harvest document's selection, feed entries, data collections)
//! and reading their solutions into Rust values. Every function runs through the
//! [`RecordStore`] contract, so it works on every implementation.
//! Does not: hold the example queries shown to people on `/sparql` (that page's content), or
//! the public endpoint's evaluation (`publish::sparql`).
//!
//! Conventions: internal queries read record graphs with `GRAPH` patterns and metadata from
//! [`RECORDS_GRAPH`]; queries over the public default graph go through
//! [`RecordStore::select_public`]. Only published and retired records are "public".

pub mod remote;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use oxigraph::model::{NamedNode, NamedNodeRef, Term};

use super::{Filter, RECORDS_GRAPH, RecordStore, StoreError, as_named};
use crate::model::record::RecordKind;
use crate::model::vocab::{dcat, dct, disco, foaf, healthdcatap, prov, skos, vk, xsd};

/// `FILTER` keeping public states (`?st` bound to the state).
fn public_states() -> String {
    format!("FILTER(?st IN (<{}>, <{}>))", vk::PUBLISHED.as_str(), vk::RETIRED.as_str())
}

fn filter_pattern(filter: &Filter) -> String {
    let mut pattern = format!("GRAPH <{}> {{ ?g a <{}> ", RECORDS_GRAPH.as_str(), vk::RECORD.as_str());
    if let Some(kind) = filter.kind {
        pattern.push_str(&format!("; <{}> \"{}\" ", vk::KIND.as_str(), kind.as_str()));
    }
    if let Some(states) = &filter.states {
        pattern.push_str(&format!("; <{}> ?state ", vk::STATE.as_str()));
        pattern.push_str("} VALUES ?state { ");
        for s in states {
            pattern.push_str(&format!("<{}> ", s.iri().as_str()));
        }
        pattern.push('}');
    } else {
        pattern.push('}');
    }
    pattern
}

/// The records matching a filter, by IRI, one page (binds `?g`).
pub fn list_records(filter: &Filter, offset: u64, limit: u64) -> String {
    format!("SELECT ?g WHERE {{ {} }} ORDER BY STR(?g) OFFSET {offset} LIMIT {limit}", filter_pattern(filter))
}

/// How many records match a filter (binds `?n`).
pub fn count_records(filter: &Filter) -> String {
    format!("SELECT (COUNT(?g) AS ?n) WHERE {{ {} }}", filter_pattern(filter))
}

/// How many statements with `predicate` a graph holds (binds `?n`).
pub fn count_quads(graph: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> String {
    format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s {predicate} ?o }} }}")
}

/// Counts of public records per kind.
pub fn public_counts(store: &dyn RecordStore) -> Result<HashMap<RecordKind, u64>, StoreError> {
    let query = format!(
        "SELECT ?kind (COUNT(?g) AS ?n) WHERE {{ GRAPH <{}> {{ ?g <{}> ?kind ; <{}> ?st }} {} }} GROUP BY ?kind",
        RECORDS_GRAPH.as_str(),
        vk::KIND.as_str(),
        vk::STATE.as_str(),
        public_states(),
    );
    let mut out = HashMap::new();
    for s in store.select(&query)? {
        if let (Some(Term::Literal(k)), Some(Term::Literal(n))) = (s.get("kind"), s.get("n"))
            && let (Some(kind), Ok(n)) = (RecordKind::parse(k.value()), n.value().parse())
        {
            out.insert(kind, n);
        }
    }
    Ok(out)
}

/// Public records whose own graph matches `pattern` (a group pattern about `?x`), in IRI order.
fn public_matching(store: &dyn RecordStore, pattern: &str) -> Result<Vec<NamedNode>, StoreError> {
    let query = format!(
        "SELECT DISTINCT ?x WHERE {{ GRAPH ?x {{ {pattern} }} GRAPH <{records}> {{ ?x <{state}> ?st }} {public} }} ORDER BY STR(?x)",
        records = RECORDS_GRAPH.as_str(),
        state = vk::STATE.as_str(),
        public = public_states(),
    );
    Ok(store.select(&query)?.into_iter().filter_map(|s| as_named(s.get("x"))).collect())
}

/// Public records of a kind whose IRI starts with `prefix` (the codes minted under a code
/// list, `{list}/`, also those no longer in it), in IRI order.
pub fn public_records_under(store: &dyn RecordStore, kind: RecordKind, prefix: &str) -> Result<Vec<NamedNode>, StoreError> {
    let query = format!(
        "SELECT ?x WHERE {{ GRAPH <{records}> {{ ?x <{kind_p}> \"{kind}\" ; <{state}> ?st }} {public} FILTER(STRSTARTS(STR(?x), {prefix})) }} ORDER BY STR(?x)",
        records = RECORDS_GRAPH.as_str(),
        kind_p = vk::KIND.as_str(),
        kind = kind.as_str(),
        state = vk::STATE.as_str(),
        public = public_states(),
        prefix = sparql_string(prefix),
    );
    Ok(store.select(&query)?.into_iter().filter_map(|s| as_named(s.get("x"))).collect())
}

/// Variables held by a dataset.
pub fn variables_of_dataset(store: &dyn RecordStore, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(store, &format!("{dataset} <{}> ?x", disco::VARIABLE_PROP.as_str()))
}

/// Use cases that name a record (variable or dataset).
pub fn use_cases_of(store: &dyn RecordStore, iri: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(store, &format!("{{ ?x <{}> {iri} }} UNION {{ ?x <{}> {iri} }}", vk::USES_VARIABLE.as_str(), vk::USES_DATASET.as_str()))
}

/// Codes (concepts) in a code list, in IRI order.
pub fn concepts_in_scheme(store: &dyn RecordStore, scheme: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(store, &format!("?x <{}> {scheme}", skos::IN_SCHEME.as_str()))
}

/// Variables whose values come from a code list.
pub fn variables_using_code_list(store: &dyn RecordStore, scheme: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(store, &format!("?x <{}> {scheme}", disco::REPRESENTATION.as_str()))
}

/// Variables coded with a coding system.
pub fn variables_using_standard(store: &dyn RecordStore, standard: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(store, &format!("?x <{}> {standard} ; a <{}>", healthdcatap::HAS_CODING_SYSTEM.as_str(), disco::VARIABLE.as_str()))
}

/// Datasets (and series) an agent publishes.
pub fn datasets_published_by(store: &dyn RecordStore, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(
        store,
        &format!(
            "?x <{}> {agent} . {{ ?x a <{}> }} UNION {{ ?x a <{}> }}",
            dct::PUBLISHER.as_str(),
            dcat::DATASET.as_str(),
            dcat::DATASET_SERIES.as_str()
        ),
    )
}

/// Other records an agent publishes (code lists, coding systems, data services).
pub fn others_published_by(store: &dyn RecordStore, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(
        store,
        &format!(
            "?x <{}> {agent} . FILTER NOT EXISTS {{ ?x a ?t FILTER(?t IN (<{}>, <{}>)) }}",
            dct::PUBLISHER.as_str(),
            dcat::DATASET.as_str(),
            dcat::DATASET_SERIES.as_str()
        ),
    )
}

/// Records (datasets, variables) an agent owns through a qualified attribution.
pub fn owned_by(store: &dyn RecordStore, agent: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(store, &format!("?x <{}> ?a . ?a <{}> {agent}", prov::QUALIFIED_ATTRIBUTION.as_str(), prov::AGENT.as_str()))
}

/// Variables that state a requirement for a data collection (a dataset).
pub fn requirement_holders(store: &dyn RecordStore, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    public_matching(store, &format!("?x <{}> ?r . ?r <{}> {dataset}", vk::REQUIREMENT.as_str(), vk::COLLECTION.as_str()))
}

/// What makes two variables related: the same technical name (case-insensitive), a shared
/// concept, or (when given) a shared coding system.
pub struct Relatedness<'a> {
    pub notation: Option<&'a str>,
    pub concepts: &'a [NamedNode],
    pub coding_systems: &'a [NamedNode],
}

/// Public variables related to one (the variable itself included when it matches).
pub fn related_variables(store: &dyn RecordStore, by: &Relatedness<'_>) -> Result<Vec<NamedNode>, StoreError> {
    let mut patterns = Vec::new();
    if let Some(n) = by.notation {
        patterns.push(format!("{{ ?x <{}> ?n FILTER(LCASE(STR(?n)) = {}) }}", skos::NOTATION.as_str(), sparql_string(&n.to_lowercase())));
    }
    for c in by.concepts {
        patterns.push(format!("{{ ?x <{}> {c} }}", disco::CONCEPT.as_str()));
    }
    for c in by.coding_systems {
        patterns.push(format!("{{ ?x <{}> {c} }}", healthdcatap::HAS_CODING_SYSTEM.as_str()));
    }
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    public_matching(store, &format!("?x a <{}> . {}", disco::VARIABLE.as_str(), patterns.join(" UNION ")))
}

/// What the matching rule (`matching`) looks for in other variables: a shared concept
/// (`disco:concept` or `dct:subject`), one of these coding systems, one of these code lists, a
/// code list holding one of these codes, or a technical name that folds (`model::fold::name`)
/// to `name`. Each part may be empty.
#[derive(Default)]
pub struct MatchBy<'a> {
    pub concepts: &'a [NamedNode],
    pub coding_systems: &'a [NamedNode],
    pub code_lists: &'a [NamedNode],
    pub codes: &'a [String],
    pub name: Option<&'a str>,
}

/// At most this many candidates of one variable or concept are read.
pub const MATCH_LIMIT: usize = 200;
/// At most this many codes of a code list are looked for in other code lists.
pub const MATCH_CODES: usize = 200;

fn values(var: &str, iris: &[NamedNode]) -> String {
    format!("VALUES ?{var} {{ {} }}", iris.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
}

/// The SPARQL expression folding a technical name the way `model::fold::name` does.
fn folded(var: &str) -> String {
    let mut e = format!("REPLACE(LCASE(STR(?{var})), \"\\\\s\", \"\")");
    for (class, plain) in crate::model::fold::FOLDS {
        e = format!("REPLACE({e}, {}, {})", sparql_string(class), sparql_string(plain));
    }
    e
}

/// Public variables that the matching rule may pair with what `by` describes (the rule itself
/// decides: this is the candidates' superset), in IRI order, at most [`MATCH_LIMIT`].
pub fn match_candidates(store: &dyn RecordStore, by: &MatchBy<'_>) -> Result<Vec<NamedNode>, StoreError> {
    let mut patterns = Vec::new();
    if !by.concepts.is_empty() {
        patterns.push(format!("{{ ?x <{}> ?c {} }}", disco::CONCEPT.as_str(), values("c", by.concepts)));
        patterns.push(format!("{{ ?x <{}> ?c {} }}", dct::SUBJECT.as_str(), values("c", by.concepts)));
    }
    if !by.coding_systems.is_empty() {
        patterns.push(format!("{{ ?x <{}> ?y {} }}", healthdcatap::HAS_CODING_SYSTEM.as_str(), values("y", by.coding_systems)));
    }
    if !by.code_lists.is_empty() {
        patterns.push(format!("{{ ?x <{}> ?s {} }}", disco::REPRESENTATION.as_str(), values("s", by.code_lists)));
    }
    if !by.codes.is_empty() {
        let codes: Vec<String> = by.codes.iter().take(MATCH_CODES).map(|c| sparql_string(c)).collect();
        patterns.push(format!(
            "{{ ?x <{}> ?s . ?k <{}> ?s ; <{}> ?n FILTER(STR(?n) IN ({})) }}",
            disco::REPRESENTATION.as_str(),
            skos::IN_SCHEME.as_str(),
            skos::NOTATION.as_str(),
            codes.join(", ")
        ));
    }
    if let Some(name) = by.name.filter(|n| !n.is_empty()) {
        patterns.push(format!("{{ ?x <{}> ?t FILTER({} = {}) }}", skos::NOTATION.as_str(), folded("t"), sparql_string(name)));
    }
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    let query = format!(
        "SELECT DISTINCT ?x WHERE {{ ?x a <{}> . {} }} ORDER BY STR(?x) LIMIT {MATCH_LIMIT}",
        disco::VARIABLE.as_str(),
        patterns.join(" UNION ")
    );
    Ok(store.select_public(&query)?.into_iter().filter_map(|s| as_named(s.get("x"))).collect())
}

/// Versions among coding systems (`dct:isVersionOf`, either way round) that touch `systems`,
/// as (the version, what it is a version of): ICD-10-SE is a version of ICD-10.
pub fn coding_system_versions(store: &dyn RecordStore, systems: &[NamedNode]) -> Result<Vec<(NamedNode, NamedNode)>, StoreError> {
    if systems.is_empty() {
        return Ok(Vec::new());
    }
    let query = format!(
        "SELECT DISTINCT ?a ?b WHERE {{ {} {{ ?z <{v}> ?b BIND(?z AS ?a) }} UNION {{ ?a <{v}> ?z BIND(?z AS ?b) }} FILTER(isIRI(?a) && isIRI(?b)) }}",
        values("z", systems),
        v = dct::IS_VERSION_OF.as_str()
    );
    Ok(store.select_public(&query)?.into_iter().filter_map(|s| Some((as_named(s.get("a"))?, as_named(s.get("b"))?))).collect())
}

/// The data collections of the catalogue: datasets that variables state requirements for
/// (public or not: the caller keeps the public ones), in IRI order.
pub fn collections(store: &dyn RecordStore) -> Result<Vec<NamedNode>, StoreError> {
    let query = format!(
        "SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?x <{}> ?r . ?r <{}> ?c }} FILTER(!STRSTARTS(STR(?g), {})) }} ORDER BY STR(?c)",
        vk::REQUIREMENT.as_str(),
        vk::COLLECTION.as_str(),
        sparql_string(crate::model::vocab::internal::STAGING_PREFIX)
    );
    Ok(store.select(&query)?.into_iter().filter_map(|s| as_named(s.get("c"))).collect())
}

/// The label predicates, in the order a record's label is chosen.
pub const LABEL_PREDICATES: [NamedNodeRef<'static>; 3] = [dct::TITLE, foaf::NAME, skos::PREF_LABEL];

/// One label statement of the public catalogue: (subject, which of [`LABEL_PREDICATES`],
/// language (`""` for a plain string), text).
pub type LabelRow = (NamedNode, usize, String, String);

/// The label statements (title, name, preferred label; literals only) of the given IRIs in the
/// public catalogue.
pub fn label_rows(store: &dyn RecordStore, iris: &[NamedNode]) -> Result<Vec<LabelRow>, StoreError> {
    if iris.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<String> = iris.iter().map(ToString::to_string).collect();
    let query = format!(
        "SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {} }} VALUES ?p {{ {} }} ?x ?p ?l FILTER(isLiteral(?l)) }}",
        values.join(" "),
        LABEL_PREDICATES.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
    );
    let mut out = Vec::new();
    for solution in store.select_public(&query)? {
        let (Some(Term::NamedNode(x)), Some(Term::NamedNode(p)), Some(Term::Literal(l))) =
            (solution.get("x"), solution.get("p"), solution.get("l"))
        else {
            continue;
        };
        let lang = match l.language() {
            Some(lang) => lang.to_owned(),
            None if l.datatype() == xsd::STRING => String::new(),
            None => continue,
        };
        let Some(slot) = LABEL_PREDICATES.iter().position(|p2| *p2 == p.as_ref()) else { continue };
        out.push((x.clone(), slot, lang, l.value().to_owned()));
    }
    Ok(out)
}

/// One public record as the harvest document's selection sees it.
pub struct PublicRecord {
    pub iri: NamedNode,
    pub kind: String,
    pub modified: DateTime<Utc>,
    pub content_hash: String,
}

/// Every public record with its kind, modification time and content hash.
pub fn public_records(store: &dyn RecordStore) -> Result<Vec<PublicRecord>, StoreError> {
    let query = format!(
        "SELECT ?g ?kind ?m ?h WHERE {{ GRAPH <{records}> {{ ?g <{kind}> ?kind ; <{state}> ?st ; <{modified}> ?m . OPTIONAL {{ ?g <{hash}> ?h }} }} {public} }}",
        records = RECORDS_GRAPH.as_str(),
        kind = vk::KIND.as_str(),
        state = vk::STATE.as_str(),
        modified = dct::MODIFIED.as_str(),
        hash = vk::CONTENT_HASH.as_str(),
        public = public_states(),
    );
    let mut out = Vec::new();
    for s in store.select(&query)? {
        let (Some(Term::NamedNode(g)), Some(Term::Literal(kind)), Some(Term::Literal(m))) = (s.get("g"), s.get("kind"), s.get("m")) else {
            continue;
        };
        let Some(modified) = parse_time(m.value()) else { continue };
        let content_hash = match s.get("h") {
            Some(Term::Literal(h)) => h.value().to_owned(),
            _ => String::new(),
        };
        out.push(PublicRecord { iri: g.clone(), kind: kind.value().to_owned(), modified, content_hash });
    }
    Ok(out)
}

/// Every link from a dataset to a record its description is made of, as (dataset, part): its
/// distributions (`dcat:distribution` in the dataset's own graph) and its variables
/// (`disco:variable` in the variable's own graph), whatever their state (the caller keeps the
/// public ones). Two scans of the predicate index; no lookup per link (on a bulk-loaded store
/// each lookup pays for every level of the database, so a join of the metadata graph per part
/// was the slow half of the publishing index).
pub fn dataset_parts(store: &dyn RecordStore) -> Result<Vec<(NamedNode, NamedNode)>, StoreError> {
    let query = format!(
        "SELECT ?d ?x WHERE {{ {{ GRAPH ?d {{ ?d <{dist}> ?x }} }} UNION {{ GRAPH ?x {{ ?d <{var}> ?x }} }} }}",
        dist = dcat::DISTRIBUTION_PROP.as_str(),
        var = disco::VARIABLE_PROP.as_str(),
    );
    Ok(store.select(&query)?.into_iter().filter_map(|s| Some((as_named(s.get("d"))?, as_named(s.get("x"))?))).collect())
}

/// Every public record graph's IRI, sorted.
pub fn public_graphs(store: &dyn RecordStore) -> Result<Vec<NamedNode>, StoreError> {
    let query =
        format!("SELECT ?g WHERE {{ GRAPH <{}> {{ ?g <{}> ?st }} {} }}", RECORDS_GRAPH.as_str(), vk::STATE.as_str(), public_states(),);
    let mut graphs: Vec<NamedNode> = store.select(&query)?.into_iter().filter_map(|s| as_named(s.get("g"))).collect();
    graphs.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    Ok(graphs)
}

/// The newest public records of the kinds a change feed lists (not catalogues, codes or
/// agents), newest first.
pub fn newest_public_changes(store: &dyn RecordStore, limit: u64) -> Result<Vec<NamedNode>, StoreError> {
    let query = format!(
        "SELECT ?g WHERE {{ GRAPH <{records}> {{ ?g <{state}> ?st ; <{modified}> ?m ; <{kind}> ?k }} \
         {public} FILTER(!(?k IN (\"catalog\", \"concept\", \"agent\"))) }} ORDER BY DESC(?m) STR(?g) LIMIT {limit}",
        records = RECORDS_GRAPH.as_str(),
        state = vk::STATE.as_str(),
        modified = dct::MODIFIED.as_str(),
        kind = vk::KIND.as_str(),
        public = public_states(),
    );
    Ok(store.select(&query)?.into_iter().filter_map(|s| as_named(s.get("g"))).collect())
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
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

/// What the public variables of each dataset say, for the EHDS readiness view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VariableFacts {
    /// How many public variables the dataset holds.
    pub variables: usize,
    /// Whether any of them names a coding system.
    pub coded: bool,
    /// Whether any of them takes its values from a code list (not an XSD datatype).
    pub code_lists: bool,
}

/// [`VariableFacts`] of every dataset that holds public variables, in one query.
pub fn variable_facts(store: &dyn RecordStore) -> Result<HashMap<NamedNode, VariableFacts>, StoreError> {
    let query = format!(
        "SELECT ?d (COUNT(DISTINCT ?v) AS ?n) (COUNT(DISTINCT ?cs) AS ?coded) (COUNT(DISTINCT ?cl) AS ?lists) WHERE {{ \
           GRAPH ?v {{ ?d <{var}> ?v \
             OPTIONAL {{ ?v <{cs}> ?cs }} \
             OPTIONAL {{ ?v <{rep}> ?cl FILTER(isIRI(?cl) && !STRSTARTS(STR(?cl), \"{xsd}\")) }} }} \
           GRAPH <{records}> {{ ?v <{state}> ?st }} {public} \
         }} GROUP BY ?d",
        var = disco::VARIABLE_PROP.as_str(),
        cs = healthdcatap::HAS_CODING_SYSTEM.as_str(),
        rep = disco::REPRESENTATION.as_str(),
        xsd = xsd::NS,
        records = RECORDS_GRAPH.as_str(),
        state = vk::STATE.as_str(),
        public = public_states(),
    );
    let count = |t: Option<&Term>| match t {
        Some(Term::Literal(l)) => l.value().parse::<usize>().unwrap_or(0),
        _ => 0,
    };
    let mut out = HashMap::new();
    for s in store.select(&query)? {
        if let Some(d) = as_named(s.get("d")) {
            out.insert(
                d,
                VariableFacts { variables: count(s.get("n")), coded: count(s.get("coded")) > 0, code_lists: count(s.get("lists")) > 0 },
            );
        }
    }
    Ok(out)
}

/// The public records of a kind (no order), in one query of the metadata graph.
pub fn public_iris(store: &dyn RecordStore, kind: RecordKind) -> Result<Vec<NamedNode>, StoreError> {
    let query = format!("SELECT ?g WHERE {{ {} }}", filter_pattern(&Filter::public(kind)));
    Ok(store.select(&query)?.into_iter().filter_map(|s| as_named(s.get("g"))).collect())
}

/// A record, and one of its periods' start and end.
pub type PeriodRow = (NamedNode, Option<Term>, Option<Term>);

/// One row per period of a record's own subject, in that record's graph: the record, the
/// period's start and end (unbound when absent), whatever its state (callers keep the public
/// ones). The period nodes are blank nodes, so they are joined here, on the engine, where they
/// stay the same nodes (a remote engine may name them differently in each answer).
pub fn periods_of_records(store: &dyn RecordStore) -> Result<Vec<PeriodRow>, StoreError> {
    let query = format!(
        "SELECT ?r ?start ?end WHERE {{ GRAPH ?r {{ ?r <{temporal}> ?p \
           OPTIONAL {{ ?p <{start}> ?start }} OPTIONAL {{ ?p <{end}> ?end }} }} }}",
        temporal = dct::TEMPORAL.as_str(),
        start = dcat::START_DATE.as_str(),
        end = dcat::END_DATE.as_str(),
    );
    Ok(store
        .select(&query)?
        .into_iter()
        .filter_map(|s| Some((as_named(s.get("r"))?, s.get("start").cloned(), s.get("end").cloned())))
        .collect())
}
