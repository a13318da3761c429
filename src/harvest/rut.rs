//! RUT (Vetenskapsrådet's Register Utiliser Tool): RUT has no public API, so a variable list
//! exported from it (CSV or XLSX, by URL or file) is read through a column mapping: the RUT
//! preset of the curation import (`ingest::tabular::Mapping::rut`), with `columns` in the
//! source's configuration overriding single fields (`notation = "Variabel"`). A direct feed
//! will follow when Vetenskapsrådet offers one.

use oxigraph::model::Graph;

use super::{Context, HarvestError, Source};
use crate::ingest::tabular::{Column, Mapping};

/// The fields a column can be mapped to (the import's `Column` names).
pub const FIELDS: &[&str] = &[
    "dataset",
    "id",
    "notation",
    "label_sv",
    "label_en",
    "definition_sv",
    "definition_en",
    "datatype",
    "value_set",
    "coding_system",
    "start",
    "end",
    "period",
    "scope_note",
    "source",
    "unit",
    "missing",
    "owner",
];

/// The RUT source kind.
pub struct Rut;

impl Source for Rut {
    fn read(&self, cx: &mut Context<'_>) -> Result<Graph, HarvestError> {
        let mut mapping = Mapping::rut();
        for (field, header) in &cx.config.columns {
            let column: Column = serde_json::from_value(serde_json::Value::String(field.clone()))
                .map_err(|_| HarvestError::Other(format!("columns: unknown field {field:?}; known: {}", FIELDS.join(", "))))?;
            mapping.columns.insert(column, vec![header.clone()]);
        }
        let url = cx.config.url.trim().to_owned();
        cx.progress(format!("reading {url}"), 0, None);
        let fetched = cx
            .fetcher
            .read_location(&url, "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9, */*;q=0.1")?;
        let name = super::spreadsheet::file_name(&url, fetched.content_type.as_deref());
        super::spreadsheet::read_batch(cx, &url, &name, &fetched.body, Some(&mapping))
    }
}
