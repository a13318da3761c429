//! Variables from a table: CSV (any common delimiter, UTF-8 or Windows-1252) or one XLSX sheet,
//! one row per variable (or per variable and dataset), read through a column [`Mapping`].
//!
//! The mapping says which header holds which field; headers compare without case, whitespace,
//! punctuation or diacritics. Presets: [`Mapping::workbook`] (the 16 columns of Socialstyrelsen's
//! `Metadata - Variabelnivå` sheet plus this catalogue's extension columns) and [`Mapping::rut`]
//! (a variable list as copied out of RUT). A mapping can be written in TOML (`docs/import.md`).

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::NamedNode;
use serde::Deserialize;

use super::cells::{self, Sheet, column_letter, normalise};
use super::{Batch, Field, Imported, IngestError, Options, Problem};
use crate::model::ids::{check_slug, slugify};
use crate::model::vocab::{eu, xsd};
use crate::model::{Attribution, LangString, LangText, Period, RecordKind, Representation, Resource, Temporal, Variable};

/// The fields a column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// The dataset (or subset) holding the variable: its id, or a name made into one.
    Dataset,
    /// The variable's id in this catalogue (default: `{prefix}-{name}`).
    Id,
    /// The technical name (`skos:notation`); required.
    Notation,
    LabelSv,
    LabelEn,
    DefinitionSv,
    DefinitionEn,
    /// Words (`Heltal`, `Sträng (text)`, `Datum`, …) or `xsd:…`.
    Datatype,
    /// A code list (`Kodlista_X` sheet, `kodlista:{id}`) or free text (kept as a remark).
    ValueSet,
    /// Coding-system IRIs.
    CodingSystem,
    /// Start of coverage (`1997`, `19970101`, `1997-01-01`).
    Start,
    End,
    /// Coverage written as periods (`1997–2008; 2010–`).
    Period,
    /// Remarks; paragraphs separated by a blank line become separate notes.
    ScopeNote,
    /// Source IRIs.
    Source,
    /// UCUM unit code.
    Unit,
    /// Missing-value codes separated by `;`, each with its meaning after `=` when it has one.
    Missing,
    /// Event, status at a date, or accumulated over a period (words or the IRI).
    Temporality,
    /// Person, event, stay or prescription (words or the IRI).
    UnitType,
    /// The owner (an organisation's name or IRI).
    Owner,
    /// Known columns this catalogue has no field for; a value in them is reported once.
    NotImported,
}

/// Which headers fill which field, and the defaults for a file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A name for messages ("Socialstyrelsens variabelblad", "RUT").
    #[serde(default)]
    pub name: String,
    /// The dataset id rows without a dataset column belong to.
    #[serde(default)]
    pub dataset: Option<String>,
    /// Prefix of minted variable ids.
    #[serde(default)]
    pub id_prefix: Option<String>,
    /// For XLSX: the sheet to read (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Field → the headers that may hold it.
    pub columns: BTreeMap<Column, Vec<String>>,
}

fn cols(pairs: &[(Column, &[&str])]) -> BTreeMap<Column, Vec<String>> {
    pairs.iter().map(|(c, hs)| (*c, hs.iter().map(|h| (*h).to_owned()).collect())).collect()
}

