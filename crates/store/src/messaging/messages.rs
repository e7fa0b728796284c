//! Repository of messages: writing one (with its mentions), reading a thread's latest
//! messages or those after a given one, and searching the threads of one member.

use crate::Conn;
use crate::columns::Bit;
use crate::error::Result;

/// A message as a reader sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
    /// 1 when the message mentions the reader.
    #[sqlx(try_from = "Bit")]
    pub mentions_reader: bool,
}

/// A message found by a search, with its thread.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    pub thread_id: i64,
    pub message_id: i64,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
}

const SELECT: &str = "SELECT m.id, m.author_id, \
     COALESCE(u.display_name, 'Compte supprimé') AS author_name, m.body, m.created_at, \
     CASE WHEN EXISTS (SELECT 1 FROM message_mentions mm \
       WHERE mm.message_id = m.id AND mm.user_id = $2) THEN 1 ELSE 0 END AS mentions_reader \
     FROM messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.thread_id = $1";

/// Writes a message, its mentions, and moves the thread's last activity.
pub async fn insert(
    conn: &mut Conn,
    thread_id: i64,
    author_id: i64,
    body: &str,
    search_text: &str,
    mentioned: &[i64],
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (thread_id, author_id, body, search_text, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(thread_id)
    .bind(author_id)
    .bind(body)
    .bind(search_text)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for user_id in mentioned {
        sqlx::query("INSERT INTO message_mentions (message_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE threads SET last_message_at = $2 WHERE id = $1")
        .bind(thread_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(id)
}

/// The last `limit` messages of a thread, oldest first.
pub async fn latest(
    conn: &mut Conn,
    thread_id: i64,
    reader_id: i64,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let mut rows: Vec<MessageRow> =
        sqlx::query_as(&format!("{SELECT} ORDER BY m.id DESC LIMIT $3"))
            .bind(thread_id)
            .bind(reader_id)
            .bind(limit)
            .fetch_all(conn)
            .await?;
    rows.reverse();
    Ok(rows)
}

/// The messages of a thread written after `after_id`, oldest first, at most `limit`.
pub async fn after(
    conn: &mut Conn,
    thread_id: i64,
    reader_id: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} AND m.id > $3 ORDER BY m.id LIMIT $4"))
            .bind(thread_id)
            .bind(reader_id)
            .bind(after_id)
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}

/// The messages containing every one of `words` (search-key words: lower-case ASCII), in
/// any order, in the threads `user_id` currently belongs to, newest first.
pub async fn search(
    conn: &mut Conn,
    user_id: i64,
    words: &[&str],
    limit: i64,
) -> Result<Vec<SearchHit>> {
    let conditions: String = (0..words.len())
        .map(|i| format!(" AND m.search_text LIKE ${}", i + 3))
        .collect();
    let sql = format!(
        "SELECT m.thread_id, m.id AS message_id, \
         COALESCE(u.display_name, 'Compte supprimé') AS author_name, m.body, m.created_at \
         FROM thread_members tm JOIN messages m ON m.thread_id = tm.thread_id \
         LEFT JOIN users u ON u.id = m.author_id \
         WHERE tm.user_id = $1 AND tm.left_at IS NULL{conditions} \
         ORDER BY m.id DESC LIMIT $2"
    );
    let mut query = sqlx::query_as(&sql).bind(user_id).bind(limit);
    for word in words {
        query = query.bind(format!("%{word}%"));
    }
    Ok(query.fetch_all(conn).await?)
}
