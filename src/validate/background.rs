//! Background data for validation: the members of the controlled vocabularies that the
//! official shapes check, described the way the EU publishes them.
//!
//! SHACL does no inference, and a catalogue only *names* vocabulary members
//! (`dct:language <…/language/SWE>`): the DCAT-AP range shapes ask that the member be a
//! `dct:LinguisticSystem`, the vocabulary shapes that it be `skos:inScheme <…/language>`, and
//! the category shape that a `skos:Concept` have a `skos:prefLabel`. The EU's own validator
//! loads the vocabularies listed in DCAT-AP's `imports.ttl` and `mdr_imports.ttl` for this;
//! this module is the offline equivalent for the members the catalogue can use: each member
//! typed `skos:Concept` in its scheme with its English label and the class DCAT-AP's range
//! asks for, each scheme a titled `skos:ConceptScheme`. A member that is not listed here is
//! *not* described, so using a code outside the vocabularies still fails validation.

use oxigraph::model::{Graph, Literal, NamedNode, NamedNodeRef, TripleRef};

use crate::model::health_lists;
use crate::model::vocab::{dct, eli, eu, health, rdf, skos};

/// One controlled vocabulary: its base (members are `{base}{code}`), its scheme IRI and title,
/// the DCAT-AP range class of its members, and its members with their English labels.
struct Vocabulary {
    base: &'static str,
    scheme: &'static str,
    title: &'static str,
    class: Option<NamedNodeRef<'static>>,
    members: &'static [(&'static str, &'static str)],
}

const VOCABULARIES: &[Vocabulary] = &[
    Vocabulary {
        base: eu::DATA_THEME,
        scheme: eu::DATA_THEME_SCHEME,
        title: "Data theme",
        class: None,
        members: &[
            ("AGRI", "Agriculture, fisheries, forestry and food"),
            ("ECON", "Economy and finance"),
            ("EDUC", "Education, culture and sport"),
            ("ENER", "Energy"),
            ("ENVI", "Environment"),
            ("GOVE", "Government and public sector"),
            ("HEAL", "Health"),
            ("INTR", "International issues"),
            ("JUST", "Justice, legal system and public safety"),
            ("OP_DATPRO", "Provisional data"),
            ("REGI", "Regions and cities"),
            ("SOCI", "Population and society"),
            ("TECH", "Science and technology"),
            ("TRAN", "Transport"),
        ],
    },
    Vocabulary {
        base: eu::LANGUAGE,
        scheme: "http://publications.europa.eu/resource/authority/language",
        title: "Languages",
        class: Some(dct::LINGUISTIC_SYSTEM),
        members: &[("SWE", "Swedish"), ("ENG", "English"), ("FIN", "Finnish"), ("NOR", "Norwegian"), ("DAN", "Danish")],
    },
    Vocabulary {
        base: eu::COUNTRY,
        scheme: "http://publications.europa.eu/resource/authority/country",
        title: "Countries and territories",
        class: Some(dct::LOCATION),
        members: &[("SWE", "Sweden")],
    },
    Vocabulary {
        base: eu::ACCESS_RIGHT,
        scheme: "http://publications.europa.eu/resource/authority/access-right",
        title: "Access right",
        class: Some(dct::RIGHTS_STATEMENT),
        members: &[("PUBLIC", "public"), ("RESTRICTED", "restricted"), ("NON_PUBLIC", "non-public")],
    },
    Vocabulary {
        base: eu::FREQUENCY,
        scheme: "http://publications.europa.eu/resource/authority/frequency",
        title: "Frequency",
        class: Some(dct::FREQUENCY),
        members: &[
            ("ANNUAL", "annual"),
            ("ANNUAL_2", "semiannual"),
            ("BIENNIAL", "biennial"),
            ("CONT", "continuous"),
            ("DAILY", "daily"),
            ("IRREG", "irregular"),
            ("MONTHLY", "monthly"),
            ("NEVER", "never"),
            ("QUARTERLY", "quarterly"),
            ("UNKNOWN", "unknown"),
            ("UPDATE_CONT", "continuously updated"),
            ("WEEKLY", "weekly"),
        ],
    },
    Vocabulary {
        base: eu::DATASET_TYPE,
        scheme: "http://publications.europa.eu/resource/authority/dataset-type",
        title: "Dataset type",
        class: None,
        members: &[("PERSONAL_DATA", "Personal data"), ("STATISTICAL", "Statistical data"), ("SYNTHETIC_DATA", "Synthetic data")],
    },
    Vocabulary {
        base: eu::PLANNED_AVAILABILITY,
        scheme: "http://publications.europa.eu/resource/authority/planned-availability",
        title: "Planned availability",
        class: None,
        members: &[("AVAILABLE", "available"), ("EXPERIMENTAL", "experimental"), ("STABLE", "stable"), ("TEMPORARY", "temporary")],
    },
    Vocabulary {
        base: eu::ADMS_PUBLISHER_TYPE,
        scheme: eu::ADMS_PUBLISHER_TYPE_SCHEME,
        title: "Publisher type",
        class: None,
        members: &[
            ("Academia-ScientificOrganisation", "Academia/Scientific organisation"),
            ("Company", "Company"),
            ("IndustryConsortium", "Industry consortium"),
            ("LocalAuthority", "Local Authority"),
            ("NationalAuthority", "National authority"),
            ("NonGovernmentalOrganisation", "Non-Governmental Organisation"),
            ("NonProfitOrganisation", "Non-Profit Organisation"),
            ("PrivateIndividual(s)", "Private Individual(s)"),
            ("RegionalAuthority", "Regional authority"),
            ("StandardisationBody", "Standardisation body"),
            ("SupraNationalAuthority", "Supra-national authority"),
        ],
    },
];

