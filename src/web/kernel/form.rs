//! Reading submitted forms: `application/x-www-form-urlencoded` and `multipart/form-data`
//! (file uploads) into one list of fields, so every handler reads a form the same way.
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

fn parse_multipart(content_type: &str, body: &[u8]) -> Result<FormData, FormError> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or(FormError::NoBoundary)?;
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

    #[test]
    fn a_truncated_multipart_body_is_an_error() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok";
        assert_eq!(FormData::parse("multipart/form-data; boundary=XyZ", body).unwrap_err(), FormError::Unterminated);
        assert_eq!(FormData::parse("multipart/form-data", body).unwrap_err(), FormError::NoBoundary);
    }
}
