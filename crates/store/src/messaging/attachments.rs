//! Repository of attachments: their contents stored once per SHA-256 checksum, apart from
//! the messages, and the files each message carries.

use crate::Conn;
use crate::error::Result;

/// An attached file, without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub message_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

/// The file a message carries, to be written with it.
pub struct NewAttachment<'a> {
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

/// Attaches a file to a message; its content is stored unless one with the same checksum is.
pub async fn insert(conn: &mut Conn, message_id: i64, file: &NewAttachment<'_>) -> Result<i64> {
    let size = file.content.len() as i64;
    sqlx::query(
        "INSERT INTO attachment_contents (sha256, size, content) VALUES ($1, $2, $3) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(file.sha256)
    .bind(size)
    .bind(file.content)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO attachments (message_id, file_name, media_type, size, sha256) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(message_id)
    .bind(file.file_name)
    .bind(file.media_type)
    .bind(size)
    .bind(file.sha256)
    .fetch_one(conn)
    .await?)
}

/// The attachments of a thread's messages from `first_message_id` on.
pub async fn of_thread(
    conn: &mut Conn,
    thread_id: i64,
    first_message_id: i64,
) -> Result<Vec<AttachmentRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.message_id, a.file_name, a.media_type, a.size, a.sha256 \
         FROM attachments a JOIN messages m ON m.id = a.message_id \
         WHERE m.thread_id = $1 AND m.id >= $2 ORDER BY a.id",
    )
    .bind(thread_id)
    .bind(first_message_id)
    .fetch_all(conn)
    .await?)
}

/// An attachment and the thread of its message.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentInThread {
    #[sqlx(flatten)]
    pub attachment: AttachmentRow,
    pub thread_id: i64,
}

/// One attachment and the thread it belongs to.
pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<AttachmentInThread>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.message_id, a.file_name, a.media_type, a.size, a.sha256, m.thread_id \
         FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The stored content with this checksum.
pub async fn content(conn: &mut Conn, sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT content FROM attachment_contents WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(conn)
            .await?,
    )
}

/// Removes the contents no attachment refers to any more.
pub async fn delete_orphan_contents(conn: &mut Conn) -> Result<u64> {
    let deleted = sqlx::query(
        "DELETE FROM attachment_contents WHERE NOT EXISTS \
         (SELECT 1 FROM attachments a WHERE a.sha256 = attachment_contents.sha256)",
    )
    .execute(conn)
    .await?;
    Ok(deleted.rows_affected())
}
