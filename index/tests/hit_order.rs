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

fn search_page(archive: &mut Archive, query: &str, offset: usize, limit: usize) -> Vec<String> {
    archive
        .search(&SearchRequest {
            query: query.into(),
            offset,
            limit: Some(limit),
            ..SearchRequest::default()
        })
        .unwrap()
        .hits
        .iter()
        .map(|h| {
            format!(
                "{} {} {}",
                h.birth.clone().unwrap_or_default(),
                h.year.unwrap_or_default(),
                h.ref_code
            )
        })
        .collect()
}

#[test]
fn a_persons_rows_follow_the_best_of_them_and_pages_cut_one_list() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("工资调整表.csv");
    let mut lines =
        vec!["档号,题名,类别,成文日期,开放标识,姓名,性别,出生年月,工作单位".to_string()];
    // Two Li Na of one unit; the approval of the one born in 1951 also names her in its title,
    // so it matches best of all.
    lines.push("J012-WS·2011-Y-0003,关于同意李娜同志退休的批复,退休审批,2011年3月,开放,李娜,女,1951.07,红星机械厂".into());
    for year in [1990, 1993, 1996] {
        lines.push(format!(
            "J012-LS·{year}-Y-0001,红星机械厂{year}年工资调整表,工资调整,{year}年7月,开放,李娜,女,1951.07,红星机械厂"
        ));
        lines.push(format!(
            "J012-LS·{year}-Y-0002,红星机械厂{year}年工资调整表,工资调整,{year}年7月,开放,李娜,女,1960.02,红星机械厂"
        ));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_utf8_csv(&csv, &refs, true);
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&csv]);

    let query = "李娜 红星机械厂";
    let all = search_page(&mut archive, query, 0, 20);
    assert_eq!(all.len(), 7, "{all:?}");
    // Her approval matches best, so all of the 1951 Li Na's rows come first, in date order
    // (the approval last), though her wage rows match no better than the other Li Na's.
    let births: Vec<&str> = all.iter().map(|h| &h[..7]).collect();
    assert_eq!(
        births,
        vec!["1951.07", "1951.07", "1951.07", "1951.07", "1960.02", "1960.02", "1960.02"],
        "{all:?}"
    );
    assert!(
        all[3].contains("2011"),
        "her approval last, by date: {all:?}"
    );
    // Pages of three are the same list cut in three.
    let mut paged = Vec::new();
    for offset in [0, 3, 6] {
        paged.extend(search_page(&mut archive, query, offset, 3));
    }
    assert_eq!(paged, all);
}
