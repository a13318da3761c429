-- The quality and utility label (state::label, state::members, state::deliveries): values as
-- JSON text beside the columns queries select and order by; `label_changes` numbers every
-- write (LabelRepo::version).
CREATE SEQUENCE label_changes;
CREATE TABLE label_declarations (
    dataset text NOT NULL,
    metric text NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (dataset, metric)
);
CREATE TABLE label_attestations (
    id bigserial PRIMARY KEY,
    dataset text NOT NULL,
    value text NOT NULL
);
CREATE INDEX label_attestations_by_dataset ON label_attestations (dataset, id);
CREATE TABLE label_maturity (
    agent text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE members (
    name text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE deliveries (
    id bigserial PRIMARY KEY,
    collection text NOT NULL,
    value text NOT NULL
);
CREATE INDEX deliveries_by_collection ON deliveries (collection, id);
