//! Data collections: a dataset that regions deliver to, and the variables it asks for, each
//! required, conditional or optional (`vk:requirement`). Published as a Frictionless Table
//! Schema and as CSVW metadata, so that a region can check a delivery with its own tools, and
//! read back from a Table Schema so that `check-extract` can run with no catalogue at hand.
//!
//! How a delivery's header meets the columns follows Table Schema's `fieldsMatch` (Data Package
//! v2): a collection from the catalogue is `superset` (columns matched by name, in any order;
//! every column must be one of the collection's, the required ones must be there), and the
//! published schema says so; a schema read from elsewhere that names no `fieldsMatch` is
//! `exact` (the columns in the schema's order, all of them), as the standard says.
//!
//! A column whose code list has no published codes gets no `enum`: an empty one would let no
//! value pass, so no delivery could. Its values are then not checked against codes, and the
//! schema's description and the collection's page say why.

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::NamedNode;
use serde_json::{Value, json};

use crate::catalog::Catalogue;
use crate::model::record::Resource;
use crate::model::vocab::xsd;
use crate::model::{LangText, RequirementLevel};
use crate::store::StoreError;

/// The type values of a column are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Integer,
    Decimal,
    Boolean,
    Date,
    DateTime,
    Year,
    YearMonth,
    Time,
}

impl ValueType {
    /// From an XSD datatype IRI (unknown types are text).
    pub fn from_xsd(iri: &str) -> Self {
        match iri.strip_prefix(xsd::NS).unwrap_or(iri) {
            "integer" | "int" | "long" | "short" | "nonNegativeInteger" | "positiveInteger" => Self::Integer,
            "decimal" | "double" | "float" => Self::Decimal,
            "boolean" => Self::Boolean,
            "date" => Self::Date,
            "dateTime" => Self::DateTime,
            "gYear" => Self::Year,
            "gYearMonth" => Self::YearMonth,
            "time" => Self::Time,
            _ => Self::String,
        }
    }

    /// The Frictionless Table Schema type.
    pub fn table_schema(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Decimal => "number",
            Self::Boolean => "boolean",
            Self::Date => "date",
            Self::DateTime => "datetime",
            Self::Year => "year",
            Self::YearMonth => "yearmonth",
            Self::Time => "time",
        }
    }

    fn from_table_schema(t: &str) -> Self {
        match t {
            "integer" => Self::Integer,
            "number" => Self::Decimal,
            "boolean" => Self::Boolean,
            "date" => Self::Date,
            "datetime" => Self::DateTime,
            "year" => Self::Year,
            "yearmonth" => Self::YearMonth,
            "time" => Self::Time,
            _ => Self::String,
        }
    }

    /// The CSVW (XSD) datatype name.
    pub fn csvw(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Decimal => "decimal",
            Self::Boolean => "boolean",
            Self::Date => "date",
            Self::DateTime => "dateTime",
            Self::Year => "gYear",
            Self::YearMonth => "gYearMonth",
            Self::Time => "time",
        }
    }

    /// How a value of this type is written, in words, for messages.
    pub fn expected(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match self {
            Self::String => "text",
            Self::Integer => {
                if en {
                    "a whole number"
                } else {
                    "ett heltal"
                }
            }
            Self::Decimal => {
                if en {
                    "a number (decimal point or comma)"
                } else {
                    "ett tal (decimalpunkt eller decimalkomma)"
                }
            }
            Self::Boolean => {
                if en {
                    "yes/no (true, false, 1, 0, ja, nej)"
                } else {
                    "ja/nej (true, false, 1, 0, ja, nej)"
                }
            }
            Self::Date => {
                if en {
                    "a date, YYYY-MM-DD or YYYYMMDD"
                } else {
                    "ett datum, ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD"
                }
            }
            Self::DateTime => {
                if en {
                    "a date and time, YYYY-MM-DDThh:mm[:ss]"
                } else {
                    "datum och tid, ÅÅÅÅ-MM-DDTtt:mm[:ss]"
                }
            }
            Self::Year => {
                if en {
                    "a year, YYYY"
                } else {
                    "ett årtal, ÅÅÅÅ"
                }
            }
            Self::YearMonth => {
                if en {
                    "a year and month, YYYY-MM or YYYYMM"
                } else {
                    "år och månad, ÅÅÅÅ-MM eller ÅÅÅÅMM"
                }
            }
            Self::Time => {
                if en {
                    "a time, hh:mm[:ss]"
                } else {
                    "ett klockslag, tt:mm[:ss]"
                }
            }
        }
    }
}

