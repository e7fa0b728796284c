//! Live delivery of new messages to the pages open on this server. Each server keeps one
//! broadcast channel; on PostgreSQL a listener relays the notifications every server's
//! writes send at commit, so a message written on one server appears on all of them. The
//! events carry ids only: a page fetches what they announce through the same checks as any
//! other read.

use crate::error::ServiceResult;
use maillage_store::Db;
use maillage_store::live::{self, Listener};
use tokio::sync::{OnceCell, broadcast};

/// A message was written in a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub thread_id: i64,
    pub message_id: i64,
}

impl Arrival {
    /// What the writing transaction sends to the other servers.
    pub(crate) fn payload(self) -> String {
        format!("{}:{}", self.thread_id, self.message_id)
    }

    fn parse(payload: &str) -> Option<Self> {
        let (thread, message) = payload.split_once(':')?;
        Some(Self {
            thread_id: thread.parse().ok()?,
            message_id: message.parse().ok()?,
        })
    }
}

/// The channel of arrivals of one server.
pub struct Hub {
    sender: broadcast::Sender<Arrival>,
    /// Set once this server listens to the database's notifications (PostgreSQL), or knows
    /// it has none to listen to (SQLite).
    relay: OnceCell<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(1024).0,
            relay: OnceCell::new(),
        }
    }
}

impl Hub {
    /// The arrivals from now on. On PostgreSQL the first call starts the relay, and returns
    /// only once the database has it listening, so that nothing committed after is missed.
    pub async fn subscribe(&self, db: &Db) -> ServiceResult<broadcast::Receiver<Arrival>> {
        let sender = self.sender.clone();
        self.relay
            .get_or_try_init(|| async move {
                let Some(listener) = Listener::start(db, live::MESSAGES).await? else {
                    return Ok::<_, crate::ServiceError>(false);
                };
                tokio::spawn(relay(listener, sender));
                Ok(true)
            })
            .await?;
        Ok(self.sender.subscribe())
    }

    /// Announces an arrival after its transaction committed: to this server's pages on
    /// SQLite; on PostgreSQL the relay does it for every server.
    pub fn committed(&self, db: &Db, arrival: Arrival) {
        if db.backend() == maillage_store::Backend::Sqlite {
            // No page listening is not an error.
            let _ = self.sender.send(arrival);
        }
    }
}

async fn relay(mut listener: Listener, sender: broadcast::Sender<Arrival>) {
    loop {
        match listener.next().await {
            Ok(payload) => {
                if let Some(arrival) = Arrival::parse(&payload) {
                    let _ = sender.send(arrival);
                }
            }
            Err(error) => {
                tracing::warn!(%error, "listening to new messages failed; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}
