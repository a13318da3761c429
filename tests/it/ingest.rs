//! Bulk import readers (register metadata workbook, CSV with a mapping, the RUT preset), the
//! import preview, and the export round trip. Workbooks are built here with rust_xlsxwriter.

use oxigraph::model::NamedNode;
use vardkatalog::catalog::Catalogue;
use vardkatalog::ingest::{self, Batch, Field, Options, Severity, plan::current_in_store, tabular::Mapping};
use vardkatalog::model::{Minter, RecordKind, Representation, Resource};

use crate::support::{BASE, seeded_catalogue};

/// A workbook with the given sheets (rows of text cells; "" leaves a cell empty).
pub fn book(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn iri(path: &str) -> NamedNode {
    NamedNode::new(format!("{BASE}{path}")).unwrap()
}

fn options() -> Options {
    Options::new(Minter::new(BASE))
}

/// A small register workbook in Socialstyrelsen's layout, with header variants (case,
/// whitespace, a missing diacritic) as found in real deliveries.
pub fn register_workbook(datatype_of_kon: &str, start_of_diagnos: &str) -> Vec<u8> {
    book(&[
        ("Generell information", vec![vec!["", "Version av metadatamallen", "1.0"]]),
        (
            "Metadata-Datamängd (DCAT-AP)",
            vec![
                vec!["Attribut SoS-metadata", "Beskrivning", "Svenska", "Engelska"],
                vec!["Titel", "", "Testregistret", "The Test Register"],
                vec!["Beskrivning", "", "Ett register för test.", "A register for tests."],
                vec!["Tidsperiod", "", "1987–", ""],
                vec!["Namngivet geografiskt område", "", "Sverige", "Sweden"],
                vec!["Uppdateringsfrekvens", "", "Årligen", "Annual"],
                vec!["Utgivare", "", "Socialstyrelsen", "National Board of Health and Welfare"],
                vec!["Åtkomsträttigheter", "", "Icke-offentlig", "Non-public"],
                vec!["Ingångssida", "", "https://www.socialstyrelsen.se/test", ""],
            ],
        ),
        (
            "Deldatamängder och datavyer",
            vec![
                vec!["Deldatamängdsnamn", "Deldatamängdsetikett", "Deldatamängdsbeskrivning", "Data från", "Data till"],
                vec!["TR_SV", "Testregistret sluten vård", "Vårdtillfällen i sluten vård.", "1987", ""],
            ],
        ),
        (
            "Metadata - Variabelnivå",
            vec![
                vec![
                    "Deldatamängdsnamn",
                    " variabelnamn ",
                    "Variabeletikett",
                    "Variabelbeskrivning",
                    "Objekttyp",
                    "Vardemangd",
                    "Länk kodverk",
                    "DATATYP",
                    "Kopplingsvariabel",
                    "Kopplingsbeskrivning",
                    "Presentationsordning",
                    "Data från",
                    "Data till",
                    "Kvalitetsanmärkning",
                    "Ursprung",
                    "Specificera källa",
                ],
                vec!["TR_SV", "KON", "Kön", "Patientens kön", "Person", "", "", datatype_of_kon, "", "", "1", "19870101", "", "", "", ""],
                vec![
                    "TR_SV",
                    "DIAGNOS",
                    "Huvuddiagnos",
                    "Angiven huvuddiagnos",
                    "",
                    "ICD-10-SE",
                    "https://example.org/icd-10-se",
                    "Sträng (text)",
                    "",
                    "",
                    "2",
                    start_of_diagnos,
                    "2020",
                    "Före 1997 ICD-9.",
                    "",
                    "",
                ],
                vec!["", "ALDER", "Ålder", "", "", "", "", "Heltal", "", "", "3", "", "", "", "", ""],
            ],
        ),
        (
            "Kodlista_KON",
            vec![
                vec!["Kodverk", "Kön"],
                vec!["Variabelnamn", "KON"],
                vec!["Bakgrund", "Kön enligt folkbokföringen."],
                vec![],
                vec!["Tidsperiod", "Kod", "Beskrivning"],
                vec!["1987–", "1", "Man"],
                vec!["1987–", "2", "Kvinna"],
                vec!["1987–1996", "9", "Okänt"],
            ],
        ),
        ("Kodlista_SJUKHUS", vec![vec!["Sjukhuskod", "Namn"], vec!["11001", "Karolinska"]]),
    ])
}

fn find<'a>(batch: &'a Batch, path: &str) -> &'a ingest::Imported {
    let target = iri(path);
    batch
        .records
        .iter()
        .find(|r| r.iri() == &target)
        .unwrap_or_else(|| panic!("no record {path} in {:?}", batch.records.iter().map(|r| r.iri().as_str()).collect::<Vec<_>>()))
}

