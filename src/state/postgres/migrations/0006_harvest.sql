-- Harvest bookkeeping (state::harvest): run reports (JSON), what each source last wrote per
-- record (JSON), and the sources added on the admin page (their JSON, as given).
CREATE SEQUENCE harvest_run_ids;
CREATE TABLE harvest_runs (
    id bigint PRIMARY KEY,
    source text NOT NULL,
    value text NOT NULL
);
CREATE INDEX harvest_runs_by_source ON harvest_runs (source, id);
CREATE TABLE harvest_owned (
    source text NOT NULL,
    iri text NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (source, iri)
);
CREATE TABLE harvest_sources (
    id text PRIMARY KEY,
    value bytea NOT NULL
);
