//! The code-list form: the list's titles, description, publisher and coding system, and one
//! row per code (code, labels, validity, order, remove). Codes are added in the empty rows,
//! reordered by their order numbers and removed by ticking "ta bort" (the code leaves the
//! list: its `skos:inScheme` link is dropped in the draft). The list and the codes that
//! changed are saved together, all or nothing.

use std::collections::HashSet;

use oxigraph::model::NamedNode;

use super::bind::{Bind, Field, Rows, Spec, no_more_checks};
use super::check::{Check, Env, NEW_ID};
use super::flow::FormKind;
use super::spec::{Cell, Column, FieldSpec, Offer, Row, RowLegend, RowSpec, Value, Widget, Words};
use crate::curation::{Curation, CurationError};
use crate::model::{CodeList, Concept, LangString, LangText, RecordKind, Resource, Temporal};

/// A code list with its codes, as the form edits them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListAndCodes {
    pub list: CodeList,
    /// Its codes: working drafts first, then published codes, by order and code.
    pub codes: Vec<Concept>,
}

const NONE: Words = Words::new("(ingen)", "(none)");

mod messages {
    use super::Words;

    pub const TITLE: Words = Words::new("Skriv titeln på svenska.", "Write the title in Swedish.");
    pub const NO_CODE: Words = Words::new("skriv koden", "write the code");
    pub const RENAMED: Words = Words::new(
        "en kod kan inte byta namn: ta bort den och lägg till den nya koden",
        "a code cannot be renamed: remove it and add the new code",
    );
    pub const NO_LABEL: Words = Words::new("skriv benämningen på svenska", "write the label in Swedish");
    pub const DATES: Words = Words::new("skriv datum som 2024, 2024-05 eller 2024-05-01", "write dates as 2024, 2024-05 or 2024-05-01");
    pub const ENDS_FIRST: Words = Words::new("giltigheten slutar innan den börjar", "the validity ends before it starts");
    pub const ORDER: Words = Words::new("ordningen är ett heltal", "the order is a whole number");
    pub const DUPLICATE: Words = Words::new("koden {} finns redan i listan", "the code {} is already in the list");
    pub const TAKEN: Words = Words::new("Det finns redan en kodlista med identifieraren {id}.", "There is already a code list {id}.");
}

const CODES: RowSpec = RowSpec {
    name: "koder",
    prefix: "kod",
    legend: Words::new("Koder", "Codes"),
    hint: Words::new(
        "Lägg till koder i de tomma raderna (spara för att få fler), ändra ordningstalen för att ändra ordningen, kryssa i ”ta bort” för att ta bort en kod ur listan. Giltighet: 2024, 2024-05 eller 2024-05-01. Synonymer visas med koden och hittas av sökningen (”lårbenshalsfraktur”); sökord hittas men visas inte (”höftfraktur” för S72.0–S72.2, vanliga felstavningar).",
        "Add codes in the empty rows (save to get more), change the order numbers to reorder, tick “remove” to take a code out of the list. Validity: 2024, 2024-05 or 2024-05-01. Synonyms are shown with the code and found by the search (“lårbenshalsfraktur”); search words are found but not shown (“höftfraktur” for S72.0–S72.2, common misspellings).",
    ),
    row: RowLegend::Saved { new: Words::new("Ny kod", "New code"), saved: Words::new("Kod", "Code"), column: "kod_fore" },
    columns: &[
        Column::new("kod_fore", Words::NONE, Cell::Hidden),
        Column::new("kod", Words::new("Kod", "Code"), Cell::Text),
        Column::new("kod_sv", Words::new("Benämning (svenska)", "Label (Swedish)"), Cell::Text).lang("sv"),
        Column::new("kod_en", Words::new("Benämning (engelska)", "Label (English)"), Cell::Text).lang("en"),
        Column::new(
            "kod_synonymer",
            Words::new("Synonymer (svenska, semikolon mellan)", "Synonyms (Swedish, semicolon between)"),
            Cell::Text,
        )
        .lang("sv"),
        Column::new(
            "kod_sokord",
            Words::new("Sökord som inte visas (semikolon mellan)", "Search words not shown (semicolon between)"),
            Cell::Text,
        )
        .lang("sv"),
        Column::new("kod_fran", Words::new("Giltig från", "Valid from"), Cell::Numeric),
        Column::new("kod_till", Words::new("Giltig till och med", "Valid through"), Cell::Numeric),
        Column::new("kod_ordning", Words::new("Ordning", "Order"), Cell::Numeric),
        Column::new("kod_bort", Words::new("Ta bort ur listan", "Remove from the list"), Cell::Flag),
    ],
    keep: &["kod_fore", "kod", "kod_sv", "kod_en"],
    count: "kod_rader",
    max: 2000,
    spare: 3,
    row_word: Words::new("Kodrad", "Code row"),
    problem: Words::new("Rätta kodraderna som är markerade nedan.", "Correct the code rows marked below."),
};

const fn field(name: &'static str, sv: &'static str, en: &'static str, widget: Widget) -> FieldSpec {
    FieldSpec::new(0, name, Words::new(sv, en), widget)
}

