//! What each person chooses to be told by e-mail: every message of their threads, only the
//! messages that mention them, or none; and alerts, or not.

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::FieldErrors;
use maillage_domain::platform::audit::Outcome;
use maillage_store::Db;
use maillage_store::platform::notification_preferences::{self, Preferences};

/// The actor's choices (the defaults until they make some).
pub async fn get(app: &App, actor: &Actor) -> ServiceResult<Preferences> {
    let mut conn = app.db.conn().await?;
    Ok(notification_preferences::get(&mut conn, actor.user_id).await?)
}

/// Records the actor's choices: `messages` is `all`, `mentions` or `none`.
pub async fn set(app: &App, actor: &Actor, messages: &str, alerts: bool) -> ServiceResult<()> {
    if !matches!(messages, "all" | "mentions" | "none") {
        return Err(FieldErrors::single(
            "messages",
            "Choisissez : tous les messages, seulement ceux qui vous mentionnent, ou aucun.",
        )
        .into());
    }
    let preferences = Preferences {
        messages: messages.to_owned(),
        alerts: i64::from(alerts),
    };
    let mut tx = app.db.begin().await?;
    notification_preferences::set(&mut tx, actor.user_id, &preferences).await?;
    let event = Event::new("notifications.preferences", Outcome::Success).cpts(actor.cpts_id);
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    Ok(())
}
