//! The edit forms of variables, datasets, code lists and use cases (`/{kind}/ny`,
//! `/{kind}/{id}/redigera`). The rules are the curation service's form engine
//! (`curation::forms`): these handlers read the request, call it, and render what it answers
//! in one template (`edit_form.html`: the field groups of `form_groups.html`, the repeated rows,
//! a message next to each field and row, an error summary linking to them). A failed save keeps
//! what was typed; a save over a newer revision is answered 409 with what changed in between.
//! A picker's search is a submit button of the same form (`sok={field}`): the post comes back
//! as the form with everything typed and the picker's list narrowed, and nothing is saved.
//! Works without JavaScript; every input has a label.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::{PageError, curation_refusal};
use super::kernel::form::FormData;
use super::kernel::guard::{Submission, authorised_form, curate, require};
use super::kernel::labels::vocab_label;
use super::kernel::page::Chrome;
use super::kernel::paths;
use super::kernel::words::forms as w;
use super::views::history::diff_lines;
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::forms::{
    self, Cell, Choice, Conflict, FieldSpec, Form, FormInput, Label, Layout, Offer, RowLegend, Saved, Submitted, Value, Widget, Words,
};
use crate::curation::{Curation, CurationError};
use crate::model::RecordKind;
use crate::model::fold;

/// The largest form read: a code list with its codes may be long.
fn max_form(kind: RecordKind) -> usize {
    if kind == RecordKind::CodeList { 1024 * 1024 } else { 512 * 1024 }
}

impl Submitted for FormData {
    fn value(&self, name: &str) -> String {
        FormData::value(self, name)
    }

    fn values(&self, name: &str) -> Vec<String> {
        self.all(name)
    }

    fn has(&self, name: &str) -> bool {
        self.text(name).is_some()
    }
}

#[derive(Deserialize)]
pub(super) struct FormPath {
    kind: String,
    id: Option<String>,
}

impl FormPath {
    /// The kind, when it has a form.
    fn kind(&self) -> Option<RecordKind> {
        RecordKind::parse(&self.kind).filter(|k| forms::layout(*k).is_some())
    }
}

/// `GET /{kind}/ny`, `GET /{kind}/{id}/redigera`.
pub(super) async fn form_page(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<FormPath>,
) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Redaktor)?;
    let kind = path.kind().ok_or_else(|| ctx.not_found(None))?;
    let (id, lang) = (path.id.clone(), ctx.lang);
    match curate(&ctx, &state, move |c| c.open_form(&actor, kind, id.as_deref(), lang)).await? {
        Ok(Some(form)) => Ok(render(&ctx, &state, StatusCode::OK, form, None, None, &Searches::default())),
        Ok(None) => Err(ctx.not_found(Some(kind))),
        Err(e) => Err(ctx.fail(e)),
    }
}

/// `POST /{kind}/ny`, `POST /{kind}/{id}/redigera`: saves the draft, or shows the form again
/// with its problems (400) or with what changed since the edit started (409); sent by a
/// picker's search button, shows the form again as typed with the lists narrowed (200) and
/// saves nothing.
pub(super) async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<FormPath>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let limit = path.kind().map_or(0, max_form);
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Redaktor, payload, limit).await?;
    let kind = path.kind().ok_or_else(|| ctx.not_found(None))?;
    let layout = forms::layout(kind);
    let input = layout.as_ref().map(|l| FormInput::read(l, &form)).unwrap_or_default();
    let (id, lang) = (path.id.clone(), ctx.lang);
    if let Some(searches) = layout.as_ref().and_then(|l| Searches::read(l, &form)) {
        // a search: the form as it was sent, with the records it offers as they are now
        return match curate(&ctx, &state, move |c| c.open_form(&actor, kind, id.as_deref(), lang)).await? {
            Ok(Some(mut shown)) => {
                shown.input = input;
                Ok(render(&ctx, &state, StatusCode::OK, shown, None, None, &searches))
            }
            Ok(None) => Err(ctx.not_found(Some(kind))),
            Err(e) => Err(ctx.fail(e)),
        };
    }
    let saved = curate(&ctx, &state, move |c| {
        let saved = c.save_form(&actor, kind, id.as_deref(), input, lang)?;
        let changes = changed_in_between(c, &saved, lang)?;
        Ok((saved, changes))
    })
    .await?;
    match saved {
        Ok((Saved::Saved { id, .. }, _)) => {
            Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, paths::draft(kind, &id))).finish())
        }
        Ok((Saved::Invalid(form), _)) => {
            Ok(render(&ctx, &state, StatusCode::BAD_REQUEST, *form, Some(w::NOT_SAVED.get(lang).to_owned()), None, &Searches::default()))
        }
        Ok((Saved::Conflict(conflict), changes)) => {
            let problem = conflict_problem(&conflict, lang);
            Ok(render(&ctx, &state, StatusCode::CONFLICT, conflict.form, Some(problem), changes, &Searches::default()))
        }
        Ok((Saved::Missing, _)) => Err(ctx.not_found(Some(kind))),
        Err(e) => Err(ctx.refused(&e, paths::WORK)),
    }
}

