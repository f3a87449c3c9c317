//! Usage statistics (利用统计) from the register: people served per day, month or year, by
//! purpose, channel, category and status, the found rate and the time to answer — and an XLSX
//! shaped like the use section of the archives' annual statistical report.

use crate::api::{UsageCount, UsageRequest, UsageStats};
use crate::error::{Error, ErrorCode, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};

fn day(text: Option<&str>, fallback: NaiveDate, field: &str) -> Result<NaiveDate> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(fallback),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
            Error::new(
                ErrorCode::InvalidRequest,
                format!("{field}「{t}」不是日期（应为 2026-01-31 这样的格式）"),
            )
        }),
    }
}

fn counts(conn: &Connection, sql: &str, from: &str, to: &str) -> Result<Vec<UsageCount>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(UsageCount {
            key: r
                .get::<_, Option<String>>(0)?
                .unwrap_or_else(|| "（未注明）".into()),
            count: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Requests registered in the period, as a WHERE clause over `requests` with ?1 and ?2.
const IN_PERIOD: &str = "substr(registered_at, 1, 10) BETWEEN ?1 AND ?2";

pub fn usage(conn: &Connection, request: &UsageRequest, today: NaiveDate) -> Result<UsageStats> {
    let start_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let from = day(request.from.as_deref(), start_of_year, "起始日期")?;
    let to = day(request.to.as_deref(), today, "截止日期")?;
    if from > to {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "起始日期晚于截止日期",
        ));
    }
    let period = request.period.as_deref().unwrap_or("month");
    let width = match period {
        "day" => 10,
        "month" => 7,
        "year" => 4,
        other => {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("统计周期「{other}」应为 day、month 或 year"),
            ))
        }
    };
    let (from, to) = (from.to_string(), to.to_string());
    let one =
        |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, params![from, to], |r| r.get(0))?) };
    let people_served = one(&format!("SELECT COUNT(*) FROM requests WHERE {IN_PERIOD}"))?;
    let records_used = one(&format!(
        "SELECT COUNT(*) FROM request_records rr JOIN requests ON requests.id = rr.request_id WHERE {IN_PERIOD}"
    ))?;
    // A voided certificate counts apart: it served no one, but its number was used.
    let certificates = one(
        "SELECT COUNT(*) FROM certificates WHERE substr(issued_at, 1, 10) BETWEEN ?1 AND ?2 AND voided_at IS NULL",
    )?;
    let certificates_voided = one(
        "SELECT COUNT(*) FROM certificates WHERE substr(issued_at, 1, 10) BETWEEN ?1 AND ?2 AND voided_at IS NOT NULL",
    )?;
    let pages_copied = one(
        "SELECT COALESCE(SUM(pages), 0) FROM certificates WHERE substr(issued_at, 1, 10) BETWEEN ?1 AND ?2 AND voided_at IS NULL",
    )?;
    let answered = one(&format!(
        "SELECT COUNT(*) FROM requests WHERE {IN_PERIOD} AND answered_at IS NOT NULL"
    ))?;
    let found = one(&format!(
        "SELECT COUNT(*) FROM requests WHERE {IN_PERIOD} AND status IN ('found', 'delivered')
           AND EXISTS (SELECT 1 FROM request_records rr WHERE rr.request_id = requests.id)"
    ))?;
    let mut minutes: Vec<f64> = conn
        .prepare(&format!(
            "SELECT (julianday(answered_at) - julianday(registered_at)) * 1440.0 FROM requests
             WHERE {IN_PERIOD} AND answered_at IS NOT NULL"
        ))?
        .query_map(params![from, to], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    minutes.sort_by(f64::total_cmp);
    let median_minutes_to_answer = match minutes.len() {
        0 => None,
        n if n % 2 == 1 => Some(minutes[n / 2]),
        n => Some((minutes[n / 2 - 1] + minutes[n / 2]) / 2.0),
    };
    let grouped = |column: &str| -> Result<Vec<UsageCount>> {
        counts(
            conn,
            &format!(
                "SELECT {column}, COUNT(*) FROM requests WHERE {IN_PERIOD} GROUP BY 1 ORDER BY COUNT(*) DESC, 1"
            ),
            &from,
            &to,
        )
    };
    Ok(UsageStats {
        by_period: counts(
            conn,
            &format!(
                "SELECT substr(registered_at, 1, {width}), COUNT(*) FROM requests WHERE {IN_PERIOD} GROUP BY 1 ORDER BY 1"
            ),
            &from,
            &to,
        )?,
        by_purpose: grouped("purpose")?,
        by_channel: grouped("channel")?,
        by_status: grouped("status")?,
        by_category: counts(
            conn,
            &format!(
                "SELECT json_extract(rr.snapshot_json, '$.category'), COUNT(*) FROM request_records rr
                 JOIN requests ON requests.id = rr.request_id WHERE {IN_PERIOD} GROUP BY 1 ORDER BY COUNT(*) DESC, 1"
            ),
            &from,
            &to,
        )?,
        from,
        to,
        period: period.to_string(),
        people_served,
        records_used,
        pages_copied,
        certificates,
        certificates_voided,
        answered,
        found,
        median_minutes_to_answer,
    })
}

/// The use section of the annual statistical report: the totals, then people served by
/// purpose, channel and period.
pub fn workbook(stats: &UsageStats, archive_name: &str) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail =
        |e: rust_xlsxwriter::XlsxError| Error::new(ErrorCode::Io, format!("无法生成统计表：{e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("档案利用").map_err(fail)?;
    sheet.set_column_width(0, 28).map_err(fail)?;
    sheet.set_column_width(1, 14).map_err(fail)?;
    sheet
        .write_string_with_format(0, 0, format!("{archive_name} 档案利用情况"), &bold)
        .map_err(fail)?;
    sheet
        .write_string(1, 0, format!("统计期间：{} 至 {}", stats.from, stats.to))
        .map_err(fail)?;
    let mut row = 3;
    sheet
        .write_string_with_format(2, 0, "项目", &bold)
        .and_then(|s| s.write_string_with_format(2, 1, "数量", &bold))
        .map_err(fail)?;
    for (label, value) in [
        ("利用人次", stats.people_served),
        ("利用档案卷/件次", stats.records_used),
        ("复制页数", stats.pages_copied),
        ("出具档案证明份数", stats.certificates),
        ("作废证明份数", stats.certificates_voided),
        ("已答复人次", stats.answered),
        ("查到人次", stats.found),
    ] {
        write_pair(sheet, &mut row, label, value).map_err(fail)?;
    }
    row += 1;
    for (title, counts) in [
        ("按利用目的（人次）", &stats.by_purpose),
        ("按查档渠道（人次）", &stats.by_channel),
        ("按档案门类（卷/件次）", &stats.by_category),
        ("按统计周期（人次）", &stats.by_period),
    ] {
        sheet
            .write_string_with_format(row, 0, title, &bold)
            .map_err(fail)?;
        row += 1;
        for c in counts.iter() {
            write_pair(sheet, &mut row, &c.key, c.count).map_err(fail)?;
        }
        row += 1;
    }
    book.save_to_buffer().map_err(fail)
}

fn write_pair(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: &mut u32,
    label: &str,
    value: i64,
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    sheet.write_string(*row, 0, label)?;
    sheet.write_number(*row, 1, value as f64)?;
    *row += 1;
    Ok(())
}
