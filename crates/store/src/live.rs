//! Wakes the app servers when something they show live has been written. On PostgreSQL a
//! notification leaves with the writing transaction (`pg_notify`, delivered at commit to
//! every server listening); SQLite serves a single server, which wakes itself.

use crate::batch::is_postgres;
use crate::error::Result;
use crate::{Conn, Db};
use sqlx::postgres::PgListener;

/// The channel of new messages; the payload is `thread id:message id`.
pub const MESSAGES: &str = "maillage_messages";

/// Sends `payload` on `channel` when the transaction commits; does nothing on SQLite.
pub async fn notify(conn: &mut Conn, channel: &str, payload: &str) -> Result<()> {
    if is_postgres(conn) {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A connection listening to one channel of a PostgreSQL database.
pub struct Listener(PgListener);

impl Listener {
    /// Listens to `channel`; `None` on SQLite, where there is nothing to listen to.
    pub async fn start(db: &Db, channel: &str) -> Result<Option<Self>> {
        let Some(url) = db.postgres_url() else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url).await?;
        listener.listen(channel).await?;
        Ok(Some(Self(listener)))
    }

    /// The next payload. After a lost connection the listener reconnects by itself; what
    /// was sent meanwhile is lost, so readers catch up from what they last saw.
    pub async fn next(&mut self) -> Result<String> {
        Ok(self.0.recv().await?.payload().to_owned())
    }
}
