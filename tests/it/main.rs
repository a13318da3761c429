//! The integration tests: one binary (each test binary links the whole stack, ~500 MB).

mod browser;
mod cli;
mod extract;
mod model_roundtrip;
mod pages;
mod search;
mod search_web;
mod seed;
mod store;
mod support;
