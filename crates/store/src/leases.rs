//! Queues that workers of any server take work from under a lease (the outbox, the SAS
//! appointments): the statement that leases the rows due, and the record of a failed
//! attempt, the same for each queue's table.

use crate::Conn;
use crate::batch::is_postgres;
use crate::error::Result;
use sqlx::any::AnyRow;

/// A queue table: its key column, the condition of a row still to be done, the order rows
/// are taken in, and the columns a worker takes.
pub struct Queue {
    pub(crate) table: &'static str,
    pub(crate) key: &'static str,
    pub(crate) pending: &'static str,
    pub(crate) order: &'static str,
    pub(crate) returning: &'static str,
}

impl Queue {
    /// Takes up to `limit` rows due at `now` that no live lease holds, and leases them for
    /// `lease_secs`. On PostgreSQL, workers of other servers skip the rows one holds.
    pub async fn claim<T>(
        &self,
        conn: &mut Conn,
        now: i64,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        let skip_locked = if is_postgres(conn) {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let Queue {
            table,
            key,
            pending,
            order,
            returning,
        } = self;
        let sql = format!(
            "UPDATE {table} SET lease_until = $1 + $2, attempts = attempts + 1 WHERE {key} IN \
             (SELECT {key} FROM {table} WHERE {pending} AND next_attempt_at <= $1 \
             AND (lease_until IS NULL OR lease_until <= $1) ORDER BY {order} LIMIT $3{skip_locked}) \
             RETURNING {returning}"
        );
        Ok(sqlx::query_as(&sql)
            .bind(now)
            .bind(lease_secs)
            .bind(limit)
            .fetch_all(conn)
            .await?)
    }

    /// Records a failed attempt at row `id`: another at `retry_at`, or none (`None`: given
    /// up).
    pub async fn mark_failed(
        &self,
        conn: &mut Conn,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
        now: i64,
    ) -> Result<()> {
        let Queue { table, key, .. } = self;
        sqlx::query(&format!(
            "UPDATE {table} SET lease_until = NULL, last_error = $2, \
             next_attempt_at = COALESCE($3, next_attempt_at), \
             failed_at = CASE WHEN $3 IS NULL THEN $4 ELSE NULL END WHERE {key} = $1"
        ))
        .bind(id)
        .bind(error)
        .bind(retry_at)
        .bind(now)
        .execute(conn)
        .await?;
        Ok(())
    }
}
