//! Token buckets per caller (a peer's key, a harvester's address): a caller may ask `burst`
//! times at once and `per_second` times a second on average.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Callers remembered at most; beyond, the buckets that are full again are forgotten.
const CALLERS_KEPT: usize = 4096;

pub(crate) struct RateLimits<K> {
    buckets: Mutex<HashMap<K, Bucket>>,
    per_second: f64,
    burst: f64,
}

/// `tokens` left, refilled at the rate since `at`.
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl<K: Eq + Hash> RateLimits<K> {
    /// The rate given, unless the environment variable `var` says `PER_SECOND,BURST` (for tests
    /// that reach the limit with a few calls).
    pub(crate) fn new(per_second: f64, burst: f64, var: &str) -> RateLimits<K> {
        let (per_second, burst) = std::env::var(var)
            .ok()
            .and_then(|v| {
                let (rate, burst) = v.split_once(',')?;
                Some((rate.trim().parse().ok()?, burst.trim().parse().ok()?))
            })
            .filter(|(rate, burst): &(f64, f64)| *rate > 0.0 && *burst >= 1.0)
            .unwrap_or((per_second, burst));
        RateLimits {
            buckets: Mutex::new(HashMap::new()),
            per_second,
            burst,
        }
    }

    /// Whether `caller` may ask once more now (and if so, counts it).
    pub(crate) fn allow(&self, caller: K) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        if buckets.len() >= CALLERS_KEPT {
            let (per_second, burst) = (self.per_second, self.burst);
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < burst
            });
            // Still full (a flood from many addresses): forget the longest quiet half.
            if buckets.len() >= CALLERS_KEPT {
                let mut quiet: Vec<Instant> = buckets.values().map(|b| b.at).collect();
                quiet.sort_unstable();
                let cut = quiet[quiet.len() / 2];
                buckets.retain(|_, b| b.at > cut);
            }
        }
        let bucket = buckets.entry(caller).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refilled =
            bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = refilled.min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_gets_its_burst_and_then_waits_while_another_is_served() {
        let limits = RateLimits::new(0.001, 3.0, "ARCHIVEDESK_TEST_NO_SUCH_RATE");
        assert!((0..3).all(|_| limits.allow("a")));
        assert!(!limits.allow("a"));
        assert!(limits.allow("b"));
    }

    #[test]
    fn a_flood_from_ever_new_addresses_is_remembered_within_bounds() {
        let limits = RateLimits::new(0.000_001, 3.0, "ARCHIVEDESK_TEST_NO_SUCH_RATE");
        for caller in 0..3 * CALLERS_KEPT {
            assert!(limits.allow(caller));
        }
        assert!(limits.buckets.lock().unwrap().len() <= CALLERS_KEPT);
    }
}
