//! How well each dataset's public variables are documented (the label's data-dictionary and
//! coverage evidence), read for the whole catalogue at once: one query for the public
//! variables, then one pass over each predicate the label reads (`disco:variable`,
//! `skos:definition`, `disco:representation`, `healthdcatap:hasCodingSystem`) through the store
//! contract's `quads_matching`, and one query for the periods (`dct:temporal` with their
//! `dcat:startDate`/`endDate`; blank nodes, so joined on the engine). It replaces one SPARQL
//! aggregate (`GROUP BY` dataset with `COUNT(DISTINCT …)` over optional patterns): with it and a
//! listing that ordered every record, the label of issue 15's M catalogue took 15–17 s in a
//! release build (`benches/label.rs`). Each step logs its time at
//! `RUST_LOG=vardkatalog::label=debug`.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};

use crate::model::record::RecordKind;
use crate::model::vocab::{disco, healthdcatap, skos, xsd};
use crate::store::{RecordStore, StoreError, queries};

/// How well the public variables of one dataset are documented.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VariableDocs {
    /// Public variables the dataset holds.
    pub variables: usize,
    /// Of those, the ones with a definition and a representation (a datatype or a code list).
    pub described: usize,
    /// The earliest start year of their periods.
    pub first_year: Option<i32>,
    /// The latest end year of their periods.
    pub last_year: Option<i32>,
    /// Whether some period has no end (still collected).
    pub open_ended: bool,
    /// Whether any of them names a coding system.
    pub coded: bool,
    /// Whether any of them takes its values from a code list (not an XSD datatype).
    pub code_lists: bool,
}

impl VariableDocs {
    /// The facts the EHDS readiness view reads, from the same pass.
    pub fn facts(&self) -> queries::VariableFacts {
        queries::VariableFacts { variables: self.variables, coded: self.coded, code_lists: self.code_lists }
    }

    /// Adds a part's variables (a dataset's variables include its parts').
    pub fn add(&mut self, part: &Self) {
        self.variables += part.variables;
        self.described += part.described;
        self.first_year = match (self.first_year, part.first_year) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_year = self.last_year.max(part.last_year);
        self.open_ended |= part.open_ended;
        self.coded |= part.coded;
        self.code_lists |= part.code_lists;
    }
}

/// The record a quad lives in, when it is a record graph.
fn graph_of(g: &GraphName) -> Option<&NamedNode> {
    match g {
        GraphName::NamedNode(n) => Some(n),
        _ => None,
    }
}

fn year(t: &Term) -> Option<i32> {
    match t {
        Term::Literal(l) => l.value().get(..4)?.parse().ok(),
        _ => None,
    }
}

/// [`VariableDocs`] of every dataset that holds public variables (its own, not its parts').
pub fn documentation(store: &dyn RecordStore) -> Result<HashMap<NamedNode, VariableDocs>, StoreError> {
    let started = std::time::Instant::now();
    let phase = |name: &str| tracing::debug!(phase = name, ms = started.elapsed().as_millis() as u64, "variable documentation");
    let public: HashSet<NamedNode> = queries::public_iris(store, RecordKind::Variable)?.into_iter().collect();
    phase("public variables");
    // a statement about a variable counts only in the variable's own record
    let own = |q: &oxigraph::model::Quad| -> Option<NamedNode> {
        let NamedOrBlankNode::NamedNode(s) = &q.subject else { return None };
        (graph_of(&q.graph_name) == Some(s) && public.contains(s)).then(|| s.clone())
    };
    let subjects =
        |p| -> Result<HashSet<NamedNode>, StoreError> { Ok(store.quads_matching(None, Some(p), None)?.iter().filter_map(own).collect()) };
    let defined = subjects(skos::DEFINITION)?;
    let coded = subjects(healthdcatap::HAS_CODING_SYSTEM)?;
    phase("definitions and coding systems");
    let mut represented: HashSet<NamedNode> = HashSet::new();
    let mut listed: HashSet<NamedNode> = HashSet::new();
    for q in store.quads_matching(None, Some(disco::REPRESENTATION), None)? {
        let Some(v) = own(&q) else { continue };
        if matches!(&q.object, Term::NamedNode(o) if !o.as_str().starts_with(xsd::NS)) {
            listed.insert(v.clone());
        }
        represented.insert(v);
    }
    phase("representations");
    // periods: first start, last end and whether one is open, per variable (one query: the
    // periods are blank nodes, joined on the engine)
    let mut years: HashMap<NamedNode, (Option<i32>, Option<i32>, bool)> = HashMap::new();
    for (v, start, end) in queries::periods_of_records(store)? {
        if !public.contains(&v) {
            continue;
        }
        let e = years.entry(v).or_default();
        let first = start.as_ref().and_then(year);
        e.0 = match (e.0, first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match &end {
            Some(t) => e.1 = e.1.max(year(t)),
            None => e.2 = true,
        }
    }
    phase("periods");
    let mut out: HashMap<NamedNode, VariableDocs> = HashMap::new();
    for q in store.quads_matching(None, Some(disco::VARIABLE_PROP), None)? {
        let (NamedOrBlankNode::NamedNode(d), Term::NamedNode(v)) = (&q.subject, &q.object) else { continue };
        // the link lives in the variable's record
        if graph_of(&q.graph_name) != Some(v) || !public.contains(v) {
            continue;
        }
        let e = out.entry(d.clone()).or_default();
        e.variables += 1;
        if defined.contains(v) && represented.contains(v) {
            e.described += 1;
        }
        e.coded |= coded.contains(v);
        e.code_lists |= listed.contains(v);
        if let Some((first, last, open)) = years.get(v) {
            e.first_year = match (e.first_year, *first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            e.last_year = e.last_year.max(*last);
            e.open_ended |= *open;
        }
    }
    phase("datasets");
    Ok(out)
}
