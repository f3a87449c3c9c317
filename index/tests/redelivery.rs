//! Deliveries that come again, in part, broken, or under a name another file already has —
//! and tables that hold more than records. Nothing good is superseded, nothing silently lost.

mod common;

use archivedesk::api::FileOutcome;
use archivedesk::Archive;
use common::*;

#[test]
fn a_different_file_with_the_same_name_does_not_replace_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let (cement, fertilizer) = (dir.path().join("水泥厂"), dir.path().join("化肥厂"));
    std::fs::create_dir_all(&cement).unwrap();
    std::fs::create_dir_all(&fertilizer).unwrap();
    write_utf8_csv(
        &cement.join("案卷目录.csv"),
        &["档号,姓名", "S-1,王磊", "S-1,李娜"],
        false,
    );
    write_utf8_csv(
        &fertilizer.join("案卷目录.csv"),
        &["档号,姓名", "F-9,赵强"],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&cement.join("案卷目录.csv")]);
    let second = import(&mut archive, &[&fertilizer.join("案卷目录.csv")]);
    let f = &second.files[0];
    assert_eq!(f.replaces_batch, None);
    assert_eq!(f.entries_superseded, 0);
    assert!(
        f.warnings.iter().any(|w| w.message.contains("没有共同")),
        "{:?}",
        f.warnings
    );
    let stats = archive.stats().unwrap();
    assert_eq!(
        (
            stats.entries,
            stats.superseded_entries,
            stats.import_batches
        ),
        (3, 0, 2)
    );
}

#[test]
fn a_redelivery_with_rejected_rows_supersedes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("工资表.csv");
    write_utf8_csv(
        &path,
        &[
            "档号,姓名,身份证号",
            "R-1,王磊,11010519491231002X",
            "R-1,李娜,",
        ],
        false,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&path]);
    // Re-saved through Excel: 王磊's ID became a number and his row is refused.
    write_utf8_csv(
        &path,
        &["档号,姓名,身份证号", "R-1,王磊,1.10105E+17", "R-1,李娜,"],
        false,
    );
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!(f.rows_rejected, 1);
    assert_eq!(f.entries_superseded, 0);
    assert!(f
        .warnings
        .iter()
        .any(|w| w.message.contains("未标记为已被取代")));
    let doc = archive.show("R-1").unwrap();
    assert!(
        doc.entries.iter().all(|e| !e.superseded),
        "王磊's good entry stays"
    );
    assert_eq!(doc.entries.len(), 2);

    // The next complete delivery no longer lists 李娜: she is superseded, though her row came
    // from the first delivery, two batches back.
    write_utf8_csv(
        &path,
        &[
            "档号,姓名,身份证号",
            "R-1,王磊,11010519491231002X",
            "合计：1人,,",
        ],
        false,
    );
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!(
        (f.rows_skipped, f.entries_superseded),
        (1, 1),
        "a totals row does not stop the replacement"
    );
    let doc = archive.show("R-1").unwrap();
    let li = doc.entries.iter().find(|e| e.name == "李娜").unwrap();
    assert!(li.superseded);
    assert_eq!(archive.stats().unwrap().entries, 1);
}

#[test]
fn the_same_file_with_another_category_is_imported_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("目录.csv");
    write_utf8_csv(&path, &["档号,姓名", "C-1,王磊"], false);
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&path]);
    assert_eq!(
        import(&mut archive, &[&path]).files[0].outcome,
        FileOutcome::Unchanged
    );
    let again = import_with(&mut archive, &[&path], |r| {
        r.category = Some("退休审批".into())
    });
    assert_eq!(again.files[0].outcome, FileOutcome::Imported);
    assert_eq!(
        archive.show("C-1").unwrap().category.as_deref(),
        Some("退休审批")
    );
    assert_eq!(archive.stats().unwrap().entries, 1);
}

