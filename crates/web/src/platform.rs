//! Pages and API of the platform: login and second factor, « Mon compte », the home page,
//! invitations, accounts, CPTS administration and the audit trail.

pub mod account;
pub mod admin;
pub mod audit;
pub mod audit_api;
pub mod home;
pub mod invitation;
pub mod login;
pub mod me_api;
pub(crate) mod routes;
pub mod users;
