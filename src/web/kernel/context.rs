//! What every handler works out from the request ([`Ctx`], an extractor): the page language,
//! the signed-in person (from the session cookie, through the accounts service), the CSRF token
//! every form carries, the variable list kept in this browser, and safe return paths.
//!
//! The CSRF token is bound to who sends the form. Signed in, it is derived from the session
//! token (`SHA-256("vardkatalog csrf v1\0" ‖ token)`): only a page served to this session
//! carries it, a token from another session (or from before signing in) fails, and a copy of
//! the state database (which keeps only `SHA-256(token)`) cannot make one. Anonymous (the
//! sign-in form, the variable list, the checks), it is a double-submit token: an HttpOnly
//! SameSite=Strict cookie and a hidden field that must be equal.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use oxigraph::model::NamedNode;
use serde::Deserialize;

use super::app::AppState;
use super::words::curation as words;
use crate::accounts::Role;
use crate::config::Lang;
use crate::curation::Actor;
use crate::model::Minter;
use crate::model::ids::{decode_segment, encode_query};
use crate::model::record::RecordKind;

/// The session cookie.
pub const SESSION_COOKIE: &str = "vk_session";
/// The cookie of the variable list.
pub const LIST_COOKIE: &str = "vk_lista";

const LANG_COOKIE: &str = "vk_lang";
const CSRF_COOKIE: &str = "vk_csrf";

/// The language, account and CSRF token of one request.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    remember_lang: bool,
    pub path_and_query: String,
    /// The token forms on this page carry.
    pub csrf: String,
    /// Whether `csrf` is bound to the session (signed in) rather than the double-submit cookie.
    session_bound: bool,
    /// The double-submit cookie's value, and whether this response sets it.
    cookie_token: String,
    new_csrf: bool,
    secure: bool,
    /// The signed-in person, shown in the page header.
    pub account: Option<Actor>,
    /// How many variables this browser's list holds, shown in the menu.
    pub list_count: usize,
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let default = req.app_data::<web::Data<AppState>>().map_or(Lang::Sv, |s| s.default_lang);
        ready(Ok(Self::of(req, default)))
    }
}

/// The signed-in person, if the request carries a live session of an enabled account. The
/// role is read from the account on every request, so a changed role or a disabled account
/// takes effect at once.
pub fn current_user(req: &HttpRequest, state: &AppState) -> Option<Actor> {
    let token = req.cookie(SESSION_COOKIE)?.value().to_owned();
    let (_, user) = state.accounts.session(&token).ok().flatten()?;
    Some(Actor { user: user.name, role: user.role })
}

/// Whether the request came over TLS (directly or through a proxy that says so).
pub fn secure(req: &HttpRequest) -> bool {
    req.connection_info().scheme() == "https"
}

/// Where the page header shows who is signed in (`templates/base.html`).
const ACCOUNT_MARKER: &str = "<!--vk:account-->";
/// Where the menu shows how many variables the list holds (`templates/base.html`).
const LIST_COUNT_MARKER: &str = "<!--vk:listcount-->";

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

