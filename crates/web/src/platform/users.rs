//! The accounts of a CPTS (or of the host) and the invitation form.

use crate::html::layout;
use crate::html::{Layout, paris_time, render_form};
use crate::page_error::{PageError, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::{Extension, Form};
use maillage_domain::{FieldErrors, Role};
use maillage_services::platform::accounts::{self, AccountRequest};
use maillage_services::platform::auth::Session;
use maillage_services::{ServiceError, territory::cpts};
use serde::Deserialize;
use std::collections::HashMap;

pub struct PersonLine {
    name: String,
    email: String,
    role: &'static str,
    /// The CPTS (accounts) or the expiry date (invitations).
    cpts: String,
}

#[derive(Template)]
#[template(path = "platform/users.html")]
struct UsersPage {
    layout: Layout,
    admin: bool,
    users: Vec<PersonLine>,
    pending: Vec<PersonLine>,
    roles: Vec<(&'static str, &'static str)>,
    cpts_choices: Vec<(String, String)>,
    invitation_link: Option<String>,
    ttl_days: i64,
    form_email: String,
    form_name: String,
    form_role: String,
    form_cpts: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    cpts: String,
}

async fn users_page(
    state: &AppState,
    session: &Session,
    form: InviteForm,
    link: Option<String>,
    errors: FieldErrors,
) -> PageResult {
    let actor = &session.actor;
    let ((users, pending), all_cpts) = (
        accounts::directory(&state.app, actor)
            .await
            .map_err(PageError::hiding)?,
        cpts::list(&state.app, actor).await?,
    );
    let names: HashMap<i64, String> = all_cpts.iter().map(|c| (c.id, c.name.clone())).collect();
    let cpts_name = |id: Option<i64>| {
        id.and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| "—".to_owned())
    };
    let roles = Role::ALL
        .into_iter()
        .filter(|r| actor.is_admin() || *r != Role::Admin)
        .map(|r| (r.as_str(), r.label_fr()))
        .collect();
    let page = UsersPage {
        layout: layout(state, session, "Comptes", "").await,
        admin: actor.is_admin(),
        users: users
            .into_iter()
            .map(|u| PersonLine {
                cpts: cpts_name(u.cpts_id),
                name: u.display_name,
                email: u.email,
                role: u.role.label_fr(),
            })
            .collect(),
        pending: pending
            .into_iter()
            .map(|i| PersonLine {
                cpts: paris_time(i.expires_at),
                name: i.display_name,
                email: i.email,
                role: i.role.label_fr(),
            })
            .collect(),
        roles,
        cpts_choices: all_cpts.into_iter().map(|c| (c.slug, c.name)).collect(),
        invitation_link: link,
        ttl_days: state.app.settings.invitation_ttl_secs / 86_400,
        form_email: form.email,
        form_name: form.display_name,
        form_role: if form.role.is_empty() {
            "member".to_owned()
        } else {
            form.role
        },
        form_cpts: form.cpts,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    users_page(
        &state,
        &session,
        InviteForm::default(),
        None,
        FieldErrors::new(),
    )
    .await
}

/// The base of links sent to people: the address the browser used to reach the server.
pub(crate) fn origin(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

pub async fn invite(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> PageResult {
    let request = AccountRequest {
        email: &form.email,
        display_name: &form.display_name,
        role: &form.role,
        cpts_slug: &form.cpts,
    };
    match accounts::invite(&state.app, &session.actor, &request, None).await {
        Ok((_, token)) => {
            let link = format!(
                "{}/invitation?jeton={token}",
                origin(&headers, state.config.secure_cookies)
            );
            users_page(
                &state,
                &session,
                InviteForm::default(),
                Some(link),
                FieldErrors::new(),
            )
            .await
        }
        Err(ServiceError::Invalid(errors)) => {
            users_page(&state, &session, form, None, errors).await
        }
        Err(error) => Err(PageError::hiding(error)),
    }
}
