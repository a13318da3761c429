//! Reading typed values out of an RDF graph and writing them back.
//!
//! Parsing a record is *consuming*: [`Node`] removes every triple it understands from a working
//! copy of the record graph, and whatever is left becomes the record's `extra` triples, which are
//! written back unchanged. That makes every round trip lossless by construction, including
//! properties this version of the model does not know.
//!
//! A blank node (a period of time, an attribution, a requirement) is consumed only when every
//! triple about it is understood; otherwise it stays whole in `extra`.

use std::collections::BTreeMap;
use std::fmt;

use oxigraph::model::{
    BlankNode, Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple, TripleRef,
};

use super::ModelError;
use super::vocab::{rdf, xsd};

/// Free text in one or more languages, at most one value per language (titles, descriptions).
///
/// The empty language `""` holds a literal written without a language tag, so that harvested
/// data survives a round trip; everything this project writes is tagged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LangText(BTreeMap<String, String>);

impl LangText {
    /// No text.
    pub fn new() -> Self {
        Self::default()
    }

    /// Text in Swedish only.
    pub fn sv(text: impl Into<String>) -> Self {
        Self::new().with("sv", text)
    }

    /// Adds or replaces the text in `lang`.
    #[must_use]
    pub fn with(mut self, lang: &str, text: impl Into<String>) -> Self {
        self.set(lang, text);
        self
    }

    /// Sets the text in `lang`; an empty text removes it.
    pub fn set(&mut self, lang: &str, text: impl Into<String>) {
        let text = text.into();
        if text.trim().is_empty() {
            self.0.remove(lang);
        } else {
            self.0.insert(lang.to_ascii_lowercase(), text);
        }
    }

    /// The text in exactly this language.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    /// The text to show a reader of `lang`: that language, else Swedish, English, untagged, any.
    pub fn best(&self, lang: &str) -> &str {
        self.get(lang)
            .or_else(|| self.get("sv"))
            .or_else(|| self.get("en"))
            .or_else(|| self.get(""))
            .or_else(|| self.0.values().next().map(String::as_str))
            .unwrap_or("")
    }

    /// The language `best(lang)` answers in, when it is not `lang` itself (for a `lang` attribute).
    pub fn fallback_lang(&self, lang: &str) -> Option<&str> {
        if self.get(lang).is_some() {
            return None;
        }
        ["sv", "en", ""].into_iter().find(|l| self.get(l).is_some()).or_else(|| self.0.keys().next().map(String::as_str))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// (language, text) pairs in language order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(l, t)| (l.as_str(), t.as_str()))
    }
}

/// One language-tagged string among several (keywords).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LangString {
    pub lang: String,
    pub value: String,
}

impl LangString {
    pub fn new(lang: &str, value: impl Into<String>) -> Self {
        Self { lang: lang.to_ascii_lowercase(), value: value.into() }
    }
}

/// A temporal literal as DCAT-AP allows it: `xsd:date`, `xsd:dateTime`, `xsd:gYear` or
/// `xsd:gYearMonth`, kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Temporal(Literal);

impl Temporal {
    /// Parses a lexical form, choosing the datatype by its shape (`2024`, `2024-05`,
    /// `2024-05-01`, `2024-05-01T10:00:00Z`).
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        let datatype = if is_year(value) {
            xsd::G_YEAR
        } else if value.len() == 7 && value.is_ascii() && is_year(&value[..4]) && month_ok(&value[5..7]) && &value[4..5] == "-" {
            xsd::G_YEAR_MONTH
        } else if chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
            xsd::DATE
        } else if chrono::DateTime::parse_from_rfc3339(value).is_ok()
            || chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S").is_ok()
        {
            xsd::DATE_TIME
        } else {
            return None;
        };
        Some(Self(Literal::new_typed_literal(value, datatype)))
    }

    /// A year, year-month or date as people write them in forms and spreadsheets: what
    /// [`Temporal::parse`] reads, and the compact forms registers use (`199701`, `19970101`).
    pub fn read(value: &str) -> Option<Self> {
        let v = value.trim();
        if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse(&format!("{}-{}-{}", &v[..4], &v[4..6], &v[6..]));
        }
        if v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse(&format!("{}-{}", &v[..4], &v[4..]));
        }
        Self::parse(v)
    }

    /// Accepts a literal if it is one of the four temporal datatypes with a valid lexical form.
    pub fn from_literal(literal: &Literal) -> Option<Self> {
        let parsed = Self::parse(literal.value())?;
        (parsed.0.datatype() == literal.datatype()).then_some(parsed)
    }

    pub fn literal(&self) -> &Literal {
        &self.0
    }

    pub fn value(&self) -> &str {
        self.0.value()
    }

    /// The calendar year, for coverage bars and facets.
    pub fn year(&self) -> Option<i32> {
        self.0.value().get(..4)?.parse().ok()
    }
}

