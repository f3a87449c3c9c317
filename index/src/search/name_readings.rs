//! The pinyin terms of the names being indexed, worked out once per distinct name: a person's
//! rows recur in every year's wage table and namesakes are common, so most rows of a large
//! delivery repeat a name the feeding thread has already read.

use std::collections::HashMap;
use std::rc::Rc;

use crate::text::name_pinyin;

/// Distinct names remembered at most (some 350 bytes each with their terms, about 18 MB);
/// when full, the memory starts over.
const MAX_NAMES: usize = 50_000;

/// A name's readings as the index holds them (see `documents::index_documents`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NameTerms {
    /// Every full reading, the likeliest first.
    pub full: Box<[Box<str>]>,
    /// The fuzzy readings that no full reading already spells.
    pub fuzzy: Box<[Box<str>]>,
    pub initials: Box<[Box<str>]>,
}

impl NameTerms {
    /// The likeliest reading, which outranks the rare readings of the same characters.
    pub fn main(&self) -> Option<&str> {
        self.full.first().map(|f| &**f)
    }

    fn of(name: &str) -> NameTerms {
        let readings = name_pinyin(name);
        let terms = |v: Vec<String>| v.into_iter().map(String::into_boxed_str).collect();
        let fuzzy = readings
            .fuzzy
            .into_iter()
            .filter(|z| !readings.full.contains(z))
            .collect();
        NameTerms {
            full: terms(readings.full),
            fuzzy: terms(fuzzy),
            initials: terms(readings.initials),
        }
    }
}

/// The readings of the names one thread indexes.
#[derive(Default)]
pub struct NameReadings {
    known: HashMap<Box<str>, Rc<NameTerms>>,
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
        self.known.insert(name.into(), Rc::clone(&terms));
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(terms: &[Box<str>]) -> Vec<&str> {
        terms.iter().map(|t| &**t).collect()
    }

    #[test]
    fn a_name_reads_as_its_pinyin_the_first_time_and_the_second() {
        let mut readings = NameReadings::default();
        let first = readings.of("刘建国");
        let alone = name_pinyin("刘建国");
        assert_eq!(strings(&first.full), alone.full);
        assert_eq!(strings(&first.initials), alone.initials);
        assert_eq!(first.main(), Some("liujianguo"));
        // 刘 is heard as niu (n/l): a fuzzy reading no full reading spells.
        assert_eq!(strings(&first.fuzzy), ["niujianguo"]);
        let again = readings.of("刘建国");
        assert!(Rc::ptr_eq(&first, &again), "the second time is remembered");
    }

    #[test]
    fn a_fuzzy_reading_that_a_full_one_spells_is_not_indexed_twice() {
        // zhou xiao wen has no n/l, f/h or -n/-ng to confuse: its fuzzy reading is its full one.
        let alone = name_pinyin("周小文");
        assert_eq!(alone.fuzzy, alone.full);
        let terms = NameReadings::default().of("周小文");
        assert!(terms.fuzzy.is_empty(), "{terms:?}");
        assert_eq!(terms.main(), Some("zhouxiaowen"));
    }

    #[test]
    fn the_memory_starts_over_when_full_and_still_answers() {
        let mut readings = NameReadings::default();
        for i in 0..MAX_NAMES {
            readings
                .known
                .insert(format!("名{i}").into(), Rc::default());
        }
        let terms = readings.of("王秀英");
        assert_eq!(terms.main(), Some("wangxiuying"));
        assert_eq!(readings.known.len(), 1);
    }
}
