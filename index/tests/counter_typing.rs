//! Queries as clerks type them at the counter, over a real archive's index files: a sentence
//! pasted with its punctuation, an ID typed in digit groups, a 文号 with a two-digit year or
//! without brackets, a 档号 without its leading zeros, and an ID that brings the rows of its
//! person that carry no ID — below the rows that carry it, masked in a request until a clerk
//! confirms them.

mod common;

use archivedesk::api::{
    DocumentRequest, PersonDecisionRequest, PersonRequest, SearchRequest, SearchResponse,
};
use archivedesk::Archive;
use common::*;
use std::path::Path;

const WAGES: &str = "J012-WS·1998-Y-0034";
const ROSTER: &str = "J012-ZG·1975-Y-0046";
const APPROVAL: &str = "J012-WS·1979-Y-0083";
const OTHER_APPROVAL: &str = "J012-WS·1979-Y-0084";
const APPROVAL_TEXT: &str = "河源县革命委员会文件\n河政发〔1979〕83号\n经研究，同意自1979年10月1日起，第1批调整工资人员名单如下。";
const OTHER_TEXT: &str = "河政发〔1979〕84号\n第1批人员自10月起调整，1日前报送。";

fn liu() -> String {
    id18("62090219420321246")
}
fn wang() -> String {
    id18("62090219600101002")
}

fn archive(dir: &Path) -> Archive {
    let wages = dir.join("工资调整表.csv");
    write_utf8_csv(
        &wages,
        &[
            "档号,题名,类别,文号,成文日期,开放标识,姓名,性别,出生年月,身份证号码,工作单位",
            &format!("{WAGES},城关镇1998年工资调整表,工资调整,甘劳人薪〔1998〕45号,1998年7月,开放,刘建国,男,1942.03,{},红星机械厂", liu()),
            &format!("{WAGES},城关镇1998年工资调整表,工资调整,甘劳人薪〔1998〕45号,1998年7月,开放,王磊,男,1960.01,{},红星机械厂", wang()),
        ],
        true,
    );
    // A recruitment roster of 1975: names and birth months, no ID numbers.
    let roster = dir.join("招工花名册.csv");
    write_utf8_csv(
        &roster,
        &[
            "档号,题名,类别,成文日期,开放标识,姓名,性别,出生年月,工作单位",
            &format!("{ROSTER},1975年招工录用花名册,招工录用,1975年4月,开放,刘建国,男,1942年3月,红星机械厂"),
            // The same name, born in another month: another man.
            &format!("{ROSTER},1975年招工录用花名册,招工录用,1975年4月,开放,刘建国,男,1951年7月,红星机械厂"),
            &format!("{ROSTER},1975年招工录用花名册,招工录用,1975年4月,开放,赵敏,女,1956年5月,东风纺织厂"),
        ],
        true,
    );
    let approvals = dir.join("文件目录.csv");
    write_utf8_csv(
        &approvals,
        &[
            "档号,题名,类别,文号,成文日期,开放标识,全文",
            &format!("{APPROVAL},关于调整部分职工工资的通知,工资调整,河政发〔1979〕83号,1979年9月20日,开放,\"{APPROVAL_TEXT}\""),
            &format!("{OTHER_APPROVAL},关于报送调资名单的通知,工资调整,河政发〔1979〕84号,1979年9月21日,开放,\"{OTHER_TEXT}\""),
        ],
        true,
    );
    let mut archive = Archive::open(&dir.join("data")).unwrap();
    let report = import(&mut archive, &[&wages, &roster, &approvals]);
    for file in &report.files {
        assert_eq!(file.rows_rejected, 0, "{file:?}");
    }
    archive
}

fn search(archive: &mut Archive, query: &str) -> SearchResponse {
    archive
        .search(&SearchRequest {
            query: query.to_string(),
            limit: Some(50),
            ..SearchRequest::default()
        })
        .unwrap_or_else(|e| panic!("「{query}」: {e}"))
}

