//! Accounts and the counter's protections from the command line: clerks added, listed,
//! disabled, re-roled, reset and let back in, and the settings of logins and anchors. The
//! command line acts as the local operator; passwords come from ARCHIVEDESK_PASSWORD.

use super::invalid;
use super::print_json;
use archivedesk::api::{ClearLoginDelay, ClerkChange, DeskSettings, NewClerk, Role};
use archivedesk::{Archive, Error, ErrorCode};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ClerkCommand {
    /// Make an account (the first one made is the supervisor). The password is read from the
    /// environment variable ARCHIVEDESK_PASSWORD, never from the command line.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// clerk or supervisor.
        #[arg(long, default_value = "clerk")]
        role: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop an account from logging in (its logins end at once).
    Disable { login: String },
    /// Let a disabled account log in again.
    Enable { login: String },
    /// Change an account's role: clerk or supervisor.
    Role { login: String, role: String },
    /// Set a new password (from ARCHIVEDESK_PASSWORD) that the clerk must change at the next
    /// login.
    ResetPassword { login: String },
    /// Let a login slowed down by failed attempts be tried again at once.
    ClearDelay { login: String },
}

/// The counter's protections: how long an idle login lasts, and the second folder the audit
/// trail's anchors go to.
#[derive(clap::Args)]
pub struct SettingsArgs {
    /// Minutes without a request after which a login ends (1–720).
    #[arg(long)]
    pub idle_minutes: Option<i64>,
    /// A second folder (another drive) for the audit trail's anchors; "" to stop using one.
    #[arg(long, value_name = "DIR")]
    pub anchor_mirror: Option<String>,
    /// The daily backup's folder (another drive); "" turns the daily backup off.
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<String>,
    /// The daily backup's time of day, such as 18:30.
    #[arg(long, value_name = "HH:MM")]
    pub backup_time: Option<String>,
    /// How many backups of this archive the folder keeps.
    #[arg(long, value_name = "N")]
    pub backup_keep: Option<i64>,
    /// Days a request's proof files are kept after it closed.
    #[arg(long, value_name = "DAYS")]
    pub proof_retention: Option<i64>,
    /// Encrypt the daily backups with the passphrase in the environment variable
    /// ARCHIVEDESK_BACKUP_PASSPHRASE ("" there turns encryption off).
    #[arg(long)]
    pub backup_encrypt: bool,
    #[arg(long)]
    pub json: bool,
}

fn parse_role(role: &str) -> Result<Role, Error> {
    match role {
        "clerk" => Ok(Role::Clerk),
        "supervisor" => Ok(Role::Supervisor),
        other => Err(invalid(format!("角色「{other}」应为 clerk 或 supervisor"))),
    }
}

fn password_from_environment(what: &str) -> Result<String, Error> {
    std::env::var("ARCHIVEDESK_PASSWORD")
        .map_err(|_| invalid(format!("请在环境变量 ARCHIVEDESK_PASSWORD 中给出{what}")))
}

/// A supervisor's change to the account named `login`.
fn change_account(archive: &mut Archive, login: &str, change: ClerkChange) -> Result<(), Error> {
    let clerk = archive
        .clerks()?
        .into_iter()
        .find(|c| c.login == login.trim())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                format!("没有登录名为「{login}」的账号"),
            )
        })?;
    let changed = archive.change_clerk(&ClerkChange {
        clerk_id: clerk.id,
        ..change
    })?;
    println!(
        "已修改账号 {}（{}）：{}{}{}",
        changed.login,
        changed.display_name,
        if changed.role == Role::Supervisor {
            "主管"
        } else {
            "工作人员"
        },
        if changed.disabled { "，已停用" } else { "" },
        if changed.must_change_password {
            "，下次登录须改密码"
        } else {
            ""
        }
    );
    Ok(())
}

