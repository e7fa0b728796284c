//! The patients' public form of a CPTS, « Je cherche un médecin traitant »: no account, a
//! consent to tick, and an answer that is the same whatever happened to the request (it
//! never tells whether someone is already registered). Bots are kept out without any
//! outside service: a budget of forms per address, a field that only robots fill, and a
//! minimum time between showing the form and sending it.

use crate::gp_waitlist::request_form::RequestForm;
use crate::html::{Layout, error_page, render_form};
use crate::page_error::PageResult;
use crate::state::AppState;
use crate::{
    platform::login::anonymous_form, platform::login::anonymous_token,
    platform::login::with_anonymous_cookie,
};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_domain::FieldErrors;
use maillage_domain::gp_waitlist::RequestFields;
use maillage_services::{RequestContext, ServiceError, gp_waitlist, platform::form_stamps};
use serde::Deserialize;

/// Seconds a person needs at least to fill the form; a faster answer is a robot's.
const MIN_FILL_SECS: i64 = 3;

#[derive(Template)]
#[template(path = "gp_waitlist/public.html")]
struct PublicPage {
    layout: Layout,
    slug: String,
    cpts_name: String,
    form: RequestFields,
    /// When the form was shown, signed.
    stamp: String,
    sent: bool,
    retention_months: i64,
    errors: FieldErrors,
}

/// The form's page, or « page introuvable » for a CPTS that does not exist.
async fn page(
    state: &AppState,
    token: &str,
    slug: &str,
    form: RequestFields,
    sent: bool,
    errors: FieldErrors,
) -> PageResult {
    let shown = async {
        let name = gp_waitlist::public_form_of(&state.app, slug).await?;
        let stamp = form_stamps::stamp(&state.app, &form_path(slug)).await?;
        Ok::<_, ServiceError>((name, stamp))
    };
    let (cpts_name, stamp) = shown.await?;
    let page = PublicPage {
        layout: Layout::anonymous("Je cherche un médecin traitant", token, state.config.demo),
        slug: slug.to_owned(),
        cpts_name,
        form,
        stamp,
        sent,
        retention_months: state.app.settings.gp_waitlist_retention_months,
        errors,
    };
    Ok(render_form(&page, &page.errors))
}

/// `GET /demande-medecin-traitant/{slug}`
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let (token, new) = anonymous_token(&headers);
    let shown = page(
        &state,
        &token,
        &slug,
        RequestFields::default(),
        false,
        FieldErrors::new(),
    )
    .await
    .into_response();
    with_anonymous_cookie(shown, &token, new, &state)
}

#[derive(Deserialize)]
pub struct PublicForm {
    #[serde(flatten)]
    request: RequestForm,
    consent: Option<String>,
    /// Left empty by people: the field is out of their sight.
    #[serde(default)]
    site_web: String,
    /// When the form was shown, signed by the server that showed it.
    #[serde(default)]
    stamp: String,
}

/// The form's path, which its stamp is for.
fn form_path(slug: &str) -> String {
    format!("/demande-medecin-traitant/{slug}")
}

/// `POST /demande-medecin-traitant/{slug}`
pub async fn submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path(slug): Path<String>,
    request: Request,
) -> PageResult {
    let now = state.app.now();
    if !state.public_form_limiter.allow(&context.ip, now) {
        return Ok(error_page(
            StatusCode::TOO_MANY_REQUESTS,
            "Trop de demandes",
            "Trop de demandes envoyées depuis cette adresse : réessayez dans une minute.",
        ));
    }
    let (token, form) = match anonymous_form::<PublicForm>(request).await {
        Ok(sent) => sent,
        Err(response) => return Ok(response),
    };
    let Some(form) = form else {
        return page(
            &state,
            &token,
            &slug,
            RequestFields::default(),
            false,
            FieldErrors::new(),
        )
        .await;
    };
    let fields = RequestFields::from(&form.request);
    // A robot is answered as a person would be, and nothing is written: it filled the field
    // out of people's sight, or it was too quick, or it made up when the form was shown.
    let shown_at = form_stamps::shown_at(&state.app, &form_path(&slug), &form.stamp)
        .await?
        .unwrap_or(now);
    if !form.site_web.is_empty() || now - shown_at < MIN_FILL_SECS {
        return page(
            &state,
            &token,
            &slug,
            RequestFields::default(),
            true,
            FieldErrors::new(),
        )
        .await;
    }
    let consent = form.consent.is_some();
    let submitted =
        gp_waitlist::submit_public(&state.app, &slug, &fields, consent, &context, &form.stamp);
    match submitted.await {
        Ok(()) => {
            page(
                &state,
                &token,
                &slug,
                RequestFields::default(),
                true,
                FieldErrors::new(),
            )
            .await
        }
        Err(ServiceError::Invalid(errors)) => {
            page(&state, &token, &slug, fields, false, errors).await
        }
        Err(error) => Err(error.into()),
    }
}
