//! The soak benchmark's small case, as CI runs it: `bench soak` drives a real `archivedesk
//! serve` on a loopback port for ten seconds and reports its start and end windows. The ten
//! minutes that tell whether memory or handles grow are run by hand (README).

use std::process::Command;

#[test]
fn a_short_soak_answers_every_request_and_reports_both_windows() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .args(["bench", "soak", "--seconds", "10", "--entries", "300"])
        .args(["--clients", "2", "--json", "--work-dir"])
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
    assert_eq!(report["errors"], 0, "{report:#}");
    assert!(report["requests"].as_u64().unwrap() >= 20, "{report:#}");
    for window in ["start", "end"] {
        let w = &report[window];
        assert!(w["requests"].as_u64().unwrap() > 0, "{window}: {report:#}");
        assert!(w["p99_ms"].as_f64().unwrap() >= w["p50_ms"].as_f64().unwrap());
        if cfg!(target_os = "linux") {
            assert!(w["rss_mb"].as_f64().unwrap() > 1.0, "{window}: {report:#}");
            assert!(
                w["open_handles"].as_u64().unwrap() > 2,
                "{window}: {report:#}"
            );
        }
    }
}
