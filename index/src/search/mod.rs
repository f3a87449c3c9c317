//! Search over the archive (tantivy). The index is derived from the store and can always be
//! rebuilt: `index` keeps it following the store's change log, `documents` turns store rows
//! into index documents, `analyze` reads the typed query, `clauses` turns its terms into
//! tiered queries, `run` executes them, `facets` and `snippet` fill in the response.

pub mod analyze;
pub mod cjk_tokenizer;
pub mod clauses;
pub mod documents;
pub mod facets;
pub mod index;
pub mod person_lookup;
pub mod run;
pub mod schema;
pub mod snippet;
pub mod units;

pub use index::SearchIndex;
