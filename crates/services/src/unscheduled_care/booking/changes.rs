//! What happens to a booking once made: cancelled (its slot free again, unless its
//! professional is absent that day), moved to another slot, or closed with what happened
//! (seen, with its outcome, or no-show). The desk acts on its CPTS's bookings; the
//! professional also cancels their own and records the outcome.

use super::{Booked, book_taken, bookable_slot, take};
use crate::access::desk;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::unscheduled_care::absences::absence_at;
use crate::unscheduled_care::audited;
use crate::unscheduled_care::requests::visible;
use maillage_domain::FieldErrors;
use maillage_domain::unscheduled_care::booking::{
    BookingStatus, parse_cancel_reason, parse_outcome,
};
use maillage_store::unscheduled_care::bookings::{self, BookingRow, Closing};
use maillage_store::{
    Conn, Db, directory::members, unscheduled_care::requests, unscheduled_care::sas_appointments,
    unscheduled_care::slots,
};

/// A booking the actor may act on: coordinators and regulators of its CPTS, and the
/// professional whose slot it is (`by_desk_only` excludes them).
async fn actionable(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    by_desk_only: bool,
) -> ServiceResult<BookingRow> {
    let booking = bookings::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if desk(actor).is_ok_and(|cpts_id| cpts_id == booking.cpts_id) {
        return Ok(booking);
    }
    let own = members::by_user(conn, actor.user_id)
        .await?
        .is_some_and(|m| m.id == booking.member_id);
    match (own, by_desk_only) {
        (true, false) => Ok(booking),
        (true, true) => Err(ServiceError::Forbidden),
        (false, _) => Err(ServiceError::NotFound),
    }
}

fn check_move(booking: &BookingRow, next: BookingStatus, now: i64) -> ServiceResult<()> {
    booking
        .status
        .may_become(next, now, booking.start_at)
        .map_err(ServiceError::Conflict)
}

/// Closes `booking` in the caller's transaction as `closing` says, unless it changed since
/// it was read.
async fn close(conn: &mut Conn, booking: &BookingRow, closing: Closing<'_>) -> ServiceResult<()> {
    if bookings::close(conn, booking.id, &closing).await? {
        Ok(())
    } else {
        Err(ServiceError::Conflict(
            "Ce rendez-vous vient de changer.".to_owned(),
        ))
    }
}

/// How `actor` closes a booking at `now` into `status`, with nothing more said.
fn closing(actor: &Actor, status: BookingStatus, now: i64) -> Closing<'static> {
    Closing {
        status,
        outcome: None,
        replaced_by: None,
        cancel_reason: None,
        closed_by: actor.user_id,
        now,
    }
}

/// Frees the slot of a booking that no longer holds it, unless its professional is absent
/// that day: the absence wins, the slot is no longer offered.
async fn free_slot_of(conn: &mut Conn, booking: &BookingRow) -> ServiceResult<()> {
    if booking.extra {
        return Ok(());
    }
    if absence_at(conn, booking.member_id, booking.start_at)
        .await?
        .is_some()
    {
        slots::withdraw(conn, booking.slot_id).await?;
    } else {
        slots::release(conn, booking.slot_id).await?;
    }
    Ok(())
}

/// The cancellation reason, and the request's closing reason, of a patient cared for
/// elsewhere.
const ELSEWHERE: &str = "elsewhere";

/// Cancels a booking before it starts, for one of the domain's `CANCEL_REASONS`: its slot
/// is free again and its request open, with who cancelled it and why for the desk; or, for
/// a patient cared for elsewhere, the request is closed.
pub async fn cancel(app: &App, actor: &Actor, id: i64, reason: &str) -> ServiceResult<()> {
    let reason =
        parse_cancel_reason(reason).map_err(|m| FieldErrors::single("cancel_reason", m))?;
    let mut tx = app.db.begin().await?;
    let booking = actionable(&mut tx, actor, id, false).await?;
    check_move(&booking, BookingStatus::Cancelled, app.now())?;
    let cancelled = Closing {
        cancel_reason: Some(reason),
        ..closing(actor, BookingStatus::Cancelled, app.now())
    };
    close(&mut tx, &booking, cancelled).await?;
    free_slot_of(&mut tx, &booking).await?;
    requests::set_status(&mut tx, booking.request_id, "open").await?;
    if reason == ELSEWHERE {
        requests::close(&mut tx, booking.request_id, ELSEWHERE, app.now()).await?;
    }
    sas_appointments::touch(&mut tx, id, app.now()).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp_booking.cancel",
        ("snp_booking", booking.id),
        booking.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// Moves a booking to the free slot `slot_id`: the new booking replaces it in one
/// transaction, and its former slot is free again.
pub async fn reschedule(app: &App, actor: &Actor, id: i64, slot_id: i64) -> ServiceResult<Booked> {
    let mut tx = app.db.begin().await?;
    let booking = actionable(&mut tx, actor, id, true).await?;
    check_move(&booking, BookingStatus::Rescheduled, app.now())?;
    let request = visible(&mut tx, actor, booking.request_id).await?;
    let slot = bookable_slot(&mut tx, actor, request.cpts_id, slot_id, app.now()).await?;
    take(&mut tx, &slot, false).await?;
    let new_id = book_taken(app, &mut tx, actor, &(&request).into(), &slot, false).await?;
    let moved = Closing {
        replaced_by: Some(new_id),
        ..closing(actor, BookingStatus::Rescheduled, app.now())
    };
    close(&mut tx, &booking, moved).await?;
    free_slot_of(&mut tx, &booking).await?;
    sas_appointments::touch(&mut tx, id, app.now()).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp_booking.reschedule",
        ("snp_booking", booking.id),
        booking.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(Booked {
        booking_id: new_id,
        request_id: request.id,
        slot,
    })
}

/// Records, once the slot has started, that the patient was seen (with the outcome) or
/// did not come.
pub async fn record_outcome(
    app: &App,
    actor: &Actor,
    id: i64,
    seen: bool,
    outcome: &str,
) -> ServiceResult<()> {
    let (status, outcome) = if seen {
        (
            BookingStatus::Seen,
            Some(parse_outcome(outcome).map_err(|m| FieldErrors::single("outcome", m))?),
        )
    } else {
        (BookingStatus::NoShow, None)
    };
    let mut tx = app.db.begin().await?;
    let booking = actionable(&mut tx, actor, id, false).await?;
    check_move(&booking, status, app.now())?;
    let recorded = Closing {
        outcome,
        ..closing(actor, status, app.now())
    };
    close(&mut tx, &booking, recorded).await?;
    if !seen {
        // The patient did not come: the request is the desk's again, to call them back.
        requests::set_status(&mut tx, booking.request_id, "open").await?;
    }
    sas_appointments::touch(&mut tx, id, app.now()).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp_booking.outcome",
        ("snp_booking", booking.id),
        booking.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}
