//! One error type for pages ([`PageError`]): what a handler can end in, rendered as the page
//! (or redirect) a person should see, in the page language. Handlers return
//! `Result<HttpResponse, PageError>` and use `?` with [`OrPage::or_page`] or [`Ctx::fail`].

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::context::Ctx;
use super::page::{Chrome, ErrorPage, Val};
use super::paths;
use super::words::curation as curation_words;
use super::words::texts;
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::CurationError;
use crate::model::record::RecordKind;

/// Why a page was not served.
#[derive(Debug, Clone)]
pub enum Failure {
    /// No such page or record; `kind` names the list to suggest.
    NotFound { kind: Option<RecordKind> },
    /// Anonymous: sign in first (303 to `/login?next=…`).
    SignIn,
    /// Signed in, but the role is too low.
    Forbidden { needed: Role },
    /// A form without this browser's (or session's) CSRF token.
    CsrfRejected,
    /// A body over the route's limit (bytes).
    TooLarge { limit: usize },
    /// A request that cannot be read (a broken form, a bad parameter), as plain text.
    BadRequest(String),
    /// A form field holding a character the catalogue refuses.
    ForbiddenCharacter { field: String, c: char },
    /// A step the services refused (a conflict, a wrong state, a missing note): the reason in
    /// the reader's words, with a way back.
    Refused { status: StatusCode, message: String, back: String },
    /// Anything else: logged, and the error page with the detail.
    Internal(String),
}

impl From<String> for Failure {
    fn from(e: String) -> Self {
        Self::Internal(e)
    }
}

