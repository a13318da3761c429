//! Validation: what regions check before the HDAB harvests and before a data delivery is sent,
//! and what the publishing tests check before anything is harvested.
//!
//! Owns: the SHACL engine behind one narrow interface ([`shacl`]) and the background data the
//! official shapes need but a catalogue does not carry ([`background`]: the members of the EU
//! controlled vocabularies, typed and in their schemes); the data collections and their
//! required columns ([`collection`]: published as Frictionless Table Schema and CSVW metadata)
//! and the streaming check of a delivery against them ([`extract`]); the project's own shapes and
//! the metadata validator ([`rules`]) with its input ([`input`]); the quality score of
//! data.europa.eu ([`mqa`], pure) and the service that computes it over the catalogue
//! ([`quality`]). Network I/O happens only when a person asks for it: [`input::fetch`] to
//! validate a URL, and the quality score's URL checks in online mode. `check-extract` runs on a
//! region's own machine with no network.

pub mod background;
pub mod collection;
pub mod ehds;
pub mod extract;
pub mod input;
pub mod mqa;
pub mod quality;
pub mod rules;
pub mod shacl;
