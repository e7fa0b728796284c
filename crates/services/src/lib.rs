//! Use cases of maillage, shared by the web layer and the CLI: each checks who may act,
//! runs its storage calls in one transaction and writes the audit trail.

pub mod access;
pub mod context;
pub mod csv_export;
mod csv_file;
pub mod diagnosis;
pub mod directory;
mod endpoint;
mod error;
mod file_errors;
pub mod gp_waitlist;
pub mod messaging;
pub mod periods;
pub mod platform;
pub mod reference;
mod retention;
pub mod territory;
pub mod tools;
pub mod unscheduled_care;

pub use context::{Actor, App, Clock, RequestContext, Settings, SystemClock};
pub use error::{ServiceError, ServiceResult};
pub use maillage_store::{Backend, Db};
