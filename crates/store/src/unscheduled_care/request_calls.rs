//! Repository of the desk's calls to the patient of an unscheduled-care request.

use crate::Conn;
use crate::error::Result;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRow {
    pub called_at: i64,
    /// Who called, as named in the platform (none once their account is gone).
    pub called_by_name: Option<String>,
    pub result: String,
    pub note: String,
}

/// Records a call.
pub async fn insert(
    conn: &mut Conn,
    request_id: i64,
    called_by: i64,
    (result, note): (&str, &str),
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO snp_request_calls (request_id, called_at, called_by, result, note) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(request_id)
    .bind(now)
    .bind(called_by)
    .bind(result)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

/// The calls of a request, the latest first.
pub async fn of_request(conn: &mut Conn, request_id: i64) -> Result<Vec<CallRow>> {
    Ok(sqlx::query_as(
        "SELECT c.called_at, u.display_name AS called_by_name, c.result, c.note \
         FROM snp_request_calls c LEFT JOIN users u ON u.id = c.called_by \
         WHERE c.request_id = $1 ORDER BY c.called_at DESC, c.id DESC",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?)
}
