//! A wage table of hard names (compound surnames, 15-digit IDs, 文号 in brackets) imported and
//! searched, and the search index's folders read from disk: shared by the tests of the index
//! following the store and of the index rebuilt.

use super::*;
use archivedesk::api::{SearchHit, SearchRequest, SearchResponse};
use archivedesk::Archive;
use std::path::{Path, PathBuf};

/// The 18-digit form of an old 15-digit number: "19" inserted before the birth year.
pub fn id15_to_18(id15: &str) -> String {
    id18(&format!("{}19{}", &id15[..6], &id15[6..]))
}

/// The 15-digit form of an 18-digit number: the century and the check digit dropped.
pub fn id18_to_15(id18: &str) -> String {
    format!("{}{}", &id18[..6], &id18[8..17])
}

const ID15_ZHUGE: &str = "430726560315001";
pub fn id18_ouyang() -> String {
    id18("11010519620815002")
}

/// A wage table: two documents with 文号 in 〔〕 and a 档号 with a middle dot, one old
/// 15-digit and one 18-digit ID number.
pub fn write_wage_table(path: &Path) {
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

pub fn request(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.to_string(),
        limit: Some(100),
        ..SearchRequest::default()
    }
}

pub fn search(archive: &mut Archive, query: &str) -> SearchResponse {
    archive
        .search(&request(query))
        .unwrap_or_else(|e| panic!("search 「{query}」 failed: {e}"))
}

pub fn names(response: &SearchResponse) -> Vec<&str> {
    response
        .hits
        .iter()
        .filter_map(|h| h.name.as_deref())
        .collect()
}

/// Entry hits whose name is exactly `name`.
pub fn entry_hits<'a>(response: &'a SearchResponse, name: &str) -> Vec<&'a SearchHit> {
    response
        .hits
        .iter()
        .filter(|h| h.name.as_deref() == Some(name))
        .collect()
}

pub fn assert_found(archive: &mut Archive, query: &str, name: &str) {
    let r = search(archive, query);
    assert!(
        !entry_hits(&r, name).is_empty(),
        "「{query}」 finds {name}: {:?}",
        names(&r)
    );
}

pub fn assert_not_found(archive: &mut Archive, query: &str) {
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
pub fn assert_wage_table_searchable(archive: &mut Archive) {
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

pub fn live_folder(data: &Path) -> PathBuf {
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

pub fn search_folder_names(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data.join("search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn open_db(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap()
}

/// An archive in `dir/data` with a first batch (王大明) imported, and the file of a second batch
/// (钱多多) written beside it but not imported.
pub fn first_of_two_batches(
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

pub fn copy_dir(from: &Path, to: &Path) {
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
pub fn archive_with_wage_table(dir: &Path) -> (PathBuf, PathBuf) {
    let data = dir.join("data");
    let csv = dir.join("工资调整表.csv");
    write_wage_table(&csv);
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&csv]);
    drop(archive);
    let folder = live_folder(&data);
    (data, folder)
}

/// The largest file of a segment in the live index folder.
pub fn largest_segment_file(folder: &Path) -> PathBuf {
    std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "json" && e != "lock"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap()
}
