// No console window behind the app on Windows (debug builds keep one for their output).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The same allocator as the command line's: imports run in this process too. Under a ceiling
/// only when this program runs as the workbook reader's child.
#[global_allocator]
static ALLOCATOR: archivedesk::memory_ceiling::Ceiling<mimalloc::MiMalloc> =
    archivedesk::memory_ceiling::Ceiling::new(mimalloc::MiMalloc);

fn main() {
    // Started by the app itself to read one workbook: read it and end, before any window.
    if let Some(code) = archivedesk::import::isolated::child::run_if_asked() {
        std::process::exit(code);
    }
    if let Some(reader) = archivedesk::import::isolated::ReaderChild::this_program() {
        archivedesk::import::isolated::read_workbooks_in_child(reader);
    }
    archivedesk_desktop::run()
}
