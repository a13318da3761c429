-- Comments on records (state::comments).
CREATE TABLE comments (
    id bigserial PRIMARY KEY,
    iri text NOT NULL,
    author text NOT NULL,
    time timestamptz NOT NULL,
    text text NOT NULL
);
CREATE INDEX comments_by_record ON comments (iri, id);
