//! The ACI indicators of the waiting list over a period chosen by the coordinator (dates in
//! Paris, both days included): computed by the domain from what the store reads.

use crate::access;
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::periods::bounds;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::indicators::{self, Indicators, RequestOutcome};
use maillage_domain::platform::audit::Outcome;
use maillage_store::gp_waitlist::requests;

/// The indicators of the coordinator's CPTS from `from` to `to`, both days included.
pub async fn indicators(
    app: &App,
    actor: &Actor,
    from: CivilDate,
    to: CivilDate,
) -> ServiceResult<Indicators> {
    let cpts_id = access::coordinated(actor)?;
    let (start, end) = bounds(from, to)?;
    let mut conn = app.db.conn().await?;
    let rows = requests::outcomes(&mut conn, cpts_id, start, end).await?;
    drop(conn);
    let outcomes: Vec<RequestOutcome> = rows
        .into_iter()
        .map(|r| RequestOutcome {
            group: r.indicator_group,
            commune: r.commune_name,
            received_at: r.received_at,
            found_at: r.found_at,
            merged: r.merged,
        })
        .collect();
    let event = Event::new("gp_waitlist.indicators", Outcome::Success).cpts(Some(cpts_id));
    audit::write(app, &Who::User(actor), event).await?;
    Ok(indicators::compute(&outcomes, start, end))
}
