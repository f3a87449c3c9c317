//! The search index beside the store: records are searchable the moment an import returns, a
//! change the index has not covered is caught up on open and before each search, and a missing,
//! broken, foreign or outdated index is rebuilt from the store (a broken one kept aside).

mod common;

use archivedesk::api::{SearchHit, SearchRequest, SearchResponse};
use archivedesk::Archive;
use common::*;
use std::path::{Path, PathBuf};

/// The 18-digit form of an old 15-digit number: "19" inserted before the birth year.
fn id15_to_18(id15: &str) -> String {
    id18(&format!("{}19{}", &id15[..6], &id15[6..]))
}

/// The 15-digit form of an 18-digit number: the century and the check digit dropped.
fn id18_to_15(id18: &str) -> String {
    format!("{}{}", &id18[..6], &id18[8..17])
}

const ID15_ZHUGE: &str = "430726560315001";
fn id18_ouyang() -> String {
    id18("11010519620815002")
}

/// A wage table: two documents with 文号 in 〔〕 and a 档号 with a middle dot, one old
/// 15-digit and one 18-digit ID number.
fn write_wage_table(path: &Path) {
    let ouyang = id18_ouyang();
    write_utf8_csv(
        path,
        &[
            "档号,题名,文号,成文日期,类别,姓名,性别,出生年月,身份证号码,工作单位",
            &format!("J012-WS·1998-Y-0034,城关镇1998年工资调整表,甘劳人薪〔1998〕45号,1998年7月,工资调整,诸葛青云,男,1956.03,{ID15_ZHUGE},红星机械厂"),
            &format!("J012-WS·1998-Y-0034,城关镇1998年工资调整表,甘劳人薪〔1998〕45号,1998年7月,工资调整,欧阳明月,女,1962.08,{ouyang},红星机械厂"),
            "J012-WS·1999-Y-0007,城关镇1999年工资调整表,甘劳人薪〔1999〕12号,1999年5月,工资调整,上官飞燕,女,1970.01,,东风纺织厂",
        ],
        true,
    );
}

fn request(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.to_string(),
        limit: Some(100),
        ..SearchRequest::default()
    }
}

fn search(archive: &mut Archive, query: &str) -> SearchResponse {
    archive
        .search(&request(query))
        .unwrap_or_else(|e| panic!("search 「{query}」 failed: {e}"))
}

fn names(response: &SearchResponse) -> Vec<&str> {
    response
        .hits
        .iter()
        .filter_map(|h| h.name.as_deref())
        .collect()
}

/// Entry hits whose name is exactly `name`.
fn entry_hits<'a>(response: &'a SearchResponse, name: &str) -> Vec<&'a SearchHit> {
    response
        .hits
        .iter()
        .filter(|h| h.name.as_deref() == Some(name))
        .collect()
}

fn assert_found(archive: &mut Archive, query: &str, name: &str) {
    let r = search(archive, query);
    assert!(
        !entry_hits(&r, name).is_empty(),
        "「{query}」 finds {name}: {:?}",
        names(&r)
    );
}

fn assert_not_found(archive: &mut Archive, query: &str) {
    let r = search(archive, query);
    assert_eq!(
        r.total,
        0,
        "「{query}」 finds nothing: {:?}",
        r.hits
            .iter()
            .map(|h| (&h.ref_code, &h.name, &h.title))
            .collect::<Vec<_>>()
    );
}

