//! The errors a use case reports, which the web layer maps to pages and HTTP statuses.

use maillage_domain::FieldErrors;
use maillage_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Some fields are invalid; each has a French message.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Not there, or not visible to this actor (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// Visible, but this actor's role may not do it.
    #[error("forbidden")]
    Forbidden,
    /// Wrong e-mail, password or code.
    #[error("bad credentials")]
    BadCredentials,
    /// Too many failed attempts; try again after this many seconds.
    #[error("throttled")]
    Throttled { retry_after_secs: i64 },
    /// The change collides with the current state (a slot just taken by someone else), said
    /// in French.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A file to import cannot be, for the reason given in French (lines and columns).
    #[error("{0}")]
    Import(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// Whether the server failed (its database, or itself), rather than the call being
    /// refused: such a failure leaves nothing written, and no answer kept for its key.
    pub(crate) fn is_server_failure(&self) -> bool {
        matches!(self, Self::Store(_) | Self::Internal(_))
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
