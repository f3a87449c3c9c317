//! ID numbers and money however they are written, wherever a clerk sees them: snippets, hit
//! fields, the record's full text and the timeline; columns the engine does not know; the mask
//! itself, which must leave at least 10,000 numbers; highlights that could confirm hidden
//! digits; and the messages of import reports.

mod common;

use archivedesk::api::{AttachRequest, DocumentRequest, Role, SearchRequest};
use archivedesk::ErrorCode;
use common::counter::*;

/// A retirement approval whose typed text holds the person's ID in every way clerks and OCR
/// write one, and a wage amount; the catalogue row carries unknown columns with more numbers.
fn archive_with_approval_text(dir: &std::path::Path) -> archivedesk::Archive {
    let liu = liu_id();
    let old15 = format!("{}{}", &liu[..6], &liu[8..17]);
    let spouse = common::id18("62010219580709002");
    let csv = dir.join("退休审批.csv");
    common::write_utf8_csv(
        &csv,
        &[
            "档号,题名,类别,成文日期,开放标识,姓名,性别,出生年月,身份证号码,工作单位,原身份证号,配偶身份证号,退休费,基本养老金,养老金,退休金,补助,备注",
            &format!(
                "J012-WS·1996-Y-0007,关于刘建国同志退休的批复,退休审批,1996年4月,开放,刘建国,男,1956年3月15日,{liu},红星机械厂,{old15},{spouse},212.40,180.00,190.00,200.00,35.00,原号 {} {} {}",
                &liu[..6], &liu[6..14], &liu[14..]
            ),
        ],
        true,
    );
    let scans = dir.join("扫描件");
    std::fs::create_dir_all(&scans).unwrap();
    let full = "０１２３４５６７８９";
    let wide: String = liu
        .chars()
        .map(|c| {
            c.to_digit(10)
                .map_or('Ｘ', |d| full.chars().nth(d as usize).unwrap())
        })
        .collect();
    let text = format!(
        "城关镇劳动局文件\n经审核，刘建国同志，男，居民身份证号码{liu}，旧证号{old15}，\
         现已达到国家规定的退休年龄。同意其退休，月工资45.50元，退休费按本人标准工资的百分之七十五计发。\n\
         附：身份证号 {} {} {}；{}-{}-{}；{}.{}.{}；{}；配偶居民身份证号码{}\n",
        &liu[..6],
        &liu[6..14],
        &liu[14..],
        &liu[..6],
        &liu[6..14],
        &liu[14..],
        &liu[..6],
        &liu[6..14],
        &liu[14..],
        wide,
        spouse.to_lowercase()
    );
    std::fs::write(scans.join("J012-WS-1996-Y-0007.txt"), text).unwrap();
    let mut archive = archivedesk::Archive::open(&dir.join("data")).unwrap();
    let report = common::import(&mut archive, &[&csv, &scans]);
    assert_eq!(report.files[0].rows_accepted, 1, "{:?}", report.files[0]);
    archive
}

/// Whether `text` shows any ID number in full, or any of `numbers` beyond their region.
fn leaks(text: &str, numbers: &[&str]) -> bool {
    archivedesk::privacy::holds_personal_numbers(text)
        || numbers
            .iter()
            .any(|n| text.contains(&n[6..]) || text.contains(&n[6..12]))
}

#[test]
fn full_text_snippets_hit_fields_and_the_record_view_never_show_a_whole_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive_with_approval_text(dir.path());
    let liu = liu_id();
    let spouse = common::id18("62010219580709002");
    let numbers = [liu.as_str(), spouse.as_str()];
    archive.act_as(clerk("zhangli", Role::Clerk));
    for query in ["居民身份证号码", "身份证号", "刘建国", &liu] {
        let found = archive
            .search_as_caller(&SearchRequest {
                query: query.to_string(),
                ..SearchRequest::default()
            })
            .unwrap();
        assert!(found.total > 0, "{query}");
        for hit in &found.hits {
            let shown = serde_json::to_string(hit).unwrap();
            assert!(!leaks(&shown, &numbers), "{query}: {shown}");
            for fragment in &hit.snippet {
                // Highlights stay within the masked text.
                let chars = fragment.text.chars().count();
                assert!(fragment
                    .highlights
                    .iter()
                    .all(|[a, b]| a < b && *b <= chars));
            }
        }
    }
    let view = archive
        .view_document(&DocumentRequest {
            reference: Some("J012-WS-1996-Y-0007".into()),
            query: Some("居民身份证号码".into()),
            ..DocumentRequest::default()
        })
        .unwrap();
    let text = view
        .full_text
        .clone()
        .expect("the record view shows the full text");
    assert!(text.contains("经审核，刘建国同志"));
    assert!(
        text.contains("月工资**.**元"),
        "amounts beside wage words: {text}"
    );
    let shown = serde_json::to_string(&view).unwrap();
    assert!(!leaks(&shown, &numbers), "{shown}");
    let chars: Vec<char> = text.chars().collect();
    let marked: Vec<String> = view
        .full_text_highlights
        .iter()
        .map(|[a, b]| chars[*a..*b].iter().collect())
        .collect();
    assert!(
        marked.len() >= 2 && marked.iter().all(|m| m == "居民身份证号码"),
        "{marked:?}"
    );
    // The timeline too, and every search is on the trail, without a committed flag.
    let timeline = archive
        .view_person(&archivedesk::api::PersonRequest {
            entry_id: Some(view.entries[0].id),
            ..Default::default()
        })
        .unwrap();
    assert!(!leaks(&serde_json::to_string(&timeline).unwrap(), &numbers));
    let searches = audit_actions(&mut archive)
        .iter()
        .filter(|a| *a == "search")
        .count();
    assert_eq!(searches, 4);
}

