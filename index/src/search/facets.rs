//! Facet counts by category and year over every match (not only the page shown), read from
//! the fast columns of each segment as the search walks its matches.

use std::collections::HashMap;

use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

use crate::api::{FacetCount, Facets};

/// Years counted in a plain array from this one on (a map beyond it).
const FIRST_YEAR: u64 = 1800;
const YEARS: usize = 400;

pub struct FacetCounter {
    category: Option<StrColumn>,
    year: Option<Column<u64>>,
    /// This segment's categories by term ordinal; turned into text when the segment ends.
    /// Counting runs once per match, so it is an array, not a map.
    category_ords: Vec<usize>,
    categories: HashMap<String, usize>,
    years: Vec<usize>,
    other_years: HashMap<u64, usize>,
}

impl Default for FacetCounter {
    fn default() -> Self {
        FacetCounter {
            category: None,
            year: None,
            category_ords: Vec::new(),
            categories: HashMap::new(),
            years: vec![0; YEARS],
            other_years: HashMap::new(),
        }
    }
}

impl FacetCounter {
    pub fn start_segment(&mut self, segment: &SegmentReader) -> tantivy::Result<()> {
        self.finish_segment();
        let fast = segment.fast_fields();
        self.category = fast.str("category")?;
        self.year = fast.column_opt::<u64>("year")?;
        Ok(())
    }

    pub fn count(&mut self, doc: DocId) {
        if let Some(ord) = self.category.as_ref().and_then(|c| c.ords().first(doc)) {
            let ord = ord as usize;
            if ord >= self.category_ords.len() {
                self.category_ords.resize(ord + 1, 0);
            }
            self.category_ords[ord] += 1;
        }
        if let Some(year) = self.year.as_ref().and_then(|c| c.first(doc)) {
            self.count_year(year);
        }
    }

    fn count_year(&mut self, year: u64) {
        match year
            .checked_sub(FIRST_YEAR)
            .filter(|i| (*i as usize) < YEARS)
        {
            Some(i) => self.years[i as usize] += 1,
            None => *self.other_years.entry(year).or_default() += 1,
        }
    }

    /// The category and year of `doc` in the current segment, to be counted later.
    pub fn values(&self, doc: DocId) -> (Option<String>, Option<u64>) {
        let category = self.category.as_ref().and_then(|c| {
            let ord = c.ords().first(doc)?;
            let mut text = String::new();
            (c.ord_to_str(ord, &mut text).ok()? && !text.is_empty()).then_some(text)
        });
        (category, self.year.as_ref().and_then(|c| c.first(doc)))
    }

    /// Counts a match whose values were read earlier with `values`.
    pub fn count_values(&mut self, category: Option<&str>, year: Option<u64>) {
        if let Some(c) = category {
            *self.categories.entry(c.to_string()).or_default() += 1;
        }
        if let Some(y) = year {
            self.count_year(y);
        }
    }

    fn finish_segment(&mut self) {
        if let Some(column) = &self.category {
            let counted = std::mem::take(&mut self.category_ords);
            for (ord, count) in counted.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                let ord = ord as u64;
                let mut text = String::new();
                if column.ord_to_str(ord, &mut text).unwrap_or(false) && !text.is_empty() {
                    *self.categories.entry(text).or_default() += count;
                }
            }
        }
    }

    /// Adds the counts of another walk over other records.
    pub fn merge(&mut self, mut other: FacetCounter) {
        self.finish_segment();
        other.finish_segment();
        for (category, count) in other.categories {
            *self.categories.entry(category).or_default() += count;
        }
        for (mine, theirs) in self.years.iter_mut().zip(other.years) {
            *mine += theirs;
        }
        for (year, count) in other.other_years {
            *self.other_years.entry(year).or_default() += count;
        }
    }

    /// Categories by count (largest first), years in order.
    pub fn into_facets(mut self) -> Facets {
        self.finish_segment();
        let mut category: Vec<FacetCount> = self
            .categories
            .into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect();
        category.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        let mut years: Vec<(u64, usize)> = self
            .years
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (FIRST_YEAR + i as u64, *c))
            .chain(self.other_years)
            .collect();
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
