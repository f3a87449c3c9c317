//! ArchiveDesk (档案查询台) on the desktop: a window over the built UI (ui/dist) whose operations
//! are Tauri commands calling the engine (`archivedesk`), and whose scanned pages come through
//! the `page` URI scheme.

#[macro_use]
mod command_names;
pub mod command_line;
pub mod commands;
pub mod data_folder;
pub mod desk;
pub mod door_switch;
pub mod lan_host;
pub mod local_archive;
pub mod logging;
pub mod page_protocol;
pub mod peer_door;

pub use command_names::COMMAND_NAMES;

use clap::Parser;
use command_line::CommandLine;
use data_folder::DataFolders;
use desk::Desk;
use tauri::{AppHandle, Builder, Context, Manager, Runtime};

pub const MAIN_WINDOW: &str = "main";

/// The app's configuration, icons, UI files and permissions, compiled in.
pub fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!()
}

macro_rules! command_handler {
    ($($name:ident),*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

/// The commands and the page scheme, on any runtime: the app's, or the tests' mock.
pub fn with_commands<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    let builder = builder.invoke_handler(for_each_command!(command_handler));
    page_protocol::register(builder)
}

/// The state the commands work on: the archive being opened, or the host worked on, as the
/// data folder says; nothing yet on a new PC, whose clerk chooses first.
pub fn desk_for(folders: DataFolders) -> std::sync::Arc<Desk> {
    Desk::at_start(folders)
}

pub fn run() {
    let command_line = CommandLine::parse();
    let context = context();
    let folders = data_folder::choose(
        &context.config().identifier,
        &command_line,
        std::env::var_os(data_folder::DATA_DIR_VARIABLE),
    );
    // Single instance first: a second launch must hand over before anything opens the archive.
    let builder = Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            bring_back_main_window(app)
        }))
        .plugin(logging::plugin())
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            log::info!("starting with {folders:?}");
            app.manage(desk_for(folders));
            Ok(())
        });
    with_commands(builder)
        .build(context)
        .expect("the desktop app could not start")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Quitting: the looks journaled so far are chained and the trail anchored.
                if let Some(desk) = app.try_state::<std::sync::Arc<Desk>>() {
                    desk.close();
                }
            }
        });
}

/// A clerk who starts the app again gets the window already open, even if it was minimized.
fn bring_back_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
