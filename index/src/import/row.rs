//! One source row turned into a document part and, when it names a person, an entry — or a
//! rejection naming the row, the column and the reason.

use super::cell::{Cell, SourceRow};
use super::fields::Field;
use super::header::{ColumnPlan, Via};
use super::values::{read_access, read_date, read_id, wage_amount, DateContext, IdValue};
pub use crate::store::rows::{DocFields, PersonFields, RowRecord};
use crate::text::codes::{compose_ref_code, doc_number_key, ref_code_key};
use crate::text::id_number::IdStatus;
use crate::text::name::normalize_name;
use sha2::{Digest, Sha256};

/// Larger cells are not catalogue data; the row is refused rather than bloating the archive.
pub const MAX_CELL_BYTES: usize = 1 << 20;

pub enum RowOutcome {
    Record(Box<RowRecord>),
    Rejected {
        column: Option<String>,
        reason: String,
    },
}

fn text(row: &SourceRow, plan: &ColumnPlan, field: Field) -> Option<String> {
    let col = plan.column_of(field)?;
    let value = row.get(col).display();
    (!value.is_empty()).then_some(value)
}

/// Fields that say who a person is: any of them without a name makes the row refused. Wages
/// alone do not (a 小计 row sums them).
const PERSON_FIELDS: [Field; 5] = [
    Field::IdNumber,
    Field::Gender,
    Field::BirthDate,
    Field::WorkStart,
    Field::RetireDate,
];

/// A dash, a slash or 无: the cell was filled to say there is nothing.
fn says_nothing(value: &str) -> bool {
    value == "无" || !value.chars().any(char::is_alphanumeric)
}

/// The column as the clerk sees it in this sheet (its header as written), for messages.
fn column_name(plan: &ColumnPlan, field: Field) -> String {
    plan.column_of(field)
        .map(|c| plan.header_of(c))
        .unwrap_or_else(|| field.label().to_string())
}

fn cell<'r>(row: &'r SourceRow, plan: &ColumnPlan, field: Field) -> &'r Cell {
    plan.column_of(field)
        .map(|c| row.get(c))
        .unwrap_or(&Cell::Empty)
}

fn year_in(text: &str) -> Option<i32> {
    let digits: Vec<char> = crate::text::fold_width(text).chars().collect();
    digits.windows(4).find_map(|w| {
        let s: String = w.iter().collect();
        let y: i32 = s.parse().ok()?;
        (1900..=2100).contains(&y).then_some(y)
    })
}

/// The year a 档号 carries: a segment that is a year, after the 全宗号 when there are several
/// (2015-WS·1998-Y-0034 is of 1998: 2015 is the fonds).
fn year_in_ref_code(ref_key: &str) -> Option<i32> {
    let years: Vec<(usize, i32)> = ref_key
        .split('-')
        .enumerate()
        .filter(|(_, part)| part.len() == 4)
        .filter_map(|(i, part)| part.parse::<i32>().ok().map(|y| (i, y)))
        .filter(|(_, y)| (1900..=2100).contains(y))
        .collect();
    years
        .iter()
        .find(|(i, _)| *i > 0)
        .or(years.first())
        .map(|(_, y)| *y)
}

/// What the sheet tells every row.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowContext<'a> {
    /// Category given with the import or read from the sheet's title row: applies to every
    /// row without a category column.
    pub category: Option<&'a str>,
    /// Category guessed from the sheet or file name: used only when a row's own 题名 says
    /// nothing ("关于王磊同志退休的批复" in a file named 工资科移交目录 is still 退休审批).
    pub category_fallback: Option<&'a str>,
    /// Cells are text as a spreadsheet showed them (CSV saved by Excel).
    pub shown_text: bool,
}

