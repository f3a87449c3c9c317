//! The search index beside the store: records are searchable the moment an import returns, and
//! a change the index has not covered is caught up on open and before each search. An index that
//! cannot be trusted is rebuilt (`index_rebuilt.rs`).

mod common;

use archivedesk::api::{SearchRequest, SearchResponse};
use archivedesk::Archive;
use common::wage_index::*;
use common::*;

#[test]
fn records_are_searchable_the_moment_the_import_returns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = dir.path().join("工资调整表.csv");
    write_wage_table(&csv);

    let mut archive = Archive::open(&data).unwrap();
    let report = import(&mut archive, &[&csv]);
    assert_eq!(report.files[0].rows_accepted, 3);

    // The index on disk already covers the import: with its writer held elsewhere (so that
    // nothing could catch up now), both this Archive and a second one opened on the same
    // folder find every record.
    let index = tantivy::Index::open_in_dir(live_folder(&data)).unwrap();
    let writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    assert_wage_table_searchable(&mut archive);
    let mut second = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut second);
    drop(writer);
}

/// One import of several files commits the index once at its end (not per file), and a file
/// refused among them throws away what the index was fed since its last commit — the files
/// before it included, which are then taken again from the store's change log.
#[test]
fn a_refused_file_among_several_loses_nothing_of_the_others_from_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // Large enough that the index is fed while the file is read (every 10,000 rows), so that
    // the refusal after it has fed documents to throw away.
    let before = dir.path().join("工资调整表.csv");
    write_wage_table(&before);
    let mut filler = std::fs::read_to_string(&before).unwrap();
    for n in 0..10_100 {
        filler.push_str(&format!(
            "J012-WS·2000-Y-{:04},城关镇2000年工资调整表,,2000年5月,工资调整,职工{n},男,1960.01,,红星机械厂\n",
            n % 50
        ));
    }
    std::fs::write(&before, filler).unwrap();
    let broken = dir.path().join("截断.xlsx");
    let whole = std::fs::read(sample("vendor_wage_table_title_row_merged.xlsx")).unwrap();
    std::fs::write(&broken, &whole[..whole.len() * 2 / 3]).unwrap();
    let after = dir.path().join("退休审批.csv");
    write_utf8_csv(
        &after,
        &[
            "档号,题名,成文日期,姓名,性别,出生年月",
            "J012-WS·2001-Y-0003,关于慕容秋实同志退休的批复,2001年3月,慕容秋实,男,1941.02",
        ],
        true,
    );

    let mut archive = Archive::open(&data).unwrap();
    let report = import(&mut archive, &[&before, &broken, &after]);
    let outcomes: Vec<_> = report.files.iter().map(|f| f.outcome).collect();
    use archivedesk::api::FileOutcome::{Imported, Refused};
    assert_eq!(outcomes, vec![Imported, Refused, Imported]);

    // With the index's writer held elsewhere nothing can catch up now: what is found was
    // committed by the import itself.
    let index = tantivy::Index::open_in_dir(live_folder(&data)).unwrap();
    let writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let mut second = Archive::open(&data).unwrap();
    for archive in [&mut archive, &mut second] {
        assert_wage_table_searchable(archive);
        assert_found(archive, "慕容秋实", "慕容秋实");
        assert_not_found(archive, "截断");
    }
    drop(writer);
}

#[test]
fn a_changed_row_is_found_by_its_new_value_only_and_superseded_rows_drop_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = dir.path().join("职工花名册.csv");
    let header = "档号,题名,姓名,性别,出生年月,工作单位";
    write_utf8_csv(
        &csv,
        &[
            header,
            "J031-WS-1990-Y-0001,县化肥厂1990年职工花名册,王大明,男,1950.02,县化肥厂",
            "J031-WS-1990-Y-0001,县化肥厂1990年职工花名册,李小红,女,1955.06,县化肥厂",
            "J031-WS-1990-Y-0002,县水泥厂1990年职工花名册,赵铁柱,男,1948.11,县水泥厂",
        ],
        false,
    );
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv]);
    assert_found(&mut archive, "赵铁柱", "赵铁柱");
    assert_found(&mut archive, "李小红", "李小红");

    // The vendor corrects a name: the corrected file comes again under the same name.
    write_utf8_csv(
        &csv,
        &[
            header,
            "J031-WS-1990-Y-0001,县化肥厂1990年职工花名册,王大明,男,1950.02,县化肥厂",
            "J031-WS-1990-Y-0001,县化肥厂1990年职工花名册,李小红,女,1955.06,县化肥厂",
            "J031-WS-1990-Y-0002,县水泥厂1990年职工花名册,孙茂林,男,1948.11,县水泥厂",
        ],
        false,
    );
    let report = import(&mut archive, &[&csv]);
    assert!(report.files[0].replaces_batch.is_some(), "a re-delivery");
    assert_not_found(&mut archive, "赵铁柱");
    assert_found(&mut archive, "孙茂林", "孙茂林");
    let r = search(&mut archive, "孙茂林");
    assert_eq!(entry_hits(&r, "孙茂林").len(), 1, "one entry, not two");
    // The same holds for another Archive opened afterwards.
    let mut other = Archive::open(&data).unwrap();
    assert_not_found(&mut other, "赵铁柱");
    assert_found(&mut other, "孙茂林", "孙茂林");
    drop(other);

    // The next delivery no longer lists 李小红 nor the whole second document.
    write_utf8_csv(
        &csv,
        &[
            header,
            "J031-WS-1990-Y-0001,县化肥厂1990年职工花名册,王大明,男,1950.02,县化肥厂",
        ],
        false,
    );
    let report = import(&mut archive, &[&csv]);
    assert_eq!(report.files[0].entries_superseded, 2);
    assert_not_found(&mut archive, "李小红");
    assert_not_found(&mut archive, "孙茂林");
    assert_not_found(&mut archive, "J031-WS-1990-Y-0002");
    assert_not_found(&mut archive, "县水泥厂");
    assert_found(&mut archive, "王大明", "王大明");
    let r = search(&mut archive, "J031-WS-1990-Y-0001");
    assert!(
        r.total > 0,
        "the document still delivered is found by its 档号"
    );
    drop(archive);

    let mut reopened = Archive::open(&data).unwrap();
    assert_not_found(&mut reopened, "李小红");
    assert_found(&mut reopened, "王大明", "王大明");
}

