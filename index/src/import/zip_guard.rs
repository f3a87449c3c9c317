//! An XLSX is a zip archive; a hostile or broken one can expand to gigabytes. Its central
//! directory is checked before anything is decompressed.

use crate::error::{Error, ErrorCode, Result};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// No real catalogue workbook comes near this much XML.
const MAX_TOTAL_UNCOMPRESSED: u64 = 2 << 30;
/// XML compresses well, but not a thousandfold.
const MAX_RATIO: u64 = 200;
/// Ratios of tiny parts are meaningless.
const RATIO_CHECK_FROM: u64 = 16 << 20;

pub fn check_zip(path: &Path, name: &str) -> Result<()> {
    let file = File::open(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法读取「{name}」：{e}")))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        Error::new(
            ErrorCode::FileRefused,
            format!("文件「{name}」已损坏或不完整（无法读取XLSX结构：{e}），未导入"),
        )
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| {
            Error::new(
                ErrorCode::FileRefused,
                format!(
                    "文件「{name}」已损坏（第{}个部件无法读取：{e}），未导入",
                    i + 1
                ),
            )
        })?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size >= RATIO_CHECK_FROM && size / packed > MAX_RATIO {
            return Err(Error::new(
                ErrorCode::FileRefused,
                format!(
                    "文件「{name}」中的部件「{}」压缩比异常（{} 字节解压为 {} 字节），疑似压缩炸弹，未导入",
                    entry.name().unwrap_or_default(),
                    packed,
                    size
                ),
            ));
        }
    }
    if total > MAX_TOTAL_UNCOMPRESSED {
        return Err(Error::new(
            ErrorCode::FileRefused,
            format!(
                "文件「{name}」解压后超过 {} MB，超出可导入的大小，未导入",
                MAX_TOTAL_UNCOMPRESSED >> 20
            ),
        ));
    }
    Ok(())
}
