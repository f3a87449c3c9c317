//! Timelines over catalogues imported into a real data folder: one worker's records from 1975
//! to 2008, written with a 15-digit ID, an 18-digit ID (once with a lowercase x), and a birth
//! month only; namesakes that must stay apart; clerks' decisions across a re-import.

use super::*;
use crate::api::{FileOutcome, ImportRequest};
use crate::store::Store;
use std::path::PathBuf;

const ID18: &str = "43072619480615101X";
const ID15: &str = "430726480615101";

const HIRING: &str = "\
档号,类别,题名,日期,姓名,性别,出生年月,身份证号,工作单位,参加工作时间,页号
J001-ZG-1975-001,招工录用,关于刘建国等同志招工录用的批复,1975年4月,刘建国,男,1948年6月,430726480615101,县第二水泥厂,1975年3月,3
J001-ZG-1975-002,招工录用,关于刘建国同志录用的通知,1975年9月,刘建国,男,,,县农机厂,,1
J001-DJ-0007,职工档案,职工登记表,,刘建国,男,,43072619480615101X,县第二水泥厂,,
";

/// The wage tables; `wage_1993` is what the 1993 table gives him after the adjustment.
fn wages(wage_1993: &str) -> String {
    format!(
        "\
档号,类别,题名,日期,姓名,性别,出生年月,身份证号,工作单位,原工资,调整后工资,页号
J001-GZ-1985-010,工资调整,县第二水泥厂1985年工资调整审批表,1985年10月,刘建国,男,1948年6月,43072619480615101X,县第二水泥厂,42.5,49.5,2
J001-GZ-1985-031,工资调整,县供销社1985年工资调整审批表,1985年10月,刘建国,男,1948年6月,,县供销社,38,45,5
J001-GZ-1993-021,工资调整,1993年调资审批表,1993年10月,刘建国,男,1948年6月,43072619480615101x,县第二水泥厂,96,{wage_1993},4
J001-GZ-1993-021,工资调整,1993年调资审批表,1993年10月,刘建国,男,1960年1月,330102196001011230,县化肥厂,80,95,6
J001-GZ-1993-021,工资调整,1993年调资审批表,1993年10月,刘剑国,男,1948年6月,,县第二水泥厂,96,118,7
"
    )
}

const RETIREMENT: &str = "\
档号,类别,题名,日期,姓名,性别,出生年月,工作单位,退休时间,页号
J001-TX-2008-005,退休审批,关于刘建国同志退休的批复,2008年5月20日,刘建国,男,1948年6月,县第二水泥厂,2008年6月,1
";

struct Archive {
    _dir: tempfile::TempDir,
    files: PathBuf,
    store: Store,
}

impl Archive {
    /// A data folder with the hiring, wage and retirement catalogues imported.
    fn new() -> Archive {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("目录");
        std::fs::create_dir_all(&files).unwrap();
        let store = Store::open(&dir.path().join("数据")).unwrap();
        let mut archive = Archive {
            _dir: dir,
            files,
            store,
        };
        archive.import("招工录用.csv", HIRING);
        archive.import("工资调整.csv", &wages("118"));
        archive.import("退休审批.csv", RETIREMENT);
        archive
    }

    fn import(&mut self, file: &str, text: &str) {
        let path = self.files.join(file);
        std::fs::write(&path, text).unwrap();
        let request = ImportRequest {
            paths: vec![path.clone()],
            ..ImportRequest::default()
        };
        let report = crate::import::import_catalogue(
            &mut self.store.conn,
            &path,
            &request,
            &mut |_| {},
            &mut |_| Ok(()),
            &mut |_, _| Ok(()),
        )
        .unwrap();
        assert_eq!(report.outcome, FileOutcome::Imported, "{file}: {report:?}");
        assert_eq!(report.rows_rejected, 0, "{file}: {:?}", report.rejected);
    }

    fn conn(&self) -> &Connection {
        &self.store.conn
    }