pub fn read_row(row: &SourceRow, plan: &ColumnPlan, ctx: RowContext) -> RowOutcome {
    if let Some(error) = &row.decode_error {
        return RowOutcome::Rejected {
            column: error.column.map(|c| plan.header_of(c)),
            reason: error.reason.clone(),
        };
    }
    for (index, c) in row.cells.iter().enumerate() {
        if c.len_bytes() > MAX_CELL_BYTES {
            return RowOutcome::Rejected {
                column: Some(plan.header_of(index)),
                reason: format!(
                    "单元格内容过长（{:.1} MB，上限 {} MB），不像目录数据",
                    c.len_bytes() as f64 / 1048576.0,
                    MAX_CELL_BYTES >> 20
                ),
            };
        }
    }
    let mut notes: Vec<(Option<String>, String)> = Vec::new();

    let ref_code = match (text(row, plan, Field::RefCode), plan.ref_code_parts()) {
        (Some(code), _) => code,
        (None, Some(fields)) => {
            let mut parts = Vec::with_capacity(fields.len());
            for field in fields {
                match text(row, plan, field) {
                    Some(part) => parts.push(part),
                    None => {
                        return RowOutcome::Rejected {
                            column: Some(column_name(plan, field)),
                            reason: format!(
                                "组成档号的「{}」为空，无法确定这一行属于哪个案卷",
                                column_name(plan, field)
                            ),
                        }
                    }
                }
            }
            compose_ref_code(&parts.iter().map(String::as_str).collect::<Vec<_>>())
        }
        (None, None) => String::new(),
    };
    let ref_key = ref_code_key(&ref_code);
    if !ref_key.is_empty() && !ref_key.chars().any(|c| c.is_ascii_digit()) {
        return RowOutcome::Rejected {
            column: Some(column_name(plan, Field::RefCode)),
            reason: format!("档号「{ref_code}」中没有数字，不像档号"),
        };
    }
    if ref_key.is_empty() {
        return RowOutcome::Rejected {
            column: Some(column_name(plan, Field::RefCode)),
            reason: "档号为空（若原表是合并单元格，请导入xlsx原件，或在Excel中取消合并并向下填充后再导出）".to_string(),
        };
    }

    let mut doc = DocFields {
        ref_code,
        ref_key,
        fonds: text(row, plan, Field::Fonds),
        category: text(row, plan, Field::Category).or_else(|| ctx.category.map(str::to_string)),
        title: text(row, plan, Field::Title),
        creator: text(row, plan, Field::Creator),
        retention: text(row, plan, Field::Retention),
        full_text: text(row, plan, Field::FullText),
        ..DocFields::default()
    };
    if doc.category.is_none() {
        // A catalogue of approvals without a category column: each document's title says it
        // ("关于张瑞同志退休的批复").
        doc.category = doc
            .title
            .as_deref()
            .and_then(|t| super::category::infer(&[("title", t)]))
            .map(|c| c.value)
            .or_else(|| ctx.category_fallback.map(str::to_string));
    }
    if let Some(number) = text(row, plan, Field::DocNumber) {
        doc.doc_number_key = Some(doc_number_key(&number));
        doc.doc_number = Some(number);
    }
    let plain = DateContext {
        shown_text: ctx.shown_text,
        not_after: None,
    };
    if let Some(d) = read_date(cell(row, plan, Field::Date), plain) {
        if let Some(note) = d.note {
            notes.push((Some(column_name(plan, Field::Date)), note));
        }
        doc.date_key = d.date.map(|x| x.key());
        doc.year = d.date.map(|x| x.year);
        doc.date_raw = Some(d.raw);
    }
    if let Some(y) = text(row, plan, Field::Year) {
        match year_in(&y) {
            Some(year) => doc.year = Some(year),
            None => notes.push((
                Some(column_name(plan, Field::Year)),
                format!("年度「{y}」不是四位年份，未采用"),
            )),
        }
    }
    if doc.year.is_none() {
        doc.year = doc
            .title
            .as_deref()
            .and_then(year_in)
            .or_else(|| year_in_ref_code(&doc.ref_key));
    }
    if let Some(n) = text(row, plan, Field::PageCount) {
        doc.page_count = crate::text::fold_width(&n).trim().parse().ok();
    }
    if let Some(raw) = text(row, plan, Field::Access) {
        doc.access = read_access(&raw);
        if doc.access.is_none() {
            notes.push((
                Some(column_name(plan, Field::Access)),
                format!("开放标识「{raw}」无法识别，按控制使用处理"),
            ));
            doc.access = Some("controlled");
        }
        doc.access_raw = Some(raw);
    }

    let name = text(row, plan, Field::Name).filter(|n| !normalize_name(n).is_empty());
    // Only a sheet with a 姓名 column has person rows; a dash or 无 fills a cell with nothing.
    if name.is_none() && plan.column_of(Field::Name).is_some() {
        if let Some(field) = PERSON_FIELDS
            .iter()
            .find(|f| text(row, plan, **f).is_some_and(|v| !says_nothing(&v)))
        {
            // A person's row without its name would be counted and then found by no one.
            return RowOutcome::Rejected {
                column: Some(column_name(plan, Field::Name)),
                reason: format!(
                    "{}为空，但这一行有{}等人员信息：请补上姓名后再导入",
                    column_name(plan, Field::Name),
                    column_name(plan, *field)
                ),
            };
        }
    }
    let person = match name {
        Some(name) => {
            let name_norm = normalize_name(&name);
            {
                let dates = DateContext {
                    shown_text: ctx.shown_text,
                    not_after: doc.year,
                };
                match read_person(row, plan, name, name_norm, dates, &mut notes) {
                    Ok(p) => Some(p),
                    Err((column, reason)) => return RowOutcome::Rejected { column, reason },
                }
            }
        }
        None => None,
    };

    let mut extra = Vec::new();
    for col in &plan.columns {
        if col.via == Via::Extra {
            let value = row.get(col.index).display();
            if !value.is_empty() {
                extra.push((plan.header_of(col.index), value));
            }
        }
    }
    for index in plan.columns.len()..row.cells.len() {
        let value = row.get(index).display();
        if !value.is_empty() {
            extra.push((plan.header_of(index), value));
        }
    }

    let mut hasher = Sha256::new();
    for c in &row.cells {
        hasher.update(c.display().as_bytes());
        hasher.update([0x1f]);
    }
    let content_hash = hex::encode(&hasher.finalize()[..16]);

    RowOutcome::Record(Box::new(RowRecord {
        source_row: row.number,
        doc,
        person,
        extra,
        notes,
        content_hash,
    }))
}

