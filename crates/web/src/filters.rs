//! The filters the pages' templates share, as in `{{ b.start_at|slot_time }}`: instants in
//! Paris time, a birth date, a phone number read aloud, a file's size, a professional's title
//! and what became of an unscheduled-care request and its appointments. A page module
//! brings them into its templates' scope with `use crate::filters;`.

use crate::html::{paris_deadline, paris_slot, paris_time, spoken_phone};
use askama::Values;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::unscheduled_care::booking::{
    BookingStatus, cancel_reason_label, outcome_label,
};
use maillage_domain::unscheduled_care::request::close_reason_label;
use maillage_domain::unscheduled_care::states::RequestStatus;
use maillage_store::unscheduled_care::bookings::BookingRow;
use maillage_store::unscheduled_care::requests::SnpRequestRow;

/// An instant as a date and time in Paris: « 15/01/2027 14:30 ».
pub fn date_time(unix: &i64, _: &dyn Values) -> askama::Result<String> {
    Ok(paris_time(*unix))
}

/// A slot's start (or any instant of the desk) as read over the phone: « ven. 15/01 14:30 ».
pub fn slot_time(unix: &i64, _: &dyn Values) -> askama::Result<String> {
    Ok(paris_slot(*unix))
}

/// The time a request is to be seen by: « mar. 24/11, fin de journée ».
pub fn deadline(unix: &i64, _: &dyn Values) -> askama::Result<String> {
    Ok(paris_deadline(*unix))
}

/// A day stored as `AAAA-MM-JJ`, as written: « 15/01/1980 ».
pub fn born(iso: &str, _: &dyn Values) -> askama::Result<String> {
    Ok(CivilDate::french_of(Some(iso)))
}

/// A phone number in pairs of digits, as it is read aloud.
pub fn phone(digits: &str, _: &dyn Values) -> askama::Result<String> {
    Ok(spoken_phone(digits))
}

/// A file's size: « 512 octets », « 12 Ko », « 1.5 Mo ».
pub fn file_size(bytes: &i64, _: &dyn Values) -> askama::Result<String> {
    Ok(match *bytes {
        b if b < 1024 => format!("{b} octets"),
        b if b < 1024 * 1024 => format!("{} Ko", b / 1024),
        b => format!("{:.1} Mo", b as f64 / (1024.0 * 1024.0)),
    })
}

/// A professional's title as written before their name (« Dr »), from its code.
pub fn honorific(code: &str, _: &dyn Values) -> askama::Result<&'static str> {
    Ok(maillage_domain::directory::title_abbreviation(code))
}

/// What followed a consultation, as recorded.
pub fn outcome(code: &str, _: &dyn Values) -> askama::Result<&'static str> {
    Ok(outcome_label(code))
}

/// Why a booking was cancelled, by whom and when: « Empêchement du professionnel
/// (Gilles RESTANQUE, ven. 15/01 10:02) »; what is unknown is left out (bookings
/// cancelled before these were recorded, or by an account since deleted).
pub fn cancellation(booking: &BookingRow, _: &dyn Values) -> askama::Result<String> {
    let reason = booking
        .cancel_reason
        .as_deref()
        .map_or("", cancel_reason_label);
    let by_and_when: Vec<String> = [
        booking.closed_by_name.clone(),
        booking.closed_at.map(paris_slot),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(match (reason, by_and_when.is_empty()) {
        (_, true) => reason.to_owned(),
        ("", false) => by_and_when.join(", "),
        _ => format!("{reason} ({})", by_and_when.join(", ")),
    })
}

/// Where a request stands, given its latest booking: once the appointment has taken place,
/// what the professional recorded of it (« Patient vu : Hospitalisé »); a closed request's
/// state with why and when (« Clôturée : Pris en charge ailleurs (mar. 24/11 10:02) »).
pub fn standing(
    request: &SnpRequestRow,
    _: &dyn Values,
    latest: Option<&BookingRow>,
) -> askama::Result<String> {
    Ok(match latest {
        Some(b)
            if request.status == RequestStatus::Booked
                && matches!(b.status, BookingStatus::Seen | BookingStatus::NoShow) =>
        {
            match &b.outcome {
                Some(code) => format!("{} : {}", b.status.label(), outcome_label(code)),
                None => b.status.label().to_owned(),
            }
        }
        _ if request.status == RequestStatus::Closed => closure(request),
        _ => request.status.label().to_owned(),
    })
}

/// A closed request's state, with why and when.
fn closure(request: &SnpRequestRow) -> String {
    let reason = request
        .close_reason
        .as_deref()
        .map(close_reason_label)
        .filter(|label| !label.is_empty())
        .map(|label| format!(" : {label}"))
        .unwrap_or_default();
    let when = request
        .closed_at
        .map(|at| format!(" ({})", paris_slot(at)))
        .unwrap_or_default();
    format!("Clôturée{reason}{when}")
}
