//! A member's page of unscheduled care: the patients booked on their slots over the next
//! two weeks, with the phone to call them back; cancelling before the start, then « vu »
//! with what followed, or « absent ».

use crate::filters;
use crate::html::layout;
use crate::html::{Layout, render_form, years_old};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::age_on;
use maillage_domain::unscheduled_care::booking::BookingStatus;
use maillage_domain::unscheduled_care::booking::{CANCEL_REASONS, OUTCOMES};
use maillage_services::platform::auth::Session;
use maillage_services::unscheduled_care::agenda::{self, AgendaEntry};
use maillage_services::unscheduled_care::booking;
use maillage_services::{ServiceError, ServiceResult};
use maillage_store::unscheduled_care::requests::SnpRequestRow;
use serde::Deserialize;

/// How many days ahead the agenda shows.
const AGENDA_DAYS: i64 = 14;

#[derive(Template)]
#[template(path = "unscheduled_care/agenda.html")]
struct AgendaPage {
    layout: Layout,
    entries: Vec<AgendaEntry>,
    outcomes: [(&'static str, &'static str); 4],
    cancel_reasons: [(&'static str, &'static str); 4],
    now: i64,
    today: CivilDate,
    /// The calendar feed's address, just renewed: shown once.
    feed_link: Option<String>,
    errors: FieldErrors,
}

impl AgendaPage {
    /// The patient as the professional first needs them: « F, 41 ans » (nothing once their
    /// data was emptied at the end of its retention).
    fn patient(&self, request: &SnpRequestRow) -> String {
        let sex = match request.sex.as_str() {
            "F" | "M" => Some(request.sex.clone()),
            _ => None,
        };
        let age =
            CivilDate::parse(&request.birth_date).map(|birth| years_old(age_on(birth, self.today)));
        [sex, age]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The agenda; `feed_link` is the calendar feed's address just renewed, shown once.
pub(crate) async fn agenda_page(
    state: &AppState,
    session: &Session,
    feed_link: Option<String>,
    errors: FieldErrors,
) -> PageResult {
    let entries = agenda::agenda(&state.app, &session.actor, AGENDA_DAYS).await?;
    let page = AgendaPage {
        layout: layout(
            state,
            session,
            "Mes rendez-vous de soins non programmés",
            "/soins-non-programmes",
        )
        .await,
        entries,
        outcomes: OUTCOMES,
        cancel_reasons: CANCEL_REASONS,
        now: state.app.now(),
        today: state.app.today(),
        feed_link,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

async fn after_step(state: &AppState, session: &Session, done: ServiceResult<()>) -> PageResult {
    match done {
        Ok(()) => Ok(Redirect::to("/soins-non-programmes").into_response()),
        Err(ServiceError::Invalid(errors)) => agenda_page(state, session, None, errors).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct OutcomeForm {
    /// `seen` or `no_show`.
    #[serde(default)]
    status: String,
    #[serde(default)]
    outcome: String,
}

/// `POST /soins-non-programmes/mes-rendez-vous/{id}/suite`: « vu » with what followed, or
/// « absent ».
pub async fn record_outcome(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<OutcomeForm>,
) -> PageResult {
    let seen = BookingStatus::from_code(&form.status) == Some(BookingStatus::Seen);
    let done = booking::record_outcome(&state.app, &session.actor, id, seen, &form.outcome).await;
    after_step(&state, &session, done).await
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    cancel_reason: String,
}

/// `POST /soins-non-programmes/mes-rendez-vous/{id}/annulation`: the professional cannot
/// see the patient after all; the slot is free again and the request back at the desk.
pub async fn cancel(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<CancelForm>,
) -> PageResult {
    let done = booking::cancel(&state.app, &session.actor, id, &form.cancel_reason).await;
    after_step(&state, &session, done).await
}
