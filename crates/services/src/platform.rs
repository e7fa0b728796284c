//! What every mission stands on: accounts, logins and their second factor, personal API
//! tokens, the audit trail and its seal, the host's keys and the secrets they seal,
//! idempotent calls, public form stamps and notifications (e-mail and SMS).

pub mod accounts;
pub mod audit;
pub mod audit_seal;
pub mod auth;
pub mod form_stamps;
pub mod host_key;
pub mod idempotency;
pub mod notify;
pub(crate) mod passwords;
pub mod secret_box;
pub(crate) mod secrets;
pub mod start;
pub mod tokens;
pub mod totp_seeds;
