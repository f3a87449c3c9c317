//! `bench ocr`'s small case, as CI runs it: one degraded wage table read by ours and by RapidOCR
//! in the same run, then found by searching in a small archive while the background reader
//! reads it. The figures in README come from the long run by hand.

use std::process::Command;

#[test]
#[cfg_attr(
    windows,
    ignore = "RapidOCR runs in the Linux Python environment, which a Windows program cannot start"
)]
fn one_page_is_read_by_both_readers_and_its_names_are_found_by_searching() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .args([
            "bench",
            "ocr",
            "--pages",
            "1",
            "--rows",
            "8",
            "--entries",
            "300",
        ])
        .args(["--json", "--work-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(out.status.success(), "{report:#}");
    assert_eq!(report["names_printed"], 8, "{report:#}");
    for reader in ["ours", "rapidocr"] {
        let figures = &report[reader];
        assert!(
            figures["cer"].as_f64().unwrap() <= 0.02,
            "{reader}: {report:#}"
        );
        assert!(
            figures["seconds_per_page_median"].as_f64().unwrap() > 0.0,
            "{reader}: {report:#}"
        );
    }
    let archive = &report["archive"];
    assert_eq!(archive["pages_read"], 1, "{report:#}");
    assert_eq!(archive["names_found"], 8, "{report:#}");
    assert!(archive["search_reading"]["searches"].as_u64().unwrap() > 0);
}
