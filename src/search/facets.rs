//! Facet counts in one pass over the matching documents.
//!
//! Owns: the collector that counts the values of every facet for each matching document and
//! applies the facet filters itself, and the per-segment table it reads them from.
//!
//! A document that passes every facet filter goes on to the inner collector (the hits and the
//! total); a document that fails the filter of one selected facet only still counts for that
//! facet, so that a facet with a selection shows the counts its other values would give
//! (disjunctive facets) without another search per selected facet. The query the collector
//! runs under must therefore hold the text and the year range but *not* the facet filters.
//!
//! The values come from the facet fields' fast-field term ordinals, flattened once per segment
//! into one array of "slots" per document (a slot is a facet's base plus a term ordinal), so
//! that a search reads each document's facet values in one short contiguous run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Dictionary;
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema::{FacetName, Fields};

const FACETS: usize = FacetName::ALL.len();

/// Value counts of one facet, in no particular order.
pub type ValueCounts = Vec<(String, u64)>;

/// The facet values of every document of one segment.
pub struct SegmentFacets {
    /// Document `d`'s slots are `slots[offsets[d]..offsets[d + 1]]`.
    offsets: Vec<u32>,
    slots: Vec<u32>,
    /// Facet `f`'s slots are `base[f]..base[f + 1]` (slot minus base is the term ordinal).
    base: [u32; FACETS + 1],
    dicts: Vec<Option<Arc<Dictionary>>>,
}

impl SegmentFacets {
    fn build(segment: &SegmentReader) -> tantivy::Result<Self> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(FACETS);
        let mut dicts = Vec::with_capacity(FACETS);
        let mut base = [0u32; FACETS + 1];
        for (i, name) in FacetName::ALL.into_iter().enumerate() {
            let (dict, column) = match fast.str(&Fields::facet_field_name(name))? {
                Some(c) => {
                    let (d, col) = c.into_parts();
                    (Some(d), Some(col))
                }
                None => (None, None),
            };
            let terms = dict.as_ref().map_or(0, |d| d.num_terms()) as u32;
            base[i + 1] = base[i] + terms;
            dicts.push(dict);
            columns.push(column);
        }
        let max_doc = segment.max_doc();
        let mut offsets = Vec::with_capacity(max_doc as usize + 1);
        let mut slots = Vec::with_capacity(max_doc as usize * 8);
        offsets.push(0);
        for doc in 0..max_doc {
            for (f, column) in columns.iter().enumerate() {
                if let Some(column) = column {
                    slots.extend(column.values_for_doc(doc).map(|o| base[f] + o as u32));
                }
            }
            offsets.push(slots.len() as u32);
        }
        slots.shrink_to_fit();
        Ok(Self { offsets, slots, base, dicts })
    }

    fn slots_of(&self, doc: DocId) -> &[u32] {
        &self.slots[self.offsets[doc as usize] as usize..self.offsets[doc as usize + 1] as usize]
    }

    fn len(&self) -> usize {
        self.base[FACETS] as usize
    }

    /// Bytes held (for the record).
    pub fn bytes(&self) -> usize {
        (self.offsets.len() + self.slots.len()) * 4
    }
}

/// The [`SegmentFacets`] of the segments in use, built on first use and kept while the segment
/// lives (deletions do not change a segment's columns).
#[derive(Default)]
pub struct FacetTables {
    tables: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetTables {
    fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let mut tables = self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(t) = tables.get(&segment.segment_id()) {
            return Ok(t.clone());
        }
        let t = Arc::new(SegmentFacets::build(segment)?);
        tables.insert(segment.segment_id(), t.clone());
        Ok(t)
    }

    /// Forgets the tables of segments no longer in `live` (after a commit or a merge).
    pub fn retain(&self, live: &[SegmentId]) {
        let mut tables = self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        tables.retain(|id, _| live.contains(id));
    }

    /// Bytes the tables hold.
    pub fn bytes(&self) -> usize {
        self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner).values().map(|t| t.bytes()).sum()
    }

    /// Builds the tables of `segments` now, so that no search pays for it.
    pub fn warm(&self, segments: &[SegmentReader]) -> tantivy::Result<()> {
        for s in segments {
            self.of(s)?;
        }
        Ok(())
    }
}

/// Counts every facet and forwards the documents that pass all facet filters to `inner`.
pub struct FacetPass<'t, C> {
    tables: &'t FacetTables,
    /// Most values returned per facet (besides the selected ones, always returned).
    top: usize,
    /// (facet, selected values) for each facet with a selection.
    selected: Vec<(FacetName, Vec<String>)>,
    inner: C,
}

impl<'t, C> FacetPass<'t, C> {
    pub fn new(tables: &'t FacetTables, top: usize, selected: Vec<(FacetName, Vec<String>)>, inner: C) -> Self {
        Self { tables, top, selected, inner }
    }

    fn is_selected(&self, f: usize, value: &str) -> bool {
        self.selected.iter().any(|(n, vs)| n.index() == f && vs.iter().any(|v| v == value))
    }

