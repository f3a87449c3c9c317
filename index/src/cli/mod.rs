//! Command-line door: parses arguments, calls one `Archive` method, prints its answer (as the
//! api.rs shape with `--json`). Exit codes: 0 done, 1 failed (one line on stderr), 2 usage,
//! 3 `import --strict` with rejected rows.

mod accounts;
mod backup;
mod bench;
mod counter;
mod cross;
mod ocr;
mod output;
mod peers;
mod progress;
mod recall;
mod stderr_log;

use archivedesk::api::ImportRequest;
use archivedesk::{paths, Archive, Error};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "archivedesk",
    version,
    about = "档案查询台：民生档案目录的导入与查询"
)]
struct Cli {
    /// Data folder holding the archive (default: the app's local data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum ServiceAction {
    /// Registers the service: it serves the archive of --data-dir on the LAN at this address.
    Install {
        #[arg(long, value_name = "ADDR:PORT", default_value = "0.0.0.0:8443")]
        lan: std::net::SocketAddr,
        /// Also answer other archives (跨馆) on this address.
        #[arg(long, value_name = "ADDR:PORT")]
        peer_door: Option<std::net::SocketAddr>,
        /// Also serve open data (OAI-PMH, SRU): beside the desks, or on this address.
        #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1)]
        open_data: Option<Option<std::net::SocketAddr>>,
    },
    /// Stops and removes the service.
    Uninstall,
    /// How Windows starts the service (not for typing).
    #[command(hide = true)]
    Run {
        #[arg(long, value_name = "ADDR:PORT")]
        lan: std::net::SocketAddr,
        #[arg(long, value_name = "ADDR:PORT")]
        peer_door: Option<std::net::SocketAddr>,
        #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1)]
        open_data: Option<Option<std::net::SocketAddr>>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty archive in the data folder (or check an existing one).
    Init {
        /// The archive's name, shown on screens and certificates.
        #[arg(long)]
        name: Option<String>,
        /// This counter PC's code in certificate numbers (A, B, …), so two desks never collide.
        #[arg(long)]
        desk_code: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Import catalogue files (CSV, XLSX, XLS, JSONL) and scan folders.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Category (工资调整, 退休审批, 招工录用 …) for rows that carry none.
        #[arg(long)]
        category: Option<String>,
        /// JSON file mapping unusual headers to fields.
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Report what would happen without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Exit with status 3 when any row was rejected, or a sheet held no catalogue.
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
    /// Offer the archive over HTTP (JSON API, page images and the UI) for a browser. Prints the
    /// URL to open, with the access token in it, as its first line.
    ///
    /// With --lan, this PC becomes the archive's host for the counter desks of the office LAN:
    /// TLS 1.3 only, for paired desks only; it prints lines beginning with 地址, 主机密钥 and
    /// 配对码. With --connect, this PC is a desk: the UI on loopback, every operation done at the
    /// host (pair first with --pair and the code the host shows).
    Serve {
        /// Loopback address to listen on (port 0 picks a free one). Only this machine's browsers
        /// can reach it.
        #[arg(long, default_value = "127.0.0.1:8017")]
        listen: std::net::SocketAddr,
        /// The built UI (default: ui/dist beside the program or in the source tree).
        #[arg(long, value_name = "DIR")]
        ui: Option<PathBuf>,
        /// Be the archive's host on the LAN, listening on this address (all of the PC's
        /// addresses on port 8443 when none is given).
        #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1, default_missing_value = "0.0.0.0:8443", conflicts_with = "connect")]
        lan: Option<std::net::SocketAddr>,
        /// Also answer other archives (跨馆) on this address, a port of its own (prints a line
        /// beginning with 跨馆地址); beside the LAN door, or for the archive of one PC.
        #[arg(long, value_name = "ADDR:PORT")]
        peer_door: Option<std::net::SocketAddr>,
        /// With --lan: open data for portals (OAI-PMH at /oai, SRU at /sru; read-only, no
        /// login), on the LAN door's address or on this one (prints a line beginning with 开放数据).
        #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1, requires = "lan")]
        open_data: Option<Option<std::net::SocketAddr>>,
        /// The address harvesters are told to write to (OAI-PMH adminEmail); kept.
        #[arg(long, value_name = "EMAIL", requires = "open_data")]
        open_data_email: Option<String>,
        /// Be a desk of the archive host at this address.
        #[arg(long, value_name = "HOST:PORT")]
        connect: Option<String>,
        /// Pair with the host first, with the code it shows (配对码).
        #[arg(long, value_name = "CODE", requires = "connect")]
        pair: Option<String>,
    },
    /// The LAN host as a Windows service that starts with Windows (as administrator): install
    /// it (with --data-dir), or uninstall it.
    Service {
        #[command(subcommand)]
        action: ServiceAction,
    },
    /// The counter desks paired with this archive (the LAN host's): list them, or revoke one.
    Desks {
        /// Revoke the desk with this code: the host refuses it from its next request on.
        #[arg(long, value_name = "DESK_CODE")]
        revoke: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The 跨馆 request round trip: send an application to another archive; at the holding
    /// archive, the applications received (跨馆协办): accept, return, and the certificate back.
    Cross {
        #[command(subcommand)]
        what: cross::CrossCommand,
        #[arg(long, global = true)]
        json: bool,
    },
    /// The working-day calendar the 跨馆 deadlines are counted on: public holidays, 调休
    /// working days, the deadline (a supervisor's, at the host).
    Calendar(cross::CalendarArgs),
    /// Other archives (跨馆): list them with this archive's own key hash, add, remove, import a
    /// province's list, or ask them who holds records for the person of an open 跨馆 request.
    Peers {
        #[command(subcommand)]
        action: Option<peers::PeersCommand>,
        #[arg(long, global = true)]
        json: bool,
    },
    /// At the LAN host: bring in the history of a PC that worked alone until now — its register,
    /// certificates (still verifiable under their old desk code) and audit trail. Its data
    /// folder is only read; the merge is recorded.
    MergeHistory {
        /// The other PC's data folder (copied here, or on a shared drive).
        from: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show a document by 档号 (any written form) or an entry by #ID.
    Show {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// Find records: names, ID numbers, 档号, 文号, years, pinyin, "phrases", -exclusions,
    /// 姓名:… 单位:… 年度:1995-1999.
    Search {
        query: String,
        #[arg(long)]
        category: Option<String>,
        #[arg(long, value_name = "YEAR")]
        year_from: Option<i32>,
        #[arg(long, value_name = "YEAR")]
        year_to: Option<i32>,
        #[arg(long)]
        fonds: Option<String>,
        /// Only records of this work unit (any part of its name).
        #[arg(long)]
        unit: Option<String>,
        /// open, controlled or closed.
        #[arg(long)]
        access: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// A person's records across documents, in date order (from an entry, an ID number, or a
    /// name with a birth year-month).
    Person {
        /// An entry id (as shown by `search`).
        #[arg(required_unless_present_any = ["id_number", "name"], conflicts_with_all = ["id_number", "name"])]
        entry_id: Option<i64>,
        #[arg(long, conflicts_with = "name")]
        id_number: Option<String>,
        #[arg(long, requires = "birth")]
        name: Option<String>,
        /// Birth year-month, such as 1948-06 (with --name).
        #[arg(long, requires = "name")]
        birth: Option<String>,
        /// Confirm that this entry belongs to the person (kept across re-imports).
        #[arg(long, value_name = "ENTRY_ID", conflicts_with_all = ["split", "add"])]
        confirm: Option<i64>,
        /// Split this entry off the person: it is someone else.
        #[arg(long, value_name = "ENTRY_ID", conflicts_with = "add")]
        split: Option<i64>,
        /// Add this entry to the person (a record the automatic join missed).
        #[arg(long, value_name = "ENTRY_ID")]
        add: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Read the scanned pages that have no text (OCR) now, in the foreground; with --status,
    /// say how far the reading is.
    Ocr(ocr::OcrArgs),
    /// Build the search index again from the database.
    Reindex {
        #[arg(long)]
        json: bool,
    },
    /// Totals of documents, entries and pages, by category and by year; with --usage, the
    /// usage statistics of the register (利用统计).
    Stats {
        #[arg(long)]
        usage: bool,
        /// First day counted (YYYY-MM-DD; default: the start of this year).
        #[arg(long, requires = "usage")]
        from: Option<String>,
        /// Last day counted (default: today).
        #[arg(long, requires = "usage")]
        to: Option<String>,
        /// day, month or year.
        #[arg(long, requires = "usage", default_value = "month")]
        period: String,
        /// Also write the use section of the annual report as XLSX.
        #[arg(long, requires = "usage", value_name = "FILE")]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The lookup register (查档登记): new, list, show, attach, close.
    Register {
        #[command(subcommand)]
        what: counter::RegisterCommand,
    },
    /// Certified copies (出具档案证明): issue, show.
    Certificate {
        #[command(subcommand)]
        what: counter::CertificateCommand,
    },
    /// Check a certificate's verification code (and its PDF) against the register.
    Verify {
        code: String,
        /// The PDF someone presented: it must be the one issued, byte for byte.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The audit trail: verify, export, list.
    Audit {
        #[command(subcommand)]
        what: counter::AuditCommand,
    },
    /// The counter's protections: idle minutes of a login, the anchors' second folder, the
    /// daily backup.
    Settings(accounts::SettingsArgs),
    /// Back the archive up now (while clerks work), into a folder of its own under --to.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data folder (--data-dir), checking it first.
    Restore(backup::RestoreArgs),
    /// Clerks' accounts: add, list, disable, enable, role, reset-password, clear-delay.
    Clerk {
        #[command(subcommand)]
        what: accounts::ClerkCommand,
    },
    /// Build the demo archive (its own data folder unless --data-dir is given).
    Demo {
        /// Approximate number of person rows.
        #[arg(long, default_value_t = archivedesk::demo::DEMO_ENTRIES)]
        entries: usize,
        #[arg(long, default_value_t = archivedesk::demo::DEMO_SEED)]
        seed: u64,
        /// Skip rendering page images.
        #[arg(long)]
        no_images: bool,
        /// Instead of the demo archive, write a benchmark catalogue of this many rows to --out.
        #[arg(long, value_name = "ROWS", requires = "out")]
        corpus: Option<usize>,
        /// The benchmark catalogue to write (.csv or .xlsx).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Benchmarks that print figures beside a baseline measured in the same run.
    Bench {
        #[command(subcommand)]
        what: bench::BenchCommand,
    },
}

pub fn run() -> i32 {
    stderr_log::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            // Standard error ends up in logs: masked like every message.
            eprintln!("错误：{}", archivedesk::privacy::mask_text(&e.message));
            1
        }
    }
}

/// A request the command line cannot carry out as written.
fn invalid(message: String) -> Error {
    Error::new(archivedesk::ErrorCode::InvalidRequest, message)
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("api types serialize")
    );
}

fn execute(cli: Cli) -> Result<i32, Error> {
    let data_dir = cli.data_dir.clone();
    let dir = || data_dir.clone().unwrap_or_else(paths::default_data_dir);
    let open = || Archive::open(&dir());
    let open_existing = || Archive::open_existing(&dir());
    match cli.command {
        Command::Bench { what } => bench::run(what),
        Command::Init {
            name,
            desk_code,
            json,
        } => {
            let archive = open()?;
            if let Some(name) = name {
                archive.set_archive_name(&name)?;
            }
            if let Some(code) = desk_code {
                archive.set_desk_code(&code)?;
            }
            let stats = archive.stats()?;
            if json {
                print_json(&stats);
            } else {
                println!("档案库：{}", archive.database_path().display());
                output::print_stats(&stats);
            }
            Ok(0)
        }
        Command::Import {
            paths,
            category,
            mapping,
            dry_run,
            strict,
            json,
        } => {
            let mapping = match mapping {
                Some(file) => Some(archivedesk::import::mapping::load_mapping(&file)?),
                None => None,
            };
            let mut archive = open()?;
            let request = ImportRequest {
                paths,
                category,
                mapping,
                dry_run,
            };
            let mut bar = progress::ImportBar::new(!json);
            let report = archive.import(&request, &mut |p| bar.update(p))?;
            bar.finish();
            if json {
                print_json(&report);
            } else {
                output::print_import(&report);
            }
            Ok(if report.refused_files() > 0 {
                1
            } else if strict && report.rows_not_imported() > 0 {
                3
            } else {
                0
            })
        }
        Command::Serve {
            lan: Some(lan),
            peer_door,
            open_data,
            open_data_email,
            ..
        } => {
            if let Some(email) = open_data_email {
                Archive::open_existing(&dir())?.set_open_data_email(&email)?;
            }
            let options = archivedesk::http::lan_door::LanOptions {
                listen: lan,
                peer_listen: peer_door,
                open_data: open_data.map(open_data_at),
                data_dir: dir(),
                demo_dir: paths::default_demo_dir(),
            };
            archivedesk::http::lan_door::serve_lan(options, |started| {
                // Said once; a console closed since is no reason to stop serving.
                use std::io::Write;
                let mut out = std::io::stdout();
                let _ = writeln!(out, "地址 {}", started.address);
                let _ = writeln!(out, "主机密钥 SHA-256 {}", started.host_pin);
                if let Some(peer_address) = started.peer_address {
                    let _ = writeln!(out, "跨馆地址 {peer_address}");
                }
                if let Some(open) = started.open_data_address {
                    let _ = writeln!(out, "开放数据 https://{open}/oai https://{open}/sru");
                }
                let _ = writeln!(
                    out,
                    "配对码 {}（为柜台{}「{}」，{} 分钟内有效，只能用一次）",
                    started.pairing.code,
                    started.pairing.desk.code,
                    started.pairing.desk.name,
                    started.pairing.expires_in.as_secs().div_ceil(60)
                );
                let _ = out.flush();
            })?;
            Ok(0)
        }
        Command::Serve {
            listen,
            ui,
            connect: Some(host),
            pair,
            ..
        } => {
            let options = archivedesk::http::desk_door::DeskOptions {
                listen,
                data_dir: dir(),
                ui_dir: ui.or_else(find_ui),
                host: Some(host),
                pairing_code: pair,
            };
            archivedesk::http::desk_door::serve_desk(options, |url, desk| {
                use std::io::Write;
                let mut out = std::io::stdout();
                let _ = writeln!(out, "{url}");
                let _ = writeln!(
                    out,
                    "柜台{}（{}）已连接档案库「{}」的主机 {}",
                    desk.desk_code, desk.desk_name, desk.archive_name, desk.host
                );
                let _ = out.flush();
            })?;
            Ok(0)
        }
        Command::MergeHistory { from, json } => {
            let merged = open_existing()?.merge_history(&from)?;
            if json {
                print_json(&merged);
            } else {
                println!(
                    "已并入「{}」：查档登记 {} 件，证明 {} 份（柜台代码 {}），审计日志 {} 条",
                    merged.source,
                    merged.requests,
                    merged.certificates,
                    if merged.desk_codes.is_empty() {
                        "无".to_string()
                    } else {
                        merged.desk_codes.join("、")
                    },
                    merged.audit_rows
                );
            }
            Ok(0)
        }
        Command::Service { action } => {
            use archivedesk::host_service;
            match action {
                ServiceAction::Install {
                    lan,
                    peer_door,
                    open_data,
                } => {
                    let folder = host_service::service_data_dir(data_dir.as_deref())?;
                    host_service::install(
                        &folder,
                        host_service::HostDoors {
                            lan,
                            peer_door,
                            open_data: open_data.map(open_data_at),
                        },
                    )?;
                    println!(
                        "已安装服务「{}」：随 Windows 启动，在 {lan} 上提供「{}」中的档案库；立即启动：sc start {}",
                        host_service::DISPLAY_NAME,
                        folder.display(),
                        host_service::SERVICE_NAME
                    );
                }
                ServiceAction::Uninstall => {
                    host_service::uninstall()?;
                    println!("已停止并删除服务「{}」", host_service::DISPLAY_NAME);
                }
                ServiceAction::Run {
                    lan,
                    peer_door,
                    open_data,
                } => host_service::run(
                    dir(),
                    host_service::HostDoors {
                        lan,
                        peer_door,
                        open_data: open_data.map(open_data_at),
                    },
                )?,
            }
            Ok(0)
        }
        Command::Peers { action, json } => peers::run(open_existing()?, action, json),
        Command::Cross { what, json } => cross::run(open_existing()?, what, json),
        Command::Calendar(args) => cross::calendar(&mut open_existing()?, args),
        Command::Desks { revoke, json } => {
            let mut archive = open_existing()?;
            if let Some(code) = revoke {
                archive.revoke_desk(code.trim())?;
            }
            let desks = archive.lan_desks()?;
            if json {
                print_json(&desks);
            } else if desks.is_empty() {
                println!("还没有柜台与本档案库配对（serve --lan 启动时显示配对码）");
            } else {
                for desk in &desks {
                    let state = match &desk.revoked_at {
                        Some(at) => format!("已撤销 {at}"),
                        None => "使用中".to_string(),
                    };
                    println!(
                        "柜台{}\t{}\t{state}\t配对于 {}（{}）\t密钥 {}",
                        desk.code, desk.name, desk.enrolled_at, desk.enrolled_by, desk.pin
                    );
                }
            }
            Ok(0)
        }
        Command::Serve {
            listen,
            ui,
            peer_door,
            ..
        } => {
            let options = archivedesk::http::ServeOptions {
                listen,
                data_dir: dir(),
                ui_dir: ui.or_else(find_ui),
                demo_dir: paths::default_demo_dir(),
                peer_listen: peer_door,
            };
            if options.ui_dir.is_none() {
                eprintln!("提示：没有找到构建好的界面（ui/dist），只提供 /api");
            }
            archivedesk::http::serve(options, |started| {
                use std::io::Write;
                println!("{}", started.url);
                if let Some(peer_address) = started.peer_address {
                    println!("跨馆地址 {peer_address}");
                }
                let _ = std::io::stdout().flush();
            })?;
            Ok(0)
        }
        Command::Show { reference, json } => {
            let doc = open_existing()?.view_document(&archivedesk::api::DocumentRequest {
                reference: Some(reference),
                ..Default::default()
            })?;
            if json {
                print_json(&doc);
            } else {
                output::print_document(&doc);
            }
            Ok(0)
        }
        Command::Search {
            query,
            category,
            year_from,
            year_to,
            fonds,
            unit,
            access,
            limit,
            offset,
            json,
        } => {
            let request = archivedesk::api::SearchRequest {
                query,
                category,
                year_from,
                year_to,
                fonds,
                work_unit: unit,
                access,
                limit: Some(limit),
                offset,
                // A search typed on the command line is a committed one.
                committed: true,
            };
            let response = open_existing()?.search_as_caller(&request)?;
            if json {
                print_json(&response);
            } else {
                output::print_search(&response, offset);
            }
            Ok(0)
        }
        Command::Person {
            entry_id,
            id_number,
            name,
            birth,
            confirm,
            split,
            add,
            json,
        } => {
            let request = archivedesk::api::PersonRequest {
                entry_id,
                id_number,
                name,
                birth,
                request_id: None,
            };
            let mut archive = open_existing()?;
            let decision = [("confirm", confirm), ("split", split), ("add", add)]
                .into_iter()
                .find_map(|(action, entry)| entry.map(|e| (action, e)));
            if let Some((action, entry)) = decision {
                archive.decide_for_person(&request, entry, action)?;
            }
            // As a clerk sees it: wages masked outside open requests.
            let timeline = archive.view_person(&request)?;
            if json {
                print_json(&timeline);
            } else {
                output::print_person(&timeline);
            }
            Ok(0)
        }
        Command::Ocr(args) => ocr::run(&dir(), args),
        Command::Reindex { json } => {
            let started = std::time::Instant::now();
            let docs = open_existing()?.reindex()?;
            if json {
                print_json(
                    &serde_json::json!({ "indexed": docs, "seconds": started.elapsed().as_secs_f64() }),
                );
            } else {
                println!(
                    "检索索引已重建：{docs} 条（人员行与案卷），用时 {:.1} 秒",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(0)
        }
        Command::Stats {
            usage: true,
            from,
            to,
            period,
            xlsx,
            json,
        } => counter::usage(
            &mut open_existing()?,
            archivedesk::api::UsageRequest {
                from,
                to,
                period: Some(period),
            },
            xlsx,
            json,
        ),
        Command::Register { what } => counter::register(&mut open_existing()?, what),
        Command::Certificate { what } => counter::certificate(&mut open_existing()?, what),
        Command::Verify { code, pdf, json } => {
            counter::verify(&mut open_existing()?, &code, pdf, json)
        }
        Command::Audit { what } => counter::audit(&mut open_existing()?, what),
        Command::Clerk { what } => accounts::clerk(&mut open_existing()?, what),
        Command::Settings(args) => accounts::settings(&mut open_existing()?, args),
        Command::Backup(args) => backup::backup(&mut open_existing()?, args),
        Command::Restore(args) => backup::restore(&dir(), args),
        Command::Stats { json, .. } => {
            let stats = open_existing()?.stats()?;
            if json {
                print_json(&stats);
            } else {
                output::print_stats(&stats);
            }
            Ok(0)
        }
        Command::Demo {
            entries,
            seed,
            no_images,
            corpus,
            out,
            json,
        } => {
            if let (Some(rows), Some(out)) = (corpus, out) {
                let xlsx = out
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
                archivedesk::bench::write_catalogue(rows, xlsx, &out)?;
                println!("已写入 {rows} 行：{}", out.display());
                return Ok(0);
            }
            let dir = data_dir.unwrap_or_else(paths::default_demo_dir);
            let mut bar = progress::ImportBar::new(!json);
            let report = archivedesk::demo::build::build_demo_archive(
                &dir,
                entries,
                seed,
                !no_images,
                &mut |p| bar.update(p),
            )?;
            bar.finish();
            let stats = Archive::open(&dir)?.stats()?;
            if json {
                print_json(&stats);
            } else {
                println!("演示数据已生成：{}", dir.display());
                let rejected = report.rejected_rows();
                let note = if rejected > 0 {
                    "（演示数据故意含有Excel损坏的身份证号，这些行被拒绝）"
                } else {
                    ""
                };
                println!(
                    "导入 {} 个文件，拒绝 {rejected} 行{note}",
                    report.files.len()
                );
                output::print_stats(&stats);
            }
            Ok(0)
        }
    }
}

/// The built UI: `ui/` beside the program (as installed), or `ui/dist` of the source tree the
/// program was built in (target/<profile>/archivedesk).
/// `--open-data` alone serves it beside the desks; with an address, on a port of its own.
fn open_data_at(given: Option<std::net::SocketAddr>) -> archivedesk::http::lan_door::OpenDataAt {
    use archivedesk::http::lan_door::OpenDataAt;
    given.map_or(OpenDataAt::LanDoor, OpenDataAt::Own)
}

fn find_ui() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let exe_dir = exe.parent()?;
    let candidates = [
        exe_dir.join("ui"),
        exe_dir.join("../../ui/dist"),
        exe_dir.join("../../../ui/dist"),
    ];
    candidates
        .into_iter()
        .find(|dir| dir.join("index.html").is_file())
}
