//! Datasets (with subsets and series), distributions and data services: DCAT-AP 3.0.1,
//! DCAT-AP-SE 3.0.1 and the HealthDCAT-AP dataset properties.

use oxigraph::model::{Graph, NamedNode, Triple};

use super::ModelError;
use super::rdf::{LangString, LangText, Node, Period, Temporal, Writer};
use super::vocab::{adms, dcat, dcatap, dct, dpv, foaf, geodcatap, health, healthdcatap, prov, skos, vk, xsd};

/// IRIs with an older HealthDCAT-AP vocabulary base read with the Release 8 one
/// (`vocab::health::upgrade`), sorted and without duplicates.
pub(crate) fn upgrade_all(iris: Vec<NamedNode>) -> Vec<NamedNode> {
    let mut out: Vec<NamedNode> = iris.into_iter().map(upgrade).collect();
    out.sort();
    out.dedup();
    out
}

/// One IRI read with the Release 8 vocabulary base, when it carries an older one.
pub(crate) fn upgrade(iri: NamedNode) -> NamedNode {
    match health::upgrade(iri.as_str()).and_then(|u| NamedNode::new(u).ok()) {
        Some(u) => u,
        None => iri,
    }
}

/// A qualified attribution: an agent in a role (INSPIRE ResponsiblePartyRole), e.g. the owner.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attribution {
    pub agent: NamedNode,
    pub role: NamedNode,
}

/// The agent attributed the INSPIRE role *owner*, if any.
pub(crate) fn owner_of(attributions: &[Attribution]) -> Option<&NamedNode> {
    attributions.iter().find(|a| a.role.as_str() == super::vocab::eu::ROLE_OWNER).map(|a| &a.agent)
}

pub(crate) fn read_attributions(n: &mut Node<'_>) -> Vec<Attribution> {
    use super::vocab::rdf;
    let known = [rdf::TYPE, prov::AGENT, dcat::HAD_ROLE];
    let mut out = Vec::new();
    for b in n.blank_children(prov::QUALIFIED_ATTRIBUTION, &known) {
        let mut child = n.child(prov::QUALIFIED_ATTRIBUTION, &b);
        child.take_type(prov::ATTRIBUTION);
        match (child.iri(prov::AGENT), child.iri(dcat::HAD_ROLE)) {
            (Some(agent), Some(role)) => out.push(Attribution { agent, role }),
            // incomplete attributions are rare; keep what we can read rather than fail
            (Some(agent), None) => out.push(Attribution { agent, role: NamedNode::new_unchecked(super::vocab::eu::ROLE_OWNER) }),
            _ => {}
        }
    }
    out.sort();
    out
}

pub(crate) fn write_attributions(w: &mut Writer<'_>, s: &NamedNode, attributions: &[Attribution]) {
    for a in attributions {
        let b = w.blank(s.as_ref().into(), prov::QUALIFIED_ATTRIBUTION, prov::ATTRIBUTION);
        w.iri(b.as_ref().into(), prov::AGENT, Some(&a.agent));
        w.iri(b.as_ref().into(), dcat::HAD_ROLE, Some(&a.role));
    }
}

/// Whether a dataset is a plain `dcat:Dataset` or a `dcat:DatasetSeries`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatasetKind {
    Dataset,
    Series,
}

