//! Variable lists: what a researcher collects for a data request, as rows for the exports (one
//! per variable and register that holds it: data type, code list, coverage, version, the
//! researcher's purpose), grouped per register holder with the holder's contact for a data
//! request, and the saved lists of signed-in researchers (`state::lists`) with what changed in
//! their variables since they were saved.
//!
//! Owns: the rules of saved lists (one owner, a name, at most [`MAX_ITEMS`] variables, only
//! published variables, a note per variable, compare-and-set changes). Does not: know HTTP
//! or words of a page (`web::varlist`, `web::lists`).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use oxigraph::model::NamedNode;
use serde::Serialize;

use crate::catalog::{Catalogue, RecordMeta, StoreError};
use crate::model::record::{RecordKind, Resource};
use crate::model::vocab::xsd;
use crate::model::{Period, Variable};
pub use crate::state::lists::SavedList;
use crate::state::lists::{ListItem, new_id};
use crate::state::{State, StateError};
use crate::store::RecordState;

/// Most variables in one list (a cookie holds fewer; a saved list and a shared link this many).
pub const MAX_ITEMS: usize = 500;
/// Longest name of a saved list, and longest note, in characters.
pub const MAX_NAME: usize = 200;
pub const MAX_NOTE: usize = 2000;

/// A variable of a list with the researcher's note (why it is needed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    pub iri: String,
    pub note: String,
}

impl Item {
    pub fn new(iri: impl Into<String>) -> Self {
        Self { iri: iri.into(), note: String::new() }
    }
}

/// One line of a list's exports: a variable in one register.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub register_holder: String,
    pub register_holder_iri: String,
    pub register: String,
    pub register_iri: String,
    pub variable: String,
    pub variable_iri: String,
    pub technical_name: String,
    pub definition: String,
    /// XSD local name (`string`, `date`, …), empty when not stated.
    pub datatype: String,
    pub code_list: String,
    pub code_list_iri: String,
    /// Time coverage ("1964–", "1997–2008").
    pub coverage: String,
    /// Why the researcher needs it (a saved list's note; empty otherwise).
    pub purpose: String,
    /// The published version of the variable (`vk:version`).
    pub version: u64,
    pub modified: DateTime<Utc>,
}

/// The label of `iri` in `lang`, if it is a public record.
fn label_of(cat: &Catalogue, iri: &NamedNode, lang: &str) -> Result<Option<String>, StoreError> {
    Ok(cat.public_resource(iri.as_ref())?.map(|(_, r)| r.label().best(lang).to_owned()))
}

