//! Characters a record may not hold: those XML 1.0 cannot carry.
//!
//! The catalogue is published as RDF/XML and Atom (XML 1.0), where the C0 control characters
//! other than TAB, LF and CR, and U+FFFE and U+FFFF, are not allowed even escaped; one of them in
//! one literal makes the whole `/catalog.rdf` ill-formed for every harvester. (Lone surrogates,
//! the other characters XML forbids, cannot occur in a Rust string.)
//!
//! Two halves, one rule ([`forbidden`]):
//! - on input, [`check_graph`] refuses a record holding such a character and names the record
//!   and the property; every way into the catalogue calls it (RDF import, harvest, curation
//!   drafts from the forms and the spreadsheet import);
//! - on output, [`xml_safe`] replaces each with U+FFFD, so that data stored before the check
//!   existed (or written past it) still gives well-formed XML.

use std::borrow::Cow;

use oxigraph::model::{Graph, Literal, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef};

use super::ModelError;

/// Whether XML 1.0 forbids `c`: C0 controls except TAB, LF and CR; U+FFFE and U+FFFF.
pub fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The first forbidden character of `s`, if any.
pub fn first_forbidden(s: &str) -> Option<char> {
    s.chars().find(|c| forbidden(*c))
}

/// `U+0007`: how a character is named in messages.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// `s` with every forbidden character replaced by U+FFFD (the replacement character).
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if first_forbidden(s).is_none() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| if forbidden(c) { '\u{FFFD}' } else { c }).collect())
}

/// A triple fit for XML: a literal with a forbidden character gets it replaced by U+FFFD.
/// (IRIs cannot hold one: oxigraph's IRI parser refuses control characters.)
pub fn xml_safe_triple(t: TripleRef<'_>) -> Triple {
    Triple::new(t.subject.into_owned(), t.predicate.into_owned(), xml_safe_term(t.object))
}

/// A term fit for XML (see [`xml_safe_triple`]).
pub fn xml_safe_term(t: TermRef<'_>) -> Term {
    match t {
        TermRef::Literal(l) if first_forbidden(l.value()).is_some() => {
            let value = xml_safe(l.value()).into_owned();
            match l.language() {
                Some(lang) => Literal::new_language_tagged_literal_unchecked(value, lang).into(),
                None => Literal::new_typed_literal(value, l.datatype()).into(),
            }
        }
        other => other.into_owned(),
    }
}

/// Refuses a record graph holding a forbidden character in any literal, naming the subject and
/// the property (`dct:title` of `<…/dataset/x>`) and the character.
pub fn check_graph(graph: &Graph) -> Result<(), ModelError> {
    for t in graph.iter() {
        let found = match t.object {
            TermRef::Literal(l) => first_forbidden(l.value()),
            TermRef::NamedNode(n) => first_forbidden(n.as_str()),
            _ => None,
        };
        if let Some(c) = found {
            let subject = match t.subject {
                NamedOrBlankNodeRef::NamedNode(n) => format!("<{}>", n.as_str()),
                other => other.to_string(),
            };
            return Err(ModelError::ForbiddenCharacter { subject, property: t.predicate.as_str().to_owned(), character: code_point(c) });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    #[test]
    fn the_xml_rule() {
        for c in ['\u{0}', '\u{7}', '\u{B}', '\u{C}', '\u{1B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            assert!(forbidden(c), "{}", code_point(c));
        }
        for c in ['\t', '\n', '\r', ' ', 'å', '\u{7F}', '\u{85}', '\u{FFFD}'] {
            assert!(!forbidden(c), "{}", code_point(c));
        }
        assert_eq!(xml_safe("a\u{7}b\tc"), "a\u{FFFD}b\tc");
        assert!(matches!(xml_safe("vanlig text"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_graph_with_a_control_character_is_refused_by_property() {
        let s = NamedNode::new("https://k.example/dataset/x").unwrap();
        let p = NamedNode::new("http://purl.org/dc/terms/title").unwrap();
        let mut g = Graph::new();
        g.insert(TripleRef::new(&s, &p, &Literal::new_language_tagged_literal_unchecked("Ok", "sv")));
        assert!(check_graph(&g).is_ok());
        g.insert(TripleRef::new(&s, &p, &Literal::new_language_tagged_literal_unchecked("Bell\u{7}", "en")));
        let e = check_graph(&g).unwrap_err();
        assert_eq!(
            e,
            ModelError::ForbiddenCharacter {
                subject: "<https://k.example/dataset/x>".into(),
                property: p.as_str().into(),
                character: "U+0007".into()
            }
        );
        let safe = xml_safe_triple(TripleRef::new(&s, &p, &Literal::new_language_tagged_literal_unchecked("Bell\u{7}", "en")));
        assert_eq!(safe.object, Literal::new_language_tagged_literal_unchecked("Bell\u{FFFD}", "en").into());
    }
}
