//! SCB's PxWeb API, v1 (`…/OV0104/v1/doris/{lang}/ssd/…`) and v2 (`…/api/v2/…`), told apart by
//! the URL.
//!
//! A table's metadata becomes a dataset with one variable per dimension; each variable's values
//! become a SKOS code list (codes kept as strings, in the API's order). In v2 the alternative
//! code lists a dimension names (`extension.codelists`: value sets and aggregations) are read
//! from `/codelists/{id}` and linked from the variable (`rdfs:seeAlso`). Call limits: v1 allows
//! 10 calls per 10 s (scb.se, öppna data); v2 states its own in `/config`
//! (`maxCallsPerTimeWindow` per `timeWindow` seconds), which is read first.
//!
//! IRIs are minted under the catalogue's base: `dataset/{source}-{table}`,
//! `variable/{source}-{table}-{dimension}`, `codelist/{source}-{table}-{dimension}`,
//! `codelist/{source}-{codelist id}`; every record says `prov:wasDerivedFrom` the API URL it
//! came from.

use std::collections::HashSet;
use std::time::Duration;

use oxigraph::model::{Graph, NamedNode, TripleRef};
use serde_json::Value;

use super::{Context, HarvestError, Source, json, slug};
use crate::model::rdf::{LangText, Period, Temporal};
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::{prov, xsd};
use crate::model::{CodeList, Concept, Dataset, Representation, Variable};

/// The PxWeb source kind.
pub struct PxWeb;

const ACCEPT_JSON: &str = "application/json";

impl Source for PxWeb {
    fn read(&self, cx: &mut Context<'_>) -> Result<Graph, HarvestError> {
        let url = cx.config.url.trim().trim_end_matches('/').to_owned();
        let mut out = Graph::new();
        if url.contains("/api/v2") {
            read_v2(cx, &url, &mut out)?;
        } else {
            cx.fetcher.set_call_limit(10, Duration::from_secs(10));
            let lang = if url.contains("/en/") { "en" } else { "sv" };
            let mut tables = Vec::new();
            collect_v1(cx, &url, 0, &mut tables)?;
            let total = tables.len() as u64;
            for (i, (table_url, table_id)) in tables.into_iter().enumerate() {
                cx.progress(format!("reading {table_url}"), i as u64 + 1, Some(total));
                let f = cx.fetcher.get(&table_url, ACCEPT_JSON)?;
                let meta = json(&f.url, &f.body)?;
                table_v1(cx, &table_url, &table_id, lang, &meta, &mut out)?;
            }
        }
        cx.triples += out.len() as u64;
        Ok(out)
    }
}