impl Mapping {
    /// The `Metadata - Variabelnivå` sheet: its 16 columns, and the extension columns this
    /// catalogue writes on export (`Identifierare`, the English label and description, `Enhet`).
    pub fn workbook() -> Self {
        Self {
            name: "Metadata - Variabelnivå".into(),
            dataset: None,
            id_prefix: None,
            sheet: None,
            columns: cols(&[
                (Column::Dataset, &["Deldatamängdsnamn", "Datavynamn", "Deldatamängd"]),
                (Column::Notation, &["Variabelnamn"]),
                (Column::LabelSv, &["Variabeletikett"]),
                (Column::DefinitionSv, &["Variabelbeskrivning"]),
                (Column::ValueSet, &["Värdemängd"]),
                (Column::CodingSystem, &["Länk kodverk", "Länk till kodverk"]),
                (Column::Datatype, &["Datatyp"]),
                (Column::Start, &["Data från"]),
                (Column::End, &["Data till"]),
                (Column::ScopeNote, &["Kvalitetsanmärkning", "Kvalitetsanmärkningar"]),
                (Column::Source, &["Specificera källa"]),
                (Column::NotImported, &["Objekttyp", "Kopplingsvariabel", "Kopplingsbeskrivning", "Ursprung"]),
                // extension columns (this catalogue's export)
                (Column::Id, &["Identifierare", "Identifier"]),
                (Column::LabelEn, &["Variabeletikett (engelska)", "Variable label"]),
                (Column::DefinitionEn, &["Variabelbeskrivning (engelska)", "Variable description"]),
                (Column::Unit, &["Enhet", "Unit"]),
                (Column::Missing, &["Saknat värde", "Missing values"]),
                (Column::Owner, &["Ägare", "Owner"]),
                (Column::Temporality, &["Temporalitet", "Temporality"]),
                (Column::UnitType, &["Enhetstyp", "Unit type"]),
            ]),
        }
    }

    /// A variable list copied out of RUT (Vetenskapsrådet's Register Utiliser Tool). RUT has no
    /// public export format (sources.md §1): these are the GSIM names RUT shows for a register's
    /// variables, in Swedish and English. Adjust with a mapping file when a real export differs.
    pub fn rut() -> Self {
        Self {
            name: "RUT".into(),
            dataset: None,
            id_prefix: None,
            sheet: None,
            columns: cols(&[
                (Column::Dataset, &["Register", "Registervariant", "Registerversion", "Datamängd"]),
                (Column::Notation, &["Variabel", "Variabelnamn", "Variable", "Variable name"]),
                (Column::LabelSv, &["Etikett", "Variabeletikett", "Benämning"]),
                (Column::LabelEn, &["Label", "Variable label"]),
                (Column::DefinitionSv, &["Beskrivning", "Definition", "Variabelbeskrivning"]),
                (Column::DefinitionEn, &["Description"]),
                (Column::ValueSet, &["Värdemängd", "Kodlista", "Value domain", "Code list"]),
                (Column::Datatype, &["Datatyp", "Data type"]),
                (Column::Start, &["Från", "Giltig från", "Data från", "Valid from"]),
                (Column::End, &["Till", "Giltig till", "Data till", "Valid to"]),
                (Column::Period, &["Tidsperiod", "Period"]),
                (Column::ScopeNote, &["Kommentar", "Anmärkning", "Comment"]),
                (Column::Owner, &["Registerhållare", "Register holder"]),
                (Column::NotImported, &["Enhetstyp", "Unit type", "Land", "Senaste uppdatering"]),
            ]),
        }
    }

    /// A preset by name: `workbook` (alias `socialstyrelsen`) or `rut`.
    pub fn preset(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "workbook" | "socialstyrelsen" | "sos" => Some(Self::workbook()),
            "rut" => Some(Self::rut()),
            _ => None,
        }
    }

    /// A mapping written in TOML (see `docs/import.md`).
    pub fn from_toml(text: &str) -> Result<Self, IngestError> {
        let m: Self = toml::from_str(text).map_err(|e| IngestError::Mapping(e.to_string()))?;
        if !m.columns.contains_key(&Column::Notation) {
            return Err(IngestError::Mapping("the mapping must name the column of `notation` (the variable name)".into()));
        }
        Ok(m)
    }
}

/// Where a resolved header sits.
struct Layout {
    header_row: u32,
    /// field → (index, header as written)
    at: BTreeMap<Column, (usize, String)>,
    not_imported: Vec<(usize, String)>,
}

