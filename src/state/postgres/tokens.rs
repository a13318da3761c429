//! API tokens in PostgreSQL: the `api_tokens` table (id → JSON [`ApiToken`], with the hash of
//! its secret, its account and its time of issue as columns). An insert is refused by the
//! table's keys when the id or the hash is taken (`ON CONFLICT DO NOTHING`), so of two nodes
//! issuing the same id one stores it; a change reads the row `FOR UPDATE` and writes it back in
//! one transaction, so a second revocation, on any node, keeps the first one's time.

use chrono::{DateTime, Utc};

use super::{Db, Tx, from_json, json, pg};
use crate::state::StateError;
use crate::state::tokens::{ApiToken, TokenRepo};

fn token(text: &str) -> Result<ApiToken, StateError> {
    from_json("api token", text)
}

/// Changes one token in its transaction; `false` when there is none.
fn update(tx: &mut Tx<'_>, id: &str, change: impl FnOnce(&mut ApiToken)) -> Result<bool, StateError> {
    let Some(row) = tx.query_opt("SELECT value FROM api_tokens WHERE id = $1 FOR UPDATE", &[&id]).map_err(pg)? else {
        return Ok(false);
    };
    let mut t = token(row.get(0))?;
    change(&mut t);
    tx.execute("UPDATE api_tokens SET value = $2 WHERE id = $1", &[&id, &json(&t)?]).map_err(pg)?;
    Ok(true)
}

impl TokenRepo for Db {
    fn insert(&self, secret_hash: &[u8], token: &ApiToken) -> Result<bool, StateError> {
        let value = json(token)?;
        self.with(|c| {
            let n = c
                .execute(
                    "INSERT INTO api_tokens (id, secret_hash, username, created, value) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    &[&token.id, &secret_hash, &token.user, &token.created, &value],
                )
                .map_err(pg)?;
            Ok(n == 1)
        })
    }

    fn by_hash(&self, secret_hash: &[u8]) -> Result<Option<ApiToken>, StateError> {
        self.with(|c| {
            let row = c.query_opt("SELECT value FROM api_tokens WHERE secret_hash = $1", &[&secret_hash]).map_err(pg)?;
            row.map(|r| token(r.get(0))).transpose()
        })
    }

    fn get(&self, id: &str) -> Result<Option<ApiToken>, StateError> {
        self.with(|c| {
            let row = c.query_opt("SELECT value FROM api_tokens WHERE id = $1", &[&id]).map_err(pg)?;
            row.map(|r| token(r.get(0))).transpose()
        })
    }

    fn list(&self) -> Result<Vec<ApiToken>, StateError> {
        let mut out = self.with(|c| {
            let rows = c.query("SELECT value FROM api_tokens ORDER BY created, id", &[]).map_err(pg)?;
            rows.iter().map(|r| token(r.get(0))).collect::<Result<Vec<_>, _>>()
        })?;
        // the column keeps microseconds, the value the exact time: the same order as sled
        out.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        Ok(out)
    }

    fn revoke(&self, id: &str, at: DateTime<Utc>) -> Result<bool, StateError> {
        self.tx(|tx| {
            update(tx, id, |t| {
                t.revoked.get_or_insert(at);
            })
        })
    }

    fn touch(&self, id: &str, at: DateTime<Utc>) -> Result<(), StateError> {
        self.tx(|tx| update(tx, id, |t| t.last_used = Some(at)).map(|_| ()))
    }
}
