//! The app's state, like the HTTP door's: the open archive and the background import jobs.
//! Archive work runs on blocking threads, never on the main thread that drives the window.

use archivedesk::api::{ImportJobStarted, ImportRequest, ImportStartRequest};
use archivedesk::import_jobs::ImportJobs;
use archivedesk::{Archive, Error, ErrorCode, Result};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::time::Instant;

/// The archive, or why it could not be opened: every command then answers with that reason, so
/// the UI can show it instead of failing silently.
pub type ArchiveSlot = Result<Archive>;

pub struct Desk {
    archive: Mutex<ArchiveSlot>,
    pub jobs: ImportJobs,
    /// Where `open_demo` builds or opens the demo archive.
    pub demo_dir: PathBuf,
}

impl Desk {
    /// Opening may take long (the demo archive is built on first use), so it runs on a thread of
    /// its own while the window comes up; commands that arrive meanwhile wait for it.
    pub fn opening(
        demo_dir: PathBuf,
        open: impl FnOnce() -> Result<Archive> + Send + 'static,
    ) -> Arc<Desk> {
        let desk = Arc::new(Desk {
            archive: Mutex::new(Err(Error::new(
                ErrorCode::DataDir,
                "打开档案库时出了意外，请重新启动档案查询台",
            ))),
            jobs: ImportJobs::new(),
            demo_dir,
        });
        let opener = Arc::clone(&desk);
        let (locked, wait_until_locked) = mpsc::channel();
        std::thread::spawn(move || {
            let mut slot = opener.slot();
            let _ = locked.send(());
            *slot = open();
            match &*slot {
                Ok(archive) => log::info!("archive opened: {}", archive.data_dir().display()),
                Err(e) => log::error!("archive not opened: {}", e.message),
            }
        });
        // The opener holds the lock before any command can take it.
        let _ = wait_until_locked.recv();
        desk
    }

    /// A command that panicked while holding the lock leaves the archive usable for the next.
    fn slot(&self) -> MutexGuard<'_, ArchiveSlot> {
        self.archive
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Run `work` on the open archive, off the main thread.
    pub async fn with_archive<T: Send + 'static>(
        self: &Arc<Self>,
        what: &'static str,
        work: impl FnOnce(&mut Archive) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.with_slot(what, move |slot| match slot {
            Ok(archive) => work(archive),
            Err(why) => Err(why.clone()),
        })
        .await
    }

    /// Run `work` with the slot itself, to replace the archive (the demo) whether or not one is
    /// open now.
    pub async fn with_slot<T: Send + 'static>(
        self: &Arc<Self>,
        what: &'static str,
        work: impl FnOnce(&mut ArchiveSlot) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let desk = Arc::clone(self);
        off_main_thread(what, move || work(&mut desk.slot())).await
    }

    /// Start a background import of the files and folders the clerk chose.
    pub fn start_import(
        &self,
        data_dir: PathBuf,
        request: ImportStartRequest,
    ) -> Result<ImportJobStarted> {
        let request = import_of_chosen_paths(request)?;
        log::info!(
            "import started: {} file(s) or folder(s), dry run: {}",
            request.paths.len(),
            request.dry_run
        );
        // Nothing to clean up afterwards: the files are the clerk's own, where they are.
        let job = self.jobs.start(data_dir, request, Vec::new());
        Ok(ImportJobStarted { job })
    }
}

/// The desktop imports paths chosen in the system dialog; uploads belong to the HTTP door.
pub fn import_of_chosen_paths(request: ImportStartRequest) -> Result<ImportRequest> {
    if !request.uploads.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "桌面程序按本机路径导入文件，不接受上传的文件",
        ));
    }
    if request.paths.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "没有选择要导入的文件",
        ));
    }
    Ok(ImportRequest {
        paths: request.paths,
        category: request.category,
        mapping: request.mapping,
        dry_run: request.dry_run,
    })
}

/// Blocking work on Tauri's blocking threads. The outcome is logged, never the request: a search
/// names the person looked for.
pub async fn off_main_thread<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let started = Instant::now();
    let result = match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(Error::new(ErrorCode::Io, format!("处理请求时出错：{e}"))),
    };
    let took = started.elapsed().as_millis();
    match &result {
        Ok(_) => log::debug!("{what}: done in {took} ms"),
        Err(e) => log::warn!("{what}: {:?} after {took} ms: {}", e.code, e.message),
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desktop_refuses_uploads_and_empty_imports() {
        let uploads = ImportStartRequest {
            uploads: vec!["abc".into()],
            ..Default::default()
        };
        let refused = import_of_chosen_paths(uploads).unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidRequest);
        assert!(refused.message.contains("上传"));
        let nothing = import_of_chosen_paths(ImportStartRequest::default()).unwrap_err();
        assert_eq!(nothing.code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn chosen_paths_are_imported_as_asked() {
        let request = import_of_chosen_paths(ImportStartRequest {
            paths: vec!["D:\\目录\\工资表.xlsx".into()],
            category: Some("工资调整".into()),
            dry_run: true,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(request.paths, vec![PathBuf::from("D:\\目录\\工资表.xlsx")]);
        assert_eq!(request.category.as_deref(), Some("工资调整"));
        assert!(request.dry_run);
    }

    #[test]
    fn commands_wait_for_the_archive_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().to_path_buf();
        let desk = Desk::opening(dir.path().join("demo"), move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            Archive::open(&data_dir)
        });
        let status = tauri::async_runtime::block_on(desk.with_archive("status", |a| a.status()));
        assert_eq!(status.unwrap().stats.documents, 0);
    }

    #[test]
    fn an_archive_that_would_not_open_says_why_on_every_command() {
        let desk = Desk::opening(PathBuf::from("demo"), || {
            Err(Error::new(ErrorCode::DataDir, "数据文件夹无法写入"))
        });
        for _ in 0..2 {
            let error = tauri::async_runtime::block_on(desk.with_archive("status", |a| a.status()))
                .unwrap_err();
            assert_eq!(error.code, ErrorCode::DataDir);
            assert_eq!(error.message, "数据文件夹无法写入");
        }
    }
}
