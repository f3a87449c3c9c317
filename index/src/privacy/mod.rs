//! Personal data on screen, in exports and in logs. ID numbers show their region only (see
//! `text::mask_id`), a birth date beside a masked ID shows its month only, wages and other money
//! columns show ＊＊＊, and free text (full text, snippets, messages) has its ID numbers and
//! amounts hidden (`mask_text`). The one exception is inside a request: a record opened from an
//! open request shows the requester's own rows — those whose ID key is the request's, and those
//! without an ID a clerk confirmed as theirs — in full.
//! Anything else shown in full is a deliberate, audited act.

pub mod columns;
mod money_words;
pub mod scanned_rows;
pub mod text_mask;

pub use columns::{is_id_column, is_money_column, mask_columns, masked_value};
pub use text_mask::{holds_personal_numbers, mask_id_numbers, mask_text};

use crate::api::{DocumentView, EntryView, PersonTimeline};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;

/// Drops the highlights (character ranges) that cover a character `masked` hides in
/// `original`: marking where a typed number matches hidden digits would confirm them.
pub fn keep_visible_highlights(original: &str, masked: &str, highlights: &mut Vec<[usize; 2]>) {
    if original == masked {
        return;
    }
    let hidden: Vec<bool> = original
        .chars()
        .zip(masked.chars())
        .map(|(o, m)| o != m)
        .collect();
    highlights.retain(|&[from, to]| !hidden.iter().take(to).skip(from).any(|h| *h));
}

/// What a masked wage shows.
pub const MASKED_WAGE: &str = "＊＊＊";

/// Columns whose values are money paid to a person (kept for the callers that ask by header).
pub fn is_wage_column(header: &str) -> bool {
    is_money_column(header)
}

