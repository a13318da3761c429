//! The accounts service: who may sign in and what they may do.
//!
//! Owns every rule about accounts: names, the password policy (length and the common-password
//! list), argon2id hashing, sign-in with throttling per account and per client address,
//! sessions (random tokens kept only as hashes, their lifetime), role and account changes
//! (ending sessions where the change demands it), API tokens ([`tokens`]), and the audit entry
//! of each of these.
//! Does not: know cookies or HTTP (`web::auth` turns requests into calls here), or store
//! anything itself (`state::users`, `state::sessions`, `state::audit`).

pub mod tokens;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::state::sessions::Failures;
use crate::state::{State, StateError};

pub use crate::state::sessions::Session;
pub use crate::state::users::{Role, User};

/// Shortest password accepted (OWASP ASVS 4.0 V2.1.1: at least 12 characters).
pub const MIN_PASSWORD_LEN: usize = 12;
/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 12;

/// Passwords of 12 characters or more that are among the most used ones, lower-cased, one a
/// line (ASVS V2.1.7: refuse passwords that are known to be common). Sources, in this order:
/// the 1,187 distinct entries of 12 or more printable ASCII characters among the top 100,000
/// passwords of Have I Been Pwned, as published by the UK National Cyber Security Centre
/// (`PwnedPasswordsTop100k.txt`, 2019), then 126 more from the 47,023 most common of Mark
/// Burnett's 10 million password corpus (xato.net, 2015), as shipped in zxcvbn's
/// `data/passwords.txt` (MIT licence). Shorter entries of those lists are left out: the
/// length rule refuses them anyway.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Who makes a change, with the role they had when they made it (read from the account on
/// every request, so a changed role takes effect at once).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub role: Role,
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

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the user name must be 2–64 characters: letters a–z, digits, '.', '-' or '_'")]
    BadName,
    #[error("a user called {0} already exists")]
    Exists(String),
    #[error("there is no user called {0}")]
    NotFound(String),
    #[error("the password must be at least {MIN_PASSWORD_LEN} characters long")]
    WeakPassword,
    #[error("the password is one of the most common passwords; choose another")]
    CommonPassword,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
    #[error("You cannot change your own role or disable your own account.")]
    OwnAccount,
    #[error("the account {0} is disabled")]
    Disabled(String),
    #[error("a token's lifetime must be 1 to {} days", tokens::MAX_EXPIRES_DAYS)]
    BadExpiry,
    #[error("there is no token {0}")]
    NoToken(String),
    #[error(transparent)]
    State(#[from] StateError),
}

impl AccountError {
    /// The message for a person, in `lang`.
    pub fn message(&self, lang: &str) -> String {
        match (self, lang == "en") {
            (Self::BadName, false) => {
                "Användarnamnet ska vara 2–64 tecken: små bokstäver a–z, siffror, punkt, bindestreck eller understreck.".into()
            }
            (Self::Exists(n), false) => format!("Det finns redan en användare som heter {n}."),
            (Self::NotFound(n), false) => format!("Det finns ingen användare som heter {n}."),
            (Self::WeakPassword, false) => format!("Lösenordet måste vara minst {MIN_PASSWORD_LEN} tecken."),
            (Self::CommonPassword, false) => "Lösenordet är ett av de vanligaste lösenorden. Välj ett annat.".into(),
            (Self::OwnAccount, false) => "Du kan inte ändra din egen roll eller inaktivera ditt eget konto.".into(),
            (Self::Disabled(n), false) => format!("Kontot {n} är inaktiverat."),
            (Self::BadExpiry, false) => format!("En tokens giltighetstid ska vara 1–{} dagar.", tokens::MAX_EXPIRES_DAYS),
            (Self::NoToken(id), false) => format!("Det finns ingen token {id}."),
            (e, _) => e.to_string(),
        }
    }
}

/// A change an administrator makes to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Role(Role),
    Disable,
    Enable,
    Password(String),
}

/// The outcome of a sign-in attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the session token (for the cookie only) and the account.
    Welcome { token: String, user: User },
    /// Wrong name or password; `wait` when this failure started a wait.
    Refused { wait: Option<DateTime<Utc>> },
    /// Too many failures: no attempt is accepted before this time.
    Locked { until: DateTime<Utc> },
}

