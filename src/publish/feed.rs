//! The change feed: published changes as Atom 1.0 (RFC 4287), for the whole catalogue
//! (`/feed.atom`) and for one dataset with its subsets, variables and code lists
//! (`/dataset/{id}/feed.atom`), so regions and harvesters can follow what changed.
//!
//! Owns: choosing the entries (public records, newest modification first; codes and agents are
//! left out: a code changes with its code list, an organisation is not a specification) and
//! writing the Atom document with XML escaping. An entry is one published version of a record:
//! its id is `{record IRI}#version-{n}`, its time the record's modification time, its summary
//! the change note (`adms:versionNotes`). Does not know HTTP.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};
use oxigraph::model::{NamedNode, Term};

use crate::catalog::Catalogue;
use crate::model::LangText;
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::adms;
use crate::store::StoreError;

/// How many entries a feed holds (the newest).
pub const FEED_SIZE: u64 = 100;

/// One published version of a record.
#[derive(Clone, Debug)]
pub struct Entry {
    pub iri: NamedNode,
    pub kind: RecordKind,
    pub title: LangText,
    pub version: u64,
    pub modified: DateTime<Utc>,
    pub retired: bool,
    /// The change note of this version.
    pub notes: LangText,
}

/// A feed: its identity and entries, newest first.
#[derive(Clone, Debug)]
pub struct Feed {
    /// The feed's own URL (also its id).
    pub self_url: String,
    /// The page it is the feed of.
    pub alternate: String,
    pub title: String,
    pub author: String,
    pub entries: Vec<Entry>,
}

fn included(kind: RecordKind) -> bool {
    !matches!(kind, RecordKind::Catalog | RecordKind::Concept | RecordKind::Agent)
}

/// The change note a record carries (`adms:versionNotes`).
pub fn version_notes(r: &Resource) -> LangText {
    match r {
        Resource::Dataset(d) => d.version_notes.clone(),
        Resource::Variable(v) => v.version_notes.clone(),
        other => {
            let mut t = LangText::new();
            for tr in other.extra().iter().filter(|t| t.predicate.as_ref() == adms::VERSION_NOTES) {
                if let Term::Literal(l) = &tr.object {
                    t.set(l.language().unwrap_or(""), l.value());
                }
            }
            t
        }
    }
}

fn entry(cat: &Catalogue, iri: &NamedNode) -> Result<Option<Entry>, StoreError> {
    let Some((meta, r)) = cat.public_resource(iri.as_ref())? else { return Ok(None) };
    if !included(meta.kind) {
        return Ok(None);
    }
    Ok(Some(Entry {
        notes: version_notes(&r),
        title: r.label().clone(),
        iri: meta.iri,
        kind: meta.kind,
        version: meta.version,
        modified: meta.modified,
        retired: meta.state == crate::store::RecordState::Retired,
    }))
}

/// The newest published changes in the whole catalogue.
pub fn catalogue_entries(cat: &Catalogue, limit: u64) -> Result<Vec<Entry>, StoreError> {
    let mut out = Vec::new();
    for g in crate::store::queries::newest_public_changes(cat.store(), limit)? {
        if let Some(e) = entry(cat, &g)? {
            out.push(e);
        }
    }
    Ok(out)
}

/// The newest published changes of a dataset: itself, its subsets, their variables and the
/// variables' code lists. `None` when the dataset is not public.
pub fn dataset_entries(cat: &Catalogue, dataset: &NamedNode, limit: u64) -> Result<Option<Vec<Entry>>, StoreError> {
    let Some((_, Resource::Dataset(_))) = cat.public_resource(dataset.as_ref())? else { return Ok(None) };
    let mut iris: BTreeSet<NamedNode> = BTreeSet::from([dataset.clone()]);
    let mut datasets = vec![dataset.clone()];
    datasets.extend(cat.parts_of(dataset)?);
    for d in &datasets {
        iris.insert(d.clone());
        for v in cat.variables_of_dataset(d)? {
            if let Some((_, Resource::Variable(var))) = cat.public_resource(v.as_ref())?
                && let Some(l) = var.representation.as_ref().and_then(|r| r.code_list())
            {
                iris.insert(l.clone());
            }
            iris.insert(v);
        }
    }
    let mut out = Vec::new();
    for iri in &iris {
        if let Some(e) = entry(cat, iri)? {
            out.push(e);
        }
    }
    out.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| a.iri.cmp(&b.iri)));
    out.truncate(limit as usize);
    Ok(Some(out))
}