fn layout(sheet: &Sheet, mapping: &Mapping) -> Option<Layout> {
    let wanted: Vec<(Column, String)> = mapping.columns.iter().flat_map(|(c, hs)| hs.iter().map(move |h| (*c, normalise(h)))).collect();
    let notation_headers: Vec<String> = mapping.columns.get(&Column::Notation)?.iter().map(|h| normalise(h)).collect();
    for (row, cells) in sheet.filled().take(30) {
        if !cells.iter().any(|c| notation_headers.contains(&normalise(c))) {
            continue;
        }
        let mut at = BTreeMap::new();
        let mut not_imported = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            let n = normalise(c);
            if n.is_empty() {
                continue;
            }
            if let Some((col, _)) = wanted.iter().find(|(_, h)| *h == n) {
                if *col == Column::NotImported {
                    not_imported.push((i, c.trim().to_owned()));
                } else {
                    at.entry(*col).or_insert((i, c.trim().to_owned()));
                }
            }
        }
        return Some(Layout { header_row: *row, at, not_imported });
    }
    None
}

/// What the variable rows need from the rest of the file.
pub(crate) struct Context<'a> {
    pub options: &'a Options,
    /// The dataset id of rows that name none.
    pub dataset: Option<String>,
    pub prefix: Option<String>,
    pub owner: Option<NamedNode>,
    /// Resolves a value-set cell (and the variable's technical name) to a code list.
    pub code_list: &'a dyn Fn(&str, &str) -> Option<NamedNode>,
}

/// A code-list reference written `Kodlista_{id}` or `kodlista:{id}` (the form the export
/// writes in CSV), as the list's IRI.
pub(crate) fn code_list_reference(value: &str, options: &Options) -> Option<NamedNode> {
    let v = value.trim();
    let lower = v.to_lowercase();
    let id = lower.strip_prefix("kodlista_").or_else(|| lower.strip_prefix("kodlista:"))?.trim();
    check_slug(id).ok()?;
    options.minter.record(RecordKind::CodeList, id).ok()
}

/// A dataset id from a cell: an id as it is, any other name made into one (`PAR_SV` → `par-sv`).
pub(crate) fn dataset_id(value: &str) -> String {
    let v = value.trim();
    if check_slug(v).is_ok() { v.to_owned() } else { slugify(v) }
}

