//! Catalogues in the shapes vendors and Excel deliver are imported with the right counts,
//! fields and reports.

mod common;

use archivedesk::api::Field;
use archivedesk::api::FileOutcome;
use archivedesk::Archive;
use common::*;

#[test]
fn gb18030_csv_with_synonym_headers_imports_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(dir.path()).unwrap();
    let report = import(&mut archive, &[&sample("retirement_catalogue_gb18030.csv")]);
    let file = &report.files[0];
    assert_eq!(file.outcome, FileOutcome::Imported, "{:?}", file.message);
    assert!(file.format.contains("GB18030"), "{}", file.format);
    assert_eq!(
        (file.rows_read, file.rows_accepted, file.rows_rejected),
        (6, 6, 0)
    );
    assert_eq!((file.documents_new, file.entries_new), (6, 6));
    let columns = &file.sheets[0].columns;
    let field_of = |header: &str| {
        columns
            .iter()
            .find(|c| c.header == header)
            .and_then(|c| c.field)
    };
    assert_eq!(field_of("档案号"), Some(Field::RefCode));
    assert_eq!(field_of("公民身份号码"), Some(Field::IdNumber));
    assert_eq!(field_of("发文字号"), Some(Field::DocNumber));
    assert_eq!(field_of("成文日期"), Some(Field::Date));
    assert_eq!(field_of("单位名称"), Some(Field::WorkUnit));

    let doc = archive.show("031-7-1").unwrap();
    assert_eq!(doc.title.as_deref(), Some("关于张瑞同志退休的批复"));
    assert_eq!(
        doc.category.as_deref(),
        Some("退休审批"),
        "inferred from the title"
    );
    assert_eq!(doc.year, Some(2007));
    let entry = &doc.entries[0];
    assert_eq!(entry.name, "张瑞");
    assert_eq!(entry.birth.as_deref(), Some("1949年5月"), "kept as written");
    assert_eq!(
        entry.birth_key.as_deref(),
        Some("1949-05"),
        "normalized beside it"
    );
    let stats = archive.stats().unwrap();
    assert_eq!((stats.documents, stats.entries), (6, 6));
}

#[test]
fn vendor_xlsx_with_title_row_and_merged_cells() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(dir.path()).unwrap();
    let report = import(
        &mut archive,
        &[&sample("vendor_wage_table_title_row_merged.xlsx")],
    );
    let file = &report.files[0];
    assert_eq!(file.outcome, FileOutcome::Imported);
    let sheet = &file.sheets[0];
    assert_eq!(sheet.header_rows, vec![3]);
    assert!(sheet.title.as_deref().unwrap().contains("工资调整"));
    assert_eq!(file.category.as_ref().unwrap().value, "工资调整");
    assert_eq!(
        (file.rows_read, file.rows_accepted, file.rows_rejected),
        (12, 11, 1)
    );
    let rejected = &file.rejected[0];
    assert_eq!(
        rejected.column.as_deref(),
        Some("身份证号码"),
        "the header as written"
    );
    assert!(rejected.reason.contains("Excel"), "{}", rejected.reason);
    assert_eq!(rejected.row, 15);
    // Every row got its 档号 from the merged cell above it.
    let stats = archive.stats().unwrap();
    assert_eq!(stats.entries, 11);
    assert_eq!(stats.documents as usize, file.documents_new);
    assert_eq!(stats.rejected_rows, 1);
}

#[test]
fn header_on_row_three_merged_refs_and_messy_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("供销社1998.xlsx");
    write_vendor_wage_table(&path);
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let file = &report.files[0];
    assert_eq!(file.sheets[0].header_rows, vec![3]);
    assert_eq!(
        (file.rows_accepted, file.documents_new, file.entries_new),
        (5, 2, 5)
    );

    // The 档号 typed with a hyphen finds the document written with a middle dot.
    let doc = archive.show("J012-WS-1998-Y-0034").unwrap();
    assert_eq!(doc.ref_code, "J012-WS·1998-Y-0034");
    assert_eq!(doc.entries.len(), 3);
    let wang = doc
        .entries
        .iter()
        .find(|e| e.name == "王　磊")
        .expect("name kept as written");
    assert_eq!(wang.birth_key.as_deref(), Some("1956-10"));
    assert_eq!(wang.id_valid, Some(true), "15-digit ID accepted");
    let liu = doc.entries.iter().find(|e| e.name == "劉建國").unwrap();
    assert_eq!(liu.birth_key.as_deref(), Some("1949-05"));
    let other = archive.show("j012 ws 1998 y 0035").unwrap();
    let zeng = other.entries.iter().find(|e| e.name == "曾喆").unwrap();
    assert_eq!(zeng.birth_key.as_deref(), Some("1972-04"));
    assert!(
        zeng.notes.iter().any(|n| n.contains("1972")),
        "two-digit year is said: {:?}",
        zeng.notes
    );
    let ayi = other
        .entries
        .iter()
        .find(|e| e.name.starts_with("阿依古丽"))
        .unwrap();
    assert_eq!(ayi.birth_key.as_deref(), Some("1970-03"));
}

