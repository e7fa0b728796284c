//! Repository of idempotency keys: the first call with a key claims it, its answer is kept,
//! and later calls with the same key are told what happened.

use crate::Conn;
use crate::error::Result;
use crate::native_sql::{self, NativeConn};

/// What a key holds when a call arrives with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this call is the first, and must store its answer.
    First,
    /// A call with the same body was answered: status and JSON body.
    Answered(i64, String),
    /// The key was used with another body.
    OtherRequest,
    /// The first call with this key is still being answered.
    InFlight,
}

/// Claims a key that no call used yet.
const CLAIM: &str = "INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING";

/// Keeps a call's answer.
const ANSWER: &str =
    "UPDATE idempotency_keys SET status = $3, body = $4 WHERE user_id = $1 AND key = $2";

/// Claims `key` for `user_id` and the request whose hash is `hash`. A claim left unanswered
/// for `stale_secs` (its server died) is taken over.
pub async fn claim(
    conn: &mut Conn,
    user_id: i64,
    key: &str,
    hash: &str,
    now: i64,
    stale_secs: i64,
) -> Result<Claim> {
    let inserted = sqlx::query(CLAIM)
        .bind(user_id)
        .bind(key)
        .bind(hash)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::First);
    }
    let (stored_hash, status, body, created_at): (String, i64, String, i64) = sqlx::query_as(
        "SELECT request_hash, status, body, created_at FROM idempotency_keys \
         WHERE user_id = $1 AND key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_one(&mut *conn)
    .await?;
    if stored_hash != hash {
        return Ok(Claim::OtherRequest);
    }
    if status != 0 {
        return Ok(Claim::Answered(status, body));
    }
    let taken = sqlx::query(
        "UPDATE idempotency_keys SET created_at = $3 \
         WHERE user_id = $1 AND key = $2 AND status = 0 AND created_at = $4 AND $3 - $4 >= $5",
    )
    .bind(user_id)
    .bind(key)
    .bind(now)
    .bind(created_at)
    .bind(stale_secs)
    .execute(conn)
    .await?;
    Ok(if taken.rows_affected() == 1 {
        Claim::First
    } else {
        Claim::InFlight
    })
}

/// Stores the answer of the first call.
pub async fn answer(
    conn: &mut Conn,
    user_id: i64,
    key: &str,
    status: i64,
    body: &str,
) -> Result<()> {
    sqlx::query(ANSWER)
        .bind(user_id)
        .bind(key)
        .bind(status)
        .bind(body)
        .execute(conn)
        .await?;
    Ok(())
}

/// Claims, on SQLite's native writer, a key no call used yet; `false` when it is used
/// (the caller then claims it with [`claim`], which says how).
pub fn claim_new_native(
    conn: &NativeConn,
    user_id: i64,
    key: &str,
    hash: &str,
    now: i64,
) -> Result<bool> {
    Ok(native_sql::execute(conn, CLAIM, &[&user_id, &key, &hash, &now])? == 1)
}

/// [`answer`] on SQLite's native writer.
pub fn answer_native(
    conn: &NativeConn,
    user_id: i64,
    key: &str,
    status: i64,
    body: &str,
) -> Result<()> {
    native_sql::execute(conn, ANSWER, &[&user_id, &key, &status, &body])?;
    Ok(())
}
