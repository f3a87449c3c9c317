//! Who is at the desk: the caller operations act for, accounts and their management, the two
//! halves of a login (the password itself is checked between them without holding the archive,
//! see `session::Session::login`), the delays after failed logins, and the counter's settings.

use super::Archive;
use crate::api::{
    Caller, ClearLoginDelay, ClerkChange, ClerkView, DeskSettings, LoginRequest, NewClerk,
    PasswordChange,
};
use crate::audit::{anchors, Event};
use crate::backup::daily;
use crate::clerks::{self, throttle, Account};
use crate::error::{Error, ErrorCode, Result};
use crate::logins::{idle_minutes, IDLE_KEY};
use serde_json::json;

/// Where a login at the machine itself comes from (the desktop app, a test).
pub const LOCAL_ADDRESS: &str = "本机";

/// A login attempt taken (counted, see `clerks::throttle`): the account named, if any, and what
/// a failure would make of the count.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    pub account: Option<Account>,
    pub failures: i64,
    pub delay: i64,
}

/// A clerk's new password against the rules, before anything is checked or counted.
pub fn check_new_password(change: &PasswordChange, login: &str) -> Result<()> {
    if change.current_password == change.new_password {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "新密码不能与当前密码相同",
        ));
    }
    clerks::passwords::check(&change.new_password, login)
}