pub fn settings(archive: &mut Archive, args: SettingsArgs) -> Result<i32, Error> {
    let backup_passphrase = if args.backup_encrypt {
        Some(
            super::backup::passphrase_from_environment()?.ok_or_else(|| {
                invalid(format!(
                    "--backup-encrypt 需要在环境变量 {} 中给出备份密码（给空值则不再加密）",
                    super::backup::PASSPHRASE_VARIABLE
                ))
            })?,
        )
    } else {
        None
    };
    let changes = args.idle_minutes.is_some()
        || args.anchor_mirror.is_some()
        || args.backup_dir.is_some()
        || args.backup_time.is_some()
        || args.backup_keep.is_some()
        || args.proof_retention.is_some()
        || backup_passphrase.is_some();
    let settings = if changes {
        archive.set_desk_settings(&DeskSettings {
            idle_minutes: args.idle_minutes,
            anchor_mirror_dir: args.anchor_mirror,
            backup_dir: args.backup_dir,
            backup_time: args.backup_time,
            backup_keep: args.backup_keep,
            backup_passphrase,
            proof_retention_days: args.proof_retention,
        })?
    } else {
        archive.desk_settings()?
    };
    if args.json {
        print_json(&settings);
    } else {
        println!(
            "无操作自动退出：{} 分钟",
            settings.idle_minutes.unwrap_or_default()
        );
        println!(
            "审计锚点第二存放位置：{}",
            settings
                .anchor_mirror_dir
                .as_deref()
                .filter(|d| !d.is_empty())
                .unwrap_or("（未设置）")
        );
        let status = archive.backup_status()?;
        match (&status.folder, &status.time) {
            (Some(folder), Some(time)) => println!(
                "每日备份：{time} 备份到「{folder}」，保留 {} 份{}",
                status.keep,
                if status.encrypted { "，加密" } else { "" }
            ),
            _ => println!("每日备份：（未设置）"),
        }
        println!(
            "证明材料保存期：查档结束后 {} 天",
            settings.proof_retention_days.unwrap_or_default()
        );
    }
    Ok(0)
}

pub fn clerk(archive: &mut Archive, what: ClerkCommand) -> Result<i32, Error> {
    match what {
        ClerkCommand::Disable { login } => change_account(
            archive,
            &login,
            ClerkChange {
                disabled: Some(true),
                ..ClerkChange::default()
            },
        )?,
        ClerkCommand::Enable { login } => change_account(
            archive,
            &login,
            ClerkChange {
                disabled: Some(false),
                ..ClerkChange::default()
            },
        )?,
        ClerkCommand::Role { login, role } => change_account(
            archive,
            &login,
            ClerkChange {
                role: Some(parse_role(&role)?),
                ..ClerkChange::default()
            },
        )?,
        ClerkCommand::ResetPassword { login } => change_account(
            archive,
            &login,
            ClerkChange {
                reset_password: Some(password_from_environment("重设的密码")?),
                ..ClerkChange::default()
            },
        )?,
        ClerkCommand::ClearDelay { login } => {
            archive.clear_login_delay(&ClearLoginDelay {
                login: login.clone(),
            })?;
            println!("已解除账号 {login} 的登录限制");
        }
        ClerkCommand::Add {
            login,
            name,
            role,
            json,
        } => {
            let role = parse_role(&role)?;
            let password = password_from_environment("新账号的密码")?;
            let clerk = archive.create_clerk(&NewClerk {
                login,
                display_name: name,
                role,
                password,
            })?;
            if json {
                print_json(&clerk);
            } else {
                println!("已新增账号 {}（{}）", clerk.login, clerk.display_name);
            }
        }
        ClerkCommand::List { json } => {
            let clerks = archive.clerks()?;
            if json {
                print_json(&clerks);
            } else {
                for c in clerks {
                    println!(
                        "{}  {}  {}{}{}{}",
                        c.login,
                        c.display_name,
                        if c.role == Role::Supervisor {
                            "主管"
                        } else {
                            "工作人员"
                        },
                        if c.disabled { "（已停用）" } else { "" },
                        if c.must_change_password {
                            "（须改密码）"
                        } else {
                            ""
                        },
                        match c.login_delay_seconds {
                            Some(s) =>
                                format!("（登录失败 {} 次，{s} 秒后可再试）", c.failed_logins),
                            None => String::new(),
                        }
                    );
                }
            }
        }
    }
    Ok(0)
}
