//! The flat benchmark catalogue: N wage-table rows in about N/30 documents, streamed to disk so
//! memory stays flat however large N is.

use std::io::BufWriter;
use std::path::Path;

use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::idcard::{make_id18, to_id15};
use super::mess;
use super::names::random_name;
use super::units::{unit_name, AREA_CODES, FONDS, UNITS};
use super::xlsx_stream::{Cell, XlsxStream};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorpusFormat {
    Csv,
    Xlsx,
}

const HEADER: [&str; 11] = [
    "档号",
    "题名",
    "年度",
    "姓名",
    "性别",
    "出生年月",
    "身份证号",
    "工作单位",
    "原工资",
    "调整后工资",
    "备注",
];

struct Row {
    ref_code: String,
    title: String,
    year: i32,
    name: String,
    gender: &'static str,
    birth: String,
    id: String,
    unit: String,
    before: u32,
    after: u32,
    remark: &'static str,
}

/// Calls `f` for each of `rows` rows; documents of 25–35 rows, years and units cycling.
fn each_row(
    rows: usize,
    seed: u64,
    mut f: impl FnMut(&Row) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let years = 26;
    let (mut done, mut doc) = (0usize, 0usize);
    while done < rows {
        let year = 1985 + (doc % years) as i32;
        let serial = (doc / years + 1) as u32;
        let unit_i = rng.gen_range(0..UNITS.len());
        let unit = unit_name(unit_i);
        let ref_code = mess::ref_code(FONDS, "LS", year, "Y", serial);
        let title = format!("{unit}{year}年职工工资调整审批表");
        let n = rng.gen_range(25..=35).min(rows - done);
        for _ in 0..n {
            let male = rng.gen_bool(0.55);
            let mut name = random_name(&mut rng, male).full();
            let birth =
                NaiveDate::from_yo_opt(year - rng.gen_range(18..60), rng.gen_range(1..=365))
                    .unwrap();
            let id18 = make_id18(
                AREA_CODES[rng.gen_range(0..AREA_CODES.len())],
                birth,
                rng.gen_range(0..1000),
                male,
            );
            let mut id = if year < 1999 { to_id15(&id18) } else { id18 };
            // A light sprinkle of the common mess keeps the benchmark honest about normalization.
            if rng.gen_bool(0.01) {
                name = mess::traditional(&name);
            }
            if rng.gen_bool(0.01) {
                id = mess::fullwidth(&id);
            }
            let before = (38.0 * 1.13f64.powi(year - 1985) * rng.gen_range(0.9..1.6)) as u32;
            let row = Row {
                ref_code: ref_code.clone(),
                title: title.clone(),
                year,
                name,
                gender: if male { "男" } else { "女" },
                birth: mess::ym(
                    mess::DateStyle::Dot,
                    chrono::Datelike::year(&birth),
                    chrono::Datelike::month(&birth),
                ),
                id,
                unit: unit.clone(),
                before,
                after: before + (before as f64 * rng.gen_range(0.12..0.3)) as u32,
                remark: if rng.gen_bool(0.05) { "晋级" } else { "" },
            };
            f(&row)?;
        }
        done += n;
        doc += 1;
    }
    Ok(())
}

/// Writes a benchmark catalogue of exactly `rows` data rows (plus one header row).
pub fn write_corpus(
    rows: usize,
    format: CorpusFormat,
    seed: u64,
    path: &Path,
) -> anyhow::Result<()> {
    let file = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    match format {
        CorpusFormat::Csv => {
            let mut w = csv::Writer::from_writer(file);
            w.write_record(HEADER)?;
            each_row(rows, seed, |r| {
                let year = r.year.to_string();
                let (before, after) = (r.before.to_string(), r.after.to_string());
                w.write_record([
                    r.ref_code.as_str(),
                    &r.title,
                    &year,
                    &r.name,
                    r.gender,
                    &r.birth,
                    &r.id,
                    &r.unit,
                    &before,
                    &after,
                    r.remark,
                ])?;
                Ok(())
            })?;
            w.flush()?;
        }
        CorpusFormat::Xlsx => {
            // Above three million rows the sheet XML may pass 4 GB and needs ZIP64.
            let mut x = XlsxStream::new(file, rows > 3_000_000)?;
            let header: Vec<Cell> = HEADER.iter().map(|h| Cell::Str(h)).collect();
            x.write_row(&header)?;
            each_row(rows, seed, |r| {
                x.write_row(&[
                    Cell::Str(&r.ref_code),
                    Cell::Str(&r.title),
                    Cell::Num(r.year as f64),
                    Cell::Str(&r.name),
                    Cell::Str(r.gender),
                    Cell::Str(&r.birth),
                    Cell::Str(&r.id),
                    Cell::Str(&r.unit),
                    Cell::Num(r.before as f64),
                    Cell::Num(r.after as f64),
                    Cell::Str(r.remark),
                ])
            })?;
            let mut inner = x.finish()?;
            std::io::Write::flush(&mut inner)?;
        }
    }
    Ok(())
}
