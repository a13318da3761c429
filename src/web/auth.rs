//! Signing in and out (the session cookie `vk_session`: HttpOnly, SameSite=Lax, Secure over
//! TLS), and the admin page of accounts (`/admin/anvandare`). Every rule (throttling, password
//! policy, who may change what) is the accounts service's; these handlers read the request,
//! call it and render.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use super::kernel::AppState;
use super::kernel::context::{Ctx, SESSION_COOKIE, local_path, secure};
use super::kernel::error::PageError;
use super::kernel::guard::{Submission, authorised_form, blocking, client_address, read_form, require, run};
use super::kernel::page::Chrome;
use super::kernel::paths;
use super::kernel::words::accounts as w;
use crate::accounts::{Change, Role, SESSION_HOURS, SignIn};
use crate::curation::Actor;

/// Largest form body read by the account forms.
const MAX_FORM: usize = 64 * 1024;

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

impl LoginPage {
    fn new(ctx: &Ctx, next: String, name: String, problem: Option<String>) -> Self {
        let chrome = Chrome::new(ctx.lang, w::SIGN_IN.get(ctx.lang), &ctx.path_and_query, "");
        Self { chrome, csrf: ctx.csrf.clone(), next, name, problem, signed_in: ctx.account.as_ref().map(|a| a.user.clone()) }
    }
}

#[derive(Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
}

pub(super) async fn login_form(ctx: Ctx, query: web::Query<NextQuery>) -> HttpResponse {
    let page = LoginPage::new(&ctx, local_path(query.next.as_deref(), paths::WORK), String::new(), None);
    ctx.respond(StatusCode::OK, page.render())
}

/// The session cookie (`token` empty: its removal).
fn session_cookie(req: &HttpRequest, token: String) -> Cookie<'static> {
    let mut c = Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(secure(req))
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::hours(SESSION_HOURS))
        .finish();
    if c.value().is_empty() {
        c.make_removal();
    }
    c
}

pub(super) async fn login(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let form = read_form(&req, &ctx, payload, MAX_FORM).await?;
    let name = form.value("namn").trim().to_lowercase();
    let (password, next) = (form.value("losenord"), local_path(form.text("next").as_deref(), paths::WORK));
    let address = client_address(&req).map_or_else(|| "okänd".to_owned(), |a| a.to_string());
    let (accounts, who, now) = (state.accounts.clone(), name.clone(), Utc::now());
    let outcome = run(&ctx, move || accounts.sign_in(&who, &password, &address, now)).await?;
    let problem = |text: String| LoginPage::new(&ctx, next.clone(), name.clone(), Some(text)).render();
    Ok(match outcome {
        SignIn::Welcome { token, .. } => {
            HttpResponse::SeeOther().insert_header((header::LOCATION, next.clone())).cookie(session_cookie(&req, token)).finish()
        }
        SignIn::Refused { wait: None } => ctx.respond(StatusCode::UNAUTHORIZED, problem(w::WRONG_PASSWORD.get(ctx.lang).into())),
        SignIn::Refused { wait: Some(until) } | SignIn::Locked { until } => {
            let secs = (until - now).num_seconds().max(1);
            let mut res = ctx.respond(StatusCode::TOO_MANY_REQUESTS, problem(w::wait(ctx.lang, secs)));
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
            res
        }
    })
}

pub(super) async fn logout(
    req: HttpRequest,
    ctx: Ctx,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    // signed in: the session's token is needed; a session that has already ended (or none) has
    // nothing to protect, so its stale cookie is just removed
    if ctx.account.is_some() {
        read_form(&req, &ctx, payload, MAX_FORM).await?;
    }
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        let (accounts, who) = (state.accounts.clone(), ctx.account.as_ref().map(|a| a.user.clone()));
        let _ = blocking(move || accounts.end_session(&token, who.as_deref())).await;
    }
    Ok(HttpResponse::SeeOther().insert_header((header::LOCATION, paths::HOME)).cookie(session_cookie(&req, String::new())).finish())
}

// ---- accounts (admin) -----------------------------------------------------------------

struct UserRow {
    name: String,
    role: &'static str,
    role_label: &'static str,
    disabled: bool,
    created: String,
    is_self: bool,
    /// The organisations it works for (agent ids, space-separated).
    organisations: String,
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
    lw: &'static super::kernel::words::label::LabelTexts,
    tokens: Vec<TokenRow>,
    /// A token just issued: shown this once.
    new_token: Option<String>,
}

/// One API token on the accounts page.
struct TokenRow {
    id: String,
    user: String,
    created: String,
    expires: String,
    last_used: String,
    status: &'static str,
    live: bool,
}

/// What the accounts page shows besides the list: a problem or a confirmation, and what was
/// typed into the form for a new account.
#[derive(Default)]
struct Outcome {
    problem: Option<String>,
    done: Option<String>,
    typed: Option<(String, String)>,
    new_token: Option<String>,
}

