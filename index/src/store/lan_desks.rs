//! The desks enrolled at the LAN door (`lan_desks`): found by their key's pin, listed and
//! revoked. Callers write the audit row in the same transaction.

use crate::api::LanDesk;
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension};

const COLUMNS: &str = "code, name, pin, enrolled_at, enrolled_by, revoked_at";

fn desk(r: &rusqlite::Row) -> rusqlite::Result<LanDesk> {
    Ok(LanDesk {
        code: r.get(0)?,
        name: r.get(1)?,
        pin: r.get(2)?,
        enrolled_at: r.get(3)?,
        enrolled_by: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

/// The desk holding the key with this pin, revoked or not.
pub fn by_pin(conn: &Connection, pin: &str) -> Result<Option<LanDesk>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM lan_desks WHERE pin = ?1"),
            [pin],
            desk,
        )
        .optional()?)
}

pub fn all(conn: &Connection) -> Result<Vec<LanDesk>> {
    let mut statement = conn.prepare(&format!("SELECT {COLUMNS} FROM lan_desks ORDER BY code"))?;
    let desks = statement
        .query_map([], desk)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(desks)
}

/// The first letter after `host_code` that no desk ever had.
pub fn next_code(conn: &Connection, host_code: &str) -> Result<String> {
    let mut taken: Vec<String> = all(conn)?.into_iter().map(|d| d.code).collect();
    // Codes a PC that joined with its history printed on its certificates stay theirs.
    let mut printed = conn.prepare("SELECT DISTINCT desk FROM certificates")?;
    for code in printed.query_map([], |r| r.get::<_, String>(0))? {
        taken.push(code?);
    }
    ('B'..='Z')
        .map(String::from)
        .find(|c| c != host_code && !taken.contains(c))
        .ok_or_else(|| Error::new(ErrorCode::InvalidRequest, "柜台代码 B–Z 已全部用过"))
}

pub fn enrol(conn: &Connection, desk: &LanDesk) -> Result<()> {
    if by_pin(conn, &desk.pin)?.is_some() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "这台电脑已经登记为柜台；要换柜台名称或代码，请先撤销它",
        ));
    }
    let used: Option<String> = conn
        .query_row(
            "SELECT name FROM lan_desks WHERE code = ?1",
            [&desk.code],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(name) = used {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "柜台代码「{}」已由「{name}」用过：证明编号按柜台代码排，代码不能重复使用",
                desk.code
            ),
        ));
    }
    conn.execute(
        "INSERT INTO lan_desks(code, name, pin, enrolled_at, enrolled_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![desk.code, desk.name, desk.pin, desk.enrolled_at, desk.enrolled_by],
    )?;
    Ok(())
}

/// Marks the desk revoked; false when there is no such desk still enrolled.
pub fn revoke(conn: &Connection, code: &str, at: &str, by: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE lan_desks SET revoked_at = ?2, revoked_by = ?3 WHERE code = ?1 AND revoked_at IS NULL",
        params![code, at, by],
    )?;
    Ok(changed == 1)
}