/// Reads the variable rows of a sheet into `batch`.
pub(crate) fn read_variables(sheet: &Sheet, mapping: &Mapping, ctx: &Context<'_>, batch: &mut Batch) {
    let Some(layout) = layout(sheet, mapping) else {
        let wanted = mapping.columns.get(&Column::Notation).map(|h| h.join("' / '")).unwrap_or_default();
        batch.problems.push(Problem::error(
            &sheet.name,
            None,
            None,
            format!("Ingen rubrikrad med kolumnen '{wanted}' hittades."),
            format!("No header row with the column '{wanted}' was found."),
        ));
        return;
    };
    let col_name = |c: Column| layout.at.get(&c).map(|(i, h)| format!("{h} ({})", column_letter(*i)));
    let minter = &ctx.options.minter;
    let has = |c: Column| layout.at.contains_key(&c);
    let mut covered: BTreeSet<Field> = BTreeSet::from([Field::Identifier, Field::Notation]);
    for (c, f) in [
        (Column::LabelSv, Field::LabelSv),
        (Column::LabelEn, Field::LabelEn),
        (Column::DefinitionSv, Field::DefinitionSv),
        (Column::DefinitionEn, Field::DefinitionEn),
        (Column::Datatype, Field::Representation),
        (Column::CodingSystem, Field::CodingSystems),
        (Column::Start, Field::Temporal),
        (Column::End, Field::Temporal),
        (Column::Period, Field::Temporal),
        (Column::ScopeNote, Field::ScopeNotes),
        (Column::ValueSet, Field::ScopeNotes),
        (Column::Source, Field::Sources),
        (Column::Unit, Field::Unit),
        (Column::Missing, Field::MissingValues),
        (Column::Temporality, Field::Temporality),
        (Column::UnitType, Field::UnitType),
        (Column::Owner, Field::Owner),
    ] {
        if has(c) {
            covered.insert(f);
        }
    }
    if !has(Column::LabelSv) {
        // the technical name stands in as the label of a new record
        covered.insert(Field::LabelSv);
    }
    if has(Column::Dataset) || ctx.dataset.is_some() {
        covered.insert(Field::Datasets);
    }
    if ctx.owner.is_some() {
        covered.insert(Field::Owner);
    }
    let mut reported_not_imported: BTreeSet<usize> = BTreeSet::new();
    let mut without_dataset = false;
    let mut errs: Vec<Problem> = Vec::new();

    for (row, cells) in sheet.filled().filter(|(r, _)| *r > layout.header_row) {
        batch.problems.append(&mut errs);
        let row = *row;
        let get = |c: Column| -> &str { layout.at.get(&c).and_then(|(i, _)| cells.get(*i)).map(|s| s.trim()).unwrap_or("") };
        let mut error = |c: Column, sv: String, en: String| {
            errs.push(Problem::error(&sheet.name, Some(row), col_name(c), sv, en));
        };
        for (i, header) in &layout.not_imported {
            if cells.get(*i).is_some_and(|v| !v.trim().is_empty()) && reported_not_imported.insert(*i) {
                batch.problems.push(Problem::warning(
                    &sheet.name,
                    Some(row),
                    Some(format!("{header} ({})", column_letter(*i))),
                    "Kolumnen har värden men katalogen har inget fält för den; den importeras inte.",
                    "The column has values but the catalogue has no field for it; it is not imported.",
                ));
            }
        }
        let notation = get(Column::Notation);
        if notation.is_empty() {
            batch.problems.push(Problem::warning(
                &sheet.name,
                Some(row),
                col_name(Column::Notation),
                "Raden saknar variabelnamn och hoppas över.",
                "The row has no variable name and is skipped.",
            ));
            continue;
        }
        // id
        let explicit = get(Column::Id);
        let id = if !explicit.is_empty() {
            if check_slug(explicit).is_err() {
                error(
                    Column::Id,
                    format!("'{explicit}' är ingen giltig identifierare: använd a–z, 0–9 och bindestreck."),
                    format!("'{explicit}' is not a valid identifier: use a–z, 0–9 and hyphens."),
                );
                continue;
            }
            explicit.to_owned()
        } else {
            let slug = slugify(notation);
            match (&ctx.prefix, slug.is_empty()) {
                (_, true) => {
                    error(
                        Column::Notation,
                        format!("Variabelnamnet '{notation}' ger ingen identifierare."),
                        format!("The variable name '{notation}' yields no identifier."),
                    );
                    continue;
                }
                (Some(p), false) => format!("{p}-{slug}"),
                (None, false) => slug,
            }
        };
        let Ok(iri) = minter.record(RecordKind::Variable, &id) else {
            error(Column::Id, format!("'{id}' är ingen giltig identifierare."), format!("'{id}' is not a valid identifier."));
            continue;
        };
        let label = match get(Column::LabelSv) {
            "" => LangText::sv(notation),
            l => LangText::sv(l),
        };
        let mut v = Variable::new(iri, label);
        v.identifier = Some(id.clone());
        v.notation = Some(notation.to_owned());
        let en = get(Column::LabelEn);
        if !en.is_empty() {
            v.label.set("en", en);
        }
        v.definition.set("sv", get(Column::DefinitionSv));
        v.definition.set("en", get(Column::DefinitionEn));
        // dataset
        let ds = get(Column::Dataset);
        let ds_id = if ds.is_empty() { ctx.dataset.clone() } else { Some(dataset_id(ds)) };
        match ds_id.as_deref().map(|d| minter.record(RecordKind::Dataset, d)) {
            Some(Ok(d)) => v.datasets.push(d),
            Some(Err(_)) => {
                error(
                    Column::Dataset,
                    format!("'{ds}' ger ingen giltig identifierare för en datamängd."),
                    format!("'{ds}' yields no valid dataset identifier."),
                );
                continue;
            }
            None => without_dataset = true,
        }
        // representation
        let datatype = match get(Column::Datatype) {
            "" => None,
            word => match cells::datatype(word) {
                Some(d) => Some(d),
                None => {
                    error(
                        Column::Datatype,
                        format!("Okänd datatyp '{word}': använd {}.", cells::datatype_list(false)),
                        format!("Unknown data type '{word}': use {}.", cells::datatype_list(true)),
                    );
                    continue;
                }
            },
        };
        let value_set = get(Column::ValueSet);
        let list = (ctx.code_list)(value_set, notation);
        v.representation = match (list, datatype) {
            (Some(scheme), d) => Some(Representation::CodeList { scheme, datatype: d.unwrap_or_else(|| xsd::STRING.into_owned()) }),
            (None, Some(d)) => Some(Representation::Datatype(d)),
            (None, None) => None,
        };
        if v.representation.as_ref().is_some_and(|r| r.code_list().is_some()) {
            covered.insert(Field::Representation);
        }
        // remarks: the quality note's paragraphs, and a value set in words
        let mut notes: Vec<LangString> =
            get(Column::ScopeNote).split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(|p| LangString::new("sv", p)).collect();
        if !value_set.is_empty() && v.representation.as_ref().and_then(Representation::code_list).is_none() {
            notes.push(LangString::new("sv", format!("{VALUE_SET_NOTE}{value_set}")));
        }
        v.scope_notes = notes;
        // coding systems and sources
        for (c, target) in [(Column::CodingSystem, 0), (Column::Source, 1)] {
            for item in cells::split_list(get(c)) {
                match NamedNode::new(item.as_str()).ok().filter(|_| cells::looks_like_iri(&item)) {
                    Some(n) if target == 0 => v.coding_systems.push(n),
                    Some(n) => v.sources.push(n),
                    None => error(c, format!("'{item}' är ingen webbadress (IRI)."), format!("'{item}' is not a web address (IRI).")),
                }
            }
        }
        // coverage
        let (start, end) = (get(Column::Start), get(Column::End));
        if !start.is_empty() || !end.is_empty() {
            let s = if start.is_empty() { Ok(None) } else { Temporal::read(start).map(Some).ok_or(Column::Start) };
            let e = if end.is_empty() { Ok(None) } else { Temporal::read(end).map(Some).ok_or(Column::End) };
            match (s, e) {
                (Ok(start), Ok(end)) => v.temporal.push(Period { start, end }),
                (Err(c), _) | (_, Err(c)) => {
                    let value = if c == Column::Start { start } else { end };
                    error(
                        c,
                        format!("'{value}' är inget år eller datum (skriv t.ex. 1997, 19970101 eller 1997-01-01)."),
                        format!("'{value}' is not a year or date (write e.g. 1997, 19970101 or 1997-01-01)."),
                    );
                    continue;
                }
            }
        }
        let period = get(Column::Period);
        if !period.is_empty() {
            match Period::parse_list(period) {
                Some(ps) => v.temporal.extend(ps),
                None => {
                    error(
                        Column::Period,
                        format!("'{period}' är ingen tidsperiod (skriv t.ex. 1997–2008 eller 2001–)."),
                        format!("'{period}' is not a period (write e.g. 1997–2008 or 2001–)."),
                    );
                    continue;
                }
            }
        }
        let unit = get(Column::Unit);
        if !unit.is_empty() {
            v.unit = Some(unit.to_owned());
        }
        (v.missing_values, v.missing_meanings) = crate::model::documentation::parse_missing(get(Column::Missing), &[';'], &[]);
        let temporality = get(Column::Temporality);
        if !temporality.is_empty() {
            match crate::model::Temporality::parse(temporality) {
                Some(t) => v.temporality = Some(t),
                None => {
                    error(
                        Column::Temporality,
                        format!(
                            "'{temporality}' är ingen temporalitet (skriv Händelse, Tillstånd vid en tidpunkt eller Ackumulerat över en period)."
                        ),
                        format!("'{temporality}' is no temporality (write Event, Status at a date or Accumulated over a period)."),
                    );
                    continue;
                }
            }
        }
        let unit_type = get(Column::UnitType);
        if !unit_type.is_empty() {
            match crate::model::UnitType::parse(unit_type) {
                Some(u) => v.unit_type = Some(u),
                None => {
                    error(
                        Column::UnitType,
                        format!("'{unit_type}' är ingen enhetstyp (skriv Person, Händelse, Vårdtillfälle eller Förskrivning)."),
                        format!("'{unit_type}' is no unit type (write Person, Event, Stay or Prescription)."),
                    );
                    continue;
                }
            }
        }
        let owner = match get(Column::Owner) {
            "" => ctx.owner.clone(),
            name => ctx.options.agent(name),
        };
        if let Some(agent) = owner {
            v.attributions.push(Attribution { agent, role: NamedNode::new_unchecked(eu::ROLE_OWNER) });
        }
        batch.push(Imported { resource: Resource::Variable(v), fields: covered.clone(), sheet: sheet.name.clone(), row: Some(row) });
    }
    batch.problems.append(&mut errs);
    if without_dataset {
        batch.problems.push(Problem::warning(
            &sheet.name,
            None,
            None,
            "Variablerna knyts inte till någon datamängd: filen har ingen kolumn för datamängd och ingen datamängd angavs.",
            "The variables are not linked to any dataset: the file has no dataset column and no dataset was given.",
        ));
    }
    // every record read from this sheet covers the same fields
    for r in batch.records.iter_mut().filter(|r| r.sheet == sheet.name) {
        r.fields.extend(covered.iter().copied());
    }
}

