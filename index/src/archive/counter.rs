//! The counter's operations on an `Archive`: the lookup register, certificates, masked values
//! and restricted records, the audit trail and the usage statistics. Each act is committed
//! durably together with its audit row; each look is journaled at once (see `trail`).

use super::Archive;
use crate::api::{
    AttachRequest, AuditHead, AuditQuery, AuditRow, AuditVerification, CertificatePreview,
    CertificateView, CoverRequest, CoverSuggestRequest, CoverSuggestion, DocumentRequest,
    DocumentView, IdRequest, IssueRequest, LookupRequestView, NewLookupRequest,
    OpenRestrictedRequest, PageSize, PersonDecisionRequest, PersonRequest, PersonTimeline,
    RedactRequest, RemoveAttachedRequest, RequestList, RequestQuery, RequestStatusChange,
    RevealRequest, RevealedEntry, SearchRequest, SearchResponse, UsageRequest, UsageStats,
    VerifyResult, VoidCertificateRequest,
};
use crate::audit::{self, Event};
use crate::certificate::draft::Issuing;
use crate::certificate::issue::{DrawnAhead, Rendered};
use crate::certificate::issue::{DEFAULT_DESK_CODE, DESK_CODE_KEY};
use crate::error::{Error, ErrorCode, Result};
use crate::privacy;
use crate::register;
use serde_json::json;
use std::path::Path;

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
    /// Every search whose answer is returned is recorded with the full query and filters; the
    /// keystrokes of one search are folded into its last form when it is chained (see
    /// `audit::collapse`). `committed` (Enter, or opening a result) only keeps it from folding.
    pub fn search_as_caller(&mut self, request: &SearchRequest) -> Result<SearchResponse> {
        let response = self.search(request)?;
        self.record_look(Event::new(
            crate::audit::collapse::SEARCH,
            None,
            json!({ "query": request.query, "category": request.category,
                    "year_from": request.year_from, "year_to": request.year_to,
                    "fonds": request.fonds, "work_unit": request.work_unit,
                    "access": request.access, "offset": request.offset,
                    "total": response.total, "committed": request.committed }),
        ))?;
        Ok(response)
    }

    /// A record as the clerk sees it: IDs, wages and personal numbers in its text masked —
    /// except, in a record opened from an open request, the rows of that request's requester —
    /// and a restricted record as its catalogue line only. Every view is recorded, and opens
    /// the record's pages to this clerk.
    pub fn view_document(&mut self, request: &DocumentRequest) -> Result<DocumentView> {
        let mut view = self.document(request)?;
        let restricted = privacy::is_restricted(&view.access);
        let requester_key = match request.request_id {
            Some(id) => {
                let id_key = self.requester_id_key(id)?;
                Some(privacy::RequesterRows {
                    confirmed: crate::person::confirmed_for_id(&self.store.conn, &id_key)?,
                    id_key,
                })
            }
            None => None,
        };
        privacy::mask_catalogue_line(&mut view);
        if restricted {
            privacy::catalogue_line_only(&mut view);
        } else {
            privacy::mask_document(&self.store.conn, &mut view, requester_key.as_ref())?;
            if let Some(requester) = &requester_key {
                self.mark_requester_joins(&mut view, &requester.id_key)?;
            }
            self.with_full_text(&mut view, request.query.as_deref())?;
            view.opened_for_request = request.request_id;
        }
        let at = crate::store::now_text();
        let mut look = Event::new(
            "view_record",
            Some(format!("document:{}", view.id)),
            json!({ "ref_code": view.ref_code, "entry_id": request.entry_id,
                    "restricted": restricted, "request": request.request_id,
                    "query": request.query,
                    "requester_rows_shown": view.entries.iter().filter(|e| !e.masked).count() }),
        );
        look.at = Some(at.clone());
        // Recorded first: a view that could not be recorded opens no pages.
        self.record_look(look)?;
        if !restricted {
            self.views
                .grant(&crate::audit::actor(&self.caller), view.id, &at, false);
        }
        Ok(view)
    }

    /// The requester's ID key of an open request this clerk registered or opened (both
    /// recorded): only such a request unmasks, or names the person a decision is about.
    fn requester_id_key(&self, request_id: i64) -> Result<String> {
        let clerk = crate::audit::actor(&self.caller);
        if !self.views.has_opened_request(&clerk, request_id) {
            return Err(Error::new(
                ErrorCode::Forbidden,
                format!("请先打开查档登记 {request_id}，再从登记中查看档案"),
            ));
        }
        privacy::open_request_key(&self.store.conn, request_id)?.ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidRequest,
                format!("查档登记 {request_id} 不存在或已办结：档案按一般查看显示"),
            )
        })
    }

    /// Marks the rows the person timeline joins to the requester without their ID, so that
    /// the clerk sees which rows may be theirs and can confirm them.
    /// Without a usable index (being rebuilt, or failing) nothing is marked: the rows stay
    /// masked as unconfirmed, and the document is shown all the same.
    fn mark_requester_joins(&mut self, view: &mut DocumentView, id_key: &str) -> Result<()> {
        if self.search_index().is_err() {
            return Ok(());
        }
        let index = self.search.as_ref().expect("opened above");
        let joined = crate::person::joined_without_id(&self.store.conn, index, id_key)?;
        for entry in &mut view.entries {
            if let Some(row) = joined.iter().find(|j| j.entry_id == entry.id) {
                let join = if row.confirmed {
                    "confirmed"
                } else {
                    "same_person"
                };
                entry.requester_join = Some(join.to_string());
            }
        }
        Ok(())
    }

    /// The document's full text, masked, with the query highlighted.
    fn with_full_text(&self, view: &mut DocumentView, query: Option<&str>) -> Result<()> {
        if let Some(text) = self.store.full_text(view.id)? {
            let masked = privacy::mask_text(&text);
            view.full_text_highlights = query
                .filter(|q| !q.trim().is_empty())
                .map(|q| crate::search::snippet::query_highlights(&text, q))
                .unwrap_or_default();
            // A highlight on hidden digits would confirm them: none is shown there.
            privacy::keep_visible_highlights(&text, &masked, &mut view.full_text_highlights);
            view.full_text = Some(masked);
        }
        Ok(())
    }

    /// A supervisor opens a controlled or closed record, with a reason; recorded, and its pages
    /// open to this supervisor.
    pub fn open_restricted(&mut self, request: &OpenRestrictedRequest) -> Result<DocumentView> {
        self.caller
            .require_supervisor("查看控制使用或不开放的档案")?;
        let reason = reason_given(&request.reason, "查看控制使用或不开放的档案")?;
        let mut view = self.store.document(request.document_id)?;
        privacy::mask_catalogue_line(&mut view);
        privacy::mask_document(&self.store.conn, &mut view, None)?;
        self.with_full_text(&mut view, None)?;
        self.record(Event::new(
            "open_restricted",
            Some(format!("document:{}", view.id)),
            json!({ "ref_code": view.ref_code, "access": view.access, "reason": reason }),
        ))?;
        let at = crate::store::now_text();
        self.views
            .grant(&crate::audit::actor(&self.caller), view.id, &at, true);
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
    /// A row joined to a request's requester is confirmed by naming the request.
    pub fn decide_in_view(&mut self, request: &PersonDecisionRequest) -> Result<PersonTimeline> {
        let mut request = request.clone();
        if let Some(id) = request.person.request_id.take() {
            request.person.id_number = Some(self.requester_id_key(id)?);
        }
        let request = &request;
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
        privacy::mask_timeline(&self.caller, timeline);
        self.record_look(Event::new(
            "view_person",
            Some(timeline.name.clone()),
            detail,
        ))
    }

    pub fn register_request(&mut self, new: &NewLookupRequest) -> Result<LookupRequestView> {
        let view = self.act_once(
            "register_request",
            |tx, caller| {
                let id = register::register(tx, caller, new)?;
                register::get(tx, id)
            },
            |view| view.id.to_string(),
            |tx, id| register::get(tx, id.parse().unwrap_or_default()),
        )?;
        // The clerk who registered it works inside it next.
        self.views
            .open_request(&crate::audit::actor(&self.caller), view.id);
        Ok(view)
    }

    /// The register, filtered; a search of it by requester is recorded.
    pub fn lookup_requests(&mut self, query: &RequestQuery) -> Result<RequestList> {
        let list = register::list(&self.store.conn, query)?;
        if !query.text.trim().is_empty() {
            self.record_look(Event::new(
                "search_register",
                None,
                json!({ "text": query.text, "status": query.status, "from": query.from,
                        "to": query.to, "total": list.total }),
            ))?;
        }
        Ok(list)
    }

    /// A request opened: recorded with who opened it, and the pages of its attached open
    /// records served to this clerk within it.
    pub fn lookup_request(&mut self, id: i64) -> Result<LookupRequestView> {
        let view = register::get(&self.store.conn, id)?;
        let at = crate::store::now_text();
        let clerk = crate::audit::actor(&self.caller);
        let mut look = Event::new(
            "view_request",
            Some(format!("request:{id}")),
            json!({ "requester": view.requester_name, "status": view.status }),
        );
        look.at = Some(at.clone());
        self.record_look(look)?;
        for record in &view.records {
            if !privacy::is_restricted(&record.access) {
                self.views.grant(&clerk, record.document_id, &at, false);
            }
        }
        self.views.open_request(&clerk, id);
        Ok(view)
    }

    /// A clerk confirms 已遮盖他人信息 for a page, or a supervisor overrides; see
    /// `register::covers`.
    pub fn confirm_covered(&mut self, request: &CoverRequest) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            register::covers::confirm(tx, caller, request)?;
            register::get(tx, request.request_id)
        })
    }

    pub fn attach_record(&mut self, request: &AttachRequest) -> Result<LookupRequestView> {
        self.act_once(
            "attach_record",
            |tx, caller| {
                register::attach(tx, caller, request)?;
                super::cross::request_stepped(tx, caller, request.request_id, None)?;
                register::get(tx, request.request_id)
            },
            |view| view.id.to_string(),
            |tx, id| register::get(tx, id.parse().unwrap_or_default()),
        )
    }

    pub fn redact_page(&mut self, request: &RedactRequest) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            register::redact(tx, caller, request)?;
            register::get(tx, request.request_id)
        })
    }

    /// 遮盖本人以外的各行: boxes over every row of a page's table but the requester's, found
    /// from the table's ruled lines, for the clerk to check; see `register::cover_plan`.
    pub fn suggest_cover(&mut self, request: &CoverSuggestRequest) -> Result<CoverSuggestion> {
        let data_dir = self.data_dir().to_path_buf();
        let conn = &self.store.conn;
        let (document_id, _, _) = crate::register::cover_plan::record_of(conn, request)?;
        let table_of = |page_no: i64| -> Result<Option<crate::page_rows::TableRows>> {
            let Some(file) = crate::store::read::page_file(conn, document_id, page_no)? else {
                return Ok(None);
            };
            // The preview (1200 px wide) is plenty to find ruled lines, and quick to read.
            let Ok(page) = crate::page_image::page_image(&data_dir, &file, PageSize::Preview)
            else {
                return Ok(None);
            };
            if page.mime == "application/pdf" {
                return Ok(None);
            }
            Ok(image::load_from_memory(&page.bytes)
                .ok()
                .and_then(|image| crate::page_rows::table_rows(&image.to_luma8())))
        };
        crate::register::cover_plan::suggest(conn, request, &table_of)
    }

    pub fn set_request_status(
        &mut self,
        change: &RequestStatusChange,
    ) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            register::set_status(tx, caller, change)?;
            super::cross::request_stepped(tx, caller, change.request_id, None)?;
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
        self.issue_drawn_certificate(request, today, None)
    }

    /// The certificate `request` would issue on `today`, drawn under the number it would get
    /// now and not yet rendered: a door renders it with the archive free and then hands it to
    /// `issue_drawn_certificate`. Nothing is taken or recorded.
    pub fn draw_certificate_ahead(
        &mut self,
        request: &IssueRequest,
        today: chrono::NaiveDate,
    ) -> Result<DrawnAhead> {
        let (archive_name, desk) = self.issuing_desk()?;
        let read_page =
            |document_id: i64, page_no: i64| page_bytes(&self.store.conn, document_id, page_no);
        let issuing = Issuing {
            archive_name,
            desk,
            today,
            read_page: &read_page,
        };
        crate::certificate::issue::draw_ahead(
            &self.store.conn,
            &self.caller,
            request.request_id,
            &issuing,
            request.confirmed.as_deref(),
        )
    }

    /// Issues `request`'s certificate on `today`, with the PDF `rendered` ahead when it still
    /// holds (`certificate::issue::issue`), else rendered in the act.
    pub fn issue_drawn_certificate(
        &mut self,
        request: &IssueRequest,
        today: chrono::NaiveDate,
        rendered: Option<Rendered>,
    ) -> Result<CertificateView> {
        let (archive_name, desk) = self.issuing_desk()?;
        let issued = self.act_once(
            "issue_certificate",
            |tx, caller| {
                let read_page =
                    |document_id: i64, page_no: i64| page_bytes(tx, document_id, page_no);
                let issuing = Issuing {
                    archive_name,
                    desk,
                    today,
                    read_page: &read_page,
                };
                let issued = crate::certificate::issue::issue(
                    tx,
                    caller,
                    request.request_id,
                    &issuing,
                    request.confirmed.as_deref(),
                    rendered,
                )?;
                // A certificate for another archive's application goes back to it.
                super::cross::request_stepped(
                    tx,
                    caller,
                    request.request_id,
                    Some(&issued.number),
                )?;
                Ok(issued)
            },
            |certificate| certificate.number.clone(),
            |tx, number| {
                crate::certificate::records::find(tx, number)?.ok_or_else(|| {
                    Error::new(ErrorCode::NotFound, format!("没有编号为「{number}」的证明"))
                })
            },
        )?;
        // Every number handed out is anchored at once (to the second folder too), so that a
        // restore from an older backup continues above it; the certificate stands either way.
        let _ = self.write_anchor();
        Ok(issued)
    }

    /// The certificate as it would be issued now, with what still stands in the way; shown
    /// before the clerk confirms. It shows the requester's values and pages: recorded as a look.
    pub fn preview_certificate(&mut self, request: &IdRequest) -> Result<CertificatePreview> {
        let (archive_name, desk) = self.issuing_desk()?;
        let read_page =
            |document_id: i64, page_no: i64| page_bytes(&self.store.conn, document_id, page_no);
        let issuing = Issuing {
            archive_name,
            desk,
            today: chrono::Local::now().date_naive(),
            read_page: &read_page,
        };
        let preview = crate::certificate::preview::preview(
            &self.store.conn,
            &self.caller,
            request.id,
            &issuing,
        )?;
        self.record_look(Event::new(
            "certificate_preview",
            Some(format!("request:{}", request.id)),
            json!({ "pages": preview.pages, "blockers": preview.blockers.len() }),
        ))?;
        Ok(preview)
    }

    /// 作废 with a reason; see `certificate::void`.
    pub fn void_certificate(
        &mut self,
        request: &VoidCertificateRequest,
    ) -> Result<CertificateView> {
        self.act(|tx, caller| {
            let voided = crate::certificate::void::void(
                tx,
                caller,
                &request.number_or_code,
                &request.reason,
            )?;
            super::cross::certificate_voided(tx, caller, &voided)?;
            Ok(voided)
        })
    }

    /// 移除 a record (or one page of it) from an open request; see `register::remove`.
    pub fn remove_attached(
        &mut self,
        request: &RemoveAttachedRequest,
    ) -> Result<LookupRequestView> {
        self.act(|tx, caller| {
            register::remove::remove(tx, caller, request)?;
            register::get(tx, request.request_id)
        })
    }

    /// The archive's name and the code of the desk issuing, as certificates carry them: a LAN
    /// desk's own code, or this PC's.
    fn issuing_desk(&self) -> Result<(String, String)> {
        let archive_name = self.store.stats()?.archive_name;
        let desk = match &self.caller.desk {
            Some(desk) => desk.clone(),
            None => self
                .store
                .meta(DESK_CODE_KEY)?
                .unwrap_or_else(|| DEFAULT_DESK_CODE.to_string()),
        };
        Ok((archive_name, desk))
    }

    /// A certificate's PDF by its number or verification code, as a clerk opens it: recorded,
    /// since it holds the requester's values in full.
    /// It holds the requester's values and pages in full: for the clerk who issued it while the
    /// request is open, and for supervisors.
    pub fn open_certificate(&mut self, number_or_code: &str) -> Result<(CertificateView, Vec<u8>)> {
        let found = self.certificate_pdf(number_or_code)?;
        if !self.caller.is_supervisor() {
            let issuer = found.0.issued_by == crate::audit::actor(&self.caller);
            let open = register::get(&self.store.conn, found.0.request_id)?
                .status
                .is_open();
            if !(issuer && open) {
                return Err(Error::new(
                    ErrorCode::Forbidden,
                    "证明文件载有查档人的完整信息：只有出证的工作人员在登记办结前、或主管可以打开；核验请用核验码",
                ));
            }
        }
        self.record_look(Event::new(
            "certificate_view",
            Some(found.0.number.clone()),
            json!({ "request": found.0.request_id }),
        ))?;
        Ok(found)
    }

    /// A certificate's PDF by its number or verification code.
    pub fn certificate_pdf(&self, number_or_code: &str) -> Result<(CertificateView, Vec<u8>)> {
        let certificate = crate::certificate::records::find(&self.store.conn, number_or_code)?
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("没有编号或核验码为「{}」的证明", number_or_code.trim()),
                )
            })?;
        let pdf = crate::certificate::records::pdf_of(&self.store.conn, certificate.id)?;
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
        if let Some(desk) = crate::store::lan_desks::all(&self.store.conn)?
            .into_iter()
            .find(|d| d.code == code)
        {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("窗口代码「{code}」已由局域网柜台「{}」使用", desk.name),
            ));
        }
        self.store.set_meta(DESK_CODE_KEY, code)
    }

    /// Walks the audit chain and checks its anchors (supervisor only); with `head`, also
    /// compares it with a head exported earlier.
    pub fn audit_verify(&mut self, head: Option<&AuditHead>) -> Result<AuditVerification> {
        self.caller.require_supervisor("核验审计日志")?;
        self.act(|_, _| Ok(()))?;
        let folders = crate::audit::anchors::folders(&self.store.conn, &self.data_dir)?;
        audit::verify(&self.store.conn, head, &folders)
    }

    /// The chain's head now, to keep off the machine; the export itself is recorded after it.
    pub fn audit_export(&mut self, path: &Path) -> Result<AuditHead> {
        self.caller.require_supervisor("导出审计日志链头")?;
        self.act(|_, _| Ok(()))?;
        let head = audit::verify(&self.store.conn, None, &[])?.head;
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

    /// The newest rows first, after the looks journaled so far are chained.
    pub fn audit_rows(&mut self, query: &AuditQuery) -> Result<Vec<AuditRow>> {
        self.caller.require_supervisor("查看审计日志")?;
        self.act(|_, _| Ok(()))?;
        audit::list(
            &self.store.conn,
            query,
            query.limit.unwrap_or(100).min(1000),
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
}

/// A scanned page's bytes, for a certificate.
fn page_bytes(conn: &rusqlite::Connection, document_id: i64, page_no: i64) -> Result<Vec<u8>> {
    let file = crate::store::read::page_file(conn, document_id, page_no)?.ok_or_else(|| {
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
}