/// The name of a picker's search button; its value is the field searched (`sok=begrepp`).
const SEARCH: &str = "sok";

/// The prefix of a picker's search box (`sok_begrepp=kön`).
const SEARCH_PREFIX: &str = "sok_";

/// The pickers' searches of a submission sent by a search button: the text in each picker's
/// search box (trimmed, at most 200 characters; empty ones left out) and the picker whose
/// button was pressed. Only pickers (links to records) are searched.
#[derive(Default)]
struct Searches {
    texts: BTreeMap<&'static str, String>,
    /// The picker whose search button sent the form: the page opens at its search box.
    focus: Option<&'static str>,
}

impl Searches {
    /// The searches of `form` when a search button sent it, else `None` (a save).
    fn read(layout: &Layout, form: &FormData) -> Option<Self> {
        let pressed = form.text(SEARCH)?;
        let texts = picker_names(layout)
            .map(|name| (name, form.value(&format!("{SEARCH_PREFIX}{name}")).trim().chars().take(200).collect::<String>()))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        let focus = picker_names(layout).find(|name| *name == pressed.trim());
        Some(Self { texts, focus })
    }

    fn of(&self, name: &str) -> String {
        self.texts.get(name).cloned().unwrap_or_default()
    }
}

/// The pickers of a layout: its fields that link to records, and the columns of its rows that
/// do (one search for the column narrows every row's list).
fn picker_names(layout: &Layout) -> impl Iterator<Item = &'static str> + '_ {
    let fields = layout.fields.iter().filter(|f| is_picker(f)).map(|f| f.name);
    let columns = layout.rows.into_iter().flat_map(|r| r.columns.iter()).filter(|c| is_picker_column(c)).map(|c| c.name);
    fields.chain(columns)
}

/// Whether a row's column links to records.
fn is_picker_column(c: &forms::Column) -> bool {
    matches!(c.cell, Cell::Select { offer: Offer::Records(_), .. })
}

/// Whether a field links to records (one or several): a picker with a search.
fn is_picker(spec: &FieldSpec) -> bool {
    matches!(spec.widget, Widget::Select { offer: Offer::Records(_), .. } | Widget::Checks(Offer::Records(_)))
}

/// Whether a choice named `label` (which holds the record's identifier) matches every word of
/// `search`, without case and marks.
fn matches(label: &str, search: &str) -> bool {
    let label = fold::text(label);
    fold::text(search).split_whitespace().all(|word| label.contains(word))
}

/// What changed between the revision a refused save started from and the latest, in words;
/// `None` when the save was not refused, or for a code list (its conflict points to its history).
fn changed_in_between(c: &Curation, saved: &Saved, lang: Lang) -> Result<Option<Vec<String>>, CurationError> {
    Ok(match saved {
        Saved::Conflict(conflict) if conflict.form.layout.kind != RecordKind::CodeList => match &conflict.from {
            Some(from) => Some(diff_lines(c, from, &conflict.latest, lang)?),
            None => Some(Vec::new()),
        },
        _ => None,
    })
}

/// The message of a refused save: who saved in between, and what to do.
fn conflict_problem(conflict: &Conflict, lang: Lang) -> String {
    match conflict.form.layout.kind {
        RecordKind::CodeList => w::CODE_LIST_CHANGED.get(lang).to_owned(),
        _ => format!("{}{}", curation_refusal(&conflict.error, lang).1, w::CHANGED_SINCE.get(lang)),
    }
}

// ---- the page ---------------------------------------------------------------------------

/// One choice of a select or checkbox group.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The kind of input of a field.
pub enum Input {
    Text(String),
    Area(String),
    Select(Vec<Opt>),
    Checks(Vec<Opt>),
    /// A link to one record: a select of the records of its kind (the choice of none first),
    /// narrowed by the search (the chosen one always offered).
    Pick {
        options: Vec<Opt>,
        search: Search,
    },
    /// Links to records of one kind: the chosen ones as ticked checkboxes, and a list of the
    /// others to add (several may be chosen), narrowed by the search (the chosen ones are
    /// always shown).
    Picks {
        chosen: Vec<Opt>,
        others: Vec<Opt>,
        search: Search,
    },
    Flag(bool),
}

