//! Logging in (password, then the TOTP code when enrolled) and out.

use crate::cookies;
use crate::guard::check_csrf;
use crate::html::layout;
use crate::html::{Layout, render};
use crate::page_error::{PageError, PageResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{FromRequest, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maillage_domain::FieldErrors;
use maillage_services::platform::auth::{self, Session, Stage};
use maillage_services::{RequestContext, ServiceError};
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Template)]
#[template(path = "platform/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    message: String,
    errors: FieldErrors,
}

/// The anonymous CSRF token of this browser, and whether the cookie must be set.
pub fn anonymous_token(headers: &axum::http::HeaderMap) -> (String, bool) {
    match cookies::get(headers, cookies::ANON_CSRF) {
        Some(token) if token.len() >= 16 => (token, false),
        _ => (auth::new_form_token(), true),
    }
}

/// The form a person not logged in sent, once its CSRF field matched this browser's
/// anonymous token: the token, and the form (`None` when it does not parse). `Err` is the
/// answer to a form that did not come from maillage.
pub async fn anonymous_form<T: DeserializeOwned>(
    request: Request,
) -> Result<(String, Option<T>), Response> {
    let (token, _) = anonymous_token(request.headers());
    let request = check_csrf(request, &token).await?;
    let form = Form::<T>::from_request(request, &()).await.ok();
    Ok((token, form.map(|Form(form)| form)))
}

/// Adds the anonymous CSRF cookie to an answer when it is new.
pub fn with_anonymous_cookie(
    mut response: Response,
    token: &str,
    new: bool,
    state: &AppState,
) -> Response {
    if new {
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(cookies::ANON_CSRF, token, state.config.secure_cookies),
        );
    }
    response
}

fn login_page(
    state: &AppState,
    csrf: &str,
    email: &str,
    message: &str,
    errors: FieldErrors,
) -> Response {
    render(&LoginPage {
        layout: Layout::anonymous("Connexion", csrf, state.config.demo),
        email: email.to_owned(),
        message: message.to_owned(),
        errors,
    })
}

pub async fn show(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let (token, new) = anonymous_token(&headers);
    let page = login_page(&state, &token, "", "", FieldErrors::new());
    with_anonymous_cookie(page, &token, new, &state)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    request: Request,
) -> Response {
    let (token, form) = match anonymous_form::<LoginForm>(request).await {
        Ok(sent) => sent,
        Err(response) => return response,
    };
    let Some(form) = form else {
        return login_page(
            &state,
            &token,
            "",
            "Formulaire invalide.",
            FieldErrors::new(),
        );
    };
    let mut errors = FieldErrors::new();
    if form.email.trim().is_empty() {
        errors.add("email", "Saisissez votre adresse e-mail.");
    }
    if form.password.is_empty() {
        errors.add("password", "Saisissez votre mot de passe.");
    }
    if !errors.is_empty() {
        return login_page(&state, &token, &form.email, "", errors);
    }
    match auth::login(&state.app, &form.email, &form.password, &context).await {
        Ok(session) => {
            let target = match session.stage {
                Stage::AwaitingCode => "/connexion/code",
                Stage::MustEnrol => "/compte/double-authentification",
                Stage::Ready => "/",
            };
            let mut response = Redirect::to(target).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::set(
                    cookies::SESSION,
                    &session.token,
                    state.config.secure_cookies,
                ),
            );
            response
        }
        Err(ServiceError::BadCredentials) => login_page(
            &state,
            &token,
            &form.email,
            "Adresse e-mail ou mot de passe incorrect.",
            FieldErrors::new(),
        ),
        Err(ServiceError::Throttled { retry_after_secs }) => {
            let wait = match (retry_after_secs, (retry_after_secs + 59) / 60) {
                (seconds @ 0..=59, _) => format!("{seconds} secondes"),
                (_, 1) => "une minute".to_owned(),
                (_, minutes) => format!("{minutes} minutes"),
            };
            let message = format!("Trop de tentatives échouées : réessayez dans {wait}.");
            let mut response =
                login_page(&state, &token, &form.email, &message, FieldErrors::new());
            *response.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
            response
        }
        Err(error) => PageError(error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "platform/code.html")]
struct CodePage {
    layout: Layout,
    errors: FieldErrors,
}

pub async fn code_page(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> Response {
    let layout = layout(&state, &session, "Double authentification", "").await;
    render(&CodePage {
        layout,
        errors: FieldErrors::new(),
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn code_submit(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<CodeForm>,
) -> PageResult {
    match auth::verify_code(&state.app, &session, &form.code).await {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let layout = layout(&state, &session, "Double authentification", "").await;
            Ok(render(&CodePage { layout, errors }))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    auth::logout(&state.app, &session).await?;
    let mut response = Redirect::to("/connexion").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(cookies::SESSION, state.config.secure_cookies),
    );
    Ok(response)
}
