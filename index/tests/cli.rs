//! The `archivedesk` command: exit codes, `--json` shapes and plain output.

mod common;

use common::*;
use std::process::{Command, Output};

fn archivedesk(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn import_then_show_and_stats_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let csv = sample("retirement_catalogue_gb18030.csv");
    let xlsx = sample("vendor_wage_table_title_row_merged.xlsx");
    let out = archivedesk(
        &data,
        &[
            "import",
            csv.to_str().unwrap(),
            xlsx.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["files"][0]["rows_accepted"], 6);
    assert_eq!(report["files"][1]["rows_rejected"], 1);
    assert_eq!(report["files"][1]["rejected"][0]["column"], "身份证号码");

    let out = archivedesk(&data, &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats["entries"], 17);
    assert_eq!(stats["rejected_rows"], 1);
    let categories: Vec<&str> = stats["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert!(
        categories.contains(&"退休审批") && categories.contains(&"工资调整"),
        "{categories:?}"
    );

    let out = archivedesk(&data, &["show", "031-7-1", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["entries"][0]["name"], "张瑞");

    let out = archivedesk(&data, &["show", "031-7-1"]);
    assert!(stdout(&out).contains("关于张瑞同志退休的批复"));
}

#[test]
fn strict_import_exits_3_when_rows_were_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = sample("vendor_wage_table_title_row_merged.xlsx");
    let out = archivedesk(dir.path(), &["import", "--strict", xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout(&out).contains("第15行"),
        "the rejected row is listed: {}",
        stdout(&out)
    );
}

#[test]
fn dry_run_prints_the_column_mapping_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = sample("vendor_wage_table_title_row_merged.xlsx");
    let out = archivedesk(dir.path(), &["import", "--dry-run", xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("试导入"), "{text}");
    assert!(text.contains("身份证号码 → 身份证号"), "{text}");
    let stats = archivedesk(dir.path(), &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert_eq!(stats["entries"], 0);
}

#[test]
fn errors_are_one_line_with_exit_1_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = archivedesk(dir.path(), &["stats"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "no archive is created by a reading command"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("init"));
    assert!(!dir.path().join("archive.sqlite3").exists());
    assert_eq!(archivedesk(dir.path(), &["init"]).status.code(), Some(0));
    let out = archivedesk(dir.path(), &["show", "NO-SUCH-REF"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("NO-SUCH-REF"));

    let missing = dir.path().join("没有这个文件.csv");
    let out = archivedesk(dir.path(), &["import", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("没有这个文件.csv"));

    let out = archivedesk(dir.path(), &["import"]);
    assert_eq!(out.status.code(), Some(2));
    let out = archivedesk(dir.path(), &["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn init_names_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let out = archivedesk(dir.path(), &["init", "--name", "清源县档案馆", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats["archive_name"], "清源县档案馆");
    assert_eq!(stats["demo"], false);
    assert!(dir.path().join("archive.sqlite3").is_file());
}