#[test]
fn workbook_reads_dataset_subsets_variables_and_code_lists() {
    let batch = ingest::workbook::read(&register_workbook("Heltal", "1997"), &options()).unwrap();
    assert!(!batch.has_errors(), "{:#?}", batch.problems);

    let Resource::Dataset(d) = &find(&batch, "dataset/testregistret").resource else { panic!() };
    assert_eq!(d.title.get("en"), Some("The Test Register"));
    assert_eq!(d.temporal[0].label(), "1987–");
    assert!(d.accrual_periodicity.as_ref().unwrap().as_str().ends_with("/ANNUAL"));
    assert!(d.access_rights.as_ref().unwrap().as_str().ends_with("/NON_PUBLIC"));
    assert_eq!(d.publisher, Some(iri("agent/socialstyrelsen")));

    let Resource::Dataset(sub) = &find(&batch, "dataset/tr-sv").resource else { panic!() };
    assert_eq!(sub.is_part_of, vec![iri("dataset/testregistret")]);
    assert_eq!(sub.title.get("sv"), Some("Testregistret sluten vård"));

    let kon = find(&batch, "variable/testregistret-kon");
    let Resource::Variable(v) = &kon.resource else { panic!() };
    assert_eq!(v.notation.as_deref(), Some("KON"));
    assert_eq!(v.datasets, vec![iri("dataset/tr-sv")]);
    assert_eq!(
        v.representation,
        Some(Representation::CodeList {
            scheme: iri("codelist/testregistret-kon"),
            datatype: NamedNode::new("http://www.w3.org/2001/XMLSchema#integer").unwrap()
        })
    );
    assert_eq!(v.temporal[0].start.as_ref().unwrap().value(), "1987-01-01");
    assert_eq!(v.owner(), Some(&iri("agent/socialstyrelsen")));
    assert_eq!((kon.sheet.as_str(), kon.row), ("Metadata - Variabelnivå", Some(2)));

    let Resource::Variable(dia) = &find(&batch, "variable/testregistret-diagnos").resource else { panic!() };
    assert_eq!(dia.coding_systems, vec![NamedNode::new("https://example.org/icd-10-se").unwrap()]);
    assert_eq!(dia.temporal[0].label(), "1997–2020");
    assert!(dia.scope_notes.iter().any(|n| n.value == "Före 1997 ICD-9."));
    assert!(dia.scope_notes.iter().any(|n| n.value == "Värdemängd: ICD-10-SE"), "a value set in words is kept as a remark");
    // a row without a subset belongs to the register itself
    let Resource::Variable(alder) = &find(&batch, "variable/testregistret-alder").resource else { panic!() };
    assert_eq!(alder.datasets, vec![iri("dataset/testregistret")]);

    let Resource::CodeList(list) = &find(&batch, "codelist/testregistret-kon").resource else { panic!() };
    assert_eq!(list.title.get("sv"), Some("Kön"));
    assert_eq!(list.description.get("sv"), Some("Kön enligt folkbokföringen."));
    let Resource::Concept(okant) = &find(&batch, "codelist/testregistret-kon/9").resource else { panic!() };
    assert_eq!(okant.label.get("sv"), Some("Okänt"));
    assert_eq!(okant.order, Some(3));
    assert_eq!(okant.valid_through.as_ref().unwrap().value(), "1996");

    // the object type has no field: reported once, as a warning naming its column
    let w = batch.problems.iter().find(|p| p.column.as_deref() == Some("Objekttyp (E)")).expect("warning for Objekttyp");
    assert_eq!(w.severity, Severity::Warning);
    // a sheet that is no code list is skipped with a warning
    assert!(batch.problems.iter().any(|p| p.sheet == "Kodlista_SJUKHUS" && p.severity == Severity::Warning));
}

