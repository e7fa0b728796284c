//! Repository of failed logins, counted per account and address and per address to throttle
//! guessing (see `maillage_domain::platform::login_throttle`).
//! Kept in the database so that every app server behind a load balancer sees the same counts.

use crate::Conn;
use crate::error::Result;
use maillage_domain::platform::login_throttle::Failures;

pub async fn record(conn: &mut Conn, email: &str, ip: &str, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(ip)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Failures since `since`: of this account from this address (how many, the last when),
/// and from this address over all accounts.
pub async fn recent(conn: &mut Conn, email: &str, ip: &str, since: i64) -> Result<Failures> {
    let (of_pair, last_of_pair_at): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(at) FROM login_failures WHERE email = $1 AND ip = $2 AND at >= $3",
    )
    .bind(email)
    .bind(ip)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    let of_address: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at >= $2")
            .bind(ip)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Failures {
        of_pair,
        last_of_pair_at,
        of_address,
    })
}

/// A successful login forgives the failures of its account from its address.
pub async fn clear_for_pair(conn: &mut Conn, email: &str, ip: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1 AND ip = $2")
        .bind(email)
        .bind(ip)
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
