//! A record's graph in RDF/JSON (W3C, "RDF 1.1 JSON Alternate Serialization"): one object per
//! subject (an IRI, or `_:id` for a blank node), in it one array per predicate IRI, each value
//! `{"type": "uri" | "bnode" | "literal", "value": …}` with `lang` or `datatype` on literals.
//!
//! Subjects, predicates and values are written in a stable order, so the same graph is always
//! the same text. Reading names every problem by its JSON Pointer (RFC 6901) from the graph's
//! own root, so the caller can prefix where the graph sits in its document.

use std::collections::BTreeMap;

use oxigraph::model::{BlankNode, Graph, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};

/// A problem with one place of a submitted document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON Pointer (RFC 6901) to the value, from the document's root.
    pub pointer: String,
    pub sv: String,
    pub en: String,
}

impl Problem {
    pub fn new(pointer: impl Into<String>, sv: impl Into<String>, en: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), sv: sv.into(), en: en.into() }
    }

    /// The message in `lang` (`en`, else Swedish).
    pub fn message(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.sv }
    }
}

/// One segment of a JSON Pointer (`~` → `~0`, `/` → `~1`).
pub fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn subject_key(s: &NamedOrBlankNode) -> String {
    match s {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn object_value(o: &Term) -> Value {
    match o {
        Term::NamedNode(n) => json!({"type": "uri", "value": n.as_str()}),
        Term::BlankNode(b) => json!({"type": "bnode", "value": format!("_:{}", b.as_str())}),
        Term::Literal(l) => match l.language() {
            Some(lang) => json!({"type": "literal", "value": l.value(), "lang": lang}),
            None => json!({"type": "literal", "value": l.value(), "datatype": l.datatype().as_str()}),
        },
        #[allow(unreachable_patterns, reason = "RDF 1.2 triple terms, when oxigraph's feature is on")]
        _ => json!({"type": "literal", "value": o.to_string()}),
    }
}

/// The graph in RDF/JSON, in a stable order.
pub fn to_json(graph: &Graph) -> Value {
    let mut subjects: BTreeMap<String, BTreeMap<String, Vec<Value>>> = BTreeMap::new();
    for t in graph.iter() {
        let t = t.into_owned();
        subjects
            .entry(subject_key(&t.subject))
            .or_default()
            .entry(t.predicate.as_str().to_owned())
            .or_default()
            .push(object_value(&t.object));
    }
    let mut out = Map::new();
    for (s, preds) in subjects {
        let mut p_out = Map::new();
        for (p, mut values) in preds {
            values.sort_by_cached_key(Value::to_string);
            p_out.insert(p, Value::Array(values));
        }
        out.insert(s, Value::Object(p_out));
    }
    Value::Object(out)
}

fn blank(key: &str, pointer: &str) -> Result<BlankNode, Problem> {
    let id = key.strip_prefix("_:").unwrap_or(key);
    BlankNode::new(id)
        .map_err(|e| Problem::new(pointer, format!("{key} är ingen giltig tom nod: {e}"), format!("{key} is not a valid blank node: {e}")))
}

fn iri(text: &str, pointer: &str) -> Result<NamedNode, Problem> {
    NamedNode::new(text).map_err(|e| {
        Problem::new(pointer, format!("{text} är ingen giltig absolut IRI: {e}"), format!("{text} is not a valid absolute IRI: {e}"))
    })
}

fn object(v: &Value, pointer: &str) -> Result<Term, Problem> {
    let Some(o) = v.as_object() else {
        return Err(Problem::new(
            pointer,
            "Värdet ska vara ett objekt med type och value.",
            "The value must be an object with type and value.",
        ));
    };
    let text = |k: &str| o.get(k).and_then(Value::as_str);
    let Some(value) = text("value") else {
        return Err(Problem::new(format!("{pointer}/value"), "value saknas eller är ingen text.", "value is missing or not a string."));
    };
    match text("type") {
        Some("uri") => Ok(iri(value, &format!("{pointer}/value"))?.into()),
        Some("bnode") => Ok(blank(value, &format!("{pointer}/value"))?.into()),
        Some("literal") => match (text("lang"), text("datatype")) {
            (Some(lang), _) => Literal::new_language_tagged_literal(value, lang).map(Term::from).map_err(|e| {
                Problem::new(
                    format!("{pointer}/lang"),
                    format!("{lang} är ingen språkkod: {e}"),
                    format!("{lang} is not a language tag: {e}"),
                )
            }),
            (None, Some(dt)) => Ok(Literal::new_typed_literal(value, iri(dt, &format!("{pointer}/datatype"))?).into()),
            (None, None) => Ok(Literal::new_simple_literal(value).into()),
        },
        _ => Err(Problem::new(format!("{pointer}/type"), "type ska vara uri, bnode eller literal.", "type must be uri, bnode or literal.")),
    }
}

/// Reads a graph from RDF/JSON; `at` is the pointer of the graph in its document. Every
/// problem found is returned, each at its place.
pub fn from_json(v: &Value, at: &str) -> Result<Graph, Vec<Problem>> {
    let Some(subjects) = v.as_object() else {
        return Err(vec![Problem::new(at, "Grafen ska vara ett objekt (RDF/JSON).", "The graph must be an object (RDF/JSON).")]);
    };
    let mut graph = Graph::new();
    let mut problems = Vec::new();
    for (s, preds) in subjects {
        let sp = format!("{at}/{}", pointer_segment(s));
        let subject: NamedOrBlankNode = match if s.starts_with("_:") { blank(s, &sp).map(Into::into) } else { iri(s, &sp).map(Into::into) }
        {
            Ok(x) => x,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let Some(preds) = preds.as_object() else {
            problems.push(Problem::new(&sp, "Ett subjekt ska vara ett objekt av predikat.", "A subject must be an object of predicates."));
            continue;
        };
        for (p, values) in preds {
            let pp = format!("{sp}/{}", pointer_segment(p));
            let predicate = match iri(p, &pp) {
                Ok(x) => x,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let Some(values) = values.as_array() else {
                problems.push(Problem::new(&pp, "Värdena ska vara en lista.", "The values must be an array."));
                continue;
            };
            for (i, value) in values.iter().enumerate() {
                match object(value, &format!("{pp}/{i}")) {
                    Ok(o) => {
                        graph.insert(&Triple::new(subject.clone(), predicate.clone(), o));
                    }
                    Err(e) => problems.push(e),
                }
            }
        }
    }
    if problems.is_empty() { Ok(graph) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_graph_round_trips_and_problems_are_named_by_pointer() {
        let g = from_json(
            &json!({
                "https://x.se/variable/a": {
                    "http://www.w3.org/2004/02/skos/core#prefLabel": [{"type": "literal", "value": "A", "lang": "sv"}],
                    "http://example.org/p": [{"type": "bnode", "value": "_:b1"}, {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}]
                },
                "_:b1": {"http://example.org/q": [{"type": "uri", "value": "https://x.se/o"}]}
            }),
            "/graph",
        )
        .unwrap();
        assert_eq!(g.len(), 4);
        assert_eq!(from_json(&to_json(&g), "").unwrap(), g);
        let bad = from_json(
            &json!({"https://x.se/a": {"http://e.org/p": [{"type": "literal", "value": "x", "lang": "1 2"}], "nope": []}}),
            "/graph",
        )
        .unwrap_err();
        let pointers: Vec<&str> = bad.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/graph/https:~1~1x.se~1a/http:~1~1e.org~1p/0/lang", "/graph/https:~1~1x.se~1a/nope"]);
    }
}