#[test]
fn errors_name_sheet_row_and_column_in_both_languages() {
    let batch = ingest::workbook::read(&register_workbook("Heltall", "19x7"), &options()).unwrap();
    assert!(batch.has_errors());
    let dt = batch.problems.iter().find(|p| p.is_error() && p.column.as_deref() == Some("DATATYP (H)")).expect("datatype error");
    assert_eq!((dt.sheet.as_str(), dt.row), ("Metadata - Variabelnivå", Some(2)));
    assert!(dt.sv.contains("Okänd datatyp 'Heltall'"), "{}", dt.sv);
    assert!(dt.en.contains("Unknown data type 'Heltall'"), "{}", dt.en);
    assert_eq!(dt.location("sv"), "blad 'Metadata - Variabelnivå', rad 2, kolumn 'DATATYP (H)'");
    assert_eq!(dt.location("en"), "sheet 'Metadata - Variabelnivå', row 2, column 'DATATYP (H)'");
    let start = batch.problems.iter().find(|p| p.is_error() && p.column.as_deref() == Some("Data från (L)")).expect("date error");
    assert_eq!(start.row, Some(3));
    assert!(start.sv.contains("'19x7'"));
    // rows in error yield no record
    assert!(batch.records.iter().all(|r| r.iri() != &iri("variable/testregistret-kon")));

    // a repeated code in a code list
    let dup = book(&[
        ("Metadata - Variabelnivå", vec![vec!["Variabelnamn", "Datatyp"], vec!["KON", "Heltal"]]),
        ("Kodlista_KON", vec![vec!["Tidsperiod", "Kod", "Beskrivning"], vec!["", "1", "Man"], vec!["", "1", "Kvinna"]]),
    ]);
    let mut o = options();
    o.dataset = Some("testregistret".into());
    let batch = ingest::workbook::read(&dup, &o).unwrap();
    let p = batch.problems.iter().find(|p| p.is_error()).expect("duplicate code");
    assert_eq!((p.sheet.as_str(), p.row, p.column.as_deref()), ("Kodlista_KON", Some(3), Some("Kod (B)")));
    assert!(p.sv.contains("rad 2") && p.en.contains("row 2"), "{p:?}");
}

#[test]
fn a_table_without_the_name_column_is_an_error_not_an_empty_import() {
    let csv = "Namn;Typ\nKON;Heltal\n";
    let batch = ingest::tabular::read_csv("lista.csv", csv.as_bytes(), &Mapping::workbook(), &options()).unwrap();
    assert!(batch.has_errors());
    assert!(batch.records.is_empty());
    assert!(batch.problems[0].sv.contains("Variabelnamn"), "{:?}", batch.problems);
}

#[test]
fn csv_in_windows_1252_with_a_toml_mapping() {
    let mapping = Mapping::from_toml(
        r#"
        name = "Regionens lista"
        dataset = "vardplatser"
        id_prefix = "reg"
        [columns]
        notation = ["Kolumn"]
        label_sv = ["Benämning"]
        datatype = ["Typ"]
        unit = ["Enhet"]
        "#,
    )
    .unwrap();
    let (bytes, _, _) =
        encoding_rs::WINDOWS_1252.encode("Kolumn,Benämning,Typ,Enhet\nANTAL_VPL,Antal vårdplatser,Heltal,{st}\nDATUM,Mätdatum,Datum,\n");
    let batch = ingest::tabular::read_csv("vpl.csv", &bytes, &mapping, &options()).unwrap();
    assert!(!batch.has_errors(), "{:?}", batch.problems);
    let Resource::Variable(v) = &find(&batch, "variable/reg-antal-vpl").resource else { panic!() };
    assert_eq!(v.label.get("sv"), Some("Antal vårdplatser"));
    assert_eq!(v.unit.as_deref(), Some("{st}"));
    assert_eq!(v.datasets, vec![iri("dataset/vardplatser")]);
    assert!(Mapping::from_toml("[columns]\nlabel_sv = [\"X\"]").is_err(), "a mapping without the name column is refused");
    assert!(Mapping::from_toml("[columns]\nnotation = [\"X\"]\nlabel = [\"Y\"]").is_err(), "unknown fields are refused");
}

#[test]
fn rut_preset_reads_a_variable_list_from_csv_and_xlsx() {
    let csv = "Register\tVariabel\tEtikett\tBeskrivning\tDatatyp\tTidsperiod\tRegisterhållare\n\
               Patientregistret\tHDIA\tHuvuddiagnos\tAngiven huvuddiagnos\tText\t1997–\tSocialstyrelsen\n";
    let mut o = options();
    o.id_prefix = Some("par".into());
    let batch = ingest::tabular::read_csv("rut.tsv", csv.as_bytes(), &Mapping::rut(), &o).unwrap();
    assert!(!batch.has_errors(), "{:?}", batch.problems);
    let Resource::Variable(v) = &find(&batch, "variable/par-hdia").resource else { panic!() };
    assert_eq!(v.datasets, vec![iri("dataset/patientregistret")]);
    assert_eq!(v.temporal[0].label(), "1997–");
    assert_eq!(v.owner(), Some(&iri("agent/socialstyrelsen")));

    let xlsx = book(&[(
        "Variabler",
        vec![vec!["Register", "Variabel", "Etikett", "Från"], vec!["Patientregistret", "HDIA", "Huvuddiagnos", "1997"]],
    )]);
    let batch = ingest::tabular::read_xlsx(&xlsx, &Mapping::rut(), &o).unwrap();
    assert!(!batch.has_errors(), "{:?}", batch.problems);
    assert_eq!(batch.records.len(), 1);
}