impl fmt::Display for Temporal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.value())
    }
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

fn month_ok(s: &str) -> bool {
    matches!(s.parse::<u32>(), Ok(1..=12))
}

/// A `dct:PeriodOfTime` with `dcat:startDate` and/or `dcat:endDate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Period {
    pub start: Option<Temporal>,
    pub end: Option<Temporal>,
}

impl Period {
    /// "1964–" , "1997–2008", "–2001".
    pub fn label(&self) -> String {
        format!("{}–{}", self.start.as_ref().map(Temporal::value).unwrap_or(""), self.end.as_ref().map(Temporal::value).unwrap_or(""))
    }

    /// The one reader of a period as people write it, in the edit forms and in spreadsheets:
    /// `1997–2008`, `1997-2008`, `1997–`, `–2001`, `1997 - 2008`, `1997 till 2008`,
    /// `1997/2008`, `2001-01-01–2008-12-31`, each side as [`Temporal::read`]. A lone value is
    /// the start (`1987`: from 1987 on). `None` for empty text and for anything else.
    pub fn parse(value: &str) -> Option<Self> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        if let Some(t) = Temporal::read(v) {
            return Some(Self { start: Some(t), end: None });
        }
        for sep in ["–", "—", " - ", " till ", " to ", "/", "-"] {
            // for "-" split at the separator that leaves two temporal values (dates contain "-")
            for (i, _) in v.match_indices(sep) {
                let (a, b) = (v[..i].trim(), v[i + sep.len()..].trim());
                let start = if a.is_empty() { None } else { Some(Temporal::read(a)?) };
                let end = if b.is_empty() {
                    None
                } else {
                    match Temporal::read(b) {
                        Some(t) => Some(t),
                        None => continue,
                    }
                };
                if start.is_some() || end.is_some() {
                    return Some(Self { start, end });
                }
            }
        }
        None
    }

    /// Periods separated by `;` (one spreadsheet cell), each as [`Period::parse`]; `None` when
    /// one of them is not a period.
    pub fn parse_list(value: &str) -> Option<Vec<Self>> {
        value.split(';').filter(|p| !p.trim().is_empty()).map(Self::parse).collect()
    }
}

/// Parses an IRI that the model itself builds or that a user typed.
pub fn iri(value: &str) -> Result<NamedNode, ModelError> {
    NamedNode::new(value).map_err(|e| ModelError::InvalidIri { iri: value.to_owned(), reason: e.to_string() })
}

/// A consuming reader of one subject's description in a working graph.
pub struct Node<'g> {
    graph: &'g mut Graph,
    subject: NamedOrBlankNode,
}

impl<'g> Node<'g> {
    pub fn new(graph: &'g mut Graph, subject: impl Into<NamedOrBlankNode>) -> Self {
        Self { graph, subject: subject.into() }
    }

