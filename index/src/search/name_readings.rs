//! The pinyin terms of the names being indexed, worked out once per distinct name: a person's
//! rows recur in every year's wage table and namesakes are common, so most rows of a large
//! delivery repeat a name the feeding thread has already read.

use std::collections::HashMap;
use std::rc::Rc;

use crate::text::name_pinyin;

/// Distinct names remembered at most (about 15 MB); when full, the memory starts over.
const MAX_NAMES: usize = 100_000;

/// A name's readings as the index holds them (see `documents::index_documents`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NameTerms {
    /// Every full reading, the likeliest first.
    pub full: Vec<String>,
    /// The fuzzy readings that no full reading already spells.
    pub fuzzy: Vec<String>,
    pub initials: Vec<String>,
}

impl NameTerms {
    /// The likeliest reading, which outranks the rare readings of the same characters.
    pub fn main(&self) -> Option<&str> {
        self.full.first().map(String::as_str)
    }

    fn of(name: &str) -> NameTerms {
        let readings = name_pinyin(name);
        let fuzzy = readings
            .fuzzy
            .into_iter()
            .filter(|z| !readings.full.contains(z))
            .collect();
        NameTerms {
            full: readings.full,
            fuzzy,
            initials: readings.initials,
        }
    }
}

/// The readings of the names one thread indexes.
#[derive(Default)]
pub struct NameReadings {
    known: HashMap<String, Rc<NameTerms>>,
}

impl NameReadings {
    pub fn of(&mut self, name: &str) -> Rc<NameTerms> {
        if let Some(terms) = self.known.get(name) {
            return Rc::clone(terms);
        }
        if self.known.len() >= MAX_NAMES {
            self.known.clear();
        }
        let terms = Rc::new(NameTerms::of(name));
        self.known.insert(name.to_string(), Rc::clone(&terms));
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_reads_the_same_the_second_time_and_as_worked_out_alone() {
        let mut readings = NameReadings::default();
        let first = readings.of("刘建国");
        assert_eq!(first.main(), Some("liujianguo"));
        assert!(first.initials.contains(&"ljg".to_string()));
        // 刘 folds to niu (n/l), which no full reading spells.
        assert!(first.fuzzy.iter().all(|z| !first.full.contains(z)));
        assert!(!first.fuzzy.is_empty());
        let again = readings.of("刘建国");
        assert!(Rc::ptr_eq(&first, &again), "the second time is remembered");
        assert_eq!(*again, NameTerms::of("刘建国"));
    }

    #[test]
    fn the_memory_starts_over_when_full_and_still_answers() {
        let mut readings = NameReadings::default();
        for i in 0..MAX_NAMES {
            readings.known.insert(format!("名{i}"), Rc::default());
        }
        let terms = readings.of("王秀英");
        assert_eq!(terms.main(), Some("wangxiuying"));
        assert_eq!(readings.known.len(), 1);
    }
}
