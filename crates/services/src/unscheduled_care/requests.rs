//! Unscheduled-care requests: recorded by a coordinator or a regulator of the CPTS (or
//! through the API), listed, read with their bookings, closed without a booking. Every read
//! and write of a request is audited: it names a patient.

use super::audited;
use crate::access::desk;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::territory::commune_code_of;
use crate::unscheduled_care::absences::under_absence;
use maillage_domain::platform::audit::Outcome;
use maillage_domain::unscheduled_care::request::{
    Correction, SnpRequest, SnpRequestFields, parse_close_reason,
};
use maillage_domain::unscheduled_care::states::{RequestChannel, RequestStatus};
use maillage_domain::{FieldErrors, Role};
use maillage_store::unscheduled_care::bookings::{self, BookingRow};
use maillage_store::unscheduled_care::request_calls::{self, CallRow};
use maillage_store::unscheduled_care::requests::{self, NewSnpRequest, SnpRequestRow};
use maillage_store::unscheduled_care::sas_appointments::{self, Transmission};
use maillage_store::{Conn, Db};
use std::collections::HashMap;

/// Where a request was recorded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The desk's pages.
    Desk,
    /// The API.
    Api,
    /// A regulator sent by the SAS platform to one of its slots.
    Sas,
}

/// The channel a request recorded by this actor came through, as stored.
fn channel_of(actor: &Actor, channel: Channel) -> RequestChannel {
    match (channel, actor.role) {
        (Channel::Api, _) => RequestChannel::Api,
        (Channel::Sas, _) => RequestChannel::Sas,
        (Channel::Desk, Role::Regulator) => RequestChannel::Regulator,
        (Channel::Desk, _) => RequestChannel::Coordinator,
    }
}

/// A request whose fields were checked, ready to be written.
pub(crate) struct Checked {
    request: SnpRequest,
    /// The patient's commune, one of the CPTS's.
    commune: String,
    /// The patient's birth date, `AAAA-MM-JJ`.
    birth_date: String,
}

/// Checks a request's fields for the CPTS `cpts_id`, every error named at once.
pub(super) async fn check(
    app: &App,
    conn: &mut Conn,
    cpts_id: i64,
    fields: &SnpRequestFields,
) -> ServiceResult<Checked> {
    let checked = SnpRequest::parse(fields, app.today());
    let commune = commune_code_of(conn, Some(cpts_id), &fields.commune).await?;
    match (checked, commune) {
        (Ok(request), Ok(commune)) => Ok(Checked {
            birth_date: request.birth_date.iso(),
            request,
            commune,
        }),
        (checked, commune) => {
            let mut errors = checked.err().unwrap_or_default();
            if let Err(message) = commune {
                errors.add("commune", message);
            }
            Err(errors.into())
        }
    }
}

/// Writes a checked request of the CPTS `cpts_id` in the caller's transaction, with its
/// status (`open`, or `booked` when a booking comes with it); the caller audits it and
/// commits.
pub(super) async fn insert(
    app: &App,
    conn: &mut Conn,
    actor: &Actor,
    cpts_id: i64,
    checked: &Checked,
    (channel, status): (Channel, RequestStatus),
) -> ServiceResult<i64> {
    let how = Recording::new(actor, cpts_id, (channel, status), app.now());
    Ok(requests::insert(conn, &checked.row(&how)).await?)
}

/// How a checked request is recorded: in which CPTS, through which channel (as stored),
/// with which status, by whom and when.
pub(super) struct Recording {
    cpts_id: i64,
    channel: RequestChannel,
    status: RequestStatus,
    pub(super) by: i64,
    pub(super) now: i64,
}

impl Recording {
    pub(super) fn new(
        actor: &Actor,
        cpts_id: i64,
        (channel, status): (Channel, RequestStatus),
        now: i64,
    ) -> Self {
        Self {
            cpts_id,
            channel: channel_of(actor, channel),
            status,
            by: actor.user_id,
            now,
        }
    }
}

impl Checked {
    /// The request's row, recorded `how`.
    pub(super) fn row(&self, how: &Recording) -> NewSnpRequest<'_> {
        let Checked {
            request,
            commune,
            birth_date,
        } = self;
        let received = jiff::Timestamp::from_second(how.now).unwrap_or_default();
        NewSnpRequest {
            cpts_id: how.cpts_id,
            channel: how.channel,
            caller: request.caller,
            reason: request.reason,
            detail: &request.detail,
            urgency: request.urgency,
            commune,
            mobility: request.mobility,
            own_gp: request.own_gp,
            last_name: &request.last_name,
            first_name: &request.first_name,
            birth_date,
            sex: request.sex,
            phone: &request.phone,
            status: how.status,
            received_at: how.now,
            deadline_at: request.urgency.deadline(received).as_second(),
            created_by: Some(how.by),
        }
    }
}

/// Records a request.
pub async fn record(app: &App, actor: &Actor, fields: &SnpRequestFields) -> ServiceResult<i64> {
    let cpts_id = desk(actor)?;
    let mut conn = app.db.conn().await?;
    let checked = check(app, &mut conn, cpts_id, fields).await?;
    drop(conn);
    let mut tx = app.db.begin().await?;
    let id = insert(
        app,
        &mut tx,
        actor,
        cpts_id,
        &checked,
        (Channel::Desk, RequestStatus::Open),
    )
    .await?;
    let created = ("snp_request", id);
    audited(app, &mut tx, actor, "snp_request.create", created, cpts_id).await?;
    Db::commit(tx).await?;
    Ok(id)
}

