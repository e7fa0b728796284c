//! Stamps of when a public form was shown: the time, signed (HMAC-SHA256) with a key the
//! servers share, so that a robot can claim neither that it took its time filling the form
//! nor that a form shown by another server was its own; a stamp serves a day, and once
//! (the use case that records a form takes it, `form_stamps_used`).

use crate::context::App;
use crate::error::{ServiceError, ServiceResult};
use crate::platform::secrets::random_token;
use hmac::{Hmac, Mac};
use maillage_store::platform::server_keys;
use sha2::Sha256;

const KEY_NAME: &str = "form_stamps";

/// How long after it was shown a form's stamp is still taken.
const STAMP_TTL_SECS: i64 = 86_400;

/// The shared key, read (or made, by the first server) once per server.
async fn key(app: &App) -> ServiceResult<&str> {
    let read = async || {
        let mut conn = app.db.conn().await?;
        let candidate = random_token(32);
        let key = server_keys::get_or_create(&mut conn, KEY_NAME, &candidate).await?;
        Ok::<_, ServiceError>(key)
    };
    Ok(app.form_key.get_or_try_init(read).await?.as_str())
}

async fn mac(app: &App, form: &str, at: i64) -> ServiceResult<Hmac<Sha256>> {
    let key = key(app).await?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(format!("{form}\n{at}").as_bytes());
    Ok(mac)
}

/// The stamp of `form` (a path) shown now: `TIME.SIGNATURE`.
pub async fn stamp(app: &App, form: &str) -> ServiceResult<String> {
    let at = app.now();
    let signature = mac(app, form, at).await?.finalize().into_bytes();
    Ok(format!("{at}.{}", hex::encode(signature)))
}

/// When `form` was shown, if `stamp` is one this platform made for it within a day.
pub async fn shown_at(app: &App, form: &str, stamp: &str) -> ServiceResult<Option<i64>> {
    let Some((at, signature)) = stamp.split_once('.') else {
        return Ok(None);
    };
    let (Ok(at), Ok(signature)) = (at.parse::<i64>(), hex::decode(signature)) else {
        return Ok(None);
    };
    if app.now() - at > STAMP_TTL_SECS {
        return Ok(None);
    }
    let verified = mac(app, form, at).await?.verify_slice(&signature).is_ok();
    Ok(verified.then_some(at))
}

/// Forgets the stamps used that no form takes any more (run periodically).
pub async fn purge_used(app: &App) -> ServiceResult<u64> {
    let mut conn = app.db.conn().await?;
    let before = app.now() - STAMP_TTL_SECS;
    Ok(maillage_store::platform::form_stamps_used::purge_before(&mut conn, before).await?)
}
