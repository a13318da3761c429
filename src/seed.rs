//! The seed catalogue (`catalog-seed/*.ttl`), embedded at build time.
//!
//! The Turtle files use relative IRIs and no `@base`: they are resolved against the configured
//! base IRI, so the same seed serves any deployment.

use oxigraph::io::RdfFormat;
use oxigraph::model::Graph;

use crate::catalog::{parse_document, ImportError};

include!(concat!(env!("OUT_DIR"), "/seed_files.rs"));

/// The whole seed as one graph, its IRIs resolved against `base_iri`.
pub fn graph(base_iri: &str) -> Result<Graph, ImportError> {
    let mut graph = Graph::new();
    for (name, text) in FILES {
        let part = parse_document(text.as_bytes(), RdfFormat::Turtle, base_iri)
            .map_err(|e| ImportError::SyntaxNoPosition { message: format!("catalog-seed/{name}: {e}") })?;
        for t in part.iter() {
            graph.insert(t);
        }
    }
    Ok(graph)
}