async fn render_users(ctx: &Ctx, state: &AppState, actor: &Actor, o: Outcome) -> Result<HttpResponse, PageError> {
    let accounts = state.accounts.clone();
    let (list, tokens) = run(ctx, move || Ok::<_, crate::accounts::AccountError>((accounts.list()?, accounts.tokens()?))).await?;
    let lang = ctx.lang_code();
    let mut organisations = std::collections::HashMap::new();
    {
        let labels = state.labels.clone();
        let names: Vec<String> = list.iter().map(|u| u.name.clone()).collect();
        let minter = state.catalogue.minter().clone();
        let found = blocking(move || {
            names
                .into_iter()
                .map(|n| {
                    let orgs = labels.organisations(&n)?;
                    let ids: Vec<String> = orgs.iter().map(|o| minter.parse(o).map_or_else(|| o.clone(), |(_, id)| id)).collect();
                    Ok((n, ids.join(" ")))
                })
                .collect::<Result<std::collections::HashMap<_, _>, crate::label::LabelError>>()
        })
        .await;
        if let Ok(Ok(map)) = found {
            organisations = map;
        }
    }
    let en = ctx.en();
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "–".into());
    let now = chrono::Utc::now();
    let tokens = tokens
        .into_iter()
        .rev()
        .map(|t| {
            let refusal = crate::accounts::tokens::token_status(&t, now);
            TokenRow {
                status: match (refusal, en) {
                    (None, false) => "giltig",
                    (None, true) => "valid",
                    (Some(crate::accounts::tokens::TokenRefusal::Expired), false) => "utgången",
                    (Some(crate::accounts::tokens::TokenRefusal::Expired), true) => "expired",
                    (Some(_), false) => "återkallad",
                    (Some(_), true) => "revoked",
                },
                live: refusal.is_none(),
                created: day(Some(t.created)),
                expires: day(t.expires),
                last_used: day(t.last_used),
                id: t.id,
                user: t.user,
            }
        })
        .collect();
    let users = list
        .into_iter()
        .map(|u| UserRow {
            organisations: organisations.get(&u.name).cloned().unwrap_or_default(),
            is_self: u.name == actor.user,
            role: u.role.as_str(),
            role_label: u.role.label(lang),
            disabled: u.disabled,
            created: u.created.format("%Y-%m-%d").to_string(),
            name: u.name,
        })
        .collect();
    let (new_name, new_role) = o.typed.unwrap_or_else(|| (String::new(), Role::Redaktor.as_str().into()));
    let status = if o.problem.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = UsersPage {
        chrome: Chrome::new(ctx.lang, w::ACCOUNTS.get(ctx.lang), &ctx.path_and_query, ""),
        csrf: ctx.csrf.clone(),
        users,
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label(lang))).collect(),
        problem: o.problem,
        done: o.done,
        new_name,
        new_role,
        lw: super::kernel::words::label::texts(ctx.lang),
        tokens,
        new_token: o.new_token,
    };
    Ok(ctx.respond(status, page.render()))
}

pub(super) async fn users_page(req: HttpRequest, ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let actor = require(&req, &ctx, &state, Role::Admin)?;
    render_users(&ctx, &state, &actor, Outcome::default()).await
}

/// `POST /admin/anvandare`: adds an account (name, role, password).
pub(super) async fn add_user(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Admin, payload, MAX_FORM).await?;
    let (name, role_text, password) = (form.value("namn").trim().to_owned(), form.value("roll"), form.value("losenord"));
    let typed = Some((name.clone(), role_text.clone()));
    let Some(role) = Role::parse(&role_text) else {
        return render_users(
            &ctx,
            &state,
            &actor,
            Outcome { problem: Some(w::CHOOSE_ROLE.get(ctx.lang).into()), typed, ..Outcome::default() },
        )
        .await;
    };
    let (accounts, n, who) = (state.accounts.clone(), name.clone(), actor.user.clone());
    let outcome = match blocking(move || accounts.add(&who, &n, role, &password)).await.map_err(|e| ctx.fail(e))? {
        Ok(_) => Outcome { done: Some(w::added(ctx.lang, &name)), ..Outcome::default() },
        Err(e) => Outcome { problem: Some(e.message(ctx.lang_code())), typed, ..Outcome::default() },
    };
    render_users(&ctx, &state, &actor, outcome).await
}

