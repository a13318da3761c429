//! API tokens: issued by an administrator (or `vardkatalog token create`) for an account,
//! carried as `Authorization: Bearer`, with the account's role.
//!
//! A token is `vk1_` followed by 64 hex digits: 256 random bits. Only a hash of it is stored
//! (`SHA-256("vardkatalog api token v1\0" ‖ token)`): with that much entropy no guess can be
//! tested against a stolen hash, so a slow password hash (argon2) would only slow every API
//! request down without making anything safer. The token is shown once, when it is issued.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::{AccountError, Accounts, Actor, new_secret};
pub use crate::state::tokens::ApiToken;

/// What every token starts with (so that a leaked one is recognisable, e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "vk1_";
/// The longest lifetime an issued token may have.
pub const MAX_EXPIRES_DAYS: i64 = 3650;
/// A use is noted at most this often per token (the last-use time is not a log).
const TOUCH_EVERY_SECS: i64 = 60;

/// Why a bearer token was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRefusal {
    /// Not a token of this catalogue.
    Unknown,
    Expired,
    Revoked,
    /// The account is disabled or gone.
    AccountDisabled,
}

impl TokenRefusal {
    /// The reason in words, in `lang`.
    pub fn message(self, lang: &str) -> &'static str {
        match (self, lang == "en") {
            (Self::Unknown, true) => "The token is not valid.",
            (Self::Expired, true) => "The token has expired.",
            (Self::Revoked, true) => "The token has been revoked.",
            (Self::AccountDisabled, true) => "The token's account is disabled.",
            (Self::Unknown, false) => "Token är inte giltigt.",
            (Self::Expired, false) => "Token har gått ut.",
            (Self::Revoked, false) => "Token har återkallats.",
            (Self::AccountDisabled, false) => "Kontot som token hör till är inaktiverat.",
        }
    }
}

/// The key a token is stored under.
pub fn api_token_hash(token: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"vardkatalog api token v1\0");
    h.update(token.as_bytes());
    h.finalize().to_vec()
}

/// Why a token cannot be used at `now`, or `None` when it can (its account aside).
pub fn token_status(t: &ApiToken, now: DateTime<Utc>) -> Option<TokenRefusal> {
    if t.revoked.is_some() {
        Some(TokenRefusal::Revoked)
    } else if t.expires.is_some_and(|e| e <= now) {
        Some(TokenRefusal::Expired)
    } else {
        None
    }
}

impl Accounts {
    /// Issues a token for the account `user` (enabled), valid for `expires_days` days (`None`:
    /// until revoked). Returns the token's record and the token itself: the only copy.
    pub fn issue_token(&self, by: &str, user: &str, expires_days: Option<i64>) -> Result<(ApiToken, String), AccountError> {
        let account = self.get(user)?.ok_or_else(|| AccountError::NotFound(user.to_owned()))?;
        if account.disabled {
            return Err(AccountError::Disabled(user.to_owned()));
        }
        if let Some(d) = expires_days
            && !(1..=MAX_EXPIRES_DAYS).contains(&d)
        {
            return Err(AccountError::BadExpiry);
        }
        let now = Utc::now();
        let secret = format!("{TOKEN_PREFIX}{}", new_secret()?);
        let id = new_secret()?[..16].to_owned();
        let token = ApiToken {
            id,
            user: account.name,
            created: now,
            created_by: by.to_owned(),
            expires: expires_days.map(|d| now + Duration::days(d)),
            last_used: None,
            revoked: None,
        };
        if !self.state.tokens.insert(&api_token_hash(&secret), &token)? {
            return Err(AccountError::Hash("a token collided with another; try again".into()));
        }
        let detail =
            format!("token {}{}", token.id, token.expires.map(|e| format!(", expires {}", e.format("%Y-%m-%d"))).unwrap_or_default());
        self.state.audit.record(by, "token_create", &token.user, &detail)?;
        Ok((token, secret))
    }

    /// Every token, oldest first (without secrets: none is kept).
    pub fn tokens(&self) -> Result<Vec<ApiToken>, AccountError> {
        Ok(self.state.tokens.list()?)
    }

    /// Revokes a token by id; at once, for every later request.
    pub fn revoke_token(&self, by: &str, id: &str) -> Result<ApiToken, AccountError> {
        if !self.state.tokens.revoke(id, Utc::now())? {
            return Err(AccountError::NoToken(id.to_owned()));
        }
        let token = self.state.tokens.get(id)?.ok_or_else(|| AccountError::NoToken(id.to_owned()))?;
        self.state.audit.record(by, "token_revoke", &token.user, &format!("token {id}"))?;
        Ok(token)
    }

    /// Who a bearer token speaks for: the account (its role read now) and the token's id, or
    /// why it is refused. A use is noted as the token's last use.
    pub fn token_actor(&self, token: &str) -> Result<Result<(Actor, String), TokenRefusal>, AccountError> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() != TOKEN_PREFIX.len() + 64 {
            return Ok(Err(TokenRefusal::Unknown));
        }
        let Some(t) = self.state.tokens.by_hash(&api_token_hash(token))? else { return Ok(Err(TokenRefusal::Unknown)) };
        let now = Utc::now();
        if let Some(refusal) = token_status(&t, now) {
            return Ok(Err(refusal));
        }
        let Some(user) = self.state.users.get(&t.user)?.filter(|u| !u.disabled) else {
            return Ok(Err(TokenRefusal::AccountDisabled));
        };
        if t.last_used.is_none_or(|l| now - l > Duration::seconds(TOUCH_EVERY_SECS)) {
            self.state.tokens.touch(&t.id, now)?;
        }
        Ok(Ok((Actor { user: user.name, role: user.role }, t.id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::state::State;

    #[test]
    fn a_token_is_shown_once_stored_hashed_and_ends_when_revoked() {
        let a = Accounts::new(State::temporary().unwrap());
        a.add("test", "anna", Role::Granskare, "ett långt lösenord").unwrap();
        let (t, secret) = a.issue_token("admin", "anna", Some(30)).unwrap();
        assert!(secret.starts_with(TOKEN_PREFIX) && secret.len() == 68, "{secret}");
        assert!(a.state.tokens.by_hash(secret.as_bytes()).unwrap().is_none(), "the token itself is not a key");
        let (actor, id) = a.token_actor(&secret).unwrap().unwrap();
        assert_eq!((actor.user.as_str(), actor.role, id.as_str()), ("anna", Role::Granskare, t.id.as_str()));
        assert!(a.tokens().unwrap()[0].last_used.is_some(), "the use is noted");
        assert_eq!(a.token_actor(&format!("{TOKEN_PREFIX}{}", "0".repeat(64))).unwrap().unwrap_err(), TokenRefusal::Unknown);
        a.revoke_token("admin", &t.id).unwrap();
        assert_eq!(a.token_actor(&secret).unwrap().unwrap_err(), TokenRefusal::Revoked);
        let (_, other) = a.issue_token("admin", "anna", None).unwrap();
        a.set_disabled("admin", "anna", true).unwrap();
        assert_eq!(a.token_actor(&other).unwrap().unwrap_err(), TokenRefusal::AccountDisabled);
        assert!(matches!(a.issue_token("admin", "anna", None), Err(AccountError::Disabled(_))));
        assert!(matches!(a.issue_token("admin", "okand", None), Err(AccountError::NotFound(_))));
    }
}
