//! A page's lines as they are kept in the store (`page_text.lines_json`): each line's text and
//! rectangle, and each character's box, in page pixels rounded to tenths, so that the viewer
//! can box on the scan what a search found in the text.

use super::reader::PageLine;
use super::text_regions::Quad;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredChar {
    pub text: String,
    /// x, y of the corners top-left, top-right, bottom-right, bottom-left.
    pub quad: [f32; 8],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredLine {
    pub text: String,
    pub confidence: f32,
    pub quad: [f32; 8],
    pub chars: Vec<StoredChar>,
}

fn flat(quad: &Quad) -> [f32; 8] {
    let tenths = |v: f32| (v * 10.0).round() / 10.0;
    let mut out = [0.0; 8];
    for (i, (x, y)) in quad.0.iter().enumerate() {
        out[2 * i] = tenths(*x);
        out[2 * i + 1] = tenths(*y);
    }
    out
}

pub fn to_stored(lines: &[PageLine]) -> Vec<StoredLine> {
    lines
        .iter()
        .map(|l| StoredLine {
            text: l.text.clone(),
            confidence: (l.confidence * 1000.0).round() / 1000.0,
            quad: flat(&l.quad),
            chars: l
                .chars
                .iter()
                .map(|c| StoredChar {
                    text: c.text.clone(),
                    quad: flat(&c.quad),
                })
                .collect(),
        })
        .collect()
}

/// The lines kept as JSON; none when the JSON is not theirs.
pub fn parse(json: &str) -> Vec<StoredLine> {
    serde_json::from_str(json).unwrap_or_default()
}
