//! Deterministic synthetic catalogues, for tests and benchmarks only.
//!
//! Owns: a generator of complete, valid datasets (each with one distribution and a number of
//! variables), named `dataset/syn-{prefix}-{n}`, that refer to the seed's publisher and HDAB.
//! The same arguments always give the same triples, so benchmark runs compare. Nothing here is
//! a fact about real data: the records say so in their descriptions.

use oxigraph::model::{Graph, Literal, NamedNode, TripleRef};

use crate::model::vocab::{dcat, dcatap, dct, disco, eu, health, healthdcatap, rdf, rdfs, skos, xsd};

/// The shape of a synthetic catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Distinguishes catalogues loaded side by side (`syn-{prefix}-…`).
    pub prefix: &'static str,
    pub datasets: usize,
    pub variables_per_dataset: usize,
}

/// The IRI of synthetic dataset `n`.
pub fn dataset_iri(base: &str, prefix: &str, n: usize) -> NamedNode {
    NamedNode::new_unchecked(format!("{base}dataset/syn-{prefix}-{n:07}"))
}

/// Datasets `range` of the catalogue, as one graph ready to import (import it in chunks to
/// keep memory small).
pub fn chunk(base: &str, spec: &Spec, range: std::ops::Range<usize>) -> Graph {
    let mut g = Graph::new();
    let iri = |path: String| NamedNode::new_unchecked(format!("{base}{path}"));
    let sv = |s: String| Literal::new_language_tagged_literal_unchecked(s, "sv");
    let en = |s: String| Literal::new_language_tagged_literal_unchecked(s, "en");
    let publisher = iri("agent/skr".into());
    let contact = iri("agent/skr#kontakt".into());
    let hdab = iri("agent/hdab".into());
    let heal = NamedNode::new_unchecked(format!("{}HEAL", eu::DATA_THEME));
    let categories = ["PHDR", "MRMR", "NRPE", "DIOH", "EHRS"];
    let access = ["NON_PUBLIC", "PUBLIC", "RESTRICTED"];
    let datatypes = [xsd::STRING, xsd::INTEGER, xsd::DATE, xsd::G_YEAR, xsd::DECIMAL];
    for n in range {
        let p = spec.prefix;
        let ds = dataset_iri(base, p, n);
        let dist = iri(format!("distribution/syn-{p}-{n:07}"));
        let s = ds.as_ref();
        g.insert(TripleRef::new(s, rdf::TYPE, dcat::DATASET));
        g.insert(TripleRef::new(s, dct::IDENTIFIER, &Literal::new_simple_literal(format!("syn-{p}-{n:07}"))));
        g.insert(TripleRef::new(s, dct::TITLE, &sv(format!("Syntetisk datamängd {p} {n}"))));
        g.insert(TripleRef::new(s, dct::TITLE, &en(format!("Synthetic dataset {p} {n}"))));
        g.insert(TripleRef::new(
            s,
            dct::DESCRIPTION,
            &sv(format!("Genererad testdatamängd nummer {n} för prov och mätningar; beskriver inga verkliga data.")),
        ));
        g.insert(TripleRef::new(s, dct::PUBLISHER, &publisher));
        g.insert(TripleRef::new(s, dcat::CONTACT_POINT, &contact));
        g.insert(TripleRef::new(s, dcat::KEYWORD, &sv("syntetisk".into())));
        g.insert(TripleRef::new(s, dcat::THEME, &heal));
        g.insert(TripleRef::new(s, dct::SPATIAL, &NamedNode::new_unchecked(format!("{}SWE", eu::COUNTRY))));
        g.insert(TripleRef::new(s, dct::LANGUAGE, &NamedNode::new_unchecked(format!("{}SWE", eu::LANGUAGE))));
        g.insert(TripleRef::new(
            s,
            dct::ACCESS_RIGHTS,
            &NamedNode::new_unchecked(format!("{}{}", eu::ACCESS_RIGHT, access[n % access.len()])),
        ));
        g.insert(TripleRef::new(s, dct::TYPE, &NamedNode::new_unchecked(format!("{}SYNTHETIC_DATA", eu::DATASET_TYPE))));
        g.insert(TripleRef::new(s, dcat::DISTRIBUTION_PROP, &dist));
        g.insert(TripleRef::new(s, dcatap::APPLICABLE_LEGISLATION, &NamedNode::new_unchecked(eu::EHDS_ELI)));
        g.insert(TripleRef::new(
            s,
            healthdcatap::HEALTH_CATEGORY,
            &NamedNode::new_unchecked(format!("{}{}", health::CATEGORY_BASE, categories[n % categories.len()])),
        ));
        g.insert(TripleRef::new(s, healthdcatap::HDAB, &hdab));
        // how the (generated) data came about, as HealthDCAT-AP asks of NON_PUBLIC datasets
        let provenance = oxigraph::model::BlankNode::new_unchecked(format!("prov{p}{n}"));
        g.insert(TripleRef::new(s, dct::PROVENANCE, &provenance));
        g.insert(TripleRef::new(&provenance, rdf::TYPE, dct::PROVENANCE_STATEMENT));
        g.insert(TripleRef::new(
            &provenance,
            rdfs::LABEL,
            &sv("Genererad av vardkatalog::synthetic för prov och mätningar; inga verkliga uppgifter.".into()),
        ));
        g.insert(TripleRef::new(
            s,
            healthdcatap::NUMBER_OF_RECORDS,
            &Literal::new_typed_literal((1000 + n).to_string(), xsd::NON_NEGATIVE_INTEGER),
        ));
        let d = dist.as_ref();
        g.insert(TripleRef::new(d, rdf::TYPE, dcat::DISTRIBUTION));
        g.insert(TripleRef::new(d, dct::TITLE, &sv(format!("Beställning {n}"))));
        g.insert(TripleRef::new(d, dcat::ACCESS_URL, &NamedNode::new_unchecked(format!("https://example.org/bestall/{p}/{n}"))));
        g.insert(TripleRef::new(d, dct::FORMAT, &NamedNode::new_unchecked(format!("{}CSV", eu::FILE_TYPE))));
        g.insert(TripleRef::new(d, dcatap::APPLICABLE_LEGISLATION, &NamedNode::new_unchecked(eu::EHDS_ELI)));
        for v in 0..spec.variables_per_dataset {
            let var = iri(format!("variable/syn-{p}-{n:07}-{v:04}"));
            let x = var.as_ref();
            g.insert(TripleRef::new(x, rdf::TYPE, disco::VARIABLE));
            g.insert(TripleRef::new(x, skos::NOTATION, &Literal::new_simple_literal(format!("V{v:04}"))));
            g.insert(TripleRef::new(x, skos::PREF_LABEL, &sv(format!("Variabel {v} i datamängd {n}"))));
            g.insert(TripleRef::new(x, skos::DEFINITION, &sv(format!("Genererad variabel {v}."))));
            g.insert(TripleRef::new(x, disco::REPRESENTATION, datatypes[v % datatypes.len()]));
            g.insert(TripleRef::new(x, rdfs::COMMENT, &sv("syntetisk".into())));
            g.insert(TripleRef::new(s, disco::VARIABLE_PROP, x));
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_spec_gives_the_same_graph() {
        let spec = Spec { prefix: "t", datasets: 3, variables_per_dataset: 2 };
        let a = chunk("https://k.se/", &spec, 0..3);
        let b = chunk("https://k.se/", &spec, 0..3);
        assert_eq!(a, b);
        assert_eq!(a.triples_for_predicate(disco::VARIABLE_PROP).count(), 6);
    }
}
