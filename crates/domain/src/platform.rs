//! What every mission stands on: accounts and roles, the audit chain and its labels, the
//! login throttle and TOTP checks.

pub mod account;
pub mod audit;
pub mod audit_labels;
pub mod login_throttle;
pub mod notification;
pub mod totp;
