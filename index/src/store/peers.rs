//! Other archives this one talks to (`peers`): added, found by their key's pin, listed and
//! removed. Callers write the audit row in the same transaction.

use crate::api::Peer;
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension};

const COLUMNS: &str = "id, name, address, pin, added_at, added_by";

/// Where the province's shared key for keyed ID hashes is kept (`meta`), in hex.
pub const HASH_KEY: &str = "peer_hash_key";
/// The province the peer list came from (`meta`).
pub const PROVINCE_KEY: &str = "peer_province";

fn peer(r: &rusqlite::Row) -> rusqlite::Result<Peer> {
    Ok(Peer {
        id: r.get(0)?,
        name: r.get(1)?,
        address: r.get(2)?,
        pin: r.get(3)?,
        added_at: r.get(4)?,
        added_by: r.get(5)?,
    })
}

/// The peer holding the key with this pin, unless it was removed.
pub fn by_pin(conn: &Connection, pin: &str) -> Result<Option<Peer>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM peers WHERE pin = ?1 AND removed_at IS NULL"),
            [pin],
            peer,
        )
        .optional()?)
}

/// The peers not removed, by name.
pub fn all(conn: &Connection) -> Result<Vec<Peer>> {
    let mut statement = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM peers WHERE removed_at IS NULL ORDER BY name, id"
    ))?;
    let peers = statement
        .query_map([], peer)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(peers)
}

/// The keys of peers a supervisor removed (and did not add again).
pub fn removed_pins(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare("SELECT pin FROM peers WHERE removed_at IS NOT NULL")?;
    let pins = statement
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(pins)
}

/// Adds a peer, or takes one removed before back in (with its new name and address). A name
/// or key already in use by another peer is refused.
pub fn add(
    conn: &Connection,
    name: &str,
    address: &str,
    pin: &str,
    at: &str,
    by: &str,
) -> Result<Peer> {
    let named: Option<String> = conn
        .query_row(
            "SELECT pin FROM peers WHERE name = ?1 AND removed_at IS NULL",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if named.is_some_and(|p| p != pin) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("已有名为「{name}」的档案馆，密钥不同：如果它换了密钥，请先删除再添加"),
        ));
    }
    if let Some(existing) = by_pin(conn, pin)? {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("这个密钥已属于「{}」", existing.name),
        ));
    }
    conn.execute(
        "INSERT INTO peers(name, address, pin, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(pin) DO UPDATE SET name = excluded.name, address = excluded.address,
             added_at = excluded.added_at, added_by = excluded.added_by,
             removed_at = NULL, removed_by = NULL",
        params![name, address, pin, at, by],
    )?;
    by_pin(conn, pin)?.ok_or_else(|| Error::new(ErrorCode::Io, "添加的档案馆没有保存下来"))
}

/// A peer's new address (a peer list that moved it); its key stays.
pub fn move_to(conn: &Connection, id: i64, address: &str) -> Result<()> {
    conn.execute(
        "UPDATE peers SET address = ?2 WHERE id = ?1",
        params![id, address],
    )?;
    Ok(())
}

/// Removes a peer: from now on its key is refused. Answers the peer removed.
pub fn remove(conn: &Connection, id: i64, at: &str, by: &str) -> Result<Peer> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM peers WHERE id = ?1 AND removed_at IS NULL"),
            [id],
            peer,
        )
        .optional()?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的档案馆")))?;
    conn.execute(
        "UPDATE peers SET removed_at = ?2, removed_by = ?3 WHERE id = ?1",
        params![id, at, by],
    )?;
    Ok(found)
}
