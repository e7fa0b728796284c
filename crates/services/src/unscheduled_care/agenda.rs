//! A professional's own unscheduled-care agenda: the bookings of their slots with the
//! patient to call back. Reading it is audited: it names patients.

use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::unscheduled_care::absences::under_absence;
use maillage_domain::platform::audit::Outcome;
use maillage_store::directory::members;
use maillage_store::unscheduled_care::bookings::{self, BookingRow};
use maillage_store::unscheduled_care::requests::{self, SnpRequestRow};

/// A booking of the professional's agenda, with the patient to call back.
pub struct AgendaEntry {
    pub booking: BookingRow,
    pub request: SnpRequestRow,
    /// The professional has since declared an absence that day: to move or cancel.
    pub under_absence: bool,
}

/// The bookings of the actor's own slots over the next `days` days (and today's past ones).
pub async fn agenda(app: &App, actor: &Actor, days: i64) -> ServiceResult<Vec<AgendaEntry>> {
    let mut conn = app.db.conn().await?;
    let member = members::by_user(&mut conn, actor.user_id)
        .await?
        .ok_or(ServiceError::Forbidden)?;
    let now = app.now();
    let bookings =
        bookings::of_member(&mut conn, member.id, now - 86_400, now + days * 86_400).await?;
    let ids: Vec<i64> = bookings.iter().map(|b| b.request_id).collect();
    let requests = requests::by_ids(&mut conn, &ids).await?;
    let absent = under_absence(&mut conn, &bookings).await?;
    drop(conn);
    let entries = bookings
        .into_iter()
        .filter_map(|booking| {
            let request = requests
                .iter()
                .find(|r| r.id == booking.request_id)?
                .clone();
            Some(AgendaEntry {
                under_absence: absent.contains(&booking.id),
                booking,
                request,
            })
        })
        .collect();
    audit::write(
        app,
        &Who::User(actor),
        Event::new("snp_booking.agenda", Outcome::Success).cpts(Some(member.cpts_id)),
    )
    .await?;
    Ok(entries)
}
