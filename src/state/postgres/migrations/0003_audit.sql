-- The audit log (state::audit): append-only; the code has no statement that changes or
-- removes a row.
CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    time timestamptz NOT NULL,
    who text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    detail text NOT NULL
);
CREATE INDEX audit_by_target ON audit (target, id);
