//! Signing in and out, sessions in cookies, and the role check every write route makes.
//!
//! Owns: the session cookie `vk_session` (HttpOnly, SameSite=Lax, Secure when the request came
//! over TLS or through a proxy that says `X-Forwarded-Proto: https`), `/login` and `/logout`
//! (CSRF-checked, rate-limited per account and per client address), [`require`] and
//! [`current_user`], and the admin page of accounts (`/admin/anvandare`).
//! Does not: hash passwords or store sessions (`state::users`, `state::sessions`).

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use super::ctx::{local_path, Ctx};
use super::form::FormData;
use super::views::{Chrome, ErrorPage};
use super::AppState;
use crate::accounts::{AccountError, Change, Role, SignIn, SESSION_HOURS};
use crate::curation::Actor;

/// The session cookie.
pub const SESSION_COOKIE: &str = "vk_session";
/// Largest form body read by the account forms.
const MAX_FORM: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/admin/anvandare", web::get().to(users_page))
        .route("/admin/anvandare", web::post().to(add_user))
        .route("/admin/anvandare/{name}", web::post().to(change_user));
}

/// The signed-in person, if the request carries a live session of an enabled account. The
/// role is read from the account on every request, so a changed role or a disabled account
/// takes effect at once.
pub fn current_user(req: &HttpRequest, state: &AppState) -> Option<Actor> {
    let token = req.cookie(SESSION_COOKIE)?.value().to_owned();
    let (_, user) = state.accounts.session(&token).ok().flatten()?;
    Some(Actor { user: user.name, role: user.role })
}

/// The signed-in person when their role is at least `role`. Anonymous → 303 to
/// `/login?next=…`; too low a role → the 403 page.
pub fn require(req: &HttpRequest, state: &AppState, role: Role) -> Result<Actor, HttpResponse> {
    match current_user(req, state) {
        None => {
            let ctx = Ctx::of(req, state.default_lang);
            let next = serde_urlencoded::to_string([("next", ctx.path_and_query.as_str())]).unwrap_or_default();
            Err(HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/login?{next}"))).finish())
        }
        Some(actor) if actor.role < role => {
            let ctx = Ctx::of(req, state.default_lang);
            Err(forbidden(&ctx, role))
        }
        Some(actor) => Ok(actor),
    }
}

/// The 403 page: signed in, but the role does not allow this.
pub fn forbidden(ctx: &Ctx, needed: Role) -> HttpResponse {
    let en = ctx.lang.code() == "en";
    let heading = if en { "Not allowed" } else { "Behörighet saknas" };
    let message = if en {
        format!("This needs the role {} or higher.", needed.label("en"))
    } else {
        format!("Det här kräver rollen {} eller högre.", needed.label("sv"))
    };
    let page = ErrorPage {
        chrome: Chrome::new(ctx.lang, heading, &ctx.path_and_query, ""),
        heading: heading.into(),
        message,
        detail: None,
        suggestions: Vec::new(),
    };
    ctx.respond(StatusCode::FORBIDDEN, page.render())
}

/// The 403 page of a form without this browser's CSRF token.
pub fn csrf_rejected(ctx: &Ctx) -> HttpResponse {
    let en = ctx.lang.code() == "en";
    let heading = if en { "The form has expired" } else { "Formuläret har gått ut" };
    let page = ErrorPage {
        chrome: Chrome::new(ctx.lang, heading, &ctx.path_and_query, ""),
        heading: heading.into(),
        message: if en {
            "The form did not carry this browser's security token (CSRF). Go back, reload the page and send it again.".into()
        } else {
            "Formuläret saknade webbläsarens säkerhetstoken (CSRF). Gå tillbaka, ladda om sidan och skicka igen.".into()
        },
        detail: None,
        suggestions: Vec::new(),
    };
    ctx.respond(StatusCode::FORBIDDEN, page.render())
}

/// A write by a signed-in person: who, the page context and the submitted form.
pub struct Submission {
    pub actor: Actor,
    pub ctx: Ctx,
    pub form: FormData,
}

/// What every write route checks first, in this order: the role (anonymous → sign-in, too low
/// a role → 403), *before a byte of the body is read*; then the body's size (at most `limit`,
/// the route's documented limit: more → 413 without reading the rest), its CSRF token and its
/// characters ([`read_form`]).
pub async fn authorised_form(req: &HttpRequest, state: &AppState, role: Role, payload: web::Payload, limit: usize) -> Result<Submission, HttpResponse> {
    let actor = require(req, state, role)?;
    let ctx = Ctx::of(req, state.default_lang);
    let form = read_form(req, &ctx, payload, limit).await?;
    Ok(Submission { actor, ctx, form })
}

/// Reads a request body of at most `limit` bytes. A larger one (by its `Content-Length`, or
/// as it streams in) is refused with 413 naming the limit, and the rest is not read. Routes
/// take the body as a stream (`web::Payload`), so this is the only limit: actix's default
/// 256 KB limit of `web::Bytes` does not apply.
pub async fn read_body(req: &HttpRequest, payload: web::Payload, limit: usize) -> Result<web::Bytes, HttpResponse> {
    let too_large = || {
        let lang = Ctx::of(req, req.app_data::<web::Data<AppState>>().map(|s| s.default_lang).unwrap_or(crate::config::Lang::Sv)).lang;
        let kb = limit / 1024;
        let text = if lang.code() == "en" {
            format!("The form is too large: at most {kb} KB is accepted here.")
        } else {
            format!("Formuläret är för stort: här tas högst {kb} kB emot.")
        };
        HttpResponse::PayloadTooLarge().content_type("text/plain; charset=utf-8").body(text)
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|h| h.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(e)) => Err(HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(e.to_string())),
        Err(_) => Err(too_large()),
    }
}

