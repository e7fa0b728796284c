//! `GET /api/v1/cpts/{slug}/diagnostic`: the diagnosis of a CPTS (population and ages,
//! offer of care against its department(s), region(s) and France, ALD, mortality) as JSON.

use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use maillage_services::diagnosis::Diagnosis;
use maillage_services::{Actor, diagnosis};

#[utoipa::path(get, path = "/api/v1/cpts/{slug}/diagnostic", tag = "territoire",
    params(("slug" = String, Path)),
    responses((status = 200, body = Diagnosis), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(slug): Path<String>,
) -> Result<Json<Diagnosis>, ApiError> {
    Ok(Json(
        diagnosis::diagnosis(&state.app, Some(&actor), &slug).await?,
    ))
}
