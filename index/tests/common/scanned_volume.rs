//! A wage-table volume catalogued by volume only (档号, 题名, 年度, 页数) with its scan folder of
//! printed pages and no text: what the recognizer's tests read.

use super::*;
use std::path::{Path, PathBuf};

pub const VOLUME: &str = "J012-WS-1998-Y-0046";

/// A printed wage-table page with these (name, ID) rows, as the demo prints scans.
pub fn wage_page(names: &[(&str, String)], page_no: usize, seed: u64) -> image::RgbImage {
    let rows = names
        .iter()
        .enumerate()
        .map(|(i, (name, id))| {
            vec![
                (i + 1).to_string(),
                name.to_string(),
                id.clone(),
                format!("{}.00", 412 + 17 * i),
            ]
        })
        .collect();
    archivedesk::demo::table_page_image(
        "城关镇供销社1998年职工工资调整审批表",
        "填报单位：城关镇供销社",
        vec!["序号", "姓名", "身份证号码", "调整后工资"],
        rows,
        &format!("第{page_no}页"),
        seed,
    )
}

pub fn save_jpeg(page: &image::RgbImage, path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(file, 70);
    page.write_with_encoder(encoder).unwrap();
}

/// Writes the volume's catalogue and its scan folder under `dir`, one page per list of rows;
/// returns (catalogue, scan folder).
pub fn write_volume(dir: &Path, pages: &[&[(&str, String)]]) -> (PathBuf, PathBuf) {
    let catalogue = write_catalogue(dir, pages.len());
    let scans = dir.join("扫描件");
    std::fs::create_dir_all(scans.join(VOLUME)).unwrap();
    for (i, rows) in pages.iter().enumerate() {
        save_jpeg(
            &wage_page(rows, i + 1, 3 + i as u64),
            &scans.join(VOLUME).join(format!("{}.jpg", i + 1)),
        );
    }
    (catalogue, scans)
}

/// The catalogue of the volume alone (档号, 题名, 年度, 页数), in `dir`.
pub fn write_catalogue(dir: &Path, pages: usize) -> PathBuf {
    let catalogue = dir.join("案卷目录.csv");
    write_utf8_csv(
        &catalogue,
        &[
            "档号,题名,年度,页数",
            &format!("{VOLUME},城关镇供销社1998年职工工资调整审批表,1998,{pages}"),
        ],
        true,
    );
    catalogue
}
