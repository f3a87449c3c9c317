//! The command's search, person and reindex answers: the documented `--json` shape with values
//! as written, filters, facets and paging, a person's records in date order, the same answers after
//! `reindex`, and an import while another program holds the index writer.

mod common;

use common::cli::*;
use common::*;

/// A check of one JSON value's type.
type ValueCheck<'a> = &'a dyn Fn(&serde_json::Value) -> bool;

/// Each key of the documented shape is there with its JSON type (more keys may follow).
fn assert_search_shape(v: &serde_json::Value) {
    use serde_json::Value;
    let is_str = |v: &Value| v.is_string();
    let str_or_null = |v: &Value| v.is_string() || v.is_null();
    let int_or_null = |v: &Value| v.is_i64() || v.is_null();
    assert!(v["total"].is_u64(), "total: {v}");
    assert!(v["took_ms"].is_number(), "took_ms: {v}");
    let hits = v["hits"].as_array().expect("hits is an array");
    for hit in hits {
        let hit = hit.as_object().expect("a hit is an object");
        let checks: [(&str, ValueCheck); 17] = [
            ("ref_code", &is_str),
            ("name", &str_or_null),
            ("entry_id", &int_or_null),
            ("document_id", &|v: &Value| v.is_i64()),
            ("category", &str_or_null),
            ("title", &str_or_null),
            ("year", &int_or_null),
            ("gender", &str_or_null),
            ("birth", &str_or_null),
            ("unit", &str_or_null),
            ("id_masked", &str_or_null),
            ("page", &str_or_null),
            ("access", &is_str),
            ("tier", &is_str),
            ("score", &|v: &Value| v.is_number()),
            ("matched", &|v: &Value| {
                v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
            }),
            ("snippet", &|v: &Value| v.is_array()),
        ];
        for (key, ok) in checks {
            let value = hit
                .get(key)
                .unwrap_or_else(|| panic!("hit has no {key}: {hit:?}"));
            assert!(ok(value), "{key} has the documented type: {value}");
        }
        for fragment in hit["snippet"].as_array().unwrap() {
            let text = fragment["text"].as_str().expect("snippet text");
            let chars = text.chars().count() as u64;
            for h in fragment["highlights"].as_array().expect("highlights") {
                let pair = h.as_array().expect("a highlight is [start, end]");
                assert_eq!(pair.len(), 2);
                let (a, b) = (pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap());
                assert!(a < b && b <= chars, "[{a}, {b}) lies in 「{text}」");
            }
        }
    }
    for facet in ["category", "year"] {
        for f in v["facets"][facet]
            .as_array()
            .unwrap_or_else(|| panic!("facets.{facet} is an array: {v}"))
        {
            assert!(f["value"].is_string(), "{f}");
            assert!(f["count"].is_u64(), "{f}");
        }
    }
}

/// (entry_id, document_id) of each hit, in order.
fn hit_keys(v: &serde_json::Value) -> Vec<(Option<i64>, i64)> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["entry_id"].as_i64(), h["document_id"].as_i64().unwrap()))
        .collect()
}

fn field_values<'a>(v: &'a serde_json::Value, key: &str) -> Vec<&'a serde_json::Value> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h[key])
        .collect()
}

#[test]
fn search_json_has_the_documented_shape_and_the_values_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let csv = dir.path().join("查档目录.csv");
    let (liu, liu15) = write_counter_catalogue(&csv);
    let out = archivedesk(&data, &["import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(json(&out)["files"][0]["rows_accepted"], 11);

    let v = search_json(&data, "刘建国", &[]);
    assert_search_shape(&v);
    let entries: Vec<(&str, &str)> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["entry_id"].is_i64())
        .map(|h| (h["ref_code"].as_str().unwrap(), h["name"].as_str().unwrap()))
        .collect();
    let mut sorted = entries.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            ("J012-TX·2009-Y-0003", "劉建國"),
            ("J012-WS·1998-Y-0034", "劉　建國"),
            ("J012-ZG·1970-Y-0001", "刘建国"),
            ("ＷＳ－１９８５－００１２", "刘建国"),
        ],
        "every record of 刘建国, 档号 and name exactly as the file has them"
    );
    let padded = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "劉　建國")
        .unwrap();
    assert_eq!(padded["tier"], "exact");
    assert_eq!(padded["access"], "open");
    assert_eq!(padded["year"], 1998);
    assert_eq!(padded["category"], "工资调整");
    let name_fragment = padded["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["text"] == "劉　建國")
        .expect("the name is quoted as written");
    assert_eq!(name_fragment["highlights"], serde_json::json!([[0, 4]]));
    assert_eq!(
        padded["id_masked"].as_str().unwrap(),
        format!("{}************", &liu[..6]),
        "the ID number is masked, all but its region (first 6 characters)"
    );

    // Found by the other form of the ID number, too.
    let v = search_json(&data, &liu15, &[]);
    assert_search_shape(&v);
    assert_eq!(v["total"], 4);
}

