//! The members (adhérents) pages: the list of a CPTS's members, adding one from the
//! directory, and a member's page with the settings they keep (editable by themself and
//! by the coordinator) and the account linked to them.

use crate::html::layout;
use crate::html::{Layout, render, render_form};
use crate::page_error::{PageError, PageResult};
use crate::platform::users::origin;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::directory::codes::PROFESSIONS;
use maillage_domain::directory::is_general_practitioner;
use maillage_domain::{FieldErrors, Role};
use maillage_services::ServiceError;
use maillage_services::directory::members::{self, SettingsForm, may_edit};
use maillage_services::platform::auth::Session;
use maillage_services::territory;
use maillage_store::directory::members::MemberRow;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "directory/members.html")]
struct MembersPage {
    layout: Layout,
    members: Vec<MemberRow>,
}

impl MembersPage {
    fn profession(&self, code: &str) -> String {
        PROFESSIONS.label(code).unwrap_or(code).to_owned()
    }
}

/// `GET /adherents`
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    let members = members::list(&state.app, &session.actor).await?;
    Ok(render(&MembersPage {
        layout: layout(&state, &session, "Adhérents", "/annuaire").await,
        members,
    }))
}

#[derive(Deserialize)]
pub struct AddForm {
    professional: i64,
}

/// `POST /adherents`: a coordinator adds a professional of the directory.
pub async fn add(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<AddForm>,
) -> PageResult {
    match members::add(&state.app, &session.actor, form.professional).await {
        Ok(id) => Ok(Redirect::to(&format!("/adherents/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => Ok(crate::html::error_page(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Ajout impossible",
            errors.iter().next().map_or("", |e| e.message.as_str()),
        )),
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "directory/member.html")]
struct MemberPage {
    layout: Layout,
    member: MemberRow,
    profession: String,
    editable: bool,
    coordinator: bool,
    linked_email: String,
    form: SettingsForm,
    errors: FieldErrors,
    /// The link of the invitation just created for this member.
    invitation_link: Option<String>,
    invitation_email: String,
    ttl_days: i64,
}

impl MemberPage {
    /// Whether the member takes patients of the waiting list as their médecin traitant
    /// (general practitioners only).
    fn is_general_practitioner(&self) -> bool {
        is_general_practitioner(&self.member.profession, &self.member.specialty)
    }
}

/// What the invitation form of a member's page shows after it was sent.
#[derive(Default)]
struct InvitationState {
    link: Option<String>,
    email: String,
}

async fn member_page(
    state: &AppState,
    session: &Session,
    id: i64,
    form: Option<SettingsForm>,
    errors: FieldErrors,
    invitation: InvitationState,
) -> PageResult {
    let member = members::get(&state.app, &session.actor, id).await?;
    let linked_email = match member.user_id {
        Some(user_id) => maillage_services::platform::accounts::email_of(&state.app, user_id)
            .await
            .unwrap_or_default(),
        None => String::new(),
    };
    let form = match form {
        Some(form) => form,
        None => {
            let communes = territory::commune_labels(&state.app, &member.new_patient_communes);
            SettingsForm::of(&member, communes.await?)
        }
    };
    let name = format!("{} {}", member.first_name, member.last_name);
    let page = MemberPage {
        layout: layout(state, session, &name, "/annuaire").await,
        profession: PROFESSIONS
            .label(&member.profession)
            .unwrap_or("")
            .to_owned(),
        editable: may_edit(&session.actor, &member),
        coordinator: session.actor.role == Role::Coordinator,
        linked_email,
        form,
        member,
        errors,
        invitation_link: invitation.link,
        invitation_email: invitation.email,
        ttl_days: state.app.settings.invitation_ttl_secs / 86_400,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /adherents/{id}`
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    member_page(
        &state,
        &session,
        id,
        None,
        FieldErrors::new(),
        InvitationState::default(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct SettingsFields {
    accepts_new_patients: Option<String>,
    #[serde(default)]
    new_patients_per_month: String,
    unscheduled_care: Option<String>,
    teleconsultation: Option<String>,
    home_visits: Option<String>,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    mssante: String,
    #[serde(default)]
    colleague_phone: String,
    #[serde(default)]
    new_patient_communes: String,
    #[serde(default)]
    new_patient_min_age: String,
    #[serde(default)]
    new_patient_max_age: String,
    #[serde(default)]
    departure_date: String,
}

/// `POST /adherents/{id}/reglages`
pub async fn update(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(fields): Form<SettingsFields>,
) -> PageResult {
    let form = SettingsForm {
        accepts_new_patients: fields.accepts_new_patients.is_some(),
        new_patients_per_month: fields.new_patients_per_month,
        unscheduled_care: fields.unscheduled_care.is_some(),
        teleconsultation: fields.teleconsultation.is_some(),
        home_visits: fields.home_visits.is_some(),
        languages: fields.languages,
        mssante: fields.mssante,
        colleague_phone: fields.colleague_phone,
        new_patient_communes: fields.new_patient_communes,
        new_patient_min_age: fields.new_patient_min_age,
        new_patient_max_age: fields.new_patient_max_age,
        departure_date: fields.departure_date,
    };
    match members::update(&state.app, &session.actor, id, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/adherents/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            member_page(
                &state,
                &session,
                id,
                Some(form),
                errors,
                InvitationState::default(),
            )
            .await
        }
        Err(error) => Err(PageError::hiding(error)),
    }
}

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    email: String,
}

/// `POST /adherents/{id}/compte`: a coordinator links the member's account.
pub async fn link(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    Form(form): Form<LinkForm>,
) -> PageResult {
    match members::link(&state.app, &session.actor, id, &form.email).await {
        Ok(()) => Ok(Redirect::to(&format!("/adherents/{id}")).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let invitation = InvitationState::default();
            member_page(&state, &session, id, None, errors, invitation).await
        }
        Err(error) => Err(PageError::hiding(error)),
    }
}

#[derive(Deserialize, Default)]
pub struct InvitationForm {
    #[serde(default)]
    invitation_email: String,
}

/// `POST /adherents/{id}/invitation`: a coordinator invites the member to create their
/// account, linked to them once created; the page then shows the link to pass on.
pub async fn invite(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<InvitationForm>,
) -> PageResult {
    let email = form.invitation_email;
    let (errors, invitation) = match members::invite(&state.app, &session.actor, id, &email).await {
        Ok(token) => {
            let origin = origin(&headers, state.config.secure_cookies);
            let link = Some(format!("{origin}/invitation?jeton={token}"));
            let shown = InvitationState {
                link,
                email: String::new(),
            };
            (FieldErrors::new(), shown)
        }
        Err(ServiceError::Invalid(errors)) => (errors, InvitationState { link: None, email }),
        Err(error) => return Err(PageError::hiding(error)),
    };
    member_page(&state, &session, id, None, errors, invitation).await
}