/// How a delivery's columns are paired with the specification's (Table Schema `fieldsMatch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldsMatch {
    /// By position: exactly the fields, in their order (the standard's default).
    Exact,
    /// By name: exactly the fields, in any order.
    Equal,
    /// By name: every field, and other columns beside them.
    Subset,
    /// By name: only the fields, not necessarily all (the required ones must be there).
    Superset,
    /// By name: at least one field; other columns beside them.
    Partial,
}

impl FieldsMatch {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "exact" => Self::Exact,
            "equal" => Self::Equal,
            "subset" => Self::Subset,
            "superset" => Self::Superset,
            "partial" => Self::Partial,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Equal => "equal",
            Self::Subset => "subset",
            Self::Superset => "superset",
            Self::Partial => "partial",
        }
    }

    /// Whether columns the specification does not name are allowed.
    pub fn allows_other_columns(self) -> bool {
        matches!(self, Self::Subset | Self::Partial)
    }

    /// Whether every field must be there (not only the required ones).
    pub fn needs_every_field(self) -> bool {
        matches!(self, Self::Exact | Self::Equal | Self::Subset)
    }
}

/// One column a delivery may carry.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnSpec {
    /// The column name: the variable's technical name.
    pub name: String,
    pub title: LangText,
    pub variable: String,
    pub level: RequirementLevel,
    pub condition: LangText,
    pub value_type: ValueType,
    /// Allowed codes, when the variable has a code list with published codes.
    pub codes: Option<BTreeSet<String>>,
    /// The code list of a column whose list has no published codes (so `codes` is `None` and
    /// its values are not checked against codes).
    pub codes_unpublished: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// Values that mean "missing" (besides the empty value).
    pub missing_values: Vec<String>,
    /// What a missing value means (Swedish), for those that say.
    pub missing_meanings: BTreeMap<String, String>,
}

/// A data collection and its columns.
#[derive(Clone, Debug, PartialEq)]
pub struct CollectionSpec {
    pub id: String,
    pub iri: String,
    pub title: LangText,
    pub columns: Vec<ColumnSpec>,
    /// How a delivery's columns are paired with `columns`.
    pub fields_match: FieldsMatch,
}

impl CollectionSpec {
    /// The specification of a collection from the catalogue (published variables only).
    pub fn from_catalogue(cat: &Catalogue, dataset: &NamedNode) -> Result<Option<Self>, StoreError> {
        let Some((_, Resource::Dataset(ds))) = cat.public_resource(dataset.as_ref())? else { return Ok(None) };
        let mut columns = Vec::new();
        for iri in requirement_holders(cat, dataset)? {
            let Some((_, Resource::Variable(v))) = cat.public_resource(iri.as_ref())? else { continue };
            let Some(req) = v.requirements.iter().find(|r| r.collection == *dataset) else { continue };
            let (codes, codes_unpublished) = match v.representation.as_ref().and_then(|r| r.code_list()) {
                Some(scheme) => {
                    let codes: BTreeSet<String> = cat.concepts_of(scheme)?.into_iter().filter_map(|c| c.notation).collect();
                    // no published code: no constraint (an empty list would let nothing pass)
                    if codes.is_empty() { (None, Some(scheme.as_str().to_owned())) } else { (Some(codes), None) }
                }
                None => (None, None),
            };
            let number = |l: &Option<oxigraph::model::Literal>| l.as_ref().and_then(|l| l.value().parse::<f64>().ok());
            columns.push(ColumnSpec {
                name: v.notation.clone().unwrap_or_else(|| v.identifier.clone().unwrap_or_default()),
                title: v.label.clone(),
                variable: v.iri.as_str().to_owned(),
                level: req.level,
                condition: req.condition.clone(),
                value_type: v.representation.as_ref().map(|r| ValueType::from_xsd(r.datatype().as_str())).unwrap_or(ValueType::String),
                codes,
                codes_unpublished,
                minimum: number(&v.minimum),
                maximum: number(&v.maximum),
                missing_values: v.missing_values.clone(),
                missing_meanings: v
                    .missing_meanings
                    .iter()
                    .filter_map(|m| Some((m.code.clone(), m.meaning.get("sv").or_else(|| m.meaning.get("en"))?.to_owned())))
                    .collect(),
            });
        }
        if columns.is_empty() {
            return Ok(None);
        }
        columns.sort_by(|a, b| (a.level, &a.name).cmp(&(b.level, &b.name)));
        let id = cat.minter().parse(dataset.as_str()).map(|(_, id)| id).unwrap_or_else(|| dataset.as_str().to_owned());
        Ok(Some(Self { id, iri: dataset.as_str().to_owned(), title: ds.title, columns, fields_match: FieldsMatch::Superset }))
    }

