//! Curation pages: drafts, the edit form, review and publication, history and diffs, comments,
//! the work list and the audit log.

use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}
