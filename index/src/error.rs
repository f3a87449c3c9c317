//! Errors every door (CLI, desktop, HTTP) shows the same way: a stable code for programs and a
//! Chinese message for the clerk, naming the file, row and field where there is one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable error codes; the UI and scripts match on these, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The data folder could not be created, opened or written.
    DataDir,
    /// The database was written by a newer version of the program.
    SchemaTooNew,
    /// The database is damaged or not an archive database.
    Database,
    /// An import file could not be read at all; nothing of it was written.
    FileRefused,
    /// A mapping file or mapping data is invalid.
    Mapping,
    /// A requested record does not exist.
    NotFound,
    /// The caller asked for something that cannot be done as asked.
    InvalidRequest,
    /// Reading or writing a file failed.
    Io,
    /// The search index could not be read or written.
    SearchIndex,
    /// Another program holds the search index for writing.
    IndexLocked,
    /// The search index is being rebuilt from the store (it was missing or damaged): search
    /// and imports wait for it; registering and issuing go on.
    IndexRebuilding,
    /// A request to the HTTP door without the token printed at its start.
    Unauthorized,
    /// A request to the HTTP door from another web page or host name, or an act the clerk's
    /// role does not allow.
    Forbidden,
    /// The database is held by another writer (an import) for longer than the act may wait.
    Busy,
    /// Failed logins slow the next attempt down: try again after the time the message says.
    Throttled,
    /// The disk holding the data folder is full: nothing was written.
    DiskFull,
    /// The data folder (or a file in it) cannot be written: read-only, or no permission.
    ReadOnly,
    /// A LAN desk cannot reach its host now; the desk retries.
    HostUnreachable,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
}

impl ErrorCode {
    /// The HTTP status a door answers this error with (the HTTP door, the desktop's page
    /// protocol).
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::InvalidRequest | ErrorCode::Mapping | ErrorCode::FileRefused => 400,
            ErrorCode::IndexLocked => 409,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::Busy | ErrorCode::IndexRebuilding | ErrorCode::HostUnreachable => 503,
            ErrorCode::Throttled => 429,
            ErrorCode::DiskFull => 507,
            _ => 500,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// A file system error, said for what it is: a full disk and a folder that cannot be written
    /// are not damaged data.
    pub fn io(what: &str, path: &std::path::Path, e: &std::io::Error) -> Error {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
                Error::new(
                    ErrorCode::DiskFull,
                    format!(
                        "{what}「{}」：磁盘已满，请腾出空间后重试（已有的数据没有改动）",
                        path.display()
                    ),
                )
            }
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => Error::new(
                ErrorCode::ReadOnly,
                format!(
                    "{what}「{}」：文件夹只读或没有写入权限，请让管理员检查数据文件夹的权限",
                    path.display()
                ),
            ),
            _ => Error::new(ErrorCode::Io, format!("{what}「{}」：{e}", path.display())),
        }
    }

    /// A database error met while opening the archive at `path`: a full disk and a folder that
    /// cannot be written are said as such; only what SQLite finds damaged is called damaged.
    pub fn opening_database(path: &std::path::Path, e: rusqlite::Error) -> Error {
        let error = Error::from(e);
        match error.code {
            ErrorCode::Database => Error::new(
                ErrorCode::Database,
                format!(
                    "「{}」不是档案数据库或已损坏：{}",
                    path.display(),
                    error.message
                ),
            ),
            _ => Error::new(
                error.code,
                format!("打开档案库「{}」时：{}", path.display(), error.message),
            ),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as Sqlite;
        match e.sqlite_error_code() {
            Some(Sqlite::DatabaseBusy | Sqlite::DatabaseLocked) => Error::new(
                ErrorCode::Busy,
                "档案库正忙（可能正在导入文件），请稍候再试",
            ),
            Some(Sqlite::DiskFull) => Error::new(
                ErrorCode::DiskFull,
                "磁盘已满，没有写入任何内容；请腾出空间后重试",
            ),
            Some(Sqlite::ReadOnly | Sqlite::CannotOpen | Sqlite::PermissionDenied) => Error::new(
                ErrorCode::ReadOnly,
                "数据文件夹只读或没有写入权限，没有写入任何内容；请让管理员检查数据文件夹的权限",
            ),
            Some(Sqlite::SystemIoFailure) => Error::new(
                ErrorCode::Io,
                format!("读写数据文件时出错（磁盘或网络盘故障？）：{e}"),
            ),
            _ => Error::new(ErrorCode::Database, format!("数据库错误：{e}")),
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        if let tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::LockBusy,
            _,
        ) = e
        {
            return Error::new(
                ErrorCode::IndexLocked,
                "另一个档案查询台窗口或命令行程序正在写入这个档案库的检索索引；请等它完成，或关闭它后重试",
            );
        }
        Error::new(ErrorCode::SearchIndex, format!("检索索引错误：{e}"))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: std::os::raw::c_int) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn a_full_disk_or_a_read_only_folder_is_not_called_a_damaged_database() {
        let path = std::path::Path::new("D:/档案/archive.sqlite3");
        let full = Error::opening_database(path, sqlite(rusqlite::ffi::SQLITE_FULL));
        assert_eq!(full.code, ErrorCode::DiskFull);
        assert!(full.message.contains("磁盘已满") && !full.message.contains("损坏"));
        let read_only = Error::opening_database(path, sqlite(rusqlite::ffi::SQLITE_READONLY));
        assert_eq!(read_only.code, ErrorCode::ReadOnly);
        assert!(!read_only.message.contains("损坏"));
        let damaged = Error::opening_database(path, sqlite(rusqlite::ffi::SQLITE_NOTADB));
        assert_eq!(damaged.code, ErrorCode::Database);
        assert!(damaged.message.contains("损坏"));
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(Error::io("无法写入", path, &io).code, ErrorCode::DiskFull);
    }
}
