//! The full text of a retirement approval, as the typed original read, and the OCR-like copy of it
//! that is stored beside the scans.

use chrono::Datelike;
use rand::Rng;

use super::docs::Doc;
use super::idcard::to_id15;
use super::mess::{cn_date, cn_ym};
use super::people::{Person, Retirement};
use super::units::AUTHORITY;

/// The lines of the approval as printed (no line wrapping yet).
pub fn retirement_lines(doc: &Doc, p: &Person, unit: &str, r: &Retirement) -> Vec<String> {
    let gender = if p.male { "男" } else { "女" };
    let id = if doc.year < 1999 {
        to_id15(&p.id18)
    } else {
        p.id18.clone()
    };
    let service = r.date.year() - p.hired.0;
    // The pension share grew with years of service under the 1978 rules.
    let pct = match service {
        s if s >= 20 => "七十五",
        s if s >= 15 => "七十",
        _ => "六十",
    };
    let basis = if p.cadre {
        "《国务院关于安置老弱病残干部的暂行办法》（国发〔1978〕104号）"
    } else {
        "《国务院关于工人退休、退职的暂行办法》（国发〔1978〕104号）"
    };
    vec![
        format!("{AUTHORITY}文件"),
        doc.docno(0),
        doc.title.clone(),
        format!("{unit}："),
        format!(
            "你单位《关于{name}同志退休的请示》收悉。经审核，{name}同志，{gender}，{birth}出生，{hired}参加工作，居民身份证号码{id}，现已达到国家规定的退休年龄。根据{basis}规定，同意其自{retire}起退休，退休费按本人标准工资的百分之{pct}计发。",
            name = p.full,
            birth = cn_ym(p.birth.year(), p.birth.month()),
            hired = cn_ym(p.hired.0, p.hired.1),
            retire = cn_ym(r.date.year(), r.date.month()),
        ),
        "此复".into(),
        AUTHORITY.into(),
        cn_date(r.approved),
        "主题词：劳动 工资 退休 批复".into(),
        "抄送：县财政局、县社会劳动保险公司".into(),
    ]
}

/// What OCR made of the page: stray spaces after punctuation, some ASCII punctuation, 〇 read as O.
pub fn ocr_text(lines: &[String], rng: &mut impl Rng) -> String {
    let mut out = String::new();
    for line in lines {
        for c in line.chars() {
            match c {
                '，' if rng.gen_bool(0.15) => out.push_str(", "),
                '。' if rng.gen_bool(0.1) => out.push_str("。 "),
                '〇' if rng.gen_bool(0.2) => out.push('O'),
                '：' if rng.gen_bool(0.2) => out.push(':'),
                _ => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// Breaks a paragraph into lines of at most `width` characters for the page image.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    chars.chunks(width).map(|c| c.iter().collect()).collect()
}
