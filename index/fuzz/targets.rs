//! The fuzz targets' bodies, shared by `cargo fuzz` (`fuzz_targets/`) and by the replay of their
//! corpora on stable Rust (`index/tests/fuzz_corpora.rs`): each takes any bytes and must come back
//! without a panic, whatever the bytes hold. They go through the doors a vendor's file, a clerk's
//! query and a caller of the operations really use, on a scratch archive of their own.

use archivedesk::api::{ImportRequest, LoginRequest, NewClerk, Role, SearchRequest};
use archivedesk::ops::DoorLogin;
use archivedesk::session::Session;
use archivedesk::Archive;
use std::sync::{Mutex, OnceLock};

struct Scratch {
    dir: tempfile::TempDir,
    session: Session,
    door: Mutex<DoorLogin>,
}

const LOGIN: &str = "fuzz";
const PASSWORD: &str = "模糊测试-密码-2026";

/// One scratch archive per process: a small catalogue imported (so that queries and operations
/// meet records) and a supervisor logged in at the door (so that operations go past the login).
fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a scratch folder");
        let csv = dir.path().join("工资.csv");
        std::fs::write(
            &csv,
            "档号,题名,文号,成文日期,姓名,性别,出生年月,身份证号码,工作单位,原工资,调整后工资\n\
             J012-WS·1998-Y-0034,城关镇1998年工资调整表,甘劳人薪〔1998〕45号,1998年7月,刘建国,男,1956.03,620102195603150013,红星机械厂,312.50,356.00\n\
             J012-WS·1998-Y-0034,城关镇1998年工资调整表,甘劳人薪〔1998〕45号,1998年7月,王磊,男,1960.01,,红星机械厂,298.00,340.00\n",
        )
        .expect("the catalogue is written");
        let mut archive = Archive::open(&dir.path().join("data")).expect("a scratch archive");
        archive
            .import(
                &ImportRequest {
                    paths: vec![csv],
                    ..ImportRequest::default()
                },
                &mut |_| {},
            )
            .expect("the catalogue is imported");
        archive
            .create_clerk(&NewClerk {
                login: LOGIN.into(),
                display_name: "模糊测试".into(),
                role: Role::Supervisor,
                password: PASSWORD.into(),
            })
            .expect("the first clerk");
        let session = Session::new(archive, dir.path().join("demo"));
        let mut door = DoorLogin {
            token: None,
            address: "127.0.0.1".into(),
            desk: None,
            retry_key: None,
        };
        let login = serde_json::to_vec(&LoginRequest {
            login: LOGIN.into(),
            password: PASSWORD.into(),
        })
        .expect("serializes");
        archivedesk::ops::call(&session, &mut door, "login", &login).expect("logged in");
        Scratch {
            dir,
            session,
            door: Mutex::new(door),
        }
    })
}

/// A catalogue file of the kind `extension` names (csv, jsonl, xlsx), imported as a dry run.
pub fn catalogue(extension: &str, data: &[u8]) {
    let scratch = scratch();
    let path = scratch.dir.path().join(format!("来稿.{extension}"));
    std::fs::write(&path, data).expect("the input is written");
    let request = ImportRequest {
        paths: vec![path],
        dry_run: true,
        ..ImportRequest::default()
    };
    let _ = scratch
        .session
        .with_archive(|archive| archive.import(&request, &mut |_| {}));
}

/// A query as a clerk types it (or pastes it).
pub fn query(data: &[u8]) {
    let request = SearchRequest {
        query: String::from_utf8_lossy(data).into_owned(),
        ..SearchRequest::default()
    };
    let _ = scratch()
        .session
        .with_archive(|archive| archive.search(&request));
}

/// The parsers of what clerks type and catalogues hold: ID numbers, dates, 文号, 档号, names,
/// page numbers, pinyin.
pub fn codes(data: &[u8]) {
    use archivedesk::text::*;
    let text = String::from_utf8_lossy(data);
    let _ = parse_id_number(&text);
    let _ = parse_date(&text);
    let _ = codes::doc_number_keys(&text);
    let _ = ref_code_key(&text);
    let _ = pages_named(&text);
    let _ = normalize_text(&text);
    let _ = name_pinyin(&normalize_name(&text));
    let _ = is_pinyin_query(&text);
}

/// Operations left out: building the demo archive takes minutes, and settings and backups would
/// have the fuzzer make folders wherever the bytes say.
const NOT_FUZZED: &[&str] = &["open_demo", "set_desk_settings", "backup_now"];

/// An operation of the doors by name (the first line) with its JSON body (the rest), for the
/// supervisor logged in.
pub fn operation(data: &[u8]) {
    let (op, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let op = String::from_utf8_lossy(op);
    if NOT_FUZZED.contains(&op.as_ref()) {
        return;
    }
    let scratch = scratch();
    let mut door = scratch.door.lock().unwrap_or_else(|e| e.into_inner());
    // Each input starts from the same login, whatever the one before did with it.
    let kept = door.clone();
    let _ = archivedesk::ops::call(&scratch.session, &mut door, &op, body);
    *door = kept;
}
