//! Views of published versions: classified changes in words, the banner of a page shown as a
//! version or as of a day, the citation block of a variable, and the public change list.
//! Builders run on a blocking thread (they read labels).

use askama::Template;
use chrono::{DateTime, Utc};
use oxigraph::model::NamedNode;

use super::super::kernel::paths;
use super::super::kernel::words::versions as w;
use super::history::{ChangeLine, lines};
use super::{Chrome, PageBuilder, RecordPage, Val};
use crate::config::Lang;
use crate::curation::RecordState;
use crate::curation::impact::{Impact, Rule};
use crate::curation::versions::{PublishedChange, Versions};
use crate::curation::{Curation, CurationError};
use crate::model::record::{RecordKind, Resource};

/// The banner of a page that shows a version other than "now".
pub struct VersionBanner {
    pub heading: String,
    pub text: String,
    pub retired: Option<String>,
    pub current_href: String,
    pub current_text: String,
    pub changes_heading: String,
    pub changes: Vec<ChangeLine>,
}

/// How to cite a variable's version.
pub struct CitationBlock {
    pub heading: &'static str,
    pub lead: &'static str,
    pub text: String,
    pub iri_label: &'static str,
    pub iri: String,
    pub iri_href: String,
    pub download_label: &'static str,
    pub downloads: Vec<(&'static str, String)>,
}

/// A day as pages show it.
pub fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// The rule as shown: per class, its meaning and its lines.
pub fn rule_table(lang: Lang) -> Vec<(&'static str, &'static str, &'static str, Vec<&'static str>)> {
    Impact::ALL
        .into_iter()
        .map(|i| {
            let rules: Vec<&'static str> = Rule::ALL.iter().filter(|r| r.impact() == i).map(|r| w::rule(*r, lang)).collect();
            (i.as_str(), w::impact(i, lang), w::impact_meaning(i, lang), rules)
        })
        .collect()
}

/// The page of version `index` of a record: the record as it was, with the banner (and, for a
/// variable, how to cite that version). `heading`: the banner's heading when shown as of a
/// day. `codes_before`: a code list's (or a variable's code list's) codes are read as they
/// were just before this moment (`None`: as they are now).
pub fn version_page(
    c: &Curation,
    lang: Lang,
    versions: &Versions,
    index: usize,
    path: &str,
    heading: Option<String>,
    codes_before: Option<DateTime<Utc>>,
) -> Result<RecordPage, CurationError> {
    let v = &versions.list[index];
    let resource = versions.resource(index)?;
    let mut meta = versions.meta.clone();
    let retired = v.retired.filter(|r| codes_before.is_none_or(|b| *r < b));
    meta.version = v.version;
    meta.state = if retired.is_some() { RecordState::Retired } else { RecordState::Published };
    meta.modified = v.published;
    let mut builder = PageBuilder::new(c.catalogue(), lang);
    let list = match &resource {
        Resource::CodeList(l) => Some(l.iri.clone()),
        Resource::Variable(x) => x.representation.as_ref().and_then(|r| r.code_list()).cloned(),
        _ => None,
    };
    if let (Some(list), Some(before)) = (list, codes_before) {
        builder = builder.with_codes(c.codes_as_of(&list, before)?);
    }
    let mut page = builder.record_page(&meta, &resource, path)?;
    page.actions = None;
    // a version is public: its internal curation notes (`model::vocab::INTERNAL`) are not,
    // whoever reads it
    page.notice = None;
    let current = versions.list.last().map_or(v.version, |l| l.version);
    let record_path = c.catalogue().minter().path(versions.iri.as_str());
    let replaced = versions.replaced(index).map(day);
    page.banner = Some(VersionBanner {
        heading: heading.unwrap_or_else(|| format!("Version {}", v.version)),
        text: w::version_banner(lang, v.version, &day(v.published), replaced.as_deref(), current),
        retired: retired.map(|r| w::retired_on(lang, &day(r))),
        current_href: record_path,
        current_text: w::SHOW_CURRENT.get(lang).to_owned(),
        changes_heading: w::CHANGES_FROM_PREVIOUS.get(lang).to_owned(),
        changes: lines(c, &versions.changes(index), lang)?,
    });
    page.versions = version_links(c, versions);
    if versions.kind == RecordKind::Variable {
        page.citation = citation_block(c, &versions.iri, Some(v.version), lang)?;
    }
    Ok(page)
}

/// Links to every published version of a record (pages of records minted here only).
pub fn version_links(c: &Curation, versions: &Versions) -> Vec<Val> {
    let minter = c.catalogue().minter();
    let Some((kind, id)) = minter.parse(versions.iri.as_str()) else { return Vec::new() };
    if matches!(kind, RecordKind::Concept | RecordKind::Catalog) {
        return Vec::new();
    }
    versions.list.iter().map(|v| Val::link(format!("{} ({})", v.version, day(v.published)), paths::version(kind, &id, v.version))).collect()
}

/// The citation block of a variable's version (`None`: the current one).
pub fn citation_block(c: &Curation, iri: &NamedNode, version: Option<u64>, lang: Lang) -> Result<Option<CitationBlock>, CurationError> {
    let minter = c.catalogue().minter();
    let Some((RecordKind::Variable, id)) = minter.parse(iri.as_str()) else { return Ok(None) };
    let Some(cite) = c.citation(iri, version, lang.code())? else { return Ok(None) };
    let pinned = Some(cite.version);
    Ok(Some(CitationBlock {
        heading: w::CITE.get(lang),
        lead: w::CITE_LEAD.get(lang),
        text: cite.text(lang.code()),
        iri_label: w::VERSION_IRI.get(lang),
        iri_href: minter.path(&cite.url),
        iri: cite.url.clone(),
        download_label: w::CITE_DOWNLOAD.get(lang),
        downloads: vec![
            ("BibTeX", paths::cite(&id, "bibtex", pinned)),
            ("CSL-JSON", paths::cite(&id, "csl-json", pinned)),
            ("RIS", paths::cite(&id, "ris", pinned)),
        ],
    }))
}

/// One published change on the change list.
pub struct ChangeItem {
    pub title: Val,
    pub time: String,
    pub class: &'static str,
    pub impact: &'static str,
    pub note: String,
    /// "First published version", "Retired", "Unchanged" when there are no lines.
    pub summary: Option<&'static str>,
    pub lines: Vec<ChangeLine>,
}

/// The address (path) of the page a change is best read on: the version's page for records
/// minted here, else the record's page.
pub fn change_path(c: &Curation, ch: &PublishedChange) -> String {
    let minter = c.catalogue().minter();
    match minter.parse(ch.iri.as_str()) {
        Some((kind, id)) if !matches!(kind, RecordKind::Concept | RecordKind::Catalog) => paths::version(kind, &id, ch.version),
        _ => minter.path(ch.iri.as_str()),
    }
}

/// The label of a change's record: a code named with its list.
pub fn change_label(c: &Curation, ch: &PublishedChange, lang: Lang) -> Result<String, CurationError> {
    let own = ch.label.best(lang.code()).to_owned();
    match (&ch.scheme, ch.kind) {
        (Some(list), RecordKind::Concept) => {
            let labels = c.catalogue().labels(std::slice::from_ref(list))?;
            let list_label = labels.get(list).map(|l| l.best(lang.code()).to_owned()).unwrap_or_else(|| list.as_str().to_owned());
            let code = ch.notation.clone().unwrap_or(own.clone());
            let mut s = w::code_in(lang, &code, &list_label);
            if !own.is_empty() && own != code {
                s.push_str(&format!(" ({own})"));
            }
            Ok(s)
        }
        _ if own.is_empty() => Ok(ch.iri.as_str().to_owned()),
        _ => Ok(own),
    }
}

/// A change as the list shows it.
pub fn change_item(c: &Curation, ch: &PublishedChange, lang: Lang) -> Result<ChangeItem, CurationError> {
    let kind = super::capitalise(ch.kind.label(lang.code()));
    let title = w::change_title(lang, &kind, &change_label(c, ch, lang)?, ch.version, ch.retired);
    let lines = lines(c, &ch.changes, lang)?;
    let summary = if ch.retired {
        Some(w::RETIRED.get(lang))
    } else if ch.first {
        Some(w::FIRST.get(lang))
    } else if lines.is_empty() {
        Some(w::NO_CHANGE.get(lang))
    } else {
        None
    };
    Ok(ChangeItem {
        title: Val::link(title, change_path(c, ch)),
        time: ch.time.format("%Y-%m-%d %H:%M UTC").to_string(),
        class: ch.impact.as_str(),
        impact: w::impact(ch.impact, lang),
        note: ch.note.clone(),
        summary,
        lines,
    })
}

/// `/andringar`.
#[derive(Template)]
#[template(path = "changes.html")]
pub struct ChangesPage {
    pub chrome: Chrome,
    pub lead: &'static str,
    pub rule_heading: &'static str,
    pub rule_lead: &'static str,
    pub rules: Vec<(&'static str, &'static str, &'static str, Vec<&'static str>)>,
    pub feed_label: &'static str,
    pub feed_href: String,
    pub filter_label: &'static str,
    pub show_label: &'static str,
    pub all_label: &'static str,
    /// (value, label, selected)
    pub classes: Vec<(&'static str, &'static str, bool)>,
    /// The variables the list is about (`v=`), kept in the filter form.
    pub variables: Vec<String>,
    /// Links to those variables.
    pub variable_links: Vec<Val>,
    pub variables_label: &'static str,
    /// Where the filter form goes.
    pub action: &'static str,
    pub items: Vec<ChangeItem>,
    pub none: &'static str,
    pub note_label: &'static str,
    pub older_label: &'static str,
    pub older_href: Option<String>,
    pub newest_label: &'static str,
    pub newest_href: Option<String>,
}

/// One published version on the history page: what it changed.
pub struct VersionSummary {
    pub label: Val,
    /// The class of the version (`None` for the first).
    pub class: Option<&'static str>,
    pub impact: &'static str,
    pub note: String,
    /// "First published version", "Retired", "Unchanged" when there are no lines.
    pub summary: Option<&'static str>,
    pub lines: Vec<ChangeLine>,
}

/// Every published version of a record, newest first, with what each changed (none when the
/// record is not public).
pub fn summaries(c: &Curation, iri: &NamedNode, lang: Lang) -> Result<Vec<VersionSummary>, CurationError> {
    let Some(versions) = c.published_versions(iri)? else { return Ok(Vec::new()) };
    let links = version_links(c, &versions);
    let mut out = Vec::new();
    for (i, v) in versions.list.iter().enumerate() {
        let changes = versions.changes(i);
        let retired = v.retired.is_some();
        let class = (i > 0 || retired).then(|| crate::curation::impact::overall(&changes, retired));
        let lines = lines(c, &changes, lang)?;
        let summary = if retired {
            Some(w::RETIRED.get(lang))
        } else if i == 0 {
            Some(w::FIRST.get(lang))
        } else if lines.is_empty() {
            Some(w::NO_CHANGE.get(lang))
        } else {
            None
        };
        let text = format!("Version {} ({})", v.version, day(v.published));
        out.push(VersionSummary {
            label: links
                .get(i)
                .cloned()
                .map(|mut l| {
                    l.text = text.clone();
                    l
                })
                .unwrap_or_else(|| Val::text(text)),
            class: class.map(Impact::as_str),
            impact: class.map(|i| w::impact(i, lang)).unwrap_or(""),
            note: v.note.clone(),
            summary,
            lines,
        });
    }
    out.reverse();
    Ok(out)
}