/// The hits as "档号 name tier", for messages and comparisons.
fn seen(r: &SearchResponse) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| {
            format!(
                "{} {} {}",
                h.ref_code,
                h.name.as_deref().unwrap_or("-"),
                h.tier
            )
        })
        .collect()
}

fn first_ref(archive: &mut Archive, query: &str) -> String {
    let r = search(archive, query);
    r.hits
        .first()
        .map(|h| h.ref_code.clone())
        .unwrap_or_else(|| panic!("「{query}」 finds nothing"))
}

#[test]
fn punctuation_never_turns_a_match_into_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    assert_eq!(first_ref(&mut archive, "10月1日起"), APPROVAL);
    // Both documents hold every part; only one holds the sentence whole: it comes first.
    for pasted in [
        "10月1日起，第1批",
        "同意自1979年10月1日起，第1批调整工资人员名单如下。",
        "“同意自1979年10月1日起，第1批”",
        "同意自1979年10月1日起\n第1批调整工资",
        "10月1日起；  第1批",
    ] {
        let r = search(&mut archive, pasted);
        assert_eq!(
            r.hits.first().map(|h| h.ref_code.as_str()),
            Some(APPROVAL),
            "「{pasted}」: {:?}",
            seen(&r)
        );
    }
    // Punctuation alone, or around a name, takes nothing away.
    assert_eq!(
        search(&mut archive, "，。、").total,
        search(&mut archive, "").total,
        "punctuation alone reads as an empty box"
    );
    let r = search(&mut archive, "《王磊》，");
    assert_eq!(r.hits.first().and_then(|h| h.name.as_deref()), Some("王磊"));
}

#[test]
fn an_id_typed_in_any_grouping_is_found_and_groups_that_make_no_id_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    let id = liu();
    let groupings = [
        format!("{} {} {}", &id[..6], &id[6..14], &id[14..]),
        format!(
            "{} {} {} {} {}",
            &id[..3],
            &id[3..6],
            &id[6..10],
            &id[10..14],
            &id[14..]
        ),
        format!("{}\u{3000}{}\u{3000}{}", &id[..6], &id[6..14], &id[14..]),
        format!("{}.{}.{}", &id[..6], &id[6..14], &id[14..]),
        format!("{}-{}-{}", &id[..6], &id[6..14], &id[14..]),
        // Full-width digits, as an input method in full-width mode types them.
        id.chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
    ];
    for typed in &groupings {
        let r = search(&mut archive, typed);
        let first = r
            .hits
            .first()
            .unwrap_or_else(|| panic!("「{typed}」 finds nothing"));
        assert_eq!(
            first.name.as_deref(),
            Some("刘建国"),
            "「{typed}」: {:?}",
            seen(&r)
        );
        assert_eq!(first.tier, "exact", "「{typed}」");
    }
    // One digit off, the groups make no valid ID: no invented ID is searched for, and the
    // groups are read as they are (nothing holds them).
    let wrong = format!("{} {} {}", &id[..6], &id[6..14], "9999");
    let r = search(&mut archive, &wrong);
    assert!(
        r.understood.iter().all(|u| !u.contains("身份证号")),
        "{:?}",
        r.understood
    );
    assert!(r.hits.is_empty(), "{:?}", seen(&r));
    // A year and a 档号 part typed together stay a year and a 档号 part.
    let r = search(&mut archive, "1998 0034");
    assert!(r.understood.iter().all(|u| !u.contains("身份证号")));
}

#[test]
fn a_doc_number_with_a_two_digit_year_or_without_brackets_finds_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    for typed in [
        "河政发〔79〕83号",
        "河政发[79]83号",
        "河政发1979 83号",
        "河政发79-83",
        "河政发1979年第83号",
        "河政发〔1979〕83号",
    ] {
        let r = search(&mut archive, typed);
        assert_eq!(
            r.hits
                .first()
                .map(|h| (h.ref_code.as_str(), h.tier.as_str())),
            Some((APPROVAL, "exact")),
            "「{typed}」: {:?}",
            seen(&r)
        );
    }
    // And back: a stored two-digit year is found by the four-digit one.
    assert_eq!(first_ref(&mut archive, "甘劳人薪〔98〕45号"), WAGES);
}