/// A picker's search box as the page shows it.
pub struct Search {
    /// The text searched for ("": the whole list).
    pub text: String,
    /// How many records match it, besides the chosen ones.
    pub found: usize,
    /// Whether its search button sent the form: focus goes to its box.
    pub focus: bool,
}

/// One labelled field with its message.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub input: Input,
    pub error: Option<String>,
    /// The language of the text typed into it ("" when not a text in one language).
    pub lang: &'static str,
    pub required: bool,
}

/// A headed group of fields (a fieldset), one section of the form's table of contents.
pub struct Group {
    /// The section's anchor (`avsnitt-1`, …).
    pub anchor: String,
    pub legend: String,
    pub fields: Vec<Field>,
}

/// The input of one cell of a repeated row.
pub enum CellInput {
    Hidden(String),
    Text(String),
    Select(Vec<Opt>),
    Flag(bool),
}

/// One cell of a repeated row.
pub struct RowCell {
    /// The form field (`{column}_{row}`).
    pub name: String,
    pub label: String,
    pub input: CellInput,
    pub lang: &'static str,
    pub numeric: bool,
    /// Marked invalid and tied to the row's message (the row's first visible cell).
    pub invalid: bool,
}

/// One repeated row (a fieldset of its own).
pub struct RowView {
    pub legend: String,
    pub error_id: String,
    pub error: Option<String>,
    pub cells: Vec<RowCell>,
}

/// The repeated rows of a form, with the empty rows offered below the filled ones.
pub struct Rows {
    pub name: &'static str,
    /// The hidden field that says how many rows there are.
    pub count: &'static str,
    pub legend: String,
    pub hint: String,
    pub error: Option<String>,
    pub rows: Vec<RowView>,
    /// A search box per column that links to records, above the rows.
    pub searches: Vec<ColumnSearch>,
}

/// The search of a rows' column that links to records (`f` as the picker's template names it).
pub struct ColumnSearch {
    pub f: SearchedColumn,
    pub search: Search,
}

/// The column a search narrows: its name (`sok_{name}`) and label.
pub struct SearchedColumn {
    pub name: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "edit_form.html")]
struct EditPage {
    chrome: Chrome,
    csrf: String,
    action: String,
    based_on: String,
    groups: Vec<Group>,
    rows: Option<Rows>,
    /// A variable's use cases (label, link), on its edit form.
    use_cases: Option<Vec<(String, String)>>,
    message: String,
    problem: Option<String>,
    conflict: Option<Vec<String>>,
    /// The error summary: (anchor, text).
    errors: Vec<(String, String)>,
    /// The table of contents: (anchor, section heading), in the order of the form.
    toc: Vec<(String, String)>,
    words: FormWords,
    cancel_href: String,
}

/// The fixed words of the form page in the reader's language.
struct FormWords {
    contents: &'static str,
    required: &'static str,
    required_note: &'static str,
    add: &'static str,
    add_hint: &'static str,
    none_chosen: &'static str,
    chosen: &'static str,
    use_cases: &'static str,
    save: &'static str,
    errors: &'static str,
    search: &'static str,
    search_button: &'static str,
    search_hint: &'static str,
    search_showing: &'static str,
    search_all: &'static str,
}

impl FormWords {
    fn new(lang: Lang) -> Self {
        Self {
            contents: w::CONTENTS.get(lang),
            required: w::REQUIRED.get(lang),
            required_note: w::REQUIRED_NOTE.get(lang),
            add: w::ADD_RECORDS.get(lang),
            add_hint: w::ADD_HINT.get(lang),
            none_chosen: w::NONE_CHOSEN.get(lang),
            chosen: w::CHOSEN.get(lang),
            use_cases: w::USE_CASES.get(lang),
            save: w::SAVE.get(lang),
            errors: w::ERRORS_HEADING.get(lang),
            search: w::SEARCH_RECORDS.get(lang),
            search_button: w::SEARCH_BUTTON.get(lang),
            search_hint: w::SEARCH_HINT.get(lang),
            search_showing: w::SEARCH_SHOWING.get(lang),
            search_all: w::SEARCH_ALL.get(lang),
        }
    }
}

