//! Pure types and rules of maillage: validated values, roles, the audit chain, TOTP checks,
//! territory codes and distances, the directory’s files and code lists, messaging rules,
//! unscheduled care’s slots and requests, and what typed text may hold.
//! Nothing here does I/O; the clock and randomness are passed in by the caller.

pub mod common;
pub mod diagnosis;
pub mod directory;
pub mod gp_waitlist;
pub mod messaging;
pub mod platform;
pub mod territory;
pub mod unscheduled_care;

pub use common::validation::FieldErrors;
pub use platform::account::{DisplayName, Email, Password, Role};
pub use territory::cpts::{CptsName, Slug};
pub use territory::{GeoPoint, InseeCode, Siren};
