//! What the app takes on its command line: which archive to open at start.

use clap::Parser;
use std::path::PathBuf;

#[derive(Debug, Default, Parser)]
#[command(name = "archivedesk-desktop", version, about = "档案查询台")]
pub struct CommandLine {
    /// Open the demo archive (fictional data), building it first if it does not exist yet.
    /// With --data-dir, the demo archive is built in or opened from that folder.
    #[arg(long)]
    pub demo: bool,

    /// The data folder to open instead of the default one (the folder the command-line
    /// program `archivedesk` uses by default).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}
