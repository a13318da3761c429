//! The integration tests: one binary (each test binary links the whole stack, ~500 MB).

mod auth;
mod browser;
mod cli;
mod curation;
mod edit_codelist;
mod edit_record;
mod extract;
mod feed;
mod fixture_server;
mod harvest;
mod harvest_client;
mod import_web;
mod ingest;
mod model_roundtrip;
mod pages;
mod publish;
mod quality;
mod search;
mod search_web;
mod seed;
mod shapes;
mod sparql;
mod store;
mod support;
mod validator;
mod web_hardening;
