//! Saved variable lists of signed-in researchers (`/variabellista/{id}`), behind [`ListRepo`]:
//! a named list of variables, each with the researcher's note (why it is needed) and the
//! version the variable had when it was put in the list, so that a change since can be shown.
//! A list belongs to the account that saved it. Nothing here is catalogue content.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

/// A saved list.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedList {
    /// 16 letters and digits ([`new_id`]): the list's address, not guessable.
    pub id: String,
    /// The account that saved it.
    pub owner: String,
    pub name: String,
    pub created: DateTime<Utc>,
    /// When it last changed: what a change names as its starting point ([`ListRepo::update`]).
    pub updated: DateTime<Utc>,
    pub items: Vec<ListItem>,
}

/// A variable in a saved list.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ListItem {
    pub iri: String,
    /// Why the variable is needed (the researcher's words).
    #[serde(default)]
    pub note: String,
    /// The variable's published version (`vk:version`) when it was put in the list.
    pub version: u64,
    /// Its modification time then.
    pub modified: DateTime<Utc>,
}

/// A fresh list id: 16 characters of `a–z` and `2–7` (80 random bits).
pub fn new_id() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| ALPHABET[usize::from(*b) % 32] as char).collect()
}

/// Whether `id` has the form of a list id (so that other paths are never looked up).
pub fn is_list_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
}

/// Where saved lists are kept. Every write is durable when it returns.
pub trait ListRepo: Send + Sync {
    /// Keeps a new list; `false` (and nothing written) when its id is taken.
    fn create_list(&self, list: &SavedList) -> Result<bool, StateError>;
    fn get_list(&self, id: &str) -> Result<Option<SavedList>, StateError>;
    /// The lists of `owner`, the last changed first.
    fn lists_of(&self, owner: &str) -> Result<Vec<SavedList>, StateError>;
    /// Replaces the list of `list.id` when it still is as it was at `expected` (its `updated`):
    /// compare-and-set, so of two changes from the same starting point one wins and the other
    /// gets [`StateError::Conflict`]. `false` when there is no such list.
    fn update_list(&self, list: &SavedList, expected: DateTime<Utc>) -> Result<bool, StateError>;
    /// Removes a list; `false` when there was none.
    fn delete_list(&self, id: &str) -> Result<bool, StateError>;
}

/// The conflict of a change to a list that changed meanwhile.
pub(crate) fn changed_meanwhile(id: &str) -> StateError {
    StateError::Conflict { iri: format!("variabellista/{id}"), latest: None, author: String::new(), pending: false }
}
