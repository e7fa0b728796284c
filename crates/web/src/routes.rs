//! The route table: every path, its method and who may reach it (each area's in its
//! `routes.rs`). The router is built from this table, and a test walks it to check that
//! nothing but the public routes answers a stranger.

use crate::api::json_body::API_BODY_LIMIT;
use crate::guard::{MULTIPART_LIMIT, open_data, require_session, require_token};
use crate::html::MISSIONS;
use crate::middleware::envelope;
use crate::platform::home;
use crate::state::AppState;
use crate::{api, health, rejections};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, header};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, MethodRouter, on};

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: login, invitation, health, static assets.
    Public,
    /// A browser session (pages).
    Session,
    /// A personal API token (the JSON API).
    Token,
    /// Anyone, within a request budget per address: the directory as open data (FHIR).
    /// A personal token adds what the caller's CPTS members share.
    OpenData,
}

/// One entry of the route table.
pub struct RouteSpec {
    pub access: Access,
    pub method: Method,
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

pub(crate) fn route<H, T>(
    access: Access,
    method: Method,
    path: &'static str,
    handler: H,
) -> RouteSpec
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("standard method");
    RouteSpec {
        access,
        method,
        path,
        handler: on(filter, handler),
    }
}

/// Every route of the application.
pub fn route_table() -> Vec<RouteSpec> {
    use Access::{Public, Token};
    let get = Method::GET;
    let mut table = vec![
        route(Public, get.clone(), "/healthz", health::healthz),
        route(Public, get.clone(), "/readyz", health::readyz),
        route(Public, get.clone(), "/metrics", health::metrics),
        route(Public, get.clone(), "/static/app.css", stylesheet),
        route(Public, get.clone(), "/static/favicon.svg", favicon),
        route(
            Public,
            get.clone(),
            "/static/messaging.js",
            messaging_script,
        ),
        route(Token, get.clone(), "/api/openapi.json", api::openapi),
    ];
    table.extend(crate::diagnosis::routes::routes());
    table.extend(crate::directory::routes::routes());
    table.extend(crate::gp_waitlist::routes::routes());
    table.extend(crate::messaging::routes::routes());
    table.extend(crate::platform::routes::routes());
    table.extend(crate::territory::routes::routes());
    table.extend(crate::unscheduled_care::routes::routes());
    // Missions not built yet get a page that says so.
    for mission in &MISSIONS {
        if !table.iter().any(|r| r.path == mission.path) {
            table.push(route(
                Access::Session,
                get.clone(),
                mission.path,
                home::mission,
            ));
        }
    }
    table
}

/// The application's router.
pub fn router(state: AppState) -> Router {
    let mut groups = [Router::new(), Router::new(), Router::new(), Router::new()];
    for spec in route_table() {
        let index = spec.access as usize;
        groups[index] = std::mem::take(&mut groups[index]).route(spec.path, spec.handler);
    }
    let [public, session, token, open] = groups;
    Router::new()
        .merge(public)
        // The session guard reads each form before its page does: forms with files may
        // reach both up to the multipart limit; other forms stop at the guard's own.
        .merge(
            session
                .route_layer(from_fn_with_state(state.clone(), require_session))
                .layer(DefaultBodyLimit::max(MULTIPART_LIMIT)),
        )
        .merge(
            token
                .route_layer(from_fn_with_state(state.clone(), require_token))
                .layer(DefaultBodyLimit::max(API_BODY_LIMIT)),
        )
        .merge(open.route_layer(from_fn_with_state(state.clone(), open_data)))
        .fallback(rejections::not_found)
        .method_not_allowed_fallback(rejections::method_not_allowed)
        .layer(axum::middleware::from_fn(rejections::in_french))
        .layer(from_fn_with_state(state.clone(), envelope))
        .with_state(state)
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

/// The pages' stylesheet, served at `/static/app.css` and inlined in standalone reports.
pub(crate) const STYLESHEET: &str = include_str!("../static/app.css");

async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/favicon.svg"),
    )
}

async fn messaging_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/messaging.js"),
    )
}
