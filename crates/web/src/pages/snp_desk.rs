//! The « Soins non programmés » desk of coordinators and SAS regulators: the requests of
//! the last seven days and the form that follows a call. A member's page of the same
//! mission is their agenda (`snp_agenda`).

use crate::html::{Layout, paris_slot, render, render_form, service_error};
use crate::pages::{layout, snp_agenda};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maillage_domain::unscheduled_care::reasons::Reason;
use maillage_domain::unscheduled_care::request::{OwnGp, SnpRequestFields, Urgency};
use maillage_domain::{FieldErrors, Role};
use maillage_services::ServiceError;
use maillage_services::auth::Session;
use maillage_services::unscheduled_care::requests;
use maillage_store::snp_requests::SnpRequestRow;
use serde::Deserialize;

/// How the desk's pages write a request's codes and instants.
pub(crate) trait RequestWording {
    fn reason(&self, code: &str) -> &'static str {
        Reason::from_code(code).map_or("Autre motif", Reason::label)
    }

    fn urgency(&self, code: &str) -> &'static str {
        Urgency::parse(code).map_or("", Urgency::label)
    }

    fn own_gp(&self, code: &str) -> &'static str {
        OwnGp::parse(code).map_or("", OwnGp::label)
    }

    fn status(&self, code: &str) -> &'static str {
        match code {
            "open" => "À orienter",
            "booked" => "Rendez-vous pris",
            _ => "Close",
        }
    }

    fn at(&self, unix: &i64) -> String {
        paris_slot(*unix)
    }

    /// A phone number in pairs of digits, as it is read aloud.
    fn phone(&self, digits: &str) -> String {
        let chars: Vec<char> = digits.chars().collect();
        chars
            .chunks(2)
            .map(|pair| pair.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Template)]
#[template(path = "snp_desk.html")]
struct DeskPage {
    layout: Layout,
    requests: Vec<SnpRequestRow>,
    coordinator: bool,
}

impl RequestWording for DeskPage {}

/// `GET /soins-non-programmes`: the desk, or a member's agenda.
pub async fn desk(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    if session.actor.role == Role::Member {
        return snp_agenda::agenda_page(&state, &session, None, FieldErrors::new()).await;
    }
    let requests = match requests::list(&state.app, &session.actor, false).await {
        Ok(rows) => rows,
        Err(error) => return service_error(error),
    };
    let page = DeskPage {
        layout: layout(
            &state,
            &session,
            "Soins non programmés",
            "/soins-non-programmes",
        )
        .await,
        requests,
        coordinator: session.actor.role == Role::Coordinator,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "snp_request_form.html")]
struct RequestFormPage {
    layout: Layout,
    form: SnpRequestFields,
    reasons: [Reason; 11],
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    session: &Session,
    form: SnpRequestFields,
    errors: FieldErrors,
) -> Response {
    let page = RequestFormPage {
        layout: layout(
            state,
            session,
            "Nouvelle demande de soins non programmés",
            "/soins-non-programmes",
        )
        .await,
        form,
        reasons: Reason::ALL,
        errors,
    };
    render_form(&page, &page.errors)
}

/// `GET /soins-non-programmes/demandes/nouvelle`
pub async fn new_request(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let form = SnpRequestFields {
        urgency: "24h".into(),
        mobility: "mobile".into(),
        ..SnpRequestFields::default()
    };
    form_page(&state, &session, form, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    mobility: String,
    #[serde(default)]
    own_gp: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    phone: String,
}

impl From<RequestForm> for SnpRequestFields {
    fn from(form: RequestForm) -> Self {
        Self {
            reason: form.reason,
            detail: form.detail,
            urgency: form.urgency,
            commune: form.commune,
            mobility: form.mobility,
            own_gp: form.own_gp,
            last_name: form.last_name,
            first_name: form.first_name,
            birth_date: form.birth_date,
            sex: form.sex,
            phone: form.phone,
        }
    }
}

/// `POST /soins-non-programmes/demandes`: records the request, then shows its orientation.
pub async fn create(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<RequestForm>,
) -> Response {
    let fields = SnpRequestFields::from(form);
    match requests::record(&state.app, &session.actor, &fields).await {
        Ok(id) => Redirect::to(&format!("/soins-non-programmes/demandes/{id}")).into_response(),
        Err(ServiceError::Invalid(errors)) => form_page(&state, &session, fields, errors).await,
        Err(error) => service_error(error),
    }
}
