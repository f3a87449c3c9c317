//! Wage adjustment tables as vendors deliver them: one workbook per unit and period, a merged
//! title row, a blank row, the header on row 3 (sometimes two header rows), 档号 and 题名 merged
//! vertically over each document's rows, header names varying between files.

use std::path::Path;

use rand::Rng;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::docs::{Doc, DocKind};
use super::mess;
use super::people::World;
use super::record::{write_person, FileStyle};
use super::truth::TruthRow;
use super::units::{unit_name, UNITS};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Ref,
    Title,
    Year,
    Seq,
    Name,
    Gender,
    Birth,
    Id,
    Unit,
    Hired,
    Before,
    After,
    Remark,
}

fn pick<'a>(rng: &mut impl Rng, names: &[&'a str]) -> &'a str {
    names[rng.gen_range(0..names.len())]
}

/// The columns of one file with the header text this vendor used for each.
fn columns(rng: &mut impl Rng, first_year: i32) -> Vec<(Col, &'static str)> {
    let mut cols = vec![
        (Col::Ref, pick(rng, &["档号", "档号", "档案号"])),
        (Col::Title, pick(rng, &["题名", "题名", "文件题名"])),
    ];
    if rng.gen_bool(0.5) {
        cols.push((Col::Year, "年度"));
    }
    cols.push((Col::Seq, "序号"));
    cols.push((Col::Name, "姓名"));
    cols.push((Col::Gender, "性别"));
    cols.push((
        Col::Birth,
        pick(rng, &["出生年月", "出生年月", "出生日期", "出生时间"]),
    ));
    // Tables from before the first ID cards often have no ID column.
    if first_year >= 1989 || rng.gen_bool(0.6) {
        cols.push((
            Col::Id,
            pick(rng, &["身份证号", "身份证号码", "公民身份号码"]),
        ));
    }
    cols.push((Col::Unit, pick(rng, &["工作单位", "单位名称", "单位"])));
    if rng.gen_bool(0.7) {
        cols.push((
            Col::Hired,
            pick(rng, &["参加工作时间", "参加工作时间", "工作时间"]),
        ));
    }
    cols.push((
        Col::Before,
        pick(rng, &["原工资", "原工资", "调整前工资", "原标准工资"]),
    ));
    cols.push((
        Col::After,
        pick(
            rng,
            &["调整后工资", "调整后工资", "现工资", "调整后标准工资"],
        ),
    ));
    cols.push((Col::Remark, "备注"));
    cols
}

/// Splits a unit's wage documents (sorted by year) into files of one or more years.
fn periods(rng: &mut impl Rng, docs: Vec<usize>, all: &[Doc]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for d in docs {
        let start_new = match out.last() {
            None => true,
            Some(p) => all[d].year - all[p[0]].year >= 10 || rng.gen_bool(0.12),
        };
        if start_new {
            out.push(Vec::new());
        }
        out.last_mut().unwrap().push(d);
    }
    out
}

/// Writes all wage tables into `dir`; returns the files (relative to `root`) and truth rows.
pub fn write_wage_tables(
    world: &World,
    docs: &[Doc],
    root: &Path,
    dir: &str,
    rng: &mut impl Rng,
    truth: &mut Vec<TruthRow>,
) -> anyhow::Result<Vec<String>> {
    std::fs::create_dir_all(root.join(dir))?;
    let mut files = Vec::new();
    for u in 0..UNITS.len() {
        let mine: Vec<usize> = (0..docs.len())
            .filter(|&i| matches!(docs[i].kind, DocKind::Wage(w) if world.wage_docs[w].unit == u))
            .collect();
        for period in periods(rng, mine, docs) {
            let (y1, y2) = (docs[period[0]].year, docs[*period.last().unwrap()].year);
            let years = if y1 == y2 {
                format!("{y1}")
            } else {
                format!("{y1}-{y2}")
            };
            let rel = format!("{dir}/{}{years}年工资调整审批表.xlsx", unit_name(u));
            write_file(world, docs, &period, root, &rel, rng, truth)?;
            files.push(rel);
        }
    }
    Ok(files)
}

