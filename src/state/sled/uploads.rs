//! Uploads in sled: the `import_uploads` tree (token → JSON header line, then the file's bytes).

use chrono::Utc;

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::uploads::{Upload, UploadRepo, new_token};

const TREE: &str = "import_uploads";

fn decode(v: &[u8]) -> Option<Upload> {
    let nl = v.iter().position(|b| *b == b'\n')?;
    let mut u: Upload = serde_json::from_slice(&v[..nl]).ok()?;
    u.bytes = v[nl + 1..].to_vec();
    Some(u)
}

impl UploadRepo for Db {
    fn put(&self, upload: &Upload) -> Result<String, StateError> {
        let _w = self.writing();
        let tree = self.tree(TREE)?;
        let now = Utc::now();
        for item in tree.iter() {
            let (k, v) = item?;
            if decode(&v).is_none_or(|u| !u.is_live(now)) {
                tree.remove(k)?;
            }
        }
        let token = new_token();
        let mut value = serde_json::to_vec(upload).map_err(corrupt)?;
        value.push(b'\n');
        value.extend_from_slice(&upload.bytes);
        tree.insert(token.as_bytes(), value)?;
        self.flush()?;
        Ok(token)
    }

    fn get(&self, token: &str, user: &str) -> Result<Option<Upload>, StateError> {
        let Some(v) = self.tree(TREE)?.get(token.as_bytes())? else { return Ok(None) };
        Ok(decode(&v).filter(|u| u.user == user && u.is_live(Utc::now())))
    }

    fn remove(&self, token: &str) -> Result<(), StateError> {
        let _w = self.writing();
        self.tree(TREE)?.remove(token.as_bytes())?;
        self.flush()
    }
}
