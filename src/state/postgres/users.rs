//! Accounts in PostgreSQL: the `users` table (name → JSON [`User`]).

use super::{Db, from_json, json, pg};
use crate::state::StateError;
use crate::state::users::{User, UserRepo};

impl UserRepo for Db {
    fn get(&self, name: &str) -> Result<Option<User>, StateError> {
        self.with(|c| {
            let row = c.query_opt("SELECT value FROM users WHERE name = $1", &[&name]).map_err(pg)?;
            row.map(|r| from_json(&format!("user {name}"), r.get(0))).transpose()
        })
    }

    fn list(&self) -> Result<Vec<User>, StateError> {
        self.with(|c| {
            let rows = c.query("SELECT name, value FROM users ORDER BY name COLLATE \"C\"", &[]).map_err(pg)?;
            rows.iter().map(|r| from_json(&format!("user {}", r.get::<_, &str>(0)), r.get(1))).collect()
        })
    }

    fn create(&self, user: &User) -> Result<bool, StateError> {
        let value = json(user)?;
        // insert only when absent: two admins adding the same name at once cannot both succeed
        self.with(|c| {
            let n = c
                .execute("INSERT INTO users (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", &[&user.name, &value])
                .map_err(pg)?;
            Ok(n == 1)
        })
    }

    fn put(&self, user: &User) -> Result<(), StateError> {
        let value = json(user)?;
        self.with(|c| {
            c.execute(
                "INSERT INTO users (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                &[&user.name, &value],
            )
            .map_err(pg)?;
            Ok(())
        })
    }
}
