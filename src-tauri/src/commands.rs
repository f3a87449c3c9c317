//! The UI's operations: each command passes its request to the engine's `ops::call` for the
//! clerk at the desk (or, at a LAN desk, to the host), as the HTTP door does; errors reach the UI
//! as the engine's `{code, message}`. Importing paths chosen in the system dialog, and choosing
//! where the app works, are the desktop's own.

use crate::desk::Desk;
use archivedesk::api::{DeskPlace, ImportJobStarted, ImportStartRequest, LanConnectRequest};
use archivedesk::Result;
use serde_json::Value;
use std::sync::Arc;
use tauri::State;

type DeskState<'a> = State<'a, Arc<Desk>>;

macro_rules! engine_operations {
    ($($name:ident),*) => {
        $(
            #[tauri::command]
            pub async fn $name(desk: DeskState<'_>, request: Option<Value>) -> Result<Value> {
                desk.call(stringify!($name), request.unwrap_or(Value::Null)).await
            }
        )*
    };
}

for_each_engine_operation!(engine_operations);

/// Files and folders chosen in the system dialog, imported where they are (at a LAN desk,
/// uploaded to the host), for the clerk at the desk.
#[tauri::command]
pub async fn import_start(
    desk: DeskState<'_>,
    request: ImportStartRequest,
) -> Result<ImportJobStarted> {
    desk.import_start(request).await
}

/// Where the app works; not chosen yet on a new PC's first start.
#[tauri::command]
pub async fn desk_place(desk: DeskState<'_>) -> Result<DeskPlace> {
    Ok(desk.place())
}

/// 本机档案库, chosen at first start.
#[tauri::command]
pub async fn choose_local_archive(desk: DeskState<'_>) -> Result<DeskPlace> {
    desk.choose_local().await
}

/// 连接局域网档案库: the host's address and the pairing code shown there.
#[tauri::command]
pub async fn connect_lan_archive(
    desk: DeskState<'_>,
    request: LanConnectRequest,
) -> Result<DeskPlace> {
    desk.connect_lan(request).await
}

macro_rules! host_operations {
    ($($name:ident),*) => {
        $(
            /// The LAN host's own operation on its desks, or 设置 → 局域网主机 (see `Desk::call_host`).
            #[tauri::command]
            pub async fn $name(desk: DeskState<'_>, request: Option<Value>) -> Result<Value> {
                desk.call_host(stringify!($name), request.unwrap_or(Value::Null)).await
            }
        )*
    };
}

host_operations!(
    lan_desks,
    lan_pairing_start,
    lan_desk_revoke,
    lan_host_status,
    lan_host_start,
    lan_host_stop,
    peer_door_status,
    peer_door_start,
    peer_door_stop
);
