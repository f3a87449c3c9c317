//! The counter's operations on an `Archive`: who is at the desk, the lookup register,
//! certificates, masked values and restricted records, the audit trail and the usage
//! statistics. Each act is committed durably together with its audit row.

use super::Archive;
use crate::api::{
    AttachRequest, AuditHead, AuditQuery, AuditRow, AuditVerification, Caller, CertificateView,
    ClerkView, DocumentRequest, DocumentView, IssueRequest, LoginRequest, LookupRequestView,
    NewClerk, NewLookupRequest, OpenRestrictedRequest, PersonDecisionRequest, PersonRequest,
    PersonTimeline, RedactRequest, RequestList, RequestQuery, RequestStatusChange, RevealRequest,
    RevealedEntry, SearchRequest, SearchResponse, UsageRequest, UsageStats, VerifyResult,
};
use crate::audit::{self, Event};
use crate::certificate::issue::{Issuing, DEFAULT_DESK_CODE, DESK_CODE_KEY};
use crate::error::{Error, ErrorCode, Result};
use crate::privacy;
use crate::register;
use crate::store::durable;
use serde_json::json;
use std::path::Path;

/// How long a look waits for the database before it is kept for later.
const LOOK_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

fn reason_given(reason: &str, what: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.chars().count() < 2 {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("{what}须说明理由（会记入审计日志）"),
        ));
    }
    Ok(reason.to_string())
}

impl Archive {
    /// Acts for `caller` from now on (the doors set it per request).
    pub fn act_as(&mut self, caller: Caller) {
        self.caller = caller;
    }

    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// Whether the first account (the supervisor) still has to be made.
    pub fn needs_first_clerk(&self) -> Result<bool> {
        Ok(!crate::clerks::has_clerks(&self.store.conn)?)
    }

    /// Makes an account: the first one freely (it becomes the supervisor), later ones by a
    /// supervisor.
    pub fn create_clerk(&mut self, new: &NewClerk) -> Result<ClerkView> {
        self.act(|tx, caller| {
            let first = !crate::clerks::has_clerks(tx)?;
            crate::clerks::create(tx, (!first).then_some(caller), new)
        })
    }

    pub fn clerks(&self) -> Result<Vec<ClerkView>> {
        crate::clerks::list(&self.store.conn)
    }

    /// Checks a password; both outcomes are recorded, a failure before it is refused.
    pub fn login(&mut self, request: &LoginRequest) -> Result<Caller> {
        match crate::clerks::check_password(&self.store.conn, request)? {
            Some(clerk) => {
                self.record_look_as(clerk.clone(), Event::new("login", None, json!({})))?;
                Ok(clerk)
            }
            None => {
                let who = crate::clerks::failed_login_caller(&self.store.conn, &request.login)?;
                self.record_look_as(who, Event::new("login_failed", None, json!({})))?;
                Err(Error::new(ErrorCode::Unauthorized, "登录名或密码不正确"))
            }
        }
    }

    /// Appends one audited act (and any looks kept while the database was busy, first) in a
    /// durable transaction of its own: the act is refused when its record cannot be written.
    fn record(&mut self, event: Event) -> Result<()> {
        let caller = self.caller.clone();
        self.record_as(caller, event)
    }

    fn record_as(&mut self, caller: Caller, event: Event) -> Result<()> {
        self.act(|tx, _| audit::append(tx, &caller, event).map(|_| ()))
    }

