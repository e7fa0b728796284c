//! GPs of the CPTS who plan to leave (retirement, move) and their patients, registered on
//! the waiting list ahead of the departure: one at a time from a call, or the whole
//! practice at once from the file the GP exports, checked line by line and written all
//! or nothing.

use super::intake::{self, Origin};
use super::patient_file;
use crate::access;
use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use crate::file_errors::FileErrors;
use crate::platform::audit::{self, Event, Who};
use crate::territory::CommuneLookups;
use maillage_domain::FieldErrors;
use maillage_domain::common::civil_date::CivilDate;
use maillage_domain::gp_waitlist::states::{RequestChannel, RequestStatus};
use maillage_domain::platform::audit::Outcome;
use maillage_store::Db;
use maillage_store::directory::members::{self, MemberRow};
use maillage_store::gp_waitlist::requests::{self, RequestRow};

/// A member GP who plans to leave, and where their patients registered ahead stand.
pub struct DepartingGp {
    pub member: MemberRow,
    /// `JJ/MM/AAAA`.
    pub departure: String,
    pub registered: usize,
    /// Still on the list.
    pub waiting: usize,
    /// Declared a new médecin traitant.
    pub found: usize,
}

impl DepartingGp {
    fn of(member: MemberRow, requests: &[RequestRow]) -> Self {
        let departure = CivilDate::french_of(member.departure_date.as_deref());
        let count = |status| requests.iter().filter(|r| r.status == status).count();
        Self {
            registered: requests.iter().filter(|r| r.merged_into.is_none()).count(),
            waiting: count(RequestStatus::Open),
            found: count(RequestStatus::Found),
            departure,
            member,
        }
    }
}

/// What an import of a GP's patients wrote.
pub struct Imported {
    pub requests: usize,
    /// Those that seem to be of a person already on the list.
    pub probable_duplicates: usize,
}

/// The member GP of the CPTS `cpts_id` with a planned departure, or the error of the field
/// that names them.
pub(super) async fn departing(app: &App, cpts_id: i64, member_id: i64) -> ServiceResult<MemberRow> {
    let mut conn = app.db.conn().await?;
    members::departing_gps(&mut conn, cpts_id)
        .await?
        .into_iter()
        .find(|m| m.id == member_id)
        .ok_or_else(|| {
            FieldErrors::single(
                "departing",
                "Choisissez un médecin adhérent de la CPTS dont le départ est prévu.",
            )
            .into()
        })
}

/// A member who is no departing GP of the CPTS is not found, as the pages and links that
/// name them say; other errors stay what they are.
fn not_found_if_invalid(error: ServiceError) -> ServiceError {
    match error {
        ServiceError::Invalid(_) => ServiceError::NotFound,
        other => other,
    }
}

/// The member GPs of the coordinator's CPTS who plan to leave, soonest first, with their
/// patients' progress (counts only).
pub async fn departing_gps(app: &App, actor: &Actor) -> ServiceResult<Vec<DepartingGp>> {
    let cpts_id = access::coordinated(actor)?;
    let mut conn = app.db.conn().await?;
    let mut shown = Vec::new();
    for member in members::departing_gps(&mut conn, cpts_id).await? {
        let requests = requests::of_departing(&mut conn, cpts_id, member.id).await?;
        shown.push(DepartingGp::of(member, &requests));
    }
    Ok(shown)
}

/// One departing GP and their patients registered ahead; the read is audited.
pub async fn departure(
    app: &App,
    actor: &Actor,
    member_id: i64,
) -> ServiceResult<(DepartingGp, Vec<RequestRow>)> {
    let cpts_id = access::coordinated(actor)?;
    let member = departing(app, cpts_id, member_id)
        .await
        .map_err(not_found_if_invalid)?;
    let mut conn = app.db.conn().await?;
    let requests = requests::of_departing(&mut conn, cpts_id, member_id).await?;
    drop(conn);
    let event = Event::new("gp_request.list_departing", Outcome::Success)
        .object("member", member_id)
        .cpts(Some(cpts_id));
    audit::write(app, &Who::User(actor), event).await?;
    Ok((DepartingGp::of(member, &requests), requests))
}

/// Registers the patients of a departing GP from the file their software exported: every
/// line is checked first, and one wrong line refuses the whole file, each error naming
/// its line and field.
pub async fn import_patients(
    app: &App,
    actor: &Actor,
    member_id: i64,
    file: &[u8],
) -> ServiceResult<Imported> {
    let cpts_id = access::coordinated(actor)?;
    let member = departing(app, cpts_id, member_id)
        .await
        .map_err(not_found_if_invalid)?;
    let lines = patient_file::read(file)?;
    let today = app.today();
    // Every line is checked before the transaction that writes them takes the database.
    let mut conn = app.db.conn().await?;
    let mut communes = CommuneLookups::default();
    let mut errors = FileErrors::default();
    let mut checked = Vec::with_capacity(lines.len());
    for line in &lines {
        match intake::check(&mut conn, cpts_id, &line.fields, today, &mut communes).await? {
            Ok(request) => checked.push(request),
            Err(field_errors) => {
                errors.add_fields(line.number, &field_errors, patient_file::field_label)
            }
        }
    }
    drop(conn);
    errors.into_result(|| ())?;
    let mut tx = app.db.begin().await?;
    let how = format!(
        "Patientèle du Dr {} {} importée avant son départ",
        member.first_name, member.last_name
    );
    let origin = Origin {
        channel: RequestChannel::Phone,
        how: &how,
        author: Some(actor.user_id),
        departing_member_id: Some(member_id),
    };
    let mut probable_duplicates = 0;
    for request in &checked {
        let recorded = intake::write(app, &mut tx, cpts_id, request, &origin).await?;
        probable_duplicates += usize::from(!recorded.probable_duplicates.is_empty());
        let event = intake::created(cpts_id, recorded.id);
        audit::write_in(app, &mut tx, &Who::User(actor), event).await?;
    }
    Db::commit(tx).await?;
    Ok(Imported {
        requests: checked.len(),
        probable_duplicates,
    })
}