    fn subject_ref(&self) -> NamedOrBlankNodeRef<'_> {
        self.subject.as_ref()
    }

    fn objects(&self, p: NamedNodeRef<'_>) -> Vec<Term> {
        let mut objects: Vec<Term> = self.graph.objects_for_subject_predicate(self.subject_ref(), p).map(TermRef::into_owned).collect();
        objects.sort_by_key(|t| t.to_string());
        objects
    }

    fn remove(&mut self, p: NamedNodeRef<'_>, o: &Term) {
        let s = self.subject.clone();
        self.graph.remove(TripleRef::new(&s, p, o));
    }

    fn error(&self, p: NamedNodeRef<'_>, value: &Term, expected: &'static str) -> ModelError {
        ModelError::InvalidValue { subject: self.subject.to_string(), property: p.as_str().to_owned(), value: value.to_string(), expected }
    }

    /// Puts a triple about the subject back (it will end up in `extra`).
    pub fn restore(&mut self, p: NamedNodeRef<'_>, o: Term) {
        let s = self.subject.clone();
        self.graph.insert(TripleRef::new(&s, p, &o));
    }

    /// Consumes `rdf:type t` if present.
    pub fn take_type(&mut self, t: NamedNodeRef<'_>) -> bool {
        let s = self.subject.clone();
        self.graph.remove(TripleRef::new(&s, rdf::TYPE, t))
    }

    /// Whether the subject is typed `t` (without consuming).
    pub fn has_type(&self, t: NamedNodeRef<'_>) -> bool {
        self.graph.contains(TripleRef::new(self.subject_ref(), rdf::TYPE, t))
    }

    /// Consumes every IRI value of `p`, sorted.
    pub fn iris(&mut self, p: NamedNodeRef<'_>) -> Vec<NamedNode> {
        let mut out = Vec::new();
        for o in self.objects(p) {
            if let Term::NamedNode(n) = &o {
                out.push(n.clone());
                self.remove(p, &o);
            }
        }
        out
    }

    /// Consumes the first IRI value of `p`; further values stay in `extra`.
    pub fn iri(&mut self, p: NamedNodeRef<'_>) -> Option<NamedNode> {
        let first = self.objects(p).into_iter().find_map(|o| match o {
            Term::NamedNode(n) => Some(n),
            _ => None,
        })?;
        self.remove(p, &Term::NamedNode(first.clone()));
        Some(first)
    }

    /// Consumes language-tagged (and untagged string) literals of `p`, one per language.
    pub fn text(&mut self, p: NamedNodeRef<'_>) -> LangText {
        let mut text = LangText::new();
        for o in self.objects(p) {
            if let Term::Literal(l) = &o {
                let lang = match l.language() {
                    Some(lang) => lang.to_owned(),
                    None if l.datatype() == xsd::STRING => String::new(),
                    None => continue,
                };
                if text.get(&lang).is_none() && !l.value().trim().is_empty() {
                    text.0.insert(lang, l.value().to_owned());
                    self.remove(p, &o);
                }
            }
        }
        text
    }

    /// Consumes every language-tagged literal of `p` (keywords), sorted.
    pub fn lang_strings(&mut self, p: NamedNodeRef<'_>) -> Vec<LangString> {
        let mut out = Vec::new();
        for o in self.objects(p) {
            if let Term::Literal(l) = &o
                && let Some(lang) = l.language()
            {
                out.push(LangString::new(lang, l.value()));
                self.remove(p, &o);
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Consumes the first plain string literal of `p`.
    pub fn string(&mut self, p: NamedNodeRef<'_>) -> Option<String> {
        self.strings_inner(p, true).into_iter().next()
    }

    /// Consumes every plain string literal of `p`, sorted.
    pub fn strings(&mut self, p: NamedNodeRef<'_>) -> Vec<String> {
        self.strings_inner(p, false)
    }

    fn strings_inner(&mut self, p: NamedNodeRef<'_>, first_only: bool) -> Vec<String> {
        let mut out = Vec::new();
        for o in self.objects(p) {
            if let Term::Literal(l) = &o
                && l.datatype() == xsd::STRING
                && l.language().is_none()
            {
                out.push(l.value().to_owned());
                self.remove(p, &o);
                if first_only {
                    break;
                }
            }
        }
        out
    }

    /// Consumes the first literal of `p` whatever its datatype (a lexical value).
    pub fn literal(&mut self, p: NamedNodeRef<'_>) -> Option<Literal> {
        let first = self.objects(p).into_iter().find_map(|o| match o {
            Term::Literal(l) => Some(l),
            _ => None,
        })?;
        self.remove(p, &Term::Literal(first.clone()));
        Some(first)
    }

    /// Consumes a non-negative integer of `p`.
    pub fn unsigned(&mut self, p: NamedNodeRef<'_>) -> Result<Option<u64>, ModelError> {
        let Some(o) = self.objects(p).into_iter().find(|o| matches!(o, Term::Literal(_))) else {
            return Ok(None);
        };
        let Term::Literal(l) = &o else { unreachable!() };
        let value = l.value().trim().parse::<u64>().map_err(|_| self.error(p, &o, "a non-negative integer"))?;
        self.remove(p, &o);
        Ok(Some(value))
    }

    /// Consumes an `xsd:boolean` of `p`.
    pub fn boolean(&mut self, p: NamedNodeRef<'_>) -> Result<Option<bool>, ModelError> {
        let Some(o) = self.objects(p).into_iter().find(|o| matches!(o, Term::Literal(_))) else {
            return Ok(None);
        };
        let Term::Literal(l) = &o else { unreachable!() };
        let value = match l.value().trim() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return Err(self.error(p, &o, "true or false")),
        };
        self.remove(p, &o);
        Ok(Some(value))
    }

    /// Consumes `p true` (a flag); `false` and anything else stay in `extra`.
    pub fn flag(&mut self, p: NamedNodeRef<'_>) -> bool {
        let t = Term::Literal(Literal::from(true));
        let s = self.subject.clone();
        self.graph.remove(TripleRef::new(&s, p, &t))
    }

    /// Consumes a temporal literal of `p`.
    pub fn temporal(&mut self, p: NamedNodeRef<'_>) -> Result<Option<Temporal>, ModelError> {
        let Some(o) = self.objects(p).into_iter().find(|o| matches!(o, Term::Literal(_))) else {
            return Ok(None);
        };
        let Term::Literal(l) = &o else { unreachable!() };
        let value =
            Temporal::from_literal(l).ok_or_else(|| self.error(p, &o, "a date (xsd:date, xsd:dateTime, xsd:gYear or xsd:gYearMonth)"))?;
        self.remove(p, &o);
        Ok(Some(value))
    }

    /// The blank-node values of `p` whose whole description passes `known`; each is returned
    /// with its triples still in place for the caller to consume through [`Node::child`].
    pub fn blank_children(&self, p: NamedNodeRef<'_>, known: &[NamedNodeRef<'_>]) -> Vec<BlankNode> {
        self.objects(p)
            .into_iter()
            .filter_map(|o| match o {
                Term::BlankNode(b) => Some(b),
                _ => None,
            })
            .filter(|b| {
                // only consumable if no other triple points at it and every predicate is known
                self.graph.triples_for_object(b).count() == 1
                    && self.graph.triples_for_subject(b).all(|t| known.contains(&t.predicate) && !matches!(t.object, TermRef::BlankNode(_)))
            })
            .collect()
    }

    /// Consumes the link `p -> child` and returns a reader of the child.
    pub fn child(&mut self, p: NamedNodeRef<'_>, child: &BlankNode) -> Node<'_> {
        self.remove(p, &Term::BlankNode(child.clone()));
        Node::new(self.graph, child.clone())
    }

    /// Consumes periods of time (`dct:temporal`-like) of `p`.
    pub fn periods(&mut self, p: NamedNodeRef<'_>) -> Result<Vec<Period>, ModelError> {
        use super::vocab::{dcat, dct};
        let known = [rdf::TYPE, dcat::START_DATE, dcat::END_DATE];
        let mut out = Vec::new();
        for b in self.blank_children(p, &known) {
            let mut child = self.child(p, &b);
            child.take_type(dct::PERIOD_OF_TIME);
            let start = child.temporal(dcat::START_DATE)?;
            let end = child.temporal(dcat::END_DATE)?;
            out.push(Period { start, end });
        }
        out.sort_by_key(|p| p.label());
        Ok(out)
    }

    /// Consumes activity nodes (`prov:wasGeneratedBy`): `[ a prov:Activity ; dct:type <…> ]`,
    /// returning the types; an activity named by an IRI is returned as that IRI.
    pub fn activities(&mut self, p: NamedNodeRef<'_>) -> Vec<NamedNode> {
        use super::vocab::{dct, prov};
        let known = [rdf::TYPE, dct::TYPE];
        let mut out = Vec::new();
        for b in self.blank_children(p, &known) {
            let mut child = self.child(p, &b);
            child.take_type(prov::ACTIVITY);
            out.extend(child.iris(dct::TYPE));
        }
        out.extend(self.iris(p));
        out.sort();
        out.dedup();
        out
    }

    /// Consumes a statement node (`dct:provenance`, `dct:rights`): `[ a T ; rdfs:label "…"@sv ]`.
    pub fn statements(&mut self, p: NamedNodeRef<'_>, class: NamedNodeRef<'_>) -> Vec<LangText> {
        use super::vocab::rdfs;
        let known = [rdf::TYPE, rdfs::LABEL];
        let mut out = Vec::new();
        for b in self.blank_children(p, &known) {
            let mut child = self.child(p, &b);
            child.take_type(class);
            out.push(child.text(rdfs::LABEL));
        }
        out
    }
}

/// Writes typed values about subjects into a graph.
///
/// Blank nodes get ids derived from their subject, property and position, so that writing the
/// same record twice gives the same document byte for byte (harvesters hash what they fetch).
pub struct Writer<'g> {
    pub graph: &'g mut Graph,
    blanks: u32,
}

