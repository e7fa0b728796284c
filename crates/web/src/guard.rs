//! Who is asking: the browser session (with CSRF check on every form) for pages, the
//! bearer token for the API. Routes behind these guards answer nothing to strangers.

use crate::cookies;
use crate::page_error::PageError;
use crate::problem::Problem;
use crate::state::AppState;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Multipart};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use maillage_services::platform::auth::{self, Session, Stage};
use maillage_services::{RequestContext, platform::tokens};

/// Largest form body accepted.
const FORM_LIMIT: usize = 64 * 1024;

/// Pages a session may reach before it is complete.
const ENROL_PATH: &str = "/compte/double-authentification";
const CODE_PATH: &str = "/connexion/code";
const LOGOUT_PATH: &str = "/deconnexion";

fn context(request: &Request) -> RequestContext {
    request
        .extensions()
        .get::<RequestContext>()
        .cloned()
        .unwrap_or_default()
}

/// To the login page; a page asked for by its address is opened once logged in.
fn to_login(request: &Request, secure: bool) -> Response {
    let mut response = Redirect::to("/connexion").into_response();
    let asked = request.uri().path_and_query().map_or("/", |p| p.as_str());
    if request.method() == Method::GET
        && asked != "/"
        && let Some(cookie) = cookies::return_to(asked, secure)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The value of `field` in a URL-encoded form body.
pub fn form_field(body: &[u8], field: &str) -> Option<String> {
    form_urlencoded_pairs(body)
        .find(|(k, _)| k == field)
        .map(|(_, v)| v)
}

fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
}

/// Largest multipart form body accepted: a message with its attached files.
pub const MULTIPART_LIMIT: usize = maillage_services::messaging::MAX_FILES
    * maillage_domain::messaging::ATTACHMENT_MAX_BYTES
    + 1024 * 1024;

/// Whether the request is a form with files to a page that takes files (a message's, the
/// patients of a departing GP): the only forms read up to the multipart limit.
fn is_multipart(request: &Request) -> bool {
    let path = request.uri().path();
    let takes_files = (path.starts_with("/messagerie/fils/") && path.ends_with("/messages"))
        || (path.starts_with("/medecin-traitant/departs/") && path.ends_with("/patients"));
    takes_files
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// The `csrf` field of a multipart body (forms with files).
async fn multipart_csrf(parts: &axum::http::request::Parts, bytes: &Bytes) -> Option<String> {
    let request = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// Reads the form body, checks its `csrf` field against `expected`, and puts the body back.
pub async fn check_csrf(request: Request, expected: &str) -> Result<Request, Response> {
    let multipart = is_multipart(&request);
    let limit = if multipart {
        MULTIPART_LIMIT
    } else {
        FORM_LIMIT
    };
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, limit).await.map_err(|_| {
        (StatusCode::PAYLOAD_TOO_LARGE, "Formulaire trop volumineux.").into_response()
    })?;
    let given = if multipart {
        multipart_csrf(&parts, &bytes).await
    } else {
        form_field(&bytes, "csrf")
    }
    .unwrap_or_default();
    if expected.is_empty() || given.as_bytes() != expected.as_bytes() {
        let page = crate::html::error_page(
            StatusCode::FORBIDDEN,
            "Formulaire expiré",
            "Ce formulaire a expiré ou ne vient pas de maillage. Rechargez la page et recommencez.",
        );
        return Err(page);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Whether a request is one a page makes by itself, not the person: a thread's live
/// updates. Such requests do not keep the session alive.
fn made_by_the_page(path: &str) -> bool {
    path.starts_with("/messagerie/fils/")
        && (path.ends_with("/flux") || path.ends_with("/nouveaux"))
}

/// Requires a complete session (or the step that completes it) and a valid CSRF token on
/// every state-changing request.
pub async fn require_session(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let secure = state.config.secure_cookies;
    let Some(token) = cookies::get(request.headers(), cookies::SESSION) else {
        return to_login(&request, secure);
    };
    let activity = !made_by_the_page(request.uri().path());
    let session = match auth::session(&state.app, &token, &context(&request), activity).await {
        Ok(Some(session)) => session,
        Ok(None) => {
            let mut response = to_login(&request, secure);
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::clear(cookies::SESSION, state.config.secure_cookies),
            );
            return response;
        }
        Err(error) => return PageError(error).into_response(),
    };
    let path = request.uri().path();
    let allowed = match session.stage {
        Stage::Ready => true,
        Stage::AwaitingCode => path == CODE_PATH || path == LOGOUT_PATH,
        Stage::MustEnrol => path == ENROL_PATH || path == LOGOUT_PATH,
    };
    if !allowed {
        let target = if session.stage == Stage::AwaitingCode {
            CODE_PATH
        } else {
            ENROL_PATH
        };
        return Redirect::to(target).into_response();
    }
    let mut request = request;
    if request.method() != Method::GET && request.method() != Method::HEAD {
        request = match check_csrf(request, &session.csrf_token).await {
            Ok(request) => request,
            Err(response) => return response,
        };
    }
    request.extensions_mut().insert::<Session>(session);
    next.run(request).await
}

/// Requires `Authorization: Bearer mlg_…` with a live personal token.
pub async fn require_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    let actor = match bearer {
        Some(token) => tokens::authenticate(&state.app, &token, &context(&request)).await,
        None => Ok(None),
    };
    match actor {
        Ok(Some(actor)) => {
            request.extensions_mut().insert(actor);
            next.run(request).await
        }
        Ok(None) => {
            let mut problem = Problem::new(StatusCode::UNAUTHORIZED, "Authentification requise");
            problem.detail =
                Some("Fournissez un jeton personnel : Authorization: Bearer mlg_…".to_owned());
            let mut response = problem.into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, "Bearer".parse().expect("static"));
            response
        }
        Err(error) => crate::problem::ApiError(error).into_response(),
    }
}

/// The open-data routes: a request budget per address, and an optional bearer token
/// (an invalid one is refused) that makes the caller known to the handler.
pub async fn open_data(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let context = context(&request);
    if !state.open_data_limiter.allow(&context.ip, state.app.now()) {
        let mut response = crate::directory::fhir::outcome(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            "Trop de requêtes : réessayez dans une minute.",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, "60".parse().expect("static"));
        return response;
    }
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim().to_owned());
    if let Some(token) = bearer {
        match tokens::authenticate(&state.app, &token, &context).await {
            Ok(Some(actor)) => {
                request.extensions_mut().insert(actor);
            }
            Ok(None) => {
                return crate::directory::fhir::outcome(
                    StatusCode::UNAUTHORIZED,
                    "login",
                    "Jeton inconnu ou révoqué.",
                );
            }
            Err(error) => return PageError(error).into_response(),
        }
    }
    next.run(request).await
}
