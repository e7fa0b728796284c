//! `/api/v1/communes` and `/api/v1/cpts/{slug}/territoire`: finding communes, reading and
//! replacing a CPTS's perimeter.

use crate::api::json_body::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use maillage_services::Actor;
use maillage_services::territory::{self, Perimeter, PerimeterCommune, Selection};
use maillage_store::territory::reference::CommuneRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A commune or municipal arrondissement (INSEE, code officiel géographique 2026).
#[derive(Serialize, ToSchema)]
pub struct Commune {
    pub insee: String,
    pub name: String,
    /// `commune` or `arrondissement`
    pub kind: String,
    pub departement: String,
    /// SIREN of its EPCI, if any
    pub epci: Option<String>,
    pub postcodes: Vec<String>,
    /// Legal municipal population
    pub population: Option<i64>,
    /// Only in a perimeter: the other CPTS of the host that also cover this commune
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<String>,
}

impl From<CommuneRow> for Commune {
    fn from(row: CommuneRow) -> Self {
        Self {
            postcodes: row
                .postcodes
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            insee: row.insee,
            name: row.name,
            kind: row.kind,
            departement: row.departement,
            epci: row.epci,
            population: row.population,
            also_in: Vec::new(),
        }
    }
}

impl From<PerimeterCommune> for Commune {
    fn from(c: PerimeterCommune) -> Self {
        Self {
            insee: c.insee,
            name: c.name,
            kind: c.kind,
            departement: c.departement,
            epci: c.epci,
            postcodes: c.postcodes,
            population: c.population,
            also_in: c.also_in,
        }
    }
}

/// The communes of a CPTS and their total population.
#[derive(Serialize, ToSchema)]
pub struct Territory {
    pub slug: String,
    pub name: String,
    pub communes: Vec<Commune>,
    pub population: i64,
}

impl From<Perimeter> for Territory {
    fn from(p: Perimeter) -> Self {
        Self {
            slug: p.slug,
            name: p.name,
            communes: p.communes.into_iter().map(Commune::from).collect(),
            population: p.population,
        }
    }
}

/// A new perimeter: communes by INSEE code and/or whole EPCI by SIREN.
#[derive(Deserialize, ToSchema)]
pub struct NewTerritory {
    #[serde(default)]
    pub communes: Vec<String>,
    #[serde(default)]
    pub epci: Vec<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct CommuneQuery {
    /// Name, postcode or INSEE code
    #[serde(default)]
    pub q: String,
}

#[utoipa::path(get, path = "/api/v1/communes", tag = "territoire", params(CommuneQuery),
    responses((status = 200, body = Vec<Commune>)))]
pub async fn communes(
    State(state): State<AppState>,
    Query(query): Query<CommuneQuery>,
) -> Result<Json<Vec<Commune>>, ApiError> {
    let rows = territory::find_communes(&state.app, &query.q).await?;
    Ok(Json(rows.into_iter().map(Commune::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/cpts/{slug}/territoire", tag = "territoire",
    params(("slug" = String, Path)),
    responses((status = 200, body = Territory), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(slug): Path<String>,
) -> Result<Json<Territory>, ApiError> {
    let perimeter = territory::show(&state.app, Some(&actor), &slug).await?;
    Ok(Json(perimeter.into()))
}

#[utoipa::path(put, path = "/api/v1/cpts/{slug}/territoire", tag = "territoire",
    params(("slug" = String, Path)), request_body = NewTerritory,
    responses((status = 200, body = Territory), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn put(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewTerritory>,
) -> Result<Json<Territory>, ApiError> {
    let selection = Selection {
        communes: body.communes,
        epcis: body.epci,
    };
    let perimeter = territory::set(&state.app, Some(&actor), &slug, &selection).await?;
    Ok(Json(perimeter.into()))
}
