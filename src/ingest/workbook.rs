//! Socialstyrelsen's register metadata workbook (XLSX; sources.md §2.1): the dataset from
//! `Metadata-Datamängd (DCAT-AP)`, its subsets from `Deldatamängder och datavyer`, the variables
//! from `Metadata - Variabelnivå` (16 columns, read through [`Mapping::workbook`]) and the code
//! lists from the `Kodlista_*` sheets.
//!
//! Sheet names and headers are matched loosely (case, whitespace, punctuation, å/ä/ö). Sheets
//! this reader does not know (`Generell information`, `Kvalitet_*`, crosswalk tables) are
//! skipped; a `Kodlista_*` sheet without a `Kod` header row is reported and skipped.

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::NamedNode;

use super::cells::{self, Sheet, column_letter, normalise};
use super::tabular::{self, Context, Mapping};
use super::{Batch, Field, Imported, IngestError, Options, Problem};
use crate::model::ids::{check_slug, slugify};
use crate::model::{CodeList, Concept, Dataset, LangString, LangText, Period, RecordKind, Resource, Temporal, health_lists};

/// Sheet names as this catalogue writes them.
pub const DATASET_SHEET: &str = "Metadata-Datamängd (DCAT-AP)";
pub const SUBSETS_SHEET: &str = "Deldatamängder och datavyer";
pub const VARIABLE_SHEET: &str = "Metadata - Variabelnivå";
pub const CODE_LIST_PREFIX: &str = "Kodlista_";

/// The attribute rows of the dataset sheet, as (normalised key, the field(s) it fills).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Attr {
    Identifier,
    Title,
    Description,
    Temporal,
    Spatial,
    Population,
    Frequency,
    Publisher,
    Contact,
    Documentation,
    LandingPage,
    AccessUrl,
    AccessRights,
    Legislation,
    // the EHDS minimum elements the standard sheet lacks (Implementing Regulation (EU)
    // 2026/2098, Annex Part B), as extension rows after the standard ones
    Keywords,
    DatasetType,
    HealthCategory,
    HealthTheme,
    Hdab,
    Custodian,
    PersonalData,
    UniqueIndividuals,
    Provenance,
    GeneratedBy,
    StructuredData,
    CodingSystems,
    CodeValues,
}

/// (attribute as written, the DCAT-AP property shown beside it, attribute)
pub(crate) const ATTRIBUTES: &[(&str, &str, Attr)] = &[
    ("Identifierare", "dct:identifier", Attr::Identifier),
    ("Titel", "dct:title", Attr::Title),
    ("Beskrivning", "dct:description", Attr::Description),
    ("Tidsperiod", "dct:temporal", Attr::Temporal),
    ("Namngivet geografiskt område", "dct:spatial", Attr::Spatial),
    ("Population", "healthdcatap:populationCoverage", Attr::Population),
    ("Uppdateringsfrekvens", "dct:accrualPeriodicity", Attr::Frequency),
    ("Utgivare", "dct:publisher", Attr::Publisher),
    ("Kontaktuppgift", "dcat:contactPoint", Attr::Contact),
    ("Dokumentation", "foaf:page", Attr::Documentation),
    ("Ingångssida", "dcat:landingPage", Attr::LandingPage),
    ("Webbadress för åtkomst", "dcat:accessURL", Attr::AccessUrl),
    ("Åtkomsträttigheter", "dct:accessRights", Attr::AccessRights),
    ("Tillämplig lagstiftning", "dcatap:applicableLegislation", Attr::Legislation),
    ("Nyckelord", "dcat:keyword", Attr::Keywords),
    ("Typ av datamängd", "dct:type", Attr::DatasetType),
    ("Hälsodatakategori", "healthdcatap:healthCategory", Attr::HealthCategory),
    ("Hälsotema", "healthdcatap:healthTheme", Attr::HealthTheme),
    ("Tillståndsmyndighet (HDAB)", "healthdcatap:hdab", Attr::Hdab),
    ("Hälsodatainnehavare", "geodcatap:custodian", Attr::Custodian),
    ("Personuppgifter", "dpv:hasPersonalData", Attr::PersonalData),
    ("Antal unika individer", "healthdcatap:numberOfUniqueIndividuals", Attr::UniqueIndividuals),
    ("Ursprung", "dct:provenance", Attr::Provenance),
    ("Insamlad genom", "prov:wasGeneratedBy", Attr::GeneratedBy),
    ("Strukturerade data", "healthdcatap:hasStructuredData", Attr::StructuredData),
    ("Kodverk", "healthdcatap:hasCodingSystem", Attr::CodingSystems),
    ("Kodvärden", "healthdcatap:hasCodeValues", Attr::CodeValues),
];

