//! A dataset's variables and code lists written in the layout the readers read: an XLSX
//! workbook with the sheets of Socialstyrelsen's register metadata workbook, or the variable
//! sheet alone as CSV. Reading an export back changes nothing (tested in `tests/it/ingest.rs`).
//!
//! Only public records are exported. Columns the catalogue has no field for are written empty;
//! the extension columns after the 16 standard ones carry what the standard layout lacks
//! (identifiers, English texts, unit, missing values, owner).

use std::collections::HashMap;

use oxigraph::model::NamedNode;
use rust_xlsxwriter::{Format, Workbook};

use super::IngestError;
use super::cells::{access_right_words, dataset_type_words, datatype_word, frequency_words, period_text, spatial_word};
use super::tabular::VALUE_SET_NOTE;
use super::workbook::{ATTRIBUTES, Attr, CODE_LIST_PREFIX, DATASET_SHEET, SUBSETS_SHEET, VARIABLE_SHEET};
use crate::catalog::Catalogue;
use crate::model::{CodeList, Concept, Dataset, LangText, Period, Resource, Variable, health_lists};
use crate::store::StoreError;

/// A code's Swedish synonyms or search words in one cell, `; ` between.
fn swedish_labels(labels: &[crate::model::LangString]) -> String {
    labels.iter().filter(|l| l.lang == "sv" || l.lang.is_empty()).map(|l| l.value.as_str()).collect::<Vec<_>>().join("; ")
}

/// A list-valued cell: the members' codes in the Swedish column (what the reader reads), their
/// English labels beside them; values outside the list are written as IRIs.
fn list_cells(list: &health_lists::List, values: &[NamedNode]) -> (String, String) {
    let code = |n: &NamedNode| n.as_str().strip_prefix(list.base).map(str::to_owned).unwrap_or_else(|| n.as_str().to_owned());
    let sv = values.iter().map(code).collect::<Vec<_>>().join("; ");
    let en = values.iter().map(|n| list.label(n.as_str(), true).unwrap_or("").to_owned()).collect::<Vec<_>>().join("; ");
    (sv, en)
}

/// The headers of the variable sheet, in order: the 16 standard columns, then the extensions.
pub const VARIABLE_HEADERS: [&str; 24] = [
    "Deldatamängdsnamn",
    "Variabelnamn",
    "Variabeletikett",
    "Variabelbeskrivning",
    "Objekttyp",
    "Värdemängd",
    "Länk kodverk",
    "Datatyp",
    "Kopplingsvariabel",
    "Kopplingsbeskrivning",
    "Presentationsordning",
    "Data från",
    "Data till",
    "Kvalitetsanmärkning",
    "Ursprung",
    "Specificera källa",
    "Identifierare",
    "Variabeletikett (engelska)",
    "Variabelbeskrivning (engelska)",
    "Enhet",
    "Saknat värde",
    "Ägare",
    "Temporalitet",
    "Enhetstyp",
];

/// Everything one export writes, read from the catalogue.
#[derive(Clone, Debug)]
pub struct Export {
    pub dataset: Dataset,
    pub subsets: Vec<Dataset>,
    /// Variables with the exported datasets (of `dataset` and `subsets`) that hold them.
    pub variables: Vec<(Variable, Vec<NamedNode>)>,
    pub code_lists: Vec<(CodeList, Vec<Concept>)>,
    /// Names of organisations (publisher, owners).
    pub names: HashMap<NamedNode, LangText>,
    base: String,
}

/// Reads what exporting the public dataset `iri` writes; `None` when it is not public.
pub fn collect(cat: &Catalogue, iri: &NamedNode) -> Result<Option<Export>, StoreError> {
    let Some((_, Resource::Dataset(dataset))) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
    let mut subsets = Vec::new();
    for p in cat.parts_of(iri)? {
        if let Some((_, Resource::Dataset(d))) = cat.public_resource(p.as_ref())? {
            subsets.push(d);
        }
    }
    let exported: Vec<NamedNode> = std::iter::once(iri.clone()).chain(subsets.iter().map(|d| d.iri.clone())).collect();
    let mut variables: Vec<(Variable, Vec<NamedNode>)> = Vec::new();
    for ds in &exported {
        for v in cat.variables_of_dataset(ds)? {
            if let Some(entry) = variables.iter_mut().find(|(x, _)| x.iri == v) {
                entry.1.push(ds.clone());
                continue;
            }
            if let Some((_, Resource::Variable(x))) = cat.public_resource(v.as_ref())? {
                variables.push((x, vec![ds.clone()]));
            }
        }
    }
    let mut code_lists: Vec<(CodeList, Vec<Concept>)> = Vec::new();
    for (v, _) in &variables {
        if let Some(l) = v.representation.as_ref().and_then(|r| r.code_list()) {
            if code_lists.iter().any(|(c, _)| &c.iri == l) {
                continue;
            }
            if let Some((_, Resource::CodeList(c))) = cat.public_resource(l.as_ref())? {
                let codes = cat.concepts_of(&c.iri)?;
                code_lists.push((c, codes));
            }
        }
    }
    let agents: Vec<NamedNode> = dataset
        .publisher
        .iter()
        .chain(dataset.hdab.iter())
        .chain(dataset.custodian.iter())
        .cloned()
        .chain(variables.iter().filter_map(|(v, _)| v.owner().cloned()))
        .collect();
    let names = cat.labels(&agents)?;
    Ok(Some(Export { dataset, subsets, variables, code_lists, names, base: cat.minter().base().to_owned() }))
}