fn read_person(
    row: &SourceRow,
    plan: &ColumnPlan,
    name: String,
    name_norm: String,
    dates: DateContext,
    notes: &mut Vec<(Option<String>, String)>,
) -> Result<PersonFields, (Option<String>, String)> {
    let mut p = PersonFields {
        name,
        name_norm,
        gender: text(row, plan, Field::Gender),
        page: text(row, plan, Field::Page),
        ..PersonFields::default()
    };
    match read_id(cell(row, plan, Field::IdNumber)) {
        Some(IdValue::Refused(reason)) => {
            return Err((Some(column_name(plan, Field::IdNumber)), reason))
        }
        Some(IdValue::Kept(id)) => {
            if !id.status.is_valid() {
                notes.push((
                    Some(column_name(plan, Field::IdNumber)),
                    format!(
                        "身份证号「{}」{}，按原样保留",
                        crate::text::mask_id(&id.raw),
                        id.status.message_zh()
                    ),
                ));
            } else if id.status == IdStatus::Valid18 && id.key.ends_with("000") {
                // Excel keeps 15 significant digits: a truncated ID ends in zeros, and one in
                // eleven still passes the check digit.
                notes.push((
                    Some(column_name(plan, Field::IdNumber)),
                    format!(
                        "身份证号「{}」末三位为000，可能已被Excel截断，请核对原件",
                        crate::text::mask_id(&id.raw)
                    ),
                ));
            }
            p.id_status = Some(id.status);
            p.id_key = Some(id.key);
            p.id_raw = Some(id.raw);
        }
        None => {}
    }
    // Birth and start of work come before the document; retirement may come after it.
    let mut date_field = |field: Field| -> (Option<String>, Option<String>) {
        let ctx = match field {
            Field::RetireDate => DateContext {
                not_after: None,
                ..dates
            },
            _ => dates,
        };
        match read_date(cell(row, plan, field), ctx) {
            Some(d) => {
                if let Some(note) = d.note {
                    notes.push((Some(column_name(plan, field)), note));
                }
                (Some(d.raw), d.date.map(|x| x.key()))
            }
            None => (None, None),
        }
    };
    (p.birth_raw, p.birth_key) = date_field(Field::BirthDate);
    (p.work_start_raw, p.work_start_key) = date_field(Field::WorkStart);
    (p.retire_raw, p.retire_key) = date_field(Field::RetireDate);
    if let Some(unit) = text(row, plan, Field::WorkUnit) {
        p.work_unit_norm = Some(crate::text::normalize_text(&unit));
        p.work_unit = Some(unit);
    }
    let mut wage = |field: Field| -> (Option<String>, Option<f64>) {
        let Some(raw) = text(row, plan, field) else {
            return (None, None);
        };
        let amount = wage_amount(&raw);
        // Anything but a number or a "none" is kept and said; the value stays out of the note
        // (reports mask money).
        if amount.is_none() && !says_nothing(&raw) {
            notes.push((
                Some(column_name(plan, field)),
                format!(
                    "{}不是数字金额，按原样保留（金额检索与统计用不到它，请核对原件）",
                    column_name(plan, field)
                ),
            ));
        }
        (Some(raw), amount)
    };
    (p.wage_before, p.wage_before_amount) = wage(Field::WageBefore);
    (p.wage_after, p.wage_after_amount) = wage(Field::WageAfter);
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::year_in_ref_code;

    #[test]
    fn the_year_of_a_ref_code_is_not_its_fonds() {
        assert_eq!(year_in_ref_code("J012-WS-1998-Y-0034"), Some(1998));
        assert_eq!(year_in_ref_code("2015-WS-1998-Y-0034"), Some(1998));
        assert_eq!(year_in_ref_code("J012-WS-1998-Y-2001"), Some(1998));
        assert_eq!(year_in_ref_code("031-7-1"), None);
    }
}
