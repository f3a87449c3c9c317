//! The 跨馆 round trip, on both sides. Sending: an open 跨馆 request's application, with its
//! proof, goes to the outbox in the act that records it. Receiving: an application becomes a
//! request of this archive's own, with a deadline in working days, and each step taken on that
//! request (受理, a record attached, the certificate issued, 未查到, 退回) is told back through the
//! outbox in the step's own transaction. A step told is taken once, and only forwards.

use super::Archive;
use crate::api::{
    CalendarChange, Caller, CrossInbox, CrossInboxQuery, CrossReturnRequest, CrossSendRequest,
    LookupRequestView, NewLookupRequest, Peer, PeerAsking, ProofAddRequest, Relationship, Role,
    WorkCalendar,
};
use crate::audit::{self, Event};
use crate::cross::calendar::working_days_after;
use crate::cross::states::{self, moves_on};
use crate::cross::{
    ApplicationMessage, CertificateSent, ProofSent, StatusMessage, APPLICATION_PATH, MAX_PROOFS,
    MAX_PROOF_BYTES, STATUS_PATH,
};
use crate::error::{Error, ErrorCode, Result};
use crate::register;
use crate::store::cross::{self as store, NewReceived, NewSent, ReceivedRow};
use base64::Engine;
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The channel of a request asked of another archive, on both sides.
const CHANNEL: &str = super::peers::CROSS_ARCHIVE_CHANNEL;

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

fn base64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