#[test]
fn unknown_columns_are_masked_by_header_and_by_value_in_every_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive_with_approval_text(dir.path());
    let liu = liu_id();
    let spouse = common::id18("62010219580709002");
    archive.act_as(clerk("zhangli", Role::Clerk));
    let view = archive
        .view_document(&DocumentRequest {
            reference: Some("J012-WS-1996-Y-0007".into()),
            ..DocumentRequest::default()
        })
        .unwrap();
    let extra: std::collections::HashMap<&str, &str> = view.entries[0]
        .extra
        .iter()
        .map(|(h, v)| (h.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        extra["配偶身份证号"],
        format!("{}************", &spouse[..6])
    );
    assert_eq!(extra["原身份证号"], format!("{}*********", &liu[..6]));
    for money in ["退休费", "基本养老金", "养老金", "退休金", "补助"] {
        assert_eq!(extra[money], "＊＊＊", "{money}");
    }
    assert_eq!(extra["备注"], format!("原号 {} ******** ****", &liu[..6]));
    // The birth beside the masked ID shows its month only.
    assert_eq!(view.entries[0].birth.as_deref(), Some("1956年3月"));

    // A register row attached for someone else keeps them masked too.
    let mut other = liu_request();
    other.requester_name = "王磊".into();
    other.requester_id = wang_id();
    let request = archive.register_request(&other).unwrap();
    let attached = archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(view.entries[0].id),
            ..AttachRequest::default()
        })
        .unwrap();
    let row = serde_json::to_string(&attached.records[0].row).unwrap();
    assert!(!leaks(&row, &[liu.as_str(), spouse.as_str()]), "{row}");
    assert!(!row.contains("212.40"));
}