fn plan_of(cat: &Catalogue, batch: Batch) -> ingest::ImportPlan {
    ingest::plan(batch, &|i| current_in_store(cat, i)).unwrap()
}

fn seeded_options(cat: &Catalogue) -> Options {
    let mut o = options();
    o.agents = ingest::agent_names(cat).unwrap();
    o
}

#[test]
fn preview_says_what_is_created_changed_and_unchanged() {
    let cat = seeded_catalogue();
    // one existing variable with a new label, one new variable, one unchanged dataset link
    let wb = book(&[(
        "Metadata - Variabelnivå",
        vec![
            vec!["Deldatamängdsnamn", "Variabelnamn", "Variabeletikett", "Identifierare"],
            vec!["patientregistret-sluten-vard", "HDIA", "Huvuddiagnos (ny etikett)", "par-hdia"],
            vec!["patientregistret-sluten-vard", "NYVAR", "En ny variabel", ""],
        ],
    )]);
    let mut o = seeded_options(&cat);
    o.id_prefix = Some("par".into());
    let batch = ingest::workbook::read(&wb, &o).unwrap();
    let before = cat.store().len().unwrap();
    let plan = plan_of(&cat, batch);
    assert!(!plan.has_errors(), "{:?}", plan.problems);
    assert_eq!(plan.create.iter().map(|e| e.iri.as_str()).collect::<Vec<_>>(), vec![iri("variable/par-nyvar").as_str()]);
    assert_eq!(plan.change.len(), 1);
    assert_eq!(plan.change[0].iri, iri("variable/par-hdia"));
    assert_eq!(plan.change[0].changed, vec![Field::LabelSv]);
    // the rest of the record is kept: its definition, English label and owner
    let Resource::Variable(v) = &plan.change[0].resource else { panic!() };
    assert_eq!(v.definition.get("sv"), Some("Angiven huvuddiagnos"));
    assert!(v.label.get("en").is_some());
    assert!(v.owner().is_some());
    assert_eq!(plan.summary("sv"), "1 nya, 1 ändrade, 0 oförändrade; 0 fel, 0 varningar");
    assert_eq!(cat.store().len().unwrap(), before, "a preview writes nothing");
}

#[test]
fn preview_refuses_links_to_records_that_do_not_exist() {
    let cat = seeded_catalogue();
    let wb = book(&[(
        "Metadata - Variabelnivå",
        vec![vec!["Deldatamängdsnamn", "Variabelnamn", "Värdemängd"], vec!["finns-inte", "X", "kodlista:saknas"]],
    )]);
    let plan = plan_of(&cat, ingest::workbook::read(&wb, &seeded_options(&cat)).unwrap());
    let errors: Vec<_> = plan.problems.iter().filter(|p| p.is_error()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(|p| p.sheet == "Metadata - Variabelnivå" && p.row == Some(2)));
    assert!(errors[0].sv.contains("finns-inte") && errors[0].en.contains("neither in the file nor in the catalogue"));
    assert!(errors[1].sv.contains("saknas"));
}

