//! The seed catalogue (`catalog-seed/*.ttl`), embedded at build time.
//!
//! The Turtle files use relative IRIs and no `@base`: they are resolved against the configured
//! base IRI, so the same seed serves any deployment.

include!(concat!(env!("OUT_DIR"), "/seed_files.rs"));
