//! The `archivedesk` command: the archive without a window, for scripts, imports and checks.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
