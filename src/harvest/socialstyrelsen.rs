//! Socialstyrelsen: the statistics database API (`https://sdb.socialstyrelsen.se/api/v1/{sv|en}`)
//! and the register metadata workbooks.
//!
//! API: every subject (`GET {base}` → `[{namn, text, info}]`) becomes a dataset; its dimensions
//! (`GET {base}/{subject}` → `[{namn, text}]`) become variables, and each dimension's values
//! (`GET {base}/{subject}/{dimension}` → `[{id, text, kod?}]`) a SKOS code list. The code is
//! `kod` where the API gives one (län "01"), else `id`, always as a string. `only` limits the
//! subjects. IRIs: `dataset/{source}-{subject}`, `variable/{source}-{subject}-{dimension}`,
//! `codelist/{source}-{subject}-{dimension}`.
//!
//! Workbooks (a URL or file ending in `.xlsx`) are read with the curation import's workbook
//! reader.

use oxigraph::model::Graph;
use serde_json::Value;

use super::{Context, HarvestError, Source, json, slug};
use crate::model::rdf::LangText;
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::xsd;
use crate::model::{CodeList, Concept, Dataset, Representation, Variable};

/// The Socialstyrelsen source kind.
pub struct Socialstyrelsen;

const ACCEPT_JSON: &str = "application/json";

impl Source for Socialstyrelsen {
    fn read(&self, cx: &mut Context<'_>) -> Result<Graph, HarvestError> {
        let url = cx.config.url.trim().trim_end_matches('/').to_owned();
        let is_workbook = url.split('?').next().unwrap_or("").to_ascii_lowercase().ends_with(".xlsx");
        let mut out = Graph::new();
        if is_workbook {
            workbook(cx, &url, &mut out)?;
        } else {
            api(cx, &url, &mut out)?;
            cx.triples += out.len() as u64;
        }
        Ok(out)
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn list_of(url: &str, v: Value) -> Result<Vec<Value>, HarvestError> {
    match v {
        Value::Array(a) => Ok(a),
        _ => Err(HarvestError::Malformed { url: url.to_owned(), message: "expected a JSON array".into() }),
    }
}

fn api(cx: &mut Context<'_>, base: &str, out: &mut Graph) -> Result<(), HarvestError> {
    let lang = if base.ends_with("/en") { "en" } else { "sv" };
    let subjects = list_of(base, json(base, &cx.fetcher.get(base, ACCEPT_JSON)?.body)?)?;
    let subjects: Vec<Value> = subjects
        .into_iter()
        .filter(|s| {
            let name = s["namn"].as_str().unwrap_or("");
            cx.config.only.is_empty() || cx.config.only.iter().any(|o| o == name)
        })
        .collect();
    let total = subjects.len() as u64;
    let src = cx.config.id.clone();
    for (i, s) in subjects.iter().enumerate() {
        let Some(name) = s["namn"].as_str() else {
            cx.note(format!("{base}: a subject without a name was skipped"));
            continue;
        };
        let subject_url = format!("{base}/{name}");
        cx.progress(format!("reading {subject_url}"), i as u64 + 1, Some(total));
        let ds_iri =
            cx.minter.record(RecordKind::Dataset, &format!("{src}-{}", slug(name))).map_err(|e| HarvestError::Other(e.to_string()))?;
        let mut ds = Dataset::new(ds_iri.clone(), LangText::new().with(lang, text(&s["text"]).unwrap_or_else(|| name.to_owned())));
        ds.identifier = Some(name.to_owned());
        if let Some(info) = text(&s["info"]) {
            ds.description = LangText::new().with(lang, info);
        }
        let dims = list_of(&subject_url, json(&subject_url, &cx.fetcher.get(&subject_url, ACCEPT_JSON)?.body)?)?;
        for d in &dims {
            let Some(dim) = d["namn"].as_str() else { continue };
            let dim_url = format!("{subject_url}/{dim}");
            let values = list_of(&dim_url, json(&dim_url, &cx.fetcher.get(&dim_url, ACCEPT_JSON)?.body)?)?;
            let id = format!("{src}-{}-{}", slug(name), slug(dim));
            let label = LangText::new().with(lang, text(&d["text"]).unwrap_or_else(|| dim.to_owned()));
            let list_iri = cx.minter.record(RecordKind::CodeList, &id).map_err(|e| HarvestError::Other(e.to_string()))?;
            let mut list = CodeList::new(list_iri.clone(), label.clone());
            list.identifier = Some(dim.to_owned());
            super::spreadsheet::add(out, &Resource::CodeList(list), &dim_url);
            let mut seen = std::collections::HashSet::new();
            for (order, v) in values.iter().enumerate() {
                let Some(code) = text(&v["kod"]).or_else(|| text(&v["id"])) else { continue };
                if !seen.insert(code.clone()) {
                    cx.note(format!("{dim_url}: the code {code:?} appears twice; the first was kept"));
                    continue;
                }
                let Ok(c_iri) = cx.minter.concept(&id, &code) else { continue };
                let mut c = Concept::new(c_iri, &code, LangText::new().with(lang, text(&v["text"]).unwrap_or_else(|| code.clone())));
                c.in_scheme = vec![list_iri.clone()];
                c.top_concept_of = vec![list_iri.clone()];
                c.order = Some(order as u64 + 1);
                super::spreadsheet::add(out, &Resource::Concept(c), &dim_url);
            }
            let v_iri = cx.minter.record(RecordKind::Variable, &id).map_err(|e| HarvestError::Other(e.to_string()))?;
            let mut var = Variable::new(v_iri, label);
            var.notation = Some(dim.to_owned());
            var.representation = Some(Representation::CodeList { scheme: list_iri, datatype: xsd::STRING.into_owned() });
            var.datasets = vec![ds_iri.clone()];
            super::spreadsheet::add(out, &Resource::Variable(var), &dim_url);
        }
        super::spreadsheet::add(out, &Resource::Dataset(ds), &subject_url);
    }
    Ok(())
}

fn workbook(cx: &mut Context<'_>, url: &str, out: &mut Graph) -> Result<(), HarvestError> {
    cx.progress(format!("reading {url}"), 0, None);
    let fetched = cx.fetcher.read_location(url, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, */*;q=0.1")?;
    let name = super::spreadsheet::file_name(url, fetched.content_type.as_deref());
    let g = super::spreadsheet::read_batch(cx, url, &name, &fetched.body, None)?;
    out.extend(g.iter());
    Ok(())
}
