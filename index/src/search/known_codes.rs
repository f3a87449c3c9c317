//! What the codes of a typed query name in this archive, from the index's term dictionaries:
//! the 档号 keys a typed 档号 stands for (itself, or the keys it names with leading zeros left
//! out) and whether a 文号 key exists. Analysis asks (`analyze::Known`); the index answers.

use std::collections::BTreeSet;

use tantivy::schema::Field;
use tantivy::{Searcher, Term};
use tantivy_fst::Regex;

use super::schema::Fields;
use crate::text::codes::ref_code_loose_pattern;

/// What reading a query asks of the archive.
pub trait Known {
    /// The archive's 档号 keys that `key` names: itself when the archive has it, else the keys
    /// that differ only in leading zeros of its numbers (none when there are too many).
    fn ref_keys(&self, key: &str) -> Vec<String>;
    fn has_doc_number(&self, key: &str) -> bool;
}

/// An archive that holds no codes: reading a query without the index (highlights, tests).
pub struct NothingKnown;

impl Known for NothingKnown {
    fn ref_keys(&self, _: &str) -> Vec<String> {
        Vec::new()
    }

    fn has_doc_number(&self, _: &str) -> bool {
        false
    }
}

/// More keys than this for a loosely typed 档号 is a prefix, not a 档号 the clerk meant.
const LOOSE_KEYS_MAX: usize = 16;

pub struct IndexKnown<'a> {
    searcher: &'a Searcher,
    ref_key: Field,
    doc_number_key: Field,
}

impl<'a> IndexKnown<'a> {
    pub fn new(searcher: &'a Searcher, f: &Fields) -> Self {
        IndexKnown {
            searcher,
            ref_key: f.ref_key,
            doc_number_key: f.doc_number_key,
        }
    }

    fn has(&self, field: Field, key: &str) -> bool {
        self.searcher
            .doc_freq(&Term::from_field_text(field, key))
            .is_ok_and(|n| n > 0)
    }

    /// Keys of `field` the pattern matches, at most `max` (None when there are more).
    fn matching(&self, field: Field, pattern: &str, max: usize) -> Option<BTreeSet<String>> {
        let regex = Regex::new(pattern).ok()?;
        let mut keys = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = index.terms().search(&regex).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(key) = std::str::from_utf8(stream.key()) {
                    keys.insert(key.to_string());
                }
                if keys.len() > max {
                    return None;
                }
            }
        }
        Some(keys)
    }
}

impl Known for IndexKnown<'_> {
    fn ref_keys(&self, key: &str) -> Vec<String> {
        if key.is_empty() {
            return Vec::new();
        }
        // An exact 档号 is that document alone, whatever looser keys exist.
        if self.has(self.ref_key, key) {
            return vec![key.to_string()];
        }
        if !key.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        self.matching(self.ref_key, &ref_code_loose_pattern(key), LOOSE_KEYS_MAX)
            .map(|keys| keys.into_iter().collect())
            .unwrap_or_default()
    }

    fn has_doc_number(&self, key: &str) -> bool {
        self.has(self.doc_number_key, key)
    }
}
