//! Work units are few and repeat on every row of a table, so they are not indexed as text on
//! each entry: each entry carries its unit's key, and a query finds the units whose key
//! contains the typed text by reading the index's own list of distinct units.

use tantivy::query::{EmptyQuery, Query};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::error::Result;
use crate::text::normalize_text;

/// What a unit is indexed and looked up by: normalized (widths, traditional characters,
/// case) and without spaces, so that 清源县 第二水泥厂 and 清源縣第二水泥廠 are one unit.
pub fn unit_key(raw: &str) -> String {
    normalize_text(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The distinct unit keys that contain `text`.
pub fn units_containing(searcher: &Searcher, field: Field, text: &str) -> Result<Vec<String>> {
    let wanted = unit_key(text);
    let mut found: Vec<String> = Vec::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key()) {
                if key.contains(&wanted) && !found.iter().any(|f| f == key) {
                    found.push(key.to_string());
                }
            }
        }
    }
    Ok(found)
}

/// Entries whose unit contains `text`; matches nothing when no unit does.
pub fn unit_query(searcher: &Searcher, field: Field, text: &str) -> Result<Box<dyn Query>> {
    let units = units_containing(searcher, field, text)?;
    if units.is_empty() {
        return Ok(Box::new(EmptyQuery));
    }
    Ok(super::clauses::any_term(
        units
            .iter()
            .map(|u| Term::from_field_text(field, u))
            .collect(),
    ))
}
