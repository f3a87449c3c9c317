//! The counter's commands: the lookup register, certificates and their verification, the audit
//! trail and usage statistics (accounts and settings: `accounts`). The command line acts as the local operator (so named
//! in the audit trail) and never waits on a password prompt.

use super::invalid;
use super::print_json;
use archivedesk::api::{
    AttachRequest, AuditQuery, IssueRequest, NewLookupRequest, Relationship, RequestQuery,
    RequestStatus, RequestStatusChange, UsageRequest, VoidCertificateRequest,
};
use archivedesk::{Archive, Error, ErrorCode};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `register new`: the request's fields (boxed: they outweigh every other command's).
#[derive(Args)]
pub struct NewRequestArgs {
    /// The person the records are about: the requester (查档人) when they come themselves, else
    /// the 当事人 a proxy or a unit asks for.
    #[arg(long)]
    name: String,
    /// Their resident ID number (15 or 18 digits).
    #[arg(long)]
    id_number: String,
    #[arg(long)]
    phone: Option<String>,
    /// self (本人), proxy (委托代理) or unit (单位).
    #[arg(long, default_value = "self")]
    relationship: String,
    #[arg(long)]
    proxy_name: Option<String>,
    #[arg(long)]
    proxy_id_number: Option<String>,
    #[arg(long)]
    proxy_phone: Option<String>,
    #[arg(long)]
    unit: Option<String>,
    /// 退休待遇核定, 工龄认定, 继承公证, 身份认定, 工资待遇, 落实政策 or 其他 (with --purpose-note).
    #[arg(long)]
    purpose: String,
    #[arg(long)]
    purpose_note: Option<String>,
    /// 窗口, 代查代送, 跨馆 or 线上.
    #[arg(long, default_value = "窗口")]
    channel: String,
    /// 代查代送: where the result goes (a postal address, or 自取).
    #[arg(long)]
    delivery: Option<String>,
    /// What is sought, in the requester's words.
    #[arg(long)]
    sought: String,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// Register a request at the counter (查档登记).
    New(Box<NewRequestArgs>),
    /// The register, newest first: by requester (name, ID number, phone), date and status.
    List {
        #[arg(default_value = "")]
        text: String,
        /// From this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// registered, found, not_found or delivered.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One request with its attached records and certificates.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Keep a proof file with a request: a scan or photo of the requester's ID card
    /// (id_card), a proxy's letter of authorization (authorization) or another (other).
    Proof {
        id: i64,
        #[arg(long, default_value = "id_card")]
        kind: String,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Attach a record found (an entry, or a whole document) with the pages used.
    Attach {
        id: i64,
        #[arg(long, required_unless_present = "document")]
        entry: Option<i64>,
        #[arg(long, conflicts_with = "entry")]
        document: Option<i64>,
        /// Page numbers used, comma-separated (default: every page of the document).
        #[arg(long, value_delimiter = ',')]
        pages: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Close a request: delivered, or not_found; with the outcome (利用效果).
    Close {
        id: i64,
        #[arg(long, default_value = "delivered")]
        status: String,
        #[arg(long)]
        outcome: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum CertificateCommand {
    /// Issue a numbered certificate (PDF) from a request's attached records.
    Issue {
        request: i64,
        /// Also write the PDF here.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Write a certificate's PDF (by number or verification code) to a file.
    Show {
        number_or_code: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Void (作废) a certificate issued by mistake: its number stays used.
    Void {
        number_or_code: String,
        /// Why, for the audit trail.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; with --head, also compare with a head exported earlier.
    Verify {
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Write the chain's head (count, last hash, time range) to keep off this machine.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write an anchor of the chain's head now (one is written at every close and at least
    /// daily).
    Anchor {
        #[arg(long)]
        json: bool,
    },
    /// The newest rows of the trail.
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

fn parse_status(text: &str) -> Result<RequestStatus, Error> {
    RequestStatus::parse(text).ok_or_else(|| {
        invalid(format!(
            "状态「{text}」应为 registered、found、not_found 或 delivered"
        ))
    })
}

fn print_request(archive: &mut Archive, id: i64, json: bool) -> Result<(), Error> {
    let view = archive.lookup_request(id)?;
    if json {
        print_json(&view);
        return Ok(());
    }
    println!(
        "查档登记 {}（{}）  {}",
        view.id,
        view.status.label(),
        view.registered_at
    );
    println!(
        "{}：{}  {}  {}",
        view.relationship.subject_label(),
        view.requester_name,
        view.requester_id_masked,
        view.relationship.label()
    );
    if let Some(proxy) = &view.proxy_name {
        println!(
            "代理人：{proxy}  {}  {}",
            view.proxy_id_masked.as_deref().unwrap_or(""),
            view.proxy_phone.as_deref().unwrap_or("")
        );
    }
    println!("利用目的：{}  渠道：{}", view.purpose, view.channel);
    if let Some(delivery) = &view.delivery {
        println!("送达方式：{delivery}");
    }
    println!("查档内容：{}", view.sought);
    for r in &view.records {
        println!(
            "  附件 {}：{}  {}  页 {:?}{}",
            r.id,
            r.ref_code,
            r.title.as_deref().unwrap_or(""),
            r.pages,
            if r.own_record {
                "  （本人记录）"
            } else {
                ""
            }
        );
    }
    for c in &view.certificates {
        println!(
            "  证明 {}  核验码 {}  {}",
            c.number, c.verify_code, c.issued_at
        );
    }
    Ok(())
}

pub fn register(archive: &mut Archive, what: RegisterCommand) -> Result<i32, Error> {
    match what {
        RegisterCommand::New(args) => {
            let NewRequestArgs {
                name,
                id_number,
                phone,
                relationship,
                proxy_name,
                proxy_id_number,
                proxy_phone,
                unit,
                purpose,
                purpose_note,
                channel,
                delivery,
                sought,
                json,
            } = *args;
            let relationship = Relationship::parse(&relationship).ok_or_else(|| {
                invalid(format!(
                    "与档案关系「{relationship}」应为 self、proxy 或 unit"
                ))
            })?;
            let view = archive.register_request(&NewLookupRequest {
                requester_name: name,
                requester_id: id_number,
                requester_phone: phone,
                relationship,
                proxy_name,
                proxy_id: proxy_id_number,
                proxy_phone,
                unit_name: unit,
                purpose,
                purpose_note,
                channel,
                delivery,
                sought,
            })?;
            print_request(archive, view.id, json)?;
        }
        RegisterCommand::List {
            text,
            from,
            to,
            status,
            limit,
            json,
        } => {
            let list = archive.lookup_requests(&RequestQuery {
                text,
                from,
                to,
                status: status.as_deref().map(parse_status).transpose()?,
                limit: Some(limit),
                offset: 0,
            })?;
            if json {
                print_json(&list);
            } else {
                println!("共 {} 条", list.total);
                for r in &list.requests {
                    println!(
                        "{:>5}  {}  {}  {}  {}  {}  附件 {}  证明 {}",
                        r.id,
                        r.registered_at,
                        r.requester_name,
                        r.requester_id_masked,
                        r.purpose,
                        r.status.label(),
                        r.records,
                        r.certificates
                    );
                }
            }
        }
        RegisterCommand::Show { id, json } => print_request(archive, id, json)?,
        RegisterCommand::Proof {
            id,
            kind,
            file,
            json,
        } => {
            use base64::Engine;
            let content = std::fs::read(&file).map_err(|e| {
                Error::new(
                    ErrorCode::Io,
                    format!("无法读取「{}」：{e}", file.display()),
                )
            })?;
            archive.add_proof(&archivedesk::api::ProofAddRequest {
                request_id: id,
                kind,
                file_name: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                content_base64: base64::engine::general_purpose::STANDARD.encode(content),
            })?;
            print_request(archive, id, json)?;
        }
        RegisterCommand::Attach {
            id,
            entry,
            document,
            pages,
            json,
        } => {
            archive.attach_record(&AttachRequest {
                request_id: id,
                entry_id: entry,
                document_id: document,
                pages,
                catalogue_only: false,
            })?;
            print_request(archive, id, json)?;
        }
        RegisterCommand::Close {
            id,
            status,
            outcome,
            json,
        } => {
            archive.set_request_status(&RequestStatusChange {
                request_id: id,
                status: parse_status(&status)?,
                outcome,
            })?;
            print_request(archive, id, json)?;
        }
    }
    Ok(0)
}

fn write_file(path: &PathBuf, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("无法写入「{}」：{e}", path.display()),
        )
    })
}

pub fn certificate(archive: &mut Archive, what: CertificateCommand) -> Result<i32, Error> {
    let (certificate, out, json) = match what {
        CertificateCommand::Issue { request, out, json } => {
            let issued = archive.issue_certificate(&IssueRequest {
                request_id: request,
                confirmed: None,
            })?;
            (issued, out, json)
        }
        CertificateCommand::Show {
            number_or_code,
            out,
            json,
        } => (archive.certificate_pdf(&number_or_code)?.0, Some(out), json),
        CertificateCommand::Void {
            number_or_code,
            reason,
            json,
        } => (
            archive.void_certificate(&VoidCertificateRequest {
                number_or_code,
                reason,
            })?,
            None,
            json,
        ),
    };
    if let Some(out) = &out {
        let (_, pdf) = archive.certificate_pdf(&certificate.number)?;
        write_file(out, &pdf)?;
    }
    if json {
        print_json(&certificate);
    } else {
        println!("证明编号：{}", certificate.number);
        println!("核验码：{}", certificate.verify_code);
        println!(
            "出具：{}  {}  扫描页 {} 页",
            certificate.issued_at, certificate.issued_by, certificate.pages
        );
        if let Some(at) = &certificate.voided_at {
            println!(
                "已作废：{at}  {}  {}",
                certificate.voided_by.as_deref().unwrap_or_default(),
                certificate.void_reason.as_deref().unwrap_or_default()
            );
        }
        if let Some(out) = out {
            println!("PDF：{}", out.display());
        }
    }
    Ok(0)
}

/// Exit 0 when the certificate is genuine (and the PDF, when given, is the one issued), 4 when
/// it is not.
pub fn verify(
    archive: &mut Archive,
    code: &str,
    pdf: Option<PathBuf>,
    json: bool,
) -> Result<i32, Error> {
    let bytes = match &pdf {
        Some(path) => Some(std::fs::read(path).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("无法读取「{}」：{e}", path.display()),
            )
        })?),
        None => None,
    };
    let result = archive.verify_certificate(code, bytes.as_deref())?;
    if json {
        print_json(&result);
    } else if result.valid {
        let c = result
            .certificate
            .as_ref()
            .expect("a valid result names it");
        match &result.issued_elsewhere {
            Some(archive) => println!(
                "核验通过：{}，{archive}出具于 {}，本馆跨馆收到的证明",
                c.number, c.issued_at
            ),
            None => println!("核验通过：{}，出具于 {}", c.number, c.issued_at),
        }
        println!(
            "查档人：{}；档案：{}",
            result.requester_name.as_deref().unwrap_or(""),
            result.records.join("、")
        );
        if result.pdf_matches == Some(true) {
            println!("所给PDF与出具的证明完全一致");
        }
    } else {
        println!("核验未通过：{}", result.reason.as_deref().unwrap_or(""));
    }
    Ok(if result.valid { 0 } else { 4 })
}

/// Exit 0 when the chain is intact, 4 when it is broken.
pub fn audit(archive: &mut Archive, what: AuditCommand) -> Result<i32, Error> {
    match what {
        AuditCommand::Verify { head, json } => {
            let head = head
                .map(|p| archivedesk::audit::read_head(&p))
                .transpose()?;
            let result = archive.audit_verify(head.as_ref())?;
            if json {
                print_json(&result);
            } else if result.intact {
                println!(
                    "审计日志完整：{} 条，链头 {}",
                    result.rows, result.head.last_hash
                );
            } else {
                println!(
                    "审计日志被改动：{}",
                    result.problem.as_deref().unwrap_or("")
                );
            }
            Ok(if result.intact { 0 } else { 4 })
        }
        AuditCommand::Export { out, json } => {
            let head = archive.audit_export(&out)?;
            if json {
                print_json(&head);
            } else {
                println!(
                    "链头已写入 {}：{} 条，最后校验值 {}",
                    out.display(),
                    head.count,
                    head.last_hash
                );
            }
            Ok(0)
        }
        AuditCommand::Anchor { json } => {
            let anchor = archive.write_anchor()?;
            match (json, anchor) {
                (true, anchor) => print_json(&anchor),
                (false, Some(a)) => println!(
                    "已写入锚点 {}：审计日志第 {} 条，校验值 {}",
                    a.number, a.count, a.last_hash
                ),
                (false, None) => println!("上一个锚点之后审计日志没有新内容，未写入新锚点"),
            }
            Ok(0)
        }
        AuditCommand::List { limit, json } => {
            let rows = archive.audit_rows(&AuditQuery {
                limit: Some(limit),
                ..AuditQuery::default()
            })?;
            if json {
                print_json(&rows);
            } else {
                for r in rows {
                    println!(
                        "{:>6}  {}  {}  {}  {}  {}",
                        r.seq,
                        r.at,
                        r.actor,
                        r.action,
                        r.target.as_deref().unwrap_or(""),
                        r.detail
                    );
                }
            }
            Ok(0)
        }
    }
}

pub fn usage(
    archive: &mut Archive,
    request: UsageRequest,
    xlsx: Option<PathBuf>,
    json: bool,
) -> Result<i32, Error> {
    let stats = match &xlsx {
        Some(path) => archive.export_usage(&request, path)?,
        None => archive.usage_stats(&request)?,
    };
    if json {
        print_json(&stats);
        return Ok(0);
    }
    println!("利用统计 {} 至 {}", stats.from, stats.to);
    println!(
        "利用人次 {}  利用卷/件次 {}  复制页数 {}  出具证明 {} 份",
        stats.people_served, stats.records_used, stats.pages_copied, stats.certificates
    );
    println!(
        "已答复 {}，查到 {}{}",
        stats.answered,
        stats.found,
        stats
            .median_minutes_to_answer
            .map(|m| format!("，答复用时中位数 {m:.0} 分钟"))
            .unwrap_or_default()
    );
    for (title, counts) in [
        ("按利用目的", &stats.by_purpose),
        ("按渠道", &stats.by_channel),
        ("按门类", &stats.by_category),
        ("按周期", &stats.by_period),
    ] {
        let parts: Vec<String> = counts
            .iter()
            .map(|c| format!("{} {}", c.key, c.count))
            .collect();
        println!("{title}：{}", parts.join("，"));
    }
    if let Some(path) = xlsx {
        println!("统计表已写入 {}", path.display());
    }
    Ok(0)
}
