//! Open data (OAI-PMH, SRU) over a small catalogue: only open documents are published, with
//! every name the archive holds masked wherever it appears; a document that becomes controlled
//! is harvested as deleted from the moment it changed; wrong requests get the protocol's errors.
//! (Real harvesters over the real door: tests/open-data.)

mod common;

use archivedesk::open_data::OpenDataPlace;
use archivedesk::Archive;
use common::{id18, import, write_utf8_csv};
use std::path::Path;

const PLACE: OpenDataPlace = OpenDataPlace {
    host: "127.0.0.15",
    port: 8443,
};

fn write_catalogue(path: &Path, second_access: &str) {
    let lines = [
        "档号,题名,类别,成文日期,开放标识,姓名,身份证号码".to_string(),
        format!(
            "J1-WS·1998-Y-0001,关于同意刘建国同志退休的批复,退休审批,1998年7月,开放,刘建国,{}",
            id18("62010219380312001")
        ),
        format!(
            "J1-WS·1999-Y-0002,1999年职工工资调整表,工资调整,1999年7月,{second_access},王磊,{}",
            id18("62010219500101002")
        ),
        format!(
            "J1-WS·2000-Y-0003,王 磊等三人转正定级的通知,工资调整,2000年3月,开放,赵强,{}",
            id18("62010219610203003")
        ),
        format!(
            "J1-WS·2001-Y-0004,关于孙立新同志的处分决定,文书,2001年5月,控制,孙立新,{}",
            id18("62010219700405004")
        ),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_utf8_csv(path, &lines, true);
}

fn oai(archive: &mut Archive, arguments: &[(&str, &str)]) -> String {
    let arguments: Vec<(String, String)> = arguments
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    archive.oai_answer(&PLACE, &arguments).unwrap()
}

fn sru(archive: &mut Archive, query: &str) -> String {
    let arguments = vec![
        ("operation".to_string(), "searchRetrieve".to_string()),
        ("version".to_string(), "1.2".to_string()),
        ("query".to_string(), query.to_string()),
    ];
    archive.sru_answer(&PLACE, &arguments).unwrap()
}

fn count(text: &str, what: &str) -> usize {
    text.matches(what).count()
}

fn number_of_records(answer: &str) -> usize {
    let start = answer.find("<srw:numberOfRecords>").unwrap() + "<srw:numberOfRecords>".len();
    let end = answer[start..].find('<').unwrap() + start;
    answer[start..end].parse().unwrap()
}

/// Nothing of a person: no name the catalogue lists, no ID number.
fn assert_nothing_personal(answer: &str) {
    for name in ["刘建国", "王磊", "王 磊", "赵强", "孙立新"] {
        assert!(!answer.contains(name), "{name} in {answer}");
    }
    let digits: Vec<String> = answer
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() >= 15)
        .map(str::to_string)
        .collect();
    assert!(digits.is_empty(), "ID-like numbers {digits:?} in {answer}");
}

