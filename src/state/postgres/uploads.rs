//! Uploads in PostgreSQL: the `uploads` table (token → JSON header, the account, the time, and
//! the file's bytes). Expired uploads are cleared when a new one is kept.

use chrono::Duration;

use super::{Db, from_json, json, now, pg};
use crate::state::StateError;
use crate::state::uploads::{LIFETIME_MINUTES, Upload, UploadRepo, new_token};

impl UploadRepo for Db {
    fn put(&self, upload: &Upload) -> Result<String, StateError> {
        let header = json(upload)?;
        let token = new_token();
        let stale = now() - Duration::minutes(LIFETIME_MINUTES);
        self.tx(|tx| {
            tx.execute("DELETE FROM uploads WHERE created < $1", &[&stale]).map_err(pg)?;
            tx.execute(
                "INSERT INTO uploads (token, username, created, header, bytes) VALUES ($1, $2, $3, $4, $5)",
                &[&token, &upload.user, &upload.created, &header, &upload.bytes],
            )
            .map_err(pg)?;
            Ok(())
        })?;
        Ok(token)
    }

    fn get(&self, token: &str, user: &str) -> Result<Option<Upload>, StateError> {
        let row = self.with(|c| c.query_opt("SELECT header, bytes FROM uploads WHERE token = $1", &[&token]).map_err(pg))?;
        let Some(row) = row else { return Ok(None) };
        let mut u: Upload = from_json("upload", row.get(0))?;
        u.bytes = row.get(1);
        Ok(Some(u).filter(|u| u.user == user && u.is_live(chrono::Utc::now())))
    }

    fn remove(&self, token: &str) -> Result<(), StateError> {
        self.with(|c| {
            c.execute("DELETE FROM uploads WHERE token = $1", &[&token]).map_err(pg)?;
            Ok(())
        })
    }
}
