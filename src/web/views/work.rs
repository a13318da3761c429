//! The pieces of the work list that the import's result shares: a draft as a row with its
//! checkbox, and the bulk form's words (send for review, publish with one change note).

use super::super::kernel::paths;
use super::super::kernel::words::curation as w;
use crate::config::Lang;
use crate::curation::OpenDraft;
use crate::model::Minter;
use crate::model::record::RecordKind;

/// One open draft as a row of a list with a checkbox.
pub struct WorkItem {
    /// The checkbox's id (unique on the page).
    pub id: String,
    pub iri: String,
    pub href: String,
    pub label: String,
    pub kind: String,
    pub state: String,
    pub author: String,
    pub time: String,
    pub checked: bool,
}

impl WorkItem {
    pub fn new(minter: &Minter, n: usize, iri: &str, d: &OpenDraft, lang: Lang) -> Self {
        let code = lang.code();
        Self {
            id: format!("post-{n}"),
            iri: iri.to_owned(),
            // a code has no draft page of its own: its list's
            href: match minter.parse(iri) {
                Some((RecordKind::Concept, id)) => {
                    paths::draft(RecordKind::CodeList, id.split_once('/').map_or(id.as_str(), |(list, _)| list))
                }
                _ => format!("{}/utkast", minter.path(iri)),
            },
            label: if d.label.is_empty() { iri.to_owned() } else { d.label.clone() },
            kind: RecordKind::parse(&d.kind).map(|k| k.label(code)).unwrap_or("").to_owned(),
            state: d.state.label(code).to_owned(),
            author: d.author.clone(),
            time: d.time.format("%Y-%m-%d %H:%M").to_string(),
            checked: false,
        }
    }
}

/// The bulk form's fields and words (`templates/bulk_actions.html`).
pub struct BulkForm {
    pub action: &'static str,
    pub csrf: String,
    pub reviewer: bool,
    pub choose: &'static str,
    pub heading: &'static str,
    pub hint: &'static str,
    pub send: &'static str,
    pub publish: &'static str,
    pub note: &'static str,
}

impl BulkForm {
    pub fn new(lang: Lang, csrf: &str, reviewer: bool) -> Self {
        Self {
            action: paths::WORK_BULK,
            csrf: csrf.to_owned(),
            reviewer,
            choose: w::CHOOSE.get(lang),
            heading: w::BULK_HEADING.get(lang),
            hint: w::BULK_HINT.get(lang),
            send: w::SEND_TO_REVIEW.get(lang),
            publish: w::PUBLISH.get(lang),
            note: w::CHANGE_NOTE.get(lang),
        }
    }
}
