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

/// The shape of a whole generated catalogue file ([`write_catalogue`]): datasets × variables,
/// with code lists.
#[derive(Clone, Copy, Debug)]
pub struct CatalogueSpec {
    pub datasets: usize,
    pub variables_per_dataset: usize,
}

/// Every how many variables one has its own code list.
pub const CODE_LIST_EVERY: usize = 5;
/// Codes in each generated code list.
pub const CODES_PER_LIST: usize = 13;

/// Writes a whole catalogue as one Turtle document, streaming (one dataset in memory at a time):
/// the publisher and data access body the datasets name, then per dataset its record (as
/// [`chunk`] makes it), its distribution, its variables (technical name, Swedish label and
/// definition, a datatype or a code list) and, for every [`CODE_LIST_EVERY`]th variable, a code
/// list of [`CODES_PER_LIST`] codes. The same spec always gives the same bytes. Returns the
/// number of triples written. The catalogues of the engine benchmark (`benches/engine.rs`):
/// S = 100 × 50, M = 1,000 × 100, L = 5,000 × 200.
pub fn write_catalogue(out: impl std::io::Write, base: &str, spec: &CatalogueSpec) -> std::io::Result<u64> {
    use oxigraph::io::{RdfFormat, RdfSerializer};
    let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
    for (prefix, ns) in crate::model::vocab::PREFIXES {
        serializer = serializer.with_prefix(*prefix, *ns).expect("the prefixes are valid IRIs");
    }
    let mut w = serializer.for_writer(out);
    let mut count = 0u64;
    let iri = |path: String| NamedNode::new_unchecked(format!("{base}{path}"));
    let sv = |s: String| Literal::new_language_tagged_literal_unchecked(s, "sv");
    let en = |s: String| Literal::new_language_tagged_literal_unchecked(s, "en");
    let mut agents = Graph::new();
    let (skr, contact, hdab) = (iri("agent/skr".into()), iri("agent/skr#kontakt".into()), iri("agent/hdab".into()));
    agents.insert(TripleRef::new(&skr, rdf::TYPE, crate::model::vocab::foaf::AGENT));
    agents.insert(TripleRef::new(&skr, crate::model::vocab::foaf::NAME, &sv("Sveriges Kommuner och Regioner (SKR)".into())));
    agents.insert(TripleRef::new(&skr, dcat::CONTACT_POINT, &contact));
    agents.insert(TripleRef::new(&contact, rdf::TYPE, crate::model::vocab::vcard::KIND));
    agents.insert(TripleRef::new(&contact, crate::model::vocab::vcard::FN, &sv("SKR".into())));
    agents.insert(TripleRef::new(&hdab, rdf::TYPE, crate::model::vocab::foaf::AGENT));
    agents.insert(TripleRef::new(&hdab, crate::model::vocab::foaf::NAME, &sv("Myndigheten för vård- och omsorgsanalys".into())));
    for t in &crate::publish::sorted_triples(&agents) {
        w.serialize_triple(t)?;
        count += 1;
    }
    let datatypes = [xsd::STRING, xsd::INTEGER, xsd::DATE, xsd::G_YEAR, xsd::DECIMAL];
    let chunk_spec = Spec { prefix: "g", datasets: spec.datasets, variables_per_dataset: 0 };
    for n in 0..spec.datasets {
        let mut g = chunk(base, &chunk_spec, n..n + 1);
        let ds = dataset_iri(base, "g", n);
        for v in 0..spec.variables_per_dataset {
            let var = iri(format!("variable/syn-g-{n:07}-{v:04}"));
            let x = var.as_ref();
            g.insert(TripleRef::new(x, rdf::TYPE, disco::VARIABLE));
            g.insert(TripleRef::new(x, dct::IDENTIFIER, &Literal::new_simple_literal(format!("syn-g-{n:07}-{v:04}"))));
            g.insert(TripleRef::new(x, skos::NOTATION, &Literal::new_simple_literal(format!("V{v:04}"))));
            g.insert(TripleRef::new(x, skos::PREF_LABEL, &sv(format!("Variabel {v} i datamängd {n}"))));
            g.insert(TripleRef::new(
                x,
                skos::DEFINITION,
                &sv(format!("Genererad variabel {v} i datamängd {n}; beskriver inga verkliga data.")),
            ));
            g.insert(TripleRef::new(&ds, disco::VARIABLE_PROP, x));
            if v % CODE_LIST_EVERY == 0 {
                let list = iri(format!("codelist/syn-g-{n:07}-{v:04}"));
                g.insert(TripleRef::new(x, disco::REPRESENTATION, &list));
                g.insert(TripleRef::new(&list, rdf::TYPE, skos::CONCEPT_SCHEME));
                g.insert(TripleRef::new(&list, dct::IDENTIFIER, &Literal::new_simple_literal(format!("syn-g-{n:07}-{v:04}"))));
                g.insert(TripleRef::new(&list, dct::TITLE, &sv(format!("Kodlista {v} i datamängd {n}"))));
                g.insert(TripleRef::new(&list, dct::TITLE, &en(format!("Code list {v} of dataset {n}"))));
                g.insert(TripleRef::new(&list, skos::PREF_LABEL, &sv(format!("Kodlista {v} i datamängd {n}"))));
                g.insert(TripleRef::new(&list, dct::PUBLISHER, &skr));
                for c in 0..CODES_PER_LIST {
                    let code = iri(format!("codelist/syn-g-{n:07}-{v:04}/{c}"));
                    g.insert(TripleRef::new(&code, rdf::TYPE, skos::CONCEPT));
                    g.insert(TripleRef::new(&code, skos::NOTATION, &Literal::new_simple_literal(c.to_string())));
                    g.insert(TripleRef::new(&code, skos::PREF_LABEL, &sv(format!("Kod {c} i lista {v}"))));
                    g.insert(TripleRef::new(&code, skos::IN_SCHEME, &list));
                }
            } else {
                g.insert(TripleRef::new(x, disco::REPRESENTATION, datatypes[v % datatypes.len()]));
            }
        }
        for t in &crate::publish::sorted_triples(&g) {
            w.serialize_triple(t)?;
            count += 1;
        }
    }
    w.finish()?;
    Ok(count)
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

    #[test]
    fn a_generated_catalogue_file_is_the_same_every_time_and_imports() {
        let spec = CatalogueSpec { datasets: 2, variables_per_dataset: 6 };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let n = write_catalogue(&mut a, "https://k.se/", &spec).unwrap();
        write_catalogue(&mut b, "https://k.se/", &spec).unwrap();
        assert_eq!(a, b);
        let graph = crate::catalog::parse_document(&a[..], oxigraph::io::RdfFormat::Turtle, "https://k.se/").unwrap();
        assert_eq!(graph.len() as u64, n);
        // 2 datasets, 2 distributions, 12 variables, 4 code lists of 13 codes, 2 agents
        let split = crate::model::record::split(&graph, None);
        assert!(split.orphans.is_empty(), "{:?}", split.orphans);
        assert_eq!(split.records.len(), 2 + 2 + 12 + 4 + 4 * CODES_PER_LIST + 2);
        for r in &split.records {
            crate::model::record::Resource::from_graph(r.kind, &r.iri, &r.graph).unwrap();
        }
    }
}
