//! Where the recognizer's models are: the folder named by ARCHIVEDESK_OCR_MODELS, else
//! `ocr-models` beside the program (as the desktop app and the Windows package ship them), else
//! the folder the project's setup fills on a development machine. Never downloaded at run time.

use super::reader::{DETECTION_MODEL, RECOGNITION_MODEL};
use crate::error::{Error, ErrorCode, Result};
use std::path::{Path, PathBuf};

pub const MODELS_ENV: &str = "ARCHIVEDESK_OCR_MODELS";
pub const MODELS_FOLDER: &str = "ocr-models";
/// Where `.ci/setup` puts them on a development or test machine.
const SETUP_FOLDER: &str = "/var/cache/archivedesk-tools/ocr-models";

fn holds_models(folder: &Path) -> bool {
    folder.join(DETECTION_MODEL).is_file() && folder.join(RECOGNITION_MODEL).is_file()
}

/// The folders looked in, in order.
pub fn candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(named) = std::env::var_os(MODELS_ENV).filter(|n| !n.is_empty()) {
        out.push(PathBuf::from(named));
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        out.push(dir.join(MODELS_FOLDER));
        // The desktop app's bundled resources, beside the program or under `resources`.
        out.push(dir.join("resources").join(MODELS_FOLDER));
    }
    out.push(PathBuf::from(SETUP_FOLDER));
    out
}

/// The first folder that holds both models.
pub fn models_folder() -> Result<PathBuf> {
    let looked = candidates();
    if let Some(found) = looked.iter().find(|f| holds_models(f)) {
        return Ok(found.clone());
    }
    let places: Vec<String> = looked.iter().map(|f| f.display().to_string()).collect();
    Err(Error::new(
        ErrorCode::NotFound,
        format!(
            "找不到文字识别模型（{DETECTION_MODEL}、{RECOGNITION_MODEL}）；已查找：{}。请重新安装本程序，或用环境变量 {MODELS_ENV} 指明模型所在文件夹",
            places.join("；")
        ),
    ))
}
