//! A PC that worked alone joins the LAN host with its history: its register, its certificates
//! (still verifiable under the desk code they were printed with) and its audit trail are copied
//! into the host's archive in one transaction, and the merge itself is recorded. The other PC's
//! data folder is only read. Everything is checked before anything is written: its trail must
//! be whole, every record its requests name must be in the host's catalogue, and no certificate
//! number may be the host's already — otherwise nothing is merged and the reason says why.

use super::Archive;
use crate::api::HistoryMerge;
use crate::audit::{self, Event};
use crate::certificate::issue::{DEFAULT_DESK_CODE, DESK_CODE_KEY};
use crate::error::{Error, ErrorCode, Result};
use crate::store::certificate_numbers;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// The other PC's archive, opened read-only.
struct Source {
    conn: Connection,
    uid: String,
    desk_code: String,
}

/// Where the other archive's rows land in the host's.
#[derive(Default)]
struct Mapping {
    requests: HashMap<i64, i64>,
    documents: HashMap<i64, i64>,
    entries: HashMap<i64, i64>,
}

impl Archive {
    /// Merges the history of the archive in `from` (a PC that worked alone until now) into
    /// this one; see the module's comment.
    pub fn merge_history(&mut self, from: &Path) -> Result<HistoryMerge> {
        self.caller.require_supervisor("并入另一台电脑的查档记录")?;
        let source = open_source(from)?;
        let own_uid = self.store.meta("archive_uid")?;
        if own_uid.as_deref() == Some(source.uid.as_str()) {
            return Err(refused(from, "这就是本档案库（或它的备份），不能并入自己"));
        }
        // Its anchors are checked with it: those in its data folder (its second folder is a
        // path on that PC), as a restore does.
        let anchors = [audit::anchors::Folder {
            path: from.join(audit::anchors::ANCHOR_FOLDER),
            mirror: false,
        }];
        let trail = audit::verify(&source.conn, None, &anchors)?;
        if !trail.intact {
            return Err(refused(
                from,
                &format!(
                    "它的审计日志不完整（第 {} 条：{}），不能并入",
                    trail.broken_at.unwrap_or_default(),
                    trail.problem.unwrap_or_default()
                ),
            ));
        }
        if let Some(at) = merged_before(&self.store.conn, &source.uid)? {
            return Err(refused(from, &format!("它的记录已于 {at} 并入过")));
        }
        let mut mapping = records_in_host(&source.conn, &self.store.conn, from)?;
        clashing_numbers(&source.conn, &self.store.conn, from)?;
        let desk_codes = desk_codes(&source.conn)?;
        let label = from.display().to_string();
        let merged = self.act(|tx, caller| {
            let requests = copy_requests(&source.conn, tx, &mut mapping)?;
            copy_records(&source.conn, tx, &mapping)?;
            let certificates = copy_certificates(&source.conn, tx, &mapping)?;
            copy_person_decisions(&source.conn, tx)?;
            certificate_numbers::raise_floors(tx, &certificate_numbers::highest(&source.conn)?)?;
            let audit_rows = copy_trail(&source, tx, &mut mapping)?;
            audit::append(
                tx,
                caller,
                Event::new(
                    "history_merged",
                    Some(format!("archive:{}", source.uid)),
                    json!({
                        "source": label,
                        "source_uid": source.uid,
                        "desk_code": source.desk_code,
                        "desk_codes": desk_codes,
                        "requests": requests,
                        "certificates": certificates,
                        "audit_rows": audit_rows,
                        "source_head": trail.head,
                    }),
                ),
            )?;
            Ok(HistoryMerge {
                source: label.clone(),
                desk_codes: desk_codes.clone(),
                requests,
                certificates,
                audit_rows,
            })
        })?;
        // The merged numbers are anchored at once, as every issued one is.
        let _ = self.write_anchor();
        Ok(merged)
    }
}

fn refused(from: &Path, why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!("无法并入「{}」的记录：{why}", from.display()),
    )
}

