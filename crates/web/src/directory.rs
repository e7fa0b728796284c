//! Pages, API and FHIR open data of the directory: searching professionals, a CPTS's members.

pub mod api;
pub mod fhir;
pub mod members;
pub(crate) mod routes;
pub mod search;
