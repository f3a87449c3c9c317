//! Brings the published catalogue up to the archive: each open document's Dublin Core record
//! is drawn again, and published with a new datestamp when it differs from what harvesters have;
//! a document that is gone, superseded or no longer open is marked deleted.

use super::name_mask::NameMask;
use crate::error::Result;
use crate::store::open_records::{self, CatalogueLine, Publication};
use crate::text::{normalize_text, ref_code_key};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// A document's Dublin Core record, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DcRecord {
    /// 题名, names masked.
    pub title: Option<String>,
    /// 责任者, names masked.
    pub creator: Option<String>,
    /// 门类/类别.
    pub subject: Option<String>,
    /// 1998 / 1998-07 / 1998-07-15.
    pub date: Option<String>,
    /// 档号 as written, then 文号.
    pub identifiers: Vec<String>,
    /// 12页.
    pub format: Option<String>,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    pub published: usize,
    pub withdrawn: usize,
}

/// The moment of a change as harvesters see it: UTC to the second.
pub fn datestamp_now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Publishes every open document whose record changed, and withdraws every published one that
/// is gone or no longer open, in one transaction.
pub fn refresh(conn: &mut rusqlite::Connection, datestamp: &str) -> Result<Refreshed> {
    let mask = NameMask::new(&open_records::person_names(conn)?);
    let mut published = open_records::digests(conn)?;
    let mut lines = Vec::new();
    open_records::catalogue_lines(conn, |line| {
        if !crate::privacy::is_restricted(&line.access) {
            lines.push(line);
        }
    })?;
    let tx = conn.transaction()?;
    let mut done = Refreshed::default();
    let mut open = HashSet::with_capacity(lines.len());
    for line in &lines {
        let record = dc_record(line, &mask);
        let json = serde_json::to_string(&record).expect("a record serializes");
        let digest = hex::encode(Sha256::digest(json.as_bytes()));
        open.insert(line.ref_key.clone());
        if published.remove(&line.ref_key).flatten().as_deref() == Some(digest.as_str()) {
            continue;
        }
        let identifier_keys = identifier_keys(&record);
        open_records::publish(
            &tx,
            &Publication {
                ref_key: &line.ref_key,
                category: line.category.as_deref(),
                datestamp,
                digest: &digest,
                record_json: &json,
                search_text: &search_text(&record),
                title_text: &normalize_text(record.title.as_deref().unwrap_or_default()),
                date_key: record.date.as_deref(),
                identifier_keys: &identifier_keys,
            },
        )?;
        done.published += 1;
    }
    // What is left was published and is not open now; a record deleted before stays as it is.
    for (ref_key, digest) in published {
        if digest.is_some() && !open.contains(&ref_key) {
            open_records::withdraw(&tx, &ref_key, datestamp)?;
            done.withdrawn += 1;
        }
    }
    // Every category published keeps its set, deleted records' too.
    super::sets::keep(&tx, &open_records::categories(&tx)?)?;
    tx.commit()?;
    Ok(done)
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn dc_record(line: &CatalogueLine, mask: &NameMask) -> DcRecord {
    let mut identifiers = vec![line.ref_code.trim().to_string()];
    identifiers.extend(given(&line.doc_number).map(|n| mask.mask(n)));
    DcRecord {
        title: given(&line.title).map(|t| mask.mask(t)),
        creator: given(&line.creator).map(|c| mask.mask(c)),
        subject: given(&line.category).map(str::to_string),
        date: given(&line.date_key)
            .map(str::to_string)
            .or_else(|| line.year.map(|y| y.to_string())),
        identifiers,
        format: line.page_count.filter(|p| *p > 0).map(|p| format!("{p}页")),
    }
}

/// Every field folded for search, one space apart.
fn search_text(record: &DcRecord) -> String {
    let fields = [
        &record.title,
        &record.creator,
        &record.subject,
        &record.date,
    ];
    let mut text: Vec<&str> = fields.into_iter().filter_map(|f| f.as_deref()).collect();
    text.extend(record.identifiers.iter().map(String::as_str));
    normalize_text(&text.join(" "))
}

/// The canonical 档号 and 文号 as published (masked), as an identifier search compares them:
/// a search can confirm nothing the record does not show.
fn identifier_keys(record: &DcRecord) -> String {
    let mut identifiers = record.identifiers.iter();
    let mut keys: Vec<String> = identifiers
        .next()
        .map(|r| ref_code_key(r))
        .into_iter()
        .collect();
    keys.extend(identifiers.map(|n| crate::text::codes::doc_number_key(n)));
    format!(" {} ", keys.join(" "))
}