fn open_source(from: &Path) -> Result<Source> {
    let db = from.join(crate::store::DB_FILE);
    if !db.is_file() {
        return Err(refused(from, "这不是档案查询台的数据文件夹"));
    }
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    // One snapshot for the checks and the copy alike.
    conn.execute_batch("BEGIN")?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let ours = crate::store::migrations::latest_version();
    if version != ours {
        return Err(refused(
            from,
            &format!(
                "它由另一版本的档案查询台写成（数据版本 {version}，主机 {ours}）：请先在那台电脑上装上与主机相同的版本并打开一次"
            ),
        ));
    }
    let journal = from.join(crate::store::journal::JOURNAL_FILE);
    if journal.is_file() {
        let journal = Connection::open_with_flags(&journal, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        if audit::looks::waiting(&journal)? > 0 {
            return Err(refused(
                from,
                "那台电脑还有查阅记录未记入审计日志：请在那台电脑上打开档案查询台、再正常退出一次后并入",
            ));
        }
    }
    let meta = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    let uid = meta("archive_uid")?.ok_or_else(|| refused(from, "它没有档案库标识"))?;
    let desk_code = meta(DESK_CODE_KEY)?.unwrap_or_else(|| DEFAULT_DESK_CODE.to_string());
    Ok(Source {
        conn,
        uid,
        desk_code,
    })
}

/// When the archive `uid` was merged here before, if it was.
fn merged_before(host: &Connection, uid: &str) -> Result<Option<String>> {
    Ok(host
        .query_row(
            "SELECT at FROM audit_log WHERE action = 'history_merged' AND target = ?1",
            [format!("archive:{uid}")],
            |r| r.get(0),
        )
        .optional()?)
}

/// The host's document and entry for every one the other archive's requests attached, found by
/// 档号 and by row identity (both stable across imports); refused when the host lacks any.
fn records_in_host(source: &Connection, host: &Connection, from: &Path) -> Result<Mapping> {
    let mut mapping = Mapping::default();
    let mut missing = Vec::new();
    let mut stmt = source.prepare(
        "SELECT DISTINCT r.document_id, d.ref_key, d.ref_code, r.entry_id, e.entry_key
         FROM request_records r
         LEFT JOIN documents d ON d.id = r.document_id
         LEFT JOIN entries e ON e.id = r.entry_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    for row in rows {
        let (document_id, ref_key, ref_code, entry_id, entry_key) = row?;
        let label = ref_code.unwrap_or_else(|| format!("案卷 {document_id}"));
        let found: Option<i64> = match &ref_key {
            Some(key) => host
                .query_row("SELECT id FROM documents WHERE ref_key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?,
            None => None,
        };
        let Some(host_document) = found else {
            missing.push(label);
            continue;
        };
        mapping.documents.insert(document_id, host_document);
        if let Some(entry_id) = entry_id {
            let found: Option<i64> = match &entry_key {
                Some(key) => host
                    .query_row("SELECT id FROM entries WHERE entry_key = ?1", [key], |r| {
                        r.get(0)
                    })
                    .optional()?,
                None => None,
            };
            match found {
                Some(host_entry) => {
                    mapping.entries.insert(entry_id, host_entry);
                }
                None => missing.push(label),
            }
        }
    }
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        return Err(refused(
            from,
            &format!(
                "主机的目录里没有它的查档登记所用的 {} 份档案（{}{}）：请先在主机导入这些目录",
                missing.len(),
                missing
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("、"),
                if missing.len() > 5 { " 等" } else { "" }
            ),
        ));
    }
    Ok(mapping)
}

/// Refused when both archives numbered certificates under the same desk code in the same year
/// (issued, or known from a restore's floor), or share a verification code: citizens hold both
/// papers, so neither can be renumbered.
fn clashing_numbers(source: &Connection, host: &Connection, from: &Path) -> Result<()> {
    let held = certificate_numbers::highest(host)?;
    let mut clashes: Vec<String> = certificate_numbers::highest(source)?
        .into_keys()
        .filter(|key| held.contains_key(key))
        .map(|key| {
            let (year, desk) = key.split_once('/').unwrap_or((&key, ""));
            format!("〔{year}〕{desk}")
        })
        .collect();
    let mut stmt = source.prepare("SELECT number, verify_code FROM certificates")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (number, code) = row?;
        let taken: bool = host.query_row(
            "SELECT EXISTS(SELECT 1 FROM certificates WHERE verify_code = ?1)",
            [code],
            |r| r.get(0),
        )?;
        if taken {
            clashes.push(number);
        }
    }
    if clashes.is_empty() {
        return Ok(());
    }
    Err(refused(
        from,
        &format!(
            "两台电脑在同一年用同一个柜台代码出具过证明（{}{}），编号已印在证明上，不能改号并入",
            clashes
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("、"),
            if clashes.len() > 3 { " 等" } else { "" }
        ),
    ))
}

fn desk_codes(source: &Connection) -> Result<Vec<String>> {
    let mut stmt = source.prepare("SELECT DISTINCT desk FROM certificates ORDER BY desk")?;
    let codes = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(codes)
}

/// The columns of `table` but its own id, as the host's schema (the same version) has them.
fn columns(host: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = host.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names.into_iter().filter(|c| c != "id").collect())
}

