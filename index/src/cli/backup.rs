//! `backup` and `restore`. A passphrase never comes on the command line (other users of the
//! PC can read it there): from a file or the environment variable
//! ARCHIVEDESK_BACKUP_PASSPHRASE.

use super::invalid;
use super::print_json;
use archivedesk::api::{BackupRequest, RestoreRequest};
use archivedesk::{Archive, Error};
use std::path::{Path, PathBuf};

pub const PASSPHRASE_VARIABLE: &str = "ARCHIVEDESK_BACKUP_PASSPHRASE";

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The folder the backup goes into (default: the daily backup's folder from 设置).
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// Encrypt with the passphrase in this file (or in ARCHIVEDESK_BACKUP_PASSPHRASE).
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup's folder (the one holding manifest.json).
    pub from: PathBuf,
    /// A scan folder that moved: its old path (as the backup names it) = its new path.
    #[arg(long = "scan-root", value_name = "OLD=NEW")]
    pub scan_roots: Vec<String>,
    /// Restore although some scan folders cannot be found now.
    #[arg(long)]
    pub allow_missing_scans: bool,
    /// A folder holding this archive's anchors (the second folder moved, or the old data
    /// folder's anchors survived): certificate numbers they know are not issued again.
    #[arg(long = "anchors", value_name = "DIR")]
    pub anchor_folders: Vec<PathBuf>,
    /// The passphrase of an encrypted backup, in this file (or in ARCHIVEDESK_BACKUP_PASSPHRASE).
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

/// The passphrase from the environment, if set.
pub fn passphrase_from_environment() -> Result<Option<String>, Error> {
    Ok(std::env::var(PASSPHRASE_VARIABLE).ok())
}

fn passphrase(file: Option<&Path>) -> Result<Option<String>, Error> {
    match file {
        Some(file) => std::fs::read_to_string(file)
            .map(|text| Some(text.trim_end_matches(['\r', '\n']).to_string()))
            .map_err(|e| invalid(format!("无法读取密码文件「{}」：{e}", file.display()))),
        None => passphrase_from_environment(),
    }
}

pub fn backup(archive: &mut Archive, args: BackupArgs) -> Result<i32, Error> {
    let report = archive.backup(&BackupRequest {
        to: args.to.map(|t| t.display().to_string()),
        passphrase: passphrase(args.passphrase_file.as_deref())?,
    })?;
    if args.json {
        print_json(&report);
    } else {
        println!(
            "已备份到「{}」（{}，{:.1} MB）：{} 份案卷、{} 条人员行、{} 次登记、{} 份证明、审计日志 {} 条",
            report.folder,
            if report.encrypted { "已加密" } else { "未加密" },
            report.bytes as f64 / 1e6,
            report.counts.documents,
            report.counts.entries,
            report.counts.requests,
            report.counts.certificates,
            report.counts.audit_rows
        );
        for old in &report.removed {
            println!("已删除超出保留份数的旧备份「{old}」");
        }
    }
    Ok(0)
}

pub fn restore(data_dir: &Path, args: RestoreArgs) -> Result<i32, Error> {
    let scan_roots = args
        .scan_roots
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(old, new)| (old.to_string(), new.to_string()))
                .ok_or_else(|| invalid(format!("--scan-root 应写作 旧位置=新位置，不是「{pair}」")))
        })
        .collect::<Result<_, _>>()?;
    let request = RestoreRequest {
        from: args.from.display().to_string(),
        passphrase: passphrase(args.passphrase_file.as_deref())?,
        scan_roots,
        allow_missing_scans: args.allow_missing_scans,
        anchor_folders: args
            .anchor_folders
            .iter()
            .map(|f| f.display().to_string())
            .collect(),
    };
    let (_, report) = Archive::restore(data_dir, &request)?;
    if args.json {
        print_json(&report);
    } else {
        println!(
            "已从「{}」（{} 的备份）恢复到「{}」：{} 份案卷、{} 条人员行、{} 次登记、{} 份证明，审计日志 {} 条已校验",
            report.from,
            report.taken_at,
            data_dir.display(),
            report.counts.documents,
            report.counts.entries,
            report.counts.requests,
            report.counts.certificates,
            report.counts.audit_rows
        );
        if report.anchors_after_backup > 0 {
            println!(
                "备份之后还写过 {} 个审计锚点：备份之后的记录不在这份备份里，恢复已记入审计日志",
                report.anchors_after_backup
            );
        }
        for (key, seq) in &report.certificate_floors {
            println!("证明编号 {key} 从第 {} 号起接着编", seq + 1);
        }
        for (old, new) in &report.scan_roots_moved {
            println!("扫描件文件夹「{old}」改指向「{new}」");
        }
        for missing in &report.scan_roots_missing {
            println!("注意：扫描件文件夹「{missing}」现在找不到，其页面将显示缺失");
        }
        println!("检索索引已重建：{} 条", report.index_documents);
    }
    Ok(0)
}
