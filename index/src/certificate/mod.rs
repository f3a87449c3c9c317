//! Certified copies (出具档案证明): the PDF, its preview, issuing it from a request under a number
//! of the year and desk, voiding one issued by mistake, and checking one someone presents.

pub mod draft;
pub mod issue;
pub mod pdf;
pub mod preview;
pub mod records;
pub mod verify;
pub mod void;

pub use pdf::*;