#[test]
fn a_ref_code_without_leading_zeros_finds_its_document_and_an_exact_one_ranks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    for typed in [
        "J012-ZG-1975-Y-46",
        "J12-ZG-1975-Y-46",
        "J012-ZG·1975-Y-0046",
        "J012 ZG 1975 Y 46",
    ] {
        let r = search(&mut archive, typed);
        assert_eq!(
            r.hits.first().map(|h| h.ref_code.as_str()),
            Some(ROSTER),
            "「{typed}」: {:?}",
            seen(&r)
        );
    }
    // -83 could be -0083 only: the other item (0084) is not offered.
    let r = search(&mut archive, "J012-WS-1979-Y-83");
    assert_eq!(r.hits.first().map(|h| h.ref_code.as_str()), Some(APPROVAL));
    assert!(
        r.hits.iter().all(|h| h.ref_code != OTHER_APPROVAL),
        "{:?}",
        seen(&r)
    );
}

#[test]
fn an_id_brings_its_persons_rows_without_an_id_below_the_rows_that_carry_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    let r = search(&mut archive, &liu());
    let hits = seen(&r);
    assert_eq!(r.hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0], format!("{WAGES} 刘建国 exact"));
    assert_eq!(hits[1], format!("{ROSTER} 刘建国 same_person"));
    assert!(
        r.hits[1].reason.contains("同名同出生年月，参考"),
        "{}",
        r.hits[1].reason
    );
    // Only the namesake born in his month: the other 刘建国 of the roster is not brought.
    let roster = archive.show(ROSTER).unwrap();
    let joined = roster
        .entries
        .iter()
        .find(|e| e.name == "刘建国" && e.birth.as_deref() == Some("1942年3月"))
        .unwrap()
        .id;
    assert_eq!(r.hits[1].entry_id, Some(joined));
    // With a year: the joined row of that year alone.
    let r = search(&mut archive, &format!("{} 1975", liu()));
    assert_eq!(seen(&r), vec![format!("{ROSTER} 刘建国 same_person")]);
    // Another person's ID brings nothing of his.
    let r = search(&mut archive, &wang());
    assert_eq!(seen(&r), vec![format!("{WAGES} 王磊 exact")]);
}

#[test]
fn a_joined_row_stays_masked_in_the_request_until_the_clerk_confirms_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    let mut new = counter::liu_request();
    new.requester_id = liu();
    let request = archive.register_request(&new).unwrap();
    let in_request = DocumentRequest {
        reference: Some(ROSTER.into()),
        request_id: Some(request.id),
        ..DocumentRequest::default()
    };
    let view = archive.view_document(&in_request).unwrap();
    let row = |view: &archivedesk::api::DocumentView, birth: &str| {
        view.entries
            .iter()
            .find(|e| {
                e.name == "刘建国" && e.birth_key.as_deref().is_some_and(|b| b.starts_with(birth))
            })
            .cloned()
            .unwrap()
    };
    let his = row(&view, "1942-03");
    assert!(his.masked, "a guess stays masked");
    assert_eq!(his.requester_join.as_deref(), Some("same_person"));
    let namesake = row(&view, "1951-07");
    assert!(namesake.masked && namesake.requester_join.is_none());

    // The clerk confirms it from the request, as the record screen does (it has the
    // requester's ID masked only).
    archive
        .decide_in_view(&PersonDecisionRequest {
            person: PersonRequest {
                request_id: Some(request.id),
                ..PersonRequest::default()
            },
            entry_id: his.id,
            action: "confirm".into(),
        })
        .unwrap();
    let view = archive.view_document(&in_request).unwrap();
    let his = row(&view, "1942-03");
    assert!(!his.masked, "confirmed: shown as the requester's own row");
    assert_eq!(his.requester_join.as_deref(), Some("confirmed"));
    assert!(row(&view, "1951-07").masked, "the namesake stays masked");
    assert!(counter::audit_actions(&mut archive).contains(&"decide_person".to_string()));
    // The search says the row is confirmed now.
    let r = search(&mut archive, &liu());
    assert!(r.hits[1].reason.contains("已确认"), "{}", r.hits[1].reason);
}

