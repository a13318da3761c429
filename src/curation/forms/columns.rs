//! Where the import reads each form field: the column (or attribute row) of the register
//! metadata workbook and the template workbook, in the words of the import guide
//! (`docs/import.md`). A field whose label is not already that word shows it under the field,
//! so a curator meets one name for one thing in the form, the workbook and the guide; a test
//! holds the guide to this table (`tests/it/edit_forms.rs`).

use crate::model::RecordKind;

/// (kind, form field, import column).
pub const COLUMNS: &[(RecordKind, &str, &str)] = &[
    (RecordKind::Variable, "id", "Identifierare"),
    (RecordKind::Variable, "benamning_sv", "Variabeletikett"),
    (RecordKind::Variable, "benamning_en", "Variabeletikett (engelska)"),
    (RecordKind::Variable, "definition_sv", "Variabelbeskrivning"),
    (RecordKind::Variable, "definition_en", "Variabelbeskrivning (engelska)"),
    (RecordKind::Variable, "tekniskt_namn", "Variabelnamn"),
    (RecordKind::Variable, "datatyp", "Datatyp"),
    (RecordKind::Variable, "kodlista", "Värdemängd"),
    (RecordKind::Variable, "kodverk", "Länk kodverk"),
    (RecordKind::Variable, "enhet", "Enhet"),
    (RecordKind::Variable, "saknade", "Saknat värde"),
    (RecordKind::Variable, "tidsperioder", "Data från"),
    (RecordKind::Variable, "datamangd", "Deldatamängdsnamn"),
    (RecordKind::Variable, "agare", "Ägare"),
    (RecordKind::Variable, "anmarkningar", "Kvalitetsanmärkning"),
    (RecordKind::Variable, "kallor", "Specificera källa"),
    (RecordKind::Dataset, "id", "Identifierare"),
    (RecordKind::Dataset, "titel_sv", "Titel"),
    (RecordKind::Dataset, "titel_en", "Titel"),
    (RecordKind::Dataset, "beskrivning_sv", "Beskrivning"),
    (RecordKind::Dataset, "beskrivning_en", "Beskrivning"),
    (RecordKind::Dataset, "nyckelord_sv", "Nyckelord"),
    (RecordKind::Dataset, "nyckelord_en", "Nyckelord"),
    (RecordKind::Dataset, "utgivare", "Utgivare"),
    (RecordKind::Dataset, "kontakt", "Kontaktuppgift"),
    (RecordKind::Dataset, "hdab", "Tillståndsmyndighet (HDAB)"),
    (RecordKind::Dataset, "innehavare", "Hälsodatainnehavare"),
    (RecordKind::Dataset, "tidsperioder", "Tidsperiod"),
    (RecordKind::Dataset, "geografi", "Namngivet geografiskt område"),
    (RecordKind::Dataset, "frekvens", "Uppdateringsfrekvens"),
    (RecordKind::Dataset, "atkomst", "Åtkomsträttigheter"),
    (RecordKind::Dataset, "landningssida", "Ingångssida"),
    (RecordKind::Dataset, "dokumentation", "Dokumentation"),
    (RecordKind::Dataset, "lagstiftning", "Tillämplig lagstiftning"),
    (RecordKind::Dataset, "datamangdstyp", "Typ av datamängd"),
    (RecordKind::Dataset, "halsokategori", "Hälsodatakategori"),
    (RecordKind::Dataset, "halsotema", "Hälsotema"),
    (RecordKind::Dataset, "strukturerad", "Strukturerade data"),
    (RecordKind::Dataset, "kodverk", "Kodverk"),
    (RecordKind::Dataset, "kodvarden", "Kodvärden"),
    (RecordKind::Dataset, "antal_individer", "Antal unika individer"),
    (RecordKind::Dataset, "population_sv", "Population"),
    (RecordKind::Dataset, "population_en", "Population"),
    (RecordKind::Dataset, "proveniens_sv", "Ursprung"),
    (RecordKind::Dataset, "proveniens_en", "Ursprung"),
    (RecordKind::Dataset, "genererad_av", "Insamlad genom"),
    (RecordKind::Dataset, "personuppgifter", "Personuppgifter"),
    (RecordKind::CodeList, "id", "Identifierare"),
    (RecordKind::CodeList, "titel_sv", "Kodverk"),
    (RecordKind::CodeList, "beskrivning_sv", "Bakgrund"),
];

/// The import's column for a field of a kind's form.
pub fn column(kind: RecordKind, field: &str) -> Option<&'static str> {
    COLUMNS.iter().find(|(k, f, _)| *k == kind && *f == field).map(|(.., c)| *c)
}

/// The words shown under a field whose label is not its import column (`None` when the label
/// names the column already, ignoring a language in brackets).
pub fn column_hint(kind: RecordKind, field: &str, label: &str, en: bool) -> Option<String> {
    let column = column(kind, field)?;
    let base = |s: &str| s.split(" (").next().unwrap_or(s).trim().to_lowercase();
    if base(label) == base(column) {
        return None;
    }
    Some(if en { format!("Import column: {column}.") } else { format!("Kolumn i importen: {column}.") })
}