impl Archive {
    // ── The receiving archive (受理馆) ─────────────────────────────────────────────────────────

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
        let deadline = message.deadline.as_deref().filter(|d| is_day(d));
        if !moves_on(&state, &message.state) {
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
                Some((c, pdf))
            }
            (None, states::CERTIFIED) => return Err(invalid("已出证却没有附证明文件")),
            _ => None,
        };
        let reason = message
            .reason
            .as_deref()
            .map(|r| r.chars().take(200).collect::<String>());
        let from = Caller::local_operator();
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
            audit::append(
                tx,
                &from,
                Event::new(
                    "cross_status",
                    Some(format!("request:{request_id}")),
                    json!({ "peer": peer_name, "state": message.state, "reason": reason,
                            "number": certificate.as_ref().map(|(c, _)| c.number.clone()) }),
                ),
            )
            .map(|_| ())
        })
    }

    /// The certificate another archive issued for a request of this archive's, to print for
    /// the citizen; recorded as a look.
    pub fn received_certificate(&mut self, id: i64) -> Result<(String, Vec<u8>)> {
        let store::CertificateReceived {
            request_id,
            peer_name,
            number,
            pdf,
        } = store::received_certificate(&self.store.conn, id)?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, "还没有收到这份申请的证明"))?;
        self.record_look(Event::new(
            "certificate_view",
            Some(format!("request:{request_id}")),
            json!({ "number": number, "from": peer_name }),
        ))?;
        Ok((format!("{peer_name}{number}.pdf"), pdf))
    }

    // ── The holding archive (协办馆) ──────────────────────────────────────────────────────────

    /// An application from `peer`, registered as a request of this archive's own (channel 跨馆)
    /// with its proof, and its deadline counted in working days; told back as 已提交. The same
    /// application again changes nothing.
    pub fn receive_cross_application(
        &mut self,
        peer: &Peer,
        message: &ApplicationMessage,
    ) -> Result<()> {
        super::peers::check_asking(&message.asking)?;
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
                &message.message_id,
                states::SUBMITTED,
                Some(&deadline),
                None,
                None,
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

    // ── The working-day calendar ────────────────────────────────────────────────────────────

    pub fn work_calendar(&self) -> Result<WorkCalendar> {
        Ok(WorkCalendar {
            days: store::calendar_days(&self.store.conn)?,
            deadline_days: store::deadline_days(&self.store.conn)?,
        })
    }

    /// A supervisor sets holidays, 调休 working days and the deadline; recorded.
    pub fn set_work_calendar(&mut self, change: &CalendarChange) -> Result<WorkCalendar> {
        self.caller.require_supervisor("修改工作日历")?;
        for day in change
            .set
            .iter()
            .map(|d| d.day.as_str())
            .chain(change.remove.iter().map(String::as_str))
        {
            if !is_day(day) {
                return Err(invalid(format!(
                    "日期「{day}」应写成 YYYY-MM-DD，如 2026-10-01"
                )));
            }
        }
        if let Some(days) = change.deadline_days {
            if !(1..=60).contains(&days) {
                return Err(invalid("协办期限应为 1 至 60 个工作日"));
            }
        }
        self.act(|tx, caller| {
            for day in &change.set {
                let note = day.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
                store::set_day(
                    tx,
                    &crate::api::CalendarDay {
                        note: note.map(|n| n.chars().take(40).collect()),
                        ..day.clone()
                    },
                )?;
            }
            for day in &change.remove {
                store::remove_day(tx, day)?;
            }
            if let Some(days) = change.deadline_days {
                crate::store::set_meta_in(tx, store::DEADLINE_DAYS_KEY, &days.to_string())?;
            }
            audit::append(
                tx,
                caller,
                Event::new(
                    "calendar",
                    None,
                    json!({ "set": change.set, "remove": change.remove,
                            "deadline_days": change.deadline_days }),
                ),
            )
            .map(|_| ())
        })?;
        self.work_calendar()
    }

    // ── The outbox ──────────────────────────────────────────────────────────────────────────

    /// Messages due now, for the sender.
    pub fn outbox_due(&self, limit: usize) -> Result<Vec<crate::cross::delivery::Outgoing>> {
        store::due(&self.store.conn, &crate::store::now_text(), limit)
    }

    /// A message the peer has taken.
    pub fn outbox_delivered(&mut self, id: i64) -> Result<()> {
        store::delivered(&self.store.conn, id, &crate::store::now_text())
    }

    /// A message not delivered: tried again after a wait that grows with its attempts.
    pub fn outbox_failed(&mut self, id: i64, attempts: i64, error: &str) -> Result<()> {
        let wait = crate::cross::delivery::retry_after(attempts + 1);
        let next = chrono::Local::now().naive_local()
            + chrono::Duration::from_std(wait).unwrap_or_default();
        store::failed(
            &self.store.conn,
            id,
            &error.chars().take(300).collect::<String>(),
            &next.format("%Y-%m-%d %H:%M:%S").to_string(),
        )
    }

    /// A message's body, to send now.
    pub fn outbox_body(&self, id: i64) -> Result<Vec<u8>> {
        store::body(&self.store.conn, id)
    }

    /// A message the peer refused for good: not sent again. An application refused so stands
    /// 退回 here with the peer's words, so that the clerk sees why and may send it anew.
    pub fn outbox_refused(&mut self, id: i64, why: &str) -> Result<()> {
        let why: String = why.chars().take(200).collect();
        let from = Caller::local_operator();
        self.act(|tx, _| {
            store::given_up(tx, id, &format!("对方拒收：{why}"))?;
            let Some((sent_id, request_id)) = store::sent_of_outbox(tx, id)? else {
                return Ok(());
            };
            let reason = format!("对方档案馆拒收：{why}");
            store::set_sent_state(
                tx,
                sent_id,
                states::RETURNED,
                &crate::store::now_text(),
                None,
                Some(&reason),
            )?;
            audit::append(
                tx,
                &from,
                Event::new(
                    "cross_status",
                    Some(format!("request:{request_id}")),
                    json!({ "state": states::RETURNED, "reason": reason }),
                ),
            )
            .map(|_| ())
        })
    }

    /// Messages waiting to be delivered.
    pub fn outbox_waiting(&self) -> Result<i64> {
        store::waiting(&self.store.conn)
    }

    /// The name this archive goes by with other archives.
    fn archive_name_for_peers(&self) -> Result<String> {
        Ok(self
            .store
            .meta("archive_name")?
            .unwrap_or_else(|| "档案查询台".to_string()))
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
    if !moves_on(&row.state, next) {
        return Ok(());
    }
    let certificate = match certificate_number {
        Some(number) => Some(
            tx.query_row(
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
            .ok_or_else(|| {
                Error::new(ErrorCode::NotFound, format!("没有编号为「{number}」的证明"))
            })?,
        ),
        None => None,
    };
    step(tx, caller, &row, next, None, certificate)
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
        &row.message_id,
        next,
        None,
        reason,
        certificate,
    )
}

/// Puts a state message for the sending archive in the outbox.
fn tell(
    tx: &Connection,
    peer_id: i64,
    message_id: &str,
    state: &str,
    deadline: Option<&str>,
    reason: Option<&str>,
    certificate: Option<CertificateSent>,
) -> Result<()> {
    let now = crate::store::now_text();
    let message = StatusMessage {
        message_id: message_id.to_string(),
        state: state.to_string(),
        at: now.clone(),
        deadline: deadline.map(str::to_string),
        reason: reason.map(str::to_string),
        certificate,
    };
    let body = serde_json::to_vec(&message).expect("plain fields serialize");
    store::enqueue(tx, peer_id, STATUS_PATH, &body, &now).map(|_| ())
}

fn received(conn: &Connection, id: i64) -> Result<ReceivedRow> {
    store::received_one(conn, id)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的跨馆申请")))
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

fn is_day(text: &str) -> bool {
    text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}
