//! Accounts and sessions through a real server: sign-in and sign-out, the session cookie's
//! attributes, CSRF rejection, the sign-in rate limit, the role check and the admin page.

use reqwest::StatusCode;
use vardkatalog::accounts::Role;

use crate::support::{Browser, PASSWORD, signed_in, start_server};

#[test]
fn signing_in_sets_a_safe_cookie_shows_the_user_and_signing_out_ends_the_session() {
    let s = start_server();
    vardkatalog::accounts::Accounts::new(s.state.clone()).add("test", "anna", Role::Redaktor, PASSWORD).unwrap();
    let b = Browser::new(&s);
    let page = b.get("/login").text().unwrap();
    assert!(page.contains("<label for=\"namn\">Användarnamn</label>") && page.contains("name=\"csrf\""), "a labelled form with its token");
    let csrf = b.csrf();
    let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "anna"), ("losenord", PASSWORD), ("next", "/variable/par-hdia")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/variable/par-hdia", "back where the reader was");
    let cookie =
        res.headers().get_all("set-cookie").iter().map(|h| h.to_str().unwrap().to_owned()).find(|c| c.starts_with("vk_session=")).unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http on 127.0.0.1 is not TLS: {cookie}");
    let token = b.cookie("vk_session").unwrap();
    assert_eq!(token.len(), 64, "256 random bits");

    let home = b.get("/").text().unwrap();
    assert!(home.contains("Inloggad som <strong>anna</strong> (redaktör)"), "the header says who is signed in");

    // signed in, the forms carry the session's token: the one from before signing in is refused
    assert_eq!(b.post_form("/logout", &[("csrf", &csrf)]).status(), StatusCode::FORBIDDEN);
    let csrf = b.csrf();
    let res = b.post_form("/logout", &[("csrf", &csrf)]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(vardkatalog::accounts::Accounts::new(s.state.clone()).session(&token).unwrap().is_none(), "logout deletes the session");
    let home = b.get("/").text().unwrap();
    assert!(!home.contains("Inloggad som") && home.contains("href=\"/login\""));
    // the old token no longer works even when sent again
    let replay = reqwest::blocking::Client::new().get(s.url("/arbete")).header("cookie", format!("vk_session={token}")).send().unwrap();
    assert!(!replay.text().unwrap().contains("Inloggad som"));
}

#[test]
fn the_session_cookie_is_secure_behind_a_tls_proxy() {
    let s = start_server();
    vardkatalog::accounts::Accounts::new(s.state.clone()).add("test", "bo", Role::Redaktor, PASSWORD).unwrap();
    let b = Browser::new(&s);
    let csrf = b.csrf();
    let res = crate::support::client()
        .post(s.url("/login"))
        .header("cookie", format!("vk_csrf={csrf}"))
        .header("x-forwarded-proto", "https")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string([("csrf", csrf.as_str()), ("namn", "bo"), ("losenord", PASSWORD)]).unwrap())
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie =
        res.headers().get_all("set-cookie").iter().map(|h| h.to_str().unwrap().to_owned()).find(|c| c.starts_with("vk_session=")).unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[test]
fn a_form_without_the_csrf_token_is_refused() {
    let s = start_server();
    vardkatalog::accounts::Accounts::new(s.state.clone()).add("test", "cilla", Role::Admin, PASSWORD).unwrap();
    let b = Browser::new(&s);
    b.get("/login");
    let res = b.post_form("/login", &[("csrf", "0".repeat(64).as_str()), ("namn", "cilla"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().unwrap().contains("säkerhetstoken (CSRF)"));
    assert!(b.cookie("vk_session").is_none(), "no session without the token");

    let admin = signed_in(&s, "dora", Role::Admin);
    let res = admin.post_form("/admin/anvandare", &[("namn", "eve"), ("roll", "admin"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "a write without the token");
    assert!(s.state.users.get("eve").unwrap().is_none(), "and nothing changed");
    let res = admin.post_form("/logout", &[]);
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "even logout needs the token");
}

#[test]
fn wrong_passwords_are_rate_limited_per_account() {
    let s = start_server();
    vardkatalog::accounts::Accounts::new(s.state.clone()).add("test", "frida", Role::Redaktor, PASSWORD).unwrap();
    let b = Browser::new(&s);
    let csrf = b.csrf();
    for i in 1..=4 {
        let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "frida"), ("losenord", "fel lösenord")]);
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
        assert!(res.text().unwrap().contains("Fel användarnamn eller lösenord."));
    }
    let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "frida"), ("losenord", "fel lösenord")]);
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "the fifth failure starts the wait");
    // now even the right password must wait
    let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "frida"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert!(res.text().unwrap().contains("För många misslyckade inloggningar"));
    assert!(b.cookie("vk_session").is_none());
    // another account from the same address is not locked by frida's failures
    vardkatalog::accounts::Accounts::new(s.state.clone()).add("test", "gun", Role::Redaktor, PASSWORD).unwrap();
    let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "gun"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let log = s.state.audit.about("frida").unwrap();
    assert!(log.iter().filter(|e| e.action == "login_failed").count() == 5, "failures are in the audit log");
}