#[test]
fn search_filters_facets_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let csv = dir.path().join("查档目录.csv");
    write_counter_catalogue(&csv);
    json(&archivedesk(
        &data,
        &["import", csv.to_str().unwrap(), "--json"],
    ));

    let all = search_json(&data, "县机械厂", &["--limit", "100"]);
    assert_search_shape(&all);
    let total = all["total"].as_u64().unwrap() as usize;
    assert_eq!(all["hits"].as_array().unwrap().len(), total);
    assert!(total >= 9, "{total}");

    // Facets count every match, per category and per year.
    for (facet, key) in [("category", "category"), ("year", "year")] {
        let facets = all["facets"][facet].as_array().unwrap();
        assert!(!facets.is_empty());
        for f in facets {
            let value = f["value"].as_str().unwrap();
            let counted = field_values(&all, key)
                .iter()
                .filter(|v| match v {
                    serde_json::Value::String(s) => s == value,
                    serde_json::Value::Number(n) => n.to_string() == value,
                    _ => false,
                })
                .count();
            assert_eq!(
                f["count"].as_u64().unwrap() as usize,
                counted,
                "{facet} {value}"
            );
        }
    }

    // --category
    let filtered = search_json(&data, "县机械厂", &["--category", "招工录用"]);
    assert_search_shape(&filtered);
    let categories = field_values(&filtered, "category");
    assert!(!categories.is_empty());
    assert!(
        categories.iter().all(|c| *c == "招工录用"),
        "{categories:?}"
    );
    let expected = field_values(&all, "category")
        .iter()
        .filter(|c| **c == "招工录用")
        .count();
    assert_eq!(filtered["total"].as_u64().unwrap() as usize, expected);

    // --year-from / --year-to
    let ranged = search_json(
        &data,
        "县机械厂",
        &["--year-from", "1980", "--year-to", "1990"],
    );
    let years: Vec<i64> = field_values(&ranged, "year")
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    assert!(!years.is_empty());
    assert!(years.iter().all(|y| (1980..=1990).contains(y)), "{years:?}");
    let expected = field_values(&all, "year")
        .iter()
        .filter(|y| y.as_i64().is_some_and(|y| (1980..=1990).contains(&y)))
        .count();
    assert_eq!(ranged["total"].as_u64().unwrap() as usize, expected);
    assert!(expected < total);

    // --limit / --offset: pages continue each other, without overlap or gap.
    let mut paged = Vec::new();
    let mut offset = 0;
    while offset < total {
        let page = search_json(
            &data,
            "县机械厂",
            &["--limit", "4", "--offset", &offset.to_string()],
        );
        assert_eq!(page["total"].as_u64().unwrap() as usize, total);
        let keys = hit_keys(&page);
        assert_eq!(keys.len(), 4.min(total - offset), "page at {offset}");
        paged.extend(keys);
        offset += 4;
    }
    assert_eq!(paged, hit_keys(&all));
    let past = search_json(&data, "县机械厂", &["--offset", &total.to_string()]);
    assert!(hit_keys(&past).is_empty());
}

