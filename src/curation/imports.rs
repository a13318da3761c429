//! Bulk import into drafts: read a spreadsheet, plan it against the catalogue (created,
//! changed, unchanged, problems), keep a clean file for its sender until they confirm, and on
//! confirmation save every record as a draft in one step, but only when the plan made again
//! is the one that was previewed (same records, same content).
//!
//! Owns the rules of that flow; the readers and the plan are `ingest`'s, the pages `web::ingest`.

use super::{Actor, Curation, CurationError};
use crate::accounts::Role;
use crate::ingest::{ImportPlan, Options, tabular::Mapping};
use crate::state::uploads::Upload;

pub use crate::state::uploads::Upload as StagedFile;

/// What reading an upload gave.
pub enum Planned {
    /// The file could not be read: the reason, in the reader's language.
    Unreadable(String),
    /// The plan, and the token to confirm it with when it may be confirmed (no errors,
    /// something to do).
    Plan { plan: ImportPlan, token: Option<String> },
}

/// What a confirmation did.
pub enum Confirmed {
    /// Saved as drafts: how many records, and the first and last revision the import wrote
    /// (its drafts are the sender's open drafts between them: [`Curation::imported_drafts`]).
    Saved { count: usize, revisions: (u64, u64) },
    /// The file is no longer kept (an hour, for its sender only).
    Gone,
    /// The file can no longer be read.
    Unreadable(String),
    /// The catalogue changed since the preview: the new plan to confirm (with its token when
    /// it may be).
    Moved { plan: ImportPlan, filename: String, token: Option<String> },
}

impl Curation {
    fn plan_upload(&self, up: &Upload, lang: &str) -> Result<Result<ImportPlan, String>, CurationError> {
        let mut options = Options::new(self.catalogue.minter().clone());
        options.dataset = up.dataset.clone();
        options.id_prefix = up.id_prefix.clone();
        options.agents = crate::ingest::agent_names(&self.catalogue)?;
        let mapping = match up.mapping.as_deref() {
            None | Some("") => None,
            Some(name) => match Mapping::preset(name) {
                Some(m) => Some(m),
                None => return Ok(Err(format!("unknown mapping {name}"))),
            },
        };
        let batch = match crate::ingest::read_file(&up.filename, &up.bytes, mapping.as_ref(), &options) {
            Ok(b) => b,
            Err(e) => {
                let reason = e.message(lang);
                return Ok(Err(if lang == "en" {
                    format!("The file could not be read: {reason}")
                } else {
                    format!("Filen kunde inte läsas: {reason}")
                }));
            }
        };
        let plan = crate::ingest::plan(batch, &|iri| self.current(iri).map(|c| c.map(|(_, r)| r)))
            .map_err(|e| CurationError::BadRevision { revision: 0, message: e.to_string() })?;
        Ok(Ok(plan))
    }

    /// Reads and plans an upload; writes nothing to the catalogue. A file without errors that
    /// changes something is kept for its sender (an hour) until confirmed.
    pub fn preview_import(&self, actor: &Actor, upload: &Upload, lang: &str) -> Result<Planned, CurationError> {
        Self::require(actor, Role::Redaktor)?;
        let plan = match self.plan_upload(upload, lang)? {
            Ok(p) => p,
            Err(reason) => return Ok(Planned::Unreadable(reason)),
        };
        let confirmable = !plan.has_errors() && (!plan.create.is_empty() || !plan.change.is_empty());
        let token = if confirmable { Some(self.state.uploads.put(upload)?) } else { None };
        Ok(Planned::Plan { plan, token })
    }

    /// Saves a previewed upload as drafts, all or nothing, when the plan made now has the
    /// previewed `fingerprint`.
    pub fn confirm_import(
        &self,
        actor: &Actor,
        token: &str,
        fingerprint: &str,
        message: &str,
        lang: &str,
    ) -> Result<Confirmed, CurationError> {
        Self::require(actor, Role::Redaktor)?;
        let Some(upload) = self.state.uploads.get(token, &actor.user)? else { return Ok(Confirmed::Gone) };
        let plan = match self.plan_upload(&upload, lang)? {
            Ok(p) => p,
            Err(reason) => return Ok(Confirmed::Unreadable(reason)),
        };
        if plan.has_errors() || plan.fingerprint() != fingerprint {
            let token = (!plan.has_errors()).then(|| token.to_owned());
            return Ok(Confirmed::Moved { plan, filename: upload.filename, token });
        }
        let records = plan.to_save();
        let n = records.len();
        let message = if message.trim().is_empty() { format!("Import av {}", upload.filename) } else { message.trim().to_owned() };
        let ids = self.save_drafts(actor, records, &message)?;
        self.state.uploads.remove(token)?;
        let revisions = (ids.iter().copied().min().unwrap_or(0), ids.iter().copied().max().unwrap_or(0));
        Ok(Confirmed::Saved { count: n, revisions })
    }

    /// The drafts an import saved (revisions `from..=to`) that are still the sender's open
    /// drafts as the import left them, so the import's result can send them on in one step.
    pub fn imported_drafts(
        &self,
        actor: &Actor,
        from: u64,
        to: u64,
    ) -> Result<Vec<(String, crate::state::revisions::OpenDraft)>, CurationError> {
        Self::require(actor, Role::Redaktor)?;
        Ok(self.open_drafts()?.into_iter().filter(|(_, d)| d.author == actor.user && (from..=to).contains(&d.revision)).collect())
    }
}