/// The id of the template's example dataset.
pub const TEMPLATE_DATASET: &str = "exempelregistret";

impl Export {
    /// The template workbook's content: an example dataset with two variables, one coded with
    /// an example code list, written by the same writer as every export, so its sheets and
    /// headers are exactly what the import reads (tested: it imports without a problem).
    pub fn template(minter: &crate::model::Minter) -> Self {
        let record = |kind, id: &str| minter.record(kind, id).expect("the example ids are slugs");
        let dataset_iri = record(crate::model::RecordKind::Dataset, TEMPLATE_DATASET);
        let mut dataset = Dataset::new(dataset_iri.clone(), LangText::sv("Exempelregistret").with("en", "Example register"));
        dataset.description = LangText::sv("Ersätt exemplet med registrets egen beskrivning: vad det innehåller och varför det finns.")
            .with("en", "Replace the example with the register's own description: what it holds and why it exists.");
        dataset.temporal = vec![Period { start: crate::model::Temporal::parse("2020"), end: None }];
        let list_iri = record(crate::model::RecordKind::CodeList, &format!("{TEMPLATE_DATASET}-kon"));
        let mut list = CodeList::new(list_iri.clone(), LangText::sv("Kön"));
        list.description = LangText::sv("Exempel på en kodlista: en kod per rad.");
        let codes: Vec<Concept> = [("1", "Man"), ("2", "Kvinna"), ("9", "Okänt")]
            .iter()
            .enumerate()
            .map(|(i, (code, label))| {
                let iri = minter.concept(&format!("{TEMPLATE_DATASET}-kon"), code).expect("the example codes are valid");
                let mut c = Concept::new(iri, code, LangText::sv(*label));
                c.in_scheme = vec![list_iri.clone()];
                c.order = Some(i as u64 + 1);
                c
            })
            .collect();
        let xsd = |local: &str| NamedNode::new_unchecked(format!("http://www.w3.org/2001/XMLSchema#{local}"));
        let mut sex = Variable::new(
            record(crate::model::RecordKind::Variable, &format!("{TEMPLATE_DATASET}-kon")),
            LangText::sv("Kön").with("en", "Sex"),
        );
        sex.notation = Some("KON".into());
        sex.definition = LangText::sv("Personens kön enligt folkbokföringen.").with("en", "The person's sex as registered.");
        sex.representation = Some(crate::model::Representation::CodeList { scheme: list_iri, datatype: xsd("string") });
        sex.temporal = vec![Period { start: crate::model::Temporal::parse("2020"), end: None }];
        sex.datasets = vec![dataset_iri.clone()];
        let mut age = Variable::new(
            record(crate::model::RecordKind::Variable, &format!("{TEMPLATE_DATASET}-alder")),
            LangText::sv("Ålder").with("en", "Age"),
        );
        age.notation = Some("ALDER".into());
        age.definition =
            LangText::sv("Personens ålder i hela år vid händelsen.").with("en", "The person's age in whole years at the event.");
        age.representation = Some(crate::model::Representation::Datatype(xsd("integer")));
        age.unit = Some("a".into());
        age.missing_values = vec!["-1".into()];
        age.missing_meanings =
            vec![crate::model::MissingValue { code: "-1".into(), meaning: LangText::sv("Uppgift saknas").with("en", "Not stated") }];
        age.temporality = Some(crate::model::Temporality::Event);
        age.unit_type = Some(crate::model::UnitType::Person);
        age.datasets = vec![dataset_iri.clone()];
        Self {
            variables: vec![(sex, vec![dataset_iri.clone()]), (age, vec![dataset_iri])],
            code_lists: vec![(list, codes)],
            dataset,
            subsets: Vec::new(),
            names: HashMap::new(),
            base: minter.base().to_owned(),
        }
    }

