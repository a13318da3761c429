//! What the validator reads: a document in any RDF format, given as bytes (an upload, pasted
//! text, a file) or fetched from a URL, parsed once into one graph.
//!
//! Owns: choosing the format (a stated format, then the Content-Type, then the file name, then
//! the bytes themselves, since servers often say `text/plain` or `application/octet-stream`),
//! syntax errors with line and column, and fetching with a time limit, a size limit and — for
//! the public web page — a refusal of addresses inside the server's own network.

use std::io::Read;
use std::time::Duration;

use oxigraph::io::RdfFormat;
use oxigraph::model::Graph;

use crate::catalog::{ImportError, format_from_name, parse_document};
use crate::net::{Guard, UrlRefused};

/// At most this much is read from a URL or accepted as an upload.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why the input could not be read. The messages name the place in the input.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{format}: syntax error at line {line}, column {column}: {message}")]
    Syntax { format: &'static str, line: u64, column: u64, message: String },
    #[error("{format}: the document could not be read: {message}")]
    Unreadable { format: &'static str, message: String },
    #[error("{}", crate::rdf_input::REFUSAL_EN)]
    EntityDeclarations,
    #[error("the document is empty")]
    Empty,
    #[error("the document is larger than {} MB", MAX_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("{0} is not an http or https URL")]
    NotHttp(String),
    #[error("{0} points inside the server's own network; give a public address or upload the file")]
    Private(String),
    #[error("fetching {url} failed: {message}")]
    Fetch { url: String, message: String },
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
}

impl InputError {
    /// The message in Swedish.
    pub fn swedish(&self) -> String {
        match self {
            Self::Syntax { format, line, column, message } => {
                format!("{format}: syntaxfel på rad {line}, kolumn {column}: {message}")
            }
            Self::Unreadable { format, message } => format!("{format}: dokumentet kunde inte läsas: {message}"),
            Self::EntityDeclarations => crate::rdf_input::REFUSAL_SV.into(),
            Self::Empty => "Dokumentet är tomt.".into(),
            Self::TooLarge => format!("Dokumentet är större än {} MB.", MAX_BYTES / 1024 / 1024),
            Self::NotHttp(u) => format!("{u} är inte en http- eller https-adress."),
            Self::Private(u) => {
                format!("{u} pekar in i serverns eget nät; ange en offentlig adress eller ladda upp filen.")
            }
            Self::Fetch { url, message } => format!("Hämtningen av {url} misslyckades: {message}"),
            Self::Status { url, status } => format!("{url} svarade med HTTP-status {status}."),
        }
    }

    pub fn in_language(&self, en: bool) -> String {
        if en { self.to_string() } else { self.swedish() }
    }
}

/// The name of a format as people know it.
pub fn format_name(format: RdfFormat) -> &'static str {
    match format {
        RdfFormat::Turtle => "Turtle",
        RdfFormat::RdfXml => "RDF/XML",
        RdfFormat::JsonLd { .. } => "JSON-LD",
        RdfFormat::NTriples => "N-Triples",
        RdfFormat::NQuads => "N-Quads",
        RdfFormat::TriG => "TriG",
        _ => "RDF",
    }
}

/// Guesses the format from the first bytes: XML, JSON, or else Turtle (which reads N-Triples).
pub fn sniff(bytes: &[u8]) -> RdfFormat {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).map_or(&text[..0], |i| &text[i..]);
    if start.starts_with(b"<?xml") || start.starts_with(b"<rdf:RDF") || start.starts_with(b"<RDF") {
        RdfFormat::RdfXml
    } else if start.starts_with(b"{") || start.starts_with(b"[") {
        RdfFormat::JsonLd { profile: Default::default() }
    } else {
        RdfFormat::Turtle
    }
}

/// Chooses the format: the stated one, then a specific Content-Type, then the file name's
/// extension, then the bytes.
pub fn choose_format(stated: Option<RdfFormat>, content_type: Option<&str>, name: Option<&str>, bytes: &[u8]) -> RdfFormat {
    if let Some(f) = stated {
        return f;
    }
    if let Some(f) = content_type.filter(|t| !is_generic(t)).and_then(RdfFormat::from_media_type) {
        return f;
    }
    if let Some(f) = name.and_then(|n| n.rsplit_once('.')).and_then(|(_, ext)| format_from_name(ext)) {
        return f;
    }
    sniff(bytes)
}

/// A Content-Type that says nothing reliable about the format (`text/plain` is N-Triples' old
/// media type, but servers send it for anything).
fn is_generic(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    matches!(essence.as_str(), "" | "text/plain" | "application/octet-stream" | "binary/octet-stream")
}

/// Parses the whole document once into one graph.
pub fn parse(bytes: &[u8], format: RdfFormat, base_iri: &str) -> Result<Graph, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let name = format_name(format);
    match parse_document(text, format, base_iri) {
        Ok(g) if g.is_empty() => Err(InputError::Empty),
        Ok(g) => Ok(g),
        Err(ImportError::Syntax { line, column, message }) => Err(InputError::Syntax { format: name, line, column, message }),
        Err(ImportError::EntityDeclarations) => Err(InputError::EntityDeclarations),
        Err(e) => Err(InputError::Unreadable { format: name, message: e.to_string() }),
    }
}

