//! The holding archive's side (协办馆): an application becomes a request of this archive's own,
//! with a deadline in working days; 跨馆协办 lists them; and each step taken on such a request
//! (受理, a record attached, the certificate issued, 未查到, 退回) is told back through the
//! outbox in the step's own transaction.

use super::{base64, invalid, CHANNEL};
use crate::api::{
    Caller, CrossInbox, CrossInboxQuery, CrossReturnRequest, LookupRequestView, NewLookupRequest,
    Peer, ProofAddRequest, Role,
};
use crate::audit::{self, Event};
use crate::cross::calendar::working_days_after;
use crate::cross::states::{self, moves_on};
use crate::cross::{
    ApplicationMessage, CertificateSent, StatusMessage, MAX_PROOFS, MAX_PROOF_BYTES, STATUS_PATH,
};
use crate::error::{Error, ErrorCode, Result};
use crate::register;
use crate::store::cross::{self as store, NewReceived, ReceivedRow};
use crate::Archive;
use base64::Engine;
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

impl Archive {
    /// An application from `peer`, registered as a request of this archive's own (channel 跨馆)
    /// with its proof, and its deadline counted in working days; told back as 已提交. The same
    /// application again changes nothing.
    pub fn receive_cross_application(
        &mut self,
        peer: &Peer,
        message: &ApplicationMessage,
    ) -> Result<()> {
        crate::archive::peers::check_asking(&message.asking)?;
        if message.message_id.is_empty() || message.message_id.len() > 64 {
            return Err(invalid("申请编号不对"));
        }
        if store::received_by_message(&self.store.conn, peer.id, &message.message_id)?.is_some() {
            return Ok(());
        }
        if message.proofs.len() > MAX_PROOFS {
            return Err(invalid(format!("证明材料最多 {MAX_PROOFS} 份")));
        }
        let mut proofs = Vec::new();
        for proof in &message.proofs {
            let content = base64()
                .decode(proof.content_base64.trim())
                .map_err(|_| invalid(format!("证明材料「{}」无法读取", proof.file_name)))?;
            proofs.push((proof, content));
        }
        if proofs.iter().map(|(_, c)| c.len()).sum::<usize>() > MAX_PROOF_BYTES {
            return Err(invalid("证明材料过大"));
        }
        let application = NewLookupRequest {
            channel: CHANNEL.to_string(),
            delivery: None,
            ..message.application.clone()
        };
        // Registered in the sending archive's name: its clerk, through its key.
        let sender = Caller {
            clerk_id: None,
            login: peer.name.clone(),
            display_name: message.asking.clerk.chars().take(40).collect(),
            role: Role::Clerk,
            desk: None,
        };
        let special = store::special_days(&self.store.conn)?;
        let days = store::deadline_days(&self.store.conn)?;
        let today = chrono::Local::now().date_naive();
        let deadline = working_days_after(today, days.clamp(1, 60) as u32, &|d| {
            special.get(&d).copied()
        })
        .format("%Y-%m-%d")
        .to_string();
        let asking_json = serde_json::to_string(&message.asking).expect("plain fields serialize");
        let peer = peer.clone();
        self.commit_as(&sender, |tx, caller| {
            let request_id = register::register(tx, caller, &application)?;
            for (proof, content) in &proofs {
                register::proofs::add(
                    tx,
                    caller,
                    &ProofAddRequest {
                        request_id,
                        kind: proof.kind.clone(),
                        file_name: proof.file_name.clone(),
                        content_base64: String::new(),
                    },
                    content,
                )?;
            }
            let now = crate::store::now_text();
            store::insert_received(
                tx,
                &NewReceived {
                    message_id: &message.message_id,
                    peer_id: peer.id,
                    request_id,
                    at: &now,
                    deadline: &deadline,
                    asking_json: &asking_json,
                },
            )?;
            audit::append(
                tx,
                caller,
                Event::new(
                    "cross_received",
                    Some(format!("request:{request_id}")),
                    json!({ "peer": peer.name, "their_request": message.asking.request_no,
                            "clerk": message.asking.clerk, "purpose": message.asking.purpose,
                            "deadline": deadline }),
                ),
            )?;
            tell(
                tx,
                peer.id,
                StatusMessage {
                    deadline: Some(deadline.clone()),
                    ..told(&message.message_id, states::SUBMITTED)
                },
            )
        })
    }

