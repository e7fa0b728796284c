//! Storage of maillage: one SQL code path over SQLite and PostgreSQL (sqlx's Any driver),
//! with each backend's own migrations, and one repository module per area.
//!
//! Repository functions take a `&mut Conn`, so that a service can run several of them in
//! one transaction opened with [`Db::begin`]. The few a booking needs have a `_native`
//! twin with the same SQL, for SQLite's native writer ([`NativeWriter`]).

pub mod alerts;
pub mod api_tokens;
pub mod attachments;
pub mod audit;
mod batch;
pub mod bulk_load;
pub mod cpts;
mod db;
pub mod directory;
pub mod directory_read;
pub mod directory_search;
mod error;
pub mod establishments;
pub mod form_stamps_used;
pub mod general_practice;
pub mod generations;
pub mod gp_proposals;
pub mod gp_requests;
mod group_commit;
pub mod idempotency;
pub mod invitations;
pub mod leases;
pub mod live;
pub mod login_failures;
pub mod members;
pub mod messages;
mod native_sql;
mod native_writer;
pub mod notification_preferences;
pub mod offer;
pub mod outbox;
pub mod server_keys;
pub mod sessions;
pub mod snp_availability;
pub mod snp_bookings;
pub mod snp_calendar;
pub mod snp_protocols;
pub mod snp_request_calls;
pub mod snp_requests;
pub mod snp_sas_appointments;
pub mod snp_slots;
pub mod statistics;
pub mod territory;
pub mod threads;
pub mod users;

pub use db::{Backend, Db, Savepoint, Tx, keep, savepoint, undo};
pub use error::StoreError;
pub use native_sql::{NativeConn, in_savepoint};
pub use native_writer::NativeWriter;

/// A connection of either backend.
pub type Conn = sqlx::AnyConnection;
