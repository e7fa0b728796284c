//! Booking a slot for a request (then, in `changes`, cancelling, moving it to another slot,
//! or recording what happened). A slot is taken by one conditional update inside the
//! booking's transaction, and the database refuses a second live booking of a slot: no
//! slot is ever booked twice, whatever the concurrency. Coordinators and regulators of the
//! CPTS book; on SQLite, a call's booking runs on the native writer (`native`).

mod changes;
mod native;

pub use changes::{cancel, record_outcome, reschedule};

use super::audited_all;
use super::requests::{self, Channel, visible};
use crate::access::desk;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::idempotency::{KeptAnswer, Keyed, Reply, in_one_commit};
use maillage_domain::FieldErrors;
use maillage_domain::unscheduled_care::bookable_by;
use maillage_domain::unscheduled_care::request::SnpRequestFields;
use maillage_domain::unscheduled_care::states::{RequestChannel, RequestStatus, SlotStatus};
use maillage_store::unscheduled_care::bookings::{self, NewBooking};
use maillage_store::unscheduled_care::requests::{self as stored_requests, SnpRequestRow};
use maillage_store::unscheduled_care::sas_appointments;
use maillage_store::unscheduled_care::slots::{self, SlotRow};
use maillage_store::{Conn, Db, StoreError};
use native::{Call, Done};

/// A booking just made.
#[derive(Debug, Clone)]
pub struct Booked {
    pub booking_id: i64,
    pub request_id: i64,
    pub slot: SlotRow,
}

/// Whether the actor's role may book a slot of this visibility.
fn visible_to(actor: &Actor, slot: &SlotRow) -> bool {
    bookable_by(actor.role).contains(&slot.visibility)
}

pub(super) fn taken() -> ServiceError {
    ServiceError::Conflict("Ce créneau vient d’être réservé : choisissez-en un autre.".to_owned())
}

/// A second live booking of a slot, which the database refused, as the slot taken.
pub(super) fn taken_if_conflict(error: StoreError) -> ServiceError {
    match error {
        StoreError::Conflict => taken(),
        other => other.into(),
    }
}

/// The slot `slot_id` of the CPTS `cpts_id`, if the actor may book it.
pub(super) async fn bookable_slot(
    conn: &mut Conn,
    actor: &Actor,
    cpts_id: i64,
    slot_id: i64,
    now: i64,
) -> ServiceResult<SlotRow> {
    let slot = slots::get(conn, slot_id)
        .await?
        .filter(|s| s.cpts_id == cpts_id)
        .filter(|s| visible_to(actor, s))
        .ok_or_else(|| FieldErrors::single("slot_id", "Créneau introuvable."))?;
    if slot.start_at <= now {
        return Err(ServiceError::Conflict("Ce créneau est passé.".to_owned()));
    }
    Ok(slot)
}

/// Takes the slot in the caller's transaction, or, for a patient beyond it (`extra`),
/// checks the professional takes one.
pub(super) async fn take(conn: &mut Conn, slot: &SlotRow, extra: bool) -> ServiceResult<()> {
    if !extra {
        let free = slots::take(conn, slot.id).await?;
        return if free { Ok(()) } else { Err(taken()) };
    }
    if !slot.extra_patients {
        return Err(ServiceError::Conflict(
            "Ce professionnel ne prend pas de patient en surnombre sur ce créneau.".to_owned(),
        ));
    }
    Ok(())
}

/// The request a booking is for: its id, its CPTS, whether the SAS brought it, and
/// whether it is written with the booking.
pub(super) struct BookedFor {
    id: i64,
    cpts_id: i64,
    from_sas: bool,
    created: bool,
}

impl From<&SnpRequestRow> for BookedFor {
    fn from(request: &SnpRequestRow) -> Self {
        Self {
            id: request.id,
            cpts_id: request.cpts_id,
            from_sas: request.channel == RequestChannel::Sas,
            created: false,
        }
    }
}

