//! The indicators of unscheduled care over a period chosen at the desk (days in Paris,
//! both included): computed by the domain from the period's requests and their bookings.

use crate::access::desk;
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::periods::bounds;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::directory::codes::PROFESSIONS;
use maillage_domain::platform::audit::Outcome;
use maillage_domain::unscheduled_care::indicators::{
    self, BookingOutcome, Indicators, RequestOutcome,
};
use maillage_store::{unscheduled_care::bookings, unscheduled_care::requests};

/// The indicators of the actor's CPTS for the requests received from `from` to `to`.
pub async fn indicators(
    app: &App,
    actor: &Actor,
    from: CivilDate,
    to: CivilDate,
) -> ServiceResult<Indicators> {
    let cpts_id = desk(actor)?;
    let (start, end) = bounds(from, to)?;
    let mut conn = app.db.conn().await?;
    let rows = requests::outcomes(&mut conn, cpts_id, start, end).await?;
    let bookings = bookings::outcomes(&mut conn, cpts_id, start, end).await?;
    drop(conn);
    let outcomes: Vec<RequestOutcome> = rows
        .into_iter()
        .map(|r| RequestOutcome {
            caller: r.caller,
            reason: r.reason,
            received_at: r.received_at,
            appointment_at: r.appointment_at,
            profession: r
                .profession
                .map(|code| PROFESSIONS.label(&code).unwrap_or(&code).to_owned()),
            status: r.status,
            close_reason: r.close_reason,
        })
        .collect();
    let bookings: Vec<BookingOutcome> = bookings
        .into_iter()
        .map(|b| BookingOutcome {
            status: b.status,
            cancel_reason: b.cancel_reason,
        })
        .collect();
    let event = Event::new("snp.indicators", Outcome::Success).cpts(Some(cpts_id));
    audit::write(app, &Who::User(actor), event).await?;
    Ok(indicators::compute(&outcomes, &bookings))
}