#[test]
fn exporting_and_reimporting_every_seed_dataset_changes_nothing() {
    let cat = seeded_catalogue();
    let o = seeded_options(&cat);
    let (_, datasets) = cat.public_list(RecordKind::Dataset, 0, 1000).unwrap();
    let mut variables = 0;
    let mut codes = 0;
    for d in datasets {
        let export = ingest::export::collect(&cat, d.iri()).unwrap().unwrap();
        // XLSX: the whole workbook
        let batch = ingest::workbook::read(&export.to_xlsx().unwrap(), &o).unwrap();
        let read_back = |b: &Batch, kind| b.records.iter().filter(|r| r.resource.kind() == kind).count();
        assert_eq!(read_back(&batch, RecordKind::Variable), export.variables.len(), "{}: every variable is read back", d.iri());
        assert_eq!(
            read_back(&batch, RecordKind::Concept),
            export.code_lists.iter().map(|(_, codes)| codes.len()).sum::<usize>(),
            "{}: every code is read back",
            d.iri()
        );
        variables += batch.records.iter().filter(|r| r.resource.kind() == RecordKind::Variable).count();
        codes += batch.records.iter().filter(|r| r.resource.kind() == RecordKind::Concept).count();
        let plan = plan_of(&cat, batch);
        assert!(!plan.has_errors(), "{}: {:?}", d.iri(), plan.problems);
        assert!(
            plan.create.is_empty() && plan.change.is_empty(),
            "{} (xlsx): created {:?}, changed {:?}",
            d.iri(),
            plan.create.iter().map(|e| e.iri.as_str()).collect::<Vec<_>>(),
            plan.change.iter().map(|e| (e.iri.as_str(), &e.changed)).collect::<Vec<_>>()
        );
        // CSV: the variable sheet alone
        let batch = ingest::tabular::read_csv("export.csv", &export.to_csv().unwrap(), &Mapping::workbook(), &o).unwrap();
        assert_eq!(read_back(&batch, RecordKind::Variable), export.variables.len(), "{} (csv): every variable is read back", d.iri());
        let plan = plan_of(&cat, batch);
        assert!(!plan.has_errors(), "{} (csv): {:?}", d.iri(), plan.problems);
        assert!(
            plan.create.is_empty() && plan.change.is_empty(),
            "{} (csv): created {:?}, changed {:?}",
            d.iri(),
            plan.create.iter().map(|e| e.iri.as_str()).collect::<Vec<_>>(),
            plan.change.iter().map(|e| (e.iri.as_str(), &e.changed)).collect::<Vec<_>>()
        );
    }
    assert!(variables > 100, "the round trip covered {variables} variables");
    assert!(codes > 30, "the round trip covered {codes} codes");
}

#[test]
fn an_export_of_an_imported_workbook_reads_back_to_the_same_records() {
    // import (as the preview would save them) → export → import: the same content hashes
    let cat = seeded_catalogue();
    let o = seeded_options(&cat);
    let plan = plan_of(&cat, ingest::workbook::read(&register_workbook("Heltal", "1997"), &o).unwrap());
    assert!(!plan.has_errors(), "{:?}", plan.problems);
    let mut graph = oxigraph::model::Graph::new();
    for r in plan.to_save() {
        graph.extend(&r.to_graph());
    }
    cat.import_graph(&graph, &vardkatalog::catalog::ImportOptions::published_import()).unwrap();
    let export = ingest::export::collect(&cat, &iri("dataset/testregistret")).unwrap().unwrap();
    let again = plan_of(&cat, ingest::workbook::read(&export.to_xlsx().unwrap(), &o).unwrap());
    assert!(!again.has_errors(), "{:?}", again.problems);
    assert!(
        again.create.is_empty() && again.change.is_empty(),
        "{:?}",
        again.change.iter().map(|e| (&e.iri, &e.changed)).collect::<Vec<_>>()
    );
    let hashes = |p: &ingest::ImportPlan| {
        let mut h: Vec<(String, String)> =
            p.create.iter().chain(&p.change).chain(&p.unchanged).map(|e| (e.iri.to_string(), e.hash.clone())).collect();
        h.sort();
        h
    };
    let first: Vec<_> = hashes(&plan).into_iter().filter(|(i, _)| !i.contains("agent/")).collect();
    assert_eq!(first, hashes(&again));
}

