//! Accounts: a name, a role and an argon2id password hash (with a random salt per password).
//!
//! Owns: the `users` tree (name → JSON [`User`]), password hashing and checking, the roles.
//! Does not: know sessions or HTTP (see `state::sessions` and `web::auth`).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{State, StateError};

const TREE: &str = "users";
/// Shortest password accepted (OWASP ASVS 4.0 V2.1.1: at least 12 characters).
pub const MIN_PASSWORD_LEN: usize = 12;

/// Passwords of 12 characters or more that are among the most used ones, lower-cased, one a
/// line (ASVS V2.1.7: refuse passwords that are known to be common). Sources, in this order:
/// the 1,187 distinct entries of 12 or more printable ASCII characters among the top 100,000
/// passwords of Have I Been Pwned, as published by the UK National Cyber Security Centre
/// (`PwnedPasswordsTop100k.txt`, 2019), then 126 more from the 47,023 most common of Mark
/// Burnett's 10 million password corpus (xato.net, 2015), as shipped in zxcvbn's
/// `data/passwords.txt` (MIT licence). Shorter entries of those lists are left out: the
/// length rule refuses them anyway.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Whether a password is on the list of common ones (case-insensitive).
pub fn is_common_password(password: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).collect()).contains(password.to_lowercase().as_str())
}

/// The password rule of every way to set one (`user add`, `user passwd`, the admin page): at
/// least [`MIN_PASSWORD_LEN`] characters and not a common password.
pub fn check_password(password: &str) -> Result<(), UserError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(UserError::WeakPassword);
    }
    if is_common_password(password) {
        return Err(UserError::CommonPassword);
    }
    Ok(())
}

/// What a signed-in person may do. Ordered: a higher role may do everything a lower one may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Edits drafts, submits them for review, comments.
    Redaktor,
    /// Also publishes, sends back and retires.
    Granskare,
    /// Also manages users and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Self; 3] = [Self::Redaktor, Self::Granskare, Self::Admin];

    /// `redaktor`, `granskare` or `admin` (also with å/ö spelled out: `redaktör`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "redaktor" | "redaktör" | "editor" => Some(Self::Redaktor),
            "granskare" | "reviewer" => Some(Self::Granskare),
            "admin" | "administratör" | "administrator" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Redaktor => "redaktor",
            Self::Granskare => "granskare",
            Self::Admin => "admin",
        }
    }

    /// The name shown on pages.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Redaktor, "en") => "editor",
            (Self::Granskare, "en") => "reviewer",
            (Self::Admin, "en") => "administrator",
            (Self::Redaktor, _) => "redaktör",
            (Self::Granskare, _) => "granskare",
            (Self::Admin, _) => "administratör",
        }
    }
}

/// One account.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// PHC string of an argon2id hash.
    pub hash: String,
    pub disabled: bool,
    pub created: DateTime<Utc>,
}

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
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
    #[error(transparent)]
    State(#[from] StateError),
}

impl From<sled::Error> for UserError {
    fn from(e: sled::Error) -> Self {
        Self::State(StateError::Sled(e))
    }
}

/// Whether a user name is acceptable: lower-case letters, digits, `.`, `-`, `_`.
pub fn valid_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
}

/// An argon2id hash (default parameters: 19 MiB, 2 passes) with a fresh 16-byte random salt.
pub fn hash_password(password: &str) -> Result<String, UserError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| UserError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| UserError::Hash(e.to_string()))
}

/// Whether `password` matches a stored hash.
pub fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

fn decode(name: &str, bytes: &[u8]) -> Result<User, StateError> {
    serde_json::from_slice(bytes).map_err(|e| StateError::Corrupt(format!("user {name}: {e}")))
}

fn put(state: &State, user: &User) -> Result<(), UserError> {
    let bytes = serde_json::to_vec(user).map_err(|e| StateError::Corrupt(e.to_string()))?;
    state.tree(TREE)?.insert(user.name.as_bytes(), bytes)?;
    state.flush()?;
    Ok(())
}

