//! `archivedesk cross`: the 跨馆 round trip from the command line — send an open 跨馆 request's
//! application to another archive, and at the holding archive the applications received
//! (跨馆协办): accept, return, and the certificate back; `archivedesk calendar`: the working days
//! the deadlines are counted on.

use super::print_json;
use archivedesk::api::{
    CalendarChange, CalendarDay, CrossInboxQuery, CrossReturnRequest, CrossSendRequest,
};
use archivedesk::{Archive, Error, ErrorCode};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CrossCommand {
    /// Send an open 跨馆 request's application, with its proof, to another archive (by name).
    Send {
        #[arg(long)]
        request: i64,
        #[arg(long)]
        peer: String,
    },
    /// 跨馆协办: the applications other archives sent, with their deadlines (open ones, or --all).
    Inbox {
        #[arg(long)]
        all: bool,
    },
    /// 受理 an application received.
    Accept { id: i64 },
    /// 退回 an application received, with the reason told to the sending archive.
    Return {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Write the certificate another archive issued for an application sent to a file.
    Certificate {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(mut archive: Archive, what: CrossCommand, json: bool) -> Result<i32, Error> {
    let archive = &mut archive;
    match what {
        CrossCommand::Send { request, peer } => {
            let found = archive
                .peers()?
                .into_iter()
                .find(|p| p.name == peer.trim())
                .ok_or_else(|| {
                    Error::new(ErrorCode::NotFound, format!("没有名为「{peer}」的档案馆"))
                })?;
            let view = archive.send_cross_application(&CrossSendRequest {
                request_id: request,
                peer_id: found.id,
            })?;
            if json {
                print_json(&view.cross_sent);
            } else {
                for sent in &view.cross_sent {
                    println!("{}  {}  {}", sent.peer_name, sent.state, sent.sent_at);
                }
            }
        }
        CrossCommand::Inbox { all } => {
            let inbox = archive.cross_inbox(&CrossInboxQuery { all })?;
            if json {
                print_json(&inbox);
            } else if inbox.items.is_empty() {
                println!("没有待办的跨馆协办申请");
            } else {
                for item in &inbox.items {
                    println!(
                        "{}  来自{}（其登记 {}）  {}  期限 {}{}  本馆登记 {}  {}",
                        item.id,
                        item.peer_name,
                        item.their_request_no,
                        item.requester_name,
                        item.deadline,
                        if item.overdue { "（已逾期）" } else { "" },
                        item.request_id,
                        item.state
                    );
                }
            }
        }
        CrossCommand::Accept { id } => {
            let view = archive.accept_cross(id)?;
            if json {
                print_json(&view.cross_received);
            } else {
                println!("已受理：本馆查档登记 {}", view.id);
            }
        }
        CrossCommand::Return { id, reason } => {
            let view = archive.return_cross(&CrossReturnRequest { id, reason })?;
            if json {
                print_json(&view.cross_received);
            } else {
                println!("已退回：本馆查档登记 {}", view.id);
            }
        }
        CrossCommand::Certificate { id, out } => {
            let (name, pdf) = archive.received_certificate(id)?;
            std::fs::write(&out, pdf).map_err(|e| {
                Error::new(ErrorCode::Io, format!("无法写入「{}」：{e}", out.display()))
            })?;
            println!("{name} → {}", out.display());
        }
    }
    Ok(0)
}

/// `calendar`: set public holidays and 调休 working days, and the deadline; without options,
/// the calendar as it is.
#[derive(Args)]
pub struct CalendarArgs {
    /// A public holiday, or a run of them (2026-10-01..2026-10-07).
    #[arg(long, value_name = "DAY[..DAY]")]
    holiday: Vec<String>,
    /// A weekend day worked (调休).
    #[arg(long, value_name = "DAY")]
    workday: Vec<String>,
    /// Forget a day set before.
    #[arg(long, value_name = "DAY")]
    remove: Vec<String>,
    /// What the days set are (国庆节, 春节调休 …).
    #[arg(long)]
    note: Option<String>,
    /// Working days the holding archive has for an application (4 by default).
    #[arg(long)]
    deadline: Option<i64>,
    #[arg(long)]
    json: bool,
}

pub fn calendar(archive: &mut Archive, args: CalendarArgs) -> Result<i32, Error> {
    let mut set = Vec::new();
    for run in &args.holiday {
        for day in days_of(run)? {
            set.push(CalendarDay {
                day,
                working: false,
                note: args.note.clone(),
            });
        }
    }
    for day in &args.workday {
        set.push(CalendarDay {
            day: day.trim().to_string(),
            working: true,
            note: args.note.clone(),
        });
    }
    let changes = !set.is_empty() || !args.remove.is_empty() || args.deadline.is_some();
    let calendar = if changes {
        archive.set_work_calendar(&CalendarChange {
            set,
            remove: args.remove,
            deadline_days: args.deadline,
        })?
    } else {
        archive.work_calendar()?
    };
    if args.json {
        print_json(&calendar);
    } else {
        println!("协办期限：{} 个工作日", calendar.deadline_days);
        for day in &calendar.days {
            println!(
                "{}  {}  {}",
                day.day,
                if day.working {
                    "调休上班"
                } else {
                    "节假日"
                },
                day.note.as_deref().unwrap_or("")
            );
        }
    }
    Ok(0)
}

/// The days of `2026-10-01..2026-10-07`, or the one day given.
fn days_of(run: &str) -> Result<Vec<String>, Error> {
    let parse = |d: &str| {
        chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
            Error::new(
                ErrorCode::InvalidRequest,
                format!("日期「{d}」应写成 YYYY-MM-DD，如 2026-10-01"),
            )
        })
    };
    let (first, last) = match run.split_once("..") {
        Some((a, b)) => (parse(a)?, parse(b)?),
        None => (parse(run)?, parse(run)?),
    };
    if last < first || (last - first).num_days() > 60 {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("日期范围「{run}」不对"),
        ));
    }
    Ok(first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect())
}
