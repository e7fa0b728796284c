//! A member GP's « Médecin traitant » page: the patients proposed to them, to accept or
//! decline.

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::age_on;
use maillage_services::ServiceError;
use maillage_services::gp_waitlist;
use maillage_services::platform::auth::Session;
use maillage_store::gp_waitlist::proposals::ProposalRow;
use maillage_store::gp_waitlist::requests::RequestRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "gp_waitlist/proposals.html")]
struct ProposalsPage {
    layout: Layout,
    proposals: Vec<(ProposalRow, RequestRow)>,
    errors: FieldErrors,
    today: CivilDate,
}

impl ProposalsPage {
    fn age(&self, request: &RequestRow) -> i32 {
        let born = CivilDate::parse(&request.birth_date).unwrap_or(self.today);
        age_on(born, self.today)
    }
}

/// A member GP's page: the patients proposed to them, to accept or decline.
pub(crate) async fn proposals_page(
    state: &AppState,
    session: &Session,
    errors: FieldErrors,
) -> PageResult {
    let proposals = gp_waitlist::my_proposals(&state.app, &session.actor).await?;
    let page = ProposalsPage {
        layout: layout(state, session, "Médecin traitant", "/medecin-traitant").await,
        proposals,
        errors,
        today: state.app.today(),
    };
    Ok(render_form(&page, &page.errors))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /medecin-traitant/propositions/{id}`: the GP accepts (`answer=oui`) or declines.
pub async fn answer(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> PageResult {
    let accept = match form.answer.as_str() {
        "oui" => true,
        "non" => false,
        _ => {
            let errors = FieldErrors::single("proposal", "Répondez oui ou non.");
            return proposals_page(&state, &session, errors).await;
        }
    };
    match gp_waitlist::answer(&state.app, &session.actor, id, accept).await {
        Ok(()) => Ok(Redirect::to("/medecin-traitant").into_response()),
        Err(ServiceError::Invalid(errors)) => proposals_page(&state, &session, errors).await,
        Err(error) => Err(error.into()),
    }
}