    fn id(&self, iri: &NamedNode) -> String {
        match iri.as_str().strip_prefix(&self.base).and_then(|r| r.split_once('/')) {
            Some((_, id)) => id.to_owned(),
            None => iri.as_str().to_owned(),
        }
    }

    fn name(&self, agent: &NamedNode, lang: &str) -> String {
        self.names
            .get(agent)
            .and_then(|n| n.get(lang))
            .map(str::to_owned)
            .unwrap_or_else(|| if lang == "sv" { agent.as_str().to_owned() } else { String::new() })
    }

    /// The sheet name of each code list: `Kodlista_{id}`, cut to Excel's 31 characters and unique.
    fn sheet_names(&self) -> HashMap<NamedNode, String> {
        let mut out: HashMap<NamedNode, String> = HashMap::new();
        for (list, _) in &self.code_lists {
            let full = format!("{CODE_LIST_PREFIX}{}", self.id(&list.iri));
            let mut name: String = full.chars().take(31).collect();
            let mut n = 2;
            while out.values().any(|v| v == &name) {
                let tail = format!("~{n}");
                name = full.chars().take(31 - tail.len()).collect::<String>() + &tail;
                n += 1;
            }
            out.insert(list.iri.clone(), name);
        }
        out
    }

    /// The rows of the variable sheet (without its header); `xlsx` names code lists by sheet.
    pub fn variable_rows(&self, xlsx: bool) -> Vec<Vec<String>> {
        let sheets = self.sheet_names();
        let mut rows = Vec::new();
        for (n, (v, datasets)) in self.variables.iter().enumerate() {
            let sv_notes: Vec<&str> = v.scope_notes.iter().filter(|s| s.lang == "sv").map(|s| s.value.as_str()).collect();
            let value_set = match v.representation.as_ref().and_then(|r| r.code_list()) {
                Some(l) if xlsx => sheets.get(l).cloned().unwrap_or_default(),
                Some(l) => format!("{CODE_LIST_PREFIX}{}", self.id(l)),
                None => sv_notes.iter().find_map(|n| n.strip_prefix(VALUE_SET_NOTE)).unwrap_or("").to_owned(),
            };
            let notes: Vec<&str> = sv_notes.iter().copied().filter(|n| !n.starts_with(VALUE_SET_NOTE)).collect();
            let datatype = v.representation.as_ref().map(|r| datatype_word(r.datatype())).unwrap_or_default();
            let join = |xs: &[NamedNode]| xs.iter().map(NamedNode::as_str).collect::<Vec<_>>().join(" ");
            let periods: Vec<Option<&Period>> = if v.temporal.is_empty() { vec![None] } else { v.temporal.iter().map(Some).collect() };
            let owner = v.owner().map(|o| self.name(o, "sv")).unwrap_or_default();
            for (i, ds) in datasets.iter().enumerate() {
                // every period under the first dataset; the others repeat only the first
                let here: &[Option<&Period>] = if i == 0 { &periods } else { &periods[..1] };
                for p in here {
                    rows.push(vec![
                        self.id(ds),
                        v.notation.clone().unwrap_or_default(),
                        v.label.get("sv").unwrap_or("").to_owned(),
                        v.definition.get("sv").unwrap_or("").to_owned(),
                        String::new(),
                        value_set.clone(),
                        join(&v.coding_systems),
                        datatype.clone(),
                        String::new(),
                        String::new(),
                        (n + 1).to_string(),
                        p.and_then(|p| p.start.as_ref()).map(|t| t.value().to_owned()).unwrap_or_default(),
                        p.and_then(|p| p.end.as_ref()).map(|t| t.value().to_owned()).unwrap_or_default(),
                        notes.join("\n\n"),
                        String::new(),
                        join(&v.sources),
                        self.id(&v.iri),
                        v.label.get("en").unwrap_or("").to_owned(),
                        v.definition.get("en").unwrap_or("").to_owned(),
                        v.unit.clone().unwrap_or_default(),
                        crate::model::documentation::missing_text(&v.missing_values, &v.missing_meanings, "; "),
                        owner.clone(),
                        v.temporality.map(|t| t.label("sv").to_owned()).unwrap_or_default(),
                        v.unit_type.map(|u| u.label("sv").to_owned()).unwrap_or_default(),
                    ]);
                }
            }
        }
        rows
    }