/// The longest idle time a supervisor may set, in minutes (a working day).
const MAX_IDLE_MINUTES: i64 = 12 * 60;
/// Ten years: longer than any retention a procedure asks for proofs.
const MAX_PROOF_RETENTION_DAYS: i64 = 3650;

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
        Ok(!clerks::has_clerks(&self.store.conn)?)
    }

    /// Makes an account: the first one freely (it becomes the supervisor), later ones by a
    /// supervisor.
    pub fn create_clerk(&mut self, new: &NewClerk) -> Result<ClerkView> {
        self.act(|tx, caller| {
            let first = !clerks::has_clerks(tx)?;
            clerks::create(tx, (!first).then_some(caller), new)
        })
    }

    /// Every account, with its failed logins and any delay on the next attempt (supervisors).
    pub fn clerks(&self) -> Result<Vec<ClerkView>> {
        self.caller.require_supervisor("查看工作人员账号")?;
        let now = throttle::now_seconds();
        let mut list = clerks::list(&self.store.conn)?;
        for clerk in &mut list {
            let (failures, until) = throttle::state(&self.journal.conn, &clerk.login, now)?;
            clerk.failed_logins = failures;
            clerk.login_delay_seconds = until.map(|u| u - now);
        }
        Ok(list)
    }

    /// A supervisor disables a clerk, changes a role or resets a password; recorded, and the
    /// clerk's logins end at once.
    pub fn change_clerk(&mut self, change: &ClerkChange) -> Result<ClerkView> {
        self.act(|tx, caller| clerks::accounts::change(tx, caller, change))
    }

    /// A clerk changes their own password at this machine, for a caller that holds the archive
    /// alone (the doors split it the way they split a login, see `session::Session`).
    pub fn change_own_password(&mut self, change: &PasswordChange) -> Result<Account> {
        let caller = self.caller.clone();
        check_new_password(change, &caller.login)?;
        let attempt = self.login_begin(&caller.login, LOCAL_ADDRESS)?;
        let matched = clerks::password_matches(attempt.account.as_ref(), &change.current_password);
        let hash = matched
            .then(|| clerks::hash_password(&change.new_password))
            .transpose()?;
        self.password_change_end(&caller.login, LOCAL_ADDRESS, attempt, hash)
    }

    /// The end of a clerk's own password change: `new_hash` when the current password was
    /// right. A wrong current password counts as a failed login (and is recorded); a right one
    /// stores the new password and ends every login of the clerk.
    pub fn password_change_end(
        &mut self,
        login: &str,
        address: &str,
        attempt: LoginAttempt,
        new_hash: Option<String>,
    ) -> Result<Account> {
        let who = self.caller.clone();
        let Some(hash) = new_hash else {
            self.failure_recorded(&who, address, &attempt, "password_change_failed")?;
            return Err(Error::new(ErrorCode::InvalidRequest, "当前密码不正确"));
        };
        throttle::succeeded(&self.journal.conn, login, address)?;
        self.act(|tx, caller| clerks::accounts::set_own_password_hash(tx, caller, &hash))?;
        let id = who
            .clerk_id
            .ok_or_else(|| Error::new(ErrorCode::InvalidRequest, "本机操作员没有密码可改"))?;
        clerks::account_by_id(&self.store.conn, id)?
            .ok_or_else(|| Error::new(ErrorCode::Unauthorized, "账号不存在，请重新登录"))
    }

    /// A whole login at this machine, for a caller that holds the archive alone (the doors
    /// split it, see `session::Session::login`).
    pub fn login(&mut self, request: &LoginRequest) -> Result<Caller> {
        let attempt = self.login_begin(&request.login, LOCAL_ADDRESS)?;
        let matched = clerks::password_matches(attempt.account.as_ref(), &request.password);
        let account = self.login_end(&request.login, LOCAL_ADDRESS, attempt, matched)?;
        Ok(clerks::as_caller(&account.clerk))
    }

    /// The first half of a login: refused at once (and recorded) while failed attempts slow
    /// this login at this address down; otherwise the attempt is counted (a success clears it)
    /// and the account to check the password against is given.
    pub fn login_begin(&mut self, login: &str, address: &str) -> Result<LoginAttempt> {
        let account = clerks::account_by_login(&self.store.conn, login)?;
        let now = throttle::now_seconds();
        match throttle::attempt(&mut self.journal.conn, login, address, now)? {
            throttle::Attempt::Wait(wait) => {
                let who = clerks::failed_login_caller(account.as_ref());
                self.record_look_as(
                    &who,
                    Event::new(
                        "login_slowed",
                        None,
                        json!({ "address": address, "wait_seconds": wait }),
                    ),
                )?;
                Err(Error::new(
                    ErrorCode::Throttled,
                    format!("登录失败次数过多，请 {wait} 秒后再试；或请主管解除限制"),
                ))
            }
            throttle::Attempt::Counted { failures, delay } => Ok(LoginAttempt {
                account,
                failures,
                delay,
            }),
        }
    }

    /// The second half: the outcome of the password check, recorded; a failure stays counted,
    /// and the delay it brings is recorded.
    pub fn login_end(
        &mut self,
        login: &str,
        address: &str,
        attempt: LoginAttempt,
        password_matched: bool,
    ) -> Result<Account> {
        match attempt.account.clone() {
            Some(account) if password_matched && !account.clerk.disabled => {
                throttle::succeeded(&self.journal.conn, login, address)?;
                self.record_look_as(
                    &clerks::as_caller(&account.clerk),
                    Event::new("login", None, json!({ "address": address })),
                )?;
                Ok(account)
            }
            Some(account) if password_matched => {
                throttle::succeeded(&self.journal.conn, login, address)?;
                self.record_look_as(
                    &clerks::failed_login_caller(Some(&account)),
                    Event::new(
                        "login_failed",
                        None,
                        json!({ "address": address, "why": "disabled" }),
                    ),
                )?;
                Err(Error::new(
                    ErrorCode::Unauthorized,
                    "这个账号已停用，请与主管联系",
                ))
            }
            account => {
                let who = clerks::failed_login_caller(account.as_ref());
                self.failure_recorded(&who, address, &attempt, "login_failed")?;
                Err(Error::new(ErrorCode::Unauthorized, "登录名或密码不正确"))
            }
        }
    }

    /// A wrong password on the trail, and the delay it brings when it brings one.
    fn failure_recorded(
        &mut self,
        who: &Caller,
        address: &str,
        attempt: &LoginAttempt,
        action: &'static str,
    ) -> Result<()> {
        self.record_look_as(
            who,
            Event::new(
                action,
                None,
                json!({ "address": address, "failures": attempt.failures }),
            ),
        )?;
        if attempt.delay > 0 {
            self.record_look_as(
                who,
                Event::new(
                    "login_delay",
                    None,
                    json!({ "address": address, "failures": attempt.failures,
                            "seconds": attempt.delay }),
                ),
            )?;
        }
        Ok(())
    }

    /// The clerk a login's token names now (see `logins`), with the idle time set in 设置.
    pub fn login_state(
        &self,
        logins: &crate::logins::Logins,
        token: &str,
    ) -> Result<crate::logins::AtDesk> {
        let idle = std::time::Duration::from_secs(idle_minutes(&self.store.conn)? as u64 * 60);
        logins.at_desk(token, &self.store.conn, idle)
    }

    /// A logout: recorded, and the clerk's views (the pages they may be served) forgotten.
    pub fn logout(&mut self) -> Result<()> {
        let clerk = crate::audit::actor(&self.caller);
        self.views.forget(&clerk);
        self.record_look(Event::new("logout", None, json!({})))
    }

    /// A supervisor lets a slowed login be tried again at once; recorded.
    pub fn clear_login_delay(&mut self, request: &ClearLoginDelay) -> Result<()> {
        self.caller.require_supervisor("解除登录限制")?;
        let cleared = throttle::clear(&self.journal.conn, &request.login)?;
        self.record(Event::new(
            "login_delay_cleared",
            Some(format!("clerk:{}", request.login.trim())),
            json!({ "addresses": cleared }),
        ))
    }

    /// The counter's settings as they are now.
    pub fn desk_settings(&self) -> Result<DeskSettings> {
        Ok(DeskSettings {
            idle_minutes: Some(idle_minutes(&self.store.conn)?),
            anchor_mirror_dir: self.store.meta(anchors::MIRROR_KEY)?,
            backup_dir: self.store.meta(daily::FOLDER_KEY)?,
            backup_time: self.store.meta(daily::TIME_KEY)?,
            backup_keep: Some(
                self.store
                    .meta(daily::KEEP_KEY)?
                    .and_then(|k| k.parse().ok())
                    .unwrap_or(daily::DEFAULT_KEEP),
            ),
            backup_passphrase: None,
            proof_retention_days: Some(crate::store::proofs::retention_days(&self.store.conn)?),
        })
    }

    /// A supervisor changes the counter's settings; recorded.
    pub fn set_desk_settings(&mut self, settings: &DeskSettings) -> Result<DeskSettings> {
        self.caller.require_supervisor("修改设置")?;
        if let Some(minutes) = settings.idle_minutes {
            if !(1..=MAX_IDLE_MINUTES).contains(&minutes) {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("无操作自动退出时间应为 1 至 {MAX_IDLE_MINUTES} 分钟"),
                ));
            }
        }
        let mirror = settings
            .anchor_mirror_dir
            .as_deref()
            .map(str::trim)
            .map(str::to_string);
        if let Some(dir) = mirror.as_deref().filter(|d| !d.is_empty()) {
            let path = std::path::Path::new(dir);
            if !path.is_absolute() {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("锚点的第二存放位置应为完整路径（如 D:\\审计锚点），不是「{dir}」"),
                ));
            }
            std::fs::create_dir_all(path).map_err(|e| {
                Error::new(
                    ErrorCode::Io,
                    format!("无法使用文件夹「{dir}」存放锚点：{e}"),
                )
            })?;
        }
        if let Some(days) = settings.proof_retention_days {
            if !(1..=MAX_PROOF_RETENTION_DAYS).contains(&days) {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("证明材料的保存期应为 1 至 {MAX_PROOF_RETENTION_DAYS} 天"),
                ));
            }
        }
        let backup = check_backup_settings(settings, &self.data_dir)?;
        self.act(|tx, caller| {
            let set = |key: &str, value: &str| {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )
            };
            if let Some(minutes) = settings.idle_minutes {
                set(IDLE_KEY, &minutes.to_string())?;
            }
            if let Some(dir) = mirror.as_deref() {
                set(anchors::MIRROR_KEY, dir)?;
            }
            for (key, value) in &backup {
                set(key, value)?;
            }
            if let Some(days) = settings.proof_retention_days {
                set(crate::store::proofs::RETENTION_KEY, &days.to_string())?;
            }
            crate::audit::append(
                tx,
                caller,
                Event::new(
                    "settings",
                    None,
                    json!({ "idle_minutes": settings.idle_minutes, "anchor_mirror_dir": mirror,
                            "backup_dir": settings.backup_dir, "backup_time": settings.backup_time,
                            "backup_keep": settings.backup_keep,
                            "proof_retention_days": settings.proof_retention_days,
                            // Whether it was set or cleared, never the passphrase itself.
                            "backup_encrypted": settings.backup_passphrase.as_deref().map(|p| !p.is_empty()) }),
                ),
            )
            .map(|_| ())
        })?;
        // The second folder gets every anchor written so far, then each new one.
        if let Some(dir) = mirror.as_deref().filter(|d| !d.is_empty()) {
            let uid = crate::store::archive_uid(&self.store.conn)?;
            anchors::copy_all(
                &self.data_dir.join(anchors::ANCHOR_FOLDER),
                &std::path::Path::new(dir).join(uid),
            )?;
            self.write_anchor()?;
        }
        self.desk_settings()
    }
}

