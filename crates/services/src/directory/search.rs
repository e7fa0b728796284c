//! Searching the directory: by name, profession, specialty, around a commune (sorted by
//! distance), among the searching person's CPTS members and what they accept; one page
//! at a time. And one professional with every practice site.

use crate::context::{Actor, App};
use crate::error::{ServiceError, ServiceResult};
use maillage_domain::territory::search_key;
use maillage_domain::{FieldErrors, GeoPoint, InseeCode};
use maillage_store::directory_search::{self, SiteFilter, SiteHit};
use maillage_store::territory;

pub const PAGE_SIZE: i64 = 25;
/// The most sites one CSV export holds.
pub const EXPORT_LIMIT: i64 = 5000;
/// The widest radius a search accepts, in kilometres.
pub const MAX_RADIUS_KM: f64 = 100.0;

/// A search as typed in the form or the API (French parameter names in both).
#[derive(Debug, Default, Clone)]
pub struct SearchRequest {
    pub name: String,
    pub profession: String,
    pub specialty: String,
    pub commune: String,
    pub radius_km: String,
    pub members_only: bool,
    pub accepts_new_patients: bool,
    pub unscheduled_care: bool,
    /// From 1.
    pub page: i64,
    /// Sites per page: [`PAGE_SIZE`] on screen, up to [`EXPORT_LIMIT`] for an export.
    pub per_page: i64,
}

/// A site found, with its distance from the commune searched around.
#[derive(Debug, Clone)]
pub struct Found {
    pub site: SiteHit,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub found: Vec<Found>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The commune searched around, by name.
    pub around: Option<String>,
}

/// The communes within `radius` km of `origin`, with their distance.
async fn communes_around(
    app: &App,
    origin: GeoPoint,
    radius: f64,
) -> ServiceResult<Vec<(String, f64)>> {
    // A degree of latitude is about 111 km; longitude degrees shrink with the latitude.
    let dlat = radius / 111.0 + 0.01;
    let dlon = radius / (111.0 * origin.latitude.to_radians().cos().max(0.1)) + 0.01;
    let mut conn = app.db.conn().await?;
    let boxed = directory_search::communes_in_box(
        &mut conn,
        (origin.latitude - dlat, origin.latitude + dlat),
        (origin.longitude - dlon, origin.longitude + dlon),
    )
    .await?;
    Ok(boxed
        .into_iter()
        .map(|(insee, latitude, longitude)| {
            let d = origin.distance_km(GeoPoint {
                latitude,
                longitude,
            });
            (insee, d)
        })
        .filter(|(_, d)| *d <= radius)
        .collect())
}

pub async fn search(
    app: &App,
    actor: &Actor,
    request: &SearchRequest,
) -> ServiceResult<SearchResults> {
    let mut errors = FieldErrors::new();
    let radius = match request.radius_km.trim() {
        "" => 0.0,
        raw => match raw.replace(',', ".").parse::<f64>() {
            Ok(r) if (0.0..=MAX_RADIUS_KM).contains(&r) => r,
            _ => {
                errors.add(
                    "rayon",
                    format!("Le rayon est un nombre de kilomètres entre 0 et {MAX_RADIUS_KM}."),
                );
                0.0
            }
        },
    };
    let mut conn = app.db.conn().await?;
    let origin = match request.commune.trim() {
        "" => None,
        raw => {
            let found = match InseeCode::parse(raw) {
                Ok(code) => territory::communes_by_codes(&mut conn, &[code.as_str().to_owned()])
                    .await?
                    .pop(),
                Err(_) => territory::find_communes(&mut conn, &search_key(raw), 1)
                    .await?
                    .pop(),
            };
            match found {
                Some(c) => Some(c),
                None => {
                    errors.add(
                        "commune",
                        format!("Commune introuvable : « {} ».", raw.trim()),
                    );
                    None
                }
            }
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut filter = SiteFilter {
        name_key: search_key(&request.name),
        profession: request.profession.trim().to_owned(),
        specialty: request.specialty.trim().to_owned(),
        cpts_id: actor.cpts_id,
        members_only: request.members_only,
        accepts_new_patients: request.accepts_new_patients,
        unscheduled_care: request.unscheduled_care,
        communes: None,
    };
    let page = request.page.max(1);
    let per_page = request.per_page.clamp(1, EXPORT_LIMIT);
    let Some(origin_commune) = origin else {
        let offset = (page - 1) * per_page;
        let (hits, total) =
            directory_search::sites_page(&mut conn, &filter, per_page, offset).await?;
        let found = hits
            .into_iter()
            .map(|site| Found {
                site,
                distance_km: None,
            })
            .collect();
        return Ok(results(found, total, page, per_page, None));
    };
    drop(conn);
    let point = match (origin_commune.latitude, origin_commune.longitude) {
        (Some(latitude), Some(longitude)) => GeoPoint {
            latitude,
            longitude,
        },
        _ => {
            return Err(FieldErrors::single(
                "commune",
                format!("La position de {} n’est pas connue.", origin_commune.name),
            )
            .into());
        }
    };
    let mut around = communes_around(app, point, radius).await?;
    if !around
        .iter()
        .any(|(insee, _)| *insee == origin_commune.insee)
    {
        around.push((origin_commune.insee.clone(), 0.0));
    }
    filter.communes = Some(around.iter().map(|(insee, _)| insee.clone()).collect());
    let distance: std::collections::HashMap<String, f64> = around.into_iter().collect();
    let mut conn = app.db.conn().await?;
    let mut found: Vec<Found> = directory_search::all_sites(&mut conn, &filter)
        .await?
        .into_iter()
        .map(|site| {
            let d = site.commune.as_ref().and_then(|c| distance.get(c)).copied();
            Found {
                site,
                distance_km: d,
            }
        })
        .collect();
    found.sort_by(|a, b| {
        let da = a.distance_km.unwrap_or(f64::MAX);
        let db = b.distance_km.unwrap_or(f64::MAX);
        da.total_cmp(&db)
            .then_with(|| a.site.last_name.cmp(&b.site.last_name))
            .then_with(|| a.site.professional_id.cmp(&b.site.professional_id))
            .then_with(|| a.site.position.cmp(&b.site.position))
    });
    let total = found.len() as i64;
    let start = ((page - 1) * per_page).min(total) as usize;
    let found = found
        .into_iter()
        .skip(start)
        .take(per_page as usize)
        .collect();
    Ok(results(
        found,
        total,
        page,
        per_page,
        Some(origin_commune.name),
    ))
}

fn results(
    found: Vec<Found>,
    total: i64,
    page: i64,
    per_page: i64,
    around: Option<String>,
) -> SearchResults {
    SearchResults {
        found,
        total,
        page,
        pages: ((total + per_page - 1) / per_page).max(1),
        around,
    }
}

/// One professional and every one of their practice sites.
pub async fn professional(
    app: &App,
    actor: &Actor,
    professional_id: i64,
) -> ServiceResult<Vec<SiteHit>> {
    let mut conn = app.db.conn().await?;
    let sites =
        directory_search::professional_sites(&mut conn, actor.cpts_id, professional_id).await?;
    if sites.is_empty() {
        return Err(ServiceError::NotFound);
    }
    Ok(sites)
}