impl<'g> Writer<'g> {
    pub fn new(graph: &'g mut Graph) -> Self {
        Self { graph, blanks: 0 }
    }

    pub fn add(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        let o = o.into();
        self.graph.insert(TripleRef::new(s, p, &o));
    }

    pub fn typ(&mut self, s: NamedOrBlankNodeRef<'_>, class: NamedNodeRef<'_>) {
        self.add(s, rdf::TYPE, class.into_owned());
    }

    pub fn iri(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, o: Option<&NamedNode>) {
        if let Some(o) = o {
            self.add(s, p, o.clone());
        }
    }

    pub fn iris(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, os: &[NamedNode]) {
        for o in os {
            self.add(s, p, o.clone());
        }
    }

    pub fn text(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, text: &LangText) {
        for (lang, value) in text.iter() {
            let literal = if lang.is_empty() {
                Literal::new_simple_literal(value)
            } else {
                Literal::new_language_tagged_literal_unchecked(value, lang)
            };
            self.add(s, p, literal);
        }
    }

    pub fn lang_strings(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, values: &[LangString]) {
        for v in values {
            self.add(s, p, Literal::new_language_tagged_literal_unchecked(&v.value, &v.lang));
        }
    }

    pub fn string(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, value: Option<&str>) {
        if let Some(v) = value {
            self.add(s, p, Literal::new_simple_literal(v));
        }
    }

