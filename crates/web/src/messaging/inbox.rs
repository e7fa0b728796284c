//! The messaging pages: one's threads with their unread counts (open or archived), a search
//! of one's threads (by topic or patient) and messages, and opening a thread about a patient
//! or a topic.

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, RawForm, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::messaging::ThreadKind;
use maillage_domain::{FieldErrors, Role};
use maillage_domain::{common::civil_date::CivilDate, messaging::PatientFields};
use maillage_services::ServiceError;
use maillage_services::messaging::{self, Found, NewThread};
use maillage_services::platform::auth::Session;
use maillage_store::messaging::threads::ThreadRow;
use maillage_store::platform::users::UserRow;
use serde::Deserialize;

/// The name a thread is shown under.
pub fn thread_title(thread: &ThreadRow) -> String {
    match (&thread.patient_last_name, &thread.patient_first_name) {
        (Some(last), Some(first)) => {
            let born = thread
                .patient_birth_date
                .as_deref()
                .and_then(CivilDate::parse)
                .map(|d| format!(", né(e) le {}", d.french()))
                .unwrap_or_default();
            format!("{last} {first}{born}")
        }
        _ => thread.topic.clone(),
    }
}

#[derive(Template)]
#[template(path = "messaging/messaging.html")]
struct MessagingPage {
    layout: Layout,
    threads: Vec<ThreadRow>,
    archived: bool,
    query: String,
    found: Option<Found>,
    colleagues: Vec<UserRow>,
    kind: String,
    patient: PatientFields,
    topic: String,
    chosen: Vec<i64>,
    /// The CPTS's retention in days, as typed or stored; shown to coordinators only.
    retention: Option<String>,
    errors: FieldErrors,
}

impl MessagingPage {
    fn title(&self, thread: &ThreadRow) -> String {
        thread_title(thread)
    }

    fn is_chosen(&self, id: &i64) -> bool {
        self.chosen.contains(id)
    }

    fn excerpt(&self, body: &str) -> String {
        let mut excerpt: String = body.chars().take(160).collect();
        if body.chars().count() > 160 {
            excerpt.push('…');
        }
        excerpt
    }
}

/// What the list shows: the archived threads or the open ones, and the words searched
/// (sent in a form's body, never in the address: they may name a patient).
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    archives: Option<String>,
    #[serde(default, skip)]
    q: String,
}

/// The search form's body.
#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
}

/// What the page's forms show besides the lists: the thread being opened (and its kind),
/// and the retention typed by a coordinator.
struct Drafts {
    thread: NewThread,
    kind: String,
    retention: Option<String>,
}

impl Default for Drafts {
    fn default() -> Self {
        Self {
            thread: NewThread::default(),
            kind: "patient".to_owned(),
            retention: None,
        }
    }
}

async fn messaging_page(
    state: &AppState,
    session: &Session,
    query: ListQuery,
    drafts: Drafts,
    errors: FieldErrors,
) -> PageResult {
    let actor = &session.actor;
    let archived = query.archives.is_some();
    let threads = messaging::list(&state.app, actor, archived).await?;
    let found = if query.q.trim().is_empty() {
        None
    } else {
        Some(messaging::search(&state.app, actor, &query.q).await?)
    };
    let colleagues = messaging::colleagues(&state.app, actor)
        .await
        .unwrap_or_default();
    let retention = match (drafts.retention, actor.role) {
        (Some(typed), _) => Some(typed),
        (None, Role::Coordinator) => messaging::retention(&state.app, actor)
            .await
            .ok()
            .map(|days| days.to_string()),
        (None, _) => None,
    };
    let new = drafts.thread;
    let page = MessagingPage {
        layout: layout(state, session, "Messagerie", "/messagerie").await,
        threads,
        archived,
        query: query.q,
        found,
        colleagues,
        kind: drafts.kind,
        patient: new.patient.unwrap_or_default(),
        topic: new.topic,
        chosen: new.members,
        retention,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /messagerie`
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Query(query): Query<ListQuery>,
) -> PageResult {
    messaging_page(
        &state,
        &session,
        query,
        Drafts::default(),
        FieldErrors::new(),
    )
    .await
}

/// `POST /messagerie/recherche`: the open threads' list with the messages that hold the
/// words searched.
pub async fn search(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<SearchForm>,
) -> PageResult {
    let query = ListQuery {
        archives: None,
        q: form.q,
    };
    messaging_page(
        &state,
        &session,
        query,
        Drafts::default(),
        FieldErrors::new(),
    )
    .await
}

/// The new-thread form as sent: its members come as repeated `members` fields.
fn new_thread_of(pairs: Vec<(String, String)>) -> (NewThread, String) {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let kind = value("kind");
    let patient =
        (ThreadKind::from_code(&kind) == Some(ThreadKind::Patient)).then(|| PatientFields {
            last_name: value("patient_last_name"),
            first_name: value("patient_first_name"),
            birth_date: value("patient_birth_date"),
            ins: value("patient_ins"),
        });
    let members = pairs
        .iter()
        .filter(|(k, _)| k == "members")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let new = NewThread {
        patient,
        topic: value("topic"),
        members,
    };
    (new, kind)
}

/// `POST /messagerie/fils`: opens a thread and shows it.
pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    RawForm(body): RawForm,
) -> PageResult {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let (new, kind) = new_thread_of(pairs);
    match messaging::create(&state.app, &session.actor, &new).await {
        Ok(id) => Ok(Redirect::to(&format!("/messagerie/fils/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let drafts = Drafts {
                thread: new,
                kind,
                retention: None,
            };
            messaging_page(&state, &session, ListQuery::default(), drafts, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct RetentionForm {
    #[serde(default)]
    retention_days: String,
}

/// `POST /messagerie/conservation`: a coordinator sets how long threads are kept.
pub async fn set_retention(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<RetentionForm>,
) -> PageResult {
    match messaging::set_retention(&state.app, &session.actor, &form.retention_days).await {
        Ok(_) => Ok(Redirect::to("/messagerie").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let drafts = Drafts {
                retention: Some(form.retention_days),
                ..Drafts::default()
            };
            messaging_page(&state, &session, ListQuery::default(), drafts, errors).await
        }
        Err(error) => Err(error.into()),
    }
}
