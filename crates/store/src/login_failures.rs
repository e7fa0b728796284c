//! Repository of failed logins, counted per account and per address to throttle guessing.
//! Kept in the database so that every app server behind a load balancer sees the same counts.

use crate::Conn;
use crate::error::Result;

pub async fn record(conn: &mut Conn, email: &str, ip: &str, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(ip)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Failures since `since` for this account and for this address.
pub async fn counts_since(
    conn: &mut Conn,
    email: &str,
    ip: &str,
    since: i64,
) -> Result<(i64, i64)> {
    let by_email: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at >= $2")
            .bind(email)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?;
    let by_ip: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at >= $2")
            .bind(ip)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?;
    Ok((by_email, by_ip))
}

/// A successful login forgives the account's earlier failures.
pub async fn clear_for_email(conn: &mut Conn, email: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets failures older than `before`.
pub async fn purge_before(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
