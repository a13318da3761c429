//! Citing one published version of a record (a variable, above all): a citation in words
//! (Swedish or English), BibTeX, CSL-JSON and RIS, naming the version and its versioned IRI.
//!
//! Owns the formats and their escaping; the facts (title, owner, register, version, date,
//! address) are gathered by the caller. Output is stable: the same version gives the same
//! bytes (the key is made of the record id and the version), so a reference manager sees a
//! duplicate as one.
//!
//! Choices: the item is typed as a dataset (CSL `dataset`, RIS `DATA`; BibTeX has no such
//! type, so `@misc` with biblatex's `version` and `date` beside classic `year` and
//! `howpublished`); the owner is a corporate author (`literal` in CSL, double braces in
//! BibTeX); the register that holds the variable is the container.

use chrono::{Datelike, NaiveDate};
use serde_json::json;

/// The facts of one citation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// Stable key: `vardkatalogen-{id}-v{n}`.
    pub key: String,
    /// The record's label, with its technical name: "Huvuddiagnos (HDIA)".
    pub title: String,
    /// Organisations responsible (the spec owner, else the catalogue's publisher).
    pub authors: Vec<String>,
    /// The register or dataset that holds it.
    pub container: Option<String>,
    /// The catalogue's name.
    pub publisher: String,
    pub version: u64,
    /// The day the version was published.
    pub issued: NaiveDate,
    /// The versioned IRI.
    pub url: String,
    /// `sv` or `en`: the language of the title.
    pub lang: String,
}

/// The formats a citation is offered in: (`format` parameter, media type, file extension).
pub const FORMATS: &[(&str, &str, &str)] = &[
    ("bibtex", "application/x-bibtex; charset=utf-8", "bib"),
    ("csl-json", "application/vnd.citationstyles.csl+json", "json"),
    ("ris", "application/x-research-info-systems; charset=utf-8", "ris"),
    ("text", "text/plain; charset=utf-8", "txt"),
];

/// The key of a version of a record: `vardkatalogen-{id}-v{n}` (letters, digits, `-`).
pub fn key(id: &str, version: u64) -> String {
    let id: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    format!("vardkatalogen-{id}-v{version}")
}

/// One line: no line breaks or control characters inside a field.
fn line(s: &str) -> String {
    s.split(|c: char| c.is_control()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ").trim().to_owned()
}

/// Text for a BibTeX field: LaTeX's special characters written as commands, so that every
/// brace in the entry is one BibTeX counts as balanced.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            c => out.push(c),
        }
    }
    out
}

/// A URL for a BibTeX field: braces and backslashes (which no minted IRI holds) dropped.
fn tex_url(s: &str) -> String {
    line(s).chars().filter(|c| !matches!(c, '{' | '}' | '\\')).collect()
}

impl Citation {
    fn authors_text(&self) -> String {
        self.authors.iter().map(|a| line(a)).collect::<Vec<_>>().join(", ")
    }

    /// The citation in words, in `lang` (`sv` or `en`):
    /// "Socialstyrelsen (2025). Huvuddiagnos (HDIA). Version 3. I: Patientregistret.
    /// Vårdkatalogen. https://…/variable/par-hdia/version/3".
    pub fn text(&self, lang: &str) -> String {
        let en = lang == "en";
        let mut parts = Vec::new();
        let who = self.authors_text();
        let year = self.issued.year();
        parts.push(if who.is_empty() { format!("({year})") } else { format!("{who} ({year})") });
        parts.push(line(&self.title));
        parts.push(format!("Version {}", self.version));
        if let Some(c) = &self.container {
            parts.push(format!("{} {}", if en { "In:" } else { "I:" }, line(c)));
        }
        parts.push(line(&self.publisher));
        let mut text = parts.join(". ");
        text.push_str(". ");
        text.push_str(&line(&self.url));
        text
    }

    /// One BibTeX `@misc` entry.
    pub fn bibtex(&self) -> String {
        let mut fields: Vec<(&str, String)> = Vec::new();
        if !self.authors.is_empty() {
            fields.push(("author", self.authors.iter().map(|a| format!("{{{}}}", tex(a))).collect::<Vec<_>>().join(" and ")));
        }
        fields.push(("title", format!("{{{}}}", tex(&self.title))));
        if let Some(c) = &self.container {
            fields.push(("booktitle", tex(c)));
        }
        fields.push(("publisher", tex(&self.publisher)));
        fields.push(("organization", tex(&self.publisher)));
        fields.push(("version", self.version.to_string()));
        fields.push(("year", self.issued.year().to_string()));
        fields.push(("date", self.issued.format("%Y-%m-%d").to_string()));
        fields.push(("url", tex_url(&self.url)));
        fields.push(("howpublished", format!("\\url{{{}}}", tex_url(&self.url))));
        fields.push(("langid", if self.lang == "en" { "english" } else { "swedish" }.to_owned()));
        let mut out = format!("@misc{{{},\n", self.key);
        for (name, value) in fields {
            out.push_str(&format!("  {name} = {{{value}}},\n"));
        }
        out.push_str("}\n");
        out
    }

