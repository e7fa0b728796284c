//! The error of a page handler: a use case's error that the handler does not show in its own
//! form, answered with the French error page and its status, so that handlers can use `?`.

use crate::html::error_page;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_services::ServiceError;

/// A use case's error on its way to the error page.
pub struct PageError(pub ServiceError);

/// What a page handler answers: its page, or the error page.
pub type PageResult = Result<Response, PageError>;

impl PageError {
    /// The error of a page that is not shown to whom may not see it: a refusal reads as
    /// « Page introuvable ».
    pub fn hiding(error: ServiceError) -> Self {
        match error {
            ServiceError::Forbidden => Self(ServiceError::NotFound),
            error => Self(error),
        }
    }
}

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let error = self.0;
        match error {
            ServiceError::NotFound => error_page(
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "Cette page n’existe pas ou ne vous est pas accessible.",
            ),
            ServiceError::Forbidden => error_page(
                StatusCode::FORBIDDEN,
                "Accès refusé",
                "Votre rôle ne permet pas cette action.",
            ),
            ServiceError::Throttled { .. } => error_page(
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                "Trop de tentatives : réessayez dans quelques minutes.",
            ),
            ServiceError::Invalid(_) | ServiceError::BadCredentials => error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Données invalides",
                "La demande contient des données invalides.",
            ),
            ServiceError::Conflict(message) => {
                error_page(StatusCode::CONFLICT, "Action impossible", &message)
            }
            ServiceError::Import(message) => {
                error_page(StatusCode::UNPROCESSABLE_ENTITY, "Fichier refusé", &message)
            }
            ServiceError::Store(_) | ServiceError::Internal(_) => {
                tracing::error!(%error, "request failed");
                error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Erreur interne",
                    "Une erreur est survenue ; elle a été enregistrée. Réessayez dans un instant.",
                )
            }
        }
    }
}
