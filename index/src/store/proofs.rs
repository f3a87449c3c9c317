//! A request's proof files (`request_proofs`): kept as BLOBs in the archive's database, so that
//! they are written in the act's transaction and copied by every backup with the register.

use crate::api::ProofFile;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// `meta`: days a proof is kept after its request closed.
pub const RETENTION_KEY: &str = "proof_retention_days";
pub const DEFAULT_RETENTION_DAYS: i64 = 180;

const COLUMNS: &str =
    "id, request_id, kind, file_name, media_type, bytes, added_at, added_by, deleted_at, deleted_why";

fn proof(r: &rusqlite::Row) -> rusqlite::Result<ProofFile> {
    Ok(ProofFile {
        id: r.get(0)?,
        request_id: r.get(1)?,
        kind: r.get(2)?,
        file_name: r.get(3)?,
        media_type: r.get(4)?,
        bytes: r.get(5)?,
        added_at: r.get(6)?,
        added_by: r.get(7)?,
        deleted_at: r.get(8)?,
        deleted_why: r.get(9)?,
    })
}

/// A proof to keep.
pub struct NewProof<'a> {
    pub request_id: i64,
    pub kind: &'a str,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub added_at: &'a str,
    pub added_by: &'a str,
}

pub fn insert(conn: &Connection, proof: &NewProof) -> Result<i64> {
    conn.execute(
        "INSERT INTO request_proofs(request_id, kind, file_name, media_type, bytes, sha256, content, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            proof.request_id,
            proof.kind,
            proof.file_name,
            proof.media_type,
            proof.content.len() as i64,
            proof.sha256,
            proof.content,
            proof.added_at,
            proof.added_by,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn of_request(conn: &Connection, request_id: i64) -> Result<Vec<ProofFile>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM request_proofs WHERE request_id = ?1 ORDER BY id"
    ))?;
    let proofs = statement
        .query_map([request_id], proof)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(proofs)
}

pub fn one(conn: &Connection, id: i64) -> Result<Option<ProofFile>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM request_proofs WHERE id = ?1"),
            [id],
            proof,
        )
        .optional()?)
}

/// The content of a proof not deleted.
pub fn content(conn: &Connection, id: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT content FROM request_proofs WHERE id = ?1 AND deleted_at IS NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Deletes the content of these proofs, saying when and why. The connection overwrites the
/// freed pages with zeros (`secure_delete`), so the file keeps no copy of them.
pub fn delete_content(conn: &Connection, ids: &[i64], at: &str, why: &str) -> Result<()> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    let deleted = (|| {
        let mut statement = conn.prepare_cached(
            "UPDATE request_proofs SET content = NULL, deleted_at = ?2, deleted_why = ?3
             WHERE id = ?1 AND deleted_at IS NULL",
        )?;
        for id in ids {
            statement.execute(params![id, at, why])?;
        }
        Ok(())
    })();
    conn.pragma_update(None, "secure_delete", "OFF")?;
    deleted
}

/// Proofs still kept whose request closed before `closed_before` (local time, as written).
pub fn expired(conn: &Connection, closed_before: &str) -> Result<Vec<(i64, i64)>> {
    let mut statement = conn.prepare(
        "SELECT p.id, p.request_id FROM request_proofs p JOIN requests r ON r.id = p.request_id
         WHERE p.deleted_at IS NULL AND r.closed_at IS NOT NULL AND r.closed_at < ?1
         ORDER BY p.id",
    )?;
    let expired = statement
        .query_map([closed_before], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(expired)
}

pub fn retention_days(conn: &Connection) -> Result<i64> {
    let kept: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [RETENTION_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(kept
        .and_then(|d| d.parse().ok())
        .unwrap_or(DEFAULT_RETENTION_DAYS))
}