/// The 档号 searches and 文号 searches of the wage table, each typed another way than stored.
fn assert_wage_table_searchable(archive: &mut Archive) {
    assert_found(archive, "诸葛青云", "诸葛青云");
    assert_found(archive, "上官飞燕", "上官飞燕");

    // Stored as 15 digits, typed as 18; stored as 18, typed as 15.
    let zhuge18 = id15_to_18(ID15_ZHUGE);
    let r = search(archive, &zhuge18);
    assert_eq!(names(&r), vec!["诸葛青云"], "by {zhuge18}");
    assert_eq!(r.hits[0].tier, "exact");
    assert!(r.hits[0].matched.contains(&"id_number".to_string()));
    let ouyang15 = id18_to_15(&id18_ouyang());
    let r = search(archive, &ouyang15);
    assert_eq!(names(&r), vec!["欧阳明月"], "by {ouyang15}");
    // And each by the form it was stored in.
    assert_eq!(names(&search(archive, ID15_ZHUGE)), vec!["诸葛青云"]);
    assert_eq!(names(&search(archive, &id18_ouyang())), vec!["欧阳明月"]);

    // 档号 stored with a middle dot, typed with a hyphen or with spaces.
    for typed in [
        "J012-WS-1998-Y-0034",
        "J012 WS 1998 Y 0034",
        "j012-ws.1998-y-0034",
    ] {
        let r = search(archive, typed);
        assert!(r.total > 0, "「{typed}」 finds the document");
        assert!(
            r.hits.iter().all(|h| h.ref_code == "J012-WS·1998-Y-0034"),
            "「{typed}」 finds only that document: {:?}",
            r.hits.iter().map(|h| &h.ref_code).collect::<Vec<_>>()
        );
        assert_eq!(r.hits[0].entry_id, None, "the document itself comes first");
        assert!(r.hits[0].matched.contains(&"ref_code".to_string()));
    }

    // 文号 stored with 〔〕, typed with [] or （）.
    for typed in [
        "甘劳人薪[1998]45号",
        "甘劳人薪（1998）45号",
        "甘劳人薪(1998)45号",
    ] {
        let r = search(archive, typed);
        assert!(r.total > 0, "「{typed}」 finds the document");
        assert!(
            r.hits.iter().all(|h| h.ref_code == "J012-WS·1998-Y-0034"),
            "「{typed}」 finds only the 1998 document: {:?}",
            r.hits.iter().map(|h| &h.ref_code).collect::<Vec<_>>()
        );
        assert!(r.hits[0].matched.contains(&"doc_number".to_string()));
    }

    // A person together with their document's 档号 or 文号: that person's row of it, exactly.
    for typed in [
        "欧阳明月 J012-WS-1998-Y-0034",
        "欧阳明月 甘劳人薪[1998]45号",
        "欧阳明月 1998年7月",
    ] {
        let r = search(archive, typed);
        assert_eq!(names(&r), vec!["欧阳明月"], "「{typed}」");
        assert_eq!(r.hits[0].tier, "exact", "「{typed}」");
    }
}

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

fn live_folder(data: &Path) -> PathBuf {
    let name = std::fs::read_to_string(data.join("search").join("CURRENT"))
        .expect("search/CURRENT exists");
    let folder = data.join("search").join(name.trim());
    assert!(
        folder.is_dir(),
        "CURRENT names a folder: {}",
        folder.display()
    );
    folder
}

fn search_folder_names(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data.join("search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn open_db(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap()
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

/// An archive in `dir/data` with a first batch (王大明) imported, and the file of a second batch
/// (钱多多) written beside it but not imported.
fn first_of_two_batches(
    dir: &std::path::Path,
    fonds: &str,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let data = dir.join("data");
    let first = dir.join("第一批.csv");
    let row = |year: u32, name: &str, unit: &str| format!("{fonds}-WS-{year}-Y-0001,{name},{unit}");
    write_utf8_csv(
        &first,
        &["档号,姓名,工作单位", &row(1991, "王大明", "县化肥厂")],
        false,
    );
    let second = dir.join("第二批.csv");
    write_utf8_csv(
        &second,
        &["档号,姓名,工作单位", &row(1992, "钱多多", "县水泥厂")],
        false,
    );
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&first]);
    (data, second)
}

#[test]
fn an_index_rewound_behind_the_pruned_change_log_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, second) = first_of_two_batches(dir.path(), "J040");
    // An old copy of the index, as a backup of the search folder would restore it.
    let saved = dir.path().join("saved-search");
    copy_dir(&data.join("search"), &saved);

    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&second]);
    drop(archive);
    std::fs::remove_dir_all(data.join("search")).unwrap();
    copy_dir(&saved, &data.join("search"));

    // The change log the old index would need was pruned once the new index covered it.
    let mut archive = Archive::open(&data).unwrap();
    assert_found(&mut archive, "钱多多", "钱多多");
    assert_found(&mut archive, "王大明", "王大明");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An archive holding the wage table, closed, with its live index folder.
fn archive_with_wage_table(dir: &Path) -> (PathBuf, PathBuf) {
    let data = dir.join("data");
    let csv = dir.join("工资调整表.csv");
    write_wage_table(&csv);
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv]);
    drop(archive);
    let folder = live_folder(&data);
    (data, folder)
}

#[test]
fn a_missing_search_folder_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = archive_with_wage_table(dir.path());
    std::fs::remove_dir_all(data.join("search")).unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut archive);
    live_folder(&data);
}

#[test]
fn a_corrupt_index_is_set_aside_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, folder) = archive_with_wage_table(dir.path());
    let broken_name = folder.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(folder.join("meta.json"), b"{ this is not json \x00\x01").unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut archive);
    let live = live_folder(&data);
    assert_ne!(live, folder, "a new folder is live");
    let names = search_folder_names(&data);
    let aside: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with(&format!("{broken_name}.corrupt-")))
        .collect();
    assert_eq!(aside.len(), 1, "the broken folder is kept aside: {names:?}");
    let kept = data.join("search").join(aside[0]).join("meta.json");
    assert_eq!(
        std::fs::read(kept).unwrap(),
        b"{ this is not json \x00\x01",
        "kept as it was found"
    );
    assert!(!folder.exists(), "no longer under its old name");
    drop(archive);

    // Opening again neither rebuilds nor removes the folder set aside.
    let mut again = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut again);
    assert_eq!(live_folder(&data), live);
    assert_eq!(search_folder_names(&data), names);
}

