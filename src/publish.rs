//! Publishing: serialising the public catalogue for harvesters and for `vardkatalog export`.
//!
//! Owns: which records leave the catalogue (published and retired only, never drafts), the
//! derived `dcat:dataset` links of the own catalogue, and streaming serialisation: records are
//! read and written one at a time, so an export never holds the whole catalogue in memory.
//! Output is written from the typed model (`Resource::to_graph`), never from raw stored quads.
//! Profiles (DCAT-AP-SE, HealthDCAT-AP) and paging build on this module.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, TripleRef};

use crate::catalog::Catalogue;
use crate::model::record::RecordKind;
use crate::model::vocab::{dcat, PREFIXES};
use crate::store::{Filter, RecordState, StoreError};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the output failed: {0}")]
    Io(#[from] std::io::Error),
}

const BATCH: u64 = 500;

/// Writes every public record, plus the catalogue's `dcat:dataset` links, as one RDF document.
/// Returns the number of triples written.
pub fn write_catalogue(cat: &Catalogue, format: RdfFormat, out: impl Write) -> Result<u64, PublishError> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, ns) in PREFIXES {
        serializer = serializer.with_prefix(*prefix, *ns).expect("the prefixes are valid IRIs");
    }
    let mut writer = serializer.for_writer(out);
    let mut count = 0u64;
    let public = Some(vec![RecordState::Published, RecordState::Retired]);
    let catalog = cat.minter().catalog();
    for kind in RecordKind::ALL {
        let filter = Filter { kind: Some(kind), states: public.clone() };
        let mut offset = 0;
        loop {
            let page = cat.store().list(&filter, offset, BATCH)?;
            if page.is_empty() {
                break;
            }
            for meta in &page {
                if kind == RecordKind::Dataset {
                    writer.serialize_triple(TripleRef::new(&catalog, dcat::DATASET_PROP, &meta.iri))?;
                    count += 1;
                }
                // written from the typed model: the store keeps values, not lexical forms, so
                // datatypes such as xsd:nonNegativeInteger come from the model
                let Some((_, resource)) = cat.public_resource(meta.iri.as_ref())? else { continue };
                for triple in &sorted_triples(&resource.to_graph()) {
                    writer.serialize_triple(triple)?;
                    count += 1;
                }
            }
            offset += BATCH;
        }
    }
    writer.finish()?;
    Ok(count)
}

/// The triples of a graph in a stable order (subject, predicate, object), so that the same
/// record is always written the same way, byte for byte.
pub fn sorted_triples(graph: &oxigraph::model::Graph) -> Vec<oxigraph::model::Triple> {
    let mut triples: Vec<_> = graph.iter().map(|t| t.into_owned()).collect();
    triples.sort_by_cached_key(|t| (t.subject.to_string(), t.predicate.as_str().to_owned(), t.object.to_string()));
    triples
}

/// The IRI of the own catalogue.
pub fn catalog_iri(cat: &Catalogue) -> NamedNode {
    cat.minter().catalog()
}