#[test]
fn many_failures_from_one_address_are_rate_limited_across_accounts() {
    let s = start_server();
    vardkatalog::accounts::Accounts::new(s.state.clone()).add("test", "hugo", Role::Redaktor, PASSWORD).unwrap();
    let b = Browser::new(&s);
    let csrf = b.csrf();
    for i in 0..20 {
        let name = format!("gissning{i}");
        let res = b.post_form("/login", &[("csrf", &csrf), ("namn", &name), ("losenord", "fel lösenord")]);
        assert!(matches!(res.status(), StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS), "{i}");
    }
    let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "hugo"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "the address must wait, whichever account it tries");
}

#[test]
fn pages_for_a_role_send_anonymous_readers_to_sign_in_and_refuse_lower_roles() {
    let s = start_server();
    let res = Browser::new(&s).get("/admin/anvandare");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?next=%2Fadmin%2Fanvandare");
    let editor = signed_in(&s, "ida", Role::Redaktor);
    let res = editor.get("/admin/anvandare");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().unwrap().contains("Det här kräver rollen administratör"));
}

#[test]
fn an_admin_adds_users_changes_roles_and_disables_accounts() {
    let s = start_server();
    let admin = signed_in(&s, "jan", Role::Admin);
    let csrf = admin.csrf();
    let page = admin.get("/admin/anvandare").text().unwrap();
    assert!(page.contains("<label for=\"ny-namn\">"));

    let res = admin.post_form("/admin/anvandare", &[("csrf", &csrf), ("namn", "Karin Ö"), ("roll", "redaktor"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.text().unwrap();
    assert!(body.contains("Användarnamnet ska vara 2–64 tecken"), "the problem in Swedish");
    assert!(body.contains("value=\"Karin Ö\""), "what was typed is kept");

    let res = admin.post_form("/admin/anvandare", &[("csrf", &csrf), ("namn", "karin"), ("roll", "redaktor"), ("losenord", PASSWORD)]);
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(s.state.users.get("karin").unwrap().unwrap().role, Role::Redaktor);

    let karin = Browser::new(&s);
    let kc = karin.csrf();
    assert_eq!(karin.post_form("/login", &[("csrf", &kc), ("namn", "karin"), ("losenord", PASSWORD)]).status(), StatusCode::SEE_OTHER);
    assert_eq!(karin.get("/admin/anvandare").status(), StatusCode::FORBIDDEN);

    admin.post_form("/admin/anvandare/karin", &[("csrf", &csrf), ("atgard", "roll"), ("roll", "admin")]);
    assert_eq!(karin.get("/admin/anvandare").status(), StatusCode::OK, "a new role takes effect at once");

    admin.post_form("/admin/anvandare/karin", &[("csrf", &csrf), ("atgard", "inaktivera")]);
    assert_eq!(karin.get("/admin/anvandare").status(), StatusCode::SEE_OTHER, "a disabled account is signed out");
    let again = karin.post_form("/login", &[("csrf", &kc), ("namn", "karin"), ("losenord", PASSWORD)]);
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "and cannot sign in");

    let res = admin.post_form("/admin/anvandare/jan", &[("csrf", &csrf), ("atgard", "roll"), ("roll", "redaktor")]);
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no admin demotes themselves");
    let actions: Vec<String> = s.state.audit.about("karin").unwrap().into_iter().map(|e| format!("{} {}", e.who, e.action)).collect();
    assert!(
        actions.contains(&"jan user_add".to_owned())
            && actions.contains(&"jan user_role".to_owned())
            && actions.contains(&"jan user_disable".to_owned()),
        "{actions:?}"
    );
}