/// Licences the catalogue's records use, typed as DCAT-AP's range asks.
const LICENCES: &[&str] = &[
    eu::CC0,
    "http://creativecommons.org/licenses/by/4.0/",
    "http://creativecommons.org/licenses/by-sa/4.0/",
    "http://creativecommons.org/licenses/by-nd/4.0/",
    "http://creativecommons.org/licenses/by-nc/4.0/",
    "http://creativecommons.org/licenses/by-nc-sa/4.0/",
    "http://creativecommons.org/licenses/by-nc-nd/4.0/",
];

/// Legislation the catalogue's records name in `dcatap:applicableLegislation`.
const LEGISLATION: &[&str] = &[eu::EHDS_ELI, eu::HVD_ELI, eu::DGA_ELI];

/// The background graph of the EU controlled vocabularies (plus the IANA media types of the EU
/// file types, the Creative Commons licences and the EU legislation the catalogue names).
pub fn eu_vocabularies() -> Graph {
    let mut g = Graph::new();
    let en = |s: &str| Literal::new_language_tagged_literal_unchecked(s, "en");
    for v in VOCABULARIES {
        let scheme = NamedNode::new_unchecked(v.scheme);
        g.insert(TripleRef::new(&scheme, rdf::TYPE, skos::CONCEPT_SCHEME));
        g.insert(TripleRef::new(&scheme, dct::TITLE, &en(v.title)));
        for (code, label) in v.members {
            let member = NamedNode::new_unchecked(format!("{}{code}", v.base));
            g.insert(TripleRef::new(&member, rdf::TYPE, skos::CONCEPT));
            g.insert(TripleRef::new(&member, skos::IN_SCHEME, &scheme));
            g.insert(TripleRef::new(&member, skos::PREF_LABEL, &en(label)));
            if let Some(class) = v.class {
                g.insert(TripleRef::new(&member, rdf::TYPE, class));
            }
        }
    }
    // EU file types (whose labels are their codes) and the IANA media types beside them
    let file_types = NamedNode::new_unchecked(eu::scheme_of(eu::FILE_TYPE));
    g.insert(TripleRef::new(&file_types, rdf::TYPE, skos::CONCEPT_SCHEME));
    g.insert(TripleRef::new(&file_types, dct::TITLE, &en("File type")));
    for (code, media_type) in eu::FILE_TYPES {
        let member = NamedNode::new_unchecked(format!("{}{code}", eu::FILE_TYPE));
        g.insert(TripleRef::new(&member, rdf::TYPE, skos::CONCEPT));
        g.insert(TripleRef::new(&member, rdf::TYPE, dct::MEDIA_TYPE_OR_EXTENT));
        g.insert(TripleRef::new(&member, skos::IN_SCHEME, &file_types));
        g.insert(TripleRef::new(&member, skos::PREF_LABEL, &en(code)));
        let iana = NamedNode::new_unchecked(format!("{}{media_type}", eu::IANA_MEDIA_TYPES));
        g.insert(TripleRef::new(&iana, rdf::TYPE, dct::MEDIA_TYPE));
    }
    // HealthDCAT-AP Release 8's own vocabularies (the validator's `catalogue/*.rdf`): members
    // typed skos:Concept in their scheme, coding systems and standards also dct:Standard
    let sv = |s: &str| Literal::new_language_tagged_literal_unchecked(s, "sv");
    for list in health_lists::ALL {
        let scheme = NamedNode::new_unchecked(list.scheme());
        g.insert(TripleRef::new(&scheme, rdf::TYPE, skos::CONCEPT_SCHEME));
        g.insert(TripleRef::new(&scheme, dct::TITLE, &en(list.title)));
        let standard = list.base == health::CODING_SYSTEM_BASE || list.base == health::STANDARD_BASE;
        for (code, label_sv, label_en) in list.members {
            let member = NamedNode::new_unchecked(format!("{}{code}", list.base));
            g.insert(TripleRef::new(&member, rdf::TYPE, skos::CONCEPT));
            g.insert(TripleRef::new(&member, skos::IN_SCHEME, &scheme));
            g.insert(TripleRef::new(&member, skos::PREF_LABEL, &en(label_en)));
            g.insert(TripleRef::new(&member, skos::PREF_LABEL, &sv(label_sv)));
            if standard {
                g.insert(TripleRef::new(&member, rdf::TYPE, dct::STANDARD));
            }
        }
    }
    for l in LICENCES {
        g.insert(TripleRef::new(NamedNodeRef::new_unchecked(l), rdf::TYPE, dct::LICENSE_DOCUMENT));
    }
    for l in LEGISLATION {
        g.insert(TripleRef::new(NamedNodeRef::new_unchecked(l), rdf::TYPE, eli::LEGAL_RESOURCE));
    }
    g
}

