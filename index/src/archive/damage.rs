//! A damaged database is refused with what to do about it: the last good backup, named. The
//! full check is too slow for every start (minutes on a large archive); a quick check runs in
//! the background after the archive opened (see `Session::check_in_background`).

use crate::backup::daily;
use crate::error::{Error, ErrorCode};
use crate::store::journal::Journal;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// `PRAGMA quick_check` on a connection of its own, read-only: what SQLite found when the
/// database is damaged, None when it is sound — or cannot be checked now (busy, locked, a
/// drive away), which is no reason to stop the counter.
pub fn quick_check(data_dir: &Path) -> Option<String> {
    let path = data_dir.join(crate::store::DB_FILE);
    let found = (|| -> rusqlite::Result<Vec<String>> {
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(crate::store::BUSY_WAIT)?;
        let mut stmt = conn.prepare("PRAGMA quick_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.take(5).collect()
    })();
    match found {
        Ok(found) => (found != ["ok"]).then(|| found.join("；")),
        Err(e) if is_damage(&e) => Some(e.to_string()),
        Err(_) => None,
    }
}

/// SQLite says the file is damaged or not a database at all.
pub fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// The clerk's message for a damaged database: what was found, and the last good backup.
pub fn damaged(data_dir: &Path, found: &str) -> Error {
    let backup = Journal::open(data_dir).ok().and_then(|journal| {
        let folder = journal.state(daily::LAST_FOLDER_KEY).ok().flatten()?;
        let at = journal
            .state(daily::LAST_AT_KEY)
            .ok()
            .flatten()
            .unwrap_or_default();
        Some((folder, at))
    });
    let what_to_do = match backup {
        Some((folder, at)) => format!(
            "最近一次备份是 {at} 的「{folder}」：请停止使用本机档案库，由管理员用 archivedesk --data-dir 空文件夹 restore \"{folder}\" 恢复"
        ),
        None => "本机没有备份记录：请停止使用，联系管理员用最近的备份恢复".to_string(),
    };
    Error::new(
        ErrorCode::Database,
        format!(
            "档案数据库「{}」已损坏（{found}），为免损失更多已停止使用。{what_to_do}",
            data_dir.join(crate::store::DB_FILE).display()
        ),
    )
}
