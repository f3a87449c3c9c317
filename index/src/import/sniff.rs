//! What a file really is, whatever its extension says.

use crate::error::{Error, ErrorCode, Result};
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    JsonLines,
    Xlsx,
    Xls,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Csv => "CSV",
            FileKind::JsonLines => "JSON Lines",
            FileKind::Xlsx => "XLSX",
            FileKind::Xls => "XLS",
        }
    }

    fn from_extension(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(FileKind::Csv),
            "jsonl" | "ndjson" | "json" => Some(FileKind::JsonLines),
            "xlsx" | "xlsm" => Some(FileKind::Xlsx),
            "xls" | "et" => Some(FileKind::Xls),
            _ => None,
        }
    }
}

/// The kind found from the file's first bytes, and a note when it disagrees with the extension.
pub struct Sniffed {
    pub kind: FileKind,
    pub note: Option<String>,
}

pub fn sniff(path: &Path) -> Result<Sniffed> {
    let name = display_name(path);
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)
        .and_then(|f| f.take(8192).read_to_end(&mut head))
        .map_err(|e| {
            Error::new(
                ErrorCode::FileRefused,
                format!("无法读取文件「{name}」：{e}"),
            )
        })?;
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::new(
            ErrorCode::FileRefused,
            format!("文件「{name}」是空的，没有可导入的内容"),
        ));
    }
    let found = if head.starts_with(b"PK\x03\x04") {
        FileKind::Xlsx
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        FileKind::Xls
    } else if let Some(what) = known_binary(&head) {
        return Err(Error::new(
            ErrorCode::FileRefused,
            format!("文件「{name}」不是表格或文本目录（看起来是{what}），未导入"),
        ));
    } else if looks_binary(&head) {
        return Err(Error::new(
            ErrorCode::FileRefused,
            format!("文件「{name}」含有二进制内容，不是CSV文本，未导入"),
        ));
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::new(
            ErrorCode::FileRefused,
            format!("文件「{name}」是UTF-16（Unicode文本）格式，请在Excel中另存为“CSV UTF-8”或“CSV（逗号分隔）”后再导入"),
        ));
    } else if first_text_char(&head) == Some(b'{') {
        FileKind::JsonLines
    } else {
        FileKind::Csv
    };
    let note = match FileKind::from_extension(path) {
        Some(ext) if ext != found => Some(format!(
            "文件「{name}」的扩展名是{}，内容实际是{}，已按{}读取",
            ext.label(),
            found.label(),
            found.label()
        )),
        _ => None,
    };
    Ok(Sniffed { kind: found, note })
}

pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn known_binary(head: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF文件"),
        (b"\x89PNG", "PNG图片"),
        (b"\xFF\xD8\xFF", "JPEG图片"),
        (b"GIF8", "GIF图片"),
        (b"II*\x00", "TIFF图片"),
        (b"MM\x00*", "TIFF图片"),
        (b"Rar!", "RAR压缩包"),
        (b"7z\xBC\xAF", "7z压缩包"),
        (b"\x1F\x8B", "gzip压缩包"),
        (b"SQLite format 3", "SQLite数据库"),
        (b"MZ", "程序文件"),
    ];
    MAGICS
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, what)| *what)
}

/// Text catalogues never contain NUL bytes and few control characters; a binary file has many.
fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    controls * 20 > head.len()
}

fn first_text_char(head: &[u8]) -> Option<u8> {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}
