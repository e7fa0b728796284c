//! Periods of indicators chosen by a coordinator: two typed days in Paris, both included,
//! and the instants that bound them.

use crate::context::App;
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::common::paris_time::paris;

/// The first instant of a day in Paris, Unix seconds.
fn start_of(day: CivilDate) -> Option<i64> {
    let date = jiff::civil::Date::new(day.year, day.month, day.day).ok()?;
    let zoned = date.to_zoned(paris()).ok()?;
    Some(zoned.timestamp().as_second())
}

/// The period of two typed days, the second included; by default, from the first of
/// January to today.
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

/// The instants `[start, end)` of the days `from` to `to`, both included.
pub fn bounds(from: CivilDate, to: CivilDate) -> Result<(i64, i64), FieldErrors> {
    let next_day = jiff::civil::Date::new(to.year, to.month, to.day)
        .ok()
        .and_then(|d| d.tomorrow().ok())
        .map(|d| CivilDate {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        });
    match (start_of(from), next_day.and_then(start_of)) {
        (Some(start), Some(end)) => Ok((start, end)),
        _ => Err(FieldErrors::single("du", "Période invalide.")),
    }
}
