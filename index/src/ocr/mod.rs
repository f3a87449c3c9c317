//! Reading scanned pages (OCR) with PaddleOCR's PP-OCR models, as RapidOCR runs them: the
//! detection model's probability map turned into line rectangles (`text_regions`), each line
//! cut out and fed to the recognition model (`input`), whose output is decoded character by
//! character with the time step that places each character along its line (`ctc`).

pub mod ctc;
pub mod input;
pub mod reader;
pub mod text_regions;
