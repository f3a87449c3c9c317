//! Accounts and logins: the first account is the supervisor, logins and failed logins are
//! recorded (without what was typed under an unknown name), and a wrong current password counts
//! as a failed login.

mod common;

use archivedesk::api::{LoginRequest, NewClerk, Role};
use archivedesk::{Archive, ErrorCode};
use common::counter::*;

#[test]
fn the_first_account_is_the_supervisor_and_logins_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    assert!(archive.needs_first_clerk().unwrap());
    let first = archive
        .create_clerk(&NewClerk {
            login: "wangzhu".into(),
            display_name: "王主任".into(),
            role: Role::Clerk,
            password: "chaxun-2026".into(),
        })
        .unwrap();
    assert_eq!(first.role, Role::Supervisor, "first run creates the admin");
    assert!(!archive.needs_first_clerk().unwrap());

    let clerk_caller = clerk("somebody", Role::Clerk);
    archive.act_as(clerk_caller);
    let new = NewClerk {
        login: "zhangli".into(),
        display_name: "张丽".into(),
        role: Role::Clerk,
        password: "chuangkou-1".into(),
    };
    assert_eq!(
        archive.create_clerk(&new).unwrap_err().code,
        ErrorCode::Forbidden
    );
    let supervisor = archive
        .login(&LoginRequest {
            login: "wangzhu".into(),
            password: "chaxun-2026".into(),
        })
        .unwrap();
    assert_eq!(supervisor.role, Role::Supervisor);
    archive.act_as(supervisor);
    archive.create_clerk(&new).unwrap();
    let short = NewClerk {
        login: "li".into(),
        password: "short".into(),
        ..new.clone()
    };
    assert!(archive
        .create_clerk(&short)
        .unwrap_err()
        .message
        .contains("密码"));

    let wrong = archive
        .login(&LoginRequest {
            login: "zhangli".into(),
            password: "wrong-password".into(),
        })
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::Unauthorized);
    let nobody = archive
        .login(&LoginRequest {
            login: "nobody".into(),
            password: "chuangkou-1".into(),
        })
        .unwrap_err();
    assert_eq!(nobody.message, wrong.message, "no hint which logins exist");
    let zhang = archive
        .login(&LoginRequest {
            login: "zhangli".into(),
            password: "chuangkou-1".into(),
        })
        .unwrap();
    assert_eq!(
        (zhang.role, zhang.display_name.as_str()),
        (Role::Clerk, "张丽")
    );
    let actions = audit_actions(&mut archive);
    assert_eq!(actions.iter().filter(|a| *a == "login_failed").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "login").count(), 2);
    let stored: String = rusqlite::Connection::open(archive.database_path())
        .unwrap()
        .query_row(
            "SELECT password_hash FROM clerks WHERE login = 'zhangli'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains("chuangkou-1"));
}

#[test]
fn a_failed_login_under_an_unknown_name_does_not_keep_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    archive
        .create_clerk(&NewClerk {
            login: "wangzhu".into(),
            display_name: "王主任".into(),
            role: Role::Supervisor,
            password: "chaxun-2026".into(),
        })
        .unwrap();
    let typed_password = "my-secret-password";
    assert!(archive
        .login(&LoginRequest {
            login: typed_password.into(),
            password: "x".into(),
        })
        .is_err());
    archive.chain_looks().unwrap();
    let conn = open_raw(&archive);
    let trail: String = conn
        .query_row(
            "SELECT group_concat(actor || detail, ' ') FROM audit_log",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!trail.contains(typed_password), "{trail}");
    assert!(trail.contains("未知账号"));
}

#[test]
fn a_wrong_current_password_counts_as_a_failed_login() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    archive
        .create_clerk(&NewClerk {
            login: "wangzhu".into(),
            display_name: "王主任".into(),
            role: Role::Supervisor,
            password: "chaxun-2026".into(),
        })
        .unwrap();
    let me = archive
        .login(&LoginRequest {
            login: "wangzhu".into(),
            password: "chaxun-2026".into(),
        })
        .unwrap();
    archive.act_as(me);
    let mut outcomes = Vec::new();
    for n in 0..6 {
        let refused = archive
            .change_own_password(&archivedesk::api::PasswordChange {
                current_password: format!("guess-{n}"),
                new_password: "新的柜台密码-2026".into(),
            })
            .unwrap_err();
        outcomes.push(refused.code);
    }
    assert!(outcomes.contains(&ErrorCode::Throttled), "{outcomes:?}");
    let actions = audit_actions(&mut archive);
    assert!(
        actions
            .iter()
            .filter(|a| *a == "password_change_failed")
            .count()
            >= 4
    );
}
