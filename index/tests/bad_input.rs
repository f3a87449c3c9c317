//! Bad input, each with its one outcome: a refused file leaves the archive exactly as it was; a
//! bad row is rejected and reported while the rest of the file is imported.

mod common;

use archivedesk::api::FileOutcome;
use archivedesk::Archive;
use common::*;
use std::io::Write;
use std::path::Path;

/// An archive already holding the GB18030 sample, so "unchanged" means something.
fn archive_with_data(dir: &Path) -> Archive {
    let mut archive = Archive::open(dir).unwrap();
    let report = import(&mut archive, &[&sample("retirement_catalogue_gb18030.csv")]);
    assert_eq!(report.files[0].entries_new, 6);
    archive
}

fn assert_refused(file: &Path, expect_in_message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut archive = archive_with_data(&data);
    let before = snapshot(&data);
    let report = import(&mut archive, &[file]);
    let f = &report.files[0];
    assert_eq!(
        f.outcome,
        FileOutcome::Refused,
        "{}: {:?}",
        file.display(),
        f.message
    );
    let message = f.message.as_deref().unwrap();
    assert!(
        message.contains(expect_in_message),
        "message {message:?} lacks {expect_in_message:?}"
    );
    let name = file.file_name().unwrap().to_string_lossy();
    assert!(
        message.contains(name.as_ref()),
        "message {message:?} names the file"
    );
    assert_eq!(snapshot(&data), before, "archive unchanged");
}

#[test]
fn truncated_xlsx_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(sample("vendor_wage_table_title_row_merged.xlsx")).unwrap();
    let path = dir.path().join("截断.xlsx");
    std::fs::write(&path, &whole[..whole.len() * 2 / 3]).unwrap();
    assert_refused(&path, "损坏");
}

#[test]
fn xlsx_zip_bomb_is_refused_before_expansion() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..48 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&path).unwrap().len() < 1 << 20,
        "the bomb is small on disk"
    );
    assert_refused(&path, "压缩炸弹");
}

#[test]
fn binary_file_named_csv_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("目录.csv");
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
    std::fs::write(&path, bytes).unwrap();
    assert_refused(&path, "二进制");
    let png = dir.path().join("照片.csv");
    image::RgbImage::new(4, 4)
        .save_with_format(&png, image::ImageFormat::Png)
        .unwrap();
    assert_refused(&png, "PNG");
}

#[test]
fn empty_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("空.csv");
    std::fs::write(&path, b"").unwrap();
    assert_refused(&path, "空");
}

#[test]
fn catalogue_without_ref_code_or_its_parts_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("无档号.csv");
    write_utf8_csv(&path, &["姓名,性别,出生年月", "王磊,男,1960.3"], false);
    assert_refused(&path, "档号");
}

#[test]
fn excel_mangled_ids_are_rejected_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.csv");
    write_utf8_csv(
        &path,
        &[
            "档号,姓名,身份证号",
            "G-1,王磊,6.20102E+17",
            "G-1,李娜,11010519491231002X",
            "G-1,赵强,430726560315001",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!((f.rows_accepted, f.rows_rejected), (2, 1));
    let r = &f.rejected[0];
    assert_eq!((r.row, r.column.as_deref()), (2, Some("身份证号")));
    assert!(r.reason.contains("6.20102E+17"), "{}", r.reason);
}

#[test]
fn gbk_line_with_an_invalid_byte_is_rejected_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gbk.csv");
    let mut bytes = Vec::new();
    for line in [
        "档号,姓名,工作单位",
        "H-1,王磊,县粮食局",
        "H-1,李娜,县供销社",
    ] {
        bytes.extend_from_slice(&encoding_rs::GB18030.encode(line).0);
        bytes.extend_from_slice(b"\r\n");
    }
    // A lead byte followed by a byte no GBK/GB18030 character can have.
    bytes.extend_from_slice(&encoding_rs::GB18030.encode("H-1,赵").0);
    bytes.extend_from_slice(&[0x81, 0x7F]);
    bytes.extend_from_slice(
        &encoding_rs::GB18030
            .encode(",县医院\r\nH-1,钱进,县一中\r\n")
            .0,
    );
    std::fs::write(&path, bytes).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert!(f.format.contains("GB18030"), "{}", f.format);
    assert_eq!((f.rows_accepted, f.rows_rejected), (3, 1));
    assert_eq!(
        (f.rejected[0].row, f.rejected[0].column.as_deref()),
        (4, Some("姓名"))
    );
    assert!(
        f.rejected[0].reason.contains("解码"),
        "{}",
        f.rejected[0].reason
    );
    let names: Vec<String> = archive
        .show("H-1")
        .unwrap()
        .entries
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, vec!["王磊", "李娜", "钱进"]);
}