    /// The counted values of one segment, facet by facet: the `top` most frequent (ties in
    /// value order, which is term-ordinal order) and the selected ones, as text only for those.
    fn pick(&self, table: &SegmentFacets, counts: &[u32]) -> Vec<ValueCounts> {
        (0..FACETS)
            .map(|f| {
                let Some(dict) = &table.dicts[f] else { return Vec::new() };
                let base = table.base[f];
                let mut counted: Vec<(u32, u32)> =
                    (0..table.base[f + 1] - base).filter_map(|o| Some((counts[(base + o) as usize], o)).filter(|c| c.0 > 0)).collect();
                let order = |a: &(u32, u32), b: &(u32, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
                let mut rest = Vec::new();
                if counted.len() > self.top {
                    counted.select_nth_unstable_by(self.top, order);
                    rest = counted.split_off(self.top);
                }
                // the selected values beyond the top
                let selected: Vec<u64> = self
                    .selected
                    .iter()
                    .filter(|(n, _)| n.index() == f)
                    .flat_map(|(_, vs)| vs.iter().filter_map(|v| dict.term_ord(v).ok().flatten()))
                    .collect();
                counted.extend(rest.into_iter().filter(|(_, o)| selected.contains(&u64::from(*o))));
                counted.sort_by_key(|c| c.1);
                let ords: Vec<u64> = counted.iter().map(|c| u64::from(c.1)).collect();
                let mut out = Vec::with_capacity(ords.len());
                let mut at = counted.iter();
                // the dictionary is sorted, so the terms of sorted ordinals come in one scan
                let _ = dict.sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some((n, _)) = at.next() {
                        out.push((String::from_utf8_lossy(bytes).into_owned(), u64::from(*n)));
                    }
                });
                out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                out
            })
            .collect()
    }
}

impl<C: Collector> Collector for FacetPass<'_, C> {
    type Fruit = (C::Fruit, Vec<ValueCounts>);
    type Child = FacetSegment<C::Child>;

    fn for_segment(&self, ord: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let table = self.tables.of(segment)?;
        // bit i stands for the filter of the i-th selected facet
        let (mut value_bit, mut facet_bit) = (Vec::new(), Vec::new());
        let mut all = 0u32;
        if !self.selected.is_empty() {
            value_bit = vec![0u32; table.len()];
            facet_bit = vec![0u32; table.len()];
            for (i, (name, values)) in self.selected.iter().enumerate() {
                let bit = 1u32 << i;
                all |= bit;
                let f = name.index();
                for slot in table.base[f]..table.base[f + 1] {
                    facet_bit[slot as usize] = bit;
                }
                if let Some(dict) = &table.dicts[f] {
                    for v in values {
                        if let Some(o) = dict.term_ord(v)? {
                            value_bit[(table.base[f] + o as u32) as usize] = bit;
                        }
                    }
                }
            }
        }
        Ok(FacetSegment { counts: vec![0u32; table.len()], table, value_bit, facet_bit, all, inner: self.inner.for_segment(ord, segment)? })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(&self, fruits: Vec<<Self::Child as SegmentCollector>::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut inner = Vec::with_capacity(fruits.len());
        let counts = if fruits.len() == 1 {
            let (fruit, (table, counts)) = fruits.into_iter().next().expect("one fruit");
            inner.push(fruit);
            self.pick(&table, &counts)
        } else {
            // several segments: every counted value as text, summed, then the top
            let mut merged: Vec<HashMap<String, u64>> = vec![HashMap::new(); FACETS];
            for (fruit, (table, counts)) in fruits {
                inner.push(fruit);
                let all = FacetPass { tables: self.tables, top: usize::MAX, selected: Vec::new(), inner: () };
                for (m, values) in merged.iter_mut().zip(all.pick(&table, &counts)) {
                    for (v, n) in values {
                        *m.entry(v).or_default() += n;
                    }
                }
            }
            merged
                .into_iter()
                .enumerate()
                .map(|(f, m)| {
                    let mut values: Vec<(String, u64)> = m.into_iter().collect();
                    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    let (mut top, rest) = if values.len() > self.top {
                        let rest = values.split_off(self.top);
                        (values, rest)
                    } else {
                        (values, Vec::new())
                    };
                    top.extend(rest.into_iter().filter(|(v, _)| self.is_selected(f, v)));
                    top
                })
                .collect()
        };
        Ok((self.inner.merge_fruits(inner)?, counts))
    }
}

/// The per-segment side of [`FacetPass`].
pub struct FacetSegment<S> {
    table: Arc<SegmentFacets>,
    /// Per slot: the bit of the filter this value satisfies (0 when none).
    value_bit: Vec<u32>,
    /// Per slot: the bit of the filter of this value's facet (0 for a facet without one).
    facet_bit: Vec<u32>,
    /// Every filter's bit.
    all: u32,
    counts: Vec<u32>,
    inner: S,
}

impl<S: SegmentCollector> SegmentCollector for FacetSegment<S> {
    type Fruit = (S::Fruit, (Arc<SegmentFacets>, Vec<u32>));

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        let slots = self.table.slots_of(doc);
        if self.all == 0 {
            self.inner.collect(doc, score);
            for &s in slots {
                self.counts[s as usize] += 1;
            }
            return;
        }
        let mut passed = 0u32;
        for &s in slots {
            passed |= self.value_bit[s as usize];
        }
        let failed = self.all & !passed;
        if failed == 0 {
            self.inner.collect(doc, score);
            for &s in slots {
                self.counts[s as usize] += 1;
            }
        } else if failed.is_power_of_two() {
            // failed one filter only: counts for that filter's facet
            for &s in slots {
                if self.facet_bit[s as usize] == failed {
                    self.counts[s as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.inner.harvest(), (self.table, self.counts))
    }
}
