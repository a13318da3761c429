//! The comparison of variables side by side (`/jamfor`): definitions, types, code lists, coding
//! systems, units and coverage, with the cells that differ from the first variable marked.

use askama::Template;
use oxigraph::model::NamedNode;

use super::super::kernel::labels::datatype_label;
use super::super::kernel::page::Chrome;
use super::super::kernel::words::field;
use crate::catalog::{Catalogue, StoreError};
use crate::config::Lang;
use crate::model::record::Resource;
use crate::model::vocab::xsd;
use crate::model::{Period, Variable};

/// At most this many variables side by side.
pub const MAX: usize = 6;

/// One column head: a variable and where it is held.
pub struct Column {
    pub label: String,
    pub href: String,
    pub notation: String,
    pub registers: String,
}

/// One compared property: a value per variable, and whether it differs from the first.
pub struct Row {
    pub label: String,
    pub cells: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub chrome: Chrome,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// The comparison of the public variables among `iris` (at most [`MAX`]); `None` when fewer
/// than two are public variables.
pub fn build(cat: &Catalogue, iris: &[NamedNode], lang: Lang, path: &str) -> Result<Option<ComparePage>, StoreError> {
    let variables = {
        let mut out = Vec::new();
        for iri in iris.iter().take(MAX) {
            if let Some((_, Resource::Variable(v))) = cat.public_resource(iri.as_ref())? {
                let mut linked: Vec<NamedNode> = v.datasets.clone();
                linked.extend(v.coding_systems.iter().cloned());
                linked.extend(v.representation.as_ref().and_then(|r| r.code_list().cloned()));
                linked.extend(v.owner().cloned());
                let labels = cat.labels(&linked)?;
                let codes = match v.representation.as_ref().and_then(|r| r.code_list()) {
                    Some(s) => cat
                        .concepts_of(s)?
                        .iter()
                        .map(|c| format!("{} {}", c.notation.as_deref().unwrap_or(""), c.label.best(lang.code())))
                        .collect::<Vec<_>>()
                        .join("; "),
                    None => String::new(),
                };
                out.push((cat.minter().path(v.iri.as_str()), v, labels, codes));
            }
        }
        out
    };
    if variables.len() < 2 {
        return Ok(None);
    }
    let code = lang.code();
    let names = |labels: &std::collections::HashMap<NamedNode, crate::model::LangText>, iris: &[NamedNode]| {
        iris.iter()
            .map(|i| labels.get(i).map(|l| l.best(code).to_owned()).unwrap_or_else(|| i.as_str().to_owned()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let columns = variables
        .iter()
        .map(|(href, v, labels, _)| Column {
            label: v.label.best(code).to_owned(),
            href: href.clone(),
            notation: v.notation.clone().unwrap_or_default(),
            registers: names(labels, &v.datasets),
        })
        .collect();
    type Getter = Box<dyn Fn(&Variable, &std::collections::HashMap<NamedNode, crate::model::LangText>, &str) -> String>;
    let properties: Vec<(&str, Getter)> = vec![
        ("definition", Box::new(move |v, _, _| v.definition.best(code).to_owned())),
        ("technical_name", Box::new(|v, _, _| v.notation.clone().unwrap_or_default())),
        (
            "datatype",
            Box::new(move |v, _, _| {
                v.representation
                    .as_ref()
                    .map(|r| datatype_label(r.datatype().as_str().trim_start_matches(xsd::NS), lang))
                    .unwrap_or_default()
            }),
        ),
        (
            "code_list",
            Box::new(move |v, labels, _| {
                v.representation.as_ref().and_then(|r| r.code_list()).map(|s| names(labels, std::slice::from_ref(s))).unwrap_or_default()
            }),
        ),
        ("codes", Box::new(|_, _, codes| codes.to_owned())),
        ("coding_systems", Box::new(move |v, labels, _| names(labels, &v.coding_systems))),
        ("unit", Box::new(|v, _, _| v.unit.clone().unwrap_or_default())),
        ("temporal", Box::new(|v, _, _| v.temporal.iter().map(Period::label).collect::<Vec<_>>().join(", "))),
        ("owner", Box::new(move |v, labels, _| names(labels, &v.owner().cloned().into_iter().collect::<Vec<_>>()))),
    ];
    let rows = properties
        .into_iter()
        .map(|(key, get)| {
            let values: Vec<String> = variables.iter().map(|(_, v, labels, codes)| get(v, labels, codes)).collect();
            let first = values.first().cloned().unwrap_or_default();
            Row {
                label: field(lang, key).to_owned(),
                cells: values
                    .into_iter()
                    .map(|x| {
                        let differs = x != first;
                        (x, differs)
                    })
                    .collect(),
            }
        })
        .collect();
    let title = if lang == Lang::En { "Compare variables" } else { "Jämför variabler" };
    Ok(Some(ComparePage { chrome: Chrome::new(lang, title, path, "variables"), columns, rows }))
}
