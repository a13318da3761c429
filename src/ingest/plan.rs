//! The import preview: what a batch would create, change and leave unchanged, before anything
//! is written.
//!
//! Each imported record is laid over the current record (the working draft if there is one,
//! else the published record): only the fields its source covered are replaced ([`merge`]);
//! links to datasets are added, never removed. Changed and unchanged are decided by the content
//! hash of the record graph. Links to records that are neither in the batch nor in the
//! catalogue are errors, reported at the row that made them.

use std::collections::{BTreeSet, HashSet};

use oxigraph::model::NamedNode;

use super::{Batch, Field, Imported, Problem};
use crate::model::record::content_hash;
use crate::model::vocab::eu;
use crate::model::{LangText, RecordKind, Resource};
use crate::store::StoreError;

/// One record in the preview.
#[derive(Clone, Debug)]
pub struct PlanEntry {
    pub kind: RecordKind,
    pub iri: NamedNode,
    /// The record as it would be saved.
    pub resource: Resource,
    /// For a change: the fields whose value differs from the current record.
    pub changed: Vec<Field>,
    pub sheet: String,
    pub row: Option<u32>,
    pub hash: String,
}

/// What an import would do. Nothing may be saved while `problems` holds an error.
#[derive(Clone, Debug, Default)]
pub struct ImportPlan {
    pub create: Vec<PlanEntry>,
    pub change: Vec<PlanEntry>,
    pub unchanged: Vec<PlanEntry>,
    pub problems: Vec<Problem>,
}

