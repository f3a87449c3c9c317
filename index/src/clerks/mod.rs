//! Clerks at the desk: local accounts with argon2id password hashes, a role each, and the
//! caller every operation acts for. The first account made is the supervisor who makes the rest,
//! disables them, changes their roles and resets their passwords (`accounts`).

pub mod accounts;
pub mod passwords;
pub mod throttle;

use crate::api::{Caller, ClerkView, NewClerk, Role};
use crate::audit::{self, Event};
use crate::error::{Error, ErrorCode, Result};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

impl Caller {
    /// The command line acts as the machine's local operator: whoever can run it can read the
    /// data folder anyway. It never waits on a password prompt, and the trail names it as such.
    pub fn local_operator() -> Caller {
        Caller {
            clerk_id: None,
            login: "local".into(),
            display_name: "本机操作员".into(),
            role: Role::Supervisor,
            desk: None,
        }
    }

    pub fn is_supervisor(&self) -> bool {
        self.role == Role::Supervisor
    }

    /// Refuses what only a supervisor may do.
    pub fn require_supervisor(&self, what: &str) -> Result<()> {
        if self.is_supervisor() {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::Forbidden,
                format!("{what}需要主管权限，请主管登录后操作"),
            ))
        }
    }
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Supervisor => "supervisor",
        }
    }

    fn parse(key: &str) -> Role {
        if key == "supervisor" {
            Role::Supervisor
        } else {
            Role::Clerk
        }
    }
}

pub fn has_clerks(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM clerks)", [], |r| r.get(0))?)
}

/// An argon2id PHC string of `password` with a fresh salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    gated(|| {
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("无法保存密码：{e}")))
}

/// Makes an account. Only a supervisor may, except for the very first account, which is made
/// a supervisor whatever was asked (first run creates the admin).
pub fn create(conn: &Connection, caller: Option<&Caller>, new: &NewClerk) -> Result<ClerkView> {
    let first = !has_clerks(conn)?;
    if !first {
        match caller {
            Some(c) => c.require_supervisor("新增工作人员")?,
            None => {
                return Err(Error::new(
                    ErrorCode::Unauthorized,
                    "已有工作人员账号，请先登录",
                ))
            }
        }
    }
    let login = new.login.trim();
    if login.is_empty() || login.chars().any(char::is_whitespace) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "登录名不能为空，也不能含空格",
        ));
    }
    if new.display_name.trim().is_empty() {
        return Err(Error::new(ErrorCode::InvalidRequest, "请填写姓名"));
    }
    passwords::check(&new.password, login)?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM clerks WHERE login = ?1)",
        [login],
        |r| r.get(0),
    )?;
    if exists {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("登录名「{login}」已被使用"),
        ));
    }
    let role = if first { Role::Supervisor } else { new.role };
    let hash = hash_password(&new.password)?;
    let now = crate::store::now_text();
    conn.execute(
        "INSERT INTO clerks (login, display_name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![login, new.display_name.trim(), role.key(), hash, now],
    )?;
    let id = conn.last_insert_rowid();
    let view = get(conn, id)?;
    let by = caller.cloned().unwrap_or_else(|| as_caller(&view));
    audit::append(
        conn,
        &by,
        Event::new(
            "clerk_create",
            Some(format!("clerk:{login}")),
            json!({ "login": login, "role": role.key(), "first_run": first }),
        ),
    )?;
    Ok(view)
}

const COLUMNS: &str =
    "id, login, display_name, role, created_at, disabled_at, must_change_password, session_epoch";

fn view_row(r: &rusqlite::Row) -> rusqlite::Result<ClerkView> {
    Ok(ClerkView {
        id: r.get(0)?,
        login: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::parse(&r.get::<_, String>(3)?),
        created_at: r.get(4)?,
        disabled: r.get::<_, Option<String>>(5)?.is_some(),
        must_change_password: r.get(6)?,
        failed_logins: 0,
        login_delay_seconds: None,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<ClerkView> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM clerks WHERE id = ?1"),
        [id],
        view_row,
    )
    .optional()?
    .ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("没有编号为 {id} 的工作人员账号"),
        )
    })
}

pub fn list(conn: &Connection) -> Result<Vec<ClerkView>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM clerks ORDER BY id"))?;
    let rows = stmt.query_map([], view_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn as_caller(clerk: &ClerkView) -> Caller {
    Caller {
        clerk_id: Some(clerk.id),
        login: clerk.login.clone(),
        display_name: clerk.display_name.clone(),
        role: clerk.role,
        desk: None,
    }
}

/// An account as a login sees it: who, whether it may log in, and the epoch its logins belong
/// to (any change to the account moves it on, ending them).
#[derive(Debug, Clone)]
pub struct Account {
    pub clerk: ClerkView,
    pub password_hash: String,
    pub epoch: i64,
}

/// The account named `login`, if there is one.
pub fn account_by_login(conn: &Connection, login: &str) -> Result<Option<Account>> {
    account_where(conn, "login = ?1", &login.trim())
}

pub fn account_by_id(conn: &Connection, id: i64) -> Result<Option<Account>> {
    account_where(conn, "id = ?1", &id)
}

fn account_where(
    conn: &Connection,
    filter: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<Option<Account>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS}, password_hash FROM clerks WHERE {filter}"),
            [value],
            |r| {
                Ok(Account {
                    clerk: view_row(r)?,
                    epoch: r.get(7)?,
                    password_hash: r.get(8)?,
                })
            },
        )
        .optional()?)
}

/// A hash to check against when the login does not exist, so that an unknown login takes as
/// long to refuse as a wrong password (logins cannot be told apart by the time of the answer).
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
}

/// Password checks running at once: each takes argon2id's memory (19 MiB) and a core for a
/// moment, so a flood of logins queues here instead of exhausting a counter PC.
const CHECKS_AT_ONCE: usize = 2;

struct Gate {
    running: Mutex<usize>,
    freed: Condvar,
}

static CHECKS: Gate = Gate {
    running: Mutex::new(0),
    freed: Condvar::new(),
};

/// Runs `work` once fewer than `CHECKS_AT_ONCE` others run.
fn gated<T>(work: impl FnOnce() -> T) -> T {
    let lock = || {
        CHECKS
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    };
    let mut running = lock();
    while *running >= CHECKS_AT_ONCE {
        running = CHECKS
            .freed
            .wait(running)
            .unwrap_or_else(PoisonError::into_inner);
    }
    *running += 1;
    drop(running);
    let value = work();
    *lock() -= 1;
    CHECKS.freed.notify_one();
    value
}

/// Checks `password` against the account's hash (or a dummy one): slow on purpose (argon2id),
/// so it runs without holding the archive.
pub fn password_matches(account: Option<&Account>, password: &str) -> bool {
    let hash = account.map_or(dummy_hash(), |a| a.password_hash.as_str());
    let matches = gated(|| {
        PasswordHash::new(hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    });
    matches && account.is_some()
}

/// Who a failed login is recorded as: the login typed when it exists, never the text of one that
/// does not (a password typed into the login box must not stay in the append-only trail).
pub fn failed_login_caller(account: Option<&Account>) -> Caller {
    Caller {
        clerk_id: None,
        login: account.map_or_else(|| "（未知账号）".to_string(), |a| a.clerk.login.clone()),
        display_name: "未登录".into(),
        role: Role::Clerk,
        desk: None,
    }
}
