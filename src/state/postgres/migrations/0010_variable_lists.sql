-- Saved variable lists (state::lists): the list as JSON, with the columns queries use; `stamp`
-- is the list's `updated` as written (RFC 3339 with nanoseconds), the compare-and-set key.
CREATE TABLE variable_lists (
    id text PRIMARY KEY,
    owner text NOT NULL,
    updated timestamptz NOT NULL,
    stamp text NOT NULL,
    value text NOT NULL
);
CREATE INDEX variable_lists_by_owner ON variable_lists (owner, updated DESC);
