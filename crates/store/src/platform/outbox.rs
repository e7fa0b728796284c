//! Repository of the e-mail outbox: notifications written set-based in the transaction of
//! the event they tell of (one per person, unique by what they are about), then taken by a
//! worker under a lease, and marked sent or scheduled for another attempt.

use crate::Conn;
use crate::batch::is_postgres;
use crate::columns::Code;
use crate::error::Result;
use crate::leases::Queue;
use maillage_domain::platform::notification::NotificationChannel;
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// The text of a notification, the same for every recipient.
pub struct Mail<'a> {
    pub subject: &'a str,
    pub body: &'a str,
    /// The host part of the Message-IDs (the platform's public host name).
    pub host: &'a str,
}

/// A notification a worker is to send.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    /// By text message, the recipient is a phone number.
    #[sqlx(try_from = "Code<NotificationChannel>")]
    pub channel: NotificationChannel,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// An enqueuing `INSERT … SELECT` whose key is `key` and rows come `from`, with the mail's
/// host, subject and body and the time bound to `$1` to `$4`.
fn enqueue<'q>(sql: &'q str, mail: &Mail<'q>, now: i64) -> Query<'q, Any, AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(mail.host)
        .bind(mail.subject)
        .bind(mail.body)
        .bind(now)
}

/// The columns every enqueuing `INSERT … SELECT` fills, the key expression first.
fn insert_sql(key: &str, from: &str) -> String {
    format!(
        "INSERT INTO outbox (dedup_key, message_id, recipient, subject, body, created_at, \
         next_attempt_at) SELECT {key}, '<' || {key} || '@' || $1 || '>', u.email, $2, $3, $4, $4 \
         {from} ON CONFLICT (dedup_key) DO NOTHING"
    )
}

/// Tells the other current members of a thread that a message was written there: those who
/// want every message, and those who want mentions when it mentions them. One e-mail per
/// person and unread stretch: until they read the thread, further messages add none.
pub async fn enqueue_for_message(
    conn: &mut Conn,
    mail: &Mail<'_>,
    thread_id: i64,
    message_id: i64,
    author_id: i64,
    now: i64,
) -> Result<u64> {
    let key = "'thread.' || tm.thread_id || '.' || u.id || '.' || tm.last_read_message_id";
    let from = "FROM thread_members tm JOIN users u ON u.id = tm.user_id \
         LEFT JOIN notification_preferences p ON p.user_id = u.id \
         WHERE tm.thread_id = $5 AND tm.left_at IS NULL AND u.id <> $6 \
         AND (COALESCE(p.messages, 'all') = 'all' OR (p.messages = 'mentions' AND EXISTS \
         (SELECT 1 FROM message_mentions mm WHERE mm.message_id = $7 AND mm.user_id = u.id)))";
    let sql = insert_sql(key, from);
    let done = enqueue(&sql, mail, now)
        .bind(thread_id)
        .bind(author_id)
        .bind(message_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Tells the recipients of an alert who want alerts by e-mail, once per `round` (0 for the
/// alert, then each reminder), and for reminders only those who have not acknowledged.
pub async fn enqueue_for_alert(
    conn: &mut Conn,
    mail: &Mail<'_>,
    alert_id: i64,
    round: i64,
    now: i64,
) -> Result<u64> {
    let key = "'alert.' || r.alert_id || '.' || u.id || '.' || $6";
    let from = "FROM alert_recipients r JOIN users u ON u.id = r.user_id \
         LEFT JOIN notification_preferences p ON p.user_id = u.id \
         WHERE r.alert_id = $5 AND COALESCE(p.alerts, 1) = 1 \
         AND ($6 = 0 OR r.acknowledged_at IS NULL)";
    let sql = insert_sql(key, from);
    let done = enqueue(&sql, mail, now)
        .bind(alert_id)
        .bind(round)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Tells one person of the event `key` (e.g. `proposal.12`), unless they already were.
pub async fn enqueue_for_user(
    conn: &mut Conn,
    mail: &Mail<'_>,
    key: &str,
    user_id: i64,
    now: i64,
) -> Result<u64> {
    let sql = insert_sql("$5 || '.' || u.id", "FROM users u WHERE u.id = $6");
    let done = enqueue(&sql, mail, now)
        .bind(key)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Tells the coordinators of a CPTS of the event `key`, unless they already were.
pub async fn enqueue_for_coordinators(
    conn: &mut Conn,
    mail: &Mail<'_>,
    key: &str,
    cpts_id: i64,
    now: i64,
) -> Result<u64> {
    let sql = insert_sql(
        "$5 || '.' || u.id",
        "FROM users u WHERE u.cpts_id = $6 AND u.role = 'coordinator'",
    );
    let done = enqueue(&sql, mail, now)
        .bind(key)
        .bind(cpts_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Writes one SMS to a phone number (a patient's, in the international form), for the event
/// `key`; `host` makes its reference as it makes e-mails' Message-IDs.
pub async fn enqueue_sms(
    conn: &mut Conn,
    key: &str,
    host: &str,
    phone: &str,
    text: &str,
    now: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "INSERT INTO outbox (channel, dedup_key, message_id, recipient, subject, body, \
         created_at, next_attempt_at) VALUES ('sms', $1, '<' || $1 || '@' || $2 || '>', $3, '', \
         $4, $5, $5) ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind(key)
    .bind(host)
    .bind(phone)
    .bind(text)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Writes one e-mail to an address that is no account's (a patient's), for the event `key`.
pub async fn enqueue_to_address(
    conn: &mut Conn,
    mail: &Mail<'_>,
    key: &str,
    address: &str,
    now: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "INSERT INTO outbox (dedup_key, message_id, recipient, subject, body, created_at, \
         next_attempt_at) VALUES ($1, '<' || $1 || '@' || $2 || '>', $3, $4, $5, $6, $6) \
         ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind(key)
    .bind(mail.host)
    .bind(address)
    .bind(mail.subject)
    .bind(mail.body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Records that the e-mails of an alert's `round` are to be written (see [`next_fanout`]).
pub async fn add_fanout(conn: &mut Conn, alert_id: i64, round: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox_fanouts (alert_id, round, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (alert_id, round) DO NOTHING",
    )
    .bind(alert_id)
    .bind(round)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A fan-out waiting to be expanded: (id, alert, round).
pub type Fanout = (i64, i64, i64);

/// The oldest fan-out waiting, taken for the caller's transaction (on PostgreSQL, one that
/// another server's worker holds is skipped).
pub async fn next_fanout(conn: &mut Conn) -> Result<Option<Fanout>> {
    let skip_locked = if is_postgres(conn) {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    Ok(sqlx::query_as(&format!(
        "SELECT id, alert_id, round FROM outbox_fanouts ORDER BY id LIMIT 1{skip_locked}"
    ))
    .fetch_optional(conn)
    .await?)
}

pub async fn delete_fanout(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM outbox_fanouts WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The notifications to send, taken by workers under a lease (`QUEUE.claim` gives OutboxRow).
pub const QUEUE: Queue = Queue {
    table: "outbox",
    key: "id",
    pending: "sent_at IS NULL AND failed_at IS NULL",
    order: "id",
    returning: "id, channel, message_id, recipient, subject, body, attempts",
};

pub async fn mark_sent(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the notifications created before `before`, sent or not: an e-mail address
/// is kept no longer than needed.
pub async fn purge(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM outbox WHERE created_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
