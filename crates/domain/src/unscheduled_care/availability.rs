//! What a member publishes, as typed and checked: a weekly rule (days, hours, length of a
//! slot, how often, from when until when, public holidays or not), a one-off slot, an
//! absence; each with its mode, its visibility and whether extra patients are taken
//! beyond the slots (« surnuméraire »).

use super::recurrence::{Absence, Weekdays, WeeklyRule, one_slot};
use super::slot_kinds::{Mode, Visibility};
use crate::FieldErrors;
use crate::common::civil_date::CivilDate;
use jiff::civil::{Date, Time};

/// Slot lengths a rule may use, in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<i32> = 5..=120;

/// How slots are offered, whatever their timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    pub mode: Mode,
    pub visibility: Visibility,
    /// Extra patients are taken beyond the slots of that period.
    pub extra_patients: bool,
}

/// A rule as typed.
#[derive(Debug, Clone, Default)]
pub struct RuleFields {
    /// Days from 1 (Monday) to 7, comma-separated.
    pub weekdays: String,
    pub start: String,
    pub end: String,
    pub slot_minutes: String,
    pub every_weeks: String,
    pub first_day: String,
    pub last_day: String,
    pub on_public_holidays: bool,
    pub mode: String,
    pub visibility: String,
    pub extra_patients: bool,
}

/// A one-off slot as typed.
#[derive(Debug, Clone, Default)]
pub struct OneOffFields {
    pub day: String,
    pub start: String,
    pub slot_minutes: String,
    pub mode: String,
    pub visibility: String,
    pub extra_patients: bool,
}

/// `HH:MM` (or `HHhMM`).
pub fn parse_time(raw: &str) -> Result<Time, String> {
    let message = || "Une heure comme 08:30.".to_owned();
    let (hours, minutes) = raw.trim().split_once([':', 'h']).ok_or_else(message)?;
    let hours: i8 = hours.parse().map_err(|_| message())?;
    let minutes: i8 = if minutes.is_empty() {
        0
    } else {
        minutes.parse().map_err(|_| message())?
    };
    Time::new(hours, minutes, 0, 0).map_err(|_| message())
}

/// A date typed as `AAAA-MM-JJ` or `JJ/MM/AAAA`.
pub fn parse_day(raw: &str) -> Result<Date, String> {
    CivilDate::parse(raw)
        .and_then(|d| Date::new(d.year, d.month, d.day).ok())
        .ok_or_else(|| "Une date comme 24/03/2027.".to_owned())
}

fn slot_minutes(raw: &str) -> Result<i32, String> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|m| SLOT_MINUTES.contains(m))
        .ok_or_else(|| "Une durée de 5 à 120 minutes.".to_owned())
}

fn offer(
    mode: &str,
    visibility: &str,
    extra_patients: bool,
    errors: &mut FieldErrors,
) -> Option<Offer> {
    let mode = errors.take("mode", Mode::parse(mode));
    let visibility = errors.take("visibility", Visibility::parse(visibility));
    Some(Offer {
        mode: mode?,
        visibility: visibility?,
        extra_patients,
    })
}

/// Checks a rule; `today` is the earliest first day.
pub fn parse_rule(fields: &RuleFields, today: Date) -> Result<(WeeklyRule, Offer), FieldErrors> {
    let mut errors = FieldErrors::new();
    let weekdays = errors.take("weekdays", Weekdays::parse(&fields.weekdays));
    let start = errors.take("start", parse_time(&fields.start));
    let end = errors.take("end", parse_time(&fields.end));
    let minutes = errors.take("slot_minutes", slot_minutes(&fields.slot_minutes));
    let every_weeks = match fields.every_weeks.trim() {
        "" => Some(1),
        raw => errors.take(
            "every_weeks",
            raw.parse::<i32>()
                .ok()
                .filter(|n| (1..=4).contains(n))
                .ok_or_else(|| "Toutes les 1 à 4 semaines.".to_owned()),
        ),
    };
    let first_day = match fields.first_day.trim() {
        "" => Some(today),
        raw => errors.take("first_day", parse_day(raw)),
    };
    let last_day = match fields.last_day.trim() {
        "" => None,
        raw => errors
            .take("last_day", parse_day(raw))
            .map(Some)
            .unwrap_or(None),
    };
    if let (Some(start), Some(end)) = (start, end) {
        if end <= start {
            errors.add("end", "La fin doit être après le début.");
        } else if minutes.is_some_and(|m| i64::from(m) > end.duration_since(start).as_mins()) {
            errors.add("slot_minutes", "La plage est plus courte qu’un créneau.");
        }
    }
    if let (Some(first), Some(last)) = (first_day, last_day)
        && last < first
    {
        errors.add("last_day", "Le dernier jour vient après le premier.");
    }
    let offer = offer(
        &fields.mode,
        &fields.visibility,
        fields.extra_patients,
        &mut errors,
    );
    match (weekdays, start, end, minutes, every_weeks, first_day, offer) {
        (
            Some(weekdays),
            Some(start),
            Some(end),
            Some(slot_minutes),
            Some(every_weeks),
            Some(first_day),
            Some(offer),
        ) if errors.is_empty() => {
            let rule = WeeklyRule {
                weekdays,
                start,
                end,
                slot_minutes,
                every_weeks,
                first_day,
                last_day,
                on_public_holidays: fields.on_public_holidays,
            };
            Ok((rule, offer))
        }
        _ => Err(errors),
    }
}

/// Checks a one-off slot, which starts after `now` (a Unix time).
pub fn parse_one_off(
    fields: &OneOffFields,
    now: i64,
) -> Result<(super::recurrence::Occurrence, Offer), FieldErrors> {
    let mut errors = FieldErrors::new();
    let day = errors.take("day", parse_day(&fields.day));
    let start = errors.take("start", parse_time(&fields.start));
    let minutes = errors.take("slot_minutes", slot_minutes(&fields.slot_minutes));
    let offer = offer(
        &fields.mode,
        &fields.visibility,
        fields.extra_patients,
        &mut errors,
    );
    let (Some(day), Some(start), Some(minutes), Some(offer)) = (day, start, minutes, offer) else {
        return Err(errors);
    };
    match one_slot(day.to_datetime(start), minutes) {
        None => Err(FieldErrors::single(
            "start",
            "Cette heure n’existe pas ce jour-là (passage à l’heure d’été).",
        )),
        Some(slot) if slot.start.as_second() <= now => {
            Err(FieldErrors::single("day", "Le créneau doit être à venir."))
        }
        Some(slot) => Ok((slot, offer)),
    }
}

/// Checks an absence: first and last day, the last not before the first.
pub fn parse_absence(first_day: &str, last_day: &str) -> Result<Absence, FieldErrors> {
    let mut errors = FieldErrors::new();
    let first = errors.take("first_day", parse_day(first_day));
    let last = match last_day.trim() {
        "" => first,
        raw => errors.take("last_day", parse_day(raw)),
    };
    match (first, last) {
        (Some(first_day), Some(last_day)) if last_day >= first_day => Ok(Absence {
            first_day,
            last_day,
        }),
        (Some(_), Some(_)) => Err(FieldErrors::single(
            "last_day",
            "Le dernier jour vient après le premier.",
        )),
        _ => Err(errors),
    }
}
