//! A mapping file (`--mapping FILE`): JSON naming what the synonyms do not cover.
//!
//! ```json
//! { "header_row": 2, "columns": { "卷宗编码": "档号", "职工姓名": "姓名", "内部序号": "ignore" } }
//! ```

use crate::api::ColumnMapping;
use crate::error::{Error, ErrorCode, Result};
use std::path::Path;

pub fn load_mapping(path: &Path) -> Result<ColumnMapping> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorCode::Mapping,
            format!("无法读取对照表「{}」：{e}", path.display()),
        )
    })?;
    serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        Error::new(
            ErrorCode::Mapping,
            format!(
                "对照表「{}」格式不对（第{}行第{}列）：{e}",
                path.display(),
                e.line(),
                e.column()
            ),
        )
    })
}
