//! Who is logged in at a door that stays open (the desktop app, the HTTP door): a login is a
//! random token the door keeps (in memory, or in a cookie), and every request names the clerk
//! through it anew. A login ends on logout, after `idle` without a request, after `MAX_AGE` in
//! any case, and as soon as the account changes (disabled, role changed, password reset or
//! changed: the account's epoch moves on), so that no door acts for a clerk who may no longer.

use crate::api::Caller;
use crate::clerks::{self, Account};
use crate::error::{Error, ErrorCode, Result};
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// No login lasts longer than a working day, however busy.
pub const MAX_AGE: Duration = Duration::from_secs(12 * 60 * 60);
/// Minutes without a request after which a login ends, unless 设置 says otherwise.
pub const DEFAULT_IDLE_MINUTES: i64 = 30;
/// The meta key of the idle minutes set in 设置.
pub const IDLE_KEY: &str = "login_idle_minutes";

struct Login {
    clerk_id: i64,
    epoch: i64,
    started: Instant,
    last_seen: Instant,
    /// The same by the wall clock: a PC that slept may not count the time asleep on the
    /// monotonic clock, and a login must not outlive a night on a suspended counter PC.
    started_wall: SystemTime,
    last_seen_wall: SystemTime,
}

/// The clerk a login names, as the account is now.
#[derive(Debug, Clone)]
pub struct AtDesk {
    pub caller: Caller,
    pub must_change_password: bool,
}

#[derive(Default)]
pub struct Logins {
    by_token: Mutex<HashMap<String, Login>>,
}

fn ended(why: &str) -> Error {
    Error::new(ErrorCode::Unauthorized, format!("{why}，请重新登录"))
}

pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl Logins {
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Login>> {
        self.by_token.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new login for `account`: its token.
    pub fn start(&self, account: &Account) -> String {
        let token = new_token();
        let now = Instant::now();
        let wall = SystemTime::now();
        self.map().insert(
            token.clone(),
            Login {
                clerk_id: account.clerk.id,
                epoch: account.epoch,
                started: now,
                last_seen: now,
                started_wall: wall,
                last_seen_wall: wall,
            },
        );
        token
    }

    pub fn end(&self, token: &str) {
        self.map().remove(token);
    }

    /// The clerk `token` names now, or why the login has ended (it is then forgotten).
    pub fn at_desk(&self, token: &str, conn: &Connection, idle: Duration) -> Result<AtDesk> {
        self.at_desk_at(token, conn, idle, Instant::now(), SystemTime::now())
    }

    /// The same at a given moment.
    pub fn at_desk_at(
        &self,
        token: &str,
        conn: &Connection,
        idle: Duration,
        now: Instant,
        wall: SystemTime,
    ) -> Result<AtDesk> {
        let mut map = self.map();
        let Some(login) = map.get_mut(token) else {
            return Err(ended("登录已结束"));
        };
        // Whichever clock says more.
        let since = |mono: Instant, then: SystemTime| {
            now.duration_since(mono)
                .max(wall.duration_since(then).unwrap_or_default())
        };
        let why = if since(login.started, login.started_wall) >= MAX_AGE {
            Some("登录已满 12 小时")
        } else if since(login.last_seen, login.last_seen_wall) >= idle {
            Some("长时间没有操作，登录已超时")
        } else {
            None
        };
        if let Some(why) = why {
            map.remove(token);
            return Err(ended(why));
        }
        let account = clerks::account_by_id(conn, login.clerk_id)?;
        match account {
            Some(a) if !a.clerk.disabled && a.epoch == login.epoch => {
                login.last_seen = now;
                login.last_seen_wall = wall;
                Ok(AtDesk {
                    caller: clerks::as_caller(&a.clerk),
                    must_change_password: a.clerk.must_change_password,
                })
            }
            Some(a) if a.clerk.disabled => {
                map.remove(token);
                Err(ended("账号已被停用"))
            }
            _ => {
                map.remove(token);
                Err(ended("账号已被主管修改"))
            }
        }
    }
}

/// Idle minutes set in 设置, or the default.
pub fn idle_minutes(conn: &Connection) -> Result<i64> {
    use rusqlite::OptionalExtension;
    let set: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [IDLE_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(set
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|m| *m > 0)
        .unwrap_or(DEFAULT_IDLE_MINUTES))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{NewClerk, Role};

    fn archive_with_clerk() -> (tempfile::TempDir, crate::store::Store, Account) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let new = NewClerk {
            login: "zhangli".into(),
            display_name: "张丽".into(),
            role: Role::Clerk,
            password: "档案查询台-柜台3号".into(),
        };
        crate::clerks::create(&store.conn, None, &new).unwrap();
        let account = clerks::account_by_login(&store.conn, "zhangli")
            .unwrap()
            .unwrap();
        (dir, store, account)
    }

    #[test]
    fn a_login_ends_after_idle_time_and_after_twelve_hours() {
        let (_dir, store, account) = archive_with_clerk();
        let logins = Logins::new();
        let idle = Duration::from_secs(30 * 60);
        let token = logins.start(&account);
        let start = Instant::now();
        let start_wall = SystemTime::now();
        let mut now = start;
        // Busy all day: a request every 20 minutes keeps it alive until 12 hours.
        while now.duration_since(start) < MAX_AGE - Duration::from_secs(20 * 60) {
            now += Duration::from_secs(20 * 60);
            let wall = start_wall + now.duration_since(start);
            assert!(logins
                .at_desk_at(&token, &store.conn, idle, now, wall)
                .is_ok());
        }
        now += Duration::from_secs(20 * 60);
        let wall = start_wall + now.duration_since(start);
        let error = logins
            .at_desk_at(&token, &store.conn, idle, now, wall)
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::Unauthorized);
        assert!(error.message.contains("12 小时"));

        let token = logins.start(&account);
        let later = Instant::now() + Duration::from_secs(31 * 60);
        let error = logins
            .at_desk_at(&token, &store.conn, idle, later, SystemTime::now())
            .unwrap_err();
        assert!(error.message.contains("超时"), "{}", error.message);
        // A PC that slept: the monotonic clock stood still, the wall clock did not.
        let token = logins.start(&account);
        let after_a_night = SystemTime::now() + Duration::from_secs(10 * 60 * 60);
        let error = logins
            .at_desk_at(&token, &store.conn, idle, Instant::now(), after_a_night)
            .unwrap_err();
        assert!(error.message.contains("超时"), "{}", error.message);
        // Forgotten once ended.
        assert!(logins.at_desk(&token, &store.conn, idle).is_err());
    }
}
