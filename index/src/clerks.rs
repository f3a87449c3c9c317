//! Clerks at the desk: local accounts with argon2id password hashes, a role each, and the
//! caller every operation acts for. The first account made is the supervisor who makes the rest.

use crate::api::{Caller, ClerkView, LoginRequest, NewClerk, Role};
use crate::audit::{self, Event};
use crate::error::{Error, ErrorCode, Result};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

impl Caller {
    /// The command line acts as the machine's local operator: whoever can run it can read the
    /// data folder anyway. It never waits on a password prompt, and the trail names it as such.
    pub fn local_operator() -> Caller {
        Caller {
            clerk_id: None,
            login: "local".into(),
            display_name: "本机操作员".into(),
            role: Role::Supervisor,
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
    fn key(self) -> &'static str {
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

const MIN_PASSWORD_CHARS: usize = 8;

pub fn has_clerks(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM clerks)", [], |r| r.get(0))?)
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
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"),
        ));
    }
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
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(new.password.as_bytes(), &salt)
        .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("无法保存密码：{e}")))?
        .to_string();
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

fn view_row(r: &rusqlite::Row) -> rusqlite::Result<ClerkView> {
    Ok(ClerkView {
        id: r.get(0)?,
        login: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::parse(&r.get::<_, String>(3)?),
        created_at: r.get(4)?,
        disabled: r.get::<_, Option<String>>(5)?.is_some(),
    })
}

fn get(conn: &Connection, id: i64) -> Result<ClerkView> {
    Ok(conn.query_row(
        "SELECT id, login, display_name, role, created_at, disabled_at FROM clerks WHERE id = ?1",
        [id],
        view_row,
    )?)
}

pub fn list(conn: &Connection) -> Result<Vec<ClerkView>> {
    let mut stmt = conn.prepare(
        "SELECT id, login, display_name, role, created_at, disabled_at FROM clerks ORDER BY id",
    )?;
    let rows = stmt.query_map([], view_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn as_caller(clerk: &ClerkView) -> Caller {
    Caller {
        clerk_id: Some(clerk.id),
        login: clerk.login.clone(),
        display_name: clerk.display_name.clone(),
        role: clerk.role,
    }
}

/// Checks a clerk's password: the clerk, or None for a wrong login or password (one answer
/// for both, so that it does not tell which logins exist). Recording the attempt is the
/// caller's (see `Archive::login`).
pub fn check_password(conn: &Connection, request: &LoginRequest) -> Result<Option<Caller>> {
    let row: Option<(ClerkView, String)> = conn
        .query_row(
            "SELECT id, login, display_name, role, created_at, disabled_at, password_hash FROM clerks WHERE login = ?1",
            [request.login.trim()],
            |r| Ok((view_row(r)?, r.get(6)?)),
        )
        .optional()?;
    Ok(row.and_then(|(clerk, hash)| {
        let parsed = PasswordHash::new(&hash).ok()?;
        Argon2::default()
            .verify_password(request.password.as_bytes(), &parsed)
            .ok()
            .filter(|_| !clerk.disabled)
            .map(|_| as_caller(&clerk))
    }))
}

/// Who a failed login is recorded as: the login typed when it exists, never the text of one that
/// does not (a password typed into the login box must not stay in the append-only trail).
pub fn failed_login_caller(conn: &Connection, typed: &str) -> Result<Caller> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM clerks WHERE login = ?1)",
        [typed.trim()],
        |r| r.get(0),
    )?;
    Ok(Caller {
        clerk_id: None,
        login: if exists {
            typed.trim().to_string()
        } else {
            "（未知账号）".to_string()
        },
        display_name: "未登录".into(),
        role: Role::Clerk,
    })
}