/// `POST /admin/anvandare/{name}`: `atgard` = `roll` (with `roll`), `inaktivera`, `aktivera`,
/// `losenord` (with `losenord`), `token` (issue an API token, `dagar` days or none) or
/// `aterkalla` (revoke the API token `token`).
pub(super) async fn change_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let Submission { actor, ctx, form } = authorised_form(&req, &state, Role::Admin, payload, MAX_FORM).await?;
    let name = path.into_inner();
    match form.value("atgard").as_str() {
        "token" => return issue_token(&ctx, &state, &actor, name, form.value("dagar")).await,
        "aterkalla" => return revoke_token(&ctx, &state, &actor, form.value("token")).await,
        "organisationer" => {
            let labels = state.labels.clone();
            let list: Vec<String> =
                form.value("organisationer").split([' ', ',', '\n']).filter(|s| !s.trim().is_empty()).map(str::to_owned).collect();
            let (n, by) = (name.clone(), actor.clone());
            let outcome = match blocking(move || labels.set_organisations(&by, &n, &list)).await.map_err(|e| ctx.fail(e))? {
                Ok(_) => Outcome { done: Some(w::changed(ctx.lang, &name)), ..Outcome::default() },
                Err(e) => Outcome { problem: Some(e.message(ctx.en())), ..Outcome::default() },
            };
            return render_users(&ctx, &state, &actor, outcome).await;
        }
        _ => {}
    }
    let change = match form.value("atgard").as_str() {
        "roll" => Role::parse(&form.value("roll")).map(Change::Role).ok_or(w::CHOOSE_ROLE),
        "inaktivera" => Ok(Change::Disable),
        "aktivera" => Ok(Change::Enable),
        "losenord" => Ok(Change::Password(form.value("losenord"))),
        _ => Err(w::UNKNOWN_ACTION),
    };
    let change = match change {
        Ok(c) => c,
        Err(word) => {
            return render_users(&ctx, &state, &actor, Outcome { problem: Some(word.get(ctx.lang).into()), ..Outcome::default() }).await;
        }
    };
    let (accounts, n, who) = (state.accounts.clone(), name.clone(), actor.user.clone());
    let outcome = match blocking(move || accounts.change(&who, &n, change)).await.map_err(|e| ctx.fail(e))? {
        Ok(_) => Outcome { done: Some(w::changed(ctx.lang, &name)), ..Outcome::default() },
        Err(e) => Outcome { problem: Some(e.message(ctx.lang_code())), ..Outcome::default() },
    };
    render_users(&ctx, &state, &actor, outcome).await
}

/// Issues an API token for `name`; the page shows it this once.
async fn issue_token(ctx: &Ctx, state: &AppState, actor: &Actor, name: String, days: String) -> Result<HttpResponse, PageError> {
    let days = match days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return render_users(ctx, state, actor, Outcome { problem: Some(w::BAD_DAYS.get(ctx.lang).into()), ..Outcome::default() })
                    .await;
            }
        },
    };
    let (accounts, n, who) = (state.accounts.clone(), name.clone(), actor.user.clone());
    let outcome = match blocking(move || accounts.issue_token(&who, &n, days)).await.map_err(|e| ctx.fail(e))? {
        Ok((_, secret)) => Outcome { done: Some(w::token_issued(ctx.lang, &name)), new_token: Some(secret), ..Outcome::default() },
        Err(e) => Outcome { problem: Some(e.message(ctx.lang_code())), ..Outcome::default() },
    };
    render_users(ctx, state, actor, outcome).await
}

/// Revokes the API token `id`.
async fn revoke_token(ctx: &Ctx, state: &AppState, actor: &Actor, id: String) -> Result<HttpResponse, PageError> {
    let (accounts, i, who) = (state.accounts.clone(), id.clone(), actor.user.clone());
    let outcome = match blocking(move || accounts.revoke_token(&who, &i)).await.map_err(|e| ctx.fail(e))? {
        Ok(_) => Outcome { done: Some(w::token_revoked(ctx.lang, &id)), ..Outcome::default() },
        Err(e) => Outcome { problem: Some(e.message(ctx.lang_code())), ..Outcome::default() },
    };
    render_users(ctx, state, actor, outcome).await
}

#[cfg(test)]
mod tests {
    use super::super::kernel::guard::forwarded_client;
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
        assert_eq!(
            client("10.0.0.1", &["6.6.6.6, 198.51.100.1, 10.1.2.3"]),
            ip("198.51.100.1"),
            "what the client wrote on the left counts for nothing"
        );
        assert_eq!(client("10.0.0.1", &["6.6.6.6", "198.51.100.1, 192.0.2.1"]), ip("198.51.100.1"), "several header lines are one list");
        assert_eq!(client("10.0.0.1", &["[2001:db8::1]:443"]), ip("2001:db8::1"));
        assert_eq!(client("10.0.0.1", &["nonsense, 10.9.9.9"]), ip("10.9.9.9"), "garbage stops the walk at the last hop read");
        assert_eq!(client("10.0.0.1", &[]), ip("10.0.0.1"), "no header: the proxy itself");
    }
}
