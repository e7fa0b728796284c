//! Secure messaging: the inbox, a thread and its live updates, alerts.

pub mod alerts;
pub mod inbox;
pub(crate) mod routes;
pub mod thread;
