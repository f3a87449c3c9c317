//! Personal data on screen, in exports and in logs: ID numbers keep their first 6 and last 4
//! characters and wages are hidden, except in the requester's own rows while their request is
//! open (matched by ID number). Anything else shown in full is a deliberate, audited act.

use crate::api::{DocumentView, EntryView};
use crate::error::Result;
use rusqlite::{params, Connection};
use std::collections::HashSet;

/// What a masked wage shows.
pub const MASKED_WAGE: &str = "＊＊＊";

/// Columns whose values are money paid to a person: masked like the wage columns.
pub fn is_wage_column(header: &str) -> bool {
    [
        "工资",
        "薪",
        "津贴",
        "补贴",
        "增资",
        "金额",
        "待遇",
        "档次",
        "级别工资",
    ]
    .iter()
    .any(|word| header.contains(word))
}

/// The ID keys of requesters whose requests are still open.
pub fn open_requester_keys(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT requester_id_key FROM requests WHERE status IN ('registered', 'found')",
    )?;
    let keys = stmt.query_map([], |r| r.get(0))?;
    Ok(keys.collect::<rusqlite::Result<_>>()?)
}

/// Masks the wages of every row of `view` except the open requesters' own rows, whose IDs are
/// then shown in full too.
pub fn mask_document(conn: &Connection, view: &mut DocumentView) -> Result<()> {
    let open = open_requester_keys(conn)?;
    let mut keys = conn.prepare_cached("SELECT id_key FROM entries WHERE id = ?1")?;
    for entry in &mut view.entries {
        let key: Option<String> = keys.query_row(params![entry.id], |r| r.get(0))?;
        match key.filter(|k| open.contains(k)) {
            Some(own) => {
                entry.id_number_masked = Some(own);
                entry.masked = false;
            }
            None => mask_entry(entry),
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
    for (header, value) in &mut entry.extra {
        if is_wage_column(header) && !value.trim().is_empty() {
            *value = MASKED_WAGE.to_string();
        }
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
    view.restricted = true;
}

/// The person's timeline as the caller may see it: wages masked except in the open
/// requesters' own rows, and the events of restricted records reduced to their catalogue line
/// for a clerk.
pub fn mask_timeline(
    conn: &Connection,
    caller: &crate::api::Caller,
    timeline: &mut crate::api::PersonTimeline,
) -> Result<()> {
    let open = open_requester_keys(conn)?;
    let mut keys = conn.prepare_cached("SELECT id_key FROM entries WHERE id = ?1")?;
    for event in timeline
        .events
        .iter_mut()
        .chain(timeline.possible_matches.iter_mut())
    {
        if is_restricted(&event.access) && !caller.is_supervisor() {
            event.unit = None;
            event.wage_before = None;
            event.wage_after = None;
            event.work_start = None;
            event.retirement = None;
            event.page = None;
            continue;
        }
        let key: Option<String> = keys.query_row(params![event.entry_id], |r| r.get(0))?;
        if !key.is_some_and(|k| open.contains(&k)) {
            for wage in [&mut event.wage_before, &mut event.wage_after] {
                if wage.as_deref().is_some_and(|w| !w.trim().is_empty()) {
                    *wage = Some(MASKED_WAGE.to_string());
                }
            }
        }
    }
    Ok(())
}

/// A register row as shown once its request is closed: the requester's own values masked like
/// anyone else's (they were shown in full only while the request was open).
pub fn mask_row(row: &mut [(String, String)]) {
    for (header, value) in row {
        if header.contains("身份证") {
            *value = crate::text::mask_id(value);
        } else if is_wage_column(header) && value != MASKED_WAGE {
            *value = MASKED_WAGE.to_string();
        }
    }
}