    /// The current entry of this name in this document.
    fn entry(&self, ref_code: &str, name: &str) -> i64 {
        self.conn()
            .query_row(
                "SELECT e.id FROM entries e JOIN documents d ON d.id = e.document_id
                 WHERE d.ref_code = ?1 AND e.name = ?2 AND e.superseded_at IS NULL",
                [ref_code, name],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn timeline(&self, request: PersonRequest) -> Result<PersonTimeline> {
        person_timeline(self.conn(), &StoreScan(self.conn()), &request, true)
    }

    fn of_entry(&self, ref_code: &str, name: &str) -> PersonTimeline {
        self.timeline(PersonRequest {
            entry_id: Some(self.entry(ref_code, name)),
            ..PersonRequest::default()
        })
        .unwrap()
    }

    fn decide(&self, ref_code: &str, name: &str, action: &str) -> Result<()> {
        record_decision(
            self.conn(),
            &PersonDecision {
                entry_id: self.entry(ref_code, name),
                person_entry_id: self.entry("J001-ZG-1975-001", "刘建国"),
                action: action.to_string(),
            },
        )
    }
}

/// (档号, kind, join, confidence) of each event.
fn summary(events: &[TimelineEvent]) -> Vec<(&str, &str, &str, &str)> {
    events
        .iter()
        .map(|e| {
            (
                e.ref_code.as_str(),
                e.kind.as_str(),
                e.join.as_str(),
                e.confidence.as_str(),
            )
        })
        .collect()
}

fn event<'t>(t: &'t PersonTimeline, ref_code: &str) -> &'t TimelineEvent {
    t.events.iter().find(|e| e.ref_code == ref_code).unwrap()
}

fn by_id_number(number: &str) -> PersonRequest {
    PersonRequest {
        id_number: Some(number.to_string()),
        ..PersonRequest::default()
    }
}

fn by_name(name: &str, birth: Option<&str>) -> PersonRequest {
    PersonRequest {
        name: Some(name.to_string()),
        birth: birth.map(str::to_string),
        ..PersonRequest::default()
    }
}

const WHOLE_LIFE: [(&str, &str, &str, &str); 6] = [
    ("J001-ZG-1975-001", "hired", "id_number", "high"),
    ("J001-GZ-1985-010", "wage_adjustment", "id_number", "high"),
    (
        "J001-GZ-1985-031",
        "wage_adjustment",
        "name_birth",
        "medium",
    ),
    ("J001-GZ-1993-021", "wage_adjustment", "id_number", "high"),
    ("J001-TX-2008-005", "retirement", "name_birth", "medium"),
    ("J001-DJ-0007", "record", "id_number", "high"),
];

#[test]
fn joins_both_id_forms_and_the_retirement_by_birth_month() {
    let a = Archive::new();
    let t = a.of_entry("J001-ZG-1975-001", "刘建国");

    assert_eq!(t.name, "刘建国");
    assert_eq!(t.gender.as_deref(), Some("男"));
    assert_eq!(t.birth.as_deref(), Some("1948年6月"));
    assert_eq!(t.id_masked.as_deref(), Some("430726************"));
    // In date order, the undated registration form last; the namesake with another ID
    // (县化肥厂) and 刘剑国 are not his.
    assert_eq!(summary(&t.events), WHOLE_LIFE);

    let hired = event(&t, "J001-ZG-1975-001");
    assert_eq!(hired.date.as_deref(), Some("1975年4月"));
    assert_eq!(hired.date_key.as_deref(), Some("1975-04"));
    assert_eq!(hired.work_start.as_deref(), Some("1975年3月"));
    assert_eq!(hired.unit.as_deref(), Some("县第二水泥厂"));
    assert_eq!(hired.page.as_deref(), Some("3"));
    assert_eq!(hired.access, "open");
    let wage = event(&t, "J001-GZ-1985-010");
    assert_eq!(
        (wage.wage_before.as_deref(), wage.wage_after.as_deref()),
        (Some("42.5"), Some("49.5"))
    );
    let retired = event(&t, "J001-TX-2008-005");
    assert_eq!(retired.retirement.as_deref(), Some("2008年6月"));
    assert_eq!(retired.date_key.as_deref(), Some("2008-05-20"));
    let undated = event(&t, "J001-DJ-0007");
    assert_eq!(
        (undated.date.as_deref(), undated.date_key.as_deref()),
        (None, None)
    );

    // The namesake of 1975 with neither ID nor birth is shown, not joined.
    assert_eq!(
        summary(&t.possible_matches),
        [("J001-ZG-1975-002", "hired", "name_only", "low")]
    );
    assert_eq!(t.possible_matches[0].unit.as_deref(), Some("县农机厂"));

    let s = t.service.unwrap();
    assert_eq!((s.from.as_str(), s.to.as_str()), ("1975-03", "2008-06"));
    assert_eq!((s.years, s.months), (33, 3));
    assert_eq!(s.label, "参考");
    assert_eq!(
        s.basis,
        "参加工作 1975-03（招工录用 档号 J001-ZG-1975-001）至 退休 2008-06（退休审批 档号 J001-TX-2008-005）"
    );
}

