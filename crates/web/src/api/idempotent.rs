//! Runs a state-changing API call at most once per `Idempotency-Key`: the same key with the
//! same request gets the first answer again (201 once, then the same 201), with another
//! request a 422, and while the first call is being answered a 409 to retry. Calls with a
//! JSON body have it parsed first, a malformed one answered by a 422 naming the error.

use crate::api::answer;
use crate::api::json_body::{json_bytes, parse};
use crate::problem::{ApiError, Problem, problem_of};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_services::platform::idempotency::{self, KeptAnswer, Keyed, Reply};
use maillage_services::{Actor, ServiceError, ServiceResult};
use maillage_store::Conn;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The answer kept for a key, given again.
fn kept(answer: KeptAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let kind = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        answer.body,
    )
        .into_response()
}

/// The answer to a key used before for another request.
fn other_request() -> Response {
    let mut problem = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Clé d’idempotence déjà utilisée",
    );
    problem.detail =
        Some("Cette clé a servi pour une autre requête : choisissez-en une nouvelle.".to_owned());
    problem.into_response()
}

/// The answer to a key whose first request is still being answered.
fn in_flight() -> Response {
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

/// The answer to keep for a key: what [`answer`] gives for `result`, as text.
fn to_keep<R: Serialize>(status: StatusCode, result: Result<&R, &ServiceError>) -> KeptAnswer {
    let (status, body) = match result {
        Ok(value) => (status.as_u16(), serde_json::to_string(value)),
        Err(error) => {
            let problem = problem_of(error);
            (problem.status, serde_json::to_string(&problem))
        }
    };
    KeptAnswer {
        status,
        body: body.unwrap_or_default(),
    }
}

/// The response to a call answered in one commit: made now, `view` shows its result with
/// `status`; or the answer kept for its key; or why the key cannot serve.
pub(crate) fn respond<T, R: Serialize>(
    status: StatusCode,
    reply: ServiceResult<Reply<T>>,
    view: impl FnOnce(T) -> R,
) -> Response {
    match reply {
        Ok(Reply::Now(result)) => answer(status, result.map(view)),
        Ok(Reply::Kept(answer)) => kept(answer),
        Ok(Reply::OtherRequest) => other_request(),
        Ok(Reply::InFlight) => in_flight(),
        Err(error) => ApiError(error).into_response(),
    }
}

/// How a call's result is kept for its key: as `view` and `status` show it.
pub(crate) fn keeping<T, R: Serialize>(
    status: StatusCode,
    view: impl FnOnce(&T) -> R,
) -> impl FnOnce(&ServiceResult<T>) -> KeptAnswer {
    move |result| match result {
        Ok(value) => to_keep(status, Ok(&view(value))),
        Err(error) => to_keep::<R>(status, Err(error)),
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
    /// `call`, which makes its writes in the transaction it is given; the key's claim and
    /// its answer are written in that same commit. A success is answered with `status`.
    pub async fn once<T, R>(
        &self,
        state: &AppState,
        status: StatusCode,
        call: impl AsyncFnOnce(T, &mut Conn) -> ServiceResult<R>,
    ) -> Response
    where
        T: DeserializeOwned,
        R: Serialize,
    {
        let given = match parse::<T>(&self.body) {
            Ok(given) => given,
            Err(problem) => return problem.into_response(),
        };
        let identity = self.identity();
        let reply = idempotency::in_one_commit(
            &state.app,
            &self.actor,
            self.keyed(&identity),
            async |tx: &mut Conn| call(given, tx).await,
            |result: &ServiceResult<R>| to_keep(status, result.as_ref()),
        )
        .await;
        respond(status, reply, |value| value)
    }
}