/// Copies every row of `table` (oldest first) with `fix` applied to each value; returns the
/// old id and the new one of each.
fn copy_table(
    source: &Connection,
    host: &Connection,
    table: &str,
    mut fix: impl FnMut(&str, Value) -> Result<Value>,
) -> Result<Vec<(i64, i64)>> {
    let columns = columns(host, table)?;
    let list = columns.join(", ");
    let marks = (1..=columns.len())
        .map(|n| format!("?{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut read = source.prepare(&format!("SELECT id, {list} FROM {table} ORDER BY id"))?;
    let mut write = host.prepare(&format!("INSERT INTO {table} ({list}) VALUES ({marks})"))?;
    let mut rows = read.query([])?;
    let mut ids = Vec::new();
    while let Some(row) = rows.next()? {
        let old: i64 = row.get(0)?;
        let mut values = Vec::with_capacity(columns.len());
        for (n, column) in columns.iter().enumerate() {
            values.push(fix(column, row.get::<_, Value>(n + 1)?)?);
        }
        write.execute(rusqlite::params_from_iter(values))?;
        ids.push((old, host.last_insert_rowid()));
    }
    Ok(ids)
}

fn mapped(map: &HashMap<i64, i64>, value: Value, what: &str) -> Result<Value> {
    match value {
        Value::Integer(old) => map
            .get(&old)
            .map(|new| Value::Integer(*new))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    format!("无法并入：{what} {old} 在主机上没有对应"),
                )
            }),
        other => Ok(other),
    }
}

fn copy_requests(source: &Connection, host: &Connection, mapping: &mut Mapping) -> Result<usize> {
    let ids = copy_table(source, host, "requests", |_, value| Ok(value))?;
    mapping.requests.extend(ids.iter().copied());
    Ok(ids.len())
}

fn copy_records(source: &Connection, host: &Connection, mapping: &Mapping) -> Result<usize> {
    let ids = copy_table(source, host, "request_records", |column, value| {
        match column {
            "request_id" => mapped(&mapping.requests, value, "查档登记"),
            "document_id" => mapped(&mapping.documents, value, "案卷"),
            "entry_id" => mapped(&mapping.entries, value, "目录行"),
            // The record as it was shown names its document and row too.
            "snapshot_json" => {
                let Value::Text(text) = value else {
                    return Ok(value);
                };
                let mut shown: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("无法并入：{e}")))?;
                for (field, map) in [
                    ("document_id", &mapping.documents),
                    ("entry_id", &mapping.entries),
                ] {
                    if let Some(new) = shown[field].as_i64().and_then(|old| map.get(&old)) {
                        shown[field] = json!(new);
                    }
                }
                Ok(Value::Text(shown.to_string()))
            }
            _ => Ok(value),
        }
    })?;
    Ok(ids.len())
}

