//! Repository of alerts: a coordinator's broadcast to the accounts of a CPTS or to a topic
//! thread's members, its recipients and their acknowledgements, and its reminders.

use crate::Conn;
use crate::columns::Bit;
use crate::error::Result;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub cpts_id: i64,
    pub title: String,
    pub body: String,
    pub thread_id: Option<i64>,
    #[sqlx(try_from = "Bit")]
    pub ack_required: bool,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub reminders: i64,
    /// How many received it, and how many of them acknowledged it.
    pub recipients: i64,
    pub acknowledged: i64,
}

/// An alert as one of its recipients sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReceivedAlert {
    #[sqlx(flatten)]
    pub alert: AlertRow,
    pub acknowledged_at: Option<i64>,
}

/// A recipient of an alert.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRow {
    pub user_id: i64,
    pub display_name: String,
    pub acknowledged_at: Option<i64>,
}

const SELECT: &str = "SELECT a.id, a.cpts_id, a.title, a.body, a.thread_id, a.ack_required, \
     a.created_by, a.created_at, a.reminders, \
     (SELECT COUNT(*) FROM alert_recipients c WHERE c.alert_id = a.id) AS recipients, \
     (SELECT COUNT(*) FROM alert_recipients c WHERE c.alert_id = a.id \
      AND c.acknowledged_at IS NOT NULL) AS acknowledged";

/// What a new alert says and to whom.
pub struct NewAlert<'a> {
    pub cpts_id: i64,
    pub title: &'a str,
    pub body: &'a str,
    /// The topic thread whose members receive it; `None`: every account of the CPTS.
    pub thread_id: Option<i64>,
    pub ack_required: bool,
    pub created_by: i64,
}

/// Writes an alert and its recipients (the author aside); returns its id and how many
/// recipients it has.
pub async fn insert(conn: &mut Conn, alert: &NewAlert<'_>, now: i64) -> Result<(i64, u64)> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO alerts (cpts_id, title, body, thread_id, ack_required, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(alert.cpts_id)
    .bind(alert.title)
    .bind(alert.body)
    .bind(alert.thread_id)
    .bind(i64::from(alert.ack_required))
    .bind(alert.created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let recipients = match alert.thread_id {
        Some(thread_id) => sqlx::query(
            "INSERT INTO alert_recipients (alert_id, user_id) SELECT $1, user_id \
             FROM thread_members WHERE thread_id = $2 AND left_at IS NULL AND user_id <> $3",
        )
        .bind(id)
        .bind(thread_id),
        None => sqlx::query(
            "INSERT INTO alert_recipients (alert_id, user_id) SELECT $1, id FROM users \
             WHERE cpts_id = $2 AND id <> $3",
        )
        .bind(id)
        .bind(alert.cpts_id),
    }
    .bind(alert.created_by)
    .execute(conn)
    .await?
    .rows_affected();
    Ok((id, recipients))
}

/// The alerts of a CPTS, newest first.
pub async fn of_cpts(conn: &mut Conn, cpts_id: i64) -> Result<Vec<AlertRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} FROM alerts a WHERE a.cpts_id = $1 ORDER BY a.created_at DESC, a.id DESC"
    ))
    .bind(cpts_id)
    .fetch_all(conn)
    .await?)
}

/// The alerts `user_id` received, newest first.
pub async fn received(conn: &mut Conn, user_id: i64) -> Result<Vec<ReceivedAlert>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT}, r.acknowledged_at FROM alert_recipients r JOIN alerts a ON a.id = r.alert_id \
         WHERE r.user_id = $1 ORDER BY a.created_at DESC, a.id DESC"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<AlertRow>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} FROM alerts a WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Who received an alert, those who have not acknowledged first, then by name.
pub async fn recipients(conn: &mut Conn, alert_id: i64) -> Result<Vec<RecipientRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, r.acknowledged_at FROM alert_recipients r \
         JOIN users u ON u.id = r.user_id WHERE r.alert_id = $1 \
         ORDER BY CASE WHEN r.acknowledged_at IS NULL THEN 0 ELSE 1 END, u.display_name, u.id",
    )
    .bind(alert_id)
    .fetch_all(conn)
    .await?)
}

/// Whether `user_id` received the alert, and when they acknowledged it.
pub async fn receipt(conn: &mut Conn, alert_id: i64, user_id: i64) -> Result<Option<Option<i64>>> {
    Ok(sqlx::query_scalar(
        "SELECT acknowledged_at FROM alert_recipients WHERE alert_id = $1 AND user_id = $2",
    )
    .bind(alert_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

/// Records an acknowledgement; `false` when it was already acknowledged.
pub async fn acknowledge(conn: &mut Conn, alert_id: i64, user_id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE alert_recipients SET acknowledged_at = $3 \
         WHERE alert_id = $1 AND user_id = $2 AND acknowledged_at IS NULL",
    )
    .bind(alert_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts one more reminder; returns its number (1 for the first).
pub async fn add_reminder(conn: &mut Conn, alert_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "UPDATE alerts SET reminders = reminders + 1 WHERE id = $1 RETURNING reminders",
    )
    .bind(alert_id)
    .fetch_one(conn)
    .await?)
}
