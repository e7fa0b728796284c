//! Answering a proposal from the link of its e-mail, without logging in: the page shows the
//! patient's age and commune only, and the answer is a form, so that a mail scanner opening
//! the link answers nothing.

use crate::filters;
use crate::html::{Layout, error_page, render};
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
use axum::response::{IntoResponse, Response};
use maillage_services::gp_waitlist::{self, LinkedProposal};
use maillage_services::{RequestContext, ServiceError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "gp_waitlist/answer_link.html")]
struct AnswerPage {
    layout: Layout,
    token: String,
    proposal: LinkedProposal,
    error: String,
}

#[derive(Template)]
#[template(path = "gp_waitlist/answer_done.html")]
struct DonePage {
    layout: Layout,
    accepted: bool,
}

fn invalid() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Lien invalide",
        "Ce lien a déjà servi, a expiré, ou la proposition a été retirée. Connectez-vous à maillage pour voir les propositions qui vous attendent.",
    )
}

async fn page(
    state: &AppState,
    csrf: &str,
    token: &str,
    context: &RequestContext,
    error: String,
) -> PageResult {
    match gp_waitlist::proposal_by_link(&state.app, token, context).await {
        Ok(proposal) => Ok(render(&AnswerPage {
            layout: Layout::anonymous("Proposition de nouveau patient", csrf, state.config.demo),
            token: token.to_owned(),
            proposal,
            error,
        })),
        Err(ServiceError::NotFound) => Ok(invalid()),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    jeton: String,
}

/// `GET /medecin-traitant/reponse?jeton=…`
pub async fn show(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    headers: axum::http::HeaderMap,
    Query(query): Query<LinkQuery>,
) -> Response {
    let (csrf, new) = anonymous_token(&headers);
    let response = page(&state, &csrf, &query.jeton, &context, String::new())
        .await
        .into_response();
    with_anonymous_cookie(response, &csrf, new, &state)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    answer: String,
}

/// `POST /medecin-traitant/reponse`
pub async fn answer(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    request: Request,
) -> PageResult {
    let (csrf, form) = match anonymous_form::<AnswerForm>(request).await {
        Ok(sent) => sent,
        Err(response) => return Ok(response),
    };
    let Some(form) = form else {
        return Ok(invalid());
    };
    let accept = match form.answer.as_str() {
        "oui" => true,
        "non" => false,
        _ => return Ok(invalid()),
    };
    match gp_waitlist::answer_by_link(&state.app, &form.token, accept, &context).await {
        Ok(()) => Ok(render(&DonePage {
            layout: Layout::anonymous("Réponse enregistrée", &csrf, state.config.demo),
            accepted: accept,
        })),
        Err(ServiceError::Invalid(errors)) => {
            let message = errors.iter().next().map(|e| e.message.clone());
            page(
                &state,
                &csrf,
                &form.token,
                &context,
                message.unwrap_or_default(),
            )
            .await
        }
        Err(ServiceError::NotFound) => Ok(invalid()),
        Err(error) => Err(error.into()),
    }
}