    /// CSL-JSON: an array holding the one item.
    pub fn csl_json(&self) -> String {
        let mut item = json!({
            "id": self.key,
            "type": "dataset",
            "title": line(&self.title),
            "publisher": line(&self.publisher),
            "version": self.version.to_string(),
            "issued": { "date-parts": [[self.issued.year(), self.issued.month(), self.issued.day()]] },
            "URL": line(&self.url),
            "language": self.lang,
        });
        if !self.authors.is_empty() {
            item["author"] = self.authors.iter().map(|a| json!({ "literal": line(a) })).collect();
        }
        if let Some(c) = &self.container {
            item["container-title"] = json!(line(c));
        }
        let mut out = serde_json::to_string_pretty(&json!([item])).unwrap_or_default();
        out.push('\n');
        out
    }

    /// RIS: `TY  - DATA` … `ER  - `, lines ended by CR LF.
    pub fn ris(&self) -> String {
        let mut lines: Vec<(&str, String)> = vec![("TY", "DATA".into())];
        for a in &self.authors {
            lines.push(("AU", line(a)));
        }
        lines.push(("TI", line(&self.title)));
        if let Some(c) = &self.container {
            lines.push(("T2", line(c)));
        }
        lines.push(("PB", line(&self.publisher)));
        lines.push(("ET", format!("Version {}", self.version)));
        lines.push(("PY", self.issued.year().to_string()));
        lines.push(("DA", self.issued.format("%Y/%m/%d/").to_string()));
        lines.push(("UR", line(&self.url)));
        lines.push(("LA", self.lang.clone()));
        lines.push(("ID", self.key.clone()));
        let mut out = String::new();
        for (tag, value) in lines {
            out.push_str(&format!("{tag}  - {value}\r\n"));
        }
        out.push_str("ER  - \r\n");
        out
    }

    /// The citation in a format of [`FORMATS`] (`text` in `lang`); `None` for an unknown one.
    pub fn render(&self, format: &str, lang: &str) -> Option<String> {
        match format {
            "bibtex" => Some(self.bibtex()),
            "csl-json" => Some(self.csl_json()),
            "ris" => Some(self.ris()),
            "text" => Some(self.text(lang) + "\n"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation() -> Citation {
        Citation {
            key: key("par-hdia", 3),
            title: "Huvuddiagnos {HDIA} 50% & _x_".into(),
            authors: vec!["Socialstyrelsen".into()],
            container: Some("Patientregistret".into()),
            publisher: "Vårdkatalogen".into(),
            version: 3,
            issued: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            url: "https://katalog.example.se/variable/par-hdia/version/3".into(),
            lang: "sv".into(),
        }
    }

    /// Braces as BibTeX counts them: every `{` closed, never below zero.
    fn balanced(s: &str) -> bool {
        let mut depth = 0i32;
        for c in s.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        depth == 0
    }

    #[test]
    fn bibtex_has_balanced_braces_a_stable_key_and_escaped_text() {
        let b = citation().bibtex();
        assert!(b.starts_with("@misc{vardkatalogen-par-hdia-v3,\n"), "{b}");
        assert!(balanced(&b), "{b}");
        assert!(b.contains("version = {3}") && b.contains("year = {2025}") && b.contains("date = {2025-06-01}"));
        assert!(b.contains("author = {{Socialstyrelsen}}"), "a corporate author is not split into names");
        assert!(b.contains("\\textbraceleft{}HDIA\\textbraceright{} 50\\% \\& \\_x\\_"), "{b}");
        assert!(b.contains("url = {https://katalog.example.se/variable/par-hdia/version/3}"));
        assert_eq!(b, citation().bibtex(), "the same version gives the same entry");
        assert_eq!(key("par hdia/x", 2), "vardkatalogen-par-hdia-x-v2");
    }

    #[test]
    fn csl_json_is_an_array_with_the_required_fields() {
        let v: serde_json::Value = serde_json::from_str(&citation().csl_json()).unwrap();
        let item = &v.as_array().unwrap()[0];
        assert_eq!(item["id"], "vardkatalogen-par-hdia-v3");
        assert_eq!(item["type"], "dataset");
        assert_eq!(item["version"], "3");
        assert_eq!(item["issued"]["date-parts"][0], json!([2025, 6, 1]));
        assert_eq!(item["author"][0]["literal"], "Socialstyrelsen");
        assert_eq!(item["container-title"], "Patientregistret");
        assert_eq!(item["URL"], "https://katalog.example.se/variable/par-hdia/version/3");
    }

    #[test]
    fn ris_starts_with_ty_and_ends_with_er_on_crlf_lines() {
        let r = citation().ris();
        let lines: Vec<&str> = r.split("\r\n").collect();
        assert_eq!(lines[0], "TY  - DATA");
        assert_eq!(lines[lines.len() - 2], "ER  - ");
        assert_eq!(lines[lines.len() - 1], "", "the last line ends too");
        assert!(lines.iter().all(|l| l.is_empty() || l.len() >= 6 && &l[2..6] == "  - "), "{lines:?}");
        assert!(lines.contains(&"ET  - Version 3") && lines.contains(&"DA  - 2025/06/01/"));
    }

    #[test]
    fn text_names_the_version_in_either_language_and_fields_stay_on_one_line() {
        let mut c = citation();
        c.title = "Huvud\ndiagnos".into();
        assert_eq!(
            c.text("sv"),
            "Socialstyrelsen (2025). Huvud diagnos. Version 3. I: Patientregistret. Vårdkatalogen. https://katalog.example.se/variable/par-hdia/version/3"
        );
        assert!(c.text("en").contains(". In: Patientregistret."));
        assert!(!c.ris().contains("Huvud\n") && !c.bibtex().contains("Huvud\n"));
        assert!(c.render("docx", "sv").is_none());
    }
}
