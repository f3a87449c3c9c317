//! The usage statistics (利用统计) counted from the register: people, records, pages and
//! certificates.

mod common;

use archivedesk::api::{
    IssueRequest, NewLookupRequest, RequestStatus, RequestStatusChange, UsageRequest,
};
use common::counter::*;

#[test]
fn usage_statistics_count_people_records_pages_and_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let first = liu_with_his_row_attached(&mut archive);
    archive
        .issue_certificate(&IssueRequest {
            request_id: first.id,
            confirmed: None,
        })
        .unwrap();
    let second = archive
        .register_request(&NewLookupRequest {
            requester_name: "王磊".into(),
            requester_id: wang_id(),
            purpose: "工龄认定".into(),
            channel: "代查代送".into(),
            delivery: Some("自取".into()),
            ..liu_request()
        })
        .unwrap();
    archive
        .set_request_status(&RequestStatusChange {
            request_id: second.id,
            status: RequestStatus::NotFound,
            outcome: None,
        })
        .unwrap();
    let stats = archive
        .usage_stats(&UsageRequest {
            period: Some("day".into()),
            ..UsageRequest::default()
        })
        .unwrap();
    assert_eq!(stats.people_served, 2);
    assert_eq!(stats.records_used, 1);
    assert_eq!(stats.pages_copied, 1);
    assert_eq!(stats.certificates, 1);
    assert_eq!((stats.answered, stats.found), (2, 1));
    let purposes: Vec<(&str, i64)> = stats
        .by_purpose
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect();
    assert!(purposes.contains(&("退休待遇核定", 1)) && purposes.contains(&("工龄认定", 1)));
    assert_eq!(stats.by_category[0].key, "工资调整");
    assert_eq!(stats.by_period.len(), 1);
    assert_eq!(stats.by_period[0].count, 2);

    let xlsx = dir.path().join("利用统计.xlsx");
    archive
        .export_usage(&UsageRequest::default(), &xlsx)
        .unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("档案利用").unwrap();
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    let at = cells.iter().position(|c| c == "利用人次").unwrap();
    assert_eq!(cells[at + 1], "2");
    assert!(cells.iter().any(|c| c == "出具档案证明份数"));

    let bad = archive
        .usage_stats(&UsageRequest {
            from: Some("2026-13-01".into()),
            ..UsageRequest::default()
        })
        .unwrap_err();
    assert!(bad.message.contains("起始日期"));
}