/// A request as the desk lists it: with its latest booking, whatever became of it, and
/// whether that booking, still standing, falls on a day its professional declared absent.
pub struct DeskLine {
    pub request: SnpRequestRow,
    pub latest: Option<BookingRow>,
    pub under_absence: bool,
}

/// The latest booking made for a request: a move, or a new booking after a no-show or a
/// cancellation, comes after what it follows.
pub fn latest(bookings: &[BookingRow]) -> Option<&BookingRow> {
    bookings.iter().max_by_key(|b| b.id)
}

/// The desk's list: the requests of the actor's CPTS still to orient, whenever received,
/// the most pressing first; then those booked or closed received in the last seven days,
/// newest first.
pub async fn list(app: &App, actor: &Actor) -> ServiceResult<Vec<DeskLine>> {
    let cpts_id = desk(actor)?;
    let mut conn = app.db.conn().await?;
    let rows = requests::of_cpts(&mut conn, cpts_id, app.now() - 7 * 86_400).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    // Oldest first: each request keeps the last of its bookings, as [`latest`] chooses.
    let mut latest: HashMap<i64, BookingRow> = HashMap::new();
    for booking in bookings::of_requests(&mut conn, &ids).await? {
        latest.insert(booking.request_id, booking);
    }
    let absent = under_absence(&mut conn, latest.values()).await?;
    drop(conn);
    audit::write(
        app,
        &Who::User(actor),
        Event::new("snp_request.list", Outcome::Success).cpts(Some(cpts_id)),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|request| {
            let latest = latest.remove(&request.id);
            let under_absence = latest.as_ref().is_some_and(|b| absent.contains(&b.id));
            DeskLine {
                request,
                latest,
                under_absence,
            }
        })
        .collect())
}

/// A request, if the actor handles its CPTS's requests.
pub(super) async fn visible(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> ServiceResult<SnpRequestRow> {
    let cpts_id = desk(actor)?;
    requests::get(conn, cpts_id, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The refusal of a change to a request whose personal data was emptied.
pub(super) fn purged() -> ServiceError {
    ServiceError::Conflict("Les données personnelles de cette demande ont été effacées.".to_owned())
}

/// A request with its bookings, oldest first, where the SAS stands with those it is told
/// of, and the desk's calls to the patient.
pub struct RequestFile {
    pub request: SnpRequestRow,
    pub bookings: Vec<BookingRow>,
    pub sas: Vec<Transmission>,
    /// The live bookings on a day their professional has since declared absent: to move
    /// or cancel.
    pub under_absence: Vec<i64>,
    /// The desk's calls to the patient, the latest first.
    pub calls: Vec<CallRow>,
}

pub async fn file(app: &App, actor: &Actor, id: i64) -> ServiceResult<RequestFile> {
    let mut conn = app.db.conn().await?;
    let request = visible(&mut conn, actor, id).await?;
    let bookings = bookings::of_request(&mut conn, id).await?;
    let sas = sas_appointments::of_request(&mut conn, id).await?;
    let under_absence = under_absence(&mut conn, &bookings).await?;
    let calls = request_calls::of_request(&mut conn, id).await?;
    drop(conn);
    let mut tx = app.db.begin().await?;
    audited(
        app,
        &mut tx,
        actor,
        "snp_request.read",
        ("snp_request", id),
        request.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(RequestFile {
        request,
        bookings,
        sas,
        under_absence,
        calls,
    })
}

/// Corrects the phone to call the patient back on and the detail of the reason (a number
/// mistyped, a detail learnt on calling back), audited.
pub async fn correct(
    app: &App,
    actor: &Actor,
    id: i64,
    phone: &str,
    detail: &str,
) -> ServiceResult<()> {
    let correction = Correction::parse(phone, detail)?;
    let mut tx = app.db.begin().await?;
    let request = visible(&mut tx, actor, id).await?;
    if !requests::correct(&mut tx, id, &correction.phone, &correction.detail).await? {
        return Err(purged());
    }
    audited(
        app,
        &mut tx,
        actor,
        "snp_request.update",
        ("snp_request", id),
        request.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}

/// Closes an open request without a booking, for one of the domain's `CLOSE_REASONS`.
pub async fn close(app: &App, actor: &Actor, id: i64, reason: &str) -> ServiceResult<()> {
    let reason = parse_close_reason(reason).map_err(|m| FieldErrors::single("reason", m))?;
    let mut tx = app.db.begin().await?;
    let request = visible(&mut tx, actor, id).await?;
    if !requests::close(&mut tx, id, reason, app.now()).await? {
        return Err(ServiceError::Conflict(
            "Seule une demande ouverte, sans rendez-vous en cours, peut être close.".to_owned(),
        ));
    }
    audited(
        app,
        &mut tx,
        actor,
        "snp_request.close",
        ("snp_request", id),
        request.cpts_id,
    )
    .await?;
    Db::commit(tx).await?;
    Ok(())
}