static FIELDS: &[Field<ListAndCodes>] = &[
    Field {
        spec: field("titel_sv", "Titel (svenska)", "Title (Swedish)", Widget::Text).lang("sv").required(messages::TITLE),
        bind: Bind::Custom { get: |l, _| title(l, "sv"), set: |l, check| set_title(l, check, "titel_sv", "sv") },
    },
    Field {
        spec: field("titel_en", "Titel (engelska)", "Title (English)", Widget::Text).lang("en"),
        bind: Bind::Custom { get: |l, _| title(l, "en"), set: |l, check| set_title(l, check, "titel_en", "en") },
    },
    Field {
        spec: field("beskrivning_sv", "Beskrivning (svenska)", "Description (Swedish)", Widget::Area).lang("sv"),
        bind: Bind::Text(|l| &mut l.list.description),
    },
    Field {
        spec: field("beskrivning_en", "Beskrivning (engelska)", "Description (English)", Widget::Area).lang("en"),
        bind: Bind::Text(|l| &mut l.list.description),
    },
    Field {
        spec: field("utgivare", "Utgivare", "Publisher", Widget::Select { offer: Offer::Records(RecordKind::Agent), none: NONE }),
        bind: Bind::Iri(|l| &mut l.list.publisher),
    },
    Field {
        spec: field(
            "kodverk",
            "Kodverk som listan hämtar koder från",
            "Coding system it draws from",
            Widget::Select { offer: Offer::Records(RecordKind::Standard), none: NONE },
        ),
        bind: Bind::Custom {
            get: |l, _| Value::One(l.list.conforms_to.first().map(|s| s.as_str().to_owned()).unwrap_or_default()),
            set: |l, check| {
                if !check.unchanged("kodverk") {
                    l.list.conforms_to = check.select("kodverk").into_iter().collect();
                }
            },
        },
    },
];

static SPEC: Spec<ListAndCodes> = Spec {
    kind: RecordKind::CodeList,
    id: NEW_ID,
    fields: FIELDS,
    groups: &[Words::new("Kodlistan", "The code list")],
    rows: Some(Rows { spec: &CODES, get: code_rows, set: set_codes }),
    title: ("titel_sv", "titel_en"),
    finish: no_more_checks,
    taken: messages::TAKEN,
    new_message: "Ny kodlista",
};

/// The code-list form.
pub struct CodeListForm;

impl FormKind for CodeListForm {
    type Record = ListAndCodes;

    fn spec() -> &'static Spec<ListAndCodes> {
        &SPEC
    }

    fn load(c: &Curation, iri: &NamedNode) -> Result<Option<ListAndCodes>, CurationError> {
        let Some((_, Resource::CodeList(list))) = c.current(iri)? else { return Ok(None) };
        Ok(Some(ListAndCodes { codes: codes_of(c, iri)?, list }))
    }

    fn blank(iri: NamedNode, id: &str) -> ListAndCodes {
        let mut list = CodeList::new(iri, LangText::new());
        list.identifier = Some(id.to_owned()).filter(|s| !s.is_empty());
        ListAndCodes { list, codes: Vec::new() }
    }

    /// The list, then every code that is new or changed (a removed code is changed: it no
    /// longer names the list).
    fn records(before: &ListAndCodes, after: ListAndCodes) -> Vec<Resource> {
        let mut out = vec![Resource::CodeList(after.list)];
        for x in after.codes {
            if before.codes.iter().find(|b| b.iri == x.iri) != Some(&x) {
                out.push(Resource::Concept(x));
            }
        }
        out
    }
}

/// The codes of a list as a curator sees them: working drafts first, then published codes.
fn codes_of(c: &Curation, list: &NamedNode) -> Result<Vec<Concept>, CurationError> {
    let mut iris: Vec<NamedNode> = c.catalogue().concepts_of(list)?.into_iter().map(|x| x.iri).collect();
    let prefix = format!("{}/", list.as_str());
    for (iri, _) in c.open_drafts()? {
        if let Some(n) = iri.starts_with(&prefix).then(|| NamedNode::new(iri).ok()).flatten()
            && !iris.contains(&n)
        {
            iris.push(n);
        }
    }
    let mut out = Vec::new();
    for iri in iris {
        if let Some((_, Resource::Concept(x))) = c.current(&iri)?
            && x.in_scheme.contains(list)
        {
            out.push(x);
        }
    }
    out.sort_by_key(|x| (x.order.unwrap_or(u64::MAX), x.notation.clone().unwrap_or_default()));
    Ok(out)
}

/// The title (the label where the list has no title).
fn title(l: &ListAndCodes, lang: &str) -> Value {
    Value::One(l.list.title.get(lang).or_else(|| l.list.label.get(lang)).unwrap_or("").to_owned())
}

/// The title and the label (`skos:prefLabel`) are the same text.
fn set_title(l: &mut ListAndCodes, check: &mut Check, name: &'static str, lang: &str) {
    let text = check.text(name).to_owned();
    l.list.title.set(lang, text.as_str());
    l.list.label.set(lang, text);
}

