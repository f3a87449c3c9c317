//! Accounts and logins at the engine: passwords a guesser would try first are refused, the
//! password is checked without holding the archive (a guesser never slows another clerk down),
//! and the logins a door keeps end when the account changes.

mod common;

use archivedesk::api::{ClerkChange, LoginRequest, NewClerk, PasswordChange, Role};
use archivedesk::session::Session;
use archivedesk::{Archive, ErrorCode};
use std::time::{Duration, Instant};

fn new_clerk(login: &str, password: &str) -> NewClerk {
    NewClerk {
        login: login.into(),
        display_name: "张丽".into(),
        role: Role::Clerk,
        password: password.into(),
    }
}

fn archive_with_supervisor(dir: &std::path::Path) -> Archive {
    let mut archive = Archive::open(&dir.join("data")).unwrap();
    archive
        .create_clerk(&new_clerk("wangzhu", "主管的密码-城关区"))
        .unwrap();
    let supervisor = archive
        .login(&LoginRequest {
            login: "wangzhu".into(),
            password: "主管的密码-城关区".into(),
        })
        .unwrap();
    archive.act_as(supervisor);
    archive
}

#[test]
fn blank_common_and_simple_passwords_are_refused_everywhere_a_password_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive_with_supervisor(dir.path());
    for weak in [
        "        ",
        "12345678",
        "password",
        "woaini1314",
        "zhangli2026",
    ] {
        let refused = archive
            .create_clerk(&new_clerk("zhangli", weak))
            .unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidRequest, "{weak:?}");
    }
    let zhang = archive
        .create_clerk(&new_clerk("zhangli", "档案查询台-柜台3号"))
        .unwrap();
    let reset = archive
        .change_clerk(&ClerkChange {
            clerk_id: zhang.id,
            reset_password: Some("88888888".into()),
            ..ClerkChange::default()
        })
        .unwrap_err();
    assert_eq!(reset.code, ErrorCode::InvalidRequest);
    let clerk = archive
        .login(&LoginRequest {
            login: "zhangli".into(),
            password: "档案查询台-柜台3号".into(),
        })
        .unwrap();
    archive.act_as(clerk);
    let own = archive
        .change_own_password(&PasswordChange {
            current_password: "档案查询台-柜台3号".into(),
            new_password: "qwertyuiop".into(),
        })
        .unwrap_err();
    assert_eq!(own.code, ErrorCode::InvalidRequest);
}

#[test]
fn the_only_supervisor_cannot_be_disabled_or_demoted() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive_with_supervisor(dir.path());
    let me = archive.clerks().unwrap()[0].id;
    for change in [
        ClerkChange {
            clerk_id: me,
            disabled: Some(true),
            ..ClerkChange::default()
        },
        ClerkChange {
            clerk_id: me,
            role: Some(Role::Clerk),
            ..ClerkChange::default()
        },
    ] {
        let refused = archive.change_clerk(&change).unwrap_err();
        assert!(refused.message.contains("唯一"), "{}", refused.message);
    }
}

/// argon2id is slow on purpose; checking it while holding the archive would stall every other
/// clerk's search behind each guess.
#[test]
fn the_password_is_checked_without_holding_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_supervisor(dir.path());
    let session = std::sync::Arc::new(Session::new(archive, dir.path().join("demo")));
    // How long one check takes here.
    let started = Instant::now();
    assert!(session
        .login(
            &LoginRequest {
                login: "wangzhu".into(),
                password: "wrong-password-1".into(),
            },
            "127.0.0.2",
        )
        .is_err());
    let one_check = started.elapsed();
    let guesser = std::sync::Arc::clone(&session);
    let guessing = std::thread::spawn(move || {
        for n in 0..3 {
            let _ = guesser.login(
                &LoginRequest {
                    login: format!("nobody{n}"),
                    password: "guess".into(),
                },
                "127.0.0.3",
            );
        }
    });
    // Meanwhile another clerk's requests get the archive at once, again and again.
    let mut longest = Duration::ZERO;
    while !guessing.is_finished() {
        let asked = Instant::now();
        session.with_archive(|a| a.stats()).unwrap();
        longest = longest.max(asked.elapsed());
        std::thread::sleep(Duration::from_millis(5));
    }
    guessing.join().unwrap();
    assert!(
        longest < one_check / 2,
        "waited {longest:?} for the archive; one password check takes {one_check:?}"
    );
}

#[test]
fn logins_a_door_keeps_end_when_the_account_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive_with_supervisor(dir.path());
    let zhang = archive
        .create_clerk(&new_clerk("zhangli", "档案查询台-柜台3号"))
        .unwrap();
    let supervisor = archive.caller().clone();
    let session = Session::new(archive, dir.path().join("demo"));
    let (_, token) = session
        .login(
            &LoginRequest {
                login: "zhangli".into(),
                password: "档案查询台-柜台3号".into(),
            },
            "本机",
        )
        .unwrap();
    assert!(session.at_desk(&token).is_ok());
    session
        .with_archive(|a| {
            a.act_as(supervisor.clone());
            a.change_clerk(&ClerkChange {
                clerk_id: zhang.id,
                reset_password: Some("临时密码-请尽快修改".into()),
                ..ClerkChange::default()
            })
        })
        .unwrap();
    let ended = session.at_desk(&token).unwrap_err();
    assert_eq!(ended.code, ErrorCode::Unauthorized);
    let (_, token) = session
        .login(
            &LoginRequest {
                login: "zhangli".into(),
                password: "临时密码-请尽快修改".into(),
            },
            "本机",
        )
        .unwrap();
    assert!(session.at_desk(&token).unwrap().must_change_password);
    let token = session
        .change_password(
            &token,
            &PasswordChange {
                current_password: "临时密码-请尽快修改".into(),
                new_password: "新的柜台密码-2026".into(),
            },
            "本机",
            None,
        )
        .unwrap();
    assert!(!session.at_desk(&token).unwrap().must_change_password);
}

/// Guesses sent side by side are counted before their passwords are checked, so they cannot all
/// slip in before the first failure counts.
#[test]
fn guesses_sent_side_by_side_are_slowed_like_guesses_in_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let archive = archive_with_supervisor(dir.path());
    let session = std::sync::Arc::new(Session::new(archive, dir.path().join("demo")));
    let guesses: Vec<_> = (0..16)
        .map(|n| {
            let session = std::sync::Arc::clone(&session);
            std::thread::spawn(move || {
                session
                    .login(
                        &LoginRequest {
                            login: "wangzhu".into(),
                            password: format!("guess-{n}"),
                        },
                        "127.0.0.9",
                    )
                    .unwrap_err()
                    .code
            })
        })
        .collect();
    let codes: Vec<ErrorCode> = guesses.into_iter().map(|g| g.join().unwrap()).collect();
    let checked = codes
        .iter()
        .filter(|c| **c == ErrorCode::Unauthorized)
        .count();
    assert!(
        checked <= 6,
        "{checked} of 16 guesses sent together were checked: {codes:?}"
    );
}
