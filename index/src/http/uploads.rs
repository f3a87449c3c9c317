//! Files a browser uploads to be imported: written to disk as they arrive, kept under the clerk
//! who uploaded them (nobody else may import them), capped per clerk, and deleted once they are
//! previewed or imported — a preview asks for them again. Uploads left from an earlier run are
//! removed at start.

use super::{error_response, new_token, Door, Upload, Whence};
use crate::api::{
    Caller, ImportJobStarted, ImportRequest, ImportStartRequest, UploadedFile, UploadedFiles,
};
use crate::error::{Error, ErrorCode, Result};
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::path::Path;
use std::sync::Arc;

/// What one clerk may keep uploaded and not yet imported or previewed.
const PER_CLERK_BYTES: u64 = 1 << 30;
const PER_CLERK_FILES: usize = 50;

/// Names Windows keeps for devices, whatever the extension: `nul.csv` would be written nowhere.
const WINDOWS_DEVICE_NAMES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The name a browser sent, reduced to a plain file name (no folders, nothing Windows forbids or
/// keeps for itself).
pub fn safe_file_name(sent: Option<&str>) -> String {
    let name = sent
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') && !c.is_control())
        .collect::<String>();
    let name = name.trim().trim_matches('.').trim().to_string();
    if name.is_empty() {
        return "上传文件".to_string();
    }
    let stem = name.split('.').next().unwrap_or("").trim();
    if WINDOWS_DEVICE_NAMES
        .iter()
        .any(|d| d.eq_ignore_ascii_case(stem))
    {
        return format!("_{name}");
    }
    name
}

/// Write one uploaded file to disk as it arrives, never whole in memory; `grow` is told of each
/// chunk first and refuses the file once the clerk's uploads would pass the quota.
async fn save_upload(
    field: &mut axum::extract::multipart::Field<'_>,
    path: &Path,
    grow: impl Fn(u64) -> std::result::Result<(), String>,
) -> std::result::Result<u64, String> {
    use tokio::io::AsyncWriteExt;
    let folder = path.parent().expect("uploads live in a folder");
    tokio::fs::create_dir_all(folder)
        .await
        .map_err(|e| e.to_string())?;
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| e.to_string())?;
    let mut bytes = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(|e| e.to_string())? {
        grow(chunk.len() as u64)?;
        bytes += chunk.len() as u64;
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    Ok(bytes)
}

pub(super) async fn upload(
    State(door): State<Arc<Door>>,
    from: Whence,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let checker = Arc::clone(&door);
    let caller = match super::blocking(move || checker.at_desk(&headers, from)).await {
        Ok(caller) => caller,
        Err(e) => return error_response(e),
    };
    let mut files = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return error_response(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("上传中断或格式不对：{e}"),
                ))
            }
        };
        if field.file_name().is_none() {
            continue;
        }
        let name = safe_file_name(field.file_name());
        // Each file in a folder of its own, under its own name: the import report names the
        // file as the clerk knows it. It counts against the clerk's quota from its first byte,
        // so that uploads sent side by side cannot pass it together.
        let id = new_token();
        let folder = door.uploads_dir.join(&id);
        let path = folder.join(&name);
        {
            let mut uploads = door.uploads();
            let held = uploads
                .values()
                .filter(|u| u.owner == caller.clerk_id)
                .count();
            if held >= PER_CLERK_FILES {
                return error_response(Error::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "每位工作人员最多保留 {PER_CLERK_FILES} 个待导入的上传文件；请先导入或预览已上传的文件"
                    ),
                ));
            }
            uploads.insert(
                id.clone(),
                Upload {
                    path: path.clone(),
                    owner: caller.clerk_id,
                    bytes: 0,
                },
            );
        }
        let grow = |more: u64| {
            let mut uploads = door.uploads();
            let held: u64 = uploads
                .values()
                .filter(|u| u.owner == caller.clerk_id)
                .map(|u| u.bytes)
                .sum();
            if held + more > PER_CLERK_BYTES {
                return Err(format!(
                    "每位工作人员待导入的上传文件合计不超过 {} MB；请先导入或预览已上传的文件",
                    PER_CLERK_BYTES >> 20
                ));
            }
            if let Some(upload) = uploads.get_mut(&id) {
                upload.bytes += more;
            }
            Ok(())
        };
        let bytes = match save_upload(&mut field, &path, grow).await {
            Ok(bytes) => bytes,
            Err(e) => {
                door.uploads().remove(&id);
                let _ = tokio::fs::remove_dir_all(&folder).await;
                return error_response(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("上传「{name}」未保存：{e}"),
                ));
            }
        };
        files.push(UploadedFile {
            upload: id,
            name,
            bytes,
        });
    }
    axum::Json(UploadedFiles { files }).into_response()
}

/// Imports (or previews) the clerk's own uploads; they are removed when the job ends.
pub(super) fn start_import(
    door: &Door,
    request: ImportStartRequest,
    caller: Caller,
) -> Result<ImportJobStarted> {
    if !request.paths.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "网页端只能导入上传的文件，不能按本机路径导入",
        ));
    }
    if request.uploads.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "没有选择要导入的文件",
        ));
    }
    // Refused before the uploads are taken, so that the clerk can ask again with them.
    if !request.dry_run {
        door.session.ready_to_import()?;
    }
    let mut uploads = door.uploads();
    // Someone else's upload does not exist for this clerk.
    if let Some(missing) = request
        .uploads
        .iter()
        .find(|id| uploads.get(*id).is_none_or(|u| u.owner != caller.clerk_id))
    {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!("上传的文件「{missing}」已不存在，请重新选择文件"),
        ));
    }
    let taken: Vec<Upload> = request
        .uploads
        .iter()
        .filter_map(|id| uploads.remove(id))
        .collect();
    drop(uploads);
    let paths = taken.iter().map(|u| u.path.clone()).collect();
    let cleanup = taken
        .iter()
        .filter_map(|u| u.path.parent().map(Path::to_path_buf))
        .collect();
    door.session.start_import(
        ImportRequest {
            paths,
            category: request.category,
            mapping: request.mapping,
            dry_run: request.dry_run,
        },
        cleanup,
        caller,
    )
}
