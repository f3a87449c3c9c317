//! A request's proof files at the counter: added (an act, done once under a retry key), viewed
//! (a look on the trail), removed, and deleted when their retention period has passed.

use super::Archive;
use crate::api::{Caller, LookupRequestView, ProofAddRequest, ProofContent};
use crate::audit::Event;
use crate::error::{Error, ErrorCode, Result};
use crate::register::{self, proofs};
use base64::Engine;
use serde_json::json;

impl Archive {
    /// Keeps a scan or photo of a proof with its request.
    pub fn add_proof(&mut self, asked: &ProofAddRequest) -> Result<LookupRequestView> {
        let content = base64::engine::general_purpose::STANDARD
            .decode(asked.content_base64.trim())
            .map_err(|_| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    format!("文件「{}」的内容无法读取", asked.file_name.trim()),
                )
            })?;
        self.act_once(
            "proof_add",
            |tx, caller| {
                proofs::add(tx, caller, asked, &content)?;
                register::get(tx, asked.request_id)
            },
            |view| view.id.to_string(),
            |tx, id| register::get(tx, id.parse().unwrap_or_default()),
        )
    }

    /// A proof's content, to show the clerk; recorded as a look.
    pub fn view_proof(&mut self, id: i64) -> Result<ProofContent> {
        let conn = &self.store.conn;
        let proof = crate::store::proofs::one(conn, id)?.ok_or_else(|| {
            Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的证明材料"))
        })?;
        let content = crate::store::proofs::content(conn, id)?.ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!(
                    "证明材料「{}」已于 {} 删除",
                    proof.file_name,
                    proof.deleted_at.as_deref().unwrap_or("")
                ),
            )
        })?;
        self.record_look(Event::new(
            "view_proof",
            Some(format!("request:{}", proof.request_id)),
            json!({ "proof": id, "kind": proof.kind, "file": proof.file_name }),
        ))?;
        Ok(ProofContent {
            id,
            file_name: proof.file_name,
            media_type: proof.media_type,
            content_base64: base64::engine::general_purpose::STANDARD.encode(content),
        })
    }

    /// Removes a proof captured by mistake.
    pub fn remove_proof(&mut self, id: i64) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            let request_id = proofs::remove(tx, caller, id)?;
            register::get(tx, request_id)
        })
    }

    /// Deletes the proofs whose retention period after their request closed has passed by
    /// `now`; recorded as done by the archive itself. Answers how many.
    pub fn expire_proofs(&mut self, now: chrono::NaiveDateTime) -> Result<usize> {
        let clerk = std::mem::replace(&mut self.caller, Caller::local_operator());
        let expired = self.act(|tx, caller| proofs::expire(tx, caller, now));
        self.caller = clerk;
        expired
    }
}
