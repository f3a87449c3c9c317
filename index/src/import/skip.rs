//! Rows inside a table that are not records: a repeated header (stacked tables, printed
//! pages), a merged title or footer, totals and signature lines. They are skipped and said,
//! never turned into documents or people.

use super::cell::SourceRow;
use super::header::ColumnPlan;

/// Words that open a totals, footer or note row.
const FOOTER_WORDS: &[&str] = &[
    "合计",
    "小计",
    "总计",
    "共计",
    "制表",
    "审核",
    "填表",
    "负责人",
    "经办人",
    "注：",
    "注:",
    "说明：",
    "说明:",
];

pub fn skip_reason(row: &SourceRow, plan: &ColumnPlan) -> Option<String> {
    let values: Vec<(usize, String)> = row
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.display()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let (_, first) = values.first()?;
    if FOOTER_WORDS.iter().any(|w| first.starts_with(w)) {
        return Some(format!(
            "「{}」像是合计、表尾或说明行，已跳过",
            shorten(first)
        ));
    }
    let repeats = values
        .iter()
        .filter(|(i, v)| {
            plan.columns
                .iter()
                .any(|c| c.index == *i && !c.header.is_empty() && c.header == *v)
        })
        .count();
    if repeats >= 2 {
        return Some("重复的表头行，已跳过".to_string());
    }
    if values.len() >= 2 && values.iter().all(|(_, v)| v == first) {
        return Some(format!(
            "「{}」是跨列合并的标题或表尾行，已跳过",
            shorten(first)
        ));
    }
    None
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::header::plan_columns;

    fn row(number: usize, cells: &[&str]) -> SourceRow {
        SourceRow::from_texts(number, cells)
    }

    #[test]
    fn totals_titles_and_repeated_headers_are_not_records() {
        let header = row(1, &["档号", "姓名", "原工资"]);
        let plan = plan_columns(std::slice::from_ref(&header), None)
            .unwrap()
            .unwrap();
        assert!(skip_reason(&row(9, &["合计", "", "12345"]), &plan).is_some());
        assert!(skip_reason(&row(9, &["制表人：张三 审核：李四"; 3]), &plan).is_some());
        assert!(skip_reason(&row(9, &["档号", "姓名", "原工资"]), &plan).is_some());
        assert!(skip_reason(
            &row(9, &["县二厂1999年审批表", "县二厂1999年审批表", ""]),
            &plan
        )
        .is_some());
        assert!(skip_reason(&row(9, &["J1-0001", "王磊", "300"]), &plan).is_none());
        assert!(skip_reason(&row(9, &["J1-0001", "关于王磊同志退休的批复", ""]), &plan).is_none());
    }
}
