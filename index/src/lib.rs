//! ArchiveDesk (档案查询台): the engine behind the counter of a county archive. It keeps the
//! catalogues of livelihood archives in SQLite and finds people in them however their records
//! were written.

pub mod api;
pub mod archive;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod certificate;
pub mod clerks;
pub mod cross;
pub mod demo;
pub mod error;
pub mod eval;
pub mod failpoint;
pub mod host_service;
pub mod http;
pub mod import;
pub mod import_jobs;
pub mod lan;
pub mod logins;
pub mod memory_ceiling;
pub mod ocr;
pub mod open_data;
pub mod ops;
pub mod page_image;
pub mod page_reading;
pub mod page_rows;
pub mod paths;
pub mod peers;
pub mod person;
pub mod privacy;
pub mod private_file;
pub mod register;
pub mod scan_kind;
pub mod search;
pub mod session;
pub mod shown;
pub mod store;
pub mod text;
pub mod usage;

pub use archive::Archive;
pub use error::{Error, ErrorCode, Result};
