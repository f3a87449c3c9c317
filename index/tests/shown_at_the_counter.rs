//! The counter's screens show one form of what the records write many ways — dates as 1952.02,
//! 档号 with one separator style, names without padding spaces — through the operations the
//! desktop app and the browser door call, with the original kept beside each changed value; the
//! store, and so the command line's JSON and a certificate's transcription, keep what was written.

mod common;

use archivedesk::api::{NewClerk, Role};
use archivedesk::ops::{call, DoorLogin};
use archivedesk::session::Session;
use archivedesk::Archive;
use common::*;
use serde_json::{json, Value};

fn op(session: &Session, door: &mut DoorLogin, name: &str, body: Value) -> Value {
    call(session, door, name, body.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{name}: {}", e.message))
}

fn original<'a>(value: &'a Value, field: &str) -> Option<&'a str> {
    value["originals"]
        .as_array()?
        .iter()
        .find(|pair| pair[0] == field)
        .and_then(|pair| pair[1].as_str())
}

#[test]
fn dates_ref_codes_and_names_show_one_way_with_the_original_kept() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("目录.csv");
    write_utf8_csv(
        &csv,
        &[
            "档号,题名,类别,成文日期,开放标识,姓名,出生年月,参加工作时间,工作单位",
            "j012-ls・1997-c-0003,1997年招工审批表,招工录用,1997/5/25,开放,罗　志,52.2,一九七〇年一月,红星机械厂",
        ],
        true,
    );
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&csv]);
    archive
        .create_clerk(&NewClerk {
            login: "li".into(),
            display_name: "李梅".into(),
            role: Role::Supervisor,
            password: "chaxun-2026".into(),
        })
        .unwrap();
    let session = Session::new(archive, dir.path().join("demo"));
    let mut door = DoorLogin {
        token: None,
        address: "127.0.0.1".into(),
        desk: None,
        retry_key: None,
    };
    op(
        &session,
        &mut door,
        "login",
        json!({ "login": "li", "password": "chaxun-2026" }),
    );

    let found = op(&session, &mut door, "search", json!({ "query": "罗志" }));
    let hit = &found["hits"][0];
    assert_eq!(hit["ref_code"], "J012-LS·1997-C-0003");
    assert_eq!(hit["name"], "罗志");
    assert_eq!(hit["birth"], "1952.02");
    assert_eq!(original(hit, "name"), Some("罗　志"));
    assert_eq!(original(hit, "birth"), Some("52.2"));
    assert_eq!(original(hit, "ref_code"), Some("j012-ls・1997-c-0003"));

    let record = op(
        &session,
        &mut door,
        "document",
        json!({ "document_id": hit["document_id"] }),
    );
    assert_eq!(record["ref_code"], "J012-LS·1997-C-0003");
    assert_eq!(record["date"], "1997.05.25");
    assert_eq!(original(&record, "date"), Some("1997/5/25"));
    let row = &record["entries"][0];
    assert_eq!(
        (row["name"].as_str(), row["birth"].as_str()),
        (Some("罗志"), Some("1952.02"))
    );
    assert_eq!(row["work_start"], "1970.01");
    assert_eq!(original(row, "work_start"), Some("一九七〇年一月"));

    let timeline = op(
        &session,
        &mut door,
        "person",
        json!({ "entry_id": row["id"] }),
    );
    assert_eq!(timeline["name"], "罗志");
    assert_eq!(timeline["events"][0]["ref_code"], "J012-LS·1997-C-0003");

    // What the record wrote is kept where it is the record's own words, after all the above.
    let raw = session
        .with_archive(|archive| archive.show("J012-LS-1997-C-0003"))
        .unwrap();
    assert_eq!(raw.ref_code, "j012-ls・1997-c-0003");
    assert_eq!(raw.entries[0].name, "罗　志");
    assert_eq!(raw.entries[0].birth.as_deref(), Some("52.2"));
    assert!(raw.entries[0].originals.is_empty());
}
