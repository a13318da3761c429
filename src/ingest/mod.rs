//! Bulk import and export of variable specifications in spreadsheet form: Socialstyrelsen's
//! register metadata workbook and plain CSV (or one XLSX sheet) with a column mapping.
//!
//! Owns: reading workbooks and tables into typed model records (`workbook`, `tabular`), writing
//! a dataset's variables and code lists back in the same layout (`export`), and the import
//! preview (`plan`): what would be created, changed and left unchanged, compared by content
//! hash with the record as it is now. Every problem names its sheet, row and column, in Swedish
//! and English.
//!
//! Does not: write to the store or know HTTP. Saving a plan is the caller's (as drafts, through
//! the curation service); the readers are pure so that harvesting can reuse them.
//!
//! A spreadsheet covers only some fields of a record. Each imported record therefore carries
//! the set of fields its source had columns for ([`Field`]); the plan lays exactly those fields
//! over the current record and keeps every other field as it is (keywords, themes, HealthDCAT-AP
//! properties, curation notes). The layout and the column mapping are documented in
//! `docs/import.md`.

pub mod cells;
pub mod csv_cells;
pub mod export;
pub mod limits;
pub mod plan;
pub mod tabular;
pub mod workbook;
pub mod xlsx;

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use oxigraph::model::NamedNode;

use crate::model::{Minter, Resource};

pub use plan::{ImportPlan, PlanEntry, plan};

/// How bad a problem is: an error stops the import; a warning is shown and the rest is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in the input, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// The sheet (for a CSV file: its name).
    pub sheet: String,
    /// 1-based row number as a spreadsheet shows it.
    pub row: Option<u32>,
    /// The column's header as written in the file, with its letter: `Datatyp (H)`.
    pub column: Option<String>,
    pub sv: String,
    pub en: String,
}

impl Problem {
    pub fn error(sheet: &str, row: Option<u32>, column: Option<String>, sv: impl Into<String>, en: impl Into<String>) -> Self {
        Self { severity: Severity::Error, sheet: sheet.to_owned(), row, column, sv: sv.into(), en: en.into() }
    }

    pub fn warning(sheet: &str, row: Option<u32>, column: Option<String>, sv: impl Into<String>, en: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, sheet: sheet.to_owned(), row, column, sv: sv.into(), en: en.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// "blad 'X', rad 4, kolumn 'Datatyp (H)'" / "sheet 'X', row 4, column 'Datatyp (H)'".
    pub fn location(&self, lang: &str) -> String {
        let en = lang == "en";
        let mut out = format!("{} '{}'", if en { "sheet" } else { "blad" }, self.sheet);
        if let Some(r) = self.row {
            out.push_str(&format!(", {} {r}", if en { "row" } else { "rad" }));
        }
        if let Some(c) = &self.column {
            out.push_str(&format!(", {} '{c}'", if en { "column" } else { "kolumn" }));
        }
        out
    }

    pub fn message(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.sv }
    }

    /// Location and message in one line.
    pub fn describe(&self, lang: &str) -> String {
        format!("{}: {}", self.location(lang), self.message(lang))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("sv"))
    }
}

/// A field a spreadsheet can set. An imported record lists the fields its source covered; only
/// those replace the current record's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Identifier,
    TitleSv,
    TitleEn,
    DescriptionSv,
    DescriptionEn,
    Temporal,
    Spatial,
    PopulationSv,
    PopulationEn,
    Frequency,
    Publisher,
    ContactPoint,
    Pages,
    LandingPages,
    AccessRights,
    Legislation,
    IsPartOf,
    // the EHDS minimum elements (Implementing Regulation (EU) 2026/2098, Annex Part B)
    Keywords,
    DatasetType,
    HealthCategories,
    HealthThemes,
    Hdab,
    Custodian,
    PersonalData,
    UniqueIndividuals,
    ProvenanceSv,
    ProvenanceEn,
    GeneratedBy,
    StructuredData,
    CodeValues,
    // variables
    Datasets,
    Notation,
    LabelSv,
    LabelEn,
    DefinitionSv,
    DefinitionEn,
    Representation,
    CodingSystems,
    ScopeNotes,
    Sources,
    Unit,
    MissingValues,
    Temporality,
    UnitType,
    Owner,
    // codes
    InScheme,
    Validity,
    Order,
    /// A code's Swedish synonyms (`skos:altLabel`) and search words (`skos:hiddenLabel`).
    Synonyms,
    SearchWords,
}