fn temporal_text(t: &Option<Temporal>) -> String {
    t.as_ref().map(|t| t.value().to_owned()).unwrap_or_default()
}

fn code_rows(l: &ListAndCodes, _: &Env) -> Vec<Row> {
    l.codes
        .iter()
        .map(|x| {
            let code = x.notation.clone().unwrap_or_default();
            Row::from([
                ("kod_fore", code.clone()),
                ("kod", code),
                ("kod_sv", x.label.get("sv").unwrap_or("").to_owned()),
                ("kod_en", x.label.get("en").unwrap_or("").to_owned()),
                ("kod_synonymer", swedish(&x.alt_labels)),
                ("kod_sokord", swedish(&x.hidden_labels)),
                ("kod_fran", temporal_text(&x.valid_from)),
                ("kod_till", temporal_text(&x.valid_through)),
                ("kod_ordning", x.order.map(|o| o.to_string()).unwrap_or_default()),
                ("kod_bort", String::new()),
            ])
        })
        .collect()
}

/// The Swedish (and untagged) labels, `; ` between.
fn swedish(labels: &[LangString]) -> String {
    labels.iter().filter(|l| l.lang == "sv" || l.lang.is_empty()).map(|l| l.value.as_str()).collect::<Vec<_>>().join("; ")
}

/// Replaces the Swedish labels by those of `cell` (split at `;`, blanks and repeats dropped);
/// labels in other languages are kept as they are. The labels as read back are unchanged when
/// the cell is.
fn set_swedish(labels: &mut Vec<LangString>, cell: &str) {
    if swedish(labels) == cell {
        return;
    }
    labels.retain(|l| !(l.lang == "sv" || l.lang.is_empty()));
    for value in cell.split(';').map(str::trim).filter(|v| !v.is_empty()) {
        let l = LangString::new("sv", value);
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    labels.sort();
}

/// Each row: a code removed, kept or added. `codes` becomes every code the rows touched.
fn set_codes(l: &mut ListAndCodes, check: &mut Check) {
    let iri = l.list.iri.clone();
    let list_id = check.minter.parse(iri.as_str()).map(|(_, id)| id).unwrap_or_default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut touched = Vec::new();
    for (n, row) in check.rows().iter().enumerate() {
        let cell = |c: &str| row.get(c).map(String::as_str).unwrap_or("");
        let (existing, code) = (cell("kod_fore"), cell("kod"));
        let before = l.codes.iter().find(|x| !existing.is_empty() && x.notation.as_deref() == Some(existing));
        if !cell("kod_bort").is_empty() {
            if let Some(b) = before {
                let mut gone = b.clone();
                gone.in_scheme.retain(|s| s != &iri);
                gone.top_concept_of.retain(|s| s != &iri);
                touched.push(gone);
            }
            continue;
        }
        let mut problems = Vec::new();
        if code.is_empty() {
            problems.push(check.say(messages::NO_CODE));
        } else if !seen.insert(code.to_owned()) {
            problems.push(check.say(messages::DUPLICATE).replace("{}", code));
        } else if !existing.is_empty() && existing != code {
            problems.push(check.say(messages::RENAMED));
        }
        if cell("kod_sv").is_empty() {
            problems.push(check.say(messages::NO_LABEL));
        }
        let date = |v: &str| if v.is_empty() { Ok(None) } else { Temporal::read(v).map(Some).ok_or(()) };
        let (from, through) = (date(cell("kod_fran")), date(cell("kod_till")));
        if from.is_err() || through.is_err() {
            problems.push(check.say(messages::DATES));
        }
        if let (Ok(Some(f)), Ok(Some(t))) = (&from, &through)
            && f.value() > t.value()
        {
            problems.push(check.say(messages::ENDS_FIRST));
        }
        let order = match cell("kod_ordning") {
            "" => Ok(None),
            o => o.parse::<u64>().map(Some),
        };
        if order.is_err() {
            problems.push(check.say(messages::ORDER));
        }
        if !problems.is_empty() {
            check.row_problem_text(&CODES, n, &problems.join("; "));
            continue;
        }
        let Ok(code_iri) = check.minter.concept(&list_id, code) else { continue };
        let mut x = before.cloned().unwrap_or_else(|| Concept::new(code_iri, code, LangText::new()));
        x.label.set("sv", cell("kod_sv"));
        x.label.set("en", cell("kod_en"));
        set_swedish(&mut x.alt_labels, cell("kod_synonymer"));
        set_swedish(&mut x.hidden_labels, cell("kod_sokord"));
        x.valid_from = from.ok().flatten();
        x.valid_through = through.ok().flatten();
        x.order = order.ok().flatten();
        if !x.in_scheme.contains(&iri) {
            x.in_scheme.push(iri.clone());
        }
        if x.broader.is_empty() && !x.top_concept_of.contains(&iri) {
            x.top_concept_of.push(iri.clone());
        }
        touched.push(x);
    }
    l.codes = touched;
}