    /// 跨馆协办: the applications received, with their deadlines on the working-day calendar.
    pub fn cross_inbox(&mut self, query: &CrossInboxQuery) -> Result<CrossInbox> {
        let conn = &self.store.conn;
        let special = store::special_days(conn)?;
        let today = chrono::Local::now().date_naive();
        let items = store::received_list(conn, query.all)?
            .into_iter()
            .map(|row| {
                let request = register::get(conn, row.request_id)?;
                Ok(register::cross_view::received_view(
                    row,
                    request.requester_name,
                    request.purpose,
                    request.sought,
                    today,
                    &special,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let overdue = items.iter().filter(|i| i.overdue).count() as i64;
        self.record_look(Event::new(
            "view_cross_inbox",
            None,
            json!({ "count": items.len(), "overdue": overdue }),
        ))?;
        Ok(CrossInbox { items, overdue })
    }

    /// 受理: the application is taken on.
    pub fn accept_cross(&mut self, id: i64) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            let row = received(tx, id)?;
            if row.state != states::SUBMITTED {
                return Err(invalid("这份申请已受理或已办结"));
            }
            step(tx, caller, &row, states::ACCEPTED, None, None)?;
            register::get(tx, row.request_id)
        })
    }

    /// 退回, with the reason told to the sending archive; this archive's request is closed.
    pub fn return_cross(&mut self, asked: &CrossReturnRequest) -> Result<LookupRequestView> {
        let reason = asked.reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(invalid("请写明退回的原因（200 字以内）"));
        }
        self.act(|tx, caller| {
            let row = received(tx, asked.id)?;
            if states::is_final(&row.state) {
                return Err(invalid("这份申请已办结"));
            }
            let certified: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM certificates WHERE request_id = ?1)",
                [row.request_id],
                |r| r.get(0),
            )?;
            if certified {
                return Err(invalid("已出证的申请不能退回"));
            }
            tx.execute(
                "UPDATE requests SET status = 'not_found', outcome = ?2,
                        answered_at = COALESCE(answered_at, ?3), closed_at = COALESCE(closed_at, ?3)
                 WHERE id = ?1",
                rusqlite::params![
                    row.request_id,
                    format!("跨馆申请已退回：{reason}"),
                    crate::store::now_text()
                ],
            )?;
            step(tx, caller, &row, states::RETURNED, Some(reason), None)?;
            register::get(tx, row.request_id)
        })
    }

    /// An act done in the name of `caller` (another archive's clerk), whoever is at the desk.
    fn commit_as<T>(
        &mut self,
        caller: &Caller,
        work: impl FnOnce(&rusqlite::Transaction, &Caller) -> Result<T>,
    ) -> Result<T> {
        let clerk = std::mem::replace(&mut self.caller, caller.clone());
        let done = self.act(work);
        self.caller = clerk;
        done
    }
}

/// What a step taken on a request of this archive's tells the archive that sent it, if it was
/// registered for another archive's application: 协办中 once a record is attached, 已出证 with
/// the certificate, 无档案 when nothing was found. Called in the step's own transaction.
pub(crate) fn request_stepped(
    tx: &Connection,
    caller: &Caller,
    request_id: i64,
    certificate_number: Option<&str>,
) -> Result<()> {
    let Some(row) = store::received_of_request(tx, request_id)? else {
        return Ok(());
    };
    let (status, _) = register::get(tx, request_id).map(|v| (v.status, ()))?;
    use crate::api::RequestStatus;
    let next = match (certificate_number, status) {
        (Some(_), _) => states::CERTIFIED,
        (None, RequestStatus::NotFound) => states::NO_RECORDS,
        (None, RequestStatus::Found) => states::IN_PROGRESS,
        _ => return Ok(()),
    };
    // A certificate issued again goes too once the one sent was voided: the sending archive
    // replaces the void one. One issued while the sent one stands goes when that is voided.
    let issued_again = next == states::CERTIFIED
        && row.state == states::CERTIFIED
        && match &row.certificate_sent {
            Some(sent) => store::certificate_voided_here(tx, sent)?,
            None => true,
        };
    if !moves_on(&row.state, next) && !issued_again {
        return Ok(());
    }
    let certificate = match certificate_number {
        Some(number) => Some(certificate_to_send(tx, &row, number)?),
        None => None,
    };
    step(tx, caller, &row, next, None, certificate)
}

