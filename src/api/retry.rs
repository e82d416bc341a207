//! When to retry and how long to wait first. Pure arithmetic: the caller supplies the clock and the randomness.

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// 429. `wait_ms` is what the server's headers asked for, if they said.
    RateLimited {
        /// Milliseconds to wait, from `X-Ratelimit-Reset` or `Retry-After`; `None` when neither header said.
        wait_ms: Option<u64>,
    },
    /// 5xx.
    ServerError,
    /// No response at all.
    Network,
}

/// Retry limits. The defaults suit an interactive caller: at most 3 retries, never a single wait above 30 s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Ceiling on any one wait (LaunchDarkly's windows are 10 s, so a longer wait means a confused clock).
    pub max_delay_ms: u64,
    /// First backoff step when the server gave no hint; doubles with each retry.
    pub base_delay_ms: u64,
}

/// Retries after the first attempt, for 429s and (on idempotent calls) network errors and 5xx.
pub const DEFAULT_MAX_RETRIES: u32 = 3;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            max_delay_ms: 30_000,
            base_delay_ms: 250,
        }
    }
}

/// How long a 429 asks the caller to wait, from `X-Ratelimit-Reset` (epoch milliseconds) and `Retry-After`
/// (seconds), whichever is later. A reset already in the past means "now" (0), never a negative wait.
/// `None` when neither header is present and parseable.
pub fn rate_limit_wait_ms(
    reset: Option<&str>,
    retry_after: Option<&str>,
    now_ms: f64,
) -> Option<u64> {
    let from_reset = reset
        .and_then(decimal)
        .filter(|v| v.is_finite())
        .map(|reset| (reset - now_ms).max(0.0));
    let from_retry_after = retry_after
        .and_then(decimal)
        .filter(|v| v.is_finite())
        .map(|secs| (secs * 1000.0).max(0.0));
    let wait = match (from_reset, from_retry_after) {
        (Some(a), Some(b)) => a.max(b),
        (a, b) => a.or(b)?,
    };
    // `as` saturates for floats, so an absurd header cannot wrap around.
    Some(wait.ceil() as u64)
}

/// A header's plain decimal number (`1700000000123`, `0.25`, `-3`), which is all these two headers carry;
/// exponents, dates and anything else are `None`. Written out rather than `str::parse::<f64>`, whose
/// exact-rounding machinery and tables weighed 13.6 KB of the gzipped wasm module, for two headers.
fn decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit());
    if !all_digits || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    // Integers below 2^53 (epoch milliseconds, seconds) come out exact; a fraction is within a rounding.
    let mut value = whole
        .bytes()
        .fold(0.0, |value, b| value * 10.0 + f64::from(b - b'0'));
    let mut scale = 1.0;
    for b in fraction.bytes() {
        scale /= 10.0;
        value += f64::from(b - b'0') * scale;
    }
    Some(if negative { -value } else { value })
}

