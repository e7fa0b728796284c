//! Use cases of maillage, shared by the web layer and the CLI: each checks who may act,
//! runs its storage calls in one transaction and writes the audit trail.

pub mod accounts;
pub mod audit;
pub mod audit_seal;
pub mod auth;
pub mod bench;
pub mod context;
pub mod cpts;
pub mod csv_export;
mod csv_file;
pub mod demo;
pub mod diagnosis;
pub mod directory;
mod endpoint;
mod error;
mod file_errors;
pub mod form_stamps;
pub mod gp_waitlist;
pub mod host_key;
pub mod idempotency;
pub mod members;
pub mod messaging;
pub mod notify;
mod passwords;
pub mod periods;
pub mod reference;
mod retention;
pub mod secret_box;
mod secrets;
pub mod start;
pub mod statistics;
pub mod synth;
pub mod territory;
pub mod tokens;
pub mod totp_seeds;
pub mod unscheduled_care;

pub use context::{Actor, App, Clock, RequestContext, Settings, SystemClock};
pub use error::{ServiceError, ServiceResult};
pub use maillage_store::{Backend, Db};