/// Reads a document: chooses its format ([`choose_format`]) and parses it once. When no format
/// was stated and the chosen one fails, the format the bytes look like is tried before the first
/// error is reported (servers and browsers mislabel RDF often).
pub fn read(
    bytes: &[u8],
    stated: Option<RdfFormat>,
    content_type: Option<&str>,
    name: Option<&str>,
    base_iri: &str,
) -> Result<(Graph, RdfFormat), InputError> {
    let format = choose_format(stated, content_type, name, bytes);
    match parse(bytes, format, base_iri) {
        Ok(g) => Ok((g, format)),
        Err(first @ (InputError::Syntax { .. } | InputError::Unreadable { .. })) if stated.is_none() => {
            let sniffed = sniff(bytes);
            if sniffed == format {
                return Err(first);
            }
            parse(bytes, sniffed, base_iri).map(|g| (g, sniffed)).map_err(|_| first)
        }
        Err(e) => Err(e),
    }
}

/// Fetches a document: at most [`MAX_BYTES`], within `timeout`. With `public_only` (the web
/// page), the request goes through the address guard ([`crate::net::Guard`]): a literal or a
/// name in loopback, private, link-local or any other network that is not the public internet
/// is refused, the connection goes to the very addresses that were checked, and each redirect
/// hop is checked the same way. Returns the bytes and the Content-Type the server gave.
pub fn fetch(url: &str, timeout: Duration, public_only: bool) -> Result<(Vec<u8>, Option<String>), InputError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| InputError::NotHttp(url.to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(InputError::NotHttp(url.to_owned()));
    }
    let refused = |r: UrlRefused| match r {
        UrlRefused::NotHttp(_) => InputError::NotHttp(url.to_owned()),
        UrlRefused::Address(_) => InputError::Private(url.to_owned()),
        UrlRefused::TooManyRedirects => InputError::Fetch { url: url.to_owned(), message: r.to_string() },
    };
    let builder = reqwest::blocking::Client::builder().timeout(timeout).user_agent(concat!(
        "vardkatalog/",
        env!("CARGO_PKG_VERSION"),
        " (validator)"
    ));
    let client = if public_only {
        let guard = Guard::public_only();
        guard.check_url(&parsed).map_err(refused)?;
        guard.client(builder)
    } else {
        builder.redirect(reqwest::redirect::Policy::limited(crate::net::MAX_REDIRECTS))
    }
    .build()
    .map_err(|e| InputError::Fetch { url: url.to_owned(), message: e.to_string() })?;
    let fetch_error = |e: reqwest::Error| match crate::net::refusal(&e) {
        Some(r) => refused(r),
        None => InputError::Fetch { url: url.to_owned(), message: e.to_string() },
    };
    let response = client
        .get(parsed)
        .header(
            reqwest::header::ACCEPT,
            "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, application/n-triples;q=0.8, */*;q=0.1",
        )
        .send()
        .map_err(fetch_error)?;
    if !response.status().is_success() {
        return Err(InputError::Status { url: url.to_owned(), status: response.status().as_u16() });
    }
    let content_type = response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut bytes = Vec::new();
    response.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(|e| InputError::Fetch { url: url.to_owned(), message: e.to_string() })?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(InputError::TooLarge);
    }
    Ok((bytes, content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_format_from_the_bytes() {
        assert_eq!(sniff(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?><rdf:RDF/>"), RdfFormat::RdfXml);
        assert!(matches!(sniff(b"\n{ \"@context\": {} }"), RdfFormat::JsonLd { .. }));
        assert_eq!(sniff(b"@prefix dct: <http://purl.org/dc/terms/> ."), RdfFormat::Turtle);
        assert_eq!(choose_format(None, Some("text/plain"), Some("a.rdf"), b"x"), RdfFormat::RdfXml);
        assert_eq!(choose_format(None, Some("application/n-triples"), None, b"<?xml"), RdfFormat::NTriples);
    }

    #[test]
    fn a_mislabelled_document_is_read_as_what_it_is() {
        let xml = br#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="https://x.example/a"><dct:title xml:lang="sv">A</dct:title></rdf:Description></rdf:RDF>"#;
        let (g, format) = read(xml, None, Some("text/turtle"), None, "https://x.example/").unwrap();
        assert_eq!((g.len(), format), (1, RdfFormat::RdfXml));
        assert!(read(xml, Some(RdfFormat::Turtle), None, None, "https://x.example/").is_err(), "a stated format is kept");
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let err = parse(
            b"@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title \"x\" ;\n  dct:title .\n",
            RdfFormat::Turtle,
            "https://x.example/",
        )
        .unwrap_err();
        match &err {
            InputError::Syntax { line, .. } => assert_eq!(*line, 3, "{err}"),
            other => panic!("{other}"),
        }
        assert!(err.swedish().contains("rad 3"), "{}", err.swedish());
        assert!(matches!(parse(b"  \n", RdfFormat::Turtle, "https://x.example/"), Err(InputError::Empty)));
    }

    #[test]
    fn the_web_page_refuses_the_servers_own_network() {
        for url in [
            "http://127.0.0.1:1/x",
            "http://localhost/x",
            "http://10.1.2.3/",
            "http://[::1]/",
            "http://169.254.169.254/latest",
            "http://[::127.0.0.1]/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert!(matches!(fetch(url, Duration::from_secs(1), true), Err(InputError::Private(_))), "{url}");
        }
        assert!(matches!(fetch("file:///etc/passwd", Duration::from_secs(1), true), Err(InputError::NotHttp(_))));
    }
}