#[test]
fn another_archive_opened_later_uses_the_index_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = dir.path().join("工资调整表.csv");
    write_wage_table(&csv);
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv]);
    drop(archive);
    let folder = live_folder(&data);

    let mut later = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut later);
    assert_eq!(
        live_folder(&data),
        folder,
        "an index that covers the store is opened, not rebuilt"
    );
}

#[test]
fn changes_committed_to_the_store_behind_the_index_are_caught_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = dir.path().join("工资调整表.csv");
    write_wage_table(&csv);
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv]);
    drop(archive);
    let folder = live_folder(&data);

    // Another program writes the store; its triggers log the changes, the index knows nothing.
    let conn = open_db(&data);
    let changed = conn
        .execute(
            "UPDATE documents SET title = '县粮食局职工调资花名册' WHERE ref_code = 'J012-WS·1999-Y-0007'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let changed = conn
        .execute(
            "UPDATE entries SET name = '慕容秋水', name_norm = '慕容秋水' WHERE name = '诸葛青云'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);

    let mut archive = Archive::open(&data).unwrap();
    let r = search(&mut archive, "粮食局职工调资");
    assert!(
        r.hits.iter().any(|h| h.ref_code == "J012-WS·1999-Y-0007"),
        "the new title is found: {:?}",
        r.hits.iter().map(|h| &h.title).collect::<Vec<_>>()
    );
    assert!(
        search(&mut archive, "城关镇1999年工资调整表")
            .hits
            .iter()
            .all(|h| h.ref_code != "J012-WS·1999-Y-0007"),
        "the old title is not"
    );
    assert_found(&mut archive, "慕容秋水", "慕容秋水");
    assert_not_found(&mut archive, "诸葛青云");
    assert_eq!(live_folder(&data), folder, "caught up, not rebuilt");

    // The same while an Archive is open and has searched: the next search catches up.
    let conn = open_db(&data);
    conn.execute(
        "UPDATE entries SET name = '端木春华', name_norm = '端木春华' WHERE name = '上官飞燕'",
        [],
    )
    .unwrap();
    drop(conn);
    assert_found(&mut archive, "端木春华", "端木春华");
    assert_not_found(&mut archive, "上官飞燕");
}

#[test]
fn records_not_open_are_found_without_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = dir.path().join("招工录用.csv");
    write_utf8_csv(
        &csv,
        &[
            "档号,题名,姓名,工作单位,开放标识",
            "J060-ZG-1978-Y-0001,红旗农机厂招工审批表,宇文开放,红旗农机厂,开放",
            "J060-ZG-1978-Y-0002,红旗农机厂招工审批表,宇文控制,红旗农机厂,控制使用",
            "J060-ZG-1978-Y-0003,红旗农机厂招工审批表,宇文封闭,红旗农机厂,不开放",
        ],
        false,
    );
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv]);

    let r = search(&mut archive, "宇文开放");
    let open = entry_hits(&r, "宇文开放");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].access, "open");
    assert!(
        !open[0].snippet.is_empty(),
        "an open record shows where it matched"
    );

    for (name, access) in [("宇文控制", "controlled"), ("宇文封闭", "closed")] {
        let r = search(&mut archive, name);
        let hits = entry_hits(&r, name);
        assert_eq!(hits.len(), 1, "{name} is found");
        assert_eq!(hits[0].access, access);
        assert!(
            hits[0].snippet.is_empty(),
            "{name}: nothing of a record that is not open is quoted: {:?}",
            hits[0].snippet
        );
    }

    // A search over all three: only the open record carries a snippet.
    let r = search(&mut archive, "红旗农机厂");
    assert!(r.total >= 3);
    for h in &r.hits {
        if h.access == "open" {
            continue;
        }
        assert!(h.snippet.is_empty(), "{:?}: {:?}", h.name, h.snippet);
    }
    assert!(r
        .hits
        .iter()
        .any(|h| h.access == "open" && !h.snippet.is_empty()));
}

