//! Leases in PostgreSQL: the `leases` table (name → holder and expiry), taken by one
//! conditional statement — inserted when absent, or updated only `WHERE` the lease expired,
//! by the database's clock — so of two takers at once, in whatever nodes, one gets it.

use std::time::Duration;

use super::{Db, pg};
use crate::state::StateError;
use crate::state::leases::LeaseRepo;

impl LeaseRepo for Db {
    fn take(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool, StateError> {
        let ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        self.with(|c| {
            let n = c
                .execute(
                    "INSERT INTO leases (name, holder, expires) VALUES ($1, $2, now() + $3::bigint * interval '1 millisecond')
                     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
                     WHERE leases.expires <= now()",
                    &[&name, &holder, &ms],
                )
                .map_err(pg)?;
            Ok(n == 1)
        })
    }

    fn renew(&self, name: &str, holder: &str, ttl: Duration) -> Result<bool, StateError> {
        let ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        self.with(|c| {
            let n = c
                .execute(
                    "UPDATE leases SET expires = now() + $3::bigint * interval '1 millisecond' WHERE name = $1 AND holder = $2",
                    &[&name, &holder, &ms],
                )
                .map_err(pg)?;
            Ok(n == 1)
        })
    }

    fn release(&self, name: &str, holder: &str) -> Result<(), StateError> {
        self.with(|c| {
            c.execute("DELETE FROM leases WHERE name = $1 AND holder = $2", &[&name, &holder]).map_err(pg)?;
            Ok(())
        })
    }
}