impl RetryPolicy {
    /// The wait before retry number `retries_done + 1`, or `None` to give up.
    ///
    /// A 429 is always safe to retry (the server refused the request); a network error or 5xx only when the
    /// call is idempotent, because a non-idempotent request may already have taken effect. `random` is in
    /// `[0, 1)` and spreads clients that were limited together so they do not return in lockstep.
    pub fn delay_ms(
        &self,
        retries_done: u32,
        failure: Failure,
        idempotent: bool,
        random: f64,
    ) -> Option<u64> {
        if retries_done >= self.max_retries {
            return None;
        }
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let backoff = self
            .base_delay_ms
            .saturating_mul(1u64 << retries_done.min(20));
        let delay = match failure {
            Failure::RateLimited {
                wait_ms: Some(wait),
            } => {
                let jitter = (100 + wait / 10).min(1000);
                wait.saturating_add((jitter as f64 * random) as u64)
            }
            Failure::RateLimited { wait_ms: None } => {
                backoff.saturating_add((backoff as f64 * random) as u64)
            }
            Failure::ServerError | Failure::Network if idempotent => {
                backoff / 2 + (backoff as f64 / 2.0 * random) as u64
            }
            Failure::ServerError | Failure::Network => return None,
        };
        Some(delay.min(self.max_delay_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_numbers_are_plain_decimals() {
        assert_eq!(decimal(" 1700000000123 "), Some(1_700_000_000_123.0));
        assert_eq!(decimal("9007199254740991"), Some(9_007_199_254_740_991.0));
        assert_eq!(decimal("0.25"), Some(0.25));
        assert_eq!(decimal(".5"), Some(0.5));
        assert_eq!(decimal("3."), Some(3.0));
        assert_eq!(decimal("+2"), Some(2.0));
        assert_eq!(decimal("-3"), Some(-3.0));
        for bad in [
            "", ".", "-", "1e3", "0x10", "1.2.3", "12a", "١٢", "NaN", "inf", "- 1",
        ] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn reset_header_is_epoch_millis_and_never_negative() {
        assert_eq!(rate_limit_wait_ms(Some("10500"), None, 10_000.0), Some(500));
        assert_eq!(rate_limit_wait_ms(Some("9000"), None, 10_000.0), Some(0));
        assert_eq!(rate_limit_wait_ms(None, Some("2"), 0.0), Some(2000));
        assert_eq!(rate_limit_wait_ms(None, Some("0.25"), 0.0), Some(250));
        assert_eq!(rate_limit_wait_ms(None, Some("-3"), 0.0), Some(0));
        assert_eq!(
            rate_limit_wait_ms(Some("11000"), Some("3"), 10_000.0),
            Some(3000)
        );
        assert_eq!(
            rate_limit_wait_ms(Some("garbage"), Some("Wed, 21 Oct 2015 07:28:00 GMT"), 0.0),
            None
        );
        assert_eq!(rate_limit_wait_ms(None, None, 0.0), None);
        // An absurd reset saturates (and the retry policy then caps the wait); exponents are not read.
        let far = "1000000000000000000000000000000";
        assert_eq!(rate_limit_wait_ms(Some(far), None, 0.0), Some(u64::MAX));
        assert_eq!(rate_limit_wait_ms(Some("1e300"), None, 0.0), None);
    }

    #[test]
    fn rate_limits_wait_for_the_reset_plus_bounded_jitter() {
        let p = RetryPolicy::default();
        let f = Failure::RateLimited {
            wait_ms: Some(2000),
        };
        assert_eq!(p.delay_ms(0, f, false, 0.0), Some(2000));
        let top = p.delay_ms(0, f, false, 0.999).unwrap();
        assert!((2000..=2300).contains(&top), "{top}");
        // Clamped to the ceiling, whatever the header said.
        let huge = Failure::RateLimited {
            wait_ms: Some(u64::MAX),
        };
        assert_eq!(p.delay_ms(0, huge, true, 0.5), Some(30_000));
    }

    #[test]
    fn gives_up_after_max_retries() {
        let p = RetryPolicy {
            max_retries: 2,
            ..RetryPolicy::default()
        };
        let f = Failure::RateLimited { wait_ms: Some(0) };
        assert!(p.delay_ms(0, f, false, 0.0).is_some());
        assert!(p.delay_ms(1, f, false, 0.0).is_some());
        assert_eq!(p.delay_ms(2, f, false, 0.0), None);
        let none = RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(none.delay_ms(0, f, true, 0.0), None);
    }

    #[test]
    fn server_and_network_errors_retry_only_when_idempotent() {
        let p = RetryPolicy::default();
        for f in [Failure::ServerError, Failure::Network] {
            assert_eq!(p.delay_ms(0, f, false, 0.5), None);
            let d0 = p.delay_ms(0, f, true, 0.0).unwrap();
            let d1 = p.delay_ms(1, f, true, 0.0).unwrap();
            let d2 = p.delay_ms(2, f, true, 0.999).unwrap();
            assert_eq!((d0, d1), (125, 250));
            assert!((500..1000).contains(&d2), "{d2}");
        }
    }

    #[test]
    fn bad_randomness_cannot_escape_the_bounds() {
        let p = RetryPolicy::default();
        let f = Failure::RateLimited { wait_ms: Some(100) };
        for r in [f64::NAN, f64::INFINITY, -5.0, 7.0] {
            let d = p.delay_ms(0, f, false, r).unwrap();
            assert!((100..=210).contains(&d), "{r} -> {d}");
        }
        let deep = p.delay_ms(2, Failure::Network, true, 0.5).unwrap();
        assert!(deep <= p.max_delay_ms);
        let p = RetryPolicy {
            max_retries: 10,
            base_delay_ms: u64::MAX / 4,
            ..RetryPolicy::default()
        };
        assert_eq!(p.delay_ms(9, Failure::Network, true, 0.9), Some(30_000));
    }
}
