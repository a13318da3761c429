//! Agents (publishers, owners, the HDAB) and their vCard contact points.

use oxigraph::model::{Graph, NamedNode, Triple};

use super::ModelError;
use super::rdf::{LangText, Node, Writer};
use super::vocab::{dcat, dct, foaf, healthdcatap, vcard};

/// A `vcard:Kind` contact point. It lives in its agent's record (`agent/{id}#kontakt`) or, when
/// harvested, in the record of the dataset that names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactPoint {
    pub iri: Option<NamedNode>,
    /// `vcard:Organization` when true, else `vcard:Individual`.
    pub organization: bool,
    pub name: LangText,
    /// `mailto:` IRIs.
    pub emails: Vec<NamedNode>,
    /// `tel:` IRIs.
    pub telephones: Vec<NamedNode>,
    pub urls: Vec<NamedNode>,
}

impl ContactPoint {
    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Self {
        let mut n = Node::new(graph, iri.clone());
        n.take_type(vcard::KIND);
        let organization = n.take_type(vcard::ORGANIZATION);
        let individual = n.take_type(vcard::INDIVIDUAL);
        Self {
            iri: Some(iri.clone()),
            organization: organization || !individual,
            name: n.text(vcard::FN),
            emails: n.iris(vcard::HAS_EMAIL),
            telephones: n.iris(vcard::HAS_TELEPHONE),
            urls: n.iris(vcard::HAS_URL),
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        let Some(iri) = &self.iri else { return };
        let s = iri.as_ref().into();
        w.typ(s, vcard::KIND);
        w.typ(s, if self.organization { vcard::ORGANIZATION } else { vcard::INDIVIDUAL });
        w.text(s, vcard::FN, &self.name);
        w.iris(s, vcard::HAS_EMAIL, &self.emails);
        w.iris(s, vcard::HAS_TELEPHONE, &self.telephones);
        w.iris(s, vcard::HAS_URL, &self.urls);
    }

    /// The e-mail address without `mailto:`.
    pub fn email(&self) -> Option<&str> {
        self.emails.first().map(|e| e.as_str().trim_start_matches("mailto:"))
    }
}

/// A `foaf:Agent`: an organisation that publishes, owns or grants access to data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    pub iri: NamedNode,
    pub name: LangText,
    pub description: LangText,
    /// ADMS publisher type (`dct:type`), mandatory in DCAT-AP-SE 3.0.1.
    pub publisher_type: Option<NamedNode>,
    /// HealthDCAT-AP publisher type.
    pub health_publisher_type: Option<NamedNode>,
    /// Swedish organisation number (`dct:identifier`).
    pub identifier: Option<String>,
    pub homepage: Option<NamedNode>,
    pub mbox: Option<NamedNode>,
    /// Where a region is: its län in the länskod code list.
    pub spatial: Vec<NamedNode>,
    pub same_as: Vec<NamedNode>,
    /// The agent's contact point (`dcat:contactPoint`).
    pub contact_point: Option<NamedNode>,
    /// Its description, when this record holds it (`#kontakt`).
    pub contact: Option<ContactPoint>,
    pub needs_input: bool,
    pub editorial_note: LangText,
    pub extra: Vec<Triple>,
}

impl Agent {
    pub fn new(iri: NamedNode, name: LangText) -> Self {
        Self {
            iri,
            name,
            description: LangText::new(),
            publisher_type: None,
            health_publisher_type: None,
            identifier: None,
            homepage: None,
            mbox: None,
            spatial: Vec::new(),
            same_as: Vec::new(),
            contact_point: None,
            contact: None,
            needs_input: false,
            editorial_note: LangText::new(),
            extra: Vec::new(),
        }
    }

    pub(crate) fn read(graph: &mut Graph, iri: &NamedNode) -> Result<Self, ModelError> {
        use super::vocab::{owl, skos, vk};
        let mut n = Node::new(graph, iri.clone());
        n.take_type(foaf::AGENT);
        n.take_type(foaf::ORGANIZATION);
        let contact_iri = n.iri(dcat::CONTACT_POINT);
        let mut agent = Self {
            iri: iri.clone(),
            name: n.text(foaf::NAME),
            description: n.text(dct::DESCRIPTION),
            publisher_type: n.iri(dct::TYPE),
            health_publisher_type: n.iri(healthdcatap::PUBLISHER_TYPE),
            identifier: n.string(dct::IDENTIFIER),
            homepage: n.iri(foaf::HOMEPAGE),
            mbox: n.iri(foaf::MBOX),
            spatial: n.iris(dct::SPATIAL),
            same_as: n.iris(owl::SAME_AS),
            contact_point: contact_iri.clone(),
            contact: None,
            needs_input: n.flag(vk::NEEDS_INPUT),
            editorial_note: n.text(skos::EDITORIAL_NOTE),
            extra: Vec::new(),
        };
        if let Some(c) = contact_iri.filter(|c| graph.triples_for_subject(c).next().is_some()) {
            agent.contact = Some(ContactPoint::read(graph, &c));
        }
        Ok(agent)
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        use super::vocab::{owl, skos, vk};
        let s = self.iri.as_ref().into();
        w.typ(s, foaf::AGENT);
        w.typ(s, foaf::ORGANIZATION);
        w.text(s, foaf::NAME, &self.name);
        w.text(s, dct::DESCRIPTION, &self.description);
        w.iri(s, dct::TYPE, self.publisher_type.as_ref());
        w.iri(s, healthdcatap::PUBLISHER_TYPE, self.health_publisher_type.as_ref());
        w.string(s, dct::IDENTIFIER, self.identifier.as_deref());
        w.iri(s, foaf::HOMEPAGE, self.homepage.as_ref());
        w.iri(s, foaf::MBOX, self.mbox.as_ref());
        w.iris(s, dct::SPATIAL, &self.spatial);
        w.iris(s, owl::SAME_AS, &self.same_as);
        w.iri(s, dcat::CONTACT_POINT, self.contact_point.as_ref());
        if let Some(c) = &self.contact {
            c.write(w);
        }
        w.flag(s, vk::NEEDS_INPUT, self.needs_input);
        w.text(s, skos::EDITORIAL_NOTE, &self.editorial_note);
        w.extra(&self.extra);
    }
}