impl From<crate::catalog::StoreError> for Failure {
    fn from(e: crate::catalog::StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<crate::harvest::HarvestError> for Failure {
    fn from(e: crate::harvest::HarvestError) -> Self {
        match e {
            crate::harvest::HarvestError::Forbidden { needed } => Self::Forbidden { needed },
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<crate::search::SearchError> for Failure {
    fn from(e: crate::search::SearchError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<crate::curation::CurationError> for Failure {
    fn from(e: crate::curation::CurationError) -> Self {
        use crate::curation::CurationError as C;
        match e {
            C::Forbidden { needed } => Self::Forbidden { needed },
            C::NotFound { .. } => Self::NotFound { kind: None },
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<crate::accounts::AccountError> for Failure {
    fn from(e: crate::accounts::AccountError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl Ctx {
    /// A refused curation step as this request's page, with a way back to `back`.
    pub fn refused(&self, e: &CurationError, back: impl Into<String>) -> PageError {
        let (status, message) = curation_refusal(e, self.lang);
        self.fail(Failure::Refused { status, message, back: back.into() })
    }
}

/// The status and the reader's words for a refused step.
pub fn curation_refusal(e: &CurationError, lang: Lang) -> (StatusCode, String) {
    let en = lang == Lang::En;
    let l = lang.code();
    match e {
        CurationError::Conflict { author, latest, .. } => (
            StatusCode::CONFLICT,
            if en {
                format!(
                    "Someone else ({author}) saved this record (revision {latest}) after you started editing. Your changes were not saved."
                )
            } else {
                format!(
                    "Någon annan ({author}) sparade posten (revision {latest}) efter att du började redigera. Dina ändringar är inte sparade."
                )
            },
        ),
        CurationError::Forbidden { needed } => (
            StatusCode::FORBIDDEN,
            if en { format!("This needs the role {}.", needed.label(l)) } else { format!("Det här kräver rollen {}.", needed.label(l)) },
        ),
        CurationError::NotFound { .. } => {
            (StatusCode::NOT_FOUND, if en { "There is no such record.".into() } else { "Posten finns inte.".into() })
        }
        CurationError::NoDraft { .. } => {
            (StatusCode::CONFLICT, if en { "The record has no draft.".into() } else { "Posten har inget utkast.".into() })
        }
        CurationError::WrongState { state, expected, .. } => (
            StatusCode::CONFLICT,
            if en {
                format!("The record is {}; this can only be done when it is {}.", state.label(l), expected.label(l))
            } else {
                format!("Posten är {}; det här går bara när den är {}.", state.label(l), expected.label(l))
            },
        ),
        CurationError::MissingChangeNote => (
            StatusCode::BAD_REQUEST,
            if en {
                "Write a change note: it is published with the record.".into()
            } else {
                "Skriv en ändringsnotering: den publiceras med posten.".into()
            },
        ),
        CurationError::EmptyComment => (StatusCode::BAD_REQUEST, if en { "Write a comment.".into() } else { "Skriv en kommentar.".into() }),
        CurationError::NoSuchRevision { revision, .. } => (
            StatusCode::NOT_FOUND,
            if en {
                format!("Revision {revision} is not a revision of this record.")
            } else {
                format!("Revision {revision} är inte en revision av den här posten.")
            },
        ),
        CurationError::LinksToUnpublished { targets, .. } => {
            let links: Vec<String> = targets.iter().map(|t| unresolved_link(t, lang)).collect();
            (StatusCode::CONFLICT, curation_words::unresolved(lang, &links.join(", ")))
        }
        CurationError::Several { failures } => {
            let (status, lines) = bulk_refusal(e, lang);
            let _ = failures;
            (status, format!("{} {}", curation_words::nothing_changed(lang, lines.len()), lines.join(" ")))
        }
        CurationError::NothingChosen => (StatusCode::BAD_REQUEST, curation_words::NOTHING_CHOSEN.get(lang).to_owned()),
        CurationError::OwnWork { .. } => (
            StatusCode::FORBIDDEN,
            if en {
                "Four eyes: you changed this draft since it was last published, so another reviewer must publish it.".into()
            } else {
                "Fyra ögon: du har ändrat utkastet sedan det senast publicerades, så en annan granskare måste publicera det.".into()
            },
        ),
        CurationError::Model { error: crate::model::ModelError::ForbiddenCharacter { property, character, .. }, .. } => (
            StatusCode::BAD_REQUEST,
            if en {
                format!(
                    "The value of <{property}> holds the control character {character}, which the catalogue cannot publish (XML does not allow it). Remove it; nothing was saved."
                )
            } else {
                format!(
                    "Värdet av <{property}> innehåller styrtecknet {character}, som katalogen inte kan publicera (XML tillåter det inte). Ta bort det; inget sparades."
                )
            },
        ),
        other => (StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
    }
}

/// A link that stops a publication, in words: its kind, label and state.
pub fn unresolved_link(t: &crate::curation::Unresolved, lang: Lang) -> String {
    let l = lang.code();
    let label = t.label.best(l);
    let label = if label.is_empty() { t.iri.as_str() } else { label };
    let state = t.state.map_or(curation_words::MISSING.get(lang), |s| s.label(l));
    curation_words::link(lang, t.kind.map_or("", |k| k.label(l)), label, state)
}

/// A refused bulk step: its status and one line per refused record naming it and the reason
/// (the status of the first refusal); any other refusal as one line.
pub fn bulk_refusal(e: &CurationError, lang: Lang) -> (StatusCode, Vec<String>) {
    match e {
        CurationError::Several { failures } => {
            let mut status = None;
            let lines = failures
                .iter()
                .map(|f| {
                    let (s, reason) = curation_refusal(&f.error, lang);
                    status.get_or_insert(s);
                    let label = f.label.best(lang.code());
                    curation_words::failed_record(lang, if label.is_empty() { &f.iri } else { label }, &reason)
                })
                .collect();
            (status.unwrap_or(StatusCode::CONFLICT), lines)
        }
        other => {
            let (status, message) = curation_refusal(other, lang);
            (status, vec![message])
        }
    }
}

/// A failure with the request it belongs to.
/// Boxed: a handler's `Result` stays one pointer wide on its error side.
#[derive(Clone)]
pub struct PageError(Box<Failed>);

#[derive(Clone)]
struct Failed {
    ctx: Ctx,
    failure: Failure,
}

impl PageError {
    pub fn failure(&self) -> &Failure {
        &self.0.failure
    }
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} at {}", self.0.failure, self.0.ctx.path_and_query)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

impl Ctx {
    /// This request's failure.
    pub fn fail(&self, failure: impl Into<Failure>) -> PageError {
        PageError(Box::new(Failed { ctx: self.clone(), failure: failure.into() }))
    }

    /// The 404 of this request.
    pub fn not_found(&self, kind: Option<RecordKind>) -> PageError {
        self.fail(Failure::NotFound { kind })
    }
}

/// `?` for handlers: any error that is a [`Failure`] becomes this request's page.
pub trait OrPage<T> {
    fn or_page(self, ctx: &Ctx) -> Result<T, PageError>;
}

impl<T, E: Into<Failure>> OrPage<T> for Result<T, E> {
    fn or_page(self, ctx: &Ctx) -> Result<T, PageError> {
        self.map_err(|e| ctx.fail(e))
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match &self.0.failure {
            Failure::NotFound { .. } => StatusCode::NOT_FOUND,
            Failure::SignIn => StatusCode::SEE_OTHER,
            Failure::Forbidden { .. } | Failure::CsrfRejected => StatusCode::FORBIDDEN,
            Failure::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::BadRequest(_) | Failure::ForbiddenCharacter { .. } => StatusCode::BAD_REQUEST,
            Failure::Refused { status, .. } => *status,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let ctx = &self.0.ctx;
        let en = ctx.en();
        let status = self.status_code();
        let plain = |text: String| HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(text);
        let (heading, message, detail, suggestions) = match &self.0.failure {
            Failure::NotFound { kind } => return render_not_found(ctx, *kind),
            Failure::SignIn => {
                return HttpResponse::SeeOther().insert_header((header::LOCATION, paths::login(&ctx.path_and_query))).finish();
            }
            Failure::TooLarge { limit } => {
                let kb = limit / 1024;
                return plain(if en {
                    format!("The form is too large: at most {kb} KB is accepted here.")
                } else {
                    format!("Formuläret är för stort: här tas högst {kb} kB emot.")
                });
            }
            Failure::BadRequest(text) => return plain(text.clone()),
            Failure::Forbidden { needed } => (
                if en { "Not allowed" } else { "Behörighet saknas" }.to_owned(),
                if en {
                    format!("This needs the role {} or higher.", needed.label("en"))
                } else {
                    format!("Det här kräver rollen {} eller högre.", needed.label("sv"))
                },
                None,
                Vec::new(),
            ),
            Failure::CsrfRejected => (
                if en { "The form has expired" } else { "Formuläret har gått ut" }.to_owned(),
                if en {
                    "The form did not carry this browser's security token (CSRF). Go back, reload the page and send it again.".into()
                } else {
                    "Formuläret saknade webbläsarens säkerhetstoken (CSRF). Gå tillbaka, ladda om sidan och skicka igen.".into()
                },
                None,
                Vec::new(),
            ),
            Failure::ForbiddenCharacter { field, c } => {
                let code = crate::model::chars::code_point(*c);
                (
                    if en { "A character that is not allowed" } else { "Ett tecken som inte är tillåtet" }.to_owned(),
                    if en {
                        format!(
                            "The field «{field}» holds the control character {code}, which the catalogue cannot publish (XML does not allow it). It is invisible: delete and retype the text around it, then send the form again. Nothing was saved."
                        )
                    } else {
                        format!(
                            "Fältet «{field}» innehåller styrtecknet {code}, som katalogen inte kan publicera (XML tillåter det inte). Det syns inte: radera och skriv om texten runt det och skicka formuläret igen. Inget sparades."
                        )
                    },
                    None,
                    Vec::new(),
                )
            }
            Failure::Refused { message, back, .. } => {
                let heading = if en { "It did not work" } else { "Det gick inte" };
                (heading.to_owned(), message.clone(), None, vec![Val::link(if en { "Back" } else { "Tillbaka" }, back.clone())])
            }
            Failure::Internal(detail) => {
                tracing::error!(path = %ctx.path_and_query, error = %detail, "request failed");
                let t = texts(ctx.lang);
                (t.error_title.to_owned(), t.error_text.to_owned(), Some(detail.clone()), Vec::new())
            }
        };
        let page =
            ErrorPage { chrome: Chrome::new(ctx.lang, heading.clone(), &ctx.path_and_query, ""), heading, message, detail, suggestions };
        ctx.respond(status, page.render())
    }
}

/// The helpful 404 page; `kind` names the list to try when a record id was not found.
fn render_not_found(ctx: &Ctx, kind: Option<RecordKind>) -> HttpResponse {
    let t = texts(ctx.lang);
    let path = ctx.path_and_query.split('?').next().unwrap_or_default();
    let mut suggestions: Vec<Val> = Vec::new();
    let kinds = kind.into_iter().chain(
        [RecordKind::Dataset, RecordKind::Variable, RecordKind::CodeList, RecordKind::UseCase].into_iter().filter(|k| Some(*k) != kind),
    );
    for k in kinds {
        suggestions.push(Val::link(super::words::list_heading(k, ctx.lang), paths::list(k)));
    }
    suggestions.push(Val::link(t.nav_home, paths::HOME));
    let page = ErrorPage {
        chrome: Chrome::new(ctx.lang, t.not_found_title, &ctx.path_and_query, ""),
        heading: t.not_found_title.into(),
        message: format!("{} {path}.", t.not_found_text),
        detail: kind.map(|_| t.not_found_record.to_owned()),
        suggestions,
    };
    ctx.respond(StatusCode::NOT_FOUND, page.render())
}
