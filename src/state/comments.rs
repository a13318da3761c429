//! Comments on a record (proposals from the reference group, review remarks), visible to
//! signed-in users and kept with the record's history, behind [`CommentRepo`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StateError;

/// One comment.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub iri: String,
    pub author: String,
    pub time: DateTime<Utc>,
    pub text: String,
}

/// Where comments are kept.
pub trait CommentRepo: Send + Sync {
    /// Adds a comment (durable when it returns).
    fn add(&self, iri: &str, author: &str, text: &str) -> Result<Comment, StateError>;
    /// The comments on a record, oldest first.
    fn of_record(&self, iri: &str) -> Result<Vec<Comment>, StateError>;
}
