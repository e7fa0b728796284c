//! The GP waiting list: the coordinator's list and requests, the form that records one,
//! the public form, departures, indicators, the member GP's proposals and answer links, and its API.

pub mod answer_link;
pub mod api;
pub mod capacity_api;
pub mod departures;
pub mod follow_up_api;
pub mod indicators;
pub mod proposals;
pub mod public_form;
pub mod request_form;
pub mod requests;
pub(crate) mod routes;
