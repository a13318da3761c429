//! Validation: what regions check before the HDAB harvests and before a data delivery is sent.
//!
//! Owns: the data collections and their required columns ([`collection`]: published as
//! Frictionless Table Schema and CSVW metadata) and the streaming check of a delivery against
//! them ([`extract`]). Does no network I/O: `check-extract` runs on a region's own machine.

pub mod collection;
pub mod extract;
