//! Comments in sled: the `comments` tree (record IRI, NUL, big-endian id → JSON [`Comment`]).

use chrono::Utc;

use super::{Db, corrupt};
use crate::state::StateError;
use crate::state::comments::{Comment, CommentRepo};

const TREE: &str = "comments";

fn key(iri: &str, id: u64) -> Vec<u8> {
    let mut k = iri.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

impl CommentRepo for Db {
    fn add(&self, iri: &str, author: &str, text: &str) -> Result<Comment, StateError> {
        let _w = self.writing();
        let c = Comment { id: self.next_id()?, iri: iri.to_owned(), author: author.to_owned(), time: Utc::now(), text: text.to_owned() };
        self.tree(TREE)?.insert(key(iri, c.id), serde_json::to_vec(&c).map_err(corrupt)?)?;
        self.flush()?;
        Ok(c)
    }

    fn of_record(&self, iri: &str) -> Result<Vec<Comment>, StateError> {
        let mut p = iri.as_bytes().to_vec();
        p.push(0);
        let mut out = Vec::new();
        for item in self.tree(TREE)?.scan_prefix(&p) {
            let (_, v) = item?;
            out.push(serde_json::from_slice(&v).map_err(|e| StateError::Corrupt(format!("comment: {e}")))?);
        }
        Ok(out)
    }
}
