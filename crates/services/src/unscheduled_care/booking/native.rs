//! The booking of a call on SQLite's native writer (see `maillage_store::NativeWriter`):
//! the steps of the general path for a patient whose request is recorded with the booking
//! (the API's and the SAS platform's), run on the writer's thread in one job, so that a
//! booking costs one hand-off rather than one per statement. The key is claimed, the slot
//! taken, the request, the booking and their audit rows written, and the answer kept, in
//! one commit. A key already used, and PostgreSQL, take the general path.

use super::{Booked, taken, taken_if_conflict};
use crate::context::{Actor, App};
use crate::error::ServiceResult;
use crate::platform::audit::{self, Event, Who};
use crate::platform::idempotency::{KeptAnswer, Keyed, checked, request_hash};
use crate::unscheduled_care::requests::{Channel, Checked, Recording};
use maillage_domain::platform::audit::{AuditRecord, Outcome, TrailKey};
use maillage_domain::unscheduled_care::states::RequestStatus;
use maillage_store::unscheduled_care::bookings::{self, NewBooking};
use maillage_store::unscheduled_care::slots::SlotRow;
use maillage_store::{
    NativeConn, NativeWriter, in_savepoint, platform::idempotency, unscheduled_care::requests,
    unscheduled_care::sas_appointments, unscheduled_care::slots,
};

/// What the writer's job did: the booking made (or refused) now, or nothing, the key
/// being already used, with the answer's renderer back for the general path.
pub(super) enum Done<R> {
    Now(Box<ServiceResult<Booked>>),
    KeyUsed(R),
}

/// A call checked before the booking: its request as it will be recorded, and the slot as
/// it was read.
pub(super) struct Call {
    pub(super) cpts_id: i64,
    pub(super) checked: Checked,
    pub(super) channel: Channel,
    pub(super) slot: SlotRow,
}

/// The call's key, its owner and the hash of what it asked.
struct Key {
    user_id: i64,
    key: String,
    hash: String,
}

/// Books `call` on the native writer; `render` gives the answer kept for the key.
pub(super) async fn book_call<R>(
    app: &App,
    actor: &Actor,
    writer: &NativeWriter,
    keyed: Option<Keyed<'_>>,
    call: Call,
    render: R,
) -> ServiceResult<Done<R>>
where
    R: FnOnce(&ServiceResult<Booked>) -> KeptAnswer + Send + 'static,
{
    let key = match keyed {
        Some(keyed) => Some(Key {
            user_id: actor.user_id,
            key: checked(keyed.key)?.to_owned(),
            hash: request_hash(keyed.request),
        }),
        None => None,
    };
    let now = app.now();
    let cpts = Some(call.cpts_id);
    let events = [
        Event::new("snp_request.create", Outcome::Success)
            .object("snp_request", 0)
            .cpts(cpts),
        Event::new("snp_booking.create", Outcome::Success)
            .object("snp_booking", 0)
            .cpts(cpts),
    ];
    let trail = audit::records(app, &Who::User(actor), &events);
    let seal = app.audit_seal.clone();
    let how = Recording::new(
        actor,
        call.cpts_id,
        (call.channel, RequestStatus::Booked),
        now,
    );
    let job = move |conn: &NativeConn| {
        let done = run(conn, key, &call, &how, (seal.key(), trail), render);
        (done.is_ok(), done)
    };
    writer.run(job).await?
}

/// The job: claims the key, books in a savepoint (undone on refusal), keeps the answer.
fn run<R>(
    conn: &NativeConn,
    key: Option<Key>,
    call: &Call,
    how: &Recording,
    trail: (&TrailKey, Vec<AuditRecord>),
    render: R,
) -> ServiceResult<Done<R>>
where
    R: FnOnce(&ServiceResult<Booked>) -> KeptAnswer,
{
    if let Some(key) = &key
        && !idempotency::claim_new_native(conn, key.user_id, &key.key, &key.hash, how.now)?
    {
        return Ok(Done::KeyUsed(render));
    }
    // A failure of the database undoes the whole job; a refusal is the call's answer.
    let result = match in_savepoint(conn, || book(conn, call, how, trail)) {
        Err(error) if error.is_server_failure() => return Err(error),
        result => result,
    };
    if let Some(key) = &key {
        let kept = render(&result);
        let status = kept.status.into();
        idempotency::answer_native(conn, key.user_id, &key.key, status, &kept.body)?;
    }
    Ok(Done::Now(Box::new(result)))
}

/// Takes the slot, then writes the request, the booking and their audit rows.
fn book(
    conn: &NativeConn,
    call: &Call,
    how: &Recording,
    (key, mut trail): (&TrailKey, Vec<AuditRecord>),
) -> ServiceResult<Booked> {
    let slot = &call.slot;
    if !slots::take_native(conn, slot.id)? {
        return Err(taken());
    }
    let request_id = requests::insert_native(conn, &call.checked.row(how))?;
    let new = NewBooking {
        cpts_id: call.cpts_id,
        slot_id: slot.id,
        request_id,
        extra: false,
        booked_by: Some(how.by),
        now: how.now,
    };
    let booking_id = bookings::insert_native(conn, &new).map_err(taken_if_conflict)?;
    if call.channel == Channel::Sas {
        sas_appointments::touch_native(conn, booking_id, how.now)?;
    }
    for (record, id) in trail.iter_mut().zip([request_id, booking_id]) {
        record.object_id = Some(id.to_string());
    }
    maillage_store::platform::audit::append_native(conn, key, &trail)?;
    Ok(Booked {
        booking_id,
        request_id,
        slot: slot.clone(),
    })
}