    /// A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/, with
    /// `fieldsMatch` of Data Package v2). The requirement level travels in `vk:level` on each
    /// field; conditional fields are not `required` (their condition is in the description).
    /// A field whose code list has no published codes has no `enum` (never an empty one).
    pub fn to_table_schema(&self) -> Value {
        let fields: Vec<Value> = self
            .columns
            .iter()
            .map(|c| {
                let mut constraints = serde_json::Map::new();
                if c.level == RequirementLevel::Required {
                    constraints.insert("required".into(), json!(true));
                }
                if let Some(codes) = c.codes.as_ref().filter(|codes| !codes.is_empty()) {
                    constraints.insert("enum".into(), json!(codes));
                }
                if let Some(m) = c.minimum {
                    constraints.insert("minimum".into(), json!(m));
                }
                if let Some(m) = c.maximum {
                    constraints.insert("maximum".into(), json!(m));
                }
                let mut description = c.title.get("sv").unwrap_or_default().to_owned();
                if let Some(cond) = c.condition.get("sv") {
                    description = format!("{description}. Villkor: {cond}");
                }
                if c.codes_unpublished.is_some() {
                    description = format!("{description}. {}", UNPUBLISHED_CODES_SV);
                }
                // Table Schema v2's field-level missing values (they replace the schema's, so the
                // empty value is among them): objects with a label when any value has a meaning
                let mut missing: Vec<Value> = Vec::new();
                if c.missing_meanings.is_empty() {
                    missing.push(json!(""));
                    missing.extend(c.missing_values.iter().map(|m| json!(m)));
                } else {
                    missing.push(json!({"value": "", "label": "tomt"}));
                    missing.extend(c.missing_values.iter().map(|m| match c.missing_meanings.get(m) {
                        Some(label) => json!({"value": m, "label": label}),
                        None => json!({"value": m, "label": "saknat värde"}),
                    }));
                }
                json!({
                    "name": c.name,
                    "title": c.title.best("sv"),
                    "description": description,
                    "type": c.value_type.table_schema(),
                    "rdfType": c.variable,
                    "constraints": constraints,
                    "missingValues": missing,
                    "vk:level": level_name(c.level),
                    "vk:missingValues": c.missing_values,
                })
            })
            .collect();
        json!({
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "name": self.id,
            "title": self.title.best("sv"),
            "vk:collection": self.iri,
            "fields": fields,
            "fieldsMatch": self.fields_match.as_str(),
            "missingValues": [""],
        })
    }

