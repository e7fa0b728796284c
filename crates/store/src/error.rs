//! Storage errors, with the one distinction services act on: a uniqueness conflict.

use sqlx::error::ErrorKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A row with the same unique key already exists.
    #[error("unique constraint violated")]
    Conflict,
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// No write turn came in time: another transaction of this process holds it.
    #[error("the database stayed busy")]
    Busy,
    /// The commit of a group of transactions failed: none of them was kept.
    #[error("the group of transactions could not be committed: {0}")]
    GroupCommit(String),
    /// An error of SQLite's native writer (see [`crate::native_writer`]) or its statements.
    #[error("SQLite: {0}")]
    Native(String),
    #[error("unsupported database URL (expected sqlite://… or postgres://…)")]
    UnsupportedUrl,
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.kind() == ErrorKind::UniqueViolation => Self::Conflict,
            _ => Self::Database(error),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