/// The prefix of a remark that holds a value set written in words.
pub const VALUE_SET_NOTE: &str = "Värdemängd: ";

/// Reads a CSV file of variables.
pub fn read_csv(name: &str, bytes: &[u8], mapping: &Mapping, options: &Options) -> Result<Batch, IngestError> {
    let sheet = cells::read_csv(name, bytes)?;
    Ok(read_sheet(&sheet, mapping, options))
}

/// Reads one sheet of an XLSX file (the mapping's `sheet`, else the first) as a table of variables.
pub fn read_xlsx(bytes: &[u8], mapping: &Mapping, options: &Options) -> Result<Batch, IngestError> {
    let sheets = cells::read_workbook(bytes)?;
    let sheet = match &mapping.sheet {
        Some(name) => sheets
            .iter()
            .find(|s| normalise(&s.name) == normalise(name))
            .ok_or_else(|| IngestError::Workbook(format!("there is no sheet '{name}'")))?,
        None => sheets.first().ok_or(IngestError::Empty)?,
    };
    Ok(read_sheet(sheet, mapping, options))
}

fn read_sheet(sheet: &Sheet, mapping: &Mapping, options: &Options) -> Batch {
    let dataset = options.dataset.clone().or_else(|| mapping.dataset.clone());
    let prefix = options.id_prefix.clone().or_else(|| mapping.id_prefix.clone()).or_else(|| dataset.clone());
    let resolve = |value: &str, _: &str| code_list_reference(value, options);
    let ctx = Context { options, dataset, prefix, owner: options.owner.clone(), code_list: &resolve };
    let mut batch = Batch::default();
    read_variables(sheet, mapping, &ctx, &mut batch);
    batch
}
