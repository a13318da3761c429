-- Import files between preview and confirmation (state::uploads): the header as JSON, the
-- file's bytes apart.
CREATE TABLE uploads (
    token text PRIMARY KEY,
    username text NOT NULL,
    created timestamptz NOT NULL,
    header text NOT NULL,
    bytes bytea NOT NULL
);