#[test]
fn person_by_id_number_lists_the_records_in_date_order() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let csv = dir.path().join("查档目录.csv");
    let (_, liu15) = write_counter_catalogue(&csv);
    json(&archivedesk(
        &data,
        &["import", csv.to_str().unwrap(), "--json"],
    ));

    let timeline = json(&archivedesk(
        &data,
        &["person", "--id-number", &liu15, "--json"],
    ));
    let events = timeline["events"].as_array().unwrap();
    let refs: Vec<&str> = events
        .iter()
        .map(|e| e["ref_code"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        vec![
            "J012-ZG·1970-Y-0001",
            "ＷＳ－１９８５－００１２",
            "J012-WS·1998-Y-0034",
            "J012-TX·2009-Y-0003",
        ]
    );
    let keys: Vec<&str> = events
        .iter()
        .map(|e| e["date_key"].as_str().unwrap())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(
        events.iter().all(|e| e["join"] == "id_number"),
        "{events:?}"
    );
    assert_eq!(events[3]["kind"], "retirement");

    // A clerk splits the 1985 record off: it leaves the timeline, and stays off after the same
    // catalogue is imported again (the decision is kept by the records' stable keys).
    let split = events[1]["entry_id"].as_i64().unwrap().to_string();
    let after = json(&archivedesk(
        &data,
        &["person", "--id-number", &liu15, "--split", &split, "--json"],
    ));
    let refs_after = |t: &serde_json::Value| -> Vec<String> {
        t["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["ref_code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(refs_after(&after).len(), 3, "{after}");
    assert!(!refs_after(&after).contains(&"ＷＳ－１９８５－００１２".to_string()));
    json(&archivedesk(
        &data,
        &["import", csv.to_str().unwrap(), "--json"],
    ));
    let again = json(&archivedesk(
        &data,
        &["person", "--id-number", &liu15, "--json"],
    ));
    assert_eq!(refs_after(&again), refs_after(&after));
    // Confirming it brings it back, marked as a clerk's decision.
    let back = json(&archivedesk(
        &data,
        &[
            "person",
            "--id-number",
            &liu15,
            "--confirm",
            &split,
            "--json",
        ],
    ));
    let confirmed = back["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry_id"].as_i64().unwrap().to_string() == split)
        .expect("confirmed record is back");
    assert_eq!(confirmed["confidence"], "confirmed");

    // Usage errors: no person named, or two ways at once.
    let out = archivedesk(&data, &["person"]);
    assert_eq!(out.status.code(), Some(2));
    let out = archivedesk(&data, &["person", "1", "--id-number", &liu15]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reindex_gives_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let csv = dir.path().join("查档目录.csv");
    write_counter_catalogue(&csv);
    json(&archivedesk(
        &data,
        &["import", csv.to_str().unwrap(), "--json"],
    ));
    let retirement = sample("retirement_catalogue_gb18030.csv");
    json(&archivedesk(
        &data,
        &["import", retirement.to_str().unwrap(), "--json"],
    ));

    let queries = [
        "刘建国",
        "liujianguo",
        "县机械厂",
        "J012-WS-1986-Y-0013",
        "石人社退[1999]46号",
        "1986",
        "供销社 退休",
    ];
    let answers = |data: &std::path::Path| -> Vec<serde_json::Value> {
        queries
            .iter()
            .map(|q| {
                let mut v = search_json(data, q, &["--limit", "100"]);
                let mut hits: Vec<String> = v["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        format!(
                            "{:?}/{}/{}/{}",
                            h["entry_id"].as_i64(),
                            h["document_id"],
                            h["tier"],
                            h["matched"]
                        )
                    })
                    .collect();
                hits.sort();
                v["took_ms"] = serde_json::Value::Null;
                v["hits"] = serde_json::json!(hits);
                v
            })
            .collect()
    };
    let before = answers(&data);
    assert!(before.iter().all(|v| v["total"].as_u64().unwrap() > 0));
    let current = std::fs::read_to_string(data.join("search/CURRENT")).unwrap();

    let out = archivedesk(&data, &["reindex", "--json"]);
    let report = json(&out);
    assert!(report["indexed"].as_u64().unwrap() > 0);
    let rebuilt = std::fs::read_to_string(data.join("search/CURRENT")).unwrap();
    assert_ne!(rebuilt, current, "a new index folder is live");
    assert!(
        !data.join("search").join(current.trim()).exists(),
        "the old folder is removed"
    );
    assert_eq!(answers(&data), before);
}

#[test]
fn import_while_another_program_holds_the_index_writer() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let first = sample("retirement_catalogue_gb18030.csv");
    json(&archivedesk(
        &data,
        &["import", first.to_str().unwrap(), "--json"],
    ));
    let second = dir.path().join("招工录用.csv");
    write_utf8_csv(
        &second,
        &[
            "档号,题名,姓名,工作单位",
            "J070-ZG-1975-Y-0001,县农机厂招工录用审批表,司马长风,县农机厂",
            "J070-ZG-1975-Y-0001,县农机厂招工录用审批表,司马长云,县农机厂",
        ],
        false,
    );

    // Another program (here: this test) holds the writer of the live index.
    let current = std::fs::read_to_string(data.join("search/CURRENT")).unwrap();
    let index = tantivy::Index::open_in_dir(data.join("search").join(current.trim())).unwrap();
    let writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();

    // The import is refused before it writes anything, and says why in Chinese; asking again
    // while the lock is held is refused the same way.
    for _ in 0..2 {
        let out = archivedesk(&data, &["import", second.to_str().unwrap(), "--json"]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains("另一个档案查询台窗口或命令行程序正在写入这个档案库的检索索引"),
            "the clerk is told, in Chinese, who holds the index: {err}"
        );
        let stats = json(&archivedesk(&data, &["stats", "--json"]));
        assert_eq!(
            (&stats["entries"], &stats["import_batches"]),
            (&serde_json::json!(6), &serde_json::json!(1)),
            "nothing of the refused import is in the archive"
        );
    }

    // Once the other program lets go, the same import goes through and is searchable.
    drop(writer);
    drop(index);
    let report = json(&archivedesk(
        &data,
        &["import", second.to_str().unwrap(), "--json"],
    ));
    assert_eq!(report["files"][0]["outcome"], "imported");
    assert_eq!(report["files"][0]["entries_new"], 2);
    let v = search_json(&data, "司马长风", &[]);
    let names: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["name"].as_str())
        .collect();
    assert_eq!(names, vec!["司马长风"], "{v}");
    let v = search_json(&data, "县农机厂", &[]);
    assert!(v["total"].as_u64().unwrap() >= 2, "{v}");
}
