//! Backups of the data folder's only copy of the register, the certificates and the audit
//! trail, and their restore (see `take`, `restore`); the daily backup set in 设置 (`daily`).

pub mod daily;
pub mod encryption;
pub mod manifest;
pub mod restore;
pub mod take;