fn render(
    ctx: &Ctx,
    state: &AppState,
    status: StatusCode,
    form: Form,
    problem: Option<String>,
    conflict: Option<Vec<String>>,
    searches: &Searches,
) -> HttpResponse {
    let (lang, kind) = (ctx.lang, form.layout.kind);
    let groups = groups(&form, lang, searches);
    let rows = rows(&form, lang, searches);
    let mut errors: Vec<(String, String)> = groups
        .iter()
        .flat_map(|g| &g.fields)
        .filter_map(|f| Some((format!("f-{}", f.name), format!("{}: {}", f.label, f.error.as_ref()?))))
        .collect();
    for r in rows.iter().flat_map(|r| &r.rows) {
        if let (Some(e), Some(cell)) = (&r.error, r.cells.iter().find(|c| c.invalid)) {
            errors.push((format!("f-{}", cell.name), e.clone()));
        }
    }
    let minter = state.catalogue.minter();
    let use_cases = (kind == RecordKind::Variable && !form.is_new)
        .then(|| form.named_by.iter().map(|(label, iri)| (label.clone(), minter.path(iri.as_str()))).collect());
    let title = w::title(kind, lang, form.is_new, &form.title(lang));
    let mut toc: Vec<(String, String)> = groups.iter().map(|g| (g.anchor.clone(), g.legend.clone())).collect();
    if let Some(r) = &rows {
        toc.push((format!("f-{}", r.name), r.legend.clone()));
    }
    if use_cases.is_some() {
        toc.push(("anvandningsfall".to_owned(), w::USE_CASES.get(lang).to_owned()));
    }
    toc.push(("spara".to_owned(), w::SAVE.get(lang).to_owned()));
    let action = if form.is_new { paths::new_record(kind) } else { paths::edit(kind, &form.id) };
    let page = EditPage {
        chrome: Chrome::new(lang, title, &ctx.path_and_query, nav(kind)),
        csrf: ctx.csrf.clone(),
        action,
        based_on: form.input.based_on.clone(),
        groups,
        rows,
        use_cases,
        message: form.input.message.clone(),
        problem,
        conflict,
        errors,
        toc,
        words: FormWords::new(lang),
        cancel_href: if form.is_new { paths::WORK.to_owned() } else { paths::record(kind, &form.id) },
    };
    ctx.respond(status, page.render())
}

fn nav(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Variable => "variables",
        RecordKind::CodeList => "codelists",
        RecordKind::UseCase => "usecases",
        _ => "datasets",
    }
}

/// The options of a select (with the choice of nothing first) or a checkbox group; a value
/// chosen that is not offered is shown as itself.
fn options(choices: &[Choice], chosen: &[&str], none: Option<Words>, lang: Lang) -> Vec<Opt> {
    let mut out: Vec<Opt> =
        none.map(|n| Opt { value: String::new(), label: n.get(lang).to_owned(), selected: chosen.is_empty() }).into_iter().collect();
    out.extend(choices.iter().map(|c| Opt {
        value: c.value.clone(),
        label: match &c.label {
            Label::Text(t) => t.clone(),
            Label::Term(iri) => vocab_label(iri, lang),
        },
        selected: chosen.contains(&c.value.as_str()),
    }));
    for c in chosen {
        if !choices.iter().any(|x| x.value == *c) {
            out.push(Opt { value: (*c).to_owned(), label: (*c).to_owned(), selected: true });
        }
    }
    out
}

fn field(spec: &FieldSpec, value: &Value, form: &Form, lang: Lang, searches: &Searches) -> Field {
    let label = spec.label.get(lang);
    let mut hint = spec.hint_text(lang);
    if let Some(column) = forms::columns::column_hint(form.layout.kind, spec.name, spec.label.sv, lang == Lang::En) {
        hint = if hint.is_empty() { column } else { format!("{hint} {column}") };
    }
    let chosen = value.chosen();
    let input = match spec.widget {
        Widget::Select { offer: Offer::Records(_), none } => {
            let text = searches.of(spec.name);
            let all = options(form.choices.of(spec.name), &chosen, Some(none), lang);
            let found = all.iter().filter(|o| !o.value.is_empty() && matches(&o.label, &text)).count();
            // the choice of none, the chosen one and the records that match
            let options = all.into_iter().filter(|o| o.value.is_empty() || o.selected || matches(&o.label, &text)).collect();
            Input::Pick { options, search: Search { text, found, focus: searches.focus == Some(spec.name) } }
        }
        Widget::Select { none, .. } => Input::Select(options(form.choices.of(spec.name), &chosen, Some(none), lang)),
        Widget::Checks(Offer::Records(_)) => {
            let (chosen, others): (Vec<Opt>, Vec<Opt>) =
                options(form.choices.of(spec.name), &chosen, None, lang).into_iter().partition(|o| o.selected);
            let text = searches.of(spec.name);
            let others: Vec<Opt> = others.into_iter().filter(|o| matches(&o.label, &text)).collect();
            let search = Search { found: others.len(), text, focus: searches.focus == Some(spec.name) };
            Input::Picks { chosen, others, search }
        }
        Widget::Checks(_) => Input::Checks(options(form.choices.of(spec.name), &chosen, None, lang)),
        Widget::Flag => Input::Flag(value.is_on()),
        w if w.is_area() => Input::Area(value.raw().to_owned()),
        _ => Input::Text(value.raw().to_owned()),
    };
    Field {
        name: spec.name,
        label: label.to_owned(),
        hint,
        input,
        error: form.errors.get(spec.name).cloned(),
        lang: spec.lang,
        required: spec.required.is_some(),
    }
}

