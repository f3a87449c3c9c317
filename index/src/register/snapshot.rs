//! The copy of a record kept with a request: the document's catalogue line and the person's row
//! as they were shown when attached, so that a later re-import cannot change what was handed
//! over. The requester's own row keeps its ID number and wages in full; any other row is kept
//! masked, as it was shown.

use crate::api::{AttachedRecord, DocumentView, EntryView};
use crate::error::{Error, ErrorCode, Result};
use crate::privacy::{birth_to_month, masked_value, BIRTH_HEADER, MASKED_WAGE};
use crate::text::mask_id;
use rusqlite::{Connection, OptionalExtension};

/// The full values of an entry that masking hides.
pub struct FullValues {
    pub id_raw: Option<String>,
    pub id_key: Option<String>,
    pub wage_before: Option<String>,
    pub wage_after: Option<String>,
}

pub fn full_values(conn: &Connection, entry_id: i64) -> Result<FullValues> {
    conn.query_row(
        "SELECT id_raw, id_key, wage_before, wage_after FROM entries WHERE id = ?1",
        [entry_id],
        |r| {
            Ok(FullValues {
                id_raw: r.get(0)?,
                id_key: r.get(1)?,
                wage_before: r.get(2)?,
                wage_after: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {entry_id} 的条目")))
}

/// The person's row as (column, value), in the order a clerk reads a wage table.
pub fn row_of(entry: &EntryView, full: &FullValues, own: bool) -> Vec<(String, String)> {
    let wage = |w: &Option<String>| -> Option<String> {
        w.as_ref().filter(|v| !v.trim().is_empty()).map(|v| {
            if own {
                v.clone()
            } else {
                MASKED_WAGE.to_string()
            }
        })
    };
    let id = full
        .id_raw
        .as_ref()
        .map(|raw| if own { raw.clone() } else { mask_id(raw) });
    // Beside a masked ID the birth shows its month only (see `privacy::birth_to_month`).
    let birth = if own || id.is_none() {
        entry.birth.clone()
    } else {
        birth_to_month(entry.birth.as_deref(), entry.birth_key.as_deref()).0
    };
    let mut row: Vec<(String, String)> = [
        ("姓名", Some(entry.name.clone())),
        ("性别", entry.gender.clone()),
        (BIRTH_HEADER, birth),
        ("身份证号码", id),
        ("工作单位", entry.work_unit.clone()),
        ("参加工作时间", entry.work_start.clone()),
        ("退休时间", entry.retire_date.clone()),
        ("调整前工资", wage(&full.wage_before)),
        ("调整后工资", wage(&full.wage_after)),
        ("页号", entry.page.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.filter(|v| !v.trim().is_empty())
            .map(|v| (k.to_string(), v))
    })
    .collect();
    for (header, value) in &entry.extra {
        if value.trim().is_empty() {
            continue;
        }
        let shown = if own {
            value.clone()
        } else {
            masked_value(header, value)
        };
        row.push((header.clone(), shown));
    }
    row
}

/// The record as attached: `doc` is the document read in full from the store.
pub fn attached(
    doc: &DocumentView,
    entry: Option<(&EntryView, &FullValues)>,
    requester: &crate::privacy::RequesterRows,
    pages: Vec<i64>,
    at: &str,
    by: &str,
) -> AttachedRecord {
    let own = entry.is_some_and(|(e, full)| requester.owns(full.id_key.as_deref(), &e.entry_key));
    AttachedRecord {
        id: 0,
        document_id: doc.id,
        entry_id: entry.map(|(e, _)| e.id),
        ref_code: doc.ref_code.clone(),
        title: doc.title.as_deref().map(crate::privacy::mask_text),
        date: doc.date.clone(),
        doc_number: doc.doc_number.clone(),
        access: doc.access.clone(),
        category: doc.category.clone(),
        row: entry
            .map(|(e, full)| row_of(e, full, own))
            .unwrap_or_default(),
        own_record: own,
        pages,
        redactions: Vec::new(),
        attached_at: at.to_string(),
        attached_by: by.to_string(),
        pages_with_others: Vec::new(),
        covers: Vec::new(),
    }
}
