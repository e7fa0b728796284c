//! What every mission stands on: accounts and their credentials, sessions, personal API
//! tokens, invitations, failed logins, the audit trail, the outbox of notifications and their
//! preferences, idempotency keys, public form stamps and the keys servers share.

pub mod api_tokens;
pub mod audit;
pub mod form_stamps_used;
pub mod idempotency;
pub mod invitations;
pub mod login_failures;
pub mod notification_preferences;
pub mod outbox;
pub mod server_keys;
pub mod sessions;
pub mod users;
