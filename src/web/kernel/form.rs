//! Reading submitted forms: `application/x-www-form-urlencoded` and `multipart/form-data`
//! (file uploads) into one list of fields, so every handler reads a form the same way.
//!
//! [`MultipartStream`] reads a multipart body as it arrives, part by part, handing each
//! part's content on as a stream: for uploads checked while they stream in and never held
//! whole (`/kontroll/leverans`).
//!
//! Owns: body parsing only. The size limit, the CSRF check and the check of characters are
//! `web::auth::read_form`'s (through which every write route reads its form).

use thiserror::Error;

/// One submitted field; uploaded files carry their file name and content type.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

impl Field {
    /// The value as text (UTF-8, invalid bytes replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// Why a body could not be read as a form.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FormError {
    #[error("the form is multipart but names no boundary")]
    NoBoundary,
    #[error("the multipart form ends before its closing boundary")]
    Unterminated,
    #[error("the form could not be read as URL-encoded fields")]
    UrlEncoded,
}

/// A submitted form: its fields in the order they were sent.
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pub fields: Vec<Field>,
}

impl FormData {
    /// Parses a body given the request's `Content-Type`. Anything that is not multipart is read
    /// as URL-encoded.
    pub fn parse(content_type: &str, body: &[u8]) -> Result<Self, FormError> {
        if content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
            parse_multipart(content_type, body)
        } else {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| FormError::UrlEncoded)?;
            Ok(Self {
                fields: pairs
                    .into_iter()
                    .map(|(name, value)| Field { name, filename: None, content_type: None, data: value.into_bytes() })
                    .collect(),
            })
        }
    }

    /// The first value of `name` as text, if it was sent.
    pub fn text(&self, name: &str) -> Option<String> {
        self.fields.iter().find(|f| f.name == name && f.filename.is_none()).map(Field::text)
    }

    /// The first value of `name`, or the empty string.
    pub fn value(&self, name: &str) -> String {
        self.text(name).unwrap_or_default()
    }

    /// Every value of `name` (repeated fields, checkboxes), in order.
    #[allow(dead_code)] // the edit forms' repeated fields
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields.iter().filter(|f| f.name == name && f.filename.is_none()).map(Field::text).collect()
    }

    /// The uploaded file in `name`, if one was chosen (browsers send an empty part otherwise).
    pub fn file(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name && f.filename.is_some() && !f.data.is_empty())
    }
}

/// The boundary a multipart `Content-Type` names.
fn boundary_of(content_type: &str) -> Result<&str, FormError> {
    content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or(FormError::NoBoundary)
}

/// Whether a `Content-Type` is a multipart form.
pub fn is_multipart(content_type: &str) -> bool {
    content_type.trim_start().to_ascii_lowercase().starts_with("multipart/form-data")
}

/// Reads the `Content-Disposition` and `Content-Type` lines of a part's head.
fn part_head(head: &str) -> (String, Option<String>, Option<String>) {
    let mut name = String::new();
    let mut filename = None;
    let mut part_type = None;
    for line in head.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else { continue };
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                for param in value.split(';').map(str::trim) {
                    if let Some(v) = param.strip_prefix("name=") {
                        name = v.trim_matches('"').to_owned();
                    } else if let Some(v) = param.strip_prefix("filename=") {
                        filename = Some(v.trim_matches('"').to_owned());
                    }
                }
            }
            "content-type" => part_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    (name, filename, part_type)
}

/// The head of one part of a streamed multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartHead {
    pub name: String,
    /// Set for a file input (empty when no file was chosen).
    pub filename: Option<String>,
    pub content_type: Option<String>,
}

/// The most bytes of a part's head (its header lines).
const MAX_PART_HEAD: usize = 16 * 1024;

/// A multipart body read as it arrives: [`Self::next_part`] gives each part's head, then
/// [`Self::body`] reads its content up to the next boundary (what is left unread is skipped by
/// the next `next_part`). Only a window of the body is held: a few kilobytes beyond what the
/// reader of the content has taken.
pub struct MultipartStream<R> {
    inner: R,
    /// `\r\n--boundary`: a part's content ends where it begins.
    delimiter: Vec<u8>,
    buf: Vec<u8>,
    /// What of `buf` was handed on.
    start: usize,
    /// `buf[..scanned]` holds no start of the delimiter that ends before it.
    scanned: usize,
    /// Where in `buf` the delimiter was found.
    found: Option<usize>,
    eof: bool,
    /// The closing boundary was read.
    done: bool,
    /// Whether a part's content is being read (its head was read).
    in_part: bool,
}

