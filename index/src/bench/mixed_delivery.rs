//! Turns the demo's delivery into the mix vendors really hand over: beside the titled XLSX wage
//! tables with merged cells and the GB18030 CSV retirement catalogues, the recruitment
//! catalogue as a UTF-8 CSV (with the BOM Excel writes) instead of JSON Lines, and a volume
//! catalogue (案卷目录: 档号, 题名, 年度, 类别 — documents without persons) as a plain XLSX.

use std::collections::BTreeMap;
use std::path::Path;

use super::bench_error::bench_err;
use crate::error::Result;

const RECRUITMENT_JSONL: &str = "招工录用审批.jsonl";
const RECRUITMENT_CSV: &str = "招工录用审批.csv";
const VOLUME_CATALOGUE: &str = "工资调整案卷目录.xlsx";

/// Rewrites `source` (a generated demo delivery) in place.
pub fn mix_formats(source: &Path) -> Result<()> {
    let catalogue = source.join("catalogue");
    recruitment_as_utf8_csv(&catalogue)?;
    volume_catalogue(
        &source.join("truth.jsonl"),
        &catalogue.join(VOLUME_CATALOGUE),
    )
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn cell_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn recruitment_as_utf8_csv(catalogue: &Path) -> Result<()> {
    let jsonl = catalogue.join(RECRUITMENT_JSONL);
    let text = std::fs::read_to_string(&jsonl).map_err(bench_err)?;
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<std::result::Result<_, _>>()
        .map_err(bench_err)?;
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        for key in row.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let mut out = String::from("\u{feff}");
    out.push_str(&columns.join(","));
    out.push_str("\r\n");
    for row in &rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| csv_field(&row.get(c).map(cell_text).unwrap_or_default()))
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    std::fs::write(catalogue.join(RECRUITMENT_CSV), out).map_err(bench_err)?;
    std::fs::remove_file(&jsonl).map_err(bench_err)
}

/// One row per wage-table volume the ground truth names, in 档号 order.
fn volume_catalogue(truth: &Path, out: &Path) -> Result<()> {
    let text = std::fs::read_to_string(truth).map_err(bench_err)?;
    let mut volumes: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).map_err(bench_err)?;
        if row["kind"] != "wage" {
            continue;
        }
        let (Some(code), Some(unit), Some(year)) = (
            row["ref_code"].as_str(),
            row["unit"].as_str(),
            row["year"].as_i64(),
        ) else {
            continue;
        };
        volumes
            .entry(code.to_string())
            .or_insert_with(|| (unit.to_string(), year));
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let xlsx = |e: rust_xlsxwriter::XlsxError| bench_err(e.to_string());
    for (col, header) in ["档号", "题名", "年度", "类别"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).map_err(xlsx)?;
    }
    for (i, (code, (unit, year))) in volumes.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, code).map_err(xlsx)?;
        sheet
            .write_string(row, 1, format!("{unit}{year}年职工工资调整审批表"))
            .map_err(xlsx)?;
        sheet.write_number(row, 2, *year as f64).map_err(xlsx)?;
        sheet.write_string(row, 3, "工资调整").map_err(xlsx)?;
    }
    book.save(out).map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_holds_every_format_and_its_rows_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let options = crate::demo::DemoOptions {
            entries: 2_000,
            seed: crate::demo::DEMO_SEED,
            page_images: false,
        };
        crate::demo::generate_demo(&options, dir.path()).unwrap();
        let jsonl_rows =
            std::fs::read_to_string(dir.path().join("catalogue").join(RECRUITMENT_JSONL))
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count();
        mix_formats(dir.path()).unwrap();
        let catalogue = dir.path().join("catalogue");
        assert!(!catalogue.join(RECRUITMENT_JSONL).exists());
        let csv = std::fs::read(catalogue.join(RECRUITMENT_CSV)).unwrap();
        assert!(csv.starts_with("\u{feff}".as_bytes()), "UTF-8 with a BOM");
        let rows = crate::import::plain_rows::plain_rows(&catalogue.join(RECRUITMENT_CSV)).unwrap();
        assert_eq!(rows.len(), jsonl_rows + 1, "every row, and the header");
        let volumes =
            crate::import::plain_rows::plain_rows(&catalogue.join(VOLUME_CATALOGUE)).unwrap();
        assert_eq!(volumes[0], vec!["档号", "题名", "年度", "类别"]);
        assert!(volumes.len() > 10, "{} volumes", volumes.len());
        assert!(
            volumes[1][1].ends_with("年职工工资调整审批表"),
            "{:?}",
            volumes[1]
        );
    }
}
