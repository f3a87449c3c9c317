//! The person timeline: one person's records across documents decades apart — hired, each
//! wage adjustment, retirement — joined by ID number or by name and birth month, with the
//! clerks' decisions applied and every uncertain join shown as such.

mod decision;
mod join;
mod key;
mod kind;
mod record;
mod service;
mod start;
#[cfg(test)]
mod tests;

use crate::api::{PersonDecision, PersonRequest, PersonTimeline, TimelineEvent};
use crate::error::{Error, ErrorCode, Result};
use decision::Action;
use join::{Link, Profile};
use key::PersonKey;
use record::Record;
use rusqlite::Connection;
use start::Start;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the timeline finds candidate entries without SQLite indexes on name/ID (the search index
/// answers these in the app; `StoreScan` answers them by scanning, for small archives and tests).
/// Answers may be loose: every entry returned is checked against SQLite.
pub trait PersonLookup {
    fn entries_by_id_key(&self, id_key: &str) -> Result<Vec<i64>>;
    fn entries_by_name(&self, name_norm: &str) -> Result<Vec<i64>>;
}

/// Answers lookups with plain SELECTs: a full scan of the entries, as they have no index on
/// name or ID.
pub struct StoreScan<'a>(pub &'a Connection);

impl StoreScan<'_> {
    fn ids(&self, sql: &str, value: &str) -> Result<Vec<i64>> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let rows = stmt.query_map([value], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl PersonLookup for StoreScan<'_> {
    fn entries_by_id_key(&self, id_key: &str) -> Result<Vec<i64>> {
        self.ids(
            "SELECT id FROM entries WHERE id_key = ?1 AND superseded_at IS NULL",
            id_key,
        )
    }

    fn entries_by_name(&self, name_norm: &str) -> Result<Vec<i64>> {
        self.ids(
            "SELECT id FROM entries WHERE name_norm = ?1 AND superseded_at IS NULL",
            name_norm,
        )
    }
}

/// One person's records in date order, the records that may be theirs, and the length of
/// service the dates give.
/// `sees_restricted`: whether the caller may see what controlled and closed records hold; the
/// summary (gender, birth, ID, service) is computed only from the records the caller may see.
pub fn person_timeline(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    request: &PersonRequest,
    sees_restricted: bool,
) -> Result<PersonTimeline> {
    let start = start::resolve(conn, lookup, request)?;
    let found = linked(conn, lookup, &start)?;
    let mut events: Vec<(&Record, Link)> = Vec::new();
    let mut possible: Vec<(&Record, Link)> = Vec::new();
    for (r, link) in &found {
        // The record the clerk started from is the person's, however weakly it ties to others.
        let is_anchor = start.anchor.as_ref().map(|a| a.entry_id) == Some(r.entry_id);
        if link.joined() || is_anchor {
            events.push((r, *link));
        } else {
            possible.push((r, *link));
        }
    }
    if events.is_empty() && possible.is_empty() {
        // An entry or an ID always has its own records, unless a clerk split all of them off.
        let message = match &start.asked_name {
            Some(name) => format!(
                "没有姓名为「{name}」、出生年月为 {} 的记录",
                start.key.birth().unwrap_or_default()
            ),
            None => "这个人的记录都已被拆分到别人名下".to_string(),
        };
        return Err(Error::new(ErrorCode::NotFound, message));
    }
    events.sort_by(|a, b| a.0.order().cmp(&b.0.order()));
    possible.sort_by(|a, b| a.0.order().cmp(&b.0.order()));

    let visible = |r: &Record| sees_restricted || !crate::privacy::is_restricted(&r.access);
    let joined: Vec<&Record> = events
        .iter()
        .map(|(r, _)| *r)
        .filter(|r| visible(r))
        .collect();
    let anchor = start
        .anchor
        .as_ref()
        .filter(|a| visible(a))
        .or(joined.first().copied());
    // A field the anchor leaves empty is taken from the person's first record that has it.
    let header = |field: fn(&Record) -> &Option<String>| {
        anchor
            .and_then(|a| field(a).clone())
            .or_else(|| joined.iter().find_map(|r| field(r).clone()))
    };
    // The ID shown is the one asked for, or one a visible record carries.
    let id_shown = if request.id_number.is_some() || anchor.is_some() {
        start
            .key
            .id()
            .or_else(|| anchor.and_then(|a| a.id_raw.as_deref()))
    } else {
        None
    };
    Ok(PersonTimeline {
        name: anchor
            .or(start.anchor.as_ref())
            .map(|a| a.name.clone())
            .or_else(|| start.asked_name.clone())
            .unwrap_or_default(),
        gender: header(|r| &r.gender),
        birth: header(|r| &r.birth_raw),
        id_masked: id_shown.map(crate::text::mask_id),
        service: service::service_years(&joined),
        events: events.iter().map(|(r, link)| event(r, *link)).collect(),
        possible_matches: possible.iter().map(|(r, link)| event(r, *link)).collect(),
        originals: Vec::new(),
    })
}