#[test]
fn two_row_header_and_number_formats() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two_rows.xlsx");
    write_two_row_header_table(&path);
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import_with(&mut archive, &[&path], |r| {
        r.category = Some("工资调整".into())
    });
    let file = &report.files[0];
    assert_eq!(file.outcome, FileOutcome::Imported, "{:?}", file.message);
    assert_eq!(file.sheets[0].header_rows, vec![1, 2]);
    assert_eq!(file.entries_new, 2);
    let doc = archive.show("J031-WS-1995-Y-0002").unwrap();
    assert_eq!(doc.category.as_deref(), Some("工资调整"));
    let qin = doc.entries.iter().find(|e| e.name == "覃海").unwrap();
    assert_eq!(qin.wage_before.as_deref(), Some("210.5"));
    assert_eq!(qin.wage_after.as_deref(), Some("245"));
    assert_eq!(
        qin.extra,
        vec![("备注".to_string(), "晋升一级".to_string())]
    );
    let zhai = doc.entries.iter().find(|e| e.name == "翟玉兰").unwrap();
    assert_eq!(
        zhai.wage_before.as_deref(),
        Some("198.10"),
        "shown with the cell's format"
    );
}

#[test]
fn utf8_with_and_without_bom_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        "档号,姓名,出生日期,身份证号",
        "A-1,王磊,1960.3,110105491231002",
        "A-1,李娜,1962年4月,",
    ];
    let bom = dir.path().join("bom.csv");
    write_utf8_csv(&bom, &lines, true);
    let plain = dir.path().join("plain.csv");
    write_utf8_csv(&plain, &["档号,姓名", "B-1,赵强"], false);
    let jsonl = dir.path().join("录用.jsonl");
    std::fs::write(
        &jsonl,
        "{\"档号\":\"C-1\",\"姓名\":\"孙丽\",\"出生年月\":\"1958.12\",\"招工单位\":\"县粮食局\"}\n\n{\"档号\":\"C-1\",\"姓名\":\"周平\",\"性别\":\"男\"}\n",
    )
    .unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&bom, &plain, &jsonl]);
    assert!(
        report.files[0].format.contains("BOM"),
        "{}",
        report.files[0].format
    );
    assert_eq!(report.files[0].entries_new, 2);
    assert_eq!(report.files[1].entries_new, 1);
    let j = &report.files[2];
    assert_eq!((j.rows_read, j.entries_new), (2, 2));
    assert_eq!(
        j.category.as_ref().unwrap().value,
        "招工录用",
        "from the file name"
    );
    let doc = archive.show("C-1").unwrap();
    let sun = doc.entries.iter().find(|e| e.name == "孙丽").unwrap();
    assert_eq!(sun.birth_key.as_deref(), Some("1958-12"));
    assert_eq!(
        sun.extra,
        vec![("招工单位".to_string(), "县粮食局".to_string())]
    );
    // The first header cell did not keep the BOM.
    assert_eq!(archive.show("A-1").unwrap().entries.len(), 2);
}

