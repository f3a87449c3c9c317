//! The receiving archive's side (受理馆): an open 跨馆 request's application, with its proof,
//! goes to the outbox in the act that records it; the steps the holding archive tells back are
//! taken once and only forwards, the certificate with the last.

use super::{base64, invalid, is_day, CHANNEL};
use crate::api::{
    CrossSendRequest, LookupRequestView, NewLookupRequest, Peer, PeerAsking, Relationship,
};
use crate::audit::{self, Event};
use crate::cross::states::{self, moves_on};
use crate::cross::{
    ApplicationMessage, CertificateVoided, ProofSent, StatusMessage, APPLICATION_PATH, MAX_PROOFS,
    MAX_PROOF_BYTES,
};
use crate::error::{Error, ErrorCode, Result};
use crate::register;
use crate::store::cross::{self as store, NewSent};
use crate::Archive;
use base64::Engine;
use rusqlite::Connection;
use serde_json::json;
use sha2::{Digest, Sha256};

impl Archive {
    /// Sends an open 跨馆 request's application, with its proof files, to one other archive.
    pub fn send_cross_application(
        &mut self,
        asked: &CrossSendRequest,
    ) -> Result<LookupRequestView> {
        let archive_name = self.archive_name_for_peers()?;
        self.act_once(
            "cross_send",
            |tx, caller| {
                let view = register::get(tx, asked.request_id)?;
                if view.channel != CHANNEL {
                    return Err(invalid("只有渠道为「跨馆」的查档登记可以向其他档案馆申请"));
                }
                if !view.status.is_open() {
                    return Err(invalid(format!("查档登记 {} 已办结", view.id)));
                }
                let peer = crate::store::peers::all(tx)?
                    .into_iter()
                    .find(|p| p.id == asked.peer_id)
                    .ok_or_else(|| Error::new(ErrorCode::NotFound, "没有这个档案馆（或已删除）"))?;
                let pending = store::sent_of_request(tx, view.id)?
                    .into_iter()
                    .any(|s| s.peer_id == peer.id && !states::is_final(&s.state));
                if pending {
                    return Err(invalid(format!("已向{}申请，正在办理中", peer.name)));
                }
                let proofs = proofs_to_send(tx, &view)?;
                let message = ApplicationMessage {
                    message_id: hex::encode(rand::random::<[u8; 16]>()),
                    asking: PeerAsking {
                        request_no: view.id.to_string(),
                        clerk: audit::actor(caller),
                        purpose: view.purpose.clone(),
                        channel: CHANNEL.to_string(),
                    },
                    application: application_of(tx, view.id)?,
                    proofs,
                };
                let body = serde_json::to_vec(&message).expect("plain fields serialize");
                let now = crate::store::now_text();
                let outbox_id = store::enqueue(tx, peer.id, APPLICATION_PATH, &body, &now)?;
                store::insert_sent(
                    tx,
                    &NewSent {
                        message_id: &message.message_id,
                        request_id: view.id,
                        peer_id: peer.id,
                        outbox_id,
                        at: &now,
                        by: &audit::actor(caller),
                    },
                )?;
                audit::append(
                    tx,
                    caller,
                    Event::new(
                        "cross_sent",
                        Some(format!("request:{}", view.id)),
                        json!({ "peer": peer.name, "message": message.message_id,
                                "proofs": message.proofs.len(), "from": archive_name }),
                    ),
                )?;
                register::get(tx, view.id)
            },
            |view| view.id.to_string(),
            |tx, id| register::get(tx, id.parse().unwrap_or_default()),
        )
    }

    /// A step the holding archive took, as it told it; taken once, and only forwards. A
    /// certificate received moves the request to 已查到, so that it can be delivered.
    pub fn receive_cross_status(&mut self, peer: &Peer, message: &StatusMessage) -> Result<()> {
        let Some((id, request_id, state)) =
            store::sent_by_message(&self.store.conn, peer.id, &message.message_id)?
        else {
            return Err(Error::new(
                ErrorCode::NotFound,
                "本馆没有向贵馆发出这份申请",
            ));
        };
        if states::rank(&message.state).is_none() {
            return Err(invalid(format!("无法识别的办理状态「{}」", message.state)));
        }
        if let Some(voided) = &message.voided {
            return self.certificate_voided_there(peer, id, request_id, voided);
        }
        let deadline = message.deadline.as_deref().filter(|d| is_day(d));
        // A certificate issued again for one voided there replaces it here.
        let issued_again = state == states::CERTIFIED
            && message.state == states::CERTIFIED
            && match (
                &message.certificate,
                store::sent_certificate(&self.store.conn, id)?,
            ) {
                (Some(new), Some((old, true))) => new.number != old,
                _ => false,
            };
        if !moves_on(&state, &message.state) && !issued_again {
            // Told again, or late: only a deadline not known yet is taken.
            if let Some(deadline) = deadline {
                store::set_sent_deadline(&self.store.conn, id, deadline)?;
            }
            return Ok(());
        }
        let certificate = match (&message.certificate, message.state.as_str()) {
            (Some(c), states::CERTIFIED) => {
                let pdf = base64()
                    .decode(c.pdf_base64.trim())
                    .map_err(|_| invalid("证明文件无法读取"))?;
                if !pdf.starts_with(b"%PDF-") {
                    return Err(invalid("证明文件不是 PDF"));
                }
                if store::certificate_code_taken(&self.store.conn, &c.verify_code, id)? {
                    return Err(invalid("核验码与本馆收到的另一份证明相同，不能收下"));
                }
                Some((c, pdf))
            }
            (None, states::CERTIFIED) => return Err(invalid("已出证却没有附证明文件")),
            _ => None,
        };
        let reason = message
            .reason
            .as_deref()
            .map(|r| r.chars().take(200).collect::<String>());
        let peer_name = peer.name.clone();
        self.act(|tx, _| {
            let now = crate::store::now_text();
            store::set_sent_state(tx, id, &message.state, &now, deadline, reason.as_deref())?;
            if let Some((c, pdf)) = &certificate {
                store::store_certificate(
                    tx,
                    id,
                    &store::ReceivedCertificate {
                        number: &c.number,
                        verify_code: &c.verify_code,
                        issued_at: &c.issued_at,
                        pdf,
                        sha256: &hex::encode(Sha256::digest(pdf)),
                    },
                )?;
                tx.execute(
                    "UPDATE requests SET status = 'found', answered_at = COALESCE(answered_at, ?2)
                     WHERE id = ?1 AND status = 'registered'",
                    rusqlite::params![request_id, now],
                )?;
            }
            super::status_recorded(
                tx,
                request_id,
                json!({ "peer": peer_name, "state": message.state, "reason": reason,
                            "number": certificate.as_ref().map(|(c, _)| c.number.clone()) }),
            )
        })
    }