/// The rows of one published variable: one per register that holds it.
pub fn rows_of(cat: &Catalogue, meta: &RecordMeta, v: &Variable, lang: &str, purpose: &str) -> Result<Vec<Row>, StoreError> {
    let (datatype, code_list, code_list_iri) = match &v.representation {
        Some(r) => {
            let datatype = r.datatype().as_str().strip_prefix(xsd::NS).unwrap_or(r.datatype().as_str()).to_owned();
            match r.code_list() {
                Some(scheme) => (datatype, label_of(cat, scheme, lang)?.unwrap_or_default(), scheme.as_str().to_owned()),
                None => (datatype, String::new(), String::new()),
            }
        }
        None => (String::new(), String::new(), String::new()),
    };
    let base = Row {
        register_holder: String::new(),
        register_holder_iri: String::new(),
        register: String::new(),
        register_iri: String::new(),
        variable: v.label.best(lang).to_owned(),
        variable_iri: v.iri.as_str().to_owned(),
        technical_name: v.notation.clone().unwrap_or_default(),
        definition: v.definition.best(lang).to_owned(),
        datatype,
        code_list,
        code_list_iri,
        coverage: v.temporal.iter().map(Period::label).collect::<Vec<_>>().join(", "),
        purpose: purpose.to_owned(),
        version: meta.version,
        modified: meta.modified,
    };
    if v.datasets.is_empty() {
        return Ok(vec![base]);
    }
    let mut rows = Vec::new();
    for d in &v.datasets {
        let mut row = base.clone();
        row.register_iri = d.as_str().to_owned();
        if let Some((_, Resource::Dataset(ds))) = cat.public_resource(d.as_ref())? {
            row.register = ds.title.best(lang).to_owned();
            // a variable without a coverage of its own covers what its register covers
            if row.coverage.is_empty() {
                row.coverage = ds.temporal.iter().map(Period::label).collect::<Vec<_>>().join(", ");
            }
            if let Some(p) = &ds.publisher {
                row.register_holder_iri = p.as_str().to_owned();
                row.register_holder = label_of(cat, p, lang)?.unwrap_or_default();
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The rows of a list, sorted by register holder, register and variable, and the IRIs of its
/// variables that are no longer published (left out).
pub fn rows(cat: &Catalogue, items: &[Item], lang: &str) -> Result<(Vec<Row>, Vec<String>), StoreError> {
    let mut rows = Vec::new();
    let mut gone = Vec::new();
    for item in items {
        let Ok(n) = NamedNode::new(item.iri.as_str()) else { continue };
        match cat.public_resource(n.as_ref())? {
            Some((meta, Resource::Variable(v))) if meta.state == RecordState::Published => {
                rows.extend(rows_of(cat, &meta, &v, lang, &item.note)?)
            }
            _ => gone.push(item.iri.clone()),
        }
    }
    rows.sort_by(|a, b| (&a.register_holder, &a.register, &a.variable).cmp(&(&b.register_holder, &b.register, &b.variable)));
    Ok((rows, gone))
}

/// A register holder's part of a data request: who to ask and what.
#[derive(Debug, Clone, Serialize)]
pub struct Holder {
    pub iri: String,
    pub name: String,
    /// E-mail addresses (without `mailto:`) of its contact point, or its own.
    pub emails: Vec<String>,
    /// Telephone numbers (without `tel:`).
    pub telephones: Vec<String>,
    /// Its contact pages and web site.
    pub pages: Vec<String>,
    /// Where each of its registers in the list is ordered (a distribution's access URL, else
    /// the register's landing page): (register, address).
    pub ordering: Vec<(String, String)>,
    pub rows: Vec<Row>,
}

impl Holder {
    /// The id of its part of the request (`socialstyrelsen`), for a file name and an anchor.
    pub fn slug(&self) -> String {
        let tail = self.iri.trim_end_matches('/').rsplit(['/', '#']).next().unwrap_or_default();
        let s: String = tail.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        if s.is_empty() { "okand".to_owned() } else { s }
    }
}

/// The rows grouped per register holder (in the rows' order), with each holder's contact.
pub fn by_holder(cat: &Catalogue, rows: Vec<Row>) -> Result<Vec<Holder>, StoreError> {
    let mut groups: BTreeMap<(String, String), Vec<Row>> = BTreeMap::new();
    for r in rows {
        groups.entry((r.register_holder.clone(), r.register_holder_iri.clone())).or_default().push(r);
    }
    let mut out = Vec::new();
    for ((name, iri), rows) in groups {
        let mut h =
            Holder { iri: iri.clone(), name, emails: Vec::new(), telephones: Vec::new(), pages: Vec::new(), ordering: Vec::new(), rows };
        if let Ok(n) = NamedNode::new(iri.as_str())
            && let Some((_, Resource::Agent(a))) = cat.public_resource(n.as_ref())?
        {
            if let Some(c) = &a.contact {
                h.emails.extend(c.emails.iter().map(|e| e.as_str().trim_start_matches("mailto:").to_owned()));
                h.telephones.extend(c.telephones.iter().map(|t| t.as_str().trim_start_matches("tel:").to_owned()));
                h.pages.extend(c.urls.iter().map(|u| u.as_str().to_owned()));
            }
            if let Some(m) = &a.mbox {
                let m = m.as_str().trim_start_matches("mailto:").to_owned();
                if !h.emails.contains(&m) {
                    h.emails.push(m);
                }
            }
            if let Some(home) = &a.homepage
                && !h.pages.iter().any(|p| p == home.as_str())
            {
                h.pages.push(home.as_str().to_owned());
            }
        }
        let mut registers: Vec<(String, String)> = h.rows.iter().map(|r| (r.register.clone(), r.register_iri.clone())).collect();
        registers.dedup();
        for (title, iri) in registers {
            if let Some(address) = ordering_address(cat, &iri)? {
                h.ordering.push((title, address));
            }
        }
        out.push(h);
    }
    Ok(out)
}

/// Where a register is ordered: the access URL of its (or its parent's) first distribution,
/// else its landing page.
fn ordering_address(cat: &Catalogue, register: &str) -> Result<Option<String>, StoreError> {
    let Ok(n) = NamedNode::new(register) else { return Ok(None) };
    let Some((_, Resource::Dataset(d))) = cat.public_resource(n.as_ref())? else { return Ok(None) };
    for dist in &d.distributions {
        if let Some((_, Resource::Distribution(x))) = cat.public_resource(dist.as_ref())?
            && let Some(url) = x.access_urls.first()
        {
            return Ok(Some(url.as_str().to_owned()));
        }
    }
    for parent in &d.is_part_of {
        if let Some(a) = ordering_address(cat, parent.as_str())? {
            return Ok(Some(a));
        }
    }
    Ok(d.landing_pages.first().map(|p| p.as_str().to_owned()))
}

/// What went wrong with a saved list.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No such list, or not the asker's.
    #[error("no such list")]
    NotFound,
    /// The list changed since the asker read it.
    #[error("the list changed meanwhile")]
    Conflict,
    /// More variables than [`MAX_ITEMS`].
    #[error("too many variables")]
    TooMany,
    /// A list needs a name.
    #[error("the list has no name")]
    NoName,
}

fn state_error(e: StateError) -> ListError {
    match e {
        StateError::Conflict { .. } => ListError::Conflict,
        e => ListError::State(e),
    }
}

/// A variable of a saved list that changed since it was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub iri: String,
    /// Its label now (or the IRI when it is gone).
    pub label: String,
    /// The version saved, and the version now (`None`: retired or gone).
    pub saved: u64,
    pub now: Option<u64>,
}

/// An edit of a saved list: a new name, notes per variable, variables removed, and whether
/// the versions saved are brought up to the present (the changes seen).
#[derive(Debug, Clone, Default)]
pub struct ListEdit {
    pub name: Option<String>,
    pub notes: Vec<(String, String)>,
    pub remove: Vec<String>,
    pub add: Vec<String>,
    pub accept_changes: bool,
}

/// The saved lists of signed-in researchers.
#[derive(Clone)]
pub struct Lists {
    catalogue: Arc<Catalogue>,
    state: State,
}

fn now() -> DateTime<Utc> {
    // PostgreSQL keeps microseconds: a time written reads back equal
    Utc::now().trunc_subsecs(6)
}

fn clip(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

impl Lists {
    pub fn new(catalogue: Arc<Catalogue>, state: State) -> Self {
        Self { catalogue, state }
    }

    /// The item of a published variable as it is now, with `note`; `None` for anything else.
    fn item_now(&self, iri: &str, note: &str) -> Result<Option<ListItem>, ListError> {
        let Ok(n) = NamedNode::new(iri) else { return Ok(None) };
        Ok(match self.catalogue.public_resource(n.as_ref())? {
            Some((meta, Resource::Variable(_))) if meta.kind == RecordKind::Variable && meta.state == RecordState::Published => {
                Some(ListItem { iri: iri.to_owned(), note: clip(note, MAX_NOTE), version: meta.version, modified: meta.modified })
            }
            _ => None,
        })
    }

    /// Saves `items` (published variables only, each once) as a new list of `owner` named
    /// `name`.
    pub fn save(&self, owner: &str, name: &str, items: &[Item]) -> Result<SavedList, ListError> {
        let name = clip(name, MAX_NAME);
        if name.is_empty() {
            return Err(ListError::NoName);
        }
        if items.len() > MAX_ITEMS {
            return Err(ListError::TooMany);
        }
        let mut kept: Vec<ListItem> = Vec::new();
        for i in items {
            if kept.iter().all(|k| k.iri != i.iri)
                && let Some(item) = self.item_now(&i.iri, &i.note)?
            {
                kept.push(item);
            }
        }
        let t = now();
        loop {
            let list = SavedList { id: new_id(), owner: owner.to_owned(), name: name.clone(), created: t, updated: t, items: kept.clone() };
            if self.state.lists.create_list(&list)? {
                return Ok(list);
            }
        }
    }

    /// The list `id` if it is `owner`'s.
    pub fn get(&self, owner: &str, id: &str) -> Result<SavedList, ListError> {
        match self.state.lists.get_list(id)? {
            Some(l) if l.owner == owner => Ok(l),
            _ => Err(ListError::NotFound),
        }
    }

    /// `owner`'s lists, the last changed first.
    pub fn of(&self, owner: &str) -> Result<Vec<SavedList>, ListError> {
        Ok(self.state.lists.lists_of(owner)?)
    }

    /// Changes `owner`'s list `id` as it was at `read` (its `updated` when the form was shown).
    pub fn edit(&self, owner: &str, id: &str, read: DateTime<Utc>, edit: &ListEdit) -> Result<SavedList, ListError> {
        let mut list = self.get(owner, id)?;
        if list.updated != read {
            return Err(ListError::Conflict);
        }
        if let Some(name) = &edit.name {
            let name = clip(name, MAX_NAME);
            if name.is_empty() {
                return Err(ListError::NoName);
            }
            list.name = name;
        }
        for (iri, note) in &edit.notes {
            if let Some(item) = list.items.iter_mut().find(|i| &i.iri == iri) {
                item.note = clip(note, MAX_NOTE);
            }
        }
        list.items.retain(|i| !edit.remove.contains(&i.iri));
        for iri in &edit.add {
            if list.items.iter().all(|i| &i.iri != iri)
                && let Some(item) = self.item_now(iri, "")?
            {
                list.items.push(item);
            }
        }
        if list.items.len() > MAX_ITEMS {
            return Err(ListError::TooMany);
        }
        if edit.accept_changes {
            for item in &mut list.items {
                if let Some(now) = self.item_now(&item.iri, &item.note)? {
                    *item = now;
                }
            }
        }
        list.updated = now().max(read + chrono::Duration::microseconds(1));
        match self.state.lists.update_list(&list, read).map_err(state_error)? {
            true => Ok(list),
            false => Err(ListError::NotFound),
        }
    }

    /// Removes `owner`'s list `id`.
    pub fn delete(&self, owner: &str, id: &str) -> Result<(), ListError> {
        self.get(owner, id)?;
        self.state.lists.delete_list(id)?;
        Ok(())
    }

    /// The variables of `list` whose published version is not the one saved (changed,
    /// retired or gone), in the list's order.
    pub fn changes(&self, list: &SavedList, lang: &str) -> Result<Vec<Changed>, ListError> {
        let mut out = Vec::new();
        for item in &list.items {
            let Ok(n) = NamedNode::new(item.iri.as_str()) else { continue };
            let now = self.catalogue.public_resource(n.as_ref())?;
            let (label, version) = match &now {
                Some((meta, r)) => (r.label().best(lang).to_owned(), (meta.state == RecordState::Published).then_some(meta.version)),
                None => (item.iri.clone(), None),
            };
            if version != Some(item.version) {
                out.push(Changed { iri: item.iri.clone(), label, saved: item.version, now: version });
            }
        }
        Ok(out)
    }
}
