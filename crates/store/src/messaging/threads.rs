//! Repository of message threads and their members: creating a thread, who belongs to it
//! (joining, leaving), archiving, and each member's threads with their unread counts.

use crate::Conn;
use crate::columns::Code;
use crate::error::Result;
use maillage_domain::Role;
use maillage_domain::messaging::ThreadKind;

/// A thread as one of its members sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadRow {
    pub id: i64,
    pub cpts_id: i64,
    #[sqlx(try_from = "Code<ThreadKind>")]
    pub kind: ThreadKind,
    pub topic: String,
    pub patient_last_name: Option<String>,
    pub patient_first_name: Option<String>,
    /// `AAAA-MM-JJ`.
    pub patient_birth_date: Option<String>,
    pub patient_ins: Option<String>,
    pub created_at: i64,
    pub last_message_at: i64,
    pub archived_at: Option<i64>,
    /// The last message this member has seen.
    pub last_read_message_id: i64,
    /// Messages of others this member has not seen.
    pub unread: i64,
}

/// The patient of a new patient thread, as stored.
pub struct NewPatient<'a> {
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub birth_date: &'a str,
    pub ins: Option<&'a str>,
}

/// A member of a thread.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadMemberRow {
    pub user_id: i64,
    pub display_name: String,
    #[sqlx(try_from = "Code<Role>")]
    pub role: Role,
    pub last_read_message_id: i64,
}

const SELECT: &str = "SELECT t.id, t.cpts_id, t.kind, t.topic, t.patient_last_name, \
     t.patient_first_name, t.patient_birth_date, t.patient_ins, t.created_at, \
     t.last_message_at, t.archived_at, tm.last_read_message_id, \
     (SELECT COUNT(*) FROM messages m WHERE m.thread_id = t.id \
      AND m.id > tm.last_read_message_id AND COALESCE(m.author_id, 0) <> tm.user_id) AS unread \
     FROM thread_members tm JOIN threads t ON t.id = tm.thread_id \
     WHERE tm.user_id = $1 AND tm.left_at IS NULL";

/// Creates a thread: a topic thread when `patient` is `None`.
pub async fn insert(
    conn: &mut Conn,
    cpts_id: i64,
    topic: &str,
    patient: Option<&NewPatient<'_>>,
    created_by: i64,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO threads (cpts_id, kind, topic, patient_last_name, patient_first_name, \
         patient_birth_date, patient_ins, created_by, created_at, last_message_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(cpts_id)
    .bind(
        if patient.is_some() {
            ThreadKind::Patient
        } else {
            ThreadKind::Topic
        }
        .code(),
    )
    .bind(topic)
    .bind(patient.map(|p| p.last_name))
    .bind(patient.map(|p| p.first_name))
    .bind(patient.map(|p| p.birth_date))
    .bind(patient.and_then(|p| p.ins))
    .bind(created_by)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Makes `user_id` a member of the thread (again, if they had left). Returns `false` when
/// they already were.
pub async fn add_member(conn: &mut Conn, thread_id: i64, user_id: i64, now: i64) -> Result<bool> {
    let added = sqlx::query(
        "INSERT INTO thread_members (thread_id, user_id, joined_at) VALUES ($1, $2, $3) \
         ON CONFLICT (thread_id, user_id) DO UPDATE SET left_at = NULL, joined_at = $3 \
         WHERE thread_members.left_at IS NOT NULL",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// Ends a membership; `false` when the user was not a member.
pub async fn leave(conn: &mut Conn, thread_id: i64, user_id: i64, now: i64) -> Result<bool> {
    let left = sqlx::query(
        "UPDATE thread_members SET left_at = $3 \
         WHERE thread_id = $1 AND user_id = $2 AND left_at IS NULL",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(left.rows_affected() == 1)
}

/// Archives a thread: it stays readable by its members, and takes no new message.
pub async fn archive(conn: &mut Conn, thread_id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE threads SET archived_at = $2 WHERE id = $1 AND archived_at IS NULL")
        .bind(thread_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The thread, if `user_id` is one of its current members.
pub async fn for_member(
    conn: &mut Conn,
    thread_id: i64,
    user_id: i64,
) -> Result<Option<ThreadRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} AND t.id = $2"))
        .bind(user_id)
        .bind(thread_id)
        .fetch_optional(conn)
        .await?)
}

/// The threads of a member, most recently active first: the open ones, or the archived.
pub async fn of_member(conn: &mut Conn, user_id: i64, archived: bool) -> Result<Vec<ThreadRow>> {
    let state = if archived { "NOT NULL" } else { "NULL" };
    Ok(sqlx::query_as(&format!(
        "{SELECT} AND t.archived_at IS {state} ORDER BY t.last_message_at DESC, t.id DESC"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

/// The current members of a thread, by name.
pub async fn members(conn: &mut Conn, thread_id: i64) -> Result<Vec<ThreadMemberRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, u.role, tm.last_read_message_id \
         FROM thread_members tm JOIN users u ON u.id = tm.user_id \
         WHERE tm.thread_id = $1 AND tm.left_at IS NULL ORDER BY u.display_name, u.id",
    )
    .bind(thread_id)
    .fetch_all(conn)
    .await?)
}

/// Records that a member has seen the thread up to `message_id` (never backwards).
pub async fn mark_read(
    conn: &mut Conn,
    thread_id: i64,
    user_id: i64,
    message_id: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE thread_members SET last_read_message_id = $3 \
         WHERE thread_id = $1 AND user_id = $2 AND last_read_message_id < $3",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(message_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the threads whose last message is older than their CPTS's retention, with their
/// messages and attachments; returns how many went.
pub async fn purge_expired(conn: &mut Conn, now: i64) -> Result<u64> {
    let purged = sqlx::query(
        "DELETE FROM threads WHERE id IN (SELECT t.id FROM threads t JOIN cpts c \
         ON c.id = t.cpts_id WHERE t.last_message_at < $1 - c.message_retention_days * 86400)",
    )
    .bind(now)
    .execute(&mut *conn)
    .await?;
    crate::messaging::attachments::delete_orphan_contents(conn).await?;
    Ok(purged.rows_affected())
}

/// How many days a CPTS keeps a thread after its last message.
pub async fn retention_days(conn: &mut Conn, cpts_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT message_retention_days FROM cpts WHERE id = $1")
            .bind(cpts_id)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn set_retention_days(conn: &mut Conn, cpts_id: i64, days: i64) -> Result<()> {
    sqlx::query("UPDATE cpts SET message_retention_days = $2 WHERE id = $1")
        .bind(cpts_id)
        .bind(days)
        .execute(conn)
        .await?;
    Ok(())
}
