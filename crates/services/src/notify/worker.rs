//! The outbox worker: takes the notifications that are due under a lease, sends each, and
//! marks it sent or schedules another attempt with a growing delay. A worker that dies
//! mid-way loses nothing: its leases run out and the rows are taken again, with the same
//! Message-ID.

use super::mailer::Mailer;
use crate::context::App;
use crate::error::ServiceResult;
use maillage_store::outbox;
use std::time::Duration;

/// Notifications taken at once.
const BATCH: i64 = 50;
/// Attempts before a notification is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// How often the worker looks for due notifications when nothing wakes it (notifications
/// written by other servers, retries coming due).
const POLL: Duration = Duration::from_secs(5);

/// The delay before attempt `attempts + 1`: 30 s, doubling, at most 2 h.
pub fn retry_delay_secs(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 8) as u32;
    (30 * 2_i64.pow(doublings)).min(7200)
}

/// What one round delivered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// Sends what is due now, batch after batch, until nothing is.
pub async fn deliver_due(app: &App, mailer: &Mailer) -> ServiceResult<Round> {
    let mut round = Round::default();
    loop {
        let mut tx = app.db.begin().await?;
        let now = app.now();
        let due = outbox::claim(&mut tx, now, app.settings.outbox_lease_secs, BATCH).await?;
        maillage_store::Db::commit(tx).await?;
        if due.is_empty() {
            return Ok(round);
        }
        for row in &due {
            let outcome = mailer.send(row).await;
            let mut conn = app.db.conn().await?;
            let now = app.now();
            match outcome {
                Ok(()) => {
                    outbox::mark_sent(&mut conn, row.id, now).await?;
                    round.sent += 1;
                }
                Err(error) => {
                    let retry =
                        (row.attempts < MAX_ATTEMPTS).then(|| now + retry_delay_secs(row.attempts));
                    tracing::warn!(notification = row.id, attempts = row.attempts, %error, "notification not sent");
                    outbox::mark_failed(&mut conn, row.id, &error, retry, now).await?;
                    round.failed += 1;
                }
            }
        }
    }
}

/// Delivers for as long as the server runs: at once when this server wrote notifications,
/// and every few seconds for the rest.
pub async fn run(app: App, mailer: Mailer) {
    loop {
        if let Err(error) = deliver_due(&app, &mailer).await {
            tracing::warn!(%error, "notification delivery failed");
        }
        let _ = tokio::time::timeout(POLL, app.notifications.notified()).await;
    }
}
