//! The demo archive: generated vendor deliveries imported into their own data folder through
//! the same import as real catalogues, and marked as demo data.

use super::{generate_demo, DemoOptions};
use crate::api::{ImportProgress, ImportReport, ImportRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::Archive;
use std::path::Path;

/// Folder inside the demo data folder that holds the generated catalogues and scans, so the
/// scans stay reachable wherever the demo folder is.
pub const SOURCE_FOLDER: &str = "demo-source";

pub fn build_demo_archive(
    data_dir: &Path,
    entries: usize,
    seed: u64,
    page_images: bool,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportReport> {
    // Any archive that is not a demo is a real one, even while still empty.
    if data_dir.join(crate::store::DB_FILE).is_file() && !Archive::open(data_dir)?.stats()?.demo {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "数据文件夹「{}」中已有真实档案库，不能把虚构的演示数据导入其中；请换一个文件夹",
                data_dir.display()
            ),
        ));
    }
    let source = data_dir.join(SOURCE_FOLDER);
    let options = DemoOptions {
        entries,
        seed,
        page_images,
    };
    let output = generate_demo(&options, &source)
        .map_err(|e| Error::new(ErrorCode::Io, format!("生成演示数据失败：{e:#}")))?;
    let mut archive = Archive::open(data_dir)?;
    archive.mark_demo()?;
    archive.set_archive_name("演示档案馆（虚构数据）")?;
    let mut paths = output.catalogue_files.clone();
    paths.push(output.scan_root.clone());
    archive.import(
        &ImportRequest {
            paths,
            ..ImportRequest::default()
        },
        progress,
    )
}

/// The demo archive in `data_dir`, built first if the folder holds none yet (as the app's first
/// run offers it).
pub fn open_demo_archive(
    data_dir: &Path,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<Archive> {
    if !data_dir.join(crate::store::DB_FILE).is_file() {
        let defaults = DemoOptions::default();
        build_demo_archive(
            data_dir,
            defaults.entries,
            defaults.seed,
            defaults.page_images,
            progress,
        )?;
    }
    let archive = Archive::open(data_dir)?;
    if !archive.stats()?.demo {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "数据文件夹「{}」中是真实档案库，不是演示档案库",
                data_dir.display()
            ),
        ));
    }
    Ok(archive)
}
