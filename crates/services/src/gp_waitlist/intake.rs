//! Recording a request: the fields of a call or of the patient's public form checked, the
//! commune found by its code or its name, the request written with the first step of its
//! history, and the open requests of the same person pointed out.

use crate::audit::{self, Event, Who};
use crate::context::{Actor, App, RequestContext};
use crate::error::{ServiceError, ServiceResult};
use crate::territory;
use maillage_domain::audit::Outcome;
use maillage_domain::gp_waitlist::{CheckedRequest, RequestFields, indicator_group};
use maillage_store::gp_requests::{self, NewRequest};
use maillage_store::{Db, cpts};

/// A request just recorded, and the open requests that seem to be of the same person.
pub struct Recorded {
    pub id: i64,
    pub probable_duplicates: Vec<i64>,
}

/// Where a request comes from.
pub enum Channel<'a> {
    /// A coordinator took the call.
    Phone(&'a Actor),
    /// The patient filled the public form, from this request.
    Form(&'a RequestContext),
}

/// Checks and writes a request of the CPTS `cpts_id`, with the first step of its history
/// and its audit event.
async fn record_in(
    app: &App,
    cpts_id: i64,
    fields: &RequestFields,
    channel: Channel<'_>,
) -> ServiceResult<Recorded> {
    let checked = CheckedRequest::parse(fields, app.today());
    let mut tx = app.db.begin().await?;
    let commune = territory::commune_code_of(&mut tx, cpts_id, &fields.commune).await?;
    let (checked, commune) = match (checked, commune) {
        (Ok(checked), Ok(commune)) => (checked, commune),
        (checked, commune) => {
            let mut errors = checked.err().unwrap_or_default();
            if let Err(message) = commune {
                errors.add("commune", message);
            }
            return Err(errors.into());
        }
    };
    let birth_date = checked.birth_date.iso();
    let (channel_code, how, who, author) = match channel {
        Channel::Phone(actor) => (
            "phone",
            "Appel téléphonique",
            Who::User(actor),
            Some(actor.user_id),
        ),
        Channel::Form(request) => {
            let who = Who::Account {
                user_id: None,
                role: None,
                request,
            };
            ("form", "Formulaire en ligne", who, None)
        }
    };
    let request = NewRequest {
        cpts_id,
        last_name: &checked.last_name,
        birth_name: &checked.birth_name,
        first_name: &checked.first_name,
        birth_date: &birth_date,
        sex: checked.sex,
        commune: &commune,
        phone: &checked.phone,
        email: &checked.email,
        situation: fields.situation.flags(),
        note: &checked.note,
        channel: channel_code,
        name_key: &checked.name_key,
        indicator_group: indicator_group(&fields.situation, checked.birth_date, app.today()),
        created_by: author,
    };
    let now = app.now();
    let id = gp_requests::insert(&mut tx, &request, now).await?;
    gp_requests::add_event(&mut tx, id, author, "received", how, now).await?;
    let probable_duplicates =
        gp_requests::same_person(&mut tx, cpts_id, &checked.name_key, &birth_date, id).await?;
    let event = Event::new("gp_request.create", Outcome::Success)
        .object("gp_request", id)
        .cpts(Some(cpts_id));
    audit::write_in(app, &mut tx, &who, event).await?;
    Db::commit(tx).await?;
    Ok(Recorded {
        id,
        probable_duplicates,
    })
}

/// A coordinator records a request taken by phone.
pub async fn record(app: &App, actor: &Actor, fields: &RequestFields) -> ServiceResult<Recorded> {
    let cpts_id = actor.coordinated_cpts()?;
    record_in(app, cpts_id, fields, Channel::Phone(actor)).await
}

/// A patient asks through the public form of the CPTS `slug`, having accepted that the CPTS
/// keeps what they typed. The answer says nothing of other requests of the same person.
pub async fn submit_public(
    app: &App,
    slug: &str,
    fields: &RequestFields,
    consent: bool,
    request: &RequestContext,
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
    record_in(app, cpts.id, fields, Channel::Form(request))
        .await
        .map(drop)
}

/// The name of the CPTS whose public form is at `slug`.
pub async fn public_form_of(app: &App, slug: &str) -> ServiceResult<String> {
    let mut conn = app.db.conn().await?;
    let cpts = cpts::by_slug(&mut conn, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(cpts.name)
}