#[test]
fn every_way_of_asking_finds_the_same_person() {
    let a = Archive::new();
    let requests = [
        by_id_number(ID15),
        by_id_number(ID18),
        // Lowercase x, full-width digits and spaces as typed at the counter.
        by_id_number("４３０７２６ 19480615 101x"),
        // Traditional characters; one ID holder has this name and birth month.
        by_name("劉建國", Some("1948.06")),
        by_name("刘建国", Some("一九四八年六月")),
    ];
    for request in requests {
        let t = a.timeline(request.clone()).unwrap();
        assert_eq!(summary(&t.events), WHOLE_LIFE, "{request:?}");
        assert_eq!(t.name, "刘建国", "{request:?}");
        assert_eq!(t.birth.as_deref(), Some("1948年6月"), "{request:?}");
        assert_eq!(
            t.id_masked.as_deref(),
            Some("430726************"),
            "{request:?}"
        );
        assert_eq!(t.possible_matches.len(), 1, "{request:?}");
    }
}

#[test]
fn the_namesake_with_another_id_has_his_own_timeline() {
    let a = Archive::new();
    let t = a.timeline(by_id_number("330102196001011230")).unwrap();
    assert_eq!(
        summary(&t.events),
        [("J001-GZ-1993-021", "wage_adjustment", "id_number", "high")]
    );
    assert_eq!(t.events[0].unit.as_deref(), Some("县化肥厂"));
    assert_eq!(t.birth.as_deref(), Some("1960年1月"));
    // Born in another month than every 刘建国 record without an ID: only the one without a
    // birth may be him.
    assert_eq!(
        summary(&t.possible_matches),
        [("J001-ZG-1975-002", "hired", "name_only", "low")]
    );
    assert!(t.service.is_none(), "no start of work is known");
}

#[test]
fn a_record_without_id_ties_to_the_one_id_holder_by_name_and_birth() {
    let a = Archive::new();
    let t = a.of_entry("J001-TX-2008-005", "刘建国");
    assert_eq!(t.name, "刘建国");
    assert_eq!(t.birth.as_deref(), Some("1948年6月"));
    assert_eq!(t.id_masked, None, "the retirement record carries no ID");
    assert_eq!(
        summary(&t.events),
        [
            ("J001-ZG-1975-001", "hired", "name_birth", "medium"),
            (
                "J001-GZ-1985-010",
                "wage_adjustment",
                "name_birth",
                "medium"
            ),
            (
                "J001-GZ-1985-031",
                "wage_adjustment",
                "name_birth",
                "medium"
            ),
            (
                "J001-GZ-1993-021",
                "wage_adjustment",
                "name_birth",
                "medium"
            ),
            ("J001-TX-2008-005", "retirement", "name_birth", "medium"),
            ("J001-DJ-0007", "record", "name_birth", "medium"),
        ]
    );
    assert_eq!(
        event(&t, "J001-GZ-1993-021").unit.as_deref(),
        Some("县第二水泥厂")
    );
    assert_eq!(
        summary(&t.possible_matches),
        [("J001-ZG-1975-002", "hired", "name_only", "low")]
    );
    assert_eq!(t.service.unwrap().years, 33);
}

#[test]
fn a_record_with_neither_id_nor_birth_stands_alone() {
    let a = Archive::new();
    let t = a.of_entry("J001-ZG-1975-002", "刘建国");
    // Every other 刘建国 may be him; none is joined.
    assert_eq!(
        summary(&t.events),
        [("J001-ZG-1975-002", "hired", "name_only", "low")]
    );
    assert_eq!(t.possible_matches.len(), 7);
    // One record spans no time, but the rule still says where the count would start.
    let s = t.service.unwrap();
    assert_eq!(
        (s.from.as_str(), s.to.as_str(), s.years, s.months),
        ("1975-09", "1975-09", 0, 0)
    );
}

#[test]
fn requests_that_cannot_be_answered() {
    let a = Archive::new();
    let fails = |request: PersonRequest| a.timeline(request).unwrap_err();

    let e = fails(PersonRequest::default());
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert_eq!(e.message, "请指定要查看的条目、身份证号，或姓名加出生年月");

    let e = fails(by_id_number("430726194806151011"));
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert_eq!(
        e.message, "身份证号「430726************」无法使用：校验位不符（GB 11643-1999）",
        "masked: the message may reach a log"
    );

    let e = fails(by_name("刘建国", None));
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(
        e.message.starts_with("按姓名查找须同时给出出生年月"),
        "{}",
        e.message
    );

    let e = fails(by_name("刘建国", Some("1948")));
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert_eq!(e.message, "出生年月「1948」只有年份，须精确到月");

    let e = fails(by_name("刘建国", Some("六月")));
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(e.message.starts_with("出生年月："), "{}", e.message);

    let e = fails(by_name("张瑞", Some("1950-01")));
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(e.message, "没有姓名为「张瑞」、出生年月为 1950-01 的记录");

    let e = fails(by_id_number("330102194806114561"));
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(e.message, "没有身份证号为 330102************ 的记录");

    let e = fails(PersonRequest {
        entry_id: Some(999_999),
        ..PersonRequest::default()
    });
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(e.message, "没有编号为 999999 的条目");
}

