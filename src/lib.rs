//! Vårdkatalogen: a catalogue of Swedish health datasets and variables, published as
//! DCAT-AP-SE and HealthDCAT-AP.
//!
//! Data flows one way: sources (seed, imports) → [`model`] → [`store`] (the ground truth) →
//! [`publish`] and [`web`]. See ARCHITECTURE.md for the code map and its invariants.

pub mod accounts;
pub mod app;
pub mod backup;
pub mod catalog;
pub mod config;
pub mod control;
pub mod curation;
pub mod fault;
pub mod harvest;
pub mod ingest;
pub mod label;
pub mod ledger;
pub mod lists;
pub mod logging;
pub mod matching;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod net;
pub mod par;
pub mod publish;
pub mod rdf_input;
pub mod search;
pub mod seed;
pub mod services;
pub mod state;
pub mod store;
pub mod synthetic;
pub mod validate;
pub mod web;

/// Every allocation passes the thread's memory meter, if it has one (the SPARQL engine's
/// per-query budget; [`memory`]).
#[global_allocator]
static ALLOCATOR: memory::Counting = memory::Counting;
