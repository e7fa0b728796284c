//! The territorial diagnosis: its page, its printed report, its CSV files and its API.

pub mod api;
pub mod report;
pub(crate) mod routes;