#[test]
fn no_record_of_that_birth_month_leaves_only_the_possible_matches() {
    let a = Archive::new();
    let t = a.timeline(by_name("刘建国", Some("1950-01"))).unwrap();
    assert_eq!(t.name, "刘建国");
    assert!(t.events.is_empty());
    assert_eq!(
        summary(&t.possible_matches),
        [("J001-ZG-1975-002", "hired", "name_only", "low")]
    );
    assert!(t.service.is_none());
}

#[test]
fn split_and_add_survive_a_reimport() {
    let mut a = Archive::new();
    // The 县供销社 刘建国 is another man; 刘剑国 of 1993 is a clerk's homophone for 刘建国.
    a.decide("J001-GZ-1985-031", "刘建国", "split").unwrap();
    a.decide("J001-GZ-1993-021", "刘剑国", "add").unwrap();
    let stored: Vec<(String, String, String)> = a
        .conn()
        .prepare("SELECT entry_key, person_key, action FROM person_decisions ORDER BY action")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        stored,
        [
            (
                "J001-GZ-1993-021/nb:刘剑国|1948-06".to_string(),
                format!("id:{ID18}"),
                "add".to_string()
            ),
            (
                "J001-GZ-1985-031/nb:刘建国|1948-06".to_string(),
                format!("id:{ID18}"),
                "split".to_string()
            ),
        ]
    );

    let expected = [
        ("J001-ZG-1975-001", "hired", "id_number", "high"),
        ("J001-GZ-1985-010", "wage_adjustment", "id_number", "high"),
        ("J001-GZ-1993-021", "wage_adjustment", "id_number", "high"),
        ("J001-GZ-1993-021", "wage_adjustment", "added", "confirmed"),
        ("J001-TX-2008-005", "retirement", "name_birth", "medium"),
        ("J001-DJ-0007", "record", "id_number", "high"),
    ];
    let t = a.of_entry("J001-ZG-1975-001", "刘建国");
    assert_eq!(summary(&t.events), expected);
    assert_eq!(t.events[3].name, "刘剑国");

    // A corrected wage table replaces the earlier delivery of the same file.
    a.import("工资调整.csv", &wages("120.5"));
    let replaced: i64 = a
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM import_batches WHERE status = 'replaced'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(replaced, 1);
    let t = a.of_entry("J001-ZG-1975-001", "刘建国");
    assert_eq!(summary(&t.events), expected);
    assert_eq!(t.events[2].wage_after.as_deref(), Some("120.5"));
    assert_eq!(t.events[3].name, "刘剑国");
    // Asked by ID the person has the same key, so the same decisions.
    let t = a.timeline(by_id_number(ID15)).unwrap();
    assert_eq!(summary(&t.events), expected);
}

