//! The app's state: the engine's `Session` (the open archive and the background imports), as
//! the HTTP door has it. Work runs on blocking threads, never on the main thread that drives the
//! window.

use archivedesk::api::{Caller, ImportRequest, ImportStartRequest};
use archivedesk::session::Session;
use archivedesk::{Archive, Error, ErrorCode, Result};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

pub struct Desk {
    session: Arc<Session>,
    /// The clerk logged in at this desk; None until someone logs in.
    at_desk: Arc<Mutex<Option<Caller>>>,
}

impl Desk {
    /// Opening may take long (the demo archive is built on first use), so it runs on a thread of
    /// its own while the window comes up; commands that arrive meanwhile wait for it.
    pub fn opening(
        demo_dir: std::path::PathBuf,
        open: impl FnOnce() -> Result<Archive> + Send + 'static,
    ) -> Arc<Desk> {
        let session = Session::opening(demo_dir, move || {
            let opened = open();
            match &opened {
                Ok(archive) => log::info!("archive opened: {}", archive.data_dir().display()),
                Err(e) => log::error!("archive not opened: {}", e.message),
            }
            opened
        });
        Arc::new(Desk {
            session,
            at_desk: Arc::new(Mutex::new(None)),
        })
    }

    /// The clerk logged in, or the engine's request to log in first.
    pub fn at_desk(&self) -> Result<Caller> {
        self.at_desk
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::Unauthorized,
                    "请先登录：查档、登记和出证都记在登录的工作人员名下",
                )
            })
    }

    /// One of the engine's operations for the clerk at the desk (`archivedesk::ops`), off the
    /// main thread; a login or logout changes who that is.
    pub async fn call(
        &self,
        op: &'static str,
        request: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let body = if request.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(&request).unwrap_or_default()
        };
        let at_desk = Arc::clone(&self.at_desk);
        self.with_session(op, move |session| {
            let mut caller = at_desk
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let answer = archivedesk::ops::call(session, &mut caller, op, &body)?;
            if matches!(op, "login" | "logout") {
                *at_desk.lock().unwrap_or_else(PoisonError::into_inner) = caller;
            }
            Ok(answer)
        })
        .await
    }

    /// Run `work` on the open archive, off the main thread.
    pub async fn with_archive<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&mut Archive) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.with_session(what, move |session| session.with_archive(work))
            .await
    }

    /// Run `work` with the session (imports, reindex, the demo), off the main thread.
    pub async fn with_session<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&Session) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let session = Arc::clone(&self.session);
        off_main_thread(what, move || work(&session)).await
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
    use std::path::PathBuf;

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
}
