//! Reading scanned pages (OCR) with PaddleOCR's PP-OCR models, as RapidOCR runs them: the
//! detection model's probability map turned into line rectangles (`text_regions`), each line
//! cut out and fed to the recognition model (`input`), whose output is decoded character by
//! character with the time step that places each character along its line (`ctc`). A page
//! file read (`page_file`) keeps its text row by row (`table_rows`) and every character's box
//! (`stored_lines`), so that the viewer can box what a search found (`found_boxes`).

pub mod ctc;
pub mod found_boxes;
pub mod input;
pub mod models;
pub mod page_file;
pub mod pdf_pages;
pub mod reader;
pub mod stored_lines;
pub mod table_rows;
pub mod text_regions;
