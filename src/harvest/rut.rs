//! RUT (Vetenskapsrådet's Register Utiliser Tool): RUT has no public API, so a variable list
//! exported from it (CSV or XLSX) is imported through a column mapping (the RUT preset, or
//! `columns` in the source's configuration). A direct feed will follow when Vetenskapsrådet
//! offers one.

use oxigraph::model::Graph;

use super::{Context, HarvestError, Source};

/// The fields a column can be mapped to.
pub const FIELDS: &[&str] = &["register", "variable", "label", "definition", "datatype", "codes", "valid_from", "valid_to"];

/// The RUT source kind.
pub struct Rut;

impl Source for Rut {
    fn read(&self, cx: &mut Context<'_>) -> Result<Graph, HarvestError> {
        Err(HarvestError::Other(format!("{}: RUT exports cannot be read yet (the tabular reader is not in this build)", cx.config.url)))
    }
}