impl ImportPlan {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// A digest of what would be saved (record IRIs and content hashes): a confirmation is
    /// honoured only if the plan made again at that moment has the same fingerprint.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut lines: Vec<String> = self.create.iter().chain(&self.change).map(|e| format!("{} {}", e.iri, e.hash)).collect();
        lines.sort();
        let digest = Sha256::digest(lines.join("\n").as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The records to save as drafts: the new and the changed ones.
    pub fn to_save(&self) -> Vec<Resource> {
        self.create.iter().chain(&self.change).map(|e| e.resource.clone()).collect()
    }

    /// A short summary: "3 nya, 1 ändrad, 10 oförändrade, 0 fel".
    pub fn summary(&self, lang: &str) -> String {
        let errors = self.problems.iter().filter(|p| p.is_error()).count();
        let warnings = self.problems.len() - errors;
        if lang == "en" {
            format!(
                "{} new, {} changed, {} unchanged; {errors} errors, {warnings} warnings",
                self.create.len(),
                self.change.len(),
                self.unchanged.len()
            )
        } else {
            format!(
                "{} nya, {} ändrade, {} oförändrade; {errors} fel, {warnings} varningar",
                self.create.len(),
                self.change.len(),
                self.unchanged.len()
            )
        }
    }
}

/// The preview of `batch` against the catalogue as `current` shows it (`current(iri)` is the
/// record a curator would edit now: the draft if any, else the published record).
pub fn plan<E>(batch: Batch, current: &dyn Fn(&NamedNode) -> Result<Option<Resource>, E>) -> Result<ImportPlan, E> {
    let mut out = ImportPlan { problems: batch.problems, ..Default::default() };
    let in_batch: HashSet<NamedNode> = batch.records.iter().map(|r| r.iri().clone()).collect();
    let mut known: HashSet<NamedNode> = HashSet::new();
    for imported in &batch.records {
        let now = current(imported.iri())?;
        // links must reach a record in the file or in the catalogue
        for (target, kind) in links(&imported.resource) {
            if in_batch.contains(&target) || known.contains(&target) {
                continue;
            }
            if current(&target)?.is_some() {
                known.insert(target);
                continue;
            }
            let id = target.as_str().rsplit('/').next().unwrap_or(target.as_str()).to_owned();
            out.problems.push(Problem::error(
                &imported.sheet,
                imported.row,
                None,
                format!("{} '{id}' finns varken i filen eller i katalogen ({target}).", capital(kind.label("sv"))),
                format!("The {} '{id}' is neither in the file nor in the catalogue ({target}).", kind.label("en")),
            ));
        }
        let merged = merge(now.as_ref(), imported);
        // a cell holding a character XML cannot carry is refused here, at its row, rather than
        // when the drafts are saved (`model::chars`)
        if let Err(crate::model::ModelError::ForbiddenCharacter { property, character, .. }) =
            crate::model::chars::check_graph(&merged.to_graph())
        {
            out.problems.push(Problem::error(
                &imported.sheet,
                imported.row,
                None,
                format!("Värdet av <{property}> innehåller styrtecknet {character}, som katalogen inte kan publicera (XML tillåter det inte). Ta bort det ur cellen."),
                format!("The value of <{property}> holds the control character {character}, which the catalogue cannot publish (XML does not allow it). Remove it from the cell."),
            ));
        }
        let hash = content_hash(&merged.to_graph());
        let mut entry = PlanEntry {
            kind: merged.kind(),
            iri: imported.iri().clone(),
            resource: merged,
            changed: Vec::new(),
            sheet: imported.sheet.clone(),
            row: imported.row,
            hash: hash.clone(),
        };
        match now {
            None => out.create.push(entry),
            Some(now) if content_hash(&now.to_graph()) == hash => out.unchanged.push(entry),
            Some(now) => {
                entry.changed = imported
                    .fields
                    .iter()
                    .copied()
                    .filter(|f| {
                        let mut one = now.clone();
                        apply(*f, &mut one, &imported.resource);
                        one != now
                    })
                    .collect();
                out.change.push(entry);
            }
        }
    }
    Ok(out)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The records an imported record links to and that must exist.
fn links(r: &Resource) -> Vec<(NamedNode, RecordKind)> {
    let mut out = Vec::new();
    match r {
        Resource::Variable(v) => {
            out.extend(v.datasets.iter().map(|d| (d.clone(), RecordKind::Dataset)));
            if let Some(l) = v.representation.as_ref().and_then(|r| r.code_list()) {
                out.push((l.clone(), RecordKind::CodeList));
            }
            out.extend(v.attributions.iter().map(|a| (a.agent.clone(), RecordKind::Agent)));
        }
        Resource::Dataset(d) => {
            out.extend(d.publisher.iter().map(|p| (p.clone(), RecordKind::Agent)));
            out.extend(d.is_part_of.iter().map(|p| (p.clone(), RecordKind::Dataset)));
        }
        Resource::Concept(c) => out.extend(c.in_scheme.iter().map(|s| (s.clone(), RecordKind::CodeList))),
        _ => {}
    }
    out
}

/// The record to save: the imported fields laid over the current record (or the imported
/// record itself when there is none).
pub fn merge(current: Option<&Resource>, imported: &Imported) -> Resource {
    match current {
        Some(now) if now.kind() == imported.resource.kind() => {
            let mut out = now.clone();
            for f in &imported.fields {
                apply(*f, &mut out, &imported.resource);
            }
            out
        }
        _ => imported.resource.clone(),
    }
}

fn set_lang(t: &mut LangText, s: &LangText, lang: &str) {
    t.set(lang, s.get(lang).unwrap_or(""));
}

/// Copies one field from `s` to `t` (records of the same kind).
fn apply(f: Field, t: &mut Resource, s: &Resource) {
    match (t, s) {
        (Resource::Dataset(t), Resource::Dataset(s)) => match f {
            Field::Identifier => t.identifier = s.identifier.clone(),
            Field::TitleSv => set_lang(&mut t.title, &s.title, "sv"),
            Field::TitleEn => set_lang(&mut t.title, &s.title, "en"),
            Field::DescriptionSv => set_lang(&mut t.description, &s.description, "sv"),
            Field::DescriptionEn => set_lang(&mut t.description, &s.description, "en"),
            Field::PopulationSv => set_lang(&mut t.population_coverage, &s.population_coverage, "sv"),
            Field::PopulationEn => set_lang(&mut t.population_coverage, &s.population_coverage, "en"),
            Field::Temporal => t.temporal = s.temporal.clone(),
            Field::Spatial => t.spatial = s.spatial.clone(),
            Field::Frequency => t.accrual_periodicity = s.accrual_periodicity.clone(),
            Field::Publisher => t.publisher = s.publisher.clone(),
            Field::ContactPoint => t.contact_points = s.contact_points.clone(),
            Field::Pages => t.pages = s.pages.clone(),
            Field::LandingPages => t.landing_pages = s.landing_pages.clone(),
            Field::AccessRights => t.access_rights = s.access_rights.clone(),
            Field::Legislation => t.applicable_legislation = s.applicable_legislation.clone(),
            Field::IsPartOf => t.is_part_of = s.is_part_of.clone(),
            Field::Keywords => t.keywords = s.keywords.clone(),
            Field::DatasetType => t.dataset_type = s.dataset_type.clone(),
            Field::HealthCategories => t.health_categories = s.health_categories.clone(),
            Field::HealthThemes => t.health_themes = s.health_themes.clone(),
            Field::Hdab => t.hdab = s.hdab.clone(),
            Field::Custodian => t.custodian = s.custodian.clone(),
            Field::PersonalData => t.personal_data = s.personal_data.clone(),
            Field::UniqueIndividuals => t.number_of_unique_individuals = s.number_of_unique_individuals,
            Field::ProvenanceSv | Field::ProvenanceEn => {
                // the sheet holds the first provenance statement; further ones stay
                let lang = if f == Field::ProvenanceSv { "sv" } else { "en" };
                let value = s.provenance.first().and_then(|p| p.get(lang)).unwrap_or("").to_owned();
                if t.provenance.is_empty() {
                    t.provenance.push(LangText::default());
                }
                t.provenance[0].set(lang, value);
                if t.provenance[0].is_empty() {
                    t.provenance.remove(0);
                }
            }
            Field::GeneratedBy => t.generated_by = s.generated_by.clone(),
            Field::StructuredData => t.has_structured_data = s.has_structured_data,
            Field::CodingSystems => t.coding_systems = s.coding_systems.clone(),
            Field::CodeValues => t.code_values = s.code_values.clone(),
            _ => {}
        },
        (Resource::Variable(t), Resource::Variable(s)) => match f {
            Field::Identifier => t.identifier = s.identifier.clone(),
            Field::Notation => t.notation = s.notation.clone(),
            Field::LabelSv => set_lang(&mut t.label, &s.label, "sv"),
            Field::LabelEn => set_lang(&mut t.label, &s.label, "en"),
            Field::DefinitionSv => set_lang(&mut t.definition, &s.definition, "sv"),
            Field::DefinitionEn => set_lang(&mut t.definition, &s.definition, "en"),
            Field::Representation => t.representation = s.representation.clone(),
            Field::CodingSystems => t.coding_systems = s.coding_systems.clone(),
            Field::Temporal => t.temporal = s.temporal.clone(),
            Field::ScopeNotes => {
                // the sheet holds the Swedish remarks; notes in other languages stay
                t.scope_notes.retain(|n| n.lang != "sv");
                t.scope_notes.extend(s.scope_notes.iter().cloned());
            }
            Field::Sources => t.sources = s.sources.clone(),
            Field::Unit => t.unit = s.unit.clone(),
            Field::MissingValues => {
                t.missing_values = s.missing_values.clone();
                // the sheet holds the Swedish meanings; an English one of the same code stays
                let before = std::mem::take(&mut t.missing_meanings);
                t.missing_meanings = s
                    .missing_meanings
                    .iter()
                    .map(|m| {
                        let mut meaning = before.iter().find(|b| b.code == m.code).map(|b| b.meaning.clone()).unwrap_or_default();
                        meaning.set("sv", m.meaning.get("sv").unwrap_or_default());
                        crate::model::MissingValue { code: m.code.clone(), meaning }
                    })
                    .collect();
            }
            Field::Temporality => t.temporality = s.temporality,
            Field::UnitType => t.unit_type = s.unit_type,
            Field::Owner => {
                t.attributions.retain(|a| a.role.as_str() != eu::ROLE_OWNER);
                t.attributions.extend(s.attributions.iter().filter(|a| a.role.as_str() == eu::ROLE_OWNER).cloned());
                t.attributions.sort();
            }
            Field::Datasets => {
                let mut all: BTreeSet<NamedNode> = t.datasets.iter().cloned().collect();
                all.extend(s.datasets.iter().cloned());
                t.datasets = all.into_iter().collect();
            }
            _ => {}
        },
        (Resource::CodeList(t), Resource::CodeList(s)) => match f {
            Field::Identifier => t.identifier = s.identifier.clone(),
            Field::TitleSv => {
                set_lang(&mut t.title, &s.title, "sv");
                set_lang(&mut t.label, &s.label, "sv");
            }
            Field::DescriptionSv => set_lang(&mut t.description, &s.description, "sv"),
            _ => {}
        },
        (Resource::Concept(t), Resource::Concept(s)) => match f {
            Field::Notation => t.notation = s.notation.clone(),
            Field::LabelSv => set_lang(&mut t.label, &s.label, "sv"),
            Field::InScheme => {
                t.in_scheme = s.in_scheme.clone();
                // a code under another is not a top concept, whatever the sheet says
                if t.broader.is_empty() {
                    t.top_concept_of = s.top_concept_of.clone();
                }
            }
            Field::Validity => {
                t.valid_from = s.valid_from.clone();
                t.valid_through = s.valid_through.clone();
            }
            Field::Order => t.order = s.order,
            Field::Synonyms => replace_swedish(&mut t.alt_labels, &s.alt_labels),
            Field::SearchWords => replace_swedish(&mut t.hidden_labels, &s.hidden_labels),
            _ => {}
        },
        _ => {}
    }
}

/// The Swedish (and untagged) labels of `target` replaced by those of `source`; labels in
/// other languages are kept (a sheet holds the Swedish ones).
fn replace_swedish(target: &mut Vec<crate::model::LangString>, source: &[crate::model::LangString]) {
    let swedish = |l: &crate::model::LangString| l.lang == "sv" || l.lang.is_empty();
    target.retain(|l| !swedish(l));
    target.extend(source.iter().filter(|l| swedish(l)).cloned());
    target.sort();
    target.dedup();
}

/// The record as the store holds it, in any state (for callers without the curation service;
/// the web and the command line use `Curation::current`, which sees working drafts first).
pub fn current_in_store(cat: &crate::catalog::Catalogue, iri: &NamedNode) -> Result<Option<Resource>, StoreError> {
    let Some(rec) = cat.store().get(iri.as_ref())? else { return Ok(None) };
    Resource::from_graph(rec.meta.kind, &rec.meta.iri, &rec.graph)
        .map(Some)
        .map_err(|e| StoreError::BadMetadata { iri: iri.as_str().to_owned(), problem: e.to_string() })
}
