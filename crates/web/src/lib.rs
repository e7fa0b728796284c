//! The HTTP layer of maillage: French HTML pages, the JSON API under `/api/v1` with its
//! OpenAPI document, the FHIR R4 directory under `/fhir/r4`, health endpoints and the security headers every answer carries.

mod api;
mod api_routes;
pub mod charts;
pub mod client_address;
mod cookies;
mod csv_download;
mod fhir;
mod guard;
mod health;
mod html;
mod middleware;
mod pages;
mod print;
mod problem;
mod rate_limit;
mod rejections;
mod routes;
mod snp_routes;
mod state;

pub use pages::diagnosis::standalone_report;
pub use routes::{Access, RouteSpec, route_table, router};
pub use state::{AppState, WebConfig};
