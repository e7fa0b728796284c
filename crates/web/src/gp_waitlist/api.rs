//! `/api/v1/medecin-traitant`: the waiting list of patients without a GP for the CPTS's
//! coordinators (requests, the list by priority, proposals, outcome, indicators) and the
//! answers of member GPs. Every state-changing call accepts an `Idempotency-Key`.

use crate::api::answer;
use crate::api::idempotent::JsonCall;
use crate::problem::Problem;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_domain::gp_waitlist::indicators::{Indicators, Line};
use maillage_domain::gp_waitlist::{RequestFields, Situation};
use maillage_services::{Actor, ServiceError, gp_waitlist};
use maillage_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A request for a médecin traitant.
#[derive(Deserialize, ToSchema)]
pub struct NewGpRequest {
    pub last_name: String,
    #[serde(default)]
    pub birth_name: String,
    pub first_name: String,
    /// `AAAA-MM-JJ` or `JJ/MM/AAAA`
    pub birth_date: String,
    /// `F` or `M`
    pub sex: String,
    /// INSEE code or name
    pub commune: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub ald: bool,
    #[serde(default)]
    pub c2s: bool,
    #[serde(default)]
    pub disability: bool,
    #[serde(default)]
    pub pregnancy: bool,
    #[serde(default)]
    pub newly_arrived: bool,
    #[serde(default)]
    pub gp_left: bool,
    #[serde(default)]
    pub note: String,
    /// The member GP whose patient this is, registered ahead of their planned departure.
    #[serde(default)]
    pub departing_member_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordedRequest {
    pub id: i64,
    /// Open requests that seem to be of the same person.
    pub probable_duplicates: Vec<i64>,
}

/// One line of the list, by priority.
#[derive(Serialize, ToSchema)]
pub struct QueueLine {
    pub rank: usize,
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub age: i32,
    pub commune: String,
    /// Why the patient is where they are.
    pub reason: String,
    /// Unix seconds, UTC
    pub received_at: i64,
    pub probable_duplicates: Vec<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewProposal {
    pub member_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct Answer {
    /// `true` to accept the patient, `false` to decline.
    pub accept: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct Period {
    /// First day, `AAAA-MM-JJ` [default: 1 January]
    #[serde(default)]
    pub du: String,
    /// Last day, included [default: today]
    #[serde(default)]
    pub au: String,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorLine {
    pub label: String,
    pub received: u64,
    pub found: u64,
    pub median_days: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct GpIndicators {
    pub total: IndicatorLine,
    pub by_group: Vec<IndicatorLine>,
    pub by_commune: Vec<IndicatorLine>,
}

fn line(l: Line) -> IndicatorLine {
    IndicatorLine {
        label: l.label,
        received: l.received,
        found: l.found,
        median_days: l.median_days,
    }
}

impl From<Indicators> for GpIndicators {
    fn from(i: Indicators) -> Self {
        Self {
            total: line(i.total),
            by_group: i.by_group.into_iter().map(line).collect(),
            by_commune: i.by_commune.into_iter().map(line).collect(),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/medecin-traitant/demandes", tag = "médecin traitant",
    request_body = NewGpRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Rejouer la même requête renvoie la même réponse")),
    responses((status = 201, body = RecordedRequest),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record(State(state): State<AppState>, request: JsonCall) -> Response {
    let actor = request.actor();
    let call = async |new: NewGpRequest, tx: &mut Conn| {
        let fields = RequestFields {
            situation: Situation {
                ald: new.ald,
                c2s: new.c2s,
                disability: new.disability,
                pregnancy: new.pregnancy,
                newly_arrived: new.newly_arrived,
                gp_left: new.gp_left,
            },
            last_name: new.last_name,
            birth_name: new.birth_name,
            first_name: new.first_name,
            birth_date: new.birth_date,
            sex: new.sex,
            commune: new.commune,
            phone: new.phone,
            email: new.email,
            note: new.note,
        };
        let departing = new.departing_member_id;
        let recorded = gp_waitlist::record_in(&state.app, tx, actor, &fields, departing)
            .await
            .map_err(|error| match error {
                ServiceError::Invalid(errors) => {
                    ServiceError::Invalid(errors.renamed("departing", "departing_member_id"))
                }
                other => other,
            })?;
        Ok(RecordedRequest {
            id: recorded.id,
            probable_duplicates: recorded.probable_duplicates,
        })
    };
    request.once(&state, StatusCode::CREATED, call).await
}

#[utoipa::path(get, path = "/api/v1/medecin-traitant/demandes", tag = "médecin traitant",
    responses((status = 200, body = Vec<QueueLine>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn queue(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    let entries = gp_waitlist::queue(&state.app, &actor).await;
    answer(
        StatusCode::OK,
        entries.map(|entries| {
            entries
                .into_iter()
                .enumerate()
                .map(|(i, e)| QueueLine {
                    rank: i + 1,
                    id: e.request.id,
                    reason: if e.request.priority_override {
                        format!("Placé en tête : {}", e.request.override_comment)
                    } else {
                        e.standing.reason_fr()
                    },
                    last_name: e.request.last_name,
                    first_name: e.request.first_name,
                    age: e.age,
                    commune: e.request.commune_name,
                    received_at: e.request.received_at,
                    probable_duplicates: e.duplicates,
                })
                .collect::<Vec<_>>()
        }),
    )
}

#[utoipa::path(post, path = "/api/v1/medecin-traitant/demandes/{id}/propositions", tag = "médecin traitant",
    request_body = NewProposal,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Created),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn propose(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: JsonCall,
) -> Response {
    let actor = request.actor();
    let call = async |new: NewProposal, tx: &mut Conn| {
        let made = gp_waitlist::propose_in(&state.app, tx, actor, id, new.member_id).await?;
        Ok(Created { id: made })
    };
    request.once(&state, StatusCode::CREATED, call).await
}

#[utoipa::path(post, path = "/api/v1/medecin-traitant/propositions/{id}/reponse", tag = "médecin traitant",
    request_body = Answer,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Created),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn respond(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: JsonCall,
) -> Response {
    let actor = request.actor();
    let call = async |given: Answer, tx: &mut Conn| {
        gp_waitlist::answer_in(&state.app, tx, actor, id, given.accept).await?;
        Ok(Created { id })
    };
    request.once(&state, StatusCode::OK, call).await
}

#[utoipa::path(get, path = "/api/v1/medecin-traitant/indicateurs", tag = "médecin traitant",
    params(Period),
    responses((status = 200, body = GpIndicators), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn indicators(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(period): Query<Period>,
) -> Response {
    let computed = async {
        let (from, to) = gp_waitlist::period(&state.app, &period.du, &period.au)?;
        gp_waitlist::indicators(&state.app, &actor, from, to).await
    };
    answer(StatusCode::OK, computed.await.map(GpIndicators::from))
}
