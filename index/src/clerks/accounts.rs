//! Managing accounts: a supervisor disables a clerk, changes a role or resets a password (which
//! the clerk must change at the next login); a clerk changes their own. Every change moves the
//! account's epoch on, which ends its logins at once in every door (see `logins`), and is
//! recorded in the caller's transaction.

use super::{account_by_id, get, hash_password, passwords};

use crate::api::{Caller, ClerkChange, ClerkView, Role};
use crate::audit::{self, Event};
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection};
use serde_json::json;

fn supervisors_left(conn: &Connection, without: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM clerks WHERE role = 'supervisor' AND disabled_at IS NULL AND id <> ?1",
        [without],
        |r| r.get(0),
    )?)
}

/// A supervisor's change to another account (or their own role/state, as long as a supervisor
/// remains who can undo it).
pub fn change(conn: &Connection, caller: &Caller, change: &ClerkChange) -> Result<ClerkView> {
    caller.require_supervisor("管理工作人员账号")?;
    let account = account_by_id(conn, change.clerk_id)?.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("没有编号为 {} 的工作人员账号", change.clerk_id),
        )
    })?;
    let login = account.clerk.login.clone();
    let losing_supervisor = account.clerk.role == Role::Supervisor
        && !account.clerk.disabled
        && (change.role == Some(Role::Clerk) || change.disabled == Some(true));
    if losing_supervisor && supervisors_left(conn, account.clerk.id)? == 0 {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "这是唯一在用的主管账号；请先让另一位工作人员成为主管",
        ));
    }
    let mut done = serde_json::Map::new();
    if let Some(role) = change.role {
        conn.execute(
            "UPDATE clerks SET role = ?2 WHERE id = ?1",
            params![account.clerk.id, role.key()],
        )?;
        done.insert("role".into(), json!(role.key()));
    }
    if let Some(disabled) = change.disabled {
        conn.execute(
            "UPDATE clerks SET disabled_at = CASE WHEN ?2 THEN COALESCE(disabled_at, ?3) ELSE NULL END WHERE id = ?1",
            params![account.clerk.id, disabled, crate::store::now_text()],
        )?;
        done.insert("disabled".into(), json!(disabled));
    }
    if let Some(password) = change.reset_password.as_deref() {
        passwords::check(password, &login)?;
        conn.execute(
            "UPDATE clerks SET password_hash = ?2, must_change_password = 1 WHERE id = ?1",
            params![account.clerk.id, hash_password(password)?],
        )?;
        done.insert("password_reset".into(), json!(true));
    }
    if done.is_empty() {
        return Err(Error::new(ErrorCode::InvalidRequest, "没有要修改的内容"));
    }
    end_logins(conn, account.clerk.id)?;
    audit::append(
        conn,
        caller,
        Event::new(
            "clerk_change",
            Some(format!("clerk:{login}")),
            serde_json::Value::Object(done),
        ),
    )?;
    get(conn, account.clerk.id)
}

/// A clerk's own new password, already checked against the rules and hashed (both outside the
/// archive: argon2 is slow on purpose); recorded, and every login of the clerk ends.
pub fn set_own_password_hash(conn: &Connection, caller: &Caller, hash: &str) -> Result<()> {
    let id = caller
        .clerk_id
        .ok_or_else(|| Error::new(ErrorCode::InvalidRequest, "本机操作员没有密码可改"))?;
    conn.execute(
        "UPDATE clerks SET password_hash = ?2, must_change_password = 0 WHERE id = ?1",
        params![id, hash],
    )?;
    end_logins(conn, id)?;
    audit::append(
        conn,
        caller,
        Event::new(
            "password_change",
            Some(format!("clerk:{}", caller.login)),
            json!({}),
        ),
    )?;
    Ok(())
}

/// Moves the account's epoch on: every login made before ends at its next request.
fn end_logins(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE clerks SET session_epoch = session_epoch + 1 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}
