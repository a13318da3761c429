-- Sessions (state::sessions) under the SHA-256 of their token (the token itself is never
-- stored), and sign-in failures per key (u:{name}, a:{address}).
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    username text NOT NULL,
    expires timestamptz NOT NULL,
    value text NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (username);
CREATE TABLE login_failures (
    key text PRIMARY KEY,
    value text NOT NULL
);
