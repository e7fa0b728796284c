//! Reminders of the waiting list: the coordinators of a CPTS of the open requests left
//! without a step for the CPTS's number of days (30 by default), at most once per such
//! period for each request; a GP, once, of a proposal left a week without answer (the link
//! of the proposal's e-mail still answers it). Each round is in the audit trail.

use crate::context::App;
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use crate::platform::notify;
use maillage_domain::platform::audit::Outcome;
use maillage_store::{Db, gp_waitlist::proposals, gp_waitlist::requests, platform::outbox};

/// How long a proposal waits for its GP's answer before they are reminded.
pub const PROPOSAL_REMINDER_SECS: i64 = 7 * 86_400;

/// What one round of reminders sent.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reminded {
    /// Stale requests the coordinators were told of.
    pub stale_requests: usize,
    /// Proposals whose GP was reminded.
    pub proposals: usize,
}

/// Sends the reminders that are due; the server runs it every few minutes.
pub async fn send_reminders(app: &App) -> ServiceResult<Reminded> {
    let now = app.now();
    let mut reminded = Reminded::default();
    let mut tx = app.db.begin().await?;
    let stale = requests::stale(&mut tx, now).await?;
    let mut cpts_ids: Vec<i64> = stale.iter().map(|(cpts, _)| *cpts).collect();
    cpts_ids.dedup();
    for cpts_id in cpts_ids {
        let ids: Vec<i64> = stale
            .iter()
            .filter(|(cpts, _)| *cpts == cpts_id)
            .map(|(_, id)| *id)
            .collect();
        for id in &ids {
            requests::mark_reminded(&mut tx, *id, now).await?;
        }
        let days = requests::stale_after_days(&mut tx, cpts_id).await?;
        let texts = notify::stale_requests(app, ids.len(), days);
        let key = format!("gp_stale.{cpts_id}.{now}");
        outbox::enqueue_for_coordinators(&mut tx, &texts.mail(app), &key, cpts_id, now).await?;
        let event = Event::new("gp_request.remind_stale", Outcome::Success)
            .object("cpts", cpts_id)
            .cpts(Some(cpts_id));
        audit::write_in(app, &mut tx, &Who::System, event).await?;
        reminded.stale_requests += ids.len();
    }
    for proposal in proposals::unanswered(&mut tx, now - PROPOSAL_REMINDER_SECS).await? {
        let Some(user_id) = proposal.member_user_id else {
            continue;
        };
        if proposals::mark_reminded(&mut tx, proposal.id, now).await? {
            let texts = notify::proposal_reminder(app);
            let key = format!("proposal.{}.reminder", proposal.id);
            outbox::enqueue_for_user(&mut tx, &texts.mail(app), &key, user_id, now).await?;
            let event = Event::new("gp_proposal.remind", Outcome::Success)
                .object("gp_request", proposal.request_id)
                .cpts(Some(proposal.cpts_id));
            audit::write_in(app, &mut tx, &Who::System, event).await?;
            reminded.proposals += 1;
        }
    }
    Db::commit(tx).await?;
    if reminded != Reminded::default() {
        app.notifications.notify_one();
    }
    Ok(reminded)
}