/// Every record that may be the person's, with how it ties to them: by the rules, or by a
/// clerk's decision (records split off are left out).
fn linked(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    start: &Start,
) -> Result<Vec<(Record, Link)>> {
    let decisions = decision::for_person(conn, &start.key.text())?;
    let (names, found) = candidates(conn, lookup, start, &decisions)?;
    let profile = Profile::new(&start.key, names, &found);
    let links: Vec<Option<Link>> = found
        .iter()
        .map(|r| match decisions.get(&r.entry_key) {
            Some(Action::Split) => None,
            Some(Action::Confirm) => Some(Link::Confirmed),
            Some(Action::Add) => Some(Link::Added),
            None => profile.classify(r),
        })
        .collect();
    Ok(found
        .into_iter()
        .zip(links)
        .filter_map(|(r, link)| Some((r, link?)))
        .collect())
}

/// A record the timeline joins to a person without carrying their ID number, with what the
/// search index knows it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedRow {
    pub entry_id: i64,
    pub document_id: i64,
    pub name_norm: String,
    /// Birth year-month as the record writes it, when it gives one.
    pub birth_month: Option<String>,
    /// A clerk confirmed (or added) the record; otherwise the rules joined it.
    pub confirmed: bool,
}

/// The records the timeline joins to the holder of a valid ID number without carrying that
/// number — the same name and birth month with no other holder fitting, or a clerk's
/// confirmation. An ID query brings these up below the records that carry the ID.
pub fn joined_without_id(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    id_key: &str,
) -> Result<Vec<JoinedRow>> {
    let start = Start {
        key: PersonKey::Id(id_key.to_string()),
        anchor: None,
        asked_name: None,
    };
    Ok(linked(conn, lookup, &start)?
        .into_iter()
        .filter(|(r, link)| link.joined() && r.id_key.as_deref() != Some(id_key))
        .map(|(r, link)| JoinedRow {
            entry_id: r.entry_id,
            document_id: r.document_id,
            birth_month: r
                .birth_key
                .as_deref()
                .and_then(|b| b.get(..7))
                .map(str::to_string),
            name_norm: r.name_norm,
            confirmed: matches!(link, Link::Confirmed | Link::Added),
        })
        .collect())
}

/// The entry keys of the records a clerk confirmed (or added) as the holder of `id_key`'s:
/// inside that person's request, such rows show like the ones that carry the ID.
pub fn confirmed_for_id(conn: &Connection, id_key: &str) -> Result<HashSet<String>> {
    let person = PersonKey::Id(id_key.to_string()).text();
    Ok(decision::for_person(conn, &person)?
        .into_iter()
        .filter(|(_, action)| matches!(action, Action::Confirm | Action::Add))
        .map(|(key, _)| key)
        .collect())
}

/// Every record that may be the person's: the ID's, those under the person's names, those the
/// clerks added or confirmed, and the anchor. Returns the names too.
fn candidates(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    start: &Start,
    decisions: &HashMap<String, Action>,
) -> Result<(HashSet<String>, Vec<Record>)> {
    let mut found: BTreeMap<i64, Record> = BTreeMap::new();
    let mut names = HashSet::new();
    match &start.key {
        PersonKey::Id(id) => {
            for r in record::with_id(conn, lookup, id)? {
                // A record split off does not bring its namesakes along.
                if decisions.get(&r.entry_key) != Some(&Action::Split) {
                    names.insert(r.name_norm.clone());
                }
                found.insert(r.entry_id, r);
            }
        }
        PersonKey::NameBirth { name_norm, .. } => {
            names.insert(name_norm.clone());
        }
    }
    for name in &names {
        for r in record::with_name(conn, lookup, name)? {
            found.insert(r.entry_id, r);
        }
    }
    for (entry_key, action) in decisions {
        if *action != Action::Split {
            if let Some(r) = record::by_entry_key(conn, entry_key)? {
                found.insert(r.entry_id, r);
            }
        }
    }
    if let Some(a) = &start.anchor {
        found.insert(a.entry_id, a.clone());
    }
    Ok((names, found.into_values().collect()))
}

fn event(r: &Record, link: Link) -> TimelineEvent {
    TimelineEvent {
        entry_id: r.entry_id,
        document_id: r.document_id,
        ref_code: r.ref_code.clone(),
        category: r.category.clone(),
        title: r.title.clone(),
        // A document dated only by its 年度 still shows and sorts by that year.
        date: r.date_raw.clone().or_else(|| r.year.map(|y| y.to_string())),
        date_key: r.date(),
        kind: kind::event_kind(r.category.as_deref(), r.title.as_deref()).to_string(),
        name: r.name.clone(),
        unit: r.work_unit.clone(),
        wage_before: r.wage_before.clone(),
        wage_after: r.wage_after.clone(),
        work_start: r.work_start_raw.clone(),
        retirement: r.retire_raw.clone(),
        page: r.page.clone(),
        access: r.access.clone(),
        join: link.join().to_string(),
        confidence: link.confidence().to_string(),
        originals: Vec::new(),
    }
}

/// Store a clerk's decision that a record is (confirm, add) or is not (split) the person of
/// another record, replacing an earlier decision about the same pair.
pub fn record_decision(conn: &Connection, decision: &PersonDecision) -> Result<()> {
    let action = Action::parse(&decision.action)?;
    if decision.entry_id == decision.person_entry_id {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "一条记录不能与它自己合并或拆分：请选择这个人的另一条记录",
        ));
    }
    let entry = start::current_entry(conn, decision.entry_id)?;
    let person = start::current_entry(conn, decision.person_entry_id)?;
    decision::save(
        conn,
        &entry.entry_key,
        &PersonKey::of(&person).text(),
        action,
    )
}
