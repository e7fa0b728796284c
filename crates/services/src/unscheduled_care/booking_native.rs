//! The booking of a call on SQLite's native writer (see `maillage_store::NativeWriter`):
//! the steps of the general path for a patient whose request is recorded with the booking
//! (the API's and the SAS platform's), run on the writer's thread in one job, so that a
//! booking costs one hand-off rather than one per statement. The key is claimed, the slot
//! taken, the request, the booking and their audit rows written, and the answer kept, in
//! one commit. A key already used, and PostgreSQL, take the general path.

use super::booking::{Booked, Holder, Ready, taken};
use super::requests::{Channel, Recording};
use crate::audit::{self, Event, Who};
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::idempotency::{Keyed, request_hash};
use maillage_domain::audit::{AuditRecord, Outcome};
use maillage_store::{
    NativeConn, NativeWriter, StoreError, idempotency, in_savepoint, snp_bookings, snp_requests,
    snp_sas_appointments, snp_slots,
};

/// What the writer's job did: the booking made (or refused) now, or nothing, the key
/// being already used, with what the general path needs back.
pub(super) enum Done<R> {
    Now(ServiceResult<Booked>),
    KeyUsed(Ready, R),
}

/// The call's key, its owner and the hash of what it asked.
struct Key {
    user_id: i64,
    key: String,
    hash: String,
}

/// Books what `ready` checked, a call, on the native writer; `render` gives the answer kept
/// for the key. `ready` must hold a call (`Holder::Call`).
pub(super) async fn book_call<R>(
    app: &App,
    actor: &Actor,
    writer: &NativeWriter,
    keyed: Option<Keyed<'_>>,
    ready: Ready,
    render: R,
) -> ServiceResult<Done<R>>
where
    R: FnOnce(&ServiceResult<Booked>) -> (u16, String) + Send + 'static,
{
    let key = match keyed {
        Some(keyed) => Some(Key {
            user_id: actor.user_id,
            key: crate::idempotency::checked(keyed.key)?.to_owned(),
            hash: request_hash(keyed.request),
        }),
        None => None,
    };
    let now = app.now();
    let events = [
        Event::new("snp_request.create", Outcome::Success)
            .object("snp_request", 0)
            .cpts(Some(ready.cpts_id)),
        Event::new("snp_booking.create", Outcome::Success)
            .object("snp_booking", 0)
            .cpts(Some(ready.cpts_id)),
    ];
    let trail = audit::records(app, &Who::User(actor), &events);
    let Holder::Call(_, channel) = &ready.holder else {
        unreachable!("a call is booked on the native writer")
    };
    let how = Recording::new(actor, ready.cpts_id, (*channel, "booked"), now);
    let from_sas = *channel == Channel::Sas;
    let job = move |conn: &NativeConn| {
        let done = run(conn, key, ready, &how, from_sas, trail, render);
        (done.is_ok(), done)
    };
    writer.run(job).await?
}

/// The job: claims the key, books in a savepoint (undone on refusal), keeps the answer.
fn run<R>(
    conn: &NativeConn,
    key: Option<Key>,
    ready: Ready,
    how: &Recording,
    from_sas: bool,
    trail: Vec<AuditRecord>,
    render: R,
) -> ServiceResult<Done<R>>
where
    R: FnOnce(&ServiceResult<Booked>) -> (u16, String),
{
    if let Some(key) = &key
        && !idempotency::claim_new_native(conn, key.user_id, &key.key, &key.hash, how.now)?
    {
        return Ok(Done::KeyUsed(ready, render));
    }
    // A failure of the database undoes the whole job; a refusal is the call's answer.
    let result = match in_savepoint(conn, || book(conn, &ready, how, from_sas, trail)) {
        Err(error @ (ServiceError::Store(_) | ServiceError::Internal(_))) => return Err(error),
        result => result,
    };
    if let Some(key) = &key {
        let (status, body) = render(&result);
        idempotency::answer_native(conn, key.user_id, &key.key, status.into(), &body)?;
    }
    Ok(Done::Now(result))
}

/// Takes the slot, then writes the request, the booking and their audit rows.
fn book(
    conn: &NativeConn,
    ready: &Ready,
    how: &Recording,
    from_sas: bool,
    mut trail: Vec<AuditRecord>,
) -> ServiceResult<Booked> {
    let Holder::Call(checked, _) = &ready.holder else {
        unreachable!("checked by book_call")
    };
    let slot = &ready.slot;
    if !snp_slots::take_native(conn, slot.id)? {
        return Err(taken());
    }
    let request_id = snp_requests::insert_native(conn, &checked.row(how))?;
    let booking_id = snp_bookings::insert_native(
        conn,
        ready.cpts_id,
        slot.id,
        request_id,
        false,
        Some(how.by),
        how.now,
    )
    .map_err(|error| match error {
        StoreError::Conflict => taken(),
        other => other.into(),
    })?;
    if from_sas {
        snp_sas_appointments::touch_native(conn, booking_id, how.now)?;
    }
    for (record, id) in trail.iter_mut().zip([request_id, booking_id]) {
        record.object_id = Some(id.to_string());
    }
    maillage_store::audit::append_native(conn, &trail)?;
    Ok(Booked {
        booking_id,
        request_id,
        slot: slot.clone(),
    })
}