/// The certificate `number` as it goes back to the sending archive, kept as the one sent.
fn certificate_to_send(
    tx: &Connection,
    row: &ReceivedRow,
    number: &str,
) -> Result<CertificateSent> {
    let certificate = tx
        .query_row(
            "SELECT number, verify_code, issued_at, pdf FROM certificates WHERE number = ?1",
            [number],
            |r| {
                Ok(CertificateSent {
                    number: r.get(0)?,
                    verify_code: r.get(1)?,
                    issued_at: r.get(2)?,
                    pdf_base64: base64().encode(r.get::<_, Vec<u8>>(3)?),
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为「{number}」的证明")))?;
    store::set_certificate_sent(tx, row.id, number)?;
    Ok(certificate)
}

/// A certificate voided here (作废) that was sent back for another archive's application: the
/// sending archive is told, so that it neither prints nor verifies it any more — and then given
/// the request's newest certificate that still stands, if one does. Called in the voiding's own
/// transaction; the outbox delivers the two in this order.
pub(crate) fn certificate_voided(
    tx: &Connection,
    caller: &Caller,
    certificate: &crate::api::CertificateView,
) -> Result<()> {
    let Some(row) = store::received_of_request(tx, certificate.request_id)? else {
        return Ok(());
    };
    if row.state != states::CERTIFIED
        || row.certificate_sent.as_deref() != Some(&certificate.number)
    {
        return Ok(());
    }
    let voided = crate::cross::CertificateVoided {
        number: certificate.number.clone(),
        at: certificate
            .voided_at
            .clone()
            .unwrap_or_else(crate::store::now_text),
        reason: certificate.void_reason.clone().unwrap_or_default(),
    };
    audit::append(
        tx,
        caller,
        Event::new(
            "cross_step",
            Some(format!("request:{}", row.request_id)),
            json!({ "peer": row.peer_name, "state": row.state, "voided": voided.number }),
        ),
    )?;
    tell(
        tx,
        row.peer_id,
        StatusMessage {
            voided: Some(voided),
            ..told(&row.message_id, states::CERTIFIED)
        },
    )?;
    match store::standing_certificate(tx, row.request_id)? {
        Some(standing) => {
            let certificate = certificate_to_send(tx, &row, &standing)?;
            step(tx, caller, &row, states::CERTIFIED, None, Some(certificate))
        }
        None => Ok(()),
    }
}

/// Takes a received application to `next` here, and tells the sending archive.
fn step(
    tx: &Connection,
    caller: &Caller,
    row: &ReceivedRow,
    next: &str,
    reason: Option<&str>,
    certificate: Option<CertificateSent>,
) -> Result<()> {
    let now = crate::store::now_text();
    store::set_received_state(tx, row.id, next, &now, reason)?;
    audit::append(
        tx,
        caller,
        Event::new(
            "cross_step",
            Some(format!("request:{}", row.request_id)),
            json!({ "peer": row.peer_name, "state": next, "reason": reason,
                    "number": certificate.as_ref().map(|c| c.number.clone()) }),
        ),
    )?;
    tell(
        tx,
        row.peer_id,
        StatusMessage {
            reason: reason.map(str::to_string),
            certificate,
            ..told(&row.message_id, next)
        },
    )
}

/// A message saying the application stands at `state` now, and nothing more.
fn told(message_id: &str, state: &str) -> StatusMessage {
    StatusMessage {
        message_id: message_id.to_string(),
        state: state.to_string(),
        at: crate::store::now_text(),
        deadline: None,
        reason: None,
        certificate: None,
        voided: None,
    }
}

/// Puts a state message for the sending archive in the outbox.
fn tell(tx: &Connection, peer_id: i64, message: StatusMessage) -> Result<()> {
    let body = serde_json::to_vec(&message).expect("plain fields serialize");
    store::enqueue(tx, peer_id, STATUS_PATH, &body, &message.at).map(|_| ())
}

fn received(conn: &Connection, id: i64) -> Result<ReceivedRow> {
    store::received_one(conn, id)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的跨馆申请")))
}
