//! Storage of maillage: one SQL code path over SQLite and PostgreSQL (sqlx's Any driver),
//! with each backend's own migrations, and one repository module per area.
//!
//! Repository functions take a `&mut Conn`, so that a service can run several of them in
//! one transaction opened with [`Db::begin`]. The few a booking needs have a `_native`
//! twin with the same SQL, for SQLite's native writer ([`NativeWriter`]).

pub mod diagnosis;
pub mod directory;
pub mod gp_waitlist;
pub mod messaging;
pub mod platform;
pub mod territory;
pub mod unscheduled_care;

mod batch;
pub mod bulk_load;
mod columns;
mod db;
mod error;
pub mod generations;
mod group_commit;
pub mod leases;
pub mod live;
mod native_sql;
mod native_writer;

pub use db::{Backend, Db, Savepoint, Tx, keep, savepoint, undo};
pub use error::StoreError;
pub use native_sql::{NativeConn, in_savepoint};
pub use native_writer::NativeWriter;

/// A connection of either backend.
pub type Conn = sqlx::AnyConnection;
