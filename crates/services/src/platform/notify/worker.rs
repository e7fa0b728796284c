//! The outbox worker: writes the e-mails of new alerts, takes the notifications that are
//! due under a lease, sends each (e-mails over SMTP, SMS through the provider), and marks
//! it sent or schedules another attempt with a growing delay. A worker that dies
//! mid-way loses nothing: its leases run out and the rows are taken again, with the same
//! Message-ID.

use super::mailer::Mailer;
use crate::context::App;
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::platform::notification::NotificationChannel;
use maillage_store::leases::Queue;
use maillage_store::platform::outbox::{self, OutboxRow};
use maillage_store::{Conn, Db, StoreError};
use std::time::Duration;
use tokio::task::JoinSet;

/// E-mails in flight at once, and so taken at once: each one waits on the SMTP server's
/// answers more than on anything else, so the worker keeps several going over the
/// transport's pooled connections; it takes no more than it sends, so that no lease runs
/// out while its e-mail waits its turn.
const IN_FLIGHT: usize = 8;
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

/// When to try again after attempt `attempts` failed at `now`; `None` once the attempts
/// are spent.
fn next_attempt_at(attempts: i64, now: i64) -> Option<i64> {
    (attempts < MAX_ATTEMPTS).then(|| now + retry_delay_secs(attempts))
}

/// What one round delivered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// An SMTP server's error without the addresses it may repeat (a patient's, among others):
/// what is logged and kept says why, not to whom.
fn without_addresses(error: &str) -> String {
    error
        .split_whitespace()
        .map(|word| {
            if word.contains('@') {
                "[adresse]"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One attempt at a row of a leased queue (the outbox, the SAS appointments): the queue,
/// the row's key, its attempts so far, and what came of it (an error fit to be logged and
/// kept).
pub(crate) struct Attempt<'a> {
    pub queue: &'a Queue,
    pub id: i64,
    pub attempts: i64,
    pub outcome: Result<(), String>,
}

/// Records an attempt in a transaction of its own: `mark_sent` (given now) when it went,
/// or another attempt scheduled with a growing delay (or the row given up); counts it in
/// `round`.
pub(crate) async fn record_attempt(
    app: &App,
    attempt: Attempt<'_>,
    mark_sent: impl AsyncFnOnce(&mut Conn, i64) -> Result<(), StoreError>,
    round: &mut Round,
) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let now = app.now();
    match attempt.outcome {
        Ok(()) => {
            mark_sent(&mut tx, now).await?;
            round.sent += 1;
        }
        Err(error) => {
            let retry = next_attempt_at(attempt.attempts, now);
            let queue = attempt.queue;
            queue
                .mark_failed(&mut tx, attempt.id, &error, retry, now)
                .await?;
            round.failed += 1;
        }
    }
    Db::commit(tx).await?;
    Ok(())
}

/// Marks one notification sent, or schedules its next attempt (or gives it up).
async fn record(
    app: &App,
    row: &OutboxRow,
    outcome: Result<(), String>,
    round: &mut Round,
) -> ServiceResult<()> {
    let outcome = outcome.map_err(|error| without_addresses(&error));
    if let Err(error) = &outcome {
        tracing::warn!(notification = row.id, attempts = row.attempts, %error, "notification not sent");
    }
    let attempt = Attempt {
        queue: &outbox::QUEUE,
        id: row.id,
        attempts: row.attempts,
        outcome,
    };
    let sent = async |tx: &mut Conn, now| outbox::mark_sent(tx, row.id, now).await;
    record_attempt(app, attempt, sent, round).await
}

/// Writes the e-mails of the alerts and reminders waiting, one fan-out per transaction.
async fn expand_fanouts(app: &App) -> ServiceResult<()> {
    loop {
        let mut tx = app.db.begin().await?;
        let Some((id, alert_id, round)) = outbox::next_fanout(&mut tx).await? else {
            return Ok(());
        };
        let texts = super::alert(app, alert_id, round > 0);
        outbox::enqueue_for_alert(&mut tx, &texts.mail(app), alert_id, round, app.now()).await?;
        outbox::delete_fanout(&mut tx, id).await?;
        Db::commit(tx).await?;
    }
}

/// Writes the e-mails of the alerts waiting, then sends what is due now, batch after batch,
/// until nothing is. Each notification is marked as soon as the SMTP server answered for it.
pub async fn deliver_due(app: &App, mailer: &Mailer) -> ServiceResult<Round> {
    expand_fanouts(app).await?;
    let mut round = Round::default();
    loop {
        let mut tx = app.db.begin().await?;
        let now = app.now();
        let due: Vec<OutboxRow> = outbox::QUEUE
            .claim(
                &mut tx,
                now,
                app.settings.outbox_lease_secs,
                IN_FLIGHT as i64,
            )
            .await?;
        Db::commit(tx).await?;
        if due.is_empty() {
            return Ok(round);
        }
        let mut waiting = due.into_iter();
        let mut sending = JoinSet::new();
        loop {
            while sending.len() < IN_FLIGHT {
                let Some(row) = waiting.next() else { break };
                let mailer = mailer.clone();
                let sms = app.sms.clone();
                sending.spawn(async move {
                    let outcome = match (row.channel, sms) {
                        (NotificationChannel::Sms, Some(sms)) => sms.send(&row).await,
                        (NotificationChannel::Sms, None) => {
                            Err("aucun fournisseur de SMS configuré".to_owned())
                        }
                        (NotificationChannel::Email, _) => mailer.send(&row).await,
                    };
                    (row, outcome)
                });
            }
            let Some(sent) = sending.join_next().await else {
                break;
            };
            let (row, outcome) = sent.map_err(|e| ServiceError::Internal(e.to_string()))?;
            record(app, &row, outcome, &mut round).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_two_hours() {
        let delays: Vec<i64> = (1..=9).map(retry_delay_secs).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3840, 7200]);
    }

    #[test]
    fn smtp_errors_are_kept_without_the_addresses_they_repeat() {
        let error =
            "permanent error (550): 5.1.1 <lea.durand@exemple.fr>: Recipient address rejected";
        assert_eq!(
            without_addresses(error),
            "permanent error (550): 5.1.1 [adresse] Recipient address rejected"
        );
    }
}
