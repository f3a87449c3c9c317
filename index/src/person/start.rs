//! Where a timeline starts — an entry, an ID number, or a name with a birth month — turned
//! into the person's key and the record the header is read from.

use super::key::{month_or_year, PersonKey};
use super::record::{self, Record};
use super::PersonLookup;
use crate::api::PersonRequest;
use crate::error::{Error, ErrorCode, Result};
use crate::text::{mask_id, normalize_name, parse_date, parse_id_number};
use rusqlite::Connection;
use std::collections::BTreeSet;

pub(super) struct Start {
    pub key: PersonKey,
    /// The record the header is read from; None when no record fits the request closely
    /// enough to stand for the person (only possible matches bear the name).
    pub anchor: Option<Record>,
    /// The name as asked, for a header without an anchor.
    pub asked_name: Option<String>,
}

/// The first of entry, ID number and name that the request gives.
pub(super) fn resolve(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    request: &PersonRequest,
) -> Result<Start> {
    if let Some(entry_id) = request.entry_id {
        let anchor = current_entry(conn, entry_id)?;
        return Ok(Start {
            key: PersonKey::of(&anchor),
            anchor: Some(anchor),
            asked_name: None,
        });
    }
    if let Some(number) = filled(&request.id_number) {
        return by_id_number(conn, lookup, number);
    }
    if let Some(name) = filled(&request.name) {
        return by_name_birth(conn, lookup, name, filled(&request.birth));
    }
    Err(Error::new(
        ErrorCode::InvalidRequest,
        "请指定要查看的条目、身份证号，或姓名加出生年月",
    ))
}

fn filled(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A current entry, or NotFound saying whether it never existed or was replaced.
pub(super) fn current_entry(conn: &Connection, entry_id: i64) -> Result<Record> {
    if let Some(r) = record::by_id(conn, entry_id)? {
        return Ok(r);
    }
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1)",
        [entry_id],
        |r| r.get(0),
    )?;
    let message = if exists {
        format!("条目 {entry_id} 已被后来导入的目录取代，请重新查询")
    } else {
        format!("没有编号为 {entry_id} 的条目")
    };
    Err(Error::new(ErrorCode::NotFound, message))
}

fn by_id_number(conn: &Connection, lookup: &dyn PersonLookup, number: &str) -> Result<Start> {
    let id = match parse_id_number(number) {
        Some(id) if id.status.is_valid() => id,
        other => {
            let why = other.map_or("为空", |id| id.status.message_zh());
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "身份证号「{}」无法使用：{why}",
                    crate::text::mask_id(number)
                ),
            ));
        }
    };
    let anchor = record::with_id(conn, lookup, &id.key)?
        .into_iter()
        .min_by(|a, b| a.order().cmp(&b.order()))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!("没有身份证号为 {} 的记录", mask_id(&id.key)),
            )
        })?;
    Ok(Start {
        key: PersonKey::Id(id.key),
        anchor: Some(anchor),
        asked_name: None,
    })
}

fn by_name_birth(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    name: &str,
    birth: Option<&str>,
) -> Result<Start> {
    let invalid = |message: String| Error::new(ErrorCode::InvalidRequest, message);
    let name_norm = normalize_name(name);
    if name_norm.is_empty() {
        return Err(invalid(format!("姓名「{name}」中没有可用的字")));
    }
    let birth = birth.ok_or_else(|| {
        invalid("按姓名查找须同时给出出生年月（如 1958-07）：同名的人太多".to_string())
    })?;
    let date = parse_date(birth)
        .map_err(|e| invalid(format!("出生年月：{e}")))?
        .date;
    let Some(month) = date.month.map(|m| format!("{:04}-{m:02}", date.year)) else {
        return Err(invalid(format!("出生年月「{birth}」只有年份，须精确到月")));
    };
    let mut same_month: Vec<Record> = record::with_name(conn, lookup, &name_norm)?
        .into_iter()
        .filter(|r| r.birth().as_deref().map(month_or_year).as_ref() == Some(&month))
        .collect();
    same_month.sort_by(|a, b| a.order().cmp(&b.order()));
    let holders: BTreeSet<&str> = same_month
        .iter()
        .filter_map(|r| r.id_key.as_deref())
        .collect();
    // One ID holder fits: the person is that ID's, however the clerk came to them. Several
    // fit: none stands for the person, and the records without an ID do.
    let anchor = if holders.len() == 1 {
        same_month.iter().find(|r| r.id_key.is_some())
    } else {
        same_month.iter().find(|r| r.id_key.is_none())
    };
    let key = anchor.map_or_else(
        || PersonKey::NameBirth {
            name_norm: name_norm.clone(),
            birth: Some(month.clone()),
        },
        PersonKey::of,
    );
    Ok(Start {
        key,
        anchor: anchor.cloned(),
        asked_name: Some(name.to_string()),
    })
}
