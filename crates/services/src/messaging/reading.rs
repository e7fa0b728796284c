//! Reading threads: a thread's latest messages with their files and who has read them, the
//! messages after one already shown (live pages), searching one's own threads, and
//! downloading an attachment. Each read is audited and moves the reader's read position.

use super::thread_of_member;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::territory::search_key;
use maillage_store::messaging::attachments::{self, AttachmentRow};
use maillage_store::messaging::messages::{self, MessageRow, SearchHit};
use maillage_store::messaging::threads::{self, ThreadMemberRow, ThreadRow};
use maillage_store::platform::users::UserRow;
use maillage_store::{Conn, Db};

/// The most messages a thread's page shows.
const PAGE_MESSAGES: i64 = 200;

/// A message as its reader sees it.
pub struct MessageView {
    pub message: MessageRow,
    pub attachments: Vec<AttachmentRow>,
    /// The other members who have read it.
    pub read_by: Vec<String>,
}

/// A thread's page.
pub struct ThreadView {
    pub thread: ThreadRow,
    pub members: Vec<ThreadMemberRow>,
    pub messages: Vec<MessageView>,
    /// Colleagues of the CPTS who may be added.
    pub addable: Vec<UserRow>,
}

async fn views(
    conn: &mut Conn,
    thread_id: i64,
    rows: Vec<MessageRow>,
    members: &[ThreadMemberRow],
) -> ServiceResult<Vec<MessageView>> {
    let Some(first) = rows.first().map(|m| m.id) else {
        return Ok(Vec::new());
    };
    let mut files = attachments::of_thread(conn, thread_id, first).await?;
    Ok(rows
        .into_iter()
        .map(|message| {
            let read_by = members
                .iter()
                .filter(|m| m.last_read_message_id >= message.id)
                .filter(|m| Some(m.user_id) != message.author_id)
                .map(|m| m.display_name.clone())
                .collect();
            let (mine, rest) = files.drain(..).partition(|f| f.message_id == message.id);
            files = rest;
            MessageView {
                message,
                attachments: mine,
                read_by,
            }
        })
        .collect())
}

/// Marks what the actor was shown as read and audits the read, in one transaction.
async fn record_read(
    app: &App,
    actor: &Actor,
    thread: &ThreadRow,
    last: Option<i64>,
) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    if let Some(last) = last {
        threads::mark_read(&mut tx, thread.id, actor.user_id, last).await?;
    }
    let event = Event::new("thread.read", Outcome::Success)
        .object("thread", thread.id)
        .cpts(Some(thread.cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    Ok(())
}

/// A member opens a thread.
pub async fn open(app: &App, actor: &Actor, thread_id: i64) -> ServiceResult<ThreadView> {
    let mut conn = app.db.conn().await?;
    let thread = thread_of_member(&mut conn, actor, thread_id).await?;
    let rows = messages::latest(&mut conn, thread_id, actor.user_id, PAGE_MESSAGES).await?;
    let last = rows.last().map(|m| m.id);
    drop(conn);
    record_read(app, actor, &thread, last).await?;
    let mut conn = app.db.conn().await?;
    let members = threads::members(&mut conn, thread_id).await?;
    let messages = views(&mut conn, thread_id, rows, &members).await?;
    let colleagues = maillage_store::platform::users::list(&mut conn, Some(thread.cpts_id)).await?;
    let addable = colleagues
        .into_iter()
        .filter(|c| !members.iter().any(|m| m.user_id == c.id))
        .collect();
    Ok(ThreadView {
        thread,
        members,
        messages,
        addable,
    })
}

/// The messages after `after_id`, for a page that shows the thread live.
pub async fn messages_after(
    app: &App,
    actor: &Actor,
    thread_id: i64,
    after_id: i64,
) -> ServiceResult<Vec<MessageView>> {
    let mut conn = app.db.conn().await?;
    let thread = thread_of_member(&mut conn, actor, thread_id).await?;
    let rows =
        messages::after(&mut conn, thread_id, actor.user_id, after_id, PAGE_MESSAGES).await?;
    let last = rows.last().map(|m| m.id);
    drop(conn);
    record_read(app, actor, &thread, last).await?;
    let mut conn = app.db.conn().await?;
    let members = threads::members(&mut conn, thread_id).await?;
    views(&mut conn, thread_id, rows, &members).await
}

/// The most words a search takes into account.
const SEARCH_WORDS: usize = 6;

/// What a search finds in the actor's threads.
pub struct Found {
    /// The threads, open or archived, whose topic or patient's name holds every word.
    pub threads: Vec<ThreadRow>,
    /// The messages that hold every word, newest first.
    pub messages: Vec<SearchHit>,
}

/// The name a thread is searched under: its topic, or its patient's names.
fn searched_title(thread: &ThreadRow) -> String {
    match (&thread.patient_last_name, &thread.patient_first_name) {
        (Some(last), Some(first)) => search_key(&format!("{last} {first}")),
        _ => search_key(&thread.topic),
    }
}

/// The actor's threads and messages that contain every word of `query`, accents and case
/// aside.
pub async fn search(app: &App, actor: &Actor, query: &str) -> ServiceResult<Found> {
    let key = search_key(query);
    let words: Vec<&str> = key
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(SEARCH_WORDS)
        .collect();
    if words.is_empty() {
        return Ok(Found {
            threads: Vec::new(),
            messages: Vec::new(),
        });
    }
    let mut conn = app.db.conn().await?;
    let messages = messages::search(&mut conn, actor.user_id, &words, 50).await?;
    let mut threads = threads::of_member(&mut conn, actor.user_id, false).await?;
    threads.extend(threads::of_member(&mut conn, actor.user_id, true).await?);
    drop(conn);
    threads.retain(|thread| {
        let title = searched_title(thread);
        words.iter().all(|word| title.contains(word))
    });
    let event = Event::new("message.search", Outcome::Success).cpts(actor.cpts_id);
    audit::write(app, &Who::User(actor), event).await?;
    Ok(Found { threads, messages })
}

/// An attachment to send to its reader.
pub struct Download {
    pub file_name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

/// A member of the attachment's thread downloads it.
pub async fn download(app: &App, actor: &Actor, attachment_id: i64) -> ServiceResult<Download> {
    let mut conn = app.db.conn().await?;
    let found = attachments::by_id(&mut conn, attachment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let thread = thread_of_member(&mut conn, actor, found.thread_id).await?;
    let content = attachments::content(&mut conn, &found.attachment.sha256)
        .await?
        .ok_or(ServiceError::NotFound)?;
    drop(conn);
    let event = Event::new("attachment.read", Outcome::Success)
        .object("attachment", attachment_id)
        .cpts(Some(thread.cpts_id));
    audit::write(app, &Who::User(actor), event).await?;
    Ok(Download {
        file_name: found.attachment.file_name,
        media_type: found.attachment.media_type,
        content,
    })
}

/// The arrivals of new messages, for a member keeping the thread open.
pub async fn watch(
    app: &App,
    actor: &Actor,
    thread_id: i64,
) -> ServiceResult<tokio::sync::broadcast::Receiver<super::live::Arrival>> {
    let mut conn = app.db.conn().await?;
    thread_of_member(&mut conn, actor, thread_id).await?;
    drop(conn);
    app.live.subscribe(&app.db).await
}
