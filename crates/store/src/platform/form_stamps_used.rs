//! Repository of the public forms' stamps already used, each taken once.

use crate::Conn;
use crate::error::Result;

/// Takes `stamp` at `now`; `false` when it was taken before.
pub async fn claim(conn: &mut Conn, stamp: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO form_stamps_used (stamp, at) VALUES ($1, $2) ON CONFLICT (stamp) DO NOTHING",
    )
    .bind(stamp)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the stamps used before `before`, which no form takes any more.
pub async fn purge_before(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM form_stamps_used WHERE at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
