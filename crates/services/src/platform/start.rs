//! What a server does with its host keys before it answers: it keys the audit trail (and
//! writes a first checkpoint) and seals the TOTP seeds an earlier version stored in clear.

use crate::context::App;
use crate::error::ServiceResult;
use crate::{platform::audit_seal, platform::totp_seeds};

/// Prepares `app`'s database for this host's keys; says how many TOTP seeds it sealed.
pub async fn prepare(app: &App) -> ServiceResult<usize> {
    audit_seal::ensure_keyed(app).await?;
    totp_seeds::seal_clear_seeds(app).await
}
