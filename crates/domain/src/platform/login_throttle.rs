//! How failed logins slow guessing down without letting anyone lock an account: one
//! account tried from one address gets a few free failures, then waits twice as long after
//! each further failure (30 s, 1 min, 2 min… up to the window); one address gets a budget
//! of failures over all accounts. Nobody else's failures delay a person's own login.

/// The first wait after the free failures, in seconds.
pub const FIRST_DELAY_SECS: i64 = 30;

/// What the throttle knows of recent failures (within the window).
#[derive(Debug, Clone, Copy)]
pub struct Failures {
    /// Of this account from this address, and when the last of them was.
    pub of_pair: i64,
    pub last_of_pair_at: Option<i64>,
    /// From this address, over all accounts.
    pub of_address: i64,
}

/// The throttle's settings.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failures of one account from one address before waits begin.
    pub free_per_pair: i64,
    /// Failures from one address over the window before it must wait the window out.
    pub per_address: i64,
    pub window_secs: i64,
}

/// Seconds to wait before the next attempt at `now`, or `None` when it may be made.
pub fn wait_before_attempt(failures: Failures, limits: Limits, now: i64) -> Option<i64> {
    if failures.of_address >= limits.per_address {
        return Some(limits.window_secs);
    }
    let beyond = failures.of_pair - limits.free_per_pair;
    let last = failures.last_of_pair_at?;
    if beyond < 0 {
        return None;
    }
    let delay = FIRST_DELAY_SECS
        .saturating_mul(1_i64 << beyond.min(20))
        .min(limits.window_secs);
    let wait = last + delay - now;
    (wait > 0).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        free_per_pair: 5,
        per_address: 30,
        window_secs: 900,
    };

    fn after(of_pair: i64, of_address: i64, seconds_ago: i64) -> Option<i64> {
        let failures = Failures {
            of_pair,
            last_of_pair_at: Some(1_000 - seconds_ago),
            of_address,
        };
        wait_before_attempt(failures, LIMITS, 1_000)
    }

    #[test]
    fn waits_double_after_the_free_failures_up_to_the_window() {
        assert_eq!(after(4, 4, 0), None);
        assert_eq!(after(5, 5, 0), Some(30));
        assert_eq!(after(5, 5, 31), None);
        assert_eq!(after(6, 6, 0), Some(60));
        assert_eq!(after(7, 7, 10), Some(110));
        assert_eq!(after(12, 12, 0), Some(900));
        assert_eq!(after(60, 29, 0), Some(900));
    }

    #[test]
    fn an_address_that_failed_too_often_waits_the_window() {
        assert_eq!(after(0, 30, 0), Some(900));
        let none = Failures {
            of_pair: 0,
            last_of_pair_at: None,
            of_address: 3,
        };
        assert_eq!(wait_before_attempt(none, LIMITS, 1_000), None);
    }
}
