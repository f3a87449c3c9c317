//! Finding the header: below a title row, over one or two rows, by synonyms or a mapping.

use super::cell::SourceRow;
use super::fields::{header_key, Field};
use crate::api::{ColumnMapping, ColumnReport};
use crate::error::{Error, ErrorCode, Result};

/// How many rows from the top may hold the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Synonym,
    Mapping,
    Extra,
    Ignored,
}

#[derive(Debug, Clone)]
pub struct PlannedColumn {
    pub index: usize,
    pub header: String,
    pub field: Option<Field>,
    pub via: Via,
}

#[derive(Debug, Clone)]
pub struct ColumnPlan {
    pub columns: Vec<PlannedColumn>,
    /// Positions (in the looked-ahead rows) of the header rows.
    pub header_positions: Vec<usize>,
    pub title: Option<String>,
}

impl ColumnPlan {
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.field == Some(field))
            .map(|c| c.index)
    }

    pub fn has(&self, field: Field) -> bool {
        self.column_of(field).is_some()
    }

    /// Without a 档号 column, the columns it is composed of, in order: 全宗号-目录号-案卷号
    /// (-件号) for files kept by volume, 全宗号-年度-保管期限-件号 for files kept by item (so that
    /// item 1 of 1998 and item 1 of 1999 stay apart). None when neither form is complete: an item
    /// number without a year, or a catalogue number without a volume, would merge documents.
    pub fn ref_code_parts(&self) -> Option<Vec<Field>> {
        if self.has(Field::RefCode) || !self.has(Field::Fonds) {
            return None;
        }
        let candidates: &[Field] = if self.has(Field::VolumeNo) {
            &[
                Field::Fonds,
                Field::CatalogueNo,
                Field::VolumeNo,
                Field::ItemNo,
            ]
        } else if self.has(Field::ItemNo) && self.has(Field::Year) {
            &[Field::Fonds, Field::Year, Field::Retention, Field::ItemNo]
        } else {
            return None;
        };
        Some(
            candidates
                .iter()
                .copied()
                .filter(|f| self.has(*f))
                .collect(),
        )
    }

    pub fn report(&self) -> Vec<ColumnReport> {
        self.columns
            .iter()
            .map(|c| ColumnReport {
                column: column_letter(c.index),
                header: c.header.clone(),
                field: c.field,
                via: match c.via {
                    Via::Synonym => "synonym",
                    Via::Mapping => "mapping",
                    Via::Extra => "extra",
                    Via::Ignored => "ignored",
                }
                .to_string(),
            })
            .collect()
    }

    /// The header to name a column by in messages: its text, else its letter.
    pub fn header_of(&self, index: usize) -> String {
        self.columns
            .iter()
            .find(|c| c.index == index)
            .map(|c| c.header.clone())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| format!("{}列", column_letter(index)))
    }
}

/// A, B, … Z, AA, AB …
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

enum Meaning {
    Field(Field, Via),
    Ignore,
    Unknown,
}

fn meaning(header: &str, mapping: Option<&ColumnMapping>) -> Result<Meaning> {
    let key = header_key(header);
    if let Some(map) = mapping {
        if let Some((_, target)) = map.columns.iter().find(|(h, _)| header_key(h) == key) {
            let target = target.trim();
            if matches!(target, "ignore" | "忽略") {
                return Ok(Meaning::Ignore);
            }
            return match Field::from_header(target) {
                Some(f) => Ok(Meaning::Field(f, Via::Mapping)),
                None => Err(Error::new(
                    ErrorCode::Mapping,
                    format!("对照表把列「{header}」对应到「{target}」，但没有这个字段"),
                )),
            };
        }
    }
    Ok(match Field::from_header(header) {
        Some(f) => Meaning::Field(f, Via::Synonym),
        None => Meaning::Unknown,
    })
}

/// No header is longer than this; longer cells are data (and too costly to normalize per row).
const MAX_HEADER_CHARS: usize = 64;

fn texts(row: &SourceRow) -> Vec<String> {
    row.cells
        .iter()
        .map(|c| match c.len_bytes() > MAX_HEADER_CHARS * 4 {
            true => String::new(),
            false => c.display(),
        })
        .collect()
}

