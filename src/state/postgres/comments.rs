//! Comments in PostgreSQL: the `comments` table, ids from its sequence.

use super::{Db, now, pg, to_u64};
use crate::state::StateError;
use crate::state::comments::{Comment, CommentRepo};

impl CommentRepo for Db {
    fn add(&self, iri: &str, author: &str, text: &str) -> Result<Comment, StateError> {
        let time = now();
        self.with(|c| {
            let id: i64 = c
                .query_one(
                    "INSERT INTO comments (iri, author, time, text) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&iri, &author, &time, &text],
                )
                .map_err(pg)?
                .get(0);
            Ok(Comment { id: to_u64(id), iri: iri.to_owned(), author: author.to_owned(), time, text: text.to_owned() })
        })
    }

    fn of_record(&self, iri: &str) -> Result<Vec<Comment>, StateError> {
        self.with(|c| {
            let rows = c.query("SELECT id, iri, author, time, text FROM comments WHERE iri = $1 ORDER BY id", &[&iri]).map_err(pg)?;
            Ok(rows
                .iter()
                .map(|r| Comment { id: to_u64(r.get(0)), iri: r.get(1), author: r.get(2), time: r.get(3), text: r.get(4) })
                .collect())
        })
    }
}
