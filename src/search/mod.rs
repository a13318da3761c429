//! Full-text search (tantivy) over datasets, variables, code lists, codes and use cases.
//!
//! Owns: the index in `{data_dir}/index`, its schema and analysers, turning public records into
//! documents, queries with facets, and keeping the index in step with the store.
//!
//! Invariants:
//! - the index is derived: it can be deleted and rebuilt from the store at any time
//!   (`vardkatalog reindex`), and only public records are in it;
//! - every commit records the store generation it reflects; at start-up an index whose
//!   generation equals the store's is current and is not rebuilt;
//! - the catalogue updates the index in the same request that changes the store (the writes
//!   are serialised by the catalogue);
//! - the unfiltered browse is cached per searcher generation, so a commit invalidates it.

mod document;
mod facets;
mod query;
mod schema;
mod suggest;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;

use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use document::{Display, INDEXED_KINDS, Known, Named};
pub use query::{CodeRef, FacetCounts, Fragment, Hit, MAX_LIMIT, Recognised, SearchRequest, SearchResponse, Sort};
pub use schema::FacetName;
pub use suggest::{DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS, MAX_TEXT as MAX_SUGGEST_TEXT, SUGGESTED_KINDS, Suggestion};

use crate::model::record::Resource;
use crate::store::RecordStore;
use crate::store::StoreError;
use crate::store::read::PublicReads;
use schema::Fields;

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Self::Directory(e.to_string())
    }
}

/// What each commit records (tantivy's commit payload).
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Stamp {
    schema: u32,
    generation: u64,
}

const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// Changed records from which `follow` rebuilds the index instead of updating it, when they
/// are also at least a quarter of the documents.
const REBUILD_AT: usize = 2_000;

/// The search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    browse: Mutex<BrowseCache>,
    facet_tables: facets::FacetTables,
    /// The coding systems with their compiled code patterns, for one searcher generation.
    systems: Mutex<(u64, std::sync::Arc<Vec<query::CodeSystem>>)>,
}

/// Responses to the unfiltered browse (no text, no filter: every facet counted over the whole
/// index), per page, for one searcher generation: the most expensive request and the most
/// common one, the search page's landing view.
#[derive(Default)]
struct BrowseCache {
    generation: u64,
    pages: HashMap<(Sort, usize, usize), SearchResponse>,
}