/// Reads a form (URL-encoded or multipart) of at most `limit` bytes and checks its CSRF token
/// and that no text field holds a character the catalogue refuses (`model::chars`: a control
/// character XML cannot carry), naming the field.
pub async fn read_form(req: &HttpRequest, ctx: &Ctx, payload: web::Payload, limit: usize) -> Result<FormData, HttpResponse> {
    let body = read_body(req, payload, limit).await?;
    parse_form(req, ctx, &body)
}

/// [`read_form`] of a body already read.
pub fn parse_form(req: &HttpRequest, ctx: &Ctx, body: &[u8]) -> Result<FormData, HttpResponse> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or("");
    let form = FormData::parse(content_type, body).map_err(|e| HttpResponse::BadRequest().content_type("text/plain; charset=utf-8").body(e.to_string()))?;
    if !ctx.csrf_ok(req, &form.value("csrf")) {
        return Err(csrf_rejected(ctx));
    }
    if let Some((field, c)) = form.fields.iter().filter(|f| f.filename.is_none()).find_map(|f| crate::model::chars::first_forbidden(&f.text()).map(|c| (f.name.clone(), c))) {
        return Err(forbidden_character(ctx, &field, c));
    }
    Ok(form)
}

/// The 400 page of a form field holding a character the catalogue refuses.
pub fn forbidden_character(ctx: &Ctx, field: &str, c: char) -> HttpResponse {
    let en = ctx.lang.code() == "en";
    let heading = if en { "A character that is not allowed" } else { "Ett tecken som inte är tillåtet" };
    let code = crate::model::chars::code_point(c);
    let page = ErrorPage {
        chrome: Chrome::new(ctx.lang, heading, &ctx.path_and_query, ""),
        heading: heading.into(),
        message: if en {
            format!("The field «{field}» holds the control character {code}, which the catalogue cannot publish (XML does not allow it). It is invisible: delete and retype the text around it, then send the form again. Nothing was saved.")
        } else {
            format!("Fältet «{field}» innehåller styrtecknet {code}, som katalogen inte kan publicera (XML tillåter det inte). Det syns inte: radera och skriv om texten runt det och skicka formuläret igen. Inget sparades.")
        },
        detail: None,
        suggestions: Vec::new(),
    };
    ctx.respond(StatusCode::BAD_REQUEST, page.render())
}