impl Field {
    /// What the field is called in the preview.
    pub fn label(self, lang: &str) -> &'static str {
        let en = lang == "en";
        match self {
            Self::Identifier => {
                if en {
                    "identifier"
                } else {
                    "identifierare"
                }
            }
            Self::TitleSv => {
                if en {
                    "title (Swedish)"
                } else {
                    "titel (svenska)"
                }
            }
            Self::TitleEn => {
                if en {
                    "title (English)"
                } else {
                    "titel (engelska)"
                }
            }
            Self::DescriptionSv => {
                if en {
                    "description (Swedish)"
                } else {
                    "beskrivning (svenska)"
                }
            }
            Self::DescriptionEn => {
                if en {
                    "description (English)"
                } else {
                    "beskrivning (engelska)"
                }
            }
            Self::Temporal => {
                if en {
                    "time period"
                } else {
                    "tidsperiod"
                }
            }
            Self::Spatial => {
                if en {
                    "geographic area"
                } else {
                    "geografiskt område"
                }
            }
            Self::PopulationSv => {
                if en {
                    "population (Swedish)"
                } else {
                    "population (svenska)"
                }
            }
            Self::PopulationEn => {
                if en {
                    "population (English)"
                } else {
                    "population (engelska)"
                }
            }
            Self::Frequency => {
                if en {
                    "update frequency"
                } else {
                    "uppdateringsfrekvens"
                }
            }
            Self::Publisher => {
                if en {
                    "publisher"
                } else {
                    "utgivare"
                }
            }
            Self::ContactPoint => {
                if en {
                    "contact point"
                } else {
                    "kontaktuppgift"
                }
            }
            Self::Pages => {
                if en {
                    "documentation"
                } else {
                    "dokumentation"
                }
            }
            Self::LandingPages => {
                if en {
                    "landing page"
                } else {
                    "ingångssida"
                }
            }
            Self::AccessRights => {
                if en {
                    "access rights"
                } else {
                    "åtkomsträttigheter"
                }
            }
            Self::Legislation => {
                if en {
                    "applicable legislation"
                } else {
                    "tillämplig lagstiftning"
                }
            }
            Self::IsPartOf => {
                if en {
                    "part of"
                } else {
                    "del av"
                }
            }
            Self::Keywords => {
                if en {
                    "keywords"
                } else {
                    "nyckelord"
                }
            }
            Self::DatasetType => {
                if en {
                    "dataset type"
                } else {
                    "typ av datamängd"
                }
            }
            Self::HealthCategories => {
                if en {
                    "health category"
                } else {
                    "hälsodatakategori"
                }
            }
            Self::HealthThemes => {
                if en {
                    "health theme"
                } else {
                    "hälsotema"
                }
            }
            Self::Hdab => {
                if en {
                    "health data access body"
                } else {
                    "tillståndsmyndighet (HDAB)"
                }
            }
            Self::Custodian => {
                if en {
                    "health data holder"
                } else {
                    "hälsodatainnehavare"
                }
            }
            Self::PersonalData => {
                if en {
                    "personal data"
                } else {
                    "personuppgifter"
                }
            }
            Self::UniqueIndividuals => {
                if en {
                    "unique individuals"
                } else {
                    "antal unika individer"
                }
            }
            Self::ProvenanceSv => {
                if en {
                    "provenance (Swedish)"
                } else {
                    "ursprung (svenska)"
                }
            }
            Self::ProvenanceEn => {
                if en {
                    "provenance (English)"
                } else {
                    "ursprung (engelska)"
                }
            }
            Self::GeneratedBy => {
                if en {
                    "generated by"
                } else {
                    "insamlad genom"
                }
            }
            Self::StructuredData => {
                if en {
                    "structured data"
                } else {
                    "strukturerade data"
                }
            }
            Self::CodeValues => {
                if en {
                    "code values"
                } else {
                    "kodvärden"
                }
            }
            Self::Datasets => {
                if en {
                    "datasets"
                } else {
                    "datamängder"
                }
            }
            Self::Notation => {
                if en {
                    "technical name"
                } else {
                    "variabelnamn"
                }
            }
            Self::LabelSv => {
                if en {
                    "label (Swedish)"
                } else {
                    "etikett (svenska)"
                }
            }
            Self::LabelEn => {
                if en {
                    "label (English)"
                } else {
                    "etikett (engelska)"
                }
            }
            Self::DefinitionSv => {
                if en {
                    "definition (Swedish)"
                } else {
                    "definition (svenska)"
                }
            }
            Self::DefinitionEn => {
                if en {
                    "definition (English)"
                } else {
                    "definition (engelska)"
                }
            }
            Self::Representation => {
                if en {
                    "data type / value set"
                } else {
                    "datatyp / värdemängd"
                }
            }
            Self::CodingSystems => {
                if en {
                    "coding system"
                } else {
                    "kodverk"
                }
            }
            Self::ScopeNotes => {
                if en {
                    "remarks"
                } else {
                    "anmärkningar"
                }
            }
            Self::Sources => {
                if en {
                    "source"
                } else {
                    "källa"
                }
            }
            Self::Unit => {
                if en {
                    "unit"
                } else {
                    "enhet"
                }
            }
            Self::MissingValues => {
                if en {
                    "missing-value codes"
                } else {
                    "koder för saknat värde"
                }
            }
            Self::Temporality => {
                if en {
                    "temporality"
                } else {
                    "temporalitet"
                }
            }
            Self::UnitType => {
                if en {
                    "unit type"
                } else {
                    "enhetstyp"
                }
            }
            Self::Owner => {
                if en {
                    "owner"
                } else {
                    "ägare"
                }
            }
            Self::InScheme => {
                if en {
                    "code list"
                } else {
                    "kodlista"
                }
            }
            Self::Validity => {
                if en {
                    "validity"
                } else {
                    "giltighet"
                }
            }
            Self::Order => {
                if en {
                    "order"
                } else {
                    "ordning"
                }
            }
            Self::Synonyms => {
                if en {
                    "synonyms"
                } else {
                    "synonymer"
                }
            }
            Self::SearchWords => {
                if en {
                    "search words"
                } else {
                    "sökord"
                }
            }
        }
    }
}