/// A `dcat:Dataset` (or `dcat:DatasetSeries`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    pub iri: NamedNode,
    pub kind: DatasetKind,
    pub identifier: Option<String>,
    pub title: LangText,
    pub description: LangText,
    pub publisher: Option<NamedNode>,
    pub contact_points: Vec<NamedNode>,
    pub keywords: Vec<LangString>,
    pub themes: Vec<NamedNode>,
    pub issued: Option<Temporal>,
    pub modified: Option<Temporal>,
    pub spatial: Vec<NamedNode>,
    pub temporal: Vec<Period>,
    pub access_rights: Option<NamedNode>,
    pub accrual_periodicity: Option<NamedNode>,
    pub languages: Vec<NamedNode>,
    pub dataset_type: Option<NamedNode>,
    pub landing_pages: Vec<NamedNode>,
    pub pages: Vec<NamedNode>,
    pub conforms_to: Vec<NamedNode>,
    pub provenance: Vec<LangText>,
    pub distributions: Vec<NamedNode>,
    pub applicable_legislation: Vec<NamedNode>,
    /// Subsets name their parent (`dct:isPartOf`).
    pub is_part_of: Vec<NamedNode>,
    pub in_series: Vec<NamedNode>,
    pub version: Option<String>,
    pub version_notes: LangText,
    pub attributions: Vec<Attribution>,
    // HealthDCAT-AP
    pub health_categories: Vec<NamedNode>,
    pub health_themes: Vec<NamedNode>,
    pub hdab: Option<NamedNode>,
    /// The health data holder (`geodcatap:custodian`, EHDS Art. 2(2)(t)).
    pub custodian: Option<NamedNode>,
    /// Coding systems in use: the catalogue's own `dct:Standard` records (or vocabulary IRIs).
    pub coding_systems: Vec<NamedNode>,
    /// Code values in use, as free text (Release 8: literals, e.g. "U07.1"). Values that older
    /// records hold as concept IRIs are read as the IRI's text.
    pub code_values: Vec<String>,
    /// Whether the dataset holds structured data whose variables can be described
    /// (`healthdcatap:hasStructuredData`). `None`: not stated; the profiles then derive it from
    /// whether the catalogue holds variables of the dataset.
    pub has_structured_data: Option<bool>,
    /// The kinds of activity that generated the data (`prov:wasGeneratedBy`, Release 8 health
    /// activity vocabulary), each published as `[ a prov:Activity ; dct:type <…> ]`.
    pub generated_by: Vec<NamedNode>,
    pub number_of_records: Option<u64>,
    pub number_of_unique_individuals: Option<u64>,
    pub min_typical_age: Option<u64>,
    pub max_typical_age: Option<u64>,
    pub population_coverage: LangText,
    pub personal_data: Vec<NamedNode>,
    pub purposes: Vec<NamedNode>,
    pub legal_bases: Vec<NamedNode>,
    // curation
    pub needs_input: bool,
    pub editorial_note: LangText,
    pub extra: Vec<Triple>,
}

