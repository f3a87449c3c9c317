//! Retirement approvals catalogue: CSV saved the way Excel on Chinese Windows saves it (GB18030,
//! CRLF), header names differing between the two delivery batches, plus each approval's full text.

use std::path::Path;

use chrono::Datelike;
use rand::Rng;

use super::approval_text::{ocr_text, retirement_lines};
use super::docs::{Doc, DocKind};
use super::mess::{self, DateStyle};
use super::people::World;
use super::record::{write_person, FileStyle};
use super::truth::TruthRow;
use super::units::unit_name;

const HEADERS_A: [&str; 12] = [
    "档案号",
    "文件题名",
    "发文字号",
    "成文日期",
    "姓名",
    "性别",
    "出生年月",
    "公民身份号码",
    "单位名称",
    "参加工作时间",
    "退休时间",
    "开放状态",
];
const HEADERS_B: [&str; 12] = [
    "档号",
    "题名",
    "文号",
    "日期",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "工作单位",
    "参加工作时间",
    "退休时间",
    "开放状态",
];

/// Styles of 成文日期 in the catalogue, most often the Chinese form.
const DOC_DATE_STYLES: &[DateStyle] = &[
    DateStyle::Nian,
    DateStyle::Nian,
    DateStyle::Nian,
    DateStyle::Dot,
    DateStyle::Dash,
    DateStyle::Compact,
    DateStyle::Slash,
    DateStyle::Chinese,
];

/// Writes the two batches into `dir` and the full texts into `scan_dir`.
pub fn write_retirements(
    world: &World,
    docs: &[Doc],
    root: &Path,
    dir: &str,
    scan_dir: &Path,
    rng: &mut impl Rng,
    truth: &mut Vec<TruthRow>,
) -> anyhow::Result<Vec<String>> {
    std::fs::create_dir_all(root.join(dir))?;
    std::fs::create_dir_all(scan_dir)?;
    let mut files = Vec::new();
    for (batch, headers, years) in [
        ("1985-1999", HEADERS_A, 1900..=1999),
        ("2000-2010", HEADERS_B, 2000..=2100),
    ] {
        let rel = format!("{dir}/退休审批目录_{batch}.csv");
        let style = FileStyle::random(rng);
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(headers)?;
        let mut line = 1;
        for doc in docs.iter().filter(|d| years.contains(&d.year)) {
            let DocKind::Retirement(i) = doc.kind else {
                continue;
            };
            let r = &world.retirements[i];
            let p = &world.persons[r.person];
            let unit = unit_name(r.unit);
            let mut wt = write_person(p, &unit, doc.year, &style, rng);
            // Approvals often left the ID blank: the clerk had only the personnel file.
            if !wt.id.is_empty() && rng.gen_bool(0.12) {
                wt.id.clear();
                wt.tags.retain(|t| !matches!(*t, "id15" | "lowercase_x"));
                wt.tags.push("id_missing");
            }
            // A number in a CSV is just text; Excel's number damage does not apply here.
            wt.tags
                .retain(|t| !matches!(*t, "id_as_number" | "date_as_number"));
            let bracket = if rng.gen_bool(0.25) {
                rng.gen_range(1..mess::BRACKETS.len())
            } else {
                0
            };
            if bracket != 0 {
                wt.tags.push("docno_bracket");
            }
            let ref_written = if rng.gen_bool(0.06) {
                wt.tags.push("refcode_separator");
                mess::ref_code_with(
                    &doc.ref_code,
                    mess::REF_SEPARATORS[rng.gen_range(0..mess::REF_SEPARATORS.len())],
                )
            } else {
                doc.ref_code.clone()
            };
            let date_style = DOC_DATE_STYLES[rng.gen_range(0..DOC_DATE_STYLES.len())];
            let retire = mess::ym(style.date, r.date.year(), r.date.month());
            w.write_record([
                ref_written.as_str(),
                &doc.title,
                &doc.docno(bracket),
                &mess::ymd(date_style, doc.date),
                &wt.name,
                if p.male { "男" } else { "女" },
                &wt.birth,
                &wt.id,
                &wt.unit,
                &wt.hired,
                &retire,
                if doc.open { "开放" } else { "控制" },
            ])?;
            line += 1;
            truth.push(TruthRow {
                person_id: r.person,
                name: p.full.clone(),
                id18: p.id18.clone(),
                kind: "retirement",
                file: rel.clone(),
                row: line,
                ref_code: doc.ref_code.clone(),
                ref_code_written: ref_written,
                year: doc.year,
                unit: unit.clone(),
                written_name: wt.name,
                written_id: wt.id,
                mess: wt.tags,
            });
            let text = ocr_text(&retirement_lines(doc, p, &unit, r), rng);
            std::fs::write(scan_dir.join(format!("{}.txt", doc.ref_code)), text)?;
        }
        let utf8 = String::from_utf8(w.into_inner()?)?;
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
        anyhow::ensure!(!unmappable, "GB18030 cannot encode {rel}");
        std::fs::write(root.join(&rel), bytes)?;
        files.push(rel);
    }
    Ok(files)
}