    /// The attribute rows of the dataset sheet: (attribute, DCAT-AP property, Swedish, English).
    fn dataset_rows(&self) -> Vec<[String; 4]> {
        let d = &self.dataset;
        let iris = |xs: &[NamedNode]| xs.iter().map(NamedNode::as_str).collect::<Vec<_>>().join(" ");
        ATTRIBUTES
            .iter()
            .map(|(name, prop, attr)| {
                let (sv, en) = match attr {
                    Attr::Identifier => (self.id(&d.iri), String::new()),
                    Attr::Title => (d.title.get("sv").unwrap_or("").into(), d.title.get("en").unwrap_or("").into()),
                    Attr::Description => (d.description.get("sv").unwrap_or("").into(), d.description.get("en").unwrap_or("").into()),
                    Attr::Temporal => (d.temporal.iter().map(period_text).collect::<Vec<_>>().join("; "), String::new()),
                    Attr::Spatial => (d.spatial.iter().map(spatial_word).collect::<Vec<_>>().join("; "), String::new()),
                    Attr::Population => {
                        (d.population_coverage.get("sv").unwrap_or("").into(), d.population_coverage.get("en").unwrap_or("").into())
                    }
                    Attr::Frequency => d.accrual_periodicity.as_ref().map(frequency_words).unwrap_or_default(),
                    Attr::Publisher => d.publisher.as_ref().map(|p| (self.name(p, "sv"), self.name(p, "en"))).unwrap_or_default(),
                    Attr::Contact => (iris(&d.contact_points), String::new()),
                    Attr::Documentation => (iris(&d.pages), String::new()),
                    Attr::LandingPage => (iris(&d.landing_pages), String::new()),
                    Attr::AccessUrl => (String::new(), String::new()),
                    Attr::AccessRights => d.access_rights.as_ref().map(access_right_words).unwrap_or_default(),
                    Attr::Legislation => (iris(&d.applicable_legislation), String::new()),
                    Attr::Keywords => {
                        let kw = |lang: &str| {
                            d.keywords.iter().filter(|k| k.lang == lang).map(|k| k.value.as_str()).collect::<Vec<_>>().join(", ")
                        };
                        (kw("sv"), kw("en"))
                    }
                    Attr::DatasetType => d.dataset_type.as_ref().map(dataset_type_words).unwrap_or_default(),
                    Attr::HealthCategory => list_cells(&health_lists::CATEGORIES, &d.health_categories),
                    Attr::HealthTheme => list_cells(&health_lists::THEMES, &d.health_themes),
                    Attr::GeneratedBy => list_cells(&health_lists::ACTIVITIES, &d.generated_by),
                    Attr::Hdab => d.hdab.as_ref().map(|a| (self.name(a, "sv"), self.name(a, "en"))).unwrap_or_default(),
                    Attr::Custodian => d.custodian.as_ref().map(|a| (self.name(a, "sv"), self.name(a, "en"))).unwrap_or_default(),
                    Attr::PersonalData => (iris(&d.personal_data), String::new()),
                    Attr::UniqueIndividuals => (d.number_of_unique_individuals.map(|n| n.to_string()).unwrap_or_default(), String::new()),
                    Attr::Provenance => d
                        .provenance
                        .first()
                        .map(|p| (p.get("sv").unwrap_or("").to_owned(), p.get("en").unwrap_or("").to_owned()))
                        .unwrap_or_default(),
                    Attr::StructuredData => match d.has_structured_data {
                        Some(true) => ("Ja".into(), "Yes".into()),
                        Some(false) => ("Nej".into(), "No".into()),
                        None => Default::default(),
                    },
                    Attr::CodingSystems => (iris(&d.coding_systems), String::new()),
                    Attr::CodeValues => (d.code_values.join("; "), String::new()),
                };
                [(*name).to_owned(), (*prop).to_owned(), sv, en]
            })
            .collect()
    }

