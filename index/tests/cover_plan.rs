//! 遮盖本人以外的各行: one step covers every row of a scanned table but the requester's, from the
//! table's ruled lines and the catalogue's order of rows — every row when the two disagree; a
//! page without the requester is offered for removal instead; a page without a table gets no
//! boxes.

mod common;

use archivedesk::api::{AttachRequest, CoverSuggestRequest, IssueRequest, RedactRequest};
use archivedesk::Archive;
use common::counter::*;
use common::*;

const PAGED: &str = "J012-WS·1999-Y-0001";

/// A scanned table page: ruled lines every 40 px from y = 100 (`lines` of them), or none.
fn ruled_page(path: &std::path::Path, lines: u32) {
    let mut page = image::RgbImage::from_pixel(600, 800, image::Rgb([250, 250, 245]));
    for i in 0..lines {
        for x in 50..550 {
            page.put_pixel(x, 100 + i * 40, image::Rgb([20, 20, 20]));
        }
    }
    page.save(path).unwrap();
}

/// A wage table over three scanned pages whose rows name their pages: 王磊 on page 1, 刘建国 and
/// 赵强 on page 2 (a header and two rows: four ruled lines), page 3 a letter without lines.
fn paged_archive(dir: &std::path::Path) -> Archive {
    let csv = dir.join("工资调整表.csv");
    let mut lines = vec!["档号,题名,类别,成文日期,开放标识,姓名,身份证号码,页号".to_string()];
    for (name, id, page) in [
        ("王磊", wang_id(), "1"),
        ("刘建国", liu_id(), "2"),
        ("赵强", id18("62010219610203003"), "2"),
    ] {
        lines.push(format!(
            "{PAGED},1999年工资调整表,工资调整,1999年7月,开放,{name},{id},{page}"
        ));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_utf8_csv(&csv, &lines, true);
    let pages = dir.join("扫描件").join("J012-WS-1999-Y-0001");
    std::fs::create_dir_all(&pages).unwrap();
    ruled_page(&pages.join("1.png"), 3);
    ruled_page(&pages.join("2.png"), 4);
    ruled_page(&pages.join("3.png"), 0);
    let mut archive = Archive::open(&dir.join("data")).unwrap();
    import(&mut archive, &[&csv, &dir.join("扫描件")]);
    archive
}

fn near(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.004
}

#[test]
fn a_table_that_disagrees_with_the_catalogue_is_covered_whole_and_the_certificate_goes_out() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    // 刘建国's row and the scan of the table: 15 ruled lines 40 px apart from y = 100 — more
    // bands than the catalogue's two rows (刘建国, 王磊) and a header.
    let view = liu_with_his_row_uncovered(&mut archive);
    let record = &view.records[0];
    let ask = CoverSuggestRequest {
        request_id: view.id,
        record_id: record.id,
        page_no: 1,
    };
    let plan = archive.suggest_cover(&ask).unwrap();
    assert_eq!(plan.requester_on_page, Some(true));
    // 14 bands for 2 catalogue rows: which band is his cannot be told, so every band is covered
    // and none is outlined — never a row left open by a guess.
    assert!(plan.own.is_empty(), "{plan:?}");
    assert_eq!(plan.boxes.len(), 14);
    assert!(near(plan.boxes[0].y, 100.0 / 800.0) && near(plan.boxes[13].y, 620.0 / 800.0));
    assert!(
        near(plan.boxes[0].x, 50.0 / 600.0)
            && near(plan.boxes[0].x + plan.boxes[0].width, 549.0 / 600.0),
        "{:?}",
        plan.boxes[0]
    );
    assert!(plan.note.contains("对不上"), "{}", plan.note);

    // Nothing was saved: the clerk checks, then saves and confirms.
    assert!(archive.lookup_request(view.id).unwrap().records[0]
        .redactions
        .is_empty());
    archive
        .redact_page(&RedactRequest {
            request_id: view.id,
            record_id: record.id,
            page_no: 1,
            boxes: plan.boxes.clone(),
        })
        .unwrap();
    cover(&mut archive, view.id, record.id, 1);
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: view.id,
            confirmed: None,
        })
        .unwrap();
    assert_eq!(issued.pages, 1);
}

#[test]
fn a_page_without_the_requester_is_offered_for_removal_and_a_page_without_a_table_gets_no_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = paged_archive(dir.path());
    let request = archive.register_request(&liu_request()).unwrap();
    let liu = entry_of(&mut archive, PAGED, "刘建国");
    let view = archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(liu),
            pages: vec![1, 2, 3],
            ..AttachRequest::default()
        })
        .unwrap();
    let record_id = view.records[0].id;
    let ask = |page_no| CoverSuggestRequest {
        request_id: request.id,
        record_id,
        page_no,
    };

    // Page 2: the header, 刘建国 (kept and outlined), 赵强 (covered): bands and rows agree.
    let second = archive.suggest_cover(&ask(2)).unwrap();
    assert_eq!(second.requester_on_page, Some(true));
    assert_eq!((second.own.len(), second.boxes.len()), (1, 1), "{second:?}");
    assert!(near(second.own[0].y, 140.0 / 800.0));
    assert!(near(second.boxes[0].y, 180.0 / 800.0));

    // Page 1 holds only 王磊: offered for removal, with its row covered should the clerk keep it.
    let first = archive.suggest_cover(&ask(1)).unwrap();
    assert_eq!(first.requester_on_page, Some(false));
    assert!(first.own.is_empty());
    assert_eq!(first.boxes.len(), 1);
    assert!(first.note.contains("移除此页"), "{}", first.note);

    // Page 3 has no ruled lines: nothing to suggest, and the clerk is told to draw.
    let third = archive.suggest_cover(&ask(3)).unwrap();
    assert!(third.boxes.is_empty() && third.own.is_empty());
    assert_eq!(
        third.requester_on_page, None,
        "no catalogue row names page 3"
    );
    assert!(third.note.contains("手动框选"), "{}", third.note);

    // A page the record does not hold is refused.
    let refused = archive.suggest_cover(&ask(4)).unwrap_err();
    assert!(refused.message.contains("第 4 页"), "{}", refused.message);
}
