//! The purge of personal data: some months after a request is closed (12 by default), its
//! patient's identity, contact and notes are emptied; what the indicators count stays
//! (dates, commune, group, outcome).

use crate::context::App;
use crate::error::ServiceResult;
use crate::retention::purge_older_than;
use maillage_store::gp_waitlist::requests;

/// Purges the requests closed longer ago than the retention; returns how many.
pub async fn purge_closed(app: &App) -> ServiceResult<u64> {
    let months = app.settings.gp_waitlist_retention_months;
    let audited = ("gp_request.purge", "gp_requests");
    purge_older_than(app, months, audited, requests::purge_closed).await
}
