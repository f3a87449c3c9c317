//! Where the app works: on an archive of its own (`LocalArchive`) or, as one of its counter
//! desks, on a LAN host's (`HostCalls`: every operation and page sent on over the pinned link).
//! A data folder with an archive opens it, one with a pairing works on its host; a new PC's
//! first start asks the clerk which (本机档案库 or 连接局域网档案库).

use crate::data_folder::{DataFolders, OpenAtStart};
use crate::local_archive::LocalArchive;
use archivedesk::api::{
    DeskPlace, ImportJobStarted, ImportRequest, ImportStartRequest, LanConnectRequest, PageRequest,
};
use archivedesk::demo::build::open_demo_archive;
use archivedesk::http::host_calls::HostCalls;
use archivedesk::lan::desk_link::DESK_FILE;
use archivedesk::page_image::PageImage;
use archivedesk::{Archive, Error, ErrorCode, Result};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

pub enum Place {
    Local(LocalArchive),
    Lan(HostCalls),
}

pub struct Desk {
    /// The folder a choice at first start opens as an archive or pairs as a desk.
    data_dir: PathBuf,
    demo_dir: PathBuf,
    place: RwLock<Option<Arc<Place>>>,
    /// Why the folder's pairing could not be read at start, for the first-start screen.
    problem: Option<String>,
    /// Set while a choice is being made: a second click waits its turn by being refused.
    choosing: Mutex<bool>,
}

/// Types a host may send as a page: what the viewer shows, and nothing the webview would run.
const PAGE_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "application/pdf",
];

impl Desk {
    /// The place the folders name at start, opened (an archive is opened on a thread of its own
    /// while the window comes up); none yet for a new PC.
    pub fn at_start(folders: DataFolders) -> Arc<Desk> {
        let demo_dir = folders.demo_dir.clone();
        let (data_dir, place) = match folders.open_at_start {
            OpenAtStart::Demo(dir) => {
                let opened = dir.clone();
                let local = LocalArchive::opening(demo_dir.clone(), move || {
                    open_demo_archive(&opened, &mut |_| {})
                });
                (dir, Ok(Some(Place::Local(local))))
            }
            OpenAtStart::Archive(dir) => {
                let place = place_in(&dir, &demo_dir);
                (dir, place)
            }
        };
        let (place, problem) = match place {
            Ok(place) => (place, None),
            Err(e) => {
                log::error!("desk pairing not read: {}", e.message);
                (None, Some(e.message))
            }
        };
        Arc::new(Desk {
            data_dir,
            demo_dir,
            problem,
            place: RwLock::new(place.map(Arc::new)),
            choosing: Mutex::new(false),
        })
    }

    /// Where the app works now, as the first-start screen and the header show it.
    pub fn place(&self) -> DeskPlace {
        match self.current().as_deref() {
            None => DeskPlace {
                problem: self.problem.clone(),
                ..DeskPlace::default()
            },
            Some(Place::Local(_)) => DeskPlace {
                chosen: true,
                ..DeskPlace::default()
            },
            Some(Place::Lan(host)) => host.place(),
        }
    }

