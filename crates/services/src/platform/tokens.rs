//! Personal API tokens: created and shown once, stored hashed, revocable, used as bearer tokens.

use crate::context::{Actor, App, RequestContext};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::platform::secrets;
use maillage_domain::platform::account::token_expiry;
use maillage_domain::platform::audit::Outcome;
use maillage_domain::{FieldErrors, common::text};
use maillage_store::platform::api_tokens::{self, ApiTokenRow, NewToken};
use maillage_store::{Db, platform::users};

/// Every token starts with this, so that secret scanners recognise a leaked one.
pub const PREFIX: &str = "mlg_";

/// A token as asked for: its name and the day it expires (empty: never).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TokenFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub expires_on: String,
}

/// Creates a token for the account with this e-mail, as its owner would (the operator on
/// the command line, for machine clients and benchmarks).
pub async fn create_for_email(
    app: &App,
    email: &str,
    fields: &TokenFields,
) -> ServiceResult<String> {
    let mut conn = app.db.conn().await?;
    let user = users::by_email(&mut conn, &email.trim().to_lowercase())
        .await?
        .ok_or_else(|| FieldErrors::single("email", "Aucun compte n’a cette adresse."))?;
    drop(conn);
    let actor = crate::platform::auth::actor_from(user, &RequestContext::default())?;
    Ok(create(app, &actor, fields).await?.1)
}

/// Creates a token for the actor; the returned string is shown once and never again.
pub async fn create(
    app: &App,
    actor: &Actor,
    fields: &TokenFields,
) -> ServiceResult<(ApiTokenRow, String)> {
    let mut errors = FieldErrors::new();
    let name = errors
        .take("name", text::line(&fields.name, "nom du jeton"))
        .unwrap_or_default();
    if errors.get("name").is_none() && (name.is_empty() || name.chars().count() > 80) {
        errors.add("name", "Donnez au jeton un nom de 1 à 80 caractères.");
    }
    let expires_at = errors.take("expires_on", token_expiry(&fields.expires_on, app.today()));
    let expires_at = errors.into_result(|| expires_at.flatten())?;
    let token = format!("{PREFIX}{}", secrets::random_token(32));
    let new = NewToken {
        user_id: actor.user_id,
        name: &name,
        token_hash: &secrets::token_hash(&token),
        expires_at,
    };
    let mut tx = app.db.begin().await?;
    let row = api_tokens::insert(&mut tx, &new, app.now()).await?;
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("api_token.create", Outcome::Success).object("api_token", row.id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok((row, token))
}

pub async fn list(app: &App, actor: &Actor) -> ServiceResult<Vec<ApiTokenRow>> {
    let mut conn = app.db.conn().await?;
    Ok(api_tokens::list_for_user(&mut conn, actor.user_id).await?)
}

/// Revokes one of the actor's own tokens; someone else's is not found.
pub async fn revoke(app: &App, actor: &Actor, id: i64) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    if !api_tokens::revoke(&mut tx, actor.user_id, id, app.now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::write_in(
        app,
        &mut tx,
        &Who::User(actor),
        Event::new("api_token.revoke", Outcome::Success).object("api_token", id),
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// The actor behind a bearer token, or `None` for an unknown, revoked or expired one.
pub async fn authenticate(
    app: &App,
    token: &str,
    request: &RequestContext,
) -> ServiceResult<Option<Actor>> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let mut conn = app.db.conn().await?;
    let Some(owner) =
        api_tokens::owner_of_live(&mut conn, &secrets::token_hash(token), app.now()).await?
    else {
        return Ok(None);
    };
    drop(conn);
    if owner.token_last_used_at.is_none_or(|t| app.now() - t >= 60) {
        let mut tx = app.db.begin().await?;
        api_tokens::touch(&mut tx, owner.token_id, app.now()).await?;
        maillage_store::Db::commit(tx).await?;
    }
    let user = owner.user;
    Ok(Some(crate::platform::auth::actor_from(user, request)?))
}