fn invalid(text: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, text.to_owned())
}

impl<R: std::io::Read> MultipartStream<R> {
    pub fn new(content_type: &str, inner: R) -> Result<Self, FormError> {
        let boundary = boundary_of(content_type)?;
        Ok(Self {
            inner,
            delimiter: format!("\r\n--{boundary}").into_bytes(),
            // the body opens with the delimiter's second half: seen after a line break, it is
            // found like every later one
            buf: b"\r\n".to_vec(),
            start: 0,
            scanned: 0,
            found: None,
            eof: false,
            done: false,
            in_part: false,
        })
    }

    /// Reads more of the body into the window; `false` at its end.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.scanned = self.scanned.saturating_sub(self.start);
            self.found = self.found.map(|f| f - self.start);
            self.start = 0;
        }
        let at = self.buf.len();
        self.buf.resize(at + 64 * 1024, 0);
        let n = loop {
            match self.inner.read(&mut self.buf[at..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(at);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(at + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// Looks for the delimiter in what is held and not yet searched.
    fn scan(&mut self) {
        if self.found.is_some() {
            return;
        }
        let d = self.delimiter.len();
        let from = self.scanned.max(self.start);
        if self.buf.len() >= from + d
            && let Some(i) = find(&self.buf[from..], &self.delimiter)
        {
            self.found = Some(from + i);
            return;
        }
        // a delimiter may still begin in the last d - 1 bytes
        self.scanned = self.buf.len().saturating_sub(d - 1).max(from);
    }

    /// Reads the current part's content into `out`; 0 at its end.
    fn read_content(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if !self.in_part || out.is_empty() {
            return Ok(0);
        }
        loop {
            self.scan();
            let end = self.found.unwrap_or(self.scanned);
            if end > self.start {
                let n = (end - self.start).min(out.len());
                out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
                self.start += n;
                return Ok(n);
            }
            if self.found.is_some() {
                self.in_part = false;
                return Ok(0);
            }
            if !self.fill()? {
                return Err(invalid("the multipart form ends before its closing boundary"));
            }
        }
    }

    /// The next part's head; `None` after the closing boundary. The content of the part
    /// before, if not read to its end, is skipped.
    pub fn next_part(&mut self) -> std::io::Result<Option<PartHead>> {
        if self.done {
            return Ok(None);
        }
        let mut sink = [0u8; 8192];
        while self.in_part {
            self.read_content(&mut sink)?;
        }
        // find the delimiter (the first one, before any part)
        loop {
            self.scan();
            if let Some(f) = self.found {
                self.start = f + self.delimiter.len();
                self.scanned = self.start;
                self.found = None;
                break;
            }
            self.start = self.scanned;
            if !self.fill()? {
                return Err(invalid("the multipart form ends before its closing boundary"));
            }
        }
        // `--` closes the body; otherwise the rest of the line, then the head
        while self.buf.len() < self.start + 2 {
            if !self.fill()? {
                return Err(invalid("the multipart form ends before its closing boundary"));
            }
        }
        if &self.buf[self.start..self.start + 2] == b"--" {
            self.done = true;
            return Ok(None);
        }
        let head_end = loop {
            if let Some(i) = find(&self.buf[self.start..], b"\r\n\r\n") {
                break self.start + i;
            }
            if self.buf.len() - self.start > MAX_PART_HEAD {
                return Err(invalid("a part of the multipart form has too long a head"));
            }
            if !self.fill()? {
                return Err(invalid("the multipart form ends before its closing boundary"));
            }
        };
        // the head's first line is what followed the boundary (nothing, or spaces)
        let head = String::from_utf8_lossy(&self.buf[self.start..head_end]).into_owned();
        let (name, filename, content_type) = part_head(&head);
        // the content starts after the blank line and ends where the next delimiter begins
        self.start = head_end + 4;
        self.scanned = self.start;
        self.found = None;
        self.in_part = true;
        Ok(Some(PartHead { name, filename, content_type }))
    }

    /// The current part's content as a reader.
    pub fn body(&mut self) -> PartBody<'_, R> {
        PartBody { stream: self }
    }
}

/// The content of one part of a [`MultipartStream`].
pub struct PartBody<'a, R> {
    stream: &'a mut MultipartStream<R>,
}

impl<R: std::io::Read> std::io::Read for PartBody<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.stream.read_content(out)
    }
}