    /// Reads a Table Schema written by [`Self::to_table_schema`] (or any Table Schema: fields
    /// without `vk:level` are required when `constraints.required` is true, else optional; no
    /// `fieldsMatch` is `exact`). An empty `enum` is refused: Table Schema asks for at least
    /// one value, and with none no delivery could pass.
    pub fn from_table_schema(value: &Value) -> Result<Self, String> {
        let fields = value.get("fields").and_then(Value::as_array).ok_or("the schema has no \"fields\" list")?;
        let fields_match = match value.get("fieldsMatch") {
            None => FieldsMatch::Exact,
            Some(v) => v
                .as_str()
                .and_then(FieldsMatch::parse)
                .ok_or_else(|| format!("\"fieldsMatch\" is {v}: it must be one of exact, equal, subset, superset or partial"))?,
        };
        let mut columns = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let name = f.get("name").and_then(Value::as_str).ok_or_else(|| format!("field {} has no \"name\"", i + 1))?;
            let constraints = f.get("constraints");
            let required = constraints.and_then(|c| c.get("required")).and_then(Value::as_bool).unwrap_or(false);
            let level = match f.get("vk:level").and_then(Value::as_str) {
                Some("required") => RequirementLevel::Required,
                Some("conditional") => RequirementLevel::Conditional,
                Some("optional") => RequirementLevel::Optional,
                _ if required => RequirementLevel::Required,
                _ => RequirementLevel::Optional,
            };
            let codes: Option<BTreeSet<String>> = constraints
                .and_then(|c| c.get("enum"))
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())).collect());
            if codes.as_ref().is_some_and(BTreeSet::is_empty) {
                return Err(format!("field {name:?} has an empty \"enum\": no value could pass (Table Schema asks for at least one)"));
            }
            let num = |k: &str| constraints.and_then(|c| c.get(k)).and_then(Value::as_f64);
            // missing values: Table Schema v2's field-level `missingValues` (strings, or objects
            // with `value` and `label`), and this catalogue's older `vk:missingValues`; the empty
            // value is always missing here
            let mut missing_values: Vec<String> = Vec::new();
            let mut missing_meanings = BTreeMap::new();
            let listed = f.get("missingValues").and_then(Value::as_array).into_iter().flatten();
            let older = f.get("vk:missingValues").and_then(Value::as_array).into_iter().flatten();
            for m in listed.chain(older) {
                let (value, label) = match m {
                    Value::String(s) => (s.clone(), None),
                    Value::Object(o) => match o.get("value").and_then(Value::as_str) {
                        Some(v) => (v.to_owned(), o.get("label").and_then(Value::as_str).map(str::to_owned)),
                        None => return Err(format!("field {name:?}: a missing value object has no \"value\"")),
                    },
                    other => return Err(format!("field {name:?}: the missing value {other} is not a string")),
                };
                if value.is_empty() || missing_values.contains(&value) {
                    continue;
                }
                if let Some(l) = label.filter(|l| !l.is_empty() && l != "saknat värde") {
                    missing_meanings.insert(value.clone(), l);
                }
                missing_values.push(value);
            }
            columns.push(ColumnSpec {
                name: name.to_owned(),
                title: LangText::sv(f.get("title").and_then(Value::as_str).unwrap_or(name)),
                variable: f.get("rdfType").and_then(Value::as_str).unwrap_or_default().to_owned(),
                level,
                condition: LangText::new(),
                value_type: ValueType::from_table_schema(f.get("type").and_then(Value::as_str).unwrap_or("string")),
                codes,
                codes_unpublished: None,
                minimum: num("minimum"),
                maximum: num("maximum"),
                missing_values,
                missing_meanings,
            });
        }
        Ok(Self {
            id: value.get("name").and_then(Value::as_str).unwrap_or("schema").to_owned(),
            iri: value.get("vk:collection").and_then(Value::as_str).unwrap_or_default().to_owned(),
            title: LangText::sv(value.get("title").and_then(Value::as_str).unwrap_or_default()),
            columns,
            fields_match,
        })
    }

    /// CSVW metadata (https://www.w3.org/TR/tabular-metadata/) describing a delivery file.
    /// Codes become a `format` pattern on a string datatype, as CSVW has no enumeration.
    pub fn to_csvw(&self, file_name: &str) -> Value {
        let columns: Vec<Value> = self
            .columns
            .iter()
            .map(|c| {
                let mut datatype = serde_json::Map::new();
                datatype.insert("base".into(), json!(c.value_type.csvw()));
                if let Some(codes) = c.codes.as_ref().filter(|codes| !codes.is_empty()) {
                    let alternatives: Vec<String> = codes.iter().map(|code| regex::escape(code)).collect();
                    datatype.insert("format".into(), json!(format!("^(?:{})$", alternatives.join("|"))));
                }
                if let Some(m) = c.minimum {
                    datatype.insert("minimum".into(), json!(m));
                }
                if let Some(m) = c.maximum {
                    datatype.insert("maximum".into(), json!(m));
                }
                let mut nulls = vec![String::new()];
                nulls.extend(c.missing_values.iter().cloned());
                json!({
                    "name": c.name,
                    "titles": [c.name],
                    "dc:title": c.title.iter().map(|(l, t)| json!({"@value": t, "@language": l})).collect::<Vec<_>>(),
                    "propertyUrl": c.variable,
                    "datatype": datatype,
                    "required": c.level == RequirementLevel::Required,
                    "null": nulls,
                })
            })
            .collect();
        json!({
            "@context": ["http://www.w3.org/ns/csvw", {"@language": "sv"}],
            "url": file_name,
            "dc:title": self.title.best("sv"),
            "dc:source": self.iri,
            "tableSchema": { "columns": columns },
        })
    }
}

/// Said of a column whose code list has no published codes (the Table Schema's description).
pub const UNPUBLISHED_CODES_SV: &str = "Kodlistan har inga publicerade koder ännu, så värdena kontrolleras inte mot den";

/// The same on the collection's page.
pub fn unpublished_codes(lang: &str) -> &'static str {
    if lang == "en" { "The code list has no published codes yet, so values are not checked against it" } else { UNPUBLISHED_CODES_SV }
}

/// "required", "conditional", "optional".
pub fn level_name(level: RequirementLevel) -> &'static str {
    level.label("en")
}

/// Variables that state a requirement for `dataset`, in IRI order.
fn requirement_holders(cat: &Catalogue, dataset: &NamedNode) -> Result<Vec<NamedNode>, StoreError> {
    crate::store::queries::requirement_holders(cat.store(), dataset)
}

/// The data collections of the catalogue: datasets that variables state requirements for.
pub fn collections(cat: &Catalogue) -> Result<Vec<NamedNode>, StoreError> {
    let mut out = Vec::new();
    for c in crate::store::queries::collections(cat.store())? {
        if cat.public_resource(c.as_ref())?.is_some() {
            out.push(c);
        }
    }
    Ok(out)
}