/// The requester's ID key of `request_id` while that request is open; None when it is closed
/// or does not exist (a record opened from it is then masked like any other).
pub fn open_request_key(conn: &Connection, request_id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT requester_id_key FROM requests WHERE id = ?1 AND status IN ('registered', 'found')",
            [request_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The rows of an open request's requester: those that carry their ID number, and those
/// without it that a clerk confirmed as theirs (a joined row stays masked until then).
pub struct RequesterRows {
    pub id_key: String,
    /// Entry keys of the confirmed rows.
    pub confirmed: HashSet<String>,
}

impl RequesterRows {
    /// Whether the row with this ID key (if any) and entry key is the requester's.
    pub fn owns(&self, id_key: Option<&str>, entry_key: &str) -> bool {
        match id_key {
            Some(key) => key == self.id_key,
            None => self.confirmed.contains(entry_key),
        }
    }
}

/// Masks every row of `view` except, when the record is opened from an open request, the
/// requester's rows, which show in full.
pub fn mask_document(
    conn: &Connection,
    view: &mut DocumentView,
    requester: Option<&RequesterRows>,
) -> Result<()> {
    let mut keys = conn.prepare_cached("SELECT id_key, id_raw FROM entries WHERE id = ?1")?;
    for entry in &mut view.entries {
        let (key, raw): (Option<String>, Option<String>) =
            keys.query_row(params![entry.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let own = requester.is_some_and(|r| r.owns(key.as_deref(), &entry.entry_key));
        if own {
            entry.id_number_masked = key.or(raw);
            entry.masked = false;
        } else {
            mask_entry(entry);
        }
    }
    Ok(())
}

pub fn mask_entry(entry: &mut EntryView) {
    entry.masked = true;
    for wage in [&mut entry.wage_before, &mut entry.wage_after] {
        if wage.as_deref().is_some_and(|w| !w.trim().is_empty()) {
            *wage = Some(MASKED_WAGE.to_string());
        }
    }
    // Any ID number in the row — its own column, another column, a note — makes its birth
    // show to the month only.
    let holds_id = entry.id_number_masked.is_some()
        || entry.extra.iter().any(|(header, value)| {
            (is_id_column(header) && !value.trim().is_empty()) || holds_personal_numbers(value)
        });
    mask_columns(&mut entry.extra);
    if holds_id {
        let (birth, key) = birth_to_month(entry.birth.as_deref(), entry.birth_key.as_deref());
        entry.birth = birth;
        entry.birth_key = key;
    }
    entry.notes = entry.notes.iter().map(|n| mask_text(n)).collect();
    entry.entry_key = opaque_key(&entry.entry_key);
}

/// A row's stable key is made of its ID number, or its name and full birth date: a masked row
/// shows a digest of it instead, which still tells rows apart.
fn opaque_key(key: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(key.as_bytes())[..12])
}

/// A birth date shown beside a masked ID: its month only, so that the day does not narrow the
/// hidden digits down (region + birth month + gender leave at least 14,000 numbers). A birth
/// written to the month or the year is shown as written. Returns the text and the key.
pub fn birth_to_month(raw: Option<&str>, key: Option<&str>) -> (Option<String>, Option<String>) {
    let key = key.map(str::to_string).or_else(|| {
        raw.and_then(|r| crate::text::parse_date(r).ok())
            .map(|p| p.date.key())
    });
    match key {
        Some(key) if key.len() == 10 => {
            let (year, month) = (&key[..4], &key[5..7]);
            let shown = format!("{year}年{}月", month.trim_start_matches('0'));
            (Some(shown), Some(key[..7].to_string()))
        }
        key => (raw.map(mask_text), key),
    }
}

/// The catalogue line's free text and the scans' file paths (vendors name folders after people)
/// as every clerk sees them.
pub fn mask_catalogue_line(view: &mut DocumentView) {
    for text in [&mut view.title, &mut view.creator, &mut view.doc_number] {
        if let Some(t) = text.as_mut() {
            *t = mask_text(t);
        }
    }
    for page in &mut view.pages {
        page.path = mask_text(&page.path);
    }
}

/// A record not open to the public (controlled or closed): its catalogue line only.
pub fn is_restricted(access: &str) -> bool {
    access != "open"
}

/// Hides what a restricted record holds beyond its catalogue line.
pub fn catalogue_line_only(view: &mut DocumentView) {
    view.entries.clear();
    view.pages.clear();
    view.full_text = None;
    view.full_text_highlights.clear();
    view.restricted = true;
}

/// The person's timeline as the caller may see it: wages masked, and the events of restricted
/// records reduced to their catalogue line for a clerk (the summary above them is computed
/// from the events the caller may see, in `person`).
pub fn mask_timeline(caller: &crate::api::Caller, timeline: &mut PersonTimeline) {
    for event in timeline
        .events
        .iter_mut()
        .chain(timeline.possible_matches.iter_mut())
    {
        for text in [&mut event.title, &mut event.unit] {
            if let Some(t) = text.as_mut() {
                *t = mask_text(t);
            }
        }
        if is_restricted(&event.access) && !caller.is_supervisor() {
            event.unit = None;
            event.wage_before = None;
            event.wage_after = None;
            event.work_start = None;
            event.retirement = None;
            event.page = None;
            continue;
        }
        for wage in [&mut event.wage_before, &mut event.wage_after] {
            if wage.as_deref().is_some_and(|w| !w.trim().is_empty()) {
                *wage = Some(MASKED_WAGE.to_string());
            }
        }
    }
    if timeline.id_masked.is_some() {
        timeline.birth = birth_to_month(timeline.birth.as_deref(), None).0;
    }
}

/// A register row as shown once its request is closed: the requester's own values masked like
/// anyone else's (they were shown in full only while the request was open).
pub fn mask_row(row: &mut [(String, String)]) {
    let has_id = row
        .iter()
        .any(|(header, value)| is_id_column(header) && !value.trim().is_empty());
    for (header, value) in row.iter_mut() {
        if value == MASKED_WAGE {
            continue;
        }
        if header == BIRTH_HEADER {
            if has_id {
                *value = birth_to_month(Some(value), None).0.unwrap_or_default();
            }
        } else {
            *value = masked_value(header, value);
        }
    }
}

/// A row as a certificate transcribes it: every ID number masked as the certificate's heading
/// masks the requester's (region kept), in ID columns and in any other cell; the requester's
/// wages and dates stay in full, since they are what is certified.
pub fn certificate_row(row: &mut [(String, String)]) {
    for (header, value) in row.iter_mut() {
        if is_id_column(header) && !value.trim().is_empty() {
            *value = crate::text::mask_id(value);
        } else {
            *value = mask_id_numbers(value);
        }
    }
}

/// The header of the birth date in a register row (`register::snapshot`).
pub const BIRTH_HEADER: &str = "出生年月";

/// An import report as the clerk who ran it sees it: no ID number or amount in full in any
/// message (a rejected row's reason quotes the cell it refused).
pub fn mask_file_report(report: &mut crate::api::FileReport) {
    report.path = mask_text(&report.path);
    if let Some(message) = report.message.as_mut() {
        *message = mask_text(message);
    }
    for row in &mut report.rejected {
        row.file = mask_text(&row.file);
        row.reason = mask_text(&row.reason);
    }
    for warning in &mut report.warnings {
        warning.file = mask_text(&warning.file);
        warning.message = mask_text(&warning.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_row_masks_every_id_as_its_heading_and_keeps_the_wages() {
        let mut row = vec![
            ("身份证号码".to_string(), "620102560315001".to_string()),
            (
                "备注".to_string(),
                "原证号 620102 19560315 0012 作废".to_string(),
            ),
            ("调整后工资".to_string(), "356.00".to_string()),
            ("出生年月".to_string(), "1956.03".to_string()),
        ];
        certificate_row(&mut row);
        assert_eq!(row[0].1, crate::text::mask_id("620102560315001"));
        assert_eq!(row[0].1, "620102*********");
        assert!(!row[1].1.contains("19560315"), "{}", row[1].1);
        assert!(row[1].1.starts_with("原证号 620102"), "{}", row[1].1);
        assert_eq!(row[2].1, "356.00");
        assert_eq!(row[3].1, "1956.03");
    }
}
