//! Each benchmark case runs in a child process of this program (`archivedesk bench <case> …`),
//! so that its peak memory is its own; the child prints its figures as JSON.

use std::ffi::OsStr;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::bench_error::bench_err;
use crate::error::Result;

/// Runs `exe bench <case> <args…>` and reads the figures it prints; its error output becomes
/// the error when it fails.
pub(super) fn case_in_child<T: DeserializeOwned>(
    exe: &Path,
    case: &str,
    args: &[&OsStr],
) -> Result<T> {
    let output = std::process::Command::new(exe)
        .args(["bench", case])
        .args(args)
        .output()
        .map_err(bench_err)?;
    if !output.status.success() {
        return Err(bench_err(String::from_utf8_lossy(&output.stderr)));
    }
    serde_json::from_slice(&output.stdout).map_err(bench_err)
}
