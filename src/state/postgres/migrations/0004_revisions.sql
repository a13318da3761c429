-- Revisions of records (state::revisions), the latest per record, open drafts, and the journal
-- of writes that span the record store and this database (state::journal) with the records its
-- entries hold.
CREATE TABLE revisions (
    id bigserial PRIMARY KEY,
    iri text NOT NULL,
    kind text NOT NULL,
    author text NOT NULL,
    time timestamptz NOT NULL,
    message text NOT NULL,
    state text NOT NULL,
    version bigint,
    ntriples text NOT NULL
);
CREATE INDEX revisions_by_record ON revisions (iri, id);
CREATE TABLE revisions_latest (
    iri text PRIMARY KEY,
    revision bigint NOT NULL REFERENCES revisions (id)
);
CREATE TABLE drafts (
    iri text PRIMARY KEY,
    revision bigint NOT NULL REFERENCES revisions (id),
    value text NOT NULL
);
CREATE TABLE journal (
    id text PRIMARY KEY,
    created timestamptz NOT NULL,
    value text NOT NULL
);
CREATE TABLE commit_holds (
    iri text PRIMARY KEY,
    commit_id text NOT NULL
);