/// Whether a user name is acceptable: lower-case letters, digits, `.`, `-`, `_`.
pub fn valid_name(name: &str) -> bool {
    (2..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
}

/// Whether a password is on the list of common ones (case-insensitive).
pub fn is_common_password(password: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).collect()).contains(password.to_lowercase().as_str())
}

/// The password rule of every way to set one (`user add`, `user passwd`, the admin page): at
/// least [`MIN_PASSWORD_LEN`] characters and not a common password.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AccountError::WeakPassword);
    }
    if is_common_password(password) {
        return Err(AccountError::CommonPassword);
    }
    Ok(())
}

/// An argon2id hash (default parameters: 19 MiB, 2 passes) with a fresh 16-byte random salt.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches a stored hash.
pub fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// The key a session is stored under: the SHA-256 of its token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A new random secret: 256 bits as 64 hex digits.
pub fn new_secret() -> Result<String, AccountError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Hash(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The throttling arithmetic: `failures` after one more failure at `now`.
pub fn after_failure(mut f: Failures, throttle: Throttle, now: DateTime<Utc>) -> Failures {
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
    f
}

/// The accounts service.
#[derive(Clone)]
pub struct Accounts {
    state: State,
}

impl Accounts {
    pub fn new(state: State) -> Self {
        Self { state }
    }

    // ---- accounts -------------------------------------------------------------------

    /// Creates an account; `by` is who did it (for the audit log).
    pub fn add(&self, by: &str, name: &str, role: Role, password: &str) -> Result<User, AccountError> {
        if !valid_name(name) {
            return Err(AccountError::BadName);
        }
        check_password(password)?;
        let user = User { name: name.to_owned(), role, hash: hash_password(password)?, disabled: false, created: Utc::now() };
        if !self.state.users.create(&user)? {
            return Err(AccountError::Exists(name.to_owned()));
        }
        self.state.audit.record(by, "user_add", name, role.as_str())?;
        Ok(user)
    }

    /// One account by name.
    pub fn get(&self, name: &str) -> Result<Option<User>, AccountError> {
        Ok(self.state.users.get(name)?)
    }

    /// Every account, by name.
    pub fn list(&self) -> Result<Vec<User>, AccountError> {
        Ok(self.state.users.list()?)
    }

    fn update(&self, name: &str, change: impl FnOnce(&mut User)) -> Result<User, AccountError> {
        let mut user = self.state.users.get(name)?.ok_or_else(|| AccountError::NotFound(name.to_owned()))?;
        change(&mut user);
        self.state.users.put(&user)?;
        Ok(user)
    }

    /// Sets a new password and signs the account out everywhere.
    pub fn set_password(&self, by: &str, name: &str, password: &str) -> Result<User, AccountError> {
        check_password(password)?;
        let hash = hash_password(password)?;
        let user = self.update(name, |u| u.hash = hash)?;
        self.state.sessions.delete_all_of(name)?;
        self.state.audit.record(by, "user_password", name, "")?;
        Ok(user)
    }

    /// Changes a role (it takes effect at the account's next request).
    pub fn set_role(&self, by: &str, name: &str, role: Role) -> Result<User, AccountError> {
        let user = self.update(name, |u| u.role = role)?;
        self.state.audit.record(by, "user_role", name, role.as_str())?;
        Ok(user)
    }

    /// Disables (and signs out everywhere) or enables an account.
    pub fn set_disabled(&self, by: &str, name: &str, disabled: bool) -> Result<User, AccountError> {
        let user = self.update(name, |u| u.disabled = disabled)?;
        if disabled {
            self.state.sessions.delete_all_of(name)?;
            self.state.audit.record(by, "user_disable", name, "")?;
        } else {
            self.state.audit.record(by, "user_enable", name, "")?;
        }
        Ok(user)
    }

    /// An administrator's change to an account: `by` may change their own password but not
    /// their own role or whether their account is enabled.
    pub fn change(&self, by: &str, name: &str, change: Change) -> Result<User, AccountError> {
        if by == name && !matches!(change, Change::Password(_)) {
            return Err(AccountError::OwnAccount);
        }
        match change {
            Change::Role(role) => self.set_role(by, name, role),
            Change::Disable => self.set_disabled(by, name, true),
            Change::Enable => self.set_disabled(by, name, false),
            Change::Password(p) => self.set_password(by, name, &p),
        }
    }

    /// The account when the name and password match an enabled account. Always computes one
    /// hash, so an unknown name takes as long as a wrong password.
    pub fn authenticate(&self, name: &str, password: &str) -> Result<Option<User>, AccountError> {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        match self.state.users.get(name)? {
            Some(user) => Ok((password_matches(password, &user.hash) && !user.disabled).then_some(user)),
            None => {
                let dummy = DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default());
                let _ = password_matches(password, dummy);
                Ok(None)
            }
        }
    }

    // ---- sign-in and sessions -------------------------------------------------------

    /// A sign-in attempt from `client` (an address, for throttling): refused while the account
    /// or the address must wait; on success a session starts and the account's failures are
    /// forgotten; every attempt is in the audit log.
    pub fn sign_in(&self, name: &str, password: &str, client: &str, now: DateTime<Utc>) -> Result<SignIn, AccountError> {
        let account_key = format!("konto:{name}");
        let address_key = format!("adress:{client}");
        let waits = [self.locked_until(&account_key, now)?, self.locked_until(&address_key, now)?];
        if let Some(until) = waits.into_iter().flatten().max() {
            self.state.audit.record(name, "login_refused", name, "too many failed sign-ins: waiting")?;
            return Ok(SignIn::Locked { until });
        }
        match self.authenticate(name, password)? {
            Some(user) => {
                self.state.sessions.set_failures(&account_key, None)?;
                let token = self.start_session(&user.name, now)?;
                self.state.audit.record(&user.name, "login", &user.name, "")?;
                Ok(SignIn::Welcome { token, user })
            }
            None => {
                let a = self.fail(&account_key, PER_ACCOUNT, now)?;
                let b = self.fail(&address_key, PER_ADDRESS, now)?;
                self.state.audit.record(name, "login_failed", name, "")?;
                Ok(SignIn::Refused { wait: a.max(b) })
            }
        }
    }

    fn locked_until(&self, key: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, AccountError> {
        Ok(self.state.sessions.failures(key)?.locked_until.filter(|t| *t > now))
    }

    fn fail(&self, key: &str, throttle: Throttle, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, AccountError> {
        let f = after_failure(self.state.sessions.failures(key)?, throttle, now);
        self.state.sessions.set_failures(key, Some(&f))?;
        Ok(f.locked_until.filter(|t| *t > now))
    }

    /// Starts a session for `user`; returns its token (the only copy: only its hash is kept).
    pub fn start_session(&self, user: &str, now: DateTime<Utc>) -> Result<String, AccountError> {
        let token = new_secret()?;
        let session = Session { user: user.to_owned(), created: now, expires: now + Duration::hours(SESSION_HOURS) };
        self.state.sessions.insert(&token_hash(&token), &session)?;
        Ok(token)
    }

    /// The live session of a token, and its account when that is enabled; an expired session
    /// is deleted.
    pub fn session(&self, token: &str) -> Result<Option<(Session, User)>, AccountError> {
        if token.len() != 64 {
            return Ok(None);
        }
        let key = token_hash(token);
        let Some(session) = self.state.sessions.get(&key)? else { return Ok(None) };
        if session.expires <= Utc::now() {
            self.state.sessions.delete(&key)?;
            return Ok(None);
        }
        Ok(self.state.users.get(&session.user)?.filter(|u| !u.disabled).map(|u| (session, u)))
    }

    /// Ends a session (sign-out); `who` is logged when known.
    pub fn end_session(&self, token: &str, who: Option<&str>) -> Result<(), AccountError> {
        self.state.sessions.delete(&token_hash(token))?;
        if let Some(who) = who {
            self.state.audit.record(who, "logout", who, "")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts() -> Accounts {
        Accounts::new(State::temporary().unwrap())
    }

    #[test]
    fn roles_are_ordered_and_parse() {
        assert!(Role::Redaktor < Role::Granskare && Role::Granskare < Role::Admin);
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("redaktör"), Some(Role::Redaktor));
        assert_eq!(Role::parse("chef"), None);
    }

    #[test]
    fn passwords_are_salted_argon2id_hashes_and_the_policy_holds() {
        let a = accounts();
        let anna = a.add("test", "anna", Role::Redaktor, "ett långt lösenord").unwrap();
        assert!(anna.hash.starts_with("$argon2id$"), "{}", anna.hash);
        assert_ne!(anna.hash, hash_password("ett långt lösenord").unwrap(), "every hash has its own salt");
        assert!(a.authenticate("anna", "ett långt lösenord").unwrap().is_some());
        assert!(a.authenticate("anna", "fel lösenord!!").unwrap().is_none());
        assert!(a.authenticate("okand", "ett långt lösenord").unwrap().is_none());
        assert!(matches!(a.add("test", "anna", Role::Admin, "ett långt lösenord"), Err(AccountError::Exists(_))));
        assert!(matches!(a.add("test", "Anna Svensson", Role::Admin, "ett långt lösenord"), Err(AccountError::BadName)));
        assert!(matches!(a.add("test", "bo", Role::Admin, "kort"), Err(AccountError::WeakPassword)));
        assert!(matches!(a.add("test", "bo", Role::Admin, "elva tecken"), Err(AccountError::WeakPassword)), "11 characters are too few");
        assert!(
            matches!(a.add("test", "bo", Role::Admin, "QWERTY123456"), Err(AccountError::CommonPassword)),
            "a common password, whatever its case"
        );
        assert!(matches!(a.set_password("test", "anna", "Password1234"), Err(AccountError::CommonPassword)));
        assert!(a.add("test", "bo", Role::Admin, "tolv tecken!").is_ok(), "12 characters that are not common");
        a.set_disabled("test", "anna", true).unwrap();
        assert!(a.authenticate("anna", "ett långt lösenord").unwrap().is_none(), "a disabled account cannot sign in");
    }

    #[test]
    fn sessions_are_kept_as_hashes_and_end_with_the_account() {
        let a = accounts();
        a.add("test", "anna", Role::Redaktor, "ett långt lösenord").unwrap();
        let SignIn::Welcome { token, .. } = a.sign_in("anna", "ett långt lösenord", "127.0.0.1", Utc::now()).unwrap() else {
            panic!("signs in")
        };
        assert_eq!(token.len(), 64);
        assert!(a.state.sessions.get(token.as_bytes()).unwrap().is_none(), "the token itself is not a key");
        assert_eq!(a.session(&token).unwrap().unwrap().1.name, "anna");
        a.set_password("test", "anna", "ett annat långt lösenord").unwrap();
        assert!(a.session(&token).unwrap().is_none(), "a new password ends every session");
    }

    #[test]
    fn the_wait_starts_after_the_allowed_failures_and_doubles() {
        let now = Utc::now();
        let mut f = Failures::default();
        for _ in 0..4 {
            f = after_failure(f, PER_ACCOUNT, now);
            assert!(f.locked_until.is_none());
        }
        f = after_failure(f, PER_ACCOUNT, now);
        assert_eq!(f.locked_until.unwrap() - now, Duration::seconds(30));
        f = after_failure(f, PER_ACCOUNT, now);
        assert_eq!(f.locked_until.unwrap() - now, Duration::seconds(60));
        let later = after_failure(f, PER_ACCOUNT, now + Duration::seconds(FORGET_AFTER_SECS + 1));
        assert_eq!(later.count, 1, "old failures are forgotten");
    }

    #[test]
    fn sign_in_locks_after_five_failures_per_account() {
        let a = accounts();
        a.add("test", "anna", Role::Redaktor, "ett långt lösenord").unwrap();
        let now = Utc::now();
        for _ in 0..4 {
            assert_eq!(a.sign_in("anna", "fel", "10.0.0.1", now).unwrap(), SignIn::Refused { wait: None });
        }
        assert!(matches!(a.sign_in("anna", "fel", "10.0.0.1", now).unwrap(), SignIn::Refused { wait: Some(_) }));
        assert!(
            matches!(a.sign_in("anna", "ett långt lösenord", "10.0.0.2", now).unwrap(), SignIn::Locked { .. }),
            "even the right password waits"
        );
        assert!(matches!(
            a.sign_in("anna", "ett långt lösenord", "10.0.0.2", now + Duration::seconds(31)).unwrap(),
            SignIn::Welcome { .. }
        ));
    }
}
