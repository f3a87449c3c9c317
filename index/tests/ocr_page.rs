//! A wage-table page without text, printed as the demo prints its scans (the bundled CJK font,
//! yellowed paper), then scanned badly — turned 1.5°, specked, saved as a coarse JPEG — read by
//! PP-OCR's models run in-process: every name on the page is read as printed, and the box of
//! each name's characters lies on the name's cell.
//!
//! The models are PyPI's (`rapidocr-onnxruntime`), put in place by `.ci/setup`; another folder
//! is named with ARCHIVEDESK_OCR_MODELS.

use archivedesk::ocr::reader::PageReader;
use image::{Rgb, RgbImage};
use rand::{Rng, SeedableRng};
use std::path::PathBuf;

fn models() -> PathBuf {
    let folder = std::env::var_os("ARCHIVEDESK_OCR_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/archivedesk-tools/ocr-models"));
    assert!(
        folder
            .join(archivedesk::ocr::reader::RECOGNITION_MODEL)
            .is_file(),
        "no OCR models in {} (bash .ci/setup puts them there)",
        folder.display()
    );
    folder
}

/// The page as a worn scanner gives it: turned by `degrees` about its centre (the corners
/// filled with paper), specks of dust, and saved as a JPEG of quality 55.
fn scanned_badly(page: &RgbImage, degrees: f32, seed: u64) -> RgbImage {
    let (w, h) = (page.width() as f32, page.height() as f32);
    let (s, c) = degrees.to_radians().sin_cos();
    let paper = *page.get_pixel(0, 0);
    let mut turned = RgbImage::from_fn(page.width(), page.height(), |x, y| {
        let (dx, dy) = (x as f32 - w / 2.0, y as f32 - h / 2.0);
        let (sx, sy) = (c * dx + s * dy + w / 2.0, -s * dx + c * dy + h / 2.0);
        if sx < 0.0 || sy < 0.0 || sx >= w - 1.0 || sy >= h - 1.0 {
            return paper;
        }
        *page.get_pixel(sx as u32, sy as u32)
    });
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for _ in 0..3000 {
        let (x, y) = (
            rng.gen_range(0..page.width()),
            rng.gen_range(0..page.height()),
        );
        let grey = rng.gen_range(60..160u8);
        turned.put_pixel(x, y, Rgb([grey, grey, grey]));
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 55)
        .encode_image(&turned)
        .unwrap();
    image::load_from_memory(&jpeg).unwrap().to_rgb8()
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
    let page = scanned_badly(&page, 1.5, 7);
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
