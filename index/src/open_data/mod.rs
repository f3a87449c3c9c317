//! Open data for portals and other institutions: the catalogue of open documents, one Dublin
//! Core record per document, harvested over OAI-PMH 2.0 and searched over SRU 1.2. What is
//! published is the catalogue line alone — never a person row — with every name the archive
//! holds masked wherever it appears, and ID numbers and amounts masked as in any free text.

pub mod answer;
pub mod cql;
pub mod name_mask;
pub mod oai;
pub mod publish;
pub mod sets;
pub mod sru;
mod xml;

pub use answer::OpenDataPlace;
pub use publish::{refresh, DcRecord, Refreshed};