    pub fn strings(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, values: &[String]) {
        for v in values {
            self.add(s, p, Literal::new_simple_literal(v));
        }
    }

    pub fn literal(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, value: Option<&Literal>) {
        if let Some(v) = value {
            self.add(s, p, v.clone());
        }
    }

    pub fn unsigned(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, value: Option<u64>, datatype: NamedNodeRef<'_>) {
        if let Some(v) = value {
            self.add(s, p, Literal::new_typed_literal(v.to_string(), datatype));
        }
    }

    pub fn boolean(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, value: Option<bool>) {
        if let Some(v) = value {
            self.add(s, p, Literal::from(v));
        }
    }

    pub fn flag(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, value: bool) {
        if value {
            self.add(s, p, Literal::from(true));
        }
    }

    pub fn temporal(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, value: Option<&Temporal>) {
        if let Some(v) = value {
            self.add(s, p, v.literal().clone());
        }
    }

    /// Adds `s p [ a class ]` and returns the new blank node.
    pub fn blank(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, class: NamedNodeRef<'_>) -> BlankNode {
        use sha2::{Digest, Sha256};
        self.blanks += 1;
        let digest = Sha256::new()
            .chain_update(s.to_string().as_bytes())
            .chain_update(p.as_str().as_bytes())
            .chain_update(self.blanks.to_be_bytes())
            .finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        let b = BlankNode::new_from_unique_id(u128::from_be_bytes(id));
        self.add(s, p, b.clone());
        self.typ(b.as_ref().into(), class);
        b
    }