    /// The holding archive voided the certificate it sent: it is neither printed nor verified
    /// here any more. Taken once, and only for the certificate kept here.
    fn certificate_voided_there(
        &mut self,
        peer: &Peer,
        id: i64,
        request_id: i64,
        voided: &CertificateVoided,
    ) -> Result<()> {
        match store::sent_certificate(&self.store.conn, id)? {
            Some((number, false)) if number == voided.number => {}
            _ => return Ok(()),
        }
        let reason: String = voided.reason.chars().take(200).collect();
        let at: String = voided.at.chars().take(19).collect();
        let peer_name = peer.name.clone();
        self.act(|tx, _| {
            store::void_received(tx, id, &at, &reason)?;
            super::status_recorded(
                tx,
                request_id,
                json!({ "peer": peer_name, "state": states::CERTIFIED,
                            "voided": voided.number, "reason": reason }),
            )
        })
    }

    /// The certificate another archive issued for a request of this archive's, to print for
    /// the citizen; recorded as a look. One voided there since is refused.
    pub fn received_certificate(&mut self, id: i64) -> Result<(String, Vec<u8>)> {
        let store::CertificateReceived {
            request_id,
            peer_name,
            number,
            pdf,
            voided_at,
        } = store::received_certificate(&self.store.conn, id)?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, "还没有收到这份申请的证明"))?;
        if let Some(at) = voided_at {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("{peer_name}已于 {at} 作废证明 {number}，不能再打印：请等对方重新出具"),
            ));
        }
        self.record_look(Event::new(
            "certificate_view",
            Some(format!("request:{request_id}")),
            json!({ "number": number, "from": peer_name }),
        ))?;
        Ok((format!("{peer_name}{number}.pdf"), pdf))
    }

    /// The name this archive goes by with other archives.
    fn archive_name_for_peers(&self) -> Result<String> {
        Ok(self
            .store
            .meta("archive_name")?
            .unwrap_or_else(|| "档案查询台".to_string()))
    }
}

/// The request as the holding archive registers it: who, why and what, with the full ID
/// numbers (the application form carries them, as the copy of the ID card does).
fn application_of(conn: &Connection, request_id: i64) -> Result<NewLookupRequest> {
    Ok(conn.query_row(
        "SELECT requester_name, requester_id_raw, requester_phone, relationship, proxy_name, proxy_id_raw,
                proxy_phone, unit_name, purpose, purpose_note, sought
         FROM requests WHERE id = ?1",
        [request_id],
        |r| {
            Ok(NewLookupRequest {
                requester_name: r.get(0)?,
                requester_id: r.get(1)?,
                requester_phone: r.get(2)?,
                relationship: Relationship::parse(&r.get::<_, String>(3)?)
                    .unwrap_or(Relationship::Oneself),
                proxy_name: r.get(4)?,
                proxy_id: r.get(5)?,
                proxy_phone: r.get(6)?,
                unit_name: r.get(7)?,
                purpose: r.get(8)?,
                purpose_note: r.get(9)?,
                channel: CHANNEL.to_string(),
                delivery: None,
                sought: r.get(10)?,
            })
        },
    )?)
}

/// The proof the procedure requires, read to send: the ID card always, the letter of
/// authorization for a proxy.
fn proofs_to_send(conn: &Connection, view: &LookupRequestView) -> Result<Vec<ProofSent>> {
    let kept: Vec<_> = view
        .proofs
        .iter()
        .filter(|p| p.deleted_at.is_none())
        .collect();
    if !kept.iter().any(|p| p.kind == "id_card") {
        return Err(invalid(
            "跨馆申请须附查档人身份证的扫描件或照片：请先在「证明材料」中添加",
        ));
    }
    if view.relationship == Relationship::Proxy && !kept.iter().any(|p| p.kind == "authorization") {
        return Err(invalid(
            "代查的跨馆申请须附授权委托书：请先在「证明材料」中添加",
        ));
    }
    if kept.len() > MAX_PROOFS {
        return Err(invalid(format!(
            "证明材料最多发送 {MAX_PROOFS} 份：请删除多余的"
        )));
    }
    let mut total = 0;
    let mut proofs = Vec::new();
    for proof in kept {
        let content = crate::store::proofs::content(conn, proof.id)?.unwrap_or_default();
        total += content.len();
        proofs.push(ProofSent {
            kind: proof.kind.clone(),
            file_name: proof.file_name.clone(),
            content_base64: base64().encode(content),
        });
    }
    if total > MAX_PROOF_BYTES {
        return Err(invalid(format!(
            "证明材料共超过 {} MB：请降低分辨率后重新添加",
            MAX_PROOF_BYTES >> 20
        )));
    }
    Ok(proofs)
}
