//! The `archivedesk` command: exit codes, `--json` shapes and plain output.

mod common;

use common::cli::*;
use common::*;
use std::process::Command;

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

/// The counter from the command line: register, attach, certify, verify, audit and count —
/// acting as the local operator, never asking for a password.
#[test]
fn a_counter_visit_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let csv = dir.path().join("工资.csv");
    let (liu, _) = write_counter_catalogue(&csv);
    json(&archivedesk(
        &data,
        &["import", csv.to_str().unwrap(), "--json"],
    ));
    json(&archivedesk(
        &data,
        &[
            "init",
            "--name",
            "城关区档案馆",
            "--desk-code",
            "B",
            "--json",
        ],
    ));

    let refused = archivedesk(
        &data,
        &[
            "register",
            "new",
            "--name",
            "刘建国",
            "--id-number",
            "110105194905120000",
            "--purpose",
            "退休待遇核定",
            "--sought",
            "工资调整表",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("查档人身份证号"));

    let request = json(&archivedesk(
        &data,
        &[
            "register",
            "new",
            "--name",
            "刘建国",
            "--id-number",
            &liu,
            "--purpose",
            "退休待遇核定",
            "--sought",
            "1998年工资调整",
            "--json",
        ],
    ));
    let id = request["id"].as_i64().unwrap().to_string();
    let hits = search_json(&data, &liu, &[]);
    let entry = hits["hits"][0]["entry_id"].as_i64().unwrap().to_string();
    let attached = json(&archivedesk(
        &data,
        &["register", "attach", &id, "--entry", &entry, "--json"],
    ));
    assert_eq!(attached["status"], "found");
    assert_eq!(attached["records"][0]["own_record"], true);

    let pdf = dir.path().join("证明.pdf");
    let issued = json(&archivedesk(
        &data,
        &[
            "certificate",
            "issue",
            &id,
            "--out",
            pdf.to_str().unwrap(),
            "--json",
        ],
    ));
    let number = issued["number"].as_str().unwrap();
    assert!(number.contains("B第0001号"), "{number}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let code = issued["verify_code"].as_str().unwrap();

    let verified = archivedesk(&data, &["verify", code, "--pdf", pdf.to_str().unwrap()]);
    assert_eq!(verified.status.code(), Some(0));
    assert!(stdout(&verified).contains("核验通过"));
    let mut bytes = std::fs::read(&pdf).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&pdf, bytes).unwrap();
    let forged = archivedesk(&data, &["verify", code, "--pdf", pdf.to_str().unwrap()]);
    assert_eq!(forged.status.code(), Some(4));
    assert!(stdout(&forged).contains("核验未通过"));

    let closed = json(&archivedesk(
        &data,
        &[
            "register",
            "close",
            &id,
            "--outcome",
            "已核定退休待遇",
            "--json",
        ],
    ));
    assert_eq!(closed["status"], "delivered");
    let listed = json(&archivedesk(
        &data,
        &["register", "list", "刘建国", "--json"],
    ));
    assert_eq!(listed["total"], 1);

    let head = dir.path().join("链头.json");
    json(&archivedesk(
        &data,
        &["audit", "export", "--out", head.to_str().unwrap(), "--json"],
    ));
    let verify = json(&archivedesk(
        &data,
        &[
            "audit",
            "verify",
            "--head",
            head.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(verify["intact"], true);
    let rows = json(&archivedesk(&data, &["audit", "list", "--json"]));
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["actor"].as_str().unwrap().starts_with("local")));

    let xlsx = dir.path().join("利用统计.xlsx");
    let usage = json(&archivedesk(
        &data,
        &[
            "stats",
            "--usage",
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(usage["people_served"], 1);
    assert_eq!(usage["certificates"], 1);
    assert!(xlsx.is_file());
}

/// `archivedesk search … | head`: once the reader has gone, the command ends quietly.
#[test]
fn output_to_a_reader_that_has_gone_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = sample("retirement_catalogue_gb18030.csv");
    let out = archivedesk(&data, &["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(&data)
        .args(["search", "退休"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The reader closes its end before the command writes a line.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
