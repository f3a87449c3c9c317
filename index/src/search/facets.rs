//! Facet counts by category and year over every match (not only the page shown), read from
//! the fast columns of each segment.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::api::{FacetCount, Facets};

pub struct FacetCollector;

pub struct SegmentFacets {
    category: Option<StrColumn>,
    year: Option<Column<u64>>,
    /// Counted by term ordinal first; turned into text once per segment.
    category_ords: HashMap<u64, usize>,
    years: HashMap<u64, usize>,
}

#[derive(Default)]
pub struct FacetFruit {
    category: HashMap<String, usize>,
    year: HashMap<u64, usize>,
}

impl Collector for FacetCollector {
    type Fruit = FacetFruit;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let fast = segment.fast_fields();
        Ok(SegmentFacets {
            category: fast.str("category")?,
            year: fast.column_opt::<u64>("year")?,
            category_ords: HashMap::new(),
            years: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut all = FacetFruit::default();
        for f in fruits {
            for (k, v) in f.category {
                *all.category.entry(k).or_default() += v;
            }
            for (k, v) in f.year {
                *all.year.entry(k).or_default() += v;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(ord) = self.category.as_ref().and_then(|c| c.ords().first(doc)) {
            *self.category_ords.entry(ord).or_default() += 1;
        }
        if let Some(year) = self.year.as_ref().and_then(|c| c.first(doc)) {
            *self.years.entry(year).or_default() += 1;
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut fruit = FacetFruit {
            year: self.years,
            ..FacetFruit::default()
        };
        if let Some(column) = &self.category {
            for (ord, count) in self.category_ords {
                let mut text = String::new();
                if column.ord_to_str(ord, &mut text).unwrap_or(false) && !text.is_empty() {
                    *fruit.category.entry(text).or_default() += count;
                }
            }
        }
        fruit
    }
}

impl FacetFruit {
    /// Categories by count (largest first), years in order.
    pub fn into_facets(self) -> Facets {
        let mut category: Vec<FacetCount> = self
            .category
            .into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        category.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        let mut years: Vec<(u64, usize)> = self.year.into_iter().collect();
        years.sort();
        Facets {
            category,
            year: years
                .into_iter()
                .map(|(y, count)| FacetCount {
                    value: y.to_string(),
                    count,
                })
                .collect(),
        }
    }
}
