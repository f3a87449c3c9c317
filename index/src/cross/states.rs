//! Where a 跨馆 application stands, on both sides: 已提交 → 已受理 → 协办中 → 已出证 / 无档案 /
//! 退回. A step is taken only forwards, so that a message delivered twice, or late, changes
//! nothing.

pub const SUBMITTED: &str = "submitted";
pub const ACCEPTED: &str = "accepted";
pub const IN_PROGRESS: &str = "in_progress";
pub const CERTIFIED: &str = "certified";
pub const NO_RECORDS: &str = "no_records";
pub const RETURNED: &str = "returned";

/// How far along a state is; None for a word that is no state.
pub fn rank(state: &str) -> Option<u8> {
    Some(match state {
        SUBMITTED => 0,
        ACCEPTED => 1,
        IN_PROGRESS => 2,
        CERTIFIED | NO_RECORDS | RETURNED => 3,
        _ => return None,
    })
}

/// Whether the application is done with, either way.
pub fn is_final(state: &str) -> bool {
    rank(state) == Some(3)
}

/// Whether `next` moves an application standing at `now` forwards.
pub fn moves_on(now: &str, next: &str) -> bool {
    matches!((rank(now), rank(next)), (Some(a), Some(b)) if b > a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_taken_forwards_only_and_an_end_is_an_end() {
        assert!(moves_on(SUBMITTED, ACCEPTED));
        assert!(moves_on(ACCEPTED, CERTIFIED));
        assert!(moves_on(SUBMITTED, RETURNED));
        assert!(!moves_on(ACCEPTED, ACCEPTED));
        assert!(!moves_on(IN_PROGRESS, ACCEPTED));
        assert!(!moves_on(CERTIFIED, RETURNED));
        assert!(!moves_on(SUBMITTED, "deleted"));
        assert!(is_final(NO_RECORDS) && !is_final(IN_PROGRESS));
    }
}
