//! TOTP seeds as the database keeps them: sealed by the host's secret box for their account
//! (a seed moved to another account's row does not open), and the seeds of earlier
//! versions, stored in clear, sealed at a server's start.

use crate::context::App;
use crate::error::{ServiceError, ServiceResult};
use maillage_store::Db;
use maillage_store::platform::users::{self, TotpRow};

/// What a seed is sealed for: its account.
fn context(user_id: i64) -> String {
    format!("totp:{user_id}")
}

/// A new seed of `user_id`, sealed to be stored.
pub(crate) fn sealed(app: &App, user_id: i64, seed: &[u8]) -> Vec<u8> {
    app.secret_box.seal(seed, &context(user_id))
}

/// The seed of `user_id`'s credential `row`.
pub(crate) fn seed(app: &App, user_id: i64, row: &TotpRow) -> ServiceResult<Vec<u8>> {
    if !row.sealed {
        return Ok(row.secret.clone());
    }
    app.secret_box
        .open(&row.secret, &context(user_id))
        .map_err(|_| {
            ServiceError::Internal(format!(
                "la graine TOTP du compte n° {user_id} ne s’ouvre pas : le fichier de clé \
                 secrète n’est pas celui de ce serveur"
            ))
        })
}

/// Seals every seed stored in clear; how many were.
pub async fn seal_clear_seeds(app: &App) -> ServiceResult<usize> {
    let mut tx = app.db.begin().await?;
    let mut count = 0;
    for (user_id, clear) in users::clear_totp_seeds(&mut tx).await? {
        let sealed_seed = sealed(app, user_id, &clear);
        if users::seal_totp_seed(&mut tx, user_id, &clear, &sealed_seed).await? {
            count += 1;
        }
    }
    Db::commit(tx).await?;
    Ok(count)
}
