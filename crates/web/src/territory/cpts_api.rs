//! `/api/v1/cpts`: the CPTS the token's owner may see, and their creation by administrators.

use crate::api::json_body::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use maillage_services::{Actor, territory::cpts};
use maillage_store::territory::cpts::CptsRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Cpts {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Unix seconds, UTC
    pub created_at: i64,
}

impl From<CptsRow> for Cpts {
    fn from(row: CptsRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            created_at: row.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewCpts {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/cpts", tag = "cpts", responses((status = 200, body = Vec<Cpts>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> Result<Json<Vec<Cpts>>, ApiError> {
    Ok(Json(
        cpts::list(&state.app, &actor)
            .await?
            .into_iter()
            .map(Cpts::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/cpts", tag = "cpts", request_body = NewCpts,
    responses((status = 201, body = Cpts), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(body): ApiJson<NewCpts>,
) -> Result<(StatusCode, Json<Cpts>), ApiError> {
    let row = cpts::create(&state.app, Some(&actor), &body.slug, &body.name).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(get, path = "/api/v1/cpts/{slug}", tag = "cpts", params(("slug" = String, Path)),
    responses((status = 200, body = Cpts), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(slug): Path<String>,
) -> Result<Json<Cpts>, ApiError> {
    Ok(Json(cpts::get(&state.app, &actor, &slug).await?.into()))
}
