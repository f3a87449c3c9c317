//! The LAN host as a Windows service (`archivedesk --data-dir D:\档案数据 service install --lan
//! 192.168.1.20:8443`, as administrator): it starts with Windows under the system account, with
//! nobody logged in, and stops cleanly when Windows or IT stops it (the archive closed and its
//! trail anchored). The data folder is always named: the system account's own folder is not the
//! clerk's. The service prints nothing: pairings are opened at a desk (设置 → 局域网柜台).

use crate::error::{Error, ErrorCode, Result};
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use crate::http::lan_door::OpenDataAt;

/// The service's name for `sc`, and its name in the Services console.
pub const SERVICE_NAME: &str = "ArchiveDeskHost";
pub const DISPLAY_NAME: &str = "档案查询台 局域网主机 (ArchiveDesk LAN host)";

/// Where the service listens: the LAN door for the desks, the peer door for other archives
/// (跨馆) and open data when they were asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostDoors {
    pub lan: SocketAddr,
    pub peer_door: Option<SocketAddr>,
    pub open_data: Option<OpenDataAt>,
}

/// The command line Windows starts the service with.
pub fn launch_arguments(data_dir: &Path, doors: HostDoors) -> Vec<OsString> {
    let mut arguments: Vec<OsString> = vec![
        "--data-dir".into(),
        data_dir.as_os_str().to_owned(),
        "service".into(),
        "run".into(),
        "--lan".into(),
        doors.lan.to_string().into(),
    ];
    if let Some(peer_door) = doors.peer_door {
        arguments.extend(["--peer-door".into(), peer_door.to_string().into()]);
    }
    match doors.open_data {
        Some(OpenDataAt::LanDoor) => arguments.push("--open-data".into()),
        Some(OpenDataAt::Own(address)) => {
            arguments.extend(["--open-data".into(), address.to_string().into()])
        }
        None => {}
    }
    arguments
}

/// The data folder as the service will see it: given, and absolute.
pub fn service_data_dir(given: Option<&Path>) -> Result<PathBuf> {
    let given = given.ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidRequest,
            "安装服务须用 --data-dir 指定档案库的数据文件夹（系统账号的默认文件夹不是工作人员的）",
        )
    })?;
    let absolute = std::path::absolute(given)
        .map_err(|e| Error::io("无法确定数据文件夹的完整路径", given, &e))?;
    if !crate::Archive::is_in(&absolute) {
        return Err(Error::new(
            ErrorCode::DataDir,
            format!("数据文件夹「{}」中没有档案库", absolute.display()),
        ));
    }
    Ok(absolute)
}

#[cfg(windows)]
pub use on_windows::{install, run, uninstall};

#[cfg(not(windows))]
pub fn install(_data_dir: &Path, _doors: HostDoors) -> Result<()> {
    Err(only_on_windows())
}

#[cfg(not(windows))]
pub fn uninstall() -> Result<()> {
    Err(only_on_windows())
}

#[cfg(not(windows))]
pub fn run(_data_dir: PathBuf, _doors: HostDoors) -> Result<()> {
    Err(only_on_windows())
}

#[cfg(not(windows))]
fn only_on_windows() -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        "Windows 服务只能在 Windows 上安装；在这里请用 systemd 等运行 archivedesk serve --lan",
    )
}

#[cfg(windows)]
mod on_windows {
    use super::*;
    use crate::http::lan_door::{serve_lan_until, LanOptions};
    use std::sync::{Mutex, OnceLock};
    use std::time::Duration;
    use windows_service::service::{
        ServiceAccess, ServiceControl, ServiceControlAccept, ServiceErrorControl, ServiceExitCode,
        ServiceInfo, ServiceStartType, ServiceState, ServiceStatus, ServiceType,
    };
    use windows_service::service_control_handler::{self, ServiceControlHandlerResult};
    use windows_service::service_manager::{ServiceManager, ServiceManagerAccess};
    use windows_service::{define_windows_service, service_dispatcher};

    /// What `run` was given, for the service's main function that Windows calls.
    static ASKED: OnceLock<(PathBuf, HostDoors)> = OnceLock::new();

    fn failed(what: &str, e: windows_service::Error) -> Error {
        Error::new(
            ErrorCode::Io,
            format!("{what}：{e}（请以管理员身份运行命令提示符）"),
        )
    }

    /// Registers the service to start with Windows, under the system account.
    pub fn install(data_dir: &Path, doors: HostDoors) -> Result<()> {
        let manager = ServiceManager::local_computer(
            None::<&str>,
            ServiceManagerAccess::CONNECT | ServiceManagerAccess::CREATE_SERVICE,
        )
        .map_err(|e| failed("无法连接 Windows 服务管理器", e))?;
        let program = std::env::current_exe()
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法确定程序的位置：{e}")))?;
        let info = ServiceInfo {
            name: SERVICE_NAME.into(),
            display_name: DISPLAY_NAME.into(),
            service_type: ServiceType::OWN_PROCESS,
            start_type: ServiceStartType::AutoStart,
            error_control: ServiceErrorControl::Normal,
            executable_path: program,
            launch_arguments: launch_arguments(data_dir, doors),
            dependencies: vec![],
            account_name: None,
            account_password: None,
        };
        let service = manager
            .create_service(&info, ServiceAccess::CHANGE_CONFIG)
            .map_err(|e| failed("无法安装服务", e))?;
        let _ =
            service.set_description("档案查询台的档案库主机：局域网上的柜台通过它使用这个档案库");
        Ok(())
    }

