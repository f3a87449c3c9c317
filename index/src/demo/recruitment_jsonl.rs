//! Recruitment approvals as JSON Lines: one object per person hired, keys in Chinese as the
//! vendor's export wrote them.

use std::io::Write;
use std::path::Path;

use rand::Rng;
use serde::Serialize;

use super::docs::{Doc, DocKind};
use super::mess;
use super::people::World;
use super::record::{write_person, FileStyle};
use super::truth::TruthRow;
use super::units::unit_name;

#[derive(Serialize)]
struct Line<'a> {
    档号: &'a str,
    题名: &'a str,
    发文字号: &'a str,
    成文日期: &'a str,
    序号: usize,
    姓名: &'a str,
    性别: &'a str,
    出生年月: &'a str,
    身份证号: &'a str,
    文化程度: &'a str,
    招收单位: &'a str,
    用工形式: &'a str,
    参加工作时间: &'a str,
    开放状态: &'a str,
}

pub fn write_recruitments(
    world: &World,
    docs: &[Doc],
    root: &Path,
    rel: &str,
    rng: &mut impl Rng,
    truth: &mut Vec<TruthRow>,
) -> anyhow::Result<String> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let style = FileStyle::random(rng);
    let mut line = 0;
    for doc in docs {
        let DocKind::Recruitment(i) = doc.kind else {
            continue;
        };
        let rd = &world.recruit_docs[i];
        let unit = unit_name(rd.unit);
        let bracket = if rng.gen_bool(0.2) {
            rng.gen_range(1..mess::BRACKETS.len())
        } else {
            0
        };
        let docno = doc.docno(bracket);
        let date = mess::ymd(style.date, doc.date);
        let form = if rd.year < 1987 {
            "固定工"
        } else {
            "合同制"
        };
        for (seq, &pi) in rd.persons.iter().enumerate() {
            let p = &world.persons[pi];
            let mut wt = write_person(p, &unit, doc.year, &style, rng);
            wt.tags
                .retain(|t| !matches!(*t, "id_as_number" | "date_as_number"));
            if bracket != 0 {
                wt.tags.push("docno_bracket");
            }
            serde_json::to_writer(
                &mut w,
                &Line {
                    档号: &doc.ref_code,
                    题名: &doc.title,
                    发文字号: &docno,
                    成文日期: &date,
                    序号: seq + 1,
                    姓名: &wt.name,
                    性别: if p.male { "男" } else { "女" },
                    出生年月: &wt.birth,
                    身份证号: &wt.id,
                    文化程度: p.education,
                    招收单位: &wt.unit,
                    用工形式: form,
                    参加工作时间: &wt.hired,
                    开放状态: if doc.open { "开放" } else { "控制" },
                },
            )?;
            w.write_all(b"\n")?;
            line += 1;
            truth.push(TruthRow {
                person_id: pi,
                name: p.full.clone(),
                id18: p.id18.clone(),
                kind: "recruitment",
                file: rel.to_string(),
                row: line,
                ref_code: doc.ref_code.clone(),
                ref_code_written: doc.ref_code.clone(),
                year: doc.year,
                unit: unit.clone(),
                written_name: wt.name,
                written_id: wt.id,
                mess: wt.tags,
            });
        }
    }
    w.flush()?;
    Ok(rel.to_string())
}
