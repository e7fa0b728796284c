//! The purge of personal data: some months after a request is closed (12 by default), its
//! patient's identity, contact and notes are emptied; what the indicators count stays
//! (dates, commune, group, outcome).

use crate::audit::{self, Event, Who};
use crate::context::{App, MONTH_SECS};
use crate::error::ServiceResult;
use maillage_domain::audit::Outcome;
use maillage_store::{Db, gp_requests};

/// Purges the requests closed longer ago than the retention; returns how many.
pub async fn purge_closed(app: &App) -> ServiceResult<u64> {
    let now = app.now();
    let before = now - app.settings.gp_waitlist_retention_months * MONTH_SECS;
    let mut tx = app.db.begin().await?;
    let purged = gp_requests::purge_closed(&mut tx, before, now).await?;
    if purged > 0 {
        let event = Event::new("gp_request.purge", Outcome::Success).object("gp_requests", purged);
        audit::write_in(app, &mut tx, &Who::System, event).await?;
    }
    Db::commit(tx).await?;
    Ok(purged)
}