/// Missing values with their meaning, temporality and unit type go out in the workbook and the
/// CSV and come back the same; words the import does not know are errors naming the column.
#[test]
fn a_variables_documentation_round_trips_through_the_workbook() {
    use vardkatalog::model::{Temporality, UnitType, Variable};
    let cat = seeded_catalogue();
    let o = seeded_options(&cat);
    let export = ingest::export::Export::template(cat.minter());
    let age = |b: &Batch| -> Variable {
        b.records
            .iter()
            .find_map(|r| match &r.resource {
                Resource::Variable(v) if v.notation.as_deref() == Some("ALDER") => Some(v.clone()),
                _ => None,
            })
            .expect("the age variable")
    };
    let xlsx = age(&ingest::workbook::read(&export.to_xlsx().unwrap(), &o).unwrap());
    let csv = age(&ingest::tabular::read_csv("mall.csv", &export.to_csv().unwrap(), &Mapping::workbook(), &o).unwrap());
    for v in [xlsx, csv] {
        assert_eq!(v.missing_values, ["-1"]);
        assert_eq!(v.missing_meaning("-1").and_then(|m| m.get("sv")), Some("Uppgift saknas"));
        assert_eq!(v.temporality, Some(Temporality::Event));
        assert_eq!(v.unit_type, Some(UnitType::Person));
    }
    let bad = "Variabelnamn;Temporalitet;Enhetstyp\nA;ibland;Person\nB;Händelse;hushåll\nC;status at a date;vårdtillfälle\n";
    let batch = ingest::tabular::read_csv("lista.csv", bad.as_bytes(), &Mapping::workbook(), &o).unwrap();
    let errors: Vec<_> = batch.problems.iter().filter(|p| p.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].sv.contains("'ibland' är ingen temporalitet") && errors[0].column.as_deref().unwrap_or("").starts_with("Temporalitet")
    );
    assert!(errors[1].en.contains("'hushåll' is no unit type") && errors[1].column.as_deref().unwrap_or("").starts_with("Enhetstyp"));
    let c = batch.records.iter().find_map(|r| match &r.resource {
        Resource::Variable(v) if v.notation.as_deref() == Some("C") => Some(v.clone()),
        _ => None,
    });
    let c = c.expect("row C is read");
    assert_eq!((c.temporality, c.unit_type), (Some(Temporality::Status), Some(UnitType::Stay)));
}

#[test]
fn a_codes_validity_period_round_trips_through_the_workbook() {
    // issue 18: every new field round-trips through the workbook, the codes' validity too
    use vardkatalog::model::Temporal;
    let cat = seeded_catalogue();
    let o = seeded_options(&cat);
    let mut export = ingest::export::Export::template(cat.minter());
    let codes = &mut export.code_lists[0].1;
    codes[0].valid_from = Temporal::parse("1968");
    codes[1].valid_from = Temporal::parse("1968-01-01");
    codes[1].valid_through = Temporal::parse("2009-12-31");
    let batch = ingest::workbook::read(&export.to_xlsx().unwrap(), &o).unwrap();
    let period = |code: &str| {
        batch
            .records
            .iter()
            .find_map(|r| match &r.resource {
                Resource::Concept(c) if c.notation.as_deref() == Some(code) => Some(c.clone()),
                _ => None,
            })
            .map(|c| (c.valid_from.map(|t| t.value().to_owned()), c.valid_through.map(|t| t.value().to_owned())))
            .unwrap_or_else(|| panic!("the code {code} is read back"))
    };
    assert_eq!(period("1"), (Some("1968".to_owned()), None));
    assert_eq!(period("2"), (Some("1968-01-01".to_owned()), Some("2009-12-31".to_owned())));
    assert_eq!(period("9"), (None, None));
}