    pub fn periods(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, periods: &[Period]) {
        use super::vocab::{dcat, dct};
        for period in periods {
            let b = self.blank(s, p, dct::PERIOD_OF_TIME);
            self.temporal(b.as_ref().into(), dcat::START_DATE, period.start.as_ref());
            self.temporal(b.as_ref().into(), dcat::END_DATE, period.end.as_ref());
        }
    }

    pub fn statements(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, class: NamedNodeRef<'_>, values: &[LangText]) {
        use super::vocab::rdfs;
        for text in values {
            let b = self.blank(s, p, class);
            self.text(b.as_ref().into(), rdfs::LABEL, text);
        }
    }

    /// Writes triples kept verbatim.
    /// Activity nodes `[ a prov:Activity ; dct:type <t> ]`, one per type.
    pub fn activities(&mut self, s: NamedOrBlankNodeRef<'_>, p: NamedNodeRef<'_>, types: &[NamedNode]) {
        use super::vocab::{dct, prov};
        for t in types {
            let b = self.blank(s, p, prov::ACTIVITY);
            self.iri(b.as_ref().into(), dct::TYPE, Some(t));
        }
    }

    pub fn extra(&mut self, triples: &[Triple]) {
        for t in triples {
            self.graph.insert(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_people_write_them() {
        assert_eq!(Period::parse("1997–2008").unwrap().label(), "1997–2008");
        assert_eq!(Period::parse("1997-2008").unwrap().label(), "1997–2008");
        assert_eq!(Period::parse("1997 - 2008").unwrap().label(), "1997–2008");
        assert_eq!(Period::parse("1997 till 2008").unwrap().label(), "1997–2008");
        assert_eq!(Period::parse("1997/2008").unwrap().label(), "1997–2008");
        assert_eq!(Period::parse("1964–").unwrap().label(), "1964–");
        assert_eq!(Period::parse("–2001").unwrap().label(), "–2001");
        assert_eq!(Period::parse(" 1964 ").unwrap().label(), "1964–");
        assert_eq!(Period::parse("2001-01-01–2008-12-31").unwrap().label(), "2001-01-01–2008-12-31");
        assert_eq!(Period::parse("2001-01-01-2008-12-31").unwrap().label(), "2001-01-01–2008-12-31");
        assert_eq!(Period::parse("199701–19971231").unwrap().label(), "1997-01–1997-12-31");
        for bad in ["", " ", "–", "sedan länge", "förr", "1997–sedan", "2024-13"] {
            assert!(Period::parse(bad).is_none(), "{bad:?}");
        }
        assert_eq!(Period::parse_list("1964–1986; 1997–").unwrap().len(), 2);
        assert!(Period::parse_list("1964–1986; förr").is_none());
    }

    #[test]
    fn dates_as_registers_write_them() {
        assert_eq!(Temporal::read("19970101").unwrap().value(), "1997-01-01");
        assert_eq!(Temporal::read("199701").unwrap().value(), "1997-01");
        assert_eq!(Temporal::read(" 1997 ").unwrap().value(), "1997");
        assert_eq!(Temporal::read("2024-05-01").unwrap().literal().datatype(), xsd::DATE);
        assert!(Temporal::read("19971301").is_none() && Temporal::read("2024-13-45").is_none());
    }
}
