-- Leases (state::leases): a named right, held by one holder until it expires by the
-- database's clock; taken by a conditional update.
CREATE TABLE leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    expires timestamptz NOT NULL
);