/// A member of one of HealthDCAT-AP's lists written as its code (`PHDR`), its label in either
/// language, or an IRI (older list addresses are upgraded on read).
pub(crate) fn list_member(list: &crate::model::health_lists::List, value: &str) -> Option<NamedNode> {
    let value = value.trim();
    if cells::looks_like_iri(value) {
        let iri = crate::model::vocab::health::upgrade(value).unwrap_or_else(|| value.to_owned());
        return NamedNode::new(iri).ok().filter(|n| list.contains(n.as_str()));
    }
    let key = normalise(value);
    list.members
        .iter()
        .find(|(code, sv, en)| normalise(code) == key || normalise(sv) == key || normalise(en) == key)
        .and_then(|(code, ..)| NamedNode::new(format!("{}{code}", list.base)).ok())
}

/// Cells holding several list members or labels are separated by `;` (labels hold spaces).
pub(crate) fn split_semicolons(s: &str) -> Vec<String> {
    s.split([';', '\n']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
}

fn find_sheet<'a>(sheets: &'a [Sheet], tokens: &[&str]) -> Option<&'a Sheet> {
    sheets.iter().find(|s| {
        let n = normalise(&s.name);
        tokens.iter().all(|t| n.contains(&normalise(t)))
    })
}

fn is_code_list_sheet(s: &Sheet) -> bool {
    normalise(&s.name).starts_with("kodlista")
}

/// Reads a register metadata workbook.
pub fn read(bytes: &[u8], options: &Options) -> Result<Batch, IngestError> {
    let sheets = cells::read_workbook(bytes)?;
    Ok(read_sheets(&sheets, options))
}

/// Reads the sheets of a workbook already opened (see [`cells::read_workbook`]).
pub fn read_sheets(sheets: &[Sheet], options: &Options) -> Batch {
    let mut batch = Batch::default();
    let dataset_sheet = find_sheet(sheets, &["datamängd", "dcat"]).or_else(|| find_sheet(sheets, &["metadata", "datamängd"]));
    let subsets_sheet = find_sheet(sheets, &["deldatamängder"]);
    let variable_sheet = find_sheet(sheets, &["metadata", "variabelnivå"]).or_else(|| find_sheet(sheets, &["metadata", "variabler"]));

    // 1. the dataset
    let mut main_id = options.dataset.clone();
    let mut publisher = None;
    if let Some(sheet) = dataset_sheet
        && let Some((id, dataset, fields, row)) = read_dataset(sheet, options, main_id.as_deref(), &mut batch.problems)
    {
        main_id = Some(id);
        publisher = dataset.publisher.clone();
        batch.push(Imported { resource: Resource::Dataset(dataset), fields, sheet: sheet.name.clone(), row });
    }
    let main_iri = main_id.as_deref().and_then(|id| options.minter.record(RecordKind::Dataset, id).ok());
    let prefix = options.id_prefix.clone().or_else(|| main_id.clone());

    // 2. subsets
    if let Some(sheet) = subsets_sheet {
        read_subsets(sheet, options, main_iri.as_ref(), &mut batch);
    }

    // 3. code lists (before the variables, which refer to them)
    let mut by_sheet: HashMap<String, NamedNode> = HashMap::new();
    let mut by_variable: HashMap<String, NamedNode> = HashMap::new();
    for sheet in sheets.iter().filter(|s| is_code_list_sheet(s)) {
        if let Some((list, variable)) = read_code_list(sheet, options, prefix.as_deref(), &mut batch) {
            by_sheet.insert(normalise(&sheet.name), list.clone());
            let suffix = sheet.name.split_once('_').map(|x| x.1).unwrap_or(&sheet.name);
            by_variable.entry(normalise(suffix)).or_insert_with(|| list.clone());
            if let Some(v) = variable {
                by_variable.insert(normalise(&v), list);
            }
        }
    }

    // 4. variables
    match variable_sheet {
        Some(sheet) => {
            let resolve = |value: &str, notation: &str| -> Option<NamedNode> {
                if !value.is_empty() {
                    if let Some(l) = by_sheet.get(&normalise(value)) {
                        return Some(l.clone());
                    }
                    if let Some(l) = tabular::code_list_reference(value, options) {
                        return Some(l);
                    }
                }
                by_variable.get(&normalise(notation)).cloned()
            };
            let ctx = Context {
                options,
                dataset: main_id.clone(),
                prefix: prefix.clone(),
                owner: options.owner.clone().or(publisher),
                code_list: &resolve,
            };
            tabular::read_variables(sheet, &Mapping::workbook(), &ctx, &mut batch);
        }
        None => batch.problems.push(Problem::warning(
            "",
            None,
            None,
            format!("Arbetsboken har inget blad '{VARIABLE_SHEET}'; inga variabler importeras."),
            format!("The workbook has no sheet '{VARIABLE_SHEET}'; no variables are imported."),
        )),
    }
    batch
}

