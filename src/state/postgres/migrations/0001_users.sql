-- Accounts (state::users): name → JSON of User (role, argon2id hash, disabled, created).
CREATE TABLE users (
    name text PRIMARY KEY,
    value text NOT NULL
);
