//! The state shared by every handler.

use crate::rate_limit::RateLimiter;
use maillage_services::App;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How the web layer presents itself.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and ask browsers to come back over HTTPS only
    /// (`Strict-Transport-Security`): everywhere but plain-http localhost.
    pub secure_cookies: bool,
    /// Demo mode: shown on every page.
    pub demo: bool,
    /// Whether this server sends its bookings to a SAS platform (`sas_url` is set).
    pub sas_connected: bool,
    /// The reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// Requests answered, by status class, for `/metrics`.
#[derive(Default)]
pub struct Counters {
    pub by_class: [AtomicU64; 5],
}

impl Counters {
    pub fn count(&self, status: u16) {
        let class = (status / 100).clamp(1, 5) as usize - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub counters: Arc<Counters>,
    pub started_at: std::time::Instant,
    /// The budget of the open-data routes.
    pub open_data_limiter: Arc<RateLimiter>,
    /// The budget of the patients' public forms.
    pub public_form_limiter: Arc<RateLimiter>,
}

/// Requests per minute one address may make to the open-data routes.
const OPEN_DATA_PER_MINUTE: u32 = 1200;

/// Public forms one address may send per minute.
const PUBLIC_FORMS_PER_MINUTE: u32 = 5;

impl AppState {
    pub fn new(app: App, config: WebConfig) -> Self {
        Self {
            app,
            config: Arc::new(config),
            counters: Arc::default(),
            started_at: std::time::Instant::now(),
            open_data_limiter: Arc::new(RateLimiter::new(OPEN_DATA_PER_MINUTE)),
            public_form_limiter: Arc::new(RateLimiter::new(PUBLIC_FORMS_PER_MINUTE)),
        }
    }
}
