//! Writing a message: its text, the members it mentions, its attached files (checked by
//! their content, stored once per checksum) and the e-mails telling the other members, all
//! in one transaction that also wakes the pages showing the thread.

use super::live::Arrival;
use super::thread_of_member;
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use crate::platform::notify;
use maillage_domain::FieldErrors;
use maillage_domain::messaging::{attachment_type, mentions, parse_body, parse_file_name};
use maillage_domain::platform::audit::Outcome;
use maillage_domain::territory::search_key;
use maillage_store::messaging::attachments::{self, NewAttachment};
use maillage_store::{Db, live, messaging::messages, messaging::threads, platform::outbox};
use sha2::{Digest, Sha256};

/// The most files one message carries.
pub const MAX_FILES: usize = 5;

/// A file sent with a message, as uploaded.
pub struct NewFile {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// A file that passed the checks.
struct CheckedFile<'a> {
    file_name: String,
    media_type: &'static str,
    sha256: String,
    content: &'a [u8],
}

fn check_files<'a>(files: &'a [NewFile], errors: &mut FieldErrors) -> Vec<CheckedFile<'a>> {
    if files.len() > MAX_FILES {
        errors.add(
            "files",
            format!("Joignez {MAX_FILES} fichiers au plus à un message."),
        );
        return Vec::new();
    }
    let mut checked = Vec::new();
    for file in files {
        let file_name = match parse_file_name(&file.file_name) {
            Ok(file_name) => file_name,
            Err(message) => {
                errors.add("files", message);
                continue;
            }
        };
        match attachment_type(&file_name, &file.content) {
            Ok(media_type) => checked.push(CheckedFile {
                sha256: hex::encode(Sha256::digest(&file.content)),
                file_name,
                media_type,
                content: &file.content,
            }),
            Err(message) => errors.add("files", message),
        }
    }
    checked
}

/// A member writes in a thread that is not archived; returns the message's id.
pub async fn post(
    app: &App,
    actor: &Actor,
    thread_id: i64,
    body: &str,
    files: &[NewFile],
) -> ServiceResult<i64> {
    let mut errors = FieldErrors::new();
    let body = errors.take("body", parse_body(body));
    let files = check_files(files, &mut errors);
    let mut tx = app.db.begin().await?;
    let thread = thread_of_member(&mut tx, actor, thread_id).await?;
    if thread.archived_at.is_some() {
        errors.add(
            "body",
            "Cette discussion est archivée : elle ne reçoit plus de message.",
        );
    }
    let Some(body) = body.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let members: Vec<(i64, String)> = threads::members(&mut tx, thread_id)
        .await?
        .into_iter()
        .filter(|m| m.user_id != actor.user_id)
        .map(|m| (m.user_id, m.display_name))
        .collect();
    let mentioned = mentions(&body, &members);
    let now = app.now();
    let key = search_key(&body);
    let id = messages::insert(
        &mut tx,
        thread_id,
        actor.user_id,
        &body,
        &key,
        &mentioned,
        now,
    )
    .await?;
    for file in &files {
        let attachment = NewAttachment {
            file_name: &file.file_name,
            media_type: file.media_type,
            sha256: &file.sha256,
            content: file.content,
        };
        attachments::insert(&mut tx, id, &attachment).await?;
    }
    threads::mark_read(&mut tx, thread_id, actor.user_id, id).await?;
    let texts = notify::new_message(app, thread_id);
    let notified =
        outbox::enqueue_for_message(&mut tx, &texts.mail(app), thread_id, id, actor.user_id, now)
            .await?;
    let arrival = Arrival {
        thread_id,
        message_id: id,
    };
    live::notify(&mut tx, live::MESSAGES, &arrival.payload()).await?;
    let event = Event::new("message.post", Outcome::Success)
        .object("thread", thread_id)
        .cpts(Some(thread.cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    app.live.committed(&app.db, arrival);
    if notified > 0 {
        app.notifications.notify_one();
    }
    Ok(id)
}
