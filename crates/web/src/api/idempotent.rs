//! Runs a state-changing API call at most once per `Idempotency-Key`: the same key with the
//! same request gets the first answer again (201 once, then the same 201), with another
//! request a 422, and while the first call is being answered a 409 to retry. Calls with a
//! JSON body have it parsed first, a malformed one answered by a 422 naming the error.

use crate::api::json_body::{json_bytes, parse};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::body::{Bytes, to_bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_services::Actor;
use maillage_services::platform::idempotency::{self, Claim, Keyed};
use serde::de::DeserializeOwned;

/// The largest answer kept for replay.
const ANSWER_LIMIT: usize = 1024 * 1024;

/// The answer kept for a key, given again.
pub(crate) fn stored(status: i64, body: String) -> Response {
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

/// The answer to a key used before for another request.
pub(crate) fn other_request() -> Response {
    let mut problem = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Clé d’idempotence déjà utilisée",
    );
    problem.detail =
        Some("Cette clé a servi pour une autre requête : choisissez-en une nouvelle.".to_owned());
    problem.into_response()
}

/// The answer to a key whose first request is still being answered.
pub(crate) fn in_flight() -> Response {
    let mut problem = Problem::new(StatusCode::CONFLICT, "Requête en cours");
    problem.detail = Some(
        "La première requête avec cette clé n’a pas encore de réponse : réessayez dans un instant."
            .to_owned(),
    );
    let mut response = problem.into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Answers `call` once for the key in `headers`, if any; `request` identifies the call
/// (method, path and body).
async fn answer_once(
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
        Ok(Claim::OtherRequest) => other_request(),
        Ok(Claim::InFlight) => in_flight(),
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

/// A state-changing API call as it came: who makes it, its headers (the
/// `Idempotency-Key`), what it is (method and path) and its JSON body, still to be parsed.
pub struct JsonCall {
    actor: Actor,
    headers: HeaderMap,
    what: String,
    body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for JsonCall {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let Some(actor) = request.extensions().get::<Actor>().cloned() else {
            return Err(Problem::new(StatusCode::UNAUTHORIZED, "Jeton manquant").into_response());
        };
        let headers = request.headers().clone();
        let what = format!("{} {}", request.method(), request.uri().path());
        let body = json_bytes(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            actor,
            headers,
            what,
            body,
        })
    }
}

impl JsonCall {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The JSON body, or the 422 problem naming what is wrong with it.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Box<Problem>> {
        parse::<T>(&self.body)
    }

    /// The call's idempotency key, if it came with one, and the request it identifies
    /// (`request` keeps the bytes alive).
    pub fn keyed<'a>(&'a self, request: &'a [u8]) -> Option<Keyed<'a>> {
        let key = self.headers.get("idempotency-key")?.to_str().ok()?;
        Some(Keyed { key, request })
    }

    /// What identifies the call for its key: method, path and body.
    pub fn identity(&self) -> Vec<u8> {
        [self.what.as_bytes(), b"\n", &self.body].concat()
    }

    /// Answers the call once per idempotency key: parses its JSON body and hands it to
    /// `call`.
    pub async fn once<T, Fut>(&self, state: &AppState, call: impl FnOnce(T) -> Fut) -> Response
    where
        T: DeserializeOwned,
        Fut: Future<Output = Response>,
    {
        let request = self.identity();
        let run = async {
            match parse::<T>(&self.body) {
                Ok(value) => call(value).await,
                Err(problem) => problem.into_response(),
            }
        };
        answer_once(state, &self.actor, &self.headers, &request, run).await
    }
}
