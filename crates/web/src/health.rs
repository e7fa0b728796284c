//! `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus).

use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::atomic::Ordering;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(error) => {
            tracing::warn!(%error, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = String::new();
    body.push_str("# HELP maillage_http_requests_total HTTP requests answered, by status class.\n");
    body.push_str("# TYPE maillage_http_requests_total counter\n");
    for (i, counter) in state.counters.by_class.iter().enumerate() {
        let _ = writeln!(
            body,
            "maillage_http_requests_total{{class=\"{}xx\"}} {}",
            i + 1,
            counter.load(Ordering::Relaxed)
        );
    }
    body.push_str("# HELP maillage_uptime_seconds Seconds since the server started.\n");
    body.push_str("# TYPE maillage_uptime_seconds gauge\n");
    let _ = writeln!(
        body,
        "maillage_uptime_seconds {}",
        state.started_at.elapsed().as_secs()
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
