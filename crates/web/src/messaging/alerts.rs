//! The alerts pages: the alerts one received, to acknowledge; for coordinators, the form
//! that broadcasts one, and for each alert sent, who has and has not acknowledged it, and
//! the reminder.

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, render_form};
use crate::messaging::inbox::thread_title;
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::{FieldErrors, Role};
use maillage_services::ServiceError;
use maillage_services::messaging::alerts::{self, AlertForm, AlertView};
use maillage_services::platform::auth::Session;
use maillage_store::messaging::alerts::{AlertRow, ReceivedAlert};
use maillage_store::messaging::threads::ThreadRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "messaging/alerts.html")]
struct AlertsPage {
    layout: Layout,
    received: Vec<ReceivedAlert>,
    /// For coordinators: the CPTS's alerts, the groups they may address, the form.
    sent: Option<Vec<AlertRow>>,
    groups: Vec<ThreadRow>,
    form: AlertForm,
    errors: FieldErrors,
}

impl AlertsPage {
    fn group_name(&self, thread: &ThreadRow) -> String {
        thread_title(thread)
    }

    fn is_group(&self, thread: &ThreadRow) -> bool {
        self.form.group == thread.id.to_string()
    }
}

async fn alerts_page(
    state: &AppState,
    session: &Session,
    form: AlertForm,
    errors: FieldErrors,
) -> PageResult {
    let actor = &session.actor;
    let received = alerts::received(&state.app, actor).await?;
    let (sent, groups) = if actor.role == Role::Coordinator {
        (
            Some(alerts::sent(&state.app, actor).await?),
            alerts::groups(&state.app, actor).await?,
        )
    } else {
        (None, Vec::new())
    };
    let page = AlertsPage {
        layout: layout(state, session, "Alertes", "/messagerie").await,
        received,
        sent,
        groups,
        form,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /alertes`
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    let form = AlertForm {
        ack_required: true,
        ..AlertForm::default()
    };
    alerts_page(&state, &session, form, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct BroadcastFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    group: String,
    ack_required: Option<String>,
}

/// `POST /alertes`: a coordinator broadcasts an alert.
pub async fn broadcast(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(fields): Form<BroadcastFields>,
) -> PageResult {
    let form = AlertForm {
        title: fields.title,
        body: fields.body,
        group: fields.group,
        ack_required: fields.ack_required.is_some(),
    };
    match alerts::broadcast(&state.app, &session.actor, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/alertes/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => alerts_page(&state, &session, form, errors).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "messaging/alert.html")]
struct AlertPage {
    layout: Layout,
    view: AlertView,
}

/// `GET /alertes/{id}`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    let view = alerts::show(&state.app, &session.actor, id).await?;
    let title = view.alert.title.clone();
    let page = AlertPage {
        layout: layout(&state, &session, &title, "/messagerie").await,
        view,
    };
    Ok(render_form(&page, &FieldErrors::new()))
}

/// `POST /alertes/{id}/confirmation`: a recipient acknowledges.
pub async fn acknowledge(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    match alerts::acknowledge(&state.app, &session.actor, id).await {
        Ok(()) => Ok(Redirect::to(&format!("/alertes/{id}")).into_response()),
        Err(error) => Err(error.into()),
    }
}

/// `POST /alertes/{id}/relance`: a coordinator reminds those who have not acknowledged.
pub async fn remind(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    match alerts::remind(&state.app, &session.actor, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/alertes/{id}")).into_response()),
        Err(error) => Err(error.into()),
    }
}