/// The first filled row's columns holding Swedish and English values (default C and D).
fn language_columns(sheet: &Sheet) -> (u32, usize, usize) {
    let Some((row, header)) = sheet.filled().next() else { return (0, 2, 3) };
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&normalise(h).as_str()));
    match (find(&["svenska", "sv", "varde", "vardesvenska"]), find(&["engelska", "en", "english", "vardeengelska"])) {
        (Some(sv), en) => (*row, sv, en.unwrap_or(sv + 1)),
        (None, _) => (*row, 2, 3),
    }
}

fn read_dataset(
    sheet: &Sheet,
    options: &Options,
    given_id: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Option<(String, Dataset, BTreeSet<Field>, Option<u32>)> {
    let (header_row, sv_col, en_col) = language_columns(sheet);
    let mut values: Vec<(Attr, u32, String, String)> = Vec::new();
    for (row, cells) in sheet.filled().filter(|(r, _)| *r > header_row) {
        let key = cells.first().map(|k| normalise(k)).unwrap_or_default();
        if key.is_empty() {
            continue;
        }
        let sv = cells.get(sv_col).map(|s| s.trim().to_owned()).unwrap_or_default();
        let en = cells.get(en_col).map(|s| s.trim().to_owned()).unwrap_or_default();
        match ATTRIBUTES.iter().find(|(name, _, _)| normalise(name) == key) {
            Some((_, _, attr)) => values.push((*attr, *row, sv, en)),
            None if sv.is_empty() && en.is_empty() => {}
            None => problems.push(Problem::warning(
                &sheet.name,
                Some(*row),
                Some(format!("{} (A)", cells[0].trim())),
                "Attributet är okänt och importeras inte.",
                "The attribute is unknown and is not imported.",
            )),
        }
    }
    let at = |a: Attr| values.iter().find(|(x, ..)| *x == a);
    let col = |i: usize| Some(format!("{} ({})", if i == sv_col { "Svenska" } else { "Engelska" }, column_letter(i)));
    let title = at(Attr::Title).map(|(_, _, sv, _)| sv.clone()).unwrap_or_default();
    let id = match (given_id, at(Attr::Identifier)) {
        (Some(id), _) => id.to_owned(),
        (None, Some((_, row, sv, _))) if !sv.is_empty() => {
            if check_slug(sv).is_err() {
                problems.push(Problem::error(
                    &sheet.name,
                    Some(*row),
                    col(sv_col),
                    format!("'{sv}' är ingen giltig identifierare: använd a–z, 0–9 och bindestreck."),
                    format!("'{sv}' is not a valid identifier: use a–z, 0–9 and hyphens."),
                ));
                return None;
            }
            sv.clone()
        }
        _ => slugify(&title),
    };
    if title.is_empty() || id.is_empty() {
        problems.push(Problem::error(
            &sheet.name,
            at(Attr::Title).map(|(_, r, ..)| *r),
            col(sv_col),
            "Titel på svenska saknas: datamängden kan inte importeras.",
            "The Swedish title is missing: the dataset cannot be imported.",
        ));
        return None;
    }
    let iri = options.minter.record(RecordKind::Dataset, &id).ok()?;
    let mut d = Dataset::new(iri, LangText::sv(&title));
    d.identifier = Some(id.clone());
    let mut fields = BTreeSet::from([Field::Identifier]);
    let mut errs: Vec<Problem> = Vec::new();
    let mut warnings: Vec<Problem> = Vec::new();
    let mut error = |row: u32, c: usize, sv: String, en: String| {
        errs.push(Problem::error(&sheet.name, Some(row), col(c), sv, en));
    };
    for (attr, row, sv, en) in &values {
        let row = *row;
        match attr {
            Attr::Identifier => {}
            Attr::Title => {
                fields.extend([Field::TitleSv, Field::TitleEn]);
                d.title.set("en", en.as_str());
            }
            Attr::Description => {
                fields.extend([Field::DescriptionSv, Field::DescriptionEn]);
                d.description.set("sv", sv.as_str());
                d.description.set("en", en.as_str());
            }
            Attr::Population => {
                fields.extend([Field::PopulationSv, Field::PopulationEn]);
                d.population_coverage.set("sv", sv.as_str());
                d.population_coverage.set("en", en.as_str());
            }
            Attr::Temporal => {
                fields.insert(Field::Temporal);
                if !sv.is_empty() {
                    match Period::parse_list(sv) {
                        Some(ps) => d.temporal = ps,
                        None => error(
                            row,
                            sv_col,
                            format!("'{sv}' är ingen tidsperiod (skriv t.ex. 1964– eller 1997–2008)."),
                            format!("'{sv}' is not a period (write e.g. 1964– or 1997–2008)."),
                        ),
                    }
                }
            }
            Attr::Spatial => {
                fields.insert(Field::Spatial);
                for item in sv.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    match cells::spatial(item) {
                        Some(s) => d.spatial.push(s),
                        None => error(
                            row,
                            sv_col,
                            format!("'{item}' är inget känt geografiskt område: skriv Sverige eller en webbadress (IRI)."),
                            format!("'{item}' is not a known geographic area: write Sverige or a web address (IRI)."),
                        ),
                    }
                }
            }
            Attr::Frequency => {
                fields.insert(Field::Frequency);
                let (value, c) = if sv.is_empty() { (en, en_col) } else { (sv, sv_col) };
                if !value.is_empty() {
                    match cells::frequency(value) {
                        Some(f) => d.accrual_periodicity = Some(f),
                        None => error(
                            row,
                            c,
                            format!("Okänd uppdateringsfrekvens '{value}' (t.ex. Årligen, Kvartalsvis, Månadsvis, Kontinuerligt)."),
                            format!("Unknown update frequency '{value}' (e.g. Årligen/Annual, Kvartalsvis/Quarterly, Månadsvis/Monthly)."),
                        ),
                    }
                }
            }
            Attr::AccessRights => {
                fields.insert(Field::AccessRights);
                let (value, c) = if sv.is_empty() { (en, en_col) } else { (sv, sv_col) };
                if !value.is_empty() {
                    match cells::access_right(value) {
                        Some(a) => d.access_rights = Some(a),
                        None => error(
                            row,
                            c,
                            format!("Okända åtkomsträttigheter '{value}': skriv Offentlig, Begränsad eller Icke-offentlig."),
                            format!(
                                "Unknown access rights '{value}': write Offentlig (public), Begränsad (restricted) or Icke-offentlig (non-public)."
                            ),
                        ),
                    }
                }
            }
            Attr::Publisher => {
                fields.insert(Field::Publisher);
                if !sv.is_empty() {
                    d.publisher = options.agent(sv);
                }
            }
            Attr::Contact | Attr::Documentation | Attr::LandingPage | Attr::Legislation => {
                let field = match attr {
                    Attr::Contact => Field::ContactPoint,
                    Attr::Documentation => Field::Pages,
                    Attr::LandingPage => Field::LandingPages,
                    _ => Field::Legislation,
                };
                fields.insert(field);
                let mut iris = Vec::new();
                for item in cells::split_list(sv) {
                    if cells::looks_like_iri(&item)
                        && !item.starts_with("mailto:")
                        && let Ok(n) = NamedNode::new(item.as_str())
                    {
                        iris.push(n);
                        continue;
                    }
                    if *attr == Attr::Contact {
                        // an e-mail address: the publisher's contact point carries it
                        publisher_contact(&mut iris, &d);
                    } else {
                        error(row, sv_col, format!("'{item}' är ingen webbadress (IRI)."), format!("'{item}' is not a web address (IRI)."));
                    }
                }
                match field {
                    Field::ContactPoint => d.contact_points = iris,
                    Field::Pages => d.pages = iris,
                    Field::LandingPages => d.landing_pages = iris,
                    _ => d.applicable_legislation = iris,
                }
            }
            Attr::Keywords => {
                fields.insert(Field::Keywords);
                for (lang, cell) in [("sv", sv), ("en", en)] {
                    d.keywords.extend(cell.split(',').map(str::trim).filter(|k| !k.is_empty()).map(|k| LangString::new(lang, k)));
                }
            }
            Attr::DatasetType => {
                fields.insert(Field::DatasetType);
                let value = if sv.is_empty() { en } else { sv };
                if !value.is_empty() {
                    match cells::dataset_type(value) {
                        Some(t) => d.dataset_type = Some(t),
                        None => error(
                            row,
                            sv_col,
                            format!("Okänd typ av datamängd '{value}' (t.ex. Personuppgifter, Statistik, Syntetiska data eller en IRI)."),
                            format!(
                                "Unknown dataset type '{value}' (e.g. Personuppgifter/Personal data, Statistik/Statistical, or an IRI)."
                            ),
                        ),
                    }
                }
            }
            Attr::HealthCategory | Attr::HealthTheme | Attr::GeneratedBy => {
                let (field, list, what_sv, what_en) = match attr {
                    Attr::HealthCategory => (Field::HealthCategories, &health_lists::CATEGORIES, "hälsodatakategori", "health category"),
                    Attr::HealthTheme => (Field::HealthThemes, &health_lists::THEMES, "hälsotema", "health theme"),
                    _ => (Field::GeneratedBy, &health_lists::ACTIVITIES, "hälsoaktivitet", "health activity"),
                };
                fields.insert(field);
                let mut out = Vec::new();
                for item in split_semicolons(sv) {
                    match list_member(list, &item) {
                        Some(n) if !out.contains(&n) => out.push(n),
                        Some(_) => {}
                        None => error(
                            row,
                            sv_col,
                            format!(
                                "'{item}' är ingen {what_sv} i HealthDCAT-AP Release 8 (skriv koden, t.ex. {}, eller benämningen).",
                                list.members[0].0
                            ),
                            format!(
                                "'{item}' is no {what_en} of HealthDCAT-AP Release 8 (write the code, e.g. {}, or the label).",
                                list.members[0].0
                            ),
                        ),
                    }
                }
                match field {
                    Field::HealthCategories => d.health_categories = out,
                    Field::HealthThemes => d.health_themes = out,
                    _ => d.generated_by = out,
                }
            }
            Attr::Hdab | Attr::Custodian => {
                let field = if *attr == Attr::Hdab { Field::Hdab } else { Field::Custodian };
                fields.insert(field);
                let agent = if sv.is_empty() { None } else { options.agent(sv) };
                if field == Field::Hdab { d.hdab = agent } else { d.custodian = agent }
            }
            Attr::PersonalData | Attr::CodingSystems => {
                let field = if *attr == Attr::PersonalData { Field::PersonalData } else { Field::CodingSystems };
                fields.insert(field);
                let mut iris = Vec::new();
                for item in cells::split_list(sv) {
                    match NamedNode::new(item.as_str()) {
                        Ok(n) if cells::looks_like_iri(&item) => iris.push(n),
                        _ => error(
                            row,
                            sv_col,
                            format!("'{item}' är ingen webbadress (IRI)."),
                            format!("'{item}' is not a web address (IRI)."),
                        ),
                    }
                }
                if field == Field::PersonalData { d.personal_data = iris } else { d.coding_systems = iris }
            }
            Attr::UniqueIndividuals => {
                fields.insert(Field::UniqueIndividuals);
                let value = sv.replace([' ', '\u{a0}'], "");
                if !value.is_empty() {
                    match value.parse::<u64>() {
                        Ok(n) => d.number_of_unique_individuals = Some(n),
                        Err(_) => error(row, sv_col, format!("'{sv}' är inget heltal."), format!("'{sv}' is not a whole number.")),
                    }
                }
            }
            Attr::Provenance => {
                fields.extend([Field::ProvenanceSv, Field::ProvenanceEn]);
                let mut p = LangText::default();
                p.set("sv", sv.as_str());
                p.set("en", en.as_str());
                if !p.is_empty() {
                    d.provenance = vec![p];
                }
            }
            Attr::StructuredData => {
                fields.insert(Field::StructuredData);
                let value = if sv.is_empty() { en } else { sv };
                if !value.is_empty() {
                    match normalise(value).as_str() {
                        "ja" | "yes" | "true" | "sant" => d.has_structured_data = Some(true),
                        "nej" | "no" | "false" | "falskt" => d.has_structured_data = Some(false),
                        _ => error(
                            row,
                            sv_col,
                            format!("Skriv Ja eller Nej, inte '{value}'."),
                            format!("Write Ja (yes) or Nej (no), not '{value}'."),
                        ),
                    }
                }
            }
            Attr::CodeValues => {
                fields.insert(Field::CodeValues);
                d.code_values = split_semicolons(sv);
            }
            Attr::AccessUrl => {
                if !sv.is_empty() {
                    warnings.push(Problem::warning(
                        &sheet.name,
                        Some(row),
                        col(sv_col),
                        "Webbadressen för åtkomst hör till datamängdens distribution och importeras inte härifrån.",
                        "The access URL belongs to the dataset's distribution and is not imported from here.",
                    ));
                }
            }
        }
    }
    problems.append(&mut errs);
    problems.append(&mut warnings);
    // a contact named by e-mail needs the publisher, which may come after it in the sheet
    if values.iter().any(|(a, _, sv, _)| *a == Attr::Contact && sv.contains('@')) && d.publisher.is_none() {
        let row = at(Attr::Contact).map(|(_, r, ..)| *r);
        problems.push(Problem::error(
            &sheet.name,
            row,
            col(sv_col),
            "En e-postadress som kontaktuppgift kräver en utgivare (raden Utgivare).",
            "An e-mail address as contact needs a publisher (the Utgivare row).",
        ));
    }
    let row = at(Attr::Title).map(|(_, r, ..)| *r);
    Some((id, d, fields, row))
}

