//! The end of an unscheduled-care request's retention: some months (3 by default) after it
//! was received and after its last appointment, the patient's name, birth date, phone and
//! free text are emptied. What the indicators count stays (reason, urgency, commune, dates,
//! bookings and their outcome).

use crate::context::App;
use crate::error::ServiceResult;
use crate::retention::purge_older_than;
use maillage_store::unscheduled_care::requests;

/// Empties the personal data of the requests past their retention; returns how many.
pub async fn purge(app: &App) -> ServiceResult<u64> {
    let months = app.settings.unscheduled_care_retention_months;
    let audited = ("snp_request.purge", "snp_requests");
    purge_older_than(app, months, audited, requests::purge).await
}
