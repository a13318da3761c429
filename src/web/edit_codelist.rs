//! The edit form of a code list and its codes (`/codelist/ny`, `/codelist/{id}/redigera`): the
//! list's titles, description, publisher and coding system, and one row per code (code, labels,
//! validity period, order, remove). Codes are added in the empty rows, reordered by their order
//! numbers and removed by ticking "ta bort" (the code leaves the list: its `skos:inScheme` link
//! is dropped in the draft, so it is gone from the list once published). Server-side validation
//! with a message next to each field and row; a failed save keeps what was typed. The list and
//! the codes that changed are saved as drafts together (all or nothing); a save over a newer
//! revision of the list is refused (409). Works without JavaScript.

use std::collections::{BTreeMap, HashSet};

use actix_web::ResponseError as _;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;

use super::edit::Opt;
use super::kernel::AppState;
use super::kernel::context::Ctx;
use super::kernel::error::{Failure, curation_refusal as error_text};
use super::kernel::form::FormData;
use super::kernel::guard::curate;
use super::kernel::guard::{Submission, authorised_form, require};
use super::views::Chrome;
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::{Curation, CurationError};
use crate::model::ids::check_slug;
use crate::model::record::{RecordKind, Resource};
use crate::model::{CodeList, Concept, LangText, Temporal};

const MAX_FORM: usize = 1024 * 1024;
/// Empty code rows offered below the filled ones.
const SPARE_ROWS: usize = 3;

/// One code row as typed.
#[derive(Clone, Debug, Default)]
pub struct CodeRow {
    pub n: usize,
    pub code: String,
    pub label_sv: String,
    pub label_en: String,
    pub valid_from: String,
    pub valid_through: String,
    pub order: String,
    pub remove: bool,
    /// The code as saved before (its IRI cannot change: a renamed code is a new code).
    pub existing: String,
    pub error: Option<String>,
}

/// The form as typed.
#[derive(Clone, Debug, Default)]
struct Input {
    id: String,
    title_sv: String,
    title_en: String,
    description_sv: String,
    description_en: String,
    publisher: String,
    conforms_to: String,
    codes: Vec<CodeRow>,
    message: String,
    based_on: String,
}

#[derive(Template)]
#[template(path = "edit_codelist.html")]
struct EditPage {
    chrome: Chrome,
    csrf: String,
    action: String,
    is_new: bool,
    input: Input,
    publishers: Vec<Opt>,
    standards: Vec<Opt>,
    errors: BTreeMap<&'static str, String>,
    problem: Option<String>,
    cancel_href: String,
}

impl EditPage {
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// The codes of a list as a curator sees them: working drafts first, then published codes.
fn codes_of(c: &Curation, list: &NamedNode) -> Result<Vec<Concept>, CurationError> {
    let mut iris: Vec<NamedNode> = c.catalogue().concepts_of(list)?.into_iter().map(|x| x.iri).collect();
    let prefix = format!("{}/", list.as_str());
    for (iri, _) in c.open_drafts()? {
        if iri.starts_with(&prefix) {
            if let Ok(n) = NamedNode::new(iri) {
                if !iris.contains(&n) {
                    iris.push(n);
                }
            }
        }
    }
    let mut out = Vec::new();
    for iri in iris {
        if let Some((_, Resource::Concept(x))) = c.current(&iri)? {
            if x.in_scheme.contains(list) {
                out.push(x);
            }
        }
    }
    out.sort_by_key(|x| (x.order.unwrap_or(u64::MAX), x.notation.clone().unwrap_or_default()));
    Ok(out)
}

fn temporal_text(t: &Option<Temporal>) -> String {
    t.as_ref().map(|t| t.value().to_owned()).unwrap_or_default()
}

impl Input {
    fn of(list: &CodeList, codes: &[Concept], id: &str) -> Self {
        let mut rows: Vec<CodeRow> = codes
            .iter()
            .enumerate()
            .map(|(n, x)| CodeRow {
                n,
                code: x.notation.clone().unwrap_or_default(),
                label_sv: x.label.get("sv").unwrap_or("").into(),
                label_en: x.label.get("en").unwrap_or("").into(),
                valid_from: temporal_text(&x.valid_from),
                valid_through: temporal_text(&x.valid_through),
                order: x.order.map(|o| o.to_string()).unwrap_or_default(),
                remove: false,
                existing: x.notation.clone().unwrap_or_default(),
                error: None,
            })
            .collect();
        pad(&mut rows);
        Self {
            id: id.to_owned(),
            title_sv: list.title.get("sv").or_else(|| list.label.get("sv")).unwrap_or("").into(),
            title_en: list.title.get("en").or_else(|| list.label.get("en")).unwrap_or("").into(),
            description_sv: list.description.get("sv").unwrap_or("").into(),
            description_en: list.description.get("en").unwrap_or("").into(),
            publisher: list.publisher.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            conforms_to: list.conforms_to.first().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            codes: rows,
            message: String::new(),
            based_on: String::new(),
        }
    }

