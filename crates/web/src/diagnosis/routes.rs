//! The routes of the diagnosis: its pages and its API, for the route table.

use super::{api, report};
use crate::routes::Access::{Session, Token};
use crate::routes::{RouteSpec, route};
use axum::http::Method;

/// Every route of the diagnosis.
pub(crate) fn routes() -> Vec<RouteSpec> {
    let get = Method::GET;
    vec![
        route(
            Session,
            get.clone(),
            "/territoire/{slug}/diagnostic",
            report::show,
        ),
        route(
            Session,
            get.clone(),
            "/territoire/{slug}/diagnostic/impression.css",
            report::print_stylesheet,
        ),
        route(
            Session,
            get.clone(),
            "/territoire/{slug}/diagnostic/{file}",
            report::export,
        ),
        route(
            Token,
            get.clone(),
            "/api/v1/cpts/{slug}/diagnostic",
            api::get,
        ),
    ]
}
