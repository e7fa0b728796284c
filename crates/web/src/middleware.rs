//! Layers every request passes through: a request id, the security headers (HSTS too when
//! cookies are marked `Secure`, that is behind HTTPS), the request log (route pattern only,
//! never the raw path or query) and the counters of `/metrics`.

use crate::client_address::client_address;
use crate::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use maillage_services::RequestContext;
use std::net::SocketAddr;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
                   object-src 'none'; frame-ancestors 'none'";

/// Browsers come back over HTTPS only, for a year, to every subdomain too.
const HSTS: &str = "max-age=31536000; includeSubDomains";

fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{:08x}{:08x}",
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed) as u32
    )
}

/// Attaches the request context, then logs, counts and secures the answer.
pub async fn envelope(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded_for = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    let ip = client_address(peer, forwarded_for, &state.config.trusted_proxies);
    let context = RequestContext {
        request_id: request_id(),
        ip,
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(aucune route)".to_owned());
    let method = request.method().clone();
    let id = context.request_id.clone();
    request.extensions_mut().insert(context);
    let mut response = next.run(request).await;
    let status = response.status().as_u16();
    state.counters.count(status);
    tracing::info!(request_id = %id, %method, route, status, elapsed_ms = started.elapsed().as_millis() as u64, "request");
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if state.config.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert("x-request-id", value);
    }
    response
}
