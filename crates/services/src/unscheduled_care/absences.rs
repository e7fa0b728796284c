//! A member's absences: declaring one withdraws the free slots of its days and returns the
//! booked ones to move; while it lasts no slot is free or bookable, and the bookings still
//! on it are flagged.

use super::audited;
use super::availability::{lay_out, managed_member, today};
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::common::paris_time::paris;
use maillage_domain::unscheduled_care::availability::parse_absence;
use maillage_domain::unscheduled_care::booking::BookingStatus;
use maillage_domain::unscheduled_care::recurrence::Absence;
use maillage_domain::unscheduled_care::states::SlotStatus;
use maillage_store::unscheduled_care::availability as store;
use maillage_store::unscheduled_care::bookings::BookingRow;
use maillage_store::unscheduled_care::slots::{self, SlotRow};
use maillage_store::{Conn, Db};
use std::collections::HashMap;

/// The member's absences that end on `from` or later.
pub(super) async fn absences_from(
    conn: &mut Conn,
    member_id: i64,
    from: jiff::civil::Date,
) -> ServiceResult<Vec<Absence>> {
    Ok(store::absences_of(conn, member_id, &from.to_string())
        .await?
        .iter()
        .filter_map(|a| parse_absence(&a.first_day, &a.last_day).ok())
        .collect())
}

/// The member's absence on the day (in Paris) of the instant `at`, if any: no slot then
/// is free or bookable.
pub(super) async fn absence_at(
    conn: &mut Conn,
    member_id: i64,
    at: i64,
) -> ServiceResult<Option<Absence>> {
    let at = jiff::Timestamp::from_second(at).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let day = at.to_zoned(paris()).date();
    let absences = absences_from(conn, member_id, day).await?;
    Ok(absences.into_iter().find(|a| a.covers_instant(at)))
}

/// The live bookings of `bookings` that fall on a day of an absence of their professional:
/// to move or cancel.
pub(super) async fn under_absence(
    conn: &mut Conn,
    bookings: impl IntoIterator<Item = &BookingRow>,
) -> ServiceResult<Vec<i64>> {
    let live: Vec<&BookingRow> = bookings
        .into_iter()
        .filter(|b| b.status == BookingStatus::Booked)
        .collect();
    // Each professional's absences from their earliest booking on.
    let mut earliest: HashMap<i64, i64> = HashMap::new();
    for booking in &live {
        let at = earliest
            .entry(booking.member_id)
            .or_insert(booking.start_at);
        *at = (*at).min(booking.start_at);
    }
    let mut absences: HashMap<i64, Vec<Absence>> = HashMap::new();
    for (member_id, at) in earliest {
        let day = jiff::Timestamp::from_second(at)
            .map_err(|e| ServiceError::Internal(e.to_string()))?
            .to_zoned(paris())
            .date();
        absences.insert(member_id, absences_from(conn, member_id, day).await?);
    }
    Ok(live
        .into_iter()
        .filter(|b| {
            jiff::Timestamp::from_second(b.start_at)
                .is_ok_and(|at| absences[&b.member_id].iter().any(|a| a.covers_instant(at)))
        })
        .map(|b| b.id)
        .collect())
}

/// An absence as its refusals name it: « du 12/12/2026 au 14/12/2026 ».
pub(super) fn absence_dates(absence: &Absence) -> String {
    let french = |day: jiff::civil::Date| day.strftime("%d/%m/%Y").to_string();
    format!(
        "du {} au {}",
        french(absence.first_day),
        french(absence.last_day)
    )
}

/// Records an absence: its free slots are removed; the booked ones it covers are returned,
/// to be moved or cancelled.
pub async fn add_absence(
    app: &App,
    actor: &Actor,
    member_id: i64,
    first_day: &str,
    last_day: &str,
) -> ServiceResult<Vec<SlotRow>> {
    let absence = parse_absence(first_day, last_day)?;
    let mut tx = app.db.begin().await?;
    let member = managed_member(&mut tx, actor, member_id).await?;
    store::insert_absence(
        &mut tx,
        member.id,
        &absence.first_day.to_string(),
        &absence.last_day.to_string(),
        app.now(),
    )
    .await?;
    let (from, to) = day_bounds(absence);
    let covered = slots::of_member(&mut tx, member.id, from.max(app.now()), to).await?;
    let free: Vec<i64> = covered
        .iter()
        .filter(|s| s.status == SlotStatus::Free)
        .map(|s| s.id)
        .collect();
    slots::withdraw_free(&mut tx, &free).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp.absence.create",
        ("member", member.id),
        member.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(covered
        .into_iter()
        .filter(|s| s.status != SlotStatus::Free)
        .collect())
}

/// Removes an absence; the rules give their slots again.
pub async fn remove_absence(
    app: &App,
    actor: &Actor,
    member_id: i64,
    absence_id: i64,
) -> ServiceResult<()> {
    let mut tx = app.db.begin().await?;
    let member = managed_member(&mut tx, actor, member_id).await?;
    if !store::delete_absence(&mut tx, member.id, absence_id).await? {
        return Err(ServiceError::NotFound);
    }
    lay_out(&mut tx, &member, app.now(), today(app)).await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp.absence.delete",
        ("member", member.id),
        member.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// The first and last instants of an absence's days in Paris.
fn day_bounds(absence: Absence) -> (i64, i64) {
    let start = |day: jiff::civil::Date| {
        day.to_zoned(paris())
            .map(|z| z.timestamp().as_second())
            .unwrap_or_default()
    };
    let after = absence.last_day.tomorrow().unwrap_or(absence.last_day);
    (start(absence.first_day), start(after))
}