/// Runs state work on the blocking pool.
pub(super) async fn blocking<T: Send + 'static, E: std::fmt::Display + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, String> {
    match web::block(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountBar {
    en: bool,
    user: Option<(String, &'static str)>,
    admin: bool,
    csrf: String,
}

/// The header's account line: who is signed in (with sign-out), or a sign-in link.
pub(super) fn account_bar(ctx: &Ctx) -> String {
    let lang = ctx.lang.code();
    AccountBar {
        en: lang == "en",
        user: ctx.account.as_ref().map(|a| (a.user.clone(), a.role.label(lang))),
        admin: ctx.account.as_ref().is_some_and(|a| a.role >= Role::Admin),
        csrf: ctx.csrf.clone(),
    }
    .render()
    .unwrap_or_default()
}

fn secure(req: &HttpRequest) -> bool {
    req.connection_info().scheme() == "https"
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    name: String,
    problem: Option<String>,
    signed_in: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_form(req: HttpRequest, state: web::Data<AppState>, query: web::Query<NextQuery>) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let title = if ctx.lang.code() == "en" { "Sign in" } else { "Logga in" };
    let page = LoginPage {
        chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        next: local_path(query.next.as_deref(), "/arbete"),
        name: String::new(),
        problem: None,
        signed_in: current_user(&req, &state).map(|a| a.user),
    };
    ctx.respond(StatusCode::OK, page.render())
}

/// The client address for throttling: [`client_address`].
fn address_key(req: &HttpRequest) -> String {
    client_address(req).map(|a| a.to_string()).unwrap_or_else(|| "okänd".into())
}

/// The client's address, for the sign-in lockout and the request log. The peer address, unless
/// the peer is one of the configured `trusted_proxies`: then `X-Forwarded-For` is read from the
/// right, skipping trusted proxies, and the first address that is not one is the client's (the
/// addresses left of it were written by the client and prove nothing). A header from an
/// untrusted peer is ignored, so a client cannot choose its own address.
pub fn client_address(req: &HttpRequest) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr()?.ip();
    let trusted = req.app_data::<web::Data<AppState>>().map(|s| s.trusted_proxies.as_slice()).unwrap_or(&[]);
    Some(forwarded_client(peer, trusted, req.headers().get_all("x-forwarded-for").filter_map(|h| h.to_str().ok())))
}

/// [`client_address`] from its parts: the peer, the trusted ranges and the `X-Forwarded-For`
/// header lines in order.
pub fn forwarded_client<'a>(peer: std::net::IpAddr, trusted: &[crate::config::IpRange], headers: impl Iterator<Item = &'a str>) -> std::net::IpAddr {
    let is_trusted = |ip: std::net::IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers.flat_map(|h| h.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // `1.2.3.4`, `[::1]:8080` or `1.2.3.4:5678` as some proxies write them
        let text = hop.trim_start_matches('[');
        let text = text.split(']').next().unwrap_or(text);
        let parsed = text.parse::<std::net::IpAddr>().ok().or_else(|| text.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()));
        let Some(ip) = parsed else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

async fn login(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    let form = match read_form(&req, &ctx, payload, MAX_FORM).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let en = ctx.lang.code() == "en";
    let name = form.value("namn").trim().to_lowercase();
    let password = form.value("losenord");
    let next = local_path(form.text("next").as_deref(), "/arbete");
    let address = address_key(&req);
    let accounts = state.accounts.clone();
    let who = name.clone();
    let now = Utc::now();
    let outcome = blocking(move || accounts.sign_in(&who, &password, &address, now)).await;
    let title = if en { "Sign in" } else { "Logga in" };
    let page = |problem: String| LoginPage {
        chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        next: next.clone(),
        name: name.clone(),
        problem: Some(problem),
        signed_in: None,
    };
    let wait = |until: chrono::DateTime<Utc>| (until - now).num_seconds().max(1);
    match outcome {
        Ok(SignIn::Welcome { token, .. }) => {
            let mut res = HttpResponse::SeeOther();
            res.insert_header((header::LOCATION, next.clone()));
            res.cookie(
                Cookie::build(SESSION_COOKIE, token)
                    .path("/")
                    .http_only(true)
                    .secure(secure(&req))
                    .same_site(SameSite::Lax)
                    .max_age(actix_web::cookie::time::Duration::hours(SESSION_HOURS))
                    .finish(),
            );
            res.finish()
        }
        Ok(SignIn::Refused { wait: None }) => {
            let p = if en { "Wrong user name or password." } else { "Fel användarnamn eller lösenord." };
            ctx.respond(StatusCode::UNAUTHORIZED, page(p.into()).render())
        }
        Ok(SignIn::Refused { wait: Some(until) } | SignIn::Locked { until }) => {
            let secs = wait(until);
            let p = if en {
                format!("Too many failed sign-ins. Try again in {secs} seconds.")
            } else {
                format!("För många misslyckade inloggningar. Försök igen om {secs} sekunder.")
            };
            let mut res = ctx.respond(StatusCode::TOO_MANY_REQUESTS, page(p).render());
            if let Ok(v) = header::HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(e) => super::pages::error_page(&ctx, e),
    }
}

async fn logout(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let ctx = Ctx::of(&req, state.default_lang);
    // signed in: the session's token is needed; a session that has already ended (or none)
    // has nothing to protect, so its stale cookie is just removed
    if ctx.account.is_some() {
        if let Err(res) = read_form(&req, &ctx, payload, MAX_FORM).await {
            return res;
        }
    }
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        let accounts = state.accounts.clone();
        let who = current_user(&req, &state).map(|a| a.user);
        let _ = blocking(move || accounts.end_session(&token, who.as_deref())).await;
    }
    let mut res = HttpResponse::SeeOther();
    res.insert_header((header::LOCATION, "/"));
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").http_only(true).secure(secure(&req)).same_site(SameSite::Lax).finish();
    gone.make_removal();
    res.cookie(gone);
    res.finish()
}

// ---- accounts (admin) -----------------------------------------------------------------

struct UserRow {
    name: String,
    role: &'static str,
    role_label: &'static str,
    disabled: bool,
    created: String,
    is_self: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    csrf: String,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    problem: Option<String>,
    done: Option<String>,
    new_name: String,
    new_role: String,
}

async fn render_users(req: &HttpRequest, state: &AppState, actor: &Actor, problem: Option<String>, done: Option<String>, typed: (String, String)) -> HttpResponse {
    let ctx = Ctx::of(req, state.default_lang);
    let lang = ctx.lang.code();
    let accounts = state.accounts.clone();
    let list = match blocking(move || accounts.list()).await {
        Ok(l) => l,
        Err(e) => return super::pages::error_page(&ctx, e),
    };
    let title = if lang == "en" { "Accounts" } else { "Användare" };
    let page = UsersPage {
        chrome: Chrome::new(ctx.lang, title, &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        users: list
            .into_iter()
            .map(|u| UserRow {
                is_self: u.name == actor.user,
                role: u.role.as_str(),
                role_label: u.role.label(lang),
                disabled: u.disabled,
                created: u.created.format("%Y-%m-%d").to_string(),
                name: u.name,
            })
            .collect(),
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label(lang))).collect(),
        problem,
        done,
        new_name: typed.0,
        new_role: typed.1,
    };
    let status = if page.problem.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    ctx.respond(status, page.render())
}