/// Text escaped for XML content and attribute values; characters XML 1.0 forbids become
/// U+FFFD (`model::chars`, the rule of the RDF/XML writer too).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if crate::model::chars::forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Feed {
    /// The Atom document. `site` is the absolute root pages are served under (ending in `/`);
    /// `path_of` maps a record IRI to its page path (`/dataset/x`).
    pub fn to_atom(&self, lang: &str, site: &str, path_of: &dyn Fn(&str) -> String) -> String {
        let en = lang == "en";
        let updated =
            self.entries.iter().map(|e| e.modified).max().unwrap_or_else(|| DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default());
        let mut x = String::new();
        let _ = writeln!(x, r#"<?xml version="1.0" encoding="utf-8"?>"#);
        let _ = writeln!(x, r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{}">"#, if en { "en" } else { "sv" });
        let _ = writeln!(x, "  <id>{}</id>", escape(&self.self_url));
        let _ = writeln!(x, "  <title>{}</title>", escape(&self.title));
        let _ = writeln!(x, "  <updated>{}</updated>", time(updated));
        let _ = writeln!(x, "  <author><name>{}</name></author>", escape(&self.author));
        let _ = writeln!(x, r#"  <link rel="self" type="application/atom+xml" href="{}"/>"#, escape(&self.self_url));
        let _ = writeln!(x, r#"  <link rel="alternate" type="text/html" href="{}"/>"#, escape(&self.alternate));
        let _ = writeln!(x, "  <generator>Vårdkatalogen</generator>");
        for e in &self.entries {
            let link = format!("{}{}", site.trim_end_matches('/'), path_of(e.iri.as_str()));
            let id = if e.iri.as_str().contains('#') {
                format!("{}-version-{}", e.iri.as_str(), e.version)
            } else {
                format!("{}#version-{}", e.iri.as_str(), e.version)
            };
            let kind = capital(e.kind.label(lang));
            let what = match (e.retired, en) {
                (true, true) => format!("retired (version {})", e.version),
                (true, false) => format!("utfasad (version {})", e.version),
                (false, _) => format!("version {}", e.version),
            };
            let title = format!("{kind}: {} – {what}", e.title.best(lang));
            let _ = writeln!(x, "  <entry>");
            let _ = writeln!(x, "    <id>{}</id>", escape(&id));
            let _ = writeln!(x, "    <title>{}</title>", escape(&title));
            let _ = writeln!(x, "    <updated>{}</updated>", time(e.modified));
            let _ = writeln!(x, r#"    <link rel="alternate" type="text/html" href="{}"/>"#, escape(&link));
            let _ = writeln!(x, r#"    <link rel="related" href="{}"/>"#, escape(e.iri.as_str()));
            let _ = writeln!(x, r#"    <category term="{}"/>"#, e.kind.as_str());
            let note = e.notes.best(lang);
            let summary =
                if note.is_empty() { if en { "No change note." } else { "Ingen ändringsnotering." }.to_owned() } else { note.to_owned() };
            match e.notes.fallback_lang(lang).filter(|_| !note.is_empty()) {
                Some(l) if !l.is_empty() => {
                    let _ = writeln!(x, r#"    <summary xml:lang="{}">{}</summary>"#, escape(l), escape(&summary));
                }
                _ => {
                    let _ = writeln!(x, "    <summary>{}</summary>", escape(&summary));
                }
            }
            let _ = writeln!(x, "  </entry>");
        }
        x.push_str("</feed>\n");
        x
    }
}

/// One entry of the feed of classified changes (`/andringar.atom`): everything already in
/// words, in the feed's language.
#[derive(Clone, Debug)]
pub struct ChangeEntry {
    /// `{record IRI}#version-{n}`, or `…-retired` for a retirement.
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    /// The page of the version (absolute).
    pub link: String,
    /// The record IRI.
    pub related: String,
    /// The record kind (`variable` …) and the class of the change (`bryter` …).
    pub categories: Vec<String>,
    pub summary: String,
}

/// The feed of classified changes as an Atom document. `updated` is the newest entry's time
/// (the epoch when there is none, so an empty feed is still valid).
pub fn changes_atom(self_url: &str, alternate: &str, title: &str, author: &str, lang: &str, entries: &[ChangeEntry]) -> String {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default());
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="utf-8"?>"#);
    let _ = writeln!(x, r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{}">"#, if lang == "en" { "en" } else { "sv" });
    let _ = writeln!(x, "  <id>{}</id>", escape(self_url));
    let _ = writeln!(x, "  <title>{}</title>", escape(title));
    let _ = writeln!(x, "  <updated>{}</updated>", time(updated));
    let _ = writeln!(x, "  <author><name>{}</name></author>", escape(author));
    let _ = writeln!(x, r#"  <link rel="self" type="application/atom+xml" href="{}"/>"#, escape(self_url));
    let _ = writeln!(x, r#"  <link rel="alternate" type="text/html" href="{}"/>"#, escape(alternate));
    let _ = writeln!(x, "  <generator>Vårdkatalogen</generator>");
    for e in entries {
        let _ = writeln!(x, "  <entry>");
        let _ = writeln!(x, "    <id>{}</id>", escape(&e.id));
        let _ = writeln!(x, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(x, "    <updated>{}</updated>", time(e.updated));
        let _ = writeln!(x, r#"    <link rel="alternate" type="text/html" href="{}"/>"#, escape(&e.link));
        let _ = writeln!(x, r#"    <link rel="related" href="{}"/>"#, escape(&e.related));
        for c in &e.categories {
            let _ = writeln!(x, r#"    <category term="{}"/>"#, escape(c));
        }
        let _ = writeln!(x, "    <summary>{}</summary>", escape(&e.summary));
        let _ = writeln!(x, "  </entry>");
    }
    x.push_str("</feed>\n");
    x
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The catalogue's title and publisher's name in the page language.
pub fn catalogue_names(cat: &Catalogue, lang: &str) -> Result<(String, String), StoreError> {
    let iri = cat.minter().catalog();
    let Some((_, Resource::Catalog(c))) = cat.public_resource(iri.as_ref())? else {
        return Ok(("Vårdkatalogen".into(), "Vårdkatalogen".into()));
    };
    let title = c.title.best(lang).to_owned();
    let author = match &c.publisher {
        Some(p) => cat.labels(std::slice::from_ref(p))?.get(p).map(|n| n.best(lang).to_owned()).unwrap_or_else(|| title.clone()),
        None => title.clone(),
    };
    Ok((title, author))
}

/// The catalogue's feed as an Atom document, in `lang`.
pub fn catalogue_feed(cat: &Catalogue, lang: &str) -> Result<String, StoreError> {
    let (title, author) = catalogue_names(cat, lang)?;
    let base = cat.minter().base().to_owned();
    let feed = Feed {
        self_url: format!("{base}feed.atom"),
        alternate: base.clone(),
        title: if lang == "en" { format!("{title}: published changes") } else { format!("{title}: publicerade ändringar") },
        author,
        entries: catalogue_entries(cat, FEED_SIZE)?,
    };
    Ok(feed.to_atom(lang, &base, &|iri| cat.minter().path(iri)))
}

/// A dataset's feed as an Atom document, in `lang`; `None` when it is not public.
pub fn dataset_feed(cat: &Catalogue, iri: &NamedNode, lang: &str) -> Result<Option<String>, StoreError> {
    let Some(entries) = dataset_entries(cat, iri, FEED_SIZE)? else { return Ok(None) };
    let (_, author) = catalogue_names(cat, lang)?;
    let label = match cat.public_resource(iri.as_ref())? {
        Some((_, r)) => r.label().best(lang).to_owned(),
        None => String::new(),
    };
    let base = cat.minter().base().to_owned();
    let page = format!("{}{}", base.trim_end_matches('/'), cat.minter().path(iri.as_str()));
    let feed = Feed {
        self_url: format!("{page}/feed.atom"),
        alternate: page,
        title: if lang == "en" { format!("{label}: published changes") } else { format!("{label}: publicerade ändringar") },
        author,
        entries,
    };
    Ok(Some(feed.to_atom(lang, &base, &|i| cat.minter().path(i))))
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_replaces_control_characters() {
        assert_eq!(escape("a < b & \"c\" 'd' >\u{1}"), "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt;\u{FFFD}");
    }
}
