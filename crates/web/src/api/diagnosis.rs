//! `GET /api/v1/cpts/{slug}/diagnostic`: the diagnosis of a CPTS (population, offer of care
//! against its department(s), region(s) and France) as JSON.

use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use maillage_services::{Actor, diagnosis};
use serde::Serialize;
use utoipa::ToSchema;

/// An area the CPTS is compared with, the CPTS first.
#[derive(Serialize, ToSchema)]
pub struct DiagnosisArea {
    /// `cpts`, `departement`, `region` or `france`
    pub level: String,
    pub code: String,
    pub name: String,
    pub population: i64,
}

/// One profession's figures in one area.
#[derive(Serialize, ToSchema)]
pub struct DiagnosisFigure {
    pub professionals: i64,
    /// Per 100,000 inhabitants
    pub density: Option<f64>,
    /// The CPTS's density divided by this area's; none for the CPTS itself
    pub ratio: Option<f64>,
}

/// One profession (and doctors' specialty) in every area, in the order of `areas`.
#[derive(Serialize, ToSchema)]
pub struct DiagnosisOffer {
    pub profession: String,
    pub specialty: String,
    pub label: String,
    pub figures: Vec<DiagnosisFigure>,
}

#[derive(Serialize, ToSchema)]
pub struct DiagnosisReport {
    pub slug: String,
    pub name: String,
    pub areas: Vec<DiagnosisArea>,
    pub offer: Vec<DiagnosisOffer>,
    /// What the diagnosis cannot tell yet, in French
    pub missing: Vec<String>,
    /// Where the figures come from, in French
    pub sources: Vec<String>,
}

impl From<diagnosis::Diagnosis> for DiagnosisReport {
    fn from(d: diagnosis::Diagnosis) -> Self {
        Self {
            slug: d.slug,
            name: d.name,
            areas: d
                .areas
                .into_iter()
                .map(|a| DiagnosisArea {
                    level: a.level.to_owned(),
                    code: a.code,
                    name: a.name,
                    population: a.population,
                })
                .collect(),
            offer: d
                .offer
                .into_iter()
                .map(|line| DiagnosisOffer {
                    profession: line.profession,
                    specialty: line.specialty,
                    label: line.label,
                    figures: line
                        .figures
                        .into_iter()
                        .map(|f| DiagnosisFigure {
                            professionals: f.professionals,
                            density: f.density,
                            ratio: f.ratio,
                        })
                        .collect(),
                })
                .collect(),
            missing: d.missing,
            sources: d.sources,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/cpts/{slug}/diagnostic", tag = "territoire",
    params(("slug" = String, Path)),
    responses((status = 200, body = DiagnosisReport), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(slug): Path<String>,
) -> Result<Json<DiagnosisReport>, ApiError> {
    let found = diagnosis::diagnosis(&state.app, Some(&actor), &slug).await?;
    Ok(Json(found.into()))
}
