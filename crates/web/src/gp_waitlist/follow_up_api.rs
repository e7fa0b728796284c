//! `/api/v1/medecin-traitant/demandes/{id}`: one request of the waiting list with its
//! history and proposals, and what a coordinator does with it: place the patient first,
//! close it, merge it into another request of the same person, confirm the GP declared.
//! Every state-changing call accepts an `Idempotency-Key`.

use crate::api::answer;
use crate::api::idempotent::JsonCall;
use crate::gp_waitlist::api::Created;
use crate::problem::Problem;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_services::{Actor, gp_waitlist};
use maillage_store::Conn;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One step of a request's history.
#[derive(Serialize, ToSchema)]
pub struct Step {
    /// Unix seconds, UTC
    pub at: i64,
    /// `received`, `proposed`, `accepted`, `declined`, `found`, `closed`, `merged_from`,
    /// `merged_into`, `priority_override` or `priority_restored`
    pub kind: String,
    pub detail: String,
    /// Who took the step, when someone did.
    pub by: Option<String>,
}

/// A proposal made for a request.
#[derive(Serialize, ToSchema)]
pub struct ProposalLine {
    pub id: i64,
    pub member_id: i64,
    pub gp: String,
    /// `pending`, `accepted`, `declined` or `withdrawn`
    pub status: String,
    /// Unix seconds, UTC
    pub created_at: i64,
}

/// One request, its place and its history.
#[derive(Serialize, ToSchema)]
pub struct GpRequest {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    /// `AAAA-MM-JJ`
    pub birth_date: String,
    /// INSEE code
    pub commune: String,
    /// `open`, `found` or `closed`
    pub status: String,
    /// Why the patient is where they are.
    pub reason: String,
    pub probable_duplicates: Vec<i64>,
    pub departing_member_id: Option<i64>,
    pub history: Vec<Step>,
    pub proposals: Vec<ProposalLine>,
}

#[utoipa::path(get, path = "/api/v1/medecin-traitant/demandes/{id}", tag = "médecin traitant",
    params(("id" = i64, Path)),
    responses((status = 200, body = GpRequest),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<i64>,
) -> Response {
    let read = async {
        let view = gp_waitlist::detail(&state.app, &actor, id).await?;
        let proposals = gp_waitlist::proposals_of(&state.app, &actor, id).await?;
        let entry = view.entry;
        let request = entry.request;
        Ok(GpRequest {
            id: request.id,
            reason: if request.priority_override {
                format!("Placé en tête : {}", request.override_comment)
            } else {
                entry.standing.reason_fr()
            },
            last_name: request.last_name,
            first_name: request.first_name,
            birth_date: request.birth_date,
            commune: request.commune,
            status: request.status.code().to_owned(),
            probable_duplicates: entry.duplicates,
            departing_member_id: request.departing_member_id,
            history: view
                .events
                .into_iter()
                .map(|e| Step {
                    at: e.at,
                    kind: e.kind,
                    detail: e.detail,
                    by: e.actor_name,
                })
                .collect(),
            proposals: proposals
                .into_iter()
                .map(|p| ProposalLine {
                    id: p.id,
                    member_id: p.member_id,
                    gp: format!("Dr {}", p.gp_name),
                    status: p.status.code().to_owned(),
                    created_at: p.created_at,
                })
                .collect(),
        })
    };
    answer(StatusCode::OK, read.await)
}

/// Placing a patient at the head of the list, or back where the rules place them.
#[derive(Deserialize, ToSchema)]
pub struct Priority {
    pub placed_first: bool,
    /// Why, when placed first (300 characters at most).
    #[serde(default)]
    pub comment: String,
}

#[derive(Deserialize, ToSchema)]
pub struct Closure {
    /// `found_elsewhere`, `withdrawn`, `unreachable` or `moved`
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
pub struct Merge {
    /// The open request of the same person that is kept.
    pub into: i64,
}

/// No field: the call says it all.
#[derive(Deserialize, ToSchema)]
pub struct Empty {}

#[utoipa::path(post, path = "/api/v1/medecin-traitant/demandes/{id}/priorite", tag = "médecin traitant",
    request_body = Priority,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Created),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn priority(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: JsonCall,
) -> Response {
    let actor = request.actor();
    let call = async |given: Priority, tx: &mut Conn| {
        let set = gp_waitlist::set_priority_in;
        set(
            &state.app,
            tx,
            actor,
            id,
            given.placed_first,
            &given.comment,
        )
        .await?;
        Ok(Created { id })
    };
    request.once(&state, StatusCode::OK, call).await
}

#[utoipa::path(post, path = "/api/v1/medecin-traitant/demandes/{id}/cloture", tag = "médecin traitant",
    request_body = Closure,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Created),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: JsonCall,
) -> Response {
    let actor = request.actor();
    let call = async |given: Closure, tx: &mut Conn| {
        gp_waitlist::close_in(&state.app, tx, actor, id, &given.reason).await?;
        Ok(Created { id })
    };
    request.once(&state, StatusCode::OK, call).await
}

#[utoipa::path(post, path = "/api/v1/medecin-traitant/demandes/{id}/fusion", tag = "médecin traitant",
    request_body = Merge,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Created, description = "La demande gardée"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn merge(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: JsonCall,
) -> Response {
    let actor = request.actor();
    let call = async |given: Merge, tx: &mut Conn| {
        gp_waitlist::merge_in(&state.app, tx, actor, id, given.into).await?;
        Ok(Created { id: given.into })
    };
    request.once(&state, StatusCode::OK, call).await
}

#[utoipa::path(post, path = "/api/v1/medecin-traitant/demandes/{id}/medecin-declare", tag = "médecin traitant",
    request_body = Empty,
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = Created),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn declared(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: JsonCall,
) -> Response {
    let actor = request.actor();
    let call = async |_: Empty, tx: &mut Conn| {
        gp_waitlist::confirm_found_in(&state.app, tx, actor, id).await?;
        Ok(Created { id })
    };
    request.once(&state, StatusCode::OK, call).await
}
