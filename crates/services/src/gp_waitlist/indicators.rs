//! The ACI indicators of the waiting list over a period chosen by the coordinator (dates in
//! Paris, both days included): computed by the domain from what the store reads.

use crate::audit::{self, Event, Who};
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use maillage_domain::FieldErrors;
use maillage_domain::audit::Outcome;
use maillage_domain::gp_waitlist::indicators::{self, Indicators, RequestOutcome};
use maillage_domain::messaging::CivilDate;
use maillage_store::gp_requests;

/// The first instant of a day in Paris, Unix seconds.
fn start_of(day: CivilDate) -> Option<i64> {
    let date = jiff::civil::Date::new(day.year, day.month, day.day).ok()?;
    let zoned = date
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").ok()?)
        .ok()?;
    Some(zoned.timestamp().as_second())
}

/// The period `[from, to)` of two typed days, the second included; by default, from the
/// first of January to today.
pub fn period(app: &App, from: &str, to: &str) -> Result<(CivilDate, CivilDate), FieldErrors> {
    let today = app.today();
    let mut errors = FieldErrors::new();
    let mut day = |raw: &str, field: &str, default: CivilDate| match raw.trim() {
        "" => Some(default),
        raw => {
            let parsed = CivilDate::parse(raw);
            if parsed.is_none() {
                errors.add(field, "Indiquez une date, par exemple 01/01/2026.");
            }
            parsed
        }
    };
    let january = CivilDate {
        month: 1,
        day: 1,
        ..today
    };
    let (from, to) = (day(from, "du", january), day(to, "au", today));
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add("au", "La fin de la période précède son début.");
    }
    errors.into_result(|| (from.expect("checked"), to.expect("checked")))
}

/// The indicators of the coordinator's CPTS from `from` to `to`, both days included.
pub async fn indicators(
    app: &App,
    actor: &Actor,
    from: CivilDate,
    to: CivilDate,
) -> ServiceResult<Indicators> {
    let cpts_id = actor.coordinated_cpts()?;
    let next_day = jiff::civil::Date::new(to.year, to.month, to.day)
        .ok()
        .and_then(|d| d.tomorrow().ok())
        .map(|d| CivilDate {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        });
    let (Some(start), Some(end)) = (start_of(from), next_day.and_then(start_of)) else {
        return Err(FieldErrors::single("du", "Période invalide.").into());
    };
    let mut conn = app.db.conn().await?;
    let rows = gp_requests::outcomes(&mut conn, cpts_id, start, end).await?;
    drop(conn);
    let outcomes: Vec<RequestOutcome> = rows
        .into_iter()
        .map(|r| RequestOutcome {
            group: r.indicator_group,
            commune: r.commune_name,
            received_at: r.received_at,
            found_at: r.found_at,
            merged: r.merged == 1,
        })
        .collect();
    let event = Event::new("gp_waitlist.indicators", Outcome::Success).cpts(Some(cpts_id));
    audit::write(app, &Who::User(actor), event).await?;
    Ok(indicators::compute(&outcomes, start, end))
}