#[test]
fn titles_footers_totals_and_repeated_headers_are_skipped_and_said() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("两个单位.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    let mut row = 0u32;
    for (unit, ref_code, people) in [
        ("县二水泥厂", "T-1998-1", ["王磊", "李娜"]),
        ("县化肥厂", "T-1998-2", ["赵强", "钱进"]),
    ] {
        sheet
            .merge_range(
                row,
                0,
                row,
                2,
                &format!("{unit}1998年工资调整审批表"),
                &plain,
            )
            .unwrap();
        for (c, h) in ["档号", "姓名", "调整后工资"].iter().enumerate() {
            sheet.write_string(row + 1, c as u16, *h).unwrap();
        }
        for (i, name) in people.iter().enumerate() {
            let r = row + 2 + i as u32;
            sheet.write_string(r, 0, ref_code).unwrap();
            sheet.write_string(r, 1, *name).unwrap();
            sheet.write_number(r, 2, 300.0).unwrap();
        }
        sheet.write_string(row + 4, 0, "合计").unwrap();
        sheet.write_number(row + 4, 2, 600.0).unwrap();
        sheet
            .merge_range(row + 5, 0, row + 5, 2, "制表人：张三    审核：李四", &plain)
            .unwrap();
        row += 7;
    }
    book.save(&path).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!(
        (f.entries_new, f.documents_new, f.rows_rejected),
        (4, 2, 0),
        "{:#?}",
        f.warnings
    );
    // Per unit: a total and a footer; the second unit adds its title and header.
    assert_eq!(f.rows_skipped, 6);
    assert_eq!(
        f.rows_read,
        f.rows_accepted + f.rows_rejected + f.rows_skipped
    );
    assert!(f.warnings.iter().any(|w| w.message.contains("重复的表头")));
    assert!(f.warnings.iter().any(|w| w.message.contains("合计")));
    assert_eq!(
        report.rows_not_imported(),
        0,
        "totals and footers do not fail --strict"
    );
    let stats = archive.stats().unwrap();
    assert_eq!((stats.documents, stats.entries), (2, 4));
}

#[test]
fn each_sheet_gets_its_own_category_and_a_sheet_without_a_catalogue_is_counted() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("1999年移交.xlsx");
    let mut book = Workbook::new();
    for (name, ref_code, person) in [("退休审批", "P-1", "王磊"), ("招工录用", "P-2", "李娜")]
    {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        sheet.write_string(0, 0, "档号").unwrap();
        sheet.write_string(0, 1, "姓名").unwrap();
        sheet.write_string(1, 0, ref_code).unwrap();
        sheet.write_string(1, 1, person).unwrap();
    }
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes
        .write_string(0, 0, "本目录由扫描公司整理，如有疑问请联系")
        .unwrap();
    notes.write_string(1, 0, "共两个工作表").unwrap();
    book.save(&path).unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    let f = &report.files[0];
    assert_eq!(
        archive.show("P-1").unwrap().category.as_deref(),
        Some("退休审批")
    );
    assert_eq!(
        archive.show("P-2").unwrap().category.as_deref(),
        Some("招工录用")
    );
    let notes = f.sheets.iter().find(|s| s.name == "说明").unwrap();
    assert!(notes.skipped.is_some());
    assert_eq!(
        f.rows_skipped, 2,
        "the notes sheet's rows are counted, not dropped in silence"
    );
    assert!(report.rows_not_imported() > 0, "--strict fails on them");
}

#[test]
fn json_lines_keep_every_digit_of_an_integer_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("录用.jsonl");
    std::fs::write(
        &path,
        "{\"档号\":\"J-1\",\"姓名\":\"王磊\",\"身份证号\":110105194912310021}\n",
    )
    .unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let report = import(&mut archive, &[&path]);
    assert_eq!(
        report.files[0].rows_rejected, 0,
        "{:?}",
        report.files[0].rejected
    );
    let entry = &archive.show("J-1").unwrap().entries[0];
    assert_eq!(
        entry.id_number_masked.as_deref(),
        Some("110105************")
    );
}

#[test]
fn the_demo_is_never_built_into_a_real_archive() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(dir.path()).unwrap();
    import(&mut archive, &[&sample("retirement_catalogue_gb18030.csv")]);
    drop(archive);
    let err = archivedesk::demo::build::build_demo_archive(dir.path(), 200, 1, false, &mut |_| {})
        .unwrap_err();
    assert!(err.message.contains("真实档案"), "{}", err.message);
    let stats = Archive::open(dir.path()).unwrap().stats().unwrap();
    assert!(!stats.demo);
    assert_eq!(stats.entries, 6);
}

#[test]
fn a_folder_scanned_again_with_fewer_pages_loses_the_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("目录.csv");
    write_utf8_csv(&catalogue, &["档号,姓名", "Q-1,王磊"], false);
    let scans = dir.path().join("scans");
    let pages = scans.join("Q-1");
    std::fs::create_dir_all(&pages).unwrap();
    for n in 1..=3 {
        image::RgbImage::new(8, 8)
            .save(pages.join(format!("{n}.png")))
            .unwrap();
    }
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&catalogue, &scans]);
    assert_eq!(archive.show("Q-1").unwrap().pages.len(), 3);
    std::fs::remove_file(pages.join("3.png")).unwrap();
    import(&mut archive, &[&scans]);
    assert_eq!(archive.show("Q-1").unwrap().pages.len(), 2);
}
