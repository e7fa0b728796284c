//! The HTTP layer of maillage: French HTML pages, the JSON API under `/api/v1` with its
//! OpenAPI document, the FHIR R4 directory under `/fhir/r4`, health endpoints and the security headers every answer carries.

mod api;
pub mod charts;
pub mod client_address;
mod cookies;
mod csv_download;
mod diagnosis;
mod directory;
mod filters;
mod gp_waitlist;
mod guard;
mod health;
mod html;
mod indicator_period;
mod messaging;
mod middleware;
mod page_error;
mod platform;
mod print;
mod problem;
mod rate_limit;
mod rejections;
mod routes;
mod state;
mod territory;
mod unscheduled_care;

pub use diagnosis::report::standalone_report;
pub use routes::{Access, RouteSpec, route_table, router};
pub use state::{AppState, WebConfig};
