//! The label in RDF, for `profile=healthdcat-ap`: W3C's Data Quality Vocabulary, as
//! HealthDCAT-AP Release 8 names it (`dqv:hasQualityAnnotation` on the dataset, whose object
//! the Release 8 range shapes require to be a `dqv:QualityCertificate`).
//!
//! - every computed metric is a `dqv:QualityMeasurement` of the dataset
//!   (`dqv:hasQualityMeasurement`), with `dqv:isMeasurementOf` its metric and `dqv:value` its
//!   level (`xsd:integer`); declared and missing metrics are not measurements (the catalogue did
//!   not measure them) and are in the label's JSON;
//! - the label is a `dqv:QualityCertificate` (an annotation, `oa:motivatedBy
//!   dqv:qualityAssessment`) targeting the dataset, whose body is the label as JSON, with the
//!   class and score as its label;
//! - metrics are `dqv:Metric`s `dqv:inDimension` their dimension, dimensions `dqv:inCategory`
//!   their element of Art. 78(3), all under the label specification's page
//!   (`{base}kvalitetsmarkning#…`), written once per document ([`definitions`]).
//!
//! Node IRIs are hash IRIs of the label's page, so the output is the same byte for byte for
//! the same label (no blank nodes).

use oxigraph::model::{Graph, Literal, NamedNode, Triple};

use super::rules::{Label, Status};
use super::spec::{DIMENSIONS, Element, METRICS};
use crate::model::vocab::{dct, dqv, oa, rdf, rdfs, skos, xsd};

fn iri(s: &str) -> NamedNode {
    NamedNode::new_unchecked(s)
}

fn text(g: &mut Graph, s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, sv: &str, en: &str) {
    for (value, lang) in [(sv, "sv"), (en, "en")] {
        if !value.is_empty() {
            g.insert(&Triple::new(s.clone(), p, Literal::new_language_tagged_literal_unchecked(value, lang)));
        }
    }
}

/// The IRI of a metric, dimension or element of the specification page `spec`
/// (`{base}kvalitetsmarkning`).
pub fn term(spec: &str, id: &str) -> NamedNode {
    iri(&format!("{spec}#{id}"))
}

/// The metric, dimension and category definitions (once per document).
pub fn definitions(spec: &str) -> Graph {
    let mut g = Graph::new();
    for e in Element::ALL {
        let n = term(spec, &format!("element-{}", e.id()));
        g.insert(&Triple::new(n.clone(), rdf::TYPE, dqv::CATEGORY));
        text(&mut g, &n, skos::PREF_LABEL, e.name(false), e.name(true));
        text(&mut g, &n, rdfs::COMMENT, &e.reference(false), &e.reference(true));
    }
    for d in DIMENSIONS {
        let n = term(spec, &format!("dimension-{}", d.id));
        g.insert(&Triple::new(n.clone(), rdf::TYPE, dqv::DIMENSION));
        g.insert(&Triple::new(n.clone(), dqv::IN_CATEGORY, term(spec, &format!("element-{}", d.element.id()))));
        text(&mut g, &n, skos::PREF_LABEL, d.sv, d.en);
        text(&mut g, &n, skos::DEFINITION, d.definition_sv, d.definition_en);
    }
    for m in METRICS.iter().filter(|m| !m.dimension.is_empty()) {
        let n = term(spec, &format!("metric-{}", m.id));
        g.insert(&Triple::new(n.clone(), rdf::TYPE, dqv::METRIC));
        g.insert(&Triple::new(n.clone(), dqv::IN_DIMENSION, term(spec, &format!("dimension-{}", m.dimension))));
        g.insert(&Triple::new(n.clone(), dqv::EXPECTED_DATA_TYPE, xsd::INTEGER));
        text(&mut g, &n, skos::PREF_LABEL, m.sv, m.en);
        text(&mut g, &n, skos::DEFINITION, m.rule_sv, m.rule_en);
    }
    g
}

/// The statements about one dataset: its measurements and its label. `page` is the label's
/// page (`{base}dataset/{id}/kvalitetsmarkning`), `json` the label as JSON.
pub fn dataset(label: &Label, dataset: &NamedNode, page: &str, json: &str, spec: &str) -> Graph {
    let mut g = Graph::new();
    for m in label.metrics().filter(|m| m.status == Status::Computed && !m.metric.dimension.is_empty()) {
        let Some(level) = m.level else { continue };
        let n = iri(&format!("{page}#{}", m.metric.id));
        g.insert(&Triple::new(dataset.clone(), dqv::HAS_QUALITY_MEASUREMENT, n.clone()));
        g.insert(&Triple::new(n.clone(), rdf::TYPE, dqv::QUALITY_MEASUREMENT));
        g.insert(&Triple::new(n.clone(), dqv::IS_MEASUREMENT_OF, term(spec, &format!("metric-{}", m.metric.id))));
        g.insert(&Triple::new(n.clone(), dqv::COMPUTED_ON, dataset.clone()));
        g.insert(&Triple::new(n, dqv::VALUE, Literal::new_typed_literal(level.to_string(), xsd::INTEGER)));
    }
    let cert = iri(page);
    g.insert(&Triple::new(dataset.clone(), dqv::HAS_QUALITY_ANNOTATION, cert.clone()));
    g.insert(&Triple::new(cert.clone(), rdf::TYPE, dqv::QUALITY_CERTIFICATE));
    g.insert(&Triple::new(cert.clone(), oa::HAS_TARGET, dataset.clone()));
    g.insert(&Triple::new(cert.clone(), oa::MOTIVATED_BY, dqv::QUALITY_ASSESSMENT));
    g.insert(&Triple::new(cert.clone(), oa::HAS_BODY, iri(json)));
    g.insert(&Triple::new(cert.clone(), dct::CONFORMS_TO, iri(spec)));
    let score = format!("{:.0}", label.score);
    text(
        &mut g,
        &cert,
        rdfs::LABEL,
        &format!("Kvalitets- och nyttomärkning (EHDS art. 78): klass {}, {score} av 100", label.class),
        &format!("Data quality and utility label (EHDS Art. 78): class {}, {score} of 100", label.class),
    );
    g
}