/// The EU licence authority table; its members (`…/licence/CC_BY_4_0`) are known licences.
pub const EU_LICENCE: &str = "http://publications.europa.eu/resource/authority/licence/";

/// Whether `iri` is a member of the vocabulary whose members are `{base}{code}`, as described
/// here (a code this module does not list is not a member).
pub fn is_member(base: &str, iri: &str) -> bool {
    if let Some(list) = health_lists::ALL.iter().find(|l| l.base == base) {
        return list.contains(iri);
    }
    let Some(code) = iri.strip_prefix(base) else { return false };
    if base == eu::FILE_TYPE {
        return eu::FILE_TYPES.iter().any(|(c, _)| *c == code);
    }
    VOCABULARIES.iter().filter(|v| v.base == base).any(|v| v.members.iter().any(|(c, _)| *c == code))
}

/// Whether `iri` is a licence from a vocabulary: the EU licence authority table, or one of the
/// Creative Commons licences DCAT-AP-SE offers (which that table maps one to one).
pub fn is_known_licence(iri: &str) -> bool {
    LICENCES.contains(&iri)
        || iri.strip_prefix(EU_LICENCE).is_some_and(|code| {
            !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_typed_labelled_and_in_their_scheme() {
        let g = eu_vocabularies();
        let swe = NamedNode::new_unchecked(format!("{}SWE", eu::LANGUAGE));
        assert!(g.contains(TripleRef::new(&swe, rdf::TYPE, dct::LINGUISTIC_SYSTEM)));
        assert!(g.contains(TripleRef::new(&swe, rdf::TYPE, skos::CONCEPT)));
        assert!(g.object_for_subject_predicate(&swe, skos::PREF_LABEL).is_some());
        let heal = NamedNode::new_unchecked(format!("{}HEAL", eu::DATA_THEME));
        let scheme = NamedNode::new_unchecked(eu::DATA_THEME_SCHEME);
        assert!(g.contains(TripleRef::new(&heal, skos::IN_SCHEME, &scheme)));
        assert!(g.object_for_subject_predicate(&scheme, dct::TITLE).is_some());
        let made_up = NamedNode::new_unchecked(format!("{}XXX", eu::LANGUAGE));
        assert!(g.triples_for_subject(&made_up).next().is_none(), "unknown codes stay undescribed");
    }

    #[test]
    fn membership_follows_the_listed_codes() {
        assert!(is_member(eu::ACCESS_RIGHT, &format!("{}NON_PUBLIC", eu::ACCESS_RIGHT)));
        assert!(!is_member(eu::ACCESS_RIGHT, &format!("{}SECRET", eu::ACCESS_RIGHT)));
        assert!(is_member(eu::FILE_TYPE, &format!("{}CSV", eu::FILE_TYPE)));
        assert!(!is_member(eu::FILE_TYPE, &format!("{}CSV", eu::LANGUAGE)));
        assert!(is_known_licence("http://creativecommons.org/licenses/by/4.0/"));
        assert!(is_known_licence(&format!("{EU_LICENCE}CC_BY_4_0")));
        assert!(!is_known_licence("https://example.org/my-licence"));
    }
}