impl Ctx {
    /// Language: `?lang=`, then the `vk_lang` cookie, then `Accept-Language`, then `default`.
    pub fn of(req: &HttpRequest, default: Lang) -> Self {
        let query_lang = web::Query::<LangQuery>::from_query(req.query_string()).ok().and_then(|q| q.lang.as_deref().and_then(Lang::parse));
        let cookie_lang = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value()));
        let header_lang = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split(',').next())
            .and_then(|first| Lang::parse(first.split(';').next().unwrap_or("").split('-').next().unwrap_or("")));
        let lang = query_lang.or(cookie_lang).or(header_lang).unwrap_or(default);
        let path_and_query = match req.uri().path_and_query() {
            Some(pq) => pq.as_str().to_owned(),
            None => req.path().to_owned(),
        };
        let existing = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() == 64);
        let (cookie_token, new_csrf) = match existing {
            Some(t) => (t, false),
            None => (new_token(), true),
        };
        let secure = req.connection_info().scheme() == "https";
        let account = req.app_data::<web::Data<AppState>>().and_then(|s| current_user(req, s));
        let list_count =
            req.app_data::<web::Data<AppState>>().map(|s| VariableList::read(req, s.catalogue.minter()).len()).unwrap_or_default();
        // signed in: the token of this session (the cookie named a live session of an enabled account)
        let session = account.as_ref().and_then(|_| req.cookie(SESSION_COOKIE)).map(|c| session_csrf(c.value()));
        let session_bound = session.is_some();
        let csrf = session.unwrap_or_else(|| cookie_token.clone());
        Self {
            lang,
            remember_lang: query_lang.is_some() && query_lang != cookie_lang,
            path_and_query,
            csrf,
            session_bound,
            cookie_token,
            new_csrf,
            secure,
            account,
            list_count,
        }
    }

    /// Adds the cookies this request decided on (language, a new CSRF token).
    pub fn cookies(&self, res: &mut actix_web::HttpResponseBuilder) {
        if self.remember_lang {
            res.cookie(
                Cookie::build(LANG_COOKIE, self.lang.code())
                    .path("/")
                    .http_only(true)
                    .secure(self.secure)
                    .same_site(SameSite::Lax)
                    .max_age(actix_web::cookie::time::Duration::days(365))
                    .finish(),
            );
        }
        if self.new_csrf {
            res.cookie(
                Cookie::build(CSRF_COOKIE, self.cookie_token.clone())
                    .path("/")
                    .http_only(true)
                    .secure(self.secure)
                    .same_site(SameSite::Strict)
                    .finish(),
            );
        }
    }

    /// An HTML response with the language headers and cookies.
    pub fn respond(&self, status: StatusCode, body: Result<String, askama::Error>) -> HttpResponse {
        let body = match body {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "template failed");
                return HttpResponse::InternalServerError().content_type("text/plain; charset=utf-8").body("template error");
            }
        };
        let body = if body.contains(ACCOUNT_MARKER) { body.replacen(ACCOUNT_MARKER, &self.account_bar(), 1) } else { body };
        let body = if body.contains(LIST_COUNT_MARKER) { body.replacen(LIST_COUNT_MARKER, &self.list_count.to_string(), 1) } else { body };
        let mut res = HttpResponse::build(status);
        res.content_type("text/html; charset=utf-8");
        res.insert_header((header::CONTENT_LANGUAGE, self.lang.code()));
        res.insert_header((header::VARY, "Accept-Language, Cookie"));
        self.cookies(&mut res);
        res.body(body)
    }

    /// Whether a submitted form carries the CSRF token of this session (signed in) or of this
    /// browser's cookie (anonymous).
    /// The same check as [`Self::csrf_ok`], to be made later or on another thread (a form
    /// read as it streams in).
    pub fn csrf_check(&self, req: &HttpRequest) -> CsrfCheck {
        let expected = if self.session_bound {
            Some(self.csrf.clone())
        } else {
            req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() == 64)
        };
        CsrfCheck { expected }
    }

    pub fn csrf_ok(&self, req: &HttpRequest, submitted: &str) -> bool {
        if self.session_bound {
            return constant_time_eq(self.csrf.as_bytes(), submitted.as_bytes());
        }
        match req.cookie(CSRF_COOKIE) {
            Some(c) if c.value().len() == 64 => constant_time_eq(c.value().as_bytes(), submitted.as_bytes()),
            _ => false,
        }
    }
}

/// The CSRF token a form must carry, taken from the request ([`Ctx::csrf_check`]).
#[derive(Clone)]
pub struct CsrfCheck {
    expected: Option<String>,
}

impl CsrfCheck {
    /// Whether `submitted` is the token (compared in constant time).
    pub fn ok(&self, submitted: &str) -> bool {
        self.expected.as_ref().is_some_and(|e| constant_time_eq(e.as_bytes(), submitted.as_bytes()))
    }
}

impl Ctx {
    /// Whether the person signed in has at least `role`.
    pub fn may(&self, role: Role) -> bool {
        self.account.as_ref().is_some_and(|a| a.role >= role)
    }

    /// The page language's code (`sv`, `en`).
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// Whether the page is in English.
    pub fn en(&self) -> bool {
        self.lang.code() == "en"
    }

    /// The header's account line: who is signed in, the editing menu ("Redaktion": a
    /// disclosure that works without JavaScript) and sign-out; or a sign-in link.
    fn account_bar(&self) -> String {
        let lang = self.lang.code();
        AccountBar {
            en: lang == "en",
            user: self.account.as_ref().map(|a| (a.user.clone(), a.role.label(lang))),
            menu: self.curator_menu(),
            menu_title: words::CURATION_MENU.get(self.lang),
            menu_label: words::CURATION_MENU_LABEL.get(self.lang),
            csrf: self.csrf.clone(),
        }
        .render()
        .unwrap_or_default()
    }