impl Dataset {
    /// A dataset with only its IRI and title; every other field empty.
    pub fn new(iri: NamedNode, title: LangText) -> Self {
        Self {
            iri,
            kind: DatasetKind::Dataset,
            identifier: None,
            title,
            description: LangText::new(),
            publisher: None,
            contact_points: Vec::new(),
            keywords: Vec::new(),
            themes: Vec::new(),
            issued: None,
            modified: None,
            spatial: Vec::new(),
            temporal: Vec::new(),
            access_rights: None,
            accrual_periodicity: None,
            languages: Vec::new(),
            dataset_type: None,
            landing_pages: Vec::new(),
            pages: Vec::new(),
            conforms_to: Vec::new(),
            provenance: Vec::new(),
            distributions: Vec::new(),
            applicable_legislation: Vec::new(),
            is_part_of: Vec::new(),
            in_series: Vec::new(),
            version: None,
            version_notes: LangText::new(),
            attributions: Vec::new(),
            health_categories: Vec::new(),
            health_themes: Vec::new(),
            hdab: None,
            custodian: None,
            coding_systems: Vec::new(),
            code_values: Vec::new(),
            has_structured_data: None,
            generated_by: Vec::new(),
            number_of_records: None,
            number_of_unique_individuals: None,
            min_typical_age: None,
            max_typical_age: None,
            population_coverage: LangText::new(),
            personal_data: Vec::new(),
            purposes: Vec::new(),
            legal_bases: Vec::new(),
            needs_input: false,
            editorial_note: LangText::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        let mut n = Node::new(graph, iri.clone());
        // a series that is also typed dcat:Dataset keeps that type in `extra`
        let series = n.take_type(dcat::DATASET_SERIES);
        if !series {
            n.take_type(dcat::DATASET);
        }
        Ok(Self {
            iri: iri.clone(),
            kind: if series { DatasetKind::Series } else { DatasetKind::Dataset },
            identifier: n.string(dct::IDENTIFIER),
            title: n.text(dct::TITLE),
            description: n.text(dct::DESCRIPTION),
            publisher: n.iri(dct::PUBLISHER),
            contact_points: n.iris(dcat::CONTACT_POINT),
            keywords: n.lang_strings(dcat::KEYWORD),
            themes: n.iris(dcat::THEME),
            issued: n.temporal(dct::ISSUED)?,
            modified: n.temporal(dct::MODIFIED)?,
            spatial: n.iris(dct::SPATIAL),
            temporal: n.periods(dct::TEMPORAL)?,
            access_rights: n.iri(dct::ACCESS_RIGHTS),
            accrual_periodicity: n.iri(dct::ACCRUAL_PERIODICITY),
            languages: n.iris(dct::LANGUAGE),
            dataset_type: n.iri(dct::TYPE),
            landing_pages: n.iris(dcat::LANDING_PAGE),
            pages: n.iris(foaf::PAGE),
            conforms_to: upgrade_all(n.iris(dct::CONFORMS_TO)),
            provenance: n.statements(dct::PROVENANCE, dct::PROVENANCE_STATEMENT),
            distributions: n.iris(dcat::DISTRIBUTION_PROP),
            applicable_legislation: n.iris(dcatap::APPLICABLE_LEGISLATION),
            is_part_of: n.iris(dct::IS_PART_OF),
            in_series: n.iris(dcat::IN_SERIES),
            version: n.string(dcat::VERSION),
            version_notes: n.text(adms::VERSION_NOTES),
            attributions: read_attributions(&mut n),
            health_categories: upgrade_all(n.iris(healthdcatap::HEALTH_CATEGORY)),
            health_themes: upgrade_all(n.iris(healthdcatap::HEALTH_THEME)),
            hdab: n.iri(healthdcatap::HDAB),
            custodian: n.iri(geodcatap::CUSTODIAN),
            coding_systems: upgrade_all(n.iris(healthdcatap::HAS_CODING_SYSTEM)),
            code_values: {
                let mut v = n.strings(healthdcatap::HAS_CODE_VALUES);
                v.extend(n.iris(healthdcatap::HAS_CODE_VALUES).into_iter().map(|i| i.into_string()));
                v.sort();
                v.dedup();
                v
            },
            has_structured_data: n.boolean(healthdcatap::HAS_STRUCTURED_DATA)?,
            generated_by: upgrade_all(n.activities(prov::WAS_GENERATED_BY)),
            number_of_records: n.unsigned(healthdcatap::NUMBER_OF_RECORDS)?,
            number_of_unique_individuals: n.unsigned(healthdcatap::NUMBER_OF_UNIQUE_INDIVIDUALS)?,
            min_typical_age: n.unsigned(healthdcatap::MIN_TYPICAL_AGE)?,
            max_typical_age: n.unsigned(healthdcatap::MAX_TYPICAL_AGE)?,
            population_coverage: n.text(healthdcatap::POPULATION_COVERAGE),
            personal_data: n.iris(dpv::HAS_PERSONAL_DATA),
            purposes: n.iris(dpv::HAS_PURPOSE),
            legal_bases: n.iris(dpv::HAS_LEGAL_BASIS),
            needs_input: n.flag(vk::NEEDS_INPUT),
            editorial_note: n.text(skos::EDITORIAL_NOTE),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let s = self.iri.as_ref().into();
        w.typ(
            s,
            match self.kind {
                DatasetKind::Dataset => dcat::DATASET,
                DatasetKind::Series => dcat::DATASET_SERIES,
            },
        );
        w.string(s, dct::IDENTIFIER, self.identifier.as_deref());
        w.text(s, dct::TITLE, &self.title);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.iri(s, dct::PUBLISHER, self.publisher.as_ref());
        w.iris(s, dcat::CONTACT_POINT, &self.contact_points);
        w.lang_strings(s, dcat::KEYWORD, &self.keywords);
        w.iris(s, dcat::THEME, &self.themes);
        w.temporal(s, dct::ISSUED, self.issued.as_ref());
        w.temporal(s, dct::MODIFIED, self.modified.as_ref());
        w.iris(s, dct::SPATIAL, &self.spatial);
        w.periods(s, dct::TEMPORAL, &self.temporal);
        w.iri(s, dct::ACCESS_RIGHTS, self.access_rights.as_ref());
        w.iri(s, dct::ACCRUAL_PERIODICITY, self.accrual_periodicity.as_ref());
        w.iris(s, dct::LANGUAGE, &self.languages);
        w.iri(s, dct::TYPE, self.dataset_type.as_ref());
        w.iris(s, dcat::LANDING_PAGE, &self.landing_pages);
        w.iris(s, foaf::PAGE, &self.pages);
        w.iris(s, dct::CONFORMS_TO, &self.conforms_to);
        w.statements(s, dct::PROVENANCE, dct::PROVENANCE_STATEMENT, &self.provenance);
        w.iris(s, dcat::DISTRIBUTION_PROP, &self.distributions);
        w.iris(s, dcatap::APPLICABLE_LEGISLATION, &self.applicable_legislation);
        w.iris(s, dct::IS_PART_OF, &self.is_part_of);
        w.iris(s, dcat::IN_SERIES, &self.in_series);
        w.string(s, dcat::VERSION, self.version.as_deref());
        w.text(s, adms::VERSION_NOTES, &self.version_notes);
        write_attributions(w, &self.iri, &self.attributions);
        w.iris(s, healthdcatap::HEALTH_CATEGORY, &self.health_categories);
        w.iris(s, healthdcatap::HEALTH_THEME, &self.health_themes);
        w.iri(s, healthdcatap::HDAB, self.hdab.as_ref());
        w.iri(s, geodcatap::CUSTODIAN, self.custodian.as_ref());
        w.iris(s, healthdcatap::HAS_CODING_SYSTEM, &self.coding_systems);
        w.strings(s, healthdcatap::HAS_CODE_VALUES, &self.code_values);
        w.boolean(s, healthdcatap::HAS_STRUCTURED_DATA, self.has_structured_data);
        w.activities(s, prov::WAS_GENERATED_BY, &self.generated_by);
        w.unsigned(s, healthdcatap::NUMBER_OF_RECORDS, self.number_of_records, xsd::NON_NEGATIVE_INTEGER);
        w.unsigned(s, healthdcatap::NUMBER_OF_UNIQUE_INDIVIDUALS, self.number_of_unique_individuals, xsd::NON_NEGATIVE_INTEGER);
        w.unsigned(s, healthdcatap::MIN_TYPICAL_AGE, self.min_typical_age, xsd::NON_NEGATIVE_INTEGER);
        w.unsigned(s, healthdcatap::MAX_TYPICAL_AGE, self.max_typical_age, xsd::NON_NEGATIVE_INTEGER);
        w.text(s, healthdcatap::POPULATION_COVERAGE, &self.population_coverage);
        w.iris(s, dpv::HAS_PERSONAL_DATA, &self.personal_data);
        w.iris(s, dpv::HAS_PURPOSE, &self.purposes);
        w.iris(s, dpv::HAS_LEGAL_BASIS, &self.legal_bases);
        w.flag(s, vk::NEEDS_INPUT, self.needs_input);
        w.text(s, skos::EDITORIAL_NOTE, &self.editorial_note);
        w.extra(&self.extra);
    }

    /// The owner named by a qualified attribution, if any.
    pub fn owner(&self) -> Option<&NamedNode> {
        owner_of(&self.attributions)
    }
}

/// A `dcat:Distribution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    pub iri: NamedNode,
    pub title: LangText,
    pub description: LangText,
    pub access_urls: Vec<NamedNode>,
    pub download_urls: Vec<NamedNode>,
    /// EU file-type NAL IRI (or, harvested, an IANA media type literal kept in `extra`).
    pub format: Option<NamedNode>,
    /// IANA media type IRI.
    pub media_type: Option<NamedNode>,
    pub license: Option<NamedNode>,
    pub rights: Vec<LangText>,
    pub availability: Option<NamedNode>,
    pub applicable_legislation: Vec<NamedNode>,
    pub byte_size: Option<u64>,
    pub access_services: Vec<NamedNode>,
    pub languages: Vec<NamedNode>,
    pub conforms_to: Vec<NamedNode>,
    pub pages: Vec<NamedNode>,
    pub issued: Option<Temporal>,
    pub modified: Option<Temporal>,
    pub status: Option<NamedNode>,
    pub extra: Vec<Triple>,
}

impl Distribution {
    pub fn new(iri: NamedNode) -> Self {
        Self {
            iri,
            title: LangText::new(),
            description: LangText::new(),
            access_urls: Vec::new(),
            download_urls: Vec::new(),
            format: None,
            media_type: None,
            license: None,
            rights: Vec::new(),
            availability: None,
            applicable_legislation: Vec::new(),
            byte_size: None,
            access_services: Vec::new(),
            languages: Vec::new(),
            conforms_to: Vec::new(),
            pages: Vec::new(),
            issued: None,
            modified: None,
            status: None,
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        let mut n = Node::new(graph, iri.clone());
        n.take_type(dcat::DISTRIBUTION);
        Ok(Self {
            iri: iri.clone(),
            title: n.text(dct::TITLE),
            description: n.text(dct::DESCRIPTION),
            access_urls: n.iris(dcat::ACCESS_URL),
            download_urls: n.iris(dcat::DOWNLOAD_URL),
            format: n.iri(dct::FORMAT),
            media_type: n.iri(dcat::MEDIA_TYPE),
            license: n.iri(dct::LICENSE),
            rights: n.statements(dct::RIGHTS, dct::RIGHTS_STATEMENT),
            availability: n.iri(dcatap::AVAILABILITY),
            applicable_legislation: n.iris(dcatap::APPLICABLE_LEGISLATION),
            byte_size: n.unsigned(dcat::BYTE_SIZE)?,
            access_services: n.iris(dcat::ACCESS_SERVICE),
            languages: n.iris(dct::LANGUAGE),
            conforms_to: n.iris(dct::CONFORMS_TO),
            pages: n.iris(foaf::PAGE),
            issued: n.temporal(dct::ISSUED)?,
            modified: n.temporal(dct::MODIFIED)?,
            status: n.iri(adms::STATUS),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let s = self.iri.as_ref().into();
        w.typ(s, dcat::DISTRIBUTION);
        w.text(s, dct::TITLE, &self.title);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.iris(s, dcat::ACCESS_URL, &self.access_urls);
        w.iris(s, dcat::DOWNLOAD_URL, &self.download_urls);
        w.iri(s, dct::FORMAT, self.format.as_ref());
        w.iri(s, dcat::MEDIA_TYPE, self.media_type.as_ref());
        w.iri(s, dct::LICENSE, self.license.as_ref());
        w.statements(s, dct::RIGHTS, dct::RIGHTS_STATEMENT, &self.rights);
        w.iri(s, dcatap::AVAILABILITY, self.availability.as_ref());
        w.iris(s, dcatap::APPLICABLE_LEGISLATION, &self.applicable_legislation);
        w.unsigned(s, dcat::BYTE_SIZE, self.byte_size, xsd::NON_NEGATIVE_INTEGER);
        w.iris(s, dcat::ACCESS_SERVICE, &self.access_services);
        w.iris(s, dct::LANGUAGE, &self.languages);
        w.iris(s, dct::CONFORMS_TO, &self.conforms_to);
        w.iris(s, foaf::PAGE, &self.pages);
        w.temporal(s, dct::ISSUED, self.issued.as_ref());
        w.temporal(s, dct::MODIFIED, self.modified.as_ref());
        w.iri(s, adms::STATUS, self.status.as_ref());
        w.extra(&self.extra);
    }

    /// The IANA media type as text ("text/csv"), from `dcat:mediaType`.
    pub fn media_type_label(&self) -> Option<&str> {
        self.media_type.as_ref().map(|m| m.as_str().trim_start_matches(super::vocab::eu::IANA_MEDIA_TYPES))
    }
}

/// A `dcat:DataService`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataService {
    pub iri: NamedNode,
    pub title: LangText,
    pub description: LangText,
    pub endpoint_urls: Vec<NamedNode>,
    pub endpoint_descriptions: Vec<NamedNode>,
    pub formats: Vec<NamedNode>,
    pub publisher: Option<NamedNode>,
    pub contact_points: Vec<NamedNode>,
    pub keywords: Vec<LangString>,
    pub themes: Vec<NamedNode>,
    pub serves_datasets: Vec<NamedNode>,
    pub access_rights: Option<NamedNode>,
    pub license: Option<NamedNode>,
    pub conforms_to: Vec<NamedNode>,
    pub landing_pages: Vec<NamedNode>,
    pub service_type: Option<NamedNode>,
    pub applicable_legislation: Vec<NamedNode>,
    pub extra: Vec<Triple>,
}

impl DataService {
    pub fn new(iri: NamedNode, title: LangText) -> Self {
        Self {
            iri,
            title,
            description: LangText::new(),
            endpoint_urls: Vec::new(),
            endpoint_descriptions: Vec::new(),
            formats: Vec::new(),
            publisher: None,
            contact_points: Vec::new(),
            keywords: Vec::new(),
            themes: Vec::new(),
            serves_datasets: Vec::new(),
            access_rights: None,
            license: None,
            conforms_to: Vec::new(),
            landing_pages: Vec::new(),
            service_type: None,
            applicable_legislation: Vec::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        let mut n = Node::new(graph, iri.clone());
        n.take_type(dcat::DATA_SERVICE);
        Ok(Self {
            iri: iri.clone(),
            title: n.text(dct::TITLE),
            description: n.text(dct::DESCRIPTION),
            endpoint_urls: n.iris(dcat::ENDPOINT_URL),
            endpoint_descriptions: n.iris(dcat::ENDPOINT_DESCRIPTION),
            formats: n.iris(dct::FORMAT),
            publisher: n.iri(dct::PUBLISHER),
            contact_points: n.iris(dcat::CONTACT_POINT),
            keywords: n.lang_strings(dcat::KEYWORD),
            themes: n.iris(dcat::THEME),
            serves_datasets: n.iris(dcat::SERVES_DATASET),
            access_rights: n.iri(dct::ACCESS_RIGHTS),
            license: n.iri(dct::LICENSE),
            conforms_to: n.iris(dct::CONFORMS_TO),
            landing_pages: n.iris(dcat::LANDING_PAGE),
            service_type: n.iri(dct::TYPE),
            applicable_legislation: n.iris(dcatap::APPLICABLE_LEGISLATION),
            extra: Vec::new(),
        })
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let s = self.iri.as_ref().into();
        w.typ(s, dcat::DATA_SERVICE);
        w.text(s, dct::TITLE, &self.title);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.iris(s, dcat::ENDPOINT_URL, &self.endpoint_urls);
        w.iris(s, dcat::ENDPOINT_DESCRIPTION, &self.endpoint_descriptions);
        w.iris(s, dct::FORMAT, &self.formats);
        w.iri(s, dct::PUBLISHER, self.publisher.as_ref());
        w.iris(s, dcat::CONTACT_POINT, &self.contact_points);
        w.lang_strings(s, dcat::KEYWORD, &self.keywords);
        w.iris(s, dcat::THEME, &self.themes);
        w.iris(s, dcat::SERVES_DATASET, &self.serves_datasets);
        w.iri(s, dct::ACCESS_RIGHTS, self.access_rights.as_ref());
        w.iri(s, dct::LICENSE, self.license.as_ref());
        w.iris(s, dct::CONFORMS_TO, &self.conforms_to);
        w.iris(s, dcat::LANDING_PAGE, &self.landing_pages);
        w.iri(s, dct::TYPE, self.service_type.as_ref());
        w.iris(s, dcatap::APPLICABLE_LEGISLATION, &self.applicable_legislation);
        w.extra(&self.extra);
    }
}
