//! A per-address request budget for the open-data routes: so many requests per minute
//! from one address, counted in fixed one-minute windows, in memory (each app server
//! counts its own).

use std::collections::HashMap;
use std::sync::Mutex;

pub struct RateLimiter {
    per_minute: u32,
    window: Mutex<(i64, HashMap<String, u32>)>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            window: Mutex::new((0, HashMap::new())),
        }
    }

    /// Counts a request from `address` at `now` (Unix seconds); `false` when over budget.
    pub fn allow(&self, address: &str, now: i64) -> bool {
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        let minute = now / 60;
        if window.0 != minute {
            *window = (minute, HashMap::new());
        }
        let count = window.1.entry(address.to_owned()).or_insert(0);
        *count += 1;
        *count <= self.per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_budget_per_minute() {
        let limiter = RateLimiter::new(2);
        assert!(limiter.allow("a", 120) && limiter.allow("a", 121));
        assert!(!limiter.allow("a", 122));
        assert!(
            limiter.allow("b", 122),
            "another address has its own budget"
        );
        assert!(limiter.allow("a", 180), "a new minute starts afresh");
    }
}