/// Creates an account.
pub fn add(state: &State, name: &str, role: Role, password: &str) -> Result<User, UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName);
    }
    check_password(password)?;
    let user = User { name: name.to_owned(), role, hash: hash_password(password)?, disabled: false, created: Utc::now() };
    let bytes = serde_json::to_vec(&user).map_err(|e| StateError::Corrupt(e.to_string()))?;
    let tree = state.tree(TREE)?;
    // insert only when absent: two admins adding the same name at once cannot both succeed
    match tree.compare_and_swap(name.as_bytes(), None as Option<&[u8]>, Some(bytes))? {
        Ok(()) => Ok(user),
        Err(_) => Err(UserError::Exists(name.to_owned())),
    }
}

/// One account by name.
pub fn get(state: &State, name: &str) -> Result<Option<User>, StateError> {
    match state.tree(TREE)?.get(name.as_bytes())? {
        Some(bytes) => Ok(Some(decode(name, &bytes)?)),
        None => Ok(None),
    }
}

/// Every account, by name.
pub fn list(state: &State) -> Result<Vec<User>, StateError> {
    let mut out = Vec::new();
    for item in state.tree(TREE)?.iter() {
        let (k, v) = item?;
        out.push(decode(&String::from_utf8_lossy(&k), &v)?);
    }
    Ok(out)
}

fn update(state: &State, name: &str, change: impl FnOnce(&mut User)) -> Result<User, UserError> {
    let mut user = get(state, name)?.ok_or_else(|| UserError::NotFound(name.to_owned()))?;
    change(&mut user);
    put(state, &user)?;
    Ok(user)
}

/// Sets a new password.
pub fn set_password(state: &State, name: &str, password: &str) -> Result<User, UserError> {
    check_password(password)?;
    let hash = hash_password(password)?;
    update(state, name, |u| u.hash = hash)
}

/// Changes a role.
pub fn set_role(state: &State, name: &str, role: Role) -> Result<User, UserError> {
    update(state, name, |u| u.role = role)
}

/// Disables (or enables again) an account; a disabled account cannot sign in and its sessions
/// stop working at once.
pub fn set_disabled(state: &State, name: &str, disabled: bool) -> Result<User, UserError> {
    update(state, name, |u| u.disabled = disabled)
}

/// The account when the name and password match an enabled account. Always computes one hash,
/// so an unknown name takes as long as a wrong password.
pub fn authenticate(state: &State, name: &str, password: &str) -> Result<Option<User>, StateError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match get(state, name)? {
        Some(user) => Ok((password_matches(password, &user.hash) && !user.disabled).then_some(user)),
        None => {
            let dummy = DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default());
            let _ = password_matches(password, dummy);
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn passwords_are_salted_argon2id_hashes() {
        let state = State::temporary().unwrap();
        let a = add(&state, "anna", Role::Redaktor, "ett långt lösenord").unwrap();
        assert!(a.hash.starts_with("$argon2id$"), "{}", a.hash);
        let b = hash_password("ett långt lösenord").unwrap();
        assert_ne!(a.hash, b, "every hash has its own salt");
        assert!(authenticate(&state, "anna", "ett långt lösenord").unwrap().is_some());
        assert!(authenticate(&state, "anna", "fel lösenord!!").unwrap().is_none());
        assert!(authenticate(&state, "okand", "ett långt lösenord").unwrap().is_none());
        assert!(matches!(add(&state, "anna", Role::Admin, "ett långt lösenord"), Err(UserError::Exists(_))));
        assert!(matches!(add(&state, "Anna Svensson", Role::Admin, "ett långt lösenord"), Err(UserError::BadName)));
        assert!(matches!(add(&state, "bo", Role::Admin, "kort"), Err(UserError::WeakPassword)));
        assert!(matches!(add(&state, "bo", Role::Admin, "elva tecken"), Err(UserError::WeakPassword)), "11 characters are too few");
        assert!(matches!(add(&state, "bo", Role::Admin, "QWERTY123456"), Err(UserError::CommonPassword)), "a common password, whatever its case");
        assert!(matches!(set_password(&state, "anna", "Password1234"), Err(UserError::CommonPassword)));
        assert!(add(&state, "bo", Role::Admin, "tolv tecken!").is_ok(), "12 characters that are not common");
        set_disabled(&state, "anna", true).unwrap();
        assert!(authenticate(&state, "anna", "ett långt lösenord").unwrap().is_none(), "a disabled account cannot sign in");
    }
}
