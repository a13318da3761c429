//! Which organisations an account works for (agent IRIs), behind [`MemberRepo`]: an editor of a
//! publisher may state its datasets' label, confirm them yearly and assess its maturity; a
//! region's account may save its delivery reports. Set by an administrator.

use super::StateError;
use super::revisions::AuditNote;

/// Where memberships are kept.
pub trait MemberRepo: Send + Sync {
    /// Replaces an account's organisations (none: it works for no organisation).
    fn set_organisations(&self, user: &str, organisations: &[String], audit: &AuditNote) -> Result<(), StateError>;
    /// An account's organisations, sorted (none for an unknown account).
    fn organisations(&self, user: &str) -> Result<Vec<String>, StateError>;
}
