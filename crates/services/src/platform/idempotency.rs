//! Idempotent API calls: a state-changing call sent with an `Idempotency-Key` is answered
//! once; the same key with the same body gets that answer again, with another body a
//! refusal, and while the first is being answered, a request to retry. A call that makes
//! its writes in one transaction claims its key and keeps its answer in that same commit.

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use maillage_domain::FieldErrors;
use maillage_store::{Conn, keep, platform::idempotency, savepoint, undo};
use sha2::{Digest, Sha256};

pub use maillage_store::platform::idempotency::Claim;

/// A claim older than this, still unanswered, belongs to a server that died.
const STALE_SECS: i64 = 60;

/// Checks the key's form: 1 to 200 visible ASCII characters.
pub(crate) fn checked(key: &str) -> ServiceResult<&str> {
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

/// What identifies a call (its method, path and body), hashed.
pub(crate) fn request_hash(request: &[u8]) -> String {
    hex::encode(Sha256::digest(request))
}

/// Claims `key` for this call, whose method, path and body are `request`.
pub async fn claim(app: &App, actor: &Actor, key: &str, request: &[u8]) -> ServiceResult<Claim> {
    let key = checked(key)?;
    let hash = request_hash(request);
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
    let mut tx = app.db.begin().await?;
    if status >= 500 {
        idempotency::release(&mut tx, actor.user_id, key).await?;
    } else {
        idempotency::answer(&mut tx, actor.user_id, key, i64::from(status), body).await?;
    }
    maillage_store::Db::commit(tx).await?;
    Ok(())
}

/// A call's idempotency key and what identifies the call (method, path and body).
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'a> {
    pub key: &'a str,
    pub request: &'a [u8],
}

/// What a call answered in one commit replies.
pub enum Reply<T> {
    /// The call was made now (first with its key, or without one).
    Now(ServiceResult<T>),
    /// The first call with this key was answered so: status and body.
    Stored(u16, String),
    /// The key was used for another request.
    OtherRequest,
    /// The first call with this key is still being answered (by the older, three-step path).
    InFlight,
}

/// Makes `call` in one transaction with its idempotency key: the key claimed, the call
/// made (its writes undone, through a savepoint, when it fails), and `render`'s answer
/// kept for the key, all in one commit. A failure of the server itself leaves nothing, so
/// that the same key may be tried again.
pub async fn in_one_commit<T>(
    app: &App,
    actor: &Actor,
    keyed: Option<Keyed<'_>>,
    call: impl AsyncFnOnce(&mut Conn) -> ServiceResult<T>,
    render: impl FnOnce(&ServiceResult<T>) -> (u16, String),
) -> ServiceResult<Reply<T>> {
    let mut tx = app.db.begin().await?;
    if let Some(keyed) = keyed {
        let key = checked(keyed.key)?;
        let hash = request_hash(keyed.request);
        match idempotency::claim(&mut tx, actor.user_id, key, &hash, app.now(), STALE_SECS).await? {
            Claim::First => {}
            Claim::Answered(status, body) => {
                return Ok(Reply::Stored(u16::try_from(status).unwrap_or(200), body));
            }
            Claim::OtherRequest => return Ok(Reply::OtherRequest),
            Claim::InFlight => return Ok(Reply::InFlight),
        }
    }
    let mut attempt = savepoint(&mut tx).await?;
    let result = match call(&mut attempt).await {
        Err(error) if error.is_server_failure() => return Err(error),
        result => result,
    };
    match &result {
        Ok(_) => keep(attempt).await?,
        Err(_) => undo(attempt).await?,
    }
    if let Some(keyed) = keyed {
        let (status, body) = render(&result);
        idempotency::answer(&mut tx, actor.user_id, keyed.key, i64::from(status), &body).await?;
    }
    maillage_store::Db::commit(tx).await?;
    Ok(Reply::Now(result))
}
