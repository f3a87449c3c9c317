//! The UI's operations: each command passes its request to the engine's `ops::call` for the
//! clerk at the desk, as the HTTP door does; errors reach the UI as the engine's
//! `{code, message}`. Importing paths chosen in the system dialog is the desktop's own.

use crate::desk::{import_of_chosen_paths, Desk};
use archivedesk::api::{ImportJobStarted, ImportStartRequest};
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

/// Files and folders chosen in the system dialog, imported where they are, for the clerk at
/// the desk.
#[tauri::command]
pub async fn import_start(
    desk: DeskState<'_>,
    request: ImportStartRequest,
) -> Result<ImportJobStarted> {
    let request = import_of_chosen_paths(request)?;
    let caller = desk.at_desk()?;
    log::info!(
        "import started: {} file(s) or folder(s), dry run: {}",
        request.paths.len(),
        request.dry_run
    );
    // Nothing to clean up afterwards: the files are the clerk's own.
    desk.with_session("import_start", move |session| {
        session.start_import(request, Vec::new(), caller)
    })
    .await
}
