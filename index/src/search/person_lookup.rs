//! The person timeline's candidate lookups, answered by the index's exact name and ID keys
//! (the store has no SQLite index on either, to keep imports fast).

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::schema::Fields;
use super::SearchIndex;
use crate::error::Result;
use crate::person::PersonLookup;

/// The lookups answered by one searcher (one view of the index).
pub struct SearcherLookup<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
}

impl SearcherLookup<'_> {
    fn entries_with(&self, field: Field, value: &str) -> Result<Vec<i64>> {
        let query = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        let docs = self.searcher.search(&query, &DocSetCollector)?;
        let mut out: Vec<i64> = super::columns::column_values(self.searcher, docs, "entry_id")?
            .into_iter()
            .map(|id| id as i64)
            .collect();
        out.sort_unstable();
        Ok(out)
    }
}

impl PersonLookup for SearcherLookup<'_> {
    fn entries_by_id_key(&self, id_key: &str) -> Result<Vec<i64>> {
        self.entries_with(self.fields.id_key, id_key)
    }

    fn entries_by_name(&self, name_norm: &str) -> Result<Vec<i64>> {
        self.entries_with(self.fields.name_exact, name_norm)
    }
}

/// The lookups answered by the index as it is now.
impl PersonLookup for SearchIndex {
    fn entries_by_id_key(&self, id_key: &str) -> Result<Vec<i64>> {
        let searcher = self.searcher();
        SearcherLookup {
            searcher: &searcher,
            fields: &self.fields,
        }
        .entries_by_id_key(id_key)
    }

    fn entries_by_name(&self, name_norm: &str) -> Result<Vec<i64>> {
        let searcher = self.searcher();
        SearcherLookup {
            searcher: &searcher,
            fields: &self.fields,
        }
        .entries_by_name(name_norm)
    }
}
