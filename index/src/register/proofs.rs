//! The proof a request was accepted on, captured at the counter: the requester's ID card and,
//! for a proxy, the letter of authorization, as scans or photos. Checked before it is kept (a
//! picture or a PDF, of a sensible size), recorded when added, viewed or removed, and deleted
//! once the retention period set in 设置 has passed since the request closed.

use crate::api::{Caller, ProofAddRequest, RequestStatus};
use crate::audit::{self, Event};
use crate::error::{Error, ErrorCode, Result};
use crate::store::proofs::{self, NewProof};
use rusqlite::Connection;
use serde_json::json;
use sha2::{Digest, Sha256};

/// A photo from a phone is a few MB; a scanned letter as PDF less.
pub const PROOF_MAX_BYTES: usize = 10 << 20;
/// The largest request body that carries one (base64, and the JSON around it).
pub const PROOF_BODY_LIMIT: usize = PROOF_MAX_BYTES / 3 * 4 + (1 << 20);
pub const KINDS: &[&str] = &["id_card", "authorization", "other"];

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

/// What the file is, from its first bytes (never its name).
pub fn media_type(content: &[u8]) -> Option<&'static str> {
    match content {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => Some("image/tiff"),
        [b'%', b'P', b'D', b'F', b'-', ..] => Some("application/pdf"),
        _ => None,
    }
}

/// Keeps a proof with its request, recorded; answers its id.
pub fn add(
    tx: &Connection,
    caller: &Caller,
    asked: &ProofAddRequest,
    content: &[u8],
) -> Result<i64> {
    let (_, status) = crate::register::requester_key(tx, asked.request_id)?;
    if status == RequestStatus::Delivered {
        return Err(invalid(format!(
            "查档登记 {} 已交付，不能再添加证明材料",
            asked.request_id
        )));
    }
    if !KINDS.contains(&asked.kind.as_str()) {
        return Err(invalid(format!(
            "证明材料的类别「{}」不对：应为身份证、授权委托书或其他证明",
            asked.kind
        )));
    }
    let file_name = asked.file_name.trim();
    if file_name.is_empty()
        || file_name.chars().count() > 120
        || file_name.chars().any(char::is_control)
    {
        return Err(invalid("证明材料的文件名为空、过长或含控制字符"));
    }
    if content.is_empty() {
        return Err(invalid(format!("文件「{file_name}」是空的")));
    }
    if content.len() > PROOF_MAX_BYTES {
        return Err(invalid(format!(
            "文件「{file_name}」有 {:.1} MB，超过 {} MB：请降低拍照或扫描的分辨率",
            content.len() as f64 / (1 << 20) as f64,
            PROOF_MAX_BYTES >> 20
        )));
    }
    let media_type = media_type(content).ok_or_else(|| {
        invalid(format!(
            "文件「{file_name}」不是 JPEG、PNG、TIFF 图片或 PDF：请用拍照或扫描得到的文件"
        ))
    })?;
    let sha256 = hex::encode(Sha256::digest(content));
    let at = crate::store::now_text();
    let id = proofs::insert(
        tx,
        &NewProof {
            request_id: asked.request_id,
            kind: &asked.kind,
            file_name,
            media_type,
            sha256: &sha256,
            content,
            added_at: &at,
            added_by: &audit::actor(caller),
        },
    )?;
    audit::append(
        tx,
        caller,
        Event::new(
            "proof_added",
            Some(format!("request:{}", asked.request_id)),
            json!({ "proof": id, "kind": asked.kind, "file": file_name, "bytes": content.len(),
                    "sha256": sha256 }),
        ),
    )?;
    Ok(id)
}

/// A clerk removes a proof (a wrong capture): its content is deleted, the row says so. Only the
/// clerk who added it or a supervisor, and not once the request was delivered.
pub fn remove(tx: &Connection, caller: &Caller, id: i64) -> Result<i64> {
    let proof = proofs::one(tx, id)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的证明材料")))?;
    if proof.deleted_at.is_some() {
        return Err(invalid("这份证明材料已删除"));
    }
    if proof.added_by != audit::actor(caller) {
        caller.require_supervisor("删除他人添加的证明材料")?;
    }
    let (_, status) = crate::register::requester_key(tx, proof.request_id)?;
    if status == RequestStatus::Delivered {
        return Err(invalid("查档登记已交付：证明材料保存至保存期满"));
    }
    proofs::delete_content(tx, &[id], &crate::store::now_text(), "removed")?;
    audit::append(
        tx,
        caller,
        Event::new(
            "proof_removed",
            Some(format!("request:{}", proof.request_id)),
            json!({ "proof": id, "kind": proof.kind, "file": proof.file_name }),
        ),
    )?;
    Ok(proof.request_id)
}

/// Deletes the proofs of requests closed more than the retention period before `now`, recorded
/// as one act; answers how many.
pub fn expire(tx: &Connection, caller: &Caller, now: chrono::NaiveDateTime) -> Result<usize> {
    let days = proofs::retention_days(tx)?;
    let closed_before = (now - chrono::Duration::days(days))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let expired = proofs::expired(tx, &closed_before)?;
    if expired.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = expired.iter().map(|(id, _)| *id).collect();
    let mut requests: Vec<i64> = expired.iter().map(|(_, request)| *request).collect();
    requests.sort_unstable();
    requests.dedup();
    proofs::delete_content(
        tx,
        &ids,
        &now.format("%Y-%m-%d %H:%M:%S").to_string(),
        "retention",
    )?;
    audit::append(
        tx,
        caller,
        Event::new(
            "proof_expired",
            None,
            json!({ "proofs": ids, "requests": requests, "retention_days": days }),
        ),
    )?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_first_bytes() {
        assert_eq!(media_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(media_type(b"\x89PNG\r\n"), Some("image/png"));
        assert_eq!(media_type(b"II*\0rest"), Some("image/tiff"));
        assert_eq!(media_type(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(media_type(b"MZ\x90\0"), None);
        assert_eq!(media_type(b"GIF89a"), None);
    }
}
