//! The one door for RDF read from outside: the import (`catalog::parse_document`, which the
//! validator's input and the seed use too) and the harvester's DCAT reader
//! (`harvest::dcat::parse_body`) hand every document to the parser through [`guard`].
//!
//! oxigraph's RDF/XML parser (`oxrdfxml` 0.2) reads the internal subset of a `<!DOCTYPE>` and
//! expands each `<!ENTITY>` into memory when it is declared, entities within entities included,
//! without a limit: 700 bytes of nested declarations ("billion laughs") become 10⁹ characters
//! and gigabytes of memory. (External entities, `SYSTEM "…"`, it refuses as a syntax error and
//! never fetches.) So an RDF/XML document that declares an entity is refused before the parser
//! sees the declaration: the guard passes the bytes through as they are read (nothing is
//! buffered) and stops at the first `<!ENTITY` (compared without case). Real DCAT documents do
//! not declare entities; an OWL file written with `&xsd;`-style abbreviations must have them
//! expanded first.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use oxigraph::io::RdfFormat;

/// The refusal, in both languages.
pub const REFUSAL_SV: &str = "RDF/XML med DTD-entiteter tas inte emot";
pub const REFUSAL_EN: &str = "RDF/XML with DTD entity declarations is not accepted";

/// The error the guard reads as (inside the parser's I/O error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityDeclaration;

impl std::fmt::Display for EntityDeclaration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{REFUSAL_EN} ({REFUSAL_SV})")
    }
}

impl std::error::Error for EntityDeclaration {}

const NEEDLE: &[u8] = b"<!ENTITY";

/// A reader that passes an RDF document through and fails at an entity declaration.
pub struct Guarded<R> {
    inner: R,
    /// Bytes of [`NEEDLE`] matched so far (`None`: not RDF/XML, nothing is checked).
    matched: Option<usize>,
    refused: Arc<AtomicBool>,
}

/// Set once the guard has refused its document: tells a parser's I/O error apart.
#[derive(Clone, Debug)]
pub struct Refused(Arc<AtomicBool>);

impl Refused {
    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Wraps `reader` for a parser of `format`: RDF/XML is checked for entity declarations, other
/// formats pass unchanged (they have no entities).
pub fn guard<R: Read>(format: RdfFormat, reader: R) -> Guarded<R> {
    Guarded { inner: reader, matched: (format == RdfFormat::RdfXml).then_some(0), refused: Arc::default() }
}

impl<R> Guarded<R> {
    /// Whether the document was refused, readable after the reader has moved into a parser.
    pub fn refused(&self) -> Refused {
        Refused(self.refused.clone())
    }
}

/// Feeds `bytes` to the matcher; true when `<!ENTITY` is complete.
fn scan(matched: &mut usize, bytes: &[u8]) -> bool {
    for &b in bytes {
        *matched = if b.eq_ignore_ascii_case(&NEEDLE[*matched]) {
            *matched + 1
        } else if b == b'<' {
            1
        } else {
            0
        };
        if *matched == NEEDLE.len() {
            return true;
        }
    }
    false
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.refused.load(Ordering::Relaxed) {
            return Err(io::Error::new(io::ErrorKind::InvalidData, EntityDeclaration));
        }
        let n = self.inner.read(buf)?;
        if let Some(matched) = &mut self.matched
            && scan(matched, &buf[..n])
        {
            // the chunk that completes the declaration is never handed on
            self.refused.store(true, Ordering::Relaxed);
            return Err(io::Error::new(io::ErrorKind::InvalidData, EntityDeclaration));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(format: RdfFormat, doc: &[u8], chunk: usize) -> io::Result<Vec<u8>> {
        // a reader that hands out `chunk` bytes at a time, so the needle spans reads
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        guard(format, Chunks(doc, chunk)).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn an_entity_declaration_is_refused_wherever_the_reads_split_it() {
        let doc = b"<?xml version=\"1.0\"?><!DOCTYPE rdf:RDF [<!ENTITY lol \"lol\">]><rdf:RDF/>";
        for chunk in 1..12 {
            let e = read_all(RdfFormat::RdfXml, doc, chunk).unwrap_err();
            assert!(e.get_ref().unwrap().downcast_ref::<EntityDeclaration>().is_some(), "{chunk}");
        }
        assert!(read_all(RdfFormat::RdfXml, b"<!doctype x [<!entity a 'b'>]>", 3).is_err(), "any case");
        // `<<!ENTITY`: a second `<` starts the match again
        assert!(read_all(RdfFormat::RdfXml, b"<<!ENTITY", 100).is_err());
    }

    #[test]
    fn other_documents_and_formats_pass_unchanged() {
        let doc = b"<?xml version=\"1.0\"?><!DOCTYPE rdf:RDF><rdf:RDF xmlns:rdf=\"x\"><!-- <!ENTIT --></rdf:RDF>";
        assert_eq!(read_all(RdfFormat::RdfXml, doc, 5).unwrap(), doc);
        let ttl = b"<a> <b> \"<!ENTITY\" .";
        assert_eq!(read_all(RdfFormat::Turtle, ttl, 4).unwrap(), ttl);
    }
}
