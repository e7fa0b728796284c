//! The end of an unscheduled-care request's retention: some months (3 by default) after it
//! was received and after its last appointment, the patient's name, birth date, phone and
//! free text are emptied. What the indicators count stays (reason, urgency, commune, dates,
//! bookings and their outcome).

use crate::audit::{self, Event, Who};
use crate::context::{App, MONTH_SECS};
use crate::error::ServiceResult;
use maillage_domain::audit::Outcome;
use maillage_store::{Db, snp_requests};

/// Empties the personal data of the requests past their retention; returns how many.
pub async fn purge(app: &App) -> ServiceResult<u64> {
    let now = app.now();
    let before = now - app.settings.unscheduled_care_retention_months * MONTH_SECS;
    let mut tx = app.db.begin().await?;
    let purged = snp_requests::purge(&mut tx, before, now).await?;
    if purged > 0 {
        let event =
            Event::new("snp_request.purge", Outcome::Success).object("snp_requests", purged);
        audit::write_in(app, &mut tx, &Who::System, event).await?;
    }
    Db::commit(tx).await?;
    Ok(purged)
}
