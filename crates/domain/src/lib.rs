//! Pure types and rules of maillage: validated values, roles, the audit chain, TOTP checks,
//! territory codes and distances, the directory’s files and code lists, messaging rules,
//! unscheduled care’s slots and requests, and what typed text may hold.
//! Nothing here does I/O; the clock and randomness are passed in by the caller.

pub mod account;
pub mod audit;
pub mod audit_labels;
pub mod codes;
pub mod cpts;
pub mod diagnosis;
pub mod directory;
pub mod gp_waitlist;
pub mod login_throttle;
pub mod messaging;
pub mod mortality;
pub mod quoting;
pub mod territory;
pub mod text;
pub mod totp;
pub mod unscheduled_care;
pub mod validation;

pub use account::{DisplayName, Email, Password, Role};
pub use cpts::{CptsName, Slug};
pub use territory::{GeoPoint, InseeCode, Siren};
pub use validation::FieldErrors;