/// Finds v1 tables: the URL itself (an object with `variables`), or the tables below a folder
/// (an array of `{id, type: l|t, text}`), at most three levels down.
fn collect_v1(cx: &mut Context<'_>, url: &str, depth: u32, tables: &mut Vec<(String, String)>) -> Result<(), HarvestError> {
    let f = cx.fetcher.get(url, ACCEPT_JSON)?;
    let value = json(&f.url, &f.body)?;
    let last = url.rsplit('/').next().unwrap_or("").to_owned();
    match value {
        Value::Object(ref o) if o.contains_key("variables") => {
            if cx.config.only.is_empty() || cx.config.only.iter().any(|t| t.eq_ignore_ascii_case(&last)) {
                tables.push((url.to_owned(), last));
            }
        }
        Value::Array(items) => {
            for item in items {
                let (Some(id), Some(kind)) = (item["id"].as_str(), item["type"].as_str()) else { continue };
                let child = format!("{url}/{id}");
                match kind {
                    "t" if cx.config.only.is_empty() || cx.config.only.iter().any(|t| t.eq_ignore_ascii_case(id)) => {
                        tables.push((child, id.to_owned()))
                    }
                    "l" if depth < 3 => collect_v1(cx, &child, depth + 1, tables)?,
                    _ => {}
                }
            }
        }
        _ => {
            return Err(HarvestError::Malformed {
                url: url.to_owned(),
                message: "neither a table (an object with \"variables\") nor a folder (an array)".into(),
            });
        }
    }
    Ok(())
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// Adds a record and its provenance to the output graph.
fn add(out: &mut Graph, r: &Resource, derived_from: &str) {
    let g = r.to_graph();
    out.extend(g.iter());
    if let Ok(src) = NamedNode::new(derived_from) {
        out.insert(TripleRef::new(r.iri(), prov::WAS_DERIVED_FROM, &src));
    }
}

/// One code list with its codes.
#[allow(clippy::too_many_arguments)] // the columns of one PxWeb table dimension, each used once
fn code_list(
    cx: &Context<'_>,
    list_id: &str,
    title: &LangText,
    identifier: &str,
    codes: &[(String, String, Vec<String>)],
    lang: &str,
    derived_from: &str,
    out: &mut Graph,
) -> Result<NamedNode, HarvestError> {
    let iri = cx.minter.record(RecordKind::CodeList, list_id).map_err(|e| HarvestError::Other(e.to_string()))?;
    let mut list = CodeList::new(iri.clone(), title.clone());
    list.identifier = Some(identifier.to_owned());
    add(out, &Resource::CodeList(list), derived_from);
    let mut seen = HashSet::new();
    for (i, (code, label, parts)) in codes.iter().enumerate() {
        if !seen.insert(code.clone()) {
            continue;
        }
        let Ok(c_iri) = cx.minter.concept(list_id, code) else { continue };
        let mut c = Concept::new(c_iri, code, LangText::new().with(lang, label.clone()));
        c.in_scheme = vec![iri.clone()];
        c.top_concept_of = vec![iri.clone()];
        c.order = Some(i as u64 + 1);
        if !parts.is_empty() {
            let note = if lang == "en" { format!("Aggregates: {}", parts.join(", ")) } else { format!("Omfattar: {}", parts.join(", ")) };
            c.scope_note = LangText::new().with(lang, note);
        }
        add(out, &Resource::Concept(c), derived_from);
    }
    Ok(iri)
}

/// A variable coded with a code list, held by a dataset.
#[allow(clippy::too_many_arguments)] // the columns of one PxWeb table dimension, each used once
fn variable(
    cx: &Context<'_>,
    id: &str,
    code: &str,
    label: &LangText,
    dataset: &NamedNode,
    scheme: NamedNode,
    see_also: Vec<NamedNode>,
    derived_from: &str,
    out: &mut Graph,
) -> Result<(), HarvestError> {
    let iri = cx.minter.record(RecordKind::Variable, id).map_err(|e| HarvestError::Other(e.to_string()))?;
    let mut v = Variable::new(iri, label.clone());
    v.notation = Some(code.to_owned());
    v.representation = Some(Representation::CodeList { scheme, datatype: xsd::STRING.into_owned() });
    v.datasets = vec![dataset.clone()];
    v.see_also = see_also;
    add(out, &Resource::Variable(v), derived_from);
    Ok(())
}

fn years(first: Option<&str>, last: Option<&str>) -> Option<Period> {
    let year = |s: Option<&str>| s.and_then(|s| s.get(..4)).and_then(Temporal::parse);
    let p = Period { start: year(first), end: year(last) };
    (p.start.is_some() || p.end.is_some()).then_some(p)
}

fn table_v1(cx: &mut Context<'_>, url: &str, table: &str, lang: &str, meta: &Value, out: &mut Graph) -> Result<(), HarvestError> {
    let Some(vars) = meta["variables"].as_array() else {
        return Err(HarvestError::Malformed { url: url.to_owned(), message: "no \"variables\" in the table metadata".into() });
    };
    let src = &cx.config.id;
    let table_slug = slug(table);
    let ds_iri = cx.minter.record(RecordKind::Dataset, &format!("{src}-{table_slug}")).map_err(|e| HarvestError::Other(e.to_string()))?;
    let title = text(&meta["title"]).unwrap_or_else(|| table.to_owned());
    let mut ds = Dataset::new(ds_iri.clone(), LangText::new().with(lang, title));
    ds.identifier = Some(table.to_owned());
    for v in vars {
        let Some(code) = text(&v["code"]) else {
            cx.note(format!("{url}: a variable without a code was skipped"));
            continue;
        };
        let label = LangText::new().with(lang, text(&v["text"]).unwrap_or_else(|| code.clone()));
        let values: Vec<String> =
            v["values"].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
        let texts: Vec<String> =
            v["valueTexts"].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
        if values.len() != texts.len() {
            cx.note(format!(
                "{url}: variable {code} has {} values but {} texts; codes without a text are shown by their code",
                values.len(),
                texts.len()
            ));
        }
        if v["time"].as_bool() == Some(true)
            && let Some(p) = years(values.first().map(String::as_str), values.last().map(String::as_str))
        {
            ds.temporal = vec![p];
        }
        let codes: Vec<(String, String, Vec<String>)> =
            values.iter().enumerate().map(|(i, c)| (c.clone(), texts.get(i).cloned().unwrap_or_else(|| c.clone()), Vec::new())).collect();
        let id = format!("{src}-{table_slug}-{}", slug(&code));
        let scheme = code_list(cx, &id, &label, &code, &codes, lang, url, out)?;
        variable(cx, &id, &code, &label, &ds_iri, scheme, Vec::new(), url, out)?;
    }
    add(out, &Resource::Dataset(ds), url);
    Ok(())
}

/// The API root of a v2 URL (`…/api/v2`) and the table it names, if any.
fn v2_root(url: &str) -> (String, Option<String>) {
    let (path, _) = url.split_once('?').unwrap_or((url, ""));
    match path.find("/api/v2") {
        Some(i) => {
            let root = path[..i + "/api/v2".len()].to_owned();
            let rest = path[i + "/api/v2".len()..].trim_matches('/');
            let table = rest.strip_prefix("tables/").map(|t| t.split('/').next().unwrap_or(t).to_owned());
            (root, table)
        }
        None => (path.to_owned(), None),
    }
}

fn lang_of(url: &str) -> String {
    url.split_once('?').and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("lang="))).unwrap_or("sv").to_owned()
}

