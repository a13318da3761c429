//! Minting and reading record IRIs: `{base}{kind}/{id}` (DESIGN.md decision 2).
//!
//! This is the one place that knows how a record IRI is built from the configured base, so
//! pages, redirects and published RDF agree.

use oxigraph::model::NamedNode;

use super::ModelError;
use super::record::RecordKind;

/// Builds and parses record IRIs under one base.
#[derive(Clone, Debug)]
pub struct Minter {
    base: String,
}

impl Minter {
    /// `base` must be an absolute IRI ending in `/` (checked by `config`).
    pub fn new(base: &str) -> Self {
        Self { base: base.to_owned() }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `{base}catalog`.
    pub fn catalog(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{}catalog", self.base))
    }

    /// `{base}{kind}/{id}`; a concept's id is `{list}/{code}`.
    pub fn record(&self, kind: RecordKind, id: &str) -> Result<NamedNode, ModelError> {
        match kind {
            RecordKind::Catalog => Ok(self.catalog()),
            RecordKind::Concept => {
                let (list, code) = id.split_once('/').ok_or_else(|| ModelError::InvalidId { id: id.to_owned() })?;
                self.concept(list, code)
            }
            _ => {
                check_slug(id)?;
                Ok(NamedNode::new_unchecked(format!("{}{}/{}", self.base, kind.as_str(), id)))
            }
        }
    }

    /// `{base}codelist/{list}/{code}` with the code percent-encoded where it must be.
    pub fn concept(&self, list: &str, code: &str) -> Result<NamedNode, ModelError> {
        check_slug(list)?;
        if code.is_empty() {
            return Err(ModelError::InvalidId { id: format!("{list}/") });
        }
        Ok(NamedNode::new_unchecked(format!("{}codelist/{}/{}", self.base, list, encode_segment(code))))
    }

    /// `{base}{kind}/{id}/version/{n}`: the IRI of version `n` of a record minted here (not a
    /// code: a code's versions are its list's business). `None` for any other IRI.
    pub fn version(&self, record: &NamedNode, n: u64) -> Option<NamedNode> {
        match self.parse(record.as_str())? {
            (RecordKind::Concept | RecordKind::Catalog, _) => None,
            _ => Some(NamedNode::new_unchecked(format!("{}/version/{n}", record.as_str()))),
        }
    }

    /// The record and version number of a version IRI made by [`Minter::version`].
    pub fn parse_version(&self, iri: &str) -> Option<(RecordKind, String, u64)> {
        let (record, n) = iri.rsplit_once("/version/")?;
        let n: u64 = n.parse().ok().filter(|n| *n > 0)?;
        match self.parse(record)? {
            (RecordKind::Concept | RecordKind::Catalog, _) => None,
            (kind, id) => Some((kind, id, n)),
        }
    }

    /// The kind and id of a record IRI under this base (`("dataset", "lisa")`), or `None` for
    /// an IRI minted elsewhere.
    pub fn parse(&self, iri: &str) -> Option<(RecordKind, String)> {
        let rest = iri.strip_prefix(&self.base)?;
        if rest == "catalog" {
            return Some((RecordKind::Catalog, String::new()));
        }
        let (segment, id) = rest.split_once('/')?;
        let kind = RecordKind::parse(segment)?;
        match kind {
            RecordKind::CodeList if id.contains('/') => {
                let (list, code) = id.split_once('/')?;
                // a minted code is one segment (its own `/` encoded): more is a version IRI
                if code.contains('/') {
                    return None;
                }
                Some((RecordKind::Concept, format!("{list}/{}", decode_segment(code))))
            }
            RecordKind::Concept | RecordKind::Catalog => None,
            _ if id.is_empty() || id.contains('/') || id.contains('#') => None,
            _ => Some((kind, id.to_owned())),
        }
    }

    /// The site-relative path of a record IRI under this base (`/dataset/lisa`); a foreign IRI
    /// is shown through `/resurs?iri=`.
    pub fn path(&self, iri: &str) -> String {
        match iri.strip_prefix(&self.base) {
            // `{base}/x` would give the network path `//x`: such an IRI goes through /resurs
            Some(rest) if !rest.is_empty() && !rest.starts_with(['/', '\\']) => format!("/{rest}"),
            _ => format!("/resurs?iri={}", encode_query(iri)),
        }
    }
}

/// Ids are readable slugs: `a-z`, `0-9` and `-`, starting with a letter or digit.
pub fn check_slug(id: &str) -> Result<(), ModelError> {
    let ok = !id.is_empty()
        && id.len() <= 120
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if ok { Ok(()) } else { Err(ModelError::InvalidId { id: id.to_owned() }) }
}

/// Makes a slug from a free name: `Läkemedelsregistret` → `lakemedelsregistret`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ì' => 'i',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if mapped == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(mapped);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn encode_query(s: &str) -> String {
    encode_segment(s)
}

/// Decodes `%XX` escapes (invalid escapes are kept as they are).
pub fn decode_segment(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mints_and_parses_every_kind() {
        let m = Minter::new("https://katalog.example.se/");
        let v = m.record(RecordKind::Variable, "par-hdia").unwrap();
        assert_eq!(v.as_str(), "https://katalog.example.se/variable/par-hdia");
        assert_eq!(m.parse(v.as_str()), Some((RecordKind::Variable, "par-hdia".into())));
        let c = m.concept("icd", "S72.0 X/Y").unwrap();
        assert_eq!(c.as_str(), "https://katalog.example.se/codelist/icd/S72.0%20X%2FY");
        assert_eq!(m.parse(c.as_str()), Some((RecordKind::Concept, "icd/S72.0 X/Y".into())));
        assert_eq!(m.parse("https://elsewhere.se/dataset/x"), None);
        assert!(m.record(RecordKind::Dataset, "Bad Id").is_err());
        assert_eq!(m.path("https://katalog.example.se/dataset/lisa"), "/dataset/lisa");
    }

    #[test]
    fn version_iris_sit_under_the_record_iri_and_parse_back() {
        let m = Minter::new("https://katalog.example.se/");
        let v = m.record(RecordKind::Variable, "par-hdia").unwrap();
        let v3 = m.version(&v, 3).unwrap();
        assert_eq!(v3.as_str(), "https://katalog.example.se/variable/par-hdia/version/3");
        assert_eq!(m.parse_version(v3.as_str()), Some((RecordKind::Variable, "par-hdia".into(), 3)));
        assert_eq!(m.parse(v3.as_str()), None, "a version IRI is not a record IRI");
        assert_eq!(m.path(v3.as_str()), "/variable/par-hdia/version/3");
        assert!(m.version(&m.concept("kon", "1").unwrap(), 1).is_none(), "codes have no version IRIs");
        let list = m.version(&m.record(RecordKind::CodeList, "kon").unwrap(), 2).unwrap();
        assert_eq!(m.parse(list.as_str()), None, "nor is a code list's version IRI a code");
        assert_eq!(m.parse_version(list.as_str()), Some((RecordKind::CodeList, "kon".into(), 2)));
        assert!(m.version(&NamedNode::new("https://elsewhere.se/variable/x").unwrap(), 1).is_none());
        assert_eq!(m.parse_version("https://katalog.example.se/variable/par-hdia/version/0"), None);
        assert_eq!(m.parse_version("https://katalog.example.se/variable/par-hdia/version/x"), None);
    }

    #[test]
    fn slugs_fold_swedish_letters() {
        assert_eq!(slugify("Läkemedelsregistret"), "lakemedelsregistret");
        assert_eq!(slugify("  Region Jämtland Härjedalen "), "region-jamtland-harjedalen");
    }
}