/// Most pages of the browse kept per generation.
const BROWSE_PAGES: usize = 32;

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing; an index of another schema version
    /// is discarded (it will be rebuilt).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        let existing = Index::open_in_dir(dir).ok();
        let index = match existing {
            Some(index) if stamp_of(&index).is_some_and(|s| s.schema == schema::SCHEMA_VERSION) && index.schema() == schema => index,
            Some(_) => {
                tracing::info!(dir = %dir.display(), "search index of another version: recreating it");
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                Index::create_in_dir(dir, schema)?
            }
            None => Index::create_in_dir(dir, schema)?,
        };
        Self::with_index(index, fields)
    }

    /// An index in memory (tests, dry runs).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        schema::register_analyzers(&index);
        let writer = index.writer(WRITER_MEMORY)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let this = Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            browse: Mutex::new(BrowseCache::default()),
            facet_tables: facets::FacetTables::default(),
            systems: Mutex::new((u64::MAX, std::sync::Arc::new(Vec::new()))),
        };
        this.reloaded()?;
        Ok(this)
    }

    /// The store generation the index reflects, if it was ever committed by this schema.
    pub fn generation(&self) -> Option<u64> {
        stamp_of(&self.index).filter(|s| s.schema == schema::SCHEMA_VERSION).map(|s| s.generation)
    }

    /// Bytes of memory the facet tables hold (one `u32` per document and facet value).
    pub fn facet_table_bytes(&self) -> usize {
        self.facet_tables.bytes()
    }

    /// Number of documents.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rebuilds the whole index from the public records of the store.
    pub fn rebuild(&self, store: &dyn RecordStore) -> Result<u64, SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.rebuild_locked(&mut writer, store, None)
    }

    /// Rebuilds, taking the records in `known` from there instead of the store (they must be
    /// what the store holds at the generation it has when the rebuild starts).
    fn rebuild_locked(&self, writer: &mut IndexWriter, store: &dyn RecordStore, known: Option<&Known>) -> Result<u64, SearchError> {
        // the generation first: a write committed while the index is built is caught up by
        // the next `follow` (re-indexing a record twice is harmless; missing one is not)
        let generation = store.generation()?;
        let reads = PublicReads::new(store);
        merges_paused(writer, |writer| {
            writer.delete_all_documents()?;
            let mut added = 0;
            for kind in INDEXED_KINDS {
                let iris = store.iris_of_kind(kind)?;
                // documents are built on every core (each worker with its own cache of what
                // records link to); this thread hands them to tantivy's own indexing threads
                crate::par::ordered_with(
                    &iris,
                    crate::par::threads(),
                    || document::Context::with_known(reads, known),
                    |ctx, iri| -> Result<Option<TantivyDocument>, SearchError> {
                        if let Some((meta, resource)) = known.and_then(|k| k.get(iri)) {
                            if !meta.state.is_public() {
                                return Ok(None);
                            }
                            return Ok(document::document(ctx, &self.fields, meta, resource)?);
                        }
                        let Some((meta, resource)) = reads.resource(iri.as_ref())? else { return Ok(None) };
                        Ok(document::document(ctx, &self.fields, &meta, &resource)?)
                    },
                    |_, doc| {
                        if let Some(doc) = doc {
                            writer.add_document(doc)?;
                            added += 1;
                        }
                        Ok(())
                    },
                )?;
            }
            self.commit_and_merge(writer, generation)?;
            Ok(added)
        })
    }

    /// Brings the index up to the store's generation: the records the change log names since
    /// the generation the index reflects are re-indexed (with every document that shows them);
    /// when the log does not reach back that far, or the index was never built, it is rebuilt.
    /// Returns whether it rebuilt. Safe to call from any thread at any time: calls are
    /// serialised by the index writer and each reads the store afresh.
    pub fn follow(&self, store: &dyn RecordStore) -> Result<bool, SearchError> {
        self.follow_with(store, None)
    }

    /// [`Self::follow`], with records in hand that the store holds as they are at generation
    /// `known.0` (what a commit just wrote): a rebuild that starts at that generation takes them
    /// from there instead of reading them back.
    pub fn follow_with(&self, store: &dyn RecordStore, known: Option<(u64, &Known)>) -> Result<bool, SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // under the writer lock: only valid while nothing was committed after them
        let known = match known {
            Some((generation, k)) if store.generation()? == generation => Some(k),
            _ => None,
        };
        let Some(from) = self.generation() else {
            self.rebuild_locked(&mut writer, store, known)?;
            return Ok(true);
        };
        let current = store.generation()?;
        if from >= current {
            return Ok(false);
        }
        let Some(changes) = store.changes_since(from)? else {
            self.rebuild_locked(&mut writer, store, known)?;
            return Ok(true);
        };
        let Some(upto) = changes.last().map(|c| c.generation) else { return Ok(false) };
        let changed: Vec<NamedNode> = changes.into_iter().flat_map(|c| c.iris).collect::<BTreeSet<_>>().into_iter().collect();
        // a change to a large part of the catalogue (an import, a first harvest) is cheaper to
        // index from scratch than record by record with everything each one touches
        if changed.len() >= REBUILD_AT && changed.len() as u64 * 4 >= self.len() {
            self.rebuild_locked(&mut writer, store, known)?;
            return Ok(true);
        }
        self.update_locked(&mut writer, store, &changed, upto)?;
        Ok(false)
    }

    /// Adds the documents of records that are *not* in the store (built exactly as a rebuild
    /// builds them, reading what they link to from the store), then commits as current. For
    /// benchmarks only, which index more synthetic records than they can afford to load into
    /// the store; the next rebuild drops them.
    #[doc(hidden)]
    pub fn add_unstored(
        &self,
        store: &dyn RecordStore,
        records: impl IntoIterator<Item = (crate::store::RecordMeta, Resource)>,
    ) -> Result<u64, SearchError> {
        let generation = store.generation()?;
        let mut writer = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        merges_paused(&mut writer, |writer| {
            let mut ctx = document::Context::new(PublicReads::new(store));
            let mut added = 0;
            for (meta, resource) in records {
                if let Some(doc) = document::document(&mut ctx, &self.fields, &meta, &resource)? {
                    writer.add_document(doc)?;
                    added += 1;
                }
            }
            self.commit_and_merge(writer, generation)?;
            Ok(added)
        })
    }

    /// Commits, then merges the index into one segment: every search pays per segment (term
    /// lookups, typo automata, facet tables), and a rebuild is the moment to pay for the merge
    /// once. Runs with the writer's own merges paused ([`merges_paused`]: one of them could take
    /// segments this merge names); a merge still running from before is waited out by trying
    /// again.
    fn commit_and_merge(&self, writer: &mut IndexWriter, generation: u64) -> Result<(), SearchError> {
        self.commit(writer, generation)?;
        let mut attempt = 0;
        loop {
            let segments = self.index.searchable_segment_ids()?;
            if segments.len() <= 1 {
                break;
            }
            match writer.merge(&segments).wait() {
                Ok(_) => break,
                Err(e) if attempt < 50 => {
                    tracing::debug!(error = %e, "merging the rebuilt index: trying again");
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.reader.reload()?;
        self.reloaded()
    }

    /// Re-indexes `changed` records (saved or deleted) and every document that shows
    /// something of theirs, and commits as reflecting `generation`.
    fn update_locked(
        &self,
        writer: &mut IndexWriter,
        store: &dyn RecordStore,
        changed: &[NamedNode],
        generation: u64,
    ) -> Result<(), SearchError> {
        let reads = PublicReads::new(store);
        let affected = self.affected(reads, changed)?;
        let mut ctx = document::Context::new(reads);
        for iri in &affected {
            writer.delete_term(Term::from_field_text(self.fields.iri, iri.as_str()));
            if let Some((meta, resource)) = reads.resource(iri.as_ref())?
                && let Some(doc) = document::document(&mut ctx, &self.fields, &meta, &resource)?
            {
                writer.add_document(doc)?;
            }
        }
        self.commit(writer, generation)
    }

    fn commit(&self, writer: &mut IndexWriter, generation: u64) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        let stamp = Stamp { schema: schema::SCHEMA_VERSION, generation };
        prepared.set_payload(&serde_json::to_string(&stamp).expect("stamp serialises"));
        prepared.commit()?;
        self.reader.reload()?;
        self.reloaded()
    }

    /// After the reader reloaded: the facet tables of the segments now searched are built
    /// here (in the writing request) rather than by the next search, and those of merged-away
    /// segments are dropped.
    fn reloaded(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let live: Vec<_> = searcher.segment_readers().iter().map(|s| s.segment_id()).collect();
        self.facet_tables.retain(&live);
        self.facet_tables.warm(searcher.segment_readers())?;
        Ok(())
    }

    /// The records whose documents a change to `changed` touches.
    fn affected(&self, cat: PublicReads<'_>, changed: &[NamedNode]) -> Result<BTreeSet<NamedNode>, SearchError> {
        let mut out: BTreeSet<NamedNode> = changed.iter().cloned().collect();
        // documents that show a changed record (as dataset, publisher, use case, coding system)
        let searcher = self.reader.searcher();
        for iri in changed {
            for name in [FacetName::Dataset, FacetName::Publisher, FacetName::UseCase, FacetName::CodingSystem] {
                let q = TermQuery::new(Term::from_field_text(self.fields.facet(name), iri.as_str()), IndexRecordOption::Basic);
                // every match, unscored (a top-k collector would reserve room for its limit)
                for addr in searcher.search(&q, &DocSetCollector)? {
                    let doc: TantivyDocument = searcher.doc(addr)?;
                    if let Some(s) = doc.get_first(self.fields.iri).and_then(|v| v.as_str())
                        && let Ok(n) = NamedNode::new(s)
                    {
                        out.insert(n);
                    }
                }
            }
        }
        // records the changed ones now point at or gather
        for iri in changed {
            match cat.resource(iri.as_ref())? {
                Some((_, Resource::Dataset(_))) => {
                    out.extend(cat.variables_of_dataset(iri)?);
                    out.extend(cat.parts_of(iri)?);
                }
                Some((_, Resource::UseCase(u))) => {
                    out.extend(u.variables.iter().cloned());
                    out.extend(u.datasets.iter().cloned());
                }
                Some((_, Resource::CodeList(_))) => {
                    out.extend(cat.variables_using_code_list(iri)?);
                    out.extend(cat.concepts_of(iri)?.into_iter().map(|c| c.iri));
                }
                Some((_, Resource::Concept(c))) => {
                    for scheme in &c.in_scheme {
                        out.insert(scheme.clone());
                        out.extend(cat.variables_using_code_list(scheme)?);
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// The coding systems of this searcher's generation (read and compiled once per generation).
    fn code_systems(&self, searcher: &tantivy::Searcher) -> Result<std::sync::Arc<Vec<query::CodeSystem>>, SearchError> {
        let generation = searcher.generation().generation_id();
        {
            let cached = self.systems.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if cached.0 == generation {
                return Ok(cached.1.clone());
            }
        }
        let systems = std::sync::Arc::new(query::code_systems(searcher, &self.fields)?);
        *self.systems.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = (generation, systems.clone());
        Ok(systems)
    }

    /// At most `limit` (1–[`MAX_SUGGESTIONS`]) records whose label, synonym or code starts as
    /// `text` is typed, for the search box (`suggest.rs`).
    pub fn suggest(&self, text: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        suggest::suggest(&self.reader.searcher(), &self.fields, text, limit)
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let searcher = self.reader.searcher();
        if !req.is_browse() {
            let systems = self.code_systems(&searcher)?;
            return query::run(&searcher, &self.fields, &self.facet_tables, &systems, req);
        }
        // the cache belongs to the searcher's generation: a commit makes a new one
        let generation = searcher.generation().generation_id();
        let key = (req.sort, req.offset, req.limit);
        {
            let cache = self.browse.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if cache.generation == generation
                && let Some(r) = cache.pages.get(&key)
            {
                return Ok(r.clone());
            }
        }
        let response = query::run(&searcher, &self.fields, &self.facet_tables, &[], req)?;
        let mut cache = self.browse.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.generation != generation {
            *cache = BrowseCache { generation, pages: HashMap::new() };
        }
        if cache.pages.len() < BROWSE_PAGES {
            cache.pages.insert(key, response.clone());
        }
        Ok(response)
    }
}

/// Runs `f` with the writer's merge policy set to no merges, and puts the log merge policy
/// (for incremental updates) back afterwards, whatever `f` returned.
fn merges_paused<T>(writer: &mut IndexWriter, f: impl FnOnce(&mut IndexWriter) -> Result<T, SearchError>) -> Result<T, SearchError> {
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let result = f(writer);
    writer.set_merge_policy(Box::new(LogMergePolicy::default()));
    result
}

fn stamp_of(index: &Index) -> Option<Stamp> {
    let payload = index.load_metas().ok()?.payload?;
    serde_json::from_str(&payload).ok()
}
