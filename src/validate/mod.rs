//! Validation of catalogue RDF against SHACL shapes.
//!
//! Owns: the SHACL engine behind one narrow interface ([`shacl`]) and the background data the
//! official shapes need but a catalogue does not carry ([`background`]: the members of the EU
//! controlled vocabularies, typed and in their schemes). Does no I/O except reading the shapes
//! files it is pointed at. Used by the publishing tests (issue 5) and by the regions' validator
//! (issue 7).

pub mod background;
pub mod shacl;