#[test]
fn ref_code_composed_from_its_parts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parts.csv");
    write_utf8_csv(
        &path,
        &[
            "全宗号,目录号,案卷号,件号,姓名",
            "J012,WS,0034,1,王磊",
            "J012,WS,0034,1,李娜",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    assert_eq!(report.files[0].documents_new, 1);
    let doc = archive.show("J012-WS-0034-1").unwrap();
    assert_eq!(doc.entries.len(), 2);
    assert_eq!(doc.fonds.as_deref(), Some("J012"));
}

#[test]
fn items_of_different_years_stay_apart_when_the_ref_code_is_composed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("按件.csv");
    write_utf8_csv(
        &path,
        &[
            "全宗号,年度,保管期限,件号,姓名",
            "J012,1998,Y,1,王磊",
            "J012,1999,Y,1,李娜",
            "J012,,Y,2,赵强",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!((f.documents_new, f.rows_rejected), (2, 1));
    assert_eq!(
        archive.show("J012-1998-Y-1").unwrap().entries[0].name,
        "王磊"
    );
    assert_eq!(
        archive.show("J012-1999-Y-1").unwrap().entries[0].name,
        "李娜"
    );
    assert_eq!(
        (f.rejected[0].row, f.rejected[0].column.as_deref()),
        (4, Some("年度"))
    );

    // Item numbers without a year would merge item 1 of every year into one document.
    let no_year = dir.path().join("无年度.csv");
    write_utf8_csv(&no_year, &["全宗号,件号,姓名", "J012,1,王磊"], false);
    let refused = import(&mut archive, &[&no_year]);
    assert_eq!(refused.files[0].outcome, FileOutcome::Refused);
}

#[test]
fn csv_rows_are_numbered_as_excel_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("备注换行.csv");
    write_utf8_csv(
        &path,
        &[
            "清源县1998年工资表",
            "",
            "档号,姓名,身份证号,备注",
            "M-1,王磊,,\"第一行\n第二行\"",
            "M-1,李娜,6.20102E+17,",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    assert_eq!(
        report.files[0].sheets[0].header_rows,
        vec![3],
        "the blank line counts"
    );
    assert_eq!(
        report.files[0].rejected[0].row, 5,
        "the cell with a line break is one row"
    );
}

#[test]
fn mapping_file_names_unusual_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.csv");
    write_utf8_csv(&path, &["卷宗编码,职工姓名,内部序号", "D-7,钱进,17"], false);
    let mapping = dir.path().join("mapping.json");
    std::fs::write(
        &mapping,
        r#"{"columns": {"卷宗编码": "档号", "职工姓名": "name", "内部序号": "ignore"}}"#,
    )
    .unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let refused = import(&mut archive, &[&path]);
    assert_eq!(refused.files[0].outcome, FileOutcome::Refused);
    let loaded = archivedesk::import::mapping::load_mapping(&mapping).unwrap();
    let report = import_with(&mut archive, &[&path], |r| r.mapping = Some(loaded));
    assert_eq!(report.files[0].entries_new, 1);
    let doc = archive.show("D-7").unwrap();
    assert!(
        doc.entries[0].extra.is_empty(),
        "the ignored column is not kept"
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"columns\": [1,2]}").unwrap();
    let err = archivedesk::import::mapping::load_mapping(&bad).unwrap_err();
    assert!(err.message.contains("bad.json"), "{}", err.message);
}

#[test]
fn duplicate_rows_are_kept_once_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.csv");
    write_utf8_csv(
        &path,
        &[
            "档号,姓名,出生年月",
            "E-1,王磊,1960.3",
            "E-1,王磊,1960.3",
            "E-1,王磊,1961.5",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let file = &report.files[0];
    assert_eq!(file.duplicate_rows, 1);
    assert_eq!(
        file.entries_new, 2,
        "namesake with another birth month is another person"
    );
    assert!(file
        .warnings
        .iter()
        .any(|w| w.row == Some(3) && w.message.contains("相同")));
    assert_eq!(archive.stats().unwrap().entries, 2);
}

#[test]
fn dry_run_reports_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut archive = Archive::open(&data).unwrap();
    let before = snapshot(&data);
    let report = import_with(
        &mut archive,
        &[&sample("vendor_wage_table_title_row_merged.xlsx")],
        |r| r.dry_run = true,
    );
    assert!(report.dry_run);
    let file = &report.files[0];
    assert_eq!((file.rows_accepted, file.rows_rejected), (11, 1));
    assert!(file.sheets[0]
        .columns
        .iter()
        .any(|c| c.field == Some(Field::WageAfter)));
    assert_eq!(file.batch_id, None);
    assert_eq!(snapshot(&data), before);
}

#[test]
fn same_file_twice_adds_nothing_and_a_changed_file_replaces_its_batch() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = dir.path().join("工资表.csv");
    write_gb18030_csv(
        &path,
        &[
            "档号,姓名,出生年月,调整后工资",
            "F-1,王磊,1960.3,300",
            "F-1,李娜,1962.4,310",
            "F-2,赵强,1958.1,320",
        ],
    );
    let mut archive = Archive::open(&data).unwrap();
    let first = import(&mut archive, &[&path]);
    assert_eq!(first.files[0].entries_new, 3);
    let wang_id = archive
        .show("F-1")
        .unwrap()
        .entries
        .iter()
        .find(|e| e.name == "王磊")
        .unwrap()
        .id;
    let before = snapshot(&data);

    let again = import(&mut archive, &[&path]);
    assert_eq!(again.files[0].outcome, FileOutcome::Unchanged);
    assert_eq!(snapshot(&data), before);

    // The vendor corrects 王磊's wage and drops 李娜's row.
    write_gb18030_csv(
        &path,
        &[
            "档号,姓名,出生年月,调整后工资",
            "F-1,王磊,1960.3,305",
            "F-2,赵强,1958.1,320",
        ],
    );
    let second = import(&mut archive, &[&path]);
    let f = &second.files[0];
    assert_eq!(f.replaces_batch, first.files[0].batch_id);
    assert_eq!(
        (f.entries_new, f.entries_updated, f.entries_superseded),
        (0, 1, 1)
    );
    let doc = archive.show("F-1").unwrap();
    let wang = doc.entries.iter().find(|e| e.name == "王磊").unwrap();
    assert_eq!(
        wang.id, wang_id,
        "the entry keeps its id across a re-import"
    );
    assert_eq!(wang.wage_after.as_deref(), Some("305"));
    let li = doc
        .entries
        .iter()
        .find(|e| e.name == "李娜")
        .expect("a dropped row is kept");
    assert!(li.superseded);
    let stats = archive.stats().unwrap();
    assert_eq!(
        (
            stats.entries,
            stats.superseded_entries,
            stats.import_batches
        ),
        (2, 1, 1)
    );
}

#[test]
fn scan_folder_attaches_pages_and_full_text() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("退休.csv");
    write_utf8_csv(
        &catalogue,
        &[
            "档号,题名,姓名",
            "J031-WS·2007-Y-0001,关于张瑞同志退休的批复,张瑞",
        ],
        false,
    );
    let scans = dir.path().join("扫描件");
    let pages = scans.join("J031-WS-2007-Y-0001");
    std::fs::create_dir_all(&pages).unwrap();
    for (name, shade) in [("2.png", 200u8), ("10.png", 100), ("1.png", 250)] {
        image::RgbImage::from_pixel(40, 60, image::Rgb([shade, shade, shade]))
            .save(pages.join(name))
            .unwrap();
    }
    std::fs::write(
        scans.join("J031-WS·2007-Y-0001.txt"),
        "张瑞同志，男，1947年5月出生，经研究同意退休。",
    )
    .unwrap();
    std::fs::create_dir_all(scans.join("NO-SUCH-REF")).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&catalogue, &scans]);
    let scan_report = &report.files[1];
    assert_eq!(scan_report.pages_attached, 3);
    assert!(scan_report
        .warnings
        .iter()
        .any(|w| w.message.contains("NO-SUCH-REF")));
    let doc = archive.show("J031-WS-2007-Y-0001").unwrap();
    assert!(doc.has_full_text);
    let order: Vec<&str> = doc
        .pages
        .iter()
        .map(|p| p.path.rsplit(['/', '\\']).next().unwrap())
        .collect();
    assert_eq!(order, vec!["1.png", "2.png", "10.png"]);
    assert!(doc.pages.iter().all(|p| p.reachable && p.width == Some(40)));
    std::fs::remove_file(pages.join("2.png")).unwrap();
    let doc = archive.show("J031-WS-2007-Y-0001").unwrap();
    assert!(
        !doc.pages[1].reachable,
        "a missing scan shows as not reachable"
    );
}