fn copy_certificates(source: &Connection, host: &Connection, mapping: &Mapping) -> Result<usize> {
    let ids = copy_table(source, host, "certificates", |column, value| match column {
        "request_id" => mapped(&mapping.requests, value, "查档登记"),
        _ => Ok(value),
    })?;
    Ok(ids.len())
}

/// Who is the same person, as the other PC's clerks decided (keyed by row identity and person,
/// both stable): the host's own decision stands where both decided on the same pair.
fn copy_person_decisions(source: &Connection, host: &Connection) -> Result<()> {
    let mut read = source.prepare(
        "SELECT entry_key, person_key, action, decided_at, decided_by FROM person_decisions ORDER BY id",
    )?;
    let mut write = host.prepare(
        "INSERT INTO person_decisions (entry_key, person_key, action, decided_at, decided_by)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (entry_key, person_key) DO NOTHING",
    )?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        write.execute(params![
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
        ])?;
    }
    Ok(())
}

/// The other trail's rows, in their order, appended to the host's chain: the same time, clerk
/// (marked with the desk they worked at), action and detail, the targets pointing at the rows
/// as the host numbers them, and each row's place in the old chain kept in its detail.
fn copy_trail(source: &Source, host: &Connection, mapping: &mut Mapping) -> Result<usize> {
    let mut stmt = source.conn.prepare(
        "SELECT seq, at, actor, action, target, detail, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut copied = 0;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let at: String = row.get(1)?;
        let actor: String = row.get(2)?;
        let action: String = row.get(3)?;
        let target: Option<String> = row.get(4)?;
        let detail: String = row.get(5)?;
        let hash: String = row.get(6)?;
        let actor = if actor.contains('@') {
            actor
        } else {
            format!("{actor}@柜台{}", source.desk_code)
        };
        let target = target
            .map(|t| retarget(&t, mapping, source, host))
            .transpose()?;
        let mut detail: serde_json::Value =
            serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail));
        let place = json!({ "archive": source.uid, "seq": seq, "hash": hash });
        detail = match detail {
            serde_json::Value::Object(mut fields) => {
                fields.insert("merged_from".into(), place);
                serde_json::Value::Object(fields)
            }
            other => json!({ "value": other, "merged_from": place }),
        };
        audit::append_row(
            host,
            &audit::Row {
                at: &at,
                actor: &actor,
                action: &action,
                target: target.as_deref(),
                detail: &detail.to_string(),
            },
        )?;
        copied += 1;
    }
    Ok(copied)
}

/// `request:12` as the host numbers that request; the same for documents (by 档号) and entries
/// (by row identity), also those no request attached. One the host does not hold keeps its old
/// number, marked with the archive it belongs to, so that it never names another record.
fn retarget(
    target: &str,
    mapping: &mut Mapping,
    source: &Source,
    host: &Connection,
) -> Result<String> {
    let Some((kind, id)) = target.split_once(':') else {
        return Ok(target.to_string());
    };
    let (map, lookup) = match kind {
        "request" => (&mut mapping.requests, None),
        "document" => (
            &mut mapping.documents,
            Some((
                "SELECT ref_key FROM documents WHERE id = ?1",
                "SELECT id FROM documents WHERE ref_key = ?1",
            )),
        ),
        "entry" => (
            &mut mapping.entries,
            Some((
                "SELECT entry_key FROM entries WHERE id = ?1",
                "SELECT id FROM entries WHERE entry_key = ?1",
            )),
        ),
        _ => return Ok(target.to_string()),
    };
    let Ok(old) = id.parse::<i64>() else {
        return Ok(target.to_string());
    };
    let mut found = map.get(&old).copied();
    if let (None, Some((key_of, id_of))) = (found, lookup) {
        let key: Option<String> = source
            .conn
            .query_row(key_of, [old], |r| r.get(0))
            .optional()?;
        if let Some(key) = key {
            found = host.query_row(id_of, [key], |r| r.get(0)).optional()?;
        }
        if let Some(new) = found {
            map.insert(old, new);
        }
    }
    Ok(match found {
        Some(new) => format!("{kind}:{new}"),
        None => format!("{kind}:{old}@archive:{}", source.uid),
    })
}
