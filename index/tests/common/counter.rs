//! The counter's test archive: a wage table of two documents (the second controlled) with a
//! scanned page, the requester 刘建国 and his colleague 王磊, and helpers to act on it.

use super::{id18, import, write_utf8_csv};
use archivedesk::api::{
    AttachRequest, Caller, CoverRequest, NewLookupRequest, RedactRequest, Redaction, Relationship,
    Role,
};
use archivedesk::Archive;
use std::path::{Path, PathBuf};

pub const REF: &str = "J012-WS·1998-Y-0034";
pub const REF_CONTROLLED: &str = "J012-WS·1998-Y-0035";

pub fn liu_id() -> String {
    id18("62010219560315001")
}
pub fn wang_id() -> String {
    id18("62010219600101002")
}

/// A wage table of two documents (the second controlled) with a scanned page for the first.
pub fn archive_with_wage_table(dir: &Path) -> (Archive, PathBuf) {
    let csv = dir.join("1998年工资调整表.csv");
    write_wage_csv(&csv, "312.50");
    let scans = dir.join("扫描件");
    let pages = scans.join("J012-WS-1998-Y-0034");
    std::fs::create_dir_all(&pages).unwrap();
    let mut page = image::RgbImage::from_pixel(600, 800, image::Rgb([250, 250, 245]));
    for y in (100..700).step_by(40) {
        for x in 50..550 {
            page.put_pixel(x, y, image::Rgb([20, 20, 20]));
        }
    }
    page.save(pages.join("1.png")).unwrap();
    let data = dir.join("data");
    let mut archive = Archive::open(&data).unwrap();
    archive.set_archive_name("城关区档案馆").unwrap();
    let report = import(&mut archive, &[&csv, &scans]);
    assert_eq!(report.files[0].rows_accepted, 4);
    assert_eq!(report.files[1].pages_attached, 1);
    (archive, csv)
}

pub fn write_wage_csv(path: &Path, liu_before: &str) {
    let liu = liu_id();
    let wang = wang_id();
    write_utf8_csv(
        path,
        &[
            "档号,题名,类别,文号,成文日期,开放标识,姓名,性别,出生年月,身份证号码,工作单位,原工资,调整后工资,增资额",
            &format!("{REF},城关镇1998年工资调整表,工资调整,甘劳人薪〔1998〕45号,1998年7月,开放,刘建国,男,1956.03,{liu},红星机械厂,{liu_before},356.00,43.50"),
            &format!("{REF},城关镇1998年工资调整表,工资调整,甘劳人薪〔1998〕45号,1998年7月,开放,王磊,男,1960.01,{wang},红星机械厂,298.00,340.00,42.00"),
            &format!("{REF_CONTROLLED},城关镇1998年干部任免,干部任免,甘劳人〔1998〕46号,1998年8月,控制,刘建国,男,1956.03,{liu},红星机械厂,,,"),
            &format!("{REF_CONTROLLED},城关镇1998年干部任免,干部任免,甘劳人〔1998〕46号,1998年8月,控制,赵敏,女,1962.05,,红星机械厂,,,"),
        ],
        true,
    );
}

pub fn liu_request() -> NewLookupRequest {
    NewLookupRequest {
        requester_name: "刘建国".into(),
        requester_id: liu_id(),
        requester_phone: Some("13800000000".into()),
        relationship: Relationship::Oneself,
        proxy_name: None,
        proxy_id: None,
        proxy_phone: None,
        unit_name: None,
        purpose: "退休待遇核定".into(),
        purpose_note: None,
        channel: "窗口".into(),
        delivery: None,
        sought: "1998年工资调整记录".into(),
    }
}

pub fn entry_of(archive: &mut Archive, reference: &str, name: &str) -> i64 {
    archive
        .show(reference)
        .unwrap()
        .entries
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} in {reference}"))
        .id
}

