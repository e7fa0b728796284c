//! Accepting an invitation: the invitee, not logged in, chooses a password.

use crate::html::{Layout, error_page, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use crate::{
    platform::login::anonymous_form, platform::login::anonymous_token,
    platform::login::with_anonymous_cookie,
};
use askama::Template;
use axum::Extension;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maillage_domain::FieldErrors;
use maillage_services::{RequestContext, ServiceError, platform::accounts, territory::cpts};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "platform/invitation.html")]
struct InvitationPage {
    layout: Layout,
    token: String,
    name: String,
    email: String,
    role: &'static str,
    cpts: String,
    errors: FieldErrors,
}

fn expired() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Invitation invalide",
        "Ce lien d’invitation a déjà servi, a expiré ou n’existe pas. Demandez une nouvelle invitation à votre CPTS.",
    )
}

async fn page(state: &AppState, csrf: &str, token: &str, errors: FieldErrors) -> PageResult {
    let invitation = match accounts::open_invitation(&state.app, token).await {
        Ok(i) => i,
        Err(ServiceError::NotFound) => return Ok(expired()),
        Err(error) => return Err(error.into()),
    };
    let cpts_name = match invitation.cpts_id {
        Some(id) => cpts::by_id(&state.app, id)
            .await
            .ok()
            .flatten()
            .map(|c| c.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let page = InvitationPage {
        layout: Layout::anonymous("Créer votre compte", csrf, state.config.demo),
        token: token.to_owned(),
        name: invitation.display_name,
        email: invitation.email,
        role: invitation.role.label_fr(),
        cpts: cpts_name,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

#[derive(Deserialize)]
pub struct InvitationQuery {
    #[serde(default)]
    jeton: String,
}

pub async fn show(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(query): Query<InvitationQuery>,
) -> Response {
    let (csrf, new) = anonymous_token(&headers);
    let response = page(&state, &csrf, &query.jeton, FieldErrors::new())
        .await
        .into_response();
    with_anonymous_cookie(response, &csrf, new, &state)
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn accept(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    request: Request,
) -> PageResult {
    let (csrf, form) = match anonymous_form::<AcceptForm>(request).await {
        Ok(sent) => sent,
        Err(response) => return Ok(response),
    };
    let Some(form) = form else {
        return Ok(expired());
    };
    match accounts::accept_invitation(
        &state.app,
        &form.token,
        &form.password,
        &form.confirm_password,
        &context,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/connexion").into_response()),
        Err(ServiceError::Invalid(errors)) => page(&state, &csrf, &form.token, errors).await,
        Err(ServiceError::NotFound) => Ok(expired()),
        Err(error) => Err(error.into()),
    }
}
