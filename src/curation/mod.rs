//! Curation: who may change what, and the life of a record from draft to publication.
//!
//! Owns: the actor of a change ([`Actor`]).

use crate::state::users::Role;

/// Who makes a change, with the role they had when they made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub role: Role,
}