/// Header texts of a two-row header: the lower cell where it has one, the group label above
/// otherwise (vertically merged cells already carry the same text in both rows).
fn combine(top: &[String], bottom: &[String]) -> Vec<String> {
    let width = top.len().max(bottom.len());
    (0..width)
        .map(|c| {
            let t = top.get(c).map(String::as_str).unwrap_or("");
            let b = bottom.get(c).map(String::as_str).unwrap_or("");
            match (t.is_empty(), b.is_empty()) {
                (_, true) => t.to_string(),
                (true, false) => b.to_string(),
                (false, false) if t == b => b.to_string(),
                (false, false) => {
                    if Field::from_header(b).is_some() {
                        b.to_string()
                    } else {
                        format!("{t}/{b}")
                    }
                }
            }
        })
        .collect()
}

fn score(headers: &[String], mapping: Option<&ColumnMapping>) -> usize {
    let mut found: Vec<Field> = Vec::new();
    for h in headers {
        if let Ok(Meaning::Field(f, _)) = meaning(h, mapping) {
            if !found.contains(&f) {
                found.push(f);
            }
        }
    }
    found.len()
}

/// A title row: every non-empty cell holds the same text (a merged title reads so in every cell).
fn title_of(row: &SourceRow) -> Option<String> {
    let values: Vec<String> = texts(row).into_iter().filter(|t| !t.is_empty()).collect();
    let first = values.first()?;
    (values.iter().all(|v| v == first) && first.chars().count() >= 4).then(|| first.clone())
}