    /// The workbook: dataset, subsets, variables and one sheet per code list.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, IngestError> {
        let err = |e: rust_xlsxwriter::XlsxError| IngestError::Write(e.to_string());
        let bold = Format::new().set_bold();
        let mut book = Workbook::new();
        let write_row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, cells: &[String], fmt: Option<&Format>| -> Result<(), IngestError> {
            for (c, v) in cells.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                match fmt {
                    Some(f) => ws.write_string_with_format(r, c as u16, v, f).map_err(err)?,
                    None => ws.write_string(r, c as u16, v).map_err(err)?,
                };
            }
            Ok(())
        };
        {
            let ws = book.add_worksheet();
            ws.set_name(DATASET_SHEET).map_err(err)?;
            let header: Vec<String> = ["Attribut", "DCAT-AP", "Svenska", "Engelska"].map(String::from).to_vec();
            write_row(ws, 0, &header, Some(&bold))?;
            for (i, row) in self.dataset_rows().iter().enumerate() {
                write_row(ws, i as u32 + 1, row, None)?;
            }
            ws.set_column_width(0, 30).map_err(err)?;
            ws.set_column_width(2, 60).map_err(err)?;
            ws.set_column_width(3, 60).map_err(err)?;
        }
        {
            let ws = book.add_worksheet();
            ws.set_name(SUBSETS_SHEET).map_err(err)?;
            let header: Vec<String> = [
                "Deldatamängdsnamn",
                "Deldatamängdsetikett",
                "Deldatamängdsbeskrivning",
                "Data från",
                "Data till",
                "Uppdateringsfrekvens",
                "Aggregeringsnivå",
            ]
            .map(String::from)
            .to_vec();
            write_row(ws, 0, &header, Some(&bold))?;
            for (i, d) in self.subsets.iter().enumerate() {
                let p = d.temporal.first();
                let row = vec![
                    self.id(&d.iri),
                    d.title.get("sv").unwrap_or("").to_owned(),
                    d.description.get("sv").unwrap_or("").to_owned(),
                    p.and_then(|p| p.start.as_ref()).map(|t| t.value().to_owned()).unwrap_or_default(),
                    p.and_then(|p| p.end.as_ref()).map(|t| t.value().to_owned()).unwrap_or_default(),
                    d.accrual_periodicity.as_ref().map(|f| frequency_words(f).0).unwrap_or_default(),
                    String::new(),
                ];
                write_row(ws, i as u32 + 1, &row, None)?;
            }
        }
        {
            let ws = book.add_worksheet();
            ws.set_name(VARIABLE_SHEET).map_err(err)?;
            let header: Vec<String> = VARIABLE_HEADERS.map(String::from).to_vec();
            write_row(ws, 0, &header, Some(&bold))?;
            for (i, row) in self.variable_rows(true).iter().enumerate() {
                write_row(ws, i as u32 + 1, row, None)?;
            }
            ws.set_freeze_panes(1, 0).map_err(err)?;
        }
        let sheets = self.sheet_names();
        for (list, codes) in &self.code_lists {
            let ws = book.add_worksheet();
            ws.set_name(sheets.get(&list.iri).cloned().unwrap_or_default()).map_err(err)?;
            let pre = [
                ("Kodverk", list.title.get("sv").or_else(|| list.label.get("sv")).unwrap_or("").to_owned()),
                ("Bakgrund", list.description.get("sv").unwrap_or("").to_owned()),
                ("Identifierare", self.id(&list.iri)),
            ];
            for (i, (k, v)) in pre.iter().enumerate() {
                write_row(ws, i as u32, &[(*k).to_owned(), v.clone()], None)?;
            }
            let header: Vec<String> = ["Tidsperiod", "Kod", "Beskrivning", "Ordning", "Synonymer", "Sökord"].map(String::from).to_vec();
            write_row(ws, 4, &header, Some(&bold))?;
            for (i, c) in codes.iter().enumerate() {
                let Some(code) = &c.notation else { continue };
                let period = Period { start: c.valid_from.clone(), end: c.valid_through.clone() };
                let period = if period.start.is_none() && period.end.is_none() { String::new() } else { period_text(&period) };
                let row = vec![
                    period,
                    code.clone(),
                    c.label.get("sv").unwrap_or("").to_owned(),
                    c.order.map(|o| o.to_string()).unwrap_or_default(),
                    swedish_labels(&c.alt_labels),
                    swedish_labels(&c.hidden_labels),
                ];
                write_row(ws, i as u32 + 5, &row, None)?;
            }
        }
        book.save_to_buffer().map_err(err)
    }

    /// The variable sheet as CSV (`;`, UTF-8 with BOM so that Excel reads å, ä, ö), with
    /// formula-like cells neutralised (`csv_cells`; the import undoes it).
    pub fn to_csv(&self) -> Result<Vec<u8>, IngestError> {
        super::csv_cells::write(b';', true, &VARIABLE_HEADERS, self.variable_rows(false)).map_err(|e| IngestError::Write(e.to_string()))
    }

    /// A file name stem: the dataset's id.
    pub fn stem(&self) -> String {
        let id = self.id(&self.dataset.iri);
        if id.contains('/') || id.contains(':') { "datamangd".into() } else { id }
    }
}

/// The id a record IRI has under a base (its last segment), for messages.
pub fn short_id(cat: &Catalogue, iri: &NamedNode) -> String {
    cat.minter().parse(iri.as_str()).map(|(_, id)| id).unwrap_or_else(|| iri.as_str().to_owned())
}
