//! The documentation a researcher needs to read a variable's values (microdata.no's level):
//! what each missing or sentinel value means, the variable's temporality and its unit type.
//! Validity periods of codes live on the codes themselves (`codelist::Concept`).

use oxigraph::model::NamedNode;

use super::rdf::LangText;
use super::vocab::vk;

/// One missing or sentinel value with its meaning ("9" = "Uppgift saknas"). The value is also
/// among the variable's `missing_values` (`csvw:null`); the meaning is written as
/// `vk:missingValue [ a skos:Concept; skos:notation "9"; skos:prefLabel "…"@sv; disco:isValid false ]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingValue {
    pub code: String,
    pub meaning: LangText,
}

/// When a variable's value holds (DDI's "temporal type" in words a register uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Temporality {
    /// Something that happened at a moment (a diagnosis at a visit).
    Event,
    /// A state at a given date (the population on 31 December).
    Status,
    /// Accumulated over a period (days of care in a year).
    Accumulated,
}

impl Temporality {
    pub const ALL: [Self; 3] = [Self::Event, Self::Status, Self::Accumulated];

    pub fn iri(self) -> NamedNode {
        match self {
            Self::Event => vk::EVENT_TEMPORALITY,
            Self::Status => vk::STATUS_TEMPORALITY,
            Self::Accumulated => vk::ACCUMULATED_TEMPORALITY,
        }
        .into_owned()
    }

    pub fn from_iri(iri: &NamedNode) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.iri() == *iri)
    }

    /// The words of a form, a page and the workbook, in `lang` (`sv` unless `en`).
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang == "en") {
            (Self::Event, false) => "Händelse",
            (Self::Event, true) => "Event",
            (Self::Status, false) => "Tillstånd vid en tidpunkt",
            (Self::Status, true) => "Status at a date",
            (Self::Accumulated, false) => "Ackumulerat över en period",
            (Self::Accumulated, true) => "Accumulated over a period",
        }
    }

    /// Reads a workbook's words (either language, any case) or the IRI.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL.into_iter().find(|x| {
            t.eq_ignore_ascii_case(x.iri().as_str())
                || t.to_lowercase() == x.label("sv").to_lowercase()
                || t.to_lowercase() == x.label("en").to_lowercase()
        })
    }
}

/// What one row of the data describes (`disco:analysisUnit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitType {
    Person,
    /// A contact, visit or other event of care.
    Event,
    /// A stay (a hospital episode from admission to discharge).
    Stay,
    /// A prescription (a dispensed prescription).
    Prescription,
}

impl UnitType {
    pub const ALL: [Self; 4] = [Self::Person, Self::Event, Self::Stay, Self::Prescription];

    pub fn iri(self) -> NamedNode {
        match self {
            Self::Person => vk::PERSON_UNIT,
            Self::Event => vk::EVENT_UNIT,
            Self::Stay => vk::STAY_UNIT,
            Self::Prescription => vk::PRESCRIPTION_UNIT,
        }
        .into_owned()
    }

    pub fn from_iri(iri: &NamedNode) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.iri() == *iri)
    }

    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang == "en") {
            (Self::Person, false) => "Person",
            (Self::Person, true) => "Person",
            (Self::Event, false) => "Händelse (kontakt, besök)",
            (Self::Event, true) => "Event (contact, visit)",
            (Self::Stay, false) => "Vårdtillfälle",
            (Self::Stay, true) => "Stay (hospital episode)",
            (Self::Prescription, false) => "Förskrivning",
            (Self::Prescription, true) => "Prescription",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_lowercase();
        Self::ALL.into_iter().find(|x| {
            t == x.iri().as_str().to_lowercase()
                || t == x.label("sv").to_lowercase()
                || t == x.label("en").to_lowercase()
                || x.label("sv").to_lowercase().split(" (").next() == Some(t.as_str())
                || x.label("en").to_lowercase().split(" (").next() == Some(t.as_str())
        })
    }
}

/// Missing values as one line of text: `9 = Uppgift saknas; 99` (`sep` between values); the
/// meanings in Swedish.
pub fn missing_text(codes: &[String], meanings: &[MissingValue], sep: &str) -> String {
    codes
        .iter()
        .map(|c| match meanings.iter().find(|m| &m.code == c).and_then(|m| m.meaning.get("sv")) {
            Some(meaning) => format!("{c} = {meaning}"),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// Reads [`missing_text`]'s form, values split at any of `seps`: the codes, and the meanings
/// given (Swedish; an English meaning already held for the same code is kept from `before`).
pub fn parse_missing(text: &str, seps: &[char], before: &[MissingValue]) -> (Vec<String>, Vec<MissingValue>) {
    let mut codes: Vec<String> = Vec::new();
    let mut meanings = Vec::new();
    for item in text.split(seps).map(str::trim).filter(|s| !s.is_empty()) {
        let (code, meaning) = match item.split_once('=') {
            Some((c, m)) => (c.trim(), m.trim()),
            None => (item, ""),
        };
        if code.is_empty() || codes.iter().any(|c| c == code) {
            continue;
        }
        codes.push(code.to_owned());
        if !meaning.is_empty() {
            let mut text = before.iter().find(|m| m.code == code).map(|m| m.meaning.clone()).unwrap_or_default();
            text.set("sv", meaning);
            meanings.push(MissingValue { code: code.to_owned(), meaning: text });
        }
    }
    (codes, meanings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_read_back_as_written() {
        let (codes, meanings) = parse_missing("9 = Uppgift saknas; 99 ;-1=Ej tillämpligt; 9", &[';'], &[]);
        assert_eq!(codes, ["9", "99", "-1"]);
        assert_eq!(meanings.len(), 2);
        assert_eq!(meanings[1].meaning.get("sv"), Some("Ej tillämpligt"));
        assert_eq!(missing_text(&codes, &meanings, "; "), "9 = Uppgift saknas; 99; -1 = Ej tillämpligt");
        let before = [MissingValue { code: "9".into(), meaning: LangText::sv("x").with("en", "Not stated") }];
        let (_, kept) = parse_missing("9 = Uppgift saknas", &[','], &before);
        assert_eq!(kept[0].meaning.get("en"), Some("Not stated"), "the English meaning stays");
    }

    #[test]
    fn words_and_iris_name_the_same_terms() {
        for t in Temporality::ALL {
            assert_eq!(Temporality::from_iri(&t.iri()), Some(t));
            assert_eq!(Temporality::parse(t.label("sv")), Some(t));
            assert_eq!(Temporality::parse(&t.label("en").to_uppercase()), Some(t));
        }
        for u in UnitType::ALL {
            assert_eq!(UnitType::from_iri(&u.iri()), Some(u));
            assert_eq!(UnitType::parse(u.label("sv")), Some(u));
            assert_eq!(UnitType::parse(u.label("en")), Some(u));
        }
        assert_eq!(UnitType::parse("vårdtillfälle"), Some(UnitType::Stay));
        assert_eq!(UnitType::parse("händelse"), Some(UnitType::Event));
        assert_eq!(Temporality::parse("okänd"), None);
    }
}