/// One record read from a spreadsheet, with the fields its source covered and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub resource: Resource,
    pub fields: BTreeSet<Field>,
    pub sheet: String,
    pub row: Option<u32>,
}

impl Imported {
    pub fn iri(&self) -> &NamedNode {
        self.resource.iri()
    }
}

/// What a reader produced: records and problems. Nothing may be written when a problem is an error.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub records: Vec<Imported>,
    pub problems: Vec<Problem>,
}

impl Batch {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// Adds a record; a second record with the same IRI is merged into the first (a variable
    /// listed under two subsets is one record held by both).
    pub(crate) fn push(&mut self, rec: Imported) {
        if let Some(existing) = self.records.iter_mut().find(|r| r.iri() == rec.iri()) {
            merge_repeat(existing, rec);
        } else {
            self.records.push(rec);
        }
    }
}

/// A variable repeated on several rows: dataset links and periods are added up; everything else
/// is taken from the first row.
fn merge_repeat(first: &mut Imported, next: Imported) {
    if let (Resource::Variable(a), Resource::Variable(b)) = (&mut first.resource, next.resource) {
        for d in b.datasets {
            if !a.datasets.contains(&d) {
                a.datasets.push(d);
            }
        }
        a.datasets.sort();
        for p in b.temporal {
            if !a.temporal.contains(&p) {
                a.temporal.push(p);
            }
        }
        first.fields.extend(next.fields);
    }
}

/// What a reader needs to know besides the file: where IRIs are minted, and how names of
/// organisations map to agent records.
#[derive(Clone, Debug)]
pub struct Options {
    pub minter: Minter,
    /// The dataset the file describes (its id); default: the workbook's `Identifierare` row, else
    /// its Swedish title as a slug; for a table, the mapping's `dataset`.
    pub dataset: Option<String>,
    /// Prefix of minted variable and code-list ids (`par` in `par-hdia`); default: the dataset id.
    pub id_prefix: Option<String>,
    /// Organisation names (lower case, any language) to agent IRIs; see [`agent_names`].
    pub agents: HashMap<String, NamedNode>,
    /// The owner of imported variables when the file names no publisher.
    pub owner: Option<NamedNode>,
}

