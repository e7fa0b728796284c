//! How long a CPTS keeps its threads: a coordinator sets a number of days after a thread's
//! last message, and the purge deletes what is older, with its attachments.

use super::cpts_of;
use crate::access;
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::FieldErrors;
use maillage_domain::platform::audit::Outcome;
use maillage_store::{Db, messaging::threads};

/// The shortest and longest retention a CPTS may choose, in days.
pub const RETENTION_DAYS: std::ops::RangeInclusive<i64> = 30..=3650;

/// The actor's CPTS's retention, in days.
pub async fn retention(app: &App, actor: &Actor) -> ServiceResult<i64> {
    let cpts_id = cpts_of(actor)?;
    let mut conn = app.db.conn().await?;
    Ok(threads::retention_days(&mut conn, cpts_id).await?)
}

/// A coordinator sets their CPTS's retention from the typed number of days.
pub async fn set_retention(app: &App, actor: &Actor, raw: &str) -> ServiceResult<i64> {
    let cpts_id = access::coordinated(actor)?;
    let days = match raw.trim().parse::<i64>() {
        Ok(days) if RETENTION_DAYS.contains(&days) => days,
        _ => {
            return Err(FieldErrors::single(
                "retention_days",
                format!(
                    "Indiquez un nombre de jours entre {} et {}.",
                    RETENTION_DAYS.start(),
                    RETENTION_DAYS.end()
                ),
            )
            .into());
        }
    };
    let mut tx = app.db.begin().await?;
    threads::set_retention_days(&mut tx, cpts_id, days).await?;
    let event = Event::new("messaging.retention", Outcome::Success)
        .object("cpts", cpts_id)
        .cpts(Some(cpts_id));
    audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    Db::commit(tx).await?;
    Ok(days)
}

/// Deletes the threads past their CPTS's retention; returns how many.
pub async fn purge_expired(app: &App) -> ServiceResult<u64> {
    let mut tx = app.db.begin().await?;
    let purged = threads::purge_expired(&mut tx, app.now()).await?;
    if purged > 0 {
        let event = Event::new("thread.purge", Outcome::Success).object("threads", purged);
        audit::write_in(app, &mut tx, &Who::System, event).await?;
    }
    Db::commit(tx).await?;
    Ok(purged)
}
