//! Shared pieces of the engine's integration tests: temporary archives, fixture files written
//! the way vendors and Excel write them, and a snapshot of what an archive holds.
#![allow(dead_code)]

pub mod audited;
pub mod candidates;
pub mod cli;
pub mod counter;
pub mod lan_host;
pub mod peer_hosts;
pub mod scanned_volume;
pub mod server;
pub mod wage_index;

use archivedesk::api::{ImportReport, ImportRequest};
use archivedesk::Archive;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Vendor-shaped sample deliveries (copies of the shared samples, so a clone tests alone).
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn sample(name: &str) -> PathBuf {
    let path = samples_dir().join(name);
    assert!(path.is_file(), "sample file missing: {}", path.display());
    path
}

pub fn import(archive: &mut Archive, paths: &[&Path]) -> ImportReport {
    import_with(archive, paths, |_| {})
}

pub fn import_with(
    archive: &mut Archive,
    paths: &[&Path],
    adjust: impl FnOnce(&mut ImportRequest),
) -> ImportReport {
    let mut request = ImportRequest {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        ..ImportRequest::default()
    };
    adjust(&mut request);
    archive.import(&request, &mut |_| {}).expect("import runs")
}

/// Everything an import can change, read straight from the database file.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub documents: i64,
    pub entries: i64,
    pub live_entries: i64,
    pub pages: i64,
    pub batches: i64,
    pub rejected: i64,
    pub content: String,
}

pub fn snapshot(data_dir: &Path) -> Snapshot {
    let conn = Connection::open(data_dir.join("archive.sqlite3")).unwrap();
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let content: String = conn
        .query_row(
            "SELECT COALESCE(group_concat(entry_key || '=' || content_hash, ';'), '') FROM (SELECT * FROM entries ORDER BY id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    Snapshot {
        documents: n("SELECT COUNT(*) FROM documents"),
        entries: n("SELECT COUNT(*) FROM entries"),
        live_entries: n("SELECT COUNT(*) FROM entries WHERE superseded_at IS NULL"),
        pages: n("SELECT COUNT(*) FROM pages"),
        batches: n("SELECT COUNT(*) FROM import_batches"),
        rejected: n("SELECT COUNT(*) FROM rejected_rows"),
        content,
    }
}

/// Write a CSV as Excel on Chinese Windows saves it: GB18030 with CRLF.
pub fn write_gb18030_csv(path: &Path, lines: &[&str]) {
    let text = lines.join("\r\n") + "\r\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

pub fn write_utf8_csv(path: &Path, lines: &[&str], bom: bool) {
    let mut text = if bom {
        "\u{feff}".to_string()
    } else {
        String::new()
    };
    text.push_str(&lines.join("\n"));
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

/// A wage table in vendor shape: merged title on row 1, a blank row, the header on row 3, and
/// 档号 and 题名 merged down over each document's rows.
pub fn write_vendor_wage_table(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("1998年调资").unwrap();
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 7, "城关镇供销社1998年职工工资调整审批表", &plain)
        .unwrap();
    let headers = [
        "档号",
        "题名",
        "姓名",
        "性别",
        "出生年月",
        "身份证号码",
        "原工资",
        "调整后工资",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let docs = [
        (
            "J012-WS·1998-Y-0034",
            "城关镇供销社1998年工资调整表（一）",
            vec![
                ("王　磊", "男", "1956.10", "430726560315001", "291", "342"),
                (
                    "劉建國",
                    "男",
                    "1949年5月",
                    "11010519491231002X",
                    "396",
                    "478",
                ),
                ("单成芸", "女", "1966-07", "", "308", "387"),
            ],
        ),
        (
            "J012-WS·1998-Y-0035",
            "城关镇供销社1998年工资调整表（二）",
            vec![
                ("阿依古丽·买买提", "女", "一九七〇年三月", "", "280", "330"),
                ("曾喆", "男", "72.4", "", "275", "320"),
            ],
        ),
    ];
    let mut row = 3u32;
    for (ref_code, title, people) in docs {
        let first = row;
        let last = row + people.len() as u32 - 1;
        sheet
            .merge_range(first, 0, last, 0, ref_code, &plain)
            .unwrap();
        sheet.merge_range(first, 1, last, 1, title, &plain).unwrap();
        for (name, gender, birth, id, before, after) in people {
            for (c, v) in [
                (2, name),
                (3, gender),
                (4, birth),
                (5, id),
                (6, before),
                (7, after),
            ] {
                if !v.is_empty() {
                    sheet.write_string(row, c, v).unwrap();
                }
            }
            row += 1;
        }
    }
    book.save(path).unwrap();
}

/// A table with a two-row header: a merged group label over 原工资 / 调整后工资.
pub fn write_two_row_header_table(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet.merge_range(0, 0, 1, 0, "档号", &plain).unwrap();
    sheet.merge_range(0, 1, 1, 1, "姓名", &plain).unwrap();
    sheet
        .merge_range(0, 2, 0, 3, "工资情况（元）", &plain)
        .unwrap();
    sheet.write_string(1, 2, "原工资").unwrap();
    sheet.write_string(1, 3, "调整后工资").unwrap();
    sheet.merge_range(0, 4, 1, 4, "备注", &plain).unwrap();
    let year_month = Format::new().set_num_format("0.00");
    sheet.write_string(2, 0, "J031-WS-1995-Y-0002").unwrap();
    sheet.write_string(2, 1, "覃海").unwrap();
    sheet.write_number(2, 2, 210.5).unwrap();
    sheet.write_number(2, 3, 245.0).unwrap();
    sheet.write_string(2, 4, "晋升一级").unwrap();
    sheet.write_string(3, 0, "J031-WS-1995-Y-0002").unwrap();
    sheet.write_string(3, 1, "翟玉兰").unwrap();
    sheet
        .write_number_with_format(3, 2, 198.1, &year_month)
        .unwrap();
    sheet.write_number(3, 3, 230.0).unwrap();
    book.save(path).unwrap();
}

/// An 18-digit resident ID number: the 17 digits given and their check character
/// (GB 11643-1999, MOD 11-2), computed here rather than by the engine under test.
pub fn id18(first17: &str) -> String {
    assert_eq!(first17.len(), 17);
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// A wage table of `rows` rows, 30 to a document, large enough that importing it takes a while.
pub fn write_large_catalogue(path: &std::path::Path, rows: usize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "档号,题名,姓名,性别,出生年月,工作单位,原工资,调整后工资"
    )
    .unwrap();
    for i in 0..rows {
        writeln!(
            out,
            "J099-WS·1998-Y-{:05},县第{}厂1998年工资调整表,职工{},男,19{:02}.{:02},县第{}厂,{},{}",
            i / 30,
            i % 20,
            i,
            40 + i % 40,
            1 + i % 12,
            i % 20,
            200 + i % 300,
            240 + i % 300
        )
        .unwrap();
    }
}
