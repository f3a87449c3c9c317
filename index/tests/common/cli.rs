//! Running the `archivedesk` command on a data folder and reading its answer, and the GB18030
//! catalogue of the counter the command-line tests work on.

use super::*;
use std::process::{Command, Output};

pub fn archivedesk(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// The command run, and it must succeed (what it printed on stderr says why not).
pub fn archivedesk_ok(data: &std::path::Path, args: &[&str]) -> Output {
    let out = archivedesk(data, args);
    assert!(
        out.status.success(),
        "archivedesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// 刘建国 across four documents decades apart, written four ways (traditional characters, an
/// ideographic space, a 15-digit ID, a full-width 档号), listed out of date order; and other
/// workers of the same machine works in several categories and years.
pub fn write_counter_catalogue(path: &std::path::Path) -> (String, String) {
    let liu = id18("11010519490512003");
    let liu15 = format!("{}{}", &liu[..6], &liu[8..17]);
    let mut lines = vec![
        "档号,题名,类别,成文日期,姓名,性别,出生年月,身份证号码,工作单位".to_string(),
        format!("J012-WS·1998-Y-0034,城关镇供销社1998年工资调整表,工资调整,1998年7月,劉　建國,男,1949年5月,{liu},城关镇供销社"),
        format!("ＷＳ－１９８５－００１２,县机械厂1985年工资调整表,工资调整,1985.10,刘建国,男,1949.05,{liu15},县机械厂"),
        format!("J012-TX·2009-Y-0003,城关镇退休审批表,退休审批,2009年6月,劉建國,男,1949年5月,{liu},城关镇供销社"),
        format!("J012-ZG·1970-Y-0001,县机械厂招工录用审批表,招工录用,1970年3月,刘建国,男,1949.5,{liu},县机械厂"),
    ];
    let workers = [
        (
            "J012-ZG·1972-Y-0002",
            "县机械厂招工录用审批表",
            "招工录用",
            "1972年4月",
            "韩秀英",
        ),
        (
            "J012-ZG·1972-Y-0002",
            "县机械厂招工录用审批表",
            "招工录用",
            "1972年4月",
            "冯志强",
        ),
        (
            "J012-WS·1986-Y-0013",
            "县机械厂1986年工资调整表",
            "工资调整",
            "1986年9月",
            "韩秀英",
        ),
        (
            "J012-WS·1986-Y-0013",
            "县机械厂1986年工资调整表",
            "工资调整",
            "1986年9月",
            "冯志强",
        ),
        (
            "J012-WS·1986-Y-0013",
            "县机械厂1986年工资调整表",
            "工资调整",
            "1986年9月",
            "蒋玉兰",
        ),
        (
            "J012-WS·1993-Y-0021",
            "县机械厂1993年工资调整表",
            "工资调整",
            "1993年10月",
            "蒋玉兰",
        ),
        (
            "J012-TX·2001-Y-0008",
            "县机械厂退休审批表",
            "退休审批",
            "2001年2月",
            "冯志强",
        ),
    ];
    for (ref_code, title, category, date, name) in workers {
        lines.push(format!(
            "{ref_code},{title},{category},{date},{name},,,,县机械厂"
        ));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_gb18030_csv(path, &lines);
    (liu, liu15)
}

pub fn json(o: &Output) -> serde_json::Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// The `--json` answer of `search QUERY` with `extra` arguments.
pub fn search_json(data: &std::path::Path, query: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["search", query, "--json"];
    args.extend_from_slice(extra);
    json(&archivedesk(data, &args))
}
