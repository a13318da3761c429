//! What a form offers to choose from: the public records of a kind (by label), the terms of a
//! controlled vocabulary, the datatypes and the requirement levels, per field. Frequencies and
//! access rights are named in the words of the import's spreadsheets (`ingest::cells`); other
//! terms are left to the pages' words for vocabularies ([`Label::Term`]).

use std::collections::BTreeMap;

use oxigraph::model::NamedNode;

use super::spec::{CODE_LIST, Layout, Offer, Words};
use crate::config::Lang;
use crate::curation::RecordState;
use crate::curation::{Curation, CurationError};
use crate::ingest::cells;
use crate::model::RecordKind;
use crate::model::vocab::{eu, vk};
use crate::model::{RequirementLevel, Resource, Temporality, UnitType};

/// The requirement levels, by the value a form sends.
pub const LEVELS: [(&str, RequirementLevel); 3] =
    [("required", RequirementLevel::Required), ("conditional", RequirementLevel::Conditional), ("optional", RequirementLevel::Optional)];

const CODES_FROM_A_LIST: Words = Words::new("Koder ur en kodlista", "Codes from a code list");

/// How a choice is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// In the reader's language already.
    Text(String),
    /// A vocabulary term (an IRI), named where words for vocabularies live (the pages').
    Term(String),
}

/// One choice: the value a form sends, and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: Label,
}

/// The choices of every select and checkbox group of a form, by field (or row column) name.
#[derive(Clone, Debug, Default)]
pub struct Choices(BTreeMap<&'static str, Vec<Choice>>);

impl Choices {
    /// The choices of a field.
    pub fn of(&self, name: &str) -> &[Choice] {
        self.0.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether a field offers `value`.
    pub fn offers(&self, name: &str, value: &str) -> bool {
        self.of(name).iter().any(|c| c.value == value)
    }

    /// Choices set by hand (tests).
    pub fn with(mut self, name: &'static str, choices: Vec<Choice>) -> Self {
        self.0.insert(name, choices);
        self
    }

    /// Everything `layout` offers, named in `lang`. The records of each kind are read once.
    pub fn resolve(c: &Curation, layout: &Layout, lang: Lang) -> Result<Self, CurationError> {
        let mut records: BTreeMap<&'static str, Vec<Choice>> = BTreeMap::new();
        let mut out = BTreeMap::new();
        for (name, offer) in layout.offers() {
            let choices = match offer {
                Offer::Records(kind) => match records.get(kind.as_str()) {
                    Some(list) => list.clone(),
                    None => {
                        let list = linkable(c, kind, lang)?;
                        records.insert(kind.as_str(), list.clone());
                        list
                    }
                },
                other => fixed(other, lang),
            };
            out.insert(name, choices);
        }
        Ok(Self(out))
    }
}

/// The choices of an offer that does not depend on the catalogue.
pub fn fixed(offer: Offer, lang: Lang) -> Vec<Choice> {
    match offer {
        Offer::Records(_) => Vec::new(),
        Offer::Vocabulary { base, codes } => codes
            .iter()
            .map(|c| {
                let value = format!("{base}{c}");
                Choice { label: spreadsheet_words(base, &value, lang).unwrap_or_else(|| Label::Term(value.clone())), value }
            })
            .collect(),
        Offer::Datatypes => cells::DATATYPES
            .iter()
            .map(|(d, sv, en)| Choice { value: (*d).to_owned(), label: Label::Text((if lang == Lang::En { *en } else { *sv }).to_owned()) })
            .chain(std::iter::once(Choice { value: CODE_LIST.to_owned(), label: Label::Text(CODES_FROM_A_LIST.get(lang).to_owned()) }))
            .collect(),
        Offer::Levels => {
            LEVELS.iter().map(|(v, l)| Choice { value: (*v).to_owned(), label: Label::Text(l.label(lang.code()).to_owned()) }).collect()
        }
        Offer::HealthList(list) => list
            .members
            .iter()
            .map(|(code, sv, en)| Choice {
                value: format!("{}{code}", list.base),
                label: Label::Text((if lang == Lang::En { *en } else { *sv }).to_owned()),
            })
            .collect(),
        Offer::YesNo { yes, no } => vec![
            Choice { value: "true".to_owned(), label: Label::Text(yes.get(lang).to_owned()) },
            Choice { value: "false".to_owned(), label: Label::Text(no.get(lang).to_owned()) },
        ],
    }
}

/// Frequencies and access rights are named as the import's spreadsheets name them
/// (`ingest::cells`: "Årligen", "Icke-offentlig"), so a curator meets the same words in both.
fn spreadsheet_words(base: &str, value: &str, lang: Lang) -> Option<Label> {
    let words = match base {
        vk::NS => {
            let iri = NamedNode::new(value).ok()?;
            let l = Temporality::from_iri(&iri)
                .map(|t| t.label(lang.code()))
                .or_else(|| UnitType::from_iri(&iri).map(|u| u.label(lang.code())))?;
            return Some(Label::Text(l.to_owned()));
        }
        eu::FREQUENCY => cells::frequency_words,
        eu::ACCESS_RIGHT => cells::access_right_words,
        _ => return None,
    };
    let (sv, en) = words(&NamedNode::new(value).ok()?);
    Some(Label::Text(if lang == Lang::En && !en.is_empty() { en } else { sv }))
}

/// The records of one kind a form may link to, as choices: the public ones and the working
/// drafts (a record made in the catalogue and not yet published), each by its Swedish label
/// with its identifier beside it (`Kön (kon)`; a draft says so), sorted by label (case folded).
fn linkable(c: &Curation, kind: RecordKind, lang: Lang) -> Result<Vec<Choice>, CurationError> {
    let minter = c.catalogue().minter();
    let (_, public) = c.catalogue().public_list(kind, 0, 100_000)?;
    let mut out: BTreeMap<String, (String, bool)> =
        public.iter().map(|r: &Resource| (r.iri().as_str().to_owned(), (r.label().best("sv").to_owned(), false))).collect();
    for (iri, draft) in c.open_drafts()? {
        if draft.kind == kind.as_str() && draft.state != RecordState::Retired {
            out.insert(iri, (draft.label, true));
        }
    }
    let draft_word = DRAFT.get(lang);
    let mut list: Vec<(String, Choice)> = out
        .into_iter()
        .map(|(iri, (label, draft))| {
            let id = minter.parse(&iri).map(|(_, id)| id).unwrap_or_else(|| iri.clone());
            let name = if label.is_empty() { id.clone() } else { format!("{label} ({id})") };
            let text = if draft { format!("{name} – {draft_word}") } else { name };
            (label.to_lowercase(), Choice { value: iri, label: Label::Text(text) })
        })
        .collect();
    list.sort_by(|a, b| (&a.0, &a.1.value).cmp(&(&b.0, &b.1.value)));
    Ok(list.into_iter().map(|(_, c)| c).collect())
}

const DRAFT: Words = Words::new("utkast", "draft");
