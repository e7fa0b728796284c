//! `GET /api/v1/audit`: the audit trail the token's owner may read.

use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use maillage_services::{Actor, platform::audit};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    /// Unix seconds, UTC
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub cpts_id: Option<i64>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub request_id: Option<String>,
    /// success, failure or denied
    pub outcome: String,
    pub hash: String,
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only entries before this sequence number (paging).
    pub before: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let rows = audit::trail(&state.app, &actor, query.before).await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| {
                let r = row.record;
                AuditEntry {
                    seq: row.seq,
                    at: r.at,
                    actor_user_id: r.actor_user_id,
                    actor_role: r.actor_role,
                    cpts_id: r.cpts_id,
                    action: r.action,
                    object_type: r.object_type,
                    object_id: r.object_id,
                    request_id: r.request_id,
                    outcome: r.outcome,
                    hash: row.hash,
                }
            })
            .collect(),
    ))
}
