//! The HTTP layer of maillage: French HTML pages, the JSON API under `/api/v1` with its
//! OpenAPI document, health endpoints and the security headers every answer carries.

mod api;
mod cookies;
mod guard;
mod health;
mod html;
mod middleware;
mod pages;
mod problem;
mod routes;
mod state;

pub use routes::{Access, RouteSpec, route_table, router};
pub use state::{AppState, WebConfig};
