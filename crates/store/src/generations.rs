//! Repository of generation counters: a named number moved forward, in the transaction of
//! the change it marks, and read by whoever keeps a copy of the data it covers.

use crate::Conn;
use crate::error::Result;

/// The counter of the national directory (moved by each import).
pub const DIRECTORY: &str = "directory";

/// The counter of one CPTS's members.
pub fn members(cpts_id: i64) -> String {
    format!("members:{cpts_id}")
}

/// Moves a counter forward.
pub async fn bump(conn: &mut Conn, name: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO generations (name, value) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = generations.value + 1",
    )
    .bind(name)
    .execute(conn)
    .await?;
    Ok(())
}

/// The current value of a counter (0 if never moved).
pub async fn value(conn: &mut Conn, name: &str) -> Result<i64> {
    let value: Option<i64> = sqlx::query_scalar("SELECT value FROM generations WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    Ok(value.unwrap_or(0))
}

/// The current values of two counters (0 for one never moved).
pub async fn pair(conn: &mut Conn, first: &str, second: &str) -> Result<(i64, i64)> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, value FROM generations WHERE name IN ($1, $2)")
            .bind(first)
            .bind(second)
            .fetch_all(conn)
            .await?;
    let value = |name: &str| rows.iter().find(|r| r.0 == name).map_or(0, |r| r.1);
    Ok((value(first), value(second)))
}
