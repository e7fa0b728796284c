//! Errors of the JSON API as `application/problem+json` (RFC 9457), in French.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_domain::common::validation::FieldError;
use maillage_services::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

/// A problem detail; `errors` names each invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &str) -> Self {
        Self {
            kind: "about:blank".to_owned(),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: None,
            errors: Vec::new(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            "application/problem+json".parse().expect("static header"),
        );
        response
    }
}

/// Maps a use case's error to its problem.
pub struct ApiError(pub ServiceError);

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        problem_of(&self.0).into_response()
    }
}

/// The problem a use case's error is answered with.
pub fn problem_of(error: &ServiceError) -> Problem {
    match error {
        ServiceError::Invalid(errors) => {
            let mut problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Données invalides");
            problem.detail = Some("Un ou plusieurs champs sont invalides.".to_owned());
            problem.errors = errors.iter().cloned().collect();
            problem
        }
        ServiceError::NotFound => Problem::new(StatusCode::NOT_FOUND, "Introuvable"),
        ServiceError::Forbidden => Problem::new(
            StatusCode::FORBIDDEN,
            "Action non autorisée pour votre rôle",
        ),
        ServiceError::BadCredentials => {
            Problem::new(StatusCode::UNAUTHORIZED, "Authentification requise")
        }
        ServiceError::Throttled { .. } => {
            Problem::new(StatusCode::TOO_MANY_REQUESTS, "Trop de tentatives")
        }
        ServiceError::Conflict(message) => {
            let mut problem = Problem::new(StatusCode::CONFLICT, "Conflit");
            problem.detail = Some(message.clone());
            problem
        }
        ServiceError::Import(message) => {
            let mut problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Fichier refusé");
            problem.detail = Some(message.clone());
            problem
        }
        ServiceError::Store(_) | ServiceError::Internal(_) => {
            tracing::error!(%error, "API request failed");
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Erreur interne")
        }
    }
}