fn parse_multipart(content_type: &str, body: &[u8]) -> Result<FormData, FormError> {
    let boundary = boundary_of(content_type)?;
    let delimiter = format!("--{boundary}");
    let mut rest = match find(body, delimiter.as_bytes()) {
        Some(i) => &body[i + delimiter.len()..],
        None => return Err(FormError::Unterminated),
    };
    let next_delimiter = format!("\r\n--{boundary}");
    let mut fields = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(FormData { fields });
        }
        let rest_after_crlf = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let end = find(rest_after_crlf, next_delimiter.as_bytes()).ok_or(FormError::Unterminated)?;
        let part = &rest_after_crlf[..end];
        rest = &rest_after_crlf[end + next_delimiter.len()..];
        let (head, data) = match find(part, b"\r\n\r\n") {
            Some(split) => (&part[..split], &part[split + 4..]),
            None => (part, &[][..]),
        };
        let head = String::from_utf8_lossy(head);
        let mut name = String::new();
        let mut filename = None;
        let mut part_type = None;
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else { continue };
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').map(str::trim) {
                        if let Some(v) = param.strip_prefix("name=") {
                            name = v.trim_matches('"').to_owned();
                        } else if let Some(v) = param.strip_prefix("filename=") {
                            filename = Some(v.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => part_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        fields.push(Field { name, filename, content_type: part_type, data: data.to_vec() });
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_url_encoded_fields_in_order() {
        let form = FormData::parse("application/x-www-form-urlencoded", b"a=1&b=x+y&a=%C3%A5").unwrap();
        assert_eq!(form.all("a"), ["1", "å"]);
        assert_eq!(form.value("b"), "x y");
        assert_eq!(form.text("c"), None);
    }

    #[test]
    fn reads_multipart_fields_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nA;B\r\n1;2\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"tom\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n";
        let form = FormData::parse("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(form.value("csrf"), "tok");
        let file = form.file("fil").unwrap();
        assert_eq!(file.filename.as_deref(), Some("a.csv"));
        assert_eq!(file.content_type.as_deref(), Some("text/csv"));
        assert_eq!(file.data, b"A;B\r\n1;2\r\n");
        assert!(form.file("tom").is_none(), "an empty file input is no file");
    }

    /// Reads a body one byte at a time (every boundary split across reads).
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() || out.is_empty() {
                return Ok(0);
            }
            out[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    #[test]
    fn a_streamed_multipart_body_gives_each_part_and_its_content() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"tom\"; filename=\"\"\r\n\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nA;B\r\n1;2\r\n--XyY\r\n--Xy\r\n--XyZ\r\nContent-Disposition: form-data; name=\"sist\"\r\n\r\nx\r\n--XyZ--\r\n";
        for trickle in [false, true] {
            let reader: Box<dyn std::io::Read> = if trickle { Box::new(Trickle(body)) } else { Box::new(&body[..]) };
            let mut stream = MultipartStream::new("multipart/form-data; boundary=XyZ", reader).unwrap();
            let mut seen = Vec::new();
            while let Some(head) = stream.next_part().unwrap() {
                let mut content = Vec::new();
                if head.name != "sist" {
                    std::io::Read::read_to_end(&mut stream.body(), &mut content).unwrap();
                }
                seen.push((head.name, head.filename, String::from_utf8(content).unwrap()));
            }
            assert_eq!(
                seen,
                [
                    ("csrf".to_owned(), None, "tok".to_owned()),
                    ("tom".to_owned(), Some(String::new()), String::new()),
                    ("fil".to_owned(), Some("a.csv".to_owned()), "A;B\r\n1;2\r\n--XyY\r\n--Xy".to_owned()),
                    ("sist".to_owned(), None, String::new()),
                ],
                "trickle: {trickle}"
            );
        }
        let cut = &body[..body.len() - 30];
        let mut stream = MultipartStream::new("multipart/form-data; boundary=XyZ", cut).unwrap();
        let mut failed = false;
        while !failed {
            match stream.next_part() {
                Ok(Some(_)) => failed = std::io::Read::read_to_end(&mut stream.body(), &mut Vec::new()).is_err(),
                Ok(None) => panic!("a cut body has no end"),
                Err(_) => failed = true,
            }
        }
    }

    #[test]
    fn a_truncated_multipart_body_is_an_error() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok";
        assert_eq!(FormData::parse("multipart/form-data; boundary=XyZ", body).unwrap_err(), FormError::Unterminated);
        assert_eq!(FormData::parse("multipart/form-data", body).unwrap_err(), FormError::NoBoundary);
    }
}