/// Find the header among the first rows and plan every column. None when no row looks like a
/// header (fewer than two recognised fields and no mapping naming the row).
pub fn plan_columns(
    rows: &[SourceRow],
    mapping: Option<&ColumnMapping>,
) -> Result<Option<ColumnPlan>> {
    if let Some(map) = mapping {
        for (header, target) in &map.columns {
            meaning(
                header,
                Some(&ColumnMapping {
                    columns: [(header.clone(), target.clone())].into(),
                    header_row: None,
                }),
            )?;
        }
    }
    let limit = rows.len().min(HEADER_SEARCH_ROWS);
    let forced = mapping
        .and_then(|m| m.header_row)
        .and_then(|n| rows.iter().position(|r| r.number == n));
    let mut best: Option<(usize, Vec<usize>, Vec<String>)> = None;
    let consider = |positions: Vec<usize>,
                    headers: Vec<String>,
                    best: &mut Option<(usize, Vec<usize>, Vec<String>)>| {
        let s = score(&headers, mapping);
        if best.as_ref().is_none_or(|(b, _, _)| s > *b) {
            *best = Some((s, positions, headers));
        }
    };
    let candidates: Vec<usize> = match forced {
        Some(p) => vec![p],
        None => (0..limit).collect(),
    };
    // Each row's texts and score once: a row is looked at alone and beside both neighbours.
    let last = candidates.last().map_or(0, |&i| (i + 2).min(rows.len()));
    let row_texts: Vec<Vec<String>> = rows[..last].iter().map(texts).collect();
    let row_scores: Vec<usize> = row_texts.iter().map(|t| score(t, mapping)).collect();
    for &i in &candidates {
        let s = row_scores[i];
        if best.as_ref().is_none_or(|(b, _, _)| s > *b) {
            best = Some((s, vec![i], row_texts[i].clone()));
        }
        // Two rows are a header only when together they name more fields than either alone.
        if i + 1 < row_texts.len() {
            let (top, bottom) = (&row_texts[i], &row_texts[i + 1]);
            let alone = row_scores[i].max(row_scores[i + 1]);
            let combined = combine(top, bottom);
            if score(&combined, mapping) > alone {
                consider(vec![i, i + 1], combined, &mut best);
            }
        }
    }
    let Some((found, mut positions, headers)) = best else {
        return Ok(None);
    };
    // A header cell merged down over two rows reads the same in both: the upper row is the
    // first of a two-row header, not data or a title.
    if let [only] = positions[..] {
        if only > 0 {
            let (upper, lower) = (texts(&rows[only - 1]), texts(&rows[only]));
            let shared = upper
                .iter()
                .zip(&lower)
                .any(|(u, l)| !u.is_empty() && u == l && Field::from_header(u).is_some());
            if shared {
                positions = vec![only - 1, only];
            }
        }
    }
    if found < 2 && forced.is_none() {
        return Ok(None);
    }
    let mut columns = Vec::with_capacity(headers.len());
    let mut taken: Vec<Field> = Vec::new();
    for (index, header) in headers.into_iter().enumerate() {
        let (field, via) = match meaning(&header, mapping)? {
            Meaning::Field(f, via) if !taken.contains(&f) => {
                taken.push(f);
                (Some(f), via)
            }
            Meaning::Ignore => (None, Via::Ignored),
            _ => (None, Via::Extra),
        };
        columns.push(PlannedColumn {
            index,
            header,
            field,
            via,
        });
    }
    let title = rows[..positions[0]].iter().find_map(title_of);
    Ok(Some(ColumnPlan {
        columns,
        header_positions: positions,
        title,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: usize, cells: &[&str]) -> SourceRow {
        SourceRow::from_texts(number, cells)
    }

    #[test]
    fn header_below_a_title_row() {
        let title = "县第二水泥厂1998年工资调整审批表";
        let rows = vec![
            row(1, &[title, title, title, title]),
            row(2, &["", "", "", ""]),
            row(3, &["档号", "姓名", "身份证号", "备注"]),
            row(4, &["J1", "王磊", "", ""]),
        ];
        let plan = plan_columns(&rows, None).unwrap().unwrap();
        assert_eq!(plan.header_positions, vec![2]);
        assert_eq!(plan.title.as_deref(), Some(title));
        assert_eq!(plan.column_of(Field::Name), Some(1));
        assert_eq!(plan.columns[3].via, Via::Extra);
    }

    #[test]
    fn two_row_header_with_a_group_label() {
        let rows = vec![
            row(1, &["档号", "姓名", "工资情况", "工资情况", "备注"]),
            row(2, &["档号", "姓名", "原工资", "调整后工资", "备注"]),
            row(3, &["J1", "王磊", "100", "120", ""]),
        ];
        let plan = plan_columns(&rows, None).unwrap().unwrap();
        assert_eq!(plan.header_positions, vec![0, 1]);
        assert_eq!(plan.column_of(Field::WageBefore), Some(2));
        assert_eq!(plan.column_of(Field::WageAfter), Some(3));
    }

    #[test]
    fn two_row_header_without_merges() {
        let rows = vec![
            row(1, &["档号", "姓名", "工资情况", "", "备注"]),
            row(2, &["", "", "原工资", "调整后工资", ""]),
            row(3, &["J1", "王磊", "100", "120", ""]),
        ];
        let plan = plan_columns(&rows, None).unwrap().unwrap();
        assert_eq!(plan.header_positions, vec![0, 1]);
        assert_eq!(plan.column_of(Field::Name), Some(1));
        assert_eq!(plan.column_of(Field::WageAfter), Some(3));
    }

    #[test]
    fn mapping_names_unusual_headers_and_ignores_columns() {
        let rows = vec![
            row(1, &["卷宗编码", "职工姓名", "内部序号"]),
            row(2, &["J1", "王磊", "7"]),
        ];
        assert!(plan_columns(&rows, None).unwrap().is_none());
        let mut mapping = ColumnMapping::default();
        mapping.columns.insert("卷宗编码".into(), "档号".into());
        mapping.columns.insert("职工姓名".into(), "name".into());
        mapping.columns.insert("内部序号".into(), "ignore".into());
        let plan = plan_columns(&rows, Some(&mapping)).unwrap().unwrap();
        assert_eq!(plan.column_of(Field::RefCode), Some(0));
        assert_eq!(plan.column_of(Field::Name), Some(1));
        assert_eq!(plan.columns[2].via, Via::Ignored);
        mapping
            .columns
            .insert("职工姓名".into(), "不存在的字段".into());
        assert!(plan_columns(&rows, Some(&mapping)).is_err());
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }
}
