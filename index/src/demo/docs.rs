//! Documents (件): every wage table, retirement approval and recruitment approval gets its 档号,
//! title, document number, date and access status, numbered per year as an archive does.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use super::mess;
use super::people::World;
use super::units::{unit_name, COUNTY_SHORT, FONDS};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DocKind {
    Wage(usize),
    Retirement(usize),
    Recruitment(usize),
}

pub struct Doc {
    pub kind: DocKind,
    pub ref_code: String,
    pub title: String,
    pub year: i32,
    pub date: NaiveDate,
    /// Document number prefix and number; the year goes in brackets between them.
    pub docno: (String, u32),
    /// 开放 (true) or 控制.
    pub open: bool,
}

impl Doc {
    pub fn docno(&self, bracket: usize) -> String {
        mess::docno(&self.docno.0, self.year, self.docno.1, bracket)
    }
}

/// Numbers all documents of the world, year by year.
pub fn assign(world: &World, rng: &mut impl Rng) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (i, d) in world.wage_docs.iter().enumerate() {
        let date =
            NaiveDate::from_ymd_opt(d.year, rng.gen_range(3..=12), rng.gen_range(1..=28)).unwrap();
        let title = format!("{}{}年职工工资调整审批表", unit_name(d.unit), d.year);
        docs.push((DocKind::Wage(i), d.year, date, title, "劳人薪"));
    }
    for (i, r) in world.retirements.iter().enumerate() {
        let title = format!("关于同意{}同志退休的批复", world.persons[r.person].full);
        docs.push((
            DocKind::Retirement(i),
            r.approved.year(),
            r.approved,
            title,
            "劳人退",
        ));
    }
    for (i, r) in world.recruit_docs.iter().enumerate() {
        // The labour contract system replaced permanent posts from October 1986.
        let form = if r.year < 1987 {
            "全民所有制固定工"
        } else {
            "合同制工人"
        };
        let title = format!(
            "关于同意{}招收{}名{}的批复",
            unit_name(r.unit),
            r.persons.len(),
            form
        );
        docs.push((DocKind::Recruitment(i), r.year, r.approved, title, "劳人招"));
    }
    docs.sort_by_key(|d| (d.1, d.2));
    let mut serial_year = 0;
    let (mut ls, mut ws) = (0u32, 0u32);
    let mut numbers = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(docs.len());
    for (kind, year, date, title, prefix) in docs {
        if year != serial_year {
            serial_year = year;
            ls = 0;
            ws = 0;
            numbers.clear();
        }
        let (category, serial, retention) = match kind {
            DocKind::Wage(_) => {
                ls += 1;
                let r = match rng.gen_range(0..10) {
                    0..=5 => "Y",
                    6..=8 => "C",
                    _ => "D30",
                };
                ("LS", ls, r)
            }
            _ => {
                ws += 1;
                ("WS", ws, "Y")
            }
        };
        let n: &mut u32 = numbers.entry(prefix).or_insert(0);
        *n += rng.gen_range(1..=4);
        // Records older than 30 years are mostly opened; personnel approvals stay controlled longer.
        let open = match kind {
            DocKind::Wage(_) => year <= 1995 && rng.gen_bool(0.8),
            _ => year <= 1990 && rng.gen_bool(0.5),
        };
        out.push(Doc {
            kind,
            ref_code: mess::ref_code(FONDS, category, year, retention, serial),
            title,
            year,
            date,
            docno: (format!("{COUNTY_SHORT}{prefix}"), *n),
            open,
        });
    }
    out
}
