//! Which passwords an account may have: 8 characters or more that are not blank, not one of the
//! most common passwords (a bundled list: `assets/common-passwords.txt`), not one character
//! repeated or a run along the keyboard's digits or letters, and not the login itself.

use crate::error::{Error, ErrorCode, Result};
use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_PASSWORD_CHARS: usize = 8;

const COMMON: &str = include_str!("../../assets/common-passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// A run such as 12345678, 87654321 or abcdefgh: each character one after (or before) the last.
fn is_run(password: &str) -> bool {
    let chars: Vec<u32> = password.chars().map(|c| c as u32).collect();
    let steps: HashSet<i64> = chars
        .windows(2)
        .map(|w| w[1] as i64 - w[0] as i64)
        .collect();
    steps.len() == 1 && steps.iter().all(|s| s.abs() <= 1)
}

/// Refuses a password a guesser would try first, saying why.
pub fn check(password: &str, login: &str) -> Result<()> {
    let refuse = |why: &str| Err(Error::new(ErrorCode::InvalidRequest, why.to_string()));
    if password.trim().is_empty() {
        return refuse("密码不能为空，也不能只有空格");
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return refuse(&format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"));
    }
    let lower = password.to_lowercase();
    if is_run(&lower) {
        return refuse("密码不能是同一个字符重复或连续的数字、字母（如 11111111、12345678）");
    }
    if common().contains(lower.trim()) {
        return refuse("这是最常用的密码之一，很容易被猜到；请换一个");
    }
    let login = login.trim().to_lowercase();
    if !login.is_empty() && lower.contains(&login) {
        return refuse("密码不能包含登录名");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn blank_short_common_and_simple_passwords_are_refused() {
        for password in [
            "        ",
            "　　　　　　　　",
            "short",
            "12345678",
            "87654321",
            "11111111",
            "abcdefgh",
            "password",
            "PASSWORD1",
            "woaini1314",
            "qq123456",
            "zhangli2026",
        ] {
            assert!(check(password, "zhangli").is_err(), "{password}");
        }
    }

    #[test]
    fn an_ordinary_passphrase_is_accepted() {
        for password in ["档案查询台-柜台3号", "Cheng guan 1998!", "tk7#Lq2v9"] {
            assert!(check(password, "zhangli").is_ok(), "{password}");
        }
    }
}