fn write_file(
    world: &World,
    docs: &[Doc],
    period: &[usize],
    root: &Path,
    rel: &str,
    rng: &mut impl Rng,
    truth: &mut Vec<TruthRow>,
) -> anyhow::Result<()> {
    let (y1, y2) = (docs[period[0]].year, docs[*period.last().unwrap()].year);
    let unit = match docs[period[0]].kind {
        DocKind::Wage(w) => world.wage_docs[w].unit,
        _ => unreachable!(),
    };
    let cols = columns(rng, y1);
    let has_id = cols.iter().any(|c| c.0 == Col::Id);
    let style = FileStyle {
        id_column: has_id,
        ..FileStyle::random(rng)
    };
    let two_row_header = rng.gen_bool(0.3);
    let file_sep = rng.gen_bool(0.08).then(|| pick(rng, mess::REF_SEPARATORS));

    let mut wb = Workbook::new();
    // A fixed creation time keeps output byte-identical for the same seed.
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2011, 3, 1)?),
    );
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1")?;
    let border = Format::new().set_border(FormatBorder::Thin);
    let center = border
        .clone()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let last_col = (cols.len() - 1) as u16;

    let title = if y1 == y2 {
        format!("{}{y1}年职工工资调整审批表", unit_name(unit))
    } else {
        format!(
            "{}{y1}—{y2}年职工工资调整审批表（人名索引）",
            unit_name(unit)
        )
    };
    let title = if style.traditional_unit {
        mess::traditional(&title)
    } else {
        title
    };
    ws.merge_range(0, 0, 0, last_col, &title, &title_fmt)?;
    let mut row: u32 = 2;
    write_header(ws, &cols, two_row_header, &center)?;
    row += if two_row_header { 2 } else { 1 };
    for (c, (col, _)) in cols.iter().enumerate() {
        let width = match col {
            Col::Title => 36.0,
            Col::Ref | Col::Id | Col::Unit => 22.0,
            Col::Seq | Col::Gender | Col::Year => 6.0,
            _ => 12.0,
        };
        ws.set_column_width(c as u16, width)?;
    }

    let file = rel.to_string();
    for &d in period {
        let doc = &docs[d];
        let DocKind::Wage(w) = doc.kind else {
            unreachable!()
        };
        let wd = &world.wage_docs[w];
        let sep = file_sep.or_else(|| rng.gen_bool(0.03).then(|| pick(rng, mess::REF_SEPARATORS)));
        let ref_written = sep.map_or_else(
            || doc.ref_code.clone(),
            |s| mess::ref_code_with(&doc.ref_code, s),
        );
        let first = row;
        for (seq, wr) in wd.rows.iter().enumerate() {
            let p = &world.persons[wr.person];
            let wt = write_person(p, &unit_name(unit), doc.year, &style, rng);
            let mut tags = wt.tags.clone();
            if sep.is_some() {
                tags.push("refcode_separator");
            }
            for (c, (col, _)) in cols.iter().enumerate() {
                let c = c as u16;
                match col {
                    Col::Ref | Col::Title => {}
                    Col::Year => {
                        ws.write_number_with_format(row, c, doc.year, &border)?;
                    }
                    Col::Seq => {
                        ws.write_number_with_format(row, c, (seq + 1) as f64, &border)?;
                    }
                    Col::Name => {
                        ws.write_string_with_format(row, c, &wt.name, &border)?;
                    }
                    Col::Gender => {
                        ws.write_string_with_format(
                            row,
                            c,
                            if p.male { "男" } else { "女" },
                            &border,
                        )?;
                    }
                    Col::Birth => match wt.birth_as_number {
                        Some(n) => {
                            ws.write_number_with_format(row, c, n, &border)?;
                        }
                        None => {
                            ws.write_string_with_format(row, c, &wt.birth, &border)?;
                        }
                    },
                    Col::Id => match wt.id_as_number {
                        Some(n) => {
                            ws.write_number_with_format(row, c, n, &border)?;
                        }
                        None => {
                            ws.write_string_with_format(row, c, &wt.id, &border)?;
                        }
                    },
                    Col::Unit => {
                        ws.write_string_with_format(row, c, &wt.unit, &border)?;
                    }
                    Col::Hired => {
                        ws.write_string_with_format(row, c, &wt.hired, &border)?;
                    }
                    Col::Before => {
                        ws.write_number_with_format(row, c, wr.before, &border)?;
                    }
                    Col::After => {
                        ws.write_number_with_format(row, c, wr.after, &border)?;
                    }
                    Col::Remark => {
                        ws.write_string_with_format(row, c, &wr.remark, &border)?;
                    }
                }
            }
            truth.push(TruthRow {
                person_id: wr.person,
                name: p.full.clone(),
                id18: p.id18.clone(),
                kind: "wage",
                file: file.clone(),
                row: row as usize + 1,
                ref_code: doc.ref_code.clone(),
                ref_code_written: ref_written.clone(),
                year: doc.year,
                unit: unit_name(unit),
                written_name: wt.name,
                written_id: wt.id,
                mess: tags,
            });
            row += 1;
        }
        let last = row - 1;
        for (c, (col, _)) in cols.iter().enumerate() {
            let text = match col {
                Col::Ref => &ref_written,
                Col::Title => &doc.title,
                _ => continue,
            };
            let text = if style.traditional_unit && *col == Col::Title {
                mess::traditional(text)
            } else {
                text.clone()
            };
            if last > first {
                ws.merge_range(first, c as u16, last, c as u16, &text, &center)?;
            } else {
                ws.write_string_with_format(first, c as u16, &text, &center)?;
            }
        }
    }
    wb.save(root.join(rel))?;
    Ok(())
}

fn write_header(
    ws: &mut Worksheet,
    cols: &[(Col, &str)],
    two_rows: bool,
    fmt: &Format,
) -> anyhow::Result<()> {
    let r = 2;
    if !two_rows {
        for (c, (_, h)) in cols.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *h, fmt)?;
        }
        return Ok(());
    }
    // A group header "工资情况" over the two wage columns; the others span both header rows.
    let before = cols.iter().position(|c| c.0 == Col::Before).unwrap() as u16;
    ws.merge_range(r, before, r, before + 1, "工资情况", fmt)?;
    for (c, (col, h)) in cols.iter().enumerate() {
        let c = c as u16;
        if matches!(col, Col::Before | Col::After) {
            ws.write_string_with_format(r + 1, c, *h, fmt)?;
        } else {
            ws.merge_range(r, c, r + 1, c, h, fmt)?;
        }
    }
    Ok(())
}
