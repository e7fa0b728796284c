//! Recording a request: the fields of a call or of the patient's public form checked, the
//! commune found by its code or its name, the request written with the first step of its
//! history, and the open requests of the same person pointed out. A request may be
//! registered ahead of the departure of the patient's GP, a member of the CPTS.

use crate::access;
use crate::context::{Actor, App, RequestContext};
use crate::error::{ServiceError, ServiceResult};
use crate::platform::audit::{self, Event, Who};
use crate::territory::CommuneLookups;
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::states::RequestChannel;
use maillage_domain::gp_waitlist::{CheckedRequest, RequestFields, Situation, indicator_group};
use maillage_domain::platform::audit::Outcome;
use maillage_store::gp_waitlist::requests::{self, NewRequest};
use maillage_store::{Conn, platform::form_stamps_used, territory::cpts};

/// A request just recorded, and the open requests that seem to be of the same person.
pub struct Recorded {
    pub id: i64,
    pub probable_duplicates: Vec<i64>,
}

/// Where a request comes from.
pub enum Channel<'a> {
    /// A coordinator took the call.
    Phone(&'a Actor),
    /// The patient filled the public form, from this request, shown with this stamp.
    Form {
        request: &'a RequestContext,
        stamp: &'a str,
    },
}

/// Why a public form is not recorded twice: its stamp was used.
const STAMP_USED: &str = "Ce formulaire a déjà été envoyé.";

/// A request checked and its commune found, ready to write.
pub(super) struct Checked {
    request: CheckedRequest,
    commune: String,
    situation: Situation,
}

/// Checks every field of a request of the CPTS `cpts_id`, the commune included (looked up
/// through `communes`).
pub(super) async fn check(
    conn: &mut Conn,
    cpts_id: i64,
    fields: &RequestFields,
    today: CivilDate,
    communes: &mut CommuneLookups,
) -> ServiceResult<Result<Checked, FieldErrors>> {
    let checked = CheckedRequest::parse(fields, today);
    let commune = communes.code_of(conn, cpts_id, &fields.commune).await?;
    Ok(match (checked, commune) {
        (Ok(request), Ok(commune)) => Ok(Checked {
            request,
            commune,
            situation: fields.situation,
        }),
        (checked, commune) => {
            let mut errors = checked.err().unwrap_or_default();
            if let Err(message) = commune {
                errors.add("commune", message);
            }
            Err(errors)
        }
    })
}

/// How a request came, as its history tells it.
pub(super) struct Origin<'a> {
    /// `phone` (recorded by a coordinator) or `form`.
    pub channel: RequestChannel,
    /// The first step of its history.
    pub how: &'a str,
    pub author: Option<i64>,
    /// The member GP whose departure the request was registered ahead of.
    pub departing_member_id: Option<i64>,
}

/// Writes a checked request of the CPTS `cpts_id` with the first step of its history; the
/// caller audits it and commits.
pub(super) async fn write(
    app: &App,
    conn: &mut Conn,
    cpts_id: i64,
    checked: &Checked,
    origin: &Origin<'_>,
) -> ServiceResult<Recorded> {
    let request = &checked.request;
    let birth_date = request.birth_date.iso();
    let mut situation = checked.situation;
    situation.gp_left |= origin.departing_member_id.is_some();
    let new = NewRequest {
        cpts_id,
        last_name: &request.last_name,
        birth_name: &request.birth_name,
        first_name: &request.first_name,
        birth_date: &birth_date,
        sex: request.sex,
        commune: &checked.commune,
        phone: &request.phone,
        email: &request.email,
        situation: situation.flags(),
        note: &request.note,
        channel: origin.channel,
        name_key: &request.name_key,
        indicator_group: indicator_group(&situation, request.birth_date, app.today()),
        created_by: origin.author,
        departing_member_id: origin.departing_member_id,
    };
    let now = app.now();
    let id = requests::insert(conn, &new, now).await?;
    requests::add_event(conn, id, origin.author, "received", origin.how, now).await?;
    let probable_duplicates =
        requests::same_person(conn, cpts_id, &request.name_key, &birth_date, id).await?;
    Ok(Recorded {
        id,
        probable_duplicates,
    })
}

