//! Where an archive lives on disk when the clerk does not say.
//!
//! On Windows the local (never roaming) application-data folder, so that a large archive does not
//! follow the clerk's profile across the network; on Linux the XDG data folder.

use std::path::PathBuf;

const APP_FOLDER: &str = "ArchiveDesk";
const DEMO_FOLDER: &str = "ArchiveDesk-Demo";

/// The folder the CLI and the desktop app share by default.
pub fn default_data_dir() -> PathBuf {
    base_dir().join(APP_FOLDER)
}

/// The demo archive lives apart from the real one, so opening it never mixes demo rows into a
/// clerk's archive.
pub fn default_demo_dir() -> PathBuf {
    base_dir().join(DEMO_FOLDER)
}

#[cfg(windows)]
fn base_dir() -> PathBuf {
    std::env::var_os("LOCALAPPDATA")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("USERPROFILE").map(|p| PathBuf::from(p).join("AppData").join("Local"))
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(not(windows))]
fn base_dir() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg);
    }
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".local").join("share"))
        .unwrap_or_else(|| PathBuf::from("."))
}
