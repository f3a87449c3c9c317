//! Request and response types of scanned pages read by the recognizer (OCR, 扫描页识别): how
//! far the background reading is, and where on a page the words a search found stand.

use serde::{Deserialize, Serialize};

/// How far the reading of scanned pages without text is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageReadingStatus {
    /// Pages read as their files are now.
    pub read: u64,
    /// Pages the recognizer could not read (kept, and not tried again until their file changes).
    pub failed: u64,
    /// Pages waiting to be read.
    pub waiting: u64,
    /// Seconds the waiting pages will take at the pace read so far (None before any page).
    pub seconds_left: Option<u64>,
    /// Whether a reader works through the waiting pages now (the app's or the door's).
    pub running: bool,
    /// Whether the clerk paused it.
    pub paused: bool,
    /// Why it cannot run (no models found, …), in words for the clerk.
    pub problem: Option<String>,
}

/// The words of `query` on one scanned page, as the recognizer placed them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PageWordsRequest {
    pub document_id: i64,
    pub page_no: i64,
    pub query: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageWords {
    pub document_id: i64,
    pub page_no: i64,
    /// The page's size in pixels as the recognizer read it (the boxes are in these pixels).
    pub width: Option<i64>,
    pub height: Option<i64>,
    /// Whether the recognizer has read the page (as its file is now).
    pub read: bool,
    /// One box per place the query's words stand, top to bottom: corners top-left, top-right,
    /// bottom-right, bottom-left as x, y.
    pub boxes: Vec<[f32; 8]>,
}

/// Pause (true) or resume (false) the background reading.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PageReadingPause {
    pub paused: bool,
}

/// The table rows the recognizer read on one scanned page, for the clerk to turn one into a
/// catalogue row.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PageRowsRequest {
    pub document_id: i64,
    pub page_no: i64,
}

/// One cell as read: its text, its rectangle on the page (corners as in `PageWords`), and the
/// field it stands under on the page's header row, when the header names one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageCell {
    pub text: String,
    pub quad: [f32; 8],
    pub field: Option<super::Field>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageTableRow {
    /// Counted from 1, top to bottom, over every row read on the page (titles included).
    pub row_no: i64,
    pub cells: Vec<PageCell>,
    /// Whether this is the table's header row (its cells name the columns).
    pub header: bool,
    /// The catalogue row a clerk made of it, if any (still in the catalogue).
    pub entry_id: Option<i64>,
    /// Which confirmation wrote that row last (changes with every correction): sent back with a
    /// confirmation, so that one made meanwhile at another desk is not overwritten unseen.
    pub confirmed_in: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageRows {
    pub document_id: i64,
    pub page_no: i64,
    pub ref_code: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
    /// Whether the recognizer has read the page (as its file is now).
    pub read: bool,
    pub rows: Vec<PageTableRow>,
}

/// What the clerk confirms a page's row says, read from the page (the cells the recognizer read,
/// corrected where it misread). Values are read as an imported catalogue's cells are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PageRowValues {
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub id_number: Option<String>,
    pub work_unit: Option<String>,
    pub work_start: Option<String>,
    pub retire_date: Option<String>,
    pub wage_before: Option<String>,
    pub wage_after: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ConfirmPageRowRequest {
    pub document_id: i64,
    pub page_no: i64,
    pub row_no: i64,
    pub values: PageRowValues,
    /// The row's `PageTableRow::confirmed_in` as the clerk saw it (none for a row not made a
    /// catalogue row yet): the confirmation is refused when the row was confirmed or corrected
    /// since (another desk).
    #[serde(default)]
    pub confirmed_in: Option<i64>,
    /// Keep an ID number whose check digit or birth date is wrong as the page prints it (a
    /// misprint of its time). Without it such a number is refused: most are misreadings.
    #[serde(default)]
    pub id_as_printed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConfirmedPageRow {
    pub entry_id: i64,
    /// `new`, `updated` (the row was confirmed before and is corrected) or `unchanged`.
    pub outcome: String,
    /// What the clerk should know about the values (as an import's notes say it).
    pub notes: Vec<String>,
}