    /// The editing menu of the person signed in (label, path, whether it is this page): what
    /// their role may open.
    fn curator_menu(&self) -> Vec<(&'static str, String, bool)> {
        use super::paths;
        let l = self.lang;
        if !self.may(Role::Redaktor) {
            return Vec::new();
        }
        let mut items = vec![
            (words::WORK_LIST.get(l), paths::WORK.to_owned()),
            (words::NEW_VARIABLE.get(l), paths::new_record(RecordKind::Variable)),
            (words::NEW_DATASET.get(l), paths::new_record(RecordKind::Dataset)),
            (words::NEW_CODE_LIST.get(l), paths::new_record(RecordKind::CodeList)),
            (words::NEW_USE_CASE.get(l), paths::new_record(RecordKind::UseCase)),
            (words::IMPORT.get(l), paths::IMPORT.to_owned()),
            (words::IMPORT_GUIDE.get(l), paths::IMPORT_GUIDE.to_owned()),
        ];
        if self.may(Role::Admin) {
            items.push((words::HARVEST.get(l), paths::HARVEST.to_owned()));
            items.push((words::USERS.get(l), paths::USERS.to_owned()));
            items.push((words::LOG.get(l), paths::AUDIT_LOG.to_owned()));
        }
        items.push((words::QUALITY.get(l), paths::QUALITY.to_owned()));
        let here = self.path_and_query.split('?').next().unwrap_or("");
        items.into_iter().map(|(label, href)| (label, href.clone(), href == here)).collect()
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountBar {
    en: bool,
    user: Option<(String, &'static str)>,
    menu: Vec<(&'static str, String, bool)>,
    menu_title: &'static str,
    menu_label: &'static str,
    csrf: String,
}

/// The CSRF token of a session: 64 hex digits derived from the session token, which only the
/// browser holds.
fn session_csrf(session_token: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"vardkatalog csrf v1\0");
    h.update(session_token.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A path on this site to return to after a form or sign-in (`next`, `tillbaka`), never
/// another host: the one check every return field goes through.
///
/// Browsers remove TAB, CR and LF anywhere in a URL and read `\` as `/`, so `/\t/evil.example`
/// and `/\\evil.example` both become the network path `//evil.example`. A candidate is therefore
/// accepted only when, after those characters are removed, it starts with one `/` not followed
/// by another; and since none of our own links holds a control character or a backslash, a
/// candidate with either is refused outright. Anything else gives `fallback`.
pub fn local_path(candidate: Option<&str>, fallback: &str) -> String {
    match candidate {
        Some(p) if is_local_path(p) => p.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// Whether `p` can only lead to a path on this site (see [`local_path`]).
pub fn is_local_path(p: &str) -> bool {
    if p.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    // what a browser makes of it: TAB, CR and LF removed, backslashes read as slashes
    let seen: String = p.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).map(|c| if c == '\\' { '/' } else { c }).collect();
    let mut chars = seen.chars();
    chars.next() == Some('/') && !matches!(chars.next(), Some('/'))
}

/// The variables in this browser's list (a cookie of published variable IRIs; nothing is kept
/// on the server), in the order they were added.
#[derive(Debug, Default, Clone)]
pub struct VariableList {
    pub(crate) iris: Vec<String>,
}

impl VariableList {
    /// Reads the list from its cookie; short IRIs (`~variable/x`) are expanded against the base
    /// and anything that is not an IRI is dropped.
    pub fn read(req: &HttpRequest, minter: &Minter) -> Self {
        let Some(cookie) = req.cookie(LIST_COOKIE) else { return Self::default() };
        let iris = cookie
            .value()
            .split('|')
            .filter(|s| !s.is_empty())
            .map(decode_segment)
            .map(|s| match s.strip_prefix('~') {
                Some(rest) => format!("{}{rest}", minter.base()),
                None => s,
            })
            .filter(|s| NamedNode::new(s.as_str()).is_ok())
            .collect();
        Self { iris }
    }

    pub fn contains(&self, iri: &str) -> bool {
        self.iris.iter().any(|i| i == iri)
    }

    pub fn len(&self) -> usize {
        self.iris.len()
    }

    pub fn is_empty(&self) -> bool {
        self.iris.is_empty()
    }

    /// The cookie's value: IRIs under the base kept short (`~variable/x`).
    pub fn encoded(&self, minter: &Minter) -> String {
        self.iris
            .iter()
            .map(|i| match i.strip_prefix(minter.base()) {
                Some(rest) => format!("~{}", encode_query(rest)),
                None => encode_query(i),
            })
            .collect::<Vec<_>>()
            .join("|")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_return_paths() {
        for ok in ["/", "/arbete", "/variable/par-hdia?x=1#y", "/%09/evil.example", "/a//b"] {
            assert_eq!(local_path(Some(ok), "/f"), ok, "{ok:?}");
        }
        for evil in [
            "/\t/evil.example",
            "/\\evil.example",
            "/\r\n/evil.example",
            "//evil",
            "https://evil",
            "\t//evil.example",
            " //evil",
            "evil",
            "",
            "/\u{0}x",
            "/a\\b",
        ] {
            assert_eq!(local_path(Some(evil), "/f"), "/f", "{evil:?}");
        }
        assert_eq!(local_path(None, "/f"), "/f");
    }

    #[test]
    fn a_session_token_gives_its_own_csrf_token() {
        let (a, b) = (session_csrf(&"a".repeat(64)), session_csrf(&"b".repeat(64)));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(a, session_csrf(&"a".repeat(64)), "stable for the session");
        use sha2::{Digest, Sha256};
        let stored: String = Sha256::digest("a".repeat(64).as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_ne!(a, stored, "not the key the state database keeps");
    }
}