/// Records the booking of a slot taken (see [`take`]), in the caller's transaction, with
/// its audit and, when `request.created` says the request was written with it, the
/// request's.
pub(super) async fn book_taken(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    request: &BookedFor,
    slot: &SlotRow,
    extra: bool,
) -> ServiceResult<i64> {
    let now = app.now();
    let new = NewBooking {
        cpts_id: request.cpts_id,
        slot_id: slot.id,
        request_id: request.id,
        extra,
        booked_by: Some(actor.user_id),
        now,
    };
    let id = bookings::insert(conn, &new)
        .await
        .map_err(taken_if_conflict)?;
    if !request.created {
        stored_requests::set_status(conn, request.id, "booked").await?;
    }
    if request.from_sas {
        sas_appointments::touch(conn, id, now).await?;
    }
    let booked = ("snp_booking.create", ("snp_booking", id));
    let created = ("snp_request.create", ("snp_request", request.id));
    let done: &[_] = if request.created {
        &[created, booked]
    } else {
        &[booked]
    };
    audited_all(app, conn, actor, request.cpts_id, done).await?;
    Ok(id)
}

/// Whom a booking is for.
#[derive(Debug, Clone)]
pub enum Target {
    /// An open request already recorded.
    Request(i64),
    /// A patient whose request is recorded with the booking, and where it came from.
    Patient(Box<SnpRequestFields>, Channel),
}

/// The open request `id`, which a booking may be made for.
async fn open_request(conn: &mut Conn, actor: &Actor, id: i64) -> ServiceResult<SnpRequestRow> {
    let request = visible(conn, actor, id).await?;
    if request.status != RequestStatus::Open {
        return Err(ServiceError::Conflict(
            "Cette demande a déjà un rendez-vous ou est close : déplacez le rendez-vous."
                .to_owned(),
        ));
    }
    Ok(request)
}

/// What a booking is for, checked: an open request (read again in the booking's
/// transaction), or a call whose fields are valid.
enum Holder {
    Recorded(i64),
    Call(requests::Checked, Channel),
}

/// A booking checked before its transaction: what it is for, and the slot as it was read.
struct Ready {
    cpts_id: i64,
    holder: Holder,
    slot: SlotRow,
}

/// Checks, on a connection of its own, what the booking of `slot_id` for `target` is for
/// (a call's errors are named even when the slot is gone) and reads the slot, so that the
/// transaction only takes the slot and writes: on SQLite, the one writer is held for
/// that alone.
async fn ready(app: &App, actor: &Actor, target: &Target, slot_id: i64) -> ServiceResult<Ready> {
    let cpts_id = desk(actor)?;
    let mut conn = app.db.conn().await?;
    let holder = match target {
        Target::Request(id) => Holder::Recorded(*id),
        Target::Patient(fields, channel) => Holder::Call(
            requests::check(app, &mut conn, cpts_id, fields).await?,
            *channel,
        ),
    };
    let slot = bookable_slot(&mut conn, actor, cpts_id, slot_id, app.now()).await?;
    Ok(Ready {
        cpts_id,
        holder,
        slot,
    })
}

/// Books what `ready` checked in the caller's transaction; `extra` adds the patient beyond
/// a slot already taken, where the professional accepts it. The slot is taken before
/// anything is written, so that an attempt on a slot someone else has ends there.
async fn book_in(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    ready: Ready,
    extra: bool,
) -> ServiceResult<Booked> {
    let Ready {
        cpts_id,
        holder,
        slot,
    } = ready;
    let request = match holder {
        Holder::Recorded(id) => {
            let request = BookedFor::from(&open_request(conn, actor, id).await?);
            take(conn, &slot, extra).await?;
            request
        }
        Holder::Call(checked, channel) => {
            take(conn, &slot, extra).await?;
            let how = (channel, RequestStatus::Booked);
            BookedFor {
                id: requests::insert(app, conn, actor, cpts_id, &checked, how).await?,
                cpts_id,
                from_sas: channel == Channel::Sas,
                created: true,
            }
        }
    };
    let booking_id = book_taken(app, conn, actor, &request, &slot, extra).await?;
    Ok(Booked {
        booking_id,
        request_id: request.id,
        slot,
    })
}

