//! Certified copies (出具档案证明): the PDF, issuing it from a request under a number of the
//! year and desk, and checking one someone presents.

pub mod issue;
pub mod pdf;
pub mod records;
pub mod verify;

pub use pdf::*;
