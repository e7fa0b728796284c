//! A thread's page: its messages with their files and read receipts, writing (with
//! attachments), adding a colleague, leaving, archiving; the fragment of new messages and
//! the event stream that announces them to an open page; downloading an attachment.

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, patient_page_title, render, render_form};
use crate::messaging::inbox::thread_title;
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use futures_util::stream::{self, Stream};
use maillage_domain::messaging::ThreadKind;
use maillage_domain::{FieldErrors, Role};
use maillage_services::ServiceError;
use maillage_services::messaging::{self, MessageView, NewFile, ThreadView};
use maillage_services::platform::auth::Session;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

#[derive(Template)]
#[template(path = "messaging/thread.html")]
struct ThreadPage {
    layout: Layout,
    title: String,
    view: ThreadView,
    messages: Vec<MessageView>,
    last_id: i64,
    coordinator: bool,
    body: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "messaging/message_items.html")]
struct MessageItems {
    messages: Vec<MessageView>,
}

async fn thread_page(
    state: &AppState,
    session: &Session,
    id: i64,
    body: String,
    errors: FieldErrors,
) -> PageResult {
    let mut view = messaging::open(&state.app, &session.actor, id).await?;
    let title = thread_title(&view.thread);
    let page_title = match view.thread.kind {
        ThreadKind::Patient => patient_page_title("Discussion autour d’un patient", id),
        ThreadKind::Topic => title.clone(),
    };
    let messages = std::mem::take(&mut view.messages);
    let page = ThreadPage {
        layout: layout(state, session, &page_title, "/messagerie").await,
        title,
        last_id: messages.last().map_or(0, |m| m.message.id),
        messages,
        view,
        coordinator: session.actor.role == Role::Coordinator,
        body,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /messagerie/fils/{id}`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    thread_page(&state, &session, id, String::new(), FieldErrors::new()).await
}

/// The text and files of a message form.
async fn message_of(mut form: Multipart) -> Result<(String, Vec<NewFile>), FieldErrors> {
    let unreadable =
        || FieldErrors::single("files", "Le formulaire n’a pas pu être lu ; réessayez.");
    let (mut body, mut files) = (String::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("body") => body = field.text().await.map_err(|_| unreadable())?,
            Some("files") => {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let content = field.bytes().await.map_err(|_| unreadable())?;
                // A file input left empty still sends one nameless, empty part.
                if !(file_name.is_empty() && content.is_empty()) {
                    files.push(NewFile {
                        file_name,
                        content: content.to_vec(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok((body, files))
}

/// `POST /messagerie/fils/{id}/messages` (multipart: text and files)
pub async fn post(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    form: Multipart,
) -> PageResult {
    let (body, files) = match message_of(form).await {
        Ok(message) => message,
        Err(errors) => return thread_page(&state, &session, id, String::new(), errors).await,
    };
    match messaging::post(&state.app, &session.actor, id, &body, &files).await {
        Ok(message) => {
            Ok(Redirect::to(&format!("/messagerie/fils/{id}#message-{message}")).into_response())
        }
        Err(ServiceError::Invalid(errors)) => thread_page(&state, &session, id, body, errors).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct MemberForm {
    member: i64,
}

/// `POST /messagerie/fils/{id}/membres`
pub async fn add_member(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> PageResult {
    match messaging::add_member(&state.app, &session.actor, id, form.member).await {
        Ok(()) => Ok(Redirect::to(&format!("/messagerie/fils/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            thread_page(&state, &session, id, String::new(), errors).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /messagerie/fils/{id}/depart`
pub async fn leave(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    match messaging::leave(&state.app, &session.actor, id).await {
        Ok(()) => Ok(Redirect::to("/messagerie").into_response()),
        Err(error) => Err(error.into()),
    }
}

/// `POST /messagerie/fils/{id}/archivage`
pub async fn archive(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    match messaging::archive(&state.app, &session.actor, id).await {
        Ok(()) => Ok(Redirect::to(&format!("/messagerie/fils/{id}")).into_response()),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct AfterQuery {
    #[serde(default)]
    apres: i64,
}

/// `GET /messagerie/fils/{id}/nouveaux?apres=ID`: the messages after one already shown, as
/// list items for the open page to append.
pub async fn newer(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Query(query): Query<AfterQuery>,
) -> PageResult {
    match messaging::messages_after(&state.app, &session.actor, id, query.apres).await {
        Ok(messages) => Ok(render(&MessageItems { messages })),
        Err(error) => Err(error.into()),
    }
}

/// How long one event stream stays open; the browser then reconnects, which checks the
/// session again.
const STREAM_LIFETIME: Duration = Duration::from_secs(300);

/// `GET /messagerie/fils/{id}/flux`: server-sent events, one per new message of the thread,
/// carrying only the message's id.
pub async fn events(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    let arrivals = messaging::watch(&state.app, &session.actor, id).await?;
    let deadline = tokio::time::Instant::now() + STREAM_LIFETIME;
    Ok(Sse::new(announcements(arrivals, id, deadline))
        .keep_alive(KeepAlive::default())
        .into_response())
}

fn announcements(
    arrivals: tokio::sync::broadcast::Receiver<messaging::live::Arrival>,
    thread_id: i64,
    deadline: tokio::time::Instant,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(arrivals, move |mut arrivals| async move {
        loop {
            let next = tokio::time::timeout_at(deadline, arrivals.recv()).await;
            match next {
                Ok(Ok(arrival)) if arrival.thread_id == thread_id => {
                    let event = Event::default().data(arrival.message_id.to_string());
                    return Some((Ok(event), arrivals));
                }
                Ok(Ok(_)) => {}
                // Fell behind: the page catches up from the last message it shows.
                Ok(Err(RecvError::Lagged(_))) => {
                    return Some((Ok(Event::default().data("0")), arrivals));
                }
                Ok(Err(RecvError::Closed)) | Err(_) => return None,
            }
        }
    })
}

/// `GET /messagerie/pieces-jointes/{id}`: always downloaded, never shown inline.
pub async fn download(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    let file = messaging::download(&state.app, &session.actor, id).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        file.file_name
            .replace(|c: char| !c.is_ascii() || c == '\\', "_"),
        percent_encode(&file.file_name)
    );
    let mut response = (StatusCode::OK, file.content).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// RFC 5987 encoding of a file name.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
