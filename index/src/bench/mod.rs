//! Benchmarks that print figures beside a baseline measured in the same run: `import` (store
//! import against SQLite bulk insert and FTS5), `search` (import+index and query latency
//! against SQLite FTS5 trigram) `soak` (`serve` under load: its end against its start) `lan_load` (desks on a LAN host against the same clerks on one loopback door) and `peer_load`
//! (archives asking each other over their peer doors against the same questions answered in process). Each case runs in a child process so its memory is its own.

mod bench_error;
mod child;
pub mod delivery;
mod fts5;
mod import;
pub mod lan_load;
mod loopback_client;
pub mod memory;
mod mixed_delivery;
pub mod ocr;
pub mod peer_load;
mod queries;
pub mod search;
pub mod soak;

pub use import::*;

/// Imports a benchmark catalogue as a clerk would: one wage-table file, its category given.
fn import_wage_catalogue(
    archive: &mut crate::Archive,
    catalogue: &std::path::Path,
) -> crate::Result<crate::api::ImportReport> {
    archive.import(
        &crate::api::ImportRequest {
            paths: vec![catalogue.to_path_buf()],
            category: Some("工资调整".into()),
            ..crate::api::ImportRequest::default()
        },
        &mut |_| {},
    )
}