/// Percent-encodes a path segment (code-list ids such as `agg_Ålder10år_1`).
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn read_v2(cx: &mut Context<'_>, url: &str, out: &mut Graph) -> Result<(), HarvestError> {
    let (root, table) = v2_root(url);
    let lang = lang_of(url);
    // the API states its call limit
    let config_url = format!("{root}/config");
    cx.fetcher.set_call_limit(10, Duration::from_secs(10));
    match cx.fetcher.get(&config_url, ACCEPT_JSON).and_then(|f| json(&f.url, &f.body)) {
        Ok(c) => {
            let calls = c["maxCallsPerTimeWindow"].as_u64().unwrap_or(30) as usize;
            let window = c["timeWindow"].as_u64().unwrap_or(10);
            cx.fetcher.set_call_limit(calls, Duration::from_secs(window.max(1)));
        }
        Err(e) => cx.note(format!("{e}; keeping to 10 calls per 10 s")),
    }
    let tables: Vec<String> = match table {
        Some(t) => vec![t],
        None if !cx.config.only.is_empty() => cx.config.only.clone(),
        None => return Err(HarvestError::Other(format!("{url}: name a table (…/api/v2/tables/TAB5974) or list the tables in `only`"))),
    };
    let mut lists_done = HashSet::new();
    let total = tables.len() as u64;
    for (i, t) in tables.iter().enumerate() {
        let info_url = format!("{root}/tables/{}?lang={lang}", encode(t));
        cx.progress(format!("reading {info_url}"), i as u64 + 1, Some(total));
        let info = json(&info_url, &cx.fetcher.get(&info_url, ACCEPT_JSON)?.body)?;
        let meta_url = format!("{root}/tables/{}/metadata?lang={lang}", encode(t));
        let meta = json(&meta_url, &cx.fetcher.get(&meta_url, ACCEPT_JSON)?.body)?;
        table_v2(cx, &root, t, &lang, &info, &meta, &meta_url, &mut lists_done, out)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn table_v2(
    cx: &mut Context<'_>,
    root: &str,
    table: &str,
    lang: &str,
    info: &Value,
    meta: &Value,
    meta_url: &str,
    lists_done: &mut HashSet<String>,
    out: &mut Graph,
) -> Result<(), HarvestError> {
    let (Some(order), Some(dims)) = (meta["id"].as_array(), meta["dimension"].as_object()) else {
        return Err(HarvestError::Malformed {
            url: meta_url.to_owned(),
            message: "not a JSON-stat 2.0 dataset (no \"id\" and \"dimension\")".into(),
        });
    };
    let src = cx.config.id.clone();
    let table_slug = slug(table);
    let ds_iri = cx.minter.record(RecordKind::Dataset, &format!("{src}-{table_slug}")).map_err(|e| HarvestError::Other(e.to_string()))?;
    let title = text(&info["label"]).or_else(|| text(&meta["label"])).unwrap_or_else(|| table.to_owned());
    let mut ds = Dataset::new(ds_iri.clone(), LangText::new().with(lang, title));
    ds.identifier = Some(info["id"].as_str().unwrap_or(table).to_owned());
    if let Some(d) = text(&info["description"]) {
        ds.description = LangText::new().with(lang, d);
    }
    if let Some(u) = text(&info["updated"]).or_else(|| text(&meta["updated"])) {
        ds.modified = Temporal::parse(&u).or_else(|| Temporal::parse(u.get(..10).unwrap_or("")));
    }
    if let Some(p) = years(info["firstPeriod"].as_str(), info["lastPeriod"].as_str()) {
        ds.temporal = vec![p];
    }
    for code in order.iter().filter_map(Value::as_str) {
        let Some(dim) = dims.get(code) else {
            cx.note(format!("{meta_url}: dimension {code} is listed but not described; skipped"));
            continue;
        };
        let label = LangText::new().with(lang, text(&dim["label"]).unwrap_or_else(|| code.to_owned()));
        let mut codes: Vec<(String, u64)> = dim["category"]["index"]
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(u64::MAX))).collect())
            .unwrap_or_default();
        codes.sort_by_key(|(_, i)| *i);
        let labels = &dim["category"]["label"];
        let codes: Vec<(String, String, Vec<String>)> = codes
            .into_iter()
            .map(|(c, _)| {
                let l = labels[&c].as_str().unwrap_or(&c).to_owned();
                (c, l, Vec::new())
            })
            .collect();
        let id = format!("{src}-{table_slug}-{}", slug(code));
        let scheme = code_list(cx, &id, &label, code, &codes, lang, meta_url, out)?;
        // alternative code lists (value sets, aggregations)
        let mut see_also = Vec::new();
        for cl in dim["extension"]["codelists"].as_array().into_iter().flatten() {
            let Some(cl_id) = cl["id"].as_str() else { continue };
            let list_id = format!("{src}-{}", slug(cl_id));
            let Ok(list_iri) = cx.minter.record(RecordKind::CodeList, &list_id) else { continue };
            if lists_done.insert(cl_id.to_owned()) {
                let cl_url = format!("{root}/codelists/{}?lang={lang}", encode(cl_id));
                match cx.fetcher.get(&cl_url, ACCEPT_JSON).and_then(|f| json(&f.url, &f.body)) {
                    Ok(list) => {
                        let title = LangText::new()
                            .with(lang, text(&list["label"]).or_else(|| text(&cl["label"])).unwrap_or_else(|| cl_id.to_owned()));
                        let values: Vec<(String, String, Vec<String>)> = list["values"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|v| {
                                let c = text(&v["code"])?;
                                let l = text(&v["label"]).or_else(|| text(&v["value"])).unwrap_or_else(|| c.clone());
                                let parts = v["valueMap"]
                                    .as_array()
                                    .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                                    .unwrap_or_default();
                                Some((c, l, parts))
                            })
                            .collect();
                        code_list(cx, &list_id, &title, cl_id, &values, lang, &cl_url, out)?;
                    }
                    Err(e) => {
                        cx.note(format!("code list {cl_id} could not be read ({e}); the variable does not link to it"));
                        continue;
                    }
                }
            }
            see_also.push(list_iri);
        }
        variable(cx, &id, code, &label, &ds_iri, scheme, see_also, meta_url, out)?;
    }
    add(out, &Resource::Dataset(ds), meta_url);
    Ok(())
}
