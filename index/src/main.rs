//! The `archivedesk` command: the archive without a window, for scripts, imports and checks.

mod cli;

/// The import allocates a few small strings per cell of every row on several threads; this
/// allocator keeps a heap per thread and gives them back faster than the system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
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
