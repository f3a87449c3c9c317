//! Benchmarks that print figures beside a baseline measured in the same run: `import` (store
//! import against SQLite bulk insert and FTS5) and `search` (import+index and query latency
//! against SQLite FTS5 trigram). Each case runs in a child process so its memory is its own.

mod fts5;
mod import;
pub mod memory;
mod queries;
pub mod search;

pub use import::*;
