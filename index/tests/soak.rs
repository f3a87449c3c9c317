//! The load benchmarks' small cases, as CI runs them: `bench soak` drives a real `archivedesk
//! serve` on a loopback port for ten seconds and reports its start and end windows; `bench lan`
//! drives two paired desks on a LAN host at ten times a clerk's pace and checks the host's
//! certificate numbers and audit chain after. The long runs that give the figures are run by
//! hand (README).

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

#[test]
fn two_desks_at_ten_times_a_clerks_pace_leave_gapless_numbers_and_a_whole_audit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .args([
            "bench",
            "lan",
            "--seconds",
            "15",
            "--desks",
            "2",
            "--entries",
            "600",
        ])
        .args(["--pace", "10", "--no-baseline", "--json", "--work-dir"])
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
    let lan = &report["lan"];
    assert_eq!(lan["door"], "lan");
    let count = |op: &str| {
        lan["operations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["operation"] == op)
            .unwrap_or_else(|| panic!("no {op} in {lan:#}"))
            .clone()
    };
    for op in ["search", "record_with_page", "register", "certificate"] {
        let figures = count(op);
        assert!(figures["count"].as_u64().unwrap() > 0, "{op}: {lan:#}");
        assert_eq!(figures["errors"], 0, "{op}: {lan:#}");
        assert!(figures["p99_ms"].as_f64().unwrap() >= figures["p50_ms"].as_f64().unwrap());
    }
    // Both desks issued, each under its own code: numbered 1, 2 … without gaps.
    assert!(lan["certificates"].as_u64().unwrap() >= 2, "{lan:#}");
    assert_eq!(lan["numbers_gapless"], true, "{lan:#}");
    assert_eq!(lan["audit_intact"], true, "{lan:#}");
    assert!(report["baseline"].is_null());
}