#[test]
fn open_records_are_published_without_persons_and_withdrawn_ones_are_harvested_as_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("档案")).unwrap();
    let csv = dir.path().join("目录.csv");
    write_catalogue(&csv, "开放");
    import(&mut archive, &[&csv]);

    let all = oai(
        &mut archive,
        &[("verb", "ListRecords"), ("metadataPrefix", "oai_dc")],
    );
    assert_eq!(count(&all, "<record>"), 3, "{all}");
    assert!(
        !all.contains("J1-WS·2001-Y-0004"),
        "a controlled record was published: {all}"
    );
    // Names are masked wherever they appear, also a name from another document, spaced.
    assert!(all.contains("关于同意＊＊＊同志退休的批复"), "{all}");
    assert!(all.contains("＊＊等三人转正定级的通知"), "{all}");
    assert!(all.contains("<dc:date>1998-07</dc:date>"), "{all}");
    assert!(all.contains("<setSpec>tuixiushenpi</setSpec>"), "{all}");
    assert_nothing_personal(&all);
    let listed = oai(&mut archive, &[("verb", "ListSets")]);
    assert!(
        !listed.contains("文书"),
        "the set of a controlled record alone was listed: {listed}"
    );

    // Datestamps are to the second: the change below comes in a later one.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let before_change = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    write_catalogue(&csv, "控制");
    import(&mut archive, &[&csv]);

    let changed = oai(
        &mut archive,
        &[
            ("verb", "ListIdentifiers"),
            ("metadataPrefix", "oai_dc"),
            ("from", &before_change),
        ],
    );
    assert_eq!(count(&changed, "<header"), 1, "{changed}");
    assert!(
        changed.contains(r#"<header status="deleted"><identifier>"#),
        "{changed}"
    );
    assert!(changed.contains("J1-WS-1999-Y-0002"), "{changed}");
    let unchanged = oai(
        &mut archive,
        &[
            ("verb", "ListIdentifiers"),
            ("metadataPrefix", "oai_dc"),
            ("until", &before_change),
        ],
    );
    assert_eq!(count(&unchanged, "<header>"), 2, "{unchanged}");
    let identifier = changed
        .split("<identifier>")
        .nth(1)
        .and_then(|rest| rest.split("</identifier>").next())
        .unwrap()
        .to_string();
    let deleted = oai(
        &mut archive,
        &[
            ("verb", "GetRecord"),
            ("metadataPrefix", "oai_dc"),
            ("identifier", &identifier),
        ],
    );
    assert!(deleted.contains(r#"status="deleted""#), "{deleted}");
    assert!(!deleted.contains("<metadata>"), "{deleted}");
    assert!(!deleted.contains("工资调整表"), "{deleted}");

    // SRU finds by title, date and 档号 however written, and never by a person's name.
    assert_eq!(number_of_records(&sru(&mut archive, "dc.title = 退休")), 1);
    assert_eq!(number_of_records(&sru(&mut archive, "dc.date = 2000")), 1);
    assert_eq!(
        number_of_records(&sru(&mut archive, "dc.date >= 1998 and dc.date < 2000")),
        1
    );
    assert_eq!(
        number_of_records(&sru(&mut archive, "dc.identifier = \"j1 ws 1998 y 0001\"")),
        1
    );
    assert_eq!(number_of_records(&sru(&mut archive, "转正 or 退休")), 2);
    for name in ["刘建国", "王磊", "孙立新"] {
        assert_eq!(
            number_of_records(&sru(&mut archive, name)),
            0,
            "{name} found"
        );
    }
    // The withdrawn record is not searchable.
    assert_eq!(number_of_records(&sru(&mut archive, "工资调整表")), 0);
    assert_nothing_personal(&sru(&mut archive, "cql.anywhere = 通知"));
}

#[test]
fn wrong_requests_get_the_protocols_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("档案")).unwrap();
    let csv = dir.path().join("目录.csv");
    write_catalogue(&csv, "开放");
    import(&mut archive, &[&csv]);
    for (arguments, code) in [
        (vec![("verb", "Nope")], "badVerb"),
        (vec![], "badVerb"),
        (vec![("verb", "ListRecords")], "badArgument"),
        (vec![("verb", "Identify"), ("verb", "Identify")], "badVerb"),
        (vec![("verb", "Identify"), ("set", "x")], "badArgument"),
        (
            vec![("verb", "ListRecords"), ("metadataPrefix", "marc21")],
            "cannotDisseminateFormat",
        ),
        (
            vec![("verb", "ListRecords"), ("resumptionToken", "forged")],
            "badResumptionToken",
        ),
        (
            vec![
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("resumptionToken", "x"),
            ],
            "badArgument",
        ),
        (
            vec![
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("from", "1998-07"),
            ],
            "badArgument",
        ),
        (
            vec![
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2020-01-01"),
                ("until", "2020-01-01T00:00:00Z"),
            ],
            "badArgument",
        ),
        (
            vec![
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("set", "nothing"),
            ],
            "noRecordsMatch",
        ),
        (
            vec![
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("until", "1990-01-01"),
            ],
            "noRecordsMatch",
        ),
        (
            vec![
                ("verb", "GetRecord"),
                ("metadataPrefix", "oai_dc"),
                ("identifier", "oai:x:J1"),
            ],
            "idDoesNotExist",
        ),
    ] {
        let answer = oai(&mut archive, &arguments);
        assert!(
            answer.contains(&format!(r#"<error code="{code}">"#)),
            "{arguments:?}: {answer}"
        );
        if matches!(code, "badVerb" | "badArgument") {
            assert!(
                answer.contains("<request>https://"),
                "echoed a wrong request: {answer}"
            );
        }
    }
    let arguments = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    for (pairs, diagnostic) in [
        (
            vec![("operation", "searchRetrieve"), ("version", "1.2")],
            "/7<",
        ),
        (
            vec![
                ("operation", "searchRetrieve"),
                ("version", "3.0"),
                ("query", "x"),
            ],
            "/5<",
        ),
        (
            vec![("operation", "searchRetrieve"), ("query", "dc.creator = x")],
            "/16<",
        ),
        (
            vec![("operation", "searchRetrieve"), ("query", "(x")],
            "/10<",
        ),
        (
            vec![
                ("operation", "searchRetrieve"),
                ("query", "通知"),
                ("recordSchema", "marcxml"),
            ],
            "/66<",
        ),
        (
            vec![
                ("operation", "searchRetrieve"),
                ("query", "通知"),
                ("startRecord", "9"),
            ],
            "/61<",
        ),
        (vec![("operation", "scan")], "/4<"),
    ] {
        let answer = archive.sru_answer(&PLACE, &arguments(&pairs)).unwrap();
        assert!(
            answer.contains(&format!("<diag:uri>info:srw/diagnostic/1{diagnostic}")),
            "{pairs:?}: {answer}"
        );
    }
}