/// The field groups; a new record's identifier comes first.
fn groups(form: &Form, lang: Lang, searches: &Searches) -> Vec<Group> {
    let layout = &form.layout;
    let empty = Value::One(String::new());
    let id = Value::One(form.input.id.clone());
    let id_field = form.is_new.then(|| field(&layout.id, &id, form, lang, searches));
    let mut groups: Vec<Group> = layout
        .groups
        .iter()
        .enumerate()
        .map(|(n, legend)| Group {
            anchor: format!("avsnitt-{}", n + 1),
            legend: legend.get(lang).to_owned(),
            fields: layout.group(n).map(|f| field(f, form.input.values.get(f.name).unwrap_or(&empty), form, lang, searches)).collect(),
        })
        .collect();
    if let (Some(id), Some(first)) = (id_field, groups.first_mut()) {
        first.fields.insert(0, id);
    }
    groups
}

/// The rows typed (or saved), then the empty rows offered.
fn rows(form: &Form, lang: Lang, searches: &Searches) -> Option<Rows> {
    let spec = form.layout.rows?;
    let spare = std::iter::repeat_n(forms::Row::new(), spec.spare);
    let rows = form
        .input
        .rows
        .iter()
        .cloned()
        .chain(spare)
        .enumerate()
        .map(|(n, row)| {
            let cell = |c: &str| row.get(c).cloned().unwrap_or_default();
            let (legend, saved) = match spec.row {
                RowLegend::Numbered(word) => (format!("{} {}", word.get(lang), n + 1), true),
                RowLegend::Saved { new, saved, column } => match cell(column) {
                    c if c.is_empty() => (new.get(lang).to_owned(), false),
                    c => (format!("{} {c}", saved.get(lang)), true),
                },
            };
            let error = form.errors.rows.get(&n).cloned();
            let mut first = error.is_some();
            let cells = spec
                .columns
                .iter()
                .filter(|c| saved || c.cell != Cell::Flag)
                .map(|c| {
                    let value = cell(c.name);
                    let input = match c.cell {
                        Cell::Hidden => CellInput::Hidden(value),
                        Cell::Text | Cell::Numeric => CellInput::Text(value),
                        Cell::Flag => CellInput::Flag(!value.is_empty()),
                        Cell::Select { none, .. } => {
                            let chosen: Vec<&str> = Some(value.as_str()).filter(|v| !v.is_empty()).into_iter().collect();
                            let text = searches.of(c.name);
                            // the choice of none, the row's chosen one and the records that match
                            let all = options(form.choices.of(c.name), &chosen, Some(none), lang);
                            CellInput::Select(
                                all.into_iter().filter(|o| o.value.is_empty() || o.selected || matches(&o.label, &text)).collect(),
                            )
                        }
                    };
                    let invalid = first && c.cell != Cell::Hidden;
                    first &= !invalid;
                    RowCell {
                        name: format!("{}_{n}", c.name),
                        label: c.label.get(lang).to_owned(),
                        input,
                        lang: c.lang,
                        numeric: c.cell == Cell::Numeric,
                        invalid,
                    }
                })
                .collect();
            RowView { legend, error_id: format!("f-{}-{n}-fel", spec.prefix), error, cells }
        })
        .collect();
    Some(Rows {
        name: spec.name,
        count: spec.count,
        legend: spec.legend.get(lang).to_owned(),
        hint: spec.hint.get(lang).to_owned(),
        error: form.errors.get(spec.name).cloned(),
        rows,
        searches: spec
            .columns
            .iter()
            .filter(|c| is_picker_column(c))
            .map(|c| {
                let text = searches.of(c.name);
                let found = options(form.choices.of(c.name), &[], None, lang).iter().filter(|o| matches(&o.label, &text)).count();
                ColumnSearch {
                    f: SearchedColumn { name: c.name, label: c.label.get(lang).to_owned() },
                    search: Search { text, found, focus: searches.focus == Some(c.name) },
                }
            })
            .collect(),
    })
}
