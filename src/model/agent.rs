//! Agents (publishers, owners, the HDAB) and their vCard contact points.

use oxigraph::model::{Graph, NamedNode, Triple};

use super::ModelError;
use super::rdf::{LangText, Node, Writer};
use super::vocab::{cv, dcat, dct, foaf, health, healthdcatap, rdf, vcard};

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
        let mut c = Self {
            iri: Some(iri.clone()),
            organization: organization || !individual,
            name: n.text(vcard::FN),
            emails: n.iris(vcard::HAS_EMAIL),
            telephones: n.iris(vcard::HAS_TELEPHONE),
            urls: n.iris(vcard::HAS_URL),
        };
        c.read_cv(&mut n);
        c
    }

    /// Reads a Core Vocabularies contact point (`cv:email` "a@b", `cv:contactPage` <…>,
    /// `cv:telephone` "…", HealthDCAT-AP Release 7 and later) into the vCard fields, so that a
    /// harvested Release 8 contact and a Release 5 vCard contact are the same record.
    fn read_cv(&mut self, n: &mut Node<'_>) {
        n.take_type(cv::CONTACT_POINT_CLASS);
        for e in n.strings(cv::EMAIL).into_iter().chain(n.iris(cv::EMAIL).into_iter().map(|i| i.into_string())) {
            let address = e.trim().trim_start_matches("mailto:").to_owned();
            if let Ok(m) = NamedNode::new(format!("mailto:{address}"))
                && !address.is_empty()
                && !self.emails.contains(&m)
            {
                self.emails.push(m);
            }
        }
        for page in n.iris(cv::CONTACT_PAGE) {
            if !self.urls.contains(&page) {
                self.urls.push(page);
            }
        }
        for t in n.strings(cv::TELEPHONE) {
            let digits: String = t.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
            if let Ok(tel) = NamedNode::new(format!("tel:{digits}"))
                && !digits.is_empty()
                && !self.telephones.contains(&tel)
            {
                self.telephones.push(tel);
            }
        }
        self.emails.sort();
        self.urls.sort();
        self.telephones.sort();
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
        let mut contact_iri = n.iri(dcat::CONTACT_POINT);
        // a Release 7+ contact (`cv:contactPoint`), an IRI or a blank node, when there is no vCard one
        let cv_contact = n.iri(cv::CONTACT_POINT);
        if contact_iri.is_none() {
            contact_iri = cv_contact.clone();
        } else if let Some(c) = cv_contact.filter(|c| Some(c) != contact_iri.as_ref()) {
            n.restore(cv::CONTACT_POINT, c.into());
        }
        let known = [rdf::TYPE, cv::EMAIL, cv::CONTACT_PAGE, cv::TELEPHONE];
        let mut blank_contact = None;
        if contact_iri.is_none()
            && let Some(b) = n.blank_children(cv::CONTACT_POINT, &known).into_iter().next()
        {
            let own = NamedNode::new_unchecked(format!("{}#kontakt", iri.as_str()));
            let mut child = n.child(cv::CONTACT_POINT, &b);
            let mut c = ContactPoint { iri: Some(own.clone()), organization: true, ..ContactPoint::default() };
            c.read_cv(&mut child);
            contact_iri = Some(own);
            blank_contact = Some(c);
        }
        // dct:type holds the ADMS type (DCAT-AP-SE) or, in Release 8 input, the health type
        let mut publisher_type = None;
        let mut health_publisher_type = n.iri(healthdcatap::PUBLISHER_TYPE).map(super::dataset::upgrade);
        for t in n.iris(dct::TYPE) {
            let t = super::dataset::upgrade(t);
            if t.as_str().starts_with(health::PUBLISHER_TYPE_BASE) && health_publisher_type.is_none() {
                health_publisher_type = Some(t);
            } else if publisher_type.is_none() {
                publisher_type = Some(t);
            } else {
                n.restore(dct::TYPE, t.into());
            }
        }
        let mut agent = Self {
            iri: iri.clone(),
            name: n.text(foaf::NAME),
            description: n.text(dct::DESCRIPTION),
            publisher_type,
            health_publisher_type,
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
        if let Some(c) = blank_contact {
            agent.contact = Some(c);
        } else if let Some(c) = contact_iri.filter(|c| graph.triples_for_subject(c).next().is_some()) {
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
