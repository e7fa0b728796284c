//! Runs a state-changing API call at most once per `Idempotency-Key`: the same key with the
//! same request gets the first answer again (201 once, then the same 201), with another
//! request a 422, and while the first call is being answered a 409 to retry. Calls with a
//! JSON body have it parsed first, a malformed one answered by a 422 naming the error.

use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::body::Bytes;
use axum::body::to_bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_services::Actor;
use maillage_services::idempotency::{self, Claim};
use serde::de::DeserializeOwned;

/// The largest answer kept for replay.
const ANSWER_LIMIT: usize = 1024 * 1024;

fn stored(status: i64, body: String) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let kind = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        body,
    )
        .into_response()
}

/// Answers `call` once for the key in `headers`, if any; `request` identifies the call
/// (method, path and body).
pub async fn once(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    request: &[u8],
    call: impl Future<Output = Response>,
) -> Response {
    let Some(key) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()) else {
        return call.await;
    };
    match idempotency::claim(&state.app, actor, key, request).await {
        Err(error) => ApiError(error).into_response(),
        Ok(Claim::Answered(status, body)) => stored(status, body),
        Ok(Claim::OtherRequest) => {
            let mut problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Clé d’idempotence déjà utilisée",
            );
            problem.detail = Some(
                "Cette clé a servi pour une autre requête : choisissez-en une nouvelle.".to_owned(),
            );
            problem.into_response()
        }
        Ok(Claim::InFlight) => {
            let mut problem = Problem::new(StatusCode::CONFLICT, "Requête en cours");
            problem.detail = Some("La première requête avec cette clé n’a pas encore de réponse : réessayez dans un instant.".to_owned());
            let mut response = problem.into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Ok(Claim::First) => {
            let response = call.await;
            let status = response.status();
            let (parts, body) = response.into_parts();
            let Ok(bytes) = to_bytes(body, ANSWER_LIMIT).await else {
                return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Erreur interne")
                    .into_response();
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Err(error) =
                idempotency::finish(&state.app, actor, key, status.as_u16(), &text).await
            {
                return ApiError(error).into_response();
            }
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
    }
}

/// The JSON body, or the 422 problem naming what is wrong with it.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<Problem>> {
    serde_json::from_slice(body).map_err(|error| {
        let mut problem = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Corps de requête invalide",
        );
        problem.detail = Some(format!("JSON attendu : {error}"));
        Box::new(problem)
    })
}

/// Answers the call `what` (method and path) once per idempotency key: parses its JSON body
/// and hands it to `call`.
pub async fn once_with<T, Fut>(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    what: &str,
    body: &Bytes,
    call: impl FnOnce(T) -> Fut,
) -> Response
where
    T: DeserializeOwned,
    Fut: Future<Output = Response>,
{
    let request = [what.as_bytes(), b"\n", body].concat();
    let run = async {
        match parse::<T>(body) {
            Ok(value) => call(value).await,
            Err(problem) => problem.into_response(),
        }
    };
    once(state, actor, headers, &request, run).await
}
