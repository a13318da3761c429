//! Validation: what regions check before the HDAB harvests and before a data delivery is sent,
//! and what the publishing tests check before anything is harvested.
//!
//! Owns: the SHACL engine behind one narrow interface ([`shacl`]) and the background data the
//! official shapes need but a catalogue does not carry ([`background`]: the members of the EU
//! controlled vocabularies, typed and in their schemes); the data collections and their
//! required columns ([`collection`]: published as Frictionless Table Schema and CSVW metadata)
//! and the streaming check of a delivery against them ([`extract`]). Does no network I/O:
//! `check-extract` runs on a region's own machine; shapes are read from files it is pointed at.
//! The quality score of data.europa.eu ([`mqa`], pure) and the service that computes it over
//! the catalogue ([`quality`]; its URL checks are the one network access here, online mode only).

pub mod background;
pub mod collection;
pub mod extract;
pub mod mqa;
pub mod quality;
pub mod shacl;
