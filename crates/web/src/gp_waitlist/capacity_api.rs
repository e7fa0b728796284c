//! `/api/v1/medecin-traitant/capacites`: what member GPs offer to new patients (a number a
//! month, communes, an age band) and their planned departure; coordinators list their
//! CPTS's GPs, and a GP or their coordinator reads and sets one GP's.

use crate::api::answer;
use crate::api::idempotent::JsonCall;
use crate::problem::Problem;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_domain::directory::is_general_practitioner;
use maillage_domain::gp_waitlist::capacity::stored_codes;
use maillage_services::directory::members::{self, SettingsForm};
use maillage_services::{Actor, ServiceError, ServiceResult, gp_waitlist};
use maillage_store::Conn;
use maillage_store::directory::members::MemberRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a member GP offers to new patients.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Capacity {
    pub accepts_new_patients: bool,
    /// New patients a month; none: no number given
    #[serde(default)]
    pub new_patients_per_month: Option<i64>,
    /// INSEE codes of the only communes they take new patients from (names are accepted
    /// too); empty: any
    #[serde(default)]
    pub new_patient_communes: Vec<String>,
    #[serde(default)]
    pub new_patient_min_age: Option<i64>,
    #[serde(default)]
    pub new_patient_max_age: Option<i64>,
    /// Planned end of practice, `AAAA-MM-JJ`
    #[serde(default)]
    pub departure_date: Option<String>,
}

impl From<MemberRow> for Capacity {
    fn from(member: MemberRow) -> Self {
        Self {
            accepts_new_patients: member.accepts_new_patients,
            new_patients_per_month: member.new_patients_per_month,
            new_patient_communes: stored_codes(&member.new_patient_communes),
            new_patient_min_age: member.new_patient_min_age,
            new_patient_max_age: member.new_patient_max_age,
            departure_date: member.departure_date,
        }
    }
}

/// A member GP who takes new patients, and how many they already have this month.
#[derive(Serialize, ToSchema)]
pub struct GpCapacityLine {
    pub member_id: i64,
    pub name: String,
    pub new_patients_per_month: Option<i64>,
    /// Proposals of the month, pending or accepted.
    pub committed_this_month: i64,
    pub new_patient_communes: Vec<String>,
    pub new_patient_min_age: Option<i64>,
    pub new_patient_max_age: Option<i64>,
    pub departure_date: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/medecin-traitant/capacites", tag = "médecin traitant",
    responses((status = 200, body = Vec<GpCapacityLine>),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    let gps = gp_waitlist::capacities(&state.app, &actor).await;
    let lines = gps.map(|gps| {
        gps.into_iter()
            .map(|gp| GpCapacityLine {
                member_id: gp.member_id,
                name: format!("Dr {} {}", gp.first_name, gp.last_name),
                new_patients_per_month: gp.per_month,
                committed_this_month: gp.committed,
                new_patient_communes: stored_codes(&gp.communes),
                new_patient_min_age: gp.min_age,
                new_patient_max_age: gp.max_age,
                departure_date: gp.departure_date,
            })
            .collect::<Vec<_>>()
    });
    answer(StatusCode::OK, lines)
}

/// The member GP `member_id`, for themself or a coordinator of their CPTS.
async fn gp_member(state: &AppState, actor: &Actor, member_id: i64) -> ServiceResult<MemberRow> {
    let member = members::get(&state.app, actor, member_id).await?;
    let gp = is_general_practitioner(&member.profession, &member.specialty);
    if gp && members::may_edit(actor, &member) {
        Ok(member)
    } else {
        Err(ServiceError::NotFound)
    }
}

#[utoipa::path(get, path = "/api/v1/medecin-traitant/capacites/{member_id}", tag = "médecin traitant",
    params(("member_id" = i64, Path)),
    responses((status = 200, body = Capacity),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(member_id): Path<i64>,
) -> Response {
    let member = gp_member(&state, &actor, member_id).await;
    answer(StatusCode::OK, member.map(Capacity::from))
}

#[utoipa::path(put, path = "/api/v1/medecin-traitant/capacites/{member_id}", tag = "médecin traitant",
    request_body = Capacity,
    params(("member_id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Capacity),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn put(
    State(state): State<AppState>,
    Path(member_id): Path<i64>,
    request: JsonCall,
) -> Response {
    let actor = request.actor();
    let call = async |given: Capacity, tx: &mut Conn| {
        let member = gp_member(&state, actor, member_id).await?;
        let form = SettingsForm {
            accepts_new_patients: given.accepts_new_patients,
            new_patients_per_month: given
                .new_patients_per_month
                .map(|n| n.to_string())
                .unwrap_or_default(),
            new_patient_communes: given.new_patient_communes.join(","),
            new_patient_min_age: given
                .new_patient_min_age
                .map(|n| n.to_string())
                .unwrap_or_default(),
            new_patient_max_age: given
                .new_patient_max_age
                .map(|n| n.to_string())
                .unwrap_or_default(),
            departure_date: given.departure_date.unwrap_or_default(),
            ..SettingsForm::of(&member, String::new())
        };
        let saved = members::update_in(&state.app, tx, actor, member_id, &form).await?;
        Ok(Capacity::from(saved))
    };
    request.once(&state, StatusCode::OK, call).await
}