#[test]
fn a_later_decision_replaces_the_earlier_one() {
    let a = Archive::new();
    a.decide("J001-GZ-1985-031", "刘建国", "split").unwrap();
    a.decide("J001-GZ-1985-031", "刘建国", "confirm").unwrap();
    let (count, action, decided_at, decided_by): (i64, String, String, String) = a
        .conn()
        .query_row(
            "SELECT COUNT(*), MAX(action), MAX(decided_at), MAX(decided_by) FROM person_decisions",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((count, action.as_str()), (1, "confirm"));
    assert_eq!(decided_at.len(), "2024-01-01 12:00:00".len());
    assert_eq!(decided_by, "local");
    let t = a.of_entry("J001-ZG-1975-001", "刘建国");
    let confirmed = event(&t, "J001-GZ-1985-031");
    assert_eq!(
        (confirmed.join.as_str(), confirmed.confidence.as_str()),
        ("confirmed", "confirmed")
    );
    // Confirming a possible match joins it.
    a.decide("J001-ZG-1975-002", "刘建国", "confirm").unwrap();
    let t = a.of_entry("J001-ZG-1975-001", "刘建国");
    assert_eq!(t.events.len(), 7);
    assert_eq!(event(&t, "J001-ZG-1975-002").join, "confirmed");
    assert!(t.possible_matches.is_empty());
}

#[test]
fn decisions_that_cannot_be_recorded() {
    let a = Archive::new();
    let e = a.decide("J001-GZ-1985-031", "刘建国", "merge").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(
        e.message.starts_with("不认识的操作「merge」"),
        "{}",
        e.message
    );
    let e = a.decide("J001-ZG-1975-001", "刘建国", "split").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    let e = record_decision(
        a.conn(),
        &PersonDecision {
            entry_id: 999_999,
            person_entry_id: a.entry("J001-ZG-1975-001", "刘建国"),
            action: "add".to_string(),
        },
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let count: i64 = a
        .conn()
        .query_row("SELECT COUNT(*) FROM person_decisions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn two_id_holders_of_one_name_and_month_leave_the_record_without_id_open() {
    let mut a = Archive::new();
    a.import(
        "1990年工资调整.csv",
        "\
档号,类别,题名,日期,姓名,出生年月,身份证号,工作单位
J002-GZ-1990-001,工资调整,1990年工资调整审批表,1990年7月,王磊,1960年1月,430726196001012345,县磷肥厂
J002-GZ-1990-002,工资调整,1990年工资调整审批表,1990年7月,王磊,1960年1月,430726196001015677,县砖厂
J002-GZ-1990-003,工资调整,1990年工资调整审批表,1990年7月,王磊,1960年1月,,县砖厂
",
    );
    let t = a.timeline(by_id_number("430726196001012345")).unwrap();
    assert_eq!(
        summary(&t.events),
        [("J002-GZ-1990-001", "wage_adjustment", "id_number", "high")]
    );
    assert_eq!(
        summary(&t.possible_matches),
        [("J002-GZ-1990-003", "wage_adjustment", "name_birth", "low")]
    );

    let t = a.of_entry("J002-GZ-1990-003", "王磊");
    assert_eq!(
        summary(&t.events),
        [(
            "J002-GZ-1990-003",
            "wage_adjustment",
            "name_birth",
            "medium"
        )]
    );
    assert_eq!(
        summary(&t.possible_matches),
        [
            ("J002-GZ-1990-001", "wage_adjustment", "name_birth", "low"),
            ("J002-GZ-1990-002", "wage_adjustment", "name_birth", "low"),
        ]
    );
    // Asked by name and birth, no ID holder stands for the person: the record without an ID does.
    let t = a.timeline(by_name("王磊", Some("1960-01"))).unwrap();
    assert_eq!(t.events.len(), 1);
    assert_eq!(t.events[0].ref_code, "J002-GZ-1990-003");
    assert_eq!(t.id_masked, None);
}

#[test]
fn replaced_records_are_not_the_persons() {
    let mut a = Archive::new();
    let old = a.entry("J001-TX-2008-005", "刘建国");
    // The retirement catalogue delivered again without him (another man's approval).
    a.import(
        "退休审批.csv",
        "\
档号,类别,题名,日期,姓名,性别,出生年月,工作单位,退休时间,页号
J001-TX-2008-005,退休审批,关于刘建国同志退休的批复,2008年5月20日,刘建国,男,1948年6月,县第二水泥厂,2008年6月,1
J001-TX-2008-006,退休审批,关于张瑞同志退休的批复,2008年7月1日,张瑞,男,1948年7月,县电机厂,2008年7月,1
",
    );
    a.import(
        "退休审批.csv",
        "\
档号,类别,题名,日期,姓名,性别,出生年月,工作单位,退休时间,页号
J001-TX-2008-006,退休审批,关于张瑞同志退休的批复,2008年7月1日,张瑞,男,1948年7月,县电机厂,2008年7月,1
",
    );
    let t = a.timeline(by_id_number(ID18)).unwrap();
    assert!(t.events.iter().all(|e| e.ref_code != "J001-TX-2008-005"));
    let s = t.service.unwrap();
    assert_eq!(s.to, "1993-10", "the last record now ends the count");
    assert_eq!(
        s.basis,
        "参加工作 1975-03（招工录用 档号 J001-ZG-1975-001）至 最后一条记录 1993-10（工资调整 档号 J001-GZ-1993-021）"
    );
    let e = a
        .timeline(PersonRequest {
            entry_id: Some(old),
            ..PersonRequest::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(
        e.message,
        format!("条目 {old} 已被后来导入的目录取代，请重新查询")
    );
}
