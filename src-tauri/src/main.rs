// No console window behind the app on Windows (debug builds keep one for their output).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The same allocator as the command line's: imports run in this process too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    archivedesk_desktop::run()
}
