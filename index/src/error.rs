//! Errors every door (CLI, desktop, HTTP) shows the same way: a stable code for programs and a
//! Chinese message for the clerk, naming the file, row and field where there is one.

use serde::Serialize;
use std::fmt;

/// Stable error codes; the UI and scripts match on these, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// A request to the HTTP door without the token printed at its start.
    Unauthorized,
    /// A request to the HTTP door from another web page or host name, or an act the clerk's
    /// role does not allow.
    Forbidden,
    /// The database is held by another writer (an import) for longer than the act may wait.
    Busy,
}

#[derive(Debug, Clone, Serialize)]
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
            ErrorCode::Busy => 503,
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

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as Sqlite;
        if matches!(
            e.sqlite_error_code(),
            Some(Sqlite::DatabaseBusy | Sqlite::DatabaseLocked)
        ) {
            return Error::new(
                ErrorCode::Busy,
                "档案库正忙（可能正在导入文件），请稍候再试",
            );
        }
        Error::new(ErrorCode::Database, format!("数据库错误：{e}"))
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