    /// Stops the service if it runs, and removes it.
    pub fn uninstall() -> Result<()> {
        let manager = ServiceManager::local_computer(None::<&str>, ServiceManagerAccess::CONNECT)
            .map_err(|e| failed("无法连接 Windows 服务管理器", e))?;
        let service = manager
            .open_service(
                SERVICE_NAME,
                ServiceAccess::QUERY_STATUS | ServiceAccess::STOP | ServiceAccess::DELETE,
            )
            .map_err(|e| failed("找不到档案查询台的服务", e))?;
        if let Ok(status) = service.query_status() {
            if status.current_state != ServiceState::Stopped {
                let _ = service.stop();
                for _ in 0..30 {
                    std::thread::sleep(Duration::from_millis(500));
                    match service.query_status() {
                        Ok(s) if s.current_state == ServiceState::Stopped => break,
                        Err(_) => break,
                        Ok(_) => {}
                    }
                }
            }
        }
        service.delete().map_err(|e| failed("无法删除服务", e))
    }

    /// How Windows runs the service: hands this thread to the service manager until it stops.
    pub fn run(data_dir: PathBuf, doors: HostDoors) -> Result<()> {
        let _ = ASKED.set((data_dir, doors));
        service_dispatcher::start(SERVICE_NAME, ffi_service_main).map_err(|e| {
            failed(
                "这个命令只由 Windows 服务管理器调用（请用 service install 安装服务）",
                e,
            )
        })
    }

    define_windows_service!(ffi_service_main, service_main);

    fn service_main(_arguments: Vec<OsString>) {
        if let Err(e) = serve_as_service() {
            log::error!("the LAN host service stopped: {}", e.message);
        }
    }

    fn status(state: ServiceState, accepted: ServiceControlAccept, exit: u32) -> ServiceStatus {
        ServiceStatus {
            service_type: ServiceType::OWN_PROCESS,
            current_state: state,
            controls_accepted: accepted,
            exit_code: ServiceExitCode::Win32(exit),
            checkpoint: 0,
            wait_hint: Duration::from_secs(10),
            process_id: None,
        }
    }

    fn serve_as_service() -> Result<()> {
        let (data_dir, doors) = ASKED
            .get()
            .cloned()
            .ok_or_else(|| Error::new(ErrorCode::InvalidRequest, "服务没有收到数据文件夹和地址"))?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let stop = Mutex::new(Some(stop));
        let handle =
            service_control_handler::register(SERVICE_NAME, move |control| match control {
                ServiceControl::Stop | ServiceControl::Shutdown | ServiceControl::Preshutdown => {
                    if let Some(stop) = stop.lock().ok().and_then(|mut s| s.take()) {
                        let _ = stop.send(());
                    }
                    ServiceControlHandlerResult::NoError
                }
                ServiceControl::Interrogate => ServiceControlHandlerResult::NoError,
                _ => ServiceControlHandlerResult::NotImplemented,
            })
            .map_err(|e| failed("无法登记服务的控制", e))?;
        let running = ServiceControlAccept::STOP | ServiceControlAccept::SHUTDOWN;
        let options = LanOptions {
            listen: doors.lan,
            peer_listen: doors.peer_door,
            open_data: doors.open_data,
            demo_dir: data_dir.join("演示档案库"),
            data_dir,
        };
        let served = serve_lan_until(
            options,
            |_| {
                let _ = handle.set_service_status(status(ServiceState::Running, running, 0));
            },
            move || async move {
                let _ = stopped.await;
            },
        );
        let exit = if served.is_ok() { 0 } else { 1 };
        let _ = handle.set_service_status(status(
            ServiceState::Stopped,
            ServiceControlAccept::empty(),
            exit,
        ));
        served
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_is_started_with_the_folder_and_address_it_was_installed_with() {
        let doors = HostDoors {
            lan: "192.168.1.20:8443".parse().unwrap(),
            peer_door: None,
            open_data: None,
        };
        let args = launch_arguments(Path::new(r"D:\档案数据"), doors);
        let args: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "--data-dir",
                r"D:\档案数据",
                "service",
                "run",
                "--lan",
                "192.168.1.20:8443"
            ]
        );
        let with_peers = HostDoors {
            peer_door: Some("10.8.1.20:8444".parse().unwrap()),
            ..doors
        };
        let args = launch_arguments(Path::new(r"D:\档案数据"), with_peers);
        assert_eq!(
            args[args.len() - 2..],
            [
                OsString::from("--peer-door"),
                OsString::from("10.8.1.20:8444")
            ]
        );
        let with_open_data = HostDoors {
            open_data: Some(OpenDataAt::LanDoor),
            ..doors
        };
        let args = launch_arguments(Path::new(r"D:\档案数据"), with_open_data);
        assert_eq!(args.last(), Some(&OsString::from("--open-data")));
    }

    #[test]
    fn a_service_needs_a_named_folder_holding_an_archive() {
        let refused = service_data_dir(None).unwrap_err();
        assert!(
            refused.message.contains("--data-dir"),
            "{}",
            refused.message
        );
        let empty = tempfile::tempdir().unwrap();
        let refused = service_data_dir(Some(empty.path())).unwrap_err();
        assert_eq!(refused.code, ErrorCode::DataDir);
        crate::Archive::open(empty.path()).unwrap();
        assert!(service_data_dir(Some(empty.path())).unwrap().is_absolute());
    }
}
