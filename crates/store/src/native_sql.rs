//! Statements on SQLite's native connection (see [`crate::native_writer`]): the
//! repositories' own SQL text, its parameters `$1`, `$2`… bound by name, prepared once per
//! connection.

use crate::error::{Result, StoreError};
use rusqlite::{CachedStatement, Connection, ToSql};

/// The native writer's connection, lent to a job.
pub type NativeConn = Connection;

/// A native SQLite error as the store's.
pub(crate) fn native(error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation)
            if error.to_string().contains("UNIQUE constraint failed") =>
        {
            StoreError::Conflict
        }
        _ => StoreError::Native(error.to_string()),
    }
}

/// Runs a statement of the repositories (parameters `$1`, `$2`…) with `values` in their
/// order; the number of rows it changed.
pub(crate) fn execute(conn: &Connection, sql: &str, values: &[&dyn ToSql]) -> Result<usize> {
    let mut statement = bound(conn, sql, values)?;
    statement.raw_execute().map_err(native)
}

/// Runs a statement that returns one integer (`RETURNING id`).
pub(crate) fn returning_id(conn: &Connection, sql: &str, values: &[&dyn ToSql]) -> Result<i64> {
    let mut statement = bound(conn, sql, values)?;
    let mut rows = statement.raw_query();
    let row = rows.next().map_err(native)?.ok_or(StoreError::Native(
        "the statement returned no row".to_owned(),
    ))?;
    row.get(0).map_err(native)
}

/// The statement `sql`, from the connection's cache, with `values` bound to `$1`, `$2`…
fn bound<'c>(
    conn: &'c Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> Result<CachedStatement<'c>> {
    let mut statement = conn.prepare_cached(sql).map_err(native)?;
    for (place, value) in values.iter().enumerate() {
        let name = format!("${}", place + 1);
        let index = statement
            .parameter_index(&name)
            .map_err(native)?
            .ok_or_else(|| StoreError::Native(format!("no parameter {name}")))?;
        statement.raw_bind_parameter(index, value).map_err(native)?;
    }
    Ok(statement)
}

/// Runs `work` in a savepoint of the job: its writes are undone when it fails.
pub fn in_savepoint<T, E: From<StoreError>>(
    conn: &Connection,
    work: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    conn.execute_batch("SAVEPOINT attempt").map_err(native)?;
    let result = work();
    let end = if result.is_ok() {
        "RELEASE attempt"
    } else {
        "ROLLBACK TO attempt; RELEASE attempt"
    };
    conn.execute_batch(end).map_err(native)?;
    result
}