/// A contact given as an e-mail address is the publisher's contact point (`agent/x#kontakt`),
/// where the address is kept.
fn publisher_contact(iris: &mut Vec<NamedNode>, d: &Dataset) {
    if let Some(p) = &d.publisher
        && let Ok(n) = NamedNode::new(format!("{}#kontakt", p.as_str()))
        && !iris.contains(&n)
    {
        iris.push(n);
    }
}

fn read_subsets(sheet: &Sheet, options: &Options, main: Option<&NamedNode>, batch: &mut Batch) {
    let header = sheet.filled().find(|(_, cells)| cells.iter().any(|c| normalise(c) == "deldatamangdsnamn"));
    let Some((header_row, header)) = header else {
        batch.problems.push(Problem::warning(
            &sheet.name,
            None,
            None,
            "Bladet har ingen kolumn 'Deldatamängdsnamn' och hoppas över.",
            "The sheet has no column 'Deldatamängdsnamn' and is skipped.",
        ));
        return;
    };
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&normalise(h).as_str()));
    let name_col = find(&["deldatamangdsnamn"]);
    let label_col = find(&["deldatamangdsetikett"]);
    let desc_col = find(&["deldatamangdsbeskrivning", "deldatamangbeskrivning"]);
    let from_col = find(&["datafran"]);
    let to_col = find(&["datatill"]);
    let freq_col = find(&["uppdateringsfrekvens"]);
    let mut fields = BTreeSet::from([Field::Identifier, Field::TitleSv]);
    if desc_col.is_some() {
        fields.insert(Field::DescriptionSv);
    }
    if from_col.is_some() || to_col.is_some() {
        fields.insert(Field::Temporal);
    }
    if freq_col.is_some() {
        fields.insert(Field::Frequency);
    }
    if main.is_some() {
        fields.insert(Field::IsPartOf);
    }
    let colname = |i: usize| Some(format!("{} ({})", header[i].trim(), column_letter(i)));
    for (row, cells) in sheet.filled().filter(|(r, _)| r > header_row) {
        let get = |c: Option<usize>| c.and_then(|i| cells.get(i)).map(|s| s.trim()).unwrap_or("");
        let name = get(name_col);
        if name.is_empty() {
            continue;
        }
        let id = tabular::dataset_id(name);
        let Ok(iri) = options.minter.record(RecordKind::Dataset, &id) else {
            batch.problems.push(Problem::error(
                &sheet.name,
                Some(*row),
                name_col.and_then(colname),
                format!("'{name}' ger ingen giltig identifierare."),
                format!("'{name}' yields no valid identifier."),
            ));
            continue;
        };
        let label = match get(label_col) {
            "" => name,
            l => l,
        };
        let mut d = Dataset::new(iri, LangText::sv(label));
        d.identifier = Some(id);
        d.description.set("sv", get(desc_col));
        d.is_part_of = main.into_iter().cloned().collect();
        let mut bad = false;
        let mut period = crate::model::Period::default();
        for (c, slot) in [(from_col, 0), (to_col, 1)] {
            let v = get(c);
            if v.is_empty() {
                continue;
            }
            match Temporal::read(v) {
                Some(t) if slot == 0 => period.start = Some(t),
                Some(t) => period.end = Some(t),
                None => {
                    bad = true;
                    batch.problems.push(Problem::error(
                        &sheet.name,
                        Some(*row),
                        c.and_then(colname),
                        format!("'{v}' är inget år eller datum."),
                        format!("'{v}' is not a year or date."),
                    ));
                }
            }
        }
        if period.start.is_some() || period.end.is_some() {
            d.temporal.push(period);
        }
        let f = get(freq_col);
        if !f.is_empty() {
            match cells::frequency(f) {
                Some(x) => d.accrual_periodicity = Some(x),
                None => {
                    bad = true;
                    batch.problems.push(Problem::error(
                        &sheet.name,
                        Some(*row),
                        freq_col.and_then(colname),
                        format!("Okänd uppdateringsfrekvens '{f}'."),
                        format!("Unknown update frequency '{f}'."),
                    ));
                }
            }
        }
        if !bad {
            batch.push(Imported { resource: Resource::Dataset(d), fields: fields.clone(), sheet: sheet.name.clone(), row: Some(*row) });
        }
    }
}