async fn users_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let actor = match require(&req, &state, Role::Admin) {
        Ok(a) => a,
        Err(res) => return res,
    };
    render_users(&req, &state, &actor, None, None, (String::new(), Role::Redaktor.as_str().into())).await
}

/// `POST /admin/anvandare`: adds an account (name, role, password).
async fn add_user(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Admin, payload, MAX_FORM).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let en = ctx.lang.code() == "en";
    let name = form.value("namn").trim().to_owned();
    let role_text = form.value("roll");
    let password = form.value("losenord");
    let Some(role) = Role::parse(&role_text) else {
        let p = if en { "Choose a role." } else { "Välj en roll." };
        return render_users(&req, &state, &actor, Some(p.into()), None, (name, role_text)).await;
    };
    let accounts = state.accounts.clone();
    let (n, who) = (name.clone(), actor.user.clone());
    let result = web::block(move || accounts.add(&who, &n, role, &password).map(|_| ())).await;
    match result {
        Ok(Ok(())) => {
            let done = if en { format!("Added {name}.") } else { format!("{name} är tillagd.") };
            render_users(&req, &state, &actor, None, Some(done), (String::new(), Role::Redaktor.as_str().into())).await
        }
        Ok(Err(e)) => render_users(&req, &state, &actor, Some(e.message(ctx.lang.code())), None, (name, role_text)).await,
        Err(e) => super::pages::error_page(&ctx, e.to_string()),
    }
}

