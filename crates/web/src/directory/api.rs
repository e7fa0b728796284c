//! `/api/v1/professionnels`: searching the directory (same filters as the "Annuaire"
//! page, paginated) and one professional with all their practice sites.

use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use maillage_services::Actor;
use maillage_services::directory::search::{self, Found, PAGE_SIZE, SearchRequest};
use maillage_store::directory::search::SiteHit;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct SearchParams {
    /// Part of the name
    #[serde(default)]
    pub nom: String,
    /// TRE_G15 profession code (10 médecin, 60 infirmier…), or `generaliste`: the
    /// general practitioners (physicians of specialty SM26, SM53 or SM54)
    #[serde(default)]
    pub profession: String,
    /// TRE_R38 specialty code (SM53 spécialiste en médecine générale, SM04 cardiologie…)
    #[serde(default)]
    pub specialite: String,
    /// Commune to search around: INSEE code or name
    #[serde(default)]
    pub commune: String,
    /// Radius around the commune, km (0 to 100)
    #[serde(default)]
    pub rayon: String,
    /// Members of the caller's CPTS only
    #[serde(default)]
    pub adherents: bool,
    /// Members accepting new patients as médecin traitant
    #[serde(default)]
    pub nouveaux_patients: bool,
    /// Members taking part in unscheduled care
    #[serde(default)]
    pub snp: bool,
    /// Page, from 1
    pub page: Option<i64>,
}

/// One practice site of a professional.
#[derive(Serialize, ToSchema)]
pub struct Site {
    pub professional_id: i64,
    /// RPPS number
    pub rpps: String,
    pub title: String,
    pub last_name: String,
    pub first_name: String,
    /// TRE_G15
    pub profession: String,
    /// TRE_R38, empty when none
    pub specialty: String,
    /// TRE_R23 (L libéral, S salarié…)
    pub mode: String,
    pub structure_name: String,
    pub street: String,
    pub postcode: String,
    /// INSEE code
    pub commune: Option<String>,
    pub commune_name: String,
    pub phone: String,
    /// From the commune searched around, km
    pub distance_km: Option<f64>,
    /// Member of the caller's CPTS
    pub member: bool,
    pub accepts_new_patients: bool,
    pub unscheduled_care: bool,
    /// Generated for demonstrations, not a real professional
    pub synthetic: bool,
}

impl From<Found> for Site {
    fn from(found: Found) -> Self {
        let s: SiteHit = found.site;
        Self {
            professional_id: s.professional_id,
            rpps: s.identifier,
            title: s.title,
            last_name: s.last_name,
            first_name: s.first_name,
            profession: s.profession,
            specialty: s.specialty,
            mode: s.mode,
            structure_name: s.structure_name,
            street: s.street,
            postcode: s.postcode,
            commune: s.commune,
            commune_name: s.commune_name,
            phone: s.phone,
            distance_km: found.distance_km.map(|d| (d * 10.0).round() / 10.0),
            member: s.member_id.is_some(),
            accepts_new_patients: s.accepts_new_patients == Some(1),
            unscheduled_care: s.unscheduled_care == Some(1),
            synthetic: s.synthetic,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SitePage {
    pub sites: Vec<Site>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

#[utoipa::path(get, path = "/api/v1/professionnels", tag = "annuaire", params(SearchParams),
    responses((status = 200, body = SitePage), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SitePage>, ApiError> {
    let request = SearchRequest {
        name: params.nom,
        profession: params.profession,
        specialty: params.specialite,
        commune: params.commune,
        radius_km: params.rayon,
        members_only: params.adherents,
        accepts_new_patients: params.nouveaux_patients,
        unscheduled_care: params.snp,
        page: params.page.unwrap_or(1),
        per_page: PAGE_SIZE,
    };
    let results = search::search(&state.app, &actor, &request).await?;
    Ok(Json(SitePage {
        sites: results.found.into_iter().map(Site::from).collect(),
        total: results.total,
        page: results.page,
        pages: results.pages,
    }))
}

#[utoipa::path(get, path = "/api/v1/professionnels/{id}", tag = "annuaire",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Site>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn professional(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Site>>, ApiError> {
    let sites = search::professional(&state.app, &actor, id).await?;
    Ok(Json(
        sites
            .into_iter()
            .map(|site| {
                Site::from(Found {
                    site,
                    distance_km: None,
                })
            })
            .collect(),
    ))
}
