//! Repository of what each person wants to be told by e-mail: messages of their threads
//! (all, only those that mention them, none) and alerts.

use crate::Conn;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Preferences {
    /// `all`, `mentions` or `none`.
    pub messages: String,
    /// 1 to receive alerts by e-mail.
    pub alerts: i64,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            messages: "all".to_owned(),
            alerts: 1,
        }
    }
}

pub async fn get(conn: &mut Conn, user_id: i64) -> Result<Preferences> {
    let stored =
        sqlx::query_as("SELECT messages, alerts FROM notification_preferences WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(stored.unwrap_or_default())
}

pub async fn set(conn: &mut Conn, user_id: i64, preferences: &Preferences) -> Result<()> {
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, messages, alerts) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET messages = $2, alerts = $3",
    )
    .bind(user_id)
    .bind(&preferences.messages)
    .bind(preferences.alerts)
    .execute(conn)
    .await?;
    Ok(())
}