/// 刘建国 at the counter: his request registered, and his row of the wage table attached with
/// its scanned page, on which 王磊's row is not covered yet.
pub fn liu_with_his_row_uncovered(archive: &mut Archive) -> archivedesk::api::LookupRequestView {
    let request = archive.register_request(&liu_request()).unwrap();
    let liu = entry_of(archive, REF, "刘建国");
    archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(liu),
            pages: vec![1],
            ..AttachRequest::default()
        })
        .unwrap()
}

/// As `liu_with_his_row_uncovered`, with 王磊's row covered and the cover confirmed.
pub fn liu_with_his_row_attached(archive: &mut Archive) -> archivedesk::api::LookupRequestView {
    let view = liu_with_his_row_uncovered(archive);
    cover(archive, view.id, view.records[0].id, 1)
}

/// Covers the other rows of a page with a box and confirms 已遮盖他人信息 for it.
pub fn cover(
    archive: &mut Archive,
    request_id: i64,
    record_id: i64,
    page_no: i64,
) -> archivedesk::api::LookupRequestView {
    archive
        .redact_page(&RedactRequest {
            request_id,
            record_id,
            page_no,
            boxes: vec![Redaction {
                x: 0.1,
                y: 0.5,
                width: 0.8,
                height: 0.1,
            }],
        })
        .unwrap();
    archive
        .confirm_covered(&CoverRequest {
            request_id,
            record_id,
            page_no,
            override_reason: None,
        })
        .unwrap()
}

pub fn document_id(archive: &mut Archive, reference: &str) -> i64 {
    archive.show(reference).unwrap().id
}

pub fn clerk(login: &str, role: Role) -> Caller {
    Caller {
        clerk_id: Some(99),
        login: login.into(),
        display_name: format!("{login}的名字"),
        role,
        desk: None,
    }
}

/// The certificate's text as poppler's pdftotext reads it. The Windows test leg runs under Wine,
/// which cannot start Linux's poppler: there the text checks are left to the Linux run.
pub fn pdftotext(pdf: &[u8], dir: &Path) -> Option<String> {
    if cfg!(windows) {
        return None;
    }
    let file = dir.join("certificate.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed by this test");
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap())
}

pub fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The actions on the trail, after the looks journaled so far are chained; the anchors written
/// along the way are left out (their own tests look at them).
pub fn audit_actions(archive: &mut Archive) -> Vec<String> {
    archive.chain_looks().unwrap();
    let conn = rusqlite::Connection::open(archive.database_path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT action FROM audit_log WHERE action <> 'anchor' ORDER BY seq")
        .unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

pub fn open_raw(archive: &Archive) -> rusqlite::Connection {
    rusqlite::Connection::open(archive.database_path()).unwrap()
}

/// 刘建国's row on a document of eight large noisy scanned pages (`width` × `height`), his
/// request registered with all eight attached: a certificate that takes long to make and is
/// several MB. Returns the data folder and the request's id; the archive is closed.
pub fn liu_with_eight_noisy_pages(dir: &Path, width: u32, height: u32) -> (PathBuf, i64) {
    let data = dir.join("data");
    let csv = dir.join("工资.csv");
    write_utf8_csv(
        &csv,
        &[
            "档号,题名,姓名,身份证号码",
            &format!(
                "J012-WS·1998-Y-0034,城关镇1998年工资调整表,刘建国,{}",
                liu_id()
            ),
        ],
        false,
    );
    let pages = dir.join("扫描件").join("J012-WS-1998-Y-0034");
    std::fs::create_dir_all(&pages).unwrap();
    let mut seed = 7u32;
    for n in 1..=8 {
        let page = image::RgbImage::from_fn(width, height, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let v = (seed >> 24) as u8;
            image::Rgb([v, v, v])
        });
        page.save(pages.join(format!("{n}.png"))).unwrap();
    }
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv, &dir.join("扫描件")]);
    let request = archive.register_request(&liu_request()).unwrap();
    let entry = archive.show("J012-WS-1998-Y-0034").unwrap().entries[0].id;
    archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(entry),
            pages: (1..=8).collect(),
            ..AttachRequest::default()
        })
        .unwrap();
    (data, request.id)
}