/// A page holding only the requester's row written without an ID: until the clerk confirms the
/// row is theirs it counts as someone else's (the page needs covering before a certificate);
/// once confirmed, the page is the requester's own.
#[test]
fn a_page_of_a_joined_row_needs_covering_until_the_clerk_confirms_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    // His retirement approval, catalogued with his name and birth month only, and its scan.
    let approval = "J012-WS·2002-Y-0015";
    let csv = dir.path().join("退休审批.csv");
    write_utf8_csv(
        &csv,
        &[
            "档号,题名,类别,成文日期,开放标识,姓名,性别,出生年月,工作单位",
            &format!("{approval},关于同意刘建国同志退休的批复,退休审批,2002年3月,开放,刘建国,男,1942年3月,红星机械厂"),
        ],
        true,
    );
    let scans = dir.path().join("扫描件");
    let pages = scans.join("J012-WS-2002-Y-0015");
    std::fs::create_dir_all(&pages).unwrap();
    image::RgbImage::from_pixel(400, 560, image::Rgb([250, 250, 245]))
        .save(pages.join("1.png"))
        .unwrap();
    import(&mut archive, &[&csv, &scans]);

    let mut new = counter::liu_request();
    new.requester_id = liu();
    let request = archive.register_request(&new).unwrap();
    let view = archive
        .view_document(&DocumentRequest {
            reference: Some(approval.into()),
            request_id: Some(request.id),
            ..DocumentRequest::default()
        })
        .unwrap();
    let his = view.entries.iter().find(|e| e.name == "刘建国").unwrap().id;
    let attached = archive
        .attach_record(&archivedesk::api::AttachRequest {
            request_id: request.id,
            entry_id: Some(his),
            pages: vec![1],
            ..archivedesk::api::AttachRequest::default()
        })
        .unwrap();
    assert_eq!(attached.records[0].pages_with_others, vec![1], "a guess");
    assert_eq!(attached.uncovered.len(), 1);

    archive
        .decide_in_view(&PersonDecisionRequest {
            person: PersonRequest {
                request_id: Some(request.id),
                ..PersonRequest::default()
            },
            entry_id: his,
            action: "confirm".into(),
        })
        .unwrap();
    let confirmed = archive.lookup_request(request.id).unwrap();
    assert!(
        confirmed.records[0].pages_with_others.is_empty(),
        "his own page: {:?}",
        confirmed.records[0].pages_with_others
    );
    assert!(confirmed.uncovered.is_empty());
}

/// 拼音相同 says the reading matched; 可能是同音字 only when the characters typed are not the
/// name's — pinyin typed for the right name is no homophone.
#[test]
fn a_pinyin_hit_says_homophone_only_when_the_characters_differ() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive(dir.path());
    let pinyin_hits = |r: &SearchResponse| -> Vec<(String, String)> {
        r.hits
            .iter()
            .filter(|h| h.tier == "pinyin")
            .map(|h| (h.name.clone().unwrap_or_default(), h.reason.clone()))
            .collect()
    };
    let typed_pinyin = pinyin_hits(&search(&mut archive, "liujianguo"));
    assert!(!typed_pinyin.is_empty());
    for (name, reason) in &typed_pinyin {
        assert_eq!(name, "刘建国");
        assert_eq!(reason, "姓名拼音相同");
    }
    let other_characters = pinyin_hits(&search(&mut archive, "刘剑国"));
    assert!(!other_characters.is_empty());
    for (name, reason) in &other_characters {
        assert_eq!(name, "刘建国");
        assert_eq!(reason, "姓名读音相同（可能是同音字）");
    }
}