/// The event that audits the creation of request `id`.
pub(super) fn created(cpts_id: i64, id: i64) -> Event<'static> {
    Event::new("gp_request.create", Outcome::Success)
        .object("gp_request", id)
        .cpts(Some(cpts_id))
}

/// Checks and writes, in the caller's transaction, a request of the CPTS `cpts_id`, with
/// the first step of its history and its audit event.
async fn write_checked(
    app: &App,
    tx: &mut Conn,
    cpts_id: i64,
    fields: &RequestFields,
    channel: Channel<'_>,
    departing_member_id: Option<i64>,
) -> ServiceResult<Recorded> {
    let communes = &mut CommuneLookups::default();
    let checked = check(tx, cpts_id, fields, app.today(), communes).await??;
    let (origin, who) = match channel {
        Channel::Phone(actor) => {
            let origin = Origin {
                channel: RequestChannel::Phone,
                how: "Appel téléphonique",
                author: Some(actor.user_id),
                departing_member_id,
            };
            (origin, Who::User(actor))
        }
        Channel::Form { request, stamp } => {
            if !form_stamps_used::claim(tx, stamp, app.now()).await? {
                return Err(ServiceError::Conflict(STAMP_USED.to_owned()));
            }
            let who = Who::Account {
                user_id: None,
                role: None,
                request,
            };
            let origin = Origin {
                channel: RequestChannel::Form,
                how: "Formulaire en ligne",
                author: None,
                departing_member_id: None,
            };
            (origin, who)
        }
    };
    let recorded = write(app, tx, cpts_id, &checked, &origin).await?;
    audit::write_in(app, tx, &who, created(cpts_id, recorded.id)).await?;
    Ok(recorded)
}

/// A coordinator records a request taken by phone; `departing_member_id` when the patient's
/// GP is a member of the CPTS who plans to leave.
pub async fn record(
    app: &App,
    actor: &Actor,
    fields: &RequestFields,
    departing_member_id: Option<i64>,
) -> ServiceResult<Recorded> {
    app.in_transaction(async |tx| record_in(app, tx, actor, fields, departing_member_id).await)
        .await
}

/// [`record`] in the caller's transaction (a keyed API call's).
pub async fn record_in(
    app: &App,
    tx: &mut Conn,
    actor: &Actor,
    fields: &RequestFields,
    departing_member_id: Option<i64>,
) -> ServiceResult<Recorded> {
    let cpts_id = access::coordinated(actor)?;
    if let Some(member_id) = departing_member_id {
        super::departures::departing(app, cpts_id, member_id).await?;
    }
    let channel = Channel::Phone(actor);
    write_checked(app, tx, cpts_id, fields, channel, departing_member_id).await
}

/// A patient asks through the public form of the CPTS `slug`, having accepted that the CPTS
/// keeps what they typed, on the form shown with `stamp`, which serves once. The answer
/// says nothing of other requests of the same person.
pub async fn submit_public(
    app: &App,
    slug: &str,
    fields: &RequestFields,
    consent: bool,
    request: &RequestContext,
    stamp: &str,
) -> ServiceResult<()> {
    let mut conn = app.db.conn().await?;
    let cpts = cpts::by_slug(&mut conn, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    drop(conn);
    if !consent {
        let mut errors = CheckedRequest::parse(fields, app.today())
            .err()
            .unwrap_or_default();
        errors.add(
            "consent",
            "Cochez la case pour que la CPTS puisse enregistrer votre demande.",
        );
        return Err(errors.into());
    }
    let channel = Channel::Form { request, stamp };
    let recorded =
        app.in_transaction(async |tx| write_checked(app, tx, cpts.id, fields, channel, None).await);
    match recorded.await {
        // Posted again from the same page: the first one was recorded, nothing more is.
        Ok(_) => Ok(()),
        Err(ServiceError::Conflict(message)) if message == STAMP_USED => Ok(()),
        Err(error) => Err(error),
    }
}

/// The name of the CPTS whose public form is at `slug`.
pub async fn public_form_of(app: &App, slug: &str) -> ServiceResult<String> {
    let mut conn = app.db.conn().await?;
    let cpts = cpts::by_slug(&mut conn, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(cpts.name)
}