#[test]
fn legacy_xls_with_a_title_row() {
    let dir = tempfile::tempdir().unwrap();
    let xls =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/退休审批_1997.xls");
    let mut archive = Archive::open(dir.path()).unwrap();
    let report = import(&mut archive, &[&xls]);
    let file = &report.files[0];
    assert_eq!(file.outcome, FileOutcome::Imported, "{:?}", file.message);
    assert_eq!(file.format, "XLS");
    assert_eq!(file.sheets[0].header_rows, vec![2]);
    assert_eq!(file.category.as_ref().unwrap().value, "退休审批");
    assert_eq!((file.rows_accepted, file.entries_new), (3, 3));
    let qiu = &archive.show("J012-WS-1997-Y-0101").unwrap().entries[0];
    assert_eq!(qiu.id_valid, Some(true));
    assert_eq!(qiu.birth_key.as_deref(), Some("1937-05"));
    let piao = &archive.show("J012-WS-1997-Y-0103").unwrap().entries[0];
    assert_eq!(piao.birth_key.as_deref(), Some("1940-03"));
    assert!(
        piao.notes
            .iter()
            .any(|n| n.contains("1997") && n.contains("10月")),
        "1997.1 as a number cannot tell January from October: {:?}",
        piao.notes
    );
}

#[test]
fn a_date_cell_formatted_as_year_month_keeps_that_precision() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("年月.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["档号", "姓名", "出生年月", "参加工作时间"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Y-1").unwrap();
    sheet.write_string(1, 1, "王磊").unwrap();
    let year_month = Format::new().set_num_format("yyyy\"年\"m\"月\"");
    let full = Format::new().set_num_format("yyyy-mm-dd");
    let born = ExcelDateTime::from_ymd(1956, 10, 1).unwrap();
    sheet
        .write_datetime_with_format(1, 2, &born, &year_month)
        .unwrap();
    let hired = ExcelDateTime::from_ymd(1975, 3, 12).unwrap();
    sheet
        .write_datetime_with_format(1, 3, &hired, &full)
        .unwrap();
    book.save(&path).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&path]);
    let wang = &archive.show("Y-1").unwrap().entries[0];
    assert_eq!(
        wang.birth_key.as_deref(),
        Some("1956-10"),
        "no day was written"
    );
    assert_eq!(wang.work_start.as_deref(), Some("1975-03-12"));
}

