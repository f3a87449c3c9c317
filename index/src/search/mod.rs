//! Search over the archive (tantivy). The index is derived from the store and can always be
//! rebuilt: `index` keeps it following the store's change log, `documents` turns store rows
//! into index documents, `analyze` reads the typed query, `clauses` turns its terms into
//! tiered queries and `plan` adds what needs the index to decide (`same_person`: the rows an ID's
//! holder is joined to), `run` walks the matches and
//! ranks them, `hits` fills in the page, `facets` and `snippet` fill in the response.

pub mod analyze;
pub mod background_rebuild;
pub mod cjk_tokenizer;
pub mod clauses;
mod columns;
pub mod documents;
mod excluded;
pub mod facets;
mod hits;
pub mod index;
mod index_directory;
mod index_feeder;
pub mod known_codes;
mod matching;
mod name_readings;
mod order;
pub mod person_lookup;
mod pieces;
mod plan;
pub mod run;
mod same_person;
pub mod schema;
pub mod snippet;
mod token_shape;
pub mod units;
mod walk;

pub use index::SearchIndex;
