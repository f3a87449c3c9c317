//! Search over the archive (tantivy). The index is derived from the store and can always be
//! rebuilt; this module grows into the schema, indexing and query analysis of the search.

pub mod cjk_tokenizer;