/// The import feeds the index every 10,000 rows while its transaction is open. A document whose
/// rows straddle a feed must have all of them indexed, including those written after the feed.
#[test]
fn every_row_of_a_document_written_across_a_feed_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv = dir.path().join("大表.csv");
    let mut lines = vec!["档号,题名,类别,姓名,出生年月,身份证号码".to_string()];
    for row in 0..10_600usize {
        // Seven rows a document: rows 9996–10002 share one, across the first feed.
        let doc = row / 7;
        let id = id18(&format!(
            "6201021960{:02}01{:03}",
            1 + row / 1000,
            row % 1000
        ));
        lines.push(format!(
            "J001-WS·1998-Y-{doc:04},工资调整表,工资调整,职工{row},1960.01,{id}"
        ));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_utf8_csv(&csv, &lines, false);

    let mut archive = Archive::open(&data).unwrap();
    let report = import(&mut archive, &[&csv]);
    assert_eq!(report.files[0].rows_accepted, 10_600);
    let status = archive.status().unwrap();
    assert_eq!(status.stats.entries, 10_600);
    assert_eq!(
        status.indexed,
        status.stats.documents + status.stats.entries,
        "every document and every entry is in the index after the import"
    );
    // The row just after the first feed, by its ID number.
    let response = search(&mut archive, &id18("62010219601101001"));
    assert_eq!(names(&response).first().copied(), Some("职工10001"));
    // A rebuild from the store alone agrees with what the import fed.
    assert_eq!(archive.reindex().unwrap(), status.indexed);
}

fn search_in_years(archive: &mut Archive, query: &str, year: i32) -> SearchResponse {
    let request = SearchRequest {
        year_from: Some(year),
        year_to: Some(year),
        ..request(query)
    };
    archive.search(&request).unwrap()
}

/// A volume catalogue delivered after the rows changes the documents alone: a new title is a
/// change of the document's own fields, a new year one its rows carry too. The index redoes only
/// what changed, and what it keeps must still be right.
#[test]
fn a_volume_catalogue_after_the_rows_changes_what_it_should_in_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let rows = dir.path().join("工资调整表.csv");
    write_wage_table(&rows);
    let volumes = dir.path().join("案卷目录.csv");
    write_utf8_csv(
        &volumes,
        &[
            "档号,题名,年度",
            "J012-WS·1998-Y-0034,城关镇职工调资审批汇总,1998",
            "J012-WS·1999-Y-0007,城关镇1999年工资调整表,2000",
        ],
        true,
    );

    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&rows]);
    import(&mut archive, &[&volumes]);
    let status = archive.status().unwrap();
    assert_eq!(status.stats.entries, 3, "the volume catalogue adds no rows");
    assert_eq!(
        status.indexed,
        status.stats.documents + status.stats.entries
    );

    // The new title finds the volume; the old one finds nothing any more.
    let r = search(&mut archive, "调资审批汇总");
    assert!(
        r.hits.iter().any(|h| h.ref_code == "J012-WS·1998-Y-0034"),
        "{:?}",
        r.hits.iter().map(|h| &h.ref_code).collect::<Vec<_>>()
    );
    assert_not_found(&mut archive, "城关镇1998年工资调整表");
    // The rows of the untouched title are still found by name.
    assert_found(&mut archive, "诸葛青云", "诸葛青云");

    // The year moved: the row is found under 2000 and no longer under 1999.
    assert!(!entry_hits(&search_in_years(&mut archive, "上官飞燕", 2000), "上官飞燕").is_empty());
    assert!(entry_hits(&search_in_years(&mut archive, "上官飞燕", 1999), "上官飞燕").is_empty());

    // A rebuild from the store alone agrees.
    assert_eq!(archive.reindex().unwrap(), status.indexed);
}

/// A phrase after a minus leaves out the records that hold it and no others; before, tantivy's
/// phrase scorer was asked about a record before its first match and the search failed.
#[test]
fn a_minus_before_a_phrase_leaves_out_its_records_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("工资调整表.csv");
    write_wage_table(&csv);
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&csv]);
    let mut found = |query: &str| -> Vec<String> {
        names(&search(&mut archive, query))
            .into_iter()
            .map(String::from)
            .collect()
    };
    assert_eq!(found("红星机械厂").len(), 2);
    // Characters joined by a hyphen are a phrase: only 诸葛青云's row holds 诸葛-青云.
    assert_eq!(found("红星机械厂 -诸葛-青云"), vec!["欧阳明月"]);
    assert_eq!(found("红星机械厂 -欧阳-明月"), vec!["诸葛青云"]);
    // A phrase no row holds leaves everything in.
    assert_eq!(found("红星机械厂 -王-王磊").len(), 2);
    // A unit after a minus leaves out its rows, though units are not text on each row.
    let mut all = found("厂");
    all.sort();
    assert_eq!(all, vec!["上官飞燕", "欧阳明月", "诸葛青云"]);
    assert_eq!(found("厂 -红星机械厂"), vec!["上官飞燕"]);
    assert_eq!(found("厂 -东风纺织厂").len(), 2);
}
