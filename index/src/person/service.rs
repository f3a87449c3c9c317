//! Length of service from the dates the records give: a reference for the clerk, never a
//! ruling (工龄 is the social-security office's call).

use super::kind::event_kind;
use super::record::Record;
use crate::api::ServiceYears;
use crate::text::PartialDate;

/// A date the service is counted from or to, and the words that say where it comes from.
struct Point {
    date: String,
    basis: String,
}

/// `records`: the person's joined records in timeline order. None without a start date.
pub(super) fn service_years(records: &[&Record]) -> Option<ServiceYears> {
    let start = start(records)?;
    let end = end(records)?;
    let from = PartialDate::from_key(&start.date)?;
    let to = PartialDate::from_key(&end.date)?;
    let (years, months, note) = match (from.month, to.month) {
        (Some(fm), Some(tm)) => {
            let total = (to.year * 12 + i32::from(tm)) - (from.year * 12 + i32::from(fm));
            (total / 12, total % 12, "")
        }
        _ => (to.year - from.year, 0, "；日期只到年，按整年计"),
    };
    if years < 0 || months < 0 {
        return None;
    }
    Some(ServiceYears {
        from: start.date,
        to: end.date,
        years,
        months,
        label: "参考".to_string(),
        basis: format!("{}至 {}{note}", start.basis, end.basis),
    })
}

/// "招工录用 档号 J001-ZG-1975-001"
fn source(r: &Record) -> String {
    format!(
        "{} 档号 {}",
        r.category.as_deref().unwrap_or("记录"),
        r.ref_code
    )
}

/// The earliest start of work written in any record; else the date of the first hiring record.
fn start(records: &[&Record]) -> Option<Point> {
    let written = records
        .iter()
        .filter_map(|r| r.work_start_key.as_ref().map(|k| (k, r)))
        .min_by_key(|(k, _)| *k);
    if let Some((date, r)) = written {
        return Some(Point {
            date: date.clone(),
            basis: format!("参加工作 {date}（{}）", source(r)),
        });
    }
    records
        .iter()
        .filter(|r| event_kind(r.category.as_deref(), r.title.as_deref()) == "hired")
        .find_map(|r| {
            let date = r.date()?;
            let basis = format!("录用文件 {date}（{}）", source(r));
            Some(Point { date, basis })
        })
}

/// The retirement date the latest record gives; else the date of the retirement record; else
/// the last dated record, for someone not (yet) retired in these archives.
fn end(records: &[&Record]) -> Option<Point> {
    let written = records
        .iter()
        .rev()
        .find_map(|r| r.retire_key.as_ref().map(|k| (k, r)));
    if let Some((date, r)) = written {
        return Some(Point {
            date: date.clone(),
            basis: format!("退休 {date}（{}）", source(r)),
        });
    }
    let dated = |label: &str, r: &Record| {
        let date = r.date()?;
        let basis = format!("{label} {date}（{}）", source(r));
        Some(Point { date, basis })
    };
    records
        .iter()
        .rev()
        .filter(|r| event_kind(r.category.as_deref(), r.title.as_deref()) == "retirement")
        .find_map(|r| dated("退休文件", r))
        .or_else(|| records.iter().rev().find_map(|r| dated("最后一条记录", r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ref_code: &str, category: &str, date: Option<&str>, year: Option<i32>) -> Record {
        Record {
            ref_code: ref_code.to_string(),
            category: Some(category.to_string()),
            date_key: date.map(str::to_string),
            year,
            ..Record::default()
        }
    }

    #[test]
    fn from_hiring_record_to_last_record_in_whole_years() {
        let hired = record("A-1", "招工录用", Some("1980-05"), Some(1980));
        let wage = record("B-2", "工资调整", None, Some(1999));
        let s = service_years(&[&hired, &wage]).unwrap();
        assert_eq!((s.from.as_str(), s.to.as_str()), ("1980-05", "1999"));
        assert_eq!((s.years, s.months), (19, 0));
        assert_eq!(s.label, "参考");
        assert_eq!(
            s.basis,
            "录用文件 1980-05（招工录用 档号 A-1）至 最后一条记录 1999（工资调整 档号 B-2）；日期只到年，按整年计"
        );
    }

    #[test]
    fn earliest_work_start_to_retirement_record_date() {
        let mut hired = record("A-1", "招工录用", Some("1975-04"), Some(1975));
        hired.work_start_key = Some("1975-03".to_string());
        let mut later = record("B-2", "工资调整", Some("1985-10"), Some(1985));
        later.work_start_key = Some("1975-06".to_string());
        let retired = record("C-3", "退休审批", Some("2008-05-20"), Some(2008));
        let s = service_years(&[&hired, &later, &retired]).unwrap();
        assert_eq!((s.from.as_str(), s.to.as_str()), ("1975-03", "2008-05-20"));
        assert_eq!((s.years, s.months), (33, 2));
        assert_eq!(
            s.basis,
            "参加工作 1975-03（招工录用 档号 A-1）至 退休文件 2008-05-20（退休审批 档号 C-3）"
        );
    }

    #[test]
    fn none_without_a_start_or_when_the_dates_run_backwards() {
        let wage = record("B-2", "工资调整", Some("1985-10"), Some(1985));
        assert!(service_years(&[&wage]).is_none());
        let mut odd = record("A-1", "工资调整", Some("1985-10"), Some(1985));
        odd.work_start_key = Some("1990-01".to_string());
        odd.retire_key = Some("1989-12".to_string());
        assert!(service_years(&[&odd]).is_none());
    }
}