    /// 本机档案库: this PC keeps an archive of its own, made now in the data folder — not in a
    /// desk's folder whose pairing is damaged (the desk pairs again instead).
    pub async fn choose_local(&self) -> Result<DeskPlace> {
        let _choosing = self.choosing()?;
        if self.current().is_some() {
            return Err(already_chosen());
        }
        if self.data_dir.join(DESK_FILE).exists() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "这台电脑是局域网柜台（数据文件夹中有柜台配置）：请重新连接局域网档案库，不要在柜台上另建档案库",
            ));
        }
        let dir = self.data_dir.clone();
        let local = LocalArchive::opening(self.demo_dir.clone(), move || Archive::open(&dir));
        self.settle(Place::Local(local));
        Ok(self.place())
    }

    /// 连接局域网档案库: pairs with the host at the address, with the code shown there, and works
    /// on it from now on. Only at the first start: a paired desk is not pointed at another host
    /// from the window (IT removes its pairing to pair it again), and a PC with an archive of
    /// its own has its history merged at the host and joins from a new data folder.
    pub async fn connect_lan(&self, request: LanConnectRequest) -> Result<DeskPlace> {
        let _choosing = self.choosing()?;
        match self.current().as_deref() {
            Some(Place::Local(_)) => return Err(Error::new(
                ErrorCode::InvalidRequest,
                "本机已有自己的档案库：请先在档案库主机上合并本机的历史（archivedesk merge-history），再用新的数据文件夹连接局域网档案库",
            )),
            Some(Place::Lan(host)) => return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "本机已是「{}」的柜台{}：要重新配对，请先删除数据文件夹中的柜台配置（lan_desk.json 和 lan_key.pem），再启动档案查询台",
                    host.config().host,
                    host.config().desk_code
                ),
            )),
            None => {}
        }
        let host = HostCalls::pair(&self.data_dir, &request.host, &request.code).await?;
        log::info!(
            "paired as desk {} ({}) of {}",
            host.config().desk_code,
            host.config().desk_name,
            host.config().host
        );
        self.settle(Place::Lan(host));
        Ok(self.place())
    }

    /// One of the engine's operations for the clerk at the desk.
    pub async fn call(
        &self,
        op: &'static str,
        request: serde_json::Value,
    ) -> Result<serde_json::Value> {
        match self.chosen()?.as_ref() {
            Place::Local(local) => local.call(op, request).await,
            Place::Lan(host) => host.call(op, &request).await,
        }
    }

    /// The LAN host's own operations on its desks (listing, pairing, revoking) — the host's
    /// when this app is a desk, this archive's own otherwise — and 设置 → 局域网主机 and the
    /// peer door (本馆跨馆端口), which only an archive of this PC's own has.
    pub async fn call_host(
        &self,
        op: &'static str,
        request: serde_json::Value,
    ) -> Result<serde_json::Value> {
        match self.chosen()?.as_ref() {
            Place::Lan(_) if op.starts_with("lan_host_") => Err(Error::new(
                ErrorCode::InvalidRequest,
                "本机是局域网柜台，不能再作为档案库主机",
            )),
            Place::Lan(_) if op.starts_with("peer_door_") => Err(Error::new(
                ErrorCode::InvalidRequest,
                "本机是局域网柜台：跨馆端口由档案库主机开放",
            )),
            Place::Lan(host) => host.call(op, &request).await,
            Place::Local(local) if op.starts_with("peer_door_") => {
                local.peer_door(op, request).await
            }
            Place::Local(local) => local.lan_host(op, request).await,
        }
    }

    /// Catalogue files (or, on an archive of its own, scan folders) chosen in the system dialog.
    pub async fn import_start(&self, request: ImportStartRequest) -> Result<ImportJobStarted> {
        let request = import_of_chosen_paths(request)?;
        log::info!(
            "import started: {} file(s) or folder(s), dry run: {}",
            request.paths.len(),
            request.dry_run
        );
        match self.chosen()?.as_ref() {
            Place::Local(local) => local.import_start(request).await,
            Place::Lan(host) => {
                host.import_files(ImportStartRequest {
                    paths: request.paths,
                    uploads: Vec::new(),
                    category: request.category,
                    mapping: request.mapping,
                    dry_run: request.dry_run,
                })
                .await
            }
        }
    }

    /// A scanned page for the clerk at the desk.
    pub async fn page(&self, page: PageRequest) -> Result<PageImage> {
        match self.chosen()?.as_ref() {
            Place::Local(local) => local.page(page).await,
            Place::Lan(host) => {
                let file = host.page(&page).await?;
                Ok(PageImage {
                    mime: page_type(&file.content_type)?,
                    bytes: file.bytes,
                })
            }
        }
    }

    /// The app is quitting: an archive of its own is closed (its looks chained, its trail
    /// anchored); at a desk, the clerk's login at the host ends.
    pub fn close(&self) {
        match self.current().as_deref() {
            Some(Place::Local(local)) => local.close(),
            Some(Place::Lan(host)) => tauri::async_runtime::block_on(host.log_out()),
            None => {}
        }
    }

    fn current(&self) -> Option<Arc<Place>> {
        self.place
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn chosen(&self) -> Result<Arc<Place>> {
        self.current().ok_or_else(|| {
            Error::new(
                ErrorCode::DataDir,
                "请先选择：使用本机档案库，或连接局域网档案库",
            )
        })
    }

    fn settle(&self, place: Place) {
        *self.place.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(place));
    }

    fn choosing(&self) -> Result<Choosing<'_>> {
        let mut busy = self.choosing.lock().unwrap_or_else(PoisonError::into_inner);
        if *busy {
            return Err(Error::new(ErrorCode::Busy, "正在连接，请稍候"));
        }
        *busy = true;
        Ok(Choosing(&self.choosing))
    }
}

/// A choice under way; over when dropped, however it ended.
struct Choosing<'a>(&'a Mutex<bool>);

impl Drop for Choosing<'_> {
    fn drop(&mut self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = false;
    }
}

/// What a data folder holds: a desk's pairing, or an archive (opened now); nothing yet on a new
/// PC. A damaged pairing is an error: the clerk is told and pairs again.
fn place_in(dir: &std::path::Path, demo_dir: &std::path::Path) -> Result<Option<Place>> {
    if let Some(host) = HostCalls::open(dir)? {
        return Ok(Some(Place::Lan(host)));
    }
    if !Archive::is_in(dir) {
        return Ok(None);
    }
    let opened = dir.to_path_buf();
    Ok(Some(Place::Local(LocalArchive::opening(
        demo_dir.to_path_buf(),
        move || Archive::open(&opened),
    ))))
}

/// The type of a page the host sent, if the viewer shows it; anything else (a web page, a
/// script) never reaches the webview.
fn page_type(sent: &str) -> Result<&'static str> {
    PAGE_TYPES
        .iter()
        .find(|t| sent.eq_ignore_ascii_case(t))
        .copied()
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Io,
                format!("档案库主机发来的扫描件类型「{sent}」无法显示"),
            )
        })
}