#[test]
fn the_mask_leaves_at_least_ten_thousand_numbers_for_every_row_of_the_demo() {
    // The mask shown before (first 6 and last 4 kept) left about three.
    let old = common::candidates::candidates("430726********101X", Some("1948年6月"), Some("男"));
    assert!(old <= 5, "{old}");

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("演示数据");
    archivedesk::demo::build::build_demo_archive(&data, 600, 5, false, &mut |_| {}).unwrap();
    let mut archive = archivedesk::Archive::open(&data).unwrap();
    archive.act_as(clerk("zhangli", Role::Clerk));
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let documents: Vec<i64> = conn
        .prepare(
            "SELECT DISTINCT e.document_id FROM entries e JOIN documents d ON d.id = e.document_id
             WHERE e.id_raw IS NOT NULL AND d.access = 'open'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut fewest = u64::MAX;
    let mut checked = 0;
    let mut check = |masked: &str, birth: Option<&str>, gender: Option<&str>, what: &str| {
        let n = common::candidates::candidates(masked, birth, gender);
        assert!(
            n >= 10_000,
            "{what}: {masked} {birth:?} {gender:?} leaves {n}"
        );
        fewest = fewest.min(n);
        checked += 1;
    };
    for (i, id) in documents.iter().enumerate() {
        let view = archive
            .view_document(&DocumentRequest {
                document_id: Some(*id),
                ..DocumentRequest::default()
            })
            .unwrap();
        for e in &view.entries {
            let Some(masked) = e.id_number_masked.as_deref() else {
                continue;
            };
            if masked
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '*')
                .count()
                != 18
                && masked.chars().count() != 15
            {
                continue; // not an ID number's length: shown masked all the same
            }
            check(masked, e.birth.as_deref(), e.gender.as_deref(), "record");
            if i % 7 == 0 {
                let timeline = archive
                    .view_person(&archivedesk::api::PersonRequest {
                        entry_id: Some(e.id),
                        ..Default::default()
                    })
                    .unwrap();
                if let Some(m) = timeline.id_masked.as_deref() {
                    check(
                        m,
                        timeline.birth.as_deref(),
                        timeline.gender.as_deref(),
                        "timeline",
                    );
                }
                let hits = archive
                    .search_as_caller(&SearchRequest {
                        query: e.name.clone(),
                        ..SearchRequest::default()
                    })
                    .unwrap();
                for h in hits.hits.iter().filter(|h| h.entry_id == Some(e.id)) {
                    if let Some(m) = h.id_masked.as_deref() {
                        check(m, h.birth.as_deref(), h.gender.as_deref(), "hit");
                    }
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} rows checked");
    assert!(fewest >= 10_000);
}

#[test]
fn import_reports_keep_no_id_digits_and_are_for_their_clerk_and_supervisors() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("招工名册.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["档号", "题名", "姓名", "身份证号"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "031-80-1").unwrap();
    sheet.write_string(1, 1, "招工审批表").unwrap();
    sheet.write_string(1, 2, "李建华").unwrap();
    // An 18-digit ID typed into a number cell: Excel kept 15 significant digits of it.
    sheet.write_number(1, 3, 431128198403151234.0).unwrap();
    workbook.save(&book).unwrap();

    let session = archivedesk::session::Session::new(
        archivedesk::Archive::open(&dir.path().join("data")).unwrap(),
        dir.path().join("demo"),
    );
    let zhang = clerk("zhangli", Role::Clerk);
    let job = session
        .start_import(
            archivedesk::api::ImportRequest {
                paths: vec![book],
                ..Default::default()
            },
            Vec::new(),
            zhang.clone(),
        )
        .unwrap()
        .job;
    let status = loop {
        let status = session.import_status(job, &zhang).unwrap();
        if !status.running {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let report = status.report.unwrap();
    let reason = &report.files[0].rejected[0].reason;
    assert!(reason.contains("Excel"), "{reason}");
    assert!(!reason.contains("4311281984"), "{reason}");
    assert!(
        reason.contains("431128"),
        "the region helps find the row: {reason}"
    );

    let mut other = clerk("wangfang", Role::Clerk);
    other.clerk_id = Some(100);
    let refused = session.import_status(job, &other).unwrap_err();
    assert_eq!(
        refused.code,
        ErrorCode::NotFound,
        "another clerk's job does not exist for her"
    );
    let supervisor = clerk("wangzhu", Role::Supervisor);
    assert!(session.import_status(job, &supervisor).is_ok());
}

/// A highlight on hidden digits would confirm them: a query typed as the hidden groups of an ID
/// marks nothing there.
#[test]
fn a_query_on_hidden_digits_marks_nothing_in_the_full_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive_with_approval_text(dir.path());
    let liu = liu_id();
    archive.act_as(clerk("zhangli", Role::Clerk));
    for guess in [&liu[6..14], &liu[14..]] {
        let view = archive
            .view_document(&DocumentRequest {
                reference: Some("J012-WS-1996-Y-0007".into()),
                query: Some(guess.to_string()),
                ..DocumentRequest::default()
            })
            .unwrap();
        let text: Vec<char> = view.full_text.unwrap().chars().collect();
        for [a, b] in &view.full_text_highlights {
            let marked: String = text[*a..*b].iter().collect();
            assert!(!marked.contains('*'), "{guess}: marked {marked}");
        }
        let hits = archive
            .search_as_caller(&SearchRequest {
                query: guess.to_string(),
                ..SearchRequest::default()
            })
            .unwrap();
        for fragment in hits.hits.iter().flat_map(|h| &h.snippet) {
            let text: Vec<char> = fragment.text.chars().collect();
            for [a, b] in &fragment.highlights {
                let marked: String = text[*a..*b].iter().collect();
                assert!(
                    !marked.contains('*'),
                    "{guess}: marked {marked} in a snippet"
                );
            }
        }
    }
    // The query of each view is on the trail with it.
    let conn = open_raw(&archive);
    archive.chain_looks().unwrap();
    let queries: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'view_record' AND detail LIKE ?1",
            [format!("%{}%", &liu[14..])],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(queries, 1);
}

#[test]
fn wage_sheet_columns_and_ids_anywhere_in_a_row_are_masked_with_its_birth_day() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("工资发放表.csv");
    let liu = liu_id();
    common::write_utf8_csv(
        &csv,
        &[
            "档号,题名,姓名,出生年月,应发,实发,扣款,公积金,奖金,合计,原证件",
            &format!("J012-WS·2001-Y-0002,2001年工资发放表,刘建国,1956年3月15日,1200.50,1100.00,100.50,60.00,300,1460,{liu}"),
        ],
        true,
    );
    let mut archive = archivedesk::Archive::open(&dir.path().join("data")).unwrap();
    common::import(&mut archive, &[&csv]);
    archive.act_as(clerk("zhangli", Role::Clerk));
    let view = archive
        .view_document(&DocumentRequest {
            reference: Some("J012-WS-2001-Y-0002".into()),
            ..DocumentRequest::default()
        })
        .unwrap();
    let entry = &view.entries[0];
    for (header, value) in &entry.extra {
        if header != "原证件" {
            assert_eq!(value, "＊＊＊", "{header}");
        }
    }
    assert_eq!(
        entry.birth.as_deref(),
        Some("1956年3月"),
        "an ID in another column"
    );
    let shown = serde_json::to_string(entry).unwrap();
    assert!(
        !shown.contains("1956-03-15") && !shown.contains(&liu[6..]),
        "{shown}"
    );
}
