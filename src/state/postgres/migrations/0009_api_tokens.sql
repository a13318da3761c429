-- API tokens (state::tokens) under a hash of the secret (the secret itself is never stored):
-- id → JSON of ApiToken (account, issued, by whom, expiry, last use, revocation), with the
-- hash, the account and the time of issue as columns. A taken id or hash refuses an insert.
CREATE TABLE api_tokens (
    id text PRIMARY KEY,
    secret_hash bytea NOT NULL UNIQUE,
    username text NOT NULL,
    created timestamptz NOT NULL,
    value text NOT NULL
);
CREATE INDEX api_tokens_by_user ON api_tokens (username);