/// Books `slot_id` for the open request `request_id`; `extra` adds the patient beyond a
/// slot already taken, where the professional accepts it.
pub async fn book(
    app: &App,
    actor: &Actor,
    request_id: i64,
    slot_id: i64,
    extra: bool,
) -> ServiceResult<Booked> {
    let ready = ready(app, actor, &Target::Request(request_id), slot_id).await?;
    let mut tx = app.db.begin().await?;
    let booked = book_in(app, &mut tx, actor, ready, extra).await?;
    Db::commit(tx).await?;
    Ok(booked)
}

/// Records a request for the patient and books `slot_id` for it, in one transaction (a
/// slot chosen on the SAS platform, or the API's).
pub async fn book_new_request(
    app: &App,
    actor: &Actor,
    fields: &SnpRequestFields,
    slot_id: i64,
    channel: Channel,
) -> ServiceResult<Booked> {
    let target = Target::Patient(Box::new(fields.clone()), channel);
    // Without a key, no answer is kept.
    let no_answer = |_: &ServiceResult<Booked>| KeptAnswer {
        status: 0,
        body: String::new(),
    };
    match book_once(app, actor, None, &target, slot_id, false, no_answer).await? {
        Reply::Now(booked) => booked,
        _ => unreachable!("only a call with a key is answered from the store"),
    }
}

/// The API's booking: made once per idempotency key, the key claimed and the answer
/// `render` gives kept in the booking's own commit (a refusal of what `ready` checked
/// included). On SQLite, a call's booking runs on the native writer.
pub async fn book_once(
    app: &App,
    actor: &Actor,
    keyed: Option<Keyed<'_>>,
    target: &Target,
    slot_id: i64,
    extra: bool,
    render: impl FnOnce(&ServiceResult<Booked>) -> KeptAnswer + Send + 'static,
) -> ServiceResult<Reply<Booked>> {
    let checked = self::ready(app, actor, target, slot_id).await;
    let (ready, render) = match (app.db.native_writer(), checked) {
        (
            Some(writer),
            Ok(Ready {
                cpts_id,
                holder: Holder::Call(checked, channel),
                slot,
            }),
        ) if !extra => {
            let call = Call {
                cpts_id,
                checked,
                channel,
                slot,
            };
            match native::book_call(app, actor, writer, keyed, call, render).await? {
                Done::Now(result) => return Ok(Reply::Now(*result)),
                // The general path tells what the key holds (checking the call again, should
                // an unanswered claim be taken over).
                Done::KeyUsed(render) => (self::ready(app, actor, target, slot_id).await, render),
            }
        }
        // Without a key, nothing is written for a call refused before its transaction.
        (_, Err(refused)) if keyed.is_none() => return Ok(Reply::Now(Err(refused))),
        (_, checked) => (checked, render),
    };
    let call = async |conn: &mut Conn| book_in(app, conn, actor, ready?, extra).await;
    in_one_commit(app, actor, keyed, call, render).await
}

/// A free slot the actor may book, as the SAS platform sends a regulator to it.
pub async fn offered_slot(app: &App, actor: &Actor, slot_id: i64) -> ServiceResult<SlotRow> {
    let cpts_id = desk(actor)?;
    let mut conn = app.db.conn().await?;
    slots::get(&mut conn, slot_id)
        .await?
        .filter(|s| s.cpts_id == cpts_id && s.status == SlotStatus::Free && s.start_at > app.now())
        .filter(|s| visible_to(actor, s))
        .ok_or_else(|| {
            ServiceError::Conflict(
                "Ce créneau n’est plus libre : enregistrez la demande et choisissez-en un autre."
                    .to_owned(),
            )
        })
}