/// The largest file of a segment in the live index folder.
fn largest_segment_file(folder: &Path) -> PathBuf {
    std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "json" && e != "lock"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap()
}

#[test]
fn a_segment_file_with_a_flipped_byte_or_cut_short_is_found_on_open_and_rebuilt() {
    for damage in ["flip", "truncate", "delete"] {
        let dir = tempfile::tempdir().unwrap();
        let (data, folder) = archive_with_wage_table(dir.path());
        let store_before = snapshot(&data);
        let file = largest_segment_file(&folder);
        let mut bytes = std::fs::read(&file).unwrap();
        match damage {
            "flip" => {
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x20;
                std::fs::write(&file, &bytes).unwrap();
            }
            "truncate" => std::fs::write(&file, &bytes[..bytes.len() * 2 / 3]).unwrap(),
            _ => std::fs::remove_file(&file).unwrap(),
        }

        let mut archive = Archive::open(&data).unwrap();
        assert_wage_table_searchable(&mut archive);
        let status = archive.status().unwrap();
        let why = status.index_rebuilt_because.unwrap_or_default();
        assert!(
            why.contains("损坏"),
            "{damage}: the status says why it was rebuilt: {why}"
        );
        assert_ne!(live_folder(&data), folder, "{damage}: a new folder is live");
        let names = search_folder_names(&data);
        assert!(
            names.iter().any(|n| n.contains(".corrupt-")),
            "{damage}: the damaged folder is kept aside: {names:?}"
        );
        drop(archive);
        assert_eq!(
            snapshot(&data),
            store_before,
            "{damage}: nothing in the store is touched"
        );
    }
}

#[test]
fn current_naming_a_missing_folder_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (data, folder) = archive_with_wage_table(dir.path());
    std::fs::write(
        data.join("search").join("CURRENT"),
        "index-20000101-000000-000",
    )
    .unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_wage_table_searchable(&mut archive);
    let live = live_folder(&data);
    assert_ne!(
        live.file_name().unwrap(),
        "index-20000101-000000-000",
        "CURRENT names the rebuilt folder"
    );
    assert!(
        !folder.exists(),
        "the old folder, named by nothing, is removed as a leftover"
    );
}

#[test]
fn the_index_of_another_archive_is_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = archive_with_wage_table(dir.path());

    // Another archive, with its own records and more changes than this one.
    let other_data = dir.path().join("other");
    let other_csv = dir.path().join("别处目录.csv");
    write_utf8_csv(
        &other_csv,
        &[
            "档号,姓名,工作单位",
            "K001-WS-1980-Y-0001,外馆人,外县农机厂",
            "K001-WS-1980-Y-0002,外馆人乙,外县农机厂",
            "K001-WS-1980-Y-0003,外馆人丙,外县农机厂",
            "K001-WS-1980-Y-0004,外馆人丁,外县农机厂",
        ],
        false,
    );
    let mut other = Archive::open(&other_data).unwrap();
    import(&mut other, &[&other_csv]);
    assert_found(&mut other, "外馆人", "外馆人");
    drop(other);

    std::fs::remove_dir_all(data.join("search")).unwrap();
    copy_dir(&other_data.join("search"), &data.join("search"));
    let foreign = live_folder(&data);

    let mut archive = Archive::open(&data).unwrap();
    assert_not_found(&mut archive, "外馆人");
    assert_not_found(&mut archive, "外县农机厂");
    assert_wage_table_searchable(&mut archive);
    assert_ne!(live_folder(&data), foreign);
    let names = search_folder_names(&data);
    assert!(
        names.iter().any(|n| n.contains(".corrupt-")),
        "the foreign index is kept aside, not deleted: {names:?}"
    );
}

#[test]
fn an_index_newer_than_the_store_is_rebuilt() {
    // The database restored from a backup: the index describes records it no longer has.
    let dir = tempfile::tempdir().unwrap();
    let (data, second) = first_of_two_batches(dir.path(), "J050");
    let backup = dir.path().join("backup.sqlite3");
    open_db(&data)
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();

    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&second]);
    assert_found(&mut archive, "钱多多", "钱多多");
    drop(archive);

    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(data.join(format!("archive.sqlite3{suffix}")));
    }
    std::fs::copy(&backup, data.join("archive.sqlite3")).unwrap();

    let mut archive = Archive::open(&data).unwrap();
    assert_not_found(&mut archive, "钱多多");
    assert_found(&mut archive, "王大明", "王大明");
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
