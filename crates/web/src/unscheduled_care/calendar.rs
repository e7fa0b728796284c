//! A member's calendar feed of unscheduled-care bookings (iCalendar, RFC 5545), read by
//! their agenda software at a secret address: each booking's times, place and mode, and
//! no patient's name, reason or phone, which stay in maillage. Renewing the address from
//! the agenda page cuts off the former one.

use crate::page_error::PageResult;
use crate::state::AppState;
use crate::unscheduled_care::agenda::agenda_page;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use maillage_domain::FieldErrors;
use maillage_domain::unscheduled_care::booking::BookingStatus;
use maillage_domain::unscheduled_care::slot_kinds::Mode;
use maillage_services::platform::auth::Session;
use maillage_services::unscheduled_care::calendar;
use maillage_store::unscheduled_care::bookings::BookingRow;

/// An instant as iCalendar writes it in UTC.
fn utc(unix_seconds: i64) -> String {
    jiff::Timestamp::from_second(unix_seconds)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

fn event(booking: &BookingRow, now: i64, desk: &str) -> Event {
    let location = match booking.mode {
        Mode::Teleconsultation => "Téléconsultation".to_owned(),
        _ => format!(
            "{}, {}, {} {}",
            booking.place_name, booking.street, booking.postcode, booking.commune_name
        ),
    };
    let status = match booking.status {
        BookingStatus::Booked | BookingStatus::Seen => EventStatus::Confirmed,
        BookingStatus::Cancelled | BookingStatus::Rescheduled | BookingStatus::NoShow => {
            EventStatus::Cancelled
        }
    };
    Event::new()
        .uid(&format!("snp-booking-{}@maillage", booking.id))
        .add_property("DTSTAMP", utc(now))
        .add_property("DTSTART", utc(booking.start_at))
        .add_property("DTEND", utc(booking.end_at))
        .summary(&format!(
            "Soins non programmés : {}",
            booking.mode.label().to_lowercase()
        ))
        .location(&location)
        .description(
            "Rendez-vous de soins non programmés. Le patient et sa demande sont dans maillage.",
        )
        .url(desk)
        .status(status)
        .done()
}

/// `GET /soins-non-programmes/agenda/{token}`: the feed, without a session.
pub async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> PageResult {
    let bookings = calendar::feed(&state.app, &token).await?;
    let desk = format!(
        "{}/soins-non-programmes",
        state.app.settings.public_url.trim_end_matches('/')
    );
    let now = state.app.now();
    let mut feed = Calendar::empty();
    feed.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//maillage//Soins non programmés//FR"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name("Soins non programmés (maillage)");
    for booking in &bookings {
        feed.push(event(booking, now, &desk));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        feed.done().to_string(),
    )
        .into_response())
}

/// `POST /soins-non-programmes/agenda`: a new secret address, shown once on the agenda.
pub async fn renew(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
) -> PageResult {
    match calendar::renew_link(&state.app, &session.actor).await {
        Ok(link) => agenda_page(&state, &session, Some(link), FieldErrors::new()).await,
        Err(error) => Err(error.into()),
    }
}
