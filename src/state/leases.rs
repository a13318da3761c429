//! Leases: a named right held by one holder until it expires, behind [`LeaseRepo`]. What runs
//! once across every process sharing one state database (a scheduled harvest) takes a lease
//! first; whoever does not get it does not run. Expiry is the database's own clock where it has
//! one (PostgreSQL's `now()`), so the nodes' clocks need not agree.

use std::time::Duration;

use super::StateError;

/// Where leases are kept.
pub trait LeaseRepo: Send + Sync {
    /// Takes the lease `name` for `holder` for `ttl` when no one holds it (never taken, or
    /// expired); `true` when taken. Of two takers at the same moment at most one gets it, in
    /// whatever process. A holder does not take its own live lease again.
    fn take(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool, StateError>;
    /// Extends the lease `name` to `ttl` from now when `holder` still holds it (nobody took
    /// it since); `true` when extended.
    fn renew(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool, StateError>;
    /// Gives up the lease `name` when `holder` holds it (nothing otherwise).
    fn release(&self, name: &str, holder: &str) -> Result<(), StateError>;
}