    /// Runs one act of the counter in a durable transaction, for the caller, after writing the
    /// looks kept while the database was busy: the trail keeps the order things happened in.
    fn act<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction, &Caller) -> Result<T>,
    ) -> Result<T> {
        let caller = self.caller.clone();
        let kept = std::mem::take(&mut self.pending_audit);
        let done = durable(&mut self.store.conn, |tx| {
            for (who, look) in &kept {
                audit::append(tx, who, look.clone())?;
            }
            work(tx, &caller)
        });
        if done.is_err() {
            self.pending_audit = kept;
        }
        done
    }

    /// A look — a committed search, a record or a timeline viewed, a login — is written at once
    /// when the database is free. While an import holds it, the look is kept with its time, in
    /// order, and written before the next act (or when the archive is closed), so that the
    /// clerk's screen never waits on an import.
    fn record_look(&mut self, event: Event) -> Result<()> {
        let caller = self.caller.clone();
        self.record_look_as(caller, event)
    }

    fn record_look_as(&mut self, caller: Caller, mut event: Event) -> Result<()> {
        event.at = Some(crate::store::now_text());
        self.store.conn.busy_timeout(LOOK_WAIT)?;
        let written = self.record_as(caller.clone(), event.clone());
        self.store.conn.busy_timeout(crate::store::BUSY_WAIT)?;
        match written {
            Err(e) if e.code == ErrorCode::Busy => {
                self.pending_audit.push((caller, event));
                Ok(())
            }
            other => other,
        }
    }

    /// Writes the looks kept while the database was busy (when the archive is closed).
    pub(super) fn flush_pending_audit(&mut self) -> Result<()> {
        if self.pending_audit.is_empty() {
            return Ok(());
        }
        self.act(|_, _| Ok(()))
    }

    /// A search the clerk committed to (Enter, or opening a result) is written to the audit
    /// trail with the full query; the keystrokes of search-as-you-type are not.
    pub fn search_as_caller(&mut self, request: &SearchRequest) -> Result<SearchResponse> {
        let response = self.search(request)?;
        if request.committed {
            self.record_look(Event::new(
                "search",
                None,
                json!({ "query": request.query, "category": request.category,
                        "year_from": request.year_from, "year_to": request.year_to,
                        "total": response.total }),
            ))?;
        }
        Ok(response)
    }

    /// A record as the clerk sees it: wages and IDs masked except the open requesters' own
    /// rows, and a restricted record as its catalogue line only. Every view is audited.
    pub fn view_document(&mut self, request: &DocumentRequest) -> Result<DocumentView> {
        let mut view = self.document(request)?;
        let restricted = privacy::is_restricted(&view.access);
        if restricted {
            privacy::catalogue_line_only(&mut view);
        } else {
            privacy::mask_document(&self.store.conn, &mut view)?;
        }
        self.record_look(Event::new(
            "view_record",
            Some(format!("document:{}", view.id)),
            json!({ "ref_code": view.ref_code, "entry_id": request.entry_id, "restricted": restricted }),
        ))?;
        Ok(view)
    }

    /// A supervisor opens a controlled or closed record, with a reason; audited.
    pub fn open_restricted(&mut self, request: &OpenRestrictedRequest) -> Result<DocumentView> {
        self.caller
            .require_supervisor("查看控制使用或不开放的档案")?;
        let reason = reason_given(&request.reason, "查看控制使用或不开放的档案")?;
        let mut view = self.store.document(request.document_id)?;
        privacy::mask_document(&self.store.conn, &mut view)?;
        self.record(Event::new(
            "open_restricted",
            Some(format!("document:{}", view.id)),
            json!({ "ref_code": view.ref_code, "access": view.access, "reason": reason }),
        ))?;
        Ok(view)
    }

    /// "Show in full": the ID number and wages of one row, with a reason; audited.
    pub fn reveal(&mut self, request: &RevealRequest) -> Result<RevealedEntry> {
        let reason = reason_given(&request.reason, "显示完整信息")?;
        let full = register::snapshot::full_values(&self.store.conn, request.entry_id)?;
        let document_id = self
            .store
            .document_of_entry(request.entry_id)?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, "没有这个条目"))?;
        let doc = self.store.document(document_id)?;
        if privacy::is_restricted(&doc.access) {
            self.caller
                .require_supervisor("显示控制使用或不开放档案中的信息")?;
        }
        let entry = doc
            .entries
            .iter()
            .find(|e| e.id == request.entry_id)
            .ok_or_else(|| Error::new(ErrorCode::NotFound, "没有这个条目"))?;
        self.record(Event::new(
            "reveal",
            Some(format!("entry:{}", request.entry_id)),
            json!({ "ref_code": doc.ref_code, "reason": reason }),
        ))?;
        Ok(RevealedEntry {
            entry_id: request.entry_id,
            id_number: full.id_raw,
            wage_before: full.wage_before,
            wage_after: full.wage_after,
            extra: entry.extra.clone(),
        })
    }

    /// A person's timeline as the caller may see it (see `privacy::mask_timeline`); recorded.
    pub fn view_person(&mut self, request: &PersonRequest) -> Result<PersonTimeline> {
        let mut timeline = self.person(request)?;
        self.show_timeline(&mut timeline, json!({ "request": request }))?;
        Ok(timeline)
    }

    /// A clerk's decision about a record of the person, answered with the timeline as above.
    pub fn decide_in_view(&mut self, request: &PersonDecisionRequest) -> Result<PersonTimeline> {
        let mut timeline = self.decide_person_in_timeline(request)?;
        self.show_timeline(
            &mut timeline,
            json!({ "entry_id": request.entry_id, "action": request.action }),
        )?;
        Ok(timeline)
    }

    fn show_timeline(
        &mut self,
        timeline: &mut PersonTimeline,
        detail: serde_json::Value,
    ) -> Result<()> {
        privacy::mask_timeline(&self.store.conn, &self.caller, timeline)?;
        self.record_look(Event::new(
            "view_person",
            Some(timeline.name.clone()),
            detail,
        ))
    }

    pub fn register_request(&mut self, new: &NewLookupRequest) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            let id = register::register(tx, caller, new)?;
            register::get(tx, id)
        })
    }

    pub fn lookup_requests(&self, query: &RequestQuery) -> Result<RequestList> {
        register::list(&self.store.conn, query)
    }

    pub fn lookup_request(&self, id: i64) -> Result<LookupRequestView> {
        register::get(&self.store.conn, id)
    }

    pub fn attach_record(&mut self, request: &AttachRequest) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            register::attach(tx, caller, request)?;
            register::get(tx, request.request_id)
        })
    }

    pub fn redact_page(&mut self, request: &RedactRequest) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            register::redact(tx, caller, request)?;
            register::get(tx, request.request_id)
        })
    }

    pub fn set_request_status(
        &mut self,
        change: &RequestStatusChange,
    ) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            register::set_status(tx, caller, change)?;
            register::get(tx, change.request_id)
        })
    }

    /// Issues a numbered certificate from the request's attached records; see
    /// `certificate::issue`.
    pub fn issue_certificate(&mut self, request: &IssueRequest) -> Result<CertificateView> {
        self.issue_certificate_on(request, chrono::Local::now().date_naive())
    }

    /// The same on a given day (the number's year comes from it).
    pub fn issue_certificate_on(
        &mut self,
        request: &IssueRequest,
        today: chrono::NaiveDate,
    ) -> Result<CertificateView> {
        let archive_name = self.store.stats()?.archive_name;
        let desk = self
            .store
            .meta(DESK_CODE_KEY)?
            .unwrap_or_else(|| DEFAULT_DESK_CODE.to_string());
        let pages_of = |conn: &rusqlite::Connection, document_id: i64, page_no: i64| {
            let file =
                crate::store::read::page_file(conn, document_id, page_no)?.ok_or_else(|| {
                    Error::new(
                        ErrorCode::NotFound,
                        format!("案卷 {document_id} 第 {page_no} 页没有扫描件"),
                    )
                })?;
            std::fs::read(&file.path).map_err(|e| {
                Error::new(
                    ErrorCode::Io,
                    format!("无法读取扫描件「{}」：{e}", file.path.display()),
                )
            })
        };
        self.act(|tx, caller| {
            let read_page = |document_id: i64, page_no: i64| pages_of(tx, document_id, page_no);
            let issuing = Issuing {
                archive_name,
                desk,
                today,
                read_page: &read_page,
            };
            crate::certificate::issue::issue(tx, caller, request.request_id, &issuing)
        })
    }

    /// A certificate's PDF by its number or verification code, as a clerk opens it: recorded,
    /// since it holds the requester's values in full.
    pub fn open_certificate(&mut self, number_or_code: &str) -> Result<(CertificateView, Vec<u8>)> {
        let found = self.certificate_pdf(number_or_code)?;
        self.record_look(Event::new(
            "certificate_view",
            Some(found.0.number.clone()),
            json!({ "request": found.0.request_id }),
        ))?;
        Ok(found)
    }

    /// A certificate's PDF by its number or verification code.
    pub fn certificate_pdf(&self, number_or_code: &str) -> Result<(CertificateView, Vec<u8>)> {
        let certificate = crate::certificate::issue::find(&self.store.conn, number_or_code)?
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("没有编号或核验码为「{}」的证明", number_or_code.trim()),
                )
            })?;
        let pdf = crate::certificate::issue::pdf_of(&self.store.conn, certificate.id)?;
        Ok((certificate, pdf))
    }

    /// Checks a certificate's code (and its PDF, when given) against the register; audited.
    pub fn verify_certificate(&mut self, code: &str, pdf: Option<&[u8]>) -> Result<VerifyResult> {
        let result = crate::certificate::verify::verify(&self.store.conn, code, pdf)?;
        self.record_look(Event::new(
            "verify",
            result.certificate.as_ref().map(|c| c.number.clone()),
            json!({ "code": code.trim(), "valid": result.valid, "pdf_matches": result.pdf_matches }),
        ))?;
        Ok(result)
    }

    /// The desk's code in certificate numbers (A, B, …: one per counter PC).
    pub fn set_desk_code(&self, code: &str) -> Result<()> {
        let code = code.trim();
        if code.is_empty() || code.chars().count() > 4 || code.chars().any(char::is_whitespace) {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "窗口代码应为 1 至 4 个字符，不含空格（如 A、B）",
            ));
        }
        self.store.set_meta(DESK_CODE_KEY, code)
    }

    /// Walks the audit chain (supervisor only); with `head`, also compares it with a head
    /// exported earlier.
    pub fn audit_verify(&mut self, head: Option<&AuditHead>) -> Result<AuditVerification> {
        self.caller.require_supervisor("核验审计日志")?;
        audit::verify(&self.store.conn, head)
    }

    /// The chain's head now, to keep off the machine; the export itself is recorded after it.
    pub fn audit_export(&mut self, path: &Path) -> Result<AuditHead> {
        self.caller.require_supervisor("导出审计日志链头")?;
        let head = audit::verify(&self.store.conn, None)?.head;
        let text = serde_json::to_string_pretty(&head).unwrap_or_default();
        std::fs::write(path, text).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("无法写入链头文件「{}」：{e}", path.display()),
            )
        })?;
        self.record(Event::new(
            "audit_export",
            None,
            json!({ "count": head.count, "last_hash": head.last_hash }),
        ))?;
        Ok(head)
    }

    pub fn audit_rows(&self, query: &AuditQuery) -> Result<Vec<AuditRow>> {
        self.caller.require_supervisor("查看审计日志")?;
        audit::list(
            &self.store.conn,
            query.limit.unwrap_or(100).min(1000),
            query.offset,
        )
    }

    pub fn usage_stats(&self, request: &UsageRequest) -> Result<UsageStats> {
        crate::usage::usage(&self.store.conn, request, chrono::Local::now().date_naive())
    }

    /// The usage statistics as the use section of the annual report (XLSX bytes); the export
    /// is recorded.
    pub fn usage_workbook(&mut self, request: &UsageRequest) -> Result<(UsageStats, Vec<u8>)> {
        let stats = self.usage_stats(request)?;
        let name = self.store.stats()?.archive_name;
        let bytes = crate::usage::workbook(&stats, &name)?;
        self.record(Event::new(
            "export_usage",
            None,
            json!({ "from": stats.from, "to": stats.to }),
        ))?;
        Ok((stats, bytes))
    }

    /// The same, written to `path`.
    pub fn export_usage(&mut self, request: &UsageRequest, path: &Path) -> Result<UsageStats> {
        let (stats, bytes) = self.usage_workbook(request)?;
        std::fs::write(path, bytes).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("无法写入统计表「{}」：{e}", path.display()),
            )
        })?;
        Ok(stats)
    }

    /// Records an import that was run (from `import`).
    pub(super) fn record_import(&mut self, report: &crate::api::ImportReport) -> Result<()> {
        if report.dry_run {
            return Ok(());
        }
        let files: Vec<_> = report
            .files
            .iter()
            .map(|f| json!({ "file": f.path, "outcome": f.outcome, "accepted": f.rows_accepted, "rejected": f.rows_rejected }))
            .collect();
        self.record(Event::new("import", None, json!({ "files": files })))
    }
}
