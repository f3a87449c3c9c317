//! The LAN host as a Windows service, through Windows' own service manager (under Wine on the
//! test machine): installed with the data folder and address, started, serving on that
//! address, stopped cleanly (the archive closed with its trail whole), and removed.
#![cfg(windows)]

mod common;

use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use windows_service::service::{ServiceAccess, ServiceState};
use windows_service::service_manager::{ServiceManager, ServiceManagerAccess};

const SERVICE: &str = "ArchiveDeskHost";

fn archivedesk(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("ARCHIVEDESK_PASSWORD", "test-password")
        .output()
        .unwrap()
}

fn ok(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what}: not within 60 s"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn the_host_runs_as_a_windows_service_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("主机档案");
    ok(archivedesk(
        &data,
        &[
            "import",
            common::sample("retirement_catalogue_gb18030.csv")
                .to_str()
                .unwrap(),
        ],
    ));
    common::lan_host::add_supervisor(&data);
    let address = {
        let free = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
        free.local_addr().unwrap()
    };
    // One left by an interrupted run would refuse the install.
    let _ = archivedesk(&data, &["service", "uninstall"]);

    // Without a named folder, nothing is installed.
    let unnamed = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .args(["service", "install", "--lan", &address.to_string()])
        .output()
        .unwrap();
    assert!(!unnamed.status.success());
    assert!(String::from_utf8_lossy(&unnamed.stderr).contains("--data-dir"));

    let said = ok(archivedesk(
        &data,
        &["service", "install", "--lan", &address.to_string()],
    ));
    assert!(said.contains("已安装服务"), "{said}");
    let manager =
        ServiceManager::local_computer(None::<&str>, ServiceManagerAccess::CONNECT).unwrap();
    let service = manager
        .open_service(
            SERVICE,
            ServiceAccess::START | ServiceAccess::STOP | ServiceAccess::QUERY_STATUS,
        )
        .unwrap();
    service.start::<&str>(&[]).unwrap();
    wait_for("the service running", || {
        service.query_status().unwrap().current_state == ServiceState::Running
    });
    wait_for("the LAN door answering", || {
        TcpStream::connect(address).is_ok()
    });

    service.stop().unwrap();
    wait_for("the service stopped", || {
        service.query_status().unwrap().current_state == ServiceState::Stopped
    });
    assert!(TcpStream::connect(address).is_err(), "the door is closed");
    // Closed the proper way: the archive opens again and its trail is whole.
    let verified = ok(archivedesk(&data, &["audit", "verify"]));
    assert!(!verified.is_empty());

    // Windows removes a service once nobody holds it open.
    drop(service);
    let removed = ok(archivedesk(&data, &["service", "uninstall"]));
    assert!(removed.contains("已停止并删除服务"), "{removed}");
    assert!(manager
        .open_service(SERVICE, ServiceAccess::QUERY_STATUS)
        .is_err());
}