impl Options {
    pub fn new(minter: Minter) -> Self {
        Self { minter, dataset: None, id_prefix: None, agents: HashMap::new(), owner: None }
    }

    /// The agent named `name`: a known organisation, an IRI, or `{base}agent/{slug}`.
    pub(crate) fn agent(&self, name: &str) -> Option<NamedNode> {
        let name = name.trim();
        if let Some(a) = self.agents.get(&name.to_lowercase()) {
            return Some(a.clone());
        }
        if cells::looks_like_iri(name) {
            return NamedNode::new(name).ok();
        }
        let slug = crate::model::ids::slugify(name);
        self.minter.record(crate::model::RecordKind::Agent, &slug).ok()
    }
}

/// Names of every agent in the catalogue (any state, any language), for [`Options::agents`].
pub fn agent_names(cat: &crate::catalog::Catalogue) -> Result<HashMap<String, NamedNode>, crate::store::StoreError> {
    let mut out = HashMap::new();
    for iri in cat.store().iris_of_kind(crate::model::RecordKind::Agent)? {
        if let Some(rec) = cat.store().get(iri.as_ref())?
            && let Ok(Resource::Agent(a)) = Resource::from_graph(rec.meta.kind, &rec.meta.iri, &rec.graph)
        {
            for (_, name) in a.name.iter() {
                out.insert(name.to_lowercase(), a.iri.clone());
            }
        }
    }
    Ok(out)
}

/// The kinds of file an import accepts, told by the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Csv,
}

impl FileKind {
    pub fn of(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "xlsx" | "xlsm" => Some(Self::Xlsx),
            "csv" | "tsv" | "txt" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// Reads an import file: an XLSX file is the register metadata workbook unless a `mapping` is
/// given (then one sheet is read as a table); a CSV file is a table read through `mapping`
/// (default: the workbook's variable sheet columns, [`tabular::Mapping::workbook`]).
pub fn read_file(name: &str, bytes: &[u8], mapping: Option<&tabular::Mapping>, options: &Options) -> Result<Batch, IngestError> {
    match (FileKind::of(name), mapping) {
        (Some(FileKind::Xlsx), None) => workbook::read(bytes, options),
        (Some(FileKind::Xlsx), Some(m)) => tabular::read_xlsx(bytes, m, options),
        (Some(FileKind::Csv), m) => {
            let default = tabular::Mapping::workbook();
            tabular::read_csv(name, bytes, m.unwrap_or(&default), options)
        }
        (None, _) => Err(IngestError::UnknownKind(name.to_owned())),
    }
}

/// Why a file could not be read at all (as opposed to problems inside it).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("the file could not be read as a spreadsheet (XLSX): {0}")]
    Workbook(String),
    /// The workbook was refused before it was read: too large, damaged, not XLSX.
    #[error("{0}")]
    Xlsx(#[from] xlsx::WorkbookError),
    /// A CSV file larger than the limits allow.
    #[error("{0}")]
    TooLarge(#[from] limits::TooLarge),
    #[error("the file could not be read as CSV: {0}")]
    Csv(String),
    #[error("the file is empty")]
    Empty,
    #[error("{0}: not a workbook or table (use .xlsx, .csv, .tsv or .txt)")]
    UnknownKind(String),
    #[error("the column mapping is not valid: {0}")]
    Mapping(String),
    #[error("the spreadsheet could not be written: {0}")]
    Write(String),
}

impl IngestError {
    /// The error in Swedish (`lang` other than `en`) or English.
    pub fn message(&self, lang: &str) -> String {
        if lang == "en" {
            return self.to_string();
        }
        match self {
            Self::Workbook(m) => format!("filen kunde inte läsas som kalkylblad (XLSX): {m}"),
            Self::Xlsx(e) => e.message(lang),
            Self::TooLarge(e) => e.message(lang),
            Self::Csv(m) => format!("filen kunde inte läsas som CSV: {m}"),
            Self::Empty => "filen är tom".into(),
            Self::UnknownKind(name) => format!("{name}: ingen arbetsbok eller tabell (använd .xlsx, .csv, .tsv eller .txt)"),
            Self::Mapping(m) => format!("kolumnmappningen är inte giltig: {m}"),
            Self::Write(m) => format!("kalkylbladet kunde inte skrivas: {m}"),
        }
    }
}
