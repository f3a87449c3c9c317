//! A wage-table page without text, printed as the demo prints its scans (the bundled CJK font,
//! yellowed paper), then scanned badly — turned 1.5°, specked, saved as a coarse JPEG — read by
//! PP-OCR's models run in-process: every name on the page is read as printed, and the box of
//! each name's characters lies on the name's cell.
//!
//! The models are PyPI's (`rapidocr-onnxruntime`), put in place by `.ci/setup`; another folder
//! is named with ARCHIVEDESK_OCR_MODELS.

use archivedesk::ocr::reader::PageReader;
use std::path::PathBuf;

fn models() -> PathBuf {
    archivedesk::ocr::models::models_folder().expect("bash .ci/setup puts the OCR models in place")
}

#[test]
fn every_name_on_a_printed_wage_table_is_read_and_boxed_on_its_cell() {
    let names = [
        "王秀英",
        "李建国",
        "张丽",
        "刘德福",
        "陈桂珍",
        "杨志强",
        "赵红梅",
        "黄长生",
    ];
    let rows: Vec<Vec<String>> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            vec![
                (i + 1).to_string(),
                name.to_string(),
                if i % 2 == 0 { "女" } else { "男" }.to_string(),
                format!("19{}.0{}", 50 + i, 1 + i % 9),
                format!("{}.00", 412 + 17 * i),
            ]
        })
        .collect();
    let page = archivedesk::demo::table_page_image(
        "城关镇供销社1998年职工工资调整审批表",
        "填报单位：城关镇供销社",
        vec!["序号", "姓名", "性别", "出生年月", "调整后工资"],
        rows,
        "第1页",
        7,
    );
    let jpeg = archivedesk::demo::worn_scan(&page, 1.5, 55, 7);
    let page = image::load_from_memory(&jpeg).unwrap().to_rgb8();
    let reader = PageReader::load(&models()).unwrap();
    let lines = reader.read(&page).unwrap();
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert!(
        texts.iter().any(|t| t.contains("工资调整审批表")),
        "the title: {texts:?}"
    );
    for name in names {
        let line = lines
            .iter()
            .find(|l| l.text == name)
            .unwrap_or_else(|| panic!("{name} not read: {texts:?}"));
        assert_eq!(line.chars.len(), name.chars().count());
        // The name's cell: the second of five equal columns between the 70 px margins, rows
        // from 230 px down, 46 px each.
        let column = (70.0 + 220.0, 70.0 + 2.0 * 220.0);
        for c in &line.chars {
            let cx = c.quad.0.iter().map(|p| p.0).sum::<f32>() / 4.0;
            assert!(
                cx > column.0 && cx < column.1,
                "{name}'s {} at x {cx}",
                c.text
            );
        }
        let left = line.chars[0].quad.0[0].0;
        let right = line.chars.last().unwrap().quad.0[1].0;
        assert!(right > left, "{name}: boxes left to right");
    }
}
