//! LaunchDarkly-style rate limits: fixed 10-second windows, one budget for the whole account and one per
//! route (method + path template).

use std::collections::HashMap;
use std::sync::Mutex;

/// Length of a rate-limit window, as LaunchDarkly documents it.
pub const WINDOW_MS: i64 = 10_000;

/// What a request may do under the limits, and the numbers for the `X-Ratelimit-*` headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    pub allowed: bool,
    pub global_remaining: u64,
    pub route_remaining: u64,
    /// When the current window ends, epoch milliseconds.
    pub reset_ms: i64,
}

impl Quota {
    /// The `Retry-After` of a refused request at `now` (epoch ms): whole seconds until the window ends
    /// (`reset_ms`, the `X-Ratelimit-Reset` header), rounded up so that a client waiting that long is past
    /// the reset, and at least 1, so that no client is told to retry at once.
    pub fn retry_after_secs(&self, now: i64) -> i64 {
        let wait_ms = self.reset_ms.saturating_sub(now).max(0);
        ((wait_ms + 999) / 1000).max(1)
    }
}

struct Window {
    start: i64,
    global_used: u64,
    route_used: HashMap<String, u64>,
}

/// Counts requests per window. One mutex: the critical section is a few integer operations.
pub struct RateLimiter {
    global_limit: u64,
    route_limit: u64,
    window: Mutex<Window>,
}

impl RateLimiter {
    /// Limits per 10-second window: `global_limit` for the account, `route_limit` for each route.
    pub fn new(global_limit: u64, route_limit: u64) -> Self {
        RateLimiter {
            global_limit,
            route_limit,
            window: Mutex::new(Window {
                start: 0,
                global_used: 0,
                route_used: HashMap::new(),
            }),
        }
    }

    /// Counts one request to `route` at `now` (epoch ms) unless a budget is spent; a refused request
    /// does not use up budget.
    pub fn check(&self, route: &str, now: i64) -> Quota {
        let start = now - now.rem_euclid(WINDOW_MS);
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if window.start != start {
            window.start = start;
            window.global_used = 0;
            window.route_used.clear();
        }
        let route_used = match window.route_used.get(route) {
            Some(used) => *used,
            None => 0,
        };
        let allowed = window.global_used < self.global_limit && route_used < self.route_limit;
        let (global_used, route_used) = if allowed {
            window.global_used += 1;
            match window.route_used.get_mut(route) {
                Some(used) => *used += 1,
                None => {
                    window.route_used.insert(route.to_owned(), 1);
                }
            }
            (window.global_used, route_used + 1)
        } else {
            (window.global_used, route_used)
        };
        Quota {
            allowed,
            global_remaining: self.global_limit.saturating_sub(global_used),
            route_remaining: self.route_limit.saturating_sub(route_used),
            reset_ms: start + WINDOW_MS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_budget_then_refusal_then_new_window() {
        let limiter = RateLimiter::new(100, 2);
        let a = limiter.check("GET /a", 10_001);
        assert!(a.allowed);
        assert_eq!((a.global_remaining, a.route_remaining), (99, 1));
        assert_eq!(a.reset_ms, 20_000);
        assert!(limiter.check("GET /a", 10_002).allowed);
        let refused = limiter.check("GET /a", 10_003);
        assert!(!refused.allowed);
        assert_eq!(refused.route_remaining, 0);
        assert_eq!(refused.global_remaining, 98);
        assert!(limiter.check("GET /b", 10_004).allowed);
        assert!(limiter.check("GET /a", 20_000).allowed);
    }

    #[test]
    fn retry_after_rounds_up_to_the_reset_and_is_at_least_one_second() {
        let quota = RateLimiter::new(0, 0).check("GET /a", 10_001);
        assert!(!quota.allowed);
        assert_eq!(quota.reset_ms, 20_000);
        assert_eq!(quota.retry_after_secs(10_001), 10);
        assert_eq!(quota.retry_after_secs(18_999), 2);
        assert_eq!(quota.retry_after_secs(19_000), 1);
        assert_eq!(quota.retry_after_secs(19_999), 1);
        // A reset already past (a slow request, a clock step) still says wait a second, never zero or less.
        assert_eq!(quota.retry_after_secs(20_000), 1);
        assert_eq!(quota.retry_after_secs(25_000), 1);
    }

    #[test]
    fn global_budget_spans_routes() {
        let limiter = RateLimiter::new(2, 100);
        assert!(limiter.check("GET /a", 0).allowed);
        assert!(limiter.check("GET /b", 0).allowed);
        let refused = limiter.check("GET /c", 0);
        assert!(!refused.allowed);
        assert_eq!(refused.global_remaining, 0);
        assert_eq!(refused.route_remaining, 100);
    }
}
