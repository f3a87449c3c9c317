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
