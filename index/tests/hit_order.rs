//! Hits of one tier come grouped by person — rows joined as the person timeline joins them,
//! by name and birth month — each person's rows in date order.

mod common;

use archivedesk::api::SearchRequest;
use archivedesk::Archive;
use common::*;

#[test]
fn one_persons_rows_come_together_in_date_order() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("工资调整表.csv");
    let a = id18("62090219420321246");
    // Rows in the order an import meets them: years and the two namesakes mixed.
    let mut lines =
        vec!["档号,题名,类别,成文日期,开放标识,姓名,性别,出生年月,身份证号码,工作单位".to_string()];
    for (year, who) in [
        (1998, 'a'),
        (1999, 'b'),
        (1987, 'a'),
        (2001, 'a'),
        (1990, 'b'),
        (1990, 'a'),
        (2000, 'b'),
    ] {
        let (birth, id) = match who {
            'a' => ("1942.03", a.as_str()),
            // Born in another month, without ID: another man of the same name.
            _ => ("1951.07", ""),
        };
        lines.push(format!(
            "J012-LS·{year}-Y-000{},红星机械厂{year}年工资调整表,工资调整,{year}年7月,开放,张伟,男,{birth},{id},红星机械厂",
            if who == 'a' { 1 } else { 2 }
        ));
    }
    // His 1975 recruitment, written without the ID: joined to him by name and birth month.
    lines.push("J012-ZG·1975-Y-0046,1975年招工录用花名册,招工录用,1975年4月,开放,张伟,男,1942年3月,,红星机械厂".into());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_utf8_csv(&csv, &refs, true);
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&csv]);

    let answer = archive
        .search(&SearchRequest {
            query: "张伟".into(),
            limit: Some(20),
            ..SearchRequest::default()
        })
        .unwrap();
    let seen: Vec<(String, i32)> = answer
        .hits
        .iter()
        .map(|h| {
            (
                h.birth.clone().unwrap_or_default(),
                h.year.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(seen.len(), 8, "{seen:?}");
    assert!(answer.hits.iter().all(|h| h.tier == "exact"));
    // Each person once, as one run of hits.
    let mut runs: Vec<&str> = Vec::new();
    for (birth, _) in &seen {
        let person = if birth.starts_with("1942") { "a" } else { "b" };
        if runs.last() != Some(&person) {
            runs.push(person);
        }
    }
    assert_eq!(runs.len(), 2, "grouped by person: {seen:?}");
    // Within a person, by date: his recruitment of 1975, written without the ID, first.
    for person in ["1942", "1951"] {
        let years: Vec<i32> = seen
            .iter()
            .filter(|(b, _)| b.starts_with(person))
            .map(|(_, y)| *y)
            .collect();
        let mut sorted = years.clone();
        sorted.sort_unstable();
        assert_eq!(years, sorted, "{person}: {seen:?}");
    }
    assert!(seen.contains(&("1942年3月".to_string(), 1975)), "{seen:?}");
}
