//! Uploaded import files waiting between the preview and the confirmation.
//!
//! Owns: the `import_uploads` tree (token → JSON header line, then the file's bytes). An upload
//! belongs to the account that sent it and expires after [`LIFETIME_MINUTES`]; it is removed
//! when the import is confirmed. Nothing here is catalogue content.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{State, StateError};

const TREE: &str = "import_uploads";
/// How long a previewed upload can be confirmed.
pub const LIFETIME_MINUTES: i64 = 60;

/// What was sent, and how it is to be read.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Upload {
    pub user: String,
    pub filename: String,
    /// Reader settings as the form gave them (dataset id, id prefix, mapping preset).
    pub dataset: Option<String>,
    pub id_prefix: Option<String>,
    pub mapping: Option<String>,
    pub created: DateTime<Utc>,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

fn new_token() -> String {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keeps an upload; returns its token. Expired uploads are cleared on the way.
pub fn put(state: &State, upload: &Upload) -> Result<String, StateError> {
    let tree = state.tree(TREE)?;
    let now = Utc::now();
    for item in tree.iter() {
        let (k, v) = item?;
        if decode(&v).is_none_or(|u| now - u.created > Duration::minutes(LIFETIME_MINUTES)) {
            tree.remove(k)?;
        }
    }
    let token = new_token();
    let mut value = serde_json::to_vec(upload).map_err(|e| StateError::Corrupt(e.to_string()))?;
    value.push(b'\n');
    value.extend_from_slice(&upload.bytes);
    tree.insert(token.as_bytes(), value)?;
    state.flush()?;
    Ok(token)
}

fn decode(v: &[u8]) -> Option<Upload> {
    let nl = v.iter().position(|b| *b == b'\n')?;
    let mut u: Upload = serde_json::from_slice(&v[..nl]).ok()?;
    u.bytes = v[nl + 1..].to_vec();
    Some(u)
}

/// The upload `token` of `user`, if it exists and has not expired.
pub fn get(state: &State, token: &str, user: &str) -> Result<Option<Upload>, StateError> {
    let Some(v) = state.tree(TREE)?.get(token.as_bytes())? else { return Ok(None) };
    Ok(decode(&v).filter(|u| u.user == user && Utc::now() - u.created <= Duration::minutes(LIFETIME_MINUTES)))
}

pub fn remove(state: &State, token: &str) -> Result<(), StateError> {
    state.tree(TREE)?.remove(token.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_kept_for_its_owner_only() {
        let state = State::temporary().unwrap();
        let up = Upload {
            user: "anna".into(),
            filename: "a.xlsx".into(),
            dataset: None,
            id_prefix: Some("par".into()),
            mapping: None,
            created: Utc::now(),
            bytes: b"PK\x03\x04\n\xff".to_vec(),
        };
        let token = put(&state, &up).unwrap();
        assert_eq!(get(&state, &token, "anna").unwrap(), Some(up));
        assert_eq!(get(&state, &token, "bertil").unwrap(), None);
        remove(&state, &token).unwrap();
        assert_eq!(get(&state, &token, "anna").unwrap(), None);
    }
}