fn already_chosen() -> Error {
    Error::new(ErrorCode::InvalidRequest, "本机已经选定了档案库，不能再改")
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn desk_on(folder: &Path) -> Arc<Desk> {
        Desk::at_start(DataFolders {
            open_at_start: OpenAtStart::Archive(folder.to_path_buf()),
            demo_dir: folder.join("演示"),
        })
    }

    #[test]
    fn a_new_pc_asks_first_and_an_archive_is_made_only_when_chosen() {
        let folder = tempfile::tempdir().unwrap();
        let data = folder.path().join("档案数据");
        let desk = desk_on(&data);
        assert!(!desk.place().chosen);
        let refused = tauri::async_runtime::block_on(desk.call("status", serde_json::Value::Null))
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::DataDir);
        assert!(refused.message.contains("请先选择"), "{}", refused.message);
        assert!(!Archive::is_in(&data), "nothing is made before the choice");

        let place = tauri::async_runtime::block_on(desk.choose_local()).unwrap();
        assert!(place.chosen && place.lan.is_none());
        let session =
            tauri::async_runtime::block_on(desk.call("desk_session", serde_json::Value::Null))
                .unwrap();
        assert_eq!(session["needs_first_clerk"], true);
        assert!(Archive::is_in(&data));

        // Chosen once: neither choice is taken again, and a PC with an archive of its own does
        // not become a desk (its history is merged at the host first).
        let again = tauri::async_runtime::block_on(desk.choose_local()).unwrap_err();
        assert_eq!(again.code, ErrorCode::InvalidRequest);
        let lan = tauri::async_runtime::block_on(desk.connect_lan(LanConnectRequest {
            host: "127.0.0.2:8443".into(),
            code: "123 456".into(),
        }))
        .unwrap_err();
        assert!(lan.message.contains("merge-history"), "{}", lan.message);
        desk.close();
    }

    #[test]
    fn a_folder_with_an_archive_opens_it_and_one_with_a_pairing_works_on_its_host() {
        let folder = tempfile::tempdir().unwrap();
        let archive = folder.path().join("本机档案");
        Archive::open(&archive).unwrap();
        let desk = desk_on(&archive);
        assert!(desk.place().chosen);
        assert!(desk.place().lan.is_none());
        desk.close();

        let paired = folder.path().join("二号柜台");
        std::fs::create_dir_all(&paired).unwrap();
        let config = serde_json::json!({
            "host": "127.0.0.2:8443",
            "host_pin": "ab".repeat(32),
            "desk_code": "B",
            "desk_name": "二号柜台",
            "archive_name": "清源县档案馆",
        });
        std::fs::write(paired.join("lan_desk.json"), config.to_string()).unwrap();
        let desk = desk_on(&paired);
        let lan = desk.place().lan.expect("works as a desk");
        assert_eq!(lan.desk_code, "B");
        assert_eq!(lan.host, "127.0.0.2:8443");
        assert!(!Archive::is_in(&paired), "a desk keeps no archive");
        // A desk is not pointed at another host from the window, nor made a host.
        let again = tauri::async_runtime::block_on(desk.connect_lan(LanConnectRequest {
            host: "127.0.0.9:8443".into(),
            code: "123 456".into(),
        }))
        .unwrap_err();
        assert!(again.message.contains("lan_desk.json"), "{}", again.message);
        let hosting = tauri::async_runtime::block_on(
            desk.call_host("lan_host_start", serde_json::json!({"listen": "8443"})),
        )
        .unwrap_err();
        assert_eq!(hosting.code, ErrorCode::InvalidRequest);
        // Nor does it answer other archives: that door is the host's.
        let answering = tauri::async_runtime::block_on(
            desk.call_host("peer_door_start", serde_json::json!({"listen": "9443"})),
        )
        .unwrap_err();
        assert_eq!(answering.code, ErrorCode::InvalidRequest);
        assert!(answering.message.contains("主机"), "{}", answering.message);

        // A damaged pairing is said at the first-start screen, and no archive is made over it.
        std::fs::write(paired.join("lan_desk.json"), "{ damaged").unwrap();
        let desk = desk_on(&paired);
        let place = desk.place();
        assert!(!place.chosen);
        assert!(place.problem.unwrap().contains("已损坏"));
        let refused = tauri::async_runtime::block_on(desk.choose_local()).unwrap_err();
        assert!(refused.message.contains("柜台"), "{}", refused.message);
        assert!(!Archive::is_in(&paired));
    }

    #[test]
    fn only_page_types_the_viewer_shows_reach_the_webview() {
        assert_eq!(page_type("image/jpeg").unwrap(), "image/jpeg");
        assert_eq!(page_type("Application/PDF").unwrap(), "application/pdf");
        for refused in ["text/html", "image/svg+xml", "application/javascript", ""] {
            assert!(page_type(refused).is_err(), "{refused}");
        }
    }

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
