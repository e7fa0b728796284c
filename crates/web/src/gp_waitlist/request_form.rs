//! The form a coordinator fills in during a call from a patient without a GP: who they
//! are, their situation, and the departing GP whose patient they may be.

use crate::html::layout;
use crate::html::{Layout, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_domain::gp_waitlist::{RequestFields, Situation};
use maillage_services::ServiceError;
use maillage_services::gp_waitlist::{self, DepartingGp};
use maillage_services::platform::auth::Session;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "gp_waitlist/request_form.html")]
struct RequestFormPage {
    layout: Layout,
    form: RequestFields,
    /// The member GPs who plan to leave, whose patients may be registered ahead.
    departing_gps: Vec<DepartingGp>,
    departing: Option<i64>,
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    session: &Session,
    form: RequestFields,
    departing: Option<i64>,
    errors: FieldErrors,
) -> PageResult {
    let departing_gps = gp_waitlist::departing_gps(&state.app, &session.actor).await?;
    let page = RequestFormPage {
        layout: layout(
            state,
            session,
            "Nouvelle demande de médecin traitant",
            "/medecin-traitant",
        )
        .await,
        form,
        departing_gps,
        departing,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /medecin-traitant/demandes/nouvelle`
pub async fn new_request(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    form_page(
        &state,
        &session,
        RequestFields::default(),
        None,
        FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    birth_name: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    ald: Option<String>,
    c2s: Option<String>,
    disability: Option<String>,
    pregnancy: Option<String>,
    newly_arrived: Option<String>,
    gp_left: Option<String>,
    #[serde(default)]
    note: String,
    /// The member id of the patient's departing GP, or empty.
    #[serde(default)]
    departing: String,
}

impl From<&RequestForm> for RequestFields {
    fn from(form: &RequestForm) -> Self {
        Self {
            situation: Situation {
                ald: form.ald.is_some(),
                c2s: form.c2s.is_some(),
                disability: form.disability.is_some(),
                pregnancy: form.pregnancy.is_some(),
                newly_arrived: form.newly_arrived.is_some(),
                gp_left: form.gp_left.is_some(),
            },
            last_name: form.last_name.clone(),
            birth_name: form.birth_name.clone(),
            first_name: form.first_name.clone(),
            birth_date: form.birth_date.clone(),
            sex: form.sex.clone(),
            commune: form.commune.clone(),
            phone: form.phone.clone(),
            email: form.email.clone(),
            note: form.note.clone(),
        }
    }
}

/// `POST /medecin-traitant/demandes`: records the request, then shows it.
pub async fn record(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<RequestForm>,
) -> PageResult {
    let fields = RequestFields::from(&form);
    let departing = form.departing.trim().parse::<i64>().ok();
    match gp_waitlist::record(&state.app, &session.actor, &fields, departing).await {
        Ok(recorded) => Ok(
            Redirect::to(&format!("/medecin-traitant/demandes/{}", recorded.id)).into_response(),
        ),
        Err(ServiceError::Invalid(errors)) => {
            form_page(&state, &session, fields, departing, errors).await
        }
        Err(error) => Err(error.into()),
    }
}
