//! A volume catalogued by volume only (档号, 题名, 年度, 页数) and its scan folder of wage-table
//! pages without text: after `archivedesk ocr --wait` the names printed on the pages are found,
//! as 扫描页识别 hits below every catalogued row, naming the page, their snippets masked; the
//! viewer gets each name's box on the page. Pages read are never read again while their files
//! are unchanged; a page whose file changed is read again, alone.
//!
//! The models are PyPI's (`rapidocr-onnxruntime`), put in place by `.ci/setup`.

mod common;

use archivedesk::api::{
    AuditQuery, ConfirmPageRowRequest, DocumentRequest, Field, PageReadingStatus, PageRowValues,
    PageRowsRequest, PageWordsRequest, PersonRequest, SearchRequest,
};
use archivedesk::Archive;
use common::cli::{archivedesk, archivedesk_ok, stdout};
use common::scanned_volume::{save_jpeg, wage_page, write_catalogue, VOLUME};
use common::*;
use std::path::Path;

const TITLED: &str = "J012-WS-1998-Y-0047";

fn asked(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.to_string(),
        ..SearchRequest::default()
    }
}

fn status(data: &Path) -> PageReadingStatus {
    let out = archivedesk(data, &["ocr", "--status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn read_now(data: &Path) -> u64 {
    let out = archivedesk(data, &["ocr", "--wait", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    said["read_now"].as_u64().unwrap()
}

#[test]
fn names_on_pages_without_text_are_found_after_ocr_and_boxed_on_their_page() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("档案库");
    let first_page = [
        ("王秀英", id18("41010219560312002")),
        ("李建国", id18("41010219610705001")),
        ("刘德福", id18("41010219580921003")),
    ];
    // An old table prints 刘德福's ID in its first 15 digits.
    let printed_first: Vec<(&str, String)> = first_page
        .iter()
        .map(|(name, id)| match *name {
            "刘德福" => (*name, format!("{}{}", &id[..6], &id[8..17])),
            _ => (*name, id.clone()),
        })
        .collect();
    let second_page = [
        ("陈桂珍", id18("41010219630117004")),
        ("杨志强", id18("41010219550828005")),
    ];

    // The catalogue knows the volume, not the people in it; the second volume has its text.
    let catalogue = dir.path().join("案卷目录.csv");
    write_utf8_csv(
        &catalogue,
        &[
            "档号,题名,年度,页数",
            &format!("{VOLUME},城关镇供销社1998年职工工资调整审批表,1998,2"),
            &format!("{TITLED},县机械厂1998年职工工资调整审批表,1998,1"),
        ],
        true,
    );
    let scans = dir.path().join("扫描件");
    std::fs::create_dir_all(scans.join(VOLUME)).unwrap();
    std::fs::create_dir_all(scans.join(TITLED)).unwrap();
    save_jpeg(
        &wage_page(&printed_first, 1, 3),
        &scans.join(VOLUME).join("1.jpg"),
    );
    save_jpeg(
        &wage_page(&second_page, 2, 4),
        &scans.join(VOLUME).join("2.jpg"),
    );
    save_jpeg(&wage_page(&[], 1, 5), &scans.join(TITLED).join("1.jpg"));
    std::fs::write(
        scans.join(format!("{TITLED}.txt")),
        "县机械厂职工工资调整名单",
    )
    .unwrap();

    archivedesk_ok(
        &data,
        &[
            "import",
            catalogue.to_str().unwrap(),
            scans.to_str().unwrap(),
        ],
    );
    // The volume's two pages wait; the page of the volume with text does not.
    let before = status(&data);
    assert_eq!((before.read, before.waiting), (0, 2), "{before:?}");
    {
        let mut archive = Archive::open(&data).unwrap();
        let found = archive.search(&asked("王秀英")).unwrap();
        assert_eq!(found.total, 0, "nothing is read yet");
    }

    assert_eq!(read_now(&data), 2);
    let after = status(&data);
    assert_eq!(
        (after.read, after.failed, after.waiting),
        (2, 0, 0),
        "{after:?}"
    );
    assert!(after.seconds_left.is_some());

    let mut archive = Archive::open(&data).unwrap();
    for (page_no, names) in [(1, &first_page[..]), (2, &second_page[..])] {
        for (name, id) in names {
            let found = archive.search(&asked(name)).unwrap();
            let hit = found
                .hits
                .iter()
                .find(|h| h.tier == "scanned_page")
                .unwrap_or_else(|| panic!("{name} not found on its page: {found:?}"));
            assert_eq!(hit.ref_code, VOLUME);
            assert_eq!(hit.scanned_page, Some(page_no), "{name}");
            assert_eq!(hit.entry_id, None);
            assert!(hit.reason.contains("扫描页识别"), "{}", hit.reason);
            // The snippet is the name's row, without its ID number or wages.
            let row = hit
                .snippet
                .iter()
                .find(|s| s.text.contains(name))
                .unwrap_or_else(|| panic!("{name}: {:?}", hit.snippet));
            assert_eq!(row.field, "page_text");
            assert!(!row.text.contains(&id[6..14]), "{}", row.text);
            assert!(!row.text.contains(".00"), "no wages: {}", row.text);
        }
        // Searched by its ID number, the row shows the ID masked.
        let (name, id) = &names[0];
        let found = archive.search(&asked(id)).unwrap();
        let hit = found
            .hits
            .iter()
            .find(|h| h.tier == "scanned_page")
            .unwrap_or_else(|| panic!("{id} not found on its page: {found:?}"));
        assert_eq!(hit.scanned_page, Some(page_no));
        let row = &hit.snippet[0];
        assert!(
            row.text.contains(name) && row.text.contains(&id[..6]),
            "{}",
            row.text
        );
        assert!(!row.text.contains(&id[6..14]), "{}", row.text);
    }
    // The 18-digit number finds the page that printed it in 15 digits.
    let (_, id) = &first_page[2];
    let found = archive.search(&asked(id)).unwrap();
    let hit = found
        .hits
        .iter()
        .find(|h| h.tier == "scanned_page")
        .unwrap_or_else(|| panic!("{id} not found as printed in 15 digits: {found:?}"));
    assert_eq!(hit.scanned_page, Some(1));
    assert!(hit.snippet[0].text.contains("刘德福"), "{:?}", hit.snippet);
    assert!(
        !hit.snippet[0].text.contains(&id[8..14]),
        "{:?}",
        hit.snippet
    );

    // Below the catalogued row of the same name, imported later.
    let later = dir.path().join("名册.csv");
    write_utf8_csv(
        &later,
        &[
            "档号,题名,年度,姓名,性别",
            "J012-WS-2001-Y-0001,城关镇供销社2001年职工名册,2001,李建国,男",
        ],
        true,
    );
    import(&mut archive, &[&later]);
    let found = archive.search(&asked("李建国")).unwrap();
    let tiers: Vec<&str> = found.hits.iter().map(|h| h.tier.as_str()).collect();
    assert_eq!(tiers[..2], ["exact", "scanned_page"], "{tiers:?}");

    // The viewer's boxes: only within the clerk's view of the document, then on the name.
    let volume_id = found.hits[1].document_id;
    let words = PageWordsRequest {
        document_id: volume_id,
        page_no: 1,
        query: "李建国".into(),
    };
    assert!(archive.page_words(&words).is_err(), "not opened yet");
    let page_one = PageRowsRequest {
        document_id: volume_id,
        page_no: 1,
    };
    assert!(archive.page_rows(&page_one).is_err(), "not opened yet");
    archive
        .view_document(&DocumentRequest {
            document_id: Some(volume_id),
            ..DocumentRequest::default()
        })
        .unwrap();
    let boxes = archive.page_words(&words).unwrap();
    assert!(boxes.read);
    assert_eq!(boxes.boxes.len(), 1, "{boxes:?}");
    // The name's cell: the second of four equal columns, in the second row of the table.
    let quad = boxes.boxes[0];
    let (cx, cy) = (
        (quad[0] + quad[2] + quad[4] + quad[6]) / 4.0,
        (quad[1] + quad[3] + quad[5] + quad[7]) / 4.0,
    );
    let width = boxes.width.unwrap() as f32;
    let column = width / 4.0;
    assert!(cx > column && cx < 2.0 * column, "x {cx} of {width}");
    let wang = archive
        .page_words(&PageWordsRequest {
            query: "王秀英".into(),
            ..words.clone()
        })
        .unwrap();
    assert!(wang.boxes[0][1] < cy, "王秀英's row is above 李建国's");

    confirm_a_row_into_the_catalogue(&mut archive, volume_id, &first_page[1].1);
    drop(archive);

    // Read again: nothing, while the files are as they were.
    assert_eq!(read_now(&data), 0);
    // The second page scanned again with another name: that page alone is read again.
    save_jpeg(
        &wage_page(&[("黄长生", id18("41010219600404006"))], 2, 6),
        &scans.join(VOLUME).join("2.jpg"),
    );
    let out = archivedesk(&data, &["import", scans.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(status(&data).waiting, 1);
    assert_eq!(read_now(&data), 1);
    let mut archive = Archive::open(&data).unwrap();
    let found = archive.search(&asked("黄长生")).unwrap();
    assert_eq!(found.hits[0].scanned_page, Some(2));
    let gone = archive.search(&asked("陈桂珍")).unwrap();
    assert_eq!(gone.total, 0, "the page no longer says so: {gone:?}");
}

/// The clerk makes 李建国's row of page 1 a catalogue row: the page's rows come with the fields
/// their header names; a misread ID number is refused; the confirmed row is an entry of the
/// volume found by his ID above the page, joins his timeline, is corrected in place when
/// confirmed again, and each confirmation is in the trail without his ID number.
fn confirm_a_row_into_the_catalogue(archive: &mut Archive, volume_id: i64, id: &str) {
    let page = archive
        .page_rows(&PageRowsRequest {
            document_id: volume_id,
            page_no: 1,
        })
        .unwrap();
    assert!(page.read);
    assert_eq!(page.ref_code, VOLUME);
    assert_eq!(page.rows.iter().filter(|r| r.header).count(), 1, "{page:?}");
    let row = page
        .rows
        .iter()
        .find(|r| r.cells.iter().any(|c| c.text == "李建国"))
        .unwrap_or_else(|| panic!("李建国's row: {page:?}"));
    assert_eq!(row.entry_id, None);
    let under = |field: Field| {
        row.cells
            .iter()
            .find(|c| c.field == Some(field))
            .map(|c| c.text.clone())
            .unwrap_or_else(|| panic!("no cell under {field:?}: {row:?}"))
    };
    assert_eq!(under(Field::Name), "李建国");
    assert_eq!(under(Field::IdNumber), id);
    assert_eq!(under(Field::WageAfter), "429.00");

    let mut request = ConfirmPageRowRequest {
        document_id: volume_id,
        page_no: 1,
        row_no: row.row_no,
        values: PageRowValues {
            name: under(Field::Name),
            // One digit misread: the check digit tells.
            id_number: Some(
                format!(
                    "{}{}",
                    &id[..16],
                    if &id[16..17] == "9" { "8" } else { "9" }
                ) + &id[17..],
            ),
            wage_after: Some(under(Field::WageAfter)),
            ..PageRowValues::default()
        },
        confirmed_in: None,
        id_as_printed: false,
    };
    let refused = archive.confirm_page_row(&request).unwrap_err();
    assert!(refused.message.contains("身份证号"), "{}", refused.message);
    request.values.id_number = Some(under(Field::IdNumber));
    let imports_before = archive.status().unwrap().stats.import_batches;
    let confirmed = archive.confirm_page_row(&request).unwrap();
    assert_eq!(confirmed.outcome, "new");
    assert_eq!(
        archive.status().unwrap().stats.import_batches,
        imports_before,
        "a confirmed row is not a delivery"
    );

    // His ID finds the confirmed row first, as a catalogued record of the volume on page 1.
    let found = archive.search(&asked(id)).unwrap();
    let first = &found.hits[0];
    assert_eq!(first.entry_id, Some(confirmed.entry_id), "{found:?}");
    assert_eq!(first.ref_code, VOLUME);
    assert_eq!(first.page.as_deref(), Some("1"));
    assert!(
        found.hits.iter().any(|h| h.tier == "scanned_page"),
        "the page stays found, below: {found:?}"
    );
    let timeline = archive
        .person(&PersonRequest {
            id_number: Some(id.to_string()),
            ..PersonRequest::default()
        })
        .unwrap();
    assert_eq!(timeline.name, "李建国");
    assert!(
        timeline
            .events
            .iter()
            .any(|e| e.entry_id == confirmed.entry_id),
        "{timeline:?}"
    );
    let page = archive
        .page_rows(&PageRowsRequest {
            document_id: volume_id,
            page_no: 1,
        })
        .unwrap();
    let marked: Vec<_> = page.rows.iter().filter_map(|r| r.entry_id).collect();
    assert_eq!(marked, vec![confirmed.entry_id]);
    let seen = page
        .rows
        .iter()
        .find(|r| r.row_no == request.row_no)
        .unwrap()
        .confirmed_in;
    assert!(seen.is_some());

    // Confirmed again with the wage corrected: the same entry, changed — by a clerk who saw it
    // made (one who did not is told the row changed meanwhile).
    request.values.wage_after = Some("492.00".into());
    let stale = archive.confirm_page_row(&request).unwrap_err();
    assert!(stale.message.contains("另一柜台"), "{}", stale.message);
    request.confirmed_in = seen;
    let again = archive.confirm_page_row(&request).unwrap();
    assert_eq!(
        (again.entry_id, again.outcome.as_str()),
        (confirmed.entry_id, "updated")
    );
    // A desk that saw the row before this correction is refused, not silently overwriting it.
    request.values.wage_after = Some("429.00".into());
    let behind = archive.confirm_page_row(&request).unwrap_err();
    assert!(behind.message.contains("另一柜台"), "{}", behind.message);
    let found = archive.search(&asked(id)).unwrap();
    let entries: Vec<_> = found.hits.iter().filter_map(|h| h.entry_id).collect();
    assert_eq!(entries, vec![confirmed.entry_id], "one entry: {found:?}");

    let trail = archive
        .audit_rows(&AuditQuery {
            limit: Some(10),
            action: Some("confirm_page_row".into()),
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(trail.len(), 2, "{trail:?}");
    for row in &trail {
        assert_eq!(
            row.target.as_deref(),
            Some(format!("entry:{}", confirmed.entry_id).as_str())
        );
        assert!(!row.detail.contains(&id[6..14]), "{}", row.detail);
    }
    assert!(
        trail.iter().any(|r| r.detail.contains("调整后工资")),
        "{trail:?}"
    );
}

/// A volume whose scans came as PDF files, each page one image (as scanners write them): the
/// pages of a file are read one after another, a name on its second page (a black-and-white
/// CCITT G4 image) is found on that file, and a file in a form not read is kept as unreadable.
#[test]
fn the_page_images_of_a_scanned_pdf_are_read() {
    use archivedesk::demo::{scanned_pdf, PdfScan};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("档案库");
    let catalogue = write_catalogue(dir.path(), 2);
    let scans = dir.path().join("扫描件");
    std::fs::create_dir_all(scans.join(VOLUME)).unwrap();
    let first = wage_page(&[("王秀英", id18("41010219560312002"))], 1, 3);
    let second = wage_page(&[("黄长生", id18("41010219600404006"))], 2, 4);
    let black_and_white = image::DynamicImage::ImageRgb8(second).to_luma8();
    std::fs::write(
        scans.join(VOLUME).join("1.pdf"),
        scanned_pdf(&[PdfScan::Jpeg(first, 75), PdfScan::Group4(black_and_white)]),
    )
    .unwrap();
    std::fs::write(
        scans.join(VOLUME).join("2.pdf"),
        scanned_pdf(&[PdfScan::Jbig2(1240, 1754)]),
    )
    .unwrap();
    archivedesk_ok(
        &data,
        &[
            "import",
            catalogue.to_str().unwrap(),
            scans.to_str().unwrap(),
        ],
    );
    assert_eq!(status(&data).waiting, 2);
    read_now(&data);
    let after = status(&data);
    assert_eq!(
        (after.read, after.failed, after.waiting),
        (1, 1, 0),
        "{after:?}"
    );

    let mut archive = Archive::open(&data).unwrap();
    for name in ["王秀英", "黄长生"] {
        let found = archive.search(&asked(name)).unwrap();
        let hit = found
            .hits
            .iter()
            .find(|h| h.tier == "scanned_page")
            .unwrap_or_else(|| panic!("{name} not found in the PDF: {found:?}"));
        assert_eq!(hit.scanned_page, Some(1), "{name}");
    }
}
