//! The `archivedesk` command: the archive without a window, for scripts, imports and checks.

mod cli;

/// The import allocates a few small strings per cell of every row on several threads; this
/// allocator keeps a heap per thread and gives them back faster than the system's.
/// Under a ceiling only in the workbook reader's child process.
#[global_allocator]
static ALLOCATOR: archivedesk::memory_ceiling::Ceiling<mimalloc::MiMalloc> =
    archivedesk::memory_ceiling::Ceiling::new(mimalloc::MiMalloc);

fn main() {
    if let Some(code) = archivedesk::import::isolated::child::run_if_asked() {
        std::process::exit(code);
    }
    if let Some(reader) = archivedesk::import::isolated::ReaderChild::this_program() {
        archivedesk::import::isolated::read_workbooks_in_child(reader);
    }
    quiet_when_the_reader_is_gone();
    std::process::exit(cli::run());
}

/// A reader that stopped reading (`archivedesk search … | head`, a closed console) wants no
/// more output: end quietly instead of a panic message. `println!` panics with this message
/// on any platform when the write fails; every other panic is reported as before.
fn quiet_when_the_reader_is_gone() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") {
            std::process::exit(0);
        }
        report(info);
    }));
}