/// The daily backup's settings checked, as (meta key, value) to store.
fn check_backup_settings(
    settings: &DeskSettings,
    data_dir: &std::path::Path,
) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    if let Some(dir) = settings.backup_dir.as_deref().map(str::trim) {
        if !dir.is_empty() {
            let path = std::path::Path::new(dir);
            if !path.is_absolute() {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("备份文件夹应为完整路径（如 E:\\档案备份），不是「{dir}」"),
                ));
            }
            if path.starts_with(data_dir) {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "备份文件夹不能在数据文件夹里：请选另一个磁盘或移动硬盘上的文件夹",
                ));
            }
            std::fs::create_dir_all(path).map_err(|e| {
                Error::new(
                    ErrorCode::Io,
                    format!("无法使用文件夹「{dir}」存放备份：{e}"),
                )
            })?;
        }
        out.push((daily::FOLDER_KEY, dir.to_string()));
    }
    if let Some(time) = settings.backup_time.as_deref().map(str::trim) {
        if daily::parse_time(time).is_none() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("每日备份时间应写作 时:分（如 18:30），不是「{time}」"),
            ));
        }
        out.push((daily::TIME_KEY, time.to_string()));
    }
    if let Some(keep) = settings.backup_keep {
        if !(1..=daily::MAX_KEEP).contains(&keep) {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("保留的备份份数应为 1 至 {} 份", daily::MAX_KEEP),
            ));
        }
        out.push((daily::KEEP_KEY, keep.to_string()));
    }
    if let Some(passphrase) = settings.backup_passphrase.as_deref() {
        if !passphrase.is_empty() {
            crate::backup::encryption::check_passphrase(passphrase)?;
        }
        out.push((daily::PASSPHRASE_KEY, passphrase.to_string()));
    }
    Ok(out)
}