#[test]
fn the_ehds_minimum_elements_are_rows_of_the_dataset_sheet() {
    // issue 14: every element of (EU) 2026/2098 Annex Part B the dataset record holds is a row
    // of the workbook's dataset sheet, read and written
    let cat = seeded_catalogue();
    let o = seeded_options(&cat);
    let sheet = |extra: Vec<Vec<&'static str>>| {
        let mut rows = vec![
            vec!["Attribut", "DCAT-AP", "Svenska", "Engelska"],
            vec!["Identifierare", "", "ehds-test", ""],
            vec!["Titel", "", "EHDS-testregistret", "The EHDS test register"],
            vec!["Beskrivning", "", "Ett register för test.", "A register for tests."],
            vec!["Utgivare", "", "Socialstyrelsen", ""],
        ];
        rows.extend(extra);
        book(&[("Metadata-Datamängd (DCAT-AP)", rows)])
    };
    let good = sheet(vec![
        vec!["Nyckelord", "", "höftfraktur, ortopedi", "hip fracture"],
        vec!["Typ av datamängd", "", "Personuppgifter", ""],
        // a code, a Swedish label and an old (Release 5) address of the same list
        vec![
            "Hälsodatakategori",
            "",
            "PHDR; Medicinska register och dödsorsaksregister; http://healthdataportal.eu/resource/authority/healthcategories/EHRS",
            "",
        ],
        vec!["Hälsotema", "", "INJURY_PREVENTION", ""],
        vec!["Tillståndsmyndighet (HDAB)", "", "Hälsodataåtkomstorgan (HDAB)", ""],
        vec!["Hälsodatainnehavare", "", "Region Skåne", ""],
        vec!["Personuppgifter", "", "https://w3id.org/dpv/pd#HealthRecord", ""],
        vec!["Antal unika individer", "", "17 000", ""],
        vec!["Ursprung", "", "Registreras vid operation.", "Recorded at surgery."],
        vec!["Insamlad genom", "", "QUALITY_REGISTRIES", ""],
        vec!["Strukturerade data", "", "Ja", ""],
        vec!["Kodverk", "", "https://katalog.example.se/standard/icd-10-se", ""],
        vec!["Kodvärden", "", "S72.0; S72.1", ""],
    ]);
    let batch = ingest::workbook::read(&good, &o).unwrap();
    assert!(batch.problems.iter().all(|p| p.severity != Severity::Error), "{:?}", batch.problems);
    let imported = find(&batch, "dataset/ehds-test");
    let Resource::Dataset(d) = &imported.resource else { panic!() };
    let r8 = "https://hdeu-dcat.data.health.europa.eu/resource/authority/";
    assert_eq!(d.keywords.len(), 3);
    assert_eq!(d.dataset_type.as_ref().unwrap().as_str(), "http://publications.europa.eu/resource/authority/dataset-type/PERSONAL_DATA");
    assert_eq!(
        d.health_categories.iter().map(NamedNode::as_str).collect::<Vec<_>>(),
        [format!("{r8}healthcategories/PHDR"), format!("{r8}healthcategories/MRMR"), format!("{r8}healthcategories/EHRS")]
    );
    assert_eq!(d.health_themes[0].as_str(), format!("{r8}health-theme/INJURY_PREVENTION"));
    assert_eq!(d.hdab, Some(iri("agent/hdab")));
    assert_eq!(d.custodian, Some(iri("agent/region-skane")));
    assert_eq!(d.number_of_unique_individuals, Some(17_000));
    assert_eq!(d.provenance[0].get("en"), Some("Recorded at surgery."));
    assert_eq!(d.generated_by[0].as_str(), format!("{r8}health-activity/QUALITY_REGISTRIES"));
    assert_eq!(d.has_structured_data, Some(true));
    assert_eq!(d.coding_systems, vec![iri("standard/icd-10-se")]);
    assert_eq!(d.code_values, vec!["S72.0".to_owned(), "S72.1".to_owned()]);
    for f in [Field::HealthCategories, Field::Custodian, Field::ProvenanceSv, Field::StructuredData, Field::CodeValues] {
        assert!(imported.fields.contains(&f), "{f:?}");
    }

    // bad values: an error naming sheet, row and column in both languages; nothing imported
    let bad = sheet(vec![
        vec!["Hälsodatakategori", "", "Tandvård", ""],
        vec!["Strukturerade data", "", "kanske", ""],
        vec!["Antal unika individer", "", "många", ""],
    ]);
    let batch = ingest::workbook::read(&bad, &o).unwrap();
    let errors: Vec<_> = batch.problems.iter().filter(|p| p.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].column.as_deref()), (Some(6), Some("Svenska (C)")));
    assert!(errors[0].sv.contains("'Tandvård' är ingen hälsodatakategori i HealthDCAT-AP Release 8"), "{}", errors[0].sv);
    assert!(errors[0].en.contains("is no health category"));
    assert!(errors[1].sv.contains("Skriv Ja eller Nej") && errors[2].sv.contains("inget heltal"));

    // the export writes the rows (codes in the Swedish column, English labels beside them)
    let export = ingest::export::collect(&cat, &iri("dataset/cancerregistret")).unwrap().unwrap();
    let bytes = export.to_xlsx().unwrap();
    let sheets = ingest::cells::read_workbook(&bytes).unwrap();
    let ds = sheets.iter().find(|s| s.name == "Metadata-Datamängd (DCAT-AP)").unwrap();
    let row = |name: &str| -> Vec<String> {
        ds.filled()
            .find(|(_, c)| c.first().map(String::as_str) == Some(name))
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    assert_eq!(row("Hälsodatakategori")[2], "MRMR; PHDR");
    assert!(row("Hälsodatakategori")[3].starts_with("Data from medical registries"), "English labels beside the codes");
    assert_eq!(row("Hälsodatainnehavare")[2], "Socialstyrelsen");
    assert_eq!(row("Insamlad genom")[2], "HEALTH_REGISTRIES");
    assert!(row("Ursprung")[2].len() > 20, "the provenance statement");
    assert_eq!(row("Tillståndsmyndighet (HDAB)")[1], "healthdcatap:hdab");
}

