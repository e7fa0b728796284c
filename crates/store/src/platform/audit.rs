//! Repository of the audit trail: an append-only table whose rows form a chain of HMACs
//! (under the key the caller gives; see `maillage_domain::platform::audit`).
//! Appends are serialised (SQLite's write lock, a PostgreSQL advisory lock) so the chain
//! stays a single line, and are made inside the caller's transaction.

use crate::Conn;
use crate::batch::is_postgres;
use crate::error::Result;
use crate::native_sql::{self, NativeConn, native};
use maillage_domain::platform::audit::{AuditRecord, ChainedRow, GENESIS_HASH, TrailKey};
use rusqlite::{OptionalExtension, ToSql};

/// An arbitrary constant naming the advisory lock that serialises appends on PostgreSQL.
const APPEND_LOCK: i64 = 0x6d61_696c_6c61;

#[derive(Debug, Clone, sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    at: i64,
    actor_user_id: Option<i64>,
    actor_role: Option<String>,
    cpts_id: Option<i64>,
    action: String,
    object_type: Option<String>,
    object_id: Option<String>,
    request_id: Option<String>,
    outcome: String,
    previous_hash: String,
    hash: String,
}

impl From<AuditRow> for ChainedRow {
    fn from(row: AuditRow) -> Self {
        ChainedRow {
            seq: row.seq,
            record: AuditRecord {
                at: row.at,
                actor_user_id: row.actor_user_id,
                actor_role: row.actor_role,
                cpts_id: row.cpts_id,
                action: row.action,
                object_type: row.object_type,
                object_id: row.object_id,
                request_id: row.request_id,
                outcome: row.outcome,
            },
            previous_hash: row.previous_hash,
            hash: row.hash,
        }
    }
}

const COLUMNS: &str = "seq, at, actor_user_id, actor_role, cpts_id, action, object_type, \
                       object_id, request_id, outcome, previous_hash, hash";

/// Appends records at the end of the chain, in their order, with one statement. Must run
/// inside a transaction.
pub async fn append(conn: &mut Conn, key: &TrailKey, records: &[AuditRecord]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    if is_postgres(conn) {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(APPEND_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let last: Option<(i64, String)> = sqlx::query_as(LAST).fetch_optional(&mut *conn).await?;
    let sql = insert_statement(records.len());
    let mut insert = sqlx::query(&sql);
    for (record, link) in records.iter().zip(chained(key, records, last)) {
        insert = insert
            .bind(link.seq)
            .bind(record.at)
            .bind(record.actor_user_id)
            .bind(record.actor_role.as_deref())
            .bind(record.cpts_id)
            .bind(record.action.as_str())
            .bind(record.object_type.as_deref())
            .bind(record.object_id.as_deref())
            .bind(record.request_id.as_deref())
            .bind(record.outcome.as_str())
            .bind(link.previous_hash)
            .bind(link.hash);
    }
    insert.execute(conn).await?;
    Ok(())
}

/// [`append`] on SQLite's native writer.
pub fn append_native(conn: &NativeConn, key: &TrailKey, records: &[AuditRecord]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let mut head = conn.prepare_cached(LAST).map_err(native)?;
    let last = head
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
        .map_err(native)?;
    let links = chained(key, records, last);
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(records.len() * 12);
    for (record, link) in records.iter().zip(&links) {
        values.extend([
            &link.seq as &dyn ToSql,
            &record.at,
            &record.actor_user_id,
            &record.actor_role,
            &record.cpts_id,
            &record.action,
            &record.object_type,
            &record.object_id,
            &record.request_id,
            &record.outcome,
            &link.previous_hash,
            &link.hash,
        ]);
    }
    native_sql::execute(conn, &insert_statement(records.len()), &values)?;
    Ok(())
}

/// The chain's last row.
const LAST: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

/// The sequence and hash of the chain's last row.
pub async fn head(conn: &mut Conn) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as(LAST).fetch_optional(conn).await?)
}

/// The sequence of the first row of `action`.
pub async fn first_of_action(conn: &mut Conn, action: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(conn)
            .await?,
    )
}

/// The `INSERT` of `count` rows.
fn insert_statement(count: usize) -> String {
    let rows: Vec<String> = (0..count)
        .map(|i| {
            let first = i * 12 + 1;
            let places: Vec<String> = (first..first + 12).map(|n| format!("${n}")).collect();
            format!("({})", places.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO audit_log ({COLUMNS}) VALUES {}",
        rows.join(", ")
    )
}

/// A record's place in the chain.
struct Link {
    seq: i64,
    previous_hash: String,
    hash: String,
}

/// The links of `records` appended after the chain's `last` row (`seq`, `hash`).
fn chained(key: &TrailKey, records: &[AuditRecord], last: Option<(i64, String)>) -> Vec<Link> {
    let (mut seq, mut previous_hash) = last.unwrap_or((0, GENESIS_HASH.to_owned()));
    records
        .iter()
        .map(|record| {
            seq += 1;
            let hash = record.chain_mac(key, seq, &previous_hash);
            Link {
                seq,
                previous_hash: std::mem::replace(&mut previous_hash, hash.clone()),
                hash,
            }
        })
        .collect()
}

/// The newest rows first, of one CPTS or of the whole host when `cpts_id` is `None`,
/// strictly before `before_seq` when given (for paging).
pub async fn page(
    conn: &mut Conn,
    cpts_id: Option<i64>,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<ChainedRow>> {
    let rows: Vec<AuditRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE ($1 IS NULL OR cpts_id = $1) \
         AND ($2 IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3"
    ))
    .bind(cpts_id)
    .bind(before_seq)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Rows in chain order from `after_seq` (exclusive), at most `limit` of them: the verifier
/// walks the whole chain in batches.
pub async fn batch_after(conn: &mut Conn, after_seq: i64, limit: i64) -> Result<Vec<ChainedRow>> {
    let rows: Vec<AuditRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
    ))
    .bind(after_seq)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
