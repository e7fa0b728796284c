//! Idempotent API calls: a state-changing call sent with an `Idempotency-Key` is answered
//! once; the same key with the same body gets that answer again, with another body a
//! refusal, and while the first is being answered, a request to retry.

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use maillage_domain::FieldErrors;
use maillage_store::idempotency;
use sha2::{Digest, Sha256};

pub use maillage_store::idempotency::Claim;

/// A claim older than this, still unanswered, belongs to a server that died.
const STALE_SECS: i64 = 60;

/// Checks the key's form: 1 to 200 visible ASCII characters.
fn checked(key: &str) -> ServiceResult<&str> {
    let valid = (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(key)
    } else {
        Err(FieldErrors::single(
            "Idempotency-Key",
            "La clé d’idempotence compte 1 à 200 caractères ASCII visibles.",
        )
        .into())
    }
}

/// Claims `key` for this call, whose method, path and body are `request`.
pub async fn claim(app: &App, actor: &Actor, key: &str, request: &[u8]) -> ServiceResult<Claim> {
    let key = checked(key)?;
    let hash = hex::encode(Sha256::digest(request));
    let mut tx = app.db.begin().await?;
    let claim =
        idempotency::claim(&mut tx, actor.user_id, key, &hash, app.now(), STALE_SECS).await?;
    maillage_store::Db::commit(tx).await?;
    Ok(claim)
}

/// Keeps the first call's answer, or frees the key when the call failed on the server.
pub async fn finish(
    app: &App,
    actor: &Actor,
    key: &str,
    status: u16,
    body: &str,
) -> ServiceResult<()> {
    let mut conn = app.db.conn().await?;
    if status >= 500 {
        idempotency::release(&mut conn, actor.user_id, key).await?;
    } else {
        idempotency::answer(&mut conn, actor.user_id, key, i64::from(status), body).await?;
    }
    Ok(())
}
