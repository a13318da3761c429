//! Spreadsheet sources (Socialstyrelsen's register workbooks, RUT exports): a file fetched by
//! URL or read under `[harvest] files_dir`, read with the curation import's readers, each
//! record marked as derived from its source.

use oxigraph::model::{Graph, NamedNode, TripleRef};

use super::{Context, HarvestError};
use crate::model::record::Resource;
use crate::model::vocab::prov;

/// Adds a record's triples, saying it is derived from `derived_from` (a URL).
pub(crate) fn add(out: &mut Graph, r: &Resource, derived_from: &str) {
    out.extend(r.to_graph().iter());
    if let Ok(src) = NamedNode::new(derived_from) {
        out.insert(TripleRef::new(r.iri(), prov::WAS_DERIVED_FROM, &src));
    }
}

/// A file name with the extension the import reader goes by.
pub(crate) fn file_name(url: &str, content_type: Option<&str>) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or(path).to_owned();
    if crate::ingest::FileKind::of(&last).is_some() {
        return last;
    }
    match content_type.map(|c| c.split(';').next().unwrap_or("").trim()) {
        Some(c) if c.contains("spreadsheetml") => format!("{last}.xlsx"),
        _ => format!("{last}.csv"),
    }
}

/// Reads a spreadsheet with the curation import's readers (the register metadata workbook, or
/// a table through `mapping`). An error in the file fails the run with its sheet, row and
/// column; warnings become notes.
pub(crate) fn read_batch(
    cx: &mut Context<'_>,
    url: &str,
    name: &str,
    bytes: &[u8],
    mapping: Option<&crate::ingest::tabular::Mapping>,
) -> Result<Graph, HarvestError> {
    let options = crate::ingest::Options::new(cx.minter.clone());
    let batch = crate::ingest::read_file(name, bytes, mapping, &options)
        .map_err(|e| HarvestError::Malformed { url: url.to_owned(), message: e.to_string() })?;
    if batch.has_errors() {
        let problems: Vec<String> = batch.problems.iter().filter(|p| p.is_error()).take(20).map(|p| p.describe("en")).collect();
        return Err(HarvestError::Malformed { url: url.to_owned(), message: problems.join("; ") });
    }
    for p in &batch.problems {
        cx.note(format!("{url}: {}", p.describe("en")));
    }
    let mut out = Graph::new();
    for r in &batch.records {
        add(&mut out, &r.resource, url);
    }
    cx.triples += out.len() as u64;
    Ok(out)
}
