//! Idempotent API calls: a state-changing call sent with an `Idempotency-Key` is answered
//! once; the same key with the same body gets that answer again, with another body a
//! refusal. Every keyed call claims its key, makes its writes and keeps its answer in one
//! commit, so that a crash leaves either all three or none.

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use maillage_domain::FieldErrors;
use maillage_store::platform::idempotency::{self, Claim};
use maillage_store::{Conn, Db, keep, savepoint, undo};
use sha2::{Digest, Sha256};

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

/// A call's idempotency key and what identifies the call (method, path and body).
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'a> {
    pub key: &'a str,
    pub request: &'a [u8],
}

/// The answer a keyed call was given, as its caller rendered it (the web: its status and
/// body); kept with the key, unread here, and given again to the same call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAnswer {
    pub status: u16,
    pub body: String,
}

/// What a call answered in one commit replies.
pub enum Reply<T> {
    /// The call was made now (first with its key, or without one).
    Now(ServiceResult<T>),
    /// The first call with this key was answered so.
    Kept(KeptAnswer),
    /// The key was used for another request.
    OtherRequest,
    /// The first call with this key is still being answered: a claim left by an earlier
    /// version, which answered in several transactions, until it goes stale.
    InFlight,
}

/// Makes `call` in one transaction with its idempotency key: the key claimed, the call
/// made (its writes undone, through a savepoint, when it fails), and `render`'s answer
/// kept for the key, all in one commit. A failure of the server itself leaves nothing, so
/// that the same key may be tried again. The outbox worker is woken after a call made now,
/// which may have written notifications.
pub async fn in_one_commit<T>(
    app: &App,
    actor: &Actor,
    keyed: Option<Keyed<'_>>,
    call: impl AsyncFnOnce(&mut Conn) -> ServiceResult<T>,
    render: impl FnOnce(&ServiceResult<T>) -> KeptAnswer,
) -> ServiceResult<Reply<T>> {
    let mut tx = app.db.begin().await?;
    if let Some(keyed) = keyed {
        let key = checked(keyed.key)?;
        let hash = request_hash(keyed.request);
        match idempotency::claim(&mut tx, actor.user_id, key, &hash, app.now(), STALE_SECS).await? {
            Claim::First => {}
            Claim::Answered(status, body) => {
                let status = u16::try_from(status).unwrap_or(200);
                return Ok(Reply::Kept(KeptAnswer { status, body }));
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
        let kept = render(&result);
        let status = i64::from(kept.status);
        idempotency::answer(&mut tx, actor.user_id, keyed.key, status, &kept.body).await?;
    }
    Db::commit(tx).await?;
    if result.is_ok() {
        app.notifications.notify_one();
    }
    Ok(Reply::Now(result))
}
