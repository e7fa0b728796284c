//! `GET /api/v1/me`: who the token belongs to.

use crate::problem::Problem;
use axum::{Extension, Json};
use maillage_services::Actor;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// admin, coordinator, member or regulator
    pub role: String,
    pub cpts_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "comptes",
    responses((status = 200, body = Me), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn me(Extension(actor): Extension<Actor>) -> Json<Me> {
    Json(Me {
        id: actor.user_id,
        email: actor.email,
        display_name: actor.display_name,
        role: actor.role.as_str().to_owned(),
        cpts_id: actor.cpts_id,
    })
}