#[test]
fn a_two_digit_birth_year_is_not_after_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("1985.csv");
    write_utf8_csv(
        &path,
        &["档号,年度,姓名,出生年月", "Z-1985-1,1985,王磊,26.5"],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&path]);
    let wang = &archive.show("Z-1985-1").unwrap().entries[0];
    assert_eq!(wang.birth_key.as_deref(), Some("1926-05"));
    assert!(
        wang.notes.iter().any(|n| n.contains("1985")),
        "{:?}",
        wang.notes
    );
}

#[test]
fn a_file_name_does_not_outrank_a_documents_own_title() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("工资科移交目录.csv");
    write_utf8_csv(
        &path,
        &[
            "档号,题名,姓名",
            "K-1,关于王磊同志退休的批复,王磊",
            "K-2,移交清单,李娜",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&path]);
    assert_eq!(
        archive.show("K-1").unwrap().category.as_deref(),
        Some("退休审批")
    );
    assert_eq!(
        archive.show("K-2").unwrap().category.as_deref(),
        Some("工资调整"),
        "the file name when the title says nothing"
    );
}

#[test]
fn rows_of_one_document_that_disagree_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("录用.csv");
    write_utf8_csv(
        &path,
        &[
            "档号,题名,姓名",
            "L-1,关于录用王磊的批复,王磊",
            "L-1,关于录用李娜的批复,李娜",
            "L-1,,赵强",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let doc = archive.show("L-1").unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("关于录用王磊的批复"),
        "the first row's title stands"
    );
    let li = doc.entries.iter().find(|e| e.name == "李娜").unwrap();
    assert_eq!(
        li.extra,
        vec![("题名".to_string(), "关于录用李娜的批复".to_string())]
    );
    let zhao = doc.entries.iter().find(|e| e.name == "赵强").unwrap();
    assert!(
        zhao.extra.is_empty(),
        "a row that says nothing does not disagree"
    );
    let warned = &report.files[0].warnings;
    assert!(
        warned
            .iter()
            .any(|w| w.row == Some(3) && w.column.as_deref() == Some("题名")),
        "{warned:?}"
    );
}
