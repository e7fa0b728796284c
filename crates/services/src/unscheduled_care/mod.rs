//! Unscheduled care (soins non programmés): members publish slots (weekly rules with
//! absences and public holidays, one-off slots) at their practice sites; coordinators and
//! regulators record requests, see the slots that answer them in time and near the
//! patient (with the CPTS's cooperation protocols), book, cancel and move bookings; the
//! professional sees their bookings and records what happened. Every read and write of a
//! request or booking is audited.

mod absences;
pub mod agenda;
pub mod availability;
pub mod booking;
pub mod calendar;
pub mod calls;
pub mod demo;
pub mod indicators;
pub mod orientation;
pub mod places;
pub mod protocols;
pub mod requests;
pub mod retention;
pub mod sas_platform;
pub mod slots;

use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use maillage_domain::platform::audit::Outcome;
use maillage_store::Conn;

/// Records, in the caller's transaction, that the actor did `action` to the object
/// (`kind`, `id`) of the CPTS `cpts_id`.
async fn audited(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    object: (&str, i64),
    cpts_id: i64,
) -> ServiceResult<()> {
    audited_all(app, conn, actor, cpts_id, &[(action, object)]).await
}

/// Records, in the caller's transaction and in one append, that the actor did each
/// `(action, (kind, id))` of `done`, in the CPTS `cpts_id`.
async fn audited_all(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    cpts_id: i64,
    done: &[(&str, (&str, i64))],
) -> ServiceResult<()> {
    let events: Vec<Event> = done
        .iter()
        .map(|&(action, (kind, id))| {
            Event::new(action, Outcome::Success)
                .object(kind, id)
                .cpts(Some(cpts_id))
        })
        .collect();
    audit::write_all_in(app, conn, &Who::User(actor), &events).await
}
