//! Sessions and sign-in throttling.
//!
//! Owns: the `sessions` tree (SHA-256 of a random 256-bit token → JSON [`Session`]; the token
//! itself is only ever in the browser's cookie, so a copy of the database signs no one in) and
//! the `login_failures` tree (per account and per client address: consecutive failures and the
//! time before which no attempt is accepted).
//! Does not: know cookies or HTTP (`web::auth` does).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{State, StateError};

const SESSIONS: &str = "sessions";
const FAILURES: &str = "login_failures";

/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 12;

/// A signed-in browser.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

fn key_of(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn corrupt(e: serde_json::Error) -> StateError {
    StateError::Corrupt(e.to_string())
}

/// Starts a session for `user` and returns its token (64 hex digits, 256 random bits).
pub fn create(state: &State, user: &str) -> Result<String, StateError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StateError::Corrupt(format!("no randomness: {e}")))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let now = Utc::now();
    let session = Session { user: user.to_owned(), created: now, expires: now + Duration::hours(SESSION_HOURS) };
    state.tree(SESSIONS)?.insert(key_of(&token), serde_json::to_vec(&session).map_err(corrupt)?)?;
    state.flush()?;
    Ok(token)
}

/// The live session of a token; an expired one is deleted.
pub fn lookup(state: &State, token: &str) -> Result<Option<Session>, StateError> {
    if token.len() != 64 {
        return Ok(None);
    }
    let tree = state.tree(SESSIONS)?;
    let key = key_of(token);
    let Some(bytes) = tree.get(&key)? else { return Ok(None) };
    let session: Session = serde_json::from_slice(&bytes).map_err(corrupt)?;
    if session.expires <= Utc::now() {
        tree.remove(&key)?;
        return Ok(None);
    }
    Ok(Some(session))
}

/// Ends a session (logout).
pub fn delete(state: &State, token: &str) -> Result<(), StateError> {
    state.tree(SESSIONS)?.remove(key_of(token))?;
    state.flush()?;
    Ok(())
}

/// Ends every session of a user (password changed, account disabled).
pub fn delete_all_of(state: &State, user: &str) -> Result<usize, StateError> {
    let tree = state.tree(SESSIONS)?;
    let mut n = 0;
    for item in tree.iter() {
        let (k, v) = item?;
        if serde_json::from_slice::<Session>(&v).map(|s| s.user == user).unwrap_or(true) {
            tree.remove(k)?;
            n += 1;
        }
    }
    state.flush()?;
    Ok(n)
}

/// Consecutive failed sign-ins of one key (an account or a client address).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Failures {
    count: u32,
    last: Option<DateTime<Utc>>,
    locked_until: Option<DateTime<Utc>>,
}

/// How many failures a key may have before it must wait, and how the wait grows.
#[derive(Clone, Copy, Debug)]
pub struct Throttle {
    /// Failures allowed before the first wait.
    pub allowed: u32,
    /// The first wait; it doubles with every further failure.
    pub first_wait_secs: i64,
    /// The longest wait.
    pub max_wait_secs: i64,
}

/// Per account: five failures, then 30 s, 60 s, 120 s … up to 15 minutes.
pub const PER_ACCOUNT: Throttle = Throttle { allowed: 5, first_wait_secs: 30, max_wait_secs: 900 };
/// Per client address (many people may share one): twenty failures, then the same waits.
pub const PER_ADDRESS: Throttle = Throttle { allowed: 20, first_wait_secs: 30, max_wait_secs: 900 };
/// Failures older than this are forgotten.
const FORGET_AFTER_SECS: i64 = 3600;

fn read_failures(state: &State, key: &str) -> Result<Failures, StateError> {
    match state.tree(FAILURES)?.get(key.as_bytes())? {
        Some(bytes) => serde_json::from_slice(&bytes).map_err(corrupt),
        None => Ok(Failures::default()),
    }
}

/// When `key` may try again, if it must wait now.
pub fn locked_until(state: &State, key: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StateError> {
    let f = read_failures(state, key)?;
    Ok(f.locked_until.filter(|t| *t > now))
}

/// Counts a failed sign-in of `key`; returns when it may try again, if it must now wait.
pub fn record_failure(state: &State, key: &str, throttle: Throttle, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StateError> {
    let mut f = read_failures(state, key)?;
    if f.last.is_some_and(|l| now - l > Duration::seconds(FORGET_AFTER_SECS)) {
        f = Failures::default();
    }
    f.count += 1;
    f.last = Some(now);
    if f.count >= throttle.allowed {
        let doublings = (f.count - throttle.allowed).min(20);
        let wait = (throttle.first_wait_secs << doublings).min(throttle.max_wait_secs);
        f.locked_until = Some(now + Duration::seconds(wait));
    }
    state.tree(FAILURES)?.insert(key.as_bytes(), serde_json::to_vec(&f).map_err(corrupt)?)?;
    Ok(f.locked_until.filter(|t| *t > now))
}

/// Forgets the failures of `key` (after a successful sign-in to that account).
pub fn clear_failures(state: &State, key: &str) -> Result<(), StateError> {
    state.tree(FAILURES)?.remove(key.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stored_hashed_and_logout_deletes() {
        let state = State::temporary().unwrap();
        let token = create(&state, "anna").unwrap();
        assert_eq!(token.len(), 64);
        assert!(state.tree(SESSIONS).unwrap().get(token.as_bytes()).unwrap().is_none(), "the token itself is not a key");
        assert_eq!(lookup(&state, &token).unwrap().unwrap().user, "anna");
        delete(&state, &token).unwrap();
        assert!(lookup(&state, &token).unwrap().is_none());
    }

    #[test]
    fn the_wait_starts_after_the_allowed_failures_and_doubles() {
        let state = State::temporary().unwrap();
        let now = Utc::now();
        for _ in 0..4 {
            assert!(record_failure(&state, "u:anna", PER_ACCOUNT, now).unwrap().is_none());
        }
        let first = record_failure(&state, "u:anna", PER_ACCOUNT, now).unwrap().unwrap();
        assert_eq!(first - now, Duration::seconds(30));
        let second = record_failure(&state, "u:anna", PER_ACCOUNT, now).unwrap().unwrap();
        assert_eq!(second - now, Duration::seconds(60));
        assert!(locked_until(&state, "u:anna", now).unwrap().is_some());
        assert!(locked_until(&state, "u:anna", now + Duration::seconds(61)).unwrap().is_none());
        clear_failures(&state, "u:anna").unwrap();
        assert!(locked_until(&state, "u:anna", now).unwrap().is_none());
    }
}
