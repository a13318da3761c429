//! What changed between two versions of a record, property by property: the values removed
//! and added for each property of the record (per language for texts), with blank nodes
//! (periods, attributions, requirements) compared as whole values. The web layer puts it in
//! words ("Definition (sv) ändrad från … till …").

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::{Graph, NamedNode, NamedOrBlankNodeRef, TermRef};

use crate::model::vocab::rdf;

/// One value of a property.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    Iri(NamedNode),
    Text {
        value: String,
        lang: Option<String>,
    },
    /// A blank node, as its own properties and values (sorted).
    Node(Vec<(NamedNode, Value)>),
}

/// The change of one property (and one language, for texts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub property: NamedNode,
    /// The record is the object, not the subject (`?dataset disco:variable <variable>`).
    pub inverse: bool,
    pub lang: Option<String>,
    pub removed: Vec<Value>,
    pub added: Vec<Value>,
}

type Key = (NamedNode, bool, Option<String>);

fn value_of(g: &Graph, term: TermRef<'_>, depth: u8) -> Value {
    match term {
        TermRef::NamedNode(n) => Value::Iri(n.into_owned()),
        TermRef::Literal(l) => Value::Text { value: l.value().to_owned(), lang: l.language().map(str::to_owned) },
        TermRef::BlankNode(b) if depth < 4 => {
            let mut props: Vec<(NamedNode, Value)> = g
                .triples_for_subject(NamedOrBlankNodeRef::BlankNode(b))
                .filter(|t| t.predicate != rdf::TYPE)
                .map(|t| (t.predicate.into_owned(), value_of(g, t.object, depth + 1)))
                .collect();
            props.sort();
            Value::Node(props)
        }
        other => Value::Text { value: other.to_string(), lang: None },
    }
}

fn collect(g: &Graph, subject: &NamedNode) -> BTreeMap<Key, BTreeSet<Value>> {
    let mut out: BTreeMap<Key, BTreeSet<Value>> = BTreeMap::new();
    for t in g.triples_for_subject(subject) {
        let v = value_of(g, t.object, 0);
        let lang = match &v {
            Value::Text { lang, .. } => lang.clone(),
            _ => None,
        };
        out.entry((t.predicate.into_owned(), false, lang)).or_default().insert(v);
    }
    for t in g.triples_for_object(subject) {
        if let NamedOrBlankNodeRef::NamedNode(s) = t.subject {
            out.entry((t.predicate.into_owned(), true, None)).or_default().insert(Value::Iri(s.into_owned()));
        }
    }
    out
}

/// The changes from `before` to `after` of the record `subject`, in property order.
pub fn diff(before: &Graph, after: &Graph, subject: &NamedNode) -> Vec<Change> {
    let a = collect(before, subject);
    let b = collect(after, subject);
    let keys: BTreeSet<&Key> = a.keys().chain(b.keys()).collect();
    let empty = BTreeSet::new();
    let mut out = Vec::new();
    for key in keys {
        let old = a.get(key).unwrap_or(&empty);
        let new = b.get(key).unwrap_or(&empty);
        if old == new {
            continue;
        }
        out.push(Change {
            property: key.0.clone(),
            inverse: key.1,
            lang: key.2.clone(),
            removed: old.difference(new).cloned().collect(),
            added: new.difference(old).cloned().collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::Resource;
    use crate::model::{LangText, Variable};

    #[test]
    fn a_changed_definition_is_one_change_in_its_language() {
        let iri = NamedNode::new("https://k.se/variable/x").unwrap();
        let mut v = Variable::new(iri.clone(), LangText::sv("Huvuddiagnos").with("en", "Main diagnosis"));
        v.definition = LangText::sv("Gammal");
        let before = Resource::Variable(v.clone()).to_graph();
        v.definition = LangText::sv("Ny");
        v.unit = Some("d".into());
        let after = Resource::Variable(v).to_graph();
        let changes = diff(&before, &after, &iri);
        assert_eq!(changes.len(), 2, "{changes:?}");
        let def = changes.iter().find(|c| c.property.as_str().ends_with("definition")).unwrap();
        assert_eq!(def.lang.as_deref(), Some("sv"));
        assert_eq!(def.removed, vec![Value::Text { value: "Gammal".into(), lang: Some("sv".into()) }]);
        assert_eq!(def.added, vec![Value::Text { value: "Ny".into(), lang: Some("sv".into()) }]);
        assert!(diff(&after, &after, &iri).is_empty());
    }
}