/// Reads one `Kodlista_*` sheet; returns the list's IRI and the variable it names.
fn read_code_list(sheet: &Sheet, options: &Options, prefix: Option<&str>, batch: &mut Batch) -> Option<(NamedNode, Option<String>)> {
    let mut preamble: HashMap<&'static str, (u32, String)> = HashMap::new();
    let mut header: Option<(u32, &Vec<String>)> = None;
    for (row, cells) in sheet.filled() {
        let positions: Vec<String> = cells.iter().map(|c| normalise(c)).collect();
        if positions.iter().any(|p| p == "kod")
            && positions.iter().any(|p| p.starts_with("tidsperiod") || p.starts_with("beskrivning") || p.starts_with("betydelse"))
        {
            header = Some((*row, cells));
            break;
        }
        let key = positions.first().map(String::as_str).unwrap_or("");
        let value = cells.get(1).map(|s| s.trim().to_owned()).unwrap_or_default();
        for k in ["kodverk", "variabelnamn", "bakgrund", "identifierare"] {
            if key == k {
                preamble.insert(k, (*row, value.clone()));
            }
        }
    }
    let Some((header_row, header)) = header else {
        batch.problems.push(Problem::warning(
            &sheet.name,
            None,
            None,
            "Bladet har ingen rubrikrad med 'Kod' och 'Tidsperiod' eller 'Beskrivning'; det är ingen kodlista och hoppas över.",
            "The sheet has no header row with 'Kod' and 'Tidsperiod' or 'Beskrivning'; it is not a code list and is skipped.",
        ));
        return None;
    };
    let find = |pred: &dyn Fn(&str) -> bool| header.iter().position(|h| pred(&normalise(h)));
    let period_col = find(&|h| h.starts_with("tidsperiod"));
    let code_col = find(&|h| h == "kod")?;
    let label_col = find(&|h| h.starts_with("beskrivning") || h.starts_with("betydelse"));
    let order_col = find(&|h| h == "ordning");
    let synonym_col = find(&|h| h == "synonymer");
    let search_word_col = find(&|h| h == "sokord");
    let colname = |i: usize| Some(format!("{} ({})", header[i].trim(), column_letter(i)));

    let suffix = sheet.name.split_once('_').map(|x| x.1).unwrap_or(&sheet.name).trim().to_owned();
    let id = match preamble.get("identifierare") {
        Some((row, v)) if !v.is_empty() => {
            if check_slug(v).is_err() {
                batch.problems.push(Problem::error(
                    &sheet.name,
                    Some(*row),
                    Some("B".into()),
                    format!("'{v}' är ingen giltig identifierare."),
                    format!("'{v}' is not a valid identifier."),
                ));
                return None;
            }
            v.clone()
        }
        _ => match prefix {
            Some(p) => format!("{p}-{}", slugify(&suffix)),
            None => slugify(&suffix),
        },
    };
    let Ok(list_iri) = options.minter.record(RecordKind::CodeList, &id) else {
        batch.problems.push(Problem::error(
            &sheet.name,
            None,
            None,
            format!("Bladnamnet ger ingen giltig identifierare ('{id}')."),
            format!("The sheet name yields no valid identifier ('{id}')."),
        ));
        return None;
    };
    let title = preamble.get("kodverk").map(|(_, v)| v.clone()).filter(|v| !v.is_empty()).unwrap_or_else(|| suffix.clone());
    let mut list = CodeList::new(list_iri.clone(), LangText::sv(&title));
    list.identifier = Some(id.clone());
    let mut list_fields = BTreeSet::from([Field::Identifier]);
    if preamble.contains_key("kodverk") {
        list_fields.insert(Field::TitleSv);
    }
    if let Some((_, b)) = preamble.get("bakgrund") {
        list_fields.insert(Field::DescriptionSv);
        list.description.set("sv", b.as_str());
    }
    batch.push(Imported { resource: Resource::CodeList(list), fields: list_fields, sheet: sheet.name.clone(), row: None });

    let mut code_fields = BTreeSet::from([Field::Notation, Field::LabelSv, Field::InScheme, Field::Order]);
    if period_col.is_some() {
        code_fields.insert(Field::Validity);
    }
    if synonym_col.is_some() {
        code_fields.insert(Field::Synonyms);
    }
    if search_word_col.is_some() {
        code_fields.insert(Field::SearchWords);
    }
    let labels = |cell: &str| -> Vec<LangString> {
        let mut out: Vec<LangString> = cell.split(';').map(str::trim).filter(|v| !v.is_empty()).map(|v| LangString::new("sv", v)).collect();
        out.sort();
        out.dedup();
        out
    };
    let mut last_period = String::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut position = 0u64;
    for (row, cells) in sheet.filled().filter(|(r, _)| *r > header_row) {
        let get = |c: Option<usize>| c.and_then(|i| cells.get(i)).map(|s| s.trim()).unwrap_or("");
        let code = get(Some(code_col));
        let period_text = get(period_col);
        if code.is_empty() {
            if !period_text.is_empty() {
                last_period = period_text.to_owned(); // a period heading the rows below it
            }
            continue;
        }
        if let Some(first) = seen.insert(code.to_owned(), *row) {
            batch.problems.push(Problem::error(
                &sheet.name,
                Some(*row),
                colname(code_col),
                format!("Koden '{code}' finns redan på rad {first}."),
                format!("The code '{code}' is already on row {first}."),
            ));
            continue;
        }
        position += 1;
        let Ok(iri) = options.minter.concept(&id, code) else { continue };
        let label = get(label_col);
        if label.is_empty() {
            batch.problems.push(Problem::warning(
                &sheet.name,
                Some(*row),
                label_col.and_then(colname),
                format!("Koden '{code}' saknar beskrivning."),
                format!("The code '{code}' has no description."),
            ));
        }
        let mut c = Concept::new(iri, code, LangText::sv(label));
        c.alt_labels = labels(get(synonym_col));
        c.hidden_labels = labels(get(search_word_col));
        c.in_scheme = vec![list_iri.clone()];
        c.top_concept_of = vec![list_iri.clone()];
        c.order = match order_col.map(|i| get(Some(i))) {
            Some("") => None,
            Some(o) => match o.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    batch.problems.push(Problem::error(
                        &sheet.name,
                        Some(*row),
                        order_col.and_then(colname),
                        format!("'{o}' är inget heltal."),
                        format!("'{o}' is not a whole number."),
                    ));
                    continue;
                }
            },
            None => Some(position),
        };
        let p = if period_text.is_empty() { last_period.as_str() } else { period_text };
        if !p.is_empty() {
            match Period::parse(p) {
                Some(per) => {
                    c.valid_from = per.start;
                    c.valid_through = per.end;
                }
                None => {
                    batch.problems.push(Problem::error(
                        &sheet.name,
                        Some(*row),
                        period_col.and_then(colname),
                        format!("'{p}' är ingen tidsperiod (skriv t.ex. 1997–2008 eller 2001–)."),
                        format!("'{p}' is not a period (write e.g. 1997–2008 or 2001–)."),
                    ));
                    continue;
                }
            }
        }
        batch.push(Imported { resource: Resource::Concept(c), fields: code_fields.clone(), sheet: sheet.name.clone(), row: Some(*row) });
    }
    let variable = preamble.get("variabelnamn").map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    Some((list_iri, variable))
}