/// `POST /admin/anvandare/{name}`: `atgard` = `roll` (with `roll`), `inaktivera`, `aktivera`
/// or `losenord` (with `losenord`). An admin cannot demote or disable themselves.
async fn change_user(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>, payload: web::Payload) -> HttpResponse {
    let Submission { actor, ctx, form } = match authorised_form(&req, &state, Role::Admin, payload, MAX_FORM).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let en = ctx.lang.code() == "en";
    let name = path.into_inner();
    let action = form.value("atgard");
    let blank = (String::new(), Role::Redaktor.as_str().to_owned());
    let change = match action.as_str() {
        "roll" => match Role::parse(&form.value("roll")) {
            Some(role) => Change::Role(role),
            None => {
                let p = if en { "Choose a role." } else { "Välj en roll." };
                return render_users(&req, &state, &actor, Some(p.into()), None, blank).await;
            }
        },
        "inaktivera" => Change::Disable,
        "aktivera" => Change::Enable,
        "losenord" => Change::Password(form.value("losenord")),
        _ => {
            let p = if en { "Unknown action." } else { "Okänd åtgärd." };
            return render_users(&req, &state, &actor, Some(p.into()), None, blank).await;
        }
    };
    let accounts = state.accounts.clone();
    let (n, who) = (name.clone(), actor.user.clone());
    let result = web::block(move || -> Result<(), AccountError> { accounts.change(&who, &n, change).map(|_| ()) }).await;
    match result {
        Ok(Ok(())) => {
            let done = if en { format!("Changed {name}.") } else { format!("{name} är ändrad.") };
            render_users(&req, &state, &actor, None, Some(done), blank).await
        }
        Ok(Err(e)) => render_users(&req, &state, &actor, Some(e.message(ctx.lang.code())), None, blank).await,
        Err(e) => super::pages::error_page(&ctx, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;
    use crate::config::IpRange;

    #[test]
    fn the_client_behind_trusted_proxies_is_the_rightmost_untrusted_hop() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let trusted = [IpRange::parse("10.0.0.0/8").unwrap(), IpRange::parse("192.0.2.1").unwrap()];
        let client = |peer: &str, headers: &[&str]| forwarded_client(ip(peer), &trusted, headers.iter().copied());
        // an untrusted peer: the header is ignored
        assert_eq!(client("203.0.113.5", &["198.51.100.1"]), ip("203.0.113.5"));
        assert_eq!(forwarded_client(ip("10.0.0.1"), &[], ["198.51.100.1"].into_iter()), ip("10.0.0.1"), "no trusted proxies: never");
        // a trusted peer: from the right, skipping trusted hops
        assert_eq!(client("10.0.0.1", &["198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(client("10.0.0.1", &["6.6.6.6, 198.51.100.1, 10.1.2.3"]), ip("198.51.100.1"), "what the client wrote on the left counts for nothing");
        assert_eq!(client("10.0.0.1", &["6.6.6.6", "198.51.100.1, 192.0.2.1"]), ip("198.51.100.1"), "several header lines are one list");
        assert_eq!(client("10.0.0.1", &["[2001:db8::1]:443"]), ip("2001:db8::1"));
        assert_eq!(client("10.0.0.1", &["nonsense, 10.9.9.9"]), ip("10.9.9.9"), "garbage stops the walk at the last hop read");
        assert_eq!(client("10.0.0.1", &[]), ip("10.0.0.1"), "no header: the proxy itself");
    }
}
