//! The benchmark's queries, drawn from the generated catalogue itself: for each kind, rows
//! picked with a fixed seed and turned into what a clerk would type for that row.

use std::path::Path;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::bench_error::bench_err;
use crate::error::Result;
use crate::text::{name_pinyin, normalize_name, parse_id_number};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum QueryKind {
    Name2,
    Name3,
    IdNumber,
    NameYear,
    UnitPhrase,
    TextPhrase,
    Pinyin,
}

impl QueryKind {
    pub const ALL: [QueryKind; 7] = [
        QueryKind::Name2,
        QueryKind::Name3,
        QueryKind::IdNumber,
        QueryKind::NameYear,
        QueryKind::UnitPhrase,
        QueryKind::TextPhrase,
        QueryKind::Pinyin,
    ];

    pub fn label(self) -> &'static str {
        match self {
            QueryKind::Name2 => "2-char name",
            QueryKind::Name3 => "3-char name",
            QueryKind::IdNumber => "ID (18-digit typed)",
            QueryKind::NameYear => "name + year",
            QueryKind::UnitPhrase => "unit phrase",
            QueryKind::TextPhrase => "title phrase",
            QueryKind::Pinyin => "pinyin",
        }
    }
}

/// One query, with the row it was made from (to tell whether it was found).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchQuery {
    pub kind: QueryKind,
    /// What the clerk types into ArchiveDesk.
    pub text: String,
    /// The substrings a home-grown FTS5 search would look for (the same text, split at spaces).
    pub needles: Vec<String>,
    /// Column of the baseline table a short needle is looked for in with LIKE.
    pub like_column: usize,
    /// 档号 and name of the target row as written; the name is empty when the target is the
    /// document (a title phrase), and there is no target for a unit phrase.
    pub target_ref: Option<String>,
    pub target_name: Option<String>,
}

/// Columns of the benchmark catalogue (see `demo::corpus`).
const REF: usize = 0;
const TITLE: usize = 1;
const YEAR: usize = 2;
const NAME: usize = 3;
const ID: usize = 6;
const UNIT: usize = 7;

pub fn make_queries(catalogue: &Path, per_kind: usize, seed: u64) -> Result<Vec<BenchQuery>> {
    let mut reader = csv::Reader::from_path(catalogue).map_err(bench_err)?;
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<std::result::Result<_, _>>()
        .map_err(bench_err)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    for kind in QueryKind::ALL {
        let mut made = 0;
        let mut tries = 0;
        while made < per_kind && tries < per_kind * 200 {
            tries += 1;
            let row = &rows[rng.gen_range(0..rows.len())];
            if let Some(q) = query_for(kind, row, &mut rng) {
                out.push(q);
                made += 1;
            }
        }
    }
    Ok(out)
}

fn query_for(kind: QueryKind, row: &csv::StringRecord, rng: &mut StdRng) -> Option<BenchQuery> {
    let name = row.get(NAME)?.to_string();
    let canonical = normalize_name(&name);
    let chars = canonical.chars().count();
    let target = |text: String, needles: Vec<String>, like_column: usize| BenchQuery {
        kind,
        text,
        needles,
        like_column,
        target_ref: Some(row.get(REF).unwrap_or_default().to_string()),
        target_name: Some(name.clone()),
    };
    match kind {
        QueryKind::Name2 if chars == 2 && canonical == name => {
            Some(target(name.clone(), vec![name.clone()], NAME))
        }
        QueryKind::Name3 if chars == 3 && canonical == name => {
            Some(target(name.clone(), vec![name.clone()], NAME))
        }
        QueryKind::IdNumber => {
            let id = parse_id_number(row.get(ID)?)?;
            id.status
                .is_valid()
                .then(|| target(id.key.clone(), vec![id.key.clone()], ID))
        }
        QueryKind::NameYear if canonical == name => {
            let year = row.get(YEAR)?.to_string();
            Some(target(
                format!("{name} {year}"),
                vec![name.clone(), year],
                NAME,
            ))
        }
        QueryKind::UnitPhrase => {
            let unit: Vec<char> = row.get(UNIT)?.chars().collect();
            if unit.len() < 6 {
                return None;
            }
            let start = rng.gen_range(2..unit.len() - 3);
            let phrase: String = unit[start..start + 4].iter().collect();
            Some(BenchQuery {
                kind,
                text: phrase.clone(),
                needles: vec![phrase],
                like_column: UNIT,
                target_ref: None,
                target_name: None,
            })
        }
        QueryKind::TextPhrase => {
            // The unit and year as the title writes them: "…供销社1998年".
            let title = row.get(TITLE)?;
            let year = row.get(YEAR)?;
            let at = title.find(year)?;
            let phrase = format!("{}{year}年", &title[..at]);
            Some(BenchQuery {
                kind,
                text: phrase.clone(),
                needles: vec![phrase],
                like_column: TITLE,
                target_ref: Some(row.get(REF)?.to_string()),
                target_name: None,
            })
        }
        QueryKind::Pinyin if canonical == name && chars >= 2 => {
            let full = name_pinyin(&canonical).full.into_iter().next()?;
            let year = row.get(YEAR)?.to_string();
            Some(target(format!("{full} {year}"), vec![full, year], NAME))
        }
        _ => None,
    }
}
