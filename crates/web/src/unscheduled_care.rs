//! Unscheduled care: the desk, requests, agendas, availability, protocols, indicators,
//! calendar feeds, its API and the SAS's FHIR interface.

pub mod agenda;
pub mod api;
pub mod availability;
pub mod calendar;
pub mod desk;
pub mod indicators;
pub mod indicators_api;
pub mod protocols;
pub mod request;
pub(crate) mod routes;
pub mod sas;
pub mod sas_resources;
