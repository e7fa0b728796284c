//! "Mon compte": identity, password change, TOTP enrolment and personal API tokens.

use crate::html::layout;
use crate::html::{Layout, paris_date, paris_time, render, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_domain::Role;
use maillage_services::platform::auth::{self, Session, Stage};
use maillage_services::platform::notify::preferences;
use maillage_services::unscheduled_care::sas_platform;
use maillage_services::{ServiceError, platform::tokens};
use maillage_store::platform::notification_preferences::Preferences;
use serde::Deserialize;

pub struct TokenLine {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    /// « Révoqué », « Expiré (…) », « Valable jusqu’au … inclus » or « Sans expiration ».
    state: String,
    live: bool,
}

#[derive(Template)]
#[template(path = "platform/account.html")]
struct AccountPage {
    layout: Layout,
    name: String,
    email: String,
    role: &'static str,
    second_factor: bool,
    second_factor_required: bool,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
    notifications: Preferences,
    /// A regulator's identifier for the SAS (`Some("")` until they give it); `None` for the
    /// other roles.
    sas_operator_id: Option<String>,
    notice: String,
    errors: FieldErrors,
}

/// The day (JJ/MM/AAAA, in Paris) that ends at `midnight`: a token's last day.
fn paris_day_before(midnight: i64) -> String {
    paris_date(midnight - 1)
}

async fn account_page(
    state: &AppState,
    session: &Session,
    notice: &str,
    new_token: Option<String>,
    errors: FieldErrors,
) -> PageResult {
    let actor = &session.actor;
    let (second_factor, list) = (
        auth::has_second_factor(&state.app, actor).await?,
        tokens::list(&state.app, actor).await?,
    );
    let notifications = preferences::get(&state.app, actor).await?;
    let sas_operator_id = match actor.role {
        Role::Regulator => Some(
            sas_platform::operator_id(&state.app, actor)
                .await?
                .unwrap_or_default(),
        ),
        _ => None,
    };
    let now = state.app.now();
    let tokens = list
        .into_iter()
        .map(|t| {
            let expired = t.expires_at.is_some_and(|at| at <= now);
            let state = match (t.revoked_at, t.expires_at) {
                (Some(_), _) => "Révoqué".to_owned(),
                (None, Some(at)) if expired => {
                    format!("Expiré (valable jusqu’au {})", paris_day_before(at))
                }
                (None, Some(at)) => format!("Valable jusqu’au {} inclus", paris_day_before(at)),
                (None, None) => "Sans expiration".to_owned(),
            };
            TokenLine {
                id: t.id,
                name: t.name,
                created: paris_time(t.created_at),
                last_used: t
                    .last_used_at
                    .map(paris_time)
                    .unwrap_or_else(|| "jamais".to_owned()),
                live: t.revoked_at.is_none() && !expired,
                state,
            }
        })
        .collect();
    let page = AccountPage {
        layout: layout(state, session, "Mon compte", "").await,
        name: actor.display_name.clone(),
        email: actor.email.clone(),
        role: actor.role.label_fr(),
        second_factor,
        second_factor_required: actor.role.requires_second_factor(),
        tokens,
        new_token,
        notifications,
        sas_operator_id,
        notice: notice.to_owned(),
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    account_page(&state, &session, "", None, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    match auth::change_password(
        &state.app,
        &session,
        &form.current_password,
        &form.new_password,
        &form.confirm_password,
    )
    .await
    {
        Ok(()) => {
            account_page(
                &state,
                &session,
                "Mot de passe changé. Vos autres sessions ont été fermées.",
                None,
                FieldErrors::new(),
            )
            .await
        }
        Err(ServiceError::Invalid(errors)) => {
            account_page(&state, &session, "", None, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct NotificationsForm {
    #[serde(default)]
    messages: String,
    alerts: Option<String>,
}

/// `POST /compte/notifications`
pub async fn save_notifications(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<NotificationsForm>,
) -> PageResult {
    let alerts = form.alerts.is_some();
    match preferences::set(&state.app, &session.actor, &form.messages, alerts).await {
        Ok(()) => {
            let notice = "Vos choix de notifications sont enregistrés.";
            account_page(&state, &session, notice, None, FieldErrors::new()).await
        }
        Err(ServiceError::Invalid(errors)) => {
            account_page(&state, &session, "", None, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct SasOperatorForm {
    #[serde(default)]
    sas_operator_id: String,
}

/// `POST /compte/identifiant-sas`: a regulator's identifier, which names them in the
/// appointments the SAS platform is told of.
pub async fn save_sas_operator_id(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<SasOperatorForm>,
) -> PageResult {
    let id = &form.sas_operator_id;
    match sas_platform::set_operator_id(&state.app, &session.actor, id).await {
        Ok(()) => {
            let notice = "Votre identifiant pour le SAS est enregistré.";
            account_page(&state, &session, notice, None, FieldErrors::new()).await
        }
        Err(ServiceError::Invalid(errors)) => {
            account_page(&state, &session, "", None, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn create_token(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<tokens::TokenFields>,
) -> PageResult {
    match tokens::create(&state.app, &session.actor, &form).await {
        Ok((_, token)) => {
            account_page(
                &state,
                &session,
                "Jeton créé.",
                Some(token),
                FieldErrors::new(),
            )
            .await
        }
        Err(ServiceError::Invalid(errors)) => {
            account_page(&state, &session, "", None, errors).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> PageResult {
    match tokens::revoke(&state.app, &session.actor, id).await {
        Ok(()) => account_page(&state, &session, "Jeton révoqué.", None, FieldErrors::new()).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "platform/enrol.html")]
struct EnrolPage {
    layout: Layout,
    required: bool,
    qr_svg: String,
    secret: String,
    errors: FieldErrors,
}

fn qr_svg(url: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    // Inline in the page: drop the XML declaration, name the image for screen readers.
    svg.split_once("<svg")
        .map(|(_, rest)| format!("<svg role=\"img\" aria-label=\"Code QR à scanner\"{rest}"))
        .unwrap_or_default()
}

async fn enrol_page(state: &AppState, session: &Session, errors: FieldErrors) -> PageResult {
    let enrolment = match auth::pending_enrolment(&state.app, &session.actor).await? {
        Some(e) => e,
        None => match auth::start_enrolment(&state.app, &session.actor).await {
            Ok(e) => e,
            Err(ServiceError::Invalid(_)) => return Ok(Redirect::to("/compte").into_response()),
            Err(error) => return Err(error.into()),
        },
    };
    let page = EnrolPage {
        layout: layout(state, session, "Double authentification", "").await,
        required: session.stage == Stage::MustEnrol,
        qr_svg: qr_svg(&enrolment.provisioning_url),
        secret: enrolment.secret_base32,
        errors,
    };
    Ok(render(&page))
}

pub async fn enrol(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    enrol_page(&state, &session, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn confirm_enrol(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<CodeForm>,
) -> PageResult {
    match auth::confirm_enrolment(&state.app, &session, &form.code).await {
        Ok(()) => Ok(Redirect::to("/compte").into_response()),
        Err(ServiceError::Invalid(errors)) => enrol_page(&state, &session, errors).await,
        Err(error) => Err(error.into()),
    }
}