    fn from_form(form: &FormData) -> Self {
        let rows: usize = form.value("kod_rader").parse().unwrap_or(0).min(2000);
        let mut codes: Vec<CodeRow> = (0..rows)
            .map(|n| CodeRow {
                n,
                code: form.value(&format!("kod_{n}")).trim().to_owned(),
                label_sv: form.value(&format!("kod_sv_{n}")).trim().to_owned(),
                label_en: form.value(&format!("kod_en_{n}")).trim().to_owned(),
                valid_from: form.value(&format!("kod_fran_{n}")).trim().to_owned(),
                valid_through: form.value(&format!("kod_till_{n}")).trim().to_owned(),
                order: form.value(&format!("kod_ordning_{n}")).trim().to_owned(),
                remove: form.text(&format!("kod_bort_{n}")).is_some(),
                existing: form.value(&format!("kod_fore_{n}")).trim().to_owned(),
                error: None,
            })
            .collect();
        codes.retain(|r| !r.existing.is_empty() || !r.code.is_empty() || !r.label_sv.is_empty() || !r.label_en.is_empty());
        pad(&mut codes);
        Self {
            id: form.value("id").trim().to_owned(),
            title_sv: form.value("titel_sv").trim().to_owned(),
            title_en: form.value("titel_en").trim().to_owned(),
            description_sv: form.value("beskrivning_sv").trim().to_owned(),
            description_en: form.value("beskrivning_en").trim().to_owned(),
            publisher: form.value("utgivare"),
            conforms_to: form.value("kodverk"),
            codes,
            message: form.value("meddelande"),
            based_on: form.value("grund"),
        }
    }
}

/// Renumbers the rows and adds the empty ones.
fn pad(rows: &mut Vec<CodeRow>) {
    for _ in 0..SPARE_ROWS {
        rows.push(CodeRow::default());
    }
    for (n, r) in rows.iter_mut().enumerate() {
        r.n = n;
    }
}

/// Organisations and coding systems to choose from.
fn choices(c: &Curation, lang: Lang, input: &Input) -> Result<(Vec<Opt>, Vec<Opt>), CurationError> {
    let cat = c.catalogue();
    let none = |en: bool| Opt { value: String::new(), label: if en { "(none)".into() } else { "(ingen)".into() }, selected: false };
    let en = lang == Lang::En;
    let mut out = [vec![none(en)], vec![none(en)]];
    for (i, kind, selected) in [(0, RecordKind::Agent, &input.publisher), (1, RecordKind::Standard, &input.conforms_to)] {
        let (_, records) = cat.public_list(kind, 0, 1000)?;
        for r in records {
            out[i].push(Opt {
                value: r.iri().as_str().to_owned(),
                label: r.label().best(lang.code()).to_owned(),
                selected: r.iri().as_str() == selected,
            });
        }
        if !selected.is_empty() && !out[i].iter().any(|o| o.selected) {
            out[i].push(Opt { value: selected.clone(), label: selected.clone(), selected: true });
        }
        if selected.is_empty() {
            out[i][0].selected = true;
        }
    }
    let [a, b] = out;
    Ok((a, b))
}

type Errors = BTreeMap<&'static str, String>;

/// Checks the form and builds the records to save: the list and every code that changed.
fn build(
    c: &Curation,
    iri: &NamedNode,
    list: Option<CodeList>,
    input: &mut Input,
    lang: Lang,
) -> Result<Result<Vec<Resource>, Errors>, CurationError> {
    let en = lang == Lang::En;
    let mut errors = Errors::new();
    let minter = c.catalogue().minter();
    if input.title_sv.is_empty() {
        errors.insert("titel_sv", if en { "Write the title in Swedish.".into() } else { "Skriv titeln på svenska.".into() });
    }
    let mut list = list.unwrap_or_else(|| {
        let mut l = CodeList::new(iri.clone(), LangText::new());
        l.identifier = Some(input.id.clone());
        l
    });
    list.title.set("sv", input.title_sv.as_str());
    list.title.set("en", input.title_en.as_str());
    list.label.set("sv", input.title_sv.as_str());
    list.label.set("en", input.title_en.as_str());
    list.description.set("sv", input.description_sv.as_str());
    list.description.set("en", input.description_en.as_str());
    list.publisher = NamedNode::new(input.publisher.trim()).ok();
    list.conforms_to = NamedNode::new(input.conforms_to.trim()).ok().into_iter().collect();

    let current = codes_of(c, iri)?;
    let id = minter.parse(iri.as_str()).map(|(_, id)| id).unwrap_or_default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let mut row_errors = false;
    for row in input.codes.iter_mut() {
        if row.code.is_empty() && row.existing.is_empty() && row.label_sv.is_empty() && row.label_en.is_empty() {
            continue;
        }
        let before = current.iter().find(|x| x.notation.as_deref() == Some(row.existing.as_str()) && !row.existing.is_empty());
        if row.remove {
            if let Some(b) = before {
                let mut gone = b.clone();
                gone.in_scheme.retain(|s| s != iri);
                gone.top_concept_of.retain(|s| s != iri);
                out.push(Resource::Concept(gone));
            }
            continue;
        }
        let mut problems: Vec<String> = Vec::new();
        if row.code.is_empty() {
            problems.push(if en { "write the code".into() } else { "skriv koden".into() });
        } else if !seen.insert(row.code.clone()) {
            problems.push(if en {
                format!("the code {} is already in the list", row.code)
            } else {
                format!("koden {} finns redan i listan", row.code)
            });
        } else if !row.existing.is_empty() && row.existing != row.code {
            problems.push(if en {
                "a code cannot be renamed: remove it and add the new code".into()
            } else {
                "en kod kan inte byta namn: ta bort den och lägg till den nya koden".into()
            });
        }
        if row.label_sv.is_empty() {
            problems.push(if en { "write the label in Swedish".into() } else { "skriv benämningen på svenska".into() });
        }
        let parse = |v: &str| if v.is_empty() { Ok(None) } else { Temporal::parse(v).map(Some).ok_or(()) };
        let (from, through) = (parse(&row.valid_from), parse(&row.valid_through));
        if from.is_err() || through.is_err() {
            problems.push(if en {
                "write dates as 2024, 2024-05 or 2024-05-01".into()
            } else {
                "skriv datum som 2024, 2024-05 eller 2024-05-01".into()
            });
        }
        if let (Ok(Some(f)), Ok(Some(t))) = (&from, &through) {
            if f.value() > t.value() {
                problems.push(if en { "the validity ends before it starts".into() } else { "giltigheten slutar innan den börjar".into() });
            }
        }
        let order = if row.order.is_empty() { Ok(None) } else { row.order.parse::<u64>().map(Some) };
        if order.is_err() {
            problems.push(if en { "the order is a whole number".into() } else { "ordningen är ett heltal".into() });
        }
        if !problems.is_empty() {
            let text = problems.join("; ");
            row.error = Some(if en { format!("Code row {}: {text}.", row.n + 1) } else { format!("Kodrad {}: {text}.", row.n + 1) });
            row_errors = true;
            continue;
        }
        let Ok(code_iri) = minter.concept(&id, &row.code) else { continue };
        let mut x = before.cloned().unwrap_or_else(|| Concept::new(code_iri.clone(), &row.code, LangText::new()));
        x.label.set("sv", row.label_sv.as_str());
        x.label.set("en", row.label_en.as_str());
        x.valid_from = from.ok().flatten();
        x.valid_through = through.ok().flatten();
        x.order = order.ok().flatten();
        if !x.in_scheme.contains(iri) {
            x.in_scheme.push(iri.clone());
        }
        if x.broader.is_empty() && !x.top_concept_of.contains(iri) {
            x.top_concept_of.push(iri.clone());
        }
        if before != Some(&x) {
            out.push(Resource::Concept(x));
        }
    }
    if row_errors {
        errors.insert(
            "koder",
            if en { "Correct the code rows marked below.".into() } else { "Rätta kodraderna som är markerade nedan.".into() },
        );
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    out.insert(0, Resource::CodeList(list));
    Ok(Ok(out))
}

fn render(
    ctx: &Ctx,
    status: StatusCode,
    is_new: bool,
    input: Input,
    choices: (Vec<Opt>, Vec<Opt>),
    errors: Errors,
    problem: Option<String>,
) -> HttpResponse {
    let en = ctx.lang == Lang::En;
    let title = if is_new {
        if en { "New code list".to_owned() } else { "Ny kodlista".to_owned() }
    } else if en {
        format!("Edit the code list {}", input.title_sv)
    } else {
        format!("Redigera kodlistan {}", input.title_sv)
    };
    let page = EditPage {
        chrome: Chrome::new(ctx.lang, &title, &ctx.path_and_query, "codelists"),
        csrf: ctx.csrf.clone(),
        action: if is_new { "/codelist/ny".into() } else { format!("/codelist/{}/redigera", input.id) },
        is_new,
        cancel_href: if is_new { "/arbete".into() } else { format!("/codelist/{}", input.id) },
        input,
        publishers: choices.0,
        standards: choices.1,
        errors,
        problem,
    };
    ctx.respond(status, page.render())
}

pub(super) async fn new_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if let Err(e) = require(&req, &ctx, &state, Role::Redaktor) {
        return e.error_response();
    }
    let lang = ctx.lang;
    let mut input = Input::default();
    pad(&mut input.codes);
    let typed = input.clone();
    match curate(&ctx, &state, move |c| choices(c, lang, &typed)).await {
        Ok(Ok(ch)) => render(&ctx, StatusCode::OK, true, input, ch, Errors::new(), None),
        Ok(Err(e)) => super::kernel::error::error_page(&ctx, e.to_string()),
        Err(e) => e.error_response(),
    }
}

pub(super) async fn edit_form(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    if let Err(e) = require(&req, &ctx, &state, Role::Redaktor) {
        return e.error_response();
    }
    let id = path.into_inner();
    let Ok(iri) = state.catalogue.minter().record(RecordKind::CodeList, &id) else {
        return super::kernel::error::not_found_page(&ctx, Some(RecordKind::CodeList));
    };
    let lang = ctx.lang;
    let result = curate(&ctx, &state, move |c| {
        let Some((_, Resource::CodeList(list))) = c.current(&iri)? else { return Ok(None) };
        let codes = codes_of(c, &iri)?;
        let mut input = Input::of(&list, &codes, &id);
        input.based_on = c.latest_revision(&iri)?.map(|r| r.id.to_string()).unwrap_or_default();
        let ch = choices(c, lang, &input)?;
        Ok(Some((input, ch)))
    })
    .await;
    match result {
        Ok(Ok(Some((input, ch)))) => render(&ctx, StatusCode::OK, false, input, ch, Errors::new(), None),
        Ok(Ok(None)) => super::kernel::error::not_found_page(&ctx, Some(RecordKind::CodeList)),
        Ok(Err(e)) => super::kernel::error::error_page(&ctx, e.to_string()),
        Err(e) => e.error_response(),
    }
}

enum Outcome {
    Saved,
    Invalid(Errors, Input),
    Conflict(Input),
    Missing,
}

async fn save_handler(req: HttpRequest, state: web::Data<AppState>, id: Option<String>, payload: web::Payload) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Redaktor, payload, MAX_FORM).await {
        Ok(s) => s,
        Err(e) => return e.error_response(),
    };
    let is_new = id.is_none();
    let mut input = Input::from_form(&form);
    if let Some(id) = &id {
        input.id = id.clone();
    }
    let lang = ctx.lang;
    let en = lang == Lang::En;
    let minter = state.catalogue.minter().clone();
    let iri = minter.record(RecordKind::CodeList, &input.id).ok();
    if !is_new && iri.is_none() {
        return super::kernel::error::not_found_page(&ctx, Some(RecordKind::CodeList));
    }
    let typed = input.clone();
    let result = curate(&ctx, &state, move |c| {
        let mut input = typed;
        let mut errors = Errors::new();
        let list = match (&iri, is_new) {
            (None, _) => {
                errors.insert(
                    "id",
                    if en {
                        "Use lower-case letters a–z, digits and hyphens.".into()
                    } else {
                        "Använd små bokstäver a–z, siffror och bindestreck.".into()
                    },
                );
                None
            }
            (Some(iri), true) => {
                if input.id == "ny" || check_slug(&input.id).is_err() {
                    errors.insert(
                        "id",
                        if en {
                            "Use lower-case letters a–z, digits and hyphens (not “ny”).".into()
                        } else {
                            "Använd små bokstäver a–z, siffror och bindestreck (inte ”ny”).".into()
                        },
                    );
                } else if c.current(iri)?.is_some() || c.latest_revision(iri)?.is_some() {
                    errors.insert(
                        "id",
                        if en {
                            format!("There is already a code list {}.", input.id)
                        } else {
                            format!("Det finns redan en kodlista med identifieraren {}.", input.id)
                        },
                    );
                }
                None
            }
            (Some(iri), false) => match c.current(iri)? {
                Some((_, Resource::CodeList(l))) => Some(l),
                _ => return Ok((Outcome::Missing, choices(c, lang, &input)?)),
            },
        };
        let iri = iri.unwrap_or_else(|| NamedNode::new_unchecked(format!("{}codelist/-", c.catalogue().minter().base())));
        let built = build(c, &iri, list, &mut input, lang)?;
        let ch = choices(c, lang, &input)?;
        match built {
            Ok(_) if !errors.is_empty() => Ok((Outcome::Invalid(errors, input), ch)),
            Err(mut more) => {
                more.extend(errors);
                Ok((Outcome::Invalid(more, input), ch))
            }
            Ok(records) => {
                let latest = c.latest_revision(&iri)?.map(|r| r.id.to_string()).unwrap_or_default();
                if !is_new && latest != input.based_on.trim() {
                    input.based_on = latest;
                    return Ok((Outcome::Conflict(input), ch));
                }
                let message = if input.message.trim().is_empty() {
                    if is_new { "Ny kodlista" } else { "Ändrad i formuläret" }
                } else {
                    input.message.trim()
                };
                c.save_drafts(&actor, records, message)?;
                Ok((Outcome::Saved, ch))
            }
        }
    })
    .await;
    match result {
        Ok(Ok((Outcome::Saved, _))) => {
            HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/codelist/{}/utkast", input.id))).finish()
        }
        Ok(Ok((Outcome::Invalid(errors, typed), ch))) => {
            let problem = Some(if en {
                "The draft was not saved: correct the fields marked below.".to_owned()
            } else {
                "Utkastet sparades inte: rätta fälten som är markerade nedan.".to_owned()
            });
            render(&ctx, StatusCode::BAD_REQUEST, is_new, typed, ch, errors, problem)
        }
        Ok(Ok((Outcome::Conflict(typed), ch))) => {
            let problem = Some(if en {
                "Someone else saved this code list after you started editing; your changes are not saved. Open the history to see what changed; if you save again, your version replaces theirs.".to_owned()
            } else {
                "Någon annan sparade kodlistan efter att du började redigera; dina ändringar är inte sparade. Se historiken för vad som ändrats; om du sparar igen ersätter din version deras.".to_owned()
            });
            render(&ctx, StatusCode::CONFLICT, is_new, typed, ch, Errors::new(), problem)
        }
        Ok(Ok((Outcome::Missing, _))) => super::kernel::error::not_found_page(&ctx, Some(RecordKind::CodeList)),
        Ok(Err(e)) => {
            let (status, text) = error_text(&e, lang);
            ctx.fail(Failure::Refused { status: status, message: text, back: ("/arbete").to_owned() }).error_response()
        }
        Err(e) => e.error_response(),
    }
}

pub(super) async fn create(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    save_handler(req, state, None, payload).await
}

pub(super) async fn save(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>, payload: web::Payload) -> HttpResponse {
    save_handler(req, state, Some(path.into_inner()), payload).await
}