/// A code's synonyms and search words travel through the workbook: its code-list sheet has a
/// `Synonymer` and a `Sökord` column (Swedish, `;` between), an export reads back unchanged, and
/// a synonym added in the sheet is a change of that field only (English synonyms kept).
#[test]
fn synonyms_and_search_words_round_trip_through_the_workbook() {
    let cat = seeded_catalogue();
    let ttl = r#"@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix disco: <http://rdf-vocabulary.ddialliance.org/discovery#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
        <dataset/frakturer> a dcat:Dataset ; dct:title "Frakturer"@sv ; dct:identifier "frakturer" .
        <variable/fr-diagnos> a disco:Variable ; dct:identifier "fr-diagnos" ; skos:notation "DIAGNOS" ; skos:prefLabel "Diagnos"@sv ;
            disco:representation <codelist/fraktur> .
        <dataset/frakturer> disco:variable <variable/fr-diagnos> .
        <codelist/fraktur> a skos:ConceptScheme ; dct:identifier "fraktur" ; dct:title "Fraktur"@sv ; skos:prefLabel "Fraktur"@sv .
        <codelist/fraktur/S72.0> a skos:Concept ; skos:notation "S72.0" ; skos:prefLabel "Fraktur på lårbenshalsen"@sv ;
            skos:altLabel "Lårbenshalsfraktur"@sv , "Cervikal höftfraktur"@sv , "Femoral neck fracture"@en ; skos:hiddenLabel "höftfraktur"@sv ;
            skos:inScheme <codelist/fraktur> ; skos:topConceptOf <codelist/fraktur> ; <https://w3id.org/vardkatalog/ns#order> 1 ."#;
    cat.import_document(ttl.as_bytes(), oxigraph::io::RdfFormat::Turtle, &vardkatalog::catalog::ImportOptions::published_import()).unwrap();
    let o = seeded_options(&cat);
    let export = ingest::export::collect(&cat, &iri("dataset/frakturer")).unwrap().unwrap();
    let xlsx = export.to_xlsx().unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.clone())).unwrap();
    use calamine::Reader as _;
    let sheet = wb.sheet_names().into_iter().find(|n| n.starts_with("Kodlista_")).unwrap();
    let range = wb.worksheet_range(&sheet).unwrap();
    let header: Vec<String> = (0..6).map(|c| range.get_value((4, c)).map(|v| v.to_string()).unwrap_or_default()).collect();
    assert_eq!(header, ["Tidsperiod", "Kod", "Beskrivning", "Ordning", "Synonymer", "Sökord"]);
    assert_eq!(range.get_value((5, 4)).unwrap().to_string(), "Cervikal höftfraktur; Lårbenshalsfraktur");
    assert_eq!(range.get_value((5, 5)).unwrap().to_string(), "höftfraktur");
    let plan = plan_of(&cat, ingest::workbook::read(&xlsx, &o).unwrap());
    assert!(plan.create.is_empty() && plan.change.is_empty(), "{:?}", plan.change.iter().map(|e| (&e.iri, &e.changed)).collect::<Vec<_>>());

    // a synonym added in the sheet
    let wb = book(&[(
        "Kodlista_fraktur",
        vec![
            vec!["Identifierare", "fraktur"],
            vec!["Tidsperiod", "Kod", "Beskrivning", "Ordning", "Synonymer"],
            vec!["", "S72.0", "Fraktur på lårbenshalsen", "1", "Lårbenshalsfraktur; Cervikal höftfraktur; Collumfraktur"],
        ],
    )]);
    let plan = plan_of(&cat, ingest::workbook::read(&wb, &o).unwrap());
    assert_eq!(plan.change.len(), 1, "{:?}", plan.change.iter().map(|e| (&e.iri, &e.changed)).collect::<Vec<_>>());
    assert_eq!(plan.change[0].changed, vec![Field::Synonyms]);
    let Resource::Concept(c) = &plan.change[0].resource else { panic!() };
    let alt: Vec<(&str, &str)> = c.alt_labels.iter().map(|l| (l.lang.as_str(), l.value.as_str())).collect();
    assert_eq!(
        alt,
        [("en", "Femoral neck fracture"), ("sv", "Cervikal höftfraktur"), ("sv", "Collumfraktur"), ("sv", "Lårbenshalsfraktur")]
    );
    assert_eq!(c.hidden_labels.len(), 1, "no Sökord column: the search words are kept");
}