#[test]
fn a_line_beyond_sixty_four_megabytes_refuses_the_file_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("一行过长.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    out.write_all("档号,姓名,备注\nI-1,王磊,短\nI-1,李娜,\"".as_bytes())
        .unwrap();
    // A quoted cell that never closes: 80 MB of one record, line breaks and all.
    let chunk = "档案文字\n".repeat(1 << 16);
    for _ in 0..(80 << 20) / chunk.len() {
        out.write_all(chunk.as_bytes()).unwrap();
    }
    drop(out);
    assert_refused(&path, "从第 3 行起的一行超过 64 MB");
}

#[test]
fn ten_megabyte_cell_rejects_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let huge = "档".repeat(10 * 1024 * 1024 / 3);
    let body = format!("档号,姓名,备注\nI-1,王磊,短\nI-1,李娜,{huge}\nI-1,赵强,短\n");
    std::fs::write(&path, body).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!((f.rows_accepted, f.rows_rejected), (2, 1));
    assert_eq!(
        (f.rejected[0].row, f.rejected[0].column.as_deref()),
        (3, Some("备注"))
    );
    assert!(f.rejected[0].reason.contains("MB"));
}

#[test]
fn row_whose_ref_code_is_empty_after_fill_down_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    for (c, h) in ["档号", "姓名"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "K-1").unwrap();
    sheet.write_string(1, 1, "王磊").unwrap();
    sheet.write_string(2, 1, "无档号的人").unwrap();
    sheet.merge_range(3, 0, 4, 0, "K-2", &plain).unwrap();
    sheet.write_string(3, 1, "李娜").unwrap();
    sheet.write_string(4, 1, "赵强").unwrap();
    book.save(&path).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!((f.rows_accepted, f.rows_rejected), (3, 1));
    assert_eq!(
        (f.rejected[0].row, f.rejected[0].column.as_deref()),
        (3, Some("档号"))
    );
    assert_eq!(
        archive.show("K-2").unwrap().entries.len(),
        2,
        "merged 档号 filled down"
    );
}

#[test]
fn file_whose_extension_lies_is_read_as_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("其实是表格.csv");
    std::fs::copy(sample("vendor_wage_table_title_row_merged.xlsx"), &path).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!(f.outcome, FileOutcome::Imported);
    assert!(f.warnings.iter().any(|w| w.message.contains("实际是XLSX")));
    assert_eq!(f.rows_accepted, 11);
}

#[test]
fn database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Archive::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("archive.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Archive::open(dir.path()).err().expect("refused");
    assert_eq!(err.code, archivedesk::ErrorCode::SchemaTooNew);
    assert!(err.message.contains("较新版本"), "{}", err.message);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("archive.sqlite3"),
        "这不是数据库".repeat(200),
    )
    .unwrap();
    let err = Archive::open(dir.path()).err().expect("refused");
    assert_eq!(err.code, archivedesk::ErrorCode::Database);
    assert!(err.message.contains("archive.sqlite3"), "{}", err.message);
}

