//! The desk's journal: a second, small SQLite file beside the archive (`journal.sqlite3`) for
//! what must be written at once even while an import holds the archive's database for minutes —
//! the looks of the audit trail (a search, a record or a page viewed, a login) before they are
//! chained into `audit_log`, and the failed logins that slow the next attempt down. Every write
//! is committed with synchronous=FULL: a look the clerk's screen has shown survives a killed
//! process and a power cut.

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;

pub const JOURNAL_FILE: &str = "journal.sqlite3";

/// How long a journal write waits for another desk's journal write (they take milliseconds).
const JOURNAL_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

const MIGRATIONS: &[&str] = &[
    r#"
-- Looks not yet chained into the archive's audit_log, in the order they happened. A row is
-- chained by the next act (or when the archive is closed or opened) and then deleted.
CREATE TABLE looks (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT,
    detail  TEXT NOT NULL
);

-- Failed logins per login and address (the login is kept as a hash: a password typed into the
-- login box must not stay on disk).
CREATE TABLE login_failures (
    login_hash    TEXT NOT NULL,
    address       TEXT NOT NULL,
    failures      INTEGER NOT NULL,
    last_failure  INTEGER NOT NULL,     -- Unix seconds
    blocked_until INTEGER,              -- Unix seconds; no attempt is checked before it
    PRIMARY KEY (login_hash, address)
);
"#,
    r#"
-- How the last backup went: written when it ends, also while an import holds the archive's
-- database (a backup runs beside an import).
CREATE TABLE desk_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
];

pub struct Journal {
    pub conn: Connection,
}

impl Journal {
    pub fn open(data_dir: &Path) -> Result<Journal> {
        let path = data_dir.join(JOURNAL_FILE);
        let failed = |e: rusqlite::Error| Error::opening_database(&path, e);
        let conn = Connection::open(&path).map_err(failed)?;
        conn.busy_timeout(JOURNAL_WAIT).map_err(failed)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(failed)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(failed)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut conn = conn;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Journal { conn })
    }
}

impl Journal {
    pub fn state(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM desk_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_state(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO desk_state (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}
