//! Facet counts in one pass over the matching documents.
//!
//! Owns: the collector that counts the values of every facet from the fast-field term
//! ordinals of each matching document, and applies the facet filters itself. A document that
//! passes every facet filter goes on to the inner collector (the hits and the total); a
//! document that fails the filter of one selected facet only still counts for that facet, so
//! that a facet with a selection shows the counts its other values would give (disjunctive
//! facets) without another search per selected facet.
//!
//! The query the collector runs under must therefore hold the text and the year range but
//! *not* the facet filters.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, Dictionary, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema::{FacetName, Fields};

const FACETS: usize = FacetName::ALL.len();

/// Value counts of one facet, in no particular order.
pub type ValueCounts = Vec<(String, u64)>;

/// Counts every facet and forwards the documents that pass all facet filters to `inner`.
pub struct FacetPass<C> {
    /// (facet, selected values) for each facet with a selection.
    selected: Vec<(FacetName, Vec<String>)>,
    inner: C,
}

impl<C> FacetPass<C> {
    pub fn new(selected: Vec<(FacetName, Vec<String>)>, inner: C) -> Self {
        assert!(selected.len() <= 32, "at most 32 facets");
        Self { selected, inner }
    }
}

impl<C: Collector> Collector for FacetPass<C> {
    type Fruit = (C::Fruit, Vec<ValueCounts>);
    type Child = FacetSegment<C::Child>;

    fn for_segment(&self, ord: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let mut columns: Vec<Option<(Arc<Dictionary>, Column<u64>)>> = Vec::with_capacity(FACETS);
        for name in FacetName::ALL {
            columns.push(fast.str(&Fields::facet_field_name(name))?.map(StrColumn::into_parts));
        }
        let mut filters = Vec::with_capacity(self.selected.len());
        let mut selected_bit = [0u32; FACETS];
        for (bit, (name, values)) in self.selected.iter().enumerate() {
            let mut ords = Vec::new();
            if let Some((dict, _)) = &columns[name.index()] {
                for v in values {
                    if let Some(o) = dict.term_ord(v)? {
                        ords.push(o);
                    }
                }
            }
            ords.sort_unstable();
            filters.push((name.index(), ords));
            selected_bit[name.index()] = 1 << bit;
        }
        let counts = columns.iter().map(|c| vec![0u32; c.as_ref().map_or(0, |(d, _)| d.num_terms())]).collect();
        Ok(FacetSegment {
            ords: columns.iter().map(|c| c.as_ref().map(|(_, col)| col.clone())).collect(),
            dicts: columns.into_iter().map(|c| c.map(|(d, _)| d)).collect(),
            filters,
            selected_bit,
            counts,
            inner: self.inner.for_segment(ord, segment)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut inner = Vec::with_capacity(fruits.len());
        let mut merged: Vec<HashMap<String, u64>> = vec![HashMap::new(); FACETS];
        let single = fruits.len() == 1;
        let mut only: Option<Vec<ValueCounts>> = None;
        for (fruit, counts) in fruits {
            inner.push(fruit);
            if single {
                only = Some(counts);
                continue;
            }
            for (m, values) in merged.iter_mut().zip(counts) {
                for (v, n) in values {
                    *m.entry(v).or_default() += n;
                }
            }
        }
        let counts = only.unwrap_or_else(|| merged.into_iter().map(|m| m.into_iter().collect()).collect());
        Ok((self.inner.merge_fruits(inner)?, counts))
    }
}

/// The per-segment side of [`FacetPass`].
pub struct FacetSegment<S> {
    ords: Vec<Option<Column<u64>>>,
    dicts: Vec<Option<Arc<Dictionary>>>,
    /// (facet index, the selected values' term ordinals in this segment, sorted).
    filters: Vec<(usize, Vec<u64>)>,
    /// The bit of a facet's filter in the failure mask, 0 for a facet without a selection.
    selected_bit: [u32; FACETS],
    counts: Vec<Vec<u32>>,
    inner: S,
}

impl<S: SegmentCollector> SegmentCollector for FacetSegment<S> {
    type Fruit = (S::Fruit, Vec<ValueCounts>);

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        // which selected facets' filters this document fails
        let mut failed = 0u32;
        for (bit, (facet, wanted)) in self.filters.iter().enumerate() {
            let pass = match &self.ords[*facet] {
                Some(column) if !wanted.is_empty() => column.values_for_doc(doc).any(|o| wanted.binary_search(&o).is_ok()),
                _ => false,
            };
            if !pass {
                failed |= 1 << bit;
            }
        }
        if failed == 0 {
            self.inner.collect(doc, score);
        } else if failed.count_ones() > 1 {
            return;
        }
        for (facet, column) in self.ords.iter().enumerate() {
            // a facet counts the documents that pass every filter but (perhaps) its own
            if failed & !self.selected_bit[facet] != 0 {
                continue;
            }
            if let Some(column) = column {
                let counts = &mut self.counts[facet];
                for o in column.values_for_doc(doc) {
                    counts[o as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let counts = self
            .counts
            .iter()
            .zip(&self.dicts)
            .map(|(counts, dict)| {
                let Some(dict) = dict else { return Vec::new() };
                let ords: Vec<u64> = (0..counts.len() as u64).filter(|o| counts[*o as usize] > 0).collect();
                let mut out = Vec::with_capacity(ords.len());
                let mut at = ords.iter();
                // the dictionary is sorted, so the terms of sorted ordinals come in one scan
                let _ = dict.sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some(o) = at.next() {
                        out.push((String::from_utf8_lossy(bytes).into_owned(), u64::from(counts[*o as usize])));
                    }
                });
                out
            })
            .collect();
        (self.inner.harvest(), counts)
    }
}