/// A data folder the clerk's account cannot write (read-only, or no permission) is said to be
/// that, not a damaged database, and nothing is written. As root the folder's permissions would
/// not bind, so the program is run as nobody.
#[cfg(unix)]
#[test]
fn a_read_only_data_folder_is_said_to_be_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = sample("retirement_catalogue_gb18030.csv");
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv]);
    drop(archive);
    let before = snapshot(&data);
    let open = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    open(dir.path(), 0o755);
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            open(&path, 0o444);
        }
    }
    open(&data, 0o555);
    let again = dir.path().join("again.csv");
    std::fs::copy(&csv, &again).unwrap();
    open(&again, 0o644);
    let mut command = if running_as_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_archivedesk"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_archivedesk"))
    };
    let out = command
        .arg("--data-dir")
        .arg(&data)
        .arg("import")
        .arg(&again)
        .output()
        .unwrap();
    open(&data, 0o755);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("只读或没有写入权限"), "{stderr}");
    assert!(!stderr.contains("损坏"), "{stderr}");
    assert_eq!(snapshot(&data), before, "nothing written");
}

/// Whether the tests run as root (whose file permissions do not bind).
#[cfg(unix)]
fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn a_person_row_without_a_name_is_rejected_and_a_wage_in_words_is_kept_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("调资表.csv");
    write_utf8_csv(
        &path,
        &[
            "档号,姓名,性别,身份证号,调整前工资,调整后工资",
            "W-1,王磊,男,,350,464",
            "W-1,,女,,300,400",
            "W-1,李娜,女,,300,abc",
            "W-1,赵强,男,,300,—",
            // A volume's own line, its person cells filled with dashes: no person, no refusal.
            "W-1,,—,—,,",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!((f.rows_accepted, f.rows_rejected), (4, 1), "{f:?}");
    let r = &f.rejected[0];
    assert_eq!((r.row, r.column.as_deref()), (3, Some("姓名")));
    assert!(r.reason.contains("姓名为空"), "{}", r.reason);

    // Kept as written, said on its row, and the value not repeated in the report (money).
    let warned: Vec<_> = f
        .warnings
        .iter()
        .filter(|w| w.message.contains("不是数字金额"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", f.warnings);
    assert_eq!(warned[0].row, Some(4));
    assert_eq!(warned[0].column.as_deref(), Some("调整后工资"));
    assert!(!warned[0].message.contains("abc"));
    let volume = archive.show("W-1").unwrap();
    let names: Vec<&str> = volume.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["王磊", "李娜", "赵强"]);
}

/// An XLSX sheet rewritten with `depth` elements nested in a cell and between its rows, as a
/// hostile file would carry them to overflow a parser that recurses.
fn xlsx_with_nested_xml(path: &Path, depth: usize) {
    use std::io::Read;
    let plain = path.with_extension("plain.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["档号", "题名", "姓名", "出生年月"],
        [
            "J077-WS·1998-Y-0001",
            "1998年工资调整表",
            "郑红旗",
            "1950.03",
        ],
        [
            "J077-WS·1998-Y-0001",
            "1998年工资调整表",
            "钱向东",
            "1952.11",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(&plain).unwrap();
    let mut source = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let nest = |tag: &str| {
        format!(
            "{}{}",
            format!("<{tag}>").repeat(depth),
            format!("</{tag}>").repeat(depth)
        )
    };
    for i in 0..source.len() {
        let mut file = source.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            let deep_cell = format!(
                "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>{}</t></is></c></row>{}",
                nest("x"),
                nest("y")
            );
            bytes = xml
                .replace("</sheetData>", &format!("{deep_cell}</sheetData>"))
                .into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn xlsx_with_deeply_nested_xml_costs_at_most_its_own_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("嵌套.xlsx");
    xlsx_with_nested_xml(&path, 200_000);
    let data = dir.path().join("data");
    let mut archive = archive_with_data(&data);
    let report = import(&mut archive, &[&path]);
    let file = &report.files[0];
    // The parser reads nesting without recursion: the program is still here, the file's good
    // rows are in, and the nested junk never became a person.
    assert_eq!(file.outcome, FileOutcome::Imported, "{file:?}");
    assert_eq!(file.rows_accepted, 2, "{file:?}");
    for name in ["郑红旗", "钱向东"] {
        let found = archive
            .search(&archivedesk::api::SearchRequest {
                query: name.into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(found.hits.len(), 1, "{name}");
    }
    // And the archive goes on working after it.
    let again = import(&mut archive, &[&sample("retirement_catalogue_gb18030.csv")]);
    assert_ne!(again.files[0].outcome, FileOutcome::Refused);
}
